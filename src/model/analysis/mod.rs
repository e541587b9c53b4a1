//! What a mission board needs to know about its theory of change: the checks (is each mission a
//! real mission, does every intervention lead somewhere, where is the delivery risk), pathways
//! through a card, and the portfolio figures per mission. Pure functions of a [`MissionMap`].
//!
//! Everything here works on an [`Index`]: the cards numbered in id order with their links, built
//! once per run, so a 10,000-card map is analysed in a few milliseconds.

use std::collections::{HashMap, HashSet, VecDeque};

use super::{Kind, Link, LinkId, LinkKind, MissionMap, Node, NodeId};

pub mod checks;
pub mod portfolio;

pub use checks::{Check, Checked, Finding, Severity, run_checks};
pub use portfolio::{Cell, MissionFigures, Mix, Money, Portfolio, portfolio};

/// The checks and the portfolio together, sharing the work of reading the map once.
#[must_use]
pub fn analyse(map: &MissionMap) -> (Checked, Portfolio) {
    let index = Index::new(map);
    (checks::run_with(map, &index), portfolio::with_index(&index))
}

/// Links along which effort flows towards a mission.
pub(crate) fn causal(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::ContributesTo | LinkKind::Enables)
}

/// Links by which a partner carries an intervention.
fn carries(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::Delivers | LinkKind::Funds)
}

/// A link's weight for sharing out effort and money: unset means 1, nonsense means 0.
fn share_weight(link: &Link) -> f64 {
    match link.weight {
        None => 1.0,
        Some(w) if w.is_finite() && w > 0.0 => w,
        Some(_) => 0.0,
    }
}

