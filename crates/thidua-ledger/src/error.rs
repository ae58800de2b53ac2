//! The crate's single error type, [`LedgerError`].
//!
//! Every fallible function in this crate returns `Result<_, LedgerError>`.
//! Variants are deliberately precise so that callers (the service, the
//! storage backends, the CLI) can tell a corrupt proof from a missing node
//! from a malformed note without string matching.

use crate::hash::Hash;
use crate::note::Note;

/// Everything that can go wrong in `thidua-ledger`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    // ----- stored nodes -------------------------------------------------
    /// A [`NodeSource`](crate::NodeSource) does not hold the requested node.
    #[error("stored node not found: level {level}, index {index}")]
    NodeNotFound {
        /// Level of the missing node (0 = leaf hash).
        level: u8,
        /// Index of the missing node within its level.
        index: u64,
    },
    /// A storage backend failed while reading a node (database error, ...).
    #[error("node storage failure: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// A byte string that should be a SHA-256 hash has the wrong length.
    #[error("invalid hash length {got}, want 32")]
    InvalidHashLength {
        /// Length that was found.
        got: usize,
    },
    /// A [`NodeSource::nodes`](crate::NodeSource::nodes) implementation
    /// returned a different number of hashes than requested.
    #[error("node source returned {got} hashes for {want} requested nodes")]
    NodeCountMismatch {
        /// Hashes returned.
        got: usize,
        /// Nodes requested.
        want: usize,
    },
    /// A compact range was given the wrong number of peaks for its size.
    #[error("tree size {size} needs {want} peaks, got {got}")]
    PeakCountMismatch {
        /// Tree size.
        size: u64,
        /// Peaks supplied.
        got: usize,
        /// `size.count_ones()`.
        want: usize,
    },

    // ----- proofs -------------------------------------------------------
    /// Leaf index not inside the tree (`index >= size`).
    #[error("leaf index {index} out of range for tree size {size}")]
    IndexOutOfRange {
        /// Requested leaf index.
        index: u64,
        /// Tree size.
        size: u64,
    },
    /// Requested size is larger than the tree the source holds / knows.
    #[error("tree size {requested} exceeds available size {available}")]
    SizeOutOfRange {
        /// Requested size.
        requested: u64,
        /// Size actually available.
        available: u64,
    },
    /// Consistency between `size1 > size2` was requested.
    #[error("consistency sizes out of order: size1 {size1} > size2 {size2}")]
    SizesOutOfOrder {
        /// Older tree size.
        size1: u64,
        /// Newer tree size.
        size2: u64,
    },
    /// Consistency from the empty tree is meaningless and rejected (every tree
    /// is trivially consistent with it; accepting proofs for it only hides
    /// bugs). Callers that start from size 0 simply skip the check.
    #[error("consistency proof from the empty tree (size1 = 0) is not supported")]
    ConsistencyFromEmptyTree,
    /// The proof has the wrong number of hashes for the given sizes/index.
    #[error("wrong proof length {got}, want {want}")]
    WrongProofLength {
        /// Number of hashes supplied.
        got: usize,
        /// Number of hashes the algorithm requires.
        want: usize,
    },
    /// The root recomputed from the proof differs from the expected root.
    #[error(
        "root mismatch: calculated {}, expected {}",
        crate::hash::hex(calculated),
        crate::hash::hex(expected)
    )]
    RootMismatch {
        /// Root recomputed from the proof.
        calculated: Hash,
        /// Root the caller expected.
        expected: Hash,
    },

    // ----- signed notes ---------------------------------------------------
    /// The note bytes violate the signed-note format.
    #[error("malformed note: {0}")]
    MalformedNote(&'static str),
    /// The note carries more signature lines than we are willing to parse.
    #[error("note has too many signatures (limit {limit})")]
    TooManySignatures {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The note text to sign is malformed (does not end in a newline, ...).
    #[error("invalid note text: {0}")]
    InvalidNoteText(&'static str),
    /// A key name is empty or contains a space or `+`.
    #[error("invalid key name {0:?}")]
    InvalidKeyName(String),
    /// A signer (private) key string cannot be parsed.
    #[error("malformed signer key")]
    MalformedSignerKey,
    /// A verifier (public) key string cannot be parsed.
    #[error("malformed verifier key")]
    MalformedVerifierKey,
    /// A key string names an algorithm this crate does not support.
    #[error("unsupported key algorithm 0x{0:02x}")]
    UnsupportedKeyAlgorithm(u8),
    /// The key hash in a key string does not match the key material.
    #[error("key hash mismatch: key string says {stated:08x}, key material gives {computed:08x}")]
    KeyHashMismatch {
        /// The hash written in the key string.
        stated: u32,
        /// The hash computed from name and key.
        computed: u32,
    },
    /// The public key bytes are not a valid Ed25519 point.
    #[error("invalid Ed25519 public key")]
    InvalidPublicKey,
    /// Two verifiers passed to `open_note` share name and key hash.
    #[error("ambiguous key {name}+{key_hash:08x}")]
    AmbiguousVerifier {
        /// Key name.
        name: String,
        /// Key hash.
        key_hash: u32,
    },
    /// A signature by a known key failed to verify.
    #[error("invalid signature for key {name}+{key_hash:08x}")]
    InvalidSignature {
        /// Key name.
        name: String,
        /// Key hash.
        key_hash: u32,
    },
    /// The note parsed, but none of its signatures is by a known key.
    /// The parsed (unverified) note is attached for diagnostics; its text
    /// MUST NOT be trusted.
    #[error("note has no verifiable signatures")]
    NoVerifiableSignature(Box<Note>),

    // ----- checkpoints & cosignatures -------------------------------------
    /// The checkpoint body violates c2sp.org/tlog-checkpoint.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
    /// A cosignature line or its payload is malformed.
    #[error("malformed cosignature: {0}")]
    MalformedCosignature(&'static str),
    /// A cosignature timestamp exceeds 2^63 - 1.
    #[error("cosignature timestamp {0} exceeds 2^63-1")]
    TimestampOutOfRange(u64),
    /// The cosignature line is by a different cosigner (name or key hash).
    #[error("cosignature is by {name}+{key_hash:08x}, not by this cosigner")]
    CosignerMismatch {
        /// Name on the signature line.
        name: String,
        /// Key hash on the signature line.
        key_hash: u32,
    },

    // ----- tiles ----------------------------------------------------------
    /// A tile coordinate or path is invalid (level > 63, width 0 or > 256...).
    #[error("invalid tile: {0}")]
    InvalidTile(&'static str),
    /// An entry bundle is malformed (truncated length prefix, ...).
    #[error("malformed entry bundle: {0}")]
    MalformedEntryBundle(&'static str),
}

impl LedgerError {
    /// Wrap a storage backend error.
    pub fn storage<E>(err: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        LedgerError::Storage(Box::new(err))
    }
}
