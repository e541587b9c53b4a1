//! Routes for links: bend points for every link that a straight line would draw through a card it
//! does not join (a reader takes such a line for a link of the card it crosses).
//!
//! Pure, and shared by the layout, the canvas and every export, so they cannot disagree.
//!
//! 1. A link whose stored route (or, without one, whose straight line) passes clear of every other
//!    card is drawn as it is.
//! 2. Otherwise it is routed through **bands**: cards whose heights overlap form a band (a layer of
//!    a layered layout, or one of the rows a wide layer is dealt into), and nothing stands in the
//!    channel between two bands. The link crosses each band it spans through a gap between cards
//!    (the one nearest where it would cross; links sharing a gap are spread across it, in order),
//!    and runs from band to band in the channels. Bend points the line does not need are dropped.
//! 3. Should that still meet a card (cards placed by hand at staggered heights), the same with
//!    bands of columns (a left-to-right map), and then the shortest path round the cards' corners.

use std::collections::{BinaryHeap, HashMap};

/// A card's rectangle: left, top, right, bottom.
pub type Rect = [f32; 4];
/// A point.
pub type Point = [f32; 2];

/// How far a line keeps from a card it passes (map units).
pub const CLEARANCE: f32 = 4.0;
/// The most cards the way round the corners looks among (it takes time as their square).
const MAX_AROUND: usize = 250;
/// How far a bend keeps from the cards beside its gap, when the gap is wide enough.
const GAP_MARGIN: f32 = 10.0;
/// Gaps narrower than this are treated as closed.
const MIN_GAP: f32 = 6.0;

/// A grid of cells, each listing the cards over it: answers "does this segment meet a card?"
/// looking only at the cards near the segment.
pub struct Obstacles<'a> {
    rects: &'a [Rect],
    x0: f32,
    y0: f32,
    cell: f32,
    nx: usize,
    ny: usize,
    cells: Vec<Vec<u32>>,
    rows: Rows,
}

/// The cards as rows (cards whose grown heights overlap), each sorted along x: a segment meets
/// only cards of the rows its height spans, within the stretch of x it covers in each. On a laid-out
/// map (a few rows) this looks at a handful of cards where the grid walks every cell along a long
/// link.
#[derive(Default)]
struct Rows {
    /// Top and bottom of each row (cards grown by [`CLEARANCE`]), top to bottom, not overlapping.
    span: Vec<(f32, f32)>,
    /// Each row's cards, by their left edge.
    cards: Vec<Vec<u32>>,
    /// Each row's cards' left edges (grown), in the same order.
    lefts: Vec<Vec<f32>>,
    /// Each row's widest card (grown).
    widest: Vec<f32>,
}

impl Rows {
    fn new(rects: &[Rect]) -> Rows {
        let mut order: Vec<usize> = (0..rects.len()).collect();
        order.sort_by(|&a, &b| rects[a][1].total_cmp(&rects[b][1]));
        let mut rows = Rows::default();
        for i in order {
            let (lo, hi) = (rects[i][1] - CLEARANCE, rects[i][3] + CLEARANCE);
            match rows.span.last_mut() {
                Some(s) if lo <= s.1 => s.1 = s.1.max(hi),
                _ => {
                    rows.span.push((lo, hi));
                    rows.cards.push(Vec::new());
                }
            }
            if let Some(c) = rows.cards.last_mut() {
                c.push(i as u32);
            }
        }
        for c in &mut rows.cards {
            c.sort_by(|&a, &b| rects[a as usize][0].total_cmp(&rects[b as usize][0]));
            rows.lefts.push(c.iter().map(|&i| rects[i as usize][0] - CLEARANCE).collect());
            rows.widest.push(
                c.iter().map(|&i| rects[i as usize][2] - rects[i as usize][0] + 2.0 * CLEARANCE).fold(0.0, f32::max),
            );
        }
        rows
    }

    /// For each row the segment `a`–`b` spans: the row and the range of its cards (in
    /// `cards[row]`) that the segment's stretch of x in that row may meet.
    fn candidates(&self, a: Point, b: Point, mut each: impl FnMut(usize, std::ops::Range<usize>) -> bool) -> bool {
        let (y0, y1) = (a[1].min(b[1]), a[1].max(b[1]));
        let first = self.span.partition_point(|s| s.1 < y0);
        for r in first..self.span.len() {
            let (top, bottom) = self.span[r];
            if top > y1 {
                break;
            }
            // The stretch of x the segment covers between the row's top and bottom.
            let x_at = |y: f32| {
                if (b[1] - a[1]).abs() < 1e-6 { a[0] } else { a[0] + (b[0] - a[0]) * ((y - a[1]) / (b[1] - a[1])) }
            };
            let (xa, xb) = if (b[1] - a[1]).abs() < 1e-6 {
                (a[0].min(b[0]), a[0].max(b[0]))
            } else {
                let (p, q) = (x_at(top.max(y0)), x_at(bottom.min(y1)));
                (p.min(q) - 1.0, p.max(q) + 1.0)
            };
            let lefts = &self.lefts[r];
            let lo = lefts.partition_point(|&l| l < xa - self.widest[r]);
            let hi = lefts.partition_point(|&l| l <= xb);
            if lo < hi && each(r, lo..hi) {
                return true;
            }
        }
        false
    }
}

