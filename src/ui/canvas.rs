//! The map canvas: cards and links drawn at the current pan and zoom, and every way of working on
//! them with the pointer. The canvas changes only editor state (view, selection, drags); changes to
//! the document leave it as [`CanvasEvent`]s for the app to apply.
//!
//! Text is laid out at the zoomed size (never a scaled texture), only what is on screen is drawn or
//! hit-tested (through the [`Scene`] grid), and far-out cards are drawn as plain blocks.

use std::collections::HashSet;

use egui::{
    Align2, Color32, CornerRadius, EventFilter, FontId, Id, Pos2, Rect, Response, Sense, Shape, Stroke, StrokeKind,
    Vec2, WidgetInfo, pos2, vec2,
};

use super::scene::{CardGeom, Scene};
use super::theme::{self, Dash};
use crate::editor::Point;
pub use crate::editor::{CanvasEvent, Cursor, Selection, TitleEdit, card_label};
use crate::model::{Kind, LinkId, LinkKind, MissionMap, Node, NodeId, Placement};

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
/// Below this zoom, cards are plain blocks without text.
pub const LOD_BLOCKS: f32 = 0.3;
/// Far out, cards stay widgets of their own only if no more than this many are on screen.
pub const MAX_FAR_WIDGETS: usize = 400;

impl View {
    #[must_use]
    pub fn to_screen(&self, origin: Pos2, p: Pos2) -> Pos2 {
        origin + self.offset + p.to_vec2() * self.zoom
    }

    #[must_use]
    pub fn to_map(&self, origin: Pos2, s: Pos2) -> Pos2 {
        ((s - origin - self.offset) / self.zoom).to_pos2()
    }

