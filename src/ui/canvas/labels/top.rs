//! A mission's or sub-mission's title at each of its sizes: the sizes it tries and the rule that
//! tries them, near its card then further aside and down.

use super::plates::Labels;
use super::{LabelShape, Labeller};
use crate::model::Kind;

/// The sizes a top title tries, against its usual one (`size` points).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Sizes {
    /// Its own, a size or two smaller, never under 12 points.
    Usual,
    /// Smaller than [`Sizes::Usual`]'s smallest, down to 12 pixels on the screen: at large text
    /// (`zoom` over 1) a point is more than a pixel, and 12 points are more than a room needs.
    Least,
}

impl Sizes {
    fn scales(self, size: f32, zoom: f32) -> Vec<f32> {
        let usual = |s: f32| f32::max(s, 12.0 / size).min(1.0);
        let mut scales: Vec<f32> = match self {
            Sizes::Usual => [1.0, 0.875, 0.75].into_iter().map(usual).collect(),
            Sizes::Least => {
                let floor = usual(0.75);
                [0.625, 0.5].into_iter().map(|s| f32::max(s, 12.0 / (size * zoom))).filter(|&s| s < floor).collect()
            }
        };
        scales.dedup();
        scales
    }
}

impl Labeller<'_> {
    /// Whether sub-mission `i`'s title is cut to its first words rather than go whole over a
    /// neighbour's card: at large text (a mission's title always goes whole).
    pub(super) fn cuts_before_covering(&self, i: usize) -> bool {
        self.scene.cards[i].kind == Kind::SubMission && self.painter.ctx().zoom_factor() > 1.01
    }

    /// A top title whole (`kept` 2; 1: at least its first three words), at each of its `sizes`
    /// near its card, then at each size further aside and down (at most `reach` of its plate's
    /// heights from its card); if `strict`, only where it covers no card but its own. Whether it
    /// found a place.
    pub(super) fn place_top(
        &self,
        labels: &mut Labels,
        i: usize,
        shape: LabelShape,
        (strict, sizes): (bool, Sizes),
        reach: f32,
        kept: u8,
    ) -> bool {
        let (_, size, _) = self.metrics(i);
        let scales = sizes.scales(size, self.painter.ctx().zoom_factor());
        if scales.is_empty() {
            return false;
        }
        let tries = scales.iter().map(|&s| (s, false)).chain(scales.iter().map(|&s| (s, true)));
        for (scale, far) in tries {
            self.scale.set(scale);
            self.far.set(far);
            self.strict.set(strict);
            self.reach.set(reach);
            self.least.set(sizes == Sizes::Least);
            let placed = self.place_sized(labels, i, false, shape, kept);
            self.least.set(false);
            self.scale.set(1.0);
            self.far.set(false);
            self.strict.set(false);
            self.reach.set(f32::INFINITY);
            if placed {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Sizes;

    #[test]
    fn least_sizes_go_below_the_usual_ones_only_at_large_text_and_never_under_12_pixels() {
        // A 16-point title: its usual sizes 16, 14 and 12 points.
        assert_eq!(Sizes::Usual.scales(16.0, 1.0), vec![1.0, 0.875, 0.75]);
        // At normal text 12 points are 12 pixels: nothing smaller.
        assert!(Sizes::Least.scales(16.0, 1.0).is_empty());
        // At 150 %: 10 and 8 points (15 and 12 pixels).
        assert_eq!(Sizes::Least.scales(16.0, 1.5), vec![0.625, 0.5]);
        // At 125 %: 10 points (12.5 pixels), then 12 pixels (9.6 points) rather than 8 points.
        assert_eq!(Sizes::Least.scales(16.0, 1.25), vec![0.625, 0.6]);
        // A title larger on a big screen keeps the 12-point floor for its usual sizes.
        assert_eq!(Sizes::Usual.scales(24.0, 1.0), vec![1.0, 0.875, 0.75]);
    }
}
