//! Reports for people who read them outside the app: the mission portfolio as Markdown (with its
//! heat maps and the findings of the checks) or as CSV rows for a spreadsheet.

use crate::model::analysis::Checked;
use crate::model::analysis::portfolio::{Cell, Money, NOT_SET, Portfolio, money as money_text};
use crate::model::money::MissionMoney;
use crate::model::{MissionMap, NodeId};

/// The widest text bar, in characters.
const BAR: f64 = 30.0;

/// A mission's money by year: per currency, a text bar per year stacked by status (█ spent,
/// ▓ committed, ░ planned), then the table of years by status. Nothing when it has no money.
fn money_markdown(s: &mut String, m: &MissionMoney) {
    use std::fmt::Write as _;
    if m.total.is_zero() {
        return;
    }
    let _ = writeln!(
        s,
        "Money by year (shared along contribution links; currencies never added together; █ spent, ▓ committed, ░ planned):\n"
    );
    for currency in m.total.0.keys() {
        let years = m.years_in(currency);
        let top = years.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0_f64, f64::max);
        if top <= 0.0 {
            continue;
        }
        let _ = writeln!(s, "```text\n{currency}");
        for (year, v) in &years {
            let mut bar = String::new();
            for (a, c) in v.iter().zip(['\u{2588}', '\u{2593}', '\u{2591}']) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 to BAR characters")]
                let n = (a.max(0.0) / top * BAR).round() as usize;
                bar.extend(std::iter::repeat_n(c, n));
            }
            let _ = writeln!(s, "{year:<8} {bar} {}", money_text(v.iter().sum(), currency));
        }
        let _ = writeln!(s, "```\n");
    }
    let _ = writeln!(s, "| Year | Planned | Committed | Spent | Total |\n|---|---:|---:|---:|---:|");
    for (year, b) in &m.by_year_status {
        let total = m.by_year.get(year).map(Money::text).unwrap_or_default();
        let _ =
            writeln!(s, "| {year} | {} | {} | {} | {total} |", b.planned.text(), b.committed.text(), b.spent.text());
    }
    let _ = writeln!(
        s,
        "| **All years** | {} | {} | {} | {} |\n",
        m.by_status.planned.text(),
        m.by_status.committed.text(),
        m.by_status.spent.text(),
        m.total.text()
    );
}

/// The portfolio as a Markdown report with tables.
#[must_use]
pub fn to_markdown(map: &MissionMap, portfolio: &Portfolio, checked: &Checked) -> String {
    use std::fmt::Write as _;
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| md(&n.title));
    let mut s = String::new();
    let _ = writeln!(s, "# {} — mission portfolio\n", md(&map.meta.title));
    if !map.meta.organisation.is_empty() {
        let _ = writeln!(s, "{}\n", md(&map.meta.organisation));
    }
    let counts = map.count_by_kind();
    let _ = writeln!(
        s,
        "{} cards: {}. {} links.\n",
        map.node_count(),
        counts.iter().map(|(k, n)| format!("{n} {}", k.label().to_lowercase())).collect::<Vec<_>>().join(", "),
        map.link_count()
    );
    let _ = writeln!(s, "## Missions at a glance\n");
    let _ = writeln!(
        s,
        "| Mission | Sub-missions | Interventions | Budget (shared) | Not budgeted | Departments | Partners | Spill-overs |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for f in &portfolio.missions {
        let partners: usize = f.sectors.iter().map(|m| m.cards.len()).sum();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            md(&f.title),
            f.sub_missions.len(),
            f.interventions.len(),
            f.budget.text(),
            f.unbudgeted.len(),
            f.departments.iter().filter(|d| d.label != NOT_SET).count(),
            partners,
            f.spillovers.len()
        );
    }
    let money = crate::model::money::money(map, None);
    for f in &portfolio.missions {
        let _ = writeln!(s, "\n## {}\n", md(&f.title));
        if let Some(m) = money.missions.iter().find(|m| m.id == f.mission) {
            money_markdown(&mut s, m);
        }
        for (heading, mixes, money) in [
            ("Instrument", &f.instruments, true),
            ("Stage", &f.stages, true),
            ("Lead department", &f.departments, true),
            ("Partner sector", &f.sectors, false),
        ] {
            if mixes.is_empty() {
                continue;
            }
            if money {
                let _ = writeln!(s, "| {heading} | Interventions | Budget (shared) |\n|---|---:|---:|");
            } else {
                let _ = writeln!(s, "| {heading} | Partners | Who |\n|---|---:|---|");
            }
            for mix in mixes {
                if money {
                    let _ = writeln!(s, "| {} | {} | {} |", md(&mix.label), mix.cards.len(), mix.budget.text());
                } else {
                    let who: Vec<String> = mix.cards.iter().map(&title).collect();
                    let _ = writeln!(s, "| {} | {} | {} |", md(&mix.label), mix.cards.len(), who.join("; "));
                }
            }
            s.push('\n');
        }
        if !f.spillovers.is_empty() {
            let _ = writeln!(s, "Interventions that also serve other missions:\n");
            for (iv, others) in &f.spillovers {
                let names: Vec<String> = others.iter().map(&title).collect();
                let _ = writeln!(s, "- {} — also {}", title(iv), names.join(", "));
            }
            s.push('\n');
        }
    }
    heat_markdown(
        &mut s,
        "Mission × lead department (interventions)",
        &portfolio.departments,
        &portfolio.by_department,
        portfolio,
    );
    heat_markdown(&mut s, "Mission × partner sector (partners)", &portfolio.sectors, &portfolio.by_sector, portfolio);
    let _ = writeln!(s, "## Checks\n");
    if checked.open.is_empty() {
        let _ = writeln!(s, "No findings.");
    }
    for f in &checked.open {
        let _ = writeln!(s, "- **{}** ({}): {} *{}*", f.severity.label(), f.check.group(), md(&f.message), md(&f.fix));
    }
    for (f, reason) in &checked.dismissed {
        let _ = writeln!(s, "- Dismissed: {} — reason: {}", md(&f.message), md(reason));
    }
    s
}

