//! Copies in the editor: compare the map with another file, merge a copy back in (settling each
//! conflict as ours or theirs, the whole merge one undo step), and hand out copies. No egui here;
//! `ui::copies` draws these and `app::copies` wires them to the windows.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Editor;
use crate::command::{Command, Document};
use crate::io;
use crate::model::diff::MapDiff;
use crate::model::merge::{self, Comparison, ConflictKey, Merged, Side};
use crate::model::{MissionMap, NodeId};

/// The map compared with another file, kept up to date as the map changes.
pub struct CompareSession {
    pub path: PathBuf,
    other: MissionMap,
    /// The document revision the comparison was made for, and the comparison.
    done: Option<(u64, Comparison)>,
}

impl CompareSession {
    /// Reads the other file; says why in plain words when it cannot.
    pub fn open(path: &Path) -> Result<CompareSession, String> {
        let other = io::load_path(path)
            .map_err(|e| format!("Could not read {}: {}", path.display(), e.problems().join("; ")))?
            .map;
        Ok(CompareSession { path: path.to_owned(), other, done: None })
    }

    /// What differs: "added" is only in this map, "removed" only in the other file.
    pub fn comparison(&mut self, doc: &Document) -> &Comparison {
        if self.done.as_ref().is_none_or(|(rev, _)| *rev != doc.revision()) {
            self.done = Some((doc.revision(), merge::compare(&self.other, doc.map())));
        }
        match &self.done {
            Some((_, c)) => c,
            None => unreachable!("set just above"),
        }
    }

    /// The revision the comparison is for (the canvas outlines are rebuilt when it changes).
    #[must_use]
    pub fn revision(&self) -> Option<u64> {
        self.done.as_ref().map(|(r, _)| *r)
    }
}

/// A copy being merged into the open map: the copy, the base it was handed out from (when found),
/// the choices made for each conflict, and the merge as it stands.
pub struct MergeSession {
    pub path: PathBuf,
    /// "Group 2's copy", or the file name.
    pub name: String,
    /// How the base was found, or why there is none.
    pub base_note: String,
    base: Option<MissionMap>,
    theirs: MissionMap,
    choices: BTreeMap<ConflictKey, Side>,
    /// The revision and choices the merge was made for, the merge, and what it brings.
    done: Option<(u64, u64, Merged, MapDiff)>,
    /// Bumped on each choice, so the merge is redone.
    generation: u64,
}

impl MergeSession {
    /// Reads the copy and finds the version it was handed out from: beside the copy, beside the
    /// open map, or in the data folder. Without one the merge only adds and asks about every
    /// difference, and `base_note` says so.
    pub fn open(path: &Path, ours_path: Option<&Path>, data_dir: Option<&Path>) -> Result<MergeSession, String> {
        let theirs = io::load_path(path)
            .map_err(|e| format!("Could not read {}: {}", path.display(), e.problems().join("; ")))?
            .map;
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let name = match theirs.origin.as_ref().map(|o| o.copy.as_str()) {
            Some(copy) if !copy.is_empty() => format!("{copy}'s copy ({file})"),
            _ => file,
        };
        let folders: Vec<&Path> = ours_path.and_then(Path::parent).into_iter().collect();
        let (base, base_note) = match io::copies::find_base(&theirs, Some(path), &folders, data_dir) {
            Ok((base, at)) => {
                let when = base.origin.as_ref().and_then(|o| o.date).map(|d| format!(" on {d}")).unwrap_or_default();
                (Some(base), format!("Merging against the map as it was handed out{when} ({}).", at.display()))
            }
            Err(why) => (
                None,
                format!(
                    "No common version is known: {why}. So this merge only adds what the copy has and this map lacks, and asks about every card that differs."
                ),
            ),
        };
        Ok(MergeSession {
            path: path.to_owned(),
            name,
            base_note,
            base,
            theirs,
            choices: BTreeMap::new(),
            done: None,
            generation: 0,
        })
    }

    /// The merge with the choices so far, redone when the map or a choice changed.
    pub fn merged(&mut self, doc: &Document) -> &Merged {
        self.merged_and_brings(doc).0
    }

    /// The merge, and what it changes in the open map (cards added, edited, removed, moved).
    pub fn merged_and_brings(&mut self, doc: &Document) -> (&Merged, &MapDiff) {
        let fresh = self.done.as_ref().is_some_and(|(rev, g, ..)| *rev == doc.revision() && *g == self.generation);
        if !fresh {
            let m = merge::merge(self.base.as_ref(), doc.map(), &self.theirs, &self.choices);
            let brings = crate::model::diff::diff(doc.map(), &m.map);
            self.done = Some((doc.revision(), self.generation, m, brings));
        }
        match &self.done {
            Some((_, _, m, d)) => (m, d),
            None => unreachable!("set just above"),
        }
    }

    /// Settles one conflict.
    pub fn choose(&mut self, key: ConflictKey, side: Side) {
        if self.choices.get(&key).copied().unwrap_or_default() != side {
            self.choices.insert(key, side);
            self.generation += 1;
        }
    }

