//! One laptop's copy of a shared map in the sync engine (a Yjs document, `yrs`), beside the
//! editor's own map, which stays the truth: our edits are written into the engine field by field,
//! and what others changed comes out as a [`Patch`] for the document.
//!
//! Layout of the shared document (layout 2; any Yjs peer or relay carries it unchanged):
//! - `bases`: the items as they were first shared, many to an entry: `client.clock.n` → JSON text
//!   `{"card i4": {"title": …, "position": […], …}, …}` of about 16 KB. An entry is written once
//!   and never changed; where two carry the same item (two laptops seeding one relay's room at
//!   once) the greatest key's counts, alike on every laptop. The engine spends some 350 bytes of
//!   bookkeeping on every entry it keeps; one entry for many items instead of one for every field
//!   of every card is what keeps a shared 10,000-card map to a few MB in the engine.
//! - `fields`: every field changed since it was first shared: `n:<item key><field path>` (n the
//!   item key's length in bytes; a field path as [`item_fields`] names it: `title`, `position`,
//!   `kind.SubMission.indicators.#k3f.name`…) → the field's value as JSON text, or null where the
//!   field was taken away; the field `~gone` → `true` where the item was deleted. An item is its
//!   base with these on top. Two laptops' edits of different fields are different entries, so both
//!   survive; edits of one field are one entry, which the engine resolves alike everywhere.
//! - `routes`: link id → the link's bend points, x and y of each as little-endian 32-bit floats
//!   (a byte buffer: a laid-out 10,000-card map has some 800,000 points, which as JSON text took
//!   about twice the memory on every laptop);
//! - `meta`: `layout` → `2` (this layout), `order votes` (and parking, snapshots, actions) → the
//!   list's keys in order as JSON, `created` → when the map was made;
//! - `serials`: laptop → the next id number it would hand out (everyone keeps the highest).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;
use yrs::types::EntryChange;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Map, MapRef, Observable, Out, ReadTxn, StateVector, Transact, Update};

use crate::model::merge::{Fields, Item, List, item_fields, list_ids};
use crate::model::patch::{self, Patch};
use crate::model::{LinkId, MissionMap, ModelError};

/// The largest update accepted from a peer (a whole 10,000-card map is about 2.4 MB, 6 MB in the
/// first layout).
pub const MAX_UPDATE: usize = 64 * 1024 * 1024;

/// How long an edit of ours counts as recent: a peer's change to the same field within it is
/// listed under "changed by others".
const RECENT: Duration = Duration::from_mins(2);

/// This layout of the shared document, in `meta`.
const LAYOUT: &str = "2";

/// About how much JSON text one entry of `bases` carries.
const BASE_ENTRY: usize = 16 * 1024;

/// The field that says an item was deleted.
const GONE: &str = "~gone";

/// Why a peer's update was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("the update is {0} bytes, more than the {MAX_UPDATE} a map needs")]
    TooBig(usize),
    #[error("the update could not be read ({0}); it may come from another program or a newer version")]
    Garbled(String),
    #[error("the update could not be applied ({0})")]
    Unapplied(String),
}

/// One of our edits a peer's edit of the same field replaced (the engine keeps one value per field,
/// the same on every laptop).
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    pub item: Item,
    pub field: String,
    pub ours: Value,
    pub theirs: Option<Value>,
    /// The card's title as we had it (to name it once it is deleted).
    pub title: Option<String>,
    /// The name of the list item the field is in (an indicator, a reading), as we had it.
    pub list_item: Option<String>,
}

impl Replaced {
    /// The edit in words, for the person whose edit it was: what, which field, theirs and now.
    #[must_use]
    pub fn describe(&self, map: &MissionMap) -> String {
        let what = match &self.item {
            Item::Card(id) => map.node(id).map_or_else(
                || match self.title.as_deref().or_else(|| self.ours_title()) {
                    Some(t) => format!("\u{201c}{t}\u{201d} (since deleted)"),
                    None => format!("a card since deleted ({id})"),
                },
                |n| format!("\u{201c}{}\u{201d}", n.title),
            ),
            Item::Link(id) => self.title.as_ref().map_or_else(|| format!("link {id}"), |t| format!("link {t}")),
            other => other.key_text(),
        };
        if self.field.is_empty() {
            return format!("{what}: yours, gone with a card another laptop deleted");
        }
        let show = crate::model::merge::show_value;
        // A card's kind is a field of its own (`kind.SubMission`): say which kind, not "{}".
        if let Some(kind) = self.field.strip_prefix("kind.").filter(|k| !k.contains('.')) {
            let now = if self.theirs.is_some() { kind.to_owned() } else { "another kind".to_owned() };
            return format!("{what}, kind: yours was {kind}, now {now}");
        }
        format!(
            "{what}, {}: yours was {}, now {}",
            self.field_words(map),
            show(Some(&self.ours)),
            show(self.theirs.as_ref())
        )
    }

