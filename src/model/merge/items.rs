//! A map taken apart into items (its details, each card, each link, each dismissal, voting
//! round, parked idea, snapshot and action), each a set of named fields, and put back together;
//! with the words that name items and fields to people.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::{Link, LinkId, MissionMap, Node, NodeId, Placement};
use super::{Fields, Item};
/// A map taken apart: each item's fields.
pub type Items = BTreeMap<Item, Fields>;

pub(super) fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// Takes a map apart into items and fields.
#[must_use]
pub fn items(map: &MissionMap) -> Items {
    let mut out = Items::new();
    out.insert(Item::Details, details_fields(map));
    for (node, place) in map.nodes_with_placement() {
        out.insert(Item::Card(node.id.clone()), card_fields(node, place));
    }
    for link in map.links() {
        out.insert(Item::Link(link.id.clone()), link_fields(link));
    }
    for (key, d) in &map.dismissals {
        out.insert(Item::Dismissal(key.clone()), dismissal_fields(d));
    }
    for round in &map.workshop.votes {
        out.insert(Item::Vote(round.id.to_string()), vote_fields(round));
    }
    for idea in &map.workshop.parking {
        out.insert(Item::Parked(idea.id.to_string()), parked_fields(idea));
    }
    for a in &map.actions {
        out.insert(Item::Action(a.id.to_string()), action_fields(a));
    }
    for (name, snap) in named(&map.workshop.snapshots, |s| &s.name) {
        out.insert(Item::Snapshot(name), snapshot_fields(snap));
    }
    out
}

/// One item of a map taken apart (see [`items`]), or `None` when the map has no such item.
#[must_use]
pub fn item_fields(map: &MissionMap, item: &Item) -> Option<Fields> {
    match item {
        Item::Details => Some(details_fields(map)),
        Item::Card(id) => Some(card_fields(map.node(id)?, map.placement(id)?)),
        Item::Link(id) => Some(link_fields(map.link(id)?)),
        Item::Dismissal(key) => map.dismissals.get(key).map(dismissal_fields),
        Item::Vote(id) => map.workshop.votes.iter().find(|r| r.id.to_string() == *id).map(vote_fields),
        Item::Parked(id) => map.workshop.parking.iter().find(|p| p.id.to_string() == *id).map(parked_fields),
        Item::Action(id) => map.actions.iter().find(|a| a.id.to_string() == *id).map(action_fields),
        Item::Snapshot(name) => named(&map.workshop.snapshots, |s| &s.name)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| snapshot_fields(s)),
    }
}

fn details_fields(map: &MissionMap) -> Fields {
    [
        ("title".to_owned(), text(&map.meta.title)),
        ("description".to_owned(), text(&map.meta.description)),
        ("organisation".to_owned(), text(&map.meta.organisation)),
        ("tolerances".to_owned(), serde_json::to_value(map.tolerances).unwrap_or(Value::Null)),
    ]
    .into()
}

fn dismissal_fields(d: &crate::model::Dismissal) -> Fields {
    let mut f = Fields::new();
    f.insert("reason".to_owned(), text(&d.reason));
    f.insert("date".to_owned(), serde_json::to_value(d.date).unwrap_or(Value::Null));
    f
}

fn vote_fields(round: &crate::model::workshop::VoteRound) -> Fields {
    let mut f = Fields::new();
    f.insert("name".to_owned(), text(&round.name));
    f.insert("date".to_owned(), serde_json::to_value(round.date).unwrap_or(Value::Null));
    f.insert("votes each".to_owned(), Value::from(round.votes_each));
    f.insert("participants".to_owned(), Value::from(round.participants));
    for (id, n) in &round.tally {
        f.insert(format!("votes/{id}"), Value::from(*n));
    }
    f
}

fn parked_fields(idea: &crate::model::workshop::ParkedIdea) -> Fields {
    let mut f = Fields::new();
    f.insert("text".to_owned(), text(&idea.text));
    f.insert("kind".to_owned(), serde_json::to_value(idea.kind).unwrap_or(Value::Null));
    f.insert("date".to_owned(), serde_json::to_value(idea.date).unwrap_or(Value::Null));
    if let Some(from) = &idea.from {
        f.insert("from".to_owned(), text(from));
    }
    if let Some(sent) = idea.sent {
        f.insert("sent".to_owned(), serde_json::to_value(sent).unwrap_or(Value::Null));
    }
    f
}

