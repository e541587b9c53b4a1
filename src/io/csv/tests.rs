use super::*;

fn import_str(nodes: &str, links: &str) -> Result<Imported, Vec<CsvError>> {
    import("nodes.csv", nodes.as_bytes(), "links.csv", links.as_bytes())
}

fn messages(errors: &[CsvError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

const NODES: &str = "id,kind,title\nm1,mission,Clean power\no1,objective,95% clean\ni1,Intervention,Offshore wind\np1,Partner organisation,GB Energy\n";
const LINKS: &str = "from,to,kind\no1,m1,contributes-to\ni1,o1,contributes to\np1,i1,FUNDS\n";

#[test]
fn reads_plain_csv_with_synonyms() {
    let map = import_str(NODES, LINKS).unwrap().map;
    assert_eq!(map.node_count(), 4);
    assert_eq!(map.link_count(), 3);
    let kinds: Vec<Kind> = map.sorted_nodes().iter().map(|n| n.kind()).collect();
    assert_eq!(kinds, vec![Kind::Intervention, Kind::Mission, Kind::SubMission, Kind::Partner]);
    for n in map.nodes() {
        assert!(map.placement(&n.id).unwrap().is_finite());
    }
}

#[test]
fn reads_what_excel_writes_bom_crlf_semicolons_and_quotes() {
    let nodes = "\u{feff}id;kind;title;budget;lead department\r\nm1;Mission;\"Clean power; by 2030\";;DESNZ\r\ni1;intervention;\"Wind, \"\"offshore\"\"\r\nand onshore\";\"1.500,5\";DESNZ\r\n;;;;\r\n";
    let links = "\u{feff}from;to;kind;rationale\r\ni1;m1;contributes-to;\"because; it does\"\r\n";
    let map = import_str(nodes, links).unwrap().map;
    let m1 = map.node(&NodeId::new("m1").unwrap()).unwrap();
    assert_eq!(m1.title, "Clean power; by 2030");
    let i1 = map.node(&NodeId::new("i1").unwrap()).unwrap();
    assert_eq!(i1.title, "Wind, \"offshore\"\r\nand onshore");
    let NodeKind::Intervention { budget, lead_department, .. } = &i1.kind else { panic!() };
    assert_eq!(budget.as_ref().map(|b| b.amount), Some(1500.5));
    assert_eq!(lead_department, "DESNZ");
    assert_eq!(map.sorted_links()[0].rationale, "because; it does");
}

/// A byte-order mark read as Windows-1252 and written back as UTF-8 by another tool: the header's
/// first cell is `ï»¿id`. Both files open, and the id column is found.
#[test]
fn reads_a_header_behind_a_mis_decoded_byte_order_mark() {
    let mangled = "\u{ef}\u{bb}\u{bf}";
    let nodes = format!("{mangled}id,kind,title\nm1,mission,Clean power\ns1,sub-mission,Grid\n");
    let links = format!("{mangled}from,to\ns1,m1\n");
    let map = import_str(&nodes, &links).unwrap().map;
    assert_eq!(map.node_count(), 2);
    assert_eq!(map.link_count(), 1);
    // And a real UTF-8 mark followed by the mangled one is not a column name either.
    let both = format!("\u{feff}{mangled}id,kind,title\nm1,mission,Clean power\n");
    assert!(import_str(&both, "from,to\n").is_ok());
}

#[test]
fn reads_windows_1252() {
    let mut nodes = b"id,kind,title\nm1,mission,Caf\xe9 \xa3 growth\n".to_vec();
    nodes.extend_from_slice(b"");
    let imported = import("nodes.csv", &nodes, "links.csv", b"from,to,kind\n").unwrap();
    assert_eq!(imported.map.node(&NodeId::new("m1").unwrap()).unwrap().title, "Café £ growth");
    assert!(imported.warnings[0].contains("Windows-1252"));
}

#[test]
fn reads_windows_1252_beyond_latin_1_with_semicolons_and_crlf() {
    // Excel's plain "CSV" on a UK Windows machine with a European list separator: the bytes
    // 0x80–0x9F are where Windows-1252 differs from Latin-1 (€, curly quotes, dashes, ellipsis).
    let nodes = b"id;kind;title;budget\r\nm1;mission;\x93Kickstart\x94 growth \x96 \x80 for all\x85;\r\ni1;intervention;Caf\xe9s \x91open\x92 \x97 \xa3;\x801.500,50\r\n";
    let links = b"from;to;kind;rationale\r\ni1;m1;contributes to;\x93Because\x94 \x96 it\x92s \x80 well spent\r\n";
    let imported = import("nodes.csv", nodes, "links.csv", links).unwrap();
    let map = &imported.map;
    assert_eq!(
        map.node(&NodeId::new("m1").unwrap()).unwrap().title,
        "\u{201c}Kickstart\u{201d} growth \u{2013} \u{20ac} for all\u{2026}"
    );
    let i1 = map.node(&NodeId::new("i1").unwrap()).unwrap();
    assert_eq!(i1.title, "Cafés \u{2018}open\u{2019} \u{2014} £");
    let NodeKind::Intervention { budget, .. } = &i1.kind else { panic!("{:?}", i1.kind) };
    assert_eq!(budget.as_ref().map(|b| b.amount), Some(1500.5), "€1.500,50 with ; as separator");
    assert_eq!(map.sorted_links()[0].rationale, "\u{201c}Because\u{201d} \u{2013} it\u{2019}s \u{20ac} well spent");
    // Each file that was not UTF-8 is named in its own warning.
    let named = |f: &str| imported.warnings.iter().any(|w| w.starts_with(f) && w.contains("Windows-1252"));
    assert!(named("nodes.csv") && named("links.csv"), "{:?}", imported.warnings);
}

#[test]
fn missing_link_kind_is_inferred() {
    let links = "from,to\no1,m1\np1,i1\n";
    let map = import_str(NODES, links).unwrap().map;
    let kinds: Vec<LinkKind> = map.sorted_links().iter().map(|l| l.kind).collect();
    assert!(kinds.contains(&LinkKind::ContributesTo) && kinds.contains(&LinkKind::Delivers));
}

#[test]
fn errors_name_file_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        ("id,kind,title\nm1,widget,X\n", LINKS, "nodes.csv, line 2, column 2 (kind): \"widget\" is not a kind of card"),
        (
            "id,kind,title\nm1,mission,X\nm1,mission,Y\n",
            "from,to\n",
            "nodes.csv, line 3, column 1 (id): the id \"m1\" is already used on line 2",
        ),
        ("id,title\nm1,X\n", "from,to\n", "nodes.csv, line 1: there is no \"kind\" column"),
        (
            "id,kind,title,budget\ni1,intervention,X,lots\n",
            "from,to\n",
            "nodes.csv, line 2, column 4 (budget): \"lots\" is not a number",
        ),
        ("id,kind,title,x,y\ni1,intervention,X,NaN,1\n", "from,to\n", "column 4 (x): \"NaN\" is not a number"),
        (
            "id,kind,title,deadline\nm1,mission,X,next year\n",
            "from,to\n",
            "column 4 (deadline): \"next year\" is not a date",
        ),
        (
            "id,kind,title,stage\ni1,intervention,X,dreaming\n",
            "from,to\n",
            "\"dreaming\" is not one of: idea, proposed",
        ),
        (
            NODES,
            "from,to,kind\nm1,p1,funds\n",
            "links.csv, line 2, column 3 (kind): a \"funds\" link cannot go from a mission to a partner",
        ),
        (NODES, "from,to,kind\nx9,m1,contributes-to\n", "links.csv, line 2, column 1 (from): there is no card \"x9\""),
        (NODES, "from,to,kind\ni1,m1,hates\n", "links.csv, line 2, column 3 (kind): \"hates\" is not a kind of link"),
        (NODES, "from,to\nm1,p1\n", "no link may go from a mission to a partner"),
        ("id,kind,title\n,mission,X\n", "from,to\n", "nodes.csv, line 2, column 1 (id): the id is empty"),
    ];
    for (nodes, links, expected) in cases {
        let errors = import_str(nodes, links).unwrap_err();
        let text = messages(&errors);
        assert!(text.contains(expected), "expected {expected:?} in:\n{text}");
    }
}

