//! The PostgreSQL backend. Several `thidua serve` processes may share one database: an append
//! takes a transaction-scoped advisory lock, checks the expected size and inserts, so the log
//! never forks (the primary key on the log index is a second guard). Owns its migrations.
//! Connection strings may carry passwords: they are never logged nor put in errors.
#![forbid(unsafe_code)]

mod accounts;
#[cfg(feature = "testing")]
mod testing;
mod tls;
mod witness;

#[cfg(feature = "testing")]
pub use testing::{random_schema, test_database_url, TestSchema};

use std::sync::Mutex;

use postgres::Client;
use thidua_store::{
    check_append, check_chunks, hash_from_slice, sha256, Append, Entry, EventStore, Hash, Result,
    SnapshotMeta, StoreError, StoredCheckpoint, Turn, SNAPSHOTS_KEPT,
};

/// The advisory lock key that serialises appends (and migrations) across servers.
const APPEND_LOCK: i64 = 0x7468_6964_7561; // "thidua"

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE entries (
    idx BIGINT PRIMARY KEY CHECK (idx >= 0),
    bytes BYTEA NOT NULL,
    leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32)
);
CREATE TABLE tree_nodes (
    level SMALLINT NOT NULL,
    idx BIGINT NOT NULL,
    hash BYTEA NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);
CREATE TABLE checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT NOT NULL
);
CREATE TABLE blobs (
    sha256 BYTEA PRIMARY KEY,
    bytes BYTEA NOT NULL
);
CREATE FUNCTION thidua_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    RAISE EXCEPTION 'the log is append-only';
END $f$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION thidua_append_only();
CREATE TRIGGER nodes_append_only BEFORE UPDATE OR DELETE ON tree_nodes
    FOR EACH ROW EXECUTE FUNCTION thidua_append_only();
"#,
    r#"
CREATE TABLE account_passwords (
    user_id TEXT PRIMARY KEY,
    phc TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE TABLE account_sessions (
    id_hash BYTEA PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX account_sessions_user ON account_sessions (user_id);
CREATE TABLE account_api_tokens (
    id TEXT PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id TEXT NOT NULL,
    label TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);
CREATE TABLE account_preferences (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE TABLE account_bootstrap (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    token_hash BYTEA NOT NULL CHECK (length(token_hash) = 32),
    created_ms BIGINT NOT NULL
);
"#,
    r#"
CREATE TABLE witness_cosignatures (
    size BIGINT NOT NULL CHECK (size > 0),
    unit TEXT NOT NULL,
    line TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (size, unit)
);
"#,
    r#"
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints
    FOR EACH ROW EXECUTE FUNCTION thidua_append_only();
CREATE TABLE snapshots (
    size BIGINT PRIMARY KEY CHECK (size > 0),
    note TEXT NOT NULL,
    body BYTEA NOT NULL
);
"#,
    accounts::MIGRATION_THROTTLE,
    r#"
DROP TABLE snapshots;
CREATE TABLE snapshots (
    size BIGINT PRIMARY KEY CHECK (size > 0),
    note TEXT NOT NULL,
    chunks INTEGER NOT NULL CHECK (chunks > 0),
    bytes BIGINT NOT NULL CHECK (bytes >= 0)
);
CREATE TABLE snapshot_chunks (
    size BIGINT NOT NULL CHECK (size > 0),
    seq INTEGER NOT NULL CHECK (seq >= 0),
    bytes BYTEA NOT NULL,
    PRIMARY KEY (size, seq)
);
"#,
    // TRUNCATE fires no row trigger: the log's tables refuse it with a statement trigger.
    r#"
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION thidua_append_only();
CREATE TRIGGER nodes_no_truncate BEFORE TRUNCATE ON tree_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION thidua_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION thidua_append_only();
"#,
];

/// Connections for reads, so that a page never waits behind an append or another read.
const READERS: usize = 4;

/// An event store in a PostgreSQL database (optionally inside one schema).
pub struct PostgresStore {
    url: String,
    schema: Option<String>,
    client: Mutex<Client>,
    /// Connections for reads (opened on first use).
    readers: Vec<Mutex<Option<Client>>>,
    next_reader: std::sync::atomic::AtomicUsize,
    /// A second connection that holds the session-level advisory lock of the writer's turn.
    turn_client: Mutex<Option<Client>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &"<redacted>")
            .field("schema", &self.schema)
            .finish()
    }
}