impl<'a> Obstacles<'a> {
    /// Indexes `rects` (each grown by [`CLEARANCE`] for the look-ups).
    #[must_use]
    pub fn new(rects: &'a [Rect]) -> Obstacles<'a> {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for r in rects {
            x0 = x0.min(r[0]);
            y0 = y0.min(r[1]);
            x1 = x1.max(r[2]);
            y1 = y1.max(r[3]);
        }
        if rects.is_empty() || !(x0.is_finite() && y0.is_finite() && x1.is_finite() && y1.is_finite()) {
            return Obstacles {
                rects,
                x0: 0.0,
                y0: 0.0,
                cell: 1.0,
                nx: 0,
                ny: 0,
                cells: Vec::new(),
                rows: Rows::default(),
            };
        }
        let (x0, y0) = (x0 - CLEARANCE, y0 - CLEARANCE);
        let (w, h) = (x1 - x0 + 2.0 * CLEARANCE, y1 - y0 + 2.0 * CLEARANCE);
        // Cells about a card wide, but never more than a few million of them.
        let mut cell = 240.0f32;
        while (w / cell).ceil() * (h / cell).ceil() > 4.0e6 {
            cell *= 2.0;
        }
        let nx = ((w / cell).ceil() as usize).max(1);
        let ny = ((h / cell).ceil() as usize).max(1);
        let mut cells = vec![Vec::new(); nx * ny];
        let mut o = Obstacles { rects, x0, y0, cell, nx, ny, cells: Vec::new(), rows: Rows::new(rects) };
        for (i, r) in rects.iter().enumerate() {
            let (cx0, cy0) = o.cell_of(r[0] - CLEARANCE, r[1] - CLEARANCE);
            let (cx1, cy1) = o.cell_of(r[2] + CLEARANCE, r[3] + CLEARANCE);
            for cy in cy0..=cy1 {
                for cx in cx0..=cx1 {
                    cells[cy * nx + cx].push(i as u32);
                }
            }
        }
        o.cells = cells;
        o
    }

    fn cell_of(&self, x: f32, y: f32) -> (usize, usize) {
        let cx = ((x - self.x0) / self.cell).floor().clamp(0.0, (self.nx - 1) as f32) as usize;
        let cy = ((y - self.y0) / self.cell).floor().clamp(0.0, (self.ny - 1) as f32) as usize;
        (cx, cy)
    }

    /// Whether the segment `a`–`b` meets a card (grown by `pad`, at most [`CLEARANCE`]) other than
    /// those in `skip` and `also`.
    #[must_use]
    pub fn blocked(&self, a: Point, b: Point, (skip, also): (&[usize], &[usize]), pad: f32) -> bool {
        self.first_hit(a, b, (skip, also), pad).is_some()
    }

    /// A card (grown by `pad`) the segment `a`–`b` meets, other than those in `skip` and `also`.
    #[must_use]
    pub fn first_hit(&self, a: Point, b: Point, (skip, also): (&[usize], &[usize]), pad: f32) -> Option<usize> {
        if self.nx == 0 {
            return None;
        }
        let len = (b[0] - a[0]).hypot(b[1] - a[1]);
        // Short pieces, each looked up in the (at most four) cells round it.
        let steps = ((len / (self.cell * 0.5)).ceil() as usize).max(1);
        let meets = |i: usize| !skip.contains(&i) && !also.contains(&i) && segment_meets(a, b, self.rects[i], pad);
        // By rows, unless they offer more cards to look at than the grid's walk would (never on a
        // laid-out map; cards placed by hand at staggered heights may merge into a few tall rows).
        let budget = 4 * steps + 16;
        let (mut looked, mut gave_up, mut hit) = (0, false, None);
        self.rows.candidates(a, b, |r, range| {
            looked += range.len();
            if looked > budget {
                gave_up = true;
                return true;
            }
            hit = self.rows.cards[r][range].iter().map(|&i| i as usize).find(|&i| meets(i));
            hit.is_some()
        });
        if !gave_up {
            return hit;
        }
        let mut last: Option<(usize, usize, usize, usize)> = None;
        for s in 0..steps {
            let t0 = s as f32 / steps as f32;
            let t1 = (s + 1) as f32 / steps as f32;
            let p = [a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0];
            let q = [a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1];
            let (cx0, cy0) = self.cell_of(p[0].min(q[0]), p[1].min(q[1]));
            let (cx1, cy1) = self.cell_of(p[0].max(q[0]), p[1].max(q[1]));
            if last == Some((cx0, cy0, cx1, cy1)) {
                continue;
            }
            last = Some((cx0, cy0, cx1, cy1));
            for cy in cy0..=cy1 {
                for cx in cx0..=cx1 {
                    for &i in &self.cells[cy * self.nx + cx] {
                        if meets(i as usize) {
                            return Some(i as usize);
                        }
                    }
                }
            }
        }
        None
    }

    /// Card `i` and every card overlapping it: a line leaving `i`'s centre cannot keep clear of them.
    #[must_use]
    pub fn end(&self, i: usize) -> Vec<usize> {
        let r = self.rects[i];
        let mut out = vec![i];
        if self.nx == 0 {
            return out;
        }
        let (cx0, cy0) = self.cell_of(r[0], r[1]);
        let (cx1, cy1) = self.cell_of(r[2], r[3]);
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                for &j in &self.cells[cy * self.nx + cx] {
                    let (j, o) = (j as usize, self.rects[j as usize]);
                    if !out.contains(&j)
                        && o[0] < r[2] + CLEARANCE
                        && r[0] < o[2] + CLEARANCE
                        && o[1] < r[3] + CLEARANCE
                        && r[1] < o[3] + CLEARANCE
                    {
                        out.push(j);
                    }
                }
            }
        }
        out
    }

    /// Whether the segment from point `i` to point `j` of a polyline of `n` points from one end
    /// card to the other meets a card: the first point's end cards are passed over on a segment
    /// from it, the last point's on a segment to it.
    fn piece_blocked(&self, pts: &[Point], (i, j): (usize, usize), ends: &Ends) -> bool {
        let n = pts.len();
        let skip: &[usize] = if i == 0 { &ends.0 } else { &[] };
        let also: &[usize] = if j + 1 == n { &ends.1 } else { &[] };
        self.blocked(pts[i], pts[j], (skip, also), CLEARANCE)
    }

    /// Whether the polyline from card `from`'s centre through `bends` to card `to`'s centre meets a
    /// card other than its ends (the first segment may cross `from`, the last `to`).
    #[must_use]
    pub fn path_blocked(&self, from: usize, to: usize, bends: &[Point]) -> bool {
        self.path_blocked_with(&(self.end(from), self.end(to)), from, to, bends)
    }

    fn path_blocked_with(&self, ends: &Ends, from: usize, to: usize, bends: &[Point]) -> bool {
        let pts = polyline(self.rects[from], bends, self.rects[to]);
        (0..pts.len() - 1).any(|i| self.piece_blocked(&pts, (i, i + 1), ends))
    }
}

