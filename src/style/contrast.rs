//! WCAG 2.2 contrast of every theme's colours, computed from the colours themselves, and the kinds
//! kept apart for the common colour-vision deficiencies. `cargo test contrast -- --nocapture`
//! prints the table.

use std::fmt::Write as _;

use super::{Palette, Theme};
use crate::model::progress::Status;
use crate::model::{Kind, LinkKind};

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

/// Every text/ground and graphic/ground pair a theme draws, with the ratio it needs: AA (text
/// 4.5:1, graphics 3:1) for light and dark, AAA text (7:1) and 4.5:1 graphics for high contrast
/// and the projector.
fn pairs(p: &Palette) -> Vec<(String, [u8; 3], [u8; 3], f64)> {
    let strong = matches!(p.theme, Theme::HighContrast | Theme::Projector);
    let (text, graphic) = if strong { (7.0, 4.5) } else { (4.5, 3.0) };
    let mut v = vec![
        ("map title and link labels on the background".to_owned(), p.text, p.background, text),
        ("subtitle on the background".to_owned(), p.muted, p.background, text),
        ("selection ring on the background".to_owned(), p.highlight, p.background, graphic),
    ];
    for k in Kind::ALL {
        let l = k.label();
        v.push((format!("{l} title on its card"), p.text, p.fill(k), text));
        v.push((format!("kind label on the {l} header"), p.on_kind, p.kind(k), text));
        v.push((format!("{l} target and badge text on its card"), p.kind(k), p.fill(k), text));
        v.push((format!("{l} badge text on the badge"), p.kind(k), p.badge, text));
        v.push((format!("{l} outline on the background"), p.kind(k), p.background, graphic));
        if !p.dark {
            v.push((format!("{l} outline on white paper"), p.kind(k), WHITE, graphic));
        }
    }
    for l in LinkKind::ALL {
        let (rgb, ..) = p.link(l);
        v.push((format!("\"{}\" link on the background", l.label()), rgb, p.background, graphic));
    }
    for s in [Status::OnTrack, Status::AtRisk, Status::OffTrack, Status::NoData] {
        v.push((format!("\"{}\" text on its status chip", s.label()), p.on_status, p.status(s), text));
        for k in Kind::ALL {
            v.push((format!("\"{}\" chip on a {} card", s.label(), k.label()), p.status(s), p.fill(k), graphic));
        }
    }
    v
}

#[test]
fn every_theme_meets_wcag_contrast() {
    let mut table = String::new();
    let mut failures = Vec::new();
    for theme in Theme::ALL {
        let p = theme.palette();
        let _ = write!(table, "\n{}\n\n| colours | contrast | needed |\n|---|---|---|\n", theme.label());
        for (what, fg, bg, min) in pairs(p) {
            let r = ratio(fg, bg);
            let _ = writeln!(table, "| {what} | {r:.1}:1 | {min}:1 |");
            if r < min {
                failures.push(format!("{}: {what} is {r:.2}:1, below {min}:1", theme.label()));
            }
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_contrast_check_can_fail() {
    // Pale grey on white must be caught (a check that passes everything proves nothing).
    assert!(ratio([0xBB, 0xBB, 0xBB], WHITE) < 3.0, "pale grey on white");
    assert!((ratio([0, 0, 0], WHITE) - 21.0).abs() < 1e-9, "black on white is 21:1");
}

#[test]
fn projector_is_high_contrast_with_bolder_lines() {
    let (hc, pj) = (Theme::HighContrast.palette(), Theme::Projector.palette());
    assert_eq!((hc.kinds, hc.text, hc.background), (pj.kinds, pj.text, pj.background), "same colours");
    assert!(pj.line_scale > hc.line_scale && pj.outline_scale > hc.outline_scale, "thicker lines");
    let (_, light_w, _) = Theme::Light.palette().link(LinkKind::ContributesTo);
    let (_, pj_w, _) = pj.link(LinkKind::ContributesTo);
    assert!(pj_w >= light_w * 1.5, "projector links {pj_w} vs {light_w}");
}

/// Machado, Oliveira and Fernandes (2009), full severity, applied to linear RGB.
const DEFICIENCIES: [(&str, [[f64; 3]; 3]); 3] = [
    (
        "protanopia",
        [[0.152_286, 1.052_583, -0.204_868], [0.114_503, 0.786_281, 0.099_216], [-0.003_882, -0.048_116, 1.051_998]],
    ),
    (
        "deuteranopia",
        [[0.367_322, 0.860_646, -0.227_968], [0.280_085, 0.672_501, 0.047_413], [-0.011_820, 0.042_940, 0.968_881]],
    ),
    (
        "tritanopia",
        [[1.255_528, -0.076_749, -0.178_779], [-0.078_411, 0.930_809, 0.147_602], [0.004_733, 0.691_367, 0.303_900]],
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
    let mut worst = Vec::new();
    for theme in Theme::ALL {
        let p = theme.palette();
        for (name, m) in DEFICIENCIES {
            let seen: Vec<[f64; 3]> = Kind::ALL
                .iter()
                .map(|&k| {
                    let [r, g, b] = p.kind(k).map(linear);
                    lab(m.map(|row| (row[0] * r + row[1] * g + row[2] * b).clamp(0.0, 1.0)))
                })
                .collect();
            let mut least = f64::INFINITY;
            for i in 0..seen.len() {
                for j in i + 1..seen.len() {
                    let d = seen[i].iter().zip(&seen[j]).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
                    least = least.min(d);
                    // Besides colour, kinds differ by corner shape and icon; this keeps colour a help too.
                    assert!(
                        d >= 10.0,
                        "{} theme, {name}: {:?} and {:?} look alike (ΔE {d:.1})",
                        theme.label(),
                        Kind::ALL[i],
                        Kind::ALL[j]
                    );
                }
            }
            worst.push(format!("{} {name}: closest pair ΔE {least:.1}", theme.label()));
        }
    }
    println!("{}", worst.join("\n"));
}
