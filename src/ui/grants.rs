//! The "Import 360Giving grants" dialog: the path box (Enter reads the file), the rule that
//! matches grant programmes to interventions, a card for each programme, the preview table of
//! every grant, the problems of a bad file (row and column named), and "Add N grants". It only
//! says what is wanted; the editor core (`editor::grants`) does the rest.

use std::collections::BTreeMap;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::editor::grants::{GrantImport, Preview};
use crate::model::money::grants::{Choice, Rule};
use crate::model::{MissionMap, NodeId};

/// What the dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantsEvent {
    /// Read the file in the path box.
    Preview,
    /// Add the grants as the preview shows (one undo step).
    Add,
    Cancel,
}

/// The choice for one programme, in the words of its combo box.
fn choice_text(choice: Option<&Choice>, by_rule: Option<&NodeId>, map: &MissionMap) -> String {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    match choice {
        Some(Choice::Card(id)) => title(id),
        Some(Choice::NewCard) => "New intervention card".to_owned(),
        Some(Choice::Skip) => "Not added".to_owned(),
        None => match by_rule {
            Some(id) => format!("{} (by the rule)", title(id)),
            None => "Not added (no match)".to_owned(),
        },
    }
}

/// The programmes, each with its grants, money and a combo box for its intervention card.
/// Returns the programme whose choice the person changed, and the new choice (`None`: the rule's).
fn programmes(
    ui: &mut Ui,
    map: &MissionMap,
    choices: &BTreeMap<String, Choice>,
    preview: &Preview,
) -> Option<(String, Option<Choice>)> {
    let mut changed = None;
    egui::Grid::new("grant programmes").striped(true).num_columns(4).show(ui, |ui| {
        for h in ["Grant programme", "Grants", "Amount", "Intervention card"] {
            ui.label(RichText::new(h).strong());
        }
        ui.end_row();
        for (k, row) in preview.plan.programmes.iter().enumerate() {
            ui.label(&row.programme);
            ui.label(row.grants.to_string());
            ui.label(row.money.text());
            // What the rule alone gives, shown as the first choice.
            let by_rule = preview.by_rule.get(k).cloned().flatten();
            let current = choices.get(&row.programme).cloned();
            let mut picked = current.clone();
            let shown = choice_text(current.as_ref(), by_rule.as_ref(), map);
            let r = egui::ComboBox::from_id_salt(("grant programme", k)).selected_text(&shown).width(260.0).show_ui(
                ui,
                |ui| {
                    ui.selectable_value(&mut picked, None, choice_text(None, by_rule.as_ref(), map));
                    for (id, title) in &preview.interventions {
                        ui.selectable_value(&mut picked, Some(Choice::Card(id.clone())), title);
                    }
                    ui.selectable_value(&mut picked, Some(Choice::NewCard), "New intervention card");
                    // With no match by the rule, the rule's own choice already says "not added".
                    if by_rule.is_some() {
                        ui.selectable_value(&mut picked, Some(Choice::Skip), "Not added");
                    }
                },
            );
            let name = format!("Intervention for {}: {shown}", row.programme);
            r.response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &name));
            if picked != current {
                changed = Some((row.programme.clone(), picked));
            }
            ui.end_row();
        }
    });
    changed
}

/// Every grant: its recipient's card, its programme's intervention, amount and year.
fn grants_table(ui: &mut Ui, preview: &Preview, width: f32, height: f32) {
    TableBuilder::new(ui)
        .id_salt("grants preview")
        .striped(true)
        .resizable(true)
        .max_scroll_height(height)
        .column(Column::initial(width * 0.23).at_least(80.0).clip(true))
        .column(Column::initial(width * 0.27).at_least(80.0).clip(true))
        .column(Column::remainder().at_least(80.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::exact(76.0))
        .header(20.0, |mut h| {
            for t in ["Grant", "Recipient -> partner card", "Programme -> intervention", "Amount", "Year"] {
                h.col(|ui| {
                    ui.label(RichText::new(t).strong());
                });
            }
        })
        .body(|body| {
            body.rows(20.0, preview.rows.len(), |mut row| {
                let r = &preview.rows[row.index()];
                for text in [&r.grant, &r.recipient, &r.programme, &r.amount, &r.year] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text.as_str()).truncate());
                    });
                }
            });
        });
}

