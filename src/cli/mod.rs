//! The headless command line. Names and exit codes are fixed; scripts depend on them:
//! 0 fine, 1 findings (`check` only), 2 cannot do it (bad input, bad usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::export::Format as ExportFormat;
use crate::io;
use crate::model::MissionMap;
use crate::model::analysis::Severity;

mod copies;
mod grants;
mod money;
mod progress;
mod serve;
pub mod sync;

/// Missionboard: theory-of-change maps for mission boards, offline.
#[derive(Parser, Debug)]
#[command(name = "missionboard", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// A mission map to open in the editor (`*.mission.ron`). Without one, the UK missions sample opens.
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read a map and run every check on it (mission criteria, causal chain, delivery risk).
    /// Exit 0 when no error-level finding, 1 when any, 2 when the file cannot be read.
    Check {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Count cards by kind and links by kind.
    Stats {
        /// The mission map to read (`*.mission.ron`).
        file: PathBuf,
    },
    /// Write the portfolio of each mission (interventions, instruments, stages, budget shares,
    /// departments, partner sectors, spill-overs, heat maps, findings) as Markdown (.md) or CSV (.csv).
    Report {
        file: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Build a map from spreadsheet files `nodes.csv` and `links.csv`, or from one Excel workbook
    /// (`MAP.xlsx`) with sheets `nodes` and `links`.
    Import {
        /// `nodes.csv`, or a workbook `MAP.xlsx`.
        nodes: PathBuf,
        /// `links.csv` (not with a workbook).
        links: Option<PathBuf>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Write a map's cards and links as two spreadsheet files.
    ExportCsv {
        /// The mission map to read (`*.mission.ron`).
        file: PathBuf,
        /// Where to write the cards, one row each (e.g. `nodes.csv`).
        nodes: PathBuf,
        /// Where to write the links, one row each (e.g. `links.csv`).
        links: PathBuf,
    },
    /// Export a map; the format follows the output's extension (.png, .svg, .pdf, .mmd, .dot, .json, or
    /// .xlsx for an Excel workbook of the cards and links).
    Export {
        file: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Pixels per map unit for PNG, 1 to 4.
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// Only this mission and everything that serves it.
        #[arg(long)]
        mission: Option<String>,
        #[arg(long, value_enum, default_value_t = Theme::Light)]
        theme: Theme,
        /// PDF paper: natural (the drawing's size), a4 (or a4-portrait), a4-landscape, a3 (or a3-portrait), a3-landscape.
        #[arg(long, default_value = "natural")]
        page: String,
        /// No background (PNG and SVG).
        #[arg(long)]
        transparent: bool,
        /// Leave out the title block and the legend.
        #[arg(long)]
        bare: bool,
        /// On paper, keep the map as drawn (shrunk to fit) instead of laying it out for the page.
        #[arg(long)]
        as_drawn: bool,
        /// PDF on paper: the overview, then a page for each mission and the cards that serve it.
        #[arg(long)]
        per_mission: bool,
    },
    /// Lay a map out (missions at the top, partners at the bottom) and save it.
    Layout {
        file: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Print cards, links, seconds and edge crossings (straight lines between card centres).
        #[arg(long)]
        stats: bool,
        /// Do not wrap wide layers into rows (one row per layer, as Graphviz draws it); the same as `--target wide`.
        #[arg(long)]
        no_wrap: bool,
        /// The shape to fill: screen (16:9), wide (one row per band), a4-landscape, a4-portrait, a3-landscape, a3-portrait.
        #[arg(long, default_value = "screen")]
        target: String,
        /// Denser: smaller gaps, and interventions in one band.
        #[arg(long)]
        compact: bool,
        /// Keep each mission's sub-missions, interventions and partners together.
        #[arg(long)]
        by_mission: bool,
        /// One band per kind on large maps too (above 300 cards the cards otherwise take the rows
        /// that keep their links shortest, as Graphviz does, which crosses fewer links).
        #[arg(long)]
        bands: bool,
        /// Read left to right (partners on the left, missions on the right) instead of top down.
        #[arg(long)]
        left_right: bool,
    },
    /// Compare two maps card by card and field by field. Exit 0 when they are the same, 1 when they
    /// differ, 2 when one cannot be read.
    Diff {
        /// The older map.
        old: PathBuf,
        /// The newer map.
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Merge two edited copies of one map (three-way, by card id and list item id, field by field)
    /// and write the result: `merge BASE OURS THEIRS -o OUT`, or `merge OURS THEIRS -o OUT` for copies
    /// made by `handout` (the base is found beside them). Conflicts keep OURS, are listed, and are
    /// recorded in the file written, so `check` fails until someone settles them. Exit 0 when none,
    /// 1 when any, 2 on bad input. As a git merge driver:
    /// `missionboard merge %O %A %B -o %A --name %P`.
    Merge {
        /// BASE OURS THEIRS, or OURS THEIRS for handed-out copies. BASE: the version both copies were
        /// made from; OURS wins conflicts in the file written.
        #[arg(num_args = 2..=3, required = true, value_name = "FILES")]
        files: Vec<PathBuf>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// The map's name in messages (git passes its real path as %P; the files it gives are
        /// temporary).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Settle the conflicts a merge recorded in a map: keep ours (the map as written) or take
    /// theirs, for every conflict or the numbered ones (as `check` lists them, from 1). Writes the
    /// file in place. Exit 0 when none is left, 1 when some are, 2 on bad input.
    Resolve {
        file: PathBuf,
        #[arg(long, value_enum)]
        keep: Keep,
        /// Which conflicts (1, 2, …); all when not given.
        #[arg(long = "conflict", value_delimiter = ',')]
        conflicts: Vec<usize>,
    },
    /// Hand out copies of a map (breakout groups, departments): writes the map as handed out and one
    /// copy per name into a folder; each copy remembers where it came from, so merging it back
    /// (File > Merge a copy…, or `merge`) needs no base to be named.
    Handout {
        file: PathBuf,
        /// The copies' names, comma-separated ("Group 1,Group 2"); or use --copies.
        #[arg(long, value_delimiter = ',')]
        names: Vec<String>,
        /// How many copies, named Group 1, Group 2, …
        #[arg(long)]
        copies: Option<usize>,
        /// The folder to write them in (default: "<map> copies" beside the map).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Add indicator readings from a spreadsheet (`card,indicator,date,value`, optionally
    /// `note,source`; `indicator` is the indicator's name, or `target` for a mission's target) and
    /// write the map. Every bad row is reported with its line; then nothing is written (exit 2).
    Readings {
        file: PathBuf,
        readings: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Write the board pack for a meeting: an A4 PDF with a cover and contents, the overview with
    /// the open actions, and a page per mission (its map, indicators, top risks, changes since a
    /// session, decisions).
    Pack {
        file: PathBuf,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Report what changed since this session snapshot (by name).
        #[arg(long)]
        since: Option<String>,
        /// The meeting's date (YYYY-MM-DD) for the statuses; default today.
        #[arg(long)]
        on: Option<String>,
    },
    /// Host a workshop room without a window: phones on the same network open the address shown,
    /// type the join code, and send ideas (to the parking lot) and dots (in the --round). The map
    /// is saved as they arrive and once more on Ctrl+C. With `sync`, one of the two commands that
    /// use the network: it listens only where --bind says, and only until it stops (see
    /// docs/room.md).
    Serve {
        /// The mission map to host (`*.mission.ron`); it is saved in place.
        file: PathBuf,
        /// Where to listen: 0.0.0.0:8150 (every network of this computer), an address of this
        /// computer with a port, or 127.0.0.1:8150 for a rehearsal on this computer alone.
        #[arg(long, default_value = "0.0.0.0:8150")]
        bind: String,
        /// The join code (at least 6 of the characters ABCDEFGHJKMNPQRSTUVWXYZ2345679); a new
        /// random one when not given.
        #[arg(long)]
        code: Option<String>,
        /// Open this voting round to the room (made if the map has none by this name).
        #[arg(long)]
        round: Option<String>,
        /// Dots each person has in a round made by --round.
        #[arg(long, default_value_t = 3)]
        votes_each: u32,
        /// Share the map live too: laptops with the code edit it at once (File > Join a live map…,
        /// or `missionboard sync`); their changes are saved to FILE as they arrive.
        #[arg(long)]
        live: bool,
    },
    /// Take part in a live map from the command line, like a pull and a push: join the map shared
    /// at ADDR, put FILE's own changes since its last sync into it, write the live map back to FILE,
    /// and leave. FILE.last-sync keeps the map as last synced. Opens a connection only to ADDR, and
    /// only until it is done (see docs/live.md).
    Sync {
        /// The mission map to sync (made if it does not exist).
        file: PathBuf,
        /// The room's address as the host's screen shows it (192.168.1.20:8150), or a relay's room
        /// (ws://relay.example:1234/ROOM).
        #[arg(long)]
        from: String,
        /// The room's join code (not needed for a relay).
        #[arg(long)]
        code: Option<String>,
        /// The name the others see.
        #[arg(long, default_value = "sync")]
        name: String,
    },
    /// Money per mission, per currency (never added together), by year and by status (planned,
    /// committed, spent), shared along contribution links; and the sub-missions no committed or
    /// spent money reaches (see docs/money.md). With --move, what a move of money would do to
    /// every mission's totals, before and after side by side; nothing is written. Exit 0.
    Money {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = MoneyFormat::Text)]
        format: MoneyFormat,
        /// Only this year: a financial year such as 2025-26 or a calendar year such as 2026.
        #[arg(long)]
        year: Option<String>,
        /// What if AMOUNT moved from one intervention (or year) to another: "25m:i12->i30",
        /// "1.5bn EUR:i1->i2", "300k:i12@2025-26->@2026-27" (amounts as 25m, 1.5bn, 300k or plain).
        #[arg(long = "move", value_name = "AMOUNT:FROM->TO")]
        move_money: Option<String>,
    },
    /// Add real grant data (the 360Giving Data Standard, as .csv, .xlsx or .json) as budget lines:
    /// each grant's programme goes to an intervention by --match (the preview says which), its
    /// recipient to a partner card by identifier or name (a new partner card otherwise), and it
    /// becomes a committed line in its award date's financial year. The preview is printed first;
    /// --dry-run writes nothing. Any bad row: every problem named, nothing written (exit 2).
    Grants {
        /// The mission map to add to (`*.mission.ron`); it is not changed (see -o).
        file: PathBuf,
        /// The grants: a 360Giving CSV, workbook (.xlsx) or JSON file.
        grants: PathBuf,
        /// Where to write the map with the grants added.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Show the preview only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// How a grant programme finds its intervention: the same title, or a tag with its title.
        #[arg(long = "match", value_enum, default_value_t = GrantRule::Title)]
        rule: GrantRule,
        /// A programme's intervention chosen by hand, overriding --match: "Warm Homes Fund=i7"; "=new"
        /// gives it a new intervention card, "=none" leaves it out.
        #[arg(long = "programme", value_name = "PROGRAMME=CARD")]
        programmes: Vec<String>,
    },
    /// Is each mission on track? Every indicator's last reading against its trajectory, and the
    /// status rolled up to sub-missions and missions: on track, at risk, off track, no data, and met
    /// or missed once the deadline has passed, with "stale" beside it when the last reading is
    /// overdue (see docs/progress.md). Exit 0.
    Progress {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Evaluate as of this date (YYYY-MM-DD); default today.
        #[arg(long)]
        on: Option<String>,
    },
}

/// The look of an exported picture (`--theme`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on light cards, for print and light slides.
    Light,
    /// Light text on a dark background, for dark slide templates.
    Dark,
    /// Black on white with deep colours and firmer outlines.
    HighContrast,
    /// High contrast with thick lines, for a projected slide.
    Projector,
}

impl Theme {
    fn style(self) -> crate::style::Theme {
        match self {
            Theme::Light => crate::style::Theme::Light,
            Theme::Dark => crate::style::Theme::Dark,
            Theme::HighContrast => crate::style::Theme::HighContrast,
            Theme::Projector => crate::style::Theme::Projector,
        }
    }
}

/// Which side a settled conflict keeps.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    Ours,
    Theirs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// How `grants` matches a grant programme to an intervention.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantRule {
    /// The intervention's title is the programme's title (case and spaces aside).
    Title,
    /// The intervention has a tag that is the programme's title.
    Tag,
}

/// The forms `money` writes: a spreadsheet's CSV as well.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoneyFormat {
    Text,
    Json,
    Csv,
}

/// Exit code: the command did what was asked.
pub const OK: u8 = 0;
/// Exit code: `check` found problems in the map.
pub const FINDINGS: u8 = 1;
/// Exit code: the command could not be done (unreadable input, bad usage, cannot write).
pub const FAILED: u8 = 2;

/// Runs one subcommand, printing results to stdout and problems to stderr.
#[must_use]
pub fn run(command: Command) -> ExitCode {
    let code = match command {
        Command::Check { file, format } => check(&file, format),
        Command::Stats { file } => stats(&file),
        Command::Diff { old, new, format } => copies::diff(&old, &new, format),
        Command::Merge { files, output, name, format } => copies::merge(&files, &output, name.as_deref(), format),
        Command::Resolve { file, keep, conflicts } => copies::resolve(&file, keep, &conflicts),
        Command::Handout { file, names, copies, output } => copies::handout(&file, names, copies, output),
        Command::Readings { file, readings, output } => progress::readings(&file, &readings, &output),
        Command::Money { file, format, year, move_money } => {
            money::money(&file, format, year.as_deref(), move_money.as_deref())
        }
        Command::Grants { file, grants, output, dry_run, rule, programmes } => grants::grants(&grants::GrantsArgs {
            file: &file,
            grants: &grants,
            output: &output,
            dry_run,
            rule,
            programmes: &programmes,
        }),
        Command::Progress { file, format, on } => progress::progress(&file, format, on.as_deref()),
        Command::Pack { file, output, since, on } => progress::pack(&file, &output, since, on.as_deref()),
        Command::Report { file, output } => report(&file, &output),
        Command::Serve { file, bind, code, round, votes_each, live } => {
            serve::serve(serve::ServeArgs { file: &file, bind: &bind, code, round, votes_each, live })
        }
        Command::Sync { file, from, code, name } => sync::sync(&file, &from, code.as_deref(), &name),
        Command::Import { nodes, links, output } => import(&nodes, links.as_deref(), &output),
        Command::ExportCsv { file, nodes, links } => export_csv(&file, &nodes, &links),
        Command::Export { file, output, scale, mission, theme, page, transparent, bare, as_drawn, per_mission } => {
            export(
                &file,
                &output,
                &ExportArgs { scale, mission, theme, page, transparent, bare, as_drawn, per_mission },
            )
        }
        Command::Layout { file, output, stats, no_wrap, target, compact, by_mission, bands, left_right } => {
            let Some(target) = crate::layout::Target::parse(&target) else {
                eprintln!(
                    "--target must be one of: {}",
                    crate::layout::Target::ALL.map(crate::layout::Target::name).join(", ")
                );
                return ExitCode::from(FAILED);
            };
            let target = if no_wrap { crate::layout::Target::Wide } else { target };
            let opts = crate::layout::Options {
                compact,
                by_mission,
                bands,
                direction: if left_right {
                    crate::layout::Direction::LeftRight
                } else {
                    crate::layout::Direction::TopDown
                },
                ..crate::layout::Options::default()
            };
            layout(&file, &output, stats, &target.options(opts))
        }
    };
    ExitCode::from(code)
}

/// Loads a map, or prints why not (each problem on its own line, prefixed with the file name).
fn load(path: &Path) -> Result<MissionMap, u8> {
    match io::load_path(path) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{}: note: {w}", path.display());
            }
            Ok(loaded.map)
        }
        Err(err) => {
            for p in err.problems() {
                eprintln!("{}: {p}", path.display());
            }
            Err(FAILED)
        }
    }
}