    #[must_use]
    pub fn rect_to_screen(&self, origin: Pos2, r: Rect) -> Rect {
        Rect::from_min_max(self.to_screen(origin, r.min), self.to_screen(origin, r.max))
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

    /// Moves the view so that map point `p` is in the middle of a screen area of `size`.
    pub fn centre_on(&mut self, p: Pos2, size: Vec2) {
        self.offset = size / 2.0 - p.to_vec2() * self.zoom;
    }
}

#[derive(Clone, Debug)]
enum Drag {
    /// Moving the selected cards: their places when the drag began, and the total movement.
    Move { origins: Vec<(NodeId, Placement)>, moved: Vec2 },
    /// Drawing a new link from a card's handle.
    Connect { from: NodeId },
    /// Selecting with a rubber band from this map point.
    Band { start: Pos2 },
}

/// Editor state of the canvas: everything that is not the document.
#[derive(Default)]
pub struct CanvasState {
    pub view: View,
    /// Cards to show dimmed (find, filter, pathways).
    pub dimmed: Option<HashSet<NodeId>>,
    /// When set, only these links are drawn at full strength and emphasised (pathways).
    pub lit_links: Option<HashSet<LinkId>>,
    /// Dot votes per card, drawn as a badge.
    pub votes: std::collections::HashMap<NodeId, u32>,
    /// Outlines around cards (added or edited since a session snapshot).
    pub marks: std::collections::HashMap<NodeId, Color32>,
    /// The kind of card a double-click adds.
    pub new_kind: Option<Kind>,
    pub show_minimap: bool,
    /// A refusal to show by the pointer, with the time it was made.
    pub refusal: Option<(String, Pos2, f64)>,
    drag: Option<Drag>,
    /// Size of the canvas on screen at the last frame.
    pub size: Vec2,
    pub hovered_link: Option<LinkId>,
    minimap_cache: Option<(u64, Rect, std::sync::Arc<egui::Mesh>)>,
}

/// The id of the canvas widget (it takes keyboard focus for Tab, arrows and Escape).
#[must_use]
pub fn canvas_id() -> Id {
    Id::unique("missionboard_canvas")
}

fn card_id(id: &NodeId) -> Id {
    Id::unique(("card", id.as_str()))
}

/// The bounds of the whole map as a rectangle, if it has any cards.
#[must_use]
pub fn map_bounds(map: &MissionMap) -> Option<Rect> {
    map.bounds().map(|[x0, y0, x1, y1]| Rect::from_min_max(pos2(x0, y0), pos2(x1, y1)))
}

/// Draws the map and handles the pointer. Returns the canvas response and the events for the app.
pub fn show(
    ui: &mut egui::Ui,
    map: &MissionMap,
    scene: &Scene,
    state: &mut CanvasState,
    cur: &mut Cursor,
    now: f64,
) -> (Response, Vec<CanvasEvent>) {
    let mut events = Vec::new();
    let rect = ui.available_rect_before_wrap();
    state.size = rect.size();
    let response = ui.interact(rect, canvas_id(), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Canvas, true, "Mission map canvas"));
    ui.memory_mut(|m| {
        m.set_focus_lock_filter(
            canvas_id(),
            EventFilter { tab: true, horizontal_arrows: true, vertical_arrows: true, escape: true },
        );
    });
    let origin = rect.min;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_rgb(0xFA, 0xFA, 0xF7));
    draw_grid(&painter, rect, &state.view);

    let (pointer, modifiers, space) = ui.input(|i| (i.pointer.hover_pos(), i.modifiers, i.key_down(egui::Key::Space)));
    let pointer_map = pointer.map(|p| state.view.to_map(origin, p));

    // ---------------------------------------------------------------- background: pan, band, zoom
    let pan_button = ui.input(|i| i.pointer.middle_down());
    if response.drag_started() {
        if response.dragged_by(egui::PointerButton::Primary) && (modifiers.shift || modifiers.command) && !space {
            if let Some(p) = pointer_map {
                state.drag = Some(Drag::Band { start: p });
            }
        } else {
            state.drag = None;
        }
    }
    if response.dragged() && !matches!(state.drag, Some(Drag::Band { .. })) {
        state.view.offset += response.drag_delta();
    } else if pan_button && response.hovered() {
        state.view.offset += ui.input(|i| i.pointer.delta());
    }
    if ui.rect_contains_pointer(rect) {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
        if let Some(p) = pointer
            && (zoom - 1.0).abs() > f32::EPSILON
        {
            state.view.zoom_at(origin, p, zoom);
        }
        state.view.offset += scroll;
    }
    if response.clicked() || response.double_clicked() {
        response.request_focus();
        cur.editing = None;
        if let Some(p) = pointer_map {
            if let Some(li) = scene.link_at(p, 8.0 / state.view.zoom) {
                let id = scene.links[li].id.clone();
                if !(modifiers.shift || modifiers.command) {
                    cur.selection = Selection::default();
                }
                cur.selection.links.insert(id);
            } else if !(modifiers.shift || modifiers.command) {
                cur.selection = Selection::default();
                cur.focus = None;
            }
            if response.double_clicked() {
                events.push(CanvasEvent::CreateAt {
                    kind: state.new_kind.unwrap_or(Kind::Intervention),
                    at: Point { x: p.x, y: p.y },
                });
            }
        }
    }
    if let Some(Drag::Band { start }) = state.drag.clone()
        && let Some(p) = pointer_map
    {
        {
            let band = Rect::from_two_pos(start, p);
            painter.rect(
                state.view.rect_to_screen(origin, band),
                0.0,
                Color32::from_rgba_unmultiplied(0, 90, 156, 30),
                Stroke::new(1.0, Color32::from_rgb(0, 90, 156)),
                StrokeKind::Inside,
            );
            if response.drag_stopped() {
                for i in scene.cards_in(band) {
                    cur.selection.nodes.insert(scene.cards[i].id.clone());
                }
                state.drag = None;
            }
        }
    }

    // ---------------------------------------------------------------- what is on screen
    let visible = Rect::from_min_max(state.view.to_map(origin, rect.min), state.view.to_map(origin, rect.max));
    state.hovered_link = if response.hovered() {
        pointer_map.and_then(|p| scene.link_at(p, 8.0 / state.view.zoom)).map(|i| scene.links[i].id.clone())
    } else {
        None
    };
    let on_screen = scene.cards_in(visible);
    let zoom = state.view.zoom;
    let far = zoom < LOD_BLOCKS;
    if far {
        // Far out: every visible link and card goes into one mesh, and cards are picked from the
        // scene's grid instead of being widgets of their own.
        draw_far(&painter, scene, state, cur, origin, visible, &on_screen);
        if (response.clicked() || response.double_clicked())
            && let Some(i) = pointer_map.and_then(|p| scene.card_at(p))
        {
            let id = scene.cards[i].id.clone();
            cur.selection.links.clear();
            if modifiers.shift || modifiers.command {
                if !cur.selection.nodes.remove(&id) {
                    cur.selection.nodes.insert(id.clone());
                }
            } else {
                cur.selection.set_node(id.clone());
            }
            cur.focus = Some(id);
        }
    } else {
        draw_links(&painter, map, scene, state, cur, origin, visible);
    }

    // ---------------------------------------------------------------- cards
    let mut connect_target: Option<(usize, bool)> = None;
    // Cards are widgets (clickable, draggable, in the accessibility tree) whenever they are legible
    // or few enough; far out on a big map they are picked from the grid instead.
    let widgets = !far || on_screen.len() <= MAX_FAR_WIDGETS;
    for &i in on_screen.iter().filter(|_| widgets) {
        let card = &scene.cards[i];
        let Some(node) = map.node(&card.id) else { continue };
        let screen = state.view.rect_to_screen(origin, card.rect);
        let selected = cur.selection.nodes.contains(&card.id);
        let r = ui.interact(screen.intersect(rect), card_id(&card.id), Sense::click_and_drag());
        let mut label = card_label(node);
        if let Some(&n) = state.votes.get(&card.id)
            && n > 0
        {
            label = format!("{label} ({})", crate::ui::workshop::votes_text(n));
        }
        r.widget_info(|| WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        if r.clicked() {
            response.request_focus();
            if modifiers.shift || modifiers.command {
                if !cur.selection.nodes.remove(&card.id) {
                    cur.selection.nodes.insert(card.id.clone());
                }
            } else {
                cur.selection.set_node(card.id.clone());
            }
            cur.focus = Some(card.id.clone());
            cur.editing = None;
        }
        if r.double_clicked() {
            cur.selection.set_node(card.id.clone());
            cur.editing =
                Some(TitleEdit { id: card.id.clone(), text: node.title.clone(), started: false, select_all: true });
        }
        if r.drag_started_by(egui::PointerButton::Primary) && !space {
            if !selected {
                cur.selection.set_node(card.id.clone());
            }
            cur.focus = Some(card.id.clone());
            let origins =
                cur.selection.nodes.iter().filter_map(|id| map.placement(id).map(|p| (id.clone(), p))).collect();
            state.drag = Some(Drag::Move { origins, moved: Vec2::ZERO });
            events.push(CanvasEvent::MoveStarted);
        }
        if r.dragged_by(egui::PointerButton::Primary)
            && let Some(Drag::Move { origins, moved }) = &mut state.drag
        {
            *moved += r.drag_delta() / zoom;
            let d = *moved;
            events.push(CanvasEvent::Moved(
                origins.iter().map(|(id, p)| (id.clone(), Placement { x: p.x + d.x, y: p.y + d.y, ..*p })).collect(),
            ));
        } else if r.dragged() && !matches!(state.drag, Some(Drag::Move { .. })) {
            // Space+drag or middle-drag over a card pans.
            state.view.offset += r.drag_delta();
        }
        if r.drag_stopped() && matches!(state.drag, Some(Drag::Move { .. })) {
            state.drag = None;
            events.push(CanvasEvent::MoveEnded);
        }
        let hovered = r.hovered();
        if let Some(Drag::Connect { from }) = &state.drag
            && pointer_map.is_some_and(|p| card.rect.contains(p))
            && *from != card.id
        {
            let ok = map.node(from).is_some_and(|f| LinkKind::infer(f.kind(), node.kind()).is_some());
            connect_target = Some((i, ok));
        }
        let dim = state.dimmed.as_ref().is_some_and(|d| d.contains(&card.id));
        let focused = cur.focus.as_ref() == Some(&card.id) && response.has_focus();
        if !far {
            draw_card(&painter, node, card, screen, zoom, CardLook { selected, hovered, dim, focused });
            if let Some(colour) = state.marks.get(&card.id) {
                painter.rect_stroke(screen.expand(6.0), 9.0, Stroke::new(4.0, *colour), StrokeKind::Outside);
            }
            if let Some(&n) = state.votes.get(&card.id)
                && n > 0
            {
                let radius = (13.0 * zoom).clamp(11.0, 26.0);
                let c = screen.right_top() + vec2(-radius * 0.4, radius * 0.4);
                painter.circle(c, radius, Color32::from_rgb(90, 30, 120), Stroke::new(2.0, Color32::WHITE));
                painter.text(
                    c,
                    Align2::CENTER_CENTER,
                    n.to_string(),
                    FontId::proportional(radius * 1.1),
                    Color32::WHITE,
                );
            }
        }

        // Connect handle: a round knob below the card, shown when the card is hovered or selected.
        if (hovered || selected) && zoom >= LOD_BLOCKS && cur.editing.as_ref().is_none_or(|e| e.id != card.id) {
            let knob = screen.center_bottom() + vec2(0.0, 2.0);
            let knob_rect = Rect::from_center_size(knob, Vec2::splat(18.0));
            let h = ui.interact(knob_rect, Id::unique(("handle", card.id.as_str())), Sense::drag());
            h.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, format!("Link from {label}")));
            let hot = h.hovered() || h.dragged();
            painter.circle(
                knob,
                if hot { 8.0 } else { 6.0 },
                Color32::WHITE,
                Stroke::new(2.0, theme::kind_colour(card.kind)),
            );
            if h.drag_started() {
                state.drag = Some(Drag::Connect { from: card.id.clone() });
            }
            if hot {
                h.on_hover_text("Drag onto another card to link them");
            }
        }
    }

    // ---------------------------------------------------------------- connecting
    if let Some(Drag::Connect { from }) = state.drag.clone() {
        let released = ui.input(|i| i.pointer.any_released());
        if let (Some(p), Some(fc)) = (pointer, scene.card(&from)) {
            let start = state.view.to_screen(origin, fc.rect.center_bottom());
            let colour = match connect_target {
                Some((_, true)) => Color32::from_rgb(0, 120, 60),
                Some((_, false)) => Color32::from_rgb(180, 30, 30),
                None => Color32::from_gray(80),
            };
            painter.line_segment([start, p], Stroke::new(2.5, colour));
            if let Some((ti, _)) = connect_target {
                let tr = state.view.rect_to_screen(origin, scene.cards[ti].rect).expand(4.0);
                painter.rect_stroke(tr, 6.0, Stroke::new(3.0, colour), StrokeKind::Outside);
            }
        }
        if released {
            state.drag = None;
            if let Some(to) = pointer_map.and_then(|p| scene.card_at(p)).map(|i| scene.cards[i].id.clone())
                && to != from
            {
                events.push(CanvasEvent::Connect { from, to });
            }
        }
    }

    // ---------------------------------------------------------------- title editor
    if let Some(edit) = &mut cur.editing {
        if let Some(card) = scene.card(&edit.id) {
            let screen = state.view.rect_to_screen(origin, card.rect);
            let header = theme::HEADER_HEIGHT * zoom;
            let area = Rect::from_min_max(screen.min + vec2(4.0, header + 2.0), screen.max - vec2(4.0, 2.0));
            let edit_id = Id::unique(("title_edit", edit.id.as_str()));
            let font = FontId::proportional((theme::TITLE_SIZE * zoom).clamp(12.0, 40.0));
            let out = ui.put(
                area.intersect(rect),
                egui::TextEdit::multiline(&mut edit.text)
                    .id(edit_id)
                    .font(font)
                    .hint_text("Type a title")
                    .return_key(None)
                    .desired_rows(2),
            );
            out.widget_info(|| {
                let mut info = WidgetInfo::text_edit(true, edit.text.clone(), edit.text.clone(), "Type a title");
                info.label = Some("Card title".to_owned());
                info
            });
            if !edit.started {
                out.request_focus();
                edit.started = true;
                // Start with the whole title selected, so typing replaces it (typing onto a card
                // already replaced it, so the cursor goes to the end instead).
                let mut st = egui::text_edit::TextEditState::load(ui.ctx(), edit_id).unwrap_or_default();
                let range = if edit.select_all {
                    egui::text_selection::CCursorRange::select_all_str(&edit.text)
                } else {
                    egui::text_selection::CCursorRange::one(egui::text::CCursor::new(edit.text.chars().count()))
                };
                st.cursor.set_char_range(Some(range));
                st.store(ui.ctx(), edit_id);
            }
            if out.changed() {
                events.push(CanvasEvent::TitleEdited { id: edit.id.clone(), title: edit.text.clone() });
            }
            let (enter, esc) =
                ui.input(|i| (i.key_pressed(egui::Key::Enter) && !i.modifiers.shift, i.key_pressed(egui::Key::Escape)));
            if (out.has_focus() && (enter || esc)) || (out.lost_focus() && !out.has_focus()) {
                cur.editing = None;
                events.push(CanvasEvent::TitleEditEnded);
                response.request_focus();
            }
        } else {
            cur.editing = None;
            events.push(CanvasEvent::TitleEditEnded);
        }
    }

    // ---------------------------------------------------------------- refusal, minimap
    if let Some((msg, at, when)) = &state.refusal {
        if now - when < 5.0 {
            let galley = painter.layout(msg.clone(), FontId::proportional(15.0), Color32::WHITE, 420.0);
            let pos = (*at + vec2(14.0, 14.0)).min(rect.max - galley.size() - vec2(12.0, 12.0));
            let bg = Rect::from_min_size(pos, galley.size()).expand(8.0);
            painter.rect_filled(bg, 6.0, Color32::from_rgb(150, 20, 20));
            painter.galley(pos, galley, Color32::WHITE);
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(250));
        } else {
            state.refusal = None;
        }
    }
    if state.show_minimap {
        minimap(ui, scene, state, rect);
    }
    (response, events)
}

