//! The windows and side panels beside the canvas: the workshop tools, the portfolio, the checks,
//! and the derived data they show (find and filter hits, pathways, vote badges, comparisons).

use std::collections::HashSet;

use super::MissionboardApp;
use crate::model::analysis::{self, Checked};
use crate::model::{NodeId, search};
use crate::ui::portfolio as portfolio_window;
use crate::ui::workshop::{self as workshop_ui};

impl MissionboardApp {
    pub(super) fn dimmed(&mut self) -> (Option<HashSet<NodeId>>, Vec<NodeId>) {
        let query = if self.find.open { self.find.query.trim().to_owned() } else { String::new() };
        if query.is_empty() && !self.filter.is_active() {
            self.find_cache = None;
            return (None, Vec::new());
        }
        let rev = self.ed.doc.revision();
        let stale = self.find_cache.as_ref().is_none_or(|(r, q, f, _)| *r != rev || *q != query || *f != self.filter);
        if stale {
            let mut hits: Vec<NodeId> = self
                .map()
                .nodes()
                .filter(|n| self.filter.keeps(n) && (query.is_empty() || search::matches(n, &query)))
                .map(|n| n.id.clone())
                .collect();
            let map = self.ed.doc.map();
            hits.sort_by(|a, b| {
                let (pa, pb) = (map.placement(a).unwrap_or_default(), map.placement(b).unwrap_or_default());
                pa.y.total_cmp(&pb.y).then(pa.x.total_cmp(&pb.x)).then_with(|| a.cmp(b))
            });
            self.find_cache = Some((rev, query, self.filter.clone(), hits));
        }
        let hits = self.find_cache.as_ref().map(|c| c.3.clone()).unwrap_or_default();
        let keep: HashSet<&NodeId> = hits.iter().collect();
        let dim = self.map().nodes().filter(|n| !keep.contains(&n.id)).map(|n| n.id.clone()).collect();
        (Some(dim), hits)
    }

    pub(super) fn workshop_windows(&mut self, ctx: &egui::Context, now: f64) {
        let today = Some(chrono::Local::now().date_naive());
        let mut events = Vec::new();
        if self.workshop.parking_open {
            let mut open = true;
            let workshop = &self.ed.doc.map().workshop;
            egui::Window::new("Parking lot").open(&mut open).default_width(360.0).show(ctx, |ui| {
                events.extend(workshop_ui::parking(ui, workshop));
            });
            self.workshop.parking_open = open;
        }
        if self.workshop.voting_open {
            let mut open = true;
            let selected = self.ed.cursor.selection.single_node().cloned();
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            egui::Window::new("Dot voting").open(&mut open).default_width(420.0).show(ctx, |ui| {
                events.extend(workshop_ui::voting(ui, state, map, selected.as_ref(), today));
            });
            self.workshop.voting_open = open;
        }
        if self.workshop.sessions_open {
            let mut open = true;
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            egui::Window::new("Sessions and changes").open(&mut open).default_width(420.0).show(ctx, |ui| {
                events.extend(workshop_ui::sessions(ui, state, map, today));
            });
            self.workshop.sessions_open = open;
            if !open {
                self.workshop.comparing = None;
            }
        }
        if self.workshop.timer_open {
            let mut open = true;
            let state = &mut self.workshop;
            egui::Window::new("Timer").open(&mut open).default_width(300.0).show(ctx, |ui| {
                workshop_ui::timer(ui, state, now);
            });
            self.workshop.timer_open = open;
        }
        for e in events {
            self.ed.workshop_event(e);
        }
        // Keep the comparison current as the map changes (fingerprinting every card: only on change).
        if let Some((i, rev, _)) = self.workshop.comparing
            && rev != self.ed.doc.revision()
        {
            self.compare(Some(i));
        }
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
        let show_votes = self.workshop.voting_open || self.present.is_some();
        let key = (
            self.ed.doc.revision(),
            self.workshop.round,
            show_votes,
            self.workshop.comparing.as_ref().map(|c| (c.0, c.1)),
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
        if let Some((_, _, d)) = &self.workshop.comparing {
            for id in &d.added {
                self.canvas.marks.insert(id.clone(), workshop_ui::ADDED);
            }
            for id in &d.edited {
                self.canvas.marks.insert(id.clone(), workshop_ui::EDITED);
            }
        }
    }

    /// Runs the checks again when the document changed since they last ran (not in the middle of
    /// a drag: moving cards changes no finding, and a 10,000-card map takes ~20 ms to check).
    pub(super) fn refresh_checks(&mut self) {
        let rev = self.ed.doc.revision();
        let dragging = self.ed.dragging();
        if self.checks_cache.as_ref().is_none_or(|(r, _)| *r != rev && !dragging) {
            self.checks_cache = Some((rev, analysis::run_checks(self.ed.doc.map())));
        }
    }

    /// The findings as they stand (run now if out of date).
    pub fn checked(&mut self) -> &Checked {
        self.refresh_checks();
        &self.checks_cache.get_or_insert_with(|| (0, Checked::default())).1
    }

    /// Adds the pathway through the selection to what is dimmed, and says which links to light up.
    pub(super) fn with_pathway(
        &mut self,
        dim: Option<HashSet<NodeId>>,
    ) -> (Option<HashSet<NodeId>>, Option<HashSet<crate::model::LinkId>>) {
        if !self.ed.settings.pathways || self.ed.cursor.selection.nodes.is_empty() {
            self.pathway_cache = None;
            return (dim, None);
        }
        let rev = self.ed.doc.revision();
        let selection = self.ed.cursor.selection.clone();
        let stale = self.pathway_cache.as_ref().is_none_or(|(r, s, _)| *r != rev || s.nodes != selection.nodes);
        if stale {
            let from: Vec<NodeId> = selection.nodes.iter().cloned().collect();
            let path = analysis::pathway(self.ed.doc.map(), &from);
            self.pathway_cache = Some((rev, selection, path));
        }
        let Some((_, _, path)) = &self.pathway_cache else { return (dim, None) };
        let mut dim = dim.unwrap_or_default();
        dim.extend(self.ed.doc.map().nodes().filter(|n| !path.cards.contains(&n.id)).map(|n| n.id.clone()));
        (Some(dim), Some(path.links.clone()))
    }

    pub(super) fn portfolio_window(&mut self, ctx: &egui::Context) {
        if !self.portfolio.open {
            return;
        }
        let rev = self.ed.doc.revision();
        if self.portfolio_cache.as_ref().is_none_or(|(r, _)| *r != rev) {
            self.portfolio_cache = Some((rev, analysis::portfolio(self.ed.doc.map())));
        }
        let Some((_, portfolio)) = &self.portfolio_cache else { return };
        let mut open = self.portfolio.open;
        let mut picked = None;
        let map = self.ed.doc.map();
        let title_of = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
        egui::Window::new("Mission portfolio").open(&mut open).default_size([620.0, 520.0]).resizable(true).show(
            ctx,
            |ui| {
                picked = portfolio_window::show(ui, portfolio, &mut self.portfolio, &title_of);
            },
        );
        self.portfolio.open = open;
        if let Some(cards) = picked {
            let n = cards.len();
            self.ed.show_cards(&cards, &[]);
            self.ed.say(format!("{n} cards selected."));
        }
    }
}
