//! Painting the canvas: the grid, links with their arrows and dashes, cards with their header,
//! icon, title and badges, and the far-out view where everything is one mesh.

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, pos2, vec2};

use super::super::scene::{CardGeom, Scene};
use super::super::theme::{self, Dash, Palette};
use super::{CanvasState, Cursor, LOD_BLOCKS, LOD_TEXT, View};
use crate::model::{Kind, LinkKind, MissionMap, Node};

/// Adds a straight line as two triangles.
pub(super) fn add_line(mesh: &mut egui::Mesh, a: Pos2, b: Pos2, width: f32, colour: Color32) {
    let d = b - a;
    let len = d.length();
    if !len.is_finite() || len < 0.5 {
        return;
    }
    let n = vec2(-d.y, d.x) / len * (width / 2.0);
    let i = mesh.vertices.len() as u32;
    for p in [a + n, a - n, b - n, b + n] {
        mesh.colored_vertex(p, colour);
    }
    mesh.add_triangle(i, i + 1, i + 2);
    mesh.add_triangle(i, i + 2, i + 3);
}

pub(super) fn draw_far(
    painter: &egui::Painter,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    origin: Pos2,
    visible: Rect,
    on_screen: &[usize],
) {
    let p = theme::palette(painter.ctx());
    let mut mesh = egui::Mesh::default();
    let dimmed = |i: usize| state.dimmed.as_ref().is_some_and(|d| d.contains(&scene.cards[i].id));
    for (_, l) in scene.links_in(visible) {
        let mut colour = theme::link_style(p, l.kind).colour.gamma_multiply(0.7);
        if dimmed(l.from) || dimmed(l.to) {
            colour = colour.gamma_multiply(0.2);
        }
        let pts = l.points();
        for w in pts.windows(2) {
            add_line(&mut mesh, state.view.to_screen(origin, w[0]), state.view.to_screen(origin, w[1]), 1.0, colour);
        }
    }
    for &i in on_screen {
        let c = &scene.cards[i];
        let r = state.view.rect_to_screen(origin, c.rect);
        if cur.selection.nodes.contains(&c.id) {
            mesh.add_colored_rect(r.expand(3.0), theme::c(p.highlight));
        }
        let colour = theme::kind_colour(p, c.kind);
        mesh.add_colored_rect(r, if dimmed(i) { colour.gamma_multiply(0.25) } else { colour });
    }
    painter.add(Shape::mesh(mesh));
}

pub(super) fn draw_grid(painter: &egui::Painter, rect: Rect, view: &View, p: &Palette) {
    let step = 100.0 * view.zoom;
    if step < 12.0 {
        return;
    }
    let colour = theme::c(p.grid);
    let start = rect.min + vec2(view.offset.x.rem_euclid(step), view.offset.y.rem_euclid(step));
    let mut x = start.x;
    while x < rect.max.x {
        painter.vline(x, rect.y_range(), Stroke::new(1.0, colour));
        x += step;
    }
    let mut y = start.y;
    while y < rect.max.y {
        painter.hline(rect.x_range(), y, Stroke::new(1.0, colour));
        y += step;
    }
}

pub(super) fn draw_links(
    painter: &egui::Painter,
    map: &MissionMap,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    origin: Pos2,
    visible: Rect,
) {
    let p = theme::palette(painter.ctx());
    let zoom = state.view.zoom;
    for (_, l) in scene.links_in(visible) {
        let pts: Vec<Pos2> = l.points().into_iter().map(|p| state.view.to_screen(origin, p)).collect();
        let (s, e) = (pts[pts.len() - 2], pts[pts.len() - 1]);
        let selected = cur.selection.links.contains(&l.id);
        let hovered = state.hovered_link.as_ref() == Some(&l.id);
        let touches_selection = cur.selection.nodes.contains(&scene.cards[l.from].id)
            || cur.selection.nodes.contains(&scene.cards[l.to].id);
        let lit = state.lit_links.as_ref().map(|lit| lit.contains(&l.id));
        let dim = lit == Some(false)
            || state
                .dimmed
                .as_ref()
                .is_some_and(|d| d.contains(&scene.cards[l.from].id) || d.contains(&scene.cards[l.to].id));
        if selected || hovered {
            let glow = Stroke::new((8.0 * zoom).clamp(5.0, 12.0), theme::c(p.highlight).gamma_multiply(0.6));
            painter.add(Shape::line(pts.clone(), glow));
        }
        let emphasis = if touches_selection || lit == Some(true) { 1.6 } else { 1.0 };
        // A routed link: the bends as plain segments in the link's style, the arrow on the last one.
        for w in pts.windows(2).take(pts.len() - 2) {
            draw_segment(painter, w[0], w[1], theme::link_style(p, l.kind), zoom, emphasis, dim);
        }
        draw_arrow(painter, s, e, (l.kind, theme::link_style(p, l.kind)), zoom, emphasis, dim);
        if zoom >= 0.6
            && let Some(link) = map.link(&l.id)
            && !link.label.is_empty()
        {
            let mid = s + (e - s) * 0.5;
            let galley =
                painter.layout_no_wrap(link.label.clone(), FontId::proportional(12.0 * zoom), theme::c(p.text));
            let r = Rect::from_center_size(mid, galley.size()).expand(3.0);
            painter.rect_filled(r, 3.0, theme::c(p.background).gamma_multiply(0.9));
            painter.galley(r.min + vec2(3.0, 3.0), galley, theme::c(p.text));
        }
    }
}

