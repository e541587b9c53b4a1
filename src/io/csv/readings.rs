//! Indicator readings from a spreadsheet: `card,indicator,date,value` (and optionally `note`,
//! `source`), one reading per row, read with the same Excel quirks as the card importer (byte-order
//! mark, CRLF, `;` and decimal commas, Windows-1252). `indicator` is the indicator's name on that
//! card, or `target` for a mission's own target. Every bad row is reported with its line, and
//! nothing is changed when any row is bad.

use super::{CsvError, MAX_PROBLEMS, Row, Table, decode};
use crate::model::{MissionMap, NodeId, NodeKind, Reading};

/// Readings added to a map, with notes (a reading replacing one of the same date).
#[derive(Debug)]
pub struct ReadingsImported {
    pub map: MissionMap,
    pub added: usize,
    pub replaced: usize,
    pub warnings: Vec<String>,
}

/// Adds the readings in `bytes` (a CSV file called `name`) to a copy of `map`.
pub fn import_readings(map: &MissionMap, name: &str, bytes: &[u8]) -> Result<ReadingsImported, Vec<CsvError>> {
    let mut warnings = Vec::new();
    let text = decode(bytes, name, &mut warnings);
    let mut errors = Vec::new();
    let Some(table) = Table::read(name, &text, &mut errors) else { return Err(errors) };
    let card_col = table.require(&["card", "card_id", "id"], &mut errors);
    let ind_col = table.require(&["indicator", "measure"], &mut errors);
    let date_col = table.require(&["date"], &mut errors);
    let value_col = table.require(&["value", "reading"], &mut errors);
    let note_col = table.col(&["note", "notes", "comment"]);
    let source_col = table.col(&["source"]);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = map.clone();
    let (mut added, mut replaced) = (0, 0);
    for (line, cells) in &table.rows {
        if errors.len() >= MAX_PROBLEMS {
            break;
        }
        let row = Row { table: &table, line: *line, cells };
        let card = row.trimmed(card_col).to_owned();
        let indicator = row.trimmed(ind_col).to_owned();
        let before = errors.len();
        let date = row.date(date_col, &mut errors);
        let value = row.number(value_col, &mut errors);
        if errors.len() > before {
            continue;
        }
        let (Some(date), Some(value)) = (date, value) else {
            let col = if date.is_none() { date_col } else { value_col };
            errors.push(row.err(col, "every reading needs a date and a value"));
            continue;
        };
        let Some(id) = NodeId::new(card.as_str()).ok().filter(|id| out.contains_node(id)) else {
            errors.push(row.err(card_col, format!("there is no card \"{card}\" in the map")));
            continue;
        };
        let reading = Reading {
            id: crate::model::ItemId::default(),
            date,
            value,
            note: row.text(note_col),
            source: row.text(source_col),
        };
        let mut outcome: Result<bool, String> = Err(String::new());
        let _ = out.update_node(&id, |n| {
            outcome = add_to(&mut n.kind, &indicator, reading);
        });
        match outcome {
            Ok(true) => replaced += 1,
            Ok(false) => added += 1,
            Err(why) => errors.push(row.err(ind_col, why)),
        }
    }
    if errors.is_empty() { Ok(ReadingsImported { map: out, added, replaced, warnings }) } else { Err(errors) }
}

/// Puts a reading on the named indicator (or the target); `Ok(true)` when it replaced one of the
/// same date.
fn add_to(kind: &mut NodeKind, indicator: &str, reading: Reading) -> Result<bool, String> {
    let series = match kind {
        NodeKind::Mission { target, .. } if indicator.eq_ignore_ascii_case("target") => &mut target.readings,
        NodeKind::Mission { .. } => {
            return Err(format!("a mission's readings go on its \"target\", not \"{indicator}\""));
        }
        NodeKind::SubMission { indicators, .. } => {
            let names: Vec<String> = indicators.iter().map(|i| format!("\"{}\"", i.name)).collect();
            match indicators.iter_mut().find(|i| i.name.trim().eq_ignore_ascii_case(indicator)) {
                Some(i) => &mut i.readings,
                None if names.is_empty() => {
                    return Err(format!("this sub-mission has no indicators, so no \"{indicator}\""));
                }
                None => return Err(format!("no indicator \"{indicator}\" on this card; it has {}", names.join(", "))),
            }
        }
        _ => return Err("only sub-missions (their indicators) and missions (their target) take readings".to_owned()),
    };
    let replaced = match series.iter_mut().find(|r| r.date == reading.date) {
        Some(r) => {
            *r = reading;
            true
        }
        None => {
            series.push(reading);
            false
        }
    };
    series.sort_by_key(|r| r.date);
    Ok(replaced)
}
