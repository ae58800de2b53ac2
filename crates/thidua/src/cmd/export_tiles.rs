//! `thidua export-tiles DIR`: writes the log at its newest checkpoint as static files in the
//! C2SP tlog-tiles layout (checkpoint, hash tiles, entry bundles) for any plain web server.
use std::path::PathBuf;
use std::process::ExitCode;

use thidua_transparency::tiles::{export_tiles, ExportOptions};

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct ExportTilesArgs {
    /// Thư mục đích / the directory to write (created if needed).
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Xuất cả nội dung sự kiện / also write the entry bundles: every event's contents (names,
    /// role grants, salts). Without it the export holds what the public may see: the checkpoint
    /// and hash tiles (proofs work; contents stay private).
    #[arg(long)]
    pub with_entries: bool,
    /// Ô lẻ của mọi điểm kiểm tra / write the partial tiles of every signed checkpoint (reads
    /// the whole checkpoint table); by default those of the newest and of every cosigned one.
    #[arg(long)]
    pub every_checkpoint: bool,
}

pub fn run(args: ExportTilesArgs) -> anyhow::Result<ExitCode> {
    // It exports an existing log: a mistyped --data creates nothing.
    let stores = args.store.open_existing_stores("")?;
    let out = export_tiles(
        &*stores.events,
        Some(&*stores.witnesses),
        &args.dir,
        ExportOptions {
            with_entries: args.with_entries,
            every_checkpoint: args.every_checkpoint,
        },
    )?;
    println!(
        "Đã xuất / exported size {} ({} checkpoint sizes): {} hash tiles, {} entry bundles, {} bytes → {}",
        out.size,
        out.checkpoint_sizes,
        out.hash_tiles,
        out.entry_bundles,
        out.bytes,
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
