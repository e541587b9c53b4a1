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
    pub text: std::sync::Arc<crate::model::card::CardText>,
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
    grid: rustc_hash::FxHashMap<(i32, i32), Vec<usize>>,
    pub bounds: Option<Rect>,
    /// The largest of the cards' shorter sides (map units): far out, when even that card is a few
    /// pixels across, the labeller knows no label can lie over another card.
    pub thickest: f32,
    /// Each card's broken lines with the fingerprint of what they were broken from, kept from one
    /// revision to the next: an edit re-breaks only the cards whose text changed.
    texts: HashMap<NodeId, (u64, std::sync::Arc<crate::model::card::CardText>)>,
    /// The stamp of the stored routes the links were last routed with (`MissionMap::routes_stamp`): an edit that
    /// moves no card and changes no stored route (a workshop vote, an idea from the room, a
    /// description) reroutes nothing.
    route_key: u64,
    /// The map's cards and links as last seen, in the map's order (see [`Scene::patch`]); empty
    /// for a scene of gliding cards.
    seen: Vec<(std::sync::Arc<crate::model::Node>, crate::model::Placement)>,
    seen_links: Vec<std::sync::Arc<crate::model::Link>>,
}

/// Up to this many cards the canvas routes links round the cards they do not join at every edit;
/// above it, it draws the routes Lay out stored.
pub const ROUTE_ON_THE_SPOT: usize = 250;

fn cell_of(p: Pos2) -> (i32, i32) {
    ((p.x / CELL).floor() as i32, (p.y / CELL).floor() as i32)
}

