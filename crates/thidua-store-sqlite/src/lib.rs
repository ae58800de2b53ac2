//! The SQLite backend: one database file in WAL mode with `synchronous=FULL`, so a committed
//! append survives a crash of the process or the machine. Appends run in an IMMEDIATE
//! transaction; triggers refuse any UPDATE or DELETE of the log. Owns its schema migrations.
#![forbid(unsafe_code)]

mod accounts;
mod witness;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use thidua_store::{
    check_append, check_chunks, hash_from_slice, sha256, Append, Entry, EventStore, Hash, Result,
    SnapshotMeta, StoreError, StoredCheckpoint, SNAPSHOTS_KEPT,
};

/// Schema migrations, applied in order, each once.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE entries (
    idx INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE TABLE tree_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL
);
CREATE TABLE blobs (
    sha256 BLOB PRIMARY KEY,
    bytes BLOB NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER nodes_no_update BEFORE UPDATE ON tree_nodes BEGIN SELECT RAISE(ABORT, 'the tree is append-only'); END;
CREATE TRIGGER nodes_no_delete BEFORE DELETE ON tree_nodes BEGIN SELECT RAISE(ABORT, 'the tree is append-only'); END;
"#,
    r#"
CREATE TABLE account_passwords (
    user_id TEXT PRIMARY KEY,
    phc TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE TABLE account_sessions (
    id_hash BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX account_sessions_user ON account_sessions (user_id);
CREATE TABLE account_api_tokens (
    id TEXT PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id TEXT NOT NULL,
    label TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
CREATE TABLE account_preferences (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE TABLE account_bootstrap (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
    created_ms INTEGER NOT NULL
);
"#,
    r#"
CREATE TABLE witness_cosignatures (
    size INTEGER NOT NULL CHECK (size > 0),
    unit TEXT NOT NULL,
    line TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (size, unit)
) WITHOUT ROWID;
"#,
    r#"
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TABLE snapshots (
    size INTEGER PRIMARY KEY CHECK (size > 0),
    note TEXT NOT NULL,
    body BLOB NOT NULL
);
"#,
    accounts::MIGRATION_THROTTLE,
    r#"
DROP TABLE snapshots;
CREATE TABLE snapshots (
    size INTEGER PRIMARY KEY CHECK (size > 0),
    note TEXT NOT NULL,
    chunks INTEGER NOT NULL CHECK (chunks > 0),
    bytes INTEGER NOT NULL CHECK (bytes >= 0)
);
CREATE TABLE snapshot_chunks (
    size INTEGER NOT NULL CHECK (size > 0),
    seq INTEGER NOT NULL CHECK (seq >= 0),
    bytes BLOB NOT NULL,
    PRIMARY KEY (size, seq)
) WITHOUT ROWID;
"#,
];

/// Connections for reads: in WAL mode readers never wait for the writer, nor it for them.
const READERS: usize = 4;

/// An event store in one SQLite file: one connection writes, a few others read.
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

fn db_err(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let conn = connect(path)?;
        owner_only(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db_err)?;
        let mut store = Self {
            path: path.to_owned(),
            conn: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        };
        store.migrate()?;
        for _ in 0..READERS {
            store.readers.push(Mutex::new(connect(path)?));
        }
        Ok(store)
    }

    /// A connection for reads: a free one if any, else the next in turn.
    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        (0..self.readers.len())
            .map(|i| &self.readers[(start + i) % self.readers.len()])
            .find_map(|slot| slot.try_lock().ok())
            .unwrap_or_else(|| {
                self.readers[start % self.readers.len()]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
            })
    }

    /// Applies the migrations not yet applied; returns how many ran.
    pub fn migrate(&self) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
        )
        .map_err(db_err)?;
        let done: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        let mut ran = 0;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done as usize) {
            tx.execute_batch(sql).map_err(db_err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [i as i64 + 1],
            )
            .map_err(db_err)?;
            ran += 1;
        }
        tx.commit().map_err(db_err)?;
        Ok(ran)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The database holds password and token hashes and every unit's drafts: readable by its
/// owner only (SQLite gives its `-wal` and `-shm` files the database file's mode).
/// Creates `path` empty and owner-only (0600 on Unix); an existing file is refused.
fn create_owner_only(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            StoreError::Backend(format!("{} already exists", path.display()))
        }
        _ => StoreError::Backend(format!("cannot create {}: {e}", path.display())),
    })
}

fn owner_only(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| StoreError::Backend(format!("cannot restrict {}: {e}", path.display())))?;
    }
    Ok(())
}

