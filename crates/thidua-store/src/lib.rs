//! The storage boundary. [`EventStore`] is everything the rest of Thi Đua may ask of a database:
//! an append-only log of entries (canonical bytes and leaf hash), the Merkle tree's stored
//! nodes and signed checkpoints appended in the same transaction, content-addressed blobs, and
//! snapshots of the state stored in chunks (`snapshot`).
//! Backends (SQLite, PostgreSQL) live in their own crates and must pass the conformance suites
//! (`conformance`, `accounts_conformance`, `witness::conformance`), which their tests run one
//! `#[test]` per scenario through the macros `event_store_conformance!` and
//! `account_store_conformance!`. The suites and the `testing` rule are compiled only with the
//! `testing` feature, which crates enable from their dev-dependencies: production builds carry
//! none of them.
//!
//! This crate knows nothing of events' meaning, of hashing rules or of HTTP.
#![forbid(unsafe_code)]

pub mod accounts;
#[cfg(feature = "testing")]
pub mod accounts_conformance;
#[cfg(feature = "testing")]
pub mod conformance;
pub mod snapshot;
#[cfg(feature = "testing")]
pub mod testing;
pub mod witness;

pub use snapshot::{
    check_chunks, SnapshotMeta, SnapshotReader, SnapshotWriter, WrittenBody, SNAPSHOTS_KEPT,
    SNAPSHOT_CHUNK,
};

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// One log entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub index: u64,
    /// The event's canonical bytes.
    pub bytes: Vec<u8>,
    /// RFC 6962 leaf hash of `bytes`, computed at append.
    pub leaf_hash: Hash,
}

/// A complete Merkle subtree hash: `level` 0 is a leaf; `(level, index)` covers leaves
/// `[index << level, (index + 1) << level)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub level: u8,
    pub index: u64,
    pub hash: Hash,
}

/// One atomic append: entries `expected_size..expected_size + entries.len()`, the tree nodes
/// they complete, and the signed checkpoint of the new tree.
#[derive(Clone, Copy, Debug)]
pub struct Append<'a> {
    pub expected_size: u64,
    pub entries: &'a [Entry],
    pub nodes: &'a [Node],
    /// The signed checkpoint note for size `expected_size + entries.len()`.
    pub checkpoint: &'a str,
}

/// A stored checkpoint: the tree size it commits to and its signed note text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub note: String,
}

/// Errors of any backend. Messages never contain credentials.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer appended first: the log has `actual` entries, not `expected`.
    #[error("the log has {actual} entries, expected {expected}: another writer appended first")]
    Conflict { expected: u64, actual: u64 },
    /// The append itself is malformed (indices not contiguous, empty batch).
    #[error("invalid append: {0}")]
    InvalidAppend(String),
    /// Stored data is not what the schema promises.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The operation does not exist for this backend.
    #[error("{0} is not supported by this backend")]
    Unsupported(&'static str),
    /// The database said no.
    #[error("database error: {0}")]
    Backend(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The storage every backend provides. Implementations are safe to share between threads; each
/// call is its own transaction.
pub trait EventStore: Send + Sync {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// The number of entries in the log.
    fn size(&self) -> Result<u64>;

    /// Appends atomically, or fails with [`StoreError::Conflict`] and changes nothing.
    fn append(&self, append: Append<'_>) -> Result<()>;

    /// Entries `[start, end)`, in order; fewer if the log is shorter.
    fn entries(&self, start: u64, end: u64) -> Result<Vec<Entry>>;

    /// One stored tree node, if that subtree is complete.
    fn node(&self, level: u8, index: u64) -> Result<Option<Hash>>;

    /// Stored nodes of one level, indices `[start, end)`, in order.
    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>>;

    /// The newest checkpoint.
    fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>>;

    /// The checkpoint stored for exactly `size`, if any.
    fn checkpoint_at(&self, size: u64) -> Result<Option<StoredCheckpoint>>;

    /// The sizes in `[start, end)` that have a stored checkpoint, ascending, in one query.
    fn checkpoint_sizes(&self, start: u64, end: u64) -> Result<Vec<u64>>;

    /// Stores bytes under their SHA-256 and returns it; storing the same bytes twice is a no-op.
    fn put_blob(&self, bytes: &[u8]) -> Result<Hash>;

    /// The bytes stored under `hash`, checked against it.
    fn get_blob(&self, hash: &Hash) -> Result<Option<Vec<u8>>>;

    /// A consistent copy of the whole database at `dest` (a file path), while online.
    fn backup(&self, dest: &std::path::Path) -> Result<()>;

    /// Stores chunk `seq` of the body of the snapshot at `size` (see [`SnapshotWriter`]), in
    /// its own short transaction. Storing chunk 0 withdraws a finished snapshot of the same size,
    /// which is being rewritten.
    fn put_snapshot_chunk(&self, size: u64, seq: u32, bytes: &[u8]) -> Result<()>;

    /// Makes the snapshot of `meta.size` visible, in one transaction: refuses it unless chunks
    /// `0..meta.chunks` are all stored, deletes chunks numbered beyond them, records the note,
    /// and deletes all but the newest [`SNAPSHOTS_KEPT`] snapshots with their chunks (and the
    /// chunks of abandoned writes no larger than this one).
    fn finish_snapshot(&self, meta: &SnapshotMeta) -> Result<()>;

    /// The sizes of the finished snapshots, ascending.
    fn snapshot_sizes(&self) -> Result<Vec<u64>>;

    /// The finished snapshot at exactly `size`, if any.
    fn snapshot_meta(&self, size: u64) -> Result<Option<SnapshotMeta>>;

    /// Chunk `seq` of the body of the snapshot at `size`, if stored.
    fn snapshot_chunk(&self, size: u64, seq: u32) -> Result<Option<Vec<u8>>>;

    /// Waits for this writer's turn and holds it until the returned guard is dropped. A server
    /// holds its turn while it catches up, decides and appends, so that several servers on one
    /// database take turns instead of racing (a writer that loses every race would starve).
    /// Appends stay safe without it: [`append`](Self::append) still checks the expected size.
    fn writer_turn(&self) -> Result<Turn<'_>> {
        Ok(Turn::none())
    }
}

/// A held writer's turn (see [`EventStore::writer_turn`]); dropping it gives the turn back.
pub struct Turn<'a> {
    _guard: Option<Box<dyn Guard + 'a>>,
}

/// Anything whose `Drop` releases a turn.
pub trait Guard {}
impl<T> Guard for T {}

impl<'a> Turn<'a> {
    /// A turn that needs no release (a backend with a single writer process).
    pub fn none() -> Self {
        Self { _guard: None }
    }

    /// A turn released when `guard` is dropped.
    pub fn held(guard: impl Guard + 'a) -> Self {
        Self {
            _guard: Some(Box::new(guard)),
        }
    }
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

/// Checks that an append's entries are numbered from `expected_size` without gaps.
pub fn check_append(append: &Append<'_>) -> Result<()> {
    if append.entries.is_empty() {
        return Err(StoreError::InvalidAppend("no entries".into()));
    }
    for (offset, entry) in append.entries.iter().enumerate() {
        if entry.index != append.expected_size + offset as u64 {
            return Err(StoreError::InvalidAppend(format!(
                "entry {} is at position {}",
                entry.index,
                append.expected_size + offset as u64
            )));
        }
    }
    Ok(())
}

/// Converts a stored hash column into a [`type@Hash`], or reports corruption.
pub fn hash_from_slice(what: &str, bytes: &[u8]) -> Result<Hash> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("{what}: a hash of {} bytes", bytes.len())))
}
