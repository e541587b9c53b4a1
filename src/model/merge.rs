//! Copies of a map brought back together: compare two maps field by field, and merge two edited
//! copies of one map (three-way, by stable id) with every disagreement listed as a conflict.
//!
//! Both work on the map taken apart into *items* (the map's details, each card, each link, each
//! dismissed finding, voting round, parked idea and session snapshot), each a set of named *fields*
//! (a card's title, each of its attributes, its position…). A field changed on one side only is
//! taken; the same change on both sides is taken once; different changes to one field are a
//! conflict, settled by a [`Side`] for each (ours until someone says otherwise). A card deleted on
//! one side and edited on the other is a conflict too, never a silent loss.
//!
//! Ids never clash: a card (or link) that both copies added under the same id but that is not the
//! same card is given a new id on their side, with its links, votes and dismissals, and reported.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::workshop::{ParkedIdea, Snapshot, VoteRound, Workshop};
use super::{Dismissal, Kind, Link, LinkId, MissionMap, ModelError, Node, NodeId, Placement};

/// Where a copy came from: written into each copy by "Hand out copies", so merging it back finds
/// the version it was made from without asking.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The hand-out this copy belongs to (the same in every copy and in the base).
    pub handout: String,
    /// The copy's name ("Group 2"); empty in the base itself.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub copy: String,
    /// The file name of the map as it was handed out, kept beside the copies.
    pub base_file: String,
    /// When it was handed out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// One thing in a map that is compared and merged.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// The map's title, description and organisation.
    Details,
    Card(NodeId),
    Link(LinkId),
    Dismissal(String),
    Vote(String),
    Parked(String),
    Snapshot(String),
    /// An item on the board's action list, by what it says.
    Action(String),
}

/// An item's fields by name. Values are JSON so every attribute, now and later, compares alike.
pub type Fields = BTreeMap<String, Value>;

/// Which copy's value wins a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Side {
    /// The map open in the editor (the CLI's OURS).
    #[default]
    Ours,
    /// The copy being merged in (the CLI's THEIRS).
    Theirs,
}

/// Identifies a conflict across re-runs of a merge: the item and the field (`None`: the whole
/// item, deleted on one side and edited on the other).
pub type ConflictKey = (Item, Option<String>);

/// A field both copies changed, differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub item: Item,
    /// The field, or `None` when one side deleted the item and the other edited it.
    pub field: Option<String>,
    /// What the item is, for people: `card "Heat pump grants" (i4)`.
    pub what: String,
    pub base: Option<Value>,
    /// Our value; for a whole item, `None` means we deleted it.
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    /// The side the merged map took.
    pub chosen: Side,
}

impl Conflict {
    #[must_use]
    pub fn key(&self) -> ConflictKey {
        (self.item.clone(), self.field.clone())
    }

    /// The field as people say it ("title", "target value", "position"), or "the whole card".
    #[must_use]
    pub fn field_label(&self) -> String {
        self.field.as_deref().map_or_else(|| format!("the whole {}", item_noun(&self.item)), field_label)
    }

    /// One side's value as people read it.
    #[must_use]
    pub fn show(&self, side: Side) -> String {
        let v = match side {
            Side::Ours => self.ours.as_ref(),
            Side::Theirs => self.theirs.as_ref(),
        };
        if self.field.is_none() {
            let both = self.ours.is_some() && self.theirs.is_some();
            return match (v.is_some(), both, side) {
                (false, ..) => "deleted".to_owned(),
                (true, false, _) => "kept and edited".to_owned(),
                (true, true, Side::Ours) => "our version".to_owned(),
                (true, true, Side::Theirs) => "their version".to_owned(),
            };
        }
        show_value(v)
    }

    /// `card "Heat pump grants" (i4), title: ours "Heat pumps" / theirs "Heat pump grants"`
    #[must_use]
    pub fn describe(&self) -> String {
        format!(
            "{}, {}: ours {} / theirs {}",
            self.what,
            self.field_label(),
            self.show(Side::Ours),
            self.show(Side::Theirs)
        )
    }
}

/// A link left out of the merged map because it no longer fits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    pub id: LinkId,
    /// `"Heat pump grants" → "Clean power by 2030"`
    pub what: String,
    pub why: String,
}

