//! Two Missionboard windows editing one map live, as people use them: the host chooses File ▸
//! Share live… and opens the room; the other types the address and code into File ▸ Join a live
//! map…; a card added in either window appears in the other, the host sees who is here, and
//! Ctrl+Z in one window takes back only its own card. Traffic only to 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};

mod common;
use common::palette;

fn window(map: missionboard::model::MissionMap) -> Harness<'static, MissionboardApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()))
}

/// Runs frames of both windows (with real time for the wire) until `done`.
fn until(
    a: &mut Harness<'_, MissionboardApp>,
    b: &mut Harness<'_, MissionboardApp>,
    what: &str,
    done: impl Fn(&MissionboardApp, &MissionboardApp) -> bool,
) {
    for _ in 0..300 {
        a.run_steps(1);
        b.run_steps(1);
        if done(a.state(), b.state()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "{what} did not happen in 300 frames: host {:?}, guest {:?}",
        a.state().live_status(),
        b.state().live_status()
    );
}

/// The host shares the sample live; returns its window, the room's address and code.
fn share() -> (Harness<'static, MissionboardApp>, String, String) {
    let mut host = window(missionboard::sample::uk_missions());
    host.run_steps(3);
    host.state_mut().choose_room_bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    palette(&mut host, "Share live");
    host.get_by_label("Laptops with the code may edit this map live (breakout groups, the secretariat)");
    host.get_by_label("Open the room").click();
    host.run_steps(3);
    let address = host.state().room_address().expect("the room is open");
    let code = host.state().room_code().unwrap();
    assert!(host.state().is_live());
    assert!(host.state().room_shares_the_editors_copy(), "the room keeps no second copy of the map");
    (host, address.to_string(), code)
}

/// Fills in File ▸ Join a live map… and presses Join.
fn join(guest: &mut Harness<'_, MissionboardApp>, address: &str, code: &str, name: &str) {
    palette(guest, "Join a live map");
    // The address box has the keyboard as the window opens; the others are clicked into.
    guest.get_by_label("Address:").type_text(address);
    guest.get_by_label("Join code:").click();
    guest.run_steps(2);
    guest.get_by_label("Join code:").type_text(code);
    guest.get_by_label("Your name:").click();
    guest.run_steps(2);
    guest.get_by_label("Your name:").type_text(name);
    guest.run_steps(2);
    guest.get_by_label("Join").click();
}

/// The host shares the sample live, a guest ("Group Two") joins it by the Join a live map window;
/// returns both once the guest has the map and the host sees the guest.
fn share_and_join() -> (Harness<'static, MissionboardApp>, Harness<'static, MissionboardApp>) {
    let (mut host, address, code) = share();
    // Alone, the host's Live map window lists no laptop (its own connection is not one).
    host.run_steps(2);
    assert!(host.query_by_label("Laptops connected").is_none(), "a heading over an empty list");
    let mut guest = window(missionboard::sample::blank());
    guest.run_steps(3);
    join(&mut guest, &address, &code, "Group Two");
    let cards = host.state().map().node_count();
    until(&mut host, &mut guest, "joining", |_, g| g.map().node_count() == cards);
    until(&mut host, &mut guest, "the host seeing the guest", |h, _| {
        h.live_people().iter().any(|p| p.name == "Group Two")
    });
    (host, guest)
}

/// A code typed wrong: the room refuses the laptop before any map arrives, and the laptop's own map
/// is back, with the reason (it was left with the placeholder "Joining a live map…").
#[test]
fn a_wrong_code_puts_ones_own_map_back_and_says_why() {
    let (mut host, address, _) = share();
    let title = "Our breakout's own map";
    let mut own = missionboard::sample::uk_missions();
    title.clone_into(&mut own.meta.title);
    let mut laptop = window(own);
    laptop.run_steps(3);
    let fitted = laptop.state().view();
    join(&mut laptop, &address, "WRONG1", "Group Three");
    until(&mut host, &mut laptop, "the refusal", |_, l| !l.is_live());
    laptop.run_steps(4);
    assert_eq!(laptop.state().map().meta.title, title, "one's own map is back");
    // Fitted to the whole canvas again, as it opened (not into the corner the Live map window,
    // closing as it came back, had left free).
    let view = laptop.state().view();
    assert!(
        (view.zoom - fitted.zoom).abs() < 0.01 * fitted.zoom && (view.offset - fitted.offset).length() < 2.0,
        "fitted as it opened: {fitted:?}, now {view:?}"
    );
    let said = laptop.state().status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(said.contains("refused") && said.contains("code"), "the status bar says why: {said}");
    assert!(!said.contains(".."), "{said}");
}

#[test]
fn a_card_added_in_one_window_appears_in_the_other() {
    let (mut host, mut guest) = share_and_join();
    let cards = host.state().map().node_count();

    // The guest adds an intervention (Ctrl+3): the host's window shows it.
    guest.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    guest.run_steps(3);
    until(&mut host, &mut guest, "the guest's card reaching the host", |h, _| h.map().node_count() == cards + 1);
    // The host adds a mission (Ctrl+1): the guest's window shows it.
    host.key_press(Key::Escape);
    host.run_steps(2);
    host.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    host.run_steps(3);
    until(&mut host, &mut guest, "the host's card reaching the guest", |_, g| g.map().node_count() == cards + 2);

    // Undo in the host's window takes back the host's card only.
    host.key_press(Key::Escape);
    host.run_steps(2);
    host.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    host.run_steps(3);
    until(&mut host, &mut guest, "the undo reaching the guest", |h, g| {
        h.map().node_count() == cards + 1 && g.map().node_count() == cards + 1
    });
    let host_file = missionboard::io::format::to_string(host.state().map());
    until(&mut host, &mut guest, "both maps alike", |h, g| h.map().node_count() == g.map().node_count());
    let guest_file = missionboard::io::format::to_string(guest.state().map());
    let strip = |s: &str| s.lines().filter(|l| !l.contains("modified:")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&host_file), strip(&guest_file));

    // The host makes the guest read-only by its switch: the guest is told at once, its own edits
    // are refused on its own laptop (its map never drifts from everyone's), and when the host
    // lets it edit again its next card lands.
    host.get_by_label("Laptops connected");
    host.get_by_label("Group Two: may only look").click();
    until(&mut host, &mut guest, "the guest learning it may only look", |_, g| g.read_only_reason().is_some());
    guest.key_press(Key::Escape);
    guest.run_steps(2);
    guest.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    guest.run_steps(5);
    assert_eq!(guest.state().map().node_count(), cards + 1, "a read-only laptop's card was kept on it");
    guest.get_by_label_contains("may only look at the live map");
    host.get_by_label("Group Two: may only look").click();
    until(&mut host, &mut guest, "the guest let edit again", |_, g| g.read_only_reason().is_none());
    guest.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    guest.run_steps(3);
    until(&mut host, &mut guest, "the guest's card after read-only", |h, _| h.map().node_count() == cards + 2);

    // LIVE_SCREENSHOT=docs/live.png writes the host's window for the README.
    if let Ok(path) = std::env::var("LIVE_SCREENSHOT") {
        host.run_steps(2);
        host.render().unwrap().save(path).unwrap();
    }
}

