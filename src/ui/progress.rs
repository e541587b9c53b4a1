//! The Progress panel: every indicator with its last value, the value expected by then, its status
//! and trend, sortable by any column; each mission's status and what drives it above. A click on a
//! card's name selects and shows the card.

use egui::{RichText, Ui};

use super::theme::{palette, status_colour};
use crate::model::progress::{IndicatorProgress, Progress, figure};
use crate::model::{MissionMap, NodeId};

/// The column the table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Worst first.
    #[default]
    Status,
    Card,
    Indicator,
    Progress,
    LastDate,
}

/// The panel's own state.
#[derive(Clone, Debug, Default)]
pub struct ProgressState {
    pub open: bool,
    pub sort: SortBy,
    pub reversed: bool,
}

/// Which way the figure last moved, and whether that is the way it should.
#[must_use]
pub fn trend(i: &IndicatorProgress) -> &'static str {
    let [.., a, b] = i.series.as_slice() else {
        return if i.series.is_empty() { "\u{2013}" } else { "one reading" };
    };
    let up = b.1 > a.1;
    match (b.1 == a.1, up != i.falling) {
        (true, _) => "flat",
        (false, true) => {
            if up {
                "rising (good)"
            } else {
                "falling (good)"
            }
        }
        (false, false) => {
            if up {
                "rising (wrong way)"
            } else {
                "falling (wrong way)"
            }
        }
    }
}

/// Draws the panel; returns the card to select, when one was clicked.
pub fn show(
    ui: &mut Ui,
    p: &Progress,
    map: &MissionMap,
    state: &mut ProgressState,
    on: chrono::NaiveDate,
) -> Option<NodeId> {
    let mut picked = None;
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    ui.label(format!("As of {on}. A status is computed from the readings: see docs/progress.md."));
    ui.label(RichText::new("Missions").strong());
    for m in &p.missions {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(m.status_text()).color(status_colour(palette(ui.ctx()), m.status)).strong());
            let b = ui.add(egui::Button::new(title(&m.id)).frame(false));
            if b.clicked() {
                picked = Some(m.id.clone());
            }
            if let Some((card, name)) = m.driver.as_ref().filter(|_| m.status.measured()) {
                ui.label(format!("set by {name} on \u{201c}{}\u{201d}", title(card)));
            }
            if let Some(gaps) = m.no_data_text() {
                ui.label(gaps);
            }
        });
    }
    ui.separator();
    let mut rows: Vec<&IndicatorProgress> = p.indicators.iter().collect();
    match state.sort {
        SortBy::Status => rows.sort_by_key(|i| (std::cmp::Reverse(i.status.concern()), std::cmp::Reverse(i.stale))),
        SortBy::Card => rows.sort_by_key(|i| title(&i.card).to_lowercase()),
        SortBy::Indicator => rows.sort_by_key(|i| i.indicator.to_lowercase()),
        SortBy::Progress => {
            rows.sort_by(|a, b| a.progress.unwrap_or(f64::INFINITY).total_cmp(&b.progress.unwrap_or(f64::INFINITY)));
        }
        SortBy::LastDate => rows.sort_by_key(|i| i.last_date),
    }
    if state.reversed {
        rows.reverse();
    }
    egui::ScrollArea::vertical().max_height(super::list_height(ui.ctx(), 420.0)).show(ui, |ui| {
        egui::Grid::new("progress table").striped(true).num_columns(7).show(ui, |ui| {
            for (label, by) in [
                ("Status", Some(SortBy::Status)),
                ("Card", Some(SortBy::Card)),
                ("Indicator", Some(SortBy::Indicator)),
                ("Last value", Some(SortBy::LastDate)),
                ("Expected", None),
                ("Progress", Some(SortBy::Progress)),
                ("Trend", None),
            ] {
                match by {
                    Some(by) => {
                        let text = match (state.sort == by, state.reversed) {
                            (true, false) => format!("{label} (sorted)"),
                            (true, true) => format!("{label} (reversed)"),
                            (false, _) => label.to_owned(),
                        };
                        let r = ui
                            .button(RichText::new(text).strong())
                            .on_hover_text("Sort by this column; again to reverse");
                        let name = format!("Sort by {}", label.to_lowercase());
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                        if r.clicked() {
                            state.reversed = state.sort == by && !state.reversed;
                            state.sort = by;
                        }
                    }
                    None => {
                        ui.label(RichText::new(label).strong());
                    }
                }
            }
            ui.end_row();
            for i in rows {
                ui.label(RichText::new(i.status_text()).color(status_colour(palette(ui.ctx()), i.status)).strong());
                let card = title(&i.card);
                let r = ui.add(egui::Button::new(&card).frame(false)).on_hover_text("Select and show this card");
                let name = format!("Show card: {card}");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if r.clicked() {
                    picked = Some(i.card.clone());
                }
                ui.label(&i.indicator);
                match (i.last_value, i.last_date, i.needs) {
                    (Some(v), Some(d), None) => ui.label(format!("{} on {d}", figure(Some(v)))),
                    (Some(v), Some(d), Some(needs)) => {
                        ui.label(format!("{} on {d}; {}", figure(Some(v)), needs.text()))
                    }
                    (_, _, Some(needs)) => ui.label(needs.text()),
                    _ => ui.label("no readings"),
                };
                ui.label(figure(i.expected));
                ui.label(i.progress.map_or_else(|| "\u{2013}".to_owned(), |p| format!("{:.0}%", p * 100.0)));
                ui.label(trend(i));
                ui.end_row();
            }
        });
    });
    picked
}
