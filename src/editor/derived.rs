//! Everything computed from the document for the panels and the canvas, in one cache keyed by the
//! document's revision (and whatever else each answer depends on): the findings of the checks,
//! the portfolio, the pathway through the selection, and the cards find and filter keep.

use std::collections::{BTreeSet, HashSet};

use crate::command::Document;
use crate::model::analysis::{self, Checked, Pathway, Portfolio};
use crate::model::{Kind, LinkId, Node, NodeId, NodeKind, Sector, search};

/// Which cards the filter keeps: kinds, a lead department, a partner sector (unset: any).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub kinds: Option<HashSet<Kind>>,
    pub lead: Option<String>,
    pub sector: Option<Sector>,
}

impl Filter {
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.kinds.is_some() || self.lead.is_some() || self.sector.is_some()
    }

    #[must_use]
    pub fn keeps(&self, node: &Node) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&node.kind()))
            && self.lead.as_ref().is_none_or(|l| node.kind.lead_department() == Some(l.as_str()))
            && self.sector.is_none_or(|s| matches!(node.kind, NodeKind::Partner { sector: Some(x), .. } if x == s))
    }
}

/// The derived data, each with the revision it was computed for.
#[derive(Default)]
pub struct Derived {
    checks: Option<(u64, Checked)>,
    portfolio: Option<(u64, Portfolio)>,
    pathway: Option<(u64, BTreeSet<NodeId>, Pathway)>,
    find: Option<(u64, String, Filter, Vec<NodeId>)>,
}

impl Derived {
    /// The findings, run again when the document changed (but not in the middle of a drag: moving
    /// cards changes no finding, and a 10,000-card map takes ~20 ms to check).
    pub fn checks(&mut self, doc: &Document, dragging: bool) -> &Checked {
        let rev = doc.revision();
        if self.checks.as_ref().is_none_or(|(r, _)| *r != rev && !dragging) {
            self.checks = Some((rev, analysis::run_checks(doc.map())));
        }
        &self.checks.get_or_insert_with(|| (rev, Checked::default())).1
    }

    /// The findings as last computed, without running them.
    #[must_use]
    pub fn latest_checks(&self) -> Option<&Checked> {
        self.checks.as_ref().map(|(_, c)| c)
    }

    /// The portfolio of each mission.
    pub fn portfolio(&mut self, doc: &Document) -> &Portfolio {
        let rev = doc.revision();
        if self.portfolio.as_ref().is_none_or(|(r, _)| *r != rev) {
            self.portfolio = Some((rev, analysis::portfolio(doc.map())));
        }
        &self.portfolio.get_or_insert_with(|| (rev, Portfolio::default())).1
    }

    /// Every path through the selected cards (`None` when nothing is selected).
    pub fn pathway(&mut self, doc: &Document, selected: &BTreeSet<NodeId>) -> Option<&Pathway> {
        if selected.is_empty() {
            self.pathway = None;
            return None;
        }
        let rev = doc.revision();
        if self.pathway.as_ref().is_none_or(|(r, s, _)| *r != rev || s != selected) {
            let from: Vec<NodeId> = selected.iter().cloned().collect();
            self.pathway = Some((rev, selected.clone(), analysis::pathway(doc.map(), &from)));
        }
        self.pathway.as_ref().map(|(_, _, p)| p)
    }

    /// The cards that match the find text and the filter, top to bottom then left to right;
    /// `None` when neither is in use.
    pub fn hits(&mut self, doc: &Document, query: &str, filter: &Filter) -> Option<&[NodeId]> {
        let query = query.trim();
        if query.is_empty() && !filter.is_active() {
            self.find = None;
            return None;
        }
        let rev = doc.revision();
        if self.find.as_ref().is_none_or(|(r, q, f, _)| *r != rev || q != query || f != filter) {
            let map = doc.map();
            let mut hits: Vec<NodeId> = map
                .nodes()
                .filter(|n| filter.keeps(n) && (query.is_empty() || search::matches(n, query)))
                .map(|n| n.id.clone())
                .collect();
            hits.sort_by(|a, b| {
                let (pa, pb) = (map.placement(a).unwrap_or_default(), map.placement(b).unwrap_or_default());
                pa.y.total_cmp(&pb.y).then(pa.x.total_cmp(&pb.x)).then_with(|| a.cmp(b))
            });
            self.find = Some((rev, query.to_owned(), filter.clone(), hits));
        }
        self.find.as_ref().map(|(_, _, _, h)| h.as_slice())
    }

