//! A keyboard-only facilitator (issue 29): the timer starts and pauses from anywhere (F9, or "Start
//! or pause the timer" in Ctrl+K), and a voting round is named and started without the mouse.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};

mod common;
use common::palette;

fn window() -> Harness<'static, MissionboardApp> {
    let map = missionboard::sample::uk_missions();
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()))
}

/// Dot voting from the palette, the new round's name field clicked into and `name` typed.
fn start_naming_a_round(h: &mut Harness<'_, MissionboardApp>, name: &str) {
    palette(h, "Dot voting");
    h.get_by_label("New round:").click();
    h.run_steps(2);
    h.get_by_label("New round:").type_text(name);
    h.run_steps(1);
}

#[test]
fn the_timer_starts_and_pauses_from_the_keyboard_without_its_window() {
    let mut h = window();
    h.run_steps(3);
    assert!(!h.state().timer().running());
    h.key_press(Key::F9);
    h.run_steps(2);
    assert!(h.state().timer().running(), "F9 starts the timer");
    palette(&mut h, "Start or pause the timer");
    assert!(!h.state().timer().running(), "the palette's command pauses it");
    assert!(h.state().status().is_some_and(|s| s.text.contains("paused")));
}

#[test]
fn a_voting_round_is_named_and_started_with_enter() {
    let mut h = window();
    h.run_steps(3);
    let rounds = h.state().map().workshop.votes.len();
    start_naming_a_round(&mut h, "Which interventions first?");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let votes = &h.state().map().workshop.votes;
    assert_eq!(votes.len(), rounds + 1, "Enter started the round");
    assert_eq!(votes.last().map(|r| r.name.as_str()), Some("Which interventions first?"));
}

#[test]
fn escape_closes_an_open_menu() {
    let mut h = window();
    h.run_steps(3);
    h.get_by_label("File").click();
    h.run_steps(3);
    assert!(h.query_by_label("Share live\u{2026}").is_some(), "the File menu is open");
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.query_by_label("Share live\u{2026}").is_none(), "Esc closed the menu");
}

#[test]
fn news_leaves_the_status_bar_after_a_while() {
    let mut h = window();
    h.run_steps(3);
    h.key_press(Key::F9);
    h.run_steps(2);
    assert!(h.state().status().is_some_and(|s| s.text.contains("Timer running")));
    // Thirteen seconds of frames (the harness's clock moves a frame's time each step).
    h.key_press(Key::F9);
    for _ in 0..13 * 60 {
        h.step();
    }
    assert!(h.state().status().is_none(), "news stayed: {:?}", h.state().status().map(|s| &s.text));
}

/// At 150 % text on 1280×720 (853 points wide) with the inspector and the checks open, the map
/// keeps more than half the width, and every toolbar button is on screen in the row or in its
/// "More" menu (issue 29, item 8: the Add and Pathways/Portfolio buttons used to vanish, and the
/// map was ~290 pixels wide). Ctrl+Shift+B hides both panels and shows them again.
#[test]
fn at_150_percent_text_the_map_keeps_most_of_the_width_and_no_toolbar_button_vanishes() {
    let map = missionboard::sample::uk_missions();
    let settings = Settings { ui_scale: 1.5, show_checks: true, ..Settings::default() };
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, settings));
    h.run_steps(4);
    let screen = h.ctx.content_rect();
    assert!((screen.width() - 1280.0 / 1.5).abs() < 1.0, "150 % text: {screen:?}");
    let canvas = h.state().canvas_size().x;
    assert!(canvas >= 0.55 * screen.width(), "the map is {canvas} of {} points wide", screen.width());
    let labels = [
        "Mission",
        "Sub-mission",
        "Intervention",
        "Partner",
        "Undo",
        "Redo",
        "Zoom to fit",
        "Lay out",
        "Find",
        "Filter",
        "Pathways",
        "Portfolio",
        "Hide panels",
    ];
    // Cards selected (a finding's, then all) make the panels' contents wider: they wrap, and the
    // panels stay within their shares.
    h.key_press(Key::F8);
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.run_steps(3);
    let selected = h.state().canvas_size().x;
    assert!(selected >= 0.55 * screen.width(), "with cards selected the map is {selected} wide");
    h.key_press(Key::Escape);
    h.run_steps(3);
    let mut in_more = Vec::new();
    for label in labels {
        match h.query_by_label(label) {
            Some(node) => assert!(screen.contains_rect(node.rect()), "{label} is cut off at {:?}", node.rect()),
            None => in_more.push(label),
        }
    }
    if !in_more.is_empty() {
        h.get_by_label("More").click();
        h.run_steps(3);
        for label in &in_more {
            let node =
                h.query_by_label(label).unwrap_or_else(|| panic!("{label} is neither in the row nor under More"));
            assert!(screen.contains_rect(node.rect()), "{label} is off screen under More at {:?}", node.rect());
        }
    }
    eprintln!("150 % text: the map is {canvas:.0} of {:.0} points wide; under More: {in_more:?}", screen.width());
    // A kind button under More still adds a card.
    if in_more.contains(&"Partner") {
        let cards = h.state().map().node_count();
        h.get_by_label("Partner").click();
        h.run_steps(3);
        assert_eq!(h.state().map().node_count(), cards + 1, "Partner under More added a partner");
    }
    h.key_press(Key::Escape);
    h.run_steps(2);
    // The panels fold away for the whole width, and come back.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::B);
    h.run_steps(3);
    let wide = h.state().canvas_size().x;
    assert!(wide > screen.width() - 2.0, "with the panels hidden the map is {wide} wide");
    h.get_by_label("Show panels").click();
    h.run_steps(3);
    assert!((h.state().canvas_size().x - canvas).abs() < 2.0, "both panels came back");
}

