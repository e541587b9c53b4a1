//! The menu bar, the toolbar (with find and filter), and the status bar.

use egui::{Id, Key, RichText};

use super::{MissionboardApp, menu_item};
use crate::editor::Menu;
use crate::editor::derived::Filter;
use crate::model::analysis::{self};
use crate::model::{Kind, Sector};
use crate::ui::actions::Action;

/// Below this width (in points) the toolbar leaves out what the menus show (see `toolbar`).
const COMPACT_TOOLBAR: f32 = 1150.0;

impl MissionboardApp {
    /// The menu bar, built from each action's menu (`Action::menu`): a new action shows up in
    /// its menu without touching this function.
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let settings = self.ed.settings.clone();
        let items = |ui: &mut egui::Ui, menu: Menu, actions: &mut Vec<Action>| {
            for a in Action::in_menu(menu) {
                menu_item(ui, a, a.is_on(&settings), actions);
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(Menu::File.title(), |ui| {
                items(ui, Menu::File, actions);
                ui.menu_button("Open recent", |ui| {
                    if self.ed.settings.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for p in self.ed.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.pending_open = Some(p);
                            ui.close();
                        }
                    }
                });
            });
            ui.menu_button(Menu::Edit.title(), |ui| {
                items(ui, Menu::Edit, actions);
                ui.separator();
                items(ui, Menu::Arrange, actions);
            });
            ui.menu_button(Menu::Layout.title(), |ui| {
                items(ui, Menu::Layout, actions);
                ui.separator();
                ui.label("Lay out to fill:");
                for t in crate::layout::Target::ALL {
                    ui.radio_value(&mut self.ed.settings.layout_target, t, t.label());
                }
                ui.separator();
                ui.checkbox(&mut self.ed.settings.layout_compact, "Compact (denser, interventions in one band)")
                    .on_hover_text("Smaller gaps, and chains of enabling interventions share one band");
                ui.checkbox(&mut self.ed.settings.layout_by_mission, "Group by mission")
                    .on_hover_text("Each mission's sub-missions, interventions and partners stand together");
                ui.checkbox(&mut self.ed.settings.layout_left_right, "Left to right (missions on the right)");
            });
            for menu in [Menu::Add, Menu::View, Menu::Workshop, Menu::Analyse, Menu::Help] {
                ui.menu_button(menu.title(), |ui| items(ui, menu, actions));
            }
        });
    }

    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        // At large text sizes (a narrow screen in points) the toolbar keeps to what the menus do
        // not show at one click: the kind buttons live on in the Add menu, Pathways and Portfolio
        // in Analyse, each with its shortcut. So at 200 % on 1280 pixels it stays one row.
        let compact = ui.available_width() < COMPACT_TOOLBAR;
        ui.horizontal_wrapped(|ui| {
            let palette = crate::ui::theme::palette(ui.ctx());
            if !compact {
                ui.label(RichText::new("Add:").strong());
            }
            for k in Kind::ALL.into_iter().filter(|_| !compact) {
                let text = RichText::new(k.label()).color(crate::ui::theme::c(palette.on_kind)).size(15.0);
                let b = egui::Button::new(text).fill(crate::ui::theme::kind_colour(palette, k));
                let tip = format!(
                    "Add {} {} in the middle of the view ({}). Double-click empty canvas to add one there.",
                    if k == Kind::Intervention { "an" } else { "a" },
                    k.label().to_lowercase(),
                    Action::AddCard(k).shortcut_text().unwrap_or_default()
                );
                if ui.add(b).on_hover_text(tip).clicked() {
                    actions.push(Action::AddCard(k));
                }
            }
            if !compact {
                ui.separator();
            }
            for a in [Action::Undo, Action::Redo] {
                let enabled = if a == Action::Undo { self.ed.doc.can_undo() } else { self.ed.doc.can_redo() };
                let tip = match (a, self.ed.doc.undo_label(), self.ed.doc.redo_label()) {
                    (Action::Undo, Some(l), _) | (Action::Redo, _, Some(l)) => format!("{}: {l}", a.text()),
                    _ => a.tooltip().to_owned(),
                };
                if ui.add_enabled(enabled, egui::Button::new(a.text())).on_hover_text(tip).clicked() {
                    actions.push(a);
                }
            }
            ui.separator();
            if ui.button("Zoom to fit").on_hover_text("Show the whole map (Home, or F with nothing selected)").clicked()
            {
                actions.push(Action::ZoomFit);
            }
            if ui.button("Lay out").on_hover_text(format!("{} (Ctrl+Shift+L)", Action::Layout.tooltip())).clicked() {
                actions.push(Action::Layout);
            }
            if ui.button("Find").on_hover_text(Action::Find.tooltip()).clicked() {
                actions.push(Action::Find);
            }
            self.filter_menu(ui);
            ui.separator();
            let (e, w) = self
                .derived
                .latest_checks()
                .map_or((0, 0), |c| (c.count(analysis::Severity::Error), c.count(analysis::Severity::Warning)));
            // Short, so the toolbar stays one row at 1280 pixels: the worst news only, the rest
            // in the hover text and the panel.
            let (errors, warnings) =
                (analysis::checks::plural(e, "error", "errors"), analysis::checks::plural(w, "warning", "warnings"));
            let checks_text = match (e, w) {
                (0, 0) => "Checks".to_owned(),
                (0, _) => format!("Checks: {warnings}"),
                _ => format!("Checks: {errors}"),
            };
            let counts = format!("{errors}, {warnings}");
            if ui
                .selectable_label(self.ed.settings.show_checks, checks_text)
                .on_hover_text(format!("{counts}. {} (F8: next finding)", Action::ToggleChecks.tooltip()))
                .clicked()
            {
                actions.push(Action::ToggleChecks);
            }
            if compact {
                return;
            }
            if ui
                .selectable_label(self.ed.settings.pathways, "Pathways")
                .on_hover_text(format!("{} (Ctrl+Shift+H)", Action::TogglePathways.tooltip()))
                .clicked()
            {
                actions.push(Action::TogglePathways);
            }
            if ui
                .selectable_label(self.portfolio.open, "Portfolio")
                .on_hover_text(format!("{} (Ctrl+Shift+M)", Action::Portfolio.tooltip()))
                .clicked()
            {
                actions.push(Action::Portfolio);
            }
        });
        if self.find.open {
            ui.horizontal(|ui| {
                let l = ui.label("Find:");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.find.query)
                            .id(Id::unique("find_field"))
                            .hint_text("words in titles and attributes")
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id);
                if self.find.focus_requested {
                    r.request_focus();
                    self.find.focus_requested = false;
                }
                let hits = self.derived.latest_hits().to_vec();
                if !self.find.query.trim().is_empty() {
                    ui.label(format!("{} found", hits.len()));
                }
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if (enter || ui.button("Next").clicked()) && !hits.is_empty() {
                    let i = self.find.current % hits.len();
                    self.find.current = i + 1;
                    let id = hits[i].clone();
                    self.ed.focus_card(id, false);
                    r.request_focus();
                }
                if ui.button("Close").clicked() {
                    self.find.open = false;
                    self.find.query.clear();
                }
            });
        }
    }

    pub(super) fn filter_menu(&mut self, ui: &mut egui::Ui) {
        let label = if self.filter.is_active() { "Filter (on)" } else { "Filter" };
        ui.menu_button(label, |ui| {
            ui.label(RichText::new("Show only these kinds").strong());
            for k in Kind::ALL {
                let mut on = self.filter.kinds.as_ref().is_none_or(|s| s.contains(&k));
                if ui.checkbox(&mut on, k.label()).changed() {
                    let set = self.filter.kinds.get_or_insert_with(|| Kind::ALL.into_iter().collect());
                    if on {
                        set.insert(k);
                    } else {
                        set.remove(&k);
                    }
                    if set.len() == Kind::ALL.len() {
                        self.filter.kinds = None;
                    }
                }
            }
            let mut leads: Vec<String> = self
                .map()
                .nodes()
                .filter_map(|n| n.kind.lead_department())
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            leads.sort();
            leads.dedup();
            egui::ComboBox::from_label("Lead department")
                .selected_text(self.filter.lead.clone().unwrap_or_else(|| "any".to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.lead, None, "any");
                    for l in leads {
                        ui.selectable_value(&mut self.filter.lead, Some(l.clone()), l);
                    }
                });
            egui::ComboBox::from_label("Partner sector")
                .selected_text(self.filter.sector.map_or("any", Sector::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.sector, None, "any");
                    for s in Sector::ALL {
                        ui.selectable_value(&mut self.filter.sector, Some(*s), s.label());
                    }
                });
            if ui.button("Clear filter").clicked() {
                self.filter = Filter::default();
            }
        });
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        // The counts on the right first, so a long message takes only the room left (shortened,
        // in full on hover) instead of running under them.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(format!("{:.0}%", self.canvas.view.zoom * 100.0));
            ui.separator();
            ui.label(format!("{} cards, {} links", self.map().node_count(), self.map().link_count()));
            if self.ed.doc.is_dirty() {
                ui.separator();
                ui.label(RichText::new("Unsaved changes").strong());
            }
            if let Some(s) = &self.ed.status {
                let colour = if s.error { crate::ui::theme::error_colour(ui.ctx()) } else { ui.visuals().text_color() };
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(RichText::new(&s.text).color(colour)).truncate());
                });
            }
        });
    }
}
