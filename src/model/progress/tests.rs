use chrono::NaiveDate;

use super::*;
use crate::model::{Milestone, Placement};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn r(date: NaiveDate, value: f64) -> Reading {
    Reading { id: crate::model::ItemId::default(), date, value, note: String::new(), source: String::new() }
}

/// From 0 on 2025-01-01 to 100 on 2029-01-01 (1461 days): about 25 a year.
fn rising(readings: Vec<Reading>) -> Indicator {
    Indicator {
        name: "Homes built (thousands)".to_owned(),
        baseline: Some(0.0),
        baseline_date: Some(d(2025, 1, 1)),
        target: Some(100.0),
        deadline: Some(d(2029, 1, 1)),
        readings,
        ..Indicator::default()
    }
}

fn status_of(ind: &Indicator, on: NaiveDate) -> IndicatorProgress {
    evaluate(&NodeId::new("s1").unwrap(), &Measure::of_indicator(ind), on, Tolerances::default())
}

#[test]
fn a_rising_target_is_on_track_at_risk_or_off_track_by_the_share_of_progress_expected() {
    let on = d(2027, 1, 1); // 730 days in: expected 730/1461 × 100 = 49.97
    let p = status_of(&rising(vec![r(on, 50.0)]), on);
    assert!((p.expected.unwrap() - 49.966).abs() < 0.01, "{p:?}");
    assert_eq!(p.status, Status::OnTrack);
    assert_eq!(status_of(&rising(vec![r(on, 47.5)]), on).status, Status::OnTrack, "0.9506");
    assert_eq!(status_of(&rising(vec![r(on, 45.0)]), on).status, Status::AtRisk);
    assert_eq!(status_of(&rising(vec![r(on, 40.0)]), on).status, Status::AtRisk, "0.8005");
    assert_eq!(status_of(&rising(vec![r(on, 39.0)]), on).status, Status::OffTrack);
    // Ahead of the trajectory is on track too.
    assert_eq!(status_of(&rising(vec![r(on, 90.0)]), on).status, Status::OnTrack);
}

#[test]
fn a_falling_target_works_the_same_way() {
    // Knife crime from 100 to 50 over four years.
    let ind = |v: f64| Indicator {
        name: "Knife crime offences (index)".to_owned(),
        baseline: Some(100.0),
        baseline_date: Some(d(2025, 1, 1)),
        target: Some(50.0),
        deadline: Some(d(2029, 1, 1)),
        readings: vec![r(d(2027, 1, 1), v)],
        ..Indicator::default()
    };
    let on = d(2027, 1, 1); // expected 75.0
    let p = status_of(&ind(75.0), on);
    assert!((p.expected.unwrap() - 75.01).abs() < 0.02);
    assert!(p.falling);
    assert_eq!(p.status, Status::OnTrack);
    assert_eq!(status_of(&ind(80.0), on).status, Status::AtRisk, "fell 20 of 25 expected: 0.8");
    assert_eq!(status_of(&ind(95.0), on).status, Status::OffTrack);
    assert_eq!(status_of(&ind(110.0), on).status, Status::OffTrack, "the wrong way");
}

#[test]
fn milestones_shape_the_trajectory() {
    let mut ind = rising(vec![r(d(2026, 1, 1), 5.0)]);
    let on = d(2026, 1, 1);
    assert_eq!(status_of(&ind, on).status, Status::OffTrack, "straight line expects about 25 by now");
    // A slow start agreed up front: 5 by 2026, the rest later.
    ind.milestones = vec![Milestone { id: crate::model::ItemId::default(), date: d(2026, 1, 1), value: 5.0 }];
    let p = status_of(&ind, on);
    assert_eq!(p.expected, Some(5.0));
    assert_eq!(p.status, Status::OnTrack);
}

