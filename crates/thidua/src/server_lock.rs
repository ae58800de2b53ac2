//! The data directory's server lock: an advisory lock on [`LOCK_FILE`] in the directory, held
//! shared by every server using it (`thidua serve`, `thidua demo`) for its whole life, taken
//! before the store is opened; `thidua demo --reset` must hold it alone (exclusive) before it
//! deletes anything, so it refuses a directory a running server uses instead of deleting that
//! server's data under its feet. Several servers may share a directory (as several share one
//! PostgreSQL database). The operating system releases the lock when the process ends, however
//! it ends: a server that crashed or was killed blocks nothing; the file itself stays.

use std::fs::{File, TryLockError};
use std::path::Path;

use anyhow::Context;

/// The lock file's name in the data directory. Never deleted (a reset keeps it): a server
/// waiting on it and one replacing it would hold two different files.
pub const LOCK_FILE: &str = ".thidua-lock";

/// A held lock on a data directory; released when dropped.
#[derive(Debug)]
pub struct DirLock {
    file: File,
}

impl DirLock {
    /// A server's shared lock on `dir` (made if missing), for as long as it serves; waits while
    /// a `demo --reset` empties the directory.
    pub fn serving(dir: &Path) -> anyhow::Result<DirLock> {
        let file = open(dir)?;
        file.lock_shared().with_context(|| cannot_lock(dir))?;
        Ok(DirLock { file })
    }

    /// `demo --reset`'s exclusive lock on `dir` (made if missing), refused at once, naming the
    /// directory, while a server holds it.
    pub fn resetting(dir: &Path) -> anyhow::Result<DirLock> {
        let file = open(dir)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { file }),
            Err(TryLockError::WouldBlock) => anyhow::bail!(
                "không xoá / refusing to reset {}: một máy chủ (thidua demo hoặc thidua serve) \
                 đang dùng thư mục này, hãy dừng máy chủ đó trước / a server (thidua demo or \
                 thidua serve) is using this directory; stop it first, or give --data another \
                 directory",
                dir.display()
            ),
            Err(TryLockError::Error(e)) => Err(anyhow::Error::new(e).context(cannot_lock(dir))),
        }
    }

    /// The reset done, the same lock held shared by the server that follows it.
    pub fn into_serving(self, dir: &Path) -> anyhow::Result<DirLock> {
        // Released first: converting a lock in place is not portable.
        self.file.unlock().with_context(|| cannot_lock(dir))?;
        self.file.lock_shared().with_context(|| cannot_lock(dir))?;
        Ok(self)
    }
}

/// Opens (creating it and `dir` if missing) the lock file of `dir`.
fn open(dir: &Path) -> anyhow::Result<File> {
    std::fs::create_dir_all(dir).with_context(|| cannot_lock(dir))?;
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .with_context(|| cannot_lock(dir))
}

/// What a lock that cannot be taken is said as.
fn cannot_lock(dir: &Path) -> String {
    format!(
        "không khoá được thư mục dữ liệu / cannot lock the data directory {} ({LOCK_FILE})",
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Servers share a directory; a reset is refused while one holds it, and allowed once it
    /// is gone (its lock released) — the lock file stays.
    #[test]
    fn a_reset_waits_for_no_server_but_refuses_a_running_one() {
        let dir = tempfile::tempdir().unwrap();
        let one = DirLock::serving(dir.path()).unwrap();
        let two = DirLock::serving(dir.path()).unwrap();
        let refused = DirLock::resetting(dir.path()).err().unwrap();
        assert!(format!("{refused:#}").contains("is using this directory"));
        drop(one);
        assert!(DirLock::resetting(dir.path()).is_err());
        drop(two);
        let reset = DirLock::resetting(dir.path()).unwrap();
        let serving = reset.into_serving(dir.path()).unwrap();
        let _another = DirLock::serving(dir.path()).unwrap();
        drop(serving);
        assert!(dir.path().join(LOCK_FILE).is_file());
    }
}
