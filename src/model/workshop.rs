//! What a live workshop adds to a map and keeps in its file: ideas parked for later, dot-voting
//! rounds, and session snapshots to see later what changed since.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::listed::ItemId;

use super::diff::MapDiff;
use super::{Kind, LinkId, MissionMap, NodeId};

/// An idea noted during a workshop but not yet placed on the map.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ParkedIdea {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub text: String,
    /// The kind of card it will become, if the facilitator said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who sent it from a phone in the room, as they gave their name (`None`: typed in the editor,
    /// or sent without a name — see `sent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// When it arrived from the room (the laptop's local time); `None` for an idea typed in the
    /// editor. An idea with `sent` and no `from` was sent anonymously.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<chrono::NaiveDateTime>,
}

impl ParkedIdea {
    /// An idea typed in the editor (no sender, no arrival time).
    #[must_use]
    pub fn typed(text: String, kind: Option<Kind>, date: Option<NaiveDate>) -> ParkedIdea {
        ParkedIdea { id: ItemId::default(), text, kind, date, from: None, sent: None }
    }

    /// Who sent it, for showing: their name, "anonymous" for an idea from the room without one,
    /// `None` for an idea typed in the editor.
    #[must_use]
    pub fn sender(&self) -> Option<&str> {
        match (&self.from, &self.sent) {
            (Some(name), _) => Some(name),
            (None, Some(_)) => Some("anonymous"),
            (None, None) => None,
        }
    }
}

/// One round of dot voting.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct VoteRound {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub name: String,
    pub date: Option<NaiveDate>,
    /// Votes each participant has.
    pub votes_each: u32,
    /// How many people vote (0 when not counted).
    #[serde(default)]
    pub participants: u32,
    /// Votes per card.
    #[serde(default)]
    pub tally: BTreeMap<NodeId, u32>,
}

/// "1 vote", "3 votes".
#[must_use]
pub fn votes_text(n: u32) -> String {
    if n == 1 { "1 vote".to_owned() } else { format!("{n} votes") }
}

impl VoteRound {
    #[must_use]
    pub fn cast(&self) -> u32 {
        // Saturating: a file may hold any numbers, and a sum must never overflow.
        self.tally.values().fold(0u32, |a, &b| a.saturating_add(b))
    }

    /// The votes the round has in all (participants × votes each), when the number of people is known.
    #[must_use]
    pub fn budget(&self) -> Option<u32> {
        (self.participants > 0).then(|| self.participants.saturating_mul(self.votes_each))
    }

    /// Votes cast beyond the round's budget (a round whose number of people was lowered, or a file).
    #[must_use]
    pub fn over(&self) -> Option<u32> {
        self.budget().map(|b| self.cast().saturating_sub(b)).filter(|n| *n > 0)
    }

    /// One more vote for `card`, or why not: the round's budget is a limit.
    pub fn add_vote(&mut self, card: &NodeId) -> Result<(), String> {
        if let Some(budget) = self.budget()
            && self.cast() >= budget
        {
            return Err(format!(
                "All {budget} votes of \u{201c}{}\u{201d} are cast ({} each \u{d7} {} people): take one back first, or raise the number of people.",
                self.name, self.votes_each, self.participants
            ));
        }
        let n = self.tally.entry(card.clone()).or_insert(0);
        *n = n.saturating_add(1);
        Ok(())
    }

    /// Takes one vote for `card` back; false when it had none.
    pub fn take_back(&mut self, card: &NodeId) -> bool {
        match self.tally.get_mut(card) {
            Some(n) if *n > 1 => {
                *n -= 1;
                true
            }
            Some(_) => {
                self.tally.remove(card);
                true
            }
            None => false,
        }
    }

    /// Votes left to cast, when the number of participants is known.
    #[must_use]
    pub fn left(&self) -> Option<u32> {
        (self.participants > 0).then(|| self.participants.saturating_mul(self.votes_each).saturating_sub(self.cast()))
    }

