//! The checks: each finds one kind of weakness in a theory of change and says, in plain English,
//! what is wrong and what to do. The criteria come from IIPP / Mazzucato: a mission is measurable
//! and time-bound, cross-ministerial, reached by more than one route, and delivered in partnership.

use std::collections::BTreeMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use super::{Index, carries, causal};
use crate::model::{Kind, LinkId, LinkKind, MissionMap, NodeId, NodeKind, Sector};

/// How much a finding matters. `Error` makes `missionboard check` exit with 1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Note",
            Severity::Warning => "Warning",
            Severity::Error => "Error",
        }
    }
}

/// Every check Missionboard runs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    // Mission criteria.
    NoMeasurableTarget,
    NoDeadline,
    SingleDepartment,
    NoLeadDepartments,
    NoRoute,
    SingleRoute,
    NoOutsidePartner,
    // Causal chain.
    InterventionLeadsNowhere,
    SubMissionLeadsNowhere,
    NoIndicator,
    NoIntervention,
    NoRationale,
    Cycle,
    PartnerLinkedToNothing,
    // Delivery risk.
    SinglePointOfFailure,
    // Money (only on maps that have budget lines).
    /// A sub-mission whose interventions have no committed or spent money.
    UnfundedSubMission,
    /// An intervention in delivery with no money at all.
    InDeliveryWithoutMoney,
    /// A partner linked as funder of interventions none of whose budget lines comes from it.
    FunderWithoutLines,
    /// A conflict a merge left unsettled (`MissionMap::unresolved`).
    MergeConflict,
}

impl Check {
    pub const ALL: [Check; 19] = [
        Check::NoMeasurableTarget,
        Check::NoDeadline,
        Check::SingleDepartment,
        Check::NoLeadDepartments,
        Check::NoRoute,
        Check::SingleRoute,
        Check::NoOutsidePartner,
        Check::InterventionLeadsNowhere,
        Check::SubMissionLeadsNowhere,
        Check::NoIndicator,
        Check::NoIntervention,
        Check::NoRationale,
        Check::Cycle,
        Check::PartnerLinkedToNothing,
        Check::SinglePointOfFailure,
        Check::UnfundedSubMission,
        Check::InDeliveryWithoutMoney,
        Check::FunderWithoutLines,
        Check::MergeConflict,
    ];

    /// The short name used in keys, JSON and reports.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Check::NoMeasurableTarget => "no-measurable-target",
            Check::NoDeadline => "no-deadline",
            Check::SingleDepartment => "single-department",
            Check::NoLeadDepartments => "no-lead-departments",
            Check::NoRoute => "no-route",
            Check::SingleRoute => "single-route",
            Check::NoOutsidePartner => "no-outside-partner",
            Check::InterventionLeadsNowhere => "intervention-leads-nowhere",
            Check::SubMissionLeadsNowhere => "sub-mission-leads-nowhere",
            Check::NoIndicator => "no-indicator",
            Check::NoIntervention => "no-intervention",
            Check::NoRationale => "no-rationale",
            Check::Cycle => "cycle",
            Check::PartnerLinkedToNothing => "partner-linked-to-nothing",
            Check::SinglePointOfFailure => "single-point-of-failure",
            Check::UnfundedSubMission => "unfunded-sub-mission",
            Check::InDeliveryWithoutMoney => "in-delivery-without-money",
            Check::FunderWithoutLines => "funder-without-lines",
            Check::MergeConflict => "merge-conflict",
        }
    }

    /// Which of the three groups the check belongs to.
    #[must_use]
    pub fn group(self) -> &'static str {
        match self {
            Check::NoMeasurableTarget
            | Check::NoDeadline
            | Check::SingleDepartment
            | Check::NoLeadDepartments
            | Check::NoRoute
            | Check::SingleRoute
            | Check::NoOutsidePartner => "Mission criteria",
            Check::SinglePointOfFailure => "Delivery risk",
            Check::MergeConflict => "Merge",
            Check::UnfundedSubMission | Check::InDeliveryWithoutMoney | Check::FunderWithoutLines => "Money",
            _ => "Causal chain",
        }
    }

    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Check::NoMeasurableTarget | Check::NoDeadline | Check::Cycle | Check::MergeConflict => Severity::Error,
            Check::NoRationale | Check::NoLeadDepartments => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// One thing a check found.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct Finding {
    pub check: Check,
    pub severity: Severity,
    /// Names this finding across edits and saves, for dismissals: the check and its cards or link.
    pub key: String,
    /// The cards involved; the first is the one the finding is about.
    pub cards: Vec<NodeId>,
    pub links: Vec<LinkId>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

