//! The editor application: owns the document and the editor state, draws the UI, and applies what
//! the UI asks for. The UI only emits actions and commands; everything that changes the document
//! goes through [`Document::apply`], so every change can be undone.

mod comfort;
mod commands;
mod copies;
mod dialogs;
mod files;
mod grants;
pub mod icon;
mod input;
mod live;
mod menus;
mod money;
mod palette;
mod present;
mod progress;
mod room;
mod windows;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::Receiver;

use egui::pos2;

use crate::editor::derived::{Derived, Filter};
pub use crate::editor::files::AUTOSAVE_SECONDS;
use crate::editor::files::{FileSession, safe_file_name};
use crate::editor::present::Present;
use crate::editor::{Editor, Intent, Point};
pub use crate::editor::{ExportChoices, Settings, Status};
use crate::io;
use crate::model::{MissionMap, NodeId};
use crate::sample;
use crate::ui::actions::Action;
use crate::ui::canvas::{self, CanvasState, Selection, View};
use crate::ui::checks::{self as checks_panel, ChecksState};
use crate::ui::inspector;
use crate::ui::portfolio::PortfolioState;
use crate::ui::scene::Scene;
use crate::ui::workshop::{self as workshop_ui, ParkedDrag, WorkshopEvent, WorkshopState};

const SETTINGS_KEY: &str = "missionboard_settings";
/// How long cards glide to their places after a layout.
const GLIDE_SECONDS: f64 = 0.45;
const MAX_RECENT: usize = 8;

/// Where cards were before a layout, and when they began to glide to their new places.
type Glide = (std::collections::HashMap<NodeId, (f32, f32)>, f64);

/// What to do once the person has answered "save your changes?".
#[derive(Clone, Debug, PartialEq)]
enum Then {
    NewBlank,
    NewSample,
    NewMazzucato,
    Open(PathBuf),
    AskOpen,
    Close,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PathPurpose {
    Open,
    SaveAs,
    /// File ▸ Compare with…
    Compare,
    /// File ▸ Merge a copy…
    Merge,
    /// File ▸ Board pack…
    Pack,
    /// File ▸ Export to Excel workbook…
    Workbook,
}

impl PathPurpose {
    fn title(&self) -> &'static str {
        match self {
            PathPurpose::Open => "Open a mission map",
            PathPurpose::SaveAs => "Save the map as",
            PathPurpose::Compare => "Compare this map with another",
            PathPurpose::Merge => "Merge a copy into this map",
            PathPurpose::Pack => "Write the board pack (PDF)",
            PathPurpose::Workbook => "Export the cards and links to an Excel workbook",
        }
    }

    fn button(&self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Compare => "Compare",
            PathPurpose::Merge => "Merge",
            PathPurpose::Pack | PathPurpose::Workbook => "Write",
        }
    }
}

/// The dialogs that sit over the editor.
#[derive(Clone, Debug)]
enum Dialog {
    /// "You have unsaved changes": save, discard or cancel, then do `then`.
    Unsaved(Then),
    /// Ask for a file path in the app (always possible, even when no system dialog can be shown).
    /// `copies`: for Merge, the handed-out copies found beside the map, to pick from.
    Path { purpose: PathPurpose, text: String, waiting: bool, copies: Vec<crate::editor::copies::FoundCopy> },
    /// A message that needs an OK.
    Message { title: String, body: String },
    /// Export a picture: choices, a preview, and the file to write.
    Export { path: String },
    /// Autosaves left by a Missionboard that did not close cleanly, each with what it holds.
    Recover(Vec<(io::recovery::Orphan, String)>),
    /// The file changed on disk since it was opened: reload, save as, or overwrite.
    ChangedOnDisk(PathBuf),
    /// File ▸ Import 360Giving grants…: its state is `MissionboardApp::grants` (too big to copy
    /// each frame).
    Grants,
}

/// Revision, voting round, whether votes show, the comparison (snapshot, revision), and the
/// comparison with another file (its generation).
type MarksKey = (u64, usize, bool, Option<(usize, u64)>, u64);

#[derive(Default)]
struct FindState {
    open: bool,
    query: String,
    current: usize,
    focus_requested: bool,
}

