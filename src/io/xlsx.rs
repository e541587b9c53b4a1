//! Excel workbooks: a sheet `nodes` and a sheet `links` with the same columns as the two CSV files
//! (see `docs/file-format.md#spreadsheets`). Written with `rust_xlsxwriter` (header row bold and
//! frozen, columns sized, numbers as numbers) and read with `calamine`, through the CSV importer, so
//! both read the same columns, synonyms and quirks and report problems the same way, naming the
//! workbook, the sheet and the row.

use std::io::Cursor;

use std::collections::BTreeMap;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use super::csv::{CsvError, Imported};
use crate::model::MissionMap;

/// Workbooks larger than this are refused before reading.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// The most a workbook's parts may unpack to, all together, as their zip directory declares them
/// (a 10,000-card map unpacks to about 6 MB). A zip bomb — 1.5 MB that unpacks to 1.5 GB — is
/// refused from its directory before anything is unpacked.
pub const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// The most characters in one cell: Excel's own limit, so no spreadsheet makes a longer one.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most filled cells, and bytes of text in them, read from a workbook's two sheets (a shared
/// string may be used by any number of cells, so the unpacked size alone does not bound these).
pub const MAX_CELLS: usize = 1_000_000;
pub const MAX_TEXT: usize = 64 * 1024 * 1024;

/// Cells further right than this are refused (a map's sheet has about 30 columns).
pub const MAX_COLUMNS: u32 = 1024;

/// Columns written as numbers (the rest as text, so "0044" or "=1+2" stay as typed).
const NUMBER_COLUMNS: &[&str] = &["budget", "amount", "baseline", "target", "x", "y", "weight", "confidence"];

fn problem(file: &str, message: String) -> Vec<CsvError> {
    vec![CsvError { file: file.to_owned(), line: 0, column: None, message }]
}

/// The map as an .xlsx workbook.
pub fn export(map: &MissionMap) -> Result<Vec<u8>, String> {
    let (nodes, links) = super::csv::export(map);
    let mut book = Workbook::new();
    let header =
        Format::new().set_bold().set_background_color(Color::RGB(0x00DD_E6F0)).set_border_bottom(FormatBorder::Thin);
    // A `budget` sheet, one row per budget line, when the map has any.
    let budget = super::csv::export_budget(map).map(|b| ("budget", b));
    for (name, text) in [("nodes", nodes), ("links", links)].into_iter().chain(budget) {
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
fn cell_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty | DataRef::Error(_) => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        // Days since 30 December 1899, as Excel counts them.
        DataRef::DateTime(dt) => {
            let days = dt.as_f64().floor();
            chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(chrono::Duration::days(days as i64)))
                .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
        }
    }
}

/// The characters a cell holds, without copying it.
fn cell_chars(d: &DataRef<'_>) -> usize {
    match d {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.chars().count(),
        DataRef::SharedString(s) => s.chars().count(),
        _ => 0,
    }
}

/// A problem at a cell of a sheet: "board.xlsx, sheet nodes, row 7, column 3: …".
fn at_cell(file: &str, sheet: &str, (row, col): (u32, u32), message: String) -> Vec<CsvError> {
    vec![CsvError {
        file: format!("{file}, sheet {sheet}, row {}", u64::from(row) + 1),
        line: 0,
        column: Some((col as usize + 1, String::new())),
        message,
    }]
}

/// Refuses a workbook whose parts would inflate to more than [`MAX_INFLATED`], from the sizes its
/// zip directory declares, before anything is inflated. (A part that inflates to more than it
/// declared is stopped by the zip reader at its declared size, and the cell limits in
/// [`sheet_csv`] hold whatever the sizes say.)
fn check_declared_sizes(name: &str, bytes: &[u8]) -> Result<(), Vec<CsvError>> {
    // Not a zip at all: calamine says so in its own words below.
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // An entry whose directory record cannot be read is left to calamine to refuse.
        if let Ok(entry) = zip.by_index_data(i) {
            total = total.saturating_add(entry.size());
        }
    }
    if total > MAX_INFLATED {
        return Err(problem(
            name,
            format!(
                "the workbook unpacks to {total} bytes; Missionboard reads workbooks that unpack to at most {MAX_INFLATED} bytes (a 10,000-card map unpacks to about 6 MB). It was not read: it may be damaged, or made to fill the computer's memory"
            ),
        ));
    }
    Ok(())
}

