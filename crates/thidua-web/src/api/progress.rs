//! Progress during the year over HTTP: a covenant's progress (every member's provisional score
//! and targets to date, cùng kỳ, projection and status), one unit's (with the engine's
//! explanation per criterion), and the overview of every cluster the viewer oversees. Computed
//! by [`thidua_domain::progress`] from approved figures only, so it shows nothing a member of
//! the cluster could not read; the covenant must be visible to the viewer ([`crate::authz`]),
//! the overview is for supervisors, secretariats and administrators.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use thidua_domain::model::{Role, Target};
use thidua_domain::progress::{self, Progress, TargetProgress, UnitProgress};
use thidua_domain::{CovenantId, State as DomainState, UnitId};
use thidua_scoring::Exact;
use utoipa::ToSchema;

use super::dto::{unit_ref, UnitRef};
use super::figures::visible_covenant;
use super::parse_id;
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// An exact value as the API carries it: a decimal, or `p/q` when it has no finite decimal form.
pub fn exact(x: &Exact) -> String {
    x.to_string()
}

fn opt(x: &Option<Exact>) -> Option<String> {
    x.as_ref().map(exact)
}

/// A target of the covenant, as progress follows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TargetRef {
    pub id: String,
    pub subject: String,
    /// The shape key (`reduce_at_least`, `rate_above`, …).
    pub shape: String,
    pub threshold: Option<String>,
    pub range: Option<(String, String)>,
    pub unit_of_measure: Option<String>,
    /// The regulation's indicator or data element that measures it.
    pub indicator: String,
    /// The target as the covenant words it, in Vietnamese ("Giảm ít nhất 5% so với năm 2023")
    /// and in English ("Reduce by at least 5% compared with 2023").
    pub sentence_vi: String,
    pub sentence_en: String,
}

/// Where a target stands, as the domain decides it once (`thidua_domain::progress::status`)
/// for the covenant's progress, the unit's, the overview's counts and the mid-year review:
/// `on_track` (met to date and at the projected year end), `at_risk` (one of the two),
/// `off_track` (neither), `beyond_range` (a range target, "giảm từ 5% đến 10%", missed only
/// beyond its far end, a 13,04% reduction: not behind schedule) or `unknown` (not enough
/// approved figures, or judged by people).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    OnTrack,
    AtRisk,
    OffTrack,
    BeyondRange,
    Unknown,
}

impl From<progress::Status> for TargetStatus {
    fn from(s: progress::Status) -> TargetStatus {
        match s {
            progress::Status::OnTrack => TargetStatus::OnTrack,
            progress::Status::AtRisk => TargetStatus::AtRisk,
            progress::Status::OffTrack => TargetStatus::OffTrack,
            progress::Status::BeyondRange => TargetStatus::BeyondRange,
            progress::Status::Unknown => TargetStatus::Unknown,
        }
    }
}

impl TargetStatus {
    /// The status's code, as the JSON writes it (`beyond_range`).
    pub fn code(self) -> &'static str {
        match self {
            TargetStatus::OnTrack => progress::Status::OnTrack,
            TargetStatus::AtRisk => progress::Status::AtRisk,
            TargetStatus::OffTrack => progress::Status::OffTrack,
            TargetStatus::BeyondRange => progress::Status::BeyondRange,
            TargetStatus::Unknown => progress::Status::Unknown,
        }
        .code()
    }
}

/// One target of one unit. Values are exact (decimal or `p/q`); `to_date` and `projected` are
/// in the target's terms (a change as the reduction in per cent).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TargetProgressDto {
    pub target: String,
    /// The indicator to date, and over the same windows last year (cùng kỳ) as last year read
    /// it: a change indicator against last year's own baseline (2023 against 2022 for a 2024
    /// target against 2023); null where that cannot be known (no figures of that baseline, or
    /// an indicator that would compare last year with itself), never a made-up 0.
    pub measured: Option<String>,
    pub same_period: Option<String>,
    /// For a change indicator (`pct_change(now, before)`), the two values it compares to date
    /// (975 cases against 1,050 in the baseline year's same windows).
    pub compared: Option<(String, String)>,
    /// The reporting year of the value compared with (`compared.1`, else `same_period`): the
    /// indicator's baseline year for `@baseline`, the target's baseline year for an element,
    /// else the year before.
    pub compared_year: Option<i32>,
    pub to_date: Option<String>,
    pub projected: Option<String>,
    pub status: TargetStatus,
    /// A change measured by a data element whose baseline to date is 0: no reduction in per
    /// cent (`to_date` is absent), so a target that needs a rate is `unknown`, while a "không
    /// tăng" target (a reduction ≥ 0) is judged by the counts (0 against 0 is `0`, no change).
    pub zero_baseline: bool,
    /// Month by month to date, this year (index 0 = month 1) and all of last year, in the
    /// target's terms; last year's as last year read them (a change against last year's own
    /// baseline, `last_year_compared_year`), null for a month that cannot be known.
    pub series: Vec<Option<String>>,
    pub last_year: Vec<Option<String>>,
    /// For a change target, the year last year's values compare with (the year before the
    /// target's baseline year): 2022 for a 2024 target against 2023.
    pub last_year_compared_year: Option<i32>,
    /// For a change target, the count it compares month by month to date this year, known
    /// even where the percentage is not (a merged unit's incomplete baseline); empty for any
    /// other target.
    pub counts: Vec<Option<String>>,
    /// Where the compared value is missing for a merged unit: the units of its lineage
    /// without approved figures of that year (never a partial sum).
    pub compared_lacking: Option<LackingDto>,
    /// Where last year's line cannot be drawn for a merged unit: who lacks approved figures of
    /// which year.
    pub last_year_lacking: Option<LackingDto>,
}

