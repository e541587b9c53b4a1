//! The board pack: an A4 PDF for the mission board's meeting, with selectable text. A cover with
//! the contents, the overview picture with the board's open actions, then a page per mission: its
//! map, its indicators (status, last value against expected, a sparkline), its top risks (indicators
//! off track, links resting on weak evidence, single points of failure), what changed since a
//! named session, and the decisions taken on its interventions. Every page is numbered.

use chrono::NaiveDate;

use super::render::{ExportError, pdf_of_pages, tree};
use super::{Scope, cards_in_scope};
use crate::model::analysis::{Check, run_checks};
use crate::model::progress::{self, CardProgress, IndicatorProgress, Progress, Status, figure};
use crate::model::{Evidence, Kind, LinkKind, MissionMap, NodeId, NodeKind, card};

mod sheet;

use crate::model::money::{MissionMoney, STACKED};
use sheet::{BOTTOM, H, LEFT, LINE, RIGHT, Sheet, TEXT, W, colour, fit};

/// What goes into a pack.
#[derive(Clone, Debug)]
pub struct PackOptions {
    /// The day the statuses are for (the meeting's date).
    pub on: NaiveDate,
    /// The session snapshot to report changes since, by name.
    pub since: Option<String>,
}

/// The indicator rows of a table: status chip, card and indicator, last value against expected,
/// progress, sparkline.
fn indicator_rows(sheet: &mut Sheet, map: &MissionMap, rows: &[&IndicatorProgress], max: usize) {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    for i in rows.iter().take(max) {
        if sheet.y > BOTTOM {
            return;
        }
        let y = sheet.y;
        let w = sheet.chip(LEFT, y, i.status, i.stale);
        let what = if i.indicator == "target" {
            format!("{} \u{2014} the mission's target", title(&i.card))
        } else {
            format!("{} \u{2014} {}", i.indicator, title(&i.card))
        };
        sheet.text(LEFT + w + 6.0, y, TEXT, false, "#1A1A1A", &fit(&what, TEXT, 250.0 - w));
        let figures = match (i.last_value, i.last_date, i.needs) {
            (Some(v), Some(d), None) => {
                format!("{} ({}) vs {} expected", figure(Some(v)), d.format("%b %Y"), figure(i.expected))
            }
            (Some(v), Some(d), Some(needs)) => format!("{} ({}); {}", figure(Some(v)), d.format("%b %Y"), needs.text()),
            (_, _, Some(needs)) => needs.text().to_owned(),
            _ => "no readings yet".to_owned(),
        };
        sheet.text(LEFT + 262.0, y, TEXT, false, "#1A1A1A", &fit(&figures, TEXT, 170.0));
        if let Some(p) = i.progress {
            sheet.text(LEFT + 440.0, y, TEXT, false, "#1A1A1A", &format!("{:.0}%", p * 100.0));
        }
        sheet.sparkline(LEFT + 475.0, y, 40.0, 9.0, &i.series, i.status);
        sheet.y += LINE;
    }
    if rows.len() > max {
        sheet.line(
            TEXT,
            false,
            &format!("\u{2026} and {} more (see Analyse > Progress in the editor)", rows.len() - max),
        );
    }
}

/// "its own target" or "Net additional dwellings on “1.5 million homes built”".
fn driver_text(map: &MissionMap, (card, name): &(NodeId, String)) -> String {
    let title = map.node(card).map_or_else(|| card.to_string(), |n| n.title.clone());
    if name == "target" {
        format!("the target of \u{201c}{title}\u{201d}")
    } else {
        format!("{name} on \u{201c}{title}\u{201d}")
    }
}

/// Beside a card's chip: "last reading 2026-09-30, overdue; set by …"; `None` when nothing under
/// it is measured.
fn card_why(map: &MissionMap, c: &CardProgress) -> Option<String> {
    if !c.status.measured() {
        return None;
    }
    let d = c.driver.as_ref()?;
    let stale = match (c.stale, c.last_date) {
        (true, Some(date)) => format!("last reading {date}, overdue; "),
        _ => String::new(),
    };
    Some(format!("{stale}set by {}", driver_text(map, d)))
}