fn action_fields(a: &crate::model::ActionItem) -> Fields {
    let mut f = Fields::new();
    f.insert("what".to_owned(), text(&a.what));
    f.insert("owner".to_owned(), text(&a.owner));
    f.insert("due".to_owned(), serde_json::to_value(a.due).unwrap_or(Value::Null));
    f.insert("done".to_owned(), Value::Bool(a.done));
    f
}

fn snapshot_fields(snap: &crate::model::workshop::Snapshot) -> Fields {
    [("snapshot".to_owned(), serde_json::to_value(snap).unwrap_or(Value::Null))].into()
}

/// Each entry with a name unique in the list ("Priorities", "Priorities (2)").
pub(super) fn named<T>(list: &[T], name: impl Fn(&T) -> &String) -> Vec<(String, &T)> {
    let mut seen = BTreeMap::<&str, usize>::new();
    list.iter()
        .map(|t| {
            let n = name(t);
            let count = seen.entry(n.as_str()).or_insert(0);
            *count += 1;
            let key = if *count == 1 { n.clone() } else { format!("{n} ({count})") };
            (key, t)
        })
        .collect()
}

#[must_use]
pub fn card_fields(node: &Node, place: Placement) -> Fields {
    let mut f = Fields::new();
    if let Ok(Value::Object(obj)) = serde_json::to_value(node) {
        for (k, v) in obj {
            if k != "id" {
                flatten(&k, v, &mut f);
            }
        }
    }
    f.insert("position".to_owned(), serde_json::json!([place.x, place.y]));
    f.insert("pinned".to_owned(), Value::Bool(place.pinned));
    f
}

#[must_use]
pub fn link_fields(link: &Link) -> Fields {
    let mut f = Fields::new();
    if let Ok(Value::Object(obj)) = serde_json::to_value(link) {
        for (k, v) in obj {
            if k != "id" {
                flatten(&k, v, &mut f);
            }
        }
    }
    f
}

/// Objects become one field per leaf (`kind.Mission.target.value`); lists and empty objects stay
/// whole.
pub(super) fn flatten(path: &str, value: Value, out: &mut Fields) {
    // A list's order is one field, never itself a list to key.
    if path.ends_with(ORDER) {
        out.insert(path.to_owned(), value);
        return;
    }
    match keyed(value) {
        Value::Object(obj) if !obj.is_empty() => {
            for (k, v) in obj {
                flatten(&format!("{path}.{k}"), v, out);
            }
        }
        v => {
            out.insert(path.to_owned(), v);
        }
    }
}

/// The field that keeps the order of a keyed list: its items' keys, in order.
pub(super) const ORDER: &str = "~order";

/// Escapes a list item's key so that it is one segment of a field's path.
pub(super) fn escape_key(key: &str) -> String {
    key.replace('%', "%25").replace('.', "%2E")
}

/// Undoes [`escape_key`].
pub(super) fn unescape_key(key: &str) -> String {
    key.replace("%2E", ".").replace("%25", "%")
}

/// A list whose items each carry a distinct `id` (decisions, indicators, readings, milestones)
/// becomes an object keyed `#id`, plus its order under [`ORDER`]: two copies merge it item by item,
/// each item field by field. A list of distinct words (tags) becomes a set keyed `#word`. Other
/// lists stay one field.
pub(super) fn keyed(value: Value) -> Value {
    let Value::Array(items) = value else { return value };
    if items.is_empty() {
        return Value::Array(items);
    }
    let id_of = |v: &Value| v.get("id").and_then(Value::as_str).filter(|k| !k.is_empty()).map(str::to_owned);
    let word_of = |v: &Value| v.as_str().filter(|k| !k.is_empty()).map(str::to_owned);
    for key_of in [&id_of as &dyn Fn(&Value) -> Option<String>, &word_of] {
        let keys: Vec<Option<String>> = items.iter().map(key_of).collect();
        let distinct: BTreeSet<&String> = keys.iter().flatten().collect();
        if keys.iter().any(Option::is_none) || distinct.len() != items.len() {
            continue;
        }
        let mut obj = serde_json::Map::new();
        let mut order = Vec::new();
        for (item, key) in items.into_iter().zip(keys.into_iter().flatten()) {
            let key = escape_key(&key);
            order.push(Value::String(key.clone()));
            obj.insert(format!("#{key}"), if item.is_string() { Value::Bool(true) } else { item });
        }
        obj.insert(ORDER.to_owned(), Value::Array(order));
        return Value::Object(obj);
    }
    Value::Array(items)
}