#[test]
fn no_readings_is_no_data_and_an_old_reading_is_flagged_stale_keeping_its_status() {
    let p = status_of(&rising(Vec::new()), d(2027, 1, 1));
    assert_eq!((p.status, p.needs, p.stale), (Status::NoData, Some(Needs::Readings), false));
    let mut ind = rising(vec![r(d(2026, 1, 1), 30.0)]);
    ind.frequency = "quarterly".to_owned();
    assert_eq!(status_of(&ind, d(2026, 3, 1)).status, Status::OnTrack, "two months: fresh");
    assert!(!status_of(&ind, d(2026, 5, 1)).stale, "120 days < 1.5 × 92");
    let p = status_of(&ind, d(2026, 6, 30));
    assert_eq!((p.status, p.stale), (Status::OnTrack, true), "180 days > 138: stale, and still on track");
    assert_eq!(p.status_text(), "On track (stale: last reading 2026-01-01)");
    // Readings after the day asked about are not seen.
    assert_eq!(status_of(&ind, d(2025, 6, 1)).status, Status::NoData);
    // Without a target there is nothing to measure against.
    ind.target = None;
    let p = status_of(&ind, d(2026, 3, 1));
    assert_eq!((p.status, p.needs), (Status::NoData, Some(Needs::TargetAndDeadline)));
}

#[test]
fn stale_begins_the_day_after_one_and_a_half_periods() {
    // Quarterly: 92 days × 1.5 = 138. Read on 2026-01-01; 138 days on is 2026-05-19.
    let mut ind = rising(vec![r(d(2026, 1, 1), 10.0)]);
    ind.frequency = "quarterly".to_owned();
    let limit = status_of(&ind, d(2026, 5, 19));
    assert_eq!((d(2026, 5, 19) - d(2026, 1, 1)).num_days(), 138);
    assert!(!limit.stale, "on the limit day the reading is still fresh");
    let after = status_of(&ind, d(2026, 5, 20));
    assert!(after.stale, "the day after it is stale");
    assert_eq!(after.status, limit.status, "the status is kept, not replaced");
    assert_eq!(after.status, Status::OffTrack, "10 against about 34.5 expected");
    assert_eq!(after.status_text(), "Off track (stale: last reading 2026-01-01)");
    // Monthly: 31 × 1.5 = 46.5, so day 46 is fresh and day 47 stale.
    ind.frequency = "monthly".to_owned();
    assert!(!status_of(&ind, d(2026, 2, 16)).stale);
    assert!(status_of(&ind, d(2026, 2, 17)).stale);
}

#[test]
fn progress_of_exactly_0_95_is_on_track_and_0_8_at_risk() {
    // A milestone of 40 on 2027-01-01 makes the expected value exact there.
    let at = d(2027, 1, 1);
    let with = |v: f64| {
        let mut ind = rising(vec![r(at, v)]);
        ind.milestones = vec![Milestone { id: crate::model::ItemId::default(), date: at, value: 40.0 }];
        status_of(&ind, at)
    };
    let p = with(38.0);
    assert_eq!((p.expected, p.progress), (Some(40.0), Some(0.95)));
    assert_eq!(p.status, Status::OnTrack, "0.95 is on track (>=)");
    assert_eq!(with(37.99).status, Status::AtRisk);
    let p = with(32.0);
    assert_eq!(p.progress, Some(0.8));
    assert_eq!(p.status, Status::AtRisk, "0.8 is at risk (>=)");
    assert_eq!(with(31.99).status, Status::OffTrack);
}

#[test]
fn a_reading_on_the_baseline_date_counts_its_shortfall_against_the_whole_way() {
    let on = d(2025, 1, 1); // the baseline date: nothing is expected beyond the baseline (0) yet
    let p = status_of(&rising(vec![r(on, 0.0)]), on);
    assert_eq!((p.expected, p.progress, p.status), (Some(0.0), Some(1.0), Status::OnTrack));
    assert_eq!(status_of(&rising(vec![r(on, 2.0)]), on).progress, Some(1.0), "ahead of the baseline");
    // 10 below a baseline of 0 on the way to 100: a tenth of the way behind, 0.9.
    let p = status_of(&rising(vec![r(on, -10.0)]), on);
    assert!((p.progress.unwrap() - 0.9).abs() < 1e-12, "{p:?}");
    assert_eq!(p.status, Status::AtRisk);
    assert_eq!(status_of(&rising(vec![r(on, -30.0)]), on).status, Status::OffTrack);
}

