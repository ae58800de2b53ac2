//! The nouns of the domain as they appear in events and state: units and their lineage,
//! clusters and their yearly membership, movements with their reporting calendar, covenants with
//! targets and a scoring regulation, users and scoped roles.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{ClusterId, MovementId, TargetId, UnitId, UserId};
use crate::text::Text;

/// What kind of unit this is in the hierarchy ministry → provincial police → commune police.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Ministry,
    MinistryDepartment,
    ProvincialPolice,
    CommunePolice,
}

impl UnitKind {
    /// Every kind, from the top of the hierarchy down.
    pub const ALL: [UnitKind; 4] = [
        UnitKind::Ministry,
        UnitKind::MinistryDepartment,
        UnitKind::ProvincialPolice,
        UnitKind::CommunePolice,
    ];

    /// The kind's name in the log and the API (`provincial_police`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Ministry => "ministry",
            UnitKind::MinistryDepartment => "ministry_department",
            UnitKind::ProvincialPolice => "provincial_police",
            UnitKind::CommunePolice => "commune_police",
        }
    }

    /// The kinds a unit of this kind may hang under: the Ministry has its departments and the
    /// provincial police forces, a provincial police its commune and ward police; the Ministry
    /// itself is under nobody. Checked when a unit is created (`decide`, not when its event is
    /// applied, so that older logs replay).
    pub fn parent_kinds(self) -> &'static [UnitKind] {
        match self {
            UnitKind::Ministry => &[],
            UnitKind::MinistryDepartment | UnitKind::ProvincialPolice => &[UnitKind::Ministry],
            UnitKind::CommunePolice => &[UnitKind::ProvincialPolice],
        }
    }

    /// Whether a unit of this kind needs a parent: a department belongs to the Ministry and a
    /// commune police to its province; a provincial police may stand at the top where the
    /// Ministry is not recorded (a deployment for one cluster).
    pub fn needs_parent(self) -> bool {
        matches!(self, UnitKind::MinistryDepartment | UnitKind::CommunePolice)
    }

    /// Whether a unit of this kind may stand under `parent` (`None`: at the top).
    pub fn fits_under(self, parent: Option<UnitKind>) -> bool {
        match parent {
            None => !self.needs_parent(),
            Some(p) => self.parent_kinds().contains(&p),
        }
    }
}

/// A unit as of the latest event; its history of names and its lineage are kept beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: Text,
    pub short_code: Text,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
    pub established: NaiveDate,
    /// The day from which the unit no longer exists (absorbed or split), if any.
    pub dissolved: Option<NaiveDate>,
    /// Earlier names, oldest first: (name, short code, the first day the *next* name applied).
    pub former_names: Vec<(Text, Text, NaiveDate)>,
}

impl Unit {
    /// Whether the unit may be a member of an emulation cluster: every kind but a ministry,
    /// which oversees the clusters. A cluster's members in a year are moreover all of one kind
    /// (provincial police forces, the Ministry's departments, or commune police:
    /// checked by `decide`, see [`crate::org::members_of_one_kind`]).
    pub fn may_join_clusters(&self) -> bool {
        self.kind != UnitKind::Ministry
    }

    /// True when the unit existed on `date`.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.established <= date && self.dissolved.is_none_or(|d| date < d)
    }

    /// The unit's name as it was on `date`.
    pub fn name_on(&self, date: NaiveDate) -> &Text {
        self.former_names
            .iter()
            .find(|(_, _, until)| date < *until)
            .map(|(name, _, _)| name)
            .unwrap_or(&self.name)
    }
}

/// How units were reorganised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineageKind {
    /// The predecessors are absorbed into the successor (which may be one of them, continuing).
    Merge,
    /// One predecessor is divided into several successors.
    Split,
}

/// One reorganisation: from `predecessors` to `successors` on `effective`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineageChange {
    pub kind: LineageKind,
    pub predecessors: Vec<UnitId>,
    pub successors: Vec<UnitId>,
    pub effective: NaiveDate,
    /// The decision's number and symbol, e.g. "1234/QĐ-BCA".
    pub decision: Text,
}

/// An emulation cluster or bloc.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: ClusterId,
    pub name: Text,
}

/// How a head or deputy came to lead the cluster for a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadershipMethod {
    Elected,
    Assigned,
}

/// The head (cụm trưởng) or deputy (cụm phó) position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadershipPosition {
    Head,
    Deputy,
}

/// Who leads a cluster in a year, and on what decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leadership {
    pub unit: UnitId,
    pub method: LeadershipMethod,
    pub decision: Text,
}

/// A cluster's composition for one year.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterYear {
    pub members: Vec<UnitId>,
    pub head: Option<Leadership>,
    pub deputy: Option<Leadership>,
}

