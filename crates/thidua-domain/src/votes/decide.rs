//! Field checks of vote commands and the events they produce. Authorisation first (so a
//! refusal tells an outsider nothing), then the fields; whether the events fit the state is
//! `State::apply_votes`'s business, on the scratch copy `command::decide` applies them to.

use super::apply::{combine, refused};
use super::{nominees, outcome, Fraction, VoteCommand, VoteEvent};
use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Payload};
use crate::state::State;
use crate::text::limits;

pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: VoteCommand,
) -> Result<Vec<Payload>, DomainError> {
    use VoteCommand as C;
    use VoteEvent as V;
    let manage = |cluster| authorise(state, actor, &Permission::ManageCluster(cluster));
    let lead = |unit| authorise(state, actor, &Permission::LeadUnit(unit));
    let events = match command {
        C::RecordStanding {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        } => {
            manage(cluster.clone())?;
            basis.check("basis", limits::REASON)?;
            vec![V::StandingRecorded {
                cluster,
                year,
                unit,
                rank,
                eligible,
                basis,
            }]
        }
        C::OpenElection {
            election,
            cluster,
            year,
            award,
            title,
            seats,
            approval,
            quorum,
            trustee_threshold,
        } => {
            manage(cluster.clone())?;
            title.check("title", limits::TITLE)?;
            secrecy_floor(&quorum, trustee_threshold)?;
            let members = state.members(&cluster, year)?.to_vec();
            let candidates = nominees(state, &cluster, year);
            if candidates.is_empty() {
                return Err(refused(
                    "election_candidates",
                    "no eligible unit for the year: publish the year's results (or record the standings of a year scored outside the system) first",
                ));
            }
            vec![V::ElectionOpened {
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
            }]
        }
        C::PostCeremonyMessage {
            election,
            unit,
            message,
        } => {
            lead(unit.clone())?;
            let attempt = state.election(&election)?.ceremony.attempt;
            vec![V::CeremonyPosted {
                election,
                attempt,
                unit,
                message,
            }]
        }
        C::RegisterVoterKey {
            election,
            unit,
            key,
        } => {
            lead(unit.clone())?;
            vec![V::VoterKeyRegistered {
                election,
                unit,
                key,
            }]
        }
        C::CastBallot {
            election,
            round,
            unit,
            ballot,
        } => {
            lead(unit.clone())?;
            vec![V::BallotCast {
                election,
                round,
                unit,
                ballot,
            }]
        }
        C::CloseRound { election, round } => {
            manage(state.election(&election)?.cluster.clone())?;
            vec![V::RoundClosed { election, round }]
        }
        C::PostDecryptionShares {
            election,
            round,
            unit,
            shares,
        } => {
            lead(unit.clone())?;
            decryption(state, election, round, unit, shares)?
        }
        C::OpenSecondRound {
            election,
            candidates,
        } => {
            let e = state.election(&election)?;
            manage(e.cluster.clone())?;
            let elected = e
                .rounds
                .first()
                .and_then(|r| outcome(e, r))
                .map(|o| o.elected.len() as u32)
                .unwrap_or(0);
            let seats = e.seats.saturating_sub(elected);
            vec![V::SecondRoundOpened {
                election,
                candidates,
                seats,
            }]
        }
        C::DecideTie {
            election,
            round,
            unit,
            chosen,
            decision,
        } => {
            lead(unit.clone())?;
            decision.check("decision", limits::DECISION)?;
            vec![V::TieDecided {
                election,
                round,
                unit,
                chosen,
                decision,
            }]
        }
        C::RecordPaperCount {
            election,
            round,
            count,
        } => {
            manage(state.election(&election)?.cluster.clone())?;
            for name in &count.counting_team {
                name.check("counting_team", limits::DISPLAY_NAME)?;
            }
            if let Some(note) = &count.note {
                note.check("note", limits::REASON)?;
            }
            vec![V::PaperCountRecorded {
                election,
                round,
                count,
            }]
        }
        C::ConfirmPaperCount {
            election,
            round,
            unit,
        } => {
            lead(unit.clone())?;
            vec![V::PaperCountConfirmed {
                election,
                round,
                unit,
            }]
        }
        C::WithdrawPaperCount {
            election,
            round,
            reason,
        } => {
            manage(state.election(&election)?.cluster.clone())?;
            reason.check("reason", limits::REASON)?;
            vec![V::PaperCountWithdrawn {
                election,
                round,
                reason,
            }]
        }
    };
    Ok(events.into_iter().map(Payload::Vote).collect())
}

/// A trustee's shares, and the count when they complete the threshold.
fn decryption(
    state: &State,
    election: crate::ids::ElectionId,
    round: u32,
    unit: crate::ids::UnitId,
    shares: thidua_ballot::DecryptionShares,
) -> Result<Vec<VoteEvent>, DomainError> {
    let posted = VoteEvent::DecryptionPosted {
        election: election.clone(),
        round,
        unit: unit.clone(),
        shares: shares.clone(),
    };
    let e = state.election(&election)?;
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