/// The units of a merged unit's lineage without approved figures of an earlier `year`: why a
/// value that needs that year is missing.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LackingDto {
    pub year: i32,
    /// The last month of `year` the value reads: each unit named lacks approved figures of at
    /// least one of months 1 to `through`, not necessarily of all.
    #[schema(minimum = 1, maximum = 12)]
    pub through: u8,
    pub units: Vec<UnitRef>,
}

fn lacking_dto(state: &DomainState, l: &Option<progress::Lacking>) -> Option<LackingDto> {
    l.as_ref().map(|l| LackingDto {
        year: l.year,
        through: l.through,
        units: l.units.iter().map(|u| unit_ref(state, u)).collect(),
    })
}

impl TargetProgressDto {
    /// What the pages show as the value to date: the count behind a change (known even where
    /// what it compares with is not), else the indicator.
    pub fn shown_now(&self) -> Option<String> {
        match (&self.compared, self.counts.last()) {
            (Some((now, _)), _) => Some(now.clone()),
            (None, Some(Some(now))) => Some(now.clone()),
            _ => self.measured.clone(),
        }
    }

    /// What the pages show beside it: the count a change compares with, else cùng kỳ.
    pub fn shown_before(&self) -> Option<String> {
        match &self.compared {
            Some((_, before)) => Some(before.clone()),
            None => self.same_period.clone(),
        }
    }
}

/// One member's progress.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitProgressDto {
    pub unit: UnitRef,
    /// The last month approved without a gap, and its cut-off (yyyy-mm-dd).
    pub through: Option<u8>,
    pub as_of: Option<String>,
    /// The provisional total (what is scored so far; manual criteria not scored yet).
    pub provisional_total: Option<String>,
    /// The engine's status of the whole (`not_scored` while manual criteria are not scored).
    pub score_status: Option<String>,
    /// How the year end was projected: `seasonal`, `linear`, `mixed`, `none`.
    pub method: String,
    pub targets: Vec<TargetProgressDto>,
    /// Without a total to date, the units of a merged unit's lineage without approved figures
    /// of a year the score reads: why.
    pub score_lacking: Option<LackingDto>,
}

/// A covenant's progress.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProgressDto {
    pub covenant: String,
    pub title: String,
    pub year: i32,
    /// The cut-off of the latest approved window (yyyy-mm-dd): "Số liệu tính đến ngày".
    pub as_of: Option<String>,
    pub targets: Vec<TargetRef>,
    pub units: Vec<UnitProgressDto>,
}

/// One unit's progress with the engine's full result (criteria, explanation) to date.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UnitDetailDto {
    pub progress: ProgressDto,
    /// The engine's result as `thidua score --format json` gives it (null before any approval).
    #[schema(value_type = Option<Object>)]
    pub score: Option<serde_json::Value>,
    /// How to recompute `score` offline (null before any approval).
    pub recompute: Option<RecomputeDto>,
}

/// What recomputes a unit's provisional score offline: the export of the approved figures up
/// to the last month it counts, the regulation in force, and the command with the period the
/// score is computed over (`thidua score … --period 2025-M01..M02 --unit KG`), which gives the
/// same score.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RecomputeDto {
    /// The window the score counts through (`M02`) and the period over which it is computed.
    pub window: String,
    pub period: String,
    /// The unit's id in the data file (its short code).
    pub unit: String,
    /// The figures export up to `window` and the regulation's text (paths of this server).
    pub data: String,
    pub regulation: String,
    pub command: String,
}

