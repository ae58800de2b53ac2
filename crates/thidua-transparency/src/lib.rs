//! `thidua-transparency`: makes the event log checkable by anyone.
//!
//! * [`source`] — the [`NodeSource`](thidua_ledger::NodeSource) adapter over a store.
//! * [`log`] — proofs, leaf hashes, entries and checkpoints read from stored nodes (never
//!   rehashing the log).
//! * [`cosign`] — witness cosignatures: checking a posted one against the unit's key registered
//!   in the log, storing it, the quorum and the latest witnessed checkpoint.
//! * [`api`] — the public HTTP endpoints (`/api/v1/log/...`), an axum router.
//! * [`client`] — one interface over a log reached by HTTP or read from stores the caller opened.
//! * [`witness`] — the witness: checks the log only grows, cosigns, keeps evidence of forks.
//! * [`verify`] — the independent verifier: recomputes leaves, root, signatures and the state.
//! * [`tiles`] — the static C2SP tlog-tiles export.
//! * [`trust`] — trust files (the log key and witness keys a verifier believes).
//!
//! Architecture invariant: this crate only *reads* the log (it never appends events); the only
//! thing it writes on a server is the witness cosignature table. Everything a verifier or a
//! witness concludes is recomputed from hashes and signatures, never taken from the server.
//! It opens no database: it takes the store traits (`EventStore`, `WitnessStore`) from its
//! caller, and depends on no backend (the binary opens the store, in its `storage.rs`).
//!
//! Wiring into the web server (inside its `Router<AppState>` builder, before the layers):
//!
//! ```ignore
//! // `witnesses`: the opened database's `Arc<dyn WitnessStore>` (the binary's `Stores`).
//! let log_api = thidua_transparency::router(service.clone(), witnesses, LogApiConfig {
//!     access: Arc::new(MyScopeAccess(..)),      // impl EntryAccess: who may read contents
//! });
//! Router::new().merge(api::routes()).merge(log_api) /* .layer(..).with_state(app) */
//! ```
#![forbid(unsafe_code)]

pub mod api;
pub mod client;
pub mod cosign;
pub mod error;
pub mod log;
pub mod source;
pub mod tiles;
pub mod trust;
pub mod verify;
pub mod witness;

pub use api::{router, EntryAccess, LogApiConfig, ReadAll, ReadNothing};
pub use cosign::{latest_witnessed_checkpoint, WitnessedCheckpoint};
pub use error::TransparencyError;
pub use source::StoreNodes;
