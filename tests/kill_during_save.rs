//! Atomic save, proven: a Missionboard process is killed (SIGKILL, as a crash or a pulled plug would
//! end it) at random moments while it writes a file, hundreds of times, and the file is always the
//! complete old version or the complete new one; the temporaries of killed writers are swept; an
//! autosave killed half way still gives a correct recovery offer.
//!
//! The writers of a map save and an autosave are this test binary run again with `MB_KILL_WRITER`
//! set: it saves two versions of a map in turn, for ever, through the same functions the editor
//! uses (`io::save_path`, `recovery::Session::save`), until it is killed.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use missionboard::io;
use missionboard::io::recovery;
use missionboard::model::MissionMap;

const KILLS: usize = 300;

/// The kill tests time their kills; run side by side they would upset each other's timing.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_file_is_always_whole_whenever_its_writer_is_killed() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_missionboard");
    // Two different maps, written in turn to the same output.
    let inputs: Vec<_> = [(2_000usize, 1u64), (2_500, 2)]
        .iter()
        .enumerate()
        .map(|(i, &(n, seed))| {
            let p = dir.path().join(format!("in{i}.mission.ron"));
            io::save_path(&missionboard::sample::generate::map(n, seed), &p).unwrap();
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
    // Each input's quickest of three runs: one run slowed by another test's burst would stretch
    // the kill delays past most runs' end (seen once with the whole suite running).
    for input in &inputs {
        let mut quickest = Duration::MAX;
        for _ in 0..3 {
            let start = Instant::now();
            let status =
                Command::new(bin).arg("export").arg(input).arg("-o").arg(&out).stdout(Stdio::null()).status().unwrap();
            quickest = quickest.min(start.elapsed());
            assert!(status.success());
        }
        took = took.max(quickest);
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

/// Kills per writer kind (map save, autosave).
const WRITER_KILLS: usize = 200;
const ROLE: &str = "MB_KILL_WRITER";
const DIR: &str = "MB_KILL_DIR";

/// The two versions the writer alternates between, different in title and size.
fn versions() -> [MissionMap; 2] {
    let mut a = missionboard::sample::generate::map(300, 1);
    "Version A".clone_into(&mut a.meta.title);
    let mut b = missionboard::sample::generate::map(340, 2);
    "Version B".clone_into(&mut b.meta.title);
    // The same bytes in every process: no "now" in the times.
    for m in [&mut a, &mut b] {
        m.meta.created = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        m.meta.modified = m.meta.created;
    }
    [a, b]
}

/// In the child: save the two versions in turn until killed, saying `saved <microseconds>` after
/// each whole save. Never returns.
fn be_the_writer(role: &str, dir: &Path) -> ! {
    let [a, b] = versions();
    let out = dir.join("board.mission.ron");
    let session = (role == "autosave").then(|| recovery::Session::start(&dir.join("recovery")).unwrap());
    println!("ready");
    loop {
        for map in [&a, &b] {
            let start = Instant::now();
            match &session {
                Some(s) => s.save(map, Some(&out)).unwrap(),
                None => io::save_path(map, &out).unwrap(),
            }
            println!("saved {}", start.elapsed().as_micros());
        }
    }
}

/// In a child started by [`spawn_writer`]: be the writer (never returns). In the test itself:
/// wait for this test's turn among the kill tests.
fn writer_or_turn() -> std::sync::MutexGuard<'static, ()> {
    if let (Ok(role), Ok(dir)) = (std::env::var(ROLE), std::env::var(DIR)) {
        be_the_writer(&role, Path::new(&dir));
    }
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How long a kill test may take in all, however slow the disk: the waits below are for what the
/// writer says it has done, never for a fixed time, and this bounds them.
const PATIENCE: Duration = Duration::from_mins(10);

/// A writer process and what it says (`ready`, then `saved <µs>` after each whole save).
struct Writer {
    child: Child,
    said: std::sync::mpsc::Receiver<String>,
}

impl Writer {
    /// Waits for the writer's next whole save and returns how long it took; fails the test when
    /// nothing comes before `deadline`.
    fn next_save(&self, deadline: Instant) -> Duration {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .said
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("the writer finished no save within the kill test's {PATIENCE:?} ({e})"));
            if let Some(micros) = line.strip_prefix("saved ") {
                return Duration::from_micros(micros.trim().parse().unwrap());
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// Starts this test binary as a writer and waits until it is about to write.
fn spawn_writer(test: &str, role: &str, dir: &Path, deadline: Instant) -> Writer {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--quiet", "--test-threads=1"])
        .env(ROLE, role)
        .env(DIR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match said.recv_timeout(left) {
            Ok(line) if line.ends_with("ready") => return Writer { child, said },
            Ok(_) => {}
            Err(e) => panic!("the writer did not start ({e})"),
        }
    }
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".tmp")))
        .collect()
}

fn next_random(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// Kills writers of `role` at random moments; after each kill `check` looks at what is on disk and
/// says whether the kill caught a write half done. Returns (kills, mid-write kills).
///
/// Each kill waits for 0 to 3 whole saves (so it lands after either version), then for a random
/// part of one save's time as the writer measured it (so it lands anywhere in the next save): the
/// moments follow the disk's speed, fast or slow.
fn kill_writers(test: &str, role: &str, dir: &Path, mut check: impl FnMut(usize) -> bool) -> (usize, usize) {
    let deadline = Instant::now() + PATIENCE;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64 ^ u64::from(std::process::id());
    let mut mid_write = 0;
    let mut one_save = Duration::ZERO;
    for k in 0..WRITER_KILLS {
        let writer = spawn_writer(test, role, dir, deadline);
        let r = next_random(&mut seed);
        for _ in 0..r % 4 {
            one_save = writer.next_save(deadline);
        }
        std::thread::sleep(one_save.mul_f64(((r >> 2) % 1000) as f64 / 1000.0));
        writer.kill();
        if check(k) {
            mid_write += 1;
        }
    }
    (WRITER_KILLS, mid_write)
}

#[test]
fn a_map_save_killed_at_any_moment_leaves_one_whole_version_and_its_temporaries_are_swept() {
    let _turn = writer_or_turn();
    let dir = tempfile::tempdir().unwrap();
    let whole: Vec<String> = versions().iter().map(io::to_string).collect();
    let out = dir.path().join("board.mission.ron");
    io::save_path(&versions()[0], &out).unwrap();
    let test = "a_map_save_killed_at_any_moment_leaves_one_whole_version_and_its_temporaries_are_swept";
    let mut seen = [0usize; 2];
    let (kills, mid_write) = kill_writers(test, "save", dir.path(), |k| {
        let now = std::fs::read_to_string(&out).unwrap();
        let which = whole.iter().position(|w| *w == now);
        assert!(which.is_some(), "after kill {k} the map is neither whole version ({} bytes)", now.len());
        seen[which.unwrap_or(0)] += 1;
        let loaded = io::load_path(&out).unwrap().map;
        assert_eq!(io::to_string(&loaded), now, "after kill {k} the map loads as written");
        // A temporary left (the last check removed any before): this kill caught a write half done.
        let left = temporaries(dir.path());
        let caught = !left.is_empty();
        // Tidy so the next kill's leftover is told apart (the sweep is tested below).
        for t in left {
            std::fs::remove_file(t).unwrap();
        }
        caught
    });
    eprintln!(
        "map save: {kills} kills, {mid_write} mid-write (a temporary left behind), versions found {seen:?}, broken files 0"
    );
    assert!(seen[0] > 0 && seen[1] > 0, "kills landed after both versions: {seen:?}");
    assert!(mid_write > 0, "no kill caught a write half done: the test proved nothing");

    // The sweep: a killed writer's temporary goes with the next save once its lock is free.
    // Kill writers part way through their second save (a different part each time) until one
    // leaves a temporary.
    let deadline = Instant::now() + PATIENCE;
    let mut tries = 0;
    while temporaries(dir.path()).is_empty() && tries < 50 {
        let writer = spawn_writer(test, "save", dir.path(), deadline);
        let one_save = writer.next_save(deadline);
        std::thread::sleep(one_save.mul_f64(f64::from(50 - tries) / 50.0));
        writer.kill();
        tries += 1;
    }
    assert!(!temporaries(dir.path()).is_empty(), "no kill left a temporary in 50 tries");
    std::thread::sleep(Duration::from_millis(2_100));
    io::save_path(&versions()[1], &out).unwrap();
    assert_eq!(temporaries(dir.path()), Vec::<PathBuf>::new(), "the next save sweeps dead writers' temporaries");
}

#[test]
fn an_autosave_killed_at_any_moment_is_offered_whole_with_the_right_summary() {
    let _turn = writer_or_turn();
    let dir = tempfile::tempdir().unwrap();
    let versions = versions();
    let whole: Vec<String> = versions.iter().map(io::to_string).collect();
    let recovery_dir = dir.path().join("recovery");
    let original = dir.path().join("board.mission.ron");
    let test = "an_autosave_killed_at_any_moment_is_offered_whole_with_the_right_summary";
    let mut offers = 0;
    let (kills, mid_write) = kill_writers(test, "autosave", dir.path(), |k| {
        let found = recovery::orphans(&recovery_dir);
        assert!(found.len() <= 1, "after kill {k}: one window, at most one offer: {found:?}");
        let caught = !temporaries(&recovery_dir).is_empty();
        if let Some(orphan) = found.first() {
            offers += 1;
            let text = std::fs::read_to_string(&orphan.map_path).unwrap();
            let which = whole.iter().position(|w| *w == text);
            assert!(which.is_some(), "after kill {k} the autosave is neither whole version ({} bytes)", text.len());
            let v = &versions[which.unwrap_or(0)];
            // What the offer says is what it holds, even when the kill fell between its two files.
            assert_eq!(orphan.info.title, v.meta.title, "after kill {k}");
            assert_eq!(orphan.info.cards, v.node_count(), "after kill {k}");
            assert_eq!(orphan.info.original.as_deref(), Some(original.as_path()), "after kill {k}");
            assert_eq!(orphan.load().unwrap().node_count(), v.node_count());
            orphan.discard();
        }
        for t in temporaries(&recovery_dir) {
            std::fs::remove_file(t).unwrap();
        }
        caught
    });
    eprintln!(
        "autosave: {kills} kills, {mid_write} mid-write, {offers} recovery offers, all whole and rightly described"
    );
    assert!(offers >= kills / 4, "too few kills left an autosave to check ({offers} of {kills})");
    assert!(mid_write > 0, "no kill caught an autosave half written: the test proved nothing");
    // Windows killed before their first autosave leave nothing behind once settled.
    std::thread::sleep(Duration::from_millis(2_100));
    assert!(recovery::orphans(&recovery_dir).is_empty());
    let left: Vec<_> = std::fs::read_dir(&recovery_dir).unwrap().flatten().map(|e| e.path()).collect();
    assert!(left.is_empty(), "leftovers in the recovery folder: {left:?}");
}
