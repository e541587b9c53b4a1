//! The room from the editor, as a facilitator uses it: Workshop ▸ Open the room, a phone (here an
//! HTTP client on loopback) joins with the code on the join screen and sends an idea and a dot,
//! and they arrive in the map as commands (so Ctrl+Z takes them back); Close the room stops the
//! server at once. Traffic only to 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};

mod common;
use common::palette;
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: &Value) -> Result<(u16, Value), ureq::Error> {
    let mut r = agent.post(url).header("Authorization", format!("Bearer {token}")).send_json(body)?;
    Ok((r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null)))
}

/// Runs frames (with a little real time, as the server answers on its own thread) until `done`.
fn frames_until(h: &mut Harness<'_, MissionboardApp>, done: impl Fn(&MissionboardApp) -> bool) {
    for _ in 0..100 {
        h.run_steps(1);
        if done(h.state()) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("what the room sent did not arrive in 100 frames");
}

#[test]
fn a_phone_joins_the_room_and_its_idea_and_dot_land_in_the_map_until_the_room_closes() {
    let map = missionboard::sample::uk_missions();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()));
    h.run_steps(3);
    assert!(h.state().room_address().is_none(), "no socket until the room is opened");
    // A dot-voting round open in its window: the room offers it to the phones.
    palette(&mut h, "Dot voting");
    h.get_by_label("Start round").click();
    h.run_steps(3);

    // A rehearsal: the room on this laptop only, on any free port.
    h.state_mut().choose_room_bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    palette(&mut h, "Open the room");
    h.get_by_label("Open the room").click();
    h.run_steps(3);
    let address = h.state().room_address().expect("the room is open");
    assert!(address.ip().is_loopback());
    let code = h.state().room_code().unwrap();
    // The join screen shows the code and the address (for the projector, and a screen reader).
    h.get_by_label(&format!("Join code {code}"));
    h.get_by_label(&format!("QR code for http://{address}"));
    // ROOM_JOIN_SCREENSHOT=docs/room-join.png writes the join screen for the README.
    if let Ok(path) = std::env::var("ROOM_JOIN_SCREENSHOT") {
        h.run_steps(2);
        h.render().unwrap().save(path).unwrap();
    }

    let agent = agent();
    let base = format!("http://{address}");
    let (status, v) = post(&agent, &format!("{base}/api/join"), "", &json!({"code": code, "name": "Asha"})).unwrap();
    assert_eq!(status, 200, "{v}");
    let token = v["token"].as_str().unwrap().to_owned();
    let (status, _) =
        post(&agent, &format!("{base}/api/ideas"), &token, &json!({"id": "idea-1", "text": "Community energy"}))
            .unwrap();
    assert!(status == 200 || status == 201, "{status}");
    frames_until(&mut h, |app| app.map().workshop.parking.iter().any(|p| p.text == "Community energy"));
    let idea = h.state().map().workshop.parking.iter().find(|p| p.text == "Community energy").cloned().unwrap();
    assert_eq!(idea.sender(), Some("Asha"), "the parking lot says who sent it");

    // A dot for the first card the phone is offered.
    let mut r =
        agent.get(&format!("{base}/api/state")).header("Authorization", format!("Bearer {token}")).call().unwrap();
    let state: Value = r.body_mut().read_json().unwrap();
    let round = state["round"]["id"].as_str().expect("the open round is offered").to_owned();
    let card = state["round"]["cards"][0]["id"].as_str().unwrap().to_owned();
    let (status, v) =
        post(&agent, &format!("{base}/api/votes"), &token, &json!({"id": "dot-1", "round": round, "card": card}))
            .unwrap();
    assert!(status == 200 || status == 201, "{status} {v}");
    frames_until(&mut h, |app| app.map().workshop.votes.iter().any(|r| r.cast() == 1));

    // An idea is an edit like any other: undo takes the dot back, then the idea.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(h.state().map().workshop.votes.iter().all(|r| r.cast() == 0));

    // Close the room: the server stops at once.
    h.get_by_label("Close the room").click();
    h.run_steps(2);
    assert!(h.state().room_address().is_none());
    let after = post(&agent, &format!("{base}/api/ideas"), &token, &json!({"id": "idea-2", "text": "Too late"}));
    assert!(after.is_err() || after.as_ref().is_ok_and(|(s, _)| *s >= 400), "nothing gets in after closing: {after:?}");
    assert!(h.state().map().workshop.parking.iter().all(|p| p.text != "Too late"));
}