/// The cards at a link's two ends, each with the cards overlapping it.
type Ends = (Vec<usize>, Vec<usize>);

fn centre(r: Rect) -> Point {
    [f32::midpoint(r[0], r[2]), f32::midpoint(r[1], r[3])]
}

fn polyline(from: Rect, bends: &[Point], to: Rect) -> Vec<Point> {
    let mut pts = Vec::with_capacity(bends.len() + 2);
    pts.push(centre(from));
    pts.extend_from_slice(bends);
    pts.push(centre(to));
    pts
}

/// Whether segment `a`–`b` passes through the inside of `r` grown by `pad` (Liang–Barsky clipping;
/// a segment along an edge or through a corner does not count).
#[must_use]
pub fn segment_meets(a: Point, b: Point, r: Rect, pad: f32) -> bool {
    let (x0, y0, x1, y1) = (r[0] - pad, r[1] - pad, r[2] + pad, r[3] + pad);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [(-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])] {
        if p == 0.0 {
            if q <= 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 >= t1 {
                return false;
            }
        }
    }
    (t1 - t0) * dx.hypot(dy) > 1e-3
}

/// A link to route: the cards at its ends (indices into the rectangles) and a route to keep if it
/// is clear, or to follow where it can (the layout's bends; empty for none).
pub struct Link<'a> {
    pub from: usize,
    pub to: usize,
    pub hint: &'a [Point],
}

