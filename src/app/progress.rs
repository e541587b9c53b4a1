//! The app side of progress tracking: each measured card's status on the canvas, for today (or
//! the day a test fixes).

use chrono::NaiveDate;

use super::MissionboardApp;
use crate::editor::Intent;
use crate::model::progress;
use crate::ui::canvas::CardStatus;

impl MissionboardApp {
    /// Evaluates progress as of `day` instead of today (tests and screenshots that must not change
    /// with the calendar).
    pub fn set_today(&mut self, day: NaiveDate) {
        self.today = Some(day);
        self.progress_key = None;
    }

    /// The day progress is evaluated on.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Rebuilds the canvas's status chips when the map or the day changed. Cards that measure
    /// nothing (no indicators, no target) get none.
    pub(super) fn canvas_status(&mut self) {
        let key = (self.ed.doc.revision(), self.today());
        if self.progress_key == Some(key) {
            return;
        }
        self.progress_key = Some(key);
        self.progress = progress::progress(self.ed.doc.map(), key.1);
        let p = &self.progress;
        self.canvas.status = p
            .missions
            .iter()
            .chain(&p.sub_missions)
            .filter_map(|c| {
                let (card, name) = c.driver.as_ref()?;
                let series = p
                    .indicators
                    .iter()
                    .find(|i| i.card == *card && i.indicator == *name)
                    .map(|i| i.series.iter().map(|(_, v)| *v).collect())
                    .unwrap_or_default();
                Some((c.id.clone(), CardStatus { status: c.status, stale: c.stale, series }))
            })
            .collect();
    }

    /// Draws the Progress panel if open; returns the card picked in it.
    pub(super) fn progress_window(&mut self, ctx: &egui::Context) -> Option<Intent> {
        if !self.progress_panel.open {
            return None;
        }
        // The statuses were brought up to date with the canvas's marks earlier in this frame.
        let mut open = true;
        let mut picked = None;
        let on = self.today();
        // Inside the map's area, off the menus and the toolbar.
        let win = self.in_canvas("Progress");
        let (p, map, state) = (&self.progress, self.ed.doc.map(), &mut self.progress_panel);
        win.open(&mut open).default_size([760.0, 520.0]).resizable(true).show(ctx, |ui| {
            picked = crate::ui::progress::show(ui, p, map, state, on);
        });
        self.progress_panel.open = open;
        picked.map(|id| Intent::Show(vec![id]))
    }

    /// Writes the board pack for today's meeting to `path`, reporting changes since the last
    /// session marked in the map.
    pub fn write_board_pack(&mut self, path: &std::path::Path) {
        let since = self.map().workshop.snapshots.last().map(|s| s.name.clone());
        let opts = crate::export::pack::PackOptions { on: self.today(), since: since.clone() };
        let written = crate::export::pack::board_pack(self.map(), &opts)
            .map_err(|e| e.to_string())
            .and_then(|bytes| crate::io::write_atomic(path, &bytes).map_err(|e| e.to_string()));
        match written {
            Ok(()) => {
                let since = since.map(|s| format!(", with the changes since \u{201c}{s}\u{201d}")).unwrap_or_default();
                self.ed.say(format!("Wrote the board pack {}{since}.", path.display()));
            }
            Err(e) => self.ed.warn(format!("Could not write the board pack: {e}")),
        }
    }

    /// Whether the Progress panel is open (tests).
    #[must_use]
    pub fn progress_open(&self) -> bool {
        self.progress_panel.open
    }
}
