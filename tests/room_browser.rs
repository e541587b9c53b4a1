//! A real browser in the room: headless Chromium, driven over WebDriver (chromedriver), on a phone
//! viewport of 360×740, joins, sends an idea, votes, takes a dot back; the room then holds the idea
//! and the right tally. Everything stays on 127.0.0.1: the browser gets a dead proxy for any other
//! address and no background networking. Needs Debian's `chromium` and `chromium-driver` (installed
//! by `.ci/run`). `ROOM_SCREENSHOT=path.png` writes the page as a phone shows it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use missionboard::model::workshop::VoteRound;
use missionboard::model::{ItemId, NodeId};
use missionboard::room::{self, Room, RoomEvent, RoomOptions, Round};
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    agent: ureq::Agent,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.agent.delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("chromedriver")
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".to_owned()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver) runs; `bash .ci/run` installs it");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_mins(1)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--disable-domain-reliability", "--no-pings", "--metrics-recording-only",
                "--proxy-server=http://127.0.0.1:9",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}},
        }}}});
        let mut r = agent.post(&format!("{base}/session")).send_json(caps).unwrap();
        let v: Value = r.body_mut().read_json().unwrap();
        let session = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_owned();
        Driver { child, agent, base, session, _profile: profile }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call().unwrap(),
            (_, b) => self.agent.post(&url).send_json(b.unwrap_or_else(|| json!({}))).unwrap(),
        };
        let v: Value = r.body_mut().read_json().unwrap();
        assert!(v["value"].get("error").is_none(), "{method} {path}: {v}");
        v["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("{css}: {v}")).to_owned()
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/value"), Some(json!({"text": text})));
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.call("POST", &format!("/element/{e}/click"), None);
    }

    fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": js, "args": []})))
    }

    /// Waits until the announcement (the `aria-live` status line) contains `text`.
    fn announced(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let said = self.script("return document.getElementById('announce').textContent;");
            if said.as_str().is_some_and(|s| s.contains(text)) {
                return;
            }
            assert!(Instant::now() < deadline, "waited for {text:?}; the page says {said}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_for(&self, js: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.script(js) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "waited for {js}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn a_phone_joins_sends_an_idea_votes_and_takes_a_dot_back() {
    let map = missionboard::io::load_str(missionboard::sample::UK_MISSIONS).unwrap().map;
    let options = RoomOptions { code: Some("ABCDEF".to_owned()), confirm_when_saved: false, live: false };
    let room = Room::open("127.0.0.1:0".parse().unwrap(), &map, &options).unwrap();
    let round = VoteRound { id: ItemId::fresh(), name: "Priorities".to_owned(), votes_each: 2, ..VoteRound::default() };
    let cards = [NodeId::new("m1").unwrap(), NodeId::new("m2").unwrap(), NodeId::new("m3").unwrap()];
    room.set_round(Some(Round::of(&map, &round, &cards)));

    let d = Driver::start();
    d.call("POST", "/url", Some(json!({"url": format!("http://{}/", room.address())})));
    d.type_in("#code", "abcdef");
    d.type_in("#name", "Fay");
    d.click("#join-form button[type=submit]");
    d.announced("You are in the room as Fay");
    d.type_in("#idea", "Retrofit <b>schools</b> first");
    d.click("#send");
    d.announced("Sent — 1 idea so far");
    d.wait_for("return document.querySelectorAll('#cards li').length === 3;");
    d.click("#cards li:nth-child(1) button");
    d.announced("Dot added");
    d.wait_for("return document.querySelectorAll('#cards li:nth-child(1) button').length === 2;");
    d.click("#cards li:nth-child(1) button.quiet");
    d.announced("Dot taken back");
    d.wait_for("return document.getElementById('dots-left').textContent.indexOf('2 dots left') >= 0;");
    d.click("#cards li:nth-child(2) button");
    d.announced("Dot added");
    let width = d.script("return document.documentElement.scrollWidth;");
    assert!(width.as_u64().unwrap() <= 360, "the page fits a 360-pixel phone: {width}");
    let bold = d.script("return document.querySelectorAll('b').length;");
    assert_eq!(bold, json!(0), "no markup from anyone's text");
    if let Ok(path) = std::env::var("ROOM_SCREENSHOT") {
        d.script("document.activeElement.blur(); window.scrollTo(0, 0); return true;");
        let png = d.call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    let mut events = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while events.iter().filter(|e| matches!(e, RoomEvent::Vote { .. })).count() < 3 && Instant::now() < deadline {
        events.extend(room.wait_events(Duration::from_millis(100)));
    }
    let mut w = map.workshop.clone();
    w.votes.push(round.clone());
    let w = room::apply(&w, &events).unwrap();
    let idea = w.parking.last().unwrap();
    assert_eq!((idea.text.as_str(), idea.from.as_deref()), ("Retrofit <b>schools</b> first", Some("Fay")));
    let tally = &w.votes.last().unwrap().tally;
    assert_eq!(tally.get(&cards[0]), None, "the dot taken back");
    assert_eq!(tally.get(&cards[1]), Some(&1));
}
