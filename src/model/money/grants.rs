//! Real grant data (the 360Giving Data Standard) as budget lines: each grant's recipient matched
//! to a partner card (by identifier, then by name; a new partner card otherwise), its grant
//! programme matched to an intervention by a rule the person sees first ([`plan`] is the preview),
//! then added ([`apply`]) as a committed line in the financial year of its award date, from its
//! funder. Pure: reading the file is `io::grants`.
//!
//! A partner card carries an organisation's identifier as its id or as a tag (a new one gets it
//! as both, where the id is free), so a second import matches it by identifier. A grant already
//! imported (a line with the grant's identifier as its id on that intervention) is not added again.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use crate::model::analysis::Money;
use crate::model::{
    BudgetLine, BudgetStatus, BudgetYear, ItemId, Kind, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement,
};

/// One grant as the standard describes it (the columns Missionboard uses).
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    /// Where it was in the file, for messages ("row 7", "grant 7").
    pub row: u64,
    pub identifier: String,
    pub title: String,
    pub currency: String,
    pub amount: f64,
    pub award_date: NaiveDate,
    pub recipient_id: String,
    pub recipient_name: String,
    pub funder_name: String,
    pub programme: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// How grant programmes are matched to interventions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rule {
    /// The programme's title is the intervention's title (case and spaces aside).
    #[default]
    Title,
    /// The intervention has a tag that is the programme's title.
    Tag,
}

impl Rule {
    /// The rule in words, for the preview.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Rule::Title => "a grant programme goes to the intervention with the same title (case and spaces aside)",
            Rule::Tag => "a grant programme goes to the intervention tagged with its title",
        }
    }
}

/// What the person chose for one grant programme, over the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// This intervention card.
    Card(NodeId),
    /// A new intervention card, titled as the programme.
    NewCard,
    /// Not added.
    Skip,
}

/// How a recipient was matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    ByIdentifier(NodeId),
    ByName(NodeId),
    /// A new partner card, with the id it will get.
    New(NodeId),
}

impl Recipient {
    #[must_use]
    pub fn card(&self) -> &NodeId {
        match self {
            Recipient::ByIdentifier(id) | Recipient::ByName(id) | Recipient::New(id) => id,
        }
    }
}

/// One programme's row of the preview.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgrammeRow {
    pub programme: String,
    /// The intervention it goes to, by the rule (or as the person said); `None`: not added.
    pub intervention: Option<NodeId>,
    pub grants: usize,
    pub money: Money,
}

/// What an import would do: the preview shown before anything is written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub programmes: Vec<ProgrammeRow>,
    /// For each grant (in file order): its intervention and recipient, or `None` when its
    /// programme matched none.
    pub grants: Vec<Option<(NodeId, Recipient)>>,
    /// New partner cards: id, name and organisation identifier.
    pub new_partners: Vec<(NodeId, String, String)>,
    pub by_identifier: usize,
    pub by_name: usize,
    /// Grants already on the map (a line with the grant's identifier), not added again.
    pub already: usize,
    /// New intervention cards (a programme the person gave a new card): id and title.
    pub new_interventions: Vec<(NodeId, String)>,
}

impl Plan {
    /// "Recipients: 2 matched to partner cards by identifier, 1 by name; 2 new partner cards", as
    /// the CLI's preview and the app's say it.
    #[must_use]
    pub fn recipients_text(&self) -> String {
        format!(
            "Recipients: {} matched to partner cards by identifier, {} by name; {}",
            self.by_identifier,
            self.by_name,
            crate::model::analysis::checks::plural(self.new_partners.len(), "new partner card", "new partner cards")
        )
    }

    /// The grants that would be added.
    #[must_use]
    pub fn adding(&self) -> usize {
        self.grants.iter().filter(|g| g.is_some()).count() - self.already
    }

    /// The cards the import adds (new interventions, then new partners), to be placed.
    #[must_use]
    pub fn new_cards(&self) -> Vec<NodeId> {
        let interventions = self.new_interventions.iter().map(|(id, _)| id.clone());
        interventions.chain(self.new_partners.iter().map(|(id, _, _)| id.clone())).collect()
    }
}

fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The financial year (April to March) a day falls in: 2025-06-01 is in 2025-26.
#[must_use]
pub fn financial_year(day: NaiveDate) -> BudgetYear {
    let y = day.year();
    BudgetYear::Financial(if day.month() >= 4 { y } else { y - 1 })
}

