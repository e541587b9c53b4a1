//! Matching grants to partners and interventions, on a small map checked by hand.

use super::*;

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

fn grant(row: u64, ident: &str, amount: f64, recipient: (&str, &str), programme: &str) -> Grant {
    Grant {
        row,
        identifier: ident.to_owned(),
        title: format!("Grant {ident}"),
        currency: "GBP".to_owned(),
        amount,
        award_date: NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
        recipient_id: recipient.0.to_owned(),
        recipient_name: recipient.1.to_owned(),
        funder_name: "Arts Council England".to_owned(),
        programme: programme.to_owned(),
        start: None,
        end: None,
    }
}

/// Interventions "Warm homes" (i1, tagged "Heat fund") and "Skills bootcamps" (i2); partners
/// "Age UK" (p1, tagged GB-CHC-1128267) and "Crisis" (p2).
fn map() -> MissionMap {
    let mut map = MissionMap::new("Grants");
    for (name, kind, title) in [
        ("i1", Kind::Intervention, "Warm homes"),
        ("i2", Kind::Intervention, "Skills bootcamps"),
        ("p1", Kind::Partner, "Age UK"),
        ("p2", Kind::Partner, "Crisis"),
    ] {
        let mut n = Node::new(id(name), kind, title);
        match name {
            "i1" => n.tags.push("Heat fund".to_owned()),
            "p1" => n.tags.push("GB-CHC-1128267".to_owned()),
            _ => {}
        }
        map.add_node(n, Placement::default()).unwrap();
    }
    map
}

fn grants() -> Vec<Grant> {
    vec![
        grant(2, "360G-a", 100.0, ("GB-CHC-1128267", "AGE UK (national)"), "Warm Homes"),
        grant(3, "360G-b", 50.0, ("GB-CHC-1082947", " crisis "), "warm  homes"),
        grant(4, "360G-c", 20.0, ("GB-COH-999", "New Org Ltd"), "Skills bootcamps"),
        grant(5, "360G-d", 5.0, ("GB-COH-999", "New Org Ltd"), "Arts for all"),
    ]
}

#[test]
fn programmes_go_by_title_and_recipients_by_identifier_then_name() {
    let (map, grants) = (map(), grants());
    let p = plan(&map, &grants, Rule::Title, &BTreeMap::new());
    let to: Vec<(&str, Option<&str>, usize)> = p
        .programmes
        .iter()
        .map(|r| (r.programme.as_str(), r.intervention.as_ref().map(NodeId::as_str), r.grants))
        .collect();
    assert_eq!(to, [("Arts for all", None, 1), ("Skills bootcamps", Some("i2"), 1), ("Warm Homes", Some("i1"), 2)]);
    assert_eq!(p.programmes[2].money.get("GBP"), 150.0);
    assert_eq!(p.grants[0], Some((id("i1"), Recipient::ByIdentifier(id("p1")))), "by the tag, not the name");
    assert_eq!(p.grants[1], Some((id("i1"), Recipient::ByName(id("p2")))));
    assert_eq!(p.grants[2], Some((id("i2"), Recipient::New(id("GB-COH-999")))));
    assert_eq!(p.grants[3], None, "no intervention is called Arts for all");
    assert_eq!((p.by_identifier, p.by_name, p.new_partners.len(), p.adding()), (1, 1, 1, 3));

    let out = apply(&map, &grants, &p).unwrap();
    let NodeKind::Intervention { budget_lines, .. } = &out.node(&id("i1")).unwrap().kind else { panic!() };
    assert_eq!(budget_lines.len(), 2);
    let l = &budget_lines[0];
    assert_eq!((l.id.to_string().as_str(), l.amount, l.status), ("360G-a", 100.0, BudgetStatus::Committed));
    assert_eq!(l.year.map(BudgetYear::text).as_deref(), Some("2025-26"), "February 2026 is in 2025-26");
    assert_eq!(l.source, "Arts Council England");
    let new = out.node(&id("GB-COH-999")).unwrap();
    assert_eq!((new.title.as_str(), new.kind()), ("New Org Ltd", Kind::Partner));
    assert!(out.links().any(|l| l.from == id("p1") && l.to == id("i1") && l.kind == LinkKind::Delivers));
    assert!(out.links().any(|l| l.from == id("GB-COH-999") && l.to == id("i2")));
    assert_eq!(out.links().count(), 3, "one delivers link per recipient and intervention");

    // Imported again: every grant is already there, nothing new.
    let again = plan(&out, &grants, Rule::Title, &BTreeMap::new());
    assert_eq!((again.already, again.adding(), again.new_partners.len()), (3, 0, 0));
    assert_eq!(apply(&out, &grants, &again).unwrap(), out);
}

#[test]
fn the_tag_rule_and_the_persons_own_choices() {
    let (map, grants) = (map(), grants());
    let p = plan(&map, &grants, Rule::Tag, &BTreeMap::new());
    assert!(p.grants.iter().all(Option::is_none), "no intervention is tagged with these programmes");
    let chosen: BTreeMap<String, NodeId> = [("ARTS FOR ALL".to_owned(), id("i2"))].into_iter().collect();
    let p = plan(&map, &grants, Rule::Title, &chosen);
    assert_eq!(p.grants[3].as_ref().map(|g| g.0.as_str()), Some("i2"));
    let mut heat = grants.clone();
    heat[0].programme = "heat FUND".to_owned();
    let p = plan(&map, &heat, Rule::Tag, &BTreeMap::new());
    assert_eq!(p.grants[0].as_ref().map(|g| g.0.as_str()), Some("i1"));
}

#[test]
fn a_programme_can_get_a_new_intervention_card_or_be_left_out() {
    let (map, grants) = (map(), grants());
    let chosen: BTreeMap<String, Choice> =
        [("arts for all".to_owned(), Choice::NewCard), ("Warm Homes".to_owned(), Choice::Skip)].into_iter().collect();
    let p = plan_choosing(&map, &grants, Rule::Title, &chosen);
    assert_eq!(p.new_interventions, [(id("i-grant-1"), "Arts for all".to_owned())]);
    assert_eq!(p.grants[0], None, "Warm Homes is left out");
    assert_eq!(p.grants[1], None);
    assert_eq!(p.grants[3].as_ref().map(|g| g.0.as_str()), Some("i-grant-1"));
    assert_eq!(p.adding(), 2);
    let out = apply(&map, &grants, &p).unwrap();
    let new = out.node(&id("i-grant-1")).unwrap();
    assert_eq!((new.title.as_str(), new.kind()), ("Arts for all", Kind::Intervention));
    let NodeKind::Intervention { budget_lines, .. } = &new.kind else { panic!() };
    assert_eq!(budget_lines.iter().map(|l| l.amount).collect::<Vec<_>>(), [5.0]);
    let NodeKind::Intervention { budget_lines, .. } = &out.node(&id("i1")).unwrap().kind else { panic!() };
    assert!(budget_lines.is_empty(), "nothing for the programme left out");
}

#[test]
fn financial_years_turn_in_april() {
    let fy = |y, m, d| financial_year(NaiveDate::from_ymd_opt(y, m, d).unwrap()).text();
    assert_eq!(fy(2025, 3, 31), "2024-25");
    assert_eq!(fy(2025, 4, 1), "2025-26");
}
