//! The editor core without a window: each operation fed requests and checked on the document,
//! the selection, the undo history and the outcome for the view.
#![allow(clippy::unwrap_used, reason = "tests")]

use super::*;
use crate::model::{Kind, LinkKind, MissionMap, NodeId, Placement};

/// A mission `m` with one sub-mission `s` under it, both placed.
fn small() -> (Editor, NodeId, NodeId) {
    let mut map = MissionMap::new("Test");
    let m = map.create_node(Kind::Mission, "Net zero", Placement::at(0.0, 0.0)).unwrap();
    let s = map.create_node(Kind::SubMission, "Clean power", Placement::at(0.0, 200.0)).unwrap();
    map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
    (Editor::new(map, Settings::default()), m, s)
}

fn select(ed: &mut Editor, id: &NodeId) {
    ed.cursor.selection.set_node(id.clone());
    ed.cursor.focus = Some(id.clone());
}

#[test]
fn tab_adds_a_linked_child_below_as_one_undo_step_and_starts_its_title() {
    let (mut ed, m, _) = small();
    select(&mut ed, &m);
    assert!(ed.perform(Action::AddChild));
    assert_eq!(ed.map().node_count(), 3);
    let new = ed.cursor.selection.single_node().cloned().unwrap();
    assert_eq!(ed.map().node(&new).unwrap().kind(), Kind::SubMission);
    assert!(ed.map().links_from(&new).any(|l| l.to == m), "linked to the mission");
    assert!(ed.map().placement(&new).unwrap().y > 0.0, "placed below");
    assert_eq!(ed.cursor.editing.as_ref().map(|e| e.id.clone()), Some(new.clone()), "title editor opens");
    assert_eq!(ed.take_outcome().reveal, Some(Reveal::Card(new)));
    ed.perform(Action::Undo);
    assert_eq!(ed.map().node_count(), 2, "card and link go in one step");
    assert!(ed.cursor.selection.is_empty(), "the selection drops the card that went");
}

#[test]
fn tab_with_nothing_selected_says_what_to_do() {
    let (mut ed, ..) = small();
    ed.perform(Action::AddChild);
    assert_eq!(ed.map().node_count(), 2);
    let s = ed.status.clone().unwrap();
    assert!(s.error && s.text.contains("Select one card first"), "{s:?}");
}

#[test]
fn enter_adds_a_sibling_serving_the_same_card() {
    let (mut ed, m, s) = small();
    select(&mut ed, &s);
    ed.perform(Action::AddSibling);
    let new = ed.cursor.selection.single_node().cloned().unwrap();
    assert_ne!(new, s);
    assert_eq!(ed.map().node(&new).unwrap().kind(), Kind::SubMission);
    assert!(ed.map().links_from(&new).any(|l| l.to == m));
    // Each new sibling goes after the one before it: three Enters read left to right in order.
    let mut xs = vec![ed.map().placement(&s).unwrap().x, ed.map().placement(&new).unwrap().x];
    for _ in 0..2 {
        ed.perform(Action::AddSibling);
        let id = ed.cursor.selection.single_node().cloned().unwrap();
        xs.push(ed.map().placement(&id).unwrap().x);
    }
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "siblings in the order they were made: {xs:?}");
}

#[test]
fn add_at_centre_goes_to_the_middle_of_the_view_and_is_remembered() {
    let (mut ed, ..) = small();
    ed.view_centre = Point { x: 5000.0, y: 3000.0 };
    ed.perform(Action::AddCard(Kind::Partner));
    let new = ed.cursor.selection.single_node().cloned().unwrap();
    let p = ed.map().placement(&new).unwrap();
    assert!((p.x - 5000.0).abs() < 400.0 && (p.y - 3000.0).abs() < 400.0, "{p:?}");
    assert_eq!(ed.settings.last_kind, Kind::Partner);
}