/// Whether an object is a keyed list (see [`keyed`]).
fn is_keyed(obj: &serde_json::Map<String, Value>) -> bool {
    !obj.is_empty() && obj.keys().all(|k| k.starts_with('#') || k == ORDER) && obj.keys().any(|k| k.starts_with('#'))
}

/// Undoes [`keyed`] throughout a rebuilt value: keyed objects become lists again, in their order
/// (items the order does not name last, by key).
pub(super) fn unkeyed(value: Value) -> Value {
    match value {
        Value::Object(mut obj) if is_keyed(&obj) => {
            let order: Vec<String> = match obj.remove(ORDER) {
                Some(Value::Array(a)) => a.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
                _ => Vec::new(),
            };
            let mut out = Vec::with_capacity(obj.len());
            let mut take = |key: &str, v: Value| match v {
                Value::Bool(true) => out.push(Value::String(unescape_key(key))),
                v => out.push(unkeyed(v)),
            };
            for key in order {
                if let Some(v) = obj.remove(&format!("#{key}")) {
                    take(&key, v);
                }
            }
            for (k, v) in obj {
                take(k.trim_start_matches('#'), v);
            }
            Value::Array(out)
        }
        Value::Object(obj) => Value::Object(obj.into_iter().map(|(k, v)| (k, unkeyed(v))).collect()),
        other => other,
    }
}

pub(super) fn unflatten(fields: &Fields, skip: &[&str]) -> Value {
    fn put(obj: &mut serde_json::Map<String, Value>, parts: &[&str], v: &Value) {
        match parts {
            [] => {}
            [last] => {
                // An emptied list (`[]`) does not hide items the other copy added to it.
                let deeper = obj.get(*last).is_some_and(Value::is_object) && v.as_array().is_some_and(Vec::is_empty);
                if !deeper {
                    obj.insert((*last).to_owned(), v.clone());
                }
            }
            [first, rest @ ..] => {
                let entry = obj.entry((*first).to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(serde_json::Map::new());
                }
                if let Value::Object(next) = entry {
                    put(next, rest, v);
                }
            }
        }
    }
    let mut root = serde_json::Map::new();
    for (path, v) in fields {
        if !skip.contains(&path.as_str()) {
            put(&mut root, &path.split('.').collect::<Vec<_>>(), v);
        }
    }
    unkeyed(Value::Object(root))
}

#[must_use]
pub fn node_from(id: &NodeId, fields: &Fields) -> Option<(Node, Placement)> {
    let mut v = unflatten(fields, &["position", "pinned"]);
    if let Value::Object(obj) = &mut v {
        obj.insert("id".to_owned(), text(id.as_str()));
    }
    let node: Node = serde_json::from_value(v).ok()?;
    let xy = fields.get("position").and_then(Value::as_array);
    let coord = |i: usize| xy.and_then(|a| a.get(i)).and_then(Value::as_f64).map(|v| v as f32);
    let place = Placement {
        x: coord(0).unwrap_or(0.0),
        y: coord(1).unwrap_or(0.0),
        pinned: fields.get("pinned").and_then(Value::as_bool).unwrap_or(false),
    };
    Some((node, place))
}

#[must_use]
pub fn link_from(id: &LinkId, fields: &Fields) -> Option<Link> {
    let mut v = unflatten(fields, &[]);
    if let Value::Object(obj) = &mut v {
        obj.insert("id".to_owned(), text(id.as_str()));
    }
    serde_json::from_value(v).ok()
}

pub(super) fn item_noun(item: &Item) -> &'static str {
    match item {
        Item::Details => "map details",
        Item::Card(_) => "card",
        Item::Link(_) => "link",
        Item::Dismissal(_) => "dismissed finding",
        Item::Vote(_) => "voting round",
        Item::Parked(_) => "parked idea",
        Item::Snapshot(_) => "session snapshot",
        Item::Action(_) => "action",
    }
}