/// Merging a copy (issue 29, item 7): the Merge dialog lists the copies handed out beside the map,
/// one click merges one; "Take theirs" leaves "Apply merge" where it was; the result is shown whole
/// in the status bar (wrapped, not cut with "…").
#[test]
fn the_merge_dialog_lists_the_handed_out_copies_and_apply_stays_put() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::builder().with_size(egui::vec2(1280.0, 720.0)).build_eframe(move |cc| {
        MissionboardApp::with_map(&cc.egui_ctx, missionboard::sample::blank(), Settings::default())
    });
    common::conflicting_copy(&mut h, dir.path(), "Group 2");

    palette(&mut h, "Merge a copy");
    for g in ["Group 1", "Group 2", "Group 3"] {
        assert_eq!(h.query_all_by_label_contains(&format!("{g}'s copy (board ({g}).mission.ron)")).count(), 1);
    }
    h.get_by_label_contains("Group 2's copy").click();
    h.run_steps(3);
    assert!(h.state().merging(), "one click on a listed copy merges it");
    let apply = h.get_by_label("Apply merge").rect();
    h.get_by_label("Take theirs for card \u{201c}Grid connections by 2027\u{201d} (s2), title").click();
    h.run_steps(3);
    assert_eq!(h.get_by_label("Apply merge").rect(), apply, "Apply merge moved after Take theirs");
    h.get_by_label("Apply merge").click();
    h.run_steps(3);
    assert!(!h.state().merging());
    let text = h.state().status().unwrap().text.clone();
    assert!(text.starts_with("Merged Group 2's copy") && text.len() > 150, "{text}");
    let shown = h.get_by_label(&text).rect();
    let screen = h.ctx.content_rect();
    assert!(screen.contains_rect(shown), "the result at {shown:?} is off screen");
    // Whole: as wide as its words need, so on more than one line in the room left beside the counts.
    assert!(shown.height() > 30.0, "the result is cut to one line: {shown:?}");
}

/// One mission, three sub-missions under it and six interventions under those, in wide rows.
fn wide_map() -> missionboard::model::MissionMap {
    use missionboard::model::{Kind, LinkKind, MissionMap, Placement};
    let mut map = MissionMap::new("Workshop");
    let m = map.create_node(Kind::Mission, "Warm homes", Placement::at(0.0, 0.0)).unwrap();
    let subs: Vec<_> = ["Insulate", "Heat pumps", "Fuel poverty"]
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let s = map.create_node(Kind::SubMission, *t, Placement::at(-500.0 + 500.0 * i as f32, 250.0)).unwrap();
            map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
            s
        })
        .collect();
    for (i, t) in ["Loft grants", "Wall grants", "Pump vouchers", "Installer training", "Advice line", "Social tariff"]
        .iter()
        .enumerate()
    {
        let n = map.create_node(Kind::Intervention, *t, Placement::at(-1250.0 + 500.0 * i as f32, 500.0)).unwrap();
        map.connect(&n, &subs[i / 2], LinkKind::ContributesTo).unwrap();
    }
    map
}

