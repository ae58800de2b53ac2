//! The mid-year review page (sơ kết 6 tháng): the frozen snapshot per unit (through month,
//! provisional total, each target to date against cùng kỳ with its status), "Số liệu tính đến
//! ngày", the log index and the SHA-256; for the secretariat before it exists, the form that
//! freezes it (a plain POST with the CSRF token, no JavaScript); the XLSX download. Reads and
//! the command go through [`crate::api::midyear`], so the page and the API agree.

use crate::ui::extract::Path;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use thidua_domain::CovenantId;

use super::names::{self, Named};
use super::progress::Helpers;
use super::{render, viewer_error, Layout};
use crate::api::midyear::{self as api, MidTargetDto, MidTargetRef, MidUnitDto, MidyearDto};
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::midyear::MidStrings;
use crate::i18n::progress::ProgStrings;
use crate::AppState;

#[derive(Template)]
#[template(path = "midyear.html")]
struct Page {
    l: Layout,
    h: Helpers,
    p: &'static ProgStrings,
    m: &'static MidStrings,
    d: MidyearDto,
    /// Who froze the review, by name.
    frozen_by: Option<Named>,
    /// Why freezing was refused, in the viewer's language.
    error: Option<String>,
}

impl Page {
    /// The subject of a target id.
    fn subject<'a>(&'a self, id: &'a str) -> &'a str {
        self.d
            .targets
            .iter()
            .find(|t: &&MidTargetRef| t.id == id)
            .map_or(id, |t| t.subject.as_str())
    }

    /// The level the covenant sets for a target, in the page's language.
    fn level(&self, id: &str) -> &str {
        self.head(id)
            .map_or("", |t| self.h.in_lang(&t.sentence_vi, &t.sentence_en))
    }

    fn head(&self, id: &str) -> Option<&MidTargetRef> {
        self.d.targets.iter().find(|t| t.id == id)
    }

    /// The status's code, as the progress page shows it (the API's, from the domain).
    fn status(&self, t: &MidTargetDto) -> &'static str {
        t.status.code()
    }

    /// The indicator through month 6, as the progress page words it: a change indicator's
    /// percentage said as what happened ("giảm 15,7%", the sign of "Đạt đến nay"), anything
    /// else as a number.
    fn now(&self, t: &MidTargetDto) -> String {
        match self.head(&t.target) {
            Some(h) if h.change_indicator => self.h.change(&t.measured),
            _ => self.h.num(&t.measured),
        }
    }

    /// The indicator over the same months last year; "—" for a change indicator, whose own
    /// change a year earlier compares with nothing.
    fn before(&self, t: &MidTargetDto) -> String {
        match self.head(&t.target) {
            Some(h) if h.change_indicator => "—".into(),
            _ => self.h.num(&t.same_period),
        }
    }

    /// A value in the target's terms (to date or projected) as the progress page says it, as
    /// HTML: "giảm 5,51%", "3 vụ"; to date against a zero same period, why there is none.
    fn terms(&self, raw: &Option<String>, t: &MidTargetDto) -> String {
        let Some(h) = self.head(&t.target) else {
            return self.h.num(raw);
        };
        let zero_before = t
            .same_period
            .as_deref()
            .and_then(|s| s.parse::<thidua_scoring::Exact>().ok())
            .is_some_and(|x| x.is_zero());
        if raw.is_none()
            && h.shape.starts_with("reduce")
            && !h.change_indicator
            && t.measured.is_some()
            && zero_before
        {
            return thidua_scoring::render::esc(&self.h.zero_baseline(&t.measured));
        }
        self.h.measure_of(raw, &h.shape, &h.unit_of_measure)
    }

    fn day(&self, iso: &str) -> String {
        crate::format::iso_date(iso)
    }

    fn short_of_six(&self, u: &MidUnitDto) -> bool {
        u.through.is_none_or(|m| m < 6)
    }

    /// "Công an tỉnh An Giang: 2/6 kỳ đã phê duyệt".
    fn approved_of(&self, c: &api::MidCompletenessDto) -> String {
        crate::i18n::fill(
            self.m.approved_windows,
            &[
                ("approved", c.approved.to_string()),
                ("windows", c.windows.to_string()),
            ],
        )
    }

    /// How many members are short of an approved half-year ("2/3 đơn vị …"), when any is.
    fn incomplete(&self) -> Option<String> {
        let short = self.d.completeness.iter().filter(|c| !c.complete).count();
        (short > 0).then(|| {
            crate::i18n::fill(
                self.m.incomplete_warning,
                &[
                    ("short", short.to_string()),
                    ("members", self.d.completeness.len().to_string()),
                ],
            )
        })
    }

    /// "Month 6 closes on dd/mm/yyyy; …".
    fn too_early(&self) -> String {
        self.m
            .too_early
            .replace("{date}", &self.h.date(&self.d.cutoff))
    }
}

