//! The map as SVG: real `<text>` (never `foreignObject`, which Word and PowerPoint drop), every
//! piece of user text escaped, and a `<title>`/`<desc>` on each card for screen readers.

use std::fmt::Write as _;

use super::{Options, cards_in_scope};
use crate::model::{Kind, MissionMap, Node, NodeKind, card};
use crate::style::{self, Dash, Palette, palette::hex as rgb};

/// The font the canvas uses, named first so exports match it; the others are fallbacks for
/// programs that cannot load it.
pub const FONT_FAMILY: &str = "Ubuntu, 'Segoe UI', Arial, 'Liberation Sans', Helvetica, sans-serif";
const MARGIN: f32 = 40.0;
const TITLE_BLOCK: f32 = 70.0;
const LEGEND: f32 = 80.0;

/// Escapes text for XML content and attribute values.
#[must_use]
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn border_point(c: (f32, f32), half: (f32, f32), toward: (f32, f32)) -> (f32, f32) {
    let (dx, dy) = (toward.0 - c.0, toward.1 - c.1);
    if dx.abs() < 1e-6 && dy.abs() < 1e-6 {
        return c;
    }
    let sx = if dx.abs() > 1e-6 { half.0 / dx.abs() } else { f32::INFINITY };
    let sy = if dy.abs() > 1e-6 { half.1 / dy.abs() } else { f32::INFINITY };
    let s = sx.min(sy);
    (c.0 + dx * s, c.1 + dy * s)
}