fn db_err(e: postgres::Error) -> StoreError {
    // postgres::Error's Display never includes the connection password.
    match e.as_db_error() {
        Some(db) => StoreError::Backend(format!("{}: {}", db.code().code(), db.message())),
        None => StoreError::Backend(e.to_string()),
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://…`) and runs pending migrations.
    pub fn open(url: &str) -> Result<Self> {
        Self::open_in_schema(url, None)
    }

    /// Whether the database at `url` holds a log (its tables exist), asked without creating
    /// or changing anything: a command that only reads refuses an empty database instead of
    /// creating the schema in it.
    pub fn holds_log(url: &str) -> Result<bool> {
        let mut client = tls::connect(url)?;
        let row = client
            .query_one("SELECT to_regclass('entries') IS NOT NULL", &[])
            .map_err(db_err)?;
        Ok(row.get(0))
    }

    /// Like [`open`](Self::open), inside `schema` (created if missing); used to isolate tests.
    pub fn open_in_schema(url: &str, schema: Option<&str>) -> Result<Self> {
        if let Some(s) = schema {
            if !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(StoreError::Backend(format!("invalid schema name {s:?}")));
            }
        }
        let client = connect(url, schema)?;
        let store = Self {
            url: url.to_owned(),
            schema: schema.map(str::to_owned),
            client: Mutex::new(client),
            readers: (0..READERS).map(|_| Mutex::new(None)).collect(),
            next_reader: Default::default(),
            turn_client: Mutex::new(None),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Applies pending migrations under the advisory lock; returns how many ran.
    pub fn migrate(&self) -> Result<usize> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
            // Asked first rather than `CREATE TABLE IF NOT EXISTS`, whose notice ("already
            // exists, skipping") every command on an existing database would print.
            let exists: bool = tx
                .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
                .get(0);
            if !exists {
                tx.batch_execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY)")?;
            }
            let done: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                    &[],
                )?
                .get(0);
            let mut ran = 0;
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(done as usize) {
                tx.batch_execute(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&(i as i64 + 1)],
                )?;
                ran += 1;
            }
            tx.commit()?;
            Ok(ran)
        })
    }

    /// The advisory lock key of the writer's turn: one per schema, distinct from the append lock.
    fn turn_key(&self) -> i64 {
        let schema = self.schema.as_deref().unwrap_or("public");
        let digest = sha256(schema.as_bytes());
        i64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) ^ APPEND_LOCK
    }

    /// Runs `f` with the connection, reconnecting once if the connection was lost.
    fn with_client<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T> {
        let mut client = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if client.is_closed() {
            *client = connect(&self.url, self.schema.as_deref())?;
        }
        f(&mut client).map_err(db_err)
    }
}

impl PostgresStore {
    /// Runs a read on one of the reader connections: a free one if any, else the next in turn.
    fn with_reader<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T> {
        let start = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let free = (0..READERS)
            .map(|i| &self.readers[(start + i) % READERS])
            .find_map(|slot| slot.try_lock().ok());
        let mut slot = match free {
            Some(slot) => slot,
            None => self.readers[start % READERS]
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        };
        if slot.as_ref().is_none_or(|c| c.is_closed()) {
            *slot = Some(connect(&self.url, self.schema.as_deref())?);
        }
        let client = slot.as_mut().expect("connected above");
        f(client).map_err(db_err)
    }
}

fn connect(url: &str, schema: Option<&str>) -> Result<Client> {
    let mut client = tls::connect(url)?;
    if let Some(s) = schema {
        client
            .batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
            ))
            .map_err(db_err)?;
    }
    Ok(client)
}

fn row_checkpoint(row: &postgres::Row) -> StoredCheckpoint {
    StoredCheckpoint {
        size: row.get::<_, i64>(0) as u64,
        note: row.get(1),
    }
}