/// The pack as PDF bytes.
pub fn board_pack(map: &MissionMap, opts: &PackOptions) -> Result<Vec<u8>, ExportError> {
    let p = progress::progress(map, opts.on);
    let checks = run_checks(map);
    let money = crate::model::money::money(map, None);
    let snapshot = opts.since.as_ref().and_then(|name| map.workshop.snapshots.iter().find(|s| s.name == *name));
    let mut missions: Vec<&crate::model::Node> = map.nodes().filter(|n| n.kind() == Kind::Mission).collect();
    missions.sort_by(|a, b| a.id.cmp(&b.id));
    let total = 2 + missions.len();
    let footer =
        |n: usize| format!("Board pack \u{2014} {} \u{2014} {} \u{2014} page {n} of {total}", map.meta.title, opts.on);
    let mut pages = Vec::new();

    // 1. Cover and contents.
    let mut cover = Sheet::new();
    cover.y = 150.0;
    cover.line(14.0, false, "Board pack");
    cover.y += 6.0;
    for l in card::wrap(&map.meta.title, 24.0, RIGHT - LEFT) {
        cover.line(24.0, true, &l);
    }
    if !map.meta.organisation.is_empty() {
        cover.line(13.0, false, &map.meta.organisation);
    }
    cover.line(13.0, false, &format!("Meeting of {}", opts.on.format("%-d %B %Y")));
    if let Some(name) = &opts.since {
        let found = if snapshot.is_some() { "" } else { " (no session of that name in the map)" };
        cover.line(11.0, false, &format!("Changes since the session \u{201c}{name}\u{201d}{found}"));
    }
    cover.y += 30.0;
    cover.heading("Contents");
    cover.line(11.0, false, "1. Cover and contents");
    cover.line(11.0, false, "2. The whole map, the missions' status and the board's open actions");
    for (i, m) in missions.iter().enumerate() {
        let status = p.of_card(&m.id).map_or_else(|| Status::NoData.label().to_owned(), CardProgress::status_text);
        cover.line(11.0, false, &format!("{}. Mission: {} \u{2014} {}", i + 3, m.title, status.to_lowercase()));
    }
    cover.y += 20.0;
    cover.paragraph(
        9.0,
        "Each status is computed from the indicators' readings against their trajectories, never typed: on track at 95% or more of the progress expected by the reading's date, at risk from 80%, off track below; met or missed once the deadline has passed. \u{201c}Stale\u{201d} beside a status means the last reading is overdue: the status is the last one computed. A mission takes the worst measured status of its target and its sub-missions' indicators, and says how many have no data.",
    );
    pages.push(cover.finish(&footer(1)));

    // 2. Overview, missions' status, open actions.
    let mut overview = Sheet::new();
    overview.line(16.0, true, "The whole map");
    overview.picture(map, overview.y, 400.0);
    overview.heading("Missions");
    for m in &missions {
        let Some(c) = p.of_card(&m.id) else { continue };
        let y = overview.y;
        let w = overview.chip(LEFT, y, c.status, c.stale);
        let why = card_why(map, c).map(|t| format!(" \u{2014} {t}")).unwrap_or_default();
        let why = match c.no_data_text() {
            Some(gaps) => format!("{why}; {gaps}"),
            None => why,
        };
        overview.text(
            LEFT + w + 6.0,
            y,
            TEXT,
            false,
            "#1A1A1A",
            &fit(&format!("{}{why}", m.title), TEXT, RIGHT - LEFT - w - 6.0),
        );
        overview.y += LINE;
    }
    overview.heading("Open actions");
    let open: Vec<&crate::model::ActionItem> = map.actions.iter().filter(|a| !a.done).collect();
    if open.is_empty() {
        overview.line(TEXT, false, "None open.");
    }
    for a in open.iter().take(12) {
        let due = a.due.map(|d| format!(", due {}", d.format("%-d %b %Y"))).unwrap_or_default();
        let late = if a.due.is_some_and(|d| d < opts.on) { " (overdue)" } else { "" };
        let owner = if a.owner.is_empty() { "no owner yet".to_owned() } else { a.owner.clone() };
        overview.bullet(&format!("{} \u{2014} {owner}{due}{late}", a.what));
    }
    if open.len() > 12 {
        overview.line(TEXT, false, &format!("\u{2026} and {} more", open.len() - 12));
    }
    pages.push(overview.finish(&footer(2)));

    // 3… A page per mission.
    for (i, m) in missions.iter().enumerate() {
        let mm = money.missions.iter().find(|x| x.id == m.id).filter(|x| !x.total.is_zero());
        pages.push(mission_page(map, &p, &checks, snapshot, m, mm).finish(&footer(i + 3)));
    }

    let trees = pages.iter().map(|svg| tree(svg)).collect::<Result<Vec<_>, _>>()?;
    pdf_of_pages(&trees, (W, H), &format!("Board pack \u{2014} {}", map.meta.title))
}