#[test]
fn formula_cells_are_neutralised_and_read_back_exactly() {
    for s in ["=1+1", "+44 20", "-5 items", "@SUM(A1)", "\tx", "\rx", "'=x", "''=x", "'plain", "plain"] {
        let n = neutralise(s);
        assert_eq!(unneutralise(&n), s, "{s:?} → {n:?}");
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            assert!(n.starts_with('\''), "{s:?} → {n:?}");
        }
    }
    let nodes = "id,kind,title\nm1,mission,=HYPERLINK(\"http://x\")\n";
    let map = import_str(nodes, "from,to\n").unwrap().map;
    let (n, _) = export(&map);
    assert!(n.contains("'=HYPERLINK"), "{n}");
    assert!(!n.contains(",=HYPERLINK"), "{n}");
}

#[test]
fn export_then_import_gives_the_same_cards_and_links() {
    let map = crate::sample::uk_missions();
    let (n, l) = export(&map);
    assert!(n.starts_with('\u{feff}'), "a BOM so Excel reads UTF-8");
    let back = import("nodes.csv", n.as_bytes(), "links.csv", l.as_bytes()).unwrap().map;
    assert_eq!(back.node_count(), map.node_count());
    for node in map.nodes() {
        // Readings (and a target's frequency and milestones) travel in their own spreadsheet
        // (`missionboard readings`), not in the cards'; decisions stay in the map file.
        let mut node = node.clone();
        match &mut node.kind {
            NodeKind::Mission { target, .. } => {
                target.readings.clear();
                target.milestones.clear();
                target.frequency.clear();
            }
            NodeKind::SubMission { indicators, .. } => {
                for i in indicators {
                    i.readings.clear();
                    i.milestones.clear();
                    // The sheet has no ids: the import derives them from what it holds.
                    i.id = crate::model::ItemId::default();
                }
            }
            NodeKind::Intervention { decisions, .. } => decisions.clear(),
            NodeKind::Partner { .. } => {}
        }
        let mut imported = back.node(&node.id).cloned();
        if let Some(NodeKind::SubMission { indicators, .. }) = imported.as_mut().map(|n| &mut n.kind) {
            for i in indicators {
                assert!(!i.id.is_empty(), "imported indicators get ids");
                i.id = crate::model::ItemId::default();
            }
        }
        assert_eq!(imported.as_ref(), Some(&node), "card {}", node.id);
        assert_eq!(back.placement(&node.id), map.placement(&node.id));
    }
    for link in map.links() {
        assert_eq!(back.link(&link.id), Some(link));
    }
}

