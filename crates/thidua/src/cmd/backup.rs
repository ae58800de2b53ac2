//! `thidua backup DEST`: a consistent copy of the SQLite database while the server runs. The
//! copy is made in a temporary file beside DEST and renamed onto it once complete (mode 0600):
//! a failed backup (a full disk) leaves no DEST behind, and an existing DEST is never replaced.
use std::path::PathBuf;
use std::process::ExitCode;

use crate::output::{self, outln, Access, Existing};
use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Tệp đích (không được tồn tại) / destination file (must not exist: a backup is never
    /// replaced, unlike an export, since nothing can make an earlier one again).
    pub dest: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run(args: BackupArgs) -> anyhow::Result<ExitCode> {
    output::quiet_on_closed_pipe(backup(args))
}

fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_existing_stores("")?.events;
    let size = store.size()?;
    if store.backend() == "postgres" {
        anyhow::bail!(
            "PostgreSQL: sao lưu bằng pg_dump, mật khẩu trong tệp mật khẩu của libpq, không trên \
             dòng lệnh, và giữ tệp khoá / back up with pg_dump, the password in a libpq password \
             file, not on the command line, and keep the key file (e.g. \
             PGPASSFILE=/etc/thidua/pgpass pg_dump --format=custom --file={} --host=HOST \
             --username=USER --dbname=DB); see the README's \"Backup and restore\"",
            args.dest.display()
        );
    }
    output::make_with(&args.dest, Access::Private, Existing::Refuse, |tmp| {
        Ok(store.backup(tmp)?)
    })?;
    outln!(
        "Đã sao lưu {size} sự kiện vào {} / backed up {size} events to {}",
        args.dest.display(),
        args.dest.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