/// Bands of cards whose extents across overlap, in order, with the free gaps along each.
struct Bands {
    /// (start, end) across: top and bottom of each band.
    span: Vec<(f32, f32)>,
    /// Each band's free stretches along (between its cards, and beyond the outermost ones).
    gaps: Vec<Vec<(f32, f32)>>,
    /// The band of each card.
    band_of: Vec<usize>,
}

impl Bands {
    /// Bands of `rects` read as rows (`across` = 1: along x, across y) or columns (`across` = 0).
    fn new(rects: &[Rect], across: usize) -> Bands {
        let along = 1 - across;
        let mut order: Vec<usize> = (0..rects.len()).collect();
        order.sort_by(|&a, &b| rects[a][across].total_cmp(&rects[b][across]));
        let mut span: Vec<(f32, f32)> = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut band_of = vec![0; rects.len()];
        for i in order {
            let (lo, hi) = (rects[i][across], rects[i][across + 2]);
            match span.last_mut() {
                Some(s) if lo < s.1 + CLEARANCE => s.1 = s.1.max(hi),
                _ => {
                    span.push((lo, hi));
                    members.push(Vec::new());
                }
            }
            band_of[i] = span.len() - 1;
            if let Some(m) = members.last_mut() {
                m.push(i);
            }
        }
        let gaps = members
            .iter()
            .map(|m| {
                let mut taken: Vec<(f32, f32)> =
                    m.iter().map(|&i| (rects[i][along] - CLEARANCE, rects[i][along + 2] + CLEARANCE)).collect();
                taken.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut free = Vec::with_capacity(taken.len() + 1);
                let mut edge = f32::NEG_INFINITY;
                for (lo, hi) in taken {
                    if lo - edge >= MIN_GAP {
                        free.push((edge, lo));
                    }
                    edge = edge.max(hi);
                }
                free.push((edge, f32::INFINITY));
                free
            })
            .collect();
        Bands { span, gaps, band_of }
    }

    /// The free gap of `band` nearest `x`: its index and its distance.
    fn nearest_gap(&self, band: usize, x: f32) -> usize {
        let gaps = &self.gaps[band];
        // The first gap ending at or after x, and the one before it.
        let i = gaps.partition_point(|g| g.1 < x);
        let dist = |g: (f32, f32)| {
            if x < g.0 {
                g.0 - x
            } else if x > g.1 {
                x - g.1
            } else {
                0.0
            }
        };
        match (i.checked_sub(1), gaps.get(i)) {
            (Some(j), Some(&g)) if dist(gaps[j]) < dist(g) => j,
            (_, Some(_)) => i,
            (Some(j), None) => j,
            (None, None) => 0,
        }
    }
}

/// Where along a polyline (`pts`, not empty) the line is when it is at `y` across (`across` is the
/// coordinate index): the first crossing, or the nearest end.
fn along_at(pts: &[Point], across: usize, y: f32) -> f32 {
    let along = 1 - across;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (lo, hi) = (a[across].min(b[across]), a[across].max(b[across]));
        if lo <= y && y <= hi {
            if hi - lo < 1e-6 {
                return a[along];
            }
            let t = (y - a[across]) / (b[across] - a[across]);
            return a[along] + (b[along] - a[along]) * t;
        }
    }
    let first = pts[0];
    let last = pts[pts.len() - 1];
    if (first[across] - y).abs() < (last[across] - y).abs() { first[along] } else { last[along] }
}

/// One link's way through the bands: for each band it crosses, which gap and where it would like
/// to cross it.
struct Passage {
    link: usize,
    /// (band, gap, wanted place along).
    steps: Vec<(usize, usize, f32)>,
    /// For links within one band: the channel to run along (across) and on which side.
    detour: Option<f32>,
}

/// The links crossing one gap: where each wants to cross it, its passage and its step.
type Users = Vec<(f32, usize, usize)>;

