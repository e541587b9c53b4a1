//! Colours, shapes and sizes shared by the canvas (and, later, the exports).

use egui::Color32;

use crate::model::{Kind, LinkKind};

/// The strong colour of each kind: header strip, border and icon. Chosen to stay apart for common
/// colour-vision deficiencies and to carry white text at projector contrast.
#[must_use]
pub fn kind_colour(kind: Kind) -> Color32 {
    match kind {
        Kind::Mission => Color32::from_rgb(0x5B, 0x2C, 0x83),
        Kind::SubMission => Color32::from_rgb(0x00, 0x5A, 0x9C),
        Kind::Intervention => Color32::from_rgb(0x00, 0x6B, 0x50),
        Kind::Partner => Color32::from_rgb(0xA3, 0x4A, 0x00),
    }
}

/// The pale body colour of each kind's card.
#[must_use]
pub fn kind_fill(kind: Kind) -> Color32 {
    match kind {
        Kind::Mission => Color32::from_rgb(0xF1, 0xEA, 0xF8),
        Kind::SubMission => Color32::from_rgb(0xE6, 0xF1, 0xFA),
        Kind::Intervention => Color32::from_rgb(0xE5, 0xF4, 0xEF),
        Kind::Partner => Color32::from_rgb(0xFB, 0xEF, 0xE3),
    }
}

/// Corner radius (in map units) that gives each kind its own shape: missions and partners are
/// strongly rounded, sub-missions softly, interventions square.
#[must_use]
pub fn kind_corner(kind: Kind) -> f32 {
    match kind {
        Kind::Mission => 18.0,
        Kind::SubMission => 8.0,
        Kind::Intervention => 1.0,
        Kind::Partner => 40.0,
    }
}

/// How a link kind is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkStyle {
    pub colour: Color32,
    pub width: f32,
    pub dash: Dash,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

#[must_use]
pub fn link_style(kind: LinkKind) -> LinkStyle {
    match kind {
        LinkKind::ContributesTo => {
            LinkStyle { colour: Color32::from_rgb(0x33, 0x33, 0x40), width: 2.5, dash: Dash::Solid }
        }
        LinkKind::Enables => LinkStyle { colour: Color32::from_rgb(0x00, 0x6B, 0x50), width: 2.0, dash: Dash::Dashed },
        LinkKind::Delivers => LinkStyle { colour: Color32::from_rgb(0xA3, 0x4A, 0x00), width: 2.0, dash: Dash::Solid },
        LinkKind::Funds => LinkStyle { colour: Color32::from_rgb(0x9A, 0x7B, 0x00), width: 2.5, dash: Dash::Dotted },
        LinkKind::Supports => LinkStyle { colour: Color32::from_rgb(0x7A, 0x3E, 0x9D), width: 2.0, dash: Dash::Dashed },
    }
}

/// Base font size of card titles at zoom 1, in points: legible on a 1280×720 projector.
pub const TITLE_SIZE: f32 = 15.0;
/// Font size of the kind label in the card's header strip.
pub const HEADER_SIZE: f32 = 11.0;
/// Height of the header strip, in map units.
pub const HEADER_HEIGHT: f32 = 20.0;
