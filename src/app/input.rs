//! The keyboard: shortcuts, clipboard events, typing onto a card, navigation and nudging, and the
//! keys of present mode. Everything becomes an action or an editor request.

use egui::{Event, Id, Key, KeyboardShortcut, Modifiers};

use super::{MissionboardApp, keyboard_elsewhere};
use crate::editor::present::PresentMove;
use crate::editor::{Intent, Toward};
use crate::ui::actions::Action;
use crate::ui::canvas::Selection;
use crate::ui::checks::{self as checks_panel};
use crate::ui::workshop::{self as workshop_ui};

impl MissionboardApp {
    /// Reads the keyboard for shortcuts, clipboard events, typing onto a card, and navigation.
    pub(super) fn keyboard(&mut self, ctx: &egui::Context) -> Vec<Intent> {
        let mut actions = Vec::new();
        if self.dialog.is_some() || self.palette.is_some() {
            if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
                self.dialog = None;
                self.palette = None;
                self.focus_canvas = true;
            }
            return Vec::new();
        }
        self.keys_for_the_palette(ctx);
        let typing = keyboard_elsewhere(ctx);
        let canvas_focused = !typing;
        // Keys meant for a new card's title, taken out before any shortcut sees them.
        let for_title = if typing { None } else { self.title_keys(ctx) };
        // Shortcuts with more modifiers first: egui matches Ctrl+Z inside Ctrl+Shift+Z.
        let mut ordered: Vec<Action> = Action::ALL.to_vec();
        ordered.sort_by_key(|a| {
            std::cmp::Reverse(a.shortcut().map_or(0, |s| u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt)))
        });
        for action in ordered {
            let plain =
                action.shortcut().is_some_and(|s| !(s.modifiers.command || s.modifiers.ctrl || s.modifiers.alt));
            if plain && (typing || !canvas_focused) && action != Action::Shortcuts {
                continue;
            }
            if matches!(action, Action::Cut | Action::Copy | Action::Paste) {
                continue; // these arrive as clipboard events
            }
            if typing && matches!(action, Action::SelectAll | Action::Undo | Action::Redo) {
                continue; // a text field has its own
            }
            let shortcuts: Vec<KeyboardShortcut> = action.shortcut().into_iter().chain(action.alternatives()).collect();
            if shortcuts.iter().any(|s| ctx.input_mut(|i| i.consume_shortcut(s))) {
                actions.push(action);
            }
        }
        if typing || !canvas_focused {
            // Clipboard events inside a text field belong to the text field.
            return actions.into_iter().map(Intent::Do).collect();
        }
        let mut intents = Vec::new();
        let events = ctx.input(|i| i.events.clone());
        for e in &events {
            match e {
                Event::Copy => actions.push(Action::Copy),
                Event::Cut => actions.push(Action::Cut),
                Event::Paste(text) => intents.push(Intent::Paste(text.clone())),
                _ => {}
            }
        }
        // Navigation and nudging.
        // Each arrow with the modifiers held when it was pressed: a quick Alt+Up whose Alt is let go
        // before the frame ends (xdotool, fast typists) still walks the link.
        let keys: Vec<(Key, Modifiers)> = ctx.input(|i| {
            i.events
                .iter()
                .filter_map(|e| match e {
                    Event::Key { key, pressed: true, modifiers, .. }
                        if matches!(key, Key::ArrowUp | Key::ArrowDown | Key::ArrowLeft | Key::ArrowRight) =>
                    {
                        Some((*key, *modifiers))
                    }
                    _ => None,
                })
                .collect()
        });
        for (key, mods) in keys {
            if mods.alt {
                let toward = match key {
                    Key::ArrowUp => Toward::Up,
                    Key::ArrowDown => Toward::Down,
                    Key::ArrowLeft => Toward::Left,
                    _ => Toward::Right,
                };
                intents.push(Intent::Navigate { toward, extend: mods.shift });
            } else if !mods.command {
                let step = if mods.shift { 50.0 } else { 10.0 };
                let (dx, dy) = match key {
                    Key::ArrowUp => (0.0, -step),
                    Key::ArrowDown => (0.0, step),
                    Key::ArrowLeft => (-step, 0.0),
                    _ => (step, 0.0),
                };
                intents.push(Intent::Nudge { dx, dy });
            }
        }
        let nothing_selected = self.ed.cursor.selection.nodes.is_empty();
        if nothing_selected {
            ctx.input_mut(|i| {
                if i.consume_key(Modifiers::NONE, Key::F) {
                    actions.push(Action::ZoomFit);
                }
                if i.consume_key(Modifiers::NONE, Key::Plus) || i.consume_key(Modifiers::NONE, Key::Equals) {
                    actions.push(Action::ZoomIn);
                }
                if i.consume_key(Modifiers::NONE, Key::Minus) {
                    actions.push(Action::ZoomOut);
                }
            });
        } else if let Some(id) = self.ed.cursor.selection.single_node().cloned()
            && self.ed.cursor.editing.is_none()
        {
            // Dot voting: + and - tally votes onto the selected card.
            if self.workshop.voting_open && !self.map().workshop.votes.is_empty() {
                let (up, down) = ctx.input_mut(|i| {
                    let up = i.consume_key(Modifiers::NONE, Key::Plus) || i.consume_key(Modifiers::NONE, Key::Equals);
                    (up, i.consume_key(Modifiers::NONE, Key::Minus))
                });
                if up || down {
                    let e = workshop_ui::vote(self.workshop.round, &id, if up { 1 } else { -1 });
                    intents.push(Intent::Workshop(e));
                    intents.extend(actions.into_iter().map(Intent::Do));
                    intents.extend(self.title_intent(for_title));
                    return intents;
                }
            }
            // Typing onto a selected card replaces its title, as in a spreadsheet.
            let typed: String =
                events.iter().filter_map(|e| if let Event::Text(t) = e { Some(t.as_str()) } else { None }).collect();
            let mods = ctx.input(|i| i.modifiers);
            if !typed.is_empty() && typed != " " && !mods.command && !mods.alt {
                intents.push(Intent::TypeOnto { id, text: typed });
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            if self.show_shortcuts {
                // Esc closes the shortcut sheet first, as it closes every other window.
                self.show_shortcuts = false;
            } else if self.progress_panel.open {
                self.progress_panel.open = false;
            } else if self.find.open {
                self.find.open = false;
                self.find.query.clear();
            } else {
                self.ed.cursor.selection = Selection::default();
                self.ed.cursor.focus = None;
            }
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F6)) {
            ctx.memory_mut(|m| m.request_focus(Id::unique("inspector_first")));
        }
        if ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F7)) {
            if self.ed.settings.show_checks && self.checks.current.is_some() {
                ctx.memory_mut(|m| m.request_focus(checks_panel::reason_id()));
            } else {
                self.ed.say("Press F8 to show a finding first; F7 then moves into its reason box.");
            }
        }
        // What the canvas keys asked for first, as before: then the commands, then what was typed
        // after "add a card" (which goes into the card the command adds).
        intents.extend(actions.into_iter().map(Intent::Do));
        intents.extend(self.title_intent(for_title));
        intents
    }

    /// Keys meant for a new card's title: those after "add a card" (Ctrl+1 to Ctrl+4, Tab, Enter)
    /// in this frame, or all of them while a new card's title editor is opening (it has the
    /// keyboard only from the frame after it is first drawn). So what is typed after "add a card"
    /// goes into its title however long the frame that added it took. They are taken out of the
    /// frame's events, so no shortcut acts on them (Enter would add another card). Gives the text,
    /// and whether Enter, Tab or Esc ended the title.
    fn title_keys(&self, ctx: &egui::Context) -> Option<(String, bool)> {
        let opening = self.ed.cursor.editing.as_ref().is_some_and(|e| !e.started);
        let adds: Vec<KeyboardShortcut> = Action::ALL
            .iter()
            .filter(|a| matches!(a, Action::AddCard(_) | Action::AddChild | Action::AddSibling))
            .filter_map(|a| a.shortcut())
            .collect();
        let is_add = |e: &Event| {
            matches!(e, Event::Key { key, pressed: true, modifiers, .. }
                if adds.iter().any(|s| s.logical_key == *key && modifiers.matches_logically(s.modifiers)))
        };
        ctx.input_mut(|i| {
            let from = if opening { 0 } else { i.events.iter().position(is_add)? + 1 };
            let (mut text, mut end) = (String::new(), false);
            let mut taken = vec![false; i.events.len()];
            for (n, e) in i.events.iter().enumerate().skip(from) {
                match e {
                    Event::Text(t) => text.push_str(t),
                    Event::Key { key, pressed, modifiers, .. }
                        if !(modifiers.command || modifiers.ctrl || modifiers.alt) =>
                    {
                        if *pressed && matches!(key, Key::Enter | Key::Tab | Key::Escape) {
                            end = true;
                        } else if *pressed && *key == Key::Backspace {
                            text.pop();
                        }
                    }
                    _ => continue,
                }
                taken[n] = true;
                if end {
                    break;
                }
            }
            let mut n = 0;
            i.events.retain(|_| {
                n += 1;
                !taken[n - 1]
            });
            (!text.is_empty() || end).then_some((text, end))
        })
    }

    /// The request for what [`Self::title_keys`] took; the canvas gets the keyboard back when the
    /// title is done.
    fn title_intent(&mut self, for_title: Option<(String, bool)>) -> Option<Intent> {
        let (text, end) = for_title?;
        if end {
            self.focus_canvas = true;
        }
        Some(Intent::TypeIntoTitle { text, end })
    }

    /// Keys in present mode: forwards, backwards, first, last, timer, notes, presenter view, end.
    pub(super) fn present_keys(&mut self, ctx: &egui::Context, now: f64) {
        let pressed = |keys: &[Key]| ctx.input_mut(|i| keys.iter().any(|&k| i.consume_key(Modifiers::NONE, k)));
        if pressed(&[Key::Escape, Key::F5]) {
            self.stop_presenting(ctx);
            return;
        }
        let next = pressed(&[Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space, Key::Enter]);
        let back = pressed(&[Key::ArrowLeft, Key::ArrowUp, Key::PageUp, Key::Backspace]);
        let first = pressed(&[Key::Home]);
        let last = pressed(&[Key::End]);
        if pressed(&[Key::T]) {
            self.workshop.timer.toggle(now);
        }
        let notes = pressed(&[Key::N]);
        let presenter = pressed(&[Key::P]);
        let Some(p) = &mut self.present else { return };
        let mut changed = false;
        for (asked, m) in [
            (next, PresentMove::Next),
            (back, PresentMove::Back),
            (first, PresentMove::First),
            (last, PresentMove::Last),
            (notes, PresentMove::ToggleNotes),
            (presenter, PresentMove::TogglePresenterView),
        ] {
            if asked {
                changed |= p.go(m);
            }
        }
        if changed {
            self.present_cache = None;
        }
    }
}

