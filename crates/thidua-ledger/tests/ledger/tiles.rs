//! tlog-tiles paths, tile enumeration and contents, entry bundles.

use std::collections::BTreeSet;

use thidua_ledger::tiles::{
    changed_tiles, decode_entry_bundle, encode_entry_bundle, entries_path, new_tiles,
    tile_index_path, tiles, tiles_for_size,
};
use thidua_ledger::{root_at, LedgerError, MemoryTree, Tile, TilePath};

use crate::common::naive_root;

#[test]
fn index_paths() {
    assert_eq!(tile_index_path(0), "000");
    assert_eq!(tile_index_path(7), "007");
    assert_eq!(tile_index_path(999), "999");
    assert_eq!(tile_index_path(1000), "x001/000");
    assert_eq!(tile_index_path(1234067), "x001/x234/067");
    assert_eq!(
        tile_index_path(u64::MAX),
        "x018/x446/x744/x073/x709/x551/615"
    );
    let t = Tile {
        level: 0,
        index: 1234067,
        width: 256,
    };
    assert_eq!(t.path(), "tile/0/x001/x234/067");
    let p = Tile {
        level: 2,
        index: 5,
        width: 17,
    };
    assert_eq!(p.path(), "tile/2/005.p/17");
    assert!(p.is_partial() && !t.is_partial());
    assert_eq!(
        entries_path(1234067, 256).unwrap(),
        "tile/entries/x001/x234/067"
    );
    assert_eq!(entries_path(3, 1).unwrap(), "tile/entries/003.p/1");
    assert!(entries_path(3, 0).is_err());
    assert!(entries_path(3, 257).is_err());
    assert_eq!(
        Tile {
            level: 0,
            index: 3,
            width: 9
        }
        .entries_path()
        .unwrap(),
        "tile/entries/003.p/9"
    );
    assert!(p.entries_path().is_err());
}

#[test]
fn parse_paths() {
    for (s, want) in [
        (
            "tile/0/000",
            TilePath::Hashes(Tile {
                level: 0,
                index: 0,
                width: 256,
            }),
        ),
        (
            "tile/0/x001/x234/067",
            TilePath::Hashes(Tile {
                level: 0,
                index: 1234067,
                width: 256,
            }),
        ),
        (
            "tile/63/001.p/255",
            TilePath::Hashes(Tile {
                level: 63,
                index: 1,
                width: 255,
            }),
        ),
        (
            "tile/entries/x001/000.p/1",
            TilePath::Entries {
                index: 1000,
                width: 1,
            },
        ),
    ] {
        assert_eq!(TilePath::parse(s).unwrap(), want, "{s}");
        if let TilePath::Hashes(t) = want {
            assert_eq!(t.path(), s);
        }
    }
    for bad in [
        "",
        "tile/",
        "tile/0",
        "tile/0/",
        "tile/00/000",
        "tile/64/000",
        "tile/-1/000",
        "tile/0/0",
        "tile/0/0000",
        "tile/0/x000/001",
        "tile/0/001/002",
        "tile/0/x001",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/07",
        "tile/0/000.p/",
        "tiles/0/000",
        "tile/entries/00a",
        "tile/0/x018/x446/x744/x073/x709/x551/616",
    ] {
        assert!(
            matches!(TilePath::parse(bad), Err(LedgerError::InvalidTile(_))),
            "{bad:?} accepted"
        );
    }
}

fn summary(size: u64) -> Vec<(u8, usize, Option<u16>)> {
    // (level, full tiles, partial width)
    let mut out: Vec<(u8, usize, Option<u16>)> = Vec::new();
    for t in tiles_for_size(size) {
        if out.last().is_none_or(|l| l.0 != t.level) {
            out.push((t.level, 0, None));
        }
        let last = out.last_mut().unwrap();
        if t.is_partial() {
            last.2 = Some(t.width);
        } else {
            last.1 += 1;
        }
    }
    out
}

