//! What the commands write: output files, written atomically, and standard output, where a
//! reader that went away (`… | head`) ends the command quietly.
//!
//! Every output file is made as a temporary file in the target's directory, synced, then
//! renamed onto the target: a failure (a full disk, a read-only directory, a target that is a
//! directory) leaves nothing at the target, and a file already there is unchanged. Files that
//! hold a unit's data (backups, exports, templates, workbooks) are created with mode 0600 on
//! Unix.
//!
//! One rule for a file already at the target, by what the file is: a file the command makes
//! again from the same inputs (an export, a template, a workbook, a regulation, a document) is
//! replaced, atomically ([`Existing::Replace`]); a file nothing can make again is never
//! replaced ([`Existing::Refuse`]): a backup (yesterday's copy of the log is not today's) and a
//! secret key (a witness's, a voter's: `create_new`, elsewhere).
use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

/// Who may read an output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A unit's data (a backup, an export of figures, a template, a workbook): mode 0600.
    Private,
    /// A document or a public file: 0644.
    Usual,
}

impl Access {
    #[cfg(unix)]
    fn mode(self) -> u32 {
        match self {
            Access::Private => 0o600,
            Access::Usual => 0o644,
        }
    }
}

/// What happens to a file already at the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// Refuse: the target must not exist. For what nothing can make again (`thidua backup`).
    Refuse,
    /// Replace it, atomically: it stays as it was until the new file is complete. For what
    /// the command makes again from the same inputs (exports, templates, workbooks).
    Replace,
}

/// Writes `bytes` to `path` atomically (see the module's documentation).
pub fn write(path: &Path, bytes: &[u8], access: Access, existing: Existing) -> anyhow::Result<()> {
    write_with(path, access, existing, |file| Ok(file.write_all(bytes)?))
}

/// Writes `path` atomically, `fill` writing the content to the temporary file.
pub fn write_with(
    path: &Path,
    access: Access,
    existing: Existing,
    fill: impl FnOnce(&mut File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let context = || format!("không ghi được / cannot write {}", path.display());
    check_target(path, existing).with_context(context)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".thidua-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(access.mode()));
    #[cfg(not(unix))]
    let _ = access;
    let mut tmp = builder
        .tempfile_in(directory(path))
        .map_err(|e| in_directory(e, path))
        .with_context(context)?;
    fill(tmp.as_file_mut()).with_context(context)?;
    tmp.as_file().sync_all().with_context(context)?;
    persist(tmp.into_temp_path(), path, existing).with_context(context)
}

/// Makes `path` atomically with `make`, which creates the file at the path it is given (a path
/// that does not exist yet, in a fresh private directory beside the target): for producers
/// that write a file themselves, such as SQLite's `VACUUM INTO`.
pub fn make_with(
    path: &Path,
    access: Access,
    existing: Existing,
    make: impl FnOnce(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let context = || format!("không ghi được / cannot write {}", path.display());
    check_target(path, existing).with_context(context)?;
    // Removed, with whatever `make` left in it, on every return. Private (0700) from its
    // creation: what `make` writes in it (a database copy, which its producer may create with
    // the usual 0644) is never readable by other users, even if the command is killed before
    // it ends and the directory stays behind.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".thidua-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let dir = builder
        .tempdir_in(directory(path))
        .map_err(|e| in_directory(e, path))
        .with_context(context)?;
    let file_name = path.file_name().unwrap_or("output".as_ref());
    let made = dir.path().join(file_name);
    make(&made).with_context(context)?;
    let file = File::options()
        .read(true)
        .write(true)
        .open(&made)
        .with_context(context)?;
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(access.mode()))
        .with_context(context)?;
    #[cfg(not(unix))]
    let _ = access;
    file.sync_all().with_context(context)?;
    drop(file);
    let made = tempfile::TempPath::try_from_path(made).with_context(context)?;
    persist(made, path, existing).with_context(context)
}

/// The directory a target's temporary file goes to (its own, so that the rename is atomic).
fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Why nothing could be made in the target's directory, said of the directory (the error of the
/// temporary file names that file, which the user never chose).
fn in_directory(e: std::io::Error, path: &Path) -> anyhow::Error {
    let dir = directory(path);
    match e.kind() {
        ErrorKind::NotFound => anyhow::anyhow!(
            "thư mục {} không tồn tại / no such directory",
            dir.display()
        ),
        ErrorKind::PermissionDenied => anyhow::anyhow!(
            "không có quyền ghi vào thư mục {} / no permission to write in that directory",
            dir.display()
        ),
        _ => anyhow::anyhow!(
            "không tạo được tệp trong thư mục {} / cannot create a file there: {}",
            dir.display(),
            std::io::Error::from(e.kind())
        ),
    }
}

/// Refuses early (before any work) what the rename would refuse.
fn check_target(path: &Path, existing: Existing) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => anyhow::bail!("là một thư mục / is a directory"),
        Ok(_) if existing == Existing::Refuse => {
            anyhow::bail!("tệp đã tồn tại / already exists")
        }
        _ => Ok(()),
    }
}

