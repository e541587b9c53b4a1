//! Everything egui: the canvas, panels and dialogs. The UI only emits commands; the app applies them.

pub mod actions;
pub mod canvas;
pub mod checks;
pub mod copies;
pub mod grants;
pub mod inspector;
pub mod live;
pub mod money;
pub mod path_field;
pub mod portfolio;
pub mod progress;
pub mod room;
pub mod scene;
pub mod theme;
pub mod workshop;

/// The height a scrolling list in a dialog may take: `want` points, or less when the screen holds
/// fewer points (large text on a small screen), leaving room for the dialog's heading and buttons.
#[must_use]
pub fn list_height(ctx: &egui::Context, want: f32) -> f32 {
    want.min((ctx.content_rect().height() - 220.0).max(120.0))
}