impl Finding {
    fn new(check: Check, key_parts: &[&str], cards: Vec<NodeId>, message: String, fix: impl Into<String>) -> Finding {
        Finding {
            check,
            severity: check.severity(),
            key: format!("{}:{}", check.code(), key_parts.join("+")),
            cards,
            links: Vec::new(),
            message,
            fix: fix.into(),
        }
    }

    /// A finding about one card, keyed by it.
    fn about(check: Check, index: &Index<'_>, v: usize, message: String, fix: impl Into<String>) -> Finding {
        let id = index.id(v);
        Finding::new(check, &[id.as_str()], vec![id.clone()], message, fix)
    }

    fn with_links(mut self, links: Vec<LinkId>) -> Finding {
        self.links = links;
        self
    }
}

/// The findings of every check, split into those still open and those a person dismissed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Checked {
    /// Most severe first, then by key.
    pub open: Vec<Finding>,
    /// With the reason given.
    pub dismissed: Vec<(Finding, String)>,
}

impl Checked {
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.open.iter().filter(|f| f.severity == severity).count()
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Runs every check on the map; findings whose key the map lists as dismissed go apart.
#[must_use]
pub fn run_checks(map: &MissionMap) -> Checked {
    run_with(map, &Index::new(map))
}

pub(super) fn run_with(map: &MissionMap, index: &Index<'_>) -> Checked {
    let mut all = Vec::new();
    mission_criteria(index, &mut all);
    causal_chain(index, &mut all);
    money(index, &mut all);
    merge_conflicts(map, &mut all);
    all.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.check.cmp(&b.check)).then_with(|| a.key.cmp(&b.key)));
    let mut checked = Checked::default();
    for finding in all {
        match map.dismissals.get(&finding.key) {
            // A merge conflict is settled by choosing a side, never dismissed.
            Some(d) if finding.check != Check::MergeConflict => checked.dismissed.push((finding, d.reason.clone())),
            _ => checked.open.push(finding),
        }
    }
    checked
}

/// Unfunded pathways: a sub-mission none of whose interventions has committed or spent money, and
/// an intervention in delivery with no money at all. Only on a map that has budget lines: a map that
/// does not track money yet is not flooded with findings about it. A sub-mission no intervention
/// contributes to is left to `NoIntervention`.
fn money(index: &Index<'_>, out: &mut Vec<Finding>) {
    use crate::model::money::{contributors, is_funding, lines_of};
    use crate::model::{NodeKind, Stage};
    let has_lines = index
        .nodes
        .iter()
        .any(|n| matches!(&n.kind, NodeKind::Intervention { budget_lines, .. } if !budget_lines.is_empty()));
    if !has_lines {
        return;
    }
    let mut seen = vec![0u32; index.nodes.len()];
    let mut stamp = 0u32;
    for v in 0..index.nodes.len() {
        match index.kind(v) {
            Kind::SubMission => {
                stamp += 1;
                let feeding = contributors(index, v, &mut seen, stamp);
                if feeding.is_empty() || feeding.iter().any(|&i| lines_of(index.nodes[i]).iter().any(is_funding)) {
                    continue;
                }
                let mut cards = vec![v];
                cards.extend(&feeding);
                out.push(Finding::new(
                    Check::UnfundedSubMission,
                    &[index.id(v).as_str()],
                    ids(index, &cards),
                    format!(
                        "Sub-mission {} is unfunded: none of the {} contributing to it has money committed or spent, only plans at most. (Money checks run because this map has budget lines.)",
                        quoted(index, v),
                        plural(feeding.len(), "intervention", "interventions")
                    ),
                    "Record the committed or spent budget lines of the interventions that serve it, or add a funded intervention.",
                ));
            }
            Kind::Intervention => {
                let in_delivery =
                    matches!(&index.nodes[v].kind, NodeKind::Intervention { stage: Some(Stage::InDelivery), .. });
                if in_delivery && lines_of(index.nodes[v]).iter().all(|l| l.amount == 0.0) {
                    out.push(Finding::about(
                        Check::InDeliveryWithoutMoney,
                        index,
                        v,
                        format!(
                            "Intervention {} is in delivery but has no money recorded: no budget and no budget lines. (Money checks run because this map has budget lines.)",
                            quoted(index, v)
                        ),
                        "Add its budget lines in the inspector (amount, year, status and where the money comes from).",
                    ));
                }
            }
            Kind::Partner => funder_without_lines(index, v, out),
            Kind::Mission => {}
        }
    }
}

