//! `missionboard grants`: 360Giving grant data as budget lines, from CSV and a workbook both
//! written by LibreOffice Calc (tests/fixtures/360giving-libreoffice.*: the CSV was typed with
//! the standard's column titles, opened in Calc, saved as .xlsx, and saved back as CSV), and from
//! the standard's JSON form.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MAP: &str = r#"(version: 3, title: "Grants", nodes: [
    (id: "m1", title: "Warm, skilled places", kind: Mission()),
    (id: "i1", title: "Warm Homes Plan", kind: Intervention()),
    (id: "i2", title: "Skills bootcamps", kind: Intervention()),
    (id: "p1", title: "Age UK", kind: Partner()),
    (id: "GB-CHC-1082947", title: "Crisis UK", kind: Partner()),
], links: [
    (id: "l1", from: "i1", to: "m1", kind: ContributesTo),
    (id: "l2", from: "i2", to: "m1", kind: ContributesTo),
])"#;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_missionboard")).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn map_in(dir: &Path) -> PathBuf {
    let f = dir.join("grants.mission.ron");
    std::fs::write(&f, MAP).unwrap();
    f
}

/// What every form of the fixture gives: the preview's lines, then the map written.
fn imports_the_fixture(grants: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let map = map_in(dir.path());
    let out_file = dir.path().join("out.mission.ron");
    let dry = run(&["grants", p(&map), p(grants), "-o", p(&out_file), "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry.stderr));
    let preview = text(&dry.stdout);
    for want in [
        "6 grants read. Rule: a grant programme goes to the intervention with the same title",
        "Arts for All",
        "no intervention: not added",
        "Skills Bootcamps  \u{201c}Skills bootcamps\u{201d} (i2)",
        "2 grants, £105k",
        "3 grants, £455k",
        "Recipients: 2 matched to partner cards by identifier, 1 by name; 2 new partner cards.",
        "Budget lines: 5 to add",
        "1 in programmes matching no intervention, not added",
        "--dry-run: nothing was written.",
    ] {
        assert!(preview.contains(want), "{want:?} in\n{preview}");
    }
    assert!(!out_file.exists(), "a dry run writes nothing");

    let done = run(&["grants", p(&map), p(grants), "-o", p(&out_file)]);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("(5 budget lines added)"), "{}", text(&done.stdout));
    let money = run(&["money", p(&out_file), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&money.stdout).unwrap();
    // 250,000 and 120,000 awarded in 2025-26, 85,000.50 on 2 April 2026 (2026-27); the
    // bootcamps' 60,000 and 45,000 in 2025-26. All committed.
    let m1 = &v["missions"][0];
    assert_eq!(m1["by_year"]["2025-26"], serde_json::json!({"GBP": 475_000.0}));
    assert_eq!(m1["by_year"]["2026-27"], serde_json::json!({"GBP": 85_000.5}));
    assert_eq!(m1["by_status"]["committed"], serde_json::json!({"GBP": 560_000.5}));
    let i1 = v["interventions"].as_array().unwrap().iter().find(|i| i["id"] == "i1").unwrap();
    assert_eq!(i1["lines"][0]["id"], "360G-warm-001");
    assert_eq!(i1["lines"][0]["source"], "Department for Energy Security and Net Zero");
    let written = missionboard::io::load_path(&out_file).unwrap().map;
    let college = written.nodes().find(|n| n.title == "Leeds City College").unwrap();
    assert_eq!(college.id.as_str(), "GB-EDU-133881", "a new partner card takes the organisation's identifier");
    assert_eq!(written.nodes().filter(|n| n.kind() == missionboard::model::Kind::Partner).count(), 4);
    assert!(std::fs::read_to_string(&map).unwrap() == MAP, "the map given is not changed");

    // Again on the result: nothing new.
    let again = text(&run(&["grants", p(&out_file), p(grants), "-o", p(&out_file), "--dry-run"]).stdout);
    assert!(again.contains("Budget lines: 0 to add") && again.contains("5 already on the map"), "{again}");
}

#[test]
fn a_360giving_csv_written_by_libreoffice_becomes_budget_lines() {
    imports_the_fixture(&fixture("360giving-libreoffice.csv"));
}

#[test]
fn a_360giving_workbook_written_by_libreoffice_becomes_budget_lines() {
    imports_the_fixture(&fixture("360giving-libreoffice.xlsx"));
}

#[test]
fn the_360giving_json_form_becomes_the_same_budget_lines() {
    let csv = std::fs::read_to_string(fixture("360giving-libreoffice.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    let col = |rec: &csv::StringRecord, name: &str| rec[headers.iter().position(|h| h == name).unwrap()].to_owned();
    let grants: Vec<serde_json::Value> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            serde_json::json!({
                "id": col(&rec, "Identifier"),
                "title": col(&rec, "Title"),
                "currency": col(&rec, "Currency"),
                "amountAwarded": col(&rec, "Amount Awarded").parse::<f64>().unwrap(),
                "awardDate": col(&rec, "Award Date"),
                "recipientOrganization": [{"id": col(&rec, "Recipient Org:Identifier"), "name": col(&rec, "Recipient Org:Name")}],
                "fundingOrganization": [{"id": col(&rec, "Funding Org:Identifier"), "name": col(&rec, "Funding Org:Name")}],
                "grantProgramme": [{"title": col(&rec, "Grant Programme:Title")}],
                "plannedDates": [{"startDate": col(&rec, "Planned Dates:Start Date"), "endDate": col(&rec, "Planned Dates:End Date")}],
            })
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("grants.json");
    std::fs::write(&f, serde_json::json!({ "grants": grants }).to_string()).unwrap();
    imports_the_fixture(&f);
}

#[test]
fn bad_grant_rows_are_named_by_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let map = map_in(dir.path());
    let out_file = dir.path().join("out.mission.ron");
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "Identifier,Currency,Amount Awarded,Award Date,Recipient Org:Name,Grant Programme:Title\n\
         360G-1,GBP,100,2025-06-01,Age UK,Warm Homes Plan\n\
         360G-2,GBP,lots,2025-06-01,Age UK,Warm Homes Plan\n\
         360G-3,GBP,100,June,Age UK,Warm Homes Plan\n\
         360G-4,pounds,100,2025-06-01,Age UK,Warm Homes Plan\n\
         360G-5,GBP,100,2025-06-01,Age UK,\n\
         ,GBP,100,2025-06-01,,Warm Homes Plan\n",
    )
    .unwrap();
    let out = run(&["grants", p(&map), p(&csv), "-o", p(&out_file)]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for says in [
        "bad.csv, line 3, column 3 (Amount Awarded): \"lots\" is not a number",
        "bad.csv, line 4, column 4 (Award Date): \"June\" is not a date",
        "bad.csv, line 5, column 2 (Currency): \"pounds\" is not a currency code",
        "bad.csv, line 6, column 6 (Grant Programme:Title): every grant needs its grant programme",
        "bad.csv, line 7, column 1 (Identifier): every grant needs its identifier",
        "bad.csv, line 7, column 5 (Recipient Org:Name): every grant needs its recipient's identifier or name",
        "Nothing was written",
    ] {
        assert!(err.contains(says), "{says}\n{err}");
    }
    assert!(!out_file.exists());
    let json = dir.path().join("bad.json");
    std::fs::write(&json, r#"{"grants": [{"id": "360G-1", "amountAwarded": "a lot", "awardDate": "2025-06-01", "recipientOrganization": [{"name": "Age UK"}], "grantProgramme": [{"title": "Warm Homes Plan"}]}]}"#).unwrap();
    let err = text(&run(&["grants", p(&map), p(&json), "-o", p(&out_file)]).stderr);
    assert!(err.contains("bad.json, grant 1, field amountAwarded: \"a lot\" is not an amount"), "{err}");
    assert!(!out_file.exists());
}

#[test]
fn a_programme_can_be_given_a_new_card_or_left_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let map = map_in(dir.path());
    let out_file = dir.path().join("out.mission.ron");
    let csv = fixture("360giving-libreoffice.csv");
    let args = [
        "grants",
        p(&map),
        p(&csv),
        "-o",
        p(&out_file),
        "--programme",
        "Arts for All=new",
        "--programme",
        "Warm Homes Plan=none",
    ];
    let done = run(&args);
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    let said = text(&done.stdout);
    assert!(said.contains("Arts for All      a new intervention card (i-grant-1)"), "{said}");
    assert!(said.contains("(3 budget lines added)"), "the bootcamps' two and the arts grant: {said}");
    let written = missionboard::io::load_path(&out_file).unwrap().map;
    let arts = written.node(&missionboard::model::NodeId::new("i-grant-1").unwrap()).unwrap();
    assert_eq!(arts.title, "Arts for All");
    let bad = run(&["grants", p(&map), p(&csv), "-o", p(&out_file), "--programme", "Arts for All=i99"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("or write =new for a new card"), "{}", text(&bad.stderr));
}
