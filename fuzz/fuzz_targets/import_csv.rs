//! Any pair of files given to the CSV importer (split at the first 0xFF byte, which UTF-8 never
//! contains): it may refuse them, never panic. A map it builds must save and load back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (nodes, links) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    if let Ok(imported) = missionboard::io::csv::import("nodes.csv", nodes, "links.csv", links) {
        let text = missionboard::io::to_string(&imported.map);
        assert!(missionboard::io::load_str(&text).is_ok(), "an imported map must save and load back");
    }
});
