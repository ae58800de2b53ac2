//! The static C2SP tlog-tiles export (`thidua export-tiles DIR`): `checkpoint`,
//! `tile/<L>/<N>[.p/<W>]` read from the stored nodes, and `tile/entries/<N>[.p/<W>]` bundles of
//! the canonical event bytes, so that a plain web server can publish the log. The checkpoint is
//! written last: a reader never sees a checkpoint whose tiles are not there yet.

use std::path::Path;

use thidua_ledger::tiles::{encode_entry_bundle, entries_path, tiles, TILE_WIDTH};
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;

use crate::error::TransparencyError;
use crate::log::{checkpoint_note, published_size, with_cosignatures};
use crate::source::StoreNodes;

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exported {
    pub size: u64,
    pub hash_tiles: u64,
    pub entry_bundles: u64,
    pub bytes: u64,
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), TransparencyError> {
    let path = dir.join(rel);
    let io = |e: std::io::Error| {
        TransparencyError::Store(thidua_store::StoreError::Backend(format!(
            "{}: {e}",
            path.display()
        )))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(&path, bytes).map_err(io)
}

/// Exports the log at its newest checkpoint into `dir`. With `with_entries` false only the
/// checkpoint and hash tiles are written (contents stay private; proofs still work).
pub fn export_tiles(
    store: &dyn EventStore,
    witnesses: Option<&dyn WitnessStore>,
    dir: &Path,
    with_entries: bool,
) -> Result<Exported, TransparencyError> {
    let size = published_size(store)?;
    let note = match witnesses {
        Some(w) => checkpoint_note(store, w, None)?,
        None => store
            .latest_checkpoint()?
            .map(|c| with_cosignatures(&c.note, [])),
    }
    .ok_or_else(|| TransparencyError::NotFound("the log has no checkpoint yet".into()))?;
    let mut out = Exported {
        size,
        ..Exported::default()
    };
    for tile in tiles(size, &StoreNodes(store)) {
        let (path, bytes) = tile?;
        write(dir, &path, &bytes)?;
        out.hash_tiles += 1;
        out.bytes += bytes.len() as u64;
    }
    if with_entries {
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
