//! The API's data shapes and the builders that turn the domain state into them after checking
//! what the viewer may see. The web pages render the same shapes, so API and UI cannot differ
//! in what they reveal.

use serde::{Deserialize, Serialize};
use thidua_domain::model::{Comparison, LeadershipMethod, LineageKind, Role, TargetKind, UnitKind};
use thidua_domain::state::{Covenant, CovenantVersion};
use thidua_domain::text::{sort_by_name, sort_units_by_name};
use thidua_domain::{ClusterId, CovenantId, Event, State, UnitId, UserId};
use utoipa::{IntoParams, ToSchema};

use crate::authz::Scope;
use crate::error::ApiError;

/// A unit named in another object.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitRef {
    pub id: String,
    pub name: String,
    pub short_code: String,
}

pub fn unit_ref(state: &State, id: &UnitId) -> UnitRef {
    match state.units.get(id) {
        Some(u) => UnitRef {
            id: id.to_string(),
            name: u.name.to_string(),
            short_code: u.short_code.to_string(),
        },
        None => UnitRef {
            id: id.to_string(),
            name: id.to_string(),
            short_code: id.to_string(),
        },
    }
}

/// Units sorted in Vietnamese collation order of their names.
pub fn sorted_refs(state: &State, ids: &[UnitId]) -> Vec<UnitRef> {
    let mut refs: Vec<UnitRef> = ids.iter().map(|id| unit_ref(state, id)).collect();
    sort_units_by_name(&mut refs, |x| &x.name);
    refs
}

