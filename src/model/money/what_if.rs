//! What-if: move an amount from one intervention (or year) to another and compare every mission's
//! money before and after. Pure: the map is never changed here; [`moved`] gives the new versions
//! of the cards, which the editor applies as one undo step when the person says "Apply".
//!
//! Rules:
//! - Only planned or committed money moves (spent money has gone): the planned lines are drawn
//!   down first, then the committed ones, each in the order the card lists them. A line drawn
//!   down to nothing is removed; the old single budget counts as a planned line with no year.
//! - The money keeps its status, currency and source where it lands; it lands in the year given
//!   for the destination, or keeps the year it had.
//! - Only money of one currency moves at a time: the one written (`25m EUR`, `€25m`) or else the
//!   one currency the source has to move.

use super::{MissionMoney, lines_of, money};
use crate::model::analysis::portfolio::money as money_text;
use crate::model::{BudgetLine, BudgetStatus, BudgetYear, ItemId, MissionMap, Node, NodeId, NodeKind};

/// An amount to move from one intervention (and year) to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Move {
    pub amount: f64,
    /// The currency to move; `None` for the one currency the source has.
    pub currency: Option<String>,
    pub from: NodeId,
    /// Only the source's lines of this year; any year when `None`.
    pub from_year: Option<BudgetYear>,
    pub to: NodeId,
    /// The year the money lands in; the year it had when `None`.
    pub to_year: Option<BudgetYear>,
}

/// Why a move cannot be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MoveError {
    #[error(
        "{0:?} is not a move; write AMOUNT:FROM->TO such as \"25m:i12->i30\", or with years \"25m:i12@2025-26->i12@2026-27\""
    )]
    BadText(String),
    #[error(
        "{0:?} is not an amount; write a positive number such as 25m, 1.5bn, 300k or 2500000, optionally with a currency (25m EUR)"
    )]
    BadAmount(String),
    #[error("{0:?} is not a year; write a financial year such as 2025-26 or a calendar year such as 2026")]
    BadYear(String),
    #[error("there is no card {0:?} on the map; use the id shown in the inspector or by `missionboard money`")]
    NoSuchCard(String),
    #[error("\u{201c}{0}\u{201d} is not an intervention; only interventions hold money")]
    NotIntervention(String),
    #[error("the move starts and ends at the same card and year, so it changes nothing")]
    Nowhere,
    #[error("\u{201c}{card}\u{201d} has money in {list}; say which currency to move, e.g. \"25m {first}:…\"")]
    WhichCurrency { card: String, list: String, first: String },
    #[error(
        "\u{201c}{card}\u{201d} has only {have} of planned or committed money{year} to move, less than {asked} (spent money cannot move)"
    )]
    NotEnough { card: String, have: String, asked: String, year: String },
}

/// Reads an amount: `25m`, `1.5bn`, `300k`, `2,500,000`, `2500000`; positive and finite.
#[must_use]
pub fn parse_amount(text: &str) -> Option<f64> {
    let t: String = text.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (num, scale) = [("bn", 1e9), ("b", 1e9), ("m", 1e6), ("k", 1e3)]
        .iter()
        .find_map(|&(unit, scale)| lower.strip_suffix(unit).map(|n| (n.trim().to_owned(), scale)))
        .unwrap_or((lower.clone(), 1.0));
    let v: f64 = num.parse().ok()?;
    let v = v * scale;
    (v.is_finite() && v > 0.0).then_some(v)
}

/// Reads an amount with an optional currency: `25m`, `25m EUR`, `€25m`, `£1.5bn`.
fn parse_money(text: &str) -> Result<(f64, Option<String>), MoveError> {
    let bad = || MoveError::BadAmount(text.trim().to_owned());
    let t = text.trim();
    let (t, mut currency) = match t.chars().next() {
        Some('£') => (&t['£'.len_utf8()..], Some("GBP")),
        Some('€') => (&t['€'.len_utf8()..], Some("EUR")),
        Some('$') => (&t[1..], Some("USD")),
        _ => (t, None),
    };
    let mut t = t.trim();
    if let Some((num, code)) = t.rsplit_once(' ')
        && code.len() == 3
        && code.chars().all(|c| c.is_ascii_alphabetic())
    {
        if currency.is_some() {
            return Err(bad());
        }
        currency = Some(code);
        t = num;
    }
    let amount = parse_amount(t).ok_or_else(bad)?;
    Ok((amount, currency.map(str::to_ascii_uppercase)))
}

/// `i12` or `i12@2025-26`: an id and maybe a year.
fn parse_end(text: &str) -> Result<(String, Option<BudgetYear>), MoveError> {
    let t = text.trim();
    match t.rsplit_once('@') {
        Some((id, year)) => {
            let y = BudgetYear::parse(year).ok_or_else(|| MoveError::BadYear(year.trim().to_owned()))?;
            Ok((id.trim().to_owned(), Some(y)))
        }
        None => Ok((t.to_owned(), None)),
    }
}

