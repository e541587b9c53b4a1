//! The menu bar, the toolbar (with find and filter), and the status bar.

use egui::{Id, Key, RichText};

use super::{MissionboardApp, menu_item};
use crate::editor::Menu;
use crate::editor::derived::Filter;
use crate::model::analysis::{self};
use crate::model::{Kind, Sector};
use crate::ui::actions::Action;

/// A button of the toolbar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Tool {
    Add(Kind),
    Undo,
    Redo,
    Fit,
    Layout,
    Find,
    Filter,
    Checks,
    Pathways,
    Portfolio,
    Panels,
}

impl Tool {
    /// Left to right.
    const ORDER: [Tool; 14] = [
        Tool::Add(Kind::Mission),
        Tool::Add(Kind::SubMission),
        Tool::Add(Kind::Intervention),
        Tool::Add(Kind::Partner),
        Tool::Undo,
        Tool::Redo,
        Tool::Fit,
        Tool::Layout,
        Tool::Find,
        Tool::Filter,
        Tool::Checks,
        Tool::Pathways,
        Tool::Portfolio,
        Tool::Panels,
    ];

    /// What stays in the row longest when it is short of room, first to last.
    const KEEP_FIRST: [Tool; 14] = [
        Tool::Undo,
        Tool::Redo,
        Tool::Fit,
        Tool::Layout,
        Tool::Checks,
        Tool::Find,
        Tool::Filter,
        Tool::Add(Kind::Mission),
        Tool::Add(Kind::SubMission),
        Tool::Add(Kind::Intervention),
        Tool::Add(Kind::Partner),
        Tool::Pathways,
        Tool::Portfolio,
        Tool::Panels,
    ];

    /// Where the button's measured width is kept between frames.
    fn width_id(self) -> Id {
        Id::unique(("toolbar button width", self))
    }

    /// Buttons of one group stand together, a separator between groups.
    fn group(self) -> u8 {
        match self {
            Tool::Add(_) => 0,
            Tool::Undo | Tool::Redo => 1,
            Tool::Fit | Tool::Layout | Tool::Find | Tool::Filter => 2,
            Tool::Checks | Tool::Pathways | Tool::Portfolio | Tool::Panels => 3,
        }
    }
}

/// The width a button with `text` takes in a row, spacing included.
fn tool_width(ui: &egui::Ui, text: &str) -> f32 {
    let galley = egui::WidgetText::from(text).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Button,
    );
    galley.size().x + 2.0 * ui.spacing().button_padding.x + ui.spacing().item_spacing.x
}

/// The checks button's words and its hover text's counts, worked out once a frame.
#[derive(Default)]
struct ToolTexts {
    checks: String,
    counts: String,
}

