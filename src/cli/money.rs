//! `missionboard money`: each mission's money by currency, year and status, the sub-missions no
//! committed or spent money reaches, and each intervention's lines (see `model::money`).

use std::path::Path;

use serde_json::json;

use super::{FAILED, Format, OK, load};
use crate::model::BudgetYear;
use crate::model::money::{self, MoneyReport};

pub(super) fn money(file: &Path, format: Format, year: Option<&str>) -> u8 {
    let year = match year.map(|y| (y, BudgetYear::parse(y))) {
        None => None,
        Some((_, Some(y))) => Some(y),
        Some((text, None)) => {
            eprintln!("--year {text}: write a financial year such as 2025-26 or a calendar year such as 2026");
            return FAILED;
        }
    };
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let report = money::money(&map, year);
    match format {
        Format::Json => println!("{}", json(&report)),
        Format::Text => print!("{}", text(&report)),
    }
    OK
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