fn check(path: &Path, format: Format) -> u8 {
    let loaded = match io::load_path(path) {
        Ok(loaded) => loaded,
        Err(err) => {
            match format {
                Format::Text => {
                    for p in err.problems() {
                        eprintln!("{}: {p}", path.display());
                    }
                }
                Format::Json => {
                    let doc = serde_json::json!({
                        "file": path.display().to_string(),
                        "readable": false,
                        "problems": err.problems(),
                    });
                    println!("{doc:#}");
                }
            }
            return FAILED;
        }
    };
    let map = &loaded.map;
    let checked = crate::model::analysis::run_checks(map);
    let title = |id: &crate::model::NodeId| map.node(id).map_or_else(|| id.to_string(), |n| n.title.clone());
    match format {
        Format::Text => {
            for w in &loaded.warnings {
                println!("{}: note: {w}", path.display());
            }
            for f in &checked.open {
                println!("{}: {}: {}", path.display(), f.severity.label().to_lowercase(), f.message);
                println!("    what to do: {}", f.fix);
                println!(
                    "    cards: {}   [{}]",
                    f.cards.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                    f.key
                );
            }
            for (f, reason) in &checked.dismissed {
                println!("{}: dismissed: {} (reason: {reason})", path.display(), f.message);
            }
            println!(
                "{}: {} cards, {} links: {} errors, {} warnings, {} notes{}",
                path.display(),
                map.node_count(),
                map.link_count(),
                checked.count(Severity::Error),
                checked.count(Severity::Warning),
                checked.count(Severity::Info),
                if checked.dismissed.is_empty() {
                    String::new()
                } else {
                    format!(", {} dismissed", checked.dismissed.len())
                }
            );
        }
        Format::Json => {
            let finding = |f: &crate::model::analysis::Finding| {
                serde_json::json!({
                    "check": f.check.code(),
                    "group": f.check.group(),
                    "severity": f.severity,
                    "key": f.key,
                    "message": f.message,
                    "fix": f.fix,
                    "cards": f.cards.iter().map(|id| serde_json::json!({"id": id.to_string(), "title": title(id)})).collect::<Vec<_>>(),
                    "links": f.links.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })
            };
            let doc = serde_json::json!({
                "file": path.display().to_string(),
                "readable": true,
                "cards": map.node_count(),
                "links": map.link_count(),
                "notes": loaded.warnings,
                "findings": checked.open.iter().map(finding).collect::<Vec<_>>(),
                "dismissed": checked.dismissed.iter().map(|(f, r)| {
                    let mut v = finding(f);
                    v["reason"] = serde_json::Value::String(r.clone());
                    v
                }).collect::<Vec<_>>(),
            });
            println!("{doc:#}");
        }
    }
    if checked.has_errors() { FINDINGS } else { OK }
}

