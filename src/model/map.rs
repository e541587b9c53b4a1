//! `MissionMap`: the whole theory of change, kept in a petgraph `StableDiGraph`.
//!
//! Callers see only stable [`NodeId`]s and [`LinkId`]s; petgraph indices stay inside `src/model/`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

use super::ids::{IdError, LinkId, NodeId, trailing_number};
use super::link::{Link, LinkKind};
use super::node::{Kind, Node};

/// Where a card sits: its centre in map units, and whether auto-layout must leave it alone.
#[derive(Clone, Copy, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Placement {
    pub x: f32,
    pub y: f32,
    pub pinned: bool,
}

impl Placement {
    #[must_use]
    pub fn at(x: f32, y: f32) -> Placement {
        Placement { x, y, pinned: false }
    }

    #[must_use]
    pub fn is_finite(&self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// Facts about the map as a whole.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct MapMeta {
    pub title: String,
    pub description: String,
    /// Who owns the map, e.g. "Clean Energy Mission Board".
    pub organisation: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

impl MapMeta {
    /// Metadata for a new map made now.
    #[must_use]
    pub fn new(title: impl Into<String>) -> MapMeta {
        let now = Utc::now().trunc_subsecs(0);
        MapMeta {
            title: title.into(),
            description: String::new(),
            organisation: String::new(),
            created: now,
            modified: now,
        }
    }
}

/// What can go wrong when changing a map.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("there is already a card with id \"{0}\"; each card needs its own id")]
    DuplicateNode(NodeId),
    #[error("there is already a link with id \"{0}\"; each link needs its own id")]
    DuplicateLink(LinkId),
    #[error("there is no card with id \"{0}\"")]
    NoSuchNode(NodeId),
    #[error("there is no link with id \"{0}\"")]
    NoSuchLink(LinkId),
    #[error("link \"{link}\" points to card \"{node}\", which does not exist")]
    DanglingLink { link: LinkId, node: NodeId },
    #[error("{0}")]
    Forbidden(LinkRefusal),
    #[error("a card cannot link to itself")]
    SelfLink,
    #[error("there is already a {kind} link from \"{from}\" to \"{to}\"")]
    DuplicateConnection { from: NodeId, to: NodeId, kind: &'static str },
    #[error("the {what} of card \"{node}\" is not a finite number ({value}); use an ordinary number")]
    NotFinite { node: NodeId, what: &'static str, value: f64 },
    #[error("the card's id cannot be changed (it was \"{0}\")")]
    IdChanged(NodeId),
    #[error("{0}")]
    BadId(#[from] IdError),
    /// Something sent to be put into the map does not make a card or link (a peer's change).
    #[error("{0}")]
    Invalid(String),
}

/// Why a link between two cards is not allowed, with the rules that do apply.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRefusal {
    pub kind: LinkKind,
    pub from: Kind,
    pub to: Kind,
}

/// "a mission", "an intervention".
fn with_article(word: &str) -> String {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { format!("an {word}") } else { format!("a {word}") }
}

impl std::fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let allowed = LinkKind::allowed_between(self.from, self.to);
        write!(
            f,
            "a \"{}\" link cannot go from {} to {}; it joins {}",
            self.kind.slug(),
            with_article(self.from.slug()),
            with_article(self.to.slug()),
            self.kind.endpoints_text()
        )?;
        if allowed.is_empty() {
            write!(
                f,
                ". No link may go from {} to {} (links allowed: {})",
                with_article(self.from.slug()),
                with_article(self.to.slug()),
                LinkKind::rules_text()
            )
        } else {
            let names: Vec<&str> = allowed.iter().map(|k| k.slug()).collect();
            write!(f, ". Between these two use: {}", names.join(" or "))
        }
    }
}

#[derive(Clone, Debug)]
struct Card {
    /// Shared, so a copy of the map (an undo step) copies a pointer, not the card's text.
    node: Arc<Node>,
    place: Placement,
}

/// A finding of the checks that the board looked at and decided to live with.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Dismissal {
    /// Why, in the board's words ("DfE leads alone by design until 2026").
    pub reason: String,
    /// When it was dismissed.
    pub date: Option<NaiveDate>,
}

