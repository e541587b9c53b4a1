//! The one way Missionboard writes a file: to a temporary file in the same folder, flushed and synced,
//! then renamed over the target. A reader (or a crash) sees the complete old file or the complete new
//! one, never half of either.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be written, in words a person can act on.
#[derive(Debug, thiserror::Error)]
#[error("could not save \"{path}\": {reason}")]
pub struct WriteError {
    pub path: PathBuf,
    pub reason: String,
    #[source]
    pub source: io::Error,
}

impl WriteError {
    fn new(path: &Path, source: io::Error) -> WriteError {
        let reason = explain(&source);
        WriteError { path: path.to_owned(), reason, source }
    }
}

/// Plain-English reason for an I/O error, with what to do about it.
#[must_use]
pub fn explain(err: &io::Error) -> String {
    use io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "the folder does not exist (was it moved, renamed or on a drive that is no longer connected?). Choose another place with Save As.".to_owned(),
        K::PermissionDenied => "you do not have permission to write there, or the file is read-only. Choose another folder with Save As.".to_owned(),
        K::StorageFull => "the disk is full. Free some space or save somewhere else; your map is still open and nothing is lost.".to_owned(),
        K::ReadOnlyFilesystem => "the drive is read-only. Save to another drive or folder.".to_owned(),
        K::IsADirectory => "that name belongs to a folder, not a file. Choose a file name.".to_owned(),
        _ => format!("{err}. Your map is still open; try Save As to another place."),
    }
}

/// Plain-English reason a file could not be read.
#[must_use]
pub fn explain_read(err: &io::Error) -> String {
    use io::ErrorKind as K;
    match err.kind() {
        K::NotFound => "there is no file at that place (was it moved or renamed?)".to_owned(),
        K::PermissionDenied => {
            "you do not have permission to open it; ask whoever shared it, or copy it somewhere of your own".to_owned()
        }
        K::IsADirectory => "that is a folder, not a file".to_owned(),
        _ => err.to_string(),
    }
}

/// Writes `bytes` to `path` atomically: temporary file in the same folder, write, flush, fsync,
/// rename, then fsync the folder. On error the old file (if any) is untouched and the temporary
/// file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(WriteError::new(path, io::Error::from(io::ErrorKind::IsADirectory)));
    }
    let name = path.file_name().map_or_else(|| "missionboard".into(), |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| WriteError::new(path, e))?;
    // Keep the permissions of the file we replace, so a shared file stays shared; a new file gets
    // the usual rw-r--r-- rather than the temporary file's private rw-------.
    if let Ok(meta) = fs::metadata(path) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644));
        }
    }
    // Held while writing, released by the OS however this process ends: a temporary nobody holds
    // belongs to a writer that died, and the next save of this file sweeps it. A file system
    // without locks just leaves the sweep to the age rule.
    let _ = tmp.as_file().try_lock();
    tmp.write_all(bytes).map_err(|e| WriteError::new(path, e))?;
    tmp.flush().map_err(|e| WriteError::new(path, e))?;
    tmp.as_file().sync_all().map_err(|e| WriteError::new(path, e))?;
    tmp.persist(path).map_err(|e| WriteError::new(path, e.error))?;
    // Make the rename itself durable. Not every platform can open a folder; that is not an error.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    sweep_stale_temporaries(&dir, &name);
    Ok(())
}

/// A writer killed mid-save leaves its hidden temporary file behind (the target itself is always
/// whole). Removes such leftovers of this file: those whose writer is gone (nobody holds their
/// lock) once a moment has passed — a live writer takes its lock right after creating the file —
/// and any left longer than ten minutes where locks do not work.
fn sweep_stale_temporaries(dir: &Path, name: &str) {
    const UNHELD: std::time::Duration = std::time::Duration::from_secs(2);
    const STALE: std::time::Duration = std::time::Duration::from_mins(10);
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if !(file_name.starts_with(&prefix) && file_name.ends_with(".tmp")) {
            continue;
        }
        let Some(age) = entry.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()) else {
            continue;
        };
        let writer_gone = || File::open(entry.path()).is_ok_and(|f| f.try_lock().is_ok());
        if age > STALE || (age > UNHELD && writer_gone()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.mission.ron");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files are left behind");
    }

    #[test]
    fn leftovers_of_killed_writers_are_swept_once_stale() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.mission.ron");
        let old = dir.path().join(".a.mission.ron.abc123.tmp");
        let fresh = dir.path().join(".a.mission.ron.def456.tmp");
        let other = dir.path().join(".b.mission.ron.abc123.tmp");
        for f in [&old, &fresh, &other] {
            fs::write(f, b"half").unwrap();
        }
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(1);
        for f in [&old, &other] {
            File::options().write(true).open(f).unwrap().set_modified(hour_ago).unwrap();
        }
        write_atomic(&p, b"whole").unwrap();
        assert!(!old.exists(), "a stale leftover of this file goes");
        assert!(fresh.exists(), "a recent one may belong to a live writer");
        assert!(other.exists(), "other files' leftovers are theirs to sweep");
    }

    #[test]
    fn a_leftover_whose_writer_is_gone_is_swept_at_the_next_save_but_a_held_one_stays() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.mission.ron");
        let dead = dir.path().join(".a.mission.ron.dead01.tmp");
        let live = dir.path().join(".a.mission.ron.live01.tmp");
        for f in [&dead, &live] {
            fs::write(f, b"half").unwrap();
            let seconds_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(5);
            File::options().write(true).open(f).unwrap().set_modified(seconds_ago).unwrap();
        }
        // A writer still at work holds its temporary's lock.
        let writer = File::open(&live).unwrap();
        writer.try_lock().unwrap();
        write_atomic(&p, b"whole").unwrap();
        assert!(!dead.exists(), "nobody holds it: its writer died");
        assert!(live.exists(), "its writer is still writing");
        drop(writer);
        write_atomic(&p, b"again").unwrap();
        assert!(!live.exists());
    }

    #[test]
    fn missing_folder_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gone").join("a.mission.ron");
        let err = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(err.contains("folder does not exist"), "{err}");
    }

    #[test]
    fn a_folder_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err().to_string();
        assert!(err.contains("folder"), "{err}");
    }
}