#[test]
fn typing_in_a_card_another_laptop_deletes_never_lands_in_another_field() {
    let (mut host, mut guest) = share_and_join();
    let id = missionboard::model::NodeId::new("i1").unwrap();
    let organisation = host.state().map().meta.organisation.clone();
    // The host is in the card's Description (the keyboard in it, nothing typed yet)...
    host.state_mut().queue(missionboard::editor::Intent::Show(vec![id.clone()]));
    host.run_steps(3);
    host.get_by_label("Description").click();
    host.run_steps(2);
    // ...when the guest deletes the card.
    guest.state_mut().queue(missionboard::editor::Intent::Show(vec![id.clone()]));
    guest.run_steps(3);
    guest.key_press(Key::Delete);
    guest.run_steps(2);
    until(&mut host, &mut guest, "the deletion reaching the host", |h, _| h.map().node(&id).is_none());
    // What the host types next goes nowhere else: not into the map's details in the panel now.
    host.input_mut().events.push(egui::Event::Text(" typed meanwhile".to_owned()));
    host.run_steps(3);
    host.input_mut().events.push(egui::Event::Text(" and after".to_owned()));
    host.run_steps(3);
    let meta = &host.state().map().meta;
    assert_eq!(meta.organisation, organisation, "the keys went into the map's organisation");
    assert!(!meta.title.contains("typed") && !meta.description.contains("typed"), "{meta:?}");
}

