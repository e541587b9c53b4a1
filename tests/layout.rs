//! Properties of auto-layout on generated maps: no overlaps, contributions point up, pinned cards
//! stay, the same map gives the same layout, and wrapping keeps the drawing near the page's shape.
#![allow(clippy::unwrap_used, reason = "tests")]

use missionboard::command::Document;
use missionboard::layout::{self, Direction, Options};
use missionboard::model::{Kind, LinkKind, MissionMap, NodeId, Placement};
use missionboard::sample::generate;
use proptest::prelude::*;

fn laid_out(map: &MissionMap, opts: &Options) -> MissionMap {
    let result = layout::layout(map, opts);
    let mut doc = Document::new(map.clone());
    doc.apply("Lay out", layout::command(doc.map(), &result)).unwrap();
    doc.map().clone()
}

fn assert_no_overlap(map: &MissionMap) {
    let mut cards: Vec<(NodeId, f32, f32, f32, f32)> = map
        .nodes_with_placement()
        .map(|(n, p)| {
            let (w, h) = n.kind().card_size();
            (n.id.clone(), p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0)
        })
        .collect();
    cards.sort_by(|a, b| a.1.total_cmp(&b.1));
    for i in 0..cards.len() {
        for j in i + 1..cards.len() {
            if cards[j].1 >= cards[i].3 {
                break;
            }
            let (a, b) = (&cards[i], &cards[j]);
            let overlap = a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5 && a.2 < b.4 - 0.5 && b.2 < a.4 - 0.5;
            assert!(!overlap, "{} and {} overlap: {a:?} {b:?}", a.0, b.0);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn layouts_never_overlap_and_contributions_point_up(n in 5usize..400, seed in 0u64..1000, wrap in any::<bool>()) {
        let map = generate::map(n, seed);
        let out = laid_out(&map, &Options { wrap, ..Options::default() });
        assert_no_overlap(&out);
        for l in out.links().filter(|l| l.kind == LinkKind::ContributesTo) {
            let (a, b) = (out.placement(&l.from).unwrap(), out.placement(&l.to).unwrap());
            prop_assert!(a.y > b.y, "{} → {} points down: {a:?} {b:?}", l.from, l.to);
        }
        // Bands: every mission above every partner.
        let ys = |k: Kind| out.nodes_with_placement().filter(move |(n, _)| n.kind() == k).map(|(_, p)| p.y);
        let lowest_mission = ys(Kind::Mission).fold(f32::MIN, f32::max);
        let highest_partner = ys(Kind::Partner).fold(f32::MAX, f32::min);
        prop_assert!(lowest_mission < highest_partner);
    }

    #[test]
    fn pinned_cards_stay_put(n in 20usize..300, seed in 0u64..1000, pick in prop::collection::vec(any::<prop::sample::Index>(), 1..6)) {
        let first = laid_out(&generate::map(n, seed), &Options::default());
        let ids: Vec<NodeId> = first.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        let mut doc = Document::new(first);
        let mut pinned = Vec::new();
        let mut picked: Vec<NodeId> = pick.iter().map(|p| p.get(&ids).clone()).collect();
        picked.sort();
        picked.dedup();
        for id in picked {
            let mut place = doc.map().placement(&id).unwrap();
            // Move it somewhere odd and pin it there.
            place.x += 777.0;
            place.pinned = true;
            doc.apply("Pin", missionboard::command::Command::Place(vec![(id.clone(), place)])).unwrap();
            pinned.push((id, place));
        }
        let again = laid_out(doc.map(), &Options::default());
        for (id, place) in &pinned {
            prop_assert_eq!(again.placement(id).unwrap(), *place);
        }
        assert_no_overlap(&again);
    }

    #[test]
    fn the_same_map_gives_the_same_layout(n in 5usize..300, seed in 0u64..1000) {
        let map = generate::map(n, seed);
        let a = layout::layout(&map, &Options::default());
        let b = layout::layout(&map, &Options::default());
        prop_assert_eq!(a, b);
    }
}

#[test]
fn wrapping_keeps_the_aspect_ratio_near_the_page() {
    for n in [300, 1000, 3000] {
        let map = generate::map(n, 42);
        let wide = laid_out(&map, &Options { wrap: false, ..Options::default() });
        let wrapped = laid_out(&map, &Options::default());
        let ratio = |m: &MissionMap| {
            let [x0, y0, x1, y1] = m.bounds().unwrap();
            (x1 - x0) / (y1 - y0)
        };
        assert!(ratio(&wide) > 8.0, "unwrapped {n}: {}", ratio(&wide));
        let r = ratio(&wrapped);
        eprintln!("{n} cards: unwrapped {:.1}, wrapped {r:.2}", ratio(&wide));
        assert!((0.5..=4.0).contains(&r), "wrapped {n}: aspect {r}");
    }
}

#[test]
fn left_to_right_puts_missions_on_the_right() {
    let map = generate::map(200, 7);
    let out = laid_out(&map, &Options { direction: Direction::LeftRight, ..Options::default() });
    assert_no_overlap(&out);
    for l in out.links().filter(|l| l.kind == LinkKind::ContributesTo) {
        assert!(out.placement(&l.from).unwrap().x < out.placement(&l.to).unwrap().x);
    }
}

#[test]
fn laying_out_a_selection_moves_only_the_selection() {
    let map = laid_out(&generate::map(150, 3), &Options::default());
    let chosen: std::collections::HashSet<NodeId> =
        map.sorted_nodes().iter().filter(|n| n.kind() == Kind::Partner).take(5).map(|n| n.id.clone()).collect();
    let result = layout::layout(&map, &Options { only: Some(chosen.clone()), ..Options::default() });
    assert!(result.positions.iter().all(|(id, _)| chosen.contains(id)));
}

#[test]
fn long_links_get_routes_that_reach_both_ends() {
    let map = laid_out(&generate::map(300, 11), &Options { wrap: false, ..Options::default() });
    let mut routed = 0;
    for (id, pts) in map.sorted_routes() {
        let l = map.link(id).unwrap();
        let (a, b): (Placement, Placement) = (map.placement(&l.from).unwrap(), map.placement(&l.to).unwrap());
        let (lo, hi) = (a.y.min(b.y), a.y.max(b.y));
        assert!(pts.iter().all(|p| p[1] > lo && p[1] < hi), "bends lie between the ends");
        routed += 1;
    }
    assert!(routed > 0);
}