/// A card or link their copy added under an id our copy also used for something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renamed {
    /// "card" or "link".
    pub noun: &'static str,
    pub from: String,
    pub to: String,
    pub title: String,
}

/// The result of a merge: the merged map and everything a person should know about it.
#[derive(Clone, Debug)]
pub struct Merged {
    pub map: MissionMap,
    pub conflicts: Vec<Conflict>,
    pub dropped: Vec<Dropped>,
    pub renamed: Vec<Renamed>,
    /// Whether a common base was used (without one, only additions are taken without asking).
    pub base_known: bool,
}

impl Merged {
    /// What their copy brought, as changes to ours: "cards: 2 added, 1 edited; links: 3 added".
    #[must_use]
    pub fn summary(&self, ours: &MissionMap) -> String {
        super::diff::diff(ours, &self.map).summary()
    }
}

// ------------------------------------------------------------------------------------- items

type Items = BTreeMap<Item, Fields>;

fn text(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// Takes a map apart into items and fields.
fn items(map: &MissionMap) -> Items {
    let mut out = Items::new();
    let details: Fields = [
        ("title".to_owned(), text(&map.meta.title)),
        ("description".to_owned(), text(&map.meta.description)),
        ("organisation".to_owned(), text(&map.meta.organisation)),
        ("tolerances".to_owned(), serde_json::to_value(map.tolerances).unwrap_or(Value::Null)),
    ]
    .into();
    out.insert(Item::Details, details);
    for (node, place) in map.nodes_with_placement() {
        out.insert(Item::Card(node.id.clone()), card_fields(node, place));
    }
    for link in map.links() {
        out.insert(Item::Link(link.id.clone()), link_fields(link));
    }
    for (key, d) in &map.dismissals {
        let mut f = Fields::new();
        f.insert("reason".to_owned(), text(&d.reason));
        f.insert("date".to_owned(), serde_json::to_value(d.date).unwrap_or(Value::Null));
        out.insert(Item::Dismissal(key.clone()), f);
    }
    for (name, round) in named(&map.workshop.votes, |r| &r.name) {
        let mut f = Fields::new();
        f.insert("name".to_owned(), text(&round.name));
        f.insert("date".to_owned(), serde_json::to_value(round.date).unwrap_or(Value::Null));
        f.insert("votes each".to_owned(), Value::from(round.votes_each));
        f.insert("participants".to_owned(), Value::from(round.participants));
        for (id, n) in &round.tally {
            f.insert(format!("votes/{id}"), Value::from(*n));
        }
        out.insert(Item::Vote(name), f);
    }
    for (name, idea) in named(&map.workshop.parking, |p| &p.text) {
        let mut f = Fields::new();
        f.insert("text".to_owned(), text(&idea.text));
        f.insert("kind".to_owned(), serde_json::to_value(idea.kind).unwrap_or(Value::Null));
        f.insert("date".to_owned(), serde_json::to_value(idea.date).unwrap_or(Value::Null));
        out.insert(Item::Parked(name), f);
    }
    for (name, a) in named(&map.actions, |a| &a.what) {
        let mut f = Fields::new();
        f.insert("what".to_owned(), text(&a.what));
        f.insert("owner".to_owned(), text(&a.owner));
        f.insert("due".to_owned(), serde_json::to_value(a.due).unwrap_or(Value::Null));
        f.insert("done".to_owned(), Value::Bool(a.done));
        out.insert(Item::Action(name), f);
    }
    for (name, snap) in named(&map.workshop.snapshots, |s| &s.name) {
        let f: Fields = [("snapshot".to_owned(), serde_json::to_value(snap).unwrap_or(Value::Null))].into();
        out.insert(Item::Snapshot(name), f);
    }
    out
}

/// Each entry with a name unique in the list ("Priorities", "Priorities (2)").
fn named<T>(list: &[T], name: impl Fn(&T) -> &String) -> Vec<(String, &T)> {
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

fn card_fields(node: &Node, place: Placement) -> Fields {
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

fn link_fields(link: &Link) -> Fields {
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
fn flatten(path: &str, value: Value, out: &mut Fields) {
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

/// The field that keeps a keyed list item's place in its list.
const AT: &str = "~at";

/// A list whose items each carry a distinct `name` (indicators) or `date` (readings, milestones,
/// decisions) becomes an object keyed `#name`, so two copies that each add or change a different
/// item merge item by item (each item remembers its place). Other lists stay one field.
fn keyed(value: Value) -> Value {
    let Value::Array(items) = value else { return value };
    let key_of = |v: &Value| {
        ["name", "date"]
            .iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
    };
    let keys: Vec<Option<String>> = items.iter().map(key_of).collect();
    let distinct: BTreeSet<&String> = keys.iter().flatten().collect();
    if items.is_empty() || keys.iter().any(Option::is_none) || distinct.len() != items.len() {
        return Value::Array(items);
    }
    let mut obj = serde_json::Map::new();
    for (i, (mut item, key)) in items.into_iter().zip(keys.into_iter().flatten()).enumerate() {
        if let Value::Object(o) = &mut item {
            o.insert(AT.to_owned(), Value::from(i));
        }
        let key = key.replace('%', "%25").replace('.', "%2E");
        obj.insert(format!("#{key}"), item);
    }
    Value::Object(obj)
}

/// Undoes [`keyed`] throughout a rebuilt value: objects keyed `#…` become lists again, in order.
fn unkeyed(value: Value) -> Value {
    match value {
        Value::Object(obj) if !obj.is_empty() && obj.keys().all(|k| k.starts_with('#')) => {
            let mut items: Vec<(u64, String, Value)> = obj
                .into_iter()
                .map(|(k, v)| {
                    let mut v = unkeyed(v);
                    let at = v.as_object_mut().and_then(|o| o.remove(AT)).and_then(|a| a.as_u64()).unwrap_or(u64::MAX);
                    (at, k, v)
                })
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            Value::Array(items.into_iter().map(|(_, _, v)| v).collect())
        }
        Value::Object(obj) => Value::Object(obj.into_iter().map(|(k, v)| (k, unkeyed(v))).collect()),
        other => other,
    }
}

fn unflatten(fields: &Fields, skip: &[&str]) -> Value {
    fn put(obj: &mut serde_json::Map<String, Value>, parts: &[&str], v: &Value) {
        match parts {
            [] => {}
            [last] => {
                obj.insert((*last).to_owned(), v.clone());
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

fn node_from(id: &NodeId, fields: &Fields) -> Option<(Node, Placement)> {
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

fn link_from(id: &LinkId, fields: &Fields) -> Option<Link> {
    let mut v = unflatten(fields, &[]);
    if let Value::Object(obj) = &mut v {
        obj.insert("id".to_owned(), text(id.as_str()));
    }
    serde_json::from_value(v).ok()
}

fn item_noun(item: &Item) -> &'static str {
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
            Some(key) => format!("\u{201c}{}\u{201d}", key.replace("%2E", ".").replace("%25", "%")),
            None if *p == AT => "place in the list".to_owned(),
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
fn describe_item(item: &Item, fields: Option<&Fields>) -> String {
    let title = fields.and_then(|f| f.get("title")).and_then(Value::as_str);
    match item {
        Item::Details => "the map's details".to_owned(),
        Item::Card(id) => match title {
            Some(t) => format!("card \u{201c}{t}\u{201d} ({id})"),
            None => format!("card {id}"),
        },
        Item::Link(id) => format!("link {id}"),
        Item::Dismissal(key) => format!("dismissed finding {key}"),
        Item::Vote(name) => format!("voting round \u{201c}{name}\u{201d}"),
        Item::Parked(t) => format!("parked idea \u{201c}{t}\u{201d}"),
        Item::Snapshot(name) => format!("session snapshot \u{201c}{name}\u{201d}"),
        Item::Action(what) => format!("action \u{201c}{what}\u{201d}"),
    }
}

// ------------------------------------------------------------------------------------- compare

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

fn field_changes(old: &Fields, new: &Fields) -> Vec<FieldChange> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (o, n) = (old.get(k), new.get(k));
            (o != n).then(|| FieldChange { field: k.clone(), old: o.cloned(), new: n.cloned() })
        })
        .collect()
}

// ------------------------------------------------------------------------------------- merge

/// Merges their copy into ours. With `base` (the version both copies were made from) it is a
/// three-way merge: what changed on one side only is taken without asking. Without a base every
/// card and link only one side has is kept, and every difference is a conflict.
///
/// `choices` settles conflicts (ours where it says nothing); run it again with new choices to see
/// the result of each.
#[must_use]
pub fn merge(
    base: Option<&MissionMap>,
    ours: &MissionMap,
    theirs: &MissionMap,
    choices: &BTreeMap<ConflictKey, Side>,
) -> Merged {
    let b = base.map(items).unwrap_or_default();
    let o = items(ours);
    let mut serial = ours.next_serial().max(theirs.next_serial()).max(base.map_or(0, MissionMap::next_serial));
    let (t, renamed) = if base.is_some() {
        rename_clashes(&b, &o, items(theirs), theirs, &mut serial)
    } else {
        (items(theirs), Vec::new())
    };

    let mut merged = Items::new();
    let mut conflicts = Vec::new();
    let keys: BTreeSet<&Item> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    for item in keys {
        let (bf, of, tf) = (b.get(item), o.get(item), t.get(item));
        if let Some(fields) = merge_item(item, bf, of, tf, choices, &mut conflicts) {
            merged.insert(item.clone(), fields);
        }
    }

    // A link one side deleted only because it deleted a card at its end comes back when the card
    // stays (its deletion was a conflict settled for keeping it).
    for (item, bf) in &b {
        if !matches!(item, Item::Link(_)) || merged.contains_key(item) {
            continue;
        }
        let end = |f: &Fields, k: &str| f.get(k).and_then(Value::as_str).and_then(|s| NodeId::new(s).ok());
        let ends: Vec<NodeId> = ["from", "to"].iter().filter_map(|k| end(bf, k)).collect();
        let kept = ends.iter().all(|id| merged.contains_key(&Item::Card(id.clone())));
        for (gone, kept_by) in [(&o, &t), (&t, &o)] {
            let card_gone = ends.iter().any(|id| !gone.contains_key(&Item::Card(id.clone())));
            if kept && card_gone && !gone.contains_key(item) && kept_by.get(item) == Some(bf) {
                merged.insert(item.clone(), bf.clone());
            }
        }
    }
    let sides = Sides { ours, theirs, o: &o, t: &t, choices };
    let (map, dropped) = rebuild(merged, &sides, serial, &mut conflicts);
    Merged { map, conflicts, dropped, renamed, base_known: base.is_some() }
}

/// Merges one item; `None` when it is not in the merged map.
fn merge_item(
    item: &Item,
    b: Option<&Fields>,
    o: Option<&Fields>,
    t: Option<&Fields>,
    choices: &BTreeMap<ConflictKey, Side>,
    conflicts: &mut Vec<Conflict>,
) -> Option<Fields> {
    let mut whole = |ours: Option<&Fields>, theirs: Option<&Fields>| {
        let chosen = choices.get(&(item.clone(), None)).copied().unwrap_or_default();
        conflicts.push(Conflict {
            item: item.clone(),
            field: None,
            what: describe_item(item, ours.or(theirs).or(b)),
            base: b.map(|f| Value::Object(f.clone().into_iter().collect())),
            ours: ours.map(|f| Value::Object(f.clone().into_iter().collect())),
            theirs: theirs.map(|f| Value::Object(f.clone().into_iter().collect())),
            chosen,
        });
        match chosen {
            Side::Ours => ours.cloned(),
            Side::Theirs => theirs.cloned(),
        }
    };
    match (b, o, t) {
        (_, None, None) => None,
        (None, Some(x), None) | (None, None, Some(x)) => Some(x.clone()),
        (Some(b), Some(o), None) => {
            if o == b {
                None
            } else {
                whole(Some(o), None)
            }
        }
        (Some(b), None, Some(t)) => {
            if t == b {
                None
            } else {
                whole(None, Some(t))
            }
        }
        (b, Some(o), Some(t)) => {
            if o == t {
                return Some(o.clone());
            }
            let empty = Fields::new();
            let b = b.unwrap_or(&empty);
            let what = describe_item(item, Some(o));
            let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
            let mut out = Fields::new();
            for k in keys {
                let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
                let v = if ov == tv || tv == bv {
                    ov
                } else if ov == bv {
                    tv
                } else {
                    let key = (item.clone(), Some(k.clone()));
                    let chosen = choices.get(&key).copied().unwrap_or_default();
                    conflicts.push(Conflict {
                        item: item.clone(),
                        field: Some(k.clone()),
                        what: what.clone(),
                        base: bv.cloned(),
                        ours: ov.cloned(),
                        theirs: tv.cloned(),
                        chosen,
                    });
                    if chosen == Side::Ours { ov } else { tv }
                };
                if let Some(v) = v {
                    out.insert(k.clone(), v.clone());
                }
            }
            Some(out)
        }
    }
}

/// Cards (then links) their copy added under an id our copy also added, for something else, get
/// new ids on their side; everything of theirs that names them follows.
fn rename_clashes(
    base: &Items,
    ours: &Items,
    mut theirs: Items,
    their_map: &MissionMap,
    serial: &mut u64,
) -> (Items, Vec<Renamed>) {
    let used = |text: &str, theirs: &Items| {
        let card = NodeId::new(text).ok().map(Item::Card);
        let link = LinkId::new(text).ok().map(Item::Link);
        [base, ours, theirs].iter().any(|m| [&card, &link].into_iter().flatten().any(|i| m.contains_key(i)))
    };
    let mut fresh = |prefix: &str, theirs: &Items| loop {
        let candidate = format!("{prefix}{serial}");
        *serial += 1;
        if !used(&candidate, theirs) {
            return candidate;
        }
    };
    let mut renamed = Vec::new();
    let without_place = |f: &Fields| -> Fields {
        f.iter().filter(|(k, _)| *k != "position" && *k != "pinned").map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let clashing: Vec<NodeId> = theirs
        .iter()
        .filter_map(|(item, tf)| match item {
            Item::Card(id) if !base.contains_key(item) => {
                let of = ours.get(item)?;
                (without_place(of) != without_place(tf)).then(|| id.clone())
            }
            _ => None,
        })
        .collect();
    let mut cards = BTreeMap::<NodeId, NodeId>::new();
    for id in clashing {
        let prefix = their_map.node(&id).map_or("c", |n| n.kind().id_prefix());
        let Ok(new) = NodeId::new(fresh(prefix, &theirs)) else { continue };
        if let Some(f) = theirs.remove(&Item::Card(id.clone())) {
            renamed.push(Renamed {
                noun: "card",
                from: id.to_string(),
                to: new.to_string(),
                title: f.get("title").and_then(Value::as_str).unwrap_or_default().to_owned(),
            });
            theirs.insert(Item::Card(new.clone()), f);
        }
        cards.insert(id, new);
    }
    // Identical cards both sides added are one card: ours decides where it sits.
    for (item, tf) in &mut theirs {
        if let Item::Card(_) = item
            && !base.contains_key(item)
            && let Some(of) = ours.get(item)
        {
            for k in ["position", "pinned"] {
                if let Some(v) = of.get(k) {
                    tf.insert(k.to_owned(), v.clone());
                }
            }
        }
    }
    if !cards.is_empty() {
        let new_id = |text: &str| NodeId::new(text).ok().and_then(|id| cards.get(&id)).cloned();
        theirs = theirs
            .into_iter()
            .map(|(item, f)| {
                let f: Fields = f
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match (&*k, &v) {
                            ("from" | "to", Value::String(s)) => new_id(s).map_or(v, |n| text(n.as_str())),
                            _ => v,
                        };
                        match k.strip_prefix("votes/").and_then(new_id) {
                            Some(n) => (format!("votes/{n}"), v),
                            None => (k, v),
                        }
                    })
                    .collect();
                let item = match item {
                    Item::Dismissal(key) => Item::Dismissal(rename_in_key(&key, &cards)),
                    other => other,
                };
                (item, f)
            })
            .collect();
    }
    // Links: the same, after their ends have their new ids.
    let clashing: Vec<LinkId> = theirs
        .iter()
        .filter_map(|(item, tf)| match item {
            Item::Link(id) if !base.contains_key(item) => ours.get(item).filter(|of| *of != tf).map(|_| id.clone()),
            _ => None,
        })
        .collect();
    for id in clashing {
        let Ok(new) = LinkId::new(fresh("l", &theirs)) else { continue };
        if let Some(f) = theirs.remove(&Item::Link(id.clone())) {
            let end = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            renamed.push(Renamed {
                noun: "link",
                from: id.to_string(),
                to: new.to_string(),
                title: format!("{} \u{2192} {}", end("from"), end("to")),
            });
            theirs.insert(Item::Link(new), f);
        }
    }
    (theirs, renamed)
}

/// `code:i4+i7` with renamed ids put in.
fn rename_in_key(key: &str, cards: &BTreeMap<NodeId, NodeId>) -> String {
    let Some((code, ids)) = key.split_once(':') else { return key.to_owned() };
    let ids: Vec<String> = ids
        .split('+')
        .map(|id| NodeId::new(id).ok().and_then(|id| cards.get(&id)).map_or_else(|| id.to_owned(), ToString::to_string))
        .collect();
    format!("{code}:{}", ids.join("+"))
}

/// Both copies, taken apart, and the choices made so far.
struct Sides<'a> {
    ours: &'a MissionMap,
    theirs: &'a MissionMap,
    o: &'a Items,
    t: &'a Items,
    choices: &'a BTreeMap<ConflictKey, Side>,
}

/// Puts the merged items back together as a map; links that no longer fit are dropped and named.
fn rebuild(
    mut merged: Items,
    sides: &Sides<'_>,
    serial: u64,
    conflicts: &mut Vec<Conflict>,
) -> (MissionMap, Vec<Dropped>) {
    let (ours, theirs) = (sides.ours, sides.theirs);
    let details = merged.remove(&Item::Details).unwrap_or_default();
    let detail = |k: &str| details.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let mut map = MissionMap::new(detail("title"));
    map.meta.description = detail("description");
    map.meta.organisation = detail("organisation");
    if let Some(t) = details.get("tolerances").and_then(|v| serde_json::from_value(v.clone()).ok()) {
        map.tolerances = t;
    }
    map.meta.created = ours.meta.created;
    map.meta.modified = ours.meta.modified.max(theirs.meta.modified);
    map.origin.clone_from(&ours.origin);
    map.reserve_serial(serial);

    // Cards. Fields from two copies that do not make a card together (one side changed its kind)
    // make the whole card a conflict.
    for (item, fields) in &merged {
        let Item::Card(id) = item else { continue };
        let card = node_from(id, fields).or_else(|| {
            conflicts.retain(|c| c.item != *item);
            let chosen = sides.choices.get(&(item.clone(), None)).copied().unwrap_or_default();
            let (of, tf) = (sides.o.get(item), sides.t.get(item));
            let whole = |f: Option<&Fields>| f.map(|f| Value::Object(f.clone().into_iter().collect()));
            conflicts.push(Conflict {
                item: item.clone(),
                field: None,
                what: describe_item(item, of.or(tf)),
                base: None,
                ours: whole(of),
                theirs: whole(tf),
                chosen,
            });
            let pick = if chosen == Side::Ours { of.or(tf) } else { tf.or(of) };
            pick.and_then(|f| node_from(id, f))
        });
        if let Some((node, place)) = card {
            let _ = map.add_node(node, place);
        }
    }

    // Links: ours first, so when both copies drew the same arrow under two ids, ours stays.
    let mut links: Vec<(&Item, &Fields)> = merged.iter().filter(|(i, _)| matches!(i, Item::Link(_))).collect();
    links.sort_by_key(|(i, _)| !sides.o.contains_key(*i));
    let mut dropped = Vec::new();
    for (item, fields) in links {
        let Item::Link(id) = item else { continue };
        let title = |k: &str| {
            let end = fields.get(k).and_then(Value::as_str).unwrap_or_default();
            let t =
                NodeId::new(end).ok().and_then(|n| map.node(&n).or_else(|| ours.node(&n)).or_else(|| theirs.node(&n)));
            t.map_or_else(|| end.to_owned(), |n| format!("\u{201c}{}\u{201d}", n.title))
        };
        let what = format!("{} \u{2192} {}", title("from"), title("to"));
        let result = link_from(id, fields)
            .ok_or_else(|| "the two copies changed it in ways that do not fit together".to_owned())
            .and_then(|link| {
                map.add_link(link).map_err(|e| match e {
                    ModelError::DanglingLink { node, .. } => match ours.node(&node).or_else(|| theirs.node(&node)) {
                        Some(n) => format!("the card at its end, \u{201c}{}\u{201d} ({node}), was deleted", n.title),
                        None => format!("the card at its end ({node}) was deleted"),
                    },
                    ModelError::DuplicateConnection { .. } => "the same link is already there".to_owned(),
                    other => other.to_string(),
                })
            });
        if let Err(why) = result {
            dropped.push(Dropped { id: id.clone(), what, why });
        }
    }
    dropped.sort_by(|a, b| a.id.cmp(&b.id));

    // Routes still fit when the link and both its ends are as that copy had them.
    let fits = |side: &MissionMap, l: &Link, map: &MissionMap| {
        side.link(&l.id).is_some_and(|s| s.from == l.from && s.to == l.to)
            && [&l.from, &l.to].iter().all(|n| side.placement(n) == map.placement(n))
    };
    let routes: Vec<(LinkId, Vec<[f32; 2]>)> = map
        .links()
        .filter_map(|l| {
            [ours, theirs]
                .into_iter()
                .find(|side| side.route(&l.id).is_some() && fits(side, l, &map))
                .and_then(|side| side.route(&l.id).map(|r| (l.id.clone(), r.to_vec())))
        })
        .collect();
    for (id, points) in routes {
        let _ = map.set_route(&id, points);
    }

    // Dismissed findings and the workshop.
    let field = |f: &Fields, k: &str| f.get(k).cloned().unwrap_or(Value::Null);
    let date = |f: &Fields| serde_json::from_value::<Option<NaiveDate>>(field(f, "date")).ok().flatten();
    for (item, f) in &merged {
        if let Item::Dismissal(key) = item {
            let reason = f.get("reason").and_then(Value::as_str).unwrap_or_default().to_owned();
            map.dismissals.insert(key.clone(), Dismissal { reason, date: date(f) });
        }
    }
    let order = |list: fn(&MissionMap) -> Vec<String>| {
        let mut names = list(ours);
        for n in list(theirs) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    };
    let mut workshop = Workshop::default();
    for name in order(|m| named(&m.workshop.votes, |r| &r.name).into_iter().map(|(n, _)| n).collect()) {
        let Some(f) = merged.get(&Item::Vote(name)) else { continue };
        let number = |k: &str| f.get(k).and_then(Value::as_u64).map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
        let tally = f
            .iter()
            .filter_map(|(k, v)| {
                let id = NodeId::new(k.strip_prefix("votes/")?).ok()?;
                Some((id, u32::try_from(v.as_u64()?).ok()?))
            })
            .collect();
        workshop.votes.push(VoteRound {
            name: f.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
            date: date(f),
            votes_each: number("votes each"),
            participants: number("participants"),
            tally,
        });
    }
    for name in order(|m| named(&m.workshop.parking, |p| &p.text).into_iter().map(|(n, _)| n).collect()) {
        let Some(f) = merged.get(&Item::Parked(name)) else { continue };
        workshop.parking.push(ParkedIdea {
            text: f.get("text").and_then(Value::as_str).unwrap_or_default().to_owned(),
            kind: serde_json::from_value::<Option<Kind>>(field(f, "kind")).ok().flatten(),
            date: date(f),
        });
    }
    for name in order(|m| named(&m.workshop.snapshots, |s| &s.name).into_iter().map(|(n, _)| n).collect()) {
        if let Some(snap) = merged
            .get(&Item::Snapshot(name))
            .and_then(|f| serde_json::from_value::<Snapshot>(field(f, "snapshot")).ok())
        {
            workshop.snapshots.push(snap);
        }
    }
    map.workshop = workshop;
    for name in order(|m| named(&m.actions, |a| &a.what).into_iter().map(|(n, _)| n).collect()) {
        let Some(f) = merged.get(&Item::Action(name)) else { continue };
        map.actions.push(crate::model::ActionItem {
            what: f.get("what").and_then(Value::as_str).unwrap_or_default().to_owned(),
            owner: f.get("owner").and_then(Value::as_str).unwrap_or_default().to_owned(),
            due: serde_json::from_value::<Option<NaiveDate>>(field(f, "due")).ok().flatten(),
            done: f.get("done").and_then(Value::as_bool).unwrap_or(false),
        });
    }
    (map, dropped)
}

#[cfg(test)]
mod tests;
