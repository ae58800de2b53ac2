//! The domain's typed errors. Each variant has a stable snake_case `code()` that the API returns
//! and the UI translates; the `Display` text is English for logs and operators.

use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("{field}: must not be empty")]
    EmptyText { field: &'static str },
    #[error("{field}: longer than {max} characters")]
    TextTooLong { field: &'static str, max: usize },
    #[error("{field}: contains control characters")]
    InvalidText { field: &'static str },
    #[error("{field}: invalid id {value:?} (use a-z, 0-9, '-', '_', '.')")]
    InvalidId { field: &'static str, value: String },
    #[error("{field}: {reason}")]
    InvalidValue { field: &'static str, reason: String },

    #[error("the actor may not perform this action")]
    Forbidden,
    #[error("{actor} may not cause a {kind} event: it needs the role {needed}")]
    Unauthorised {
        actor: String,
        kind: &'static str,
        needed: String,
    },
    #[error("the last administrator cannot give up the administrator role")]
    LastAdmin,
    #[error("user {0} does not exist")]
    UnknownUser(String),
    #[error("user {0} already exists")]
    UserExists(String),
    #[error("user {user} already holds role {role}")]
    RoleAlreadyGranted { user: String, role: String },
    #[error("user {user} does not hold role {role}")]
    RoleNotGranted { user: String, role: String },

    #[error("unit {0} does not exist")]
    UnknownUnit(String),
    #[error("unit {0} already exists")]
    UnitExists(String),
    /// `date` is a day, or a whole year (a cluster year's members must last it).
    #[error("unit {unit} did not exist {}", during(.date))]
    UnitNotActive { unit: String, date: String },
    #[error("the lineage change dated {date} is before unit {unit} was established")]
    LineageBeforeEstablished { unit: String, date: String },
    #[error("a merge or split needs at least one predecessor and one successor, all different")]
    InvalidLineage,
    #[error("another cluster is already named {0}")]
    ClusterNameTaken(String),
    #[error("another movement of {year} is already named {name}")]
    MovementNameTaken { name: String, year: i32 },
    #[error("user {user} cannot hold {role}: one person is not both officer and leader of a unit")]
    RolesConflict { user: String, role: String },
    #[error("a merge or split joins units of one kind, never the Ministry: {units}")]
    LineageKinds { units: String },
    #[error("no merger or split in force was recorded at log index {index}")]
    LineageRecordNotFound { index: u64 },
    #[error("the merger or split recorded at {record} cannot be withdrawn: event {later}, recorded after it, concerns {}", unit.as_deref().or(cluster.as_deref()).unwrap_or("its units"))]
    LineageReliedUpon {
        record: u64,
        later: u64,
        unit: Option<String>,
        cluster: Option<String>,
    },
    #[error("parent unit {0} would create a cycle")]
    ParentCycle(String),
    #[error("a unit of kind {} cannot stand {}", kind.as_str(), parent.map_or("without a parent".to_owned(), |p| format!("under a unit of kind {}", p.as_str())))]
    ParentKind {
        kind: crate::model::UnitKind,
        /// The parent's kind; `None` when no parent was given.
        parent: Option<crate::model::UnitKind>,
    },
    #[error("parent unit {parent} ceased to exist on {date}: new units cannot be placed under it")]
    ParentDissolved { parent: String, date: String },

    #[error("{0} is not between 2000 and 2100")]
    YearOutOfRange(i32),
    #[error("cluster {0} does not exist")]
    UnknownCluster(String),
    #[error("cluster {0} already exists")]
    ClusterExists(String),
    #[error("unit {unit} is listed twice in cluster {cluster}")]
    DuplicateMember { cluster: String, unit: String },
    #[error("cluster {cluster} needs at least two member units in {year} (an empty list clears a membership set before)")]
    ClusterTooSmall { cluster: String, year: i32 },
    #[error("cluster {cluster} already has exactly these members in {year}: nothing to record")]
    ClusterYearUnchanged { cluster: String, year: i32 },
    #[error("unit {unit} is not a member of cluster {cluster} in {year}")]
    NotMember {
        cluster: String,
        unit: String,
        year: i32,
    },
    #[error("cluster {cluster} has no membership for {year}")]
    NoClusterYear { cluster: String, year: i32 },
    #[error("the head and the deputy must be different units")]
    HeadIsDeputy,
    #[error("covenant {covenant} of cluster {cluster} for {year} has signatures: the year's members can no longer change (supersede the draft first)")]
    MembershipSigned {
        cluster: String,
        year: i32,
        covenant: String,
    },
    #[error("covenant {covenant} of cluster {cluster} for {year} is in force: its members change only by succession, members that ceased during the year ({ceased}) replaced by units they went into ({successors})")]
    MembershipSuccessionOnly {
        cluster: String,
        year: i32,
        covenant: String,
        ceased: String,
        successors: String,
    },
    #[error("{unit} ceased during {year}: a unit it went into ({successors}) takes its seat in cluster {cluster}")]
    MembershipSuccessorLeftOut {
        cluster: String,
        year: i32,
        unit: String,
        successors: String,
    },
    #[error("the year-end review of cluster {cluster} for {year} is open: its members can no longer change")]
    MembershipReviewOpen { cluster: String, year: i32 },
    #[error("the year-end results of cluster {cluster} for {year} are locked: its head and deputy can no longer change")]
    LeadershipLocked { cluster: String, year: i32 },
    #[error("unit {0} is a ministry: it oversees clusters and cannot be a member of one")]
    MinistryNotMember(String),
    #[error("the members of cluster {cluster} in {year} must be units of one kind: {unit} is a {} unit, {other} a {} unit", found.as_str(), expected.as_str())]
    MemberKinds {
        cluster: String,
        year: i32,
        /// The first member of another kind than the first member's.
        unit: String,
        found: crate::model::UnitKind,
        /// The first member, and its kind.
        other: String,
        expected: crate::model::UnitKind,
    },

    #[error("movement {0} does not exist")]
    UnknownMovement(String),
    #[error("movement {0} already exists")]
    MovementExists(String),
    #[error("the reporting calendar is invalid: {0}")]
    InvalidCalendar(String),

    #[error("covenant {0} does not exist")]
    UnknownCovenant(String),
    #[error("covenant {0} already exists")]
    CovenantExists(String),
    #[error("covenant {covenant} has no version {version}")]
    UnknownVersion { covenant: String, version: u32 },
    #[error("covenant {covenant} version {version} is frozen; propose a new version")]
    CovenantFrozen { covenant: String, version: u32 },
    #[error("covenant {covenant} version {version} is not frozen yet; amend the draft instead")]
    CovenantNotFrozen { covenant: String, version: u32 },
    #[error("covenant {covenant} version {version} already has signatures; it cannot be edited")]
    CovenantHasSignatures { covenant: String, version: u32 },
    #[error("the cluster already has covenant {existing} under this movement; amend or supersede it instead of drafting another")]
    CovenantForYearExists { existing: String },
    #[error("the year-end review of covenant {0} has opened: the covenant can no longer change")]
    CovenantUnderReview(String),
    #[error(
        "the proposed version of covenant {0} is the same as its latest: nothing to sign again"
    )]
    CovenantUnchanged(String),
    #[error("unit {unit} has already signed covenant {covenant} version {version}")]
    AlreadySigned {
        covenant: String,
        version: u32,
        unit: String,
    },
    #[error("the hash signed does not match the covenant's hash {expected}")]
    HashMismatch { expected: String },
    #[error("covenant {covenant} version {version} was withdrawn")]
    CovenantWithdrawn { covenant: String, version: u32 },
    #[error("target {0} appears twice")]
    DuplicateTarget(String),
    #[error("target {target}, {field}: {}", rule.describe())]
    InvalidTarget {
        target: String,
        field: &'static str,
        rule: TargetRule,
    },
    #[error("a covenant needs between 1 and {max} targets")]
    TargetCount { max: usize },
    #[error("the signing date {date} does not fall in the movement's year {year} (from 01/01 of the year before to 14/12)")]
    SigningDateOutOfRange { date: String, year: i32 },
    #[error("{field}: {date} is not between 1900 and 2100")]
    DateOutOfRange { field: &'static str, date: String },
    #[error("a document of {year} is dated from 01/01/{year} to the day it is issued ({today}), not {date}")]
    DocumentDateOutOfRange {
        date: String,
        year: i32,
        today: String,
    },
    #[error("a document cannot be dated {date}, before {earliest}: {}", after.describe(earliest))]
    DocumentDateTooEarly {
        date: String,
        /// The earliest date it may carry, dd/mm/yyyy.
        earliest: String,
        after: crate::documents::DateFloor,
    },
    #[error("a {kind} about this subject was already issued: number {}, dated {date} (record {index})", number.as_deref().unwrap_or("-"))]
    DocumentAlreadyIssued {
        kind: &'static str,
        number: Option<String>,
        date: String,
        index: u64,
    },
    #[error("another unit under the same parent is already named {0:?}")]
    UnitNameTaken(String),
    #[error("another unit under the same parent already has the short code {0:?}")]
    ShortCodeTaken(String),
    #[error("unit {unit} ceased to exist on {date} (succeeded by {successors}); it cannot take part in that year")]
    UnitDissolved {
        unit: String,
        date: String,
        successors: String,
    },
    #[error("the scoring regulation is invalid:\n{0}")]
    InvalidRegulation(String),
    #[error("the scoring regulation is not in its canonical form (compile it first)")]
    RegulationNotCanonical,

    #[error("covenant {0} has no signed version: figures are reported on a signed covenant")]
    CovenantNotSigned(String),
    #[error("the movement's calendar has no window {0}")]
    UnknownWindow(String),
    #[error("{0} is a sum of other windows of the calendar: figures are reported for those")]
    SummaryWindow(String),
    #[error("the regulation has no data element {0}")]
    UnknownElement(String),
    #[error("{element}: the value is {reason}")]
    InvalidFigure {
        element: String,
        reason: crate::figures::FigureProblem,
    },
    #[error("the report of {unit} for {window} is {status}: it cannot {action}")]
    ReportState {
        unit: String,
        window: String,
        status: String,
        action: String,
    },
    #[error("the report has changed since it was read: its revision is now {expected}")]
    StaleRevision { expected: u32 },
    #[error("figures missing (enter a value or \"not applicable\"): {0}")]
    ReportIncomplete(String),
    #[error("validation rule not met: {rule}")]
    RuleViolated { rule: String },
    #[error("validation warning needs a comment on one of its figures: {rule}")]
    WarningNeedsComment { rule: String },
    #[error("figures of {unit} for {window} already exist")]
    FiguresExist { unit: String, window: String },
    /// A save that changes nothing of the report's saved draft ([`crate::State::figures_save_unchanged`]).
    #[error("the figures of {unit} for {window} are already saved exactly so: nothing to save")]
    FiguresUnchanged { unit: String, window: String },
    /// A unit's figures are saved and submitted by its officers; its leader approves them.
    #[error(
        "the figures of {unit} are saved and submitted by its officers; its leader approves them"
    )]
    FiguresByOfficers { unit: String },
    /// The regulation is written for another year than its covenant's (`field` is `year`), or
    /// compares with a baseline year that is not before it (`baseline_year`).
    #[error("the scoring regulation declares {field} = {found}, which does not fit the covenant's year {year}: its year is the covenant's and its baseline year an earlier one")]
    RegulationYear {
        field: &'static str,
        found: i32,
        year: i32,
    },
    #[error("the deadline of {window} cannot be before its cut-off {cut_off}")]
    DeadlineBeforeCutOff {
        window: String,
        cut_off: chrono::NaiveDate,
    },
    /// A report submitted before its window's cut-off: the window's figures are not all in.
    #[error("the figures of {window} can be submitted from its cut-off {cut_off}, when the window is over")]
    WindowStillOpen {
        window: String,
        cut_off: chrono::NaiveDate,
    },
    #[error("validation rule {rule}: {reason}")]
    InvalidRule { rule: String, reason: String },
    /// A vote refused by `votes` (its own stable code, e.g. `ballot_bad_proof`).
    #[error("{reason}")]
    VoteRefused { code: &'static str, reason: String },
    /// An award vote opened while another award vote of the cluster's year that may still
    /// elect some of its candidates is neither over nor cancelled (one achievement earns one
    /// award): `election` the open vote, `units` the shared candidates, comma-separated.
    #[error("the award vote {election} is not over and may still elect {units}: finish or cancel it before opening another award vote of the year with them (one achievement earns one award)")]
    ElectionCandidatesOpen { election: String, units: String },
    /// A year-end step refused; its own code (see [`crate::yearend::error::CODES`]).
    #[error(transparent)]
    YearEnd(crate::yearend::YearEndError),
    /// The mid-year review refused; its own code (see [`crate::midyear::CODES`]).
    #[error("{reason}")]
    Midyear { code: &'static str, reason: String },
    /// The explanation is already the flag's newest one ([`crate::explanations`]).
    #[error("this is already the newest explanation of the flag")]
    ExplanationUnchanged,
    /// The year's days off are already declared exactly so ([`crate::holidays`]).
    #[error("the public holidays of {0} are already declared so")]
    HolidaysUnchanged(i32),
    /// A witness policy's quorum is not between 1 and the number of units it designates (none
    /// designated: no quorum can be met).
    #[error("the quorum must be between 1 and the {designated} designated witness unit(s)")]
    WitnessQuorum { designated: usize },
    /// A unit that belongs to no emulation cluster recorded in the log registers a witness key:
    /// no cluster relies on it, and its key would only change the quorum for those that do.
    #[error("unit {unit} belongs to no emulation cluster recorded in the log, so it cannot witness the log")]
    WitnessOutsideClusters { unit: String },
}

impl DomainError {
    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        use DomainError::*;
        match self {
            EmptyText { .. } => "empty_text",
            TextTooLong { .. } => "text_too_long",
            InvalidText { .. } => "invalid_text",
            InvalidId { .. } => "invalid_id",
            InvalidValue { .. } => "invalid_value",
            Forbidden | Unauthorised { .. } => "forbidden",
            LastAdmin => "last_admin",
            UnknownUser(_) => "unknown_user",
            UserExists(_) => "user_exists",
            RoleAlreadyGranted { .. } => "role_already_granted",
            RoleNotGranted { .. } => "role_not_granted",
            UnknownUnit(_) => "unknown_unit",
            UnitExists(_) => "unit_exists",
            UnitNotActive { .. } => "unit_not_active",
            LineageBeforeEstablished { .. } => "lineage_before_established",
            InvalidLineage => "invalid_lineage",
            ClusterNameTaken(_) => "cluster_name_taken",
            MovementNameTaken { .. } => "movement_name_taken",
            RolesConflict { .. } => "roles_conflict",
            LineageKinds { .. } => "lineage_kinds",
            LineageRecordNotFound { .. } => "lineage_record_not_found",
            LineageReliedUpon { .. } => "lineage_relied_upon",
            ParentCycle(_) => "parent_cycle",
            ParentKind { .. } => "parent_kind",
            ParentDissolved { .. } => "parent_dissolved",
            YearOutOfRange(_) => "year_out_of_range",
            UnknownCluster(_) => "unknown_cluster",
            ClusterExists(_) => "cluster_exists",
            DuplicateMember { .. } => "duplicate_member",
            ClusterTooSmall { .. } => "cluster_too_small",
            ClusterYearUnchanged { .. } => "cluster_year_unchanged",
            NotMember { .. } => "not_member",
            NoClusterYear { .. } => "no_cluster_year",
            HeadIsDeputy => "head_is_deputy",
            MembershipSigned { .. } => "membership_signed",
            MembershipSuccessionOnly { .. } => "membership_succession_only",
            MembershipReviewOpen { .. } => "membership_review_open",
            MembershipSuccessorLeftOut { .. } => "membership_successor_left_out",
            LeadershipLocked { .. } => "leadership_locked",
            MinistryNotMember(_) => "ministry_not_member",
            MemberKinds { .. } => "member_kinds",
            UnknownMovement(_) => "unknown_movement",
            MovementExists(_) => "movement_exists",
            InvalidCalendar(_) => "invalid_calendar",
            UnknownCovenant(_) => "unknown_covenant",
            CovenantExists(_) => "covenant_exists",
            UnknownVersion { .. } => "unknown_version",
            CovenantFrozen { .. } => "covenant_frozen",
            CovenantNotFrozen { .. } => "covenant_not_frozen",
            CovenantHasSignatures { .. } => "covenant_has_signatures",
            CovenantForYearExists { .. } => "covenant_year_exists",
            CovenantUnchanged(_) => "covenant_unchanged",
            CovenantUnderReview(_) => "covenant_under_review",
            AlreadySigned { .. } => "already_signed",
            HashMismatch { .. } => "hash_mismatch",
            CovenantWithdrawn { .. } => "covenant_withdrawn",
            DuplicateTarget(_) => "duplicate_target",
            InvalidTarget { rule, .. } => rule.code(),
            TargetCount { .. } => "target_count",
            SigningDateOutOfRange { .. } => "signing_date_out_of_range",
            DateOutOfRange { .. } => "date_out_of_range",
            DocumentDateOutOfRange { .. } => "document_date_out_of_range",
            DocumentAlreadyIssued { .. } => "document_already_issued",
            DocumentDateTooEarly { after, .. } => after.code(),
            UnitNameTaken(_) => "unit_name_taken",
            ShortCodeTaken(_) => "short_code_taken",
            UnitDissolved { .. } => "unit_dissolved",
            InvalidRegulation(_) => "invalid_regulation",
            RegulationNotCanonical => "regulation_not_canonical",
            CovenantNotSigned(_) => "covenant_not_signed",
            UnknownWindow(_) => "unknown_window",
            SummaryWindow(_) => "summary_window",
            UnknownElement(_) => "unknown_element",
            InvalidFigure { .. } => "invalid_figure",
            ReportState { .. } => "report_state",
            StaleRevision { .. } => "stale_revision",
            ReportIncomplete(_) => "report_incomplete",
            RuleViolated { .. } => "rule_violated",
            WarningNeedsComment { .. } => "warning_needs_comment",
            FiguresExist { .. } => "figures_exist",
            FiguresUnchanged { .. } => "figures_unchanged",
            FiguresByOfficers { .. } => "figures_by_officers",
            RegulationYear { .. } => "regulation_year",
            DeadlineBeforeCutOff { .. } => "deadline_before_cut_off",
            WindowStillOpen { .. } => "window_still_open",
            InvalidRule { .. } => "invalid_rule",
            VoteRefused { code, .. } => code,
            ElectionCandidatesOpen { .. } => "election_candidates_open",
            YearEnd(e) => e.code,
            Midyear { code, .. } => code,
            ExplanationUnchanged => "explanation_unchanged",
            HolidaysUnchanged(_) => "holidays_unchanged",
            WitnessQuorum { .. } => "witness_quorum",
            WitnessOutsideClusters { .. } => "witness_outside_clusters",
        }
    }
}

/// Which rule of [`crate::target`] a target breaks; each has its own stable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetRule {
    /// The kind does not take this comparison (see `target::SHAPES`).
    Shape,
    ThresholdMissing,
    /// A yes/no or judged target has no threshold.
    ThresholdNotAllowed,
    /// A range's low end is not below its high end.
    RangeReversed,
    /// A percentage outside 0–100.
    PercentRange,
    Negative,
    /// A count that is not a whole number.
    CountNotWhole,
    /// More than four decimal places.
    Precision,
    /// A change needs the baseline year it is measured against.
    BaselineMissing,
    /// A baseline year that is not between 2000 and the year before the movement's.
    BaselineRange,
    /// A rate or change measured in something else than percent.
    UnitNotPercent,
    /// The regulation has no indicator or data element of that id.
    UnknownIndicator,
    /// The indicator measures something else than the target means (a count target on a
    /// change in percent, a rate target on a count…).
    IndicatorMeasuresOther,
}

impl TargetRule {
    pub fn code(self) -> &'static str {
        match self {
            TargetRule::Shape => "target_shape",
            TargetRule::ThresholdMissing => "target_threshold_missing",
            TargetRule::ThresholdNotAllowed => "target_threshold_not_allowed",
            TargetRule::RangeReversed => "target_range_reversed",
            TargetRule::PercentRange => "target_percent_range",
            TargetRule::Negative => "target_negative",
            TargetRule::CountNotWhole => "target_count_whole",
            TargetRule::Precision => "target_precision",
            TargetRule::BaselineMissing => "target_baseline_missing",
            TargetRule::BaselineRange => "target_baseline_range",
            TargetRule::UnitNotPercent => "target_unit_percent",
            TargetRule::UnknownIndicator => "unknown_indicator",
            TargetRule::IndicatorMeasuresOther => "target_indicator_measures_other",
        }
    }

    /// English, for logs and API messages.
    pub fn describe(self) -> &'static str {
        match self {
            TargetRule::Shape => "this kind of target does not take this comparison",
            TargetRule::ThresholdMissing => "a threshold is needed",
            TargetRule::ThresholdNotAllowed => "a yes/no or judged target has no threshold",
            TargetRule::RangeReversed => "the low end must be below the high end",
            TargetRule::PercentRange => "a percentage lies between 0 and 100",
            TargetRule::Negative => "must not be negative",
            TargetRule::CountNotWhole => "a count is a whole number",
            TargetRule::Precision => "at most four decimal places",
            TargetRule::BaselineMissing => "a change needs its baseline year",
            TargetRule::BaselineRange => {
                "the baseline year lies between 2000 and the year before the movement's"
            }
            TargetRule::UnitNotPercent => "a rate or a change is measured in percent",
            TargetRule::UnknownIndicator => "the regulation has no indicator or element of that id",
            TargetRule::IndicatorMeasuresOther => {
                "the indicator measures something else than the target (a change, a rate or a \
                 count)"
            }
        }
    }
}

/// "on 2025-07-01", or "throughout 2026" for a year.
fn during(date: &str) -> String {
    if date.len() == 4 {
        format!("throughout {date}")
    } else {
        format!("on {date}")
    }
}
