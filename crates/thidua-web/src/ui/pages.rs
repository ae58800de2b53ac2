//! The reading pages and signing: home ("what needs my action now"), cluster, covenant with the
//! signing confirmation, unit, unit administration, history. Each checks [`crate::authz`]
//! through the shared builders in [`crate::api::dto`]; invisible things answer 404.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use thidua_domain::model::Role;
use thidua_domain::{ClusterId, CovenantId, UnitId};

use super::{render, role_label, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::api::{self as api_mod, EventQuery};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::Strings;
use crate::AppState;

/// A covenant the viewer's unit must sign.
pub struct ToSign {
    pub covenant: String,
    pub title: String,
    pub version: u32,
    pub unit: UnitRef,
}

/// A covenant of the viewer's cluster still missing signatures.
pub struct Pending {
    pub covenant: String,
    pub title: String,
    pub missing: Vec<UnitRef>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    roles: Vec<String>,
    to_sign: Vec<ToSign>,
    pending: Vec<Pending>,
    units: Vec<UnitRef>,
    clusters: Vec<ClusterSummary>,
    covenants: Vec<CovenantSummary>,
}

pub async fn home(State(app): State<AppState>, viewer: Viewer) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let scope = &viewer.scope;
    let led = scope.led_units();
    let managed = scope.managed_clusters();
    let own_units = scope.own_units();
    let mut to_sign = Vec::new();
    let mut pending = Vec::new();
    for c in state.covenants.values() {
        let v = c.latest();
        if v.frozen_at.is_some() {
            continue;
        }
        for m in &v.members {
            if led.contains(m) && !v.signatures.contains_key(m) {
                to_sign.push(ToSign {
                    covenant: c.id.to_string(),
                    title: v.content.title.to_string(),
                    version: v.version,
                    unit: unit_ref(&state, m),
                });
            }
        }
        // Officers see their unit's pending signature (their leader signs); the secretariat,
        // supervisors and administrators see which members are still to sign.
        let own_pending = v
            .members
            .iter()
            .any(|m| own_units.contains(m) && !led.contains(m) && !v.signatures.contains_key(m));
        let oversees = scope.is_admin()
            || managed.contains(&c.cluster)
            || scope.roles.contains(&Role::Supervisor {
                cluster: c.cluster.clone(),
            });
        if oversees || own_pending {
            let missing: Vec<UnitId> = v
                .members
                .iter()
                .filter(|m| !v.signatures.contains_key(*m))
                .cloned()
                .collect();
            pending.push(Pending {
                covenant: c.id.to_string(),
                title: v.content.title.to_string(),
                missing: sorted_refs(&state, &missing),
            });
        }
    }
    let own: Vec<UnitId> = scope.own_units().into_iter().cloned().collect();
    let page = HomePage {
        l: Layout::new(&viewer, t.home_title),
        roles: scope
            .roles
            .iter()
            .map(|r| role_label(t, &state, r))
            .collect(),
        to_sign,
        pending,
        units: sorted_refs(&state, &own),
        clusters: dto::clusters(&state, scope),
        covenants: dto::covenants(&state, scope),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "cluster.html")]
struct ClusterPage {
    l: Layout,
    c: ClusterDetail,
    /// The viewer may set this cluster's membership and leadership (secretariat, admin).
    can_manage: bool,
    /// For the membership form: every unit, and whether it is a member in the shown year.
    units: Vec<(UnitRef, bool)>,
    /// For the drafting form: every movement, and the values typed so far.
    movements: Vec<MovementDto>,
    draft: DraftValues,
    errors: super::admin::FieldErrors,
    saved: bool,
}

/// What the covenant drafting form holds (kept when the form comes back with errors).
#[derive(Clone, Debug, Default)]
pub struct DraftValues {
    pub id: String,
    pub movement: String,
    pub title: String,
    pub place: String,
    pub date: String,
    pub targets: String,
    pub regulation: String,
}

impl ClusterPage {
    fn movement_selected(&self, id: &str) -> bool {
        self.draft.movement == id
    }

    fn is_year(&self, y: &i32) -> bool {
        self.c.year == Some(*y)
    }

    fn method(&self, m: &str) -> &'static str {
        if m == "elected" {
            self.l.t.elected
        } else {
            self.l.t.assigned
        }
    }
}

#[derive(Deserialize)]
pub struct YearParam {
    year: Option<String>,
    saved: Option<String>,
}

pub async fn cluster(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<YearParam>,
) -> Response {
    let year = q.year.and_then(|y| y.trim().parse().ok());
    cluster_view(
        &app,
        &viewer,
        &id,
        year,
        super::admin::FieldErrors::default(),
        q.saved.is_some(),
        DraftValues::default(),
    )
}

