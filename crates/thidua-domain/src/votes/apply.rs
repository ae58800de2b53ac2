//! The fit of vote events and their folding into the state. Every cryptographic check runs
//! here, so the rules hold wherever an event is applied (decision, start-up, `thidua verify`):
//! ceremony messages against their commitments and the recomputed key, each ballot's
//! signature and proofs under the voter's registered key, each decryption share's proof, and
//! the count recomputed from the verified shares.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thidua_ballot::ceremony::{
    check_commitment, check_reveal, check_sealed_shares, judge_complaint, Verdict,
};
use thidua_ballot::{
    Ballot, BallotContext, Commitment, Complaint, DecryptionShares, KeyConfirmation, KeySet,
    PolynomialReveal, SealedShares, Totals, TrusteeParams, VerifiedShares, VoterKey,
};

use super::{outcome, AwardKind, CeremonyMessage, Fraction, PaperCount, Standing, VoteEvent};
use crate::error::DomainError;
use crate::event::{Actor, Event};
use crate::ids::{ClusterId, ElectionId, UnitId};
use crate::model::LeadershipPosition;
use crate::state::State;
use crate::text::Text;

/// One registration of a unit's voting key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRegistration {
    pub unit: UnitId,
    pub index: u64,
    pub time_ms: i64,
    pub by: Actor,
    /// It replaced a key the unit had registered before.
    pub replaced: bool,
}

/// An election as the log made it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Election {
    pub id: ElectionId,
    pub cluster: ClusterId,
    pub year: i32,
    pub award: AwardKind,
    pub title: Text,
    pub seats: u32,
    pub approval: Fraction,
    pub quorum: Fraction,
    /// Voters and trustees, in trustee order.
    pub members: Vec<UnitId>,
    pub trustee_threshold: u32,
    pub opened_at: u64,
    pub ceremony: Ceremony,
    /// Each voter's current key and the index of the event that registered it.
    pub voter_keys: BTreeMap<UnitId, (VoterKey, u64)>,
    /// Every voting-key registration, in log order: who registered which unit's key and when,
    /// so that a key changed mid-round (a leader on another computer, or someone else holding
    /// the unit's session) is seen on the election page.
    #[serde(default)]
    pub key_registrations: Vec<KeyRegistration>,
    pub rounds: Vec<Round>,
    /// Every ciphertext ballots of this election carried (hex), so none is accepted twice.
    pub ciphertexts: BTreeSet<String>,
    /// Cancelled by the secretariat before any round was counted: nothing more is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled: Option<Cancellation>,
    /// Concluded by the secretariat after a counted round left seats unfilled, instead of a
    /// further round: over, no round is opened any more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concluded: Option<Cancellation>,
}

/// An election ended by the secretariat (cancelled, or concluded without a further round): its
/// reason, the record and who ended it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub reason: Text,
    pub index: u64,
    pub time_ms: i64,
    pub by: Actor,
}

/// The key ceremony's messages of the current attempt, and the failed attempts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ceremony {
    pub attempt: u32,
    pub commitments: BTreeMap<u32, Commitment>,
    pub reveals: BTreeMap<u32, PolynomialReveal>,
    pub dealt: BTreeMap<u32, SealedShares>,
    pub confirmed: BTreeMap<u32, KeyConfirmation>,
    /// Recomputed from the reveals once all are in.
    pub keys: Option<KeySet>,
    /// Log index of the last confirmation: voting may start.
    pub completed_at: Option<u64>,
    pub failures: Vec<CeremonyFailure>,
}

/// The key ceremony's four steps in order, as [`CeremonyMessage::step`] names them (a
/// complaint is not a step: it abandons the attempt).
pub const CEREMONY_STEPS: [&str; 4] = ["commit", "reveal", "deal", "confirm"];

impl Ceremony {
    /// Whether trustee `i` posted its message of step number `step` in this attempt.
    fn has(&self, step: usize, i: u32) -> bool {
        match step {
            0 => self.commitments.contains_key(&i),
            1 => self.reveals.contains_key(&i),
            2 => self.dealt.contains_key(&i),
            _ => self.confirmed.contains_key(&i),
        }
    }

    /// Whether trustee `i` posted its message of `step` (a name of [`CEREMONY_STEPS`]).
    pub fn posted(&self, i: u32, step: &str) -> bool {
        CEREMONY_STEPS
            .iter()
            .position(|s| *s == step)
            .is_some_and(|k| self.has(k, i))
    }

    /// How many trustees posted each step of this attempt.
    pub fn counts(&self) -> [usize; 4] {
        [
            self.commitments.len(),
            self.reveals.len(),
            self.dealt.len(),
            self.confirmed.len(),
        ]
    }

    /// The step (index into [`CEREMONY_STEPS`]) that waits for trustee `i` of `trustees`:
    /// its first unposted one, once every trustee posted the one before; none when the
    /// ceremony is complete or the trustee must wait for the others.
    pub fn due_step(&self, i: u32, trustees: usize) -> Option<usize> {
        if self.completed_at.is_some() {
            return None;
        }
        let step = (0..CEREMONY_STEPS.len()).find(|k| !self.has(*k, i))?;
        (step == 0 || self.counts()[step - 1] == trustees).then_some(step)
    }
}

/// An attempt abandoned after a complaint, with the verdict anyone can recompute.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CeremonyFailure {
    pub attempt: u32,
    pub complainer: UnitId,
    pub accused: UnitId,
    pub verdict: Verdict,
    pub index: u64,
}

/// A ballot that counts (the voter's last valid one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CastBallot {
    pub ballot: Ballot,
    /// The receipt: SHA-256 of the signed ballot.
    pub hash: String,
    pub index: u64,
    pub time_ms: i64,
    /// How many earlier ballots of this voter in this round it replaced.
    pub replaced: u32,
    /// Who cast it (the event's actor).
    pub by: Actor,
    /// The person whose ballot of the unit a ballot cast by another person replaced (a changed
    /// leader, or someone granted the unit's leadership since), kept through later
    /// replacements: the election page says so beside the unit, never silently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_other: Option<Actor>,
}

/// A round's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub approvals: Vec<u32>,
    pub abstentions: u32,
    /// The members who took part, what the quorum counts (electronic: the voters' last
    /// ballots; paper: the ballots returned, invalid ones included). Approvals are counted
    /// against the total membership, never against this.
    pub ballots: u32,
    /// Counted on paper in the meeting room and confirmed by two members' leaders.
    pub paper: bool,
    /// Log index and time of the event that counted the round.
    pub index: u64,
    pub time_ms: i64,
}

/// A paper count, who recorded it and who confirmed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperRecord {
    pub count: PaperCount,
    pub recorded_at: u64,
    /// Who recorded it: that user confirms it for no unit.
    pub recorded_by: Actor,
    /// Each confirming unit: the record of its confirmation and who made it (two different
    /// users).
    pub confirmations: BTreeMap<UnitId, Confirmation>,
}

/// A member's confirmation of a paper count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub index: u64,
    pub by: Actor,
}