    /// The last find and filter hits, without searching again.
    #[must_use]
    pub fn latest_hits(&self) -> &[NodeId] {
        self.find.as_ref().map_or(&[], |(_, _, _, h)| h.as_slice())
    }

    /// What to dim and which links to light up for find, filter and pathways.
    pub fn dimming(
        &mut self,
        doc: &Document,
        query: &str,
        filter: &Filter,
        pathway_from: Option<&BTreeSet<NodeId>>,
    ) -> (Option<HashSet<NodeId>>, Option<HashSet<LinkId>>) {
        let map = doc.map();
        let mut dim: Option<HashSet<NodeId>> = self.hits(doc, query, filter).map(|hits| {
            let keep: HashSet<&NodeId> = hits.iter().collect();
            map.nodes().filter(|n| !keep.contains(&n.id)).map(|n| n.id.clone()).collect()
        });
        let Some(path) = pathway_from.and_then(|from| self.pathway(doc, from)) else {
            if pathway_from.is_none() {
                self.pathway = None;
            }
            return (dim, None);
        };
        dim.get_or_insert_with(HashSet::new)
            .extend(map.nodes().filter(|n| !path.cards.contains(&n.id)).map(|n| n.id.clone()));
        (dim, Some(path.links.clone()))
    }

    /// Forgets find results (after the document was replaced).
    pub fn forget_find(&mut self) {
        self.find = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    #[test]
    fn answers_are_reused_until_the_document_changes_and_checks_wait_for_a_drag() {
        let mut doc = Document::new(crate::sample::uk_missions());
        let mut d = Derived::default();
        let n = d.checks(&doc, false).open.len();
        assert!(n > 0);
        let id = doc.fresh_node_id(Kind::Intervention);
        let node = Node::new(id, Kind::Intervention, "Lonely");
        doc.apply("Add", Command::AddNode { node, place: crate::model::Placement::at(0.0, 0.0) }).unwrap();
        assert_eq!(d.checks(&doc, true).open.len(), n, "not during a drag");
        assert!(d.checks(&doc, false).open.len() > n, "a new intervention that leads nowhere is found");
        assert_eq!(d.latest_checks().map(|c| c.open.len()), Some(d.checks(&doc, false).open.len()));
        assert_eq!(d.portfolio(&doc).missions.len(), 5);
    }

    #[test]
    fn find_and_filter_keep_matching_cards_in_reading_order_and_dim_the_rest() {
        let doc = Document::new(crate::sample::uk_missions());
        let mut d = Derived::default();
        assert!(d.hits(&doc, "  ", &Filter::default()).is_none(), "nothing asked, nothing dimmed");
        let missions = Filter { kinds: Some([Kind::Mission].into_iter().collect()), ..Filter::default() };
        let hits = d.hits(&doc, "", &missions).unwrap().to_vec();
        assert_eq!(hits.len(), 5);
        let ys: Vec<f32> = hits.iter().map(|h| doc.map().placement(h).unwrap().y).collect();
        assert!(ys.windows(2).all(|w| w[0] <= w[1]), "top to bottom: {ys:?}");
        let (dim, lit) = d.dimming(&doc, "", &missions, None);
        assert_eq!(dim.unwrap().len(), doc.map().node_count() - 5);
        assert!(lit.is_none());
        let from: BTreeSet<NodeId> = [hits[0].clone()].into_iter().collect();
        let (dim, lit) = d.dimming(&doc, "", &Filter::default(), Some(&from));
        assert!(lit.is_some_and(|l| !l.is_empty()), "the pathway's links light up");
        assert!(!dim.unwrap().contains(&hits[0]));
        assert_eq!(d.hits(&doc, "zzzz-no-such-words", &Filter::default()).map(<[NodeId]>::len), Some(0));
    }
}
