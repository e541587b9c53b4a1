//! The workshop file, `*.mission.ron`: versioned, human-readable, diff-friendly RON.
//!
//! Layout of a file (see `docs/file-format.md`):
//! `version` first, then the map's title, description, organisation, created and modified times, the
//! id counter, then `nodes` and `links` sorted by id, then `positions` (one line per card) and `pinned`.
//! The same map always gives the same bytes.
//!
//! Reading is built for hostile input: size and nesting are capped before and during parsing, every
//! problem is reported with its line and column, and all the semantic problems in a file are listed
//! at once rather than one per attempt.

use std::path::Path;

use chrono::{DateTime, SubsecRound, Utc};
use ron::extensions::Extensions;
use serde::{Deserialize, Serialize};

use super::location::{Located, find_field, find_field_after, find_quoted, line_col};
use crate::model::{Link, LinkId, MapMeta, MissionMap, ModelError, Node, NodeId, Placement};

/// The newest file format this build reads. Files are written in the oldest format that holds what
/// they contain, so a map without format-2 content still opens in a build that reads only format 1.
pub const FORMAT_VERSION: u32 = 3;
/// Files larger than this are refused before reading (a 10,000-card map is about 4 MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The deepest nesting of brackets the reader follows before giving up.
pub const MAX_NESTING: usize = 64;
/// The file extension, without the leading dot.
pub const EXTENSION: &str = "mission.ron";

/// The file as written on disk, version 1. `N` and `L` are owned when reading and borrowed when
/// writing, so saving does not copy the map.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileV1<N, L> {
    version: u32,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    created: Option<DateTime<Utc>>,
    #[serde(default)]
    modified: Option<DateTime<Utc>>,
    /// New ids get numbers from here on, so ids of deleted cards are never handed out again.
    #[serde(default)]
    next_id: u64,
    #[serde(default = "Vec::new")]
    nodes: Vec<N>,
    #[serde(default = "Vec::new")]
    links: Vec<L>,
    /// `(id, x, y)`: the centre of each card.
    #[serde(default)]
    positions: Vec<(NodeId, f32, f32)>,
    /// Cards that auto-layout must leave where they are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pinned: Vec<NodeId>,
    /// `(link id, [(x, y), …])`: bend points of links routed by auto-layout.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    routes: Vec<(LinkId, Vec<(f32, f32)>)>,
    /// Findings of the checks the board dismissed, with the reason, sorted by finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dismissed: Vec<DismissedV1>,
    /// Workshop ideas not yet placed on the map.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parking: Vec<crate::model::workshop::ParkedIdea>,
    /// Dot-voting rounds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    votes: Vec<crate::model::workshop::VoteRound>,
    /// Session snapshots: each card's title and fingerprint at the end of a session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    snapshots: Vec<crate::model::workshop::Snapshot>,
    /// Format 2: where a handed-out copy came from (its hand-out, its name and the base's file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    origin: Option<crate::model::merge::Origin>,
    /// Format 2: where "on track" and "at risk" begin, when not 0.95 and 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tolerances: Option<crate::model::progress::Tolerances>,
    /// Format 2: the board's action list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    actions: Vec<crate::model::ActionItem>,
    /// Format 3: conflicts a merge left for people to settle.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<crate::model::merge::Unresolved>,
}

/// A dismissed finding as written in the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DismissedV1 {
    finding: String,
    reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<chrono::NaiveDate>,
}

/// Just the version, read first when the full read fails, to tell a newer file from a broken one.
#[derive(Deserialize)]
struct Probe {
    version: u32,
}

/// Everything that can stop a file from opening.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("could not read the file: {0}")]
    Io(String),
    #[error("the file is {size} bytes; Missionboard opens mission maps up to {max} bytes. Is this really a mission map?", max = MAX_FILE_BYTES)]
    TooLarge { size: u64 },
    #[error("{0}")]
    NotText(Located),
    #[error(
        "this map was made by a newer Missionboard (format {0}); this one reads up to {FORMAT_VERSION}. Update Missionboard to open it."
    )]
    NewerFormat(u32),
    #[error("{}", join_problems(.0))]
    Invalid(Vec<Located>),
}