    /// The field in words; an item of a card's list (an indicator, a reading) by its name rather
    /// than its id: `indicator “Waiting list”: target`.
    fn field_words(&self, map: &MissionMap) -> String {
        let Some((prefix, rest)) = self.field.split_once(".#") else {
            return crate::model::merge::field_label(&self.field);
        };
        let tail = rest.split_once('.').map_or("", |(_, t)| t);
        let list = prefix.rsplit('.').next().unwrap_or(prefix);
        let noun = list.strip_suffix('s').unwrap_or(list).replace('_', " ");
        let named = item_fields(map, &self.item)
            .and_then(|f| list_item_name(&f, &self.field))
            .or_else(|| self.list_item.clone())
            .or_else(|| ["name", "title"].contains(&tail).then(|| self.ours.as_str().map(str::to_owned)).flatten());
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        let who =
            named.map_or_else(|| format!("{article} {noun} since removed"), |n| format!("{noun} \u{201c}{n}\u{201d}"));
        if tail.is_empty() { who } else { format!("{who}: {}", crate::model::merge::field_label(tail)) }
    }

    fn ours_title(&self) -> Option<&str> {
        (self.field == "title").then(|| self.ours.as_str()).flatten()
    }
}

#[derive(Default)]
struct Touched {
    items: BTreeSet<String>,
    routes: BTreeSet<String>,
    meta: bool,
    serials: bool,
}

/// Where each item is in the engine, kept by the engine's observers (so that reading one item
/// reads one entry of `bases` and its own changed fields, never the whole map).
#[derive(Default)]
struct Index {
    /// Item key → the entry of `bases` that carries it.
    base: HashMap<Box<str>, Arc<str>>,
    /// Item key → its fields in `fields`.
    changed: HashMap<Box<str>, BTreeSet<Box<str>>>,
}

#[derive(Default)]
struct Shared {
    touched: Touched,
    index: Index,
}

/// The key of an item's field in `fields`.
fn field_key(item: &str, field: &str) -> String {
    format!("{}:{item}{field}", item.len())
}

/// Reads [`field_key`] back; `None` for anything else.
fn split_field_key(key: &str) -> Option<(&str, &str)> {
    let (n, rest) = key.split_once(':')?;
    let n: usize = n.parse().ok()?;
    rest.is_char_boundary(n).then(|| rest.split_at(n))
}

/// A card by its title, a link by its two cards' titles (`“Heat pumps” → “Clean power”`).
fn name_of(map: &MissionMap, item: &Item) -> Option<String> {
    match item {
        Item::Card(id) => map.node(id).map(|n| n.title.clone()),
        Item::Link(id) => {
            let link = map.link(id)?;
            let title = |n: &crate::model::NodeId| map.node(n).map_or_else(|| n.to_string(), |n| n.title.clone());
            Some(format!("{} \u{2192} {}", title(&link.from), title(&link.to)))
        }
        _ => None,
    }
}

/// The name of the list item `field` is in (`kind.SubMission.indicators.#k1.target` → the
/// indicator's name), from the item's `fields`.
fn list_item_name(fields: &Fields, field: &str) -> Option<String> {
    let (prefix, rest) = field.split_once(".#")?;
    let key = rest.split('.').next().unwrap_or(rest);
    ["name", "title", "what", "text"]
        .iter()
        .find_map(|n| fields.get(&format!("{prefix}.#{key}.{n}"))?.as_str().map(str::to_owned))
}