#[test]
fn connect_turns_the_link_round_when_only_that_way_is_allowed_and_refuses_nonsense() {
    let mut map = MissionMap::new("Test");
    let m = map.create_node(Kind::Mission, "M", Placement::at(0.0, 0.0)).unwrap();
    let i = map.create_node(Kind::Intervention, "I", Placement::at(0.0, 400.0)).unwrap();
    let m2 = map.create_node(Kind::Mission, "M2", Placement::at(300.0, 0.0)).unwrap();
    let mut ed = Editor::new(map, Settings::default());
    ed.connect(&m, &i);
    let link = ed.map().links_from(&i).next().cloned().unwrap();
    assert_eq!(link.to, m, "an intervention serves the mission, whichever was picked first");
    assert!(ed.cursor.selection.links.contains(&link.id));
    ed.connect(&m, &m2);
    let out = ed.take_outcome();
    let refused = out.refused.unwrap();
    assert!(refused.contains("cannot be linked"), "{refused}");
    assert!(ed.status.as_ref().unwrap().error);
    assert_eq!(ed.map().link_count(), 1);
}

#[test]
fn delete_then_undo_brings_cards_and_links_back() {
    let (mut ed, m, s) = small();
    ed.cursor.selection.nodes = [m.clone(), s].into_iter().collect();
    ed.perform(Action::Delete);
    assert_eq!((ed.map().node_count(), ed.map().link_count()), (0, 0));
    assert!(ed.status.as_ref().unwrap().text.contains("Ctrl+Z brings them back"));
    ed.perform(Action::Undo);
    assert_eq!((ed.map().node_count(), ed.map().link_count()), (2, 1));
    ed.perform(Action::Redo);
    assert_eq!(ed.map().node_count(), 0);
    assert!(ed.map().node(&m).is_none());
}

#[test]
fn copy_and_paste_make_new_cards_with_fresh_ids_at_the_view_centre() {
    let (mut ed, m, s) = small();
    ed.cursor.selection.nodes = [m.clone(), s.clone()].into_iter().collect();
    let text = ed.copy_text().unwrap();
    ed.view_centre = Point { x: 1000.0, y: 1000.0 };
    ed.paste_text(&text, true);
    assert_eq!((ed.map().node_count(), ed.map().link_count()), (4, 2), "the link among them comes too");
    assert!(!ed.cursor.selection.nodes.contains(&m), "the pasted copies are selected");
    assert_eq!(ed.cursor.selection.nodes.len(), 2);
    for id in &ed.cursor.selection.nodes {
        let p = ed.map().placement(id).unwrap();
        assert!((p.x - 1000.0).abs() < 300.0, "{p:?}");
    }
    ed.paste_text("not cards at all", true);
    assert!(ed.status.as_ref().unwrap().text.contains("no Missionboard cards"));
    assert_eq!(ed.map().node_count(), 4);
}

#[test]
fn duplicate_places_copies_beside_the_originals() {
    let (mut ed, m, _) = small();
    select(&mut ed, &m);
    ed.perform(Action::Duplicate);
    assert_eq!(ed.map().node_count(), 3);
    let copy = ed.cursor.selection.nodes.iter().next().cloned().unwrap();
    assert_ne!(copy, m);
    let (a, b) = (ed.map().placement(&m).unwrap(), ed.map().placement(&copy).unwrap());
    assert_eq!((b.x - a.x, b.y - a.y), (40.0, 40.0));
}

#[test]
fn align_and_distribute_move_only_the_selection_in_one_step() {
    let mut map = MissionMap::new("Test");
    let ids: Vec<NodeId> = [(0.0, 0.0), (500.0, 90.0), (120.0, 300.0)]
        .iter()
        .map(|&(x, y)| map.create_node(Kind::Intervention, "I", Placement::at(x, y)).unwrap())
        .collect();
    let mut ed = Editor::new(map, Settings::default());
    ed.cursor.selection.nodes = ids.iter().cloned().collect();
    ed.perform(Action::AlignTop);
    let ys: Vec<f32> = ids.iter().map(|id| ed.map().placement(id).unwrap().y).collect();
    assert!(ys.iter().all(|y| (*y - ys[0]).abs() < 0.01), "{ys:?}");
    ed.perform(Action::DistributeHorizontally);
    let mut xs: Vec<f32> = ids.iter().map(|id| ed.map().placement(id).unwrap().x).collect();
    xs.sort_by(f32::total_cmp);
    assert!(((xs[1] - xs[0]) - (xs[2] - xs[1])).abs() < 0.01, "{xs:?}");
    ed.perform(Action::Undo);
    ed.perform(Action::Undo);
    assert_eq!(ed.map().placement(&ids[1]).unwrap().y, 90.0, "two steps undo both");
    ed.cursor.selection.nodes = [ids[0].clone()].into_iter().collect();
    ed.perform(Action::AlignLeft);
    assert!(ed.status.as_ref().unwrap().text.contains("two or more"));
}

