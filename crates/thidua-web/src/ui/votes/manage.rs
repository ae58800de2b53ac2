//! Running a vote from the web: the cluster page's "Bỏ phiếu khen thưởng" section (every
//! election of the cluster with its state), and the forms that were only reachable through
//! `POST /api/v1/commands` before: the secretariat opens an election (the candidates from
//! [`votes::nominees`], shown in rank order before opening), closes a round (with a
//! confirmation), opens the second round where the domain allows it, enters a paper count and
//! withdraws one not yet confirmed (with a reason, to enter the corrected count); a member's
//! leader confirms a paper count; the head or the deputy records a tie decision.
//!
//! Every form becomes one domain `VoteCommand` run through [`crate::api::execute`], so the
//! domain authorises and validates it as for the API; the domain is asked first
//! (`thidua_domain::decide`, a dry run) so that a refusal is told beside the field it concerns.
//! An election or cluster the viewer may not see answers 404; a form the viewer may not use
//! answers the 403 page.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
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
use crate::ui::form::{Errors, Submitted};
use crate::ui::names::{self, Named};
use crate::ui::{render, viewer_error, Layout};
use crate::AppState;

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
}

/// The viewer runs the cluster's votes (its secretariat, an administrator).
pub fn manages(viewer: &Viewer, cluster: &ClusterId) -> bool {
    viewer.scope.is_admin() || viewer.scope.managed_clusters().contains(cluster)
}

/// The award kinds as the forms name them (the command's own names).
const AWARDS: [(&str, AwardKind); 5] = [
    ("ministry_flag", AwardKind::MinistryFlag),
    ("government_flag", AwardKind::GovernmentFlag),
    ("certificate", AwardKind::Certificate),
    ("head", AwardKind::Head),
    ("deputy", AwardKind::Deputy),
];

/// A domain refusal of a form: its code, the field an `InvalidValue` names, and the sentence
/// with names.
struct Refusal {
    code: &'static str,
    field: Option<&'static str>,
    message: String,
}

/// Runs one vote command: the domain's answer first (a refusal is returned for the form),
/// then [`crate::api::execute`], which authorises it again. `Err(Err(page))` is a page to
/// answer as it is (403, 404, a server error).
async fn run(
    app: &AppState,
    viewer: &Viewer,
    command: VoteCommand,
) -> Result<(), Result<Refusal, Response>> {
    let command = Command::Vote(command);
    let refused = {
        let state = app.service.read();
        let actor = Actor::User(viewer.user.clone());
        thidua_domain::decide(&state, &actor, command.clone())
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
                message: viewer.lang.error(e.code).to_owned(),
            }))
        }
        Err(e) => Err(Err(viewer_error(viewer, e))),
    }
}

