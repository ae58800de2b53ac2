//! Events as the domain sees them: an [`Event`] is an envelope (log index, time, actor, salt)
//! around a [`Payload`], the fact that happened. Their bytes in the log are the business of
//! [`crate::wire`], which encodes every kind in a versioned form that never changes; this module
//! is the in-memory model, free to grow.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::documents::DocumentKind;
use crate::figures::{FigureMap, ValidationRule};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, ReportingWindow, Role,
    UnitKind,
};
use crate::text::Text;

/// Who caused an event.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// The operator at the command line (`thidua` subcommands, the demonstration loader).
    System,
    User(UserId),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::System => f.write_str("system"),
            Actor::User(u) => write!(f, "user:{u}"),
        }
    }
}

/// What happened. Each variant is one event kind of the log; its stable name is
/// [`Payload::kind`] and its encoding is in [`crate::wire`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Payload {
    UserRegistered {
        user: UserId,
        display_name: Text,
        demo: bool,
    },
    RoleGranted {
        user: UserId,
        role: Role,
    },
    RoleRevoked {
        user: UserId,
        role: Role,
    },
    /// An administrator (or the operator at the command line) set a new password for `user`:
    /// the password itself is never in the log, but that it was reset, by whom and when is, so
    /// that nobody takes over an account behind its holder's back.
    PasswordReset {
        user: UserId,
    },
    UnitCreated {
        unit: UnitId,
        name: Text,
        short_code: Text,
        kind: UnitKind,
        parent: Option<UnitId>,
        established: NaiveDate,
    },
    UnitRenamed {
        unit: UnitId,
        name: Text,
        short_code: Text,
        effective: NaiveDate,
        decision: Text,
    },
    LineageRecorded(LineageChange),
    /// A lineage record withdrawn by the administrator ([`crate::lineage`]).
    LineageWithdrawn(crate::lineage::LineageWithdrawn),
    ClusterCreated {
        cluster: ClusterId,
        name: Text,
    },
    ClusterYearSet {
        cluster: ClusterId,
        year: i32,
        members: Vec<UnitId>,
    },
    ClusterLeadershipSet {
        cluster: ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: UnitId,
        method: LeadershipMethod,
        decision: Text,
    },
    MovementCreated {
        movement: MovementId,
        name: Text,
        year: i32,
        plan_ref: Text,
        slogan: Option<Text>,
        calendar: Vec<ReportingWindow>,
    },
    CovenantDrafted {
        covenant: CovenantId,
        movement: MovementId,
        cluster: ClusterId,
        version: u32,
        content: CovenantContent,
    },
    CovenantDraftAmended {
        covenant: CovenantId,
        version: u32,
        content: CovenantContent,
    },
    /// A draft that nobody signed is withdrawn by the secretariat; it can no longer be signed.
    CovenantDraftWithdrawn {
        covenant: CovenantId,
        version: u32,
        reason: Text,
    },
    CovenantSigned {
        covenant: CovenantId,
        version: u32,
        unit: UnitId,
        /// The covenant version's hash (hex) that the leader confirmed.
        hash: String,
    },
    CovenantFrozen {
        covenant: CovenantId,
        version: u32,
        hash: String,
    },
    /// A unit's witness key (C2SP tlog-cosignature verifier key), replacing any earlier one.
    WitnessKeyRegistered {
        unit: UnitId,
        key: String,
    },
    /// Which units' witnesses count, and how many of them must cosign a checkpoint for it to
    /// be witnessed (k of n), replacing any earlier policy.
    WitnessPolicySet {
        witnesses: Vec<UnitId>,
        quorum: u32,
    },
    /// A unit's figures for a window, saved as a draft (revision 1, 2, … of the report).
    FiguresSaved {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        revision: u32,
        values: FigureMap,
        comments: std::collections::BTreeMap<String, Text>,
    },
    /// An officer submitted the report's revision to the unit's leader.
    FiguresSubmitted {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        revision: u32,
    },
    /// The unit's leader approved the report's revision: published to the cluster.
    FiguresApproved {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        revision: u32,
    },
    /// The unit's leader reopened a submitted or approved report for a correction.
    FiguresReopened {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        reason: Text,
    },
    /// The secretariat set the last day to submit a window's figures.
    FiguresDeadlineSet {
        covenant: CovenantId,
        window: String,
        deadline: NaiveDate,
    },
    /// The secretariat declared the covenant's validation rules (replacing earlier ones).
    FiguresRulesSet {
        covenant: CovenantId,
        rules: Vec<ValidationRule>,
    },
    /// The secretariat imported approved figures of earlier years from a file; the reports
    /// follow as `HistoricalFiguresRecorded` events.
    HistoricalImportRecorded {
        covenant: CovenantId,
        file_name: Text,
        /// SHA-256 (hex) of the imported file's bytes.
        sha256: String,
        reports: u32,
    },
    /// One unit's approved figures for a window of an earlier year, from a historical import.
    HistoricalFiguresRecorded {
        covenant: CovenantId,
        /// Log index of the `HistoricalImportRecorded` event.
        import: u64,
        unit: UnitId,
        year: i32,
        window: String,
        values: FigureMap,
    },
    /// The secretariat issued an official document: its kind, number and symbol, date, subject
    /// and the SHA-256 of its content ([`crate::documents`]).
    DocumentIssued {
        cluster: ClusterId,
        year: i32,
        kind: DocumentKind,
        date: NaiveDate,
        number: Option<u32>,
        symbol: Option<Text>,
        title: Text,
        sha256: String,
        /// What the document is about ([`crate::documents::Subject`]'s key); `None` in the
        /// events of format 1, written before subjects were recorded.
        subject: Option<Text>,
    },
    /// Votes: standings, elections, the key ceremony, ballots, counts ([`crate::votes`]).
    Vote(crate::votes::VoteEvent),
    /// A step of the year-end review (its kinds are [`crate::yearend::KINDS`]).
    YearEnd(crate::yearend::YearEndEvent),
    /// The mid-year review: progress frozen at the month-6 cut-off ([`crate::midyear`]).
    MidyearReviewFrozen(crate::midyear::MidyearReviewFrozen),
    /// A flagged unit's leader explained one of its integrity flags ([`crate::explanations`]).
    FlagExplained(crate::explanations::FlagExplained),
    /// The administrator declared a year's public holidays ([`crate::holidays`]).
    HolidaysDeclared(crate::holidays::HolidaysDeclared),
}