#[derive(Default)]
struct PaletteState {
    query: String,
    chosen: usize,
    /// Run the first match at once (an Enter typed in the frame that opened the palette).
    run: bool,
}

/// The running app.
pub struct MissionboardApp {
    /// The editor core: the document, selection, settings and status line.
    ed: Editor,
    /// The file the map belongs to, its hold and its autosave.
    files: FileSession,
    canvas: CanvasState,
    /// Where the canvas is on screen (below the toolbar, beside the side panels): workshop windows
    /// open at its right edge and stay inside it, off the menus.
    canvas_rect: egui::Rect,
    scene: Scene,
    dialog: Option<Dialog>,
    find: FindState,
    filter: Filter,
    palette: Option<PaletteState>,
    /// What was typed after Ctrl+K in the frame that opens the palette.
    palette_typed: Option<PaletteState>,
    show_shortcuts: bool,
    fit_pending: bool,
    file_job: Option<Receiver<Option<PathBuf>>>,
    allow_close: bool,
    focus_canvas: bool,
    /// What to do after the current dialog closes.
    pending_then: Option<Then>,
    pending_open: Option<PathBuf>,
    /// Cards gliding to their new places after a layout: where they were, and when it began.
    glide: Option<Glide>,
    /// The export preview and the choices it was drawn for.
    preview: Option<(String, egui::TextureHandle)>,
    checks: ChecksState,
    /// Checks, portfolio, pathways and find hits, kept for the revision they were computed for.
    derived: Derived,
    portfolio: PortfolioState,
    workshop: WorkshopState,
    /// The room (phones' ideas and dots), when open.
    room: room::RoomSession,
    /// The live map (laptops editing at once), when in one.
    live: live::LiveShare,
    /// Whether a dialog was shown last frame (its path box is reset when it closes).
    dialog_was_open: bool,
    copies: copies::CopiesState,
    present: Option<Present>,
    /// The cards revealed at a presentation step, for a revision.
    present_cache: Option<(u64, usize, Option<Vec<NodeId>>, egui::Vec2)>,
    /// The editor's view and canvas size when present mode began, given back when it ends.
    before_present: Option<(View, egui::Vec2)>,
    /// What the canvas's vote badges and outlines were last built for.
    marks_key: Option<MarksKey>,
    was_focused: bool,
    /// The status bar's news and when it first showed (news goes after a while; warnings and
    /// hints stay until what they say stops being true).
    news_since: Option<(String, f64)>,
    /// The day progress is evaluated on, when fixed (tests); otherwise today.
    today: Option<chrono::NaiveDate>,
    /// The revision and day the canvas's status chips were computed for, and the progress then.
    progress_key: Option<(u64, chrono::NaiveDate)>,
    progress: crate::model::progress::Progress,
    progress_panel: crate::ui::progress::ProgressState,
    money_panel: crate::ui::money::MoneyState,
    /// The grants import dialog's state (shown while `dialog` is `Dialog::Grants`).
    grants: crate::editor::grants::GrantImport,
    /// Requests given from outside the window (tests, benchmarks), handled with the next frame's.
    queued: Vec<Intent>,
    /// The window title last sent to the window.
    sent_title: Option<String>,
    /// The floating windows open at the last frame (a new one must not hide the selection).
    windows_seen: Vec<egui::Id>,
}