/// The box round the cards (min x, min y, max x, max y), or a small empty box.
fn card_bounds(cards: &[(&Node, (f32, f32))]) -> [f32; 4] {
    if cards.is_empty() {
        return [0.0, 0.0, 400.0, 100.0];
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (n, (x, y)) in cards {
        let (w, h) = n.card_size();
        x0 = x0.min(x - w / 2.0);
        y0 = y0.min(y - h / 2.0);
        x1 = x1.max(x + w / 2.0);
        y1 = y1.max(y + h / 2.0);
    }
    [x0, y0, x1, y1]
}

/// The picture's size for cards spanning `w` × `h`: margins, title block and legend added.
fn frame(w: f32, h: f32, opts: &Options) -> (f32, f32) {
    let top = if opts.title_block { TITLE_BLOCK } else { 0.0 };
    let bottom = if opts.legend { LEGEND } else { 0.0 };
    ((w + 2.0 * MARGIN).max(if opts.legend { 900.0 } else { 0.0 }), h + 2.0 * MARGIN + top + bottom)
}

/// Width and height of the SVG picture of `map` with these options, without drawing it.
#[must_use]
pub fn picture_size(map: &MissionMap, opts: &Options) -> (f32, f32) {
    let ids = cards_in_scope(map, &opts.scope);
    let cards: Vec<(&Node, (f32, f32))> =
        ids.iter().filter_map(|id| Some((map.node(id)?, map.placement(id).map(|p| (p.x, p.y))?))).collect();
    let routes = crate::layout::route::drawn_routes(map, Some(&ids));
    let [x0, y0, x1, y1] = with_bends(card_bounds(&cards), &routes);
    frame(x1 - x0, y1 - y0, opts)
}

/// `bounds` grown to take in every bend of `routes` (a route may go round the end of a row).
fn with_bends(
    mut bounds: [f32; 4],
    routes: &std::collections::HashMap<crate::model::LinkId, Vec<[f32; 2]>>,
) -> [f32; 4] {
    for p in routes.values().flatten() {
        bounds = [bounds[0].min(p[0]), bounds[1].min(p[1]), bounds[2].max(p[0]), bounds[3].max(p[1])];
    }
    bounds
}

/// The map (or the part the scope picks) as an SVG document.
#[must_use]
pub fn to_svg(map: &MissionMap, opts: &Options) -> String {
    svg_of(map, opts, None)
}

/// The shapes of a picture too small for any card's text to be read (a PNG of thousands of
/// cards), in picture units: each card a box with its header band, each link a thin line. Drawn
/// straight onto pixels (see `render`), far quicker than through SVG, and showing what such a
/// picture can show: the shape of the map.
#[derive(Default)]
pub struct Sketch {
    /// The background, title block and legend, as SVG (the cards and links are not in it).
    pub frame: String,
    pub cards: Vec<SketchCard>,
    pub links: Vec<SketchLink>,
}

/// A card in a sketch: outer rectangle `[x, y, w, h]`, outline colour, fill colour, outline width.
pub type SketchCard = ([f32; 4], [u8; 3], [u8; 3], f32);
/// A link in a sketch: its colour and points.
pub type SketchLink = ([u8; 3], Vec<(f32, f32)>);

/// The sketch of the picture [`to_svg`] draws.
#[must_use]
pub fn sketch(map: &MissionMap, opts: &Options) -> Sketch {
    let mut shapes = Sketch::default();
    shapes.frame = svg_of(map, opts, Some(&mut shapes));
    shapes
}

fn svg_of(map: &MissionMap, opts: &Options, mut sketch: Option<&mut Sketch>) -> String {
    let ids = cards_in_scope(map, &opts.scope);
    let cards: Vec<(&Node, (f32, f32))> =
        ids.iter().filter_map(|id| Some((map.node(id)?, map.placement(id).map(|p| (p.x, p.y))?))).collect();
    let links: Vec<_> =
        map.sorted_links().into_iter().filter(|l| ids.contains(&l.from) && ids.contains(&l.to)).collect();
    // Every link's bends, worked out once: the same as the canvas draws (no link through a card).
    let routes = crate::layout::route::drawn_routes(map, Some(&ids));
    let [x0, y0, x1, y1] = with_bends(card_bounds(&cards), &routes);
    let (width, height) = frame(x1 - x0, y1 - y0, opts);
    let top = if opts.title_block { TITLE_BLOCK } else { 0.0 };
    // Map point → picture point.
    let (ox, oy) = (MARGIN - x0 + ((width - (x1 - x0 + 2.0 * MARGIN)) / 2.0).max(0.0), MARGIN - y0 + top);
    let p = opts.theme.palette();
    // Paper is white in the light theme (the canvas's warm white is for screens).
    let bg = if p.theme == style::Theme::Light { "white".to_owned() } else { rgb(p.background) };
    let (text_colour, muted) = (rgb(p.text), rgb(p.muted));

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT_FAMILY}">"#
    );
    let _ = writeln!(s, "<title>{}</title>", xml(&map.meta.title));
    let _ = writeln!(
        s,
        "<desc>{}</desc>",
        xml(&format!("Theory of change: {} cards, {} links. {}", cards.len(), links.len(), map.meta.description))
    );
    if !opts.transparent {
        let _ = writeln!(s, r#"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="{bg}"/>"#);
    }
    if opts.title_block {
        let _ = writeln!(
            s,
            r#"<text x="{MARGIN}" y="40" font-size="24" font-weight="bold" fill="{text_colour}">{}</text>"#,
            xml(&map.meta.title)
        );
        let mut sub = map.meta.organisation.clone();
        if !sub.is_empty() {
            sub.push_str(" · ");
        }
        sub.push_str(&map.meta.modified.format("%-d %B %Y").to_string());
        let _ = writeln!(s, r#"<text x="{MARGIN}" y="62" font-size="13" fill="{muted}">{}</text>"#, xml(&sub));
    }

    // Links first, under the cards.
    let _ = writeln!(s, r#"<g id="links" fill="none">"#);
    for l in &links {
        let (Some(a), Some(b)) = (map.node(&l.from), map.node(&l.to)) else { continue };
        let (Some(pa), Some(pb)) = (map.placement(&l.from), map.placement(&l.to)) else { continue };
        let half = |n: &Node| {
            let (w, h) = n.card_size();
            (w / 2.0, h / 2.0)
        };
        let bends: Vec<(f32, f32)> =
            routes.get(&l.id).map(|r| r.iter().map(|p| (p[0], p[1])).collect()).unwrap_or_default();
        let start = border_point((pa.x, pa.y), half(a), bends.first().copied().unwrap_or((pb.x, pb.y)));
        let end = border_point((pb.x, pb.y), half(b), bends.last().copied().unwrap_or((pa.x, pa.y)));
        let mut pts = vec![start];
        pts.extend(bends);
        pts.push(end);
        let (colour, w, dash) = p.link(l.kind);
        if let Some(shapes) = sketch.as_deref_mut() {
            shapes.links.push((colour, pts.iter().map(|(x, y)| (x + ox, y + oy)).collect()));
            continue;
        }
        let colour = rgb(colour);
        // Stop the line at the base of the arrowhead.
        let n = pts.len();
        let (px, py) = pts[n - 2];
        let (ex, ey) = pts[n - 1];
        let len = ((ex - px).powi(2) + (ey - py).powi(2)).sqrt().max(1e-3);
        let (ux, uy) = ((ex - px) / len, (ey - py) / len);
        let head = 12.0;
        let base = (ex - ux * head, ey - uy * head);
        pts[n - 1] = base;
        let d: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x + ox, y + oy))
            .collect();
        let dash_attr = dash_attr(dash);
        let label = format!("{} {} {}", a.title, l.kind.label(), b.title);
        let _ = writeln!(
            s,
            r#"<g><title>{}</title><path d="{}" stroke="{colour}" stroke-width="{w}"{dash_attr}/>"#,
            xml(&label),
            d.join(" ")
        );
        let (nx, ny) = (-uy * head * 0.45, ux * head * 0.45);
        let tip = (ex + ox, ey + oy);
        let (bx, by) = (base.0 + ox, base.1 + oy);
        if l.kind == crate::model::LinkKind::Supports {
            let _ = writeln!(
                s,
                r#"<path d="M{:.1} {:.1} L{:.1} {:.1} L{:.1} {:.1}" stroke="{colour}" stroke-width="{w}"/></g>"#,
                bx + nx,
                by + ny,
                tip.0,
                tip.1,
                bx - nx,
                by - ny
            );
        } else {
            let _ = writeln!(
                s,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{colour}"/></g>"#,
                tip.0,
                tip.1,
                bx + nx,
                by + ny,
                bx - nx,
                by - ny
            );
        }
        if !l.label.is_empty() {
            let (mx, my) = (f32::midpoint(start.0, end.0) + ox, f32::midpoint(start.1, end.1) + oy);
            let _ = writeln!(
                s,
                r#"<text x="{mx:.1}" y="{my:.1}" font-size="12" text-anchor="middle" fill="{text_colour}">{}</text>"#,
                xml(&l.label)
            );
        }
    }
    let _ = writeln!(s, "</g>");

    let _ = writeln!(s, r#"<g id="cards">"#);
    for (i, (n, (cx, cy))) in cards.iter().enumerate() {
        if let Some(shapes) = sketch.as_deref_mut() {
            let kind = n.kind();
            let (w, h) = n.card_size();
            shapes.cards.push((
                [cx + ox - w / 2.0, cy + oy - h / 2.0, w, h],
                p.kind(kind),
                p.fill(kind),
                p.outline(kind),
            ));
        } else {
            card(&mut s, i, n, (cx + ox, cy + oy), p);
        }
    }
    let _ = writeln!(s, "</g>");
    if opts.legend {
        legend(&mut s, MARGIN, height - LEGEND + 10.0, p);
    }
    s.push_str("</svg>\n");
    s
}

fn icon(s: &mut String, kind: Kind, (cx, cy): (f32, f32), r: f32, ink: &str) {
    match kind {
        Kind::Mission => {
            let pts: Vec<String> = (0..10)
                .map(|i| {
                    let a = std::f32::consts::PI * i as f32 / 5.0 - std::f32::consts::FRAC_PI_2;
                    let rr = if i % 2 == 0 { r } else { r * 0.45 };
                    format!("{:.1},{:.1}", cx + a.cos() * rr, cy + a.sin() * rr)
                })
                .collect();
            let _ = write!(s, r#"<polygon points="{}" fill="{ink}"/>"#, pts.join(" "));
        }
        Kind::SubMission => {
            let _ = write!(
                s,
                r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="{:.1}" fill="none" stroke="{ink}" stroke-width="{:.1}"/><circle cx="{cx:.1}" cy="{cy:.1}" r="{:.1}" fill="{ink}"/>"#,
                r * 0.85,
                r * 0.25,
                r * 0.3
            );
        }
        Kind::Intervention => {
            let _ = write!(
                s,
                r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{ink}"/>"#,
                cx - r * 0.6,
                cy - r,
                cx + r,
                cy,
                cx - r * 0.6,
                cy + r
            );
        }
        Kind::Partner => {
            for dx in [-0.45, 0.45] {
                let x = cx + dx * r;
                let _ = write!(
                    s,
                    r#"<circle cx="{x:.1}" cy="{:.1}" r="{:.1}" fill="{ink}"/><polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{ink}"/>"#,
                    cy - r * 0.35,
                    r * 0.3,
                    x - r * 0.4,
                    cy + r,
                    x,
                    cy + r * 0.05,
                    x + r * 0.4,
                    cy + r
                );
            }
        }
    }
}

/// One card; `index` makes the id of its clip path (the header band is clipped to the card's
/// rounded outline, so on a mission or partner card it never sticks out past the corners).
fn card(s: &mut String, index: usize, n: &Node, (cx, cy): (f32, f32), p: &Palette) {
    let kind = n.kind();
    let (w, h) = n.card_size();
    let (x, y) = (cx - w / 2.0, cy - h / 2.0);
    let colour = rgb(p.kind(kind));
    let fill = rgb(p.fill(kind));
    let text = rgb(p.text);
    let on_kind = rgb(p.on_kind);
    let r = style::corner(kind).min(h / 2.0);
    let hh = style::HEADER_HEIGHT;
    let desc = describe(n);
    let _ =
        writeln!(s, "<g><title>{}</title><desc>{}</desc>", xml(&format!("{}: {}", kind.label(), n.title)), xml(&desc));
    let border = p.outline(kind);
    let _ = writeln!(
        s,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w}" height="{h}" rx="{r}" fill="{fill}" stroke="{colour}" stroke-width="{border}"/>"#
    );
    // Header band: the top of the card, inside its rounded outline.
    let _ = writeln!(
        s,
        r#"<clipPath id="card{index}"><rect x="{x:.1}" y="{y:.1}" width="{w}" height="{h}" rx="{r}"/></clipPath><rect x="{x:.1}" y="{y:.1}" width="{w}" height="{hh}" fill="{colour}" clip-path="url(#card{index})"/>"#
    );
    let inset = card::inset(kind);
    icon(s, kind, (x + inset + 6.0, y + hh / 2.0), 6.0, &on_kind);
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="{}" fill="{on_kind}">{}</text>"#,
        x + inset + 16.0,
        y + hh / 2.0 + 4.0,
        style::HEADER_SIZE,
        kind.label().to_uppercase()
    );
    let size = style::TITLE_SIZE;
    // Every word of the title, wrapped with room for a wider substitute font (see `model::card`).
    let lines = card::title_lines(kind, &n.title);
    text_block(s, (x + inset, y + hh + size + 3.0), size, card::LINE_HEIGHT, &text, &lines);
    // A mission's measurable target, under its title.
    let target = card::target_lines(n);
    if !target.is_empty() {
        let ts = card::TARGET_SIZE;
        let top = y + hh + 4.0 + lines.len() as f32 * card::LINE_HEIGHT + 4.0 + ts;
        text_block(s, (x + inset, top), ts, card::TARGET_LINE, &colour, &target);
    }
    let badge = style::badges(n).join("  ·  ");
    if !badge.is_empty() {
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="{colour}">{}</text>"#,
            x + w - inset,
            y + h - 7.0,
            xml(&badge)
        );
    }
    let _ = writeln!(s, "</g>");
}

