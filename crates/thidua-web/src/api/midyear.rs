//! The mid-year review (sơ kết 6 tháng) over HTTP: the frozen snapshot of a covenant (each
//! member's progress and provisional score through month 6, the log index it was computed at
//! and its SHA-256), the command that freezes it (the secretariat, once month 6 has closed) and
//! its XLSX export. Published to whoever sees the covenant: its cluster's members, their
//! supervisor, the secretariat and administrators ([`crate::authz`]). The rules are the
//! domain's ([`thidua_domain::midyear`]); nothing here decides.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use thidua_domain::midyear::{self, MidyearReviewFrozen, Review};
use thidua_domain::model::Target;
use thidua_domain::{Command, CovenantId, State as DomainState};
use utoipa::ToSchema;

use super::dto::{unit_ref, ReceiptDto, UnitRef};
use super::figures::visible_covenant;
use super::progress::TargetStatus;
use super::{execute, parse_id};
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// A target of the covenant as the review names it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MidTargetRef {
    pub id: String,
    pub subject: String,
    /// The unit of the values in the target's terms (`to_date`, `projected`): the covenant's.
    pub unit_of_measure: Option<String>,
    /// The unit of `measured` and `same_period`: the regulation's element or indicator's
    /// ("vụ" for a count of accidents whose target is a reduction in per cent), the covenant's
    /// for a change indicator, whose `measured` the page and the workbook say as its
    /// reduction.
    pub measured_unit: Option<String>,
    /// The shape key (`reduce_at_least`, `rate_above`, …), as progress names it.
    pub shape: String,
    /// A change target measured by a change indicator (`pct_change`): its `measured` is that
    /// change in per cent, a decrease negative (the opposite sign of `to_date`, a reduction),
    /// and its `same_period` the indicator's own change a year earlier, which compares with
    /// nothing: the page and the workbook say the change as the progress page does ("giảm
    /// 15,7%") and show no same-period figure.
    pub change_indicator: bool,
    /// A range target's bounds (`giảm từ 5% đến 10%`: 5 and 10), in the target's terms.
    pub range: Option<(String, String)>,
    /// The level the covenant sets, as its sentence in Vietnamese and English (as progress
    /// carries it).
    pub sentence_vi: String,
    pub sentence_en: String,
}

/// One target of one unit at the review. Exact values (a decimal or `p/q`), in the target's
/// terms as on the progress page.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MidTargetDto {
    pub target: String,
    /// The indicator through month 6 and over the same months last year (cùng kỳ).
    pub measured: Option<String>,
    pub same_period: Option<String>,
    pub to_date: Option<String>,
    pub projected: Option<String>,
    /// As progress says it (`thidua_domain::midyear::shown_status`): the status the review
    /// recorded, a range target missed only beyond its far end `beyond_range`.
    pub status: TargetStatus,
}

/// One member at the review.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MidUnitDto {
    pub unit: UnitRef,
    /// The last month counted (at most 6) and its cut-off (yyyy-mm-dd).
    pub through: Option<u8>,
    pub as_of: Option<String>,
    /// The provisional total through that month (manual criteria not scored).
    pub provisional_total: Option<String>,
    pub score_status: Option<String>,
    /// How the year end was projected: `seasonal`, `linear`, `mixed`, `none`.
    pub method: String,
    pub targets: Vec<MidTargetDto>,
}

/// How complete a member's figures are for the review (`thidua_domain::midyear::completeness`):
/// what the secretariat reads before freezing it, once and for ever.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MidCompletenessDto {
    pub unit: UnitRef,
    /// Of the member's reported windows of months 1 to 6, how many are approved.
    pub approved: u8,
    pub windows: u8,
    /// The last month the review would count (approved with every month before it).
    pub through: Option<u8>,
    /// Every window through month 6 approved.
    pub complete: bool,
}

/// A frozen review.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FrozenDto {
    /// The log index of the event, which is also the log size the snapshot was computed at.
    pub index: u64,
    /// SHA-256 (hex) of the snapshot's canonical serialisation (`docs/event-encoding.md`).
    pub sha256: String,
    /// When and by whom (yyyy-mm-dd, user id).
    pub frozen_on: String,
    pub frozen_by: String,
    pub version: u32,
    /// SHA-256 of the regulation in force.
    pub regulation: String,
    /// "Số liệu tính đến ngày": the latest cut-off counted (yyyy-mm-dd).
    pub as_of: Option<String>,
    pub units: Vec<MidUnitDto>,
}