#[test]
fn numbers_as_spreadsheets_write_them() {
    assert_eq!(parse_number("1,500", b','), Some(1500.0));
    assert_eq!(parse_number("£1,500.50", b','), Some(1500.5));
    assert_eq!(parse_number("12,5", b';'), Some(12.5));
    assert_eq!(parse_number("1.234,5", b';'), Some(1234.5));
    assert_eq!(parse_number("40%", b','), Some(40.0));
    assert_eq!(parse_number("inf", b','), None);
    assert_eq!(parse_date("31/03/2030"), NaiveDate::from_ymd_opt(2030, 3, 31));
    assert_eq!(parse_date("2030-03-31T00:00:00"), NaiveDate::from_ymd_opt(2030, 3, 31));
}

#[test]
fn gen_toc_style_files_import() {
    let nodes = "id,kind,title\nm1,mission,A\no1,sub-mission,B\ni1,intervention,C\ni2,intervention,D\np1,partner,E\n";
    let links =
        "from,to,kind\no1,m1,contributes-to\ni1,o1,contributes-to\ni1,i2,enables\np1,i1,delivers\np1,i2,funds\n";
    let map = import_str(nodes, links).unwrap().map;
    assert_eq!(map.link_count(), 5);
    // Bands: missions above sub-missions above interventions above partners.
    let y = |s: &str| map.placement(&NodeId::new(s).unwrap()).unwrap().y;
    assert!(y("m1") < y("o1") && y("o1") < y("i1") && y("i1") < y("p1"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any bytes at all, as either file: a list of errors or a map that saves and reads back the
    /// same; never a panic.
    #[test]
    fn any_bytes_import_to_an_error_or_a_map_that_saves_and_reloads(
        nodes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        links in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
    ) {
        check_import(&nodes, &links)?;
    }

    /// Bytes that look like a spreadsheet: a real header and, in each column, mostly what belongs
    /// there (ids, kinds, numbers, dates) with odd bytes mixed in, so most imports get past the
    /// header into the rows and many succeed (`most_spreadsheet_like_imports_succeed` counts them),
    /// and the saved map is the part being tested.
    #[test]
    fn spreadsheet_like_bytes_import_to_an_error_or_a_map_that_saves_and_reloads(
        (nodes, links) in spreadsheet(true),
    ) {
        check_import(&nodes, &links)?;
    }

    /// The same spreadsheets with only what belongs in each cell: every one imports, with every
    /// row a card of its kind and every link row a link.
    #[test]
    fn spreadsheets_of_good_cells_always_import_every_row(
        (nodes, links) in spreadsheet(false),
    ) {
        let imported = import("nodes.csv", &nodes, "links.csv", &links);
        proptest::prop_assert!(imported.is_ok(), "a good spreadsheet was refused: {}", imported.as_ref().err().map(|e| messages(e)).unwrap_or_default());
        let map = imported.map(|i| i.map).unwrap_or_default();
        let cards = count_rows(&nodes);
        proptest::prop_assert_eq!(map.node_count(), cards);
        for i in 0..cards {
            let node = map.node(&NodeId::new(format!("c{i}")).unwrap());
            proptest::prop_assert!(node.is_some(), "no card c{}", i);
            let want = [Kind::Mission, Kind::SubMission, Kind::Intervention, Kind::Partner][i % 4];
            proptest::prop_assert_eq!(node.map(Node::kind), Some(want), "c{} was written {}", i, ROW_KINDS[i % 4]);
        }
        proptest::prop_assert_eq!(map.link_count(), count_rows(&links));
        check_import(&nodes, &links)?;
    }
}

/// The rows below the header of a generated spreadsheet (a row per `\r\n` outside quotes).
fn count_rows(table: &[u8]) -> usize {
    let mut quoted = false;
    let mut rows = 0;
    for w in table.windows(2) {
        if w[0] == b'"' {
            quoted = !quoted;
        }
        if !quoted && w == b"\r\n" {
            rows += 1;
        }
    }
    rows
}

/// Many spreadsheet-like imports succeed: the property test above is mostly testing saved maps,
/// not error lists.
#[test]
fn most_spreadsheet_like_imports_succeed() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = spreadsheet(true);
    let tries = 200;
    let mut ok = 0;
    for _ in 0..tries {
        let (nodes, links) = strategy.new_tree(&mut runner).unwrap().current();
        ok += usize::from(import("nodes.csv", &nodes, "links.csv", &links).is_ok());
    }
    assert!(ok * 4 >= tries, "only {ok} of {tries} spreadsheet-like imports succeeded");
}

/// A nodes file and a links file that look like a spreadsheet (see the property tests); with
/// `bad`, odd and wrong cells are mixed in.
fn spreadsheet(bad: bool) -> impl proptest::strategy::Strategy<Value = (Vec<u8>, Vec<u8>)> {
    use proptest::prelude::*;
    (proptest::collection::vec(node_row(bad), 8..12), link_rows(bad), prop_oneof![Just(b','), Just(b';'), Just(b'\t')])
        .prop_map(move |(rows, link_rows, sep)| {
            let table = |header: &[&str], rows: &[Vec<Vec<u8>>]| {
                let mut out = header.join(&char::from(sep).to_string()).into_bytes();
                for row in rows {
                    out.extend_from_slice(b"\r\n");
                    for (i, c) in row.iter().enumerate() {
                        if i > 0 {
                            out.push(sep);
                        }
                        // A good spreadsheet quotes a cell holding its separator ("£1,500" in a
                        // comma-separated file); with `bad`, such a cell is left to split.
                        if !bad && c.contains(&sep) && !c.starts_with(b"\"") {
                            out.push(b'"');
                            out.extend_from_slice(c);
                            out.push(b'"');
                        } else {
                            out.extend_from_slice(c);
                        }
                    }
                }
                out
            };
            let rows: Vec<Vec<Vec<u8>>> = rows
                .into_iter()
                .enumerate()
                .map(|(i, mut row)| {
                    if row[0] == b"@" {
                        row[0] = format!("c{i}").into_bytes();
                    }
                    if row[1] == b"@" {
                        row[1] = ROW_KINDS[i % 4].as_bytes().to_vec();
                    }
                    row
                })
                .collect();
            let nodes = table(&["id", "kind", "title", "budget", "x", "y", "deadline"], &rows);
            let links = table(&["from", "to", "kind", "weight"], &link_rows);
            (nodes, links)
        })
}

/// Mostly one of `good`, now and then (with `bad_too`) one of `bad` (a value that must be
/// refused) or anything; without `bad_too`, one of `good` only.
fn mostly(
    bad_too: bool,
    good: &'static [&'static [u8]],
    bad: &'static [&'static [u8]],
) -> proptest::strategy::BoxedStrategy<Vec<u8>> {
    use proptest::prelude::*;
    if !bad_too {
        return proptest::sample::select(good).prop_map(<[u8]>::to_vec).boxed();
    }
    prop_oneof![
        150 => proptest::sample::select(good).prop_map(<[u8]>::to_vec),
        1 => proptest::sample::select(bad).prop_map(<[u8]>::to_vec),
        1 => odd(),
    ]
    .boxed()
}

