//! The editor's frame while a room is open and ideas arrive from 60 phones (on loopback): each
//! frame takes what arrived and puts it into the map as one command. `cargo bench --bench room`.
//! Aim: ≤ 16 ms a frame at 1k cards while they arrive. Traffic only to 127.0.0.1, bounded: at most
//! 60 × 40 ideas a run.
#![allow(clippy::expect_used, clippy::unwrap_used, reason = "a benchmark that cannot set up should stop loudly")]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::frame;
use criterion::{Criterion, criterion_group, criterion_main};

mod common;
use missionboard::app::{MissionboardApp, Settings};
use serde_json::{Value, json};

/// 60 people join and send ideas, a few at a time, until told to stop (or 40 each).
fn phones(base: &str, code: &str, stop: &Arc<AtomicBool>, sent: &Arc<AtomicUsize>) -> Vec<std::thread::JoinHandle<()>> {
    (0..60)
        .map(|p| {
            let (base, code, stop, sent) = (base.to_owned(), code.to_owned(), stop.clone(), sent.clone());
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let Ok(mut r) =
                    agent.post(&format!("{base}/api/join")).send_json(json!({"code": code, "name": format!("P{p}")}))
                else {
                    return;
                };
                let token = r.body_mut().read_json::<Value>().ok().and_then(|v| v["token"].as_str().map(str::to_owned));
                let Some(token) = token else { return };
                for i in 0..40 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = json!({"id": format!("p{p}-{i}"), "text": format!("Idea {i} from person {p}")});
                    let _ = agent
                        .post(&format!("{base}/api/ideas"))
                        .header("Authorization", format!("Bearer {token}"))
                        .send_json(body);
                    sent.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(200));
                }
            })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let map = missionboard::sample::generate::map(1_000, 42);
    let ctx = egui::Context::default();
    let mut app = MissionboardApp::with_map(&ctx, map, Settings::default());
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    app.choose_room_bind(IpAddr::V4(Ipv4Addr::LOCALHOST), 0);
    app.open_room();
    let address = app.room_address().expect("the room opens on loopback");
    let code = app.room_code().expect("a join code");
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let threads = phones(&format!("http://{address}"), &code, &stop, &sent);
    let started = Instant::now();
    let mut group = c.benchmark_group("1000 cards, room open");
    // Ideas arrive for about 8 s (40 each, one every 200 ms): warm up briefly and measure inside that.
    group.sample_size(30).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(5));
    group.bench_function("frame while 60 phones send ideas", |b| b.iter(|| frame(&ctx, &mut app)));
    group.finish();
    let during = sent.load(Ordering::Relaxed);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    frame(&ctx, &mut app);
    eprintln!(
        "{} ideas sent in {:.1} s ({} before the measurement ended); {} in the parking lot",
        sent.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64(),
        during,
        app.map().workshop.parking.len()
    );
    app.close_room(0.0);
}

criterion_group!(benches, bench);
criterion_main!(benches);
