//! The stored-node model of the Merkle tree.
//!
//! Owns [`NodeSource`] (how proofs read stored nodes), [`StoredNode`] (what
//! the caller persists on every append), [`MemoryTree`] (an in-memory
//! `NodeSource` for tests and small uses) and [`CompactRange`] (the frontier
//! of peaks the server keeps in memory to append and compute roots cheaply).
//!
//! A *complete subtree node* is addressed by `(level, index)` and covers the
//! leaves `[index << level, (index + 1) << level)`; level 0 holds the leaf
//! hashes. Only complete nodes are ever stored: the hash of a non-power-of-two
//! right edge is always composed on the fly from stored complete nodes
//! (see [`range_nodes`]).

use crate::error::LedgerError;
use crate::hash::{empty_root, node_hash, Hash};

/// Address of a complete subtree node: `(level, index)`.
pub type NodeId = (u8, u64);

/// Read access to the stored complete nodes of a tree.
///
/// Implemented by the storage backends (a table keyed by `(level, index)`)
/// and by [`MemoryTree`]. Implementations must return
/// [`LedgerError::NodeNotFound`] for nodes they do not hold and wrap backend
/// failures with [`LedgerError::storage`].
pub trait NodeSource {
    /// The hash of the complete node at `(level, index)`.
    fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError>;

    /// The hashes of several nodes, in the order requested. Backends should
    /// override this to fetch them in one query; proof generation always
    /// asks for everything it needs in a single call.
    fn nodes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, LedgerError> {
        ids.iter().map(|&(l, i)| self.node(l, i)).collect()
    }
}

impl<T: NodeSource + ?Sized> NodeSource for &T {
    fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        (**self).node(level, index)
    }
    fn nodes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, LedgerError> {
        (**self).nodes(ids)
    }
}

/// A newly completed node, to be persisted by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoredNode {
    /// Level (0 = leaf hash).
    pub level: u8,
    /// Index within the level.
    pub index: u64,
    /// The node's hash.
    pub hash: Hash,
}

/// The complete nodes whose right-to-left fold is the RFC 6962 hash of the
/// leaf range `[begin, end)`, listed left to right (largest first).
///
/// The range must be one that occurs in RFC 6962 proofs: `begin` aligned to
/// a power of two that is at least `end - begin` (or `begin == 0`). The
/// result is empty for an empty range.
pub fn range_nodes(begin: u64, end: u64) -> Vec<NodeId> {
    let mut ids = Vec::new();
    let mut pos = begin;
    while pos < end {
        let rem = end - pos;
        let mut level = 63 - rem.leading_zeros();
        if pos != 0 {
            level = level.min(pos.trailing_zeros());
        }
        ids.push((level as u8, pos >> level));
        pos += 1u64 << level;
    }
    ids
}

/// Fold hashes of [`range_nodes`] into the range hash: `h0 ∘ (h1 ∘ (h2 ∘ …))`.
/// Returns `None` for an empty slice.
pub(crate) fn fold_right(hashes: &[Hash]) -> Option<Hash> {
    let (last, rest) = hashes.split_last()?;
    Some(rest.iter().rev().fold(*last, |acc, h| node_hash(h, &acc)))
}

/// The peaks (`(level, index)` of the maximal complete subtrees) of a tree
/// of `size` leaves, left to right.
pub fn peak_ids(size: u64) -> Vec<NodeId> {
    range_nodes(0, size)
}

