//! The checks panel: every finding about the theory of change, most severe first, updated as the
//! map changes. Clicking a finding selects and frames its cards; a finding can be dismissed with a
//! reason (saved in the file) and brought back.

use egui::{Color32, RichText, Ui};

pub use crate::editor::ChecksEvent;
use crate::model::analysis::{Checked, Finding, Severity};

/// The panel's own state.
#[derive(Clone, Debug, Default)]
pub struct ChecksState {
    /// The finding last shown (its dismiss box is open under it).
    pub current: Option<String>,
    pub reason: String,
    pub show_dismissed: bool,
    pub show_notes: bool,
    /// Scroll the current finding into view at the next frame (after F8).
    pub scroll_to_current: bool,
}

/// The colour that marks a severity (with a word beside it, never colour alone).
#[must_use]
pub fn severity_colour(s: Severity, dark: bool) -> Color32 {
    match (s, dark) {
        (Severity::Error, false) => Color32::from_rgb(178, 34, 34),
        (Severity::Error, true) => Color32::from_rgb(255, 120, 110),
        (Severity::Warning, false) => Color32::from_rgb(150, 90, 0),
        (Severity::Warning, true) => Color32::from_rgb(255, 190, 90),
        (Severity::Info, false) => Color32::from_rgb(40, 90, 160),
        (Severity::Info, true) => Color32::from_rgb(140, 180, 255),
    }
}

/// The id of the reason box under the current finding (F7 moves the keyboard there).
#[must_use]
pub fn reason_id() -> egui::Id {
    egui::Id::unique("checks_reason")
}

/// The finding after (or before) the current one among those the panel shows, wrapping around.
#[must_use]
pub fn step<'a>(checked: &'a Checked, state: &ChecksState, forward: bool) -> Option<&'a Finding> {
    let shown: Vec<&Finding> =
        checked.open.iter().filter(|f| state.show_notes || f.severity != Severity::Info).collect();
    if shown.is_empty() {
        return None;
    }
    let at = state.current.as_ref().and_then(|k| shown.iter().position(|f| &f.key == k));
    let n = shown.len();
    let next = match (at, forward) {
        (None, true) => 0,
        (None, false) => n - 1,
        (Some(i), true) => (i + 1) % n,
        (Some(i), false) => (i + n - 1) % n,
    };
    Some(shown[next])
}

/// Draws the panel.
/// `updating`: the findings shown are for an earlier version of the map (a large map is checked
/// on a worker thread; the panel says so rather than the frame waiting).
pub fn show(ui: &mut Ui, checked: &Checked, updating: bool, state: &mut ChecksState) -> Vec<ChecksEvent> {
    let mut events = Vec::new();
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.heading("Checks");
        if updating {
            // Words, not a spinner: a spinner draws a frame every vsync until the worker answers
            // (seconds on a large map, taking the CPU the worker needs); the worker wakes the window.
            ui.label("updating…").on_hover_text("Checking the latest changes");
        }
    });
    let (e, w, n) = (checked.count(Severity::Error), checked.count(Severity::Warning), checked.count(Severity::Info));
    ui.label(if e + w + n == 0 {
        "Nothing to report: every mission is measurable, time-bound, cross-ministerial, has two or more routes and a partner outside government.".to_owned()
    } else {
        format!("{e} errors, {w} warnings, {n} notes")
    });
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut state.show_notes, format!("Show notes ({n})"))
            .on_hover_text("Notes are small gaps, such as a link without a rationale");
        ui.checkbox(&mut state.show_dismissed, format!("Show dismissed ({})", checked.dismissed.len()));
    });
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        let notes = state.show_notes;
        for f in checked.open.iter().filter(|f| notes || f.severity != Severity::Info) {
            finding_row(ui, f, state, dark, &mut events);
        }
        if state.show_dismissed && !checked.dismissed.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new("Dismissed").strong());
            for (f, reason) in &checked.dismissed {
                ui.group(|ui| {
                    ui.label(RichText::new(&f.message).weak());
                    ui.label(format!("Reason: {reason}"));
                    let restore = ui.button("Bring back").on_hover_text("Show this finding again");
                    let label = format!("Bring back: {}", f.message);
                    restore.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                    if restore.clicked() {
                        events.push(ChecksEvent::Restore { key: f.key.clone() });
                    }
                });
            }
        }
    });
    events
}

fn finding_row(ui: &mut Ui, f: &Finding, state: &mut ChecksState, dark: bool, events: &mut Vec<ChecksEvent>) {
    let current = state.current.as_deref() == Some(f.key.as_str());
    let colour = severity_colour(f.severity, dark);
    let frame = egui::Frame::new()
        .stroke(egui::Stroke::new(if current { 2.0 } else { 1.0 }, colour))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!("{} \u{2013} {}", f.severity.label(), f.check.group())).color(colour).strong(),
            );
            let button = egui::Button::new(RichText::new(&f.message)).wrap().frame(false);
            let r = ui.add(button).on_hover_text("Select and show these cards");
            if r.clicked() {
                state.current = Some(f.key.clone());
                state.reason.clear();
                // Its reason box opens below it: bring the whole finding into view.
                state.scroll_to_current = true;
                events.push(ChecksEvent::Show(f.clone()));
            }
            // A merge conflict is settled by choosing a side, never dismissed: both buttons always show.
            if f.check == crate::model::analysis::Check::MergeConflict {
                ui.horizontal_wrapped(|ui| {
                    use crate::model::merge::Side;
                    if ui.button("Keep ours").on_hover_text("Keep the map as it is and forget this conflict").clicked()
                    {
                        events.push(ChecksEvent::Settle { key: f.key.clone(), side: Side::Ours });
                    }
                    if ui.button("Take theirs").on_hover_text("Put their version in the map").clicked() {
                        events.push(ChecksEvent::Settle { key: f.key.clone(), side: Side::Theirs });
                    }
                });
                return;
            }
            if current {
                ui.label(RichText::new(format!("What to do: {}", f.fix)).italics());
                // In a narrow panel (large text) the field and Dismiss go under the label.
                let narrow = ui.available_width() < 260.0;
                let mut row = |ui: &mut Ui| {
                    let l = ui.label("Reason:");
                    let width = if narrow { ui.available_width() } else { ui.available_width() - 90.0 };
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut state.reason)
                                .id(reason_id())
                                .hint_text("why the board accepts this")
                                .desired_width(width),
                        )
                        .labelled_by(l.id)
                        .on_hover_text("Dismissed findings are saved in the file with their reason. Enter dismisses.");
                    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let ok = !state.reason.trim().is_empty();
                    let clicked = ui
                        .add_enabled(ok, egui::Button::new("Dismiss"))
                        .on_disabled_hover_text("Give a reason first")
                        .clicked();
                    if clicked || (entered && ok) {
                        events
                            .push(ChecksEvent::Dismiss { key: f.key.clone(), reason: state.reason.trim().to_owned() });
                        state.current = None;
                        state.reason.clear();
                    }
                };
                if narrow {
                    ui.vertical(|ui| row(ui));
                } else {
                    ui.horizontal(|ui| row(ui));
                }
            }
        });
    if current && state.scroll_to_current {
        frame.response.scroll_to_me(Some(egui::Align::Center));
        state.scroll_to_current = false;
    }
}
