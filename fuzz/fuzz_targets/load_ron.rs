//! Any bytes given to the map loader: it may refuse them, never panic, hang or run out of memory.
//! A map it accepts must save and load back to the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(loaded) = missionboard::io::load_bytes(data) {
        let text = missionboard::io::to_string(&loaded.map);
        let again = missionboard::io::load_str(&text).map(|l| missionboard::io::to_string(&l.map));
        assert_eq!(again.ok().as_deref(), Some(text.as_str()), "a saved map must load back unchanged");
    }
});
