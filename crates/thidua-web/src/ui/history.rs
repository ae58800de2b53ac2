//! The history page: the events the viewer may see, newest first, filtered by unit and kind,
//! each told as a sentence with names ([`super::describe`]), its details in a table, its number
//! in the record and whether a witnessed record covers it (with a link to the page that checks
//! it); older pages through a `before` cursor.

use crate::ui::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::names::Named;
use super::proof::{LogStatus, Proof};
use super::{render, viewer_error, Layout};
use crate::api::dto::{self, *};
use crate::api::{self as api_mod, EventQuery};
use crate::auth::Viewer;
use crate::AppState;

/// One event in the history table.
pub struct EventRow {
    pub index: u64,
    pub time: String,
    pub kind: &'static str,
    pub sentence: Vec<Named>,
    pub details: Vec<(&'static str, Vec<Named>)>,
    pub proof: Proof,
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

/// The event kinds offered by the history filter: every kind the domain knows.
pub use thidua_domain::EVENT_KINDS;

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
    let (events, next_before) = match api_mod::history_events(&app, &viewer.scope, query).await {
        Ok(p) => p,
        Err(e) => return viewer_error(&viewer, e),
    };
    let log = LogStatus::load(&app).await;
    let state = app.service.read();
    let rows = events
        .iter()
        .map(|e| {
            let d = super::describe::describe(t, &viewer.scope, &state, e);
            EventRow {
                index: e.index,
                time: crate::format::time_ms(e.time_ms),
                kind: t.event_kind(e.payload.kind()),
                sentence: d.sentence,
                details: d.details,
                proof: log.proof(t, e.index),
            }
        })
        .collect();
    let page = HistoryPage {
        l: Layout::new(&viewer, t.history_title),
        rows,
        units: dto::units(&state, &viewer.scope),
        kinds: EVENT_KINDS.iter().map(|k| (*k, t.event_kind(k))).collect(),
        unit: q.unit.unwrap_or_default(),
        kind: q.kind.unwrap_or_default(),
        next_before,
    };
    render(&page)
}
