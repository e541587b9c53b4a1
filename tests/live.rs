//! Live maps over real sockets, on loopback only: the room's server with laptops joined by the
//! join code, `missionboard serve --live` with `missionboard sync`, a relay (`y-websocket`, the
//! standard Yjs server) between two laptops, a laptop killed while it receives a 10,000-card map,
//! and what a hostile peer sends.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use missionboard::command::{Command, Document};
use missionboard::live::Peer;
use missionboard::live::net::Link;
use missionboard::model::{Kind, MissionMap, Node, NodeId, Placement};
use missionboard::room::{Room, RoomOptions};

const CODE: &str = "ABCDEF";
const LOOPBACK: &str = "127.0.0.1:0";

/// The host's laptop: its own session joined to its own room (lending it its copy of the map, as
/// the editor does), once the room has the map.
fn host(room: &Room, map: MissionMap) -> Peer {
    let url = room.host_live_url().unwrap_or_default();
    let mut host = Peer::host_lending(map, &url, |doc| room.lend_live_doc(doc)).unwrap_or_else(|e| panic!("{e}"));
    assert!(room.live_doc_is_lent(), "the room answers from the host's copy");
    let until = Instant::now() + Duration::from_secs(30);
    // Until the server has asked for the map and been given it.
    let mut wires = 0;
    while wires < 2 {
        assert!(Instant::now() < until, "the host never reached its own room");
        wires += pump(&mut host, Duration::from_millis(100));
    }
    host
}

/// Takes what arrived and sends this laptop's edits; how many things arrived.
fn pump(p: &mut Peer, wait: Duration) -> usize {
    p.conn.push(&p.doc);
    p.pump(wait).unwrap_or(0)
}

fn open_room() -> Room {
    let bind: SocketAddr = LOOPBACK.parse().unwrap_or_else(|_| unreachable!());
    let options = RoomOptions { code: Some(CODE.to_owned()), confirm_when_saved: false, live: true };
    Room::open(bind, &MissionMap::new("Live"), &options).unwrap_or_else(|e| panic!("{e}"))
}

