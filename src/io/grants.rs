//! Reading grant data in the 360Giving Data Standard: its spreadsheet form as CSV or as a
//! workbook (the sheet called "grants", or else the first), or its JSON form
//! (`{"grants": [{"id", "title", "currency", "amountAwarded", "awardDate",
//! "recipientOrganization": [{"id", "name"}], "fundingOrganization": [{"name"}],
//! "grantProgramme": [{"title"}], "plannedDates": [{"startDate", "endDate"}]}]}`). Every problem
//! is named with its row (or grant) and column (or field); any problem, no grants.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use super::csv::CsvError;
use crate::model::money::grants::Grant;
use crate::model::node::parse_currency;

/// The most problems listed before giving up.
const MAX_PROBLEMS: usize = 50;

fn problem(file: &str, message: String) -> Vec<CsvError> {
    vec![CsvError { file: file.to_owned(), line: 0, column: None, message }]
}

/// Reads grants from a `.csv`, `.xlsx` or `.json` file, by its extension.
pub fn read_path(path: &Path) -> Result<Vec<Grant>, Vec<CsvError>> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = std::fs::read(path)
        .map_err(|e| problem(&name, format!("could not read the file: {}", super::atomic::explain_read(&e))))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "csv" => super::csv::read_grants(&name, &bytes),
        "xlsx" => read_workbook(&name, &bytes),
        "json" => read_json(&name, &bytes),
        _ => Err(problem(
            &name,
            "grant data must be a 360Giving file ending in .csv, .xlsx or .json; save it as one of those".to_owned(),
        )),
    }
}

/// The grants sheet of a workbook; problems name the sheet and row.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<Vec<Grant>, Vec<CsvError>> {
    let (sheet, text) = super::xlsx::sheet_as_csv(name, bytes, &["grants"])?;
    super::csv::read_grants(&format!("{name}, sheet {sheet}"), text.as_bytes()).map_err(super::xlsx::in_rows)
}

/// The first element of a list of objects (`recipientOrganization[0]`), or the object itself.
fn first<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v.get(key)? {
        Value::Array(a) => a.first(),
        other => Some(other),
    }
}

fn text_at<'v>(v: Option<&'v Value>, key: &str) -> &'v str {
    v.and_then(|v| v.get(key)).and_then(Value::as_str).map_or("", str::trim)
}

fn date_of(text: &str) -> Option<NaiveDate> {
    let day = text.split(['T', ' ']).next().unwrap_or(text);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// The JSON form: `{"grants": [...]}`.
pub fn read_json(name: &str, bytes: &[u8]) -> Result<Vec<Grant>, Vec<CsvError>> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        problem(name, format!("this is not JSON Missionboard can read (line {}, column {}: {e})", e.line(), e.column()))
    })?;
    let Some(list) = v.get("grants").and_then(Value::as_array) else {
        return Err(problem(
            name,
            "a 360Giving JSON file holds {\"grants\": [...]}; this one has no \"grants\" list".to_owned(),
        ));
    };
    let mut errors = Vec::new();
    let mut grants = Vec::with_capacity(list.len());
    for (i, g) in list.iter().enumerate() {
        if errors.len() >= MAX_PROBLEMS {
            break;
        }
        let n = i + 1;
        let before = errors.len();
        let mut bad = |field: &str, message: String| {
            errors.push(CsvError { file: format!("{name}, grant {n}, field {field}"), line: 0, column: None, message });
        };
        let identifier = g.get("id").and_then(Value::as_str).map_or("", str::trim).to_owned();
        if identifier.is_empty() {
            bad("id", "every grant needs its identifier (e.g. 360G-funder-123)".to_owned());
        }
        let amount = match g.get("amountAwarded") {
            Some(Value::Number(x)) => x.as_f64().filter(|v| v.is_finite()),
            Some(Value::String(s)) => s.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite()),
            _ => None,
        };
        if amount.is_none() {
            bad(
                "amountAwarded",
                format!(
                    "{} is not an amount; write a number such as 25000",
                    g.get("amountAwarded").map_or_else(|| "nothing".to_owned(), ToString::to_string)
                ),
            );
        }
        let award = g.get("awardDate").and_then(Value::as_str).unwrap_or_default();
        let award_date = date_of(award);
        if award_date.is_none() {
            bad("awardDate", format!("\"{award}\" is not a date; write it as 2025-06-30"));
        }
        let currency = match g.get("currency").and_then(Value::as_str).map_or("", str::trim) {
            "" => Some("GBP".to_owned()),
            c => parse_currency(c),
        };
        if currency.is_none() {
            bad("currency", "not a currency code; write three letters such as GBP".to_owned());
        }
        let recipient = first(g, "recipientOrganization");
        let (recipient_id, recipient_name) =
            (text_at(recipient, "id").to_owned(), text_at(recipient, "name").to_owned());
        if recipient_id.is_empty() && recipient_name.is_empty() {
            bad("recipientOrganization", "every grant needs its recipient's id or name".to_owned());
        }
        let programme = text_at(first(g, "grantProgramme"), "title").to_owned();
        if programme.is_empty() {
            bad("grantProgramme", "every grant needs its grant programme's title, to find its intervention".to_owned());
        }
        let planned = first(g, "plannedDates");
        if errors.len() > before {
            continue;
        }
        let (Some(amount), Some(award_date), Some(currency)) = (amount, award_date, currency) else { continue };
        grants.push(Grant {
            row: n as u64,
            identifier,
            title: g.get("title").and_then(Value::as_str).map_or("", str::trim).to_owned(),
            currency,
            amount,
            award_date,
            recipient_id,
            recipient_name,
            funder_name: text_at(first(g, "fundingOrganization"), "name").to_owned(),
            programme,
            start: date_of(text_at(planned, "startDate")),
            end: date_of(text_at(planned, "endDate")),
        });
    }
    if errors.is_empty() { Ok(grants) } else { Err(errors) }
}
