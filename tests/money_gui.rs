//! The Money panel driven as a person would, through egui_kittest and the accessibility tree:
//! opened from the Analyse menu and the command palette, each mission's bars by year and status,
//! the unfunded list, and a what-if applied as one undo step.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use missionboard::app::MissionboardApp;
use missionboard::model::money::money;
use missionboard::model::{
    BudgetLine, BudgetStatus, BudgetYear, Kind, LinkKind, MissionMap, NodeId, NodeKind, Placement,
};

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// Two missions; "Wealth fund" serves both evenly with £100 committed in 2025-26; "Skills
/// bootcamps" serves only Growth, through "Skills", with £6 planned in 2026-27.
fn money_map() -> MissionMap {
    let mut map = MissionMap::new("Money");
    let cards = [
        ("m1", Kind::Mission, "Growth"),
        ("m2", Kind::Mission, "Clean power"),
        ("s1", Kind::SubMission, "Investment"),
        ("s2", Kind::SubMission, "Grid"),
        ("s3", Kind::SubMission, "Skills"),
        ("i1", Kind::Intervention, "Wealth fund"),
        ("i3", Kind::Intervention, "Skills bootcamps"),
    ];
    for (k, (name, kind, title)) in cards.into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "a few cards")]
        let at = Placement::at(260.0 * (k % 4) as f32, 200.0 * (k / 4) as f32);
        map.add_node(missionboard::model::Node::new(id(name), kind, title), at).unwrap();
    }
    for (from, to) in [("s1", "m1"), ("s2", "m2"), ("s3", "m1"), ("i1", "s1"), ("i1", "s2"), ("i3", "s3")] {
        map.connect(&id(from), &id(to), LinkKind::ContributesTo).unwrap();
    }
    let give = |map: &mut MissionMap, card: &str, amount: f64, year: &str, status: BudgetStatus| {
        map.update_node(&id(card), |n| {
            if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
                budget_lines.push(BudgetLine { year: BudgetYear::parse(year), status, ..BudgetLine::new(amount) });
            }
        })
        .unwrap();
    };
    give(&mut map, "i1", 100.0, "2025-26", BudgetStatus::Committed);
    give(&mut map, "i3", 6.0, "2026-27", BudgetStatus::Planned);
    map
}

fn harness(map: MissionMap) -> Harness<'static, MissionboardApp> {
    common::window(map)
}

/// Picks `choice` in the combo box whose accessible label starts with `label`.
fn choose(h: &mut Harness<'_, MissionboardApp>, label: &str, choice: &str) {
    h.get_all_by_role(egui::accesskit::Role::ComboBox)
        .find(|n| n.accesskit_node().label().is_some_and(|l| l.starts_with(label)))
        .unwrap()
        .focus();
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(2);
    h.get_by_label(choice).click();
    h.run_steps(3);
}

/// Fills the what-if: `amount` from the wealth fund to the bootcamps.
fn move_fund_to_bootcamps(h: &mut Harness<'_, MissionboardApp>, amount: &str) {
    h.get_by_label("Amount to move").focus();
    h.run_steps(1);
    h.get_by_label("Amount to move").type_text(amount);
    h.run_steps(2);
    choose(h, "From intervention", "Wealth fund");
    choose(h, "To intervention", "Skills bootcamps");
}

fn growth_gbp(map: &MissionMap) -> f64 {
    money(map, None).missions[0].total.get("GBP")
}

