//! Rebuilding a view from the store: every entry's leaf hash recomputed from its bytes, every
//! event decoded (any format ever written) and applied under the domain's rules, every tree
//! node the entries complete compared with the node stored for it, and the signed checkpoints
//! checked against the result. Whatever is served later (proofs, tiles) comes from what was
//! checked here.

use thidua_domain::Event;
use thidua_ledger::{leaf_hash, open_checkpoint, CompactRange, Hash, StoredNode, Verifier};
use thidua_store::{Entry, EventStore};

use crate::{LogKey, Progress, ServiceError, View};

/// Entries read per query.
pub(crate) const CHUNK: u64 = 10_000;

pub(crate) fn corrupt(index: u64, reason: impl Into<String>) -> ServiceError {
    ServiceError::Corrupt {
        index,
        reason: reason.into(),
    }
}

/// Applies every stored entry after `view.size` to `view`; returns how many.
pub(crate) fn catch_up(
    store: &dyn EventStore,
    view: &mut View,
    progress: Option<(u64, Progress<'_>)>,
) -> Result<u64, ServiceError> {
    let mut applied = 0;
    loop {
        let from = view.state.size;
        let entries = store.entries(from, from + CHUNK)?;
        if entries.is_empty() {
            return Ok(applied);
        }
        let mut completed = Vec::with_capacity(entries.len() * 2);
        for entry in &entries {
            apply_entry(view, entry, &mut completed)?;
            applied += 1;
        }
        check_stored_nodes(store, &completed)?;
        if let Some((total, report)) = progress {
            report(view.state.size, total.max(view.state.size));
        }
    }
}

/// Checks the first `upto` entries without decoding them: every leaf hash recomputed from the
/// bytes, every tree node they complete compared with the stored one. Returns the root they
/// give. This is what start-up from a snapshot runs before serving anything: the proofs, leaves,
/// entries and tiles below the snapshot are read from these rows, and hashing them costs a
/// fraction of decoding and applying the events (`thidua bench replay --from-snapshot`).
pub(crate) fn check_prefix(store: &dyn EventStore, upto: u64) -> Result<Hash, ServiceError> {
    let mut frontier = CompactRange::new();
    while frontier.size() < upto {
        let from = frontier.size();
        let entries = store.entries(from, (from + CHUNK).min(upto))?;
        if entries.is_empty() {
            return Err(corrupt(from, "entries before the snapshot are missing"));
        }
        let mut completed = Vec::with_capacity(entries.len() * 2);
        for entry in &entries {
            if entry.index != frontier.size() {
                return Err(corrupt(frontier.size(), "an entry is missing"));
            }
            let leaf = leaf_hash(&entry.bytes);
            if leaf != entry.leaf_hash {
                return Err(corrupt(
                    entry.index,
                    "the stored leaf hash does not match the event bytes",
                ));
            }
            completed.extend(frontier.append(leaf));
        }
        check_stored_nodes(store, &completed)?;
    }
    Ok(frontier.root())
}

/// Replays the first `upto` entries into a fresh view (leaf hashes recomputed, events decoded
/// and applied; the stored nodes were checked by [`check_prefix`] at start-up), telling
/// `progress` how many are done after each chunk.
pub(crate) fn replay_prefix(
    store: &dyn EventStore,
    upto: u64,
    progress: &dyn Fn(u64),
) -> Result<View, ServiceError> {
    let mut view = View::default();
    let mut ignored = Vec::new();
    while view.state.size < upto {
        let from = view.state.size;
        let entries = store.entries(from, (from + CHUNK).min(upto))?;
        if entries.is_empty() {
            return Err(corrupt(from, "entries before the snapshot are missing"));
        }
        for entry in &entries {
            if entry.index != view.state.size {
                return Err(corrupt(view.state.size, "an entry is missing"));
            }
            apply_entry(&mut view, entry, &mut ignored)?;
            ignored.clear();
        }
        progress(view.state.size);
    }
    Ok(view)
}

/// Checks one stored entry and folds it into the state and the frontier, collecting the tree
/// nodes it completes.
fn apply_entry(
    view: &mut View,
    entry: &Entry,
    completed: &mut Vec<StoredNode>,
) -> Result<(), ServiceError> {
    let leaf = leaf_hash(&entry.bytes);
    if leaf != entry.leaf_hash {
        return Err(corrupt(
            entry.index,
            "the stored leaf hash does not match the event bytes",
        ));
    }
    let event = Event::decode(view.state.size, &entry.bytes)
        .map_err(|e| corrupt(entry.index, e.to_string()))?;
    view.state
        .apply(&event)
        .map_err(|e| corrupt(entry.index, e.to_string()))?;
    completed.extend(view.frontier.append(leaf));
    Ok(())
}

/// Compares recomputed tree nodes with the stored ones: one range query per level.
pub(crate) fn check_stored_nodes(
    store: &dyn EventStore,
    computed: &[StoredNode],
) -> Result<(), ServiceError> {
    let mut by_level: std::collections::BTreeMap<u8, Vec<&StoredNode>> = Default::default();
    for node in computed {
        by_level.entry(node.level).or_default().push(node);
    }
    for (level, mut nodes) in by_level {
        nodes.sort_by_key(|n| n.index);
        let (first, last) = (nodes[0].index, nodes[nodes.len() - 1].index);
        let stored = store.nodes(level, first, last + 1)?;
        for node in nodes {
            let found = stored.get((node.index - first) as usize);
            if found != Some(&node.hash) {
                let leaf = node.index << level;
                return Err(corrupt(
                    leaf,
                    format!(
                        "the stored tree node at level {level}, index {} {} (recomputed from the entries)",
                        node.index,
                        if found.is_some() { "differs from the one recomputed" } else { "is missing" }
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses a log whose newest signed checkpoint is not for exactly its size: entries were
/// deleted (a checkpoint larger than the log) or added outside the service (a smaller one), or
/// a log holding entries has no signed checkpoint at all. Other servers may append meanwhile,
/// so the size is read before the checkpoint (a checkpoint read later is never smaller on a
/// sound log) and again before calling the log short. Returns the log's size.
///
/// Start-up runs it first; so do `thidua verify` on a database or backup (through
/// `thidua_transparency::client::LocalLog`) and `thidua export-tiles`: one check, one message.
pub fn check_not_truncated(store: &dyn EventStore) -> Result<u64, ServiceError> {
    let size = store.size()?;
    let newest = store.latest_checkpoint()?.map(|cp| cp.size);
    match newest {
        None if size == 0 => Ok(0),
        None => Err(corrupt(size, "the log has entries but no signed checkpoint")),
        Some(signed) if signed < size => Err(corrupt(
            signed,
            format!(
                "the log holds {size} entries but the newest signed checkpoint is for {signed}: entries were added outside the service"
            ),
        )),
        Some(signed) if signed > size => {
            let now = store.size()?;
            if signed > now {
                return Err(corrupt(
                    now,
                    format!(
                        "the log holds {now} entries but a checkpoint for {signed} was signed: entries were removed"
                    ),
                ));
            }
            Ok(now)
        }
        Some(_) => Ok(size),
    }
}

/// The checkpoint stored for the view's size must be signed by this log's key and commit to
/// the view's tree.
pub(crate) fn check_checkpoints(
    store: &dyn EventStore,
    key: &LogKey,
    view: &View,
) -> Result<(), ServiceError> {
    let size = view.state.size;
    if size == 0 {
        return Ok(());
    }
    let stored = store
        .checkpoint_at(size)?
        .ok_or_else(|| corrupt(size, "no signed checkpoint for the replayed log"))?;
    let verifier = Verifier::from_key_string(key.verifier_key())?;
    let opened = open_checkpoint(stored.note.as_bytes(), &[&verifier])?;
    if opened.checkpoint.size != size || opened.checkpoint.root != view.root() {
        return Err(corrupt(
            size,
            "the tree does not match the signed checkpoint",
        ));
    }
    Ok(())
}
