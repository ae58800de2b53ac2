//! Ballots: made on the voter's machine, checked by everyone.
//!
//! A ballot for k candidates with at most m approvals holds:
//! - per candidate i, a ciphertext of x_i ∈ {0, 1} and a range proof over 0..2;
//! - a ciphertext of a ∈ {0, 1} (abstain) and its range proof;
//! - a ciphertext of n = Σ x_i + m·a with a range proof over 0..m+1, so n ≤ m: at most m
//!   approvals, and no approval at all when abstaining;
//! - a sum-of-squares proof that n = Σ x_i² + Σ_{j<m} a² over the ciphertexts of the x_i and m
//!   copies of the abstain ciphertext (x² = x for 0/1 values);
//! - the voter's Ed25519 signature over the context, the voter's key and everything above.
//!
//! Every proof is made on its own transcript ([`BallotContext`]): a ballot copied to another
//! voter or election does not verify.

use ed25519_dalek::{Signer, Verifier};
use elastic_elgamal::{
    Ciphertext, CiphertextWithValue, PreparedRange, RangeDecomposition, RangeProof,
    SumOfSquaresProof,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codec::{hex_bytes, json_bytes, json_eq};
use crate::context::{BallotContext, Position};
use crate::{BallotError, ElectionKey, Group, Rng};

/// One encrypted 0/1 (or 0..m) value with its range proof.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedSlot {
    pub ciphertext: Ciphertext<Group>,
    pub proof: RangeProof<Group>,
}

/// A signed ballot, as the log keeps it.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    /// One per candidate, in the round's candidate order.
    pub choices: Vec<EncryptedSlot>,
    pub abstain: EncryptedSlot,
    pub count: EncryptedSlot,
    pub sum_proof: SumOfSquaresProof<Group>,
    /// Ed25519 signature (lowercase hex) of [`Ballot::signed_message`].
    pub signature: String,
}

json_eq!(EncryptedSlot, Ballot);

/// What the voter chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Selection {
    /// Abstain: no approval.
    Abstain,
    /// Approve these candidates (0-based positions, at most m of them; none is allowed).
    Approve(Vec<u32>),
}

/// A voter's public key (Ed25519), lowercase hex of 32 bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VoterKey([u8; 32]);

impl TryFrom<String> for VoterKey {
    type Error = BallotError;
    fn try_from(text: String) -> Result<Self, BallotError> {
        VoterKey::parse(&text)
    }
}

impl From<VoterKey> for String {
    fn from(key: VoterKey) -> String {
        hex::encode(key.0)
    }
}

impl std::fmt::Display for VoterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl VoterKey {
    /// Parses lowercase hex and checks that it is an Ed25519 public key.
    pub fn parse(text: &str) -> Result<Self, BallotError> {
        let bytes = hex_bytes::<32>("voter_key", text)?;
        ed25519_dalek::VerifyingKey::from_bytes(&bytes)
            .map_err(|_| BallotError::invalid("voter_key", "not an Ed25519 public key"))?;
        Ok(VoterKey(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn verifying(&self) -> ed25519_dalek::VerifyingKey {
        ed25519_dalek::VerifyingKey::from_bytes(&self.0).expect("checked when parsed")
    }
}

/// A voter's secret key (an Ed25519 seed). Its `Debug` hides the bytes.
#[derive(Clone)]
pub struct VoterSecret(ed25519_dalek::SigningKey);

impl std::fmt::Debug for VoterSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VoterSecret({})", self.public())
    }
}

impl VoterSecret {
    /// A new key from 32 random bytes.
    pub fn generate(rng: &mut Rng) -> Self {
        use rand_chacha::rand_core::Rng as _;
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self::from_seed(seed)
    }

