//! The trustees' key ceremony: the `elastic-elgamal` crate's dealer-less (committed Pedersen)
//! key generation, run through the log. All n trustees take part; t of them decrypt later.
//!
//! 1. Each trustee publishes a [`Commitment`]: the hash commitment to its public key share and
//!    a fresh X25519 key to which the others seal its secret shares.
//! 2. Once all n committed, each publishes its [`PolynomialReveal`]: the public polynomial, a
//!    proof of possession of the secret polynomial and the commitment's opening. Anyone checks
//!    both ([`check_reveal`]) and recomputes the election key from the polynomials
//!    ([`KeySet::from_reveals`]).
//! 3. Each publishes its [`SealedShares`]: its secret share for every other trustee, each sealed
//!    (crypto_box: X25519, XSalsa20-Poly1305; the ceremony and both trustees are bound inside
//!    the sealed plaintext, since XSalsa20-Poly1305 takes no associated data) to the
//!    recipient's key from step 1. Shares are never in the log in clear.
//! 4. Each opens the shares addressed to it, checks every one against the sender's polynomial,
//!    and publishes its [`KeyConfirmation`]: the election key it computed and a proof of
//!    possession of its key share, which everyone checks ([`KeySet::check_confirmation`]).
//!    A bad share leads instead to a [`Complaint`] that reveals the complainer's ceremony box
//!    key, so anyone can open the disputed share and tell who cheated ([`judge_complaint`]);
//!    the ceremony is then abandoned and started again.
//!
//! The secret side ([`Trustee`]) is kept by the trustee only (a file, the browser's storage).

use crypto_box::aead::Aead;
use elastic_elgamal::dkg::{
    ParticipantCollectingCommitments, ParticipantCollectingPolynomials,
    ParticipantExchangingSecrets, PublicInfo,
};
use elastic_elgamal::group::{ElementOps, ScalarOps};
use elastic_elgamal::sharing::{ActiveParticipant, Params, PublicKeySet};
use elastic_elgamal::{ProofOfPossession, PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codec::{hex_bytes, json_eq};
use crate::{BallotError, ElectionKey, Group, Rng, MAX_TRUSTEES};

/// Bytes of a sealed share: 32 of share, 32 of binding, 16 of tag.
const SEALED_LEN: usize = 80;

/// n trustees, t of whom decrypt, for one ceremony of one election.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrusteeParams {
    /// The election's id (bound into the sealed shares).
    pub election: String,
    /// The attempt, from 1 (a ceremony abandoned after a complaint is started again).
    pub attempt: u32,
    pub trustees: u32,
    pub threshold: u32,
}

impl TrusteeParams {
    /// 2 ≤ n ≤ [`MAX_TRUSTEES`], 1 ≤ t ≤ n, attempt ≥ 1.
    pub fn validate(&self) -> Result<(), BallotError> {
        if self.trustees < 2 || self.trustees > MAX_TRUSTEES {
            return Err(BallotError::invalid(
                "trustees",
                format!("between 2 and {MAX_TRUSTEES} trustees"),
            ));
        }
        if self.threshold == 0 || self.threshold > self.trustees {
            return Err(BallotError::invalid(
                "threshold",
                "between 1 and the number of trustees",
            ));
        }
        if self.attempt == 0 {
            return Err(BallotError::invalid("attempt", "attempts count from 1"));
        }
        Ok(())
    }

    fn params(&self) -> Params {
        Params::new(self.trustees as usize, self.threshold as usize)
    }

    fn index(&self, field: &'static str, i: u32) -> Result<usize, BallotError> {
        if i < self.trustees {
            Ok(i as usize)
        } else {
            Err(BallotError::invalid(field, format!("no trustee {i}")))
        }
    }

    /// What a sealed share is bound to (sealed with it, after the share): SHA-256 of the
    /// ceremony and both ends. (XSalsa20-Poly1305 takes no associated data.)
    fn share_binding(&self, from: u32, to: u32) -> [u8; 32] {
        let text = format!(
            "thidua-dkg-share/v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.election, self.attempt, self.trustees, self.threshold, from, to
        );
        Sha256::digest(text.as_bytes()).into()
    }
}