/// Rows get their own id `c0`, `c1`, … where the id cell is `@`; links point at those.
const OWN_ID: &[&[u8]] = &[b"@"];
/// Rows get the kind of their place where the kind cell is `@`: c0 a mission, c1 a sub-mission,
/// c2 an intervention, c3 a partner, and round again.
const OWN_KIND: &[&[u8]] = &[b"@"];
const ROW_KINDS: [&str; 4] = ["Mission", "sub mission", "intervention", "Partner organisation"];

fn node_row(bad: bool) -> impl proptest::strategy::Strategy<Value = Vec<Vec<u8>>> {
    use proptest::strategy::Strategy;
    (
        mostly(bad, OWN_ID, &[b"", b"c0", b"a b"]),
        mostly(bad, OWN_KIND, &[b"widget", b"", b"objective"]),
        mostly(
            bad,
            &[b"Clean power", b"\"Wind, \"\"offshore\"\"\"", b"=SUM(A1)", b"Caf\xe9", b"\"two\r\nlines\"", b""],
            &[b"\xef\xbb\xbf"],
        ),
        mostly(bad, &[b"", b"1000", b"\"1.500,5\"", b"\xa31,500", b"-0", b"40%"], &[b"NaN", b"1e309", b"lots"]),
        mostly(bad, &[b"", b"10", b"-5.5", b"1e3"], &[b"inf", b"NaN"]),
        mostly(bad, &[b"", b"20", b"0"], &[b"x"]),
        mostly(bad, &[b"", b"2030-12-31", b"31/03/2030"], &[b"2030-02-30", b"next year"]),
    )
        .prop_map(|(a, b, c, d, e, f, g)| vec![a, b, c, d, e, f, g])
}

