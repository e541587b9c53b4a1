//! Titles that make way: a mission's or sub-mission's title left over a neighbour's card asks the
//! nearest top titles, in a chain, to move so that it can go over no card but its own.

use super::plates::Labels;
use super::top::Sizes;
use super::{LabelShape, Labeller};

impl Labeller<'_> {
    /// Each top title that went over a neighbour's card (no place over none was free when its
    /// turn came) tries again with one of the nearest top titles taken off, and that one with
    /// another taken off in turn (see [`MAKE_WAY_DEPTH`]): where every title taken off finds a
    /// place over no card but its own, they stay there; else all stay as they were.
    pub(super) fn make_way(&self, labels: &mut Labels) {
        if !self.thorough {
            return;
        }
        let over: Vec<usize> = (0..labels.placed.len())
            .filter(|&j| {
                labels.placed[j].can_make_way() && self.covers_other(labels.placed[j].plate, labels.placed[j].card)
            })
            .collect();
        for j in over {
            let was = labels.take(j);
            if !self.rehome(labels, was.card, MAKE_WAY_DEPTH) {
                labels.put_back(j, was);
            }
        }
    }

    /// Places card `i`'s top title (its label taken off) over no card but its own, near its card,
    /// taking off one of the nearest top titles and placing that one again the same way (`depth`
    /// deep) where it finds no such place free. All or nothing: whether it did; if not, every
    /// label is as it was.
    fn rehome(&self, labels: &mut Labels, i: usize, depth: usize) -> bool {
        if self.place_near(labels, i) {
            return true;
        }
        if depth == 0 {
            return false;
        }
        let home = self.metrics(i).0.center();
        let mut near: Vec<(f32, usize)> = (0..labels.placed.len())
            .filter(|&k| labels.placed[k].can_make_way())
            .map(|k| (labels.placed[k].plate.center().distance(home), k))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        for &(_, k) in near.iter().take(MAKE_WAY_TRIES) {
            if self.asked.get() >= MAKE_WAY_BUDGET {
                return false;
            }
            self.asked.set(self.asked.get() + 1);
            let was = labels.take(k);
            let at = labels.placed.len();
            if self.place_near(labels, i) {
                if self.rehome(labels, was.card, depth - 1) {
                    return true;
                }
                labels.take(at);
            }
            labels.put_back(k, was);
        }
        false
    }

    /// Card `i`'s top title over no card but its own, within [`MAKE_WAY_REACH`] of its card: whole
    /// at its usual sizes, or (at large text, a sub-mission) as it tries in the first place: its
    /// first words, then whole and first words at its least sizes (the sample's last title at
    /// 150 % on 1280×720 finds its place only so).
    fn place_near(&self, labels: &mut Labels, i: usize) -> bool {
        let tries: &[(u8, Sizes)] = if self.cuts_before_covering(i) {
            &[(2, Sizes::Usual), (1, Sizes::Usual), (2, Sizes::Least), (1, Sizes::Least)]
        } else {
            &[(2, Sizes::Usual)]
        };
        tries
            .iter()
            .any(|&(kept, sizes)| self.place_top(labels, i, LabelShape::Slot, (true, sizes), MAKE_WAY_REACH, kept))
    }
}

/// How many of the nearest top titles a title over a neighbour's card asks, one by one, to make
/// way for it (see [`Labeller::make_way`]).
const MAKE_WAY_TRIES: usize = 8;
/// How far from its card (in its plate's heights) a title placed again while making way may go.
const MAKE_WAY_REACH: f32 = 1.5;
/// How many times in one frame a title may ask another to make way (each ask places up to two
/// titles again): the sample at fit asks 15 times at 1280×720, 20 at 150 % text on 1920×1080, and
/// 144 at 150 % on 1280×720, where three titles find no place however they ask; without a bound,
/// forty titles over other cards could ask 8 + 8² + 8³ times each.
const MAKE_WAY_BUDGET: usize = 300;
/// How many titles in turn may make way for one over a neighbour's card (the sample in the editor
/// at 1280×720: one title over another card with one or two, none with three).
const MAKE_WAY_DEPTH: usize = 3;
