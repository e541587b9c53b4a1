//! What-if moves on the two-mission map of the roll-up tests, totals worked out by hand:
//! m1 ← s1 ← i1; m2 ← s2 ← i1 and i2; i1 splits evenly between the two missions.

use super::super::tests::{give, id, line, near, two_missions};
use super::*;
use crate::model::Budget;

fn total(w: &WhatIf, m: &str) -> (f64, f64) {
    let c = w.missions.iter().find(|c| c.before.id.as_str() == m).unwrap();
    (c.before.total.get("GBP"), c.after.total.get("GBP"))
}

/// i1: 100 planned and 40 committed in 2025-26; i2: 10 spent in 2026.
/// Before: m1 = 140 / 2 = 70; m2 = 70 + 10 = 80.
fn funded() -> MissionMap {
    let mut map = two_missions();
    give(
        &mut map,
        "i1",
        vec![
            line(100.0, "GBP", "2025-26", BudgetStatus::Planned),
            line(40.0, "GBP", "2025-26", BudgetStatus::Committed),
        ],
    );
    give(&mut map, "i2", vec![line(10.0, "GBP", "2026", BudgetStatus::Spent)]);
    map
}

#[test]
fn amounts_are_read_with_their_units() {
    assert_eq!(parse_amount("25m"), Some(25e6));
    assert_eq!(parse_amount("1.5bn"), Some(1.5e9));
    assert_eq!(parse_amount("300k"), Some(3e5));
    assert_eq!(parse_amount("300K"), Some(3e5));
    assert_eq!(parse_amount("2,500,000"), Some(2.5e6));
    assert_eq!(parse_amount("42"), Some(42.0));
    for bad in ["", "0", "-5", "abc", "m", "1e400", "NaN", "inf"] {
        assert_eq!(parse_amount(bad), None, "{bad}");
    }
}

#[test]
fn moves_are_read_with_currencies_and_years() {
    let mv = Move::parse("25m:i12->i30").unwrap();
    assert_eq!((mv.amount, mv.currency.as_deref()), (25e6, None));
    assert_eq!((mv.from.as_str(), mv.to.as_str(), mv.from_year, mv.to_year), ("i12", "i30", None, None));
    let mv = Move::parse("300k:i12@2025-26->@2026-27").unwrap();
    assert_eq!(mv.to.as_str(), "i12", "a year alone moves within the same intervention");
    assert_eq!(mv.from_year.map(BudgetYear::text).as_deref(), Some("2025-26"));
    assert_eq!(mv.to_year.map(BudgetYear::text).as_deref(), Some("2026-27"));
    assert_eq!(Move::parse("£1.5bn:i1->i2").unwrap().currency.as_deref(), Some("GBP"));
    assert_eq!(Move::parse("5m eur:i1->i2").unwrap().currency.as_deref(), Some("EUR"));
    assert!(matches!(Move::parse("25m i12 i30"), Err(MoveError::BadText(_))));
    assert!(matches!(Move::parse("lots:i1->i2"), Err(MoveError::BadAmount(_))));
    assert!(matches!(Move::parse("5:i1@20x->i2"), Err(MoveError::BadYear(_))));
}

#[test]
fn a_move_draws_planned_money_first_and_keeps_the_total() {
    let map = funded();
    // 120 from i1: all 100 planned, then 20 of the 40 committed. i1 keeps 20 committed, so
    // m1 = 20 / 2 = 10; m2 = 10 (i1's half) + 10 (spent) + 100 + 20 (moved to i2) = 140.
    let w = what_if(&map, &Move::parse("120:i1->i2").unwrap(), None).unwrap();
    assert_eq!(total(&w, "m1"), (70.0, 10.0));
    assert_eq!(total(&w, "m2"), (80.0, 140.0));
    let m2 = &w.missions[1].after;
    assert!(near(m2.by_status.planned.get("GBP"), 100.0));
    assert!(near(m2.by_status.committed.get("GBP"), 10.0 + 20.0));
    assert!(near(m2.by_status.spent.get("GBP"), 10.0));
    assert_eq!(w.nodes.len(), 2);
    let lines = |n: &Node| lines_of(n).iter().map(|l| (l.amount, l.status)).collect::<Vec<_>>();
    assert_eq!(lines(&w.nodes[0]), [(20.0, BudgetStatus::Committed)], "the emptied planned line is gone");
    assert_eq!(
        lines(&w.nodes[1]),
        [(10.0, BudgetStatus::Spent), (100.0, BudgetStatus::Planned), (20.0, BudgetStatus::Committed)]
    );
    assert_eq!(map, funded(), "a what-if never changes the map");
}

