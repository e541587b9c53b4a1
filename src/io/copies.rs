//! Handing out copies of a map (breakout groups, departments) and finding, when a copy comes
//! back, the version it was made from, so it can be merged three-way without asking.
//!
//! "Hand out" writes, into one folder, the map as it was handed out (the *base*) and one copy per
//! group. Each file records its origin: the hand-out's id, the copy's name and the base's file name.
//! The base is also kept in the app's data folder, so a copy mailed back on its own still finds it
//! on the machine that handed it out.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate};

use crate::model::MissionMap;
use crate::model::merge::Origin;
use crate::model::workshop::fingerprint;

/// What a hand-out wrote.
#[derive(Debug)]
pub struct HandedOut {
    pub handout: String,
    pub base: PathBuf,
    pub copies: Vec<PathBuf>,
}

/// The most copies handed out at once.
pub const MAX_COPIES: usize = 50;

/// The name a file gets: `stem (name).mission.ron`, with characters no file system takes replaced.
fn file_name(stem: &str, name: &str) -> String {
    let clean: String =
        format!("{stem} ({name})")
            .chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
    format!("{}.{}", clean.trim(), super::format::EXTENSION)
}

/// Writes the base and one copy per name into `dir` (made if missing), and the base into
/// `data_dir/handouts` when given. Refuses to overwrite any file, so nothing is ever lost.
pub fn hand_out(
    map: &MissionMap,
    stem: &str,
    names: &[String],
    dir: &Path,
    data_dir: Option<&Path>,
) -> Result<HandedOut, String> {
    let names: Vec<String> = names.iter().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
    if names.is_empty() {
        return Err("give at least one copy a name, such as \"Group 1\"".to_owned());
    }
    if names.len() > MAX_COPIES {
        return Err(format!("{} copies asked for; hand out at most {MAX_COPIES} at once", names.len()));
    }
    let mut seen = std::collections::BTreeSet::new();
    for n in &names {
        if !seen.insert(n.to_lowercase()) {
            return Err(format!("two copies are called \"{n}\"; give each copy its own name"));
        }
    }
    let now = Local::now();
    let today: NaiveDate = now.date_naive();
    let text = super::format::to_string(map);
    let handout = format!("{}-{:08x}", now.format("%Y%m%dT%H%M%S"), fingerprint(text.as_bytes()) as u32);
    let base_name = file_name(stem, &format!("as handed out {today}"));
    let origin = |copy: &str| Origin {
        handout: handout.clone(),
        copy: copy.to_owned(),
        base_file: base_name.clone(),
        date: Some(today),
    };
    let mut files: Vec<(PathBuf, MissionMap)> = Vec::new();
    let mut base = map.clone();
    base.origin = Some(origin(""));
    files.push((dir.join(&base_name), base));
    for name in &names {
        let mut copy = map.clone();
        copy.origin = Some(origin(name));
        files.push((dir.join(file_name(stem, name)), copy));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("could not make the folder {}: {}", dir.display(), e))?;
    if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(format!(
            "{} already exists; nothing was written. Choose another folder, or move the old copies away first.",
            path.display()
        ));
    }
    for (path, m) in &files {
        super::format::save_path(m, path).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    }
    if let Some(data) = data_dir {
        // A second home for the base; the hand-out has already succeeded without it.
        let kept = data.join("handouts");
        let _ = std::fs::create_dir_all(&kept)
            .map(|()| super::format::save_path(&files[0].1, &kept.join(format!("{handout}.mission.ron"))));
    }
    let mut paths = files.into_iter().map(|(p, _)| p);
    let base = paths.next().unwrap_or_default();
    Ok(HandedOut { handout, base, copies: paths.collect() })
}

/// Finds the version `copy` was handed out from: beside the copy, in each of `folders`, then in
/// `data_dir/handouts`. Says in plain words why when it cannot.
pub fn find_base(
    copy: &MissionMap,
    copy_path: Option<&Path>,
    folders: &[&Path],
    data_dir: Option<&Path>,
) -> Result<(MissionMap, PathBuf), String> {
    let Some(origin) = &copy.origin else {
        return Err(
            "this file does not say which version it was made from (it was not made with File > Hand out copies)"
                .to_owned(),
        );
    };
    let mut places: Vec<PathBuf> = Vec::new();
    if let Some(dir) = copy_path.and_then(Path::parent) {
        places.push(dir.join(&origin.base_file));
    }
    places.extend(folders.iter().map(|d| d.join(&origin.base_file)));
    if let Some(data) = data_dir {
        places.push(data.join("handouts").join(format!("{}.mission.ron", origin.handout)));
    }
    for place in &places {
        if let Ok(loaded) = super::format::load_path(place)
            && loaded.map.origin.as_ref().is_some_and(|o| o.handout == origin.handout && o.copy.is_empty())
        {
            return Ok((loaded.map, place.clone()));
        }
    }
    Err(format!(
        "the version it was handed out from (\"{}\") is not beside it, beside this map, or kept on this computer",
        origin.base_file
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Placement};

    #[test]
    fn copies_remember_their_base_and_find_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let mut map = MissionMap::new("Board");
        map.create_node(Kind::Mission, "Clean power", Placement::default()).unwrap();
        let names = ["Group 1".to_owned(), "Group 2: north/south".to_owned()];
        let out = hand_out(&map, "board", &names, &dir.path().join("copies"), Some(data.path())).unwrap();
        assert_eq!(out.copies.len(), 2);
        assert!(out.copies[1].ends_with("board (Group 2- north-south).mission.ron"), "{:?}", out.copies[1]);
        let copy = crate::io::load_path(&out.copies[0]).unwrap().map;
        assert_eq!(copy.origin.as_ref().unwrap().copy, "Group 1");
        let text = std::fs::read_to_string(&out.copies[0]).unwrap();
        assert!(text.starts_with("(\n    version: 2,"), "a copy is format 2: {text}");
        // Found beside the copy…
        let (found, at) = find_base(&copy, Some(&out.copies[0]), &[], None).unwrap();
        assert_eq!(at, out.base);
        assert_eq!(found.node_count(), 1);
        // …and, mailed back alone, in the data folder.
        let mailed = dir.path().join("mailed.mission.ron");
        std::fs::copy(&out.copies[0], &mailed).unwrap();
        std::fs::remove_file(&out.base).unwrap();
        assert!(find_base(&copy, Some(&mailed), &[], None).unwrap_err().contains("is not beside it"));
        let (_, at) = find_base(&copy, Some(&mailed), &[], Some(data.path())).unwrap();
        assert!(at.starts_with(data.path()));
        // Never overwrites.
        let again = hand_out(&map, "board", &names[..1], &dir.path().join("copies"), None).unwrap_err();
        assert!(again.contains("already exists; nothing was written"), "{again}");
        assert!(find_base(&map, None, &[], None).unwrap_err().contains("Hand out copies"));
    }
}
