//! The map canvas: cards and links drawn at the current pan and zoom, and every way of working on
//! them with the pointer. The canvas changes only editor state (view, selection, drags); changes to
//! the document leave it as [`CanvasEvent`]s for the app to apply.
//!
//! Text is laid out at the zoomed size (never a scaled texture), only what is on screen is drawn or
//! hit-tested (through the [`Scene`] grid), and far-out cards are drawn as plain blocks.

mod labels;
mod minimap;
mod paint;

use labels::{Around, draw_labels};
use minimap::minimap;
pub use minimap::minimap_rect;
use paint::{CardLook, draw_card, draw_far, draw_grid, draw_links};
pub use paint::{draw_arrow, paint_kind_icon};

use std::collections::HashSet;

use egui::{
    Align2, Color32, EventFilter, FontId, Id, Pos2, Rect, Response, Sense, Stroke, StrokeKind, Vec2, WidgetInfo, pos2,
    vec2,
};

use super::scene::Scene;
use super::theme::{self};
use crate::editor::Point;
pub use crate::editor::{CanvasEvent, Cursor, Selection, TitleEdit, card_label};
use crate::model::{Kind, LinkId, LinkKind, MissionMap, NodeId, Placement};

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
/// Below this zoom, cards are plain blocks drawn in one mesh.
pub const LOD_BLOCKS: f32 = 0.3;
/// Below this zoom a title drawn to scale would be under 10 pixels: cards are drawn without text and
/// overview labels at a legible size name them instead (semantic zoom).
pub const LOD_TEXT: f32 = 0.7;
/// Find and keyboard navigation bring a card to at least this zoom, where its title is drawn whole.
pub const READABLE_ZOOM: f32 = 0.8;
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
        View::fit_within(bounds, size, 40.0)
    }

    /// As [`View::fit`], with `margin` screen pixels on every side.
    #[must_use]
    pub fn fit_within(bounds: Rect, size: Vec2, margin: f32) -> View {
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

/// A card's computed progress status, for the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct CardStatus {
    pub status: crate::model::progress::Status,
    /// The driving indicator's latest reading is overdue (drawn as "stale" beside the status).
    pub stale: bool,
    /// The driving indicator's readings, oldest first.
    pub series: Vec<f64>,
}

impl CardStatus {
    /// The chip's words: "Off track", "Off track, stale" (the full date is in the Progress panel).
    #[must_use]
    pub fn text(&self) -> String {
        if self.stale { format!("{}, stale", self.status.label()) } else { self.status.label().to_owned() }
    }
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
    /// Each measured card's status (and the readings of what drives it), drawn as a chip and a
    /// sparkline and said in its accessible name.
    pub status: std::collections::HashMap<NodeId, CardStatus>,
    /// The kind of card a double-click adds.
    pub new_kind: Option<Kind>,
    pub show_minimap: bool,
    /// A refusal to show by the pointer, with the time it was made.
    pub refusal: Option<(String, Pos2, f64)>,
    drag: Option<Drag>,
    /// Size of the canvas on screen at the last frame.
    pub size: Vec2,
    pub hovered_link: Option<LinkId>,
    /// Present mode: no selection rings, no link handles.
    pub present: bool,
    minimap_cache: Option<(u64, Rect, std::sync::Arc<egui::Mesh>)>,
    /// Where the minimap was drawn at the last frame (on screen), if it was.
    pub minimap_rect: Option<Rect>,
}

/// The largest part of `area` that none of `obstacles` (floating windows, the minimap) covers: the
/// largest of the strips beside, above and below each obstacle, and of the overlaps of two such
/// strips, that no obstacle reaches into. A part narrower or lower than a fifth of the area does not
/// count; with no part left the whole area is taken (the view cannot avoid the windows anyway).
#[must_use]
pub fn free_part(area: Rect, obstacles: &[Rect]) -> Rect {
    let obstacles: Vec<Rect> = obstacles.iter().map(|o| o.intersect(area)).filter(Rect::is_positive).collect();
    if obstacles.is_empty() {
        return area;
    }
    let cuts: Vec<Rect> = obstacles
        .iter()
        .flat_map(|o| {
            [
                Rect::from_min_max(area.min, pos2(o.min.x, area.max.y)),
                Rect::from_min_max(pos2(o.max.x, area.min.y), area.max),
                Rect::from_min_max(area.min, pos2(area.max.x, o.min.y)),
                Rect::from_min_max(pos2(area.min.x, o.max.y), area.max),
            ]
        })
        .filter(Rect::is_positive)
        .collect();
    let mut candidates = cuts.clone();
    for (i, a) in cuts.iter().enumerate() {
        candidates.extend(cuts[i + 1..].iter().map(|b| a.intersect(*b)).filter(Rect::is_positive));
    }
    candidates
        .into_iter()
        .filter(|c| c.width() >= area.width() / 5.0 && c.height() >= area.height() / 5.0)
        .filter(|c| obstacles.iter().all(|o| !o.intersect(*c).is_positive()))
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .unwrap_or(area)
}