impl PaperRecord {
    /// Refused unless `actor` may confirm the count for `unit`: the unit has not confirmed
    /// it, and the actor neither recorded it nor confirmed it for another unit (two members'
    /// confirmations are two people's, not the recorder's).
    pub fn check_confirmer(&self, unit: &UnitId, actor: &Actor) -> Result<(), DomainError> {
        if self.confirmations.contains_key(unit) {
            return Err(refused(
                "paper_confirmed_twice",
                format!("{unit} already confirmed the count"),
            ));
        }
        if &self.recorded_by == actor {
            return Err(refused(
                "paper_confirmed_by_recorder",
                format!("{actor} recorded this count: two other users confirm it"),
            ));
        }
        if let Some((other, _)) = self.confirmations.iter().find(|(_, c)| &c.by == actor) {
            return Err(refused(
                "paper_confirmed_by_same_user",
                format!(
                    "{actor} already confirmed this count for {other}: another member's leader confirms it"
                ),
            ));
        }
        Ok(())
    }
}

/// A paper count the secretariat withdrew before two members confirmed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawnPaper {
    pub record: PaperRecord,
    pub reason: Text,
    pub index: u64,
}

/// The electronic count of a round set aside by the secretariat: the trustees could not
/// decrypt it, and the round is counted on paper instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAside {
    pub reason: Text,
    /// Log index and time of the event that set it aside.
    pub index: u64,
    pub time_ms: i64,
}

/// A head's or deputy's decision of a tie at the cut-off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieRecord {
    pub chosen: Vec<UnitId>,
    pub decision: Text,
    pub index: u64,
    /// Who recorded it: the head's and the deputy's decisions are two different users'.
    pub by: Actor,
    /// The position its unit held in the election's year when it was recorded.
    pub position: LeadershipPosition,
    /// The year had no other chair when it was recorded (no deputy for the head's decision, no
    /// head for the deputy's): the decision then stands alone.
    pub alone: bool,
    /// The head's decision recorded after the deputy stayed silent past the wait
    /// ([`crate::votes::TIE_WAIT_DAYS`]): it stands alone too.
    pub deputy_silent: bool,
}

/// One ballot round.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub number: u32,
    pub candidates: Vec<UnitId>,
    pub seats: u32,
    pub opened_at: u64,
    pub ballots: BTreeMap<UnitId, CastBallot>,
    pub closed_at: Option<u64>,
    /// The sums of the counted ballots, set at the close when the quorum voted.
    pub totals: Option<Totals>,
    pub shares: BTreeMap<UnitId, (DecryptionShares, u64)>,
    pub paper: Option<PaperRecord>,
    /// Paper counts withdrawn before they were confirmed, oldest first: the round stays closed
    /// and waits for a corrected count.
    #[serde(default)]
    pub withdrawn: Vec<WithdrawnPaper>,
    /// The electronic count set aside (its ballots kept, never counted): the round waits for,
    /// or was counted by, a paper count.
    #[serde(default)]
    pub set_aside: Option<SetAside>,
    pub count: Option<Count>,
    pub ties: BTreeMap<UnitId, TieRecord>,
}

impl Round {
    /// SHA-256 (hex) of the round's encrypted totals in canonical JSON, once summed at the
    /// close: what the vote-count minutes print and `thidua verify` recomputes.
    pub fn totals_sha256(&self) -> Option<String> {
        use sha2::Digest;
        self.totals
            .as_ref()
            .map(|t| hex::encode(sha2::Sha256::digest(crate::canonical_json(t))))
    }

    fn new(number: u32, candidates: Vec<UnitId>, seats: u32, index: u64) -> Round {
        Round {
            number,
            candidates,
            seats,
            opened_at: index,
            ballots: BTreeMap::new(),
            closed_at: None,
            totals: None,
            shares: BTreeMap::new(),
            paper: None,
            withdrawn: Vec::new(),
            set_aside: None,
            count: None,
            ties: BTreeMap::new(),
        }
    }

    /// Counted on paper, or to be: a paper count awaits its confirmations, one was withdrawn
    /// and a corrected count is awaited, or the electronic count was set aside.
    pub fn awaits_paper_count(&self) -> bool {
        self.count.is_none()
            && (self.paper.is_some() || !self.withdrawn.is_empty() || self.set_aside.is_some())
    }

    /// Whether the round may still be counted: open, closed with encrypted totals not yet
    /// decrypted, or waiting for a paper count (a round closed below the quorum never is).
    pub fn awaits_count(&self) -> bool {
        self.count.is_none()
            && (self.closed_at.is_none() || self.totals.is_some() || self.awaits_paper_count())
    }

    /// When the deputy's time to decide a tie beside the head's is over (log time, ms): the
    /// start, in Vietnam, of the day [`crate::votes::TIE_WAIT_DAYS`] days after the count's
    /// day, so that the day the pages name is the whole rule. (Never later than the count's
    /// time plus the days, as the rule was first written: what that allowed is still allowed.)
    pub fn deputy_wait_over(&self) -> Option<i64> {
        let count = self.count.as_ref()?;
        let counted = crate::figures::local_date(count.time_ms);
        let day = counted + chrono::Days::new(crate::votes::TIE_WAIT_DAYS as u64);
        Some(crate::figures::local_midnight(day).timestamp_millis())
    }

    /// Refused when `actor` already recorded a decision of the round's tie for the other
    /// position: the head's and the deputy's decisions are two people's.
    pub fn check_tie_decider(&self, actor: &Actor, unit: &UnitId) -> Result<(), DomainError> {
        let by_actor = |(u, t): &(&UnitId, &TieRecord)| &t.by == actor && *u != unit;
        if let Some((other, _)) = self.ties.iter().find(by_actor) {
            return Err(refused(
                "tie_decided_by_same_user",
                format!(
                    "{actor} already recorded the decision of {other}: the head and the deputy decide as two different users"
                ),
            ));
        }
        Ok(())
    }

    /// Refused once the round's electronic count was set aside: no share nor electronic count
    /// is taken any more.
    fn check_not_set_aside(&self) -> Result<(), DomainError> {
        if self.set_aside.is_some() {
            return Err(refused(
                "count_set_aside",
                "the electronic count of this round was set aside: it is counted on paper",
            ));
        }
        Ok(())
    }
}

impl Election {
    /// The trustee index of a member unit.
    pub fn trustee_index(&self, unit: &UnitId) -> Result<u32, DomainError> {
        self.members
            .iter()
            .position(|m| m == unit)
            .map(|i| i as u32)
            .ok_or_else(|| DomainError::NotMember {
                cluster: self.cluster.to_string(),
                unit: unit.to_string(),
                year: self.year,
            })
    }

    pub fn round(&self, number: u32) -> Result<&Round, DomainError> {
        self.rounds
            .iter()
            .find(|r| r.number == number)
            .ok_or_else(|| no_round(number))
    }

    fn round_mut(&mut self, number: u32) -> Result<&mut Round, DomainError> {
        self.rounds
            .iter_mut()
            .find(|r| r.number == number)
            .ok_or_else(|| no_round(number))
    }

