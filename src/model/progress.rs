//! Is the mission on track? Each indicator's latest reading against its trajectory, and a status
//! rolled up from indicators to sub-missions to missions. Computed, never typed. The rule, in words
//! and with a worked example for each case, is in `docs/progress.md`.
//!
//! - The **trajectory** runs from (baseline date, baseline) through the milestones to (deadline,
//!   target), straight between points; without a baseline date (and baseline) it starts at the
//!   first reading.
//! - The **direction** (must the figure rise or fall?) runs from the baseline to the target, never
//!   from the trajectory's local slope; a target equal to its baseline ("hold") takes its direction
//!   from the indicator's [`Hold`] (at most, at least).
//! - **Progress** of the latest reading on or before the day asked about =
//!   (value − baseline) / (expected − baseline), where *expected* is the trajectory on the reading's
//!   date. Where the trajectory expects nothing beyond the baseline (its date, an agreed dip), a
//!   reading at or beyond the expected value counts as 1 and a shortfall is measured against the
//!   whole way from the baseline to the target. A held target is measured against the held value.
//! - **Status**: on track at ≥ 0.95, at risk at ≥ 0.8, off track below (the map may set both); once
//!   the deadline has passed, *met* or *missed*; *no data* without readings, or without what it
//!   needs to be scored (a target and deadline, a baseline, a direction). **Stale** is a flag beside
//!   the status: the latest reading is older than one and a half times the indicator's frequency.
//! - **Roll-up**: a card takes the worst *measured* status under it (off track and missed before at
//!   risk, before on track and met); *no data* only when nothing under it is measured. The indicator
//!   that sets it is its *driver*.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Indicator, Kind, LinkKind, MissionMap, NodeId, NodeKind, Reading, Target};

/// Where "on track" and "at risk" begin, as a share of the progress expected by now.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerances {
    pub on_track: f64,
    pub at_risk: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances { on_track: 0.95, at_risk: 0.8 }
    }
}

impl Tolerances {
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Tolerances::default()
    }
}

/// Which side of a held target is good, for a target equal to its baseline ("hold waiting times at
/// 18 weeks": at most).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, Serialize, Deserialize)]
pub enum Hold {
    /// The figure must stay at or below the target (waiting times, emissions).
    AtMost,
    /// The figure must stay at or above the target (a share of patients seen on time).
    AtLeast,
}

impl Hold {
    pub const ALL: [Hold; 2] = [Hold::AtMost, Hold::AtLeast];

    /// "at most", "at least": as the inspector and the spreadsheets write it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Hold::AtMost => "at most",
            Hold::AtLeast => "at least",
        }
    }

    /// Reads "at most" / "at-least" / "AtMost" / "max" / "min", any case.
    #[must_use]
    pub fn parse(text: &str) -> Option<Hold> {
        match super::node::normalise_word(text).as_str() {
            "atmost" | "max" | "maximum" | "nomorethan" | "below" => Some(Hold::AtMost),
            "atleast" | "min" | "minimum" | "nolessthan" | "above" => Some(Hold::AtLeast),
            _ => None,
        }
    }

    /// The good direction: −1 for at most (lower is better), +1 for at least.
    fn sign(self) -> f64 {
        match self {
            Hold::AtMost => -1.0,
            Hold::AtLeast => 1.0,
        }
    }
}

/// How an indicator, a sub-mission or a mission stands. Staleness is not a status: it is a flag
/// beside one ([`IndicatorProgress::stale`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Status {
    OnTrack,
    AtRisk,
    OffTrack,
    NoData,
    /// The deadline has passed and the target was reached.
    Met,
    /// The deadline has passed and the target was not reached.
    Missed,
}

impl Status {
    /// Every status, best first (no data last).
    pub const ALL: [Status; 6] =
        [Status::Met, Status::OnTrack, Status::AtRisk, Status::OffTrack, Status::Missed, Status::NoData];

