//! Placing cards: pure functions from a map to positions.

pub mod crossings;
pub mod layered;
pub mod route;

pub use layered::{Direction, Layout, Options, layout};

use crate::model::{Kind, MissionMap, NodeId, Placement};

/// What a layout is shaped for: the drawing is wrapped to fill it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// A 16:9 screen or projector (in the editor: the canvas's own shape).
    #[default]
    Screen,
    /// One row per band, however wide (as Graphviz draws it).
    Wide,
    A4Portrait,
    A4Landscape,
    A3Portrait,
    A3Landscape,
}

impl Target {
    pub const ALL: [Target; 6] = [
        Target::Screen,
        Target::Wide,
        Target::A4Landscape,
        Target::A4Portrait,
        Target::A3Landscape,
        Target::A3Portrait,
    ];

    /// Width over height of the area to fill; `None` for a drawing as wide as it needs.
    #[must_use]
    pub fn aspect(self) -> Option<f32> {
        match self {
            Target::Screen => Some(16.0 / 9.0),
            Target::Wide => None,
            // Paper, less a margin and the export's title block and legend.
            Target::A4Landscape | Target::A3Landscape => Some(1.5),
            Target::A4Portrait | Target::A3Portrait => Some(0.75),
        }
    }

    /// The name used on the command line and in settings.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Target::Screen => "screen",
            Target::Wide => "wide",
            Target::A4Portrait => "a4-portrait",
            Target::A4Landscape => "a4-landscape",
            Target::A3Portrait => "a3-portrait",
            Target::A3Landscape => "a3-landscape",
        }
    }

    /// What a menu shows.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Target::Screen => "Screen (16:9)",
            Target::Wide => "Wide (one row per band)",
            Target::A4Portrait => "A4 portrait",
            Target::A4Landscape => "A4 landscape",
            Target::A3Portrait => "A3 portrait",
            Target::A3Landscape => "A3 landscape",
        }
    }

    /// Reads a name ("a3-landscape", "screen"…); "a4" and "a3" are portrait.
    #[must_use]
    pub fn parse(text: &str) -> Option<Target> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "a4" => Some(Target::A4Portrait),
            "a3" => Some(Target::A3Portrait),
            "16:9" => Some(Target::Screen),
            _ => Target::ALL.into_iter().find(|k| k.name() == t),
        }
    }

    /// Layout options for this target, from `base`.
    #[must_use]
    pub fn options(self, base: Options) -> Options {
        match self.aspect() {
            Some(aspect) => Options { wrap: true, aspect, ..base },
            None => Options { wrap: false, ..base },
        }
    }
}

/// Lays the map out and puts every card in its new place, with the routes of long links, as
/// [`command`] would but without a history (for exports and tests).
pub fn apply(map: &mut MissionMap, opts: &Options) -> Result<Layout, crate::model::ModelError> {
    let result = layout(map, opts);
    command(map, &result).apply(map)?;
    Ok(result)
}

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
/// kind's cards go in its band, wrapping so that no row is wider than about four thousand units.
/// Each row is as tall as its tallest card (cards are sized to their titles) and rows keep a
/// clear channel between them, so a row never reaches into the next and links can be routed
/// through the gaps (an import without positions is drawn as it is). Cards not listed are left
/// alone.
pub fn place_in_bands(map: &mut MissionMap, ids: &[NodeId]) {
    type Row<'a> = Vec<(&'a NodeId, f32, f32)>;
    const ROW_WIDTH: f32 = 4000.0;
    /// The channel between two rows of a band, and between two bands.
    const ROW_GAP: f32 = 40.0;
    const BAND_GAP: f32 = 80.0;
    let mut sorted: Vec<&NodeId> = ids.iter().collect();
    sorted.sort();
    // Each band's rows: the cards (id, x, height) dealt left to right.
    let mut rows: [Vec<Row<'_>>; 4] = Default::default();
    let mut next_x = [0.0_f32; 4];
    for id in sorted {
        let Some(node) = map.node(id) else { continue };
        let b = band(node.kind());
        let (w, h) = node.card_size();
        if rows[b].is_empty() || (next_x[b] > 0.0 && next_x[b] + w > ROW_WIDTH) {
            rows[b].push(Vec::new());
            next_x[b] = 0.0;
        }
        if let Some(row) = rows[b].last_mut() {
            row.push((id, next_x[b] + w / 2.0, h));
        }
        next_x[b] += w + GAP_X;
    }
    let mut places: Vec<(NodeId, f32, f32)> = Vec::new();
    let mut top = 0.0_f32;
    for band_rows in &rows {
        if band_rows.is_empty() {
            continue;
        }
        for row in band_rows {
            let tall = row.iter().map(|c| c.2).fold(0.0, f32::max);
            let y = top + tall / 2.0;
            places.extend(row.iter().map(|&(id, x, _)| (id.clone(), x, y)));
            top += tall + ROW_GAP;
        }
        top += BAND_GAP - ROW_GAP;
    }
    for (id, x, y) in places {
        let pinned = map.placement(&id).is_some_and(|p| p.pinned);
        let _ = map.set_placement(&id, Placement { x, y, pinned });
    }
}