/// A partner linked as funder ("funds") of interventions none of which has a budget line from it:
/// a line whose source names the partner (see [`crate::model::money::names_partner`]).
fn funder_without_lines(index: &Index<'_>, v: usize, out: &mut Vec<Finding>) {
    use crate::model::LinkKind;
    use crate::model::money::{lines_of, names_partner};
    let partner = index.nodes[v];
    let funds: Vec<(usize, &crate::model::Link)> =
        index.out[v].iter().filter(|(_, l)| l.kind == LinkKind::Funds).map(|&(w, l)| (w, l)).collect();
    if funds.is_empty()
        || funds
            .iter()
            .any(|&(w, _)| lines_of(index.nodes[w]).iter().any(|l| l.amount > 0.0 && names_partner(&l.source, partner)))
    {
        return;
    }
    let mut cards = vec![v];
    cards.extend(funds.iter().map(|&(w, _)| w));
    let names: Vec<String> = funds.iter().map(|&(w, _)| quoted(index, w)).collect();
    out.push(
        Finding::new(
            Check::FunderWithoutLines,
            &[index.id(v).as_str()],
            ids(index, &cards),
            format!(
                "Partner {} is linked as funder of {} but no budget line there comes from it. (Money checks run because this map has budget lines.)",
                quoted(index, v),
                names.join(", ")
            ),
            format!(
                "Add the budget line it pays for, with {} as its source (the inspector's budget lines, \u{201c}from\u{201d}), or make the link \u{201c}delivers\u{201d} if it does not pay.",
                quoted(index, v)
            ),
        )
        .with_links(funds.iter().map(|(_, l)| l.id.clone()).collect()),
    );
}

/// One finding per conflict a merge left unsettled: `check` fails and the Checks panel offers both
/// sides until someone chooses.
fn merge_conflicts(map: &MissionMap, out: &mut Vec<Finding>) {
    use crate::model::merge::Item;
    for (n, u) in map.unresolved.iter().enumerate() {
        let (cards, links) = match Item::from_key_text(&u.item) {
            Some(Item::Card(id)) => (vec![id], vec![]),
            Some(Item::Link(id)) => {
                let ends = map.link(&id).map(|l| vec![l.from.clone(), l.to.clone()]).unwrap_or_default();
                (ends, vec![id])
            }
            _ => (vec![], vec![]),
        };
        let mut f = Finding::new(
            Check::MergeConflict,
            &[&n.to_string()],
            cards,
            format!("Merge conflict not settled: {}", u.describe()),
            "Choose \u{201c}Keep ours\u{201d} or \u{201c}Take theirs\u{201d} here in the Checks panel (or run `missionboard resolve FILE --keep ours|theirs`).",
        );
        f.links = links;
        out.push(f);
    }
}

fn quoted(index: &Index<'_>, v: usize) -> String {
    format!("\u{201c}{}\u{201d}", index.title(v).trim())
}

fn ids(index: &Index<'_>, cards: &[usize]) -> Vec<NodeId> {
    cards.iter().map(|&v| index.id(v).clone()).collect()
}

fn is_outside_government(sector: Sector) -> bool {
    matches!(
        sector,
        Sector::Business | Sector::TradeUnion | Sector::AcademiaResearch | Sector::CivilSociety | Sector::International
    )
}

/// "1 error", "3 errors".
#[must_use]
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

