//! A fixture per check with exactly the defect it finds, a clean map where nothing is found, and
//! properties of the checks, pathways and budget shares on generated maps.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::model::{Budget, BudgetLine, BudgetStatus, Dismissal, Indicator, Link, NodeKind, Placement, Sector, Stage};

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

fn add(map: &mut MissionMap, name: &str, kind: Kind) {
    let mut node = Node::new(id(name), kind, format!("Card {name}"));
    match &mut node.kind {
        NodeKind::Mission { target, .. } => {
            target.metric = "share of clean power".to_owned();
            target.value = Some(95.0);
            target.deadline = NaiveDate::from_ymd_opt(2030, 12, 31);
        }
        NodeKind::SubMission { indicators, .. } => {
            indicators.push(Indicator { name: "GW connected".to_owned(), ..Indicator::default() });
        }
        NodeKind::Intervention { lead_department, .. } => *lead_department = format!("Dept {name}"),
        NodeKind::Partner { sector, .. } => *sector = Some(Sector::Business),
    }
    map.add_node(node, Placement::default()).unwrap();
}

fn link(map: &mut MissionMap, from: &str, to: &str, kind: LinkKind) -> LinkId {
    let l = map.connect(&id(from), &id(to), kind).unwrap();
    let mut full = map.link(&l).unwrap().clone();
    full.rationale = "because it does".to_owned();
    map.replace_link(full).unwrap();
    l
}

fn update(map: &mut MissionMap, name: &str, change: impl FnOnce(&mut NodeKind)) {
    map.update_node(&id(name), |n| change(&mut n.kind)).unwrap();
}

/// One mission, two sub-missions, two interventions led by two departments, each delivered by its
/// own business partner: a theory of change with nothing to find.
fn clean() -> MissionMap {
    let mut map = MissionMap::new("clean");
    add(&mut map, "m1", Kind::Mission);
    add(&mut map, "s1", Kind::SubMission);
    add(&mut map, "s2", Kind::SubMission);
    add(&mut map, "i1", Kind::Intervention);
    add(&mut map, "i2", Kind::Intervention);
    add(&mut map, "p1", Kind::Partner);
    add(&mut map, "p2", Kind::Partner);
    link(&mut map, "s1", "m1", LinkKind::ContributesTo);
    link(&mut map, "s2", "m1", LinkKind::ContributesTo);
    link(&mut map, "i1", "s1", LinkKind::ContributesTo);
    link(&mut map, "i2", "s2", LinkKind::ContributesTo);
    link(&mut map, "p1", "i1", LinkKind::Delivers);
    link(&mut map, "p2", "i2", LinkKind::Funds);
    map
}

fn found(map: &MissionMap) -> BTreeSet<Check> {
    run_checks(map).open.iter().map(|f| f.check).collect()
}

fn only(check: Check) -> BTreeSet<Check> {
    [check].into_iter().collect()
}

#[test]
fn a_clean_map_has_no_findings() {
    let checked = run_checks(&clean());
    assert!(checked.open.is_empty(), "{:#?}", checked.open);
}

/// Gives an intervention one budget line of 1m with the status given.
fn money_line(map: &mut MissionMap, name: &str, status: BudgetStatus) {
    update(map, name, |k| {
        if let NodeKind::Intervention { budget_lines, .. } = k {
            budget_lines.push(BudgetLine { status, ..BudgetLine::new(1e6) });
        }
    });
}

/// Says that i2's lines come from p2 ("Card p2", which funds it).
fn from_funder(map: &mut MissionMap) {
    update(map, "i2", |k| {
        if let NodeKind::Intervention { budget_lines, .. } = k {
            for l in budget_lines {
                "Card p2".clone_into(&mut l.source);
            }
        }
    });
}