    /// Whether the secretariat cancelled the election.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.is_some()
    }

    /// Whether the secretariat may still cancel the election: not cancelled already, and
    /// none of its rounds counted. The one rule: `election_cancelled` is applied by it and
    /// the pages ask it before offering the form.
    pub fn check_cancellable(&self) -> Result<(), DomainError> {
        self.check_not_cancelled()?;
        match self.rounds.iter().find(|r| r.count.is_some()) {
            Some(r) => Err(refused(
                "election_counted",
                format!(
                    "round {} of the election is counted: a counted vote is not cancelled",
                    r.number
                ),
            )),
            None => Ok(()),
        }
    }

    /// Refused once the election is cancelled: no vote event about it is taken any more.
    pub fn check_not_cancelled(&self) -> Result<(), DomainError> {
        match &self.cancelled {
            Some(c) => Err(refused(
                "election_cancelled",
                format!(
                    "the election {} was cancelled (record {}): {}",
                    self.id, c.index, c.reason
                ),
            )),
            None => Ok(()),
        }
    }

    /// The ceremony's parameters for its current attempt.
    pub fn trustee_params(&self) -> TrusteeParams {
        TrusteeParams {
            election: self.id.to_string(),
            attempt: self.ceremony.attempt,
            trustees: self.members.len() as u32,
            threshold: self.trustee_threshold,
        }
    }

    /// What a ballot of `round` is bound to.
    pub fn ballot_context(&self, round: &Round) -> BallotContext {
        BallotContext {
            election: self.id.to_string(),
            round: round.number,
            candidates: round.candidates.len() as u32,
            seats: round.seats,
        }
    }

    /// The election key, once the ceremony completed.
    pub fn keys(&self) -> Option<&KeySet> {
        self.ceremony.completed_at.and(self.ceremony.keys.as_ref())
    }

    /// The key-ceremony step (index into [`CEREMONY_STEPS`]) that waits for `unit`, if it is
    /// a trustee with one to take now.
    pub fn ceremony_step_due(&self, unit: &UnitId) -> Option<usize> {
        if self.is_cancelled() {
            return None;
        }
        let i = self.trustee_index(unit).ok()?;
        self.ceremony.due_step(i, self.members.len())
    }

    /// The round ballots go to now: the last one, while it is open (none once cancelled).
    pub fn current_round(&self) -> Option<&Round> {
        if self.is_cancelled() {
            return None;
        }
        self.rounds.last().filter(|r| r.closed_at.is_none())
    }
}

impl Election {
    /// The election an `ElectionOpened` event makes, with the checks that need no other state
    /// (the members and candidates are checked against the state by [`State::apply_votes`]).
    fn opened(vote: &VoteEvent, index: u64) -> Result<Election, DomainError> {
        let VoteEvent::ElectionOpened {
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
        } = vote
        else {
            unreachable!("the dispatcher passes only this kind")
        };
        check_shape(candidates.len(), *seats)?;
        check_fraction("approval", *approval)?;
        check_fraction("quorum", *quorum)?;
        let e = Election {
            id: election.clone(),
            cluster: cluster.clone(),
            year: *year,
            award: *award,
            title: title.clone(),
            seats: *seats,
            approval: *approval,
            quorum: *quorum,
            members: members.clone(),
            trustee_threshold: *trustee_threshold,
            opened_at: index,
            ceremony: Ceremony {
                attempt: 1,
                ..Ceremony::default()
            },
            voter_keys: BTreeMap::new(),
            key_registrations: Vec::new(),
            rounds: vec![Round::new(1, candidates.clone(), *seats, index)],
            ciphertexts: BTreeSet::new(),
            cancelled: None,
            concluded: None,
        };
        e.trustee_params().validate().map_err(crypto)?;
        Ok(e)
    }
}

/// The key ceremony of `election` replayed from log events alone, as a voter's machine does
/// before encrypting (`thidua vote`): [`replay_election`]'s keys. `Ok(None)` while the
/// ceremony is not complete.
pub fn replay_ceremony<'a>(
    election: &ElectionId,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<Option<KeySet>, DomainError> {
    Ok(replay_election(election, events)?.and_then(|e| e.keys().cloned()))
}

/// `election` replayed from log events alone, as a trustee's or a voter's machine does rather
/// than take the server's word: the election as its `ElectionOpened` event made it, then its
/// key ceremony (every check the log applies: commitments, reveals, the key recomputed from the
/// reveals by [`KeySet::from_reveals`], confirmations, complaints and restarts), voting keys as
/// registered, ballots (each one's signature and proofs verified against them, a re-vote
/// replacing the earlier ballot),
/// round closings with their encrypted totals, and the second round's opening. Other events
/// are skipped; `events` must be in log order. `Ok(None)` when the election is not opened in
/// them.
pub fn replay_election<'a>(
    election: &ElectionId,
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<Option<Election>, DomainError> {
    let mut opened: Option<Election> = None;
    let mut posted = imbl::OrdSet::new();
    let unknown = || unknown_election(election);
    for event in events {
        let crate::event::Payload::Vote(vote) = &event.payload else {
            continue;
        };
        let ours = vote.election() == Some(election);
        if let VoteEvent::CeremonyPosted { message, .. } = vote {
            let fresh = fresh_ceremony_values(&posted, message);
            match (ours, fresh) {
                (true, Err(copied)) => return Err(copied),
                (_, Ok(values)) => posted.extend(values),
                (false, Err(_)) => {}
            }
        }
        if !ours {
            continue;
        }
        if let VoteEvent::ElectionOpened { .. } = vote {
            if opened.is_some() {
                return Err(refused(
                    "election_exists",
                    format!("election {election} already exists"),
                ));
            }
            opened = Some(Election::opened(vote, event.index)?);
            continue;
        }
        let e = opened.as_mut().ok_or_else(unknown)?;
        replay_step(e, vote, event)?;
    }
    Ok(opened)
}

/// One event of an opened election, as [`replay_election`] folds it.
fn replay_step(e: &mut Election, vote: &VoteEvent, event: &Event) -> Result<(), DomainError> {
    e.check_not_cancelled()?;
    match vote {
        VoteEvent::CeremonyPosted {
            attempt,
            unit,
            message,
            ..
        } => ceremony_step(e, *attempt, unit, message, event.index),
        VoteEvent::VoterKeyRegistered { unit, key, .. } => {
            e.trustee_index(unit)?;
            e.voter_keys
                .insert(unit.clone(), (key.clone(), event.index));
            Ok(())
        }
        VoteEvent::BallotCast {
            round,
            unit,
            ballot,
            ..
        } => cast(e, *round, unit, ballot, event),
        VoteEvent::RoundClosed { round, .. } => close_round(e, *round, event.index),
        VoteEvent::ElectronicCountAbandoned { round, reason, .. } => {
            e.round_mut(*round)?.set_aside = Some(SetAside {
                reason: reason.clone(),
                index: event.index,
                time_ms: event.time_ms,
            });
            Ok(())
        }
        VoteEvent::SecondRoundOpened {
            candidates, seats, ..
        } => {
            e.rounds
                .push(Round::new(2, candidates.clone(), *seats, event.index));
            Ok(())
        }
        VoteEvent::ElectionCancelled { reason, .. } => cancel(e, reason, event),
        // The fold keeps no counts: the conclusion's own rule is `State::apply`'s.
        VoteEvent::ElectionConcluded { reason, .. } => {
            e.concluded = Some(ending(reason, event));
            Ok(())
        }
        _ => Ok(()),
    }
}

pub(crate) fn refused(code: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::VoteRefused {
        code,
        reason: reason.into(),
    }
}

fn crypto(err: thidua_ballot::BallotError) -> DomainError {
    refused(err.code(), err.to_string())
}

/// Verifies a trustee's stored shares again (the state keeps them in their unverified type).
pub(crate) fn verified_shares(
    election: &Election,
    round: &Round,
) -> Result<Vec<VerifiedShares>, DomainError> {
    let (keys, totals) = keys_and_totals(election, round)?;
    round
        .shares
        .iter()
        .map(|(unit, (shares, _))| {
            shares
                .verify(keys, election.trustee_index(unit)?, totals)
                .map_err(crypto)
        })
        .collect()
}