/// Two laptops gave one card two different kinds at once (each cut off from the other, or through
/// a relay, where no host puts its own version back): a card's kind is fields of its own
/// (`kind.Intervention…`, `kind.Partner…`), so the engine kept both, and no laptop could make a
/// card of them — each kept its own kind for good, and a laptop joining later got no card at all.
/// Every laptop now keeps the same one of them (the last by name), and the other laptop is told
/// under "changed by others".
fn one_kind(fields: &mut Fields) {
    let kinds: BTreeSet<&str> =
        fields.keys().filter_map(|k| k.strip_prefix("kind.")).map(|r| r.split('.').next().unwrap_or(r)).collect();
    let Some(keep) = kinds.last().filter(|_| kinds.len() > 1).map(|k| format!("kind.{k}")) else { return };
    let inside = format!("{keep}.");
    fields.retain(|k, _| !k.starts_with("kind.") || *k == keep || k.starts_with(&inside));
}

/// One entry of `bases`, read: each item's fields still as text (only the items wanted are read
/// further).
type Base = (Arc<str>, HashMap<String, Box<serde_json::value::RawValue>>);

/// The most JSON text one item or field may take to be read (far beyond any real card: a whole
/// 10,000-card map is about 6 MB). Larger ones, which only a hostile peer sends, are left out alike
/// on every laptop, and reading one can never take more than a bounded amount of memory.
const MAX_ITEM_TEXT: usize = 8 * 1024 * 1024;

/// New entries of `bases`, written as items come (the whole map is never held twice over).
struct NewBases {
    prefix: String,
    n: u32,
    text: String,
}

impl NewBases {
    /// Entries named `client.clock.n`: `clock` is the laptop's clock before this write, so no two
    /// writes name an entry alike.
    fn new(client: yrs::block::ClientID, clock: u32) -> NewBases {
        NewBases { prefix: format!("{client}.{clock}."), n: 0, text: String::new() }
    }

    fn add(&mut self, key: &str, fields: &Fields, bases: &MapRef, txn: &mut yrs::TransactionMut<'_>) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        self.text.push_str(&json(&Value::String(key.to_owned())));
        self.text.push(':');
        self.text.push_str(&serde_json::to_string(fields).unwrap_or_else(|_| "{}".to_owned()));
        if self.text.len() >= BASE_ENTRY {
            self.finish(bases, txn);
        }
    }

    fn finish(&mut self, bases: &MapRef, txn: &mut yrs::TransactionMut<'_>) {
        if self.text.is_empty() {
            return;
        }
        self.text.push('}');
        bases.insert(txn, format!("{}{}", self.prefix, self.n), std::mem::take(&mut self.text));
        self.n += 1;
    }
}

/// A laptop's copy of the shared map.
pub struct Replica {
    doc: Doc,
    bases: MapRef,
    fields: MapRef,
    routes: MapRef,
    meta: MapRef,
    serials: MapRef,
    shared: Arc<Mutex<Shared>>,
    /// Our map as the engine last had it from us.
    synced: Arc<MissionMap>,
    /// Whether the engine holds the shared map yet (a laptop that joins waits for it).
    ready: bool,
    /// The host's laptop: where a peer's change breaks the map's rules, it writes the map as it
    /// is back, so every laptop ends the same.
    authority: bool,
    /// Items a peer changed that could not be taken yet (a link to a card not yet arrived).
    waiting: BTreeSet<Item>,
    /// Fields we changed lately, and when.
    recent: HashMap<(Item, String), Instant>,
    /// Whether our writes count as recent edits (not while the whole map is first shared: that
    /// is no edit another's change could overrule).
    noting: bool,
}

fn lock(t: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    t.lock().unwrap_or_else(PoisonError::into_inner)
}

fn json(v: &Value) -> String {
    v.to_string()
}

/// A route as the engine keeps it.
fn route_bytes(points: &[[f32; 2]]) -> Arc<[u8]> {
    points.iter().flat_map(|[x, y]| x.to_le_bytes().into_iter().chain(y.to_le_bytes())).collect()
}

/// A route from the engine; `None` for anything but whole pairs of finite floats (a peer's
/// garbled route is dropped, and the link drawn straight, rather than drawn to nowhere).
fn route_points(out: &Out) -> Option<Vec<[f32; 2]>> {
    let Out::Any(yrs::Any::Buffer(b)) = out else { return None };
    if b.len() % 8 != 0 {
        return None;
    }
    let f = |c: &[u8]| c.try_into().ok().map(f32::from_le_bytes).filter(|v: &f32| v.is_finite() && v.abs() < 1.0e7);
    b.chunks_exact(8).map(|c| Some([f(&c[..4])?, f(&c[4..])?])).collect()
}

