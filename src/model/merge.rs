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

mod compare;
mod items;
mod lists;
mod unresolved;

pub use compare::{Changed, Comparison, FieldChange, compare};
pub use items::{Items, card_fields, field_label, item_fields, items, link_fields, link_from, node_from, show_value};
use items::{describe_item, item_noun, named, text};
use lists::{merge_fields, merge_order};
pub use unresolved::{Unresolved, resolve};

use super::workshop::{ParkedIdea, Snapshot, VoteRound, Workshop};
use super::{Dismissal, Kind, Link, LinkId, MissionMap, ModelError, NodeId};

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

impl Item {
    /// The item as written in a file: `card i4`, `link l3`, `map`.
    #[must_use]
    pub fn key_text(&self) -> String {
        match self {
            Item::Details => "map".to_owned(),
            Item::Card(id) => format!("card {id}"),
            Item::Link(id) => format!("link {id}"),
            Item::Dismissal(k) => format!("dismissal {k}"),
            Item::Vote(id) => format!("vote {id}"),
            Item::Parked(id) => format!("parked {id}"),
            Item::Snapshot(n) => format!("snapshot {n}"),
            Item::Action(id) => format!("action {id}"),
        }
    }

    /// Reads [`Self::key_text`] back.
    #[must_use]
    pub fn from_key_text(text: &str) -> Option<Item> {
        if text == "map" {
            return Some(Item::Details);
        }
        let (kind, rest) = text.split_once(' ')?;
        Some(match kind {
            "card" => Item::Card(NodeId::new(rest).ok()?),
            "link" => Item::Link(LinkId::new(rest).ok()?),
            "dismissal" => Item::Dismissal(rest.to_owned()),
            "vote" => Item::Vote(rest.to_owned()),
            "parked" => Item::Parked(rest.to_owned()),
            "snapshot" => Item::Snapshot(rest.to_owned()),
            "action" => Item::Action(rest.to_owned()),
            _ => return None,
        })
    }
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
    /// The field as people say it (`decision of 2026-12-05: why`); empty for the whole item.
    pub label: String,
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
        match self.field.as_deref() {
            None => format!("the whole {}", item_noun(&self.item)),
            Some(_) if !self.label.is_empty() => self.label.clone(),
            Some(f) => field_label(f),
        }
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
        let cards = super::diff::diff(ours, &self.map);
        // Everything else that changed (the map's details and tolerances, actions, voting rounds,
        // parked ideas, snapshots, dismissals), counted by kind, so "no changes" is never said
        // when something changed.
        let mut others: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
        for c in compare(ours, &self.map).other {
            if c.item == Item::Details && cards.details_changed {
                continue;
            }
            let how = if !c.fields.is_empty() {
                "changed"
            } else if c.what.ends_with("newer map)") {
                "added"
            } else {
                "removed"
            };
            *others.entry((item_noun(&c.item), how)).or_default() += 1;
        }
        let mut parts: Vec<String> = Vec::new();
        if !cards.is_empty() {
            parts.push(cards.summary());
        }
        for ((noun, how), n) in others {
            parts.push(match (noun, n) {
                ("map details", _) => "map details changed".to_owned(),
                (_, 1) => format!("1 {noun} {how}"),
                (_, n) => format!("{n} {noun}s {how}"),
            });
        }
        if parts.is_empty() { "no changes".to_owned() } else { parts.join("; ") }
    }
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
    // Items read from older files, or made by code that gave no id, get ids derived from what
    // they say: the same in every copy.
    let (base, ours, theirs) = (base.map(with_ids), with_ids(ours), with_ids(theirs));
    let (base, ours, theirs) = (base.as_deref(), &*ours, &*theirs);
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
    // A link one copy added or changed whose card the other deleted: keeping the link means keeping
    // the card, so the card's deletion is a conflict like an edit of a deleted card.
    let links: Vec<(Item, Fields)> =
        merged.iter().filter(|(i, _)| matches!(i, Item::Link(_))).map(|(i, f)| (i.clone(), f.clone())).collect();
    for (item, f) in links {
        if b.get(&item) == Some(&f) {
            continue;
        }
        for end in ["from", "to"] {
            let Some(card) = f.get(end).and_then(Value::as_str).and_then(|s| NodeId::new(s).ok()) else { continue };
            let card = Item::Card(card);
            if merged.contains_key(&card) || conflicts.iter().any(|c| c.item == card && c.field.is_none()) {
                continue;
            }
            let (of, tf) = (o.get(&card), t.get(&card));
            if of.is_none() && tf.is_none() {
                continue;
            }
            let whole = |f: Option<&Fields>| f.map(|f| Value::Object(f.clone().into_iter().collect()));
            let chosen = choices.get(&(card.clone(), None)).copied().unwrap_or_default();
            conflicts.push(Conflict {
                item: card.clone(),
                field: None,
                what: describe_item(&card, of.or(tf)),
                label: String::new(),
                base: whole(b.get(&card)),
                ours: whole(of),
                theirs: whole(tf),
                chosen,
            });
            if let Some(fields) = if chosen == Side::Ours { of } else { tf } {
                merged.insert(card, fields.clone());
            }
        }
    }
    let sides = Sides { ours, theirs, b: &b, o: &o, t: &t, choices };
    let (mut map, dropped) = rebuild(merged, &sides, serial, &mut conflicts);
    // What neither copy settled before travels with the file, and so does every conflict now.
    map.unresolved.clone_from(&ours.unresolved);
    for u in &theirs.unresolved {
        if !map.unresolved.contains(u) {
            map.unresolved.push(u.clone());
        }
    }
    for c in &conflicts {
        let u = Unresolved::from_conflict(c);
        if !map.unresolved.contains(&u) {
            map.unresolved.push(u);
        }
    }
    for d in &dropped {
        // Taking theirs puts the link back (once the card at its end is back).
        let link = Item::Link(d.id.clone());
        let fields = t.get(&link).or_else(|| o.get(&link));
        let u = Unresolved {
            item: link.key_text(),
            field: None,
            what: format!("link {} {}, left out: {}", d.id, d.what, d.why),
            ours: "null".to_owned(),
            theirs: fields
                .map_or_else(|| "null".to_owned(), |f| Value::Object(f.clone().into_iter().collect()).to_string()),
        };
        if !map.unresolved.contains(&u) {
            map.unresolved.push(u);
        }
    }
    Merged { map, conflicts, dropped, renamed, base_known: base.is_some() }
}

