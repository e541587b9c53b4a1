//! `missionboard [FILE]` opens the editor; `missionboard <command> …` runs headless.

use std::process::ExitCode;

use clap::Parser;
use missionboard::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => {
            quiet_when_the_reader_stops();
            cli::run(command)
        }
        None => missionboard::app::run_native(args.file),
    }
}

/// `missionboard diff A B | head`: when the program reading the output stops early, printing fails
/// ("Broken pipe"). That is not an error of ours; the command stops quietly, as a shell tool does,
/// rather than with a crash report. Any other failure is reported as before.
fn quiet_when_the_reader_stops() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            // 141: how a shell reports a command stopped by its reader going away (SIGPIPE).
            std::process::exit(141);
        }
        report(info);
    }));
}
