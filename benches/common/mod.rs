//! What the editor benchmarks share.

use egui::{RawInput, Rect, pos2, vec2};
use missionboard::app::MissionboardApp;

/// One frame of the editor at 1280×720, tessellated as a window would be.
pub fn frame(ctx: &egui::Context, app: &mut MissionboardApp) {
    let input =
        RawInput { screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1280.0, 720.0))), ..RawInput::default() };
    let out = ctx.run_ui(input, |ui| app.frame(ui));
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
}
