//! The static C2SP tlog-tiles export (`thidua export-tiles DIR`): `checkpoint`,
//! `tile/<L>/<N>[.p/<W>]` read from the stored nodes, and `tile/entries/<N>[.p/<W>]` bundles of
//! the canonical event bytes (only when asked: by default the export holds what the public may
//! see, hashes), so that a plain web server can publish the log. Partial tiles are written for
//! every published checkpoint size a reader may hold, not only the newest. The checkpoint is
//! written last: a reader never sees a checkpoint whose tiles are not there yet. A log holding
//! an entry longer than a bundle can carry (65,535 bytes) is refused before anything is written
//! when entries are asked for.

use std::path::Path;

use std::collections::BTreeSet;

use thidua_ledger::tiles::{encode_entry_bundle, entries_path, tiles_for_size, TILE_WIDTH};
use thidua_ledger::Tile;
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;

use crate::error::TransparencyError;
use crate::log::{checkpoint_note, published_size, with_cosignatures};
use crate::source::StoreNodes;

/// What an export publishes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Also write the entry bundles (every event's canonical bytes: names, roles, salts). Off
    /// by default: the public sees hashes only, as from the API without sign-in.
    pub with_entries: bool,
    /// Write the partial tiles of *every* signed checkpoint (one per append transaction; each
    /// size is looked up, so this reads the whole checkpoint table). By default the partial
    /// tiles are those of the newest checkpoint and of every checkpoint a witness cosigned —
    /// the checkpoints readers hold.
    pub every_checkpoint: bool,
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    pub size: u64,
    pub hash_tiles: u64,
    pub entry_bundles: u64,
    pub bytes: u64,
    /// Checkpoint sizes whose partial tiles were written (the newest included).
    pub checkpoint_sizes: u64,
}

fn io_error(path: &Path, e: std::io::Error) -> TransparencyError {
    TransparencyError::Store(thidua_store::StoreError::Backend(format!(
        "{}: {e}",
        path.display()
    )))
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), TransparencyError> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| io_error(&path, e))
}

/// The checkpoint sizes below `size` whose partial tiles are published (see [`ExportOptions`]).
fn earlier_sizes(
    store: &dyn EventStore,
    witnesses: Option<&dyn WitnessStore>,
    size: u64,
    every_checkpoint: bool,
) -> Result<BTreeSet<u64>, TransparencyError> {
    let mut sizes = BTreeSet::new();
    if let Some(w) = witnesses {
        sizes.extend(
            w.cosigned_sizes(1, u32::MAX)?
                .into_iter()
                .filter(|s| *s < size),
        );
    }
    if every_checkpoint {
        sizes.extend(store.checkpoint_sizes(1, size)?);
    }
    Ok(sizes)
}

/// The longest entry an entry bundle can hold: each is prefixed by its length as a `u16`.
const MAX_BUNDLED_ENTRY: usize = u16::MAX as usize;

/// Refuses, before anything is written, a log holding an entry too long for an entry bundle
/// (a covenant draft of many long targets can be), naming the first such entry.
fn check_entry_lengths(store: &dyn EventStore, size: u64) -> Result<(), TransparencyError> {
    let mut start = 0;
    while start < size {
        let end = (start + TILE_WIDTH).min(size);
        let entries = store.entries(start, end)?;
        if let Some((i, e)) = (start..)
            .zip(&entries)
            .find(|(_, e)| e.bytes.len() > MAX_BUNDLED_ENTRY)
        {
            return Err(TransparencyError::bad(
                "entry_too_long_for_bundle",
                format!(
                    "entry {i} is {} bytes; a tlog-tiles entry bundle holds entries of at most \
                     {MAX_BUNDLED_ENTRY} bytes, so this log cannot be exported with its entries; \
                     export without --with-entries (checkpoint and hash tiles) instead",
                    e.bytes.len()
                ),
            ));
        }
        start = end;
    }
    Ok(())
}

/// Exports the log at its newest checkpoint into `dir`: the checkpoint (with its witness
/// cosignatures), every full hash tile, the partial hash tiles of the newest checkpoint and of
/// earlier published ones ([`ExportOptions`]), and the entry bundles only when asked. Files of
/// earlier exports are left in place (tiles never change), so exporting after each checkpoint
/// also keeps every partial tile a reader may need.
pub fn export_tiles(
    store: &dyn EventStore,
    witnesses: Option<&dyn WitnessStore>,
    dir: &Path,
    options: ExportOptions,
) -> Result<Exported, TransparencyError> {
    let size = published_size(store)?;
    let note = match witnesses {
        Some(w) => checkpoint_note(store, w, None)?,
        None => store
            .latest_checkpoint()?
            .map(|c| with_cosignatures(&c.note, [])),
    }
    .ok_or_else(|| TransparencyError::NotFound("the log has no checkpoint yet".into()))?;
    if options.with_entries {
        check_entry_lengths(store, size)?;
    }
    let mut out = Exported {
        size,
        ..Exported::default()
    };
    let earlier = earlier_sizes(store, witnesses, size, options.every_checkpoint)?;
    let mut partials: BTreeSet<Tile> = BTreeSet::new();
    for s in &earlier {
        partials.extend(tiles_for_size(*s).filter(Tile::is_partial));
    }
    let newest: BTreeSet<Tile> = tiles_for_size(size).collect();
    partials.retain(|t| !newest.contains(t));
    out.checkpoint_sizes = earlier.len() as u64 + 1;
    let source = StoreNodes(store);
    for tile in newest.iter().chain(&partials) {
        let bytes = tile.read(&source)?;
        write(dir, &tile.path(), &bytes)?;
        out.hash_tiles += 1;
        out.bytes += bytes.len() as u64;
    }
    if options.with_entries {
        let mut start = 0;
        while start < size {
            let end = (start + TILE_WIDTH).min(size);
            let entries = store.entries(start, end)?;
            if entries.len() as u64 != end - start {
                return Err(TransparencyError::NotFound(format!(
                    "entries {start}..{end} are missing from the store"
                )));
            }
            let bytes: Vec<&[u8]> = entries.iter().map(|e| e.bytes.as_slice()).collect();
            let bundle = encode_entry_bundle(&bytes)?;
            write(
                dir,
                &entries_path(start / TILE_WIDTH, (end - start) as u16)?,
                &bundle,
            )?;
            out.entry_bundles += 1;
            out.bytes += bundle.len() as u64;
            start = end;
        }
    }
    write(dir, "checkpoint", note.as_bytes())?;
    Ok(out)
}