fn parse(out: &Out) -> Option<Value> {
    match out {
        Out::Any(yrs::Any::String(s)) if s.len() <= MAX_ITEM_TEXT => serde_json::from_str(s).ok(),
        _ => None,
    }
}

impl Replica {
    fn with_doc(doc: Doc, map: Arc<MissionMap>, ready: bool, authority: bool) -> Replica {
        let bases = doc.get_or_insert_map("bases");
        let fields = doc.get_or_insert_map("fields");
        let routes = doc.get_or_insert_map("routes");
        let meta = doc.get_or_insert_map("meta");
        let serials = doc.get_or_insert_map("serials");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let t = Arc::clone(&shared);
        bases.observe("missionboard", move |txn, e| {
            let mut s = lock(&t);
            let s = &mut *s;
            for (entry, change) in e.keys(txn) {
                let (EntryChange::Inserted(Out::Any(yrs::Any::String(text)))
                | EntryChange::Updated(_, Out::Any(yrs::Any::String(text)))) = change
                else {
                    continue;
                };
                // Only the items' keys are read here; their fields when they are wanted.
                #[allow(clippy::zero_sized_map_values, reason = "the values are skipped, not kept")]
                let Ok(items) = serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(text) else {
                    continue;
                };
                for item in items.into_keys() {
                    if s.index.base.get(item.as_str()).is_none_or(|had| **had < **entry) {
                        s.index.base.insert(item.as_str().into(), Arc::clone(entry));
                    }
                    s.touched.items.insert(item);
                }
            }
        });
        let t = Arc::clone(&shared);
        fields.observe("missionboard", move |txn, e| {
            let mut s = lock(&t);
            let s = &mut *s;
            for (key, change) in e.keys(txn) {
                let Some((item, field)) = split_field_key(key) else { continue };
                if let EntryChange::Removed(_) = change {
                    if let Some(set) = s.index.changed.get_mut(item) {
                        set.remove(field);
                        if set.is_empty() {
                            s.index.changed.remove(item);
                        }
                    }
                } else {
                    s.index.changed.entry(item.into()).or_default().insert(field.into());
                }
                s.touched.items.insert(item.to_owned());
            }
        });
        let t = Arc::clone(&shared);
        routes.observe("missionboard", move |txn, e| {
            lock(&t).touched.routes.extend(e.keys(txn).keys().map(ToString::to_string));
        });
        let t = Arc::clone(&shared);
        meta.observe("missionboard", move |_, _| lock(&t).touched.meta = true);
        let t = Arc::clone(&shared);
        serials.observe("missionboard", move |_, _| lock(&t).touched.serials = true);
        Replica {
            doc,
            bases,
            fields,
            routes,
            meta,
            serials,
            shared,
            synced: map,
            ready,
            authority,
            waiting: BTreeSet::new(),
            recent: HashMap::new(),
            noting: true,
        }
    }

    /// Writes what the shared map says of itself: when it was made, and this layout.
    fn write_meta(&self, map: &MissionMap) {
        let created = json(&serde_json::to_value(map.meta.created).unwrap_or(Value::Null));
        let mut txn = self.doc.transact_mut();
        self.meta.insert(&mut txn, "created", created);
        self.meta.insert(&mut txn, "layout", LAYOUT);
    }

    /// The host's copy: the whole map written into a new shared document.
    #[must_use]
    pub fn host(map: &Arc<MissionMap>, client_id: u64) -> Replica {
        let mut r = Replica::with_doc(Doc::with_client_id(client_id), Arc::new(MissionMap::new("")), true, true);
        r.write_meta(map);
        // Sharing the map is not an edit of ours that another's change could overrule.
        r.noting = false;
        let _ = r.local(map);
        r.noting = true;
        r
    }

