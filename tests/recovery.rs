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

/// Opens `file` in a fresh window over `data` and waits until the file changes on disk.
fn changed_under_me(data: &Path, file: &Path) -> Harness<'static, MissionboardApp> {
    io::save_path(&sample::uk_missions(), file).unwrap();
    let mut h = harness(sample::blank(), data, 1.0 / 60.0);
    h.state_mut().open_path(file);
    h.run_steps(2);
    let mut theirs = sample::uk_missions();
    "Their version".clone_into(&mut theirs.meta.title);
    io::save_path(&theirs, file).unwrap();
    // Mine: a new mission, then Save (Ctrl+S) finds their change.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(3);
    h.get_by_label("The file changed on disk");
    h
}

#[test]
fn after_an_outside_change_reload_theirs_drops_mine_and_saves_nothing() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    let mut h = changed_under_me(data.path(), &file);
    let theirs = std::fs::read(&file).unwrap();
    let missions = |h: &Harness<'static, MissionboardApp>| h.state().map().count_by_kind()[0].1;
    let mine = missions(&h);
    h.get_by_label("Reload theirs").click();
    h.run_steps(3);
    assert_eq!(h.state().map().meta.title, "Their version");
    assert_eq!(missions(&h), mine - 1, "my new mission is gone with the reload");
    assert!(!h.state().document().is_dirty());
    assert_eq!(std::fs::read(&file).unwrap(), theirs, "their file is untouched");
    // Now a save goes through without asking again: the file is theirs as it is now.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    assert!(h.state_mut().save_to(&file));
    assert_eq!(io::load_path(&file).unwrap().map.count_by_kind()[0].1, mine);
}

#[test]
fn after_an_outside_change_save_mine_as_a_new_file_keeps_both() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    let mut h = changed_under_me(data.path(), &file);
    let theirs = std::fs::read(&file).unwrap();
    h.get_by_label("Save mine as a new file…").click();
    h.run_steps(3);
    // The name offered is beside theirs and new, so pressing Save cannot overwrite anything.
    let copy = data.path().join("board (my copy).mission.ron");
    let field = h.get_by_label("File path");
    assert_eq!(field.value().as_deref(), Some(copy.to_string_lossy().as_ref()));
    h.get_by_label("Save").click();
    h.run_steps(3);
    assert_eq!(std::fs::read(&file).unwrap(), theirs, "their file is untouched");
    let mine = io::load_path(&copy).unwrap().map;
    assert_ne!(mine.meta.title, "Their version");
    assert_eq!(mine.count_by_kind()[0].1, sample::uk_missions().count_by_kind()[0].1 + 1, "my new mission is kept");
    assert_eq!(h.state().path(), Some(copy.as_path()), "the editor goes on with my copy");
    assert!(!h.state().document().is_dirty());
}

#[test]
fn losing_focus_autosaves_at_once() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    assert!(autosaves(data.path()).is_empty(), "well before 30 seconds");
    // The facilitator switches to the slides: the window loses focus.
    h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().focused = Some(false);
    h.run_steps(2);
    let saved = autosaves(data.path());
    assert_eq!(saved.len(), 1, "autosaved on focus loss");
    assert_eq!(io::load_path(&saved[0]).unwrap().map.count_by_kind()[0].1, 1);
}

#[test]
fn no_change_waits_longer_than_the_interval_and_autosaves_are_that_far_apart() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(sample::blank(), data.path(), 0.5);
    let now = |h: &Harness<'static, MissionboardApp>| h.ctx.input(|i| i.time);
    // The missions in the autosave on disk (0 when there is none).
    let autosaved =
        |data: &Path| autosaves(data).first().map_or(0, |p| io::load_path(p).unwrap().map.count_by_kind()[0].1);
    let landed = |h: &mut Harness<'static, MissionboardApp>, missions: usize| {
        let from = now(h);
        while autosaved(data.path()) < missions {
            h.run_steps(1);
            assert!(now(h) - from <= AUTOSAVE_SECONDS + 1.0, "a change waited {} s for its autosave", now(h) - from);
        }
        now(h)
    };
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    let first = landed(&mut h, 1);
    // A second change straight after: kept for the next turn, not written at once.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    let second = landed(&mut h, 2);
    assert!(
        second - first >= AUTOSAVE_SECONDS - 0.5,
        "autosaves {} s apart; the interval is {AUTOSAVE_SECONDS} s",
        second - first
    );
}

#[test]
fn opening_a_file_leaves_it_exactly_as_it_was() {
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    // As a Windows editor leaves it, and an hour old: a normalising rewrite or a touch would show.
    let bytes = format!("\u{feff}{}", sample::UK_MISSIONS.replace('\n', "\r\n")).into_bytes();
    std::fs::write(&file, &bytes).unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(hour_ago).unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0);
    h.state_mut().open_path(&file);
    h.run_steps(40); // past the autosave interval, with the map looked at, checked and laid out on screen
    drop(h);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), hour_ago);
    let beside: Vec<_> = std::fs::read_dir(data.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(beside.iter().all(|n| n == "board.mission.ron" || n == "locks" || n == "recovery"), "{beside:?}");
}

/// When set, this test binary is a second Missionboard holding `MB_HOLD_FILE` open, not a test run.
const HOLD: &str = "MB_HOLD_FILE";

#[test]
fn a_map_open_in_another_missionboard_process_warns_until_that_process_ends() {
    if let (Ok(file), Ok(data)) = (std::env::var(HOLD), std::env::var("MB_HOLD_DATA")) {
        // The other process: a real editor window with the file open, until it is killed.
        let mut h = harness(sample::blank(), Path::new(&data), 1.0 / 60.0);
        h.state_mut().open_path(Path::new(&file));
        h.run_steps(2);
        println!("holding");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("board.mission.ron");
    io::save_path(&sample::uk_missions(), &file).unwrap();
    let mut other = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_map_open_in_another_missionboard_process_warns_until_that_process_ends", "--nocapture"])
        .env(HOLD, &file)
        .env("MB_HOLD_DATA", data.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(other.stdout.take().unwrap()));
    assert!(lines.any(|l| l.is_ok_and(|l| l.ends_with("holding"))), "the other process did not start");
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.state_mut().open_path(&file);
    h.run_steps(2);
    h.get_by_label("Already open in another window");
    drop(h);
    // The other process is killed (a crash): the OS lets go of its lock, so no warning is left behind.
    other.kill().unwrap();
    other.wait().unwrap();
    let mut h = harness(sample::blank(), data.path(), 1.0 / 60.0);
    h.state_mut().open_path(&file);
    h.run_steps(2);
    assert!(h.query_by_label("Already open in another window").is_none(), "a dead process's lock is stale");
}
