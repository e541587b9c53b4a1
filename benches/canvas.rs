//! CPU time of one editor frame — the egui pass plus tessellation, no GPU — for the sample at fit
//! (at normal and 150 % text) and generated maps of 1k and 10k cards: with the whole map in view,
//! while panning a close-up, and the frames that follow an edit (a character typed into a title, a
//! card moved by an arrow key, a link added), with the pointer moving over cards, and an edit with
//! the checks panel open.
//! `cargo bench --bench canvas`. Aim on the 2-core reference machine: ≤ 4 ms at 1k, ≤ 16 ms at 10k.
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{Event, RawInput, Rect, pos2, vec2};
use missionboard::app::{MissionboardApp, Settings};
use missionboard::editor::{Action, CanvasEvent, Intent};
use missionboard::model::{Kind, LinkKind, MissionMap, NodeId};
use missionboard::ui::canvas::View;

fn input() -> RawInput {
    RawInput { screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1280.0, 720.0))), ..RawInput::default() }
}

fn frame(ctx: &egui::Context, app: &mut MissionboardApp) -> usize {
    frame_with(ctx, app, Vec::new())
}

fn frame_with(ctx: &egui::Context, app: &mut MissionboardApp, events: Vec<Event>) -> usize {
    let out = ctx.run_ui(RawInput { events, ..input() }, |ui| app.frame(ui));
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    prims.len()
}

/// Partner → intervention pairs not linked yet: each "add a link" frame takes the next.
fn unlinked_pairs(map: &MissionMap) -> Vec<(NodeId, NodeId)> {
    let partners: Vec<&NodeId> = map.nodes().filter(|n| n.kind() == Kind::Partner).map(|n| &n.id).collect();
    let interventions: Vec<&NodeId> = map.nodes().filter(|n| n.kind() == Kind::Intervention).map(|n| &n.id).collect();
    let mut pairs = Vec::new();
    for (k, p) in partners.iter().enumerate() {
        for i in interventions.iter().skip(k % 7).step_by(7).take(8) {
            if !map.links_from(p).any(|l| l.to == **i && l.kind == LinkKind::Delivers) {
                pairs.push(((*p).clone(), (*i).clone()));
            }
        }
    }
    pairs
}

fn bench(c: &mut Criterion) {
    // The sample at fit: few enough missions and sub-missions that each title gets every try
    // (every size and reach, over no other card first) to be drawn whole.
    // At 150 % text the canvas is smaller and the labels larger: most titles that must make way
    // for another (see `Labeller::make_way`) are there.
    let mut group = c.benchmark_group("sample");
    group.sample_size(30);
    for (name, ui_scale) in [("frame, whole map in view", 1.0), ("frame at 150 % text", 1.5)] {
        let ctx = egui::Context::default();
        let settings = Settings { ui_scale, ..Settings::default() };
        let mut app = MissionboardApp::with_map(&ctx, missionboard::sample::uk_missions(), settings);
        for _ in 0..3 {
            frame(&ctx, &mut app);
        }
        let fitted = app.view();
        group.bench_function(name, |b| {
            b.iter(|| {
                app.set_view(fitted);
                frame(&ctx, &mut app)
            });
        });
    }
    group.finish();
    for n in [1_000usize, 10_000] {
        let map = missionboard::sample::generate::map(n, 42);
        let ctx = egui::Context::default();
        let mut app = MissionboardApp::with_map(&ctx, map, Settings::default());
        for _ in 0..3 {
            frame(&ctx, &mut app); // fit the view, build fonts and the scene
        }
        let fitted = app.view();
        let mut group = c.benchmark_group(format!("{n} cards"));
        group.sample_size(30);
        group.bench_function("frame, whole map in view", |b| {
            b.iter(|| {
                app.set_view(fitted);
                frame(&ctx, &mut app)
            });
        });
        let mut x = 0.0_f32;
        group.bench_function("frame, panning at 100%", |b| {
            b.iter(|| {
                x += 7.0;
                app.set_view(View { offset: vec2(-(x % 3000.0), -200.0), zoom: 1.0 });
                frame(&ctx, &mut app)
            });
        });
        let mut x = 0.0_f32;
        group.bench_function("frame, panning at 40%", |b| {
            b.iter(|| {
                x += 7.0;
                app.set_view(View { offset: vec2(-(x % 3000.0), -100.0), zoom: 0.4 });
                frame(&ctx, &mut app)
            });
        });
        edit_frames(&mut group, &ctx, &mut app, fitted);
        group.finish();
    }
}

/// The frames after an edit, with the whole map in view (everything is drawn), each measured as
/// the frame that applies the edit and draws its result.
fn edit_frames(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ctx: &egui::Context,
    app: &mut MissionboardApp,
    fitted: View,
) {
    let card = app.map().sorted_nodes().iter().find(|n| n.kind() == Kind::Intervention).map(|n| n.id.clone());
    let card = card.expect("a generated map has interventions");
    app.queue(Intent::Show(vec![card.clone()]));
    frame(ctx, app);
    app.set_view(fitted);
    frame(ctx, app);
    let base = app.map().node(&card).map(|n| n.title.clone()).unwrap_or_default();
    let mut typed = 0usize;
    group.bench_function("edit: type a character into a title", |b| {
        b.iter(|| {
            typed = (typed + 1) % 40;
            let title = format!("{base} {}", "x".repeat(typed));
            app.queue(Intent::Canvas(CanvasEvent::TitleEdited { id: card.clone(), title }));
            frame(ctx, app)
        });
    });
    app.queue(Intent::Canvas(CanvasEvent::TitleEditEnded));
    frame(ctx, app);
    // Ten steps right, ten back, so the card stays near where it was.
    let mut step = 0u32;
    let mut nudge = move || {
        step += 1;
        Intent::Nudge { dx: if step % 20 < 10 { 10.0 } else { -10.0 }, dy: 0.0 }
    };
    group.bench_function("edit: move a card by arrow key", |b| {
        b.iter(|| {
            app.queue(nudge());
            frame(ctx, app)
        });
    });
    let pairs = unlinked_pairs(app.map());
    let mut next = 0usize;
    group.bench_function("edit: add a link", |b| {
        b.iter(|| {
            let (from, to) = pairs[next % pairs.len()].clone();
            next += 1;
            app.queue(Intent::Canvas(CanvasEvent::Connect { from, to }));
            frame(ctx, app)
        });
    });
    let mut x = 0.0_f32;
    group.bench_function("pointer moving over cards", |b| {
        b.iter(|| {
            x = (x + 13.0) % 900.0;
            frame_with(ctx, app, vec![Event::PointerMoved(pos2(350.0 + x, 200.0 + (x * 0.37) % 400.0))])
        });
    });
    // The new link took the selection: select the card again, with the whole map in view.
    app.queue(Intent::Do(Action::ToggleChecks));
    app.queue(Intent::Show(vec![card.clone()]));
    frame(ctx, app);
    app.set_view(fitted);
    frame(ctx, app);
    group.bench_function("edit with the checks panel open", |b| {
        b.iter(|| {
            app.queue(nudge());
            frame(ctx, app)
        });
    });
    app.queue(Intent::Do(Action::ToggleChecks));
    frame(ctx, app);
}

criterion_group!(benches, bench);
criterion_main!(benches);
