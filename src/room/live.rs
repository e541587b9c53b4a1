//! The room's live map: laptops edit one map at once through the room's server, which relays the
//! Yjs sync and awareness protocol (`y-protocols`) as a `y-websocket` server does, so a laptop
//! joining late gets the whole map from the room. Where the host's editor runs in the same process
//! (File ▸ Share live…, `missionboard serve --live`) it lends the room its own copy of the shared
//! document, which the room reads and never writes: one copy of the map in the engine instead of
//! two (about 70 MB fewer at 10,000 cards). The changes the room passed on that the host has not
//! taken into its copy yet are kept beside it and sent to a laptop joining with the rest.
//!
//! `GET /live?code=CODE&name=NAME` (a laptop with the room's join code: may edit unless the host
//! makes it read-only) or `GET /live?key=KEY` (the host's own editor), upgraded to a WebSocket of
//! binary y-protocol messages. Every update is decoded and checked before it reaches the shared
//! copy or anyone else; what is refused is logged and the sender is told (a y-protocol
//! permission-denied message).

use crate::live::session::READ_ONLY;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::extract::ws::{Message as Ws, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::broadcast;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::sync::{AwarenessUpdate, Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, IdSet, ReadTxn, StateVector, Transact, Update};

use super::http::Shared;
use super::state::{PersonId, Refusal};
use crate::live::MAX_UPDATE;

/// The most people one connection may speak for in the who-is-here news, and the size of each.
const MAX_PEOPLE_PER_LAPTOP: usize = 8;
const MAX_PERSON_BYTES: usize = 4096;

/// A laptop connected to the live map.
#[derive(Clone, Debug, PartialEq)]
pub struct Laptop {
    pub connection: u64,
    /// The room's person (`None`: the host's own editor).
    pub person: Option<PersonId>,
    pub name: String,
    pub read_only: bool,
}

/// A connection's people as the awareness protocol last said: client → (clock, state).
type People = HashMap<u64, (u32, Arc<str>)>;

#[derive(Clone)]
struct Relayed {
    from: u64,
    /// For one connection only (the host's word to one laptop), else for all but `from`.
    to: Option<u64>,
    bytes: Arc<[u8]>,
}

/// The most changes, and bytes of them, kept for a lent copy the host has not taken yet (a host
/// whose window does not run for a long while, or changes that wait for others that never come):
/// past either the room takes a copy of its own, as a room without a host in its process has.
const MAX_PENDING: usize = 4096;
const MAX_PENDING_BYTES: usize = MAX_UPDATE;

/// The room's copy of the shared map.
enum RoomCopy {
    /// Its own: the room applies every change it passes on (a host in another process, or the
    /// host's editor before it lends its copy).
    Own(Doc),
    /// The host's editor's own copy, lent: read, never written (the host takes each change when
    /// it reaches its editor). `pending`: the changes passed on since that the copy may not have
    /// yet, oldest first. `relayed`: the host's own changes the room has passed on, up to this
    /// clock of the host's (its copy may hold more: changes made while its wire was down, which
    /// the room must ask it for when it is back).
    Lent { doc: Doc, pending: Vec<(Arc<[u8]>, Update)>, relayed: u32 },
}

/// Whether a copy that has `sv` (and, if given, deleted `deletes`) has everything `u` brings: each
/// of its blocks below the copy's clock for that laptop (a change with a gap before it does not
/// count as had), and each of its deletions.
fn has_all(u: &Update, sv: &StateVector, deletes: Option<&IdSet>) -> bool {
    let blocks = u.insertions(true).iter().all(|(client, ranges)| ranges.iter().all(|r| r.end <= sv.get(client)));
    blocks && (u.delete_set().is_empty() || deletes.is_some_and(|ds| u.delete_set().diff(ds).is_empty()))
}

impl RoomCopy {
    fn doc(&self) -> &Doc {
        match self {
            RoomCopy::Own(doc) | RoomCopy::Lent { doc, .. } => doc,
        }
    }

    /// Forgets the pending changes the lent copy now has (its blocks and its deletions).
    fn prune(&mut self) {
        let RoomCopy::Lent { doc, pending, .. } = self else { return };
        if pending.is_empty() {
            return;
        }
        let txn = doc.transact();
        let sv = txn.state_vector();
        let deletes = pending.iter().any(|(_, u)| !u.delete_set().is_empty()).then(|| txn.snapshot().delete_set);
        pending.retain(|(_, u)| !has_all(u, &sv, deletes.as_ref()));
    }

    /// Everything a peer with `sv` lacks, as messages: the copy's difference, then the pending
    /// changes (a peer skips what it already has).
    fn missing_for(&mut self, sv: &StateVector) -> Vec<Vec<u8>> {
        self.prune();
        let missing = self.doc().transact().encode_state_as_update_v1(sv);
        let mut out = vec![Message::Sync(SyncMessage::SyncStep2(missing)).encode_v1()];
        if let RoomCopy::Lent { pending, .. } = self {
            out.extend(pending.iter().map(|(bytes, _)| Message::Sync(SyncMessage::Update(bytes.to_vec())).encode_v1()));
        }
        out
    }

    /// Takes a change a connection sent (`bytes`, decoded as `update`): applies it to a copy of
    /// the room's own; for a lent copy, notes how far the host's own changes have gone out, or keeps
    /// another's change until the host's copy has it (an update refused there is refused on every
    /// laptop it reaches), taking a copy of its own past the caps.
    fn take(&mut self, update: Update, bytes: &[u8], host: bool) -> Result<(), yrs::error::UpdateError> {
        match self {
            RoomCopy::Own(doc) => return doc.transact_mut().apply_update(update),
            RoomCopy::Lent { doc, relayed, .. } if host => {
                let me = doc.client_id();
                let sent = update
                    .insertions(true)
                    .iter()
                    .filter(|(c, _)| **c == me)
                    .flat_map(|(_, r)| r.iter().map(|r| r.end))
                    .max();
                *relayed = sent.unwrap_or(0).max(*relayed);
            }
            RoomCopy::Lent { doc, pending, .. } => {
                if !has_all(&update, &doc.transact().state_vector(), None) {
                    pending.push((Arc::from(bytes), update));
                }
            }
        }
        if self.pending_over() {
            self.prune();
            if self.pending_over() {
                self.make_own();
            }
        }
        Ok(())
    }

    /// Whether the lent copy's pending changes are over either cap.
    fn pending_over(&self) -> bool {
        let RoomCopy::Lent { pending, .. } = self else { return false };
        pending.len() > MAX_PENDING || pending.iter().map(|(b, _)| b.len()).sum::<usize>() > MAX_PENDING_BYTES
    }

    /// A copy of its own with everything the lent copy and the pending changes hold.
    fn make_own(&mut self) {
        let RoomCopy::Lent { doc, pending, .. } = self else { return };
        let own = Doc::new();
        {
            let whole = doc.transact().encode_state_as_update_v1(&StateVector::default());
            let mut txn = own.transact_mut();
            if let Ok(u) = Update::decode_v1(&whole) {
                let _ = txn.apply_update(u);
            }
            for (_, u) in pending.drain(..) {
                let _ = txn.apply_update(u);
            }
        }
        *self = RoomCopy::Own(own);
    }
}

/// The live map's share of the room's server.
pub(crate) struct Hub {
    copy: Mutex<RoomCopy>,
    tx: broadcast::Sender<Relayed>,
    /// Each connection's people as the awareness protocol last said (client → clock, state).
    awareness: Mutex<HashMap<u64, People>>,
    laptops: Mutex<HashMap<u64, Laptop>>,
    read_only: Mutex<HashSet<PersonId>>,
    key: String,
    next: AtomicU64,
    refused: Mutex<Vec<String>>,
    /// Whether the host's editor has put the map in: laptops joining wait for it, so none starts
    /// from an empty map.
    ready: tokio::sync::watch::Sender<bool>,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    pub(crate) fn new(key: String) -> Hub {
        let (tx, _) = broadcast::channel(4096);
        Hub {
            copy: Mutex::new(RoomCopy::Own(Doc::new())),
            tx,
            awareness: Mutex::new(HashMap::new()),
            laptops: Mutex::new(HashMap::new()),
            read_only: Mutex::new(HashSet::new()),
            key,
            next: AtomicU64::new(1),
            refused: Mutex::new(Vec::new()),
            ready: tokio::sync::watch::channel(false).0,
        }
    }

    /// The host's editor, in this process, lends the room its copy of the shared map (which holds
    /// the whole map already): the room answers laptops from it and drops its own.
    /// A room that already holds a map (a host that shared, left and shares again) keeps a copy of
    /// its own, so nothing others did meanwhile is lost: the host's new copy catches up through
    /// the sync protocol as any laptop's does. (A host that leaves and comes back with the same
    /// copy, after a network blip, finds it still lent: what it missed is among the changes kept.)
    pub(crate) fn lend(&self, doc: Doc) {
        let mut copy = locked(&self.copy);
        copy.make_own();
        if let RoomCopy::Own(own) = &*copy
            && own.transact().state_vector() == StateVector::default()
        {
            let relayed = doc.transact().state_vector().get(&doc.client_id());
            *copy = RoomCopy::Lent { doc, pending: Vec::new(), relayed };
            drop(copy);
            self.ready.send_replace(true);
        }
    }

    /// Whether the room answers from the host's lent copy (tests).
    pub(crate) fn is_lent(&self) -> bool {
        matches!(*locked(&self.copy), RoomCopy::Lent { .. })
    }

    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    pub(crate) fn laptops(&self) -> Vec<Laptop> {
        let ro = locked(&self.read_only).clone();
        let mut v: Vec<Laptop> = locked(&self.laptops)
            .values()
            .cloned()
            .map(|mut l| {
                l.read_only = l.person.is_some_and(|p| ro.contains(&p));
                l
            })
            .collect();
        v.sort_by_key(|l| l.connection);
        v
    }

    /// Makes a person's laptop read-only (or lets it edit again), and tells that laptop at once
    /// (the y-protocol's permission message), so it stops taking edits before any is refused.
    pub(crate) fn set_read_only(&self, person: PersonId, on: bool) {
        {
            let mut ro = locked(&self.read_only);
            if on {
                ro.insert(person);
            } else {
                ro.remove(&person);
            }
        }
        let word = Message::Auth(on.then(|| READ_ONLY.to_owned())).encode_v1();
        let word: Arc<[u8]> = Arc::from(word);
        for l in locked(&self.laptops).values().filter(|l| l.person == Some(person)) {
            let _ = self.tx.send(Relayed { from: u64::MAX, to: Some(l.connection), bytes: Arc::clone(&word) });
        }
    }

    pub(crate) fn refused(&self) -> Vec<String> {
        locked(&self.refused).clone()
    }

    fn refuse(&self, who: &str, why: &str) -> Vec<u8> {
        let mut log = locked(&self.refused);
        log.push(format!("{who}: {why}"));
        if log.len() > 500 {
            log.remove(0);
        }
        Message::Auth(Some(why.to_owned())).encode_v1()
    }

    /// What a new connection is told first: what the shared copy has, and who is here. To the
    /// host's editor, when its copy is lent, the room owns to no more of the host's own changes than
    /// it passed on, so the host sends those it made while its wire was down.
    fn greeting(&self, host: bool) -> Vec<Vec<u8>> {
        let sv = {
            let copy = locked(&self.copy);
            let mut sv = copy.doc().transact().state_vector();
            if let (true, RoomCopy::Lent { doc, relayed, .. }) = (host, &*copy) {
                sv.set_min(doc.client_id(), *relayed);
            }
            sv
        };
        let mut out = vec![Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()];
        let all: HashMap<ClientID, AwarenessUpdateEntry> = locked(&self.awareness)
            .values()
            .flatten()
            .map(|(c, (clock, json))| {
                (ClientID::new(*c), AwarenessUpdateEntry { clock: *clock, json: Arc::clone(json) })
            })
            .collect();
        if !all.is_empty() {
            out.push(Message::Awareness(AwarenessUpdate { clients: all }).encode_v1());
        }
        out
    }

    /// Takes one message from a connection; returns the replies for it alone.
    fn take(&self, conn: u64, who: &str, host: bool, read_only: bool, bytes: &[u8]) -> Vec<Vec<u8>> {
        let Some(messages) = crate::live::Session::decode(bytes) else {
            return vec![self.refuse(who, "a message could not be read; it was left out")];
        };
        let mut replies = Vec::new();
        for msg in messages {
            match msg {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    replies.extend(locked(&self.copy).missing_for(&sv));
                }
                Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u)) => {
                    if read_only {
                        replies.push(self.refuse(who, READ_ONLY));
                        continue;
                    }
                    if u.len() > MAX_UPDATE {
                        replies.push(self.refuse(who, "a change was too big to be a map's"));
                        continue;
                    }
                    let Ok(Ok(update)) = std::panic::catch_unwind(|| Update::decode_v1(&u)) else {
                        replies.push(self.refuse(who, "a change could not be read; it was left out"));
                        continue;
                    };
                    let applied = locked(&self.copy).take(update, &u, host);
                    if let Err(e) = applied {
                        replies.push(self.refuse(who, &format!("a change could not be applied ({e})")));
                        continue;
                    }
                    let out = Message::Sync(SyncMessage::Update(u)).encode_v1();
                    let _ = self.tx.send(Relayed { from: conn, to: None, bytes: Arc::from(out) });
                    if host {
                        self.ready.send_replace(true);
                    }
                }
                Message::Awareness(update) => {
                    // A laptop speaks for itself (and at most a few more): a flood of made-up
                    // people is refused, not kept.
                    if update.clients.len() > MAX_PEOPLE_PER_LAPTOP
                        || update.clients.values().any(|e| e.json.len() > MAX_PERSON_BYTES)
                    {
                        replies.push(self.refuse(who, "who-is-here news was too big; it was left out"));
                        continue;
                    }
                    {
                        // A person belongs to the connection that first spoke for them (as
                        // y-websocket's server keeps it): news of someone another laptop passes
                        // on (a relayed or whole who-is-here list) updates them where they are, and
                        // when that laptop leaves, only its own people are said to have gone.
                        let mut aw = locked(&self.awareness);
                        for (client, e) in &update.clients {
                            let c = client.get();
                            let owner = aw.iter().find(|(_, p)| p.contains_key(&c)).map_or(conn, |(&o, _)| o);
                            let entry = aw.entry(owner).or_default();
                            if entry.get(&c).is_none_or(|(clock, _)| *clock <= e.clock) {
                                entry.insert(c, (e.clock, Arc::clone(&e.json)));
                            }
                        }
                        if let Some(mine) = aw.get_mut(&conn)
                            && mine.len() > MAX_PEOPLE_PER_LAPTOP
                        {
                            let keep: Vec<u64> = update.clients.keys().map(ClientID::get).collect();
                            mine.retain(|c, _| keep.contains(c));
                        }
                    }
                    let out = Message::Awareness(update).encode_v1();
                    let _ = self.tx.send(Relayed { from: conn, to: None, bytes: Arc::from(out) });
                }
                Message::AwarenessQuery => replies.extend(self.greeting(host).into_iter().skip(1)),
                Message::Auth(_) | Message::Custom(..) => {}
            }
        }
        replies
    }

    /// A connection ended: the others are told its people left.
    fn gone(&self, conn: u64) {
        locked(&self.laptops).remove(&conn);
        let Some(people) = locked(&self.awareness).remove(&conn) else { return };
        let clients = people
            .into_iter()
            .map(|(c, (clock, _))| {
                (ClientID::new(c), AwarenessUpdateEntry { clock: clock + 1, json: Arc::from("null") })
            })
            .collect();
        let out = Message::Awareness(AwarenessUpdate { clients }).encode_v1();
        let _ = self.tx.send(Relayed { from: conn, to: None, bytes: Arc::from(out) });
    }
}