/// A theory of change: cards, links between them, and where each card sits.
#[derive(Clone, Debug)]
pub struct MissionMap {
    pub meta: MapMeta,
    /// Links shared like cards (see [`Card`]).
    graph: StableDiGraph<Card, Arc<Link>>,
    nodes: HashMap<NodeId, NodeIndex>,
    links: HashMap<LinkId, EdgeIndex>,
    /// Numbers below this are never handed out again for new ids.
    next_serial: u64,
    /// Bend points of links routed by auto-layout (map units, from the `from` end). A route is
    /// dropped when either end of its link moves, since it no longer fits.
    routes: HashMap<LinkId, Vec<[f32; 2]>>,
    /// Changes whenever `routes` may have changed, and is never the same for two different sets of
    /// routes (taken from one counter for the whole program; a copy of the map keeps it): what draws
    /// or sends routes can tell "unchanged" without comparing thousands of them.
    routes_stamp: u64,
    /// Findings of the checks dismissed with a reason, by finding key (see `analysis::Finding::key`).
    pub dismissals: BTreeMap<String, Dismissal>,
    /// Parked ideas, voting rounds and session snapshots.
    pub workshop: super::workshop::Workshop,
    /// Where this copy came from, when it was handed out as a copy (see `model::merge`).
    pub origin: Option<super::merge::Origin>,
    /// Where "on track" and "at risk" begin (see `model::progress`).
    pub tolerances: super::progress::Tolerances,
    /// The board's action list.
    pub actions: Vec<super::ActionItem>,
    /// Conflicts a merge left unsettled (see `model::merge::Unresolved`).
    pub unresolved: Vec<super::merge::Unresolved>,
}

impl Default for MissionMap {
    fn default() -> Self {
        MissionMap::new("Untitled mission map")
    }
}

impl MissionMap {
    /// An empty map.
    #[must_use]
    pub fn new(title: impl Into<String>) -> MissionMap {
        MissionMap {
            meta: MapMeta::new(title),
            graph: StableDiGraph::default(),
            nodes: HashMap::new(),
            links: HashMap::new(),
            next_serial: 1,
            routes: HashMap::new(),
            routes_stamp: fresh_stamp(),
            dismissals: BTreeMap::new(),
            workshop: super::workshop::Workshop::default(),
            origin: None,
            tolerances: super::progress::Tolerances::default(),
            actions: Vec::new(),
            unresolved: Vec::new(),
        }
    }

    // ----------------------------------------------------------------------------- reading

    #[must_use]
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    #[must_use]
    pub fn link_count(&self) -> usize {
        self.links.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    #[must_use]
    pub fn contains_node(&self, id: &NodeId) -> bool {
        self.nodes.contains_key(id)
    }

    #[must_use]
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.get(id).map(|&ix| &*self.graph[ix].node)
    }

    #[must_use]
    pub fn placement(&self, id: &NodeId) -> Option<Placement> {
        self.nodes.get(id).map(|&ix| self.graph[ix].place)
    }

    #[must_use]
    pub fn link(&self, id: &LinkId) -> Option<&Link> {
        self.links.get(id).map(|&ix| &*self.graph[ix])
    }

