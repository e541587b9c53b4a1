//! The size of a card: a fixed width per kind and a height that grows until the whole title fits.
//! One rule for the canvas, the layout and every export, so no title is ever cut ("…") and cards
//! never overlap because one drawing measured differently from another.
//!
//! Text is measured with the advance widths of the font the canvas draws with (egui's Ubuntu
//! Light, embedded in exports too) and wrapped to a width with a little room to spare; SVG gives
//! each line its measured length, so a program that substitutes a wider font (LibreOffice Draw
//! falls back to DejaVu Sans, about 14 % wider) squeezes it into the card instead of running out.

use std::sync::OnceLock;

use super::{Kind, Node};

/// Title size at zoom 1, in map units: legible on a 1280×720 projector at 100 %.
pub const TITLE_SIZE: f32 = 15.0;
/// Distance between the baselines of two title lines.
pub const LINE_HEIGHT: f32 = TITLE_SIZE * 1.2;
/// Size of the kind label in the header strip.
pub const HEADER_SIZE: f32 = 11.0;
/// Height of the header strip.
pub const HEADER_HEIGHT: f32 = 20.0;
/// Size of a mission's target line, under its title.
pub const TARGET_SIZE: f32 = 12.0;
/// Distance between the baselines of two target lines.
pub const TARGET_LINE: f32 = TARGET_SIZE * 1.2;
/// Height of the row of badges at the foot of a card.
pub const BADGE_ROW: f32 = 16.0;
/// Room left on each title line for a substitute font. SVG exports also give each line its
/// measured length (`textLength`), which LibreOffice, browsers and resvg honour by squeezing a
/// wider font (DejaVu Sans is ~14 % wider than Ubuntu Light) into it; this spare covers programs
/// that ignore it for fonts up to 4 % wider.
pub const FALLBACK_SPARE: f32 = 1.04;

/// Width of a card of this kind, in map units.
#[must_use]
pub fn width(kind: Kind) -> f32 {
    kind.card_size().0
}

/// Space between the card's edge and its title.
#[must_use]
pub fn inset(kind: Kind) -> f32 {
    corner(kind) * 0.35 + 8.0
}

/// Corner radius (map units) that gives each kind its own shape: missions and partners strongly
/// rounded, sub-missions softly, interventions square.
#[must_use]
pub fn corner(kind: Kind) -> f32 {
    match kind {
        Kind::Mission => 18.0,
        Kind::SubMission => 8.0,
        Kind::Intervention => 1.0,
        Kind::Partner => 40.0,
    }
}

/// The width a title line may take in a card of this kind, measured in Ubuntu Light.
#[must_use]
pub fn title_width(kind: Kind) -> f32 {
    (width(kind) - 2.0 * inset(kind)) / FALLBACK_SPARE
}

/// The text a card shows, broken into lines: its title and, on a mission, its measurable target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardText {
    pub title: Vec<String>,
    pub target: Vec<String>,
}

/// A node's card text, broken as every drawing of it breaks it.
#[must_use]
pub fn text(node: &Node) -> CardText {
    CardText { title: title_lines(node.kind(), &node.title), target: target_lines(node) }
}

/// A fingerprint of everything [`text`] reads from a card: equal keys, equal lines.
#[must_use]
pub fn text_key(node: &Node) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    node.kind().hash(&mut h);
    node.title.hash(&mut h);
    if let super::NodeKind::Mission { target, .. } = &node.kind {
        target.text().hash(&mut h);
    }
    h.finish()
}

/// Width and height of a node's card, in map units: tall enough for the whole title and, on a
/// mission, its measurable target.
#[must_use]
pub fn size(node: &Node) -> (f32, f32) {
    size_of(node.kind(), &text(node))
}

/// Width and height of a card of `kind` showing `text`.
#[must_use]
pub fn size_of(kind: Kind, text: &CardText) -> (f32, f32) {
    let (w, h) = kind.card_size();
    let title = text.title.len().max(1) as f32;
    let target = if text.target.is_empty() { 0.0 } else { 4.0 + text.target.len() as f32 * TARGET_LINE };
    let needed = HEADER_HEIGHT + 4.0 + title * LINE_HEIGHT + target + BADGE_ROW + 4.0;
    (w, h.max(needed.ceil()))
}

