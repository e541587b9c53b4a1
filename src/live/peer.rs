//! A laptop in a live map without a window: the session, its wire, and the pump between them. The
//! editor's shell has its own (it keeps status for the window); `sync`, `serve --live`, the tests
//! and the benchmarks use this one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Session;
use super::net::{Link, Wire};
use crate::command::Document;
use crate::model::MissionMap;

/// A new laptop number for the sync engine (random, 53 bits as Yjs keeps them, never 0 or 1:
/// 1 is the headless host's).
#[must_use]
pub fn new_client_id() -> u64 {
    let bytes = crate::room::state::random_bytes::<8>().unwrap_or([7; 8]);
    (u64::from_le_bytes(bytes) & ((1 << 53) - 1)).max(2)
}

/// The session and its wire.
pub struct Connection {
    pub session: Session,
    pub link: Link,
    /// Whether the wire has been up at least once (before that, a failure to connect is final:
    /// the address is wrong or the network is off).
    pub connected: bool,
}

/// What happened to a laptop's wire, for whoever shows it (the editor's window, a command's
/// output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The wire is up (first time, or again after it was lost): the sync greeting went out.
    Connected,
    /// The wire went down; it is tried again every few seconds.
    Lost(String),
    /// The server refused this laptop (a wrong code, a full or locked room).
    Refused(String),
}

impl Connection {
    /// A session on a wire just opened.
    #[must_use]
    pub fn new(session: Session, link: Link) -> Connection {
        Connection { session, link, connected: false }
    }

    /// Takes what the wire brought: messages go to the session (which changes `doc` through
    /// `Document::apply_remote`), their replies go out, and what happened to the wire is returned
    /// for the caller to show. The one pump of every live laptop: the editor, `sync`, `serve --live`.
    pub fn take(&mut self, doc: &mut Document, wires: Vec<Wire>) -> Vec<Event> {
        let mut events = Vec::new();
        for w in wires {
            match w {
                Wire::Connected => {
                    self.connected = true;
                    for m in self.session.greeting() {
                        self.link.send(m);
                    }
                    events.push(Event::Connected);
                }
                Wire::Message(m) => {
                    for r in self.session.handle(&m, doc) {
                        self.link.send(r);
                    }
                }
                Wire::Lost(why) => events.push(Event::Lost(why)),
                Wire::Refused(why) => events.push(Event::Refused(why)),
            }
        }
        events
    }

    /// Takes what arrived (waiting up to `wait` for the first; `Duration::ZERO` never waits),
    /// sending the replies; returns how many things arrived.
    ///
    /// # Errors
    /// When the first connection cannot be made, or the server refused this laptop.
    pub fn pump(&mut self, doc: &mut Document, wait: Duration) -> Result<usize, String> {
        let was_connected = self.connected;
        let wires = if wait.is_zero() { self.link.poll() } else { self.link.wait(wait) };
        let n = wires.len();
        let mut up = was_connected;
        for e in self.take(doc, wires) {
            match e {
                Event::Connected => up = true,
                Event::Lost(why) if !up => return Err(format!("could not connect: {why}")),
                Event::Lost(why) => eprintln!("note: {why}; trying again"),
                Event::Refused(why) => return Err(why),
            }
        }
        if let Some(denied) = &self.session.denied {
            return Err(format!("the live map refused this laptop: {denied}"));
        }
        Ok(n)
    }

    /// Sends this laptop's edits since the last call.
    pub fn push(&mut self, doc: &Document) {
        if let Some(u) = self.session.local(doc) {
            self.link.send(u);
        }
    }
}

/// A laptop in a live map: its map and its connection.
pub struct Peer {
    pub doc: Document,
    pub conn: Connection,
}

impl Peer {
    /// Shares `map` as the host, through its own room at `url` (the room's host address).
    ///
    /// # Errors
    /// When the wire cannot start.
    pub fn host(map: MissionMap, url: &str) -> Result<Peer, String> {
        Peer::host_lending(map, url, |_| {})
    }

    /// As [`Peer::host`], first handing `lend` this laptop's copy of the shared document (the
    /// room in the same process answers from it: `Room::lend_live_doc`).
    ///
    /// # Errors
    /// When the wire cannot start.
    pub fn host_lending(map: MissionMap, url: &str, lend: impl FnOnce(yrs::Doc)) -> Result<Peer, String> {
        let mut doc = Document::new(map);
        let session = Session::host(&mut doc, "Host", 1);
        lend(session.engine_doc());
        let link = Link::open(url, Arc::new(|| {}))?;
        Ok(Peer { doc, conn: Connection::new(session, link) })
    }

    /// A laptop whose map joins (or, in a relay's empty room, becomes) the live map at `url`;
    /// call [`Peer::pump`] until [`Session::joined`].
    ///
    /// # Errors
    /// When the wire cannot start.
    pub fn connect(mut doc: Document, url: &str, name: &str) -> Result<Peer, String> {
        let session = Session::join(&mut doc, name, new_client_id());
        let link = Link::open(url, Arc::new(|| {}))?;
        Ok(Peer { doc, conn: Connection::new(session, link) })
    }

    /// Joins the live map at `url` and waits until the whole map has arrived.
    ///
    /// # Errors
    /// When the map does not arrive within `wait`, the first connection fails, or the server refuses.
    pub fn join(url: &str, name: &str, wait: Duration) -> Result<Peer, String> {
        let mut peer = Peer::connect(Document::new(MissionMap::new("")), url, name)?;
        let until = Instant::now() + wait;
        while !peer.conn.session.joined() {
            if Instant::now() > until {
                return Err("the live map did not arrive in time (is the host's map still shared?)".to_owned());
            }
            peer.pump(Duration::from_millis(200))?;
        }
        Ok(peer)
    }

    /// Takes what arrived (see [`Connection::pump`]).
    ///
    /// # Errors
    /// As [`Connection::pump`].
    pub fn pump(&mut self, wait: Duration) -> Result<usize, String> {
        self.conn.pump(&mut self.doc, wait)
    }

    /// Sends our edits and waits until the server has them: the sync protocol's first step is
    /// answered only after everything sent before it.
    ///
    /// # Errors
    /// When the server refuses them.
    pub fn flush(&mut self, wait: Duration) -> Result<(), String> {
        self.conn.push(&self.doc);
        for m in self.conn.session.greeting() {
            self.conn.link.send(m);
        }
        let until = Instant::now() + wait;
        while Instant::now() < until {
            if self.pump(Duration::from_millis(100))? == 0 {
                return Ok(());
            }
        }
        Ok(())
    }

    /// Says goodbye to the others (they stop showing this laptop).
    pub fn leave(&mut self) {
        if let Some(bye) = self.conn.session.goodbye() {
            self.conn.link.send(bye);
            let _ = self.pump(Duration::from_millis(100));
        }
    }
}
