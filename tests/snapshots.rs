//! Image snapshots of the editor at a projector's 1280×720, drawn by wgpu on a software renderer
//! (lavapipe or llvmpipe). Accept new images with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.
#![allow(clippy::unwrap_used, reason = "tests")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::sample;

mod common;
use common::painted_text;

fn sample_harness() -> Harness<'static, MissionboardApp> {
    harness_with_settings(Settings::default())
}

fn harness_with_settings(settings: Settings) -> Harness<'static, MissionboardApp> {
    let mut h =
        Harness::builder().with_size(egui::vec2(1280.0, 720.0)).with_theme(egui::Theme::Light).wgpu().build_eframe(
            |cc| {
                let mut app = MissionboardApp::with_map(&cc.egui_ctx, sample::uk_missions(), settings);
                // Progress is evaluated on a fixed day, so the pictures do not change with the calendar.
                app.set_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
                app
            },
        );
    h.run_steps(4);
    h
}

#[test]
fn sample_map_whole() {
    let mut h = sample_harness();
    h.snapshot("sample_map_whole");
}

#[test]
fn sample_map_close_up_with_a_selected_card() {
    let mut h = sample_harness();
    h.get_by_label("Mission: Make Britain a clean energy superpower, off track").click();
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(3);
    h.snapshot("sample_map_close_up");
}

/// The dark theme: panels, canvas and cards.
#[test]
fn sample_map_dark_theme() {
    let settings = Settings { theme: missionboard::style::Theme::Dark, ..Settings::default() };
    let mut h = harness_with_settings(settings);
    h.run_steps(2);
    h.snapshot("sample_map_dark");
}

/// The projector preset with text at 200 % on a 1280×720 projector: high contrast, bold lines,
/// large overview labels; the menus and toolbar still fit.
#[test]
fn sample_map_projector_preset_at_200_percent() {
    let settings = Settings { theme: missionboard::style::Theme::Projector, ui_scale: 2.0, ..Settings::default() };
    let mut h = harness_with_settings(settings);
    h.run_steps(4);
    // One toolbar row: what does not fit (the kind buttons, Pathways, …) goes under "More".
    let row = |label: &str| h.get_by_label(label).rect().center().y;
    assert!((row("Undo") - row("Zoom to fit")).abs() < 1.0 && (row("Undo") - row("More")).abs() < 1.0);
    assert!(h.query_by_label("Pathways").is_none(), "Pathways is under More");
    // The whole map, as a facilitator shows it (Home).
    h.key_press(Key::Home);
    h.run_steps(4);
    // Every mission is named, even where its row is too crowded for labels over the cards (some
    // move above or below, with a leader line).
    let text: Vec<String> = painted_text(&h).into_iter().map(|t| t.0.replace('\n', " ")).collect();
    for m in sample::uk_missions().nodes().filter(|n| n.kind() == missionboard::model::Kind::Mission) {
        let start: Vec<&str> = m.title.split_whitespace().take(2).collect();
        assert!(
            text.iter().any(|t| t.split_whitespace().take(2).eq(start.iter().copied())),
            "mission \"{}\" is not named at 200 %: {text:?}",
            m.title
        );
    }
    h.snapshot("sample_map_projector_200");
}

/// Whether a painted label names a title legibly: its words are the title's first words, in
/// order, the last one perhaps cut short with "…", and at least the first two words (or the whole
/// title, when shorter) are there whole.
fn names(label: &str, title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    let label = label.replace('\n', " ");
    let label = label.trim_end();
    let cut = label.ends_with('\u{2026}');
    let painted: Vec<&str> = label.trim_end_matches('\u{2026}').split_whitespace().collect();
    let whole = painted.iter().zip(&words).take_while(|(a, b)| a == b).count();
    let rest_is_a_cut_word = match &painted[whole..] {
        [] => true,
        [last] => cut && words.get(whole).is_some_and(|w| w.starts_with(last)),
        _ => false,
    };
    rest_is_a_cut_word && whole >= words.len().min(2)
}

#[test]
fn a_label_names_a_title_only_with_its_first_two_words_whole() {
    let title = "Kickstart economic growth";
    for good in [
        "Kickstart economic growth",
        "Kickstart economic\ngrowth",
        "Kickstart economic\u{2026}",
        "Kickstart economic gr\u{2026}",
    ] {
        assert!(names(good, title), "{good:?}");
    }
    for bad in [
        "Kickstart",
        "Kickstart econ\u{2026}",
        "Kickstart growth",
        "Kickstart economy",
        "Kickstart economic growth now",
        "economic growth",
    ] {
        assert!(!names(bad, title), "{bad:?}");
    }
    assert!(names("Homes", "Homes"));
}

