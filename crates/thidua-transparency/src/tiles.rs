//! The static C2SP tlog-tiles export (`thidua export-tiles DIR`): `checkpoint`,
//! `tile/<L>/<N>[.p/<W>]` read from the stored nodes, and `tile/entries/<N>[.p/<W>]` bundles of
//! the canonical event bytes (only when asked: by default the export holds what the public may
//! see, hashes), so that a plain web server can publish the log. Partial tiles are written for
//! every published checkpoint size a reader may hold, not only the newest. The checkpoint is
//! written last: a reader never sees a checkpoint whose tiles are not there yet. A log holding
//! an entry longer than a bundle can carry (65,535 bytes) is refused before anything is written
//! when entries are asked for.
//!
//! The directory is empty, or an earlier export of the same log (its `checkpoint` one this log
//! signed, every other file a tile): anything else is refused before anything is written, so
//! that an export never mixes two logs. Over an earlier export, the partial tiles it published
//! are written again (readers may hold its checkpoint) and the rest of it goes: entry bundles
//! in particular, when the new export is not asked for them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use thidua_ledger::tiles::{
    encode_entry_bundle, entries_path, tiles_for_size, TILE_HEIGHT, TILE_WIDTH,
};
use thidua_ledger::{Tile, TilePath};
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
    /// Files of an earlier export in the directory that this one does not write (entry
    /// bundles when entries are not asked for), removed.
    pub removed: u64,
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

/// The tile files (paths relative to the directory) of an earlier export of this log in `dir`,
/// or none when `dir` is missing or empty. Anything else is refused, naming what: a file no
/// export writes, or a `checkpoint` that is not one this log signed (another log, or another
/// history of it).
fn earlier_export(store: &dyn EventStore, dir: &Path) -> Result<Vec<TilePath>, TransparencyError> {
    let refuse = |why: String| {
        TransparencyError::bad(
            "not_an_export_of_this_log",
            format!(
                "thư mục không trống / {} is not empty and {why}; give an empty directory or an \
                 earlier export of this log",
                dir.display()
            ),
        )
    };
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    list_files(dir, dir, &mut files).map_err(|e| io_error(dir, e))?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let mut tiles = Vec::new();
    let mut checkpoint = false;
    for rel in &files {
        match rel.as_str() {
            "checkpoint" => checkpoint = true,
            path => tiles.push(
                TilePath::parse(path)
                    .map_err(|_| refuse(format!("holds {path}, which no export writes")))?,
            ),
        }
    }
    if !checkpoint {
        return Err(refuse("holds tiles without a checkpoint".into()));
    }
    let path = dir.join("checkpoint");
    let note = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
    let body = |note: &str| note.split_once("\n\n").map(|(b, _)| b.to_owned());
    let size: Option<u64> = note.lines().nth(1).and_then(|l| l.parse().ok());
    let signed = match size {
        Some(size) => store.checkpoint_at(size)?,
        None => None,
    };
    match (body(&note), signed) {
        (Some(b), Some(signed)) if body(&signed.note).as_ref() == Some(&b) => Ok(tiles),
        _ => Err(refuse(
            "its checkpoint is not one this log signed: it is an export of another log".into(),
        )),
    }
}

/// Every file under `dir`, as paths relative to `root` with `/` separators; a symbolic link
/// or anything else that is not a file or a directory is listed as itself, to be refused.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

/// Whether a tile's hashes are all in the tree of `size` leaves.
fn within(tile: &Tile, size: u64) -> bool {
    let level = u32::from(tile.level) * u32::from(TILE_HEIGHT);
    let end = u128::from(tile.index) * u128::from(TILE_WIDTH) + u128::from(tile.width);
    level < 64 && end << level <= u128::from(size)
}

/// Removes the files of an earlier export that this export does not write, and the folders
/// they leave empty; returns how many files went.
fn remove_stale(
    dir: &Path,
    earlier: &[TilePath],
    written: &BTreeSet<String>,
) -> Result<u64, TransparencyError> {
    let mut removed = 0;
    let mut folders = BTreeSet::new();
    for tile in earlier {
        let rel = path_of(tile)?;
        if written.contains(&rel) {
            continue;
        }
        let path = dir.join(&rel);
        std::fs::remove_file(&path).map_err(|e| io_error(&path, e))?;
        removed += 1;
        let mut parent = path.parent().map(Path::to_path_buf);
        while let Some(p) = parent.filter(|p| p.as_path() != dir) {
            parent = p.parent().map(Path::to_path_buf);
            folders.insert(p);
        }
    }
    // Deepest first; a folder that still holds something stays.
    let mut folders: Vec<PathBuf> = folders.into_iter().collect();
    folders.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for folder in folders {
        let _ = std::fs::remove_dir(folder);
    }
    Ok(removed)
}

/// The relative path of a tile or entry bundle.
fn path_of(tile: &TilePath) -> Result<String, TransparencyError> {
    Ok(match tile {
        TilePath::Hashes(t) => t.path(),
        TilePath::Entries { index, width } => entries_path(*index, *width)?,
    })
}

/// Exports the log at its newest checkpoint into `dir`: the checkpoint (with its witness
/// cosignatures), every full hash tile, the partial hash tiles of the newest checkpoint and of
/// earlier published ones ([`ExportOptions`]), and the entry bundles only when asked. `dir` is
/// empty or an earlier export of this log (else refused before anything is written): the
/// partial tiles that export published are written again, the rest of it is removed (entry
/// bundles when they are not asked for), so exporting after each checkpoint keeps every
/// partial tile a reader may need and nothing else.
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
    let before = earlier_export(store, dir)?;
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
    // The partial tiles and bundles the earlier export published, for its readers.
    let mut bundles: BTreeSet<(u64, u64)> = BTreeSet::new();
    for tile in &before {
        match *tile {
            TilePath::Hashes(t) if t.is_partial() && within(&t, size) => {
                partials.insert(t);
            }
            TilePath::Entries { index, width } if options.with_entries => {
                let start = index.saturating_mul(TILE_WIDTH);
                let end = start.saturating_add(u64::from(width));
                if end <= size && end - start < TILE_WIDTH {
                    bundles.insert((start, end));
                }
            }
            _ => {}
        }
    }
    let newest: BTreeSet<Tile> = tiles_for_size(size).collect();
    partials.retain(|t| !newest.contains(t));
    out.checkpoint_sizes = earlier.len() as u64 + 1;
    let mut written: BTreeSet<String> = newest.iter().chain(&partials).map(Tile::path).collect();
    if options.with_entries {
        let mut start = 0;
        while start < size {
            let end = (start + TILE_WIDTH).min(size);
            bundles.insert((start, end));
            start = end;
        }
        for (start, end) in &bundles {
            written.insert(entries_path(start / TILE_WIDTH, (end - start) as u16)?);
        }
    }
    // What the earlier export holds and this one does not write goes before anything is
    // written: contents no longer asked for are not left published.
    out.removed = remove_stale(dir, &before, &written)?;
    let source = StoreNodes(store);
    for tile in newest.iter().chain(&partials) {
        let bytes = tile.read(&source)?;
        write(dir, &tile.path(), &bytes)?;
        out.hash_tiles += 1;
        out.bytes += bytes.len() as u64;
    }
    for (start, end) in bundles {
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
    }
    write(dir, "checkpoint", note.as_bytes())?;
    Ok(out)
}
