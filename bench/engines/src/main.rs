//! Measures yrs, automerge and loro on a Missionboard map (issue 26).
//!
//! ```text
//! missionboard export MAP.mission.ron -o map.json
//! cd bench/engines && cargo run --release -- ../../map.json [--runs 5] [--edits 21] [--enrich] [--routes]
//!     [--flat] [--history 10000] [--only yrs,automerge,loro]
//! ```
//!
//! Prints a Markdown table (medians) on stdout and progress on stderr.

mod alloc;
mod engines;
mod projection;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use engines::{Engine, Res};
use projection::{Entity, Projection, Val};

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

struct Options {
    path: String,
    runs: usize,
    edits: usize,
    enrich: bool,
    routes: bool,
    flat: bool,
    history: usize,
    only: Vec<String>,
}

fn options() -> Result<Options, String> {
    let usage = "usage: engines-bench MAP.json [--runs N] [--edits N] [--enrich] [--routes] [--flat] [--history N] [--only yrs,automerge,loro]";
    let mut args = std::env::args().skip(1);
    let mut o = Options {
        path: String::new(),
        runs: 5,
        edits: 21,
        enrich: false,
        routes: false,
        flat: false,
        history: 10_000,
        only: Vec::new(),
    };
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} needs a whole number above 0\n{usage}"))
        };
        match a.as_str() {
            "--runs" => o.runs = number("--runs")?,
            "--edits" => o.edits = number("--edits")?,
            "--enrich" => o.enrich = true,
            "--routes" => o.routes = true,
            "--flat" => o.flat = true,
            "--history" => o.history = number("--history")?,
            "--only" => {
                o.only = args.next().ok_or(usage)?.split(',').map(str::to_owned).collect();
            }
            "-h" | "--help" => return Err(usage.into()),
            _ if o.path.is_empty() && !a.starts_with('-') => o.path = a,
            _ => return Err(format!("unknown argument {a:?}\n{usage}")),
        }
    }
    if o.path.is_empty() {
        return Err(usage.into());
    }
    Ok(o)
}