    /// Puts our whole map into a shared document that turned out empty (the first laptop in a
    /// relay's room); returns the update to send.
    pub fn seed(&mut self, map: &Arc<MissionMap>) -> Option<Vec<u8>> {
        let before = self.doc.transact().state_vector();
        self.write_meta(map);
        self.synced = Arc::new(MissionMap::new(""));
        self.ready = true;
        self.noting = false;
        let _ = self.local(map);
        self.noting = true;
        let txn = self.doc.transact();
        Some(txn.encode_state_as_update_v1(&before)).filter(|u| u.len() > 2)
    }

    /// A joining laptop's copy: empty until the shared map arrives.
    #[must_use]
    pub fn joiner(client_id: u64) -> Replica {
        Replica::with_doc(Doc::with_client_id(client_id), Arc::new(MissionMap::new("")), false, false)
    }

    /// The sync engine's document (for the sync protocol and presence).
    #[must_use]
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Whether the shared map has arrived.
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// Makes this laptop the one whose map is the record (it writes the map back where a peer's
    /// change breaks its rules).
    pub fn set_authority(&mut self, on: bool) {
        self.authority = on;
    }

    /// What this copy has, to ask a peer for the rest.
    #[must_use]
    pub fn state_vector(&self) -> StateVector {
        self.doc.transact().state_vector()
    }

    /// Everything this copy has that a peer with `sv` lacks.
    #[must_use]
    pub fn missing_for(&self, sv: &StateVector) -> Vec<u8> {
        self.doc.transact().encode_state_as_update_v1(sv)
    }

    /// Writes what changed in our map since the last call into the engine; returns the update to
    /// send to peers, if anything changed.
    pub fn local(&mut self, map: &Arc<MissionMap>) -> Option<Vec<u8>> {
        if !self.ready || Arc::ptr_eq(&self.synced, map) {
            return None;
        }
        let items = patch::changed_items(&self.synced, map);
        let routes = patch::changed_routes(&self.synced, map);
        let orders = patch::changed_orders(&self.synced, map);
        let serial = (self.synced.next_serial() != map.next_serial()).then(|| map.next_serial());
        let update = self.write(map, &items, &routes, &orders, serial);
        self.synced = Arc::clone(map);
        update
    }

    /// An item as the engine holds it: its fields (its base with the changes on top; `None` where
    /// the engine has none) and whether it was deleted. `base` keeps the entry of `bases` last
    /// read, so that items read in [`Self::in_base_order`] read each entry once.
    fn view<T: ReadTxn>(&self, txn: &T, key: &str, base: &mut Option<Base>) -> (Option<Fields>, bool) {
        let (entry, changed) = {
            let s = lock(&self.shared);
            let changed: Vec<Box<str>> =
                s.index.changed.get(key).map(|c| c.iter().cloned().collect()).unwrap_or_default();
            (s.index.base.get(key).cloned(), changed)
        };
        let mut fields: Option<Fields> = None;
        if let Some(entry) = entry {
            if base.as_ref().is_none_or(|(had, _)| *had != entry) {
                let items = match self.bases.get(txn, &entry) {
                    Some(Out::Any(yrs::Any::String(text))) => serde_json::from_str(&text).unwrap_or_default(),
                    _ => HashMap::new(),
                };
                *base = Some((Arc::clone(&entry), items));
            }
            if let Some((_, items)) = base.as_ref()
                && let Some(raw) = items.get(key).filter(|r| r.get().len() <= MAX_ITEM_TEXT)
            {
                fields = serde_json::from_str::<Fields>(raw.get()).ok();
            }
        }
        let mut gone = false;
        for field in changed {
            let value = self.fields.get(txn, &field_key(key, &field));
            if &*field == GONE {
                gone = value.and_then(|v| parse(&v)) == Some(Value::Bool(true));
                continue;
            }
            match &value {
                // Taken away.
                Some(Out::Any(yrs::Any::Null)) => {
                    if let Some(f) = fields.as_mut() {
                        f.remove(&*field);
                    }
                }
                Some(v) => {
                    // A value no laptop can read (not JSON, or larger than any real field) is
                    // passed over alike everywhere.
                    if let Some(v) = parse(v) {
                        fields.get_or_insert_default().insert(field.into(), v);
                    }
                }
                None => {}
            }
        }
        if key.starts_with("card ")
            && let Some(f) = fields.as_mut()
        {
            one_kind(f);
        }
        (fields, gone)
    }

