//! The board pack: an A4 PDF for the mission board's meeting, with selectable text. A cover with
//! the contents, the overview picture with the board's open actions, then a page per mission: its
//! map, its indicators (status, last value against expected, a sparkline), its top risks (indicators
//! off track, links resting on weak evidence, single points of failure), what changed since a
//! named session, and the decisions taken on its interventions. Every page is numbered.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::render::{ExportError, pdf_of_pages, tree};
use super::svg::{FONT_FAMILY, picture_size, to_svg, xml};
use super::{Options, Page, Scope, arranged, cards_in_scope};
use crate::model::analysis::{Check, run_checks};
use crate::model::progress::{self, IndicatorProgress, Progress, Status, figure};
use crate::model::{Evidence, Kind, LinkKind, MissionMap, NodeId, NodeKind, card};

/// A status's colour: the pack is printed, so always in the light theme.
fn status_rgb(s: Status) -> [u8; 3] {
    crate::style::Theme::Light.palette().status(s)
}

const W: f32 = 595.0;
const H: f32 = 842.0;
const LEFT: f32 = 40.0;
const RIGHT: f32 = W - 40.0;
const TEXT: f32 = 9.5;
const LINE: f32 = 13.0;
/// The lowest a line of text may sit before the footer.
const BOTTOM: f32 = H - 50.0;

/// What goes into a pack.
#[derive(Clone, Debug)]
pub struct PackOptions {
    /// The day the statuses are for (the meeting's date).
    pub on: NaiveDate,
    /// The session snapshot to report changes since, by name.
    pub since: Option<String>,
}

