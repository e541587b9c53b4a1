//! A layered (Sugiyama-style) layout for theories of change.
//!
//! 1. **Layers from kinds**: missions at the top, then sub-missions, interventions, partners. On
//!    maps of up to [`ROWS_UP_TO`] cards a chain of `enables` links may make sub-layers inside the
//!    intervention band (an intervention sits below the interventions it enables), when that
//!    crosses fewer links than one band (see [`layout`]). On bigger maps the ranks are spread by
//!    link length as dot ranks them (`rank`): a sub-mission just above its interventions, an
//!    enabled intervention above its enabler.
//! 2. **Long links** get a dummy node in every layer they skip, so they can be routed with bends.
//! 3. **Crossing minimisation**: barycentre sweeps down and up, then adjacent transpositions,
//!    keeping the best order found (counted exactly with a Fenwick tree).
//! 4. **Coordinates**: each card is pulled towards the mean of its neighbours, alternating down and
//!    up, and every layer is then packed without overlaps by weighted isotonic regression (pool
//!    adjacent violators), which finds the closest overlap-free positions exactly. Pinned cards
//!    carry a huge weight, so they stay where they are and the rest flows around them.
//! 5. **Wrapping**: a layer wider than the page wraps into rows, so the drawing keeps the page's
//!    aspect ratio rather than becoming a strip.
//! 6. **Routes**: every link that a straight line would draw through a card it does not join is
//!    routed through the gaps of the rows it crosses ([`super::route`]), the long links' dummies
//!    guiding where.
//!
//! Pure: a map in, positions and routes out. Deterministic: the same map gives the same layout.

use std::collections::{HashMap, HashSet};

use crate::model::{Kind, LinkId, LinkKind, MissionMap, NodeId, Placement};

mod order;
mod rank;
mod straight;

use order::{crossings_between, group_by_mission, order_layers, order_layers_each, set_ranks, total_crossings};

/// Which way the map reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    /// Missions at the top, partners at the bottom.
    #[default]
    TopDown,
    /// Partners on the left, missions on the right.
    LeftRight,
}

/// Layout options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Wrap wide layers into rows to keep `aspect`.
    pub wrap: bool,
    /// Width / height of the page the map should fit (16:9 for a screen).
    pub aspect: f32,
    pub direction: Direction,
    /// Gap between neighbouring cards in a layer.
    pub node_gap: f32,
    /// Gap between layers.
    pub layer_gap: f32,
    /// Lay out only these cards; the others stay put as if pinned.
    pub only: Option<HashSet<NodeId>>,
    /// Ordering sweeps (more: fewer crossings, slower).
    pub sweeps: usize,
    /// Split each intervention row in two (outcome-facing above, partner-facing below).
    pub split_interventions: bool,
    /// Denser: all interventions in one band (no rows for `enables` chains) and smaller gaps.
    pub compact: bool,
    /// Keep each mission's sub-missions, interventions and partners together, left to right in
    /// the order of the missions; a card serving several missions sits between them.
    pub by_mission: bool,
    /// One band per kind on maps of any size (missions, sub-missions, interventions, partners),
    /// instead of the rows that keep links shortest above [`ROWS_UP_TO`] cards.
    pub bands: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            wrap: true,
            aspect: 16.0 / 9.0,
            direction: Direction::TopDown,
            node_gap: 40.0,
            layer_gap: 90.0,
            only: None,
            sweeps: 30,
            split_interventions: false,
            compact: false,
            by_mission: false,
            bands: false,
        }
    }
}

/// What a layout computes: where each card goes and the bend points of long links.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub positions: Vec<(NodeId, Placement)>,
    /// Bend points of links that skip layers, in map units, from the `from` end to the `to` end.
    pub routes: Vec<(LinkId, Vec<[f32; 2]>)>,
    /// Crossings between consecutive layers in the final order (dummy nodes included).
    pub layered_crossings: u64,
}

const DUMMY_EXTENT: f32 = 12.0;
/// How much harder a card is pulled towards the bend of a long link than towards a card: a long
/// link is drawn straight from card to card, so the closer its ends line up with its bends, the
/// closer the crossings drawn are to those the ordering counted (1k maps: 0.5–1 % fewer than 1).
const BEND_PULL: f64 = 30.0;
const PIN_WEIGHT: f64 = 1.0e9;

struct Graph {
    /// Extent along the layer (width when top-down) of each vertex; dummies are thin.
    extent: Vec<f32>,
    /// Thickness across the layer (height when top-down).
    thickness: Vec<f32>,
    layer: Vec<usize>,
    /// Neighbours in the layer above (smaller index) and below.
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Fixed along-position for pinned cards.
    fixed: Vec<Option<f32>>,
    fixed_across: Vec<Option<f32>>,
    /// Real cards: their ids; dummies: None.
    ids: Vec<Option<NodeId>>,
    /// For every real link that got dummies: (link, from vertex, the dummies top to bottom…).
    chains: Vec<(LinkId, usize, Vec<usize>, usize)>,
    layers: usize,
    /// How far each vertex may move when sifting (see `order`).
    sift_window: usize,
}

