//! Is the mission on track? Each indicator's latest reading against its trajectory, and a status
//! rolled up from indicators to sub-missions to missions. Computed, never typed. The rule, in words,
//! is in `docs/progress.md`.
//!
//! - The **trajectory** runs from (baseline date, baseline) through the milestones to (deadline,
//!   target), straight between points; without a baseline date it starts at the first reading.
//!   Targets that must fall work the same way.
//! - **Progress** of the latest reading on or before the day asked about =
//!   (value − baseline) / (expected − baseline), where *expected* is the trajectory on the reading's
//!   date. At the baseline date itself (nothing expected yet), a reading on the right side of the
//!   baseline counts as 1.
//! - **Status**: on track at ≥ 0.95, at risk at ≥ 0.8, off track below (the map may set both);
//!   *no data* without readings (or without a target and deadline to measure against); *stale*
//!   when the latest reading is older than one and a half times the indicator's frequency.
//! - **Roll-up**: a sub-mission takes the worst status of its indicators, a mission the worst of its
//!   own target and its sub-missions, worst first: off track, at risk, stale, no data, on track. The
//!   indicator that sets it is its *driver*.

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

/// How an indicator, a sub-mission or a mission stands. Ordered from best to worst.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Status {
    OnTrack,
    NoData,
    Stale,
    AtRisk,
    OffTrack,
}

impl Status {
    /// The name used in the CLI's JSON: `on-track`, `at-risk`, `off-track`, `no-data`, `stale`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::NoData => "no-data",
            Status::Stale => "stale",
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
            Status::Stale => "Stale",
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
    /// The readings up to the day, oldest first (for sparklines).
    pub series: Vec<(NaiveDate, f64)>,
    /// Whether the target is below the baseline (the figure must fall).
    pub falling: bool,
}

/// A card's (sub-mission's or mission's) rolled-up status and what drives it.
#[derive(Clone, Debug, PartialEq)]
pub struct CardProgress {
    pub id: NodeId,
    pub status: Status,
    /// The indicator that sets the status: (card, indicator name).
    pub driver: Option<(NodeId, String)>,
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

/// Evaluates one measure on `on`.
#[must_use]
pub fn evaluate(card: &NodeId, m: &Measure<'_>, on: NaiveDate, tol: Tolerances) -> IndicatorProgress {
    let readings = m.readings_until(on);
    let last = readings.last();
    let expected = last.and_then(|r| m.expected(r.date));
    let start = m.start();
    let falling = matches!((start, m.target), (Some(b), Some(t)) if t < b);
    let progress = match (last, expected, start) {
        (Some(r), Some(e), Some(b)) => {
            let want = e - b;
            if want.abs() < 1e-12 {
                // Nothing expected yet: on the right side of the baseline (or on it) is on track.
                let dir = m.target.map_or(1.0, |t| (t - b).signum());
                Some(if (r.value - b) * dir >= 0.0 { 1.0 } else { 0.0 })
            } else {
                Some((r.value - b) / want)
            }
        }
        _ => None,
    };
    let status = match (last, progress) {
        (None, _) | (Some(_), None) => Status::NoData,
        (Some(r), Some(p)) => {
            let stale = frequency_days(m.frequency).is_some_and(|days| (on - r.date).num_days() * 2 > days * 3);
            if stale {
                Status::Stale
            } else if p >= tol.on_track {
                Status::OnTrack
            } else if p >= tol.at_risk {
                Status::AtRisk
            } else {
                Status::OffTrack
            }
        }
    };
    IndicatorProgress {
        card: card.clone(),
        indicator: m.name.to_owned(),
        last_date: last.map(|r| r.date),
        last_value: last.map(|r| r.value),
        expected,
        progress,
        status,
        series: readings.iter().map(|r| (r.date, r.value)).collect(),
        falling,
    }
}

/// The worst of some indicators' statuses, and which one it is (`NoData` when there are none).
fn worst<'a>(items: impl Iterator<Item = (&'a NodeId, &'a str, Status)>) -> (Status, Option<(NodeId, String)>) {
    let mut best: Option<(Status, (NodeId, String))> = None;
    for (card, name, status) in items {
        if best.as_ref().is_none_or(|(s, _)| status > *s) {
            best = Some((status, (card.clone(), name.to_owned())));
        }
    }
    match best {
        Some((s, d)) => (s, Some(d)),
        None => (Status::NoData, None),
    }
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
                let (status, driver) =
                    worst(out.indicators[first..].iter().map(|i| (&i.card, i.indicator.as_str(), i.status)));
                out.sub_missions.push(CardProgress { id: node.id.clone(), status, driver });
            }
            NodeKind::Mission { target, .. } if !target.is_empty() => {
                out.indicators.push(evaluate(&node.id, &Measure::of_target(target), on, tol));
            }
            _ => {}
        }
    }
    for node in map.sorted_nodes().into_iter().filter(|n| n.kind() == Kind::Mission) {
        let own =
            out.indicators.iter().filter(|i| i.card == node.id).map(|i| (&i.card, i.indicator.as_str(), i.status));
        let subs = sub_missions(map, &node.id);
        let from_subs = out
            .sub_missions
            .iter()
            .filter(|s| subs.contains(&&s.id))
            .filter_map(|s| s.driver.as_ref().map(|(card, name)| (card, name.as_str(), s.status)));
        let (status, driver) = worst(own.chain(from_subs));
        out.missions.push(CardProgress { id: node.id.clone(), status, driver });
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