/// The cluster page, with the management forms for its secretariat and administrators.
pub fn cluster_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    year: Option<i32>,
    errors: super::admin::FieldErrors,
    saved: bool,
    draft: DraftValues,
) -> Response {
    let state = app.service.read();
    let detail = ClusterId::parse(id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| cluster_detail(&state, &viewer.scope, &id, year).map(|c| (id, c)));
    let (id, c) = match detail {
        Ok(x) => x,
        Err(e) => return viewer_error(viewer, e),
    };
    let can_manage = viewer.scope.is_admin() || viewer.scope.managed_clusters().contains(&id);
    let units = if can_manage {
        let all: Vec<UnitId> = state.units.keys().cloned().collect();
        sorted_refs(&state, &all)
            .into_iter()
            .map(|u| {
                let member = c.members.iter().any(|m| m.id == u.id);
                (u, member)
            })
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&ClusterPage {
        l: Layout::new(viewer, c.name.clone()),
        c,
        can_manage,
        units,
        movements: if can_manage {
            dto::movements(&state)
        } else {
            Vec::new()
        },
        draft,
        errors,
        saved,
    });
    *res.status_mut() = status;
    res
}

/// One target as shown in the table.
pub struct TargetRow {
    pub area: String,
    pub subject: String,
    pub kind: &'static str,
    pub requirement: String,
    pub baseline: String,
}

fn target_row(t: &Strings, x: &TargetDto) -> TargetRow {
    let uom = x.unit_of_measure.clone().unwrap_or_default();
    let value = x
        .threshold
        .as_deref()
        .map(crate::format::decimal_str)
        .unwrap_or_default();
    let join = |word: &str| {
        format!("{word} {value}{}{uom}", if uom == "%" { "" } else { " " })
            .trim()
            .to_owned()
    };
    let requirement = match x.comparison.as_str() {
        "at_least" => join(t.cmp_at_least),
        "above" => join(t.cmp_above),
        "at_most" => join(t.cmp_at_most),
        "below" => join(t.cmp_below),
        "equal" => join(t.cmp_equal),
        "between" => match &x.range {
            Some(r) if r.len() == 2 => format!(
                "{} {}–{}{}",
                t.cmp_between,
                crate::format::decimal_str(&r[0]),
                crate::format::decimal_str(&r[1]),
                if uom == "%" {
                    uom.clone()
                } else {
                    format!(" {uom}")
                }
            )
            .trim()
            .to_owned(),
            _ => t.cmp_between.to_owned(),
        },
        "holds" => t.cmp_holds.to_owned(),
        _ => t.cmp_judged.to_owned(),
    };
    let kind = match x.kind.as_str() {
        "change" => t.tk_change,
        "rate" => t.tk_rate,
        "count" => t.tk_count,
        "yes_no" => t.tk_yes_no,
        _ => t.tk_qualitative,
    };
    TargetRow {
        area: x.area.clone(),
        subject: x.subject.clone(),
        kind,
        requirement,
        baseline: x.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
    }
}

/// A unit the viewer leads that may sign the shown version now.
pub struct SignOption {
    pub unit: UnitRef,
}

#[derive(Template)]
#[template(path = "covenant.html")]
struct CovenantPage {
    l: Layout,
    c: CovenantDetail,
    cluster_name: String,
    movement_name: String,
    latest: VersionDto,
    targets: Vec<TargetRow>,
    can_sign: Vec<SignOption>,
    signed_now: bool,
    /// `Some("amend")` while the latest draft has no signature, `Some("propose")` once it is
    /// frozen, for the cluster's secretariat and administrators; `None` otherwise.
    edit: Option<&'static str>,
    draft: DraftValues,
    errors: super::admin::FieldErrors,
}

impl CovenantPage {
    fn time(&self, ms: &i64) -> String {
        crate::format::time_ms(*ms)
    }

    fn signed_count(&self, v: &VersionDto) -> usize {
        v.signatures.iter().filter(|s| s.signed).count()
    }
}

#[derive(Deserialize)]
pub struct SignedParam {
    signed: Option<String>,
}

pub async fn covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<SignedParam>,
) -> Response {
    covenant_view(
        &app,
        &viewer,
        &id,
        q.signed.is_some(),
        None,
        super::admin::FieldErrors::default(),
    )
}