impl Move {
    /// Reads `AMOUNT:FROM->TO`, where FROM and TO are an intervention's id with maybe `@YEAR`, and
    /// TO may be `@YEAR` alone for another year of the same intervention:
    /// `25m:i12->i30`, `1.5bn EUR:i1->i2`, `300k:i12@2025-26->@2026-27`.
    pub fn parse(text: &str) -> Result<Move, MoveError> {
        let bad = || MoveError::BadText(text.to_owned());
        let (amount, route) = text.split_once(':').ok_or_else(bad)?;
        let (from, to) = route.split_once("->").ok_or_else(bad)?;
        let (amount, currency) = parse_money(amount)?;
        let (from, from_year) = parse_end(from)?;
        let (to, to_year) = parse_end(to)?;
        let to = if to.is_empty() { from.clone() } else { to };
        let id = |s: String| NodeId::new(s.clone()).map_err(|_| MoveError::NoSuchCard(s));
        Ok(Move { amount, currency, from: id(from)?, from_year, to: id(to)?, to_year })
    }

    /// A move from the Money panel's fields: the amount as typed (`25m`, `300k EUR`), two
    /// interventions, and years as typed (empty for any year, or the year the money had).
    pub fn from_fields(
        amount: &str,
        from: NodeId,
        from_year: &str,
        to: NodeId,
        to_year: &str,
    ) -> Result<Move, MoveError> {
        let year = |t: &str| match t.trim() {
            "" => Ok(None),
            y => BudgetYear::parse(y).map(Some).ok_or_else(|| MoveError::BadYear(y.to_owned())),
        };
        let (amount, currency) = parse_money(amount)?;
        Ok(Move { amount, currency, from, from_year: year(from_year)?, to, to_year: year(to_year)? })
    }

    /// "£25m from “Heat pumps” 2025-26 to “Insulation”".
    #[must_use]
    pub fn text(&self, map: &MissionMap) -> String {
        let end = |id: &NodeId, year: Option<BudgetYear>| {
            let title = map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
            format!("\u{201c}{title}\u{201d}{}", year.map(|y| format!(" {y}")).unwrap_or_default())
        };
        format!(
            "{} from {} to {}",
            money_text(self.amount, self.currency.as_deref().unwrap_or("")).trim_end(),
            end(&self.from, self.from_year),
            end(&self.to, self.to_year)
        )
    }
}

/// A piece of a line taken by a move.
struct Taken {
    amount: f64,
    year: Option<BudgetYear>,
    status: BudgetStatus,
    source: String,
}

fn intervention<'m>(map: &'m MissionMap, id: &NodeId) -> Result<&'m Node, MoveError> {
    let node = map.node(id).ok_or_else(|| MoveError::NoSuchCard(id.to_string()))?;
    match node.kind {
        NodeKind::Intervention { .. } => Ok(node),
        _ => Err(MoveError::NotIntervention(node.title.clone())),
    }
}

/// The currency a move takes: the one written, or else the one the source has to move.
fn currency_of(node: &Node, mv: &Move) -> Result<String, MoveError> {
    if let Some(c) = &mv.currency {
        return Ok(c.clone());
    }
    let mut list: Vec<String> =
        lines_of(node).into_iter().filter(|l| movable(l, mv.from_year)).map(|l| l.currency).collect();
    list.sort();
    list.dedup();
    match list.as_slice() {
        [] => Ok("GBP".to_owned()),
        [one] => Ok(one.clone()),
        [first, ..] => {
            Err(MoveError::WhichCurrency { card: node.title.clone(), first: first.clone(), list: list.join(", ") })
        }
    }
}

fn movable(l: &BudgetLine, year: Option<BudgetYear>) -> bool {
    l.status != BudgetStatus::Spent && l.amount > 0.0 && year.is_none_or(|y| l.year == Some(y))
}

/// Takes `amount` of `currency` out of `node`'s planned, then committed, lines; `Err` with what
/// there is to move when that is less.
fn take(node: &mut Node, amount: f64, currency: &str, year: Option<BudgetYear>) -> Result<Vec<Taken>, f64> {
    let NodeKind::Intervention { budget, budget_lines, .. } = &mut node.kind else { return Err(0.0) };
    let fits = |l: &BudgetLine| movable(l, year) && l.currency == currency;
    let legacy_fits = |b: &crate::model::Budget| year.is_none() && b.currency == currency && b.amount > 0.0;
    let have = budget.as_ref().filter(|b| legacy_fits(b)).map_or(0.0, |b| b.amount)
        + budget_lines.iter().filter(|l| fits(l)).map(|l| l.amount).sum::<f64>();
    // A hair of tolerance, so lines of 0.1 + 0.2 can move 0.3 whole.
    let tiny = amount * 1e-12;
    if have + tiny < amount {
        return Err(have);
    }
    let mut left = amount;
    let mut taken = Vec::new();
    if let Some(b) = budget.as_mut().filter(|b| legacy_fits(b)) {
        let t = b.amount.min(left);
        b.amount -= t;
        left -= t;
        taken.push(Taken { amount: t, year: None, status: BudgetStatus::Planned, source: String::new() });
        if b.amount <= tiny {
            *budget = None;
        }
    }
    let mut emptied = Vec::new();
    for status in [BudgetStatus::Planned, BudgetStatus::Committed] {
        for (k, l) in budget_lines.iter_mut().enumerate().filter(|(_, l)| l.status == status && fits(l)) {
            if left <= tiny {
                break;
            }
            let t = l.amount.min(left);
            l.amount -= t;
            left -= t;
            taken.push(Taken { amount: t, year: l.year, status, source: l.source.clone() });
            if l.amount <= tiny {
                emptied.push(k);
            }
        }
    }
    emptied.sort_unstable();
    for k in emptied.into_iter().rev() {
        budget_lines.remove(k);
    }
    Ok(taken)
}

