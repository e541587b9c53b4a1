//! The room's live map: laptops edit one map at once through the room's server, which relays the
//! Yjs sync and awareness protocol (`y-protocols`) as a `y-websocket` server does, keeping its own
//! copy of the shared document so a laptop joining late gets the whole map from it.
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
use yrs::{ClientID, Doc, ReadTxn, Transact, Update};

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

/// The live map's share of the room's server.
pub(crate) struct Hub {
    doc: Mutex<Doc>,
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
            doc: Mutex::new(Doc::new()),
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

    /// What a new connection is told first: what the shared copy has, and who is here.
    fn greeting(&self) -> Vec<Vec<u8>> {
        let sv = locked(&self.doc).transact().state_vector();
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
                    let missing = locked(&self.doc).transact().encode_state_as_update_v1(&sv);
                    replies.push(Message::Sync(SyncMessage::SyncStep2(missing)).encode_v1());
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
                    let applied = {
                        let doc = locked(&self.doc);
                        let mut txn = doc.transact_mut();
                        txn.apply_update(update)
                    };
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
                        let mut aw = locked(&self.awareness);
                        let mine = aw.entry(conn).or_default();
                        for (client, e) in &update.clients {
                            mine.insert(client.get(), (e.clock, Arc::clone(&e.json)));
                        }
                        if mine.len() > MAX_PEOPLE_PER_LAPTOP {
                            let keep: Vec<u64> = update.clients.keys().map(ClientID::get).collect();
                            mine.retain(|c, _| keep.contains(c));
                        }
                    }
                    let out = Message::Awareness(update).encode_v1();
                    let _ = self.tx.send(Relayed { from: conn, to: None, bytes: Arc::from(out) });
                }
                Message::AwarenessQuery => replies.extend(self.greeting().into_iter().skip(1)),
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
    let mut hello = hub.greeting();
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
}
