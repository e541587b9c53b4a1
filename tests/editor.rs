//! The editor driven as a person would, through egui_kittest and the accessibility tree: every
//! control is found by its accessible label.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::model::{Kind, LinkKind, MissionMap, Node, NodeId, Placement};
use missionboard::sample;

mod common;
use common::{drag, palette};

fn harness_with(map: MissionMap) -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 720.0)).with_theme(egui::Theme::Light).build_eframe(
        move |cc| {
            let mut app = MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default());
            // Progress is evaluated on a fixed day, so what the cards say does not change with the calendar.
            app.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
            app
        },
    );
    h.run_steps(3);
    h
}

fn blank() -> Harness<'static, MissionboardApp> {
    harness_with(sample::blank())
}

fn titles(h: &Harness<'_, MissionboardApp>, kind: Kind) -> Vec<String> {
    h.state().map().nodes().filter(|n| n.kind() == kind).map(|n| n.title.clone()).collect()
}

/// In the open Export dialog: types the path into "Save to" and presses Export.
fn export_to(h: &mut Harness<'_, MissionboardApp>, path: &str) {
    h.get_by_label("Save to").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("Save to").type_text(path);
    h.run_steps(2);
    h.get_by_label("Export").click();
    h.run_steps(3);
}

fn type_title(h: &mut Harness<'_, MissionboardApp>, title: &str) {
    h.get_by_label("Card title").type_text(title);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
}

#[test]
fn create_each_kind_from_the_palette() {
    let mut h = blank();
    for (button, kind, title) in [
        ("Mission", Kind::Mission, "Clean power by 2030"),
        ("Sub-mission", Kind::SubMission, "95% clean power"),
        ("Intervention", Kind::Intervention, "Grid connections reform"),
        ("Partner", Kind::Partner, "Ofgem"),
    ] {
        h.get_by_label(button).click();
        h.run_steps(3);
        type_title(&mut h, title);
        assert_eq!(titles(&h, kind), vec![title.to_owned()], "{kind:?}");
        // The new card is on the canvas under its accessible name.
        h.get_by_label(&format!("{}: {title}", kind.label()));
    }
    assert_eq!(h.state().map().node_count(), 4);
}

#[test]
fn the_keyboard_alone_builds_a_pathway() {
    let mut h = blank();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    type_title(&mut h, "Kickstart growth");
    h.key_press(Key::Tab);
    h.run_steps(3);
    type_title(&mut h, "1.5 million homes");
    h.key_press(Key::Tab);
    h.run_steps(3);
    type_title(&mut h, "Planning reform");
    h.key_press(Key::Enter);
    h.run_steps(3);
    type_title(&mut h, "New towns");
    h.key_press(Key::Tab);
    h.run_steps(3);
    type_title(&mut h, "MHCLG");
    let map = h.state().map();
    assert_eq!(map.node_count(), 5);
    let id_of = |t: &str| map.nodes().find(|n| n.title == t).unwrap().id.clone();
    let linked = |a: &str, b: &str, k: LinkKind| map.links_from(&id_of(a)).any(|l| l.to == id_of(b) && l.kind == k);
    assert!(linked("1.5 million homes", "Kickstart growth", LinkKind::ContributesTo));
    assert!(linked("Planning reform", "1.5 million homes", LinkKind::ContributesTo));
    assert!(linked("New towns", "1.5 million homes", LinkKind::ContributesTo), "Enter adds a sibling");
    assert!(linked("MHCLG", "New towns", LinkKind::Delivers));
    // Alt+Up walks up the links.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run_steps(2);
    let sel = h.state().selection().single_node().cloned().unwrap();
    assert_eq!(h.state().map().node(&sel).unwrap().title, "1.5 million homes");
    // A quick Alt+Up, Alt let go before the frame ends (as xdotool and fast typists do): the key
    // still carries Alt, so it walks the link rather than nudging the card 10 points.
    let before = h.state().map().placement(&sel).unwrap();
    h.event(Event::Key {
        key: Key::ArrowUp,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::ALT,
    });
    h.event(Event::Key {
        key: Key::ArrowUp,
        physical_key: None,
        pressed: false,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(2);
    let now = h.state().selection().single_node().cloned().unwrap();
    assert_eq!(h.state().map().node(&now).unwrap().title, "Kickstart growth", "walked up");
    assert_eq!(h.state().map().placement(&sel).unwrap(), before, "and moved nothing");
}

fn two_cards(a: (&str, Kind, f32), b: (&str, Kind, f32)) -> MissionMap {
    let mut m = MissionMap::new("t");
    m.add_node(Node::new(NodeId::new("a1").unwrap(), a.1, a.0), Placement::at(a.2, 0.0)).unwrap();
    m.add_node(Node::new(NodeId::new("b1").unwrap(), b.1, b.0), Placement::at(b.2, 300.0)).unwrap();
    m
}

#[test]
fn dragging_from_a_handle_connects_two_cards() {
    let mut h = harness_with(two_cards(("Mission", Kind::Mission, 0.0), ("Sub", Kind::SubMission, 0.0)));
    h.get_by_label("Sub-mission: Sub").click();
    h.run_steps(2);
    let handle = h.get_by_label("Link from Sub-mission: Sub").rect().center();
    let target = h.get_by_label("Mission: Mission").rect().center();
    drag(&mut h, handle, target);
    let map = h.state().map();
    assert_eq!(map.link_count(), 1);
    let link = map.links().next().unwrap();
    assert_eq!((link.from.as_str(), link.to.as_str(), link.kind), ("b1", "a1", LinkKind::ContributesTo));
    // One step to undo, one to redo.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().link_count(), 0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().map().link_count(), 1);
}

#[test]
fn a_forbidden_link_is_refused_with_the_reason() {
    let mut h = harness_with(two_cards(("Mission", Kind::Mission, 0.0), ("Mission two", Kind::Mission, 0.0)));
    h.get_by_label("Mission: Mission two").click();
    h.run_steps(2);
    let handle = h.get_by_label("Link from Mission: Mission two").rect().center();
    let target = h.get_by_label("Mission: Mission").rect().center();
    drag(&mut h, handle, target);
    assert_eq!(h.state().map().link_count(), 0);
    let status = h.state().status().unwrap();
    assert!(status.error);
    assert!(status.text.contains("A mission cannot be linked to a mission"), "{}", status.text);
}

#[test]
fn dragging_a_card_moves_it_in_one_undo_step() {
    let mut h = harness_with(two_cards(("Mission", Kind::Mission, 0.0), ("Sub", Kind::SubMission, 0.0)));
    let before = h.state().map().placement(&NodeId::new("a1").unwrap()).unwrap();
    let c = h.get_by_label("Mission: Mission").rect().center();
    drag(&mut h, c, c + egui::vec2(120.0, 30.0));
    let after = h.state().map().placement(&NodeId::new("a1").unwrap()).unwrap();
    assert!(after.x > before.x + 20.0, "{before:?} → {after:?}");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().placement(&NodeId::new("a1").unwrap()).unwrap(), before);
}

#[test]
fn edit_a_title_in_place_and_undo_it_in_one_step() {
    let mut h = harness_with(two_cards(("Old title", Kind::Mission, 0.0), ("Sub", Kind::SubMission, 0.0)));
    h.get_by_label("Mission: Old title").click();
    h.run_steps(2);
    h.key_press(Key::F2);
    h.run_steps(3);
    h.get_by_label("Card title").type_text("New title");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(titles(&h, Kind::Mission), vec!["New title".to_owned()]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(titles(&h, Kind::Mission), vec!["Old title".to_owned()], "typing a title is one step");
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run_steps(2);
    assert_eq!(titles(&h, Kind::Mission), vec!["New title".to_owned()]);
}

#[test]
fn typing_onto_a_selected_card_replaces_its_title() {
    let mut h = harness_with(two_cards(("Old", Kind::Intervention, 0.0), ("Sub", Kind::SubMission, 0.0)));
    h.get_by_label("Intervention: Old").click();
    h.run_steps(2);
    h.event(Event::Text("W".to_owned()));
    h.run_steps(3);
    h.get_by_label("Card title").type_text("ind");
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(titles(&h, Kind::Intervention), vec!["Wind".to_owned()]);
}

#[test]
fn edit_in_the_inspector_and_undo() {
    let mut h = harness_with(two_cards(("Old", Kind::Partner, 0.0), ("Sub", Kind::SubMission, 0.0)));
    h.get_by_label("Partner: Old").click();
    h.run_steps(2);
    let role = h.get_by_label("Role");
    role.focus();
    role.type_text("Regulator");
    h.run_steps(2);
    h.get_by_label("Sub-mission: Sub").click();
    h.run_steps(2);
    let map = h.state().map();
    let p = map.node(&NodeId::new("a1").unwrap()).unwrap();
    assert!(matches!(&p.kind, missionboard::model::NodeKind::Partner { role, .. } if role == "Regulator"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    let p = h.state().map().node(&NodeId::new("a1").unwrap()).unwrap().clone();
    assert!(matches!(&p.kind, missionboard::model::NodeKind::Partner { role, .. } if role.is_empty()), "{p:?}");
}

#[test]
fn cut_and_paste_remaps_ids() {
    let mut h = harness_with(sample::uk_missions());
    let n = h.state().map().node_count();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(2);
    assert_eq!(h.state().selection().nodes.len(), n);
    h.event(Event::Copy);
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| if let egui::OutputCommand::CopyText(t) = c { Some(t.clone()) } else { None })
        .expect("copy puts RON text on the clipboard");
    assert!(copied.starts_with("(\n    version: 2,"), "the sample's readings make it format 2");
    h.event(Event::Cut);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 0);
    h.event(Event::Paste(copied.clone()));
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), n);
    h.event(Event::Paste(copied));
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 2 * n, "pasting twice gives new ids");
    assert_eq!(h.state().map().link_count(), 2 * 124);
}