/// A field that keeps the keyboard through a frame in which text was typed and a click landed
/// elsewhere: the widget, and where the click was.
pub(super) type HeldKeyboard = Option<(Id, egui::Pos2)>;

impl MissionboardApp {
    /// Letters typed in the frame of a click elsewhere (a fast typist, or xdotool: their events
    /// fall into one frame) reach their field before the click takes the keyboard away. egui's field
    /// gives the keyboard up on the click before it reads the frame's text, so for such a frame it
    /// keeps the keyboard, and [`Self::release_held_keyboard`] lets it go at the frame's end.
    pub(super) fn hold_keyboard_for_typed_text(ctx: &egui::Context) -> HeldKeyboard {
        let (typed, click) = ctx.input(|i| {
            let typed = i.raw.events.iter().any(|e| matches!(e, Event::Text(t) if !t.is_empty()));
            (typed, i.pointer.any_click().then(|| i.pointer.interact_pos()).flatten())
        });
        let held = match (typed, click, ctx.memory(egui::Memory::focused)) {
            (true, Some(at), Some(field)) => Some((field, at)),
            _ => None,
        };
        let surrender = if held.is_some() { egui::SurrenderFocusOn::Never } else { egui::SurrenderFocusOn::Clicks };
        if ctx.options(|o| o.input_options.surrender_focus_on) != surrender {
            ctx.options_mut(|o| o.input_options.surrender_focus_on = surrender);
        }
        held
    }

    /// The end of a frame that held the keyboard: the field gives it up if the click was outside
    /// it and nothing else took it (as egui would have done at the click).
    pub(super) fn release_held_keyboard(ctx: &egui::Context, held: HeldKeyboard) {
        let Some((field, at)) = held else { return };
        ctx.options_mut(|o| o.input_options.surrender_focus_on = egui::SurrenderFocusOn::Clicks);
        let inside = ctx.read_response(field).is_some_and(|r| r.rect.contains(at));
        if !inside && ctx.memory(|m| m.has_focus(field)) {
            ctx.memory_mut(|m| m.surrender_focus(field));
        }
    }
}
