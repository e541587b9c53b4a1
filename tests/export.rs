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
    if update_snapshots(std::env::var("UPDATE_SNAPSHOTS").ok().as_deref()) {
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

/// Whether `UPDATE_SNAPSHOTS` asks for a new reference: "1" or "true" only (egui_kittest's two
/// usual words for it); "0", "false" or an empty value compare with the reference, as unset does.
fn update_snapshots(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true"))
}

#[test]
fn only_update_snapshots_1_or_true_overwrites_the_reference() {
    for yes in ["1", "true"] {
        assert!(update_snapshots(Some(yes)), "{yes:?}");
    }
    for no in [None, Some("0"), Some("false"), Some(""), Some("no")] {
        assert!(!update_snapshots(no), "{no:?}");
    }
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
fn a_map_too_big_to_read_in_one_picture_is_drawn_as_a_sketch_that_still_shows_its_shape() {
    // 400 cards in one column, 50,000 units tall: the size limit would make titles a few pixels
    // tall, so the PNG is a sketch.
    let mut map = sample::generate::map(400, 4);
    let ids: Vec<NodeId> = map.sorted_nodes().iter().map(|n| n.id.clone()).collect();
    for (i, id) in ids.iter().enumerate() {
        map.set_placement(id, Placement::at((i % 2) as f32 * 300.0, i as f32 * 125.0)).unwrap();
    }
    let (png, note) = render::to_png(&map, &Options::default()).unwrap();
    let note = note.expect("a note says why there is no text");
    assert!(note.contains("sketch without text") && note.contains("PDF"), "{note}");
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    assert!(
        u64::from(img.width()) * u64::from(img.height()) <= render::SKETCH_PIXELS,
        "{}x{}",
        img.width(),
        img.height()
    );
    // The note's size is the picture's size.
    assert!(note.contains(&format!("{} × {} pixels", img.width(), img.height())), "{note}");
    // Every kind's colour is there (cards and their header bands), and so are the links' colours.
    let count = |rgb: [u8; 3]| img.pixels().filter(|p| p.0[..3] == rgb).count();
    for kind in [Kind::Mission, Kind::SubMission, Kind::Intervention, Kind::Partner] {
        assert!(count(missionboard::style::Theme::Light.palette().kind(kind)) > 100, "{kind:?} cards are drawn");
    }
    let (contributes, ..) =
        missionboard::style::Theme::Light.palette().link(missionboard::model::LinkKind::ContributesTo);
    assert!(count(contributes) > 500, "links are drawn");
    // A map that can be read is never sketched.
    let (_, note) = render::to_png(&sample::uk_missions(), &Options::default()).unwrap();
    assert!(note.as_ref().is_none_or(|n| !n.contains("sketch")), "{note:?}");
}

#[test]
fn header_bands_stay_inside_the_rounded_corners() {
    // A partner card has the roundest corners (radius 40): its coloured header band must follow
    // them, not stick out as a square-ish strip past the outline.
    let mut map = MissionMap::new("corners");
    let id = NodeId::new("p1").unwrap();
    map.add_node(Node::new(id, Kind::Partner, "Ofgem"), Placement::at(0.0, 0.0)).unwrap();
    let opts = Options { scale: 4.0, title_block: false, legend: false, ..Options::default() };
    let (png, _) = render::to_png(&map, &opts).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    let partner = missionboard::style::Theme::Light.palette().kind(Kind::Partner);
    let is_band = |x: u32, y: u32| {
        let p = img.get_pixel(x, y);
        (0..3).all(|c| p[c].abs_diff(partner[c]) < 24)
    };
    // The card's top-left corner is at (40, 40) in picture units, 4 pixels each. 10 units in and
    // 5 down lies outside a radius-40 corner: background, not band.
    assert!(!is_band(4 * 50, 4 * 45), "the band sticks out past the rounded corner");
    assert!(!is_band(4 * 43, 4 * 43));
    // The band is there in the middle of the card's top.
    let (w, _) = map.node(&NodeId::new("p1").unwrap()).unwrap().card_size();
    assert!(is_band(4 * (40 + (w / 2.0) as u32), 4 * 50), "the band is drawn");
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
    let text = pdftotext(&[], &f);
    for m in ["Kickstart economic growth", "Take back our streets"] {
        assert!(text.contains(m), "{m} missing from:\n{text}");
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

/// Every card's title lines in an SVG: (the title from the card's `<title>`, its lines, and each
/// line's `textLength`).
fn card_lines(svg_text: &str) -> Vec<(String, Vec<String>, Vec<f32>)> {
    let mut out = Vec::new();
    for chunk in svg_text.split("<g><title>").skip(1) {
        let Some((title, rest)) = chunk.split_once("</title>") else { continue };
        if rest.trim_start().starts_with("<path") {
            continue; // a link
        }
        let text = rest.split("</text>").find(|t| t.contains("<tspan")).unwrap_or_default();
        let mut lines = Vec::new();
        let mut lengths = Vec::new();
        for t in text.split("<tspan").skip(1) {
            let (attrs, body) = t.split_once('>').unwrap();
            lines.push(body.split_once("</tspan>").unwrap().0.to_owned());
            let len = attrs.split("textLength=\"").nth(1).and_then(|v| v.split('"').next()).unwrap();
            lengths.push(len.parse().unwrap());
        }
        out.push((title.split_once(": ").unwrap().1.to_owned(), lines, lengths));
    }
    out
}

#[test]
fn svg_shows_every_title_whole_and_inside_its_card() {
    let mut map = sample::uk_missions();
    let long = "Adaptation to Climate Change: support at least 150 European regions and communities to become climate resilient by 2030";
    let word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung";
    map.add_node(Node::new(NodeId::new("long").unwrap(), Kind::SubMission, long), Placement::at(0.0, -900.0)).unwrap();
    map.add_node(Node::new(NodeId::new("word").unwrap(), Kind::Partner, word), Placement::at(900.0, -900.0)).unwrap();
    let text = svg::to_svg(&map, &Options::default());
    assert!(!text.contains('…'), "nothing is cut short");
    let cards = card_lines(&text);
    assert_eq!(cards.len(), map.node_count());
    for (title, lines, lengths) in &cards {
        let joined = if title == word { lines.concat() } else { lines.join(" ") };
        assert_eq!(&joined, title, "the whole title, in order");
        let node = map.nodes().find(|n| svg::xml(&n.title) == *title).unwrap();
        let inner = node.card_size().0 - 2.0 * missionboard::model::card::inset(node.kind());
        for (line, len) in lines.iter().zip(lengths) {
            assert!(*len <= inner, "\"{line}\" ({len}) is wider than its card ({inner})");
        }
        // The card is tall enough for its lines.
        let (_, h) = node.card_size();
        assert!(
            h >= missionboard::model::card::HEADER_HEIGHT + lines.len() as f32 * missionboard::model::card::LINE_HEIGHT
        );
    }
    assert!(cards.iter().any(|(t, lines, _)| t == long && lines.len() >= 4));
}

/// How much a page export shrinks the drawing (page points per map unit).
fn page_scale(map: &MissionMap, opts: &Options) -> f32 {
    let arranged = missionboard::export::arranged(map, opts);
    let tree = render::tree(&svg::to_svg(&arranged, opts)).unwrap();
    let (pw, ph) = opts.page.size().unwrap();
    ((pw - 48.0) / tree.size().width()).min((ph - 48.0) / tree.size().height())
}

#[test]
fn paper_exports_are_laid_out_for_the_page() {
    // The sample as Graphviz would draw it: one long row per band.
    let mut map = sample::uk_missions();
    missionboard::layout::apply(
        &mut map,
        &missionboard::layout::Target::Wide.options(missionboard::layout::Options::default()),
    )
    .unwrap();
    for page in [Page::A3Landscape, Page::A3Portrait, Page::A4Landscape] {
        let fitted = page_scale(&map, &Options { page, ..Options::default() });
        let as_drawn = page_scale(&map, &Options { page, layout_for_page: false, ..Options::default() });
        assert!(fitted > as_drawn * 1.1, "{page:?}: laid out {fitted:.3} vs as drawn {as_drawn:.3}");
    }
    // On A3 landscape the titles (15 units) come out near 6 pt (OCR reads 95 % of them at 150 dpi;
    // shrunk as drawn they were 2 pt and none was read).
    let a3 = page_scale(&map, &Options { page: Page::A3Landscape, ..Options::default() });
    assert!(15.0 * a3 >= 5.8, "titles at {:.2} pt", 15.0 * a3);
    // The map itself is not changed by exporting it.
    let before = map.clone();
    let _ = render::to_pdf(&map, &Options { page: Page::A3Landscape, ..Options::default() }).unwrap();
    assert_eq!(map, before);
}

#[test]
fn pdf_on_a3_keeps_every_title_as_text() {
    let map = sample::uk_missions();
    let pdf = render::to_pdf(&map, &Options { page: Page::A3Landscape, ..Options::default() }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("m.pdf");
    std::fs::write(&f, &pdf).unwrap();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = norm(&pdftotext(&["-raw"], &f));
    for n in map.nodes() {
        assert!(text.contains(&norm(&n.title)), "\"{}\" is not whole in the PDF's text", n.title);
    }
}

#[test]
fn per_mission_pdf_has_the_overview_then_a_page_per_mission() {
    let map = sample::uk_missions();
    let opts = Options { page: Page::A4Landscape, per_mission: true, ..Options::default() };
    let pdf = render::to_pdf(&map, &opts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pages.pdf");
    std::fs::write(&f, &pdf).unwrap();
    let text_of = |page: usize| -> Option<String> {
        let p = page.to_string();
        try_pdftotext(&["-raw", "-f", &p, "-l", &p], &f).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    let first = text_of(1).expect("the first page has text");
    let mut missions: Vec<&Node> = map.nodes().filter(|n| n.kind() == Kind::Mission).collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    // The overview holds every mission; then one page each, headed with its title, holding what
    // serves it and not the other missions.
    for m in &missions {
        assert!(first.contains(&m.title), "{} missing from the overview", m.title);
    }
    for (i, m) in missions.iter().enumerate() {
        let text = text_of(i + 2).unwrap();
        assert!(
            text.starts_with(&format!("{} \u{2014}", m.title)),
            "page {} starts: {}",
            i + 2,
            &text[..80.min(text.len())]
        );
        for other in missions.iter().filter(|o| o.id != m.id) {
            assert!(!text.contains(&format!("MISSION {}", other.title)), "{} on {}'s page", other.title, m.title);
        }
        let serves = missionboard::export::cards_in_scope(&map, &Scope::Mission(m.id.clone()));
        for id in serves {
            let title = &map.node(&id).unwrap().title;
            assert!(text.contains(title.as_str()), "{title} missing from {}'s page", m.title);
        }
    }
    assert!(text_of(missions.len() + 2).is_none_or(|t| t.is_empty()), "no page after the last mission");
}

/// "A page for each mission" of a map with one mission: the overview already is that mission's
/// page, so it is not printed twice.
#[test]
fn per_mission_pdf_of_a_one_mission_map_does_not_repeat_the_overview() {
    let mut map = MissionMap::new("One mission");
    let id = |s: &str| NodeId::new(s).unwrap();
    map.add_node(Node::new(id("m1"), Kind::Mission, "Clean power by 2030"), Placement::at(0.0, 0.0)).unwrap();
    map.add_node(Node::new(id("s1"), Kind::SubMission, "Grid ready"), Placement::at(0.0, 200.0)).unwrap();
    map.add_node(Node::new(id("i1"), Kind::Intervention, "Connections reform"), Placement::at(0.0, 400.0)).unwrap();
    map.connect(&id("s1"), &id("m1"), missionboard::model::LinkKind::ContributesTo).unwrap();
    map.connect(&id("i1"), &id("s1"), missionboard::model::LinkKind::ContributesTo).unwrap();
    let opts = Options { page: Page::A4Landscape, per_mission: true, ..Options::default() };
    let pdf = render::to_pdf(&map, &opts).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one.pdf");
    std::fs::write(&f, &pdf).unwrap();
    let first = pdftotext(&["-f", "1", "-l", "1"], &f);
    assert!(first.contains("Clean power by 2030"), "the overview shows the mission: {first}");
    assert!(try_pdftotext(&["-f", "2", "-l", "2"], &f).is_none_or(|t| t.trim().is_empty()), "a second page");
}

/// The text of a PDF by poppler's `pdftotext`. A missing tool fails the test and says how to get
/// it, rather than skipping what the test is there to check.
fn pdftotext(args: &[&str], pdf: &std::path::Path) -> String {
    try_pdftotext(args, pdf).unwrap_or_else(|| panic!("pdftotext could not read {}", pdf.display()))
}

/// As [`pdftotext`], but `None` when the tool runs and refuses (a page past the last, say).
fn try_pdftotext(args: &[&str], pdf: &std::path::Path) -> Option<String> {
    match std::process::Command::new("pdftotext").args(args).arg(pdf).arg("-").output() {
        Ok(out) => out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(e) => panic!(
            "pdftotext is needed to read the exported PDF back ({e}). Install it (Debian/Ubuntu: `apt-get install poppler-utils`), or run `bash .ci/run`, which installs what the tests need."
        ),
    }
}

/// The board pack of the sample: a cover with the contents, the overview with the open actions,
/// then a page per mission with its indicators, risks, changes since the session and decisions;
/// every page numbered, all text selectable.
#[test]
fn the_board_pack_has_a_cover_an_overview_and_a_page_per_mission() {
    use missionboard::export::pack::{PackOptions, board_pack};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.pdf");
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let bytes =
        board_pack(&sample::uk_missions(), &PackOptions { on, since: Some("Board meeting 3".to_owned()) }).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let page = |n: u32| {
        let n = n.to_string();
        pdftotext(&["-f", &n, "-l", &n], &path).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert!(
        try_pdftotext(&["-f", "8", "-l", "8"], &path).is_none_or(|t| t.trim().is_empty()),
        "7 pages: cover, overview, five missions"
    );
    for n in 1..=7 {
        assert!(page(n).contains(&format!("page {n} of 7")), "page {n}: {}", page(n));
    }
    // Every mission's page, in id order, has its title and each section, and says what changed
    // since the session: the sample's cards edited since "Board meeting 3".
    let map = sample::uk_missions();
    let mut missions: Vec<_> = map.nodes().filter(|n| n.kind() == Kind::Mission).collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(missions.len(), 5);
    let changed = [
        "Edited (4): National Wealth Fund investment; New towns programme; 1.5 million homes built in England;",
        "Edited (3): National Wealth Fund investment; Warm Homes Plan; On track to at least 95% clean power by 2030",
        "Edited (2): Take back our streets; 13,000 more neighbourhood police and PCSOs",
        "Edited (2): Break down barriers to opportunity; 75% of five-year-olds school-ready",
        "Edited (1): Build an NHS fit for the future",
    ];
    for (i, m) in missions.iter().enumerate() {
        let n = u32::try_from(i).unwrap() + 3;
        let text = page(n);
        for want in [m.title.as_str(), "Indicators (", "Top risks", "Decisions taken"] {
            assert!(text.contains(want), "page {n} lacks {want:?}: {text}");
        }
        let heading = "Changed since \u{201c}Board meeting 3\u{201d} ";
        let section = text.split(heading).nth(1).and_then(|t| t.split("Decisions taken").next());
        assert_eq!(
            section.map(|s| s.trim().starts_with(changed[i])),
            Some(true),
            "page {n} ({}) should list {:?} under {heading:?}: {text}",
            m.title,
            changed[i]
        );
    }
    let cover = page(1);
    for want in [
        "Board pack",
        "UK missions: theory of change (sample)",
        "Meeting of 29 November 2026",
        "Contents",
        "3. Mission: Kickstart economic growth \u{2014} at risk",
        "4. Mission: Make Britain a clean energy superpower \u{2014} off track",
        "Changes since the session \u{201c}Board meeting 3\u{201d}",
    ] {
        assert!(cover.contains(want), "cover lacks {want:?}: {cover}");
    }
    let overview = page(2);
    for want in [
        "The whole map",
        "Missions",
        "Open actions",
        "Agree the two new-town test sites \u{2014} MHCLG, due 20 Nov 2026 (overdue)",
    ] {
        assert!(overview.contains(want), "overview lacks {want:?}: {overview}");
    }
    assert!(!overview.contains("Publish the mission dashboard"), "done actions are not open");
    let clean = page(4);
    for want in [
        "Make Britain a clean energy superpower",
        "Off track",
        "set by Clean share of generation",
        "Indicators (4)",
        "73.4 (Sep 2026) vs 76.4 expected",
        "Top risks",
        "Clean share of generation is off track",
        "Changed since \u{201c}Board meeting 3\u{201d}",
        "Decisions taken",
        "2026-09-15 Scale \u{2014} National Wealth Fund investment (Mission board)",
    ] {
        assert!(clean.contains(want), "the clean power page lacks {want:?}: {clean}");
    }
}

/// A card added since the session is listed on its mission's page, and a mission with nothing
/// changed says so.
#[test]
fn the_board_pack_lists_cards_added_since_the_session_on_their_missions_page() {
    use missionboard::export::pack::{PackOptions, board_pack};
    use missionboard::model::LinkKind;
    let dir = tempfile::tempdir().unwrap();
    let mut map = sample::uk_missions();
    // A session taken now; then the NHS mission (m5, the last page) gets a new intervention under
    // one of its sub-missions, and nothing else changes.
    let snapshot = missionboard::model::workshop::snapshot(&map, "Just now", None);
    map.workshop.snapshots.push(snapshot);
    let m5 = NodeId::new("m5").unwrap();
    let sub = map.links_to(&m5).map(|l| l.from.clone()).find(|id| id.as_str().starts_with('s')).unwrap();
    let new = map.create_node(Kind::Intervention, "Community diagnostic centres", Placement::at(0.0, 0.0)).unwrap();
    map.connect(&new, &sub, LinkKind::ContributesTo).unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let path = dir.path().join("pack.pdf");
    std::fs::write(&path, board_pack(&map, &PackOptions { on, since: Some("Just now".to_owned()) }).unwrap()).unwrap();
    let page = |n: u32| {
        let n = n.to_string();
        pdftotext(&["-f", &n, "-l", &n], &path).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let nhs = page(7);
    assert!(nhs.contains("Changed since \u{201c}Just now\u{201d} Added (1): Community diagnostic centres"), "{nhs}");
    let growth = page(3);
    assert!(
        growth.contains("Changed since \u{201c}Just now\u{201d} No cards of this mission were added or edited."),
        "{growth}"
    );
}

/// Each theme draws its own background, text and kind colours into the PNG, and the SVG carries
/// them; high contrast and the projector draw thicker outlines than light.
#[test]
fn each_theme_draws_its_colours_into_the_picture() {
    use missionboard::style::Theme;
    let map = sample::uk_missions();
    for theme in Theme::ALL {
        let p = theme.palette();
        let opts = Options { scale: 0.5, theme, ..Options::default() };
        let (png, _) = render::to_png(&map, &opts).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let corner = img.get_pixel(2, 2).0;
        let paper = if theme == Theme::Light { [255, 255, 255] } else { p.background };
        assert_eq!(corner, paper, "{theme:?}: the page is the theme's background");
        let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 24);
        // Title pixels: in the top band, nearer the text colour than the page (anti-aliased text
        // at half size is mostly edges).
        let dist = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).map(|(x, y)| u32::from(x.abs_diff(y))).sum::<u32>();
        let title_pixels = (0..img.width().min(600))
            .flat_map(|x| (15..45).map(move |y| (x, y)))
            .filter(|&(x, y)| dist(img.get_pixel(x, y).0, p.text) < dist(img.get_pixel(x, y).0, paper))
            .count();
        assert!(title_pixels > 40, "{theme:?}: the title is drawn in the theme's text colour ({title_pixels})");
        let mission = img.pixels().filter(|px| near(px.0, p.kind(Kind::Mission))).count();
        assert!(mission > 100, "{theme:?}: mission cards in the theme's mission colour ({mission})");
        let text = svg::to_svg(&map, &opts);
        let hex = missionboard::style::palette::hex(p.kind(Kind::SubMission));
        assert!(text.contains(&format!("stroke=\"{hex}\"")), "{theme:?}: sub-mission outlines are {hex}");
        let outline = format!("stroke-width=\"{}\"", p.outline(Kind::Intervention));
        assert!(text.contains(&outline), "{theme:?}: {outline}");
    }
    assert!(
        Theme::Projector.palette().outline(Kind::Intervention) > Theme::Light.palette().outline(Kind::Intervention)
    );
}

/// The pack tells the bad news the figures hold: a stale status beside its name (never instead of
/// it), a missed deadline, and the indicators that have no readings beside a measured mission.
#[test]
fn the_board_pack_shows_stale_beside_the_status_missed_and_what_has_no_data() {
    use missionboard::export::pack::{PackOptions, board_pack};
    let dir = tempfile::tempdir().unwrap();
    let pack = |on: chrono::NaiveDate, name: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, board_pack(&sample::uk_missions(), &PackOptions { on, since: None }).unwrap()).unwrap();
        move |n: u32| {
            let n = n.to_string();
            pdftotext(&["-f", &n, "-l", &n], &path).split_whitespace().collect::<Vec<_>>().join(" ")
        }
    };
    let late = pack(chrono::NaiveDate::from_ymd_opt(2029, 2, 1).unwrap(), "late.pdf");
    let cover = late(1);
    for want in [
        "4. Mission: Make Britain a clean energy superpower \u{2014} off track (stale: last reading 2026-09-30)",
        "6. Mission: Break down barriers to opportunity \u{2014} missed (stale: last reading 2026-09-30)",
        "met or missed once the deadline has passed",
    ] {
        assert!(cover.contains(want), "cover lacks {want:?}: {cover}");
    }
    assert!(!cover.to_lowercase().contains("\u{2014} stale"), "stale is never a status: {cover}");
    let clean = late(4);
    for want in ["Off track, stale", "last reading 2026-09-30, overdue; set by Clean share of generation"] {
        assert!(clean.contains(want), "the clean power page lacks {want:?}: {clean}");
    }
    assert!(late(6).contains("Missed"), "{}", late(6));
    let now = pack(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), "now.pdf");
    let nhs = now(7);
    for want in ["Build an NHS fit for the future", "On track", "2 of 3 indicators have no readings"] {
        assert!(nhs.contains(want), "the NHS page lacks {want:?}: {nhs}");
    }
    assert!(now(2).contains("Build an NHS fit for the future \u{2014} set by the target"), "{}", now(2));
}

/// Links drawn through a card they do not join, counted in an SVG as `shared/bench/links_through_cards.py`
/// counts them: each straight piece of a link's path against every card's rectangle shrunk by 3,
/// leaving out the cards at the path's two ends (those its first and last points touch).
fn links_through_cards(svg_text: &str) -> (usize, Vec<String>) {
    fn attr(tag: &str, name: &str) -> Option<f32> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next()?.parse().ok()
    }
    fn title(chunk: &str) -> String {
        chunk.split("</title>").next().unwrap_or_default().to_owned()
    }
    fn hits(p: (f32, f32), q: (f32, f32), c: [f32; 4]) -> bool {
        let (x0, y0, x1, y1) = (c[0] + 3.0, c[1] + 3.0, c[2] - 3.0, c[3] - 3.0);
        if x0 >= x1 || y0 >= y1 {
            return false;
        }
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let (mut t0, mut t1) = (0.0f32, 1.0f32);
        for (pk, qk) in [(-dx, p.0 - x0), (dx, x1 - p.0), (-dy, p.1 - y0), (dy, y1 - p.1)] {
            if pk == 0.0 {
                if qk < 0.0 {
                    return false;
                }
            } else {
                let t = qk / pk;
                if pk < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        t1 - t0 > 1e-6
    }
    let inside = |p: (f32, f32), c: [f32; 4]| {
        c[0] - 14.0 <= p.0 && p.0 <= c[2] + 14.0 && c[1] - 14.0 <= p.1 && p.1 <= c[3] + 14.0
    };
    let (links_part, cards_part) = svg_text.split_once(r#"<g id="cards">"#).unwrap();
    let links_part = links_part.split_once(r#"<g id="links""#).unwrap().1;
    let cards: Vec<(String, [f32; 4])> = cards_part
        .split("<g><title>")
        .skip(1)
        .filter_map(|chunk| {
            let tag = &chunk[chunk.find("<rect ")?..];
            let tag = &tag[..tag.find('>')?];
            let (x, y, w, h) = (attr(tag, "x")?, attr(tag, "y")?, attr(tag, "width")?, attr(tag, "height")?);
            Some((title(chunk), [x, y, x + w, y + h]))
        })
        .collect();
    assert!(!cards.is_empty(), "no cards found in the SVG");
    let mut through = Vec::new();
    for chunk in links_part.split("<g><title>").skip(1) {
        let Some(d) = chunk.split(" d=\"").nth(1).and_then(|d| d.split('"').next()) else { continue };
        let nums: Vec<f32> = d.split(['M', 'L', ' ']).filter_map(|t| t.parse().ok()).collect();
        let pts: Vec<(f32, f32)> = nums.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        if pts.len() < 2 {
            continue;
        }
        let (first, last) = (pts[0], pts[pts.len() - 1]);
        let crossed = cards
            .iter()
            .find(|(_, c)| !inside(first, *c) && !inside(last, *c) && pts.windows(2).any(|w| hits(w[0], w[1], *c)));
        if let Some((card, _)) = crossed {
            through.push(format!("{} / {card}", title(chunk)));
        }
    }
    (through.len(), through)
}

/// No link passes through a card it does not join: the sample and generated maps, laid out for
/// every target with every option, as drawn, on paper (laid out for the page) and a page per
/// mission, and with a card dragged into the middle of the map.
#[test]
fn no_link_passes_through_a_card_it_does_not_join() {
    use missionboard::layout::{self, Target};
    let check = |what: &str, map: &MissionMap, opts: &Options| {
        let arranged = missionboard::export::arranged(map, opts);
        let (n, which) = links_through_cards(&svg::to_svg(&arranged, opts));
        assert_eq!(n, 0, "{what}: {n} links through cards, such as {:?}", &which[..which.len().min(5)]);
    };
    let maps = [("the sample", sample::uk_missions()), ("100 generated cards", sample::generate::map(100, 11))];
    // A bigger map for the default target and one row per band (the rest take long unoptimised).
    let big = sample::generate::map(300, 5);
    check("300 generated cards as drawn", &big, &Options::default());
    for target in [Target::Screen, Target::Wide] {
        let mut laid = big.clone();
        layout::apply(&mut laid, &target.options(layout::Options::default())).unwrap();
        check(&format!("300 generated cards, laid out for {}", target.name()), &laid, &Options::default());
    }
    for (name, map) in &maps {
        check(&format!("{name} as drawn"), map, &Options::default());
        for target in Target::ALL {
            for (option, base) in [
                ("", layout::Options::default()),
                (" compact", layout::Options { compact: true, ..layout::Options::default() }),
                (" by mission", layout::Options { by_mission: true, ..layout::Options::default() }),
                (
                    " left to right",
                    layout::Options { direction: layout::Direction::LeftRight, ..layout::Options::default() },
                ),
            ] {
                let mut laid = map.clone();
                layout::apply(&mut laid, &target.options(base)).unwrap();
                check(&format!("{name}, laid out for {}{option}", target.name()), &laid, &Options::default());
            }
        }
        for page in [Page::A4Portrait, Page::A4Landscape, Page::A3Portrait, Page::A3Landscape] {
            check(&format!("{name} on {page:?}"), map, &Options { page, ..Options::default() });
        }
        // A page for each mission: the mission's cards, laid out for the page.
        let missions: Vec<NodeId> =
            map.nodes().filter(|n| n.kind() == Kind::Mission).map(|n| n.id.clone()).take(3).collect();
        for m in missions {
            let part = map.subset(&missions_cards(map, &m));
            check(
                &format!("{name}, the page of {m}"),
                &part,
                &Options { page: Page::A4Landscape, ..Options::default() },
            );
        }
    }
    // A card placed by hand in the middle of the laid-out sample, over many links: they go round it.
    let mut map = sample::uk_missions();
    layout::apply(&mut map, &layout::Options::default()).unwrap();
    let bounds =
        map.nodes_with_placement().fold((0.0f32, 0.0f32, 0usize), |(x, y, n), (_, p)| (x + p.x, y + p.y, n + 1));
    let id = NodeId::new("dropped").unwrap();
    map.add_node(
        Node::new(id, Kind::Partner, "A partner dropped by hand"),
        Placement::at(bounds.0 / bounds.2 as f32 + 7.0, bounds.1 / bounds.2 as f32 + 13.0),
    )
    .unwrap();
    check("a card dropped by hand", &map, &Options::default());
}

fn missions_cards(map: &MissionMap, mission: &NodeId) -> Vec<NodeId> {
    missionboard::export::cards_in_scope(map, &Scope::Mission(mission.clone())).into_iter().collect()
}
