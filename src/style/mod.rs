//! The look shared by the canvas and every export: colours, shapes and line styles per kind, as
//! plain RGB so that `src/export/` needs no egui. The colours come in themes ([`Theme`]); each
//! theme's [`Palette`] is checked against WCAG 2.2 AA by the `contrast` tests.

pub mod palette;

use crate::model::{Node, NodeKind};

pub use crate::model::analysis::portfolio::money;
pub use crate::model::card::{HEADER_HEIGHT, HEADER_SIZE, TITLE_SIZE, corner};
pub use palette::{Dash, Palette, Theme};

/// The colours of money's statuses in bars stacked spent, committed, planned (bottom to top; see
/// `model::money::STACKED`): dark to pale blue, told apart in print and by colour-blind readers
/// by lightness alone.
pub const MONEY_STACK: [palette::Rgb; 3] = [[0x1f, 0x4e, 0x79], [0x41, 0x8f, 0xc8], [0xa9, 0xcf, 0xee]];

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

#[cfg(test)]
mod contrast;
