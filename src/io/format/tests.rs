use proptest::prelude::*;

use super::*;
use crate::model::{Kind, LinkKind, NodeKind};

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// A small valid map: a mission, a sub-mission, an intervention and a partner, linked up.
fn small_map() -> MissionMap {
    let mut m = MissionMap::new("Test map");
    m.meta.created = DateTime::parse_from_rfc3339("2026-01-02T03:04:05Z").unwrap().with_timezone(&Utc);
    m.meta.modified = m.meta.created;
    m.add_node(Node::new(id("m1"), Kind::Mission, "Clean power"), Placement::at(0.0, 0.0)).unwrap();
    m.add_node(Node::new(id("s2"), Kind::SubMission, "95% clean"), Placement::at(0.0, 200.0)).unwrap();
    m.add_node(Node::new(id("i3"), Kind::Intervention, "Offshore wind"), Placement { x: 10.0, y: 400.0, pinned: true })
        .unwrap();
    m.add_node(Node::new(id("p4"), Kind::Partner, "GB Energy"), Placement::at(0.0, 600.0)).unwrap();
    m.connect(&id("s2"), &id("m1"), LinkKind::ContributesTo).unwrap();
    m.connect(&id("i3"), &id("s2"), LinkKind::ContributesTo).unwrap();
    m.connect(&id("p4"), &id("i3"), LinkKind::Funds).unwrap();
    m
}

fn small_text() -> String {
    to_string(&small_map())
}

#[test]
fn saves_and_reloads_the_same_map() {
    let map = small_map();
    let text = to_string(&map);
    let back = load_str(&text).unwrap();
    assert_eq!(back.map, map);
    assert!(back.warnings.is_empty());
    assert_eq!(to_string(&back.map), text, "same map, same bytes");
}

#[test]
fn version_comes_first_and_order_is_stable() {
    let text = small_text();
    let first_field = text.lines().nth(1).unwrap().trim();
    assert_eq!(first_field, "version: 1,");
    let nodes_at = text.find("nodes:").unwrap();
    let links_at = text.find("links:").unwrap();
    let positions_at = text.find("positions:").unwrap();
    assert!(nodes_at < links_at && links_at < positions_at, "{text}");
    // Nodes by id in natural order.
    let (a, b) = (text.find("id: \"i3\"").unwrap(), text.find("id: \"m1\"").unwrap());
    assert!(a < b);
    // One line per position.
    assert!(text.contains("(\"i3\", 10.0, 400.0),"), "{text}");
    assert!(text.contains("pinned: [\n        \"i3\",\n    ]"), "{text}");
}

#[test]
fn one_change_is_a_small_diff() {
    let mut map = small_map();
    let before = to_string(&map);
    map.set_placement(&id("m1"), Placement::at(50.0, 0.0)).unwrap();
    let after = to_string(&map);
    let changed = before.lines().zip(after.lines()).filter(|(a, b)| a != b).count();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed, 1);
}

#[test]
fn the_sample_loads_and_is_canonical() {
    let loaded = load_str(crate::sample::UK_MISSIONS).unwrap();
    let map = loaded.map;
    let counts = map.count_by_kind();
    assert_eq!(counts[0], (Kind::Mission, 5));
    assert!(counts[2].1 >= 35, "about 40 interventions: {counts:?}");
    assert!(counts[3].1 >= 18, "about 20 partners: {counts:?}");
    assert_eq!(to_string(&map), crate::sample::UK_MISSIONS, "the committed sample is in canonical form");
}

#[test]
fn newer_formats_are_named() {
    let text = small_text().replacen("version: 1", "version: 4", 1);
    let err = load_str(&text).unwrap_err().to_string();
    assert_eq!(
        err,
        "this map was made by a newer Missionboard (format 4); this one reads up to 3. Update Missionboard to open it."
    );
    // Even when the rest of the file is not understood by this version.
    let err = load_str("(version: 7, title: \"x\", shapes: Fancy(1))").unwrap_err().to_string();
    assert!(err.contains("newer Missionboard (format 7)"), "{err}");
}

