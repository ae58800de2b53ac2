//! RFC 6962 / RFC 9162 hashing primitives.
//!
//! Owns the domain-separated SHA-256 hashes used by the Merkle tree:
//! `leaf_hash(d) = SHA-256(0x00 ‖ d)`, `node_hash(l, r) = SHA-256(0x01 ‖ l ‖ r)`
//! and the empty-tree root `SHA-256("")`. Nothing else in the crate calls
//! SHA-256 on tree data directly.

use sha2::{Digest, Sha256};

use crate::error::LedgerError;

/// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
pub type Hash = [u8; 32];

/// Length of a [`Hash`](type@Hash) in bytes.
pub const HASH_LEN: usize = 32;

/// RFC 6962 leaf hash: `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// RFC 6962 interior node hash: `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Root of the empty tree: `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Convert a byte slice (e.g. decoded base64 from the wire) into a [`Hash`](type@Hash).
pub fn hash_from_slice(bytes: &[u8]) -> Result<Hash, LedgerError> {
    bytes
        .try_into()
        .map_err(|_| LedgerError::InvalidHashLength { got: bytes.len() })
}

/// Lower-case hex rendering of a hash (for logs and error messages).
pub fn hex(hash: &Hash) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in hash {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0x0f) as usize] as char);
    }
    s
}
