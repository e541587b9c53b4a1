//! Painting the canvas: the grid, links with their arrows and dashes, cards with their header,
//! icon, title and badges, and the far-out view where everything is one mesh.

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2};

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

pub(super) fn label_text_colour(p: &Palette, dim: bool) -> Color32 {
    if dim { theme::c(p.muted).gamma_multiply(0.6) } else { theme::c(p.text) }
}
