//! The Money panel: each mission's money per currency, a bar per year stacked by status with a
//! table under it, the sub-missions nobody funds, and a what-if that moves an amount from one
//! intervention (or year) to another and shows every mission before and after. The figures come
//! from `model::money`; "Apply" hands the move back to the editor as one undo step.

use egui::{Color32, RichText, Ui};

use crate::model::analysis::portfolio::money as money_text;
use crate::model::money::{MissionMoney, MoneyReport, Move, MoveError, STACKED, WhatIf, money, what_if};
use crate::model::{MissionMap, NodeId};
use crate::style::MONEY_STACK;

/// What the panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum MoneyEvent {
    /// Select and show this card.
    Show(NodeId),
    /// Make this move real (one undo step).
    Apply(Move),
}

/// The panel's own state: the what-if's fields, and the figures last worked out.
#[derive(Debug, Default)]
pub struct MoneyState {
    pub open: bool,
    pub amount: String,
    pub from: Option<NodeId>,
    pub from_year: String,
    pub to: Option<NodeId>,
    pub to_year: String,
    /// The report for a revision of the map.
    report: Option<(u64, MoneyReport)>,
    /// The interventions to move money between, by title, for that revision.
    choices: Vec<(NodeId, String)>,
    /// The what-if for a revision of the map and a move.
    what_if: Option<(u64, Move, Result<WhatIf, MoveError>)>,
}

/// The statuses' names and colours in the bars, bottom to top.
fn stack() -> impl Iterator<Item = (&'static str, Color32)> {
    STACKED.iter().zip(MONEY_STACK).map(|(s, rgb)| (s.slug(), super::theme::c(rgb)))
}

/// The bars of one mission in one currency: a bar per year, stacked spent, committed, planned.
/// Its accessible label says every figure, for people who cannot see it.
fn bars(ui: &mut Ui, m: &MissionMoney, currency: &str) {
    let years = m.years_in(currency);
    if years.is_empty() {
        return;
    }
    let top = years.iter().map(|(_, v)| v.iter().sum::<f64>()).fold(0.0_f64, f64::max).max(1e-9);
    let (bar_w, gap, height, label_h, top_h) = (56.0_f32, 18.0_f32, 90.0_f32, 16.0_f32, 14.0_f32);
    #[allow(clippy::cast_precision_loss, reason = "a handful of years")]
    let width = years.len() as f32 * (bar_w + gap) + gap;
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, top_h + height + label_h), egui::Sense::hover());
    let said: Vec<String> = years
        .iter()
        .map(|(y, v)| {
            let parts: Vec<String> = stack()
                .zip(v)
                .filter(|(_, a)| a.abs() >= 0.005)
                .map(|((name, _), a)| format!("{name} {}", money_text(*a, currency)))
                .collect();
            format!("{y}: {}", parts.join(", "))
        })
        .collect();
    let name = format!("Money by year, {currency}, {}: {}", m.title, said.join("; "));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &name));
    let painter = ui.painter_at(rect);
    let text = ui.visuals().text_color();
    let mut x = rect.left() + gap;
    let base = rect.top() + top_h + height;
    for (year, v) in &years {
        let mut y = base;
        for ((_, colour), a) in stack().zip(v) {
            #[allow(clippy::cast_possible_truncation, reason = "a share of the bar's height")]
            let h = ((a.max(0.0) / top) as f32) * (height - 4.0);
            if h > 0.0 {
                painter.rect_filled(
                    egui::Rect::from_min_max(egui::pos2(x, y - h), egui::pos2(x + bar_w, y)),
                    0.0,
                    colour,
                );
                y -= h;
            }
        }
        painter.text(
            egui::pos2(x + bar_w / 2.0, y - 1.0),
            egui::Align2::CENTER_BOTTOM,
            money_text(v.iter().sum(), currency),
            egui::FontId::proportional(11.0),
            text,
        );
        painter.text(
            egui::pos2(x + bar_w / 2.0, base + 2.0),
            egui::Align2::CENTER_TOP,
            *year,
            egui::FontId::proportional(11.0),
            text,
        );
        x += bar_w + gap;
    }
}

fn legend(ui: &mut Ui) {
    ui.horizontal(|ui| {
        for (name, colour) in stack() {
            let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(r, 2.0, colour);
            ui.label(name);
        }
        ui.label("(currencies are never added together; planned money is not funding)");
    });
}

/// One mission: its total, a bar chart per currency, the table by year and status, and the
/// sub-missions nobody funds.
fn mission(ui: &mut Ui, m: &MissionMoney, map: &MissionMap, picked: &mut Option<MoneyEvent>) {
    ui.label(RichText::new(format!("{}: {}", m.title, m.total.text())).strong());
    // One chart per currency, side by side: amounts in two currencies are never stacked together.
    ui.horizontal_wrapped(|ui| {
        for currency in m.total.0.keys() {
            ui.vertical(|ui| {
                ui.label(RichText::new(currency).small());
                bars(ui, m, currency);
            });
        }
    });
    if !m.by_year_status.is_empty() {
        egui::Grid::new(("money table", m.id.as_str())).striped(true).num_columns(5).show(ui, |ui| {
            for h in ["Year", "Planned", "Committed", "Spent", "Total"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (year, b) in &m.by_year_status {
                ui.label(year);
                ui.label(b.planned.text());
                ui.label(b.committed.text());
                ui.label(b.spent.text());
                ui.label(m.by_year.get(year).map(crate::model::analysis::Money::text).unwrap_or_default());
                ui.end_row();
            }
        });
    }
    if !m.unfunded.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("Unfunded sub-missions (no committed or spent money):");
            for s in &m.unfunded {
                let title = map.node(s).map_or_else(|| s.to_string(), |n| n.title.clone());
                let r = ui.add(egui::Button::new(&title).frame(false)).on_hover_text("Select and show this card");
                let name = format!("Show card: {title}");
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
                if r.clicked() {
                    *picked = Some(MoneyEvent::Show(s.clone()));
                }
            }
        });
    }
    ui.add_space(6.0);
}

