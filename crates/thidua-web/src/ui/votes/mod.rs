//! The voting pages: an election (candidates, the key ceremony's progress, who voted, each
//! round's result with approvals as a share of the total membership), the ballot (encrypted in
//! the browser by `/static/ballot.wasm`, or with `thidua vote`), the receipt check, and the
//! vote-count minutes as a page ready to print (until the documents layer takes them over).
//! What the server could learn on each path is said on the ballot page.

pub mod describe;
pub mod manage;
pub mod trustee;

use crate::ui::extract::{Path, Query};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use thidua_domain::model::LeadershipPosition;
use thidua_domain::votes::{
    self, outcome, AwardKind, Election, LeftOut, Outcome, Round, TieRecord, TieRule,
};
use thidua_domain::{ElectionId, UnitId};

use super::{render, viewer_error, Layout};
use crate::auth::Viewer;
use crate::error::ApiError;
use crate::i18n::votes::{strings, VoteStrings};
use crate::ui::names::{self, Named};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/ballot.js", get(super::assets::ballot_js))
        .route("/static/ballot.wasm", get(super::assets::ballot_wasm))
        .route("/elections/{id}", get(election_page))
        .route("/elections/{id}/vote", get(vote_page))
        .route("/elections/{id}/minutes", get(minutes_page))
        .route("/elections/{id}/receipt", get(receipt_page))
        .route("/api/v1/elections/{id}", get(election_api))
        .merge(manage::routes())
}

/// The election the viewer may see (its cluster visible), or not found.
fn visible(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<(std::sync::Arc<thidua_service::View>, Election), ApiError> {
    let id = ElectionId::parse(id).map_err(|_| ApiError::not_found())?;
    let state = app.service.read();
    let e = state
        .elections
        .get(&id)
        .cloned()
        .ok_or_else(ApiError::not_found)?;
    if !viewer.scope.can_view_cluster(&state, &e.cluster) {
        return Err(ApiError::not_found());
    }
    Ok((state, e))
}

pub(crate) fn award(s: &VoteStrings, a: AwardKind) -> &'static str {
    match a {
        AwardKind::GovernmentFlag => s.award_government_flag,
        AwardKind::MinistryFlag => s.award_ministry_flag,
        AwardKind::Certificate => s.award_certificate,
        AwardKind::Head => s.award_head,
        AwardKind::Deputy => s.award_deputy,
    }
}

/// `count` of `total` as a percentage rounded to one decimal, written as the product writes
/// numbers in both languages ([`crate::format::decimal`]: "66,7%", "80%").
fn percent(count: u32, total: u32) -> String {
    use rust_decimal::{Decimal, RoundingStrategy};
    let share = Decimal::from(u64::from(count) * 100) / Decimal::from(total.max(1));
    let share = share.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    format!("{}%", crate::format::decimal(&share))
}

/// A tie at the cut-off: what is said of it, the tied units, how it was decided once it is,
/// and the decisions recorded.
struct TieView {
    label: String,
    units: Vec<Named>,
    rule: Option<String>,
    /// While the head's decision waits for the deputy's: from when it may stand alone.
    waiting: Option<String>,
    decisions: Vec<TieDecisionView>,
}

/// One recorded decision of a tie: the position and unit, who recorded it and in which record,
/// the units it chose and its grounds.
pub(crate) struct TieDecisionView {
    position: &'static str,
    unit: Named,
    by: Named,
    index: u64,
    chosen: Vec<Named>,
    grounds: String,
}

/// A round counted, or to be counted, on paper with no electronic ballot: that it was, with
/// the paper count's ballots once recorded. Its members are then not listed as not voting.
fn paper_only(s: &VoteStrings, r: &Round) -> Option<String> {
    let paper = r.paper.is_some() || r.awaits_paper_count();
    if !paper || !r.ballots.is_empty() {
        return None;
    }
    let mut said = s.paper_round.to_owned();
    if let Some(p) = &r.paper {
        let ballots = crate::i18n::fill(
            s.paper_ballots,
            &[
                ("returned", p.count.returned.to_string()),
                ("issued", p.count.issued.to_string()),
            ],
        );
        said = format!("{said} {ballots}");
    }
    Some(said)
}

