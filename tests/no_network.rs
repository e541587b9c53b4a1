//! Never a network connection: every command of the binary works in a process whose network has
//! been cut off entirely (a new, empty network namespace with `unshare -n`, as root in CI).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with no network; `data` stands for the user's data folder (hand-outs keep their base there).
fn offline(args: &[&str], data: &Path) -> Output {
    Command::new("unshare")
        .arg("-n")
        .arg(env!("CARGO_BIN_EXE_missionboard"))
        .args(args)
        .env("XDG_DATA_HOME", data)
        .output()
        .expect(
            "unshare (Debian package util-linux) runs; this test needs root: run `bash .ci/run` as root, as CI does",
        )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_namespace_really_has_no_network() {
    let out = Command::new("unshare").args(["-n", "cat", "/proc/net/dev"]).output().unwrap();
    assert!(out.status.success(), "unshare -n must work here: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let interfaces: Vec<&str> = text.lines().skip(2).filter_map(|l| l.split(':').next()).map(str::trim).collect();
    assert_eq!(interfaces, vec!["lo"], "only a loopback interface, and it is down");
}

/// The subcommands `missionboard --help` lists (so a new command cannot be left out below).
fn commands() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_missionboard")).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = help.split("Commands:").nth(1).expect("--help lists the commands");
    let list = list.split("\n\n").next().unwrap_or_default();
    list.lines().filter_map(|l| l.split_whitespace().next()).filter(|c| *c != "help").map(str::to_owned).collect()
}

#[test]
fn every_command_works_offline() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("uk.mission.ron");
    std::fs::write(&map, missionboard::sample::UK_MISSIONS).unwrap();
    let d = |name: &str| dir.path().join(name);
    // A reading as a spreadsheet saves it.
    std::fs::write(d("readings.csv"), "card,indicator,date,value\ns4,Clean share of generation,2026-12-31,80.5\n")
        .unwrap();
    let s = |t: &str| t.to_owned();
    // Each run with the exit code it must give; in order, since later runs read what earlier wrote.
    let runs: Vec<(Vec<String>, i32)> = vec![
        (vec![s("check"), s(p(&map))], 0),
        (vec![s("check"), s(p(&map)), s("--format"), s("json")], 0),
        (vec![s("stats"), s(p(&map))], 0),
        (vec![s("report"), s(p(&map)), s("-o"), s(p(&d("r.md")))], 0),
        (vec![s("report"), s(p(&map)), s("-o"), s(p(&d("r.csv")))], 0),
        (vec![s("layout"), s(p(&map)), s("-o"), s(p(&d("laid.mission.ron")))], 0),
        (vec![s("export-csv"), s(p(&map)), s(p(&d("n.csv"))), s(p(&d("l.csv")))], 0),
        (vec![s("import"), s(p(&d("n.csv"))), s(p(&d("l.csv"))), s("-o"), s(p(&d("back.mission.ron")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.svg")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.png")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.pdf"))), s("--page"), s("a4-landscape")], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.json")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.mmd")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.dot")))], 0),
        (vec![s("export"), s(p(&map)), s("-o"), s(p(&d("m.xlsx")))], 0),
        (vec![s("import"), s(p(&d("m.xlsx"))), s("-o"), s(p(&d("xlsx.mission.ron")))], 0),
        // The laid-out map differs from the sample in its places: diff says so with exit 1.
        (vec![s("diff"), s(p(&map)), s(p(&d("laid.mission.ron")))], 1),
        (vec![s("diff"), s(p(&map)), s(p(&map)), s("--format"), s("json")], 0),
        (
            vec![
                s("merge"),
                s(p(&map)),
                s(p(&map)),
                s(p(&d("laid.mission.ron"))),
                s("-o"),
                s(p(&d("merged.mission.ron"))),
            ],
            0,
        ),
        (vec![s("resolve"), s(p(&d("merged.mission.ron"))), s("--keep"), s("ours")], 0),
        (vec![s("progress"), s(p(&map)), s("--on"), s("2026-11-29")], 0),
        (vec![s("money"), s(p(&map))], 0),
        (vec![s("money"), s(p(&map)), s("--format"), s("json"), s("--year"), s("2025-26")], 0),
        (vec![s("progress"), s(p(&map)), s("--format"), s("json"), s("--on"), s("2026-11-29")], 0),
        (vec![s("readings"), s(p(&map)), s(p(&d("readings.csv"))), s("-o"), s(p(&d("read.mission.ron")))], 0),
        (
            vec![
                s("pack"),
                s(p(&map)),
                s("-o"),
                s(p(&d("pack.pdf"))),
                s("--since"),
                s("Board meeting 3"),
                s("--on"),
                s("2026-11-29"),
            ],
            0,
        ),
        (vec![s("handout"), s(p(&map)), s("--copies"), s("2"), s("-o"), s(p(&d("copies")))], 0),
        (
            vec![
                s("grants"),
                s(p(&map)),
                s(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/360giving-libreoffice.csv")),
                s("-o"),
                s(p(&d("granted.mission.ron"))),
                s("--dry-run"),
            ],
            0,
        ),
        // Joining a live map needs the network: offline it says so and stops at once (exit 2).
        (vec![s("sync"), s(p(&d("synced.mission.ron"))), s("--from"), s("127.0.0.1:9"), s("--code"), s("ABCDEF")], 2),
    ];
    let tried: std::collections::BTreeSet<&str> = runs.iter().map(|(args, _)| args[0].as_str()).collect();
    // `serve` is the one command whose purpose is a socket (the room): it is tested on loopback
    // in tests/room.rs and opens nothing unless run.
    for command in commands().into_iter().filter(|c| c != "serve") {
        assert!(tried.contains(command.as_str()), "`{command}` is not run offline here: add it");
    }
    for (args, code) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = offline(&args, &d("data"));
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for f in [
        "r.md",
        "r.csv",
        "laid.mission.ron",
        "back.mission.ron",
        "m.svg",
        "m.png",
        "m.pdf",
        "m.json",
        "m.mmd",
        "m.dot",
        "m.xlsx",
        "xlsx.mission.ron",
        "merged.mission.ron",
        "read.mission.ron",
        "pack.pdf",
        "copies/uk (Group 1).mission.ron",
        "copies/uk (Group 2).mission.ron",
    ] {
        assert!(std::fs::metadata(d(f)).unwrap().len() > 100, "{f} was written");
    }
}