/// Adds a straight line as two triangles.
fn add_line(mesh: &mut egui::Mesh, a: Pos2, b: Pos2, width: f32, colour: Color32) {
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

fn draw_far(
    painter: &egui::Painter,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    origin: Pos2,
    visible: Rect,
    on_screen: &[usize],
) {
    let mut mesh = egui::Mesh::default();
    let dimmed = |i: usize| state.dimmed.as_ref().is_some_and(|d| d.contains(&scene.cards[i].id));
    for (_, l) in scene.links_in(visible) {
        let mut colour = theme::link_style(l.kind).colour.gamma_multiply(0.7);
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
            mesh.add_colored_rect(r.expand(3.0), Color32::from_rgb(255, 170, 0));
        }
        let colour = theme::kind_colour(c.kind);
        mesh.add_colored_rect(r, if dimmed(i) { colour.gamma_multiply(0.25) } else { colour });
    }
    painter.add(Shape::mesh(mesh));
}

fn draw_grid(painter: &egui::Painter, rect: Rect, view: &View) {
    let step = 100.0 * view.zoom;
    if step < 12.0 {
        return;
    }
    let colour = Color32::from_rgb(0xEC, 0xEC, 0xE6);
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

fn draw_links(
    painter: &egui::Painter,
    map: &MissionMap,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    origin: Pos2,
    visible: Rect,
) {
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
            let glow = Stroke::new((8.0 * zoom).clamp(5.0, 12.0), Color32::from_rgba_unmultiplied(255, 190, 0, 150));
            painter.add(Shape::line(pts.clone(), glow));
        }
        let emphasis = if touches_selection || lit == Some(true) { 1.6 } else { 1.0 };
        // A routed link: the bends as plain segments in the link's style, the arrow on the last one.
        for w in pts.windows(2).take(pts.len() - 2) {
            draw_segment(painter, w[0], w[1], l.kind, zoom, emphasis, dim);
        }
        draw_arrow(painter, s, e, l.kind, zoom, emphasis, dim);
        if zoom >= 0.6
            && let Some(link) = map.link(&l.id)
            && !link.label.is_empty()
        {
            let mid = s + (e - s) * 0.5;
            let galley =
                painter.layout_no_wrap(link.label.clone(), FontId::proportional(12.0 * zoom), Color32::from_gray(40));
            let r = Rect::from_center_size(mid, galley.size()).expand(3.0);
            painter.rect_filled(r, 3.0, Color32::from_rgba_unmultiplied(255, 255, 255, 230));
            painter.galley(r.min + vec2(3.0, 3.0), galley, Color32::BLACK);
        }
    }
}

