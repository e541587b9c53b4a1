//! The room: ideas and dot votes from every phone in a workshop, served by the facilitator's own
//! laptop over the room's network, with nothing leaving the room (docs/room.md).
//!
//! [`Room::open`] starts a small web server on its own thread (axum on a one-thread tokio runtime)
//! and returns a handle; the owner (the editor, or `missionboard serve`) receives only finished
//! [`RoomEvent`]s over a channel, the way the checks come back from their worker, and applies them
//! to the map through the command layer ([`apply`] gives the new workshop for
//! `Command::SetWorkshop`), so undo, autosave and merge work as for anything typed.
//! [`Room::close`] (or dropping the handle) stops the server at once: no socket stays open.
//!
//! Nothing a phone sends changes the map itself: ideas land in the parking lot, dots in the open
//! round's tally.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch};

use crate::model::listed::ItemId;
use crate::model::workshop::{ParkedIdea, VoteRound, Workshop};
use crate::model::{MissionMap, NodeId};

mod http;
pub mod live;
pub mod state;

pub use http::{MAX_BODY, PAGE};
pub use state::{Person, PersonId, new_code};

/// The port a room listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8150;

/// How a room is opened.
#[derive(Debug, Clone, Default)]
pub struct RoomOptions {
    /// The join code; a new random one when `None` (checked with [`state::check_code`]).
    pub code: Option<String>,
    /// Answer "sent" for an idea or a dot only once the owner has said it is saved
    /// ([`Room::saved`]): nothing acknowledged is lost if the laptop dies. `serve` uses this.
    pub confirm_when_saved: bool,
    /// Share the map live too: laptops with the code edit it at once (`GET /live`, see [`live`]).
    pub live: bool,
}

/// The voting round open to the room: which round of the map, and the cards people may vote for.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    pub id: ItemId,
    pub name: String,
    pub votes_each: u32,
    /// Each card's id and title, in the order the page lists them.
    pub cards: Vec<(NodeId, String)>,
}

impl Round {
    /// A round of the map open to the room, for `cards` (cards not on the map are left out).
    #[must_use]
    pub fn of(map: &MissionMap, round: &VoteRound, cards: &[NodeId]) -> Round {
        Round {
            id: round.id.clone(),
            name: round.name.clone(),
            votes_each: round.votes_each,
            cards: cards.iter().filter_map(|id| map.node(id).map(|n| (id.clone(), n.title.clone()))).collect(),
        }
    }
}

/// The timer the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Countdown {
    pub label: String,
    /// Time left when set.
    pub left: Duration,
    /// Counting down (or paused).
    pub running: bool,
}

/// What happened in the room, for the owner to apply.
#[derive(Debug, Clone, PartialEq)]
pub enum RoomEvent {
    /// Someone joined (their name if they gave one).
    Joined { person: PersonId, name: Option<String> },
    /// An idea for the parking lot (a retry of the same idea sends nothing).
    Idea { seq: u64, person: PersonId, idea: ParkedIdea },
    /// A dot cast (`cast`) or taken back in a round.
    Vote { seq: u64, person: PersonId, round: ItemId, card: NodeId, cast: bool },
}

impl RoomEvent {
    /// The number to pass to [`Room::saved`] once this event is saved (0 for a join).
    #[must_use]
    pub fn seq(&self) -> u64 {
        match self {
            RoomEvent::Joined { .. } => 0,
            RoomEvent::Idea { seq, .. } | RoomEvent::Vote { seq, .. } => *seq,
        }
    }
}

/// Applies events to a workshop: ideas join the parking lot (an idea already there, by id, is not
/// added again), dots change the round's tally (never below 0; a round no longer on the map is
/// skipped). Returns the new workshop when anything changed, for `Command::SetWorkshop`.
#[must_use]
pub fn apply(workshop: &Workshop, events: &[RoomEvent]) -> Option<Workshop> {
    let mut w = workshop.clone();
    let mut changed = false;
    for event in events {
        match event {
            RoomEvent::Joined { .. } => {}
            RoomEvent::Idea { idea, .. } => {
                if !w.parking.iter().any(|p| p.id == idea.id) {
                    w.parking.push(idea.clone());
                    changed = true;
                }
            }
            RoomEvent::Vote { round, card, cast, .. } => {
                let Some(r) = w.votes.iter_mut().find(|r| &r.id == round) else { continue };
                let n = r.tally.entry(card.clone()).or_insert(0);
                if *cast {
                    *n = n.saturating_add(1);
                } else {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        r.tally.remove(card);
                    }
                }
                changed = true;
            }
        }
    }
    changed.then_some(w)
}

/// Why a room could not open.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error("the room cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
    #[error("{0}")]
    Code(String),
    #[error("the room's server could not start: {0}")]
    Start(String),
}

