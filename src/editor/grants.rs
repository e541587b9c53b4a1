//! Importing real grant data (the 360Giving Data Standard) in the app: the file is read, each
//! grant programme is matched to an intervention by the rule the person picked (or given a card
//! of their choosing), and the preview shows every grant, its recipient's partner card and its
//! intervention before anything is written. "Add" puts it all on the map as one undo step. The
//! matching is `model::money::grants` (the same as `missionboard grants`); reading is `io::grants`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::Editor;
use crate::command::Command;
use crate::model::analysis::checks::plural;
use crate::model::analysis::portfolio::money as money_text;
use crate::model::money::grants::{self, Choice, Grant, Plan, Recipient, Rule, financial_year};
use crate::model::{Kind, MissionMap, NodeId};

/// What reading the file gave.
#[derive(Clone, Debug)]
enum Read {
    Grants {
        path: PathBuf,
        grants: Vec<Grant>,
    },
    /// Every problem, named with its row and column; nothing can be added.
    Problems {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// One grant's row of the preview, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewRow {
    /// The grant's title (or its identifier when it has none).
    pub grant: String,
    /// "Age UK → Age UK (p1)", "Leeds City College → new partner".
    pub recipient: String,
    /// "Warm Homes Plan → Warm Homes Plan (i1)", "Arts for All → not added".
    pub programme: String,
    pub amount: String,
    /// The financial year its line goes in.
    pub year: String,
}

/// The preview of an import: what it would add, worked out for one revision of the map, one
/// rule and one set of choices.
#[derive(Clone, Debug)]
pub struct Preview {
    pub plan: Plan,
    /// For each programme of the plan: the intervention the rule alone gives it.
    pub by_rule: Vec<Option<NodeId>>,
    pub rows: Vec<PreviewRow>,
    /// What will be added, in sentences.
    pub summary: String,
    /// The money in the file, per currency ("£575k").
    pub in_file: String,
    /// The intervention cards a programme can go to, by title.
    pub interventions: Vec<(NodeId, String)>,
}

type PreviewKey = (u64, Rule, BTreeMap<String, Choice>);

/// The import dialog's state: the path box, the rule, the person's choices per programme, what
/// was read and the preview.
#[derive(Clone, Debug, Default)]
pub struct GrantImport {
    /// The path box.
    pub path: String,
    pub rule: Rule,
    /// The person's choice for a programme (by its title as in the file); the rule's otherwise.
    pub choices: BTreeMap<String, Choice>,
    /// Why the last "Add" was refused, shown in the dialog.
    pub refused: Option<String>,
    read: Option<Read>,
    preview: Option<(PreviewKey, Preview)>,
}

/// The name of a card for the preview: its title.
fn card_name(map: &MissionMap, id: &NodeId) -> String {
    map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone())
}

impl GrantImport {
    /// A new import with `path` in the path box.
    #[must_use]
    pub fn new(path: String) -> GrantImport {
        GrantImport { path, ..GrantImport::default() }
    }

    /// Reads the file named in the path box (Preview, or Enter in the box). Problems are kept to
    /// be shown; the choices made for programmes stay.
    pub fn read(&mut self) {
        let path = PathBuf::from(self.path.trim());
        self.preview = None;
        if self.path.trim().is_empty() {
            self.read = Some(Read::Problems {
                path,
                problems: vec![
                    "Type the path of a 360Giving file (.csv, .xlsx or .json), then press Preview.".to_owned(),
                ],
            });
            return;
        }
        self.read = Some(match crate::io::grants::read_path(&path) {
            Ok(grants) if grants.is_empty() => {
                Read::Problems { path, problems: vec!["The file holds no grants: is it the right file?".to_owned()] }
            }
            Ok(grants) => Read::Grants { path, grants },
            Err(errors) => Read::Problems { path, problems: errors.iter().map(ToString::to_string).collect() },
        });
    }

    /// The file last read, if any.
    #[must_use]
    pub fn read_path(&self) -> Option<&Path> {
        match &self.read {
            Some(Read::Grants { path, .. } | Read::Problems { path, .. }) => Some(path),
            None => None,
        }
    }

    /// Whether the path box names another file than the one read (the preview is then stale).
    #[must_use]
    pub fn path_changed(&self) -> bool {
        self.read_path().is_some_and(|p| p != Path::new(self.path.trim()))
    }

    /// The problems reading the file found (row and column named in each).
    #[must_use]
    pub fn problems(&self) -> &[String] {
        match &self.read {
            Some(Read::Problems { problems, .. }) => problems,
            _ => &[],
        }
    }

    /// The grants read, when the file had no problem.
    #[must_use]
    pub fn grants(&self) -> Option<&[Grant]> {
        match &self.read {
            Some(Read::Grants { grants, .. }) => Some(grants),
            _ => None,
        }
    }

