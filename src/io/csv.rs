//! Spreadsheet round trip: `nodes.csv` and `links.csv`, as Excel and LibreOffice write them.
//!
//! Reading accepts UTF-8 with or without a byte-order mark, Windows-1252 (Excel's plain "CSV"),
//! CRLF or LF line ends, quoted fields with commas, quotes and line breaks, and `;` or tab as the
//! separator (sniffed from the header). Kinds and choices are read in any case with common synonyms.
//! Writing puts a byte-order mark first (so Excel reads UTF-8) and neutralises text cells that a
//! spreadsheet would run as a formula.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;

use crate::model::node::normalise_word;
use crate::model::progress::{self, Hold};
use crate::model::{
    Budget, Evidence, Indicator, Instrument, Kind, Link, LinkId, LinkKind, MissionMap, Node, NodeId, NodeKind,
    Placement, Risk, Sector, Stage, Tier,
};

/// The most problems listed before giving up on a file.
const MAX_PROBLEMS: usize = 50;

/// A problem in a CSV file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub file: String,
    /// The line from 1; 0 when the problem is with the whole file or `file` already says where
    /// (a workbook's "board.xlsx, sheet nodes, row 3"), and then no line is shown.
    pub line: u64,
    /// Column number from 1 and the column's header, when the problem is in one cell.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: the place is the whole file, or `file` names it already (a workbook's
        // "board.xlsx, sheet nodes, row 3").
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ", line {}", self.line)?;
        }
        match &self.column {
            Some((n, name)) if name.is_empty() => write!(f, ", column {n}")?,
            Some((n, name)) => write!(f, ", column {n} ({name})")?,
            None => {}
        }
        write!(f, ": {}", self.message)
    }
}

/// A map read from spreadsheets, with notes on what was ignored or guessed.
#[derive(Debug)]
pub struct Imported {
    pub map: MissionMap,
    pub warnings: Vec<String>,
}

/// Reads `nodes.csv` and `links.csv` from disk.
pub fn import_paths(nodes: &Path, links: &Path) -> Result<Imported, Vec<CsvError>> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| {
            vec![CsvError {
                file: p.display().to_string(),
                line: 0,
                column: None,
                message: format!("could not read the file: {}", super::atomic::explain_read(&e)),
            }]
        })
    };
    let (nb, lb) = (read(nodes)?, read(links)?);
    // Budget lines, when a `budget.csv` stands beside the cards.
    let budget_path = nodes.with_file_name(BUDGET_FILE);
    let bb = if budget_path.is_file() { Some(read(&budget_path)?) } else { None };
    let budget = bb.as_deref().map(|b| (BUDGET_FILE, b));
    let mut imported = import_with_budget(&display_name(nodes), &nb, &display_name(links), &lb, budget)?;
    if budget.is_some() {
        imported.warnings.push(format!("budget lines were read from {BUDGET_FILE} beside {}", display_name(nodes)));
    }
    Ok(imported)
}

fn display_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads the two CSV files from their bytes. `nodes_name` and `links_name` are used in messages.
pub fn import(nodes_name: &str, nodes: &[u8], links_name: &str, links: &[u8]) -> Result<Imported, Vec<CsvError>> {
    import_with_budget(nodes_name, nodes, links_name, links, None)
}

/// Reads the two CSV files, and a budget table (`budget.csv`, named for messages) when given.
pub fn import_with_budget(
    nodes_name: &str,
    nodes: &[u8],
    links_name: &str,
    links: &[u8],
    budget: Option<(&str, &[u8])>,
) -> Result<Imported, Vec<CsvError>> {
    let mut warnings = Vec::new();
    let mut map = MissionMap::new(title_from_name(nodes_name));
    let nodes_text = decode(nodes, nodes_name, &mut warnings);
    let links_text = decode(links, links_name, &mut warnings);
    let mut errors = Vec::new();
    read_nodes(nodes_name, &nodes_text, &mut map, &mut errors, &mut warnings);
    if errors.is_empty() {
        read_links(links_name, &links_text, &mut map, &mut errors, &mut warnings);
    }
    if let Some((budget_name, bytes)) = budget.filter(|_| errors.is_empty()) {
        let text = decode(bytes, budget_name, &mut warnings);
        budget::read_budget(budget_name, &text, &mut map, &mut errors);
    }
    // The same sheet imported twice gives the same ids (see `model::listed`).
    crate::model::listed::fill_map(&mut map, crate::model::listed::How::Derived);
    if errors.is_empty() { Ok(Imported { map, warnings }) } else { Err(errors) }
}

