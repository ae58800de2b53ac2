//! The count: the ciphertexts of the ballots that count are added per candidate (and for
//! abstentions) into [`Totals`]; at least t trustees publish [`DecryptionShares`] of the totals
//! with their proofs; each share is verified against the trustee's key share
//! ([`DecryptionShares::verify`] gives [`VerifiedShares`], the only type [`combine`] accepts,
//! because a bad share combined unchecked gives a silently wrong total); then the totals are
//! decrypted. Only totals are ever decrypted, never a single ballot or a partial sum.

use elastic_elgamal::VerifiableDecryption;
use elastic_elgamal::{CandidateDecryption, Ciphertext, DiscreteLogTable, LogEqualityProof};
use serde::{Deserialize, Serialize};

use crate::codec::json_eq;
use crate::{Ballot, BallotError, Group, KeySet, Rng, Trustee};

/// The sums of the counted ballots: one ciphertext per candidate, then abstentions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub choices: Vec<Ciphertext<Group>>,
    pub abstain: Ciphertext<Group>,
    /// How many ballots were added.
    pub ballots: u32,
}

json_eq!(Totals);

impl Totals {
    /// Adds the ballots (already verified, all of the same round).
    pub fn sum<'a>(candidates: u32, ballots: impl IntoIterator<Item = &'a Ballot>) -> Totals {
        let mut totals = Totals {
            choices: vec![Ciphertext::zero(); candidates as usize],
            abstain: Ciphertext::zero(),
            ballots: 0,
        };
        for ballot in ballots {
            for (sum, slot) in totals.choices.iter_mut().zip(&ballot.choices) {
                *sum += slot.ciphertext;
            }
            totals.abstain += ballot.abstain.ciphertext;
            totals.ballots += 1;
        }
        totals
    }

    /// The ciphertexts to decrypt, in order: the candidates, then abstentions.
    fn all(&self) -> impl Iterator<Item = &Ciphertext<Group>> {
        self.choices.iter().chain(std::iter::once(&self.abstain))
    }

    fn len(&self) -> usize {
        self.choices.len() + 1
    }
}

/// One decryption share of one total, with its proof (unverified as read).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOfTotal {
    pub share: CandidateDecryption<Group>,
    pub proof: LogEqualityProof<Group>,
}

/// A trustee's decryption shares of every total, as read from the log: not yet trusted.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecryptionShares {
    pub shares: Vec<ShareOfTotal>,
}

json_eq!(ShareOfTotal, DecryptionShares);

/// A trustee's shares after their proofs verified: the only input [`combine`] takes.
#[derive(Clone, Debug)]
pub struct VerifiedShares {
    trustee: u32,
    shares: Vec<VerifiableDecryption<Group>>,
}

impl VerifiedShares {
    pub fn trustee(&self) -> u32 {
        self.trustee
    }
}

impl DecryptionShares {
    /// A trustee's shares of the totals, with proofs.
    pub fn create(
        trustee: &Trustee,
        totals: &Totals,
        rng: &mut Rng,
    ) -> Result<DecryptionShares, BallotError> {
        let active = trustee.active()?;
        let shares = totals
            .all()
            .map(|total| {
                let (share, proof) = active.decrypt_share(*total, rng);
                ShareOfTotal {
                    share: share.into(),
                    proof,
                }
            })
            .collect();
        Ok(DecryptionShares { shares })
    }

    /// Verifies every share of trustee `trustee` against its key share and the totals.
    pub fn verify(
        &self,
        keys: &KeySet,
        trustee: u32,
        totals: &Totals,
    ) -> Result<VerifiedShares, BallotError> {
        if trustee >= keys.trustees() {
            return Err(BallotError::invalid(
                "trustee",
                format!("no trustee {trustee}"),
            ));
        }
        if self.shares.len() != totals.len() {
            return Err(BallotError::invalid(
                "shares",
                format!("{} shares for {} totals", self.shares.len(), totals.len()),
            ));
        }
        let shares = self
            .shares
            .iter()
            .zip(totals.all())
            .enumerate()
            .map(|(i, (s, total))| {
                keys.0
                    .verify_share(s.share, *total, trustee as usize, &s.proof)
                    .map_err(|_| BallotError::BadShare {
                        trustee,
                        total: i as u32,
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(VerifiedShares { trustee, shares })
    }
}

/// The decrypted totals: approvals per candidate and abstentions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub approvals: Vec<u32>,
    pub abstentions: u32,
}

/// Combines the verified shares of at least t distinct trustees (the first t are used) and
/// decrypts every total; a total outside 0..=ballots means the inputs do not belong together.
pub fn combine(
    keys: &KeySet,
    totals: &Totals,
    shares: &[VerifiedShares],
) -> Result<Counts, BallotError> {
    let mut seen = std::collections::BTreeSet::new();
    let chosen: Vec<&VerifiedShares> = shares
        .iter()
        .filter(|s| s.trustee < keys.trustees() && seen.insert(s.trustee))
        .take(keys.threshold() as usize)
        .collect();
    if chosen.len() < keys.threshold() as usize {
        return Err(BallotError::Tally(format!(
            "{} trustees' shares, {} needed",
            chosen.len(),
            keys.threshold()
        )));
    }
    if chosen.iter().any(|s| s.shares.len() != totals.len()) {
        return Err(BallotError::Tally("shares for other totals".into()));
    }
    let table = DiscreteLogTable::<Group>::new(0..=u64::from(totals.ballots));
    let mut values = Vec::with_capacity(totals.len());
    for (i, total) in totals.all().enumerate() {
        let combined = keys
            .0
            .params()
            .combine_shares(chosen.iter().map(|s| (s.trustee as usize, s.shares[i])))
            .ok_or_else(|| BallotError::Tally("not enough shares".into()))?;
        let value = combined.decrypt(*total, &table).ok_or_else(|| {
            BallotError::Tally(format!(
                "total {i} does not decrypt to 0..={}",
                totals.ballots
            ))
        })?;
        values.push(value as u32);
    }
    let abstentions = values.pop().expect("the abstain total is last");
    Ok(Counts {
        approvals: values,
        abstentions,
    })
}