    /// The name used in the CLI's JSON: `on-track`, `at-risk`, `off-track`, `no-data`, `met`,
    /// `missed`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NoData => "no-data",
            Status::Met => "met",
            Status::Missed => "missed",
        }
    }

    /// The name people read.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTrack => "On track",
            Status::AtRisk => "At risk",
            Status::OffTrack => "Off track",
            Status::NoData => "No data",
            Status::Met => "Met",
            Status::Missed => "Missed",
        }
    }

    /// How bad it is, for the roll-up: off track and missed 3, at risk 2, on track and met 1, no
    /// data 0 (it never outranks a measured status).
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            Status::NoData => 0,
            Status::OnTrack | Status::Met => 1,
            Status::AtRisk => 2,
            Status::OffTrack | Status::Missed => 3,
        }
    }

    /// Whether a reading was scored (anything but no data).
    #[must_use]
    pub fn measured(self) -> bool {
        self != Status::NoData
    }

    /// For sorting worst first: off track and missed, at risk, no data, on track and met (a figure
    /// nobody reports is worth a look before one that is on track).
    #[must_use]
    pub fn concern(self) -> u8 {
        match self {
            Status::OffTrack | Status::Missed => 4,
            Status::AtRisk => 3,
            Status::NoData => 2,
            Status::OnTrack | Status::Met => 1,
        }
    }
}

/// The status as people read it, with the stale flag beside it: "Off track (stale: last reading
/// 2026-09-30)".
#[must_use]
pub fn status_text(status: Status, stale: bool, last_date: Option<NaiveDate>) -> String {
    match (stale, last_date) {
        (true, Some(d)) => format!("{} (stale: last reading {d})", status.label()),
        (true, None) => format!("{} (stale)", status.label()),
        (false, _) => status.label().to_owned(),
    }
}

/// Why an indicator has no data: what it needs before it can be scored.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Needs {
    /// No reading on or before the day.
    Readings,
    /// No target value or no deadline to measure against.
    TargetAndDeadline,
    /// A baseline date without a baseline value.
    Baseline,
    /// A target equal to its baseline without "at most" or "at least".
    Direction,
}

impl Needs {
    /// What to tell the person who keeps the figures.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            Needs::Readings => "no readings yet",
            Needs::TargetAndDeadline => "needs a target and a deadline",
            Needs::Baseline => "needs a baseline: a baseline date is set without a value",
            Needs::Direction => "needs a direction: the target equals the baseline, so choose at most or at least",
        }
    }
}

/// The measured side of an indicator or a mission's target, whichever it is.
#[derive(Clone, Copy, Debug)]
pub struct Measure<'a> {
    pub name: &'a str,
    pub baseline: Option<f64>,
    pub baseline_date: Option<NaiveDate>,
    pub target: Option<f64>,
    pub deadline: Option<NaiveDate>,
    pub frequency: &'a str,
    pub milestones: &'a [super::Milestone],
    pub readings: &'a [Reading],
    pub hold: Option<Hold>,
}