#[test]
fn find_jumps_to_the_next_hit() {
    let mut h = harness_with(sample::uk_missions());
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(3);
    h.get_by_label("Find:").type_text("Ofgem");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let sel = h.state().selection().single_node().cloned().expect("a hit is selected");
    let node = h.state().map().node(&sel).unwrap();
    assert!(missionboard::model::search::matches(node, "Ofgem"), "{}", node.title);
    // The whole sample was fitted to the window (far too small to read); the hit is brought close
    // enough to read its whole title, in view.
    let view = h.state().view();
    assert!(view.zoom >= missionboard::ui::canvas::READABLE_ZOOM, "zoom {}", view.zoom);
    let p = h.state().map().placement(&sel).unwrap();
    let on_screen = view.to_screen(egui::Pos2::ZERO, egui::pos2(p.x, p.y));
    let size = h.state().canvas_size();
    assert!(
        on_screen.x > 0.0 && on_screen.y > 0.0 && on_screen.x < size.x && on_screen.y < size.y,
        "{on_screen:?} in {size:?}"
    );
}

#[test]
fn walking_the_links_by_keyboard_brings_each_card_close_enough_to_read() {
    let mut h = harness_with(sample::uk_missions());
    // Fitted to the window, far out; pick a mission by its accessible label and walk down a link.
    assert!(h.state().view().zoom < 0.5, "the sample opens fitted, far out");
    h.get_by_label("Mission: Make Britain a clean energy superpower, off track").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run_steps(3);
    let sel = h.state().selection().single_node().cloned().unwrap();
    assert_eq!(h.state().map().node(&sel).unwrap().kind(), Kind::SubMission);
    assert!(h.state().view().zoom >= missionboard::ui::canvas::READABLE_ZOOM, "zoom {}", h.state().view().zoom);
}

#[test]
fn delete_and_undo() {
    let mut h = harness_with(sample::uk_missions());
    h.get_by_label("Partner: Ofgem").click();
    h.run_steps(2);
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 78);
    assert_eq!(h.state().map().link_count(), 122);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 79);
    assert_eq!(h.state().map().link_count(), 124);
}

