//! `missionboard serve FILE`: a workshop room without a window. Ideas and dots from the phones go
//! into the map through the command layer and the map is saved (atomically) as they arrive; a
//! phone is told "sent" only once its idea is in the file, so killing the host loses nothing
//! acknowledged. Ctrl+C (or a stop signal) closes the room and saves once more.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::command::{Command, Document};
use crate::io;
use crate::live::net::Link;
use crate::live::{Connection, Session};
use crate::model::workshop::VoteRound;
use crate::model::{ItemId, MissionMap, NodeId};
use crate::room::{self, Room, RoomEvent, RoomOptions};

use super::{FAILED, OK, load};

/// What `serve` was asked.
#[derive(Debug)]
pub struct ServeArgs<'a> {
    pub file: &'a Path,
    pub bind: &'a str,
    pub code: Option<String>,
    pub round: Option<String>,
    pub votes_each: u32,
    /// Share the map live too (laptops edit it at once).
    pub live: bool,
}

/// Stops on Ctrl+C or SIGTERM: a thread with a tiny runtime waits for the signal.
fn stop_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&flag);
    let started = std::thread::Builder::new().name("signals".to_owned()).spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_io().build() else { return };
        rt.block_on(async {
            #[cfg(unix)]
            {
                let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                };
                futures_util::future::select(Box::pin(tokio::signal::ctrl_c()), Box::pin(term.recv())).await;
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        });
        set.store(true, Ordering::SeqCst);
    });
    if let Err(e) = started {
        eprintln!("note: Ctrl+C will stop the room without a last save ({e})");
    }
    flag
}

/// The round to open: the one named, made (with `votes_each` dots) if the map has none by that
/// name. Its cards: those already in its tally, or else every card of the map.
fn open_round(doc: &mut Document, name: &str, votes_each: u32) -> Result<room::Round, String> {
    if !doc.map().workshop.votes.iter().any(|r| r.name == name) {
        let mut w = doc.map().workshop.clone();
        w.votes.push(VoteRound {
            id: ItemId::fresh(),
            name: name.to_owned(),
            date: Some(chrono::Local::now().date_naive()),
            votes_each,
            ..VoteRound::default()
        });
        doc.apply("Open a voting round", Command::SetWorkshop(w)).map_err(|e| e.to_string())?;
    }
    let map = doc.map();
    let Some(round) = map.workshop.votes.iter().find(|r| r.name == name) else {
        return Err(format!("the voting round \"{name}\" could not be made"));
    };
    let mut cards: Vec<NodeId> = round.tally.keys().cloned().collect();
    if cards.is_empty() {
        let mut all = map.sorted_nodes();
        all.sort_by(|a, b| a.kind().cmp(&b.kind()).then_with(|| a.title.cmp(&b.title)));
        cards = all.into_iter().map(|n| n.id.clone()).collect();
    }
    Ok(room::Round::of(map, round, &cards))
}

fn show_address(room: &Room) {
    let a = room.address();
    if a.ip().is_unspecified() {
        println!("  Address:   http://<this computer's address>:{} (every network of this computer)", a.port());
        println!("             on this computer: http://127.0.0.1:{}", a.port());
        println!("             (a firewall must let in TCP port {}; guest Wi-Fi may keep phones apart)", a.port());
    } else {
        println!("  Address:   http://{a}");
    }
}

fn save(doc: &mut Document, file: &Path) -> Result<(), String> {
    io::save_path(doc.map(), file).map_err(|e| e.to_string())?;
    doc.mark_saved();
    Ok(())
}

/// Applies arrived events to the map and saves it; returns the last event saved.
fn take(doc: &mut Document, file: &Path, events: &[RoomEvent]) -> Result<u64, String> {
    for e in events {
        match e {
            RoomEvent::Joined { name, .. } => println!("joined: {}", name.as_deref().unwrap_or("anonymous")),
            RoomEvent::Idea { idea, .. } => {
                println!("idea from {}: {}", idea.sender().unwrap_or("anonymous"), idea.text.escape_debug());
            }
            RoomEvent::Vote { .. } => {}
        }
    }
    let last = events.iter().map(RoomEvent::seq).max().unwrap_or(0);
    if let Some(w) = room::apply(&doc.map().workshop, events) {
        doc.apply("From the room", Command::SetWorkshop(w)).map_err(|e| e.to_string())?;
    }
    if doc.is_dirty() {
        save(doc, file)?;
    }
    Ok(last)
}