fn report(file: &Path, output: &Path) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let portfolio = crate::model::analysis::portfolio(&map);
    let ext = output.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let text = match ext.as_str() {
        "md" | "markdown" => {
            let checked = crate::model::analysis::run_checks(&map);
            crate::export::report::to_markdown(&map, &portfolio, &checked)
        }
        "csv" => {
            let rows: Vec<Vec<String>> =
                crate::export::report::to_csv_rows(&map, &portfolio).into_iter().map(Vec::from).collect();
            io::csv::write_table(&rows)
        }
        _ => {
            eprintln!(
                "cannot tell the report format from \"{}\": use a name ending in .md (Markdown) or .csv",
                output.display()
            );
            return FAILED;
        }
    };
    write_out(output, text.as_bytes(), "")
}

fn stats(path: &Path) -> u8 {
    let map = match load(path) {
        Ok(m) => m,
        Err(code) => return code,
    };
    println!("{}", map.meta.title);
    println!("cards: {}", map.node_count());
    for (kind, n) in map.count_by_kind() {
        println!("  {:<14} {n}", kind.slug());
    }
    println!("links: {}", map.link_count());
    for (kind, n) in map.count_by_link_kind() {
        println!("  {:<14} {n}", kind.slug());
    }
    OK
}

fn is_workbook(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

fn import(nodes: &Path, links: Option<&Path>, output: &Path) -> u8 {
    let read = match links {
        None if is_workbook(nodes) => io::xlsx::import_path(nodes),
        Some(links) => io::csv::import_paths(nodes, links),
        None => {
            eprintln!(
                "give the links file too (`import nodes.csv links.csv -o map.mission.ron`), or one Excel workbook (`import map.xlsx -o map.mission.ron`)"
            );
            return FAILED;
        }
    };
    match read {
        Ok(imported) => {
            for w in &imported.warnings {
                eprintln!("note: {w}");
            }
            let mut map = imported.map;
            if let Some(stem) = output.file_name().and_then(|n| n.to_str()) {
                let stem = stem.trim_end_matches(".ron").trim_end_matches(".mission");
                if !stem.is_empty() && map.meta.title == "Imported mission map" {
                    stem.clone_into(&mut map.meta.title);
                }
            }
            save_out(&map, output, &format!(" ({} cards, {} links)", map.node_count(), map.link_count()))
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            if errors.len() >= 50 {
                eprintln!("(stopped after {} problems; fix these and try again)", errors.len());
            }
            FAILED
        }
    }
}

fn export_csv(file: &Path, nodes: &Path, links: &Path) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    match io::csv::export_paths(&map, nodes, links) {
        Ok(None) => {
            println!("wrote {} and {}", nodes.display(), links.display());
            OK
        }
        Ok(Some(budget)) => {
            println!("wrote {}, {} and the budget lines to {}", nodes.display(), links.display(), budget.display());
            OK
        }
        Err(e) => {
            eprintln!("{e}");
            FAILED
        }
    }
}