/// Draws a segment of a routed link (no arrowhead) in the style of its kind.
pub(super) fn draw_segment(
    painter: &egui::Painter,
    s: Pos2,
    e: Pos2,
    style: theme::LinkStyle,
    zoom: f32,
    emphasis: f32,
    dim: bool,
) {
    let colour = if dim { style.colour.gamma_multiply(0.2) } else { style.colour };
    let width = (style.width * zoom * emphasis).clamp(0.6, 8.0);
    match style.dash {
        Dash::Solid => {
            painter.line_segment([s, e], Stroke::new(width, colour));
        }
        Dash::Dashed => {
            painter.extend(Shape::dashed_line(
                &[s, e],
                Stroke::new(width, colour),
                (10.0 * zoom).max(4.0),
                (6.0 * zoom).max(3.0),
            ));
        }
        Dash::Dotted => {
            painter.extend(Shape::dotted_line(&[s, e], colour, (7.0 * zoom).max(4.0), width * 0.75));
        }
    }
}

/// Draws one arrow from `s` to `e` in the style of its kind.
pub fn draw_arrow(
    painter: &egui::Painter,
    s: Pos2,
    e: Pos2,
    (kind, style): (LinkKind, theme::LinkStyle),
    zoom: f32,
    emphasis: f32,
    dim: bool,
) {
    let colour = if dim { style.colour.gamma_multiply(0.2) } else { style.colour };
    let width = (style.width * zoom * emphasis).clamp(0.6, 8.0);
    let stroke = Stroke::new(width, colour);
    let dir = (e - s).normalized();
    if !dir.x.is_finite() {
        return;
    }
    if zoom < 0.08 {
        painter.line_segment([s, e], Stroke::new(0.6, colour));
        return;
    }
    let head = (12.0 * zoom).clamp(4.0, 24.0) * emphasis.sqrt();
    let base = e - dir * head;
    match style.dash {
        Dash::Solid => {
            painter.line_segment([s, base], stroke);
        }
        Dash::Dashed => {
            painter.extend(Shape::dashed_line(&[s, base], stroke, (10.0 * zoom).max(4.0), (6.0 * zoom).max(3.0)));
        }
        Dash::Dotted => {
            painter.extend(Shape::dotted_line(&[s, base], colour, (7.0 * zoom).max(4.0), width * 0.75));
        }
    }
    let normal = vec2(-dir.y, dir.x) * head * 0.45;
    let tip = if kind == LinkKind::Supports {
        // An open arrowhead for "supports".
        painter.line_segment([base + normal, e], Stroke::new(width, colour));
        painter.line_segment([base - normal, e], Stroke::new(width, colour));
        return;
    } else {
        vec![e, base + normal, base - normal]
    };
    painter.add(Shape::convex_polygon(tip, colour, Stroke::NONE));
}

#[derive(Clone, Copy)]
pub(super) struct CardLook {
    pub selected: bool,
    pub hovered: bool,
    pub dim: bool,
    pub focused: bool,
    /// No selection chrome (present mode).
    pub bare: bool,
    pub palette: &'static Palette,
}