#[test]
fn a_funder_needs_a_line_from_it_named_by_title_or_id() {
    let mut map = fixture(Check::FunderWithoutLines);
    let f = run_checks(&map).open;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].cards, vec![id("p2"), id("i2")]);
    assert_eq!(f[0].links.len(), 1, "the funds link is shown");
    assert!(
        f[0].message.contains("Partner \u{201c}Card p2\u{201d} is linked as funder of \u{201c}Card i2\u{201d}"),
        "{}",
        f[0].message
    );
    for source in ["Card p2", " card  P2 ", "p2", "Card p2 grant round 3"] {
        update(&mut map, "i2", |k| {
            if let NodeKind::Intervention { budget_lines, .. } = k {
                source.clone_into(&mut budget_lines[0].source);
            }
        });
        assert!(!found(&map).contains(&Check::FunderWithoutLines), "source {source:?} names p2");
    }
    for source in ["", "HM Treasury", "Card p"] {
        update(&mut map, "i2", |k| {
            if let NodeKind::Intervention { budget_lines, .. } = k {
                source.clone_into(&mut budget_lines[0].source);
            }
        });
        assert!(found(&map).contains(&Check::FunderWithoutLines), "source {source:?} does not name p2");
    }
}

#[test]
fn money_checks_stay_quiet_on_a_map_without_budget_lines() {
    let mut map = clean();
    update(&mut map, "i2", |k| {
        if let NodeKind::Intervention { stage, budget, .. } = k {
            *stage = Some(Stage::InDelivery);
            *budget = None;
        }
    });
    assert!(run_checks(&map).open.is_empty(), "no budget lines anywhere: no money findings");
    let f = run_checks(&fixture(Check::UnfundedSubMission)).open;
    assert_eq!(f[0].cards, vec![id("s2"), id("i2")]);
    assert!(f[0].message.contains("because this map has budget lines"), "{}", f[0].message);
}

