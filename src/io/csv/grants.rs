//! Grants in the 360Giving Data Standard's spreadsheet form: one grant per row, under the
//! standard's own column titles (`Identifier`, `Title`, `Currency`, `Amount Awarded`, `Award Date`,
//! `Recipient Org:Identifier`, `Recipient Org:Name`, `Funding Org:Name`, `Grant Programme:Title`,
//! `Planned Dates:Start Date`, `Planned Dates:End Date`), read with the same Excel quirks as the
//! card importer. Every bad row is named with its line and column; any bad row, no grants.

use super::{CsvError, MAX_PROBLEMS, Row, Table, decode};
use crate::model::money::grants::Grant;
use crate::model::node::parse_currency;

/// Reads the grants of a CSV file called `name`.
pub fn read_grants(name: &str, bytes: &[u8]) -> Result<Vec<Grant>, Vec<CsvError>> {
    let mut warnings = Vec::new();
    let text = decode(bytes, name, &mut warnings);
    let mut errors = Vec::new();
    let Some(t) = Table::read(name, &text, &mut errors) else { return Err(errors) };
    let ident = t.require(&["Identifier", "id"], &mut errors);
    let amount = t.require(&["Amount Awarded", "amountAwarded"], &mut errors);
    let date = t.require(&["Award Date", "awardDate"], &mut errors);
    let programme = t.require(&["Grant Programme:Title", "Grant Programme:Title (0)", "grantProgramme"], &mut errors);
    let recipient_name = t.col(&["Recipient Org:Name", "Recipient Org:Name (0)"]);
    let recipient_id = t.col(&["Recipient Org:Identifier", "Recipient Org:Identifier (0)"]);
    if recipient_name.is_none() && recipient_id.is_none() {
        errors.push(t.error(
            1,
            None,
            "there is no \"Recipient Org:Name\" or \"Recipient Org:Identifier\" column; a grant needs its recipient",
        ));
    }
    let title = t.col(&["Title"]);
    let currency = t.col(&["Currency"]);
    let funder = t.col(&["Funding Org:Name", "Funding Org:Name (0)"]);
    let start = t.col(&["Planned Dates:Start Date", "Planned Dates:Start Date (0)"]);
    let end = t.col(&["Planned Dates:End Date", "Planned Dates:End Date (0)"]);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut grants = Vec::with_capacity(t.rows.len());
    for (line, cells) in &t.rows {
        if errors.len() >= MAX_PROBLEMS {
            break;
        }
        let row = Row { table: &t, line: *line, cells };
        let before = errors.len();
        let identifier = row.trimmed(ident).to_owned();
        if identifier.is_empty() {
            errors.push(row.err(ident, "every grant needs its identifier (e.g. 360G-funder-123)"));
        }
        let value = if row.trimmed(amount).is_empty() {
            errors.push(row.err(amount, "every grant needs the amount awarded"));
            None
        } else {
            row.number(amount, &mut errors)
        };
        let day = if row.trimmed(date).is_empty() {
            errors.push(row.err(date, "every grant needs its award date"));
            None
        } else {
            row.date(date, &mut errors)
        };
        let cur = match row.trimmed(currency) {
            "" => "GBP".to_owned(),
            c => parse_currency(c).unwrap_or_else(|| {
                errors.push(
                    row.err(currency, format!("\"{c}\" is not a currency code; write three letters such as GBP")),
                );
                String::new()
            }),
        };
        let prog = row.trimmed(programme).to_owned();
        if prog.is_empty() {
            errors.push(row.err(programme, "every grant needs its grant programme, to find its intervention"));
        }
        let (rid, rname) = (row.trimmed(recipient_id).to_owned(), row.trimmed(recipient_name).to_owned());
        if rid.is_empty() && rname.is_empty() {
            errors
                .push(row.err(recipient_name.or(recipient_id), "every grant needs its recipient's identifier or name"));
        }
        let (s, e) = (row.date(start, &mut errors), row.date(end, &mut errors));
        if errors.len() > before {
            continue;
        }
        let (Some(amount), Some(award_date)) = (value, day) else { continue };
        grants.push(Grant {
            row: *line,
            identifier,
            title: row.text(title).trim().to_owned(),
            currency: cur,
            amount,
            award_date,
            recipient_id: rid,
            recipient_name: rname,
            funder_name: row.text(funder).trim().to_owned(),
            programme: prog,
            start: s,
            end: e,
        });
    }
    if errors.is_empty() { Ok(grants) } else { Err(errors) }
}
