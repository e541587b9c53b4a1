//! The live map's windows: joining (address, code, name) and who is here, what others' edits
//! replaced, and the host's read-only switches.

use egui::{Color32, RichText, Ui};

use crate::live::Person;
use crate::model::{MissionMap, NodeId};
use crate::room::live::Laptop;

/// What the join form holds.
#[derive(Default, Clone, Debug)]
pub struct JoinForm {
    pub address: String,
    pub code: String,
    pub name: String,
    focused: bool,
}

impl JoinForm {
    /// The name given, or `default`.
    #[must_use]
    pub fn name_or(&self, default: &str) -> String {
        let n = self.name.trim();
        if n.is_empty() { default.to_owned() } else { n.to_owned() }
    }
}

pub enum JoinAsk {
    Join,
    /// Join, letting this map's unsaved changes go.
    JoinDiscarding,
    Cancel,
}

pub enum LiveAsk {
    Leave,
    ReadOnly(crate::room::PersonId, bool),
}

/// Someone's place on the map, for the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Presence {
    pub card: NodeId,
    pub initials: String,
    pub colour: [u8; 3],
    pub typing: bool,
}

/// What the live window shows.
pub struct LiveView {
    pub hosting: bool,
    pub connected: bool,
    pub status: String,
    pub error: Option<String>,
    pub people: Vec<Person>,
    pub laptops: Vec<Laptop>,
    pub replaced: Vec<String>,
    pub refused: Vec<String>,
}

/// The join form; Enter joins, Esc cancels. With `unsaved` (this map has changes not in a file),
/// it also offers to join letting them go.
pub fn join_form(ui: &mut Ui, form: &mut JoinForm, error: Option<&str>, unsaved: bool) -> Option<JoinAsk> {
    ui.label(
        "Type the address and code the host's screen shows (or scan its QR code and type the address). \
         A department's relay is joined by its address, such as ws://relay.example:1234/board.",
    );
    let mut ask = None;
    egui::Grid::new("join_live").num_columns(2).show(ui, |ui| {
        let l = ui.label("Address:");
        let a = ui.add(egui::TextEdit::singleline(&mut form.address).hint_text("192.168.1.20:8150")).labelled_by(l.id);
        if !form.focused {
            a.request_focus();
            form.focused = true;
        }
        ui.end_row();
        let l = ui.label("Join code:");
        ui.add(egui::TextEdit::singleline(&mut form.code).hint_text("not needed for a relay")).labelled_by(l.id);
        ui.end_row();
        let l = ui.label("Your name:");
        ui.add(egui::TextEdit::singleline(&mut form.name).hint_text("shown to the others")).labelled_by(l.id);
        ui.end_row();
    });
    if let Some(e) = error {
        ui.label(RichText::new(e).color(ui.visuals().warn_fg_color));
    }
    ui.horizontal(|ui| {
        if ui.button("Join").clicked() {
            ask = Some(JoinAsk::Join);
        }
        if ui.button("Cancel").clicked() {
            ask = Some(JoinAsk::Cancel);
        }
    });
    if unsaved {
        // A guest who left a live map has its copy unsaved: joining again need not mean a file.
        if ui.button("Let this map's unsaved changes go, and join").clicked() {
            ask = Some(JoinAsk::JoinDiscarding);
        }
    }
    ui.label(RichText::new("Joining puts the shared map in place of this one; save this one first.").small());
    if ask.is_none() {
        ui.input(|i| {
            if i.key_pressed(egui::Key::Enter) {
                ask = Some(JoinAsk::Join);
            } else if i.key_pressed(egui::Key::Escape) {
                ask = Some(JoinAsk::Cancel);
            }
        });
    }
    if matches!(ask, Some(JoinAsk::Cancel)) {
        form.focused = false;
    }
    ask
}