impl LoadError {
    /// Each problem on its own line, for lists in the CLI and the app.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        match self {
            LoadError::Invalid(list) => list.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

fn join_problems(list: &[Located]) -> String {
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// A map that was read, with notes on what had to be filled in.
#[derive(Debug)]
pub struct Loaded {
    pub map: MissionMap,
    /// Things that were fine to open but worth telling (cards without a position, …).
    pub warnings: Vec<String>,
}

/// Reads a map from a file on disk.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    let size = std::fs::metadata(path).map_err(|e| LoadError::Io(super::atomic::explain_read(&e)))?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { size });
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io(super::atomic::explain_read(&e)))?;
    load_bytes(&bytes)
}

/// Reads a map from the bytes of a file.
pub fn load_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { size: bytes.len() as u64 });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let (line, column) = line_col(&text, text.len());
        LoadError::NotText(Located {
            line,
            column,
            message:
                "this is not a text file in UTF-8 (is it a mission map at all, or was it saved in another encoding?)"
                    .to_owned(),
        })
    })?;
    load_str(text)
}

fn options() -> ron::Options {
    ron::Options::default().with_recursion_limit(MAX_NESTING).without_default_extension(Extensions::all())
}

/// Reads a map from RON text.
pub fn load_str(text: &str) -> Result<Loaded, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(LoadError::Invalid(vec![Located {
            line: 1,
            column: 1,
            message: "the file is empty; a mission map starts with `(version: 1,`".to_owned(),
        }]));
    }
    if let Some(problem) = nesting_problem(text) {
        return Err(LoadError::Invalid(vec![problem]));
    }
    let file: FileV1<Node, Link> = match options().from_str(text) {
        Ok(file) => file,
        Err(err) => {
            // A newer file may not parse as version 1 at all: say so rather than show its syntax.
            if let Ok(Probe { version }) = options().from_str::<Probe>(text)
                && version > FORMAT_VERSION
            {
                return Err(LoadError::NewerFormat(version));
            }
            return Err(LoadError::Invalid(vec![syntax_problem(text, &err)]));
        }
    };
    match file.version {
        v if v > FORMAT_VERSION => Err(LoadError::NewerFormat(v)),
        0 => Err(LoadError::Invalid(vec![at_field(
            text,
            "version",
            "the version is 0; Missionboard files start at version 1",
        )])),
        // Format 2 only added the optional `origin`, so 1 and 2 read alike; a format that changes
        // fields adds `n => build(text, migrate(file))` here, one step per version.
        _ => build(text, file),
    }
}