fn wide_window() -> Harness<'static, MissionboardApp> {
    let map = wide_map();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()));
    h.run_steps(4);
    h
}

/// Where a card is on screen (its accessible name is "Kind: title…"; links' names hold titles too).
fn card(h: &Harness<'_, MissionboardApp>, title: &str) -> egui::Rect {
    card_if_shown(h, title).unwrap_or_else(|| panic!("no card {title} on screen"))
}

fn card_if_shown(h: &Harness<'_, MissionboardApp>, title: &str) -> Option<egui::Rect> {
    use egui_kittest::kittest::NodeT;
    let names: Vec<String> =
        ["Mission", "Sub-mission", "Intervention", "Partner"].iter().map(|k| format!("{k}: {title}")).collect();
    let found: Vec<_> = h
        .query_all_by_label_contains(title)
        .filter(|n| n.accesskit_node().label().is_some_and(|l| names.iter().any(|s| l.starts_with(s.as_str()))))
        .collect();
    assert!(found.len() <= 1, "two cards {title}");
    found.first().map(egui_kittest::Node::rect)
}

/// Puts `title`'s card in the middle of the canvas at the zoom the view has.
fn centre_on(h: &mut Harness<'_, MissionboardApp>, title: &str) {
    let p = {
        let map = h.state().map();
        let id = map.nodes().find(|n| n.title == title).unwrap().id.clone();
        map.placement(&id).unwrap()
    };
    let mut view = h.state().view();
    view.offset = h.state().canvas_size() / 2.0 - egui::vec2(p.x, p.y) * view.zoom;
    h.state_mut().set_view(view);
    h.run_steps(2);
}

/// The id egui gives a window from its title.
fn window_id(title: &str) -> egui::Id {
    egui::Id::unique(Some(std::borrow::Cow::Borrowed(title)))
}

/// Where a floating window is on screen.
fn window_rect(h: &Harness<'_, MissionboardApp>, title: &str) -> egui::Rect {
    h.ctx.memory(|m| m.area_rect(window_id(title))).unwrap_or_else(|| panic!("no window {title}"))
}

/// Moves the view so that `title`'s card is centred on `at` (screen).
fn put_card_at(h: &mut Harness<'_, MissionboardApp>, title: &str, at: egui::Pos2) {
    let mut view = h.state().view();
    view.offset += at - card(h, title).center();
    h.state_mut().set_view(view);
    h.run_steps(2);
}

/// Issue 29, items 3 and 4: "Join a live map" opens below the menus and the toolbar (it opened at
/// the top left, over them), and Zoom to fit fits the map into the part of the canvas the Dot
/// voting window leaves free.
#[test]
fn windows_open_below_the_menus_and_zoom_to_fit_keeps_clear_of_them() {
    use missionboard::model::{Kind, MissionMap, Placement};
    // Nine cards in a square, so a fit fills the canvas's height and reaches its top right corner.
    let mut map = MissionMap::new("Grid");
    let mut titles = Vec::new();
    for i in 0..9 {
        let title = format!("Card {i}");
        let at = Placement::at(500.0 * (i % 3) as f32, 500.0 * (i / 3) as f32);
        map.create_node(Kind::Intervention, &title, at).unwrap();
        titles.push(title);
    }
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(move |cc| MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default()));
    h.run_steps(4);
    let toolbar = h.get_by_label("Zoom to fit").rect().bottom();
    palette(&mut h, "Join a live map");
    let join = window_rect(&h, "Join a live map");
    assert!(join.top() >= toolbar, "Join a live map at {join:?} covers the menus (toolbar ends at {toolbar})");
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(3);
    let voting = window_rect(&h, "Dot voting");
    assert!(voting.top() >= toolbar, "Dot voting at {voting:?}");
    // The map was shown whole: it is fitted again beside the window that opened over it.
    for t in &titles {
        let r = card(&h, t);
        assert!(!r.intersects(voting), "{t} at {r:?} is under Dot voting at {voting:?}, just opened");
    }
    // The Timer opens below Dot voting, not over its title.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::T);
    h.run_steps(4);
    let timer = window_rect(&h, "Timer");
    assert!(!timer.intersects(voting), "the Timer at {timer:?} covers Dot voting at {voting:?}");
    h.key_press(Key::Escape);
    h.key_press(Key::Home);
    h.run_steps(3);
    for t in &titles {
        let r = card(&h, t);
        assert!(!r.intersects(voting), "after Zoom to fit {t} at {r:?} is under Dot voting at {voting:?}");
        assert!(!r.intersects(timer), "after Zoom to fit {t} at {r:?} is under the Timer at {timer:?}");
    }
}

