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

// ------------------------------------------------------------------------------------- workbooks

/// Deflate data (RFC 1951) written by hand: one block of fixed Huffman codes, with long repeats
/// as back-references of 258 bytes (17 bits or fewer each). So a test can make a sheet of 1.5 GB
/// in a few MB without ever holding the 1.5 GB.
struct Deflate {
    out: Vec<u8>,
    bits: u64,
    nbits: u32,
    len: u64,
}

impl Deflate {
    fn new() -> Deflate {
        let mut d = Deflate { out: Vec::new(), bits: 0, nbits: 0, len: 0 };
        d.put(1, 1); // the last block
        d.put(1, 2); // fixed Huffman codes
        d
    }

    /// `n` bits of `value`, least significant first.
    fn put(&mut self, value: u32, n: u32) {
        self.bits |= u64::from(value) << self.nbits;
        self.nbits += n;
        while self.nbits >= 8 {
            self.out.push(self.bits as u8);
            self.bits >>= 8;
            self.nbits -= 8;
        }
    }

    /// A Huffman code, most significant bit first.
    fn code(&mut self, code: u32, n: u32) {
        let reversed = code.reverse_bits() >> (32 - n);
        self.put(reversed, n);
    }

    fn literal(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b < 144 { self.code(0x30 + u32::from(b), 8) } else { self.code(0x190 + u32::from(b) - 144, 9) }
        }
        self.len += bytes.len() as u64;
    }

    /// `unit` `times` over: once as it is, then copies of the 258 bytes `unit.len()` back.
    fn repeat(&mut self, unit: &[u8], times: u64) {
        let u = unit.len() as u32;
        assert!((1..=32768).contains(&u) && times > 0);
        let start = self.len;
        self.literal(unit);
        let mut left = (times - 1) * u64::from(u);
        // Distance code and extra bits for a distance of `u` (RFC 1951, 3.2.5).
        let (mut code, mut base, mut extra) = (0u32, 1u32, 0u32);
        while base + (1 << extra) <= u {
            base += 1 << extra;
            code += 1;
            if code >= 4 && code % 2 == 0 {
                extra += 1;
            }
        }
        while left >= 258 {
            self.code(0xC5, 8); // length 258
            self.code(code, 5);
            self.put(u - base, extra);
            left -= 258;
            self.len += 258;
        }
        let done = self.len - start;
        let tail: Vec<u8> = (0..left).map(|i| unit[((done + i) % u64::from(u)) as usize]).collect();
        self.literal(&tail);
    }

    fn finish(mut self) -> (Vec<u8>, u64) {
        self.code(0, 7); // end of block
        if self.nbits > 0 {
            self.out.push(self.bits as u8);
        }
        (self.out, self.len)
    }
}

