//! The year-end review of a covenant (stage `yearend`): each member unit's dossier (self-scores
//! of the manual criteria with justification and evidence; the quantitative criteria are the
//! engine's, from the approved figures), seeds committed and revealed by the units (with, optionally, a public beacon round pinned
//! before they commit: [`beacon`]), the
//! assignment drawn from them ([`draw`]), inspection findings (with a re-check of drawn source
//! records), responses, the council's resolutions, the lock and the published results
//! ([`score`]). Every step is an event; nothing is edited in place.
//!
//! Field rules are checked by [`decide`](decide::decide); the review's state machine, deadlines,
//! assignment and the draw itself (recomputed) are checked when events are applied
//! ([`state`]). Who may cause each event is [`permission`].

pub mod audit;
pub mod beacon;
pub mod chacha;
pub mod decide;
pub mod draw;
pub mod error;
pub mod evidence;
pub mod rules;
pub mod score;
pub mod state;
pub mod stats;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::authz::Permission;
use crate::error::DomainError;
use crate::ids::{CovenantId, UnitId};
use crate::state::State;
use crate::text::Text;
pub use crate::wire::yearend::{
    Answer, AssignmentDecided, AssignmentDrawn, BeaconPinned, BeaconRecorded, Breach,
    ConflictDeclared, CutoffTieDecided, DeadlineMoved, DisputeResolved, DossierEntry, DossierSaved,
    DossierSubmitted, EligibilityRecorded, Evidence, FindingItem, FindingSubmitted, Pair, Points,
    PublishedResult, Recheck, RecordsDeclared, ResponseSubmitted, ResultsPublished, Rule,
    SeedCommitted, SeedRevealed, Step, Verdict, YearEndLocked, YearEndOpened,
};
pub use error::YearEndError;
pub use state::{Review, YearEnds};

/// A year-end event; each variant is one kind of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum YearEndEvent {
    YearEndOpened(YearEndOpened),
    DossierSaved(DossierSaved),
    DossierSubmitted(DossierSubmitted),
    ConflictDeclared(ConflictDeclared),
    SeedCommitted(SeedCommitted),
    SeedRevealed(SeedRevealed),
    AssignmentDrawn(AssignmentDrawn),
    AssignmentDecided(AssignmentDecided),
    RecordsDeclared(RecordsDeclared),
    FindingSubmitted(FindingSubmitted),
    ResponseSubmitted(ResponseSubmitted),
    DisputeResolved(DisputeResolved),
    EligibilityRecorded(EligibilityRecorded),
    YearEndLocked(YearEndLocked),
    ResultsPublished(ResultsPublished),
    CutoffTieDecided(CutoffTieDecided),
    BeaconPinned(BeaconPinned),
    BeaconRecorded(BeaconRecorded),
    DeadlineMoved(DeadlineMoved),
}

/// The year-end kinds, in the order they were introduced.
pub const KINDS: &[&str] = &[
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
    "beacon_pinned",
    "beacon_recorded",
    "year_end_deadline_moved",
];

impl YearEndEvent {
    pub fn kind(&self) -> &'static str {
        use YearEndEvent as E;
        match self {
            E::YearEndOpened(_) => "year_end_opened",
            E::DossierSaved(_) => "dossier_saved",
            E::DossierSubmitted(_) => "dossier_submitted",
            E::ConflictDeclared(_) => "conflict_declared",
            E::SeedCommitted(_) => "seed_committed",
            E::SeedRevealed(_) => "seed_revealed",
            E::AssignmentDrawn(_) => "assignment_drawn",
            E::AssignmentDecided(_) => "assignment_decided",
            E::RecordsDeclared(_) => "records_declared",
            E::FindingSubmitted(_) => "finding_submitted",
            E::ResponseSubmitted(_) => "response_submitted",
            E::DisputeResolved(_) => "dispute_resolved",
            E::EligibilityRecorded(_) => "eligibility_recorded",
            E::YearEndLocked(_) => "year_end_locked",
            E::ResultsPublished(_) => "results_published",
            E::CutoffTieDecided(_) => "cutoff_tie_decided",
            E::BeaconPinned(_) => "beacon_pinned",
            E::BeaconRecorded(_) => "beacon_recorded",
            E::DeadlineMoved(_) => "year_end_deadline_moved",
        }
    }

    pub fn covenant(&self) -> &CovenantId {
        use YearEndEvent as E;
        match self {
            E::YearEndOpened(e) => &e.covenant,
            E::DossierSaved(e) => &e.covenant,
            E::DossierSubmitted(e) => &e.covenant,
            E::ConflictDeclared(e) => &e.covenant,
            E::SeedCommitted(e) => &e.covenant,
            E::SeedRevealed(e) => &e.covenant,
            E::AssignmentDrawn(e) => &e.covenant,
            E::AssignmentDecided(e) => &e.covenant,
            E::RecordsDeclared(e) => &e.covenant,
            E::FindingSubmitted(e) => &e.covenant,
            E::ResponseSubmitted(e) => &e.covenant,
            E::DisputeResolved(e) => &e.covenant,
            E::EligibilityRecorded(e) => &e.covenant,
            E::YearEndLocked(e) => &e.covenant,
            E::ResultsPublished(e) => &e.covenant,
            E::CutoffTieDecided(e) => &e.covenant,
            E::BeaconPinned(e) => &e.covenant,
            E::BeaconRecorded(e) => &e.covenant,
            E::DeadlineMoved(e) => &e.covenant,
        }
    }

    /// The unit the event concerns (for read scoping): the acting unit, or the inspector of a
    /// finding.
    pub fn unit(&self) -> Option<&UnitId> {
        use YearEndEvent as E;
        match self {
            E::DossierSaved(e) => Some(&e.unit),
            E::DossierSubmitted(e) => Some(&e.unit),
            E::ConflictDeclared(e) => Some(&e.unit),
            E::SeedCommitted(e) => Some(&e.unit),
            E::SeedRevealed(e) => Some(&e.unit),
            E::RecordsDeclared(e) => Some(&e.unit),
            E::FindingSubmitted(e) => Some(&e.inspector),
            E::ResponseSubmitted(e) => Some(&e.unit),
            E::DisputeResolved(e) => Some(&e.unit),
            E::EligibilityRecorded(e) => Some(&e.unit),
            _ => None,
        }
    }
}