impl EventStore for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn size(&self) -> Result<u64> {
        self.with_reader(|c| {
            let n: i64 = c
                .query_one("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries", &[])?
                .get(0);
            Ok(n as u64)
        })
    }

    fn append(&self, append: Append<'_>) -> Result<()> {
        check_append(&append)?;
        let mut outcome = Ok(());
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])?;
            let actual: i64 = tx
                .query_one("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries", &[])?
                .get(0);
            if actual as u64 != append.expected_size {
                outcome = Err(StoreError::Conflict {
                    expected: append.expected_size,
                    actual: actual as u64,
                });
                return tx.rollback();
            }
            // One round trip per table, however large the batch.
            let idx: Vec<i64> = append.entries.iter().map(|e| e.index as i64).collect();
            let bytes: Vec<&[u8]> = append.entries.iter().map(|e| e.bytes.as_slice()).collect();
            let leaves: Vec<&[u8]> = append
                .entries
                .iter()
                .map(|e| e.leaf_hash.as_slice())
                .collect();
            tx.execute(
                "INSERT INTO entries (idx, bytes, leaf_hash) \
                 SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])",
                &[&idx, &bytes, &leaves],
            )?;
            let levels: Vec<i16> = append.nodes.iter().map(|n| n.level as i16).collect();
            let node_idx: Vec<i64> = append.nodes.iter().map(|n| n.index as i64).collect();
            let hashes: Vec<&[u8]> = append.nodes.iter().map(|n| n.hash.as_slice()).collect();
            tx.execute(
                "INSERT INTO tree_nodes (level, idx, hash) \
                 SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])",
                &[&levels, &node_idx, &hashes],
            )?;
            let size = (append.expected_size + append.entries.len() as u64) as i64;
            tx.execute(
                "INSERT INTO checkpoints (size, note) VALUES ($1, $2)",
                &[&size, &append.checkpoint],
            )?;
            tx.commit()
        })?;
        outcome
    }

    fn entries(&self, start: u64, end: u64) -> Result<Vec<Entry>> {
        let rows = self.with_reader(|c| {
            c.query(
                "SELECT idx, bytes, leaf_hash FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx",
                &[&(start as i64), &(end.min(i64::MAX as u64) as i64)],
            )
        })?;
        rows.iter()
            .map(|r| {
                Ok(Entry {
                    index: r.get::<_, i64>(0) as u64,
                    bytes: r.get(1),
                    leaf_hash: hash_from_slice("leaf_hash", r.get::<_, &[u8]>(2))?,
                })
            })
            .collect()
    }

    fn node(&self, level: u8, index: u64) -> Result<Option<Hash>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT hash FROM tree_nodes WHERE level = $1 AND idx = $2",
                &[&(level as i16), &(index as i64)],
            )
        })?;
        row.map(|r| hash_from_slice("tree node", r.get::<_, &[u8]>(0)))
            .transpose()
    }

    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>> {
        let rows = self.with_reader(|c| {
            c.query(
                "SELECT hash FROM tree_nodes WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx",
                &[&(level as i16), &(start as i64), &(end.min(i64::MAX as u64) as i64)],
            )
        })?;
        rows.iter()
            .map(|r| hash_from_slice("tree node", r.get::<_, &[u8]>(0)))
            .collect()
    }

    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1",
                &[],
            )
        })?;
        Ok(row.as_ref().map(row_checkpoint))
    }

    fn checkpoint_at(&self, size: u64) -> Result<Option<StoredCheckpoint>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT size, note FROM checkpoints WHERE size = $1",
                &[&(size as i64)],
            )
        })?;
        Ok(row.as_ref().map(row_checkpoint))
    }

    fn checkpoint_sizes(&self, start: u64, end: u64) -> Result<Vec<u64>> {
        let (start, end) = (
            start.min(i64::MAX as u64) as i64,
            end.min(i64::MAX as u64) as i64,
        );
        let rows = self.with_reader(|c| {
            c.query(
                "SELECT size FROM checkpoints WHERE size >= $1 AND size < $2 ORDER BY size",
                &[&start, &end],
            )
        })?;
        Ok(rows.iter().map(|r| r.get::<_, i64>(0) as u64).collect())
    }

    fn put_blob(&self, bytes: &[u8]) -> Result<Hash> {
        let hash = sha256(bytes);
        self.with_client(|c| {
            c.execute(
                "INSERT INTO blobs (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
                &[&hash.as_slice(), &bytes],
            )
        })?;
        Ok(hash)
    }

    fn get_blob(&self, hash: &Hash) -> Result<Option<Vec<u8>>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT bytes FROM blobs WHERE sha256 = $1",
                &[&hash.as_slice()],
            )
        })?;
        match row.map(|r| r.get::<_, Vec<u8>>(0)) {
            Some(bytes) if sha256(&bytes) != *hash => Err(StoreError::Corrupt(format!(
                "blob {} does not match its hash",
                hex::encode(hash)
            ))),
            other => Ok(other),
        }
    }

    fn writer_turn(&self) -> Result<Turn<'_>> {
        let mut guard = self.turn_client.lock().unwrap_or_else(|p| p.into_inner());
        if guard.as_ref().is_none_or(|c| c.is_closed()) {
            *guard = Some(connect(&self.url, self.schema.as_deref())?);
        }
        let key = self.turn_key();
        let client = guard.as_mut().expect("connected above");
        if let Err(e) = client.execute("SELECT pg_advisory_lock($1)", &[&key]) {
            *guard = None;
            return Err(db_err(e));
        }
        Ok(Turn::held(HeldTurn { guard, key }))
    }

    fn put_snapshot_chunk(&self, size: u64, seq: u32, bytes: &[u8]) -> Result<()> {
        self.with_client(|c| {
            let mut tx = c.transaction()?;
            if seq == 0 {
                tx.execute("DELETE FROM snapshots WHERE size = $1", &[&(size as i64)])?;
            }
            tx.execute(
                "INSERT INTO snapshot_chunks (size, seq, bytes) VALUES ($1, $2, $3) \
                 ON CONFLICT (size, seq) DO UPDATE SET bytes = EXCLUDED.bytes",
                &[&(size as i64), &(seq as i32), &bytes],
            )?;
            tx.commit()
        })
    }

    fn finish_snapshot(&self, meta: &SnapshotMeta) -> Result<()> {
        let size = meta.size as i64;
        let chunks = meta.chunks as i32;
        let stored = self.with_client(|c| {
            let mut tx = c.transaction()?;
            let stored: i64 = tx
                .query_one(
                    "SELECT count(*) FROM snapshot_chunks WHERE size = $1 AND seq < $2",
                    &[&size, &chunks],
                )?
                .get(0);
            if stored != i64::from(chunks) || chunks == 0 {
                return Ok(stored);
            }
            tx.execute(
                "DELETE FROM snapshot_chunks WHERE size = $1 AND seq >= $2",
                &[&size, &chunks],
            )?;
            tx.execute(
                "INSERT INTO snapshots (size, note, chunks, bytes) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note, \
                 chunks = EXCLUDED.chunks, bytes = EXCLUDED.bytes",
                &[&size, &meta.note, &chunks, &(meta.bytes as i64)],
            )?;
            tx.execute(
                "DELETE FROM snapshots WHERE size NOT IN \
                 (SELECT size FROM snapshots ORDER BY size DESC LIMIT $1)",
                &[&(SNAPSHOTS_KEPT as i64)],
            )?;
            tx.execute(
                "DELETE FROM snapshot_chunks WHERE size <= $1 \
                 AND size NOT IN (SELECT size FROM snapshots)",
                &[&size],
            )?;
            tx.commit()?;
            Ok(stored)
        })?;
        check_chunks(meta, stored as u32)
    }

    fn snapshot_sizes(&self) -> Result<Vec<u64>> {
        let rows =
            self.with_reader(|c| c.query("SELECT size FROM snapshots ORDER BY size", &[]))?;
        Ok(rows.iter().map(|r| r.get::<_, i64>(0) as u64).collect())
    }

    fn snapshot_meta(&self, size: u64) -> Result<Option<SnapshotMeta>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT note, chunks, bytes FROM snapshots WHERE size = $1",
                &[&(size as i64)],
            )
        })?;
        Ok(row.map(|r| SnapshotMeta {
            size,
            note: r.get(0),
            chunks: r.get::<_, i32>(1) as u32,
            bytes: r.get::<_, i64>(2) as u64,
        }))
    }

    fn snapshot_chunk(&self, size: u64, seq: u32) -> Result<Option<Vec<u8>>> {
        let row = self.with_reader(|c| {
            c.query_opt(
                "SELECT bytes FROM snapshot_chunks WHERE size = $1 AND seq = $2",
                &[&(size as i64), &(seq as i32)],
            )
        })?;
        Ok(row.map(|r| r.get(0)))
    }

    fn backup(&self, _dest: &std::path::Path) -> Result<()> {
        Err(StoreError::Unsupported(
            "backup (use pg_dump for PostgreSQL)",
        ))
    }
}

/// The writer's turn: the session-level advisory lock held on the turn connection.
struct HeldTurn<'a> {
    guard: std::sync::MutexGuard<'a, Option<Client>>,
    key: i64,
}

impl Drop for HeldTurn<'_> {
    fn drop(&mut self) {
        let released = self
            .guard
            .as_mut()
            .map(|c| c.execute("SELECT pg_advisory_unlock($1)", &[&self.key]));
        if !matches!(released, Some(Ok(_))) {
            // Closing the connection releases the lock for certain.
            *self.guard = None;
        }
    }
}
