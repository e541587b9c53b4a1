//! The command palette (Ctrl+K) and the keyboard shortcut sheet (F1).

use egui::{Id, Key, RichText};

use super::{MissionboardApp, PaletteState};
use crate::ui::actions::{Action, GESTURES, format_shortcut};

impl MissionboardApp {
    /// What is typed after Ctrl+K in the same frame (a fast typist, or a window busy drawing a big
    /// map, gets the key and the words together) belongs to the palette, whose box does not have
    /// the keyboard until the next frame: the words and an Enter are taken out of the frame (so
    /// the canvas does not act on them) and kept for the palette that opens.
    pub(super) fn keys_for_the_palette(&mut self, ctx: &egui::Context) {
        let Some(shortcut) = Action::CommandPalette.shortcut() else { return };
        let typed = ctx.input_mut(|i| {
            let at = i.events.iter().position(|e| {
                matches!(e, egui::Event::Key { key, pressed: true, modifiers, .. }
                    if *key == shortcut.logical_key && modifiers.matches_logically(shortcut.modifiers))
            })?;
            let after = i.events.split_off(at + 1);
            let mut query = String::new();
            let mut enter = false;
            let mut rest = Vec::new();
            for e in after {
                match &e {
                    egui::Event::Text(t) if !enter => query.push_str(t),
                    egui::Event::Key { key: Key::Backspace, pressed: true, .. } if !enter => {
                        query.pop();
                    }
                    egui::Event::Key { key: Key::Enter, pressed: true, .. } => enter = true,
                    egui::Event::Key { .. } | egui::Event::Text(_) => {}
                    _ => rest.push(e),
                }
            }
            i.events.extend(rest);
            Some(PaletteState { query, chosen: 0, run: enter })
        });
        self.palette_typed = typed;
    }

    pub(super) fn palette_window(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(state) = &mut self.palette else { return };
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
            // The list is worked out from the query as it is after this frame's typing: words and
            // Enter can arrive in one frame (a fast typist), and Enter must run what they name.
            if r.changed() {
                state.chosen = 0;
            }
            let query = state.query.to_lowercase();
            // Commands whose name has the words first, then those whose description has them
            // ("dark" chose "Light theme", described as "Dark text on light cards", over "Dark theme").
            let named = |a: &Action| a.text().to_lowercase().contains(&query);
            let matching: Vec<Action> = Action::ALL
                .iter()
                .copied()
                .filter(named)
                .chain(Action::ALL.iter().copied().filter(|a| !named(a) && a.tooltip().to_lowercase().contains(&query)))
                .collect();
            if std::mem::take(&mut state.run) {
                chosen = matching.first().copied();
            }
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
