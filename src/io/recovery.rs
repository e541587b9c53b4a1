//! Never lose a workshop: autosaves into a recovery folder under the OS data directory (never over
//! the user's own file), found again after a crash; locks that tell when a map is already open in
//! another Missionboard window; and stamps that notice a file changed on disk since it was opened.
//!
//! Liveness uses the operating system's file locks (`File::try_lock`): a running Missionboard
//! holds an exclusive lock on its session's lock file, and the OS drops it when the process ends,
//! however it ends. So a lock that can be taken is stale, with no guessing from process ids or times.

use std::fs::{self, File, OpenOptions};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::atomic::{WriteError, write_atomic};
use crate::model::MissionMap;

/// The recovery folder of this user: `…/missionboard/recovery` under the OS data directory.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("uk.gov", "Missionboard", "missionboard").map(|d| d.data_dir().join("recovery"))
}

/// What is written beside each autosave.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RecoveryInfo {
    /// The file the map belongs to; `None` for a map never saved.
    pub original: Option<PathBuf>,
    pub title: String,
    pub saved_at: DateTime<Utc>,
    pub cards: usize,
}

/// This window's autosaves. Holds the session lock for as long as it lives.
#[derive(Debug)]
pub struct Session {
    dir: PathBuf,
    id: String,
    _lock: File,
}

fn session_paths(dir: &Path, id: &str) -> (PathBuf, PathBuf, PathBuf) {
    (dir.join(format!("{id}.mission.ron")), dir.join(format!("{id}.json")), dir.join(format!("{id}.lock")))
}

static NEXT_SESSION: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl Session {
    /// Starts a session in `dir` (created if need be) and takes its lock.
    pub fn start(dir: &Path) -> std::io::Result<Session> {
        fs::create_dir_all(dir)?;
        // Time, process and a counter: unique even for several windows in one process.
        let n = NEXT_SESSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{}-{}-{n}", Utc::now().format("%Y%m%d-%H%M%S"), std::process::id());
        let (_, _, lock_path) = session_paths(dir, &id);
        let lock = OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
        lock.try_lock().map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Session { dir: dir.to_owned(), id, _lock: lock })
    }

    /// Writes the map and what it belongs to, atomically (never touching `original`).
    pub fn save(&self, map: &MissionMap, original: Option<&Path>) -> Result<(), WriteError> {
        let (map_path, info_path, _) = session_paths(&self.dir, &self.id);
        // The info first: whose file this is must already be on disk when the map it describes
        // lands, even if the window is killed between the two writes.
        let info = RecoveryInfo {
            original: original.map(Path::to_path_buf),
            title: map.meta.title.clone(),
            saved_at: Utc::now(),
            cards: map.node_count(),
        };
        let json = serde_json::to_string_pretty(&info).unwrap_or_default();
        write_atomic(&info_path, json.as_bytes())?;
        write_atomic(&map_path, super::to_string(map).as_bytes())
    }

    /// Removes this session's autosave (after a clean save or close). The lock stays until drop.
    pub fn clear(&self) {
        let (map_path, info_path, _) = session_paths(&self.dir, &self.id);
        let _ = fs::remove_file(map_path);
        let _ = fs::remove_file(info_path);
    }

    /// True when this session has an autosave on disk.
    #[must_use]
    pub fn has_autosave(&self) -> bool {
        session_paths(&self.dir, &self.id).0.exists()
    }

    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let (_, _, lock_path) = session_paths(&self.dir, &self.id);
        if !self.has_autosave() {
            let _ = fs::remove_file(lock_path);
        }
    }
}

/// An autosave left behind by a Missionboard that did not close cleanly.
#[derive(Clone, Debug, PartialEq)]
pub struct Orphan {
    pub id: String,
    pub map_path: PathBuf,
    pub info: RecoveryInfo,
    dir: PathBuf,
}

impl Orphan {
    /// Reads the autosaved map.
    pub fn load(&self) -> Result<MissionMap, super::LoadError> {
        super::load_path(&self.map_path).map(|l| l.map)
    }

    /// Deletes the autosave for good.
    pub fn discard(&self) {
        let (m, i, l) = session_paths(&self.dir, &self.id);
        let _ = fs::remove_file(m);
        let _ = fs::remove_file(i);
        let _ = fs::remove_file(l);
    }
}

