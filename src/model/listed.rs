//! Stable ids for the items of a card's or a map's lists: decisions, indicators, readings,
//! milestones, actions, voting rounds and parked ideas.
//!
//! An item keeps its id however it is edited, so two copies of a map merge list by list, item by
//! item (`model::merge`), and two items that say the same thing stay two items.
//!
//! - An item made in this version gets a random id ([`ItemId::fresh`]), written in the file.
//! - An item read from an older file, which has no id, gets one *derived* from where it is and
//!   what names it there — a date, a name, a text — ([`ItemId::derived`]): every copy of that file
//!   derives the same ids, so copies handed out before this version (and edited by it) still merge
//!   item by item.
//! - A derived id is not written back ([`strip_derived`]): a file whose lists nobody changed saves
//!   as it was, byte for byte. Once an item is edited its id no longer matches what it says, and
//!   is written from then on.

use std::collections::BTreeSet;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::workshop::{ParkedIdea, VoteRound};
use super::{ActionItem, BudgetLine, Decision, Indicator, Milestone, MissionMap, Node, NodeKind, Reading};

/// The longest item id a file may hold, in characters.
const MAX_LEN: usize = 100;

/// The id of an item in a list. Empty means "not given yet" (an item just read from an old file).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemId(String);

impl fmt::Debug for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ItemId({:?})", self.0)
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ItemId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let len = text.chars().count();
        if len > MAX_LEN {
            return Err(format!("an item id is {len} characters long; ids can be at most {MAX_LEN}"));
        }
        if text.trim() != text || text.chars().any(char::is_control) {
            return Err(format!("the item id {text:?} has spaces at its start or end, or control characters"));
        }
        Ok(ItemId(text))
    }
}

impl From<ItemId> for String {
    fn from(id: ItemId) -> String {
        id.0
    }
}

impl ItemId {
    /// An id for an item made now: random, so items two copies add apart never share one.
    #[must_use]
    pub fn fresh() -> ItemId {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        // `RandomState` is seeded from the operating system's randomness once per process; the
        // counter and the clock make each id of this process different.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        h.write_u32(std::process::id());
        ItemId(format!("{:012x}", h.finish() & 0xffff_ffff_ffff))
    }

    /// The id an item without one is given: the same for the same item at the same place in every
    /// copy of a file. `occurrence` tells apart items that say exactly the same.
    #[must_use]
    pub fn derived(context: &str, content: &str, occurrence: usize) -> ItemId {
        // FNV-1a, 64 bits: stable across Rust versions and machines (std's hasher is not).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in context.bytes().chain([0]).chain(content.bytes()).chain([0]).chain(occurrence.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        ItemId(format!("{:012x}", h & 0xffff_ffff_ffff))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Wraps text read elsewhere (a merge field); `None` when it cannot be an id.
    #[must_use]
    pub fn parse(text: &str) -> Option<ItemId> {
        ItemId::try_from(text.to_owned()).ok()
    }
}

/// An item of a list that carries an [`ItemId`].
pub trait Listed {
    fn id(&self) -> &ItemId;
    fn id_mut(&mut self) -> &mut ItemId;
    /// What names the item among its list when it has no id yet: a decision's, reading's or
    /// milestone's date, an indicator's or voting round's name, an action's or parked idea's text.
    /// Older versions of Missionboard merged lists by these, so copies edited by them still match.
    fn content(&self) -> String;
    /// Gives ids to the lists inside the item, under `context`.
    fn fill_inner(&mut self, _context: &str, _how: How) {}
    /// Takes derived ids out of the lists inside the item.
    fn strip_inner(&mut self, _context: &str) {}
}

macro_rules! listed {
    ($($t:ty => |$x:ident| $key:expr;)+) => {$(
        impl Listed for $t {
            fn id(&self) -> &ItemId { &self.id }
            fn id_mut(&mut self) -> &mut ItemId { &mut self.id }
            fn content(&self) -> String { let $x = self; $key }
        }
    )+};
}
listed! {
    Decision => |d| d.date.to_string();
    Reading => |r| r.date.to_string();
    Milestone => |m| m.date.to_string();
    ActionItem => |a| a.what.clone();
    VoteRound => |v| v.name.clone();
    ParkedIdea => |p| p.text.clone();
    BudgetLine => |b| format!("{}:{}:{}", b.year.map(super::BudgetYear::text).unwrap_or_default(), b.source, b.amount);
}

impl Listed for Indicator {
    fn id(&self) -> &ItemId {
        &self.id
    }
    fn id_mut(&mut self) -> &mut ItemId {
        &mut self.id
    }
    fn content(&self) -> String {
        self.name.clone()
    }
    fn fill_inner(&mut self, context: &str, how: How) {
        let here = format!("{context}/{}", self.id);
        fill(&mut self.readings, &format!("{here}/readings"), how);
        fill(&mut self.milestones, &format!("{here}/milestones"), how);
    }
    fn strip_inner(&mut self, context: &str) {
        let here = format!("{context}/{}", self.id);
        strip(&mut self.readings, &format!("{here}/readings"));
        strip(&mut self.milestones, &format!("{here}/milestones"));
    }
}

/// How missing ids are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// From where the item is and what it says: for items read from a file.
    Derived,
    /// At random: for items made now.
    Fresh,
}

