//! The file session: which file the map belongs to, what that file looked like when last read or
//! written (to notice changes made by others), the hold on it against a second window, and the
//! autosave into the recovery folder. Open, restore, new, templates and save all change file
//! through [`FileSession::switch_to`], so none of them can keep a stale lock or stamp.

use std::path::{Path, PathBuf};

use crate::command::Document;
use crate::io::recovery::{self, FileLock, FileStamp, LockState};
use crate::model::MissionMap;

/// How often unsaved changes are autosaved to the recovery folder (seconds).
pub const AUTOSAVE_SECONDS: f64 = 30.0;

/// The file a map belongs to, and what keeps it safe.
#[derive(Debug, Default)]
pub struct FileSession {
    path: Option<PathBuf>,
    /// The file as it was when opened or last saved.
    stamp: Option<FileStamp>,
    /// The hold on the file, so a second window can warn.
    lock: Option<FileLock>,
    /// Where autosaves and locks live (the OS data folder, or a test's folder).
    data_dir: Option<PathBuf>,
    autosave: Option<recovery::Session>,
    /// The revision last autosaved.
    autosaved: Option<u64>,
    /// When the last autosave was tried (seconds on the app's clock).
    last_autosave: f64,
    /// The next save may replace a file that changed on disk (the person said so).
    pub overwrite_ok: bool,
}

/// What taking the hold on a file found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    Taken,
    /// Another Missionboard window has it open.
    HeldElsewhere,
    /// There is no file, or locks cannot be kept here: carry on without.
    None,
}

impl FileSession {
    /// Keeps autosaves and locks under `dir`; returns the autosaves a window that did not close
    /// cleanly left there, or why autosave is off.
    pub fn use_data_dir(&mut self, dir: &Path) -> (Vec<recovery::Orphan>, Option<String>) {
        self.data_dir = Some(dir.to_owned());
        let folder = dir.join("recovery");
        let found = recovery::orphans(&folder);
        match recovery::Session::start(&folder) {
            Ok(session) => {
                self.autosave = Some(session);
                (found, None)
            }
            Err(e) => (
                found,
                Some(format!(
                    "Autosave is off: the recovery folder {} cannot be used ({e}). Save often.",
                    folder.display()
                )),
            ),
        }
    }

    /// Where autosaves, locks and handed-out bases are kept (none in tests that do not say).
    #[must_use]
    pub fn data_dir(&self) -> Option<&Path> {
        self.data_dir.as_deref()
    }

    /// The file the map is saved in.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Sets the file without touching the disk (tests, Save As from elsewhere).
    pub fn set_path(&mut self, path: Option<PathBuf>) {
        self.path = path;
    }

    /// The one way the map changes file (open, restore, new, template, save as): lets go of the
    /// old file's hold and stamp, takes the new file's, and reads its stamp (or takes `stamp`,
    /// what was just written).
    pub fn switch_to(&mut self, path: Option<&Path>, stamp: Option<FileStamp>) -> Hold {
        let same = path.is_some() && path == self.path.as_deref();
        self.stamp = stamp.or_else(|| path.and_then(FileStamp::read));
        self.overwrite_ok = false;
        self.path = path.map(Path::to_path_buf);
        if same && self.lock.is_some() {
            return Hold::Taken;
        }
        self.lock = None;
        let (Some(dir), Some(path)) = (&self.data_dir, path) else { return Hold::None };
        match FileLock::take(&dir.join("locks"), path) {
            Ok(lock) => {
                self.lock = Some(lock);
                Hold::Taken
            }
            Err(LockState::HeldElsewhere) => Hold::HeldElsewhere,
            Err(LockState::Unavailable) => Hold::None,
        }
    }

    /// Whether the file on disk changed since it was opened or saved (someone else wrote it).
    #[must_use]
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        self.path.as_deref() == Some(path)
            && !self.overwrite_ok
            && self.stamp.is_some()
            && FileStamp::read(path).is_some_and(|now| Some(now) != self.stamp)
    }

    /// Whether autosave works here.
    #[must_use]
    pub fn autosaves(&self) -> bool {
        self.autosave.is_some()
    }

    /// Writes the autosave now if there are unsaved changes not yet autosaved. An error says why
    /// (it is tried again at the next interval).
    pub fn autosave_now(&mut self, doc: &Document, now: f64) -> Result<(), String> {
        let Some(session) = &self.autosave else { return Ok(()) };
        let rev = doc.revision();
        if !doc.is_dirty() || self.autosaved == Some(rev) {
            return Ok(());
        }
        self.last_autosave = now;
        session.save(doc.map(), self.path.as_deref()).map_err(|e| format!("Autosave failed: {e}"))?;
        self.autosaved = Some(rev);
        Ok(())
    }

    /// The autosave is no longer needed (a clean save, a clean close, back to the saved state).
    pub fn drop_autosave(&mut self) {
        if let Some(session) = &self.autosave
            && self.autosaved.is_some()
        {
            session.clear();
        }
        self.autosaved = None;
    }

    /// Closing on purpose (saved or discarded): the autosave goes.
    pub fn close(&mut self) {
        if let Some(session) = &self.autosave {
            session.clear();
        }
        self.autosaved = None;
    }

    /// Call every frame. Autosaves when due (every [`AUTOSAVE_SECONDS`], or when the window
    /// loses focus); returns the seconds until the next autosave is due, if one is waiting.
    pub fn tick(&mut self, doc: &Document, now: f64, focus_lost: bool) -> Result<Option<f64>, String> {
        if self.autosave.is_none() {
            return Ok(None);
        }
        if !doc.is_dirty() {
            if self.autosaved.is_some() {
                self.drop_autosave();
            }
            return Ok(None);
        }
        if self.autosaved == Some(doc.revision()) {
            return Ok(None);
        }
        if focus_lost || now - self.last_autosave >= AUTOSAVE_SECONDS {
            self.autosave_now(doc, now)?;
            Ok(None)
        } else {
            Ok(Some(AUTOSAVE_SECONDS - (now - self.last_autosave)))
        }
    }
}