/// The intervention `rule` alone gives a programme (the first by id when several match), whatever
/// the person chose for it.
#[must_use]
pub fn by_rule(map: &MissionMap, rule: Rule, programme: &str) -> Option<NodeId> {
    let key = norm(programme);
    map.sorted_nodes()
        .into_iter()
        .find(|n| {
            n.kind() == Kind::Intervention
                && match rule {
                    Rule::Title => norm(&n.title) == key,
                    Rule::Tag => n.tags.iter().any(|t| norm(t) == key),
                }
        })
        .map(|n| n.id.clone())
}

/// The line id a grant's line gets: its identifier (or one made from it when it cannot be one).
fn line_id(g: &Grant) -> ItemId {
    ItemId::parse(g.identifier.trim()).unwrap_or_else(|| ItemId::derived("360giving", &g.identifier, 0))
}

/// Works out what importing `grants` into `map` would do: programmes matched to interventions by
/// `rule`, except those `chosen` names (programme title → intervention), recipients matched to
/// partner cards.
#[must_use]
pub fn plan(map: &MissionMap, grants: &[Grant], rule: Rule, chosen: &BTreeMap<String, NodeId>) -> Plan {
    let chosen: BTreeMap<String, Choice> = chosen.iter().map(|(k, v)| (k.clone(), Choice::Card(v.clone()))).collect();
    plan_choosing(map, grants, rule, &chosen)
}

/// As [`plan`], with any choice for a programme (by its title): a card, a new card, or none.
#[must_use]
pub fn plan_choosing(map: &MissionMap, grants: &[Grant], rule: Rule, chosen: &BTreeMap<String, Choice>) -> Plan {
    let mut by_key: HashMap<String, NodeId> = HashMap::new();
    let mut partner_by_ident: HashMap<String, NodeId> = HashMap::new();
    let mut partner_by_name: HashMap<String, NodeId> = HashMap::new();
    let mut lines_there: HashSet<(NodeId, String)> = HashSet::new();
    for n in map.sorted_nodes() {
        match &n.kind {
            NodeKind::Intervention { budget_lines, .. } => {
                let keys: Vec<String> = match rule {
                    Rule::Title => vec![norm(&n.title)],
                    Rule::Tag => n.tags.iter().map(|t| norm(t)).collect(),
                };
                for k in keys {
                    by_key.entry(k).or_insert_with(|| n.id.clone());
                }
                lines_there.extend(budget_lines.iter().map(|l| (n.id.clone(), l.id.to_string())));
            }
            NodeKind::Partner { .. } => {
                for ident in std::iter::once(n.id.as_str()).chain(n.tags.iter().map(String::as_str)) {
                    partner_by_ident.entry(norm(ident)).or_insert_with(|| n.id.clone());
                }
                partner_by_name.entry(norm(&n.title)).or_insert_with(|| n.id.clone());
            }
            _ => {}
        }
    }
    let chosen: HashMap<String, &Choice> = chosen.iter().map(|(k, v)| (norm(k), v)).collect();
    let mut out = Plan::default();
    let mut rows: BTreeMap<String, ProgrammeRow> = BTreeMap::new();
    let mut taken: HashSet<NodeId> = map.nodes().map(|n| n.id.clone()).collect();
    let mut serial = 0usize;
    let mut new_cards: HashMap<String, NodeId> = HashMap::new();
    let mut card_serial = 0usize;
    for g in grants {
        let key = norm(&g.programme);
        let intervention = match chosen.get(&key) {
            Some(Choice::Card(id)) => Some(id.clone()),
            Some(Choice::Skip) => None,
            Some(Choice::NewCard) => Some(if let Some(id) = new_cards.get(&key) {
                id.clone()
            } else {
                let id = fresh(&taken, "i-grant", &mut card_serial);
                taken.insert(id.clone());
                new_cards.insert(key.clone(), id.clone());
                out.new_interventions.push((id.clone(), g.programme.trim().to_owned()));
                id
            }),
            None => by_key.get(&key).cloned(),
        };
        let row = rows.entry(key).or_insert_with(|| ProgrammeRow {
            programme: g.programme.trim().to_owned(),
            intervention: intervention.clone(),
            grants: 0,
            money: Money::default(),
        });
        row.grants += 1;
        row.money.add(&g.currency, g.amount);
        let Some(intervention) = intervention else {
            out.grants.push(None);
            continue;
        };
        if lines_there.contains(&(intervention.clone(), line_id(g).to_string())) {
            out.already += 1;
        }
        let (ident, name) = (norm(&g.recipient_id), norm(&g.recipient_name));
        let recipient = if let Some(id) = partner_by_ident.get(&ident).filter(|_| !ident.is_empty()) {
            out.by_identifier += 1;
            Recipient::ByIdentifier(id.clone())
        } else if let Some(id) = partner_by_name.get(&name).filter(|_| !name.is_empty()) {
            out.by_name += 1;
            Recipient::ByName(id.clone())
        } else {
            // A new partner card: its identifier as its id where that is free.
            let id = NodeId::new(g.recipient_id.trim())
                .ok()
                .filter(|id| !taken.contains(id))
                .unwrap_or_else(|| fresh(&taken, "p-grant", &mut serial));
            taken.insert(id.clone());
            if !ident.is_empty() {
                partner_by_ident.insert(ident, id.clone());
            }
            if !name.is_empty() {
                partner_by_name.insert(name, id.clone());
            }
            out.new_partners.push((id.clone(), g.recipient_name.trim().to_owned(), g.recipient_id.trim().to_owned()));
            Recipient::New(id)
        };
        out.grants.push(Some((intervention, recipient)));
    }
    out.programmes = rows.into_values().collect();
    out
}