/// Step 1: the hash commitment to the trustee's key share, and its ceremony box key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// SHA-256 (hex) of the trustee's public key share and the opening.
    pub commitment: String,
    /// X25519 public key (hex) to which the other trustees seal its shares.
    pub box_key: String,
}

/// Step 2: the public polynomial, its proof of possession and the commitment's opening.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolynomialReveal(pub PublicInfo<'static, Group>);

/// One trustee's secret share for another, sealed to the recipient's box key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedShare {
    pub to: u32,
    /// 24-byte nonce (hex).
    pub nonce: String,
    /// The sealed share and its binding (64 bytes) with the 16-byte tag (hex).
    pub sealed: String,
}

/// Step 3: a trustee's shares for every other trustee, in the recipients' order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedShares {
    pub shares: Vec<SealedShare>,
}

/// Step 4: the election key the trustee computed and a proof that it holds its key share.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfirmation {
    pub election_key: ElectionKey,
    pub proof: ProofOfPossession<Group>,
}

/// A trustee's complaint that the share `against` sent it is bad, with the complainer's
/// ceremony box secret (hex) so that anyone can open that share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Complaint {
    pub against: u32,
    pub box_secret: String,
}

json_eq!(PolynomialReveal, KeyConfirmation);

/// The public keys of a finished ceremony: the election key and each trustee's key share.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeySet(pub PublicKeySet<Group>);

json_eq!(KeySet);

fn trustee_err(trustee: u32, reason: impl Into<String>) -> BallotError {
    BallotError::Trustee {
        trustee,
        reason: reason.into(),
    }
}

/// The opening's bytes, read back from its serialised form (base64url without padding, as the
/// crate writes it); empty if it is not that, so that it opens no commitment.
fn opening_bytes(reveal: &PolynomialReveal) -> Vec<u8> {
    use base64::Engine as _;
    let text = serde_json::to_value(&reveal.0.opening).expect("an opening serialises");
    text.as_str()
        .and_then(|t| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(t)
                .ok()
        })
        .unwrap_or_default()
}

/// Checks a trustee's reveal against its commitment: the polynomial has t coefficients, its
/// constant term and the opening hash to the commitment, and the proof of possession verifies.
pub fn check_reveal(
    params: &TrusteeParams,
    trustee: u32,
    commitment: &Commitment,
    reveal: &PolynomialReveal,
) -> Result<(), BallotError> {
    params.validate()?;
    if reveal.0.polynomial.len() != params.threshold as usize {
        return Err(trustee_err(
            trustee,
            format!(
                "the polynomial has {} coefficients, {} expected",
                reveal.0.polynomial.len(),
                params.threshold
            ),
        ));
    }
    let mut constant = [0u8; 32];
    Group::serialize_element(&reveal.0.polynomial[0], &mut constant);
    let mut hasher = Sha256::new();
    hasher.update(constant);
    hasher.update(opening_bytes(reveal));
    if hex::encode(hasher.finalize()) != commitment.commitment {
        return Err(trustee_err(
            trustee,
            "the revealed polynomial does not open the commitment",
        ));
    }
    PublicKeySet::<Group>::new(
        params.params(),
        reveal.0.polynomial.clone(),
        &reveal.0.proof_of_possession,
    )
    .map_err(|_| trustee_err(trustee, "the proof of possession does not verify"))?;
    Ok(())
}

/// Checks a commitment's shape (hex sizes, a valid X25519 key length).
pub fn check_commitment(commitment: &Commitment) -> Result<(), BallotError> {
    hex_bytes::<32>("commitment", &commitment.commitment)?;
    hex_bytes::<32>("box_key", &commitment.box_key)?;
    Ok(())
}

/// Checks the shape of a trustee's sealed shares: one for each other trustee, in order.
pub fn check_sealed_shares(
    params: &TrusteeParams,
    trustee: u32,
    shares: &SealedShares,
) -> Result<(), BallotError> {
    params.validate()?;
    let expected: Vec<u32> = (0..params.trustees).filter(|&j| j != trustee).collect();
    let found: Vec<u32> = shares.shares.iter().map(|s| s.to).collect();
    if expected != found {
        return Err(trustee_err(
            trustee,
            "one sealed share is needed for each other trustee, in order",
        ));
    }
    for share in &shares.shares {
        hex_bytes::<24>("nonce", &share.nonce)?;
        hex_bytes::<SEALED_LEN>("sealed", &share.sealed)?;
    }
    Ok(())
}

