//! Running what was asked: the shell's own actions (files, view, windows, clipboard, present
//! mode) after the editor core has taken the editing ones, and the core's outcome applied to the
//! view once per frame (reveal cards, glide after a layout, refusals by the pointer).

use std::path::Path;

use egui::pos2;

use super::{Dialog, MissionboardApp, PathPurpose, Then, rect_of, safe_file_name};
use crate::editor::{Effect, Reveal};
use crate::ui::actions::Action;
use crate::ui::canvas::{self, View};
use crate::ui::checks::{self as checks_panel, ChecksEvent};

/// How long news stays in the status bar (a warning stays until the next thing is said).
pub(super) const NEWS_SECONDS: f64 = 12.0;

impl MissionboardApp {
    /// News ("Saved", "Added …") leaves the status bar after a while, so it never reads as the
    /// state of things later; warnings and hints stay until what they say stops being true.
    fn expire_news(&mut self, ctx: &egui::Context, now: f64) {
        let news = self.ed.status.as_ref().filter(|s| !s.error && !s.while_empty).map(|s| s.text.clone());
        match (news, &self.news_since) {
            (None, _) => self.news_since = None,
            (Some(text), Some((seen, since))) if *seen == text => {
                if now - since >= NEWS_SECONDS {
                    self.ed.status = None;
                    self.news_since = None;
                } else {
                    ctx.request_repaint_after(std::time::Duration::from_secs_f64(NEWS_SECONDS - (now - since) + 0.05));
                }
            }
            (Some(text), _) => {
                self.news_since = Some((text, now));
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(NEWS_SECONDS + 0.05));
            }
        }
    }

    /// Does what the core asked of the view: show cards, glide, refuse by the pointer.
    pub(super) fn apply_outcome(&mut self, ctx: &egui::Context) {
        self.ed.refresh_status();
        let out = self.ed.take_outcome();
        let now = ctx.input(|i| i.time);
        self.expire_news(ctx, now);
        let size = self.canvas.size;
        // Cards are shown in the part of the canvas no window or minimap covers.
        let free = self.free_view(ctx, true);
        match out.reveal {
            Some(Reveal::Card(id)) => self.reveal_in(free, &[id], true, true),
            Some(Reveal::Cards(cards)) => self.reveal_in(free, &cards, false, true),
            Some(Reveal::Fit) => self.fit_pending = true,
            None => {}
        }
        if let Some(msg) = out.refused {
            let at = ctx.input(|i| i.pointer.hover_pos()).unwrap_or_else(|| (size / 2.0).to_pos2());
            self.canvas.refusal = Some((msg, at, now));
        }
        for e in out.effects {
            match e {
                Effect::Glide(before) => self.glide = Some((before, now)),
                Effect::FocusCanvas => self.focus_canvas = true,
                Effect::Compare(which) => self.compare(which),
            }
        }
    }

    /// The part of the canvas (in the canvas's own coordinates) that no floating window covers,
    /// nor the minimap when `minimap` and it is shown.
    pub(super) fn free_view(&self, ctx: &egui::Context, minimap: bool) -> egui::Rect {
        let c = self.canvas_rect;
        let whole = egui::Rect::from_min_size(egui::Pos2::ZERO, self.canvas.size);
        if !c.is_positive() {
            return whole;
        }
        let mut obstacles: Vec<egui::Rect> = ctx.memory(|m| {
            let areas = m.areas();
            areas
                .visible_layer_ids()
                .into_iter()
                .filter(|l| l.order == egui::Order::Middle)
                .filter_map(|l| m.area_rect(l.id))
                .collect()
        });
        if minimap {
            obstacles.extend(self.canvas.minimap_rect);
        }
        canvas::free_part(c, &obstacles).translate(-c.min.to_vec2())
    }

    /// Brings `cards` into `free` (canvas coordinates): cards already wholly there stay put; others
    /// are centred in it, zoomed out only when they do not fit (`one`: a single card, brought
    /// close enough to read its title). `may_zoom` false keeps the zoom whatever it is.
    fn reveal_in(&mut self, free: egui::Rect, cards: &[crate::model::NodeId], one: bool, may_zoom: bool) {
        let Some(b) = crate::editor::cards_bounds(self.map(), cards).map(rect_of) else { return };
        if free.width() < 1.0 || free.height() < 1.0 {
            return;
        }
        let too_far = may_zoom && one && self.canvas.view.zoom < canvas::READABLE_ZOOM;
        if too_far {
            self.canvas.view.zoom = canvas::READABLE_ZOOM;
        }
        let shown = self.canvas.view.rect_to_screen(egui::Pos2::ZERO, b);
        let margin = if one { 16.0 } else { 40.0 };
        if !too_far && free.shrink(margin).contains_rect(shown) {
            return;
        }
        let fits = shown.width() < free.width() - 2.0 * margin && shown.height() < free.height() - 2.0 * margin;
        if one || !may_zoom || (fits && self.canvas.view.zoom >= canvas::READABLE_ZOOM) {
            let zoom = self.canvas.view.zoom;
            self.canvas.view.offset = free.center().to_vec2() - b.center().to_vec2() * zoom;
        } else {
            let mut view = View::fit(b.expand(80.0), free.size());
            view.zoom = view.zoom.min(1.0);
            view.offset = free.center().to_vec2() - b.center().to_vec2() * view.zoom;
            self.canvas.view = view;
        }
    }

    /// When a window opens over the map shown whole, the map is fitted beside it; over the selected
    /// cards, they move into the free part of the view (a window opened once is put back where the
    /// person left it, which may be over them).
    pub(super) fn keep_selection_clear_of_new_windows(&mut self, ctx: &egui::Context) {
        let windows: Vec<(egui::Id, egui::Rect)> = ctx.memory(|m| {
            let areas = m.areas();
            let mut w: Vec<(egui::Id, egui::Rect)> = areas
                .visible_layer_ids()
                .into_iter()
                .filter(|l| l.order == egui::Order::Middle)
                .filter_map(|l| m.area_rect(l.id).map(|r| (l.id, r)))
                .collect();
            w.sort_by_key(|(id, _)| id.value());
            w
        });
        let ids: Vec<egui::Id> = windows.iter().map(|(id, _)| *id).collect();
        let opened: Vec<egui::Rect> =
            windows.iter().filter(|(id, _)| !self.windows_seen.contains(id)).map(|(_, r)| *r).collect();
        self.windows_seen = ids;
        let c = self.canvas_rect;
        if opened.is_empty() || !c.is_positive() {
            return;
        }
        // The whole map was in view and the window covers part of it: fit it beside the window,
        // unless that would make it much smaller (windows filling most of a small canvas).
        if let Some(b) = self.scene.bounds {
            let shown = self.canvas.view.rect_to_screen(c.min, b);
            if c.contains_rect(shown) && opened.iter().any(|w| w.intersects(shown)) {
                let free = self.free_view(ctx, false);
                if View::fit(b, free.size()).zoom >= 0.6 * self.canvas.view.zoom {
                    self.fit_pending = true;
                }
                return;
            }
        }
        let cards: Vec<crate::model::NodeId> = self.ed.cursor.selection.nodes.iter().cloned().collect();
        if cards.is_empty() {
            return;
        }
        let Some(b) = crate::editor::cards_bounds(self.map(), &cards).map(rect_of) else { return };
        let shown = self.canvas.view.rect_to_screen(c.min, b);
        if c.intersects(shown) && opened.iter().any(|w| w.intersects(shown)) {
            let free = self.free_view(ctx, true);
            self.reveal_in(free, &cards, cards.len() == 1, false);
        }
    }

    /// The map point in the middle of the view.
    pub(super) fn view_centre(&self) -> egui::Pos2 {
        let size = self.canvas.size;
        self.canvas.view.to_map(egui::Pos2::ZERO, (size / 2.0).to_pos2())
    }

    pub(super) fn zoom_by(&mut self, factor: f32) {
        let centre = (self.canvas.size / 2.0).to_pos2();
        self.canvas.view.zoom_at(egui::Pos2::ZERO, centre, factor);
    }

    /// Runs one action.
    pub(super) fn perform(&mut self, ctx: &egui::Context, action: Action) {
        if self.ed.perform(action) {
            return;
        }
        match action {
            Action::NewBlank => self.guard(ctx, Then::NewBlank),
            Action::NewFromSample => self.guard(ctx, Then::NewSample),
            Action::NewFromMazzucato => self.guard(ctx, Then::NewMazzucato),
            Action::Present => self.start_presenting(ctx),
            Action::QuickCapture => {
                self.workshop.capture_open = true;
                self.workshop.focus_capture = true;
                self.workshop.capture_target = self.ed.cursor.selection.single_node().cloned();
            }
            Action::ParkingLot => self.workshop.parking_open = !self.workshop.parking_open,
            Action::Voting => self.workshop.voting_open = !self.workshop.voting_open,
            Action::Timer => self.workshop.timer_open = !self.workshop.timer_open,
            Action::TimerStartPause => {
                let now = ctx.input(|i| i.time);
                self.workshop.timer.toggle(now);
                self.ed.say(if self.workshop.timer.running() {
                    "Timer running (F9 pauses it)."
                } else {
                    "Timer paused (F9 starts it again)."
                });
            }
            Action::Room => self.room.window_open = !self.room.window_open,
            Action::Sessions => self.workshop.sessions_open = !self.workshop.sessions_open,
            Action::Open => self.guard(ctx, Then::AskOpen),
            Action::Save => {
                self.save();
            }
            Action::SaveAs => self.ask_path(PathPurpose::SaveAs),
            Action::CompareWith => self.ask_path(PathPurpose::Compare),
            Action::MergeCopy => self.ask_path(PathPurpose::Merge),
            Action::HandOutCopies => self.ask_handout(),
            Action::ShareLive => self.ask_share_live(),
            Action::JoinLive => self.open_join_live(),
            Action::Progress => self.progress_panel.open = !self.progress_panel.open,
            Action::Money => self.money_panel.open = !self.money_panel.open,
            Action::BoardPack => self.ask_path(PathPurpose::Pack),
            Action::ImportGrants => self.ask_grants(ctx),
            Action::ExportWorkbook => self.ask_path(PathPurpose::Workbook),
            Action::Copy | Action::Cut => {
                if let Some(text) = self.ed.copy_text() {
                    ctx.copy_text(text);
                    if action == Action::Cut {
                        self.ed.delete_selection();
                    } else {
                        self.ed.say(format!("Copied {} card(s)", self.ed.cursor.selection.nodes.len()));
                    }
                } else {
                    self.ed.say("Select cards to copy");
                }
            }
            Action::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Action::Export => {
                let stem = self.files.path().and_then(|p| p.file_name()).map_or_else(
                    || safe_file_name(&self.map().meta.title),
                    |n| n.to_string_lossy().trim_end_matches(".ron").trim_end_matches(".mission").to_owned(),
                );
                let dir = self.files.path().and_then(|p| p.parent()).map(Path::to_path_buf).unwrap_or_default();
                let path =
                    dir.join(format!("{stem}.{}", self.ed.settings.export.format.extension())).display().to_string();
                self.preview = None;
                self.dialog = Some(Dialog::Export { path });
            }
            Action::CopyImage | Action::CopySvg => {
                let mut choices = self.ed.settings.export.clone();
                choices.selection_only = !self.ed.cursor.selection.nodes.is_empty();
                choices.title_block = false;
                choices.legend = false;
                let opts = choices.options(&self.ed.cursor.selection, self.ed.settings.theme);
                if action == Action::CopySvg {
                    ctx.copy_text(crate::export::svg::to_svg(self.map(), &opts));
                    self.ed.say("Copied as SVG text");
                } else {
                    match crate::export::render::to_rgba(self.map(), &opts) {
                        Ok((w, h, rgba, note)) => {
                            ctx.copy_image(egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba));
                            self.ed.say(note.unwrap_or_else(|| {
                                format!("Copied a {w} × {h} picture; paste it into a slide or document")
                            }));
                        }
                        Err(e) => self.ed.warn(e.to_string()),
                    }
                }
            }
            Action::ZoomIn => self.zoom_by(1.25),
            Action::ZoomOut => self.zoom_by(0.8),
            Action::ZoomFit => self.fit_pending = true,
            Action::ZoomActual => {
                // Centre on the selection, or keep the middle of the view where it is.
                let c = match self.ed.cursor.selection.nodes.iter().next().and_then(|id| self.map().placement(id)) {
                    Some(p) => pos2(p.x, p.y),
                    None => self.view_centre(),
                };
                self.canvas.view.zoom = 1.0;
                self.canvas.view.centre_on(c, self.canvas.size);
            }
            Action::Find => {
                self.find.open = true;
                self.find.focus_requested = true;
            }
            Action::CommandPalette => self.palette = Some(self.palette_typed.take().unwrap_or_default()),
            Action::Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            Action::NextFinding | Action::PreviousFinding => {
                self.ed.settings.show_checks = true;
                self.ed.settings.hide_side_panels = false;
                let forward = action == Action::NextFinding;
                let checked = self.derived.checks(&self.ed.doc, self.ed.dragging());
                let found = checks_panel::step(checked, &self.checks, forward).cloned();
                match found {
                    Some(f) => {
                        self.checks.current = Some(f.key.clone());
                        self.checks.reason.clear();
                        self.checks.scroll_to_current = true;
                        self.ed.checks_event(ChecksEvent::Show(f));
                    }
                    None => self.ed.say("The checks find nothing to report."),
                }
            }
            Action::Portfolio => self.portfolio.open = !self.portfolio.open,
            // The editing actions, handled by the core above.
            _ => {}
        }
    }
}
