//! Shared helpers: test-data paths, naive reference implementations.

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use thidua_ledger::{leaf_hash, node_hash, Hash};

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn b64(s: &str) -> Vec<u8> {
    STANDARD.decode(s).expect("test data base64")
}

/// Leaf hashes `leaf_hash(i as u64 big-endian)` for `0..n`.
pub fn leaves(n: u64) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

fn split_point(n: usize) -> usize {
    // Largest power of two strictly smaller than n (n >= 2).
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// RFC 6962 MTH, recursively over leaf hashes.
pub fn naive_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => thidua_ledger::empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n);
            node_hash(&naive_root(&leaves[..k]), &naive_root(&leaves[k..]))
        }
    }
}

/// RFC 9162 PATH(m, D[n]).
pub fn naive_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = split_point(n);
    if m < k {
        let mut p = naive_path(m, &leaves[..k]);
        p.push(naive_root(&leaves[k..]));
        p
    } else {
        let mut p = naive_path(m - k, &leaves[k..]);
        p.push(naive_root(&leaves[..k]));
        p
    }
}

/// RFC 9162 SUBPROOF(m, D[n], b).
pub fn naive_subproof(m: usize, leaves: &[Hash], complete: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if complete {
            Vec::new()
        } else {
            vec![naive_root(leaves)]
        };
    }
    let k = split_point(n);
    if m <= k {
        let mut p = naive_subproof(m, &leaves[..k], complete);
        p.push(naive_root(&leaves[k..]));
        p
    } else {
        let mut p = naive_subproof(m - k, &leaves[k..], false);
        p.push(naive_root(&leaves[..k]));
        p
    }
}