    /// `items` grouped by the entry of `bases` that carries them (each entry is then read once).
    fn in_base_order(&self, items: impl IntoIterator<Item = Item>) -> Vec<Item> {
        let s = lock(&self.shared);
        let mut items: Vec<(Option<Arc<str>>, Item)> =
            items.into_iter().map(|i| (s.index.base.get(i.key_text().as_str()).cloned(), i)).collect();
        drop(s);
        items.sort();
        items.into_iter().map(|(_, i)| i).collect()
    }

    fn write(
        &mut self,
        map: &MissionMap,
        items: &[Item],
        routes: &[LinkId],
        orders: &[List],
        serial: Option<u64>,
    ) -> Option<Vec<u8>> {
        let now = Instant::now();
        let client = self.doc.client_id();
        let items = self.in_base_order(items.iter().cloned());
        let update = {
            let mut txn = self.doc.transact_mut();
            let mut base = None;
            // Items the engine has never had go into new entries of `bases`, many to an entry.
            let mut new = NewBases::new(client, txn.state_vector().get(&client));
            for item in items {
                let key = item.key_text();
                let want = item_fields(map, &item);
                let (have, gone) = self.view(&txn, &key, &mut base);
                match (want, have) {
                    (None, Some(_)) if !gone => {
                        let changed: Vec<Box<str>> = lock(&self.shared)
                            .index
                            .changed
                            .get(key.as_str())
                            .map(|c| c.iter().cloned().collect())
                            .unwrap_or_default();
                        for field in changed.iter().filter(|f| ***f != *GONE) {
                            self.fields.remove(&mut txn, &field_key(&key, field));
                        }
                        self.fields.insert(&mut txn, field_key(&key, GONE), "true");
                    }
                    (None, _) => {}
                    (Some(fields), None) => {
                        for k in fields.keys().filter(|_| self.noting) {
                            self.recent.insert((item.clone(), k.clone()), now);
                        }
                        if gone {
                            self.fields.insert(&mut txn, field_key(&key, GONE), "false");
                        }
                        new.add(&key, &fields, &self.bases, &mut txn);
                    }
                    (Some(fields), Some(old)) => {
                        if gone {
                            self.fields.insert(&mut txn, field_key(&key, GONE), "false");
                        }
                        for (k, v) in &fields {
                            if old.get(k) != Some(v) {
                                self.recent.insert((item.clone(), k.clone()), now);
                                self.fields.insert(&mut txn, field_key(&key, k), json(v));
                            }
                        }
                        for k in old.keys().filter(|k| !fields.contains_key(*k)) {
                            self.recent.insert((item.clone(), k.clone()), now);
                            self.fields.insert(&mut txn, field_key(&key, k), yrs::Any::Null);
                        }
                    }
                }
            }
            new.finish(&self.bases, &mut txn);
            for id in routes {
                match map.route(id) {
                    Some(points) => {
                        let bytes = route_bytes(points);
                        let same = matches!(self.routes.get(&txn, id.as_str()), Some(Out::Any(yrs::Any::Buffer(b))) if b == bytes);
                        if !same {
                            self.routes.insert(&mut txn, id.as_str(), yrs::Any::Buffer(bytes));
                        }
                    }
                    None => {
                        if self.routes.get(&txn, id.as_str()).is_some() {
                            self.routes.remove(&mut txn, id.as_str());
                        }
                    }
                }
            }
            for &list in orders {
                let key = format!("order {}", list.name());
                let text = json(&Value::from(list_ids(map, list)));
                if self.meta.get(&txn, &key).and_then(|o| parse(&o)).map(|v| json(&v)) != Some(text.clone()) {
                    self.meta.insert(&mut txn, key, text);
                }
            }
            if let Some(serial) = serial {
                self.serials.insert(&mut txn, client.to_string(), serial.to_string());
            }
            let update = txn.encode_update_v1();
            drop(txn);
            update
        };
        // Our own writes are not news.
        lock(&self.shared).touched = Touched::default();
        self.recent.retain(|_, t| now.duration_since(*t) < RECENT);
        // An update that carries nothing is two bytes.
        (update.len() > 2).then_some(update)
    }

