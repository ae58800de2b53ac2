//! The secret ballot's cryptography, in one pure crate that builds natively (server, CLI,
//! verifier) and for `wasm32-unknown-unknown` (the voter's and the trustee's browser), so that
//! the ballot a browser makes and the check the verifier runs are the same code.
//!
//! - [`ceremony`]: the trustees' dealer-less key generation (the `elastic-elgamal` crate's
//!   committed Pedersen DKG), its public messages, the shares sealed to each trustee, complaints
//!   and the public recomputation of the election key from the logged messages.
//! - [`ballot`]: a ballot is one exponential-ElGamal ciphertext per candidate with a 0/1 range
//!   proof, an abstain ciphertext (0/1), a count ciphertext with a 0…m range proof and a proof
//!   that the count is the sum of the choices plus m × abstain; every proof is made on a Merlin
//!   transcript carrying the election, the round, the number of candidates, m, the voter's key and
//!   the proof's position; the ballot is signed with the voter's Ed25519 key.
//! - [`tally`]: the per-candidate sums of the ballots that count, decryption shares from the
//!   trustees (kept unverified in their own type until checked), their combination and the
//!   lookup of the totals.
//!
//! What is proven, bound and signed, and why: `docs/ballot-cryptography.md`.
//!
//! Never: curve arithmetic of its own (only the crate's operations), IO, clocks, or randomness
//! of its own (callers pass a seeded generator, [`rng_from_seed`]). Everything read from outside
//! is validated before the crate sees it, because the crate panics on some bad inputs.
#![forbid(unsafe_code)]

pub mod ballot;
pub mod ceremony;
mod codec;
pub mod context;
mod error;
pub mod tally;

pub use ballot::{Ballot, Selection, VoterKey, VoterSecret};
pub use ceremony::{
    Commitment, Complaint, KeyConfirmation, KeySet, PolynomialReveal, SealedShares, Trustee,
    TrusteeParams,
};
pub use context::BallotContext;
pub use error::BallotError;
pub use tally::{combine, Counts, DecryptionShares, Totals, VerifiedShares};

/// The group: ristretto255.
pub type Group = elastic_elgamal::group::Ristretto;

/// The random generator every function takes: ChaCha20 seeded by the caller (from the operating
/// system natively, from `crypto.getRandomValues` in a browser).
pub type Rng = rand_chacha::ChaCha20Rng;

/// A generator seeded with 32 bytes that the caller took from a cryptographic source.
pub fn rng_from_seed(seed: [u8; 32]) -> Rng {
    use rand_chacha::rand_core::SeedableRng;
    Rng::from_seed(seed)
}

/// The most candidates a ballot may list and trustees a ceremony may have (a cluster has 3–10
/// units; a national bloc of 34 provinces fits).
pub const MAX_CANDIDATES: u32 = 64;
/// See [`MAX_CANDIDATES`].
pub const MAX_TRUSTEES: u32 = 64;

/// The election's public key (a ristretto255 point), written base64url as the crate does.
pub type ElectionKey = elastic_elgamal::PublicKey<Group>;
