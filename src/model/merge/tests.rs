use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::model::{Evidence, Kind, LinkKind, Placement};

fn nid(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// A small map: mission m1, sub-missions s2 and s3, interventions i4 and i5, partner p6.
fn base() -> MissionMap {
    let mut map = MissionMap::new("Board");
    let m = map.create_node(Kind::Mission, "Clean power by 2030", Placement::at(0.0, 0.0)).unwrap();
    let s2 = map.create_node(Kind::SubMission, "Grid connections", Placement::at(-200.0, 200.0)).unwrap();
    let s3 = map.create_node(Kind::SubMission, "Home heating", Placement::at(200.0, 200.0)).unwrap();
    let i4 = map.create_node(Kind::Intervention, "Planning reform", Placement::at(-200.0, 400.0)).unwrap();
    let i5 = map.create_node(Kind::Intervention, "Heat pump grants", Placement::at(200.0, 400.0)).unwrap();
    let p6 = map.create_node(Kind::Partner, "Ofgem", Placement::at(0.0, 600.0)).unwrap();
    map.connect(&s2, &m, LinkKind::ContributesTo).unwrap();
    map.connect(&s3, &m, LinkKind::ContributesTo).unwrap();
    map.connect(&i4, &s2, LinkKind::ContributesTo).unwrap();
    map.connect(&i5, &s3, LinkKind::ContributesTo).unwrap();
    map.connect(&p6, &i4, LinkKind::Delivers).unwrap();
    map
}

fn titled(map: &MissionMap, id: &str) -> String {
    map.node(&nid(id)).map(|n| n.title.clone()).unwrap_or_default()
}

fn retitle(map: &mut MissionMap, id: &str, title: &str) {
    map.update_node(&nid(id), |n| title.clone_into(&mut n.title)).unwrap();
}

fn none() -> BTreeMap<ConflictKey, Side> {
    BTreeMap::new()
}

/// The merge settled with every conflict going to `side`.
fn settled(base: Option<&MissionMap>, ours: &MissionMap, theirs: &MissionMap, side: Side) -> Merged {
    let mut choices = none();
    let mut merged = merge(base, ours, theirs, &choices);
    for _ in 0..3 {
        let before = choices.len();
        for c in &merged.conflicts {
            choices.insert(c.key(), side);
        }
        if choices.len() == before {
            break;
        }
        merged = merge(base, ours, theirs, &choices);
    }
    merged
}

#[test]
fn changes_on_one_side_are_taken_and_different_fields_of_one_card_both_land() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    retitle(&mut ours, "i5", "Heat pump grants (£7,500)");
    theirs.update_node(&nid("i5"), |n| "Boiler Upgrade Scheme".clone_into(&mut n.description)).unwrap();
    theirs.set_placement(&nid("p6"), Placement::at(40.0, 640.0)).unwrap();
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let card = m.map.node(&nid("i5")).unwrap();
    assert_eq!(card.title, "Heat pump grants (£7,500)");
    assert_eq!(card.description, "Boiler Upgrade Scheme");
    assert_eq!(m.map.placement(&nid("p6")), Some(Placement::at(40.0, 640.0)));
    assert_eq!(m.map.link_count(), 5);
    assert_eq!(m.summary(&ours), "cards: 1 edited, 1 moved");
}

#[test]
fn the_same_change_on_both_sides_is_taken_once_and_different_ones_conflict() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    retitle(&mut ours, "s2", "Faster grid connections");
    retitle(&mut theirs, "s2", "Faster grid connections");
    retitle(&mut ours, "s3", "Warm homes");
    retitle(&mut theirs, "s3", "Home heating without gas");
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert_eq!(titled(&m.map, "s2"), "Faster grid connections");
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(c.key(), (Item::Card(nid("s3")), Some("title".to_owned())));
    assert_eq!(c.chosen, Side::Ours);
    assert_eq!(titled(&m.map, "s3"), "Warm homes");
    assert_eq!(
        c.describe(),
        "card \u{201c}Warm homes\u{201d} (s3), title: ours \u{201c}Warm homes\u{201d} / theirs \u{201c}Home heating without gas\u{201d}"
    );
    let mut choices = none();
    choices.insert(c.key(), Side::Theirs);
    let m = merge(Some(&b), &ours, &theirs, &choices);
    assert_eq!(titled(&m.map, "s3"), "Home heating without gas");
    assert_eq!(m.conflicts[0].chosen, Side::Theirs);
}

