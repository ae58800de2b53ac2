//! Small encodings shared by the messages: fixed-size byte strings as lowercase hex, equality of
//! messages by their JSON form (the crate's types have no `PartialEq`), and the canonical JSON
//! bytes that hashes and signatures are computed over.

use serde::Serialize;

use crate::BallotError;

/// Decodes exactly `N` bytes of lowercase hex.
pub(crate) fn hex_bytes<const N: usize>(
    field: &'static str,
    text: &str,
) -> Result<[u8; N], BallotError> {
    let lower = text
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let mut out = [0u8; N];
    if text.len() != 2 * N || !lower || hex::decode_to_slice(text, &mut out).is_err() {
        return Err(BallotError::invalid(
            field,
            format!("expected {N} bytes in lowercase hex"),
        ));
    }
    Ok(out)
}

/// Compact JSON of a value, keys in declaration order: deterministic for the structures of
/// this crate (no maps), which is what hashes and signatures are computed over.
pub(crate) fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("ballot messages always serialise")
}

/// Equality by JSON form, for messages holding the crate's types.
macro_rules! json_eq {
    ($($t:ty),* $(,)?) => {$(
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                crate::codec::json_bytes(self) == crate::codec::json_bytes(other)
            }
        }
        impl Eq for $t {}
    )*};
}
pub(crate) use json_eq;