fn title_from_name(name: &str) -> String {
    let stem = name.trim_end_matches(".csv").trim_end_matches(".CSV");
    if stem.is_empty() || normalise_word(stem) == "nodes" { "Imported mission map".to_owned() } else { stem.to_owned() }
}

/// UTF-8 (with or without BOM) as is; anything else is read as Windows-1252, which is what Excel
/// writes for plain "CSV" on Windows.
fn decode(bytes: &[u8], name: &str, warnings: &mut Vec<String>) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // A byte-order mark read as Windows-1252 and saved again as UTF-8 ("ï»¿id"), as some tools
        // write it: drop it too.
        Ok(s) => s.strip_prefix("\u{ef}\u{bb}\u{bf}").unwrap_or(s).to_owned(),
        Err(_) => {
            warnings.push(format!(
                "{name} is not UTF-8; it was read as Windows-1252 (Excel's plain CSV). Check accented letters and £ signs, or save as \"CSV UTF-8\" next time"
            ));
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
        }
    }
}

/// Picks the separator from the header line: the most common of `,`, `;` and tab outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let (mut comma, mut semi, mut tab, mut quoted) = (0, 0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            ';' if !quoted => semi += 1,
            '\t' if !quoted => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

struct Table {
    file: String,
    delimiter: u8,
    headers: Vec<String>,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    fn read(file: &str, text: &str, errors: &mut Vec<CsvError>) -> Option<Table> {
        let delimiter = sniff_delimiter(text);
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(e) => {
                errors.push(CsvError { file: file.to_owned(), line: 1, column: None, message: csv_message(&e) });
                return None;
            }
        };
        let mut columns = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            columns.entry(normalise_word(h)).or_insert(i);
        }
        // Lines are counted here from where the record's text starts: after CRLF line ends (what
        // Excel writes) the csv crate starts a record at the `\n` of the line before, so its own
        // line count is one short.
        let line_starts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let line_of = |pos: Option<&::csv::Position>| {
            pos.map_or(0, |p| {
                let mut byte = usize::try_from(p.byte()).unwrap_or(usize::MAX);
                while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
                    byte += 1;
                }
                line_starts.partition_point(|&nl| nl < byte) as u64 + 1
            })
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) => {
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue; // Excel leaves blank rows at the end
                    }
                    let line = line_of(r.position());
                    rows.push((line, r.iter().map(str::to_owned).collect()));
                }
                Err(e) => {
                    let line = line_of(e.position());
                    errors.push(CsvError { file: file.to_owned(), line, column: None, message: csv_message(&e) });
                    return None;
                }
            }
        }
        Some(Table { file: file.to_owned(), delimiter, headers, columns, rows })
    }

    fn col(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(&normalise_word(n)).copied())
    }

    fn error(&self, line: u64, col: Option<usize>, message: impl Into<String>) -> CsvError {
        CsvError {
            file: self.file.clone(),
            line,
            column: col.map(|c| (c + 1, self.headers.get(c).cloned().unwrap_or_default())),
            message: message.into(),
        }
    }

    fn require(&self, names: &[&str], errors: &mut Vec<CsvError>) -> Option<usize> {
        let found = self.col(names);
        if found.is_none() {
            errors.push(self.error(
                1,
                None,
                format!(
                    "there is no \"{}\" column; the first row must name the columns, e.g. {}",
                    names[0],
                    if self.columns.contains_key("from") { "from,to,kind" } else { "id,kind,title" }
                ),
            ));
        }
        found
    }
}

