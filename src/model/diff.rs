//! What changed between two versions of a map: cards and links added, removed and edited, cards
//! moved. Used to tell what a recovered autosave holds, and what changed since a session snapshot.

use std::collections::HashMap;

use super::{LinkId, MissionMap, NodeId};

/// The differences from an older map to a newer one. Every list is sorted by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapDiff {
    pub added: Vec<NodeId>,
    /// Removed cards with their titles (they are not in the newer map to look up).
    pub removed: Vec<(NodeId, String)>,
    /// Cards whose title or attributes changed.
    pub edited: Vec<NodeId>,
    /// Cards that only moved.
    pub moved: Vec<NodeId>,
    pub links_added: Vec<LinkId>,
    pub links_removed: Vec<LinkId>,
    pub links_edited: Vec<LinkId>,
    /// The map's title, description or organisation changed.
    pub details_changed: bool,
}

impl MapDiff {
    /// True when nothing a person would notice differs (times and layout routes are ignored).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.edited.is_empty()
            && self.moved.is_empty()
            && self.links_added.is_empty()
            && self.links_removed.is_empty()
            && self.links_edited.is_empty()
            && !self.details_changed
    }

    /// "3 cards added, 1 removed, 2 edited, 5 moved; 4 links added" or "no changes".
    #[must_use]
    pub fn summary(&self) -> String {
        let part = |n: usize, what: &str| (n > 0).then(|| format!("{n} {what}"));
        let cards: Vec<String> = [
            part(self.added.len(), "added"),
            part(self.removed.len(), "removed"),
            part(self.edited.len(), "edited"),
            part(self.moved.len(), "moved"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let links: Vec<String> = [
            part(self.links_added.len(), "added"),
            part(self.links_removed.len(), "removed"),
            part(self.links_edited.len(), "edited"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut out = Vec::new();
        if !cards.is_empty() {
            out.push(format!("cards: {}", cards.join(", ")));
        }
        if !links.is_empty() {
            out.push(format!("links: {}", links.join(", ")));
        }
        if self.details_changed {
            out.push("map details changed".to_owned());
        }
        if out.is_empty() { "no changes".to_owned() } else { out.join("; ") }
    }
}

/// Compares two maps by card and link id.
#[must_use]
pub fn diff(old: &MissionMap, new: &MissionMap) -> MapDiff {
    let mut d = MapDiff::default();
    let old_nodes: HashMap<&NodeId, _> = old.nodes().map(|n| (&n.id, n)).collect();
    for n in new.sorted_nodes() {
        match old_nodes.get(&n.id) {
            None => d.added.push(n.id.clone()),
            Some(o) if *o != n => d.edited.push(n.id.clone()),
            Some(_) => {
                let (a, b) = (old.placement(&n.id).unwrap_or_default(), new.placement(&n.id).unwrap_or_default());
                if (a.x - b.x).abs() > 0.5 || (a.y - b.y).abs() > 0.5 || a.pinned != b.pinned {
                    d.moved.push(n.id.clone());
                }
            }
        }
    }
    for n in old.sorted_nodes() {
        if !new.contains_node(&n.id) {
            d.removed.push((n.id.clone(), n.title.clone()));
        }
    }
    for l in new.sorted_links() {
        match old.link(&l.id) {
            None => d.links_added.push(l.id.clone()),
            Some(o) if o != l => d.links_edited.push(l.id.clone()),
            Some(_) => {}
        }
    }
    for l in old.sorted_links() {
        if new.link(&l.id).is_none() {
            d.links_removed.push(l.id.clone());
        }
    }
    d.details_changed = old.meta.title != new.meta.title
        || old.meta.description != new.meta.description
        || old.meta.organisation != new.meta.organisation;
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, LinkKind, Placement};

    #[test]
    fn finds_each_kind_of_change() {
        let mut a = MissionMap::new("a");
        let m = a.create_node(Kind::Mission, "M", Placement::at(0.0, 0.0)).unwrap();
        let s = a.create_node(Kind::SubMission, "S", Placement::at(0.0, 100.0)).unwrap();
        let i = a.create_node(Kind::Intervention, "I", Placement::at(0.0, 200.0)).unwrap();
        let l = a.connect(&s, &m, LinkKind::ContributesTo).unwrap();
        let mut b = a.clone();
        assert!(diff(&a, &b).is_empty());
        assert_eq!(diff(&a, &b).summary(), "no changes");
        b.update_node(&m, |n| n.title = "M2".to_owned()).unwrap();
        b.set_placement(&s, Placement::at(50.0, 100.0)).unwrap();
        b.remove_node(&i).unwrap();
        let p = b.create_node(Kind::Partner, "P", Placement::default()).unwrap();
        let l2 = b.connect(&p, &m, LinkKind::Supports).unwrap();
        b.remove_link(&l).unwrap();
        b.meta.title = "b".to_owned();
        let d = diff(&a, &b);
        assert_eq!(d.added, vec![p]);
        assert_eq!(d.removed, vec![(i, "I".to_owned())]);
        assert_eq!(d.edited, vec![m]);
        assert_eq!(d.moved, vec![s]);
        assert_eq!(d.links_added, vec![l2]);
        assert_eq!(d.links_removed, vec![l]);
        assert!(d.details_changed);
        assert_eq!(
            d.summary(),
            "cards: 1 added, 1 removed, 1 edited, 1 moved; links: 1 added, 1 removed; map details changed"
        );
    }
}
