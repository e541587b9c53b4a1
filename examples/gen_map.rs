//! Generates a theory-of-change map of any size for benchmarks and trials, without `shared/`.
//!
//! ```text
//! cargo run --release --example gen_map -- 10000 42 out.mission.ron
//! cargo run --release --example gen_map -- 1000 42 nodes.csv links.csv
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_map NODES SEED OUT.mission.ron | gen_map NODES SEED NODES.csv LINKS.csv";
    let (Some(n), Some(seed)) = (args.first().and_then(|s| s.parse().ok()), args.get(1).and_then(|s| s.parse().ok()))
    else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let map = missionboard::sample::generate::map(n, seed);
    let result = match &args[2..] {
        [out] => missionboard::io::save_path(&map, out.as_ref()),
        [nodes, links] => missionboard::io::csv::export_paths(&map, nodes.as_ref(), links.as_ref()).map(|_| ()),
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => {
            eprintln!("{} cards, {} links", map.node_count(), map.link_count());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
