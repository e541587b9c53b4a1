//! Geometry of the map for drawing and hit-testing, rebuilt only when the document changes: card
//! rectangles in a uniform grid (so finding what is under the pointer or on screen never scans every
//! card) and link segments with their bounding boxes.

use std::collections::HashMap;

use egui::{Pos2, Rect, pos2, vec2};

use crate::model::{Kind, LinkId, LinkKind, MissionMap, NodeId};

/// Side of a grid cell in map units (a little larger than a card).
const CELL: f32 = 256.0;

/// Where cards started from, while they glide to their places.
pub type Starts = HashMap<NodeId, (f32, f32)>;

/// A card as the canvas sees it.
#[derive(Clone, Debug)]
pub struct CardGeom {
    pub id: NodeId,
    pub kind: Kind,
    pub rect: Rect,
    pub pinned: bool,
    /// The card's lines, broken once per document revision rather than every frame.
    pub text: crate::model::card::CardText,
}

/// A link as the canvas sees it: from border to border.
#[derive(Clone, Debug)]
pub struct LinkGeom {
    pub id: LinkId,
    pub kind: LinkKind,
    pub from: usize,
    pub to: usize,
    pub start: Pos2,
    /// Bend points from auto-layout, between `start` and `end`.
    pub bends: Vec<Pos2>,
    pub end: Pos2,
    pub bbox: Rect,
}

impl LinkGeom {
    /// Every point of the line, start to end.
    #[must_use]
    pub fn points(&self) -> Vec<Pos2> {
        let mut v = Vec::with_capacity(self.bends.len() + 2);
        v.push(self.start);
        v.extend_from_slice(&self.bends);
        v.push(self.end);
        v
    }
}

/// Cached geometry of one revision of the map.
#[derive(Default)]
pub struct Scene {
    pub revision: Option<u64>,
    pub cards: Vec<CardGeom>,
    pub links: Vec<LinkGeom>,
    pub index: HashMap<NodeId, usize>,
    grid: HashMap<(i32, i32), Vec<usize>>,
    pub bounds: Option<Rect>,
}