/// Picture options of `export`.
pub struct ExportArgs {
    pub scale: f32,
    pub mission: Option<String>,
    pub theme: Theme,
    pub page: String,
    pub transparent: bool,
    pub bare: bool,
    /// On paper, keep the map as drawn instead of laying it out for the page.
    pub as_drawn: bool,
    /// PDF on paper: a page per mission after the overview.
    pub per_mission: bool,
}

/// The map's cards and links as an Excel workbook (sheets `nodes` and `links`).
fn export_workbook(file: &Path, output: &Path) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    match io::xlsx::export(&map) {
        Ok(bytes) => write_out(output, &bytes, &format!(" ({} cards, {} links)", map.node_count(), map.link_count())),
        Err(e) => {
            eprintln!("the workbook could not be made ({e})");
            FAILED
        }
    }
}

fn export(file: &Path, output: &Path, args: &ExportArgs) -> u8 {
    if is_workbook(output) {
        return export_workbook(file, output);
    }
    let Some(format) = ExportFormat::from_path(output) else {
        eprintln!(
            "cannot tell what to write from \"{}\": the output must end in one of {}, or .xlsx for an Excel workbook",
            output.display(),
            ExportFormat::extensions_text()
        );
        return FAILED;
    };
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let page = match crate::export::Page::parse(&args.page) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    let scope = match &args.mission {
        None => crate::export::Scope::All,
        Some(m) => match crate::model::NodeId::new(m.as_str()) {
            Ok(id) if map.node(&id).is_some_and(|n| n.kind() == crate::model::Kind::Mission) => {
                crate::export::Scope::Mission(id)
            }
            _ => {
                eprintln!(
                    "there is no mission with id \"{m}\" in {}; run `missionboard stats` or look in the file for mission ids",
                    file.display()
                );
                return FAILED;
            }
        },
    };
    if !(1.0..=4.0).contains(&args.scale) {
        eprintln!("--scale must be between 1 and 4");
        return FAILED;
    }
    let opts = crate::export::Options {
        scope,
        scale: args.scale,
        transparent: args.transparent,
        theme: args.theme.style(),
        title_block: !args.bare,
        legend: !args.bare,
        page,
        layout_for_page: !args.as_drawn,
        per_mission: args.per_mission,
    };
    let bytes = match format.write(&map, &opts) {
        Ok((bytes, note)) => {
            if let Some(n) = note {
                eprintln!("note: {n}");
            }
            bytes
        }
        Err(e) => {
            eprintln!("{e}");
            return FAILED;
        }
    };
    write_out(output, &bytes, "")
}