/// A free place for a new card of `kind` near `anchor` (a map point), moving right in steps of one
/// card until it overlaps nothing. Nothing else moves.
#[must_use]
pub fn free_spot_near(map: &MissionMap, kind: Kind, anchor: (f32, f32)) -> Placement {
    let (w, h) = kind.card_size();
    let others: Vec<(f32, f32, f32, f32)> = map
        .nodes_with_placement()
        .map(|(n, p)| {
            let (nw, nh) = n.card_size();
            (p.x, p.y, nw, nh)
        })
        .collect();
    let overlaps = |x: f32, y: f32| {
        others.iter().any(|&(px, py, nw, nh)| {
            (px - x).abs() < f32::midpoint(w, nw) + GAP_X / 2.0 && (py - y).abs() < f32::midpoint(h, nh) + 10.0
        })
    };
    let (x0, y) = anchor;
    for i in 0..2000 {
        // Try right, then left, alternating outwards.
        let step = (w + GAP_X) * ((i + 1) / 2) as f32;
        let x = if i % 2 == 1 { x0 + step } else { x0 - step };
        let x = if i == 0 { x0 } else { x };
        if !overlaps(x, y) {
            return Placement::at(x, y);
        }
    }
    Placement::at(x0, y)
}

/// Moves each of `cards` that overlaps another card to the nearest free spot in its row (as
/// [`free_spot_near`]); the rest stay. Returns how many moved. Used for cards a merge brings in,
/// which two copies may have put in the same empty place.
pub fn make_room(map: &mut MissionMap, cards: &[NodeId]) -> usize {
    let mut moved = 0;
    for id in cards {
        let Ok((node, place, links)) = map.remove_node(id) else { continue };
        let spot = free_spot_near(map, node.kind(), (place.x, place.y));
        if (spot.x - place.x).abs() > 0.5 {
            moved += 1;
        }
        let _ = map.add_node(node, Placement { pinned: place.pinned, ..spot });
        for l in links {
            let _ = map.add_link(l);
        }
    }
    moved
}

/// The command that applies a layout as one undoable step: new places, and routes for the links
/// that skip layers (routes of other links are cleared, since they no longer fit).
#[must_use]
pub fn command(map: &MissionMap, result: &Layout) -> crate::command::Command {
    use crate::command::Command;
    let mut routes: Vec<(crate::model::LinkId, Vec<[f32; 2]>)> =
        map.sorted_routes().into_iter().map(|(id, _)| (id.clone(), Vec::new())).collect();
    routes.retain(|(id, _)| !result.routes.iter().any(|(r, _)| r == id));
    Command::Batch(vec![
        Command::Place(result.positions.clone()),
        Command::SetRoutes(routes),
        Command::SetRoutes(result.routes.clone()),
    ])
}

/// Straight-line crossings of the map as drawn (segments between card centres), as
/// `shared/bench/count_crossings.py` counts them.
#[must_use]
pub fn straight_crossings(map: &MissionMap) -> u64 {
    let nodes = map.sorted_nodes();
    let index: std::collections::HashMap<&NodeId, usize> = nodes.iter().enumerate().map(|(i, n)| (&n.id, i)).collect();
    let centres: Vec<(f32, f32)> =
        nodes.iter().map(|n| map.placement(&n.id).map_or((0.0, 0.0), |p| (p.x, p.y))).collect();
    let edges: Vec<(usize, usize)> =
        map.links().filter_map(|l| Some((*index.get(&l.from)?, *index.get(&l.to)?))).collect();
    crossings::straight_crossings(&centres, &edges)
}

