//! CPU time of one editor frame — the egui pass plus tessellation, no GPU — for generated maps of
//! 1k and 10k cards, with the whole map in view and while panning a close-up.
//! `cargo bench --bench canvas`. Aim on the 2-core reference machine: ≤ 4 ms at 1k, ≤ 16 ms at 10k.
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]

use criterion::{Criterion, criterion_group, criterion_main};
use egui::{RawInput, Rect, pos2, vec2};
use missionboard::app::{MissionboardApp, Settings};
use missionboard::ui::canvas::View;

fn input() -> RawInput {
    RawInput { screen_rect: Some(Rect::from_min_size(pos2(0.0, 0.0), vec2(1280.0, 720.0))), ..RawInput::default() }
}

fn frame(ctx: &egui::Context, app: &mut MissionboardApp) -> usize {
    let out = ctx.run_ui(input(), |ui| app.frame(ui));
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    prims.len()
}

fn bench(c: &mut Criterion) {
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
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
