//! Format 1 of every event kind written before the encoding was versioned per kind: these
//! structures are the bytes of existing logs and never change. Fields use the primitives of
//! `docs/event-encoding.md` (ids, NFC text, `YYYY-MM-DD` dates, decimals as strings).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{ClusterId, CovenantId, MovementId, TargetId, UnitId, UserId};
use crate::model;
use crate::text::Text;

/// Declares a fieldless enum of the wire with its snake_case names and its conversions from and
/// to the model's enum of the same variants.
macro_rules! wire_enum {
    ($name:ident = $model:path { $($variant:ident),+ $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl From<$model> for $name {
            fn from(value: $model) -> Self {
                use $model as M;
                match value { $(M::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for $model {
            fn from(value: $name) -> Self {
                use $model as M;
                match value { $($name::$variant => M::$variant),+ }
            }
        }
    };
}

wire_enum!(
    UnitKind = model::UnitKind {
        Ministry,
        MinistryDepartment,
        ProvincialPolice,
        CommunePolice
    }
);
wire_enum!(LineageKind = model::LineageKind { Merge, Split });
wire_enum!(LeadershipMethod = model::LeadershipMethod { Elected, Assigned });
wire_enum!(LeadershipPosition = model::LeadershipPosition { Head, Deputy });
wire_enum!(
    TargetKind = model::TargetKind {
        Change,
        Rate,
        Count,
        YesNo,
        Qualitative
    }
);
wire_enum!(
    Comparison = model::Comparison {
        AtLeast,
        Above,
        AtMost,
        Below,
        Equal,
        Between,
        Holds,
        Judged
    }
);

/// A role with its scope: `{"role":"leader","unit":"ca-ag"}`. An enumeration that may gain
/// values (a new value is a new fact older readers refuse; none is renamed or removed):
/// `ministry_supervisor` was added after format 1 was first written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Role {
    Admin,
    Secretariat { cluster: ClusterId },
    Officer { unit: UnitId },
    Leader { unit: UnitId },
    Supervisor { cluster: ClusterId },
    MinistrySupervisor,
}

impl From<&model::Role> for Role {
    fn from(role: &model::Role) -> Self {
        match role.clone() {
            model::Role::Admin => Role::Admin,
            model::Role::Secretariat { cluster } => Role::Secretariat { cluster },
            model::Role::Officer { unit } => Role::Officer { unit },
            model::Role::Leader { unit } => Role::Leader { unit },
            model::Role::Supervisor { cluster } => Role::Supervisor { cluster },
            model::Role::MinistrySupervisor => Role::MinistrySupervisor,
        }
    }
}

impl From<Role> for model::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => model::Role::Admin,
            Role::Secretariat { cluster } => model::Role::Secretariat { cluster },
            Role::Officer { unit } => model::Role::Officer { unit },
            Role::Leader { unit } => model::Role::Leader { unit },
            Role::Supervisor { cluster } => model::Role::Supervisor { cluster },
            Role::MinistrySupervisor => model::Role::MinistrySupervisor,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineageChange {
    pub kind: LineageKind,
    pub predecessors: Vec<UnitId>,
    pub successors: Vec<UnitId>,
    pub effective: NaiveDate,
    pub decision: Text,
}

impl From<&model::LineageChange> for LineageChange {
    fn from(c: &model::LineageChange) -> Self {
        Self {
            kind: c.kind.into(),
            predecessors: c.predecessors.clone(),
            successors: c.successors.clone(),
            effective: c.effective,
            decision: c.decision.clone(),
        }
    }
}

impl From<LineageChange> for model::LineageChange {
    fn from(c: LineageChange) -> Self {
        Self {
            kind: c.kind.into(),
            predecessors: c.predecessors,
            successors: c.successors,
            effective: c.effective,
            decision: c.decision,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingWindow {
    pub key: String,
    pub name: Text,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl From<&model::ReportingWindow> for ReportingWindow {
    fn from(w: &model::ReportingWindow) -> Self {
        Self {
            key: w.key.clone(),
            name: w.name.clone(),
            start: w.start,
            end: w.end,
        }
    }
}

impl From<ReportingWindow> for model::ReportingWindow {
    fn from(w: ReportingWindow) -> Self {
        Self {
            key: w.key,
            name: w.name,
            start: w.start,
            end: w.end,
        }
    }
}

/// A target as format 1 wrote it (no measuring indicator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: TargetId,
    pub area: Text,
    pub kind: TargetKind,
    pub subject: Text,
    pub comparison: Comparison,
    pub threshold: Option<Decimal>,
    pub range: Option<(Decimal, Decimal)>,
    pub baseline_year: Option<i32>,
    pub unit_of_measure: Option<Text>,
}

impl From<Target> for model::Target {
    fn from(t: Target) -> Self {
        Self {
            id: t.id,
            area: t.area,
            kind: t.kind.into(),
            subject: t.subject,
            comparison: t.comparison.into(),
            threshold: t.threshold,
            range: t.range,
            baseline_year: t.baseline_year,
            unit_of_measure: t.unit_of_measure,
            indicator: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationDoc {
    pub text: String,
    pub sha256: String,
}

impl From<&model::RegulationDoc> for RegulationDoc {
    fn from(r: &model::RegulationDoc) -> Self {
        Self {
            text: r.text.clone(),
            sha256: r.sha256.clone(),
        }
    }
}

impl From<RegulationDoc> for model::RegulationDoc {
    fn from(r: RegulationDoc) -> Self {
        Self {
            text: r.text,
            sha256: r.sha256,
        }
    }
}

/// A covenant version's content as format 1 wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantContent {
    pub title: Text,
    pub place: Text,
    pub signing_date: NaiveDate,
    pub targets: Vec<Target>,
    pub regulation: RegulationDoc,
}

impl From<CovenantContent> for model::CovenantContent {
    fn from(c: CovenantContent) -> Self {
        Self {
            title: c.title,
            place: c.place,
            signing_date: c.signing_date,
            targets: c.targets.into_iter().map(Into::into).collect(),
            regulation: c.regulation.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRegistered {
    pub user: UserId,
    pub display_name: Text,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub user: UserId,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitCreated {
    pub unit: UnitId,
    pub name: Text,
    pub short_code: Text,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub established: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRenamed {
    pub unit: UnitId,
    pub name: Text,
    pub short_code: Text,
    pub effective: NaiveDate,
    pub decision: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterCreated {
    pub cluster: ClusterId,
    pub name: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterYearSet {
    pub cluster: ClusterId,
    pub year: i32,
    pub members: Vec<UnitId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterLeadershipSet {
    pub cluster: ClusterId,
    pub year: i32,
    pub position: LeadershipPosition,
    pub unit: UnitId,
    pub method: LeadershipMethod,
    pub decision: Text,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementCreated {
    pub movement: MovementId,
    pub name: Text,
    pub year: i32,
    pub plan_ref: Text,
    pub slogan: Option<Text>,
    pub calendar: Vec<ReportingWindow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantDrafted {
    pub covenant: CovenantId,
    pub movement: MovementId,
    pub cluster: ClusterId,
    pub version: u32,
    pub content: CovenantContent,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantDraftAmended {
    pub covenant: CovenantId,
    pub version: u32,
    pub content: CovenantContent,
}

/// `covenant_signed` and `covenant_frozen` share this shape except for `unit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantSigned {
    pub covenant: CovenantId,
    pub version: u32,
    pub unit: UnitId,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantFrozen {
    pub covenant: CovenantId,
    pub version: u32,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessKeyRegistered {
    pub unit: UnitId,
    pub key: String,
}