fn along_extent(node: &crate::model::Node, dir: Direction) -> (f32, f32) {
    let (w, h) = node.card_size();
    match dir {
        Direction::TopDown => (w, h),
        Direction::LeftRight => (h, w),
    }
}

/// Height of each intervention through `enables` links: one that nothing enables has height 0 and
/// sits just above the partners; one enabled by a height-h intervention has height h+1 and sits a
/// row higher (the enabler is below what it enables). Most interventions are then next to the
/// partners who deliver them, so few links need to cross a layer. Cycles (which the checks report)
/// are broken where they are found.
fn enables_height(map: &MissionMap) -> HashMap<NodeId, usize> {
    let mut height: HashMap<NodeId, usize> = HashMap::new();
    let mut state: HashMap<NodeId, u8> = HashMap::new(); // 1 on stack, 2 done
    let mut ids: Vec<&NodeId> = map.nodes().filter(|n| n.kind() == Kind::Intervention).map(|n| &n.id).collect();
    ids.sort();
    // The interventions that enable this one.
    let enablers = |id: &NodeId| -> Vec<NodeId> {
        let mut v: Vec<NodeId> =
            map.links_to(id).filter(|l| l.kind == LinkKind::Enables).map(|l| l.from.clone()).collect();
        v.sort();
        v
    };
    for start in ids {
        if state.contains_key(start) {
            continue;
        }
        let mut stack: Vec<(NodeId, Vec<NodeId>, usize)> = Vec::new();
        state.insert(start.clone(), 1);
        stack.push((start.clone(), enablers(start), 0));
        while let Some((id, children, i)) = stack.last_mut() {
            if *i < children.len() {
                let c = children[*i].clone();
                *i += 1;
                if !state.contains_key(&c) {
                    state.insert(c.clone(), 1);
                    let k = enablers(&c);
                    stack.push((c, k, 0));
                }
            } else {
                let h = children
                    .iter()
                    .filter(|c| state.get(*c) == Some(&2))
                    .map(|c| height.get(c).copied().unwrap_or(0) + 1)
                    .max()
                    .unwrap_or(0);
                let id = id.clone();
                height.insert(id.clone(), h);
                state.insert(id, 2);
                stack.pop();
            }
        }
    }
    height
}

/// How the cards are put in layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ranking {
    /// One layer per kind.
    Kinds,
    /// One layer per kind, with rows for `enables` chains inside the intervention band.
    Rows,
    /// Layers spread by link length, as dot ranks ([`rank::spread_ranks`]).
    Spread,
}

