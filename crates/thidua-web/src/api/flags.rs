//! Integrity flags over HTTP: a covenant's flags per unit and window, with their reasons in
//! Vietnamese and English, each unit's reporting-quality figure, and the CSV export
//! (`unit,period,kind,reason,explanation`). Computed from the approved figures
//! (`thidua_domain::integrity`), kept up to date per covenant ([`FlagsCache`]); a unit's flags are shown only to whom
//! [`Scope::reads_flags`] allows. Flags never change a score.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use thidua_domain::explanations::{newest_by_flag, Explanation, FlagRef};
use thidua_domain::integrity::incremental::{Flags, Incremental};
use thidua_domain::integrity::{self, Flag, FlagKind, Settings};
use thidua_domain::progress;
use thidua_domain::{CovenantId, State as DomainState, UnitId};
use utoipa::{IntoParams, ToSchema};

use super::dto::{unit_ref, UnitRef};
use super::extract::ApiQuery;
use super::figures::visible_covenant;
use super::parse_id;
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::i18n::{flags as i18n, Lang};
use crate::AppState;

/// One flag.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FlagDto {
    pub unit: UnitRef,
    /// `2024-M05`: the reporting year and the window.
    pub period: String,
    pub year: i32,
    pub window: String,
    /// `funnel_drop`, `series_break`, `year_change`, `near_target` or `data_quality`.
    pub kind: String,
    pub reason_vi: String,
    pub reason_en: String,
    /// The numbers the reason states (exact decimals as strings).
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    /// What the flag is about within its kind: `funnel:from:to` (a funnel drop), an element's
    /// id (a series break, a near-target change); none for data quality. With the unit, period
    /// and kind it names the flag for an explanation (`explain_flag`).
    pub subject: Option<String>,
    /// The unit leader's newest explanation of this flag (giải trình), if any.
    pub explanation: Option<ExplanationDto>,
    /// The English reason in pieces, the regulation's Vietnamese names told apart
    /// ([`i18n::reason_parts`]), for the pages; not part of the API.
    #[serde(skip)]
    pub reason_en_parts: Vec<i18n::Part>,
}

/// A unit leader's explanation of a flag: its text, who wrote it, its log index and time.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExplanationDto {
    pub text: String,
    pub by: String,
    pub by_name: String,
    pub index: u64,
    pub time_ms: i64,
}

/// A unit's reporting quality over the covenant's year.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct QualityDto {
    pub unit: UnitRef,
    pub reported: usize,
    pub late: usize,
    pub corrected: usize,
}

/// A covenant's flags as the viewer may see them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FlagsDto {
    pub covenant: String,
    pub title: String,
    pub year: i32,
    /// Units whose flags the viewer sees (sorted by name).
    pub units: Vec<UnitRef>,
    pub flags: Vec<FlagDto>,
    pub quality: Vec<QualityDto>,
    /// "Số liệu tính đến ngày": the cut-off of the latest month approved without a gap by the
    /// units shown (yyyy-mm-dd; none approved yet: null). Flags are computed on approved
    /// figures only.
    pub as_of: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FlagsQuery {
    /// Only this unit's flags (404 when the viewer may not read them).
    pub unit: Option<String>,
    /// Only this window (`2024-M05`; the year's data quality: `2024-Y`).
    pub period: Option<String>,
    /// Only this kind: `funnel_drop`, `series_break`, `year_change`, `near_target` or `data_quality` (400 for
    /// another).
    pub kind: Option<String>,
}

/// The DTO of a flag, with its newest explanation found in `explained` ([`newest_by_flag`]).
fn flag_dto(
    state: &DomainState,
    explained: &HashMap<&FlagRef, &Explanation>,
    unit: &UnitId,
    f: &Flag,
) -> FlagDto {
    let explanation = explained.get(&FlagRef::of(f)).map(|e| {
        let (by, by_name) = match &e.by {
            thidua_domain::Actor::User(u) => (
                u.to_string(),
                state
                    .users
                    .get(u)
                    .map_or_else(|| u.to_string(), |x| x.display_name.to_string()),
            ),
            thidua_domain::Actor::System => (String::new(), String::new()),
        };
        ExplanationDto {
            text: e.text.to_string(),
            by,
            by_name,
            index: e.index,
            time_ms: e.time_ms,
        }
    });
    // The English reason is its pieces joined: worded once.
    let reason_en_parts = i18n::reason_parts(Lang::En, f);
    FlagDto {
        unit: unit_ref(state, unit),
        period: f.period.label(),
        year: f.period.year,
        window: f.period.window.clone(),
        kind: f.kind.code().to_owned(),
        reason_vi: f.reason_vi(),
        reason_en: i18n::text_of(&reason_en_parts),
        reason_en_parts,
        detail: serde_json::to_value(&f.detail).unwrap_or_default(),
        subject: f.subject(),
        explanation,
    }
}