/// Every bad input, the message it must give, and where.
#[test]
fn bad_inputs_are_explained_with_line_and_column() {
    let good = small_text();
    let line_of = |needle: &str| good[..good.find(needle).unwrap()].matches('\n').count() + 1;
    let cases: Vec<(&str, String, &str, Option<usize>)> = vec![
        ("empty", String::new(), "the file is empty", Some(1)),
        ("only spaces", "  \n  ".to_owned(), "the file is empty", Some(1)),
        ("truncated", good[..good.len() / 2].to_owned(), "ends too early", None),
        ("not ron", "hello world".to_owned(), "", Some(1)),
        ("json", "{\"version\": 1}".to_owned(), "", Some(1)),
        ("missing title", good.replacen("    title: \"Test map\",\n", "", 1), "`title` is missing", None),
        (
            "dangling link",
            good.replacen("from: \"p4\"", "from: \"p99\"", 1),
            "points to card \"p99\", which does not exist",
            Some(line_of("from: \"p4\"")),
        ),
        (
            "duplicate node id",
            good.replacen("id: \"s2\"", "id: \"m1\"", 1),
            "there is already a card with id \"m1\"",
            Some(line_of("id: \"s2\"")),
        ),
        (
            "forbidden link kind",
            good.replacen("kind: Funds", "kind: Supports", 1),
            "a \"supports\" link cannot go from a partner to an intervention",
            Some(line_of("kind: Funds")),
        ),
        ("unknown link kind", good.replacen("kind: Funds", "kind: Pays", 1), "`Pays` is not one of the choices", None),
        (
            "non-finite coordinate",
            good.replacen("(\"m1\", 0.0, 0.0)", "(\"m1\", NaN, 0.0)", 1),
            "not an ordinary number",
            Some(line_of("(\"m1\", 0.0, 0.0)")),
        ),
        (
            "infinite coordinate",
            good.replacen("(\"m1\", 0.0, 0.0)", "(\"m1\", inf, 0.0)", 1),
            "not an ordinary number",
            Some(line_of("(\"m1\", 0.0, 0.0)")),
        ),
        (
            "position for a missing card",
            good.replacen("(\"m1\", 0.0, 0.0)", "(\"m1\", 0.0, 0.0),\n        (\"zz\", 1.0, 1.0)", 1),
            "there is a position for card \"zz\", which does not exist",
            Some(line_of("(\"m1\", 0.0, 0.0)") + 1),
        ),
        ("empty id", good.replacen("id: \"s2\"", "id: \"\"", 1), "the id is empty", Some(line_of("id: \"s2\""))),
        ("wrong type", good.replacen("version: 1", "version: \"one\"", 1), "", Some(2)),
        ("version zero", good.replacen("version: 1", "version: 0", 1), "the version is 0", Some(2)),
        ("trailing text", format!("{good}\nextra"), "more text after the end", None),
        (
            "deep nesting",
            format!("(version: 1, title: \"x\", nodes: {}", "[".repeat(100_000)),
            "nested more than 64 deep",
            Some(1),
        ),
        (
            "deep nesting after a comment and a string holding brackets",
            format!("// ((((\n(version: 1, title: \"(]\\\"[\", nodes: {}", "(".repeat(100)),
            "line 2, column 100: brackets are nested more than 64 deep",
            Some(2),
        ),
        ("deep nesting in an unknown field", format!("(version: 3, extra: {})", "[".repeat(100_000)), "", Some(1)),
        (
            "unknown field",
            good.replacen("title: \"Test map\"", "titel: \"Test map\"", 1),
            "`titel` is not a field",
            Some(3),
        ),
    ];
    for (name, input, expected, line) in cases {
        let Err(err) = load_str(&input) else { panic!("{name}: should not load") };
        let problems = match &err {
            LoadError::Invalid(p) => p.clone(),
            other => panic!("{name}: expected located problems, got {other}"),
        };
        let text = err.to_string();
        assert!(text.starts_with("line "), "{name}: {text}");
        assert!(text.contains(expected), "{name}: expected {expected:?} in {text:?}");
        if let Some(line) = line {
            assert_eq!(problems[0].line, line, "{name}: {text}");
        }
        assert!(problems[0].column >= 1);
    }
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let text = small_text().replacen("from: \"p4\"", "from: \"p99\"", 1).replacen(
        "(\"m1\", 0.0, 0.0)",
        "(\"m1\", NaN, 0.0)",
        1,
    );
    let LoadError::Invalid(problems) = load_str(&text).unwrap_err() else { panic!() };
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn binary_and_invalid_utf8_are_refused() {
    let err = load_bytes(&[0x28, 0xff, 0xfe, 0x00]).unwrap_err().to_string();
    assert!(err.contains("line 1, column 2: this is not a text file in UTF-8"), "{err}");
    let mut bytes = b"(\nversion: 1,\n".to_vec();
    bytes.extend([0xC3, 0x28]);
    let err = load_bytes(&bytes).unwrap_err().to_string();
    assert!(err.starts_with("line 3, column 1"), "{err}");
}

#[test]
fn bom_and_crlf_are_read() {
    let text = format!("\u{feff}{}", small_text().replace('\n', "\r\n"));
    assert_eq!(load_str(&text).unwrap().map, small_map());
}

#[test]
fn huge_files_are_refused_before_reading() {
    let big = vec![b' '; (MAX_FILE_BYTES + 1) as usize];
    assert!(matches!(load_bytes(&big), Err(LoadError::TooLarge { .. })));
}

#[test]
fn cards_without_positions_are_placed_and_noted() {
    let text = small_text().replacen("        (\"m1\", 0.0, 0.0),\n", "", 1);
    let loaded = load_str(&text).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.map.placement(&id("m1")).unwrap().is_finite());
}

