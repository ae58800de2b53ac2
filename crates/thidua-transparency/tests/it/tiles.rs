//! The tlog-tiles export: every hash tile and entry bundle is written, and a reader with only
//! the exported files recomputes the signed root and every entry's leaf hash.

use thidua_ledger::tiles::{decode_entry_bundle, TILE_WIDTH};
use thidua_ledger::{leaf_hash, open_checkpoint, CompactRange};
use thidua_transparency::tiles::export_tiles;

use crate::common::*;

#[test]
fn exported_tiles_reproduce_the_signed_root() {
    // More than one full tile, so full and partial tiles and two tile levels appear.
    let log = sqlite_log(290);
    let dir = tempfile::tempdir().unwrap();
    let store = log.service.store().clone();
    let out = export_tiles(&*store, Some(&*log.witnesses), dir.path(), true).unwrap();
    let size = log.service.read().size;
    assert_eq!(out.size, size);
    assert!(size > TILE_WIDTH);
    assert_eq!(out.entry_bundles, size.div_ceil(TILE_WIDTH));

    let note = std::fs::read(dir.path().join("checkpoint")).unwrap();
    let cp = open_checkpoint(&note, &[&log.log_verifier()])
        .unwrap()
        .checkpoint;
    // Level-0 tiles hold the leaf hashes; fold them into the root.
    let mut frontier = CompactRange::new();
    let mut n = 0;
    while frontier.size() < size {
        let width = (size - frontier.size()).min(TILE_WIDTH) as u16;
        let tile = thidua_ledger::Tile {
            level: 0,
            index: n,
            width,
        };
        let bytes = std::fs::read(dir.path().join(tile.path())).unwrap();
        assert_eq!(bytes.len(), 32 * usize::from(width));
        let bundle = std::fs::read(dir.path().join(tile.entries_path().unwrap())).unwrap();
        let entries = decode_entry_bundle(&bundle).unwrap();
        for (i, chunk) in bytes.chunks(32).enumerate() {
            assert_eq!(leaf_hash(&entries[i]).as_slice(), chunk);
            frontier.append(chunk.try_into().unwrap());
        }
        n += 1;
    }
    assert_eq!(frontier.root(), cp.root);
    // The level-1 tile is there too (partial: one node per full level-0 tile).
    let level1 = thidua_ledger::Tile {
        level: 1,
        index: 0,
        width: (size / TILE_WIDTH) as u16,
    };
    assert!(dir.path().join(level1.path()).exists());

    // Without entries: only the checkpoint and hash tiles.
    let bare = tempfile::tempdir().unwrap();
    let out = export_tiles(&*store, None, bare.path(), false).unwrap();
    assert_eq!(out.entry_bundles, 0);
    assert!(!bare.path().join("tile/entries").exists());
    assert!(bare.path().join("checkpoint").exists());
}
