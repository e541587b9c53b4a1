//! One laptop's copy of a shared map in the sync engine (a Yjs document, `yrs`), beside the
//! editor's own map, which stays the truth: our edits are written into the engine field by field,
//! and what others changed comes out as a [`Patch`] for the document.
//!
//! Layout of the shared document (any Yjs peer or relay carries it unchanged):
//! - `items`: one entry per item of the map (`card i4`, `link l3`, `map`, `vote …`: see
//!   [`Item::key_text`]), each a map from field path (`title`, `position`,
//!   `kind.SubMission.indicators.#k3f.name`…) to the field's value as JSON text;
//! - `routes`: link id → the link's bend points, x and y of each as little-endian 32-bit floats
//!   (a byte buffer: a laid-out 10,000-card map has some 800,000 points, which as JSON text took
//!   about twice the memory on every laptop);
//! - `meta`: `order votes` (and parking, snapshots, actions) → the list's keys in order as JSON,
//!   `created` → when the map was made;
//! - `serials`: laptop → the next id number it would hand out (everyone keeps the highest).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::Value;
use yrs::types::{Event, PathSegment};
use yrs::updates::decoder::Decode;
use yrs::{DeepObservable, Doc, Map, MapPrelim, MapRef, Observable, Out, ReadTxn, StateVector, Transact, Update};

use crate::model::merge::{Fields, Item, List, item_fields, list_ids};
use crate::model::patch::{self, Patch};
use crate::model::{LinkId, MissionMap, ModelError};

/// The largest update accepted from a peer (a whole 10,000-card map is about 6 MB).
pub const MAX_UPDATE: usize = 64 * 1024 * 1024;

/// How long an edit of ours counts as recent: a peer's change to the same field within it is
/// listed under "changed by others".
const RECENT: Duration = Duration::from_mins(2);

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
}

#[derive(Default)]
struct Touched {
    items: BTreeSet<String>,
    routes: BTreeSet<String>,
    meta: bool,
    serials: bool,
}

/// A laptop's copy of the shared map.
pub struct Replica {
    doc: Doc,
    items: MapRef,
    routes: MapRef,
    meta: MapRef,
    serials: MapRef,
    touched: Arc<Mutex<Touched>>,
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
}

fn lock(t: &Mutex<Touched>) -> std::sync::MutexGuard<'_, Touched> {
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
        Out::Any(yrs::Any::String(s)) => serde_json::from_str(s).ok(),
        _ => None,
    }
}

impl Replica {
    fn with_doc(doc: Doc, map: Arc<MissionMap>, ready: bool, authority: bool) -> Replica {
        let items = doc.get_or_insert_map("items");
        let routes = doc.get_or_insert_map("routes");
        let meta = doc.get_or_insert_map("meta");
        let serials = doc.get_or_insert_map("serials");
        let touched = Arc::new(Mutex::new(Touched::default()));
        let t = Arc::clone(&touched);
        items.observe_deep("missionboard", move |txn, events| {
            let mut t = lock(&t);
            for e in events.iter() {
                let path = e.path();
                match path.front() {
                    Some(PathSegment::Key(k)) => {
                        t.items.insert(k.to_string());
                    }
                    Some(PathSegment::Index(_)) => {}
                    None => {
                        if let Event::Map(m) = e {
                            t.items.extend(m.keys(txn).keys().map(ToString::to_string));
                        }
                    }
                }
            }
        });
        let t = Arc::clone(&touched);
        routes.observe("missionboard", move |txn, e| {
            lock(&t).routes.extend(e.keys(txn).keys().map(ToString::to_string));
        });
        let t = Arc::clone(&touched);
        meta.observe("missionboard", move |_, _| lock(&t).meta = true);
        let t = Arc::clone(&touched);
        serials.observe("missionboard", move |_, _| lock(&t).serials = true);
        Replica {
            doc,
            items,
            routes,
            meta,
            serials,
            touched,
            synced: map,
            ready,
            authority,
            waiting: BTreeSet::new(),
            recent: HashMap::new(),
        }
    }

    /// The host's copy: the whole map written into a new shared document.
    #[must_use]
    pub fn host(map: &Arc<MissionMap>, client_id: u64) -> Replica {
        let mut r = Replica::with_doc(Doc::with_client_id(client_id), Arc::new(MissionMap::new("")), true, true);
        let created = json(&serde_json::to_value(map.meta.created).unwrap_or(Value::Null));
        r.meta.insert(&mut r.doc.transact_mut(), "created", created);
        let _ = r.local(map);
        // Sharing the map is not an edit of ours that another's change could overrule.
        r.recent.clear();
        r
    }

