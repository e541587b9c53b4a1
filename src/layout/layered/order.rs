//! Ordering the layers: the order of the cards in each layer that crosses fewest links
//! (barycentre and median sweeps from several starts, adjacent transpositions and windowed
//! sifting, counted exactly with a Fenwick tree), and the regrouping by mission.

use super::{Graph, Options};

/// Crossings between layer `k` and `k+1` given positions (rank) of every vertex.
pub(super) fn crossings_between(g: &Graph, upper: &[usize], rank: &[usize]) -> u64 {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &u in upper {
        for &v in &g.down[u] {
            pairs.push((rank[u], rank[v]));
        }
    }
    pairs.sort_unstable();
    // Count inversions of the second component.
    let max = pairs.iter().map(|p| p.1).max().unwrap_or(0) + 2;
    let mut tree = vec![0u64; max];
    let mut total = 0;
    let mut seen = 0;
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        for p in &pairs[i..j] {
            let mut s = 0;
            let mut k = p.1 + 1;
            while k > 0 {
                s += tree[k];
                k &= k - 1;
            }
            total += seen - s;
        }
        for p in &pairs[i..j] {
            let mut k = p.1 + 1;
            while k < max {
                tree[k] += 1;
                k += k & k.wrapping_neg();
            }
            seen += 1;
        }
        i = j;
    }
    total
}

pub(super) fn total_crossings(g: &Graph, order: &[Vec<usize>], rank: &[usize]) -> u64 {
    (0..order.len().saturating_sub(1)).map(|k| crossings_between(g, &order[k], rank)).sum()
}

pub(super) fn set_ranks(order: &[Vec<usize>], rank: &mut [usize]) {
    for layer in order {
        for (i, &v) in layer.iter().enumerate() {
            rank[v] = i;
        }
    }
}

/// Reorders one layer by the barycentre of each vertex's neighbours in the adjacent layer; pinned
/// cards keep their place in the order by their fixed position.
fn barycentre_pass(g: &Graph, layer: &mut [usize], sides: Sides, rank: &[usize], layer_len: &[usize], pos: &[f32]) {
    // Neighbour positions as fractions of their layer, so layers of different sizes compare.
    let frac = |u: usize| (rank[u] as f64 + 0.5) / layer_len[g.layer[u]].max(1) as f64;
    let mut keyed: Vec<(f64, usize, usize)> = layer
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let ns: Vec<f64> = match sides {
                Sides::Up => g.up[v].iter().map(|&u| frac(u)).collect(),
                Sides::Down => g.down[v].iter().map(|&u| frac(u)).collect(),
                Sides::Both => g.up[v].iter().chain(&g.down[v]).map(|&u| frac(u)).collect(),
            };
            let own = (i as f64 + 0.5) / layer.len().max(1) as f64;
            let key = if let Some(f) = g.fixed[v] {
                // Pinned cards keep their place in the order, by where they are.
                (rank_of_position(layer, pos, f) as f64 + 0.5) / layer.len().max(1) as f64
            } else if ns.is_empty() {
                own
            } else {
                median(ns)
            };
            (key, i, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    for (slot, (_, _, v)) in layer.iter_mut().zip(keyed) {
        *slot = v;
    }
}

/// Which neighbours order a layer in a sweep.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sides {
    Up,
    Down,
    Both,
}

/// The weighted median of Gansner et al. (dot's mincross): the middle value, and for an even count
/// a mean of the two middle values weighted towards the tighter side, so one far-off neighbour does
/// not drag a card away from the rest.
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = n / 2;
    if n % 2 == 1 {
        v[m]
    } else if n == 2 {
        f64::midpoint(v[0], v[1])
    } else {
        let left = v[m - 1] - v[0];
        let right = v[n - 1] - v[m];
        if left + right == 0.0 {
            f64::midpoint(v[m - 1], v[m])
        } else {
            (v[m - 1] * right + v[m] * left) / (left + right)
        }
    }
}