#[test]
fn unsaved_changes_show_in_the_title() {
    let mut h = blank();
    assert!(!h.state().title().contains("unsaved"));
    h.get_by_label("Mission").click();
    h.run_steps(3);
    assert!(h.state().title().contains("unsaved changes"), "{}", h.state().title());
}

#[test]
fn save_as_asks_for_a_path_in_the_app_and_saves() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("board.mission.ron");
    let mut h = harness_with(sample::uk_missions());
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    h.run_steps(3);
    h.get_by_label("File path").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run_steps(1);
    h.get_by_label("File path").type_text(path.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert!(path.exists());
    assert!(!h.state().document().is_dirty());
    let back = missionboard::io::load_path(&path).unwrap().map;
    assert_eq!(back.node_count(), 79);
}

#[test]
fn command_palette_lists_and_runs_commands() {
    let mut h = harness_with(sample::uk_missions());
    palette(&mut h, "select all");
    assert_eq!(h.state().selection().nodes.len(), 79);
}

#[test]
fn export_dialog_previews_and_writes_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("board.png");
    let mut h = harness_with(sample::uk_missions());
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(3);
    h.get_by_label("Preview of the exported picture");
    export_to(&mut h, path.to_str().unwrap());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
}

#[test]
fn copy_as_image_puts_a_picture_on_the_clipboard() {
    let mut h = harness_with(sample::uk_missions());
    h.get_by_label("Partner: Ofgem").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    h.step();
    // kittest keeps the image to itself; the app reports what it put on the clipboard.
    let status = h.state().status().unwrap();
    assert!(!status.error && status.text.starts_with("Copied a "), "{}", status.text);
}

/// A mission with a partner linked to nothing: one finding to click.
fn map_with_a_lonely_partner() -> MissionMap {
    two_cards(("Clean power", Kind::Mission, 0.0), ("Ofgem", Kind::Partner, 300.0))
}

#[test]
fn clicking_a_finding_selects_its_cards_and_dismissing_it_is_saved_and_undoable() {
    let mut h = harness_with(map_with_a_lonely_partner());
    h.get_by_label_contains("Checks:").click();
    h.run_steps(3);
    h.get_by_label_contains("is linked to nothing").click();
    h.run_steps(3);
    let selected: Vec<String> = h.state().selection().nodes.iter().map(ToString::to_string).collect();
    assert_eq!(selected, vec!["b1".to_owned()]);
    // The status bar repeats the finding with what to do.
    assert!(h.state().status().is_some_and(|s| s.text.contains("Link it to the interventions")));

    // Dismiss it with a reason: it leaves the list and is kept in the map (so in the file).
    let reason = h.get_by_label("Reason:");
    reason.focus();
    reason.type_text("joins next year");
    h.run_steps(2);
    h.get_by_label("Dismiss").click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("is linked to nothing").is_none());
    assert_eq!(
        h.state().map().dismissals.get("partner-linked-to-nothing:b1").map(|d| d.reason.as_str()),
        Some("joins next year")
    );
    let saved = missionboard::io::to_string(h.state().map());
    assert!(saved.contains("joins next year"), "{saved}");
    // One undo brings it back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert!(h.state().map().dismissals.is_empty());
    h.get_by_label_contains("is linked to nothing");
}

#[test]
fn pathways_dim_what_the_selected_card_does_not_serve() {
    let map = sample::uk_missions();
    let mission = map.sorted_nodes().into_iter().find(|n| n.kind() == Kind::Mission).unwrap().id.clone();
    let mut h = harness_with(map);
    h.key_press_modifiers(Modifiers { shift: true, ..Modifiers::COMMAND }, Key::H);
    h.run_steps(2);
    let title = h.state().map().node(&mission).unwrap().title.clone();
    // The accessible name ends with the mission's status (the sample's readings, on a fixed day).
    h.get_by_label(&format!("Mission: {title}, at risk")).click();
    h.run_steps(3);
    let path = missionboard::model::analysis::pathway(h.state().map(), std::slice::from_ref(&mission));
    let dimmed = h.state().dimmed_cards().cloned().unwrap_or_default();
    assert!(!dimmed.is_empty(), "other missions' cards are dimmed");
    for n in h.state().map().nodes() {
        assert_eq!(dimmed.contains(&n.id), !path.cards.contains(&n.id), "{}", n.id);
    }
}

#[test]
fn the_portfolio_selects_the_cards_behind_a_count() {
    let mut h = harness_with(sample::uk_missions());
    h.key_press_modifiers(Modifiers { shift: true, ..Modifiers::COMMAND }, Key::M);
    h.run_steps(3);
    let first = missionboard::model::analysis::portfolio(h.state().map()).missions[0].clone();
    h.get_by_label_contains("Interventions serving the mission").click();
    h.run_steps(3);
    let selected: Vec<NodeId> = h.state().selection().nodes.iter().cloned().collect();
    let mut expected = first.interventions.clone();
    expected.sort();
    assert_eq!(selected, expected);
    // The heat maps are there: a cell per department and per partner sector on the mission's row.
    let cells = h.get_all_by_label_contains(&format!("{} and ", first.title)).count();
    let p = missionboard::model::analysis::portfolio(h.state().map());
    assert_eq!(cells, p.departments.len() + p.sectors.len());
}

#[test]
fn the_findings_can_be_walked_and_dismissed_by_keyboard_alone() {
    let mut h = harness_with(map_with_a_lonely_partner());
    let shown = |h: &Harness<'_, MissionboardApp>| h.state().status().map(|s| s.text.clone()).unwrap_or_default();
    // Errors first: the mission has no measurable target, then no deadline.
    h.key_press(Key::F8);
    h.run_steps(3);
    let first = shown(&h);
    assert!(first.contains("has no measurable target"), "{first}");
    h.key_press(Key::F8);
    h.run_steps(3);
    assert!(shown(&h).contains("has no deadline"), "F8 moves to the next finding");
    h.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    h.run_steps(3);
    assert_eq!(shown(&h), first, "Shift+F8 goes back");
    h.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    h.run_steps(3);
    assert!(shown(&h).contains("is linked to nothing"), "and wraps round to the last");
    let partner: Vec<String> = h.state().selection().nodes.iter().map(ToString::to_string).collect();
    assert_eq!(partner, vec!["b1".to_owned()]);
    // F7 moves into the reason box; Enter dismisses.
    h.key_press(Key::F7);
    h.run_steps(2);
    h.get_by_label("Reason:").type_text("by design");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let dismissed = h.state().map().dismissals.get("partner-linked-to-nothing:b1").map(|d| d.reason.clone());
    assert_eq!(dismissed.as_deref(), Some("by design"));
}

