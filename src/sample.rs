//! The maps built into the binary: the UK missions sample and a blank template.

use crate::io;
use crate::model::MissionMap;

/// The UK's five missions as a worked theory of change (`assets/samples/uk-missions.mission.ron`).
pub const UK_MISSIONS: &str = include_str!("../assets/samples/uk-missions.mission.ron");

/// The UK missions sample. It is checked by the tests, so it always loads; should it ever fail, a
/// blank map is returned rather than a crash.
#[must_use]
pub fn uk_missions() -> MissionMap {
    io::load_str(UK_MISSIONS).map_or_else(|_| blank(), |l| l.map)
}

/// A blank map, ready for a first mission.
#[must_use]
pub fn blank() -> MissionMap {
    MissionMap::new("Untitled mission map")
}

/// Mazzucato's mission map as a template: a grand challenge (the map's title and description),
/// two missions that make it concrete, the sectors the missions need (partners, one per sector) and
/// the projects — bottom-up solutions — that the sectors deliver towards each mission.
#[must_use]
pub fn mazzucato() -> MissionMap {
    use crate::model::{Kind, LinkKind, NodeKind, Placement, Sector};
    let mut map = MissionMap::new("Grand challenge: (name the challenge, e.g. climate change)");
    "Mazzucato's mission map: a grand challenge, turned into missions that are bold, measurable and time-bound; the sectors each mission needs; and a portfolio of projects (bottom-up solutions) that the sectors deliver. Replace the words in brackets.".clone_into(&mut map.meta.description);
    let add = |map: &mut MissionMap, kind: Kind, title: &str, x: f32, y: f32| {
        map.create_node(kind, title, Placement::at(x, y)).unwrap_or_else(|_| map.fresh_node_id(kind))
    };
    let missions = [
        add(
            &mut map,
            Kind::Mission,
            "Mission 1: (bold, measurable, time-bound, e.g. 100 carbon-neutral cities by 2030)",
            300.0,
            0.0,
        ),
        add(&mut map, Kind::Mission, "Mission 2: (another concrete target under the same challenge)", 1100.0, 0.0),
    ];
    let sectors = [
        ("Sector: energy", Sector::Business),
        ("Sector: transport", Sector::Business),
        ("Sector: construction", Sector::Business),
        ("Sector: research and universities", Sector::AcademiaResearch),
        ("Sector: local government", Sector::DevolvedOrLocalGovernment),
        ("Sector: civil society", Sector::CivilSociety),
    ];
    let mut sector_ids = Vec::new();
    for (i, (title, sector)) in sectors.iter().enumerate() {
        let id = add(&mut map, Kind::Partner, title, i as f32 * 260.0, 600.0);
        let _ = map.update_node(&id, |n| {
            if let NodeKind::Partner { sector: s, role, .. } = &mut n.kind {
                *s = Some(*sector);
                "(what this sector brings to the missions)".clone_into(role);
            }
        });
        sector_ids.push(id);
    }
    for (m, mission) in missions.iter().enumerate() {
        for p in 0..3 {
            let x = m as f32 * 800.0 + p as f32 * 260.0;
            let project = add(
                &mut map,
                Kind::Intervention,
                &format!("Project {}.{}: (a bottom-up solution)", m + 1, p + 1),
                x,
                300.0,
            );
            let _ = map.connect(&project, mission, LinkKind::ContributesTo);
            let _ = map.connect(&sector_ids[(m * 3 + p) % sector_ids.len()], &project, LinkKind::Delivers);
        }
    }
    for (i, sector) in sector_ids.iter().enumerate() {
        let _ = map.connect(sector, &missions[i % 2], LinkKind::Supports);
    }
    map
}

/// A deterministic generator of theory-of-change maps at any size, in the same family as
/// `shared/bench/gen_toc.py` (same kinds, proportions and link patterns, not the same bytes), so
/// benchmarks run from this repository alone.
pub mod generate {
    use crate::model::{Kind, Link, LinkKind, MissionMap, Node, NodeId, Placement};

