//! Open and save maps of 1k and 10k cards. `cargo bench --bench file_io`
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]
//! Aim on the 2-core reference machine: open ≤ 200 ms and save ≤ 100 ms at 10k cards.

use criterion::{Criterion, criterion_group, criterion_main};
use missionboard::{io, sample};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    for n in [1_000usize, 10_000] {
        let map = sample::generate::map(n, 42);
        let text = io::to_string(&map);
        let path = dir.path().join(format!("bench-{n}.mission.ron"));
        io::save_path(&map, &path).expect("save");
        let mut group = c.benchmark_group(format!("{n} cards ({} KB)", text.len() / 1024));
        group.sample_size(20);
        group.bench_function("open (read file + parse + validate)", |b| b.iter(|| io::load_path(&path).expect("load")));
        group.bench_function("save (serialise + atomic write)", |b| {
            b.iter(|| io::save_path(&map, &path).expect("save"));
        });
        group.bench_function("serialise only", |b| b.iter(|| io::to_string(&map)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
