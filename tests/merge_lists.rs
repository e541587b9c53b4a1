//! Merging copies of the sample as a person does, on the command line: every list item survives,
//! nothing is dropped without a conflict, and conflicts travel with the file until settled.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers outside #[test] functions may panic")]

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};

use chrono::NaiveDate;
use missionboard::command::{Command, Document};
use missionboard::model::{
    Decision, DecisionKind, Indicator, Kind, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement, Reading,
};

fn bin() -> Process {
    Process::new(env!("CARGO_BIN_EXE_missionboard"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn nid(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

fn sample() -> MissionMap {
    missionboard::io::load_str(missionboard::sample::UK_MISSIONS).unwrap().map
}

/// Writes a copy of the sample edited as the editor edits it (through commands).
fn copy(dir: &Path, name: &str, edit: impl FnOnce(&mut Document)) -> PathBuf {
    let mut doc = Document::new(sample());
    edit(&mut doc);
    let path = dir.join(name);
    missionboard::io::save_path(doc.map(), &path).unwrap();
    path
}

/// Changes one card as the inspector does: a whole new card in one command.
fn change(doc: &mut Document, id: &str, f: impl FnOnce(&mut Node)) {
    let mut node = doc.map().node(&nid(id)).unwrap().clone();
    f(&mut node);
    doc.apply("edit", Command::UpdateNode(node)).unwrap();
}

fn decisions(map: &MissionMap, id: &str) -> Vec<Decision> {
    match &map.node(&nid(id)).unwrap().kind {
        NodeKind::Intervention { decisions, .. } => decisions.clone(),
        _ => panic!("{id} is not an intervention"),
    }
}

fn indicators(map: &MissionMap, id: &str) -> Vec<Indicator> {
    match &map.node(&nid(id)).unwrap().kind {
        NodeKind::SubMission { indicators, .. } => indicators.clone(),
        _ => panic!("{id} is not a sub-mission"),
    }
}

fn with_indicators(doc: &mut Document, id: &str, f: impl FnOnce(&mut Vec<Indicator>)) {
    change(doc, id, |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            f(indicators);
        }
    });
}

fn record_decision(doc: &mut Document, id: &str, date: NaiveDate, why: &str) {
    change(doc, id, |n| {
        if let NodeKind::Intervention { decisions, .. } = &mut n.kind {
            decisions.push(Decision {
                id: missionboard::model::ItemId::default(),
                date,
                decision: DecisionKind::Continue,
                who: String::new(),
                why: why.to_owned(),
            });
        }
    });
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

/// A sub-mission of the sample with at least two indicators, the first with two readings or more.
fn measured_sub_mission(map: &MissionMap) -> String {
    map.sorted_nodes()
        .into_iter()
        .find(|n| match &n.kind {
            NodeKind::SubMission { indicators, .. } => indicators.len() >= 2 && indicators[0].readings.len() >= 2,
            _ => false,
        })
        .map(|n| n.id.to_string())
        .expect("the sample has a sub-mission with two indicators and readings")
}

struct Merge {
    code: Option<i32>,
    out: String,
    map: MissionMap,
    path: PathBuf,
}

fn merge(dir: &Path, ours: &Path, theirs: &Path) -> Merge {
    let base = dir.join("base.mission.ron");
    std::fs::write(&base, missionboard::sample::UK_MISSIONS).unwrap();
    let path = dir.join("merged.mission.ron");
    let out = run(&["merge", p(&base), p(ours), p(theirs), "-o", p(&path)]);
    let map = missionboard::io::load_path(&path).unwrap().map;
    Merge { code: out.status.code(), out: text(&out), map, path }
}

#[test]
fn two_decisions_on_one_day_and_theirs_on_another_all_survive() {
    let dir = tempfile::tempdir().unwrap();
    let before = decisions(&sample(), "i1").len();
    let ours = copy(dir.path(), "ours.mission.ron", |d| {
        record_decision(d, "i1", day(5), "");
        record_decision(d, "i1", day(5), "");
    });
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| record_decision(d, "i1", day(1), "Agreed at board 4"));
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    let got = decisions(&m.map, "i1");
    assert_eq!(got.len(), before + 3, "base's, both of ours and theirs: {got:#?}\n{}", m.out);
    assert_eq!(got.iter().filter(|d| d.date == day(5)).count(), 2);
    assert!(got.iter().any(|d| d.why == "Agreed at board 4"));
    // Ours first, then theirs' new one where they put it (at the end).
    assert_eq!(got.last().unwrap().why, "Agreed at board 4");
}

#[test]
fn each_side_deleting_a_different_reading_merges_cleanly_with_their_other_edits() {
    let dir = tempfile::tempdir().unwrap();
    let s = measured_sub_mission(&sample());
    let readings = indicators(&sample(), &s)[0].readings.clone();
    let ours = copy(dir.path(), "ours.mission.ron", |d| with_indicators(d, &s, |i| drop(i[0].readings.remove(0))));
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| {
        with_indicators(d, &s, |i| drop(i[0].readings.remove(1)));
        change(d, &s, |n| n.title.push_str(" (revised)"));
    });
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    let got = &indicators(&m.map, &s)[0].readings;
    assert_eq!(got.len(), readings.len() - 2, "both deletions land: {got:#?}");
    assert!(!got.contains(&readings[0]) && !got.contains(&readings[1]));
    assert!(m.map.node(&nid(&s)).unwrap().title.ends_with(" (revised)"), "theirs' other edit is kept");
}

#[test]
fn both_renaming_one_indicator_differently_is_one_conflict_and_check_fails_until_settled() {
    let dir = tempfile::tempdir().unwrap();
    let s = measured_sub_mission(&sample());
    let count = indicators(&sample(), &s).len();
    let ours = copy(dir.path(), "ours.mission.ron", |d| with_indicators(d, &s, |i| i[0].name = "Ours".to_owned()));
    let theirs =
        copy(dir.path(), "theirs.mission.ron", |d| with_indicators(d, &s, |i| i[0].name = "Theirs".to_owned()));
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(1), "{}", m.out);
    assert!(m.out.contains("indicator") && m.out.contains("\u{201c}Ours\u{201d}"), "{}", m.out);
    let got = indicators(&m.map, &s);
    assert_eq!(got.len(), count, "still one indicator, not two");
    assert_eq!(got[0].name, "Ours", "the file keeps ours");
    assert_eq!(m.map.unresolved.len(), 1, "the conflict travels with the file");

    // `git add` cannot slip it through: check fails and names it.
    let out = run(&["check", p(&m.path)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("Merge conflict not settled"), "{}", text(&out));

    // Settling it takes theirs and removes the record.
    let out = run(&["resolve", p(&m.path), "--keep", "theirs"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let settled = missionboard::io::load_path(&m.path).unwrap().map;
    assert_eq!(indicators(&settled, &s)[0].name, "Theirs");
    assert!(settled.unresolved.is_empty());
    let out = run(&["check", p(&m.path)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn both_adding_an_indicator_with_one_name_keep_two_and_tags_merge_as_sets() {
    let dir = tempfile::tempdir().unwrap();
    let s = measured_sub_mission(&sample());
    let count = indicators(&sample(), &s).len();
    let add = |d: &mut Document, unit: &str| {
        with_indicators(d, &s, |i| {
            i.push(Indicator { name: "New indicator".to_owned(), unit: unit.to_owned(), ..Indicator::default() });
        });
    };
    let ours = copy(dir.path(), "ours.mission.ron", |d| {
        add(d, "%");
        change(d, "i1", |n| n.tags = vec!["finance".to_owned(), "ours".to_owned()]);
    });
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| {
        add(d, "GW");
        change(d, "i1", |n| n.tags = vec!["finance".to_owned(), "theirs".to_owned()]);
    });
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    let got = indicators(&m.map, &s);
    assert_eq!(got.len(), count + 2, "two indicators, not one blended");
    let units: Vec<&str> = got.iter().filter(|i| i.name == "New indicator").map(|i| i.unit.as_str()).collect();
    assert_eq!(units, ["%", "GW"]);
    assert_eq!(m.map.node(&nid("i1")).unwrap().tags, ["finance", "ours", "theirs"]);
}

#[test]
fn a_link_to_a_card_the_other_side_deleted_is_a_conflict_not_a_silent_drop() {
    let dir = tempfile::tempdir().unwrap();
    let ours = copy(dir.path(), "ours.mission.ron", |d| {
        d.apply("delete", Command::RemoveNodes(vec![nid("i4")])).unwrap();
    });
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| {
        let partner = d.map().sorted_nodes().into_iter().find(|n| n.kind() == Kind::Partner).unwrap().id.clone();
        let id = d.fresh_link_id();
        let mut link = missionboard::model::Link::new(id, partner, nid("i4"), LinkKind::Delivers);
        link.rationale = "They deliver it".to_owned();
        d.apply("link", Command::AddLink(link)).unwrap();
    });
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(1), "a merge that cannot keep the link says so: {}", m.out);
    assert!(!m.map.contains_node(&nid("i4")), "the file keeps ours (the card deleted)");
    assert!(!m.map.unresolved.is_empty());
    let out = run(&["resolve", p(&m.path), "--keep", "theirs"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let settled = missionboard::io::load_path(&m.path).unwrap().map;
    assert!(settled.contains_node(&nid("i4")), "taking theirs brings the card back");
    assert!(settled.links_to(&nid("i4")).any(|l| l.rationale == "They deliver it"), "and the link with it");
}

#[test]
fn the_summary_counts_actions_and_tolerances() {
    let dir = tempfile::tempdir().unwrap();
    let ours = copy(dir.path(), "ours.mission.ron", |_| {});
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| {
        let mut actions = d.map().actions.clone();
        actions.push(missionboard::model::ActionItem { what: "Write to HMT".to_owned(), ..Default::default() });
        d.apply("action", Command::SetActions(actions)).unwrap();
    });
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    assert!(m.out.contains("1 action added"), "{}", m.out);
    assert!(!m.out.contains("no changes"), "{}", m.out);
}

#[test]
fn a_file_whose_lists_nobody_changed_saves_as_it_was_and_new_items_keep_their_ids() {
    let text = missionboard::sample::UK_MISSIONS;
    let map = missionboard::io::load_str(text).unwrap().map;
    assert_eq!(missionboard::io::to_string(&map), text, "byte for byte, still format 2");
    assert!(text.starts_with("(\n    version: 2,"), "{}", &text[..40]);
    let mut doc = Document::new(map);
    record_decision(&mut doc, "i1", day(5), "");
    let saved = missionboard::io::to_string(doc.map());
    assert!(saved.starts_with("(\n    version: 3,"), "ids written: format 3");
    let again = missionboard::io::load_str(&saved).unwrap().map;
    assert_eq!(decisions(&again, "i1"), decisions(doc.map(), "i1"), "ids survive a save");
    assert_eq!(missionboard::io::to_string(&again), saved);
}

#[test]
fn copies_handed_out_merge_back_naming_only_ours_and_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let board = dir.path().join("uk.mission.ron");
    std::fs::write(&board, missionboard::sample::UK_MISSIONS).unwrap();
    let data = dir.path().join("data");
    let out = bin().args(["handout", p(&board), "--copies", "2"]).env("XDG_DATA_HOME", &data).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let group = |n: u32| dir.path().join("uk copies").join(format!("uk (Group {n}).mission.ron"));
    let edit = |path: &Path, title: &str| {
        let mut map = missionboard::io::load_path(path).unwrap().map;
        map.update_node(&nid("i1"), |n| title.clone_into(&mut n.title)).unwrap();
        missionboard::io::save_path(&map, path).unwrap();
    };
    edit(&group(2), "Group 2's title");
    let merged = dir.path().join("merged.mission.ron");
    let out =
        bin().args(["merge", p(&board), p(&group(2)), "-o", p(&merged)]).env("XDG_DATA_HOME", &data).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let map = missionboard::io::load_path(&merged).unwrap().map;
    assert_eq!(map.node(&nid("i1")).unwrap().title, "Group 2's title", "three-way: theirs' edit is taken");
    // Without the base a two-way merge would make every difference a conflict; with it none.
    assert!(map.unresolved.is_empty(), "{}", text(&out));
    let _ = Placement::at(0.0, 0.0);
}

#[test]
fn reading_lists_with_same_dates_keep_every_reading() {
    let dir = tempfile::tempdir().unwrap();
    let s = measured_sub_mission(&sample());
    let n = indicators(&sample(), &s)[0].readings.len();
    let reading = |v: f64| Reading {
        id: missionboard::model::ItemId::default(),
        date: day(1),
        value: v,
        note: String::new(),
        source: String::new(),
    };
    let ours = copy(dir.path(), "ours.mission.ron", |d| with_indicators(d, &s, |i| i[0].readings.push(reading(1.0))));
    let theirs =
        copy(dir.path(), "theirs.mission.ron", |d| with_indicators(d, &s, |i| i[0].readings.push(reading(2.0))));
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    let values: Vec<f64> = indicators(&m.map, &s)[0].readings.iter().skip(n).map(|r| r.value).collect();
    assert_eq!(values, [1.0, 2.0]);
}

/// The editor shows a recorded conflict in the Checks panel; "Take theirs" settles it and the
/// record goes (and Ctrl+Z brings it back).
#[test]
fn the_checks_panel_settles_a_recorded_conflict_by_its_buttons() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use missionboard::app::{MissionboardApp, Settings};
    let dir = tempfile::tempdir().unwrap();
    let ours = copy(dir.path(), "ours.mission.ron", |d| change(d, "i1", |n| n.title = "Ours".to_owned()));
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| change(d, "i1", |n| n.title = "Theirs".to_owned()));
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(1), "{}", m.out);
    let map = m.map;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()));
    h.run_steps(3);
    h.get_by_label_contains("Checks:").click();
    h.run_steps(3);
    h.get_by_label_contains("Merge conflict not settled").click();
    h.run_steps(2);
    h.get_by_label("Take theirs").click();
    h.run_steps(3);
    assert_eq!(h.state().map().node(&nid("i1")).unwrap().title, "Theirs");
    assert!(h.state().map().unresolved.is_empty());
    assert!(h.query_by_label_contains("Merge conflict not settled").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert_eq!(h.state().map().unresolved.len(), 1, "undo brings the conflict back");
    assert_eq!(h.state().map().node(&nid("i1")).unwrap().title, "Ours");
}

