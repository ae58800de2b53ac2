//! Field checks of vote commands and the events they produce. Authorisation first (so a
//! refusal tells an outsider nothing), then the fields; whether the events fit the state is
//! `State::apply_votes`'s business, on the scratch copy `command::decide` applies them to.
//! [`decide`] dispatches each command to its own function below.

use thidua_ballot::{Ballot, DecryptionShares, VoterKey};

use super::apply::{combine, refused};
use super::{AwardKind, CeremonyMessage, Fraction, PaperCount, VoteCommand, VoteEvent};
use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::ids::{ClusterId, ElectionId, UnitId};
use crate::state::State;
use crate::text::{limits, Text};

/// Checks a vote command and turns it into events, through the command's own function.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    command: VoteCommand,
) -> Result<Vec<Payload>, DomainError> {
    use VoteCommand as C;
    let events = match command {
        c @ C::RecordStanding { .. } => record_standing(state, actor, c),
        c @ C::OpenElection { .. } => open_election(state, actor, c),
        C::PostCeremonyMessage {
            election,
            unit,
            message,
        } => post_ceremony_message(state, actor, election, unit, message),
        C::RegisterVoterKey {
            election,
            unit,
            key,
        } => register_voter_key(state, actor, election, unit, key),
        C::CastBallot {
            election,
            round,
            unit,
            ballot,
        } => cast_ballot(state, actor, election, round, unit, ballot),
        C::CloseRound { election, round } => close_round(state, actor, election, round),
        C::PostDecryptionShares {
            election,
            round,
            unit,
            shares,
        } => post_decryption_shares(state, actor, election, round, unit, shares),
        C::OpenSecondRound {
            election,
            candidates,
        } => open_second_round(state, actor, election, candidates),
        C::DecideTie {
            election,
            round,
            unit,
            chosen,
            decision,
        } => decide_tie(
            state,
            actor,
            time_ms,
            TieChoice {
                election,
                round,
                unit,
                chosen,
                decision,
            },
        ),
        C::RecordPaperCount {
            election,
            round,
            count,
        } => record_paper_count(state, actor, election, round, count),
        C::ConfirmPaperCount {
            election,
            round,
            unit,
        } => confirm_paper_count(state, actor, election, round, unit),
        C::WithdrawPaperCount {
            election,
            round,
            reason,
        } => withdraw_paper_count(state, actor, election, round, reason),
        C::AbandonElectronicCount {
            election,
            round,
            reason,
        } => abandon_electronic_count(state, actor, election, round, reason),
        C::CancelElection { election, reason } => {
            let end = |election, reason| VoteEvent::ElectionCancelled { election, reason };
            end_election(state, actor, election, reason, end)
        }
        C::ConcludeElection { election, reason } => {
            let end = |election, reason| VoteEvent::ElectionConcluded { election, reason };
            end_election(state, actor, election, reason, end)
        }
    }?;
    Ok(events.into_iter().map(Payload::Vote).collect())
}

/// Refused unless the actor acts as the secretariat of `cluster`.
fn manage(state: &State, actor: &Actor, cluster: &ClusterId) -> Result<(), DomainError> {
    authorise(state, actor, &Permission::ManageCluster(cluster.clone()))
}

/// Refused unless the actor acts as the leader of `unit`.
fn lead(state: &State, actor: &Actor, unit: &UnitId) -> Result<(), DomainError> {
    authorise(state, actor, &Permission::LeadUnit(unit.clone()))
}

/// The secretariat records a unit's standing in its cluster's year, with its basis.
fn record_standing(
    state: &State,
    actor: &Actor,
    command: VoteCommand,
) -> Result<Vec<VoteEvent>, DomainError> {
    let VoteCommand::RecordStanding {
        cluster,
        year,
        unit,
        rank,
        eligible,
        basis,
    } = command
    else {
        unreachable!("the dispatcher passes only this kind")
    };
    manage(state, actor, &cluster)?;
    basis.check("basis", limits::REASON)?;
    Ok(vec![VoteEvent::StandingRecorded {
        cluster,
        year,
        unit,
        rank,
        eligible,
        basis,
    }])
}