fn csv_message(e: &::csv::Error) -> String {
    match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "this line is not valid text".to_owned(),
        ::csv::ErrorKind::Io(io) => io.to_string(),
        _ => format!("the line cannot be read as CSV ({e})"),
    }
}

/// One row's cells, with the table for messages.
struct Row<'a> {
    table: &'a Table,
    line: u64,
    cells: &'a [String],
}

impl Row<'_> {
    fn raw(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c)).map_or("", String::as_str)
    }

    fn text(&self, col: Option<usize>) -> String {
        unneutralise(self.raw(col)).to_owned()
    }

    fn trimmed(&self, col: Option<usize>) -> &str {
        unneutralise(self.raw(col)).trim()
    }

    fn err(&self, col: Option<usize>, message: impl Into<String>) -> CsvError {
        self.table.error(self.line, col, message)
    }

    fn number(&self, col: Option<usize>, errors: &mut Vec<CsvError>) -> Option<f64> {
        let raw = self.trimmed(col);
        if raw.is_empty() {
            return None;
        }
        match parse_number(raw, self.table.delimiter) {
            Some(v) => Some(v),
            None => {
                errors.push(self.err(col, format!("\"{raw}\" is not a number; write it like 1500 or 12.5")));
                None
            }
        }
    }

    fn date(&self, col: Option<usize>, errors: &mut Vec<CsvError>) -> Option<NaiveDate> {
        let raw = self.trimmed(col);
        if raw.is_empty() {
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            errors.push(self.err(col, format!("\"{raw}\" is not a date; write it as 2030-03-31 or 31/03/2030")));
        }
        parsed
    }

    fn choice<T: Copy>(
        &self,
        col: Option<usize>,
        parse: fn(&str) -> Option<T>,
        choices: &str,
        errors: &mut Vec<CsvError>,
    ) -> Option<T> {
        let raw = self.trimmed(col);
        if raw.is_empty() {
            return None;
        }
        let v = parse(raw);
        if v.is_none() {
            errors.push(self.err(col, format!("\"{raw}\" is not one of: {choices}")));
        }
        v
    }
}

/// Numbers as spreadsheets write them: `1500`, `1,500`, `£1,500.50`, `12,5` (with `;` files), `40%`.
fn parse_number(raw: &str, delimiter: u8) -> Option<f64> {
    let mut s: String = raw.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '£' | '€' | '$' | '%' | '\'')).collect();
    let (comma, dot) = (s.rfind(','), s.rfind('.'));
    s = match (comma, dot) {
        (Some(c), Some(d)) if c > d => s.replace('.', "").replace(',', "."),
        (Some(_), None) if delimiter == b';' => s.replace(',', "."),
        (Some(_), _) => s.replace(',', ""),
        _ => s,
    };
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.split(['T', ' ']).next().unwrap_or(raw);
    ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"].iter().find_map(|f| NaiveDate::parse_from_str(raw, f).ok())
}

