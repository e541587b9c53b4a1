//! The command line, run as a user would: every command and every exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers outside #[test] functions may panic")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use missionboard::model::NodeId;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_missionboard"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn sample(dir: &Path) -> PathBuf {
    let p = dir.join("uk.mission.ron");
    std::fs::write(&p, missionboard::sample::UK_MISSIONS).unwrap();
    p
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn check_the_sample_tells_what_is_weak_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample(dir.path());
    let out = run(&["check", p(&f)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains("79 cards, 124 links: 0 errors, 2 warnings"), "{s}");
    assert!(s.contains("“Take back our streets” that names a lead department is led by Home Office"), "{s}");
    assert!(s.contains("what to do:"), "{s}");
    let out = run(&["check", p(&f), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["readable"], true);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["check"], "single-department");
    assert_eq!(findings[0]["cards"][0]["title"], "Take back our streets");
}

#[test]
fn check_exits_1_on_an_error_level_finding_unless_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("m.mission.ron");
    std::fs::write(&f, "(version: 1, title: \"t\", nodes: [(id: \"m1\", title: \"Clean power\", kind: Mission())])")
        .unwrap();
    let out = run(&["check", p(&f)]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let s = text(&out.stdout);
    assert!(s.contains("error: Mission “Clean power” has no deadline"), "{s}");
    // Dismissed in the file: no longer counts.
    std::fs::write(
        &f,
        "(version: 1, title: \"t\", nodes: [(id: \"m1\", title: \"Clean power\", kind: Mission())], dismissed: [(finding: \"no-deadline:m1\", reason: \"set in May\"), (finding: \"no-measurable-target:m1\", reason: \"set in May\")])",
    )
    .unwrap();
    let out = run(&["check", p(&f)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("dismissed: Mission “Clean power” has no deadline"));
}

#[test]
fn report_writes_markdown_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample(dir.path());
    let md = dir.path().join("report.md");
    let out = run(&["report", p(&f), "-o", p(&md)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = std::fs::read_to_string(&md).unwrap();
    assert!(s.contains("## Make Britain a clean energy superpower"), "{s}");
    assert!(s.contains("| Instrument | Interventions | Budget (shared) |"), "{s}");
    assert!(s.contains("## Mission × lead department"), "{s}");
    let csv = dir.path().join("report.csv");
    let out = run(&["report", p(&f), "-o", p(&csv)]);
    assert_eq!(out.status.code(), Some(0));
    let s = std::fs::read_to_string(&csv).unwrap();
    assert!(s.starts_with("\u{feff}mission_id,mission,dimension,value,cards,budget\r\n"), "{s}");
    assert!(s.contains(",instrument,"), "{s}");
    let out = run(&["report", p(&f), "-o", p(&dir.path().join("report.docx"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("use a name ending in .md"));
}

#[test]
fn check_a_broken_map_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.mission.ron");
    let good = missionboard::sample::UK_MISSIONS.replacen("from: \"s1\"", "from: \"s99\"", 1);
    std::fs::write(&f, good).unwrap();
    let out = run(&["check", p(&f)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.mission.ron: line "), "{err}");
    assert!(err.contains("points to card \"s99\", which does not exist"), "{err}");
    let out = run(&["check", p(&dir.path().join("nothing.mission.ron"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("there is no file at that place"));
    let out = run(&["check", p(&f), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["readable"], false);
}

#[test]
fn stats_counts_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["stats", p(&sample(dir.path()))]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("cards: 79"), "{s}");
    assert!(s.contains("mission        5"), "{s}");
    assert!(s.contains("contributes-to"), "{s}");
}

#[test]
fn import_reads_an_excel_csv_and_export_csv_writes_one() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes.csv");
    let links = dir.path().join("links.csv");
    std::fs::write(&nodes, "\u{feff}id;kind;title\r\nm1;Mission;\"Clean power; by 2030\"\r\no1;Objective;Grid\r\np1;Partner organisation;Ofgem\r\ni1;intervention;Reform\r\n").unwrap();
    std::fs::write(
        &links,
        "\u{feff}from;to;kind\r\no1;m1;contributes-to\r\ni1;o1;Contributes To\r\np1;i1;delivers\r\n",
    )
    .unwrap();
    let out_file = dir.path().join("imported.mission.ron");
    let out = run(&["import", p(&nodes), p(&links), "-o", p(&out_file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let map = missionboard::io::load_path(&out_file).unwrap().map;
    assert_eq!((map.node_count(), map.link_count()), (4, 3));
    assert_eq!(map.meta.title, "imported");

    let (n2, l2) = (dir.path().join("n2.csv"), dir.path().join("l2.csv"));
    let out = run(&["export-csv", p(&out_file), p(&n2), p(&l2)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&n2).unwrap().contains("Clean power; by 2030"));
}

#[test]
fn import_of_bad_csv_exits_2_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes.csv");
    let links = dir.path().join("links.csv");
    std::fs::write(&nodes, "id,kind,title\nm1,mission,A\ni1,gadget,B\n").unwrap();
    std::fs::write(&links, "from,to,kind\n").unwrap();
    let out = run(&["import", p(&nodes), p(&links), "-o", p(&dir.path().join("o.mission.ron"))]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("nodes.csv, line 3, column 2 (kind): \"gadget\" is not a kind of card"), "{err}");
    assert!(!dir.path().join("o.mission.ron").exists(), "nothing is written on failure");
}

#[test]
fn export_json_has_centres_and_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("map.json");
    let out = run(&["export", p(&sample(dir.path())), "-o", p(&out_file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 79);
    for key in ["id", "kind", "title", "x", "y", "width", "height"] {
        assert!(nodes[0].get(key).is_some(), "missing {key}");
    }
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), 124);
    for key in ["from", "to", "kind"] {
        assert!(links[0].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn export_to_an_unknown_extension_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["export", p(&sample(dir.path())), "-o", p(&dir.path().join("map.xyz"))]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(".png, .svg, .pdf, .mmd, .dot, .json"), "{err}");
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(run(&["check"]).status.code(), Some(2));
    assert_eq!(run(&["stats", "a", "b"]).status.code(), Some(2));
    assert_eq!(run(&["import", "x.csv"]).status.code(), Some(2));
    assert_eq!(run(&["--help"]).status.code(), Some(0));
}

#[test]
fn writing_to_a_missing_folder_exits_2_with_a_plain_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["export", p(&sample(dir.path())), "-o", p(&dir.path().join("no/such/map.json"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("folder does not exist"), "{}", text(&out.stderr));
}

#[test]
fn export_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample(dir.path());
    for (ext, magic) in
        [("png", &b"\x89PNG"[..]), ("svg", b"<svg"), ("pdf", b"%PDF"), ("mmd", b"flowchart"), ("dot", b"digraph")]
    {
        let out_file = dir.path().join(format!("map.{ext}"));
        let out = run(&["export", p(&f), "-o", p(&out_file), "--scale", "1"]);
        assert_eq!(out.status.code(), Some(0), "{ext}: {}", text(&out.stderr));
        let bytes = std::fs::read(&out_file).unwrap();
        assert!(bytes.starts_with(magic), "{ext}");
    }
    let out = run(&["export", p(&f), "-o", p(&dir.path().join("m2.svg")), "--mission", "m2", "--theme", "dark"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(dir.path().join("m2.svg")).unwrap();
    assert!(
        svg.contains("Make Britain a clean energy superpower") && !svg.contains("Kickstart economic growth</tspan>")
    );
    assert!(svg.contains("fill=\"#1B1B1F\""), "the dark theme's background");
    let out = run(&["export", p(&f), "-o", p(&dir.path().join("hc.svg")), "--theme", "high-contrast"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(dir.path().join("hc.svg")).unwrap();
    assert!(svg.contains("stroke=\"#0B3D91\"") && svg.contains("fill=\"#000000\""), "deep blue outlines, black text");
    let out = run(&["export", p(&f), "-o", p(&dir.path().join("x.svg")), "--theme", "sepia"]);
    assert_eq!(out.status.code(), Some(2), "an unknown theme is refused");
    assert!(text(&out.stderr).contains("high-contrast"), "and the choices are named: {}", text(&out.stderr));
    let out = run(&["export", p(&f), "-o", p(&dir.path().join("x.svg")), "--mission", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("there is no mission with id \"nope\""));
    let out = run(&["export", p(&f), "-o", p(&dir.path().join("x.pdf")), "--page", "a4-landscape"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn layout_bands_keeps_one_band_per_kind_on_a_large_map() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.mission.ron");
    let map = missionboard::sample::generate::map(400, 8);
    std::fs::write(&f, missionboard::io::format::to_string(&map)).unwrap();
    let levels = |args: &[&str]| -> usize {
        let out_file = dir.path().join("laid.mission.ron");
        let mut all = vec!["layout", p(&f), "-o", p(&out_file), "--target", "wide"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let laid = missionboard::io::format::load_path(&out_file).unwrap().map;
        let mut ys: Vec<i64> = laid.nodes_with_placement().map(|(_, pl)| pl.y.round() as i64).collect();
        ys.sort_unstable();
        ys.dedup();
        ys.len()
    };
    assert!(levels(&[]) > 4, "by default the rows that keep links shortest");
    assert_eq!(levels(&["--bands"]), 4, "--bands: missions, sub-missions, interventions, partners");
}

#[test]
fn layout_fills_the_target_and_export_prints_a_page_per_mission() {
    let dir = tempfile::tempdir().unwrap();
    let f = sample(dir.path());
    let aspect = |args: &[&str]| -> f32 {
        let out_file = dir.path().join("laid.mission.ron");
        let mut all = vec!["layout", p(&f), "-o", p(&out_file), "--stats"];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stats = text(&out.stdout);
        let size = stats.lines().find_map(|l| l.strip_prefix("size: ")).unwrap();
        let (w, h) = size.split_once(" x ").unwrap();
        w.parse::<f32>().unwrap() / h.parse::<f32>().unwrap()
    };
    let wide = aspect(&["--target", "wide"]);
    let screen = aspect(&[]);
    let portrait = aspect(&["--target", "a3-portrait", "--compact", "--by-mission"]);
    assert!(wide > 3.0, "one row per band: {wide}");
    assert!((1.2..2.4).contains(&screen), "16:9 screen: {screen}");
    assert!(portrait < 1.0, "A3 portrait: {portrait}");
    let out = run(&["layout", p(&f), "-o", p(&dir.path().join("x.ron")), "--target", "poster"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a3-landscape"), "{}", text(&out.stderr));

    let pdf = dir.path().join("pages.pdf");
    let out = run(&["export", p(&f), "-o", p(&pdf), "--page", "a3-landscape", "--per-mission"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    // One media box per page: the overview and the sample's five missions.
    let pages = bytes.windows(9).filter(|w| w == b"/MediaBox").count();
    assert_eq!(pages, 6, "the overview and a page per mission");
}

#[test]
fn reading_commands_leave_the_file_alone() {
    // A map as a Windows editor leaves it (byte-order mark, CRLF), an hour old: any rewrite or
    // touch of the input, even a "harmless" normalisation, shows in its bytes or its time.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("board.mission.ron");
    let bytes = format!("\u{feff}{}", missionboard::sample::UK_MISSIONS.replace('\n', "\r\n")).into_bytes();
    std::fs::write(&f, &bytes).unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
    std::fs::File::options().write(true).open(&f).unwrap().set_modified(hour_ago).unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let o = |name: &str| out_dir.path().join(name).to_string_lossy().into_owned();
    let commands: Vec<Vec<String>> = vec![
        vec!["check".into()],
        vec!["check".into(), "--format".into(), "json".into()],
        vec!["stats".into()],
        vec!["report".into(), "-o".into(), o("r.md")],
        vec!["export".into(), "-o".into(), o("e.svg")],
        vec!["export-csv".into(), o("n.csv"), o("l.csv")],
        vec!["layout".into(), "-o".into(), o("laid.mission.ron")],
    ];
    for args in commands {
        let mut cmd = bin();
        cmd.arg(&args[0]).arg(&f).args(&args[1..]);
        let out = cmd.output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", text(&out.stderr));
        assert_eq!(std::fs::read(&f).unwrap(), bytes, "{args:?} changed the file");
        assert_eq!(std::fs::metadata(&f).unwrap().modified().unwrap(), hour_ago, "{args:?} touched the file");
        let beside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(beside.len(), 1, "{args:?} left files beside the map: {beside:?}");
    }
}

/// A copy of the sample with `edit` made to its text.
fn edited(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, edit(missionboard::sample::UK_MISSIONS.to_owned())).unwrap();
    p
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

#[test]
fn diff_exits_0_when_the_same_1_when_different_2_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample(dir.path());
    let b =
        edited(dir.path(), "b.mission.ron", |t| t.replacen("\"New towns programme\"", "\"New towns: 12 sites\"", 1));
    let out = run(&["diff", p(&a), p(&a)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains(": the same"), "{}", text(&out.stdout));
    let out = run(&["diff", p(&a), p(&b)]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("cards: 1 changed"), "{stdout}");
    assert!(
        stdout.contains("title \u{201c}New towns programme\u{201d} \u{2192} \u{201c}New towns: 12 sites\u{201d}"),
        "old → new: {stdout}"
    );
    let out = run(&["diff", p(&a), p(&b), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    for key in ["added", "removed", "changed", "links_added", "links_removed", "links_changed"] {
        assert!(v[key].is_array(), "{key} in {v}");
    }
    assert_eq!(v["changed"][0]["id"], "i4");
    assert_eq!(v["changed"][0]["fields"], serde_json::json!(["title"]));
    assert_eq!(v["changed"][0]["old"]["title"], "New towns programme");
    assert_eq!(v["changed"][0]["new"]["title"], "New towns: 12 sites");
    for key in ["links_added", "links_removed", "links_changed"] {
        assert_eq!(v[key], serde_json::json!([]), "only a card changed: {key} in {v}");
    }
    // Links: one with new evidence and rationale, one gone, one new.
    let mut m = missionboard::io::load_path(&a).unwrap().map;
    let l41 = missionboard::model::LinkId::new("l41").unwrap();
    let mut link = m.link(&l41).unwrap().clone();
    link.evidence = missionboard::model::Evidence::Strong;
    "Evaluated in 2026.".clone_into(&mut link.rationale);
    m.replace_link(link).unwrap();
    m.remove_link(&missionboard::model::LinkId::new("l42").unwrap()).unwrap();
    let ids = |kind| m.nodes().filter(|n| n.kind() == kind).map(|n| n.id.clone()).collect::<Vec<_>>();
    let (interventions, subs) =
        (ids(missionboard::model::Kind::Intervention), ids(missionboard::model::Kind::SubMission));
    let added = interventions
        .iter()
        .flat_map(|i| subs.iter().map(move |s| (i, s)))
        .find_map(|(i, s)| m.connect(i, s, missionboard::model::LinkKind::ContributesTo).ok())
        .unwrap();
    let c = dir.path().join("c.mission.ron");
    missionboard::io::save_path(&m, &c).unwrap();
    let out = run(&["diff", p(&a), p(&c), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["links_added"], serde_json::json!([added.to_string()]), "{v}");
    assert_eq!(v["links_removed"], serde_json::json!(["l42"]), "{v}");
    let changed = v["links_changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{v}");
    assert_eq!((changed[0]["id"].as_str(), changed[0]["kind"].as_str()), (Some("l41"), Some("link")));
    let mut fields: Vec<&str> = changed[0]["fields"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["evidence", "rationale"], "{v}");
    assert_eq!(changed[0]["old"]["evidence"], "Moderate");
    assert_eq!(changed[0]["new"]["evidence"], "Strong");
    assert_eq!(changed[0]["new"]["rationale"], "Evaluated in 2026.");
    assert_eq!(v["changed"], serde_json::json!([]), "no card changed: {v}");
    let out = run(&["diff", p(&a), p(&c)]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains(&format!("+ link {added} ")), "{stdout}");
    assert!(stdout.contains("- link l42 "), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("~ ") && l.contains("Strong")), "{stdout}");
    let broken = edited(dir.path(), "broken.mission.ron", |t| t.replacen("title:", "titel:", 1));
    let out = run(&["diff", p(&a), p(&broken)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("line 3"), "{}", text(&out.stderr));
}

#[test]
fn merge_takes_both_sides_lists_conflicts_and_exits_1_only_with_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample(dir.path());
    let ours =
        edited(dir.path(), "ours.mission.ron", |t| t.replacen("\"New towns programme\"", "\"New towns (ours)\"", 1));
    let theirs = edited(dir.path(), "theirs.mission.ron", |t| {
        t.replacen("\"National Wealth Fund investment\"", "\"National Wealth Fund: £27.8bn\"", 1)
    });
    let out_path = dir.path().join("merged.mission.ron");
    let out = run(&["merge", p(&base), p(&ours), p(&theirs), "-o", p(&out_path)]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let merged = missionboard::io::load_path(&out_path).unwrap().map;
    let title = |id: &str| merged.node(&NodeId::new(id).unwrap()).unwrap().title.clone();
    assert_eq!(title("i4"), "New towns (ours)");
    assert_eq!(title("i1"), "National Wealth Fund: £27.8bn");

    let clash =
        edited(dir.path(), "clash.mission.ron", |t| t.replacen("\"New towns programme\"", "\"New towns (theirs)\"", 1));
    let out = run(&["merge", p(&base), p(&ours), p(&clash), "-o", p(&out_path), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["conflicts"].as_array().unwrap().len(), 1, "{v}");
    let c = &v["conflicts"][0];
    assert_eq!((c["id"].as_str(), c["field"].as_str()), (Some("i4"), Some("title")));
    assert_eq!((c["ours"].as_str(), c["theirs"].as_str()), (Some("New towns (ours)"), Some("New towns (theirs)")));
    assert_eq!(c["kept"], "ours");
    assert!(v["dropped_links"].is_array() && v["renamed"].is_array());
    let written = missionboard::io::load_path(&out_path).unwrap().map;
    assert_eq!(written.node(&NodeId::new("i4").unwrap()).unwrap().title, "New towns (ours)", "conflicts keep ours");

    let out = run(&["merge", p(&base), p(&ours), p(&dir.path().join("missing.mission.ron")), "-o", p(&out_path)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn handed_out_copies_merge_back_without_naming_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let board = sample(dir.path());
    let data = dir.path().join("data");
    let out = bin().args(["handout", p(&board), "--copies", "2"]).env("XDG_DATA_HOME", &data).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let copies = dir.path().join("uk copies");
    let group = |n: u32| copies.join(format!("uk (Group {n}).mission.ron"));
    assert!(group(1).exists() && group(2).exists(), "{}", text(&out.stdout));
    assert!(std::fs::read_dir(data.join("missionboard/handouts")).unwrap().count() == 1, "the base is kept");
    // Refuses to overwrite.
    let again = bin().args(["handout", p(&board), "--copies", "2"]).env("XDG_DATA_HOME", &data).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists; nothing was written"));
}

/// The git merge driver on a real repository: two branches each edit a different card, then the same card.
#[test]
fn the_git_merge_driver_merges_maps_and_reports_conflicts() {
    assert!(
        Command::new("git").arg("--version").output().is_ok(),
        "git is needed for this test: apt-get install git, or run `bash .ci/run`"
    );
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .unwrap();
        (out.status.code(), format!("{}{}", text(&out.stdout), text(&out.stderr)))
    };
    assert_eq!(git(&["init", "-q", "-b", "main"]).0, Some(0));
    let driver = format!("{} merge %O %A %B -o %A --name %P", env!("CARGO_BIN_EXE_missionboard"));
    git(&["config", "merge.missionboard.name", "Missionboard map merge"]);
    git(&["config", "merge.missionboard.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.mission.ron merge=missionboard\n").unwrap();
    let map = repo.join("board.mission.ron");
    let write = |edit: &dyn Fn(String) -> String| {
        std::fs::write(&map, edit(missionboard::sample::UK_MISSIONS.to_owned())).unwrap();
    };
    write(&|t| t);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "group"]);
    write(&|t| t.replacen("\"National Wealth Fund investment\"", "\"NWF (group)\"", 1));
    git(&["commit", "-q", "-am", "group retitles i1"]);
    git(&["checkout", "-q", "main"]);
    // The next line to the title: git alone would call this a conflict; the driver merges by field.
    write(&|t| t.replacen("Crowd in private investment", "Crowd in £3 of private money per £1 of", 1));
    git(&["commit", "-q", "-am", "main redescribes i1"]);
    let (code, out) = git(&["merge", "-q", "--no-edit", "group"]);
    assert_eq!(code, Some(0), "{out}");
    let merged = missionboard::io::load_path(&map).unwrap().map;
    let i1 = merged.node(&NodeId::new("i1").unwrap()).unwrap();
    assert_eq!(i1.title, "NWF (group)");
    assert!(i1.description.starts_with("Crowd in £3 of private money"), "{}", i1.description);
    // Without the driver, git's line merge finds these two edits conflicting.
    let base_text = missionboard::sample::UK_MISSIONS;
    std::fs::write(repo.join("o.txt"), base_text).unwrap();
    std::fs::write(
        repo.join("a.txt"),
        base_text.replacen("Crowd in private investment", "Crowd in £3 of private money per £1 of", 1),
    )
    .unwrap();
    std::fs::write(repo.join("b.txt"), base_text.replacen("\"National Wealth Fund investment\"", "\"NWF (group)\"", 1))
        .unwrap();
    let (code, _) = git(&["merge-file", "--stdout", "a.txt", "o.txt", "b.txt"]);
    assert_eq!(code, Some(1), "one conflict for git alone");
    for f in ["o.txt", "a.txt", "b.txt"] {
        std::fs::remove_file(repo.join(f)).unwrap();
    }
    // Both change the same title: git reports a conflict, the driver names it, and the file is a
    // valid map holding ours.
    git(&["checkout", "-q", "group"]);
    write(&|t| t.replacen("\"Planning and Infrastructure Act reforms\"", "\"Planning (group)\"", 1));
    git(&["commit", "-q", "-am", "group edits i2"]);
    git(&["checkout", "-q", "main"]);
    let main_text = std::fs::read_to_string(&map).unwrap().replacen(
        "\"Planning and Infrastructure Act reforms\"",
        "\"Planning (main)\"",
        1,
    );
    std::fs::write(&map, main_text).unwrap();
    git(&["commit", "-q", "-am", "main edits i2"]);
    let (code, out) = git(&["merge", "--no-edit", "group"]);
    assert_ne!(code, Some(0), "a conflict stops the merge: {out}");
    assert!(
        out.contains("board.mission.ron: conflict: card"),
        "the driver names the conflict and the real file: {out}"
    );
    assert!(!out.contains(".merge_file_"), "not git's temporary file: {out}");
    let after = missionboard::io::load_path(&map).unwrap().map;
    assert_eq!(after.node(&NodeId::new("i2").unwrap()).unwrap().title, "Planning (main)");
    // The conflict travels with the file: adding it as it is cannot pass the check.
    assert_eq!(after.unresolved.len(), 1);
    let check = run(&["check", p(&map)]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    let settle = run(&["resolve", p(&map), "--keep", "ours"]);
    assert_eq!(settle.status.code(), Some(0), "{}", text(&settle.stderr));
    assert_eq!(run(&["check", p(&map)]).status.code(), Some(0));
}

#[test]
fn progress_reports_each_indicator_and_mission_with_the_fixed_json_keys() {
    let dir = tempfile::tempdir().unwrap();
    let map = sample(dir.path());
    let out = run(&["progress", p(&map), "--format", "json", "--on", "2026-11-29"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let statuses = ["on-track", "at-risk", "off-track", "no-data", "met", "missed"];
    let inds = v["indicators"].as_array().unwrap();
    assert!(inds.len() >= 15, "{v}");
    for i in inds {
        for key in ["card", "indicator", "last_date", "last_value", "expected", "progress", "status", "stale"] {
            assert!(i.get(key).is_some(), "{key} missing in {i}");
        }
        assert!(statuses.contains(&i["status"].as_str().unwrap()), "{i}");
        assert!(i["stale"].is_boolean(), "{i}");
    }
    let missions = v["missions"].as_array().unwrap();
    assert_eq!(missions.len(), 5);
    let m2 = missions.iter().find(|m| m["id"] == "m2").unwrap();
    assert_eq!(m2["status"], "off-track");
    assert_eq!(m2["driver"], "s4: Clean share of generation");
    for m in missions {
        for key in ["id", "status", "driver", "stale", "measured", "no_data"] {
            assert!(m.get(key).is_some(), "{key} missing in {m}");
        }
    }
    // Every status before the deadlines shows up in the sample, and a stale one, so a new user sees
    // what each looks like.
    for s in ["on-track", "at-risk", "off-track", "no-data"] {
        assert!(inds.iter().any(|i| i["status"] == s), "no {s} indicator in the sample");
    }
    assert!(inds.iter().any(|i| i["stale"] == true && i["status"] == "on-track"), "a stale figure keeps its status");
    // As of a day before any reading, nothing is known yet.
    let early = json(&run(&["progress", p(&map), "--format", "json", "--on", "2024-08-01"]));
    assert!(early["missions"].as_array().unwrap().iter().all(|m| m["status"] == "no-data"), "{early}");
    let bad = run(&["progress", p(&map), "--on", "31/11/2026"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn progress_on_the_sample_does_not_hide_bad_news() {
    let dir = tempfile::tempdir().unwrap();
    let map = sample(dir.path());
    // After the last readings, every mission is overdue: stale beside its status, never instead of it,
    // and a missed deadline reads missed.
    let v = json(&run(&["progress", p(&map), "--format", "json", "--on", "2029-02-01"]));
    let missions = v["missions"].as_array().unwrap();
    for m in missions {
        assert_eq!(m["stale"], true, "{m}");
        assert_ne!(m["status"], "no-data", "a stale figure keeps its status: {m}");
    }
    let status = |id: &str| missions.iter().find(|m| m["id"] == id).unwrap()["status"].clone();
    assert_eq!(status("m2"), "off-track", "the clean power figure was off track when last read");
    assert_eq!(status("m4"), "missed", "the school-readiness deadline (2028-08-31) has passed");
    let out = run(&["progress", p(&map), "--on", "2029-02-01"]);
    let s = text(&out.stdout);
    assert!(s.contains("Make Britain a clean energy superpower: Off track (stale: last reading 2026-09-30)"), "{s}");
    // An indicator without readings does not hide a mission's own target, on track.
    let v = json(&run(&["progress", p(&map), "--format", "json", "--on", "2026-12-05"]));
    let nhs = v["missions"].as_array().unwrap().iter().find(|m| m["id"] == "m5").unwrap().clone();
    assert_eq!(nhs["status"], "on-track", "{nhs}");
    assert_eq!((nhs["measured"].as_u64(), nhs["no_data"].as_u64()), (Some(1), Some(2)), "{nhs}");
    let s = text(&run(&["progress", p(&map), "--on", "2026-12-05"]).stdout);
    assert!(s.contains("Build an NHS fit for the future: On track"), "{s}");
    assert!(s.contains("2 of 3 indicators have no readings"), "{s}");
}

#[test]
fn readings_come_in_from_an_excel_csv_and_bad_rows_are_all_named() {
    let dir = tempfile::tempdir().unwrap();
    let map = sample(dir.path());
    let out_path = dir.path().join("out.mission.ron");
    // Excel in a European locale: BOM, semicolons, decimal commas, CRLF.
    let good = dir.path().join("readings.csv");
    std::fs::write(
        &good,
        "\u{feff}card;indicator;date;value;note\r\ns4;Clean share of generation;31/12/2026;80,5;Q4 estimate\r\nm5;target;2026-12-31;77\r\n",
    )
    .unwrap();
    let out = run(&["readings", p(&map), p(&good), "-o", p(&out_path)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 readings added"), "{}", text(&out.stdout));
    let v = json(&run(&["progress", p(&out_path), "--format", "json", "--on", "2027-01-15"]));
    let s4 =
        v["indicators"].as_array().unwrap().iter().find(|i| i["indicator"] == "Clean share of generation").unwrap();
    assert_eq!((s4["last_date"].as_str(), s4["last_value"].as_f64()), (Some("2026-12-31"), Some(80.5)));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "card,indicator,date,value\ns4,Clean share of generation,2026-12-31,80\nzz9,target,2026-12-31,1\ns4,Wind,2026-12-31,1\ns4,Clean share of generation,next week,1\nm5,target,2026-12-31,lots\ni1,target,2026-12-31,1\n",
    )
    .unwrap();
    let gone = dir.path().join("never.mission.ron");
    let out = run(&["readings", p(&map), p(&bad), "-o", p(&gone)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for expected in [
        "bad.csv, line 3, column 1 (card): there is no card \"zz9\" in the map",
        "line 4, column 2 (indicator): no indicator \"Wind\" on this card; it has \"Clean share of generation\"",
        "line 5, column 3 (date): \"next week\" is not a date",
        "line 6, column 4 (value): \"lots\" is not a number",
        "line 7, column 2 (indicator): only sub-missions (their indicators) and missions (their target) take readings",
        "nothing was written",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!gone.exists(), "nothing is written when any row is bad");
    let out = run(&["readings", p(&map), p(&dir.path().join("nope.csv")), "-o", p(&gone)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_format_1_file_opens_unchanged_and_saves_as_format_1() {
    let v1 =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/load_ron/uk-missions.mission.ron"))
            .unwrap();
    assert!(v1.starts_with("(\n    version: 1,"));
    let map = missionboard::io::load_str(&v1).unwrap().map;
    assert_eq!(missionboard::io::to_string(&map), v1, "the same bytes back");
}

#[test]
fn pack_writes_an_a4_pdf_and_names_the_sessions_when_one_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let map = sample(dir.path());
    let pdf = dir.path().join("pack.pdf");
    let out = run(&["pack", p(&map), "-o", p(&pdf), "--since", "Board meeting 3", "--on", "2026-11-29"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Every page is A4 portrait (595 × 842 points): poppler's pdfinfo, page by page.
    let info = Command::new("pdfinfo").args(["-f", "1", "-l", "99"]).arg(&pdf).output().unwrap_or_else(|e| {
        panic!("pdfinfo is needed to read the pack's page sizes ({e}): apt-get install poppler-utils, or run `bash .ci/run`")
    });
    let info = text(&info.stdout);
    let sizes: Vec<&str> = info.lines().filter(|l| l.starts_with("Page ") && l.contains(" size: ")).collect();
    assert_eq!(sizes.len(), 7, "cover, overview and five missions: {info}");
    for line in sizes {
        let (w, h) = line.split(" size: ").nth(1).and_then(|s| s.split_once(" x ")).unwrap();
        let (w, h): (f64, f64) = (w.trim().parse().unwrap(), h.split_whitespace().next().unwrap().parse().unwrap());
        assert!((w - 595.276).abs() < 0.5 && (h - 841.89).abs() < 0.5, "not A4 portrait: {line}");
    }
    let out = run(&["pack", p(&map), "-o", p(&dir.path().join("x.pdf")), "--since", "Meeting 9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("there is no session called \"Meeting 9\""), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("the sessions are: Board meeting 3"));
    assert!(!dir.path().join("x.pdf").exists());
}

#[test]
fn an_excel_workbook_exports_and_imports_with_both_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let map = sample(dir.path());
    let book = dir.path().join("uk.xlsx");
    let out = run(&["export", p(&map), "-o", p(&book)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    let back = dir.path().join("back.mission.ron");
    let out = run(&["import", p(&book), "-o", p(&back)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let (a, b) = (missionboard::io::load_path(&map).unwrap().map, missionboard::io::load_path(&back).unwrap().map);
    assert_eq!((a.node_count(), a.link_count()), (b.node_count(), b.link_count()));
    // One CSV file without the other is a usage problem, said plainly.
    let out = run(&["import", p(&dir.path().join("nodes.csv")), "-o", p(&back)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give the links file too"), "{}", text(&out.stderr));
}

/// Two missions; i1 serves both (evenly), i2 only the second; s3 has only planned money.
const MONEY_MAP: &str = r#"(version: 3, title: "Money", nodes: [
    (id: "m1", title: "Growth", kind: Mission()),
    (id: "m2", title: "Clean power", kind: Mission()),
    (id: "s1", title: "Investment", kind: SubMission()),
    (id: "s2", title: "Grid", kind: SubMission()),
    (id: "s3", title: "Skills", kind: SubMission()),
    (id: "i1", title: "Wealth fund", kind: Intervention(budget_lines: [
        (id: "a", amount: 100.0, year: Some("2025-26"), status: Committed, source: "HM Treasury"),
        (id: "b", amount: 40.0, currency: "eur", year: Some("2026"), status: Spent),
    ])),
    (id: "i2", title: "Grid upgrade", kind: Intervention(budget: Some((amount: 10.0, period: "per year")))),
    (id: "i3", title: "Skills bootcamps", kind: Intervention(budget_lines: [(amount: 6.0, year: Some("2026-27"))])),
], links: [
    (id: "l1", from: "s1", to: "m1", kind: ContributesTo),
    (id: "l2", from: "s2", to: "m2", kind: ContributesTo),
    (id: "l3", from: "s3", to: "m1", kind: ContributesTo),
    (id: "l4", from: "i1", to: "s1", kind: ContributesTo),
    (id: "l5", from: "i1", to: "s2", kind: ContributesTo),
    (id: "l6", from: "i2", to: "s2", kind: ContributesTo),
    (id: "l7", from: "i3", to: "s3", kind: ContributesTo),
])"#;

#[test]
fn money_rolls_lines_up_to_missions_with_the_fixed_json_keys() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    std::fs::write(&f, MONEY_MAP).unwrap();
    let out = run(&["money", p(&f), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&v), ["interventions", "missions"]);
    let m1 = &v["missions"][0];
    assert_eq!(keys(m1), ["by_status", "by_year", "id", "title", "total", "unfunded"]);
    assert_eq!(m1["id"], "m1");
    assert_eq!(m1["title"], "Growth");
    // i1 serves both missions evenly: half of 100 GBP and half of 40 EUR; i3's 6 GBP is planned.
    assert_eq!(m1["total"], serde_json::json!({"GBP": 56.0, "EUR": 20.0}));
    assert_eq!(m1["by_year"]["2025-26"], serde_json::json!({"GBP": 50.0}));
    assert_eq!(m1["by_year"]["2026"], serde_json::json!({"EUR": 20.0}));
    assert_eq!(m1["by_year"]["2026-27"], serde_json::json!({"GBP": 6.0}));
    assert_eq!(keys(&m1["by_status"]), ["committed", "planned", "spent"]);
    assert_eq!(m1["by_status"]["committed"], serde_json::json!({"GBP": 50.0}));
    assert_eq!(m1["by_status"]["spent"], serde_json::json!({"EUR": 20.0}));
    assert_eq!(m1["by_status"]["planned"], serde_json::json!({"GBP": 6.0}));
    assert_eq!(m1["unfunded"], serde_json::json!(["s3"]), "s3 has only planned money");
    let m2 = &v["missions"][1];
    assert_eq!(m2["total"], serde_json::json!({"GBP": 60.0, "EUR": 20.0}), "i2's old budget counts as planned");
    assert_eq!(m2["unfunded"], serde_json::json!([]));
    let i1 = &v["interventions"][0];
    assert_eq!(keys(i1), ["id", "lines"]);
    assert_eq!(keys(&i1["lines"][0]), ["amount", "currency", "id", "source", "status", "year"]);
    assert_eq!(i1["lines"][0]["year"], "2025-26");
    assert_eq!(i1["lines"][1]["currency"], "EUR", "written in capitals");
    assert_eq!(i1["lines"][1]["status"], "spent");
    assert_eq!(v["interventions"][1]["lines"][0]["id"], "budget");

    let in_2026 = run(&["money", p(&f), "--format", "json", "--year", "2026"]);
    let v: serde_json::Value = serde_json::from_slice(&in_2026.stdout).unwrap();
    assert_eq!(v["missions"][0]["total"], serde_json::json!({"EUR": 20.0}));
    let text_out = text(&run(&["money", p(&f)]).stdout);
    assert!(text_out.contains("split evenly"), "{text_out}");
    let bad = run(&["money", p(&f), "--year", "26"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("financial year such as 2025-26"), "{}", text(&bad.stderr));
}

#[test]
fn money_as_csv_has_one_row_per_mission_year_status_and_currency() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    std::fs::write(&f, MONEY_MAP).unwrap();
    let out = run(&["money", p(&f), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "mission,title,year,status,currency,amount");
    assert_eq!(
        rows[1..].iter().filter(|r| r.starts_with("m1,")).copied().collect::<Vec<_>>(),
        ["m1,Growth,2025-26,committed,GBP,50", "m1,Growth,2026,spent,EUR,20", "m1,Growth,2026-27,planned,GBP,6"]
    );
    assert!(rows.contains(&"m2,Clean power,no year,planned,GBP,10"), "{csv}");
}

#[test]
fn money_move_compares_every_mission_before_and_after_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    std::fs::write(&f, MONEY_MAP).unwrap();
    // 30 of i1's committed GBP to i3. i1 serves both missions evenly: each loses 15; i3 serves
    // m1 only: m1 = 56 - 15 + 30 = 71, m2 = 60 - 15 = 45. s3 now has committed money.
    let out = run(&["money", p(&f), "--move", "30:i1->i3", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["missions"][0]["before"], serde_json::json!({"GBP": 56.0, "EUR": 20.0}));
    assert_eq!(v["missions"][0]["after"], serde_json::json!({"GBP": 71.0, "EUR": 20.0}));
    assert_eq!(v["missions"][1]["after"], serde_json::json!({"GBP": 45.0, "EUR": 20.0}));
    assert_eq!(v["missions"][0]["unfunded_before"], serde_json::json!(["s3"]));
    assert_eq!(v["missions"][0]["unfunded_after"], serde_json::json!([]));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), MONEY_MAP, "a what-if writes nothing");

    let t = text(&run(&["money", p(&f), "--move", "30:i1->i3"]).stdout);
    assert!(t.contains("What if £30 from \u{201c}Wealth fund\u{201d} to \u{201c}Skills bootcamps\u{201d}"), "{t}");
    let growth = t.lines().find(|l| l.contains("£56")).unwrap();
    assert!(growth.contains("£56") && growth.contains("£71") && growth.contains("+£15"), "{growth}");
    assert!(t.contains("Growth: would fund s3"), "{t}");
    let csv = text(&run(&["money", p(&f), "--move", "30:i1->i3", "--format", "csv"]).stdout);
    assert!(csv.lines().any(|l| l == "m2,Clean power,GBP,60,45,-15"), "{csv}");

    // A year form: i3's 6 planned in 2026-27 to 2027-28 changes no total.
    let same = run(&["money", p(&f), "--move", "6:i3@2026-27->@2027-28", "--format", "csv"]);
    assert!(text(&same.stdout).contains("m1,Growth,GBP,56,56,0"), "{}", text(&same.stdout));

    for (bad, says) in [
        ("30 i1 i3", "write AMOUNT:FROM->TO"),
        ("lots:i1->i3", "is not an amount"),
        ("500:i1->i3", "has only £100 of planned or committed money"),
        ("5:i1->nobody", "there is no card \"nobody\""),
    ] {
        let out = run(&["money", p(&f), "--move", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(text(&out.stderr).contains(says), "{bad}: {}", text(&out.stderr));
    }
}

#[test]
fn check_names_a_funder_partner_with_no_budget_line_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    let with_funder = |source: &str| {
        MONEY_MAP
            .replace(
                "], links: [",
                r#"    (id: "p1", title: "Wellcome Trust", kind: Partner()),
], links: [
    (id: "l8", from: "p1", to: "i3", kind: Funds),"#,
            )
            .replace(
                "(amount: 6.0, year: Some(\"2026-27\"))",
                &format!("(amount: 6.0, year: Some(\"2026-27\"), source: {source:?})"),
            )
    };
    std::fs::write(&f, with_funder("DfE")).unwrap();
    let out = run(&["check", p(&f), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let funder: Vec<&serde_json::Value> =
        v["findings"].as_array().unwrap().iter().filter(|x| x["check"] == "funder-without-lines").collect();
    assert_eq!(funder.len(), 1, "{v:#}");
    assert!(funder[0]["message"].as_str().unwrap().contains("Wellcome Trust"));
    std::fs::write(&f, with_funder("Wellcome Trust grant")).unwrap();
    let out = text(&run(&["check", p(&f)]).stdout);
    assert!(!out.contains("funder"), "{out}");
}

/// Each intervention's budget lines, with its card's id.
fn lines_in(path: &Path) -> Vec<(String, missionboard::model::BudgetLine)> {
    use missionboard::model::NodeKind;
    let map = missionboard::io::load_path(path).unwrap().map;
    let mut out = Vec::new();
    for n in map.sorted_nodes() {
        if let NodeKind::Intervention { budget_lines, .. } = &n.kind {
            out.extend(budget_lines.iter().map(|l| (n.id.to_string(), l.clone())));
        }
    }
    out
}

#[test]
fn budget_lines_go_to_budget_csv_and_a_budget_sheet_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    std::fs::write(&f, MONEY_MAP).unwrap();
    let (nodes, links) = (dir.path().join("nodes.csv"), dir.path().join("links.csv"));
    let out = run(&["export-csv", p(&f), p(&nodes), p(&links)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("budget.csv"), "{}", text(&out.stdout));
    let budget = std::fs::read_to_string(dir.path().join("budget.csv")).unwrap();
    let rows: Vec<&str> = budget.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(rows[0], "card,id,amount,currency,year,status,source,note");
    assert_eq!(rows[1], "i1,a,100,GBP,2025-26,committed,HM Treasury,");
    assert_eq!(rows.len(), 4, "three lines; i2's old budget stays in the cards' budget column");
    let back = dir.path().join("back.mission.ron");
    let out = run(&["import", p(&nodes), p(&links), "-o", p(&back)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("budget lines were read from budget.csv"), "{}", text(&out.stderr));
    let want = lines_in(&f);
    assert_eq!(want.len(), 3);
    assert_eq!(lines_in(&back), want);

    let book = dir.path().join("money.xlsx");
    assert_eq!(run(&["export", p(&f), "-o", p(&book)]).status.code(), Some(0));
    let from_book = dir.path().join("book.mission.ron");
    let out = run(&["import", p(&book), "-o", p(&from_book)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(lines_in(&from_book), want, "the workbook's budget sheet");
}

#[test]
fn a_bad_budget_row_is_named_by_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("money.mission.ron");
    std::fs::write(&f, MONEY_MAP).unwrap();
    let (nodes, links) = (dir.path().join("nodes.csv"), dir.path().join("links.csv"));
    assert_eq!(run(&["export-csv", p(&f), p(&nodes), p(&links)]).status.code(), Some(0));
    std::fs::write(
        dir.path().join("budget.csv"),
        "card,amount,currency,year,status,source\n\
         i1,100,GBP,2025-26,committed,HM Treasury\n\
         i9,5,GBP,2026,planned,\n\
         s1,5,GBP,2026,planned,\n\
         i1,lots,GBP,2026,planned,\n\
         i1,5,pounds,2026,planned,\n\
         i1,5,GBP,26,planned,\n\
         i1,5,GBP,2026,maybe,\n",
    )
    .unwrap();
    let back = dir.path().join("back.mission.ron");
    let out = run(&["import", p(&nodes), p(&links), "-o", p(&back)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for says in [
        "budget.csv, line 3, column 1 (card): there is no card \"i9\"",
        "budget.csv, line 4, column 1 (card): \"s1\" is a sub-mission; only interventions have budget lines",
        "budget.csv, line 5, column 2 (amount): \"lots\" is not a number",
        "budget.csv, line 6, column 3 (currency): \"pounds\" is not a currency code",
        "budget.csv, line 7, column 4 (year): \"26\" is not a year",
        "budget.csv, line 8, column 5 (status): \"maybe\" is not one of",
    ] {
        assert!(err.contains(says), "{says}\n{err}");
    }
    assert!(!back.exists(), "nothing is written");

    // The same in a workbook: the sheet, row and column.
    let book = dir.path().join("bad.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, file) in [("nodes", &nodes), ("links", &links)] {
        let sheet = wb.add_worksheet().set_name(name).unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        let mut r =
            csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for (i, rec) in r.records().enumerate() {
            for (j, cell) in rec.unwrap().iter().enumerate() {
                sheet.write_string(u32::try_from(i).unwrap(), u16::try_from(j).unwrap(), cell).unwrap();
            }
        }
    }
    let sheet = wb.add_worksheet().set_name("budget").unwrap();
    for (j, h) in ["card", "amount", "year"].iter().enumerate() {
        sheet.write_string(0, u16::try_from(j).unwrap(), *h).unwrap();
    }
    sheet.write_string(1, 0, "i1").unwrap();
    sheet.write_number(1, 1, 5.0).unwrap();
    sheet.write_string(1, 2, "next year").unwrap();
    wb.save(&book).unwrap();
    let out = run(&["import", p(&book), "-o", p(&back)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.xlsx, sheet budget, row 2, column 3 (year): \"next year\" is not a year"), "{err}");
    assert!(!back.exists());
}

/// `missionboard diff A B | head`: the reader stops early; the command stops quietly (as a shell
/// tool does, status 141), not with a crash report.
#[test]
fn a_reader_that_stops_early_gets_no_crash_report() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.mission.ron"), dir.path().join("b.mission.ron"));
    missionboard::io::save_path(&missionboard::sample::generate::map(2_000, 1), &a).unwrap();
    missionboard::io::save_path(&missionboard::sample::generate::map(2_000, 2), &b).unwrap();
    let mut child = bin()
        .args(["diff", &a.to_string_lossy(), &b.to_string_lossy()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader is gone (its end of the pipe dropped) while the diff still has pages to print.
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("panicked") && !said.contains("Broken pipe"), "{said}");
    assert_eq!(out.status.code(), Some(141));
}