impl<'a> Measure<'a> {
    #[must_use]
    pub fn of_indicator(i: &'a Indicator) -> Measure<'a> {
        Measure {
            name: &i.name,
            baseline: i.baseline,
            baseline_date: i.baseline_date,
            target: i.target,
            deadline: i.deadline,
            frequency: &i.frequency,
            milestones: &i.milestones,
            readings: &i.readings,
            hold: i.hold,
        }
    }

    #[must_use]
    pub fn of_target(t: &'a Target) -> Measure<'a> {
        Measure {
            name: "target",
            baseline: t.baseline,
            baseline_date: t.baseline_date,
            target: t.value,
            deadline: t.deadline,
            frequency: &t.frequency,
            milestones: &t.milestones,
            readings: &t.readings,
            hold: t.hold,
        }
    }

    /// The readings on or before `on`, oldest first.
    fn readings_until(&self, on: NaiveDate) -> Vec<&'a Reading> {
        let mut v: Vec<&Reading> = self.readings.iter().filter(|r| r.date <= on && r.value.is_finite()).collect();
        v.sort_by_key(|r| r.date);
        v
    }

    /// The trajectory's points, in date order: baseline, milestones, target.
    fn trajectory(&self) -> Option<Vec<(NaiveDate, f64)>> {
        let first = self.readings.iter().filter(|r| r.value.is_finite()).min_by_key(|r| r.date);
        let start_date = self.baseline_date.or_else(|| first.map(|r| r.date))?;
        let baseline = self.baseline.or_else(|| first.map(|r| r.value)).filter(|v| v.is_finite())?;
        let target = self.target.filter(|v| v.is_finite())?;
        let deadline = self.deadline?;
        let mut points = vec![(start_date, baseline)];
        let mut ms: Vec<(NaiveDate, f64)> = self
            .milestones
            .iter()
            .filter(|m| m.value.is_finite() && m.date > start_date && m.date < deadline)
            .map(|m| (m.date, m.value))
            .collect();
        ms.sort_by_key(|m| m.0);
        points.extend(ms);
        if deadline > start_date {
            points.push((deadline, target));
        }
        Some(points)
    }

    /// The value the trajectory expects on `date`.
    #[must_use]
    pub fn expected(&self, date: NaiveDate) -> Option<f64> {
        let points = self.trajectory()?;
        let (first, last) = (points.first()?, points.last()?);
        if date <= first.0 {
            return Some(first.1);
        }
        if date >= last.0 {
            return Some(last.1);
        }
        let i = points.partition_point(|p| p.0 <= date);
        let (a, b) = (points[i - 1], points[i]);
        let span = (b.0 - a.0).num_days() as f64;
        let t = if span > 0.0 { (date - a.0).num_days() as f64 / span } else { 1.0 };
        Some(a.1 + (b.1 - a.1) * t)
    }

    /// The baseline the trajectory starts from.
    fn start(&self) -> Option<f64> {
        self.trajectory().and_then(|p| p.first().map(|x| x.1))
    }

    /// Which way is good: +1 when the figure must rise, −1 when it must fall, from the baseline to
    /// the target (a held target from its [`Hold`]); `None` for a held target without one.
    fn direction(&self, baseline: f64, target: f64) -> Option<f64> {
        if held(Some(baseline), Some(target)) { self.hold.map(Hold::sign) } else { Some((target - baseline).signum()) }
    }

    /// Whether the target equals the baseline the trajectory starts from (a "hold" target).
    #[must_use]
    pub fn is_hold(&self) -> bool {
        held(self.start(), self.target)
    }
}

/// Whether a target equals its baseline ("hold at 18 weeks"), so needs a [`Hold`] to be scored.
#[must_use]
pub fn held(baseline: Option<f64>, target: Option<f64>) -> bool {
    matches!((baseline, target), (Some(b), Some(t)) if (t - b).abs() <= f64::EPSILON * t.abs().max(b.abs()).max(1.0))
}

/// A figure as the Progress panel and the board pack show it: thousands grouped above 1,000, one
/// decimal below, a real minus sign, "–" when there is none.
#[must_use]
pub fn figure(v: Option<f64>) -> String {
    match v {
        Some(v) if v.abs() >= 1000.0 => {
            let s = format!("{v:.0}");
            let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("\u{2212}", d));
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            format!("{sign}{out}")
        }
        Some(v) => format!("{:.1}", (v * 10.0).round() / 10.0).replace('-', "\u{2212}"),
        None => "\u{2013}".to_owned(),
    }
}

/// The frequencies Missionboard knows, as it lists them when it refuses another.
pub const FREQUENCIES: &str =
    "daily, weekly, fortnightly, monthly, quarterly, six-monthly (or twice a year), yearly (or annually)";

/// How long a reading stays fresh, in days, for a frequency written in words.
#[must_use]
pub fn frequency_days(frequency: &str) -> Option<i64> {
    let f = super::node::normalise_word(frequency);
    Some(match f.as_str() {
        "daily" | "everyday" => 1,
        "weekly" => 7,
        "fortnightly" => 14,
        "monthly" => 31,
        "quarterly" | "everyquarter" => 92,
        "sixmonthly" | "biannual" | "biannually" | "halfyearly" | "twiceayear" => 183,
        "annual" | "annually" | "yearly" | "everyyear" => 366,
        _ => return None,
    })
}

/// Checks a frequency as typed or imported: empty (not said) or one Missionboard knows. The error
/// lists the known ones.
///
/// # Errors
/// A sentence naming the frequency and the known ones.
pub fn check_frequency(frequency: &str) -> Result<(), String> {
    if frequency.trim().is_empty() || frequency_days(frequency).is_some() {
        Ok(())
    } else {
        Err(format!(
            "\u{201c}{}\u{201d} is not a frequency Missionboard knows; write one of: {FREQUENCIES}",
            frequency.trim()
        ))
    }
}

/// An indicator's standing on a day.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorProgress {
    pub card: NodeId,
    /// The indicator's name, or `target` for a mission's own target.
    pub indicator: String,
    pub last_date: Option<NaiveDate>,
    pub last_value: Option<f64>,
    pub expected: Option<f64>,
    pub progress: Option<f64>,
    pub status: Status,
    /// The latest reading is older than one and a half times the frequency allows: the status is
    /// the last one computed, and may no longer be true.
    pub stale: bool,
    /// For no data: what the indicator needs before it can be scored.
    pub needs: Option<Needs>,
    /// The readings up to the day, oldest first (for sparklines).
    pub series: Vec<(NaiveDate, f64)>,
    /// Whether the figure must fall (the target is below the baseline, or held at most).
    pub falling: bool,
}

