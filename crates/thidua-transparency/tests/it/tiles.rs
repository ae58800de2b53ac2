//! The tlog-tiles export: every hash tile and entry bundle is written, and a reader with only
//! the exported files recomputes the signed root and every entry's leaf hash.

use thidua_ledger::tiles::{decode_entry_bundle, TILE_WIDTH};
use thidua_ledger::{leaf_hash, open_checkpoint, CompactRange};
use thidua_transparency::tiles::{export_tiles, ExportOptions};

use crate::common::*;

#[test]
fn exported_tiles_reproduce_the_signed_root() {
    // More than one full tile, so full and partial tiles and two tile levels appear.
    let log = sqlite_log(290);
    let dir = tempfile::tempdir().unwrap();
    let store = log.service.store().clone();
    let everything = ExportOptions {
        with_entries: true,
        ..ExportOptions::default()
    };
    let out = export_tiles(&*store, Some(&*log.witnesses), dir.path(), everything).unwrap();
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

    // By default: only the checkpoint and hash tiles, what the public may see.
    let bare = tempfile::tempdir().unwrap();
    let out = export_tiles(&*store, None, bare.path(), ExportOptions::default()).unwrap();
    assert_eq!(out.entry_bundles, 0);
    assert!(!bare.path().join("tile/entries").exists());
    assert!(bare.path().join("checkpoint").exists());
}

/// A reader holding an earlier checkpoint (one a witness cosigned) finds the partial tiles of
/// its size, and proves an entry against that checkpoint's root from the files alone.
#[test]
fn partial_tiles_of_earlier_checkpoints_are_exported() {
    let log = sqlite_log(20);
    let store = log.service.store().clone();
    let size = log.service.read().size;
    let earlier = (1..size)
        .rev()
        .find(|s| store.checkpoint_at(*s).unwrap().is_some() && s % TILE_WIDTH != size % TILE_WIDTH)
        .expect("an earlier checkpoint with another partial width");
    let cosigned = store.checkpoint_at(earlier).unwrap().unwrap();
    let cp = open_checkpoint(cosigned.note.as_bytes(), &[&log.log_verifier()])
        .unwrap()
        .checkpoint;
    let (unit, key) = &log.witness_keys[0];
    let line = key.cosign(&cp, now_secs()).unwrap().to_line();
    thidua_transparency::cosign::accept_cosignature(
        &log.service,
        &*log.witnesses,
        unit,
        earlier,
        &line,
        1,
    )
    .unwrap();
    let partial = |s: u64| thidua_ledger::Tile {
        level: 0,
        index: 0,
        width: (s % TILE_WIDTH) as u16,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = export_tiles(
        &*store,
        Some(&*log.witnesses),
        dir.path(),
        ExportOptions::default(),
    )
    .unwrap();
    assert_eq!(out.checkpoint_sizes, 2);
    let bytes = std::fs::read(dir.path().join(partial(earlier).path()))
        .expect("the partial tile of the cosigned checkpoint");
    let mut frontier = CompactRange::new();
    for chunk in bytes.chunks(32) {
        frontier.append(chunk.try_into().unwrap());
    }
    assert_eq!(frontier.root(), cp.root);
    assert!(dir.path().join(partial(size).path()).exists());
    // Every checkpoint on demand.
    let all = tempfile::tempdir().unwrap();
    let every = ExportOptions {
        every_checkpoint: true,
        ..ExportOptions::default()
    };
    let out = export_tiles(&*store, None, all.path(), every).unwrap();
    assert!(out.checkpoint_sizes > 2, "{out:?}");
}

/// An entry bundle prefixes each entry with a `u16` length: a log holding a longer event is
/// refused with that entry's index and size before any file is written, and exports without
/// entries as before.
#[test]
fn an_entry_too_long_for_a_bundle_is_refused_before_anything_is_written() {
    let log = sqlite_log(3);
    let size = log.service.read().size;
    let long_name = "Nguyễn Văn Kiên ".repeat(5_000);
    let event = thidua_domain::Event {
        index: size,
        time_ms: 1_733_000_000_000,
        actor: thidua_domain::Actor::System,
        salt: "ab".repeat(16),
        payload: thidua_domain::Payload::UserRegistered {
            user: thidua_domain::UserId::parse("dai.ten").unwrap(),
            display_name: thidua_domain::Text::parse("name", long_name.trim(), 1_000_000).unwrap(),
            demo: false,
        },
    };
    let length = append_signed_past_service(&log, &[event])[0];
    assert!(length > 65_535);
    let store = log.service.store().clone();

    let dir = tempfile::tempdir().unwrap();
    let with_entries = ExportOptions {
        with_entries: true,
        ..ExportOptions::default()
    };
    let err = export_tiles(&*store, None, dir.path(), with_entries)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("entry {size} is {length} bytes")) && err.contains("--with-entries"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );

    let out = export_tiles(&*store, None, dir.path(), ExportOptions::default()).unwrap();
    assert_eq!(out.size, size + 1);
    assert!(dir.path().join("checkpoint").exists());
}
