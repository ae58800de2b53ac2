//! What a counted round decides: the quorum, each candidate's approvals against the threshold
//! (a share of the total membership, never of the votes cast), the elected in order of
//! approvals (ties broken by rank, except at the cut-off), and a tie at the cut-off that the
//! head and the deputy decide. A round below the quorum elects nobody and has no tie, whether
//! counted electronically or on paper. Exact integer arithmetic only.

use serde::{Deserialize, Serialize};

use super::{Election, Round};
use crate::ids::UnitId;

/// One candidate's line in the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateResult {
    pub unit: UnitId,
    pub approvals: u32,
    /// Approvals reach the threshold of the total membership.
    pub passes: bool,
    pub elected: bool,
}

/// A tie at the cut-off: `seats` of `candidates` remain to be chosen by the head and deputy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tie {
    pub candidates: Vec<UnitId>,
    pub seats: u32,
    /// The choice, once the head and the deputy recorded the same one.
    pub decided: Option<Vec<UnitId>>,
}

/// A counted round's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub members: u32,
    /// The members who took part (ballots cast or returned, invalid ones included): what the
    /// quorum counts.
    pub ballots: u32,
    pub quorum_needed: u32,
    pub quorum_met: bool,
    /// Approvals a candidate needs (the threshold of the total membership).
    pub approvals_needed: u32,
    pub candidates: Vec<CandidateResult>,
    pub abstentions: u32,
    /// The elected, in order of approvals, then rank; a decided tie's choice included. Empty
    /// when the quorum is not met.
    pub elected: Vec<UnitId>,
    pub tie: Option<Tie>,
}

/// The result of a counted round, or `None` while it is not counted.
pub fn outcome(election: &Election, round: &Round) -> Option<Outcome> {
    let count = round.count.as_ref()?;
    let members = election.members.len() as u32;
    let approvals_needed = election.approval.needed(members);
    let quorum_needed = election.quorum.needed(members);
    let quorum_met = count.ballots >= quorum_needed;
    // Candidates that pass, by approvals (descending) then their rank order.
    let mut passing: Vec<(usize, u32)> = count
        .approvals
        .iter()
        .enumerate()
        .filter(|(_, &a)| a >= approvals_needed)
        .map(|(i, &a)| (i, a))
        .collect();
    passing.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !quorum_met {
        // Below the quorum the meeting decides nothing: nobody is elected.
        passing.clear();
    }
    let seats = round.seats as usize;
    let mut elected: Vec<UnitId> = Vec::new();
    let mut tie = None;
    if passing.len() <= seats {
        elected.extend(passing.iter().map(|(i, _)| round.candidates[*i].clone()));
    } else {
        let cut = passing[seats - 1].1;
        let above: Vec<&(usize, u32)> = passing.iter().filter(|p| p.1 > cut).collect();
        let at: Vec<&(usize, u32)> = passing.iter().filter(|p| p.1 == cut).collect();
        elected.extend(above.iter().map(|(i, _)| round.candidates[*i].clone()));
        let left = seats - above.len();
        if at.len() == left {
            elected.extend(at.iter().map(|(i, _)| round.candidates[*i].clone()));
        } else {
            let candidates: Vec<UnitId> = at
                .iter()
                .map(|(i, _)| round.candidates[*i].clone())
                .collect();
            let decided = decided_tie(round, &candidates, left);
            if let Some(chosen) = &decided {
                elected.extend(chosen.iter().cloned());
            }
            tie = Some(Tie {
                candidates,
                seats: left as u32,
                decided,
            });
        }
    }
    let candidates = round
        .candidates
        .iter()
        .zip(&count.approvals)
        .map(|(unit, &approvals)| CandidateResult {
            unit: unit.clone(),
            approvals,
            passes: approvals >= approvals_needed,
            elected: elected.contains(unit),
        })
        .collect();
    Some(Outcome {
        members,
        ballots: count.ballots,
        quorum_needed,
        quorum_met,
        approvals_needed,
        candidates,
        abstentions: count.abstentions,
        elected,
        tie,
    })
}

/// The tie's choice when the head and the deputy both recorded it, the same set.
fn decided_tie(round: &Round, candidates: &[UnitId], seats: usize) -> Option<Vec<UnitId>> {
    if round.ties.len() < 2 {
        return None;
    }
    let mut choices = round.ties.values().map(|t| {
        let mut c = t.chosen.clone();
        c.sort();
        c
    });
    let first = choices.next()?;
    let agreed = choices.all(|c| c == first);
    (agreed && first.len() == seats && first.iter().all(|c| candidates.contains(c))).then(|| {
        // In rank order.
        candidates
            .iter()
            .filter(|c| first.contains(c))
            .cloned()
            .collect()
    })
}
