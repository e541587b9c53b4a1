//! Excel workbooks: a sheet `nodes` and a sheet `links` with the same columns as the two CSV files
//! (see `docs/file-format.md#spreadsheets`). Written with `rust_xlsxwriter` (header row bold and
//! frozen, columns sized, numbers as numbers) and read with `calamine`, through the CSV importer, so
//! both read the same columns, synonyms and quirks and report problems the same way, naming the
//! workbook, the sheet and the row.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use super::csv::{CsvError, Imported};
use crate::model::MissionMap;

/// Workbooks larger than this are refused before reading.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Columns written as numbers (the rest as text, so "0044" or "=1+2" stay as typed).
const NUMBER_COLUMNS: &[&str] = &["budget", "baseline", "target", "x", "y", "weight", "confidence"];

fn problem(file: &str, message: String) -> Vec<CsvError> {
    vec![CsvError { file: file.to_owned(), line: 0, column: None, message }]
}

/// The map as an .xlsx workbook.
pub fn export(map: &MissionMap) -> Result<Vec<u8>, String> {
    let (nodes, links) = super::csv::export(map);
    let mut book = Workbook::new();
    let header =
        Format::new().set_bold().set_background_color(Color::RGB(0x00DD_E6F0)).set_border_bottom(FormatBorder::Thin);
    for (name, text) in [("nodes", nodes), ("links", links)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(|e| e.to_string())?;
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut columns: Vec<String> = Vec::new();
        for (r, record) in reader.records().enumerate() {
            let record = record.map_err(|e| e.to_string())?;
            let row = u32::try_from(r).map_err(|_| "too many rows for a workbook".to_owned())?;
            for (c, cell) in record.iter().enumerate() {
                let col = u16::try_from(c).map_err(|_| "too many columns for a workbook".to_owned())?;
                if r == 0 {
                    columns.push(cell.to_owned());
                    sheet.write_string_with_format(row, col, cell, &header).map_err(|e| e.to_string())?;
                    continue;
                }
                let numeric = columns.get(c).is_some_and(|h| NUMBER_COLUMNS.contains(&h.as_str()));
                match cell.parse::<f64>() {
                    Ok(v) if numeric && v.is_finite() => sheet.write_number(row, col, v),
                    _ if cell.is_empty() => continue,
                    _ => sheet.write_string(row, col, cell),
                }
                .map_err(|e| e.to_string())?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
        sheet.autofit();
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// A cell as the CSV importer reads it.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        // Days since 30 December 1899, as Excel counts them.
        Data::DateTime(dt) => {
            let days = dt.as_f64().floor();
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(chrono::Duration::days(days as i64)))
                .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
        }
    }
}

/// One sheet as CSV text, with its rows where the sheet has them (so line N is row N).
fn sheet_csv(book: &mut Xlsx<Cursor<&[u8]>>, sheet: &str) -> Result<String, String> {
    let range = book.worksheet_range(sheet).map_err(|e| e.to_string())?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    for _ in 0..row0 {
        let _ = w.write_record([""]);
    }
    for row in range.rows() {
        let mut cells: Vec<String> = vec![String::new(); col0 as usize];
        cells.extend(row.iter().map(cell_text));
        let _ = w.write_record(&cells);
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Builds a map from a workbook's `nodes` and `links` sheets (any case; `cards` also names the
/// first). `name` is the workbook's file name, for messages.
pub fn import(name: &str, bytes: &[u8]) -> Result<Imported, Vec<CsvError>> {
    if bytes.len() > MAX_BYTES {
        return Err(problem(
            name,
            format!("the workbook is {} bytes; Missionboard reads workbooks up to {MAX_BYTES} bytes", bytes.len()),
        ));
    }
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        problem(
            name,
            format!("this is not an Excel workbook Missionboard can read ({e}); save it as \"Excel Workbook (.xlsx)\""),
        )
    })?;
    let names = book.sheet_names();
    let find =
        |wanted: &[&str]| names.iter().find(|n| wanted.iter().any(|w| n.trim().eq_ignore_ascii_case(w))).cloned();
    let (Some(nodes), Some(links)) = (find(&["nodes", "cards"]), find(&["links"])) else {
        return Err(problem(
            name,
            format!(
                "a map workbook needs a sheet called \"nodes\" (the cards) and one called \"links\"; this one has: {}",
                names.join(", ")
            ),
        ));
    };
    let nodes_text = sheet_csv(&mut book, &nodes).map_err(|e| problem(name, format!("sheet {nodes}: {e}")))?;
    let links_text = sheet_csv(&mut book, &links).map_err(|e| problem(name, format!("sheet {links}: {e}")))?;
    let mut imported = super::csv::import(
        &format!("{name}, sheet {nodes}"),
        nodes_text.as_bytes(),
        &format!("{name}, sheet {links}"),
        links_text.as_bytes(),
    )?;
    let stem = name.trim_end_matches(".xlsx").trim_end_matches(".XLSX");
    if !stem.is_empty() {
        stem.clone_into(&mut imported.map.meta.title);
    }
    Ok(imported)
}

/// Reads a workbook file.
pub fn import_path(path: &std::path::Path) -> Result<Imported, Vec<CsvError>> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = std::fs::read(path)
        .map_err(|e| problem(&name, format!("could not read the file: {}", super::atomic::explain_read(&e))))?;
    import(&name, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_round_trips_the_sample_and_formula_like_text_stays_text() {
        let mut map = crate::sample::uk_missions();
        let id = map.sorted_nodes()[0].id.clone();
        map.update_node(&id, |n| "=HYPERLINK(\"http://x\")".clone_into(&mut n.title)).unwrap();
        let bytes = export(&map).unwrap();
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
        // Numbers are written as numbers (a spreadsheet sums them), the rest as text.
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.as_slice())).unwrap();
        for (sheet, numbers, texts) in [
            ("nodes", &["budget", "x", "y"][..], &["id", "kind", "title"][..]),
            ("links", &["confidence"], &["from", "to"]),
        ] {
            let range = book.worksheet_range(sheet).unwrap();
            let mut rows = range.rows();
            let header: Vec<String> = rows.next().unwrap().iter().map(cell_text).collect();
            let column = |name: &str| header.iter().position(|h| h == name).unwrap();
            let mut counted = 0;
            for row in rows {
                for name in numbers {
                    let cell = &row[column(name)];
                    assert!(matches!(cell, Data::Float(_) | Data::Empty), "{sheet} {name}: {cell:?} is not a number");
                    counted += usize::from(matches!(cell, Data::Float(_)));
                }
                for name in texts {
                    let cell = &row[column(name)];
                    assert!(matches!(cell, Data::String(_)), "{sheet} {name}: {cell:?} is not text");
                }
            }
            assert!(counted > 50, "{sheet}: only {counted} numbers");
        }
        let back = import("uk.xlsx", &bytes).unwrap().map;
        assert_eq!(back.node_count(), map.node_count());
        assert_eq!(back.link_count(), map.link_count());
        assert_eq!(back.node(&id).unwrap().title, "=HYPERLINK(\"http://x\")");
        let (a, b) = (crate::io::csv::export(&map), crate::io::csv::export(&back));
        assert_eq!(a, b, "the same cells as the CSV export");
    }

    /// A workbook saved by LibreOffice Calc (`soffice --headless --convert-to xlsx` of our export of
    /// the UK sample): its own styles, shared strings and number formats.
    #[test]
    fn a_workbook_saved_by_libreoffice_imports() {
        let bytes = include_bytes!("../../tests/fixtures/libreoffice-uk.xlsx");
        let map = import("libreoffice-uk.xlsx", bytes).unwrap().map;
        assert_eq!((map.node_count(), map.link_count()), (79, 124));
        let i1 = map.node(&crate::model::NodeId::new("i1").unwrap()).unwrap();
        assert_eq!(i1.title, "National Wealth Fund investment");
        let crate::model::NodeKind::Intervention { budget, start, .. } = &i1.kind else {
            panic!("i1 is an intervention")
        };
        assert_eq!(budget.as_ref().map(|b| b.amount), Some(27_800_000_000.0));
        assert_eq!(start.map(|d| d.to_string()).as_deref(), Some("2024-10-14"));
        assert_eq!(map.meta.title, "libreoffice-uk");
    }

    #[test]
    fn problems_name_the_workbook_sheet_and_row() {
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        s.set_name("Nodes").unwrap();
        for (c, h) in ["id", "kind", "title"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in ["m1", "mission", "Clean power"].iter().enumerate() {
            s.write_string(1, c as u16, *v).unwrap();
        }
        for (c, v) in ["x1", "widget", "Thing"].iter().enumerate() {
            s.write_string(2, c as u16, *v).unwrap();
        }
        let l = book.add_worksheet();
        l.set_name("links").unwrap();
        l.write_string(0, 0, "from").unwrap();
        l.write_string(0, 1, "to").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let err = import("board.xlsx", &bytes).unwrap_err();
        let text = err.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        assert!(text.contains("board.xlsx, sheet Nodes, line 3, column 2 (kind): \"widget\""), "{text}");
        let none = import("x.xlsx", b"not a zip").unwrap_err();
        assert!(none[0].message.contains("not an Excel workbook"), "{:?}", none[0]);
        let mut one = Workbook::new();
        one.add_worksheet().set_name("Sheet1").unwrap();
        let err = import("y.xlsx", &one.save_to_buffer().unwrap()).unwrap_err();
        assert!(err[0].message.contains("this one has: Sheet1"), "{:?}", err[0]);
    }
}
