//! Merkle proofs: generation from stored nodes and verification.
//!
//! Owns RFC 9162 §2.1.3 (inclusion) and §2.1.4 (consistency) proofs. The
//! generators never rehash leaves: each proof element is either one stored
//! complete node or, on the right edge of a non-power-of-two tree, a
//! composition of stored complete nodes (see [`crate::tree::range_nodes`]).
//! All nodes a proof needs are requested from the [`NodeSource`] in a single
//! [`NodeSource::nodes`] call.
//!
//! The verifiers follow the reference algorithm of
//! `github.com/transparency-dev/merkle/proof` and return precise
//! [`LedgerError`]s. One deliberate choice, matching that project's test
//! vectors: a consistency proof *from* size 0 is rejected with
//! [`LedgerError::ConsistencyFromEmptyTree`] (by both the generator and the
//! verifier) — every tree is trivially consistent with the empty tree, so
//! callers skip the check instead.

use crate::error::LedgerError;
use crate::hash::{empty_root, node_hash, Hash};
use crate::tree::{fold_right, range_nodes, NodeId, NodeSource};

/// Leaf range `[begin, end)` of one proof element.
type Span = (u64, u64);

/// The leaf ranges of the proof path of node `(level, index)` in a tree of
/// `size` leaves, bottom-up (RFC 9162 PATH, generalised to an interior
/// node as needed by consistency proofs).
fn path_spans(level: u32, index: u64, size: u64) -> Vec<Span> {
    let size = u128::from(size);
    let last = ((size - 1) >> level) as u64;
    let inner = 64 - (index ^ last).leading_zeros();
    let mut spans = Vec::new();
    for i in 0..inner {
        let sib = u128::from((index >> i) ^ 1);
        let l = level + i;
        let begin = sib << l;
        let end = ((sib + 1) << l).min(size);
        spans.push((begin as u64, end as u64));
    }
    let mut i = inner;
    while i < 64 && (index >> i) != 0 {
        if (index >> i) & 1 == 1 {
            let sib = u128::from((index >> i) - 1);
            let l = level + i;
            spans.push(((sib << l) as u64, ((sib + 1) << l) as u64));
        }
        i += 1;
    }
    spans
}

/// Fetch every node needed for `spans` in one call and compose each span.
fn resolve<S: NodeSource + ?Sized>(spans: &[Span], src: &S) -> Result<Vec<Hash>, LedgerError> {
    let groups: Vec<Vec<NodeId>> = spans.iter().map(|&(b, e)| range_nodes(b, e)).collect();
    let ids: Vec<NodeId> = groups.iter().flatten().copied().collect();
    let hashes = src.nodes(&ids)?;
    if hashes.len() != ids.len() {
        return Err(LedgerError::NodeCountMismatch {
            got: hashes.len(),
            want: ids.len(),
        });
    }
    let mut out = Vec::with_capacity(groups.len());
    let mut pos = 0;
    for g in &groups {
        let h = fold_right(&hashes[pos..pos + g.len()]).expect("spans are non-empty");
        out.push(h);
        pos += g.len();
    }
    Ok(out)
}

/// Root of the tree of `size` leaves, composed from stored nodes
/// (`popcount(size)` reads). Size 0 gives [`empty_root`].
pub fn root_at<S: NodeSource + ?Sized>(size: u64, src: &S) -> Result<Hash, LedgerError> {
    if size == 0 {
        return Ok(empty_root());
    }
    let r = resolve(&[(0, size)], src)?;
    Ok(r[0])
}

/// Inclusion proof (audit path) of leaf `index` in the tree of `size`
/// leaves, bottom-up, as in RFC 9162 §2.1.3.1.
pub fn inclusion_proof<S: NodeSource + ?Sized>(
    index: u64,
    size: u64,
    src: &S,
) -> Result<Vec<Hash>, LedgerError> {
    if index >= size {
        return Err(LedgerError::IndexOutOfRange { index, size });
    }
    resolve(&path_spans(0, index, size), src)
}

