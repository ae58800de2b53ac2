//! `thidua score`: offline recomputation of scores from a regulation and a data file.
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ScoreArgs {}

pub fn run(_args: ScoreArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not implemented yet")
}
