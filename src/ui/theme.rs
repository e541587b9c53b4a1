//! egui colours for the shared look in [`crate::style`].

use egui::Color32;

use crate::model::{Kind, LinkKind};
pub use crate::style::{Dash, HEADER_HEIGHT, HEADER_SIZE, TITLE_SIZE, corner as kind_corner};

fn c([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

#[must_use]
pub fn kind_colour(kind: Kind) -> Color32 {
    c(crate::style::kind_rgb(kind))
}

#[must_use]
pub fn kind_fill(kind: Kind) -> Color32 {
    c(crate::style::fill_rgb(kind))
}

/// How a link kind is drawn on the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    pub colour: Color32,
    pub width: f32,
    pub dash: Dash,
}

#[must_use]
pub fn link_style(kind: LinkKind) -> LinkStyle {
    let (rgb, width, dash) = crate::style::link_style(kind);
    LinkStyle { colour: c(rgb), width, dash }
}
