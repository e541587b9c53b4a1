//! Live sharing in the editor: File ▸ Share live… (the room opens with laptops allowed to edit,
//! and this editor joins its own room as the host) and File ▸ Join a live map…. Each frame the
//! shell passes what the wire brought to the session, which changes the map through
//! `Document::apply_remote` (so undo takes back only this laptop's edits), and sends this
//! laptop's edits and selection. Nothing is opened before the person asks.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::MissionboardApp;
use crate::live::net::Link;
use crate::live::{Connection, Event, Person, Session};
use crate::ui::live::{JoinAsk, JoinForm, LiveAsk, LiveView, Presence};

/// The live map this editor is in, and its windows.
#[derive(Default)]
pub(super) struct LiveShare {
    pub join_open: bool,
    pub window_open: bool,
    pub form: JoinForm,
    pub session: Option<Connection>,
    pub hosting: bool,
    /// How the wire is doing, in words.
    pub status: String,
    pub error: Option<String>,
    pub connected: bool,
    /// The map (and its file) a join put aside, until the shared map arrives: leaving before it
    /// does puts it back rather than leaving the placeholder "Joining a live map…".
    pub before_join: Option<(crate::model::MissionMap, Option<std::path::PathBuf>)>,
    /// Frames until a map put back is fitted: the Live map window closes as it comes back, and a
    /// fit at once went into the corner of the canvas that window had left free.
    pub refit_in: u8,
}

impl MissionboardApp {
    /// File ▸ Share live…: the room's window, set to let laptops edit.
    pub(super) fn ask_share_live(&mut self) {
        self.room.window_open = true;
        self.room_allow_live(true);
        if self.room.room.is_some() && self.live.session.is_none() {
            self.ed.say("Close the room and open it again to let laptops edit the map live.");
        }
    }

    /// Whether this editor is in a live map.
    #[must_use]
    pub fn is_live(&self) -> bool {
        self.live.session.is_some()
    }

    /// How the live map is doing, in words, and what went wrong if anything did.
    #[must_use]
    pub fn live_status(&self) -> (String, Option<String>) {
        (self.live.status.clone(), self.live.error.clone())
    }

    /// The people in the live map (others), for tests and the window.
    #[must_use]
    pub fn live_people(&self) -> Vec<Person> {
        self.live
            .session
            .as_ref()
            .map(|c| c.session.people.iter().map(|(_, p)| p.clone()).collect())
            .unwrap_or_default()
    }

    /// Joins this editor to the room it has just opened, as the host.
    pub(super) fn host_live(&mut self, ctx: &egui::Context, url: &str) {
        let session = Session::host(&mut self.ed.doc, &self.live.form.name_or("Host"), crate::live::new_client_id());
        if let Some(room) = &self.room.room {
            room.lend_live_doc(session.engine_doc());
        }
        let c = ctx.clone();
        match Link::open(url, Arc::new(move || c.request_repaint())) {
            Ok(link) => {
                self.live.session = Some(Connection::new(session, link));
                self.live.hosting = true;
                self.live.window_open = true;
                self.live.status = String::new();
            }
            Err(e) => self.live.error = Some(format!("The map could not be shared live: {e}")),
        }
    }

    /// File ▸ Join a live map…: the join window, with the address and name last used.
    pub(super) fn open_join_live(&mut self) {
        let form = &mut self.live.form;
        if form.address.trim().is_empty() {
            form.address.clone_from(&self.ed.settings.live_address);
        }
        if form.name.trim().is_empty() {
            form.name.clone_from(&self.ed.settings.live_name);
        }
        self.live.join_open = true;
    }

    /// Joins a map shared live at the form's address.
    pub fn join_live(&mut self, ctx: &egui::Context) {
        self.join_live_unless_unsaved(ctx, true);
    }

    /// Joins a map shared live at the form's address, letting this map's unsaved changes go (the
    /// person chose to).
    pub fn join_live_letting_go(&mut self, ctx: &egui::Context) {
        self.join_live_unless_unsaved(ctx, false);
    }

