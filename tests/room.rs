//! The workshop room over loopback with a real HTTP client: the contract of docs/room.md and every
//! rule of "let no one in". Traffic goes to 127.0.0.1 only, a bounded number of requests, each
//! with a timeout.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use missionboard::model::workshop::VoteRound;
use missionboard::model::{ItemId, MissionMap, NodeId};
use missionboard::room::{self, Room, RoomEvent, RoomOptions, Round};
use serde_json::{Value, json};

const CODE: &str = "ABCDEF";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into()
}

fn sample() -> MissionMap {
    missionboard::io::load_str(missionboard::sample::UK_MISSIONS).unwrap().map
}

fn open(confirm_when_saved: bool) -> Room {
    let options = RoomOptions { code: Some(CODE.to_owned()), confirm_when_saved, live: false };
    Room::open("127.0.0.1:0".parse().unwrap(), &sample(), &options).unwrap()
}

struct Client {
    agent: ureq::Agent,
    base: String,
    token: String,
}

fn base(room: &Room) -> String {
    format!("http://{}", room.address())
}

fn post(agent: &ureq::Agent, url: &str, token: &str, body: &Value) -> (u16, Value) {
    let mut r = agent.post(url).header("Authorization", format!("Bearer {token}")).send_json(body).unwrap();
    (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
}

fn join_as(room: &Room, name: Option<&str>) -> Client {
    let agent = agent();
    let base = base(room);
    let body = match name {
        Some(n) => json!({"code": "abc def", "name": n}),
        None => json!({"code": CODE}),
    };
    let (status, v) = post(&agent, &format!("{base}/api/join"), "", &body);
    assert_eq!(status, 200, "{v}");
    Client { agent, base, token: v["token"].as_str().unwrap().to_owned() }
}

impl Client {
    fn idea(&self, id: &str, text: &str) -> (u16, Value) {
        post(&self.agent, &format!("{}/api/ideas", self.base), &self.token, &json!({"id": id, "text": text}))
    }
    fn vote(&self, id: &str, round: &ItemId, card: &str) -> (u16, Value) {
        let body = json!({"id": id, "round": round.as_str(), "card": card});
        post(&self.agent, &format!("{}/api/votes", self.base), &self.token, &body)
    }
    fn unvote(&self, id: &str) -> (u16, Value) {
        let mut r = self
            .agent
            .delete(&format!("{}/api/votes/{id}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .call()
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
    }
    fn state(&self) -> (u16, Value) {
        let mut r = self
            .agent
            .get(&format!("{}/api/state", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .call()
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_json().unwrap_or(Value::Null))
    }
}

/// A request written by hand, for headers a client library will not send (a foreign Host, a
/// chunked body that goes on and on). Returns the status.
fn raw(addr: SocketAddr, request: &[u8]) -> u16 {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(request);
    let mut head = String::new();
    BufReader::new(s).read_line(&mut head).unwrap();
    head.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn the_page_is_served_and_a_person_joins_and_sends_an_idea() {
    let room = open(false);
    let a = agent();
    let mut page = a.get(&base(&room)).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = page.body_mut().read_to_string().unwrap();
    assert!(html.len() < 60 * 1024, "the page is {} bytes", html.len());
    assert!(!html.contains("innerHTML") && !html.contains("src=\"http"), "text only as text; nothing from elsewhere");
    assert!(!html.contains("randomUUID"), "plain http is not a secure context");

    let c = join_as(&room, Some("Ana"));
    let (status, v) = c.idea("i-1", "<script>alert(1)</script>");
    assert_eq!((status, v["ideas"].as_u64()), (201, Some(1)));
    let (status, _) = c.idea("i-1", "<script>alert(1)</script>");
    assert_eq!(status, 200, "the same id again adds nothing");
    let (status, v) = c.state();
    assert_eq!((status, v["name"].as_str(), v["ideas"].as_u64()), (200, Some("Ana"), Some(1)));
    assert!(v["round"].is_null());

    let events = room.wait_events(Duration::from_secs(5));
    let ideas: Vec<&RoomEvent> = events.iter().filter(|e| matches!(e, RoomEvent::Idea { .. })).collect();
    assert_eq!(ideas.len(), 1, "{events:?}");
    let w = room::apply(&sample().workshop, &events).unwrap();
    let idea = w.parking.last().unwrap();
    assert_eq!((idea.text.as_str(), idea.sender()), ("<script>alert(1)</script>", Some("Ana")));
    assert!(idea.sent.is_some());
}

#[test]
fn a_wrong_code_is_refused_and_five_make_the_address_wait() {
    let room = open(false);
    let a = agent();
    let url = format!("{}/api/join", base(&room));
    for _ in 0..5 {
        let (status, v) = post(&a, &url, "", &json!({"code": "XXXXXX"}));
        assert_eq!(status, 403, "{v}");
    }
    let (status, v) = post(&a, &url, "", &json!({"code": CODE}));
    assert_eq!(status, 429, "even the right code waits a minute: {v}");
    assert!(v["error"].as_str().unwrap().contains("Wait a minute"));
}

#[test]
fn requests_for_another_host_or_from_another_page_are_refused() {
    let room = open(false);
    let addr = room.address();
    let port = addr.port();
    let ok = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(raw(addr, ok.as_bytes()), 200);
    let rebound = format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(raw(addr, rebound.as_bytes()), 403, "DNS rebinding: a name in Host");
    let a = agent();
    let url = format!("{}/api/join", base(&room));
    let mut r = a.post(&url).header("Origin", "http://192.168.1.66:8000").send_json(json!({"code": CODE})).unwrap();
    assert_eq!(r.status().as_u16(), 403, "{}", r.body_mut().read_to_string().unwrap());
    let r = a.post(&url).header("Origin", format!("http://127.0.0.1:{port}")).send_json(json!({"code": CODE})).unwrap();
    assert_eq!(r.status().as_u16(), 200, "the page's own origin is fine");
}

#[test]
fn bodies_over_8_kb_get_413_and_long_ideas_a_message() {
    let room = open(false);
    let c = join_as(&room, None);
    let big = "x".repeat(9 * 1024);
    let (status, _) = c.idea("big", &big);
    assert_eq!(status, 413);
    // A chunked body that never says its length is cut off at 8 KB too.
    let port = room.address().port();
    let mut req = format!(
        "POST /api/ideas HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        c.token
    )
    .into_bytes();
    for _ in 0..3 {
        req.extend_from_slice(format!("{:x}\r\n{}\r\n", 4096, "y".repeat(4096)).as_bytes());
    }
    assert_eq!(raw(room.address(), &req), 413);
    let (status, v) = c.idea("long", &"z".repeat(501));
    assert_eq!(status, 422);
    assert!(v["error"].as_str().unwrap().contains("at most 500 characters"), "{v}");
    assert_eq!(c.idea("ok", &"z".repeat(500)).0, 201);
}

#[test]
fn one_person_sends_at_most_200_ideas() {
    let room = open(false);
    let c = join_as(&room, None);
    for i in 0..200 {
        assert_eq!(c.idea(&format!("n{i}"), "an idea").0, 201);
    }
    let (status, v) = c.idea("n200", "one more");
    assert_eq!(status, 429, "{v}");
    let other = join_as(&room, None);
    assert_eq!(other.idea("n0", "someone else's").0, 201, "the limit is per person, and ids are per person");
}

#[test]
fn dots_are_limited_by_the_server_and_can_be_taken_back() {
    let room = open(false);
    let map = sample();
    let round = VoteRound { id: ItemId::fresh(), name: "Priorities".to_owned(), votes_each: 2, ..VoteRound::default() };
    let cards = [NodeId::new("m1").unwrap(), NodeId::new("m2").unwrap()];
    room.set_round(Some(Round::of(&map, &round, &cards)));
    let c = join_as(&room, Some("Bo"));
    let (_, v) = c.state();
    assert_eq!(v["round"]["dots_left"].as_u64(), Some(2));
    assert_eq!(v["round"]["cards"][0]["title"].as_str(), Some(map.node(&cards[0]).unwrap().title.as_str()));
    assert_eq!(c.vote("v1", &round.id, "m1").0, 201);
    assert_eq!(c.vote("v1", &round.id, "m1").0, 200, "a retry is not a second dot");
    assert_eq!(c.vote("v2", &round.id, "m1").0, 201);
    let (status, v) = c.vote("v3", &round.id, "m2");
    assert_eq!(status, 409, "no third dot: {v}");
    assert_eq!(c.vote("v3", &round.id, "s1").0, 404, "only the round's cards");
    let (status, v) = c.unvote("v2");
    assert_eq!((status, v["dots_left"].as_u64()), (200, Some(1)));
    assert_eq!(c.vote("v3", &round.id, "m2").0, 201);
    let mut w = map.workshop.clone();
    w.votes.push(round.clone());
    let w = room::apply(&w, &room.wait_events(Duration::from_secs(5))).unwrap();
    let tally = &w.votes.last().unwrap().tally;
    assert_eq!((tally.get(&cards[0]), tally.get(&cards[1])), (Some(&1), Some(&1)));
    room.set_round(None);
    assert_eq!(c.unvote("v3").0, 409, "once the round closes its dots stay");
}

#[test]
fn the_facilitator_removes_a_person_and_locks_the_room() {
    let room = open(false);
    let c = join_as(&room, Some("Cy"));
    let _ = room.wait_events(Duration::from_secs(5));
    let person = room.people().iter().find(|p| p.name.as_deref() == Some("Cy")).unwrap().id;
    assert!(room.remove(person));
    assert_eq!(c.idea("a", "still here?").0, 401, "their token died");
    room.set_locked(true);
    let (status, v) = post(&agent(), &format!("{}/api/join", base(&room)), "", &json!({"code": CODE}));
    assert_eq!(status, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("closed the room to new people"));
    assert_eq!(c.state().0, 401);
    assert_eq!(
        post(&agent(), &format!("{}/api/ideas", base(&room)), "made-up", &json!({"id": "a", "text": "x"})).0,
        401
    );
}

#[test]
fn the_live_stream_says_when_something_changes_and_when_a_person_is_removed() {
    let room = open(false);
    let c = join_as(&room, None);
    let r = c.agent.get(&format!("{}/api/events?token={}", c.base, c.token)).call().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let mut lines = BufReader::new(r.into_body().into_reader()).lines();
    let mut next_event = || loop {
        let line = lines.next().unwrap().unwrap();
        if let Some(e) = line.strip_prefix("event: ") {
            return e.to_owned();
        }
    };
    assert_eq!(next_event(), "state");
    let deadline = Instant::now() + Duration::from_secs(5);
    while room.connected() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(room.connected(), 1);
    room.set_timer(Some(room::Countdown { label: "Ideas".to_owned(), left: Duration::from_mins(5), running: true }));
    assert_eq!(next_event(), "state");
    assert_eq!(c.state().1["timer"]["label"].as_str(), Some("Ideas"));
    let _ = room.wait_events(Duration::from_secs(5));
    assert!(room.remove(room.people()[0].id));
    assert_eq!(next_event(), "removed");
}

#[test]
fn a_closed_room_answers_requests_in_flight_clearly_and_then_listens_no_more() {
    // The room confirms only what is saved, and nobody saves: the idea waits in flight.
    let room = open(true);
    let c = join_as(&room, None);
    let addr = room.address();
    let sender = std::thread::spawn(move || c.idea("late", "sent as the room closes"));
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while !seen.iter().any(|e| matches!(e, RoomEvent::Idea { .. })) && Instant::now() < deadline {
        seen.extend(room.wait_events(Duration::from_millis(100)));
    }
    let started = Instant::now();
    let rest = room.close();
    assert!(started.elapsed() < Duration::from_secs(2), "closing took {:?}", started.elapsed());
    assert!(rest.is_empty() || rest.iter().all(|e| !matches!(e, RoomEvent::Idea { .. })));
    let (status, v) = sender.join().unwrap();
    assert_eq!(status, 410, "{v}");
    assert!(v["error"].as_str().unwrap().contains("The room has closed"));
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(), "no socket after close");
}

#[test]
fn many_people_sending_at_once_with_retries_lose_and_double_nothing() {
    // A small version of the load example (examples/room_load.rs): 12 people × 20 ideas, every
    // third sent twice with the same id.
    let room = open(false);
    let people: Vec<Client> = (0..12).map(|i| join_as(&room, Some(&format!("P{i}")))).collect();
    let handles: Vec<_> = people
        .into_iter()
        .map(|c| {
            std::thread::spawn(move || {
                for i in 0..20 {
                    assert_eq!(c.idea(&format!("idea-{i}"), &format!("idea {i}")).0, 201);
                    if i % 3 == 0 {
                        assert_eq!(c.idea(&format!("idea-{i}"), &format!("idea {i}")).0, 200);
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let mut events = Vec::new();
    loop {
        let more = room.wait_events(Duration::from_millis(300));
        if more.is_empty() {
            break;
        }
        events.extend(more);
    }
    let w = room::apply(&missionboard::model::workshop::Workshop::default(), &events).unwrap();
    assert_eq!(w.parking.len(), 240);
}

/// Starts `serve` on a copy of the sample; returns the process, its address and the file.
fn serve() -> (std::process::Child, String, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("room.mission.ron");
    std::fs::write(&file, missionboard::sample::UK_MISSIONS).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_missionboard"))
        .args(["serve", file.to_str().unwrap(), "--bind", "127.0.0.1:0", "--code", CODE])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut base = None;
    for _ in 0..10 {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        if let Some(addr) = line.trim().strip_prefix("Address:") {
            base = Some(addr.trim().to_owned());
            break;
        }
    }
    let base = base.expect("serve prints the address");
    // Keep reading stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = out.read_to_end(&mut sink);
    });
    (child, base, dir, file)
}

fn send_ideas(base: &str, name: &str, n: usize) {
    let a = agent();
    let (status, v) = post(&a, &format!("{base}/api/join"), "", &json!({"code": CODE, "name": name}));
    assert_eq!(status, 200, "{v}");
    let token = v["token"].as_str().unwrap().to_owned();
    for i in 0..n {
        let body = json!({"id": format!("k{i}"), "text": format!("kept {i}")});
        assert_eq!(post(&a, &format!("{base}/api/ideas"), &token, &body).0, 201);
    }
}

fn kept(file: &std::path::Path, name: &str) -> usize {
    let map = missionboard::io::load_path(file).unwrap().map;
    map.workshop.parking.iter().filter(|p| p.text.starts_with("kept ") && p.from.as_deref() == Some(name)).count()
}

/// `serve` as a process: saves each acknowledged idea before saying so; a kill -9 loses none.
#[test]
fn serve_saves_what_it_acknowledged_even_when_killed() {
    let (mut child, base, _dir, file) = serve();
    send_ideas(&base, "Dee", 50);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(kept(&file, "Dee"), 50);
}

/// Ctrl+C (SIGINT) closes the room cleanly: exit 0, the file saved, the port closed.
#[cfg(unix)]
#[test]
fn serve_stops_cleanly_on_ctrl_c() {
    let (mut child, base, _dir, file) = serve();
    send_ideas(&base, "Eve", 3);
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl+C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    assert_eq!(kept(&file, "Eve"), 3);
    let addr: SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(), "no socket after it stops");
}

/// Arbitrary bytes, and arbitrary bodies to every endpoint, never bring the room down nor put
/// anything in the map.
mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn room() -> &'static Room {
        static ROOM: OnceLock<Room> = OnceLock::new();
        ROOM.get_or_init(|| open(false))
    }

    fn send(bytes: &[u8]) {
        let mut s = TcpStream::connect(room().address()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.write_all(bytes);
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
        fn raw_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            send(&bytes);
        }

        fn bodies_to_every_endpoint(path in prop::sample::select(vec!["/api/join", "/api/ideas", "/api/votes", "/api/votes/x", "/api/state", "/api/events", "/"]),
                                    method in prop::sample::select(vec!["GET", "POST", "DELETE", "PUT"]),
                                    body in "\\PC{0,300}") {
            let port = room().address().port();
            let req = format!(
                "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            send(req.as_bytes());
        }
    }

    #[test]
    fn the_room_still_answers_after_the_fuzzing() {
        raw_bytes();
        bodies_to_every_endpoint();
        let page = agent().get(&base(room())).call().unwrap();
        assert_eq!(page.status().as_u16(), 200);
        assert!(room().events().iter().all(|e| matches!(e, RoomEvent::Joined { .. })), "nothing but joins");
    }
}