/// The election's key set and the round's encrypted totals, both needed to decrypt.
fn keys_and_totals<'a>(
    election: &'a Election,
    round: &'a Round,
) -> Result<(&'a thidua_ballot::KeySet, &'a Totals), DomainError> {
    let keys = election
        .keys()
        .ok_or_else(|| refused("vote_no_key", "no election key"))?;
    let totals = round
        .totals
        .as_ref()
        .ok_or_else(|| refused("vote_not_closed", "no totals"))?;
    Ok((keys, totals))
}

fn no_round(number: u32) -> DomainError {
    refused(
        "vote_no_round",
        format!("the election has no round {number}"),
    )
}

fn unknown_election(id: &ElectionId) -> DomainError {
    refused("unknown_election", format!("election {id} does not exist"))
}

impl State {
    pub fn election(&self, id: &ElectionId) -> Result<&Election, DomainError> {
        self.elections.get(id).ok_or_else(|| unknown_election(id))
    }

    fn election_mut(&mut self, id: &ElectionId) -> Result<&mut Election, DomainError> {
        self.elections
            .get_mut(id)
            .ok_or_else(|| unknown_election(id))
    }

    /// Folds one vote event after checking that it fits, through the event's own function.
    pub(crate) fn apply_votes(
        &mut self,
        event: &Event,
        vote: &VoteEvent,
    ) -> Result<(), DomainError> {
        use VoteEvent as V;
        let index = event.index;
        let opening = matches!(vote, V::ElectionOpened { .. });
        if let Some(e) = vote.election().and_then(|id| self.elections.get(id)) {
            if !opening {
                e.check_not_cancelled()?;
            }
        }
        match vote {
            V::StandingRecorded { .. } => self.record_standing(vote, index),
            V::ElectionOpened { .. } => self.open_election(vote, index),
            V::CeremonyPosted {
                election,
                attempt,
                unit,
                message,
            } => self.post_ceremony_message(election, *attempt, unit, message, index),
            V::VoterKeyRegistered {
                election,
                unit,
                key,
            } => self.register_voter_key(election, unit, key, event),
            V::BallotCast {
                election,
                round,
                unit,
                ballot,
            } => self.cast_ballot(election, *round, unit, ballot, event),
            V::RoundClosed { election, round } => {
                close_round(self.election_mut(election)?, *round, index)
            }
            V::DecryptionPosted {
                election,
                round,
                unit,
                shares,
            } => self.post_decryption_shares(election, *round, unit, shares, index),
            V::RoundCounted {
                election,
                round,
                approvals,
                abstentions,
            } => self.count_round(election, *round, approvals, *abstentions, event),
            V::SecondRoundOpened {
                election,
                candidates,
                seats,
            } => self.open_second_round(election, candidates, *seats, index),
            V::TieDecided {
                election,
                round,
                unit,
                chosen,
                decision,
                deputy_silent,
            } => {
                let choice = (chosen.as_slice(), decision, *deputy_silent);
                self.decide_tie(election, *round, unit, choice, event)
            }
            V::PaperCountRecorded {
                election,
                round,
                count,
            } => self.record_paper_count(election, *round, count, event),
            V::PaperCountConfirmed {
                election,
                round,
                unit,
            } => self.confirm_paper_count(election, *round, unit, event),
            V::PaperCountWithdrawn {
                election,
                round,
                reason,
            } => self.withdraw_paper_count(election, *round, reason, index),
            V::ElectronicCountAbandoned {
                election,
                round,
                reason,
            } => self.abandon_electronic_count(election, *round, reason, event),
            V::ElectionCancelled { election, reason } => {
                cancel(self.election_mut(election)?, reason, event)
            }
            V::ElectionConcluded { election, reason } => {
                conclude(self.election_mut(election)?, reason, event)
            }
        }
    }