#[test]
fn a_run_of_nudges_is_one_undo_step_and_ends_at_the_next_other_edit() {
    let (mut ed, m, _) = small();
    select(&mut ed, &m);
    for _ in 0..5 {
        ed.nudge(10.0, 0.0);
    }
    assert_eq!(ed.map().placement(&m).unwrap().x, 50.0);
    ed.commit_edit();
    ed.perform(Action::Undo);
    assert_eq!(ed.map().placement(&m).unwrap().x, 0.0, "one step");
}

#[test]
fn typing_a_title_is_one_step_and_an_empty_title_gets_a_readable_one() {
    let (mut ed, m, _) = small();
    select(&mut ed, &m);
    for t in ["C", "Cl", "Cle", "Clean"] {
        ed.canvas(CanvasEvent::TitleEdited { id: m.clone(), title: t.to_owned() });
    }
    ed.canvas(CanvasEvent::TitleEditEnded);
    assert_eq!(ed.map().node(&m).unwrap().title, "Clean");
    ed.perform(Action::Undo);
    assert_eq!(ed.map().node(&m).unwrap().title, "Net zero", "the whole word in one step");
    ed.canvas(CanvasEvent::TitleEdited { id: m.clone(), title: "  ".to_owned() });
    ed.canvas(CanvasEvent::TitleEditEnded);
    assert_eq!(ed.map().node(&m).unwrap().title, "Untitled mission");
}

#[test]
fn a_drag_is_one_undo_step_and_holds_back_the_checks() {
    let (mut ed, m, _) = small();
    ed.canvas(CanvasEvent::MoveStarted);
    assert!(ed.dragging());
    for x in [10.0, 20.0, 30.0] {
        ed.canvas(CanvasEvent::Moved(vec![(m.clone(), Placement::at(x, 0.0))]));
    }
    ed.canvas(CanvasEvent::MoveEnded);
    assert!(!ed.dragging());
    assert_eq!(ed.doc.undo_label(), Some("Move cards"));
    ed.perform(Action::Undo);
    assert_eq!(ed.map().placement(&m).unwrap().x, 0.0);

    // The checks, as the shell asks for them each frame, on a map large enough to be checked on a
    // worker: none starts while the cards move, and they run again once the drag ends.
    let mut ed = Editor::new(crate::sample::generate::map(derived::CHECK_ON_THE_SPOT + 100, 3), Settings::default());
    let mut checks = derived::Derived::default();
    checks.checks_state(&ed.doc, ed.dragging());
    checks.settle();
    assert!(!checks.checks_state(&ed.doc, ed.dragging()).1, "the findings are current before the drag");
    let card = ed.map().sorted_nodes()[0].id.clone();
    ed.canvas(CanvasEvent::MoveStarted);
    for x in [10.0, 20.0, 30.0] {
        ed.canvas(CanvasEvent::Moved(vec![(card.clone(), Placement::at(x, 0.0))]));
        let (_, updating) = checks.checks_state(&ed.doc, ed.dragging());
        assert!(!updating, "no checks run while the cards move");
    }
    ed.canvas(CanvasEvent::MoveEnded);
    assert!(checks.checks_state(&ed.doc, ed.dragging()).1, "the drag is over: the checks run on the new map");
    checks.settle();
}

#[test]
fn inspector_edits_of_one_field_group_and_another_field_starts_a_new_step() {
    let (mut ed, m, _) = small();
    let field = |w| EditGroup::Field { of: FieldOf::Card(m.clone()), widget: w };
    let titled = |ed: &Editor, t: &str| {
        let mut n = ed.map().node(&m).unwrap().clone();
        t.clone_into(&mut n.title);
        Command::UpdateNode(n)
    };
    for t in ["A", "AB"] {
        let command = titled(&ed, t);
        ed.edit(Edit { group: field(1), label: "Edit mission".to_owned(), command });
    }
    assert!(ed.editing_field());
    let command = titled(&ed, "ABC");
    ed.edit(Edit { group: field(2), label: "Edit mission".to_owned(), command });
    ed.commit_edit();
    ed.perform(Action::Undo);
    assert_eq!(ed.map().node(&m).unwrap().title, "AB");
    ed.perform(Action::Undo);
    assert_eq!(ed.map().node(&m).unwrap().title, "Net zero");
}