/// What the pages say of how a tie was decided.
fn tie_rule(s: &VoteStrings, rule: TieRule) -> String {
    match rule {
        TieRule::Agreed => s.tie_rule_agreed.to_owned(),
        TieRule::HeadOverDeputy => s.tie_rule_head_over_deputy.to_owned(),
        TieRule::HeadWithoutDeputy => s.tie_rule_head_alone.to_owned(),
        TieRule::DeputyWithoutHead => s.tie_rule_deputy_alone.to_owned(),
        TieRule::HeadDeputySilent => with_wait_days(s.tie_rule_deputy_silent),
    }
}

/// `template` with its `{days}` the deputy's wait ([`thidua_domain::votes::TIE_WAIT_DAYS`]).
fn with_wait_days(template: &str) -> String {
    template.replace("{days}", &thidua_domain::votes::TIE_WAIT_DAYS.to_string())
}

/// While a counted round's tie waits for the deputy beside the head's decision: the day from
/// which the head's decision may stand alone (the count's day in Vietnam and the wait).
fn tie_waiting(s: &VoteStrings, r: &Round) -> Option<String> {
    use thidua_domain::model::LeadershipPosition as P;
    let head_only = r.ties.values().all(|t| t.position == P::Head && !t.alone);
    let over = r.deputy_wait_over()?;
    (!r.ties.is_empty() && head_only).then(|| {
        let from = thidua_domain::figures::local_date(over);
        s.tie_waiting_deputy
            .replace("{date}", &crate::format::date(&from))
    })
}

/// The round's recorded tie decisions, in log order.
pub(crate) fn tie_decisions(
    state: &thidua_domain::State,
    viewer: &Viewer,
    r: &Round,
) -> Vec<TieDecisionView> {
    let s = strings(viewer.lang.code());
    let t = viewer.lang.strings();
    let mut records: Vec<(&UnitId, &TieRecord)> = r.ties.iter().collect();
    records.sort_by_key(|(_, d)| d.index);
    records
        .into_iter()
        .map(|(unit, d)| TieDecisionView {
            position: match d.position {
                LeadershipPosition::Head => s.tie_head,
                LeadershipPosition::Deputy => s.tie_deputy,
            },
            unit: names::unit(state, unit),
            by: names::actor(t, &viewer.scope, state, &d.by),
            index: d.index,
            chosen: d.chosen.iter().map(|u| names::unit(state, u)).collect(),
            grounds: d.decision.to_string(),
        })
        .collect()
}

/// What is said of a ballot that replaced one another person cast: who cast each.
fn other_hand(
    state: &thidua_domain::State,
    viewer: &Viewer,
    s: &VoteStrings,
    b: &thidua_domain::votes::CastBallot,
) -> Option<String> {
    let earlier = b.replaced_other.as_ref()?;
    let t = viewer.lang.strings();
    let name = |a| names::actor(t, &viewer.scope, state, a).text;
    Some(
        s.cast_by_other
            .replace("{by}", &name(&b.by))
            .replace("{earlier}", &name(earlier)),
    )
}

/// One line of a round's result.
struct Line {
    unit: Named,
    approvals: u32,
    percent: String,
    elected: bool,
    /// What the result column says: chosen (elected, for a head or deputy), reaches the
    /// threshold (and, at a decided tie that did not pick it, not chosen), or not chosen.
    result: &'static str,
}

/// The result column of a candidate's line (`Line::result`).
fn line_result(
    s: &VoteStrings,
    e: &Election,
    o: &Outcome,
    c: &thidua_domain::votes::outcome::CandidateResult,
) -> &'static str {
    let leader = matches!(e.award, AwardKind::Head | AwardKind::Deputy);
    let tie_left = o
        .tie
        .as_ref()
        .is_some_and(|t| t.decided.is_some() && t.candidates.contains(&c.unit));
    match (c.elected, c.passes) {
        (true, _) if leader => s.elected_leader,
        (true, _) => s.elected,
        (false, true) if tie_left => s.passes_not_chosen,
        (false, true) => s.passes,
        (false, false) => s.not_elected,
    }
}