/// What an autosave holds, compared with the file it belongs to.
#[must_use]
pub fn recovery_summary(orphan: &recovery::Orphan) -> String {
    let Ok(recovered) = orphan.load() else {
        return "The autosave cannot be read.".to_owned();
    };
    summary_against(orphan.info.original.as_deref(), &recovered)
}

fn summary_against(original: Option<&Path>, recovered: &MissionMap) -> String {
    match original {
        None => format!("A map that was never saved, with {} cards.", recovered.node_count()),
        Some(path) => match crate::io::load_path(path) {
            Ok(saved) => format!(
                "Compared with {}: {}.",
                path.display(),
                crate::model::diff::diff(&saved.map, recovered).summary()
            ),
            Err(_) => {
                format!("{} cannot be read now; the autosave has {} cards.", path.display(), recovered.node_count())
            }
        },
    }
}

/// A new file beside `path` for "Save mine as a new file": `board (my copy).mission.ron`, or
/// `board (my copy 2).mission.ron` and so on when that is taken, so mine never lands on theirs.
#[must_use]
pub fn copy_beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = crate::io::format::EXTENSION;
    let stem = name.strip_suffix(&format!(".{ext}")).unwrap_or(&name).to_owned();
    (1u32..=10_000)
        .map(|n| {
            let copy = if n == 1 { format!("{stem} (my copy).{ext}") } else { format!("{stem} (my copy {n}).{ext}") };
            path.with_file_name(copy)
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_file_name(format!("{stem} (my copy).{ext}")))
}

/// A map title made safe as a file name ("UK missions: 2030" → "UK missions- 2030").
#[must_use]
pub fn safe_file_name(title: &str) -> String {
    let s: String = title.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '-' }).collect();
    let s = s.trim().to_owned();
    if s.is_empty() { "mission-map".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;
    use crate::model::{Kind, Node, NodeId, Placement};

    fn dirty_doc() -> Document {
        let mut doc = Document::new(crate::sample::blank());
        let id = doc.fresh_node_id(Kind::Mission);
        let node = Node::new(id, Kind::Mission, "Net zero");
        doc.apply("Add", Command::AddNode { node, place: Placement::at(0.0, 0.0) }).unwrap();
        doc
    }

    #[test]
    fn switching_file_lets_go_of_the_old_hold_and_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.mission.ron");
        crate::io::save_path(&crate::sample::blank(), &a).unwrap();
        let mut s = FileSession::default();
        let _ = s.use_data_dir(dir.path());
        assert_eq!(s.switch_to(Some(&a), None), Hold::Taken);
        assert!(FileLock::take(&dir.path().join("locks"), &a).is_err(), "held while open");
        // Someone else writes the file: noticed.
        std::fs::write(&a, "changed").unwrap();
        assert!(s.changed_on_disk(&a));
        assert_eq!(s.switch_to(None, None), Hold::None);
        assert!(s.path().is_none());
        assert!(!s.changed_on_disk(&a), "a new map has no stamp of the old file");
        assert!(FileLock::take(&dir.path().join("locks"), &a).is_ok(), "the hold went with the file");
    }

    #[test]
    fn autosave_waits_for_the_interval_or_focus_loss_then_goes_after_a_save() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileSession::default();
        let (found, off) = s.use_data_dir(dir.path());
        assert!(found.is_empty() && off.is_none());
        let mut doc = dirty_doc();
        assert_eq!(s.tick(&doc, 10.0, false), Ok(Some(AUTOSAVE_SECONDS - 10.0)), "not yet");
        assert_eq!(recovery::orphans(&dir.path().join("recovery")).len(), 0);
        assert_eq!(s.tick(&doc, 12.0, true), Ok(None), "focus lost: saved at once");
        let autosaves = std::fs::read_dir(dir.path().join("recovery")).unwrap().count();
        assert!(autosaves >= 1);
        doc.mark_saved();
        assert_eq!(s.tick(&doc, 13.0, false), Ok(None));
        let left: Vec<_> = std::fs::read_dir(dir.path().join("recovery"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().to_string_lossy().ends_with(".mission.ron"))
            .collect();
        assert!(left.is_empty(), "the autosave goes once the map is saved: {left:?}");
    }

    #[test]
    fn a_summary_says_what_an_autosave_adds() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.mission.ron");
        crate::io::save_path(&crate::sample::blank(), &file).unwrap();
        let doc = dirty_doc();
        assert!(summary_against(None, doc.map()).contains("never saved, with 1 cards"));
        let text = summary_against(Some(&file), doc.map());
        assert!(text.starts_with("Compared with"), "{text}");
        let gone = summary_against(Some(&dir.path().join("gone.ron")), doc.map());
        assert!(gone.contains("cannot be read now"), "{gone}");
        let _ = NodeId::new("m1");
    }
}