#[test]
fn the_whole_sample_at_fit_names_every_mission_and_sub_mission_legibly() {
    // 1280×720, fitted to the canvas as the editor opens: far too small for titles drawn to scale,
    // so the overview labels carry them, at 11 pixels or more, where the canvas shows (not under
    // the side panels, the toolbar or the minimap).
    let h = sample_harness();
    let text = painted_text(&h);
    let canvas = h.get_by_label("Mission map canvas").rect();
    let minimap = h.query_by_label("Minimap: click or drag to move the view").map(|n| n.rect());
    let visible = |r: &egui::Rect| canvas.expand(0.5).contains_rect(*r) && minimap.is_none_or(|m| !m.intersects(*r));
    let map = sample::uk_missions();
    let mut named = 0;
    for n in map
        .nodes()
        .filter(|n| matches!(n.kind(), missionboard::model::Kind::Mission | missionboard::model::Kind::SubMission))
    {
        let shown = text.iter().find(|(t, size, rect)| *size >= 11.0 && visible(rect) && names(t, &n.title));
        assert!(
            shown.is_some(),
            "\"{}\" is not named legibly on the canvas at fit ({canvas:?}); painted: {:?}",
            n.title,
            text.iter().map(|t| (&t.0, t.1, t.2)).collect::<Vec<_>>()
        );
        named += 1;
    }
    assert_eq!(named, 17);
}

/// Close up, a measured card's sparkline runs between its status chip and its badges, never over
/// any of the card's text (it was drawn a fixed 40 units wide whatever the badges took). A guard:
/// the sample's cards, even with a dozen indicators and stale chips, leave room, so the old drawing
/// passed it too (the rehearsal's crossing was not reproduced).
#[test]
fn a_cards_sparkline_never_crosses_its_own_text() {
    fn paths(shape: &egui::Shape, out: &mut Vec<Vec<egui::Pos2>>) {
        match shape {
            egui::Shape::Path(p) if !p.closed => out.push(p.points.clone()),
            egui::Shape::Vec(v) => v.iter().for_each(|s| paths(s, out)),
            _ => {}
        }
    }
    // A sub-mission with a dozen indicators: its badge "12 indicators" is wide, and long after the
    // last readings its chip says "Off track, stale".
    let mut map = sample::uk_missions();
    let id = map.nodes().find(|n| n.title == "Warmer homes and lower bills").unwrap().id.clone();
    map.update_node(&id, |n| {
        if let missionboard::model::NodeKind::SubMission { indicators, .. } = &mut n.kind {
            let first = indicators[0].clone();
            for k in 1..12 {
                let mut more = first.clone();
                more.name = format!("{} ({k})", more.name);
                more.id = missionboard::model::ItemId::default();
                indicators.push(more);
            }
        }
    })
    .unwrap();
    let mut h =
        Harness::builder().with_size(egui::vec2(1280.0, 720.0)).with_theme(egui::Theme::Light).wgpu().build_eframe(
            |cc| {
                let mut app = MissionboardApp::with_map(&cc.egui_ctx, map, Settings::default());
                app.set_today(chrono::NaiveDate::from_ymd_opt(2029, 2, 1).unwrap());
                app
            },
        );
    h.run_steps(4);
    {
        use egui_kittest::kittest::NodeT;
        h.get_all_by_label_contains("Sub-mission: Warmer homes and lower bills")
            .find(|n| n.accesskit_node().label().is_some_and(|l| l.starts_with("Sub-mission")))
            .unwrap()
            .click();
    }
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run_steps(3);
    let mut lines = Vec::new();
    for c in &h.output().shapes {
        paths(&c.shape, &mut lines);
    }
    let text = painted_text(&h);
    let cards: Vec<egui::Rect> =
        h.query_all_by_label_contains("ission: ").map(|n| n.rect()).filter(|r| r.width() > 150.0).collect();
    let mut checked = 0;
    for card in cards {
        // The sparklines: open lines wholly inside the card.
        let sparklines: Vec<egui::Rect> = lines
            .iter()
            .filter(|p| p.len() >= 2 && p.iter().all(|q| card.contains(*q)))
            .map(|p| egui::Rect::from_points(p))
            .collect();
        let inside: Vec<_> = text.iter().filter(|(_, _, r)| card.contains_rect(*r)).collect();
        for s in &sparklines {
            checked += 1;
            for (t, _, r) in &inside {
                assert!(!s.intersects(*r), "the sparkline {s:?} crosses \"{t}\" at {r:?}");
            }
        }
    }
    assert!(checked >= 2, "the close-up shows measured cards with sparklines ({checked})");
}
