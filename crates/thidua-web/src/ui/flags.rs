//! The integrity-flags page of a covenant: the flags per unit and window with their reasons,
//! each unit's reporting quality, and the CSV export; filtered by unit. Shows what
//! [`crate::api::flags`] returns for the viewer (the same rule, `Scope::reads_flags`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use thidua_domain::CovenantId;

use super::{render, viewer_error, Layout};
use crate::api::flags::{flags_of, FlagsDto, FlagsQuery};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::flags::{self as i18n, FlagStrings};
use crate::i18n::Lang;
use crate::AppState;

/// One line of the table.
struct Row {
    unit: String,
    unit_id: String,
    period: String,
    kind: String,
    kind_name: &'static str,
    reason: String,
}

#[derive(Template)]
#[template(path = "flags.html")]
struct FlagsPage {
    l: Layout,
    s: &'static FlagStrings,
    d: FlagsDto,
    rows: Vec<Row>,
    unit: String,
    demo: bool,
}

/// `GET /covenants/{id}/flags?unit=…`.
pub async fn page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<FlagsQuery>,
) -> Response {
    let Ok(id) = CovenantId::parse(&id) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    let q = FlagsQuery {
        unit: q.unit.filter(|u| !u.is_empty()),
        period: q.period.filter(|p| !p.is_empty()),
    };
    let (scope, asked) = (viewer.scope.clone(), q.clone());
    let read = app
        .blocking(move |app| flags_of(app, &app.service.read(), &scope, &id, &asked))
        .await;
    let (d, flags) = match read {
        Ok(x) => x,
        Err(e) => return viewer_error(&viewer, e),
    };
    let lang: Lang = viewer.lang;
    let rows = d
        .flags
        .iter()
        .zip(&flags)
        .map(|(dto, f)| Row {
            unit: dto.unit.name.clone(),
            unit_id: dto.unit.id.clone(),
            period: if f.period.window == "Y" {
                f.period.year.to_string()
            } else {
                format!("{}/{}", f.period.window, f.period.year)
            },
            kind: dto.kind.clone(),
            kind_name: i18n::kind_name(lang, f.kind),
            reason: i18n::reason(lang, f),
        })
        .collect();
    let s = lang.flags();
    render(&FlagsPage {
        l: Layout::new(&viewer, format!("{}: {}", s.title, d.title)),
        s,
        d,
        rows,
        unit: q.unit.unwrap_or_default(),
        demo: viewer.demo,
    })
}

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/covenants/{id}/flags", axum::routing::get(page))
}