#[test]
fn a_baseline_date_without_a_baseline_value_needs_a_baseline_not_off_track() {
    let mut ind = rising(vec![r(d(2026, 1, 1), 30.0)]);
    ind.baseline = None;
    let p = status_of(&ind, d(2026, 1, 1));
    assert_eq!((p.status, p.needs, p.progress), (Status::NoData, Some(Needs::Baseline), None));
    assert!(p.needs.unwrap().text().starts_with("needs a baseline"));
}

#[test]
fn after_the_deadline_a_target_is_met_or_missed() {
    let deadline = d(2029, 1, 1);
    // A reading on the deadline, looked at on the day: still on the trajectory's terms.
    let p = status_of(&rising(vec![r(deadline, 99.0)]), deadline);
    assert_eq!(p.status, Status::OnTrack, "0.99 of the target on the deadline day");
    // The day after, the verdict: 99 of 100 is missed, 100 is met.
    assert_eq!(status_of(&rising(vec![r(deadline, 99.0)]), d(2029, 1, 2)).status, Status::Missed);
    assert_eq!(status_of(&rising(vec![r(deadline, 100.0)]), d(2029, 1, 2)).status, Status::Met);
    // A reading dated after the deadline is scored against the target.
    let late = d(2029, 3, 31);
    let p = status_of(&rising(vec![r(d(2028, 6, 30), 80.0), r(late, 104.0)]), late);
    assert_eq!((p.status, p.expected, p.last_date), (Status::Met, Some(100.0), Some(late)));
    assert_eq!(status_of(&rising(vec![r(late, 70.0)]), late).status, Status::Missed);
    // A falling target is met at or below it.
    let mut fall = rising(vec![r(late, 50.0)]);
    fall.baseline = Some(100.0);
    fall.target = Some(50.0);
    assert_eq!(status_of(&fall, late).status, Status::Met);
    fall.readings = vec![r(late, 51.0)];
    assert_eq!(status_of(&fall, late).status, Status::Missed);
    assert_eq!(Status::Met.slug(), "met");
    assert_eq!(Status::Missed.slug(), "missed");
}

#[test]
fn a_trajectory_that_bends_back_is_scored_in_the_direction_from_baseline_to_target() {
    // A waiting list of 100 must fall to 50 by 2029, but is agreed to rise to 110 first.
    let on = d(2026, 1, 1);
    let ind = |v: f64| Indicator {
        name: "Waiting list (thousands)".to_owned(),
        baseline: Some(100.0),
        baseline_date: Some(d(2025, 1, 1)),
        target: Some(50.0),
        deadline: Some(d(2029, 1, 1)),
        milestones: vec![Milestone { id: crate::model::ItemId::default(), date: on, value: 110.0 }],
        readings: vec![r(on, v)],
        ..Indicator::default()
    };
    let p = status_of(&ind(105.0), on);
    assert_eq!(p.expected, Some(110.0));
    assert!(p.falling, "the direction runs from 100 to 50");
    assert_eq!(p.status, Status::OnTrack, "105 is better than the 110 expected");
    // 5 worse than expected, on a way of 50: 0.9.
    assert_eq!(status_of(&ind(115.0), on).status, Status::AtRisk);
    assert_eq!(status_of(&ind(130.0), on).status, Status::OffTrack);
    // Later, on the falling leg, the usual share: expected 80 on 2027-07-02 (half way from 110 to 50).
    let mid = d(2027, 7, 2);
    let mut later = ind(0.0);
    later.readings = vec![r(mid, 80.0)];
    let p = status_of(&later, mid);
    assert!((p.expected.unwrap() - 80.0).abs() < 0.1, "{p:?}");
    assert_eq!(p.status, Status::OnTrack);
}