/// The secretariat opens an election of the year's nominees, voted on by the year's members.
fn open_election(
    state: &State,
    actor: &Actor,
    command: VoteCommand,
) -> Result<Vec<VoteEvent>, DomainError> {
    let VoteCommand::OpenElection {
        election,
        cluster,
        year,
        award,
        title,
        seats,
        approval,
        quorum,
        trustee_threshold,
    } = command
    else {
        unreachable!("the dispatcher passes only this kind")
    };
    manage(state, actor, &cluster)?;
    title.check_line("title", limits::TITLE)?;
    secrecy_floor(&quorum, trustee_threshold)?;
    approval_floor(award, approval)?;
    let members = state.members(&cluster, year)?.to_vec();
    super::candidates::check_opening(state, &cluster, year, award)?;
    let candidates = super::candidates(state, &cluster, year, award);
    super::candidates::check_no_overlap(state, &cluster, year, award, &candidates)?;
    if candidates.is_empty() && !super::left_out(state, &cluster, year, award).is_empty() {
        return Err(refused(
            "election_candidates_left_out",
            "every ranked unit is left out: proposed by another award vote of the year, or not a member of the cluster next year",
        ));
    }
    if candidates.is_empty() {
        return Err(refused(
            "election_candidates",
            "no eligible unit for the year: publish the year's results (or record the standings of a year scored outside the system) first",
        ));
    }
    Ok(vec![VoteEvent::ElectionOpened {
        election,
        cluster,
        year,
        award,
        title,
        candidates,
        seats,
        approval,
        quorum,
        members,
        trustee_threshold,
    }])
}

/// A leader posts its unit's key-ceremony message, at the ceremony's current attempt.
fn post_ceremony_message(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    unit: UnitId,
    message: CeremonyMessage,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &unit)?;
    let attempt = state.election(&election)?.ceremony.attempt;
    Ok(vec![VoteEvent::CeremonyPosted {
        election,
        attempt,
        unit,
        message,
    }])
}

/// A leader registers its unit's voting key.
fn register_voter_key(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    unit: UnitId,
    key: VoterKey,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &unit)?;
    Ok(vec![VoteEvent::VoterKeyRegistered {
        election,
        unit,
        key,
    }])
}

/// A leader casts its unit's ballot in a round.
fn cast_ballot(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    unit: UnitId,
    ballot: Box<Ballot>,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &unit)?;
    Ok(vec![VoteEvent::BallotCast {
        election,
        round,
        unit,
        ballot,
    }])
}

/// The secretariat closes a round.
fn close_round(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
) -> Result<Vec<VoteEvent>, DomainError> {
    manage(state, actor, &state.election(&election)?.cluster)?;
    Ok(vec![VoteEvent::RoundClosed { election, round }])
}

/// A leader posts its unit's decryption shares, and the count when they complete the threshold.
fn post_decryption_shares(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    unit: UnitId,
    shares: DecryptionShares,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &unit)?;
    let posted = VoteEvent::DecryptionPosted {
        election: election.clone(),
        round,
        unit: unit.clone(),
        shares: shares.clone(),
    };
    let e = state.election(&election)?;
    e.check_not_cancelled()?;
    let mut events = vec![posted];
    let Ok(r) = e.round(round) else {
        return Ok(events);
    };
    let enough =
        r.shares.len() + usize::from(!r.shares.contains_key(&unit)) >= e.trustee_threshold as usize;
    if r.count.is_none() && !r.shares.contains_key(&unit) && enough {
        let mut with = r.clone();
        with.shares.insert(unit, (shares, 0));
        let counts = combine(e, &with)?;
        events.push(VoteEvent::RoundCounted {
            election,
            round,
            approvals: counts.approvals,
            abstentions: counts.abstentions,
        });
    }
    Ok(events)
}

/// The secretariat opens the next round (round 2, or one after a round below the quorum) for
/// the seats the rounds so far left.
fn open_second_round(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    candidates: Vec<UnitId>,
) -> Result<Vec<VoteEvent>, DomainError> {
    let e = state.election(&election)?;
    manage(state, actor, &e.cluster)?;
    let seats = e.seats.saturating_sub(super::elected(e).len() as u32);
    Ok(vec![VoteEvent::SecondRoundOpened {
        election,
        candidates,
        seats,
    }])
}

/// The fields of a `DecideTie` command.
struct TieChoice {
    election: ElectionId,
    round: u32,
    unit: UnitId,
    chosen: Vec<UnitId>,
    decision: Text,
}