fn read_nodes(file: &str, text: &str, map: &mut MissionMap, errors: &mut Vec<CsvError>, warnings: &mut Vec<String>) {
    let Some(t) = Table::read(file, text, errors) else { return };
    let id_col = t.require(&["id"], errors);
    let kind_col = t.require(&["kind", "type", "category"], errors);
    let title_col = t.require(&["title", "name", "label"], errors);
    let (Some(id_col), Some(kind_col), Some(title_col)) = (id_col, kind_col, title_col) else { return };
    let c = |names: &[&str]| t.col(names);
    let cols = NodeCols {
        description: c(&["description"]),
        tags: c(&["tags"]),
        notes: c(&["notes"]),
        statement: c(&["statement"]),
        metric: c(&["metric"]),
        unit: c(&["unit"]),
        baseline: c(&["baseline"]),
        baseline_date: c(&["baseline_date", "baseline date"]),
        target: c(&["target", "target value"]),
        deadline: c(&["deadline"]),
        hold: c(&["hold", "direction"]),
        lead: c(&["lead_department", "lead department", "department", "lead"]),
        outcome: c(&["outcome"]),
        indicators: c(&["indicators"]),
        instrument: c(&["instrument"]),
        budget: c(&["budget", "budget_amount", "amount"]),
        currency: c(&["currency", "budget_currency"]),
        period: c(&["budget_period", "period"]),
        stage: c(&["stage", "status"]),
        start: c(&["start"]),
        end: c(&["end"]),
        risk: c(&["risk"]),
        risk_note: c(&["risk_note"]),
        sector: c(&["sector"]),
        tier: c(&["tier"]),
        role: c(&["role"]),
        x: c(&["x"]),
        y: c(&["y"]),
        pinned: c(&["pinned"]),
    };
    warn_unknown_columns(&t, NODE_COLUMNS, warnings);
    let mut unplaced = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, cells) in &t.rows {
        if errors.len() >= MAX_PROBLEMS {
            return;
        }
        let row = Row { table: &t, line: *line, cells };
        let id_text = row.trimmed(Some(id_col));
        let id = match NodeId::new(id_text) {
            Ok(id) => id,
            Err(e) => {
                errors.push(row.err(Some(id_col), e.to_string()));
                continue;
            }
        };
        if let Some(first) = seen.insert(id_text.to_owned(), *line) {
            errors.push(row.err(
                Some(id_col),
                format!("the id \"{id}\" is already used on line {first}; each card needs its own id"),
            ));
            continue;
        }
        let kind_text = row.trimmed(Some(kind_col));
        let Some(kind) = Kind::parse(kind_text) else {
            errors.push(row.err(
                Some(kind_col),
                format!("\"{kind_text}\" is not a kind of card; use mission, sub-mission, intervention or partner"),
            ));
            continue;
        };
        let mut node = Node::new(id.clone(), kind, row.text(Some(title_col)));
        node.description = row.text(cols.description);
        node.notes = row.text(cols.notes);
        node.tags = split_tags(&row.text(cols.tags));
        node.kind = node_kind(&row, kind, &cols, errors);
        let (x, y) = (row.number(cols.x, errors), row.number(cols.y, errors));
        let pinned = matches!(normalise_word(row.trimmed(cols.pinned)).as_str(), "true" | "yes" | "y" | "1" | "pinned");
        let place = match (x, y) {
            (Some(x), Some(y)) => Placement { x: x as f32, y: y as f32, pinned },
            _ => {
                unplaced.push(id.clone());
                Placement { pinned, ..Placement::default() }
            }
        };
        if let Err(e) = map.add_node(node, place) {
            errors.push(row.err(None, e.to_string()));
        }
    }
    if !unplaced.is_empty() {
        crate::layout::place_in_bands(map, &unplaced);
    }
}

struct NodeCols {
    description: Option<usize>,
    tags: Option<usize>,
    notes: Option<usize>,
    statement: Option<usize>,
    metric: Option<usize>,
    unit: Option<usize>,
    baseline: Option<usize>,
    baseline_date: Option<usize>,
    target: Option<usize>,
    deadline: Option<usize>,
    hold: Option<usize>,
    lead: Option<usize>,
    outcome: Option<usize>,
    indicators: Option<usize>,
    instrument: Option<usize>,
    budget: Option<usize>,
    currency: Option<usize>,
    period: Option<usize>,
    stage: Option<usize>,
    start: Option<usize>,
    end: Option<usize>,
    risk: Option<usize>,
    risk_note: Option<usize>,
    sector: Option<usize>,
    tier: Option<usize>,
    role: Option<usize>,
    x: Option<usize>,
    y: Option<usize>,
    pinned: Option<usize>,
}

