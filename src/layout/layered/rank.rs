//! Ranking the cards as Graphviz dot's network simplex does: missions on the top rank, partners
//! on the bottom one, and every sub-mission and intervention on the rank between that keeps its
//! links shortest (each link at least one rank long, pointing the way the kinds do). A
//! sub-mission then sits just above its interventions, an enabled intervention above its enabler,
//! and an intervention with more partners than outcomes next to the partners.

use std::collections::HashMap;

use crate::model::{Kind, LinkKind, MissionMap, NodeId};

/// The rank (layer, 0 at the top) of every card, spread by link length (see the module).
/// `height` is each intervention's height through `enables` links (cycles already broken): an
/// `enables` link is kept pointing up only where it climbs in height.
pub(super) fn spread_ranks(map: &MissionMap, height: &HashMap<NodeId, usize>) -> HashMap<NodeId, usize> {
    let mut nodes: Vec<(&NodeId, Kind)> = map.nodes().map(|n| (&n.id, n.kind())).collect();
    nodes.sort();
    let n = nodes.len();
    let index: HashMap<&NodeId, usize> = nodes.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let band = |k: Kind| super::super::band(k);
    let h = |i: usize| height.get(nodes[i].0).copied().unwrap_or(0);
    // above[v]: cards that must sit on a higher rank than v; below[v]: on a lower one.
    let mut above: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut below: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut links: Vec<_> = map.links().collect();
    links.sort_by(|a, b| a.id.cmp(&b.id));
    for l in links {
        let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&l.to)) else { continue };
        let (ba, bb) = (band(nodes[a].1), band(nodes[b].1));
        // (upper, lower) or nothing, for a link inside a band that does not climb.
        let pair = if ba != bb {
            if ba > bb { Some((b, a)) } else { Some((a, b)) }
        } else if l.kind == LinkKind::Enables && h(b) != h(a) {
            if h(b) > h(a) { Some((b, a)) } else { Some((a, b)) }
        } else {
            None
        };
        if let Some((up, low)) = pair {
            above[low].push(up);
            below[up].push(low);
        }
    }
    // Longest path from the top, visiting cards in an order every constraint follows: by band, and
    // interventions from the highest in `enables` height down.
    let mut visit: Vec<usize> = (0..n).collect();
    visit.sort_by_key(|&i| (band(nodes[i].1), std::cmp::Reverse(h(i)), i));
    let mut rank = vec![0usize; n];
    for &v in &visit {
        let least = band(nodes[v].1);
        rank[v] = above[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0).max(least);
    }
    let bottom = (0..n).filter(|&v| nodes[v].1 != Kind::Partner).map(|v| rank[v] + 1).max().unwrap_or(0).max(3);
    // Then from the bottom up: every card as low as its links let it (an intervention next to the
    // partners, a sub-mission just above its lowest-placed intervention), where the descent below
    // starts (from the top, sub-missions and their interventions would hold each other up).
    for &v in visit.iter().rev() {
        rank[v] = match nodes[v].1 {
            Kind::Mission => 0,
            Kind::Partner => bottom,
            _ => below[v].iter().map(|&u| rank[u] - 1).min().unwrap_or(bottom - 1).min(bottom - 1),
        };
    }
    // Coordinate descent on the total link length: each free card moves to the median rank of its
    // neighbours within the room its links leave; a tie goes to the lower rank (nearer the
    // partners), as dot's drawings have it. Passes bottom-up until nothing moves.
    let free: Vec<usize> =
        visit.iter().rev().copied().filter(|&v| !matches!(nodes[v].1, Kind::Mission | Kind::Partner)).collect();
    let mut ns: Vec<usize> = Vec::new();
    for _ in 0..50 {
        let mut moved = false;
        for &v in &free {
            let lo = above[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(band(nodes[v].1));
            let hi = below[v].iter().map(|&u| rank[u] - 1).min().unwrap_or(bottom - 1);
            if lo > hi {
                continue;
            }
            ns.clear();
            ns.extend(above[v].iter().chain(&below[v]).map(|&u| rank[u]));
            if ns.is_empty() {
                continue;
            }
            ns.sort_unstable();
            let best = ns[ns.len() / 2].clamp(lo, hi);
            if best != rank[v] {
                rank[v] = best;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    nodes.iter().enumerate().map(|(i, (id, _))| ((*id).clone(), rank[i])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MissionMap, Placement};

    #[test]
    fn cards_sit_where_their_links_are_shortest() {
        let mut map = MissionMap::new("t");
        let at = Placement::at(0.0, 0.0);
        let m = map.create_node(Kind::Mission, "M", at).unwrap();
        let (s1, s2) = (
            map.create_node(Kind::SubMission, "S1", at).unwrap(),
            map.create_node(Kind::SubMission, "S2", at).unwrap(),
        );
        let i: Vec<NodeId> =
            (0..3).map(|k| map.create_node(Kind::Intervention, format!("I{k}"), at).unwrap()).collect();
        let p = map.create_node(Kind::Partner, "P", at).unwrap();
        map.connect(&s1, &m, LinkKind::ContributesTo).unwrap();
        map.connect(&s2, &m, LinkKind::ContributesTo).unwrap();
        map.connect(&i[0], &s1, LinkKind::ContributesTo).unwrap();
        map.connect(&i[1], &s1, LinkKind::ContributesTo).unwrap();
        map.connect(&i[1], &s2, LinkKind::ContributesTo).unwrap();
        // I2 enables I0, so I0 sits above it.
        map.connect(&i[2], &i[0], LinkKind::Enables).unwrap();
        for k in &i {
            map.connect(&p, k, LinkKind::Delivers).unwrap();
        }
        let height = super::super::enables_height(&map);
        let r = spread_ranks(&map, &height);
        assert_eq!(r[&m], 0, "missions on top");
        assert_eq!(r[&p], 4, "partners at the bottom, below the longest chain");
        assert_eq!((r[&i[2]], r[&i[0]]), (3, 2), "the enabler below what it enables");
        assert_eq!(r[&i[1]], 3, "an intervention with nothing above it but outcomes sits by the partners");
        assert_eq!(r[&s1], 1, "a sub-mission just above its highest intervention");
        assert_eq!(r[&s2], 2, "a sub-mission whose interventions are all low drops to just above them");
    }
}