#[test]
fn ids_above_the_file_counter_are_not_reused() {
    let text = small_text().replacen("next_id: ", "next_id: 1", 1);
    let mut map = load_str(&text).unwrap().map;
    let fresh = map.fresh_node_id(Kind::Mission);
    assert!(crate::model::ids::trailing_number(fresh.as_str()).unwrap() >= 10, "{fresh}");
}

#[test]
fn save_is_atomic_and_round_trips_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("m.mission.ron");
    save_path(&small_map(), &p).unwrap();
    assert_eq!(load_path(&p).unwrap().map, small_map());
    let err = load_path(&dir.path().join("missing.mission.ron")).unwrap_err().to_string();
    assert!(err.contains("there is no file at that place"), "{err}");
}

// ------------------------------------------------------------------------------ property tests

fn text_strategy() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-zA-Z0-9 ,.'\"\\\\()£é€\n-]{0,40}"]
}

fn number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), (-1.0e9..1.0e9f64).prop_map(Some), (-1000i32..1000).prop_map(|v| Some(f64::from(v)))]
}

fn date() -> impl Strategy<Value = Option<chrono::NaiveDate>> {
    prop_oneof![
        Just(None),
        (2000i32..2060, 1u32..13, 1u32..29).prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d))
    ]
}

/// A day, always.
fn day() -> impl Strategy<Value = chrono::NaiveDate> {
    (2000i32..2060, 1u32..13, 1u32..29).prop_map(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

/// Format 2's measurements: readings (with and without a note and source), milestones and the
/// baseline's date; empty half the time, so format-1 maps are made too.
#[allow(clippy::type_complexity, reason = "a strategy's value")]
fn measurements()
-> impl Strategy<Value = (Vec<crate::model::Reading>, Vec<crate::model::Milestone>, Option<chrono::NaiveDate>)> {
    use crate::model::{Milestone, Reading};
    let reading =
        (day(), (-1.0e6..1.0e6f64), text_strategy(), text_strategy()).prop_map(|(date, value, note, source)| Reading {
            id: crate::model::ItemId::default(),
            date,
            value,
            note,
            source,
        });
    let milestone = (day(), (-1.0e6..1.0e6f64)).prop_map(|(date, value)| Milestone {
        id: crate::model::ItemId::default(),
        date,
        value,
    });
    prop_oneof![
        Just((Vec::new(), Vec::new(), None)),
        (prop::collection::vec(reading, 0..4), prop::collection::vec(milestone, 0..3), date()),
    ]
}

fn node_kind() -> impl Strategy<Value = NodeKind> {
    use crate::model::{Budget, Decision, DecisionKind, Indicator, Instrument, Risk, Sector, Stage, Target, Tier};
    prop_oneof![
        (
            text_strategy(),
            text_strategy(),
            number(),
            number(),
            date(),
            text_strategy(),
            measurements(),
            prop::sample::select(vec!["", "", "monthly", "quarterly"]),
        )
            .prop_map(
                |(statement, metric, baseline, value, deadline, lead, (readings, milestones, baseline_date), every)| {
                    let mut target =
                        Target { metric, unit: "%".to_owned(), baseline, value, deadline, ..Target::default() };
                    target.baseline_date = baseline_date;
                    every.clone_into(&mut target.frequency);
                    target.milestones = milestones;
                    target.readings = readings;
                    NodeKind::Mission { statement, target, lead_department: lead }
                }
            ),
        (text_strategy(), prop::collection::vec((text_strategy(), number(), date(), measurements()), 0..3)).prop_map(
            |(outcome, inds)| {
                NodeKind::SubMission {
                    outcome,
                    indicators: inds
                        .into_iter()
                        .map(|(name, target, deadline, (readings, milestones, baseline_date))| Indicator {
                            name,
                            target,
                            deadline,
                            source: "ONS".to_owned(),
                            baseline_date,
                            milestones,
                            readings,
                            ..Indicator::default()
                        })
                        .collect(),
                }
            }
        ),
        (
            prop::option::of(prop::sample::select(Instrument::ALL)),
            prop::option::of(prop::sample::select(Stage::ALL)),
            prop::option::of(prop::sample::select(Risk::ALL)),
            number(),
            date(),
            text_strategy(),
            prop::collection::vec(
                (day(), prop::sample::select(DecisionKind::ALL), text_strategy(), text_strategy()).prop_map(
                    |(date, decision, who, why)| Decision {
                        id: crate::model::ItemId::default(),
                        date,
                        decision,
                        who,
                        why
                    }
                ),
                0..3
            ),
        )
            .prop_map(|(instrument, stage, risk, amount, start, lead, decisions)| NodeKind::Intervention {
                instrument,
                lead_department: lead,
                budget: amount.map(|amount| Budget {
                    amount,
                    currency: "GBP".to_owned(),
                    period: "per year".to_owned()
                }),
                stage,
                start,
                end: None,
                risk,
                risk_note: String::new(),
                decisions,
                budget_lines: Vec::new(),
            }),
        (
            prop::option::of(prop::sample::select(Sector::ALL)),
            prop::option::of(prop::sample::select(Tier::ALL)),
            text_strategy()
        )
            .prop_map(|(sector, tier, role)| NodeKind::Partner { sector, tier, role }),
    ]
}

/// Leaves out of a card what only format 2 writes.
fn format_1_only(kind: &mut NodeKind) {
    match kind {
        NodeKind::Mission { target, .. } => {
            target.baseline_date = None;
            target.frequency.clear();
            target.milestones.clear();
            target.readings.clear();
        }
        NodeKind::SubMission { indicators, .. } => {
            for i in indicators {
                i.baseline_date = None;
                i.milestones.clear();
                i.readings.clear();
            }
        }
        NodeKind::Intervention { decisions, .. } => decisions.clear(),
        NodeKind::Partner { .. } => {}
    }
}

prop_compose! {
    /// A map of any cards and links; half of them with format 2's fields too.
    fn arb_map()(
        cards in prop::collection::vec((node_kind(), text_strategy(), text_strategy(), -1.0e5f32..1.0e5, -1.0e5f32..1.0e5, any::<bool>()), 0..25),
        link_picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), text_strategy(), 0u8..=100), 0..40),
        title in text_strategy(),
        actions in prop::collection::vec((text_strategy(), text_strategy(), date(), any::<bool>()), 0..3),
        tolerances in prop::option::of((0.5..1.0f64, 0.1..0.5f64)),
        origin in prop::option::of((text_strategy(), text_strategy(), date())),
        format_2 in any::<bool>(),
    ) -> MissionMap {
        let mut map = MissionMap::new(title);
        let (actions, tolerances, origin) = if format_2 { (actions, tolerances, origin) } else { (Vec::new(), None, None) };
        map.actions = actions
            .into_iter()
            .map(|(what, owner, due, done)| crate::model::ActionItem { id: crate::model::ItemId::default(), what, owner, due, done })
            .collect();
        if let Some((on_track, at_risk)) = tolerances {
            map.tolerances = crate::model::progress::Tolerances { on_track, at_risk };
        }
        map.origin = origin.map(|(handout, copy, date)| crate::model::merge::Origin {
            handout,
            copy,
            base_file: "board (as handed out).mission.ron".to_owned(),
            date,
        });
        let mut ids = Vec::new();
        for (mut kind, title, description, x, y, pinned) in cards {
            if !format_2 {
                format_1_only(&mut kind);
            }
            let nid = map.fresh_node_id(kind.kind());
            let mut node = Node::new(nid.clone(), kind.kind(), title);
            node.kind = kind;
            node.description = description;
            node.tags = vec!["a tag".to_owned()];
            map.add_node(node, Placement { x, y, pinned }).unwrap();
            ids.push(nid);
        }
        if !ids.is_empty() {
            for (a, b, rationale, confidence) in link_picks {
                let (from, to) = (a.get(&ids).clone(), b.get(&ids).clone());
                let (fk, tk) = (map.node(&from).unwrap().kind(), map.node(&to).unwrap().kind());
                if let Some(kind) = LinkKind::infer(fk, tk) {
                    let lid = map.fresh_link_id();
                    let mut link = Link::new(lid, from, to, kind);
                    link.rationale = rationale;
                    link.confidence = Some(confidence);
                    let _ = map.add_link(link);
                }
            }
        }
        map
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_map_round_trips(map in arb_map()) {
        let text = to_string(&map);
        let back = load_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        // Items without ids get derived ones on loading, the same every time.
        let mut map = map;
        crate::model::listed::fill_map(&mut map, crate::model::listed::How::Derived);
        prop_assert_eq!(&back.map, &map);
        prop_assert_eq!(to_string(&back.map), text, "saving twice gives the same bytes");
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = load_str(&text);
    }

    #[test]
    fn damaged_files_never_panic(cut in 0usize..2000, flip in any::<u8>()) {
        let mut bytes = small_text().into_bytes();
        let at = cut.min(bytes.len().saturating_sub(1));
        bytes[at] = flip;
        let _ = load_bytes(&bytes);
        let _ = load_bytes(&bytes[..at]);
    }
}