/// A choice of intervention, by title.
fn pick(ui: &mut Ui, label: &str, choice: &mut Option<NodeId>, interventions: &[(NodeId, String)]) {
    let shown = choice
        .as_ref()
        .and_then(|c| interventions.iter().find(|(id, _)| id == c))
        .map_or_else(|| "choose…".to_owned(), |(_, t)| t.clone());
    egui::ComboBox::from_label(label).selected_text(shown).width(240.0).show_ui(ui, |ui| {
        for (id, title) in interventions {
            ui.selectable_value(choice, Some(id.clone()), title);
        }
    });
}

fn year_field(ui: &mut Ui, label: &str, value: &mut String) {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(80.0).hint_text("any")).labelled_by(l.id);
}

/// The what-if: fields, then every mission before and after, then "Apply".
fn what_if_section(
    ui: &mut Ui,
    map: &MissionMap,
    revision: u64,
    interventions: &[(NodeId, String)],
    state: &mut MoneyState,
) -> Option<MoneyEvent> {
    ui.label(RichText::new("What if").strong());
    ui.label("Move an amount from one intervention (or year) to another and see every mission's money before and after. Nothing changes until you apply it.");
    ui.horizontal(|ui| {
        let l = ui.label("Amount to move");
        ui.add(egui::TextEdit::singleline(&mut state.amount).desired_width(100.0).hint_text("25m, 300k EUR"))
            .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        pick(ui, "From intervention", &mut state.from, interventions);
        year_field(ui, "From year", &mut state.from_year);
    });
    ui.horizontal(|ui| {
        pick(ui, "To intervention", &mut state.to, interventions);
        year_field(ui, "To year", &mut state.to_year);
    });
    let (Some(from), Some(to)) = (state.from.clone(), state.to.clone()) else {
        ui.label("Choose the interventions to move money between.");
        return None;
    };
    if state.amount.trim().is_empty() {
        ui.label("Type the amount to move.");
        return None;
    }
    let mv = match Move::from_fields(&state.amount, from, &state.from_year, to, &state.to_year) {
        Ok(mv) => mv,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            return None;
        }
    };
    if state.what_if.as_ref().is_none_or(|(r, m, _)| *r != revision || *m != mv) {
        state.what_if = Some((revision, mv.clone(), what_if(map, &mv, None)));
    }
    let Some((_, _, result)) = &state.what_if else { return None };
    let w = match result {
        Ok(w) => w,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            return None;
        }
    };
    ui.label(format!("What if {} (money only, not outcomes):", w.mv.text(map)));
    egui::Grid::new("what-if table").striped(true).num_columns(4).show(ui, |ui| {
        for h in ["Mission", "Before", "After", "Change"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for c in &w.missions {
            for (k, (cur, before, after)) in c.by_currency().into_iter().enumerate() {
                ui.label(if k == 0 { c.before.title.as_str() } else { "" });
                ui.label(money_text(before, &cur));
                ui.label(money_text(after, &cur));
                let change = after - before;
                let change = if change.abs() < 0.005 {
                    "no change".to_owned()
                } else {
                    format!("{}{}", if change > 0.0 { "+" } else { "\u{2212}" }, money_text(change.abs(), &cur))
                };
                let r = ui.label(&change);
                let name = format!("Change for {}: {change}", c.before.title);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &name));
                ui.end_row();
            }
        }
    });
    for c in &w.missions {
        let (now, no_longer) = c.unfunded_change();
        let titles = |v: &[NodeId]| {
            v.iter()
                .map(|s| map.node(s).map_or_else(|| s.to_string(), |n| n.title.clone()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !now.is_empty() {
            ui.label(format!("{}: would leave unfunded {}", c.before.title, titles(&now)));
        }
        if !no_longer.is_empty() {
            ui.label(format!("{}: would fund {}", c.before.title, titles(&no_longer)));
        }
    }
    ui.button("Apply the move")
        .on_hover_text("Move the money on the map (one undo step)")
        .clicked()
        .then(|| MoneyEvent::Apply(w.mv.clone()))
}

/// Draws the panel for the map at `revision`; returns what the person asked for.
pub fn show(ui: &mut Ui, map: &MissionMap, revision: u64, state: &mut MoneyState) -> Option<MoneyEvent> {
    if state.report.as_ref().is_none_or(|(r, _)| *r != revision) {
        let report = money(map, None);
        state.choices = report.interventions.iter().map(|i| (i.id.clone(), i.title.clone())).collect();
        state.choices.sort_by_key(|(_, t)| t.to_lowercase());
        state.report = Some((revision, report));
    }
    let mut picked = None;
    let mut asked = None;
    egui::ScrollArea::vertical().max_height(super::list_height(ui.ctx(), 600.0)).show(ui, |ui| {
        legend(ui);
        if let Some((_, report)) = &state.report {
            if report.missions.is_empty() {
                ui.label("The map has no missions yet.");
            }
            for m in &report.missions {
                mission(ui, m, map, &mut picked);
            }
        }
        ui.separator();
        // Lent out for the call, so the fields can change beside it; put back after.
        let choices = std::mem::take(&mut state.choices);
        asked = what_if_section(ui, map, revision, &choices, state);
        state.choices = choices;
    });
    picked.or(asked)
}
