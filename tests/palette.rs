//! The command palette (Ctrl+K) typed into at speed: what is typed and Enter can reach the window in
//! one frame (a fast typist, xdotool, a busy laptop); Enter must run what the typed text names, never
//! what the list showed before the text arrived (it ran "New map" and the open map was gone).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::MissionboardApp;

mod common;

fn window() -> Harness<'static, MissionboardApp> {
    common::window(missionboard::sample::uk_missions())
}

fn enter() -> egui::Event {
    egui::Event::Key { key: Key::Enter, physical_key: None, pressed: true, repeat: false, modifiers: Modifiers::NONE }
}

#[test]
fn enter_runs_the_command_typed_in_the_same_frame() {
    let mut h = window();
    h.run_steps(3);
    let cards = h.state().map().node_count();
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    // The words and Enter in one frame's input.
    let events = &mut h.input_mut().events;
    events.push(egui::Event::Text("Dot voting".into()));
    events.push(enter());
    h.run_steps(3);
    assert_eq!(h.state().map().node_count(), cards, "the map was replaced");
    h.get_by_label("New round:");
}

#[test]
fn a_new_query_starts_again_at_the_top_of_its_list() {
    let mut h = window();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    // Down twice in the whole list, then a query: Enter runs the query's first match.
    h.key_press(Key::ArrowDown);
    h.run_steps(1);
    h.key_press(Key::ArrowDown);
    h.run_steps(1);
    h.get_by_label("Command").type_text("Dot voting");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    h.get_by_label("New round:");
}

#[test]
fn words_typed_with_ctrl_k_in_one_frame_go_to_the_palette_not_the_map() {
    let mut h = window();
    let cards = h.state().map().node_count();
    // Ctrl+K, the words and Enter all in one frame, as a busy window receives a fast typist.
    let events = &mut h.input_mut().events;
    events.push(egui::Event::Key {
        key: Key::K,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    events.push(egui::Event::Text("Dot voting".into()));
    events.push(enter());
    h.run_steps(4);
    assert_eq!(h.state().map().node_count(), cards, "the map changed");
    assert!(
        !h.state().status().is_some_and(|s| s.text.contains("Enter adds")),
        "the map took the Enter: {:?}",
        h.state().status().map(|s| s.text.clone())
    );
    h.get_by_label("New round:");
}
