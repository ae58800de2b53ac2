//! Votes: nominations from the year's standings, elections with a secret ballot whose tally
//! anyone can verify, and next year's head and deputy.
//!
//! An election belongs to a cluster and a year. The secretariat opens it with the candidates
//! (the eligible units in rank order, [`nominees`]), the seats, the approval threshold (a flag:
//! 80% of the total membership) and the quorum (two thirds). The member units are both the
//! voters (their leaders, one ballot per unit) and the trustees of the key ceremony (all of them
//! generate the key, `trustee_threshold` of them decrypt). Every ceremony message, ballot and
//! decryption share is an event, checked by `State::apply_votes` with the cryptography of
//! `thidua_ballot` — at decision, at start-up and in `thidua verify` alike — so the log alone
//! proves the count. A round can instead be counted on paper (entered by the secretariat,
//! confirmed by two members' leaders, marked as such), also after the secretariat set aside the
//! electronic count of a round that too few trustees can decrypt (its ballots stay in the log,
//! never counted). Until one of its rounds is counted, the secretariat may cancel an election
//! opened with a mistake, with a reason: nothing about it is taken afterwards, its ballots are
//! never decrypted. At most two rounds that reached the quorum: a round closed below the quorum
//! held no valid ballot, so another round may follow it; a tie at the cut-off
//! is decided by the head and the deputy, each recording its choice: their common one, or the
//! head's when the two differ or the year has no deputy, the deputy's when it has no head
//! ([`TieRule`]).
//!
//! Module map: this file (the commands, events and nouns), `decide` (field checks), `apply`
//! (fit checks and folding), `outcome` (thresholds, quorum, ties), [`mod@candidates`] (who may be
//! a candidate: one achievement earns one award; next year's members lead next year),
//! [`quota`] (the Government's flag across clusters: about a fifth of the cluster leaders).

mod apply;
pub mod candidates;
mod decide;
pub mod outcome;
pub mod quota;
pub mod receipt;
pub mod rehearsal;

use serde::{Deserialize, Serialize};
use thidua_ballot::{
    Ballot, Commitment, Complaint, DecryptionShares, KeyConfirmation, PolynomialReveal,
    SealedShares, VoterKey,
};

pub use candidates::{candidates, left_out, left_out_of, not_candidates, LeftOut};
pub(crate) use decide::decide;
pub use outcome::{outcome, Outcome, Tie, TieRule};

/// Days after a round's count within which the deputy records its decision of a tie beside the
/// head's: after them, a head's decision with no deputy's beside it stands alone (the head
/// records it, or records it again, then; `TieRule::HeadDeputySilent`).
pub const TIE_WAIT_DAYS: i64 = 7;

use crate::error::DomainError;
use crate::ids::{ClusterId, ElectionId, UnitId};
use crate::model::LeadershipPosition;
use crate::state::State;
use crate::text::Text;

/// What an election decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    /// Cờ thi đua của Chính phủ.
    GovernmentFlag,
    /// Cờ thi đua của Bộ Công an.
    MinistryFlag,
    /// Bằng khen.
    Certificate,
    /// Next year's head (cụm trưởng).
    Head,
    /// Next year's deputy (cụm phó).
    Deputy,
}

impl AwardKind {
    /// The least approval the rules allow for this kind, as a share of the total membership:
    /// 80% for a flag (Decree 98/2023 art. 30(7)); none for the others, whose threshold the
    /// cluster's regulation sets. A configured threshold may be higher, never lower.
    pub fn approval_floor(self) -> Option<Fraction> {
        match self {
            AwardKind::GovernmentFlag | AwardKind::MinistryFlag => {
                Some(Fraction { num: 4, den: 5 })
            }
            AwardKind::Certificate | AwardKind::Head | AwardKind::Deputy => None,
        }
    }
}

/// A share of the total membership, `num/den` (80% = 4/5, two thirds = 2/3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    /// True when `count` out of `total` reaches the fraction: count × den ≥ num × total.
    pub fn reached(self, count: u32, total: u32) -> bool {
        u64::from(count) * u64::from(self.den) >= u64::from(self.num) * u64::from(total)
    }

    /// True when the fraction is at least `other`: num × other.den ≥ other.num × den.
    pub fn at_least(self, other: Fraction) -> bool {
        u64::from(self.num) * u64::from(other.den) >= u64::from(other.num) * u64::from(self.den)
    }

    /// The smallest count out of `total` that reaches the fraction.
    pub fn needed(self, total: u32) -> u32 {
        (0..=total)
            .find(|&c| self.reached(c, total))
            .unwrap_or(total)
    }
}