/// A round as the pages show it.
struct RoundView {
    number: u32,
    status: &'static str,
    open: bool,
    /// Each member, when it voted, and what is said when another person's ballot replaced
    /// one of its ballots (who cast each).
    voters: Vec<(Named, Option<String>, Option<String>)>,
    ballots: usize,
    lines: Vec<Line>,
    outcome: Option<Outcome>,
    elected: Vec<Named>,
    /// Counted on paper: the units whose leaders confirmed the count.
    paper: Option<Vec<Named>>,
    /// Counted on paper with no electronic ballot: what is said instead of who voted.
    paper_only: Option<String>,
    tie: Option<TieView>,
    shares: Vec<Named>,
    /// The electronic count set aside: what is said of it (the record and when) and why.
    set_aside: Option<(String, String)>,
    /// Closed below the quorum: it held no valid ballot and does not use up a round.
    lacked_quorum: bool,
}

fn round_view(state: &thidua_domain::State, viewer: &Viewer, e: &Election, r: &Round) -> RoundView {
    let s = strings(viewer.lang.code());
    let members = e.members.len() as u32;
    let o = outcome(e, r);
    let status = if r.closed_at.is_none() && r.paper.is_none() && e.keys().is_none() {
        // No ballot can be cast before the trustees' key exists.
        s.round_awaiting_key
    } else if r.closed_at.is_none() {
        s.round_open
    } else if r.count.is_some() {
        s.round_counted
    } else if r.set_aside.is_some() {
        s.round_set_aside
    } else if r.totals.is_none() && !r.awaits_paper_count() {
        s.round_no_quorum
    } else if r.paper.is_some() {
        // A paper count waits for two members' confirmations: nothing to decrypt.
        s.round_paper_confirming
    } else if r.awaits_paper_count() {
        s.round_paper_awaited
    } else {
        s.round_closed
    };
    let lines = match (&o, &r.count) {
        (Some(o), Some(_)) => o
            .candidates
            .iter()
            .map(|c| Line {
                unit: names::unit(state, &c.unit),
                approvals: c.approvals,
                percent: percent(c.approvals, members),
                elected: c.elected,
                result: line_result(s, e, o, c),
            })
            .collect(),
        _ => Vec::new(),
    };
    let paper = r.paper.as_ref().map(|p| {
        p.confirmations
            .keys()
            .map(|u| names::unit(state, u))
            .collect()
    });
    let tie = o.as_ref().and_then(|o| o.tie.as_ref()).map(|t| TieView {
        label: if t.decided.is_some() {
            s.tie_decided.to_owned()
        } else {
            with_wait_days(s.tie)
        },
        units: t.candidates.iter().map(|u| names::unit(state, u)).collect(),
        rule: t.rule.map(|rule| tie_rule(s, rule)),
        waiting: t.decided.is_none().then(|| tie_waiting(s, r)).flatten(),
        decisions: tie_decisions(state, viewer, r),
    });
    RoundView {
        number: r.number,
        status,
        lacked_quorum: r.lacked_quorum(e),
        open: r.closed_at.is_none(),
        voters: e
            .members
            .iter()
            .map(|m| {
                let ballot = r.ballots.get(m);
                let when = ballot.map(|b| crate::format::time_ms(b.time_ms));
                let other = ballot.and_then(|b| other_hand(state, viewer, s, b));
                (names::unit(state, m), when, other)
            })
            .collect(),
        ballots: r.ballots.len(),
        elected: o
            .as_ref()
            .map(|o| o.elected.iter().map(|u| names::unit(state, u)).collect())
            .unwrap_or_default(),
        lines,
        outcome: o,
        paper,
        paper_only: paper_only(s, r),
        tie,
        shares: r.shares.keys().map(|u| names::unit(state, u)).collect(),
        set_aside: r.set_aside.as_ref().map(|a| {
            let notice = crate::i18n::fill(
                s.set_aside_notice,
                &[
                    ("index", a.index.to_string()),
                    ("time", crate::format::time_ms(a.time_ms)),
                ],
            );
            (notice, a.reason.to_string())
        }),
    }
}