/// How to recompute `unit`'s provisional score through month `through` (see [`RecomputeDto`]).
fn recompute(
    state: &DomainState,
    id: &CovenantId,
    unit: &UnitId,
    through: u8,
) -> Option<RecomputeDto> {
    let calendar = state.calendar(id).ok()?;
    let window = calendar.month(through)?.key().to_owned();
    let period = thidua_import::export::score_period(state, id, &window).ok()??;
    let code = thidua_import::export::data_id(state.unit(unit).ok()?);
    let (_, version) = state.regulation_in_force(id).ok()?;
    Some(RecomputeDto {
        data: format!("/api/v1/covenants/{id}/figures/export?window={window}"),
        regulation: format!("/api/v1/covenants/{id}/regulation.toml?version={version}"),
        command: format!(
            "{} --unit {code}",
            thidua_import::export::score_command(&period)
        ),
        period: period.to_string(),
        unit: code,
        window,
    })
}

/// A covenant's line in the overview.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OverviewRow {
    pub cluster: String,
    pub cluster_name: String,
    pub covenant: String,
    pub title: String,
    pub year: i32,
    pub as_of: Option<String>,
    pub units: usize,
    /// Units reporting, and target statuses ([`TargetStatus`]) counted over every unit and
    /// target: a range target missed only beyond its far end is `beyond_range`, counted
    /// neither at risk nor off track.
    pub reporting: usize,
    pub on_track: usize,
    pub at_risk: usize,
    pub off_track: usize,
    pub beyond_range: usize,
    pub unknown: usize,
}

/// A cluster's year with members but no covenant in force: nothing of it can be tracked yet.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwaitingCovenant {
    pub cluster: String,
    pub cluster_name: String,
    pub year: i32,
    pub members: usize,
    /// The open draft of the year, if one is being signed.
    pub draft: Option<String>,
    /// How many members have signed the open draft's latest version.
    pub signed: usize,
}

/// Every signed covenant's progress of the clusters the viewer oversees, and their years that
/// have members but no covenant in force yet.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OverviewDto {
    pub rows: Vec<OverviewRow>,
    pub awaiting: Vec<AwaitingCovenant>,
}

/// A range target's bounds as the API writes them ("5", "10").
fn range_of(t: &Target) -> Option<(String, String)> {
    t.range
        .map(|(a, b)| (a.normalize().to_string(), b.normalize().to_string()))
}

fn target_ref(t: &Target) -> TargetRef {
    TargetRef {
        id: t.id.to_string(),
        subject: t.subject.to_string(),
        shape: thidua_domain::target::shape_key(t.kind, t.comparison)
            .unwrap_or_default()
            .to_owned(),
        threshold: t.threshold.map(|d| d.normalize().to_string()),
        range: range_of(t),
        unit_of_measure: t.unit_of_measure.as_ref().map(|u| u.to_string()),
        indicator: t.indicator.clone().unwrap_or_default(),
        sentence_vi: thidua_domain::wording::sentence(&thidua_domain::wording::VI, t),
        sentence_en: thidua_domain::wording::sentence(&thidua_domain::wording::EN, t),
    }
}

fn target_dto(state: &DomainState, t: &TargetProgress) -> TargetProgressDto {
    TargetProgressDto {
        target: t.target.clone(),
        measured: opt(&t.measured),
        same_period: opt(&t.same_period),
        compared: t.compared.as_ref().map(|(a, b)| (exact(a), exact(b))),
        compared_year: t.compared_year,
        to_date: opt(&t.to_date),
        projected: opt(&t.projected),
        status: t.status.into(),
        zero_baseline: t.zero_baseline,
        series: t.series.iter().map(opt).collect(),
        last_year: t.last_year.iter().map(opt).collect(),
        last_year_compared_year: t.last_year_compared_year,
        counts: t.counts.iter().map(opt).collect(),
        compared_lacking: lacking_dto(state, &t.compared_lacking),
        last_year_lacking: lacking_dto(state, &t.last_year_lacking),
    }
}