fn with_status(mut res: Response, errors: &Errors) -> Response {
    if !errors.is_empty() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

/// The messages with where each field is, for the error summary ("Số được chọn: …").
fn labelled(errors: Errors, labels: &[(String, &str)]) -> Errors {
    let mut out = Errors::default();
    for e in errors.iter() {
        let label = labels
            .iter()
            .find(|(id, _)| *id == e.id)
            .map(|(_, l)| *l)
            .unwrap_or("");
        out.push_in(e.id.clone(), label, e.message.clone());
    }
    out
}

fn conflict(code: &'static str) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, code, "")
}

/// A whole number typed in a field, or a message beside it.
fn number(errors: &mut Errors, m: &ManageStrings, id: &str, raw: &str) -> Option<u32> {
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

// ---------------------------------------------------------------------------------------
// Opening an election.

/// What the opening form holds, as typed.
#[derive(Clone, Default)]
struct OpenForm {
    award: String,
    title: String,
    seats: String,
    approval_num: String,
    approval_den: String,
    quorum_num: String,
    quorum_den: String,
    threshold: String,
}

#[derive(Template)]
#[template(path = "election_new.html")]
struct NewPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    cluster: Named,
    cluster_id: String,
    years: Vec<i32>,
    year: i32,
    candidates: Vec<Named>,
    members: Vec<Named>,
    awards: Vec<(&'static str, &'static str)>,
    f: OpenForm,
    errors: Errors,
}

impl NewPage {
    fn is_year(&self, y: &i32) -> bool {
        self.year == *y
    }
    fn is_award(&self, a: &str) -> bool {
        self.f.award == a
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    year: Option<String>,
}

/// The cluster the viewer may see and manage, or the page to answer (404, then 403).
fn managed_cluster(app: &AppState, viewer: &Viewer, id: &str) -> Result<ClusterId, Box<Response>> {
    let state = app.service.read();
    let cluster = ClusterId::parse(id)
        .ok()
        .filter(|c| state.clusters.contains_key(c) && viewer.scope.can_view_cluster(&state, c))
        .ok_or_else(|| Box::new(viewer_error(viewer, ApiError::not_found())))?;
    if !manages(viewer, &cluster) {
        return Err(Box::new(viewer_error(viewer, ApiError::forbidden())));
    }
    Ok(cluster)
}

fn new_view(
    app: &AppState,
    viewer: &Viewer,
    cluster: &ClusterId,
    year: Option<i32>,
    f: Option<OpenForm>,
    errors: Errors,
) -> Response {
    let state = app.service.read();
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let years: Vec<i32> = state
        .clusters
        .get(cluster)
        .map(|c| c.years.keys().rev().copied().collect())
        .unwrap_or_default();
    // The asked year, else the newest year with nominees, else the newest year.
    let year = year
        .filter(|y| years.contains(y))
        .or_else(|| {
            years
                .iter()
                .copied()
                .find(|y| !votes::nominees(&state, cluster, *y).is_empty())
        })
        .or_else(|| years.first().copied())
        .unwrap_or_default();
    let members = state
        .members(cluster, year)
        .map(<[_]>::to_vec)
        .unwrap_or_default();
    let f = f.unwrap_or_else(|| OpenForm {
        award: "ministry_flag".into(),
        title: m.title_default.replace("{year}", &year.to_string()),
        seats: "1".into(),
        approval_num: "4".into(),
        approval_den: "5".into(),
        quorum_num: "2".into(),
        quorum_den: "3".into(),
        // A majority of the trustees decrypts (3 of 5).
        threshold: (members.len() / 2 + 1)
            .min(members.len().max(1))
            .to_string(),
    });
    let res = render(&NewPage {
        l: Layout::new(viewer, m.open_title),
        s,
        m,
        cluster: names::cluster(&state, cluster),
        cluster_id: cluster.to_string(),
        years,
        year,
        candidates: votes::nominees(&state, cluster, year)
            .iter()
            .map(|u| names::unit(&state, u))
            .collect(),
        members: members.iter().map(|u| names::unit(&state, u)).collect(),
        awards: AWARDS.iter().map(|(k, a)| (*k, award(s, *a))).collect(),
        f,
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /clusters/{id}/elections/new?year=`: the candidates in rank order and the form.
async fn new_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<YearQuery>,
) -> Response {
    let cluster = match managed_cluster(&app, &viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let year = q.year.and_then(|y| y.trim().parse().ok());
    new_view(&app, &viewer, &cluster, year, None, Errors::default())
}

/// A fresh election id: `{cluster}-{year}-{award}`, numbered when taken.
fn fresh_id(
    state: &thidua_domain::State,
    cluster: &ClusterId,
    year: i32,
    key: &str,
) -> Option<ElectionId> {
    let mut base = format!("{cluster}-{year}-{}", key.replace('_', "-"));
    base.truncate(58);
    (1..1000).find_map(|n| {
        let raw = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        ElectionId::parse(&raw)
            .ok()
            .filter(|id| !state.elections.contains_key(id))
    })
}

/// `POST /clusters/{id}/elections/new`: opens the election.
async fn open_election(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let cluster = match managed_cluster(&app, &viewer, &id) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let lang = viewer.lang;
    let m = manage(lang.code());
    let f = OpenForm {
        award: form.get("award"),
        title: form.get("title"),
        seats: form.get("seats"),
        approval_num: form.get("approval_num"),
        approval_den: form.get("approval_den"),
        quorum_num: form.get("quorum_num"),
        quorum_den: form.get("quorum_den"),
        threshold: form.get("threshold"),
    };
    let mut errors = Errors::default();
    let (year, members, candidates) = {
        let state = app.service.read();
        let year = form
            .get("year")
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| state.members(&cluster, *y).is_ok());
        let members = year.map_or(0, |y| state.members(&cluster, y).map_or(0, <[_]>::len));
        let candidates = year.map_or(0, |y| votes::nominees(&state, &cluster, y).len());
        (year, members as u32, candidates as u32)
    };
    match year {
        None => errors.push("show-year", m.err_year),
        Some(_) if candidates == 0 => errors.push("show-year", m.no_nominees),
        Some(_) => {}
    }
    let award_kind = AWARDS.iter().find(|(k, _)| *k == f.award).map(|(_, a)| *a);
    if award_kind.is_none() {
        errors.push("award", m.err_award);
    }
    let title = Text::parse("title", &f.title, limits::TITLE)
        .map_err(|e| errors.push("title", lang.error(e.code())))
        .ok();
    let seats = number(&mut errors, m, "seats", &f.seats);
    if seats.is_some_and(|n| n == 0 || (candidates > 0 && n > candidates)) {
        errors.push("seats", m.err_seats);
    }
    let mut fraction = |num_id: &str, num: &str, den_id: &str, den: &str| {
        let n = number(&mut errors, m, num_id, num);
        let d = number(&mut errors, m, den_id, den);
        match (n, d) {
            (Some(num), Some(den)) if num > 0 && num <= den && den <= 1000 => {
                Some(Fraction { num, den })
            }
            (Some(_), Some(_)) => {
                errors.push(num_id, m.err_fraction);
                None
            }
            _ => None,
        }
    };
    let approval = fraction(
        "approval_num",
        &f.approval_num,
        "approval_den",
        &f.approval_den,
    );
    let quorum = fraction("quorum_num", &f.quorum_num, "quorum_den", &f.quorum_den);
    let threshold = number(&mut errors, m, "threshold", &f.threshold);
    if threshold.is_some_and(|t| t == 0 || (members > 0 && t > members)) {
        errors.push("threshold", m.err_threshold);
    }
    let (
        Some(year),
        Some(award_kind),
        Some(title),
        Some(seats),
        Some(approval),
        Some(quorum),
        Some(trustee_threshold),
        true,
    ) = (
        year,
        award_kind,
        title,
        seats,
        approval,
        quorum,
        threshold,
        errors.is_empty(),
    )
    else {
        return new_view(&app, &viewer, &cluster, year, Some(f), errors);
    };
    let Some(election) = fresh_id(&app.service.read(), &cluster, year, &f.award) else {
        errors.push("title", lang.error("election_exists"));
        return new_view(&app, &viewer, &cluster, Some(year), Some(f), errors);
    };
    let command = VoteCommand::OpenElection {
        election: election.clone(),
        cluster: cluster.clone(),
        year,
        award: award_kind,
        title,
        seats,
        approval,
        quorum,
        trustee_threshold,
    };
    match run(&app, &viewer, command).await {
        Ok(()) => Redirect::to(&format!("/elections/{election}?saved=1")).into_response(),
        Err(Ok(r)) => {
            let field = match (r.code, r.field) {
                ("election_candidates" | "election_members" | "no_cluster_year", _) => "show-year",
                (_, Some("seats" | "candidates")) => "seats",
                (_, Some("approval")) => "approval_num",
                (_, Some("quorum")) => "quorum_num",
                (_, Some("threshold" | "trustees")) => "threshold",
                _ => "title",
            };
            errors.push(field, r.message);
            new_view(&app, &viewer, &cluster, Some(year), Some(f), errors)
        }
        Err(Err(page)) => page,
    }
}

// ---------------------------------------------------------------------------------------
// The election's actions.

/// The election the viewer may see and whose cluster it manages, or the page to answer.
fn managed_election(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(std::sync::Arc<thidua_service::View>, Election), Box<Response>> {
    let (state, e) = visible(app, viewer, id).map_err(|err| Box::new(viewer_error(viewer, err)))?;
    if !manages(viewer, &e.cluster) {
        return Err(Box::new(viewer_error(viewer, ApiError::forbidden())));
    }
    Ok((state, e))
}

/// What the secretariat and the leaders may do on the election page now.
pub struct Actions {
    /// The open round the secretariat may close (no paper count recorded in it).
    pub close: Option<u32>,
    /// The secretariat may open round 2 (the domain would accept it).
    pub second_round: bool,
    /// The open round takes a paper count (no electronic ballot yet), or the corrected count
    /// of a round whose paper count was withdrawn.
    pub paper: Option<u32>,
    /// The secretariat may withdraw the round's paper count (not yet confirmed by two).
    pub withdraw: Option<u32>,
    /// The viewer's led member units that may confirm the waiting paper count.
    pub confirm: Vec<(String, Named)>,
    /// The viewer's led units (head, deputy) that may record a tie decision.
    pub tie: Vec<(String, Named)>,
    pub manages: bool,
}

impl Actions {
    pub fn any(&self) -> bool {
        self.close.is_some()
            || self.second_round
            || self.paper.is_some()
            || self.withdraw.is_some()
            || !self.confirm.is_empty()
            || !self.tie.is_empty()
    }
}

/// Round 1's candidates not elected, in order, and the seats left for round 2, when the
/// domain would open it now.
fn second_round_offer(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
) -> Option<(Vec<UnitId>, u32)> {
    let first = e.rounds.first()?;
    let elected = outcome(e, first).map(|o| o.elected).unwrap_or_default();
    let allowed: Vec<UnitId> = first
        .candidates
        .iter()
        .filter(|c| !elected.contains(c))
        .cloned()
        .collect();
    let seats = e.seats.checked_sub(elected.len() as u32)?;
    let command = Command::Vote(VoteCommand::OpenSecondRound {
        election: e.id.clone(),
        candidates: allowed.clone(),
    });
    thidua_domain::decide(state, &Actor::User(viewer.user.clone()), command)
        .ok()
        .map(|_| (allowed, seats))
}

/// The units the viewer leads that are the head or deputy of the election's year.
fn chairs(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Vec<UnitId> {
    let led = viewer.scope.led_units();
    state
        .clusters
        .get(&e.cluster)
        .and_then(|c| c.years.get(&e.year))
        .map(|y| {
            [y.head.as_ref(), y.deputy.as_ref()]
                .into_iter()
                .flatten()
                .map(|l| l.unit.clone())
                .filter(|u| led.contains(u))
                .collect()
        })
        .unwrap_or_default()
}

/// The last counted round with an undecided tie.
fn tied_round(e: &Election) -> Option<(&thidua_domain::votes::Round, votes::outcome::Tie)> {
    e.rounds.iter().rev().find_map(|r| {
        let tie = outcome(e, r)?.tie?;
        tie.decided.is_none().then_some((r, tie))
    })
}

/// The round whose paper count waits for confirmations.
fn paper_round(e: &Election) -> Option<&thidua_domain::votes::Round> {
    e.rounds
        .iter()
        .rev()
        .find(|r| r.paper.is_some() && r.count.is_none())
}

/// The round a paper count is entered for: the open one, or the last round, closed by a paper
/// count since withdrawn, that waits for the corrected count.
fn paper_entry_round(e: &Election) -> Option<&thidua_domain::votes::Round> {
    e.current_round().or_else(|| {
        e.rounds
            .last()
            .filter(|r| r.paper.is_none() && r.awaits_paper_count())
    })
}

/// The viewer's led units that may confirm the election's waiting paper count, and those
/// (head, deputy) that may record their decision of a tie: (unit id, name).
pub type UnitOffers = Vec<(String, Named)>;

pub fn leader_actions(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
) -> (UnitOffers, UnitOffers) {
    let led = viewer.scope.led_units();
    let confirm = paper_round(e)
        .and_then(|r| r.paper.as_ref())
        .map(|paper| {
            e.members
                .iter()
                .filter(|u| led.contains(u) && !paper.confirmations.contains_key(*u))
                .map(|u| (u.to_string(), names::unit(state, u)))
                .collect()
        })
        .unwrap_or_default();
    let tie = tied_round(e)
        .map(|(r, _)| {
            chairs(state, viewer, e)
                .into_iter()
                .filter(|u| !r.ties.contains_key(u))
                .map(|u| (u.to_string(), names::unit(state, &u)))
                .collect()
        })
        .unwrap_or_default();
    (confirm, tie)
}

pub fn actions(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Actions {
    let manages = manages(viewer, &e.cluster);
    let open = e.current_round();
    let (confirm, tie) = leader_actions(state, viewer, e);
    Actions {
        close: open
            .filter(|r| manages && r.paper.is_none())
            .map(|r| r.number),
        second_round: manages && open.is_none() && second_round_offer(state, viewer, e).is_some(),
        paper: paper_entry_round(e)
            .filter(|r| manages && r.ballots.is_empty())
            .map(|r| r.number),
        withdraw: paper_round(e).filter(|_| manages).map(|r| r.number),
        confirm,
        tie,
        manages,
    }
}

#[derive(Template)]
#[template(path = "election_close.html")]
struct ClosePage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    ballots: usize,
    members: usize,
    quorum_needed: u32,
    quorum_met: bool,
    errors: Errors,
}

fn close_view(viewer: &Viewer, e: &Election, errors: Errors) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = e.current_round() else {
        return viewer_error(viewer, conflict("vote_closed"));
    };
    let members = e.members.len();
    let res = render(&ClosePage {
        l: Layout::new(viewer, m.close_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        ballots: r.ballots.len(),
        members,
        quorum_needed: e.quorum.needed(members as u32),
        quorum_met: e.quorum.reached(r.ballots.len() as u32, members as u32),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/close`: the confirmation, with how many voted and the quorum.
async fn close_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => close_view(&viewer, &e, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/close`: `round` (the one confirmed).
async fn close_round(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let round = form.get("round").trim().parse::<u32>().unwrap_or(0);
    let command = VoteCommand::CloseRound {
        election: e.id.clone(),
        round,
    };
    match run(&app, &viewer, command).await {
        Ok(()) => Redirect::to(&format!("/elections/{id}?saved=1")).into_response(),
        Err(Ok(r)) => {
            let mut errors = Errors::default();
            errors.push("confirm-close", r.message);
            close_view(&viewer, &e, errors)
        }
        Err(Err(page)) => page,
    }
}

#[derive(Template)]
#[template(path = "election_second.html")]
struct SecondPage {
    l: Layout,
    m: &'static ManageStrings,
    id: String,
    title: String,
    intro: String,
    /// (unit id, name, checked)
    candidates: Vec<(String, Named, bool)>,
    errors: Errors,
}

fn second_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    checked: Option<&[String]>,
    errors: Errors,
) -> Response {
    let m = manage(viewer.lang.code());
    let Some((allowed, seats)) = second_round_offer(state, viewer, e) else {
        return viewer_error(viewer, conflict("vote_not_counted"));
    };
    let res = render(&SecondPage {
        l: Layout::new(viewer, m.second_title),
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        intro: crate::i18n::fill(m.second_intro, &[("seats", u64::from(seats))]),
        candidates: allowed
            .iter()
            .map(|u| {
                let on = checked.is_none_or(|c| c.iter().any(|x| x == u.as_str()));
                (u.to_string(), names::unit(state, u), on)
            })
            .collect(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/second-round`: round 1's candidates not chosen, all ticked.
async fn second_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => second_view(&state, &viewer, &e, None, Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/second-round`: checkboxes `c_<unit>`.
async fn second_round(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let m = manage(viewer.lang.code());
    let ticked: Vec<String> = form
        .fields
        .keys()
        .filter_map(|k| k.strip_prefix("c_"))
        .map(str::to_owned)
        .collect();
    // In round 1's order.
    let candidates: Vec<UnitId> = e.rounds[0]
        .candidates
        .iter()
        .filter(|u| ticked.iter().any(|t| t == u.as_str()))
        .cloned()
        .collect();
    let mut errors = Errors::default();
    let seats = {
        let state = app.service.read();
        second_round_offer(&state, &viewer, &e).map_or(0, |(_, s)| s)
    };
    if candidates.is_empty() || (candidates.len() as u32) < seats {
        errors.push("second-candidates", m.err_second_candidates);
    } else {
        let command = VoteCommand::OpenSecondRound {
            election: e.id.clone(),
            candidates,
        };
        match run(&app, &viewer, command).await {
            Ok(()) => {
                return Redirect::to(&format!("/elections/{id}?saved=1")).into_response();
            }
            Err(Ok(r)) => errors.push("second-candidates", r.message),
            Err(Err(page)) => return page,
        }
    }
    let state = app.service.read();
    second_view(&state, &viewer, &e, Some(&ticked), errors)
}

/// What the paper form holds, as typed.
#[derive(Clone, Default)]
struct PaperForm {
    approvals: Vec<String>,
    blank: String,
    issued: String,
    returned: String,
    invalid: String,
    team: String,
    note: String,
}

#[derive(Template)]
#[template(path = "election_paper.html")]
struct PaperPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    seats: u32,
    members: usize,
    /// (field id, name, typed)
    candidates: Vec<(String, Named, String)>,
    f: PaperForm,
    errors: Errors,
    /// The count is valid: shown once more before it is recorded (it closes the round; only
    /// withdrawn, with a reason, before two members confirm it).
    review: bool,
}

fn paper_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    f: Option<PaperForm>,
    errors: Errors,
    review: bool,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_entry_round(e) else {
        return viewer_error(viewer, conflict("vote_closed"));
    };
    if !r.ballots.is_empty() {
        return viewer_error(viewer, conflict("paper_after_ballots"));
    }
    let members = e.members.len();
    let f = f.unwrap_or_else(|| PaperForm {
        approvals: vec![String::new(); r.candidates.len()],
        issued: members.to_string(),
        invalid: "0".into(),
        blank: "0".into(),
        ..PaperForm::default()
    });
    let names: Vec<String> = r
        .candidates
        .iter()
        .map(|u| names::unit(state, u).text)
        .collect();
    let mut labels: Vec<(String, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (format!("a-{i}"), n.as_str()))
        .collect();
    labels.extend([
        ("blank".to_string(), m.paper_blank),
        ("issued".to_string(), s.minutes_issued),
        ("returned".to_string(), s.minutes_returned),
        ("invalid".to_string(), s.minutes_invalid),
        ("team".to_string(), s.minutes_counting_team),
        ("note".to_string(), m.paper_note),
    ]);
    let errors = labelled(errors, &labels);
    let res = render(&PaperPage {
        l: Layout::new(viewer, m.paper_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        seats: r.seats,
        members,
        candidates: r
            .candidates
            .iter()
            .enumerate()
            .map(|(i, u)| {
                (
                    format!("a-{i}"),
                    names::unit(state, u),
                    f.approvals.get(i).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        f,
        errors: errors.clone(),
        review,
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper`: the paper count form for the open round.
async fn paper_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => paper_view(&state, &viewer, &e, None, Errors::default(), false),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/paper`: `round`, `a-{i}` per candidate, `blank`, `issued`,
/// `returned`, `invalid`, `team` (one person a line), `note`; a valid count is shown for review
/// and recorded with `confirmed=1` (`edit=1` goes back to the form).
async fn record_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let lang = viewer.lang;
    let m = manage(lang.code());
    let Some(r) = paper_entry_round(&e).cloned() else {
        return viewer_error(&viewer, conflict("vote_closed"));
    };
    let f = PaperForm {
        approvals: (0..r.candidates.len())
            .map(|i| form.get(&format!("a-{i}")))
            .collect(),
        blank: form.get("blank"),
        issued: form.get("issued"),
        returned: form.get("returned"),
        invalid: form.get("invalid"),
        team: form.get("team"),
        note: form.get("note"),
    };
    if form.get("edit") == "1" {
        let state = app.service.read();
        return paper_view(&state, &viewer, &e, Some(f), Errors::default(), false);
    }
    let mut errors = Errors::default();
    let approvals: Vec<Option<u32>> = f
        .approvals
        .iter()
        .enumerate()
        .map(|(i, a)| number(&mut errors, m, &format!("a-{i}"), a))
        .collect();
    let blank = number(&mut errors, m, "blank", &f.blank);
    let issued = number(&mut errors, m, "issued", &f.issued);
    let returned = number(&mut errors, m, "returned", &f.returned);
    let invalid = number(&mut errors, m, "invalid", &f.invalid);
    let members = e.members.len() as u32;
    // The domain's rules (`check_paper`), each told beside its field.
    if issued.is_some_and(|i| i > members) {
        errors.push("issued", m.err_issued);
    }
    if let (Some(i), Some(r)) = (issued, returned) {
        if r > i {
            errors.push("returned", m.err_returned);
        }
    }
    if let (Some(r), Some(x)) = (returned, invalid) {
        if x > r {
            errors.push("invalid", m.err_invalid);
        }
    }
    let valid = match (returned, invalid) {
        (Some(r), Some(x)) if x <= r => Some(r - x),
        _ => None,
    };
    if let (Some(v), Some(b)) = (valid, blank) {
        if b > v {
            errors.push("blank", m.err_blank);
        } else {
            let voting = v - b;
            for (i, a) in approvals.iter().enumerate() {
                if a.is_some_and(|a| a > voting) {
                    errors.push(format!("a-{i}"), m.err_approvals);
                }
            }
            let sum: u64 = approvals.iter().flatten().map(|&a| u64::from(a)).sum();
            if sum > u64::from(r.seats) * u64::from(voting) {
                errors.push("a-0", m.err_total);
            }
        }
    }
    let mut team = Vec::new();
    for line in f.team.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match Text::parse("counting_team", line, limits::DISPLAY_NAME) {
            Ok(t) => team.push(t),
            Err(err) => errors.push("team", lang.error(err.code())),
        }
    }
    if team.is_empty() {
        errors.push("team", m.err_team);
    }
    let note = if f.note.trim().is_empty() {
        None
    } else {
        Text::parse("note", &f.note, limits::REASON)
            .map_err(|err| errors.push("note", lang.error(err.code())))
            .ok()
    };
    let approvals: Option<Vec<u32>> = approvals.into_iter().collect();
    let (Some(approvals), Some(abstentions), Some(issued), Some(returned), Some(invalid), true) = (
        approvals,
        blank,
        issued,
        returned,
        invalid,
        errors.is_empty(),
    ) else {
        let state = app.service.read();
        return paper_view(&state, &viewer, &e, Some(f), errors, false);
    };
    // A valid count is shown once more before it is recorded (`confirmed=1`).
    if form.get("confirmed") != "1" {
        let state = app.service.read();
        return paper_view(&state, &viewer, &e, Some(f), errors, true);
    }
    let round = form.get("round").trim().parse::<u32>().unwrap_or(r.number);
    let command = VoteCommand::RecordPaperCount {
        election: e.id.clone(),
        round,
        count: PaperCount {
            approvals,
            abstentions,
            issued,
            returned,
            invalid,
            counting_team: team,
            note,
        },
    };
    match run(&app, &viewer, command).await {
        Ok(()) => Redirect::to(&format!("/elections/{id}?saved=1")).into_response(),
        Err(Ok(refusal)) => {
            errors.push("a-0", refusal.message);
            let state = app.service.read();
            paper_view(&state, &viewer, &e, Some(f), errors, false)
        }
        Err(Err(page)) => page,
    }
}

#[derive(Template)]
#[template(path = "election_confirm.html")]
struct ConfirmPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    unit: Named,
    unit_id: String,
    lines: Vec<(Named, u32)>,
    count: PaperCount,
    valid: u32,
    confirmed: Vec<Named>,
    errors: Errors,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    unit: Option<String>,
}

/// The unit (led by the viewer, a member of the election) the viewer acts for: the one asked,
/// else the first of `offered`.
fn acting_unit(viewer: &Viewer, e: &Election, asked: Option<&str>) -> Option<UnitId> {
    let led = viewer.scope.led_units();
    let unit = match asked.map(UnitId::parse) {
        Some(Ok(u)) => u,
        Some(Err(_)) => return None,
        None => e.members.iter().find(|m| led.contains(m))?.clone(),
    };
    (led.contains(&unit) && e.members.contains(&unit)).then_some(unit)
}

fn confirm_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    unit: &UnitId,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_round(e) else {
        return viewer_error(viewer, conflict("no_paper_count"));
    };
    let paper = r.paper.as_ref().expect("a paper round");
    let c = paper.count.clone();
    let res = render(&ConfirmPage {
        l: Layout::new(viewer, m.confirm_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        unit: names::unit(state, unit),
        unit_id: unit.to_string(),
        lines: r
            .candidates
            .iter()
            .zip(&c.approvals)
            .map(|(u, a)| (names::unit(state, u), *a))
            .collect(),
        valid: c.returned.saturating_sub(c.invalid),
        count: c,
        confirmed: paper
            .confirmations
            .keys()
            .map(|u| names::unit(state, u))
            .collect(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper/confirm?unit=`: the count to confirm for a member the viewer
/// leads.
async fn confirm_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = acting_unit(&viewer, &e, q.unit.as_deref()) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    confirm_view(&state, &viewer, &e, &unit, Errors::default())
}

/// `POST /elections/{id}/paper/confirm`: `unit`, `round`.
async fn confirm_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match visible(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = acting_unit(&viewer, &e, Some(form.get("unit").as_str())) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    let round = form.get("round").trim().parse::<u32>().unwrap_or(0);
    let command = VoteCommand::ConfirmPaperCount {
        election: e.id.clone(),
        round,
        unit: unit.clone(),
    };
    match run(&app, &viewer, command).await {
        Ok(()) => Redirect::to(&format!("/elections/{id}?saved=1")).into_response(),
        Err(Ok(r)) => {
            let mut errors = Errors::default();
            errors.push("confirm-paper", r.message);
            let state = app.service.read();
            confirm_view(&state, &viewer, &e, &unit, errors)
        }
        Err(Err(page)) => page,
    }
}

#[derive(Template)]
#[template(path = "election_withdraw.html")]
struct WithdrawPage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    lines: Vec<(Named, u32)>,
    count: PaperCount,
    confirmed: Vec<Named>,
    reason: String,
    errors: Errors,
}

fn withdraw_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    reason: &str,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some(r) = paper_round(e) else {
        return viewer_error(viewer, conflict("no_paper_count"));
    };
    let paper = r.paper.as_ref().expect("a paper round");
    let errors = labelled(errors, &[("reason".to_string(), m.withdraw_reason)]);
    let res = render(&WithdrawPage {
        l: Layout::new(viewer, m.withdraw_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        lines: r
            .candidates
            .iter()
            .zip(&paper.count.approvals)
            .map(|(u, a)| (names::unit(state, u), *a))
            .collect(),
        count: paper.count.clone(),
        confirmed: paper
            .confirmations
            .keys()
            .map(|u| names::unit(state, u))
            .collect(),
        reason: reason.to_owned(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// `GET /elections/{id}/paper/withdraw`: the secretariat's withdrawal of the paper count that
/// waits for confirmations, with a reason.
async fn withdraw_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match managed_election(&app, &viewer, &id) {
        Ok((state, e)) => withdraw_view(&state, &viewer, &e, "", Errors::default()),
        Err(r) => *r,
    }
}

/// `POST /elections/{id}/paper/withdraw`: `round`, `reason`.
async fn withdraw_paper(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let e = match managed_election(&app, &viewer, &id) {
        Ok((_, e)) => e,
        Err(r) => return *r,
    };
    let Some(number) = paper_round(&e).map(|r| r.number) else {
        return viewer_error(&viewer, conflict("no_paper_count"));
    };
    let reason_raw = form.get("reason");
    let mut errors = Errors::default();
    let reason = Text::parse("reason", &reason_raw, limits::REASON)
        .map_err(|err| errors.push("reason", viewer.lang.error(err.code())))
        .ok();
    if let Some(reason) = reason {
        let round = form.get("round").trim().parse::<u32>().unwrap_or(number);
        let command = VoteCommand::WithdrawPaperCount {
            election: e.id.clone(),
            round,
            reason,
        };
        match run(&app, &viewer, command).await {
            Ok(()) => {
                return Redirect::to(&format!("/elections/{id}?saved=1")).into_response();
            }
            Err(Ok(refusal)) => errors.push("reason", refusal.message),
            Err(Err(page)) => return page,
        }
    }
    let state = app.service.read();
    withdraw_view(&state, &viewer, &e, &reason_raw, errors)
}

#[derive(Template)]
#[template(path = "election_tie.html")]
struct TiePage {
    l: Layout,
    s: &'static VoteStrings,
    m: &'static ManageStrings,
    id: String,
    title: String,
    round: u32,
    intro: String,
    unit: Named,
    unit_id: String,
    /// (unit id, name, approvals, checked)
    candidates: Vec<(String, Named, u32, bool)>,
    decision: String,
    errors: Errors,
}

fn tie_view(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    unit: &UnitId,
    typed: Option<(&[String], &str)>,
    errors: Errors,
) -> Response {
    let lang = viewer.lang.code();
    let (m, s) = (manage(lang), strings(lang));
    let Some((r, tie)) = tied_round(e) else {
        return viewer_error(viewer, conflict("no_tie"));
    };
    let approvals: HashMap<&UnitId, u32> = r
        .count
        .as_ref()
        .map(|c| {
            r.candidates
                .iter()
                .zip(c.approvals.iter().copied())
                .collect()
        })
        .unwrap_or_default();
    let res = render(&TiePage {
        l: Layout::new(viewer, m.tie_title),
        s,
        m,
        id: e.id.to_string(),
        title: e.title.to_string(),
        round: r.number,
        intro: crate::i18n::fill(m.tie_intro, &[("seats", u64::from(tie.seats))]),
        unit: names::unit(state, unit),
        unit_id: unit.to_string(),
        candidates: tie
            .candidates
            .iter()
            .map(|u| {
                let on = typed.is_some_and(|(c, _)| c.iter().any(|x| x == u.as_str()));
                (
                    u.to_string(),
                    names::unit(state, u),
                    approvals.get(u).copied().unwrap_or(0),
                    on,
                )
            })
            .collect(),
        decision: typed.map(|(_, d)| d.to_owned()).unwrap_or_default(),
        errors: errors.clone(),
    });
    with_status(res, &errors)
}

/// The head or deputy unit the viewer acts for in a tie: the one asked, else the first.
fn tie_unit(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
    asked: Option<&str>,
) -> Option<UnitId> {
    let mine = chairs(state, viewer, e);
    match asked {
        Some(a) => mine.into_iter().find(|u| u.as_str() == a),
        None => mine.into_iter().next(),
    }
}

/// `GET /elections/{id}/tie?unit=`: the head's or the deputy's decision of a tie.
async fn tie_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = tie_unit(&state, &viewer, &e, q.unit.as_deref()) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    tie_view(&state, &viewer, &e, &unit, None, Errors::default())
}

/// `POST /elections/{id}/tie`: `unit`, `round`, checkboxes `c_<unit>`, `decision`.
async fn decide_tie(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Submitted,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let Some(unit) = tie_unit(&state, &viewer, &e, Some(form.get("unit").as_str())) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    drop(state);
    let lang = viewer.lang;
    let m = manage(lang.code());
    let decision_raw = form.get("decision");
    let ticked: Vec<String> = form
        .fields
        .keys()
        .filter_map(|k| k.strip_prefix("c_"))
        .map(str::to_owned)
        .collect();
    let mut errors = Errors::default();
    let Some((r, tie)) = tied_round(&e) else {
        return viewer_error(&viewer, conflict("no_tie"));
    };
    let chosen: Vec<UnitId> = tie
        .candidates
        .iter()
        .filter(|u| ticked.iter().any(|t| t == u.as_str()))
        .cloned()
        .collect();
    if chosen.len() as u32 != tie.seats {
        errors.push("tie-candidates", m.err_tie_choice);
    }
    let decision = Text::parse("decision", &decision_raw, limits::DECISION)
        .map_err(|err| errors.push("decision", lang.error(err.code())))
        .ok();
    let round = form.get("round").trim().parse::<u32>().unwrap_or(r.number);
    if let (Some(decision), true) = (decision, errors.is_empty()) {
        let command = VoteCommand::DecideTie {
            election: e.id.clone(),
            round,
            unit: unit.clone(),
            chosen,
            decision,
        };
        match run(&app, &viewer, command).await {
            Ok(()) => {
                return Redirect::to(&format!("/elections/{id}?saved=1")).into_response();
            }
            Err(Ok(refusal)) => errors.push("tie-candidates", refusal.message),
            Err(Err(page)) => return page,
        }
    }
    let state = app.service.read();
    tie_view(
        &state,
        &viewer,
        &e,
        &unit,
        Some((&ticked, &decision_raw)),
        errors,
    )
}