    /// A member's standing in its cluster's year, while the year's results are not published.
    fn record_standing(&mut self, vote: &VoteEvent, index: u64) -> Result<(), DomainError> {
        let VoteEvent::StandingRecorded {
            cluster,
            year,
            unit,
            rank,
            eligible,
            basis,
        } = vote
        else {
            unreachable!("the dispatcher passes only this kind")
        };
        if !self.members(cluster, *year)?.contains(unit) {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year: *year,
            });
        }
        if *rank == 0 {
            return Err(DomainError::InvalidValue {
                field: "rank",
                reason: "ranks count from 1".into(),
            });
        }
        if super::results_published(self, cluster, *year) {
            return Err(refused(
                "standings_published",
                format!(
                    "the {year} results of {cluster} are published: they are the year's standings"
                ),
            ));
        }
        let standing = Standing {
            rank: *rank,
            eligible: *eligible,
            basis: basis.clone(),
            recorded_at: index,
        };
        let mut years = self.standings.get(cluster).cloned().unwrap_or_default();
        years
            .entry(*year)
            .or_default()
            .insert(unit.clone(), standing);
        self.standings.insert(cluster.clone(), years);
        Ok(())
    }

    /// A key-ceremony message, folded into a copy of the election kept only if it fits.
    fn post_ceremony_message(
        &mut self,
        election: &ElectionId,
        attempt: u32,
        unit: &UnitId,
        message: &CeremonyMessage,
        index: u64,
    ) -> Result<(), DomainError> {
        let mut e = self.election(election)?.clone();
        ceremony_step(&mut e, attempt, unit, message, index)?;
        let fresh = fresh_ceremony_values(&self.ceremony_values, message)?;
        self.elections.insert(election.clone(), e);
        self.ceremony_values.extend(fresh);
        Ok(())
    }

    /// A member's voting key, while a round is open, unless another voter registered it.
    fn register_voter_key(
        &mut self,
        election: &ElectionId,
        unit: &UnitId,
        key: &VoterKey,
        event: &Event,
    ) -> Result<(), DomainError> {
        let e = self.election_mut(election)?;
        e.trustee_index(unit)?;
        if e.rounds.iter().all(|r| r.closed_at.is_some()) {
            return Err(refused(
                "vote_closed",
                "every round of the election is closed",
            ));
        }
        if e.voter_keys.values().any(|(k, _)| k == key) {
            return Err(refused(
                "voter_key_taken",
                "this voting key is already registered in the election",
            ));
        }
        let replaced = e
            .voter_keys
            .insert(unit.clone(), (key.clone(), event.index))
            .is_some();
        e.key_registrations.push(KeyRegistration {
            unit: unit.clone(),
            index: event.index,
            time_ms: event.time_ms,
            by: event.actor.clone(),
            replaced,
        });
        Ok(())
    }

    /// A ballot, cast into a copy of the election kept only if it fits.
    fn cast_ballot(
        &mut self,
        election: &ElectionId,
        round: u32,
        unit: &UnitId,
        ballot: &Ballot,
        event: &Event,
    ) -> Result<(), DomainError> {
        let mut e = self.election(election)?.clone();
        cast(&mut e, round, unit, ballot, event)?;
        self.elections.insert(election.clone(), e);
        Ok(())
    }

    /// A trustee's decryption shares of a closed round's totals, verified, once per trustee.
    fn post_decryption_shares(
        &mut self,
        election: &ElectionId,
        round: u32,
        unit: &UnitId,
        shares: &DecryptionShares,
        index: u64,
    ) -> Result<(), DomainError> {
        let e = self.election(election)?;
        let trustee = e.trustee_index(unit)?;
        let r = e.round(round)?;
        let (Some(totals), Some(keys)) = (&r.totals, e.keys()) else {
            return Err(refused(
                "vote_not_closed",
                "only the totals of a closed round that reached the quorum are decrypted",
            ));
        };
        if r.count.is_some() {
            return Err(refused("vote_counted", "the round is already counted"));
        }
        r.check_not_set_aside()?;
        if r.shares.contains_key(unit) {
            return Err(refused(
                "decryption_share_twice",
                format!("{unit} already posted its shares"),
            ));
        }
        shares.verify(keys, trustee, totals).map_err(crypto)?;
        let e = self.election_mut(election)?;
        e.round_mut(round)?
            .shares
            .insert(unit.clone(), (shares.clone(), index));
        Ok(())
    }

    /// A round's electronic count, which must be what the posted shares decrypt to.
    fn count_round(
        &mut self,
        election: &ElectionId,
        round: u32,
        approvals: &[u32],
        abstentions: u32,
        event: &Event,
    ) -> Result<(), DomainError> {
        let e = self.election(election)?;
        let r = e.round(round)?;
        if r.count.is_some() {
            return Err(refused("vote_counted", "the round is already counted"));
        }
        r.check_not_set_aside()?;
        let counts = combine(e, r)?;
        if counts.approvals != approvals || counts.abstentions != abstentions {
            return Err(refused(
                "count_mismatch",
                format!(
                    "the decryption shares give approvals {:?} and {} abstentions, the event says {:?} and {}",
                    counts.approvals, counts.abstentions, approvals, abstentions
                ),
            ));
        }
        let ballots = r.ballots.len() as u32;
        let e = self.election_mut(election)?;
        e.round_mut(round)?.count = Some(Count {
            approvals: approvals.to_vec(),
            abstentions,
            ballots,
            paper: false,
            index: event.index,
            time_ms: event.time_ms,
        });
        Ok(())
    }

    /// The head's or the deputy's decision of a round's tie at the cut-off, each by its own
    /// user: the `choice` (the units chosen, the grounds, and whether it claims the deputy's
    /// silence, which must hold at the event's time and lets the head record again).
    fn decide_tie(
        &mut self,
        election: &ElectionId,
        round: u32,
        unit: &UnitId,
        (chosen, decision, deputy_silent): (&[UnitId], &Text, bool),
        event: &Event,
    ) -> Result<(), DomainError> {
        let e = self.election(election)?;
        let (position, alone) = self.check_chair(e, unit)?;
        if deputy_silent && !self.deputy_silent(e, round, unit, event.time_ms) {
            return Err(refused(
                "tie_deputy_not_silent",
                format!(
                    "{unit}'s decision stands alone only when it is the head's, the deputy recorded none, and {} days have passed since the count",
                    crate::votes::TIE_WAIT_DAYS
                ),
            ));
        }
        check_tie_choice(e, round, unit, chosen, deputy_silent)?;
        e.round(round)?.check_tie_decider(&event.actor, unit)?;
        let e = self.election_mut(election)?;
        e.round_mut(round)?.ties.insert(
            unit.clone(),
            TieRecord {
                chosen: chosen.to_vec(),
                decision: decision.clone(),
                index: event.index,
                by: event.actor.clone(),
                position,
                alone,
                deputy_silent,
            },
        );
        Ok(())
    }

    /// Whether a decision of the round's tie by `unit` at `time_ms` stands alone for the
    /// deputy's silence: `unit` is the head of the election's year, which has a deputy; the
    /// deputy's wait is over ([`Round::deputy_wait_over`]); the deputy recorded no decision.
    /// (Once a decision stood alone the tie is decided, and no decision follows it.)
    pub fn deputy_silent(&self, e: &Election, round: u32, unit: &UnitId, time_ms: i64) -> bool {
        let Ok(r) = e.round(round) else {
            return false;
        };
        let head_with_deputy = matches!(
            self.check_chair(e, unit),
            Ok((LeadershipPosition::Head, false))
        );
        let waited = r.deputy_wait_over().is_some_and(|over| time_ms >= over);
        let deputy_spoke = r
            .ties
            .values()
            .any(|t| t.position == LeadershipPosition::Deputy);
        head_with_deputy && waited && !deputy_spoke
    }

    /// The position `unit` holds in the election's cluster and year, and whether the year has
    /// no other chair (no deputy beside the head, no head beside the deputy); refused unless it
    /// is the head or the deputy.
    fn check_chair(
        &self,
        e: &Election,
        unit: &UnitId,
    ) -> Result<(LeadershipPosition, bool), DomainError> {
        let year = self.cluster(&e.cluster)?.years.get(&e.year);
        let holds = |l: Option<&crate::model::Leadership>| l.is_some_and(|l| &l.unit == unit);
        let position = year.and_then(|y| {
            if holds(y.head.as_ref()) {
                Some(LeadershipPosition::Head)
            } else if holds(y.deputy.as_ref()) {
                Some(LeadershipPosition::Deputy)
            } else {
                None
            }
        });
        let position = position.ok_or_else(|| {
            refused(
                "not_head_or_deputy",
                format!(
                    "{unit} is neither the head nor the deputy of the cluster in {}",
                    e.year
                ),
            )
        })?;
        let alone = year.is_some_and(|y| match position {
            LeadershipPosition::Head => y.deputy.is_none(),
            LeadershipPosition::Deputy => y.head.is_none(),
        });
        Ok((position, alone))
    }

    /// A paper count of the open round (or a correction of a withdrawn one, or the count of a
    /// round whose electronic count was set aside), which closes it.
    fn record_paper_count(
        &mut self,
        election: &ElectionId,
        round: u32,
        count: &PaperCount,
        event: &Event,
    ) -> Result<(), DomainError> {
        let index = event.index;
        let e = self.election_mut(election)?;
        let members = e.members.len() as u32;
        let current = e.current_round().map(|r| r.number);
        // A corrected count of the last round, closed by a count since withdrawn, or the paper
        // count of a round whose electronic count was set aside.
        let awaited = e.rounds.last().is_some_and(|r| {
            r.number == round
                && r.paper.is_none()
                && r.count.is_none()
                && (!r.withdrawn.is_empty() || r.set_aside.is_some())
        });
        if current != Some(round) && !awaited {
            return Err(refused("vote_closed", format!("round {round} is not open")));
        }
        let r = e.round_mut(round)?;
        if !r.ballots.is_empty() && r.set_aside.is_none() {
            return Err(refused(
                "paper_after_ballots",
                "electronic ballots were cast in this round: it is counted from them",
            ));
        }
        check_paper(count, r.candidates.len(), r.seats, members)?;
        r.closed_at.get_or_insert(index);
        r.paper = Some(PaperRecord {
            count: count.clone(),
            recorded_at: index,
            recorded_by: event.actor.clone(),
            confirmations: BTreeMap::new(),
        });
        Ok(())
    }

    /// A member's confirmation of a paper count, until the round is counted: the second one,
    /// by another user for another unit, neither of them the user who recorded the count,
    /// makes the round's count.
    fn confirm_paper_count(
        &mut self,
        election: &ElectionId,
        round: u32,
        unit: &UnitId,
        event: &Event,
    ) -> Result<(), DomainError> {
        let e = self.election_mut(election)?;
        e.trustee_index(unit)?;
        let r = e.round_mut(round)?;
        if r.count.is_some() {
            return Err(refused(
                "vote_counted",
                "the round is already counted: two members confirmed its count",
            ));
        }
        let Some(paper) = r.paper.as_mut() else {
            return Err(refused(
                "no_paper_count",
                "no paper count was recorded for this round",
            ));
        };
        paper.check_confirmer(unit, &event.actor)?;
        let index = event.index;
        let by = event.actor.clone();
        paper
            .confirmations
            .insert(unit.clone(), Confirmation { index, by });
        if paper.confirmations.len() == 2 {
            let c = &paper.count;
            r.count = Some(Count {
                approvals: c.approvals.clone(),
                abstentions: c.abstentions,
                ballots: c.returned,
                paper: true,
                index,
                time_ms: event.time_ms,
            });
        }
        Ok(())
    }

    /// The withdrawal of a paper count not yet confirmed, kept with its reason.
    fn withdraw_paper_count(
        &mut self,
        election: &ElectionId,
        round: u32,
        reason: &Text,
        index: u64,
    ) -> Result<(), DomainError> {
        let r = self.election_mut(election)?.round_mut(round)?;
        if r.count.is_some() {
            return Err(refused(
                "paper_count_counted",
                "the round is counted: two members confirmed its count, which stands",
            ));
        }
        let Some(record) = r.paper.take() else {
            return Err(refused(
                "no_paper_count",
                "no paper count was recorded for this round",
            ));
        };
        r.withdrawn.push(WithdrawnPaper {
            record,
            reason: reason.clone(),
            index,
        });
        Ok(())
    }

    /// The electronic count of a closed round set aside, so that it is counted on paper: only a
    /// round that is closed, has ballots and encrypted totals (it reached the quorum), is not
    /// counted, and has fewer verified shares than the threshold; once.
    fn abandon_electronic_count(
        &mut self,
        election: &ElectionId,
        round: u32,
        reason: &Text,
        event: &Event,
    ) -> Result<(), DomainError> {
        let e = self.election_mut(election)?;
        let threshold = e.trustee_threshold as usize;
        let r = e.round_mut(round)?;
        if r.closed_at.is_none() {
            return Err(refused(
                "vote_not_closed",
                format!("round {round} is open: close it first"),
            ));
        }
        if r.count.is_some() {
            return Err(refused("vote_counted", "the round is already counted"));
        }
        r.check_not_set_aside()?;
        if r.ballots.is_empty() {
            return Err(refused(
                "no_electronic_ballots",
                "no electronic ballot was cast in this round: its paper count is recorded directly",
            ));
        }
        if r.totals.is_none() {
            return Err(refused(
                "no_electronic_count",
                "the round did not reach the quorum: it has no electronic count to set aside",
            ));
        }
        if r.shares.len() >= threshold {
            return Err(refused(
                "shares_enough",
                format!(
                    "{} of the {threshold} trustees' decryption shares needed are posted: the round is counted from them",
                    r.shares.len()
                ),
            ));
        }
        r.set_aside = Some(SetAside {
            reason: reason.clone(),
            index: event.index,
            time_ms: event.time_ms,
        });
        Ok(())
    }

    /// An election whose voters and candidates are the cluster year's members and nominees.
    fn open_election(&mut self, vote: &VoteEvent, index: u64) -> Result<(), DomainError> {
        let VoteEvent::ElectionOpened {
            election,
            cluster,
            year,
            award,
            candidates,
            members,
            ..
        } = vote
        else {
            unreachable!("the dispatcher passes only this kind")
        };
        if self.elections.contains_key(election) {
            return Err(refused(
                "election_exists",
                format!("election {election} already exists"),
            ));
        }
        if self.members(cluster, *year)? != members.as_slice() {
            return Err(refused(
                "election_members",
                "the voters must be the members of the cluster's year, in order",
            ));
        }
        // Elections opened under earlier rules (a head or deputy among the award nominees or
        // every ranked unit; an award before units proposed elsewhere were left out) are
        // still replayed as written.
        let accepted = super::candidates::accepted_lists(self, cluster, *year, *award);
        if candidates.is_empty() || !accepted.contains(candidates) {
            return Err(refused(
                "election_candidates",
                "the candidates must be the eligible units of the year's standings, in rank order",
            ));
        }
        let e = Election::opened(vote, index)?;
        self.elections.insert(election.clone(), e);
        Ok(())
    }

    /// The next round (round 2, or a round after one closed below the quorum), once the last
    /// is counted and any tie decided, for the seats the rounds so far left.
    fn open_second_round(
        &mut self,
        election: &ElectionId,
        candidates: &[UnitId],
        seats: u32,
        index: u64,
    ) -> Result<(), DomainError> {
        let e = self.election(election)?;
        let remaining = e.second_round_seats()?;
        if seats != remaining {
            return Err(refused(
                "second_round_seats",
                format!("the next round fills the {remaining} seats the rounds so far left"),
            ));
        }
        let elected = super::elected(e);
        let allowed: Vec<&UnitId> = e.rounds[0]
            .candidates
            .iter()
            .filter(|c| !elected.contains(c))
            .collect();
        let ordered = candidates.iter().all(|c| allowed.contains(&c))
            && candidates.windows(2).all(|w| {
                allowed.iter().position(|a| *a == &w[0]) < allowed.iter().position(|a| *a == &w[1])
            });
        if candidates.is_empty() || !ordered {
            return Err(refused(
                "second_round_candidates",
                "the next round's candidates are round 1's not elected, in the same order, each once",
            ));
        }
        check_shape(candidates.len(), seats)?;
        let e = self.election_mut(election)?;
        let number = e.rounds.len() as u32 + 1;
        e.rounds
            .push(Round::new(number, candidates.to_vec(), seats, index));
        Ok(())
    }
}