/// A mission's money: a chart per currency (a bar per year stacked by status) and the table of
/// years by status under it.
fn money_section(sheet: &mut Sheet, m: &MissionMoney) {
    sheet.heading(&format!("Money: {}", m.total.text()));
    if sheet.y + 80.0 > BOTTOM {
        return;
    }
    let mut x = LEFT;
    let top = sheet.y;
    for currency in m.total.0.keys() {
        let years = m.years_in(currency);
        if years.is_empty() || x > RIGHT - 80.0 {
            continue;
        }
        x += sheet.money_bars(x, top, 62.0, currency, &years) + 20.0;
    }
    // The legend, right of the charts.
    let mut ly = top;
    for (status, rgb) in STACKED.iter().zip(crate::style::MONEY_STACK) {
        let _ = std::fmt::Write::write_fmt(
            &mut sheet.svg,
            format_args!(
                r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{}"/>"#,
                RIGHT - 70.0,
                ly - 7.0,
                colour(rgb)
            ),
        );
        sheet.text(RIGHT - 58.0, ly, 8.0, false, "#1A1A1A", status.slug());
        ly += 11.0;
    }
    sheet.y = top + 62.0 + 26.0;
    let cols = [LEFT, LEFT + 70.0, LEFT + 180.0, LEFT + 290.0, LEFT + 400.0];
    for (x, h) in cols.iter().zip(["Year", "Planned", "Committed", "Spent", "Total"]) {
        sheet.text(*x, sheet.y, TEXT, true, "#1A1A1A", h);
    }
    sheet.y += LINE;
    for (year, b) in m.by_year_status.iter().take(6) {
        if sheet.y > BOTTOM {
            return;
        }
        let total = m.by_year.get(year).map(crate::model::analysis::Money::text).unwrap_or_default();
        for (x, t) in cols.iter().zip([year.clone(), b.planned.text(), b.committed.text(), b.spent.text(), total]) {
            sheet.text(*x, sheet.y, TEXT, false, "#1A1A1A", &fit(&t, TEXT, 105.0));
        }
        sheet.y += LINE;
    }
    if !m.unfunded.is_empty() {
        sheet.line(
            TEXT,
            false,
            &format!(
                "{} with no committed or spent money.",
                crate::model::analysis::checks::plural(m.unfunded.len(), "sub-mission", "sub-missions")
            ),
        );
    }
}