/// An id `PREFIX-N` not in `taken`.
fn fresh(taken: &HashSet<NodeId>, prefix: &str, serial: &mut usize) -> NodeId {
    loop {
        *serial += 1;
        if let Ok(id) = NodeId::new(format!("{prefix}-{serial}"))
            && !taken.contains(&id)
        {
            return id;
        }
    }
}

/// The map with the grants of `plan` added: new intervention cards (a programme given one), new partner cards (unplaced: the caller lays them
/// out, e.g. `layout::place_in_bands`), a committed line per grant on its intervention, and a "delivers" link from each recipient to
/// the intervention where there is none yet.
pub fn apply(map: &MissionMap, grants: &[Grant], plan: &Plan) -> Result<MissionMap, crate::model::ModelError> {
    let mut out = map.clone();
    for (id, programme) in &plan.new_interventions {
        let mut node = Node::new(id.clone(), Kind::Intervention, programme.clone());
        node.description =
            format!("Added for the grant programme \u{201c}{programme}\u{201d} from 360Giving grant data.");
        out.add_node(node, Placement::default())?;
    }
    for (id, name, ident) in &plan.new_partners {
        let mut node = Node::new(id.clone(), Kind::Partner, if name.is_empty() { ident.clone() } else { name.clone() });
        if !ident.is_empty() && ident != id.as_str() {
            node.tags.push(ident.clone());
        }
        node.description = format!("Added from 360Giving grant data (recipient {ident}).");
        out.add_node(node, Placement::default())?;
    }
    let mut lines: BTreeMap<NodeId, Vec<BudgetLine>> = BTreeMap::new();
    let mut delivers: HashSet<(NodeId, NodeId)> =
        out.links().filter(|l| l.kind == LinkKind::Delivers).map(|l| (l.from.clone(), l.to.clone())).collect();
    let mut there: HashSet<(NodeId, String)> = HashSet::new();
    for n in out.nodes() {
        if let NodeKind::Intervention { budget_lines, .. } = &n.kind {
            there.extend(budget_lines.iter().map(|l| (n.id.clone(), l.id.to_string())));
        }
    }
    for (g, matched) in grants.iter().zip(&plan.grants) {
        let Some((intervention, recipient)) = matched else { continue };
        let id = line_id(g);
        if !there.insert((intervention.clone(), id.to_string())) {
            continue;
        }
        let dates = match (g.start, g.end) {
            (Some(s), Some(e)) => format!(", planned {s} to {e}"),
            _ => String::new(),
        };
        lines.entry(intervention.clone()).or_default().push(BudgetLine {
            id,
            amount: g.amount,
            currency: g.currency.clone(),
            year: Some(financial_year(g.award_date)),
            status: BudgetStatus::Committed,
            source: g.funder_name.trim().to_owned(),
            note: format!("360Giving grant to {}: {}{dates}", g.recipient_name.trim(), g.title.trim()),
        });
        if delivers.insert((recipient.card().clone(), intervention.clone())) {
            out.connect(recipient.card(), intervention, LinkKind::Delivers)?;
        }
    }
    for (id, new) in lines {
        out.update_node(&id, |n| {
            if let NodeKind::Intervention { budget_lines, .. } = &mut n.kind {
                budget_lines.extend(new);
            }
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