/// Opens a connection with the settings every connection of the store uses.
fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(db_err)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(db_err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(db_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(db_err)?;
    Ok(conn)
}

fn size_of(conn: &Connection) -> Result<u64> {
    conn.query_row("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as u64)
    .map_err(db_err)
}

impl EventStore for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn size(&self) -> Result<u64> {
        size_of(&self.reader())
    }

    fn append(&self, append: Append<'_>) -> Result<()> {
        check_append(&append)?;
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let actual = size_of(&tx)?;
        if actual != append.expected_size {
            return Err(StoreError::Conflict {
                expected: append.expected_size,
                actual,
            });
        }
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO entries (idx, bytes, leaf_hash) VALUES (?1, ?2, ?3)")
                .map_err(db_err)?;
            for e in append.entries {
                insert
                    .execute(params![e.index as i64, e.bytes, e.leaf_hash.as_slice()])
                    .map_err(db_err)?;
            }
            let mut node = tx
                .prepare_cached("INSERT INTO tree_nodes (level, idx, hash) VALUES (?1, ?2, ?3)")
                .map_err(db_err)?;
            for n in append.nodes {
                node.execute(params![n.level, n.index as i64, n.hash.as_slice()])
                    .map_err(db_err)?;
            }
        }
        let size = append.expected_size + append.entries.len() as u64;
        tx.execute(
            "INSERT INTO checkpoints (size, note) VALUES (?1, ?2)",
            params![size as i64, append.checkpoint],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn entries(&self, start: u64, end: u64) -> Result<Vec<Entry>> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached("SELECT idx, bytes, leaf_hash FROM entries WHERE idx >= ?1 AND idx < ?2 ORDER BY idx")
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![start as i64, end.min(i64::MAX as u64) as i64],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                },
            )
            .map_err(db_err)?;
        rows.map(|row| {
            let (idx, bytes, leaf) = row.map_err(db_err)?;
            Ok(Entry {
                index: idx as u64,
                bytes,
                leaf_hash: hash_from_slice("leaf_hash", &leaf)?,
            })
        })
        .collect()
    }

    fn node(&self, level: u8, index: u64) -> Result<Option<Hash>> {
        let conn = self.reader();
        let found: Option<Vec<u8>> = conn
            .prepare_cached("SELECT hash FROM tree_nodes WHERE level = ?1 AND idx = ?2")
            .map_err(db_err)?
            .query_row(params![level, index as i64], |r| r.get(0))
            .optional()
            .map_err(db_err)?;
        found.map(|h| hash_from_slice("tree node", &h)).transpose()
    }

    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached("SELECT hash FROM tree_nodes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx")
            .map_err(db_err)?;
        let rows = stmt
            .query_map(
                params![level, start as i64, end.min(i64::MAX as u64) as i64],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .map_err(db_err)?;
        rows.map(|h| hash_from_slice("tree node", &h.map_err(db_err)?))
            .collect()
    }

    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>> {
        let conn = self.reader();
        conn.query_row(
            "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
            [],
            |r| {
                Ok(StoredCheckpoint {
                    size: r.get::<_, i64>(0)? as u64,
                    note: r.get(1)?,
                })
            },
        )
        .optional()
        .map_err(db_err)
    }

    fn checkpoint_at(&self, size: u64) -> Result<Option<StoredCheckpoint>> {
        let conn = self.reader();
        conn.query_row(
            "SELECT size, note FROM checkpoints WHERE size = ?1",
            [size as i64],
            |r| {
                Ok(StoredCheckpoint {
                    size: r.get::<_, i64>(0)? as u64,
                    note: r.get(1)?,
                })
            },
        )
        .optional()
        .map_err(db_err)
    }

    fn checkpoint_sizes(&self, start: u64, end: u64) -> Result<Vec<u64>> {
        let conn = self.reader();
        let mut statement = conn
            .prepare_cached(
                "SELECT size FROM checkpoints WHERE size >= ?1 AND size < ?2 ORDER BY size",
            )
            .map_err(db_err)?;
        let rows = statement
            .query_map(
                [
                    start.min(i64::MAX as u64) as i64,
                    end.min(i64::MAX as u64) as i64,
                ],
                |r| r.get::<_, i64>(0),
            )
            .map_err(db_err)?;
        rows.map(|r| r.map(|s| s as u64).map_err(db_err)).collect()
    }

    fn put_blob(&self, bytes: &[u8]) -> Result<Hash> {
        let hash = sha256(bytes);
        self.lock()
            .execute(
                "INSERT OR IGNORE INTO blobs (sha256, bytes) VALUES (?1, ?2)",
                params![hash.as_slice(), bytes],
            )
            .map_err(db_err)?;
        Ok(hash)
    }

    fn get_blob(&self, hash: &Hash) -> Result<Option<Vec<u8>>> {
        let conn = self.reader();
        let found: Option<Vec<u8>> = conn
            .query_row(
                "SELECT bytes FROM blobs WHERE sha256 = ?1",
                [hash.as_slice()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)?;
        match found {
            Some(bytes) if sha256(&bytes) != *hash => Err(StoreError::Corrupt(format!(
                "blob {} does not match its hash",
                hex_of(hash)
            ))),
            other => Ok(other),
        }
    }

    /// `VACUUM INTO` on a connection of its own: in WAL mode it reads one consistent snapshot
    /// while the writer and the readers go on. The copy is made into an empty file created for
    /// it, owner-only from the start (never readable by others while it is being written), and
    /// an existing file is refused at that creation, not by a check that could race.
    fn backup(&self, dest: &Path) -> Result<()> {
        let name = dest
            .to_str()
            .ok_or_else(|| StoreError::Backend("the backup path is not valid UTF-8".into()))?;
        create_owner_only(dest)?;
        let copied =
            connect(&self.path).and_then(|c| c.execute("VACUUM INTO ?1", [name]).map_err(db_err));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(dest);
            return Err(e);
        }
        owner_only(dest)
    }

    fn put_snapshot_chunk(&self, size: u64, seq: u32, bytes: &[u8]) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        if seq == 0 {
            tx.execute("DELETE FROM snapshots WHERE size = ?1", [size as i64])
                .map_err(db_err)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO snapshot_chunks (size, seq, bytes) VALUES (?1, ?2, ?3)",
            params![size as i64, seq, bytes],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn finish_snapshot(&self, meta: &SnapshotMeta) -> Result<()> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db_err)?;
        let size = meta.size as i64;
        let stored: u32 = tx
            .query_row(
                "SELECT count(*) FROM snapshot_chunks WHERE size = ?1 AND seq < ?2",
                params![size, meta.chunks],
                |r| r.get(0),
            )
            .map_err(db_err)?;
        check_chunks(meta, stored)?;
        tx.execute(
            "DELETE FROM snapshot_chunks WHERE size = ?1 AND seq >= ?2",
            params![size, meta.chunks],
        )
        .map_err(db_err)?;
        tx.execute(
            "INSERT OR REPLACE INTO snapshots (size, note, chunks, bytes) VALUES (?1, ?2, ?3, ?4)",
            params![size, meta.note, meta.chunks, meta.bytes as i64],
        )
        .map_err(db_err)?;
        tx.execute(
            "DELETE FROM snapshots WHERE size NOT IN \
             (SELECT size FROM snapshots ORDER BY size DESC LIMIT ?1)",
            [SNAPSHOTS_KEPT as i64],
        )
        .map_err(db_err)?;
        tx.execute(
            "DELETE FROM snapshot_chunks WHERE size <= ?1 \
             AND size NOT IN (SELECT size FROM snapshots)",
            [size],
        )
        .map_err(db_err)?;
        tx.commit().map_err(db_err)
    }

    fn snapshot_sizes(&self) -> Result<Vec<u64>> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached("SELECT size FROM snapshots ORDER BY size")
            .map_err(db_err)?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0)).map_err(db_err)?;
        rows.map(|r| r.map(|n| n as u64).map_err(db_err)).collect()
    }

    fn snapshot_meta(&self, size: u64) -> Result<Option<SnapshotMeta>> {
        self.reader()
            .query_row(
                "SELECT note, chunks, bytes FROM snapshots WHERE size = ?1",
                [size as i64],
                |r| {
                    Ok(SnapshotMeta {
                        size,
                        note: r.get(0)?,
                        chunks: r.get(1)?,
                        bytes: r.get::<_, i64>(2)? as u64,
                    })
                },
            )
            .optional()
            .map_err(db_err)
    }

    fn snapshot_chunk(&self, size: u64, seq: u32) -> Result<Option<Vec<u8>>> {
        self.reader()
            .query_row(
                "SELECT bytes FROM snapshot_chunks WHERE size = ?1 AND seq = ?2",
                params![size as i64, seq],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_err)
    }
}

fn hex_of(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}