/// How many cards overlap another card or touch it (closer than a few units), as happens to a map
/// laid out before cards were sized to their titles. A sweep along x: near-linear on real maps.
#[must_use]
pub fn crowded_cards(map: &MissionMap) -> usize {
    const CLEARANCE: f32 = 4.0;
    let mut boxes: Vec<[f32; 4]> = map
        .nodes_with_placement()
        .map(|(n, p)| {
            let (w, h) = n.card_size();
            [p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0]
        })
        .collect();
    boxes.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let mut crowded = vec![false; boxes.len()];
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            if boxes[j][0] >= boxes[i][2] + CLEARANCE {
                break;
            }
            let (a, b) = (boxes[i], boxes[j]);
            if a[1] < b[3] + CLEARANCE && b[1] < a[3] + CLEARANCE {
                crowded[i] = true;
                crowded[j] = true;
            }
        }
    }
    crowded.iter().filter(|&&c| c).count()
}

/// Where a card that contributes to (or hangs under) a card at `parent` goes: one band lower.
#[must_use]
pub fn below(parent: Placement) -> (f32, f32) {
    (parent.x, parent.y + BAND_HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    #[test]
    fn crowded_cards_are_counted_and_a_laid_out_map_has_none() {
        let mut m = MissionMap::new("t");
        for (i, x) in [0.0, 240.0, 1000.0].into_iter().enumerate() {
            let id = NodeId::new(format!("i{i}")).unwrap();
            m.add_node(Node::new(id, Kind::Intervention, "A"), Placement::at(x, 0.0)).unwrap();
        }
        // 240 wide at 240 apart: the first two touch; the third stands alone.
        assert_eq!(crowded_cards(&m), 2);
        let mut big = crate::sample::generate::map(300, 3);
        apply(&mut big, &Options::default()).unwrap();
        assert_eq!(crowded_cards(&big), 0);
    }

    #[test]
    fn free_spot_does_not_overlap_and_moves_nothing() {
        let mut m = MissionMap::new("t");
        let a = NodeId::new("i1").unwrap();
        m.add_node(Node::new(a.clone(), Kind::Intervention, "A"), Placement::at(0.0, 0.0)).unwrap();
        let p = free_spot_near(&m, Kind::Intervention, (0.0, 0.0));
        assert!((p.x - 0.0).abs() >= 200.0, "{p:?}");
        assert_eq!(m.placement(&a), Some(Placement::at(0.0, 0.0)));
        let q = free_spot_near(&m, Kind::Intervention, (0.0, 500.0));
        assert_eq!(q, Placement::at(0.0, 500.0));
    }

    #[test]
    fn cards_placed_in_bands_leave_channels_between_rows_and_links_clear_of_cards() {
        // Long titles make tall cards: no row may reach into the next, or links between rows
        // have no channel to run in.
        let mut m = crate::sample::generate::map(600, 8);
        let ids: Vec<NodeId> = m.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        for (i, id) in ids.iter().enumerate() {
            let words = ["a very long title for a card", "that takes", "several lines to show"];
            let _ = m.update_node(id, |n| n.title = words[..=i % 3].join(" ").repeat(1 + i % 4));
        }
        place_in_bands(&mut m, &ids);
        assert_eq!(crowded_cards(&m), 0);
        let mut spans: Vec<(f32, f32)> =
            m.nodes_with_placement().map(|(n, p)| (p.y - n.card_size().1 / 2.0, p.y + n.card_size().1 / 2.0)).collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let tall = spans.iter().map(|s| s.1 - s.0).fold(0.0, f32::max);
        assert!(tall > 150.0, "no tall card: the check proves nothing ({tall})");
        // Rows: spans sharing a centre. Each row ends a channel's width above the next one's top.
        let mut rows: Vec<(f32, f32)> = Vec::new();
        for s in spans {
            match rows.last_mut() {
                Some(r) if s.0 < r.1 => r.1 = r.1.max(s.1),
                _ => rows.push(s),
            }
        }
        assert!(rows.len() > 8, "{} rows", rows.len());
        for w in rows.windows(2) {
            assert!(w[1].0 - w[0].1 >= 39.0, "rows {w:?} leave no channel");
        }
        let routes = route::drawn_routes(&m, None);
        let rect = |id: &NodeId| {
            let (n, p) = (m.node(id).unwrap(), m.placement(id).unwrap());
            let (w, h) = n.card_size();
            [p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0]
        };
        let rects: Vec<route::Rect> = ids.iter().map(rect).collect();
        let at: std::collections::HashMap<&NodeId, usize> = ids.iter().enumerate().map(|(i, id)| (id, i)).collect();
        let links: Vec<(usize, usize, Vec<route::Point>)> =
            m.links().map(|l| (at[&l.from], at[&l.to], routes.get(&l.id).cloned().unwrap_or_default())).collect();
        assert_eq!(route::links_through_cards(&rects, &links), 0);
    }
}