fn cell_of(p: Pos2) -> (i32, i32) {
    ((p.x / CELL).floor() as i32, (p.y / CELL).floor() as i32)
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

impl Scene {
    /// Rebuilds the geometry if the map changed since the last build.
    pub fn update(&mut self, map: &MissionMap, revision: u64) {
        if self.revision == Some(revision) {
            return;
        }
        *self = Scene::build(map);
        self.revision = Some(revision);
    }

    /// The geometry of a map.
    #[must_use]
    pub fn build(map: &MissionMap) -> Scene {
        Scene::build_with(map, None)
    }

    /// The geometry of a map while cards glide from `from` to their places (`t` from 0 to 1).
    #[must_use]
    pub fn build_with(map: &MissionMap, glide: Option<(&Starts, f32)>) -> Scene {
        let mut nodes: Vec<_> = map
            .nodes_with_placement()
            .map(|(n, mut p)| {
                if let Some((from, t)) = glide
                    && let Some(&(x0, y0)) = from.get(&n.id)
                {
                    p.x = x0 + (p.x - x0) * t;
                    p.y = y0 + (p.y - y0) * t;
                }
                (n, p)
            })
            .collect();
        // Draw in a stable order: missions last (on top), then by id.
        nodes.sort_by(|(a, _), (b, _)| b.kind().cmp(&a.kind()).then_with(|| a.id.cmp(&b.id)));
        let mut scene = Scene::default();
        for (i, (n, p)) in nodes.into_iter().enumerate() {
            let text = crate::model::card::text(n);
            let (w, h) = crate::model::card::size_of(n.kind(), &text);
            let rect = Rect::from_center_size(pos2(p.x, p.y), vec2(w, h));
            scene.bounds = Some(scene.bounds.map_or(rect, |b| b.union(rect)));
            let (c0, c1) = (cell_of(rect.min), cell_of(rect.max));
            for cx in c0.0..=c1.0 {
                for cy in c0.1..=c1.1 {
                    scene.grid.entry((cx, cy)).or_default().push(i);
                }
            }
            scene.index.insert(n.id.clone(), i);
            scene.cards.push(CardGeom { id: n.id.clone(), kind: n.kind(), rect, pinned: p.pinned, text });
        }
        for l in map.links() {
            let (Some(&a), Some(&b)) = (scene.index.get(&l.from), scene.index.get(&l.to)) else { continue };
            let (ra, rb) = (scene.cards[a].rect, scene.cards[b].rect);
            // Routes are drawn only when the cards are where the layout put them.
            let bends: Vec<Pos2> = if glide.is_none() {
                map.route(&l.id).map(|r| r.iter().map(|p| pos2(p[0], p[1])).collect()).unwrap_or_default()
            } else {
                Vec::new()
            };
            let start = border_point(ra, bends.first().copied().unwrap_or_else(|| rb.center()));
            let end = border_point(rb, bends.last().copied().unwrap_or_else(|| ra.center()));
            let mut bbox = Rect::from_two_pos(start, end);
            for p in &bends {
                bbox.extend_with(*p);
            }
            scene.links.push(LinkGeom {
                id: l.id.clone(),
                kind: l.kind,
                from: a,
                to: b,
                start,
                bends,
                end,
                bbox: bbox.expand(2.0),
            });
        }
        scene.links.sort_by(|a, b| a.id.cmp(&b.id));
        scene
    }

    /// Indices of the cards that overlap `area`, each once, in drawing order.
    #[must_use]
    pub fn cards_in(&self, area: Rect) -> Vec<usize> {
        let (c0, c1) = (cell_of(area.min), cell_of(area.max));
        let cells = (i64::from(c1.0 - c0.0) + 1) * (i64::from(c1.1 - c0.1) + 1);
        let mut out: Vec<usize> = if cells > i64::try_from(self.grid.len()).unwrap_or(i64::MAX) {
            // Zoomed far out: walking the occupied cells is cheaper than the empty ones.
            self.grid
                .iter()
                .filter(|((x, y), _)| (c0.0..=c1.0).contains(x) && (c0.1..=c1.1).contains(y))
                .flat_map(|(_, v)| v.iter().copied())
                .collect()
        } else {
            let mut v = Vec::new();
            for cx in c0.0..=c1.0 {
                for cy in c0.1..=c1.1 {
                    if let Some(list) = self.grid.get(&(cx, cy)) {
                        v.extend_from_slice(list);
                    }
                }
            }
            v
        };
        out.sort_unstable();
        out.dedup();
        out.retain(|&i| self.cards[i].rect.intersects(area));
        out
    }

    /// The topmost card under a map point.
    #[must_use]
    pub fn card_at(&self, p: Pos2) -> Option<usize> {
        self.grid.get(&cell_of(p))?.iter().copied().filter(|&i| self.cards[i].rect.contains(p)).max()
    }

    /// The link nearest to a map point, within `tolerance` map units.
    #[must_use]
    pub fn link_at(&self, p: Pos2, tolerance: f32) -> Option<usize> {
        let mut best: Option<(f32, usize)> = None;
        for (i, l) in self.links.iter().enumerate() {
            if !l.bbox.expand(tolerance).contains(p) {
                continue;
            }
            let pts = l.points();
            let d = pts.windows(2).map(|w| distance_to_segment(p, w[0], w[1])).fold(f32::INFINITY, f32::min);
            if d <= tolerance && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// Links whose box overlaps `area`.
    pub fn links_in(&self, area: Rect) -> impl Iterator<Item = (usize, &LinkGeom)> {
        self.links.iter().enumerate().filter(move |(_, l)| l.bbox.intersects(area))
    }

    #[must_use]
    pub fn card(&self, id: &NodeId) -> Option<&CardGeom> {
        self.index.get(id).map(|&i| &self.cards[i])
    }
}

/// Distance from `p` to the segment `a`–`b`.
#[must_use]
pub fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    if len2 < 1e-9 {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Node, Placement};

    #[test]
    fn hit_testing_finds_cards_and_links() {
        let mut m = MissionMap::new("t");
        let a = NodeId::new("m1").unwrap();
        let b = NodeId::new("s1").unwrap();
        m.add_node(Node::new(a.clone(), Kind::Mission, "A"), Placement::at(0.0, 0.0)).unwrap();
        m.add_node(Node::new(b.clone(), Kind::SubMission, "B"), Placement::at(0.0, 400.0)).unwrap();
        m.connect(&b, &a, LinkKind::ContributesTo).unwrap();
        let s = Scene::build(&m);
        assert_eq!(s.card_at(pos2(10.0, 10.0)).map(|i| &s.cards[i].id), Some(&a));
        assert_eq!(s.card_at(pos2(500.0, 10.0)), None);
        assert_eq!(s.link_at(pos2(3.0, 200.0), 6.0), Some(0));
        assert_eq!(s.link_at(pos2(40.0, 200.0), 6.0), None);
        assert_eq!(s.cards_in(Rect::from_min_max(pos2(-50.0, 350.0), pos2(50.0, 450.0))).len(), 1);
        assert_eq!(s.cards_in(Rect::from_min_max(pos2(-1e6, -1e6), pos2(1e6, 1e6))).len(), 2);
    }
}