/// Adds what a move took to `node` as lines, in the year the move says or the year each piece had.
fn land(node: &mut Node, taken: Vec<Taken>, mv: &Move, currency: &str) {
    let NodeKind::Intervention { budget_lines, .. } = &mut node.kind else { return };
    let note = format!("moved from {}", mv.from);
    for t in taken {
        let year = mv.to_year.or(t.year);
        // Pieces landing in the same year with the same status and source make one line.
        let same = |l: &&mut BudgetLine| {
            l.note == note && l.year == year && l.status == t.status && l.source == t.source && l.currency == currency
        };
        match budget_lines.iter_mut().find(same) {
            Some(l) => l.amount += t.amount,
            None => budget_lines.push(BudgetLine {
                id: ItemId::fresh(),
                amount: t.amount,
                currency: currency.to_owned(),
                year,
                status: t.status,
                source: t.source,
                note: note.clone(),
            }),
        }
    }
}

/// The new versions of the cards a move changes (one card when it moves money between years of
/// the same intervention, two otherwise). The map is not touched.
pub fn moved(map: &MissionMap, mv: &Move) -> Result<Vec<Node>, MoveError> {
    let from = intervention(map, &mv.from)?;
    let to = intervention(map, &mv.to)?;
    if mv.from == mv.to && (mv.to_year.is_none() || mv.to_year == mv.from_year) {
        return Err(MoveError::Nowhere);
    }
    let currency = currency_of(from, mv)?;
    let mut source = from.clone();
    let taken = take(&mut source, mv.amount, &currency, mv.from_year).map_err(|have| MoveError::NotEnough {
        card: from.title.clone(),
        have: money_text(have, &currency),
        asked: money_text(mv.amount, &currency),
        year: mv.from_year.map(|y| format!(" in {y}")).unwrap_or_default(),
    })?;
    if mv.from == mv.to {
        land(&mut source, taken, mv, &currency);
        return Ok(vec![source]);
    }
    let mut dest = to.clone();
    land(&mut dest, taken, mv, &currency);
    Ok(vec![source, dest])
}

/// One mission's money before and after a move.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub before: MissionMoney,
    pub after: MissionMoney,
}

impl Compared {
    /// Each currency either side has, with the amount before and after, in currency order.
    #[must_use]
    pub fn by_currency(&self) -> Vec<(String, f64, f64)> {
        let mut currencies: Vec<&String> = self.before.total.0.keys().chain(self.after.total.0.keys()).collect();
        currencies.sort();
        currencies.dedup();
        currencies.into_iter().map(|c| (c.clone(), self.before.total.get(c), self.after.total.get(c))).collect()
    }

    /// Sub-missions the move would leave unfunded, and those it would fund.
    #[must_use]
    pub fn unfunded_change(&self) -> (Vec<NodeId>, Vec<NodeId>) {
        let (b, a) = (&self.before.unfunded, &self.after.unfunded);
        (a.iter().filter(|s| !b.contains(s)).cloned().collect(), b.iter().filter(|s| !a.contains(s)).cloned().collect())
    }
}

/// What a move would do: the changed cards and every mission before and after.
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// The move, with the currency it takes filled in.
    pub mv: Move,
    pub nodes: Vec<Node>,
    pub missions: Vec<Compared>,
}

/// Works out a move's effect on every mission's money (counting only `year` when given).
pub fn what_if(map: &MissionMap, mv: &Move, year: Option<BudgetYear>) -> Result<WhatIf, MoveError> {
    let nodes = moved(map, mv)?;
    let currency = currency_of(intervention(map, &mv.from)?, mv)?;
    let mv = Move { currency: Some(currency), ..mv.clone() };
    let mut after_map = map.clone();
    for n in &nodes {
        let n = n.clone();
        after_map.update_node(&n.id.clone(), |old| *old = n).map_err(|_| MoveError::NoSuchCard(mv.to.to_string()))?;
    }
    let before = money(map, year);
    let after = money(&after_map, year);
    let missions =
        before.missions.into_iter().zip(after.missions).map(|(before, after)| Compared { before, after }).collect();
    Ok(WhatIf { mv, nodes, missions })
}

#[cfg(test)]
mod tests;
