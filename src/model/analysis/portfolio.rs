//! The portfolio of each mission: which interventions serve it, with which instruments, at which
//! stage, for how much money, led by which departments, with which partners; and the two heat maps
//! (mission × lead department, mission × partner sector).
//!
//! Money is shared out: an intervention that serves several missions gives each the share of its
//! budget that flows there along its links, split at every fork by the links' weights (evenly when
//! no weights are set).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Index;
use crate::model::{MissionMap, NodeId, NodeKind, Sector};

/// Sums of money by currency (a map may mix them; they are never converted).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Money(pub BTreeMap<String, f64>);

impl Money {
    pub fn add(&mut self, currency: &str, amount: f64) {
        if amount.is_finite() {
            *self.0.entry(currency.to_owned()).or_insert(0.0) += amount;
        }
    }

    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.0.values().all(|v| v.abs() < 0.005)
    }

    /// "£1.2bn + €40m", or "—" when there is none.
    #[must_use]
    pub fn text(&self) -> String {
        if self.is_zero() {
            return "\u{2014}".to_owned();
        }
        self.0.iter().filter(|(_, v)| v.abs() >= 0.005).map(|(c, v)| money(*v, c)).collect::<Vec<_>>().join(" + ")
    }

    /// The amount in one currency (for sorting and CSV).
    #[must_use]
    pub fn get(&self, currency: &str) -> f64 {
        self.0.get(currency).copied().unwrap_or(0.0)
    }
}

/// One row of a mix: a label, the cards in it, and their (shared) money.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Mix {
    pub label: String,
    pub cards: Vec<NodeId>,
    pub budget: Money,
}

/// One cell of a heat map.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Cell {
    pub cards: Vec<NodeId>,
    pub budget: Money,
}

/// Everything about one mission's portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissionFigures {
    pub mission: NodeId,
    pub title: String,
    /// Interventions whose effort reaches the mission, by id.
    pub interventions: Vec<NodeId>,
    pub sub_missions: Vec<NodeId>,
    pub instruments: Vec<Mix>,
    pub stages: Vec<Mix>,
    pub departments: Vec<Mix>,
    /// Partners by sector.
    pub sectors: Vec<Mix>,
    /// The mission's share of the money of the interventions serving it.
    pub budget: Money,
    /// Interventions serving it that have no budget set.
    pub unbudgeted: Vec<NodeId>,
    /// Interventions that also serve other missions, with those missions.
    pub spillovers: Vec<(NodeId, Vec<NodeId>)>,
}

/// The portfolio of every mission and the two heat maps.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Portfolio {
    pub missions: Vec<MissionFigures>,
    /// Heat map columns: lead departments as written on the interventions (first spelling wins).
    pub departments: Vec<String>,
    /// `by_department[mission][department]`: interventions serving the mission led by the department.
    pub by_department: Vec<Vec<Cell>>,
    /// Heat map columns: partner sectors (and "Sector not set" last, when any partner lacks one).
    pub sectors: Vec<String>,
    /// `by_sector[mission][sector]`: partners of the mission in the sector.
    pub by_sector: Vec<Vec<Cell>>,
}

/// The label for cards with no value set for a dimension.
pub const NOT_SET: &str = "Not set";

fn push(mixes: &mut Vec<Mix>, label: &str, card: &NodeId, money: Option<(&str, f64)>) {
    let at = match mixes.iter().position(|m| m.label.eq_ignore_ascii_case(label)) {
        Some(at) => at,
        None => {
            mixes.push(Mix { label: label.to_owned(), ..Mix::default() });
            mixes.len() - 1
        }
    };
    mixes[at].cards.push(card.clone());
    if let Some((currency, amount)) = money {
        mixes[at].budget.add(currency, amount);
    }
}

/// Works out every mission's figures.
#[must_use]
pub fn portfolio(map: &MissionMap) -> Portfolio {
    with_index(&Index::new(map))
}

