//! Checking a range of entries against a signed root without trusting whoever served them:
//! [`root_with_leaves`] recomputes the RFC 6962 root of a tree from the leaves the caller hashed
//! itself and, for the rest of the tree only, complete nodes read from a [`NodeSource`] (the
//! server). No node that covers any of the caller's leaves is ever read, so a root equal to a
//! signed checkpoint's proves the leaves are the log's, whatever the server said.

use crate::error::LedgerError;
use crate::hash::{empty_root, node_hash, Hash};
use crate::tree::NodeSource;

/// The root of the tree of `size` leaves whose leaves `[start, start + leaves.len())` are
/// `leaves`; every other part of the tree is read from `src` as complete nodes (about two per
/// level: the subtrees left and right of the range).
pub fn root_with_leaves<S: NodeSource + ?Sized>(
    size: u64,
    start: u64,
    leaves: &[Hash],
    src: &S,
) -> Result<Hash, LedgerError> {
    let end = start + leaves.len() as u64;
    if end > size {
        return Err(LedgerError::IndexOutOfRange {
            index: end - 1,
            size,
        });
    }
    if size == 0 {
        return Ok(empty_root());
    }
    let known = Known { start, leaves };
    subtree(0, size, &known, src)
}

/// The caller's leaves and where they start.
struct Known<'a> {
    start: u64,
    leaves: &'a [Hash],
}

impl Known<'_> {
    fn end(&self) -> u64 {
        self.start + self.leaves.len() as u64
    }

    fn overlaps(&self, lo: u64, hi: u64) -> bool {
        lo < self.end() && self.start < hi
    }
}

/// RFC 6962's MTH of the leaves `[lo, hi)`: split at the largest power of two below the
/// width; a complete subtree clear of the known range is read whole.
fn subtree<S: NodeSource + ?Sized>(
    lo: u64,
    hi: u64,
    known: &Known,
    src: &S,
) -> Result<Hash, LedgerError> {
    let width = hi - lo;
    if !known.overlaps(lo, hi) && width.is_power_of_two() {
        let level = width.trailing_zeros() as u8;
        return src.node(level, lo >> level);
    }
    if width == 1 {
        return Ok(known.leaves[(lo - known.start) as usize]);
    }
    let split = 1u64 << (63 - (width - 1).leading_zeros());
    let left = subtree(lo, lo + split, known, src)?;
    let right = subtree(lo + split, hi, known, src)?;
    Ok(node_hash(&left, &right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::tree::{MemoryTree, NodeId};
    use std::cell::RefCell;

    /// A source that records what it was asked and can lie about one node.
    struct Spy<'a> {
        tree: &'a MemoryTree,
        asked: RefCell<Vec<NodeId>>,
        lie: Option<NodeId>,
    }

    impl NodeSource for Spy<'_> {
        fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
            self.asked.borrow_mut().push((level, index));
            if self.lie == Some((level, index)) {
                return Ok([7; 32]);
            }
            self.tree.node(level, index)
        }
    }

    fn tree(size: u64) -> (MemoryTree, Vec<Hash>) {
        let mut t = MemoryTree::default();
        let mut leaves = Vec::new();
        for i in 0..size {
            let data = format!("entry {i}");
            t.append_entry(data.as_bytes());
            leaves.push(leaf_hash(data.as_bytes()));
        }
        (t, leaves)
    }

    #[test]
    fn every_range_of_every_small_tree_gives_the_root_without_reading_its_own_nodes() {
        for size in 1..=40u64 {
            let (t, leaves) = tree(size);
            let root = crate::proof::root_at(size, &t).unwrap();
            for start in 0..size {
                for end in start..=size {
                    let spy = Spy {
                        tree: &t,
                        asked: RefCell::new(Vec::new()),
                        lie: None,
                    };
                    let range = &leaves[start as usize..end as usize];
                    let got = root_with_leaves(size, start, range, &spy).unwrap();
                    assert_eq!(got, root, "size {size}, range {start}..{end}");
                    for (level, index) in spy.asked.into_inner() {
                        let (lo, hi) = (index << level, (index + 1) << level);
                        assert!(
                            start == end || hi <= start || end <= lo,
                            "read node ({level}, {index}) over the range {start}..{end}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_changed_leaf_or_a_lying_source_changes_the_root() {
        let (t, leaves) = tree(23);
        let root = crate::proof::root_at(23, &t).unwrap();
        let mut changed = leaves[5..9].to_vec();
        changed[2] = leaf_hash(b"forged");
        let honest = Spy {
            tree: &t,
            asked: RefCell::new(Vec::new()),
            lie: None,
        };
        assert_ne!(root_with_leaves(23, 5, &changed, &honest).unwrap(), root);
        let liar = Spy {
            tree: &t,
            asked: RefCell::new(Vec::new()),
            lie: Some((4, 0)),
        };
        assert_ne!(
            root_with_leaves(23, 16, &leaves[16..23], &liar).unwrap(),
            root
        );
        assert!(root_with_leaves(23, 20, &leaves[..4], &honest).is_err());
    }
}
