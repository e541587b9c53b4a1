//! The map canvas: cards and links drawn at the current pan and zoom.
//!
//! Text is laid out at the zoomed size (never a scaled texture), only what is on screen is drawn,
//! and far-out cards are drawn as plain blocks (level of detail).

use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, pos2, vec2};

use super::theme::{self, Dash};
use crate::model::{Kind, LinkKind, MissionMap, Node, Placement};

/// Pan and zoom: a map point `p` is drawn at `origin + offset + p * zoom`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub offset: Vec2,
    pub zoom: f32,
}

impl Default for View {
    fn default() -> Self {
        View { offset: Vec2::ZERO, zoom: 1.0 }
    }
}

pub const MIN_ZOOM: f32 = 0.02;
pub const MAX_ZOOM: f32 = 4.0;

impl View {
    #[must_use]
    pub fn to_screen(&self, origin: Pos2, p: Pos2) -> Pos2 {
        origin + self.offset + p.to_vec2() * self.zoom
    }

    #[must_use]
    pub fn to_map(&self, origin: Pos2, s: Pos2) -> Pos2 {
        ((s - origin - self.offset) / self.zoom).to_pos2()
    }

    /// Zooms by `factor` keeping the map point under `anchor` (a screen point) still.
    pub fn zoom_at(&mut self, origin: Pos2, anchor: Pos2, factor: f32) {
        let before = self.to_map(origin, anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let after = self.to_screen(origin, before);
        self.offset += anchor - after;
    }

    /// A view that shows the map rectangle `bounds` inside a screen area of `size`, with a margin.
    #[must_use]
    pub fn fit(bounds: Rect, size: Vec2) -> View {
        let margin = 40.0;
        let avail = (size - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let zoom = (avail.x / bounds.width().max(1.0)).min(avail.y / bounds.height().max(1.0)).clamp(MIN_ZOOM, 1.5);
        let offset = size / 2.0 - bounds.center().to_vec2() * zoom;
        View { offset, zoom }
    }
}

/// The map rectangle a card covers.
#[must_use]
pub fn card_rect(node: &Node, place: Placement) -> Rect {
    let (w, h) = node.kind().card_size();
    Rect::from_center_size(pos2(place.x, place.y), vec2(w, h))
}

/// The bounds of the whole map as a rectangle, if it has any cards.
#[must_use]
pub fn map_bounds(map: &MissionMap) -> Option<Rect> {
    map.bounds().map(|[x0, y0, x1, y1]| Rect::from_min_max(pos2(x0, y0), pos2(x1, y1)))
}

/// Draws the map and handles pan and zoom. Returns the canvas response.
pub fn show(ui: &mut egui::Ui, map: &MissionMap, view: &mut View) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let origin = rect.min;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_rgb(0xFA, 0xFA, 0xF7));

    // Pan: drag empty space (primary or middle button) or scroll; zoom: ctrl+wheel or pinch.
    if response.dragged() {
        view.offset += response.drag_delta();
    }
    if response.hovered() {
        let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if let Some(p) = pointer
            && (zoom - 1.0).abs() > f32::EPSILON
        {
            view.zoom_at(origin, p, zoom);
        }
        view.offset += scroll;
    }

    let visible = Rect::from_min_max(view.to_map(origin, rect.min), view.to_map(origin, rect.max));
    draw_links(&painter, map, view, origin, visible);
    draw_cards(&painter, map, view, origin, visible);
    response
}

fn draw_links(painter: &egui::Painter, map: &MissionMap, view: &View, origin: Pos2, visible: Rect) {
    for link in map.links() {
        let (Some(a), Some(b)) = (map.node(&link.from), map.node(&link.to)) else { continue };
        let (Some(pa), Some(pb)) = (map.placement(&link.from), map.placement(&link.to)) else { continue };
        let (ra, rb) = (card_rect(a, pa), card_rect(b, pb));
        if !visible.intersects(ra.union(rb)) {
            continue;
        }
        let (start, end) = (border_point(ra, rb.center()), border_point(rb, ra.center()));
        let (s, e) = (view.to_screen(origin, start), view.to_screen(origin, end));
        draw_arrow(painter, s, e, link.kind, view.zoom);
    }
}