/// For each item, how many items before it in the list say exactly the same.
fn occurrences<T: Listed>(list: &[T]) -> Vec<(String, usize)> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    list.iter()
        .map(|t| {
            let c = t.content();
            let n = seen.entry(c.clone()).or_insert(0);
            let k = *n;
            *n += 1;
            (c, k)
        })
        .collect()
}

/// Gives every item of a list without an id (or with an id an earlier item has) one.
pub fn fill<T: Listed>(list: &mut [T], context: &str, how: How) {
    let needs = {
        let mut seen = BTreeSet::new();
        list.iter().any(|t| t.id().is_empty() || !seen.insert(t.id().clone()))
    };
    if needs {
        let occ = occurrences(list);
        let mut used: BTreeSet<ItemId> = BTreeSet::new();
        let taken: Vec<bool> = list.iter().map(|t| !t.id().is_empty() && used.insert(t.id().clone())).collect();
        for ((item, (content, n)), keep) in list.iter_mut().zip(occ).zip(taken) {
            if keep {
                continue;
            }
            let mut salt = 0usize;
            let id = loop {
                let id = match how {
                    How::Derived => ItemId::derived(context, &content, n + salt * 1_000_003),
                    How::Fresh => ItemId::fresh(),
                };
                if used.insert(id.clone()) {
                    break id;
                }
                salt += 1;
            };
            *item.id_mut() = id;
        }
    }
    for item in list {
        item.fill_inner(context, how);
    }
}

/// Blanks the ids that loading would derive again, so they are not written.
pub fn strip<T: Listed>(list: &mut [T], context: &str) {
    for item in list.iter_mut() {
        item.strip_inner(context);
    }
    let occ = occurrences(list);
    for (item, (content, n)) in list.iter_mut().zip(occ) {
        if *item.id() == ItemId::derived(context, &content, n) {
            *item.id_mut() = ItemId::default();
        }
    }
}

/// Gives ids to the lists of one card; true when it changed anything.
pub fn fill_node(node: &mut Node, how: How) -> bool {
    let before = node.clone();
    let card = node.id.to_string();
    match &mut node.kind {
        NodeKind::Mission { target, .. } => {
            fill(&mut target.readings, &format!("{card}/target/readings"), how);
            fill(&mut target.milestones, &format!("{card}/target/milestones"), how);
        }
        NodeKind::SubMission { indicators, .. } => fill(indicators, &format!("{card}/indicators"), how),
        NodeKind::Intervention { decisions, budget_lines, .. } => {
            fill(decisions, &format!("{card}/decisions"), how);
            fill(budget_lines, &format!("{card}/budget_lines"), how);
        }
        NodeKind::Partner { .. } => {}
    }
    *node != before
}

/// Takes derived ids out of one card's lists (before writing it).
pub fn strip_node(node: &mut Node) {
    let card = node.id.to_string();
    match &mut node.kind {
        NodeKind::Mission { target, .. } => {
            strip(&mut target.readings, &format!("{card}/target/readings"));
            strip(&mut target.milestones, &format!("{card}/target/milestones"));
        }
        NodeKind::SubMission { indicators, .. } => strip(indicators, &format!("{card}/indicators")),
        NodeKind::Intervention { decisions, budget_lines, .. } => {
            strip(decisions, &format!("{card}/decisions"));
            strip(budget_lines, &format!("{card}/budget_lines"));
        }
        NodeKind::Partner { .. } => {}
    }
}

/// Gives ids to the map's own lists (actions, voting rounds, parked ideas).
pub fn fill_map_lists(map: &mut MissionMap, how: How) {
    fill(&mut map.actions, "actions", how);
    fill(&mut map.workshop.votes, "votes", how);
    fill(&mut map.workshop.parking, "parking", how);
}

/// Gives an id to every list item of a map that has none.
pub fn fill_map(map: &mut MissionMap, how: How) {
    let changed: Vec<Node> = map
        .nodes()
        .filter_map(|n| {
            let mut n = n.clone();
            fill_node(&mut n, how).then_some(n)
        })
        .collect();
    for n in changed {
        let _ = map.replace_node(n);
    }
    fill_map_lists(map, how);
}

/// Whether every list item of a map has an id, none repeated in its list.
#[must_use]
pub fn all_have_ids(map: &MissionMap) -> bool {
    fn ok<T: Listed>(list: &[T]) -> bool {
        let mut seen = BTreeSet::new();
        list.iter().all(|t| !t.id().is_empty() && seen.insert(t.id()))
    }
    ok(&map.actions)
        && ok(&map.workshop.votes)
        && ok(&map.workshop.parking)
        && map.nodes().all(|n| match &n.kind {
            NodeKind::Mission { target, .. } => ok(&target.readings) && ok(&target.milestones),
            NodeKind::SubMission { indicators, .. } => {
                ok(indicators) && indicators.iter().all(|i| ok(&i.readings) && ok(&i.milestones))
            }
            NodeKind::Intervention { decisions, budget_lines, .. } => ok(decisions) && ok(budget_lines),
            NodeKind::Partner { .. } => true,
        })
}