impl MissionboardApp {
    /// Opens `file`, or the UK missions sample when there is none. A file that cannot be read opens
    /// the sample instead and says why; the file itself is never touched.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> MissionboardApp {
        let settings = cc.storage.and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY)).unwrap_or_default();
        let mut app = MissionboardApp::with_map(&cc.egui_ctx, sample::uk_missions(), settings);
        if let Some(dir) = directories::ProjectDirs::from("uk.gov", "Missionboard", "missionboard") {
            app.use_data_dir(dir.data_dir());
        }
        if let Some(path) = file {
            app.open_path(&path);
        }
        app
    }

    /// An app showing `map` (unsaved, no file), for tests and benchmarks that run without eframe.
    #[must_use]
    pub fn with_map(ctx: &egui::Context, map: MissionMap, settings: Settings) -> MissionboardApp {
        configure_style(ctx);
        let mut canvas = CanvasState::default();
        canvas.show_minimap = settings.show_minimap;
        canvas.new_kind = Some(settings.last_kind);
        let mut derived = Derived::default();
        let repaint = ctx.clone();
        derived.set_waker(std::sync::Arc::new(move || repaint.request_repaint()));
        MissionboardApp {
            ed: Editor::new(map, settings),
            files: FileSession::default(),
            canvas,
            scene: Scene::default(),
            dialog: None,
            find: FindState::default(),
            filter: Filter::default(),
            palette: None,
            palette_typed: None,
            show_shortcuts: false,
            fit_pending: true,
            news_since: None,
            file_job: None,
            allow_close: false,
            focus_canvas: true,
            pending_then: None,
            pending_open: None,
            glide: None,
            preview: None,
            checks: ChecksState::default(),
            derived,
            portfolio: PortfolioState::default(),
            workshop: WorkshopState::default(),
            room: room::RoomSession::default(),
            live: live::LiveShare::default(),
            dialog_was_open: false,
            canvas_rect: egui::Rect::NOTHING,
            copies: copies::CopiesState::default(),
            present: None,
            present_cache: None,
            before_present: None,
            marks_key: None,
            was_focused: true,
            today: None,
            progress_key: None,
            progress: crate::model::progress::Progress::default(),
            progress_panel: crate::ui::progress::ProgressState::default(),
            money_panel: crate::ui::money::MoneyState::default(),
            grants: crate::editor::grants::GrantImport::default(),
            queued: Vec::new(),
            sent_title: None,
            windows_seen: Vec::new(),
        }
    }

    /// Asks for `intent` as if a panel had emitted it: it is handled with the next frame's requests.
    /// For tests and benchmarks that drive the editor without pointing at widgets.
    pub fn queue(&mut self, intent: Intent) {
        self.queued.push(intent);
    }

    /// The map being edited.
    #[must_use]
    pub fn map(&self) -> &MissionMap {
        self.ed.doc.map()
    }

    /// The document with its history.
    #[must_use]
    pub fn document(&self) -> &crate::command::Document {
        &self.ed.doc
    }

    /// The selected cards and links.
    #[must_use]
    pub fn selection(&self) -> &Selection {
        &self.ed.cursor.selection
    }

    /// The size of the canvas on screen at the last frame.
    #[must_use]
    pub fn canvas_size(&self) -> egui::Vec2 {
        self.canvas.size
    }

    /// The canvas's pan and zoom.
    #[must_use]
    pub fn view(&self) -> View {
        self.canvas.view
    }

    /// Moves the view (benchmarks and tests pan without a pointer).
    pub fn set_view(&mut self, view: View) {
        self.canvas.view = view;
        self.fit_pending = false;
    }

    /// The message in the status bar, if any.
    #[must_use]
    pub fn status(&self) -> Option<&Status> {
        self.ed.status.as_ref()
    }

    /// The cards drawn dimmed at the last frame (find, filter or pathways), if any.
    #[must_use]
    pub fn dimmed_cards(&self) -> Option<&HashSet<NodeId>> {
        self.canvas.dimmed.as_ref()
    }

    /// What is kept between runs (tests: what the next run would start with).
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.ed.settings
    }

    /// The file the map is saved in.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.files.path()
    }

    /// Sets the file path without saving (tests, and Save As from the CLI).
    pub fn set_path(&mut self, path: Option<PathBuf>) {
        self.files.set_path(path);
    }

    /// Runs an action as if chosen from a menu.
    pub fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        self.perform(ctx, action);
        self.apply_outcome(ctx);
    }

    /// The window title: file name, and whether there are unsaved changes.
    #[must_use]
    pub fn title(&self) -> String {
        let name = self
            .files
            .path()
            .and_then(|p| p.file_name())
            .map_or_else(|| self.map().meta.title.clone(), |n| n.to_string_lossy().into_owned());
        if self.ed.doc.is_dirty() {
            format!("* {name} (unsaved changes) — Missionboard")
        } else {
            format!("{name} — Missionboard")
        }
    }

    // ------------------------------------------------------------------------------------- files

    // ------------------------------------------------------------------------------------- editing

    // ------------------------------------------------------------------------------------- keyboard

    // ------------------------------------------------------------------------------------- canvas events

    // ------------------------------------------------------------------------------------- workshop

    // ------------------------------------------------------------------------------------- analysis

    // ------------------------------------------------------------------------------------- panels
}

