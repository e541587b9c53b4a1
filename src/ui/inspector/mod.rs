//! The inspector: every attribute of the selected card or link with the right widget, the shared
//! fields of several cards at once, or the map's own details when nothing is selected. It edits
//! copies and returns commands; the app groups them into undo steps.

use chrono::NaiveDate;
use egui::{Id, RichText, Ui};

use super::canvas::Selection;
use crate::command::Command;
use crate::editor::{EditGroup, FieldOf};
use crate::model::{
    Budget, Evidence, Indicator, Instrument, Kind, Link, LinkId, LinkKind, MissionMap, Node, NodeKind, Risk, Sector,
    Stage, Tier,
};

mod budget;
mod fields;
mod records;

use fields::{opt_choice, opt_date, opt_number, text_area, text_line};
use records::{action_list, decision_log, indicator_fields, readings};

pub use crate::editor::{Edit, Intent};

/// Shows the inspector for the current selection (`today`: the date a new reading gets). Returns
/// what was asked: edits to apply, or a link of the card to select.
pub fn show(ui: &mut Ui, map: &MissionMap, selection: &Selection, today: NaiveDate) -> Vec<Intent> {
    let mut edits = Vec::new();
    let mut picked = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 6.0;
        // Each thing's fields have ids of their own: when the card being typed in goes (another
        // laptop deleted it, an undo), the keys that follow must not land in whatever field takes
        // its place on the panel (they went into the map's Organisation).
        if let Some(id) = selection.single_node() {
            if let Some(node) = map.node(id) {
                ui.push_id(("card", id.as_str()), |ui| picked = node_inspector(ui, map, node, today, &mut edits));
            }
        } else if let Some(id) = selection.single_link() {
            if let Some(link) = map.link(id) {
                ui.push_id(("link", id.as_str()), |ui| link_inspector(ui, map, link, &mut edits));
            }
        } else if selection.nodes.len() > 1 {
            ui.push_id("cards", |ui| multi_inspector(ui, map, selection, &mut edits));
        } else if !selection.links.is_empty() {
            ui.heading(format!("{} links selected", selection.links.len()));
            ui.label("Press Delete to remove them, or select one to edit it.");
        } else {
            ui.push_id("map", |ui| map_inspector(ui, map, &mut edits));
        }
    });
    let mut intents: Vec<Intent> = edits.into_iter().map(|e| Intent::Edit(Box::new(e))).collect();
    intents.extend(picked.map(Intent::ShowLink));
    intents
}

/// The group of an edit: this field (the widget with the keyboard) of this thing.
pub(super) fn group(ui: &Ui, of: FieldOf) -> EditGroup {
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
/// A card's fields; returns the link the person picked from its list of links, if any.
fn node_inspector(
    ui: &mut Ui,
    map: &MissionMap,
    original: &Node,
    today: NaiveDate,
    edits: &mut Vec<Edit>,
) -> Option<LinkId> {
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
            fields::hold(
                ui,
                "Hold the target: the figure must stay",
                (target.baseline, target.value),
                &mut target.hold,
            );
            opt_date(ui, "Deadline", base.with("deadline"), &mut target.deadline);
            fields::frequency(ui, "How often the target is measured", base.with("frequency"), &mut target.frequency);
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
            budget_lines,
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
            budget::budget_lines(ui, base.with("budget lines"), budget_lines);
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
    let picked = links_summary(ui, map, original);
    if node != *original {
        edits.push(Edit {
            group: group(ui, FieldOf::Card(node.id.clone())),
            label: format!("Edit {}", node.kind().label().to_lowercase()),
            command: Command::UpdateNode(node),
        });
    }
    picked
}

/// When a card changes kind, keep what still makes sense (the lead department).
fn carry_over(old: &NodeKind, new: &mut NodeKind) {
    if let (Some(lead), NodeKind::Mission { lead_department, .. } | NodeKind::Intervention { lead_department, .. }) =
        (old.lead_department(), new)
    {
        lead.clone_into(lead_department);
    }
}

/// The card's links, each a link-styled button that selects it (so a keyboard user reaches a link's
/// own fields: F6, Tab to it, Space). Returns the one picked.
fn links_summary(ui: &mut Ui, map: &MissionMap, node: &Node) -> Option<LinkId> {
    let (out, inc) = map.links_of_sorted(&node.id);
    ui.label(RichText::new(format!("Links ({} out, {} in)", out.len(), inc.len())).strong());
    let title = |id: &crate::model::NodeId| map.node(id).map_or("?", |n| n.title.as_str());
    let mut picked = None;
    let rows = out
        .iter()
        .map(|l| (l, format!("{} {}", l.kind.label(), title(&l.to))))
        .chain(inc.iter().map(|l| (l, format!("{} {} this", title(&l.from), l.kind.label()))));
    for (l, text) in rows {
        if ui.link(text).on_hover_text("Select this link to edit its kind, evidence and rationale").clicked() {
            picked = Some(l.id.clone());
        }
    }
    picked
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
    ui.horizontal_wrapped(|ui| {
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
