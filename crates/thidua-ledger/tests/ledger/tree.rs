//! Stored-node model: MemoryTree, CompactRange, proofs from stored nodes.

use std::cell::RefCell;
use std::collections::HashMap;

use thidua_ledger::tree::{peak_ids, range_nodes};
use thidua_ledger::{
    consistency_proof, empty_root, inclusion_proof, leaf_hash, node_hash, root_at, CompactRange,
    Hash, LedgerError, MemoryTree, NodeId, NodeSource, StoredNode,
};

use crate::common::{leaves, naive_root};

#[test]
fn hashing_primitives() {
    // Known RFC 6962 values.
    assert_eq!(
        thidua_ledger::hash::hex(&empty_root()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        thidua_ledger::hash::hex(&leaf_hash(b"")),
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    );
    let l = leaf_hash(b"a");
    let r = leaf_hash(b"b");
    let mut buf = vec![1u8];
    buf.extend_from_slice(&l);
    buf.extend_from_slice(&r);
    use sha2::Digest as _;
    let want: Hash = sha2::Sha256::digest(&buf).into();
    assert_eq!(node_hash(&l, &r), want);
    assert!(matches!(
        thidua_ledger::hash_from_slice(&[0u8; 31]),
        Err(LedgerError::InvalidHashLength { got: 31 })
    ));
}

/// A node store fed only by `CompactRange::append` output, counting reads.
#[derive(Default)]
struct Recorded {
    nodes: HashMap<NodeId, Hash>,
    reads: RefCell<usize>,
    calls: RefCell<usize>,
}

impl NodeSource for Recorded {
    fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        *self.reads.borrow_mut() += 1;
        self.nodes
            .get(&(level, index))
            .copied()
            .ok_or(LedgerError::NodeNotFound { level, index })
    }
    fn nodes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, LedgerError> {
        *self.calls.borrow_mut() += 1;
        ids.iter().map(|&(l, i)| self.node(l, i)).collect()
    }
}

#[test]
fn compact_range_matches_naive_for_every_size() {
    let all = leaves(600);
    let mut cr = CompactRange::new();
    let mut mem = MemoryTree::new();
    let mut store = Recorded::default();
    assert_eq!(cr.root(), empty_root());
    for (i, leaf) in all.iter().enumerate() {
        let emitted = cr.append(*leaf);
        assert_eq!(emitted, mem.append(*leaf), "size {}", i + 1);
        // Leaf first, then each completed parent bottom-up.
        assert_eq!(
            emitted[0],
            StoredNode {
                level: 0,
                index: i as u64,
                hash: *leaf
            }
        );
        assert_eq!(emitted.len(), 1 + (i as u64).trailing_ones() as usize);
        for n in emitted {
            assert!(store.nodes.insert((n.level, n.index), n.hash).is_none());
        }
        let size = i as u64 + 1;
        let want = naive_root(&all[..=i]);
        assert_eq!(cr.root(), want, "size {size}");
        assert_eq!(cr.size(), size);
        assert_eq!(mem.root(), want);
        assert_eq!(root_at(size, &store).unwrap(), want);
        // Rebuild from stored nodes with popcount(size) reads.
        *store.reads.borrow_mut() = 0;
        let rebuilt = CompactRange::from_source(size, &store).unwrap();
        assert_eq!(rebuilt, cr);
        assert_eq!(*store.reads.borrow(), size.count_ones() as usize);
    }
    // Total stored nodes = 2n - popcount(n).
    assert_eq!(store.nodes.len(), 2 * 600 - 600u64.count_ones() as usize);
}

#[test]
fn compact_range_from_parts() {
    let mem = MemoryTree::from_entries((0..13u32).map(|i| i.to_be_bytes()));
    let cr = CompactRange::from_source(13, &mem).unwrap();
    assert_eq!(cr.peaks().len(), 3);
    assert_eq!(
        CompactRange::from_parts(13, cr.peaks().to_vec()).unwrap(),
        cr
    );
    assert!(CompactRange::from_parts(12, cr.peaks().to_vec()).is_err());
    assert_eq!(peak_ids(13), vec![(3, 0), (2, 2), (0, 12)]);
    assert!(peak_ids(0).is_empty());
}

#[test]
fn range_nodes_decomposition() {
    assert_eq!(range_nodes(0, 8), vec![(3, 0)]);
    assert_eq!(range_nodes(8, 15), vec![(2, 2), (1, 6), (0, 14)]);
    assert_eq!(range_nodes(4, 5), vec![(0, 4)]);
    assert!(range_nodes(5, 5).is_empty());
}

#[test]
fn proofs_read_stored_nodes_in_one_call() {
    let mem = MemoryTree::from_entries((0..1000u32).map(|i| i.to_be_bytes()));
    let mut store = Recorded::default();
    for l in 0..10u8 {
        let mut i = 0;
        while let Ok(h) = mem.node(l, i) {
            store.nodes.insert((l, i), h);
            i += 1;
        }
    }
    let p = inclusion_proof(3, 999, &store).unwrap();
    assert_eq!(*store.calls.borrow(), 1);
    assert_eq!(p.len(), 10);
    // Complete-subtree siblings plus the composed right edge: O(log n) reads.
    assert!(
        *store.reads.borrow() <= 20,
        "{} reads",
        store.reads.borrow()
    );
    *store.calls.borrow_mut() = 0;
    consistency_proof(300, 999, &store).unwrap();
    assert_eq!(*store.calls.borrow(), 1);
}

#[test]
fn proof_generation_errors() {
    let mem = MemoryTree::from_entries((0..10u32).map(|i| i.to_be_bytes()));
    assert!(matches!(
        inclusion_proof(10, 10, &mem),
        Err(LedgerError::IndexOutOfRange {
            index: 10,
            size: 10
        })
    ));
    assert!(matches!(
        inclusion_proof(0, 0, &mem),
        Err(LedgerError::IndexOutOfRange { .. })
    ));
    assert!(matches!(
        inclusion_proof(0, 11, &mem),
        Err(LedgerError::NodeNotFound { .. })
    ));
    assert!(matches!(
        root_at(12, &mem),
        Err(LedgerError::NodeNotFound { .. })
    ));
    assert_eq!(root_at(0, &mem).unwrap(), empty_root());
    assert!(matches!(
        consistency_proof(5, 4, &mem),
        Err(LedgerError::SizesOutOfOrder { size1: 5, size2: 4 })
    ));
    assert!(matches!(
        consistency_proof(0, 4, &mem),
        Err(LedgerError::ConsistencyFromEmptyTree)
    ));
    assert!(consistency_proof(4, 4, &mem).unwrap().is_empty());
    assert!(inclusion_proof(0, 1, &mem).unwrap().is_empty());
}

#[test]
fn storage_error_wraps_source() {
    let e = LedgerError::storage(std::io::Error::other("disk on fire"));
    assert!(e.to_string().contains("disk on fire"));
    assert!(std::error::Error::source(&e).is_some());
}
