//! File ▸ Import 360Giving grants… driven as a person would, through egui_kittest and the
//! accessibility tree: the path of the LibreOffice fixture typed into the path box, the preview
//! table, a programme given a card, "Add" as one undo step; a bad file names its row and column
//! and adds nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use missionboard::app::MissionboardApp;
use missionboard::model::{Kind, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement};

const PATH_BOX: &str = "Grant file (.csv, .xlsx or .json in the 360Giving Data Standard)";

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// As the CLI's test map: "Warm Homes Plan" (i1) and "Skills bootcamps" (i2) serve one mission;
/// partners "Age UK" (p1, matched by name) and "Crisis UK" (matched by its identifier).
fn map() -> MissionMap {
    let mut map = MissionMap::new("Grants");
    for (k, (name, kind, title)) in [
        ("m1", Kind::Mission, "Warm, skilled places"),
        ("i1", Kind::Intervention, "Warm Homes Plan"),
        ("i2", Kind::Intervention, "Skills bootcamps"),
        ("p1", Kind::Partner, "Age UK"),
        ("GB-CHC-1082947", Kind::Partner, "Crisis UK"),
    ]
    .into_iter()
    .enumerate()
    {
        #[allow(clippy::cast_precision_loss, reason = "a few cards")]
        let at = Placement::at(260.0 * k as f32, 200.0 * (k / 2) as f32);
        map.add_node(Node::new(id(name), kind, title), at).unwrap();
    }
    for i in ["i1", "i2"] {
        map.connect(&id(i), &id("m1"), LinkKind::ContributesTo).unwrap();
    }
    map
}

fn harness(map: MissionMap) -> Harness<'static, MissionboardApp> {
    common::window(map)
}

fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display().to_string()
}

/// Types `path` into the path box (which has the keyboard) and presses Enter: Preview.
fn preview(h: &mut Harness<'_, MissionboardApp>, path: &str) {
    assert!(h.get_by_label(PATH_BOX).is_focused(), "the path box has the keyboard when the dialog opens");
    h.get_by_label(PATH_BOX).type_text(path);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(4);
}

fn lines(map: &MissionMap, card: &str) -> Vec<String> {
    let NodeKind::Intervention { budget_lines, .. } = &map.node(&id(card)).unwrap().kind else { panic!("{card}") };
    budget_lines.iter().map(|l| l.id.to_string()).collect()
}

#[test]
fn grants_are_previewed_matched_and_added_as_one_undo_step() {
    let before = map();
    let mut h = harness(before.clone());
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import 360Giving grants…").click();
    h.run_steps(3);
    assert!(h.state().importing_grants());
    preview(&mut h, &fixture("360giving-libreoffice.csv"));

    // A row per grant: its recipient's partner card and its programme's intervention.
    h.get_by_label("Insulating older homes in Leeds");
    h.get_by_label("Age UK -> Age UK");
    h.get_by_label("Crisis -> Crisis UK");
    // Both of its grants: the second goes to the card the first makes.
    assert_eq!(h.get_all_by_label("Leeds City College -> new partner").count(), 2);
    assert_eq!(h.get_all_by_label("Warm Homes Plan -> Warm Homes Plan").count(), 3);
    h.get_by_label("Arts for All -> not added");
    h.get_by_label("£250k");
    h.get_all_by_label("2026-27").next().unwrap();
    h.get_by_label_contains("1 grant in programmes with no intervention, not added");
    h.get_by_label("Add 5 grants");
    assert_eq!(h.state().map(), &before, "the preview writes nothing");

    // Arts for All matches no intervention: the person gives it a new card.
    h.get_by_label("Intervention for Arts for All: Not added (no match)").click();
    h.run_steps(2);
    h.get_by_label("New intervention card").click();
    h.run_steps(3);
    h.get_by_label("Intervention for Arts for All: New intervention card");
    h.get_by_label("Arts for All -> new intervention card");
    h.get_by_label("Add 6 grants").click();
    h.run_steps(3);
    assert!(!h.state().importing_grants(), "the dialog closes once the grants are added");

    let map = h.state().map();
    assert_eq!(lines(map, "i1"), ["360G-warm-001", "360G-warm-002", "360G-warm-003"]);
    assert_eq!(lines(map, "i2"), ["360G-skills-001", "360G-skills-002"]);
    let arts = map.nodes().find(|n| n.title == "Arts for All").expect("a new intervention card");
    assert_eq!(arts.kind(), Kind::Intervention);
    assert_eq!(lines(map, arts.id.as_str()), ["360G-arts-001"]);
    for partner in ["Leeds City College", "Leeds Community Energy Ltd", "Town Arts Trust"] {
        let n = map.nodes().find(|n| n.title == partner).unwrap_or_else(|| panic!("{partner}"));
        assert!(map.links().any(|l| l.from == n.id && l.kind == LinkKind::Delivers), "{partner} delivers");
    }
    assert_eq!(map.node_count(), before.node_count() + 4);
    assert!(h.state().status().unwrap().text.contains("Added 6 grants"), "{:?}", h.state().status());

    // One Ctrl+Z takes all of it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    let map = h.state().map();
    assert_eq!(map.sorted_nodes(), before.sorted_nodes());
    assert_eq!(map.sorted_links(), before.sorted_links());
}

#[test]
fn a_bad_file_names_its_row_and_column_and_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad grants.csv");
    let good = std::fs::read_to_string(fixture("360giving-libreoffice.csv")).unwrap();
    // The second grant's amount is not a number.
    std::fs::write(&bad, good.replacen(",GBP,120000,", ",GBP,a lot,", 1)).unwrap();
    let before = map();
    let mut h = harness(before.clone());
    common::palette(&mut h, "360giving");
    assert!(h.state().importing_grants(), "the palette finds the import");
    preview(&mut h, bad.to_str().unwrap());
    h.get_by_label_contains("Nothing was added");
    // The grant in line 3 of the file, column 5.
    h.get_by_label_contains("bad grants.csv, line 3, column 5 (Amount Awarded)");
    assert!(h.query_by_label("Insulating older homes in Leeds").is_none(), "no preview of a bad file");
    assert!(h.get_by_label("Add 0 grants").accesskit_node().is_disabled());
    assert!(h.state().importing_grants(), "the dialog stays open to mend the path");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(!h.state().importing_grants(), "Esc cancels");
    assert_eq!(h.state().map(), &before);
}

#[test]
fn the_workbook_form_and_the_tag_rule() {
    let mut before = map();
    before.update_node(&id("i2"), |n| n.tags.push("skills bootcamps".to_owned())).unwrap();
    let mut h = harness(before);
    common::palette(&mut h, "360giving");
    preview(&mut h, &fixture("360giving-libreoffice.xlsx"));
    h.get_by_label("Add 5 grants");
    h.get_by_label("By tag").click();
    h.run_steps(3);
    // Only the bootcamps' intervention carries its programme as a tag.
    h.get_by_label("Add 2 grants");
    h.get_by_label("Intervention for Warm Homes Plan: Not added (no match)");
    h.get_by_label("Intervention for Skills Bootcamps: Skills bootcamps (by the rule)");
}