    /// The intervention cards a programme can go to, by title.
    #[must_use]
    pub fn interventions(map: &MissionMap) -> Vec<(NodeId, String)> {
        let mut out: Vec<(NodeId, String)> =
            map.nodes().filter(|n| n.kind() == Kind::Intervention).map(|n| (n.id.clone(), n.title.clone())).collect();
        out.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The preview for the map at `revision` (worked out again only when the map, the rule or a
    /// choice changed); `None` until a file is read without problems.
    pub fn preview(&mut self, map: &MissionMap, revision: u64) -> Option<&Preview> {
        self.refresh(map, revision);
        self.current()
    }

    /// Works out the preview again if the map (at `revision`), the rule or a choice changed.
    pub fn refresh(&mut self, map: &MissionMap, revision: u64) {
        let Some(grants) = self.grants() else { return };
        let key = (revision, self.rule, self.choices.clone());
        if self.preview.as_ref().is_none_or(|(k, _)| *k != key) {
            let p = preview(map, grants, self.rule, &self.choices);
            self.preview = Some((key, p));
        }
    }

    /// The preview last worked out ([`GrantImport::refresh`]), while the file read is good.
    #[must_use]
    pub fn current(&self) -> Option<&Preview> {
        self.grants()?;
        self.preview.as_ref().map(|(_, p)| p)
    }
}

/// Works out the preview: the plan, a row per grant, and the summary.
fn preview(map: &MissionMap, grants: &[Grant], rule: Rule, choices: &BTreeMap<String, Choice>) -> Preview {
    let plan = grants::plan_choosing(map, grants, rule, choices);
    let new_intervention = |id: &NodeId| plan.new_interventions.iter().find(|(n, _)| n == id).map(|(_, t)| t);
    let rows = grants
        .iter()
        .zip(&plan.grants)
        .map(|(g, matched)| {
            let name = if g.recipient_name.is_empty() { &g.recipient_id } else { &g.recipient_name };
            let (recipient, to) = match matched {
                None => (format!("{name} -> not added"), "not added".to_owned()),
                Some((intervention, r)) => {
                    // A recipient of an earlier grant in the file gets the new card made for it.
                    let partner = match r {
                        Recipient::ByIdentifier(id) | Recipient::ByName(id) if map.contains_node(id) => {
                            card_name(map, id)
                        }
                        _ => "new partner".to_owned(),
                    };
                    let to = match new_intervention(intervention) {
                        Some(_) => "new intervention card".to_owned(),
                        None => card_name(map, intervention),
                    };
                    (format!("{name} -> {partner}"), to)
                }
            };
            PreviewRow {
                grant: if g.title.is_empty() { g.identifier.clone() } else { g.title.clone() },
                recipient,
                programme: format!("{} -> {to}", g.programme),
                amount: money_text(g.amount, &g.currency),
                year: financial_year(g.award_date).text(),
            }
        })
        .collect();
    let mut summary = format!("{} read. ", plural(grants.len(), "grant", "grants"));
    let _ = write!(summary, "{}. ", plan.recipients_text());
    if !plan.new_interventions.is_empty() {
        let _ = write!(
            summary,
            "{}. ",
            plural(plan.new_interventions.len(), "new intervention card", "new intervention cards")
        );
    }
    let _ = write!(
        summary,
        "Each grant becomes a committed budget line in the financial year of its award date, from its funder."
    );
    if plan.already > 0 {
        let _ =
            write!(summary, " {} already on the map, not added again.", plural(plan.already, "grant is", "grants are"));
    }
    let left_out = plan.grants.iter().filter(|g| g.is_none()).count();
    if left_out > 0 {
        let _ = write!(
            summary,
            " {} in programmes with no intervention, not added (choose a card for the programme to add them).",
            plural(left_out, "grant", "grants")
        );
    }
    // The plan's match is the rule's unless the person chose otherwise (asked again only then).
    let by_rule = plan
        .programmes
        .iter()
        .map(|p| {
            if choices.contains_key(&p.programme) {
                grants::by_rule(map, rule, &p.programme)
            } else {
                p.intervention.clone()
            }
        })
        .collect();
    let mut total = crate::model::analysis::Money::default();
    for g in grants {
        total.add(&g.currency, g.amount);
    }
    let interventions = GrantImport::interventions(map);
    Preview { plan, by_rule, rows, summary, in_file: total.text(), interventions }
}

impl Editor {
    /// Adds the grants the import's preview shows, as one undo step: new intervention and partner
    /// cards (placed in their bands), a budget line per grant, and a "delivers" link from each
    /// recipient. Says what was added, or why nothing was.
    pub fn import_grants(&mut self, import: &GrantImport) -> bool {
        let Some(list) = import.grants() else {
            self.warn("Read a grant file without problems first (Preview).");
            return false;
        };
        let map = self.doc.map();
        let plan = grants::plan_choosing(map, list, import.rule, &import.choices);
        if plan.adding() == 0 {
            self.warn("There is nothing to add: every grant is already on the map or in a programme left out.");
            return false;
        }
        let mut out = match grants::apply(map, list, &plan) {
            Ok(m) => m,
            Err(e) => {
                self.warn(format!("The grants could not be added: {e}. Nothing was changed."));
                return false;
            }
        };
        let new = plan.new_cards();
        crate::layout::place_in_bands(&mut out, &new);
        let mut commands = Vec::new();
        for id in &new {
            if let (Some(node), Some(place)) = (out.node(id), out.placement(id)) {
                commands.push(Command::AddNode { node: node.clone(), place });
            }
        }
        for n in out.sorted_nodes() {
            if map.node(&n.id).is_some_and(|old| old != n) {
                commands.push(Command::UpdateNode(n.clone()));
            }
        }
        let links: Vec<_> = out.sorted_links().into_iter().filter(|l| map.link(&l.id).is_none()).cloned().collect();
        for mut link in links {
            // An id this document has never handed out (not even to a link since undone).
            link.id = self.doc.fresh_link_id();
            commands.push(Command::AddLink(link));
        }
        let added = plan.adding();
        if !self.apply("Import grants", Command::Batch(commands)) {
            return false;
        }
        let mut text = format!("Added {} as budget lines", plural(added, "grant", "grants"));
        if !plan.new_partners.is_empty() {
            let _ = write!(text, ", with {}", plural(plan.new_partners.len(), "new partner card", "new partner cards"));
        }
        if !plan.new_interventions.is_empty() {
            let _ = write!(
                text,
                " and {}",
                plural(plan.new_interventions.len(), "new intervention card", "new intervention cards")
            );
        }
        text.push_str(". Ctrl+Z takes the whole import back.");
        self.say(text);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkKind, Node, Placement};

    fn id(s: &str) -> NodeId {
        NodeId::new(s).unwrap()
    }

    fn fixture() -> String {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/360giving-libreoffice.csv").display().to_string()
    }

    /// "Warm Homes Plan" (i1) and "Skills bootcamps" (i2) serving one mission.
    fn editor() -> Editor {
        let mut map = MissionMap::new("Grants");
        for (name, kind, title) in [
            ("m1", Kind::Mission, "Mission"),
            ("i1", Kind::Intervention, "Warm Homes Plan"),
            ("i2", Kind::Intervention, "Skills bootcamps"),
        ] {
            map.add_node(Node::new(id(name), kind, title), Placement::default()).unwrap();
        }
        map.connect(&id("i1"), &id("m1"), LinkKind::ContributesTo).unwrap();
        Editor::new(map, crate::editor::Settings::default())
    }

    #[test]
    fn a_file_is_read_previewed_and_added_in_one_undo_step() {
        let mut ed = editor();
        let before = ed.map().clone();
        let mut import = GrantImport::new(fixture());
        import.read();
        assert!(import.problems().is_empty(), "{:?}", import.problems());
        let p = import.preview(ed.map(), ed.doc.revision()).unwrap();
        assert_eq!(p.rows.len(), 6);
        assert_eq!(p.rows[0].recipient, "Age UK -> new partner");
        assert_eq!(p.rows[1].programme, "Warm Homes Plan -> Warm Homes Plan");
        assert_eq!((p.rows[2].amount.as_str(), p.rows[2].year.as_str()), ("£85k", "2026-27"));
        assert_eq!(p.rows[5].programme, "Arts for All -> not added");
        assert_eq!(p.plan.adding(), 5);
        assert_eq!(p.in_file, "£575k");
        // A new card for Arts for All.
        import.choices.insert("Arts for All".to_owned(), Choice::NewCard);
        assert_eq!(
            import.preview(ed.map(), ed.doc.revision()).unwrap().rows[5].programme,
            "Arts for All -> new intervention card"
        );
        assert!(ed.import_grants(&import));
        assert_eq!(ed.map().node_count(), before.node_count() + 1 + 5, "a new intervention and five partners");
        assert!(ed.doc.can_undo());
        ed.doc.undo();
        assert_eq!(ed.map().sorted_nodes(), before.sorted_nodes());
        assert_eq!(ed.map().sorted_links(), before.sorted_links());
        assert!(!ed.doc.can_undo(), "one step");
    }

    #[test]
    fn a_missing_file_or_an_empty_path_is_a_problem_and_adds_nothing() {
        let mut ed = editor();
        let mut import = GrantImport::new(String::new());
        import.read();
        assert!(import.problems()[0].starts_with("Type the path"), "{:?}", import.problems());
        import.path = "/nowhere/grants.csv".to_owned();
        import.read();
        assert!(import.problems()[0].contains("could not read the file"), "{:?}", import.problems());
        assert!(import.preview(ed.map(), 0).is_none());
        assert!(!ed.import_grants(&import));
        assert!(!ed.doc.can_undo());
        import.path.push('x');
        assert!(import.path_changed());
    }
}