    /// Takes a peer's update into the engine, and says how our map must change to match it
    /// (cards, links and fields only it changed). `map` is our map now.
    ///
    /// # Errors
    /// The update is too big or does not decode; nothing was changed.
    pub fn receive(&mut self, update: &[u8], map: &MissionMap) -> Result<(Patch, Vec<Replaced>), Refusal> {
        if update.len() > MAX_UPDATE {
            return Err(Refusal::TooBig(update.len()));
        }
        // A decoder must never take the app down, whatever arrives.
        let decoded = std::panic::catch_unwind(|| Update::decode_v1(update))
            .map_err(|_| Refusal::Garbled("the decoder stopped".to_owned()))?
            .map_err(|e| Refusal::Garbled(e.to_string()))?;
        {
            let mut txn = self.doc.transact_mut_with("peer");
            txn.apply_update(decoded).map_err(|e| Refusal::Unapplied(e.to_string()))?;
        }
        let other_version = {
            let txn = self.doc.transact();
            let layout = self.meta.get(&txn, "layout").map(|o| o.to_string(&txn));
            // Versions before layout 2 kept every item in a map of its own under `items`.
            let older = txn.get_map("items").is_some_and(|m| m.len(&txn) > 0);
            older || layout.is_some_and(|l| l != LAYOUT)
        };
        if other_version {
            return Err(Refusal::Unapplied(
                "the live map was shared by another version of Missionboard; every laptop needs the same version"
                    .to_owned(),
            ));
        }
        let first = !self.ready;
        self.ready = true;
        Ok(self.take_touched(map, first))
    }

    /// The changes that bring `map` to what the engine holds for everything peers touched.
    fn take_touched(&mut self, map: &MissionMap, everything: bool) -> (Patch, Vec<Replaced>) {
        let touched = std::mem::take(&mut lock(&self.shared).touched);
        let mut keys: BTreeSet<Item> = std::mem::take(&mut self.waiting);
        if everything {
            let s = lock(&self.shared);
            let all = s.index.base.keys().chain(s.index.changed.keys());
            keys.extend(all.filter_map(|k| Item::from_key_text(k)));
        }
        keys.extend(touched.items.iter().filter_map(|k| Item::from_key_text(k)));
        let keys = self.in_base_order(keys);
        let txn = self.doc.transact();
        let mut base = None;
        let mut out = Patch::default();
        let mut replaced = Vec::new();
        let now = Instant::now();
        for item in keys {
            let (fields, gone) = self.view(&txn, &item.key_text(), &mut base);
            let theirs = fields.filter(|_| !gone);
            let ours = item_fields(map, &item);
            if theirs == ours {
                continue;
            }
            if let Some(ours) = &ours {
                for (field, value) in ours {
                    let recent = self
                        .recent
                        .get(&(item.clone(), field.clone()))
                        .is_some_and(|t| now.duration_since(*t) < RECENT);
                    let other = theirs.as_ref().and_then(|t| t.get(field));
                    if recent && other != Some(value) {
                        replaced.push(Replaced {
                            item: item.clone(),
                            field: field.clone(),
                            ours: value.clone(),
                            theirs: other.cloned(),
                            title: name_of(map, &item),
                            list_item: list_item_name(ours, field),
                        });
                    }
                }
            }
            out.items.push((item, theirs));
        }
        let route_ids: Vec<String> = if everything {
            self.routes.keys(&txn).map(str::to_owned).collect()
        } else {
            touched.routes.into_iter().collect()
        };
        for id in route_ids {
            let Ok(link) = LinkId::new(id.as_str()) else { continue };
            let points: Option<Vec<[f32; 2]>> = self.routes.get(&txn, &id).and_then(|o| route_points(&o));
            if map.route(&link) != points.as_deref() {
                out.routes.push((link, points));
            }
        }
        if touched.meta || everything {
            for list in List::ALL {
                let order: Option<Vec<String>> = self
                    .meta
                    .get(&txn, &format!("order {}", list.name()))
                    .and_then(|o| parse(&o))
                    .and_then(|v| serde_json::from_value(v).ok());
                if let Some(order) = order.filter(|o| *o != list_ids(map, list)) {
                    out.orders.insert(list, order);
                }
            }
        }
        if touched.serials || everything {
            let high = self.serials.iter(&txn).filter_map(|(_, v)| parse(&v)?.as_u64()).max();
            if let Some(high) = high.filter(|&h| h > map.next_serial()) {
                out.serial = Some(high);
            }
        }
        (out, replaced)
    }