/// A unit's standing in a cluster's year, recorded by the secretariat for a year whose
/// year-end review ran outside the system: its rank and whether it may be proposed for an
/// award, with the recorded basis (e.g. "không trong thời gian thi hành kỷ luật"). Once the
/// year's results are published in the log, they are the standings and none can be recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub rank: u32,
    pub eligible: bool,
    pub basis: Text,
    /// Log index of the event that recorded it.
    pub recorded_at: u64,
}

/// The candidates of a cluster's year in rank order: the eligible, ranked units of the
/// year-end results published for the cluster's covenant of that year; where none were
/// published, the eligible units of the standings the secretariat recorded. Eligibility (e.g.
/// no discipline pending) concerns being proposed for an award; [`candidates()`] gives each
/// election's own list.
pub fn nominees(state: &State, cluster: &ClusterId, year: i32) -> Vec<UnitId> {
    ranked(state, cluster, year, true)
}

/// The ranked units of the year's published results (else recorded standings) in rank order,
/// only the eligible ones when `eligible_only`.
pub(crate) fn ranked(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    eligible_only: bool,
) -> Vec<UnitId> {
    if results_published(state, cluster, year) {
        return published_ranked(state, cluster, year, eligible_only);
    }
    let Some(standings) = state.standings.get(cluster).and_then(|y| y.get(&year)) else {
        return Vec::new();
    };
    let mut listed: Vec<(&UnitId, &Standing)> = standings
        .iter()
        .filter(|(_, s)| s.eligible || !eligible_only)
        .collect();
    listed.sort_by(|a, b| a.1.rank.cmp(&b.1.rank).then_with(|| a.0.cmp(b.0)));
    listed.into_iter().map(|(u, _)| u.clone()).collect()
}

/// The units the cluster elected, at its year-end review of the year before `year`, as its
/// head or deputy for `year`: the elected of every counted round of the latest such election
/// (by its latest count), in round order, if one was counted. A round below the quorum elects
/// nobody ([`outcome()`]), so a counted vote without the quorum elected no one.
pub fn elected_leaders(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    position: LeadershipPosition,
) -> Option<Vec<UnitId>> {
    let award = match position {
        LeadershipPosition::Head => AwardKind::Head,
        LeadershipPosition::Deputy => AwardKind::Deputy,
    };
    state
        .elections
        .values()
        .filter(|e| &e.cluster == cluster && e.year == year - 1 && e.award == award)
        .filter_map(|e| {
            let last = e
                .rounds
                .iter()
                .filter_map(|r| r.count.as_ref())
                .next_back()?;
            Some((last.index, elected(e)))
        })
        .max_by_key(|(index, _)| *index)
        .map(|(_, elected)| elected)
}

/// Every unit an election elected: round 1's elected, then round 2's, each round's own
/// [`outcome()`] (nobody from a round below the quorum).
pub fn elected(election: &Election) -> Vec<UnitId> {
    election
        .rounds
        .iter()
        .filter_map(|r| outcome(election, r))
        .flat_map(|o| o.elected)
        .collect()
}

/// A head or deputy recorded as elected must be one the cluster's counted vote elected, or a
/// unit it went into by the end of the year, where the cluster voted in the system.
pub fn check_elected_leader(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    position: LeadershipPosition,
    unit: &UnitId,
) -> Result<(), DomainError> {
    // A unit elected that has since gone into others (the 2025 mergers) is answered for by them.
    let end = crate::org::year_bounds(year).1;
    let answers_for = |e: &UnitId| e == unit || state.successors_at(e, end).contains(unit);
    match elected_leaders(state, cluster, year, position) {
        Some(elected) if !elected.iter().any(answers_for) => Err(apply::refused(
            "leadership_not_elected",
            format!(
                "the counted vote of {} elected {}, not {unit}",
                year - 1,
                unit_list(&elected)
            ),
        )),
        _ => Ok(()),
    }
}