    /// Settles every conflict the same way.
    pub fn choose_all(&mut self, doc: &Document, side: Side) {
        let keys: Vec<ConflictKey> = self.merged(doc).conflicts.iter().map(merge::Conflict::key).collect();
        for k in keys {
            self.choose(k, side);
        }
    }

    /// Whether a base was found (three-way) or not (two-way).
    #[must_use]
    pub fn base_known(&self) -> bool {
        self.base.is_some()
    }
}

impl Editor {
    /// Puts the merged map in place as one undo step and says what came in.
    pub fn apply_merge(&mut self, session: &mut MergeSession) -> bool {
        let (merged, brings) = session.merged_and_brings(&self.doc);
        let (mut merged, summary) = (merged.clone(), brings.summary());
        // Conflicts settled here, with both sides in view, are not left for later; those the
        // copies carried in from earlier merges are.
        let mut earlier = self.doc.map().unresolved.clone();
        for u in &session.theirs.unresolved {
            if !earlier.contains(u) {
                earlier.push(u.clone());
            }
        }
        merged.map.unresolved = earlier;
        // Two copies may have put their new cards in the same empty place: make room.
        let added = crate::model::diff::diff(self.doc.map(), &merged.map).added;
        let moved = crate::layout::make_room(&mut merged.map, &added);
        let conflicts = merged.conflicts.len();
        let theirs_won = merged.conflicts.iter().filter(|c| c.chosen == Side::Theirs).count();
        let label = format!("Merge {}", session.name);
        if !self.apply(&label, Command::ReplaceMap(Box::new(merged.map))) {
            return false;
        }
        let mut text = format!("Merged {}: {summary}.", session.name);
        if conflicts > 0 {
            let _ = write!(text, " {conflicts} conflict(s): {theirs_won} settled as theirs, the rest as ours.");
        }
        if moved > 0 {
            let _ = write!(text, " {moved} new card(s) moved beside where they were put, so none hides another.");
        }
        if !merged.dropped.is_empty() {
            let _ = write!(text, " {} link(s) left out (their card was deleted).", merged.dropped.len());
        }
        text.push_str(" Ctrl+Z takes the whole merge back.");
        self.say(text);
        true
    }

    /// Selects and frames one card of a comparison or merge.
    pub fn show_card(&mut self, id: &NodeId) {
        if self.doc.map().contains_node(id) {
            self.show_cards(std::slice::from_ref(id), &[]);
        }
    }
}

/// The folder copies go to by default: "<map> copies" beside the map's file, or in Documents.
#[must_use]
pub fn default_handout_folder(path: Option<&Path>, title: &str) -> (PathBuf, String) {
    let stem = path.and_then(Path::file_name).map_or_else(
        || super::files::safe_file_name(title),
        |n| n.to_string_lossy().trim_end_matches(".ron").trim_end_matches(".mission").to_owned(),
    );
    let dir = path.and_then(Path::parent).map_or_else(
        || directories::UserDirs::new().and_then(|u| u.document_dir().map(Path::to_path_buf)).unwrap_or_default(),
        Path::to_path_buf,
    );
    (dir.join(format!("{stem} copies")), stem)
}

/// A handed-out copy found beside the map, for the Merge dialog's list.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundCopy {
    pub path: PathBuf,
    /// "Group 1's copy (board (Group 1).mission.ron), saved 5 Dec 14:02".
    pub label: String,
}

/// The most files looked at in one folder (a copies folder holds at most `MAX_COPIES` and a base).
const MAX_LOOKED_AT: usize = 200;