impl Round {
    /// Closed below the quorum: never counted electronically, or counted (on paper) with too
    /// few ballots. Such a meeting held no valid ballot, so it does not use up one of the two
    /// rounds.
    pub fn lacked_quorum(&self, e: &Election) -> bool {
        self.closed_at.is_some()
            && !self.awaits_count()
            && outcome(e, self).is_none_or(|o| !o.quorum_met)
    }
}

impl Election {
    /// The seats a next round would fill, when one may follow now: the last round closed and
    /// (if it reached the quorum) counted, no tie at its cut-off undecided, fewer than two
    /// rounds that reached the quorum, seats left; else why not. The rule the next round's
    /// opening is applied by, and what tells a reader that a vote is not over.
    pub fn second_round_seats(&self) -> Result<u32, DomainError> {
        if let Some(c) = &self.concluded {
            return Err(refused(
                "election_concluded",
                format!(
                    "the election {} was concluded without a further round (record {}): {}",
                    self.id, c.index, c.reason
                ),
            ));
        }
        let valid = self
            .rounds
            .iter()
            .filter(|r| !r.lacked_quorum(self))
            .count();
        let last = self.rounds.last().ok_or_else(|| no_round(1))?;
        if last.awaits_count() {
            return Err(refused(
                "vote_not_counted",
                format!(
                    "round {} must be closed and, if it reached the quorum, counted",
                    last.number
                ),
            ));
        }
        if valid >= 2 {
            return Err(refused(
                "two_rounds",
                "an election has at most two rounds that reached the quorum",
            ));
        }
        let result = outcome(self, last);
        if result
            .as_ref()
            .and_then(|o| o.tie.as_ref())
            .is_some_and(|t| t.decided.is_none())
        {
            return Err(refused(
                "tie_undecided",
                format!("round {} ended in a tie at the cut-off: the head decides it (with the deputy, if the year has one) before another round", last.number),
            ));
        }
        let elected = super::elected(self).len() as u32;
        match self.seats.saturating_sub(elected) {
            0 => Err(refused(
                "second_round_seats",
                "the rounds so far filled every seat: there is no further round",
            )),
            remaining => Ok(remaining),
        }
    }

