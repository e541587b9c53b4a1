//! `missionboard [FILE]` opens the editor; `missionboard <command> …` runs headless.

use std::process::ExitCode;

use clap::Parser;
use missionboard::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => missionboard::app::run_native(args.file),
    }
}