#[test]
fn each_attribute_merges_on_its_own() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    ours.update_node(&nid("m1"), |n| {
        if let crate::model::NodeKind::Mission { target, .. } = &mut n.kind {
            target.value = Some(95.0);
        }
    })
    .unwrap();
    theirs
        .update_node(&nid("m1"), |n| {
            if let crate::model::NodeKind::Mission { target, lead_department, .. } = &mut n.kind {
                target.metric = "Clean power share".to_owned();
                "DESNZ".clone_into(lead_department);
            }
        })
        .unwrap();
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    let crate::model::NodeKind::Mission { target, lead_department, .. } = &m.map.node(&nid("m1")).unwrap().kind else {
        panic!("still a mission")
    };
    assert_eq!(
        (target.value, target.metric.as_str(), lead_department.as_str()),
        (Some(95.0), "Clean power share", "DESNZ")
    );
}

#[test]
fn a_card_deleted_on_one_side_and_edited_on_the_other_is_a_conflict_with_its_links() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    ours.remove_node(&nid("i4")).unwrap();
    retitle(&mut theirs, "i4", "Planning reform for grid projects");
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert_eq!(m.conflicts.len(), 1);
    let c = &m.conflicts[0];
    assert_eq!(
        (c.field.clone(), c.show(Side::Ours), c.show(Side::Theirs)),
        (None, "deleted".to_owned(), "kept and edited".to_owned())
    );
    assert!(!m.map.contains_node(&nid("i4")), "ours (deleted) until settled");
    let mut choices = none();
    choices.insert(c.key(), Side::Theirs);
    let m = merge(Some(&b), &ours, &theirs, &choices);
    assert_eq!(titled(&m.map, "i4"), "Planning reform for grid projects");
    // Its links went only because the card went: they come back with it.
    assert_eq!(m.map.link_count(), 5, "{:?}", m.dropped);
    assert!(m.dropped.is_empty());
    // Deleted on one side, untouched on the other: simply deleted.
    let mut theirs = b.clone();
    theirs.remove_node(&nid("p6")).unwrap();
    let m = merge(Some(&b), &b, &theirs, &none());
    assert!(m.conflicts.is_empty() && !m.map.contains_node(&nid("p6")));
}

#[test]
fn links_to_a_card_the_other_side_deleted_are_dropped_and_named() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    ours.remove_node(&nid("s3")).unwrap();
    let l = theirs.connect(&nid("i4"), &nid("s3"), LinkKind::ContributesTo).unwrap();
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert_eq!(m.dropped.len(), 1);
    assert_eq!(m.dropped[0].id, l);
    assert_eq!(m.dropped[0].what, "\u{201c}Planning reform\u{201d} \u{2192} \u{201c}Home heating\u{201d}");
    assert_eq!(m.dropped[0].why, "the card at its end, \u{201c}Home heating\u{201d} (s3), was deleted");
}

#[test]
fn cards_both_copies_added_under_one_id_are_kept_apart_and_their_links_follow() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    let a = ours.create_node(Kind::Intervention, "Street lighting", Placement::at(0.0, 800.0)).unwrap();
    let t = theirs.create_node(Kind::Intervention, "Insulation loans", Placement::at(300.0, 800.0)).unwrap();
    assert_eq!(a, t, "both copies hand out the same next id");
    let la = ours.connect(&a, &nid("s2"), LinkKind::ContributesTo).unwrap();
    let lt = theirs.connect(&t, &nid("s3"), LinkKind::ContributesTo).unwrap();
    assert_eq!(la, lt);
    theirs.workshop.votes.push(VoteRound {
        name: "Priorities".to_owned(),
        votes_each: 3,
        tally: [(t.clone(), 4)].into(),
        ..VoteRound::default()
    });
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.renamed.len(), 2, "{:?}", m.renamed);
    assert_eq!(m.renamed[0].noun, "card");
    assert_eq!(m.renamed[0].title, "Insulation loans");
    let new = nid(&m.renamed[0].to);
    assert_eq!(titled(&m.map, a.as_str()), "Street lighting");
    assert_eq!(titled(&m.map, new.as_str()), "Insulation loans");
    assert!(m.map.links_from(&new).any(|l| l.to == nid("s3")), "their link follows the new id");
    assert!(m.map.links_from(&a).any(|l| l.to == nid("s2")));
    assert_eq!(m.map.workshop.votes[0].tally.get(&new), Some(&4), "their votes follow too");
    assert!(m.map.next_serial() > crate::model::ids::trailing_number(new.as_str()).unwrap());
    // Identical additions are one card.
    let mut theirs = ours.clone();
    theirs.set_placement(&a, Placement::at(999.0, 999.0)).unwrap();
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.renamed.is_empty(), "{:?}", m.renamed);
    let fields: Vec<Option<&str>> = m.conflicts.iter().map(|c| c.field.as_deref()).collect();
    assert_eq!(fields, [Some("position")], "only where it sits is asked");
    assert_eq!(m.map.placement(&a), ours.placement(&a), "ours unless chosen");
    let choice = [((Item::Card(a.clone()), Some("position".to_owned())), Side::Theirs)].into();
    let m = merge(Some(&b), &ours, &theirs, &choice);
    assert_eq!(m.map.placement(&a), theirs.placement(&a), "theirs when chosen");
}

