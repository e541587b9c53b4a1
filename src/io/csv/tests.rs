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

#[test]
fn reads_windows_1252() {
    let mut nodes = b"id,kind,title\nm1,mission,Caf\xe9 \xa3 growth\n".to_vec();
    nodes.extend_from_slice(b"");
    let imported = import("nodes.csv", &nodes, "links.csv", b"from,to,kind\n").unwrap();
    assert_eq!(imported.map.node(&NodeId::new("m1").unwrap()).unwrap().title, "Café £ growth");
    assert!(imported.warnings[0].contains("Windows-1252"));
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
        assert_eq!(back.node(&node.id), Some(node), "card {}", node.id);
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
