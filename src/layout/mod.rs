//! Placing cards: pure functions from a map to positions.

use crate::model::{Kind, MissionMap, NodeId, Placement};

/// Horizontal gap between cards in a band, in map units.
pub const GAP_X: f32 = 40.0;
/// Vertical distance between the centres of two bands.
pub const BAND_HEIGHT: f32 = 200.0;

/// The band (row) a kind sits in: missions at the top, partners at the bottom.
#[must_use]
pub fn band(kind: Kind) -> usize {
    match kind {
        Kind::Mission => 0,
        Kind::SubMission => 1,
        Kind::Intervention => 2,
        Kind::Partner => 3,
    }
}

/// Places the given cards in rows by kind, below and to the right of nothing in particular: each
/// kind's cards go in its band, after any cards already there, wrapping so that no row is wider
/// than about four thousand units. Cards not listed are left alone.
pub fn place_in_bands(map: &mut MissionMap, ids: &[NodeId]) {
    const ROW_WIDTH: f32 = 4000.0;
    let mut next_x = [0.0_f32; 4];
    let mut rows = [0usize; 4];
    let mut sorted: Vec<&NodeId> = ids.iter().collect();
    sorted.sort();
    let per_kind_rows: [usize; 4] = {
        let mut counts = [0usize; 4];
        for id in &sorted {
            if let Some(n) = map.node(id) {
                counts[band(n.kind())] += 1;
            }
        }
        counts.map(|c| {
            let per_row = (ROW_WIDTH / (200.0 + GAP_X)).floor().max(1.0) as usize;
            c.div_ceil(per_row).max(1)
        })
    };
    // Band tops, leaving room for wrapped rows above.
    let mut top = [0.0_f32; 4];
    for b in 1..4 {
        top[b] = top[b - 1] + per_kind_rows[b - 1] as f32 * (BAND_HEIGHT * 0.6) + BAND_HEIGHT * 0.4;
    }
    for id in sorted {
        let Some(kind) = map.node(id).map(crate::model::Node::kind) else { continue };
        let b = band(kind);
        let (w, _) = kind.card_size();
        if next_x[b] + w > ROW_WIDTH {
            next_x[b] = 0.0;
            rows[b] += 1;
        }
        let x = next_x[b] + w / 2.0;
        let y = top[b] + rows[b] as f32 * BAND_HEIGHT * 0.6;
        next_x[b] += w + GAP_X;
        let pinned = map.placement(id).is_some_and(|p| p.pinned);
        let _ = map.set_placement(id, Placement { x, y, pinned });
    }
}