    /// Whether the vote is over: cancelled, or no round waits for its count or a tie decision,
    /// and no further round may follow (two rounds reached the quorum, or every seat is filled).
    pub fn is_over(&self) -> bool {
        if self.is_cancelled() || self.concluded.is_some() {
            return true;
        }
        let undecided = self
            .rounds
            .iter()
            .filter_map(|r| outcome(self, r))
            .any(|o| o.tie.is_some_and(|t| t.decided.is_none()));
        !self.rounds.iter().any(Round::awaits_count)
            && !undecided
            && self.second_round_seats().is_err()
    }
}

/// The cancellation of an election, refused unless [`Election::check_cancellable`].
fn cancel(e: &mut Election, reason: &Text, event: &Event) -> Result<(), DomainError> {
    e.check_cancellable()?;
    e.cancelled = Some(ending(reason, event));
    Ok(())
}

/// The conclusion of an election without a further round, refused unless one could be opened
/// now ([`Election::second_round_seats`]: every round counted, no tie undecided, a seat left,
/// fewer than two rounds that reached the quorum, not concluded already).
fn conclude(e: &mut Election, reason: &Text, event: &Event) -> Result<(), DomainError> {
    e.second_round_seats()?;
    e.concluded = Some(ending(reason, event));
    Ok(())
}

/// The record of the secretariat's ending of an election by `event`, with its reason.
fn ending(reason: &Text, event: &Event) -> Cancellation {
    Cancellation {
        reason: reason.clone(),
        index: event.index,
        time_ms: event.time_ms,
        by: event.actor.clone(),
    }
}

fn check_shape(candidates: usize, seats: u32) -> Result<(), DomainError> {
    if candidates > thidua_ballot::MAX_CANDIDATES as usize {
        return Err(DomainError::InvalidValue {
            field: "candidates",
            reason: format!("at most {} candidates", thidua_ballot::MAX_CANDIDATES),
        });
    }
    if seats == 0 || seats as usize > candidates {
        return Err(DomainError::InvalidValue {
            field: "seats",
            reason: "between 1 and the number of candidates".into(),
        });
    }
    Ok(())
}

fn check_fraction(field: &'static str, f: Fraction) -> Result<(), DomainError> {
    if f.num == 0 || f.den == 0 || f.num > f.den || f.den > 1000 {
        return Err(DomainError::InvalidValue {
            field,
            reason: "a fraction num/den with 0 < num ≤ den ≤ 1000".into(),
        });
    }
    Ok(())
}

fn check_paper(
    c: &PaperCount,
    candidates: usize,
    seats: u32,
    members: u32,
) -> Result<(), DomainError> {
    let bad = |reason: &str| {
        Err(DomainError::InvalidValue {
            field: "count",
            reason: reason.into(),
        })
    };
    if c.approvals.len() != candidates {
        return bad("one number of approvals per candidate");
    }
    if c.issued > members || c.returned > c.issued || c.invalid > c.returned {
        return bad("invalid ≤ returned ≤ issued ≤ members");
    }
    let valid = c.valid();
    if c.abstentions > valid || c.approvals.iter().any(|&a| a > valid - c.abstentions) {
        return bad("no candidate has more approvals than the valid ballots that did not abstain");
    }
    if c.approvals.iter().map(|&a| u64::from(a)).sum::<u64>()
        > u64::from(seats) * u64::from(valid - c.abstentions)
    {
        return bad("more approvals than the valid ballots allow");
    }
    if c.counting_team.is_empty() {
        return bad("name the counting team");
    }
    Ok(())
}

/// Refused unless `round` is counted with a tie at the cut-off not yet decided, `chosen` fills
/// the tie's seats from its candidates, each once, and `unit` has not decided it yet (unless it
/// is `replacing` its decision: the head's again, once the deputy stayed silent).
fn check_tie_choice(
    e: &Election,
    round: u32,
    unit: &UnitId,
    chosen: &[UnitId],
    replacing: bool,
) -> Result<(), DomainError> {
    let r = e.round(round)?;
    let result =
        outcome(e, r).ok_or_else(|| refused("vote_not_counted", "the round is not counted"))?;
    let tie = result
        .tie
        .ok_or_else(|| refused("no_tie", "the round has no tie at the cut-off"))?;
    if tie.decided.is_some() {
        return Err(refused("tie_already_decided", "the round's tie is decided"));
    }
    let set: BTreeSet<&UnitId> = chosen.iter().collect();
    if set.len() != chosen.len()
        || chosen.len() != tie.seats as usize
        || !chosen.iter().all(|c| tie.candidates.contains(c))
    {
        return Err(refused(
            "tie_choice",
            format!("choose {} of the tied candidates, each once", tie.seats),
        ));
    }
    if r.ties.contains_key(unit) && !replacing {
        return Err(refused(
            "tie_decided_twice",
            format!("{unit} already recorded its decision"),
        ));
    }
    Ok(())
}

/// Combines the round's verified shares.
pub(crate) fn combine(e: &Election, r: &Round) -> Result<thidua_ballot::Counts, DomainError> {
    let (keys, totals) = keys_and_totals(e, r)?;
    let shares = verified_shares(e, r)?;
    thidua_ballot::combine(keys, totals, &shares).map_err(crypto)
}

/// Closes a round at log index `index`: its encrypted totals summed when the quorum voted.
fn close_round(e: &mut Election, round: u32, index: u64) -> Result<(), DomainError> {
    let members = e.members.len() as u32;
    let quorum = e.quorum;
    let r = e.round_mut(round)?;
    if r.closed_at.is_some() {
        return Err(refused(
            "vote_closed",
            format!("round {round} is already closed"),
        ));
    }
    r.closed_at = Some(index);
    if quorum.reached(r.ballots.len() as u32, members) {
        let candidates = r.candidates.len() as u32;
        r.totals = Some(Totals::sum(
            candidates,
            r.ballots.values().map(|b| &b.ballot),
        ));
    }
    Ok(())
}

fn cast(
    e: &mut Election,
    round: u32,
    unit: &UnitId,
    ballot: &Ballot,
    event: &Event,
) -> Result<(), DomainError> {
    e.trustee_index(unit)?;
    if e.current_round().map(|r| r.number) != Some(round) {
        return Err(refused(
            "vote_closed",
            format!("round {round} is not open for ballots"),
        ));
    }
    let key = e
        .keys()
        .ok_or_else(|| {
            refused(
                "vote_no_key",
                "the trustees have not finished the key ceremony",
            )
        })?
        .election_key()
        .clone();
    let (voter, _) = e.voter_keys.get(unit).cloned().ok_or_else(|| {
        refused(
            "voter_key_missing",
            format!("{unit} has no registered voting key"),
        )
    })?;
    let context = e.ballot_context(e.round(round)?);
    ballot.verify(&context, &key, &voter).map_err(crypto)?;
    let ciphertexts = ballot.ciphertexts();
    let unique: BTreeSet<&String> = ciphertexts.iter().collect();
    if unique.len() != ciphertexts.len() || ciphertexts.iter().any(|c| e.ciphertexts.contains(c)) {
        return Err(refused(
            "ballot_replayed",
            "the ballot repeats a ciphertext already cast in this election",
        ));
    }
    e.ciphertexts.extend(ciphertexts);
    let r = e.round_mut(round)?;
    let previous = r.ballots.get(unit);
    let replaced = previous.map(|b| b.replaced + 1).unwrap_or(0);
    let replaced_other = previous.and_then(|b| {
        if b.by != event.actor {
            Some(b.by.clone())
        } else {
            b.replaced_other.clone()
        }
    });
    r.ballots.insert(
        unit.clone(),
        CastBallot {
            hash: ballot.hash(),
            ballot: ballot.clone(),
            index: event.index,
            time_ms: event.time_ms,
            replaced,
            by: event.actor.clone(),
            replaced_other,
        },
    );
    Ok(())
}

