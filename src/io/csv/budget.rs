//! Budget lines in a spreadsheet: `budget.csv` beside `nodes.csv` and `links.csv`, or a `budget`
//! sheet in a workbook. One row per line, by card id: `card,id,amount,currency,year,status,source,note`.
//! Read with the same Excel quirks as the cards; every bad row is named with its line and column,
//! and nothing is imported when any row is bad.

use std::collections::HashSet;

use super::{CsvError, MAX_PROBLEMS, Row, Table, write_rows};
use crate::model::node::parse_currency;
use crate::model::{BudgetLine, BudgetStatus, BudgetYear, ItemId, MissionMap, NodeId, NodeKind};

/// The file the budget lines go to, beside the cards' file.
pub const BUDGET_FILE: &str = "budget.csv";

/// The columns written, in order.
pub const BUDGET_COLUMNS: &[&str] = &["card", "id", "amount", "currency", "year", "status", "source", "note"];

/// The budget lines of every intervention as CSV (with a byte-order mark, cells neutralised);
/// `None` when the map has none (the old single budget is in the cards' `budget` column).
#[must_use]
pub fn export_budget(map: &MissionMap) -> Option<String> {
    let mut rows = vec![BUDGET_COLUMNS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()];
    for n in map.sorted_nodes() {
        let NodeKind::Intervention { budget_lines, .. } = &n.kind else { continue };
        for l in budget_lines {
            rows.push(vec![
                n.id.to_string(),
                l.id.to_string(),
                l.amount.to_string(),
                l.currency.clone(),
                l.year.map(BudgetYear::text).unwrap_or_default(),
                l.status.slug().to_owned(),
                super::neutralise(&l.source),
                super::neutralise(&l.note),
            ]);
        }
    }
    (rows.len() > 1).then(|| write_rows(&rows))
}

/// Adds the lines of a budget table to the interventions of `map`.
pub(super) fn read_budget(file: &str, text: &str, map: &mut MissionMap, errors: &mut Vec<CsvError>) {
    let Some(t) = Table::read(file, text, errors) else { return };
    let card_col = t.require(&["card", "card_id", "intervention"], errors);
    let amount_col = t.require(&["amount", "budget"], errors);
    let (Some(card_col), Some(amount_col)) = (card_col, amount_col) else { return };
    let id_col = t.col(&["id", "line", "line_id"]);
    let currency_col = t.col(&["currency"]);
    let year_col = t.col(&["year", "financial_year", "financial year"]);
    let status_col = t.col(&["status"]);
    let source_col = t.col(&["source", "from", "department", "fund"]);
    let note_col = t.col(&["note", "notes"]);
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for (line, cells) in &t.rows {
        if errors.len() >= MAX_PROBLEMS {
            return;
        }
        let row = Row { table: &t, line: *line, cells };
        let before = errors.len();
        let card = row.trimmed(Some(card_col)).to_owned();
        let id = NodeId::new(card.as_str()).ok().filter(|id| map.contains_node(id));
        match id.as_ref().and_then(|id| map.node(id)) {
            None => errors.push(row.err(Some(card_col), format!("there is no card \"{card}\" in the cards"))),
            Some(n) if !matches!(n.kind, NodeKind::Intervention { .. }) => errors.push(row.err(
                Some(card_col),
                format!("\"{card}\" is a {}; only interventions have budget lines", n.kind().label().to_lowercase()),
            )),
            Some(_) => {}
        }
        let amount = row.number(Some(amount_col), errors);
        if amount.is_none() && errors.len() == before {
            errors.push(row.err(Some(amount_col), "every budget line needs an amount"));
        }
        let currency = match row.trimmed(currency_col) {
            "" => "GBP".to_owned(),
            c => parse_currency(c).unwrap_or_else(|| {
                errors.push(row.err(
                    currency_col,
                    format!("\"{c}\" is not a currency code; write three letters such as GBP or EUR"),
                ));
                String::new()
            }),
        };
        let year = match row.trimmed(year_col) {
            "" => None,
            y => BudgetYear::parse(y).or_else(|| {
                errors.push(row.err(
                    year_col,
                    format!(
                        "\"{y}\" is not a year; write a financial year such as 2025-26 or a calendar year such as 2026"
                    ),
                ));
                None
            }),
        };
        let status = row.choice(status_col, BudgetStatus::parse, &BudgetStatus::slugs(), errors).unwrap_or_default();
        let line_id = match row.trimmed(id_col) {
            "" => ItemId::default(),
            text => match ItemId::parse(text) {
                Some(i) if seen.insert((card.clone(), text.to_owned())) => i,
                Some(_) => {
                    errors.push(row.err(
                        id_col,
                        format!("card \"{card}\" already has a line \"{text}\"; each line needs its own id"),
                    ));
                    ItemId::default()
                }
                None => {
                    errors.push(row.err(id_col, format!("\"{text}\" cannot be a line id")));
                    ItemId::default()
                }
            },
        };
        if errors.len() > before {
            continue;
        }
        let (Some(id), Some(amount)) = (id, amount) else { continue };
        let new = BudgetLine {
            id: line_id,
            amount,
            currency,
            year,
            status,
            source: row.text(source_col).trim().to_owned(),
            note: row.text(note_col).trim().to_owned(),
        };
        let added = map.update_node(&id, |n| {
            if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
                budget_lines.push(new);
            }
        });
        if let Err(e) = added {
            errors.push(row.err(Some(card_col), e.to_string()));
        }
    }
}
