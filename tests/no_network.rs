//! Never a network connection: every command of the binary works in a process whose network has
//! been cut off entirely (a new, empty network namespace with `unshare -n`, as root in CI).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::process::{Command, Output};

fn offline(args: &[&str]) -> Output {
    Command::new("unshare").arg("-n").arg(env!("CARGO_BIN_EXE_missionboard")).args(args).output().expect(
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

#[test]
fn every_command_works_offline() {
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("uk.mission.ron");
    std::fs::write(&map, missionboard::sample::UK_MISSIONS).unwrap();
    let d = |name: &str| dir.path().join(name);
    let runs: Vec<Vec<String>> = vec![
        vec!["check".into(), p(&map).into()],
        vec!["check".into(), p(&map).into(), "--format".into(), "json".into()],
        vec!["stats".into(), p(&map).into()],
        vec!["report".into(), p(&map).into(), "-o".into(), p(&d("r.md")).into()],
        vec!["report".into(), p(&map).into(), "-o".into(), p(&d("r.csv")).into()],
        vec!["layout".into(), p(&map).into(), "-o".into(), p(&d("laid.mission.ron")).into()],
        vec!["export-csv".into(), p(&map).into(), p(&d("n.csv")).into(), p(&d("l.csv")).into()],
        vec![
            "import".into(),
            p(&d("n.csv")).into(),
            p(&d("l.csv")).into(),
            "-o".into(),
            p(&d("back.mission.ron")).into(),
        ],
        vec!["export".into(), p(&map).into(), "-o".into(), p(&d("m.svg")).into()],
        vec!["export".into(), p(&map).into(), "-o".into(), p(&d("m.png")).into()],
        vec![
            "export".into(),
            p(&map).into(),
            "-o".into(),
            p(&d("m.pdf")).into(),
            "--page".into(),
            "a4-landscape".into(),
        ],
        vec!["export".into(), p(&map).into(), "-o".into(), p(&d("m.json")).into()],
        vec!["export".into(), p(&map).into(), "-o".into(), p(&d("m.mmd")).into()],
        vec!["export".into(), p(&map).into(), "-o".into(), p(&d("m.dot")).into()],
    ];
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = offline(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for f in
        ["r.md", "r.csv", "laid.mission.ron", "back.mission.ron", "m.svg", "m.png", "m.pdf", "m.json", "m.mmd", "m.dot"]
    {
        assert!(std::fs::metadata(d(f)).unwrap().len() > 100, "{f} was written");
    }
}
