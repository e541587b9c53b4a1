use super::*;
use crate::model::{Kind, LinkKind};

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

fn doc() -> Document {
    let mut m = MissionMap::new("t");
    m.add_node(Node::new(id("m1"), Kind::Mission, "M"), Placement::at(0.0, 0.0)).unwrap();
    m.add_node(Node::new(id("i2"), Kind::Intervention, "I"), Placement::at(0.0, 200.0)).unwrap();
    Document::new(m)
}

#[test]
fn each_command_is_one_undo_step() {
    let mut d = doc();
    assert!(!d.is_dirty());
    let n = Node::new(id("s3"), Kind::SubMission, "S");
    d.apply("Add card", Command::AddNode { node: n, place: Placement::at(0.0, 100.0) }).unwrap();
    assert!(d.is_dirty());
    assert_eq!(d.map().node_count(), 3);
    assert_eq!(d.undo().as_deref(), Some("Add card"));
    assert_eq!(d.map().node_count(), 2);
    assert!(!d.is_dirty(), "undoing back to the saved state is clean");
    assert_eq!(d.redo().as_deref(), Some("Add card"));
    assert_eq!(d.map().node_count(), 3);
    assert!(d.is_dirty());
}

#[test]
fn a_drag_is_one_step() {
    let mut d = doc();
    d.begin("Move");
    for x in 1..=30 {
        d.apply("Move", Command::Place(vec![(id("m1"), Placement::at(x as f32, 0.0))])).unwrap();
    }
    d.commit();
    assert_eq!(d.map().placement(&id("m1")).unwrap().x, 30.0);
    d.undo();
    assert_eq!(d.map().placement(&id("m1")).unwrap().x, 0.0);
    assert!(!d.can_undo());
}

#[test]
fn a_refused_command_changes_nothing() {
    let mut d = doc();
    let before = d.map().clone();
    let bad = Command::Batch(vec![
        Command::Place(vec![(id("m1"), Placement::at(5.0, 5.0))]),
        Command::AddLink(Link::new(LinkId::new("l9").unwrap(), id("m1"), id("i2"), LinkKind::Funds)),
    ]);
    assert!(d.apply("Bad", bad).is_err());
    assert_eq!(d.map(), &before);
    assert!(!d.can_undo());
    assert!(!d.is_dirty());
}

#[test]
fn cancel_restores_the_start_of_the_transaction() {
    let mut d = doc();
    d.begin("Edit title");
    let mut n = d.map().node(&id("m1")).unwrap().clone();
    n.title = "Changed".to_owned();
    d.apply("Edit title", Command::UpdateNode(n)).unwrap();
    d.cancel();
    assert_eq!(d.map().node(&id("m1")).unwrap().title, "M");
    assert!(!d.is_dirty());
}

#[test]
fn new_changes_clear_redo_and_history_is_bounded() {
    let mut d = doc();
    for x in 0..(MAX_UNDO_STEPS + 20) {
        d.apply("Move", Command::Place(vec![(id("m1"), Placement::at(x as f32, 0.0))])).unwrap();
    }
    let mut steps = 0;
    while d.undo().is_some() {
        steps += 1;
    }
    assert_eq!(steps, MAX_UNDO_STEPS);
    d.apply("Move", Command::Place(vec![(id("m1"), Placement::at(1.0, 0.0))])).unwrap();
    assert!(!d.can_redo());
}

#[test]
fn saved_state_is_tracked_through_undo_and_redo() {
    let mut d = doc();
    d.apply("a", Command::Place(vec![(id("m1"), Placement::at(1.0, 0.0))])).unwrap();
    d.mark_saved();
    assert!(!d.is_dirty());
    d.undo();
    assert!(d.is_dirty());
    d.redo();
    assert!(!d.is_dirty());
}

#[test]
fn ids_are_not_reused_after_undo() {
    let mut d = doc();
    let a = d.fresh_node_id(Kind::Intervention);
    d.apply(
        "Add",
        Command::AddNode { node: Node::new(a.clone(), Kind::Intervention, "A"), place: Placement::default() },
    )
    .unwrap();
    d.undo();
    let b = d.fresh_node_id(Kind::Intervention);
    assert_ne!(a, b);
}

#[test]
fn paste_remaps_ids_and_keeps_links() {
    let mut d = doc();
    let mut src = MissionMap::new("other");
    src.add_node(Node::new(id("m1"), Kind::Mission, "M"), Placement::at(0.0, 0.0)).unwrap();
    src.add_node(Node::new(id("s1"), Kind::SubMission, "S"), Placement::at(0.0, 100.0)).unwrap();
    src.connect(&id("s1"), &id("m1"), LinkKind::ContributesTo).unwrap();
    let (cmd, ids) = d.paste_command(&src, 10.0, 20.0);
    d.apply("Paste", cmd).unwrap();
    assert_eq!(ids.len(), 2);
    assert_eq!(d.map().node_count(), 4);
    assert_eq!(d.map().link_count(), 1);
    assert!(!ids.contains(&id("m1")), "ids are remapped, never clashing with the target");
    let sub = ids.iter().find(|i| d.map().node(i).unwrap().kind() == Kind::SubMission).unwrap();
    assert_eq!(d.map().placement(sub).unwrap(), Placement::at(10.0, 120.0));
}

#[test]
fn a_replaced_document_never_reuses_a_revision() {
    // Caches (the canvas scene, the checks) are keyed by revision: a map opened in place of an
    // unedited one must not look like it.
    let mut doc = Document::new(crate::sample::uk_missions());
    let before = doc.revision();
    doc.replace(MissionMap::new("other"), true);
    assert_ne!(doc.revision(), before);
    assert!(!doc.is_dirty(), "an opened file is saved");
    let opened = doc.revision();
    doc.replace(MissionMap::new("new"), false);
    assert!(doc.revision() != opened && doc.revision() != before);
    assert!(doc.is_dirty(), "a new map is not saved");
    assert!(!doc.can_undo(), "replacing clears the history");
}

#[test]
fn a_locked_document_refuses_its_own_edits_undo_and_redo_but_takes_others() {
    let mut d = doc();
    d.apply(
        "Add card",
        Command::AddNode { node: Node::new(id("s3"), Kind::SubMission, "S"), place: Placement::at(0.0, 100.0) },
    )
    .unwrap();
    d.set_locked(Some("the host made this laptop read-only".into()));
    let before = d.map().clone();
    let err = d
        .apply(
            "Add card",
            Command::AddNode { node: Node::new(id("s4"), Kind::SubMission, "T"), place: Placement::at(9.0, 9.0) },
        )
        .unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(d.undo(), None);
    assert_eq!(d.redo(), None);
    assert_eq!(*d.map(), before, "nothing of its own changed");
    // Another laptop's change still comes in.
    let mut theirs = before.clone();
    theirs.update_node(&id("m1"), |n| n.title = "Theirs".into()).unwrap();
    let items = crate::model::patch::changed_items(&before, &theirs);
    let patch = crate::model::patch::Patch {
        items: items.iter().map(|i| (i.clone(), crate::model::merge::item_fields(&theirs, i))).collect(),
        ..crate::model::patch::Patch::default()
    };
    assert!(d.apply_remote(&patch).is_empty());
    assert_eq!(d.map().node(&id("m1")).unwrap().title, "Theirs");
    d.set_locked(None);
    assert_eq!(d.undo().as_deref(), Some("Add card"));
}
