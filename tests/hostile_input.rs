//! Every row of the hostile-input table in `docs/hostile-input.md`: the input, and the message the
//! person sees (or that it opens normally). The rows here are the source of truth and the test
//! checks the documentation says the same, so the table cannot drift from what the app does.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use missionboard::io;
use missionboard::model::{Budget, Kind, Link, LinkId, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement};

/// A small, valid map file to break in different ways.
fn good() -> String {
    let mut map = MissionMap::new("Board");
    let mut mission = Node::new(NodeId::new("m1").unwrap(), Kind::Mission, "Clean power");
    if let NodeKind::Mission { target, .. } = &mut mission.kind {
        target.value = Some(95.0);
    }
    map.add_node(mission, Placement::default()).unwrap();
    let p = map.create_node(Kind::Partner, "Ofgem", Placement::default()).unwrap();
    let mut grid = Node::new(NodeId::new("i3").unwrap(), Kind::Intervention, "Grid reform");
    if let NodeKind::Intervention { budget, .. } = &mut grid.kind {
        *budget = Some(Budget { amount: 1000.0, currency: "GBP".to_owned(), period: String::new() });
    }
    map.add_node(grid, Placement::default()).unwrap();
    let m = NodeId::new("m1").unwrap();
    let i = NodeId::new("i3").unwrap();
    let mut supports = Link::new(LinkId::new("l1").unwrap(), p.clone(), m, LinkKind::Supports);
    supports.weight = Some(2.0);
    map.add_link(supports).unwrap();
    map.connect(&p, &i, LinkKind::Delivers).unwrap();
    io::to_string(&map)
}

/// (row name as in the docs, the input, what the person sees: `Ok` = opens, else a part of the message)
fn rows() -> Vec<(&'static str, Vec<u8>, Result<(), &'static str>)> {
    let good = good();
    let g = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        good.replacen(from, to, 1).into_bytes()
    };
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend([0u8; 64]);
    let mut invalid_utf8 = b"(\n    version: 1,\n    title: \"Bo".to_vec();
    invalid_utf8.extend([0xC3, 0x28]);
    vec![
        (
            "Empty file",
            Vec::new(),
            Err("line 1, column 1: the file is empty; a mission map starts with `(version: 1,`"),
        ),
        ("Only spaces and blank lines", b" \n\n  \r\n".to_vec(), Err("the file is empty")),
        ("Truncated (cut off half way)", good.as_bytes()[..good.len() / 2].to_vec(), Err("ends too early")),
        ("Binary (a picture renamed)", png, Err("this is not a text file in UTF-8")),
        ("Invalid UTF-8 (another encoding)", invalid_utf8, Err("line 3, column 15: this is not a text file in UTF-8")),
        (
            "Huge (over 64 MB)",
            vec![b' '; 64 * 1024 * 1024 + 1],
            Err("Missionboard opens mission maps up to 67108864 bytes. Is this really a mission map?"),
        ),
        (
            "Deeply nested (100,000 brackets)",
            format!("(version: 1, title: \"x\", nodes: {}", "[".repeat(100_000)).into_bytes(),
            Err("line 1, column 96: brackets are nested more than 64 deep"),
        ),
        (
            "Newer version",
            g("version: 1", "version: 4"),
            Err(
                "this map was made by a newer Missionboard (format 4); this one reads up to 3. Update Missionboard to open it.",
            ),
        ),
        ("Version 0", g("version: 1", "version: 0"), Err("the version is 0; Missionboard files start at version 1")),
        ("Unknown field (a typo)", g("title:", "titel:"), Err("`titel` is not a field")),
        ("Duplicate card ids", g("id: \"p2\"", "id: \"m1\""), Err("there is already a card with id \"m1\"")),
        (
            "Dangling link (to a card that is not there)",
            g("to: \"m1\"", "to: \"m9\""),
            Err("points to card \"m9\", which does not exist"),
        ),
        (
            "Forbidden link kind",
            g("kind: Delivers", "kind: Supports"),
            Err(
                "a \"supports\" link cannot go from a partner to an intervention; it joins partner → mission or partner → sub-mission. Between these two use: delivers or funds",
            ),
        ),
        ("Link from a card to itself", g("to: \"m1\"", "to: \"p2\""), Err("goes from card \"p2\" to itself")),
        (
            "NaN coordinates",
            g("(\"m1\", 0.0, 0.0)", "(\"m1\", NaN, 0.0)"),
            Err("card \"m1\" has a position that is not an ordinary number (NaN, 0)"),
        ),
        (
            "Infinite coordinates",
            g("(\"m1\", 0.0, 0.0)", "(\"m1\", inf, 0.0)"),
            Err("card \"m1\" has a position that is not an ordinary number (inf, 0)"),
        ),
        (
            "NaN budget",
            g("amount: 1000.0", "amount: NaN"),
            Err("the budget amount of card \"i3\" is not a finite number (NaN)"),
        ),
        (
            "Infinite target",
            g("value: Some(95.0)", "value: Some(inf)"),
            Err("the target value of card \"m1\" is not a finite number (inf)"),
        ),
        (
            "NaN link weight",
            g("weight: Some(2.0)", "weight: Some(NaN)"),
            Err("link \"l1\" has a weight that is not an ordinary number (NaN)"),
        ),
        (
            "Brackets in a title (not nesting)",
            g("title: \"Grid reform\"", &format!("title: \"{}\"", "([{".repeat(100))),
            Ok(()),
        ),
        ("Byte-order mark (Windows Notepad)", format!("\u{feff}{good}").into_bytes(), Ok(())),
        ("CRLF line ends (Windows)", good.replace('\n', "\r\n").into_bytes(), Ok(())),
        (
            "A JSON file renamed",
            b"{\"version\": 1, \"title\": \"x\"}".to_vec(),
            Err("line 1, column 1: this looks like a JSON file, not a mission map"),
        ),
        (
            "A draw.io or yEd file",
            b"<?xml version=\"1.0\"?><mxfile></mxfile>".to_vec(),
            Err("line 1, column 1: this looks like an XML or web file"),
        ),
    ]
}