#[test]
fn the_export_dialog_offers_every_format_the_cli_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("board.json");
    let mut h = harness_with(sample::uk_missions());
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(3);
    h.get_by_label("Format").click();
    h.run_steps(2);
    for f in missionboard::export::Format::ALL {
        h.get_by_label(f.label());
    }
    h.get_by_label("JSON data").click();
    h.run_steps(2);
    export_to(&mut h, path.to_str().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(json.is_object(), "a JSON object");
    let first_mission = sample::uk_missions().nodes().map(|n| n.title.clone()).min().unwrap();
    assert!(text.contains(&first_mission), "the sample's cards are in it");
}

#[test]
fn escape_closes_the_shortcut_sheet_before_it_clears_the_selection() {
    let mut h = harness_with(sample::uk_missions());
    h.get_by_label("Mission: Make Britain a clean energy superpower, off track").click();
    h.run_steps(2);
    let m2 = NodeId::new("m2").unwrap();
    assert_eq!(h.state().selection().nodes.iter().collect::<Vec<_>>(), vec![&m2], "a card is selected");
    h.key_press(Key::F1);
    h.run_steps(2);
    // The sheet lists "F8  Next finding"; nothing else on screen says that.
    assert!(h.query_by_label("Next finding").is_some(), "the sheet is open");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("Next finding").is_none(), "Esc closes the sheet");
    assert_eq!(h.state().selection().nodes.iter().collect::<Vec<_>>(), vec![&m2], "and only the sheet");
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(h.state().selection().nodes.is_empty(), "the next Esc clears the selection");
}

#[test]
fn a_new_map_after_the_sample_starts_at_a_readable_zoom() {
    // The sample at fit is far out (about 30 %); a new map must not keep that zoom, or its first
    // cards are unreadable blobs until Zoom to fit.
    let mut h = harness_with(sample::uk_missions());
    assert!(h.state().view().zoom < missionboard::ui::canvas::READABLE_ZOOM);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(3);
    assert_eq!(h.state().map().node_count(), 0);
    assert!(h.state().view().zoom >= missionboard::ui::canvas::READABLE_ZOOM, "empty: {}", h.state().view().zoom);
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
        h.run_steps(3);
    }
    assert_eq!(h.state().map().node_count(), 3);
    assert!(h.state().view().zoom >= missionboard::ui::canvas::READABLE_ZOOM, "three cards: {}", h.state().view().zoom);
}

#[test]
fn an_unset_date_says_so_instead_of_showing_a_made_up_one() {
    let mut h = harness_with(sample::uk_missions());
    // i2 has a start date and no end date.
    h.state_mut().queue(missionboard::editor::Intent::Show(vec![NodeId::new("i2").unwrap()]));
    h.run_steps(3);
    assert!(h.query_by_label("2025-03-11").is_some(), "the start date is shown");
    assert!(h.query_by_label("Pick a date").is_some(), "the unset end date says so");
    assert!(h.query_by_label("2030-01-01").is_none(), "no made-up date beside an empty field");
}

#[test]
fn the_toolbar_stays_one_row_at_1280_pixels_with_many_findings() {
    let map = sample::generate::map(400, 42);
    let checked = missionboard::model::analysis::run_checks(&map);
    let errors = checked.count(missionboard::model::analysis::Severity::Error);
    assert!(errors >= 10, "a map with many findings ({errors} errors)");
    let mut h = harness_with(map);
    h.run_steps(3);
    let label = format!("Checks: {errors} errors");
    h.get_by_label(&label);
    let row = |h: &Harness<'static, MissionboardApp>, name: &str| h.get_by_label(name).rect().center().y;
    let first = row(&h, "Mission");
    for last in ["Portfolio", "Pathways"] {
        assert!((row(&h, last) - first).abs() < 4.0, "{last} wrapped to another row ({label})");
    }
}

/// A breakout round in small: hand out copies (from the command palette), a group edits its copy while the
/// room edits the same card, then the copy is merged back: the conflict is settled as theirs in the
/// merge window, and one Ctrl+Z takes the whole merge back.
#[test]
fn merging_a_copy_settles_a_conflict_and_undoes_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_with(sample::blank());
    let (copy, s, i) = common::conflicting_copy(&mut h, dir.path(), "Group 1");

    h.state_mut().merge_copy(&copy);
    h.run_steps(3);
    assert!(h.state().merging());
    h.get_by_label("Take theirs for card \u{201c}Grid connections by 2027\u{201d} (s2), title").click();
    h.run_steps(2);
    h.get_by_label("Apply merge").click();
    h.run_steps(3);
    assert!(!h.state().merging());
    let title = |h: &Harness<'_, MissionboardApp>, id: &NodeId| h.state().map().node(id).map(|n| n.title.clone());
    assert_eq!(title(&h, &s).as_deref(), Some("Grid connections in 6 months"));
    assert_eq!(title(&h, &i).as_deref(), Some("Connections reform"), "their new card came in");

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    assert_eq!(title(&h, &s).as_deref(), Some("Grid connections by 2027"), "one undo takes the whole merge back");
    assert_eq!(title(&h, &i), None);
}