/// A commitment's values (its commitment and box key), refused if any trustee posted either
/// before (`posted`: every ceremony's values so far, in log order): each is made from fresh
/// randomness, so a repeat is a copy of a public message (another trustee's, another
/// election's, an abandoned attempt's). The log ([`State::apply`]) and a voter's replay
/// ([`replay_election`]) both refuse through this one check.
fn fresh_ceremony_values(
    posted: &imbl::OrdSet<String>,
    message: &CeremonyMessage,
) -> Result<Vec<String>, DomainError> {
    let CeremonyMessage::Commit(m) = message else {
        return Ok(Vec::new());
    };
    let values = vec![m.commitment.clone(), m.box_key.clone()];
    if values[0] == values[1] || values.iter().any(|v| posted.contains(v)) {
        return Err(refused(
            "ceremony_copied",
            "this commitment or box key was posted before: a trustee makes its own",
        ));
    }
    Ok(values)
}

/// One key-ceremony message of `unit` at `attempt`, checked against the ceremony and folded in.
fn ceremony_step(
    e: &mut Election,
    attempt: u32,
    unit: &UnitId,
    message: &CeremonyMessage,
    index: u64,
) -> Result<(), DomainError> {
    let trustee = e.trustee_index(unit)?;
    let trustees = e.members.len();
    check_ceremony_attempt(&e.ceremony, attempt)?;
    let post = CeremonyPost {
        trustee,
        trustees,
        unit,
        step: message.step(),
        params: e.trustee_params(),
    };
    let c = &mut e.ceremony;
    match message {
        CeremonyMessage::Commit(m) => post.commit(c, m),
        CeremonyMessage::Reveal(m) => post.reveal(c, m),
        CeremonyMessage::Deal(m) => post.deal(c, m),
        CeremonyMessage::Confirm(m) => post.confirm(c, m, index),
        CeremonyMessage::Complain(m) => post.complain(c, &e.members, m, attempt, index),
    }
}

/// Refused unless `attempt` is the ceremony's current one and the ceremony is not complete.
fn check_ceremony_attempt(c: &Ceremony, attempt: u32) -> Result<(), DomainError> {
    if attempt != c.attempt {
        return Err(refused(
            "ceremony_attempt",
            format!("the ceremony is at attempt {}", c.attempt),
        ));
    }
    if c.completed_at.is_some() {
        return Err(refused("ceremony_complete", "the key ceremony is complete"));
    }
    Ok(())
}

/// Who posts a key-ceremony message and at which step: what [`ceremony_step`]'s steps check.
struct CeremonyPost<'a> {
    /// The posting unit's trustee index.
    trustee: u32,
    /// How many trustees the ceremony has.
    trustees: usize,
    /// The posting unit.
    unit: &'a UnitId,
    /// The message's step, as refusals name it.
    step: &'static str,
    /// The ceremony's parameters for its current attempt.
    params: TrusteeParams,
}

impl CeremonyPost<'_> {
    /// Refused: the step waits for every trustee's `waiting` message.
    fn out_of_order(&self, waiting: &str) -> DomainError {
        refused(
            "ceremony_order",
            format!("{}: waiting for every trustee's {waiting}", self.step),
        )
    }

    /// Refused: the trustee already posted its message of this step.
    fn twice(&self) -> DomainError {
        refused(
            "ceremony_twice",
            format!("{} already posted its {}", self.unit, self.step),
        )
    }

    /// A trustee's commitment, checked and kept.
    fn commit(&self, c: &mut Ceremony, m: &Commitment) -> Result<(), DomainError> {
        check_commitment(m).map_err(crypto)?;
        if c.commitments.insert(self.trustee, m.clone()).is_some() {
            return Err(self.twice());
        }
        Ok(())
    }

    /// A trustee's reveal, checked against its commitment: the last one makes the key.
    fn reveal(&self, c: &mut Ceremony, m: &PolynomialReveal) -> Result<(), DomainError> {
        if c.commitments.len() < self.trustees {
            return Err(self.out_of_order("commitment"));
        }
        let i = self.trustee;
        check_reveal(&self.params, i, &c.commitments[&i], m).map_err(crypto)?;
        if c.reveals.insert(i, m.clone()).is_some() {
            return Err(self.twice());
        }
        if c.reveals.len() == self.trustees {
            let reveals: Vec<_> = c.reveals.values().cloned().collect();
            c.keys = Some(KeySet::from_reveals(&self.params, &reveals).map_err(crypto)?);
        }
        Ok(())
    }

    /// A trustee's sealed shares, checked and kept once every reveal is in.
    fn deal(&self, c: &mut Ceremony, m: &SealedShares) -> Result<(), DomainError> {
        if c.reveals.len() < self.trustees {
            return Err(self.out_of_order("reveal"));
        }
        check_sealed_shares(&self.params, self.trustee, m).map_err(crypto)?;
        if c.dealt.insert(self.trustee, m.clone()).is_some() {
            return Err(self.twice());
        }
        Ok(())
    }

    /// A trustee's confirmation of the key: the last one completes the ceremony at `index`.
    fn confirm(
        &self,
        c: &mut Ceremony,
        m: &KeyConfirmation,
        index: u64,
    ) -> Result<(), DomainError> {
        if c.dealt.len() < self.trustees {
            return Err(self.out_of_order("sealed shares"));
        }
        c.keys
            .as_ref()
            .expect("set with the last reveal")
            .check_confirmation(self.trustee, m)
            .map_err(crypto)?;
        if c.confirmed.insert(self.trustee, m.clone()).is_some() {
            return Err(self.twice());
        }
        if c.confirmed.len() == self.trustees {
            c.completed_at = Some(index);
        }
        Ok(())
    }

    /// A trustee's complaint against another, judged: the attempt fails and the next one starts.
    fn complain(
        &self,
        c: &mut Ceremony,
        members: &[UnitId],
        m: &Complaint,
        attempt: u32,
        index: u64,
    ) -> Result<(), DomainError> {
        let (i, n) = (self.trustee, self.trustees);
        if c.dealt.len() < n {
            return Err(self.out_of_order("sealed shares"));
        }
        if c.confirmed.contains_key(&i) {
            return Err(refused(
                "ceremony_order",
                "a trustee that confirmed cannot complain",
            ));
        }
        let j = m.against;
        if j as usize >= n || j == i {
            return Err(refused(
                "ceremony_complaint",
                "the accused must be another trustee",
            ));
        }
        let verdict = judge_complaint(
            &self.params,
            i,
            &c.commitments[&i],
            m,
            &c.commitments[&j],
            &c.reveals[&j],
            &c.dealt[&j],
        )
        .map_err(crypto)?;
        let failure = CeremonyFailure {
            attempt,
            complainer: self.unit.clone(),
            accused: members[j as usize].clone(),
            verdict,
            index,
        };
        let mut failures = std::mem::take(&mut c.failures);
        failures.push(failure);
        *c = Ceremony {
            attempt: attempt + 1,
            failures,
            ..Ceremony::default()
        };
        Ok(())
    }
}
