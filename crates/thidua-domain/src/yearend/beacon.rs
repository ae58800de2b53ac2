//! The public randomness beacon a draw may mix into its seed: one round of the League of
//! Entropy's drand network "quicknet" (scheme `bls-unchained-g1-rfc9380`), whose public key is
//! pinned here. The secretariat pins a round whose time falls after the commitment deadline
//! (so nobody knows its value while committing), and once it is out anyone can fetch its
//! signature from any drand mirror; the log records the signature, which every replay checks
//! against the pinned key. The beacon's value is the SHA-256 of the signature.
//!
//! Verification is the `blst` crate's (BLS signatures on BLS12-381, minimal-signature-size
//! variant: signatures on G1, keys on G2); nothing here does curve arithmetic.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

/// The drand network a beacon round belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    /// The chain hash, which names the network in drand's HTTP API.
    pub chain: &'static str,
    /// The group's public key (96 bytes, compressed G2), hex.
    pub public_key: &'static str,
    /// Unix time of round 1, in seconds.
    pub genesis: i64,
    /// Seconds between rounds.
    pub period: i64,
}

/// drand "quicknet" of the League of Entropy: a round every 3 seconds since 23/08/2023.
pub const QUICKNET: Network = Network {
    chain: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    public_key: "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
    genesis: 1_692_803_367,
    period: 3,
};

/// The hash-to-curve domain of quicknet's signatures (RFC 9380 suite on G1).
const DST: &[u8] = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

/// The networks a round may be pinned on, by chain hash.
pub fn network(chain: &str) -> Option<Network> {
    (chain == QUICKNET.chain).then_some(QUICKNET)
}

/// Why a beacon's signature was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BeaconError {
    #[error("the signature is not 48 bytes of hex")]
    Malformed,
    #[error("the signature is not a point of the curve")]
    NotAPoint,
    #[error("the signature does not verify for round {0} under the network's public key")]
    Invalid(u64),
}

impl Network {
    /// When round `round` (from 1) is published; `None` for round 0 or beyond the calendar.
    pub fn round_time(&self, round: u64) -> Option<DateTime<Utc>> {
        let offset = i64::try_from(round.checked_sub(1)?)
            .ok()?
            .checked_mul(self.period)?;
        DateTime::from_timestamp(self.genesis.checked_add(offset)?, 0)
    }

    /// The first round published at or after `time`.
    pub fn first_round_at(&self, time: DateTime<Utc>) -> u64 {
        let since = time.timestamp() - self.genesis;
        if since <= 0 {
            return 1;
        }
        let rounds = (since + self.period - 1) / self.period;
        u64::try_from(rounds).map_or(1, |r| r + 1)
    }

    /// The beacon's value (the SHA-256 of the signature) if `signature_hex` is the network's
    /// signature of `round`.
    pub fn verify(&self, round: u64, signature_hex: &str) -> Result<[u8; 32], BeaconError> {
        let bytes = hex::decode(signature_hex).map_err(|_| BeaconError::Malformed)?;
        if bytes.len() != 48 || signature_hex.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(BeaconError::Malformed);
        }
        let signature =
            blst::min_sig::Signature::from_bytes(&bytes).map_err(|_| BeaconError::NotAPoint)?;
        let key = hex::decode(self.public_key)
            .ok()
            .and_then(|k| blst::min_sig::PublicKey::from_bytes(&k).ok())
            .expect("the pinned public key is a point of G2");
        let message = Sha256::digest(round.to_be_bytes());
        match signature.verify(true, &message, DST, &[], &key, true) {
            blst::BLST_ERROR::BLST_SUCCESS => Ok(Sha256::digest(&bytes).into()),
            _ => Err(BeaconError::Invalid(round)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Round 1000 of quicknet, as drand serves it (`/public/1000`).
    const ROUND_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";
    /// Round 657413, with the randomness drand publishes beside it.
    const ROUND_657413: &str = "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b";
    const RANDOMNESS_657413: &str =
        "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587";

    #[test]
    fn published_rounds_verify_and_give_drands_randomness() {
        let value = QUICKNET.verify(657_413, ROUND_657413).unwrap();
        assert_eq!(hex::encode(value), RANDOMNESS_657413);
        assert!(QUICKNET.verify(1000, ROUND_1000).is_ok());
    }

    #[test]
    fn a_signature_of_another_round_or_altered_is_refused() {
        assert_eq!(
            QUICKNET.verify(1001, ROUND_1000),
            Err(BeaconError::Invalid(1001))
        );
        let mut altered = ROUND_1000.to_owned();
        altered.replace_range(95..96, "8");
        assert!(QUICKNET.verify(1000, &altered).is_err());
        assert_eq!(
            QUICKNET.verify(1000, &ROUND_1000[..94]),
            Err(BeaconError::Malformed)
        );
        assert_eq!(
            QUICKNET.verify(1000, &ROUND_1000.to_uppercase()),
            Err(BeaconError::Malformed)
        );
    }

    #[test]
    fn rounds_and_times_agree_with_the_network_calendar() {
        let first = QUICKNET.round_time(1).unwrap();
        assert_eq!(first.timestamp(), 1_692_803_367);
        assert_eq!(
            QUICKNET.round_time(1000).unwrap().timestamp(),
            1_692_806_364
        );
        assert_eq!(QUICKNET.round_time(0), None);
        assert_eq!(QUICKNET.first_round_at(first), 1);
        let t = QUICKNET.round_time(657_413).unwrap();
        assert_eq!(QUICKNET.first_round_at(t), 657_413);
        assert_eq!(
            QUICKNET.first_round_at(t + chrono::Duration::seconds(1)),
            657_414
        );
    }
}