#[test]
fn a_move_between_years_keeps_every_mission_total_and_moves_the_year() {
    let map = funded();
    // 30 of i1's 2025-26 planned money to 2027: m1 gets half of each: 2025-26 = 110 / 2 = 55,
    // 2027 = 15; its total stays 70.
    let w = what_if(&map, &Move::parse("30:i1@2025-26->@2027").unwrap(), None).unwrap();
    assert_eq!(total(&w, "m1"), (70.0, 70.0));
    let after = &w.missions[0].after;
    assert!(near(after.by_year["2025-26"].get("GBP"), 55.0));
    assert!(near(after.by_year["2027"].get("GBP"), 15.0));
    assert_eq!(w.nodes.len(), 1);
    // Counting 2025-26 alone, m1 loses 15.
    let w = what_if(&map, &Move::parse("30:i1@2025-26->@2027").unwrap(), BudgetYear::parse("2025-26")).unwrap();
    assert_eq!(total(&w, "m1"), (70.0, 55.0));
}

#[test]
fn a_move_refuses_what_it_cannot_do() {
    let map = funded();
    let err = |text: &str| what_if(&map, &Move::parse(text).unwrap(), None).unwrap_err();
    // Spent money does not move: i1 has 140 to move, i2 none.
    let e = err("150:i1->i2");
    assert!(matches!(&e, MoveError::NotEnough { have, .. } if have == "£140"), "{e}");
    assert!(matches!(err("5:i2->i1"), MoveError::NotEnough { .. }));
    assert!(matches!(err("5:i1@2026->i2"), MoveError::NotEnough { .. }), "i1 has nothing in 2026");
    assert!(matches!(err("5:i1->i1"), MoveError::Nowhere));
    assert!(matches!(err("5:i1->s1"), MoveError::NotIntervention(_)));
    assert!(matches!(err("5:i1->nobody"), MoveError::NoSuchCard(_)));
}

#[test]
fn a_move_asks_which_currency_when_the_source_has_several() {
    let mut map = funded();
    give(
        &mut map,
        "i2",
        vec![line(10.0, "GBP", "2026", BudgetStatus::Planned), line(8.0, "EUR", "2026", BudgetStatus::Planned)],
    );
    assert!(matches!(moved(&map, &Move::parse("5:i2->i1").unwrap()), Err(MoveError::WhichCurrency { .. })));
    // 8 EUR all to i1: m1 gets half of it, m2 the other half; GBP untouched.
    let w = what_if(&map, &Move::parse("8 EUR:i2->i1").unwrap(), None).unwrap();
    let m1 = &w.missions[0];
    assert!(near(m1.after.total.get("EUR"), 4.0) && near(m1.before.total.get("EUR"), 0.0));
    assert!(near(w.missions[1].after.total.get("EUR"), 4.0));
    assert!(near(m1.after.total.get("GBP"), m1.before.total.get("GBP")));
}

#[test]
fn the_old_single_budget_can_be_moved_and_goes_when_empty() {
    let mut map = two_missions();
    map.update_node(&id("i2"), |n| {
        if let NodeKind::Intervention { budget, .. } = &mut n.kind {
            *budget = Some(Budget { amount: 12.0, currency: "USD".to_owned(), period: String::new() });
        }
    })
    .unwrap();
    let nodes = moved(&map, &Move::parse("12:i2->i1").unwrap()).unwrap();
    assert!(matches!(&nodes[0].kind, NodeKind::Intervention { budget: None, .. }));
    let l = &lines_of(&nodes[1])[0];
    assert_eq!((l.amount, l.currency.as_str(), l.status), (12.0, "USD", BudgetStatus::Planned));
}