fn url(room: &Room, name: &str) -> String {
    missionboard::cli::sync::live_url(&room.address().to_string(), Some(CODE), name).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts two files are the same, naming the first line that differs.
fn same(a: &str, b: &str) {
    if a != b {
        let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let i = la.iter().zip(&lb).position(|(x, y)| x != y).unwrap_or(la.len().min(lb.len()));
        panic!(
            "the maps differ at line {}: {:?} / {:?} ({} and {} lines)",
            i + 1,
            la.get(i),
            lb.get(i),
            la.len(),
            lb.len()
        );
    }
}

fn file(map: &MissionMap) -> String {
    let mut m = map.clone();
    m.meta.modified = m.meta.created;
    missionboard::io::format::to_string(&m)
}

/// Pumps everyone until nothing has moved for a while.
fn settle(host: &mut Peer, peers: &mut [Peer]) {
    let until = Instant::now() + Duration::from_secs(20);
    let mut quiet = 0;
    while quiet < 4 && Instant::now() < until {
        let mut moved = pump(host, Duration::from_millis(30));
        for p in peers.iter_mut() {
            moved += pump(p, Duration::from_millis(30));
        }
        quiet = if moved == 0 { quiet + 1 } else { 0 };
    }
}

fn retitle(doc: &mut Document, id: &NodeId, title: &str) {
    let mut n = doc.map().node(id).cloned().unwrap_or_else(|| panic!("no card {id}"));
    title.clone_into(&mut n.title);
    doc.apply("retitle", Command::UpdateNode(n)).unwrap_or_else(|e| panic!("{e}"));
}

fn add(doc: &mut Document, title: &str) -> NodeId {
    let id = doc.fresh_node_id(Kind::Intervention);
    let node = Node::new(id.clone(), Kind::Intervention, title);
    doc.apply("add", Command::AddNode { node, place: Placement::at(0.0, 900.0) }).unwrap_or_else(|e| panic!("{e}"));
    id
}

#[test]
fn laptops_with_the_code_get_the_map_and_every_change_within_moments() {
    let room = open_room();
    let mut host = host(&room, missionboard::sample::uk_missions());
    pump(&mut host, Duration::from_millis(300));
    let started = Instant::now();
    let a = Peer::join(&url(&room, "Group A"), "Group A", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    let b = Peer::join(&url(&room, "Group B"), "Group B", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("two laptops joined in {:?}", started.elapsed());
    let mut peers = vec![a, b];
    settle(&mut host, &mut peers);
    assert_eq!(file(peers[0].doc.map()), file(host.doc.map()));
    assert_eq!(file(peers[1].doc.map()), file(host.doc.map()));

    // Each changes something at once; all three end alike, both changes kept.
    let ids: Vec<NodeId> = host.doc.map().sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
    retitle(&mut peers[0].doc, &ids[3], "Changed by group A");
    let new = add(&mut peers[1].doc, "Added by group B");
    retitle(&mut host.doc, &ids[5], "Changed by the host");
    settle(&mut host, &mut peers);
    let h = host.doc.map();
    assert_eq!(h.node(&ids[3]).map(|n| n.title.as_str()), Some("Changed by group A"));
    assert_eq!(h.node(&new).map(|n| n.title.as_str()), Some("Added by group B"));
    assert_eq!(file(peers[0].doc.map()), file(h));
    assert_eq!(file(peers[1].doc.map()), file(h));
    // Everyone sees who is here.
    assert!(room.laptops().len() >= 3, "{:?}", room.laptops());
    assert!(host.conn.session.people.iter().any(|(_, p)| p.name == "Group A"), "{:?}", host.conn.session.people);
}

#[test]
fn a_laptop_joining_while_the_hosts_window_is_still_gets_every_change() {
    let room = open_room();
    let mut host = host(&room, missionboard::sample::uk_missions());
    pump(&mut host, Duration::from_millis(300));
    let mut a =
        Peer::join(&url(&room, "Group A"), "Group A", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    // The host's editor takes nothing from here on (its window is minimised, or busy): the room
    // answers newcomers from its copy, which lacks group A's changes.
    let ids: Vec<NodeId> = a.doc.map().sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
    retitle(&mut a.doc, &ids[3], "Changed by group A");
    a.flush(Duration::from_secs(2)).unwrap_or_else(|e| panic!("{e}"));
    let new = add(&mut a.doc, "Added by group A");
    a.flush(Duration::from_secs(2)).unwrap_or_else(|e| panic!("{e}"));
    let gone = ids[7].clone();
    a.doc.apply("delete", Command::RemoveNodes(vec![gone.clone()])).unwrap_or_else(|e| panic!("{e}"));
    a.flush(Duration::from_secs(2)).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(host.doc.map().node(&ids[3]).map(|n| n.title.as_str()), Some("Changed by group A"));
    let mut b =
        Peer::join(&url(&room, "Group B"), "Group B", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    // What the room sends after the map (the changes its copy lacks) arrives in the next moments.
    for _ in 0..5 {
        pump(&mut b, Duration::from_millis(100));
    }
    let m = b.doc.map();
    assert_eq!(m.node(&ids[3]).map(|n| n.title.as_str()), Some("Changed by group A"));
    assert_eq!(m.node(&new).map(|n| n.title.as_str()), Some("Added by group A"));
    assert!(m.node(&gone).is_none(), "the card group A deleted is gone for the newcomer too");
    assert_eq!(file(m), file(a.doc.map()));
    // The host's window runs again: all three end alike.
    let mut peers = vec![a, b];
    settle(&mut host, &mut peers);
    assert_eq!(file(host.doc.map()), file(peers[0].doc.map()));
    assert_eq!(file(host.doc.map()), file(peers[1].doc.map()));
}

#[test]
fn a_wrong_code_is_refused_and_a_read_only_laptop_changes_nothing() {
    let room = open_room();
    let mut host = host(&room, missionboard::sample::uk_missions());
    pump(&mut host, Duration::from_millis(300));
    let wrong = missionboard::cli::sync::live_url(&room.address().to_string(), Some("ZZZZZZ"), "x").unwrap_or_default();
    let err = Peer::join(&wrong, "x", Duration::from_secs(10)).err().unwrap_or_default();
    assert!(err.to_lowercase().contains("code"), "{err}");

    let mut peer =
        Peer::join(&url(&room, "Observer"), "Observer", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    let person = room
        .laptops()
        .iter()
        .find(|l| l.name == "Observer")
        .and_then(|l| l.person)
        .unwrap_or_else(|| panic!("no laptop"));
    room.set_read_only(person, true);
    let before = file(host.doc.map());
    let id = host.doc.map().sorted_nodes()[0].id.clone();
    retitle(&mut peer.doc, &id, "Should not land");
    let mut peers = vec![peer];
    settle(&mut host, &mut peers);
    assert_eq!(file(host.doc.map()), before, "a read-only laptop's change reached the host");
    assert!(
        peers[0].conn.session.denied.as_deref().is_some_and(|d| d.contains("read-only")),
        "{:?}",
        peers[0].conn.session.denied
    );
    assert!(room.live_refused().iter().any(|r| r.contains("read-only")));
}

#[test]
fn hostile_messages_are_refused_and_the_map_is_untouched() {
    let room = open_room();
    let mut host = host(&room, missionboard::sample::uk_missions());
    pump(&mut host, Duration::from_millis(300));
    let before = file(host.doc.map());
    let bad = Link::open(&url(&room, "Mallory"), Arc::new(|| {})).unwrap_or_else(|e| panic!("{e}"));
    let _ = bad.wait(Duration::from_secs(5));
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..200 {
        let len = 1 + (i * 37) % 300;
        let junk: Vec<u8> = (0..len)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                (rng >> 24) as u8
            })
            .collect();
        // Sync messages with garbage updates, and plain garbage.
        let mut framed = vec![0u8, 2];
        framed.extend(junk.iter().take(5));
        framed.extend(&junk);
        bad.send(if i % 2 == 0 { framed } else { junk });
    }
    let mut refusals = Vec::new();
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until && refusals.len() < 50 {
        refusals.extend(bad.wait(Duration::from_millis(200)));
        pump(&mut host, Duration::from_millis(10));
    }
    pump(&mut host, Duration::from_millis(300));
    assert_eq!(file(host.doc.map()), before);
    assert!(!room.live_refused().is_empty(), "nothing was refused");
    // The room still works for an honest laptop.
    let peer = Peer::join(&url(&room, "Honest"), "Honest", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file(peer.doc.map()), before);
}

#[test]
fn a_laptop_that_loses_the_network_keeps_editing_and_catches_up() {
    let room = open_room();
    let mut host = host(&room, missionboard::sample::uk_missions());
    pump(&mut host, Duration::from_millis(300));
    let mut peer = Peer::join(&url(&room, "Train"), "Train", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    // Cut off: the laptop's wire is dropped; it edits alone, the host edits too.
    let cut = std::mem::replace(
        &mut peer.conn.link,
        Link::open("ws://127.0.0.1:9/nowhere", Arc::new(|| {})).unwrap_or_else(|e| panic!("{e}")),
    );
    drop(cut);
    let ids: Vec<NodeId> = host.doc.map().sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
    let mut mine = Vec::new();
    for k in 0..200 {
        mine.push(add(&mut peer.doc, &format!("offline {k}")));
        retitle(&mut host.doc, &ids[k % ids.len()], &format!("host {k}"));
        pump(&mut host, Duration::from_millis(1));
    }
    // Back: a new wire, the sync protocol's greeting, and both sides' edits meet.
    peer.conn.link = Link::open(&url(&room, "Train"), Arc::new(|| {})).unwrap_or_else(|e| panic!("{e}"));
    let mut peers = vec![peer];
    settle(&mut host, &mut peers);
    for id in &mine {
        assert!(host.doc.map().contains_node(id), "{id} was lost");
    }
    assert_eq!(file(peers[0].doc.map()), file(host.doc.map()));
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_missionboard"))
}

fn free_port() -> u16 {
    TcpListener::bind(LOOPBACK).and_then(|l| l.local_addr()).map_or(18_150, |a| a.port())
}

fn wait_for_port(port: u16) {
    let until = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < until, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve_live(map: &Path, port: u16) -> Killed {
    let child = Process::new(bin())
        .args(["serve", &map.to_string_lossy(), "--bind", &format!("127.0.0.1:{port}"), "--code", CODE, "--live"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_port(port);
    Killed(child)
}

fn sync(file: &Path, port: u16) -> std::process::Output {
    Process::new(bin())
        .args([
            "sync",
            &file.to_string_lossy(),
            "--from",
            &format!("127.0.0.1:{port}"),
            "--code",
            CODE,
            "--name",
            "script",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The sample saved as `board.mission.ron` in `dir` and hosted by `serve --live` on a free
/// loopback port, and a first `sync` of `mine.mission.ron` from it (which must succeed).
fn hosted_and_synced(dir: &Path) -> (PathBuf, Killed, PathBuf, u16) {
    let hosted = dir.join("board.mission.ron");
    missionboard::io::save_path(&missionboard::sample::uk_missions(), &hosted).unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let server = serve_live(&hosted, port);
    let mine = dir.join("mine.mission.ron");
    let out = sync(&mine, port);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (hosted, server, mine, port)
}

fn load(path: &Path) -> MissionMap {
    missionboard::io::load_path(path).unwrap_or_else(|e| panic!("{e}")).map
}

#[test]
fn sync_pulls_the_live_map_and_pushes_the_files_own_changes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (hosted, server, mine, port) = hosted_and_synced(dir.path());
    assert_eq!(load(&mine).node_count(), load(&hosted).node_count());
    // A change made in the file reaches the host's file with the next sync.
    let mut map = load(&mine);
    let id = map.sorted_nodes()[2].id.clone();
    let mut n = map.node(&id).cloned().unwrap_or_else(|| unreachable!());
    n.title = "Changed in a script".to_owned();
    map.replace_node(n).unwrap_or_else(|e| panic!("{e}"));
    missionboard::io::save_path(&map, &mine).unwrap_or_else(|e| panic!("{e}"));
    let out = sync(&mine, port);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let until = Instant::now() + Duration::from_secs(10);
    while load(&hosted).node(&id).map(|n| n.title.clone()) != Some("Changed in a script".to_owned()) {
        assert!(Instant::now() < until, "the host's file never got the change");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server);
}

#[test]
fn killing_a_laptop_while_it_receives_the_10k_map_leaves_the_others_unharmed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let hosted = dir.path().join("big.mission.ron");
    let big = missionboard::sample::generate::map(10_000, 42);
    missionboard::io::save_path(&big, &hosted).unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let _server = serve_live(&hosted, port);
    let victim_file = dir.path().join("victim.mission.ron");
    for delay in [50u64, 200, 400] {
        let mut victim = Process::new(bin())
            .args(["sync", &victim_file.to_string_lossy(), "--from", &format!("127.0.0.1:{port}"), "--code", CODE])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(delay));
        let _ = victim.kill(); // SIGKILL
        let _ = victim.wait();
    }
    // Another laptop joins and gets the whole map; the host's file is whole.
    let other = dir.path().join("other.mission.ron");
    let out = sync(&other, port);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(load(&other).node_count(), big.node_count());
    assert_eq!(load(&hosted).node_count(), big.node_count());
    // The killed laptop simply joins again.
    let out = sync(&victim_file, port);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(load(&victim_file).node_count(), big.node_count());
}

/// The standard Yjs relay (`y-websocket`'s server, installed by `.ci/run` from npm). Found by
/// `MISSIONBOARD_YRELAY` (the path of its `bin/server.js`) or in /opt/yrelay.
fn relay_script() -> Option<PathBuf> {
    let p = std::env::var_os("MISSIONBOARD_YRELAY")
        .map_or_else(|| PathBuf::from("/opt/yrelay/node_modules/y-websocket/bin/server.js"), PathBuf::from);
    p.exists().then_some(p)
}

#[test]
fn two_missionboards_sync_through_the_standard_relay() {
    let Some(script) = relay_script() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install the relay (see .ci/run)");
        eprintln!("skipped: no y-websocket relay installed (see .ci/run)");
        return;
    };
    let port = free_port();
    let relay = Process::new("node")
        .arg(&script)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let _relay = Killed(relay);
    wait_for_port(port);
    let room = format!("ws://127.0.0.1:{port}/board-{}", std::process::id());
    // The first laptop finds the relay's room empty and its map becomes the shared one.
    let first = Document::new(missionboard::sample::uk_missions());
    let expected = file(first.map());
    let mut a = Peer::connect(first, &room, "First").unwrap_or_else(|e| panic!("{e}"));
    let until = Instant::now() + Duration::from_secs(20);
    while !a.conn.session.joined() {
        assert!(Instant::now() < until, "the relay never answered");
        a.pump(Duration::from_millis(100)).unwrap_or_else(|e| panic!("{e}"));
    }
    a.flush(Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
    let mut b = Peer::join(&room, "Second", Duration::from_secs(20)).unwrap_or_else(|e| panic!("{e}"));
    same(&file(b.doc.map()), &expected);
    let id = b.doc.map().sorted_nodes()[1].id.clone();
    retitle(&mut b.doc, &id, "Through the relay");
    b.flush(Duration::from_secs(5)).unwrap_or_else(|e| panic!("{e}"));
    let until = Instant::now() + Duration::from_secs(10);
    while a.doc.map().node(&id).map(|n| n.title.as_str()) != Some("Through the relay") {
        assert!(Instant::now() < until, "the change never came through the relay");
        a.pump(Duration::from_millis(100)).unwrap_or_else(|e| panic!("{e}"));
    }

    // `sync` of a file into a room of the relay nobody has used yet: the file is the map, its
    // title, organisation and description too (they were blanked, as "conflicts" with the empty
    // room's), and a second file synced from the room has all of it.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (first, second) = (dir.path().join("first.mission.ron"), dir.path().join("second.mission.ron"));
    let sample = missionboard::sample::uk_missions();
    missionboard::io::save_path(&sample, &first).unwrap_or_else(|e| panic!("{e}"));
    let fresh = format!("ws://127.0.0.1:{port}/fresh-{}", std::process::id());
    let relay_sync = |f: &Path| {
        Process::new(bin())
            .args(["sync", &f.to_string_lossy(), "--from", &fresh, "--name", "script"])
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let out = relay_sync(&first);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && !said.contains("conflict"), "{said}{}", String::from_utf8_lossy(&out.stderr));
    let out = relay_sync(&second);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in [&first, &second] {
        let m = load(f);
        assert_eq!(m.meta.title, sample.meta.title);
        assert_eq!(m.meta.organisation, sample.meta.organisation);
        assert_eq!(m.meta.description, sample.meta.description);
        assert_eq!(m.node_count(), sample.node_count());
    }
}

#[test]
fn killing_the_host_leaves_each_laptop_its_own_file_and_one_can_host_again() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (hosted, server, mine, _) = hosted_and_synced(dir.path());
    // kill -9 the host.
    drop(server);
    assert_eq!(load(&hosted).node_count(), load(&mine).node_count(), "the host's file is whole");
    // The laptop hosts its own file; another joins it.
    let port2 = free_port();
    let _again = serve_live(&mine, port2);
    let other = dir.path().join("other.mission.ron");
    let out = sync(&other, port2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(load(&other).node_count(), load(&mine).node_count());
}
