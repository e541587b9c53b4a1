//! One test per roll-up rule, on small maps whose totals are worked out by hand.

use super::*;
use crate::model::{Budget, LinkKind, Placement};

pub(super) fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

pub(super) fn card(map: &mut MissionMap, name: &str, kind: Kind) {
    map.add_node(Node::new(id(name), kind, format!("Card {name}")), Placement::default()).unwrap();
}

pub(super) fn line(amount: f64, currency: &str, year: &str, status: BudgetStatus) -> BudgetLine {
    BudgetLine {
        currency: currency.to_owned(),
        year: BudgetYear::parse(year),
        status,
        source: "HM Treasury".to_owned(),
        ..BudgetLine::new(amount)
    }
}

pub(super) fn give(map: &mut MissionMap, name: &str, lines: Vec<BudgetLine>) {
    map.update_node(&id(name), |n| {
        if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
            *budget_lines = lines;
        }
    })
    .unwrap();
}

/// Two missions m1 and m2, each with a sub-mission (s1, s2); intervention i1 serves both
/// sub-missions, i2 serves only s2.
pub(super) fn two_missions() -> MissionMap {
    let mut map = MissionMap::new("Money");
    for (name, kind) in [
        ("m1", Kind::Mission),
        ("m2", Kind::Mission),
        ("s1", Kind::SubMission),
        ("s2", Kind::SubMission),
        ("i1", Kind::Intervention),
        ("i2", Kind::Intervention),
    ] {
        card(&mut map, name, kind);
    }
    for (from, to) in [("s1", "m1"), ("s2", "m2"), ("i1", "s1"), ("i1", "s2"), ("i2", "s2")] {
        map.connect(&id(from), &id(to), LinkKind::ContributesTo).unwrap();
    }
    map
}

pub(super) fn mission<'a>(r: &'a MoneyReport, m: &str) -> &'a MissionMoney {
    r.missions.iter().find(|x| x.id.as_str() == m).unwrap()
}

pub(super) fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn a_shared_intervention_splits_evenly_without_weights() {
    let mut map = two_missions();
    give(&mut map, "i1", vec![line(100.0, "GBP", "2025-26", BudgetStatus::Planned)]);
    let r = money(&map, None);
    assert!(near(mission(&r, "m1").total.get("GBP"), 50.0));
    assert!(near(mission(&r, "m2").total.get("GBP"), 50.0));
    let i1 = r.interventions.iter().find(|i| i.id.as_str() == "i1").unwrap();
    assert_eq!(i1.split, Split::Even);
    assert_eq!(mission(&r, "m1").shares[0].split, Split::Even);
}

#[test]
fn a_shared_intervention_splits_by_link_weight() {
    let mut map = two_missions();
    give(&mut map, "i1", vec![line(100.0, "GBP", "2025-26", BudgetStatus::Planned)]);
    let to_s2 = map.links().find(|l| l.from.as_str() == "i1" && l.to.as_str() == "s2").unwrap().clone();
    map.replace_link(crate::model::Link { weight: Some(3.0), ..to_s2 }).unwrap();
    let r = money(&map, None);
    assert!(near(mission(&r, "m1").total.get("GBP"), 25.0), "{:?}", mission(&r, "m1").total);
    assert!(near(mission(&r, "m2").total.get("GBP"), 75.0));
    assert_eq!(r.interventions[0].split, Split::ByWeight);
}

#[test]
fn currencies_are_never_added_together() {
    let mut map = two_missions();
    give(
        &mut map,
        "i2",
        vec![line(10.0, "GBP", "2026", BudgetStatus::Spent), line(7.0, "EUR", "2026", BudgetStatus::Spent)],
    );
    let r = money(&map, None);
    let m2 = mission(&r, "m2");
    assert_eq!(m2.total.0.len(), 2);
    assert!(near(m2.total.get("GBP"), 10.0));
    assert!(near(m2.total.get("EUR"), 7.0));
    assert!(mission(&r, "m1").total.is_zero(), "i2 does not serve m1");
}

