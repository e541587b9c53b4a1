//! Image snapshots of the editor at a projector's 1280×720, drawn by wgpu on a software renderer
//! (lavapipe or llvmpipe). Accept new images with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.
#![allow(clippy::unwrap_used, reason = "tests")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::sample;

fn sample_harness() -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_eframe(|cc| MissionboardApp::with_map(&cc.egui_ctx, sample::uk_missions(), Settings::default()));
    h.run_steps(4);
    h
}

#[test]
fn sample_map_whole() {
    let mut h = sample_harness();
    h.snapshot("sample_map_whole");
}

#[test]
fn sample_map_close_up_with_a_selected_card() {
    let mut h = sample_harness();
    h.get_by_label("Mission: Make Britain a clean energy superpower").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(3);
    h.snapshot("sample_map_close_up");
}