/// Units left out of an election's candidates, each told with why: "Công an tỉnh Kiên Giang:
/// đã được đề nghị ở cuộc bỏ phiếu …" ([`votes::left_out_of`], [`votes::left_out`]) — the
/// reasons `votes::candidates` decides, which the vote-count minutes tell too.
pub(crate) fn left_out(
    state: &thidua_domain::State,
    s: &VoteStrings,
    left: Vec<(UnitId, LeftOut)>,
) -> Vec<Vec<Named>> {
    left.into_iter()
        .map(|(unit, why)| {
            let mut told = vec![names::unit(state, &unit), Named::plain(": ")];
            match why {
                LeftOut::Proposed { election } => told.extend([
                    Named::plain(format!("{} ", s.left_proposed)),
                    describe::election(state, &election),
                ]),
                LeftOut::NotMemberNextYear { into: None } => {
                    told.push(Named::plain(s.left_not_member))
                }
                LeftOut::NotMemberNextYear { into: Some(into) } => told.extend([
                    Named::plain(format!("{} ", s.left_merged)),
                    names::unit(state, &into),
                    Named::plain(")"),
                ]),
                LeftOut::StandsAs { unit } => told.extend([
                    Named::plain(format!("{} ", s.left_stands_as)),
                    names::unit(state, &unit),
                ]),
                LeftOut::NotRanked => told.push(Named::plain(s.left_not_ranked)),
                LeftOut::DisciplinePending => told.push(Named::plain(s.left_discipline)),
                LeftOut::Ineligible { basis } => told.extend([
                    Named::plain(format!("{} ", s.left_ineligible)),
                    Named::data(basis.as_str()),
                ]),
                LeftOut::ElectedInRound { round } => told.push(Named::plain(
                    s.left_elected_in_round
                        .replace("{round}", &round.to_string()),
                )),
                LeftOut::NotCarried { round } => told.push(Named::plain(
                    s.left_not_carried.replace("{round}", &round.to_string()),
                )),
                LeftOut::NotListed => told.push(Named::plain(s.left_not_listed)),
            }
            told
        })
        .collect()
}

/// What the election page says of an election the secretariat ended (`ended`: its
/// cancellation or its conclusion, said with `template`): who ended it, when, the record, and
/// the reason.
fn ending_notice(
    state: &thidua_domain::State,
    viewer: &Viewer,
    ended: Option<&thidua_domain::votes::Cancellation>,
    template: &str,
) -> Option<(String, String)> {
    let c = ended?;
    let by = names::actor(viewer.lang.strings(), &viewer.scope, state, &c.by).text;
    let notice = crate::i18n::fill(
        template,
        &[
            ("by", by),
            ("time", crate::format::time_ms(c.time_ms)),
            ("index", c.index.to_string()),
        ],
    );
    Some((notice, c.reason.to_string()))
}

/// One voting-key registration as the election page lists it.
struct KeyView {
    unit: Named,
    time: String,
    by: Named,
    index: u64,
    what: &'static str,
}