pub(super) fn draw_card(
    painter: &egui::Painter,
    node: &Node,
    card: &CardGeom,
    screen: Rect,
    zoom: f32,
    look: CardLook,
) -> Option<f32> {
    let kind = card.kind;
    let p = look.palette;
    let mut colour = theme::kind_colour(p, kind);
    let mut fill = theme::kind_fill(p, kind);
    let on_kind = theme::c(p.on_kind);
    if look.dim {
        colour = colour.gamma_multiply(0.25);
        fill = fill.gamma_multiply(0.35);
    }
    let corner = CornerRadius::same((theme::kind_corner(kind) * zoom).min(255.0) as u8);
    if (look.selected || look.focused) && !look.bare {
        let ring = if look.focused { 7.0 } else { 5.0 };
        painter.rect_stroke(
            screen.expand(ring * 0.6),
            corner,
            Stroke::new(ring * 0.6, theme::c(p.highlight)),
            StrokeKind::Outside,
        );
    }
    if zoom < LOD_BLOCKS {
        painter.rect_filled(screen, corner, colour);
        return None;
    }
    let border = p.outline(kind) * if look.hovered { 1.6 } else { 1.0 };
    painter.rect(screen, corner, fill, Stroke::new(border * zoom, colour), StrokeKind::Inside);
    let header = Rect::from_min_size(screen.min, vec2(screen.width(), theme::HEADER_HEIGHT * zoom));
    let top = CornerRadius { nw: corner.nw, ne: corner.ne, sw: 0, se: 0 };
    painter.rect_filled(header, top, colour);
    let inset = (theme::kind_corner(kind) * 0.35 + 8.0) * zoom;
    let icon = theme::HEADER_HEIGHT * zoom * 0.62;
    paint_kind_icon(painter, header.left_center() + vec2(inset + icon / 2.0, 0.0), icon, kind, on_kind);
    painter.text(
        header.left_center() + vec2(inset + icon + 5.0 * zoom, 0.0),
        Align2::LEFT_CENTER,
        kind.label().to_uppercase(),
        FontId::proportional(theme::HEADER_SIZE * zoom),
        on_kind,
    );
    if card.pinned {
        // A drawing pin: head and needle.
        let c = header.right_center() - vec2(inset + icon / 2.0, icon * 0.15);
        painter.line_segment([c, c + vec2(0.0, icon * 0.6)], Stroke::new(1.5 * zoom, on_kind));
        painter.circle_filled(c, icon * 0.3, on_kind);
        painter.text(
            c - vec2(icon, 0.0),
            Align2::RIGHT_CENTER,
            "pinned",
            FontId::proportional(theme::HEADER_SIZE * zoom * 0.9),
            on_kind,
        );
    }
    if zoom < LOD_TEXT {
        // Too small to read: the overview labels (see `draw_labels`) name the card instead.
        return None;
    }
    let title_size = theme::TITLE_SIZE * zoom;
    let text_colour = label_text_colour(p, look.dim);
    // The whole title, broken where exports break it (the card is as tall as it needs).
    let galley = pre_broken(painter, &card.text.title, title_size, crate::model::card::LINE_HEIGHT * zoom, text_colour);
    let title_h = galley.size().y;
    painter.galley(pos2(screen.min.x + inset, header.max.y + 4.0 * zoom), galley, text_colour);
    // A mission's measurable target, under its title.
    if !card.text.target.is_empty() {
        let size = crate::model::card::TARGET_SIZE * zoom;
        let g = pre_broken(painter, &card.text.target, size, crate::model::card::TARGET_LINE * zoom, colour);
        painter.galley(pos2(screen.min.x + inset, header.max.y + 8.0 * zoom + title_h), g, colour);
    }
    let badge_h = 16.0 * zoom;
    let badges = if zoom >= 0.6 { crate::style::badges(node) } else { Vec::new() };
    let mut badges_left = None;
    if !badges.is_empty() {
        let mut x = screen.max.x - inset;
        let y = screen.max.y - 4.0 * zoom - badge_h / 2.0;
        for b in badges.iter().rev() {
            let g = painter.layout_no_wrap(b.clone(), FontId::proportional(11.0 * zoom), colour);
            let r = Rect::from_center_size(
                pos2(x - g.size().x / 2.0 - 4.0 * zoom, y),
                g.size() + vec2(8.0 * zoom, 2.0 * zoom),
            );
            if r.min.x < screen.min.x + inset {
                break;
            }
            painter.rect(r, 4.0 * zoom, theme::c(p.badge), Stroke::new(1.0, colour), StrokeKind::Inside);
            painter.galley(r.min + vec2(4.0 * zoom, zoom), g, colour);
            badges_left = Some(r.min.x);
            x = r.min.x - 4.0 * zoom;
        }
    }
    badges_left
}

/// The status chip (a mark and the status's name) at the left of the card's foot, with a sparkline
/// of the driving indicator's readings beside it.
pub(super) fn draw_status(
    painter: &egui::Painter,
    screen: Rect,
    zoom: f32,
    kind: Kind,
    s: &super::CardStatus,
    p: &Palette,
    badges_left: Option<f32>,
) {
    let colour = theme::status_colour(p, s.status);
    let on_status = theme::c(p.on_status);
    let inset = (theme::kind_corner(kind) * 0.35 + 8.0) * zoom;
    let h = 16.0 * zoom;
    let y = screen.max.y - 4.0 * zoom - h / 2.0;
    let g = painter.layout_no_wrap(s.text(), FontId::proportional(11.0 * zoom), on_status);
    let dot = 6.0 * zoom;
    let r = Rect::from_min_size(pos2(screen.min.x + inset, y - h / 2.0), vec2(g.size().x + dot + 12.0 * zoom, h));
    painter.rect_filled(r, 4.0 * zoom, colour);
    painter.circle_filled(pos2(r.min.x + 4.0 * zoom + dot / 2.0, y), dot / 2.0, on_status);
    painter.galley(pos2(r.min.x + dot + 8.0 * zoom, y - g.size().y / 2.0), g, on_status);
    if s.series.len() >= 2 {
        let (lo, hi) = s.series.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
        // The sparkline fits between the chip and the card's badges (or its right edge), never over
        // their text; where there is too little room it is left out (the Progress panel has it).
        let x0 = r.max.x + 6.0 * zoom;
        let room = badges_left.unwrap_or(screen.max.x - inset) - 6.0 * zoom - x0;
        let (w, sh) = ((40.0 * zoom).min(room), h * 0.8);
        if w < 16.0 * zoom {
            return;
        }
        let step = w / (s.series.len() - 1) as f32;
        let pts: Vec<Pos2> = s
            .series
            .iter()
            .enumerate()
            .map(|(i, &v)| pos2(x0 + step * i as f32, y + sh / 2.0 - ((v - lo) / span) as f32 * sh))
            .collect();
        painter.add(Shape::line(pts, Stroke::new(1.5 * zoom, colour)));
    }
}

