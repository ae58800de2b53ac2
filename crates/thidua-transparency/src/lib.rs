//! `thidua-transparency`: makes the event log checkable by anyone.
//!
//! * [`source`] — the [`NodeSource`](thidua_ledger::NodeSource) adapter over a store.
//! * [`log`] — proofs, leaf hashes, entries and checkpoints read from stored nodes (never
//!   rehashing the log).
//! * [`cosign`] — witness cosignatures: checking a posted one against the unit's key registered
//!   in the log, storing it, the quorum and the latest witnessed checkpoint.
//! * [`api`] — the public HTTP endpoints (`/api/v1/log/...`), an axum router.
//! * [`client`] — one interface over a log reached by HTTP or opened locally.
//! * [`witness`] — the witness: checks the log only grows, cosigns, keeps evidence of forks.
//! * [`verify`] — the independent verifier: recomputes leaves, root, signatures and the state.
//! * [`tiles`] — the static C2SP tlog-tiles export.
//! * [`trust`] — trust files (the log key and witness keys a verifier believes).
#![forbid(unsafe_code)]

pub mod api;
pub mod client;
pub mod cosign;
pub mod error;
pub mod local;
pub mod log;
pub mod source;
pub mod tiles;
pub mod trust;
pub mod verify;
pub mod witness;

pub use api::{router, EntryAccess, LogApiConfig, ReadAll, ReadNothing};
pub use cosign::{latest_witnessed_checkpoint, Quorum, WitnessedCheckpoint};
pub use error::TransparencyError;
pub use source::StoreNodes;
