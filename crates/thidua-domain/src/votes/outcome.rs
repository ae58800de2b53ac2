//! What a counted round decides: the quorum, each candidate's approvals against the threshold
//! (a share of the total membership, never of the votes cast), the elected in order of
//! approvals (ties broken by rank, except at the cut-off), and a tie at the cut-off that the
//! head and the deputy decide: their common choice, or the head's when they differ or the year
//! has no deputy, or the deputy's when the year has no head ([`TieRule`]). A round below the quorum elects nobody and has no tie, whether
//! counted electronically or on paper. Exact integer arithmetic only.

use serde::{Deserialize, Serialize};

use super::{Election, Round};
use crate::ids::UnitId;
use crate::model::LeadershipPosition;

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
    /// The choice, in rank order, once decided ([`TieRule`]).
    pub decided: Option<Vec<UnitId>>,
    /// How the choice was reached, once decided.
    pub rule: Option<TieRule>,
}

/// How a tie at the cut-off was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// The head and the deputy recorded the same choice.
    Agreed,
    /// The head's and the deputy's choices differ: the head's prevails.
    HeadOverDeputy,
    /// The year had no deputy: the head decided alone.
    HeadWithoutDeputy,
    /// The year had no head: the deputy decided alone.
    DeputyWithoutHead,
    /// The deputy recorded no decision within [`crate::votes::TIE_WAIT_DAYS`] of the count: the
    /// head's, recorded after them, stands alone.
    HeadDeputySilent,
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
            if let Some((chosen, _)) = &decided {
                elected.extend(chosen.iter().cloned());
            }
            let (decided, rule) = decided.unzip();
            tie = Some(Tie {
                candidates,
                seats: left as u32,
                decided,
                rule,
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

/// The tie's choice, in rank order, and how it was reached: the same set recorded by every
/// decider (at least two), else the head's latest when a deputy decided otherwise or the head
/// decided in a year without a deputy, else the deputy's in a year without a head.
fn decided_tie(
    round: &Round,
    candidates: &[UnitId],
    seats: usize,
) -> Option<(Vec<UnitId>, TieRule)> {
    let fits = |c: &Vec<UnitId>| c.len() == seats && c.iter().all(|u| candidates.contains(u));
    let (chosen, rule) = agreed_choice(round)
        .map(|c| (c, TieRule::Agreed))
        .or_else(|| head_choice(round))?;
    fits(&chosen).then(|| {
        let in_rank = candidates
            .iter()
            .filter(|c| chosen.contains(c))
            .cloned()
            .collect();
        (in_rank, rule)
    })
}

/// The set every decider recorded, when at least two did and all agree.
fn agreed_choice(round: &Round) -> Option<Vec<UnitId>> {
    if round.ties.len() < 2 {
        return None;
    }
    let mut choices = round.ties.values().map(|t| sorted(&t.chosen));
    let first = choices.next()?;
    choices.all(|c| c == first).then_some(first)
}

/// The choice that prevails without agreement: the head's latest when a deputy decided
/// otherwise, the year had no deputy when the head decided, or the head decided after the
/// deputy's silence; the deputy's latest when the year had no head when the deputy decided.
fn head_choice(round: &Round) -> Option<(Vec<UnitId>, TieRule)> {
    let latest = |position: LeadershipPosition| {
        round
            .ties
            .values()
            .filter(|t| t.position == position)
            .max_by_key(|t| t.index)
    };
    let (head, deputy) = (
        latest(LeadershipPosition::Head),
        latest(LeadershipPosition::Deputy),
    );
    match (head, deputy) {
        (Some(h), Some(_)) => Some((sorted(&h.chosen), TieRule::HeadOverDeputy)),
        (Some(h), None) if h.alone => Some((sorted(&h.chosen), TieRule::HeadWithoutDeputy)),
        (Some(h), None) if h.deputy_silent => Some((sorted(&h.chosen), TieRule::HeadDeputySilent)),
        (None, Some(d)) if d.alone => Some((sorted(&d.chosen), TieRule::DeputyWithoutHead)),
        _ => None,
    }
}

/// A choice as a set, for comparing.
fn sorted(chosen: &[UnitId]) -> Vec<UnitId> {
    let mut c = chosen.to_vec();
    c.sort();
    c
}
