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

/// Maps up to this many cards are checked on the spot (under a millisecond); larger ones on a
/// worker thread, so no frame waits for them (about 2 ms at 1,000 cards, 20 ms at 10,000).
pub const CHECK_ON_THE_SPOT: usize = 500;

/// Wakes the window when a worker has an answer (the shell passes egui's `request_repaint`).
pub type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A value computed from the map, on the spot for small maps and on a worker thread for large
/// ones: until the worker answers, the last value stays in use and the caller is told it is
/// out of date. One job at a time; edits made meanwhile are covered by the next job.
struct Background<T> {
    latest: Option<(u64, T)>,
    job: Option<(u64, std::sync::mpsc::Receiver<T>)>,
    /// What is shown before the first answer.
    empty: T,
}

impl<T: Default> Default for Background<T> {
    fn default() -> Self {
        Background { latest: None, job: None, empty: T::default() }
    }
}

impl<T: Send + Default + 'static> Background<T> {
    /// The value for the document as it is, or the last one while a newer one is being worked
    /// out (then `true`). `hold` keeps the last value without starting work (during a drag).
    fn get(
        &mut self,
        doc: &Document,
        compute: fn(&crate::model::MissionMap) -> T,
        hold: bool,
        waker: Option<&Waker>,
    ) -> (&T, bool) {
        let rev = doc.revision();
        if let Some((job_rev, rx)) = &self.job {
            match rx.try_recv() {
                Ok(value) => {
                    let old = self.latest.replace((*job_rev, value));
                    self.job = None;
                    // Freeing 10,000 cards' findings takes milliseconds: not on the frame.
                    if let Some(old) = old {
                        let _ = std::thread::Builder::new().name("free".to_owned()).spawn(move || drop(old));
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                // The worker died (it cannot, but never wait on it): work it out here instead.
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.job = None,
            }
        }
        let current = self.latest.as_ref().is_some_and(|(r, _)| *r == rev);
        let keep = current || (hold && self.latest.is_some());
        if !keep {
            if doc.map().node_count() <= CHECK_ON_THE_SPOT {
                self.latest = Some((rev, compute(doc.map())));
                self.job = None;
            } else if self.job.is_none() {
                let map = doc.shared_map();
                let (tx, rx) = std::sync::mpsc::channel();
                let waker = waker.cloned();
                let spawned = std::thread::Builder::new().name("checks".to_owned()).spawn(move || {
                    let _ = tx.send(compute(&map));
                    if let Some(wake) = waker {
                        wake();
                    }
                });
                match spawned {
                    Ok(_) => self.job = Some((rev, rx)),
                    Err(_) => self.latest = Some((rev, compute(doc.map()))),
                }
            }
        }
        let stale = self.latest.as_ref().is_none_or(|(r, _)| *r != rev) && !hold;
        let updating = stale || self.job.is_some();
        (self.latest.as_ref().map_or(&self.empty, |(_, v)| v), updating)
    }

    /// Waits for the worker, if one is at work (tests, and a CLI-like caller that must have the answer).
    fn settle(&mut self) {
        if let Some((rev, rx)) = self.job.take()
            && let Ok(value) = rx.recv()
        {
            self.latest = Some((rev, value));
        }
    }
}

/// The derived data, each with the revision it was computed for.
#[derive(Default)]
pub struct Derived {
    checks: Background<Checked>,
    portfolio: Background<Portfolio>,
    pathway: Option<(u64, BTreeSet<NodeId>, Pathway)>,
    find: Option<(u64, String, Filter, Vec<NodeId>)>,
    waker: Option<Waker>,
}

impl Derived {
    /// Sets what wakes the window when a worker has an answer.
    pub fn set_waker(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }

    /// The findings, run again when the document changed (but not in the middle of a drag: moving
    /// cards changes no finding). On a large map they are worked out on a worker thread and the
    /// last findings stay meanwhile: see [`Derived::checks_state`].
    pub fn checks(&mut self, doc: &Document, dragging: bool) -> &Checked {
        self.checks_state(doc, dragging).0
    }

    /// The findings as [`Derived::checks`] gives them, and whether they are for an earlier
    /// version of the map (a worker is checking the latest).
    pub fn checks_state(&mut self, doc: &Document, dragging: bool) -> (&Checked, bool) {
        self.checks.get(doc, analysis::run_checks, dragging, self.waker.as_ref())
    }

    /// The findings as last computed, without running them.
    #[must_use]
    pub fn latest_checks(&self) -> Option<&Checked> {
        self.checks.latest.as_ref().map(|(_, c)| c)
    }

    /// The portfolio of each mission (worked out like the checks), and whether it is for an
    /// earlier version of the map.
    pub fn portfolio_state(&mut self, doc: &Document) -> (&Portfolio, bool) {
        self.portfolio.get(doc, analysis::portfolio, false, self.waker.as_ref())
    }

    /// The portfolio as it stands now, waiting for the worker if need be (presentation steps,
    /// which must reveal the right cards).
    pub fn portfolio_now(&mut self, doc: &Document) -> &Portfolio {
        self.portfolio.settle();
        if self.portfolio.latest.as_ref().is_none_or(|(r, _)| *r != doc.revision()) {
            self.portfolio.latest = Some((doc.revision(), analysis::portfolio(doc.map())));
        }
        self.portfolio.latest.as_ref().map_or(&self.portfolio.empty, |(_, p)| p)
    }

    /// Waits for any worker at work (tests).
    pub fn settle(&mut self) {
        self.checks.settle();
        self.portfolio.settle();
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
        assert_eq!(d.portfolio_state(&doc).0.missions.len(), 5);
    }

    #[test]
    fn a_large_map_is_checked_on_a_worker_and_the_last_findings_stay_until_it_answers() {
        let map = crate::sample::generate::map(CHECK_ON_THE_SPOT + 500, 5);
        let mut doc = Document::new(map);
        let mut d = Derived::default();
        let woken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let w = woken.clone();
        d.set_waker(std::sync::Arc::new(move || {
            w.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }));
        // The first frame does not wait: nothing found yet, and it says it is updating (one call:
        // the worker may answer before a second one on a busy machine).
        let (first, updating) = d.checks_state(&doc, false);
        assert!(first.open.is_empty());
        assert!(updating);
        d.settle();
        // The worker wakes the window just after handing over its answer.
        let waited = std::time::Instant::now();
        while woken.load(std::sync::atomic::Ordering::SeqCst) == 0 && waited.elapsed().as_secs() < 5 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(woken.load(std::sync::atomic::Ordering::SeqCst), 1, "the window is woken");
        let expected = analysis::run_checks(doc.map());
        assert!(!expected.open.is_empty());
        assert_eq!(d.checks(&doc, false).open, expected.open);
        assert!(!d.checks_state(&doc, false).1);
        // An edit: the findings of the version before stay in view until the worker answers.
        let id = doc.fresh_node_id(Kind::Intervention);
        doc.apply(
            "Add",
            Command::AddNode {
                node: Node::new(id, Kind::Intervention, "Lonely"),
                place: crate::model::Placement::at(0.0, 0.0),
            },
        )
        .unwrap();
        let (before, updating) = d.checks_state(&doc, false);
        assert_eq!(before.open, expected.open);
        assert!(updating);
        d.settle();
        assert_eq!(d.checks(&doc, false).open, analysis::run_checks(doc.map()).open);
        assert!(d.checks(&doc, false).open.len() > expected.open.len(), "the lonely intervention is found");
        // The portfolio the same way; presentation steps take it as it is now.
        assert_eq!(d.portfolio_now(&doc).missions.len(), analysis::portfolio(doc.map()).missions.len());
        assert!(!d.portfolio_state(&doc).1);
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
