//! `diff`, `merge` and `handout`: copies of a map compared, merged and handed out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{FAILED, FINDINGS, Format, OK, load};
use crate::io;
use crate::model::MissionMap;
use crate::model::merge::{self, Changed, Comparison, Item, Merged, Side, show_value};

/// `(kind, id)` of an item, as written in JSON and text.
fn item_key(item: &Item) -> (&'static str, String) {
    match item {
        Item::Details => ("map", String::new()),
        Item::Card(id) => ("card", id.to_string()),
        Item::Link(id) => ("link", id.to_string()),
        Item::Dismissal(k) => ("dismissal", k.clone()),
        Item::Vote(n) => ("vote", n.clone()),
        Item::Parked(t) => ("parked", t.clone()),
        Item::Snapshot(n) => ("snapshot", n.clone()),
        Item::Action(w) => ("action", w.clone()),
    }
}

fn changed_json(c: &Changed) -> Value {
    let (kind, id) = item_key(&c.item);
    let pick = |new: bool| -> serde_json::Map<String, Value> {
        c.fields
            .iter()
            .map(|f| (f.field.clone(), if new { f.new.clone() } else { f.old.clone() }.unwrap_or(Value::Null)))
            .collect()
    };
    json!({
        "id": id,
        "kind": kind,
        "what": c.what,
        "fields": c.fields.iter().map(|f| f.field.clone()).collect::<Vec<_>>(),
        "old": pick(false),
        "new": pick(true),
    })
}

fn changed_text(c: &Changed) -> String {
    let fields: Vec<String> = c
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} {} \u{2192} {}",
                merge::field_label(&f.field),
                show_value(f.old.as_ref()),
                show_value(f.new.as_ref())
            )
        })
        .collect();
    if fields.is_empty() { c.what.clone() } else { format!("{}: {}", c.what, fields.join("; ")) }
}

fn comparison_json(c: &Comparison) -> Value {
    let ids = |v: &[crate::model::NodeId]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    let links = |v: &[crate::model::LinkId]| v.iter().map(ToString::to_string).collect::<Vec<_>>();
    json!({
        "same": c.is_empty(),
        "added": ids(&c.added),
        "removed": c.removed.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>(),
        "changed": c.changed.iter().map(changed_json).collect::<Vec<_>>(),
        "links_added": links(&c.links_added),
        "links_removed": links(&c.links_removed),
        "links_changed": c.links_changed.iter().map(changed_json).collect::<Vec<_>>(),
        "other_changed": c.other.iter().map(changed_json).collect::<Vec<_>>(),
    })
}

/// The comparison as lines a person reads: `+` only in the newer map, `-` only in the older, `~` changed.
#[must_use]
pub fn comparison_lines(c: &Comparison, old: &MissionMap, new: &MissionMap) -> Vec<String> {
    let mut out = Vec::new();
    let card = |m: &MissionMap, id: &crate::model::NodeId| {
        m.node(id).map_or_else(|| id.to_string(), |n| format!("{} \u{201c}{}\u{201d} ({id})", n.kind().slug(), n.title))
    };
    let link = |m: &MissionMap, id: &crate::model::LinkId| match m.link(id) {
        Some(l) => {
            let end = |n: &crate::model::NodeId| {
                m.node(n).map_or_else(|| n.to_string(), |n| format!("\u{201c}{}\u{201d}", n.title))
            };
            format!("link {id} {} {} {}", end(&l.from), l.kind.label(), end(&l.to))
        }
        None => format!("link {id}"),
    };
    out.extend(c.added.iter().map(|id| format!("+ {}", card(new, id))));
    out.extend(c.removed.iter().map(|(id, _)| format!("- {}", card(old, id))));
    out.extend(c.changed.iter().map(|ch| format!("~ {}", changed_text(ch))));
    out.extend(c.links_added.iter().map(|id| format!("+ {}", link(new, id))));
    out.extend(c.links_removed.iter().map(|id| format!("- {}", link(old, id))));
    out.extend(c.links_changed.iter().map(|ch| format!("~ {}", changed_text(ch))));
    out.extend(c.other.iter().map(|ch| format!("~ {}", changed_text(ch))));
    out
}