/// A card's new place, as the layout in use stores it.
fn moved(o: &Options, x: f64, y: f64) -> Vec<(String, Val)> {
    if o.flat {
        vec![("position".into(), Val::Str(format!("[{x},{y}]")))]
    } else {
        vec![("x".into(), Val::Num(x)), ("y".into(), Val::Num(y))]
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// One engine's figures.
struct Row {
    name: &'static str,
    full_bytes: usize,
    build: Duration,
    build_live: usize,
    build_peak: usize,
    encode: Duration,
    encode_first: Duration,
    decode: Duration,
    read_all: Duration,
    join_live: usize,
    join_peak: usize,
    retitle_bytes: usize,
    retitle_apply: Duration,
    add_bytes: usize,
    add_apply: Duration,
    retitle_observed: Duration,
    add_observed: Duration,
    history_time: Duration,
    history_bytes: usize,
    history_live: usize,
    other: Vec<(String, usize)>,
}

fn new_card(p: &Projection, i: usize) -> (Entity, Vec<Entity>) {
    let id = format!("bench-c{i}");
    let card = Entity {
        id: id.clone(),
        fields: vec![
            ("title".into(), Val::Str(format!("Pilot a new intervention #{i}"))),
            ("kind".into(), Val::Str("intervention".into())),
            ("x".into(), Val::Num(100.0 * i as f64)),
            ("y".into(), Val::Num(800.0)),
        ],
    };
    let target = |k: usize| p.cards[(k * 7919) % p.cards.len()].id.clone();
    let link = |suffix: &str, from: String, to: String, kind: &str| Entity {
        id: format!("bench-l{i}{suffix}"),
        fields: vec![
            ("from".into(), Val::Str(from)),
            ("to".into(), Val::Str(to)),
            ("kind".into(), Val::Str(kind.into())),
        ],
    };
    let links =
        vec![link("a", id.clone(), target(i), "contributes-to"), link("b", target(i + 1), id.clone(), "delivers")];
    (card, links)
}

struct Edits {
    retitle: Duration,
    retitle_bytes: usize,
    add: Duration,
    add_bytes: usize,
}

/// `o.edits` remote edits of each kind made on `a` and applied on `b` (medians), after one untimed
/// edit of each kind so nothing is measured cold. With `observed`, applying includes the change
/// events the engine gives, and each edit must report at least one change.
fn remote_edits<E: Engine>(
    p: &Projection,
    o: &Options,
    a: &mut E::Doc,
    b: &mut E::Doc,
    first: usize,
    observed: bool,
) -> Res<Edits> {
    let (mut retitles, mut adds) = (Vec::new(), Vec::new());
    let (mut retitle_bytes, mut add_bytes) = (0, 0);
    let apply = |b: &mut E::Doc, update: &[u8]| -> Res<Duration> {
        let t = Instant::now();
        if observed {
            let changes = E::apply_observed(b, update)?;
            let took = t.elapsed();
            if changes == 0 {
                return Err(format!("{}: applying an update reported no change", E::NAME).into());
            }
            Ok(took)
        } else {
            E::apply(b, update)?;
            Ok(t.elapsed())
        }
    };
    for i in first..=first + o.edits {
        let card = &p.cards[(i * 4099) % p.cards.len()].id;
        let title = format!("Retitled in run {i}");
        let update = E::retitle(a, card, &title)?;
        let took = apply(b, &update)?;
        if E::title(b, card)?.as_deref() != Some(title.as_str()) {
            return Err(format!("{}: the retitle of {card} did not arrive", E::NAME).into());
        }
        if i > first {
            retitles.push(took);
            retitle_bytes = update.len();
        }

        let (new, links) = new_card(p, i);
        let update = E::add_card(a, &new, &links)?;
        let took = apply(b, &update)?;
        if E::title(b, &new.id)?.is_none() {
            return Err(format!("{}: the added card {} did not arrive", E::NAME, new.id).into());
        }
        if i > first {
            adds.push(took);
            add_bytes = update.len();
        }
    }
    Ok(Edits { retitle: median(retitles), retitle_bytes, add: median(adds), add_bytes })
}

fn measure<E: Engine>(p: &Projection, o: &Options) -> Res<Row> {
    eprintln!("{}: building the doc {} times", E::NAME, o.runs);
    let (mut builds, mut build_live, mut build_peak) = (Vec::new(), 0, 0);
    let mut a = None;
    for _ in 0..o.runs {
        drop(a.take()); // the previous run's doc goes before the next is measured
        let before = alloc::live();
        alloc::reset_peak();
        let t = Instant::now();
        let doc = E::build(p, 1)?;
        builds.push(t.elapsed());
        build_live = alloc::live().saturating_sub(before);
        build_peak = alloc::peak().saturating_sub(before);
        a = Some(doc);
    }
    let mut a = a.ok_or("no run")?;

    eprintln!("{}: a new peer receives the whole map {} times", E::NAME, o.runs);
    let (mut encodes, mut decodes, mut reads) = (Vec::new(), Vec::new(), Vec::new());
    let (mut full_bytes, mut join_live, mut join_peak) = (0, 0, 0);
    let mut b = None;
    for run in 0..o.runs {
        drop(b.take());
        // The map changed since the last peer joined, as it will have in a workshop: an engine
        // that caches its last export (loro does) pays for a fresh one, as it would there.
        E::set_fields(&mut a, &p.cards[run % p.cards.len()].id, &moved(o, 10.0, 20.0))?;
        let t = Instant::now();
        let bytes = E::encode_full(&mut a)?;
        encodes.push(t.elapsed());
        full_bytes = bytes.len();
        let before = alloc::live();
        alloc::reset_peak();
        let t = Instant::now();
        let mut doc = E::join(&bytes, 2)?;
        decodes.push(t.elapsed());
        let t = Instant::now();
        let n = E::read_all(&mut doc)?;
        reads.push(t.elapsed());
        join_live = alloc::live().saturating_sub(before);
        join_peak = alloc::peak().saturating_sub(before);
        if n != p.cards.len() {
            return Err(format!("{}: the new peer has {n} cards, not {}", E::NAME, p.cards.len()).into());
        }
        b = Some(doc);
    }
    let mut b = b.ok_or("no run")?;

    eprintln!("{}: {} remote edits of each kind, then as many again with change events", E::NAME, o.edits);
    let plain = remote_edits::<E>(p, o, &mut a, &mut b, 0, false)?;
    E::observe(&mut b)?;
    let observed = remote_edits::<E>(p, o, &mut a, &mut b, o.edits + 1, true)?;
    drop(b);

    // A day's work: every card dragged once (or --history drags), each in its own transaction.
    eprintln!("{}: {} moves, one transaction each", E::NAME, o.history);
    let before = alloc::live();
    let t = Instant::now();
    for i in 0..o.history {
        let card = &p.cards[i % p.cards.len()].id;
        E::set_fields(&mut a, card, &moved(o, i as f64, 1.0 + i as f64))?;
    }
    let history_time = t.elapsed();
    let history_live = build_live + alloc::live().saturating_sub(before);
    let history_bytes = E::encode_full(&mut a)?.len();
    let other = E::other_sizes(&mut a)?;
    Ok(Row {
        name: E::NAME,
        full_bytes,
        build: median(builds),
        build_live,
        build_peak,
        encode_first: encodes.first().copied().unwrap_or_default(),
        encode: median(encodes),
        decode: median(decodes),
        read_all: median(reads),
        join_live,
        join_peak,
        retitle_bytes: plain.retitle_bytes,
        retitle_apply: plain.retitle,
        add_bytes: plain.add_bytes,
        add_apply: plain.add,
        retitle_observed: observed.retitle,
        add_observed: observed.add,
        history_time,
        history_bytes,
        history_live,
        other,
    })
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 100.0 { format!("{ms:.0} ms") } else { format!("{ms:.1} ms") }
}

fn us(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 { format!("{:.1} ms", us / 1e3) } else { format!("{us:.0} µs") }
}

fn mb(b: usize) -> String {
    format!("{:.2} MB", b as f64 / 1e6)
}

/// Sizes on the wire, to the kilobyte.
fn kb(b: usize) -> String {
    if b < 10_000 { format!("{b} B") } else { format!("{} kB", (b + 500) / 1000) }
}

fn run() -> Res<()> {
    let o = options()?;
    let text = std::fs::read_to_string(&o.path).map_err(|e| {
        format!("could not read {}: {e}; make it with `missionboard export MAP.mission.ron -o map.json`", o.path)
    })?;
    let before = alloc::live();
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not JSON ({e}); make it with `missionboard export MAP -o map.json`", o.path))?;
    let json_live = alloc::live() - before;
    let before = alloc::live();
    let mut p = Projection::from_json(&json, o.routes)?;
    if o.enrich {
        p.enrich();
    }
    if o.flat {
        p.flatten();
    }
    let projection_live = alloc::live() - before;
    drop(json);
    if p.cards.is_empty() {
        return Err("the map has no cards".into());
    }
    let want = |name: &str| o.only.is_empty() || o.only.iter().any(|n| n == name);
    let mut rows = Vec::new();
    if want(engines::y::Yrs::NAME) {
        rows.push(measure::<engines::y::Yrs>(&p, &o)?);
    }
    if want(engines::am::Automerge::NAME) {
        rows.push(measure::<engines::am::Automerge>(&p, &o)?);
    }
    if want(engines::lo::Loro::NAME) {
        rows.push(measure::<engines::lo::Loro>(&p, &o)?);
    }

    println!(
        "Map: {} — {} cards, {} links, {} entries{}; JSON file {}, parsed JSON {} in memory, the projection's own structs {}.",
        o.path,
        p.cards.len(),
        p.links.len(),
        p.entries(),
        [(o.enrich, " --enrich"), (o.routes, " --routes"), (o.flat, " --flat")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, s)| *s)
            .collect::<String>()
            .replacen(' ', " (", 1)
            + if o.enrich || o.routes || o.flat { ")" } else { "" },
        mb(text.len()),
        mb(json_live),
        mb(projection_live),
    );
    println!(
        "Medians of {} runs (remote edits: {} runs). Memory: live heap bytes (counting allocator).\n",
        o.runs, o.edits
    );
    let header: Vec<&str> = rows.iter().map(|r| r.name).collect();
    println!("| | {} |", header.join(" | "));
    println!("|---|{}", "---:|".repeat(rows.len()));
    let line = |what: &str, f: &dyn Fn(&Row) -> String| {
        let cells: Vec<String> = rows.iter().map(f).collect();
        println!("| {what} | {} |", cells.join(" | "));
    };
    line("full state, encoded", &|r| kb(r.full_bytes));
    line("build the doc from the map", &|r| ms(r.build));
    line("new peer: encode full state", &|r| ms(r.encode));
    line("new peer: encode full state, first time after build", &|r| ms(r.encode_first));
    line("new peer: decode + apply into empty doc", &|r| ms(r.decode));
    line("**new peer has the map** (encode + apply)", &|r| ms(r.encode + r.decode));
    line("new peer: read every card and link out", &|r| ms(r.read_all));
    line("memory: doc holding the map (built)", &|r| mb(r.build_live));
    line("memory: peak while building", &|r| mb(r.build_peak));
    line("memory: new peer's doc after apply + read", &|r| mb(r.join_live));
    line("memory: peak while joining", &|r| mb(r.join_peak));
    line("remote retitle: update size", &|r| format!("{} B", r.retitle_bytes));
    line("remote retitle: apply", &|r| us(r.retitle_apply));
    line("remote card + 2 links: update size", &|r| format!("{} B", r.add_bytes));
    line("remote card + 2 links: apply", &|r| us(r.add_apply));
    line("remote retitle: apply + change events", &|r| us(r.retitle_observed));
    line("remote card + 2 links: apply + change events", &|r| us(r.add_observed));
    line(&format!("after {} moves (1 txn each): time to make them", o.history), &|r| ms(r.history_time));
    line(&format!("after {} moves: full state, encoded", o.history), &|r| kb(r.history_bytes));
    line(&format!("after {} moves: memory of the doc", o.history), &|r| mb(r.history_live));
    println!();
    for r in &rows {
        for (what, bytes) in &r.other {
            println!("- {}: {what}: {}", r.name, kb(*bytes));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
