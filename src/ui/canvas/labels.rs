//! Overview labels: a card's title at a legible screen size on a plate, where titles drawn to
//! scale would be too small to read (fit, present mode's overview, far out).

use egui::{Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2, vec2};

use super::super::scene::Scene;
use super::super::theme::{self, Palette};
use super::paint::label_text_colour;
use super::{CanvasState, Cursor};
use crate::model::{Kind, MissionMap};

mod make_way;
mod plates;
mod top;

use plates::{KEEP_CLEAR, Labels, Placed, gap, keep_inside};
use top::Sizes;

/// Overview labels: when titles drawn to scale would be too small to read, each card's title is
/// drawn at a legible screen size (missions and sub-missions 16 px in the editor, 15 px presenting)
/// on a plate over the card instead. Missions and sub-missions are placed first: the whole title if
/// any shape (two to four rows, slot-wide or wider) finds room, else its first three words, over its
/// card (centred, or its top or bottom edge at the card's, or nudged sideways), else above or below
/// it with a leader, a size or two smaller (never under 12 points; at large text, a sub-mission
/// down to 12 pixels), or further aside or down; every one of those over no card but its own
/// before any over a neighbour's card (a top title is never left out or cut for lack of room); one
/// left over a neighbour's card asks the nearest top titles, one at a time, to make way for it.
/// Then they are widened where their neighbours leave space and the title stays whole; then
/// interventions and partners, over no other card and no other label, wide where there is room,
/// else narrower and taller, else shorter, else left out (the card stays a coloured mark). The
/// card under the pointer or selected is labelled first and in full, so any card can be read by
/// pointing at it. What lies [`Around`] the labels says which card that is, and what to keep clear.
pub(super) fn draw_labels(
    painter: &egui::Painter,
    map: &MissionMap,
    scene: &Scene,
    state: &CanvasState,
    cur: &Cursor,
    on_screen: &[usize],
    around: &Around,
) {
    let &Around { hovered, keep_clear, whole_map } = around;
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
        reach: std::cell::Cell::new(f32::INFINITY),
        asked: std::cell::Cell::new(0),
        least: std::cell::Cell::new(false),
        whole_map,
    };
    let mut labels = Labels::default();
    // What is drawn over the map later (the minimap) takes its place first, as a label no other
    // may cover: a title under it could not be read. Taken off before drawing.
    if let Some(r) = keep_clear {
        let nothing = painter.layout_no_wrap(String::new(), FontId::proportional(1.0), Color32::TRANSPARENT);
        labels.add(Placed { plate: r, galley: nothing, card: KEEP_CLEAR, full: true, moved: false, top: false });
    }
    let mut tries = 0;
    for &(rank, i) in &order[..split] {
        labeller.place(&mut labels, i, rank == 0, LabelShape::Slot, &mut tries);
    }
    labeller.make_way(&mut labels);
    labeller.widen(&mut labels);
    for &(_, i) in &order[split..] {
        labeller.place(&mut labels, i, false, LabelShape::WideFirst, &mut tries);
    }
    // Leaders first, so that no line crosses a label.
    labels.placed.retain(|l| l.plate.is_positive() && l.card != KEEP_CLEAR);
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
        // Drawn once: the text drawn twice a hair apart (to thicken the light font for a
        // projector) was blurred, and OCR read fewer titles from it.
        painter.galley(l.plate.min + LABEL_PAD, l.galley.clone(), text_colour);
    }
}

/// What the labeller needs to know of the canvas around the labels.
pub(super) struct Around {
    /// The card under the pointer, labelled first and in full.
    pub(super) hovered: Option<usize>,
    /// Where something is drawn over the map later (the minimap's corner): no label goes there.
    pub(super) keep_clear: Option<Rect>,
    /// Whether the whole map is on the screen (at fit, presenting, or further out).
    pub(super) whole_map: bool,
}