#[test]
fn tile_enumeration_matches_spec_examples() {
    // "a tree of size 70,000 will be represented by 273 full level 0 tiles,
    // one partial level 0 tile of width 112, one full level 1 tile, one
    // partial level 1 tile of width 17, and one partial level 2 tile of
    // width 1."
    assert_eq!(
        summary(70_000),
        vec![(0, 273, Some(112)), (1, 1, Some(17)), (2, 0, Some(1))]
    );
    // "a tree of size 256 will be represented by a full level 0 tile and a
    // partial level 1 tile of width 1."
    assert_eq!(summary(256), vec![(0, 1, None), (1, 0, Some(1))]);
    assert!(summary(0).is_empty());
    assert_eq!(summary(1), vec![(0, 0, Some(1))]);
}

#[test]
fn new_tiles_are_the_difference() {
    for (old, new) in [
        (0, 1),
        (1, 2),
        (255, 256),
        (256, 257),
        (1000, 70_000),
        (65_535, 65_536),
        (70_000, 70_000),
    ] {
        let before: BTreeSet<Tile> = tiles_for_size(old).collect();
        let after: BTreeSet<Tile> = tiles_for_size(new).collect();
        let want: BTreeSet<Tile> = after.difference(&before).copied().collect();
        let got: BTreeSet<Tile> = new_tiles(old, new).collect();
        assert_eq!(got, want, "{old} -> {new}");
    }
    assert_eq!(new_tiles(10, 5).count(), 0);
}

#[test]
fn tile_contents_come_from_stored_nodes() {
    let n = 256 * 3 + 5;
    let mem = MemoryTree::from_entries((0..n as u32).map(|i| i.to_be_bytes()));
    let leaf_hashes: Vec<_> = (0..n)
        .map(|i| thidua_ledger::leaf_hash(&(i as u32).to_be_bytes()))
        .collect();
    let all: Vec<_> = tiles(n, &mem).collect::<Result<_, _>>().unwrap();
    let paths: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "tile/0/000",
            "tile/0/001",
            "tile/0/002",
            "tile/0/003.p/5",
            "tile/1/000.p/3"
        ]
    );
    // Level 0: the leaf hashes.
    assert_eq!(all[0].1, leaf_hashes[..256].concat());
    assert_eq!(all[3].1, leaf_hashes[768..].concat());
    // Level 1: each hash is the MTH of a full level-0 tile.
    let l1 = &all[4].1;
    assert_eq!(l1.len(), 3 * 32);
    for i in 0..3 {
        assert_eq!(
            &l1[i * 32..(i + 1) * 32],
            naive_root(&leaf_hashes[i * 256..(i + 1) * 256])
        );
    }
    // Reconstructing the root from tiles agrees.
    assert_eq!(root_at(768, &mem).unwrap(), naive_root(&leaf_hashes[..768]));
    // changed_tiles only reads what changed.
    let changed: Vec<_> = changed_tiles(n - 1, n, &mem)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, "tile/0/003.p/5");
    // A tile beyond the tree cannot be read.
    assert!(Tile {
        level: 0,
        index: 4,
        width: 1
    }
    .read(&mem)
    .is_err());
    assert!(Tile {
        level: 8,
        index: 0,
        width: 1
    }
    .read(&mem)
    .is_err());
}

#[test]
fn entry_bundles_round_trip() {
    let entries: Vec<Vec<u8>> = vec![b"".to_vec(), b"hello".to_vec(), vec![7u8; 65_535]];
    let b = encode_entry_bundle(&entries).unwrap();
    assert_eq!(&b[..9], &[0, 0, 0, 5, b'h', b'e', b'l', b'l', b'o']);
    assert_eq!(decode_entry_bundle(&b).unwrap(), entries);
    assert!(encode_entry_bundle(&[vec![0u8; 65_536]]).is_err());
    assert!(encode_entry_bundle::<Vec<u8>>(&[]).is_err());
    assert!(encode_entry_bundle(&vec![b"x".to_vec(); 257]).is_err());
    assert!(matches!(
        decode_entry_bundle(&[0]),
        Err(LedgerError::MalformedEntryBundle(_))
    ));
    assert!(matches!(
        decode_entry_bundle(&[0, 3, 1, 2]),
        Err(LedgerError::MalformedEntryBundle(_))
    ));
}