/// The graph to order, with its layers as `ranking` says.
fn build(map: &MissionMap, opts: &Options, ranking: Ranking) -> Graph {
    let height = if ranking == Ranking::Kinds { HashMap::new() } else { enables_height(map) };
    let spread = if ranking == Ranking::Spread { rank::spread_ranks(map, &height) } else { HashMap::new() };
    let height = if ranking == Ranking::Rows { height } else { HashMap::new() };
    let max_h = height.values().copied().max().unwrap_or(0);
    // Each enables level is split in two rows, as Graphviz's ranking does: interventions with more
    // links up (to outcomes) than down (to partners) sit in the upper row, the rest next to the
    // partners, so both kinds of link stay short.
    let split = opts.split_interventions;
    let rows = if split { 2 } else { 1 };
    let prefers_up = |id: &NodeId| {
        let up = map.links_from(id).filter(|l| l.kind == LinkKind::ContributesTo).count();
        let down = map.links_to(id).filter(|l| matches!(l.kind, LinkKind::Delivers | LinkKind::Funds)).count();
        up > down
    };
    let kind_layer = |kind: Kind, id: &NodeId| match kind {
        Kind::Mission => 0,
        Kind::SubMission => 1,
        Kind::Intervention => {
            2 + rows * (max_h - height.get(id).copied().unwrap_or(0)) + usize::from(split && !prefers_up(id))
        }
        Kind::Partner => 2 + rows * (max_h + 1),
    };
    let layer_of = |kind: Kind, id: &NodeId| spread.get(id).copied().unwrap_or_else(|| kind_layer(kind, id));
    let max_depth = (rows * (max_h + 1) - 1).max(spread.values().copied().max().unwrap_or(0).saturating_sub(3));
    let mut nodes: Vec<_> = map.nodes_with_placement().collect();
    nodes.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    let n = nodes.len();
    let mut g = Graph {
        extent: Vec::with_capacity(n),
        thickness: Vec::with_capacity(n),
        layer: Vec::with_capacity(n),
        up: vec![Vec::new(); n],
        down: vec![Vec::new(); n],
        fixed: Vec::with_capacity(n),
        fixed_across: Vec::with_capacity(n),
        ids: Vec::with_capacity(n),
        chains: Vec::new(),
        layers: 4 + max_depth,
        sift_window: if ranking == Ranking::Spread { 75 } else { 150 },
    };
    let mut index: HashMap<&NodeId, usize> = HashMap::with_capacity(n);
    for (i, (node, place)) in nodes.iter().enumerate() {
        let (e, t) = along_extent(node, opts.direction);
        g.extent.push(e);
        g.thickness.push(t);
        g.layer.push(layer_of(node.kind(), &node.id));
        let keep = place.pinned || opts.only.as_ref().is_some_and(|only| !only.contains(&node.id));
        let (along, across) = match opts.direction {
            Direction::TopDown => (place.x, place.y),
            Direction::LeftRight => (place.y, -place.x),
        };
        g.fixed.push(keep.then_some(along));
        g.fixed_across.push(keep.then_some(across));
        g.ids.push(Some(node.id.clone()));
        index.insert(&node.id, i);
    }
    let mut links: Vec<_> = map.links().collect();
    links.sort_by(|a, b| a.id.cmp(&b.id));
    for l in links {
        let (Some(&a), Some(&b)) = (index.get(&l.from), index.get(&l.to)) else { continue };
        let (la, lb) = (g.layer[a], g.layer[b]);
        if la == lb {
            continue; // drawn straight, ignored for ordering
        }
        let (low, high) = if la > lb { (a, b) } else { (b, a) }; // low = larger layer index
        let (ll, lh) = (g.layer[low], g.layer[high]);
        let mut prev = low;
        let mut dummies = Vec::new();
        for layer in (lh + 1..ll).rev() {
            let d = g.extent.len();
            g.extent.push(DUMMY_EXTENT);
            g.thickness.push(0.0);
            g.layer.push(layer);
            g.up.push(Vec::new());
            g.down.push(Vec::new());
            g.fixed.push(None);
            g.fixed_across.push(None);
            g.ids.push(None);
            g.up[prev].push(d);
            g.down[d].push(prev);
            prev = d;
            dummies.push(d);
        }
        g.up[prev].push(high);
        g.down[high].push(prev);
        if !dummies.is_empty() {
            // Store top to bottom; the route is flipped later if the link points down.
            dummies.reverse();
            g.chains.push((l.id.clone(), a, dummies, b));
        }
    }
    g
}

/// Weighted isotonic regression with minimum gaps: positions `x` in the given order minimising
/// Σ w (x − want)², with x[i+1] − x[i] ≥ gap[i]. Pool adjacent violators on shifted targets.
fn pack(want: &[f64], weight: &[f64], gap: &[f64]) -> Vec<f64> {
    let n = want.len();
    let mut offset = vec![0.0; n];
    for i in 1..n {
        offset[i] = offset[i - 1] + gap[i - 1];
    }
    // Blocks of (mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let mut b = (want[i] - offset[i], weight[i], 1usize);
        while let Some(&last) = blocks.last() {
            if last.0 > b.0 {
                blocks.pop();
                let w = last.1 + b.1;
                b = ((last.0 * last.1 + b.0 * b.1) / w, w, last.2 + b.2);
            } else {
                break;
            }
        }
        blocks.push(b);
    }
    let mut out = Vec::with_capacity(n);
    for (mean, _, count) in blocks {
        for _ in 0..count {
            let i = out.len();
            out.push(mean + offset[i]);
        }
    }
    out
}

fn assign_along(g: &Graph, order: &[Vec<usize>], opts: &Options) -> Vec<f32> {
    assign_along_within(g, order, opts, None)
}

