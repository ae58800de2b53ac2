//! `thidua-ledger`: the pure (no IO, no async) transparency-log core of Thi Đua.
//!
//! * [`hash`] — RFC 6962 leaf/node hashing.
//! * [`tree`] — the stored-node model ([`NodeSource`], [`MemoryTree`]) and
//!   the in-memory frontier ([`CompactRange`]).
//! * [`proof`] — inclusion/consistency proofs from stored nodes, and their
//!   verifiers.
//! * [`note`] — C2SP signed notes with Ed25519 keys (Go `sumdb/note`
//!   compatible).
//! * [`checkpoint`] — C2SP tlog-checkpoint bodies, signing and opening.
//! * [`cosignature`] — C2SP tlog-cosignature v1 (Ed25519) witness
//!   cosignatures.
//! * [`tiles`] — C2SP tlog-tiles paths, tile enumeration and entry bundles.
//! * [`error`] — [`LedgerError`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checkpoint;
pub mod cosignature;
pub mod error;
pub mod hash;
pub mod note;
pub mod proof;
pub mod tiles;
pub mod tree;

pub use checkpoint::{open_checkpoint, sign_checkpoint, Checkpoint, SignedCheckpoint};
pub use cosignature::{
    cosigned_message, Cosignature, CosignatureVerifier, CosignerKey, TimestampedCosigner,
};
pub use error::LedgerError;
pub use hash::{empty_root, hash_from_slice, leaf_hash, node_hash, Hash};
pub use note::{
    generate_key, open_note, resign_note, sign_note, Note, NoteSigner, NoteVerifier, Signature,
    Signer, Verifier,
};
pub use proof::{
    consistency_proof, inclusion_proof, root_at, root_from_inclusion_proof, verify_consistency,
    verify_inclusion,
};
pub use tiles::{Tile, TilePath};
pub use tree::{CompactRange, MemoryTree, NodeId, NodeSource, StoredNode};
