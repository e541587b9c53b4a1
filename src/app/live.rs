//! Live sharing in the editor: File ▸ Share live… (the room opens with laptops allowed to edit,
//! and this editor joins its own room as the host) and File ▸ Join a live map…. Each frame the
//! shell passes what the wire brought to the session, which changes the map through
//! `Document::apply_remote` (so undo takes back only this laptop's edits), and sends this
//! laptop's edits and selection. Nothing is opened before the person asks.

use std::sync::Arc;
use std::time::Duration;

use super::MissionboardApp;
use crate::live::net::{Link, Wire};
use crate::live::{Person, Session};
use crate::ui::live::{JoinAsk, JoinForm, LiveAsk, LiveView, Presence};

/// The live map this editor is in, and its windows.
#[derive(Default)]
pub(super) struct LiveShare {
    pub join_open: bool,
    pub window_open: bool,
    pub form: JoinForm,
    pub session: Option<(Session, Link)>,
    pub hosting: bool,
    /// How the wire is doing, in words.
    pub status: String,
    pub error: Option<String>,
    pub connected: bool,
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
        self.live.session.as_ref().map(|(s, _)| s.people.iter().map(|(_, p)| p.clone()).collect()).unwrap_or_default()
    }

    /// Joins this editor to the room it has just opened, as the host.
    pub(super) fn host_live(&mut self, ctx: &egui::Context, url: &str) {
        let session = Session::host(&mut self.ed.doc, &self.live.form.name_or("Host"), crate::live::new_client_id());
        let c = ctx.clone();
        match Link::open(url, Arc::new(move || c.request_repaint())) {
            Ok(link) => {
                self.live.session = Some((session, link));
                self.live.hosting = true;
                self.live.window_open = true;
                self.live.status = String::new();
            }
            Err(e) => self.live.error = Some(format!("The map could not be shared live: {e}")),
        }
    }

    /// Joins a map shared live at the form's address.
    pub fn join_live(&mut self, ctx: &egui::Context) {
        let name = self.live.form.name_or("Guest");
        let url = match crate::cli::sync::live_url(&self.live.form.address, Some(self.live.form.code.trim()), &name) {
            Ok(u) => u,
            Err(e) => {
                self.live.error = Some(e);
                return;
            }
        };
        if self.ed.doc.is_dirty() {
            self.ed.say("Save this map first: joining a live map puts the shared map in its place.");
            self.live.error = Some("This map has unsaved changes: save it first (Ctrl+S), then join.".to_owned());
            return;
        }
        // A room's map takes this one's place (it is not a file of this laptop until saved as one);
        // a relay's new, empty room takes this map instead.
        if url.contains("/live?") {
            self.replace_document(crate::model::MissionMap::new("Joining a live map\u{2026}"), true, None);
        } else {
            self.leave_live();
        }
        let session = Session::join(&mut self.ed.doc, &name, crate::live::new_client_id());
        let c = ctx.clone();
        match Link::open(&url, Arc::new(move || c.request_repaint())) {
            Ok(link) => {
                self.live.session = Some((session, link));
                self.live.hosting = false;
                self.live.join_open = false;
                self.live.window_open = true;
                self.live.error = None;
                "Joining\u{2026}".clone_into(&mut self.live.status);
            }
            Err(e) => self.live.error = Some(e),
        }
    }

    /// Leaves the live map; the map stays as it is now, as this laptop's own.
    pub fn leave_live(&mut self) {
        if let Some((mut s, link)) = self.live.session.take() {
            if let Some(bye) = s.goodbye() {
                link.send(bye);
                std::thread::sleep(Duration::from_millis(50));
            }
            drop(link);
            self.ed.doc.set_id_tag(None);
            self.ed.say("You left the live map: the map stays here as it is now.");
        }
        self.live.hosting = false;
        self.live.connected = false;
    }

    /// Each frame: what arrived goes into the map; our edits and selection go out.
    pub(super) fn live_tick(&mut self, ctx: &egui::Context) {
        let Some((session, link)) = self.live.session.as_mut() else { return };
        // Others' changes wait while a title is being typed or a drag is going on: they would
        // otherwise be part of this laptop's undo step.
        let busy = self.ed.doc.in_transaction();
        let was_joined = session.joined();
        let mut changed = false;
        if !busy {
            for w in link.poll() {
                match w {
                    Wire::Connected => {
                        self.live.connected = true;
                        self.live.status = String::new();
                        for m in session.greeting() {
                            link.send(m);
                        }
                    }
                    Wire::Message(m) => {
                        let before = self.ed.doc.revision();
                        for r in session.handle(&m, &mut self.ed.doc) {
                            link.send(r);
                        }
                        changed |= self.ed.doc.revision() != before;
                    }
                    Wire::Lost(why) => {
                        self.live.connected = false;
                        self.live.status =
                            format!("Connection lost ({why}); trying again. Keep editing: nothing is lost.");
                    }
                    Wire::Refused(why) => {
                        self.live.error = Some(format!("The live map refused this laptop: {why}"));
                        self.live.connected = false;
                    }
                }
            }
            if let Some(u) = session.local(&self.ed.doc) {
                link.send(u);
            }
        }
        let focus = self.ed.cursor.selection.single_node().cloned();
        if let Some(m) = session.set_focus(focus.as_ref(), busy) {
            link.send(m);
        }
        if let Some(d) = &session.denied {
            self.live.error = Some(format!("The host said: {d}"));
        }
        if !was_joined && self.live.session.as_ref().is_some_and(|(s, _)| s.joined()) {
            // The shared map has just arrived: show all of it.
            self.fit_pending = true;
            self.live.status.clear();
        }
        if changed {
            // Saved by the autosave's own timer, like any edit (not at once: a busy live map would
            // write the file many times a second).
            self.ed.cursor.selection.retain_existing(self.ed.doc.map());
        }
        if matches!(self.live.error.as_deref(), Some(e) if e.starts_with("The live map refused")) {
            self.leave_live();
        }
        // Others' edits show within a fifth of a second even when this laptop is idle.
        ctx.request_repaint_after(Duration::from_millis(200));
    }

    /// Who is on which card, for the canvas.
    #[must_use]
    pub(super) fn presence(&self) -> Vec<Presence> {
        let Some((s, _)) = &self.live.session else { return Vec::new() };
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
            self.beside_canvas(ctx, "Join a live map", 0)
                .open(&mut open)
                .collapsible(false)
                .default_width(420.0)
                .show(ctx, |ui| ask = crate::ui::live::join_form(ui, &mut self.live.form, error.as_deref()));
            self.live.join_open = open;
            match ask {
                Some(JoinAsk::Join) => self.join_live(ctx),
                Some(JoinAsk::Cancel) => self.live.join_open = false,
                None => {}
            }
        }
        if !self.live.window_open {
            return;
        }
        let Some((session, _)) = &self.live.session else {
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
                    // The card's title, not its id.
                    if let Some(t) = p
                        .card
                        .as_deref()
                        .and_then(|c| crate::model::NodeId::new(c).ok())
                        .and_then(|id| self.ed.doc.map().node(&id))
                        .map(|n| n.title.clone())
                    {
                        p.card = Some(format!("\u{201c}{t}\u{201d}"));
                    }
                    p
                })
                .collect(),
            laptops,
            replaced: session
                .replaced
                .iter()
                .rev()
                .take(50)
                .map(|r| crate::ui::live::describe_replaced(self.ed.doc.map(), r))
                .collect(),
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
                LiveAsk::Leave => self.leave_live(),
                LiveAsk::ReadOnly(person, on) => {
                    if let Some(r) = &self.room.room {
                        r.set_read_only(person, on);
                    }
                }
            }
        }
    }
}