/// Pulls every card towards the mean of its neighbours, packing each layer without overlaps; with
/// `width`, every free card also stays between 0 and `width`.
fn assign_along_within(g: &Graph, order: &[Vec<usize>], opts: &Options, width: Option<f32>) -> Vec<f32> {
    let mut pos = vec![0.0f32; g.extent.len()];
    // Vertices left out (dummies of wrapped layers) do not pull anyone.
    let mut placed = vec![false; g.extent.len()];
    for &v in order.iter().flatten() {
        placed[v] = true;
    }
    // Start packed from the left, then pull towards neighbours.
    for layer in order {
        let mut x = 0.0;
        for &v in layer {
            pos[v] = g.fixed[v].unwrap_or(x + g.extent[v] / 2.0);
            x += g.extent[v] + opts.node_gap;
        }
    }
    let gap_between = |a: usize, b: usize| f64::from(f32::midpoint(g.extent[a], g.extent[b]) + opts.node_gap);
    let passes = if g.extent.len() > 30_000 { 6 } else { 10 };
    for pass in 0..passes {
        let downward = pass % 2 == 0;
        let layers: Vec<usize> = if downward { (0..order.len()).collect() } else { (0..order.len()).rev().collect() };
        for k in layers {
            let layer = &order[k];
            if layer.is_empty() {
                continue;
            }
            let mut want = Vec::with_capacity(layer.len());
            let mut weight = Vec::with_capacity(layer.len());
            for &v in layer {
                if let Some(f) = g.fixed[v] {
                    want.push(f64::from(f));
                    weight.push(PIN_WEIGHT);
                    continue;
                }
                // Pull towards both neighbour layers; dummies pull harder so long links stay straight.
                let ns: Vec<usize> = g.up[v].iter().chain(&g.down[v]).copied().filter(|&u| placed[u]).collect();
                if ns.is_empty() {
                    want.push(f64::from(pos[v]));
                    weight.push(0.01);
                } else {
                    let w = |u: usize| if g.ids[v].is_some() && g.ids[u].is_none() { BEND_PULL } else { 1.0 };
                    let total: f64 = ns.iter().map(|&u| w(u)).sum();
                    let m = ns.iter().map(|&u| w(u) * f64::from(pos[u])).sum::<f64>() / total;
                    want.push(m);
                    weight.push(if g.ids[v].is_none() { 4.0 } else { 1.0 } * total);
                }
            }
            let gaps: Vec<f64> = layer.windows(2).map(|w| gap_between(w[0], w[1])).collect();
            if let Some(width) = width
                && layer.iter().all(|&v| g.fixed[v].is_none())
            {
                // Keep the row inside the page: clamp each wish to where the row still fits.
                let total: f64 = gaps.iter().sum();
                let first = f64::from(g.extent[layer[0]]) / 2.0;
                let last = f64::from(g.extent[layer[layer.len() - 1]]) / 2.0;
                let mut offset = 0.0;
                for (i, w) in want.iter_mut().enumerate() {
                    if i > 0 {
                        offset += gaps[i - 1];
                    }
                    let (lo, hi) = (first + offset, f64::from(width) - last - (total - offset));
                    if lo <= hi {
                        *w = w.clamp(lo, hi);
                    }
                }
            }
            let packed = pack(&want, &weight, &gaps);
            for (&v, x) in layer.iter().zip(packed) {
                pos[v] = x as f32;
            }
        }
    }
    pos
}

/// Lays out the map. Pinned cards (and, with `only`, every card outside it) keep their places.
///
/// Interventions enabled by others get rows of their own (above their enablers) on maps of up to
/// [`ROWS_UP_TO`] cards, when that crosses fewer straight lines than all interventions in one band
/// (as `compact` draws them, at the default gaps); the rows win ties. On bigger maps (unless
/// `compact`) the ranks are spread by link length, as dot ranks them, and the drawing with the
/// fewest straight crossings is kept (`straight`): on generated maps of 1,000 and 5,000 cards
/// 2–10 % fewer crossings than one layer per kind (docs/benchmarks.md).
#[must_use]
pub fn layout(map: &MissionMap, opts: &Options) -> Layout {
    let compact;
    let opts = if opts.compact {
        compact = Options { node_gap: opts.node_gap.min(24.0), layer_gap: opts.layer_gap.min(56.0), ..opts.clone() };
        &compact
    } else {
        opts
    };
    let t0 = std::time::Instant::now();
    let debug = std::env::var_os("MB_LAYOUT_DEBUG").is_some();
    let small = map.node_count() <= ROWS_UP_TO;
    let has_chains = map.links().any(|l| l.kind == LinkKind::Enables);
    let placed = if !opts.compact && small && has_chains {
        let (rows, flat) = std::thread::scope(|scope| {
            let flat = scope.spawn(|| place(map, opts, Ranking::Kinds));
            let rows = place(map, opts, Ranking::Rows);
            (rows, flat.join().ok().flatten())
        });
        match (rows, flat) {
            (Some(rows), Some(flat)) => {
                let (cr, cf) = (placed_crossings(map, &rows.positions), placed_crossings(map, &flat.positions));
                if debug {
                    eprintln!("straight crossings: {cr} with rows for enables chains, {cf} in one band");
                }
                Some(if cf < cr { flat } else { rows })
            }
            (rows, flat) => rows.or(flat),
        }
    } else if opts.compact || opts.bands || small || std::env::var("MB_RANKING").is_ok_and(|r| r == "kinds") {
        place(map, opts, Ranking::Kinds)
    } else {
        place(map, opts, Ranking::Spread)
    };
    let Some(Placed { positions, hints, layered_crossings }) = placed else { return Layout::default() };
    if debug {
        eprintln!("placed the cards by {:.3} s", t0.elapsed().as_secs_f64());
    }
    let hints: HashMap<&LinkId, Vec<[f32; 2]>> = hints.iter().map(|(id, pts)| (id, pts.clone())).collect();
    let routes = route_links(map, &positions, &hints);
    if debug {
        eprintln!("routed the links by {:.3} s", t0.elapsed().as_secs_f64());
    }
    Layout { positions, routes, layered_crossings }
}