/// Lines already broken (as `model::card` breaks them) laid out as they are, one under another.
fn pre_broken(
    painter: &egui::Painter,
    lines: &[String],
    size: f32,
    line_height: f32,
    colour: Color32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::single_section(
        lines.join("\n"),
        egui::TextFormat {
            font_id: FontId::proportional(size),
            color: colour,
            line_height: Some(line_height),
            ..Default::default()
        },
    );
    job.wrap.max_width = f32::INFINITY;
    painter.layout_job(job)
}

/// Paints each kind's icon (star, target, play arrow, two people) centred on `c`, `size` across.
/// Painted rather than taken from a font, so it looks the same everywhere and never lacks a glyph.
pub fn paint_kind_icon(painter: &egui::Painter, c: Pos2, size: f32, kind: Kind, colour: Color32) {
    let r = size / 2.0;
    match kind {
        Kind::Mission => {
            let points: Vec<Pos2> = (0..10)
                .map(|i| {
                    let a = std::f32::consts::PI * (i as f32) / 5.0 - std::f32::consts::FRAC_PI_2;
                    let rr = if i % 2 == 0 { r } else { r * 0.45 };
                    c + vec2(a.cos(), a.sin()) * rr
                })
                .collect();
            for i in 0..10 {
                painter.add(Shape::convex_polygon(vec![c, points[i], points[(i + 1) % 10]], colour, Stroke::NONE));
            }
        }
        Kind::SubMission => {
            painter.circle_stroke(c, r * 0.85, Stroke::new(r * 0.25, colour));
            painter.circle_filled(c, r * 0.3, colour);
        }
        Kind::Intervention => {
            painter.add(Shape::convex_polygon(
                vec![c + vec2(-r * 0.6, -r), c + vec2(r, 0.0), c + vec2(-r * 0.6, r)],
                colour,
                Stroke::NONE,
            ));
        }
        Kind::Partner => {
            for dx in [-0.45, 0.45] {
                painter.circle_filled(c + vec2(dx * r, -r * 0.35), r * 0.3, colour);
                painter.add(Shape::convex_polygon(
                    vec![c + vec2(dx * r - r * 0.4, r), c + vec2(dx * r, r * 0.05), c + vec2(dx * r + r * 0.4, r)],
                    colour,
                    Stroke::NONE,
                ));
            }
        }
    }
}

/// Overview labels: when titles drawn to scale would be too small to read, each card's title is
/// drawn at a legible screen size (missions and sub-missions 16 px in the editor, 15 px presenting)
/// on a plate over the card instead. Missions and sub-missions are placed first: the whole title if
/// any shape (two to four rows, slot-wide or wider) finds room, else its first three words, over its
/// card (centred, or its top or bottom edge at the card's, or nudged sideways), else above or below
/// it with a leader; first over no card but its own, and only if that fails over a neighbour's card
/// (a top title is never left out or cut for lack of room). Then they are widened where their
/// neighbours leave space and the title stays whole; then interventions and partners, over no
/// other card and no other label, wide where there is room, else narrower and taller, else shorter,
/// else left out (the card stays a coloured mark). The card under the pointer or selected is
/// labelled first and in full, so any card can be read by pointing at it.
pub(super) fn draw_labels(
    painter: &egui::Painter,
    map: &MissionMap,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    on_screen: &[usize],
    hovered: Option<usize>,
) {
    let p = theme::palette(painter.ctx());
    let mut order: Vec<(u8, usize)> = on_screen
        .iter()
        .map(|&i| {
            let c = &scene.cards[i];
            let first = Some(i) == hovered || (!state.present && cur.selection.nodes.contains(&c.id));
            let rank = if first { 0 } else { 1 + crate::layout::band(c.kind) as u8 };
            (rank, i)
        })
        .collect();
    order.sort_unstable();
    // The card's own kind rank: 0 pointed at, 1 mission, 2 sub-mission, 3 intervention, 4 partner.
    let split = order.iter().position(|&(rank, _)| rank >= 3).unwrap_or(order.len());
    let labeller = Labeller {
        painter,
        map,
        scene,
        state,
        origin: painter.clip_rect().min,
        p,
        scale: std::cell::Cell::new(1.0),
        far: std::cell::Cell::new(false),
        thorough: split <= THOROUGH_UP_TO,
        strict: std::cell::Cell::new(false),
    };
    let mut labels = Labels::default();
    let mut tries = 0;
    for &(rank, i) in &order[..split] {
        labeller.place(&mut labels, i, rank == 0, LabelShape::Slot, &mut tries);
    }
    labeller.widen(&mut labels);
    for &(_, i) in &order[split..] {
        labeller.place(&mut labels, i, false, LabelShape::WideFirst, &mut tries);
    }
    // Leaders first, so that no line crosses a label.
    for l in labels.placed.iter().filter(|l| l.moved) {
        let c = &scene.cards[l.card];
        let card = state.view.rect_to_screen(painter.clip_rect().min, c.rect);
        let from = if l.plate.center().y < card.center().y { l.plate.center_bottom() } else { l.plate.center_top() };
        painter.line_segment([from, card.center()], Stroke::new(1.5, theme::kind_colour(p, c.kind)));
    }
    for l in &labels.placed {
        let c = &scene.cards[l.card];
        let dim = state.dimmed.as_ref().is_some_and(|d| d.contains(&c.id));
        let (mut colour, mut fill) = (theme::kind_colour(p, c.kind), theme::kind_fill(p, c.kind));
        if dim {
            colour = colour.gamma_multiply(0.3);
            fill = fill.gamma_multiply(0.5);
        }
        let text_colour = label_text_colour(p, dim);
        // A fine, soft outline; the fill carries the kind's colour. A heavy one beside the text
        // merged with it (and with links touching the plate) into one blot for OCR, and a dark one
        // closing round the text reads as a frame the text is part of: cropped alone, 12 of the
        // sample's 17 top plates were read with the kind's colour as outline, 16 without it.
        let outline = colour.lerp_to_gamma(fill, 0.4);
        painter.rect(l.plate, 3.0, fill, Stroke::new(0.75, outline), StrokeKind::Outside);
        // Drawn twice, a hair apart: the canvas font is light, and a projector washes thin strokes out.
        // Drawn once: the text drawn twice a hair apart (to thicken the light font) was blurred, and
        // OCR read fewer titles from it.
        painter.galley(l.plate.min + LABEL_PAD, l.galley.clone(), text_colour);
    }
}