#[test]
fn without_a_base_only_additions_are_taken_and_every_difference_is_asked() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    retitle(&mut theirs, "s2", "Grid");
    let added = theirs.create_node(Kind::Partner, "National Grid ESO", Placement::at(0.0, 900.0)).unwrap();
    ours.remove_node(&nid("p6")).unwrap();
    let m = merge(None, &ours, &theirs, &none());
    assert!(!m.base_known);
    assert!(m.map.contains_node(&added), "added on their side");
    assert!(m.map.contains_node(&nid("p6")), "without a base, their p6 looks new: kept");
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].key(), (Item::Card(nid("s2")), Some("title".to_owned())));
}

#[test]
fn links_and_workshop_items_merge_field_by_field() {
    let b = base();
    let mut ours = b.clone();
    let mut theirs = b.clone();
    let l = nid_link(&b, "s2", "m1");
    let mut ol = ours.link(&l).unwrap().clone();
    ol.rationale = "Connections are the bottleneck".to_owned();
    ours.replace_link(ol).unwrap();
    let mut tl = theirs.link(&l).unwrap().clone();
    tl.evidence = Evidence::Strong;
    theirs.replace_link(tl).unwrap();
    ours.dismissals.insert("x:i4".to_owned(), Dismissal { reason: "by design".to_owned(), date: None });
    theirs.workshop.parking.push(ParkedIdea::typed("Community energy".to_owned(), None, None));
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.conflicts.is_empty());
    let link = m.map.link(&l).unwrap();
    assert_eq!((link.rationale.as_str(), link.evidence), ("Connections are the bottleneck", Evidence::Strong));
    assert_eq!(m.map.dismissals.len(), 1);
    assert_eq!(m.map.workshop.parking.len(), 1);
}

fn nid_link(map: &MissionMap, from: &str, to: &str) -> LinkId {
    map.links().find(|l| l.from == nid(from) && l.to == nid(to)).unwrap().id.clone()
}

#[test]
fn comparing_names_each_field_with_old_and_new() {
    let a = base();
    let mut b = a.clone();
    retitle(&mut b, "i5", "Heat pump grants (£7,500)");
    b.set_placement(&nid("i5"), Placement::at(210.0, 400.0)).unwrap();
    b.remove_node(&nid("p6")).unwrap();
    let p = b.create_node(Kind::Partner, "Octopus Energy", Placement::default()).unwrap();
    let c = compare(&a, &b);
    assert_eq!(c.added, vec![p]);
    assert_eq!(c.removed, vec![(nid("p6"), "Ofgem".to_owned())]);
    assert_eq!(c.changed.len(), 1);
    let fields: Vec<&str> = c.changed[0].fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["position", "title"]);
    assert_eq!(c.links_removed.len(), 1);
    assert_eq!(c.summary(), "cards: 1 added, 1 removed, 1 changed; links: 1 removed");
    assert!(compare(&a, &a.clone()).is_empty());
    assert_eq!(compare(&a, &a).summary(), "the same");
}

#[test]
fn field_names_read_as_people_say_them() {
    assert_eq!(field_label("kind.Mission.target.value"), "target value");
    assert_eq!(field_label("kind.Intervention.lead_department"), "lead department");
    assert_eq!(field_label("votes/i4"), "votes for i4");
    assert_eq!(show_value(Some(&serde_json::json!([12.0, 40.4]))), "(12, 40)");
    assert_eq!(show_value(None), "(not set)");
}

