//! The app side of copies: File ▸ Compare with…, Merge a copy… and Hand out copies…, their windows,
//! and the outlines a comparison draws on the canvas.

use std::path::{Path, PathBuf};

use super::MissionboardApp;
use crate::editor::Intent;
use crate::editor::copies::{CompareSession, MergeSession, default_handout_folder};
use crate::ui::copies::{self as copies_ui, CopiesEvent, HandoutEvent, HandoutForm};

/// The copies windows' state.
#[derive(Default)]
pub(super) struct CopiesState {
    pub compare: Option<CompareSession>,
    pub merge: Option<MergeSession>,
    pub handout: Option<HandoutForm>,
    /// Bumped whenever a comparison starts or stops, so the canvas outlines are rebuilt.
    pub generation: u64,
}

impl MissionboardApp {
    /// Compares the map with the file at `path`; its differences are outlined and listed.
    pub fn compare_with(&mut self, path: &Path) {
        match CompareSession::open(path) {
            Ok(session) => {
                self.copies.compare = Some(session);
                self.copies.generation += 1;
                self.ed.say(format!("Comparing with {}", path.display()));
            }
            Err(why) => self.ed.warn(why),
        }
    }

    /// Starts merging the copy at `path` into the map: the merge window shows what it brings.
    pub fn merge_copy(&mut self, path: &Path) {
        match MergeSession::open(path, self.files.path(), self.files.data_dir()) {
            Ok(session) => self.copies.merge = Some(session),
            Err(why) => self.ed.warn(why),
        }
    }

    /// Opens the hand-out form with three groups and a folder beside the map.
    pub(super) fn ask_handout(&mut self) {
        let (folder, _) = default_handout_folder(self.files.path(), &self.map().meta.title);
        self.copies.handout =
            Some(HandoutForm { names: "Group 1\nGroup 2\nGroup 3".to_owned(), folder: folder.display().to_string() });
    }

    /// Writes the copies the form asks for.
    pub fn hand_out(&mut self, names: &[String], folder: &Path) -> bool {
        let (_, stem) = default_handout_folder(self.files.path(), &self.map().meta.title);
        match crate::io::copies::hand_out(self.map(), &stem, names, folder, self.files.data_dir()) {
            Ok(out) => {
                self.ed.say(format!(
                    "Handed out {} copies in {}. When they come back, File > Merge a copy… brings each one in.",
                    out.copies.len(),
                    folder.display()
                ));
                true
            }
            Err(why) => {
                self.ed.warn(format!("Could not hand out copies: {why}"));
                false
            }
        }
    }

    /// Draws the comparison, merge and hand-out windows; returns what they ask of the editor.
    pub(super) fn copies_windows(&mut self, ctx: &egui::Context) -> Vec<Intent> {
        let mut events = Vec::new();
        // Beside the map, off the menus.
        let (merge_win, handout_win) =
            (self.beside_canvas(ctx, "Merge a copy", 0), self.beside_canvas(ctx, "Hand out copies", 0));
        if let Some(session) = &mut self.copies.compare {
            let mut open = true;
            let name = session
                .path
                .file_name()
                .map_or_else(|| session.path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let c = session.comparison(&self.ed.doc).clone();
            let this = self.ed.doc.map();
            self.beside_canvas(ctx, "Compare with another map", 0).open(&mut open).default_width(460.0).show(
                ctx,
                |ui| {
                    events.extend(copies_ui::comparison(ui, &c, &name, this));
                },
            );
            if !open {
                events.push(CopiesEvent::StopComparing);
            }
        }
        if let Some(session) = &mut self.copies.merge {
            let mut open = true;
            let (name, note) = (session.name.clone(), session.base_note.clone());
            let (merged, brings) = session.merged_and_brings(&self.ed.doc);
            merge_win.open(&mut open).default_width(560.0).show(ctx, |ui| {
                events.extend(copies_ui::merge(ui, &name, &note, merged, brings));
            });
            if !open {
                events.push(CopiesEvent::CancelMerge);
            }
        }
        if let Some(form) = &mut self.copies.handout {
            let mut open = true;
            let mut event = None;
            handout_win.open(&mut open).default_width(560.0).show(ctx, |ui| {
                event = copies_ui::handout(ui, form);
            });
            if !open {
                event = Some(HandoutEvent::Cancel);
            }
            match event {
                Some(HandoutEvent::HandOut) => {
                    let names: Vec<String> = form.names.lines().map(str::to_owned).collect();
                    let folder = PathBuf::from(form.folder.trim());
                    if self.hand_out(&names, &folder) {
                        self.copies.handout = None;
                    }
                }
                Some(HandoutEvent::Cancel) => self.copies.handout = None,
                None => {}
            }
        }
        let mut intents = Vec::new();
        for e in events {
            match e {
                CopiesEvent::Show(id) => intents.push(Intent::Show(vec![id])),
                CopiesEvent::StopComparing => {
                    self.copies.compare = None;
                    self.copies.generation += 1;
                }
                CopiesEvent::Choose(key, side) => {
                    if let Some(s) = &mut self.copies.merge {
                        s.choose(key, side);
                    }
                }
                CopiesEvent::ChooseAll(side) => {
                    if let Some(s) = &mut self.copies.merge {
                        s.choose_all(&self.ed.doc, side);
                    }
                }
                CopiesEvent::ApplyMerge => {
                    if let Some(mut s) = self.copies.merge.take()
                        && !self.ed.apply_merge(&mut s)
                    {
                        self.copies.merge = Some(s);
                    }
                }
                CopiesEvent::CancelMerge => self.copies.merge = None,
            }
        }
        intents
    }

    /// The comparison's outlines for the canvas: green only here, amber different. `None` when not
    /// comparing.
    pub(super) fn comparison_marks(&mut self) -> Option<(Vec<crate::model::NodeId>, Vec<crate::model::NodeId>)> {
        let session = self.copies.compare.as_mut()?;
        let c = session.comparison(&self.ed.doc);
        let changed = c
            .changed
            .iter()
            .filter_map(|ch| match &ch.item {
                crate::model::merge::Item::Card(id) => Some(id.clone()),
                _ => None,
            })
            .collect();
        Some((c.added.clone(), changed))
    }

    /// Whether a merge is waiting in its window (tests).
    #[must_use]
    pub fn merging(&self) -> bool {
        self.copies.merge.is_some()
    }
}