/// A named reporting window with exact dates (both ends inclusive), e.g. "Tháng 1" 15/12–14/01.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingWindow {
    /// Stable key, e.g. "M01", "Q1", "H1", "9M", "Y".
    pub key: String,
    pub name: Text,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// An emulation movement of one year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    pub id: MovementId,
    pub name: Text,
    pub year: i32,
    /// The plan that launches it, e.g. "84/KH-BCA".
    pub plan_ref: Text,
    pub slogan: Option<Text>,
    pub calendar: Vec<ReportingWindow>,
}

/// What a target measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A change of a count against a baseline year ("reduce by at least 5%").
    Change,
    /// A rate or share ("solve over 75%").
    Rate,
    /// An absolute count.
    Count,
    /// A statement that must hold ("no criminal gang allowed to form").
    YesNo,
    /// Judged by people within a maximum ("three breakthrough solutions").
    Qualitative,
}

/// How the measured value is compared with the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
    Equal,
    /// Inclusive range `[low, high]`.
    Between,
    /// A yes/no statement that must hold.
    Holds,
    /// Scored by judgement; no threshold.
    Judged,
}

/// One target (chỉ tiêu) of a covenant, as a structured record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub id: TargetId,
    /// The content area it belongs to, e.g. "Phòng, chống tội phạm".
    pub area: Text,
    pub kind: TargetKind,
    pub subject: Text,
    pub comparison: Comparison,
    pub threshold: Option<Decimal>,
    pub range: Option<(Decimal, Decimal)>,
    pub baseline_year: Option<i32>,
    /// Unit of measure: "%", "vụ", "người".
    pub unit_of_measure: Option<Text>,
    /// The id of the scoring regulation's indicator (or data element) that measures the
    /// target, so progress can be followed during the year (since covenant format 2).
    pub indicator: Option<String>,
}

/// The scoring regulation attached to a covenant: its canonical text and SHA-256 (hex).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationDoc {
    pub text: String,
    pub sha256: String,
}

/// The content of one covenant version: what the leaders sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CovenantContent {
    pub title: Text,
    pub place: Text,
    pub signing_date: NaiveDate,
    pub targets: Vec<Target>,
    pub regulation: RegulationDoc,
}

/// A role held by a user, with its scope.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Role {
    /// Administers the whole installation.
    Admin,
    /// The secretariat of one cluster: sets up its year, drafts its covenant.
    Secretariat { cluster: ClusterId },
    /// Emulation staff of one unit: enters data, self-assesses, inspects a peer.
    Officer { unit: UnitId },
    /// A unit's leader: signs, approves, votes.
    Leader { unit: UnitId },
    /// A Ministry department overseeing a cluster, read-only.
    Supervisor { cluster: ClusterId },
    /// The Ministry's emulation department overseeing every cluster, read-only: what a
    /// supervisor of each cluster reads, clusters created later included.
    MinistrySupervisor,
}

impl Role {
    /// Whether the role oversees `cluster` read-only (a supervisor of it, or of every cluster).
    pub fn supervises(&self, cluster: &ClusterId) -> bool {
        match self {
            Role::Supervisor { cluster: c } => c == cluster,
            Role::MinistrySupervisor => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Role::Admin => f.write_str("admin"),
            Role::Secretariat { cluster } => write!(f, "secretariat:{cluster}"),
            Role::Officer { unit } => write!(f, "officer:{unit}"),
            Role::Leader { unit } => write!(f, "leader:{unit}"),
            Role::Supervisor { cluster } => write!(f, "supervisor:{cluster}"),
            Role::MinistrySupervisor => f.write_str("ministry_supervisor"),
        }
    }
}

impl std::str::FromStr for Role {
    type Err = crate::DomainError;

    /// Parses `admin`, `secretariat:CLUSTER`, `officer:UNIT`, `leader:UNIT`, `supervisor:CLUSTER`,
    /// `ministry_supervisor`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, scope) = s.split_once(':').unwrap_or((s, ""));
        match (kind, scope) {
            ("admin", "") => Ok(Role::Admin),
            ("ministry_supervisor", "") => Ok(Role::MinistrySupervisor),
            ("secretariat", c) => Ok(Role::Secretariat {
                cluster: ClusterId::parse(c)?,
            }),
            ("supervisor", c) => Ok(Role::Supervisor {
                cluster: ClusterId::parse(c)?,
            }),
            ("officer", u) => Ok(Role::Officer {
                unit: UnitId::parse(u)?,
            }),
            ("leader", u) => Ok(Role::Leader {
                unit: UnitId::parse(u)?,
            }),
            _ => Err(crate::DomainError::InvalidValue {
                field: "role",
                reason: format!("unknown role {s:?}"),
            }),
        }
    }
}

/// A user account as the log knows it (credentials live outside the log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub display_name: Text,
    /// True for the invented people of the demonstration.
    pub demo: bool,
    pub roles: Vec<Role>,
    /// Every role the user ever held (revoked ones too): whose acts a reader of the log must be
    /// able to check against the grants that allowed them.
    #[serde(default)]
    pub roles_held: Vec<Role>,
    /// The log index of the latest `password_reset` of the account, if any (its holder is
    /// shown it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_reset: Option<u64>,
}
