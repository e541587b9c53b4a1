//! Never lose a workshop: autosave, recovery after a crash, files changed under us, a map open in
//! two windows, all driven through the real editor.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{AUTOSAVE_SECONDS, MissionboardApp, Settings};
use missionboard::io;
use missionboard::model::{Kind, MissionMap, Placement};
use missionboard::sample;

fn harness(map: MissionMap, data: &Path, step_dt: f32) -> Harness<'static, MissionboardApp> {
    let data = data.to_owned();
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 720.0)).with_step_dt(step_dt).build_eframe(move |cc| {
        let mut app = MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default());
        app.use_data_dir(&data);
        app
    });
    h.run_steps(3);
    h
}

fn autosaves(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join("recovery")) else { return Vec::new() };
    entries.flatten().map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(".mission.ron")).collect()
}

#[test]
fn changes_are_autosaved_after_30_seconds_and_the_autosave_goes_after_a_save() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0);
    assert!(autosaves(data.path()).is_empty(), "nothing to autosave yet");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    assert!(autosaves(data.path()).is_empty(), "not before 30 seconds");
    h.run_steps(AUTOSAVE_SECONDS as usize + 2);
    let saved = autosaves(data.path());
    assert_eq!(saved.len(), 1);
    let recovered = io::load_path(&saved[0]).unwrap().map;
    assert_eq!(recovered.count_by_kind()[0].1, 1, "the new mission is in the autosave");
    // The user's file is never written by autosave; a real save removes the autosave.
    let file = data.path().join("board.mission.ron");
    assert!(!file.exists());
    assert!(h.state_mut().save_to(&file));
    h.run_steps(2);
    assert!(autosaves(data.path()).is_empty());
}

#[test]
fn after_a_crash_the_next_start_offers_the_changes_with_what_differs() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    let saved = sample::uk_missions();
    io::save_path(&saved, &file).unwrap();
    // A window that edited the map and was killed: its autosave stays, its lock is gone.
    let mut edited = saved.clone();
    edited.create_node(Kind::Intervention, "Warm homes grants", Placement::at(0.0, 0.0)).unwrap();
    {
        let session = io::recovery::Session::start(&data.path().join("recovery")).unwrap();
        session.save(&edited, Some(&file)).unwrap();
        // Gone without a clean close: the lock is released, the autosave stays (as after a kill).
        drop(session);
    }
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.get_by_label("Restore unsaved work?");
    h.get_by_label_contains("cards: 1 added");
    h.get_by_label("Restore").click();
    h.run_steps(3);
    let app = h.state();
    assert_eq!(app.map().node_count(), saved.node_count() + 1);
    assert!(app.document().is_dirty(), "restored changes are unsaved until saved");
    assert_eq!(app.path(), Some(file.as_path()));
    // The old autosave is gone; this window's own now holds the changes.
    let left = autosaves(data.path());
    assert_eq!(left.len(), 1);
    assert_eq!(io::load_path(&left[0]).unwrap().map.node_count(), saved.node_count() + 1);
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    io::save_path(&sample::uk_missions(), &file).unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.state_mut().open_path(&file);
    h.run_steps(2);
    // A colleague's sync tool writes a new version.
    let mut theirs = sample::uk_missions();
    theirs.meta.title = "Their version".to_owned();
    io::save_path(&theirs, &file).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(3);
    assert!(!h.state_mut().save_to(&file));
    h.run_steps(2);
    h.get_by_label("The file changed on disk");
    assert_eq!(io::load_path(&file).unwrap().map.meta.title, "Their version", "their file is untouched");
    h.get_by_label("Overwrite with mine").click();
    h.run_steps(3);
    assert_ne!(io::load_path(&file).unwrap().map.meta.title, "Their version");
    assert!(!h.state().document().is_dirty());
}

#[test]
fn a_map_open_in_a_second_window_warns() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    io::save_path(&sample::uk_missions(), &file).unwrap();
    let mut first = harness(sample::blank(), data.path(), 1.0 / 60.0);
    first.state_mut().open_path(&file);
    first.run_steps(2);
    let mut second = harness(sample::blank(), data.path(), 1.0 / 60.0);
    second.state_mut().open_path(&file);
    second.run_steps(2);
    second.get_by_label("Already open in another window");
    drop(first);
    let mut third = harness(sample::blank(), data.path(), 1.0 / 60.0);
    drop(second);
    third.state_mut().open_path(&file);
    third.run_steps(2);
    assert!(third.query_by_label("Already open in another window").is_none(), "the lock went with its window");
}

#[test]
fn save_is_not_an_undo_step_and_keeps_redo() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    h.run_steps(2);
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().document().can_redo(), "the second card can be redone");
    assert!(h.state_mut().save_to(&file));
    h.run_steps(2);
    let doc = h.state().document();
    assert!(!doc.is_dirty(), "saved");
    assert!(doc.can_redo(), "saving keeps what can be redone");
    assert_eq!(doc.undo_label(), Some("Add mission"), "the last undo step is still the edit, not the save");
    // Ctrl+Z right after Ctrl+S undoes the edit, not the save.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 0, "the mission added first is undone");
}

#[test]
fn a_new_map_lets_go_of_the_file_it_replaced() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    io::save_path(&sample::uk_missions(), &file).unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.state_mut().open_path(&file);
    h.run_steps(2);
    assert!(io::recovery::FileLock::take(&data.path().join("locks"), &file).is_err(), "held while open");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run_steps(3);
    assert!(h.state().path().is_none(), "a new map has no file");
    assert!(
        io::recovery::FileLock::take(&data.path().join("locks"), &file).is_ok(),
        "after New, another window may open the old file without a warning"
    );
}

#[test]
fn opening_a_crowded_map_says_how_to_space_it() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("old.mission.ron");
    // Two interventions 240 apart: laid out when cards were 200 wide, they touch now.
    let mut old = MissionMap::new("Old board");
    for (i, x) in [0.0, 240.0].into_iter().enumerate() {
        let id = missionboard::model::NodeId::new(format!("i{i}")).unwrap();
        let node = missionboard::model::Node::new(id, Kind::Intervention, format!("Programme {i}"));
        old.add_node(node, Placement::at(x, 0.0)).unwrap();
    }
    io::save_path(&old, &file).unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.state_mut().open_path(&file);
    h.run_steps(2);
    h.get_by_label_contains("2 cards touch or overlap others");
    // Laid out (Ctrl+Shift+L), they are spaced.
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    h.run_steps(30);
    assert_eq!(missionboard::layout::crowded_cards(h.state().map()), 0);
}