fn heat_markdown(s: &mut String, heading: &str, columns: &[String], rows: &[Vec<Cell>], portfolio: &Portfolio) {
    use std::fmt::Write as _;
    if columns.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {heading}\n");
    let _ = writeln!(s, "| Mission | {} |", columns.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(s, "|---|{}", "---:|".repeat(columns.len()));
    for (f, row) in portfolio.missions.iter().zip(rows) {
        let cells: Vec<String> =
            row.iter().map(|c| if c.cards.is_empty() { String::new() } else { c.cards.len().to_string() }).collect();
        let _ = writeln!(s, "| {} | {} |", md(&f.title), cells.join(" | "));
    }
    s.push('\n');
}

/// Text made safe inside a Markdown table cell: pipes escaped, line breaks flattened.
fn md(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The portfolio as CSV rows: one per mission and figure, for spreadsheets. Each mission's money
/// by year and status (as `missionboard money --format csv` and the Markdown report give it) has
/// a row per year and status with money: dimension "money by year", value "2025-26 committed",
/// the amounts per currency in the budget column; the cards column is left empty.
#[must_use]
pub fn to_csv_rows(map: &MissionMap, portfolio: &Portfolio) -> Vec<[String; 6]> {
    let money = crate::model::money::money(map, None);
    let mut rows = vec![[
        "mission_id".to_owned(),
        "mission".to_owned(),
        "dimension".to_owned(),
        "value".to_owned(),
        "cards".to_owned(),
        "budget".to_owned(),
    ]];
    for f in &portfolio.missions {
        let mut row = |dimension: &str, value: &str, cards: usize, budget: &Money| {
            rows.push([
                f.mission.to_string(),
                f.title.clone(),
                dimension.to_owned(),
                value.to_owned(),
                cards.to_string(),
                budget.0.iter().map(|(c, v)| format!("{v:.2} {c}")).collect::<Vec<_>>().join(" + "),
            ]);
        };
        row("total", "interventions", f.interventions.len(), &f.budget);
        row("total", "sub-missions", f.sub_missions.len(), &Money::default());
        row("total", "not budgeted", f.unbudgeted.len(), &Money::default());
        for (dimension, mixes) in [
            ("instrument", &f.instruments),
            ("stage", &f.stages),
            ("lead department", &f.departments),
            ("partner sector", &f.sectors),
        ] {
            for mix in mixes {
                row(dimension, &mix.label, mix.cards.len(), &mix.budget);
            }
        }
        row("total", "spill-overs", f.spillovers.len(), &Money::default());
        let Some(m) = money.missions.iter().find(|m| m.id == f.mission) else { continue };
        for (year, by) in &m.by_year_status {
            for (status, sum) in [("planned", &by.planned), ("committed", &by.committed), ("spent", &by.spent)] {
                let amounts: Vec<String> =
                    sum.0.iter().filter(|(_, v)| v.abs() >= 0.005).map(|(c, v)| format!("{v:.2} {c}")).collect();
                if amounts.is_empty() {
                    continue;
                }
                rows.push([
                    f.mission.to_string(),
                    f.title.clone(),
                    "money by year".to_owned(),
                    format!("{year} {status}"),
                    String::new(),
                    amounts.join(" + "),
                ]);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::analysis::{portfolio, run_checks};

    #[test]
    fn report_for_the_sample_has_a_section_per_mission() {
        let map = crate::sample::uk_missions();
        let p = portfolio(&map);
        let md = to_markdown(&map, &p, &run_checks(&map));
        assert_eq!(p.missions.len(), 5);
        for m in &p.missions {
            assert!(md.contains(&format!("## {}", m.title)), "{}", m.title);
        }
        assert!(md.contains("| Mission | Sub-missions | Interventions |"));
        assert!(md.contains("Mission × lead department"));
        let rows = to_csv_rows(&map, &p);
        assert_eq!(rows[0][0], "mission_id");
        assert!(rows.len() > 5 * 4, "a row per mission and figure");
    }

    #[test]
    fn table_cells_cannot_break_the_table() {
        assert_eq!(md("a|b\nc"), "a\\|b c");
    }
}