/// The clean map with exactly the defect `check` finds. An exhaustive match: a new check does not
/// compile until it has a fixture here, and `every_check_finds_its_fixture` then runs it.
fn fixture(check: Check) -> MissionMap {
    let mut map = clean();
    match check {
        Check::MergeConflict => map.unresolved.push(crate::model::merge::Unresolved {
            item: "card m1".to_owned(),
            field: Some("title".to_owned()),
            what: "card \u{201c}m1\u{201d} (m1), title".to_owned(),
            ours: "\"a\"".to_owned(),
            theirs: "\"b\"".to_owned(),
        }),
        Check::NoMeasurableTarget => update(&mut map, "m1", |k| {
            if let NodeKind::Mission { target, .. } = k {
                target.value = None;
            }
        }),
        Check::NoDeadline => update(&mut map, "m1", |k| {
            if let NodeKind::Mission { target, .. } = k {
                target.deadline = None;
            }
        }),
        Check::SingleDepartment => update(&mut map, "i2", |k| {
            if let NodeKind::Intervention { lead_department, .. } = k {
                // Same department, spelled with other capitals and spaces.
                *lead_department = " DEPT I1 ".to_owned();
            }
        }),
        Check::NoLeadDepartments => {
            for name in ["i1", "i2"] {
                update(&mut map, name, |k| {
                    if let NodeKind::Intervention { lead_department, .. } = k {
                        lead_department.clear();
                    }
                });
            }
        }
        Check::NoRoute => {
            add(&mut map, "m3", Kind::Mission);
            link(&mut map, "p1", "m3", LinkKind::Supports);
        }
        Check::SingleRoute => {
            map.remove_node(&id("s2")).unwrap();
            link(&mut map, "i2", "s1", LinkKind::ContributesTo);
        }
        Check::NoOutsidePartner => {
            for name in ["p1", "p2"] {
                update(&mut map, name, |k| {
                    if let NodeKind::Partner { sector, .. } = k {
                        *sector = Some(Sector::CentralGovernment);
                    }
                });
            }
        }
        Check::InterventionLeadsNowhere => add(&mut map, "i3", Kind::Intervention),
        Check::SubMissionLeadsNowhere => {
            add(&mut map, "s3", Kind::SubMission);
            link(&mut map, "i1", "s3", LinkKind::ContributesTo);
        }
        Check::NoIndicator => update(&mut map, "s1", |k| {
            if let NodeKind::SubMission { indicators, .. } = k {
                indicators.clear();
            }
        }),
        Check::NoIntervention => {
            add(&mut map, "s3", Kind::SubMission);
            link(&mut map, "s3", "m1", LinkKind::ContributesTo);
        }
        Check::NoRationale => {
            let mut bare = map.links_from(&id("i1")).next().unwrap().clone();
            bare.rationale = "  ".to_owned();
            map.replace_link(bare).unwrap();
        }
        Check::Cycle => {
            link(&mut map, "i1", "i2", LinkKind::Enables);
            link(&mut map, "i2", "i1", LinkKind::Enables);
        }
        Check::PartnerLinkedToNothing => add(&mut map, "p3", Kind::Partner),
        // i1's money is committed, i2's only planned (from p2, which funds it): s2 is unfunded.
        Check::UnfundedSubMission => {
            money_line(&mut map, "i1", BudgetStatus::Committed);
            money_line(&mut map, "i2", BudgetStatus::Planned);
            from_funder(&mut map);
        }
        // Every intervention but one has money; i2 is in delivery without any.
        Check::InDeliveryWithoutMoney => {
            money_line(&mut map, "i1", BudgetStatus::Spent);
            add(&mut map, "i3", Kind::Intervention);
            link(&mut map, "i3", "s2", LinkKind::ContributesTo);
            money_line(&mut map, "i3", BudgetStatus::Committed);
            update(&mut map, "i2", |k| {
                if let NodeKind::Intervention { stage, .. } = k {
                    *stage = Some(Stage::InDelivery);
                }
            });
            // p2 delivers i2 here: a funder with no line would be another finding.
            let funds = map.links_from(&id("p2")).next().unwrap().clone();
            map.replace_link(Link { kind: LinkKind::Delivers, ..funds }).unwrap();
        }
        // Money is tracked (i1 and i2 have lines) but none of i2's comes from p2, which funds it.
        Check::FunderWithoutLines => {
            money_line(&mut map, "i1", BudgetStatus::Committed);
            money_line(&mut map, "i2", BudgetStatus::Committed);
        }
        Check::SinglePointOfFailure => {
            map.remove_node(&id("p2")).unwrap();
            link(&mut map, "p1", "i2", LinkKind::Delivers);
        }
    }
    map
}

#[test]
fn every_check_finds_its_fixture_and_only_what_it_plants() {
    for check in Check::ALL {
        let got = found(&fixture(check));
        // One planted defect, one finding; a single point of failure is also a single route.
        let expected = if check == Check::SinglePointOfFailure {
            [Check::SingleRoute, Check::SinglePointOfFailure].into_iter().collect()
        } else {
            only(check)
        };
        assert_eq!(got, expected, "the fixture of {check:?}");
    }
    let distinct: BTreeSet<Check> = Check::ALL.into_iter().collect();
    assert_eq!(distinct.len(), Check::ALL.len(), "Check::ALL names each check once");
}

#[test]
fn no_measurable_target() {
    let map = fixture(Check::NoMeasurableTarget);
    let f = &run_checks(&map).open[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.cards, vec![id("m1")]);
    assert!(f.message.contains("Card m1"), "{}", f.message);
}

#[test]
fn single_route_through_a_sub_mission() {
    let f = &run_checks(&fixture(Check::SingleRoute)).open[0];
    assert_eq!(f.cards, vec![id("m1"), id("s1")]);
}

