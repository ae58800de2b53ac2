//! What a ballot is for. Every proof of a ballot is made on a Merlin transcript that starts from
//! the context (election, round, number of candidates, seats) and the voter's key, and then
//! names the proof's position in the ballot; a ballot copied to another voter, round, election
//! or position fails to verify. The crate's own `app::EncryptedChoice` is not used: its
//! transcript is fixed, so a copied ballot would verify under another voter.

use merlin::Transcript;
use serde::{Deserialize, Serialize};

use crate::{BallotError, MAX_CANDIDATES};

/// The round a ballot belongs to and its shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotContext {
    /// The election's id in the log.
    pub election: String,
    /// The ballot round, 1 or 2.
    pub round: u32,
    /// How many candidates the ballot lists.
    pub candidates: u32,
    /// How many candidates one ballot may approve at most (m).
    pub seats: u32,
}

/// Where in a ballot a proof sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Position {
    Choice(u32),
    Abstain,
    Count,
    Sum,
}

impl BallotContext {
    /// Refuses shapes the proofs cannot take: 1 ≤ seats ≤ candidates ≤ [`MAX_CANDIDATES`], an
    /// election id of 1–64 visible ASCII characters, round 1 or 2.
    pub fn validate(&self) -> Result<(), BallotError> {
        let id_ok = !self.election.is_empty()
            && self.election.len() <= 64
            && self.election.bytes().all(|b| b.is_ascii_graphic());
        if !id_ok {
            return Err(BallotError::invalid(
                "election",
                "1–64 visible ASCII characters",
            ));
        }
        if !(1..=2).contains(&self.round) {
            return Err(BallotError::invalid("round", "a round is 1 or 2"));
        }
        if self.candidates == 0 || self.candidates > MAX_CANDIDATES {
            return Err(BallotError::invalid(
                "candidates",
                format!("between 1 and {MAX_CANDIDATES} candidates"),
            ));
        }
        if self.seats == 0 || self.seats > self.candidates {
            return Err(BallotError::invalid(
                "seats",
                "between 1 and the number of candidates",
            ));
        }
        Ok(())
    }

    /// The transcript of one proof: the context, the voter's key, the position.
    pub(crate) fn transcript(&self, voter: &[u8; 32], position: Position) -> Transcript {
        let mut t = Transcript::new(b"thidua-ballot/v1");
        t.append_message(b"election", self.election.as_bytes());
        t.append_u64(b"round", u64::from(self.round));
        t.append_u64(b"candidates", u64::from(self.candidates));
        t.append_u64(b"seats", u64::from(self.seats));
        t.append_message(b"voter", voter);
        match position {
            Position::Choice(i) => {
                t.append_message(b"position", b"choice");
                t.append_u64(b"index", u64::from(i));
            }
            Position::Abstain => t.append_message(b"position", b"abstain"),
            Position::Count => t.append_message(b"position", b"count"),
            Position::Sum => t.append_message(b"position", b"sum"),
        }
        t
    }
}