#[test]
fn each_hostile_input_gives_its_message_and_never_panics() {
    for (name, bytes, expected) in rows() {
        let result = io::load_bytes(&bytes);
        match (expected, result) {
            (Ok(()), Ok(loaded)) => assert_eq!(loaded.map.node_count(), 3, "{name}"),
            (Err(part), Err(err)) => {
                let text = err.to_string();
                assert!(text.contains(part), "{name}: expected {part:?} in {text:?}");
            }
            (Ok(()), Err(err)) => panic!("{name}: should open, but: {err}"),
            (Err(part), Ok(_)) => panic!("{name}: should be refused with {part:?}"),
        }
    }
}

#[test]
fn the_cli_shows_the_same_messages_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (i, (name, bytes, expected)) in rows().into_iter().enumerate() {
        if bytes.len() > 1_000_000 {
            continue; // the 64 MB row is covered above; no need to write it to disk here
        }
        let path = dir.path().join(format!("{i}.mission.ron"));
        std::fs::write(&path, &bytes).unwrap();
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_missionboard")).arg("check").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match expected {
            // Opens: `check` ends with 0 (no errors) or 1 (findings), never 2, a panic (101) or a signal.
            Ok(()) => assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {:?} {stderr}", out.status),
            Err(part) => {
                assert_eq!(out.status.code(), Some(2), "{name}");
                assert!(stderr.contains(part), "{name}: expected {part:?} in {stderr:?}");
            }
        }
    }
}

#[test]
fn the_documented_table_matches_these_rows() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/hostile-input.md")).unwrap();
    for (name, bytes, expected) in rows() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("docs/hostile-input.md has no row \"| {name} |\""));
        match expected {
            Ok(()) => assert!(row.contains("Opens normally"), "{name}: {row}"),
            Err(part) => {
                let shown = part.replace('|', "\\|");
                assert!(row.contains(&shown), "{name}: the docs row should quote {part:?}: {row}");
                // And the place it names is the one the reader reports.
                let said = io::load_bytes(&bytes).err().map(|e| e.to_string()).unwrap_or_default();
                if let Some(place) = said.strip_prefix("line ").and_then(|rest| rest.split(':').next()) {
                    assert!(
                        row.contains(&format!("`line {place}:")),
                        "{name}: the docs row should say line {place}: {row}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_huge_file_on_disk_is_refused_before_it_is_read() {
    // 64 GiB of nothing (a sparse file): more than this machine's memory, so a reader that read
    // first and measured after would be killed or take minutes. Both the CLI and the loader the
    // editor uses must refuse it at once from its size alone.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.mission.ron");
    std::fs::File::create(&path).unwrap().set_len(64 << 30).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_missionboard")).arg("check").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the file is 68719476736 bytes; Missionboard opens mission maps up to"), "{stderr}");
    let err = io::load_path(&path).unwrap_err();
    assert!(matches!(err, io::LoadError::TooLarge { size: 68_719_476_736 }), "{err}");
}
