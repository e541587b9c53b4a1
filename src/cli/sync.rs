//! `missionboard sync FILE --from ADDR --code CODE`: the headless peer of a live map. It joins,
//! merges FILE's own changes since its last sync into the live map, writes the live map back to
//! FILE, and leaves (a pull and a push). The map as last synced is kept beside FILE
//! (`FILE.last-sync`), so the next sync knows which changes are FILE's own.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::command::{Command, Document};
use crate::io;
use crate::live::Session;
use crate::live::net::{Link, Wire};
use crate::model::MissionMap;
use crate::model::merge;

use super::{FAILED, OK, load};

/// How long `sync` waits for the live map before giving up.
const JOIN_WAIT: Duration = Duration::from_mins(1);

/// The live map's address as a WebSocket URL: `192.168.1.20:8150` or `http://…` (a room, joined with
/// `code`), or `ws://relay:1234/ROOM` (a relay's room, used as it is).
///
/// # Errors
/// An address that is neither.
pub fn live_url(from: &str, code: Option<&str>, name: &str) -> Result<String, String> {
    let from = from.trim();
    if from.starts_with("ws://") || from.starts_with("wss://") {
        return Ok(from.to_owned());
    }
    let host = from.trim_start_matches("http://").trim_end_matches('/');
    if host.is_empty() || host.contains(['/', ' ', '?', '#']) {
        return Err(format!(
            "\"{from}\" is not an address: give the room's address as shown on the host's screen (such as 192.168.1.20:8150), or a relay's as ws://host:port/room"
        ));
    }
    let Some(code) = code else {
        return Err("a room is joined with its code: add --code and the code shown on the host's screen".to_owned());
    };
    let enc = |s: &str| {
        s.bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect::<String>()
    };
    Ok(format!("ws://{host}/live?code={}&name={}", enc(code), enc(name)))
}

/// The file beside FILE that keeps the map as it was last synced.
#[must_use]
pub fn base_path(file: &Path) -> PathBuf {
    let mut p = file.as_os_str().to_owned();
    p.push(".last-sync");
    PathBuf::from(p)
}

/// A live map joined from the command line: the session, its wire, and the map.
pub struct Peer {
    pub doc: Document,
    pub session: Session,
    pub link: Link,
    /// Whether the wire has been up at least once (before that, a failure to connect is final:
    /// the address is wrong or the network is off).
    pub connected: bool,
}

impl Peer {
    /// Joins the live map at `url` and waits until the whole map has arrived.
    ///
    /// # Errors
    /// When the map does not arrive within `wait`, or the server refuses.
    pub fn join(url: &str, name: &str, wait: Duration) -> Result<Peer, String> {
        let mut doc = Document::new(MissionMap::new(""));
        let client = u64::from_le_bytes(crate::room::state::random_bytes::<8>()?) & ((1 << 53) - 1);
        let session = Session::join(&mut doc, name, client.max(1));
        let link = Link::open(url, Arc::new(|| {}))?;
        let mut peer = Peer { doc, session, link, connected: false };
        let until = Instant::now() + wait;
        while !peer.session.joined() {
            if Instant::now() > until {
                return Err("the live map did not arrive in time (is the host's map still shared?)".to_owned());
            }
            peer.pump(Duration::from_millis(200))?;
        }
        Ok(peer)
    }

    /// Takes what arrived (waiting up to `wait` for the first), sending replies.
    ///
    /// # Errors
    /// When the server refused this laptop.
    pub fn pump(&mut self, wait: Duration) -> Result<usize, String> {
        let wires = self.link.wait(wait);
        let n = wires.len();
        for w in wires {
            match w {
                Wire::Connected => {
                    self.connected = true;
                    for m in self.session.greeting() {
                        self.link.send(m);
                    }
                }
                Wire::Message(m) => {
                    for r in self.session.handle(&m, &mut self.doc) {
                        self.link.send(r);
                    }
                }
                Wire::Lost(why) if !self.connected => return Err(format!("could not connect: {why}")),
                Wire::Lost(why) => eprintln!("note: {why}; trying again"),
                Wire::Refused(why) => return Err(why),
            }
        }
        if let Some(denied) = &self.session.denied {
            return Err(format!("the live map refused this laptop: {denied}"));
        }
        Ok(n)
    }

    /// Sends our edits and waits until the server has them: the sync protocol's first step is
    /// answered only after everything sent before it.
    ///
    /// # Errors
    /// When the server refuses them or does not answer.
    pub fn flush(&mut self, wait: Duration) -> Result<(), String> {
        if let Some(u) = self.session.local(&self.doc) {
            self.link.send(u);
        }
        for m in self.session.greeting() {
            self.link.send(m);
        }
        let until = Instant::now() + wait;
        // The reply to the greeting comes after everything the server took before it.
        while Instant::now() < until {
            if self.pump(Duration::from_millis(100))? == 0 {
                return Ok(());
            }
        }
        Ok(())
    }
}

/// Runs `sync`.
#[must_use]
pub fn sync(file: &Path, from: &str, code: Option<&str>, name: &str) -> u8 {
    let url = match live_url(from, code, name) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    let ours = if file.exists() {
        match load(file) {
            Ok(m) => Some(m),
            Err(code) => return code,
        }
    } else {
        None
    };
    let base = base_path(file);
    let base_map = if base.exists() { io::load_path(&base).ok().map(|l| l.map) } else { None };
    let mut peer = match Peer::join(&url, name, JOIN_WAIT) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Could not join the live map: {e}");
            return FAILED;
        }
    };
    let live = peer.doc.map().clone();
    let mut conflicts = 0;
    if let Some(ours) = ours {
        // Our changes since the last sync, onto the live map; where both changed a field, the
        // live map's value stays and the conflict is named.
        let merged = merge::merge(base_map.as_ref(), &live, &ours, &std::collections::BTreeMap::new());
        for c in &merged.conflicts {
            println!("conflict (the live map's value kept): {}", c.describe());
        }
        conflicts = merged.conflicts.len();
        let pushed = crate::model::patch::changed_items(&live, &merged.map).len()
            + crate::model::patch::changed_routes(&live, &merged.map).len();
        if pushed > 0
            && let Err(e) = peer.doc.apply("Sync", Command::ReplaceMap(Box::new(merged.map)))
        {
            eprintln!("Could not put {}'s changes into the live map: {e}", file.display());
            return FAILED;
        }
    }
    if let Err(e) = peer.flush(Duration::from_secs(10)) {
        eprintln!("Could not send the changes: {e}");
        return FAILED;
    }
    let map = peer.doc.map().clone();
    if let Err(e) = io::save_path(&map, file).and_then(|()| io::save_path(&map, &base)) {
        eprintln!("{e}");
        return FAILED;
    }
    if let Some(bye) = peer.session.goodbye() {
        peer.link.send(bye);
        let _ = peer.pump(Duration::from_millis(100));
    }
    println!(
        "Synced {} with the live map: {} cards, {} links{}.",
        file.display(),
        map.node_count(),
        map.link_count(),
        if conflicts == 0 { String::new() } else { format!("; {conflicts} conflicts kept the live map's value") }
    );
    OK
}