/// The most cards on which `enables` chains may get rows of their own (see [`layout`]).
pub const ROWS_UP_TO: usize = 300;

/// An order of the layers, its crossings between layers, its cards' places along them and its
/// crossings as drawn.
type Drawn = (Vec<Vec<usize>>, u64, Vec<f32>, u64);

/// Cards placed, before routing.
struct Placed {
    positions: Vec<(NodeId, Placement)>,
    /// The long links' bends (their dummies), to guide the routes.
    hints: Vec<(LinkId, Vec<[f32; 2]>)>,
    layered_crossings: u64,
}

/// Straight-line crossings of the map with the cards at `positions` (the rest where they are).
fn placed_crossings(map: &MissionMap, positions: &[(NodeId, Placement)]) -> u64 {
    let moved: HashMap<&NodeId, Placement> = positions.iter().map(|(id, p)| (id, *p)).collect();
    let mut index: HashMap<&NodeId, usize> = HashMap::new();
    let mut centres = Vec::new();
    for (n, p) in map.nodes_with_placement() {
        let p = moved.get(&n.id).copied().unwrap_or(p);
        index.insert(&n.id, centres.len());
        centres.push((p.x, p.y));
    }
    let edges: Vec<(usize, usize)> =
        map.links().filter_map(|l| Some((*index.get(&l.from)?, *index.get(&l.to)?))).collect();
    super::crossings::straight_crossings(&centres, &edges)
}