fn rank_of_position(layer: &[usize], pos: &[f32], x: f32) -> usize {
    layer.iter().filter(|&&v| pos[v] < x).count()
}

/// Swaps neighbours in a layer while that reduces crossings with both adjacent layers.
///
/// Each round scans the layer left to right, as the classic heuristic does, but looks again only
/// at pairs next to a swap: the other layers stay put meanwhile, so a pair that did not gain from
/// swapping and whose two cards have not changed cannot gain now. Same swaps, same result, a
/// fraction of the work once the layer has nearly settled.
fn transpose(g: &Graph, order: &mut [Vec<usize>], rank: &mut [usize]) {
    for layer in order.iter_mut() {
        let pairs = layer.len().saturating_sub(1);
        let mut check = vec![true; pairs];
        let mut next = vec![false; pairs];
        let mut improved = true;
        let mut rounds = 0;
        while improved && rounds < 30 {
            improved = false;
            rounds += 1;
            for i in 0..pairs {
                if !check[i] {
                    continue;
                }
                let (u, v) = (layer[i], layer[i + 1]);
                if g.fixed[u].is_some() || g.fixed[v].is_some() {
                    continue;
                }
                let (c_uv, c_vu) = pair_crossings_both(g, u, v, rank);
                if c_vu < c_uv {
                    layer.swap(i, i + 1);
                    rank[u] = i + 1;
                    rank[v] = i;
                    improved = true;
                    // The pair to the right is next in this round; this pair and its neighbours
                    // are looked at again in the next.
                    if i + 1 < pairs {
                        check[i + 1] = true;
                        next[i + 1] = true;
                    }
                    next[i] = true;
                    if i > 0 {
                        next[i - 1] = true;
                    }
                }
            }
            std::mem::swap(&mut check, &mut next);
            next.fill(false);
        }
    }
}

/// Crossings among the links of `u` and `v` when `u` is left of `v`, and when `v` is left of `u`,
/// in one pass over the pairs of their neighbours (the ordering's innermost loop).
fn pair_crossings_both(g: &Graph, u: usize, v: usize, rank: &[usize]) -> (u64, u64) {
    let mut uv = 0u64;
    let mut vu = 0u64;
    for (nu, nv) in [(&g.up[u], &g.up[v]), (&g.down[u], &g.down[v])] {
        for &a in nu {
            let ra = rank[a];
            for &b in nv {
                let rb = rank[b];
                uv += u64::from(ra > rb);
                vu += u64::from(ra < rb);
            }
        }
    }
    (uv, vu)
}

/// The order of every layer found from each of a few different starting orders (on big maps, one
/// start, for time), with its crossings between layers, in the order of the starts.
pub(super) fn order_layers_each(g: &Graph, opts: &Options, pos_hint: &[f32]) -> Vec<(usize, Vec<Vec<usize>>, u64)> {
    // Which start wins varies from map to map by up to a tenth of the crossings, so try several
    // where there is time: sixteen short searches up to 3,000 vertices (a 1k-card map), eight up to
    // 8,000 (cards and long-link bends: a 5k-card map in one intervention band), one on bigger maps
    // (10k cards in 1.5 s, routing included).
    // `MB_LAYOUT_STARTS=k` overrides this, for benchmarks.
    let n = g.extent.len();
    let starts = if let Some(k) = knob("MB_LAYOUT_STARTS") {
        k.max(1)
    } else if n <= SHORT_SEARCH_LIMIT {
        16
    } else if n <= RESTART_LIMIT {
        8
    } else {
        1
    };
    let all: Vec<Start> = [Start::TopDown, Start::DepthFirst, Start::BottomUp]
        .into_iter()
        .chain((1..).map(Start::Shuffled))
        .take(starts)
        .collect();
    // The starts are independent: run them on every core there is (each thread takes every
    // k-th start), then keep the fewest crossings, the earliest start winning a tie, so the
    // result is the same on any machine.
    let searched = on_every_core(all.len(), |i| order_layers_from(g, opts, pos_hint, all[i]));
    // Sifting is most of a start's time, and it rarely lifts an order past several better ones:
    // with many short searches only the best few are sifted.
    // `MB_LAYOUT_SIFTED=k` overrides how many are sifted, for benchmarks.
    let sifted = knob("MB_LAYOUT_SIFTED").unwrap_or(if n <= SHORT_SEARCH_LIMIT { SIFTED } else { searched.len() });
    let sifted = sifted.min(searched.len());
    let mut best_first: Vec<usize> = (0..searched.len()).collect();
    best_first.sort_by_key(|&i| (searched[i].1, i));
    best_first.truncate(sifted);
    let finished = on_every_core(best_first.len(), |k| {
        let (order, c) = &searched[best_first[k]];
        sift_order(g, order.clone(), *c)
    });
    let mut results: Vec<(usize, Vec<Vec<usize>>, u64)> =
        searched.into_iter().enumerate().map(|(i, (o, c))| (i, o, c)).collect();
    for (k, (order, c)) in finished.into_iter().enumerate() {
        results[best_first[k]] = (best_first[k], order, c);
    }
    results
}

