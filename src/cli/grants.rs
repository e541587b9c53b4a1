//! `missionboard grants`: real grant data (360Giving) added as budget lines, after a preview of
//! how programmes and recipients were matched (see `model::money::grants`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::{FAILED, GrantRule, OK, load, save_out};
use crate::io;
use crate::model::analysis::checks::plural;
use crate::model::money::grants::{self, Choice, Grant, Plan, Rule};
use crate::model::{MissionMap, NodeId};

pub(super) struct GrantsArgs<'a> {
    pub file: &'a Path,
    pub grants: &'a Path,
    pub output: &'a Path,
    pub dry_run: bool,
    pub rule: GrantRule,
    pub programmes: &'a [String],
}

/// `--programme "Warm Homes Fund=i7"` as (programme, choice), checked against the map; `=new`
/// gives the programme a new intervention card and `=none` leaves it out, as in the app.
fn chosen(map: &MissionMap, given: &[String]) -> Result<BTreeMap<String, Choice>, String> {
    let mut out = BTreeMap::new();
    for g in given {
        let Some((programme, card)) = g.rsplit_once('=') else {
            return Err(format!("--programme {g:?}: write PROGRAMME=CARD, such as \"Warm Homes Fund=i7\""));
        };
        let choice = match card.trim() {
            "new" => Choice::NewCard,
            "none" => Choice::Skip,
            card => Choice::Card(
                NodeId::new(card)
                    .ok()
                    .filter(|id| {
                        matches!(map.node(id).map(crate::model::Node::kind), Some(crate::model::Kind::Intervention))
                    })
                    .ok_or_else(|| {
                        format!(
                            "--programme {g:?}: \"{card}\" is not an intervention on the map (or write =new for a new card, =none to leave it out)"
                        )
                    })?,
            ),
        };
        out.insert(programme.trim().to_owned(), choice);
    }
    Ok(out)
}

/// The preview: each programme and its intervention, the recipients, what will be added.
fn preview(map: &MissionMap, grants: &[Grant], plan: &Plan, rule: Rule) -> String {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    let mut out = format!("{} read. Rule: {}.\n\n", plural(grants.len(), "grant", "grants"), rule.text());
    let rows: Vec<[String; 3]> = plan
        .programmes
        .iter()
        .map(|r| {
            let to = match &r.intervention {
                None => "no intervention: not added".to_owned(),
                Some(id) if plan.new_interventions.iter().any(|(n, _)| n == id) => {
                    format!("a new intervention card ({id})")
                }
                Some(id) => format!("\u{201c}{}\u{201d} ({id})", title(id)),
            };
            [r.programme.clone(), to, format!("{}, {}", plural(r.grants, "grant", "grants"), r.money.text())]
        })
        .collect();
    let head = ["Grant programme".to_owned(), "Intervention".to_owned(), "Grants".to_owned()];
    let widths: Vec<usize> =
        (0..3).map(|k| std::iter::once(&head).chain(&rows).map(|r| r[k].chars().count()).max().unwrap_or(0)).collect();
    for r in std::iter::once(&head).chain(&rows) {
        let cells: Vec<String> =
            r.iter().zip(&widths).map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
    let unmatched = plan.grants.iter().filter(|g| g.is_none()).count();
    let _ = writeln!(out, "\n{}.", plan.recipients_text());
    let _ = writeln!(
        out,
        "Budget lines: {} to add (committed, in the financial year of the award date, from the funder){}{}.",
        plan.adding(),
        if plan.already > 0 { format!("; {} already on the map", plan.already) } else { String::new() },
        if unmatched > 0 {
            format!(
                "; {unmatched} in programmes matching no intervention, not added (choose one with --programme \"NAME=CARD\")"
            )
        } else {
            String::new()
        }
    );
    out
}

pub(super) fn grants(a: &GrantsArgs<'_>) -> u8 {
    let map = match load(a.file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let chosen = match chosen(&map, a.programmes) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    let list = match io::grants::read_path(a.grants) {
        Ok(g) => g,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("Nothing was written: mend these rows and run it again.");
            return FAILED;
        }
    };
    let rule = match a.rule {
        GrantRule::Title => Rule::Title,
        GrantRule::Tag => Rule::Tag,
    };
    let plan = grants::plan_choosing(&map, &list, rule, &chosen);
    print!("{}", preview(&map, &list, &plan, rule));
    if a.dry_run {
        println!("--dry-run: nothing was written.");
        return OK;
    }
    let mut out = match grants::apply(&map, &list, &plan) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("The grants could not be added: {e}. Nothing was written.");
            return FAILED;
        }
    };
    let new = plan.new_cards();
    if !new.is_empty() {
        crate::layout::place_in_bands(&mut out, &new);
    }
    save_out(&out, a.output, &format!(" ({} added)", plural(plan.adding(), "budget line", "budget lines")))
}
