//! Reads of the log for the public API and the verifier: signed checkpoints (with the stored
//! witness cosignatures appended), inclusion and consistency proofs, leaf hashes and entries.
//! Proofs come from the stored tree nodes through [`StoreNodes`]; nothing here rehashes the log.
//! Every size is bounded by the newest signed checkpoint, so a reader never sees a tree the
//! log has not signed. Checkpoints exist only for the sizes at the end of an append transaction
//! ([`checkpoint_sizes`] lists them); proofs are served for any size up to the newest signed
//! one, a size inside a batch included (its root is determined by the signed tree that
//! contains it).

use thidua_ledger::{consistency_proof, inclusion_proof, Hash};
use thidua_store::witness::WitnessStore;
use thidua_store::{Entry, EventStore};

use crate::error::TransparencyError;
use crate::source::StoreNodes;

/// Most leaf hashes returned by one request.
pub const MAX_LEAVES: u64 = 10_000;
/// Most entries returned by one request.
pub const MAX_ENTRIES: u64 = 1_000;

type Result<T> = std::result::Result<T, TransparencyError>;

/// The size of the newest signed checkpoint (0 for an empty log).
pub fn published_size(store: &dyn EventStore) -> Result<u64> {
    Ok(store.latest_checkpoint()?.map_or(0, |c| c.size))
}

/// Appends cosignature lines (without or with their newline) to a signed note.
pub fn with_cosignatures<'a>(note: &str, lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = note.to_owned();
    for line in lines {
        out.push_str(line.trim_end_matches('\n'));
        out.push('\n');
    }
    out
}

/// The signed checkpoint of `size` (or the newest one), followed by the witness cosignatures
/// stored for it. `None` when there is no such checkpoint.
pub fn checkpoint_note(
    store: &dyn EventStore,
    witnesses: &dyn WitnessStore,
    size: Option<u64>,
) -> Result<Option<String>> {
    let stored = match size {
        Some(size) => store.checkpoint_at(size)?,
        None => store.latest_checkpoint()?,
    };
    let Some(stored) = stored else {
        return Ok(None);
    };
    let cosigs = witnesses.cosignatures_at(stored.size)?;
    Ok(Some(with_cosignatures(
        &stored.note,
        cosigs.iter().map(|c| c.line.as_str()),
    )))
}

/// The newest signed size, and the sizes in `[from, from + count)` (none past the newest) that
/// have a signed checkpoint, ascending, read with one range query.
pub fn checkpoint_sizes(store: &dyn EventStore, from: u64, count: u64) -> Result<(u64, Vec<u64>)> {
    let newest = published_size(store)?;
    let end = from.saturating_add(count).min(newest.saturating_add(1));
    Ok((newest, store.checkpoint_sizes(from.max(1), end)?))
}

/// The inclusion proof of entry `index` in the tree of `size` entries, for any `size` up to the
/// newest signed size (whether or not that size has a checkpoint of its own).
pub fn inclusion(store: &dyn EventStore, index: u64, size: u64) -> Result<Vec<Hash>> {
    let published = published_size(store)?;
    if size > published {
        return Err(TransparencyError::bad(
            "size_not_published",
            format!("size {size} is beyond the newest checkpoint ({published})"),
        ));
    }
    if index >= size {
        return Err(TransparencyError::bad(
            "index_out_of_range",
            format!("index {index} is not below size {size}"),
        ));
    }
    Ok(inclusion_proof(index, size, &StoreNodes(store))?)
}

/// The consistency proof between the trees of `from` and `to` entries (`1 ≤ from ≤ to ≤` the
/// newest signed size; either may lie inside a batch).
pub fn consistency(store: &dyn EventStore, from: u64, to: u64) -> Result<Vec<Hash>> {
    let published = published_size(store)?;
    if to > published {
        return Err(TransparencyError::bad(
            "size_not_published",
            format!("size {to} is beyond the newest checkpoint ({published})"),
        ));
    }
    if from == 0 || from > to {
        return Err(TransparencyError::bad(
            "sizes_out_of_order",
            format!("a consistency proof needs 1 ≤ from ≤ to, got {from} and {to}"),
        ));
    }
    Ok(consistency_proof(from, to, &StoreNodes(store))?)
}

/// Clamps `[start, end)` to the published tree and to `max` items.
fn range(store: &dyn EventStore, start: u64, end: u64, max: u64) -> Result<(u64, u64)> {
    if start > end {
        return Err(TransparencyError::bad(
            "bad_range",
            format!("start {start} is after end {end}"),
        ));
    }
    let end = end
        .min(published_size(store)?)
        .min(start.saturating_add(max));
    Ok((start, end.max(start)))
}

/// Leaf hashes `[start, end)` from the stored tree (level 0), clamped to the published tree and
/// to [`MAX_LEAVES`]; fewer than asked means the caller must ask again from where it stopped.
pub fn leaf_hashes(store: &dyn EventStore, start: u64, end: u64) -> Result<Vec<Hash>> {
    let (start, end) = range(store, start, end, MAX_LEAVES)?;
    if start == end {
        return Ok(Vec::new());
    }
    Ok(store.nodes(0, start, end)?)
}

/// Stored tree nodes of `level`, indices `[start, end)`: complete subtrees of the published
/// tree only, at most [`MAX_LEAVES`]. Level 0 is [`leaf_hashes`]. Verifiers compare them with the
/// nodes they recompute, so a node altered in the database is found.
pub fn node_hashes(store: &dyn EventStore, level: u8, start: u64, end: u64) -> Result<Vec<Hash>> {
    if level >= 64 {
        return Err(TransparencyError::bad(
            "bad_level",
            format!("level {level} is not below 64"),
        ));
    }
    if start > end {
        return Err(TransparencyError::bad(
            "bad_range",
            format!("start {start} is after end {end}"),
        ));
    }
    let complete = published_size(store)? >> level;
    let end = end.min(complete).min(start.saturating_add(MAX_LEAVES));
    if start >= end {
        return Ok(Vec::new());
    }
    Ok(store.nodes(level, start, end)?)
}

/// Entries `[start, end)` as stored, clamped to the published tree and to [`MAX_ENTRIES`].
pub fn entries(store: &dyn EventStore, start: u64, end: u64) -> Result<Vec<Entry>> {
    let (start, end) = range(store, start, end, MAX_ENTRIES)?;
    if start == end {
        return Ok(Vec::new());
    }
    Ok(store.entries(start, end)?)
}