/// The map with an id on every list item (a copy only when one was missing).
fn with_ids(map: &MissionMap) -> std::borrow::Cow<'_, MissionMap> {
    if crate::model::listed::all_have_ids(map) {
        std::borrow::Cow::Borrowed(map)
    } else {
        let mut map = map.clone();
        crate::model::listed::fill_map(&mut map, crate::model::listed::How::Derived);
        std::borrow::Cow::Owned(map)
    }
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
            label: String::new(),
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
            Some(merge_fields(item, b.unwrap_or(&empty), o, t, choices, conflicts))
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
    // Identical cards both sides added stay one card; if they sit in different places, where is a
    // conflict like any other (ours unless chosen), so merging stays symmetric.
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
    b: &'a Items,
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
                label: String::new(),
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

    let mut links: Vec<(&Item, &Fields)> = merged.iter().filter(|(i, _)| matches!(i, Item::Link(_))).collect();
    // When two links join the same cards, the one the base had stays, else the one with the
    // smaller id: the same whichever copy is ours.
    links.sort_by(|(a, _), (b, _)| sides.b.contains_key(*b).cmp(&sides.b.contains_key(*a)).then_with(|| a.cmp(b)));
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

    // Dismissed findings and the workshop. Lists of the map itself, by id: ours' order, then
    // theirs' new items where they put them.
    put_parts(&mut map, &merged, &|list, keep| merge_order(&list_ids(ours, list), &list_ids(theirs, list), keep));
    (map, dropped)
}

/// The lists of a map that are kept item by item (their items' keys in order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum List {
    Votes,
    Parking,
    Snapshots,
    Actions,
}

impl List {
    pub const ALL: [List; 4] = [List::Votes, List::Parking, List::Snapshots, List::Actions];

    /// The name of the list, as sync engines and files name it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            List::Votes => "votes",
            List::Parking => "parking",
            List::Snapshots => "snapshots",
            List::Actions => "actions",
        }
    }
}