pub(super) fn diff(old_path: &Path, new_path: &Path, format: Format) -> u8 {
    let (Ok(old), Ok(new)) = (load(old_path), load(new_path)) else { return FAILED };
    let c = merge::compare(&old, &new);
    match format {
        Format::Json => println!("{}", comparison_json(&c)),
        Format::Text => {
            println!("{} \u{2192} {}: {}", old_path.display(), new_path.display(), c.summary());
            for line in comparison_lines(&c, &old, &new) {
                println!("{line}");
            }
        }
    }
    if c.is_empty() { OK } else { FINDINGS }
}

fn merged_json(m: &Merged, ours: &MissionMap, output: &Path) -> Value {
    json!({
        "written": output.display().to_string(),
        "base_known": m.base_known,
        "summary": m.summary(ours),
        "conflicts": m.conflicts.iter().map(|c| {
            let (kind, id) = item_key(&c.item);
            json!({
                "kind": kind,
                "id": id,
                "what": c.what,
                "field": c.field,
                "base": c.base,
                "ours": c.ours,
                "theirs": c.theirs,
                "kept": if c.chosen == Side::Ours { "ours" } else { "theirs" },
            })
        }).collect::<Vec<_>>(),
        "renamed": m.renamed.iter().map(|r| json!({"kind": r.noun, "from": r.from, "to": r.to, "title": r.title})).collect::<Vec<_>>(),
        "dropped_links": m.dropped.iter().map(|d| json!({"id": d.id.to_string(), "what": d.what, "why": d.why})).collect::<Vec<_>>(),
    })
}

pub(super) fn merge(files: &[PathBuf], output: &Path, name: Option<&str>, format: Format) -> u8 {
    let (base, ours_path, theirs_path) = match files {
        [base, ours, theirs] => (Some(base), ours, theirs),
        [ours, theirs] => (None, ours, theirs),
        _ => {
            eprintln!("merge takes BASE OURS THEIRS, or OURS THEIRS for copies made with `handout`");
            return FAILED;
        }
    };
    let (Ok(ours), Ok(theirs)) = (load(ours_path), load(theirs_path)) else { return FAILED };
    let base = match base {
        Some(path) => match load(path) {
            Ok(b) => b,
            Err(code) => return code,
        },
        // Handed-out copies know their base: look for it beside them.
        None => {
            let folders: Vec<PathBuf> =
                [ours_path, theirs_path].iter().filter_map(|p| p.parent().map(Path::to_path_buf)).collect();
            let copy = if theirs.origin.is_some() { &theirs } else { &ours };
            let copy_dir = if theirs.origin.is_some() { theirs_path } else { ours_path };
            let folders: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
            let data = directories::ProjectDirs::from("uk.gov", "Missionboard", "missionboard")
                .map(|d| d.data_dir().to_owned());
            match io::copies::find_base(copy, Some(copy_dir), &folders, data.as_deref()) {
                Ok((b, _)) => b,
                Err(e) => {
                    eprintln!("{e}");
                    return FAILED;
                }
            }
        }
    };
    let shown = name.map_or_else(|| ours_path.display().to_string(), str::to_owned);
    let merged = merge::merge(Some(&base), &ours, &theirs, &BTreeMap::new());
    if let Err(e) = io::save_path(&merged.map, output) {
        eprintln!("{shown}: {e}");
        return FAILED;
    }
    match format {
        Format::Json => println!("{}", merged_json(&merged, &ours, output)),
        Format::Text => {
            let from = name.map_or_else(|| theirs_path.display().to_string(), |n| format!("their {n}"));
            println!("Merged {from} into {shown}: {}.", merged.summary(&ours));
            for r in &merged.renamed {
                println!(
                    "renamed: their {} {} \u{201c}{}\u{201d} is now {} (our copy used {} for something else)",
                    r.noun, r.from, r.title, r.to, r.from
                );
            }
            for d in &merged.dropped {
                println!("{shown}: conflict: link {} {} was left out: {}", d.id, d.what, d.why);
            }
            if !merged.conflicts.is_empty() {
                println!(
                    "{shown}: {} conflict(s); the file keeps ours for each and records them:",
                    merged.conflicts.len()
                );
                for c in &merged.conflicts {
                    println!("{shown}: conflict: {}", c.describe());
                }
            }
            if !merged.map.unresolved.is_empty() {
                println!(
                    "{shown}: {} conflict(s) recorded in the file: settle each in the editor (Checks panel: keep ours / take theirs) or with `missionboard resolve`; `missionboard check` fails until then.",
                    merged.map.unresolved.len()
                );
            }
            println!("wrote {}", name.map_or_else(|| output.display().to_string(), str::to_owned));
        }
    }
    if merged.conflicts.is_empty() && merged.dropped.is_empty() { OK } else { FINDINGS }
}

