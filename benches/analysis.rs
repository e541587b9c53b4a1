//! Every check and the portfolio figures on maps of 1k and 10k cards. `cargo bench --bench analysis`
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]
//! Aim on the 2-core reference machine: all checks plus the portfolio ≤ 50 ms at 10k cards, so the
//! checks panel can run them on every change.

use criterion::{Criterion, criterion_group, criterion_main};
use missionboard::model::analysis::{analyse, pathway, portfolio, run_checks};
use missionboard::model::{Budget, NodeKind};
use missionboard::sample;

const DEPARTMENTS: &[&str] = &["DESNZ", "DHSC", "DfE", "Home Office", "MHCLG", "DBT", "DSIT", "HM Treasury"];

fn bench(c: &mut Criterion) {
    for n in [1_000usize, 10_000] {
        let mut map = sample::generate::map(n, 42);
        // Give interventions departments and budgets, so the portfolio has money to share out.
        let ids: Vec<_> = map.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        for (i, id) in ids.iter().enumerate() {
            map.update_node(id, |node| {
                if let NodeKind::Intervention { lead_department, budget, .. } = &mut node.kind {
                    DEPARTMENTS[i % DEPARTMENTS.len()].clone_into(lead_department);
                    *budget = Some(Budget {
                        amount: (i % 97) as f64 * 1e6,
                        currency: "GBP".to_owned(),
                        period: String::new(),
                    });
                }
            })
            .expect("card exists");
        }
        let first = run_checks(&map);
        println!(
            "{n} cards: {} findings ({} errors)",
            first.open.len(),
            first.count(missionboard::model::analysis::Severity::Error)
        );
        let mut group = c.benchmark_group(format!("{n} cards"));
        group.sample_size(20);
        group.bench_function("all checks", |b| b.iter(|| run_checks(&map)));
        group.bench_function("portfolio figures", |b| b.iter(|| portfolio(&map)));
        group.bench_function("checks + portfolio", |b| {
            b.iter(|| analyse(&map));
        });
        let mission = ids.iter().find(|id| id.as_str().starts_with('m')).expect("a mission").clone();
        group.bench_function("pathway through a mission", |b| b.iter(|| pathway(&map, std::slice::from_ref(&mission))));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
