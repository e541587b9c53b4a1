//! The room's window: before it opens, which of the laptop's addresses to open it on; while it is
//! open, a join screen made for the projector (a QR code, the address, the join code) and who is
//! in, with Lock and Remove; Close the room stops the server at once.

use egui::{Color32, RichText, Sense, Ui, vec2};

/// What the person asks of the room's window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomAsk {
    Open,
    Close,
    Lock(bool),
    Remove(u64),
}

/// What the window shows of an open room.
#[derive(Debug, Clone, Default)]
pub struct RoomView {
    /// `http://192.168.1.20:8150`
    pub url: String,
    pub code: String,
    pub people: Vec<(u64, String, u32)>,
    /// Phones with the page open now.
    pub connected: usize,
    /// Laptops in the live map now (the host's own editor not counted).
    pub laptops: usize,
    pub locked: bool,
    /// Laptops may join to edit the map live.
    pub live: bool,
}

/// The window's choices before the room opens.
#[derive(Debug, Clone)]
pub struct RoomChoice {
    /// The laptop's addresses (name of the network, address), loopback last.
    pub addresses: Vec<(String, std::net::IpAddr)>,
    pub chosen: usize,
    pub port: u16,
    /// Let laptops with the code edit the map live (File ▸ Share live…).
    pub live: bool,
}

/// "3 people joined; now 2 phones and 1 laptop": phones with the page open and laptops in the live
/// map are told apart (a laptop editing live is not a phone that went away).
fn joined_text(room: &RoomView) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let n = room.people.len();
    let mut now = vec![plural(room.connected, "phone", "phones")];
    if room.live {
        now.push(plural(room.laptops, "laptop", "laptops"));
    }
    format!("{} joined; connected now: {}", plural(n, "person", "people"), now.join(" and "))
}

/// Draws the window's contents; returns what was asked.
pub fn show(ui: &mut Ui, choice: &mut RoomChoice, open: Option<&RoomView>, error: Option<&str>) -> Vec<RoomAsk> {
    let mut asks = Vec::new();
    match open {
        None => {
            ui.label(
                "Everyone on this laptop's network can then send ideas and dot votes from a phone's browser. \
                 Nothing goes through the internet, and nothing is open until you press Open the room.",
            );
            ui.label(RichText::new("Open it on").strong());
            for (i, (name, ip)) in choice.addresses.iter().enumerate() {
                let text = if ip.is_loopback() {
                    format!("{ip} (this laptop only: a rehearsal)")
                } else {
                    format!("{ip} ({name})")
                };
                ui.radio_value(&mut choice.chosen, i, text);
            }
            ui.horizontal(|ui| {
                let l = ui.label("Port:");
                ui.add(egui::DragValue::new(&mut choice.port).range(0..=65535)).labelled_by(l.id);
            });
            ui.checkbox(
                &mut choice.live,
                "Laptops with the code may edit this map live (breakout groups, the secretariat)",
            );
            if let Some(e) = error {
                ui.label(RichText::new(e).color(ui.visuals().warn_fg_color));
            }
            if ui.button("Open the room").clicked() {
                asks.push(RoomAsk::Open);
            }
            ui.label(
                RichText::new(
                    "If phones cannot reach the laptop: guest Wi-Fi often keeps devices apart (use the laptop's hotspot \
                     or the room's own network), and the laptop's firewall must allow the port above.",
                )
                .small(),
            );
        }
        Some(room) => {
            ui.horizontal(|ui| {
                qr(ui, &room.url);
                ui.vertical(|ui| {
                    ui.label(if room.live {
                        "Open on a phone, or join from a laptop (File > Join a live map):"
                    } else {
                        "Open on a phone:"
                    });
                    ui.label(RichText::new(&room.url).size(26.0).strong().monospace());
                    ui.label("Join code:");
                    let code = ui.label(RichText::new(&room.code).size(40.0).strong().monospace());
                    let spoken = format!("Join code {}", room.code);
                    code.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
                    ui.label(RichText::new(joined_text(room)).size(20.0));
                });
            });
            ui.separator();
            let mut locked = room.locked;
            if ui.checkbox(&mut locked, "Lock the room to new joins").changed() {
                asks.push(RoomAsk::Lock(locked));
            }
            egui::CollapsingHeader::new(format!("Who is in ({})", room.people.len())).show(ui, |ui| {
                for (id, name, ideas) in &room.people {
                    ui.horizontal(|ui| {
                        ui.label(format!("{name}: {ideas} idea(s)"));
                        let r = ui.button("Remove");
                        let label = format!("Remove {name}");
                        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
                        if r.clicked() {
                            asks.push(RoomAsk::Remove(*id));
                        }
                    });
                }
            });
            if ui.button("Close the room").on_hover_text("Stops the server at once; phones are told").clicked() {
                asks.push(RoomAsk::Close);
            }
        }
    }
    asks
}

/// The address as a QR code, black on white whatever the theme (phones read it best so).
fn qr(ui: &mut Ui, url: &str) {
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        ui.label("(no QR code: the address is too long)");
        return;
    };
    let modules = code.width();
    let colours = code.to_colors();
    let quiet = 4;
    let size = 240.0f32;
    let cell = size / (modules + 2 * quiet) as f32;
    let (rect, response) = ui.allocate_exact_size(vec2(size, size), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    for (i, c) in colours.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = ((i % modules + quiet) as f32, (i / modules + quiet) as f32);
            let min = rect.min + vec2(x * cell, y * cell);
            painter.rect_filled(egui::Rect::from_min_size(min, vec2(cell + 0.5, cell + 0.5)), 0.0, Color32::BLACK);
        }
    }
    let spoken = format!("QR code for {url}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &spoken));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laptops_in_the_live_map_are_counted_apart_from_phones() {
        let mut room = RoomView {
            url: "http://127.0.0.1:8150".into(),
            code: "ABCDEF".into(),
            people: vec![(1, "Group Two".into(), 0)],
            connected: 0,
            laptops: 1,
            locked: false,
            live: true,
        };
        assert_eq!(joined_text(&room), "1 person joined; connected now: 0 phones and 1 laptop");
        room.live = false;
        room.connected = 2;
        room.people.push((2, "Ann".into(), 3));
        assert_eq!(joined_text(&room), "2 people joined; connected now: 2 phones");
    }
}