/// An open room. Dropping it closes the room.
pub struct Room {
    shared: Arc<http::Shared>,
    events: Mutex<Receiver<RoomEvent>>,
    /// Dropped on close: requests waiting for a save are answered "the room has closed".
    saved: Option<watch::Sender<u64>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    address: SocketAddr,
    code: String,
}

impl std::fmt::Debug for Room {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Room").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Room {
    /// Opens a room for `map` on `bind` (port 0: any free port). Returns once the server listens.
    pub fn open(bind: SocketAddr, map: &MissionMap, options: &RoomOptions) -> Result<Room, RoomError> {
        let code = match &options.code {
            Some(c) => state::check_code(c).map_err(RoomError::Code)?,
            None => new_code().map_err(RoomError::Start)?,
        };
        let listener =
            std::net::TcpListener::bind(bind).map_err(|e| RoomError::Bind { addr: bind, reason: bind_reason(&e) })?;
        let address = listener.local_addr().map_err(|e| RoomError::Bind { addr: bind, reason: e.to_string() })?;
        listener.set_nonblocking(true).map_err(|e| RoomError::Start(e.to_string()))?;
        let (events_tx, events) = std::sync::mpsc::channel();
        let (push, _) = broadcast::channel(64);
        let (saved, saved_rx) = watch::channel(0u64);
        let title = if map.meta.title.trim().is_empty() { "Workshop".to_owned() } else { map.meta.title.clone() };
        let shared = Arc::new(http::Shared {
            state: Mutex::new(state::State::new(code.clone(), title, events_tx)),
            push,
            saved: saved_rx,
            confirm_when_saved: options.confirm_when_saved,
            bound: address,
            connected: AtomicUsize::new(0),
            live: if options.live {
                let key: String =
                    state::random_bytes::<16>().map_err(RoomError::Start)?.iter().fold(String::new(), |mut s, b| {
                        use std::fmt::Write as _;
                        let _ = write!(s, "{b:02x}");
                        s
                    });
                Some(Arc::new(live::Hub::new(key)))
            } else {
                None
            },
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| RoomError::Start(e.to_string()))?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = http::router(Arc::clone(&shared));
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(|e| RoomError::Start(e.to_string()))?
        };
        let thread = std::thread::Builder::new()
            .name("room".to_owned())
            .spawn(move || {
                let (graceful_tx, graceful_rx) = tokio::sync::oneshot::channel::<()>();
                runtime.spawn(async move {
                    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                        .with_graceful_shutdown(async move {
                            let _ = graceful_rx.await;
                        })
                        .await;
                    if let Err(e) = served {
                        eprintln!("room: the server stopped: {e}");
                    }
                });
                runtime.block_on(async move {
                    let _ = stopped.await;
                    let _ = graceful_tx.send(());
                    // Requests in flight get a moment to be answered ("the room has closed").
                    tokio::time::sleep(Duration::from_millis(100)).await;
                });
                // Every connection still open (live streams) ends here.
                runtime.shutdown_timeout(Duration::from_millis(100));
            })
            .map_err(|e| RoomError::Start(e.to_string()))?;
        Ok(Room {
            shared,
            events: Mutex::new(events),
            saved: Some(saved),
            stop: Some(stop),
            thread: Some(thread),
            address,
            code,
        })
    }

    /// The address and port the room listens on.
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The join code to show.
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The events that have arrived since the last call (never waits).
    #[must_use]
    pub fn events(&self) -> Vec<RoomEvent> {
        self.receiver().try_iter().collect()
    }

    fn receiver(&self) -> std::sync::MutexGuard<'_, Receiver<RoomEvent>> {
        self.events.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits up to `timeout` for the next event, then takes every other waiting one too.
    #[must_use]
    pub fn wait_events(&self, timeout: Duration) -> Vec<RoomEvent> {
        let events = self.receiver();
        match events.recv_timeout(timeout) {
            Ok(first) => std::iter::once(first).chain(events.try_iter()).collect(),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => Vec::new(),
        }
    }

    /// Tells the room that every event up to `seq` is saved (rooms opened with
    /// `confirm_when_saved`: the phones waiting for it are answered).
    pub fn saved(&self, seq: u64) {
        if let Some(saved) = &self.saved {
            saved.send_if_modified(|done| {
                let more = seq > *done;
                if more {
                    *done = seq;
                }
                more
            });
        }
    }

    /// Opens a voting round to the room (`None`: no round open; dots can no longer be taken back).
    pub fn set_round(&self, round: Option<Round>) {
        self.shared.lock().set_round(round);
        let _ = self.shared.push.send(http::Push::Changed);
    }

    /// The round open to the room.
    #[must_use]
    pub fn round(&self) -> Option<Round> {
        self.shared.lock().round.clone()
    }

    /// Shows a timer on the pages (`None`: none).
    pub fn set_timer(&self, timer: Option<Countdown>) {
        self.shared.lock().set_timer(timer, Instant::now());
        let _ = self.shared.push.send(http::Push::Changed);
    }