fn mission_criteria(index: &Index<'_>, out: &mut Vec<Finding>) {
    let serving = index.serving();
    let mut scratch = Scratch::new(index.nodes.len());
    for &m in &index.missions {
        let id = index.id(m).as_str();
        let name = quoted(index, m);
        if let NodeKind::Mission { target, .. } = &index.nodes[m].kind {
            if target.metric.trim().is_empty() || target.value.is_none() {
                out.push(Finding::about(
                    Check::NoMeasurableTarget,
                    index,
                    m,
                    format!("Mission {name} has no measurable target: a mission says what will be measured and what value counts as success."),
                    "Select the mission and fill in its target's metric (what is measured) and target value, e.g. \"share of clean power\", 95 %.",
                ));
            }
            if target.deadline.is_none() {
                out.push(Finding::about(
                    Check::NoDeadline,
                    index,
                    m,
                    format!("Mission {name} has no deadline: a mission is time-bound."),
                    "Select the mission and set its target's deadline (YYYY-MM-DD).",
                ));
            }
        }
        let cards = serving[m].as_slice();
        let interventions: Vec<usize> =
            cards.iter().copied().filter(|&v| index.kind(v) == Kind::Intervention).collect();

        // Cross-ministerial: more than one department leads the work.
        if !interventions.is_empty() {
            let mut departments: BTreeMap<&str, &str> = BTreeMap::new();
            let mut unnamed = 0;
            for &v in &interventions {
                let (shown, key) = &index.departments[v];
                if key.is_empty() {
                    unnamed += 1;
                } else {
                    departments.entry(key.as_str()).or_insert(shown);
                }
            }
            match departments.len() {
                0 => out.push(Finding::about(
                    Check::NoLeadDepartments,
                    index,
                    m,
                    format!(
                        "None of the {} serving mission {name} names a lead department, so Missionboard cannot tell whether the mission is cross-ministerial.",
                        plural(interventions.len(), "intervention", "interventions")
                    ),
                    "Set the lead department of each intervention in the inspector.",
                )),
                1 => {
                    let dept = departments.values().next().copied().unwrap_or_default();
                    let mut involved = vec![m];
                    involved.extend(&interventions);
                    let more = if unnamed > 0 { format!(" ({unnamed} more name no department)") } else { String::new() };
                    out.push(Finding::new(
                        Check::SingleDepartment,
                        &[id],
                        ids(index, &involved),
                        format!(
                            "Every intervention serving mission {name} that names a lead department is led by {dept}{more}: the mission is not cross-ministerial."
                        ),
                        "Bring in interventions led by other departments, or record the other departments that lead this work.",
                    ));
                }
                _ => {}
            }
        }

        routes(index, m, cards, &mut scratch, out);

        // Governed in partnership: at least one partner outside government.
        let partners = index.partners_of(m, cards);
        let outside = partners.iter().any(
            |&p| matches!(&index.nodes[p].kind, NodeKind::Partner { sector: Some(s), .. } if is_outside_government(*s)),
        );
        if !outside {
            let unset = partners
                .iter()
                .filter(|&&p| matches!(&index.nodes[p].kind, NodeKind::Partner { sector: None, .. }))
                .count();
            let detail = match (partners.len(), unset) {
                (0, _) => "it has no partners at all".to_owned(),
                (n, 0) => format!("all {} are in government", plural(n, "partner", "partners")),
                (n, u) => format!(
                    "of its {}, {u} have no sector set and the rest are in government",
                    plural(n, "partner", "partners")
                ),
            };
            let mut involved = vec![m];
            involved.extend(&partners);
            out.push(Finding::new(
                Check::NoOutsidePartner,
                &[id],
                ids(index, &involved),
                format!(
                    "Mission {name} has no partner outside government (business, unions, universities, civil society or international): {detail}. Missions are governed in partnership."
                ),
                "Add the partners who deliver, fund or support this mission, and set their sector.",
            ));
        }
    }
}