#[test]
fn alt_arrows_walk_along_the_links() {
    let (mut ed, m, s) = small();
    ed.navigate(Toward::Up, false);
    assert_eq!(ed.cursor.focus.as_ref(), Some(&m), "with nothing focused, start at a mission");
    ed.navigate(Toward::Down, false);
    assert_eq!(ed.cursor.focus.as_ref(), Some(&s));
    assert_eq!(ed.status.as_ref().unwrap().text, "Sub-mission: Clean power", "the card is read out");
    ed.navigate(Toward::Down, false);
    assert!(ed.status.as_ref().unwrap().text.contains("Tab adds one"));
    ed.navigate(Toward::Up, true);
    assert_eq!(ed.cursor.selection.nodes.len(), 2, "Shift extends the selection");
}

#[test]
fn pin_toggles_and_layout_keeps_pinned_cards_and_asks_for_a_glide() {
    let (mut ed, m, s) = small();
    select(&mut ed, &m);
    ed.perform(Action::TogglePin);
    assert!(ed.map().placement(&m).unwrap().pinned);
    ed.cursor.selection = Selection::default();
    ed.canvas(CanvasEvent::Moved(vec![(s.clone(), Placement::at(3000.0, 3000.0))]));
    ed.perform(Action::Layout);
    assert_eq!(ed.map().placement(&m).unwrap().x, 0.0, "pinned stays");
    assert_ne!(ed.map().placement(&s).unwrap().x, 3000.0, "the rest moves");
    let out = ed.take_outcome();
    assert_eq!(out.reveal, Some(Reveal::Fit));
    assert!(matches!(&out.effects[..], [Effect::Glide(before)] if before.len() == 2));
    ed.perform(Action::LayoutSelection);
    assert!(ed.status.as_ref().unwrap().text.contains("two or more"));
}

#[test]
fn captured_ideas_become_linked_cards_under_the_target_in_one_step() {
    let (mut ed, _, s) = small();
    let ideas = vec!["Heat pumps".to_owned(), "Insulation".to_owned()];
    ed.capture(&ideas, Some(s.clone()));
    assert_eq!(ed.map().node_count(), 4);
    let new: Vec<NodeId> = ed.map().links_to(&s).map(|l| l.from.clone()).collect();
    match ed.take_outcome().reveal {
        Some(Reveal::Cards(cards)) => assert!(new.iter().all(|id| cards.contains(id)), "the new cards are shown"),
        other => panic!("captured cards are brought into view: {other:?}"),
    }
    assert_eq!(ed.map().links_to(&s).count(), 2, "each serves the sub-mission");
    assert_eq!(ed.status.as_ref().unwrap().text, "Added 2 interventions.");
    ed.perform(Action::Undo);
    assert_eq!(ed.map().node_count(), 2);
}

#[test]
fn parked_ideas_are_kept_in_the_file_and_placed_where_dropped() {
    let (mut ed, ..) = small();
    ed.workshop_event(WorkshopEvent::Park(vec!["Community energy".to_owned()]));
    assert_eq!(ed.map().workshop.parking.len(), 1);
    ed.workshop_event(WorkshopEvent::Place { index: 0, at: Some(Point { x: 700.0, y: 50.0 }) });
    assert!(ed.map().workshop.parking.is_empty());
    let id = ed.cursor.selection.single_node().cloned().unwrap();
    let p = ed.map().placement(&id).unwrap();
    assert_eq!((p.x, p.y), (700.0, 50.0));
    assert_eq!(ed.map().node(&id).unwrap().title, "Community energy");
    ed.perform(Action::Undo);
    assert_eq!(ed.map().workshop.parking.len(), 1, "placing is one step: the idea goes back");
}