fn budget_lines(map: &MissionMap, id: &str) -> Vec<missionboard::model::BudgetLine> {
    match &map.node(&nid(id)).unwrap().kind {
        NodeKind::Intervention { budget_lines, .. } => budget_lines.clone(),
        _ => panic!("{id} is not an intervention"),
    }
}

fn add_line(doc: &mut Document, id: &str, amount: f64, source: &str) {
    change(doc, id, |n| {
        if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
            budget_lines.push(missionboard::model::BudgetLine {
                year: missionboard::model::BudgetYear::parse("2025-26"),
                source: source.to_owned(),
                ..missionboard::model::BudgetLine::new(amount)
            });
        }
    });
}

#[test]
fn budget_lines_merge_item_by_item_even_when_two_say_the_same() {
    let dir = tempfile::tempdir().unwrap();
    // Both copies add "5m from HMT in 2025-26": two lines (two grants), not one.
    let ours = copy(dir.path(), "ours.mission.ron", |d| add_line(d, "i1", 5e6, "HMT"));
    let theirs = copy(dir.path(), "theirs.mission.ron", |d| {
        add_line(d, "i1", 5e6, "HMT");
        add_line(d, "i1", 1e6, "DESNZ");
    });
    let m = merge(dir.path(), &ours, &theirs);
    assert_eq!(m.code, Some(0), "{}", m.out);
    let got = budget_lines(&m.map, "i1");
    assert_eq!(got.len(), 3, "ours, and both of theirs: {got:#?}\n{}", m.out);
    assert_eq!(got.iter().filter(|l| l.source == "HMT").count(), 2);
    let text = std::fs::read_to_string(&m.path).unwrap();
    assert!(text.contains("version: 3,"), "a map with budget lines is format 3");
}