/// Routes to a mission and the cards every route passes through. A route starts at a partner that
/// delivers or funds an intervention, or at an intervention no partner carries (government does it),
/// and follows contributes-to and enables links to the mission. A card every route passes through
/// (a dominator of the mission, seen from the starts) cuts the mission off when it fails. Every
/// such card lies on any one route, so: find one route, then try the mission without each of its
/// cards in turn — a handful of breadth-first searches over the cards that serve the mission.
fn routes(index: &Index<'_>, m: usize, cards: &[usize], scratch: &mut Scratch, out: &mut Vec<Finding>) {
    let id = index.id(m).as_str();
    let name = quoted(index, m);
    let interventions = cards.iter().filter(|&&v| index.kind(v) == Kind::Intervention).count();
    if interventions == 0 {
        out.push(Finding::about(
            Check::NoRoute,
            index,
            m,
            format!("No intervention leads to mission {name}: it has no route to success yet."),
            "Add interventions that contribute to the mission or to one of its sub-missions.",
        ));
        return;
    }
    scratch.generation += 1;
    let set = scratch.generation;
    for &v in cards {
        scratch.member[v] = set;
    }
    scratch.member[m] = set;
    let mut starts: Vec<usize> = Vec::new();
    for &v in cards {
        if index.kind(v) != Kind::Intervention {
            continue;
        }
        let mut carried = false;
        for &(p, link) in &index.inc[v] {
            if carries(link.kind) {
                carried = true;
                starts.push(p);
            }
        }
        if !carried {
            starts.push(v);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let Some(route) = scratch.search(index, &starts, m, None) else { return };
    let bottlenecks: Vec<usize> =
        route.into_iter().filter(|&c| c != m && scratch.search(index, &starts, m, Some(c)).is_none()).collect();
    if bottlenecks.is_empty() {
        return;
    }
    let names: Vec<String> = bottlenecks.iter().map(|&b| quoted(index, b)).collect();
    let mut involved = vec![m];
    involved.extend(&bottlenecks);
    out.push(Finding::new(
        Check::SingleRoute,
        &[id],
        ids(index, &involved),
        format!(
            "Mission {name} has only one independent route to success: every route passes through {}.",
            names.join(" and ")
        ),
        "Add interventions that reach the mission another way (through a different sub-mission or partner), so that one failure cannot stop it.",
    ));
    for &b in &bottlenecks {
        let kind = index.kind(b);
        if !matches!(kind, Kind::Partner | Kind::Intervention) {
            continue;
        }
        let what = if kind == Kind::Partner { "partner" } else { "intervention" };
        let fix = if kind == Kind::Partner {
            "Find a second partner to deliver or fund this work, or add interventions that do not depend on this partner."
        } else {
            "Add other interventions that serve the mission, so that it does not rest on this one."
        };
        out.push(Finding::new(
            Check::SinglePointOfFailure,
            &[id, index.id(b).as_str()],
            ids(index, &[b, m]),
            format!(
                "If {what} {} fails, mission {name} loses every route to success: all {} serving it depend on it.",
                quoted(index, b),
                plural(interventions, "intervention", "interventions")
            ),
            fix,
        ));
    }
}

/// Marks reused across the route searches of every mission, so no search allocates per card.
struct Scratch {
    generation: u32,
    /// `member[v] == generation`: card v serves the mission being checked.
    member: Vec<u32>,
    stamp: u32,
    seen: Vec<u32>,
    parent: Vec<usize>,
    queue: std::collections::VecDeque<usize>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            generation: 0,
            member: vec![0; n],
            stamp: 0,
            seen: vec![0; n],
            parent: vec![usize::MAX; n],
            queue: std::collections::VecDeque::new(),
        }
    }

    /// A shortest route from any start to `target` that avoids `without`, as the cards on it from
    /// the target back to the start; `None` when there is no such route.
    fn search(
        &mut self,
        index: &Index<'_>,
        starts: &[usize],
        target: usize,
        without: Option<usize>,
    ) -> Option<Vec<usize>> {
        self.stamp += 1;
        let stamp = self.stamp;
        self.queue.clear();
        for &s in starts {
            if Some(s) != without && self.seen[s] != stamp {
                self.seen[s] = stamp;
                self.parent[s] = usize::MAX;
                self.queue.push_back(s);
            }
        }
        while let Some(v) = self.queue.pop_front() {
            if v == target {
                let mut route = vec![v];
                let mut at = v;
                while self.parent[at] != usize::MAX {
                    at = self.parent[at];
                    route.push(at);
                }
                return Some(route);
            }
            let partner = index.kind(v) == Kind::Partner;
            for &(w, link) in &index.out[v] {
                let follows = if partner { carries(link.kind) } else { causal(link.kind) };
                if follows && self.member[w] == self.generation && Some(w) != without && self.seen[w] != stamp {
                    self.seen[w] = stamp;
                    self.parent[w] = v;
                    self.queue.push_back(w);
                }
            }
        }
        None
    }
}