/// The flags remembered per covenant: the exact value at a log size, kept up to date unit by
/// unit by the domain ([`integrity::incremental::Incremental`]: after an approval only the
/// approving unit's part is recomputed, with the peer comparison), and the latest value
/// computed at any size, for pages that only summarise flags and must not wait for a
/// computation from nothing (a national covenant's first one takes a second or two).
#[derive(Default)]
pub struct FlagsCache {
    exact: crate::derived::Derived<CovenantId, Incremental, Flags>,
    latest: Mutex<HashMap<CovenantId, (u64, Arc<Flags>)>>,
    refreshing: Mutex<HashSet<CovenantId>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Every member's flags at `state`'s log size, remembered.
fn exact(app: &AppState, state: &DomainState, id: &CovenantId) -> Result<Arc<Flags>, ApiError> {
    let computed = app.flags.exact.get(id, state.size, |c| {
        c.compute(state, id, &Settings::default())
    })?;
    let mut latest = lock(&app.flags.latest);
    if latest.get(id).is_none_or(|(at, _)| *at < state.size) {
        latest.insert(id.clone(), (state.size, Arc::clone(&computed)));
    }
    Ok(computed)
}

/// The latest flags computed for the covenant and the log size they were computed at: at once
/// when any exist (and, when older than `state`, a recomputation starts in the background),
/// else computed now.
fn recent(
    app: &AppState,
    state: &DomainState,
    id: &CovenantId,
) -> Result<(u64, Arc<Flags>), ApiError> {
    let known = lock(&app.flags.latest).get(id).cloned();
    let Some((at, computed)) = known else {
        return Ok((state.size, exact(app, state, id)?));
    };
    if at < state.size {
        refresh_in_background(app, id);
    }
    Ok((at, computed))
}

/// Starts computing the covenant's flags at the log's newest size in the background, unless
/// that is already under way.
fn refresh_in_background(app: &AppState, id: &CovenantId) {
    if lock(&app.flags.refreshing).insert(id.clone()) {
        let refreshing = Refreshing(app.clone(), id.clone());
        std::thread::spawn(move || {
            let Refreshing(app, id) = &refreshing;
            let _ = exact(app, &app.service.read(), id);
        });
    }
}

/// The latest flags computed for the covenant, if any, and the log size they were computed
/// at; when there are none or they are older than `state`, a computation starts in the
/// background (one per covenant at a time).
fn known_or_refresh(
    app: &AppState,
    state: &DomainState,
    id: &CovenantId,
) -> Option<(u64, Arc<Flags>)> {
    let known = lock(&app.flags.latest).get(id).cloned();
    if known.as_ref().is_none_or(|(at, _)| *at < state.size) {
        refresh_in_background(app, id);
    }
    known
}

/// A background recomputation of a covenant's flags: its mark in `refreshing` goes when it
/// ends, even by a panic, so that a later page starts another.
struct Refreshing(AppState, CovenantId);

impl Drop for Refreshing {
    fn drop(&mut self) {
        lock(&self.0.flags.refreshing).remove(&self.1);
    }
}

/// The flags of a covenant the viewer may read (all kinds), and the domain flags themselves
/// for the CSV and the page, at `state`'s log size.
pub fn flags_of(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    q: &FlagsQuery,
) -> Result<(FlagsDto, Vec<Flag>), ApiError> {
    let (dto, flags, _) = flags_page_of(app, state, scope, id, q, |n| 0..n)?;
    Ok((dto, flags))
}

/// As [`flags_of`], with only the flags at the positions `select` picks among the `n` the viewer
/// may read (a page of them) in the DTO and the list, and that `n`.
pub fn flags_page_of(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    q: &FlagsQuery,
    select: impl FnOnce(usize) -> std::ops::Range<usize>,
) -> Result<(FlagsDto, Vec<Flag>, usize), ApiError> {
    visible_covenant(state, scope, id)?;
    viewers_share(state, scope, id, q, &*exact(app, state, id)?, select)
}

/// The integrity flags of `units` that the viewer may read, counted by unit id, from the latest
/// flags computed without waiting for newer ones (see [`FlagsCache`]), with the log size they
/// were computed at.
pub fn counts_recent<'u>(
    app: &AppState,
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    units: impl IntoIterator<Item = &'u str>,
) -> Result<(u64, BTreeMap<String, usize>), ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let (at, computed) = recent(app, state, id)?;
    // The flags are sorted by unit: each asked unit's run is found by bisection, so a page
    // costs its own units, not the covenant's.
    let flags = &computed.flags;
    let counts = units
        .into_iter()
        .filter_map(|u| {
            let start = flags.partition_point(|f| f.unit.as_str() < u);
            let n = flags[start..].iter().take_while(|f| f.unit == u).count();
            let readable =
                n > 0 && UnitId::parse(u).is_ok_and(|unit| scope.reads_flags(state, c, &unit));
            readable.then(|| (u.to_owned(), n))
        })
        .collect();
    Ok((at, counts))
}