/// What the actor of a year-end event must hold.
pub fn permission(state: &State, event: &YearEndEvent) -> Result<Permission, DomainError> {
    use YearEndEvent as E;
    let cluster = || state.covenant(event.covenant()).map(|c| c.cluster.clone());
    Ok(match event {
        E::YearEndOpened(_)
        | E::AssignmentDrawn(_)
        | E::AssignmentDecided(_)
        | E::DisputeResolved(_)
        | E::EligibilityRecorded(_)
        | E::YearEndLocked(_)
        | E::ResultsPublished(_)
        | E::BeaconPinned(_)
        | E::DeadlineMoved(_) => Permission::ManageCluster(cluster()?),
        // The round's value is proved by the beacon's own signature, checked when applied: who
        // records it changes nothing, so any member may, and a draw never waits on one person.
        E::BeaconRecorded(_) => Permission::Consequence,
        E::CutoffTieDecided(_) => Permission::LeadUnit(cluster_head(state, event.covenant())?),
        E::DossierSaved(e) => Permission::ReportFigures(e.unit.clone()),
        E::FindingSubmitted(e) => Permission::LeadUnit(e.inspector.clone()),
        E::DossierSubmitted(DossierSubmitted { unit, .. })
        | E::ConflictDeclared(ConflictDeclared { unit, .. })
        | E::SeedCommitted(SeedCommitted { unit, .. })
        | E::SeedRevealed(SeedRevealed { unit, .. })
        | E::RecordsDeclared(RecordsDeclared { unit, .. })
        | E::ResponseSubmitted(ResponseSubmitted { unit, .. }) => {
            Permission::LeadUnit(unit.clone())
        }
    })
}

impl YearEndCommand {
    /// The covenant the command is about.
    pub fn covenant(&self) -> &CovenantId {
        use YearEndCommand as C;
        match self {
            C::Open { covenant, .. }
            | C::MoveDeadline { covenant, .. }
            | C::SaveDossier { covenant, .. }
            | C::SubmitDossier { covenant, .. }
            | C::DeclareConflict { covenant, .. }
            | C::CommitSeed { covenant, .. }
            | C::RevealSeed { covenant, .. }
            | C::PinBeacon { covenant, .. }
            | C::RecordBeacon { covenant, .. }
            | C::DrawAssignment { covenant }
            | C::DecideAssignment { covenant, .. }
            | C::DeclareRecords { covenant, .. }
            | C::SubmitFinding { covenant, .. }
            | C::SubmitResponse { covenant, .. }
            | C::ResolveDispute { covenant, .. }
            | C::RecordEligibility { covenant, .. }
            | C::Lock { covenant, .. }
            | C::PublishResults { covenant, .. }
            | C::DecideCutoffTie { covenant, .. } => covenant,
        }
    }

    /// What the actor must hold to give this command: the same as [`permission`] of the event
    /// it becomes, known before anything of the review is read, so that a refusal never
    /// depends on (and so never tells) another unit's state.
    pub fn permission(&self, state: &State) -> Result<Permission, DomainError> {
        use YearEndCommand as C;
        let cluster = || state.covenant(self.covenant()).map(|c| c.cluster.clone());
        Ok(match self {
            C::Open { .. }
            | C::MoveDeadline { .. }
            | C::DrawAssignment { .. }
            | C::DecideAssignment { .. }
            | C::ResolveDispute { .. }
            | C::RecordEligibility { .. }
            | C::Lock { .. }
            | C::PublishResults { .. }
            | C::PinBeacon { .. } => Permission::ManageCluster(cluster()?),
            C::RecordBeacon { .. } => Permission::Consequence,
            C::DecideCutoffTie { covenant, .. } => {
                Permission::LeadUnit(cluster_head(state, covenant)?)
            }
            C::SaveDossier { unit, .. } => Permission::ReportFigures(unit.clone()),
            C::SubmitFinding { inspector, .. } => Permission::LeadUnit(inspector.clone()),
            C::SubmitDossier { unit, .. }
            | C::DeclareConflict { unit, .. }
            | C::CommitSeed { unit, .. }
            | C::RevealSeed { unit, .. }
            | C::DeclareRecords { unit, .. }
            | C::SubmitResponse { unit, .. } => Permission::LeadUnit(unit.clone()),
        })
    }
}

