//! The windows and side panels beside the canvas: the workshop tools, the portfolio, the checks,
//! and the derived data they show (find and filter hits, pathways, vote badges, comparisons).

use super::MissionboardApp;
use crate::editor::Intent;
use crate::model::NodeId;
use crate::model::analysis::Checked;
use crate::ui::portfolio as portfolio_window;
use crate::ui::workshop::{self as workshop_ui};

impl MissionboardApp {
    /// A workshop window placed where it hides least: at the canvas's right edge, below the windows
    /// already open there (or, when they fill the edge, `nth` a little lower than the one before),
    /// and kept inside the canvas (never over the menus or the toolbar). Once the person moves it,
    /// egui remembers where.
    pub(super) fn beside_canvas(&self, ctx: &egui::Context, title: &str, nth: usize) -> egui::Window<'static> {
        let c = self.canvas_rect;
        let window = egui::Window::new(title.to_owned());
        if !c.is_positive() {
            return window;
        }
        let mut top = c.top() + 12.0;
        {
            // The id egui gives a window from its title.
            let own = egui::Id::unique(Some(std::borrow::Cow::Borrowed(title)));
            // The lowest bottom of the other windows at the right edge.
            let below = ctx.memory(|m| {
                m.areas()
                    .visible_layer_ids()
                    .into_iter()
                    .filter(|l| l.order == egui::Order::Middle && l.id != own)
                    .filter_map(|l| m.area_rect(l.id))
                    .filter(|r| (r.right() - c.right()).abs() < 60.0)
                    .map(|r| r.bottom())
                    .fold(None, |a: Option<f32>, b| Some(a.map_or(b, |a| a.max(b))))
            });
            match below {
                Some(b) if b + 8.0 < c.bottom() - 160.0 => top = b + 8.0,
                // The edge is full: a little lower than the one before, over it.
                Some(_) => top += 36.0 * nth as f32,
                None => {}
            }
        }
        // A small first guess at its height: egui keeps a new window inside the canvas by that
        // guess (its default, 420 points, pushed it up over the window above).
        window
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(egui::pos2(c.right() - 12.0, top))
            .default_height(120.0)
            .constrain_to(c)
    }

    /// A large window (portfolio, progress, money) at the top left of the map's area: off the menus
    /// and the toolbar, and growing to the right (one at the right edge grew off screen to the left).
    pub(super) fn in_canvas(&self, title: &str) -> egui::Window<'static> {
        let c = self.canvas_rect;
        let window = egui::Window::new(title.to_owned());
        if !c.is_positive() {
            return window;
        }
        window.pivot(egui::Align2::LEFT_TOP).default_pos(c.left_top() + egui::vec2(12.0, 12.0))
    }

    /// Draws the open workshop windows; returns what they ask for.
    pub(super) fn workshop_windows(&mut self, ctx: &egui::Context, now: f64) -> Vec<Intent> {
        let today = Some(chrono::Local::now().date_naive());
        let mut events = Vec::new();
        if self.workshop.parking_open {
            let mut open = true;
            let win = self.beside_canvas(ctx, "Parking lot", 1);
            let workshop = &self.ed.doc.map().workshop;
            win.open(&mut open).default_width(360.0).show(ctx, |ui| {
                events.extend(workshop_ui::parking(ui, workshop));
            });
            self.workshop.parking_open = open;
        }
        if self.workshop.voting_open {
            let mut open = true;
            let selected = self.ed.cursor.selection.single_node().cloned();
            let win = self.beside_canvas(ctx, "Dot voting", 0);
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            win.open(&mut open).default_width(420.0).show(ctx, |ui| {
                events.extend(workshop_ui::voting(ui, state, map, selected.as_ref(), today));
            });
            self.workshop.voting_open = open;
        }
        if self.workshop.sessions_open {
            let mut open = true;
            let win = self.beside_canvas(ctx, "Sessions and changes", 2);
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            win.open(&mut open).default_width(420.0).show(ctx, |ui| {
                events.extend(workshop_ui::sessions(ui, state, map, today));
            });
            self.workshop.sessions_open = open;
            if !open {
                self.workshop.comparing = None;
            }
        }
        if self.workshop.timer_open {
            let mut open = true;
            let win = self.beside_canvas(ctx, "Timer", 3);
            let state = &mut self.workshop;
            win.open(&mut open).default_width(300.0).show(ctx, |ui| {
                workshop_ui::timer(ui, state, now);
            });
            self.workshop.timer_open = open;
        }
        // Keep the comparison current as the map changes (fingerprinting every card: only on change).
        if let Some((i, rev, _)) = self.workshop.comparing
            && rev != self.ed.doc.revision()
        {
            self.compare(Some(i));
        }
        events.into_iter().map(Intent::Workshop).collect()
    }

    /// Compares the map with snapshot `which` (or stops comparing).
    pub(super) fn compare(&mut self, which: Option<usize>) {
        let rev = self.ed.doc.revision();
        self.workshop.comparing = which.and_then(|i| {
            self.map().workshop.snapshots.get(i).map(|s| (i, rev, crate::model::workshop::since(s, self.ed.doc.map())))
        });
    }

    /// Votes of the current round and the outlines of a comparison, for the canvas; rebuilt only
    /// when one of them can have changed.
    pub(super) fn canvas_marks(&mut self) {
        self.canvas_status();
        let show_votes = self.workshop.voting_open || self.present.is_some();
        let key = (
            self.ed.doc.revision(),
            self.workshop.round,
            show_votes,
            self.workshop.comparing.as_ref().map(|c| (c.0, c.1)),
            self.copies.generation,
        );
        if self.marks_key == Some(key) {
            return;
        }
        self.marks_key = Some(key);
        self.canvas.votes.clear();
        if show_votes && let Some(round) = self.map().workshop.votes.get(self.workshop.round) {
            self.canvas.votes = round.tally.iter().map(|(k, v)| (k.clone(), *v)).collect();
        }
        self.canvas.marks.clear();
        if let Some((added, changed)) = self.comparison_marks() {
            for id in added {
                self.canvas.marks.insert(id, workshop_ui::ADDED);
            }
            for id in changed {
                self.canvas.marks.insert(id, workshop_ui::EDITED);
            }
        }
        if let Some((_, _, d)) = &self.workshop.comparing {
            for id in &d.added {
                self.canvas.marks.insert(id.clone(), workshop_ui::ADDED);
            }
            for id in &d.edited {
                self.canvas.marks.insert(id.clone(), workshop_ui::EDITED);
            }
        }
    }

    /// The findings as they stand (run now if out of date).
    pub fn checked(&mut self) -> &Checked {
        self.derived.checks(&self.ed.doc, self.ed.dragging())
    }

    /// Draws the portfolio window if open; returns the cards picked in it.
    pub(super) fn portfolio_window(&mut self, ctx: &egui::Context) -> Option<Intent> {
        if !self.portfolio.open {
            return None;
        }
        // Inside the map's area, off the menus and the toolbar (it opened over them).
        let win = self.in_canvas("Mission portfolio");
        let (portfolio, updating) = self.derived.portfolio_state(&self.ed.doc);
        let mut open = self.portfolio.open;
        let mut picked = None;
        let map = self.ed.doc.map();
        let title_of = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
        win.open(&mut open).default_size([620.0, 520.0]).resizable(true).show(ctx, |ui| {
            if updating {
                // No spinner: it would draw every frame until the worker wakes the window.
                ui.label("updating… (these figures are for the map as it was a moment ago)");
            }
            picked = portfolio_window::show(ui, portfolio, &mut self.portfolio, &title_of);
        });
        self.portfolio.open = open;
        picked.map(Intent::Show)
    }
}