fn mission_page(
    map: &MissionMap,
    p: &Progress,
    checks: &crate::model::analysis::Checked,
    snapshot: Option<&crate::model::workshop::Snapshot>,
    m: &crate::model::Node,
    money: Option<&MissionMoney>,
) -> Sheet {
    let title = |id: &NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    let scope = cards_in_scope(map, &Scope::Mission(m.id.clone()));
    let mut sheet = Sheet::new();
    sheet.y = 50.0;
    sheet.line(9.0, false, "Mission");
    sheet.y += 6.0;
    for l in card::wrap(&m.title, 16.0, RIGHT - LEFT).into_iter().take(2) {
        sheet.line(16.0, true, &l);
    }
    if let Some(c) = p.of_card(&m.id) {
        let y = sheet.y;
        let w = sheet.chip(LEFT, y, c.status, c.stale);
        let why = card_why(map, c).unwrap_or_else(|| "nothing measured yet".to_owned());
        sheet.text(LEFT + w + 6.0, y, TEXT, false, "#1A1A1A", &fit(&why, TEXT, RIGHT - LEFT - w - 6.0));
        sheet.y += LINE;
        if let Some(gaps) = c.no_data_text() {
            sheet.line(TEXT, false, &gaps);
        }
    }
    let ids: Vec<NodeId> = scope.iter().cloned().collect();
    let part = map.subset(&ids);
    // A smaller map leaves room for the money.
    sheet.picture(&part, sheet.y + 2.0, if money.is_some() { 230.0 } else { 300.0 });

    // Indicators: the mission's own target and its sub-missions', worst first.
    let subs = progress::sub_missions(map, &m.id);
    let mut rows: Vec<&IndicatorProgress> =
        p.indicators.iter().filter(|i| i.card == m.id || subs.contains(&&i.card)).collect();
    rows.sort_by_key(|i| (std::cmp::Reverse(i.status.concern()), std::cmp::Reverse(i.stale)));
    sheet.heading(&format!("Indicators ({})", rows.len()));
    if rows.is_empty() {
        sheet.line(TEXT, false, "No indicators yet: add them to the sub-missions (and a target to the mission).");
    }
    indicator_rows(&mut sheet, map, &rows, 8);
    if let Some(mm) = money {
        money_section(&mut sheet, mm);
    }

    // Top risks.
    sheet.heading("Top risks");
    let mut risks = Vec::new();
    for i in rows
        .iter()
        .filter(|i| i.stale || matches!(i.status, Status::OffTrack | Status::Missed | Status::AtRisk))
        .take(3)
    {
        let what = if i.indicator == "target" { "the mission's target".to_owned() } else { i.indicator.clone() };
        let verb = if matches!(i.status, Status::Met | Status::Missed) { "was" } else { "is" };
        risks.push(format!("{what} {verb} {} ({})", i.status_text().to_lowercase(), title(&i.card)));
    }
    let weak: Vec<&crate::model::Link> = map
        .links()
        .filter(|l| l.kind == LinkKind::ContributesTo && scope.contains(&l.from) && scope.contains(&l.to))
        .filter(|l| matches!(l.evidence, Evidence::None | Evidence::Anecdotal))
        .collect();
    if let Some(first) = weak.first() {
        risks.push(format!(
            "{} of its links rest on no or anecdotal evidence, such as \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
            weak.len(),
            title(&first.from),
            title(&first.to)
        ));
    }
    for f in checks
        .open
        .iter()
        .filter(|f| f.check == Check::SinglePointOfFailure && f.cards.iter().any(|c| scope.contains(c)))
        .take(2)
    {
        risks.push(f.message.clone());
    }
    if risks.is_empty() {
        sheet.line(
            TEXT,
            false,
            "None found: no indicator off track, every link has evidence, no single point of failure.",
        );
    }
    for r in risks {
        sheet.bullet(&r);
    }

    // What changed since the named session.
    if let Some(snap) = snapshot {
        let d = crate::model::workshop::since(snap, map);
        let added: Vec<String> = d.added.iter().filter(|id| scope.contains(*id)).map(&title).collect();
        let edited: Vec<String> = d.edited.iter().filter(|id| scope.contains(*id)).map(&title).collect();
        sheet.heading(&format!("Changed since \u{201c}{}\u{201d}", snap.name));
        if added.is_empty() && edited.is_empty() {
            sheet.line(TEXT, false, "No cards of this mission were added or edited.");
        }
        if !added.is_empty() {
            sheet.line(TEXT, false, &format!("Added ({}): {}", added.len(), added.join("; ")));
        }
        if !edited.is_empty() {
            sheet.line(TEXT, false, &format!("Edited ({}): {}", edited.len(), edited.join("; ")));
        }
    }

    // Decisions on its interventions, newest first.
    let mut decisions: Vec<(NaiveDate, String)> = Vec::new();
    for id in &scope {
        if let Some(NodeKind::Intervention { decisions: ds, .. }) = map.node(id).map(|n| &n.kind) {
            for d in ds {
                let who = if d.who.is_empty() { String::new() } else { format!(" ({})", d.who) };
                let why = if d.why.is_empty() { String::new() } else { format!(": {}", d.why) };
                decisions.push((d.date, format!("{} {} \u{2014} {}{who}{why}", d.date, d.decision.label(), title(id))));
            }
        }
    }
    decisions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    sheet.heading("Decisions taken");
    if decisions.is_empty() {
        sheet.line(TEXT, false, "None recorded on this mission's interventions.");
    }
    for (_, d) in decisions.iter().take(6) {
        sheet.bullet(d);
    }
    let open = map.actions.iter().filter(|a| !a.done).count();
    if open > 0 {
        sheet.line(TEXT, false, &format!("The board's {open} open action(s) are on page 2."));
    }
    sheet
}
