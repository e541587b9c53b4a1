//! A page of the board pack as it is written: A4 in points, text that fits its width, status chips,
//! sparklines and maps, then the footer.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::super::svg::{FONT_FAMILY, picture_size, to_svg, xml};
use super::super::{Options, Page, Scope, arranged};
use crate::model::progress::Status;
use crate::model::{MissionMap, card};

/// A status's colour: the pack is printed, so always in the light theme.
pub(super) fn status_rgb(s: Status) -> [u8; 3] {
    crate::style::Theme::Light.palette().status(s)
}

pub(super) const W: f32 = 595.0;
pub(super) const H: f32 = 842.0;
pub(super) const LEFT: f32 = 40.0;
pub(super) const RIGHT: f32 = W - 40.0;
pub(super) const TEXT: f32 = 9.5;
pub(super) const LINE: f32 = 13.0;
/// The lowest a line of text may sit before the footer.
pub(super) const BOTTOM: f32 = H - 50.0;

pub(super) fn colour([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Text cut to fit `width` at `size`, ending in "…" when cut.
pub(super) fn fit(text: &str, size: f32, width: f32) -> String {
    if card::text_width(text, size) <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if card::text_width(&out, size) + card::text_width(&format!("{c}\u{2026}"), size) > width {
            break;
        }
        out.push(c);
    }
    format!("{}\u{2026}", out.trim_end())
}

/// One page being written: SVG text, and where the next line goes.
pub(super) struct Sheet {
    pub(super) svg: String,
    pub(super) y: f32,
}

impl Sheet {
    pub(super) fn new() -> Sheet {
        Sheet { svg: String::new(), y: 60.0 }
    }

    pub(super) fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, fill: &str, text: &str) {
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let _ = write!(
            self.svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}">{}</text>"#,
            xml(text)
        );
    }

    /// A line of text at the left margin, cut to the width; nothing when the page is full.
    pub(super) fn line(&mut self, size: f32, bold: bool, text: &str) -> bool {
        if self.y > BOTTOM {
            return false;
        }
        self.text(LEFT, self.y, size, bold, "#1A1A1A", &fit(text, size, RIGHT - LEFT));
        self.y += size * 1.4;
        true
    }

    /// A paragraph broken into lines.
    pub(super) fn paragraph(&mut self, size: f32, text: &str) {
        for l in card::wrap(text, size, RIGHT - LEFT) {
            if !self.line(size, false, &l) {
                break;
            }
        }
    }

    /// A bulleted item, wrapped onto at most three lines with a hanging indent.
    pub(super) fn bullet(&mut self, text: &str) {
        let lines = card::wrap(text, TEXT, RIGHT - LEFT - 10.0);
        for (i, l) in lines.iter().enumerate().take(3) {
            if self.y > BOTTOM {
                return;
            }
            let l = if i == 2 && lines.len() > 3 {
                fit(&format!("{l} {}", lines[3]), TEXT, RIGHT - LEFT - 10.0)
            } else {
                l.clone()
            };
            if i == 0 {
                self.text(LEFT, self.y, TEXT, false, "#1A1A1A", "\u{2022}");
            }
            self.text(LEFT + 10.0, self.y, TEXT, false, "#1A1A1A", &l);
            self.y += TEXT * 1.4;
        }
    }

    pub(super) fn heading(&mut self, text: &str) {
        self.y += 6.0;
        self.line(12.0, true, text);
    }

    /// A status chip: its name in white on its colour.
    /// A status chip ("Off track", or "Off track, stale" when the reading is overdue); returns its
    /// width.
    pub(super) fn chip(&mut self, x: f32, y: f32, s: Status, stale: bool) -> f32 {
        let label = if stale { format!("{}, stale", s.label()) } else { s.label().to_owned() };
        let label = label.as_str();
        let w = card::text_width(label, 8.0) + 8.0;
        let _ = write!(
            self.svg,
            r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="11" rx="2" fill="{}"/>"#,
            y - 8.5,
            colour(status_rgb(s))
        );
        self.text(x + 4.0, y, 8.0, true, "#FFFFFF", label);
        w
    }

    pub(super) fn sparkline(&mut self, x: f32, y: f32, w: f32, h: f32, series: &[(NaiveDate, f64)], s: Status) {
        if series.len() < 2 {
            return;
        }
        let (lo, hi) = series.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| (a.min(*v), b.max(*v)));
        let span = if hi > lo { hi - lo } else { 1.0 };
        let step = w / (series.len() - 1) as f32;
        let points: Vec<String> = series
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x + step * i as f32, y - ((v - lo) / span) as f32 * h))
            .collect();
        let _ = write!(
            self.svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="1.2"/>"#,
            points.join(" "),
            colour(status_rgb(s))
        );
    }

    /// A bar per year stacked by status (spent, committed, planned from the bottom), the total
    /// above each bar and the year under it, in a box `height` high from `top` at `x`; returns
    /// its width.
    pub(super) fn money_bars(
        &mut self,
        x: f32,
        top: f32,
        height: f32,
        currency: &str,
        years: &[(&str, [f64; 3])],
    ) -> f32 {
        let (bar, gap) = (34.0_f32, 10.0_f32);
        let peak = years.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0_f64, f64::max);
        self.text(x, top, 8.0, true, "#1A1A1A", currency);
        let base = top + height;
        let mut bx = x;
        for (year, v) in years {
            let mut y = base;
            for (a, rgb) in v.iter().zip(crate::style::MONEY_STACK) {
                #[allow(clippy::cast_possible_truncation, reason = "a share of the box's height")]
                let h = if peak > 0.0 { (a.max(0.0) / peak) as f32 * (height - 22.0) } else { 0.0 };
                if h > 0.0 {
                    let _ = write!(
                        self.svg,
                        r#"<rect x="{bx:.1}" y="{:.1}" width="{bar}" height="{h:.1}" fill="{}"/>"#,
                        y - h,
                        colour(rgb)
                    );
                    y -= h;
                }
            }
            let total = crate::style::money(v.iter().sum(), currency);
            let _ = write!(
                self.svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="7" text-anchor="middle" fill="#1A1A1A">{}</text>"##,
                bx + bar / 2.0,
                y - 2.0,
                xml(&total)
            );
            let _ = write!(
                self.svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="7" text-anchor="middle" fill="#1A1A1A">{}</text>"##,
                bx + bar / 2.0,
                base + 8.0,
                xml(year)
            );
            bx += bar + gap;
        }
        bx - x
    }

    /// The map (or part of it) laid out for a box of the page and drawn into it.
    pub(super) fn picture(&mut self, map: &MissionMap, top: f32, height: f32) {
        let opts = Options {
            page: Page::A4Landscape,
            title_block: false,
            legend: false,
            scope: Scope::All,
            ..Options::default()
        };
        let map = arranged(map, &opts);
        let opts = Options { page: Page::Natural, ..opts };
        let (w, h) = picture_size(&map, &opts);
        let scale = ((RIGHT - LEFT) / w).min(height / h);
        let (dx, dy) = (LEFT + (RIGHT - LEFT - w * scale) / 2.0, top + (height - h * scale) / 2.0);
        let svg = to_svg(&map, &opts);
        let body = svg.split_once('\n').map_or(svg.as_str(), |(_, rest)| rest);
        let body = body.trim_end().trim_end_matches("</svg>");
        let _ = write!(
            self.svg,
            r##"<rect x="{LEFT}" y="{top:.1}" width="{:.1}" height="{height:.1}" fill="none" stroke="#D0D0D0"/><g transform="translate({dx:.2} {dy:.2}) scale({scale:.5})">{body}</g>"##,
            RIGHT - LEFT
        );
        self.y = top + height + 14.0;
    }

    pub(super) fn finish(self, footer: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="{FONT_FAMILY}"><rect width="{W}" height="{H}" fill="#FFFFFF"/>{}<text x="{LEFT}" y="{:.1}" font-size="8" fill="#555555">{}</text></svg>"##,
            self.svg,
            H - 25.0,
            xml(footer)
        )
    }
}