    /// Cards by votes, most first (ties by id).
    #[must_use]
    pub fn ranking(&self) -> Vec<(NodeId, u32)> {
        let mut v: Vec<(NodeId, u32)> =
            self.tally.iter().filter(|(_, n)| **n > 0).map(|(id, n)| (id.clone(), *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

/// What the map looked like at the end of a session, compactly: each card's title and a stable
/// fingerprint of its content, each link's ends and fingerprint. Enough to tell what was added,
/// removed and edited since, without keeping a whole copy of the map in the file.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    pub name: String,
    pub date: Option<NaiveDate>,
    pub cards: Vec<(NodeId, String, u64)>,
    pub links: Vec<(LinkId, NodeId, NodeId, u64)>,
}

/// A workshop's state kept with the map.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Workshop {
    pub parking: Vec<ParkedIdea>,
    pub votes: Vec<VoteRound>,
    pub snapshots: Vec<Snapshot>,
}

impl Workshop {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.parking.is_empty() && self.votes.is_empty() && self.snapshots.is_empty()
    }
}

/// FNV-1a: a fingerprint that stays the same across runs, platforms and Rust versions (unlike
/// std's hasher), so snapshots saved today compare correctly next year.
#[must_use]
pub fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn node_print(node: &super::Node) -> u64 {
    // List items' ids are not what a card says: they never make it "edited".
    let text = if super::listed::node_has_lists(node) {
        ron::to_string(&super::listed::without_ids(node))
    } else {
        ron::to_string(node)
    };
    fingerprint(text.unwrap_or_default().as_bytes())
}

fn link_print(link: &super::Link) -> u64 {
    fingerprint(ron::to_string(link).unwrap_or_default().as_bytes())
}

/// Takes a snapshot of the map now.
#[must_use]
pub fn snapshot(map: &MissionMap, name: &str, date: Option<NaiveDate>) -> Snapshot {
    Snapshot {
        name: name.to_owned(),
        date,
        cards: map.sorted_nodes().into_iter().map(|n| (n.id.clone(), n.title.clone(), node_print(n))).collect(),
        links: map
            .sorted_links()
            .into_iter()
            .map(|l| (l.id.clone(), l.from.clone(), l.to.clone(), link_print(l)))
            .collect(),
    }
}

/// Compares the map with a snapshot: cards and links added, removed and edited (a snapshot keeps no
/// positions or map details, so `moved` and `details_changed` stay empty).
#[must_use]
pub fn since(snapshot: &Snapshot, map: &MissionMap) -> MapDiff {
    let mut d = MapDiff::default();
    let then: BTreeMap<&NodeId, u64> = snapshot.cards.iter().map(|(id, _, h)| (id, *h)).collect();
    for n in map.sorted_nodes() {
        match then.get(&n.id) {
            None => d.added.push(n.id.clone()),
            Some(h) if *h != node_print(n) => d.edited.push(n.id.clone()),
            Some(_) => {}
        }
    }
    for (id, title, _) in &snapshot.cards {
        if !map.contains_node(id) {
            d.removed.push((id.clone(), title.clone()));
        }
    }
    let then: BTreeMap<&LinkId, u64> = snapshot.links.iter().map(|(id, _, _, h)| (id, *h)).collect();
    for l in map.sorted_links() {
        match then.get(&l.id) {
            None => d.links_added.push(l.id.clone()),
            Some(h) if *h != link_print(l) => d.links_edited.push(l.id.clone()),
            Some(_) => {}
        }
    }
    for (id, ..) in &snapshot.links {
        if map.link(id).is_none() {
            d.links_removed.push(id.clone());
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkKind, Placement};

    #[test]
    fn fingerprints_are_stable() {
        // Fixed values: a change here would make every saved snapshot look edited.
        assert_eq!(fingerprint(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fingerprint(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn since_a_snapshot() {
        let mut map = MissionMap::new("w");
        let m = map.create_node(Kind::Mission, "M", Placement::default()).unwrap();
        let s = map.create_node(Kind::SubMission, "S", Placement::default()).unwrap();
        let i = map.create_node(Kind::Intervention, "I", Placement::default()).unwrap();
        let l = map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
        let snap = snapshot(&map, "Board meeting 3", NaiveDate::from_ymd_opt(2026, 5, 12));
        assert!(since(&snap, &map).is_empty());
        map.update_node(&s, |n| n.title = "S2".to_owned()).unwrap();
        map.set_placement(&m, Placement::at(500.0, 0.0)).unwrap(); // moving is not editing
        map.remove_node(&i).unwrap();
        let p = map.create_node(Kind::Partner, "P", Placement::default()).unwrap();
        let l2 = map.connect(&p, &m, LinkKind::Supports).unwrap();
        let mut link = map.link(&l).unwrap().clone();
        link.rationale = "because".to_owned();
        map.replace_link(link).unwrap();
        let d = since(&snap, &map);
        assert_eq!(d.added, vec![p]);
        assert_eq!(d.removed, vec![(i, "I".to_owned())]);
        assert_eq!(d.edited, vec![s]);
        assert_eq!(d.links_added, vec![l2]);
        assert_eq!(d.links_edited, vec![l]);
        assert!(d.links_removed.is_empty());
    }

    #[test]
    fn votes_rank_and_count() {
        let mut round =
            VoteRound { name: "Priorities".to_owned(), votes_each: 3, participants: 4, ..VoteRound::default() };
        round.tally.insert(NodeId::new("i2").unwrap(), 2);
        round.tally.insert(NodeId::new("i10").unwrap(), 5);
        round.tally.insert(NodeId::new("i3").unwrap(), 2);
        assert_eq!(round.cast(), 9);
        assert_eq!(round.left(), Some(3));
        let ids: Vec<String> = round.ranking().into_iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(ids, ["i10", "i2", "i3"]);
        // Numbers from a hostile file do not overflow.
        round.participants = u32::MAX;
        round.votes_each = u32::MAX;
        round.tally.insert(NodeId::new("i4").unwrap(), u32::MAX);
        assert_eq!(round.cast(), u32::MAX);
        assert_eq!(round.left(), Some(0));
    }
}