/// Readings in the inspector: adding one gives the card a status, in its chip and its accessible
/// name, and changing its value changes the status.
#[test]
fn adding_a_reading_in_the_inspector_changes_the_cards_status() {
    use missionboard::model::{Indicator, NodeKind};
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut map = MissionMap::new("Board");
    let m = map.create_node(Kind::Mission, "Homes", Placement::at(0.0, 0.0)).unwrap();
    let s = map.create_node(Kind::SubMission, "Build more", Placement::at(0.0, 220.0)).unwrap();
    map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
    map.update_node(&s, |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            indicators.push(Indicator {
                name: "Homes built".to_owned(),
                baseline: Some(0.0),
                baseline_date: Some(day(2025, 1, 1)),
                target: Some(100.0),
                deadline: Some(day(2029, 1, 1)),
                ..Indicator::default()
            });
        }
    })
    .unwrap();
    let mut h = harness_with(map);
    h.state_mut().set_today(day(2027, 1, 1));
    h.run_steps(2);
    h.get_by_label("Sub-mission: Build more, no data").click();
    h.run_steps(2);
    // The button is below the fold of the inspector: reach it by keyboard, as a screen-reader user would.
    h.get_by_label("Add a reading to Homes built").focus();
    h.run_steps(2);
    h.key_press(Key::Space);
    h.run_steps(3);
    // Dated today, with nothing built: off track (half the way was expected by now).
    h.get_by_label("Sub-mission: Build more, off track");
    h.get_by_label("Mission: Homes, off track");
    let field = h.get_by_label("Homes built: reading 1 value");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Homes built: reading 1 value").type_text("52");
    h.run_steps(2);
    h.key_press(Key::Tab);
    h.run_steps(3);
    h.get_by_label("Sub-mission: Build more, on track");
    h.get_by_label("Mission: Homes, on track");
    let NodeKind::SubMission { indicators, .. } = &h.state().map().node(&s).unwrap().kind else { panic!() };
    assert_eq!(indicators[0].readings.len(), 1);
    assert_eq!((indicators[0].readings[0].date, indicators[0].readings[0].value), (day(2027, 1, 1), 52.0));
}

/// The Progress panel lists every indicator, worst first, sorts by a column, and a click on a card's
/// name selects that card.
#[test]
fn the_progress_panel_lists_indicators_sorts_and_selects_a_card() {
    // The cards of the table's rows, top to bottom.
    fn rows(h: &Harness<'_, MissionboardApp>) -> Vec<String> {
        use egui_kittest::kittest::NodeT;
        h.query_all_by_label_contains("Show card: ")
            .filter_map(|n| n.accesskit_node().label())
            .map(|l| l.trim_start_matches("Show card: ").to_owned())
            .collect()
    }
    let map = sample::uk_missions();
    let mut h = harness_with(map.clone());
    palette(&mut h, "progress");
    assert!(h.state().progress_open());
    // Worst first: the indicators in order of status, worst at the top.
    let p = missionboard::model::progress::progress(&map, chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    let title = |id: &NodeId| map.node(id).unwrap().title.clone();
    let mut worst_first: Vec<_> = p.indicators.iter().collect();
    worst_first.sort_by_key(|i| (std::cmp::Reverse(i.status.concern()), std::cmp::Reverse(i.stale)));
    let worst_first: Vec<String> = worst_first.iter().map(|i| title(&i.card)).collect();
    assert!(worst_first.len() >= 15);
    assert_eq!(rows(&h), worst_first, "sorted by status, worst first");
    let as_listed: Vec<String> = p.indicators.iter().map(|i| title(&i.card)).collect();
    assert_ne!(as_listed, worst_first, "the sample's indicators are not already worst first");
    h.get_by_label("Sort by status");
    h.get_by_label("Sort by card").click();
    h.run_steps(2);
    let mut by_card = worst_first.clone();
    by_card.sort_by_key(|t| t.to_lowercase());
    assert_ne!(by_card, worst_first);
    assert_eq!(rows(&h), by_card, "sorted by card, A to Z");
    h.get_by_label("Sort by card").click();
    h.run_steps(2);
    let mut z_to_a = by_card.clone();
    z_to_a.reverse();
    assert_eq!(rows(&h), z_to_a, "again: Z to A");
    h.get_all_by_label("Show card: On track to at least 95% clean power by 2030").next().unwrap().click();
    h.run_steps(3);
    let s4 = NodeId::new("s4").unwrap();
    assert_eq!(h.state().selection().nodes.iter().collect::<Vec<_>>(), vec![&s4]);
}

/// The decision log of an intervention and the board's action list are kept in the map, each
/// change one undo step.
#[test]
fn decisions_and_actions_are_recorded_in_the_inspector() {
    use missionboard::model::{DecisionKind, NodeKind};
    let mut map = MissionMap::new("Board");
    let i = map.create_node(Kind::Intervention, "Heat pump grants", Placement::at(0.0, 0.0)).unwrap();
    let mut h = harness_with(map);
    // Nothing selected: the map's inspector has the action list.
    h.get_by_label("Add an action").focus();
    h.run_steps(2);
    h.key_press(Key::Space);
    h.run_steps(3);
    assert_eq!(h.state().map().actions.len(), 1);
    h.get_by_label("Action 1: done").focus();
    h.run_steps(2);
    h.key_press(Key::Space);
    h.run_steps(3);
    assert!(h.state().map().actions[0].done);
    h.get_by_label("Intervention: Heat pump grants").click();
    h.run_steps(2);
    h.get_by_label("Record a decision").focus();
    h.run_steps(2);
    h.key_press(Key::Space);
    h.run_steps(3);
    let NodeKind::Intervention { decisions, .. } = &h.state().map().node(&i).unwrap().kind else { panic!() };
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].decision, DecisionKind::Continue);
    assert_eq!(
        decisions[0].date,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        "dated the day of the meeting"
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(3);
    let NodeKind::Intervention { decisions, .. } = &h.state().map().node(&i).unwrap().kind else { panic!() };
    assert!(decisions.is_empty(), "one undo takes the decision back");
    assert!(h.state().map().actions[0].done, "and only the decision");
}

