//! A map changed item by item: which items differ between two maps, and setting items to given
//! fields. Live sharing uses it to turn a peer's changes into changes of the map (and ours into
//! the sync engine's), and undo uses it to take back only one's own step when others have edited
//! since.
//!
//! Items and fields are those of [`super::merge`] (a card, a link, the map's details, a dismissed
//! finding, a voting round, a parked idea, a snapshot, an action; a card's title, position, each
//! indicator's fields…).

use std::collections::{BTreeMap, BTreeSet};

use super::merge::{Fields, Item, Items, List, item_fields, link_from, list_ids, node_from, put_parts};
use super::{LinkId, MissionMap, ModelError};

/// Changes to a map, item by item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patch {
    /// Items and what they become (`None`: removed).
    pub items: Vec<(Item, Option<Fields>)>,
    /// Link routes and what they become (`None` or empty: straight).
    pub routes: Vec<(LinkId, Option<Vec<[f32; 2]>>)>,
    /// The order of lists whose items changed (keys as [`list_ids`] gives them).
    pub orders: BTreeMap<List, Vec<String>>,
    /// Ids below this number are never handed out again.
    pub serial: Option<u64>,
}

impl Patch {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.routes.is_empty() && self.orders.is_empty() && self.serial.is_none()
    }
}

/// Whether an item is one of the map's small lists (dismissals, the workshop, actions), which are
/// put back together whole.
fn is_part(item: &Item) -> bool {
    matches!(item, Item::Dismissal(_) | Item::Vote(_) | Item::Parked(_) | Item::Snapshot(_) | Item::Action(_))
}

/// The items that differ between two maps (cards, links, details, dismissals, workshop, actions),
/// in key order. Fast on big maps: cards and links are compared as they are, and only changed
/// parts of the small lists are taken apart.
#[must_use]
pub fn changed_items(old: &MissionMap, new: &MissionMap) -> Vec<Item> {
    let mut out = BTreeSet::new();
    for (node, place) in new.nodes_with_placement() {
        if !same(old.node(&node.id), node) || old.placement(&node.id) != Some(place) {
            out.insert(Item::Card(node.id.clone()));
        }
    }
    for (node, _) in old.nodes_with_placement() {
        if !new.contains_node(&node.id) {
            out.insert(Item::Card(node.id.clone()));
        }
    }
    for link in new.links() {
        if !same(old.link(&link.id), link) {
            out.insert(Item::Link(link.id.clone()));
        }
    }
    for link in old.links() {
        if new.link(&link.id).is_none() {
            out.insert(Item::Link(link.id.clone()));
        }
    }
    if old.meta.title != new.meta.title
        || old.meta.description != new.meta.description
        || old.meta.organisation != new.meta.organisation
        || old.tolerances != new.tolerances
    {
        out.insert(Item::Details);
    }
    if old.dismissals != new.dismissals || old.workshop != new.workshop || old.actions != new.actions {
        let (a, b) = (part_items(old), part_items(new));
        for key in a.keys().chain(b.keys()) {
            if a.get(key) != b.get(key) {
                out.insert(key.clone());
            }
        }
    }
    out.into_iter().collect()
}

/// Whether `old` is `new`: the same shared value (a map and its copy share every card and link
/// neither changed; checked first, it spares comparing 10,000 cards field by field) or an equal one.
fn same<T: PartialEq>(old: Option<&T>, new: &T) -> bool {
    old.is_some_and(|o| std::ptr::eq(o, new) || o == new)
}

/// The links whose routes differ between two maps.
#[must_use]
pub fn changed_routes(old: &MissionMap, new: &MissionMap) -> Vec<LinkId> {
    if old.routes_stamp() == new.routes_stamp() {
        return Vec::new();
    }
    let mut out = BTreeSet::new();
    for (id, r) in new.sorted_routes() {
        if old.route(id) != Some(r.as_slice()) {
            out.insert(id.clone());
        }
    }
    for (id, _) in old.sorted_routes() {
        if new.route(id).is_none() {
            out.insert(id.clone());
        }
    }
    out.into_iter().collect()
}

/// The lists whose order of items differs between two maps.
#[must_use]
pub fn changed_orders(old: &MissionMap, new: &MissionMap) -> Vec<List> {
    List::ALL.into_iter().filter(|&l| list_ids(old, l) != list_ids(new, l)).collect()
}

/// The small lists of a map taken apart (dismissals, voting rounds, parked ideas, snapshots, actions).
fn part_items(map: &MissionMap) -> Items {
    let mut probe = MissionMap::new("");
    probe.dismissals.clone_from(&map.dismissals);
    probe.workshop.clone_from(&map.workshop);
    probe.actions.clone_from(&map.actions);
    let mut items = super::merge::items(&probe);
    items.retain(|item, _| is_part(item));
    items
}