impl IndicatorProgress {
    /// "Off track (stale: last reading 2026-09-30)", "On track", "No data".
    #[must_use]
    pub fn status_text(&self) -> String {
        status_text(self.status, self.stale, self.last_date)
    }
}

/// A card's (sub-mission's or mission's) rolled-up status and what drives it.
#[derive(Clone, Debug, PartialEq)]
pub struct CardProgress {
    pub id: NodeId,
    pub status: Status,
    /// The indicator that sets the status: (card, indicator name).
    pub driver: Option<(NodeId, String)>,
    /// The driver is stale (its latest reading is overdue).
    pub stale: bool,
    /// The driver's latest reading, for "stale: last reading …".
    pub last_date: Option<NaiveDate>,
    /// How many indicators under the card (its own target included) have a status.
    pub measured: usize,
    /// How many have none (no data).
    pub no_data: usize,
    /// How many of those have no data because they have no readings (rather than no baseline,
    /// target, deadline or direction).
    pub unread: usize,
}

impl CardProgress {
    /// "Off track (stale: last reading 2026-09-30)".
    #[must_use]
    pub fn status_text(&self) -> String {
        status_text(self.status, self.stale, self.last_date)
    }

    /// "2 of 5 indicators have no readings": how many indicators under the card have no data, when
    /// there are any.
    #[must_use]
    pub fn no_data_text(&self) -> Option<String> {
        let total = self.measured + self.no_data;
        let (n, verb) = match self.no_data {
            0 => return None,
            1 => (1, "has"),
            n => (n, "have"),
        };
        Some(if self.unread == self.no_data {
            format!("{n} of {total} indicators {verb} no readings")
        } else {
            format!(
                "{n} of {total} indicators cannot be scored yet (no readings, or no baseline, target, deadline or direction)"
            )
        })
    }
}

/// Every indicator, sub-mission and mission of a map, evaluated on one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub indicators: Vec<IndicatorProgress>,
    pub sub_missions: Vec<CardProgress>,
    pub missions: Vec<CardProgress>,
}

impl Progress {
    /// The rolled-up status of a sub-mission or mission.
    #[must_use]
    pub fn of_card(&self, id: &NodeId) -> Option<&CardProgress> {
        self.missions.iter().chain(&self.sub_missions).find(|c| c.id == *id)
    }
}

/// Progress of `value` (read on a day the trajectory expects `expected`) from `baseline` towards
/// `target`, going `dir` (+1 up, −1 down).
fn score(value: f64, expected: f64, baseline: f64, target: f64, dir: f64, hold: bool) -> f64 {
    // How far the reading is behind what is expected, in the good direction (negative when ahead).
    let short = (expected - value) * dir;
    if hold {
        // A band around the held value: inside it is 1, outside it falls by the share of the value
        // missed (18.9 weeks against at most 18 is 5 % out: 0.95).
        return if short <= 0.0 {
            1.0
        } else if expected.abs() > f64::EPSILON {
            1.0 - short / expected.abs()
        } else {
            0.0
        };
    }
    let want = (expected - baseline) * dir;
    if want > 1e-12 * (target - baseline).abs().max(1e-300) {
        (value - baseline) / (expected - baseline)
    } else if short <= 0.0 {
        // Nothing beyond the baseline is expected yet (its own date, or an agreed dip the wrong
        // way): at or beyond what is expected is on track.
        1.0
    } else {
        // Behind even that: the shortfall as a share of the whole way to the target.
        1.0 - short / (target - baseline).abs()
    }
}

