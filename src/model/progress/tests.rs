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
    assert_eq!(status_of(&rising(vec![r(on, 47.5)]), on).status, Status::OnTrack, "0.95 is on track");
    assert_eq!(status_of(&rising(vec![r(on, 45.0)]), on).status, Status::AtRisk);
    assert_eq!(status_of(&rising(vec![r(on, 40.0)]), on).status, Status::AtRisk, "0.8 is at risk");
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
fn no_readings_is_no_data_and_an_old_reading_is_stale() {
    assert_eq!(status_of(&rising(Vec::new()), d(2027, 1, 1)).status, Status::NoData);
    let mut ind = rising(vec![r(d(2026, 1, 1), 30.0)]);
    ind.frequency = "quarterly".to_owned();
    assert_eq!(status_of(&ind, d(2026, 3, 1)).status, Status::OnTrack, "two months: fresh");
    assert_eq!(status_of(&ind, d(2026, 5, 1)).status, Status::OnTrack, "120 days < 1.5 × 92");
    assert_eq!(status_of(&ind, d(2026, 6, 30)).status, Status::Stale, "180 days > 138");
    // Readings after the day asked about are not seen.
    assert_eq!(status_of(&ind, d(2025, 6, 1)).status, Status::NoData);
    // Without a target there is nothing to measure against.
    ind.target = None;
    assert_eq!(status_of(&ind, d(2026, 3, 1)).status, Status::NoData);
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
    // The worst order: off track, at risk, stale, no data, on track.
    let mut order = vec![Status::OnTrack, Status::Stale, Status::OffTrack, Status::NoData, Status::AtRisk];
    order.sort();
    assert_eq!(order, [Status::OnTrack, Status::NoData, Status::Stale, Status::AtRisk, Status::OffTrack]);
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
