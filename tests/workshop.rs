//! Workshop mode driven as a facilitator would: presenting step by step, quick capture, dot voting,
//! the timer on a mocked clock, the parking lot and what changed since a session snapshot.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::model::{Kind, LinkKind, MissionMap, Node, NodeId, Placement};
use missionboard::sample;
use missionboard::ui::actions::Action;

mod common;

const CTRL_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

fn harness(map: MissionMap, step_dt: f32) -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 720.0)).with_step_dt(step_dt).build_eframe(move |cc| {
        let mut app = MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default());
        app.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        app
    });
    h.run_steps(3);
    h
}

fn action(h: &mut Harness<'_, MissionboardApp>, a: Action) {
    let ctx = h.ctx.clone();
    h.state_mut().run_action(&ctx, a);
    h.run_steps(3);
}

fn id(s: &str) -> NodeId {
    NodeId::new(s).unwrap()
}

/// A mission with a sub-mission and an intervention.
fn small() -> MissionMap {
    let mut m = MissionMap::new("Workshop");
    m.add_node(Node::new(id("m1"), Kind::Mission, "Clean power"), Placement::at(0.0, 0.0)).unwrap();
    m.add_node(Node::new(id("s2"), Kind::SubMission, "Grid ready"), Placement::at(0.0, 200.0)).unwrap();
    m.add_node(Node::new(id("i3"), Kind::Intervention, "Connections reform"), Placement::at(0.0, 400.0)).unwrap();
    m.connect(&id("s2"), &id("m1"), LinkKind::ContributesTo).unwrap();
    m.connect(&id("i3"), &id("s2"), LinkKind::ContributesTo).unwrap();
    m
}

fn dimmed(h: &Harness<'_, MissionboardApp>) -> Vec<String> {
    let mut v: Vec<String> =
        h.state().dimmed_cards().map(|d| d.iter().map(ToString::to_string).collect()).unwrap_or_default();
    v.sort();
    v
}

#[test]
fn present_mode_steps_forwards_and_back_revealing_a_pathway() {
    let mut map = small();
    map.add_node(Node::new(id("m4"), Kind::Mission, "Safer streets"), Placement::at(600.0, 0.0)).unwrap();
    map.add_node(Node::new(id("p5"), Kind::Partner, "Ofgem"), Placement::at(0.0, 600.0)).unwrap();
    map.connect(&id("p5"), &id("i3"), LinkKind::Delivers).unwrap();
    let mut h = harness(map, 1.0 / 60.0);
    h.key_press(Key::F5);
    h.run_steps(3);
    // The overview, then four reveals per mission, missions left to right.
    assert_eq!(h.state().presenting(), Some((0, 9, "Workshop".to_owned())));
    assert!(h.state().dimmed_cards().is_none(), "the overview shows everything");
    assert!(h.query_by_label("File").is_none(), "editing chrome is hidden");

    h.key_press(Key::ArrowRight);
    h.run_steps(3);
    assert_eq!(h.state().presenting().unwrap().2, "Clean power \u{2014} the mission (1 of 4)");
    assert_eq!(dimmed(&h), ["i3", "m4", "p5", "s2"]);
    h.key_press(Key::PageDown); // a presentation clicker
    h.run_steps(3);
    assert_eq!(dimmed(&h), ["i3", "m4", "p5"]);
    h.key_press(Key::Space);
    h.run_steps(3);
    assert_eq!(dimmed(&h), ["m4", "p5"]);
    h.key_press(Key::ArrowRight);
    h.run_steps(3);
    assert_eq!(dimmed(&h), ["m4"], "partners come last");
    h.key_press(Key::ArrowLeft);
    h.run_steps(3);
    assert_eq!(dimmed(&h), ["m4", "p5"], "backwards hides the partners again");
    h.key_press(Key::PageUp);
    h.run_steps(3);
    assert_eq!(h.state().presenting().unwrap().0, 2);
    h.key_press(Key::End);
    h.run_steps(3);
    assert_eq!(h.state().presenting().unwrap().2, "Safer streets \u{2014} the partners (4 of 4)");
    // The notes strip shows what comes next.
    h.key_press(Key::Home);
    h.run_steps(2);
    h.key_press(Key::N);
    h.run_steps(3);
    h.get_by_label("Next: Clean power \u{2014} the mission (1 of 4)");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.state().presenting().is_none());
    h.get_by_label("File");
}