pub(super) fn resolve(file: &Path, keep: super::Keep, which: &[usize]) -> u8 {
    let mut map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if map.unresolved.is_empty() {
        println!("{}: no merge conflicts to settle", file.display());
        return OK;
    }
    if let Some(n) = which.iter().find(|n| **n == 0 || **n > map.unresolved.len()) {
        eprintln!(
            "{}: there is no conflict {n}; the file has {} (numbered from 1, as `missionboard check` lists them)",
            file.display(),
            map.unresolved.len()
        );
        return FAILED;
    }
    let chosen: Vec<merge::Unresolved> = if which.is_empty() {
        map.unresolved.clone()
    } else {
        which.iter().filter_map(|n| map.unresolved.get(n - 1).cloned()).collect()
    };
    let side = match keep {
        super::Keep::Ours => Side::Ours,
        super::Keep::Theirs => Side::Theirs,
    };
    for u in &chosen {
        match merge::resolve(&map, u, side) {
            Ok(m) => {
                map = m;
                println!("settled: {}", u.describe());
            }
            Err(e) => {
                eprintln!("{}: could not take theirs for {}: {e}", file.display(), u.what);
                return FAILED;
            }
        }
    }
    if let Err(e) = io::save_path(&map, file) {
        eprintln!("{e}");
        return FAILED;
    }
    println!("{}: {} conflict(s) left", file.display(), map.unresolved.len());
    if map.unresolved.is_empty() { OK } else { FINDINGS }
}

pub(super) fn handout(file: &Path, names: Vec<String>, copies: Option<usize>, output: Option<PathBuf>) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let names = match (names.is_empty(), copies) {
        (true, Some(n)) => (1..=n).map(|i| format!("Group {i}")).collect(),
        (false, None) => names,
        (true, None) => (1..=3).map(|i| format!("Group {i}")).collect(),
        (false, Some(_)) => {
            eprintln!("give either --names or --copies, not both");
            return FAILED;
        }
    };
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("map");
    let stem = name.trim_end_matches(".ron").trim_end_matches(".mission");
    let dir = output.unwrap_or_else(|| file.with_file_name(format!("{stem} copies")));
    let data =
        directories::ProjectDirs::from("uk.gov", "Missionboard", "missionboard").map(|d| d.data_dir().to_owned());
    match io::copies::hand_out(&map, stem, &names, &dir, data.as_deref()) {
        Ok(out) => {
            println!(
                "handed out {} cop{} of {}:",
                out.copies.len(),
                if out.copies.len() == 1 { "y" } else { "ies" },
                file.display()
            );
            for c in &out.copies {
                println!("  {}", c.display());
            }
            println!("as handed out (kept for merging back): {}", out.base.display());
            OK
        }
        Err(e) => {
            eprintln!("{e}");
            FAILED
        }
    }
}