/// A zip archive written by hand, so a test can declare sizes that lie: (name, method — 0 stored,
/// 8 deflated —, data, CRC-32, declared unpacked size).
fn zip_archive(entries: &[(String, u16, Vec<u8>, u32, u32)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let n = u16::try_from(entries.len()).unwrap();
    for (name, method, data, crc, size) in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let csize = u32::try_from(data.len()).unwrap();
        let name_len = u16::try_from(name.len()).unwrap();
        // Version 2.0, no flags, the method, time 00:00 and date 1980-01-01.
        let common = |v: &mut Vec<u8>| {
            for half in [20u16, 0, *method, 0, 0x21] {
                v.extend(half.to_le_bytes());
            }
            for word in [*crc, csize, *size] {
                v.extend(word.to_le_bytes());
            }
            v.extend(name_len.to_le_bytes());
            v.extend(0u16.to_le_bytes()); // no extra field
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend(name.as_bytes());
        out.extend(data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        common(&mut central);
        central.extend([0u8; 8]); // comment length, disk, internal and external attributes
        central.extend([0u8; 2]);
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let (cd_offset, cd_size) = (u32::try_from(out.len()).unwrap(), u32::try_from(central.len()).unwrap());
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // this disk, the directory's disk
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A workbook made by Missionboard (sheets `nodes` and `links`), its `nodes` sheet replaced by
/// `sheet` as (deflated data, declared size). Every other part is kept as it was, stored.
fn workbook_with_nodes_sheet(sheet: &(Vec<u8>, u32)) -> Vec<u8> {
    use std::io::Read;
    let made = io::xlsx::export(&MissionMap::new("Board")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(made)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        if name == "xl/worksheets/sheet1.xml" {
            // The CRC is never reached: the importer stops before the end of the sheet.
            entries.push((name, 8, sheet.0.clone(), 0, sheet.1));
            continue;
        }
        let crc = part.crc32();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        let size = u32::try_from(data.len()).unwrap();
        entries.push((name, 0, data, crc, size));
    }
    zip_archive(&entries)
}

const SHEET_START: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
const SHEET_END: &str = "</sheetData></worksheet>";

/// A sheet row of text cells.
fn sheet_row(cells: &[&str]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| format!("<c t=\"inlineStr\"><is><t>{c}</t></is></c>")).collect();
    format!("<row>{}</row>", cells.concat())
}

/// The `nodes` sheet of a zip bomb: a header, then 1.5 GB of rows of cards (about 14 MB packed).
fn bomb_sheet() -> (Vec<u8>, u64) {
    let mut d = Deflate::new();
    d.literal(SHEET_START.as_bytes());
    d.literal(sheet_row(&["id", "kind", "title"]).as_bytes());
    let unit = sheet_row(&["", "mission", "New mission"]);
    d.repeat(unit.as_bytes(), 1_500_000_000 / unit.len() as u64);
    d.literal(SHEET_END.as_bytes());
    d.finish()
}

/// (row name as in the docs, the workbook, what the person sees: `Ok(cards)` = opens with that
/// many cards, else a part of the message)
fn workbook_rows() -> Vec<(&'static str, Vec<u8>, Result<usize, &'static str>)> {
    let (bomb, unpacked) = bomb_sheet();
    assert!(unpacked > 1_400_000_000 && bomb.len() < 16_000_000, "{unpacked} in {}", bomb.len());
    let card = |id: &str| sheet_row(&[id, "mission", "Clean power"]);

    let mut empty_rows = Deflate::new();
    empty_rows.literal(
        format!("{SHEET_START}{}{}{}", sheet_row(&["id", "kind", "title"]), card("m1"), card("m2")).as_bytes(),
    );
    empty_rows.repeat(b"<row/>", 1_000_000);
    empty_rows.literal(format!("{}{SHEET_END}", card("m3")).as_bytes());
    let (empty_rows, empty_size) = empty_rows.finish();

    let mut long = Deflate::new();
    long.literal(format!("{SHEET_START}{}", sheet_row(&["id", "kind", "title"])).as_bytes());
    for id in ["m1", "m2", "m3"] {
        long.literal(format!("<row><c t=\"inlineStr\"><is><t>{id}</t></is></c><c t=\"inlineStr\"><is><t>mission</t></is></c><c t=\"inlineStr\"><is><t>").as_bytes());
        long.repeat(b"A", 100_000);
        long.literal(b"</t></is></c></row>");
    }
    long.literal(SHEET_END.as_bytes());
    let (long, long_size) = long.finish();

    vec![
        (
            "A zip bomb (14 MB that unpacks to 1.5 GB)",
            workbook_with_nodes_sheet(&(bomb.clone(), u32::try_from(unpacked).unwrap())),
            Err(
                "the workbook unpacks to 1500015886 bytes; Missionboard reads workbooks that unpack to at most 67108864 bytes",
            ),
        ),
        (
            "A zip bomb whose directory lies (says 2 KB, unpacks to 1.5 GB)",
            workbook_with_nodes_sheet(&(bomb, 2048)),
            Err("sheet nodes: this sheet could not be read; the workbook is damaged"),
        ),
        (
            "A workbook with 1,000,000 empty rows",
            workbook_with_nodes_sheet(&(empty_rows, u32::try_from(empty_size).unwrap())),
            Ok(3),
        ),
        (
            "A sheet whose cells are 100,000-character strings",
            workbook_with_nodes_sheet(&(long, u32::try_from(long_size).unwrap())),
            Err(
                "sheet nodes, row 2, column 3: the cell holds 100000 characters; a spreadsheet cell holds at most 32767 (Excel's limit)",
            ),
        ),
    ]
}

#[test]
fn each_hostile_workbook_is_refused_at_once_or_read_and_the_docs_say_so() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/hostile-input.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (i, (name, bytes, expected)) in workbook_rows().into_iter().enumerate() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("docs/hostile-input.md has no row \"| {name} |\""));
        // The editor's File ▸ Open and the CLI read workbooks with this; a refusal takes no time.
        let started = std::time::Instant::now();
        let read = io::xlsx::import("map.xlsx", &bytes);
        let took = started.elapsed();
        let path = dir.path().join(format!("{i}.xlsx"));
        std::fs::write(&path, &bytes).unwrap();
        // To measure them by hand (docs/benchmarks.md): HOSTILE_WORKBOOKS=DIR keeps a copy there.
        if let Some(keep) = std::env::var_os("HOSTILE_WORKBOOKS") {
            std::fs::write(std::path::Path::new(&keep).join(format!("{i}.xlsx")), &bytes).unwrap();
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_missionboard"))
            .arg("import")
            .arg(&path)
            .arg("-o")
            .arg(dir.path().join(format!("{i}.mission.ron")))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("line 0") && !stderr.contains(", line "), "{name}: a sheet has rows: {stderr}");
        match expected {
            Ok(cards) => {
                let read = read.unwrap_or_else(|e| panic!("{name}: should open, but: {}", e[0]));
                assert_eq!(read.map.node_count(), cards, "{name}");
                assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
                assert!(row.contains("Opens normally"), "{name}: {row}");
            }
            Err(part) => {
                let text = read.err().unwrap_or_else(|| panic!("{name}: should be refused"))[0].to_string();
                assert!(text.contains(part), "{name}: expected {part:?} in {text:?}");
                assert!(took < std::time::Duration::from_secs(1), "{name}: took {took:?}");
                assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
                assert!(stderr.contains(part), "{name}: expected {part:?} in {stderr:?}");
                assert!(row.contains(&part.replace('|', "\\|")), "{name}: the docs row should quote {part:?}: {row}");
            }
        }
    }
}

#[test]
fn the_editor_refuses_a_zip_bomb_with_the_same_message() {
    use egui_kittest::kittest::Queryable;
    let (bomb, unpacked) = bomb_sheet();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.xlsx");
    std::fs::write(&path, workbook_with_nodes_sheet(&(bomb, u32::try_from(unpacked).unwrap()))).unwrap();
    let mut h = egui_kittest::Harness::builder().with_size(egui::vec2(1280.0, 720.0)).build_eframe(|cc| {
        missionboard::app::MissionboardApp::with_map(
            &cc.egui_ctx,
            MissionMap::new("Board"),
            missionboard::app::Settings::default(),
        )
    });
    h.run_steps(2);
    let started = std::time::Instant::now();
    h.state_mut().open_path(&path);
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
    h.run_steps(2);
    assert!(h.query_by_label_contains("the workbook unpacks to 1500015886 bytes").is_some(), "the editor says why");
    assert_eq!(h.state().map().node_count(), 0, "the map shown is unchanged");
}