fn covenant_id(viewer: &Viewer, raw: &str) -> Result<CovenantId, Box<Response>> {
    CovenantId::parse(raw).map_err(|_| Box::new(viewer_error(viewer, ApiError::not_found())))
}

fn view(app: &AppState, viewer: &Viewer, id: &CovenantId, error: Option<String>) -> Response {
    let state = app.service.read();
    match api::midyear_dto(&state, &viewer.scope, id) {
        Ok(d) => {
            let t = viewer.lang.strings();
            let frozen_by = (d.frozen.is_some())
                .then(|| state.midyear.get(id))
                .flatten()
                .map(|r| names::actor(t, &viewer.scope, &state, &r.by));
            let m = viewer.lang.midyear();
            let p = viewer.lang.progress();
            let failed = error.is_some();
            let mut res = render(&Page {
                l: Layout::new(viewer, format!("{}: {}", m.title, d.title)),
                h: Helpers::new(viewer.lang),
                p,
                m,
                d,
                frozen_by,
                error,
            });
            if failed {
                *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            res
        }
        Err(e) => viewer_error(viewer, e),
    }
}

/// `GET /covenants/{id}/midyear`.
pub async fn page(State(app): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    match covenant_id(&viewer, &id) {
        Ok(id) => view(&app, &viewer, &id, None),
        Err(r) => *r,
    }
}

/// `POST /covenants/{id}/midyear`: freezes the review. The review can never be frozen again,
/// so the form's box saying so (`confirm=1`) must be ticked: without it the page again, the
/// box's message beside it, and nothing recorded. The ticked box is the command's
/// acknowledgement of an incomplete review (`acknowledge_incomplete`), which the JSON API's
/// callers send in the body. Someone not managing the cluster is left to the domain's refusal.
pub async fn freeze(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
    CsrfForm(form): CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let id = match covenant_id(&viewer, &raw) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let confirmed = form.get("confirm").map(String::as_str) == Some("1");
    if !confirmed {
        let manages = {
            let state = app.service.read();
            state
                .covenants
                .get(&id)
                .is_some_and(|c| viewer.scope.manages(&c.cluster))
        };
        if manages {
            let message = viewer.lang.midyear().confirm_first.to_owned();
            return view(&app, &viewer, &id, Some(message));
        }
    }
    // The box ticked is the acknowledgement the domain asks of an incomplete review.
    match api::freeze(&app, &viewer, id.clone(), confirmed).await {
        Ok(_) => Redirect::to(&format!("/covenants/{id}/midyear")).into_response(),
        // The domain refused it (already frozen, too early, not signed): the page says why.
        Err(e) if matches!(e.status.as_u16(), 409 | 422) => {
            let message = viewer.lang.api_error(&e);
            view(&app, &viewer, &id, Some(message))
        }
        Err(e) => viewer_error(&viewer, e),
    }
}

/// `GET /covenants/{id}/midyear.xlsx`: the frozen review as a workbook.
pub async fn xlsx(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Response {
    let id = match covenant_id(&viewer, &raw) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let scope = viewer.scope.clone();
    let answer = id.clone();
    let bytes = app
        .blocking(move |app| api::xlsx(&app.service.read(), &scope, &id))
        .await;
    match bytes {
        Ok(b) => api::xlsx_response(&answer, b),
        Err(e) => viewer_error(&viewer, e),
    }
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/covenants/{id}/midyear", get(page).post(freeze))
        .route("/covenants/{id}/midyear.xlsx", get(xlsx))
}