/// A mission's target, broken into the lines its card shows (nothing for other kinds).
#[must_use]
pub fn target_lines(node: &Node) -> Vec<String> {
    match &node.kind {
        super::NodeKind::Mission { target, .. } => {
            target.text().map(|t| wrap(&t, TARGET_SIZE, title_width(node.kind()))).unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// Width and height of a card of `kind` titled `title`.
#[must_use]
pub fn size_for(kind: Kind, title: &str) -> (f32, f32) {
    size_of(kind, &CardText { title: title_lines(kind, title), target: Vec::new() })
}

/// The title broken into the lines a card of `kind` shows: every word, in order, none cut.
#[must_use]
pub fn title_lines(kind: Kind, title: &str) -> Vec<String> {
    wrap(title, TITLE_SIZE, title_width(kind))
}

/// Breaks `text` into lines no wider than `width` at font size `size`, at spaces; a word longer
/// than a line is broken between letters. Nothing is left out.
#[must_use]
pub fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    let space = advance(' ') * size;
    for word in text.split_whitespace() {
        let word_w = text_width(word, size);
        if line.is_empty() {
            // fall through to placing the word
        } else if line_w + space + word_w <= width {
            line.push(' ');
            line.push_str(word);
            line_w += space + word_w;
            continue;
        } else {
            lines.push(std::mem::take(&mut line));
            line_w = 0.0;
        }
        if word_w <= width {
            line.push_str(word);
            line_w = word_w;
            continue;
        }
        // A word wider than the card: break it between letters.
        for c in word.chars() {
            let cw = advance(c) * size;
            if !line.is_empty() && line_w + cw > width {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line.push(c);
            line_w += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Width of `text` set in Ubuntu Light at `size`.
#[must_use]
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(advance).sum::<f32>() * size
}

/// Advance widths (in em) of the first 0x250 characters of Ubuntu Light; other characters are
/// looked up one by one.
struct Metrics {
    table: Vec<f32>,
    face: Option<ttf_parser::Face<'static>>,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(epaint_default_fonts::UBUNTU_LIGHT, 0).ok();
        let table = (0u32..0x250)
            .map(|c| char::from_u32(c).and_then(|c| face.as_ref().and_then(|f| glyph_advance(f, c))).unwrap_or(0.55))
            .collect();
        Metrics { table, face }
    })
}

fn glyph_advance(face: &ttf_parser::Face<'_>, c: char) -> Option<f32> {
    let glyph = face.glyph_index(c)?;
    Some(f32::from(face.glyph_hor_advance(glyph)?) / f32::from(face.units_per_em()))
}

/// Advance width of one character in em. Characters the font lacks (drawn from a fallback font)
/// count as wide, so they never overflow: CJK as a full em, the rest as 0.6 em.
fn advance(c: char) -> f32 {
    let m = metrics();
    if let Some(&w) = m.table.get(c as usize) {
        return w;
    }
    if c.is_control() {
        return 0.0;
    }
    m.face.as_ref().and_then(|f| glyph_advance(f, c)).unwrap_or(if c as u32 >= 0x2E80 { 1.0 } else { 0.6 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_font() {
        // Ubuntu Light: "i" is narrow, "W" wide; a space is about a quarter of an em.
        assert!(text_width("W", 10.0) > 2.0 * text_width("i", 10.0));
        let space = text_width(" ", 1.0);
        assert!((0.15..0.35).contains(&space), "{space}");
    }

    #[test]
    fn wrapping_keeps_every_word_and_stays_inside() {
        let title = "Adaptation to Climate Change: support at least 150 European regions and communities to become climate resilient by 2030";
        let lines = title_lines(Kind::SubMission, title);
        assert!(lines.len() > 2);
        assert_eq!(lines.join(" "), title);
        for l in &lines {
            assert!(text_width(l, TITLE_SIZE) <= title_width(Kind::SubMission) + 0.01, "{l}");
        }
        let (_, h) = size_for(Kind::SubMission, title);
        assert!(h >= HEADER_HEIGHT + lines.len() as f32 * LINE_HEIGHT, "{h}");
    }

    #[test]
    fn a_long_word_is_broken_not_cut() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung";
        let lines = title_lines(Kind::Partner, word);
        assert!(lines.len() >= 2);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn short_titles_keep_the_kind_size() {
        assert_eq!(size_for(Kind::Mission, "Growth"), Kind::Mission.card_size());
        assert_eq!(size_for(Kind::Partner, ""), Kind::Partner.card_size());
    }
}