#[test]
fn a_held_target_needs_a_direction_and_scores_inside_or_outside_its_band() {
    // "Hold at 20 weeks": the target equals the baseline.
    let on = d(2026, 1, 1);
    let ind = |hold: Option<Hold>, v: f64| Indicator {
        name: "Weeks waited".to_owned(),
        baseline: Some(20.0),
        baseline_date: Some(d(2025, 1, 1)),
        target: Some(20.0),
        deadline: Some(d(2029, 1, 1)),
        readings: vec![r(on, v)],
        hold,
        ..Indicator::default()
    };
    let p = status_of(&ind(None, 25.0), on);
    assert_eq!((p.status, p.needs), (Status::NoData, Some(Needs::Direction)), "not assumed rising");
    // At most 20: below is inside the band; 10 % over is at risk, 25 % over off track.
    let most = |v: f64| status_of(&ind(Some(Hold::AtMost), v), on);
    assert_eq!(most(20.0).status, Status::OnTrack);
    assert_eq!(most(12.0).status, Status::OnTrack);
    assert!(most(12.0).falling);
    assert_eq!(most(22.0).status, Status::AtRisk);
    assert_eq!(most(25.0).status, Status::OffTrack);
    // At least 20: the other way round.
    let least = |v: f64| status_of(&ind(Some(Hold::AtLeast), v), on);
    assert_eq!(least(25.0).status, Status::OnTrack);
    assert_eq!(least(18.0).status, Status::AtRisk);
    assert_eq!(least(12.0).status, Status::OffTrack);
    // After the deadline: met inside, missed outside.
    let after = d(2029, 2, 1);
    let late = |hold: Hold, v: f64| {
        let mut i = ind(Some(hold), v);
        i.readings = vec![r(after, v)];
        status_of(&i, after).status
    };
    assert_eq!(late(Hold::AtMost, 19.0), Status::Met);
    assert_eq!(late(Hold::AtMost, 21.0), Status::Missed);
    assert_eq!(late(Hold::AtLeast, 21.0), Status::Met);
    assert_eq!(late(Hold::AtLeast, 19.0), Status::Missed);
    assert_eq!(Hold::parse("At most"), Some(Hold::AtMost));
    assert_eq!(Hold::parse("at-least"), Some(Hold::AtLeast));
    assert_eq!(Hold::parse("about"), None);
}

#[test]
fn unknown_frequencies_are_refused_with_the_known_ones() {
    assert!(check_frequency("").is_ok());
    assert!(check_frequency("Quarterly").is_ok());
    assert!(check_frequency("twice a year").is_ok());
    let e = check_frequency("every election").unwrap_err();
    assert!(e.contains("every election") && e.contains("quarterly") && e.contains("monthly"), "{e}");
}

#[test]
fn without_a_baseline_date_the_trajectory_starts_at_the_first_reading() {
    let mut ind = rising(vec![r(d(2025, 1, 1), 0.0), r(d(2027, 1, 1), 50.0)]);
    ind.baseline_date = None;
    ind.baseline = None;
    let p = status_of(&ind, d(2027, 1, 1));
    assert_eq!(p.status, Status::OnTrack);
    assert_eq!(p.series.len(), 2);
}

#[test]
fn status_rolls_up_to_the_worst_with_its_driver() {
    let mut map = MissionMap::new("m");
    let m = map.create_node(Kind::Mission, "Homes", Placement::default()).unwrap();
    let s1 = map.create_node(Kind::SubMission, "Build", Placement::default()).unwrap();
    let s2 = map.create_node(Kind::SubMission, "Plan", Placement::default()).unwrap();
    map.connect(&s1, &m, LinkKind::ContributesTo).unwrap();
    map.connect(&s2, &m, LinkKind::ContributesTo).unwrap();
    let on = d(2027, 1, 1);
    map.update_node(&s1, |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            indicators.push(rising(vec![r(on, 50.0)]));
            let mut late = rising(vec![r(on, 42.0)]);
            "Permissions granted".clone_into(&mut late.name);
            indicators.push(late);
        }
    })
    .unwrap();
    map.update_node(&s2, |n| {
        if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
            indicators.push(rising(vec![r(on, 30.0)]));
        }
    })
    .unwrap();
    let p = progress(&map, on);
    assert_eq!(p.indicators.len(), 3);
    let s1p = p.of_card(&s1).unwrap();
    assert_eq!(
        (s1p.status, s1p.driver.clone()),
        (Status::AtRisk, Some((s1.clone(), "Permissions granted".to_owned())))
    );
    assert_eq!(p.of_card(&s2).unwrap().status, Status::OffTrack);
    let mp = p.of_card(&m).unwrap();
    assert_eq!(mp.status, Status::OffTrack);
    assert_eq!(
        mp.driver,
        Some((s2.clone(), "Homes built (thousands)".to_owned())),
        "the off-track sub-mission drives it"
    );
    assert_eq!((mp.measured, mp.no_data), (3, 0));
    // The roll-up order: off track and missed, then at risk, then on track and met; no data never
    // outranks a measured status.
    let ranks: Vec<u8> = Status::ALL.iter().map(|s| s.rank()).collect();
    assert_eq!(ranks, [1, 1, 2, 3, 3, 0]);
}

