//! The inspector: every attribute of the selected card or link with the right widget, the shared
//! fields of several cards at once, or the map's own details when nothing is selected. It edits
//! copies and returns commands; the app groups them into undo steps.

use chrono::NaiveDate;
use egui::{Id, RichText, Ui};

use super::canvas::Selection;
use crate::command::Command;
use crate::editor::{EditGroup, FieldOf};
use crate::model::{
    Budget, Evidence, Indicator, Instrument, Kind, Link, LinkKind, MissionMap, Node, NodeKind, Risk, Sector, Stage,
    Tier,
};

pub use crate::editor::Edit;

/// Shows the inspector for the current selection (`today`: the date a new reading gets). Returns
/// the edits to apply.
pub fn show(ui: &mut Ui, map: &MissionMap, selection: &Selection, today: NaiveDate) -> Vec<Edit> {
    let mut edits = Vec::new();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 6.0;
        if let Some(id) = selection.single_node() {
            if let Some(node) = map.node(id) {
                node_inspector(ui, map, node, today, &mut edits);
            }
        } else if let Some(id) = selection.single_link() {
            if let Some(link) = map.link(id) {
                link_inspector(ui, map, link, &mut edits);
            }
        } else if selection.nodes.len() > 1 {
            multi_inspector(ui, map, selection, &mut edits);
        } else if !selection.links.is_empty() {
            ui.heading(format!("{} links selected", selection.links.len()));
            ui.label("Press Delete to remove them, or select one to edit it.");
        } else {
            map_inspector(ui, map, &mut edits);
        }
    });
    edits
}

/// The group of an edit: this field (the widget with the keyboard) of this thing.
fn group(ui: &Ui, of: FieldOf) -> EditGroup {
    EditGroup::Field { of, widget: ui.memory(egui::Memory::focused).map_or(0, |id| id.value()) }
}

fn map_inspector(ui: &mut Ui, map: &MissionMap, edits: &mut Vec<Edit>) {
    ui.heading("Map");
    ui.label(RichText::new("Nothing selected. Click a card or a link to edit it.").italics());
    let mut meta = map.meta.clone();
    text_line(ui, "Map title", &mut meta.title);
    text_line(ui, "Organisation", &mut meta.organisation);
    text_area(ui, "Description", &mut meta.description);
    ui.label(format!("Created {}", meta.created.format("%d %b %Y %H:%M")));
    ui.label(format!("Modified {}", meta.modified.format("%d %b %Y %H:%M")));
    if meta != map.meta {
        edits.push(Edit {
            group: group(ui, FieldOf::Map),
            label: "Edit map details".to_owned(),
            command: Command::SetMeta(meta),
        });
    }
    ui.separator();
    ui.label(RichText::new("Cards").strong());
    for (kind, n) in map.count_by_kind() {
        ui.label(format!("{}: {n}", kind.label()));
    }
    ui.label(format!("Links: {}", map.link_count()));
    ui.separator();
    action_list(ui, map, edits);
}

/// The board's action list: what, owner, due date, done; add and delete.
fn action_list(ui: &mut Ui, map: &MissionMap, edits: &mut Vec<Edit>) {
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
        ui.horizontal(|ui| {
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
fn decision_log(ui: &mut Ui, id: Id, decisions: &mut Vec<crate::model::Decision>, today: NaiveDate) {
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
            date: today,
            decision: DecisionKind::Continue,
            who: String::new(),
            why: String::new(),
        });
    }
}

/// A labelled one-line text field.
fn text_line(ui: &mut Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(f32::INFINITY)).labelled_by(l.id)
}

/// A labelled multi-line text field.
fn text_area(ui: &mut Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::multiline(value).desired_rows(3).desired_width(f32::INFINITY)).labelled_by(l.id)
}

/// A labelled field for a number that may be empty. Text that is not a number is shown in red and
/// not applied until it is.
fn opt_number(ui: &mut Ui, label: &str, id: Id, value: &mut Option<f64>) {
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

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { v.to_string() }
}

