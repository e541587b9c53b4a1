//! Everything egui: the canvas, panels and dialogs. The UI only emits commands; the app applies them.

pub mod actions;
pub mod canvas;
pub mod checks;
pub mod copies;
pub mod inspector;
pub mod portfolio;
pub mod progress;
pub mod scene;
pub mod theme;
pub mod workshop;