/// The host's side of a live map in `serve`: its own session, joined to its own room.
fn share_live(doc: &mut Document, room: &Room, url: &str) -> Result<Connection, String> {
    let session = Session::host(doc, "Host", 1);
    room.lend_live_doc(session.engine_doc());
    let link = Link::open(url, Arc::new(|| {}))?;
    Ok(Connection::new(session, link))
}

/// Runs `serve`.
pub fn serve(args: ServeArgs<'_>) -> u8 {
    let bind: SocketAddr = match args.bind.parse() {
        Ok(b) => b,
        Err(_) => {
            eprintln!("--bind must be an address and a port, such as 0.0.0.0:8150 or 192.168.1.20:8150");
            return FAILED;
        }
    };
    let map: MissionMap = match load(args.file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let mut doc = Document::new(map);
    let round = match args.round.as_deref().map(|name| open_round(&mut doc, name, args.votes_each)).transpose() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    if doc.is_dirty()
        && let Err(e) = save(&mut doc, args.file)
    {
        eprintln!("{e}");
        return FAILED;
    }
    let stop = stop_flag();
    let options = RoomOptions { code: args.code, confirm_when_saved: true, live: args.live };
    let room = match Room::open(bind, doc.map(), &options) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    println!("Room open for {}", args.file.display());
    println!("  Join code: {}", room.code());
    show_address(&room);
    if let Some(r) = &round {
        println!("  Voting:    \"{}\", {} dots each, {} cards", r.name, r.votes_each, r.cards.len());
    }
    println!("Ideas and votes are saved to {} as they arrive. Ctrl+C closes the room.", args.file.display());
    room.set_round(round);
    let mut live = match room.host_live_url() {
        Some(url) => match share_live(&mut doc, &room, &url) {
            Ok(h) => {
                println!("Shared live: laptops join with the address and code above (File > Join a live map…).");
                Some(h)
            }
            Err(e) => {
                eprintln!("The map could not be shared live: {e}");
                return FAILED;
            }
        },
        None => None,
    };
    let mut failed = false;
    while !stop.load(Ordering::SeqCst) {
        let wait = if live.is_some() { Duration::from_millis(20) } else { Duration::from_millis(200) };
        let events = room.wait_events(wait);
        if let Some(h) = &mut live {
            if let Err(e) = h.pump(&mut doc, Duration::ZERO) {
                eprintln!("live: {e}");
            }
            for r in std::mem::take(&mut h.session.refused) {
                eprintln!("live: {r}");
            }
            if !events.is_empty() {
                // Ideas and dots are changes of the map like any other: the laptops get them too.
                let _ = room::apply(&doc.map().workshop, &events)
                    .map(|w| doc.apply("From the room", Command::SetWorkshop(w)));
                h.push(&doc);
            }
            if doc.is_dirty()
                && let Err(e) = save(&mut doc, args.file)
            {
                eprintln!("{e}");
                failed = true;
            }
            room.saved(events.iter().map(RoomEvent::seq).max().unwrap_or(0));
            continue;
        }
        if events.is_empty() {
            continue;
        }
        match take(&mut doc, args.file, &events) {
            Ok(last) => room.saved(last),
            Err(e) => {
                // The phones are not told "sent" for what is not saved; they will retry.
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    let last = room.close();
    if !last.is_empty()
        && let Err(e) = take(&mut doc, args.file, &last)
    {
        eprintln!("{e}");
        failed = true;
    }
    let ideas = doc.map().workshop.parking.len();
    match save(&mut doc, args.file) {
        Ok(()) => {
            let ideas = if ideas == 1 { "1 idea".to_owned() } else { format!("{ideas} ideas") };
            println!("Room closed; {} saved ({ideas} in the parking lot).", args.file.display());
            if failed { FAILED } else { OK }
        }
        Err(e) => {
            eprintln!("{e}");
            FAILED
        }
    }
}
