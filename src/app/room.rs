//! The room in the editor: Workshop ▸ Open the room. The server runs on its own thread
//! (`crate::room`); each frame the shell takes the finished events and puts ideas and dots into
//! the map as one command, so undo, autosave and merge treat them like any edit. The room is
//! closed with its window's button, when another map is opened, and when the app closes.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::MissionboardApp;
use crate::command::Command;
use crate::room::{self, Countdown, Room, RoomEvent, RoomOptions, Round};
use crate::ui::room::{self as room_ui, RoomAsk, RoomChoice, RoomView};

/// The room and its window.
#[derive(Default)]
pub(super) struct RoomSession {
    pub window_open: bool,
    pub room: Option<Room>,
    choice: Option<RoomChoice>,
    error: Option<String>,
    /// What the room was last told of the timer (running, seconds left), to tell it only changes.
    sent_timer: TimerSent,
    /// What the open round was last worked out from (revision, round, window open, selection).
    round_key: Option<(u64, usize, bool, Vec<crate::model::NodeId>)>,
}

/// What the room was last told of the timer.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum TimerSent {
    #[default]
    Nothing,
    Told(Option<(bool, u64)>),
}

/// The laptop's addresses, its networks' first and this laptop only (loopback) last. Read only
/// when the room's window opens: nothing about the network is looked at before.
fn addresses() -> Vec<(String, IpAddr)> {
    let mut out: Vec<(String, IpAddr)> = if_addrs::get_if_addrs()
        .map(|list| {
            list.into_iter()
                .filter(|i| !i.is_loopback() && i.ip().is_ipv4())
                .map(|i| (i.name.clone(), i.ip()))
                .collect()
        })
        .unwrap_or_default();
    out.push(("this laptop".to_owned(), IpAddr::V4(Ipv4Addr::LOCALHOST)));
    out
}

impl MissionboardApp {
    /// Whether a room is open, and its address.
    #[must_use]
    pub fn room_address(&self) -> Option<SocketAddr> {
        self.room.room.as_ref().map(Room::address)
    }

    /// Whether the open room answers the live map from this editor's own copy of it (one copy in
    /// the engine, not two).
    #[must_use]
    pub fn room_shares_the_editors_copy(&self) -> bool {
        self.room.room.as_ref().is_some_and(Room::live_doc_is_lent)
    }

    /// The open room's join code.
    #[must_use]
    pub fn room_code(&self) -> Option<String> {
        self.room.room.as_ref().map(|r| r.code().to_owned())
    }

    /// Chooses where the room will open (tests and a rehearsal: loopback, port 0 for any free one).
    pub fn choose_room_bind(&mut self, ip: IpAddr, port: u16) {
        let choice =
            self.room.choice.get_or_insert_with(|| RoomChoice { addresses: Vec::new(), chosen: 0, port, live: false });
        choice.addresses = vec![("chosen".to_owned(), ip)];
        choice.chosen = 0;
        choice.port = port;
    }

    /// Sets whether the room, when opened, lets laptops edit the map live.
    pub fn room_allow_live(&mut self, live: bool) {
        if self.room.choice.is_none() {
            self.room.choice =
                Some(RoomChoice { addresses: addresses(), chosen: 0, port: room::DEFAULT_PORT, live: false });
        }
        if let Some(c) = self.room.choice.as_mut() {
            c.live = live;
        }
    }

    /// Opens the room where chosen (and, when chosen, shares the map live with this editor as host).
    pub fn open_room_live(&mut self, ctx: &egui::Context) {
        self.open_room();
        if let Some(url) = self.room.room.as_ref().and_then(Room::host_live_url) {
            self.host_live(ctx, &url);
        }
    }

    /// Opens the room where chosen.
    pub fn open_room(&mut self) {
        let Some(choice) = &self.room.choice else { return };
        let Some((_, ip)) = choice.addresses.get(choice.chosen) else { return };
        let bind = SocketAddr::new(*ip, choice.port);
        // Where autosave works, a phone hears "sent" only once its idea or dot is in the autosave,
        // so nothing acknowledged is lost if the laptop dies (the recovery offer holds it).
        let options = RoomOptions { code: None, confirm_when_saved: self.files.autosaves(), live: choice.live };
        match Room::open(bind, self.ed.doc.map(), &options) {
            Ok(r) => {
                self.ed.say(format!("The room is open at http://{}: join code {}.", r.address(), r.code()));
                self.room.room = Some(r);
                self.room.error = None;
                self.room.sent_timer = TimerSent::Nothing;
                self.room.round_key = None;
            }
            Err(e) => self.room.error = Some(format!("The room could not open: {e}")),
        }
    }

    /// Closes the room at once; what arrived until then is kept.
    pub fn close_room(&mut self, now: f64) {
        if self.live.hosting {
            self.leave_live();
        }
        if let Some(r) = self.room.room.take() {
            let last = r.close();
            self.take_room_events(&last, now);
            self.ed.say("The room is closed: no one can send anything now.");
        }
    }

