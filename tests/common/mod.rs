//! Helpers shared by the UI test files.

use egui_kittest::Harness;
use missionboard::app::MissionboardApp;

/// Drags with the primary button from one screen point to another, in small moves, as a hand would.
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
