//! The app side of the Money panel: the window, and a what-if made real through the editor.

use super::MissionboardApp;
use crate::editor::Intent;
use crate::ui::money::{MoneyEvent, show};

impl MissionboardApp {
    /// Draws the Money panel if open; returns the card picked in it. "Apply" moves the money at
    /// once, as one undo step.
    pub(super) fn money_window(&mut self, ctx: &egui::Context) -> Option<Intent> {
        if !self.money_panel.open {
            return None;
        }
        let mut open = true;
        let mut event = None;
        let revision = self.ed.doc.revision();
        // Inside the map's area, off the menus and the toolbar.
        let win = self.in_canvas("Money");
        let (map, state) = (self.ed.doc.map(), &mut self.money_panel);
        win.open(&mut open).default_size([820.0, 600.0]).resizable(true).show(ctx, |ui| {
            event = show(ui, map, revision, state);
        });
        self.money_panel.open = open;
        match event? {
            MoneyEvent::Show(id) => Some(Intent::Show(vec![id])),
            MoneyEvent::Apply(mv) => {
                self.ed.move_money(&mv);
                None
            }
        }
    }

    /// Whether the Money panel is open (tests).
    #[must_use]
    pub fn money_open(&self) -> bool {
        self.money_panel.open
    }
}
