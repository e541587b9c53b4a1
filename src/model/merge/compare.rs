//! Two maps compared field by field: what was added, removed and changed.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::{LinkId, MissionMap, NodeId};
use super::items::{describe_item, items};
use super::{Fields, Item};
/// One field that differs between two maps.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// An item in both maps whose fields differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Changed {
    pub item: Item,
    /// What it is, for people (`card "Heat pumps" (i4)`).
    pub what: String,
    pub fields: Vec<FieldChange>,
}

/// How a newer map differs from an older one, item by item and field by field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    pub added: Vec<NodeId>,
    /// Cards only in the older map, with their titles.
    pub removed: Vec<(NodeId, String)>,
    pub changed: Vec<Changed>,
    pub links_added: Vec<LinkId>,
    pub links_removed: Vec<LinkId>,
    pub links_changed: Vec<Changed>,
    /// The map's details, dismissed findings, votes, parked ideas and snapshots.
    pub other: Vec<Changed>,
}

impl Comparison {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.links_added.is_empty()
            && self.links_removed.is_empty()
            && self.links_changed.is_empty()
            && self.other.is_empty()
    }

    /// "cards: 2 added, 1 removed, 3 changed; links: 1 added; 1 other change" or "the same".
    #[must_use]
    pub fn summary(&self) -> String {
        let part = |n: usize, what: &str| (n > 0).then(|| format!("{n} {what}"));
        let group = |name: &str, parts: [Option<String>; 3]| {
            let p: Vec<String> = parts.into_iter().flatten().collect();
            (!p.is_empty()).then(|| format!("{name}: {}", p.join(", ")))
        };
        let out: Vec<String> = [
            group(
                "cards",
                [
                    part(self.added.len(), "added"),
                    part(self.removed.len(), "removed"),
                    part(self.changed.len(), "changed"),
                ],
            ),
            group(
                "links",
                [
                    part(self.links_added.len(), "added"),
                    part(self.links_removed.len(), "removed"),
                    part(self.links_changed.len(), "changed"),
                ],
            ),
            match self.other.len() {
                0 => None,
                1 => Some("1 other change".to_owned()),
                n => Some(format!("{n} other changes")),
            },
        ]
        .into_iter()
        .flatten()
        .collect();
        if out.is_empty() { "the same".to_owned() } else { out.join("; ") }
    }
}

/// Compares `old` with `new` by id, field by field (the time of the last save is not compared).
#[must_use]
pub fn compare(old: &MissionMap, new: &MissionMap) -> Comparison {
    let (a, b) = (items(old), items(new));
    let mut c = Comparison::default();
    for (item, nf) in &b {
        match (item, a.get(item)) {
            (Item::Card(id), None) => c.added.push(id.clone()),
            (Item::Link(id), None) => c.links_added.push(id.clone()),
            (_, None) => c.other.push(Changed {
                item: item.clone(),
                what: format!("{} (only in the newer map)", describe_item(item, Some(nf))),
                fields: Vec::new(),
            }),
            (_, Some(of)) => {
                let fields = field_changes(of, nf);
                if fields.is_empty() {
                    continue;
                }
                let changed = Changed { item: item.clone(), what: describe_item(item, Some(nf)), fields };
                match item {
                    Item::Card(_) => c.changed.push(changed),
                    Item::Link(_) => c.links_changed.push(changed),
                    _ => c.other.push(changed),
                }
            }
        }
    }
    for (item, of) in &a {
        if b.contains_key(item) {
            continue;
        }
        match item {
            Item::Card(id) => {
                c.removed.push((id.clone(), of.get("title").and_then(Value::as_str).unwrap_or_default().to_owned()));
            }
            Item::Link(id) => c.links_removed.push(id.clone()),
            _ => c.other.push(Changed {
                item: item.clone(),
                what: format!("{} (only in the older map)", describe_item(item, Some(of))),
                fields: Vec::new(),
            }),
        }
    }
    c
}

pub(super) fn field_changes(old: &Fields, new: &Fields) -> Vec<FieldChange> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (old.get(k), new.get(k));
            (o != n).then(|| FieldChange { field: k.clone(), old: o.cloned(), new: n.cloned() })
        })
        .collect()
}