// ------------------------------------------------------------------------------ properties

/// One edit a copy might make.
#[derive(Clone, Debug)]
enum Edit {
    Retitle(usize, String),
    Describe(usize, String),
    Move(usize, i16, i16),
    Delete(usize),
    Add(u8, String),
    Link(usize, usize),
    Unlink(usize),
    Rationale(usize, String),
    Vote(usize, u8),
    /// On a card's list (a mission's readings, a sub-mission's indicators, an intervention's
    /// decisions, a partner's tags): 0 add, 1 edit, 2 delete the `usize`-th item.
    List(usize, u8, usize, String),
    /// On the readings of a sub-mission's indicator, or a mission's milestones.
    Inner(usize, u8, usize, i16),
    /// On the board's action list.
    Action(u8, usize, String),
    /// A link's kind or evidence.
    Evidence(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let word = prop_oneof![Just("a".to_owned()), Just("b".to_owned()), "[a-z ]{1,12}"];
    prop_oneof![
        (any::<usize>(), word.clone()).prop_map(|(i, w)| Edit::Retitle(i, w)),
        (any::<usize>(), word.clone()).prop_map(|(i, w)| Edit::Describe(i, w)),
        (any::<usize>(), -50i16..50, -50i16..50).prop_map(|(i, x, y)| Edit::Move(i, x, y)),
        any::<usize>().prop_map(Edit::Delete),
        (0u8..4, word.clone()).prop_map(|(k, w)| Edit::Add(k, w)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Link(a, b)),
        any::<usize>().prop_map(Edit::Unlink),
        (any::<usize>(), word).prop_map(|(i, w)| Edit::Rationale(i, w)),
        (any::<usize>(), 1u8..4).prop_map(|(i, n)| Edit::Vote(i, n)),
        (any::<usize>(), 0u8..3, any::<usize>(), "[a-c]{1,2}").prop_map(|(i, o, j, w)| Edit::List(i, o, j, w)),
        (any::<usize>(), 0u8..3, any::<usize>(), -5i16..5).prop_map(|(i, o, j, v)| Edit::Inner(i, o, j, v)),
        (0u8..3, any::<usize>(), "[a-c]{1,2}").prop_map(|(o, j, w)| Edit::Action(o, j, w)),
        (any::<usize>(), 0u8..3).prop_map(|(i, e)| Edit::Evidence(i, e)),
    ]
}

fn apply(map: &MissionMap, edits: &[Edit]) -> MissionMap {
    let mut map = map.clone();
    for e in edits {
        let ids: Vec<NodeId> = map.sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
        let links: Vec<LinkId> = map.sorted_links().into_iter().map(|l| l.id.clone()).collect();
        let pick = |i: usize| ids.get(i % ids.len().max(1)).cloned();
        match e {
            Edit::Retitle(i, w) => {
                if let Some(id) = pick(*i) {
                    map.update_node(&id, |n| w.clone_into(&mut n.title)).unwrap();
                }
            }
            Edit::Describe(i, w) => {
                if let Some(id) = pick(*i) {
                    map.update_node(&id, |n| w.clone_into(&mut n.description)).unwrap();
                }
            }
            Edit::Move(i, x, y) => {
                if let Some(id) = pick(*i) {
                    map.set_placement(&id, Placement::at(f32::from(*x) * 10.0, f32::from(*y) * 10.0)).unwrap();
                }
            }
            Edit::Delete(i) => {
                if let Some(id) = pick(*i) {
                    map.remove_node(&id).unwrap();
                }
            }
            Edit::Add(k, w) => {
                let kind = Kind::ALL[usize::from(*k) % 4];
                map.create_node(kind, w.clone(), Placement::default()).unwrap();
            }
            Edit::Link(a, b) => {
                if let (Some(a), Some(b)) = (pick(*a), pick(*b)) {
                    let (ka, kb) = (map.node(&a).unwrap().kind(), map.node(&b).unwrap().kind());
                    if let Some(kind) = LinkKind::infer(ka, kb) {
                        let _ = map.connect(&a, &b, kind);
                    }
                }
            }
            Edit::Unlink(i) => {
                if let Some(l) = links.get(i % links.len().max(1)) {
                    map.remove_link(l).unwrap();
                }
            }
            Edit::Rationale(i, w) => {
                if let Some(l) = links.get(i % links.len().max(1)) {
                    let mut link = map.link(l).unwrap().clone();
                    link.rationale.clone_from(w);
                    map.replace_link(link).unwrap();
                }
            }
            Edit::Vote(i, n) => {
                if let Some(id) = pick(*i) {
                    if map.workshop.votes.is_empty() {
                        map.workshop.votes.push(VoteRound { name: "Round".to_owned(), ..VoteRound::default() });
                    }
                    map.workshop.votes[0].tally.insert(id, u32::from(*n));
                }
            }
            Edit::List(i, op, j, w) => {
                if let Some(id) = pick(*i) {
                    map.update_node(&id, |n| list_edit(n, *op, *j, w)).unwrap();
                }
            }
            Edit::Inner(i, op, j, v) => {
                if let Some(id) = pick(*i) {
                    map.update_node(&id, |n| inner_edit(n, *op, *j, *v)).unwrap();
                }
            }
            Edit::Action(op, j, w) => {
                let a = &mut map.actions;
                let k = j % a.len().max(1);
                match op {
                    0 => a.push(crate::model::ActionItem { what: w.clone(), ..Default::default() }),
                    1 if !a.is_empty() => w.clone_into(&mut a[k].owner),
                    2 if !a.is_empty() => drop(a.remove(k)),
                    _ => {}
                }
            }
            Edit::Evidence(i, e) => {
                if let Some(l) = links.get(i % links.len().max(1)) {
                    let mut link = map.link(l).unwrap().clone();
                    link.evidence = Evidence::ALL[usize::from(*e) % 4];
                    map.replace_link(link).unwrap();
                }
            }
        }
        // As the editor does: every new item gets a random id.
        crate::model::listed::fill_map(&mut map, crate::model::listed::How::Fresh);
    }
    map
}

fn list_edit(n: &mut crate::model::Node, op: u8, j: usize, w: &str) {
    use crate::model::{Decision, DecisionKind, Indicator, NodeKind, Reading};
    fn on<T>(list: &mut Vec<T>, op: u8, j: usize, new: impl FnOnce() -> T, edit: impl FnOnce(&mut T)) {
        let k = j % list.len().max(1);
        match op {
            0 => list.insert(k.min(list.len()), new()),
            1 if !list.is_empty() => edit(&mut list[k]),
            2 if !list.is_empty() => drop(list.remove(k)),
            _ => {}
        }
    }
    let day = NaiveDate::from_ymd_opt(2026, 1 + (j % 12) as u32, 1).unwrap();
    match &mut n.kind {
        NodeKind::Mission { target, .. } => on(
            &mut target.readings,
            op,
            j,
            || Reading {
                id: crate::model::ItemId::default(),
                date: day,
                value: 1.0,
                note: w.to_owned(),
                source: String::new(),
            },
            |r| w.clone_into(&mut r.note),
        ),
        NodeKind::SubMission { indicators, .. } => on(
            indicators,
            op,
            j,
            || Indicator { name: w.to_owned(), ..Indicator::default() },
            |i| w.clone_into(&mut i.name),
        ),
        NodeKind::Intervention { decisions, .. } => on(
            decisions,
            op,
            j,
            || Decision {
                id: crate::model::ItemId::default(),
                date: day,
                decision: DecisionKind::Continue,
                who: String::new(),
                why: w.to_owned(),
            },
            |d| w.clone_into(&mut d.why),
        ),
        NodeKind::Partner { .. } => {
            let tag = w.to_owned();
            if op == 2 || n.tags.contains(&tag) {
                n.tags.retain(|t| *t != tag);
            } else {
                n.tags.push(tag);
            }
        }
    }
}

fn inner_edit(n: &mut crate::model::Node, op: u8, j: usize, v: i16) {
    use crate::model::{Milestone, NodeKind, Reading};
    let day = NaiveDate::from_ymd_opt(2027, 1 + (j % 12) as u32, 1).unwrap();
    let value = f64::from(v);
    let on_readings = |list: &mut Vec<Reading>| {
        let k = j % list.len().max(1);
        match op {
            0 => list.push(Reading {
                id: crate::model::ItemId::default(),
                date: day,
                value,
                note: String::new(),
                source: String::new(),
            }),
            1 if !list.is_empty() => list[k].value = value,
            2 if !list.is_empty() => drop(list.remove(k)),
            _ => {}
        }
    };
    match &mut n.kind {
        NodeKind::SubMission { indicators, .. } if !indicators.is_empty() => {
            let k = j % indicators.len();
            on_readings(&mut indicators[k].readings);
        }
        NodeKind::Mission { target, .. } => {
            let list = &mut target.milestones;
            let k = j % list.len().max(1);
            match op {
                0 => list.push(Milestone { id: crate::model::ItemId::default(), date: day, value }),
                1 if !list.is_empty() => list[k].value = value,
                2 if !list.is_empty() => drop(list.remove(k)),
                _ => {}
            }
        }
        _ => {}
    }
}

/// The base with something in every list: readings and milestones on the mission, indicators with
/// readings, decisions, tags and actions.
fn listed_base() -> MissionMap {
    let mut b = base();
    for (card, op, j, w) in
        [("m1", 0, 0, "r1"), ("s2", 0, 0, "GW"), ("s2", 0, 1, "Queue"), ("i4", 0, 0, "go"), ("p6", 0, 0, "energy")]
    {
        b.update_node(&nid(card), |n| list_edit(n, op, j, w)).unwrap();
    }
    b.update_node(&nid("s2"), |n| inner_edit(n, 0, 0, 3)).unwrap();
    b.update_node(&nid("m1"), |n| inner_edit(n, 0, 0, 3)).unwrap();
    b.actions.push(crate::model::ActionItem { what: "Write".to_owned(), ..Default::default() });
    crate::model::listed::fill_map(&mut b, crate::model::listed::How::Fresh);
    b
}

/// Every list item of a map by where it is and its id, with what it says.
fn list_items(map: &MissionMap) -> BTreeMap<(String, String), String> {
    use crate::model::NodeKind;
    let mut out = BTreeMap::new();
    let mut put = |at: String, id: &crate::model::ItemId, v: String| {
        let key = if id.is_empty() { v.clone() } else { id.to_string() };
        out.insert((at, key), v);
    };
    for n in map.nodes() {
        let at = n.id.to_string();
        match &n.kind {
            NodeKind::Mission { target, .. } => {
                target.readings.iter().for_each(|r| put(at.clone(), &r.id, format!("{r:?}")));
                target.milestones.iter().for_each(|r| put(at.clone(), &r.id, format!("{r:?}")));
            }
            NodeKind::SubMission { indicators, .. } => {
                for i in indicators {
                    put(at.clone(), &i.id, i.name.clone());
                    i.readings.iter().for_each(|r| put(format!("{at}/{}", i.id), &r.id, format!("{r:?}")));
                }
            }
            NodeKind::Intervention { decisions, .. } => {
                for d in decisions {
                    put(at.clone(), &d.id, format!("{d:?}"));
                }
            }
            NodeKind::Partner { .. } => {
                for t in &n.tags {
                    put(at.clone(), &crate::model::ItemId::default(), format!("tag {t}"));
                }
            }
        }
    }
    for a in &map.actions {
        put("actions".to_owned(), &a.id, format!("{a:?}"));
    }
    out
}

/// The file with every list sorted by id: the same map, whichever order two merges put lists in.
fn normalised(map: &MissionMap) -> String {
    use crate::model::NodeKind;
    let mut m = map.clone();
    let ids: Vec<NodeId> = m.nodes().map(|n| n.id.clone()).collect();
    for id in ids {
        m.update_node(&id, |n| {
            n.tags.sort();
            match &mut n.kind {
                NodeKind::Mission { target, .. } => {
                    target.readings.sort_by(|a, b| a.id.cmp(&b.id));
                    target.milestones.sort_by(|a, b| a.id.cmp(&b.id));
                }
                NodeKind::SubMission { indicators, .. } => {
                    indicators.sort_by(|a, b| a.id.cmp(&b.id));
                    for i in indicators {
                        i.readings.sort_by(|a, b| a.id.cmp(&b.id));
                        i.milestones.sort_by(|a, b| a.id.cmp(&b.id));
                    }
                }
                NodeKind::Intervention { decisions, .. } => decisions.sort_by(|a, b| a.id.cmp(&b.id)),
                NodeKind::Partner { .. } => {}
            }
        })
        .unwrap();
    }
    m.actions.sort_by(|a, b| a.id.cmp(&b.id));
    m.workshop.votes.sort_by(|a, b| a.id.cmp(&b.id));
    m.workshop.parking.sort_by(|a, b| a.id.cmp(&b.id));
    m.unresolved.clear();
    file(&m)
}

/// The map as its file, which is what "the same map" means to a person.
fn file(map: &MissionMap) -> String {
    crate::io::format::to_string(map)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn merging_with_an_unchanged_side_gives_the_changed_side(
        x in proptest::collection::vec(edit(), 0..12),
    ) {
        let b = listed_base();
        let x = apply(&b, &x);
        let m = merge(Some(&b), &x, &b, &none());
        prop_assert!(m.conflicts.is_empty());
        prop_assert_eq!(file(&m.map), file(&x));
        let m = merge(Some(&b), &b, &x, &none());
        prop_assert!(m.conflicts.is_empty());
        prop_assert_eq!(file(&m.map), file(&x));
        let m = merge(Some(&b), &x, &x, &none());
        prop_assert!(m.conflicts.is_empty() && m.renamed.is_empty());
        prop_assert_eq!(file(&m.map), file(&x));
    }

    #[test]
    fn merge_is_symmetric_up_to_which_side_wins_conflicts(
        x in proptest::collection::vec(edit(), 0..10),
        y in proptest::collection::vec(edit(), 0..10),
    ) {
        let b = listed_base();
        let (x, y) = (apply(&b, &x), apply(&b, &y));
        let xy = settled(Some(&b), &x, &y, Side::Theirs);
        let yx = settled(Some(&b), &y, &x, Side::Ours);
        prop_assert_eq!(xy.conflicts.len(), yx.conflicts.len());
        if xy.renamed.is_empty() && yx.renamed.is_empty() {
            // The whole result, lists compared whatever their order (ours' order comes first).
            prop_assert_eq!(normalised(&xy.map), normalised(&yx.map));
        } else {
            prop_assert_eq!(xy.map.node_count(), yx.map.node_count());
            prop_assert_eq!(list_items(&xy.map).len(), list_items(&yx.map).len());
        }
    }

    #[test]
    fn nothing_is_lost_without_being_reported_and_the_result_is_a_valid_map(
        x in proptest::collection::vec(edit(), 0..12),
        y in proptest::collection::vec(edit(), 0..12),
    ) {
        let b = listed_base();
        let (x, y) = (apply(&b, &x), apply(&b, &y));
        let m = merge(Some(&b), &x, &y, &none());
        let renamed: BTreeMap<&str, &str> =
            m.renamed.iter().filter(|r| r.noun == "card").map(|r| (r.from.as_str(), r.to.as_str())).collect();
        let conflict = |item: &Item| m.conflicts.iter().any(|c| c.item == *item);
        // Every list item of either side is in the result, or the other side deleted it (or its
        // card) and this side left it alone, or there is a conflict about it.
        let (bi, mi) = (list_items(&b), list_items(&m.map));
        for (side, other, is_theirs) in [(&x, &y, false), (&y, &x, true)] {
            let oi = list_items(other);
            for (key, says) in list_items(side) {
                let mut card = key.0.split('/').next().unwrap_or_default().to_owned();
                let mut key = key;
                if is_theirs && renamed.contains_key(card.as_str()) && x.contains_node(&nid(&card)) {
                    let new = renamed[card.as_str()].to_owned();
                    key.0 = key.0.replacen(&card, &new, 1);
                    card = new;
                }
                let kept = mi.contains_key(&key);
                let deleted_by_other = bi.contains_key(&key) && !oi.contains_key(&key) && bi.get(&key) == Some(&says);
                let deleted_by_other = deleted_by_other || (bi.contains_key(&key) && !other.contains_node(&nid(&card)));
                let card_gone = !m.map.contains_node(&nid(&card)) && card != "actions";
                let about = m.conflicts.iter().any(|c| {
                    c.item == Item::Card(nid(&card)) || c.field.as_deref().is_some_and(|f| f.contains(&key.1))
                });
                prop_assert!(
                    kept || deleted_by_other || card_gone || about,
                    "list item {:?} ({}) is gone without a reason", key, says
                );
            }
        }
        for (side, other, is_theirs) in [(&x, &y, false), (&y, &x, true)] {
            for n in side.nodes() {
                let id = if is_theirs && renamed.contains_key(n.id.as_str()) && x.contains_node(&n.id) {
                    nid(renamed[n.id.as_str()])
                } else {
                    n.id.clone()
                };
                let deleted_by_other = b.contains_node(&n.id) && !other.contains_node(&n.id);
                prop_assert!(
                    m.map.contains_node(&id) || deleted_by_other,
                    "card {} of one side is gone without a reason", id
                );
                if deleted_by_other && side.node(&n.id) != b.node(&n.id) {
                    prop_assert!(conflict(&Item::Card(n.id.clone())), "edited and deleted card {} is a conflict", n.id);
                }
            }
            for l in side.links() {
                let reported = m.dropped.iter().any(|d| d.id == l.id)
                    || m.renamed.iter().any(|r| r.noun == "link" && r.from == l.id.as_str())
                    || conflict(&Item::Link(l.id.clone()));
                let deleted_by_other = b.link(&l.id).is_some() && other.link(&l.id).is_none();
                let end_renamed = is_theirs && (renamed.contains_key(l.from.as_str()) || renamed.contains_key(l.to.as_str()));
                prop_assert!(
                    m.map.link(&l.id).is_some() || reported || deleted_by_other || end_renamed,
                    "link {} of one side is gone without a reason", l.id
                );
            }
        }
        // Ids stay unique and the merged map saves and opens again.
        let text = file(&m.map);
        let back = crate::io::format::load_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back.map.node_count(), m.map.node_count());
        prop_assert_eq!(back.map.link_count(), m.map.link_count());
    }
}