/// How many flags the covenant has on the units `wanted` accepts, and how many of them have
/// no explanation yet, from the latest flags computed, never waiting (see [`FlagsCache`]; none
/// computed yet: none, and the computation starts in the background). For the home pages: the
/// unit's leader, who alone may explain them, and those who oversee the cluster.
pub fn explained_counts_recent(
    app: &AppState,
    state: &DomainState,
    id: &CovenantId,
    wanted: impl Fn(&str) -> bool,
) -> (usize, usize) {
    let Some((_, computed)) = known_or_refresh(app, state, id) else {
        return (0, 0);
    };
    let explained = newest_by_flag(state.explanations(id));
    let flags: Vec<&Flag> = computed.flags.iter().filter(|f| wanted(&f.unit)).collect();
    let unexplained = flags
        .iter()
        .filter(|f| !explained.contains_key(&FlagRef::of(f)))
        .count();
    (flags.len(), unexplained)
}

/// What of `computed` the viewer may read, filtered by the query.
fn viewers_share(
    state: &DomainState,
    scope: &Scope,
    id: &CovenantId,
    q: &FlagsQuery,
    computed: &Flags,
    select: impl FnOnce(usize) -> std::ops::Range<usize>,
) -> Result<(FlagsDto, Vec<Flag>, usize), ApiError> {
    let c = visible_covenant(state, scope, id)?;
    let readable: Vec<UnitId> = state
        .sorted_by_place(state.members(&c.cluster, c.year)?)
        .into_iter()
        .map(|u| u.id.clone())
        .filter(|u| scope.reads_flags(state, c, u))
        .collect();
    if let Some(u) = &q.unit {
        if !readable.iter().any(|r| r.as_str() == u) {
            return Err(ApiError::not_found());
        }
    }
    let kind = match q.kind.as_deref() {
        None => None,
        Some(code) => Some(FlagKind::from_code(code).ok_or_else(|| {
            ApiError::bad_request(
                "unknown_flag_kind",
                format!(
                    "no flag kind {code:?}: funnel_drop, series_break, year_change, near_target or data_quality"
                ),
            )
        })?),
    };
    // Units in the order of their names; flags and quality figures follow it.
    let by_id: HashMap<&str, usize> = readable
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let wanted = |u: &str| by_id.contains_key(u) && q.unit.as_deref().is_none_or(|w| w == u);
    let mut matching: Vec<&Flag> = computed
        .flags
        .iter()
        .filter(|f| wanted(&f.unit))
        .filter(|f| q.period.as_deref().is_none_or(|p| p == f.period.label()))
        .filter(|f| kind.is_none_or(|k| k == f.kind))
        .collect();
    // Stable: each unit's flags stay in window and kind order.
    matching.sort_by_key(|f| by_id[f.unit.as_str()]);
    let total = matching.len();
    let flags: Vec<Flag> = matching[select(total)]
        .iter()
        .map(|f| (*f).clone())
        .collect();
    let unit_id = |s: &str| by_id.get(s).map(|i| readable[*i].clone());
    let explained = newest_by_flag(state.explanations(id));
    let mut quality: Vec<_> = computed
        .quality
        .iter()
        .filter(|x| wanted(&x.unit))
        .collect();
    quality.sort_by_key(|x| by_id[x.unit.as_str()]);
    let dto = FlagsDto {
        covenant: id.to_string(),
        title: c.latest().content.title.to_string(),
        year: c.year,
        as_of: progress::as_of(state, id, readable.iter().filter(|u| wanted(u.as_str())))
            .map(|d| d.to_string()),
        units: readable.iter().map(|u| unit_ref(state, u)).collect(),
        flags: flags
            .iter()
            .filter_map(|f| Some(flag_dto(state, &explained, &unit_id(&f.unit)?, f)))
            .collect(),
        quality: quality
            .into_iter()
            .filter_map(|x| {
                Some(QualityDto {
                    unit: unit_ref(state, &unit_id(&x.unit)?),
                    reported: x.reported,
                    late: x.late,
                    corrected: x.corrected,
                })
            })
            .collect(),
    };
    Ok((dto, flags, total))
}

/// A covenant's integrity flags per unit and window, and each unit's reporting quality.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/flags", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), FlagsQuery),
    responses((status = 200, body = FlagsDto), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FlagsQuery>,
) -> Result<Json<FlagsDto>, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let dto = app
        .blocking(move |app| Ok(flags_of(app, &app.service.read(), &viewer.scope, &id, &q)?.0))
        .await?;
    Ok(Json(dto))
}

/// The flags the viewer may read as CSV: `unit,period,kind,reason,explanation` (the reason in
/// Vietnamese; the explanation is the leader's newest, empty where there is none).
#[utoipa::path(get, path = "/api/v1/covenants/{id}/flags/export", tag = "figures",
    params(("id" = String, Path, description = "covenant id"), FlagsQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FlagsQuery>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id, CovenantId::parse)?;
    let file = format!("attachment; filename=\"dau-hieu_{id}.csv\"");
    let csv = app
        .blocking(move |app| {
            let state = app.service.read();
            let flags = flags_of(app, &state, &viewer.scope, &id, &q)?.1;
            let explained = newest_by_flag(state.explanations(&id));
            Ok(integrity::csv(&flags, |f| {
                explained.get(&FlagRef::of(f)).map(|e| e.text.as_str())
            }))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, file),
        ],
        csv,
    )
        .into_response())
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/covenants/{id}/flags", get(list))
        .route("/api/v1/covenants/{id}/flags/export", get(export))
}