/// A covenant's mid-year review: frozen or not, and whether the viewer may freeze it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MidyearDto {
    pub covenant: String,
    pub title: String,
    pub cluster_name: String,
    pub year: i32,
    /// The cut-off of month 6 (yyyy-mm-dd); the review can be frozen from the next day.
    pub cutoff: Option<String>,
    pub targets: Vec<MidTargetRef>,
    pub frozen: Option<FrozenDto>,
    /// The viewer is the cluster's secretariat or an administrator and nothing is frozen yet.
    pub can_freeze: bool,
    /// Until the review is frozen (empty after), each member's figures through month 6 as
    /// they stand, in sorted member order.
    pub completeness: Vec<MidCompletenessDto>,
}

fn target_refs(state: &DomainState, id: &CovenantId) -> Vec<MidTargetRef> {
    let Ok((c, version)) = state.signed_covenant(id) else {
        return Vec::new();
    };
    let reg = thidua_domain::engine_data::regulation(state, id).ok();
    let is_element = |i: &str| {
        reg.as_ref()
            .is_some_and(|r| r.ast().elements.iter().any(|e| e.id == i))
    };
    // The regulation's unit of an element or indicator.
    let unit_of = |i: &str| {
        let ast = reg.as_ref()?.ast();
        let element = ast.elements.iter().find(|e| e.id == i).map(|e| &e.unit);
        let indicator = ast.indicators.iter().find(|x| x.id == i).map(|x| &x.unit);
        element.or(indicator)?.clone()
    };
    c.version(version)
        .expect("in force")
        .content
        .targets
        .iter()
        .filter(|t| t.indicator.is_some())
        .map(|t| {
            let change_indicator = t.kind == thidua_domain::model::TargetKind::Change
                && t.indicator.as_deref().is_some_and(|i| !is_element(i));
            let unit_of_measure = t.unit_of_measure.as_ref().map(|u| u.to_string());
            let measured_unit = match change_indicator {
                true => unit_of_measure.clone(),
                false => t.indicator.as_deref().and_then(unit_of),
            };
            MidTargetRef {
                id: t.id.to_string(),
                subject: t.subject.to_string(),
                unit_of_measure,
                measured_unit,
                shape: thidua_domain::target::shape_key(t.kind, t.comparison)
                    .unwrap_or_default()
                    .to_owned(),
                change_indicator,
                range: t
                    .range
                    .map(|(a, b)| (a.normalize().to_string(), b.normalize().to_string())),
                sentence_vi: thidua_domain::wording::sentence(&thidua_domain::wording::VI, t),
                sentence_en: thidua_domain::wording::sentence(&thidua_domain::wording::EN, t),
            }
        })
        .collect()
}