/// The text size is separate from the map's zoom: Ctrl+Alt+= and Ctrl+Alt+- step it by 25% from
/// 100% to 250%, Ctrl+Alt+0 puts it back; Ctrl+= still zooms the map only.
#[test]
fn text_size_steps_from_100_to_250_percent_apart_from_the_map_zoom() {
    let ctrl_alt = Modifiers { alt: true, ..Modifiers::COMMAND };
    let mut h = harness_with(sample::uk_missions());
    let zoom = h.state().view().zoom;
    h.key_press_modifiers(ctrl_alt, Key::Equals);
    h.run_steps(3);
    assert!((h.state().ui_scale() - 1.25).abs() < 1e-6);
    assert!((h.ctx.zoom_factor() - 1.25).abs() < 1e-3, "egui draws everything 25% larger");
    assert!((h.state().view().zoom - zoom).abs() < 1e-6, "the map's zoom is untouched");
    for _ in 0..10 {
        h.key_press_modifiers(ctrl_alt, Key::Equals);
        h.run_steps(1);
    }
    h.run_steps(2);
    assert!((h.state().ui_scale() - 2.5).abs() < 1e-6, "at most 250%");
    // Still usable: the menus and the main buttons are on screen at the largest size.
    assert_on_screen(&h, &["File", "View", "Zoom to fit", "Lay out"]);
    h.key_press_modifiers(ctrl_alt, Key::Num0);
    h.run_steps(3);
    assert!((h.state().ui_scale() - 1.0).abs() < 1e-6);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run_steps(2);
    assert!(h.state().view().zoom > zoom, "Ctrl+= zooms the map");
    assert!((h.state().ui_scale() - 1.0).abs() < 1e-6, "and leaves the text size alone");
}

/// Screen readers (AT-SPI, what Orca reads) name the window from the accessibility tree's root:
/// it carries the title bar's text.
#[test]
fn the_window_is_named_for_screen_readers() {
    use egui_kittest::kittest::NodeT;
    let mut h = harness_with(sample::uk_missions());
    let name = h.root().accesskit_node().label();
    assert_eq!(name.as_deref(), Some("UK missions: theory of change (sample) \u{2014} Missionboard"));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(3);
    let name = h.root().accesskit_node().label().unwrap_or_default();
    assert!(name.starts_with("* UK missions"), "the unsaved mark is said too: {name}");
}

/// The colour of the canvas's background as last painted (the first opaque rectangle over the
/// whole canvas).
fn canvas_background(h: &Harness<'_, MissionboardApp>) -> Option<egui::Color32> {
    let canvas = h.get_by_label("Mission map canvas").rect();
    h.output().shapes.iter().find_map(|c| match &c.shape {
        egui::Shape::Rect(r)
            if r.fill.a() == 255
                && (r.rect.min - canvas.min).length() < 1.0
                && (r.rect.max - canvas.max).length() < 1.0 =>
        {
            Some(r.fill)
        }
        _ => None,
    })
}

/// View ▸ Dark theme darkens egui's panels and the canvas; the projector preset brings high
/// contrast, bold lines and text at 150 %, and choosing it again goes back to what was before.
#[test]
fn themes_are_chosen_in_the_view_menu_and_the_projector_preset_goes_back() {
    use missionboard::style::Theme;
    let mut h = harness_with(sample::uk_missions());
    assert_eq!(canvas_background(&h), Some(egui::Color32::from_rgb(0xFA, 0xFA, 0xF7)), "light to begin with");
    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Dark theme").click();
    h.run_steps(3);
    assert_eq!(h.state().theme(), Theme::Dark);
    assert!(h.ctx.global_style().visuals.dark_mode, "egui's panels are dark");
    assert_eq!(canvas_background(&h), Some(egui::Color32::from_rgb(0x1B, 0x1B, 0x1F)), "and so is the canvas");
    // The projector preset, from the command palette.
    palette(&mut h, "projector");
    assert_eq!(h.state().theme(), Theme::Projector);
    assert!(!h.ctx.global_style().visuals.dark_mode, "high contrast is black on white");
    assert_eq!(h.ctx.global_style().visuals.override_text_color, Some(egui::Color32::BLACK));
    assert!((h.state().ui_scale() - 1.5).abs() < 1e-6, "text at 150%");
    assert_eq!(canvas_background(&h), Some(egui::Color32::WHITE));
    // In the menu it shows as chosen; choosing it again restores the dark theme at 100%.
    h.get_by_label("View").click();
    h.run_steps(2);
    let item = h.get_by_label("Projector preset (high contrast, bold lines, larger text)");
    let toggled = egui_kittest::kittest::NodeT::accesskit_node(&item).toggled();
    assert_eq!(toggled, Some(egui::accesskit::Toggled::True), "said as pressed");
    item.click();
    h.run_steps(3);
    assert_eq!(h.state().theme(), Theme::Dark);
    assert!((h.state().ui_scale() - 1.0).abs() < 1e-6);
}

/// Screen readers reach every link (a node of its own, "Link: A contributes to B", which a click
/// selects) and hear a card's links after its name.
#[test]
fn links_are_announced_and_cards_say_what_they_lead_to() {
    use egui_kittest::kittest::NodeT;
    let mut map = two_cards(("Cleaner air", Kind::Mission, 0.0), ("Low-emission zones", Kind::Intervention, 0.0));
    let link = missionboard::model::Link::new(
        missionboard::model::LinkId::new("l1").unwrap(),
        NodeId::new("b1").unwrap(),
        NodeId::new("a1").unwrap(),
        LinkKind::ContributesTo,
    );
    map.add_link(link).unwrap();
    let mut h = harness_with(map);
    let card = h.get_by_label("Intervention: Low-emission zones");
    assert_eq!(card.accesskit_node().description().as_deref(), Some("Contributes to Mission: Cleaner air"));
    let mission = h.get_by_label("Mission: Cleaner air");
    assert_eq!(
        mission.accesskit_node().description().as_deref(),
        Some("Intervention: Low-emission zones contributes to this")
    );
    let l = h.get_by_label("Link: Intervention: Low-emission zones contributes to Mission: Cleaner air");
    assert_eq!(l.accesskit_node().role(), egui::accesskit::Role::Link);
    l.click();
    h.run_steps(2);
    assert!(h.state().selection().links.contains(&missionboard::model::LinkId::new("l1").unwrap()));
    assert!(h.state().selection().nodes.is_empty());
    // The card's inspector lists its links; picking one there selects it too, and the inspector
    // then shows the link's own fields.
    h.get_by_label("Intervention: Low-emission zones").click();
    h.run_steps(2);
    assert!(h.state().selection().links.is_empty());
    let row = h.get_by_label("contributes to Cleaner air");
    assert_eq!(row.accesskit_node().role(), egui::accesskit::Role::Link);
    // Below the inspector's fold: by keyboard, as a keyboard user reaches it.
    row.focus();
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(2);
    assert!(h.state().selection().links.contains(&missionboard::model::LinkId::new("l1").unwrap()));
    assert!(h.state().selection().nodes.is_empty());
    assert!(h.query_by_label("Kind of link").is_some(), "the inspector shows the link");
    // Delete takes it away, as for a link clicked on the canvas.
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert_eq!(h.state().map().link_count(), 0);
}

