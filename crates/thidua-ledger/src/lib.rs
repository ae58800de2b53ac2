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
//!
//! ```
//! use thidua_ledger::*;
//!
//! // Server side: append entries, persisting the returned nodes.
//! let mut frontier = CompactRange::new();
//! let mut store = MemoryTree::new(); // stands in for the node table
//! for entry in [&b"a"[..], b"b", b"c"] {
//!     let nodes = frontier.append(leaf_hash(entry));
//!     assert_eq!(nodes, store.append(leaf_hash(entry)));
//! }
//! assert_eq!(frontier.root(), root_at(3, &store).unwrap());
//!
//! // Sign a checkpoint; a client opens it and checks a proof.
//! let (skey, vkey) = generate_key("log.example").unwrap();
//! let signer = Signer::from_key_string(&skey).unwrap();
//! let cp = Checkpoint::new("log.example", frontier.size(), frontier.root());
//! let signed = sign_checkpoint(&cp, &[&signer]).unwrap();
//!
//! let verifier = Verifier::from_key_string(&vkey).unwrap();
//! let opened = open_checkpoint(signed.as_bytes(), &[&verifier]).unwrap();
//! let proof = inclusion_proof(1, 3, &store).unwrap();
//! let c = &opened.checkpoint;
//! verify_inclusion(1, c.size, &leaf_hash(b"b"), &proof, &c.root).unwrap();
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checkpoint;
pub mod cosignature;
pub mod error;
pub mod hash;
pub mod note;
pub mod proof;
pub mod range;
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
pub use range::root_with_leaves;
pub use tiles::{Tile, TilePath};
pub use tree::{CompactRange, MemoryTree, NodeId, NodeSource, StoredNode};