/// Saves `map` to `output` (atomically, in the map format) and says so ("wrote PATH" and `what`),
/// or says why not.
pub(crate) fn save_out(map: &MissionMap, output: &Path, what: &str) -> u8 {
    match io::save_path(map, output) {
        Ok(()) => {
            println!("wrote {}{what}", output.display());
            OK
        }
        Err(e) => {
            eprintln!("{e}");
            FAILED
        }
    }
}

/// Writes `bytes` to `output` atomically and says so ("wrote PATH" and `what`), or says why not.
pub(crate) fn write_out(output: &Path, bytes: &[u8], what: &str) -> u8 {
    match io::write_atomic(output, bytes) {
        Ok(()) => {
            println!("wrote {}{what}", output.display());
            OK
        }
        Err(e) => {
            eprintln!("{e}");
            FAILED
        }
    }
}

fn layout(file: &Path, output: &Path, stats: bool, opts: &crate::layout::Options) -> u8 {
    let map = match load(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let start = std::time::Instant::now();
    let result = crate::layout::layout(&map, opts);
    let mut doc = crate::command::Document::new(map);
    if let Err(e) = doc.apply("Lay out", crate::layout::command(doc.map(), &result)) {
        eprintln!("could not apply the layout: {e}");
        return FAILED;
    }
    let seconds = start.elapsed().as_secs_f64();
    let map = doc.map();
    if let Err(e) = io::save_path(map, output) {
        eprintln!("{e}");
        return FAILED;
    }
    if stats {
        let crossings = crate::layout::straight_crossings(map);
        let (w, h) = map.bounds().map_or((0.0, 0.0), |[x0, y0, x1, y1]| (x1 - x0, y1 - y0));
        println!("nodes: {}", map.node_count());
        println!("links: {}", map.link_count());
        println!("seconds: {seconds:.3}");
        println!("crossings: {crossings}");
        println!("layered_crossings: {}", result.layered_crossings);
        println!("size: {w:.0} x {h:.0}");
    } else {
        println!("wrote {}", output.display());
    }
    OK
}