/// Where the line from a rectangle's centre towards `toward` leaves the rectangle.
#[must_use]
pub fn border_point(r: Rect, toward: Pos2) -> Pos2 {
    let c = r.center();
    let d = toward - c;
    if d.length_sq() < 1e-6 {
        return c;
    }
    let sx = if d.x.abs() > 1e-6 { (r.width() / 2.0) / d.x.abs() } else { f32::INFINITY };
    let sy = if d.y.abs() > 1e-6 { (r.height() / 2.0) / d.y.abs() } else { f32::INFINITY };
    c + d * sx.min(sy)
}

fn draw_arrow(painter: &egui::Painter, s: Pos2, e: Pos2, kind: LinkKind, zoom: f32) {
    let style = theme::link_style(kind);
    let width = (style.width * zoom).clamp(0.6, 6.0);
    let stroke = Stroke::new(width, style.colour);
    let dir = (e - s).normalized();
    let head = (12.0 * zoom).clamp(4.0, 24.0);
    let base = e - dir * head;
    match style.dash {
        Dash::Solid => {
            painter.line_segment([s, base], stroke);
        }
        Dash::Dashed => {
            painter.extend(Shape::dashed_line(&[s, base], stroke, 8.0 * zoom.max(0.5), 5.0 * zoom.max(0.5)));
        }
        Dash::Dotted => {
            painter.extend(Shape::dotted_line(&[s, base], style.colour, 6.0 * zoom.max(0.5), width * 0.7));
        }
    }
    let normal = vec2(-dir.y, dir.x) * head * 0.45;
    painter.add(Shape::convex_polygon(vec![e, base + normal, base - normal], style.colour, Stroke::NONE));
}

fn draw_cards(painter: &egui::Painter, map: &MissionMap, view: &View, origin: Pos2, visible: Rect) {
    for (node, place) in map.nodes_with_placement() {
        let r = card_rect(node, place);
        if !visible.intersects(r) {
            continue;
        }
        let screen = Rect::from_min_max(view.to_screen(origin, r.min), view.to_screen(origin, r.max));
        draw_card(painter, node, screen, view.zoom);
    }
}

fn draw_card(painter: &egui::Painter, node: &Node, screen: Rect, zoom: f32) {
    let kind = node.kind();
    let colour = theme::kind_colour(kind);
    let corner = CornerRadius::same((theme::kind_corner(kind) * zoom).min(255.0) as u8);
    // Level of detail: far out, a card is a coloured block.
    if zoom < 0.25 {
        painter.rect_filled(screen, corner, colour);
        return;
    }
    let border = if kind == Kind::Mission { 3.0 } else { 1.5 };
    painter.rect(screen, corner, theme::kind_fill(kind), Stroke::new(border * zoom, colour), StrokeKind::Inside);
    let header = Rect::from_min_size(screen.min, vec2(screen.width(), theme::HEADER_HEIGHT * zoom));
    let top = CornerRadius { nw: corner.nw, ne: corner.ne, sw: 0, se: 0 };
    painter.rect_filled(header, top, colour);
    let pad = 8.0 * zoom.max(0.3);
    let inset = if kind == Kind::Partner { 14.0 * zoom } else { pad };
    painter.text(
        header.left_center() + vec2(inset, 0.0),
        Align2::LEFT_CENTER,
        kind.label().to_uppercase(),
        FontId::proportional(theme::HEADER_SIZE * zoom),
        Color32::WHITE,
    );
    let title_size = theme::TITLE_SIZE * zoom;
    if title_size < 5.0 {
        return;
    }
    let body =
        Rect::from_min_max(pos2(screen.min.x + inset, header.max.y + 4.0 * zoom), screen.max - vec2(inset, 4.0 * zoom));
    let mut job = egui::text::LayoutJob::simple(
        node.title.clone(),
        FontId::proportional(title_size),
        Color32::from_rgb(0x1A, 0x1A, 0x1A),
        body.width().max(1.0),
    );
    job.wrap.max_rows = ((body.height() / (title_size * 1.2)).floor() as usize).max(1);
    job.wrap.break_anywhere = false;
    job.halign = egui::Align::LEFT;
    let galley = painter.layout_job(job);
    painter.galley(body.min, galley, Color32::BLACK);
}
