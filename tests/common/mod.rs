//! Helpers shared by the UI test files.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::MissionboardApp;

/// The editor at 1280×720, light theme, with `map` open and its first frames run.
#[allow(dead_code, reason = "not every test file opens its own map")]
pub fn window(map: missionboard::model::MissionMap) -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, missionboard::app::Settings::default()));
    h.run_steps(3);
    h
}

/// Drags with the primary button from one screen point to another, in small moves, as a hand would.
#[allow(dead_code, reason = "not every test file drags")]
pub fn drag(h: &mut Harness<'_, MissionboardApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=8 {
        h.hover_at(from + (to - from) * (i as f32 / 8.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    h.run_steps(2);
}

/// Runs a command from the command palette (Ctrl+K), as typed.
#[allow(dead_code, reason = "not every test file runs commands")]
pub fn palette(h: &mut Harness<'_, MissionboardApp>, command: &str) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(3);
    h.get_by_label("Command").type_text(command);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
}