/// Every event kind, in the order they were introduced.
pub const EVENT_KINDS: &[&str] = &[
    "user_registered",
    "role_granted",
    "role_revoked",
    "unit_created",
    "unit_renamed",
    "lineage_recorded",
    "cluster_created",
    "cluster_year_set",
    "cluster_leadership_set",
    "movement_created",
    "covenant_drafted",
    "covenant_draft_amended",
    "covenant_signed",
    "covenant_frozen",
    "witness_key_registered",
    "covenant_draft_withdrawn",
    "witness_policy_set",
    "figures_saved",
    "figures_submitted",
    "figures_approved",
    "figures_reopened",
    "figures_deadline_set",
    "figures_rules_set",
    "historical_import_recorded",
    "historical_figures_recorded",
    "document_issued",
    // crate::votes::VOTE_EVENT_KINDS
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
    // The year-end kinds, as in `crate::yearend::KINDS`.
    "year_end_opened",
    "dossier_saved",
    "dossier_submitted",
    "conflict_declared",
    "seed_committed",
    "seed_revealed",
    "assignment_drawn",
    "assignment_decided",
    "records_declared",
    "finding_submitted",
    "response_submitted",
    "dispute_resolved",
    "eligibility_recorded",
    "year_end_locked",
    "results_published",
    "cutoff_tie_decided",
    "midyear_review_frozen",
    "beacon_pinned",
    "beacon_recorded",
    "year_end_deadline_moved",
    "flag_explained",
    "holidays_declared",
    "lineage_withdrawn",
    "password_reset",
];

