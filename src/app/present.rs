//! Present mode on screen: the caption, the timer, the notes strip, the presenter window, and the
//! canvas framed on what the current step reveals. The steps themselves are `editor::present`.

use std::collections::HashSet;

use egui::{Key, RichText};

use super::{MissionboardApp, rect_of};
use crate::editor::present::{self as steps, Present, PresentMove, Timer};
use crate::model::NodeId;
use crate::ui::canvas::{self, Selection, View};
use crate::ui::workshop::{self as workshop_ui};

impl MissionboardApp {
    pub(super) fn start_presenting(&mut self, ctx: &egui::Context) {
        self.ed.commit_edit();
        self.present = Some(Present::of(self.ed.doc.map()));
        self.present_cache = None;
        self.before_present = Some((self.canvas.view, self.canvas.size));
        self.canvas.show_minimap = false;
        self.ed.cursor.selection = Selection::default();
        self.ed.cursor.editing = None;
        self.canvas.present = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        self.ed.say("Presenting: the arrow keys or a clicker step through; Esc ends.");
    }

    pub(super) fn stop_presenting(&mut self, ctx: &egui::Context) {
        self.present = None;
        self.present_cache = None;
        self.canvas.present = false;
        self.canvas.dimmed = None;
        self.canvas.show_minimap = self.ed.settings.show_minimap;
        // The editor's view as it was, for the canvas size it was made for: when the canvas comes
        // back smaller (the panels return), the canvas keeps its middle in the middle, as on any
        // resize. (Fitting anew here was undone by that resize step: the map stayed panned, its
        // left column cut.)
        match self.before_present.take() {
            Some((view, size)) => {
                self.canvas.view = view;
                self.canvas.size = size;
            }
            None => self.fit_pending = true,
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        self.ed.say("The presentation has ended: back to editing.");
    }

    /// In present mode: the step (from 0), the number of steps, and the caption shown.
    #[must_use]
    pub fn presenting(&self) -> Option<(usize, usize, String)> {
        self.present.as_ref().map(|p| (p.step, p.steps.len(), steps::caption(self.ed.doc.map(), &p.steps[p.step])))
    }

    /// The countdown timer (tests drive it through egui's clock).
    #[must_use]
    pub fn timer(&self) -> &Timer {
        &self.workshop.timer
    }

    /// The cards revealed at the current step (`None`: all), recomputed when the step or map changes.
    pub(super) fn present_reveal(&mut self) -> Option<Vec<NodeId>> {
        let p = self.present.as_ref()?;
        let rev = self.ed.doc.revision();
        let size = self.canvas.size;
        if let Some((r, step, cards, framed)) = &self.present_cache
            && *r == rev
            && *step == p.step
            && *framed == size
        {
            return cards.clone();
        }
        let portfolio = self.derived.portfolio_now(&self.ed.doc);
        let cards = steps::revealed(self.ed.doc.map(), portfolio, &p.steps[p.step]);
        // Frame what is revealed, as large as fits.
        let bounds = match &cards {
            Some(ids) => crate::editor::cards_bounds(self.map(), ids).map(rect_of),
            None => canvas::map_bounds(self.map()),
        };
        if let Some(b) = bounds
            && self.canvas.size.x > 0.0
        {
            // The screen is the presenter's: a thin margin, so titles are as large as they can be.
            self.canvas.view = View::fit_within(b.expand(8.0), self.canvas.size, 12.0);
        }
        self.present_cache = Some((rev, p.step, cards.clone(), size));
        cards
    }

    pub(super) fn present_frame(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, now: f64) {
        let Some(p) = self.present.clone() else { return };
        let step = &p.steps[p.step];
        let mut caption = steps::caption(self.ed.doc.map(), step);
        // Each mission's status, computed from its readings, beside its name.
        if let crate::editor::Step::Mission { id, .. } = step
            && let Some(c) = self.progress.of_card(id).filter(|c| c.driver.is_some())
        {
            caption = format!("{caption} \u{2014} {}", c.status_text().to_lowercase());
        }
        let timer_shown =
            self.workshop.timer.running() || self.workshop.timer.just_ended(now) || self.workshop.timer_open;
        egui::Panel::top("present_caption").show(ui, |ui| {
            // The step counter and the timer first, on the right; the heading takes the room left
            // and wraps onto a second line rather than running under them (large text, long names).
            ui.horizontal(|ui| {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if timer_shown {
                        let t = &self.workshop.timer;
                        let colour =
                            if t.just_ended(now) { workshop_ui::pulse(now) } else { ui.visuals().strong_text_color() };
                        let r = ui.label(RichText::new(t.text(now)).size(44.0).monospace().color(colour));
                        let spoken = format!("Timer {}", t.text(now));
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Timer, true, &spoken));
                        if t.just_ended(now) {
                            ui.label(RichText::new("Time is up").size(28.0).color(colour));
                        }
                    }
                    ui.label(RichText::new(format!("{} / {}", p.step + 1, p.steps.len())).size(22.0));
                    ui.add_space(16.0);
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true), |ui| {
                        ui.add(egui::Label::new(RichText::new(&caption).size(34.0).strong()).wrap());
                    });
                });
            });
        });
        let notes_text = p.notes_text(self.map());
        let next_text = p.next_caption(self.map());
        if p.notes {
            egui::Panel::bottom("present_notes").show(ui, |ui| {
                ui.label(RichText::new(format!("Next: {next_text}")).size(20.0));
                if !notes_text.is_empty() {
                    ui.label(RichText::new(&notes_text).size(18.0));
                }
            });
        }
        if p.presenter_view {
            let title = self.map().meta.title.clone();
            // The presenter window may have the keyboard: it steps the presentation too.
            let (next, back, end) = ctx.show_viewport_immediate(
                egui::ViewportId::from_hash_of("missionboard_presenter"),
                egui::ViewportBuilder::default()
                    .with_title(format!("{title} \u{2014} presenter view"))
                    .with_inner_size([560.0, 380.0]),
                |ui, _class| {
                    egui::CentralPanel::default().show(ui, |ui| {
                        ui.heading(&caption);
                        ui.label(RichText::new(format!("Step {} of {}", p.step + 1, p.steps.len())).size(18.0));
                        ui.label(RichText::new(format!("Next: {next_text}")).size(20.0).strong());
                        ui.separator();
                        ui.label(if notes_text.is_empty() { "No notes for this step." } else { notes_text.as_str() });
                        ui.separator();
                        ui.label(RichText::new(self.workshop.timer.text(now)).size(36.0).monospace());
                        ui.label("Arrow keys or a clicker step through; Esc ends the presentation.");
                    });
                    ui.input(|i| {
                        let any = |keys: &[Key]| keys.iter().any(|&k| i.key_pressed(k));
                        (
                            any(&[Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space, Key::Enter]),
                            any(&[Key::ArrowLeft, Key::ArrowUp, Key::PageUp, Key::Backspace]),
                            any(&[Key::Escape, Key::F5]) || i.viewport().close_requested(),
                        )
                    })
                },
            );
            if let Some(present) = &mut self.present {
                for (asked, m) in
                    [(next, PresentMove::Next), (back, PresentMove::Back), (end, PresentMove::ClosePresenterView)]
                {
                    if asked {
                        present.go(m);
                    }
                }
            }
        }
        let reveal = self.present_reveal();
        self.canvas.dimmed = reveal.map(|cards| {
            let keep: HashSet<&NodeId> = cards.iter().collect();
            self.ed.doc.map().nodes().filter(|n| !keep.contains(&n.id)).map(|n| n.id.clone()).collect()
        });
        self.canvas.lit_links = None;
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.scene.update(self.ed.doc.map(), self.ed.doc.revision());
            let (_response, _events) =
                canvas::show(ui, self.ed.doc.map(), &self.scene, &mut self.canvas, &mut self.ed.cursor, now);
        });
        if self.workshop.timer.running() || self.workshop.timer.just_ended(now) {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
    }
}
