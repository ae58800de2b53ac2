//! `thidua export-tiles DIR`: writes the log at its newest checkpoint as static files in the
//! C2SP tlog-tiles layout (checkpoint, hash tiles, entry bundles) for any plain web server.
//! The log is first checked as a server's start-up checks it (it is opened the same way, with
//! its signing key or only its public key, `--log-key`): a copy a server would refuse is never
//! published. DIR must be empty or an
//! earlier export of the same log (see `thidua_transparency::tiles`).
use std::path::PathBuf;
use std::process::ExitCode;

use thidua_transparency::tiles::{export_tiles, ExportOptions};

use crate::output::sayln;
use crate::storage::ReadStoreArgs;

#[derive(clap::Args)]
pub struct ExportTilesArgs {
    /// Thư mục đích (trống, hoặc bản xuất trước của cùng nhật ký) / the directory to write:
    /// created if needed; empty, or an earlier export of this log (what this export does not
    /// write is removed from it, the entry bundles when --with-entries is not given).
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: ReadStoreArgs,
    /// Xuất cả nội dung sự kiện / also write the entry bundles: every event's contents (names,
    /// role grants, salts). Without it the export holds what the public may see: the checkpoint
    /// and hash tiles (proofs work; contents stay private).
    #[arg(long)]
    pub with_entries: bool,
    /// Ô lẻ của mọi bản chốt sổ có chữ ký / write the partial tiles of every signed checkpoint (reads
    /// the whole checkpoint table); by default those of the newest and of every cosigned one.
    #[arg(long)]
    pub every_checkpoint: bool,
}

pub fn run(args: ExportTilesArgs) -> anyhow::Result<ExitCode> {
    // A DIR that is a file is said as such, before the log is opened (it was "database error:
    // DIR: Not a directory", after the whole log had been replayed).
    anyhow::ensure!(
        !args.dir.exists() || args.dir.is_dir(),
        "{dir} không phải thư mục: bản xuất là một thư mục (tạo mới nếu chưa có) / {dir} is not \
         a directory: the export is one (created if missing)",
        dir = args.dir.display()
    );
    // It exports an existing log: a mistyped --data creates nothing. Opened as start-up opens
    // it (stored entries against the newest checkpoint, leaf hashes, tree nodes, every event
    // replayed, the signed checkpoints): what a server would refuse to serve is not published.
    let (service, stores) = args.store.open_read_only_stores("")?;
    let out = export_tiles(
        &**service.store(),
        Some(&*stores.witnesses),
        &args.dir,
        ExportOptions {
            with_entries: args.with_entries,
            every_checkpoint: args.every_checkpoint,
        },
    )?;
    sayln!(
        "Đã xuất / exported size {} ({} checkpoint sizes): {} hash tiles, {} entry bundles, {} bytes → {}",
        out.size,
        out.checkpoint_sizes,
        out.hash_tiles,
        out.entry_bundles,
        out.bytes,
        args.dir.display()
    )?;
    if out.removed > 0 {
        sayln!(
            "Đã xoá {} tệp của lần xuất trước mà lần này không ghi / removed {} files of the \
             earlier export that this one does not write",
            out.removed,
            out.removed
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