    /// Every card, in no particular order (use [`Self::sorted_nodes`] for a stable order).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.graph.node_weights().map(|c| &*c.node)
    }

    /// Every card with its placement, in no particular order.
    pub fn nodes_with_placement(&self) -> impl Iterator<Item = (&Node, Placement)> + '_ {
        self.graph.node_weights().map(|c| (&*c.node, c.place))
    }

    /// Every card as shared with the copies of this map (a copy shares each card neither
    /// changed: the same pointer means the same card), with its place, in an order that stays
    /// while no card is added or removed.
    pub fn shared_cards(&self) -> impl Iterator<Item = (&Arc<Node>, Placement)> + '_ {
        self.graph.node_weights().map(|c| (&c.node, c.place))
    }

    /// Every link as shared with the copies of this map (see [`Self::shared_cards`]).
    pub fn shared_links(&self) -> impl Iterator<Item = &Arc<Link>> + '_ {
        self.graph.edge_weights()
    }

    /// Every link, in no particular order.
    pub fn links(&self) -> impl Iterator<Item = &Link> + '_ {
        self.graph.edge_weights().map(|l| &**l)
    }

    /// Cards sorted by id (natural order).
    #[must_use]
    pub fn sorted_nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.nodes().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Links sorted by id (natural order).
    #[must_use]
    pub fn sorted_links(&self) -> Vec<&Link> {
        let mut v: Vec<&Link> = self.links().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// The card's links in id order: those that leave it, and those that arrive at it.
    #[must_use]
    pub fn links_of_sorted(&self, id: &NodeId) -> (Vec<&Link>, Vec<&Link>) {
        let mut out: Vec<&Link> = self.links_from(id).collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        let mut into: Vec<&Link> = self.links_to(id).collect();
        into.sort_by(|a, b| a.id.cmp(&b.id));
        (out, into)
    }

    /// Links that leave the card.
    pub fn links_from<'a>(&'a self, id: &NodeId) -> impl Iterator<Item = &'a Link> + 'a {
        self.edges_dir(id, Direction::Outgoing)
    }

    /// Links that arrive at the card.
    pub fn links_to<'a>(&'a self, id: &NodeId) -> impl Iterator<Item = &'a Link> + 'a {
        self.edges_dir(id, Direction::Incoming)
    }

    fn edges_dir<'a>(&'a self, id: &NodeId, dir: Direction) -> impl Iterator<Item = &'a Link> + 'a {
        let ix = self.nodes.get(id).copied();
        ix.into_iter().flat_map(move |ix| self.graph.edges_directed(ix, dir).map(|e| &**e.weight()))
    }

    /// The next serial number for new ids (never lower than any id's trailing number).
    #[must_use]
    pub fn next_serial(&self) -> u64 {
        self.next_serial
    }

    /// Counts of cards by kind, in [`Kind::ALL`] order.
    #[must_use]
    pub fn count_by_kind(&self) -> [(Kind, usize); 4] {
        let mut counts = Kind::ALL.map(|k| (k, 0));
        for n in self.nodes() {
            counts[Kind::ALL.iter().position(|&k| k == n.kind()).unwrap_or(0)].1 += 1;
        }
        counts
    }

    /// Counts of links by kind, in [`LinkKind::ALL`] order.
    #[must_use]
    pub fn count_by_link_kind(&self) -> [(LinkKind, usize); 5] {
        let mut counts = LinkKind::ALL.map(|k| (k, 0));
        for l in self.links() {
            counts[LinkKind::ALL.iter().position(|&k| k == l.kind).unwrap_or(0)].1 += 1;
        }
        counts
    }

    /// The bounding box of every card (min x, min y, max x, max y), or `None` for an empty map.
    #[must_use]
    pub fn bounds(&self) -> Option<[f32; 4]> {
        let mut it = self.nodes_with_placement().map(|(n, p)| {
            let (w, h) = n.card_size();
            [p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0]
        });
        let first = it.next()?;
        Some(it.fold(first, |a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]))
    }

    // ----------------------------------------------------------------------------- ids

    /// A new card id for `kind` that has never been used in this map.
    pub fn fresh_node_id(&mut self, kind: Kind) -> NodeId {
        loop {
            let text = format!("{}{}", kind.id_prefix(), self.next_serial);
            self.next_serial += 1;
            if let Ok(id) = NodeId::new(text)
                && !self.nodes.contains_key(&id)
            {
                return id;
            }
        }
    }

    /// A new link id that has never been used in this map.
    pub fn fresh_link_id(&mut self) -> LinkId {
        loop {
            let text = format!("l{}", self.next_serial);
            self.next_serial += 1;
            if let Ok(id) = LinkId::new(text)
                && !self.links.contains_key(&id)
            {
                return id;
            }
        }
    }

    /// Raises the id counter (used by the loader so ids in a file are never handed out again).
    pub fn reserve_serial(&mut self, serial: u64) {
        self.next_serial = self.next_serial.max(serial);
    }

    fn note_id(&mut self, id: &str) {
        if let Some(n) = trailing_number(id) {
            self.next_serial = self.next_serial.max(n.saturating_add(1));
        }
    }

    // ----------------------------------------------------------------------------- changing

    /// Adds a card at a place. Fails if the id is taken or a number is not finite.
    pub fn add_node(&mut self, node: Node, place: Placement) -> Result<(), ModelError> {
        if self.nodes.contains_key(&node.id) {
            return Err(ModelError::DuplicateNode(node.id));
        }
        check_numbers(&node)?;
        check_place(&node.id, place)?;
        self.note_id(node.id.as_str());
        let id = node.id.clone();
        let ix = self.graph.add_node(Card { node: Arc::new(node), place });
        self.nodes.insert(id, ix);
        Ok(())
    }

    /// Adds a new card of `kind` with a fresh id; returns the id.
    pub fn create_node(
        &mut self,
        kind: Kind,
        title: impl Into<String>,
        place: Placement,
    ) -> Result<NodeId, ModelError> {
        let id = self.fresh_node_id(kind);
        self.add_node(Node::new(id.clone(), kind, title), place)?;
        Ok(id)
    }

    /// Removes a card and every link touching it; returns what was removed.
    pub fn remove_node(&mut self, id: &NodeId) -> Result<(Node, Placement, Vec<Link>), ModelError> {
        let ix = self.nodes.remove(id).ok_or_else(|| ModelError::NoSuchNode(id.clone()))?;
        let edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(ix, Direction::Outgoing)
            .chain(self.graph.edges_directed(ix, Direction::Incoming))
            .map(|e| e.id())
            .collect();
        let mut removed = Vec::with_capacity(edges.len());
        for e in edges {
            if let Some(link) = self.graph.remove_edge(e) {
                self.links.remove(&link.id);
                self.routes_mut().remove(&link.id);
                removed.push(Arc::unwrap_or_clone(link));
            }
        }
        let card = self.graph.remove_node(ix).ok_or_else(|| ModelError::NoSuchNode(id.clone()))?;
        Ok((Arc::unwrap_or_clone(card.node), card.place, removed))
    }

    /// Checks whether a link could be added, without adding it.
    pub fn check_link(&self, link: &Link) -> Result<(), ModelError> {
        if self.links.contains_key(&link.id) {
            return Err(ModelError::DuplicateLink(link.id.clone()));
        }
        let from = self
            .node(&link.from)
            .ok_or_else(|| ModelError::DanglingLink { link: link.id.clone(), node: link.from.clone() })?;
        let to = self
            .node(&link.to)
            .ok_or_else(|| ModelError::DanglingLink { link: link.id.clone(), node: link.to.clone() })?;
        if link.from == link.to {
            return Err(ModelError::SelfLink);
        }
        if !link.kind.allows(from.kind(), to.kind()) {
            return Err(ModelError::Forbidden(LinkRefusal { kind: link.kind, from: from.kind(), to: to.kind() }));
        }
        if let Some(w) = link.weight
            && !w.is_finite()
        {
            return Err(ModelError::NotFinite { node: link.from.clone(), what: "link weight", value: w });
        }
        if self.links_from(&link.from).any(|l| l.to == link.to && l.kind == link.kind) {
            return Err(ModelError::DuplicateConnection {
                from: link.from.clone(),
                to: link.to.clone(),
                kind: link.kind.slug(),
            });
        }
        Ok(())
    }

    /// Adds a link after checking the rules.
    pub fn add_link(&mut self, link: Link) -> Result<(), ModelError> {
        self.check_link(&link)?;
        let (Some(&a), Some(&b)) = (self.nodes.get(&link.from), self.nodes.get(&link.to)) else {
            return Err(ModelError::NoSuchNode(link.from.clone()));
        };
        self.note_id(link.id.as_str());
        let id = link.id.clone();
        let e = self.graph.add_edge(a, b, Arc::new(link));
        self.links.insert(id, e);
        Ok(())
    }

    /// Joins two cards with a new link of `kind`; returns its id.
    pub fn connect(&mut self, from: &NodeId, to: &NodeId, kind: LinkKind) -> Result<LinkId, ModelError> {
        let id = self.fresh_link_id();
        self.add_link(Link::new(id.clone(), from.clone(), to.clone(), kind))?;
        Ok(id)
    }

    /// Removes a link; returns it.
    pub fn remove_link(&mut self, id: &LinkId) -> Result<Link, ModelError> {
        let e = self.links.remove(id).ok_or_else(|| ModelError::NoSuchLink(id.clone()))?;
        self.routes_mut().remove(id);
        self.graph.remove_edge(e).map(Arc::unwrap_or_clone).ok_or_else(|| ModelError::NoSuchLink(id.clone()))
    }

    /// Replaces a card's contents (same id). Refused if the new kind would break one of its links.
    pub fn replace_node(&mut self, node: Node) -> Result<Node, ModelError> {
        let &ix = self.nodes.get(&node.id).ok_or_else(|| ModelError::NoSuchNode(node.id.clone()))?;
        check_numbers(&node)?;
        if node.kind() != self.graph[ix].node.kind() {
            for e in self.graph.edges_directed(ix, Direction::Outgoing) {
                let to = self.graph[e.target()].node.kind();
                if !e.weight().kind.allows(node.kind(), to) {
                    return Err(ModelError::Forbidden(LinkRefusal { kind: e.weight().kind, from: node.kind(), to }));
                }
            }
            for e in self.graph.edges_directed(ix, Direction::Incoming) {
                let from = self.graph[e.source()].node.kind();
                if !e.weight().kind.allows(from, node.kind()) {
                    return Err(ModelError::Forbidden(LinkRefusal { kind: e.weight().kind, from, to: node.kind() }));
                }
            }
        }
        Ok(Arc::unwrap_or_clone(std::mem::replace(&mut self.graph[ix].node, Arc::new(node))))
    }

    /// Changes a card in place through a closure; the change is undone and refused if it breaks a rule.
    pub fn update_node(&mut self, id: &NodeId, change: impl FnOnce(&mut Node)) -> Result<(), ModelError> {
        let mut node = self.node(id).cloned().ok_or_else(|| ModelError::NoSuchNode(id.clone()))?;
        change(&mut node);
        if node.id != *id {
            return Err(ModelError::IdChanged(id.clone()));
        }
        self.replace_node(node).map(|_| ())
    }

    /// Replaces a link's attributes (same id, same ends). Refused if the new kind is not allowed.
    pub fn replace_link(&mut self, link: Link) -> Result<Link, ModelError> {
        let &e = self.links.get(&link.id).ok_or_else(|| ModelError::NoSuchLink(link.id.clone()))?;
        let old = &self.graph[e];
        if old.from != link.from || old.to != link.to {
            // Ends changed: remove and add again so the graph stays right.
            let old = self.remove_link(&link.id)?;
            return match self.add_link(link) {
                Ok(()) => Ok(old),
                Err(err) => {
                    self.add_link(old)?;
                    Err(err)
                }
            };
        }
        let (from, to) = (
            self.node(&link.from).map(Node::kind).ok_or_else(|| ModelError::NoSuchNode(link.from.clone()))?,
            self.node(&link.to).map(Node::kind).ok_or_else(|| ModelError::NoSuchNode(link.to.clone()))?,
        );
        if !link.kind.allows(from, to) {
            return Err(ModelError::Forbidden(LinkRefusal { kind: link.kind, from, to }));
        }
        Ok(Arc::unwrap_or_clone(std::mem::replace(&mut self.graph[e], Arc::new(link))))
    }

    /// Moves a card. Refuses NaN and infinite coordinates. Routes of its links are dropped when
    /// the card really moves.
    pub fn set_placement(&mut self, id: &NodeId, place: Placement) -> Result<Placement, ModelError> {
        check_place(id, place)?;
        let &ix = self.nodes.get(id).ok_or_else(|| ModelError::NoSuchNode(id.clone()))?;
        let old = std::mem::replace(&mut self.graph[ix].place, place);
        if (old.x, old.y) != (place.x, place.y) && !self.routes.is_empty() {
            let touching: Vec<LinkId> = self
                .graph
                .edges_directed(ix, Direction::Outgoing)
                .chain(self.graph.edges_directed(ix, Direction::Incoming))
                .map(|e| e.weight().id.clone())
                .collect();
            for l in touching {
                self.routes_mut().remove(&l);
            }
        }
        Ok(old)
    }

    /// The bend points of a link, if auto-layout routed it.
    #[must_use]
    pub fn route(&self, id: &LinkId) -> Option<&[[f32; 2]]> {
        self.routes.get(id).map(Vec::as_slice)
    }

    /// A stamp that differs whenever the routes may differ (see the field): equal stamps, equal routes.
    #[must_use]
    pub fn routes_stamp(&self) -> u64 {
        self.routes_stamp
    }

    fn routes_mut(&mut self) -> &mut HashMap<LinkId, Vec<[f32; 2]>> {
        self.routes_stamp = fresh_stamp();
        &mut self.routes
    }

    /// Every routed link, sorted by id.
    #[must_use]
    pub fn sorted_routes(&self) -> Vec<(&LinkId, &Vec<[f32; 2]>)> {
        let mut v: Vec<_> = self.routes.iter().collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }

    /// Sets (or, with an empty list, clears) a link's bend points. Refuses unknown links and
    /// non-finite points.
    pub fn set_route(&mut self, id: &LinkId, points: Vec<[f32; 2]>) -> Result<(), ModelError> {
        let link = self.link(id).ok_or_else(|| ModelError::NoSuchLink(id.clone()))?;
        if let Some(bad) = points.iter().flatten().find(|v| !v.is_finite()) {
            return Err(ModelError::NotFinite { node: link.from.clone(), what: "route point", value: f64::from(*bad) });
        }
        if points.is_empty() {
            self.routes_mut().remove(id);
        } else {
            self.routes_mut().insert(id.clone(), points);
        }
        Ok(())
    }
}