    /// splitmix64: tiny, fast and fixed forever, so generated maps never change between versions.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 { 0 } else { (self.next() % n as u64) as usize }
        }

        fn chance(&mut self, p: f64) -> bool {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
        }
    }

    fn counts(factor: f64) -> [usize; 4] {
        let missions = (5.0 * factor.cbrt()).round().max(1.0) as usize;
        let objectives = (25.0 * factor.powf(2.0 / 3.0)).round().max(1.0) as usize;
        let interventions = (200.0 * factor).round().max(1.0) as usize;
        let partners = (0.5 * interventions as f64).round().max(1.0) as usize;
        [missions, objectives, interventions, partners]
    }

    /// The size factor whose node count is closest to `nodes` (by bisection, as gen_toc.py does).
    fn factor_for(nodes: usize) -> f64 {
        let (mut lo, mut hi) = (0.001_f64, 1000.0_f64);
        for _ in 0..100 {
            let mid = f64::midpoint(lo, hi);
            if counts(mid).iter().sum::<usize>() < nodes { lo = mid } else { hi = mid }
        }
        hi
    }

    const THEMES: &[&str] = &[
        "healthy life expectancy",
        "net zero",
        "the best start for every child",
        "good jobs in every region",
        "safe communities",
        "an end to homelessness",
        "nature recovery",
        "digital inclusion",
    ];
    const VERBS: &[&str] = &["Expand", "Pilot", "Fund", "Reform", "Scale up", "Launch", "Create", "Train"];
    const THINGS: &[&str] = &[
        "community diagnostic centres",
        "retrofit grants",
        "school-based nurseries",
        "skills bootcamps",
        "neighbourhood policing teams",
        "heat networks",
        "youth hubs",
        "social prescribing",
    ];
    const ORGS: &[&str] =
        &["NHS Trust", "Combined Authority", "University", "Housing Association", "Charity", "Council"];

    /// A map of about `nodes` cards from `seed`, laid out in bands by kind.
    #[must_use]
    pub fn map(nodes: usize, seed: u64) -> MissionMap {
        let mut rng = Rng(seed);
        let [nm, no, ni, np] = counts(factor_for(nodes.max(4)));
        let mut map = MissionMap::new(format!("Generated map ({nodes} cards, seed {seed})"));
        let add = |map: &mut MissionMap, prefix: &str, i: usize, kind: Kind, title: String| {
            let id = NodeId::new(format!("{prefix}{}", i + 1)).unwrap_or_else(|_| map.fresh_node_id(kind));
            let _ = map.add_node(Node::new(id.clone(), kind, title), Placement::default());
            id
        };
        let missions: Vec<NodeId> = (0..nm)
            .map(|i| add(&mut map, "m", i, Kind::Mission, format!("Deliver {} ({})", THEMES[i % THEMES.len()], i + 1)))
            .collect();
        let objectives: Vec<NodeId> = (0..no)
            .map(|i| {
                add(
                    &mut map,
                    "o",
                    i,
                    Kind::SubMission,
                    format!("Improve {} outcome {}", THEMES[i % THEMES.len()], i + 1),
                )
            })
            .collect();
        let interventions: Vec<NodeId> = (0..ni)
            .map(|i| {
                let title = format!("{} {} #{}", VERBS[rng.below(VERBS.len())], THINGS[rng.below(THINGS.len())], i + 1);
                add(&mut map, "i", i, Kind::Intervention, title)
            })
            .collect();
        let partners: Vec<NodeId> = (0..np)
            .map(|i| add(&mut map, "p", i, Kind::Partner, format!("{} {}", ORGS[rng.below(ORGS.len())], i + 1)))
            .collect();
        let link = |map: &mut MissionMap, from: &NodeId, to: &NodeId, kind: LinkKind| {
            let id = map.fresh_link_id();
            let _ = map.add_link(Link::new(id, from.clone(), to.clone(), kind));
        };
        for (i, o) in objectives.iter().enumerate() {
            link(&mut map, o, &missions[i % missions.len()], LinkKind::ContributesTo);
        }
        for (i, iv) in interventions.iter().enumerate() {
            let home = i % objectives.len();
            link(&mut map, iv, &objectives[home], LinkKind::ContributesTo);
            if rng.chance(0.2) {
                for _ in 0..2 + rng.below(2) {
                    let other = rng.below(objectives.len());
                    if other != home {
                        link(&mut map, iv, &objectives[other], LinkKind::ContributesTo);
                    }
                }
            }
        }
        // Enables: only forward in a fixed order, so there are no cycles.
        for i in 0..interventions.len() {
            if rng.chance(0.05) && i + 1 < interventions.len() {
                let j = i + 1 + rng.below(interventions.len() - i - 1);
                link(&mut map, &interventions[i], &interventions[j], LinkKind::Enables);
            }
        }
        for (k, p) in partners.iter().enumerate() {
            let n = 1 + rng.below(3) + rng.below(3);
            let home = (k * interventions.len()) / partners.len();
            for _ in 0..n {
                let spread = (interventions.len() / 20).max(3);
                let t = if rng.chance(0.8) {
                    (home + rng.below(spread)) % interventions.len()
                } else {
                    rng.below(interventions.len())
                };
                let kind = if rng.chance(0.75) { LinkKind::Delivers } else { LinkKind::Funds };
                link(&mut map, p, &interventions[t], kind);
            }
        }
        let ids: Vec<NodeId> = map.sorted_nodes().iter().map(|n| n.id.clone()).collect();
        crate::layout::place_in_bands(&mut map, &ids);
        map
    }
}