/// A benchmark's override of one of the ordering's settings (`MB_LAYOUT_…`), if set to a number.
fn knob(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|s| s.parse::<usize>().ok())
}

/// How many of the short searches' orders are sifted (see [`SHORT_SEARCH_LIMIT`]).
const SIFTED: usize = 4;

/// `f(0..n)` run on every core there is (each thread takes every k-th), in the order of `0..n`:
/// the same results on any machine.
fn on_every_core<T: Send + Default>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).clamp(1, n.max(1));
    if threads == 1 {
        return (0..n).map(f).collect();
    }
    let mut out: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                scope.spawn(move || (t..n).step_by(threads).map(|i| (i, f(i))).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    out.sort_by_key(|r| r.0);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Orders every layer to cut crossings: the whole search from a few different starting orders,
/// keeping the best (on big maps, one start, for time).
pub(super) fn order_layers(g: &Graph, opts: &Options, pos_hint: &[f32]) -> (Vec<Vec<usize>>, u64) {
    let mut best: Option<(usize, Vec<Vec<usize>>, u64)> = None;
    for (i, order, c) in order_layers_each(g, opts, pos_hint) {
        if best.as_ref().is_none_or(|(bi, _, b)| c < *b || (c == *b && i < *bi)) {
            best = Some((i, order, c));
        }
    }
    best.map(|(_, o, c)| (o, c)).unwrap_or_default()
}

/// Cards (and long-link bends) above which the ordering runs from one start only.
const RESTART_LIMIT: usize = 8_000;

/// Cards (and long-link bends) up to which the ordering runs from sixteen starts, each with five
/// sweeps: on generated 1k maps a wider search beat longer ones (eight starts of eight sweeps left
/// seed 8 1.9 % over dot; sixteen of five are under dot on all ten seeds, in about the same time;
/// docs/benchmarks.md).
const SHORT_SEARCH_LIMIT: usize = 3_000;

/// Where the ordering search starts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Start {
    /// Layers in id order, placed from the missions down.
    TopDown,
    /// Layers in id order, placed from the partners up.
    BottomUp,
    /// Depth-first from the missions: each card takes the next place in its layer when first
    /// reached, so what serves one mission starts together (dot's initial order).
    DepthFirst,
    /// Layers shuffled (deterministically, from this seed), placed from the missions down.
    Shuffled(u64),
}

