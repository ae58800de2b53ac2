//! A voter's receipt checked against the log: the ballot the receipt's record holds and
//! whether it is the unit's counted ballot — what the receipt page and `thidua verify
//! --receipt` both say.

use super::VoteEvent;
use crate::event::{Event, Payload};
use crate::ids::{ElectionId, UnitId};
use crate::State;

/// The ballot a receipt (a record's log index and the ballot's SHA-256) names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub election: ElectionId,
    pub round: u32,
    pub unit: UnitId,
    /// Whether it is the ballot the unit's vote counts in its round (a later ballot of the
    /// same unit replaces it).
    pub counted: bool,
}

/// The ballot `event` — the record at the receipt's index — holds, if it is a ballot of
/// `election` (of any election when `None`) whose hash is `hash` (lowercase hex), and
/// whether `state` counts it.
pub fn check(
    state: &State,
    event: &Event,
    hash: &str,
    election: Option<&ElectionId>,
) -> Option<Found> {
    let Payload::Vote(VoteEvent::BallotCast {
        election: cast_in,
        round,
        unit,
        ballot,
    }) = &event.payload
    else {
        return None;
    };
    if election.is_some_and(|e| e != cast_in) || ballot.hash() != hash {
        return None;
    }
    let counted = state
        .elections
        .get(cast_in)
        .and_then(|e| e.round(*round).ok())
        .and_then(|r| r.ballots.get(unit))
        .is_some_and(|b| b.index == event.index);
    Some(Found {
        election: cast_in.clone(),
        round: *round,
        unit: unit.clone(),
        counted,
    })
}