/// The columns `export` writes for cards, in order. Reading also accepts the synonyms above.
pub const NODE_COLUMNS: &[&str] = &[
    "id",
    "kind",
    "title",
    "description",
    "tags",
    "notes",
    "statement",
    "metric",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "deadline",
    "hold",
    "lead_department",
    "outcome",
    "indicators",
    "instrument",
    "budget",
    "currency",
    "budget_period",
    "stage",
    "start",
    "end",
    "risk",
    "risk_note",
    "sector",
    "tier",
    "role",
    "x",
    "y",
    "pinned",
];

/// The columns `export` writes for links, in order.
pub const LINK_COLUMNS: &[&str] =
    &["from", "to", "kind", "id", "label", "rationale", "assumptions", "evidence", "confidence", "weight"];

const NODE_SYNONYMS: &[&str] = &[
    "type",
    "category",
    "name",
    "label",
    "target value",
    "lead department",
    "department",
    "lead",
    "budget_amount",
    "amount",
    "budget_currency",
    "period",
    "status",
];

fn warn_unknown_columns(t: &Table, known: &[&str], warnings: &mut Vec<String>) {
    let known: Vec<String> = known.iter().chain(NODE_SYNONYMS).map(|k| normalise_word(k)).collect();
    let unknown: Vec<&str> =
        t.headers.iter().filter(|h| !h.is_empty() && !known.contains(&normalise_word(h))).map(String::as_str).collect();
    if !unknown.is_empty() {
        warnings.push(format!("{}: columns not recognised and left out: {}", t.file, unknown.join(", ")));
    }
}

fn node_kind(row: &Row<'_>, kind: Kind, c: &NodeCols, errors: &mut Vec<CsvError>) -> NodeKind {
    match kind {
        Kind::Mission => NodeKind::Mission {
            statement: row.text(c.statement),
            target: crate::model::Target {
                metric: row.text(c.metric),
                unit: row.text(c.unit),
                baseline: row.number(c.baseline, errors),
                value: row.number(c.target, errors),
                deadline: row.date(c.deadline, errors),
                baseline_date: row.date(c.baseline_date, errors),
                hold: row.choice(c.hold, Hold::parse, "at most, at least", errors),
                ..crate::model::Target::default()
            },
            lead_department: row.text(c.lead),
        },
        Kind::SubMission => NodeKind::SubMission {
            outcome: row.text(c.outcome),
            indicators: parse_indicators(row, c.indicators, errors),
        },
        Kind::Intervention => {
            let amount = row.number(c.budget, errors);
            let currency = row.trimmed(c.currency);
            NodeKind::Intervention {
                instrument: row.choice(c.instrument, Instrument::parse, &Instrument::slugs(), errors),
                lead_department: row.text(c.lead),
                budget: amount.map(|amount| Budget {
                    amount,
                    currency: if currency.is_empty() { "GBP".to_owned() } else { currency.to_uppercase() },
                    period: row.text(c.period),
                }),
                stage: row.choice(c.stage, Stage::parse, &Stage::slugs(), errors),
                start: row.date(c.start, errors),
                end: row.date(c.end, errors),
                risk: row.choice(c.risk, Risk::parse, &Risk::slugs(), errors),
                risk_note: row.text(c.risk_note),
                decisions: Vec::new(),
                budget_lines: Vec::new(),
            }
        }
        Kind::Partner => NodeKind::Partner {
            sector: row.choice(c.sector, Sector::parse, &Sector::slugs(), errors),
            tier: row.choice(c.tier, Tier::parse, &Tier::slugs(), errors),
            role: row.text(c.role),
        },
    }
}