/// Turns a parsed file into a map, collecting every problem with where it is.
fn build(text: &str, file: FileV1<Node, Link>) -> Result<Loaded, LoadError> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let now = Utc::now().trunc_subsecs(0);
    let mut map = MissionMap::new(file.title);
    map.meta = MapMeta {
        title: map.meta.title,
        description: file.description,
        organisation: file.organisation,
        created: file.created.unwrap_or(now),
        modified: file.modified.unwrap_or(now),
    };
    map.reserve_serial(file.next_id);

    // Positions first, so cards are added where they belong.
    let mut places: std::collections::HashMap<NodeId, Placement> = std::collections::HashMap::new();
    let positions_at = text.find("positions").unwrap_or(0);
    for (id, x, y) in &file.positions {
        let locate = |nth| find_quoted(text, id.as_str(), positions_at, nth).unwrap_or(positions_at);
        if places.contains_key(id) {
            problems.push(located(text, locate(1), format!("card \"{id}\" has two positions; keep one")));
            continue;
        }
        if !(x.is_finite() && y.is_finite()) {
            problems.push(located(
                text,
                locate(0),
                format!("card \"{id}\" has a position that is not an ordinary number ({x}, {y}); use numbers such as (120.0, 340.0)"),
            ));
            continue;
        }
        places.insert(id.clone(), Placement::at(*x, *y));
    }
    for id in &file.pinned {
        match places.get_mut(id) {
            Some(p) => p.pinned = true,
            None => {
                let at = text.find("pinned").unwrap_or(0);
                let at = find_quoted(text, id.as_str(), at, 0).unwrap_or(at);
                if !file.nodes.iter().any(|n| n.id == *id) {
                    problems.push(located(text, at, format!("pinned card \"{id}\" does not exist")));
                }
            }
        }
    }

    let mut seen = std::collections::HashMap::<NodeId, usize>::new();
    let mut unplaced = 0usize;
    for node in file.nodes {
        let nth = *seen.entry(node.id.clone()).and_modify(|n| *n += 1).or_insert(0);
        // Where the card is in the text is looked up only when there is something to report.
        let at = |id: &NodeId| find_field(text, "id", id.as_str(), nth).unwrap_or(0);
        let place = places.remove(&node.id).unwrap_or_else(|| {
            unplaced += 1;
            default_place(unplaced)
        });
        let id = node.id.clone();
        if let Err(err) = map.add_node(node, place) {
            problems.push(located(text, at(&id), model_message(&err)));
        }
    }
    for id in places.keys() {
        let positions_at = text.find("positions").unwrap_or(0);
        let at = find_quoted(text, id.as_str(), positions_at, 0).unwrap_or(positions_at);
        problems.push(located(text, at, format!("there is a position for card \"{id}\", which does not exist")));
    }
    if unplaced > 0 {
        warnings.push(format!("{unplaced} card(s) had no position and were placed in a row at the top left"));
    }

    let mut seen_links = std::collections::HashMap::new();
    for link in file.links {
        let nth = *seen_links.entry(link.id.clone()).and_modify(|n| *n += 1).or_insert(0usize);
        if let Err(err) = map.check_link(&link) {
            let at = find_field(text, "id", link.id.as_str(), nth).unwrap_or(0);
            let field_at = match &err {
                ModelError::DanglingLink { node, .. } if *node == link.from => find_field_after(text, at, "from"),
                ModelError::DanglingLink { .. } => find_field_after(text, at, "to"),
                ModelError::Forbidden(_) => find_field_after(text, at, "kind"),
                ModelError::NotFinite { .. } => find_field_after(text, at, "weight"),
                _ => None,
            }
            .unwrap_or(at);
            let message = match err {
                ModelError::Forbidden(refusal) => format!("link \"{}\": {refusal}", link.id),
                ModelError::SelfLink => format!("link \"{}\" goes from card \"{}\" to itself", link.id, link.from),
                ModelError::NotFinite { value, .. } => format!(
                    "link \"{}\" has a weight that is not an ordinary number ({value}); use a number such as 1.0",
                    link.id
                ),
                ModelError::DuplicateConnection { .. } => {
                    format!("link \"{}\" repeats another: {}", link.id, model_message(&err))
                }
                other => model_message(&other),
            };
            problems.push(located(text, field_at, message));
            continue;
        }
        let id = link.id.clone();
        if let Err(err) = map.add_link(link) {
            let at = find_field(text, "id", id.as_str(), nth).unwrap_or(0);
            problems.push(located(text, at, model_message(&err)));
        }
    }

    let routes_at = text.find("routes").unwrap_or(0);
    for (id, points) in file.routes {
        let pts: Vec<[f32; 2]> = points.iter().map(|&(x, y)| [x, y]).collect();
        if let Err(err) = map.set_route(&id, pts) {
            let at = find_quoted(text, id.as_str(), routes_at, 0).unwrap_or(routes_at);
            let message = match err {
                ModelError::NoSuchLink(_) => format!("there is a route for link \"{id}\", which does not exist"),
                _ => format!("the route of link \"{id}\" has a point that is not an ordinary number"),
            };
            problems.push(located(text, at, message));
        }
    }

    map.workshop =
        crate::model::workshop::Workshop { parking: file.parking, votes: file.votes, snapshots: file.snapshots };
    map.origin = file.origin;
    map.actions = file.actions;
    map.unresolved = file.conflicts;
    // Items of older files get ids derived from what they say (the same in every copy).
    crate::model::listed::fill_map(&mut map, crate::model::listed::How::Derived);
    if let Some(t) = file.tolerances {
        if t.on_track.is_finite() && t.at_risk.is_finite() && t.at_risk <= t.on_track {
            map.tolerances = t;
        } else {
            let at = text.find("tolerances").unwrap_or(0);
            problems.push(located(
                text,
                at,
                "the tolerances must be ordinary numbers with at_risk no higher than on_track, such as (on_track: 0.95, at_risk: 0.8)".to_owned(),
            ));
        }
    }
    for d in file.dismissed {
        map.dismissals.insert(d.finding, crate::model::Dismissal { reason: d.reason, date: d.date });
    }

    if problems.is_empty() {
        Ok(Loaded { map, warnings })
    } else {
        problems.sort_by_key(|p| (p.line, p.column));
        Err(LoadError::Invalid(problems))
    }
}

