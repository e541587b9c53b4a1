//! `readings` and `progress`: indicator readings in, status out.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use super::{FAILED, Format, OK, load};
use crate::io;
use crate::model::progress::{self, Status};

pub(super) fn readings(file: &Path, readings: &Path, output: &Path) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(readings) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}: could not read the file: {}", readings.display(), io::atomic::explain_read(&e));
            return FAILED;
        }
    };
    let name =
        readings.file_name().map_or_else(|| readings.display().to_string(), |n| n.to_string_lossy().into_owned());
    match io::csv::import_readings(&map, &name, &bytes) {
        Ok(done) => {
            for w in &done.warnings {
                eprintln!("note: {w}");
            }
            let what = format!(" ({} readings added, {} replaced one of the same date)", done.added, done.replaced);
            super::save_out(&done.map, output, &what)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("nothing was written; fix the rows above and run again");
            FAILED
        }
    }
}

/// The day given with `--on`, or today.
fn day(on: Option<&str>) -> Result<NaiveDate, u8> {
    match on {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            eprintln!("--on {text}: write the date as YYYY-MM-DD, such as 2026-03-31");
            FAILED
        }),
    }
}

pub(super) fn pack(file: &Path, output: &Path, since: Option<String>, on: Option<&str>) -> u8 {
    let on = match day(on) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if let Some(name) = &since
        && !map.workshop.snapshots.iter().any(|s| s.name == *name)
    {
        let known: Vec<&str> = map.workshop.snapshots.iter().map(|s| s.name.as_str()).collect();
        eprintln!(
            "there is no session called \"{name}\" in {}; {}",
            file.display(),
            if known.is_empty() {
                "mark one with Workshop > Sessions and changes first".to_owned()
            } else {
                format!("the sessions are: {}", known.join(", "))
            }
        );
        return FAILED;
    }
    let bytes = match crate::export::pack::board_pack(&map, &crate::export::pack::PackOptions { on, since }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    super::write_out(output, &bytes, &format!(" (board pack for {on})"))
}

pub(super) fn progress(file: &Path, format: Format, on: Option<&str>) -> u8 {
    let on = match day(on) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let p = progress::progress(&map, on);
    let title = |id: &crate::model::NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    let driver = |d: &Option<(crate::model::NodeId, String)>| d.as_ref().map(|(card, name)| format!("{card}: {name}"));
    match format {
        Format::Json => {
            let v = json!({
                "on": on.to_string(),
                "indicators": p.indicators.iter().map(|i| json!({
                    "card": i.card.to_string(),
                    "indicator": i.indicator,
                    "last_date": i.last_date.map(|d| d.to_string()),
                    "last_value": i.last_value,
                    "expected": i.expected,
                    "progress": i.progress,
                    "status": i.status.slug(),
                    "stale": i.stale,
                    "needs": i.needs.map(progress::Needs::text),
                })).collect::<Vec<_>>(),
                "missions": p.missions.iter().map(|m| json!({
                    "id": m.id.to_string(),
                    "status": m.status.slug(),
                    "stale": m.stale,
                    "driver": driver(&m.driver),
                    "measured": m.measured,
                    "no_data": m.no_data,
                })).collect::<Vec<_>>(),
            });
            println!("{v}");
        }
        Format::Text => {
            println!("Progress on {on}:");
            for m in &p.missions {
                let why = m
                    .driver
                    .as_ref()
                    .filter(|_| m.status.measured())
                    .map(|(card, name)| format!(" \u{2014} set by {name} on \u{201c}{}\u{201d}", title(card)))
                    .unwrap_or_default();
                let gaps = m.no_data_text().map(|t| format!("; {t}")).unwrap_or_default();
                let nothing = if m.status.measured() {
                    ""
                } else if m.no_data == 0 {
                    " \u{2014} nothing to measure (no target, no indicators)"
                } else {
                    " \u{2014} none of its indicators has a reading it can be scored on"
                };
                println!("{} {}: {}{why}{nothing}{gaps}", mark(m.status), title(&m.id), m.status_text());
            }
            println!();
            for i in &p.indicators {
                let figures = match (i.last_value, i.last_date, i.expected, i.needs) {
                    (Some(v), Some(d), Some(e), None) => format!("{v} on {d}, expected {e:.1}"),
                    (Some(v), Some(d), _, Some(needs)) => format!("{v} on {d}; {}", needs.text()),
                    (_, _, _, Some(needs)) => needs.text().to_owned(),
                    _ => "no readings yet".to_owned(),
                };
                println!(
                    "  {} {} \u{2014} {}: {} ({figures})",
                    mark(i.status),
                    title(&i.card),
                    i.indicator,
                    i.status_text()
                );
            }
        }
    }
    OK
}

/// A word-free mark for text output, beside the status's name (never the mark alone).
fn mark(s: Status) -> &'static str {
    match s {
        Status::OnTrack => "[ok]",
        Status::Met => "[met]",
        Status::AtRisk => "[!]",
        Status::OffTrack => "[!!]",
        Status::Missed => "[x]",
        Status::NoData => "[?]",
    }
}