/// A leader records its unit's decision of a tie at the cut-off (`apply` checks the position);
/// the head's stands alone when the deputy stayed silent past the wait (`State::deputy_silent`).
fn decide_tie(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    c: TieChoice,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &c.unit)?;
    c.decision.check("decision", limits::DECISION)?;
    let e = state.election(&c.election)?;
    let deputy_silent = state.deputy_silent(e, c.round, &c.unit, time_ms);
    Ok(vec![VoteEvent::TieDecided {
        election: c.election,
        round: c.round,
        unit: c.unit,
        chosen: c.chosen,
        decision: c.decision,
        deputy_silent,
    }])
}

/// The secretariat records a round's paper count, with its counting team's names and a note.
fn record_paper_count(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    count: PaperCount,
) -> Result<Vec<VoteEvent>, DomainError> {
    manage(state, actor, &state.election(&election)?.cluster)?;
    for name in &count.counting_team {
        name.check_line("counting_team", limits::DISPLAY_NAME)?;
    }
    if let Some(note) = &count.note {
        note.check("note", limits::REASON)?;
    }
    Ok(vec![VoteEvent::PaperCountRecorded {
        election,
        round,
        count,
    }])
}

/// A leader confirms a round's paper count for its unit.
fn confirm_paper_count(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    unit: UnitId,
) -> Result<Vec<VoteEvent>, DomainError> {
    lead(state, actor, &unit)?;
    Ok(vec![VoteEvent::PaperCountConfirmed {
        election,
        round,
        unit,
    }])
}

/// The secretariat withdraws a round's unconfirmed paper count, with its reason.
fn withdraw_paper_count(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    reason: Text,
) -> Result<Vec<VoteEvent>, DomainError> {
    manage(state, actor, &state.election(&election)?.cluster)?;
    reason.check("reason", limits::REASON)?;
    Ok(vec![VoteEvent::PaperCountWithdrawn {
        election,
        round,
        reason,
    }])
}

/// The secretariat sets aside the electronic count of a round the trustees cannot decrypt, with
/// its reason (`apply` checks the round).
fn abandon_electronic_count(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    round: u32,
    reason: Text,
) -> Result<Vec<VoteEvent>, DomainError> {
    manage(state, actor, &state.election(&election)?.cluster)?;
    reason.check("reason", limits::REASON)?;
    Ok(vec![VoteEvent::ElectronicCountAbandoned {
        election,
        round,
        reason,
    }])
}

/// The secretariat ends an election with its reason: `end` makes the event, a cancellation
/// (`apply` checks that none of its rounds is counted and that it is not cancelled already) or
/// a conclusion without a further round (`apply` checks that one could be opened now: its
/// rounds counted, no tie undecided, a seat left).
fn end_election(
    state: &State,
    actor: &Actor,
    election: ElectionId,
    reason: Text,
    end: fn(ElectionId, Text) -> VoteEvent,
) -> Result<Vec<VoteEvent>, DomainError> {
    manage(state, actor, &state.election(&election)?.cluster)?;
    reason.check("reason", limits::REASON)?;
    Ok(vec![end(election, reason)])
}

/// What a new election may not go below, or the ballot would not be secret: at least two
/// trustees decrypt (one alone could read every ballot), and the quorum is at least half the
/// members (a count of one or two ballots tells how they voted). Checked when an election is
/// opened; elections already in the log keep the terms they were opened with.
fn secrecy_floor(quorum: &Fraction, trustee_threshold: u32) -> Result<(), DomainError> {
    if trustee_threshold < 2 {
        return Err(refused(
            "election_threshold_low",
            "at least 2 trustees are needed to decrypt: one alone could read every ballot",
        ));
    }
    if u64::from(quorum.num) * 2 < u64::from(quorum.den) {
        return Err(refused(
            "election_quorum_low",
            "the quorum is at least half the members: a count of a few ballots tells how they voted",
        ));
    }
    Ok(())
}

/// Refused when the approval threshold is below the rule for the award's kind
/// ([`AwardKind::approval_floor`]: a flag needs 80% of the total membership).
fn approval_floor(award: AwardKind, approval: Fraction) -> Result<(), DomainError> {
    match award.approval_floor() {
        Some(floor) if !approval.at_least(floor) => Err(refused(
            "election_approval_low",
            format!(
                "the approval threshold {}/{} is below the {}/{} of the total membership the rules require for this award",
                approval.num, approval.den, floor.num, floor.den
            ),
        )),
        _ => Ok(()),
    }
}