#[test]
fn no_rationale() {
    let map = fixture(Check::NoRationale);
    let f = &run_checks(&map).open[0];
    assert_eq!(f.links, vec![map.links_from(&id("i1")).next().unwrap().id.clone()]);
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn cycle() {
    let map = fixture(Check::Cycle);
    let f = &run_checks(&map).open[0];
    assert_eq!(f.cards, vec![id("i1"), id("i2")]);
    let enables: BTreeSet<LinkId> = map.links().filter(|l| l.kind == LinkKind::Enables).map(|l| l.id.clone()).collect();
    assert_eq!(f.links.iter().cloned().collect::<BTreeSet<_>>(), enables);
    assert!(run_checks(&map).has_errors());
}

#[test]
fn single_point_of_failure_partner() {
    let mut map = fixture(Check::SinglePointOfFailure);
    let spof = run_checks(&map).open.into_iter().find(|f| f.check == Check::SinglePointOfFailure).unwrap();
    assert_eq!(spof.cards, vec![id("p1"), id("m1")]);
    assert!(spof.message.contains("partner"), "{}", spof.message);
    // A second partner for one of the two interventions gives a second route: the finding goes.
    add(&mut map, "p2", Kind::Partner);
    let old = map.links_to(&id("i2")).find(|l| l.kind == LinkKind::Delivers).unwrap().id.clone();
    map.remove_link(&old).unwrap();
    link(&mut map, "p2", "i2", LinkKind::Delivers);
    assert!(found(&map).is_empty());
}

#[test]
fn an_intervention_government_does_itself_is_a_route_of_its_own() {
    let mut map = clean();
    map.remove_node(&id("p2")).unwrap();
    // i2 now has no partner: its lead department delivers it, so p1 is not a single point of failure.
    assert!(found(&map).is_empty(), "{:?}", found(&map));
}

#[test]
fn dismissed_findings_go_apart_with_their_reason() {
    let mut map = clean();
    add(&mut map, "p3", Kind::Partner);
    let key = run_checks(&map).open[0].key.clone();
    assert_eq!(key, "partner-linked-to-nothing:p3");
    map.dismissals.insert(key.clone(), Dismissal { reason: "joins next year".to_owned(), date: None });
    let checked = run_checks(&map);
    assert!(checked.open.is_empty());
    assert_eq!(checked.dismissed.len(), 1);
    assert_eq!(checked.dismissed[0].1, "joins next year");
}

#[test]
fn sample_findings_are_true() {
    let map = crate::sample::uk_missions();
    let checked = run_checks(&map);
    assert!(!checked.has_errors(), "{:#?}", checked.open);
    for f in &checked.open {
        for card in &f.cards {
            assert!(map.contains_node(card), "{card} in {f:?}");
        }
    }
}

#[test]
fn budgets_are_shared_by_link_weights() {
    let mut map = clean();
    add(&mut map, "m2", Kind::Mission);
    add(&mut map, "s3", Kind::SubMission);
    link(&mut map, "s3", "m2", LinkKind::ContributesTo);
    let to_s3 = link(&mut map, "i1", "s3", LinkKind::ContributesTo);
    update(&mut map, "i1", |k| {
        if let NodeKind::Intervention { budget, .. } = k {
            *budget = Some(Budget { amount: 900.0, currency: "GBP".to_owned(), period: String::new() });
        }
    });
    let p = portfolio(&map);
    let m1 = &p.missions[0];
    assert_eq!(m1.mission, id("m1"));
    assert!((m1.budget.get("GBP") - 450.0).abs() < 1e-9, "{:?}", m1.budget);
    assert_eq!(m1.spillovers, vec![(id("i1"), vec![id("m2")])]);
    assert_eq!(m1.unbudgeted, vec![id("i2")]);
    // Weight 2 on the link to s3: two thirds go to m2.
    let mut l = map.link(&to_s3).unwrap().clone();
    l.weight = Some(2.0);
    map.replace_link(l).unwrap();
    let p = portfolio(&map);
    assert!((p.missions[0].budget.get("GBP") - 300.0).abs() < 1e-9);
    assert!((p.missions[1].budget.get("GBP") - 600.0).abs() < 1e-9);
    // Heat maps: departments and sectors as columns.
    assert_eq!(p.departments, vec!["Dept i1".to_owned(), "Dept i2".to_owned()]);
    assert_eq!(p.by_department[0][0].cards, vec![id("i1")]);
    assert_eq!(p.by_department[1][1].cards, Vec::<NodeId>::new());
    let business = p.sectors.iter().position(|s| s == Sector::Business.label()).unwrap();
    assert_eq!(p.by_sector[0][business].cards, vec![id("p1"), id("p2")]);
}

#[test]
fn pathway_goes_both_ways_and_no_further() {
    let mut map = clean();
    add(&mut map, "i3", Kind::Intervention);
    link(&mut map, "i3", "i1", LinkKind::Enables);
    let path = pathway(&map, &[id("i1")]);
    let cards: BTreeSet<&str> = path.cards.iter().map(NodeId::as_str).collect();
    assert_eq!(cards, ["i1", "i3", "m1", "p1", "s1"].into_iter().collect());
    // Not the sibling branch s2 ← i2 ← p2, which only shares the mission.
    assert!(!path.cards.contains(&id("i2")));
}

#[test]
fn the_sample_portfolio_shares_out_all_the_money() {
    let map = crate::sample::uk_missions();
    let p = portfolio(&map);
    assert_eq!(p.missions.len(), 5);
    for m in &p.missions {
        assert!(!m.interventions.is_empty());
    }
    // Every intervention's money is shared out in full among the missions it reaches.
    let total: f64 = p.missions.iter().map(|m| m.budget.get("GBP")).sum();
    let index = Index::new(&map);
    let expected: f64 = map
        .nodes()
        .filter(|n| index.at.get(&n.id).is_some_and(|&v| !index.reach[v].is_empty()))
        .filter_map(|n| match &n.kind {
            NodeKind::Intervention { budget: Some(b), .. } if b.currency == "GBP" => Some(b.amount),
            _ => None,
        })
        .sum();
    assert!(expected > 0.0);
    assert!((total - expected).abs() < 1e-3 * expected, "{total} vs {expected}");
}

/// A generated map with extra `enables` links that may close circles.
fn generated(seed: u64, n: usize, extra: &[(usize, usize)]) -> MissionMap {
    let mut map = crate::sample::generate::map(n, seed);
    let interventions: Vec<NodeId> =
        map.sorted_nodes().iter().filter(|c| c.kind() == Kind::Intervention).map(|c| c.id.clone()).collect();
    for &(a, b) in extra {
        let (a, b) = (&interventions[a % interventions.len()], &interventions[b % interventions.len()]);
        let _ = map.connect(a, b, LinkKind::Enables);
    }
    map
}

fn keys(map: &MissionMap) -> BTreeSet<String> {
    run_checks(map).open.into_iter().map(|f| f.key).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn adding_a_rationale_never_adds_a_finding(seed in 0u64..1000, pick in 0usize..1000) {
        let mut map = generated(seed, 120, &[]);
        let before = keys(&map);
        let bare: Vec<Link> = map.sorted_links().into_iter().filter(|l| l.rationale.is_empty()).cloned().collect();
        prop_assume!(!bare.is_empty());
        let mut l = bare[pick % bare.len()].clone();
        l.rationale = "because".to_owned();
        map.replace_link(l).unwrap();
        let after = keys(&map);
        prop_assert!(after.is_subset(&before), "new: {:?}", after.difference(&before).collect::<Vec<_>>());
    }

    #[test]
    fn removing_a_link_keeps_every_cycle_it_was_not_part_of(
        seed in 0u64..1000,
        extra in proptest::collection::vec((0usize..200, 0usize..200), 1..30),
        pick in 0usize..10_000,
    ) {
        let mut map = generated(seed, 150, &extra);
        let cycles: Vec<Finding> = run_checks(&map).open.into_iter().filter(|f| f.check == Check::Cycle).collect();
        let links = map.sorted_links().into_iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        let gone = &links[pick % links.len()];
        map.remove_link(gone).unwrap();
        let after = keys(&map);
        for c in cycles.iter().filter(|c| !c.links.contains(gone)) {
            prop_assert!(after.contains(&c.key), "lost {}", c.key);
        }
    }

    #[test]
    fn shares_add_up_and_pathways_hold_together(seed in 0u64..1000, extra in proptest::collection::vec((0usize..200, 0usize..200), 0..10)) {
        let map = generated(seed, 100, &extra);
        let index = Index::new(&map);
        for reach in &index.reach {
            if !reach.is_empty() {
                let sum: f64 = reach.iter().map(|(_, s)| s).sum();
                prop_assert!((sum - 1.0).abs() < 1e-9, "{sum}");
            }
        }
        let start = map.sorted_nodes()[seed as usize % map.node_count()].id.clone();
        let path = pathway(&map, std::slice::from_ref(&start));
        prop_assert!(path.cards.contains(&start));
        for l in &path.links {
            let l = map.link(l).unwrap();
            prop_assert!(path.cards.contains(&l.from) && path.cards.contains(&l.to));
        }
    }
}

/// The cards every route to mission `m` passes through, by petgraph's dominators on the reversed
/// route graph: the oracle for the breadth-first search the check uses.
fn dominator_bottlenecks(map: &MissionMap, m: &NodeId) -> Option<BTreeSet<NodeId>> {
    use petgraph::algo::dominators::simple_fast;
    use petgraph::graph::DiGraph;
    let index = Index::new(map);
    let mi = index.at[m];
    let cards = index.serving()[mi].clone();
    let mut g: DiGraph<usize, ()> = DiGraph::new();
    let root = g.add_node(mi);
    let start = g.add_node(usize::MAX);
    let mut local = HashMap::new();
    local.insert(mi, root);
    for &v in &cards {
        local.insert(v, g.add_node(v));
    }
    for &v in &cards {
        for &(w, l) in &index.out[v] {
            if causal(l.kind) && local.contains_key(&w) {
                g.add_edge(local[&w], local[&v], ());
            }
        }
        if index.kind(v) == Kind::Intervention {
            let carriers: Vec<usize> = index.inc[v].iter().filter(|(_, l)| carries(l.kind)).map(|(p, _)| *p).collect();
            if carriers.is_empty() {
                g.add_edge(local[&v], start, ());
            }
            for p in carriers {
                let lp = *local.entry(p).or_insert_with(|| {
                    let lp = g.add_node(p);
                    g.add_edge(lp, start, ());
                    lp
                });
                g.add_edge(local[&v], lp, ());
            }
        }
    }
    let doms = simple_fast(&g, root);
    let chain = doms.dominators(start)?;
    Some(chain.filter(|&x| x != start && x != root).map(|x| index.id(g[x]).clone()).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn single_routes_agree_with_petgraph_dominators(
        seed in 0u64..1000,
        n in 12usize..80,
        cut in proptest::collection::vec(0usize..400, 0..40),
    ) {
        let mut map = crate::sample::generate::map(n, seed);
        // Remove some links so that bottlenecks appear.
        let links: Vec<LinkId> = map.sorted_links().into_iter().map(|l| l.id.clone()).collect();
        for c in cut {
            let _ = map.remove_link(&links[c % links.len()]);
        }
        let checked = run_checks(&map);
        for m in map.sorted_nodes().into_iter().filter(|c| c.kind() == Kind::Mission) {
            let expected = dominator_bottlenecks(&map, &m.id).filter(|b| !b.is_empty());
            let found = checked
                .open
                .iter()
                .find(|f| f.check == Check::SingleRoute && f.cards[0] == m.id)
                .map(|f| f.cards[1..].iter().cloned().collect::<BTreeSet<_>>());
            prop_assert_eq!(found, expected, "mission {}", m.id);
        }
    }
}