/// A cluster's head or deputy for a year.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LeaderDto {
    pub unit: UnitRef,
    /// `elected` or `assigned`.
    pub method: String,
    pub decision: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClusterSummary {
    pub id: String,
    pub name: String,
    /// Years with a recorded membership, ascending.
    pub years: Vec<i32>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClusterDetail {
    pub id: String,
    pub name: String,
    /// The year shown (the requested one, else the latest with a membership).
    pub year: Option<i32>,
    pub years: Vec<i32>,
    /// Members of `year`, in Vietnamese collation order.
    pub members: Vec<UnitRef>,
    pub head: Option<LeaderDto>,
    pub deputy: Option<LeaderDto>,
    pub covenants: Vec<CovenantSummary>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitSummary {
    pub id: String,
    pub name: String,
    pub short_code: String,
    /// `ministry`, `ministry_department`, `provincial_police` or `commune_police`.
    pub kind: String,
    pub parent: Option<String>,
    /// ISO date (yyyy-mm-dd).
    pub established: String,
    pub dissolved: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FormerName {
    pub name: String,
    pub short_code: String,
    /// The first day the next name applied.
    pub until: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LineageDto {
    /// The log index of the `lineage_recorded` event (what a withdrawal names).
    pub index: u64,
    /// `merge` or `split`.
    pub kind: String,
    pub effective: String,
    pub decision: String,
    pub predecessors: Vec<UnitRef>,
    pub successors: Vec<UnitRef>,
    /// Set when the administrator withdrew the record: it no longer counts.
    pub withdrawn: Option<WithdrawalDto>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitDetail {
    pub unit: UnitSummary,
    pub former_names: Vec<FormerName>,
    /// Reorganisations this unit took part in, oldest first.
    pub lineage: Vec<LineageDto>,
    /// Clusters the unit belongs to that the viewer may see, each with the years of the unit's
    /// membership.
    pub clusters: Vec<ClusterSummary>,
}

/// One reporting window of a movement's calendar (`M01`: 15/12 to 14/01).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CalendarWindowDto {
    pub key: String,
    pub name: String,
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MovementDto {
    pub id: String,
    pub name: String,
    pub year: i32,
    pub plan_ref: String,
    pub slogan: Option<String>,
    pub windows: Vec<CalendarWindowDto>,
}

/// A year's declared public holidays: the days a deadline in working days skips, and the
/// weekend days it counts.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct HolidaysDto {
    pub year: i32,
    /// ISO dates, ascending.
    pub days: Vec<String>,
    /// The Saturdays and Sundays worked in exchange for a day off (ngày làm bù), which a
    /// deadline counts as working days: ISO dates, ascending.
    pub working_days: Vec<String>,
    /// The announcement the days follow.
    pub reference: String,
    /// The log index of the declaration in force.
    pub declared_at: u64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CovenantSummary {
    pub id: String,
    pub movement: String,
    pub cluster: String,
    pub year: i32,
    pub title: String,
    pub latest_version: u32,
    pub frozen: bool,
    /// The latest version was withdrawn before anyone signed it.
    pub withdrawn: bool,
    pub signed: usize,
    pub members: usize,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TargetDto {
    pub id: String,
    pub area: String,
    pub kind: String,
    pub subject: String,
    pub comparison: String,
    /// Decimal as a string ("5", "0.5").
    pub threshold: Option<String>,
    pub range: Option<Vec<String>>,
    pub baseline_year: Option<i32>,
    pub unit_of_measure: Option<String>,
    /// The regulation's indicator that measures the target (progress and the integrity flags
    /// read it); none for a target only judged. A covenant drafted from this one through the
    /// API must carry it, or its progress has nothing to measure.
    pub indicator: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SignatureDto {
    pub unit: UnitRef,
    pub signed: bool,
    /// `user:ID` or `system`.
    pub signer: Option<String>,
    pub index: Option<u64>,
    pub time_ms: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VersionDto {
    pub version: u32,
    /// The canonical SHA-256 (hex) that leaders sign.
    pub hash: String,
    pub title: String,
    pub place: String,
    pub signing_date: String,
    pub drafted_at: u64,
    pub frozen_at: Option<u64>,
    /// Set when the draft was withdrawn: the log index of the withdrawal and its reason.
    pub withdrawn: Option<WithdrawalDto>,
    pub regulation_sha256: String,
    pub targets: Vec<TargetDto>,
    /// One row per member unit, in Vietnamese collation order.
    pub signatures: Vec<SignatureDto>,
    /// What this version changed from the version it follows (numbered just before it):
    /// fields, members, targets and the scoring regulation. Absent for the first version.
    pub changes: Option<super::changes::VersionChangesDto>,
    /// Set when the draft was amended in place before anyone signed it: the log index and
    /// time of its latest amendment and what that amendment changed (`from` = `to`).
    pub amended: Option<AmendmentDto>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AmendmentDto {
    pub index: u64,
    pub time_ms: i64,
    pub changes: super::changes::VersionChangesDto,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WithdrawalDto {
    pub index: u64,
    pub time_ms: i64,
    pub reason: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CovenantDetail {
    pub id: String,
    pub movement: String,
    pub cluster: String,
    pub year: i32,
    /// Oldest first.
    pub versions: Vec<VersionDto>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventDto {
    /// The log index.
    pub index: u64,
    pub time_ms: i64,
    pub actor: String,
    pub kind: String,
    /// The unit the event concerns, if any.
    pub unit: Option<String>,
    /// The event's content as the in-memory model's JSON form (the serialisation of
    /// `thidua_domain::Payload`), for display: it is **not** the log's canonical `data` and may
    /// differ from it for some kinds (`covenant_drafted`, the vote and the year-end kinds among
    /// them) and whenever the model changes. The canonical bytes, which the leaf
    /// hashes cover and whose `data` `docs/event-encoding.md` defines, are served by
    /// `GET /api/v1/log/entries`.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// Newest first.
    pub items: Vec<EventDto>,
    /// Pass as `before` to get the next (older) page; absent at the start of the log.
    pub next_before: Option<u64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub display_name: String,
    /// True for the invented people of the demonstration.
    pub demo: bool,
    /// Roles as `admin`, `secretariat:CLUSTER`, `officer:UNIT`, `leader:UNIT`, `supervisor:CLUSTER`,
    /// `ministry_supervisor` (read-only, every cluster).
    pub roles: Vec<String>,
}

/// A page of a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
}

/// `offset` and `limit` (1–500, default 50).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items to skip.
    pub offset: Option<usize>,
    /// 1–500, default 50 (larger values are taken as 500).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<usize>,
}

impl PageQuery {
    pub fn page<T>(&self, all: Vec<T>) -> Page<T> {
        let limit = self.limit.unwrap_or(50).clamp(1, 500);
        let offset = self.offset.unwrap_or(0);
        let total = all.len();
        Page {
            items: all.into_iter().skip(offset).take(limit).collect(),
            total,
            offset,
            limit,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReceiptDto {
    pub first_index: u64,
    pub count: u64,
    /// The signed checkpoint (C2SP signed note) covering the new events.
    pub checkpoint: String,
}

impl From<thidua_service::Receipt> for ReceiptDto {
    fn from(r: thidua_service::Receipt) -> Self {
        Self {
            first_index: r.first_index,
            count: r.count,
            checkpoint: r.checkpoint,
        }
    }
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn kind_name(k: UnitKind) -> String {
    snake(&k)
}

pub fn method_name(m: LeadershipMethod) -> String {
    snake(&m)
}

/// A draft's or a lineage record's withdrawal.
fn withdrawal_dto(w: &thidua_domain::state::Withdrawal) -> WithdrawalDto {
    WithdrawalDto {
        index: w.index,
        time_ms: w.time_ms,
        reason: w.reason.to_string(),
    }
}

pub fn lineage_name(k: LineageKind) -> String {
    snake(&k)
}

pub fn target_kind_name(k: TargetKind) -> String {
    snake(&k)
}

pub fn comparison_name(c: Comparison) -> String {
    snake(&c)
}

pub fn cluster_summary(state: &State, id: &ClusterId) -> Option<ClusterSummary> {
    let c = state.clusters.get(id)?;
    Some(ClusterSummary {
        id: id.to_string(),
        name: c.cluster.name.to_string(),
        years: c.years.keys().copied().collect(),
    })
}

pub fn clusters(state: &State, scope: &Scope) -> Vec<ClusterSummary> {
    let mut out: Vec<ClusterSummary> = scope
        .visible_clusters(state)
        .iter()
        .filter_map(|id| cluster_summary(state, id))
        .collect();
    sort_by_name(&mut out, |x| &x.name);
    out
}

pub fn cluster_detail(
    state: &State,
    scope: &Scope,
    id: &ClusterId,
    year: Option<i32>,
) -> Result<ClusterDetail, ApiError> {
    if !scope.can_view_cluster(state, id) {
        return Err(ApiError::not_found());
    }
    let c = state.clusters.get(id).ok_or_else(ApiError::not_found)?;
    let years: Vec<i32> = c.years.keys().copied().collect();
    let year = year.or_else(|| years.last().copied());
    let cy = year.and_then(|y| c.years.get(&y));
    let leader = |l: &thidua_domain::model::Leadership| LeaderDto {
        unit: unit_ref(state, &l.unit),
        method: method_name(l.method),
        decision: l.decision.to_string(),
    };
    let covenants = state
        .covenants
        .values()
        .filter(|cov| &cov.cluster == id && Some(cov.year) == year)
        .map(|cov| covenant_summary(state, cov))
        .collect();
    Ok(ClusterDetail {
        id: id.to_string(),
        name: c.cluster.name.to_string(),
        year,
        years,
        members: cy
            .map(|y| sorted_refs(state, &y.members))
            .unwrap_or_default(),
        head: cy.and_then(|y| y.head.as_ref()).map(leader),
        deputy: cy.and_then(|y| y.deputy.as_ref()).map(leader),
        covenants,
    })
}

pub fn unit_summary(state: &State, id: &UnitId) -> Option<UnitSummary> {
    let u = state.units.get(id)?;
    Some(UnitSummary {
        id: id.to_string(),
        name: u.name.to_string(),
        short_code: u.short_code.to_string(),
        kind: kind_name(u.kind),
        parent: u.parent.as_ref().map(|p| p.to_string()),
        established: u.established.to_string(),
        dissolved: u.dissolved.map(|d| d.to_string()),
    })
}

pub fn units(state: &State, scope: &Scope) -> Vec<UnitSummary> {
    let mut out: Vec<UnitSummary> = scope
        .visible_units(state)
        .iter()
        .filter_map(|id| unit_summary(state, id))
        .collect();
    sort_units_by_name(&mut out, |x| &x.name);
    out
}

pub fn unit_detail(state: &State, scope: &Scope, id: &UnitId) -> Result<UnitDetail, ApiError> {
    if !scope.can_view_unit(state, id) {
        return Err(ApiError::not_found());
    }
    let u = state.units.get(id).ok_or_else(ApiError::not_found)?;
    let lineage = state
        .lineage
        .iter()
        .filter(|r| r.change.predecessors.contains(id) || r.change.successors.contains(id))
        .map(|r| LineageDto {
            index: r.at,
            kind: lineage_name(r.change.kind),
            effective: r.change.effective.to_string(),
            decision: r.change.decision.to_string(),
            predecessors: sorted_refs(state, &r.change.predecessors),
            successors: sorted_refs(state, &r.change.successors),
            withdrawn: r.withdrawn.as_ref().map(withdrawal_dto),
        })
        .collect();
    // The years in which this unit was a member, not the cluster's every year.
    let clusters = state
        .clusters
        .iter()
        .filter(|(cid, _)| scope.can_view_cluster(state, cid))
        .filter_map(|(cid, c)| {
            let years: Vec<i32> = c
                .years
                .iter()
                .filter(|(_, y)| y.members.contains(id))
                .map(|(y, _)| *y)
                .collect();
            (!years.is_empty()).then(|| ClusterSummary {
                id: cid.to_string(),
                name: c.cluster.name.to_string(),
                years,
            })
        })
        .collect();
    Ok(UnitDetail {
        unit: unit_summary(state, id).ok_or_else(ApiError::not_found)?,
        former_names: u
            .former_names
            .iter()
            .map(|(n, c, until)| FormerName {
                name: n.to_string(),
                short_code: c.to_string(),
                until: until.to_string(),
            })
            .collect(),
        lineage,
        clusters,
    })
}

/// Every declared year's public holidays, by year.
pub fn holidays(state: &State) -> Vec<HolidaysDto> {
    state
        .holidays
        .iter()
        .map(|(year, d)| HolidaysDto {
            year: *year,
            days: d.days.iter().map(ToString::to_string).collect(),
            working_days: d.working_days.iter().map(ToString::to_string).collect(),
            reference: d.reference.to_string(),
            declared_at: d.index,
        })
        .collect()
}

pub fn movements(state: &State) -> Vec<MovementDto> {
    state
        .movements
        .values()
        .map(|m| MovementDto {
            id: m.id.to_string(),
            name: m.name.to_string(),
            year: m.year,
            plan_ref: m.plan_ref.to_string(),
            slogan: m.slogan.as_ref().map(|s| s.to_string()),
            windows: m
                .calendar
                .iter()
                .map(|w| CalendarWindowDto {
                    key: w.key.clone(),
                    name: w.name.to_string(),
                    start: w.start.to_string(),
                    end: w.end.to_string(),
                })
                .collect(),
        })
        .collect()
}

pub fn covenant_summary(_state: &State, c: &Covenant) -> CovenantSummary {
    let v = c.latest();
    CovenantSummary {
        id: c.id.to_string(),
        movement: c.movement.to_string(),
        cluster: c.cluster.to_string(),
        year: c.year,
        title: v.content.title.to_string(),
        latest_version: v.version,
        frozen: v.frozen_at.is_some(),
        withdrawn: v.withdrawn.is_some(),
        signed: v.signatures.len(),
        members: v.members.len(),
    }
}

pub fn covenants(state: &State, scope: &Scope) -> Vec<CovenantSummary> {
    // What the user sees, computed once, not once per covenant.
    let vis = scope.visibility(state);
    state
        .covenants
        .values()
        .filter(|c| vis.sees_cluster(&c.cluster))
        .map(|c| covenant_summary(state, c))
        .collect()
}

/// A target as the API gives it.
pub fn target_dto(t: &thidua_domain::model::Target) -> TargetDto {
    TargetDto {
        id: t.id.to_string(),
        area: t.area.to_string(),
        kind: target_kind_name(t.kind),
        subject: t.subject.to_string(),
        comparison: comparison_name(t.comparison),
        threshold: t.threshold.map(|d| d.normalize().to_string()),
        range: t
            .range
            .map(|(a, b)| vec![a.normalize().to_string(), b.normalize().to_string()]),
        baseline_year: t.baseline_year,
        unit_of_measure: t.unit_of_measure.as_ref().map(|u| u.to_string()),
        indicator: t.indicator.clone(),
    }
}

fn version_dto(state: &State, c: &Covenant, v: &CovenantVersion) -> VersionDto {
    let mut signatures: Vec<SignatureDto> = v
        .members
        .iter()
        .map(|m| {
            let s = v.signatures.get(m);
            SignatureDto {
                unit: unit_ref(state, m),
                signed: s.is_some(),
                signer: s.map(|s| s.signer.to_string()),
                index: s.map(|s| s.index),
                time_ms: s.map(|s| s.time_ms),
            }
        })
        .collect();
    sort_units_by_name(&mut signatures, |x| &x.unit.name);
    VersionDto {
        version: v.version,
        hash: v.hash.clone(),
        title: v.content.title.to_string(),
        place: v.content.place.to_string(),
        signing_date: v.content.signing_date.to_string(),
        drafted_at: v.drafted_at,
        frozen_at: v.frozen_at,
        withdrawn: v.withdrawn.as_ref().map(withdrawal_dto),
        regulation_sha256: v.content.regulation.sha256.clone(),
        targets: v.content.targets.iter().map(target_dto).collect(),
        signatures,
        changes: super::changes::changes_dto(state, c, v.version),
        amended: v.amended.as_ref().and_then(|a| {
            Some(AmendmentDto {
                index: a.index,
                time_ms: a.time_ms,
                changes: super::changes::amendment_dto(state, c, v.version)?,
            })
        }),
    }
}

pub fn covenant_detail(
    state: &State,
    scope: &Scope,
    id: &CovenantId,
) -> Result<CovenantDetail, ApiError> {
    let c = state.covenants.get(id).ok_or_else(ApiError::not_found)?;
    if !scope.can_view_covenant(state, c) {
        return Err(ApiError::not_found());
    }
    Ok(CovenantDetail {
        id: c.id.to_string(),
        movement: c.movement.to_string(),
        cluster: c.cluster.to_string(),
        year: c.year,
        versions: c
            .versions
            .iter()
            .map(|v| version_dto(state, c, v))
            .collect(),
    })
}

pub fn user_dto(u: &thidua_domain::model::User) -> UserDto {
    UserDto {
        id: u.id.to_string(),
        display_name: u.display_name.to_string(),
        demo: u.demo,
        roles: u.roles.iter().map(Role::to_string).collect(),
    }
}

/// Users the viewer may see, optionally only those holding a role on `unit`.
pub fn users(
    state: &State,
    scope: &Scope,
    unit: Option<&UnitId>,
) -> Result<Vec<UserDto>, ApiError> {
    if let Some(u) = unit {
        if !scope.can_admin_unit(u) {
            return Err(ApiError::forbidden());
        }
    }
    let mut out: Vec<UserDto> = state
        .users
        .values()
        .filter(|u| scope.can_view_user(state, &u.id))
        .filter(|u| {
            unit.is_none_or(|unit| {
                u.roles.iter().any(|r| {
                    matches!(r, Role::Officer { unit: x } | Role::Leader { unit: x } if x == unit)
                })
            })
        })
        .map(user_dto)
        .collect();
    sort_by_name(&mut out, |x| &x.display_name);
    Ok(out)
}

pub fn user_detail(state: &State, scope: &Scope, id: &UserId) -> Result<UserDto, ApiError> {
    if !scope.can_view_user(state, id) {
        return Err(ApiError::not_found());
    }
    state
        .users
        .get(id)
        .map(user_dto)
        .ok_or_else(ApiError::not_found)
}

pub use thidua_domain::history::concerns;

/// The history's view of an event: `data` is the model's JSON form of the payload (see
/// [`EventDto::data`]), not the log's canonical `data`.
pub fn event_dto(e: &Event) -> EventDto {
    let value = serde_json::to_value(&e.payload).unwrap_or_default();
    EventDto {
        index: e.index,
        time_ms: e.time_ms,
        actor: e.actor.to_string(),
        kind: e.payload.kind().to_owned(),
        unit: e.payload.unit().map(|u| u.to_string()),
        data: value.get("data").cloned().unwrap_or_default(),
    }
}
