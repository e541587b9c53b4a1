//! The look shared by the canvas and every export: colours, shapes and line styles per kind, as
//! plain RGB so that `src/export/` needs no egui.

use crate::model::{Kind, LinkKind, Node, NodeKind};

/// The strong colour of each kind: header strip, border and icon. Chosen to stay apart for common
/// colour-vision deficiencies and to carry white text at projector contrast.
#[must_use]
pub fn kind_rgb(kind: Kind) -> [u8; 3] {
    match kind {
        Kind::Mission => [0x5B, 0x2C, 0x83],
        Kind::SubMission => [0x00, 0x5A, 0x9C],
        Kind::Intervention => [0x00, 0x6B, 0x50],
        Kind::Partner => [0xA3, 0x4A, 0x00],
    }
}

/// The pale body colour of each kind's card.
#[must_use]
pub fn fill_rgb(kind: Kind) -> [u8; 3] {
    match kind {
        Kind::Mission => [0xF1, 0xEA, 0xF8],
        Kind::SubMission => [0xE6, 0xF1, 0xFA],
        Kind::Intervention => [0xE5, 0xF4, 0xEF],
        Kind::Partner => [0xFB, 0xEF, 0xE3],
    }
}

pub use crate::model::card::{HEADER_HEIGHT, HEADER_SIZE, TITLE_SIZE, corner};

/// How a link is dashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// How a link kind is drawn: colour, width in map units, dash.
#[must_use]
pub fn link_style(kind: LinkKind) -> ([u8; 3], f32, Dash) {
    match kind {
        LinkKind::ContributesTo => ([0x33, 0x33, 0x40], 2.5, Dash::Solid),
        LinkKind::Enables => ([0x00, 0x6B, 0x50], 2.0, Dash::Dashed),
        LinkKind::Delivers => ([0xA3, 0x4A, 0x00], 2.0, Dash::Solid),
        LinkKind::Funds => ([0x9A, 0x7B, 0x00], 2.5, Dash::Dotted),
        LinkKind::Supports => ([0x7A, 0x3E, 0x9D], 2.0, Dash::Dashed),
    }
}

pub use crate::model::analysis::portfolio::money;

/// The colour of a progress status (always shown beside its name, never alone); each is dark
/// enough for 4.5:1 against white, and white text on it.
#[must_use]
pub fn status_rgb(s: crate::model::progress::Status) -> [u8; 3] {
    use crate::model::progress::Status;
    match s {
        Status::OnTrack => [0, 110, 50],
        Status::AtRisk => [150, 85, 0],
        Status::OffTrack => [180, 20, 20],
        Status::Stale | Status::NoData => [90, 90, 90],
    }
}

/// The small facts shown at the foot of a card.
#[must_use]
pub fn badges(node: &Node) -> Vec<String> {
    match &node.kind {
        NodeKind::Mission { target, .. } => {
            target.deadline.map(|d| format!("by {}", d.format("%Y"))).into_iter().collect()
        }
        NodeKind::SubMission { indicators, .. } => match indicators.len() {
            0 => vec!["no indicator".to_owned()],
            1 => vec!["1 indicator".to_owned()],
            n => vec![format!("{n} indicators")],
        },
        NodeKind::Intervention { stage, budget, .. } => {
            let mut v = Vec::new();
            if let Some(s) = stage {
                v.push(s.label().to_owned());
            }
            if let Some(b) = budget {
                v.push(money(b.amount, &b.currency));
            }
            v
        }
        NodeKind::Partner { sector, .. } => sector.map(|s| s.label().to_owned()).into_iter().collect(),
    }
}