    fn join_live_unless_unsaved(&mut self, ctx: &egui::Context, keep_unsaved: bool) {
        let name = self.live.form.name_or("Guest");
        let url = match crate::cli::sync::live_url(&self.live.form.address, Some(self.live.form.code.trim()), &name) {
            Ok(u) => u,
            Err(e) => {
                self.live.error = Some(e);
                return;
            }
        };
        self.ed.settings.live_address = self.live.form.address.trim().to_owned();
        self.ed.settings.live_name = self.live.form.name.trim().to_owned();
        if keep_unsaved && self.ed.doc.is_dirty() {
            self.ed.say("Save this map first: joining a live map puts the shared map in its place.");
            self.live.error = Some(
                "This map has unsaved changes: save it first (Ctrl+S), then join; or let them go and join.".to_owned(),
            );
            return;
        }
        // A room's map takes this one's place (it is not a file of this laptop until saved as one);
        // a relay's new, empty room takes this map instead.
        if url.contains("/live?") {
            let aside =
                (!self.ed.doc.is_dirty()).then(|| (self.ed.doc.map().clone(), self.path().map(Path::to_path_buf)));
            self.replace_document(crate::model::MissionMap::new("Joining a live map\u{2026}"), true, None);
            self.live.before_join = aside;
        } else {
            self.leave_live();
        }
        let session = Session::join(&mut self.ed.doc, &name, crate::live::new_client_id());
        let c = ctx.clone();
        match Link::open(&url, Arc::new(move || c.request_repaint())) {
            Ok(link) => {
                self.live.session = Some(Connection::new(session, link));
                self.live.hosting = false;
                self.live.join_open = false;
                self.live.window_open = true;
                self.live.error = None;
                "Joining\u{2026}".clone_into(&mut self.live.status);
                // What the status bar said before (such as "Save this map first") is over.
                self.ed.say(format!("Joining the live map at {}\u{2026}", self.live.form.address.trim()));
            }
            Err(e) => self.live.error = Some(e),
        }
    }

    /// Why this laptop may not change the map now (the live map's host made it read-only).
    #[must_use]
    pub fn read_only_reason(&self) -> Option<&str> {
        self.ed.doc.locked()
    }

    /// As [`Self::leave_live`], and where the shared map never arrived (the window's Leave while
    /// connecting, or the live map refusing this laptop), the map the person had before is put
    /// back; whether it was.
    fn leave_live_going_back(&mut self) -> bool {
        let never_joined = self.live.session.as_ref().is_some_and(|c| !c.session.joined());
        self.leave_live();
        match (never_joined, self.live.before_join.take()) {
            (true, Some((map, path))) => {
                self.replace_document(map, true, path.as_deref());
                self.live.window_open = false;
                // Fitted once the window is off the screen (see `refit_in`).
                self.fit_pending = false;
                self.live.refit_in = 2;
                true
            }
            _ => false,
        }
    }

