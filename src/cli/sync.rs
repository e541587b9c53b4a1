//! `missionboard sync FILE --from ADDR --code CODE`: the headless peer of a live map. It joins,
//! merges FILE's own changes since its last sync into the live map, writes the live map back to
//! FILE, and leaves (a pull and a push). The map as last synced is kept beside FILE
//! (`FILE.last-sync`), so the next sync knows which changes are FILE's own.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::command::Command;
use crate::io;
use crate::live::Peer;
use crate::model::merge;

use super::{FAILED, OK, load};

/// How long `sync` waits for the live map before giving up.
const JOIN_WAIT: Duration = Duration::from_mins(1);

/// The live map's address as a WebSocket URL: `192.168.1.20:8150` or `http://…` (a room, joined with
/// `code`), or `ws://relay:1234/ROOM` (a relay's room, used as it is).
///
/// # Errors
/// An address that is neither.
pub fn live_url(from: &str, code: Option<&str>, name: &str) -> Result<String, String> {
    let from = from.trim();
    if from.starts_with("ws://") || from.starts_with("wss://") {
        return Ok(from.to_owned());
    }
    let host = from.trim_start_matches("http://").trim_end_matches('/');
    if host.is_empty() || host.contains(['/', ' ', '?', '#']) {
        return Err(format!(
            "\"{from}\" is not an address: give the room's address as shown on the host's screen (such as 192.168.1.20:8150), or a relay's as ws://host:port/room"
        ));
    }
    // A port, where one is given, is a number a room can listen on ("8150", not "81509QAZQB":
    // a code typed into the address box).
    if let Some((_, port)) = host.rsplit_once(':')
        && !host.ends_with(']')
        && port.parse::<u16>().map_or(true, |p| p == 0)
    {
        return Err(format!(
            "\"{from}\" has no port a room listens on after the colon (\"{port}\"): give the address as the host's screen shows it, such as 192.168.1.20:8150"
        ));
    }
    let Some(code) = code else {
        return Err("a room is joined with its code: add --code and the code shown on the host's screen".to_owned());
    };
    let enc = |s: &str| {
        s.bytes()
            .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect::<String>()
    };
    Ok(format!("ws://{host}/live?code={}&name={}", enc(code), enc(name)))
}

/// The file beside FILE that keeps the map as it was last synced.
#[must_use]
pub fn base_path(file: &Path) -> PathBuf {
    let mut p = file.as_os_str().to_owned();
    p.push(".last-sync");
    PathBuf::from(p)
}

/// Runs `sync`.
#[must_use]
pub fn sync(file: &Path, from: &str, code: Option<&str>, name: &str) -> u8 {
    let url = match live_url(from, code, name) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    let ours = if file.exists() {
        match load(file) {
            Ok(m) => Some(m),
            Err(code) => return code,
        }
    } else {
        None
    };
    let base = base_path(file);
    let base_map = if base.exists() { io::load_path(&base).ok().map(|l| l.map) } else { None };
    let mut peer = match Peer::join(&url, name, JOIN_WAIT) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Could not join the live map: {e}");
            return FAILED;
        }
    };
    let live = peer.doc.map().clone();
    // A room nobody has put a map in yet (a department's relay, before anyone synced): FILE is
    // the map. Merged without a base, the empty live map's blank details "won" over FILE's title,
    // organisation and description, and blanked them everywhere.
    let empty_room = live.node_count() == 0 && live.link_count() == 0;
    let base_map = base_map.or_else(|| empty_room.then(|| live.clone()));
    let mut conflicts = 0;
    if let Some(ours) = ours {
        // Our changes since the last sync, onto the live map; where both changed a field, the
        // live map's value stays and the conflict is named.
        let merged = merge::merge(base_map.as_ref(), &live, &ours, &std::collections::BTreeMap::new());
        for c in &merged.conflicts {
            println!(
                "conflict: {}, {}: the live map's {} kept; {} had {}",
                c.what,
                c.field_label(),
                c.show(merge::Side::Ours),
                file.display(),
                c.show(merge::Side::Theirs)
            );
        }
        conflicts = merged.conflicts.len();
        let pushed = crate::model::patch::changed_items(&live, &merged.map).len()
            + crate::model::patch::changed_routes(&live, &merged.map).len();
        if pushed > 0
            && let Err(e) = peer.doc.apply("Sync", Command::ReplaceMap(Box::new(merged.map)))
        {
            eprintln!("Could not put {}'s changes into the live map: {e}", file.display());
            return FAILED;
        }
    }
    if let Err(e) = peer.flush(Duration::from_secs(10)) {
        eprintln!("Could not send the changes: {e}");
        return FAILED;
    }
    let map = peer.doc.map().clone();
    // Another laptop changed the same field at the same moment, and its value is the live map's.
    for r in &peer.conn.session.replaced {
        println!("changed at the same moment by another laptop: {}", r.describe(&map));
    }
    if let Err(e) = io::save_path(&map, file).and_then(|()| io::save_path(&map, &base)) {
        eprintln!("{e}");
        return FAILED;
    }
    peer.leave();
    println!(
        "Synced {} with the live map: {} cards, {} links{}.",
        file.display(),
        map.node_count(),
        map.link_count(),
        match conflicts {
            0 => String::new(),
            1 => "; 1 conflict kept the live map's value".to_owned(),
            n => format!("; {n} conflicts kept the live map's value"),
        }
    );
    OK
}

#[cfg(test)]
mod tests {
    use super::live_url;

    #[test]
    fn an_address_is_read_as_the_host_shows_it_and_a_garbled_port_is_refused_at_once() {
        assert_eq!(
            live_url("192.168.1.20:8150", Some("ABC DEF"), "Group 2").as_deref(),
            Ok("ws://192.168.1.20:8150/live?code=ABC%20DEF&name=Group%202")
        );
        assert!(live_url("http://127.0.0.1:8150/", Some("X"), "n").is_ok());
        assert!(live_url("[::1]:8150", Some("X"), "n").is_ok());
        assert_eq!(live_url("ws://relay:1234/board", None, "n").as_deref(), Ok("ws://relay:1234/board"));
        for bad in ["127.0.0.1:81509QAZQB", "127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:0"] {
            let said = live_url(bad, Some("X"), "n").err().unwrap_or_default();
            assert!(said.contains("port"), "{bad}: {said}");
        }
    }
}