/// Whether any list item of a card has an id loading would not derive again (so the file must
/// carry it, in format 3).
#[must_use]
pub fn node_has_kept_ids(node: &Node) -> bool {
    let mut stripped = node.clone();
    strip_node(&mut stripped);
    any_id(&stripped)
}

/// The card with every list item's id blank: what it says, for fingerprints that ids must not
/// change (a session snapshot's "edited since").
#[must_use]
pub fn without_ids(node: &Node) -> Node {
    fn blank<T: Listed>(list: &mut [T]) {
        for t in list {
            *t.id_mut() = ItemId::default();
        }
    }
    let mut n = node.clone();
    match &mut n.kind {
        NodeKind::Mission { target, .. } => {
            blank(&mut target.readings);
            blank(&mut target.milestones);
        }
        NodeKind::SubMission { indicators, .. } => {
            for i in indicators.iter_mut() {
                blank(&mut i.readings);
                blank(&mut i.milestones);
            }
            blank(indicators);
        }
        NodeKind::Intervention { decisions, budget_lines, .. } => {
            blank(decisions);
            blank(budget_lines);
        }
        NodeKind::Partner { .. } => {}
    }
    n
}

/// Whether a card has any list that holds items.
#[must_use]
pub fn node_has_lists(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Mission { target, .. } => !target.readings.is_empty() || !target.milestones.is_empty(),
        NodeKind::SubMission { indicators, .. } => !indicators.is_empty(),
        NodeKind::Intervention { decisions, budget_lines, .. } => !decisions.is_empty() || !budget_lines.is_empty(),
        NodeKind::Partner { .. } => false,
    }
}

/// Whether any list item of a card carries an id.
#[must_use]
pub fn any_id(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Mission { target, .. } => {
            target.readings.iter().any(|r| !r.id.is_empty()) || target.milestones.iter().any(|m| !m.id.is_empty())
        }
        NodeKind::SubMission { indicators, .. } => indicators.iter().any(|i| {
            !i.id.is_empty()
                || i.readings.iter().any(|r| !r.id.is_empty())
                || i.milestones.iter().any(|m| !m.id.is_empty())
        }),
        NodeKind::Intervention { decisions, budget_lines, .. } => {
            decisions.iter().any(|d| !d.id.is_empty()) || budget_lines.iter().any(|b| !b.id.is_empty())
        }
        NodeKind::Partner { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Decision, DecisionKind, Kind, NodeId};
    use chrono::NaiveDate;

    fn decision(day: u32, why: &str) -> Decision {
        Decision {
            id: ItemId::default(),
            date: NaiveDate::from_ymd_opt(2026, 12, day).unwrap_or_default(),
            decision: DecisionKind::Continue,
            who: String::new(),
            why: why.to_owned(),
        }
    }

    #[test]
    fn two_identical_items_get_two_ids_and_derived_ids_are_the_same_in_every_copy() {
        let mut a = vec![decision(5, ""), decision(5, ""), decision(6, "x")];
        let mut b = a.clone();
        fill(&mut a, "i1/decisions", How::Derived);
        fill(&mut b, "i1/decisions", How::Derived);
        assert_eq!(a, b);
        assert_ne!(a[0].id, a[1].id);
        assert!(a.iter().all(|d| !d.id.is_empty()));
    }

    #[test]
    fn derived_ids_are_stripped_and_kept_ids_are_not() {
        let mut list = vec![decision(5, ""), decision(5, "")];
        fill(&mut list, "c", How::Derived);
        let mut edited = list.clone();
        edited[1].date = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default();
        strip(&mut list, "c");
        assert!(list.iter().all(|d| d.id.is_empty()), "nothing changed: nothing to write");
        strip(&mut edited, "c");
        assert!(edited[0].id.is_empty());
        assert!(!edited[1].id.is_empty(), "an item whose date changed keeps the id it had");
    }

    #[test]
    fn fresh_ids_differ_and_duplicates_are_mended() {
        let mut list = vec![decision(5, ""), decision(5, "")];
        fill(&mut list, "c", How::Fresh);
        assert_ne!(list[0].id, list[1].id);
        list[1].id = list[0].id.clone();
        fill(&mut list, "c", How::Fresh);
        assert_ne!(list[0].id, list[1].id);
    }

    #[test]
    fn a_card_with_new_items_says_it_keeps_ids() {
        let mut node = Node::new(NodeId::new("i1").unwrap(), Kind::Intervention, "x");
        if let NodeKind::Intervention { decisions, .. } = &mut node.kind {
            decisions.push(decision(5, ""));
        }
        fill_node(&mut node, How::Derived);
        assert!(!node_has_kept_ids(&node));
        fill_node(&mut node, How::Fresh);
        if let NodeKind::Intervention { decisions, .. } = &mut node.kind {
            decisions.push(decision(6, ""));
        }
        fill_node(&mut node, How::Fresh);
        assert!(node_has_kept_ids(&node));
    }
}