pub(super) fn with_index(index: &Index<'_>) -> Portfolio {
    let serving = index.serving();
    let mut result = Portfolio::default();
    let mut dept_columns: BTreeMap<String, String> = BTreeMap::new();
    let mut sector_columns: Vec<String> = Sector::ALL.iter().map(|s| s.label().to_owned()).collect();
    let mut any_unset_sector = false;

    for &m in &index.missions {
        let cards = &serving[m];
        let mut fig = MissionFigures {
            mission: index.id(m).clone(),
            title: index.title(m).to_owned(),
            interventions: Vec::new(),
            sub_missions: Vec::new(),
            instruments: Vec::new(),
            stages: Vec::new(),
            departments: Vec::new(),
            sectors: Vec::new(),
            budget: Money::default(),
            unbudgeted: Vec::new(),
            spillovers: Vec::new(),
        };
        for &v in cards {
            let id = index.id(v);
            match &index.nodes[v].kind {
                NodeKind::SubMission { .. } => fig.sub_missions.push(id.clone()),
                NodeKind::Intervention { instrument, lead_department, budget, stage, .. } => {
                    fig.interventions.push(id.clone());
                    let share = index.reach[v].iter().find(|(x, _)| *x == m).map_or(0.0, |(_, s)| *s);
                    let money = budget.as_ref().map(|b| (b.currency.as_str(), b.amount * share));
                    match money {
                        Some((c, a)) => fig.budget.add(c, a),
                        None => fig.unbudgeted.push(id.clone()),
                    }
                    push(&mut fig.instruments, instrument.map_or(NOT_SET, |i| i.label()), id, money);
                    push(&mut fig.stages, stage.map_or(NOT_SET, |s| s.label()), id, money);
                    let dept = lead_department.trim();
                    let dept = if dept.is_empty() { NOT_SET } else { dept };
                    push(&mut fig.departments, dept, id, money);
                    if dept != NOT_SET {
                        dept_columns.entry(dept.to_lowercase()).or_insert_with(|| dept.to_owned());
                    }
                    let others: Vec<NodeId> =
                        index.reach[v].iter().filter(|(x, _)| *x != m).map(|(x, _)| index.id(*x).clone()).collect();
                    if !others.is_empty() {
                        fig.spillovers.push((id.clone(), others));
                    }
                }
                _ => {}
            }
        }
        for p in index.partners_of(m, cards) {
            let sector = match &index.nodes[p].kind {
                NodeKind::Partner { sector: Some(s), .. } => s.label(),
                _ => {
                    any_unset_sector = true;
                    NOT_SET
                }
            };
            push(&mut fig.sectors, sector, index.id(p), None);
        }
        for mixes in [&mut fig.instruments, &mut fig.stages, &mut fig.departments, &mut fig.sectors] {
            mixes.sort_by(|a, b| b.cards.len().cmp(&a.cards.len()).then_with(|| a.label.cmp(&b.label)));
        }
        result.missions.push(fig);
    }

    result.departments = dept_columns.into_values().collect();
    if any_unset_sector {
        sector_columns.push(NOT_SET.to_owned());
    }
    result.sectors = sector_columns;
    for fig in &result.missions {
        let row = result
            .departments
            .iter()
            .map(|d| fig.departments.iter().find(|x| x.label.eq_ignore_ascii_case(d)).map(cell).unwrap_or_default())
            .collect();
        result.by_department.push(row);
        let row = result
            .sectors
            .iter()
            .map(|s| fig.sectors.iter().find(|x| &x.label == s).map(cell).unwrap_or_default())
            .collect();
        result.by_sector.push(row);
    }
    result
}

fn cell(mix: &Mix) -> Cell {
    Cell { cards: mix.cards.clone(), budget: mix.budget.clone() }
}

/// "£27.8bn", "£450m", "€12k".
#[must_use]
pub fn money(amount: f64, currency: &str) -> String {
    let sym = match currency {
        "GBP" => "£",
        "EUR" => "€",
        "USD" => "$",
        _ => "",
    };
    let (v, unit) = if amount.abs() >= 1e9 {
        (amount / 1e9, "bn")
    } else if amount.abs() >= 1e6 {
        (amount / 1e6, "m")
    } else if amount.abs() >= 1e3 {
        (amount / 1e3, "k")
    } else {
        (amount, "")
    };
    let num = if (v - v.round()).abs() < 0.05 { format!("{v:.0}") } else { format!("{v:.1}") };
    if sym.is_empty() { format!("{num}{unit} {currency}") } else { format!("{sym}{num}{unit}") }
}
