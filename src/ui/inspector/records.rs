//! What the inspector records over time: the map's action list, an intervention's decision log, an
//! indicator's readings and milestones.

use chrono::NaiveDate;
use egui::{Id, RichText, Ui};

use super::fields::{dated_value, frequency, hold, opt_date, opt_number, text_area, text_line};
use super::{Edit, group};
use crate::command::Command;
use crate::editor::FieldOf;
use crate::model::{Indicator, MissionMap};

pub(super) fn action_list(ui: &mut Ui, map: &MissionMap, edits: &mut Vec<Edit>) {
    let mut actions = map.actions.clone();
    let open = actions.iter().filter(|a| !a.done).count();
    ui.label(RichText::new(format!("Actions ({open} open of {})", actions.len())).strong());
    let base = Id::unique("inspector actions");
    let mut remove = None;
    for (i, a) in actions.iter_mut().enumerate() {
        let n = i + 1;
        text_line(ui, &format!("Action {n}: what"), &mut a.what);
        text_line(ui, &format!("Action {n}: owner"), &mut a.owner);
        opt_date(ui, &format!("Action {n}: due"), base.with(("due", i)), &mut a.due);
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut a.done, format!("Action {n}: done"));
            if ui.button(format!("Delete action {n}")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        actions.remove(i);
    }
    if ui.button("Add an action").clicked() {
        actions.push(crate::model::ActionItem { what: "New action".to_owned(), ..Default::default() });
    }
    if actions != map.actions {
        edits.push(Edit {
            group: group(ui, FieldOf::Map),
            label: "Edit the action list".to_owned(),
            command: Command::SetActions(actions),
        });
    }
}

/// An intervention's decision log: date, decision, who and why; record and delete.
pub(super) fn decision_log(ui: &mut Ui, id: Id, decisions: &mut Vec<crate::model::Decision>, today: NaiveDate) {
    use crate::model::DecisionKind;
    ui.label(RichText::new(format!("Decisions ({})", decisions.len())).strong());
    let mut remove = None;
    for (i, d) in decisions.iter_mut().enumerate() {
        let n = i + 1;
        let mut date = Some(d.date);
        opt_date(ui, &format!("Decision {n}: date"), id.with(("date", i)), &mut date);
        if let Some(date) = date {
            d.date = date;
        }
        egui::ComboBox::from_label(format!("Decision {n}")).selected_text(d.decision.label()).show_ui(ui, |ui| {
            for &k in DecisionKind::ALL {
                ui.selectable_value(&mut d.decision, k, k.label());
            }
        });
        text_line(ui, &format!("Decision {n}: who"), &mut d.who);
        text_area(ui, &format!("Decision {n}: why"), &mut d.why);
        if ui.button(format!("Delete decision {n}")).clicked() {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        decisions.remove(i);
    }
    if ui.button("Record a decision").on_hover_text("Explore, scale, continue, fix or sunset, dated today").clicked() {
        decisions.push(crate::model::Decision {
            id: crate::model::ItemId::default(),
            date: today,
            decision: DecisionKind::Continue,
            who: String::new(),
            why: String::new(),
        });
    }
}

pub(super) fn indicator_fields(ui: &mut Ui, id: Id, ind: &mut Indicator) {
    text_line(ui, "Indicator name", &mut ind.name);
    text_line(ui, "Indicator unit", &mut ind.unit);
    opt_number(ui, "Indicator baseline", id.with("b"), &mut ind.baseline);
    opt_number(ui, "Indicator target", id.with("t"), &mut ind.target);
    hold(ui, "Hold the target: the figure must stay", (ind.baseline, ind.target), &mut ind.hold);
    opt_date(ui, "Indicator deadline", id.with("d"), &mut ind.deadline);
    text_line(ui, "Data source", &mut ind.source);
    frequency(ui, "How often measured", id.with("f"), &mut ind.frequency);
}

pub(super) fn milestones(ui: &mut Ui, id: Id, what: &str, list: &mut Vec<crate::model::Milestone>, today: NaiveDate) {
    let mut remove = None;
    for (i, m) in list.iter_mut().enumerate() {
        let n = i + 1;
        dated_value(ui, &format!("{what}: milestone {n}"), id.with(i), &mut m.date, &mut m.value);
        if ui.button(format!("Delete {what}: milestone {n}")).clicked() {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        list.remove(i);
    }
    let add = ui.button("Add a milestone").on_hover_text("An interim point the trajectory must pass through");
    let label = format!("Add a milestone to {what}");
    add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if add.clicked() {
        // A year on from the last milestone (or from today).
        let date = list.last().map_or(today, |m| m.date) + chrono::Days::new(365);
        list.push(crate::model::Milestone {
            id: crate::model::ItemId::default(),
            date,
            value: list.last().map_or(0.0, |m| m.value),
        });
    }
}

/// The baseline date and the readings of an indicator (or a mission's target): each reading's date
/// and value, a button to delete it, and one to add a reading dated today.
pub(super) fn readings(
    ui: &mut Ui,
    id: Id,
    what: &str,
    (baseline_date, milestones_of): (&mut Option<NaiveDate>, &mut Vec<crate::model::Milestone>),
    readings: &mut Vec<crate::model::Reading>,
    today: NaiveDate,
) {
    opt_date(ui, &format!("{what}: baseline date"), id.with("bd"), baseline_date);
    ui.label(RichText::new(format!("{what}: readings ({})", readings.len())).strong());
    let mut remove = None;
    for (i, r) in readings.iter_mut().enumerate() {
        let n = i + 1;
        dated_value(ui, &format!("{what}: reading {n}"), id.with(i), &mut r.date, &mut r.value);
        let b = ui.button("Delete this reading");
        let label = format!("Delete {what}: reading {n}");
        b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if b.clicked() {
            remove = Some(i);
        }
    }
    if let Some(i) = remove {
        readings.remove(i);
    }
    milestones(ui, id.with("milestones"), what, milestones_of, today);
    let add = ui.button("Add a reading").on_hover_text("A reading dated today, with the last value to change");
    let label = format!("Add a reading to {what}");
    add.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if add.clicked() {
        let value = readings.iter().max_by_key(|r| r.date).map_or(0.0, |r| r.value);
        readings.push(crate::model::Reading {
            id: crate::model::ItemId::default(),
            date: today,
            value,
            note: String::new(),
            source: String::new(),
        });
    }
}