#[test]
fn quick_capture_turns_three_lines_into_three_linked_cards() {
    let mut h = harness(small(), 1.0 / 60.0);
    h.get_by_label("Sub-mission: Grid ready").click();
    h.run_steps(2);
    h.key_press_modifiers(CTRL_SHIFT, Key::Q);
    h.run_steps(3);
    for idea in ["Grid connection grants", "Planning fast track", "Skills for electricians"] {
        h.get_by_label("Ideas:").type_text(idea);
        h.run_steps(1);
        h.key_press(Key::Enter);
        h.run_steps(2);
    }
    let map = h.state().map();
    let new: Vec<&Node> = map.nodes().filter(|n| n.kind() == Kind::Intervention && n.id != id("i3")).collect();
    assert_eq!(new.len(), 3);
    for n in new {
        let links: Vec<_> = map.links_from(&n.id).collect();
        assert_eq!(links.len(), 1, "{}", n.title);
        assert_eq!(links[0].to, id("s2"));
        assert_eq!(links[0].kind, LinkKind::ContributesTo);
    }
    // No two cards overlap: each was placed in a free spot beside the sub-mission.
    // Whole cards, not centres: two cards 10 px apart overlap as much as two on the same spot.
    let cards: Vec<(String, Placement, (f32, f32))> =
        h.state().map().nodes_with_placement().map(|(n, p)| (n.id.to_string(), p, n.card_size())).collect();
    for (i, (a, pa, (wa, ha))) in cards.iter().enumerate() {
        for (b, pb, (wb, hb)) in &cards[i + 1..] {
            let apart = (pa.x - pb.x).abs() >= (wa + wb) / 2.0 || (pa.y - pb.y).abs() >= (ha + hb) / 2.0;
            assert!(apart, "{a} at {pa:?} overlaps {b} at {pb:?}");
        }
    }
    // Pasting several lines is one capture; leaving the box (Esc), one undo takes it all back.
    h.get_by_label("Ideas:").type_text("Heat networks\nCommunity energy\n");
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 3 + 3 + 2);
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 3 + 3, "one undo step per capture");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().map().node_count(), 3 + 2, "then the ideas typed one by one, one at a time");
}

#[test]
fn ideas_can_be_parked_and_placed_later() {
    let mut h = harness(small(), 1.0 / 60.0);
    h.key_press_modifiers(CTRL_SHIFT, Key::Q);
    h.run_steps(3);
    h.get_by_label("Ideas:").type_text("Community energy");
    h.run_steps(2);
    h.get_by_label("Park").click();
    h.run_steps(3);
    assert_eq!(h.state().map().workshop.parking.len(), 1);
    assert!(missionboard::io::to_string(h.state().map()).contains("Community energy"), "kept in the file");
    action(&mut h, Action::ParkingLot);
    h.get_by_label("Sub-mission: Grid ready").click();
    h.run_steps(2);
    h.get_by_label("Place: Community energy").click();
    h.run_steps(3);
    let map = h.state().map();
    assert!(map.workshop.parking.is_empty());
    let placed = map.nodes().find(|n| n.title == "Community energy").unwrap();
    assert_eq!(placed.kind(), Kind::Intervention, "placed under the selected sub-mission");
    assert_eq!(map.links_from(&placed.id).next().unwrap().to, id("s2"));
}