#[test]
fn a_guest_who_left_joins_again_letting_its_unsaved_copy_go() {
    let (mut host, mut guest) = share_and_join();
    guest.get_by_label("Leave the live map").click();
    guest.run_steps(3);
    assert!(!guest.state().is_live());
    // Its copy of the live map is in no file: joining again is refused until it is saved...
    palette(&mut guest, "Join a live map");
    guest.get_by_label("Join").click();
    guest.run_steps(3);
    assert!(!guest.state().is_live());
    guest.get_by_label_contains("This map has unsaved changes");
    // ...or let go, as the person chooses.
    guest.get_by_label("Let this map's unsaved changes go, and join").click();
    let cards = host.state().map().node_count();
    until(&mut host, &mut guest, "joining again", |_, g| g.is_live() && g.map().node_count() == cards);
    let said = guest.state().status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(!said.contains("Save this map first"), "the status bar still asks to save: {said}");
}

#[test]
fn leaving_before_the_live_map_arrives_puts_ones_own_map_back() {
    let mut laptop = window(missionboard::sample::uk_missions());
    laptop.run_steps(3);
    let title = laptop.state().map().meta.title.clone();
    let cards = laptop.state().map().node_count();
    let fitted = laptop.state().view();
    // An address where nothing answers (a port nobody listens on, on this laptop).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    palette(&mut laptop, "Join a live map");
    laptop.get_by_label("Address:").type_text(&format!("127.0.0.1:{port}"));
    laptop.get_by_label("Join code:").click();
    laptop.run_steps(2);
    laptop.get_by_label("Join code:").type_text("ABCDEF");
    laptop.run_steps(2);
    laptop.get_by_label("Join").click();
    laptop.run_steps(5);
    assert_ne!(laptop.state().map().meta.title, title, "the shared map's placeholder is in its place");
    // The Live map window grows as the wire reports (connecting, nothing answers): a click in the
    // frame it moved can miss, as a person's would; they click again.
    for _ in 0..5 {
        if laptop.query_by_label("Leave the live map").is_none() {
            break;
        }
        laptop.get_by_label("Leave the live map").click();
        laptop.run_steps(3);
    }
    assert!(!laptop.state().is_live());
    assert_eq!(laptop.state().map().meta.title, title);
    assert_eq!(laptop.state().map().node_count(), cards);
    laptop.run_steps(3);
    let view = laptop.state().view();
    assert!((view.zoom - fitted.zoom).abs() < 0.01 * fitted.zoom, "fitted as it opened: {fitted:?}, now {view:?}");

    // The next run offers the address (not the code: a room's code is for one workshop).
    let settings = laptop.state().settings().clone();
    let mut next = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, missionboard::sample::blank(), settings));
    next.run_steps(3);
    palette(&mut next, "Join a live map");
    assert_eq!(next.get_by_label("Address:").value().as_deref(), Some(format!("127.0.0.1:{port}").as_str()));
    assert_eq!(next.get_by_label("Join code:").value().unwrap_or_default(), "");
}