/// A labelled date field that may be empty: type `YYYY-MM-DD` or pick from a calendar.
fn opt_date(ui: &mut Ui, label: &str, id: Id, value: &mut Option<NaiveDate>) {
    let l = ui.label(label);
    ui.horizontal(|ui| {
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
fn opt_choice<T: Copy + PartialEq>(
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

fn node_inspector(ui: &mut Ui, map: &MissionMap, original: &Node, today: NaiveDate, edits: &mut Vec<Edit>) {
    let mut node = original.clone();
    let base = Id::unique(("inspector", original.id.as_str()));
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 22.0), egui::Sense::hover());
        super::canvas::paint_kind_icon(
            ui.painter(),
            rect.center(),
            18.0,
            node.kind(),
            super::theme::kind_colour(super::theme::palette(ui.ctx()), node.kind()),
        );
        ui.heading(node.kind().label());
        ui.label(RichText::new(format!("id {}", node.id)).weak());
    });
    text_area(ui, "Title", &mut node.title);
    let mut kind = node.kind();
    egui::ComboBox::from_label("Kind").selected_text(kind.label()).show_ui(ui, |ui| {
        for k in Kind::ALL {
            ui.selectable_value(&mut kind, k, k.label());
        }
    });
    if kind != node.kind() {
        node.kind = NodeKind::empty(kind);
        carry_over(&original.kind, &mut node.kind);
    }
    text_area(ui, "Description", &mut node.description);
    let mut tags = node.tags.join(", ");
    if text_line(ui, "Tags (separated by commas)", &mut tags).changed() {
        node.tags = tags.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
    }
    ui.separator();
    match &mut node.kind {
        NodeKind::Mission { statement, target, lead_department } => {
            text_area(ui, "Mission statement", statement);
            text_line(ui, "Lead department", lead_department);
            ui.label(RichText::new("Target").strong());
            text_line(ui, "Metric", &mut target.metric);
            text_line(ui, "Unit", &mut target.unit);
            opt_number(ui, "Baseline", base.with("baseline"), &mut target.baseline);
            opt_number(ui, "Target value", base.with("target"), &mut target.value);
            opt_date(ui, "Deadline", base.with("deadline"), &mut target.deadline);
            text_line(ui, "How often the target is measured", &mut target.frequency);
            readings(
                ui,
                base.with("target readings"),
                "Target",
                (&mut target.baseline_date, &mut target.milestones),
                &mut target.readings,
                today,
            );
        }
        NodeKind::SubMission { outcome, indicators } => {
            text_area(ui, "Outcome", outcome);
            ui.label(RichText::new(format!("Indicators ({})", indicators.len())).strong());
            let mut remove = None;
            for (i, ind) in indicators.iter_mut().enumerate() {
                let title = if ind.name.is_empty() { format!("Indicator {}", i + 1) } else { ind.name.clone() };
                egui::CollapsingHeader::new(title).id_salt(base.with(("ind", i))).default_open(true).show(ui, |ui| {
                    indicator_fields(ui, base.with(("ind", i)), ind);
                    let what = if ind.name.is_empty() { format!("Indicator {}", i + 1) } else { ind.name.clone() };
                    readings(
                        ui,
                        base.with(("ind readings", i)),
                        &what,
                        (&mut ind.baseline_date, &mut ind.milestones),
                        &mut ind.readings,
                        today,
                    );
                    if ui.button("Remove this indicator").clicked() {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                indicators.remove(i);
            }
            if ui.button("Add an indicator").clicked() {
                indicators.push(Indicator { name: "New indicator".to_owned(), ..Indicator::default() });
            }
        }
        NodeKind::Intervention {
            instrument,
            lead_department,
            budget,
            stage,
            start,
            end,
            risk,
            risk_note,
            decisions,
        } => {
            opt_choice(ui, "Instrument", instrument, Instrument::ALL, Instrument::label);
            text_line(ui, "Lead department", lead_department);
            opt_choice(ui, "Stage", stage, Stage::ALL, Stage::label);
            let mut has_budget = budget.is_some();
            if ui.checkbox(&mut has_budget, "Has a budget").changed() {
                *budget = has_budget.then(|| Budget { amount: 0.0, currency: "GBP".to_owned(), period: String::new() });
            }
            if let Some(b) = budget {
                let mut amount = Some(b.amount);
                opt_number(ui, "Budget amount", base.with("amount"), &mut amount);
                b.amount = amount.unwrap_or(0.0);
                egui::ComboBox::from_label("Currency").selected_text(b.currency.clone()).show_ui(ui, |ui| {
                    for c in ["GBP", "EUR", "USD"] {
                        ui.selectable_value(&mut b.currency, c.to_owned(), c);
                    }
                });
                text_line(ui, "Budget period", &mut b.period);
            }
            opt_date(ui, "Start", base.with("start"), start);
            opt_date(ui, "End", base.with("end"), end);
            opt_choice(ui, "Risk", risk, Risk::ALL, Risk::label);
            text_area(ui, "What could go wrong", risk_note);
            ui.separator();
            decision_log(ui, base.with("decisions"), decisions, today);
        }
        NodeKind::Partner { sector, tier, role } => {
            opt_choice(ui, "Sector", sector, Sector::ALL, Sector::label);
            opt_choice(ui, "Tier", tier, Tier::ALL, Tier::label);
            text_area(ui, "Role", role);
        }
    }
    ui.separator();
    text_area(ui, "Notes", &mut node.notes);
    ui.separator();
    links_summary(ui, map, original);
    if node != *original {
        edits.push(Edit {
            group: group(ui, FieldOf::Card(node.id.clone())),
            label: format!("Edit {}", node.kind().label().to_lowercase()),
            command: Command::UpdateNode(node),
        });
    }
}

/// When a card changes kind, keep what still makes sense (the lead department).
fn carry_over(old: &NodeKind, new: &mut NodeKind) {
    if let (Some(lead), NodeKind::Mission { lead_department, .. } | NodeKind::Intervention { lead_department, .. }) =
        (old.lead_department(), new)
    {
        lead.clone_into(lead_department);
    }
}

fn indicator_fields(ui: &mut Ui, id: Id, ind: &mut Indicator) {
    text_line(ui, "Indicator name", &mut ind.name);
    text_line(ui, "Indicator unit", &mut ind.unit);
    opt_number(ui, "Indicator baseline", id.with("b"), &mut ind.baseline);
    opt_number(ui, "Indicator target", id.with("t"), &mut ind.target);
    opt_date(ui, "Indicator deadline", id.with("d"), &mut ind.deadline);
    text_line(ui, "Data source", &mut ind.source);
    text_line(ui, "How often measured", &mut ind.frequency);
}

/// Interim milestones that shape the trajectory: each one's date and value, delete, and add one.
/// A reading's or milestone's date and value, labelled "<label> date" and "<label> value"; a
/// date or number that does not parse leaves the old one.
fn dated_value(ui: &mut Ui, label: &str, id: Id, date: &mut NaiveDate, value: &mut f64) {
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

fn milestones(ui: &mut Ui, id: Id, what: &str, list: &mut Vec<crate::model::Milestone>, today: NaiveDate) {
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
        list.push(crate::model::Milestone { date, value: list.last().map_or(0.0, |m| m.value) });
    }
}

/// The baseline date and the readings of an indicator (or a mission's target): each reading's date
/// and value, a button to delete it, and one to add a reading dated today.
fn readings(
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
        readings.push(crate::model::Reading { date: today, value, note: String::new(), source: String::new() });
    }
}

fn links_summary(ui: &mut Ui, map: &MissionMap, node: &Node) {
    let out: Vec<_> = map.links_from(&node.id).collect();
    let inc: Vec<_> = map.links_to(&node.id).collect();
    ui.label(RichText::new(format!("Links ({} out, {} in)", out.len(), inc.len())).strong());
    for l in out {
        let to = map.node(&l.to).map_or("?", |n| n.title.as_str());
        ui.label(format!("{} {to}", l.kind.label()));
    }
    for l in inc {
        let from = map.node(&l.from).map_or("?", |n| n.title.as_str());
        ui.label(format!("{from} {} this", l.kind.label()));
    }
}

fn link_inspector(ui: &mut Ui, map: &MissionMap, original: &Link, edits: &mut Vec<Edit>) {
    let mut link = original.clone();
    let (Some(from), Some(to)) = (map.node(&link.from), map.node(&link.to)) else { return };
    ui.heading("Link");
    ui.label(format!("From {}: {}", from.kind().label(), from.title));
    ui.label(format!("To {}: {}", to.kind().label(), to.title));
    let allowed = LinkKind::allowed_between(from.kind(), to.kind());
    egui::ComboBox::from_label("Kind of link").selected_text(link.kind.label()).show_ui(ui, |ui| {
        for k in allowed {
            ui.selectable_value(&mut link.kind, k, k.label());
        }
    });
    text_line(ui, "Label on the arrow", &mut link.label);
    text_area(ui, "Rationale (because…)", &mut link.rationale);
    text_area(ui, "Assumptions", &mut link.assumptions);
    egui::ComboBox::from_label("Evidence").selected_text(link.evidence.label()).show_ui(ui, |ui| {
        for e in Evidence::ALL {
            ui.selectable_value(&mut link.evidence, e, e.label());
        }
    });
    let mut has_conf = link.confidence.is_some();
    if ui.checkbox(&mut has_conf, "Confidence is set").changed() {
        link.confidence = has_conf.then_some(50);
    }
    if let Some(c) = &mut link.confidence {
        ui.add(egui::Slider::new(c, 0..=100).suffix(" %").text("Confidence"));
    }
    let mut weight = link.weight;
    opt_number(
        ui,
        "Budget weight (share of the source's budget)",
        Id::unique(("link weight", link.id.as_str())),
        &mut weight,
    );
    link.weight = weight;
    if link != *original {
        edits.push(Edit {
            group: group(ui, FieldOf::Link(link.id.clone())),
            label: "Edit link".to_owned(),
            command: Command::UpdateLink(link),
        });
    }
}

fn multi_inspector(ui: &mut Ui, map: &MissionMap, selection: &Selection, edits: &mut Vec<Edit>) {
    let nodes: Vec<&Node> = selection.nodes.iter().filter_map(|id| map.node(id)).collect();
    ui.heading(format!("{} cards selected", nodes.len()));
    let kinds: std::collections::BTreeSet<Kind> = nodes.iter().map(|n| n.kind()).collect();
    ui.label(kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "));
    ui.label(RichText::new("Changes here apply to every selected card.").italics());
    let key = group(ui, FieldOf::Cards);
    let mut changed: Vec<Node> = Vec::new();
    let mut apply = |label: &str, f: &dyn Fn(&mut Node)| {
        for n in &nodes {
            let mut c = (*n).clone();
            f(&mut c);
            if c != **n {
                changed.push(c);
            }
        }
        if !changed.is_empty() {
            edits.push(Edit {
                group: key.clone(),
                label: label.to_owned(),
                command: Command::Batch(changed.drain(..).map(Command::UpdateNode).collect()),
            });
        }
    };
    // Tags: add or remove one for all.
    let tag_id = Id::unique("multi add tag");
    let mut tag = ui.data(|d| d.get_temp::<String>(tag_id)).unwrap_or_default();
    ui.horizontal(|ui| {
        let l = ui.label("Tag");
        ui.add(egui::TextEdit::singleline(&mut tag).desired_width(120.0)).labelled_by(l.id);
        let t = tag.trim().to_owned();
        if ui.add_enabled(!t.is_empty(), egui::Button::new("Add to all")).clicked() {
            apply("Add tag", &|n: &mut Node| {
                if !n.tags.contains(&t) {
                    n.tags.push(t.clone());
                }
            });
        }
        if ui.add_enabled(!t.is_empty(), egui::Button::new("Remove from all")).clicked() {
            apply("Remove tag", &|n: &mut Node| n.tags.retain(|x| *x != t));
        }
    });
    ui.data_mut(|d| d.insert_temp(tag_id, tag));
    // Lead department, when every card has one.
    if nodes.iter().all(|n| n.kind.lead_department().is_some()) {
        let leads: std::collections::BTreeSet<&str> = nodes.iter().filter_map(|n| n.kind.lead_department()).collect();
        let mut lead = if leads.len() == 1 {
            leads.iter().next().map(|s| (*s).to_owned()).unwrap_or_default()
        } else {
            String::new()
        };
        let l = ui.label(if leads.len() > 1 { "Lead department (differs)" } else { "Lead department" });
        let r = ui.add(egui::TextEdit::singleline(&mut lead).desired_width(f32::INFINITY)).labelled_by(l.id);
        if r.changed() {
            apply("Set lead department", &|n: &mut Node| {
                if let NodeKind::Mission { lead_department, .. } | NodeKind::Intervention { lead_department, .. } =
                    &mut n.kind
                {
                    lead.clone_into(lead_department);
                }
            });
        }
    }
    if kinds.len() == 1 && kinds.contains(&Kind::Intervention) {
        let mut stage =
            common(&nodes, |k| if let NodeKind::Intervention { stage, .. } = k { Some(*stage) } else { None });
        let before = stage;
        opt_choice(ui, "Stage of all", &mut stage, Stage::ALL, Stage::label);
        if stage != before {
            apply("Set stage", &|n: &mut Node| {
                if let NodeKind::Intervention { stage: s, .. } = &mut n.kind {
                    *s = stage;
                }
            });
        }
        let mut instrument =
            common(
                &nodes,
                |k| if let NodeKind::Intervention { instrument, .. } = k { Some(*instrument) } else { None },
            );
        let before = instrument;
        opt_choice(ui, "Instrument of all", &mut instrument, Instrument::ALL, Instrument::label);
        if instrument != before {
            apply("Set instrument", &|n: &mut Node| {
                if let NodeKind::Intervention { instrument: s, .. } = &mut n.kind {
                    *s = instrument;
                }
            });
        }
        let mut risk = common(&nodes, |k| if let NodeKind::Intervention { risk, .. } = k { Some(*risk) } else { None });
        let before = risk;
        opt_choice(ui, "Risk of all", &mut risk, Risk::ALL, Risk::label);
        if risk != before {
            apply("Set risk", &|n: &mut Node| {
                if let NodeKind::Intervention { risk: s, .. } = &mut n.kind {
                    *s = risk;
                }
            });
        }
    }
    if kinds.len() == 1 && kinds.contains(&Kind::Partner) {
        let mut sector =
            common(&nodes, |k| if let NodeKind::Partner { sector, .. } = k { Some(*sector) } else { None });
        let before = sector;
        opt_choice(ui, "Sector of all", &mut sector, Sector::ALL, Sector::label);
        if sector != before {
            apply("Set sector", &|n: &mut Node| {
                if let NodeKind::Partner { sector: s, .. } = &mut n.kind {
                    *s = sector;
                }
            });
        }
        let mut tier = common(&nodes, |k| if let NodeKind::Partner { tier, .. } = k { Some(*tier) } else { None });
        let before = tier;
        opt_choice(ui, "Tier of all", &mut tier, Tier::ALL, Tier::label);
        if tier != before {
            apply("Set tier", &|n: &mut Node| {
                if let NodeKind::Partner { tier: s, .. } = &mut n.kind {
                    *s = tier;
                }
            });
        }
    }
}

/// The value every card shares, or `None` ("not set" / differs).
fn common<T: Copy + PartialEq>(nodes: &[&Node], get: impl Fn(&NodeKind) -> Option<Option<T>>) -> Option<T> {
    let mut values = nodes.iter().filter_map(|n| get(&n.kind));
    let first = values.next()?;
    if values.all(|v| v == first) { first } else { None }
}