/// One indicator per line: `name | unit | baseline | target | deadline | source | frequency`, and
/// optionally `| baseline date | at most` (or `at least`: which side of a target equal to its
/// baseline is good). A frequency Missionboard does not know is refused.
fn parse_indicators(row: &Row<'_>, col: Option<usize>, errors: &mut Vec<CsvError>) -> Vec<Indicator> {
    let mut out = Vec::new();
    for line in row.text(col).lines().filter(|l| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let part = |i: usize| parts.get(i).copied().unwrap_or("");
        let num = |i: usize, errors: &mut Vec<CsvError>| {
            let raw = part(i);
            if raw.is_empty() {
                return None;
            }
            let v = parse_number(raw, row.table.delimiter);
            if v.is_none() {
                errors.push(row.err(col, format!("in indicator \"{}\", \"{raw}\" is not a number", part(0))));
            }
            v
        };
        let baseline = num(2, errors);
        let target = num(3, errors);
        let deadline = if part(4).is_empty() {
            None
        } else {
            let d = parse_date(part(4));
            if d.is_none() {
                errors.push(row.err(col, format!("in indicator \"{}\", \"{}\" is not a date", part(0), part(4))));
            }
            d
        };
        out.push(Indicator {
            name: part(0).to_owned(),
            unit: part(1).to_owned(),
            baseline,
            target,
            deadline,
            source: part(5).to_owned(),
            frequency: {
                if let Err(e) = progress::check_frequency(part(6)) {
                    errors.push(row.err(col, format!("in indicator \"{}\", {e}", part(0))));
                }
                part(6).to_owned()
            },
            hold: if part(8).is_empty() {
                None
            } else {
                let h = Hold::parse(part(8));
                if h.is_none() {
                    errors.push(row.err(
                        col,
                        format!(
                            "in indicator \"{}\", \"{}\" is not a direction; write at most or at least",
                            part(0),
                            part(8)
                        ),
                    ));
                }
                h
            },
            baseline_date: if part(7).is_empty() {
                None
            } else {
                let d = parse_date(part(7));
                if d.is_none() {
                    errors.push(row.err(col, format!("in indicator \"{}\", \"{}\" is not a date", part(0), part(7))));
                }
                d
            },
            ..Indicator::default()
        });
    }
    out
}