#[test]
fn findings_are_shown_dismissed_and_brought_back() {
    let (mut ed, m, _) = small();
    let checked = crate::model::analysis::run_checks(ed.map());
    let f = checked.open.iter().find(|f| f.cards.contains(&m)).cloned().unwrap();
    ed.checks_event(ChecksEvent::Show(f.clone()));
    assert!(ed.cursor.selection.nodes.contains(&m));
    assert!(matches!(ed.take_outcome().reveal, Some(Reveal::Cards(c)) if c == f.cards));
    ed.checks_event(ChecksEvent::Dismiss { key: f.key.clone(), reason: "Agreed at board".to_owned() });
    assert!(ed.map().dismissals.contains_key(&f.key));
    assert!(ed.take_outcome().effects.contains(&Effect::FocusCanvas));
    ed.checks_event(ChecksEvent::Restore { key: f.key.clone() });
    assert!(!ed.map().dismissals.contains_key(&f.key));
}

#[test]
fn toggles_change_the_remembered_settings_and_view_actions_are_left_to_the_shell() {
    let (mut ed, ..) = small();
    let before = ed.settings.show_inspector;
    assert!(ed.perform(Action::ToggleInspector));
    assert_ne!(ed.settings.show_inspector, before);
    assert!(ed.perform(Action::TogglePathways));
    assert!(ed.status.as_ref().unwrap().text.contains("select a card"));
    for a in [Action::ZoomIn, Action::Save, Action::Present, Action::Copy, Action::Find] {
        assert!(!ed.perform(a), "{a:?} is the shell's");
    }
}

#[test]
fn select_all_then_undo_after_save_meta_keeps_the_edit_history() {
    let (mut ed, m, _) = small();
    select(&mut ed, &m);
    ed.nudge(5.0, 0.0);
    ed.commit_edit();
    let mut meta = ed.map().meta.clone();
    meta.title = "Saved".to_owned();
    ed.doc.set_saved_meta(meta);
    ed.doc.mark_saved();
    assert_eq!(ed.doc.undo_label(), Some("Nudge"), "saving made no undo step");
    ed.perform(Action::SelectAll);
    assert_eq!(ed.cursor.selection.nodes.len(), 2);
}

#[test]
fn nothing_in_the_core_names_egui() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/editor");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            assert!(
                !code.contains("egui")
                    && !code.contains("eframe")
                    && !code.contains("crate::ui")
                    && !code.contains("crate::app"),
                "{}:{} names the window layer: {line}",
                path.display(),
                i + 1
            );
        }
        checked += 1;
    }
    assert!(checked >= 6, "looked at {checked} files");
}

#[test]
fn handle_runs_every_kind_of_request_and_gives_back_the_shells() {
    let (mut ed, m, s) = small();
    assert_eq!(ed.handle(Intent::Do(Action::Save)), Some(Action::Save), "files are the shell's");
    assert_eq!(ed.handle(Intent::Do(Action::SelectAll)), None);
    for text in ["P", "Po"] {
        assert_eq!(ed.handle(Intent::TypeOnto { id: m.clone(), text: text.to_owned() }), None);
    }
    assert_eq!(ed.map().node(&m).unwrap().title, "Po");
    assert_eq!(ed.cursor.editing.as_ref().map(|e| e.text.as_str()), Some("Po"), "the title editor opens with it");
    ed.commit_edit();
    ed.handle(Intent::Do(Action::Undo));
    assert_eq!(ed.map().node(&m).unwrap().title, "Net zero", "typing onto a card is one step");
    ed.handle(Intent::Show(vec![m.clone(), s.clone()]));
    assert_eq!(ed.cursor.selection.nodes.len(), 2);
    assert_eq!(ed.status.as_ref().unwrap().text, "2 cards selected.");
    ed.cursor.selection.set_node(s.clone());
    ed.handle(Intent::Nudge { dx: 0.0, dy: 10.0 });
    assert_eq!(ed.map().placement(&s).unwrap().y, 210.0);
    ed.handle(Intent::Navigate { toward: Toward::Up, extend: false });
    assert_eq!(ed.cursor.focus.as_ref(), Some(&m));
    ed.handle(Intent::Workshop(WorkshopEvent::Compare(Some(0))));
    assert_eq!(ed.take_outcome().effects, vec![Effect::Compare(Some(0))], "comparing is drawn by the shell");
}

