//! The look shared by the canvas and every export: colours, shapes and line styles per kind, as
//! plain RGB so that `src/export/` needs no egui.

use crate::model::{Kind, LinkKind, Node, NodeKind};

/// The strong colour of each kind: header strip, border and icon. Chosen to stay apart for common
/// colour-vision deficiencies (tested below: ΔE ≥ 10 between every pair for protanopia,
/// deuteranopia and tritanopia) and to carry white text at projector contrast (≥ 4.5:1).
#[must_use]
pub fn kind_rgb(kind: Kind) -> [u8; 3] {
    match kind {
        Kind::Mission => [0x5B, 0x2C, 0x83],
        Kind::SubMission => [0x15, 0x65, 0xC0],
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

/// WCAG 2.2 contrast of the shared colours (light look, the only one so far), computed from the
/// colours themselves, and the kinds kept apart for the common colour-vision deficiencies.
#[cfg(test)]
mod contrast {
    use super::*;
    use crate::model::progress::Status;

    fn linear(c: u8) -> f64 {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    }

    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// The WCAG contrast ratio, 1 to 21.
    fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    const WHITE: [u8; 3] = [255, 255, 255];
    /// egui's light panel colour, behind the canvas.
    const CANVAS: [u8; 3] = [248, 248, 248];
    /// The card title's colour on the canvas and in exports.
    const TEXT: [u8; 3] = [0x1A, 0x1A, 0x1A];

    #[test]
    fn text_is_at_least_4_5_to_1_and_graphics_3_to_1() {
        let mut table = Vec::new();
        let mut check = |what: String, fg: [u8; 3], bg: [u8; 3], min: f64| {
            let r = ratio(fg, bg);
            table.push(format!("| {what} | {r:.1}:1 | {min}:1 |"));
            assert!(r >= min, "{what}: {r:.2}:1 is below {min}:1");
        };
        for k in Kind::ALL {
            check(format!("{} title on its card", k.label()), TEXT, fill_rgb(k), 4.5);
            check(format!("white kind label on the {} header", k.label()), WHITE, kind_rgb(k), 4.5);
            check(format!("{} outline on the canvas", k.label()), kind_rgb(k), CANVAS, 3.0);
            check(format!("{} outline on white paper", k.label()), kind_rgb(k), WHITE, 3.0);
        }
        for l in LinkKind::ALL {
            let (rgb, ..) = link_style(l);
            check(format!("\"{}\" link on the canvas", l.label()), rgb, CANVAS, 3.0);
        }
        for s in [Status::OnTrack, Status::AtRisk, Status::OffTrack, Status::Stale] {
            check(format!("white \"{}\" on its status chip", s.label()), WHITE, status_rgb(s), 4.5);
        }
        // `cargo test -- --nocapture contrast` prints the table for the docs and notes.
        println!("| colours | contrast | needed |\n|---|---|---|\n{}", table.join("\n"));
    }

    /// Machado, Oliveira and Fernandes (2009), full severity, applied to linear RGB.
    const DEFICIENCIES: [(&str, [[f64; 3]; 3]); 3] = [
        (
            "protanopia",
            [
                [0.152_286, 1.052_583, -0.204_868],
                [0.114_503, 0.786_281, 0.099_216],
                [-0.003_882, -0.048_116, 1.051_998],
            ],
        ),
        (
            "deuteranopia",
            [[0.367_322, 0.860_646, -0.227_968], [0.280_085, 0.672_501, 0.047_413], [-0.011_820, 0.042_940, 0.968_881]],
        ),
        (
            "tritanopia",
            [
                [1.255_528, -0.076_749, -0.178_779],
                [-0.078_411, 0.930_809, 0.147_602],
                [0.004_733, 0.691_367, 0.303_900],
            ],
        ),
    ];

    /// CIE L*a*b* of a linear RGB colour (D65).
    fn lab([r, g, b]: [f64; 3]) -> [f64; 3] {
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.950_47;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.088_83;
        let f = |t: f64| if t > 0.008_856 { t.cbrt() } else { 7.787 * t + 16.0 / 116.0 };
        [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
    }

    #[test]
    fn the_kinds_stay_apart_for_colour_blind_viewers() {
        for (name, m) in DEFICIENCIES {
            let seen: Vec<[f64; 3]> = Kind::ALL
                .iter()
                .map(|&k| {
                    let [r, g, b] = kind_rgb(k).map(linear);
                    let s = m.map(|row| (row[0] * r + row[1] * g + row[2] * b).clamp(0.0, 1.0));
                    lab(s)
                })
                .collect();
            for i in 0..seen.len() {
                for j in i + 1..seen.len() {
                    let d = seen[i].iter().zip(&seen[j]).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
                    // Besides colour, kinds differ by corner shape and icon; this keeps colour a help too.
                    assert!(d >= 10.0, "{name}: {:?} and {:?} look alike (ΔE {d:.1})", Kind::ALL[i], Kind::ALL[j]);
                }
            }
        }
    }
}