/// The generator above makes maps of both formats: format 2's fields (readings, milestones,
/// decisions, actions, tolerances, a copy's origin) are round-tripped, not only format 1's.
#[test]
fn the_round_trip_generator_makes_both_formats() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut versions = [0usize; 2];
    for _ in 0..64 {
        let map = arb_map().new_tree(&mut runner).unwrap().current();
        let text = to_string(&map);
        let second = text.lines().nth(1).unwrap_or_default().trim();
        match second {
            "version: 1," => versions[0] += 1,
            "version: 2," => versions[1] += 1,
            other => panic!("unexpected version line {other:?}"),
        }
    }
    assert!(versions[0] >= 4 && versions[1] >= 16, "format 1 and 2 maps made: {versions:?}");
}

#[test]
fn the_example_in_the_documentation_loads() {
    let doc = include_str!("../../../docs/file-format.md");
    let start = doc.find("```ron\n").unwrap() + "```ron\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let loaded = load_str(&doc[start..end]).unwrap();
    assert_eq!(loaded.map.node_count(), 4);
    assert_eq!(loaded.map.link_count(), 3);
    assert!(loaded.map.placement(&id("m1")).unwrap().pinned);
    assert_eq!(to_string(&loaded.map), &doc[start..end], "the example is in canonical form");
}