/// The id of the canvas widget (it takes keyboard focus for Tab, arrows and Escape).
#[must_use]
pub fn canvas_id() -> Id {
    Id::unique("missionboard_canvas")
}

fn card_id(id: &NodeId) -> Id {
    Id::unique(("card", id.as_str()))
}

fn link_widget_id(id: &LinkId) -> Id {
    Id::unique(("link", id.as_str()))
}

/// Each link on screen as a small widget at its middle: in the accessibility tree as "Intervention:
/// A contributes to Sub-mission: B", and a click (or a screen reader's click) selects it. Added
/// before the cards, so a card over a link's middle keeps its clicks.
fn link_widgets(
    ui: &egui::Ui,
    map: &MissionMap,
    scene: &Scene,
    state: &CanvasState,
    cur: &mut Cursor,
    (origin, visible): (Pos2, Rect),
) {
    let modifiers = ui.input(|i| i.modifiers);
    for (_, l) in scene.links_in(visible).take(MAX_FAR_WIDGETS) {
        let Some(link) = map.link(&l.id) else { continue };
        let pts = l.points();
        let k = pts.len() / 2;
        let mid = pts[k - 1] + (pts[k] - pts[k - 1]) * 0.5;
        let at = state.view.to_screen(origin, mid);
        let r = ui.interact(Rect::from_center_size(at, Vec2::splat(14.0)), link_widget_id(&l.id), Sense::click());
        let selected = cur.selection.links.contains(&l.id);
        r.widget_info(|| {
            WidgetInfo::selected(
                egui::Role::Link,
                true,
                selected,
                format!("Link: {}", crate::editor::link_label(map, link)),
            )
        });
        if r.clicked() {
            // The canvas keeps the keyboard (Delete removes the link).
            ui.memory_mut(|m| m.request_focus(canvas_id()));
            if !(modifiers.shift || modifiers.command) {
                cur.selection = Selection::default();
            }
            cur.selection.links.insert(l.id.clone());
        }
    }
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
    // When the canvas changes size (a panel opens, the window or the text size changes), what was
    // in the middle stays in the middle.
    if state.size.min_elem() > 1.0 && (rect.size() - state.size).length() > 0.5 {
        state.view.offset += (rect.size() - state.size) / 2.0;
    }
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
    let palette = theme::palette(ui.ctx());
    painter.rect_filled(rect, 0.0, theme::c(palette.background));
    draw_grid(&painter, rect, &state.view, palette);

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
                theme::kind_colour(palette, Kind::SubMission).gamma_multiply(0.12),
                Stroke::new(1.0, theme::kind_colour(palette, Kind::SubMission)),
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
        link_widgets(ui, map, scene, state, cur, (origin, visible));
    }

    // ---------------------------------------------------------------- cards
    let mut connect_target: Option<(usize, bool)> = None;
    // Cards are widgets (clickable, draggable, in the accessibility tree) whenever they are legible
    // or few enough; far out on a big map they are picked from the grid instead.
    let widgets = !far || on_screen.len() <= MAX_FAR_WIDGETS;
    let mut hovered_card = None;
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
        if let Some(s) = state.status.get(&card.id) {
            label = format!("{label}, {}", s.text().to_lowercase());
        }
        r.widget_info(|| WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        // Its links, read after its name ("contributes to Sub-mission: …").
        ui.ctx().accesskit_node_builder(r.id, |n| n.set_description(crate::editor::card_links_text(map, &card.id)));
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
            let badges_left = draw_card(
                &painter,
                node,
                card,
                screen,
                zoom,
                CardLook { selected, hovered, dim, focused, bare: state.present, palette },
            );
            if let Some(s) = state.status.get(&card.id)
                && zoom >= 0.6
            {
                paint::draw_status(&painter, screen, zoom, card.kind, s, palette, badges_left);
            }
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
        if hovered {
            hovered_card = Some(i);
        }
        if (hovered || selected)
            && !state.present
            && zoom >= LOD_BLOCKS
            && cur.editing.as_ref().is_none_or(|e| e.id != card.id)
        {
            let knob = screen.center_bottom() + vec2(0.0, 2.0);
            let knob_rect = Rect::from_center_size(knob, Vec2::splat(18.0));
            let h = ui.interact(knob_rect, Id::unique(("handle", card.id.as_str())), Sense::drag());
            h.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, format!("Link from {label}")));
            let hot = h.hovered() || h.dragged();
            painter.circle(
                knob,
                if hot { 8.0 } else { 6.0 },
                theme::c(palette.background),
                Stroke::new(2.0 * palette.outline_scale, theme::kind_colour(palette, card.kind)),
            );
            if h.drag_started() {
                state.drag = Some(Drag::Connect { from: card.id.clone() });
            }
            if hot {
                h.on_hover_text("Drag onto another card to link them");
            }
        }
    }

    // Whether the whole map is on screen (then no minimap, and labels may use all the room).
    let all_visible = scene.bounds.is_none_or(|b| visible.contains_rect(b));
    if zoom < LOD_TEXT {
        if hovered_card.is_none() && response.hovered() {
            hovered_card = pointer_map.and_then(|p| scene.card_at(p));
        }
        // The minimap, drawn last where part of the map is off screen, keeps its corner clear.
        let around = Around {
            hovered: hovered_card,
            whole_map: all_visible,
            keep_clear: (state.show_minimap && !all_visible).then(|| minimap_rect(rect)),
        };
        draw_labels(&painter, map, scene, state, cur, &on_screen, &around);
    }

    // ---------------------------------------------------------------- connecting
    if let Some(Drag::Connect { from }) = state.drag.clone() {
        let released = ui.input(|i| i.pointer.any_released());
        if let (Some(p), Some(fc)) = (pointer, scene.card(&from)) {
            let start = state.view.to_screen(origin, fc.rect.center_bottom());
            let colour = match connect_target {
                Some((_, true)) => theme::status_colour(palette, crate::model::progress::Status::OnTrack),
                Some((_, false)) => theme::status_colour(palette, crate::model::progress::Status::OffTrack),
                None => theme::c(palette.muted),
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
    title_editor(ui, scene, &state.view, cur, rect, &response, &mut events);

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
    // The minimap helps only when part of the map is off screen; otherwise it would hide cards.
    state.minimap_rect = None;
    if state.show_minimap && !all_visible {
        minimap(ui, scene, state, rect, palette);
    }
    (response, events)
}

/// The in-place title editor over the card being titled: focused at once, the whole title
/// selected (or the cursor at the end after typing onto the card); Enter or Esc ends it.
fn title_editor(
    ui: &mut egui::Ui,
    scene: &Scene,
    view: &View,
    cur: &mut Cursor,
    rect: Rect,
    response: &Response,
    events: &mut Vec<CanvasEvent>,
) {
    let origin = rect.min;
    let zoom = view.zoom;
    if let Some(edit) = &mut cur.editing {
        if let Some(card) = scene.card(&edit.id) {
            let screen = view.rect_to_screen(origin, card.rect);
            let header = theme::HEADER_HEIGHT * zoom;
            let area = Rect::from_min_max(screen.min + vec2(4.0, header + 2.0), screen.max - vec2(4.0, 2.0));
            let edit_id = Id::unique(("title_edit", edit.id.as_str()));
            let font = FontId::proportional((theme::TITLE_SIZE * zoom).clamp(12.0, 40.0));
            if !edit.started {
                // Focus and cursor before the editor is drawn, so keys of this frame already go
                // into it (after it, they were lost: typed text in the frame it opened vanished).
                ui.memory_mut(|m| m.request_focus(edit_id));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_part_leaves_out_windows_and_keeps_the_most_room() {
        let canvas = Rect::from_min_size(pos2(0.0, 60.0), vec2(1000.0, 600.0));
        assert_eq!(free_part(canvas, &[]), canvas);
        // A window at the right edge: the free part is to its left.
        let window = Rect::from_min_max(pos2(700.0, 70.0), pos2(990.0, 400.0));
        assert_eq!(free_part(canvas, &[window]), Rect::from_min_max(pos2(0.0, 60.0), pos2(700.0, 660.0)));
        // With the minimap at the bottom right as well: still left of the window.
        let mini = Rect::from_min_max(pos2(770.0, 500.0), pos2(990.0, 650.0));
        assert_eq!(free_part(canvas, &[window, mini]), Rect::from_min_max(pos2(0.0, 60.0), pos2(700.0, 660.0)));
        // The minimap alone: beside it (a wide strip) rather than above it.
        assert_eq!(free_part(canvas, &[mini]), Rect::from_min_max(pos2(0.0, 60.0), pos2(770.0, 660.0)));
        // A window over nearly everything is not avoided.
        let huge = canvas.shrink(20.0);
        assert_eq!(free_part(canvas, &[huge]), canvas);
        // Two windows stacked in the middle (the side panels just hidden): the strip to their right.
        let wide = Rect::from_min_size(pos2(0.0, 90.0), vec2(1280.0, 590.0));
        let timer = Rect::from_min_max(pos2(490.0, 108.0), pos2(940.0, 415.0));
        let voting = Rect::from_min_max(pos2(310.0, 428.0), pos2(940.0, 620.0));
        assert_eq!(free_part(wide, &[timer, voting]), Rect::from_min_max(pos2(940.0, 90.0), pos2(1280.0, 680.0)));
        // Windows outside the canvas (over a side panel) change nothing.
        let outside = Rect::from_min_max(pos2(1100.0, 0.0), pos2(1200.0, 100.0));
        assert_eq!(free_part(canvas, &[outside]), canvas);
    }
}