#[derive(Deserialize)]
pub(crate) struct Knock {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    key: Option<String>,
}

/// `GET /live`: a laptop joins the live map.
pub(crate) async fn upgrade(
    State(s): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(k): Query<Knock>,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(hub) = s.live.clone() else {
        return Refusal::new(404, "This room does not share a map live.").into_response();
    };
    let (person, name) = if k.key.as_deref().is_some_and(|key| crate::room::state::same_secret(key, hub.key())) {
        (None, "Host".to_owned())
    } else {
        let code = k.code.unwrap_or_default();
        let mut st = s.lock();
        let token = match st.join(peer.ip(), &code, k.name.as_deref(), Instant::now()) {
            Ok(t) => t,
            Err(r) => return r.into_response(),
        };
        match st.person(&token) {
            Ok(p) => (Some(p.id), p.name.clone().unwrap_or_else(|| format!("Laptop {}", p.id))),
            Err(r) => return r.into_response(),
        }
    };
    let conn = hub.next.fetch_add(1, Ordering::Relaxed);
    locked(&hub.laptops).insert(conn, Laptop { connection: conn, person, name: name.clone(), read_only: false });
    ws.max_message_size(MAX_UPDATE + 1024).on_upgrade(move |socket| serve(socket, hub, conn, person, name))
}