fn causal_chain(index: &Index<'_>, out: &mut Vec<Finding>) {
    for v in 0..index.nodes.len() {
        let name = quoted(index, v);
        match &index.nodes[v].kind {
            NodeKind::Intervention { .. } if index.reach[v].is_empty() => out.push(Finding::about(
                Check::InterventionLeadsNowhere,
                index,
                v,
                format!("Intervention {name} leads to no mission: nothing it contributes to or enables reaches a mission."),
                "Link it (contributes to) to the sub-mission or mission it serves, or delete it if it no longer belongs.",
            )),
            NodeKind::SubMission { indicators, .. } => {
                if index.reach[v].is_empty() {
                    out.push(Finding::about(
                        Check::SubMissionLeadsNowhere,
                        index,
                        v,
                        format!("Sub-mission {name} contributes to no mission."),
                        "Link it (contributes to) to the mission it is a step towards.",
                    ));
                }
                if indicators.iter().all(|i| i.name.trim().is_empty()) {
                    out.push(Finding::about(
                        Check::NoIndicator,
                        index,
                        v,
                        format!("Sub-mission {name} has no indicator, so no one will know whether it has been reached."),
                        "Select it and add an indicator: its name, unit, baseline, target and source.",
                    ));
                }
                let fed = index.inc[v].iter().any(|(w, l)| l.kind == LinkKind::ContributesTo && index.kind(*w) == Kind::Intervention);
                if !fed {
                    out.push(Finding::about(
                        Check::NoIntervention,
                        index,
                        v,
                        format!("No intervention contributes to sub-mission {name}: nothing is being done to reach it."),
                        "Add the interventions that will bring it about (select it and press Tab).",
                    ));
                }
            }
            NodeKind::Partner { .. } if index.out[v].is_empty() && index.inc[v].is_empty() => out.push(Finding::about(
                Check::PartnerLinkedToNothing,
                index,
                v,
                format!("Partner {name} is linked to nothing: the map does not say what it does for any mission."),
                "Link it to the interventions it delivers or funds, or to the missions it supports.",
            )),
            _ => {}
        }
        for &(w, link) in &index.out[v] {
            if link.kind == LinkKind::ContributesTo && link.rationale.trim().is_empty() {
                out.push(
                    Finding::new(
                        Check::NoRationale,
                        &[link.id.as_str()],
                        vec![index.id(v).clone(), index.id(w).clone()],
                        format!(
                            "The link from {name} to {} has no rationale: why would one lead to the other?",
                            quoted(index, w)
                        ),
                        "Select the link and write its rationale (\"because…\"), with the assumptions it rests on.",
                    )
                    .with_links(vec![link.id.clone()]),
                );
            }
        }
    }
    cycles(index, out);
}

fn cycles(index: &Index<'_>, out: &mut Vec<Finding>) {
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(index.nodes.len(), 0);
    let nodes: Vec<NodeIndex> = (0..index.nodes.len()).map(|_| g.add_node(())).collect();
    for (v, edges) in index.out.iter().enumerate() {
        for &(w, link) in edges {
            if causal(link.kind) {
                g.add_edge(nodes[v], nodes[w], ());
            }
        }
    }
    for scc in tarjan_scc(&g) {
        if scc.len() < 2 {
            continue;
        }
        let mut members: Vec<usize> = scc.iter().map(|x| x.index()).collect();
        members.sort_unstable();
        let inside: std::collections::HashSet<usize> = members.iter().copied().collect();
        let links: Vec<LinkId> = members
            .iter()
            .flat_map(|&v| index.out[v].iter())
            .filter(|(w, l)| causal(l.kind) && inside.contains(w))
            .map(|(_, l)| l.id.clone())
            .collect();
        let mut names: Vec<String> = members.iter().take(5).map(|&v| quoted(index, v)).collect();
        if members.len() > 5 {
            names.push(format!("and {} more", members.len() - 5));
        }
        let key_ids: Vec<&str> = members.iter().map(|&v| index.id(v).as_str()).collect();
        out.push(
            Finding::new(
                Check::Cycle,
                &key_ids,
                ids(index, &members),
                format!(
                    "{} cards lead to one another in a circle ({}): each waits for another, so none can come first.",
                    members.len(),
                    names.join(", ")
                ),
                "Remove or reverse one of the links in the circle (they are highlighted when you select the finding).",
            )
            .with_links(links),
        );
    }
}