fn unit_dto(state: &DomainState, u: &UnitProgress) -> UnitProgressDto {
    let score = u.score.as_ref();
    UnitProgressDto {
        unit: unit_ref(state, &u.unit),
        through: u.through,
        as_of: u.as_of.map(|d| d.to_string()),
        provisional_total: score
            .and_then(|s| s.total.as_ref().or(s.provisional_total.as_ref()))
            .map(exact),
        score_status: score.map(|s| {
            serde_json::to_value(s.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        method: serde_json::to_value(u.method)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        targets: u.targets.iter().map(|t| target_dto(state, t)).collect(),
        score_lacking: lacking_dto(state, &u.score_lacking),
    }
}

/// The progress of a covenant the viewer may see (and the domain's result, for the pages),
/// with the engine's explanation of `explain`'s score.
pub fn progress_dto(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    explain: Option<&UnitId>,
) -> Result<(ProgressDto, Arc<Progress>), ApiError> {
    progress_dto_of(app, state, scope, id, explain, ..)
}

/// As [`progress_dto`], only the members in `members` (positions in sorted member order) in
/// `units`: a page of a large covenant costs what it shows.
pub fn progress_dto_of(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    explain: Option<&UnitId>,
    members: impl std::ops::RangeBounds<usize>,
) -> Result<(ProgressDto, Arc<Progress>), ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let p = progress_of(app, state, id, explain)?;
    let (cov, version) = state.signed_covenant(id)?;
    let content = &cov.version(version).expect("in force").content;
    let dto = ProgressDto {
        covenant: id.to_string(),
        title: content.title.to_string(),
        year: c.year,
        as_of: p.as_of.map(|d| d.to_string()),
        targets: content
            .targets
            .iter()
            .filter(|t| t.indicator.is_some())
            .map(target_ref)
            .collect(),
        units: p
            .units
            .iter()
            .enumerate()
            .filter(|(i, _)| members.contains(i))
            .map(|(_, u)| unit_dto(state, u))
            .collect(),
    };
    Ok((dto, p))
}

/// The covenant's progress at the state's log size, kept up to date member by member by the
/// domain ([`progress::Incremental`], stored per covenant in [`crate::derived`]): after an
/// approval only the approving unit is recomputed, events about anything else recompute
/// nothing, and repeated pages at the same log size cost nothing. With an explanation the
/// explained unit is computed afresh, the others reused.
fn progress_of(
    app: &AppState,
    state: &DomainState,
    id: &CovenantId,
    explain: Option<&UnitId>,
) -> Result<Arc<Progress>, thidua_domain::DomainError> {
    let ask = progress::Ask {
        explain,
        ..progress::Ask::default()
    };
    match explain {
        None => app
            .progress
            .get(id, state.size, |c| c.compute(state, id, ask)),
        Some(_) => app.progress.with(id, |c| c.compute(state, id, ask)),
    }
}

/// One member's progress (only that unit in `units`) and its engine result.
pub fn unit_detail(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    unit: &UnitId,
) -> Result<(UnitDetailDto, Option<thidua_scoring::UnitResult>), ApiError> {
    let (mut dto, p) = progress_dto(app, state, scope, id, Some(unit))?;
    let i = p
        .units
        .iter()
        .position(|u| &u.unit == unit)
        .ok_or_else(ApiError::not_found)?;
    dto.units = vec![dto.units.swap_remove(i)];
    let result = p.units.get(i).and_then(|u| u.score.clone());
    let score = result.as_ref().and_then(|r| serde_json::to_value(r).ok());
    let recompute = p.units[i]
        .through
        .filter(|_| result.is_some())
        .and_then(|m| recompute(state, id, unit, m));
    Ok((
        UnitDetailDto {
            progress: dto,
            score,
            recompute,
        },
        result,
    ))
}

/// Whether the viewer may see the overview: an administrator, a supervisor or a secretariat.
pub fn sees_overview(scope: &Scope) -> bool {
    scope.roles.iter().any(|r| {
        matches!(
            r,
            Role::Admin
                | Role::Supervisor { .. }
                | Role::MinistrySupervisor
                | Role::Secretariat { .. }
        )
    })
}

/// Every signed covenant of the clusters the viewer oversees, newest year first.
pub fn overview_dto(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
) -> Result<OverviewDto, ApiError> {
    if !sees_overview(scope) {
        return Err(ApiError::forbidden());
    }
    let mut rows = Vec::new();
    for (id, c) in &state.covenants {
        if !scope.oversees(&c.cluster) || c.in_force().is_none() {
            continue;
        }
        let Ok(p) = progress_of(app, state, id, None) else {
            continue;
        };
        rows.push(overview_row(state, id, c, &p));
    }
    rows.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then_with(|| thidua_domain::text::collate(&a.cluster_name, &b.cluster_name))
    });
    let mut awaiting = awaiting_covenants(state, scope);
    awaiting.sort_by(|a, b| {
        b.year
            .cmp(&a.year)
            .then_with(|| thidua_domain::text::collate(&a.cluster_name, &b.cluster_name))
    });
    Ok(OverviewDto { rows, awaiting })
}