/// Orders and places the cards, with `enables` chains in rows of their own unless `flat`.
fn place(map: &MissionMap, opts: &Options, ranking: Ranking) -> Option<Placed> {
    let t0 = std::time::Instant::now();
    let debug = std::env::var_os("MB_LAYOUT_DEBUG").is_some();
    let g = build(map, opts, ranking);
    if debug {
        eprintln!("built the graph in {:.3} s", t0.elapsed().as_secs_f64());
    }
    if g.extent.is_empty() {
        return None;
    }
    let hint: Vec<f32> = g.fixed.iter().map(|f| f.unwrap_or(0.0)).collect();
    // Layer thickness and distance from the top as placed below for a layout without pinned cards.
    let mut thick = vec![0.0f32; g.layers];
    for v in 0..g.extent.len() {
        thick[g.layer[v]] = thick[g.layer[v]].max(g.thickness[v]);
    }
    let mut level_y = Vec::with_capacity(thick.len());
    let mut cursor = 0.0f64;
    for &t in &thick {
        let t = f64::from(t.max(DUMMY_EXTENT));
        level_y.push(cursor + t / 2.0);
        cursor += t + f64::from(opts.layer_gap);
    }
    let free = g.fixed.iter().all(Option::is_none);
    // Long links are drawn straight, not through their bends: with spread ranks, of the orders
    // found from each start, keep the one that crosses least as drawn, then swap cards where that
    // cuts crossings as drawn.
    let straighten = ranking == Ranking::Spread && free && !g.chains.is_empty();
    let (mut order, mut layered_crossings, mut unwrapped) = if straighten {
        let links = straight::real_links(&g);
        let mut each = order_layers_each(&g, opts, &hint);
        if debug {
            eprintln!("ordered from every start by {:.3} s", t0.elapsed().as_secs_f64());
        }
        // The two starts with the fewest crossings between layers (placing and counting all
        // eight chose the same drawing on ten generated 1k maps, at a sixth more time), each
        // placed and counted on a core of its own. `MB_LAYOUT_DRAWN=k` weighs k, for benchmarks.
        each.sort_by_key(|e| (e.2, e.0));
        each.truncate(std::env::var("MB_LAYOUT_DRAWN").ok().and_then(|s| s.parse().ok()).unwrap_or(2));
        let drawn = |order: &Vec<Vec<usize>>| {
            let along = assign_along(&g, order, opts);
            let c = straight::drawn_crossings(&g, &along, &level_y, &links);
            (along, c)
        };
        let placed: Vec<(Vec<f32>, u64)> = if each.len() > 1 {
            let half = each.len().div_ceil(2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| each[half..].iter().map(|e| drawn(&e.1)).collect::<Vec<_>>());
                let mut mine: Vec<(Vec<f32>, u64)> = each[..half].iter().map(|e| drawn(&e.1)).collect();
                mine.extend(other.join().unwrap_or_default());
                mine
            })
        } else {
            each.iter().map(|e| drawn(&e.1)).collect()
        };
        let mut best: Option<Drawn> = None;
        for ((i, order, c), (along, d)) in each.into_iter().zip(placed) {
            if debug {
                eprintln!("start {i}: {c} crossings between layers, {d} as drawn");
            }
            if best.as_ref().is_none_or(|b| d < b.3) {
                best = Some((order, c, along, d));
            }
        }
        best.map(|(o, c, a, _)| (o, c, a)).unwrap_or_default()
    } else {
        let (order, c) = order_layers(&g, opts, &hint);
        (order, c, Vec::new())
    };
    if opts.by_mission {
        group_by_mission(&g, &mut order);
        let mut rank = vec![0usize; g.extent.len()];
        set_ranks(&order, &mut rank);
        layered_crossings = total_crossings(&g, &order, &rank);
    }
    if debug {
        let mut rank = vec![0usize; g.extent.len()];
        set_ranks(&order, &mut rank);
        for k in 0..order.len().saturating_sub(1) {
            let real = order[k].iter().filter(|&&v| g.ids[v].is_some()).count();
            eprintln!(
                "band {k}: {} vertices ({real} cards), {} crossings below",
                order[k].len(),
                crossings_between(&g, &order[k], &rank)
            );
        }
        eprintln!("ordered the layers by {:.3} s", t0.elapsed().as_secs_f64());
    }
    // Layer thickness and cross positions, top to bottom; pinned cards may hold a layer in place.
    // (The straightened order was placed already, unless grouping by mission reordered it.)
    if opts.by_mission || !straighten {
        unwrapped = assign_along(&g, &order, opts);
    }
    if straighten {
        let passes = std::env::var("MB_STRAIGHT_PASSES").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
        let cut = straight::swap_cards(&g, &mut order, &mut unwrapped, &level_y, passes, f64::from(opts.node_gap));
        if debug {
            eprintln!("swapping cards cut {cut} straight crossings, by {:.3} s", t0.elapsed().as_secs_f64());
        }
    }
    let rows: Option<(Vec<Vec<Vec<usize>>>, f32)> =
        if opts.wrap { wrap_rows(&g, &order, &thick, &unwrapped, opts) } else { None };
    let wrapped = rows.is_some();
    let (rows, along) = match rows {
        Some((rows, width)) => {
            let flat: Vec<Vec<usize>> = rows.iter().flatten().cloned().collect();
            let along = if std::env::var_os("MB_JUSTIFY").is_some() {
                justify(&g, &rows, width, opts)
            } else {
                assign_along_within(&g, &flat, opts, Some(width))
            };
            (rows, along)
        }
        None => (order.iter().map(|l| vec![l.clone()]).collect::<Vec<_>>(), unwrapped),
    };
    let mut across_of_row: Vec<Vec<f32>> = Vec::with_capacity(rows.len());
    let mut cursor = 0.0f32;
    for (k, layer_rows) in rows.iter().enumerate() {
        let t = thick[k].max(DUMMY_EXTENT);
        let pinned: Vec<f32> = order[k].iter().filter_map(|&v| g.fixed_across[v]).collect();
        let mut ys = Vec::new();
        for (r, _) in layer_rows.iter().enumerate() {
            let mut y = cursor + t / 2.0;
            if r == 0 && !pinned.is_empty() {
                let mut p = pinned.clone();
                p.sort_by(f32::total_cmp);
                y = y.max(p[p.len() / 2]);
            }
            ys.push(y);
            cursor = y + t / 2.0 + opts.layer_gap * if r + 1 < layer_rows.len() { 0.5 } else { 1.0 };
        }
        // The next layer starts below every pinned card of this one.
        if let Some(lowest) = pinned.iter().copied().reduce(f32::max) {
            cursor = cursor.max(lowest + t / 2.0 + opts.layer_gap);
        }
        across_of_row.push(ys);
    }
    let mut across = vec![0.0f32; g.extent.len()];
    for (k, layer_rows) in rows.iter().enumerate() {
        for (r, row) in layer_rows.iter().enumerate() {
            for &v in row {
                across[v] = g.fixed_across[v].unwrap_or(across_of_row[k][r]);
            }
        }
    }
    let to_xy = |a: f32, c: f32| match opts.direction {
        Direction::TopDown => (a, c),
        Direction::LeftRight => (-c, a),
    };
    let mut positions = Vec::new();
    for v in 0..g.ids.len() {
        if let Some(id) = &g.ids[v] {
            if g.fixed[v].is_some() {
                continue;
            }
            let (x, y) = to_xy(along[v], across[v]);
            positions.push((id.clone(), Placement { x, y, pinned: false }));
        }
    }
    clear_pinned(map, &mut positions, opts);
    let mut hints: Vec<(LinkId, Vec<[f32; 2]>)> = Vec::new();
    for (link, from, dummies, to) in g.chains.iter().filter(|_| !wrapped) {
        let mut pts: Vec<[f32; 2]> = dummies
            .iter()
            .map(|&d| {
                let (x, y) = to_xy(along[d], across[d]);
                [x, y]
            })
            .collect();
        // `dummies` runs top to bottom; a link points from `from` to `to`.
        if g.layer[*from] > g.layer[*to] {
            pts.reverse();
        }
        hints.push((link.clone(), pts));
    }
    Some(Placed { positions, hints, layered_crossings })
}