impl KeySet {
    /// The election key and key shares recomputed from every trustee's reveal (in trustee
    /// order), each checked with [`check_reveal`] before.
    pub fn from_reveals(
        params: &TrusteeParams,
        reveals: &[PolynomialReveal],
    ) -> Result<KeySet, BallotError> {
        params.validate()?;
        if reveals.len() != params.trustees as usize {
            return Err(BallotError::invalid("reveals", "one reveal per trustee"));
        }
        let mut shared: Option<ElectionKey> = None;
        let mut shares: Vec<Option<PublicKey<Group>>> = vec![None; params.trustees as usize];
        for (j, reveal) in reveals.iter().enumerate() {
            let set = PublicKeySet::<Group>::new(
                params.params(),
                reveal.0.polynomial.clone(),
                &reveal.0.proof_of_possession,
            )
            .map_err(|_| trustee_err(j as u32, "the proof of possession does not verify"))?;
            shared = Some(match shared {
                None => set.shared_key().clone(),
                Some(sum) => sum + set.shared_key().clone(),
            });
            for (slot, key) in shares.iter_mut().zip(set.participant_keys()) {
                *slot = Some(match slot.take() {
                    None => key.clone(),
                    Some(sum) => sum + key.clone(),
                });
            }
        }
        let shares: Vec<_> = shares.into_iter().flatten().collect();
        let set = PublicKeySet::from_participants(params.params(), shares)
            .map_err(|e| BallotError::invalid("reveals", e.to_string()))?;
        if Some(set.shared_key()) != shared.as_ref() {
            return Err(BallotError::invalid(
                "reveals",
                "the key shares do not interpolate to the sum of the trustees' keys",
            ));
        }
        Ok(KeySet(set))
    }

    pub fn election_key(&self) -> &ElectionKey {
        self.0.shared_key()
    }

    pub fn trustees(&self) -> u32 {
        self.0.params().shares as u32
    }

    pub fn threshold(&self) -> u32 {
        self.0.params().threshold as u32
    }

    /// Checks a trustee's confirmation: the same election key, and a proof of possession of
    /// its key share.
    pub fn check_confirmation(
        &self,
        trustee: u32,
        confirmation: &KeyConfirmation,
    ) -> Result<(), BallotError> {
        if trustee >= self.trustees() {
            return Err(BallotError::invalid(
                "trustee",
                format!("no trustee {trustee}"),
            ));
        }
        if &confirmation.election_key != self.election_key() {
            return Err(trustee_err(
                trustee,
                "confirms another election key than the one the reveals give",
            ));
        }
        self.0
            .verify_participant(trustee as usize, &confirmation.proof)
            .map_err(|_| trustee_err(trustee, "the proof of possession does not verify"))
    }
}

/// Who a complaint shows at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The accused sent a share that does not open or does not fit its polynomial.
    AccusedAtFault,
    /// The disputed share is good: the complainer is at fault.
    ComplaintUnfounded,
}

/// Decides a complaint from the log alone: the revealed box secret must match the complainer's
/// box key; the accused's share for the complainer is opened and checked against the accused's
/// polynomial.
pub fn judge_complaint(
    params: &TrusteeParams,
    complainer: u32,
    complainer_commitment: &Commitment,
    complaint: &Complaint,
    accused_commitment: &Commitment,
    accused_reveal: &PolynomialReveal,
    accused_shares: &SealedShares,
) -> Result<Verdict, BallotError> {
    params.validate()?;
    let accused = complaint.against;
    params.index("against", accused)?;
    params.index("complainer", complainer)?;
    if accused == complainer {
        return Err(BallotError::invalid(
            "against",
            "a trustee cannot accuse itself",
        ));
    }
    let secret = crypto_box::SecretKey::from(hex_bytes::<32>("box_secret", &complaint.box_secret)?);
    if hex::encode(secret.public_key().as_bytes()) != complainer_commitment.box_key {
        return Err(trustee_err(
            complainer,
            "the revealed box secret is not the one of its ceremony box key",
        ));
    }
    let Some(sealed) = accused_shares.shares.iter().find(|s| s.to == complainer) else {
        return Ok(Verdict::AccusedAtFault);
    };
    let sender =
        crypto_box::PublicKey::from(hex_bytes::<32>("box_key", &accused_commitment.box_key)?);
    let share = open_share(params, &secret, &sender, accused, complainer, sealed);
    let Ok(share) = share else {
        return Ok(Verdict::AccusedAtFault);
    };
    let set = PublicKeySet::<Group>::new(
        params.params(),
        accused_reveal.0.polynomial.clone(),
        &accused_reveal.0.proof_of_possession,
    )
    .map_err(|_| trustee_err(accused, "the proof of possession does not verify"))?;
    let expected = set
        .participant_key(complainer as usize)
        .expect("index checked");
    if &PublicKey::from(&share) == expected {
        Ok(Verdict::ComplaintUnfounded)
    } else {
        Ok(Verdict::AccusedAtFault)
    }
}

