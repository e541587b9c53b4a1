//! Money rolled up from interventions to the missions they serve: totals per currency (never added
//! across currencies), by year and by status, and the sub-missions nobody has funded yet.
//!
//! Rules, as the report states them:
//! - An intervention's money is its budget lines. The single `budget` of older files counts as one
//!   *planned* line with no year (id `budget`).
//! - Money flows along contributes-to and enables links, the way effort does in the portfolio: at
//!   every fork it splits by the links' weights where any is set, evenly otherwise
//!   ([`Split`] says which). The shares of an intervention that reaches any mission add up to 1, so
//!   the missions' totals add up to the lines of the interventions that reach a mission.
//! - A sub-mission is *unfunded* when none of the interventions that contribute to it (directly or
//!   through other cards) has a committed or spent line. A planned line is a plan, not funding.
//! - With a year chosen, only the lines for that year count (a line with no year counts in none);
//!   "2026" is the calendar year and "2025-26" the financial year, which are told apart.

use std::collections::BTreeMap;

use serde::Serialize;

use super::analysis::{Index, Money, causal};
use super::{BudgetLine, BudgetStatus, BudgetYear, ItemId, Kind, MissionMap, Node, NodeId, NodeKind};

/// The id the single legacy budget is given as a line.
pub const LEGACY_LINE_ID: &str = "budget";

/// The key of lines with no year in `by_year`.
pub const NO_YEAR: &str = "no year";

/// One line of an intervention's money, as the report shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Line {
    pub id: String,
    pub amount: f64,
    pub currency: String,
    /// "2025-26", "2026", or none.
    pub year: Option<String>,
    /// `planned`, `committed` or `spent`.
    pub status: &'static str,
    pub source: String,
}

/// How an intervention's money is shared among the missions it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Split {
    /// It reaches no mission: its money counts for none.
    NoMission,
    /// It reaches one mission, which gets all of it.
    Whole,
    /// It reaches several, and a link on the way has a weight: shared by the weights.
    ByWeight,
    /// It reaches several and no link on the way has a weight: shared evenly at every fork.
    Even,
}

impl Split {
    /// The words the report uses.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Split::NoMission => "serves no mission",
            Split::Whole => "all to one mission",
            Split::ByWeight => "split by link weight",
            Split::Even => "split evenly (no link weights set)",
        }
    }
}

/// Money by status.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ByStatus {
    pub planned: Money,
    pub committed: Money,
    pub spent: Money,
}

impl ByStatus {
    fn add(&mut self, status: BudgetStatus, currency: &str, amount: f64) {
        match status {
            BudgetStatus::Planned => self.planned.add(currency, amount),
            BudgetStatus::Committed => self.committed.add(currency, amount),
            BudgetStatus::Spent => self.spent.add(currency, amount),
        }
    }
}

/// The share of one intervention's money a mission gets.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Share {
    pub intervention: NodeId,
    /// Between 0 and 1.
    pub share: f64,
    pub split: Split,
}

/// One mission's money.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissionMoney {
    pub id: NodeId,
    pub title: String,
    pub total: Money,
    /// By "2025-26", "2026", … and [`NO_YEAR`].
    pub by_year: BTreeMap<String, Money>,
    pub by_status: ByStatus,
    /// By year, then by status: the bars of the Money panel and the CSV rows.
    pub by_year_status: BTreeMap<String, ByStatus>,
    /// Sub-missions serving it that no committed or spent money reaches.
    pub unfunded: Vec<NodeId>,
    /// The interventions whose money reaches it, with the share each gives.
    pub shares: Vec<Share>,
}

/// One intervention's money.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InterventionMoney {
    pub id: NodeId,
    pub title: String,
    pub lines: Vec<Line>,
    pub split: Split,
    /// The missions it reaches and the share each gets.
    pub missions: Vec<(NodeId, f64)>,
}

