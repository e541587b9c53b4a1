//! The editor application: owns the document and the editor state, draws the UI, and applies what
//! the UI asks for. The UI only emits actions and commands; everything that changes the document
//! goes through [`Document::apply`], so every change can be undone.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, Event, Id, Key, KeyboardShortcut, Modifiers, RichText, pos2};

pub use crate::editor::files::AUTOSAVE_SECONDS;
use crate::editor::files::{FileSession, Hold, recovery_summary};
use crate::editor::present::{self, Present, PresentMove, Timer};
use crate::editor::{EditGroup, Editor, Effect, Point, Reveal, Toward, screen_text};
pub use crate::editor::{ExportChoices, Settings, Status};
use crate::export::{Format, Page};
use crate::io;
use crate::model::analysis::{self, Checked, Pathway, Portfolio};
use crate::model::{Kind, MissionMap, Node, NodeId, NodeKind, Sector, search};
use crate::sample;
use crate::ui::actions::{Action, GESTURES, format_shortcut};
use crate::ui::canvas::{self, CanvasState, Selection, TitleEdit, View};
use crate::ui::checks::{self as checks_panel, ChecksEvent, ChecksState};
use crate::ui::inspector;
use crate::ui::portfolio::{self as portfolio_window, PortfolioState};
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
}

/// The dialogs that sit over the editor.
#[derive(Clone, Debug)]
enum Dialog {
    /// "You have unsaved changes": save, discard or cancel, then do `then`.
    Unsaved(Then),
    /// Ask for a file path in the app (always possible, even when no system dialog can be shown).
    Path { purpose: PathPurpose, text: String, waiting: bool },
    /// A message that needs an OK.
    Message { title: String, body: String },
    /// Export a picture: choices, a preview, and the file to write.
    Export { path: String },
    /// Autosaves left by a Missionboard that did not close cleanly, each with what it holds.
    Recover(Vec<(io::recovery::Orphan, String)>),
    /// The file changed on disk since it was opened: reload, save as, or overwrite.
    ChangedOnDisk(PathBuf),
}

/// Revision, voting round, whether votes show, and the comparison (snapshot, revision).
type MarksKey = (u64, usize, bool, Option<(usize, u64)>);

#[derive(Default)]
struct FindState {
    open: bool,
    query: String,
    current: usize,
    focus_requested: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Filter {
    kinds: Option<HashSet<Kind>>,
    lead: Option<String>,
    sector: Option<Sector>,
}

impl Filter {
    fn is_active(&self) -> bool {
        self.kinds.is_some() || self.lead.is_some() || self.sector.is_some()
    }

    fn keeps(&self, node: &Node) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&node.kind()))
            && self.lead.as_ref().is_none_or(|l| node.kind.lead_department() == Some(l.as_str()))
            && self.sector.is_none_or(|s| matches!(node.kind, NodeKind::Partner { sector: Some(x), .. } if x == s))
    }
}

#[derive(Default)]
struct PaletteState {
    query: String,
    chosen: usize,
}