    pub fn from_seed(seed: [u8; 32]) -> Self {
        VoterSecret(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// Parses the seed written as lowercase hex (the key file, the browser's storage).
    pub fn parse(text: &str) -> Result<Self, BallotError> {
        hex_bytes::<32>("voter_secret", text).map(Self::from_seed)
    }

    /// The seed as lowercase hex, for the voter's own storage only.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn public(&self) -> VoterKey {
        VoterKey(self.0.verifying_key().to_bytes())
    }
}

/// The message a voter signs: SHA-256 over a domain tag, the context, the voter's key and the
/// ballot's ciphertexts and proofs (everything but the signature).
#[derive(Serialize)]
struct SignedPart<'a> {
    domain: &'static str,
    context: &'a BallotContext,
    voter: String,
    choices: &'a [EncryptedSlot],
    abstain: &'a EncryptedSlot,
    count: &'a EncryptedSlot,
    sum_proof: &'a SumOfSquaresProof<Group>,
}

fn ranges(context: &BallotContext) -> (PreparedRange<Group>, PreparedRange<Group>) {
    let bit = RangeDecomposition::optimal(2).into();
    let count = RangeDecomposition::optimal(u64::from(context.seats) + 1).into();
    (bit, count)
}

impl Selection {
    /// The 0/1 values per candidate and the abstain value, after checking the selection fits.
    fn values(&self, context: &BallotContext) -> Result<(Vec<u64>, u64), BallotError> {
        let mut values = vec![0u64; context.candidates as usize];
        match self {
            Selection::Abstain => return Ok((values, 1)),
            Selection::Approve(chosen) => {
                if chosen.len() > context.seats as usize {
                    return Err(BallotError::invalid(
                        "selection",
                        format!("at most {} candidates may be approved", context.seats),
                    ));
                }
                for &i in chosen {
                    let slot = values.get_mut(i as usize).ok_or_else(|| {
                        BallotError::invalid("selection", format!("no candidate {i}"))
                    })?;
                    if *slot == 1 {
                        return Err(BallotError::invalid(
                            "selection",
                            format!("candidate {i} chosen twice"),
                        ));
                    }
                    *slot = 1;
                }
            }
        }
        Ok((values, 0))
    }
}

impl Ballot {
    /// Encrypts `selection` for the election key and proves it well formed, then signs it.
    pub fn create(
        context: &BallotContext,
        key: &ElectionKey,
        voter: &VoterSecret,
        selection: &Selection,
        rng: &mut Rng,
    ) -> Result<Ballot, BallotError> {
        context.validate()?;
        let (values, abstain) = selection.values(context)?;
        let voter_key = voter.public();
        let (bit, count_range) = ranges(context);
        let encrypt = |value: u64, range: &PreparedRange<Group>, position, rng: &mut Rng| {
            let with_value = CiphertextWithValue::new(value, key, rng);
            let mut transcript = context.transcript(voter_key.as_bytes(), position);
            let proof = RangeProof::from_ciphertext(key, range, &with_value, &mut transcript, rng);
            let slot = EncryptedSlot {
                ciphertext: *with_value.inner(),
                proof,
            };
            (slot, with_value.generalize())
        };
        let mut choices = Vec::with_capacity(values.len());
        let mut secrets = Vec::with_capacity(values.len() + context.seats as usize);
        for (i, &x) in values.iter().enumerate() {
            let (slot, secret) = encrypt(x, &bit, Position::Choice(i as u32), rng);
            choices.push(slot);
            secrets.push(secret);
        }
        let (abstain_slot, abstain_secret) = encrypt(abstain, &bit, Position::Abstain, rng);
        let n = values.iter().sum::<u64>() + u64::from(context.seats) * abstain;
        let (count, count_secret) = encrypt(n, &count_range, Position::Count, rng);
        let squares = secrets
            .iter()
            .chain(std::iter::repeat_n(&abstain_secret, context.seats as usize));
        let mut transcript = context.transcript(voter_key.as_bytes(), Position::Sum);
        let sum_proof = SumOfSquaresProof::new(squares, &count_secret, key, &mut transcript, rng);
        let mut ballot = Ballot {
            choices,
            abstain: abstain_slot,
            count,
            sum_proof,
            signature: String::new(),
        };
        let signature = voter.0.sign(&ballot.signed_message(context, &voter_key));
        ballot.signature = hex::encode(signature.to_bytes());
        Ok(ballot)
    }

    /// The bytes the voter signs (see [`SignedPart`]).
    pub fn signed_message(&self, context: &BallotContext, voter: &VoterKey) -> Vec<u8> {
        let part = SignedPart {
            domain: "thidua-ballot-signature/v1",
            context,
            voter: voter.to_string(),
            choices: &self.choices,
            abstain: &self.abstain,
            count: &self.count,
            sum_proof: &self.sum_proof,
        };
        Sha256::digest(json_bytes(&part)).to_vec()
    }

    /// SHA-256 (hex) of the whole signed ballot in canonical JSON (compact, keys sorted at every
    /// depth): the voter's receipt. These are the bytes of the `ballot` field inside the log's
    /// canonical `ballot_cast` event, so anyone recomputes a receipt from the log alone.
    pub fn hash(&self) -> String {
        let value = serde_json::to_value(self).expect("ballot messages always serialise");
        hex::encode(Sha256::digest(json_bytes(&value)))
    }

    /// Every ciphertext of the ballot (64 bytes each, hex), so that a ciphertext seen before in
    /// the election can be refused.
    pub fn ciphertexts(&self) -> Vec<String> {
        self.choices
            .iter()
            .chain([&self.abstain, &self.count])
            .map(|slot| hex::encode(slot.ciphertext.to_bytes()))
            .collect()
    }

    /// Checks the signature, then every proof against the context and the voter's key.
    pub fn verify(
        &self,
        context: &BallotContext,
        key: &ElectionKey,
        voter: &VoterKey,
    ) -> Result<(), BallotError> {
        context.validate()?;
        if self.choices.len() != context.candidates as usize {
            return Err(BallotError::invalid(
                "choices",
                format!(
                    "the ballot has {} choices for {} candidates",
                    self.choices.len(),
                    context.candidates
                ),
            ));
        }
        let signature = hex_bytes::<64>("signature", &self.signature)?;
        voter
            .verifying()
            .verify(
                &self.signed_message(context, voter),
                &ed25519_dalek::Signature::from_bytes(&signature),
            )
            .map_err(|_| BallotError::BadSignature)?;
        let (bit, count_range) = ranges(context);
        let check = |slot: &EncryptedSlot, range: &PreparedRange<Group>, position, what: String| {
            let mut transcript = context.transcript(voter.as_bytes(), position);
            slot.proof
                .verify(key, range, slot.ciphertext, &mut transcript)
                .map_err(|_| BallotError::BadProof { what })
        };
        for (i, slot) in self.choices.iter().enumerate() {
            let what = format!("choice {}", i + 1);
            check(slot, &bit, Position::Choice(i as u32), what)?;
        }
        check(&self.abstain, &bit, Position::Abstain, "abstain".into())?;
        check(&self.count, &count_range, Position::Count, "count".into())?;
        let squares: Vec<&Ciphertext<Group>> = self
            .choices
            .iter()
            .map(|slot| &slot.ciphertext)
            .chain(std::iter::repeat_n(
                &self.abstain.ciphertext,
                context.seats as usize,
            ))
            .collect();
        let mut transcript = context.transcript(voter.as_bytes(), Position::Sum);
        self.sum_proof
            .verify(
                squares.iter().copied(),
                &self.count.ciphertext,
                key,
                &mut transcript,
            )
            .map_err(|_| BallotError::BadProof {
                what: "count equals the sum of the choices".into(),
            })
    }
}