impl MissionMoney {
    /// Each year with money in `currency`, and its amounts spent, committed and planned (the
    /// order a bar is stacked in, from the bottom).
    #[must_use]
    pub fn years_in(&self, currency: &str) -> Vec<(&str, [f64; 3])> {
        self.by_year_status
            .iter()
            .map(|(y, b)| (y.as_str(), [b.spent.get(currency), b.committed.get(currency), b.planned.get(currency)]))
            .filter(|(_, v)| v.iter().sum::<f64>().abs() >= 0.005)
            .collect()
    }
}

/// The statuses in the order [`MissionMoney::years_in`] gives their amounts.
pub const STACKED: [BudgetStatus; 3] = [BudgetStatus::Spent, BudgetStatus::Committed, BudgetStatus::Planned];

/// The money of a whole map.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MoneyReport {
    /// The year the report is limited to, if any.
    pub year: Option<String>,
    pub missions: Vec<MissionMoney>,
    pub interventions: Vec<InterventionMoney>,
}

/// An intervention's lines, the legacy budget first as a planned line with no year.
#[must_use]
pub fn lines_of(node: &Node) -> Vec<BudgetLine> {
    let NodeKind::Intervention { budget, budget_lines, .. } = &node.kind else { return Vec::new() };
    let legacy = budget.as_ref().map(|b| BudgetLine {
        id: ItemId::parse(LEGACY_LINE_ID).unwrap_or_default(),
        currency: b.currency.clone(),
        note: b.period.clone(),
        ..BudgetLine::new(b.amount)
    });
    legacy.into_iter().chain(budget_lines.iter().cloned()).filter(|l| l.amount.is_finite()).collect()
}

/// Whether a line is money someone has agreed to pay or paid.
#[must_use]
pub fn is_funding(line: &BudgetLine) -> bool {
    matches!(line.status, BudgetStatus::Committed | BudgetStatus::Spent) && line.amount > 0.0
}

/// Whether a line's source names `partner`: it is the partner's title or id, or holds its title
/// ("Wellcome Trust grant" for "Wellcome Trust"), with case and spaces aside.
#[must_use]
pub fn names_partner(source: &str, partner: &Node) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let (source, title) = (norm(source), norm(&partner.title));
    !source.is_empty()
        && (source == norm(partner.id.as_str())
            || (!title.is_empty() && (source == title || (title.chars().count() >= 3 && source.contains(&title)))))
}

/// Whether any card of the map has budget lines (the legacy budget does not count).
#[must_use]
pub fn map_has_lines(map: &MissionMap) -> bool {
    map.nodes().any(|n| matches!(&n.kind, NodeKind::Intervention { budget_lines, .. } if !budget_lines.is_empty()))
}

/// The interventions whose effort flows into card `v` along contributes-to and enables links,
/// directly or through other cards, in index order.
pub(crate) fn contributors(index: &Index<'_>, v: usize, seen: &mut [u32], stamp: u32) -> Vec<usize> {
    let mut found = Vec::new();
    let mut stack = vec![v];
    seen[v] = stamp;
    while let Some(x) = stack.pop() {
        for &(w, link) in &index.inc[x] {
            if causal(link.kind) && seen[w] != stamp && index.kind(w) != Kind::Mission {
                seen[w] = stamp;
                if index.kind(w) == Kind::Intervention {
                    found.push(w);
                }
                stack.push(w);
            }
        }
    }
    found.sort_unstable();
    found
}

/// Sub-missions that no committed or spent money reaches, among `sub_missions`; `year` limits
/// the lines that count.
pub(crate) fn unfunded_among(index: &Index<'_>, sub_missions: &[usize], year: Option<BudgetYear>) -> Vec<usize> {
    let mut seen = vec![0u32; index.nodes.len()];
    let mut out = Vec::new();
    for (n, &s) in sub_missions.iter().enumerate() {
        let stamp = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let funded = contributors(index, s, &mut seen, stamp)
            .into_iter()
            .any(|i| lines_of(index.nodes[i]).iter().any(|l| is_funding(l) && counts(l, year)));
        if !funded {
            out.push(s);
        }
    }
    out
}