/// Draws the dialog's contents; returns what the person asked for.
pub fn show(ui: &mut Ui, map: &MissionMap, revision: u64, state: &mut GrantImport, width: f32) -> Option<GrantsEvent> {
    let mut event = None;
    ui.heading("Import 360Giving grants");
    ui.label(
        "Each grant becomes a budget line on an intervention: its programme is matched to an intervention card, \
         its recipient to a partner card. Nothing is added until you press Add.",
    );
    let l = ui.label("Grant file (.csv, .xlsx or .json in the 360Giving Data Standard)");
    ui.horizontal(|ui| {
        let (_, entered) = crate::ui::path_field::show(ui, &mut state.path, (width - 120.0).max(200.0), l.id);
        if entered || ui.button("Preview").on_hover_text("Read the file and show what it would add").clicked() {
            event = Some(GrantsEvent::Preview);
        }
    });
    ui.horizontal(|ui| {
        ui.label("Match grant programmes to interventions:");
        ui.radio_value(&mut state.rule, Rule::Title, "By title");
        ui.radio_value(&mut state.rule, Rule::Tag, "By tag");
    });
    ui.label(RichText::new(format!("Rule: {}.", state.rule.text())).small());
    if state.path_changed() {
        ui.label("The path box names another file: press Preview (or Enter) to read it.");
    }
    if let Some(why) = &state.refused {
        ui.label(RichText::new(why).color(crate::ui::theme::error_colour(ui.ctx())));
    }
    let problems = state.problems().to_vec();
    if !problems.is_empty() {
        let red = crate::ui::theme::error_colour(ui.ctx());
        ui.label(RichText::new("Nothing was added. Mend these and press Preview again:").color(red).strong());
        egui::ScrollArea::vertical().id_salt("grant problems").max_height(160.0).show(ui, |ui| {
            for p in &problems {
                ui.label(RichText::new(p).color(red));
            }
        });
    }
    // What is left of the screen (in points: fewer at large text sizes) after the fixed parts is
    // shared by the programmes and the table, so the buttons stay on screen.
    let left = ui.ctx().content_rect().height() - 200.0 - ui.min_rect().height();
    let programmes_height = (left * 0.4).clamp(40.0, 180.0);
    let table_height = (left - programmes_height).clamp(60.0, 320.0);
    let mut adding = 0;
    state.refresh(map, revision);
    let mut changed = None;
    if let Some(preview) = state.current() {
        adding = preview.plan.adding();
        egui::ScrollArea::vertical().id_salt("grant programmes scroll").max_height(programmes_height).show(ui, |ui| {
            changed = programmes(ui, map, &state.choices, preview);
        });
        ui.separator();
        grants_table(ui, preview, width, table_height);
        ui.separator();
        ui.label(&preview.summary);
        ui.label(format!("In the file: {}.", preview.in_file));
    }
    match changed {
        Some((programme, Some(choice))) => {
            state.choices.insert(programme, choice);
        }
        Some((programme, None)) => {
            state.choices.remove(&programme);
        }
        None => {}
    }
    ui.horizontal(|ui| {
        let add = format!("Add {}", crate::model::analysis::checks::plural(adding, "grant", "grants"));
        if ui
            .add_enabled(adding > 0 && !state.path_changed(), egui::Button::new(add))
            .on_hover_text("Add them to the map as budget lines (one undo step)")
            .clicked()
        {
            event = Some(GrantsEvent::Add);
        }
        if ui.button("Cancel").on_hover_text("Close without adding anything (Esc)").clicked() {
            event = Some(GrantsEvent::Cancel);
        }
    });
    event
}