fn frozen_dto(state: &DomainState, r: &Review) -> FrozenDto {
    let e = &r.frozen;
    let targets = covenant_targets(state, &e.covenant);
    let cutoff_of = |m: Option<u8>| {
        let calendar = state.calendar(&e.covenant).ok()?;
        calendar.cutoff(m?).map(|d| d.to_string())
    };
    FrozenDto {
        index: r.index,
        sha256: e.sha256.clone(),
        frozen_on: thidua_domain::figures::local_date(r.time_ms).to_string(),
        frozen_by: r.by.to_string().trim_start_matches("user:").to_owned(),
        version: e.version,
        regulation: e.regulation.clone(),
        as_of: e.as_of.map(|d| d.to_string()),
        units: e
            .units
            .iter()
            .map(|u| MidUnitDto {
                unit: unit_ref(state, &u.unit),
                through: u.through,
                as_of: u.through.and_then(|m| cutoff_of(Some(m))),
                provisional_total: u.total.clone(),
                score_status: u.score_status.clone(),
                method: u.method.clone(),
                targets: u
                    .targets
                    .iter()
                    .map(|t| MidTargetDto {
                        target: t.target.clone(),
                        measured: t.measured.clone(),
                        same_period: t.same_period.clone(),
                        to_date: t.to_date.clone(),
                        projected: t.projected.clone(),
                        status: midyear::shown_status(targets.get(t.target.as_str()).copied(), t)
                            .into(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The covenant's targets in force, by id.
fn covenant_targets<'s>(
    state: &'s DomainState,
    id: &CovenantId,
) -> std::collections::HashMap<&'s str, &'s Target> {
    state
        .signed_covenant(id)
        .map(|(c, v)| {
            c.version(v)
                .expect("in force")
                .content
                .targets
                .iter()
                .map(|t| (t.id.as_str(), t))
                .collect()
        })
        .unwrap_or_default()
}

/// The review of a covenant the viewer may see.
pub fn midyear_dto(
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
) -> Result<MidyearDto, ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let review = state.midyear.get(id);
    let completeness = match review {
        Some(_) => Vec::new(),
        None => midyear::completeness(state, id)
            .unwrap_or_default()
            .into_iter()
            .map(|c| MidCompletenessDto {
                unit: unit_ref(state, &c.unit),
                approved: c.approved,
                windows: c.windows,
                through: c.through,
                complete: c.complete(),
            })
            .collect(),
    };
    Ok(MidyearDto {
        completeness,
        covenant: id.to_string(),
        title: c.latest().content.title.to_string(),
        cluster_name: state
            .clusters
            .get(&c.cluster)
            .map(|x| x.cluster.name.to_string())
            .unwrap_or_default(),
        year: c.year,
        cutoff: midyear::cutoff(state, id).ok().map(|d| d.to_string()),
        targets: target_refs(state, id),
        frozen: review.map(|r| frozen_dto(state, r)),
        can_freeze: review.is_none() && c.in_force().is_some() && scope.manages(&c.cluster),
    })
}

/// The review's workbook (XLSX, in Vietnamese), once frozen; each target's status as the pages
/// say it (`midyear::shown_status`).
pub fn xlsx(state: &DomainState, scope: &Scope, id: &CovenantId) -> Result<Vec<u8>, ApiError> {
    let status = |code: &str| crate::i18n::progress::VI.status(code);
    let dto = midyear_dto(state, scope, id)?;
    let review = state.midyear.get(id).ok_or_else(ApiError::not_found)?;
    let frozen: &MidyearReviewFrozen = &review.frozen;
    let targets = covenant_targets(state, id);
    // A yes/no target's value is said in words on the page ("Đạt"): the workbook writes them.
    let helpers = crate::ui::progress::Helpers::new(crate::i18n::Lang::Vi);
    let shapes: std::collections::HashMap<&str, (&str, &Option<String>)> = dto
        .targets
        .iter()
        .map(|t| (t.id.as_str(), (t.shape.as_str(), &t.unit_of_measure)))
        .collect();
    let words = |h: &thidua_import::midyear::TargetHead, raw: &str| {
        let (shape, unit) = shapes.get(h.id.as_str())?;
        helpers.words(raw, shape, unit)
    };
    let shown = |t: &thidua_domain::midyear::TargetSnapshot| {
        status(midyear::shown_status(targets.get(t.target.as_str()).copied(), t).code())
    };
    let book = thidua_import::midyear::Review {
        frozen,
        covenant_title: &dto.title,
        cluster_name: &dto.cluster_name,
        frozen_on: thidua_domain::figures::local_date(review.time_ms),
        unit_names: frozen
            .units
            .iter()
            .map(|u| unit_ref(state, &u.unit).name)
            .collect(),
        targets: dto
            .targets
            .iter()
            .map(|t| thidua_import::midyear::TargetHead {
                id: t.id.clone(),
                subject: t.subject.clone(),
                level: t.sentence_vi.clone(),
                unit_of_measure: (t.shape != "yes_no")
                    .then(|| t.unit_of_measure.clone())
                    .flatten(),
                measured_unit: t.measured_unit.clone(),
                change_indicator: t.change_indicator,
            })
            .collect(),
        status: &shown,
        words: &words,
    };
    thidua_import::midyear::write(&book).map_err(ApiError::internal)
}

/// The workbook as a download.
pub fn xlsx_response(id: &CovenantId, bytes: Vec<u8>) -> Response {
    xlsx_download(&format!("so-ket-6-thang-{id}.xlsx"), bytes)
}

/// An XLSX workbook as a download named `file_name` (ASCII, no quotes).
pub fn xlsx_download(file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Freezes the review of `id` for the viewer (the domain decides whether it may, and refuses
/// an incomplete review unless `acknowledge_incomplete`).
pub async fn freeze(
    app: &AppState,
    viewer: &Viewer,
    id: CovenantId,
    acknowledge_incomplete: bool,
) -> Result<ReceiptDto, ApiError> {
    {
        let state = app.service.read();
        visible_covenant(&state, &viewer.scope, &id)?;
    }
    execute(
        app,
        viewer,
        vec![Command::FreezeMidyearReview {
            covenant: id,
            acknowledge_incomplete,
        }],
    )
    .await
}

/// The body of the freeze (optional: no body, or `null`, is `{}`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FreezeRequest {
    /// The caller has read `completeness` (`GET …/midyear`) and freezes the review although
    /// some members do not have all their figures through month 6 approved: the review is
    /// frozen once, for good, counting each member's months approved without a gap from
    /// month 1. Without it such a review is refused (`midyear_incomplete`); a review whose
    /// members all have months 1 to 6 approved needs nothing. Default `false`.
    #[serde(default)]
    pub acknowledge_incomplete: bool,
}

/// A covenant's mid-year review (frozen: null until the secretariat freezes it).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/midyear", tag = "progress",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, body = MidyearDto), (status = 404, body = ErrorBody)))]
pub async fn get_review(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<MidyearDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let state = app.service.read();
    Ok(Json(midyear_dto(&state, &viewer.scope, &id)?))
}

/// Freezes the mid-year review (sơ kết 6 tháng), once and for good.
///
/// The covenant's secretariat (or an administrator), after the cut-off of month 6, once per
/// covenant: each member's progress and provisional score through month 6 as the approved
/// figures stand. While some member does not have all its figures through month 6 approved
/// (`completeness` of `GET …/midyear`), the body must acknowledge it
/// (`{"acknowledge_incomplete": true}`), as the page's confirmation box does; otherwise the
/// body may be empty or `{}`.
#[utoipa::path(post, path = "/api/v1/covenants/{id}/midyear", tag = "progress",
    params(("id" = String, Path, description = "covenant id")),
    request_body(content = FreezeRequest, content_type = "application/json",
        description = "optional (no body is `{}`): `acknowledge_incomplete` to freeze while some members' figures through month 6 are not all approved"),
    responses((status = 200, body = ReceiptDto),
        (status = 400, body = ErrorBody, description = "invalid_body: a body that is not the request's JSON (unknown fields, wrong types)"),
        (status = 403, body = ErrorBody, description = "not the cluster's secretariat"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "midyear_exists: already frozen"),
        (status = 422, body = ErrorBody, description = "midyear_incomplete (some members' figures through month 6 are not all approved and the body does not acknowledge it), midyear_too_early (month 6 has not closed), midyear_no_figures, midyear_too_late or covenant_not_signed")))]
pub async fn post_review(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<ReceiptDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    {
        // Who may not freeze it is told so (403) before the body is read.
        let state = app.service.read();
        let cluster = visible_covenant(&state, &viewer.scope, &id)?
            .cluster
            .clone();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        let manage = thidua_domain::authz::Permission::ManageCluster(cluster);
        thidua_domain::authz::authorise(&state, &actor, &manage)?;
    }
    let req: FreezeRequest = if body.iter().all(u8::is_ascii_whitespace) {
        FreezeRequest::default()
    } else {
        serde_json::from_slice::<Option<FreezeRequest>>(&body)
            .map_err(|e| {
                ApiError::bad_request("invalid_body", format!("the body is not the request: {e}"))
            })?
            .unwrap_or_default()
    };
    Ok(Json(
        freeze(&app, &viewer, id, req.acknowledge_incomplete).await?,
    ))
}

/// The frozen review as a workbook (Vietnamese headings, values rounded by the engine's rule).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/midyear.xlsx", tag = "progress",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 200, description = "the workbook (XLSX)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = ErrorBody, description = "not visible, or not frozen yet")))]
pub async fn get_xlsx(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let answer = id.clone();
    let bytes = app
        .blocking(move |app| xlsx(&app.service.read(), &viewer.scope, &id))
        .await?;
    Ok(xlsx_response(&answer, bytes))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/api/v1/covenants/{id}/midyear",
            get(get_review).post(post_review),
        )
        .route("/api/v1/covenants/{id}/midyear.xlsx", get(get_xlsx))
}