fn counts(line: &BudgetLine, year: Option<BudgetYear>) -> bool {
    year.is_none_or(|y| line.year == Some(y))
}

/// Whether a weight is set on any contributes-to or enables link between `v` and the missions.
fn weighted_on_the_way(index: &Index<'_>, v: usize) -> bool {
    let mut seen = vec![false; index.nodes.len()];
    let mut stack = vec![v];
    seen[v] = true;
    while let Some(x) = stack.pop() {
        for &(w, link) in &index.out[x] {
            if !causal(link.kind) {
                continue;
            }
            if link.weight.is_some() {
                return true;
            }
            if !seen[w] && index.kind(w) != Kind::Mission {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    false
}

/// The money of every mission and intervention, limited to `year` when given.
#[must_use]
pub fn money(map: &MissionMap, year: Option<BudgetYear>) -> MoneyReport {
    let index = Index::new(map);
    let serving = index.serving();
    let mut report = MoneyReport { year: year.map(BudgetYear::text), ..MoneyReport::default() };
    let mut at_mission: BTreeMap<usize, usize> = BTreeMap::new();
    for &m in &index.missions {
        at_mission.insert(m, report.missions.len());
        let subs: Vec<usize> = serving[m].iter().copied().filter(|&v| index.kind(v) == Kind::SubMission).collect();
        report.missions.push(MissionMoney {
            id: index.id(m).clone(),
            title: index.title(m).to_owned(),
            total: Money::default(),
            by_year: BTreeMap::new(),
            by_status: ByStatus::default(),
            by_year_status: BTreeMap::new(),
            unfunded: unfunded_among(&index, &subs, year).into_iter().map(|v| index.id(v).clone()).collect(),
            shares: Vec::new(),
        });
    }
    for v in 0..index.nodes.len() {
        if index.kind(v) != Kind::Intervention {
            continue;
        }
        let lines: Vec<BudgetLine> = lines_of(index.nodes[v]).into_iter().filter(|l| counts(l, year)).collect();
        let reach = &index.reach[v];
        let split = match reach.len() {
            0 => Split::NoMission,
            1 => Split::Whole,
            _ if weighted_on_the_way(&index, v) => Split::ByWeight,
            _ => Split::Even,
        };
        for &(m, share) in reach {
            let Some(&k) = at_mission.get(&m) else { continue };
            let fig = &mut report.missions[k];
            for l in &lines {
                let amount = l.amount * share;
                fig.total.add(&l.currency, amount);
                let key = l.year.map_or_else(|| NO_YEAR.to_owned(), BudgetYear::text);
                fig.by_year.entry(key.clone()).or_default().add(&l.currency, amount);
                fig.by_year_status.entry(key).or_default().add(l.status, &l.currency, amount);
                fig.by_status.add(l.status, &l.currency, amount);
            }
            if !lines.is_empty() {
                fig.shares.push(Share { intervention: index.id(v).clone(), share, split });
            }
        }
        report.interventions.push(InterventionMoney {
            id: index.id(v).clone(),
            title: index.title(v).to_owned(),
            lines: lines
                .iter()
                .map(|l| Line {
                    id: l.id.to_string(),
                    amount: l.amount,
                    currency: l.currency.clone(),
                    year: l.year.map(BudgetYear::text),
                    status: l.status.slug(),
                    source: l.source.clone(),
                })
                .collect(),
            split,
            missions: reach.iter().map(|&(m, s)| (index.id(m).clone(), s)).collect(),
        });
    }
    report
}

pub mod grants;
mod what_if;
pub use what_if::{Compared, Move, MoveError, WhatIf, moved, parse_amount, what_if};

#[cfg(test)]
mod tests;