/// Pairs the rules allow, each at most once (kind left to be inferred, or named)…
const GOOD_LINKS: &[&str] =
    &["c1,c0,", "c2,c1,", "c3,c2,", "c5,c4,contributes to", "c7,c6,delivers", "c7,c2,funds", "c2,c6,enables"];
/// …and rows the import must refuse.
const BAD_LINKS: &[&str] = &["c0,c0,", "c0,c3,funds", ",c1,", "nobody,c1,", "c1,c0,"];

fn link_rows(bad: bool) -> impl proptest::strategy::Strategy<Value = Vec<Vec<Vec<u8>>>> {
    use proptest::prelude::*;
    let row = |pair: &str, weight: Vec<u8>| {
        let mut cells: Vec<Vec<u8>> = pair.split(',').map(|c| c.as_bytes().to_vec()).collect();
        cells.push(weight);
        cells
    };
    (
        proptest::sample::subsequence(GOOD_LINKS.to_vec(), 0..=GOOD_LINKS.len()),
        proptest::collection::vec(mostly(bad, &[b"", b"1", b"0.5"], &[b"NaN", b"-inf"]), GOOD_LINKS.len()),
        if bad {
            proptest::option::weighted(0.1, (proptest::sample::select(BAD_LINKS), any::<proptest::sample::Index>()))
                .boxed()
        } else {
            Just(None).boxed()
        },
    )
        .prop_map(move |(good, weights, bad)| {
            let mut rows: Vec<Vec<Vec<u8>>> = good.iter().zip(weights).map(|(p, w)| row(p, w)).collect();
            if let Some((pair, at)) = bad {
                rows.insert(at.index(rows.len() + 1), row(pair, Vec::new()));
            }
            rows
        })
}

