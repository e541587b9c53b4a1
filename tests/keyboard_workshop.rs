//! A keyboard-only facilitator (issue 29): the timer starts and pauses from anywhere (F9, or "Start
//! or pause the timer" in Ctrl+K), and a voting round is named and started without the mouse.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};

mod common;
use common::palette;

fn window() -> Harness<'static, MissionboardApp> {
    let map = missionboard::sample::uk_missions();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()))
}

#[test]
fn the_timer_starts_and_pauses_from_the_keyboard_without_its_window() {
    let mut h = window();
    h.run_steps(3);
    assert!(!h.state().timer().running());
    h.key_press(Key::F9);
    h.run_steps(2);
    assert!(h.state().timer().running(), "F9 starts the timer");
    palette(&mut h, "Start or pause the timer");
    assert!(!h.state().timer().running(), "the palette's command pauses it");
    assert!(h.state().status().is_some_and(|s| s.text.contains("paused")));
}

#[test]
fn a_voting_round_is_named_and_started_with_enter() {
    let mut h = window();
    h.run_steps(3);
    let rounds = h.state().map().workshop.votes.len();
    palette(&mut h, "Dot voting");
    h.get_by_label("New round:").click();
    h.run_steps(2);
    h.get_by_label("New round:").type_text("Which interventions first?");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let votes = &h.state().map().workshop.votes;
    assert_eq!(votes.len(), rounds + 1, "Enter started the round");
    assert_eq!(votes.last().map(|r| r.name.as_str()), Some("Which interventions first?"));
}

#[test]
fn escape_closes_an_open_menu() {
    let mut h = window();
    h.run_steps(3);
    h.get_by_label("File").click();
    h.run_steps(3);
    assert!(h.query_by_label("Share live\u{2026}").is_some(), "the File menu is open");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.query_by_label("Share live\u{2026}").is_none(), "Esc closed the menu");
}

#[test]
fn news_leaves_the_status_bar_after_a_while() {
    let mut h = window();
    h.run_steps(3);
    h.key_press(Key::F9);
    h.run_steps(2);
    assert!(h.state().status().is_some_and(|s| s.text.contains("Timer running")));
    // Thirteen seconds of frames (the harness's clock moves a frame's time each step).
    h.key_press(Key::F9);
    for _ in 0..13 * 60 {
        h.step();
    }
    assert!(h.state().status().is_none(), "news stayed: {:?}", h.state().status().map(|s| &s.text));
}
