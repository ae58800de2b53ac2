//! Property tests over a 300-leaf MemoryTree: proofs generated from stored
//! nodes verify against `root_at`, equal the naive RFC 9162 recursion, and
//! any mutation of a proof makes verification fail.

use std::sync::OnceLock;

use proptest::prelude::*;
use thidua_ledger::{
    consistency_proof, inclusion_proof, root_at, verify_consistency, verify_inclusion,
    CompactRange, Hash, MemoryTree,
};

use crate::common::{leaves, naive_path, naive_root, naive_subproof};

const MAX: u64 = 300;

fn tree() -> &'static (Vec<Hash>, MemoryTree) {
    static T: OnceLock<(Vec<Hash>, MemoryTree)> = OnceLock::new();
    T.get_or_init(|| {
        let l = leaves(MAX);
        let mut t = MemoryTree::new();
        for h in &l {
            t.append(*h);
        }
        (l, t)
    })
}

/// Ways to corrupt a proof.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { elem: usize, bit: usize },
    Remove { elem: usize },
    Insert { elem: usize, byte: u8 },
    Swap { elem: usize },
    Replace { elem: usize, byte: u8 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..256).prop_map(|(elem, bit)| Mutation::FlipBit { elem, bit }),
        any::<usize>().prop_map(|elem| Mutation::Remove { elem }),
        (any::<usize>(), any::<u8>()).prop_map(|(elem, byte)| Mutation::Insert { elem, byte }),
        any::<usize>().prop_map(|elem| Mutation::Swap { elem }),
        (any::<usize>(), any::<u8>()).prop_map(|(elem, byte)| Mutation::Replace { elem, byte }),
    ]
}

/// Apply `m`; returns `None` when it cannot change this proof (e.g. removing
/// from an empty proof, swapping in a 1-element proof).
fn apply(m: &Mutation, proof: &[Hash]) -> Option<Vec<Hash>> {
    let mut p = proof.to_vec();
    let n = p.len();
    match *m {
        Mutation::FlipBit { elem, bit } => {
            if n == 0 {
                return None;
            }
            p[elem % n][bit / 8] ^= 1 << (bit % 8);
        }
        Mutation::Remove { elem } => {
            if n == 0 {
                return None;
            }
            p.remove(elem % n);
        }
        Mutation::Insert { elem, byte } => p.insert(elem % (n + 1), [byte; 32]),
        Mutation::Swap { elem } => {
            if n < 2 {
                return None;
            }
            let i = elem % (n - 1);
            if p[i] == p[i + 1] {
                return None;
            }
            p.swap(i, i + 1);
        }
        Mutation::Replace { elem, byte } => {
            if n == 0 || p[elem % n] == [byte; 32] {
                return None;
            }
            p[elem % n] = [byte; 32];
        }
    }
    Some(p)
}

fn size_and_index() -> impl Strategy<Value = (u64, u64)> {
    (1..=MAX).prop_flat_map(|size| (Just(size), 0..size))
}

fn two_sizes() -> impl Strategy<Value = (u64, u64)> {
    (1..=MAX).prop_flat_map(|size2| (1..=size2, Just(size2)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn root_at_matches_naive(size in 0..=MAX) {
        let (l, t) = tree();
        prop_assert_eq!(root_at(size, t).unwrap(), naive_root(&l[..size as usize]));
    }

    #[test]
    fn compact_range_root_matches_naive(data in prop::collection::vec(any::<[u8; 4]>(), 0..300)) {
        let hashes: Vec<Hash> = data.iter().map(|d| thidua_ledger::leaf_hash(d)).collect();
        let mut cr = CompactRange::new();
        for h in &hashes {
            cr.append(*h);
        }
        prop_assert_eq!(cr.root(), naive_root(&hashes));
    }

    #[test]
    fn inclusion_proofs_verify((size, index) in size_and_index()) {
        let (l, t) = tree();
        let proof = inclusion_proof(index, size, t).unwrap();
        prop_assert_eq!(&proof, &naive_path(index as usize, &l[..size as usize]));
        let root = root_at(size, t).unwrap();
        prop_assert!(verify_inclusion(index, size, &l[index as usize], &proof, &root).is_ok());
    }

    #[test]
    fn mutated_inclusion_proofs_fail((size, index) in size_and_index(), m in mutation()) {
        let (l, t) = tree();
        let proof = inclusion_proof(index, size, t).unwrap();
        let root = root_at(size, t).unwrap();
        if let Some(bad) = apply(&m, &proof) {
            prop_assert!(verify_inclusion(index, size, &l[index as usize], &bad, &root).is_err());
        }
        // Wrong leaf or wrong root with the genuine proof fail too.
        let other = (index + 1) % size;
        if other != index {
            prop_assert!(verify_inclusion(index, size, &l[other as usize], &proof, &root).is_err());
        }
        let mut bad_root = root;
        bad_root[0] ^= 1;
        prop_assert!(verify_inclusion(index, size, &l[index as usize], &proof, &bad_root).is_err());
    }

    #[test]
    fn consistency_proofs_verify((size1, size2) in two_sizes()) {
        let (l, t) = tree();
        let proof = consistency_proof(size1, size2, t).unwrap();
        let want = if size1 == size2 {
            Vec::new()
        } else {
            naive_subproof(size1 as usize, &l[..size2 as usize], true)
        };
        prop_assert_eq!(&proof, &want);
        let r1 = root_at(size1, t).unwrap();
        let r2 = root_at(size2, t).unwrap();
        prop_assert!(verify_consistency(size1, size2, &r1, &r2, &proof).is_ok());
    }

    #[test]
    fn mutated_consistency_proofs_fail((size1, size2) in two_sizes(), m in mutation()) {
        let (_, t) = tree();
        let proof = consistency_proof(size1, size2, t).unwrap();
        let r1 = root_at(size1, t).unwrap();
        let r2 = root_at(size2, t).unwrap();
        if let Some(bad) = apply(&m, &proof) {
            prop_assert!(verify_consistency(size1, size2, &r1, &r2, &bad).is_err());
        }
        if size1 < size2 {
            // Swapped roots never verify.
            prop_assert!(verify_consistency(size1, size2, &r2, &r1, &proof).is_err());
        }
    }
}