/// Sets items, routes and orders of `map` as the patch says. Each card and link is set on its own:
/// one that would break the map's rules (a link to a card that is not there, a link kind the cards
/// do not allow, a number that is not finite) is left as it was and returned with the reason;
/// everything else is applied.
pub fn apply(map: &mut MissionMap, patch: &Patch) -> Vec<(Item, ModelError)> {
    let mut refused = Vec::new();
    // Links go before the cards they join are removed, and after the cards they join are added.
    let (mut cards, mut links, mut parts, mut details) = (Vec::new(), Vec::new(), Vec::new(), None);
    for (item, fields) in &patch.items {
        match item {
            Item::Card(_) => cards.push((item, fields.as_ref())),
            Item::Link(_) => links.push((item, fields.as_ref())),
            Item::Details => details = Some(fields.as_ref()),
            _ => parts.push((item, fields.as_ref())),
        }
    }
    for (item, _) in links.iter().filter(|(_, f)| f.is_none()) {
        if let Item::Link(id) = item
            && map.link(id).is_some()
            && let Err(e) = map.remove_link(id)
        {
            refused.push(((*item).clone(), e));
        }
    }
    for (item, fields) in &cards {
        if let Err(e) = set_card(map, item, *fields) {
            refused.push(((*item).clone(), e));
        }
    }
    for (item, fields) in links.iter().filter(|(_, f)| f.is_some()) {
        if let Err(e) = set_link(map, item, *fields) {
            refused.push(((*item).clone(), e));
        }
    }
    for (id, points) in &patch.routes {
        if map.link(id).is_some() {
            let _ = map.set_route(id, points.clone().unwrap_or_default());
        }
    }
    if let Some(fields) = details {
        set_details(map, fields);
    }
    if !parts.is_empty() || !patch.orders.is_empty() {
        let mut items = part_items(map);
        for (item, fields) in parts {
            match fields {
                Some(f) => items.insert(item.clone(), f.clone()),
                None => items.remove(item),
            };
        }
        let current: BTreeMap<List, Vec<String>> = List::ALL.into_iter().map(|l| (l, list_ids(map, l))).collect();
        let order = |list: List, keep: &BTreeSet<String>| -> Vec<String> {
            let named = patch.orders.get(&list).or_else(|| current.get(&list));
            let mut out: Vec<String> = Vec::new();
            let mut seen = BTreeSet::new();
            for key in named.into_iter().flatten() {
                if keep.contains(key) && seen.insert(key.clone()) {
                    out.push(key.clone());
                }
            }
            // Items the order does not name go last, by key: the same on every laptop.
            out.extend(keep.iter().filter(|k| !seen.contains(*k)).cloned());
            out
        };
        put_parts(map, &items, &order);
    }
    if let Some(serial) = patch.serial {
        map.reserve_serial(serial);
    }
    refused
}

fn set_card(map: &mut MissionMap, item: &Item, fields: Option<&Fields>) -> Result<(), ModelError> {
    let Item::Card(id) = item else { return Ok(()) };
    let Some(fields) = fields else {
        if map.contains_node(id) {
            map.remove_node(id)?;
        }
        return Ok(());
    };
    let (node, place) = node_from(id, fields)
        .ok_or_else(|| ModelError::Invalid(format!("card {id}: its fields do not make a card")))?;
    if map.contains_node(id) {
        if map.node(id) != Some(&node) {
            map.replace_node(node)?;
        }
        if map.placement(id) != Some(place) {
            map.set_placement(id, place)?;
        }
        Ok(())
    } else {
        map.add_node(node, place)
    }
}

fn set_link(map: &mut MissionMap, item: &Item, fields: Option<&Fields>) -> Result<(), ModelError> {
    let Item::Link(id) = item else { return Ok(()) };
    let Some(fields) = fields else { return Ok(()) };
    let link = link_from(id, fields)
        .ok_or_else(|| ModelError::Invalid(format!("link {id}: its fields do not make a link")))?;
    match map.link(id) {
        Some(old) if *old == link => Ok(()),
        Some(_) => map.replace_link(link).map(|_| ()),
        None => map.add_link(link),
    }
}

fn set_details(map: &mut MissionMap, fields: Option<&Fields>) {
    let Some(f) = fields else { return };
    let text = |k: &str| f.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    map.meta.title = text("title");
    map.meta.description = text("description");
    map.meta.organisation = text("organisation");
    if let Some(t) = f.get("tolerances").and_then(|v| serde_json::from_value(v.clone()).ok()) {
        map.tolerances = t;
    }
}