impl MissionboardApp {
    /// The menu bar, built from each action's menu (`Action::menu`): a new action shows up in
    /// its menu without touching this function.
    /// Returns whether the side panels' button found room at the bar's right end (otherwise the
    /// toolbar shows it).
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) -> bool {
        let settings = self.ed.settings.clone();
        let items = |ui: &mut egui::Ui, menu: Menu, actions: &mut Vec<Action>| {
            for a in Action::in_menu(menu) {
                menu_item(ui, a, a.is_on(&settings), actions);
            }
        };
        egui::MenuBar::new()
            .ui(ui, |ui| {
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
                    ui.checkbox(&mut self.ed.settings.layout_bands, "One band per kind (large maps too)")
                        .on_hover_text(
                            "Above 300 cards, sub-missions and interventions otherwise take the rows that keep \
                         their links shortest, as Graphviz does, which crosses fewer links",
                        );
                    ui.checkbox(&mut self.ed.settings.layout_left_right, "Left to right (missions on the right)");
                });
                for menu in [Menu::Add, Menu::View, Menu::Workshop, Menu::Analyse, Menu::Help] {
                    ui.menu_button(menu.title(), |ui| items(ui, menu, actions));
                }
                // The side panels' button in the bar's free room at the right, when there is room.
                let text = self.tool_text(Tool::Panels, &ToolTexts::default());
                let needed = tool_width(ui, &text) + 24.0;
                if ui.available_width() < needed {
                    return false;
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    self.tool(ui, Tool::Panels, &ToolTexts::default(), actions);
                });
                true
            })
            .inner
    }

    /// `panels_placed`: the side panels' button is in the menu bar already.
    pub(super) fn toolbar(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>, panels_placed: bool) {
        // Every button keeps its place while the row has room; what does not fit (at large text
        // sizes, a narrow screen in points) moves into a "More" menu at the row's end, the least
        // used first, so nothing vanishes.
        let (e, w) = self
            .derived
            .latest_checks()
            .map_or((0, 0), |c| (c.count(analysis::Severity::Error), c.count(analysis::Severity::Warning)));
        // Short, so the toolbar stays one row at 1280 pixels: the worst news only, the rest in the
        // hover text and the panel.
        let (errors, warnings) =
            (analysis::checks::plural(e, "error", "errors"), analysis::checks::plural(w, "warning", "warnings"));
        let checks_text = match (e, w) {
            (0, 0) => "Checks".to_owned(),
            (0, _) => format!("Checks: {warnings}"),
            _ => format!("Checks: {errors}"),
        };
        let texts = ToolTexts { checks: checks_text, counts: format!("{errors}, {warnings}") };
        let width = tool_width;
        let tools: Vec<Tool> =
            Tool::KEEP_FIRST.into_iter().filter(|t| !(panels_placed && *t == Tool::Panels)).collect();
        // A separator between groups, and "Add:" before the kind buttons, count only when shown.
        let gap = 2.0 * ui.spacing().item_spacing.x + 6.0;
        let add_label = width(ui, "Add:");
        let fit = |budget: f32, shown: &mut Vec<Tool>| {
            let mut left = budget;
            for &t in &tools {
                let text = self.tool_text(t, &texts);
                // As wide as it was last frame in the row with these words, or as estimated.
                let measured = ui.data(|d| d.get_temp::<(String, f32)>(t.width_id()));
                let mut cost =
                    measured.filter(|(words, _)| *words == text).map_or_else(|| width(ui, &text), |(_, w)| w);
                if !shown.iter().any(|s: &Tool| s.group() == t.group()) {
                    cost += if shown.is_empty() { 0.0 } else { gap };
                    if matches!(t, Tool::Add(_)) {
                        cost += add_label;
                    }
                }
                if cost > left {
                    return false;
                }
                left -= cost;
                shown.push(t);
            }
            true
        };
        // A little slack for rounding; the "More" button only when something goes under it.
        let room = ui.available_width() - 8.0;
        let mut shown = Vec::new();
        if !fit(room, &mut shown) {
            shown.clear();
            fit(room - width(ui, "More"), &mut shown);
        }
        let hidden: Vec<Tool> = Tool::ORDER.into_iter().filter(|t| tools.contains(t) && !shown.contains(t)).collect();
        ui.horizontal(|ui| {
            let mut group = None;
            for t in Tool::ORDER.into_iter().filter(|t| shown.contains(t)) {
                if group.is_some_and(|g| g != t.group()) {
                    ui.separator();
                }
                if group != Some(t.group()) && matches!(t, Tool::Add(_)) {
                    ui.label(RichText::new("Add:").strong());
                }
                group = Some(t.group());
                let (_, rect) = self.tool(ui, t, &texts, actions);
                // Measured, for next frame's fitting (the estimate is a little generous).
                let spacing = ui.spacing().item_spacing.x;
                let text = self.tool_text(t, &texts);
                ui.data_mut(|d| d.insert_temp(t.width_id(), (text, rect.width() + spacing)));
            }
            if !hidden.is_empty() {
                ui.menu_button("More", |ui| {
                    let mut group = None;
                    for &t in &hidden {
                        if group.is_some_and(|g| g != t.group()) {
                            ui.separator();
                        }
                        if group != Some(t.group()) && matches!(t, Tool::Add(_)) {
                            ui.label(RichText::new("Add:").strong());
                        }
                        group = Some(t.group());
                        if self.tool(ui, t, &texts, actions).0 {
                            ui.close();
                        }
                    }
                })
                .response
                .on_hover_text("The toolbar's buttons that do not fit in the window at this text size");
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

    /// The words on a toolbar button.
    fn tool_text(&self, t: Tool, texts: &ToolTexts) -> String {
        match t {
            Tool::Add(k) => k.label().to_owned(),
            Tool::Undo => Action::Undo.text().to_owned(),
            Tool::Redo => Action::Redo.text().to_owned(),
            Tool::Fit => "Zoom to fit".to_owned(),
            Tool::Layout => "Lay out".to_owned(),
            Tool::Find => "Find".to_owned(),
            Tool::Filter => if self.filter.is_active() { "Filter (on)" } else { "Filter" }.to_owned(),
            Tool::Checks => texts.checks.clone(),
            Tool::Pathways => "Pathways".to_owned(),
            Tool::Portfolio => "Portfolio".to_owned(),
            Tool::Panels => if self.ed.settings.hide_side_panels { "Show panels" } else { "Hide panels" }.to_owned(),
        }
    }

    /// One toolbar button (in the row or in the "More" menu); whether it was clicked, and where it is.
    fn tool(&mut self, ui: &mut egui::Ui, t: Tool, texts: &ToolTexts, actions: &mut Vec<Action>) -> (bool, egui::Rect) {
        let text = self.tool_text(t, texts);
        let (response, action) = match t {
            Tool::Add(k) => {
                let palette = crate::ui::theme::palette(ui.ctx());
                let label = RichText::new(text).color(crate::ui::theme::c(palette.on_kind)).size(15.0);
                let b = egui::Button::new(label).fill(crate::ui::theme::kind_colour(palette, k));
                let tip = format!(
                    "Add {} {} in the middle of the view ({}). Double-click empty canvas to add one there.",
                    if k == Kind::Intervention { "an" } else { "a" },
                    k.label().to_lowercase(),
                    Action::AddCard(k).shortcut_text().unwrap_or_default()
                );
                (ui.add(b).on_hover_text(tip), Action::AddCard(k))
            }
            Tool::Undo | Tool::Redo => {
                let a = if t == Tool::Undo { Action::Undo } else { Action::Redo };
                let enabled = if a == Action::Undo { self.ed.doc.can_undo() } else { self.ed.doc.can_redo() };
                let tip = match (a, self.ed.doc.undo_label(), self.ed.doc.redo_label()) {
                    (Action::Undo, Some(l), _) | (Action::Redo, _, Some(l)) => format!("{}: {l}", a.text()),
                    _ => a.tooltip().to_owned(),
                };
                (ui.add_enabled(enabled, egui::Button::new(text)).on_hover_text(tip), a)
            }
            Tool::Fit => (
                ui.button(text).on_hover_text("Show the whole map (Home, or F with nothing selected)"),
                Action::ZoomFit,
            ),
            Tool::Layout => {
                (ui.button(text).on_hover_text(format!("{} (Ctrl+Shift+L)", Action::Layout.tooltip())), Action::Layout)
            }
            Tool::Find => (ui.button(text).on_hover_text(Action::Find.tooltip()), Action::Find),
            Tool::Filter => {
                let r = self.filter_menu(ui);
                return (false, r.rect);
            }
            Tool::Checks => (
                ui.selectable_label(self.ed.settings.show_checks && !self.ed.settings.hide_side_panels, text)
                    .on_hover_text(format!("{}. {} (F8: next finding)", texts.counts, Action::ToggleChecks.tooltip())),
                Action::ToggleChecks,
            ),
            Tool::Pathways => (
                ui.selectable_label(self.ed.settings.pathways, text)
                    .on_hover_text(format!("{} (Ctrl+Shift+H)", Action::TogglePathways.tooltip())),
                Action::TogglePathways,
            ),
            Tool::Portfolio => (
                ui.selectable_label(self.portfolio.open, text)
                    .on_hover_text(format!("{} (Ctrl+Shift+M)", Action::Portfolio.tooltip())),
                Action::Portfolio,
            ),
            Tool::Panels => (
                ui.button(text).on_hover_text(format!(
                    "{} ({})",
                    Action::ToggleSidePanels.tooltip(),
                    Action::ToggleSidePanels.shortcut_text().unwrap_or_default()
                )),
                Action::ToggleSidePanels,
            ),
        };
        let clicked = response.clicked();
        if clicked {
            actions.push(action);
        }
        (clicked, response.rect)
    }

    pub(super) fn filter_menu(&mut self, ui: &mut egui::Ui) -> egui::Response {
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
        })
        .response
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        // The counts on the right first, so a long message takes only the room left (wrapped onto
        // more lines, never cut) instead of running under them.
        // As tall as its content (a long message wraps onto more lines; a short one after it
        // gives the room back): `with_layout` would take the panel's whole remembered height.
        let row = egui::vec2(ui.available_width(), ui.spacing().interact_size.y);
        ui.allocate_ui_with_layout(row, egui::Layout::right_to_left(egui::Align::Center), |ui| {
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
                    ui.add(egui::Label::new(RichText::new(&s.text).color(colour)).wrap());
                });
            }
        });
    }
}