/// Routes for every link of `map` with its cards at `positions` (or where they are, for cards not
/// laid out) that needs bends to pass clear of other cards; `hints` are bends to keep when clear.
fn route_links(
    map: &MissionMap,
    positions: &[(NodeId, Placement)],
    hints: &HashMap<&LinkId, Vec<[f32; 2]>>,
) -> Vec<(LinkId, Vec<[f32; 2]>)> {
    let moved: HashMap<&NodeId, Placement> = positions.iter().map(|(id, p)| (id, *p)).collect();
    super::route::routes_of(
        map,
        |n, p| Some(moved.get(&n.id).copied().unwrap_or(p)),
        |id| hints.get(id).map_or(&[], Vec::as_slice),
    )
}

/// Pinned cards may sit anywhere; free cards that would land on one slide right, row by row,
/// pushing the rest of their row along, so nothing overlaps.
fn clear_pinned(map: &MissionMap, positions: &mut [(NodeId, Placement)], opts: &Options) {
    let size = |id: &NodeId| map.node(id).map_or((200.0, 80.0), crate::model::Node::card_size);
    let placed: HashSet<&NodeId> = positions.iter().map(|(id, _)| id).collect();
    let fixed: Vec<(f32, f32, f32, f32)> = map
        .nodes_with_placement()
        .filter(|(n, _)| !placed.contains(&n.id))
        .map(|(n, p)| {
            let (w, h) = n.card_size();
            (p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0)
        })
        .collect();
    if fixed.is_empty() || opts.direction != Direction::TopDown {
        return;
    }
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (positions[a].1, positions[b].1);
        pa.y.total_cmp(&pb.y).then(pa.x.total_cmp(&pb.x))
    });
    let mut row_y = f32::NAN;
    let mut row_right = f32::NEG_INFINITY;
    for i in order {
        let (w, h) = size(&positions[i].0);
        let p = &mut positions[i].1;
        if p.y != row_y {
            row_y = p.y;
            row_right = f32::NEG_INFINITY;
        }
        p.x = p.x.max(row_right + opts.node_gap + w / 2.0);
        let mut guard = 0;
        while let Some(hit) = fixed.iter().find(|f| {
            p.x - w / 2.0 < f.2 + opts.node_gap / 2.0
                && f.0 - opts.node_gap / 2.0 < p.x + w / 2.0
                && p.y - h / 2.0 < f.3
                && f.1 < p.y + h / 2.0
        }) {
            p.x = hit.2 + opts.node_gap + w / 2.0;
            guard += 1;
            if guard > fixed.len() {
                break;
            }
        }
        row_right = p.x + w / 2.0;
    }
}

/// Splits layers into rows when the drawing is much wider than the page, so that it keeps the
/// page's aspect ratio. Returns the rows of every layer and the width they are set in, or `None`
/// when the drawing already fits. Wrapped layers lose their dummy vertices (their links are routed
/// through the gaps between the rows' cards afterwards, see `route`); pinned cards keep their
/// layer on one row.
fn wrap_rows(
    g: &Graph,
    order: &[Vec<usize>],
    thick: &[f32],
    unwrapped: &[f32],
    opts: &Options,
) -> Option<(Vec<Vec<Vec<usize>>>, f32)> {
    let real = |v: &&usize| g.ids[**v].is_some();
    // How the drawing would look unwrapped.
    let (mut lo_x, mut hi_x) = (f32::MAX, f32::MIN);
    for &v in order.iter().flatten().filter(real) {
        lo_x = lo_x.min(unwrapped[v] - g.extent[v] / 2.0);
        hi_x = hi_x.max(unwrapped[v] + g.extent[v] / 2.0);
    }
    let layers: Vec<usize> = (0..order.len()).filter(|&k| order[k].iter().any(|v| g.ids[*v].is_some())).collect();
    let row_h = |k: usize| thick[k].max(DUMMY_EXTENT);
    let height_of = |rows: &dyn Fn(usize) -> usize| -> f32 {
        layers
            .iter()
            .map(|&k| {
                let n = rows(k) as f32;
                n * row_h(k) + (n - 1.0) * opts.layer_gap * 0.5
            })
            .sum::<f32>()
            + opts.layer_gap * (layers.len().saturating_sub(1)) as f32
    };
    let unwrapped_h = height_of(&|_| 1);
    if hi_x <= lo_x || (hi_x - lo_x) / unwrapped_h.max(1.0) <= opts.aspect * 1.1 {
        return None;
    }
    let split = |k: usize, width: f32| -> Vec<Vec<usize>> {
        let layer = &order[k];
        if layer.iter().any(|&v| g.fixed[v].is_some()) {
            return vec![layer.iter().copied().filter(|&v| g.ids[v].is_some()).collect()];
        }
        // As many rows as the layer needs at this width, dealt out in turn (first card to the
        // first row, second to the second…), so each row keeps the layer's left-to-right order
        // and every card stays near the cards it links to.
        let cards: Vec<usize> = layer.iter().copied().filter(|&v| g.ids[v].is_some()).collect();
        let packed: f32 = cards.iter().map(|&v| g.extent[v] + opts.node_gap).sum();
        let mut n = ((packed / (width + opts.node_gap)).ceil() as usize).clamp(1, cards.len().max(1));
        loop {
            let rows = deal(&cards, n);
            let fits = rows
                .iter()
                .all(|r| r.iter().map(|&v| g.extent[v] + opts.node_gap).sum::<f32>() <= width + opts.node_gap + 0.5);
            if fits || n >= cards.len() {
                return rows;
            }
            n += 1;
        }
    };
    // The narrowest width whose drawing is no taller than the page's aspect asks: wider rows
    // than needed only shrink the print.
    let widest_card = g.extent.iter().copied().fold(0.0, f32::max);
    let packed_max: f32 = layers
        .iter()
        .map(|&k| order[k].iter().filter(real).map(|&v| g.extent[v] + opts.node_gap).sum::<f32>())
        .fold(0.0, f32::max);
    let aspect_at = |w: f32| {
        let counts: Vec<usize> = (0..order.len()).map(|k| split(k, w).len()).collect();
        w / height_of(&|k| counts[k]).max(1.0)
    };
    let (mut lo, mut hi) = (widest_card, packed_max.max(widest_card));
    if aspect_at(hi) < opts.aspect {
        // Even one row per layer is taller than the page: do not wrap.
        return None;
    }
    for _ in 0..30 {
        let mid = f32::midpoint(lo, hi);
        if aspect_at(mid) < opts.aspect { lo = mid } else { hi = mid }
    }
    let width = hi;
    Some(((0..order.len()).map(|k| split(k, width)).collect(), width))
}