/// A mission with its own target and two sub-missions, each with one indicator.
fn mission_with(target_reading: Option<Reading>, subs: [Vec<Reading>; 2], frequency: &str) -> (MissionMap, NodeId) {
    let mut map = MissionMap::new("m");
    let m = map.create_node(Kind::Mission, "Homes", Placement::default()).unwrap();
    map.update_node(&m, |n| {
        if let NodeKind::Mission { target, .. } = &mut n.kind {
            *target = Target {
                baseline: Some(0.0),
                baseline_date: Some(d(2025, 1, 1)),
                value: Some(100.0),
                deadline: Some(d(2029, 1, 1)),
                readings: target_reading.into_iter().collect(),
                ..Target::default()
            };
        }
    })
    .unwrap();
    for (i, readings) in subs.into_iter().enumerate() {
        let s = map.create_node(Kind::SubMission, format!("Sub {i}"), Placement::default()).unwrap();
        map.connect(&s, &m, LinkKind::ContributesTo).unwrap();
        let frequency = frequency.to_owned();
        map.update_node(&s, |n| {
            if let NodeKind::SubMission { indicators, .. } = &mut n.kind {
                indicators.push(Indicator { frequency, ..rising(readings) });
            }
        })
        .unwrap();
    }
    (map, m)
}

#[test]
fn a_mission_takes_the_worst_measured_status_and_counts_what_has_no_data() {
    let on = d(2027, 1, 1);
    // Its own target on track, both sub-missions' indicators without readings.
    let (map, m) = mission_with(Some(r(on, 50.0)), [Vec::new(), Vec::new()], "");
    let mp = progress(&map, on).of_card(&m).unwrap().clone();
    assert_eq!(mp.status, Status::OnTrack, "no data does not outrank a measured target");
    assert_eq!((mp.measured, mp.no_data), (1, 2));
    assert_eq!(mp.no_data_text().as_deref(), Some("2 of 3 indicators have no readings"));
    // Nothing measured at all: no data.
    let (map, m) = mission_with(None, [Vec::new(), Vec::new()], "");
    let mp = progress(&map, on).of_card(&m).unwrap().clone();
    assert_eq!((mp.status, mp.measured, mp.no_data), (Status::NoData, 0, 3));
    // A stale off-track figure still outranks a fresh at-risk one, and the mission says it is stale.
    let (map, m) = mission_with(Some(r(on, 45.0)), [vec![r(d(2025, 7, 1), 2.0)], Vec::new()], "quarterly");
    let p = progress(&map, on);
    let mp = p.of_card(&m).unwrap();
    assert_eq!((mp.status, mp.stale), (Status::OffTrack, true), "{p:?}");
    assert_eq!(mp.status_text(), "Off track (stale: last reading 2025-07-01)");
    assert_eq!(mp.no_data_text().as_deref(), Some("1 of 3 indicators has no readings"));
}

#[test]
fn a_missions_own_target_counts_and_tolerances_are_the_maps() {
    let mut map = MissionMap::new("m");
    let m = map.create_node(Kind::Mission, "Clean power", Placement::default()).unwrap();
    let on = d(2027, 1, 1);
    map.update_node(&m, |n| {
        if let NodeKind::Mission { target, .. } = &mut n.kind {
            *target = Target {
                metric: "Clean power share".to_owned(),
                unit: "%".to_owned(),
                baseline: Some(0.0),
                baseline_date: Some(d(2025, 1, 1)),
                value: Some(100.0),
                deadline: Some(d(2029, 1, 1)),
                readings: vec![r(on, 45.0)],
                ..Target::default()
            };
        }
    })
    .unwrap();
    let p = progress(&map, on);
    assert_eq!(p.of_card(&m).unwrap().status, Status::AtRisk);
    assert_eq!(p.indicators[0].indicator, "target");
    map.tolerances = Tolerances { on_track: 0.85, at_risk: 0.6 };
    assert_eq!(progress(&map, on).of_card(&m).unwrap().status, Status::OnTrack);
}