    /// Locks the room to new joins (people already in stay), or opens it again.
    pub fn set_locked(&self, locked: bool) {
        self.shared.lock().locked = locked;
    }

    #[must_use]
    pub fn is_locked(&self) -> bool {
        self.shared.lock().locked
    }

    /// Removes a person: their token dies and their page is told. True when they were in.
    #[must_use = "false when no such person was in the room"]
    pub fn remove(&self, person: PersonId) -> bool {
        let gone = self.shared.lock().remove(person);
        if gone {
            let _ = self.shared.push.send(http::Push::Removed(person));
        }
        gone
    }

    /// The host's editor in this process lends the live map its copy of the shared document (it
    /// must hold the whole map already): the room answers from it instead of keeping a copy of its
    /// own, and never writes to it. Call before the host's editor joins.
    pub fn lend_live_doc(&self, doc: yrs::Doc) {
        if let Some(hub) = &self.shared.live {
            hub.lend(doc);
        }
    }

    /// Whether the room answers the live map from the host's lent copy (tests).
    #[must_use]
    pub fn live_doc_is_lent(&self) -> bool {
        self.shared.live.as_ref().is_some_and(|h| h.is_lent())
    }

    /// Whether the room shares a map live.
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.shared.live.is_some()
    }

    /// The address the host's own editor joins the live map by (it carries the host's key).
    #[must_use]
    pub fn host_live_url(&self) -> Option<String> {
        let hub = self.shared.live.as_ref()?;
        let ip =
            if self.address.ip().is_unspecified() { std::net::IpAddr::from([127, 0, 0, 1]) } else { self.address.ip() };
        Some(format!("ws://{}/live?key={}", SocketAddr::new(ip, self.address.port()), hub.key()))
    }

    /// The laptops connected to the live map now.
    #[must_use]
    pub fn laptops(&self) -> Vec<live::Laptop> {
        self.shared.live.as_ref().map(|h| h.laptops()).unwrap_or_default()
    }

    /// Lets a person's laptop change the live map, or only look at it.
    pub fn set_read_only(&self, person: PersonId, read_only: bool) {
        if let Some(h) = &self.shared.live {
            h.set_read_only(person, read_only);
        }
    }

    /// What the live map refused, and from whom (newest last).
    #[must_use]
    pub fn live_refused(&self) -> Vec<String> {
        self.shared.live.as_ref().map(|h| h.refused()).unwrap_or_default()
    }

    /// Everyone who joined (and was not removed).
    #[must_use]
    pub fn people(&self) -> Vec<Person> {
        self.shared.lock().people()
    }

    /// Pages connected to the live stream now (about the people with the page open).
    #[must_use]
    pub fn connected(&self) -> usize {
        self.shared.connected.load(Ordering::Relaxed)
    }

    /// Closes the room: new requests are refused, live pages are told, and the server stops at
    /// once (within a fraction of a second); the port is free when this returns. Returns the
    /// events that arrived and were not taken yet.
    #[must_use = "events that arrived last are still to be applied"]
    pub fn close(mut self) -> Vec<RoomEvent> {
        self.stop_now();
        self.receiver().try_iter().collect()
    }

    fn stop_now(&mut self) {
        self.shared.lock().closed = true;
        let _ = self.shared.push.send(http::Push::Closed);
        self.saved = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn bind_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => {
            "that port is already in use (another room, or another program); choose another port".to_owned()
        }
        std::io::ErrorKind::AddrNotAvailable => {
            "this computer has no such address (is the network connected?)".to_owned()
        }
        std::io::ErrorKind::PermissionDenied => {
            "the system does not allow it (ports below 1024 need an administrator)".to_owned()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_apply_to_the_workshop() {
        let mut w = Workshop::default();
        let round = VoteRound { id: ItemId::fresh(), name: "R".to_owned(), votes_each: 3, ..VoteRound::default() };
        w.votes.push(round.clone());
        let a = NodeId::new("i1").unwrap();
        let idea = ParkedIdea::typed("Heat".to_owned(), None, None);
        let idea = ParkedIdea { id: ItemId::fresh(), ..idea };
        let vote = |cast| RoomEvent::Vote { seq: 2, person: 1, round: round.id.clone(), card: a.clone(), cast };
        let events = [RoomEvent::Idea { seq: 1, person: 1, idea: idea.clone() }, vote(true), vote(true), vote(false)];
        let w2 = apply(&w, &events).unwrap();
        assert_eq!(w2.parking, vec![idea.clone()]);
        assert_eq!(w2.votes[0].tally.get(&a), Some(&1));
        let w3 = apply(&w2, &[RoomEvent::Idea { seq: 1, person: 1, idea }, vote(false)]).unwrap();
        assert_eq!(w3.parking.len(), 1, "an idea already parked is not parked twice");
        assert!(w3.votes[0].tally.is_empty(), "a tally at 0 leaves the card out");
        assert!(apply(&w3, &[RoomEvent::Joined { person: 1, name: None }]).is_none());
    }
}