/// The Export dialog draws as the editor looks when asked ("As in the editor"), or in the theme
/// chosen; the choice is remembered.
#[test]
fn the_export_dialog_draws_in_the_editors_theme_or_the_one_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_with(sample::uk_missions());
    palette(&mut h, "dark theme");
    let export = |h: &mut Harness<'_, MissionboardApp>, theme: &str, name: &str| {
        let path = dir.path().join(name);
        h.key_press_modifiers(Modifiers::COMMAND, Key::E);
        h.run_steps(3);
        h.get_by_label("Theme").click();
        h.run_steps(2);
        h.get_by_label(theme).click();
        h.run_steps(2);
        export_to(h, path.to_str().unwrap());
        let img = image::load_from_memory(&std::fs::read(&path).unwrap()).unwrap().to_rgb8();
        img.get_pixel(2, 2).0
    };
    assert_eq!(export(&mut h, "As in the editor (Dark)", "dark.png"), [0x1B, 0x1B, 0x1F], "the editor's dark page");
    assert_eq!(export(&mut h, "High contrast", "hc.png"), [0xFF, 0xFF, 0xFF], "a white page");
    assert_eq!(h.state().theme(), missionboard::style::Theme::Dark, "the editor keeps its own theme");
}

/// Text at 200 % (Ctrl+Alt+= four times).
fn text_200_percent(h: &mut Harness<'_, MissionboardApp>) {
    let ctrl_alt = Modifiers { alt: true, ..Modifiers::COMMAND };
    for _ in 0..4 {
        h.key_press_modifiers(ctrl_alt, Key::Equals);
        h.run_steps(1);
    }
    h.run_steps(2);
    assert!((h.state().ui_scale() - 2.0).abs() < 1e-6);
}

/// Each labelled control lies wholly on the screen.
fn assert_on_screen(h: &Harness<'_, MissionboardApp>, labels: &[&str]) {
    let screen = h.ctx.content_rect();
    for label in labels {
        let r = h.get_by_label(label).rect();
        assert!(screen.contains_rect(r), "{label} at {r:?} is off the {screen:?} screen");
    }
}