/// The copies handed out with File > Hand out copies that are beside the map at `path`: in its
/// copies folder (where the hand-out puts them) and in its own folder. Newest first; the map itself
/// and the versions as handed out (the bases) are left out. Files that cannot be read are skipped.
#[must_use]
pub fn copies_beside(path: Option<&Path>, title: &str) -> Vec<FoundCopy> {
    let (folder, _) = default_handout_folder(path, title);
    let mut places = vec![folder];
    places.extend(path.and_then(Path::parent).map(Path::to_path_buf));
    let mut found: Vec<(std::time::SystemTime, FoundCopy)> = Vec::new();
    for dir in places {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten().take(MAX_LOOKED_AT) {
            let file = entry.path();
            let is_map = file.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".mission.ron"));
            if !is_map || path.is_some_and(|p| p == file) || found.iter().any(|(_, f)| f.path == file) {
                continue;
            }
            let Ok(loaded) = io::load_path(&file) else { continue };
            let Some(origin) = loaded.map.origin.as_ref().filter(|o| !o.copy.is_empty()) else { continue };
            let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            let when = chrono::DateTime::<chrono::Local>::from(modified).format("%-d %b %H:%M");
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let label = format!("{}'s copy ({name}), saved {when}", origin.copy);
            found.push((modified, FoundCopy { path: file, label }));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
    found.into_iter().map(|(_, f)| f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Placement};

    #[test]
    fn the_copies_handed_out_beside_a_map_are_found_and_the_bases_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let map = MissionMap::new("Board");
        let path = dir.path().join("board.mission.ron");
        io::save_path(&map, &path).unwrap();
        assert!(copies_beside(Some(&path), "Board").is_empty());
        let names = ["Group 1".to_owned(), "Group 2".to_owned()];
        io::copies::hand_out(&map, "board", &names, &dir.path().join("board copies"), None).unwrap();
        std::fs::write(dir.path().join("notes.mission.ron"), "not a map").unwrap();
        let found = copies_beside(Some(&path), "Board");
        let labels: Vec<&str> = found.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(found.len(), 2, "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("Group 1's copy (board (Group 1).mission.ron)")), "{labels:?}");
        assert!(found.iter().all(|f| f.path.exists()));
    }

    #[test]
    fn a_merged_copy_is_one_undo_step_and_conflicts_follow_the_choices() {
        let dir = tempfile::tempdir().unwrap();
        let mut map = MissionMap::new("Board");
        let m = map.create_node(Kind::Mission, "Clean power", Placement::default()).unwrap();
        let path = dir.path().join("board.mission.ron");
        io::save_path(&map, &path).unwrap();
        let out = io::copies::hand_out(&map, "board", &["Group 1".to_owned()], &dir.path().join("c"), None).unwrap();
        let mut copy = io::load_path(&out.copies[0]).unwrap().map;
        copy.update_node(&m, |n| "Clean power by 2030".clone_into(&mut n.title)).unwrap();
        let s = copy.create_node(Kind::SubMission, "Grid", Placement::at(0.0, 200.0)).unwrap();
        io::save_path(&copy, &out.copies[0]).unwrap();

        let mut ed = Editor::new(map, super::super::Settings::default());
        ed.doc
            .apply(
                "Retitle",
                Command::UpdateNode({
                    let mut n = ed.map().node(&m).unwrap().clone();
                    "Clean power for all".clone_into(&mut n.title);
                    n
                }),
            )
            .unwrap();
        let mut session = MergeSession::open(&out.copies[0], Some(&path), None).unwrap();
        assert!(session.base_known(), "{}", session.base_note);
        assert_eq!(session.name, "Group 1's copy (board (Group 1).mission.ron)");
        let merged = session.merged(&ed.doc);
        assert_eq!(merged.conflicts.len(), 1);
        let key = merged.conflicts[0].key();
        session.choose(key, Side::Theirs);
        assert!(ed.apply_merge(&mut session));
        assert_eq!(ed.map().node(&m).unwrap().title, "Clean power by 2030");
        assert!(ed.map().contains_node(&s));
        assert!(ed.map().origin.is_none(), "the open map stays the original");
        assert_eq!(ed.doc.undo().as_deref(), Some("Merge Group 1's copy (board (Group 1).mission.ron)"));
        assert_eq!(ed.map().node(&m).unwrap().title, "Clean power for all");
        assert!(!ed.map().contains_node(&s));
    }

    #[test]
    fn cards_two_copies_put_in_one_empty_place_do_not_hide_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let mut map = MissionMap::new("Board");
        map.create_node(Kind::Mission, "Clean power", Placement::default()).unwrap();
        let path = dir.path().join("board.mission.ron");
        io::save_path(&map, &path).unwrap();
        let out = io::copies::hand_out(&map, "board", &["A".to_owned()], &dir.path().join("c"), None).unwrap();
        let mut copy = io::load_path(&out.copies[0]).unwrap().map;
        let theirs = copy.create_node(Kind::SubMission, "Grid", Placement::at(0.0, 300.0)).unwrap();
        io::save_path(&copy, &out.copies[0]).unwrap();
        let mut ed = Editor::new(map, super::super::Settings::default());
        let mut ours = ed.map().clone();
        let mine = ours.create_node(Kind::SubMission, "Heat", Placement::at(0.0, 300.0)).unwrap();
        ed.doc.apply("Add", Command::ReplaceMap(Box::new(ours))).unwrap();
        let mut session = MergeSession::open(&out.copies[0], Some(&path), None).unwrap();
        assert!(ed.apply_merge(&mut session));
        let map = ed.map();
        let theirs = nid_of(map, "Grid").unwrap_or(theirs);
        assert_eq!(map.placement(&mine), Some(Placement::at(0.0, 300.0)), "ours stays");
        assert_ne!(map.placement(&theirs).map(|p| p.x), Some(0.0), "theirs moves beside it");
        assert_eq!(crate::layout::crowded_cards(map), 0);
        assert!(ed.status.as_ref().unwrap().text.contains("1 new card(s) moved"), "{:?}", ed.status);
    }

    fn nid_of(map: &MissionMap, title: &str) -> Option<NodeId> {
        map.nodes().find(|n| n.title == title).map(|n| n.id.clone())
    }
}