    /// After our map took a peer's patch: notes what it refused, and writes back whatever our map
    /// now says differently from the engine (what it refused, when we are the record; routes a
    /// move dropped; what the patch took with it). Returns the update to send, if any, and our own
    /// recent cards and links the patch took away besides what it says (a link of ours to a card
    /// another laptop deleted), to list under "changed by others" with the field empty (the whole
    /// item).
    pub fn settle(
        &mut self,
        map: &Arc<MissionMap>,
        patch: &Patch,
        refused: &[(Item, ModelError)],
    ) -> (Option<Vec<u8>>, Vec<Replaced>) {
        let refused_items: Vec<Item> = refused.iter().map(|(i, _)| i.clone()).collect();
        let mut items: BTreeSet<Item> = patch.items.iter().map(|(i, _)| i.clone()).collect();
        // What the patch changed besides itself: a card another laptop deleted takes its links
        // with it here. Written down (the link gone), so that if the card comes back (an undo) the
        // engine does not still hold links some laptops dropped and others kept.
        let besides: Vec<Item> =
            patch::changed_items(&self.synced, map).into_iter().filter(|i| !items.contains(i)).collect();
        let now = Instant::now();
        let gone: Vec<Replaced> = besides
            .iter()
            .filter(|i| item_fields(map, i).is_none())
            .filter(|i| self.recent.iter().any(|((r, _), t)| r == *i && now.duration_since(*t) < RECENT))
            .map(|item| Replaced {
                title: name_of(&self.synced, item),
                list_item: None,
                ours: Value::Bool(true),
                theirs: None,
                field: String::new(),
                item: item.clone(),
            })
            .collect();
        items.extend(besides);
        if self.authority {
            // The record puts its own version back: every laptop ends with a map that keeps the rules.
            items.extend(refused_items);
        } else {
            // Tried again with the next update (the card a link needs may be on its way).
            for i in refused_items {
                items.remove(&i);
                self.waiting.insert(i);
            }
        }
        let items: Vec<Item> = items.into_iter().collect();
        let mut routes: BTreeSet<LinkId> = patch.routes.iter().map(|(id, _)| id.clone()).collect();
        routes.extend(patch::changed_routes(&self.synced, map));
        let routes: Vec<LinkId> = routes.into_iter().collect();
        let mut orders: BTreeSet<List> = patch.orders.keys().copied().collect();
        orders.extend(patch::changed_orders(&self.synced, map));
        let orders: Vec<List> = orders.into_iter().collect();
        let update = self.write(map, &items, &routes, &orders, None);
        self.synced = Arc::clone(map);
        (update, gone)
    }

    /// An empty map with what the shared map says of itself (when it was made): what a joining
    /// laptop starts from.
    #[must_use]
    pub fn blank_map(&self) -> MissionMap {
        let mut map = MissionMap::new("");
        let txn = self.doc.transact();
        if let Some(created) =
            self.meta.get(&txn, "created").and_then(|o| parse(&o)).and_then(|v| serde_json::from_value(v).ok())
        {
            map.meta.created = created;
            map.meta.modified = created;
        }
        map
    }

    /// The whole shared map as the engine holds it, built afresh (what a laptop joining now gets).
    #[must_use]
    pub fn whole_map(&mut self) -> MissionMap {
        let mut map = self.blank_map();
        let waiting = self.waiting.clone();
        let touched = std::mem::take(&mut lock(&self.shared).touched);
        let (patch, _) = self.take_touched(&map, true);
        lock(&self.shared).touched = touched;
        self.waiting = waiting;
        let _ = patch::apply(&mut map, &patch);
        map
    }

    /// Starts from `map` as the engine's map (a laptop that joined and took the shared map).
    pub fn adopt(&mut self, map: &Arc<MissionMap>) {
        self.synced = Arc::clone(map);
        self.ready = true;
    }

    /// The number of items in the shared map.
    #[must_use]
    pub fn item_count(&self) -> u32 {
        let s = lock(&self.shared);
        let only_changed = s.index.changed.keys().filter(|k| !s.index.base.contains_key(*k)).count();
        u32::try_from(s.index.base.len() + only_changed).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests;
