//! The background audit after a start from a snapshot: the events the snapshot let start-up
//! skip are still what proofs and tiles are served from, so their bytes are hashed again, every
//! tree node they complete is compared with the stored one, and the recomputed root must be the
//! one the snapshot and its signed checkpoint name. A difference halts the service's writes.

use std::sync::Arc;

use thidua_ledger::{leaf_hash, CompactRange};

use crate::replay::{check_stored_nodes, corrupt, CHUNK};
use crate::{Service, ServiceError};

pub(crate) fn spawn(service: Arc<Service>, upto: u64) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("thidua-audit".into())
        .spawn(move || match audit(&service, upto) {
            Ok(()) => tracing::info!(
                upto,
                "audit of the log before the snapshot: all entries and tree nodes match"
            ),
            Err(e) => service.halt(&e),
        })
        .expect("spawn the audit thread")
}

/// Recomputes leaves, nodes and the root of the first `upto` entries.
fn audit(service: &Service, upto: u64) -> Result<(), ServiceError> {
    let store = &**service.store();
    let mut frontier = CompactRange::new();
    while frontier.size() < upto {
        let from = frontier.size();
        let entries = store.entries(from, (from + CHUNK).min(upto))?;
        if entries.is_empty() {
            return Err(corrupt(from, "entries before the snapshot are missing"));
        }
        let mut completed = Vec::with_capacity(entries.len() * 2);
        for entry in &entries {
            let leaf = leaf_hash(&entry.bytes);
            if leaf != entry.leaf_hash || entry.index != frontier.size() {
                return Err(corrupt(
                    entry.index,
                    "the stored leaf hash does not match the event bytes",
                ));
            }
            completed.extend(frontier.append(leaf));
        }
        check_stored_nodes(store, &completed)?;
    }
    let snapshot_root = crate::snapshot::open(store, service.key(), upto)
        .map(|v| v.root())
        .map_err(|e| corrupt(upto, e.to_string()))?;
    if frontier.root() != snapshot_root {
        return Err(corrupt(
            upto,
            "the entries before the snapshot do not give its root",
        ));
    }
    Ok(())
}