impl MissionMap {
    /// A new map holding the given cards and the links among them (for copy and paste). The
    /// metadata is this map's.
    #[must_use]
    pub fn subset(&self, ids: &[NodeId]) -> MissionMap {
        let mut out = MissionMap { meta: self.meta.clone(), ..MissionMap::default() };
        for id in ids {
            if let (Some(n), Some(p)) = (self.node(id), self.placement(id)) {
                let _ = out.add_node(n.clone(), p);
            }
        }
        for l in self.links() {
            if out.contains_node(&l.from) && out.contains_node(&l.to) {
                let _ = out.add_link(l.clone());
            }
        }
        out
    }
}

fn check_numbers(node: &Node) -> Result<(), ModelError> {
    for (what, value) in node.numbers() {
        if !value.is_finite() {
            return Err(ModelError::NotFinite { node: node.id.clone(), what, value });
        }
    }
    Ok(())
}

fn check_place(id: &NodeId, place: Placement) -> Result<(), ModelError> {
    for (what, v) in [("x position", place.x), ("y position", place.y)] {
        if !v.is_finite() {
            return Err(ModelError::NotFinite { node: id.clone(), what, value: f64::from(v) });
        }
    }
    Ok(())
}

/// A number no map's routes had before (see `MissionMap::routes_stamp`).
fn fresh_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Two maps are equal when they hold the same cards, links, placements and metadata, whatever order
/// they were built in.
impl PartialEq for MissionMap {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
            && self.node_count() == other.node_count()
            && self.link_count() == other.link_count()
            && self
                .nodes_with_placement()
                .all(|(n, p)| other.node(&n.id) == Some(n) && other.placement(&n.id) == Some(p))
            && self.links().all(|l| other.link(&l.id) == Some(l))
            && self.routes == other.routes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nid(s: &str) -> NodeId {
        NodeId::new(s).unwrap()
    }