/// Renames the complete temporary file onto the target (never over an existing file when
/// `Refuse`), then syncs the directory so that the rename survives a crash.
fn persist(tmp: tempfile::TempPath, path: &Path, existing: Existing) -> anyhow::Result<()> {
    match existing {
        Existing::Refuse => tmp
            .persist_noclobber(path)
            .map_err(|e| match e.error.kind() {
                ErrorKind::AlreadyExists => anyhow::anyhow!("tệp đã tồn tại / already exists"),
                _ => e.error.into(),
            })?,
        Existing::Replace => tmp.persist(path).map_err(|e| e.error)?,
    }
    // Best effort: the file is in place; some file systems cannot sync a directory.
    #[cfg(unix)]
    if let Ok(dir) = File::open(directory(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// `println!` that returns the write's `std::io::Result` instead of panicking, for the
/// commands' standard output: with [`quiet_on_closed_pipe`] a closed pipe ends a command that
/// only prints; with [`closed_pipe_ok`] the work of one that changes or checks something goes
/// on.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}
pub(crate) use outln;

/// [`outln!`] for a line said along the way by a command that changes or checks something: a
/// closed pipe does not stop the work ([`closed_pipe_ok`]).
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::output::closed_pipe_ok($crate::output::outln!($($arg)*))
    };
}
pub(crate) use sayln;

/// `eprintln!` that never panics, for everything the commands say on standard error (errors,
/// notes, progress): a standard error that is closed (`2>&-`, `… 2>&1 | head -1` once `head`
/// has gone) or failing loses the line, and the command goes on to its end, whose exit status
/// tells the outcome (`eprintln!` would panic, exit 101, in the middle of the work).
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
pub(crate) use errln;

/// Writes `bytes` to standard output.
pub fn print(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// A line said along the way by a command that changes something (the log, a file) or checks
/// something: a reader that went away does not stop the work, whose outcome the exit status
/// tells; any other error writing is still one.
pub fn closed_pipe_ok(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A command's result, where a reader that went away (`thidua … | head`) is not an error: the
/// command ends quietly with success, as every Unix tool does.
pub fn quiet_on_closed_pipe(result: anyhow::Result<ExitCode>) -> anyhow::Result<ExitCode> {
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

/// Whether `e` is (or was caused by) writing to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A missing directory is said of the directory the user named, never of the temporary
    /// file inside it (which the user never chose): by both writers.
    #[test]
    fn a_missing_directory_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nowhere").join("x.db");
        let said = [
            write(&path, b"x", Access::Private, Existing::Refuse).unwrap_err(),
            make_with(&path, Access::Private, Existing::Refuse, |_| Ok(())).unwrap_err(),
        ]
        .map(|e| format!("{e:#}"));
        for said in said {
            assert!(said.contains("no such directory"), "{said}");
            assert!(
                said.contains("nowhere") && !said.contains(".thidua-"),
                "{said}"
            );
        }
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write(&path, b"old", Access::Private, Existing::Replace).unwrap();
        let failed = write_with(&path, Access::Private, Existing::Replace, |f| {
            f.write_all(b"half")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write(&path, b"new", Access::Private, Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn refuse_keeps_an_existing_file_and_make_with_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.db");
        std::fs::write(&path, b"previous").unwrap();
        let refused = make_with(&path, Access::Private, Existing::Refuse, |p| {
            Ok(std::fs::write(p, b"copy")?)
        });
        assert!(format!("{:#}", refused.unwrap_err()).contains("already exists"));
        assert_eq!(std::fs::read(&path).unwrap(), b"previous");
        let other = dir.path().join("other.db");
        let failed = make_with(&other, Access::Private, Existing::Refuse, |p| {
            std::fs::write(p, b"partial")?;
            anyhow::bail!("disk full")
        });
        assert!(failed.is_err());
        assert!(!other.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        make_with(&other, Access::Private, Existing::Refuse, |p| {
            // The directory the copy is made in is the owner's alone from the start.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let dir = std::fs::metadata(p.parent().unwrap()).unwrap();
                assert_eq!(dir.permissions().mode() & 0o777, 0o700);
            }
            Ok(std::fs::write(p, b"copy")?)
        })
        .unwrap();
        assert_eq!(std::fs::read(&other).unwrap(), b"copy");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