/// The unit heading the covenant's cluster in its year (whose leader decides ties at a quota
/// cut-off).
pub fn cluster_head(state: &State, covenant: &CovenantId) -> Result<UnitId, DomainError> {
    let c = state.covenant(covenant)?;
    state
        .cluster(&c.cluster)?
        .years
        .get(&c.year)
        .and_then(|y| y.head.as_ref())
        .map(|h| h.unit.clone())
        .ok_or_else(|| {
            error::refuse(
                "yearend_no_head",
                format!("cluster {} has no head unit in {}", c.cluster, c.year),
            )
        })
}

/// A request of the year-end stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum YearEndCommand {
    /// Opens the review (the secretariat): deadlines, inspectors per unit, records re-checked.
    Open {
        covenant: CovenantId,
        dossier_deadline: NaiveDate,
        commit_deadline: NaiveDate,
        /// Last day to reveal; by default three days after the commitment deadline (never
        /// after the response deadline).
        #[serde(default)]
        reveal_deadline: Option<NaiveDate>,
        response_deadline: NaiveDate,
        inspectors: u8,
        #[serde(default)]
        record_sample: u32,
        /// The secretariat opens the review knowing that members lack approved figures of the
        /// year (required when one does: [`rules::missing_windows`]).
        #[serde(default)]
        acknowledge_missing_figures: bool,
    },
    /// Moves one deadline of the schedule (the secretariat), while the step it closes is not
    /// past, with a reason.
    MoveDeadline {
        covenant: CovenantId,
        step: Step,
        deadline: NaiveDate,
        reason: Text,
    },
    /// Saves the unit's self-assessment (officers and the leader): every manual criterion's
    /// score and justification given so far.
    SaveDossier {
        covenant: CovenantId,
        unit: UnitId,
        entries: std::collections::BTreeMap<String, DossierEntry>,
    },
    /// The leader submits the current revision (its entries go into the event).
    SubmitDossier {
        covenant: CovenantId,
        unit: UnitId,
        revision: u32,
    },
    DeclareConflict {
        covenant: CovenantId,
        unit: UnitId,
        other: UnitId,
        reason: Text,
    },
    CommitSeed {
        covenant: CovenantId,
        unit: UnitId,
        commitment: String,
    },
    RevealSeed {
        covenant: CovenantId,
        unit: UnitId,
        value: String,
    },
    /// Pins the public beacon round the draw will mix in (the secretariat, before any
    /// commitment; [`beacon`]).
    PinBeacon { covenant: CovenantId, round: u64 },
    /// Records the pinned round's signature as the beacon network published it.
    RecordBeacon {
        covenant: CovenantId,
        signature: String,
    },
    /// Draws the assignment from the revealed seeds (the secretariat starts it; nobody chooses).
    DrawAssignment { covenant: CovenantId },
    /// Records the secretariat's assignment where the draw found none.
    DecideAssignment {
        covenant: CovenantId,
        pairs: Vec<Pair>,
        reason: Text,
        /// The rules of the draw the pairs break, acknowledged: exactly those
        /// [`rules::breaches`] finds.
        #[serde(default)]
        acknowledged: Vec<Breach>,
    },
    DeclareRecords {
        covenant: CovenantId,
        unit: UnitId,
        population: u32,
        description: Text,
    },
    SubmitFinding {
        covenant: CovenantId,
        inspector: UnitId,
        inspected: UnitId,
        items: std::collections::BTreeMap<String, FindingItem>,
        #[serde(default)]
        recheck: Option<Recheck>,
    },
    SubmitResponse {
        covenant: CovenantId,
        unit: UnitId,
        answers: std::collections::BTreeMap<String, Answer>,
    },
    ResolveDispute {
        covenant: CovenantId,
        unit: UnitId,
        criterion: String,
        #[serde(default)]
        score: Option<Points>,
        reason: Text,
    },
    RecordEligibility {
        covenant: CovenantId,
        unit: UnitId,
        discipline_pending: bool,
        note: Text,
    },
    /// Locks the year's scores (irreversible: `confirm` must be true).
    Lock {
        covenant: CovenantId,
        #[serde(default)]
        confirm: bool,
    },
    /// Computes and publishes the results (the secretariat, after the lock and after the
    /// cluster head has decided any tie at a quota cut-off).
    PublishResults {
        covenant: CovenantId,
        /// Publishing is irreversible: `confirm` must be true.
        #[serde(default)]
        confirm: bool,
    },
    /// The cluster head's leader decides which of the units tied at a band's quota cut-off
    /// keep the band.
    DecideCutoffTie {
        covenant: CovenantId,
        band: String,
        units: Vec<UnitId>,
        reason: Text,
    },
}
