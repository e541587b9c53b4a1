//! The windows for copies of a map: what differs from another file, a copy being merged in (with
//! each conflict settled as ours or theirs), and the hand-out form. They only say what is wanted.

use egui::{RichText, Ui};

use super::workshop::{ADDED, EDITED};
use crate::model::diff::MapDiff;
use crate::model::merge::{Comparison, ConflictKey, Merged, Side, field_label, show_value};
use crate::model::{MissionMap, NodeId};

/// What the copies windows ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum CopiesEvent {
    /// Select and frame this card.
    Show(NodeId),
    StopComparing,
    Choose(ConflictKey, Side),
    ChooseAll(Side),
    ApplyMerge,
    CancelMerge,
}

/// The hand-out form's fields.
#[derive(Clone, Debug, Default)]
pub struct HandoutForm {
    /// One name per line.
    pub names: String,
    pub folder: String,
}

fn card_button(ui: &mut Ui, map: &MissionMap, id: &NodeId, events: &mut Vec<CopiesEvent>) {
    let title = map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    let r = ui.add(egui::Button::new(&title).frame(false)).on_hover_text("Select and show this card");
    let label = format!("Show card: {title}");
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if r.clicked() {
        events.push(CopiesEvent::Show(id.clone()));
    }
}

/// The comparison with another file: only in this map (outlined green), different (outlined amber),
/// only in the other file (listed).
pub fn comparison(ui: &mut Ui, c: &Comparison, other_name: &str, this: &MissionMap) -> Vec<CopiesEvent> {
    let mut events = Vec::new();
    ui.label(format!("This map compared with {other_name}: {}.", c.summary()));
    ui.horizontal(|ui| {
        if ui.button("Stop comparing").clicked() {
            events.push(CopiesEvent::StopComparing);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().max_height(super::list_height(ui.ctx(), 420.0)).show(ui, |ui| {
        if !c.added.is_empty() {
            ui.label(
                RichText::new(format!("Only in this map ({}), outlined green", c.added.len())).color(ADDED).strong(),
            );
            for id in &c.added {
                card_button(ui, this, id, &mut events);
            }
        }
        if !c.changed.is_empty() {
            ui.label(RichText::new(format!("Different ({}), outlined amber", c.changed.len())).color(EDITED).strong());
            for ch in &c.changed {
                if let crate::model::merge::Item::Card(id) = &ch.item {
                    card_button(ui, this, id, &mut events);
                }
                for f in &ch.fields {
                    ui.label(format!(
                        "    {}: {} there, {} here",
                        field_label(&f.field),
                        show_value(f.old.as_ref()),
                        show_value(f.new.as_ref())
                    ));
                }
            }
        }
        if !c.removed.is_empty() {
            ui.label(RichText::new(format!("Only in {other_name} ({})", c.removed.len())).strong());
            for (_, title) in &c.removed {
                ui.label(format!("\u{2013} {title}"));
            }
        }
        let links = [
            ("links only here", c.links_added.len()),
            ("links only there", c.links_removed.len()),
            ("links different", c.links_changed.len()),
        ];
        if links.iter().any(|(_, n)| *n > 0) {
            ui.label(links.iter().map(|(w, n)| format!("{n} {w}")).collect::<Vec<_>>().join(", "));
        }
        for ch in &c.other {
            ui.label(format!("\u{2013} {}", ch.what));
        }
    });
    events
}

/// A copy being merged: what it brings, each conflict with a choice, and Apply.
pub fn merge(ui: &mut Ui, name: &str, base_note: &str, m: &Merged, brings: &MapDiff) -> Vec<CopiesEvent> {
    let mut events = Vec::new();
    ui.label(RichText::new(format!("Merging {name}")).strong());
    ui.label(base_note);
    // Everything a choice can change (what it brings, the conflicts) scrolls in a box of fixed
    // height, so "Take theirs" never moves "Apply merge" from under the pointer.
    let height = super::list_height(ui.ctx(), 360.0);
    egui::ScrollArea::vertical()
        .id_salt("merge list")
        .auto_shrink([false, false])
        .min_scrolled_height(height)
        .max_height(height)
        .show(ui, |ui| {
            ui.label(format!("It brings: {}.", brings.summary()));
            let title = |id: &NodeId| m.map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
            let lines: Vec<String> = brings
                .added
                .iter()
                .map(|id| format!("+ new: {}", title(id)))
                .chain(brings.edited.iter().map(|id| format!("~ edited: {}", title(id))))
                .chain(brings.removed.iter().map(|(_, t)| format!("\u{2013} deleted: {t}")))
                .collect();
            if !lines.is_empty() {
                egui::CollapsingHeader::new(format!("Cards it changes ({})", lines.len()))
                    .id_salt("merge cards")
                    .default_open(lines.len() <= 8)
                    .show(ui, |ui| {
                        for l in lines {
                            ui.label(l);
                        }
                    });
            }
            ui.separator();
            if m.conflicts.is_empty() {
                ui.label("No conflicts: nothing was changed differently in both maps.");
            } else {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format!("{} conflict(s): choose which to keep", m.conflicts.len())).strong(),
                    );
                    if ui.button("All ours").on_hover_text("Keep this map's version of every conflict").clicked() {
                        events.push(CopiesEvent::ChooseAll(Side::Ours));
                    }
                    if ui.button("All theirs").on_hover_text("Take the copy's version of every conflict").clicked() {
                        events.push(CopiesEvent::ChooseAll(Side::Theirs));
                    }
                });
            }
            for c in &m.conflicts {
                ui.label(format!("{}, {}", c.what, c.field_label()));
                ui.horizontal_wrapped(|ui| {
                    for (side, word) in [(Side::Ours, "Keep ours"), (Side::Theirs, "Take theirs")] {
                        let text = format!("{word}: {}", c.show(side));
                        let r = ui.radio(c.chosen == side, &text);
                        let label = format!("{word} for {}, {}", c.what, c.field_label());
                        let selected = c.chosen == side;
                        r.widget_info(|| egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, &label));
                        if r.clicked() {
                            events.push(CopiesEvent::Choose(c.key(), side));
                        }
                    }
                });
            }
            if !m.renamed.is_empty() {
                ui.separator();
                ui.label(RichText::new("Given new ids (both maps used the id for different things)").strong());
                for r in &m.renamed {
                    ui.label(format!("their {} \u{201c}{}\u{201d}: {} \u{2192} {}", r.noun, r.title, r.from, r.to));
                }
            }
            if !m.dropped.is_empty() {
                ui.separator();
                ui.label(RichText::new("Links left out").strong());
                for d in &m.dropped {
                    ui.label(format!("{}: {}", d.what, d.why));
                }
            }
        });
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button("Apply merge").on_hover_text("Put the merged map in place; Ctrl+Z takes it all back").clicked() {
            events.push(CopiesEvent::ApplyMerge);
        }
        if ui.button("Cancel").clicked() {
            events.push(CopiesEvent::CancelMerge);
        }
    });
    events
}

/// What the hand-out form asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoutEvent {
    HandOut,
    Cancel,
}

/// The hand-out form: one name per copy and the folder.
pub fn handout(ui: &mut Ui, form: &mut HandoutForm) -> Option<HandoutEvent> {
    let mut event = None;
    ui.label("Each group gets its own copy to edit on its laptop. Each copy remembers this version, so File > Merge a copy… brings their work back without asking which version it came from.");
    let l = ui.label("Copies, one name per line");
    ui.add(egui::TextEdit::multiline(&mut form.names).desired_rows(4).desired_width(420.0)).labelled_by(l.id);
    let l = ui.label("Folder");
    ui.add(egui::TextEdit::singleline(&mut form.folder).desired_width(520.0)).labelled_by(l.id);
    ui.horizontal(|ui| {
        if ui.button("Hand out").clicked() {
            event = Some(HandoutEvent::HandOut);
        }
        if ui.button("Cancel").clicked() {
            event = Some(HandoutEvent::Cancel);
        }
    });
    event
}
