//! Atomic save, proven: a Missionboard process is killed at random moments while it writes a file,
//! hundreds of times, and the file is always the complete old version or the complete new one.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 300;

#[test]
fn a_file_is_always_whole_whenever_its_writer_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_missionboard");
    // Two different maps, written in turn to the same output.
    let inputs: Vec<_> = [(2_000usize, 1u64), (2_500, 2)]
        .iter()
        .enumerate()
        .map(|(i, &(n, seed))| {
            let p = dir.path().join(format!("in{i}.mission.ron"));
            missionboard::io::save_path(&missionboard::sample::generate::map(n, seed), &p).unwrap();
            p
        })
        .collect();
    let out = dir.path().join("out.json");
    let mut whole = Vec::new();
    let mut took = Duration::ZERO;
    // A first run of the freshly built binary is slow (cold caches); timing it would make most
    // kills land after the writer finished, proving nothing. Warm up, then time.
    for input in &inputs {
        let _ = Command::new(bin).arg("export").arg(input).arg("-o").arg(&out).stdout(Stdio::null()).status();
    }
    for input in &inputs {
        let start = Instant::now();
        let status =
            Command::new(bin).arg("export").arg(input).arg("-o").arg(&out).stdout(Stdio::null()).status().unwrap();
        took = took.max(start.elapsed());
        assert!(status.success());
        whole.push(std::fs::read(&out).unwrap());
    }
    assert_ne!(whole[0], whole[1]);

    let mut seed = 0x9e37_79b9_7f4a_7c15_u64 ^ u64::from(std::process::id());
    let mut killed_running = 0;
    for k in 0..KILLS {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let delay = took.mul_f64(((seed >> 33) % 1000) as f64 / 1000.0 * 1.1);
        let mut child = Command::new(bin)
            .arg("export")
            .arg(&inputs[k % 2])
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&out).unwrap();
        assert!(
            now == whole[0] || now == whole[1],
            "after kill {k} the file is neither whole version ({} bytes)",
            now.len()
        );
    }
    eprintln!("{killed_running} of {KILLS} kills landed while the writer was running; the file was whole every time");
    assert!(
        killed_running > KILLS / 2,
        "most kills must land mid-run to prove anything ({killed_running} of {KILLS}; the longest run took {took:?})"
    );
}