fn split_tags(text: &str) -> Vec<String> {
    text.split(['|', ';', ',']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

fn read_links(file: &str, text: &str, map: &mut MissionMap, errors: &mut Vec<CsvError>, warnings: &mut Vec<String>) {
    let Some(t) = Table::read(file, text, errors) else { return };
    let from_col = t.require(&["from", "source"], errors);
    let to_col = t.require(&["to", "target"], errors);
    let (Some(from_col), Some(to_col)) = (from_col, to_col) else { return };
    let kind_col = t.col(&["kind", "type", "relation"]);
    let id_col = t.col(&["id"]);
    let c = |n: &str| t.col(&[n]);
    let (label, rationale, assumptions, evidence, confidence, weight) =
        (c("label"), c("rationale"), c("assumptions"), c("evidence"), c("confidence"), c("weight"));
    let unknown: Vec<&str> = t
        .headers
        .iter()
        .filter(|h| {
            let k = normalise_word(h);
            !h.is_empty()
                && !LINK_COLUMNS.iter().chain(&["source", "target", "type", "relation"]).any(|c| normalise_word(c) == k)
        })
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        warnings.push(format!("{file}: columns not recognised and left out: {}", unknown.join(", ")));
    }
    for (line, cells) in &t.rows {
        if errors.len() >= MAX_PROBLEMS {
            return;
        }
        let row = Row { table: &t, line: *line, cells };
        let ends = [(from_col, "from"), (to_col, "to")].map(|(col, _)| {
            let raw = row.trimmed(Some(col));
            match NodeId::new(raw) {
                Ok(id) if map.contains_node(&id) => Ok(id),
                Ok(id) => Err(row.err(Some(col), format!("there is no card \"{id}\" in the cards file"))),
                Err(e) => Err(row.err(Some(col), e.to_string())),
            }
        });
        let [from, to] = ends;
        let (from, to) = match (from, to) {
            (Ok(f), Ok(t)) => (f, t),
            (f, t) => {
                errors.extend(f.err().into_iter().chain(t.err()));
                continue;
            }
        };
        let (fk, tk) = (map.node(&from).map(Node::kind), map.node(&to).map(Node::kind));
        let (Some(fk), Some(tk)) = (fk, tk) else { continue };
        let kind_text = row.trimmed(kind_col);
        let kind = if kind_text.is_empty() {
            match LinkKind::infer(fk, tk) {
                Some(k) => k,
                None => {
                    errors.push(row.err(
                        kind_col,
                        format!(
                            "no link may go from a {} to a {}; links allowed: {}",
                            fk.slug(),
                            tk.slug(),
                            LinkKind::rules_text()
                        ),
                    ));
                    continue;
                }
            }
        } else if let Some(k) = LinkKind::parse(kind_text) {
            k
        } else {
            errors.push(row.err(
                kind_col,
                format!(
                    "\"{kind_text}\" is not a kind of link; use contributes-to, enables, delivers, funds or supports"
                ),
            ));
            continue;
        };
        let id = match id_col.map(|c| row.trimmed(Some(c))).filter(|s| !s.is_empty()) {
            Some(text) => match LinkId::new(text) {
                Ok(id) => id,
                Err(e) => {
                    errors.push(row.err(id_col, e.to_string()));
                    continue;
                }
            },
            None => map.fresh_link_id(),
        };
        let mut link = Link::new(id, from, to, kind);
        link.label = row.text(label);
        link.rationale = row.text(rationale);
        link.assumptions = row.text(assumptions);
        link.evidence =
            row.choice(evidence, Evidence::parse, "none, anecdotal, moderate, strong", errors).unwrap_or_default();
        link.confidence = row.number(confidence, errors).and_then(|v| {
            if (0.0..=100.0).contains(&v) {
                Some(v.round() as u8)
            } else {
                errors.push(row.err(confidence, format!("confidence {v} is not between 0 and 100")));
                None
            }
        });
        link.weight = row.number(weight, errors);
        if let Err(e) = map.add_link(link) {
            errors.push(row.err(kind_col, e.to_string()));
        }
    }
}

/// Cells that start with one of these run as formulas in Excel, LibreOffice and Google Sheets.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Makes a text cell safe to open in a spreadsheet: a leading `'` stops formula evaluation. A cell
/// that already starts with `'` before such a character gets one more, so reading it back is exact.
#[must_use]
pub fn neutralise(text: &str) -> String {
    let rest = text.trim_start_matches('\'');
    if rest.chars().next().is_some_and(is_formula_start) { format!("'{text}") } else { text.to_owned() }
}

/// Undoes [`neutralise`] when reading.
fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').chars().next().is_some_and(is_formula_start) => rest,
        _ => text,
    }
}