#[test]
fn years_in_both_styles_are_kept_apart_and_the_year_filter_uses_them() {
    let mut map = two_missions();
    give(
        &mut map,
        "i2",
        vec![
            line(10.0, "GBP", "2025-26", BudgetStatus::Planned),
            line(20.0, "GBP", "2025/26", BudgetStatus::Planned),
            line(5.0, "GBP", "2026", BudgetStatus::Planned),
        ],
    );
    let r = money(&map, None);
    let by_year = &mission(&r, "m2").by_year;
    assert_eq!(by_year.keys().collect::<Vec<_>>(), ["2025-26", "2026"]);
    assert!(near(by_year["2025-26"].get("GBP"), 30.0));
    assert!(near(by_year["2026"].get("GBP"), 5.0));
    let only = money(&map, BudgetYear::parse("2026"));
    assert!(near(mission(&only, "m2").total.get("GBP"), 5.0));
    assert_eq!(only.interventions.iter().find(|i| i.id.as_str() == "i2").unwrap().lines.len(), 1);
}

#[test]
fn statuses_are_summed_apart_and_only_committed_or_spent_money_funds() {
    let mut map = two_missions();
    give(&mut map, "i1", vec![line(40.0, "GBP", "2026", BudgetStatus::Planned)]);
    give(
        &mut map,
        "i2",
        vec![line(8.0, "GBP", "2026", BudgetStatus::Committed), line(2.0, "GBP", "2026", BudgetStatus::Spent)],
    );
    let r = money(&map, None);
    let m2 = mission(&r, "m2");
    assert!(near(m2.by_status.planned.get("GBP"), 20.0));
    assert!(near(m2.by_status.committed.get("GBP"), 8.0));
    assert!(near(m2.by_status.spent.get("GBP"), 2.0));
    assert!(m2.unfunded.is_empty(), "i2's committed money reaches s2");
    assert_eq!(mission(&r, "m1").unfunded, vec![id("s1")], "s1 has only planned money");
    // In a year with no money, s2 is unfunded too.
    assert_eq!(mission(&money(&map, BudgetYear::parse("2027")), "m2").unfunded, vec![id("s2")]);
}

#[test]
fn the_old_single_budget_is_one_planned_line_with_no_year() {
    let mut map = two_missions();
    map.update_node(&id("i2"), |n| {
        if let NodeKind::Intervention { budget, .. } = &mut n.kind {
            *budget = Some(Budget { amount: 12.0, currency: "USD".to_owned(), period: "per year".to_owned() });
        }
    })
    .unwrap();
    let r = money(&map, None);
    let m2 = mission(&r, "m2");
    assert!(near(m2.by_status.planned.get("USD"), 12.0));
    assert!(near(m2.by_year[NO_YEAR].get("USD"), 12.0));
    assert_eq!(m2.unfunded, vec![id("s2")]);
    let i2 = r.interventions.iter().find(|i| i.id.as_str() == "i2").unwrap();
    assert_eq!(i2.lines[0].id, LEGACY_LINE_ID);
    assert_eq!(i2.lines[0].status, "planned");
    assert!(money(&map, BudgetYear::parse("2026")).missions.iter().all(|m| m.total.is_zero()));
}

#[test]
fn mission_totals_add_up_to_the_lines_that_reach_a_mission() {
    let mut map = two_missions();
    card(&mut map, "i9", Kind::Intervention);
    give(&mut map, "i9", vec![line(1000.0, "GBP", "2026", BudgetStatus::Spent)]);
    give(&mut map, "i1", vec![line(33.0, "GBP", "2026", BudgetStatus::Planned)]);
    give(&mut map, "i2", vec![line(17.0, "GBP", "2026", BudgetStatus::Planned)]);
    let r = money(&map, None);
    let sum: f64 = r.missions.iter().map(|m| m.total.get("GBP")).sum();
    assert!(near(sum, 50.0), "{sum}");
    let i9 = r.interventions.iter().find(|i| i.id.as_str() == "i9").unwrap();
    assert_eq!(i9.split, Split::NoMission);
    assert_eq!(i9.lines.len(), 1, "an intervention that serves no mission still lists its lines");
}
