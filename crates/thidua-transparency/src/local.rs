//! Opening a log's database directly (the operator's data directory, a PostgreSQL URL, or a
//! SQLite backup file) as the two stores this crate reads: the event store and the witness
//! cosignature store. A backup is copied to a temporary file first, so verifying it never
//! changes it (opening runs migrations).

use std::path::Path;
use std::sync::Arc;

use thidua_store::witness::WitnessStore;
use thidua_store::{EventStore, StoreError};
use thidua_store_postgres::PostgresStore;
use thidua_store_sqlite::SqliteStore;

/// An opened database, as both stores.
pub struct Stores {
    pub events: Arc<dyn EventStore>,
    pub witnesses: Arc<dyn WitnessStore>,
    /// Keeps a backup's temporary copy alive while the stores are in use.
    _copy: Option<tempfile::TempDir>,
}

impl Stores {
    /// The SQLite database at `path` (created if missing).
    pub fn sqlite(path: &Path) -> Result<Self, StoreError> {
        let store = Arc::new(SqliteStore::open(path)?);
        Ok(Self {
            events: store.clone(),
            witnesses: store,
            _copy: None,
        })
    }

    /// A PostgreSQL database (`postgres://…`).
    pub fn postgres(url: &str) -> Result<Self, StoreError> {
        let store = Arc::new(PostgresStore::open(url)?);
        Ok(Self {
            events: store.clone(),
            witnesses: store,
            _copy: None,
        })
    }

    /// A SQLite backup file, opened from a private temporary copy.
    pub fn backup(path: &Path) -> Result<Self, StoreError> {
        let io = |e: std::io::Error| StoreError::Backend(format!("{}: {e}", path.display()));
        let dir = tempfile::tempdir().map_err(io)?;
        let copy = dir.path().join("backup.db");
        std::fs::copy(path, &copy).map_err(io)?;
        let mut stores = Self::sqlite(&copy)?;
        stores._copy = Some(dir);
        Ok(stores)
    }
}

/// The witness store of the database a server uses, for [`crate::router`]: a second
/// connection to the same SQLite file (`sqlite_path`) or PostgreSQL database (`database`).
pub fn open_witness_store(
    database: Option<&str>,
    sqlite_path: &Path,
) -> Result<Arc<dyn WitnessStore>, StoreError> {
    Ok(match database {
        Some(url) => Stores::postgres(url)?.witnesses,
        None => Stores::sqlite(sqlite_path)?.witnesses,
    })
}
