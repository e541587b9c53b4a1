//! Load on a room over loopback: 60 participants each send 20 ideas (every third sent twice with
//! the same id, as a phone retrying after a dropped connection) and cast their 3 dots, all at once.
//! Checks that exactly 1,200 ideas and 180 dots arrive, and prints the time taken.
//!
//! `cargo run --release --example room_load` (add `-- --saved` for a room that answers only once
//! the owner has "saved", as `serve` does).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a measurement, not the app")]

use std::time::{Duration, Instant};

use missionboard::model::workshop::VoteRound;
use missionboard::model::{ItemId, NodeId};
use missionboard::room::{self, Room, RoomOptions, Round};
use serde_json::{Value, json};

const PEOPLE: usize = 60;
const IDEAS: usize = 20;
const DOTS: u32 = 3;

fn main() {
    let saved = std::env::args().any(|a| a == "--saved");
    let map = missionboard::io::load_str(missionboard::sample::UK_MISSIONS).unwrap().map;
    let options = RoomOptions { code: Some("ABCDEF".to_owned()), confirm_when_saved: saved, live: false };
    let room = Room::open("127.0.0.1:0".parse().unwrap(), &map, &options).unwrap();
    let round = VoteRound { id: ItemId::fresh(), name: "Load".to_owned(), votes_each: DOTS, ..VoteRound::default() };
    let cards: Vec<NodeId> = map.sorted_nodes().iter().take(10).map(|n| n.id.clone()).collect();
    room.set_round(Some(Round::of(&map, &round, &cards)));
    let base = format!("http://{}", room.address());
    let started = Instant::now();
    let workers: Vec<_> = (0..PEOPLE)
        .map(|p| {
            let base = base.clone();
            let cards = cards.clone();
            let round = round.id.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(20)))
                    .build()
                    .into();
                let post = |path: &str, token: &str, body: Value| -> u16 {
                    agent
                        .post(&format!("{base}{path}"))
                        .header("Authorization", format!("Bearer {token}"))
                        .send_json(body)
                        .unwrap()
                        .status()
                        .as_u16()
                };
                let mut r = agent.post(&format!("{base}/api/join")).send_json(json!({"code": "ABCDEF"})).unwrap();
                let token = r.body_mut().read_json::<Value>().unwrap()["token"].as_str().unwrap().to_owned();
                for i in 0..IDEAS {
                    let body = json!({"id": format!("p{p}-{i}"), "text": format!("idea {i} from {p}")});
                    assert_eq!(post("/api/ideas", &token, body.clone()), 201);
                    if i % 3 == 0 {
                        assert_eq!(post("/api/ideas", &token, body), 200, "a retry adds nothing");
                    }
                }
                for d in 0..DOTS as usize {
                    let card = &cards[(p + d) % cards.len()];
                    let body = json!({"id": format!("d{d}"), "round": round.as_str(), "card": card.as_str()});
                    assert_eq!(post("/api/votes", &token, body), 201);
                }
                assert_eq!(
                    post(
                        "/api/votes",
                        &token,
                        json!({"id": "extra", "round": round.as_str(), "card": cards[0].as_str()})
                    ),
                    409
                );
            })
        })
        .collect();
    let mut workshop = map.workshop.clone();
    workshop.votes.push(round.clone());
    let mut done = 0;
    while done < PEOPLE || workers.iter().any(|w| !w.is_finished()) {
        let events = room.wait_events(Duration::from_millis(50));
        if let Some(w) = room::apply(&workshop, &events) {
            workshop = w;
        }
        if let Some(last) = events.iter().map(room::RoomEvent::seq).max() {
            room.saved(last); // as `serve` does after saving
        }
        done = workers.iter().filter(|w| w.is_finished()).count();
    }
    for w in workers {
        w.join().unwrap();
    }
    let took = started.elapsed();
    if let Some(w) = room::apply(&workshop, &room.close()) {
        workshop = w;
    }
    let ideas = workshop.parking.len() - map.workshop.parking.len();
    let dots: u32 = workshop.votes.last().unwrap().tally.values().sum();
    println!(
        "{PEOPLE} participants x {IDEAS} ideas (+{} retries) and {DOTS} dots each: {ideas} ideas, {dots} dots in {:.2} s",
        PEOPLE * IDEAS.div_ceil(3),
        took.as_secs_f64()
    );
    assert_eq!(ideas, PEOPLE * IDEAS, "exactly 1,200 ideas");
    assert_eq!(dots, PEOPLE as u32 * DOTS);
    assert!(took < Duration::from_secs(10), "within 10 s");
}
