//! Cluster management forms for the cluster's secretariat (and administrators): the year's
//! member units, the year's head and deputy, and drafting a covenant (version 1). Each form becomes one domain command, which the
//! domain authorises again; errors are shown next to the field on the cluster page.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::event::parse_date;
use thidua_domain::model::{CovenantContent, RegulationDoc};
use thidua_domain::model::{LeadershipMethod, LeadershipPosition};
use thidua_domain::text::limits;
use thidua_domain::{ClusterId, Command, CovenantId, MovementId, Text, UnitId};

use super::admin::FieldErrors;
use super::covenant::covenant_view;
use super::pages::{cluster_view, DraftValues};
use super::proof::LogStatus;
use crate::api;
use crate::auth::{CsrfForm, Viewer};
use crate::AppState;

/// Compiles the regulation typed or pasted in a covenant form into its canonical form; every
/// diagnostic (line, column, message) goes beside the field.
fn regulation_field(
    raw: &str,
    form: &'static str,
    lang: crate::i18n::Lang,
    errors: &mut FieldErrors,
) -> Option<RegulationDoc> {
    if raw.trim().is_empty() {
        errors.push(form, "regulation", lang.error("empty_text"));
        return None;
    }
    match thidua_domain::covenant::regulation_doc(raw) {
        Ok(doc) => Some(doc),
        Err(thidua_domain::DomainError::InvalidRegulation(diagnostics)) => {
            let message = format!("{} {diagnostics}", lang.error("invalid_regulation"));
            errors.push(form, "regulation", message);
            None
        }
        Err(e) => {
            errors.push(form, "regulation", lang.error(e.code()));
            None
        }
    }
}

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
    which: &'static str,
    field: &'static str,
) -> Response {
    match api::execute(app, viewer, vec![command]).await {
        Ok(_) => Redirect::to(&format!("/clusters/{id}?year={year}&saved=1")).into_response(),
        Err(e)
            if e.status.is_client_error()
                && e.status.as_u16() != 403
                && e.status.as_u16() != 404 =>
        {
            let mut errors = FieldErrors::default();
            errors.push(which, field, viewer.lang.error(e.code));
            cluster_view(
                app,
                viewer,
                id,
                Some(year),
                errors,
                false,
                DraftValues::default(),
            )
        }
        Err(e) => super::viewer_error(viewer, e),
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
    let year = year_of(&form, &mut errors, lang, "members");
    let mut members: Vec<UnitId> = form
        .keys()
        .filter_map(|k| k.strip_prefix("m_"))
        .filter_map(|u| UnitId::parse(u).ok())
        .collect();
    members.sort();
    let Some(year) = year else {
        return cluster_view(
            &app,
            &viewer,
            &id,
            None,
            errors,
            false,
            DraftValues::default(),
        );
    };
    run(
        &app,
        &viewer,
        &id,
        year,
        Command::SetClusterYear {
            cluster,
            year,
            members,
        },
        "members",
        "members",
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
        .map_err(|e| errors.push("leadership", "unit", lang.error(e.code())))
        .ok();
    let decision = Text::parse("decision", get("decision"), 100)
        .map_err(|e| errors.push("leadership", "decision", lang.error(e.code())))
        .ok();
    if position.is_none() {
        errors.push("leadership", "position", lang.error("invalid_value"));
    }
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
            run(&app, &viewer, &id, year, command, "leadership", "unit").await
        }
        (year, ..) => cluster_view(
            &app,
            &viewer,
            &id,
            year,
            errors,
            false,
            DraftValues::default(),
        ),
    }
}