/// Every voting-key registration of the election, by voter unit (in the members' order) then
/// in log order: when, by whom, and whether it replaced the unit's earlier key.
fn key_registrations(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Vec<KeyView> {
    let s = strings(viewer.lang.code());
    let t = viewer.lang.strings();
    e.members
        .iter()
        .flat_map(|m| e.key_registrations.iter().filter(move |k| &k.unit == m))
        .map(|k| KeyView {
            unit: names::unit(state, &k.unit),
            time: crate::format::time_ms(k.time_ms),
            by: names::actor(t, &viewer.scope, state, &k.by),
            index: k.index,
            what: if k.replaced {
                s.key_replaced
            } else {
                s.key_first
            },
        })
        .collect()
}

/// What the viewer is told of its led units' voting keys registered again by another person
/// (the latest registration of the unit replaced a key and was not the viewer's).
pub(crate) fn key_changed_notices(
    state: &thidua_domain::State,
    viewer: &Viewer,
    e: &Election,
) -> Vec<String> {
    let s = strings(viewer.lang.code());
    let t = viewer.lang.strings();
    let me = thidua_domain::Actor::User(viewer.user.clone());
    let led = viewer.scope.led_units();
    e.members
        .iter()
        .filter(|m| led.contains(m))
        .filter_map(|m| e.key_registrations.iter().rfind(|k| &k.unit == m))
        .filter(|k| k.replaced && k.by != me)
        .map(|k| {
            let by = names::actor(t, &viewer.scope, state, &k.by).text;
            s.key_changed_notice
                .replace("{time}", &crate::format::time_ms(k.time_ms))
                .replace("{by}", &by)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "election.html")]
struct ElectionPage {
    l: Layout,
    s: &'static VoteStrings,
    id: String,
    cluster: Named,
    year: i32,
    award: &'static str,
    candidates: Vec<Named>,
    /// The members left out of the candidates, each told with why.
    left_out: Vec<Vec<Named>>,
    /// The election's cancellation: the notice (who, when, the record) and the reason.
    cancelled: Option<(String, String)>,
    /// Concluded without a further round: the notice and the reason.
    concluded: Option<(String, String)>,
    seats: u32,
    approval: String,
    quorum: String,
    trustees: Vec<Named>,
    threshold: u32,
    /// Every voting-key registration, by voter unit.
    keys: Vec<KeyView>,
    /// To the viewer: its unit's voting key registered again by another person.
    key_notices: Vec<String>,
    ceremony_done: bool,
    /// The ceremony's steps, each with how many trustees have sent it.
    ceremony_steps: Vec<String>,
    /// Each abandoned key generation, told with the units' names.
    failures: Vec<Vec<Named>>,
    rounds: Vec<RoundView>,
    can_vote: Vec<Named>,
    m: &'static crate::i18n::votes::ManageStrings,
    actions: manage::Actions,
    state_label: String,
    saved: bool,
    /// The viewer's trustee units with a step waiting for them, each with how to do it.
    w: &'static crate::i18n::votes::TrusteeStrings,
    trustee_tasks: Vec<trustee::Task>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedQuery {
    saved: Option<String>,
}

/// An abandoned key generation told with the units' names and the verdict.
fn failure_sentence(
    state: &thidua_domain::State,
    s: &'static VoteStrings,
    f: &thidua_domain::votes::CeremonyFailure,
) -> Vec<Named> {
    // By the verdict's wire name (its two values, `accused_at_fault` and
    // `complaint_unfounded`): the ballot crate is not a dependency of this one.
    let wire = serde_json::to_value(f.verdict).ok();
    let verdict = match wire.as_ref().and_then(|v| v.as_str()) {
        Some("accused_at_fault") => s.verdict_accused_at_fault,
        _ => s.verdict_complaint_unfounded,
    };
    names::sentence(
        s.ceremony_failed,
        &[
            ("attempt", vec![Named::plain(f.attempt.to_string())]),
            ("complainer", vec![names::unit(state, &f.complainer)]),
            ("accused", vec![names::unit(state, &f.accused)]),
            ("verdict", vec![Named::plain(verdict)]),
        ],
    )
}

/// The viewer's led member units that may vote now (a round open, the key made).
fn voters_here(state: &thidua_domain::State, viewer: &Viewer, e: &Election) -> Vec<Named> {
    if e.current_round().is_none() || e.keys().is_none() {
        return Vec::new();
    }
    let led = viewer.scope.led_units();
    e.members
        .iter()
        .filter(|m| led.contains(m))
        .map(|m| names::unit(state, m))
        .collect()
}

async fn election_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
    client: crate::client::ClientInfo,
    headers: axum::http::HeaderMap,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let t = viewer.lang.strings();
    let s = strings(t.lang_code);
    let members = e.members.len() as u32;
    let c = &e.ceremony;
    let n = e.members.len();
    // Each step named with how many trustees have sent it (while the key is being generated).
    let ceremony_steps = crate::i18n::history::ceremony_progress(viewer.lang, c.counts(), n);
    let can_vote = voters_here(&state, &viewer, &e);
    render(&ElectionPage {
        l: Layout::new(&viewer, e.title.as_str()),
        s,
        id: e.id.to_string(),
        cluster: names::cluster(&state, &e.cluster),
        year: e.year,
        award: award(s, e.award),
        candidates: e.rounds[0]
            .candidates
            .iter()
            .map(|u| names::unit(&state, u))
            .collect(),
        left_out: left_out(&state, s, votes::left_out_of(&state, &e)),
        cancelled: ending_notice(&state, &viewer, e.cancelled.as_ref(), s.cancelled_notice),
        concluded: ending_notice(&state, &viewer, e.concluded.as_ref(), s.concluded_notice),
        keys: key_registrations(&state, &viewer, &e),
        key_notices: key_changed_notices(&state, &viewer, &e),
        seats: e.seats,
        approval: s.members_share(
            e.approval.num,
            e.approval.den,
            e.approval.needed(members),
            members,
        ),
        quorum: s.members_share(
            e.quorum.num,
            e.quorum.den,
            e.quorum.needed(members),
            members,
        ),
        trustees: e.members.iter().map(|u| names::unit(&state, u)).collect(),
        threshold: e.trustee_threshold,
        ceremony_done: e.keys().is_some(),
        ceremony_steps,
        failures: c
            .failures
            .iter()
            .map(|f| failure_sentence(&state, s, f))
            .collect(),
        rounds: e
            .rounds
            .iter()
            .map(|r| round_view(&state, &viewer, &e, r))
            .collect(),
        can_vote,
        m: crate::i18n::votes::manage(t.lang_code),
        actions: manage::actions(&state, &viewer, &e),
        state_label: manage::state_label(crate::i18n::votes::manage(t.lang_code), s, &e),
        saved: q.saved.is_some(),
        w: crate::i18n::votes::trustee(t.lang_code),
        trustee_tasks: trustee::tasks(
            crate::i18n::votes::trustee(t.lang_code),
            &state,
            &viewer,
            &e,
            &super::server_address(&app, &client, &headers),
            app.service.key().verifier_key(),
        ),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitQuery {
    unit: Option<String>,
}

#[derive(Template)]
#[template(path = "vote.html")]
struct VotePage {
    l: Layout,
    s: &'static VoteStrings,
    id: String,
    title: String,
    unit: Named,
    unit_id: String,
    round: u32,
    seats: u32,
    candidates: Vec<(u32, Named)>,
    context: String,
    election_key: String,
    registered_key: String,
    /// The unit's voting key registered again by another person: what the leader is told.
    key_notices: Vec<String>,
    command: String,
    /// The sentences the script shows when the ballot is refused, by code (JSON), in the
    /// viewer's language: the ballot's own checks and every refusal casting it may meet.
    messages: String,
}

/// The codes a ballot sent from the voting page can be refused with, beside the choices the
/// page itself refuses before anything is sent (`too_many`: more candidates ticked than seats;
/// `none_chosen`: neither a candidate nor the abstention; `both_chosen`: candidates and the
/// abstention) and `other`.
const BALLOT_REFUSALS: &[&str] = &[
    "ballot_invalid",
    "ballot_bad_signature",
    "ballot_bad_proof",
    "ballot_replayed",
    "vote_closed",
    "vote_no_key",
    "voter_key_missing",
    "voter_key_taken",
    "forbidden",
    "not_found",
    "csrf",
    "unauthenticated",
    "busy",
    "halted",
    "internal",
    "invalid_body",
];

/// The voting page's refusal sentences ([`BALLOT_REFUSALS`]) as a JSON object.
fn ballot_messages(lang: crate::i18n::Lang, s: &VoteStrings, seats: u32) -> String {
    let mut out: serde_json::Map<String, serde_json::Value> = BALLOT_REFUSALS
        .iter()
        .map(|c| ((*c).to_owned(), lang.error(c).into()))
        .collect();
    out.insert("too_many".into(), s.too_many(seats).into());
    out.insert("none_chosen".into(), s.vote_choose_none.into());
    out.insert("both_chosen".into(), s.vote_choose_both.into());
    out.insert("other".into(), s.vote_failed.into());
    serde_json::Value::Object(out).to_string()
}

async fn vote_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<UnitQuery>,
    client: crate::client::ClientInfo,
    headers: axum::http::HeaderMap,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let led = viewer.scope.led_units();
    let unit = match q.unit.as_deref().map(UnitId::parse) {
        Some(Ok(u)) => Some(u),
        Some(Err(_)) => None,
        None => e.members.iter().find(|m| led.contains(m)).cloned(),
    };
    let Some(unit) = unit.filter(|u| led.contains(u) && e.members.contains(u)) else {
        return viewer_error(&viewer, ApiError::forbidden());
    };
    let (Some(round), Some(keys)) = (e.current_round(), e.keys()) else {
        return viewer_error(
            &viewer,
            ApiError::new(axum::http::StatusCode::CONFLICT, "vote_closed", ""),
        );
    };
    let s = strings(viewer.lang.code());
    let context = e.ballot_context(round);
    render(&VotePage {
        l: Layout::new(&viewer, format!("{} — {}", s.vote_title, e.title)),
        s,
        id: e.id.to_string(),
        title: e.title.to_string(),
        unit: names::unit(&state, &unit),
        unit_id: unit.to_string(),
        round: round.number,
        seats: round.seats,
        candidates: round
            .candidates
            .iter()
            .enumerate()
            .map(|(i, u)| (i as u32, names::unit(&state, u)))
            .collect(),
        context: serde_json::to_string(&context).expect("a context serialises"),
        election_key: serde_json::to_value(keys.election_key())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        registered_key: e
            .voter_keys
            .get(&unit)
            .map(|(k, _)| k.to_string())
            .unwrap_or_default(),
        key_notices: key_changed_notices(&state, &viewer, &e),
        command: format!(
            "thidua vote --server {} --log-key '{}' --election {} --unit {unit}",
            super::server_address(&app, &client, &headers),
            app.service.key().verifier_key(),
            e.id
        ),
        messages: ballot_messages(viewer.lang, s, round.seats),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptQuery {
    /// As typed: a number that is not one is refused beside its field.
    index: Option<String>,
    hash: Option<String>,
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    l: Layout,
    s: &'static VoteStrings,
    id: String,
    title: String,
    index: String,
    hash: String,
    /// What is wrong with the record number asked with (missing, not a number), said beside it.
    index_error: Option<&'static str>,
    /// What is wrong with the hash asked with (missing, not 64 hexadecimal digits).
    hash_error: Option<&'static str>,
    /// None: nothing asked yet; Some((found, counted, unit)).
    result: Option<(bool, bool, Option<Named>)>,
}

async fn receipt_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ReceiptQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let s = strings(viewer.lang.code());
    // Once either field is given (the form sent), each is required; the first visit asks
    // nothing and says nothing.
    let asked = q.index.is_some() || q.hash.is_some();
    let hash = q.hash.unwrap_or_default().trim().to_ascii_lowercase();
    let typed = q.index.unwrap_or_default().trim().to_owned();
    let parsed = typed.parse::<u64>().ok();
    let index_error = if typed.is_empty() {
        asked.then_some(s.receipt_index_missing)
    } else {
        parsed.is_none().then_some(s.receipt_index_invalid)
    };
    let hash_error = if hash.is_empty() {
        asked.then_some(s.receipt_hash_missing)
    } else {
        (!is_ballot_hash(&hash)).then_some(s.receipt_hash_invalid)
    };
    let result = match parsed {
        Some(index) if hash_error.is_none() && index_error.is_none() => {
            let event = app
                .blocking(move |app| Ok(app.service.store().entries(index, index + 1)?))
                .await
                .ok()
                .and_then(|entries| entries.into_iter().next())
                .and_then(|entry| thidua_domain::Event::decode(index, &entry.bytes).ok());
            let found = event.and_then(|ev| {
                thidua_domain::votes::receipt::check(&state, &ev, &hash, Some(&e.id))
            });
            Some(match found {
                Some(f) => (true, f.counted, Some(names::unit(&state, &f.unit))),
                None => (false, false, None),
            })
        }
        _ => None,
    };
    render(&ReceiptPage {
        l: Layout::new(&viewer, s.receipt_check),
        s,
        id: e.id.to_string(),
        title: e.title.to_string(),
        index: typed,
        hash,
        index_error,
        hash_error,
        result,
    })
}

/// A ballot's hash as receipts print it: 64 hexadecimal digits (lowercased before).
fn is_ballot_hash(hash: &str) -> bool {
    thidua_domain::ids::is_sha256_hex(hash)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundQuery {
    round: Option<u32>,
}

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage {
    l: Layout,
    s: &'static VoteStrings,
    id: String,
    title: String,
    cluster: String,
    /// The cluster's "Văn bản" section of the year, where the official minutes are issued.
    documents: String,
    year: i32,
    award: &'static str,
    r: RoundView,
    issued: u32,
    returned: u32,
    /// The ballots counted: every electronic one, the returned paper ones less the invalid.
    valid: u32,
    invalid: u32,
    counting_team: Vec<String>,
    paper: bool,
    approval: String,
}

async fn minutes_page(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<RoundQuery>,
) -> Response {
    let (state, e) = match visible(&app, &viewer, &id) {
        Ok(x) => x,
        Err(err) => return viewer_error(&viewer, err),
    };
    let s = strings(viewer.lang.code());
    let number = q.round.unwrap_or(e.rounds.len() as u32);
    let Ok(r) = e.round(number) else {
        return viewer_error(&viewer, ApiError::not_found());
    };
    if r.count.is_none() {
        return viewer_error(
            &viewer,
            ApiError::new(axum::http::StatusCode::CONFLICT, "vote_not_counted", ""),
        );
    }
    let members = e.members.len() as u32;
    let (issued, returned, valid, invalid, counting_team, paper) = match &r.paper {
        Some(p) => (
            p.count.issued,
            p.count.returned,
            p.count.valid(),
            p.count.invalid,
            p.count
                .counting_team
                .iter()
                .map(|n| n.to_string())
                .collect(),
            true,
        ),
        None => (
            members,
            r.ballots.len() as u32,
            r.ballots.len() as u32,
            0,
            r.shares
                .keys()
                .map(|u| names::unit(&state, u).text)
                .collect(),
            false,
        ),
    };
    render(&MinutesPage {
        l: Layout::new(&viewer, s.minutes),
        s,
        id: e.id.to_string(),
        title: e.title.to_string(),
        cluster: names::cluster(&state, &e.cluster).text,
        documents: format!("/clusters/{}?year={}#documents", e.cluster, e.year),
        year: e.year,
        award: award(s, e.award),
        r: round_view(&state, &viewer, &e, r),
        issued,
        returned,
        valid,
        invalid,
        counting_team,
        paper,
        approval: s.members_share(
            e.approval.num,
            e.approval.den,
            e.approval.needed(members),
            members,
        ),
    })
}

/// The election as JSON for clients (`thidua vote`, the trustee commands): everything in it is
/// public to the cluster (ceremony messages, encrypted ballots, shares), plus each round's
/// ballot context and outcome.
/// `GET /api/v1/elections/{id}`: the election as recorded, its trustees' parameters and key,
/// and each round's ballot context and outcome (what `thidua vote` and `thidua trustee` read).
#[utoipa::path(get, path = "/api/v1/elections/{id}", tag = "votes",
    params(("id" = String, Path, description = "election id")),
    responses((status = 200, description = "the election, its key and its rounds", body = serde_json::Value),
        (status = 404, body = crate::error::ErrorBody)))]
pub(crate) async fn election_api(
    State(app): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (_, e) = visible(&app, &viewer, &id)?;
    let rounds: Vec<serde_json::Value> = e
        .rounds
        .iter()
        .map(|r| {
            serde_json::json!({
                "number": r.number,
                "context": e.ballot_context(r),
                "outcome": outcome(&e, r),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "election": e,
        "trustee_params": e.trustee_params(),
        "election_key": e.keys().map(|k| k.election_key().clone()),
        "rounds": rounds,
    })))
}