/// A read-only, numbered view of a map.
pub(crate) struct Index<'a> {
    pub nodes: Vec<&'a Node>,
    pub at: HashMap<&'a NodeId, usize>,
    /// Links leaving each card: (other end, link).
    pub out: Vec<Vec<(usize, &'a Link)>>,
    /// Links arriving at each card: (other end, link).
    pub inc: Vec<Vec<(usize, &'a Link)>>,
    /// For each card, the missions its effort reaches and the share that reaches each (by link
    /// weights at every fork; shares of one card add up to 1 when it reaches any mission).
    pub reach: Vec<Vec<(usize, f64)>>,
    /// Mission cards, in id order.
    pub missions: Vec<usize>,
    /// Each card's lead department, trimmed, and in lower case for comparing (empty when none).
    pub departments: Vec<(&'a str, String)>,
}

impl<'a> Index<'a> {
    pub fn new(map: &'a MissionMap) -> Index<'a> {
        let nodes = map.sorted_nodes();
        let at: HashMap<&NodeId, usize> = nodes.iter().enumerate().map(|(i, n)| (&n.id, i)).collect();
        let mut out = vec![Vec::new(); nodes.len()];
        let mut inc = vec![Vec::new(); nodes.len()];
        for link in map.sorted_links() {
            if let (Some(&a), Some(&b)) = (at.get(&link.from), at.get(&link.to)) {
                out[a].push((b, link));
                inc[b].push((a, link));
            }
        }
        let missions = (0..nodes.len()).filter(|&i| nodes[i].kind() == Kind::Mission).collect();
        let departments = nodes
            .iter()
            .map(|n| {
                let d = n.kind.lead_department().map_or("", str::trim);
                (d, d.to_lowercase())
            })
            .collect();
        let mut index = Index { nodes, at, out, inc, reach: Vec::new(), missions, departments };
        index.reach = index.compute_reach();
        index
    }

    pub fn kind(&self, i: usize) -> Kind {
        self.nodes[i].kind()
    }

    pub fn id(&self, i: usize) -> &'a NodeId {
        &self.nodes[i].id
    }

    pub fn title(&self, i: usize) -> &'a str {
        &self.nodes[i].title
    }

    /// Depth-first, without recursion (an `enables` chain can be 10,000 cards long): each card's
    /// reach is the weighted mix of the reaches of the cards it contributes to or enables. A link
    /// back into a card still being worked out (a cycle) is skipped; cycles are reported by the checks.
    fn compute_reach(&self) -> Vec<Vec<(usize, f64)>> {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let n = self.nodes.len();
        let mut reach: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut state = vec![NEW; n];
        let mut blocked: HashSet<(usize, usize)> = HashSet::new();
        for start in 0..n {
            if state[start] != NEW {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = OPEN;
            while let Some((v, next)) = stack.last_mut() {
                let v = *v;
                if let Some(&(w, link)) = self.out[v].get(*next) {
                    *next += 1;
                    if !causal(link.kind) {
                        continue;
                    }
                    match state[w] {
                        NEW => {
                            state[w] = OPEN;
                            stack.push((w, 0));
                        }
                        OPEN => {
                            blocked.insert((v, w));
                        }
                        _ => {}
                    }
                    continue;
                }
                stack.pop();
                state[v] = DONE;
                if self.kind(v) == Kind::Mission {
                    reach[v] = vec![(v, 1.0)];
                    continue;
                }
                let onward: Vec<(usize, f64)> = self.out[v]
                    .iter()
                    .filter(|(w, l)| causal(l.kind) && !blocked.contains(&(v, *w)) && !reach[*w].is_empty())
                    .map(|(w, l)| (*w, share_weight(l)))
                    .collect();
                let total: f64 = onward.iter().map(|(_, wt)| wt).sum();
                let mut mix: HashMap<usize, f64> = HashMap::new();
                for (w, wt) in &onward {
                    let part = if total > 0.0 { wt / total } else { 1.0 / onward.len() as f64 };
                    for &(m, s) in &reach[*w] {
                        *mix.entry(m).or_insert(0.0) += part * s;
                    }
                }
                let mut mix: Vec<(usize, f64)> = mix.into_iter().collect();
                mix.sort_by_key(|&(m, _)| m);
                reach[v] = mix;
            }
        }
        reach
    }

    /// For each card (only missions have any), the sub-missions and interventions whose effort
    /// reaches it, in id order.
    pub fn serving(&self) -> Vec<Vec<usize>> {
        let mut serving: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for v in 0..self.nodes.len() {
            if self.kind(v) == Kind::Mission {
                continue;
            }
            for &(m, _) in &self.reach[v] {
                serving[m].push(v);
            }
        }
        serving
    }

    /// Partners that deliver, fund or support anything in `cards` (or the mission itself).
    pub fn partners_of(&self, mission: usize, cards: &[usize]) -> Vec<usize> {
        let mut found: Vec<usize> = std::iter::once(mission)
            .chain(cards.iter().copied())
            .flat_map(|v| self.inc[v].iter())
            .filter(|(p, l)| self.kind(*p) == Kind::Partner && (carries(l.kind) || l.kind == LinkKind::Supports))
            .map(|(p, _)| *p)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// The cards and links on every path through the selected cards: downstream to the missions they
/// serve, and upstream to everything that feeds them (the interventions, enablers and partners).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pathway {
    pub cards: HashSet<NodeId>,
    pub links: HashSet<LinkId>,
}

/// Every path through `from`, both ways along the arrows.
#[must_use]
pub fn pathway(map: &MissionMap, from: &[NodeId]) -> Pathway {
    let index = Index::new(map);
    let starts: Vec<usize> = from.iter().filter_map(|id| index.at.get(id).copied()).collect();
    let mut result = Pathway::default();
    for forward in [true, false] {
        let mut seen = vec![false; index.nodes.len()];
        let mut queue: VecDeque<usize> = starts.iter().copied().collect();
        for &s in &starts {
            seen[s] = true;
        }
        while let Some(v) = queue.pop_front() {
            result.cards.insert(index.id(v).clone());
            let edges = if forward { &index.out[v] } else { &index.inc[v] };
            for &(w, link) in edges {
                result.links.insert(link.id.clone());
                if !seen[w] {
                    seen[w] = true;
                    queue.push_back(w);
                }
            }
        }
    }
    result
}

#[cfg(test)]
mod tests;
