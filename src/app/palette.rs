//! The command palette (Ctrl+K) and the keyboard shortcut sheet (F1).

use egui::{Id, Key, RichText};

use super::MissionboardApp;
use crate::ui::actions::{Action, GESTURES, format_shortcut};

impl MissionboardApp {
    pub(super) fn palette_window(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(state) = &mut self.palette else { return };
        let query = state.query.to_lowercase();
        // Commands whose name has the words first, then those whose description has them ("dark"
        // chose "Light theme", described as "Dark text on light cards", over "Dark theme").
        let named = |a: &Action| a.text().to_lowercase().contains(&query);
        let matching: Vec<Action> = Action::ALL
            .iter()
            .copied()
            .filter(named)
            .chain(Action::ALL.iter().copied().filter(|a| !named(a) && a.tooltip().to_lowercase().contains(&query)))
            .collect();
        let mut chosen: Option<Action> = None;
        let mut close = false;
        egui::Modal::new(Id::unique("palette")).show(ui.ctx(), |ui| {
            ui.set_min_width(520.0f32.min(ui.ctx().content_rect().width() - 80.0));
            ui.heading("Command palette");
            let l = ui.label("Command");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("type to search commands")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            r.request_focus();
            ui.input(|i| {
                if i.key_pressed(Key::ArrowDown) {
                    state.chosen = (state.chosen + 1).min(matching.len().saturating_sub(1));
                }
                if i.key_pressed(Key::ArrowUp) {
                    state.chosen = state.chosen.saturating_sub(1);
                }
                if i.key_pressed(Key::Enter) {
                    chosen = matching.get(state.chosen).copied();
                }
            });
            egui::ScrollArea::vertical().max_height(crate::ui::list_height(ui.ctx(), 400.0)).show(ui, |ui| {
                for (i, a) in matching.iter().enumerate() {
                    let text = match a.shortcut_text() {
                        Some(s) => format!("{}    {s}", a.text()),
                        None => a.text().to_owned(),
                    };
                    if ui.selectable_label(i == state.chosen, text).on_hover_text(a.tooltip()).clicked() {
                        chosen = Some(*a);
                    }
                }
            });
            if ui.button("Close").clicked() {
                close = true;
            }
        });
        if let Some(a) = chosen {
            actions.push(a);
            close = true;
        }
        if close {
            self.palette = None;
            self.focus_canvas = true;
        }
    }

    pub(super) fn shortcuts_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_shortcuts;
        egui::Window::new("Keyboard shortcuts").open(&mut open).default_width(520.0).show(ctx, |ui| {
            egui::ScrollArea::vertical().max_height(crate::ui::list_height(ui.ctx(), 560.0)).show(ui, |ui| {
                egui::Grid::new("shortcut_grid").striped(true).show(ui, |ui| {
                    for a in Action::ALL {
                        if let Some(s) = a.shortcut() {
                            let mut keys = vec![format_shortcut(&s)];
                            keys.extend(a.alternatives().iter().map(format_shortcut));
                            ui.label(RichText::new(keys.join(" or ")).monospace());
                            ui.label(a.text());
                            ui.end_row();
                        }
                    }
                    for (keys, what) in GESTURES {
                        ui.label(RichText::new(*keys).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                    ui.label(RichText::new("F6").monospace());
                    ui.label("Move the keyboard into the inspector (Esc comes back)");
                    ui.end_row();
                    ui.label(RichText::new("F7").monospace());
                    ui.label("Move the keyboard into the reason box of the finding shown (Enter dismisses it)");
                    ui.end_row();
                });
            });
        });
        self.show_shortcuts = open;
    }
}