#[test]
fn readings_added_in_two_copies_to_one_indicator_are_both_kept() {
    use crate::model::{Indicator, NodeKind, Reading};
    let day = |m: u32| NaiveDate::from_ymd_opt(2026, m, 28).unwrap();
    let mut b = base();
    b.update_node(&nid("s2"), |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            indicators.push(Indicator { name: "GW connected".to_owned(), ..Indicator::default() });
            indicators.push(Indicator { name: "Queue length (GW)".to_owned(), ..Indicator::default() });
        }
    })
    .unwrap();
    // As loading the file does.
    crate::model::listed::fill_map(&mut b, crate::model::listed::How::Derived);
    let add = |map: &mut MissionMap, which: usize, m: u32, v: f64| {
        map.update_node(&nid("s2"), |n| {
            if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
                indicators[which].readings.push(Reading {
                    id: crate::model::ItemId::default(),
                    date: day(m),
                    value: v,
                    note: String::new(),
                    source: String::new(),
                });
            }
            // As the editor does: a new reading gets a random id.
            crate::model::listed::fill_node(n, crate::model::listed::How::Fresh);
        })
        .unwrap();
    };
    let (mut ours, mut theirs) = (b.clone(), b.clone());
    add(&mut ours, 0, 3, 1.5);
    add(&mut theirs, 0, 6, 2.5);
    add(&mut theirs, 1, 6, 700.0);
    let m = merge(Some(&b), &ours, &theirs, &none());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts.iter().map(Conflict::describe).collect::<Vec<_>>());
    let NodeKind::SubMission { indicators, .. } = &m.map.node(&nid("s2")).unwrap().kind else { panic!() };
    assert_eq!(
        indicators.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
        ["GW connected", "Queue length (GW)"],
        "order kept"
    );
    assert_eq!(indicators[0].readings.iter().map(|r| r.value).collect::<Vec<_>>(), [1.5, 2.5]);
    assert_eq!(indicators[1].readings.len(), 1);
    // Two readings added on one date are two readings; one reading edited differently on both
    // sides is a conflict on its value, named as people say it.
    let mut theirs = ours.clone();
    let mut ours2 = ours.clone();
    add(&mut theirs, 1, 9, 650.0);
    add(&mut ours2, 1, 9, 640.0);
    let m = merge(Some(&ours), &ours2, &theirs, &none());
    assert!(m.conflicts.is_empty());
    let NodeKind::SubMission { indicators, .. } = &m.map.node(&nid("s2")).unwrap().kind else { panic!() };
    assert_eq!(indicators[1].readings.iter().map(|r| r.value).collect::<Vec<_>>(), [640.0, 650.0]);
    let base = m.map.clone();
    let set = |map: &mut MissionMap, v: f64| {
        map.update_node(&nid("s2"), |n| {
            if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
                indicators[1].readings[0].value = v;
            }
        })
        .unwrap();
    };
    let (mut a, mut b2) = (base.clone(), base.clone());
    set(&mut a, 1.0);
    set(&mut b2, 2.0);
    let m = merge(Some(&base), &a, &b2, &none());
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(
        m.conflicts[0].field_label(),
        "indicator \u{201c}Queue length (GW)\u{201d}, reading of 2026-09-28: value"
    );
}