#[test]
fn a_held_targets_direction_is_saved_only_when_chosen() {
    use crate::model::progress::Hold;
    let mut map = small_map();
    let plain = to_string(&map);
    assert!(!plain.contains("hold"), "not written while not chosen: {plain}");
    map.update_node(&id("m1"), |n| {
        if let NodeKind::Mission { target, .. } = &mut n.kind {
            target.baseline = Some(18.0);
            target.value = Some(18.0);
            target.hold = Some(Hold::AtMost);
        }
    })
    .unwrap();
    let text = to_string(&map);
    assert!(text.contains("hold: Some(AtMost),"), "{text}");
    assert_eq!(text.lines().nth(1).map(str::trim), Some("version: 2,"), "a format 1 reader would refuse it");
    let back = load_str(&text).unwrap().map;
    assert_eq!(back, map);
    assert_eq!(to_string(&back), text, "same map, same bytes");
}

#[test]
fn budget_lines_are_format_3_and_round_trip_beside_the_old_budget() {
    use crate::model::{Budget, BudgetLine, BudgetStatus, BudgetYear};
    let mut map = small_map();
    map.update_node(&id("i3"), |n| {
        if let NodeKind::Intervention { budget, .. } = &mut n.kind {
            *budget = Some(Budget { amount: 5e6, currency: "GBP".to_owned(), period: "per year".to_owned() });
        }
    })
    .unwrap();
    let old = to_string(&map);
    assert_eq!(old.lines().nth(1).map(str::trim), Some("version: 1,"), "the single budget stays format 1");
    assert!(!old.contains("budget_lines"), "{old}");
    map.update_node(&id("i3"), |n| {
        if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
            budget_lines.push(BudgetLine {
                year: Some(BudgetYear::Financial(2025)),
                status: BudgetStatus::Committed,
                source: "DESNZ".to_owned(),
                ..BudgetLine::new(2.5e6)
            });
            budget_lines.push(BudgetLine {
                currency: "EUR".to_owned(),
                year: Some(BudgetYear::Calendar(2026)),
                ..BudgetLine::new(1e6)
            });
        }
    })
    .unwrap();
    let text = to_string(&map);
    assert_eq!(text.lines().nth(1).map(str::trim), Some("version: 3,"), "{text}");
    assert!(text.contains("year: Some(\"2025-26\")") || text.contains("year: \"2025-26\""), "{text}");
    assert!(text.contains("status: Committed"), "{text}");
    assert!(text.contains("period: \"per year\""), "the old budget is kept: {text}");
    let back = load_str(&text).unwrap().map;
    assert_eq!(to_string(&back), text, "same map, same bytes");
    let NodeKind::Intervention { budget_lines, .. } = &back.node(&id("i3")).unwrap().kind else { panic!() };
    assert_eq!(budget_lines.len(), 2);
    assert!(budget_lines.iter().all(|b| !b.id.is_empty()), "loaded lines get ids");
    assert_ne!(budget_lines[0].id, budget_lines[1].id);

    // A bad year, currency or amount is refused with plain words.
    for (from, to, says) in
        [("\"2025-26\"", "\"2025-27\"", "neither a financial year"), ("\"EUR\"", "\"euros\"", "three-letter code")]
    {
        let bad = text.replacen(from, to, 1);
        let err = load_str(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(says), "{err}");
    }
}