/// At 200 % text on a 1280×720 screen the Export dialog still fits: its choices scroll, and the
/// path and the Export button stay on screen.
#[test]
fn the_export_dialog_fits_the_screen_at_200_percent_text() {
    let mut h = harness_with(sample::uk_missions());
    text_200_percent(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run_steps(3);
    assert_on_screen(&h, &["Format", "Save to", "Export", "Cancel"]);
}

/// At 200 % text the command palette fits the screen too.
#[test]
fn the_palette_fits_the_screen_at_200_percent_text() {
    let mut h = harness_with(sample::uk_missions());
    text_200_percent(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    assert_on_screen(&h, &["Command", "Close"]);
}

/// The inspector refuses a frequency it does not know (and lists the known ones), and offers at
/// most / at least for a target equal to its baseline, which then gives the card a status.
#[test]
fn the_inspector_refuses_unknown_frequencies_and_asks_a_held_target_for_its_direction() {
    use missionboard::model::progress::Hold;
    use missionboard::model::{Indicator, NodeKind, Reading};
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut map = MissionMap::new("Board");
    let s = map.create_node(Kind::SubMission, "Waits", Placement::at(0.0, 0.0)).unwrap();
    map.update_node(&s, |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            indicators.push(Indicator {
                name: "Weeks waited".to_owned(),
                baseline: Some(18.0),
                baseline_date: Some(day(2025, 1, 1)),
                target: Some(18.0),
                deadline: Some(day(2029, 1, 1)),
                // Read as from a file, so it keeps working whatever fields a reading gains.
                readings: vec![serde_json::from_str::<Reading>(r#"{"date": "2026-01-01", "value": 25.0}"#).unwrap()],
                ..Indicator::default()
            });
        }
    })
    .unwrap();
    let mut h = harness_with(map);
    h.state_mut().set_today(day(2026, 1, 2));
    h.run_steps(2);
    h.get_by_label("Sub-mission: Waits, no data").click();
    h.run_steps(2);
    h.get_by_label_contains("The target equals the baseline: choose at most or at least");
    // Reached by keyboard (it may be below the fold of the inspector).
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Hold the target: the figure must stay").focus();
    h.run_steps(1);
    h.key_press(Key::Space);
    h.run_steps(2);
    h.get_by_label("at most").click();
    h.run_steps(3);
    // 25 weeks against at most 18 is well outside the band.
    h.get_by_label("Sub-mission: Waits, off track");
    let hold = |h: &Harness<'_, MissionboardApp>| {
        let NodeKind::SubMission { indicators, .. } = &h.state().map().node(&s).unwrap().kind else { panic!() };
        (indicators[0].hold, indicators[0].frequency.clone())
    };
    assert_eq!(hold(&h), (Some(Hold::AtMost), String::new()));
    h.get_by_label("How often measured").focus();
    h.run_steps(1);
    h.get_by_label("How often measured").type_text("every election");
    h.run_steps(2);
    h.get_by_label_contains("“every election” is not a frequency Missionboard knows; write one of: daily");
    assert_eq!(hold(&h).1, "", "refused: the map keeps no frequency");
    h.get_by_label("How often measured").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("How often measured").type_text("Monthly");
    h.run_steps(2);
    h.key_press(Key::Tab);
    h.run_steps(3);
    assert_eq!(hold(&h).1, "Monthly");
}

/// After the sample's last readings, the Progress panel and the cards show each status with the
/// stale flag beside it (never instead of it), missed after a deadline, and the count of indicators
/// without readings.
#[test]
fn the_progress_panel_and_the_cards_keep_a_stale_status_and_say_what_has_no_data() {
    let mut h = harness_with(sample::uk_missions());
    h.state_mut().set_today(chrono::NaiveDate::from_ymd_opt(2029, 2, 1).unwrap());
    h.run_steps(2);
    h.get_by_label("Mission: Make Britain a clean energy superpower, off track, stale");
    h.get_by_label("Mission: Break down barriers to opportunity, missed, stale");
    palette(&mut h, "progress");
    assert!(h.state().progress_open());
    assert!(h.get_all_by_label("Off track (stale: last reading 2026-09-30)").count() >= 1);
    assert!(h.get_all_by_label("Missed (stale: last reading 2026-09-30)").count() >= 1);
    h.get_by_label("3 of 4 indicators have no readings");
    assert!(h.query_all_by_label("Stale").next().is_none(), "stale is never a status of its own");
}

/// Runs the window as eframe does when nobody touches it, for `seconds` of (simulated) time: a
/// frame is drawn only when the last one asked for one, at once (after a 60 Hz vsync) or after a
/// delay (a timer). Gives the number of frames drawn, from egui's pass counter.
fn idle_frames(h: &mut Harness<'_, MissionboardApp>, seconds: f64) -> u64 {
    let first = h.ctx.cumulative_pass_nr();
    let mut now = h.ctx.input(|i| i.time);
    let end = now + seconds;
    loop {
        let delay = h
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map_or(std::time::Duration::MAX, |v| v.repaint_delay)
            .as_secs_f64()
            .max(1.0 / 60.0);
        if now + delay > end {
            return h.ctx.cumulative_pass_nr() - first;
        }
        now += delay;
        h.input_mut().time = Some(now);
        h.step();
    }
}

#[test]
fn an_idle_window_draws_no_frames_unless_a_glide_or_timer_asks() {
    let mut h = harness_with(sample::uk_missions());
    // The first frames settle: fitting the view, the checks worker's answer.
    idle_frames(&mut h, 2.0);
    let idle = idle_frames(&mut h, 10.0);
    assert_eq!(idle, 0, "frames drawn in 10 idle seconds; asked by {:?}", h.ctx.repaint_causes());
    // A layout glides the cards for under half a second, at a frame per vsync, then rests again.
    // (Sent with the time, as kittest's own key presses move the clock by a quarter second each.)
    let now = h.ctx.input(|i| i.time) + 1.0 / 60.0;
    h.input_mut().time = Some(now);
    h.input_mut().events.extend(key(Key::L, Modifiers::COMMAND | Modifiers::SHIFT));
    h.step();
    assert!(h.state().status().is_some_and(|s| s.text.starts_with("Laid out")), "{:?}", h.state().status());
    let glide = idle_frames(&mut h, 2.0);
    assert!((10..=60).contains(&glide), "the glide drew {glide} frames");
    let idle = idle_frames(&mut h, 10.0);
    assert_eq!(idle, 0, "frames drawn in 10 idle seconds after the glide; asked by {:?}", h.ctx.repaint_causes());
}

/// Key events as a window sends them, for [`egui::RawInput::events`].
fn key(key: Key, modifiers: Modifiers) -> [Event; 2] {
    [true, false].map(|pressed| Event::Key { key, physical_key: None, pressed, repeat: false, modifiers })
}

#[test]
fn text_typed_with_add_a_card_in_one_frame_becomes_its_title() {
    // On a big map the frame after Ctrl+1 is slow, so the title typed after it arrives in the
    // same frame as the key (or in the next, before the title editor has the keyboard).
    let mut h = harness_with(sample::uk_missions());
    let missions = titles(&h, Kind::Mission).len();
    let events = &mut h.input_mut().events;
    events.extend(key(Key::Num1, Modifiers::COMMAND));
    events.push(Event::Text("Net zero grid".to_owned()));
    events.extend(key(Key::Enter, Modifiers::NONE));
    h.step();
    h.run_steps(3);
    let now = titles(&h, Kind::Mission);
    assert_eq!(now.len(), missions + 1, "one card, and Enter ended its title rather than adding another");
    assert!(now.contains(&"Net zero grid".to_owned()), "{now:?}");
    assert!(h.state().status().is_none_or(|s| !s.error), "{:?}", h.state().status());

    // The text in the frame after the key, before the title editor has the keyboard.
    h.input_mut().events.extend(key(Key::Num3, Modifiers::COMMAND));
    h.step();
    h.input_mut().events.push(Event::Text("Heat pumps".to_owned()));
    h.step();
    h.input_mut().events.push(Event::Text(" for all".to_owned()));
    h.step();
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(
        titles(&h, Kind::Intervention).contains(&"Heat pumps for all".to_owned()),
        "{:?}",
        titles(&h, Kind::Intervention)
    );
}

/// Layout ▸ One band per kind: a 400-card map laid out keeps missions, sub-missions, interventions
/// and partners in four bands (by default, above 300 cards, the rows that keep links shortest).
#[test]
fn one_band_per_kind_is_a_choice_in_the_layout_menu() {
    let levels = |h: &Harness<'_, MissionboardApp>| {
        let mut ys: Vec<i64> = h.state().map().nodes_with_placement().map(|(_, p)| p.y.round() as i64).collect();
        ys.sort_unstable();
        ys.dedup();
        ys.len()
    };
    let mut h = harness_with(sample::generate::map(400, 8));
    h.get_by_label("Layout").click();
    h.run_steps(2);
    h.get_by_label("Wide (one row per band)").click();
    h.run_steps(2);
    palette(&mut h, "Lay out");
    let spread = levels(&h);
    assert!(spread > 4, "{spread} levels by default");
    h.get_by_label("Layout").click();
    h.run_steps(2);
    h.get_by_label("One band per kind (large maps too)").click();
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    palette(&mut h, "Lay out");
    assert_eq!(levels(&h), 4, "one band per kind once chosen");
}