    /// Leaves the live map; the map stays as it is now, as this laptop's own.
    pub fn leave_live(&mut self) {
        if let Some(mut c) = self.live.session.take() {
            if let Some(bye) = c.session.goodbye() {
                c.link.send(bye);
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(c);
            self.ed.doc.set_id_tag(None);
            self.ed.doc.set_locked(None);
            self.ed.say("You left the live map: the map stays here as it is now.");
        }
        self.live.hosting = false;
        self.live.connected = false;
    }

    /// At the start of each frame: what arrived goes into the map (so the frame that takes an edit
    /// also draws it). What this laptop does goes out at the frame's end ([`Self::live_send`]).
    pub(super) fn live_tick(&mut self, ctx: &egui::Context) {
        if self.live.refit_in > 0 {
            self.live.refit_in -= 1;
            self.fit_pending |= self.live.refit_in == 0;
            ctx.request_repaint();
        }
        let Some(conn) = self.live.session.as_mut() else { return };
        // Others' changes wait while a title is being typed or a drag is going on: they would
        // otherwise be part of this laptop's undo step.
        let busy = self.ed.doc.in_transaction();
        let was_joined = conn.session.joined();
        let before = self.ed.doc.revision();
        if !busy {
            let wires = conn.link.poll();
            for e in conn.take(&mut self.ed.doc, wires) {
                match e {
                    Event::Connected => {
                        self.live.connected = true;
                        self.live.status = String::new();
                    }
                    Event::Lost(why) => {
                        self.live.connected = false;
                        self.live.status =
                            format!("Connection lost ({why}); trying again. Keep editing: nothing is lost.");
                    }
                    Event::Refused(why) => {
                        self.live.error = Some(format!("The live map refused this laptop: {why}"));
                        self.live.connected = false;
                    }
                }
            }
        }
        let changed = self.ed.doc.revision() != before;
        let session = &conn.session;
        if let Some(d) = &session.denied {
            self.live.error = Some(format!("The host said: {d}"));
        } else if self.live.error.as_deref().is_some_and(|e| e.starts_with("The host said:")) {
            self.live.error = None;
        }
        // A read-only laptop's map takes no edits of its own (they would only be refused by the
        // host and leave this map different from everyone's) until the host lets it edit again.
        if self.ed.doc.locked().is_some() != session.read_only {
            self.ed.doc.set_locked(session.read_only.then(|| {
                "this laptop may only look at the live map (the host made it read-only; ask the host to let it edit)"
                    .to_owned()
            }));
        }
        if !was_joined && self.live.session.as_ref().is_some_and(|c| c.session.joined()) {
            self.live.before_join = None;
            // The shared map has just arrived: show all of it.
            self.fit_pending = true;
            self.live.status.clear();
        }
        if changed {
            // Saved by the autosave's own timer, like any edit (not at once: a busy live map would
            // write the file many times a second).
            self.ed.cursor.selection.retain_existing(self.ed.doc.map());
        }
        if let Some(why) = self.live.error.clone().filter(|e| e.starts_with("The live map refused")) {
            let back = if self.leave_live_going_back() { " Your map is back as it was." } else { "" };
            let end = if why.ends_with(['.', '!', '?']) { "" } else { "." };
            self.ed.warn(format!("{why}{end}{back}"));
        }
        // Others' edits wake the window as they arrive (the wire's thread asks for a frame); an
        // idle window only needs a frame now and then to say again who is here. (It drew five
        // frames a second: 40-85 % of a core under software drawing, with nothing changing.)
        ctx.request_repaint_after(crate::live::session::RENEW);
    }

    /// At the end of each frame: this laptop's edits of the frame, and where it is, go out.
    pub(super) fn live_send(&mut self) {
        let Some(conn) = self.live.session.as_mut() else { return };
        let busy = self.ed.doc.in_transaction();
        if !busy {
            conn.push(&self.ed.doc);
        }
        let focus = self.ed.cursor.selection.single_node().cloned();
        if let Some(m) = conn.session.set_focus(focus.as_ref(), busy).or_else(|| conn.session.renew()) {
            conn.link.send(m);
        }
    }

    /// Who is on which card, for the canvas.
    #[must_use]
    pub(super) fn presence(&self) -> Vec<Presence> {
        let Some(Connection { session: s, .. }) = &self.live.session else { return Vec::new() };
        s.people
            .iter()
            .filter_map(|(_, p)| {
                let card = crate::model::NodeId::new(p.card.as_deref()?).ok()?;
                Some(Presence { card, initials: p.initials.clone(), colour: p.colour, typing: p.typing })
            })
            .collect()
    }

    /// The live windows: joining, and who is here.
    pub(super) fn live_windows(&mut self, ctx: &egui::Context) {
        if self.live.join_open {
            let mut open = true;
            let mut ask = None;
            let error = self.live.error.clone();
            // Beside the map, off the menus (it opened at the top left, over them).
            self.beside_canvas(ctx, "Join a live map", 0).open(&mut open).collapsible(false).default_width(420.0).show(
                ctx,
                |ui| {
                    let unsaved = self.ed.doc.is_dirty();
                    ask = crate::ui::live::join_form(ui, &mut self.live.form, error.as_deref(), unsaved);
                },
            );
            self.live.join_open = open;
            match ask {
                Some(JoinAsk::Join) => self.join_live(ctx),
                Some(JoinAsk::JoinDiscarding) => self.join_live_letting_go(ctx),
                Some(JoinAsk::Cancel) => self.live.join_open = false,
                None => {}
            }
        }
        if !self.live.window_open {
            return;
        }
        let Some(Connection { session, .. }) = &self.live.session else {
            self.live.window_open = false;
            return;
        };
        let laptops = self.room.room.as_ref().map(crate::room::Room::laptops).unwrap_or_default();
        let view = LiveView {
            hosting: self.live.hosting,
            connected: self.live.connected,
            status: self.live.status.clone(),
            error: self.live.error.clone(),
            people: session
                .people
                .iter()
                .map(|(_, p)| {
                    let mut p = p.clone();
                    // The card's title, not its id (a card this map does not have, such as one
                    // a read-only laptop made that never came here, goes unnamed).
                    p.card = p
                        .card
                        .as_deref()
                        .and_then(|c| crate::model::NodeId::new(c).ok())
                        .and_then(|id| self.ed.doc.map().node(&id))
                        .map(|n| format!("\u{201c}{}\u{201d}", n.title));
                    p
                })
                .collect(),
            laptops,
            replaced: session.replaced.iter().rev().take(50).map(|r| r.describe(self.ed.doc.map())).collect(),
            refused: session.refused.iter().rev().take(50).cloned().collect(),
        };
        let mut open = true;
        let mut asks = Vec::new();
        // Bottom left of the map: the room's window and the workshop windows are at the right.
        let c = self.canvas_rect;
        let mut win = egui::Window::new("Live map");
        if c.is_positive() {
            win = win
                .pivot(egui::Align2::LEFT_BOTTOM)
                .default_pos(c.left_bottom() + egui::vec2(12.0, -12.0))
                .constrain_to(c);
        }
        win.open(&mut open).default_width(380.0).show(ctx, |ui| asks = crate::ui::live::show(ui, &view));
        self.live.window_open = open;
        for ask in asks {
            match ask {
                LiveAsk::Leave => {
                    if self.leave_live_going_back() {
                        self.ed.say("You left before the live map arrived: your map is back as it was.");
                    }
                }
                LiveAsk::ReadOnly(person, on) => {
                    if let Some(r) = &self.room.room {
                        r.set_read_only(person, on);
                    }
                }
            }
        }
    }
}
