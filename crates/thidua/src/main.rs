//! The `thidua` binary: parses the command line and dispatches to one module per command.
#![forbid(unsafe_code)]

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Thi Đua — giao ước thi đua giữa các đơn vị / emulation covenants between units.
#[derive(Parser)]
#[command(name = "thidua", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Chấm điểm ngoại tuyến theo quy định chấm điểm / Score offline with a regulation.
    Score(cmd::score::ScoreArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => cmd::score::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("lỗi / error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
