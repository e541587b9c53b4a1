//! `missionboard money`: each mission's money by currency, year and status, the sub-missions no
//! committed or spent money reaches, and each intervention's lines (see `model::money`).

use std::path::Path;

use serde_json::json;

use super::{FAILED, MoneyFormat as Format, OK, load};
use crate::model::BudgetYear;
use crate::model::analysis::portfolio::money as money_text;
use crate::model::money::{self, MoneyReport, Move, WhatIf};

pub(super) fn money(file: &Path, format: Format, year: Option<&str>, move_money: Option<&str>) -> u8 {
    let year = match year.map(|y| (y, BudgetYear::parse(y))) {
        None => None,
        Some((_, Some(y))) => Some(y),
        Some((text, None)) => {
            eprintln!("--year {text}: write a financial year such as 2025-26 or a calendar year such as 2026");
            return FAILED;
        }
    };
    let mv = match move_money.map(Move::parse).transpose() {
        Ok(mv) => mv,
        Err(e) => {
            eprintln!("--move: {e}");
            return FAILED;
        }
    };
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if let Some(mv) = mv {
        let w = match money::what_if(&map, &mv, year) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("--move {}: {e}. Nothing was written.", move_money.unwrap_or_default());
                return FAILED;
            }
        };
        let said = w.mv.text(&map);
        match format {
            Format::Json => println!("{}", what_if_json(&said, &w)),
            Format::Csv => print!("{}", what_if_csv(&w)),
            Format::Text => print!("{}", what_if_text(&said, &w)),
        }
        return OK;
    }
    let report = money::money(&map, year);
    match format {
        Format::Json => println!("{}", json(&report)),
        Format::Csv => print!("{}", csv(&report)),
        Format::Text => print!("{}", text(&report)),
    }
    OK
}