fn label_text_colour(p: &Palette, dim: bool) -> Color32 {
    if dim { theme::c(p.muted).gamma_multiply(0.6) } else { theme::c(p.text) }
}

/// The shapes a label tries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelShape {
    /// Within the card's slot: three rows, then two, then one.
    Slot,
    /// Two wide rows where the neighbours leave room, else as `Slot`.
    WideFirst,
}

struct Placed {
    plate: Rect,
    galley: std::sync::Arc<egui::Galley>,
    card: usize,
    /// The pointed-at card's label, whole.
    full: bool,
    /// Beside its card rather than over it (drawn with a leader line, never widened).
    moved: bool,
}

/// Labels placed so far, with a coarse grid of screen cells for collision tests.
#[derive(Default)]
struct Labels {
    placed: Vec<Placed>,
    grid: rustc_hash::FxHashMap<(i32, i32), Vec<usize>>,
}

const LABEL_CELL: f32 = 96.0;

impl Labels {
    fn cells(r: Rect) -> impl Iterator<Item = (i32, i32)> {
        let key = |p: Pos2| ((p.x / LABEL_CELL).floor() as i32, (p.y / LABEL_CELL).floor() as i32);
        let (a, b) = (key(r.min), key(r.max));
        (a.0..=b.0).flat_map(move |x| (a.1..=b.1).map(move |y| (x, y)))
    }

    /// Whether `r` overlaps a placed label other than `except`.
    fn collides(&self, r: Rect, except: Option<usize>) -> bool {
        Labels::cells(r).any(|k| {
            self.grid
                .get(&k)
                .is_some_and(|v| v.iter().any(|&j| Some(j) != except && self.placed[j].plate.intersects(r)))
        })
    }

    fn add(&mut self, label: Placed) {
        let j = self.placed.len();
        for k in Labels::cells(label.plate) {
            self.grid.entry(k).or_default().push(j);
        }
        self.placed.push(label);
    }

    /// Gives label `j` a new plate (the grid keeps its old cells too, which only makes later tests
    /// look at it once more).
    fn replace(&mut self, j: usize, plate: Rect, galley: std::sync::Arc<egui::Galley>) {
        for k in Labels::cells(plate) {
            let cell = self.grid.entry(k).or_default();
            if !cell.contains(&j) {
                cell.push(j);
            }
        }
        self.placed[j].plate = plate;
        self.placed[j].galley = galley;
    }
}

struct Labeller<'a> {
    painter: &'a egui::Painter,
    map: &'a MissionMap,
    scene: &'a Scene,
    state: &'a CanvasState,
    origin: Pos2,
    p: &'static Palette,
    /// The labels' size against their usual one (smaller only for a top title that finds no room).
    scale: std::cell::Cell<f32>,
    /// Whether a top title may go further aside than half a plate, and a sub-mission's further
    /// down (the last try before cutting it).
    far: std::cell::Cell<bool>,
    /// Whether top titles get every try before any of one is cut (see [`THOROUGH_UP_TO`]).
    thorough: bool,
    /// Whether a label may only go where it covers no card but its own (a top title's first
    /// pass over every size and reach).
    strict: std::cell::Cell<bool>,
}

