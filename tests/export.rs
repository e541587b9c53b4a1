//! Exports: PNG against a committed reference, text pixels, SVG parsed back, PDF text, hostile titles.
#![allow(clippy::unwrap_used, reason = "tests")]

use missionboard::export::{Options, Page, Scope, render, svg};
use missionboard::model::{Kind, MissionMap, Node, NodeId, Placement};
use missionboard::sample;

fn hostile() -> MissionMap {
    let mut m = MissionMap::new("<b>Board</b> & \"friends\"");
    let t = "<script>alert(1)</script> & \"quotes\" 'apos' ]]> <!-- x -->";
    m.add_node(Node::new(NodeId::new("m1").unwrap(), Kind::Mission, t), Placement::at(0.0, 0.0)).unwrap();
    m
}

#[test]
fn svg_has_real_text_and_parses_back() {
    let map = sample::uk_missions();
    let text = svg::to_svg(&map, &Options::default());
    assert!(!text.contains("foreignObject"));
    assert!(text.contains(">Kickstart economic growth</tspan>"), "titles are real text");
    assert!(text.contains("<title>Mission: Kickstart economic growth</title>"), "a title per card for screen readers");
    let tree = render::tree(&text).unwrap();
    assert!(tree.size().width() > 100.0);
}

#[test]
fn hostile_titles_stay_text() {
    let text = svg::to_svg(&hostile(), &Options::default());
    assert!(!text.contains("<script>"));
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!text.contains("]]>"));
    render::tree(&text).unwrap();
}

#[test]
fn png_contains_text_pixels_and_matches_the_reference() {
    let map = sample::uk_missions();
    let opts = Options { scale: 0.5, ..Options::default() };
    let (png, note) = render::to_png(&map, &opts).unwrap();
    assert!(note.is_none());
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    // The title block's text: dark pixels in the top band where only text is drawn.
    let dark = (0..img.width().min(600))
        .flat_map(|x| (15..45).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 100)
        .count();
    assert!(dark > 80, "the title is drawn as text pixels ({dark})");
    let reference = std::path::Path::new("tests/snapshots/export_sample.png");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(reference, &png).unwrap();
    }
    assert!(
        reference.exists(),
        "the reference {} is missing: run with UPDATE_SNAPSHOTS=1 once, look at it, and commit it",
        reference.display()
    );
    let want = image::open(reference).unwrap().to_rgba8();
    assert_eq!((img.width(), img.height()), (want.width(), want.height()));
    let differing = img
        .pixels()
        .zip(want.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(p, q)| p.abs_diff(*q) > 24))
        .count();
    let share = differing as f64 / f64::from(img.width() * img.height());
    assert!(share < 0.005, "{:.3} % of pixels differ from the reference", share * 100.0);
}

#[test]
fn huge_maps_give_a_capped_png_and_a_note() {
    // One long row of 200 cards: 48,000 units wide, so 4× would be 192,000 pixels.
    let mut map = MissionMap::new("strip");
    for i in 0..200 {
        let id = NodeId::new(format!("i{i}")).unwrap();
        map.add_node(Node::new(id, Kind::Intervention, format!("Card {i}")), Placement::at(i as f32 * 240.0, 0.0))
            .unwrap();
    }
    let (png, note) = render::to_png(&map, &Options { scale: 4.0, ..Options::default() }).unwrap();
    assert!(note.unwrap().contains("PDF"));
    let img = image::load_from_memory(&png).unwrap();
    assert!(img.width() <= render::MAX_SIDE && img.height() <= render::MAX_SIDE);
}

#[test]
fn pdf_keeps_the_mission_titles_as_text() {
    let map = sample::uk_missions();
    let pdf = render::to_pdf(&map, &Options { page: Page::A3Landscape, ..Options::default() }).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // With poppler's pdftotext (installed by .ci/run) the text must come back out.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("m.pdf");
    std::fs::write(&f, &pdf).unwrap();
    match std::process::Command::new("pdftotext").arg(&f).arg("-").output() {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            for m in ["Kickstart economic growth", "Take back our streets"] {
                assert!(text.contains(m), "{m} missing from:\n{text}");
            }
        }
        _ => assert!(std::env::var_os("CI").is_none(), "pdftotext is needed in CI"),
    }
}

#[test]
fn a_mission_scope_keeps_what_serves_it() {
    let map = sample::uk_missions();
    let ids = missionboard::export::cards_in_scope(&map, &Scope::Mission(NodeId::new("m2").unwrap()));
    assert!(ids.contains(&NodeId::new("s4").unwrap()));
    assert!(ids.contains(&NodeId::new("i11").unwrap()));
    assert!(!ids.contains(&NodeId::new("m1").unwrap()));
    assert!(!ids.contains(&NodeId::new("s6").unwrap()));
}