/// The widths (default, least, most) of the inspector and the checks panel for `room` points of
/// window width. At 1280 pixels and normal text both have their natural widths; at 125-150 % text
/// (1024-853 points) each gets a smaller share, so the map keeps over 55 % of the width with both
/// open.
#[derive(Clone, Copy, Debug)]
struct PanelWidths {
    inspector: (f32, f32, f32),
    checks: (f32, f32, f32),
}

fn side_panel_widths(room: f32) -> PanelWidths {
    // Wide windows (normal text): the panels' natural widths. Narrower ones (larger text, in
    // points): shares of the room, so the map keeps over half of it.
    let (inspector, checks) = if room >= 1200.0 { (340.0f32, 320.0f32) } else { (room * 0.24, room * 0.2) };
    PanelWidths {
        inspector: (inspector, inspector.min(200.0), (room * 0.3).max(inspector)),
        checks: (checks, checks.min(160.0), (room * 0.25).max(checks)),
    }
}

/// A map rectangle `[x0, y0, x1, y1]` as egui's.
fn rect_of([x0, y0, x1, y1]: [f32; 4]) -> egui::Rect {
    egui::Rect::from_min_max(pos2(x0, y0), pos2(x1, y1))
}

/// Whether a widget other than the canvas (a text field, a button) has the keyboard.
fn keyboard_elsewhere(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.focused().is_some_and(|f| f != canvas::canvas_id()))
}

fn menu_item(ui: &mut egui::Ui, action: Action, on: Option<bool>, actions: &mut Vec<Action>) {
    let mut b = match on {
        Some(on) => egui::Button::selectable(on, action.text()),
        None => egui::Button::new(action.text()),
    };
    if let Some(s) = action.shortcut_text() {
        b = b.shortcut_text(s);
    }
    if ui.add(b).on_hover_text(action.tooltip()).clicked() {
        actions.push(action);
        ui.close();
    }
}

fn configure_style(ctx: &egui::Context) {
    ctx.set_theme(egui::ThemePreference::Light);
    ctx.all_styles_mut(|style| {
        style.interaction.selectable_labels = false;
        // Legible on a projector: larger text than egui's default.
        for (text_style, font) in &mut style.text_styles {
            font.size = match text_style {
                egui::TextStyle::Heading => 22.0,
                egui::TextStyle::Small => 12.0,
                _ => 16.0,
            };
        }
        style.spacing.interact_size.y = 26.0;
    });
    // Ctrl+= and Ctrl+- zoom the map; the text size has its own keys (Ctrl+Alt+= and Ctrl+Alt+-).
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
}

impl eframe::App for MissionboardApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.ed.settings);
    }
}