/// How long a laptop waits for the host's editor to put the map in.
const READY_WAIT: std::time::Duration = std::time::Duration::from_mins(1);

async fn serve(mut socket: WebSocket, hub: Arc<Hub>, conn: u64, person: Option<PersonId>, name: String) {
    if person.is_some() {
        let mut ready = hub.ready.subscribe();
        if !matches!(tokio::time::timeout(READY_WAIT, ready.wait_for(|r| *r)).await, Ok(Ok(_))) {
            let why = Message::Auth(Some("the host has not shared the map yet; try again in a moment".to_owned()));
            let _ = socket.send(Ws::Binary(why.encode_v1().into())).await;
            let _ = socket.send(Ws::Close(None)).await;
            hub.gone(conn);
            return;
        }
    }
    let mut rx = hub.tx.subscribe();
    let mut hello = hub.greeting(person.is_none());
    if person.is_some_and(|p| locked(&hub.read_only).contains(&p)) {
        hello.push(Message::Auth(Some(READ_ONLY.to_owned())).encode_v1());
    }
    for m in hello {
        if socket.send(Ws::Binary(m.into())).await.is_err() {
            hub.gone(conn);
            return;
        }
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let bytes = match incoming {
                    Some(Ok(Ws::Binary(b))) => b,
                    Some(Ok(Ws::Ping(_) | Ws::Pong(_) | Ws::Text(_))) => continue,
                    Some(Ok(Ws::Close(_)) | Err(_)) | None => break,
                };
                let read_only = person.is_some_and(|p| locked(&hub.read_only).contains(&p));
                let replies = hub.take(conn, &name, person.is_none(), read_only, &bytes);
                for r in replies {
                    if socket.send(Ws::Binary(r.into())).await.is_err() {
                        break;
                    }
                }
            }
            relayed = rx.recv() => {
                match relayed {
                    Ok(r) if r.from == conn || r.to.is_some_and(|to| to != conn) => {}
                    Ok(r) => {
                        if socket.send(Ws::Binary(r.bytes.to_vec().into())).await.is_err() {
                            break;
                        }
                    }
                    // Fell behind (or the room closes): the laptop reconnects and catches up by the
                    // sync protocol, so nothing is lost.
                    Err(_) => break,
                }
            }
        }
    }
    let _ = socket.send(Ws::Close(None)).await;
    hub.gone(conn);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(n: u64) -> Vec<u8> {
        let clients = (1..=n)
            .map(|c| (ClientID::new(c), AwarenessUpdateEntry { clock: 1, json: Arc::from("{\"name\":\"x\"}") }))
            .collect();
        Message::Awareness(AwarenessUpdate { clients }).encode_v1()
    }

    fn person(client: u64, clock: u32, json: &str) -> Vec<u8> {
        let clients = HashMap::from([(ClientID::new(client), AwarenessUpdateEntry { clock, json: Arc::from(json) })]);
        Message::Awareness(AwarenessUpdate { clients }).encode_v1()
    }

    #[test]
    fn a_laptop_that_leaves_takes_only_its_own_people_with_it() {
        let hub = Hub::new("key".to_owned());
        hub.take(1, "host", true, false, &person(11, 1, r#"{"name":"Host"}"#));
        hub.take(2, "guest", false, false, &person(22, 1, r#"{"name":"Guest"}"#));
        // A laptop passes on everyone it knows (as a whole who-is-here list does)...
        let both = Message::Awareness(AwarenessUpdate {
            clients: HashMap::from([
                (ClientID::new(33), AwarenessUpdateEntry { clock: 1, json: Arc::from(r#"{"name":"Sync"}"#) }),
                (ClientID::new(11), AwarenessUpdateEntry { clock: 1, json: Arc::from(r#"{"name":"Host"}"#) }),
                (ClientID::new(22), AwarenessUpdateEntry { clock: 1, json: Arc::from(r#"{"name":"Guest"}"#) }),
            ]),
        })
        .encode_v1();
        hub.take(3, "sync", false, false, &both);
        // ...and leaves: the others hear that it alone went.
        let mut rx = hub.tx.subscribe();
        hub.gone(3);
        let said = rx.try_recv().map(|r| r.bytes.to_vec()).unwrap_or_default();
        let gone: Vec<u64> = crate::live::Session::decode(&said)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| if let Message::Awareness(u) = m { Some(u) } else { None })
            .flat_map(|u| u.clients.into_keys().map(|c| c.get()).collect::<Vec<_>>())
            .collect();
        assert_eq!(gone, vec![33], "only the laptop that left is gone");
        // A laptop joining now still sees the host and the guest, and no ghost of the one that left.
        let (_, _) = newcomer(&hub, 4);
        let greeting = hub.greeting(false);
        let known: Vec<u64> = greeting
            .iter()
            .flat_map(|g| crate::live::Session::decode(g).unwrap_or_default())
            .filter_map(|m| if let Message::Awareness(u) = m { Some(u) } else { None })
            .flat_map(|u| {
                u.clients.into_iter().filter(|(_, e)| &*e.json != "null").map(|(c, _)| c.get()).collect::<Vec<_>>()
            })
            .collect();
        let mut known = known;
        known.sort_unstable();
        assert_eq!(known, vec![11, 22]);
    }

    #[test]
    fn a_laptop_may_speak_for_a_few_people_not_a_flood() {
        let hub = Hub::new("key".to_owned());
        assert!(hub.take(1, "honest", false, false, &people(1)).is_empty());
        let replies = hub.take(2, "flood", false, false, &people(500));
        assert_eq!(replies.len(), 1, "the flood is refused and the sender told");
        assert!(!locked(&hub.awareness).contains_key(&2), "nothing of the flood is kept");
        assert_eq!(locked(&hub.awareness).get(&1).map(HashMap::len), Some(1));
        assert!(hub.refused().iter().any(|r| r.starts_with("flood")));
    }

    fn entries(doc: &Doc) -> Vec<(String, String)> {
        use yrs::Map;
        let txn = doc.transact();
        let map = txn.get_map("items");
        let mut v: Vec<(String, String)> =
            map.map(|m| m.iter(&txn).map(|(k, v)| (k.to_owned(), v.to_string(&txn))).collect()).unwrap_or_default();
        v.sort();
        v
    }

    fn set(doc: &Doc, key: &str, value: &str) -> Vec<u8> {
        use yrs::Map;
        let map = doc.get_or_insert_map("items");
        let mut txn = doc.transact_mut();
        map.insert(&mut txn, key, value);
        txn.encode_update_v1()
    }

    fn remove(doc: &Doc, key: &str) -> Vec<u8> {
        use yrs::Map;
        let map = doc.get_or_insert_map("items");
        let mut txn = doc.transact_mut();
        map.remove(&mut txn, key);
        txn.encode_update_v1()
    }

    /// A laptop joining now: sends "I have nothing", applies what the room answers.
    fn newcomer(hub: &Hub, conn: u64) -> (Doc, usize) {
        let doc = Doc::with_client_id(100 + conn);
        let ask = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
        let replies = hub.take(conn, "newcomer", false, false, &ask);
        for r in &replies {
            for m in crate::live::Session::decode(r).unwrap_or_default() {
                if let Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u)) = m {
                    let _ = doc.transact_mut().apply_update(Update::decode_v1(&u).unwrap_or_default());
                }
            }
        }
        (doc, replies.len())
    }

    fn update(u: Vec<u8>) -> Vec<u8> {
        Message::Sync(SyncMessage::Update(u)).encode_v1()
    }

    #[test]
    fn a_lent_copy_is_read_never_written_and_what_the_host_has_not_taken_yet_still_reaches_a_newcomer() {
        let hub = Hub::new("key".to_owned());
        let host = Doc::with_client_id(1);
        let _ = set(&host, "a", "1");
        let _ = set(&host, "b", "2");
        hub.lend(host.clone());
        assert!(hub.is_lent());
        locked(&hub.laptops).insert(9, Laptop { connection: 9, person: None, name: "Host".into(), read_only: false });
        // A laptop with the map deletes one entry (a deletion only: no new blocks) and adds one.
        let laptop = Doc::with_client_id(2);
        let whole = host.transact().encode_state_as_update_v1(&StateVector::default());
        laptop.transact_mut().apply_update(Update::decode_v1(&whole).unwrap_or_default()).unwrap_or_default();
        let gone_a = remove(&laptop, "a");
        let added_c = set(&laptop, "c", "3");
        assert!(hub.take(5, "laptop", false, false, &update(gone_a.clone())).is_empty());
        assert!(hub.take(5, "laptop", false, false, &update(added_c.clone())).is_empty());
        let want = vec![("b".to_owned(), "2".to_owned()), ("c".to_owned(), "3".to_owned())];
        // The host's editor has not taken them yet: its copy is as it was, and a newcomer gets
        // them all the same.
        assert_eq!(entries(&host), vec![("a".to_owned(), "1".to_owned()), ("b".to_owned(), "2".to_owned())]);
        let (doc, replies) = newcomer(&hub, 6);
        assert_eq!(entries(&doc), want);
        assert_eq!(replies, 3, "the copy's difference and the two changes pending");
        // The host takes them: nothing is pending now.
        for u in [&gone_a, &added_c] {
            host.transact_mut().apply_update(Update::decode_v1(u).unwrap_or_default()).unwrap_or_default();
        }
        let (doc, replies) = newcomer(&hub, 7);
        assert_eq!(entries(&doc), want);
        assert_eq!(replies, 1);
        // The host's editor leaves (its copy no longer changes): the room goes on answering, with
        // what others change after kept beside it.
        hub.gone(9);
        let more = set(&laptop, "d", "4");
        assert!(hub.take(5, "laptop", false, false, &update(more)).is_empty());
        let (doc, _) = newcomer(&hub, 8);
        assert_eq!(entries(&doc).len(), 3);
        assert_eq!(entries(&host).len(), 2, "the host's copy was never written by the room");
        // A host sharing again (a new copy) finds the room holding the map: the room keeps a copy
        // of its own with all of it.
        hub.lend(Doc::with_client_id(3));
        assert!(!hub.is_lent());
        assert_eq!(entries(&newcomer(&hub, 10).0).len(), 3);
    }

    #[test]
    fn a_host_back_after_its_wire_dropped_is_asked_for_what_it_changed_meanwhile() {
        let hub = Hub::new("key".to_owned());
        let host = Doc::with_client_id(1);
        let _ = set(&host, "a", "1");
        hub.lend(host.clone());
        let step1 = |hello: &[Vec<u8>]| -> StateVector {
            match crate::live::Session::decode(&hello[0]).unwrap_or_default().into_iter().next() {
                Some(Message::Sync(SyncMessage::SyncStep1(sv))) => sv,
                other => panic!("not a first step: {other:?}"),
            }
        };
        // A change the host sent: the room owns to it.
        let sent = set(&host, "b", "2");
        assert!(hub.take(9, "Host", true, false, &update(sent)).is_empty());
        let clock = host.transact().state_vector().get(&host.client_id());
        assert_eq!(step1(&hub.greeting(true)).get(&host.client_id()), clock);
        // A change made while the wire was down never reached the room: greeted again, the host is
        // asked for it (a laptop is greeted with the copy as it is).
        let _ = set(&host, "c", "3");
        assert_eq!(step1(&hub.greeting(true)).get(&host.client_id()), clock);
        assert!(step1(&hub.greeting(false)).get(&host.client_id()) > clock);
        let answer = host.transact().encode_state_as_update_v1(&step1(&hub.greeting(true)));
        let mut rx = hub.tx.subscribe();
        let _ = hub.take(9, "Host", true, false, &update(answer));
        let relayed = rx.try_recv().map(|r| r.bytes.to_vec()).unwrap_or_default();
        let got = Doc::with_client_id(7);
        for m in crate::live::Session::decode(&relayed).unwrap_or_default() {
            if let Message::Sync(SyncMessage::Update(u)) = m {
                let _ = got.transact_mut().apply_update(Update::decode_v1(&u).unwrap_or_default());
            }
        }
        assert!(
            entries(&got).iter().any(|(k, _)| k == "c"),
            "the change made offline is passed on: {:?}",
            entries(&got)
        );
    }

    #[test]
    fn changes_the_host_never_takes_are_not_kept_without_end() {
        // The host's editor stopped taking changes (its window no longer runs): past the cap on
        // their number the room keeps a copy of its own, with all of them.
        let hub = Hub::new("key".to_owned());
        hub.lend(Doc::with_client_id(1));
        let laptop = Doc::with_client_id(7);
        for n in 0..=MAX_PENDING {
            let _ = hub.take(5, "laptop", false, false, &update(set(&laptop, &format!("k{n}"), "x")));
        }
        assert!(!hub.is_lent(), "past {MAX_PENDING} changes waiting the room keeps a copy of its own");
        assert_eq!(entries(&newcomer(&hub, 6).0).len(), MAX_PENDING + 1, "and nothing is lost");
        // On their size: a few big changes are enough.
        let hub = Hub::new("key".to_owned());
        hub.lend(Doc::with_client_id(1));
        let big = "x".repeat(MAX_PENDING_BYTES / 8);
        for n in 0..7 {
            let _ = hub.take(5, "laptop", false, false, &update(set(&laptop, &format!("big{n}"), &big)));
            assert!(hub.is_lent(), "seven changes of an eighth of the cap are within it");
        }
        for n in 7..9 {
            let _ = hub.take(5, "laptop", false, false, &update(set(&laptop, &format!("big{n}"), &big)));
        }
        assert!(!hub.is_lent(), "past {MAX_PENDING_BYTES} bytes waiting the room keeps a copy of its own");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// Whatever a laptop sends, the room never panics, never writes the host's lent copy, and a
        /// newcomer still gets the map.
        #[test]
        fn junk_from_a_laptop_never_touches_a_lent_copy(
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            wrap in 0..3u8,
        ) {
            let hub = Hub::new("key".to_owned());
            let host = Doc::with_client_id(1);
            let _ = set(&host, "a", "1");
            hub.lend(host.clone());
            let before = host.transact().encode_state_as_update_v1(&StateVector::default());
            let bytes = match wrap {
                0 => junk,
                1 => update(junk),
                _ => Message::Sync(SyncMessage::SyncStep2(junk)).encode_v1(),
            };
            let _ = hub.take(5, "laptop", false, false, &bytes);
            proptest::prop_assert_eq!(host.transact().encode_state_as_update_v1(&StateVector::default()), before);
            let (doc, _) = newcomer(&hub, 6);
            proptest::prop_assert!(entries(&doc).contains(&("a".to_owned(), "1".to_owned())));
        }
    }
}