/// The keys of a list's items, in the map's order (as [`Item`]s name them).
#[must_use]
pub fn list_ids(map: &MissionMap, list: List) -> Vec<String> {
    match list {
        List::Votes => map.workshop.votes.iter().map(|r| r.id.to_string()).collect(),
        List::Parking => map.workshop.parking.iter().map(|p| p.id.to_string()).collect(),
        List::Snapshots => named(&map.workshop.snapshots, |s| &s.name).into_iter().map(|(n, _)| n).collect(),
        List::Actions => map.actions.iter().map(|a| a.id.to_string()).collect(),
    }
}

/// Puts dismissals, the workshop (voting rounds, parked ideas, snapshots) and the action list back
/// into `map` from items; `order` gives each list's keys in order from the keys that are kept.
pub(crate) fn put_parts(map: &mut MissionMap, merged: &Items, order: &dyn Fn(List, &BTreeSet<String>) -> Vec<String>) {
    map.dismissals.clear();
    map.actions.clear();
    let field = |f: &Fields, k: &str| f.get(k).cloned().unwrap_or(Value::Null);
    let date = |f: &Fields| serde_json::from_value::<Option<NaiveDate>>(field(f, "date")).ok().flatten();
    for (item, f) in merged {
        if let Item::Dismissal(key) = item {
            let reason = f.get("reason").and_then(Value::as_str).unwrap_or_default().to_owned();
            map.dismissals.insert(key.clone(), Dismissal { reason, date: date(f) });
        }
    }
    let kept = |f: fn(&Item) -> Option<&String>| -> BTreeSet<String> { merged.keys().filter_map(f).cloned().collect() };
    let id_of = |text: &str| crate::model::ItemId::parse(text).unwrap_or_default();
    let mut workshop = Workshop::default();
    let keep = kept(|i| if let Item::Vote(id) = i { Some(id) } else { None });
    for id in order(List::Votes, &keep) {
        let Some(f) = merged.get(&Item::Vote(id.clone())) else { continue };
        let number = |k: &str| f.get(k).and_then(Value::as_u64).map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
        let tally = f
            .iter()
            .filter_map(|(k, v)| {
                let id = NodeId::new(k.strip_prefix("votes/")?).ok()?;
                Some((id, u32::try_from(v.as_u64()?).ok()?))
            })
            .collect();
        workshop.votes.push(VoteRound {
            id: id_of(&id),
            name: f.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(),
            date: date(f),
            votes_each: number("votes each"),
            participants: number("participants"),
            tally,
        });
    }
    let keep = kept(|i| if let Item::Parked(id) = i { Some(id) } else { None });
    for id in order(List::Parking, &keep) {
        let Some(f) = merged.get(&Item::Parked(id.clone())) else { continue };
        workshop.parking.push(ParkedIdea {
            id: id_of(&id),
            text: f.get("text").and_then(Value::as_str).unwrap_or_default().to_owned(),
            kind: serde_json::from_value::<Option<Kind>>(field(f, "kind")).ok().flatten(),
            date: date(f),
            from: f.get("from").and_then(Value::as_str).map(str::to_owned),
            sent: serde_json::from_value::<Option<chrono::NaiveDateTime>>(field(f, "sent")).ok().flatten(),
        });
    }
    let keep = kept(|i| if let Item::Snapshot(n) = i { Some(n) } else { None });
    for name in order(List::Snapshots, &keep) {
        if let Some(snap) = merged
            .get(&Item::Snapshot(name))
            .and_then(|f| serde_json::from_value::<Snapshot>(field(f, "snapshot")).ok())
        {
            workshop.snapshots.push(snap);
        }
    }
    map.workshop = workshop;
    let keep = kept(|i| if let Item::Action(id) = i { Some(id) } else { None });
    for id in order(List::Actions, &keep) {
        let Some(f) = merged.get(&Item::Action(id.clone())) else { continue };
        map.actions.push(crate::model::ActionItem {
            id: id_of(&id),
            what: f.get("what").and_then(Value::as_str).unwrap_or_default().to_owned(),
            owner: f.get("owner").and_then(Value::as_str).unwrap_or_default().to_owned(),
            due: serde_json::from_value::<Option<NaiveDate>>(field(f, "due")).ok().flatten(),
            done: f.get("done").and_then(Value::as_bool).unwrap_or(false),
        });
    }
}

#[cfg(test)]
mod tests;