#[test]
fn the_money_panel_shows_bars_by_year_the_unfunded_and_applies_a_what_if_as_one_undo_step() {
    let map = money_map();
    let mut h = harness(map.clone());
    h.get_by_label("Analyse").click();
    h.run_steps(2);
    h.get_by_label("Money…").click();
    h.run_steps(3);
    assert!(h.state().money_open());
    // Growth gets half of the wealth fund's £100 (committed, 2025-26) and the bootcamps' £6.
    h.get_by_label("Money by year, GBP, Growth: 2025-26: committed £50; 2026-27: planned £6");
    h.get_by_label("Money by year, GBP, Clean power: 2025-26: committed £50");
    // Skills has only planned money: unfunded; a click shows it.
    h.get_by_label("Show card: Skills").click();
    h.run_steps(3);
    assert_eq!(h.state().selection().nodes.iter().collect::<Vec<_>>(), vec![&id("s3")]);

    // What if £30 of the wealth fund went to the bootcamps? Growth: 56 - 15 + 30 = 71;
    // Clean power: 50 - 15 = 35.
    move_fund_to_bootcamps(&mut h, "30");
    h.get_by_label("Change for Growth: +£15");
    h.get_by_label("Change for Clean power: \u{2212}£15");
    h.get_by_label_contains("Growth: would fund Skills");
    assert_eq!(h.state().map(), &map, "a what-if changes nothing until applied");
    // Reached by keyboard: it may be below the fold of the panel.
    press(&mut h, "Apply the move");
    assert!((growth_gbp(h.state().map()) - 71.0).abs() < 1e-9);
    // Half of the fund's £70 left (35) and the £30 moved to the bootcamps, in 2025-26.
    h.get_by_label("Money by year, GBP, Growth: 2025-26: committed £65; 2026-27: planned £6");
    // One undo step puts it all back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!((growth_gbp(h.state().map()) - 56.0).abs() < 1e-9);
    assert_eq!(h.state().map().nodes().collect::<Vec<_>>(), map.nodes().collect::<Vec<_>>());
}

#[test]
fn the_money_panel_is_in_the_command_palette_and_says_why_a_move_cannot_be_made() {
    let mut h = harness(money_map());
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    h.get_by_label("Command").type_text("money");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(h.state().money_open());
    move_fund_to_bootcamps(&mut h, "500");
    h.get_by_label_contains("has only £100 of planned or committed money");
    assert!(h.query_by_label("Apply the move").is_none());
}

fn lines_of(h: &Harness<'_, MissionboardApp>, card: &str) -> Vec<BudgetLine> {
    let NodeKind::Intervention { budget_lines, .. } = &h.state().map().node(&id(card)).unwrap().kind else { panic!() };
    budget_lines.clone()
}

/// Replaces the text of the field named `label` with `text`.
fn retype(h: &mut Harness<'_, MissionboardApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label(label).type_text(text);
    h.run_steps(2);
}

fn press(h: &mut Harness<'_, MissionboardApp>, label: &str) {
    h.get_by_label(label).focus();
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(3);
}

#[test]
fn the_inspector_edits_budget_lines_as_a_table_and_each_edit_can_be_undone() {
    let mut h = harness(money_map());
    h.get_by_label("Intervention: Skills bootcamps").click();
    h.run_steps(3);
    assert_eq!(h.get_by_label("Budget line 1: amount").accesskit_node().value().as_deref(), Some("6"));
    press(&mut h, "Add a budget line");
    let lines = lines_of(&h, "i3");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].year, BudgetYear::parse("2026-27"), "a new line takes the last line's year");
    assert!(!lines[1].id.to_string().is_empty(), "it gets an id for merging");
    retype(&mut h, "Budget line 2: amount", "1.5m");
    retype(&mut h, "Budget line 2: year", "2027/28");
    retype(&mut h, "Budget line 2: from", "DfE");
    let l = &lines_of(&h, "i3")[1];
    assert_eq!((l.amount, l.year.map(BudgetYear::text).as_deref(), l.source.as_str()), (1.5e6, Some("2027-28"), "DfE"));
    // A year that is not one is refused, said in red, and the line keeps its year.
    retype(&mut h, "Budget line 2: year", "next year");
    h.get_by_label_contains("Not a year: write a financial year such as 2025-26");
    assert_eq!(lines_of(&h, "i3")[1].year, BudgetYear::parse("2027-28"));
    press(&mut h, "Budget line 2: status");
    h.get_by_label("Committed").click();
    h.run_steps(3);
    assert_eq!(lines_of(&h, "i3")[1].status, BudgetStatus::Committed);
    press(&mut h, "Delete budget line 1");
    assert_eq!(lines_of(&h, "i3").len(), 1);
    assert_eq!(lines_of(&h, "i3")[0].amount, 1.5e6);
    // Undo brings the deleted line back.
    h.get_by_label("Undo").click();
    h.run_steps(3);
    let lines = lines_of(&h, "i3");
    assert_eq!(lines.iter().map(|l| l.amount).collect::<Vec<_>>(), [6.0, 1.5e6]);
}
