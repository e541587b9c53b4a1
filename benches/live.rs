//! A live map of 10,000 cards, on loopback: how long a new laptop takes to have the whole map, and
//! the host's editor frame that applies and draws one edit from another laptop.
//! `cargo bench --bench live`. Aims (issue 26): whole map ≤ 2 s; one remote edit within one frame
//! (≤ 16 ms). Traffic only to 127.0.0.1, bounded by criterion's sample counts.
#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::frame;
use criterion::{Criterion, criterion_group, criterion_main};

mod common;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::cli::sync::live_url;
use missionboard::command::Command;
use missionboard::live::Peer;

/// This process's resident memory (MB), from /proc (Linux).
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn live(c: &mut Criterion) {
    // Memory: an editor with an empty map, then with the 10k map, then sharing it live (the map's
    // Yjs replica, which the room reads too: no second copy). Printed, not timed.
    let ctx = egui::Context::default();
    let mut empty = MissionboardApp::with_map(&ctx, missionboard::model::MissionMap::new("empty"), Settings::default());
    for _ in 0..3 {
        frame(&ctx, &mut empty);
    }
    let bare = rss_mb();
    let map = missionboard::sample::generate::map(10_000, 42);
    let mut app = MissionboardApp::with_map(&ctx, map, Settings::default());
    drop(empty);
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    let with_map = rss_mb();
    app.choose_room_bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    app.room_allow_live(true);
    app.open_room_live(&ctx);
    let shared_at = Instant::now();
    while shared_at.elapsed() < Duration::from_secs(3) {
        frame(&ctx, &mut app);
        std::thread::sleep(Duration::from_millis(20));
    }
    let live = rss_mb();
    eprintln!(
        "memory: editor with an empty map {bare:.0} MB; with the 10k map {with_map:.0} MB (the map's own \
         {:.0} MB); sharing it live {live:.0} MB (+{:.0} MB, {:.1}x the map's own)",
        with_map - bare,
        live - with_map,
        (live - bare) / (with_map - bare).max(1.0)
    );
    let address = app.room_address().expect("the room opened").to_string();
    let code = app.room_code().expect("a code");
    // The host's editor puts the map into its room.
    let until = Instant::now() + Duration::from_mins(1);
    let url = live_url(&address, Some(&code), "bench").unwrap();
    let mut peer = loop {
        frame(&ctx, &mut app);
        if let Ok(p) = Peer::join(&url, "bench", Duration::from_millis(500)) {
            break p;
        }
        assert!(Instant::now() < until, "the host never shared its map");
    };

    let mut g = c.benchmark_group("live 10k cards");
    g.bench_function("an idle frame of the host's editor, whole map in view (for comparison)", |b| {
        b.iter(|| frame(&ctx, &mut app));
    });
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("a new laptop has the whole map (loopback)", |b| {
        b.iter(|| {
            let p = Peer::join(&url, "newcomer", Duration::from_secs(30)).unwrap();
            assert!(p.doc.map().node_count() > 9_000);
        });
    });
    let id = peer.doc.map().sorted_nodes()[7].id.clone();
    let mut n = 0u32;
    g.bench_function("the host's frame that applies and draws one remote edit", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let title = format!("Retitled {n}");
                let mut node = peer.doc.map().node(&id).cloned().unwrap();
                node.title.clone_from(&title);
                peer.doc.apply("retitle", Command::UpdateNode(node)).unwrap();
                peer.flush(Duration::from_millis(200)).unwrap();
                // The edit is on the host's wire now; the frame that takes it (and draws it) is
                // timed, not the frames before it arrived.
                std::thread::sleep(Duration::from_millis(5));
                let mut frames = 0;
                while app.map().node(&id).map(|n| n.title.as_str()) != Some(title.as_str()) {
                    let t = Instant::now();
                    frame(&ctx, &mut app);
                    let took = t.elapsed();
                    frames += 1;
                    assert!(frames < 500, "the edit never arrived");
                    if app.map().node(&id).map(|n| n.title.as_str()) == Some(title.as_str()) {
                        spent += took;
                    } else {
                        std::thread::sleep(Duration::from_millis(1));
                    }
                }
            }
            spent
        });
    });
    g.bench_function("one edit from another laptop until the host's map has it (end to end)", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                n += 1;
                let title = format!("Again {n}");
                let mut node = peer.doc.map().node(&id).cloned().unwrap();
                node.title.clone_from(&title);
                peer.doc.apply("retitle", Command::UpdateNode(node)).unwrap();
                peer.conn.push(&peer.doc);
                let mut frames = 0;
                while app.map().node(&id).map(|n| n.title.as_str()) != Some(title.as_str()) {
                    frame(&ctx, &mut app);
                    frames += 1;
                    assert!(frames < 5_000, "the edit never arrived");
                    std::thread::sleep(Duration::from_micros(200));
                }
                // What the host sends back (its presence, nothing else) is taken before the next.
                let _ = peer.pump(Duration::from_millis(1));
            }
            start.elapsed()
        });
    });
    g.finish();
}

criterion_group!(benches, live);
criterion_main!(benches);