/// Consistency proof between the trees of `size1` and `size2` leaves, as in
/// RFC 9162 §2.1.4.1. Empty when `size1 == size2`; an error when
/// `size1 == 0` or `size1 > size2`.
pub fn consistency_proof<S: NodeSource + ?Sized>(
    size1: u64,
    size2: u64,
    src: &S,
) -> Result<Vec<Hash>, LedgerError> {
    if size1 > size2 {
        return Err(LedgerError::SizesOutOfOrder { size1, size2 });
    }
    if size1 == 0 {
        return Err(LedgerError::ConsistencyFromEmptyTree);
    }
    if size1 == size2 {
        return Ok(Vec::new());
    }
    // The proof is the inclusion path of the node covering the last complete
    // peak of size1, preceded by that node unless size1 is a power of two.
    let level = size1.trailing_zeros();
    let index = (size1 - 1) >> level;
    let mut spans = Vec::new();
    if index != 0 {
        spans.push((index << level, (index + 1) << level));
    }
    spans.extend(path_spans(level, index, size2));
    resolve(&spans, src)
}

/// `(inner, border)` decomposition of an inclusion proof for `index` in a
/// tree of `size` leaves.
fn decomp_incl_proof(index: u64, size: u64) -> (usize, usize) {
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = if inner >= 64 {
        0
    } else {
        (index >> inner).count_ones() as usize
    };
    (inner, border)
}

fn chain_inner(mut seed: Hash, proof: &[Hash], index: u64) -> Hash {
    for (i, h) in proof.iter().enumerate() {
        seed = if (index >> i) & 1 == 0 {
            node_hash(&seed, h)
        } else {
            node_hash(h, &seed)
        };
    }
    seed
}

fn chain_inner_right(mut seed: Hash, proof: &[Hash], index: u64) -> Hash {
    for (i, h) in proof.iter().enumerate() {
        if (index >> i) & 1 == 1 {
            seed = node_hash(h, &seed);
        }
    }
    seed
}

fn chain_border_right(mut seed: Hash, proof: &[Hash]) -> Hash {
    for h in proof {
        seed = node_hash(h, &seed);
    }
    seed
}

fn check_root(calculated: Hash, expected: &Hash) -> Result<(), LedgerError> {
    if calculated == *expected {
        Ok(())
    } else {
        Err(LedgerError::RootMismatch {
            calculated,
            expected: *expected,
        })
    }
}

/// Recompute the root implied by an inclusion proof.
pub fn root_from_inclusion_proof(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
) -> Result<Hash, LedgerError> {
    if index >= size {
        return Err(LedgerError::IndexOutOfRange { index, size });
    }
    let (inner, border) = decomp_incl_proof(index, size);
    if proof.len() != inner + border {
        return Err(LedgerError::WrongProofLength {
            got: proof.len(),
            want: inner + border,
        });
    }
    let res = chain_inner(*leaf_hash, &proof[..inner], index);
    Ok(chain_border_right(res, &proof[inner..]))
}

/// Verify that `leaf_hash` is leaf `index` of the tree of `size` leaves
/// with root `root`.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), LedgerError> {
    let calculated = root_from_inclusion_proof(index, size, leaf_hash, proof)?;
    check_root(calculated, root)
}

/// Verify that the tree of `size1` leaves with root `root1` is a prefix of
/// the tree of `size2` leaves with root `root2`.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    root1: &Hash,
    root2: &Hash,
    proof: &[Hash],
) -> Result<(), LedgerError> {
    if size1 > size2 {
        return Err(LedgerError::SizesOutOfOrder { size1, size2 });
    }
    if size1 == 0 {
        return Err(LedgerError::ConsistencyFromEmptyTree);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(LedgerError::WrongProofLength {
                got: proof.len(),
                want: 0,
            });
        }
        return check_root(*root2, root1);
    }

    let (inner, border) = decomp_incl_proof(size1 - 1, size2);
    let shift = size1.trailing_zeros() as usize;
    let inner = inner - shift; // shift < inner because size1 < size2

    // Unless size1 is a power of two, the proof starts with the hash of the
    // subtree of size 2^shift that ends at size1.
    let (seed, start) = if size1 == 1u64 << shift {
        (*root1, 0)
    } else {
        match proof.first() {
            Some(h) => (*h, 1),
            None => {
                return Err(LedgerError::WrongProofLength {
                    got: 0,
                    want: 1 + inner + border,
                })
            }
        }
    };
    let want = start + inner + border;
    if proof.len() != want {
        return Err(LedgerError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    let proof = &proof[start..];
    let mask = (size1 - 1) >> shift;

    let hash1 = chain_inner_right(seed, &proof[..inner], mask);
    let hash1 = chain_border_right(hash1, &proof[inner..]);
    check_root(hash1, root1)?;

    let hash2 = chain_inner(seed, &proof[..inner], mask);
    let hash2 = chain_border_right(hash2, &proof[inner..]);
    check_root(hash2, root2)
}