/// Routes every link through the bands of `rects` (rows when `across` is 1, columns when 0).
/// Returns bends (in order from `from` to `to`) for every link it was asked about.
fn band_routes(rects: &[Rect], bands: &Bands, links: &[Link<'_>], which: &[usize], across: usize) -> Vec<Vec<Point>> {
    let along = 1 - across;
    let mut passages: Vec<Passage> = Vec::with_capacity(which.len());
    for &li in which {
        let l = &links[li];
        let (ba, bb) = (bands.band_of[l.from], bands.band_of[l.to]);
        let guide = polyline(rects[l.from], l.hint, rects[l.to]);
        if ba == bb {
            // Along the channel on the side facing most of the way: above unless it is the top band.
            let (lo, hi) = bands.span[ba];
            let above = if ba == 0 { lo - 24.0 } else { f32::midpoint(bands.span[ba - 1].1, lo).max(lo - 24.0) };
            let below = if ba + 1 == bands.span.len() {
                hi + 24.0
            } else {
                f32::midpoint(hi, bands.span[ba + 1].0).min(hi + 24.0)
            };
            let detour = if ba == 0 && bands.span.len() > 1 { below } else { above };
            passages.push(Passage { link: li, steps: Vec::new(), detour: Some(detour) });
            continue;
        }
        let bands_between: Vec<usize> = if ba < bb { (ba + 1..bb).collect() } else { (bb + 1..ba).rev().collect() };
        let steps = bands_between
            .into_iter()
            .map(|k| {
                let mid = f32::midpoint(bands.span[k].0, bands.span[k].1);
                let want = along_at(&guide, across, mid);
                (k, bands.nearest_gap(k, want), want)
            })
            .collect();
        passages.push(Passage { link: li, steps, detour: None });
    }
    // Links sharing a gap are spread across it, in the order they would cross it.
    // For each (band, gap): where each link wants to cross it, the link's passage and step.
    let mut users: HashMap<(usize, usize), Users> = HashMap::new();
    for (pi, p) in passages.iter().enumerate() {
        for (si, &(k, g, want)) in p.steps.iter().enumerate() {
            users.entry((k, g)).or_default().push((want, pi, si));
        }
    }
    let mut place: Vec<Vec<f32>> = passages.iter().map(|p| vec![0.0; p.steps.len()]).collect();
    for ((k, g), mut list) in users {
        let (lo, hi) = bands.gaps[k][g];
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let n = list.len();
        // Unbounded gaps (beyond the band's ends) take what they need.
        let lo = if lo.is_finite() { lo } else { hi.min(list[0].0) - GAP_MARGIN * (n as f32 + 1.0) };
        let hi = if hi.is_finite() { hi } else { lo.max(list[n - 1].0) + GAP_MARGIN * (n as f32 + 1.0) };
        let margin = GAP_MARGIN.min((hi - lo) / 2.0);
        let (a, b) = (lo + margin, hi - margin);
        for (j, &(want, pi, si)) in list.iter().enumerate() {
            place[pi][si] = if n == 1 {
                want.clamp(a, b.max(a))
            } else {
                let even = a + (b - a) * (j as f32 + 0.5) / n as f32;
                // Keep close to where the link wants to be when the gap is roomy.
                let slot = (b - a) / n as f32;
                want.clamp(even - slot * 0.5, even + slot * 0.5)
            };
        }
    }
    let point = |along_v: f32, across_v: f32| {
        let mut p = [0.0; 2];
        p[along] = along_v;
        p[across] = across_v;
        p
    };
    passages
        .iter()
        .zip(place)
        .map(|(p, xs)| {
            let l = &links[p.link];
            let (ca, cb) = (centre(rects[l.from]), centre(rects[l.to]));
            let mut bends = Vec::with_capacity(2 * p.steps.len() + 2);
            if let Some(y) = p.detour {
                bends.push(point(ca[along], y));
                bends.push(point(cb[along], y));
                return bends;
            }
            let down = bands.band_of[l.from] < bands.band_of[l.to];
            let (ba, bb) = (bands.band_of[l.from], bands.band_of[l.to]);
            // Leave the first band straight across it, then each band through its gap.
            // Bends stand a little outside the bands, so the slanting runs between them keep
            // clear of the cards at the bands' edges.
            let edge = 2.0 * CLEARANCE;
            let leave = if down { bands.span[ba].1 + edge } else { bands.span[ba].0 - edge };
            bends.push(point(ca[along], leave));
            for (&(k, _, _), &x) in p.steps.iter().zip(&xs) {
                let (lo, hi) = (bands.span[k].0 - edge, bands.span[k].1 + edge);
                let (first, second) = if down { (lo, hi) } else { (hi, lo) };
                bends.push(point(x, first));
                bends.push(point(x, second));
            }
            let arrive = if down { bands.span[bb].0 - edge } else { bands.span[bb].1 + edge };
            bends.push(point(cb[along], arrive));
            bends
        })
        .collect()
}

/// Drops bends the line does not need: from each point, straight on past every later point it
/// can reach without meeting a card (looking ahead one point at a time, so short pieces are tried
/// first and a long link costs a few look-ups per bend).
/// Also says whether the result is clear of every card.
fn simplify(obstacles: &Obstacles<'_>, ends: &Ends, from: usize, to: usize, bends: &[Point]) -> (Vec<Point>, bool) {
    let pts = polyline(obstacles.rects[from], bends, obstacles.rects[to]);
    let n = pts.len();
    let mut out = Vec::new();
    let mut clear = true;
    let mut i = 0;
    while i + 1 < n {
        let mut j = i + 1;
        if obstacles.piece_blocked(&pts, (i, j), ends) {
            clear = false;
        } else {
            while j + 1 < n && !obstacles.piece_blocked(&pts, (i, j + 1), ends) {
                j += 1;
            }
        }
        if j < n - 1 {
            out.push(pts[j]);
        }
        i = j;
    }
    (out, clear)
}

/// The shortest way from card `from` to card `to` round the corners of the cards in the way
/// (A* over the corners of the cards near the two, grown by twice the clearance), or `None`.
fn around(obstacles: &Obstacles<'_>, ends: &Ends, from: usize, to: usize) -> Option<Vec<Point>> {
    let rects = obstacles.rects;
    let (a, b) = (centre(rects[from]), centre(rects[to]));
    let mut reach = 400.0f32;
    for _ in 0..4 {
        let window = [a[0].min(b[0]) - reach, a[1].min(b[1]) - reach, a[0].max(b[0]) + reach, a[1].max(b[1]) + reach];
        let near: Vec<usize> = (0..rects.len())
            .filter(|&i| {
                let r = rects[i];
                r[2] >= window[0] && r[0] <= window[2] && r[3] >= window[1] && r[1] <= window[3]
            })
            .collect();
        if near.len() > MAX_AROUND {
            return None;
        }
        let pad = 2.0 * CLEARANCE;
        let mut pts = vec![a, b];
        for &i in &near {
            let r = rects[i];
            for p in
                [[r[0] - pad, r[1] - pad], [r[2] + pad, r[1] - pad], [r[0] - pad, r[3] + pad], [r[2] + pad, r[3] + pad]]
            {
                if !near.iter().any(|&j| inside(p, rects[j], CLEARANCE)) {
                    pts.push(p);
                }
            }
        }
        if let Some(path) = astar(obstacles, &pts, ends) {
            return Some(path);
        }
        reach *= 3.0;
    }
    None
}

fn inside(p: Point, r: Rect, pad: f32) -> bool {
    p[0] > r[0] - pad && p[0] < r[2] + pad && p[1] > r[1] - pad && p[1] < r[3] + pad
}

/// A* over `pts` (start 0, goal 1), an edge wherever the segment is clear.
fn astar(obstacles: &Obstacles<'_>, pts: &[Point], ends: &Ends) -> Option<Vec<Point>> {
    #[derive(PartialEq)]
    struct Open(f32, usize);
    impl Eq for Open {}
    impl PartialOrd for Open {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Open {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
        }
    }
    let dist = |i: usize, j: usize| (pts[i][0] - pts[j][0]).hypot(pts[i][1] - pts[j][1]);
    let n = pts.len();
    let mut best = vec![f32::INFINITY; n];
    let mut prev = vec![usize::MAX; n];
    let mut done = vec![false; n];
    let mut open = BinaryHeap::new();
    best[0] = 0.0;
    open.push(Open(dist(0, 1), 0));
    while let Some(Open(_, u)) = open.pop() {
        if done[u] {
            continue;
        }
        done[u] = true;
        if u == 1 {
            let mut path = Vec::new();
            let mut v = prev[1];
            while v != 0 && v != usize::MAX {
                path.push(pts[v]);
                v = prev[v];
            }
            path.reverse();
            return Some(path);
        }
        for v in 1..n {
            if done[v] {
                continue;
            }
            let g = best[u] + dist(u, v);
            if g >= best[v] {
                continue;
            }
            let skip: &[usize] = if u == 0 { &ends.0 } else { &[] };
            let also: &[usize] = if v == 1 { &ends.1 } else { &[] };
            if obstacles.blocked(pts[u], pts[v], (skip, also), CLEARANCE) {
                continue;
            }
            best[v] = g;
            prev[v] = u;
            open.push(Open(g + dist(v, 1), v));
        }
    }
    None
}

/// Bends for each link (from `from` towards `to`): its hint when that is clear, nothing when the
/// straight line is clear, else a route round the cards in the way. A link whose ends overlap, or
/// for which no clear way is found, keeps its hint (or the straight line).
#[must_use]
pub fn routes(rects: &[Rect], links: &[Link<'_>]) -> Vec<Vec<Point>> {
    let obstacles = Obstacles::new(rects);
    let mut out: Vec<Vec<Point>> = links.iter().map(|l| l.hint.to_vec()).collect();
    let mut todo: Vec<usize> = Vec::new();
    let mut ends: HashMap<usize, Ends> = HashMap::new();
    for (i, l) in links.iter().enumerate() {
        if l.from >= rects.len() || l.to >= rects.len() || l.from == l.to {
            continue;
        }
        let e = (obstacles.end(l.from), obstacles.end(l.to));
        if !l.hint.is_empty() && !obstacles.path_blocked_with(&e, l.from, l.to, l.hint) {
            continue;
        }
        if !obstacles.path_blocked_with(&e, l.from, l.to, &[]) {
            out[i].clear();
            continue;
        }
        ends.insert(i, e);
        todo.push(i);
    }
    let debug = std::env::var_os("MB_LAYOUT_DEBUG").is_some();
    let t0 = std::time::Instant::now();
    if debug {
        eprintln!("routes: {} of {} links need routing", todo.len(), links.len());
    }
    if todo.is_empty() {
        return out;
    }
    // Rows first (a top-down map), then columns (a left-to-right one), then round the corners.
    for across in [1, 0] {
        if todo.is_empty() {
            break;
        }
        let bands = Bands::new(rects, across);
        let found = band_routes(rects, &bands, links, &todo, across);
        if debug {
            eprintln!("routes: bands across {across} found by {:.3} s", t0.elapsed().as_secs_f64());
        }
        let mut left = Vec::new();
        for (&i, bends) in todo.iter().zip(found) {
            let (l, e) = (&links[i], &ends[&i]);
            let (bends, clear) = simplify(&obstacles, e, l.from, l.to, &bends);
            if clear {
                out[i] = bends;
            } else {
                left.push(i);
            }
        }
        todo = left;
        if debug {
            eprintln!("routes: {} left after bands across {across}, {:.3} s", todo.len(), t0.elapsed().as_secs_f64());
        }
    }
    for i in todo {
        let (l, e) = (&links[i], &ends[&i]);
        if let Some(bends) = around(&obstacles, e, l.from, l.to) {
            out[i] = simplify(&obstacles, e, l.from, l.to, &bends).0;
        }
    }
    out
}

/// How many of `links` are drawn (from card centre through their bends to card centre) through a
/// card they do not join.
#[must_use]
pub fn links_through_cards(rects: &[Rect], links: &[(usize, usize, Vec<Point>)]) -> usize {
    let obstacles = Obstacles::new(rects);
    links.iter().filter(|(a, b, bends)| obstacles.path_blocked(*a, *b, bends)).count()
}

/// The bends every link of `map` is drawn with (links drawn straight are left out), among the
/// cards `cards` picks (all when `None`): the stored route when it passes clear of other cards,
/// else a new one (see [`routes`]).
#[must_use]
pub fn drawn_routes(
    map: &crate::model::MissionMap,
    cards: Option<&std::collections::BTreeSet<crate::model::NodeId>>,
) -> HashMap<crate::model::LinkId, Vec<Point>> {
    routes_of(map, |n, p| cards.is_none_or(|c| c.contains(&n.id)).then_some(p), |id| map.route(id).unwrap_or_default())
        .into_iter()
        .collect()
}

/// [`routes`] for the links of `map` among its cards where `place` puts them (`None` leaves a
/// card out), each link keeping `hint`'s bends when they are clear; links drawn straight are left
/// out.
pub fn routes_of<'a>(
    map: &'a crate::model::MissionMap,
    place: impl Fn(&crate::model::Node, crate::model::Placement) -> Option<crate::model::Placement>,
    hint: impl Fn(&crate::model::LinkId) -> &'a [Point],
) -> Vec<(crate::model::LinkId, Vec<Point>)> {
    let mut index: HashMap<&crate::model::NodeId, usize> = HashMap::new();
    let mut rects = Vec::with_capacity(map.node_count());
    for (n, p) in map.nodes_with_placement() {
        let Some(p) = place(n, p) else { continue };
        let (w, h) = n.card_size();
        index.insert(&n.id, rects.len());
        rects.push([p.x - w / 2.0, p.y - h / 2.0, p.x + w / 2.0, p.y + h / 2.0]);
    }
    let mut ids = Vec::new();
    let mut links = Vec::new();
    for l in map.sorted_links() {
        let (Some(&from), Some(&to)) = (index.get(&l.from), index.get(&l.to)) else { continue };
        ids.push(l.id.clone());
        links.push(Link { from, to, hint: hint(&l.id) });
    }
    ids.into_iter().zip(routes(&rects, &links)).filter(|(_, r)| !r.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(x: f32, y: f32) -> Rect {
        [x - 100.0, y - 40.0, x + 100.0, y + 40.0]
    }

    #[test]
    fn a_link_past_a_card_in_its_way_goes_round_it() {
        // Three rows; the middle card stands right between the two ends.
        let rects = vec![card(0.0, 0.0), card(0.0, 200.0), card(0.0, 400.0), card(240.0, 200.0)];
        let links = [Link { from: 0, to: 2, hint: &[] }, Link { from: 0, to: 1, hint: &[] }];
        assert_eq!(links_through_cards(&rects, &[(0, 2, Vec::new())]), 1);
        let r = routes(&rects, &links);
        assert!(!r[0].is_empty(), "the long link needs bends");
        assert!(r[1].is_empty(), "a clear link stays straight");
        assert_eq!(links_through_cards(&rects, &[(0, 2, r[0].clone())]), 0, "{:?}", r[0]);
    }

    #[test]
    fn links_within_a_row_and_round_staggered_cards_are_clear() {
        // A row of five: the first to the last passes the three between.
        let rects: Vec<Rect> = (0..5).map(|i| card(i as f32 * 240.0, 0.0)).collect();
        let r = routes(&rects, &[Link { from: 0, to: 4, hint: &[] }]);
        assert_eq!(links_through_cards(&rects, &[(0, 4, r[0].clone())]), 0, "{:?}", r[0]);
        // Cards at staggered heights, as placed by hand: no clean rows.
        let rects = vec![card(0.0, 0.0), card(30.0, 60.0), card(60.0, 120.0), card(0.0, 300.0), card(-20.0, 180.0)];
        let r = routes(&rects, &[Link { from: 0, to: 3, hint: &[] }]);
        assert_eq!(links_through_cards(&rects, &[(0, 3, r[0].clone())]), 0, "{:?}", r[0]);
    }

    #[test]
    fn links_sharing_a_gap_are_spread_across_it() {
        // Two links from the top row to the bottom one through a middle row with one wide gap.
        let rects = vec![
            card(0.0, 0.0),
            card(240.0, 0.0),
            card(-300.0, 200.0),
            card(500.0, 200.0),
            card(0.0, 400.0),
            card(240.0, 400.0),
        ];
        let links = [Link { from: 0, to: 5, hint: &[] }, Link { from: 1, to: 4, hint: &[] }];
        let r = routes(&rects, &links);
        let both: Vec<(usize, usize, Vec<Point>)> = vec![(0, 5, r[0].clone()), (1, 4, r[1].clone())];
        assert_eq!(links_through_cards(&rects, &both), 0);
    }

    #[test]
    fn looking_segments_up_by_rows_finds_what_checking_every_card_finds() {
        // Rows of cards of mixed heights (some reaching into the next row, so rows merge), and
        // a few cards at staggered heights; segments of every length and slope.
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |m: f32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 10_000) as f32 / 10_000.0 * m
        };
        let mut rects = Vec::new();
        for row in 0..6 {
            let mut left = 0.0;
            for _ in 0..40 {
                let (w, h) = (200.0 + next(80.0), 80.0 + if next(1.0) < 0.1 { next(200.0) } else { 0.0 });
                let top = row as f32 * 200.0 + next(6.0);
                rects.push([left, top, left + w, top + h]);
                left += w + 10.0 + next(60.0);
            }
        }
        for _ in 0..30 {
            let (l, t) = (next(9_000.0), next(1_200.0));
            rects.push([l, t, l + 240.0, t + 80.0]);
        }
        let obstacles = Obstacles::new(&rects);
        let mut hits = 0;
        for k in 0..3_000 {
            let a = [next(10_000.0) - 200.0, next(1_500.0) - 100.0];
            let b = if k % 3 == 0 {
                [a[0] + next(400.0) - 200.0, a[1] + next(400.0) - 200.0]
            } else if k % 3 == 1 {
                [next(10_000.0), a[1]]
            } else {
                [next(10_000.0), next(1_500.0)]
            };
            let pad = if k % 2 == 0 { CLEARANCE } else { 0.0 };
            let skip = [k % rects.len()];
            let every = (0..rects.len()).any(|i| i != skip[0] && segment_meets(a, b, rects[i], pad));
            let found = obstacles.first_hit(a, b, (&skip, &[]), pad);
            assert_eq!(found.is_some(), every, "segment {a:?}–{b:?}, pad {pad}");
            if let Some(i) = found {
                assert!(i != skip[0] && segment_meets(a, b, rects[i], pad));
                hits += 1;
            }
        }
        assert!(hits > 300 && hits < 2_700, "{hits} of 3,000 segments meet a card: the test proves little");
    }
}