/// `POST /clusters/{id}/covenants`: drafts version 1 of a covenant for one of this cluster's
/// movements: id, movement, title, place, signing date, targets (one per line, see
/// [`super::targets`]) and the scoring regulation's text.
pub async fn draft_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = FieldErrors::default();
    let Ok(cluster) = ClusterId::parse(&id) else {
        return super::viewer_error(&viewer, crate::error::ApiError::not_found());
    };
    // The domain's rule, asked before the form's fields are checked.
    let actor = thidua_domain::Actor::User(viewer.user.clone());
    let may_draft = thidua_domain::authz::authorise(
        &app.service.read(),
        &actor,
        &thidua_domain::authz::Permission::ManageCluster(cluster.clone()),
    );
    if may_draft.is_err() {
        return super::viewer_error(&viewer, crate::error::ApiError::forbidden());
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let values = DraftValues {
        id: get("covenant"),
        movement: get("movement"),
        title: get("title"),
        place: get("place"),
        date: get("date"),
        targets: get("targets"),
        regulation: get("regulation"),
    };
    let covenant = CovenantId::parse(values.id.trim())
        .map_err(|e| errors.push("draft", "covenant", lang.error(e.code())))
        .ok();
    let movement = MovementId::parse(values.movement.trim())
        .map_err(|e| errors.push("draft", "movement", lang.error(e.code())))
        .ok();
    let title = Text::parse("title", &values.title, limits::TITLE)
        .map_err(|e| errors.push("draft", "title", lang.error(e.code())))
        .ok();
    let place = Text::parse("place", &values.place, limits::PLACE)
        .map_err(|e| errors.push("draft", "place", lang.error(e.code())))
        .ok();
    let date = parse_date(&values.date);
    if date.is_none() {
        errors.push("draft", "date", lang.error("invalid_date"));
    }
    let targets = super::targets::parse(&values.targets)
        .map_err(|e| {
            errors.push(
                "draft",
                "targets",
                format!("{} {}: {}", t.line, e.line, lang.error(e.code)),
            )
        })
        .ok();
    let regulation = regulation_field(&values.regulation, "draft", lang, &mut errors);
    let year = movement
        .as_ref()
        .and_then(|m| app.service.read().movements.get(m).map(|m| m.year));
    match (covenant, movement, title, place, date, targets, regulation) {
        (
            Some(covenant),
            Some(movement),
            Some(title),
            Some(place),
            Some(signing_date),
            Some(targets),
            Some(regulation),
        ) if errors.is_empty() => {
            let content = CovenantContent {
                title,
                place,
                signing_date,
                targets,
                regulation,
            };
            let command = Command::DraftCovenant {
                covenant: covenant.clone(),
                movement,
                cluster,
                content,
            };
            match api::execute(&app, &viewer, vec![command]).await {
                Ok(_) => Redirect::to(&format!("/covenants/{covenant}")).into_response(),
                Err(e)
                    if e.status.is_client_error()
                        && e.status.as_u16() != 403
                        && e.status.as_u16() != 404 =>
                {
                    let field = match e.code {
                        "covenant_exists" => "covenant",
                        "no_cluster_year" | "unknown_movement" => "movement",
                        _ => "targets",
                    };
                    errors.push("draft", field, lang.error(e.code));
                    cluster_view(&app, &viewer, &id, year, errors, false, values)
                }
                Err(e) => super::viewer_error(&viewer, e),
            }
        }
        _ => cluster_view(&app, &viewer, &id, year, errors, false, values),
    }
}

/// `POST /covenants/{id}/versions`: amends the unsigned draft, or proposes the next version of a
/// frozen covenant (which needs every signature again). Same fields as the drafting form.
pub async fn edit_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let lang = viewer.lang;
    let t = lang.strings();
    let mut errors = FieldErrors::default();
    let Ok(covenant) = CovenantId::parse(&id) else {
        return super::viewer_error(&viewer, crate::error::ApiError::not_found());
    };
    let frozen = match app.service.read().covenants.get(&covenant) {
        Some(c) => c.latest().frozen_at.is_some(),
        None => return super::viewer_error(&viewer, crate::error::ApiError::not_found()),
    };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let values = DraftValues {
        id: id.clone(),
        movement: String::new(),
        title: get("title"),
        place: get("place"),
        date: get("date"),
        targets: get("targets"),
        regulation: get("regulation"),
    };
    let title = Text::parse("title", &values.title, limits::TITLE)
        .map_err(|e| errors.push("edit", "title", lang.error(e.code())))
        .ok();
    let place = Text::parse("place", &values.place, limits::PLACE)
        .map_err(|e| errors.push("edit", "place", lang.error(e.code())))
        .ok();
    let date = parse_date(&values.date);
    if date.is_none() {
        errors.push("edit", "date", lang.error("invalid_date"));
    }
    let targets = super::targets::parse(&values.targets)
        .map_err(|e| {
            errors.push(
                "edit",
                "targets",
                format!("{} {}: {}", t.line, e.line, lang.error(e.code)),
            )
        })
        .ok();
    let regulation = regulation_field(&values.regulation, "edit", lang, &mut errors);
    match (title, place, date, targets, regulation) {
        (Some(title), Some(place), Some(signing_date), Some(targets), Some(regulation))
            if errors.is_empty() =>
        {
            let content = CovenantContent {
                title,
                place,
                signing_date,
                targets,
                regulation,
            };
            let command = if frozen {
                Command::ProposeCovenantVersion {
                    covenant: covenant.clone(),
                    content,
                }
            } else {
                Command::AmendCovenantDraft {
                    covenant: covenant.clone(),
                    content,
                }
            };
            match api::execute(&app, &viewer, vec![command]).await {
                Ok(_) => Redirect::to(&format!("/covenants/{covenant}")).into_response(),
                Err(e)
                    if e.status.is_client_error()
                        && e.status.as_u16() != 403
                        && e.status.as_u16() != 404 =>
                {
                    errors.push("edit", "targets", lang.error(e.code));
                    let log = LogStatus::load(&app).await;
                    covenant_view(&app, &viewer, &id, false, Some(values), errors, log)
                }
                Err(e) => super::viewer_error(&viewer, e),
            }
        }
        _ => {
            let log = LogStatus::load(&app).await;
            covenant_view(&app, &viewer, &id, false, Some(values), errors, log)
        }
    }
}