/// Units as people read them in a message: their ids, comma-separated ("no unit" for none).
fn unit_list(units: &[UnitId]) -> String {
    if units.is_empty() {
        return "no unit".into();
    }
    units
        .iter()
        .map(UnitId::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the year-end results of the cluster's year are published in the log.
pub fn results_published(state: &State, cluster: &ClusterId, year: i32) -> bool {
    state
        .yearend
        .reviews
        .values()
        .any(|r| &r.cluster == cluster && r.year == year && r.published.is_some())
}

/// The eligible, ranked units of the year-end results published for the cluster's year, in
/// rank order (ties by unit id).
fn published_ranked(
    state: &State,
    cluster: &ClusterId,
    year: i32,
    eligible_only: bool,
) -> Vec<UnitId> {
    let mut ranked: Vec<(u32, &UnitId)> = state
        .yearend
        .reviews
        .values()
        .filter(|r| &r.cluster == cluster && r.year == year)
        .filter_map(|r| r.published.as_ref())
        .flat_map(|(p, _)| &p.results)
        .filter(|r| r.eligible || !eligible_only)
        .filter_map(|r| Some((r.rank?, &r.unit)))
        .collect();
    ranked.sort();
    ranked.into_iter().map(|(_, u)| u.clone()).collect()
}

/// One public message of the key ceremony.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", content = "message", rename_all = "snake_case")]
pub enum CeremonyMessage {
    Commit(Commitment),
    Reveal(PolynomialReveal),
    Deal(SealedShares),
    Confirm(KeyConfirmation),
    Complain(Complaint),
}

impl CeremonyMessage {
    pub fn step(&self) -> &'static str {
        match self {
            CeremonyMessage::Commit(_) => "commit",
            CeremonyMessage::Reveal(_) => "reveal",
            CeremonyMessage::Deal(_) => "deal",
            CeremonyMessage::Confirm(_) => "confirm",
            CeremonyMessage::Complain(_) => "complain",
        }
    }
}

/// The counts of a paper round as the counting team entered them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCount {
    /// Approvals per candidate, in the round's order.
    pub approvals: Vec<u32>,
    pub abstentions: u32,
    pub issued: u32,
    pub returned: u32,
    pub invalid: u32,
    /// The counting team (names and positions).
    pub counting_team: Vec<Text>,
    pub note: Option<Text>,
}

impl PaperCount {
    /// The valid ballots, those counted: returned less the invalid (none when a count says
    /// more invalid than returned, which is refused when it is recorded).
    pub fn valid(&self) -> u32 {
        self.returned.saturating_sub(self.invalid)
    }
}