fn default_place(n: usize) -> Placement {
    let i = (n - 1) as f32;
    Placement::at(120.0 + (i % 10.0) * 240.0, -400.0 - (i / 10.0).floor() * 120.0)
}

fn model_message(err: &ModelError) -> String {
    err.to_string()
}

fn located(text: &str, offset: usize, message: String) -> Located {
    let (line, column) = line_col(text, offset);
    Located { line, column, message }
}

fn at_field(text: &str, field: &str, message: &str) -> Located {
    let at = text.find(field).unwrap_or(0);
    located(text, at, message.to_owned())
}

/// Brackets nested deeper than [`MAX_NESTING`], found before parsing: the parser's own limit
/// (kept as a second guard) is only reached when the nesting also makes sense to it, and a file
/// of 100,000 `[` would otherwise be reported as a type error at its second bracket. Strings, raw
/// strings, character literals and comments are skipped, so brackets in titles never count.
fn nesting_problem(text: &str) -> Option<Located> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(located(
                        text,
                        i,
                        format!(
                            "brackets are nested more than {MAX_NESTING} deep; a mission map never needs that, so the file is damaged or not a mission map"
                        ),
                    ));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => i = skip_string(bytes, i + 1),
            b'\'' => {
                // A character literal such as '(' or '\''; an apostrophe anywhere else is left alone.
                let end = if bytes.get(i + 1) == Some(&b'\\') { i + 3 } else { i + 2 };
                if bytes.get(end) == Some(&b'\'') {
                    i = end;
                }
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                if bytes.get(i + 1 + hashes) == Some(&b'"') {
                    let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                    let body = i + 2 + hashes;
                    i = bytes[body..]
                        .windows(close.len())
                        .position(|w| w == close.as_slice())
                        .map_or(bytes.len(), |p| body + p + close.len() - 1);
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = bytes[i..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |p| i + p);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = bytes[i + 2..].windows(2).position(|w| w == b"*/").map_or(bytes.len(), |p| i + 2 + p + 1);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the closing quote of a string whose body starts at `i` (or the end of the text).
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Plain words for a RON syntax error, with its place.
fn syntax_problem(text: &str, err: &ron::error::SpannedError) -> Located {
    use ron::Error as E;
    let message = match &err.code {
        E::Eof => syntax_problem_at_end(),
        E::ExceededRecursionLimit => format!(
            "brackets are nested more than {MAX_NESTING} deep; a mission map never needs that, so the file is damaged or not a mission map"
        ),
        E::MissingStructField { field, outer } => match outer.as_deref() {
            Some(outer) => format!("`{field}` is missing from this {}; add `{field}: …`", describe_outer(outer)),
            None => format!("`{field}` is missing; add `{field}: …`"),
        },
        E::NoSuchStructField { expected, found, outer } => format!(
            "`{found}` is not a field of {}; the fields are: {}",
            outer.as_deref().map_or_else(|| "this entry".to_owned(), |o| format!("a {}", describe_outer(o))),
            expected.join(", ")
        ),
        E::DuplicateStructField { field, .. } => format!("`{field}` is given twice here; keep one"),
        E::NoSuchEnumVariant { expected, found, .. } => {
            format!("`{found}` is not one of the choices here: {}", expected.join(", "))
        }
        E::ExpectedString | E::ExpectedStringEnd => {
            "a text in double quotes is expected here, like \"Clean power by 2030\"".to_owned()
        }
        E::ExpectedFloat | E::ExpectedInteger => "a number is expected here".to_owned(),
        E::ExpectedComma => "a comma is missing between two entries".to_owned(),
        E::ExpectedArray => "a list in square brackets `[ … ]` is expected here".to_owned(),
        E::ExpectedArrayEnd => "a list is not closed: a `]` is missing, or a comma".to_owned(),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => {
            "an entry in round brackets `( … )` is expected here".to_owned()
        }
        E::ExpectedStructLikeEnd => "an entry is not closed: a `)` is missing, or a comma".to_owned(),
        E::TrailingCharacters => {
            "there is more text after the end of the map; delete what follows the last `)`".to_owned()
        }
        E::Message(m) => m.clone(),
        other => format!("the file's structure is broken here ({other})"),
    };
    let (line, column) = (err.span.start.line.max(1), err.span.start.col.max(1));
    // Whatever ron expected, a problem at the very end of the text means the text stops too soon.
    let end = line_col(text, text.trim_end().len());
    let reached = (
        err.span.end.line.max(line),
        if err.span.end.line > line { err.span.end.col } else { err.span.end.col.max(column) },
    );
    let looks_like = |start: &str| text.trim_start().starts_with(start);
    let message = if (line, column) == (1, 1) && looks_like("{") {
        "this looks like a JSON file, not a mission map (which starts with `(version: 1,`); Missionboard writes JSON with Export but opens only .mission.ron maps".to_owned()
    } else if (line, column) == (1, 1) && looks_like("<") {
        "this looks like an XML or web file (a draw.io or yEd diagram?), not a mission map, which starts with `(version: 1,`".to_owned()
    } else if reached >= end && !matches!(err.code, E::Eof | E::TrailingCharacters) {
        syntax_problem_at_end()
    } else {
        message
    };
    // ron counts lines from 1; trust it, but keep the place inside the text.
    let last_line = text.lines().count().max(1);
    Located { line: line.min(last_line + 1), column, message }
}

fn syntax_problem_at_end() -> String {
    "the file ends too early; it may have been cut off while copying or saving. Look for a missing `)` or `]` near the end".to_owned()
}

fn describe_outer(outer: &str) -> &str {
    match outer {
        "Node" => "card",
        "Link" => "link",
        "FileV1" => "map",
        "Indicator" => "indicator",
        "Budget" => "budget",
        "Target" => "target",
        other => other,
    }
}

/// Whether the map holds anything format 1 cannot: a copy's origin, readings, milestones, baseline
/// dates, a target's frequency, a held target's direction, or tolerances of its own.
fn needs_format_2(map: &MissionMap) -> bool {
    use crate::model::NodeKind;
    map.origin.is_some()
        || !map.tolerances.is_default()
        || !map.actions.is_empty()
        || map.nodes().any(|n| match &n.kind {
            NodeKind::Mission { target, .. } => {
                target.baseline_date.is_some()
                    || !target.frequency.is_empty()
                    || !target.milestones.is_empty()
                    || !target.readings.is_empty()
                    || target.hold.is_some()
            }
            NodeKind::SubMission { indicators, .. } => indicators.iter().any(|i| {
                i.baseline_date.is_some() || !i.milestones.is_empty() || !i.readings.is_empty() || i.hold.is_some()
            }),
            NodeKind::Intervention { decisions, .. } => !decisions.is_empty(),
            NodeKind::Partner { .. } => false,
        })
}

/// Writes a map as RON text in canonical form: same map, same bytes.
#[must_use]
pub fn to_string(map: &MissionMap) -> String {
    use crate::model::{NodeKind, listed};
    use std::borrow::Cow;
    // Ids that loading would derive again are not written: a file whose lists nobody changed
    // saves as it was.
    let nodes: Vec<Cow<'_, Node>> = map
        .sorted_nodes()
        .into_iter()
        .map(|n| {
            if listed::node_has_lists(n) {
                let mut n = n.clone();
                listed::strip_node(&mut n);
                Cow::Owned(n)
            } else {
                Cow::Borrowed(n)
            }
        })
        .collect();
    let mut actions = map.actions.clone();
    listed::strip(&mut actions, "actions");
    let mut parking = map.workshop.parking.clone();
    listed::strip(&mut parking, "parking");
    let mut votes = map.workshop.votes.clone();
    listed::strip(&mut votes, "votes");
    let keeps_ids = nodes.iter().any(|n| listed::any_id(n))
        || actions.iter().any(|a| !a.id.is_empty())
        || parking.iter().any(|p| !p.id.is_empty())
        || votes.iter().any(|v| !v.id.is_empty());
    let positions: Vec<(NodeId, f32, f32)> =
        nodes.iter().filter_map(|n| map.placement(&n.id).map(|p| (n.id.clone(), p.x, p.y))).collect();
    let pinned: Vec<NodeId> =
        nodes.iter().filter(|n| map.placement(&n.id).is_some_and(|p| p.pinned)).map(|n| n.id.clone()).collect();
    // Each format only adds optional fields: a map is written in the oldest format that holds it.
    // Budget lines came with format 3: a file holding any is format 3 even when their ids are derived.
    let has_budget_lines = nodes
        .iter()
        .any(|n| matches!(&n.kind, NodeKind::Intervention { budget_lines, .. } if !budget_lines.is_empty()));
    let version = if keeps_ids || has_budget_lines || !map.unresolved.is_empty() {
        3
    } else if needs_format_2(map) {
        2
    } else {
        1
    };
    let file = FileV1 {
        version,
        title: map.meta.title.clone(),
        description: map.meta.description.clone(),
        organisation: map.meta.organisation.clone(),
        created: Some(map.meta.created),
        modified: Some(map.meta.modified),
        next_id: map.next_serial(),
        nodes,
        links: map.sorted_links(),
        positions,
        pinned,
        routes: map
            .sorted_routes()
            .into_iter()
            .map(|(id, pts)| (id.clone(), pts.iter().map(|p| (p[0], p[1])).collect()))
            .collect(),
        dismissed: map
            .dismissals
            .iter()
            .map(|(k, d)| DismissedV1 { finding: k.clone(), reason: d.reason.clone(), date: d.date })
            .collect(),
        parking,
        votes,
        snapshots: map.workshop.snapshots.clone(),
        origin: map.origin.clone(),
        tolerances: (!map.tolerances.is_default()).then_some(map.tolerances),
        actions,
        conflicts: map.unresolved.clone(),
    };
    let config =
        ron::ser::PrettyConfig::new().indentor("    ").new_line("\n").struct_names(false).escape_strings(false);
    match ron::ser::to_string_pretty(&file, config) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Serialising plain data to a String cannot fail; keep a readable fallback all the same.
        Err(err) => format!("// could not write the map: {err}\n"),
    }
}

/// Saves a map to a file atomically.
pub fn save_path(map: &MissionMap, path: &Path) -> Result<(), super::atomic::WriteError> {
    super::atomic::write_atomic(path, to_string(map).as_bytes())
}

#[cfg(test)]
mod tests;