    fn take_room_events(&mut self, events: &[RoomEvent], now: f64) {
        if events.is_empty() {
            return;
        }
        for e in events {
            if let RoomEvent::Joined { name, .. } = e {
                self.ed.say(format!("{} joined the room.", name.as_deref().unwrap_or("Someone")));
            }
        }
        if let Some(w) = room::apply(&self.ed.doc.map().workshop, events) {
            let ideas = events.iter().filter(|e| matches!(e, RoomEvent::Idea { .. })).count();
            let dots = events.len() - ideas;
            if self.ed.apply("From the room", Command::SetWorkshop(w)) {
                self.autosave_now(now);
                let mut said = Vec::new();
                if ideas > 0 {
                    said.push(format!("{ideas} idea(s) in the parking lot"));
                }
                if dots > 0 {
                    said.push(format!("{dots} dot(s) in the voting round"));
                }
                if !said.is_empty() {
                    self.ed.say(format!("From the room: {}.", said.join(", ")));
                }
            }
        }
    }

    /// Tells the room its events are kept, so the phones waiting for them hear "sent": after the
    /// autosave wrote them (or when they changed nothing, a retry); not when the autosave failed.
    fn confirm_saved(&self, events: &[RoomEvent]) {
        let failed = self.ed.status.as_ref().is_some_and(|s| s.error && s.text.starts_with("Autosave failed"));
        if let (false, Some(r), Some(last)) = (failed, &self.room.room, events.iter().map(RoomEvent::seq).max()) {
            r.saved(last);
        }
    }

    /// Each frame: what the room sent goes into the map; the room learns the open round and the timer.
    pub(super) fn room_tick(&mut self, ctx: &egui::Context, now: f64) {
        let Some(r) = &self.room.room else { return };
        let events = r.events();
        // The voting round open to the room: the one in the Dot voting window while it is open;
        // worked out again only when the map, the round or the selection changed.
        let map = self.ed.doc.map();
        let selected: Vec<_> = if self.ed.cursor.selection.nodes.len() >= 2 {
            self.ed.cursor.selection.nodes.iter().cloned().collect()
        } else {
            Vec::new()
        };
        let key = (self.ed.doc.revision(), self.workshop.round, self.workshop.voting_open, selected);
        if self.room.round_key.as_ref() != Some(&key) {
            let round = (self.workshop.voting_open && !map.workshop.votes.is_empty()).then(|| {
                let v = &map.workshop.votes[self.workshop.round.min(map.workshop.votes.len() - 1)];
                let mut cards = if key.3.is_empty() { v.tally.keys().cloned().collect() } else { key.3.clone() };
                if cards.is_empty() {
                    cards = map.sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
                }
                Round::of(map, v, &cards)
            });
            if r.round() != round {
                r.set_round(round);
            }
            self.room.round_key = Some(key);
        }
        let t = &self.workshop.timer;
        let timer =
            (self.workshop.timer_open || t.running()).then(|| (t.running(), t.left(now).max(0.0).round() as u64));
        if self.room.sent_timer != TimerSent::Told(timer) {
            r.set_timer(timer.map(|(running, left)| Countdown {
                label: "Timer".to_owned(),
                left: Duration::from_secs(left),
                running,
            }));
            self.room.sent_timer = TimerSent::Told(timer);
        }
        self.take_room_events(&events, now);
        self.confirm_saved(&events);
        // Phones are heard within a fifth of a second; only while a room is open.
        ctx.request_repaint_after(Duration::from_millis(200));
    }

    /// The room's window.
    pub(super) fn room_window(&mut self, ctx: &egui::Context, now: f64) {
        if !self.room.window_open {
            return;
        }
        if self.room.choice.is_none() {
            self.room.choice =
                Some(RoomChoice { addresses: addresses(), chosen: 0, port: room::DEFAULT_PORT, live: false });
        }
        let view = self.room.room.as_ref().map(|r| RoomView {
            url: format!("http://{}", r.address()),
            code: r.code().to_owned(),
            people: r
                .people()
                .into_iter()
                .map(|p| (p.id, p.name.unwrap_or_else(|| format!("Person {}", p.id)), p.ideas))
                .collect(),
            connected: r.connected(),
            laptops: r.laptops().iter().filter(|l| l.person.is_some()).count(),
            locked: r.is_locked(),
            live: r.is_live(),
        });
        let mut open = true;
        let mut asks = Vec::new();
        let error = self.room.error.clone();
        let win = self.beside_canvas(ctx, "The room", 2);
        if let Some(choice) = self.room.choice.as_mut() {
            win.open(&mut open).default_width(560.0).show(ctx, |ui| {
                asks = room_ui::show(ui, choice, view.as_ref(), error.as_deref());
            });
        }
        // Closing the window keeps the room open (the join screen can come back); the button closes it.
        self.room.window_open = open;
        for ask in asks {
            match ask {
                RoomAsk::Open => self.open_room_live(ctx),
                RoomAsk::Close => self.close_room(now),
                RoomAsk::Lock(on) => {
                    if let Some(r) = &self.room.room {
                        r.set_locked(on);
                    }
                }
                RoomAsk::Remove(id) => {
                    if let Some(r) = &self.room.room
                        && r.remove(id)
                    {
                        self.ed.say("Removed from the room: their phone can send nothing more.");
                    }
                }
            }
        }
    }
}