/// `current` with the change from `before` to `after` taken back, and nothing else: an undo
/// when others have edited since. A field someone changed after `after` keeps their value; an
/// item someone removed since stays removed.
#[must_use]
pub fn take_back(before: &MissionMap, after: &MissionMap, current: &MissionMap) -> MissionMap {
    let mut patch = Patch::default();
    for item in changed_items(after, before) {
        let (was, now, cur) = (item_fields(after, &item), item_fields(before, &item), item_fields(current, &item));
        let target = if cur == was {
            now
        } else {
            match (now, cur) {
                // The step added it: taking it back removes it.
                (None, _) => None,
                // Removed by someone since: stays removed.
                (Some(_), None) if was.is_some() => None,
                (Some(now), None) => Some(now),
                (Some(now), Some(mut cur)) => {
                    let was = was.unwrap_or_default();
                    let keys: BTreeSet<&String> = was.keys().chain(now.keys()).collect();
                    for k in keys {
                        if cur.get(k) == was.get(k) {
                            match now.get(k) {
                                Some(v) => cur.insert(k.clone(), v.clone()),
                                None => cur.remove(k),
                            };
                        }
                    }
                    Some(cur)
                }
            }
        };
        patch.items.push((item, target));
    }
    for id in changed_routes(after, before) {
        if current.route(&id) == after.route(&id) {
            patch.routes.push((id.clone(), before.route(&id).map(<[[f32; 2]]>::to_vec)));
        }
    }
    for list in changed_orders(after, before) {
        patch.orders.insert(list, list_ids(before, list));
    }
    let mut out = current.clone();
    // What cannot be taken back without breaking the map (a link to a card someone removed since)
    // stays as it is now.
    let _ = apply(&mut out, &patch);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, NodeId, Placement};

    fn map() -> MissionMap {
        let mut m = MissionMap::new("t");
        for (i, k) in [Kind::Mission, Kind::SubMission, Kind::Intervention].into_iter().enumerate() {
            let id = m.fresh_node_id(k);
            let mut n = crate::model::Node::new(id, k, format!("card {i}"));
            n.description = "d".into();
            #[allow(clippy::cast_precision_loss)]
            m.add_node(n, Placement::at(0.0, i as f32 * 100.0)).ok();
        }
        m
    }

    fn id(m: &MissionMap, i: usize) -> NodeId {
        let title = format!("card {i}");
        m.nodes_with_placement().find(|(n, _)| n.title == title).map_or_else(|| unreachable!(), |(n, _)| n.id.clone())
    }

    #[test]
    fn a_patch_of_the_changed_items_turns_one_map_into_the_other() {
        let a = map();
        let mut b = a.clone();
        let c0 = id(&b, 0);
        let mut n = b.node(&c0).cloned().unwrap_or_else(|| unreachable!());
        n.title = "new".into();
        b.replace_node(n).ok();
        b.remove_node(&id(&a, 1)).ok();
        let added = b.fresh_node_id(Kind::Partner);
        b.add_node(crate::model::Node::new(added, Kind::Partner, "p"), Placement::at(5.0, 5.0)).ok();
        b.actions.push(crate::model::ActionItem { what: "call".into(), ..Default::default() });
        crate::model::listed::fill_map(&mut b, crate::model::listed::How::Fresh);
        let items = changed_items(&a, &b);
        assert_eq!(items.len(), 4, "{items:?}");
        let patch = Patch {
            items: items.iter().map(|i| (i.clone(), item_fields(&b, i))).collect(),
            orders: changed_orders(&a, &b).into_iter().map(|l| (l, list_ids(&b, l))).collect(),
            ..Patch::default()
        };
        let mut c = a.clone();
        assert!(apply(&mut c, &patch).is_empty());
        assert!(changed_items(&c, &b).is_empty(), "{:?}", changed_items(&c, &b));
    }

    #[test]
    fn taking_back_a_step_keeps_what_others_changed_since() {
        let before = map();
        let c0 = id(&before, 0);
        let mut after = before.clone();
        let mut n = after.node(&c0).cloned().unwrap_or_else(|| unreachable!());
        n.title = "mine".into();
        after.replace_node(n).ok();
        // Someone else changes the same card's description and another card's title.
        let mut current = after.clone();
        let mut n = current.node(&c0).cloned().unwrap_or_else(|| unreachable!());
        n.description = "theirs".into();
        current.replace_node(n).ok();
        let c2 = id(&before, 2);
        let mut n2 = current.node(&c2).cloned().unwrap_or_else(|| unreachable!());
        n2.title = "also theirs".into();
        current.replace_node(n2).ok();
        let undone = take_back(&before, &after, &current);
        let node = undone.node(&c0).unwrap_or_else(|| unreachable!());
        assert_eq!(node.title, "card 0");
        assert_eq!(node.description, "theirs");
        assert_eq!(undone.node(&c2).map(|n| n.title.as_str()), Some("also theirs"));
        // Their later change of the same field wins over taking mine back.
        let mut n = current.node(&c0).cloned().unwrap_or_else(|| unreachable!());
        n.title = "theirs too".into();
        current.replace_node(n).ok();
        let undone = take_back(&before, &after, &current);
        assert_eq!(undone.node(&c0).map(|n| n.title.as_str()), Some("theirs too"));
    }
}