impl MissionboardApp {
    /// One frame of the whole UI (also used by tests and the canvas benchmark).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let now = ctx.input(|i| i.time);
        let held = MissionboardApp::hold_keyboard_for_typed_text(&ctx);
        // Esc closes an open menu first (and does nothing else): the shortcuts further on would
        // otherwise take it.
        if egui::Popup::is_any_open(&ctx) && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            egui::Popup::close_all(&ctx);
            ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        }
        self.poll_file_job();
        let centre = self.canvas.view.to_map(egui::Pos2::ZERO, (self.canvas.size / 2.0).to_pos2());
        self.ed.view_centre = Point { x: centre.x, y: centre.y };
        let size = self.canvas.size;
        self.ed.view_aspect = (size.x > 1.0 && size.y > 1.0).then(|| size.x / size.y);
        self.canvas.new_kind = Some(self.ed.settings.last_kind);
        if self.present.is_none() {
            self.canvas.show_minimap = self.ed.settings.show_minimap;
        }
        self.apply_comfort(&ctx);

        // Files dropped on the window.
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        if let Some(p) = dropped.into_iter().next() {
            self.guard(&ctx, Then::Open(p));
        }
        // Closing with unsaved changes asks first.
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close {
            self.ed.commit_edit();
            if self.ed.doc.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialog = Some(Dialog::Unsaved(Then::Close));
            }
        }

        self.autosave_tick(&ctx, now);
        // Others' edits first, so this frame draws them.
        self.live_tick(&ctx);
        self.workshop.timer.tick(now);
        if self.workshop.timer.running() || self.workshop.timer.just_ended(now) {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
        }
        if self.present.is_some() {
            self.present_keys(&ctx, now);
        }
        if self.present.is_some() {
            self.canvas_marks();
            self.present_frame(ui, &ctx, now);
            MissionboardApp::release_held_keyboard(&ctx, held);
            self.live_send();
            let title = self.title();
            ctx.accesskit_node_builder(egui::accesskit_root_id(), |root| root.set_label(title.as_str()));
            return;
        }
        // Every panel adds to one list of requests, handled once below.
        let mut intents = std::mem::take(&mut self.queued);
        intents.extend(self.keyboard(&ctx));
        let mut actions = Vec::new();
        egui::Panel::top("menu").show(ui, |ui| {
            let panels_placed = self.menu_bar(ui, &mut actions);
            self.toolbar(ui, &mut actions, panels_placed);
        });
        intents.extend(actions.into_iter().map(Intent::Do));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if self.workshop.capture_open {
            // Quick capture follows the selection: ideas go under the card selected now.
            if let Some(id) = self.ed.cursor.selection.single_node()
                && self.workshop.capture_target.as_ref() != Some(id)
            {
                self.workshop.capture_target = Some(id.clone());
            }
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            egui::Panel::bottom("capture").show(ui, |ui| {
                intents.extend(workshop_ui::capture(ui, state, map).into_iter().map(Intent::Workshop));
            });
        }
        // The side panels share the width with the map: each takes a share of the room (less at
        // larger text, where the window is narrow in points), so with both open the map keeps well
        // over half the width; Ctrl+Shift+B hides both for the whole width.
        let room = ui.available_width();
        let widths = side_panel_widths(room);
        let panels = !self.ed.settings.hide_side_panels;
        // Each text size remembers its own panel widths (a width dragged at 100 % would take a
        // third of the window at 150 %).
        // (The scale this frame is drawn at: a new text size takes effect a frame after it is set.)
        let text_size = (ctx.pixels_per_point() * 4.0).round() as i32;
        if panels && self.ed.settings.show_inspector {
            egui::Panel::right(("inspector", text_size))
                .resizable(true)
                .default_size(widths.inspector.0)
                .min_size(widths.inspector.1)
                .max_size(widths.inspector.2)
                .show(ui, |ui| {
                    let today = self.today();
                    intents.extend(inspector::show(ui, self.ed.doc.map(), &self.ed.cursor.selection, today));
                });
        }
        let (checked, updating) = self.derived.checks_state(&self.ed.doc, self.ed.dragging());
        if panels && self.ed.settings.show_checks {
            egui::Panel::left(("checks", text_size))
                .resizable(true)
                .default_size(widths.checks.0)
                .min_size(widths.checks.1)
                .max_size(widths.checks.2)
                .show(ui, |ui| {
                    let events = checks_panel::show(ui, checked, updating, &mut self.checks);
                    intents.extend(events.into_iter().map(Intent::Checks));
                });
        }
        let query = if self.find.open { self.find.query.clone() } else { String::new() };
        let from = self.ed.settings.pathways.then_some(&self.ed.cursor.selection.nodes);
        let (dim, lit) = self.derived.dimming(&self.ed.doc, &query, &self.filter, from);
        self.canvas.dimmed = dim;
        self.canvas.lit_links = lit;
        let presence = self.presence();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if self.ed.settings.reduced_motion {
                self.glide = None;
            }
            match &self.glide {
                Some((from, start)) if now - start < GLIDE_SECONDS => {
                    let t = ((now - start) / GLIDE_SECONDS) as f32;
                    let eased = 1.0 - (1.0 - t).powi(3);
                    self.scene = Scene::build_with(self.ed.doc.map(), Some((from, eased)));
                    ctx.request_repaint();
                }
                Some(_) => {
                    self.glide = None;
                    self.scene = Scene::default();
                    self.scene.update(self.ed.doc.map(), self.ed.doc.revision());
                }
                None => self.scene.update(self.ed.doc.map(), self.ed.doc.revision()),
            }
            if self.fit_pending {
                // A map with cards is fitted; an empty one (a new map) starts at 100 %, its origin in
                // the middle, so its first cards are readable rather than at the last map's zoom.
                // Into the part of the canvas no floating window covers.
                let free = self.free_view(&ctx, false);
                self.canvas.view = match self.scene.bounds {
                    Some(b) if self.canvas_rect.is_positive() => {
                        let mut v = View::fit(b, free.size());
                        v.offset += free.min.to_vec2();
                        v
                    }
                    Some(b) => View::fit(b, ui.available_size()),
                    None => View { offset: ui.available_size() / 2.0, zoom: 1.0 },
                };
                self.fit_pending = false;
            }
            let (response, events) =
                canvas::show(ui, self.ed.doc.map(), &self.scene, &mut self.canvas, &mut self.ed.cursor, now);
            // A parked idea dropped on the map goes where it was dropped.
            if let Some(drag) = response.dnd_release_payload::<ParkedDrag>()
                && let Some(p) = ui.input(|i| i.pointer.interact_pos())
            {
                let at = self.canvas.view.to_map(response.rect.min, p);
                let at = Some(Point { x: at.x, y: at.y });
                intents.push(Intent::Workshop(WorkshopEvent::Place { index: drag.0, at }));
            }
            if !presence.is_empty() {
                crate::ui::live::paint_presence(
                    &ui.painter_at(response.rect),
                    &self.canvas.view,
                    response.rect.min,
                    self.ed.doc.map(),
                    &presence,
                );
            }
            self.canvas_rect = response.rect;
            // Not from a dialog that has just opened (a command run from the palette opens one in
            // the frame the palette closes): its path box has the keyboard.
            if self.focus_canvas {
                if self.dialog.is_none() {
                    response.request_focus();
                }
                self.focus_canvas = false;
            }
            intents.extend(events.into_iter().map(Intent::Canvas));
        });
        intents.extend(self.workshop_windows(&ctx, now));
        self.room_window(&ctx, now);
        self.room_tick(&ctx, now);
        self.live_windows(&ctx);
        intents.extend(self.copies_windows(&ctx));
        self.canvas_marks();
        intents.extend(self.portfolio_window(&ctx));
        intents.extend(self.progress_window(&ctx));
        intents.extend(self.money_window(&ctx));
        let mut palette_actions = Vec::new();
        self.palette_window(ui, &mut palette_actions);
        intents.extend(palette_actions.into_iter().map(Intent::Do));
        for intent in intents {
            if let Some(action) = self.ed.handle(intent) {
                self.perform(&ctx, action);
            }
        }
        if self.show_shortcuts {
            self.shortcuts_window(&ctx);
        }
        self.dialogs(&ctx, ui);
        if let Some(then) = self.pending_then.take() {
            self.proceed(&ctx, then);
        }
        if let Some(p) = self.pending_open.take() {
            self.guard(&ctx, Then::Open(p));
        }
        // An inspector edit ends when nothing has the keyboard and no button is held.
        if self.ed.editing_field() && !keyboard_elsewhere(&ctx) && !ctx.input(|i| i.pointer.any_down()) {
            self.ed.commit_edit();
        }
        self.keep_selection_clear_of_new_windows(&ctx);
        MissionboardApp::release_held_keyboard(&ctx, held);
        self.apply_outcome(&ctx);
        self.live_send();
        let title = self.title();
        // Screen readers name the window from the accessibility tree's root, not the title bar.
        ctx.accesskit_node_builder(egui::accesskit_root_id(), |root| root.set_label(title.as_str()));
        // Only when it changes: sending a viewport command asks egui for another frame, so sending
        // the title every frame kept an idle window drawing without pause.
        if self.sent_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.sent_title = Some(title);
        }
    }
}

/// Starts the window. Returns the process exit code.
#[must_use]
pub fn run_native(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Missionboard")
            .with_app_id("missionboard")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true)
            .with_icon(std::sync::Arc::new(icon::rgba(icon::WINDOW_SIZE).unwrap_or_default())),
        ..Default::default()
    };
    match eframe::run_native("Missionboard", options, Box::new(|cc| Ok(Box::new(MissionboardApp::new(cc, file))))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "Missionboard could not open its window: {e}\nThe command-line tools still work: run `missionboard --help`."
            );
            ExitCode::from(crate::cli::FAILED)
        }
    }
}