/// The overseen clusters' years with members and no covenant in force, with the open draft
/// being signed, if any (a withdrawn draft is none).
fn awaiting_covenants(state: &DomainState, scope: &Scope) -> Vec<AwaitingCovenant> {
    let mut out = Vec::new();
    for (id, c) in &state.clusters {
        if !scope.oversees(id) {
            continue;
        }
        for (year, y) in &c.years {
            let covenants: Vec<_> = state
                .covenants
                .values()
                .filter(|v| &v.cluster == id && v.year == *year)
                .collect();
            if y.members.is_empty() || covenants.iter().any(|v| v.in_force().is_some()) {
                continue;
            }
            let draft = covenants.iter().find(|v| v.latest().is_open());
            out.push(AwaitingCovenant {
                cluster: id.to_string(),
                cluster_name: c.cluster.name.to_string(),
                year: *year,
                members: y.members.len(),
                draft: draft.map(|v| v.id.to_string()),
                signed: draft.map_or(0, |v| v.latest().signatures.len()),
            });
        }
    }
    out
}

fn overview_row(
    state: &DomainState,
    id: &CovenantId,
    c: &thidua_domain::state::Covenant,
    p: &Progress,
) -> OverviewRow {
    let count = |status: progress::Status| {
        p.units
            .iter()
            .flat_map(|u| &u.targets)
            .filter(|t| t.status == status)
            .count()
    };
    let title = c
        .in_force()
        .map(|v| v.content.title.to_string())
        .unwrap_or_default();
    OverviewRow {
        cluster: c.cluster.to_string(),
        cluster_name: state
            .clusters
            .get(&c.cluster)
            .map(|x| x.cluster.name.to_string())
            .unwrap_or_default(),
        covenant: id.to_string(),
        title,
        year: c.year,
        as_of: p.as_of.map(|d| d.to_string()),
        units: p.units.len(),
        reporting: p.units.iter().filter(|u| u.through.is_some()).count(),
        on_track: count(progress::Status::OnTrack),
        at_risk: count(progress::Status::AtRisk),
        off_track: count(progress::Status::OffTrack),
        beyond_range: count(progress::Status::BeyondRange),
        unknown: count(progress::Status::Unknown),
    }
}

/// A covenant's progress: every member's provisional score and targets to date.
///
/// Computed by the scoring engine from APPROVED figures only (drafts and submissions awaiting
/// approval never count), through each member's last month approved without a gap; each
/// target to date against cùng kỳ and the covenant's level, projected to the year end, with
/// its status. Whoever sees the covenant reads it.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/progress", tag = "progress",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, body = ProgressDto), (status = 404, body = ErrorBody)))]
pub async fn covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ProgressDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let dto = app
        .blocking(move |app| {
            let state = app.service.read();
            Ok(progress_dto(app, &state, &viewer.scope, &id, None)?.0)
        })
        .await?;
    Ok(Json(dto))
}

/// One member's progress, with the engine's full result and how to recompute it offline.
///
/// `score` is the result `thidua score --json` gives; `recompute` names the figures export,
/// the regulation and the `thidua score --period` (the year to date through the month the
/// score counts: `2025-M01..M02`) that recompute the same score offline.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/progress/{unit}", tag = "progress",
    params(("id" = String, Path, description = "covenant id"), ("unit" = String, Path, description = "unit id")),
    responses((status = 200, body = UnitDetailDto), (status = 404, body = ErrorBody)))]
pub async fn unit(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, unit)): Path<(String, String)>,
) -> Result<Json<UnitDetailDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let unit = parse_id(&unit, UnitId::parse)?;
    let dto = app
        .blocking(move |app| {
            let state = app.service.read();
            Ok(unit_detail(app, &state, &viewer.scope, &id, &unit)?.0)
        })
        .await?;
    Ok(Json(dto))
}

/// Every covenant's progress in one table (administrators, supervisors, secretariats).
///
/// Per covenant the members reporting and the count of targets on track, at risk, off track,
/// beyond a range or without enough figures; and the clusters whose covenant is not signed yet.
#[utoipa::path(get, path = "/api/v1/progress", tag = "progress",
    responses((status = 200, body = OverviewDto), (status = 403, body = ErrorBody)))]
pub async fn overview(
    State(app): State<AppState>,
    viewer: Viewer,
) -> Result<Json<OverviewDto>, ApiError> {
    let dto = app
        .blocking(move |app| overview_dto(app, &app.service.read(), &viewer.scope))
        .await?;
    Ok(Json(dto))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/progress", get(overview))
        .route("/api/v1/covenants/{id}/progress", get(covenant))
        .route("/api/v1/covenants/{id}/progress/{unit}", get(unit))
}