/// Deals `cards` out over `n` rows in turn, keeping their order within each row.
fn deal(cards: &[usize], n: usize) -> Vec<Vec<usize>> {
    let mut rows = vec![Vec::new(); n.max(1)];
    for (i, &v) in cards.iter().enumerate() {
        rows[i % n.max(1)].push(v);
    }
    rows.retain(|r| !r.is_empty());
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    rows
}

/// Positions along the rows of a wrapped layout: each row's cards in equal slots across `width`
/// (never closer than their gap), so bands line up with one another and the drawing fills the page.
fn justify(g: &Graph, rows: &[Vec<Vec<usize>>], width: f32, opts: &Options) -> Vec<f32> {
    let mut pos: Vec<f32> = g.fixed.iter().map(|f| f.unwrap_or(0.0)).collect();
    for row in rows.iter().flatten() {
        if row.iter().any(|&v| g.fixed[v].is_some()) {
            // A layer holding a pinned card: pack the free cards around the pinned ones.
            let want: Vec<f64> = row.iter().map(|&v| f64::from(g.fixed[v].unwrap_or(width / 2.0))).collect();
            let weight: Vec<f64> = row.iter().map(|&v| if g.fixed[v].is_some() { PIN_WEIGHT } else { 1.0 }).collect();
            let gaps: Vec<f64> = row
                .windows(2)
                .map(|w| f64::from(f32::midpoint(g.extent[w[0]], g.extent[w[1]]) + opts.node_gap))
                .collect();
            for (&v, x) in row.iter().zip(pack(&want, &weight, &gaps)) {
                pos[v] = x as f32;
            }
            continue;
        }
        let natural: f32 = row.iter().map(|&v| g.extent[v] + opts.node_gap).sum::<f32>() - opts.node_gap;
        let n = row.len() as f32;
        let slot = width / n;
        if row.iter().all(|&v| g.extent[v] + opts.node_gap <= slot) {
            for (i, &v) in row.iter().enumerate() {
                pos[v] = (i as f32 + 0.5) * slot;
            }
        } else {
            let mut x = (width - natural) / 2.0;
            for &v in row {
                pos[v] = x + g.extent[v] / 2.0;
                x += g.extent[v] + opts.node_gap;
            }
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_keeps_order_and_gaps() {
        let x = pack(&[0.0, 0.0, 0.0], &[1.0, 1.0, 1.0], &[10.0, 10.0]);
        assert!((x[0] + 10.0).abs() < 1e-9 && x[1].abs() < 1e-9 && (x[2] - 10.0).abs() < 1e-9, "{x:?}");
        let x = pack(&[0.0, 100.0], &[1.0, 1.0], &[10.0]);
        assert_eq!(x, vec![0.0, 100.0]);
        let x = pack(&[0.0, 0.0], &[PIN_WEIGHT, 1.0], &[10.0]);
        assert!(x[0].abs() < 1e-6 && (x[1] - 10.0).abs() < 1e-6, "a pinned card does not move: {x:?}");
    }
}