fn seal_share(
    params: &TrusteeParams,
    sender: &crypto_box::SecretKey,
    recipient: &crypto_box::PublicKey,
    from: u32,
    to: u32,
    share: &SecretKey<Group>,
    rng: &mut Rng,
) -> SealedShare {
    use rand_chacha::rand_core::Rng as _;
    let mut plain = [0u8; 64];
    Group::serialize_scalar(share.expose_scalar(), &mut plain[..32]);
    plain[32..].copy_from_slice(&params.share_binding(from, to));
    let mut nonce = [0u8; 24];
    rng.fill_bytes(&mut nonce);
    let sealed = crypto_box::SalsaBox::new(recipient, sender)
        .encrypt(&nonce.into(), &plain[..])
        .expect("sealing 64 bytes cannot fail");
    plain.fill(0);
    SealedShare {
        to,
        nonce: hex::encode(nonce),
        sealed: hex::encode(sealed),
    }
}

fn open_share(
    params: &TrusteeParams,
    recipient: &crypto_box::SecretKey,
    sender: &crypto_box::PublicKey,
    from: u32,
    to: u32,
    sealed: &SealedShare,
) -> Result<SecretKey<Group>, BallotError> {
    let nonce = hex_bytes::<24>("nonce", &sealed.nonce)?;
    let body = hex_bytes::<SEALED_LEN>("sealed", &sealed.sealed)?;
    let plain = crypto_box::SalsaBox::new(sender, recipient)
        .decrypt(&nonce.into(), &body[..])
        .map_err(|_| trustee_err(from, "its sealed share does not open"))?;
    if plain.len() != 64 || plain[32..] != params.share_binding(from, to) {
        return Err(trustee_err(
            from,
            "its sealed share is for another ceremony or trustee",
        ));
    }
    SecretKey::from_bytes(&plain[..32])
        .ok_or_else(|| trustee_err(from, "its share is not a scalar"))
}

/// A trustee's secret state between the steps. Serialisable so that the trustee can keep it
/// (a file of its own, mode 0600, or the browser's storage); never sent to the server.
#[derive(Clone, Serialize, Deserialize)]
pub struct Trustee {
    pub params: TrusteeParams,
    pub index: u32,
    /// The ceremony box secret (hex).
    box_secret: String,
    step: Step,
}

impl std::fmt::Debug for Trustee {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Trustee({} attempt {}, {} of {})",
            self.params.election, self.params.attempt, self.index, self.params.trustees
        )
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Step {
    Committed(Box<ParticipantCollectingCommitments<Group>>),
    Revealed {
        participant: Box<ParticipantCollectingPolynomials<Group>>,
        box_keys: Vec<String>,
    },
    Dealt {
        participant: Box<ParticipantExchangingSecrets<Group>>,
        box_keys: Vec<String>,
    },
    Active(Box<ActiveParticipant<Group>>),
}

impl Trustee {
    /// Step 1: a new trustee `index` of the ceremony and its public commitment.
    pub fn new(
        params: TrusteeParams,
        index: u32,
        rng: &mut Rng,
    ) -> Result<(Trustee, Commitment), BallotError> {
        use rand_chacha::rand_core::Rng as _;
        params.validate()?;
        params.index("trustee", index)?;
        let participant =
            ParticipantCollectingCommitments::<Group>::new(params.params(), index as usize, rng);
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let box_secret = crypto_box::SecretKey::from(seed);
        seed.fill(0);
        let commitment = Commitment {
            commitment: hex::encode(participant.commitment()),
            box_key: hex::encode(box_secret.public_key().as_bytes()),
        };
        let trustee = Trustee {
            params,
            index,
            box_secret: hex::encode(box_secret.to_bytes()),
            step: Step::Committed(Box::new(participant)),
        };
        Ok((trustee, commitment))
    }