/// The running app.
pub struct MissionboardApp {
    /// The editor core: the document, selection, settings and status line.
    ed: Editor,
    /// The file the map belongs to, its hold and its autosave.
    files: FileSession,
    canvas: CanvasState,
    scene: Scene,
    dialog: Option<Dialog>,
    find: FindState,
    filter: Filter,
    /// Cached find and filter results: (revision, query, filter) → hits and dimmed cards.
    find_cache: Option<(u64, String, Filter, Vec<NodeId>)>,
    palette: Option<PaletteState>,
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
    /// The findings for a revision of the document.
    checks_cache: Option<(u64, Checked)>,
    portfolio: PortfolioState,
    portfolio_cache: Option<(u64, Portfolio)>,
    /// The pathway through the selection at a revision.
    pathway_cache: Option<(u64, Selection, Pathway)>,
    workshop: WorkshopState,
    present: Option<Present>,
    /// The cards revealed at a presentation step, for a revision.
    present_cache: Option<(u64, usize, Option<Vec<NodeId>>)>,
    /// What the canvas's vote badges and outlines were last built for.
    marks_key: Option<MarksKey>,
    was_focused: bool,
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
        MissionboardApp {
            ed: Editor::new(map, settings),
            files: FileSession::default(),
            canvas,
            scene: Scene::default(),
            dialog: None,
            find: FindState::default(),
            filter: Filter::default(),
            find_cache: None,
            palette: None,
            show_shortcuts: false,
            fit_pending: true,
            file_job: None,
            allow_close: false,
            focus_canvas: true,
            pending_then: None,
            pending_open: None,
            glide: None,
            preview: None,
            checks: ChecksState::default(),
            checks_cache: None,
            portfolio: PortfolioState::default(),
            portfolio_cache: None,
            pathway_cache: None,
            workshop: WorkshopState::default(),
            present: None,
            present_cache: None,
            marks_key: None,
            was_focused: true,
        }
    }

    /// Keeps autosaves (in `dir/recovery`) and file locks (in `dir/locks`) under `dir`, and offers
    /// to restore what a window that did not close cleanly left there.
    pub fn use_data_dir(&mut self, dir: &Path) {
        let (found, off) = self.files.use_data_dir(dir);
        if let Some(why) = off {
            self.ed.warn(why);
        }
        if !found.is_empty() {
            let found = found
                .into_iter()
                .map(|o| {
                    let summary = recovery_summary(&o);
                    (o, summary)
                })
                .collect();
            self.dialog = Some(Dialog::Recover(found));
        }
    }

    /// Writes the autosave now if there are unsaved changes not yet autosaved.
    pub fn autosave_now(&mut self, now: f64) {
        if let Err(e) = self.files.autosave_now(&self.ed.doc, now) {
            self.ed.warn(e);
        }
    }

    fn autosave_tick(&mut self, ctx: &egui::Context, now: f64) {
        let focused = ctx.input(|i| i.viewport().focused).unwrap_or(true);
        let focus_lost = self.was_focused && !focused;
        self.was_focused = focused;
        match self.files.tick(&self.ed.doc, now, focus_lost) {
            Ok(Some(wait)) => ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait + 0.1)),
            Ok(None) => {}
            Err(e) => self.ed.warn(e),
        }
    }

    /// The one way the document is replaced (open, restore, new, templates): the map, its file
    /// (hold and stamp), and a fresh editor state.
    fn replace_document(&mut self, map: MissionMap, saved: bool, path: Option<&Path>) {
        self.ed.doc.replace(map, saved);
        self.files.drop_autosave();
        let hold = self.files.switch_to(path, None);
        self.after_replace();
        if let (Hold::HeldElsewhere, Some(path)) = (hold, path) {
            self.dialog = Some(Dialog::Message {
                title: "Already open in another window".to_owned(),
                body: format!(
                    "{} is already open in another Missionboard window. If you change it in both, the last save wins and the other's changes are lost. Close one of them, or use Save As to keep a separate copy.",
                    path.display()
                ),
            });
        }
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

    /// The current view (pan and zoom).
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

    /// Does what the core asked of the view: show cards, glide, refuse by the pointer.
    fn apply_outcome(&mut self, ctx: &egui::Context) {
        let out = self.ed.take_outcome();
        let now = ctx.input(|i| i.time);
        let size = self.canvas.size;
        match out.reveal {
            Some(Reveal::Card(id)) => {
                if let Some(p) = self.map().placement(&id) {
                    let s = self.canvas.view.to_screen(egui::Pos2::ZERO, pos2(p.x, p.y));
                    if size.x > 0.0 && (s.x < 60.0 || s.y < 60.0 || s.x > size.x - 60.0 || s.y > size.y - 60.0) {
                        self.canvas.view.centre_on(pos2(p.x, p.y), size);
                    }
                }
            }
            Some(Reveal::Cards(cards)) => {
                if let Some(b) = crate::editor::cards_bounds(self.map(), &cards).map(rect_of)
                    && size.x > 0.0
                {
                    let mut view = View::fit(b.expand(80.0), size);
                    view.zoom = view.zoom.min(1.0);
                    view.centre_on(b.center(), size);
                    self.canvas.view = view;
                }
            }
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

    fn remember(&mut self, path: &Path) {
        let path = path.to_owned();
        self.ed.settings.recent.retain(|p| *p != path);
        self.ed.settings.recent.insert(0, path);
        self.ed.settings.recent.truncate(MAX_RECENT);
    }

    /// Opens a file now (the caller has dealt with unsaved changes).
    pub fn open_path(&mut self, path: &Path) {
        match io::load_path(path) {
            Ok(loaded) => {
                self.replace_document(loaded.map, true, Some(path));
                self.remember(path);
                match loaded.warnings.first() {
                    Some(w) => self.ed.say(format!("Opened {}. Note: {w}", path.display())),
                    None => self.ed.say(format!("Opened {}", path.display())),
                }
            }
            Err(err) => {
                let body = format!(
                    "{}\n\nThe file has not been changed. Fix the lines above in a text editor, or ask whoever sent it for a new copy.",
                    err.problems().join("\n")
                );
                self.dialog = Some(Dialog::Message {
                    title: format!("Could not open {}", path.display()),
                    body: screen_text(&body),
                });
            }
        }
    }

    /// Opens an autosave as unsaved changes to the file it belongs to, then lets it go (this
    /// window's own autosave takes over at once).
    fn restore(&mut self, orphan: &io::recovery::Orphan, now: f64) {
        match orphan.load() {
            Ok(map) => {
                self.replace_document(map, false, orphan.info.original.as_deref());
                self.autosave_now(now);
                orphan.discard();
                self.ed.say("Restored your unsaved changes. Save them to keep them.");
            }
            Err(e) => {
                self.dialog = Some(Dialog::Message {
                    title: "Could not restore".to_owned(),
                    body: format!(
                        "The autosave could not be read: {}\n\nIt is kept at {}.",
                        e.problems().join("; "),
                        orphan.map_path.display()
                    ),
                });
            }
        }
    }

    fn after_replace(&mut self) {
        self.ed.cursor.selection = Selection::default();
        self.ed.cursor.focus = None;
        self.ed.cursor.editing = None;
        self.ed.reset_cursor();
        self.fit_pending = true;
        self.find_cache = None;
    }

    /// Saves to `path`; keeps the map in memory whatever happens.
    pub fn save_to(&mut self, path: &Path) -> bool {
        self.ed.commit_edit();
        // Someone else changed the file since we opened or saved it: ask before replacing it.
        if self.files.changed_on_disk(path) {
            self.dialog = Some(Dialog::ChangedOnDisk(path.to_owned()));
            return false;
        }
        let mut map = self.ed.doc.map().clone();
        map.meta.modified = chrono::Utc::now().trunc_subsecs(0);
        let text = io::to_string(&map);
        match io::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                // The modified time is part of the file but not an undoable change.
                self.ed.doc.set_saved_meta(map.meta.clone());
                self.ed.doc.mark_saved();
                self.files.drop_autosave();
                if let Hold::HeldElsewhere =
                    self.files.switch_to(Some(path), Some(io::recovery::FileStamp::of(text.as_bytes())))
                {
                    self.ed.warn(format!("Saved {}, which another Missionboard window also has open.", path.display()));
                    self.remember(path);
                    return true;
                }
                self.remember(path);
                self.ed.say(format!("Saved {}", path.display()));
                true
            }
            Err(e) => {
                self.dialog = Some(Dialog::Message {
                    title: "Could not save".to_owned(),
                    body: format!("{e}\n\nYour map is still open and nothing is lost."),
                });
                false
            }
        }
    }

    /// Writes the picture chosen in the Export dialog. Returns whether it worked.
    fn export_to(&mut self, path: &Path) -> bool {
        let opts = self.ed.settings.export.options(&self.ed.cursor.selection);
        let map = self.ed.doc.map();
        let bytes = self.ed.settings.export.format.write(map, &opts).map(|(bytes, note)| {
            if let Some(n) = note {
                self.ed.status = Some(Status { text: n, error: false });
            }
            bytes
        });
        match bytes.map(|b| io::write_atomic(path, &b).map_err(|e| e.to_string())) {
            Ok(Ok(())) => {
                if self.ed.status.as_ref().is_none_or(|s| !s.text.contains("too big")) {
                    self.ed.say(format!("Exported {}", path.display()));
                }
                true
            }
            Ok(Err(e)) | Err(e) => {
                self.ed.warn(e);
                false
            }
        }
    }

    fn save(&mut self) -> bool {
        match self.files.path().map(Path::to_path_buf) {
            Some(p) => self.save_to(&p),
            None => {
                self.ask_path(PathPurpose::SaveAs);
                false
            }
        }
    }

    fn ask_path(&mut self, purpose: PathPurpose) {
        let text = match (&purpose, self.files.path()) {
            (PathPurpose::SaveAs, Some(p)) => p.display().to_string(),
            (PathPurpose::SaveAs, None) => {
                let dir = directories::UserDirs::new()
                    .and_then(|u| u.document_dir().map(Path::to_path_buf))
                    .unwrap_or_default();
                dir.join(format!("{}.mission.ron", safe_file_name(&self.map().meta.title))).display().to_string()
            }
            (PathPurpose::Open, _) => {
                self.ed.settings.recent.first().map(|p| p.display().to_string()).unwrap_or_default()
            }
        };
        self.dialog = Some(Dialog::Path { purpose, text, waiting: false });
    }

    /// Opens the system file dialog on its own thread; the UI keeps running and polls for the answer.
    fn browse(&mut self, ctx: &egui::Context, purpose: &PathPurpose) {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let save = *purpose == PathPurpose::SaveAs;
        let name = format!("{}.mission.ron", safe_file_name(&self.map().meta.title));
        let spawned = std::thread::Builder::new().name("file-dialog".to_owned()).spawn(move || {
            let dialog =
                rfd::AsyncFileDialog::new().add_filter("Mission map", &["ron"]).add_filter("All files", &["*"]);
            let picked = if save {
                pollster::block_on(dialog.set_file_name(name).save_file())
            } else {
                pollster::block_on(dialog.pick_file())
            };
            let _ = tx.send(picked.map(|f| f.path().to_owned()));
            ctx.request_repaint();
        });
        match spawned {
            Ok(_) => self.file_job = Some(rx),
            Err(_) => self.ed.warn("No file dialog could be shown; type the path instead."),
        }
    }

    fn poll_file_job(&mut self) {
        let Some(rx) = &self.file_job else { return };
        match rx.try_recv() {
            Ok(answer) => {
                self.file_job = None;
                if let (Some(path), Some(Dialog::Path { text, waiting, .. })) = (answer, &mut self.dialog) {
                    *text = path.display().to_string();
                    *waiting = false;
                } else if let Some(Dialog::Path { waiting, .. }) = &mut self.dialog {
                    *waiting = false;
                }
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.file_job = None;
                if let Some(Dialog::Path { waiting, .. }) = &mut self.dialog {
                    *waiting = false;
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
    }

    /// Does `then`, first asking about unsaved changes if there are any.
    fn guard(&mut self, ctx: &egui::Context, then: Then) {
        self.ed.commit_edit();
        if self.ed.doc.is_dirty() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.proceed(ctx, then);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::NewBlank => {
                self.replace_document(sample::blank(), false, None);
                self.ed.say("New blank map. Press Ctrl+1 to add a mission.");
            }
            Then::NewMazzucato => {
                self.replace_document(sample::mazzucato(), false, None);
                self.ed.say("New map from Mazzucato's mission map: replace the words in brackets.");
            }
            Then::NewSample => {
                self.replace_document(sample::uk_missions(), false, None);
                self.ed.say("New map from the UK missions sample");
            }
            Then::Open(p) => self.open_path(&p),
            Then::AskOpen => self.ask_path(PathPurpose::Open),
            Then::Close => {
                // Saved or deliberately discarded: the autosave is not needed any more.
                self.files.close();
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    // ------------------------------------------------------------------------------------- editing

    /// The map point in the middle of the view.
    fn view_centre(&self) -> egui::Pos2 {
        let size = self.canvas.size;
        self.canvas.view.to_map(egui::Pos2::ZERO, (size / 2.0).to_pos2())
    }

    fn zoom_by(&mut self, factor: f32) {
        let centre = (self.canvas.size / 2.0).to_pos2();
        self.canvas.view.zoom_at(egui::Pos2::ZERO, centre, factor);
    }

    /// Runs one action.
    fn perform(&mut self, ctx: &egui::Context, action: Action) {
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
            Action::Sessions => self.workshop.sessions_open = !self.workshop.sessions_open,
            Action::Open => self.guard(ctx, Then::AskOpen),
            Action::Save => {
                self.save();
            }
            Action::SaveAs => self.ask_path(PathPurpose::SaveAs),
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
                let opts = choices.options(&self.ed.cursor.selection);
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
            Action::CommandPalette => self.palette = Some(PaletteState::default()),
            Action::Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            Action::NextFinding | Action::PreviousFinding => {
                self.ed.settings.show_checks = true;
                self.refresh_checks();
                let forward = action == Action::NextFinding;
                let found =
                    self.checks_cache.as_ref().and_then(|(_, c)| checks_panel::step(c, &self.checks, forward).cloned());
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

    // ------------------------------------------------------------------------------------- keyboard

    /// Reads the keyboard for shortcuts, clipboard events, typing onto a card, and navigation.
    fn keyboard(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        if self.dialog.is_some() || self.palette.is_some() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                self.dialog = None;
                self.palette = None;
                self.focus_canvas = true;
            }
            return actions;
        }
        let typing = keyboard_elsewhere(ctx);
        let canvas_focused = !typing;
        // Shortcuts with more modifiers first: egui matches Ctrl+Z inside Ctrl+Shift+Z.
        let mut ordered: Vec<Action> = Action::ALL.to_vec();
        ordered.sort_by_key(|a| {
            std::cmp::Reverse(a.shortcut().map_or(0, |s| u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt)))
        });
        for action in ordered {
            let plain =
                action.shortcut().is_some_and(|s| !(s.modifiers.command || s.modifiers.ctrl || s.modifiers.alt));
            if plain && (typing || !canvas_focused) && action != Action::Shortcuts {
                continue;
            }
            if matches!(action, Action::Cut | Action::Copy | Action::Paste) {
                continue; // these arrive as clipboard events
            }
            if typing && matches!(action, Action::SelectAll | Action::Undo | Action::Redo) {
                continue; // a text field has its own
            }
            let shortcuts: Vec<KeyboardShortcut> = action.shortcut().into_iter().chain(action.alternatives()).collect();
            if shortcuts.iter().any(|s| ctx.input_mut(|i| i.consume_shortcut(s))) {
                actions.push(action);
            }
        }
        if typing || !canvas_focused {
            // Clipboard events inside a text field belong to the text field.
            return actions;
        }
        let events = ctx.input(|i| i.events.clone());
        for e in &events {
            match e {
                Event::Copy => actions.push(Action::Copy),
                Event::Cut => actions.push(Action::Cut),
                Event::Paste(text) => self.ed.paste_text(text, true),
                _ => {}
            }
        }
        // Navigation and nudging.
        let (mods, keys) = ctx.input(|i| {
            let keys: Vec<Key> = [Key::ArrowUp, Key::ArrowDown, Key::ArrowLeft, Key::ArrowRight]
                .into_iter()
                .filter(|k| i.key_pressed(*k))
                .collect();
            (i.modifiers, keys)
        });
        for key in keys {
            if mods.alt {
                let toward = match key {
                    Key::ArrowUp => Toward::Up,
                    Key::ArrowDown => Toward::Down,
                    Key::ArrowLeft => Toward::Left,
                    _ => Toward::Right,
                };
                self.ed.navigate(toward, mods.shift);
            } else if !mods.command {
                let step = if mods.shift { 50.0 } else { 10.0 };
                let (dx, dy) = match key {
                    Key::ArrowUp => (0.0, -step),
                    Key::ArrowDown => (0.0, step),
                    Key::ArrowLeft => (-step, 0.0),
                    _ => (step, 0.0),
                };
                self.ed.nudge(dx, dy);
            }
        }
        let nothing_selected = self.ed.cursor.selection.nodes.is_empty();
        if nothing_selected {
            ctx.input_mut(|i| {
                if i.consume_key(Modifiers::NONE, Key::F) {
                    actions.push(Action::ZoomFit);
                }
                if i.consume_key(Modifiers::NONE, Key::Plus) || i.consume_key(Modifiers::NONE, Key::Equals) {
                    actions.push(Action::ZoomIn);
                }
                if i.consume_key(Modifiers::NONE, Key::Minus) {
                    actions.push(Action::ZoomOut);
                }
            });
        } else if let Some(id) = self.ed.cursor.selection.single_node().cloned()
            && self.ed.cursor.editing.is_none()
        {
            // Dot voting: + and - tally votes onto the selected card.
            if self.workshop.voting_open && !self.map().workshop.votes.is_empty() {
                let (up, down) = ctx.input_mut(|i| {
                    let up = i.consume_key(Modifiers::NONE, Key::Plus) || i.consume_key(Modifiers::NONE, Key::Equals);
                    (up, i.consume_key(Modifiers::NONE, Key::Minus))
                });
                if up || down {
                    let e = workshop_ui::vote(&self.map().workshop, self.workshop.round, &id, if up { 1 } else { -1 });
                    self.ed.workshop_event(e);
                    return actions;
                }
            }
            // Typing onto a selected card replaces its title, as in a spreadsheet.
            let typed: String =
                events.iter().filter_map(|e| if let Event::Text(t) = e { Some(t.as_str()) } else { None }).collect();
            if !typed.is_empty() && typed != " " && !mods.command && !mods.alt {
                self.ed.cursor.editing =
                    Some(TitleEdit { id: id.clone(), text: typed.clone(), started: false, select_all: false });
                self.ed.apply_grouped(EditGroup::Title(id.clone()), "Edit title", self.ed.title_command(&id, &typed));
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            if self.find.open {
                self.find.open = false;
                self.find.query.clear();
            } else {
                self.ed.cursor.selection = Selection::default();
                self.ed.cursor.focus = None;
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F6)) {
            ctx.memory_mut(|m| m.request_focus(Id::unique("inspector_first")));
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F7)) {
            if self.ed.settings.show_checks && self.checks.current.is_some() {
                ctx.memory_mut(|m| m.request_focus(checks_panel::reason_id()));
            } else {
                self.ed.say("Press F8 to show a finding first; F7 then moves into its reason box.");
            }
        }
        actions
    }

    // ------------------------------------------------------------------------------------- canvas events

    fn dimmed(&mut self) -> (Option<HashSet<NodeId>>, Vec<NodeId>) {
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

    // ------------------------------------------------------------------------------------- workshop

    fn start_presenting(&mut self, ctx: &egui::Context) {
        self.ed.commit_edit();
        self.present = Some(Present::of(self.ed.doc.map()));
        self.present_cache = None;
        self.canvas.show_minimap = false;
        self.ed.cursor.selection = Selection::default();
        self.ed.cursor.editing = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        self.ed.say("Presenting: the arrow keys or a clicker step through; Esc ends.");
    }

    fn stop_presenting(&mut self, ctx: &egui::Context) {
        self.present = None;
        self.present_cache = None;
        self.canvas.dimmed = None;
        self.canvas.show_minimap = self.ed.settings.show_minimap;
        self.fit_pending = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
    }

    /// In present mode: the step (from 0), the number of steps, and the caption shown.
    #[must_use]
    pub fn presenting(&self) -> Option<(usize, usize, String)> {
        self.present.as_ref().map(|p| (p.step, p.steps.len(), present::caption(self.ed.doc.map(), &p.steps[p.step])))
    }

    /// The countdown timer (tests drive it through egui's clock).
    #[must_use]
    pub fn timer(&self) -> &Timer {
        &self.workshop.timer
    }

    /// Keys in present mode: forwards, backwards, first, last, timer, notes, presenter view, end.
    fn present_keys(&mut self, ctx: &egui::Context, now: f64) {
        let pressed = |keys: &[Key]| ctx.input_mut(|i| keys.iter().any(|&k| i.consume_key(Modifiers::NONE, k)));
        if pressed(&[Key::Escape, Key::F5]) {
            self.stop_presenting(ctx);
            return;
        }
        let next = pressed(&[Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space, Key::Enter]);
        let back = pressed(&[Key::ArrowLeft, Key::ArrowUp, Key::PageUp, Key::Backspace]);
        let first = pressed(&[Key::Home]);
        let last = pressed(&[Key::End]);
        if pressed(&[Key::T]) {
            self.workshop.timer.toggle(now);
        }
        let notes = pressed(&[Key::N]);
        let presenter = pressed(&[Key::P]);
        let Some(p) = &mut self.present else { return };
        let mut changed = false;
        for (asked, m) in [
            (next, PresentMove::Next),
            (back, PresentMove::Back),
            (first, PresentMove::First),
            (last, PresentMove::Last),
            (notes, PresentMove::ToggleNotes),
            (presenter, PresentMove::TogglePresenterView),
        ] {
            if asked {
                changed |= p.go(m);
            }
        }
        if changed {
            self.present_cache = None;
        }
    }

    /// The cards revealed at the current step (`None`: all), recomputed when the step or map changes.
    fn present_reveal(&mut self) -> Option<Vec<NodeId>> {
        let p = self.present.as_ref()?;
        let rev = self.ed.doc.revision();
        if let Some((r, step, cards)) = &self.present_cache
            && *r == rev
            && *step == p.step
        {
            return cards.clone();
        }
        let portfolio = analysis::portfolio(self.ed.doc.map());
        let cards = present::revealed(self.ed.doc.map(), &portfolio, &p.steps[p.step]);
        // Frame what is revealed, as large as fits.
        let bounds = match &cards {
            Some(ids) => crate::editor::cards_bounds(self.map(), ids).map(rect_of),
            None => canvas::map_bounds(self.map()),
        };
        if let Some(b) = bounds
            && self.canvas.size.x > 0.0
        {
            self.canvas.view = View::fit(b.expand(40.0), self.canvas.size);
        }
        self.present_cache = Some((rev, p.step, cards.clone()));
        cards
    }

    fn present_frame(&mut self, ui: &mut egui::Ui, ctx: &egui::Context, now: f64) {
        let Some(p) = self.present.clone() else { return };
        let step = &p.steps[p.step];
        let caption = present::caption(self.ed.doc.map(), step);
        let timer_shown =
            self.workshop.timer.running() || self.workshop.timer.just_ended(now) || self.workshop.timer_open;
        egui::Panel::top("present_caption").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&caption).size(34.0).strong());
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

    fn workshop_windows(&mut self, ctx: &egui::Context, now: f64) {
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
    fn compare(&mut self, which: Option<usize>) {
        let rev = self.ed.doc.revision();
        self.workshop.comparing = which.and_then(|i| {
            self.map().workshop.snapshots.get(i).map(|s| (i, rev, crate::model::workshop::since(s, self.ed.doc.map())))
        });
    }

    /// Votes of the current round and the outlines of a comparison, for the canvas; rebuilt only
    /// when one of them can have changed.
    fn canvas_marks(&mut self) {
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

    // ------------------------------------------------------------------------------------- analysis

    /// Runs the checks again when the document changed since they last ran (not in the middle of
    /// a drag: moving cards changes no finding, and a 10,000-card map takes ~20 ms to check).
    fn refresh_checks(&mut self) {
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
    fn with_pathway(
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

    fn portfolio_window(&mut self, ctx: &egui::Context) {
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

    // ------------------------------------------------------------------------------------- panels

    fn menu_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for a in [
                    Action::NewBlank,
                    Action::NewFromMazzucato,
                    Action::NewFromSample,
                    Action::Open,
                    Action::Save,
                    Action::SaveAs,
                    Action::Export,
                ] {
                    menu_item(ui, a, actions);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.ed.settings.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for p in self.ed.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.pending_open = Some(p);
                            ui.close();
                        }
                    }
                });
            });
            ui.menu_button("Edit", |ui| {
                for a in [
                    Action::Undo,
                    Action::Redo,
                    Action::Cut,
                    Action::Copy,
                    Action::Paste,
                    Action::Duplicate,
                    Action::CopyImage,
                    Action::CopySvg,
                    Action::Delete,
                    Action::SelectAll,
                    Action::Connect,
                    Action::TogglePin,
                ] {
                    menu_item(ui, a, actions);
                }
                ui.separator();
                for a in [
                    Action::AlignLeft,
                    Action::AlignCentre,
                    Action::AlignTop,
                    Action::DistributeHorizontally,
                    Action::DistributeVertically,
                ] {
                    menu_item(ui, a, actions);
                }
            });
            ui.menu_button("Layout", |ui| {
                menu_item(ui, Action::Layout, actions);
                menu_item(ui, Action::LayoutSelection, actions);
                ui.separator();
                ui.checkbox(&mut self.ed.settings.layout_wrap, "Wrap wide bands into rows")
                    .on_hover_text("Keeps the map near the screen's shape instead of one long strip");
                ui.checkbox(&mut self.ed.settings.layout_left_right, "Left to right (missions on the right)");
            });
            ui.menu_button("Add", |ui| {
                for k in Kind::ALL {
                    menu_item(ui, Action::AddCard(k), actions);
                }
                menu_item(ui, Action::AddChild, actions);
                menu_item(ui, Action::AddSibling, actions);
            });
            ui.menu_button("View", |ui| {
                for a in [
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomFit,
                    Action::ZoomActual,
                    Action::Find,
                    Action::ToggleInspector,
                    Action::ToggleMinimap,
                ] {
                    menu_item(ui, a, actions);
                }
            });
            ui.menu_button("Workshop", |ui| {
                for a in [
                    Action::Present,
                    Action::QuickCapture,
                    Action::ParkingLot,
                    Action::Voting,
                    Action::Timer,
                    Action::Sessions,
                ] {
                    menu_item(ui, a, actions);
                }
            });
            ui.menu_button("Analyse", |ui| {
                for a in [Action::ToggleChecks, Action::TogglePathways, Action::Portfolio] {
                    menu_item(ui, a, actions);
                }
            });
            ui.menu_button("Help", |ui| {
                menu_item(ui, Action::Shortcuts, actions);
                menu_item(ui, Action::CommandPalette, actions);
            });
        });
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Add:").strong());
            for k in Kind::ALL {
                let text = RichText::new(k.label()).color(Color32::WHITE).size(15.0);
                let b = egui::Button::new(text).fill(crate::ui::theme::kind_colour(k));
                let tip = format!(
                    "Add a {} in the middle of the view ({}). Double-click empty canvas to add one there.",
                    k.label().to_lowercase(),
                    Action::AddCard(k).shortcut_text().unwrap_or_default()
                );
                if ui.add(b).on_hover_text(tip).clicked() {
                    actions.push(Action::AddCard(k));
                }
            }
            ui.separator();
            for a in [Action::Undo, Action::Redo] {
                let enabled = if a == Action::Undo { self.ed.doc.can_undo() } else { self.ed.doc.can_redo() };
                let tip = match (a, self.ed.doc.undo_label(), self.ed.doc.redo_label()) {
                    (Action::Undo, Some(l), _) | (Action::Redo, _, Some(l)) => format!("{}: {l}", a.text()),
                    _ => a.tooltip().to_owned(),
                };
                if ui.add_enabled(enabled, egui::Button::new(a.text())).on_hover_text(tip).clicked() {
                    actions.push(a);
                }
            }
            ui.separator();
            if ui.button("Zoom to fit").on_hover_text("Show the whole map (Home, or F with nothing selected)").clicked()
            {
                actions.push(Action::ZoomFit);
            }
            if ui.button("Lay out").on_hover_text(format!("{} (Ctrl+Shift+L)", Action::Layout.tooltip())).clicked() {
                actions.push(Action::Layout);
            }
            if ui.button("Find").on_hover_text(Action::Find.tooltip()).clicked() {
                actions.push(Action::Find);
            }
            self.filter_menu(ui);
            ui.separator();
            let (e, w) = self
                .checks_cache
                .as_ref()
                .map_or((0, 0), |(_, c)| (c.count(analysis::Severity::Error), c.count(analysis::Severity::Warning)));
            let checks_text =
                if e + w == 0 { "Checks".to_owned() } else { format!("Checks ({e} errors, {w} warnings)") };
            if ui
                .selectable_label(self.ed.settings.show_checks, checks_text)
                .on_hover_text(format!("{} (F8: next finding)", Action::ToggleChecks.tooltip()))
                .clicked()
            {
                actions.push(Action::ToggleChecks);
            }
            if ui
                .selectable_label(self.ed.settings.pathways, "Pathways")
                .on_hover_text(format!("{} (Ctrl+Shift+H)", Action::TogglePathways.tooltip()))
                .clicked()
            {
                actions.push(Action::TogglePathways);
            }
            if ui
                .selectable_label(self.portfolio.open, "Portfolio")
                .on_hover_text(format!("{} (Ctrl+Shift+M)", Action::Portfolio.tooltip()))
                .clicked()
            {
                actions.push(Action::Portfolio);
            }
        });
        if self.find.open {
            ui.horizontal(|ui| {
                let l = ui.label("Find:");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.find.query)
                            .id(Id::unique("find_field"))
                            .hint_text("words in titles and attributes")
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id);
                if self.find.focus_requested {
                    r.request_focus();
                    self.find.focus_requested = false;
                }
                let hits = self.find_cache.as_ref().map(|c| c.3.clone()).unwrap_or_default();
                if !self.find.query.trim().is_empty() {
                    ui.label(format!("{} found", hits.len()));
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if (enter || ui.button("Next").clicked()) && !hits.is_empty() {
                    let i = self.find.current % hits.len();
                    self.find.current = i + 1;
                    let id = hits[i].clone();
                    self.ed.focus_card(id, false);
                    r.request_focus();
                }
                if ui.button("Close").clicked() {
                    self.find.open = false;
                    self.find.query.clear();
                }
            });
        }
    }

    fn filter_menu(&mut self, ui: &mut egui::Ui) {
        let label = if self.filter.is_active() { "Filter (on)" } else { "Filter" };
        ui.menu_button(label, |ui| {
            ui.label(RichText::new("Show only these kinds").strong());
            for k in Kind::ALL {
                let mut on = self.filter.kinds.as_ref().is_none_or(|s| s.contains(&k));
                if ui.checkbox(&mut on, k.label()).changed() {
                    let set = self.filter.kinds.get_or_insert_with(|| Kind::ALL.into_iter().collect());
                    if on {
                        set.insert(k);
                    } else {
                        set.remove(&k);
                    }
                    if set.len() == Kind::ALL.len() {
                        self.filter.kinds = None;
                    }
                }
            }
            let mut leads: Vec<String> = self
                .map()
                .nodes()
                .filter_map(|n| n.kind.lead_department())
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            leads.sort();
            leads.dedup();
            egui::ComboBox::from_label("Lead department")
                .selected_text(self.filter.lead.clone().unwrap_or_else(|| "any".to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.lead, None, "any");
                    for l in leads {
                        ui.selectable_value(&mut self.filter.lead, Some(l.clone()), l);
                    }
                });
            egui::ComboBox::from_label("Partner sector")
                .selected_text(self.filter.sector.map_or("any", Sector::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.sector, None, "any");
                    for s in Sector::ALL {
                        ui.selectable_value(&mut self.filter.sector, Some(*s), s.label());
                    }
                });
            if ui.button("Clear filter").clicked() {
                self.filter = Filter::default();
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if let Some(s) = &self.ed.status {
                let colour = if s.error { Color32::from_rgb(170, 20, 20) } else { ui.visuals().text_color() };
                ui.label(RichText::new(&s.text).color(colour));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(format!("{:.0}%", self.canvas.view.zoom * 100.0));
                ui.separator();
                ui.label(format!("{} cards, {} links", self.map().node_count(), self.map().link_count()));
                if self.ed.doc.is_dirty() {
                    ui.separator();
                    ui.label(RichText::new("Unsaved changes").strong());
                }
            });
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context, ui: &mut egui::Ui) {
        let Some(dialog) = self.dialog.clone() else { return };
        let mut close = false;
        let kind = std::mem::discriminant(&dialog);
        match dialog {
            Dialog::Unsaved(then) => {
                egui::Modal::new(Id::unique("unsaved")).show(ui.ctx(), |ui| {
                    ui.heading("Save your changes?");
                    ui.label(format!("\"{}\" has changes that are not saved.", self.map().meta.title));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            close = true;
                            if self.save() {
                                self.pending_then = Some(then.clone());
                            }
                        }
                        if ui.button("Don't save").clicked() {
                            close = true;
                            self.pending_then = Some(then.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Path { purpose, mut text, waiting } => {
                let title = if purpose == PathPurpose::Open { "Open a mission map" } else { "Save the map as" };
                let mut go = false;
                egui::Modal::new(Id::unique("path")).show(ui.ctx(), |ui| {
                    ui.heading(title);
                    let l = ui.label("File path");
                    let r = ui.add(egui::TextEdit::singleline(&mut text).desired_width(520.0)).labelled_by(l.id);
                    if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        go = true;
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(!waiting, egui::Button::new("Browse…"))
                            .on_hover_text("Choose with the system's file dialog")
                            .clicked()
                        {
                            self.browse(ctx, &purpose);
                            if let Some(Dialog::Path { waiting, .. }) = &mut self.dialog {
                                *waiting = true;
                            }
                        }
                        if ui.button(if purpose == PathPurpose::Open { "Open" } else { "Save" }).clicked() {
                            go = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                    if waiting {
                        ui.label("Waiting for the file dialog…");
                    }
                });
                if let Some(Dialog::Path { text: t, .. }) = &mut self.dialog {
                    t.clone_from(&text);
                }
                if go && !text.trim().is_empty() {
                    let mut path = PathBuf::from(text.trim());
                    close = true;
                    match purpose {
                        PathPurpose::Open => self.open_path(&path),
                        PathPurpose::SaveAs => {
                            if path.extension().is_none() {
                                path.set_extension(io::format::EXTENSION);
                            }
                            self.save_to(&path);
                        }
                    }
                }
            }
            Dialog::Export { mut path } => {
                let mut go = false;
                let before = self.ed.settings.export.clone();
                egui::Modal::new(Id::unique("export")).show(ui.ctx(), |ui| {
                    ui.set_max_width(720.0);
                    ui.heading("Export picture");
                    let c = &mut self.ed.settings.export;
                    egui::ComboBox::from_label("Format").selected_text(c.format.label()).show_ui(ui, |ui| {
                        for f in Format::ALL {
                            ui.selectable_value(&mut c.format, f, f.label());
                        }
                    });
                    ui.checkbox(&mut c.selection_only, "Only the selected cards");
                    if c.format.has_scale() {
                        ui.add(
                            egui::Slider::new(&mut c.scale, 1.0..=4.0).step_by(0.5).text("Scale (pixels per point)"),
                        );
                    }
                    if c.format.has_page() {
                        egui::ComboBox::from_label("Paper").selected_text(c.page.label()).show_ui(ui, |ui| {
                            for p in Page::ALL {
                                ui.selectable_value(&mut c.page, p, p.label());
                            }
                        });
                    }
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut c.transparent, "Transparent background");
                        ui.checkbox(&mut c.dark, "Dark theme");
                        ui.checkbox(&mut c.title_block, "Title block");
                        ui.checkbox(&mut c.legend, "Legend");
                    });
                    // The preview, redrawn when a choice changes.
                    let key = format!("{c:?}{}", self.ed.doc.revision());
                    if self.preview.as_ref().is_none_or(|(k, _)| *k != key) {
                        let mut small = c.options(&self.ed.cursor.selection);
                        small.scale = 0.25;
                        if let Ok((w, h, rgba, _)) = crate::export::render::to_rgba(self.ed.doc.map(), &small) {
                            let img = egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba);
                            let tex = ui.ctx().load_texture("export_preview", img, egui::TextureOptions::LINEAR);
                            self.preview = Some((key, tex));
                        }
                    }
                    if let Some((_, tex)) = &self.preview {
                        let size = tex.size_vec2();
                        let fit = (680.0 / size.x).min(260.0 / size.y).min(2.0);
                        ui.add(egui::Image::new((tex.id(), size * fit)).alt_text("Preview of the exported picture"));
                    }
                    let l = ui.label("Save to");
                    let r = ui.add(egui::TextEdit::singleline(&mut path).desired_width(680.0)).labelled_by(l.id);
                    if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                        go = true;
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Export").clicked() {
                            go = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                if self.ed.settings.export.format != before.format {
                    let p = PathBuf::from(&path).with_extension(self.ed.settings.export.format.extension());
                    path = p.display().to_string();
                }
                if let Some(Dialog::Export { path: p }) = &mut self.dialog {
                    p.clone_from(&path);
                }
                if go {
                    close = self.export_to(Path::new(path.trim()));
                }
            }
            Dialog::Recover(ref found) => {
                let mut restore = None;
                let mut discard = None;
                egui::Modal::new(Id::unique("recover")).show(ui.ctx(), |ui| {
                    ui.set_max_width(680.0);
                    ui.heading("Restore unsaved work?");
                    ui.label("Missionboard did not close cleanly last time. It kept these unsaved changes:");
                    egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                        for (i, (orphan, summary)) in found.iter().enumerate() {
                            ui.group(|ui| {
                                ui.label(RichText::new(&orphan.info.title).strong());
                                let when =
                                    orphan.info.saved_at.with_timezone(&chrono::Local).format("%e %b %Y at %H:%M");
                                ui.label(format!("Autosaved {when}. {summary}"));
                                ui.horizontal(|ui| {
                                    if ui
                                        .button("Restore")
                                        .on_hover_text("Open these changes; save them to keep them")
                                        .clicked()
                                    {
                                        restore = Some(i);
                                    }
                                    if ui.button("Discard").on_hover_text("Delete this autosave for good").clicked() {
                                        discard = Some(i);
                                    }
                                });
                            });
                        }
                    });
                    if ui.button("Decide later").on_hover_text("Keep the autosaves and ask again next time").clicked() {
                        close = true;
                    }
                });
                if let Some(i) = discard {
                    found[i].0.discard();
                    let rest: Vec<_> =
                        found.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, f)| f.clone()).collect();
                    self.dialog = if rest.is_empty() { None } else { Some(Dialog::Recover(rest)) };
                }
                if let Some(i) = restore {
                    self.restore(&found[i].0, ctx.input(|inp| inp.time));
                    self.dialog = None;
                }
            }
            Dialog::ChangedOnDisk(ref path) => {
                egui::Modal::new(Id::unique("changed")).show(ui.ctx(), |ui| {
                    ui.set_max_width(640.0);
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by someone or something else (a colleague, a sync tool) since you opened it. What should happen?",
                        path.display()
                    ));
                    ui.horizontal_wrapped(|ui| {
                        if ui.button("Save mine as a new file…").clicked() {
                            close = true;
                            self.ask_path(PathPurpose::SaveAs);
                        }
                        if ui.button("Overwrite with mine").on_hover_text("Their changes are replaced by yours").clicked() {
                            close = true;
                            self.files.overwrite_ok = true;
                            self.save_to(&path.clone());
                        }
                        if ui.button("Reload theirs").on_hover_text("Your unsaved changes are dropped").clicked() {
                            close = true;
                            self.open_path(&path.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Message { ref title, ref body } => {
                egui::Modal::new(Id::unique("message")).show(ui.ctx(), |ui| {
                    ui.set_max_width(640.0);
                    ui.heading(title);
                    ui.label(body);
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                });
            }
        }
        if close {
            // A dialog that opened another (Save → Save as…) leaves the new one in place.
            if self.dialog.as_ref().is_some_and(|d| std::mem::discriminant(d) == kind) {
                self.dialog = None;
            }
            self.focus_canvas = true;
        }
    }

    fn palette_window(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(state) = &mut self.palette else { return };
        let query = state.query.to_lowercase();
        let matching: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(|a| a.text().to_lowercase().contains(&query) || a.tooltip().to_lowercase().contains(&query))
            .collect();
        let mut chosen: Option<Action> = None;
        let mut close = false;
        egui::Modal::new(Id::unique("palette")).show(ui.ctx(), |ui| {
            ui.set_min_width(520.0);
            ui.heading("Command palette");
            let l = ui.label("Command");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("type to search commands")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            r.request_focus();
            ui.input(|i| {
                if i.key_pressed(Key::ArrowDown) {
                    state.chosen = (state.chosen + 1).min(matching.len().saturating_sub(1));
                }
                if i.key_pressed(Key::ArrowUp) {
                    state.chosen = state.chosen.saturating_sub(1);
                }
                if i.key_pressed(Key::Enter) {
                    chosen = matching.get(state.chosen).copied();
                }
            });
            egui::ScrollArea::vertical().max_height(400.0).show(ui, |ui| {
                for (i, a) in matching.iter().enumerate() {
                    let text = match a.shortcut_text() {
                        Some(s) => format!("{}    {s}", a.text()),
                        None => a.text().to_owned(),
                    };
                    if ui.selectable_label(i == state.chosen, text).on_hover_text(a.tooltip()).clicked() {
                        chosen = Some(*a);
                    }
                }
            });
            if ui.button("Close").clicked() {
                close = true;
            }
        });
        if let Some(a) = chosen {
            actions.push(a);
            close = true;
        }
        if close {
            self.palette = None;
            self.focus_canvas = true;
        }
    }

    fn shortcuts_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_shortcuts;
        egui::Window::new("Keyboard shortcuts").open(&mut open).default_width(520.0).show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(560.0).show(ui, |ui| {
                egui::Grid::new("shortcut_grid").striped(true).show(ui, |ui| {
                    for a in Action::ALL {
                        if let Some(s) = a.shortcut() {
                            let mut keys = vec![format_shortcut(&s)];
                            keys.extend(a.alternatives().iter().map(format_shortcut));
                            ui.label(RichText::new(keys.join(" or ")).monospace());
                            ui.label(a.text());
                            ui.end_row();
                        }
                    }
                    for (keys, what) in GESTURES {
                        ui.label(RichText::new(*keys).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                    ui.label(RichText::new("F6").monospace());
                    ui.label("Move the keyboard into the inspector (Esc comes back)");
                    ui.end_row();
                    ui.label(RichText::new("F7").monospace());
                    ui.label("Move the keyboard into the reason box of the finding shown (Enter dismisses it)");
                    ui.end_row();
                });
            });
        });
        self.show_shortcuts = open;
    }
}

/// Whether a widget other than the canvas (a text field, a button) has the keyboard.
/// A map rectangle `[x0, y0, x1, y1]` as egui's.
fn rect_of([x0, y0, x1, y1]: [f32; 4]) -> egui::Rect {
    egui::Rect::from_min_max(pos2(x0, y0), pos2(x1, y1))
}

fn keyboard_elsewhere(ctx: &egui::Context) -> bool {
    ctx.memory(|m| m.focused().is_some_and(|f| f != canvas::canvas_id()))
}

/// Keeps letters, digits, spaces and dashes, for a default file name.
fn safe_file_name(title: &str) -> String {
    let s: String = title.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '-' }).collect();
    let s = s.trim().to_owned();
    if s.is_empty() { "mission-map".to_owned() } else { s }
}