/// Draws a segment of a routed link (no arrowhead) in the style of its kind.
fn draw_segment(painter: &egui::Painter, s: Pos2, e: Pos2, kind: LinkKind, zoom: f32, emphasis: f32, dim: bool) {
    let style = theme::link_style(kind);
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
pub fn draw_arrow(painter: &egui::Painter, s: Pos2, e: Pos2, kind: LinkKind, zoom: f32, emphasis: f32, dim: bool) {
    let style = theme::link_style(kind);
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
struct CardLook {
    selected: bool,
    hovered: bool,
    dim: bool,
    focused: bool,
}

fn draw_card(painter: &egui::Painter, node: &Node, card: &CardGeom, screen: Rect, zoom: f32, look: CardLook) {
    let kind = card.kind;
    let mut colour = theme::kind_colour(kind);
    let mut fill = theme::kind_fill(kind);
    if look.dim {
        colour = colour.gamma_multiply(0.25);
        fill = fill.gamma_multiply(0.35);
    }
    let corner = CornerRadius::same((theme::kind_corner(kind) * zoom).min(255.0) as u8);
    if look.selected || look.focused {
        let ring = if look.focused { 7.0 } else { 5.0 };
        painter.rect_stroke(
            screen.expand(ring * 0.6),
            corner,
            Stroke::new(ring * 0.6, Color32::from_rgb(255, 170, 0)),
            StrokeKind::Outside,
        );
    }
    if zoom < LOD_BLOCKS {
        painter.rect_filled(screen, corner, colour);
        return;
    }
    let border = if kind == Kind::Mission { 3.0 } else { 1.5 } * if look.hovered { 1.6 } else { 1.0 };
    painter.rect(screen, corner, fill, Stroke::new(border * zoom, colour), StrokeKind::Inside);
    let header = Rect::from_min_size(screen.min, vec2(screen.width(), theme::HEADER_HEIGHT * zoom));
    let top = CornerRadius { nw: corner.nw, ne: corner.ne, sw: 0, se: 0 };
    painter.rect_filled(header, top, colour);
    let inset = (theme::kind_corner(kind) * 0.35 + 8.0) * zoom;
    let icon = theme::HEADER_HEIGHT * zoom * 0.62;
    paint_kind_icon(painter, header.left_center() + vec2(inset + icon / 2.0, 0.0), icon, kind, Color32::WHITE);
    painter.text(
        header.left_center() + vec2(inset + icon + 5.0 * zoom, 0.0),
        Align2::LEFT_CENTER,
        kind.label().to_uppercase(),
        FontId::proportional(theme::HEADER_SIZE * zoom),
        Color32::WHITE,
    );
    if card.pinned {
        // A drawing pin: head and needle.
        let c = header.right_center() - vec2(inset + icon / 2.0, icon * 0.15);
        painter.line_segment([c, c + vec2(0.0, icon * 0.6)], Stroke::new(1.5 * zoom, Color32::WHITE));
        painter.circle_filled(c, icon * 0.3, Color32::WHITE);
        painter.text(
            c - vec2(icon, 0.0),
            Align2::RIGHT_CENTER,
            "pinned",
            FontId::proportional(theme::HEADER_SIZE * zoom * 0.9),
            Color32::WHITE,
        );
    }
    let title_size = theme::TITLE_SIZE * zoom;
    let text_colour = if look.dim { Color32::from_gray(150) } else { Color32::from_rgb(0x1A, 0x1A, 0x1A) };
    let badge_h = 16.0 * zoom;
    let body = Rect::from_min_max(
        pos2(screen.min.x + inset, header.max.y + 4.0 * zoom),
        pos2(screen.max.x - inset, screen.max.y - badge_h - 4.0 * zoom),
    );
    let mut job = egui::text::LayoutJob::simple(
        node.title.clone(),
        FontId::proportional(title_size),
        text_colour,
        body.width().max(1.0),
    );
    job.wrap.max_rows = ((body.height() / (title_size * 1.15)).floor() as usize).max(1);
    let galley = painter.layout_job(job);
    painter.galley(body.min, galley, text_colour);
    let badges = if zoom >= 0.6 { crate::style::badges(node) } else { Vec::new() };
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
            painter.rect(r, 4.0 * zoom, Color32::WHITE, Stroke::new(1.0, colour), StrokeKind::Inside);
            painter.galley(r.min + vec2(4.0 * zoom, zoom), g, colour);
            x = r.min.x - 4.0 * zoom;
        }
    }
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

fn minimap(ui: &mut egui::Ui, scene: &Scene, state: &mut CanvasState, canvas: Rect) {
    let Some(bounds) = scene.bounds else { return };
    let size = vec2(220.0, 150.0);
    let area = Rect::from_min_size(canvas.max - size - vec2(12.0, 12.0), size);
    let inner = area.shrink(6.0);
    let scale = (inner.width() / bounds.width().max(1.0)).min(inner.height() / bounds.height().max(1.0));
    let offset = inner.center() - bounds.center().to_vec2() * scale;
    let to_mini = |p: Pos2| offset + p.to_vec2() * scale;
    let painter = ui.painter_at(area);
    painter.rect(
        area,
        6.0,
        Color32::from_rgba_unmultiplied(255, 255, 255, 235),
        Stroke::new(1.0, Color32::from_gray(160)),
        StrokeKind::Inside,
    );
    let key = scene.revision.unwrap_or(u64::MAX);
    if state.minimap_cache.as_ref().is_none_or(|(k, r, _)| *k != key || *r != area) {
        let mut mesh = egui::Mesh::default();
        for c in &scene.cards {
            mesh.add_colored_rect(
                Rect::from_min_max(to_mini(c.rect.min), to_mini(c.rect.max)).expand(0.5),
                theme::kind_colour(c.kind),
            );
        }
        state.minimap_cache = Some((key, area, std::sync::Arc::new(mesh)));
    }
    if let Some((_, _, mesh)) = &state.minimap_cache {
        painter.add(Shape::Mesh(mesh.clone()));
    }
    let origin = canvas.min;
    let seen = Rect::from_min_max(state.view.to_map(origin, canvas.min), state.view.to_map(origin, canvas.max));
    let seen_mini = Rect::from_min_max(to_mini(seen.min), to_mini(seen.max)).intersect(area);
    painter.rect_stroke(seen_mini, 0.0, Stroke::new(2.0, Color32::from_rgb(200, 120, 0)), StrokeKind::Inside);
    let r = ui.interact(area, Id::unique("minimap"), Sense::click_and_drag());
    r.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, "Minimap: click or drag to move the view"));
    if (r.clicked() || r.dragged())
        && let Some(p) = r.interact_pointer_pos()
    {
        let target = ((p - offset) / scale).to_pos2();
        state.view.centre_on(target, canvas.size());
    }
}