#[test]
fn dot_votes_are_tallied_ranked_and_kept_by_round() {
    let mut h = harness(small(), 1.0 / 60.0);
    h.key_press_modifiers(CTRL_SHIFT, Key::V);
    h.run_steps(3);
    let name = h.get_by_label("New round:");
    name.focus();
    name.type_text("Which first?");
    h.run_steps(2);
    h.get_by_label("Start round").click();
    h.run_steps(3);
    h.get_by_label("Intervention: Connections reform").click();
    h.run_steps(2);
    for _ in 0..3 {
        h.key_press(Key::Plus);
        h.run_steps(1);
    }
    h.key_press(Key::Minus);
    h.run_steps(2);
    h.get_by_label("Sub-mission: Grid ready").click();
    h.run_steps(2);
    h.get_by_label("+1 vote").click();
    h.run_steps(3);
    let round = &h.state().map().workshop.votes[0];
    assert_eq!(round.name, "Which first?");
    assert_eq!(round.tally.get(&id("i3")), Some(&2));
    assert_eq!(round.tally.get(&id("s2")), Some(&1));
    assert_eq!(round.ranking()[0].0, id("i3"));
    // The badge is part of the card's accessible name, and the ranked list shows the counts.
    h.get_by_label("Intervention: Connections reform (2 votes)");
    h.get_by_label("2 votes");
    assert!(missionboard::io::to_string(h.state().map()).contains("Which first?"));
    // A second round starts from zero; the first is kept.
    h.get_by_label("Start round").click();
    h.run_steps(3);
    assert_eq!(h.state().map().workshop.votes.len(), 2);
    h.get_by_label("Intervention: Connections reform");
}

#[test]
fn the_timer_counts_down_on_the_clock_and_marks_the_end() {
    // Each step moves egui's clock a quarter of a second: a mocked time (a click must stay shorter
    // than egui's 0.8 s, so steps cannot be whole seconds).
    let mut h = harness(small(), 0.25);
    h.key_press_modifiers(CTRL_SHIFT, Key::T);
    h.run_steps(2);
    h.get_by_label("3 min").click();
    h.run_steps(1);
    h.get_by_label("Start").click();
    h.run_steps(240);
    let t = h.state().timer().clone();
    let now = h.ctx.input(|i| i.time);
    assert!(t.running());
    assert!((119.0..=121.0).contains(&t.left(now)), "{}", t.left(now));
    h.get_by_label("Pause").click();
    h.run_steps(120);
    let now = h.ctx.input(|i| i.time);
    assert!((119.0..=121.0).contains(&h.state().timer().left(now)), "paused");
    h.get_by_label("+1 minute").click();
    h.get_by_label("Start").click();
    h.run_steps(740);
    h.get_by_label("Time is up");
    h.get_by_label("Reset").click();
    h.run_steps(2);
    h.get_by_label("Timer 03:00");
}

#[test]
fn what_changed_since_a_session_snapshot() {
    let mut h = harness(small(), 1.0 / 60.0);
    action(&mut h, Action::Sessions);
    let name = h.get_by_label("Session name:");
    name.focus();
    name.type_text("Board meeting 3");
    h.run_steps(2);
    h.get_by_label("Mark the end of this session").click();
    h.run_steps(3);
    assert_eq!(h.state().map().workshop.snapshots[0].name, "Board meeting 3");
    // The next session: one card renamed, one removed, one added.
    h.get_by_label("Intervention: Connections reform").click();
    h.run_steps(2);
    h.key_press(Key::Delete);
    h.run_steps(2);
    h.get_by_label("Mission: Clean power").click();
    h.run_steps(2);
    h.key_press(Key::F2);
    h.run_steps(2);
    h.get_by_label("Card title").type_text(" by 2030");
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num4);
    h.run_steps(2);
    h.get_by_label("Card title").type_text("Ofgem");
    h.key_press(Key::Enter);
    h.run_steps(2);
    h.get_by_label_contains("Board meeting 3").click();
    h.run_steps(3);
    h.get_by_label("Cards added (1)");
    h.get_by_label("Cards edited (1)");
    h.get_by_label("Cards removed (1)");
    h.get_by_label("\u{2013} Connections reform");
    // Saved in the file, the snapshot gives the same answer after reopening.
    let text = missionboard::io::to_string(h.state().map());
    let reopened = missionboard::io::load_str(&text).unwrap().map;
    let d = missionboard::model::workshop::since(&reopened.workshop.snapshots[0], &reopened);
    assert_eq!((d.added.len(), d.edited.len(), d.removed.len()), (1, 1, 1));
}