fn colour([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// Text cut to fit `width` at `size`, ending in "…" when cut.
fn fit(text: &str, size: f32, width: f32) -> String {
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
struct Sheet {
    svg: String,
    y: f32,
}

impl Sheet {
    fn new() -> Sheet {
        Sheet { svg: String::new(), y: 60.0 }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, fill: &str, text: &str) {
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let _ = write!(
            self.svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}">{}</text>"#,
            xml(text)
        );
    }

    /// A line of text at the left margin, cut to the width; nothing when the page is full.
    fn line(&mut self, size: f32, bold: bool, text: &str) -> bool {
        if self.y > BOTTOM {
            return false;
        }
        self.text(LEFT, self.y, size, bold, "#1A1A1A", &fit(text, size, RIGHT - LEFT));
        self.y += size * 1.4;
        true
    }

    /// A paragraph broken into lines.
    fn paragraph(&mut self, size: f32, text: &str) {
        for l in card::wrap(text, size, RIGHT - LEFT) {
            if !self.line(size, false, &l) {
                break;
            }
        }
    }

    /// A bulleted item, wrapped onto at most three lines with a hanging indent.
    fn bullet(&mut self, text: &str) {
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

    fn heading(&mut self, text: &str) {
        self.y += 6.0;
        self.line(12.0, true, text);
    }

    /// A status chip: its name in white on its colour.
    fn chip(&mut self, x: f32, y: f32, s: Status) -> f32 {
        let label = s.label();
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

    fn sparkline(&mut self, x: f32, y: f32, w: f32, h: f32, series: &[(NaiveDate, f64)], s: Status) {
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

    /// The map (or part of it) laid out for a box of the page and drawn into it.
    fn picture(&mut self, map: &MissionMap, top: f32, height: f32) {
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

    fn finish(self, footer: &str) -> String {
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="{FONT_FAMILY}"><rect width="{W}" height="{H}" fill="#FFFFFF"/>{}<text x="{LEFT}" y="{:.1}" font-size="8" fill="#555555">{}</text></svg>"##,
            self.svg,
            H - 25.0,
            xml(footer)
        )
    }
}

/// The indicator rows of a table: status chip, card and indicator, last value against expected,
/// progress, sparkline.
fn indicator_rows(sheet: &mut Sheet, map: &MissionMap, rows: &[&IndicatorProgress], max: usize) {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    for i in rows.iter().take(max) {
        if sheet.y > BOTTOM {
            return;
        }
        let y = sheet.y;
        let w = sheet.chip(LEFT, y, i.status);
        let what = if i.indicator == "target" {
            format!("{} \u{2014} the mission's target", title(&i.card))
        } else {
            format!("{} \u{2014} {}", i.indicator, title(&i.card))
        };
        sheet.text(LEFT + w + 6.0, y, TEXT, false, "#1A1A1A", &fit(&what, TEXT, 250.0 - w));
        let figures = match (i.last_value, i.last_date) {
            (Some(v), Some(d)) => {
                format!("{} ({}) vs {} expected", figure(Some(v)), d.format("%b %Y"), figure(i.expected))
            }
            _ => "no readings yet".to_owned(),
        };
        sheet.text(LEFT + 262.0, y, TEXT, false, "#1A1A1A", &fit(&figures, TEXT, 170.0));
        if let Some(p) = i.progress {
            sheet.text(LEFT + 440.0, y, TEXT, false, "#1A1A1A", &format!("{:.0}%", p * 100.0));
        }
        sheet.sparkline(LEFT + 475.0, y, 40.0, 9.0, &i.series, i.status);
        sheet.y += LINE;
    }
    if rows.len() > max {
        sheet.line(
            TEXT,
            false,
            &format!("\u{2026} and {} more (see Analyse > Progress in the editor)", rows.len() - max),
        );
    }
}

/// "its own target" or "Net additional dwellings on “1.5 million homes built”".
fn driver_text(map: &MissionMap, (card, name): &(NodeId, String)) -> String {
    let title = map.node(card).map_or_else(|| card.to_string(), |n| n.title.clone());
    if name == "target" {
        format!("the target of \u{201c}{title}\u{201d}")
    } else {
        format!("{name} on \u{201c}{title}\u{201d}")
    }
}

/// The pack as PDF bytes.
pub fn board_pack(map: &MissionMap, opts: &PackOptions) -> Result<Vec<u8>, ExportError> {
    let p = progress::progress(map, opts.on);
    let checks = run_checks(map);
    let snapshot = opts.since.as_ref().and_then(|name| map.workshop.snapshots.iter().find(|s| s.name == *name));
    let mut missions: Vec<&crate::model::Node> = map.nodes().filter(|n| n.kind() == Kind::Mission).collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    let total = 2 + missions.len();
    let footer =
        |n: usize| format!("Board pack \u{2014} {} \u{2014} {} \u{2014} page {n} of {total}", map.meta.title, opts.on);
    let mut pages = Vec::new();

    // 1. Cover and contents.
    let mut cover = Sheet::new();
    cover.y = 150.0;
    cover.line(14.0, false, "Board pack");
    cover.y += 6.0;
    for l in card::wrap(&map.meta.title, 24.0, RIGHT - LEFT) {
        cover.line(24.0, true, &l);
    }
    if !map.meta.organisation.is_empty() {
        cover.line(13.0, false, &map.meta.organisation);
    }
    cover.line(13.0, false, &format!("Meeting of {}", opts.on.format("%-d %B %Y")));
    if let Some(name) = &opts.since {
        let found = if snapshot.is_some() { "" } else { " (no session of that name in the map)" };
        cover.line(11.0, false, &format!("Changes since the session \u{201c}{name}\u{201d}{found}"));
    }
    cover.y += 30.0;
    cover.heading("Contents");
    cover.line(11.0, false, "1. Cover and contents");
    cover.line(11.0, false, "2. The whole map, the missions' status and the board's open actions");
    for (i, m) in missions.iter().enumerate() {
        let status = p.of_card(&m.id).map_or(Status::NoData, |c| c.status);
        cover.line(11.0, false, &format!("{}. Mission: {} \u{2014} {}", i + 3, m.title, status.label().to_lowercase()));
    }
    cover.y += 20.0;
    cover.paragraph(
        9.0,
        "Each status is computed from the indicators' readings against their trajectories, never typed: on track at 95% or more of the progress expected by the reading's date, at risk from 80%, off track below; stale when the last reading is overdue. A mission takes the worst of its target and its sub-missions.",
    );
    pages.push(cover.finish(&footer(1)));

    // 2. Overview, missions' status, open actions.
    let mut overview = Sheet::new();
    overview.line(16.0, true, "The whole map");
    overview.picture(map, overview.y, 400.0);
    overview.heading("Missions");
    for m in &missions {
        let Some(c) = p.of_card(&m.id) else { continue };
        let y = overview.y;
        let w = overview.chip(LEFT, y, c.status);
        let why = c.driver.as_ref().map(|d| format!(" \u{2014} set by {}", driver_text(map, d))).unwrap_or_default();
        overview.text(
            LEFT + w + 6.0,
            y,
            TEXT,
            false,
            "#1A1A1A",
            &fit(&format!("{}{why}", m.title), TEXT, RIGHT - LEFT - w - 6.0),
        );
        overview.y += LINE;
    }
    overview.heading("Open actions");
    let open: Vec<&crate::model::ActionItem> = map.actions.iter().filter(|a| !a.done).collect();
    if open.is_empty() {
        overview.line(TEXT, false, "None open.");
    }
    for a in open.iter().take(12) {
        let due = a.due.map(|d| format!(", due {}", d.format("%-d %b %Y"))).unwrap_or_default();
        let late = if a.due.is_some_and(|d| d < opts.on) { " (overdue)" } else { "" };
        let owner = if a.owner.is_empty() { "no owner yet".to_owned() } else { a.owner.clone() };
        overview.bullet(&format!("{} \u{2014} {owner}{due}{late}", a.what));
    }
    if open.len() > 12 {
        overview.line(TEXT, false, &format!("\u{2026} and {} more", open.len() - 12));
    }
    pages.push(overview.finish(&footer(2)));

    // 3… A page per mission.
    for (i, m) in missions.iter().enumerate() {
        pages.push(mission_page(map, &p, &checks, snapshot, m).finish(&footer(i + 3)));
    }

    let trees = pages.iter().map(|svg| tree(svg)).collect::<Result<Vec<_>, _>>()?;
    pdf_of_pages(&trees, (W, H), &format!("Board pack \u{2014} {}", map.meta.title))
}

fn mission_page(
    map: &MissionMap,
    p: &Progress,
    checks: &crate::model::analysis::Checked,
    snapshot: Option<&crate::model::workshop::Snapshot>,
    m: &crate::model::Node,
) -> Sheet {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    let scope = cards_in_scope(map, &Scope::Mission(m.id.clone()));
    let mut sheet = Sheet::new();
    sheet.y = 50.0;
    sheet.line(9.0, false, "Mission");
    sheet.y += 6.0;
    for l in card::wrap(&m.title, 16.0, RIGHT - LEFT).into_iter().take(2) {
        sheet.line(16.0, true, &l);
    }
    if let Some(c) = p.of_card(&m.id) {
        let y = sheet.y;
        let w = sheet.chip(LEFT, y, c.status);
        let why = c
            .driver
            .as_ref()
            .map_or_else(|| "nothing measured yet".to_owned(), |d| format!("set by {}", driver_text(map, d)));
        sheet.text(LEFT + w + 6.0, y, TEXT, false, "#1A1A1A", &fit(&why, TEXT, RIGHT - LEFT - w - 6.0));
        sheet.y += LINE;
    }
    let ids: Vec<NodeId> = scope.iter().cloned().collect();
    let part = map.subset(&ids);
    sheet.picture(&part, sheet.y + 2.0, 300.0);

    // Indicators: the mission's own target and its sub-missions', worst first.
    let subs: Vec<&NodeId> = map
        .links_to(&m.id)
        .filter(|l| l.kind == LinkKind::ContributesTo)
        .filter(|l| map.node(&l.from).is_some_and(|n| n.kind() == Kind::SubMission))
        .map(|l| &l.from)
        .collect();
    let mut rows: Vec<&IndicatorProgress> =
        p.indicators.iter().filter(|i| i.card == m.id || subs.contains(&&i.card)).collect();
    rows.sort_by_key(|i| std::cmp::Reverse(i.status));
    sheet.heading(&format!("Indicators ({})", rows.len()));
    if rows.is_empty() {
        sheet.line(TEXT, false, "No indicators yet: add them to the sub-missions (and a target to the mission).");
    }
    indicator_rows(&mut sheet, map, &rows, 8);

    // Top risks.
    sheet.heading("Top risks");
    let mut risks = Vec::new();
    for i in rows.iter().filter(|i| matches!(i.status, Status::OffTrack | Status::AtRisk | Status::Stale)).take(3) {
        let what = if i.indicator == "target" { "the mission's target".to_owned() } else { i.indicator.clone() };
        risks.push(format!("{} is {} ({})", what, i.status.label().to_lowercase(), title(&i.card)));
    }
    let weak: Vec<&crate::model::Link> = map
        .links()
        .filter(|l| l.kind == LinkKind::ContributesTo && scope.contains(&l.from) && scope.contains(&l.to))
        .filter(|l| matches!(l.evidence, Evidence::None | Evidence::Anecdotal))
        .collect();
    if let Some(first) = weak.first() {
        risks.push(format!(
            "{} of its links rest on no or anecdotal evidence, such as \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
            weak.len(),
            title(&first.from),
            title(&first.to)
        ));
    }
    for f in checks
        .open
        .iter()
        .filter(|f| f.check == Check::SinglePointOfFailure && f.cards.iter().any(|c| scope.contains(c)))
        .take(2)
    {
        risks.push(f.message.clone());
    }
    if risks.is_empty() {
        sheet.line(
            TEXT,
            false,
            "None found: no indicator off track, every link has evidence, no single point of failure.",
        );
    }
    for r in risks {
        sheet.bullet(&r);
    }

    // What changed since the named session.
    if let Some(snap) = snapshot {
        let d = crate::model::workshop::since(snap, map);
        let added: Vec<String> = d.added.iter().filter(|id| scope.contains(*id)).map(&title).collect();
        let edited: Vec<String> = d.edited.iter().filter(|id| scope.contains(*id)).map(&title).collect();
        sheet.heading(&format!("Changed since \u{201c}{}\u{201d}", snap.name));
        if added.is_empty() && edited.is_empty() {
            sheet.line(TEXT, false, "No cards of this mission were added or edited.");
        }
        if !added.is_empty() {
            sheet.line(TEXT, false, &format!("Added ({}): {}", added.len(), added.join("; ")));
        }
        if !edited.is_empty() {
            sheet.line(TEXT, false, &format!("Edited ({}): {}", edited.len(), edited.join("; ")));
        }
    }

    // Decisions on its interventions, newest first.
    let mut decisions: Vec<(NaiveDate, String)> = Vec::new();
    for id in &scope {
        if let Some(NodeKind::Intervention { decisions: ds, .. }) = map.node(id).map(|n| &n.kind) {
            for d in ds {
                let who = if d.who.is_empty() { String::new() } else { format!(" ({})", d.who) };
                let why = if d.why.is_empty() { String::new() } else { format!(": {}", d.why) };
                decisions.push((d.date, format!("{} {} \u{2014} {}{who}{why}", d.date, d.decision.label(), title(id))));
            }
        }
    }
    decisions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    sheet.heading("Decisions taken");
    if decisions.is_empty() {
        sheet.line(TEXT, false, "None recorded on this mission's interventions.");
    }
    for (_, d) in decisions.iter().take(6) {
        sheet.bullet(d);
    }
    let open = map.actions.iter().filter(|a| !a.done).count();
    if open > 0 {
        sheet.line(TEXT, false, &format!("The board's {open} open action(s) are on page 2."));
    }
    sheet
}
