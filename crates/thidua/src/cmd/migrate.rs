//! `thidua migrate`: runs the database migrations and exits (they also run at every start).
use std::process::ExitCode;

use crate::output::sayln;
use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let new = args.store.would_create()?;
    let store = args.store.open_store()?;
    if new {
        args.store.say_created();
    }
    sayln!(
        "Cơ sở dữ liệu đã cập nhật / database is up to date ({}, {} events)",
        store.backend(),
        store.size()?
    )?;
    Ok(ExitCode::SUCCESS)
}