/// Bytes that break things: quotes, separators, line ends, marks, 1252 bytes, anything.
fn odd() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
    use proptest::prelude::*;
    let pieces = prop_oneof![
        Just(b"\"".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"\x93\x80".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    proptest::collection::vec(pieces, 0..4).prop_map(|p| p.concat())
}

fn check_import(nodes: &[u8], links: &[u8]) -> Result<(), proptest::test_runner::TestCaseError> {
    match import("nodes.csv", nodes, "links.csv", links) {
        Err(errors) => {
            proptest::prop_assert!(!errors.is_empty(), "an error list is never empty");
            for e in &errors {
                proptest::prop_assert!(!e.to_string().trim().is_empty());
            }
        }
        Ok(imported) => {
            let text = crate::io::to_string(&imported.map);
            let back = crate::io::load_str(&text);
            proptest::prop_assert!(back.is_ok(), "saved import does not load: {:?}\n{text}", back.err());
            if let Ok(back) = back {
                proptest::prop_assert_eq!(crate::io::to_string(&back.map), text);
            }
        }
    }
    Ok(())
}

#[test]
fn lines_are_counted_the_same_with_crlf_as_with_lf() {
    // Found by the property test above: after Excel's CRLF line ends, errors named the line before.
    for end in ["\n", "\r\n"] {
        let nodes = ["id,kind,title", "m1,mission,A", "\"i1\",intervention,\"two", "lines\"", "p1,widget,C"].join(end);
        let errors = import("nodes.csv", nodes.as_bytes(), "links.csv", b"from,to\n").unwrap_err();
        assert_eq!(
            messages(&errors),
            "nodes.csv, line 5, column 2 (kind): \"widget\" is not a kind of card; use mission, sub-mission, intervention or partner",
            "line ends {end:?}"
        );
    }
}

#[test]
fn unknown_frequencies_are_refused_with_the_known_ones() {
    let nodes = "id,kind,title,indicators\ns1,sub-mission,Homes,\"Homes built | k | 0 | 100 | 2029-12-31 | ONS | every election\"\n";
    let errors = import_str(nodes, "from,to\n").map(|_| ()).unwrap_err();
    let text = messages(&errors);
    assert!(text.contains("line 2, column 4 (indicators)"), "{text}");
    assert!(text.contains("“every election” is not a frequency Missionboard knows"), "{text}");
    assert!(text.contains("quarterly") && text.contains("six-monthly"), "the known ones are listed: {text}");
    // A known one (any case, any spacing) is taken.
    let ok = nodes.replace("every election", "Twice a year");
    assert!(import_str(&ok, "from,to\n").is_ok());
}

#[test]
fn a_held_targets_direction_is_read_and_written() {
    use crate::model::progress::Hold;
    let nodes = "id,kind,title,baseline,target,deadline,hold,indicators\n\
        m1,mission,NHS,18,18,2029-03-31,at most,\n\
        s1,sub-mission,Waits,,,,,\"Weeks waited | weeks | 18 | 18 | 2029-03-31 | NHS | monthly | | At least\"\n";
    let map = import_str(nodes, "from,to\n").unwrap().map;
    let NodeKind::Mission { target, .. } = &map.node(&NodeId::new("m1").unwrap()).unwrap().kind else { panic!() };
    assert_eq!(target.hold, Some(Hold::AtMost));
    let NodeKind::SubMission { indicators, .. } = &map.node(&NodeId::new("s1").unwrap()).unwrap().kind else {
        panic!()
    };
    assert_eq!((indicators[0].hold, indicators[0].baseline_date), (Some(Hold::AtLeast), None));
    // Written back and read again, the same.
    let (n, l) = export(&map);
    let back = import("nodes.csv", n.as_bytes(), "links.csv", l.as_bytes()).unwrap().map;
    for node in map.nodes() {
        assert_eq!(back.node(&node.id), Some(node));
    }
    // A direction that is neither is refused.
    let bad = nodes.replace("at most", "about");
    let text = messages(&import_str(&bad, "from,to\n").map(|_| ()).unwrap_err());
    assert!(text.contains("\"about\" is not one of: at most, at least"), "{text}");
}