/// The covenant page; `draft` carries the editing form's values when it comes back with errors.
pub fn covenant_view(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    signed_now: bool,
    draft: Option<DraftValues>,
    errors: super::admin::FieldErrors,
) -> Response {
    let t = viewer.lang.strings();
    let state = app.service.read();
    let detail = CovenantId::parse(id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| covenant_detail(&state, &viewer.scope, &id));
    let c = match detail {
        Ok(c) => c,
        Err(e) => return viewer_error(viewer, e),
    };
    let latest = c
        .versions
        .last()
        .cloned()
        .expect("a covenant has a version");
    let led = viewer.scope.led_units();
    let can_sign = if latest.frozen_at.is_none() {
        latest
            .signatures
            .iter()
            .filter(|s| !s.signed && led.iter().any(|u| u.as_str() == s.unit.id))
            .map(|s| SignOption {
                unit: s.unit.clone(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let cluster_id = ClusterId::parse(&c.cluster).ok();
    let manages = viewer.scope.is_admin()
        || cluster_id
            .as_ref()
            .is_some_and(|cl| viewer.scope.managed_clusters().contains(cl));
    let edit = match (
        manages,
        latest.frozen_at.is_some(),
        latest.signatures.iter().any(|s| s.signed),
    ) {
        (false, _, _) => None,
        (true, true, _) => Some("propose"),
        (true, false, false) => Some("amend"),
        (true, false, true) => None,
    };
    let draft = draft.unwrap_or_else(|| {
        let content = CovenantId::parse(id).ok().and_then(|cid| {
            state
                .covenants
                .get(&cid)
                .map(|cv| cv.latest().content.clone())
        });
        match content {
            Some(content) => DraftValues {
                id: c.id.clone(),
                movement: c.movement.clone(),
                title: content.title.to_string(),
                place: content.place.to_string(),
                date: crate::format::date(&content.signing_date),
                targets: super::targets::format(&content.targets),
                regulation: content.regulation.text.clone(),
            },
            None => DraftValues::default(),
        }
    });
    let cluster_name = cluster_id
        .and_then(|id| state.clusters.get(&id).map(|x| x.cluster.name.to_string()))
        .unwrap_or_else(|| c.cluster.clone());
    let movement_name = state
        .movements
        .values()
        .find(|m| m.id.as_str() == c.movement)
        .map(|m| format!("{} {}", m.name, m.year))
        .unwrap_or_else(|| c.movement.clone());
    drop(state);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CovenantPage {
        l: Layout::new(viewer, latest.title.clone()),
        targets: latest.targets.iter().map(|x| target_row(t, x)).collect(),
        cluster_name,
        movement_name,
        latest,
        can_sign,
        signed_now,
        edit,
        draft,
        errors,
        c,
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    res
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignPage {
    l: Layout,
    covenant: String,
    title: String,
    version: u32,
    hash: String,
    hash_groups: Vec<String>,
    unit: UnitRef,
}

#[derive(Deserialize)]
pub struct UnitParam {
    unit: Option<String>,
}

/// The confirmation page: shows the covenant version's hash before the leader signs.
pub async fn sign_confirm(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitParam>,
) -> Response {
    let state = app.service.read();
    let detail = CovenantId::parse(&id)
        .map_err(|_| ApiError::not_found())
        .and_then(|id| covenant_detail(&state, &viewer.scope, &id));
    let c = match detail {
        Ok(c) => c,
        Err(e) => return viewer_error(&viewer, e),
    };
    let Some(unit) = q.unit.and_then(|u| UnitId::parse(&u).ok()) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !(viewer.scope.is_admin()
        || viewer
            .scope
            .roles
            .contains(&Role::Leader { unit: unit.clone() }))
    {
        return viewer_error(&viewer, ApiError::forbidden());
    }
    let latest = c.versions.last().expect("a version");
    let page = SignPage {
        l: Layout::new(&viewer, viewer.lang.strings().sign_confirm_title),
        covenant: c.id.clone(),
        title: latest.title.clone(),
        version: latest.version,
        hash_groups: latest
            .hash
            .as_bytes()
            .chunks(8)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect(),
        hash: latest.hash.clone(),
        unit: unit_ref(&state, &unit),
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct SignForm {
    unit: String,
    version: String,
    hash: String,
}

pub async fn sign(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<SignForm>,
) -> Response {
    let parsed = (
        CovenantId::parse(&id),
        UnitId::parse(&form.unit),
        form.version.parse::<u32>(),
    );
    let (Ok(covenant), Ok(unit), Ok(version)) = parsed else {
        return viewer_error(&viewer, ApiError::bad_request("invalid_value", "bad form"));
    };
    match api_mod::sign(&app, &viewer, covenant.clone(), version, unit, form.hash).await {
        Ok(_) => Redirect::to(&format!("/covenants/{covenant}?signed=1")).into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    l: Layout,
    u: UnitDetail,
    kind: &'static str,
    can_admin: bool,
    /// The unit's people and roles (only for the unit itself and administrators).
    people: Vec<(UserDto, Vec<String>)>,
}

fn kind_label(t: &Strings, kind: &str) -> &'static str {
    match kind {
        "ministry" => t.kind_ministry,
        "ministry_department" => t.kind_ministry_department,
        "provincial_police" => t.kind_provincial_police,
        _ => t.kind_commune_police,
    }
}

pub async fn unit(State(app): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let t = viewer.lang.strings();
    let Ok(id) = UnitId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let state = app.service.read();
    let can_admin = viewer.scope.can_admin_unit(&id);
    let detail = unit_detail(&state, &viewer.scope, &id);
    match detail {
        Ok(u) => {
            let people = if can_admin {
                unit_people(t, &state, &viewer, &id)
            } else {
                Vec::new()
            };
            render(&UnitPage {
                l: Layout::new(&viewer, u.unit.name.clone()),
                kind: kind_label(t, &u.unit.kind),
                can_admin,
                people,
                u,
            })
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// The people holding a role on `unit`, with their roles in words.
fn unit_people(
    t: &Strings,
    state: &thidua_domain::State,
    viewer: &Viewer,
    unit: &UnitId,
) -> Vec<(UserDto, Vec<String>)> {
    users(state, &viewer.scope, Some(unit))
        .unwrap_or_default()
        .into_iter()
        .map(|u| {
            let labels = u
                .roles
                .iter()
                .map(|r| super::role_str_label(t, state, r))
                .collect();
            (u, labels)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "unit_admin.html")]
struct UnitAdminPage {
    l: Layout,
    unit: UnitRef,
    users: Vec<(UserDto, Vec<String>)>,
}

/// A unit's administration page: its people and their roles. Only the unit and administrators.
pub async fn unit_admin(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let t = viewer.lang.strings();
    let Ok(id) = UnitId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if !viewer.scope.can_admin_unit(&id) {
        return viewer_error(
            &viewer,
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", "not this unit"),
        );
    }
    let state = app.service.read();
    if !state.units.contains_key(&id) {
        return viewer_error(&viewer, ApiError::not_found());
    }
    let users = match users(&state, &viewer.scope, Some(&id)) {
        Ok(u) => u,
        Err(e) => return viewer_error(&viewer, e),
    };
    let page = UnitAdminPage {
        l: Layout::new(&viewer, t.unit_admin_title),
        unit: unit_ref(&state, &id),
        users: users
            .into_iter()
            .map(|u| {
                let labels = u
                    .roles
                    .iter()
                    .map(|r| super::role_str_label(t, &state, r))
                    .collect();
                (u, labels)
            })
            .collect(),
    };
    render(&page)
}

/// One event in the history table.
pub struct EventRow {
    pub index: u64,
    pub time: String,
    pub actor: String,
    pub kind: &'static str,
    pub unit: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    l: Layout,
    rows: Vec<EventRow>,
    units: Vec<UnitSummary>,
    kinds: Vec<(&'static str, &'static str)>,
    unit: String,
    kind: String,
    next_before: Option<u64>,
}

impl HistoryPage {
    fn kind_selected(&self, k: &str) -> bool {
        self.kind == k
    }

    fn unit_selected(&self, u: &str) -> bool {
        self.unit == u
    }
}

/// The event kinds offered by the history filter.
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
];

fn summary(data: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    if let Some(map) = data.as_object() {
        for (k, v) in map {
            if matches!(k.as_str(), "content" | "calendar") {
                continue;
            }
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            parts.push(format!("{k}: {v}"));
        }
    }
    let s = parts.join(" · ");
    if s.chars().count() > 160 {
        s.chars().take(160).collect::<String>() + "…"
    } else {
        s
    }
}

#[derive(Deserialize, Default)]
pub struct HistoryParams {
    unit: Option<String>,
    kind: Option<String>,
    before: Option<u64>,
}

pub async fn history(
    State(app): State<AppState>,
    viewer: Viewer,
    Query(q): Query<HistoryParams>,
) -> Response {
    let t = viewer.lang.strings();
    let query = EventQuery {
        unit: q.unit.clone(),
        kind: q.kind.clone(),
        before: q.before,
        limit: Some(50),
    };
    let page = match api_mod::history(&app, &viewer.scope, query).await {
        Ok(p) => p,
        Err(e) => return viewer_error(&viewer, e),
    };
    let state = app.service.read();
    let rows = page
        .items
        .iter()
        .map(|e| EventRow {
            index: e.index,
            time: crate::format::time_ms(e.time_ms),
            actor: e.actor.clone(),
            kind: t.event_kind(&e.kind),
            unit: e
                .unit
                .as_deref()
                .and_then(|u| UnitId::parse(u).ok())
                .map(|u| unit_ref(&state, &u).name)
                .unwrap_or_default(),
            summary: summary(&e.data),
        })
        .collect();
    let page = HistoryPage {
        l: Layout::new(&viewer, t.history_title),
        rows,
        units: dto::units(&state, &viewer.scope),
        kinds: EVENT_KINDS.iter().map(|k| (*k, t.event_kind(k))).collect(),
        unit: q.unit.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        next_before: page.next_before,
    };
    render(&page)
}
