//! Running a vote from the web: the cluster page's "Bỏ phiếu khen thưởng" section (every
//! election of the cluster with its state), and the forms that were only reachable through
//! `POST /api/v1/commands` before: the secretariat opens an election (the candidates from
//! [`votes::nominees`], shown in rank order before opening), closes a round (with a
//! confirmation), opens the second round where the domain allows it, enters a paper count and
//! withdraws one not yet confirmed (with a reason, to enter the corrected count), sets aside
//! the electronic count of a closed round too few trustees can decrypt (with a reason and a
//! confirmation, to count the round on paper), cancels an election none of whose rounds is
//! counted (with a reason and a confirmation), concludes one whose counted rounds left seats
//! without a further round (with a reason and a confirmation); a member's
//! leader confirms a paper count; the head or the deputy records a tie decision.
//!
//! The acts that bind — recording a paper count, confirming one, deciding a tie — ask for the
//! password again first ([`step_up`], as signing a covenant does), its refusal beside the
//! password field.
//!
//! Every form becomes one domain `VoteCommand` run through [`crate::api::execute`], so the
//! domain authorises and validates it as for the API; the domain is asked first
//! (`crate::api::dry_run`) so that a refusal is told beside the field it concerns.
//! An election or cluster the viewer may not see answers 404; a form the viewer may not use
//! answers the 403 page.

use std::collections::HashMap;

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use thidua_domain::text::limits;
use thidua_domain::votes::{self, outcome, AwardKind, Election, Fraction, PaperCount, VoteCommand};
use thidua_domain::{Actor, ClusterId, Command, DomainError, ElectionId, Text, UnitId};

use super::{award, visible};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::votes::{manage, strings, ManageStrings, VoteStrings};
use crate::ui::form::{step_up, Errors, Submitted};
use crate::ui::names::{self, Named};
use crate::ui::{render, viewer_error, viewer_error_back, Layout};
use crate::AppState;

/// A refusal of a round's form, outright (the round closed, a count that cannot be entered):
/// the error page links back to the election.
fn refused_at(viewer: &Viewer, e: &Election, code: &'static str) -> Response {
    viewer_error_back(viewer, conflict(code), format!("/elections/{}", e.id))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/clusters/{id}/elections/new",
            get(new_page).post(open_election),
        )
        .route("/elections/{id}/close", get(close_page).post(close_round))
        .route(
            "/elections/{id}/second-round",
            get(second_page).post(second_round),
        )
        .route("/elections/{id}/paper", get(paper_page).post(record_paper))
        .route(
            "/elections/{id}/paper/confirm",
            get(confirm_page).post(confirm_paper),
        )
        .route(
            "/elections/{id}/paper/withdraw",
            get(withdraw_page).post(withdraw_paper),
        )
        .route("/elections/{id}/tie", get(tie_page).post(decide_tie))
        .route(
            "/elections/{id}/set-aside",
            get(set_aside_page).post(set_aside_count),
        )
        .route(
            "/elections/{id}/cancel",
            get(cancel_page).post(cancel_election),
        )
        .route(
            "/elections/{id}/conclude",
            get(conclude_page).post(conclude_election),
        )
}

/// The viewer runs the cluster's votes (its secretariat, an administrator).
pub fn manages(viewer: &Viewer, cluster: &ClusterId) -> bool {
    viewer.scope.manages(cluster)
}

/// The award kinds as the forms and the API name them (the command's own names).
pub const AWARDS: [(&str, AwardKind); 5] = [
    ("ministry_flag", AwardKind::MinistryFlag),
    ("government_flag", AwardKind::GovernmentFlag),
    ("certificate", AwardKind::Certificate),
    ("head", AwardKind::Head),
    ("deputy", AwardKind::Deputy),
];

/// A domain refusal of a form: its code, the field an `InvalidValue` names, and the sentence
/// with names.
pub(super) struct Refusal {
    code: &'static str,
    field: Option<&'static str>,
    message: String,
}

/// Runs one vote command: the domain's answer first (a refusal is returned for the form),
/// then [`crate::api::execute`], which authorises it again. `Err(Err(page))` is a page to
/// answer as it is (403, 404, a server error).
pub(super) async fn run(
    app: &AppState,
    viewer: &Viewer,
    command: VoteCommand,
) -> Result<(), Result<Refusal, Response>> {
    let command = Command::Vote(command);
    let refused = {
        let state = app.service.read();
        let actor = Actor::User(viewer.user.clone());
        crate::api::dry_run(&state, &actor, viewer.now_ms, command.clone())
            .err()
            .filter(|e| e.code() != "forbidden")
            .map(|e| Refusal {
                code: e.code(),
                field: match &e {
                    DomainError::InvalidValue { field, .. } => Some(*field),
                    _ => None,
                },
                message: names::domain_error(viewer.lang, &state, &e),
            })
    };
    if let Some(r) = refused {
        return Err(Ok(r));
    }
    match crate::api::execute(app, viewer, vec![command]).await {
        Ok(_) => Ok(()),
        Err(e) if e.status.is_client_error() && !matches!(e.status.as_u16(), 401 | 403 | 404) => {
            Err(Ok(Refusal {
                code: e.code,
                field: None,
                message: viewer.lang.api_error(&e),
            }))
        }
        Err(e) => Err(Err(viewer_error(viewer, e))),
    }
}