#[test]
fn laying_out_for_the_screen_fills_the_canvas_shape_and_pages_their_own() {
    let aspect_after = |ed: &mut Editor| {
        ed.auto_layout(false);
        let [x0, y0, x1, y1] = ed.map().bounds().unwrap();
        (x1 - x0) / (y1 - y0)
    };
    let map = crate::sample::generate::map(400, 7);
    // A tall, narrow canvas (a window snapped to half a screen) and a wide one.
    let mut ed = Editor::new(map.clone(), Settings::default());
    ed.view_aspect = Some(0.8);
    let narrow = aspect_after(&mut ed);
    ed.view_aspect = Some(2.4);
    let wide = aspect_after(&mut ed);
    assert!(narrow < 1.3 && wide > 1.8, "narrow canvas {narrow:.2}, wide canvas {wide:.2}");
    // A page target ignores the canvas.
    let mut ed =
        Editor::new(map.clone(), Settings { layout_target: crate::layout::Target::A3Portrait, ..Settings::default() });
    ed.view_aspect = Some(2.4);
    let portrait = aspect_after(&mut ed);
    assert!(portrait < 1.0, "A3 portrait {portrait:.2}");
    let moved = map.nodes().filter(|n| ed.map().placement(&n.id) != map.placement(&n.id)).count();
    assert!(moved > map.node_count() / 2, "the layout moved most cards ({moved})");
    // One undo takes the whole layout back: every card where it was, and nothing left to undo.
    ed.perform(Action::Undo);
    for n in map.nodes() {
        assert_eq!(ed.map().placement(&n.id), map.placement(&n.id), "{} is back", n.id);
    }
    assert!(!ed.doc.can_undo(), "the layout was one step");
}

#[test]
fn a_cards_links_are_said_in_words_outgoing_first() {
    let (mut ed, m, s) = small();
    let mut map = ed.map().clone();
    let iv = map.create_node(Kind::Intervention, "Grid upgrades", Placement::at(0.0, 400.0)).unwrap();
    map.connect(&iv, &s, LinkKind::ContributesTo).unwrap();
    ed = Editor::new(map, Settings::default());
    assert_eq!(
        card_links_text(ed.map(), &s),
        "Contributes to Mission: Net zero; Intervention: Grid upgrades contributes to this"
    );
    assert_eq!(card_links_text(ed.map(), &m), "Sub-mission: Clean power contributes to this");
    let lone = {
        let mut map = ed.map().clone();
        let p = map.create_node(Kind::Partner, "Ofgem", Placement::at(500.0, 0.0)).unwrap();
        card_links_text(&map, &p)
    };
    assert_eq!(lone, "No links");
    let link = ed.map().links_from(&iv).next().unwrap();
    assert_eq!(link_label(ed.map(), link), "Intervention: Grid upgrades contributes to Sub-mission: Clean power");
}

#[test]
fn the_projector_preset_remembers_what_it_replaced() {
    use crate::style::Theme;
    let (mut ed, ..) = small();
    ed.perform(Action::Theme(Theme::Dark));
    ed.perform(Action::TextLarger);
    assert_eq!((ed.settings.theme, ed.settings.ui_scale), (Theme::Dark, 1.25));
    ed.perform(Action::ProjectorPreset);
    assert_eq!((ed.settings.theme, ed.settings.ui_scale), (Theme::Projector, 1.5));
    assert_eq!(Action::ProjectorPreset.is_on(&ed.settings), Some(true));
    assert_eq!(Action::Theme(Theme::Dark).is_on(&ed.settings), Some(false));
    ed.perform(Action::ProjectorPreset);
    assert_eq!((ed.settings.theme, ed.settings.ui_scale), (Theme::Dark, 1.25), "back as it was");
    // Larger text stays larger: the preset only ever raises it.
    ed.settings.ui_scale = 2.0;
    ed.perform(Action::ProjectorPreset);
    assert!((ed.settings.ui_scale - 2.0).abs() < 1e-6);
    // Choosing a theme while the preset is on forgets what it would have gone back to.
    ed.perform(Action::Theme(Theme::HighContrast));
    assert_eq!(ed.settings.before_projector, None);
    assert_eq!(ed.settings.theme, Theme::HighContrast);
}

