//! `thidua export-tiles DIR`: writes the log at its newest checkpoint as static files in the
//! C2SP tlog-tiles layout (checkpoint, hash tiles, entry bundles) for any plain web server.
use std::path::PathBuf;
use std::process::ExitCode;

use thidua_transparency::local::Stores;
use thidua_transparency::tiles::export_tiles;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct ExportTilesArgs {
    /// Thư mục đích / the directory to write (created if needed).
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Không xuất nội dung sự kiện / hash tiles and checkpoint only, no entry bundles (event
    /// contents are then not published; proofs still work).
    #[arg(long)]
    pub without_entries: bool,
}

pub fn run(args: ExportTilesArgs) -> anyhow::Result<ExitCode> {
    let stores = match &args.store.database {
        Some(url) => Stores::postgres(url)?,
        None => Stores::sqlite(&args.store.sqlite_path())?,
    };
    let out = export_tiles(
        &*stores.events,
        Some(&*stores.witnesses),
        &args.dir,
        !args.without_entries,
    )?;
    println!(
        "Đã xuất / exported size {}: {} hash tiles, {} entry bundles, {} bytes → {}",
        out.size,
        out.hash_tiles,
        out.entry_bundles,
        out.bytes,
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