/// A request about votes (wrapped in `Command::Vote`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "vote", rename_all = "snake_case", deny_unknown_fields)]
pub enum VoteCommand {
    RecordStanding {
        cluster: ClusterId,
        year: i32,
        unit: UnitId,
        rank: u32,
        eligible: bool,
        basis: Text,
    },
    OpenElection {
        election: ElectionId,
        cluster: ClusterId,
        year: i32,
        award: AwardKind,
        title: Text,
        seats: u32,
        approval: Fraction,
        quorum: Fraction,
        trustee_threshold: u32,
    },
    PostCeremonyMessage {
        election: ElectionId,
        unit: UnitId,
        message: CeremonyMessage,
    },
    RegisterVoterKey {
        election: ElectionId,
        unit: UnitId,
        key: VoterKey,
    },
    CastBallot {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        ballot: Box<Ballot>,
    },
    CloseRound {
        election: ElectionId,
        round: u32,
    },
    PostDecryptionShares {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        shares: DecryptionShares,
    },
    OpenSecondRound {
        election: ElectionId,
        candidates: Vec<UnitId>,
    },
    DecideTie {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        chosen: Vec<UnitId>,
        decision: Text,
    },
    RecordPaperCount {
        election: ElectionId,
        round: u32,
        count: PaperCount,
    },
    ConfirmPaperCount {
        election: ElectionId,
        round: u32,
        unit: UnitId,
    },
    /// The secretariat withdraws a paper count not yet confirmed by two members (mistyped, or
    /// refused by the members); the round stays closed and a corrected count may be recorded.
    WithdrawPaperCount {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    /// The secretariat sets aside the electronic count of a closed round that has ballots but
    /// can never be decrypted (fewer than `trustee_threshold` trustees can post their shares):
    /// the ballots stay in the log uncounted, no share is taken any more, and the round is
    /// counted on paper at the meeting (recorded and confirmed as a paper round's count).
    AbandonElectronicCount {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    /// The secretariat cancels an election opened with a mistake (wrong candidates, wrong
    /// number of seats), with its reason, while none of its rounds is counted: its ballots are
    /// never decrypted nor counted, nobody acts on it any more, and it does not keep another
    /// vote for the same award from being opened.
    CancelElection {
        election: ElectionId,
        reason: Text,
    },
    /// The secretariat ends an election whose counted rounds left seats unfilled without the
    /// further round it could still open (the council holds none), with its reason: the
    /// election is over, the units it elected stay proposed, and its other candidates may
    /// stand in another award vote of the year.
    ConcludeElection {
        election: ElectionId,
        reason: Text,
    },
}

/// What happened about votes (wrapped in `Payload::Vote`); each variant is its own event kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "vote", rename_all = "snake_case")]
pub enum VoteEvent {
    StandingRecorded {
        cluster: ClusterId,
        year: i32,
        unit: UnitId,
        rank: u32,
        eligible: bool,
        basis: Text,
    },
    ElectionOpened {
        election: ElectionId,
        cluster: ClusterId,
        year: i32,
        award: AwardKind,
        title: Text,
        /// Round 1's candidates, in rank order ([`candidates()`] when opened).
        candidates: Vec<UnitId>,
        seats: u32,
        approval: Fraction,
        quorum: Fraction,
        /// The voters and trustees: the members of the cluster's year, in order (a trustee's
        /// index is its position here).
        members: Vec<UnitId>,
        trustee_threshold: u32,
    },
    CeremonyPosted {
        election: ElectionId,
        attempt: u32,
        unit: UnitId,
        message: CeremonyMessage,
    },
    VoterKeyRegistered {
        election: ElectionId,
        unit: UnitId,
        key: VoterKey,
    },
    BallotCast {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        ballot: Box<Ballot>,
    },
    RoundClosed {
        election: ElectionId,
        round: u32,
    },
    DecryptionPosted {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        shares: DecryptionShares,
    },
    /// The totals decrypted from the first `trustee_threshold` verified shares.
    RoundCounted {
        election: ElectionId,
        round: u32,
        approvals: Vec<u32>,
        abstentions: u32,
    },
    SecondRoundOpened {
        election: ElectionId,
        candidates: Vec<UnitId>,
        seats: u32,
    },
    /// A chair's decision of a tie at the cut-off; `deputy_silent`: the head's decision stands
    /// alone because the deputy recorded none within [`TIE_WAIT_DAYS`] of the count (set by
    /// `decide` from the service's clock, checked against the event's time when applied).
    TieDecided {
        election: ElectionId,
        round: u32,
        unit: UnitId,
        chosen: Vec<UnitId>,
        decision: Text,
        deputy_silent: bool,
    },
    PaperCountRecorded {
        election: ElectionId,
        round: u32,
        count: PaperCount,
    },
    PaperCountConfirmed {
        election: ElectionId,
        round: u32,
        unit: UnitId,
    },
    /// An unconfirmed paper count withdrawn by the secretariat, its confirmations discarded.
    PaperCountWithdrawn {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    /// The electronic count of a closed, uncounted round with ballots set aside by the
    /// secretariat, with its reason: the round waits for a paper count.
    ElectronicCountAbandoned {
        election: ElectionId,
        round: u32,
        reason: Text,
    },
    /// An election none of whose rounds was counted, cancelled by the secretariat with its
    /// reason: no vote event about it is taken after this one.
    ElectionCancelled {
        election: ElectionId,
        reason: Text,
    },
    /// An election whose counted rounds left seats unfilled, ended by the secretariat with its
    /// reason instead of a further round: no round is opened after this one.
    ElectionConcluded {
        election: ElectionId,
        reason: Text,
    },
}

/// The kinds of [`VoteEvent`], in the order they were introduced.
pub const VOTE_EVENT_KINDS: &[&str] = &[
    "standing_recorded",
    "election_opened",
    "ceremony_posted",
    "voter_key_registered",
    "ballot_cast",
    "round_closed",
    "decryption_posted",
    "round_counted",
    "second_round_opened",
    "tie_decided",
    "paper_count_recorded",
    "paper_count_confirmed",
    "paper_count_withdrawn",
    "electronic_count_abandoned",
    "election_cancelled",
    "election_concluded",
];

impl VoteEvent {
    /// The stable kind name, as written in the log.
    pub fn kind(&self) -> &'static str {
        match self {
            VoteEvent::StandingRecorded { .. } => "standing_recorded",
            VoteEvent::ElectionOpened { .. } => "election_opened",
            VoteEvent::CeremonyPosted { .. } => "ceremony_posted",
            VoteEvent::VoterKeyRegistered { .. } => "voter_key_registered",
            VoteEvent::BallotCast { .. } => "ballot_cast",
            VoteEvent::RoundClosed { .. } => "round_closed",
            VoteEvent::DecryptionPosted { .. } => "decryption_posted",
            VoteEvent::RoundCounted { .. } => "round_counted",
            VoteEvent::SecondRoundOpened { .. } => "second_round_opened",
            VoteEvent::TieDecided { .. } => "tie_decided",
            VoteEvent::PaperCountRecorded { .. } => "paper_count_recorded",
            VoteEvent::PaperCountConfirmed { .. } => "paper_count_confirmed",
            VoteEvent::PaperCountWithdrawn { .. } => "paper_count_withdrawn",
            VoteEvent::ElectronicCountAbandoned { .. } => "electronic_count_abandoned",
            VoteEvent::ElectionCancelled { .. } => "election_cancelled",
            VoteEvent::ElectionConcluded { .. } => "election_concluded",
        }
    }

    /// The election the event concerns (none for a standing).
    pub fn election(&self) -> Option<&ElectionId> {
        use VoteEvent as V;
        match self {
            V::StandingRecorded { .. } => None,
            V::ElectionOpened { election, .. }
            | V::CeremonyPosted { election, .. }
            | V::VoterKeyRegistered { election, .. }
            | V::BallotCast { election, .. }
            | V::RoundClosed { election, .. }
            | V::DecryptionPosted { election, .. }
            | V::RoundCounted { election, .. }
            | V::SecondRoundOpened { election, .. }
            | V::TieDecided { election, .. }
            | V::PaperCountRecorded { election, .. }
            | V::PaperCountConfirmed { election, .. }
            | V::PaperCountWithdrawn { election, .. }
            | V::ElectronicCountAbandoned { election, .. }
            | V::ElectionCancelled { election, .. }
            | V::ElectionConcluded { election, .. } => Some(election),
        }
    }

    /// The cluster whose members may read the event, from the state before it.
    pub fn cluster<'a>(&'a self, state: &'a State) -> Option<&'a ClusterId> {
        match self {
            VoteEvent::StandingRecorded { cluster, .. }
            | VoteEvent::ElectionOpened { cluster, .. } => Some(cluster),
            other => other
                .election()
                .and_then(|e| state.elections.get(e))
                .map(|e| &e.cluster),
        }
    }

    /// The unit acting (a voter, a trustee, a confirming leader), if any.
    pub fn unit(&self) -> Option<&UnitId> {
        use VoteEvent as V;
        match self {
            V::StandingRecorded { unit, .. }
            | V::CeremonyPosted { unit, .. }
            | V::VoterKeyRegistered { unit, .. }
            | V::BallotCast { unit, .. }
            | V::DecryptionPosted { unit, .. }
            | V::TieDecided { unit, .. }
            | V::PaperCountConfirmed { unit, .. } => Some(unit),
            _ => None,
        }
    }
}

pub use apply::{
    replay_ceremony, replay_election, Cancellation, CastBallot, Ceremony, CeremonyFailure,
    Confirmation, Count, Election, KeyRegistration, PaperRecord, Round, SetAside, TieRecord,
    WithdrawnPaper, CEREMONY_STEPS,
};

/// The permission a vote event needs: the secretariat of the election's cluster opens,
/// closes, counts on paper, withdraws an unconfirmed paper count, sets aside an electronic
/// count the trustees cannot decrypt, cancels an election not counted and concludes one
/// without a further round; a unit's leader acts for the unit (trustee, voter, confirming a
/// paper count, the head's or deputy's tie decision, whose position `apply` checks); the count
/// itself is a consequence of the shares.
pub(crate) fn permission_for(
    state: &State,
    vote: &VoteEvent,
) -> Result<crate::authz::Permission, crate::error::DomainError> {
    use crate::authz::Permission;
    use VoteEvent as V;
    Ok(match vote {
        V::StandingRecorded { cluster, .. } | V::ElectionOpened { cluster, .. } => {
            Permission::ManageCluster(cluster.clone())
        }
        V::RoundClosed { election, .. }
        | V::SecondRoundOpened { election, .. }
        | V::PaperCountRecorded { election, .. }
        | V::PaperCountWithdrawn { election, .. }
        | V::ElectronicCountAbandoned { election, .. }
        | V::ElectionCancelled { election, .. }
        | V::ElectionConcluded { election, .. } => {
            Permission::ManageCluster(state.election(election)?.cluster.clone())
        }
        V::CeremonyPosted { unit, .. }
        | V::VoterKeyRegistered { unit, .. }
        | V::BallotCast { unit, .. }
        | V::DecryptionPosted { unit, .. }
        | V::TieDecided { unit, .. }
        | V::PaperCountConfirmed { unit, .. } => Permission::LeadUnit(unit.clone()),
        V::RoundCounted { .. } => Permission::Consequence,
    })
}
