//! The app side of File ▸ Import 360Giving grants…: the dialog over the editor, and "Add" made
//! real through the editor core (one undo step).

use std::path::Path;

use super::{Dialog, MissionboardApp};
use crate::editor::grants::GrantImport;
use crate::ui::grants::{GrantsEvent, show};

impl MissionboardApp {
    /// Opens the import dialog, its path box in the map's folder (or at the file last read).
    pub(super) fn ask_grants(&mut self, ctx: &egui::Context) {
        let path = match self.grants.read_path() {
            Some(p) => p.display().to_string(),
            None => {
                let dir = self.files.path().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
                let mut text = dir.display().to_string();
                if !text.is_empty() && !text.ends_with(std::path::MAIN_SEPARATOR) {
                    text.push(std::path::MAIN_SEPARATOR);
                }
                text
            }
        };
        self.grants = GrantImport::new(path);
        self.dialog = Some(Dialog::Grants);
        // The path box takes the keyboard as the dialog opens: the canvas (or the palette) lets go.
        self.focus_canvas = false;
        ctx.memory_mut(|m| {
            if let Some(id) = m.focused() {
                m.surrender_focus(id);
            }
        });
    }

    /// Draws the import dialog; returns whether it is done (added or cancelled). A problem keeps
    /// it open, said in the dialog.
    pub(super) fn grants_dialog(&mut self, ui: &mut egui::Ui) -> bool {
        let screen = ui.ctx().content_rect();
        let width = 940.0f32.min(screen.width() - 80.0).max(300.0);
        let revision = self.ed.doc.revision();
        let mut event = None;
        let (map, state) = (self.ed.doc.map(), &mut self.grants);
        egui::Modal::new(egui::Id::unique("grants import")).show(ui.ctx(), |ui| {
            ui.set_width(width);
            event = show(ui, map, revision, state, width);
        });
        match event {
            Some(GrantsEvent::Preview) => {
                self.grants.refused = None;
                self.grants.read();
                false
            }
            Some(GrantsEvent::Add) => {
                let done = self.ed.import_grants(&self.grants);
                // Why not is said in the dialog, which stays open.
                self.grants.refused = if done { None } else { self.ed.status.as_ref().map(|s| s.text.clone()) };
                done
            }
            Some(GrantsEvent::Cancel) => true,
            None => false,
        }
    }

    /// Whether the grants import dialog is open (tests).
    #[must_use]
    pub fn importing_grants(&self) -> bool {
        matches!(self.dialog, Some(Dialog::Grants))
    }
}