fn order_layers_from(g: &Graph, opts: &Options, pos_hint: &[f32], start: Start) -> (Vec<Vec<usize>>, u64) {
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); g.layers];
    if start == Start::DepthFirst {
        let mut seen = vec![false; g.extent.len()];
        let mut roots: Vec<usize> = (0..g.extent.len()).collect();
        roots.sort_by_key(|&v| g.layer[v]);
        for root in roots {
            if seen[root] {
                continue;
            }
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                order[g.layer[v]].push(v);
                // Children pushed in reverse so the first is visited first.
                for &u in g.down[v].iter().chain(&g.up[v]).rev() {
                    if !seen[u] {
                        stack.push(u);
                    }
                }
            }
        }
    } else {
        for v in 0..g.extent.len() {
            order[g.layer[v]].push(v);
        }
        if let Start::Shuffled(seed) = start {
            // A small xorshift generator: the same seed gives the same layout on every machine.
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for layer in &mut order {
                for i in (1..layer.len()).rev() {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    layer.swap(i, (x % (i as u64 + 1)) as usize);
                }
            }
        }
    }
    let layer_len: Vec<usize> = order.iter().map(Vec::len).collect();
    let mut rank = vec![0usize; g.extent.len()];
    let sweep_layers = |order: &mut Vec<Vec<usize>>, rank: &mut Vec<usize>, downwards: bool, sides: Sides| {
        let ks: Vec<usize> =
            if downwards { (1..order.len()).collect() } else { (0..order.len().saturating_sub(1)).rev().collect() };
        for k in ks {
            let mut layer = std::mem::take(&mut order[k]);
            barycentre_pass(g, &mut layer, sides, rank, &layer_len, pos_hint);
            for (i, &v) in layer.iter().enumerate() {
                rank[v] = i;
            }
            order[k] = layer;
        }
    };
    // Initial order, then a first sweep places everything under the missions (or over the partners).
    set_ranks(&order, &mut rank);
    if start == Start::BottomUp {
        sweep_layers(&mut order, &mut rank, false, Sides::Down);
    } else {
        sweep_layers(&mut order, &mut rank, true, Sides::Up);
    }
    let mut best = order.clone();
    let mut best_c = total_crossings(g, &order, &rank);
    let big = g.extent.len() > 80_000;
    // One sweep by one side each way, then sweeps that weigh both neighbour layers at once
    // (which settle the intervention band between sub-missions and partners far better).
    let plan = [(true, Sides::Both), (false, Sides::Both)];
    // `MB_LAYOUT_SWEEPS` and `MB_LAYOUT_SIFTS` override the sweeps and sifting passes, for benchmarks.
    // Up to 3,000 vertices (a 1k-card map), five sweeps from each of sixteen starts (see
    // SHORT_SEARCH_LIMIT); 30 sweeps gained under 0.3 % on generated 1k maps at twice the time.
    let sweeps = knob("MB_LAYOUT_SWEEPS").unwrap_or(if g.extent.len() <= SHORT_SEARCH_LIMIT {
        opts.sweeps.min(5)
    } else {
        opts.sweeps
    });
    for sweep in 0..sweeps {
        let (downwards, sides) = match sweep {
            0 => (false, Sides::Down),
            1 => (true, Sides::Up),
            _ => plan[sweep % plan.len()],
        };
        sweep_layers(&mut order, &mut rank, downwards, sides);
        if !big || sweep + 1 == sweeps {
            transpose(g, &mut order, &mut rank);
        }
        let c = total_crossings(g, &order, &rank);
        if std::env::var_os("MB_LAYOUT_DEBUG").is_some() {
            eprintln!("sweep {sweep}: {c} crossings");
        }
        if c < best_c {
            best_c = c;
            best.clone_from(&order);
        } else if sweep % plan.len() == plan.len() - 1 {
            // A full round without gain: carry on from the best order found so far.
            order.clone_from(&best);
            set_ranks(&order, &mut rank);
        }
    }
    (best, best_c)
}

