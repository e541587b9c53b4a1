//! The labels placed so far, with the screen grid that finds which one a plate would touch, and
//! the plate geometry the labeller uses.

use egui::{Pos2, Rect, vec2};

/// A label placed: its plate (screen), its text, and whose it is.
#[derive(Clone)]
pub(super) struct Placed {
    pub(super) plate: Rect,
    pub(super) galley: std::sync::Arc<egui::Galley>,
    pub(super) card: usize,
    /// The pointed-at card's label, whole.
    pub(super) full: bool,
    /// Beside its card rather than over it (drawn with a leader line, never widened).
    pub(super) moved: bool,
    /// A mission's or sub-mission's title.
    pub(super) top: bool,
}

impl Placed {
    /// Whether this is a mission's or sub-mission's label placed by the labeller (not the one
    /// pointed at, not taken off): one that may be asked to make way.
    pub(super) fn can_make_way(&self) -> bool {
        !self.full && self.plate.is_positive() && self.top
    }
}

/// The card of a place kept clear (the minimap's corner): a label no other may cover, never drawn.
pub(super) const KEEP_CLEAR: usize = usize::MAX;

/// Labels placed so far, with a coarse grid of screen cells for collision tests.
#[derive(Default)]
pub(super) struct Labels {
    pub(super) placed: Vec<Placed>,
    grid: rustc_hash::FxHashMap<(i32, i32), Vec<usize>>,
}

const LABEL_CELL: f32 = 96.0;

impl Labels {
    fn cells(r: Rect) -> impl Iterator<Item = (i32, i32)> {
        let key = |p: Pos2| ((p.x / LABEL_CELL).floor() as i32, (p.y / LABEL_CELL).floor() as i32);
        let (a, b) = (key(r.min), key(r.max));
        (a.0..=b.0).flat_map(move |x| (a.1..=b.1).map(move |y| (x, y)))
    }

    /// Whether `r` overlaps a placed label other than `except`, or comes closer than `margin`
    /// beside a top title's (a top title keeps [`super::PLATE_MARGIN`] from another; others need none).
    pub(super) fn collides(&self, r: Rect, except: Option<usize>, margin: f32) -> bool {
        let wide = r.expand2(vec2(margin, 0.0));
        Labels::cells(wide).any(|k| {
            self.grid.get(&k).is_some_and(|v| {
                v.iter().any(|&j| {
                    let p = &self.placed[j];
                    Some(j) != except && (p.plate.intersects(r) || (p.top && p.plate.intersects(wide)))
                })
            })
        })
    }

    pub(super) fn add(&mut self, label: Placed) {
        let j = self.placed.len();
        for k in Labels::cells(label.plate) {
            self.grid.entry(k).or_default().push(j);
        }
        self.placed.push(label);
    }

    /// Takes label `j` off (its plate becomes nothing, so it covers nothing; dropped before
    /// drawing), returning it as it was so that [`Labels::put_back`] can restore it.
    pub(super) fn take(&mut self, j: usize) -> Placed {
        let was = self.placed[j].clone();
        self.placed[j].plate = Rect::NOTHING;
        was
    }

    /// Restores label `j` as [`Labels::take`] returned it.
    pub(super) fn put_back(&mut self, j: usize, was: Placed) {
        self.placed[j] = was;
    }

    /// Gives label `j` a new plate (the grid keeps its old cells too, which only makes later tests
    /// look at it once more).
    pub(super) fn replace(&mut self, j: usize, plate: Rect, galley: std::sync::Arc<egui::Galley>) {
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

/// The distance between two rectangles (0 where they touch or overlap).
pub(super) fn gap(a: Rect, b: Rect) -> f32 {
    let dx = (a.min.x - b.max.x).max(b.min.x - a.max.x).max(0.0);
    let dy = (a.min.y - b.max.y).max(b.min.y - a.max.y).max(0.0);
    dx.hypot(dy)
}

/// `plate` moved (not resized) as little as needed to lie inside `area`, so a label of a card at
/// the canvas's edge is not cut off; one wider than the area starts at its left.
pub(super) fn keep_inside(plate: Rect, area: Rect) -> Rect {
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