fn colour(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// The live window.
pub fn show(ui: &mut Ui, view: &LiveView) -> Vec<LiveAsk> {
    let mut asks = Vec::new();
    let state = if view.connected { "Connected." } else { "Not connected." };
    ui.label(RichText::new(format!("{state} {}", view.status).trim().to_owned()).strong());
    if let Some(e) = &view.error {
        ui.label(RichText::new(e).color(ui.visuals().warn_fg_color));
    }
    ui.label(if view.hosting {
        "Your map is the document of record: it is saved on this laptop as always. Undo takes back only your own edits."
    } else {
        "Your edits reach the others at once. Undo takes back only your own edits. Save to keep a copy on this laptop."
    });
    ui.separator();
    ui.label(RichText::new(format!("Here ({})", view.people.len() + 1)).strong());
    if view.people.is_empty() {
        ui.label("No one else yet.");
    }
    for p in &view.people {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(" {} ", p.initials))
                    .strong()
                    .color(Color32::WHITE)
                    .background_color(colour(p.colour)),
            );
            let on = match &p.card {
                Some(c) if p.typing => format!("{}: typing in {c}", p.name),
                Some(c) => format!("{}: on {c}", p.name),
                None => p.name.clone(),
            };
            ui.label(on);
        });
    }
    // The host's own editor is among the room's connections, and is not listed.
    if view.hosting && view.laptops.iter().any(|l| l.person.is_some()) {
        ui.separator();
        ui.label(RichText::new("Laptops connected").strong());
        for l in &view.laptops {
            let Some(person) = l.person else { continue };
            ui.horizontal(|ui| {
                let mut ro = l.read_only;
                let text = format!("{}: may only look", l.name);
                if ui.checkbox(&mut ro, text).changed() {
                    asks.push(LiveAsk::ReadOnly(person, ro));
                }
            });
        }
    }
    egui::CollapsingHeader::new(format!("Changed by others ({})", view.replaced.len())).id_salt("replaced").show(
        ui,
        |ui| {
            if view.replaced.is_empty() {
                ui.label("None of your edits has been replaced.");
            }
            for r in &view.replaced {
                ui.label(r);
            }
        },
    );
    if !view.refused.is_empty() {
        egui::CollapsingHeader::new(format!("Not taken ({})", view.refused.len())).id_salt("refused").show(ui, |ui| {
            for r in &view.refused {
                ui.label(r);
            }
        });
    }
    ui.separator();
    if ui.button(if view.hosting { "Stop sharing live" } else { "Leave the live map" }).clicked() {
        asks.push(LiveAsk::Leave);
    }
    asks
}

/// Each person's colour round the card they are on, with their initials (and "…" while typing).
pub fn paint_presence(
    painter: &egui::Painter,
    view: &crate::ui::canvas::View,
    origin: egui::Pos2,
    map: &MissionMap,
    people: &[Presence],
) {
    let mut on_card: std::collections::HashMap<&NodeId, usize> = std::collections::HashMap::new();
    for p in people {
        let (Some(node), Some(place)) = (map.node(&p.card), map.placement(&p.card)) else { continue };
        let (w, h) = node.card_size();
        let r = egui::Rect::from_center_size(egui::pos2(place.x, place.y), egui::vec2(w, h));
        let r = view.rect_to_screen(origin, r).expand(3.0);
        let c = colour(p.colour);
        painter.rect_stroke(r, 6.0, egui::Stroke::new(3.0, c), egui::StrokeKind::Outside);
        let nth = on_card.entry(&p.card).or_insert(0);
        #[allow(clippy::cast_precision_loss)]
        let at = r.right_top() + egui::vec2(-8.0 - 34.0 * *nth as f32, -10.0);
        *nth += 1;
        let text = if p.typing { format!("{}\u{2026}", p.initials) } else { p.initials.clone() };
        let galley = painter.layout_no_wrap(text, egui::FontId::proportional(14.0), Color32::WHITE);
        let badge = egui::Rect::from_center_size(at, galley.size() + egui::vec2(10.0, 4.0));
        painter.rect_filled(badge, 4.0, c);
        painter.galley(badge.center() - galley.size() / 2.0, galley, Color32::WHITE);
    }
}