/// Finishes an order with windowed sifting: each vertex tries every place within a window of its
/// layer. Returns the better of the two, with its crossings.
fn sift_order(g: &Graph, mut best: Vec<Vec<usize>>, mut best_c: u64) -> (Vec<Vec<usize>>, u64) {
    let mut order = best.clone();
    let mut rank = vec![0usize; g.extent.len()];
    set_ranks(&order, &mut rank);
    // Two passes with a window of 150 places (75 with spread ranks, whose extra layers of bends
    // make it dearer: 150 gained under 0.2 % there): wider windows and more passes gained under
    // 0.1 % on generated maps of 1k and 5k cards, at up to four times the time.
    for _ in 0..knob("MB_LAYOUT_SIFTS").unwrap_or(2) {
        sift(g, &mut order, &mut rank, knob("MB_LAYOUT_WINDOW").unwrap_or(g.sift_window));
        transpose(g, &mut order, &mut rank);
    }
    let c = total_crossings(g, &order, &rank);
    if std::env::var_os("MB_LAYOUT_DEBUG").is_some() {
        eprintln!("after sifting: {c} crossings");
    }
    if c < best_c {
        best_c = c;
        best = order;
    }
    (best, best_c)
}

/// Moves each vertex to the place within `window` of where it is that removes the most
/// crossings with both neighbouring layers.
fn sift(g: &Graph, order: &mut [Vec<usize>], rank: &mut [usize], window: usize) {
    for k in 0..order.len() {
        let n = order[k].len();
        if n < 3 {
            continue;
        }
        let vertices: Vec<usize> = order[k].clone();
        for v in vertices {
            if g.fixed[v].is_some() {
                continue;
            }
            let i = rank[v];
            let (lo, hi) = (i.saturating_sub(window), (i + window).min(n - 1));
            // Gain of ending at j: moving left past u adds c(v,u) - c(u,v).
            let mut best = (0i64, i);
            let mut delta = 0i64;
            for j in (lo..i).rev() {
                let u = order[k][j];
                let (vu, uv) = pair_crossings_both(g, v, u, rank);
                delta += vu as i64 - uv as i64;
                if delta < best.0 {
                    best = (delta, j);
                }
            }
            delta = 0;
            for j in i + 1..=hi {
                let u = order[k][j];
                let (uv, vu) = pair_crossings_both(g, u, v, rank);
                delta += uv as i64 - vu as i64;
                if delta < best.0 {
                    best = (delta, j);
                }
            }
            if best.1 != i {
                let layer = &mut order[k];
                let moved = layer.remove(i);
                layer.insert(best.1, moved);
                let (a, b) = (i.min(best.1), i.max(best.1));
                for (pos, &u) in layer.iter().enumerate().take(b + 1).skip(a) {
                    rank[u] = pos;
                }
            }
        }
    }
}

/// Reorders every layer so that the cards serving each mission stand together, missions in the
/// order the crossing minimisation gave them: each vertex is keyed by the mean place of the
/// missions it reaches going up (a card serving two missions sits between their groups); the sort
/// is stable, so within a group the crossing-minimised order stays.
pub(super) fn group_by_mission(g: &Graph, order: &mut [Vec<usize>]) {
    let mut reach: Vec<Vec<u32>> = vec![Vec::new(); g.extent.len()];
    for (k, layer) in order.iter().enumerate() {
        for (i, &v) in layer.iter().enumerate() {
            let mut set: Vec<u32> =
                if k == 0 { vec![i as u32] } else { g.up[v].iter().flat_map(|&u| reach[u].iter().copied()).collect() };
            set.sort_unstable();
            set.dedup();
            reach[v] = set;
        }
    }
    let key = |v: usize| {
        let r = &reach[v];
        if r.is_empty() { f64::INFINITY } else { r.iter().map(|&m| f64::from(m)).sum::<f64>() / r.len() as f64 }
    };
    for layer in order.iter_mut().skip(1) {
        layer.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
    }
}

#[cfg(test)]
mod tests {
    use super::on_every_core;

    #[test]
    fn work_shared_over_the_cores_comes_back_in_order() {
        let squares = on_every_core(11, |i| i * i);
        assert_eq!(squares, (0..11).map(|i| i * i).collect::<Vec<_>>());
        assert!(on_every_core(0, |i| i).is_empty());
    }
}
