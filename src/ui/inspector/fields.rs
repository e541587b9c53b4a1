//! The inspector's labelled fields: text, numbers and dates that may be unset, choices, and a
//! dated value (a reading or a milestone).

use chrono::NaiveDate;
use egui::{Id, Ui};

/// A labelled one-line text field.
pub(super) fn text_line(ui: &mut Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY)).labelled_by(l.id)
}

/// A labelled multi-line text field.
pub(super) fn text_area(ui: &mut Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::multiline(value).desired_rows(3).desired_width(f32::INFINITY)).labelled_by(l.id)
}

/// A labelled field for a number that may be empty. Text that is not a number is shown in red and
/// not applied until it is.
pub(super) fn opt_number(ui: &mut Ui, label: &str, id: Id, value: &mut Option<f64>) {
    let l = ui.label(label);
    let mut text = ui.data(|d| d.get_temp::<String>(id)).unwrap_or_else(|| value.map(fmt_num).unwrap_or_default());
    let r = ui
        .add(egui::TextEdit::singleline(&mut text).id(id).desired_width(f32::INFINITY).hint_text("a number, or empty"))
        .labelled_by(l.id);
    let parsed: Option<Option<f64>> = if text.trim().is_empty() {
        Some(None)
    } else {
        text.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite()).map(Some)
    };
    match parsed {
        Some(v) if r.changed() => *value = v,
        None => {
            ui.colored_label(crate::ui::theme::error_colour(ui.ctx()), "Not a number: write it like 1500 or 12.5");
        }
        _ => {}
    }
    if r.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
    }
}

pub(super) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { v.to_string() }
}

/// A labelled date field that may be empty: type `YYYY-MM-DD` or pick from a calendar.
pub(super) fn opt_date(ui: &mut Ui, label: &str, id: Id, value: &mut Option<NaiveDate>) {
    let l = ui.label(label);
    // Wrapped: in a narrow inspector (large text) the calendar goes under the field.
    ui.horizontal_wrapped(|ui| {
        let mut text = ui
            .data(|d| d.get_temp::<String>(id))
            .unwrap_or_else(|| value.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
        let r = ui
            .add(egui::TextEdit::singleline(&mut text).id(id).desired_width(110.0).hint_text("YYYY-MM-DD"))
            .labelled_by(l.id);
        let parsed = if text.trim().is_empty() {
            Some(None)
        } else {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok().map(Some)
        };
        if r.changed()
            && let Some(v) = parsed
        {
            *value = v;
        }
        if r.has_focus() {
            ui.data_mut(|d| d.insert_temp(id, text));
        } else {
            ui.data_mut(|d| d.remove::<String>(id));
        }
        let mut date = value
            .and_then(|d| {
                use chrono::Datelike;
                jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8).ok()
            })
            .unwrap_or_else(|| jiff::civil::date(2030, 1, 1));
        let before = date;
        // Unset, the button says so instead of showing the date the calendar opens at.
        ui.add(
            egui_extras::DatePickerButton::new(&mut date)
                .id_salt(&format!("{id:?}"))
                .show_icon(false)
                .format(if value.is_some() { "%Y-%m-%d" } else { "Pick a date" }),
        );
        if date != before {
            *value = NaiveDate::from_ymd_opt(i32::from(date.year()), date.month() as u32, date.day() as u32);
        }
        if value.is_some() && ui.small_button("Clear").on_hover_text("Clear the date").clicked() {
            *value = None;
        }
        if parsed.is_none() {
            ui.colored_label(crate::ui::theme::error_colour(ui.ctx()), "Not a date");
        }
    });
}

/// A labelled drop-down over a list of choices, with "not set".
pub(super) fn opt_choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut Option<T>,
    all: &[T],
    name: fn(T) -> &'static str,
) {
    egui::ComboBox::from_label(label).selected_text(value.map_or("not set", name)).show_ui(ui, |ui| {
        ui.selectable_value(value, None, "not set");
        for &c in all {
            ui.selectable_value(value, Some(c), name(c));
        }
    });
}

/// Interim milestones that shape the trajectory: each one's date and value, delete, and add one.
/// A reading's or milestone's date and value, labelled "<label> date" and "<label> value"; a
/// date or number that does not parse leaves the old one.
pub(super) fn dated_value(ui: &mut Ui, label: &str, id: Id, date: &mut NaiveDate, value: &mut f64) {
    let mut d = Some(*date);
    opt_date(ui, &format!("{label} date"), id.with("date"), &mut d);
    if let Some(d) = d {
        *date = d;
    }
    let mut v = Some(*value);
    opt_number(ui, &format!("{label} value"), id.with("value"), &mut v);
    if let Some(v) = v {
        *value = v;
    }
}

/// A labelled field for how often a figure is measured. A frequency Missionboard does not know is
/// refused: shown in red with the known ones, and not applied until it is one of them (or empty).
pub(super) fn frequency(ui: &mut Ui, label: &str, id: Id, value: &mut String) {
    let l = ui.label(label);
    let mut text = ui.data(|d| d.get_temp::<String>(id)).unwrap_or_else(|| value.clone());
    let r = ui
        .add(egui::TextEdit::singleline(&mut text).id(id).desired_width(f32::INFINITY).hint_text("quarterly, monthly…"))
        .labelled_by(l.id);
    match crate::model::progress::check_frequency(&text) {
        Ok(()) if r.changed() => text.trim().clone_into(value),
        Ok(()) => {}
        Err(e) => {
            ui.colored_label(crate::ui::theme::error_colour(ui.ctx()), e);
        }
    }
    if r.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
    }
}

/// For a target equal to its baseline ("hold at 18 weeks"): at most or at least. Shown only then
/// (or when one is already chosen), with a note while it is missing.
pub(super) fn hold(
    ui: &mut Ui,
    label: &str,
    (baseline, target): (Option<f64>, Option<f64>),
    value: &mut Option<crate::model::progress::Hold>,
) {
    use crate::model::progress::Hold;
    let held = crate::model::progress::held(baseline, target);
    if !held && value.is_none() {
        return;
    }
    opt_choice(ui, label, value, &Hold::ALL, Hold::label);
    if held && value.is_none() {
        ui.colored_label(
            crate::ui::theme::error_colour(ui.ctx()),
            "The target equals the baseline: choose at most or at least, or it cannot be scored",
        );
    } else if !held {
        ui.label("Used only while the target equals the baseline");
    }
}