/// One sheet as CSV text, row N of the sheet on line N, read cell by cell (never as one block
/// of rows × columns, so a cell far down or far right costs nothing) within the limits above.
fn sheet_csv(
    name: &str,
    book: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    budget: &mut Budget,
) -> Result<String, Vec<CsvError>> {
    let unreadable = |e: calamine::XlsxError| {
        problem(
            &format!("{name}, sheet {sheet}"),
            format!(
                "this sheet could not be read; the workbook is damaged ({e}). Open it in a spreadsheet and save it again"
            ),
        )
    };
    let mut reader = book.worksheet_cells_reader(sheet).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        let value = cell.get_value();
        if matches!(value, DataRef::Empty) {
            continue;
        }
        let chars = cell_chars(value);
        if chars > MAX_CELL_CHARS {
            return Err(at_cell(
                name,
                sheet,
                (row, col),
                format!(
                    "the cell holds {chars} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS} (Excel's limit), so this workbook was not made by a spreadsheet. Shorten the cell"
                ),
            ));
        }
        if col >= MAX_COLUMNS {
            return Err(at_cell(
                name,
                sheet,
                (row, col),
                format!("a map's sheet has at most {MAX_COLUMNS} columns; move or delete this cell"),
            ));
        }
        let text = cell_text(value);
        if text.is_empty() {
            continue;
        }
        budget.cells += 1;
        budget.bytes += text.len();
        if budget.cells > MAX_CELLS || budget.bytes > MAX_TEXT {
            return Err(at_cell(
                name,
                sheet,
                (row, col),
                format!(
                    "the workbook holds more than {MAX_CELLS} filled cells or {MAX_TEXT} bytes of text; Missionboard reads maps up to that size (a 10,000-card map has about 125,000). Split the workbook"
                ),
            ));
        }
        rows.entry(row).or_default().push((col, text));
    }
    let mut w = ::csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let mut next = 0u32;
    for (row, mut cells) in rows {
        // Rows with nothing in them stay as empty lines (the CSV reader skips them), so line N is row N.
        for _ in next..row {
            let _ = w.write_record([""]);
        }
        next = row.saturating_add(1);
        cells.sort_by_key(|(c, _)| *c);
        let width = cells.last().map_or(0, |(c, _)| *c as usize + 1);
        let mut record = vec![String::new(); width];
        for (c, text) in cells {
            record[c as usize] = text;
        }
        let _ = w.write_record(&record);
    }
    let bytes = w.into_inner().map_err(|e| problem(name, e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What the sheets read so far hold, against [`MAX_CELLS`] and [`MAX_TEXT`].
#[derive(Default)]
struct Budget {
    cells: usize,
    bytes: usize,
}

/// Opens a workbook after checking its size and its zip directory (see [`MAX_BYTES`]).
fn open_book<'b>(name: &str, bytes: &'b [u8]) -> Result<Xlsx<Cursor<&'b [u8]>>, Vec<CsvError>> {
    if bytes.len() > MAX_BYTES {
        return Err(problem(
            name,
            format!("the workbook is {} bytes; Missionboard reads workbooks up to {MAX_BYTES} bytes", bytes.len()),
        ));
    }
    check_declared_sizes(name, bytes)?;
    open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        problem(
            name,
            format!("this is not an Excel workbook Missionboard can read ({e}); save it as \"Excel Workbook (.xlsx)\""),
        )
    })
}