/// Autosaves in `dir` whose window is gone (its lock can be taken), newest first.
#[must_use]
pub fn orphans(dir: &Path) -> Vec<Orphan> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".lock") {
            // A window that ended before its first autosave landed leaves its lock (and perhaps
            // its info) with no map: nothing to offer, so nothing to keep.
            let (map_path, info_path, lock_path) = session_paths(dir, id);
            // (A lock file only a moment old may be a window still taking it.)
            let settled = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(2));
            if settled && !map_path.exists() && is_stale(&lock_path) {
                let _ = fs::remove_file(info_path);
                let _ = fs::remove_file(lock_path);
            }
            continue;
        }
        let Some(id) = name.strip_suffix(".mission.ron") else { continue };
        let (map_path, info_path, lock_path) = session_paths(dir, id);
        if !is_stale(&lock_path) {
            continue;
        }
        let map_time =
            entry.metadata().ok().and_then(|m| m.modified().ok()).map_or_else(Utc::now, DateTime::<Utc>::from);
        let mut info = fs::read_to_string(&info_path)
            .ok()
            .and_then(|t| serde_json::from_str::<RecoveryInfo>(&t).ok())
            .unwrap_or_else(|| RecoveryInfo { original: None, title: id.to_owned(), saved_at: map_time, cards: 0 });
        // The map and its info are two files written one after the other: a window killed between
        // the two leaves the new map beside the old info. What the offer shows of the map (title,
        // cards, time) is taken from the map itself; the info only says whose file it was, which
        // changes only with a save, and a save removes the autosave.
        if let Ok(loaded) = super::load_path(&map_path) {
            info.title.clone_from(&loaded.map.meta.title);
            info.cards = loaded.map.node_count();
        }
        info.saved_at = info.saved_at.max(map_time);
        found.push(Orphan { id: id.to_owned(), map_path, info, dir: dir.to_owned() });
    }
    found.sort_by_key(|o| std::cmp::Reverse(o.info.saved_at));
    found
}

/// A lock file nobody holds (or that does not exist).
fn is_stale(lock_path: &Path) -> bool {
    match OpenOptions::new().write(true).open(lock_path) {
        Ok(f) => f.try_lock().is_ok(),
        Err(_) => true,
    }
}

/// A hold on a map file, so a second Missionboard window opening it can warn. Kept in the data
/// directory (never beside the user's file), keyed by the file's full path.
#[derive(Debug)]
pub struct FileLock {
    path: PathBuf,
    _file: File,
}

/// Why a file could not be locked.
#[derive(Debug, PartialEq, Eq)]
pub enum LockState {
    /// Another Missionboard window has it open.
    HeldElsewhere,
    /// Locks cannot be kept here (no data folder); carry on without.
    Unavailable,
}

fn lock_name(file: &Path) -> String {
    let full = fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    full.hash(&mut h);
    format!("{:016x}.lock", h.finish())
}

impl FileLock {
    /// Takes the lock on `file` in `locks_dir`.
    pub fn take(locks_dir: &Path, file: &Path) -> Result<FileLock, LockState> {
        fs::create_dir_all(locks_dir).map_err(|_| LockState::Unavailable)?;
        let path = locks_dir.join(lock_name(file));
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|_| LockState::Unavailable)?;
        match f.try_lock() {
            Ok(()) => Ok(FileLock { path, _file: f }),
            Err(fs::TryLockError::WouldBlock) => Err(LockState::HeldElsewhere),
            Err(fs::TryLockError::Error(_)) => Err(LockState::Unavailable),
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// What a file on disk looked like when it was opened or saved: enough to notice that someone
/// else (a sync tool, a colleague) changed it since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    /// The stamp of `bytes` as written or read.
    #[must_use]
    pub fn of(bytes: &[u8]) -> FileStamp {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        FileStamp { len: bytes.len() as u64, hash: h.finish() }
    }

    /// The stamp of the file as it is now; `None` if it cannot be read (gone, say).
    #[must_use]
    pub fn read(path: &Path) -> Option<FileStamp> {
        fs::read(path).ok().map(|b| FileStamp::of(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_autosave_of_a_live_session_is_not_an_orphan_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let map = crate::sample::uk_missions();
        let session = Session::start(dir.path()).unwrap();
        session.save(&map, Some(Path::new("/somewhere/uk.mission.ron"))).unwrap();
        assert!(orphans(dir.path()).is_empty(), "a running window's autosave is its own");
        // The window goes away without a clean close (its lock is released, the autosave stays).
        drop(session);
        let found = orphans(dir.path());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].info.original.as_deref(), Some(Path::new("/somewhere/uk.mission.ron")));
        assert_eq!(found[0].load().unwrap().node_count(), map.node_count());
        found[0].discard();
        assert!(orphans(dir.path()).is_empty());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing left behind");
    }

    #[test]
    fn a_clean_close_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::start(dir.path()).unwrap();
        session.save(&MissionMap::new("x"), None).unwrap();
        session.clear();
        drop(session);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_file_open_twice_is_noticed_and_the_lock_goes_with_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.mission.ron");
        fs::write(&file, "x").unwrap();
        let locks = dir.path().join("locks");
        let first = FileLock::take(&locks, &file).unwrap();
        assert_eq!(FileLock::take(&locks, &file).unwrap_err(), LockState::HeldElsewhere);
        drop(first);
        assert!(FileLock::take(&locks, &file).is_ok());
    }

    #[test]
    fn stamps_tell_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.mission.ron");
        fs::write(&file, "one").unwrap();
        let stamp = FileStamp::read(&file).unwrap();
        assert_eq!(FileStamp::read(&file), Some(stamp));
        fs::write(&file, "two").unwrap();
        assert_ne!(FileStamp::read(&file), Some(stamp));
        fs::remove_file(&file).unwrap();
        assert_eq!(FileStamp::read(&file), None);
    }
}