/// The shapes a label tries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelShape {
    /// Within the card's slot: three rows, then two, then one.
    Slot,
    /// Two wide rows where the neighbours leave room, else as `Slot`.
    WideFirst,
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
    /// How far from its card a label moved off it may go, in its plate's heights (no limit but
    /// while titles make way, see [`Labeller::make_way`]).
    reach: std::cell::Cell<f32>,
    /// How many times a title has asked another to make way this frame (bounded in `make_way.rs`).
    asked: std::cell::Cell<usize>,
    /// Whether a top title is trying its least sizes (see [`Sizes::Least`]).
    least: std::cell::Cell<bool>,
    /// Whether the whole map is on the screen (at fit, presenting, or further out).
    whole_map: bool,
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

    /// Whether card `i` is a mission or a sub-mission.
    fn names_top(&self, i: usize) -> bool {
        matches!(self.scene.cards[i].kind, Kind::Mission | Kind::SubMission)
    }

    /// The room card `i`'s label keeps beside a top title's (see [`PLATE_MARGIN`]).
    fn margin(&self, i: usize) -> f32 {
        if !self.names_top(i) {
            0.0
        } else if self.least.get() {
            LEAST_PLATE_MARGIN
        } else {
            PLATE_MARGIN
        }
    }

    /// Whether a label may go at `plate`: over no other label (nor within [`PLATE_MARGIN`] beside
    /// a top title's, for a top title), and (unless `lenient`) over no card but its own.
    fn free(&self, labels: &Labels, plate: Rect, i: usize, lenient: bool) -> bool {
        !labels.collides(plate, None, self.margin(i)) && (lenient || !self.covers_other(plate, i))
    }

    fn place(&self, labels: &mut Labels, i: usize, full: bool, shape: LabelShape, tries: &mut usize) {
        if *tries >= MAX_LABEL_ATTEMPTS || labels.placed.len() >= MAX_LABELS {
            return;
        }
        *tries += 1;
        let top = self.names_top(i);
        if top && !full && self.thorough {
            // A mission's or sub-mission's title whole, at its size or a size or two smaller
            // (never under 12 px), before any of it is cut: a crowded row at fit left "More care …"
            // where "More care delivered in the community" fitted a little smaller.
            // Near its card first, at each size, then further aside and down at each size (the
            // leader ties it to its card); all of these over no card but its own before any over a
            // neighbour's (at fit the sample's editor had five top titles over other cards when
            // each size could take a neighbour's card before the next size was tried; then three
            // at 1280×720 and none at 1920×1080 or presenting; two once titles make way).
            // At large text a sub-mission's first words over no other card come before its whole
            // title over a neighbour's: the room reads a title over a card as that card's, and
            // the whole title is one point away (the card pointed at is labelled in full). Last
            // of those, the title smaller than the text size asks, down to 12 px on the screen
            // (what a room reads at normal text): smaller and true beats large over an
            // intervention's card (the rehearsal at 150 %). Where even that finds no place, its
            // first words at those sizes over a neighbour's card: a small plate still fits where
            // a large one would leave the card unnamed (two sub-missions at 200 % on 1280×720).
            let mut tries = vec![(true, 2, Sizes::Usual)];
            if self.cuts_before_covering(i) {
                tries.extend([
                    (true, 1, Sizes::Usual),
                    (true, 2, Sizes::Least),
                    (true, 1, Sizes::Least),
                    (false, 1, Sizes::Least),
                ]);
            }
            tries.push((false, 2, Sizes::Usual));
            for (strict, kept, sizes) in tries {
                if self.place_top(labels, i, shape, (strict, sizes), f32::INFINITY, kept) {
                    return;
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
        let top = self.names_top(i);
        let may_move = !full && top;
        // The smallest plate this label could have (one short row): if even that collides, do not
        // lay the text out at all (far out on a big map, most cards end here).
        let least = Rect::from_center_size(r.center(), vec2(size * 3.0, size * 1.2)).expand2(LABEL_PAD);
        if !full && !may_move && labels.collides(least, None, 0.0) {
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
                    labels.add(Placed { plate: at, galley, card: i, full, moved: false, top: self.names_top(i) });
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
            // At the least sizes (see [`Sizes::Least`]) with the whole map in view, as far down
            // as the screen goes: the smaller plate takes smaller steps, and the free room may
            // be below the last row (zoomed in, the leader would run past rows off the screen).
            _ if self.far.get() && self.least.get() && self.whole_map => {
                (0, (((area.max.y - r.max.y) / step).ceil() as usize).clamp(10, 40))
            }
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
                if gap(moved, r) > self.reach.get() * moved.height() {
                    continue;
                }
                if !moved.intersects(r) && self.free(labels, moved, i, lenient) {
                    labels.add(Placed { plate: moved, galley, card: i, full, moved: true, top: self.names_top(i) });
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
            // Not the one pointed at, not one moved off its card, not one taken off.
            if labels.placed[j].full || labels.placed[j].moved || !labels.placed[j].plate.is_positive() {
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
            if !labels.collides(plate, Some(j), self.margin(i)) && !self.covers_other(plate, i) {
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
/// The room a mission's or sub-mission's plate keeps beside another's: two outlines side by side
/// made a double line against the next title's first letter, and OCR dropped it ("13,000 more…"
/// read "000 more"; the same picture with those two lines blanked read it whole).
const PLATE_MARGIN: f32 = 5.0;
/// The room a top title's plate keeps beside another's at its least sizes (see [`Sizes::Least`]):
/// less than [`PLATE_MARGIN`], which was set for OCR at normal text; at large text on a small
/// screen the last titles to find a place need the room (the sample's 17th at 150 % on 1280×720).
const LEAST_PLATE_MARGIN: f32 = 1.0;
/// Labels tried per frame (far out on a big map most cards are too close together to label).
const MAX_LABEL_ATTEMPTS: usize = 1500;
/// Labels drawn per frame.
const MAX_LABELS: usize = 400;