    fn box_secret(&self) -> crypto_box::SecretKey {
        crypto_box::SecretKey::from(
            hex_bytes::<32>("box_secret", &self.box_secret).expect("written by this module"),
        )
    }

    fn step_err(&self, expected: &str) -> BallotError {
        trustee_err(
            self.index,
            format!("this step needs a trustee that has {expected}"),
        )
    }

    /// Step 2: takes every trustee's commitment (in order, its own included) and returns the
    /// reveal to publish.
    pub fn reveal(&mut self, commitments: &[Commitment]) -> Result<PolynomialReveal, BallotError> {
        let Step::Committed(participant) = &self.step else {
            return Err(self.step_err("only committed"));
        };
        if commitments.len() != self.params.trustees as usize {
            return Err(BallotError::invalid("commitments", "one per trustee"));
        }
        let mut participant = participant.clone();
        for (j, c) in commitments.iter().enumerate() {
            check_commitment(c)?;
            let bytes = hex_bytes::<32>("commitment", &c.commitment)?;
            if j == self.index as usize {
                if bytes != participant.commitment() {
                    return Err(trustee_err(self.index, "its own commitment differs"));
                }
                continue;
            }
            participant.insert_commitment(j, bytes);
        }
        let participant = participant.finish_commitment_phase();
        let reveal = PolynomialReveal(participant.public_info().into_owned());
        self.step = Step::Revealed {
            participant: Box::new(participant),
            box_keys: commitments.iter().map(|c| c.box_key.clone()).collect(),
        };
        Ok(reveal)
    }

    /// Step 3: takes every trustee's reveal (in order), checks the others' against their
    /// commitments, and returns this trustee's shares sealed to each other trustee.
    pub fn deal(
        &mut self,
        commitments: &[Commitment],
        reveals: &[PolynomialReveal],
        rng: &mut Rng,
    ) -> Result<SealedShares, BallotError> {
        let Step::Revealed {
            participant,
            box_keys,
        } = &self.step
        else {
            return Err(self.step_err("revealed its polynomial"));
        };
        let n = self.params.trustees as usize;
        if reveals.len() != n || commitments.len() != n {
            return Err(BallotError::invalid("reveals", "one per trustee"));
        }
        let mut participant = participant.clone();
        for (j, reveal) in reveals.iter().enumerate() {
            if j == self.index as usize {
                continue;
            }
            check_reveal(&self.params, j as u32, &commitments[j], reveal)?;
            participant
                .insert_public_polynomial(j, reveal.0.clone())
                .map_err(|e| trustee_err(j as u32, e.to_string()))?;
        }
        let participant = participant.finish_polynomials_phase();
        let secret = self.box_secret();
        let mut shares = Vec::with_capacity(n - 1);
        for (j, key) in box_keys.iter().enumerate() {
            if j == self.index as usize {
                continue;
            }
            let recipient = crypto_box::PublicKey::from(hex_bytes::<32>("box_key", key)?);
            let share = participant.secret_share_for_participant(j);
            shares.push(seal_share(
                &self.params,
                &secret,
                &recipient,
                self.index,
                j as u32,
                &share,
                rng,
            ));
        }
        self.step = Step::Dealt {
            participant: Box::new(participant),
            box_keys: box_keys.clone(),
        };
        Ok(SealedShares { shares })
    }

