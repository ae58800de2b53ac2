//! Cluster management forms for the cluster's secretariat (and administrators): the year's
//! member units and the year's head and deputy (the covenant form is [`super::editor`]). Each
//! form becomes one domain command, which the domain authorises again; its refusal is told with
//! names (a merged unit and its successor) next to the field on the cluster page.

use std::collections::HashMap;

use crate::ui::extract::Path;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::model::{LeadershipMethod, LeadershipPosition};
use thidua_domain::text::limits;
use thidua_domain::{ClusterId, Command, Text, UnitId};

use super::admin::FieldErrors;
use super::pages::{cluster_page, cluster_view, ClusterNotices};
use crate::api;
use crate::auth::{CsrfForm, Viewer};
use crate::AppState;

fn year_of(
    form: &HashMap<String, String>,
    errors: &mut FieldErrors,
    lang: crate::i18n::Lang,
    which: &'static str,
) -> Option<i32> {
    let y = form
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y));
    if y.is_none() {
        errors.push(which, "year", lang.error("invalid_value"));
    }
    y
}

async fn run(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    year: i32,
    command: Command,
    (which, field): (&'static str, &'static str),
    (ticked, typed): (Option<Vec<UnitId>>, HashMap<String, String>),
) -> Response {
    // A refusal shows the form as submitted (the membership's ticks, the leadership's
    // choices), not as stored.
    let shown = |errors| {
        let notices = ClusterNotices {
            ticked: ticked.clone(),
            typed: typed.clone(),
            ..ClusterNotices::default()
        };
        cluster_page(app, viewer, id, Some(year), errors, notices)
    };
    // The domain's answer first, to tell a refusal with names.
    let refused = {
        let state = app.service.read();
        let actor = thidua_domain::Actor::User(viewer.user.clone());
        crate::api::dry_run(&state, &actor, viewer.now_ms, command.clone())
            .err()
            .filter(|e| !matches!(e.code(), "forbidden"))
            .map(|e| super::names::domain_error(viewer.lang, &state, &e))
    };
    let result = match refused {
        Some(message) => Err(Ok(message)),
        None => api::execute(app, viewer, vec![command]).await.map_err(Err),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/clusters/{id}?year={year}&saved=1")).into_response(),
        Err(Ok(message)) => {
            let mut errors = FieldErrors::default();
            errors.push(which, field, message);
            shown(errors)
        }
        Err(Err(e))
            if e.status.is_client_error()
                && e.status.as_u16() != 403
                && e.status.as_u16() != 404 =>
        {
            let mut errors = FieldErrors::default();
            errors.push(which, field, viewer.lang.api_error(&e));
            shown(errors)
        }
        Err(Err(e)) => super::viewer_error(viewer, e),
    }
}

/// `POST /clusters/{id}/members`: checkboxes `m_<unit>` and a `year`.
pub async fn set_members(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let Ok(cluster) = ClusterId::parse(&id) else {
        return super::viewer_error(&viewer, crate::error::ApiError::not_found());
    };
    if let Some(refused) = super::not_managing(&viewer, &cluster) {
        return refused;
    }
    let year = year_of(&form, &mut errors, lang, "members");
    let mut members: Vec<UnitId> = form
        .keys()
        .filter_map(|k| k.strip_prefix("m_"))
        .filter_map(|u| UnitId::parse(u).ok())
        .collect();
    members.sort();
    let Some(year) = year else {
        return cluster_view(&app, &viewer, &id, None, errors, false);
    };
    run(
        &app,
        &viewer,
        &id,
        year,
        Command::SetClusterYear {
            cluster,
            year,
            members: members.clone(),
        },
        ("members", "members"),
        (Some(members), HashMap::new()),
    )
    .await
}

/// `POST /clusters/{id}/leadership`: `year`, `position`, `unit`, `method`, `decision`.
pub async fn set_leadership(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let Ok(cluster) = ClusterId::parse(&id) else {
        return super::viewer_error(&viewer, crate::error::ApiError::not_found());
    };
    if let Some(refused) = super::not_managing(&viewer, &cluster) {
        return refused;
    }
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let year = year_of(&form, &mut errors, lang, "leadership");
    let position = match get("position") {
        "head" => Some(LeadershipPosition::Head),
        "deputy" => Some(LeadershipPosition::Deputy),
        _ => None,
    };
    let method = if get("method") == "assigned" {
        LeadershipMethod::Assigned
    } else {
        LeadershipMethod::Elected
    };
    let unit = UnitId::parse(get("unit"))
        .map_err(|e| errors.push("leadership", "unit", lang.refusal(&e)))
        .ok();
    let decision = Text::parse("decision", get("decision"), limits::DECISION)
        .map_err(|e| errors.push("leadership", "decision", lang.refusal(&e)))
        .ok();
    if position.is_none() {
        errors.push("leadership", "position", lang.error("invalid_value"));
    }
    let typed: HashMap<String, String> = ["position", "unit", "method", "decision"]
        .into_iter()
        .map(|k| (k.to_owned(), get(k).to_owned()))
        .collect();
    match (year, position, unit, decision) {
        (Some(year), Some(position), Some(unit), Some(decision)) => {
            let command = Command::SetClusterLeadership {
                cluster,
                year,
                position,
                unit,
                method,
                decision,
            };
            run(
                &app,
                &viewer,
                &id,
                year,
                command,
                ("leadership", "unit"),
                (None, typed),
            )
            .await
        }
        (year, ..) => {
            let notices = ClusterNotices {
                typed,
                ..ClusterNotices::default()
            };
            cluster_page(&app, &viewer, &id, year, errors, notices)
        }
    }
}