impl Labeller<'_> {
    /// The label's font size and its slot width (the card and the gap beside it, less padding).
    fn metrics(&self, i: usize) -> (Rect, f32, f32) {
        let zoom = self.state.view.zoom;
        let c = &self.scene.cards[i];
        let r = self.state.view.rect_to_screen(self.origin, c.rect);
        // On a larger screen (a 1080p projector) the labels grow with it, up to half as large again.
        let screen = (self.painter.clip_rect().height() / 640.0).clamp(1.0, 1.5);
        let least = min_label_size(c.kind, self.state.present) * screen * self.scale.get();
        let size = (theme::TITLE_SIZE * zoom).max(least);
        let slot = (r.width() + crate::layout::GAP_X * zoom * 0.9 - 9.0).max(size * 6.0).min(size * 16.0);
        (r, size, slot)
    }

    /// The label of card `i` laid out `width` wide in at most `rows` rows, and its plate.
    fn layout(&self, i: usize, width: f32, rows: usize) -> Option<(Rect, std::sync::Arc<egui::Galley>)> {
        let c = &self.scene.cards[i];
        let node = self.map.node(&c.id)?;
        let (r, size, _) = self.metrics(i);
        let dim = self.state.dimmed.as_ref().is_some_and(|d| d.contains(&c.id));
        // Never narrower than the title's longest word: egui would break the word itself.
        let longest =
            node.title.split_whitespace().map(|w| crate::model::card::text_width(w, size)).fold(0.0, f32::max);
        let mut job = egui::text::LayoutJob::simple(
            node.title.clone(),
            FontId::proportional(size),
            label_text_colour(self.p, dim),
            width.max(longest + 2.0),
        );
        // Presenting, a mission's label also carries its measurable target.
        let target = match &node.kind {
            crate::model::NodeKind::Mission { target, .. } if self.state.present => target.text(),
            _ => None,
        };
        if let Some(t) = &target {
            let small = (crate::model::card::TARGET_SIZE * self.state.view.zoom).max(11.0);
            job.append(
                &format!("\n{t}"),
                0.0,
                egui::TextFormat::simple(FontId::proportional(small), theme::kind_colour(self.p, c.kind)),
            );
        }
        job.wrap.max_rows = if target.is_some() { rows + 1 } else { rows };
        let galley = lay_out_label(self.painter, job, size);
        let plate = Rect::from_center_size(r.center(), galley.size()).expand2(LABEL_PAD);
        Some((keep_inside(plate, self.painter.clip_rect().shrink(2.0)), galley))
    }

    /// Whether `plate` (screen) lies over a card other than card `i` (a few pixels of its edge may
    /// be covered: cards far out are close together).
    fn covers_other(&self, plate: Rect, i: usize) -> bool {
        let view = &self.state.view;
        // Far out no card is big enough on screen to count (each is less than its edge allowance
        // across): say so without walking the hundreds of cards under the plate.
        if self.scene.thickest * view.zoom <= 2.0 * OTHER_CARD_EDGE {
            return false;
        }
        // A card counts where it reaches the plate by more than its edge allowance.
        let inner = plate.shrink(OTHER_CARD_EDGE);
        if !inner.is_positive() {
            return false;
        }
        let area = Rect::from_min_max(view.to_map(self.origin, inner.min), view.to_map(self.origin, inner.max));
        self.scene.any_card_in(area, |j| {
            j != i
                && view.rect_to_screen(self.origin, self.scene.cards[j].rect).shrink(OTHER_CARD_EDGE).intersects(plate)
        })
    }

    /// Whether a label may go at `plate`: over no other label, and (unless `lenient`) over no card
    /// but its own.
    fn free(&self, labels: &Labels, plate: Rect, i: usize, lenient: bool) -> bool {
        !labels.collides(plate, None) && (lenient || !self.covers_other(plate, i))
    }

    fn place(&self, labels: &mut Labels, i: usize, full: bool, shape: LabelShape, tries: &mut usize) {
        if *tries >= MAX_LABEL_ATTEMPTS || labels.placed.len() >= MAX_LABELS {
            return;
        }
        *tries += 1;
        let top = matches!(self.scene.cards[i].kind, Kind::Mission | Kind::SubMission);
        if top && !full && self.thorough {
            // A mission's or sub-mission's title whole, at its size or a size or two smaller
            // (never under 12 px), before any of it is cut: a crowded row at fit left "More care …"
            // where "More care delivered in the community" fitted a little smaller.
            let (_, size, _) = self.metrics(i);
            let mut scales: Vec<f32> = [1.0, 0.875, 0.75].iter().map(|&s| f32::max(s, 12.0 / size).min(1.0)).collect();
            scales.dedup();
            // Near its card first, at each size, then further aside and down at each size (the
            // leader ties it to its card); all of these over no card but its own before any over a
            // neighbour's (at fit the sample's editor had five top titles over other cards when
            // each size could take a neighbour's card before the next size was tried; now three
            // at 1280×720 and none at 1920×1080 or presenting).
            let tries: Vec<(f32, bool)> =
                scales.iter().map(|&s| (s, false)).chain(scales.iter().map(|&s| (s, true))).collect();
            for strict in [true, false] {
                for &(scale, far) in &tries {
                    self.scale.set(scale);
                    self.far.set(far);
                    self.strict.set(strict);
                    let placed = self.place_sized(labels, i, full, shape, 2);
                    self.scale.set(1.0);
                    self.far.set(false);
                    self.strict.set(false);
                    if placed {
                        return;
                    }
                }
            }
        }
        if self.place_sized(labels, i, full, shape, 0) || full {
            return;
        }
        // A mission or sub-mission with no room at its size (large text on a small screen) is
        // named a size smaller (never under 12 px) rather than not at all.
        if top {
            let (_, size, _) = self.metrics(i);
            self.scale.set((12.0 / size).clamp(0.75, 1.0));
            self.place_sized(labels, i, full, shape, 0);
            self.scale.set(1.0);
        }
    }

    /// As [`Labeller::place`] at the labeller's size, keeping at least `least_kept` of a top
    /// title (2 whole, 1 its first words, 0 any); whether the label found a place.
    fn place_sized(&self, labels: &mut Labels, i: usize, full: bool, shape: LabelShape, least_kept: u8) -> bool {
        let (r, size, slot) = self.metrics(i);
        // Missions and sub-missions that find no room over their card try just above it, then
        // just below (large text on a small screen crowds their row), and in the end take a place
        // over a neighbour's card rather than go unnamed.
        let top = matches!(self.scene.cards[i].kind, Kind::Mission | Kind::SubMission);
        let may_move = !full && top;
        // The smallest plate this label could have (one short row): if even that collides, do not
        // lay the text out at all (far out on a big map, most cards end here).
        let least = Rect::from_center_size(r.center(), vec2(size * 3.0, size * 1.2)).expand2(LABEL_PAD);
        if !full && !may_move && labels.collides(least, None) {
            return false;
        }
        let wide = slot.max(size * 11.0);
        let shapes: Vec<(f32, usize)> = match (full, shape) {
            (true, _) => vec![(slot, 12)],
            (false, LabelShape::Slot) => vec![(slot, 2), (slot, 3), (wide, 2), (slot, 4), (wide, 3), (slot, 1)],
            (false, LabelShape::WideFirst) => vec![(wide, 2), (slot, 3), (slot, 2), (slot, 1)],
        };
        // A title whole first, then one whose first words are whole, then the rest (smaller plates
        // first among equals); at each, over no other card first, then (missions and
        // sub-missions only, which must be named) over a neighbour's card rather than cut short.
        let mut ranked: Vec<(u8, (f32, usize))> =
            shapes.iter().map(|&(w, rows)| (if top { self.keeps(i, w, rows) } else { 0 }, (w, rows))).collect();
        ranked.sort_by_key(|&(keeps, _)| std::cmp::Reverse(keeps));
        let area = self.painter.clip_rect().shrink(2.0);
        let levels: Vec<u8> = if top { [2, 1, 0].into_iter().filter(|&l| l >= least_kept).collect() } else { vec![0] };
        for level in levels {
            for lenient in [false, true] {
                if lenient && !top {
                    return false;
                }
                if lenient && self.strict.get() {
                    continue;
                }
                let at_level = ranked.iter().filter(|(k, _)| !top || *k == level).map(|&(_, s)| s);
                for (w, rows) in at_level {
                    if self.try_shape(labels, i, (w, rows), (full, may_move, lenient), area) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Places card `i`'s label in shape `(width, rows)` over its card or, if `may_move`, above or
    /// below it with a leader; whether it found room.
    fn try_shape(
        &self,
        labels: &mut Labels,
        i: usize,
        (w, rows): (f32, usize),
        (full, may_move, lenient): (bool, bool, bool),
        area: Rect,
    ) -> bool {
        let (r, _, _) = self.metrics(i);
        let Some((plate, galley)) = self.layout(i, w, rows) else { return false };
        // Over the card: centred, else its top or bottom edge at the card's (a tall label grows
        // into the gap above or below rather than over the next row).
        // A little to either side too, where a neighbour's label reaches over the middle.
        let over = [0.0, r.min.y - plate.min.y + 1.0, r.max.y - plate.max.y - 1.0];
        let nudge = (plate.width() - r.width()).max(0.0) * 0.5;
        for dx in [0.0, -nudge, nudge] {
            for dy in over {
                let at = keep_inside(plate.translate(vec2(dx, dy)), area);
                if full || self.free(labels, at, i, lenient) {
                    labels.add(Placed { plate: at, galley, card: i, full, moved: false });
                    return true;
                }
            }
        }
        if !may_move {
            return false;
        }
        // Up in half-plate steps (past neighbours' labels, which are taller than the cards far
        // out), then down; a sub-mission's label never goes up among the missions, and a
        // mission's goes at most one step down among the sub-missions unless there is no other way.
        let step = plate.height() * 0.5 + 2.0;
        let (up, down) = match self.scene.cards[i].kind {
            Kind::Mission if lenient => (5, 5),
            Kind::Mission => (5, 1),
            _ if self.far.get() => (0, 10),
            _ => (0, 5),
        };
        let above = (0..up).map(|k| r.min.y - 3.0 - plate.max.y - step * k as f32);
        let below = (0..down).map(|k| r.max.y + 3.0 - plate.min.y + step * k as f32);
        // Straight above or below first; where that is taken, half a plate to either side, then
        // further out (the leader still ties it to its card): a whole title moved a plate aside
        // reads better than one cut short over its card.
        let w = plate.width();
        let aside: &[f32] = if self.far.get() { &[0.0, -0.5, 0.5, -1.0, 1.0, -1.5, 1.5] } else { &[0.0, -0.5, 0.5] };
        for dx in aside.iter().map(|k| k * w) {
            for dy in above.clone().chain(below.clone()) {
                let moved = keep_inside(plate.translate(vec2(dx, dy)), area);
                if !moved.intersects(r) && self.free(labels, moved, i, lenient) {
                    labels.add(Placed { plate: moved, galley, card: i, full, moved: true });
                    return true;
                }
            }
        }
        false
    }

    /// How much of card `i`'s title a label `width` wide in `rows` rows keeps: 2 all of it, 1 its
    /// first three words (what a reader needs to tell it from its neighbours), 0 less.
    fn keeps(&self, i: usize, width: f32, rows: usize) -> u8 {
        let Some(node) = self.map.node(&self.scene.cards[i].id) else { return 0 };
        let (_, size, _) = self.metrics(i);
        let needs = |text: &str| {
            let longest = text.split_whitespace().map(|w| crate::model::card::text_width(w, size)).fold(0.0, f32::max);
            let job = egui::text::LayoutJob::simple(
                text.to_owned(),
                FontId::proportional(size),
                Color32::BLACK,
                width.max(longest + 2.0),
            );
            lay_out_label(self.painter, job, size).rows.len()
        };
        let first: Vec<&str> = node.title.split_whitespace().take(3).collect();
        if needs(&node.title) <= rows { 2 } else { u8::from(needs(&first.join(" ")) <= rows) }
    }

    /// Tries each placed label, in order, two wide rows instead of its slot, where that covers no
    /// other label.
    fn widen(&self, labels: &mut Labels) {
        for j in 0..labels.placed.len() {
            if labels.placed[j].full || labels.placed[j].moved {
                continue;
            }
            let i = labels.placed[j].card;
            let (_, size, slot) = self.metrics(i);
            let wide = slot.max(size * 11.0);
            // Only where the wider label keeps the whole title (two wide rows can cut what three
            // narrow ones held).
            if self.keeps(i, wide, 2) < 2 {
                continue;
            }
            let Some((plate, galley)) = self.layout(i, wide, 2) else { continue };
            // Where the label was moved up or down over its card, the wider one stays there.
            let dy = labels.placed[j].plate.center().y - plate.center().y;
            let plate = keep_inside(plate.translate(vec2(0.0, dy)), self.painter.clip_rect().shrink(2.0));
            if !labels.collides(plate, Some(j)) && !self.covers_other(plate, i) {
                labels.replace(j, plate, galley);
            }
        }
    }
}

/// A label's text laid out; where a row would begin with the space after a word that filled the
/// row before ("neighbourhood" / " police and"), a space wider, so every row starts with a word.
fn lay_out_label(painter: &egui::Painter, job: egui::text::LayoutJob, size: f32) -> std::sync::Arc<egui::Galley> {
    let galley = painter.layout_job(job.clone());
    if !galley.rows.iter().skip(1).any(|row| row.glyphs.first().is_some_and(|g| g.chr == ' ')) {
        return galley;
    }
    let mut wider = job;
    wider.wrap.max_width += crate::model::card::text_width(" ", size);
    painter.layout_job(wider)
}

/// `plate` moved (not resized) as little as needed to lie inside `area`, so a label of a card at
/// the canvas's edge is not cut off; one wider than the area starts at its left.
fn keep_inside(plate: Rect, area: Rect) -> Rect {
    let dx = if plate.min.x < area.min.x || plate.width() > area.width() {
        area.min.x - plate.min.x
    } else {
        (area.max.x - plate.max.x).min(0.0)
    };
    let dy = if plate.min.y < area.min.y || plate.height() > area.height() {
        area.min.y - plate.min.y
    } else {
        (area.max.y - plate.max.y).min(0.0)
    };
    plate.translate(vec2(dx, dy))
}

/// The smallest screen size a title is drawn at in the overview: missions and sub-missions stay
/// readable from the back of a room; interventions and partners a little smaller.
fn min_label_size(kind: Kind, present: bool) -> f32 {
    match (kind, present) {
        (Kind::Mission | Kind::SubMission, false) => 16.0,
        (Kind::Mission | Kind::SubMission, true) => 15.0,
        (Kind::Intervention | Kind::Partner, false) => 12.0,
        (Kind::Intervention | Kind::Partner, true) => 13.0,
    }
}

/// The room between a label's plate edge and its text: text pressed against the plate's outline
/// runs into it for a reader at a distance (and for OCR).
const LABEL_PAD: Vec2 = vec2(6.0, 4.0);
/// How far (screen pixels) a label may reach over the edge of a card not its own.
const OTHER_CARD_EDGE: f32 = 3.0;

/// The most missions and sub-missions on screen for which each title gets every try (smaller,
/// further aside) before any of it is cut: the maps a room reads whole at fit have a few dozen at
/// most (the sample 17); far out on a larger map many more compete, most cannot all be whole at a
/// legible size, and the tries cost a frame for little (the generated 1,000-card map, 61 of them,
/// at fit: 3.1 ms a frame with the tries, 2.5 ms without).
const THOROUGH_UP_TO: usize = 40;
/// Labels tried per frame (far out on a big map most cards are too close together to label).
const MAX_LABEL_ATTEMPTS: usize = 1500;
/// Labels drawn per frame.
const MAX_LABELS: usize = 400;
