//! Importing real grant data: 10,000 grants of a 360Giving CSV file read, matched and added to a
//! map of 40 programmes' interventions and 500 partners, by the CLI's steps and by the app's
//! (read and preview; Add as one undo step). `cargo bench --bench grants`
#![allow(clippy::expect_used, reason = "a benchmark that cannot set up should stop loudly")]
//! Aim (issue 28): 10,000 grants import in under a second on the 2-core reference machine.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use missionboard::editor::grants::GrantImport;
use missionboard::editor::{Editor, Settings};
use missionboard::io::csv::read_grants;
use missionboard::model::money::grants::{Rule, apply, plan};
use missionboard::model::{Kind, MissionMap, Node, NodeId, Placement};

const GRANTS: usize = 10_000;
const PROGRAMMES: usize = 40;
const PARTNERS: usize = 500;

/// A 360Giving CSV file: 10,000 grants over 40 programmes; a quarter of the recipients are
/// partner cards by identifier, a quarter by name, the rest new (2,000 organisations in all).
fn csv() -> String {
    let mut s = "Identifier,Title,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Funding Org:Identifier,Funding Org:Name,Grant Programme:Title,Planned Dates:Start Date,Planned Dates:End Date\n".to_owned();
    for i in 0..GRANTS {
        let org = i % 2_000;
        let _ = writeln!(
            s,
            "360G-bench-{i},\"Grant {i}, for the community\",GBP,{},2025-{:02}-{:02},GB-CHC-{org},Organisation {org},GB-GOV-1,Bench Fund,Programme {},2025-04-01,2027-03-31",
            1_000 + (i * 37) % 250_000,
            1 + i % 12,
            1 + i % 28,
            i % PROGRAMMES
        );
    }
    s
}

fn map() -> MissionMap {
    let mut map = MissionMap::new("Grants bench");
    for p in 0..PROGRAMMES {
        let id = NodeId::new(format!("i{p}")).expect("id");
        map.add_node(Node::new(id, Kind::Intervention, format!("Programme {p}")), Placement::default()).expect("add");
    }
    for o in 0..PARTNERS {
        let (id, title) = if o % 2 == 0 {
            (format!("GB-CHC-{o}"), format!("Partner {o}"))
        } else {
            (format!("p{o}"), format!("Organisation {o}"))
        };
        map.add_node(Node::new(NodeId::new(id).expect("id"), Kind::Partner, title), Placement::default()).expect("add");
    }
    map
}

fn bench(c: &mut Criterion) {
    let (text, map) = (csv(), map());
    let grants = read_grants("grants.csv", text.as_bytes()).expect("the bench's grants read");
    let p = plan(&map, &grants, Rule::Title, &BTreeMap::new());
    println!(
        "{} grants: {} to add, {} partners by identifier, {} by name, {} new",
        grants.len(),
        p.adding(),
        p.by_identifier,
        p.by_name,
        p.new_partners.len()
    );
    let mut group = c.benchmark_group("10k grants");
    group.sample_size(10);
    group.bench_function("read the CSV", |b| b.iter(|| read_grants("grants.csv", text.as_bytes())));
    group.bench_function("plan (match)", |b| b.iter(|| plan(&map, &grants, Rule::Title, &BTreeMap::new())));
    group.bench_function("apply (add lines, partners, links)", |b| b.iter(|| apply(&map, &grants, &p)));
    group.bench_function("read, plan and apply", |b| {
        b.iter(|| {
            let g = read_grants("grants.csv", text.as_bytes()).expect("read");
            let p = plan(&map, &g, Rule::Title, &BTreeMap::new());
            apply(&map, &g, &p)
        });
    });
    // The app's path (File > Import 360Giving grants…): the file read, the preview with a row per
    // grant, then "Add": placing 1,500 new partner cards and applying it all as one undo step.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("grants-10k.csv");
    std::fs::write(&file, &text).expect("the bench's file written");
    group.bench_function("app: read and preview", |b| {
        b.iter(|| {
            let mut import = GrantImport::new(file.display().to_string());
            import.read();
            import.preview(&map, 1).map(|p| p.rows.len())
        });
    });
    let mut import = GrantImport::new(file.display().to_string());
    import.read();
    group.bench_function("app: Add (place new cards, one undo step)", |b| {
        b.iter_batched(
            || Editor::new(map.clone(), Settings::default()),
            |mut ed| {
                assert!(ed.import_grants(&import));
                ed
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
