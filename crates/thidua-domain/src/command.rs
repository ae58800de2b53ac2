//! Commands: what an actor asks for. [`decide`] is a thin dispatcher: each stage's module checks
//! its commands' fields and turns them into events, and every event is then applied to the state
//! by rules that also hold at replay (authorisation and fit, [`crate::state`]). Nothing else
//! decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::documents::DocumentKind;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::figures::{FigureMap, HistoricalReport, ValidationRule};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, ReportingWindow, Role,
    UnitKind,
};
use crate::state::State;
use crate::text::Text;

/// A request to change the state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    RegisterUser {
        user: UserId,
        display_name: Text,
        demo: bool,
    },
    GrantRole {
        user: UserId,
        role: Role,
    },
    RevokeRole {
        user: UserId,
        role: Role,
    },
    /// Records that `user`'s password is being reset by an administrator or the operator
    /// (`password_reset`). Not read from JSON: only the act of resetting a password records it,
    /// through the account routes and `thidua user passwd`, which record it before they set it.
    #[serde(skip_deserializing)]
    RecordPasswordReset {
        user: UserId,
    },
    CreateUnit {
        unit: UnitId,
        name: Text,
        short_code: Text,
        kind: UnitKind,
        parent: Option<UnitId>,
        established: NaiveDate,
    },
    RenameUnit {
        unit: UnitId,
        name: Text,
        short_code: Text,
        effective: NaiveDate,
        decision: Text,
    },
    RecordLineage {
        change: LineageChange,
    },
    /// Withdraws the merger or split recorded at log index `index` while nothing rests on it
    /// (the administrator, with a reason: [`crate::lineage`]).
    WithdrawLineage {
        index: u64,
        reason: Text,
    },
    CreateCluster {
        cluster: ClusterId,
        name: Text,
    },
    SetClusterYear {
        cluster: ClusterId,
        year: i32,
        members: Vec<UnitId>,
    },
    SetClusterLeadership {
        cluster: ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: UnitId,
        method: LeadershipMethod,
        decision: Text,
    },
    CreateMovement {
        movement: MovementId,
        name: Text,
        year: i32,
        plan_ref: Text,
        slogan: Option<Text>,
        calendar: Vec<ReportingWindow>,
    },
    /// Creates version 1 of a covenant.
    DraftCovenant {
        covenant: CovenantId,
        movement: MovementId,
        cluster: ClusterId,
        content: CovenantContent,
    },
    /// Edits the latest version while nobody has signed it.
    AmendCovenantDraft {
        covenant: CovenantId,
        content: CovenantContent,
    },
    /// Opens a new version after the latest was frozen; it needs all signatures again.
    ProposeCovenantVersion {
        covenant: CovenantId,
        content: CovenantContent,
    },
    /// Withdraws the latest version while nobody has signed it (the secretariat, with a
    /// reason); a new version can then be proposed.
    WithdrawCovenantDraft {
        covenant: CovenantId,
        reason: Text,
    },
    /// A unit leader signs a version by confirming its hash.
    SignCovenant {
        covenant: CovenantId,
        version: u32,
        unit: UnitId,
        hash: String,
    },
    /// Registers (or replaces) the witness key with which a unit cosigns the log's checkpoints.
    /// `key` is a C2SP tlog-cosignature verifier key, `<name>+<keyhash hex8>+<base64>`.
    RegisterWitnessKey {
        unit: UnitId,
        key: String,
    },
    /// Designates the units whose witnesses count and how many must cosign (administrators).
    SetWitnessPolicy {
        witnesses: Vec<UnitId>,
        quorum: u32,
    },
    /// Saves a unit's figures for a window as a draft: every figure of the report (an element
    /// left out is not given), with optional comments by element.
    SaveFigures {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        values: FigureMap,
        #[serde(default)]
        comments: std::collections::BTreeMap<String, Text>,
    },
    /// Submits the report's current revision to the unit's leader (an officer or the leader).
    SubmitFigures {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        revision: u32,
    },
    /// Approves the submitted revision (the unit's leader): the figures are published.
    ApproveFigures {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        revision: u32,
    },
    /// Reopens a submitted or approved report for a correction (the unit's leader, with a
    /// reason).
    ReopenFigures {
        covenant: CovenantId,
        unit: UnitId,
        window: String,
        reason: Text,
    },
    /// Moves a window's deadline (the secretariat).
    SetFiguresDeadline {
        covenant: CovenantId,
        window: String,
        deadline: NaiveDate,
    },
    /// Declares the covenant's validation rules (the secretariat).
    SetFiguresRules {
        covenant: CovenantId,
        rules: Vec<ValidationRule>,
    },
    /// Records approved figures of earlier years from a file (the secretariat), all at once.
    ImportHistoricalFigures {
        covenant: CovenantId,
        file_name: Text,
        sha256: String,
        reports: Vec<HistoricalReport>,
    },
    /// Records that the secretariat issued an official document: `number` is the one printed
    /// on it ([`crate::documents::next_number`]), `sha256` the hash of its content, `subject`
    /// what it is about ([`crate::documents::Subject`]'s key: one document of a kind per subject).
    IssueDocument {
        cluster: ClusterId,
        year: i32,
        kind: DocumentKind,
        date: NaiveDate,
        number: Option<u32>,
        title: Text,
        sha256: String,
        subject: Text,
    },
    /// Votes ([`crate::votes`]).
    Vote(crate::votes::VoteCommand),
    /// A step of the year-end review (`{"command":"year_end","action":…}`).
    YearEnd(crate::yearend::YearEndCommand),
    /// Freezes the covenant's mid-year review (the secretariat, once month 6 has closed):
    /// progress and provisional scores through month 6, computed from the log as it stands.
    FreezeMidyearReview {
        covenant: CovenantId,
        /// The secretariat has seen that some members do not have all their figures through
        /// month 6 approved and freezes the review anyway, once and for good (the web's
        /// confirmation box; `acknowledge_incomplete` in the API). Without it a review of
        /// incomplete figures is refused (`midyear_incomplete`); a complete one needs nothing.
        #[serde(default)]
        acknowledge_incomplete: bool,
    },
    /// Explains one of a unit's integrity flags (its leader; [`crate::explanations`]): the flag
    /// by its unit, period (`2024-M05`, `2024-Y`), kind code and subject, and the text — the
    /// fields of the event it becomes.
    ExplainFlag(crate::explanations::FlagExplained),
    /// Declares the public holidays of a year (the administrator; [`crate::holidays`]): the
    /// days off as the Government announced them and the announcement — the fields of the
    /// event it becomes (the days in any order; they are sorted and deduplicated).
    DeclareHolidays(crate::holidays::HolidaysDeclared),
}

