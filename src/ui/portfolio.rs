//! The portfolio window: one mission's interventions, instruments, stages, budget, departments,
//! partner sectors and spill-overs, and the two heat maps. Every count is a button that selects
//! the cards behind it.

use egui::{Color32, RichText, Ui};

use crate::model::NodeId;
use crate::model::analysis::{Cell, Mix, Portfolio};

/// The window's own state.
#[derive(Clone, Debug, Default)]
pub struct PortfolioState {
    pub open: bool,
    /// The mission shown (its index in the portfolio).
    pub mission: usize,
}

/// A count that selects its cards when clicked; its accessible name says what it counts.
fn count_button(ui: &mut Ui, cards: &[NodeId], what: &str, fill: Option<Color32>, picked: &mut Option<Vec<NodeId>>) {
    let text = if cards.is_empty() { "\u{2013}".to_owned() } else { cards.len().to_string() };
    let mut rich = RichText::new(text).monospace();
    if let Some(fill) = fill {
        // Dark text on light cells, white on dark ones, so every count stays legible.
        let light = u32::from(fill.r()) * 299 + u32::from(fill.g()) * 587 + u32::from(fill.b()) * 114 > 140_000;
        rich = rich.color(if light { Color32::BLACK } else { Color32::WHITE });
    }
    let mut button = egui::Button::new(rich).min_size(egui::vec2(36.0, 0.0));
    if let Some(fill) = fill {
        button = button.fill(fill);
    }
    let r = ui.add_enabled(!cards.is_empty(), button);
    let label = format!("{what}: {}", cards.len());
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, !cards.is_empty(), &label));
    if r.on_hover_text(format!("{label}. Click to select them on the map")).clicked() {
        *picked = Some(cards.to_vec());
    }
}

fn mix_table(ui: &mut Ui, id: &str, heading: &str, mixes: &[Mix], money: bool, picked: &mut Option<Vec<NodeId>>) {
    if mixes.is_empty() {
        return;
    }
    ui.label(RichText::new(heading).strong());
    egui::Grid::new(id).striped(true).num_columns(3).show(ui, |ui| {
        for mix in mixes {
            ui.label(&mix.label);
            count_button(ui, &mix.cards, &format!("{heading} {}", mix.label), None, picked);
            if money {
                ui.label(mix.budget.text());
            }
            ui.end_row();
        }
    });
    ui.add_space(6.0);
}

fn heat(
    ui: &mut Ui,
    id: &str,
    heading: &str,
    portfolio: &Portfolio,
    columns: &[String],
    rows: &[Vec<Cell>],
    picked: &mut Option<Vec<NodeId>>,
) {
    if columns.is_empty() {
        ui.label(format!("{heading}: nothing recorded yet."));
        return;
    }
    ui.label(RichText::new(heading).strong());
    let max = rows.iter().flatten().map(|c| c.cards.len()).max().unwrap_or(0).max(1);
    let dark = ui.visuals().dark_mode;
    // A column that does not fit is never cut without a sign: the scroll bar always shows, and
    // column headings wrap onto two lines rather than widen the table.
    egui::ScrollArea::horizontal()
        .id_salt(id)
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| {
            egui::Grid::new(id).num_columns(columns.len() + 1).show(ui, |ui| {
                ui.label("");
                for c in columns {
                    ui.scope(|ui| {
                        ui.set_max_width(96.0);
                        ui.add(egui::Label::new(RichText::new(c).small()).wrap());
                    });
                }
                ui.end_row();
                for (f, row) in portfolio.missions.iter().zip(rows) {
                    ui.label(&f.title);
                    for (c, cell) in columns.iter().zip(row) {
                        let t = cell.cards.len() as f32 / max as f32;
                        let fill = (!cell.cards.is_empty()).then(|| {
                            let (base, strong) = if dark {
                                (Color32::from_rgb(40, 50, 60), Color32::from_rgb(30, 110, 200))
                            } else {
                                (Color32::from_rgb(230, 240, 250), Color32::from_rgb(40, 100, 190))
                            };
                            base.lerp_to_gamma(strong, t)
                        });
                        count_button(ui, &cell.cards, &format!("{} and {c}", f.title), fill, picked);
                    }
                    ui.end_row();
                }
            });
        });
    ui.add_space(6.0);
}

/// Draws the window's contents. Returns the cards to select when a count was clicked.
pub fn show(
    ui: &mut Ui,
    portfolio: &Portfolio,
    state: &mut PortfolioState,
    title_of: &dyn Fn(&NodeId) -> String,
) -> Option<Vec<NodeId>> {
    let mut picked = None;
    if portfolio.missions.is_empty() {
        ui.label("This map has no missions yet. Add one with Ctrl+1.");
        return None;
    }
    state.mission = state.mission.min(portfolio.missions.len() - 1);
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        egui::ComboBox::from_label("Mission")
            .selected_text(&portfolio.missions[state.mission].title)
            .show_ui(ui, |ui| {
                for (i, f) in portfolio.missions.iter().enumerate() {
                    ui.selectable_value(&mut state.mission, i, &f.title);
                }
            });
        let f = &portfolio.missions[state.mission];
        ui.horizontal_wrapped(|ui| {
            ui.label("Interventions:");
            count_button(ui, &f.interventions, "Interventions serving the mission", None, &mut picked);
            ui.label("Sub-missions:");
            count_button(ui, &f.sub_missions, "Sub-missions of the mission", None, &mut picked);
            ui.label(format!("Budget (its share): {}", f.budget.text()));
            ui.label("No budget set:");
            count_button(ui, &f.unbudgeted, "Interventions with no budget", None, &mut picked);
        });
        ui.label(
            RichText::new("An intervention serving several missions is shared out along its links, by their budget weights (evenly when none are set).")
                .small()
                .italics(),
        );
        ui.add_space(6.0);
        ui.columns(2, |cols| {
            mix_table(&mut cols[0], "pf_instr", "Instrument", &f.instruments, true, &mut picked);
            mix_table(&mut cols[0], "pf_stage", "Stage", &f.stages, true, &mut picked);
            mix_table(&mut cols[1], "pf_dept", "Lead department", &f.departments, true, &mut picked);
            mix_table(&mut cols[1], "pf_sector", "Partner sector", &f.sectors, false, &mut picked);
        });
        if !f.spillovers.is_empty() {
            ui.label(RichText::new(format!("Spill-overs: {} interventions also serve other missions", f.spillovers.len())).strong());
            for (iv, others) in f.spillovers.iter().take(30) {
                let names: Vec<String> = others.iter().map(title_of).collect();
                let text = format!("{} \u{2013} also {}", title_of(iv), names.join(", "));
                if ui.add(egui::Button::new(text).wrap().frame(false)).clicked() {
                    let mut cards = vec![iv.clone()];
                    cards.extend(others.iter().cloned());
                    picked = Some(cards);
                }
            }
            if f.spillovers.len() > 30 {
                ui.label(format!("and {} more", f.spillovers.len() - 30));
            }
            ui.add_space(6.0);
        }
        ui.separator();
        heat(ui, "pf_heat_dept", "Missions by lead department (interventions)", portfolio, &portfolio.departments, &portfolio.by_department, &mut picked);
        heat(ui, "pf_heat_sector", "Missions by partner sector (partners)", portfolio, &portfolio.sectors, &portfolio.by_sector, &mut picked);
    });
    picked
}