#[test]
fn a_vote_over_the_rounds_budget_is_refused_with_the_reason_and_can_be_taken_back() {
    let (mut ed, m, s) = small();
    let mut w = ed.map().workshop.clone();
    w.votes.push(crate::model::workshop::VoteRound {
        name: "Priorities".to_owned(),
        votes_each: 2,
        participants: 2,
        ..Default::default()
    });
    ed.apply("Start", Command::SetWorkshop(w));
    let vote = |ed: &mut Editor, card: &NodeId, up: bool| {
        ed.workshop_event(WorkshopEvent::Vote { round: 0, card: card.clone(), up });
    };
    for card in [&m, &s, &s, &m] {
        vote(&mut ed, card, true);
    }
    assert_eq!(ed.map().workshop.votes[0].cast(), 4);
    assert_eq!(ed.map().workshop.votes[0].left(), Some(0));
    let steps = ed.doc.revision();
    vote(&mut ed, &s, true);
    assert_eq!(ed.map().workshop.votes[0].cast(), 4, "a fifth vote of 2 × 2 is refused");
    assert_eq!(ed.doc.revision(), steps, "and changes nothing");
    let refused = ed.out.refused.clone().unwrap_or_default();
    assert!(refused.contains("All 4 votes") && refused.contains("take one back"), "{refused}");
    vote(&mut ed, &s, false);
    assert_eq!(ed.map().workshop.votes[0].tally.get(&s), Some(&1), "a dot can be taken back");
    vote(&mut ed, &s, true);
    assert_eq!(ed.map().workshop.votes[0].cast(), 4, "and cast again");
}

#[test]
fn a_failure_message_goes_once_a_later_change_succeeds_and_the_empty_map_hint_once_a_card_is_there() {
    let mut ed = Editor::new(MissionMap::new("Blank"), Settings::default());
    ed.say("New blank map. Press Ctrl+1 to add a mission.");
    if let Some(s) = ed.status.as_mut() {
        s.while_empty = true;
    }
    ed.refresh_status();
    assert!(ed.status.is_some(), "still true while the map is empty");
    ed.add_at_centre(Kind::Mission);
    ed.commit_edit();
    ed.refresh_status();
    assert!(ed.status.as_ref().is_none_or(|s| !s.text.contains("Press Ctrl+1")), "{:?}", ed.status);
    ed.warn("Could not read /tmp: that is a folder, not a file");
    ed.add_at_centre(Kind::SubMission);
    assert!(ed.status.as_ref().is_none_or(|s| !s.error), "a later success clears the red message: {:?}", ed.status);
}

#[test]
fn text_typed_after_add_a_card_goes_into_its_title_in_one_undo_step() {
    let (mut ed, _, _) = small();
    let before = ed.map().node_count();
    ed.handle(Intent::Do(Action::AddCard(Kind::Partner)));
    let id = ed.cursor.editing.as_ref().map(|e| e.id.clone()).unwrap();
    ed.cursor.editing.as_mut().unwrap().started = true; // the title editor was drawn once
    ed.handle(Intent::TypeIntoTitle { text: "Ofg".to_owned(), end: false });
    let edit = ed.cursor.editing.as_ref().unwrap();
    assert_eq!((edit.text.as_str(), edit.started), ("Ofg", false), "the editor opens again, after the text");
    ed.handle(Intent::TypeIntoTitle { text: "em".to_owned(), end: true });
    assert_eq!(ed.map().node(&id).unwrap().title, "Ofgem");
    assert!(ed.cursor.editing.is_none(), "Enter ended the title");
    ed.handle(Intent::Do(Action::Undo));
    assert_eq!(ed.map().node(&id).unwrap().title, "New partner", "the typing is one undo step");
    ed.handle(Intent::Do(Action::Undo));
    assert_eq!(ed.map().node_count(), before);
    // With no title being typed, the text goes nowhere.
    ed.handle(Intent::TypeIntoTitle { text: "lost".to_owned(), end: true });
    assert_eq!(ed.map().node_count(), before);
}