fn menu_item(ui: &mut egui::Ui, action: Action, actions: &mut Vec<Action>) {
    let mut b = egui::Button::new(action.text());
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
    ctx.global_style_mut(|style| {
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
}

use chrono::SubsecRound;

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
        self.poll_file_job();
        let centre = self.canvas.view.to_map(egui::Pos2::ZERO, (self.canvas.size / 2.0).to_pos2());
        self.ed.view_centre = Point { x: centre.x, y: centre.y };
        self.canvas.new_kind = Some(self.ed.settings.last_kind);
        if self.present.is_none() {
            self.canvas.show_minimap = self.ed.settings.show_minimap;
        }

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
            return;
        }
        let mut actions = self.keyboard(&ctx);
        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_bar(ui, &mut actions);
            self.toolbar(ui, &mut actions);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let mut workshop_events = Vec::new();
        if self.workshop.capture_open {
            let map = self.ed.doc.map();
            let state = &mut self.workshop;
            egui::Panel::bottom("capture").show(ui, |ui| {
                workshop_events = workshop_ui::capture(ui, state, map);
            });
        }
        let mut edits = Vec::new();
        if self.ed.settings.show_inspector {
            egui::Panel::right("inspector").resizable(true).default_size(340.0).min_size(260.0).show(ui, |ui| {
                edits = inspector::show(ui, self.ed.doc.map(), &self.ed.cursor.selection);
            });
        }
        let mut check_events = Vec::new();
        self.refresh_checks();
        if self.ed.settings.show_checks
            && let Some((_, checked)) = &self.checks_cache
        {
            egui::Panel::left("checks").resizable(true).default_size(320.0).min_size(220.0).show(ui, |ui| {
                check_events = checks_panel::show(ui, checked, &mut self.checks);
            });
        }
        let (dim, _) = self.dimmed();
        let (dim, lit) = self.with_pathway(dim);
        self.canvas.dimmed = dim;
        self.canvas.lit_links = lit;
        egui::CentralPanel::no_frame().show(ui, |ui| {
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
            if self.fit_pending
                && let Some(b) = self.scene.bounds
            {
                self.canvas.view = View::fit(b, ui.available_size());
                self.fit_pending = false;
            }
            let (response, events) =
                canvas::show(ui, self.ed.doc.map(), &self.scene, &mut self.canvas, &mut self.ed.cursor, now);
            // A parked idea dropped on the map goes where it was dropped.
            if let Some(drag) = response.dnd_release_payload::<ParkedDrag>()
                && let Some(p) = ui.input(|i| i.pointer.interact_pos())
            {
                let at = self.canvas.view.to_map(response.rect.min, p);
                workshop_events.push(WorkshopEvent::Place { index: drag.0, at: Some(Point { x: at.x, y: at.y }) });
            }
            if self.focus_canvas {
                response.request_focus();
                self.focus_canvas = false;
            }
            let pointer = ui.input(|i| i.pointer.hover_pos());
            let _ = pointer;
            for e in events {
                self.ed.canvas(e);
            }
        });
        for e in edits {
            self.ed.edit(e);
        }
        for e in check_events {
            self.ed.checks_event(e);
        }
        for e in workshop_events {
            self.ed.workshop_event(e);
        }
        self.workshop_windows(&ctx, now);
        self.canvas_marks();
        self.portfolio_window(&ctx);
        for a in actions {
            self.perform(&ctx, a);
        }
        let mut palette_actions = Vec::new();
        self.palette_window(ui, &mut palette_actions);
        for a in palette_actions {
            self.perform(&ctx, a);
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
        self.apply_outcome(&ctx);
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(self.title()));
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
            .with_drag_and_drop(true),
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
