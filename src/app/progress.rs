//! The app side of progress tracking: each measured card's status on the canvas, for today (or
//! the day a test fixes).

use chrono::NaiveDate;

use super::MissionboardApp;
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
        let p = progress::progress(self.ed.doc.map(), key.1);
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
                Some((c.id.clone(), CardStatus { status: c.status, series }))
            })
            .collect();
    }
}