/// Issue 29, item 3: a card found (or selected by keyboard) under a window comes out into the free
/// part of the view; one already in view does not make the view jump; and a window opening over
/// the selected card moves the card clear of it.
#[test]
fn a_selected_card_is_brought_clear_of_windows_and_the_minimap() {
    let mut h = wide_window();
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(3);
    let voting = window_rect(&h, "Dot voting");
    h.key_press(Key::Escape);
    h.run_steps(1);
    // "Advice line" under the window, at a readable zoom.
    let mut view = h.state().view();
    view.zoom = 0.8;
    h.state_mut().set_view(view);
    centre_on(&mut h, "Advice line");
    put_card_at(&mut h, "Advice line", voting.center());
    assert!(card(&h, "Advice line").intersects(voting), "set-up: the card is under the window");
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.get_by_label("Find:").type_text("Advice line");
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let r = card(&h, "Advice line");
    assert!(!r.intersects(voting), "the found card at {r:?} is still under Dot voting at {voting:?}");
    // The card a little off the middle of the free part, but wholly in it: finding it again
    // leaves the view where it is.
    let mut nudged = h.state().view();
    nudged.offset += egui::vec2(-30.0, 20.0);
    h.state_mut().set_view(nudged);
    h.run_steps(2);
    let before = h.state().view();
    let neighbour = "Advice line";
    h.get_by_label("Find:").click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("Find:").type_text(neighbour);
    h.run_steps(2);
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().view(), before, "the view jumped to {neighbour}, already in view");
    h.get_by_label("Close").click();
    h.run_steps(2);

    // The window closes; the selected card is put where the window opens; the window opens again.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(3);
    assert!(h.ctx.memory(|m| m.areas().visible_layer_ids().iter().all(|l| l.id != window_id("Dot voting"))));
    centre_on(&mut h, "Advice line");
    put_card_at(&mut h, "Advice line", voting.center());
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(3);
    let voting = window_rect(&h, "Dot voting");
    let r = card(&h, "Advice line");
    assert!(!r.intersects(voting), "Dot voting opened over the selected card: {r:?} under {voting:?}");

    // Alt+Down to a card under the minimap: it comes out from under it.
    let minimap = h.get_by_label("Minimap: click or drag to move the view").rect();
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(3);
    centre_on(&mut h, "Social tariff");
    put_card_at(&mut h, "Social tariff", minimap.center());
    let tariff = card(&h, "Social tariff");
    assert!(tariff.intersects(minimap), "set-up: Social tariff at {tariff:?} under the minimap {minimap:?}");
    let r = card(&h, "Fuel poverty");
    assert!(h.ctx.content_rect().contains_rect(r), "set-up: Fuel poverty in view at {r:?}");
    let at = card(&h, "Fuel poverty").center();
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowDown);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowRight);
    h.run_steps(3);
    let chosen: Vec<String> =
        h.state().selection().nodes.iter().map(|id| h.state().map().node(id).unwrap().title.clone()).collect();
    assert_eq!(chosen, vec!["Social tariff".to_owned()], "Alt+Down then Alt+Right walk to Social tariff");
    let r = card(&h, "Social tariff");
    let minimap = h.query_by_label("Minimap: click or drag to move the view").map(|n| n.rect());
    assert!(minimap.is_none_or(|m| !m.intersects(r)), "Social tariff at {r:?} is under the minimap {minimap:?}");
}