#[test]
fn the_mazzucato_template_is_a_mission_map() {
    let map = sample::mazzucato();
    let checked = missionboard::model::analysis::run_checks(&map);
    let nowhere = checked
        .open
        .iter()
        .filter(|f| f.check == missionboard::model::analysis::Check::InterventionLeadsNowhere)
        .count();
    assert_eq!(nowhere, 0, "every project serves a mission");
    assert_eq!(map.count_by_kind().map(|(_, n)| n), [2, 0, 6, 6]);
    let mut h = harness(sample::blank(), 1.0 / 60.0);
    action(&mut h, Action::NewFromMazzucato);
    assert!(h.state().map().meta.title.starts_with("Grand challenge"));
}

#[test]
fn a_parked_idea_dragged_onto_the_map_lands_where_it_is_dropped() {
    let mut map = small();
    map.workshop.parking.push(missionboard::model::workshop::ParkedIdea::typed(
        "Heat networks".to_owned(),
        Some(Kind::Intervention),
        None,
    ));
    let mut h = harness(map, 1.0 / 60.0);
    action(&mut h, Action::ParkingLot);
    let from = h.get_by_label("Heat networks").rect().center();
    let to = egui::pos2(700.0, 600.0);
    common::drag(&mut h, from, to);
    h.run_steps(1);
    let map = h.state().map();
    assert!(map.workshop.parking.is_empty(), "the idea left the parking lot");
    let (card, place) =
        map.nodes_with_placement().find(|(n, _)| n.title == "Heat networks").expect("placed on the map");
    assert_eq!(card.kind(), Kind::Intervention);
    // Where it was dropped: the screen point maps back onto the card's centre.
    let view = h.state().view();
    let on_screen = view.to_screen(egui::Pos2::ZERO, egui::pos2(place.x, place.y));
    assert!((on_screen.x - to.x).abs() < 40.0 && on_screen.y > 0.0, "{on_screen:?}");
}

/// Present mode says each mission's status (computed from its readings) beside its name.
#[test]
fn present_mode_shows_each_missions_status() {
    let mut h = harness(sample::uk_missions(), 1.0 / 60.0);
    h.key_press(Key::F5);
    h.run_steps(3);
    h.key_press(Key::ArrowRight);
    h.run_steps(3);
    let step = h.state().presenting().unwrap().0;
    assert_eq!(step, 1);
    assert!(
        h.query_all_by_value("Build an NHS fit for the future \u{2014} the mission (1 of 4) \u{2014} on track")
            .next()
            .is_some()
    );
}

/// The workshop windows open beside the map, at the canvas's right edge, never over the menus,
/// the toolbar's Add buttons or the inspector (the rehearsal found the Timer over File–Workshop
/// and the Add buttons).
#[test]
fn workshop_windows_open_beside_the_map_not_over_the_menus_or_the_toolbar() {
    let mut h = harness(sample::uk_missions(), 1.0 / 60.0);
    for a in [Action::Timer, Action::Voting, Action::ParkingLot] {
        action(&mut h, a);
    }
    h.run_steps(3);
    let toolbar_bottom = ["Workshop", "Mission", "Partner", "Zoom to fit"]
        .iter()
        .map(|l| h.get_by_label(l).rect().bottom())
        .fold(0.0f32, f32::max);
    let inspector_left = h.get_by_label("Map title").rect().left();
    for title in ["Timer", "Dot voting", "Parking lot"] {
        let r = h.get_by_label(title).rect();
        assert!(
            r.top() >= toolbar_bottom,
            "{title} at {r:?} covers the menus or the toolbar (bottom {toolbar_bottom})"
        );
        assert!(r.right() <= inspector_left + 1.0, "{title} at {r:?} covers the inspector (left {inspector_left})");
    }
}