/// A link's line from border to border of its cards `(index, rect)`, through `bends`.
fn link_geom(id: LinkId, kind: LinkKind, (a, ra): (usize, Rect), (b, rb): (usize, Rect), bends: Vec<Pos2>) -> LinkGeom {
    let start = border_point(ra, bends.first().copied().unwrap_or_else(|| rb.center()));
    let end = border_point(rb, bends.last().copied().unwrap_or_else(|| ra.center()));
    let mut bbox = Rect::from_two_pos(start, end);
    for p in &bends {
        bbox.extend_with(*p);
    }
    LinkGeom { id, kind, from: a, to: b, start, bends, end, bbox: bbox.expand(2.0) }
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

fn thickest(cards: &[CardGeom]) -> f32 {
    cards.iter().map(|c| c.rect.width().min(c.rect.height())).fold(0.0, f32::max)
}

impl Scene {
    /// Rebuilds the geometry if the map changed since the last build.
    pub fn update(&mut self, map: &MissionMap, revision: u64) {
        if self.revision == Some(revision) {
            return;
        }
        if self.revision.is_some() && self.patch(map) {
            self.revision = Some(revision);
            return;
        }
        let texts = std::mem::take(&mut self.texts);
        *self = Scene::build_reusing(map, None, texts);
        self.revision = Some(revision);
    }

    /// Brings the scene up to date in place when the map has the same cards of the same kinds
    /// (an edit that moves, retitles or links cards): only what changed is worked out again, and
    /// nothing is allocated for what did not. `false` when cards came or went (rebuild instead).
    ///
    /// The map is walked in its own order beside what the scene last saw: a card or link that is
    /// still the very value seen (the map's copies share what they did not change) is passed over
    /// without a lookup, so one edit on a 10,000-card map costs a pointer comparison per card.
    fn patch(&mut self, map: &MissionMap) -> bool {
        if map.node_count() != self.cards.len() || self.seen.len() != self.cards.len() {
            return false;
        }
        let mut moved = vec![false; self.cards.len()];
        let mut any_moved = false;
        for (k, (node, place)) in map.shared_cards().enumerate() {
            let (seen, seen_place) = &self.seen[k];
            if std::sync::Arc::ptr_eq(seen, node) && *seen_place == place {
                continue;
            }
            // A card of another id here: by count and unique ids, every card the map has must
            // still be in the scene, else cards came and went.
            let Some(&i) = self.index.get(&node.id) else { return false };
            let card = &mut self.cards[i];
            if card.kind != node.kind() {
                return false;
            }
            let key = crate::model::card::text_key(node);
            if let Some((k, text)) = self.texts.get_mut(&card.id)
                && *k != key
            {
                *k = key;
                *text = std::sync::Arc::new(crate::model::card::text(node));
                card.text = text.clone();
            }
            let (w, h) = crate::model::card::size_of(card.kind, &card.text);
            let rect = Rect::from_center_size(pos2(place.x, place.y), vec2(w, h));
            if rect != card.rect {
                let (o0, o1) = (cell_of(card.rect.min), cell_of(card.rect.max));
                for cx in o0.0..=o1.0 {
                    for cy in o0.1..=o1.1 {
                        if let Some(cell) = self.grid.get_mut(&(cx, cy)) {
                            cell.retain(|&j| j != i);
                        }
                    }
                }
                let (c0, c1) = (cell_of(rect.min), cell_of(rect.max));
                for cx in c0.0..=c1.0 {
                    for cy in c0.1..=c1.1 {
                        self.grid.entry((cx, cy)).or_default().push(i);
                    }
                }
                card.rect = rect;
                moved[i] = true;
                any_moved = true;
            }
            card.pinned = place.pinned;
            self.seen[k] = (node.clone(), place);
        }
        if any_moved {
            self.bounds = self.cards.iter().map(|c| c.rect).reduce(Rect::union);
            self.thickest = thickest(&self.cards);
        }
        if !self.same_links(map) {
            self.links = self.link_geoms(map, false);
            self.seen_links = map.shared_links().cloned().collect();
            self.route_key = map.routes_stamp();
            return true;
        }
        let key = map.routes_stamp();
        if !any_moved && key == self.route_key {
            return true;
        }
        self.route_key = key;
        let routes = self.routes(map);
        for g in &mut self.links {
            let route = routes.get(&g.id).map_or(&[][..], Vec::as_slice);
            let same_route =
                route.len() == g.bends.len() && route.iter().zip(&g.bends).all(|(r, b)| r[0] == b.x && r[1] == b.y);
            if moved[g.from] || moved[g.to] || !same_route {
                let bends = route.iter().map(|p| pos2(p[0], p[1])).collect();
                *g = link_geom(
                    g.id.clone(),
                    g.kind,
                    (g.from, self.cards[g.from].rect),
                    (g.to, self.cards[g.to].rect),
                    bends,
                );
            }
        }
        true
    }

    /// Whether the map's links join the same cards with the same kinds as the scene's (their
    /// other fields do not change the picture); notes the links as seen.
    fn same_links(&mut self, map: &MissionMap) -> bool {
        if self.links.len() != map.link_count() || self.seen_links.len() != map.link_count() {
            return false;
        }
        for (k, l) in map.shared_links().enumerate() {
            if std::sync::Arc::ptr_eq(&self.seen_links[k], l) {
                continue;
            }
            let Ok(j) = self.links.binary_search_by(|g| g.id.cmp(&l.id)) else { return false };
            let g = &self.links[j];
            if l.kind != g.kind || self.index.get(&l.from) != Some(&g.from) || self.index.get(&l.to) != Some(&g.to) {
                return false;
            }
            self.seen_links[k] = l.clone();
        }
        true
    }

    /// The bends of every link that has any, as [`crate::layout::route`] works them out for the
    /// cards as placed (the same as every export draws): the layout's route while it is clear of
    /// other cards, else a way round them.
    fn routes(&self, map: &MissionMap) -> HashMap<LinkId, Vec<[f32; 2]>> {
        use crate::layout::route;
        // On a large map the router costs more than a frame (about 0.6 s at 1k cards as generated):
        // the canvas draws the routes Lay out stored (clear of cards when it made them) and leaves
        // the way round to Lay out and the exports.
        if self.cards.len() > ROUTE_ON_THE_SPOT {
            return map.sorted_routes().into_iter().map(|(id, pts)| (id.clone(), pts.clone())).collect();
        }
        let rects: Vec<route::Rect> =
            self.cards.iter().map(|c| [c.rect.min.x, c.rect.min.y, c.rect.max.x, c.rect.max.y]).collect();
        let mut ids = Vec::with_capacity(map.link_count());
        let mut links = Vec::with_capacity(map.link_count());
        for l in map.sorted_links() {
            let (Some(&from), Some(&to)) = (self.index.get(&l.from), self.index.get(&l.to)) else { continue };
            ids.push(l.id.clone());
            links.push(route::Link { from, to, hint: map.route(&l.id).unwrap_or_default() });
        }
        ids.into_iter().zip(route::routes(&rects, &links)).filter(|(_, r)| !r.is_empty()).collect()
    }

    /// Every link's geometry between the cards as placed, sorted by id.
    fn link_geoms(&self, map: &MissionMap, gliding: bool) -> Vec<LinkGeom> {
        // Routes are drawn only when the cards are where they are going.
        let routes = if gliding { HashMap::new() } else { self.routes(map) };
        let mut links = Vec::with_capacity(map.link_count());
        for l in map.links() {
            let (Some(&a), Some(&b)) = (self.index.get(&l.from), self.index.get(&l.to)) else { continue };
            let bends: Vec<Pos2> =
                routes.get(&l.id).map(|r| r.iter().map(|p| pos2(p[0], p[1])).collect()).unwrap_or_default();
            links.push(link_geom(l.id.clone(), l.kind, (a, self.cards[a].rect), (b, self.cards[b].rect), bends));
        }
        links.sort_by(|a, b| a.id.cmp(&b.id));
        links
    }

    /// The geometry of a map.
    #[must_use]
    pub fn build(map: &MissionMap) -> Scene {
        Scene::build_with(map, None)
    }

    /// The geometry of a map while cards glide from `from` to their places (`t` from 0 to 1).
    #[must_use]
    pub fn build_with(map: &MissionMap, glide: Option<(&Starts, f32)>) -> Scene {
        Scene::build_reusing(map, glide, HashMap::new())
    }

    fn build_reusing(
        map: &MissionMap,
        glide: Option<(&Starts, f32)>,
        mut old_texts: HashMap<NodeId, (u64, std::sync::Arc<crate::model::card::CardText>)>,
    ) -> Scene {
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
        scene.texts.reserve(nodes.len());
        for (i, (n, p)) in nodes.into_iter().enumerate() {
            let key = crate::model::card::text_key(n);
            let text = match old_texts.remove(&n.id) {
                Some((k, text)) if k == key => text,
                _ => std::sync::Arc::new(crate::model::card::text(n)),
            };
            scene.texts.insert(n.id.clone(), (key, text.clone()));
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
        scene.links = scene.link_geoms(map, glide.is_some());
        scene.thickest = thickest(&scene.cards);
        if glide.is_none() {
            scene.route_key = map.routes_stamp();
            scene.seen = map.shared_cards().map(|(n, p)| (n.clone(), p)).collect();
            scene.seen_links = map.shared_links().cloned().collect();
        }
        scene
    }

    /// Indices of the cards that overlap `area`, each once, in drawing order.
    #[must_use]
    pub fn cards_in(&self, area: Rect) -> Vec<usize> {
        // The whole map in view (zoomed to fit, a big map at a glance): every card, in order,
        // without walking and sorting the grid (at 10,000 cards that was most of a frame).
        if self.bounds.is_some_and(|b| area.contains_rect(b)) {
            return (0..self.cards.len()).filter(|&i| self.cards[i].rect.intersects(area)).collect();
        }
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

    /// Whether any card meeting `area` passes `test` (stops at the first; no list is built, so
    /// asking about a big area many times a frame — labels far out — stays cheap).
    pub fn any_card_in(&self, area: Rect, mut test: impl FnMut(usize) -> bool) -> bool {
        let (c0, c1) = (cell_of(area.min), cell_of(area.max));
        let cells = (i64::from(c1.0 - c0.0) + 1) * (i64::from(c1.1 - c0.1) + 1);
        let mut check = |list: &[usize]| list.iter().any(|&i| self.cards[i].rect.intersects(area) && test(i));
        if cells > i64::try_from(self.grid.len()).unwrap_or(i64::MAX) {
            self.grid
                .iter()
                .filter(|((x, y), _)| (c0.0..=c1.0).contains(x) && (c0.1..=c1.1).contains(y))
                .any(|(_, v)| check(v))
        } else {
            (c0.0..=c1.0).any(|cx| (c0.1..=c1.1).any(|cy| self.grid.get(&(cx, cy)).is_some_and(|v| check(v))))
        }
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

    type MapEdit<'a> = Box<dyn Fn(&mut MissionMap) + 'a>;

    /// What a scene shows and finds, to compare a patched scene with one built afresh.
    fn seen(s: &Scene) -> (Vec<String>, Vec<String>, Option<Rect>, Vec<Vec<usize>>) {
        let cards = s.cards.iter().map(|c| format!("{} {:?} {} {:?}", c.id, c.rect, c.pinned, c.text)).collect();
        let links = s
            .links
            .iter()
            .map(|l| format!("{} {} {} {:?} {:?} {:?} {:?}", l.id, l.from, l.to, l.start, l.bends, l.end, l.bbox))
            .collect();
        let areas = (0..20)
            .map(|k| {
                let x = -2000.0 + 400.0 * k as f32;
                let mut found = s.cards_in(Rect::from_min_size(pos2(x, -500.0), vec2(900.0, 2500.0)));
                found.sort_unstable();
                found
            })
            .collect();
        (cards, links, s.bounds, areas)
    }

    #[test]
    fn an_edit_patches_the_scene_to_exactly_what_a_rebuild_gives() {
        let mut map = crate::sample::generate::map(300, 9);
        let mut scene = Scene::default();
        scene.update(&map, 0);
        let ids: Vec<NodeId> = map.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        let edits: Vec<MapEdit<'_>> = vec![
            // Move one card far, another a little.
            Box::new(|m| {
                m.set_placement(&ids[3], Placement::at(5_000.0, -900.0)).unwrap();
            }),
            Box::new(|m| {
                m.set_placement(&ids[40], Placement { x: 12.0, y: 34.0, pinned: true }).unwrap();
            }),
            // A longer title: the card grows.
            Box::new(|m| {
                m.update_node(&ids[7], |n| {
                    n.title = "A much longer title that now needs three or four lines on its card".to_owned();
                })
                .unwrap();
            }),
            // A link added, then one removed; a route set.
            Box::new(|m| {
                let p = m.nodes().find(|n| n.kind() == Kind::Partner).unwrap().id.clone();
                let i = m
                    .nodes()
                    .filter(|n| n.kind() == Kind::Intervention)
                    .find(|n| !m.links_from(&p).any(|l| l.to == n.id))
                    .unwrap()
                    .id
                    .clone();
                m.connect(&p, &i, LinkKind::Delivers).unwrap();
            }),
            Box::new(|m| {
                let l = m.sorted_links()[5].id.clone();
                m.remove_link(&l).unwrap();
            }),
            Box::new(|m| {
                let l = m.sorted_links()[9].id.clone();
                m.set_route(&l, vec![[1.0, 2.0], [3.0, 4.0]]).unwrap();
            }),
            // Cards removed and added: a rebuild, then patches again.
            Box::new(|m| {
                m.remove_node(&ids[100]).unwrap();
            }),
            Box::new(|m| {
                m.set_placement(&ids[101], Placement::at(-700.0, 60.0)).unwrap();
            }),
            // One card gone and another come in one edit (the same count of cards), and the same
            // for links: the scene must not take the newcomer for the card it replaced.
            Box::new(|m| {
                m.remove_node(&ids[120]).unwrap();
                let new = NodeId::new("i9999").unwrap();
                m.add_node(Node::new(new, Kind::Intervention, "Newcomer"), Placement::at(300.0, 900.0)).unwrap();
            }),
            Box::new(|m| {
                let gone = m.sorted_links()[11].id.clone();
                m.remove_link(&gone).unwrap();
                let p = m.nodes().filter(|n| n.kind() == Kind::Partner).nth(2).unwrap().id.clone();
                let i = m
                    .nodes()
                    .filter(|n| n.kind() == Kind::Intervention)
                    .find(|n| !m.links_from(&p).any(|l| l.to == n.id))
                    .unwrap()
                    .id
                    .clone();
                m.connect(&p, &i, LinkKind::Delivers).unwrap();
            }),
            // A link's kind changed in place.
            Box::new(|m| {
                let l = m.links().find(|l| l.kind == LinkKind::Delivers).unwrap().clone();
                m.remove_link(&l.id).unwrap();
                m.add_link(crate::model::Link::new(l.id, l.from, l.to, LinkKind::Funds)).unwrap();
            }),
        ];
        for (rev, edit) in edits.iter().enumerate() {
            // As the document does: each edit on a copy that shares what it does not change.
            let mut next = map.clone();
            edit(&mut next);
            map = next;
            scene.update(&map, rev as u64 + 1);
            let built = Scene::build(&map);
            assert_eq!(seen(&scene), seen(&built), "after edit {rev}");
            assert_eq!(scene.thickest, built.thickest, "after edit {rev}");
        }
    }
}