/// Runs one of an election's forms: `Some(page)` to answer (the election page once done, or a
/// 403/404/error page), `None` after telling the domain's refusal beside `field`.
pub(super) async fn act(
    app: &AppState,
    viewer: &Viewer,
    election: &ElectionId,
    command: VoteCommand,
    field: &'static str,
    errors: &mut Errors,
) -> Option<Response> {
    match run(app, viewer, command).await {
        Ok(()) => Some(Redirect::to(&format!("/elections/{election}?saved=1")).into_response()),
        Err(Ok(refusal)) => {
            errors.push(field, refusal.message);
            None
        }
        Err(Err(page)) => Some(page),
    }
}

/// A destructive form's required `reason` and confirmation box (`confirm=1`): the reason as
/// typed, whether the box is ticked, the errors beside the reason and the box (`confirm_id`,
/// `not_confirmed` when unticked), and the reason once both are right.
pub(super) fn reason_confirmed(
    viewer: &Viewer,
    form: &Submitted,
    confirm_id: &'static str,
    not_confirmed: &'static str,
) -> (String, bool, Errors, Option<Text>) {
    let raw = form.get("reason");
    let confirmed = form.get("confirm") == "1";
    let mut errors = Errors::default();
    let reason = Text::parse("reason", &raw, limits::REASON)
        .map_err(|err| errors.push("reason", viewer.lang.refusal(&err)))
        .ok();
    if !confirmed {
        errors.push(confirm_id, not_confirmed);
    }
    let reason = reason.filter(|_| confirmed);
    (raw, confirmed, errors, reason)
}

/// The round a form names (its hidden `round` field), else `default`.
pub(super) fn round_in(form: &Submitted, default: u32) -> u32 {
    form.get("round").trim().parse().unwrap_or(default)
}

/// The units a form's checkboxes `c_<unit>` tick.
pub(super) fn ticked(form: &Submitted) -> Vec<String> {
    form.fields
        .keys()
        .filter_map(|k| k.strip_prefix("c_"))
        .map(str::to_owned)
        .collect()
}

pub(super) fn with_status(mut res: Response, errors: &Errors) -> Response {
    if !errors.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

pub(super) fn conflict(code: &'static str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, "")
}

/// A whole number typed in a field, or a message beside it.
pub(super) fn number(errors: &mut Errors, m: &ManageStrings, id: &str, raw: &str) -> Option<u32> {
    match raw.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(id, m.err_number);
            None
        }
    }
}

// ---------------------------------------------------------------------------------------
// The cluster page's section.

/// One election in the cluster's list.
pub struct ElectionRow {
    pub id: String,
    pub year: i32,
    pub title: String,
    pub award: &'static str,
    pub state: String,
}

/// The "Bỏ phiếu khen thưởng" section of the cluster page.
pub struct VotesSection {
    pub m: &'static ManageStrings,
    pub s: &'static VoteStrings,
    pub cluster: String,
    /// Newest year first, then in the order they were opened.
    pub rows: Vec<ElectionRow>,
    /// The viewer may open an election (the secretariat, an administrator).
    pub can_open: bool,
    /// The shown year, when it has nominees (the link opens the form for it).
    pub year: Option<i32>,
}

/// An election's state in words: the ceremony, or the last round's state.
pub fn state_label(m: &ManageStrings, s: &VoteStrings, e: &Election) -> String {
    if e.is_cancelled() {
        return m.st_cancelled.to_owned();
    }
    if e.concluded.is_some() {
        return m.st_concluded.to_owned();
    }
    let Some(r) = e.rounds.last() else {
        return String::new();
    };
    let what = if r.count.is_some() {
        match outcome(e, r).and_then(|o| o.tie) {
            Some(t) if t.decided.is_none() => m.st_tie,
            _ => m.st_counted,
        }
    } else if r.paper.is_some() {
        m.paper_waiting
    } else if r.set_aside.is_some() && r.withdrawn.is_empty() {
        s.round_set_aside
    } else if r.awaits_paper_count() {
        m.paper_withdrawn
    } else if r.closed_at.is_none() {
        if e.keys().is_none() {
            if r.number == 1 {
                return m.st_ceremony.to_owned();
            }
            m.st_open
        } else {
            m.st_open
        }
    } else if r.totals.is_some() {
        m.st_closed
    } else {
        m.st_no_quorum
    };
    format!("{} {}: {what}", s.round, r.number)
}

impl VotesSection {
    /// The link opening a vote: "Open an award vote for 2024" when a year is shown.
    pub fn open_label(&self) -> String {
        match self.year {
            Some(y) => self.m.open_new_year(y),
            None => self.m.open_new.to_owned(),
        }
    }
}

pub fn cluster_section(
    state: &thidua_domain::State,
    viewer: &Viewer,
    cluster: &ClusterId,
    year: Option<i32>,
) -> VotesSection {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let mut elections: Vec<&Election> = state
        .elections
        .values()
        .filter(|e| &e.cluster == cluster)
        .collect();
    elections.sort_by(|a, b| b.year.cmp(&a.year).then(a.opened_at.cmp(&b.opened_at)));
    VotesSection {
        m,
        s,
        cluster: cluster.to_string(),
        rows: elections
            .into_iter()
            .map(|e| ElectionRow {
                id: e.id.to_string(),
                year: e.year,
                title: e.title.to_string(),
                award: award(s, e.award),
                state: state_label(m, s, e),
            })
            .collect(),
        can_open: manages(viewer, cluster),
        year: year.filter(|y| !votes::nominees(state, cluster, *y).is_empty()),
    }
}

mod actions;
mod cancel;
mod open;
mod paper;
mod round;
mod set_aside;
mod tie;

use actions::*;
pub use actions::{actions, leader_actions, second_round_due, undecrypted_round, Actions};
use cancel::*;
pub use open::opening_due;
use open::*;
use paper::*;
use round::*;
use set_aside::*;
use tie::*;
