//! Money in the portfolio report and the board pack: each mission's bar per year stacked by
//! status and the table under it, read back from the Markdown and (with poppler's pdftotext)
//! from the PDF.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use missionboard::export::pack::{PackOptions, board_pack};
use missionboard::export::report::{to_csv_rows, to_markdown};
use missionboard::model::analysis::{portfolio, run_checks};
use missionboard::model::{
    BudgetLine, BudgetStatus, BudgetYear, Kind, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement,
};

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// One mission served by a sub-mission and two interventions: £40m committed and £10m spent in
/// 2025-26 and £30m planned in 2026-27 (the wealth fund); €5m spent in 2026 (the bootcamps).
fn money_map() -> MissionMap {
    let mut map = MissionMap::new("Money board");
    for (name, kind, title) in [
        ("m1", Kind::Mission, "Growth"),
        ("s1", Kind::SubMission, "Investment"),
        ("i1", Kind::Intervention, "Wealth fund"),
        ("i2", Kind::Intervention, "Skills bootcamps"),
    ] {
        map.add_node(Node::new(id(name), kind, title), Placement::default()).unwrap();
    }
    for (from, to) in [("s1", "m1"), ("i1", "s1"), ("i2", "s1")] {
        map.connect(&id(from), &id(to), LinkKind::ContributesTo).unwrap();
    }
    let line = |amount: f64, currency: &str, year: &str, status| BudgetLine {
        currency: currency.to_owned(),
        year: BudgetYear::parse(year),
        status,
        ..BudgetLine::new(amount)
    };
    let lines = [
        ("i1", line(40e6, "GBP", "2025-26", BudgetStatus::Committed)),
        ("i1", line(10e6, "GBP", "2025-26", BudgetStatus::Spent)),
        ("i1", line(30e6, "GBP", "2026-27", BudgetStatus::Planned)),
        ("i2", line(5e6, "EUR", "2026", BudgetStatus::Spent)),
    ];
    for (card, l) in lines {
        map.update_node(&id(card), |n| {
            if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
                budget_lines.push(l);
            }
        })
        .unwrap();
    }
    map
}

#[test]
fn the_portfolio_report_shows_each_missions_money_by_year_and_status() {
    let map = money_map();
    let md = to_markdown(&map, &portfolio(&map), &run_checks(&map));
    let growth = md.split("## Growth").nth(1).unwrap();
    assert!(growth.contains("█ spent, ▓ committed, ░ planned"), "{growth}");
    // 2025-26 is the tallest bar: 10 of 50 spent (6 of 30 characters), 40 committed (24).
    let bar = format!("2025-26  {}{} £50m", "█".repeat(6), "▓".repeat(24));
    assert!(growth.contains(&bar), "{bar:?} in {growth}");
    assert!(growth.contains(&format!("2026-27  {} £30m", "░".repeat(18))), "{growth}");
    assert!(growth.contains(&format!("2026     {} €5m", "█".repeat(30))), "euros on their own scale: {growth}");
    assert!(growth.contains("| 2025-26 | — | £40m | £10m | £50m |"), "{growth}");
    assert!(growth.contains("| **All years** | £30m | £40m | €5m + £10m | €5m + £80m |"), "{growth}");
}

#[test]
fn the_portfolio_csv_carries_the_same_money_by_year_and_status() {
    let map = money_map();
    let rows = to_csv_rows(&map, &portfolio(&map));
    let money: Vec<[&str; 3]> = rows
        .iter()
        .filter(|r| r[2] == "money by year")
        .map(|r| {
            assert_eq!((r[0].as_str(), r[1].as_str(), r[4].as_str()), ("m1", "Growth", ""));
            [r[2].as_str(), r[3].as_str(), r[5].as_str()]
        })
        .collect();
    // The figures of `missionboard money --format csv`: a row per year and status with money.
    assert_eq!(
        money,
        [
            ["money by year", "2025-26 committed", "40000000.00 GBP"],
            ["money by year", "2025-26 spent", "10000000.00 GBP"],
            ["money by year", "2026 spent", "5000000.00 EUR"],
            ["money by year", "2026-27 planned", "30000000.00 GBP"],
        ]
    );
}

#[test]
fn the_board_pack_mission_page_shows_the_money_bars_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.pdf");
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    std::fs::write(&path, board_pack(&money_map(), &PackOptions { on, since: None }).unwrap()).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-f", "3", "-l", "3", "-raw"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the pack back; bash .ci/run installs it");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Money: €5m + £80m",
        // The bars' totals and years, then the legend.
        "£50m",
        "£30m",
        "2025-26",
        "2026-27",
        "spent",
        "committed",
        "planned",
        "Year Planned Committed Spent Total",
        "2025-26 — £40m £10m £50m",
        "2026-27 £30m — — £30m",
        "Top risks",
        "Decisions taken",
    ] {
        assert!(text.contains(want), "page 3 lacks {want:?}: {text}");
    }
}