/// A field name as people say it: `kind.Mission.target.value` → "target value".
#[must_use]
pub fn field_label(field: &str) -> String {
    let mut parts: Vec<&str> = field.split('.').collect();
    if parts.first() == Some(&"kind") && parts.len() > 2 {
        parts.drain(..2);
    }
    if let Some(id) = field.strip_prefix("votes/") {
        return format!("votes for {id}");
    }
    parts
        .iter()
        .map(|p| match p.strip_prefix('#') {
            Some(key) => format!("\u{201c}{}\u{201d}", unescape_key(key)),
            None if *p == ORDER => "order of the list".to_owned(),
            None => p.replace('_', " "),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A value as people read it: text in quotes, numbers, lists; "(not set)" when absent.
#[must_use]
pub fn show_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(not set)".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "(empty)".to_owned(),
        Some(Value::String(s)) => {
            let short: String = s.chars().take(80).collect();
            if short.len() < s.len() { format!("\u{201c}{short}…\u{201d}") } else { format!("\u{201c}{s}\u{201d}") }
        }
        Some(Value::Array(a)) if a.len() == 2 && a.iter().all(Value::is_number) => {
            let n = |i: usize| a[i].as_f64().unwrap_or(0.0);
            format!("({:.0}, {:.0})", n(0), n(1))
        }
        Some(other) => {
            let s = other.to_string();
            let short: String = s.chars().take(80).collect();
            if short.len() < s.len() { format!("{short}…") } else { s }
        }
    }
}

/// What an item is, for people: `card "Heat pump grants" (i4)`.
pub(super) fn describe_item(item: &Item, fields: Option<&Fields>) -> String {
    let title = fields.and_then(|f| f.get("title")).and_then(Value::as_str);
    let say = |k: &str| fields.and_then(|f| f.get(k)).and_then(Value::as_str).unwrap_or_default().to_owned();
    match item {
        Item::Details => "the map's details".to_owned(),
        Item::Card(id) => match title {
            Some(t) => format!("card \u{201c}{t}\u{201d} ({id})"),
            None => format!("card {id}"),
        },
        Item::Link(id) => format!("link {id}"),
        Item::Dismissal(key) => format!("dismissed finding {key}"),
        Item::Vote(_) => format!("voting round \u{201c}{}\u{201d}", say("name")),
        Item::Parked(_) => format!("parked idea \u{201c}{}\u{201d}", say("text")),
        Item::Snapshot(name) => format!("session snapshot \u{201c}{name}\u{201d}"),
        Item::Action(_) => format!("action \u{201c}{}\u{201d}", say("what")),
    }
}

/// A field's path as people say it, naming each list item by what it says rather than by its id:
/// `kind.SubMission.indicators.#a1.readings.#b2.value` → `indicator "GW connected", reading of
/// 2026-03-31: value`. `sides` are the item's fields in each copy, to find what an item says.
pub(super) fn describe_field(path: &str, sides: &[&Fields]) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    let mut parts = Vec::new();
    let mut rest = Vec::new();
    let mut list = "";
    for (i, seg) in segments.iter().enumerate() {
        if let Some(key) = seg.strip_prefix('#') {
            let prefix = segments[..=i].join(".");
            let says = |k: &str| {
                sides.iter().find_map(|f| f.get(&format!("{prefix}.{k}")).and_then(Value::as_str).map(str::to_owned))
            };
            let noun = match list {
                "decisions" => "decision",
                "budget_lines" => "budget line",
                "readings" => "reading",
                "milestones" => "milestone",
                "indicators" => "indicator",
                "tags" => "tag",
                other => other,
            };
            let name = says("name").or_else(|| says("what")).or_else(|| says("text"));
            let part = match (name, says("date")) {
                (Some(n), _) if !n.is_empty() => format!("{noun} \u{201c}{n}\u{201d}"),
                (_, Some(d)) => format!("{noun} of {d}"),
                _ if list == "tags" => format!("tag \u{201c}{}\u{201d}", unescape_key(key)),
                _ => format!("{noun} {}", unescape_key(key)),
            };
            parts.push(part);
            rest.clear();
        } else if *seg == ORDER {
            rest = vec!["order of the list".to_owned()];
        } else if i + 1 < segments.len() && segments[i + 1].starts_with('#') {
            list = seg;
        } else {
            rest.push(seg.replace('_', " "));
        }
    }
    if parts.is_empty() {
        return field_label(path);
    }
    let head = parts.join(", ");
    if rest.is_empty() { head } else { format!("{head}: {}", rest.join(" ")) }
}