    /// Step 4: opens the shares addressed to this trustee (every trustee's sealed shares, in
    /// order) and checks each against its sender's polynomial. Returns the confirmation, or the
    /// complaint to publish against the first sender whose share is bad.
    pub fn complete(
        &mut self,
        sealed: &[SealedShares],
        rng: &mut Rng,
    ) -> Result<Result<KeyConfirmation, Complaint>, BallotError> {
        let Step::Dealt {
            participant,
            box_keys,
        } = &self.step
        else {
            return Err(self.step_err("dealt its shares"));
        };
        if sealed.len() != self.params.trustees as usize {
            return Err(BallotError::invalid("sealed", "one set per trustee"));
        }
        let mut participant = participant.clone();
        let secret = self.box_secret();
        for (j, set) in sealed.iter().enumerate() {
            if j == self.index as usize {
                continue;
            }
            check_sealed_shares(&self.params, j as u32, set)?;
            let mine = set.shares.iter().find(|s| s.to == self.index);
            let sender = crypto_box::PublicKey::from(hex_bytes::<32>("box_key", &box_keys[j])?);
            let opened = mine
                .ok_or_else(|| trustee_err(j as u32, "no share"))
                .and_then(|s| open_share(&self.params, &secret, &sender, j as u32, self.index, s));
            let inserted = opened.and_then(|share| {
                participant
                    .insert_secret_share(j, share)
                    .map_err(|e| trustee_err(j as u32, e.to_string()))
            });
            if inserted.is_err() {
                return Ok(Err(Complaint {
                    against: j as u32,
                    box_secret: self.box_secret.clone(),
                }));
            }
        }
        let active = participant
            .complete()
            .map_err(|e| trustee_err(self.index, e.to_string()))?;
        let confirmation = KeyConfirmation {
            election_key: active.key_set().shared_key().clone(),
            proof: active.proof_of_possession(rng),
        };
        self.step = Step::Active(Box::new(active));
        Ok(Ok(confirmation))
    }

    /// The finished trustee's participant, for decryption, once its state is found whole: a
    /// state file is read from the trustee's disk, and the crate panics on an index out of
    /// range, so its index, key set and secret share are checked before the crate uses them.
    pub(crate) fn active(&self) -> Result<&ActiveParticipant<Group>, BallotError> {
        let Step::Active(active) = &self.step else {
            return Err(self.step_err("completed the ceremony"));
        };
        let keys = active.key_set().participant_keys().len();
        let whole = active.index() == self.index as usize
            && active.index() < keys
            && keys == self.params.trustees as usize
            && ActiveParticipant::new(
                active.key_set().clone(),
                active.index(),
                active.secret_share().clone(),
            )
            .is_ok();
        if whole {
            Ok(active)
        } else {
            Err(trustee_err(
                self.index,
                "its state does not hold its own key share (an edited file, or another trustee's)",
            ))
        }
    }

    /// Whether the ceremony is complete for this trustee.
    pub fn is_active(&self) -> bool {
        matches!(self.step, Step::Active(_))
    }

    /// The ceremony step this trustee has reached, for messages: committed, revealed, dealt,
    /// active.
    pub fn step_name(&self) -> &'static str {
        match self.step {
            Step::Committed(_) => "committed",
            Step::Revealed { .. } => "revealed",
            Step::Dealt { .. } => "dealt",
            Step::Active(_) => "active",
        }
    }
}

/// Every trustee's messages of a ceremony run on one machine.
#[derive(Debug)]
pub struct Simulated {
    pub trustees: Vec<Trustee>,
    pub commitments: Vec<Commitment>,
    pub reveals: Vec<PolynomialReveal>,
    pub sealed: Vec<SealedShares>,
    pub confirmations: Vec<KeyConfirmation>,
}

/// Runs all n trustees of a ceremony on one machine: for the demonstration, tests and
/// benchmarks only. In an election each trustee runs its own steps on its own machine; one
/// machine holding every share could decrypt any ballot.
pub fn simulate(params: &TrusteeParams, rng: &mut Rng) -> Result<Simulated, BallotError> {
    let (mut trustees, commitments): (Vec<_>, Vec<_>) = (0..params.trustees)
        .map(|i| Trustee::new(params.clone(), i, rng))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .unzip();
    let reveals = trustees
        .iter_mut()
        .map(|t| t.reveal(&commitments))
        .collect::<Result<Vec<_>, _>>()?;
    let sealed = trustees
        .iter_mut()
        .map(|t| t.deal(&commitments, &reveals, rng))
        .collect::<Result<Vec<_>, _>>()?;
    let mut confirmations = Vec::with_capacity(trustees.len());
    for t in trustees.iter_mut() {
        let confirmation = t
            .complete(&sealed, rng)?
            .map_err(|c| trustee_err(c.against, "sent a bad share"))?;
        confirmations.push(confirmation);
    }
    Ok(Simulated {
        trustees,
        commitments,
        reveals,
        sealed,
        confirmations,
    })
}