fn harness_with_settings(map: MissionMap, settings: Settings) -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 720.0)).build_eframe(move |cc| {
        let mut app = MissionboardApp::with_map(&cc.egui_ctx, map, settings);
        app.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        app
    });
    h.run_steps(3);
    h
}

/// At 150 % text a long heading wraps beside the step counter and the timer, never under them
/// (the rehearsal saw "…the interventions (3 of 4)" cover "4 / 5" and the timer).
#[test]
fn the_present_heading_never_runs_into_the_step_counter_or_the_timer() {
    let long = "Make Britain a clean energy superpower with homes warm and bills low";
    let mut map = MissionMap::new("Workshop");
    map.add_node(Node::new(id("m1"), Kind::Mission, long), Placement::at(0.0, 0.0)).unwrap();
    map.add_node(Node::new(id("s2"), Kind::SubMission, "Grid ready"), Placement::at(0.0, 200.0)).unwrap();
    map.connect(&id("s2"), &id("m1"), LinkKind::ContributesTo).unwrap();
    let settings = Settings { ui_scale: 1.5, ..Settings::default() };
    let mut h = harness_with_settings(map, settings);
    h.key_press(Key::F5);
    h.run_steps(3);
    h.key_press(Key::T); // the timer on
    for _ in 0..3 {
        h.key_press(Key::ArrowRight);
        h.run_steps(2);
    }
    h.run_steps(3);
    let caption = format!("{long} \u{2014} the interventions (3 of 4)");
    assert_eq!(h.state().presenting().unwrap().2, caption);
    let heading = h.get_by_label(&caption).rect();
    let counter = h.get_by_label("4 / 5").rect();
    let timer = h.get_by_label_contains("Timer ").rect();
    assert!(!heading.intersects(counter), "the heading {heading:?} runs into the step counter {counter:?}");
    assert!(!heading.intersects(timer), "the heading {heading:?} runs into the timer {timer:?}");
    assert!(heading.max.x <= counter.min.x, "the heading reaches past the counter");
}

/// Leaving present mode gives the editor back its view as it was (the map stayed panned with its
/// left column cut) and a status line that no longer says "Presenting".
#[test]
fn leaving_present_mode_restores_the_editors_view_and_status() {
    let mut h = harness(sample::uk_missions(), 1.0 / 60.0);
    h.run_steps(2);
    let before = h.state().view();
    h.key_press(Key::F5);
    h.run_steps(4);
    h.key_press(Key::ArrowRight);
    h.run_steps(4);
    assert_ne!(h.state().view(), before, "presenting frames the step");
    h.key_press(Key::Escape);
    h.run_steps(4);
    assert!(h.state().presenting().is_none());
    let after = h.state().view();
    assert!(
        (after.zoom - before.zoom).abs() < 1e-4 && (after.offset - before.offset).length() < 1.0,
        "the view was {before:?} before presenting, {after:?} after"
    );
    let status = h.state().status().map(|s| s.text.clone()).unwrap_or_default();
    assert!(!status.contains("Presenting"), "the status still says: {status}");
}

/// Esc closes the Progress window, as it closes every other window.
#[test]
fn escape_closes_the_progress_window() {
    let mut h = harness(sample::uk_missions(), 1.0 / 60.0);
    action(&mut h, Action::Progress);
    assert!(h.state().progress_open());
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(!h.state().progress_open(), "Esc left the Progress window open");
}