    fn small() -> MissionMap {
        let mut m = MissionMap::new("t");
        m.add_node(Node::new(nid("m1"), Kind::Mission, "Clean power"), Placement::at(0.0, 0.0)).unwrap();
        m.add_node(Node::new(nid("s2"), Kind::SubMission, "95% clean"), Placement::at(0.0, 100.0)).unwrap();
        m.add_node(Node::new(nid("i3"), Kind::Intervention, "Offshore wind"), Placement::at(0.0, 200.0)).unwrap();
        m.add_node(Node::new(nid("p4"), Kind::Partner, "GB Energy"), Placement::at(0.0, 300.0)).unwrap();
        m
    }

    #[test]
    fn links_follow_the_rules() {
        let mut m = small();
        m.connect(&nid("s2"), &nid("m1"), LinkKind::ContributesTo).unwrap();
        m.connect(&nid("i3"), &nid("s2"), LinkKind::ContributesTo).unwrap();
        m.connect(&nid("p4"), &nid("i3"), LinkKind::Funds).unwrap();
        let err = m.connect(&nid("m1"), &nid("p4"), LinkKind::Funds).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("cannot go from a mission to a partner"), "{text}");
        assert!(text.contains("partner → intervention"), "{text}");
        assert!(text.contains("No link may go from a mission to a partner"), "{text}");
        let err = m.connect(&nid("p4"), &nid("i3"), LinkKind::Enables).unwrap_err().to_string();
        assert!(err.contains("use: delivers or funds"), "{err}");
        assert_eq!(m.connect(&nid("i3"), &nid("i3"), LinkKind::Enables), Err(ModelError::SelfLink));
        assert!(matches!(
            m.connect(&nid("p4"), &nid("i3"), LinkKind::Funds),
            Err(ModelError::DuplicateConnection { .. })
        ));
        assert!(matches!(m.connect(&nid("p4"), &nid("x9"), LinkKind::Funds), Err(ModelError::DanglingLink { .. })));
        assert_eq!(m.link_count(), 3);
    }

    #[test]
    fn ids_are_never_reused() {
        let mut m = small();
        let a = m.create_node(Kind::Intervention, "a", Placement::default()).unwrap();
        assert_eq!(a.as_str(), "i5");
        m.remove_node(&a).unwrap();
        let b = m.create_node(Kind::Intervention, "b", Placement::default()).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn removing_a_card_removes_its_links() {
        let mut m = small();
        m.connect(&nid("s2"), &nid("m1"), LinkKind::ContributesTo).unwrap();
        m.connect(&nid("i3"), &nid("s2"), LinkKind::ContributesTo).unwrap();
        let (_, _, links) = m.remove_node(&nid("s2")).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(m.link_count(), 0);
        assert_eq!(m.links_from(&nid("i3")).count(), 0);
    }

    #[test]
    fn kind_change_that_breaks_a_link_is_refused() {
        let mut m = small();
        m.connect(&nid("s2"), &nid("m1"), LinkKind::ContributesTo).unwrap();
        let mut changed = m.node(&nid("s2")).unwrap().clone();
        changed.kind = super::super::node::NodeKind::empty(Kind::Partner);
        assert!(matches!(m.replace_node(changed), Err(ModelError::Forbidden(_))));
        assert_eq!(m.node(&nid("s2")).unwrap().kind(), Kind::SubMission);
    }

    #[test]
    fn non_finite_positions_are_refused() {
        let mut m = small();
        assert!(m.set_placement(&nid("m1"), Placement::at(f32::NAN, 0.0)).is_err());
        assert!(m.set_placement(&nid("m1"), Placement::at(0.0, f32::INFINITY)).is_err());
        assert_eq!(m.placement(&nid("m1")), Some(Placement::at(0.0, 0.0)));
    }

    #[test]
    fn equality_ignores_build_order() {
        let a = small();
        let mut b = MissionMap::new("t");
        b.meta = a.meta.clone();
        for n in a.sorted_nodes().into_iter().rev() {
            b.add_node(n.clone(), a.placement(&n.id).unwrap()).unwrap();
        }
        assert_eq!(a, b);
        b.set_placement(&nid("m1"), Placement::at(1.0, 0.0)).unwrap();
        assert_ne!(a, b);
    }
}