    /// Puts our whole map into a shared document that turned out empty (the first laptop in a
    /// relay's room); returns the update to send.
    pub fn seed(&mut self, map: &Arc<MissionMap>) -> Option<Vec<u8>> {
        let before = self.doc.transact().state_vector();
        let created = json(&serde_json::to_value(map.meta.created).unwrap_or(Value::Null));
        self.meta.insert(&mut self.doc.transact_mut(), "created", created);
        self.synced = Arc::new(MissionMap::new(""));
        self.ready = true;
        let _ = self.local(map);
        self.recent.clear();
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
        let update = {
            let mut txn = self.doc.transact_mut();
            for item in items {
                let key = item.key_text();
                let want = item_fields(map, item);
                let have = self.items.get(&txn, &key).and_then(|o| o.cast::<MapRef>().ok());
                match (want, have) {
                    (None, Some(_)) => {
                        self.items.remove(&mut txn, &key);
                    }
                    (None, None) => {}
                    (Some(fields), None) => {
                        for k in fields.keys() {
                            self.recent.insert((item.clone(), k.clone()), now);
                        }
                        let prelim: MapPrelim = fields.iter().map(|(k, v)| (k.clone(), json(v))).collect();
                        self.items.insert(&mut txn, key, prelim);
                    }
                    (Some(fields), Some(nested)) => {
                        let old: BTreeMap<String, String> = nested
                            .iter(&txn)
                            .filter_map(|(k, v)| match v {
                                Out::Any(yrs::Any::String(s)) => Some((k.to_owned(), s.to_string())),
                                _ => None,
                            })
                            .collect();
                        for (k, v) in &fields {
                            let text = json(v);
                            if old.get(k) != Some(&text) {
                                self.recent.insert((item.clone(), k.clone()), now);
                                nested.insert(&mut txn, k.clone(), text);
                            }
                        }
                        for k in old.keys().filter(|k| !fields.contains_key(*k)) {
                            self.recent.insert((item.clone(), k.clone()), now);
                            nested.remove(&mut txn, k);
                        }
                    }
                }
            }
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
        *lock(&self.touched) = Touched::default();
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
        let first = !self.ready;
        self.ready = true;
        Ok(self.take_touched(map, first))
    }

    /// The changes that bring `map` to what the engine holds for everything peers touched.
    fn take_touched(&mut self, map: &MissionMap, everything: bool) -> (Patch, Vec<Replaced>) {
        let touched = std::mem::take(&mut *lock(&self.touched));
        let txn = self.doc.transact();
        let mut keys: BTreeSet<Item> = std::mem::take(&mut self.waiting);
        if everything {
            keys.extend(self.items.keys(&txn).filter_map(Item::from_key_text));
        }
        keys.extend(touched.items.iter().filter_map(|k| Item::from_key_text(k)));
        let mut out = Patch::default();
        let mut replaced = Vec::new();
        let now = Instant::now();
        for item in keys {
            let theirs: Option<Fields> = self
                .items
                .get(&txn, &item.key_text())
                .and_then(|o| o.cast::<MapRef>().ok())
                .map(|m| m.iter(&txn).filter_map(|(k, v)| Some((k.to_owned(), parse(&v)?))).collect());
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
    /// move dropped). Returns the update to send, if any.
    pub fn settle(&mut self, map: &Arc<MissionMap>, patch: &Patch, refused: &[(Item, ModelError)]) -> Option<Vec<u8>> {
        let refused_items: Vec<Item> = refused.iter().map(|(i, _)| i.clone()).collect();
        let mut items: BTreeSet<Item> = patch.items.iter().map(|(i, _)| i.clone()).collect();
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
        let routes: Vec<LinkId> = patch.routes.iter().map(|(id, _)| id.clone()).collect();
        let orders: Vec<List> = patch.orders.keys().copied().collect();
        let update = self.write(map, &items, &routes, &orders, None);
        self.synced = Arc::clone(map);
        update
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
        let touched = std::mem::take(&mut *lock(&self.touched));
        let (patch, _) = self.take_touched(&map, true);
        *lock(&self.touched) = touched;
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
        self.items.len(&self.doc.transact())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_goes_through_the_engine_exactly_and_a_garbled_one_is_dropped() {
        let points = vec![[0.1_f32, -2.5], [1234.567, 8.0e5], [f32::MIN_POSITIVE, 3.0]];
        let out = Out::Any(yrs::Any::Buffer(route_bytes(&points)));
        assert_eq!(route_points(&out), Some(points));
        let short = Out::Any(yrs::Any::Buffer(Arc::from(&[0u8; 12][..])));
        assert_eq!(route_points(&short), None, "half a point");
        let nan = Out::Any(yrs::Any::Buffer(route_bytes(&[[f32::NAN, 1.0]])));
        assert_eq!(route_points(&nan), None, "not a place");
        let far = Out::Any(yrs::Any::Buffer(route_bytes(&[[1.0, 1.0e30]])));
        assert_eq!(route_points(&far), None, "beyond any map");
        let text = Out::Any(yrs::Any::String(Arc::from("[[1,2]]")));
        assert_eq!(route_points(&text), None);
    }
}