/// Turns `command` from `actor` into the events it produces, checked against `state`: the
/// command's fields by its stage, then each event by the rules of [`State::apply`] (applied to a
/// scratch copy, so the events of a command see each other). Returns the events and the state
/// after them. Decided at time 0 (the epoch): a dry run of the rules that do not depend on the
/// time (a submission, which waits for its window's cut-off, is refused; the service decides
/// with its clock through [`decide_and_apply`]).
pub fn decide(state: &State, actor: &Actor, command: Command) -> Result<Vec<Payload>, DomainError> {
    decide_and_apply(state, actor, 0, command).map(|(payloads, _)| payloads)
}

/// [`decide`], also returning the state after the events (stamped `time_ms`), so that a batch of
/// commands can be decided in order without applying anything twice.
pub fn decide_and_apply(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    command: Command,
) -> Result<(Vec<Payload>, State), DomainError> {
    use Command as C;
    let payloads = match command {
        C::RegisterUser { .. }
        | C::GrantRole { .. }
        | C::RevokeRole { .. }
        | C::RecordPasswordReset { .. }
        | C::CreateUnit { .. }
        | C::RenameUnit { .. }
        | C::RecordLineage { .. }
        | C::WithdrawLineage { .. }
        | C::CreateCluster { .. }
        | C::SetClusterYear { .. }
        | C::SetClusterLeadership { .. }
        | C::CreateMovement { .. } => crate::org::decide(state, actor, command)?,
        C::DraftCovenant { .. }
        | C::AmendCovenantDraft { .. }
        | C::ProposeCovenantVersion { .. }
        | C::WithdrawCovenantDraft { .. }
        | C::SignCovenant { .. } => crate::covenant::decide(state, actor, command)?,
        C::RegisterWitnessKey { .. } | C::SetWitnessPolicy { .. } => {
            crate::witness::decide(state, actor, time_ms, command)?
        }
        C::SaveFigures { .. }
        | C::SubmitFigures { .. }
        | C::ApproveFigures { .. }
        | C::ReopenFigures { .. }
        | C::SetFiguresDeadline { .. }
        | C::SetFiguresRules { .. }
        | C::ImportHistoricalFigures { .. } => {
            crate::figures::decide(state, actor, time_ms, command)?
        }
        C::IssueDocument { .. } => crate::documents::decide(state, actor, command)?,
        C::Vote(vote) => crate::votes::decide(state, actor, time_ms, vote)?,
        C::YearEnd(c) => crate::yearend::decide::decide(state, actor, time_ms, c)?,
        C::FreezeMidyearReview {
            covenant,
            acknowledge_incomplete,
        } => crate::midyear::decide(state, actor, &covenant, acknowledge_incomplete)?,
        C::ExplainFlag(e) => crate::explanations::decide(state, actor, e)?,
        C::DeclareHolidays(e) => crate::holidays::decide(state, actor, e)?,
    };
    let mut after = state.clone();
    for payload in &payloads {
        after.apply(&Event {
            index: after.size,
            time_ms,
            actor: actor.clone(),
            salt: String::new(),
            payload: payload.clone(),
        })?;
    }
    Ok((payloads, after))
}

/// First and last day of a reporting year (15/12 of the previous year – 14/12).
pub use crate::org::year_bounds;