/// Lines of text from a first baseline at `at`, each given its measured length in the canvas font,
/// so a program that substitutes a wider font fits it to the line instead of running out of the card.
fn text_block(s: &mut String, at: (f32, f32), size: f32, line_height: f32, fill: &str, lines: &[String]) {
    let (x, y) = at;
    let _ = write!(s, r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}">"#);
    for (i, line) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { line_height };
        let _ = write!(
            s,
            r#"<tspan x="{x:.1}" dy="{dy:.1}" textLength="{:.1}" lengthAdjust="spacingAndGlyphs">{}</tspan>"#,
            card::text_width(line, size),
            xml(line)
        );
    }
    let _ = writeln!(s, "</text>");
}

/// A sentence for screen readers.
fn describe(n: &Node) -> String {
    let mut parts = vec![n.description.clone()];
    match &n.kind {
        NodeKind::Mission { statement, lead_department, .. } => {
            parts.extend([statement.clone(), lead_department.clone()]);
        }
        NodeKind::SubMission { outcome, .. } => parts.push(outcome.clone()),
        NodeKind::Intervention { lead_department, .. } => parts.push(lead_department.clone()),
        NodeKind::Partner { role, .. } => parts.push(role.clone()),
    }
    parts.extend(style::badges(n));
    parts.retain(|p| !p.is_empty());
    parts.join(". ")
}

