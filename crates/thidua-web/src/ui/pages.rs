//! The reading pages: home ("what needs my action now"), cluster (with the secretariat's
//! forms), unit, unit administration. Each checks [`crate::authz`] through the shared builders
//! in [`crate::api::dto`]; invisible things answer 404. The covenant and history pages have
//! modules of their own.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::model::Role;
use thidua_domain::{ClusterId, UnitId};

use super::{render, role_label, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::auth::Viewer;
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