/// Issue 29, item 2: the last letters of a round's name, typed in the same frame as a mouse click
/// on "0 people" (a fast typist, or xdotool: seen under Xvfb, "Which intervention" kept of
/// "Which interventions first?"), reach the name before the click takes the keyboard away. egui
/// drops them otherwise: the field gives up the keyboard on the click before it reads the frame's
/// text. (The harness's own event queue runs one frame per event, so it never showed this: the
/// events go into one frame's input here.)
#[test]
fn letters_typed_in_the_frame_of_a_click_elsewhere_reach_their_field() {
    let mut h = window();
    h.run_steps(3);
    let rounds = h.state().map().workshop.votes.len();
    start_naming_a_round(&mut h, "Which interventions fir");
    h.run_steps(1);
    // The rest of the name, then a real pointer press and release on "0 people", in one frame.
    let people = h.get_by_label_contains("people").rect().center();
    let events = &mut h.input_mut().events;
    events.push(egui::Event::Text("st?".to_owned()));
    events.push(egui::Event::PointerMoved(people));
    for pressed in [true, false] {
        events.push(egui::Event::PointerButton {
            pos: people,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.step();
    h.run_steps(3);
    h.get_by_label("Start round").click();
    h.run_steps(3);
    let votes = &h.state().map().workshop.votes;
    assert_eq!(votes.len(), rounds + 1);
    assert_eq!(votes.last().map(|r| r.name.as_str()), Some("Which interventions first?"));
}

/// Seen in the rehearsal under Xvfb: with the map holding the keyboard (as it does after building
/// cards by keyboard), Ctrl+Shift+S opened Save as with no field having the keyboard, so the path
/// typed next went nowhere and Enter did nothing. The path box takes it from the map.
#[test]
fn save_as_takes_the_keyboard_from_the_map() {
    let mut h = window();
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Num1);
    h.run_steps(3);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert_eq!(
        h.ctx.memory(egui::Memory::focused),
        Some(missionboard::ui::canvas::canvas_id()),
        "set-up: the map has it"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::S);
    h.run_steps(3);
    h.event(egui::Event::Text("plan".to_owned()));
    h.run_steps(2);
    let path = h.get_by_label("File path").value().unwrap_or_default();
    assert!(path.ends_with("plan.mission.ron"), "typing replaced the proposed name: {path}");
}

/// The rehearsal's Timer then Dot voting: the second opens below the first, at the map's right
/// edge (egui's first guess at a new window's height, 420 points, pushed it up over the Timer).
#[test]
fn workshop_windows_opened_one_after_another_do_not_cover_each_other() {
    let mut h = wide_window();
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::T);
    h.run_steps(4);
    h.key_press(Key::F9);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::V);
    h.run_steps(4);
    let (timer, voting) = (window_rect(&h, "Timer"), window_rect(&h, "Dot voting"));
    assert!(!timer.intersects(voting), "Dot voting at {voting:?} covers the Timer at {timer:?}");
    let toolbar = h.get_by_label("Zoom to fit").rect().bottom();
    assert!(timer.top() >= toolbar && timer.top() < toolbar + 40.0, "the Timer opens at the top: {timer:?}");
}

/// Seen in the rehearsal: File > Merge a copy run from the command palette opened with no field
/// having the keyboard (the palette, closing, gave it back to the map behind the dialog), so Enter
/// did not merge the copy proposed in the path box.
#[test]
fn a_dialog_opened_from_the_palette_has_the_keyboard() {
    let mut h = window();
    h.run_steps(3);
    palette(&mut h, "Merge a copy");
    h.run_steps(2);
    assert!(h.get_by_label("File path").is_focused(), "the path box has the keyboard");
}

/// Seen in the rehearsal: the Mission portfolio opened at the top left, over the menus and the
/// toolbar; Progress and Money did too. They open inside the map's area.
#[test]
fn the_analysis_windows_open_below_the_menus() {
    let mut h = window();
    h.run_steps(3);
    let toolbar = h.get_by_label("Zoom to fit").rect().bottom();
    for (open, title) in [("Portfolio", "Mission portfolio"), ("Progress", "Progress"), ("Money", "Money")] {
        palette(&mut h, open);
        h.run_steps(2);
        let r = window_rect(&h, title);
        assert!(r.top() >= toolbar, "{title} at {r:?} covers the menus (the toolbar ends at {toolbar})");
        palette(&mut h, open);
    }
}

/// Seen in the rehearsal: "dark" in the command palette chose the Light theme (its description,
/// "Dark text on light cards", matched before the Dark theme's name).
#[test]
fn the_palette_prefers_a_command_named_by_the_words() {
    let mut h = window();
    h.run_steps(3);
    palette(&mut h, "dark");
    h.run_steps(2);
    assert_eq!(h.state().theme(), missionboard::style::Theme::Dark);
}