fn legend(s: &mut String, x: f32, y: f32, p: &Palette) {
    let text = rgb(p.text);
    let _ = writeln!(s, r#"<g id="legend">"#);
    let mut cx = x;
    for kind in Kind::ALL {
        let _ = writeln!(
            s,
            r#"<rect x="{cx:.1}" y="{y:.1}" width="18" height="14" rx="{}" fill="{}"/>"#,
            style::corner(kind).min(7.0),
            rgb(p.kind(kind))
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{text}">{}</text>"#,
            cx + 24.0,
            y + 12.0,
            kind.label()
        );
        cx += 130.0;
    }
    let mut cx = x;
    let y2 = y + 34.0;
    for lk in crate::model::LinkKind::ALL {
        let (colour, w, dash) = p.link(lk);
        let dash_attr = dash_attr(dash);
        let _ = writeln!(
            s,
            r#"<path d="M{cx:.1} {:.1} L{:.1} {:.1}" stroke="{}" stroke-width="{w}"{dash_attr}/>"#,
            y2 + 6.0,
            cx + 34.0,
            y2 + 6.0,
            rgb(colour)
        );
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" fill="{text}">{}</text>"#,
            cx + 40.0,
            y2 + 10.0,
            lk.label()
        );
        cx += 150.0;
    }
    let _ = writeln!(s, "</g>");
}

/// The SVG attributes that draw a link's dash pattern (nothing for a solid line).
fn dash_attr(dash: Dash) -> &'static str {
    match dash {
        Dash::Solid => "",
        Dash::Dashed => r#" stroke-dasharray="10 6""#,
        Dash::Dotted => r#" stroke-dasharray="2 5" stroke-linecap="round""#,
    }
}