/// Evaluates one measure on `on`.
#[must_use]
pub fn evaluate(card: &NodeId, m: &Measure<'_>, on: NaiveDate, tol: Tolerances) -> IndicatorProgress {
    let readings = m.readings_until(on);
    let last = readings.last().copied();
    let start = m.start();
    let target = m.target.filter(|t| t.is_finite());
    let dir = match (start, target) {
        (Some(b), Some(t)) => m.direction(b, t),
        _ => None,
    };
    let needs = if last.is_none() {
        Some(Needs::Readings)
    } else if target.is_none() || m.deadline.is_none() {
        Some(Needs::TargetAndDeadline)
    } else if m.baseline_date.is_some() && m.baseline.is_none_or(|b| !b.is_finite()) {
        Some(Needs::Baseline)
    } else if dir.is_none() {
        Some(Needs::Direction)
    } else {
        None
    };
    let expected = last.and_then(|r| m.expected(r.date));
    let falling = dir.is_some_and(|d| d < 0.0);
    let mut progress = None;
    let mut status = Status::NoData;
    if let (None, Some(r), Some(e), Some(b), Some(t), Some(dir), Some(deadline)) =
        (needs, last, expected, start, target, dir, m.deadline)
    {
        let p = score(r.value, e, b, t, dir, m.is_hold());
        progress = Some(p);
        status = if on > deadline {
            if (r.value - t) * dir >= 0.0 { Status::Met } else { Status::Missed }
        } else if p >= tol.on_track {
            Status::OnTrack
        } else if p >= tol.at_risk {
            Status::AtRisk
        } else {
            Status::OffTrack
        };
    }
    let stale = status.measured()
        && last
            .is_some_and(|r| frequency_days(m.frequency).is_some_and(|days| (on - r.date).num_days() * 2 > days * 3));
    IndicatorProgress {
        card: card.clone(),
        indicator: m.name.to_owned(),
        last_date: last.map(|r| r.date),
        last_value: last.map(|r| r.value),
        expected: if needs.is_none() { expected } else { None },
        progress,
        status,
        stale,
        needs,
        series: readings.iter().map(|r| (r.date, r.value)).collect(),
        falling,
    }
}

/// The worst measured of some indicators, with its driver and the counts (a card of its own id).
fn roll_up<'a>(id: &NodeId, items: impl Iterator<Item = &'a IndicatorProgress>) -> CardProgress {
    let mut out = CardProgress {
        id: id.clone(),
        status: Status::NoData,
        driver: None,
        stale: false,
        last_date: None,
        measured: 0,
        no_data: 0,
        unread: 0,
    };
    let mut worst: Option<&IndicatorProgress> = None;
    for i in items {
        if i.status.measured() {
            out.measured += 1;
        } else {
            out.no_data += 1;
            out.unread += usize::from(i.needs == Some(Needs::Readings));
        }
        // Worse wins; on a tie the first (by card id, then indicator order) stays.
        if worst.is_none_or(|w| i.status.rank() > w.status.rank()) {
            worst = Some(i);
        }
    }
    if let Some(w) = worst {
        out.status = w.status;
        out.driver = Some((w.card.clone(), w.indicator.clone()));
        out.stale = w.stale;
        out.last_date = w.last_date;
    }
    out
}

/// Every indicator and the roll-up to sub-missions and missions, as of `on`.
#[must_use]
pub fn progress(map: &MissionMap, on: NaiveDate) -> Progress {
    let tol = map.tolerances;
    let mut out = Progress::default();
    for node in map.sorted_nodes() {
        match &node.kind {
            NodeKind::SubMission { indicators, .. } => {
                let first = out.indicators.len();
                for ind in indicators {
                    out.indicators.push(evaluate(&node.id, &Measure::of_indicator(ind), on, tol));
                }
                let card = roll_up(&node.id, out.indicators[first..].iter());
                out.sub_missions.push(card);
            }
            NodeKind::Mission { target, .. } if !target.is_empty() => {
                out.indicators.push(evaluate(&node.id, &Measure::of_target(target), on, tol));
            }
            _ => {}
        }
    }
    for node in map.sorted_nodes().into_iter().filter(|n| n.kind() == Kind::Mission) {
        let subs = sub_missions(map, &node.id);
        let under = out.indicators.iter().filter(|i| i.card == node.id || subs.contains(&&i.card));
        let card = roll_up(&node.id, under);
        out.missions.push(card);
    }
    out
}

/// The sub-missions that contribute to a mission (whose statuses roll up into it).
#[must_use]
pub fn sub_missions<'a>(map: &'a MissionMap, mission: &NodeId) -> Vec<&'a NodeId> {
    map.links_to(mission)
        .filter(|l| l.kind == LinkKind::ContributesTo)
        .filter(|l| map.node(&l.from).is_some_and(|n| n.kind() == Kind::SubMission))
        .map(|l| &l.from)
        .collect()
}

#[cfg(test)]
mod tests;
