//! Everything egui: the canvas, panels and dialogs. The UI only emits commands; the app applies them.

pub mod canvas;
pub mod theme;