/// An append-only Merkle tree held entirely in memory, storing every
/// complete node. Implements [`NodeSource`].
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    /// `levels[l][i]` = node `(l, i)`.
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree whose leaves are the RFC 6962 leaf hashes of `entries`.
    pub fn from_entries<I, D>(entries: I) -> Self
    where
        I: IntoIterator<Item = D>,
        D: AsRef<[u8]>,
    {
        let mut t = Self::new();
        for e in entries {
            t.append_entry(e.as_ref());
        }
        t
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// Append an entry (hashed with [`leaf_hash`](crate::leaf_hash)).
    pub fn append_entry(&mut self, data: &[u8]) -> Vec<StoredNode> {
        self.append(crate::hash::leaf_hash(data))
    }

    /// Append a leaf hash; returns the newly completed nodes (leaf first).
    pub fn append(&mut self, leaf: Hash) -> Vec<StoredNode> {
        let mut out = Vec::new();
        let mut level = 0usize;
        let mut hash = leaf;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(hash);
            let index = row.len() as u64 - 1;
            out.push(StoredNode {
                level: level as u8,
                index,
                hash,
            });
            if index & 1 == 0 {
                break;
            }
            hash = node_hash(&row[row.len() - 2], &hash);
            level += 1;
        }
        out
    }

    /// Root of the current tree.
    pub fn root(&self) -> Hash {
        crate::proof::root_at(self.size(), self).expect("memory tree holds all its nodes")
    }
}

impl NodeSource for MemoryTree {
    fn node(&self, level: u8, index: u64) -> Result<Hash, LedgerError> {
        self.levels
            .get(level as usize)
            .and_then(|row| usize::try_from(index).ok().and_then(|i| row.get(i)))
            .copied()
            .ok_or(LedgerError::NodeNotFound { level, index })
    }
}

/// The frontier of a tree: its size and the hashes of its peaks.
///
/// The server keeps one in memory. [`CompactRange::append`] returns every
/// node completed by the new leaf so the caller can store them in the same
/// transaction as the entry; [`CompactRange::from_source`] rebuilds it at
/// start-up with one read per peak (`popcount(size)` ≤ 64 reads).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    /// Peak hashes, left (largest) to right (smallest).
    peaks: Vec<Hash>,
}

impl CompactRange {
    /// The frontier of the empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Build from a size and its peaks (left to right). Fails if the number
    /// of peaks is not `size.count_ones()`.
    pub fn from_parts(size: u64, peaks: Vec<Hash>) -> Result<Self, LedgerError> {
        let want = size.count_ones() as usize;
        if peaks.len() != want {
            return Err(LedgerError::PeakCountMismatch {
                size,
                got: peaks.len(),
                want,
            });
        }
        Ok(Self { size, peaks })
    }

    /// Rebuild the frontier of the tree of `size` leaves from stored nodes.
    pub fn from_source<S: NodeSource + ?Sized>(size: u64, src: &S) -> Result<Self, LedgerError> {
        let ids = peak_ids(size);
        let peaks = src.nodes(&ids)?;
        if peaks.len() != ids.len() {
            return Err(LedgerError::NodeCountMismatch {
                got: peaks.len(),
                want: ids.len(),
            });
        }
        Ok(Self { size, peaks })
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Peak hashes, left (largest subtree) to right.
    pub fn peaks(&self) -> &[Hash] {
        &self.peaks
    }

    /// Append a leaf hash. Returns every newly completed node, the level-0
    /// leaf first, then each parent it completes, bottom-up.
    ///
    /// # Panics
    /// If the tree already holds `u64::MAX` leaves.
    pub fn append(&mut self, leaf: Hash) -> Vec<StoredNode> {
        let index = self.size;
        let new_size = index.checked_add(1).expect("tree size overflow");
        let mut out = Vec::with_capacity(1 + index.trailing_ones() as usize);
        out.push(StoredNode {
            level: 0,
            index,
            hash: leaf,
        });
        let mut hash = leaf;
        let mut level = 0u8;
        let mut idx = index;
        while idx & 1 == 1 {
            let left = self.peaks.pop().expect("peak present for every set bit");
            hash = node_hash(&left, &hash);
            level += 1;
            idx >>= 1;
            out.push(StoredNode {
                level,
                index: idx,
                hash,
            });
        }
        self.peaks.push(hash);
        self.size = new_size;
        out
    }

    /// Current root (the empty root for size 0).
    pub fn root(&self) -> Hash {
        fold_right(&self.peaks).unwrap_or_else(empty_root)
    }
}