/// Rows of CSV text; a field with a comma, quote or line break is quoted.
fn csv_text(rows: &[Vec<String>]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// One row per mission, year, status and currency with money: the sums of the rows of a mission
/// are its totals.
fn csv(r: &MoneyReport) -> String {
    let mut rows = vec![["mission", "title", "year", "status", "currency", "amount"].map(str::to_owned).to_vec()];
    for m in &r.missions {
        for (year, by) in &m.by_year_status {
            for (status, sum) in [("planned", &by.planned), ("committed", &by.committed), ("spent", &by.spent)] {
                for (currency, amount) in sum.0.iter().filter(|(_, a)| a.abs() >= 0.005) {
                    rows.push(vec![
                        m.id.to_string(),
                        m.title.clone(),
                        year.clone(),
                        status.to_owned(),
                        currency.clone(),
                        amount.to_string(),
                    ]);
                }
            }
        }
    }
    csv_text(&rows)
}

/// Each mission's currencies with the amount before and after a move.
fn compared(w: &WhatIf) -> impl Iterator<Item = (&money::Compared, String, f64, f64)> {
    w.missions.iter().flat_map(|c| c.by_currency().into_iter().map(move |(cur, before, after)| (c, cur, before, after)))
}

fn what_if_text(said: &str, w: &WhatIf) -> String {
    use std::fmt::Write as _;
    let mut out = format!("What if {said} (nothing is written; money only, not outcomes):\n\n");
    let mut rows = vec![["Mission", "Before", "After", "Change"].map(str::to_owned)];
    let mut last = None;
    for (c, cur, before, after) in compared(w) {
        let first = last != Some(&c.before.id);
        last = Some(&c.before.id);
        let change = after - before;
        let change = if change.abs() < 0.005 {
            "no change".to_owned()
        } else {
            format!("{}{}", if change > 0.0 { "+" } else { "\u{2212}" }, money_text(change.abs(), &cur))
        };
        let mission = if first { format!("{} ({})", c.before.title, c.before.id) } else { String::new() };
        rows.push([mission, money_text(before, &cur), money_text(after, &cur), change]);
    }
    let widths: Vec<usize> = (0..4).map(|k| rows.iter().map(|r| r[k].chars().count()).max().unwrap_or(0)).collect();
    for r in &rows {
        let cells: Vec<String> =
            r.iter().zip(&widths).map(|(cell, &w)| format!("{cell}{}", " ".repeat(w - cell.chars().count()))).collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    for c in &w.missions {
        let (now, no_longer) = c.unfunded_change();
        let (now, no_longer): (Vec<String>, Vec<String>) =
            (now.iter().map(ToString::to_string).collect(), no_longer.iter().map(ToString::to_string).collect());
        if !now.is_empty() {
            let _ = writeln!(out, "{}: would leave unfunded {}", c.before.title, now.join(", "));
        }
        if !no_longer.is_empty() {
            let _ = writeln!(out, "{}: would fund {}", c.before.title, no_longer.join(", "));
        }
    }
    out
}

fn what_if_json(said: &str, w: &WhatIf) -> serde_json::Value {
    let ids = |v: &[crate::model::NodeId]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    json!({
        "move": said,
        "missions": w.missions.iter().map(|c| json!({
            "id": c.before.id.to_string(),
            "title": c.before.title,
            "before": c.before.total,
            "after": c.after.total,
            "unfunded_before": ids(&c.before.unfunded),
            "unfunded_after": ids(&c.after.unfunded),
        })).collect::<Vec<_>>(),
    })
}

fn what_if_csv(w: &WhatIf) -> String {
    let mut rows = vec![["mission", "title", "currency", "before", "after", "change"].map(str::to_owned).to_vec()];
    for (c, cur, before, after) in compared(w) {
        rows.push(vec![
            c.before.id.to_string(),
            c.before.title.clone(),
            cur,
            before.to_string(),
            after.to_string(),
            (after - before).to_string(),
        ]);
    }
    csv_text(&rows)
}

/// The report as JSON, with the keys scripts read.
fn json(r: &MoneyReport) -> serde_json::Value {
    json!({
        "missions": r.missions.iter().map(|m| json!({
            "id": m.id.to_string(),
            "title": m.title,
            "total": m.total,
            "by_year": m.by_year,
            "by_status": {
                "planned": m.by_status.planned,
                "committed": m.by_status.committed,
                "spent": m.by_status.spent,
            },
            "unfunded": m.unfunded.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "interventions": r.interventions.iter().map(|i| json!({
            "id": i.id.to_string(),
            "lines": i.lines.iter().map(|l| json!({
                "id": l.id,
                "amount": l.amount,
                "currency": l.currency,
                "year": l.year,
                "status": l.status,
                "source": l.source,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The report as people read it.
fn text(r: &MoneyReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let title = |id: &crate::model::NodeId| {
        r.interventions.iter().find(|i| i.id == *id).map_or_else(|| id.to_string(), |i| i.title.clone())
    };
    let _ = writeln!(
        out,
        "Money by mission{} (currencies are never added together; planned money is not funding):",
        r.year.as_ref().map(|y| format!(" in {y}")).unwrap_or_default()
    );
    for m in &r.missions {
        let _ = writeln!(out, "\n{} ({}): {}", m.title, m.id, m.total.text());
        let _ = writeln!(
            out,
            "  planned {}, committed {}, spent {}",
            m.by_status.planned.text(),
            m.by_status.committed.text(),
            m.by_status.spent.text()
        );
        for (year, sum) in &m.by_year {
            let _ = writeln!(out, "  {year}: {}", sum.text());
        }
        for s in &m.shares {
            let _ = writeln!(
                out,
                "  from \u{201c}{}\u{201d}: {:.0}% ({})",
                title(&s.intervention),
                s.share * 100.0,
                s.split.text()
            );
        }
        if !m.unfunded.is_empty() {
            let ids: Vec<String> = m.unfunded.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "  unfunded sub-missions (no committed or spent money): {}", ids.join(", "));
        }
    }
    let lonely: Vec<&str> = r
        .interventions
        .iter()
        .filter(|i| i.missions.is_empty() && !i.lines.is_empty())
        .map(|i| i.title.as_str())
        .collect();
    if !lonely.is_empty() {
        let _ = writeln!(out, "\nNot counted for any mission (they serve none): {}", lonely.join(", "));
    }
    out
}