fn fmt_num(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// Writes the map as `(nodes.csv, links.csv)` text, with a byte-order mark so Excel reads UTF-8.
#[must_use]
pub fn export(map: &MissionMap) -> (String, String) {
    let mut nodes = vec![NODE_COLUMNS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()];
    for n in map.sorted_nodes() {
        let p = map.placement(&n.id).unwrap_or_default();
        let mut cells: HashMap<&str, String> = HashMap::new();
        let mut put = |k: &'static str, v: String| {
            cells.insert(k, v);
        };
        put("id", n.id.to_string());
        put("kind", n.kind().slug().to_owned());
        put("title", neutralise(&n.title));
        put("description", neutralise(&n.description));
        put("tags", neutralise(&n.tags.join("; ")));
        put("notes", neutralise(&n.notes));
        match &n.kind {
            NodeKind::Mission { statement, target, lead_department } => {
                put("statement", neutralise(statement));
                put("metric", neutralise(&target.metric));
                put("unit", neutralise(&target.unit));
                put("baseline", fmt_num(target.baseline));
                put("baseline_date", fmt_date(target.baseline_date));
                put("target", fmt_num(target.value));
                put("deadline", fmt_date(target.deadline));
                put("hold", target.hold.map(|h| h.label().to_owned()).unwrap_or_default());
                put("lead_department", neutralise(lead_department));
            }
            NodeKind::SubMission { outcome, indicators } => {
                put("outcome", neutralise(outcome));
                let lines: Vec<String> = indicators
                    .iter()
                    .map(|i| {
                        let mut parts = vec![
                            i.name.clone(),
                            i.unit.clone(),
                            fmt_num(i.baseline),
                            fmt_num(i.target),
                            fmt_date(i.deadline),
                            i.source.clone(),
                            i.frequency.clone(),
                        ];
                        if i.baseline_date.is_some() || i.hold.is_some() {
                            parts.push(fmt_date(i.baseline_date));
                        }
                        if let Some(h) = i.hold {
                            parts.push(h.label().to_owned());
                        }
                        parts.join(" | ")
                    })
                    .collect();
                put("indicators", neutralise(&lines.join("\n")));
            }
            NodeKind::Intervention {
                instrument, lead_department, budget, stage, start, end, risk, risk_note, ..
            } => {
                put("instrument", instrument.map(|v| v.slug().to_owned()).unwrap_or_default());
                put("lead_department", neutralise(lead_department));
                if let Some(b) = budget {
                    put("budget", b.amount.to_string());
                    put("currency", neutralise(&b.currency));
                    put("budget_period", neutralise(&b.period));
                }
                put("stage", stage.map(|v| v.slug().to_owned()).unwrap_or_default());
                put("start", fmt_date(*start));
                put("end", fmt_date(*end));
                put("risk", risk.map(|v| v.slug().to_owned()).unwrap_or_default());
                put("risk_note", neutralise(risk_note));
            }
            NodeKind::Partner { sector, tier, role } => {
                put("sector", sector.map(|v| v.slug().to_owned()).unwrap_or_default());
                put("tier", tier.map(|v| v.slug().to_owned()).unwrap_or_default());
                put("role", neutralise(role));
            }
        }
        put("x", p.x.to_string());
        put("y", p.y.to_string());
        put("pinned", if p.pinned { "yes".to_owned() } else { String::new() });
        nodes.push(NODE_COLUMNS.iter().map(|c| cells.remove(c).unwrap_or_default()).collect());
    }
    let mut links = vec![LINK_COLUMNS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()];
    for l in map.sorted_links() {
        links.push(vec![
            l.from.to_string(),
            l.to.to_string(),
            l.kind.slug().to_owned(),
            l.id.to_string(),
            neutralise(&l.label),
            neutralise(&l.rationale),
            neutralise(&l.assumptions),
            if l.evidence == Evidence::None { String::new() } else { l.evidence.label().to_owned() },
            l.confidence.map(|c| c.to_string()).unwrap_or_default(),
            fmt_num(l.weight),
        ]);
    }
    (write_rows(&nodes), write_rows(&links))
}

/// Any table as CSV the way Missionboard writes it (BOM, CRLF, every cell neutralised).
#[must_use]
pub fn write_table(rows: &[Vec<String>]) -> String {
    let safe: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| neutralise(c)).collect()).collect();
    write_rows(&safe)
}

fn write_rows(rows: &[Vec<String>]) -> String {
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    for r in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Writes both CSV files atomically, and `budget.csv` beside the cards when the map has budget
/// lines; returns where that went.
pub fn export_paths(
    map: &MissionMap,
    nodes: &Path,
    links: &Path,
) -> Result<Option<std::path::PathBuf>, super::atomic::WriteError> {
    let (n, l) = export(map);
    super::atomic::write_atomic(nodes, n.as_bytes())?;
    super::atomic::write_atomic(links, l.as_bytes())?;
    let Some(b) = export_budget(map) else { return Ok(None) };
    let path = nodes.with_file_name(BUDGET_FILE);
    super::atomic::write_atomic(&path, b.as_bytes())?;
    Ok(Some(path))
}

mod budget;
mod grants;
mod readings;
pub use budget::{BUDGET_COLUMNS, BUDGET_FILE, export_budget};
pub use grants::read_grants;
pub use readings::{ReadingsImported, import_readings};

#[cfg(test)]
mod tests;