/// Problems found in a sheet read as CSV, placed by row: a sheet has rows, not lines ("sheet
/// nodes, row 3, column 2 (kind)").
#[must_use]
pub fn in_rows(errors: Vec<CsvError>) -> Vec<CsvError> {
    errors
        .into_iter()
        .map(|e| {
            if e.line == 0 {
                return e;
            }
            CsvError { file: format!("{}, row {}", e.file, e.line), line: 0, ..e }
        })
        .collect()
}

/// Builds a map from a workbook's `nodes` and `links` sheets (any case; `cards` also names the
/// first). `name` is the workbook's file name, for messages, which name the sheet and row: "board.xlsx,
/// sheet nodes, row 7, column 2 (kind): …".
pub fn import(name: &str, bytes: &[u8]) -> Result<Imported, Vec<CsvError>> {
    let mut book = open_book(name, bytes)?;
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
    let mut budget = Budget::default();
    let nodes_text = sheet_csv(name, &mut book, &nodes, &mut budget)?;
    let links_text = sheet_csv(name, &mut book, &links, &mut budget)?;
    let (nodes_file, links_file) = (format!("{name}, sheet {nodes}"), format!("{name}, sheet {links}"));
    // Budget lines, when the workbook has a `budget` sheet.
    let lines_sheet = match find(&["budget"]) {
        Some(sheet) => Some((format!("{name}, sheet {sheet}"), sheet_csv(name, &mut book, &sheet, &mut budget)?)),
        None => None,
    };
    let lines_sheet = lines_sheet.as_ref().map(|(file, text)| (file.as_str(), text.as_bytes()));
    let mut imported = super::csv::import_with_budget(
        &nodes_file,
        nodes_text.as_bytes(),
        &links_file,
        links_text.as_bytes(),
        lines_sheet,
    )
    .map_err(in_rows)?;
    let stem = name.trim_end_matches(".xlsx").trim_end_matches(".XLSX");
    if !stem.is_empty() {
        stem.clone_into(&mut imported.map.meta.title);
    }
    Ok(imported)
}

/// One sheet of a workbook as CSV text (for importers of other tables): the sheet called one of
/// `wanted` (any case), or else the first; returns the sheet's name too. The same limits as a
/// map's workbook.
pub fn sheet_as_csv(name: &str, bytes: &[u8], wanted: &[&str]) -> Result<(String, String), Vec<CsvError>> {
    let mut book = open_book(name, bytes)?;
    let names = book.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|n| wanted.iter().any(|w| n.trim().eq_ignore_ascii_case(w)))
        .or_else(|| names.first())
        .cloned()
    else {
        return Err(problem(name, "the workbook has no sheets".to_owned()));
    };
    let text = sheet_csv(name, &mut book, &sheet, &mut Budget::default())?;
    Ok((sheet, text))
}

/// Reads a workbook file (one larger than [`MAX_BYTES`] is refused from its size, unread).
pub fn import_path(path: &std::path::Path) -> Result<Imported, Vec<CsvError>> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_BYTES as u64
    {
        return Err(problem(
            &name,
            format!("the workbook is {} bytes; Missionboard reads workbooks up to {MAX_BYTES} bytes", meta.len()),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| problem(&name, format!("could not read the file: {}", super::atomic::explain_read(&e))))?;
    import(&name, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Data;

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
            let header: Vec<String> = rows.next().unwrap().iter().map(ToString::to_string).collect();
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
        assert!(text.contains("board.xlsx, sheet Nodes, row 3, column 2 (kind): \"widget\""), "{text}");
        assert!(!text.contains("line"), "a sheet has rows: {text}");
        let none = import("x.xlsx", b"not a zip").unwrap_err();
        assert!(none[0].message.contains("not an Excel workbook"), "{:?}", none[0]);
        let mut one = Workbook::new();
        one.add_worksheet().set_name("Sheet1").unwrap();
        let err = import("y.xlsx", &one.save_to_buffer().unwrap()).unwrap_err();
        assert!(err[0].message.contains("this one has: Sheet1"), "{:?}", err[0]);
    }
}