impl Payload {
    /// The stable kind name, as written in the log.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::UserRegistered { .. } => "user_registered",
            Payload::RoleGranted { .. } => "role_granted",
            Payload::RoleRevoked { .. } => "role_revoked",
            Payload::PasswordReset { .. } => "password_reset",
            Payload::UnitCreated { .. } => "unit_created",
            Payload::UnitRenamed { .. } => "unit_renamed",
            Payload::LineageRecorded(_) => "lineage_recorded",
            Payload::LineageWithdrawn(_) => "lineage_withdrawn",
            Payload::ClusterCreated { .. } => "cluster_created",
            Payload::ClusterYearSet { .. } => "cluster_year_set",
            Payload::ClusterLeadershipSet { .. } => "cluster_leadership_set",
            Payload::MovementCreated { .. } => "movement_created",
            Payload::CovenantDrafted { .. } => "covenant_drafted",
            Payload::CovenantDraftAmended { .. } => "covenant_draft_amended",
            Payload::CovenantDraftWithdrawn { .. } => "covenant_draft_withdrawn",
            Payload::CovenantSigned { .. } => "covenant_signed",
            Payload::CovenantFrozen { .. } => "covenant_frozen",
            Payload::WitnessKeyRegistered { .. } => "witness_key_registered",
            Payload::WitnessPolicySet { .. } => "witness_policy_set",
            Payload::FiguresSaved { .. } => "figures_saved",
            Payload::FiguresSubmitted { .. } => "figures_submitted",
            Payload::FiguresApproved { .. } => "figures_approved",
            Payload::FiguresReopened { .. } => "figures_reopened",
            Payload::FiguresDeadlineSet { .. } => "figures_deadline_set",
            Payload::FiguresRulesSet { .. } => "figures_rules_set",
            Payload::HistoricalImportRecorded { .. } => "historical_import_recorded",
            Payload::HistoricalFiguresRecorded { .. } => "historical_figures_recorded",
            Payload::DocumentIssued { .. } => "document_issued",
            Payload::Vote(vote) => vote.kind(),
            Payload::YearEnd(e) => e.kind(),
            Payload::MidyearReviewFrozen(_) => "midyear_review_frozen",
            Payload::FlagExplained(_) => "flag_explained",
            Payload::HolidaysDeclared(_) => "holidays_declared",
        }
    }

    /// The unit an event concerns, used to scope who may read it before publication.
    pub fn unit(&self) -> Option<&UnitId> {
        match self {
            Payload::UnitCreated { unit, .. }
            | Payload::UnitRenamed { unit, .. }
            | Payload::ClusterLeadershipSet { unit, .. }
            | Payload::CovenantSigned { unit, .. }
            | Payload::WitnessKeyRegistered { unit, .. }
            | Payload::FiguresSaved { unit, .. }
            | Payload::FiguresSubmitted { unit, .. }
            | Payload::FiguresApproved { unit, .. }
            | Payload::FiguresReopened { unit, .. }
            | Payload::HistoricalFiguresRecorded { unit, .. } => Some(unit),
            Payload::FlagExplained(e) => Some(&e.unit),
            Payload::RoleGranted { role, .. } | Payload::RoleRevoked { role, .. } => match role {
                Role::Officer { unit } | Role::Leader { unit } => Some(unit),
                _ => None,
            },
            Payload::LineageRecorded(change) => change.successors.first(),
            Payload::LineageWithdrawn(e) => e.change.successors.first(),
            Payload::Vote(vote) => vote.unit(),
            Payload::YearEnd(e) => e.unit(),
            _ => None,
        }
    }
}

/// One entry of the log: an envelope around a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Position in the log, from 0.
    pub index: u64,
    /// Milliseconds since the Unix epoch (UTC), from the server's clock at append.
    pub time_ms: i64,
    pub actor: Actor,
    /// 16 random bytes (hex) so that a leaf hash reveals nothing about a low-entropy event.
    pub salt: String,
    pub payload: Payload,
}

impl Event {
    /// The canonical bytes of the event in the newest encoding of its kind (see [`crate::wire`]).
    /// Used for new events only: stored events keep the bytes they were written with.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        crate::wire::encode(self)
    }

    /// Decodes stored bytes of any version ever written, checking that they are canonical and
    /// at the expected index.
    pub fn decode(expected_index: u64, bytes: &[u8]) -> Result<Event, crate::wire::DecodeError> {
        crate::wire::decode(expected_index, bytes)
    }
}

/// Parses a date written `dd/mm/yyyy` (the Vietnamese form, `1/2/2026` too) or `yyyy-mm-dd`,
/// in digits only, the year in four (`+2026-01-01` is no date).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split(['/', '-']).collect();
    let digits = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let year = if raw.contains('/') {
        parts.last()
    } else {
        parts.first()
    };
    if parts.len() != 3 || !digits || year.is_none_or(|y| y.len() != 4) {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y-%m-%d"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_read_in_either_form_and_nothing_else() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("01/02/2026"), d(2026, 2, 1));
        assert_eq!(parse_date(" 1/2/2026 "), d(2026, 2, 1));
        assert_eq!(parse_date("2026-02-01"), d(2026, 2, 1));
        for bad in [
            "+2026-01-01",
            "31/02/2026",
            "2026/02/01",
            "01-02-26",
            "1.2.2026",
            "",
            "2026-02",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
