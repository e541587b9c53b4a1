//! The file side of the app: open, save, save as, export, restore an autosave, the system file
//! dialog on its own thread, and "save your changes?" before anything that would lose them.

use std::path::Path;
use std::sync::mpsc::channel;

use chrono::SubsecRound;

use super::{Dialog, MAX_RECENT, MissionboardApp, PathPurpose, Then, safe_file_name};
use crate::editor::Status;
use crate::editor::files::{Hold, recovery_summary};
use crate::editor::screen_text;
use crate::io;
use crate::model::MissionMap;
use crate::sample;
use crate::ui::canvas::Selection;

impl MissionboardApp {
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

    pub(super) fn autosave_tick(&mut self, ctx: &egui::Context, now: f64) {
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
    pub(super) fn replace_document(&mut self, map: MissionMap, saved: bool, path: Option<&Path>) {
        // The room and the live map belong to the map they were opened for: they close with it.
        self.leave_live();
        self.close_room(0.0);
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

    pub(super) fn remember(&mut self, path: &Path) {
        let path = path.to_owned();
        self.ed.settings.recent.retain(|p| *p != path);
        self.ed.settings.recent.insert(0, path);
        self.ed.settings.recent.truncate(MAX_RECENT);
    }

    /// Writes the cards and links as an Excel workbook.
    pub(super) fn export_workbook(&mut self, path: &Path) {
        let written = io::xlsx::export(self.map())
            .map_err(|e| format!("the workbook could not be made ({e})"))
            .and_then(|bytes| io::write_atomic(path, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(()) => self.ed.say(format!("Exported {} (sheets nodes and links)", path.display())),
            Err(e) => self.ed.warn(format!("Could not export the workbook: {e}")),
        }
    }

    /// Opens an Excel workbook as a new, unsaved map (its file is only read).
    fn open_workbook(&mut self, path: &Path) {
        match io::xlsx::import_path(path) {
            Ok(imported) => {
                self.replace_document(imported.map, false, None);
                let note = imported.warnings.first().map(|w| format!(" Note: {w}")).unwrap_or_default();
                self.ed.say(format!(
                    "Imported {} cards and {} links from the workbook {}. Save As keeps it as a mission map.{note}",
                    self.map().node_count(),
                    self.map().link_count(),
                    path.display()
                ));
            }
            Err(errors) => {
                let body = errors.iter().take(20).map(ToString::to_string).collect::<Vec<_>>().join("\n");
                self.dialog = Some(Dialog::Message {
                    title: format!("Could not import {}", path.display()),
                    body: screen_text(&format!("{body}\n\nThe workbook has not been changed.")),
                });
            }
        }
    }

    /// Opens a file now (the caller has dealt with unsaved changes).
    pub fn open_path(&mut self, path: &Path) {
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
            self.open_workbook(path);
            return;
        }
        match io::load_path(path) {
            Ok(loaded) => {
                self.replace_document(loaded.map, true, Some(path));
                self.remember(path);
                let crowded = crate::layout::crowded_cards(self.map());
                let hint = if crowded > 0 {
                    format!(
                        " {crowded} cards touch or overlap others (cards are sized to their whole titles now): Layout > Lay out (Ctrl+Shift+L) spaces them."
                    )
                } else {
                    String::new()
                };
                match loaded.warnings.first() {
                    Some(w) => self.ed.say(format!("Opened {}. Note: {w}{hint}", path.display())),
                    None => self.ed.say(format!("Opened {}.{hint}", path.display())),
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
    pub(super) fn restore(&mut self, orphan: &io::recovery::Orphan, now: f64) {
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

    pub(super) fn after_replace(&mut self) {
        self.ed.cursor.selection = Selection::default();
        self.ed.cursor.focus = None;
        self.ed.cursor.editing = None;
        self.ed.reset_cursor();
        self.fit_pending = true;
        self.derived.forget_find();
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
    pub(super) fn export_to(&mut self, path: &Path) -> bool {
        let opts = self.ed.settings.export.options(&self.ed.cursor.selection, self.ed.settings.theme);
        let map = self.ed.doc.map();
        let bytes = self.ed.settings.export.format.write(map, &opts).map(|(bytes, note)| {
            if let Some(n) = note {
                self.ed.status = Some(Status { text: n, error: false, while_empty: false });
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

    pub(super) fn save(&mut self) -> bool {
        match self.files.path().map(Path::to_path_buf) {
            Some(p) => self.save_to(&p),
            None => {
                self.ask_path(PathPurpose::SaveAs);
                false
            }
        }
    }

    pub(super) fn ask_path(&mut self, purpose: PathPurpose) {
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
            (PathPurpose::Workbook, path) => {
                let (folder, stem) = crate::editor::copies::default_handout_folder(path, &self.map().meta.title);
                let dir = folder.parent().map(Path::to_path_buf).unwrap_or_default();
                dir.join(format!("{stem}.xlsx")).display().to_string()
            }
            (PathPurpose::Pack, path) => {
                let (folder, stem) = crate::editor::copies::default_handout_folder(path, &self.map().meta.title);
                let dir = folder.parent().map(Path::to_path_buf).unwrap_or_default();
                dir.join(format!("{stem} board pack {}.pdf", self.today())).display().to_string()
            }
            // A copy is most likely beside this map, or in its copies folder.
            (PathPurpose::Compare | PathPurpose::Merge, path) => {
                let (copies, _) = crate::editor::copies::default_handout_folder(path, &self.map().meta.title);
                let dir = if copies.is_dir() {
                    copies
                } else {
                    path.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default()
                };
                let mut text = dir.display().to_string();
                if !text.is_empty() && !text.ends_with(std::path::MAIN_SEPARATOR) {
                    text.push(std::path::MAIN_SEPARATOR);
                }
                text
            }
        };
        // Merge lists the copies handed out beside the map, the newest first in the path box.
        let copies = if purpose == PathPurpose::Merge {
            crate::editor::copies::copies_beside(self.files.path(), &self.map().meta.title)
        } else {
            Vec::new()
        };
        let text = copies.first().map_or(text, |c| c.path.display().to_string());
        self.dialog = Some(Dialog::Path { purpose, text, waiting: false, copies });
    }

    /// Opens the system file dialog on its own thread; the UI keeps running and polls for the answer.
    pub(super) fn browse(&mut self, ctx: &egui::Context, purpose: &PathPurpose) {
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

    pub(super) fn poll_file_job(&mut self) {
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
    pub(super) fn guard(&mut self, ctx: &egui::Context, then: Then) {
        self.ed.commit_edit();
        if self.ed.doc.is_dirty() {
            self.dialog = Some(Dialog::Unsaved(then));
        } else {
            self.proceed(ctx, then);
        }
    }

    pub(super) fn proceed(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::NewBlank => {
                self.replace_document(sample::blank(), false, None);
                self.ed.say("New blank map. Press Ctrl+1 to add a mission.");
                if let Some(s) = self.ed.status.as_mut() {
                    s.while_empty = true;
                }
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
}
