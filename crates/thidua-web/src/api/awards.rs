//! The awards of a year across clusters (tổng hợp khen thưởng): for every cluster the viewer
//! may see, whether its year-end results are published and who ranked first, each award vote
//! with the units it elected, and the submissions (tờ trình) issued from them — what the
//! Ministry's emulation department gathers from its clusters at the end of the year. Read from
//! the state only: the same facts as each cluster's pages, never more.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use thidua_domain::documents::DocumentKind;
use thidua_domain::votes::{self, AwardKind, Election};
use thidua_domain::yearend::PublishedResult;
use thidua_domain::{ClusterId, State as DomainState, UnitId};
use utoipa::{IntoParams, ToSchema};

use super::dto::{unit_ref, UnitRef};
use super::extract::ApiQuery;
use crate::auth::Viewer;
use crate::authz::Scope;
use crate::error::ApiError;
use crate::AppState;

/// `?year=`: the year shown.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AwardsQuery {
    /// Default: the latest year in which a visible cluster voted or published its results,
    /// else its latest year.
    pub year: Option<i32>,
}

/// The awards of one year across the clusters the viewer may see.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AwardsDto {
    /// The year shown (none without any cluster year).
    pub year: Option<i32>,
    /// Every year of the visible clusters, ascending.
    pub years: Vec<i32>,
    /// The clusters with members that year, by name.
    pub clusters: Vec<ClusterAwardsDto>,
    /// For those who see every cluster: the Government-flag proposals of the year against the
    /// guide, a fifth of the units ranked first (`thidua_domain::votes::quota`).
    pub government_flag: Option<GovernmentFlagDto>,
}

/// The Government-flag proposals across the clusters against the guide.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct GovernmentFlagDto {
    /// Units ranked first in the published results of the year.
    pub leaders: u32,
    /// Units elected by the Government-flag votes of the year.
    pub proposed: u32,
    /// 20% of `leaders`, exact (decimal string).
    pub guide: String,
    /// Whether `proposed` exceeds `guide`.
    pub over: bool,
}

/// One cluster's year.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClusterAwardsDto {
    pub id: String,
    pub name: String,
    pub members: usize,
    /// The covenant whose year-end review the cluster runs, if one was opened.
    pub covenant: Option<String>,
    pub results_published: bool,
    /// The units ranked first in the published results.
    pub first: Vec<UnitRef>,
    /// The award votes of the year, in the order they were opened.
    pub elections: Vec<ElectionAwardDto>,
    /// The submissions proposing the awards (TTr), in the order they were issued.
    pub submissions: Vec<SubmissionDto>,
}

/// One award vote and what it decided.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ElectionAwardDto {
    pub id: String,
    pub title: String,
    /// `government_flag`, `ministry_flag`, `certificate`, `head`, `deputy`.
    pub award: String,
    /// `in_progress` (a round awaits its count), `tie` (a tie at the cut-off awaits the head's
    /// and deputy's decision), `second_round` (round 1 left seats and a second round may still
    /// be opened), `decided` (every round counted, no round to follow).
    pub status: String,
    /// The units elected by the counted rounds, in order.
    pub elected: Vec<ProposedDto>,
}

/// A unit a vote elected: its approvals out of the membership, and its place in the year's
/// published results (none before they are published).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProposedDto {
    pub unit: UnitRef,
    pub approvals: u32,
    pub members: u32,
    pub rank: Option<u32>,
    /// The final total, a decimal.
    pub total: Option<String>,
}

/// An issued submission proposing awards.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SubmissionDto {
    pub sha256: String,
    /// "01/TTr-CTĐ12".
    pub number: Option<String>,
    pub date: String,
    pub title: String,
}

/// The awards of `year` (or the default year) across the clusters `scope` may see.
pub fn awards_dto(state: &DomainState, scope: &Scope, year: Option<i32>) -> AwardsDto {
    let mut visible: Vec<(ClusterId, String)> = scope
        .visible_clusters(state)
        .into_iter()
        .filter_map(|id| {
            let name = state.clusters.get(&id)?.cluster.name.to_string();
            Some((id, name))
        })
        .collect();
    thidua_domain::text::sort_by_name(&mut visible, |(_, name)| name);
    let mut years: Vec<i32> = visible
        .iter()
        .filter_map(|(id, _)| state.clusters.get(id))
        .flat_map(|c| c.years.keys().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    let year = year.or_else(|| default_year(state, &visible, &years));
    let clusters = year.map_or_else(Vec::new, |y| {
        visible
            .iter()
            .filter_map(|(id, name)| cluster_awards(state, scope, id, name, y))
            .collect()
    });
    let government_flag = (scope.supervises_all() || scope.is_admin())
        .then(|| government_flag(&clusters))
        .flatten();
    AwardsDto {
        year,
        years,
        clusters,
        government_flag,
    }
}

/// The Government-flag proposals of `clusters` against the guide; none while no cluster has
/// a unit ranked first or a proposal.
fn government_flag(clusters: &[ClusterAwardsDto]) -> Option<GovernmentFlagDto> {
    let leaders: usize = clusters.iter().map(|c| c.first.len()).sum();
    let proposed: usize = clusters
        .iter()
        .flat_map(|c| &c.elections)
        .filter(|e| e.award == "government_flag")
        .map(|e| e.elected.len())
        .sum();
    if leaders == 0 && proposed == 0 {
        return None;
    }
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let guide = votes::quota::GovernmentFlagGuide::new(count(leaders), count(proposed));
    Some(GovernmentFlagDto {
        leaders: guide.leaders,
        proposed: guide.proposed,
        guide: thidua_domain::figures::canonical_decimal(&guide.guide),
        over: guide.over(),
    })
}

/// The latest year in which a visible cluster voted or published its results, else the latest
/// year of any.
fn default_year(
    state: &DomainState,
    visible: &[(ClusterId, String)],
    years: &[i32],
) -> Option<i32> {
    let active = |y: i32| {
        visible.iter().any(|(c, _)| {
            votes::results_published(state, c, y)
                || state
                    .elections
                    .values()
                    .any(|e| &e.cluster == c && e.year == y)
        })
    };
    years
        .iter()
        .rev()
        .copied()
        .find(|y| active(*y))
        .or_else(|| years.last().copied())
}

/// One cluster's year, if it had members that year.
fn cluster_awards(
    state: &DomainState,
    scope: &Scope,
    id: &ClusterId,
    name: &str,
    year: i32,
) -> Option<ClusterAwardsDto> {
    let members = state.clusters.get(id)?.years.get(&year)?.members.len();
    let review = state
        .yearend
        .reviews
        .iter()
        .find(|(_, r)| &r.cluster == id && r.year == year);
    let published: &[PublishedResult] = review
        .and_then(|(_, r)| r.published.as_ref())
        .map_or(&[], |(p, _)| &p.results);
    let first = published
        .iter()
        .filter(|r| r.rank == Some(1))
        .map(|r| unit_ref(state, &r.unit))
        .collect();
    let mut elections: Vec<&Election> = state
        .elections
        .values()
        .filter(|e| &e.cluster == id && e.year == year)
        .collect();
    elections.sort_by_key(|e| e.opened_at);
    Some(ClusterAwardsDto {
        id: id.to_string(),
        name: name.to_owned(),
        members,
        covenant: review.map(|(c, _)| c.to_string()),
        results_published: votes::results_published(state, id, year),
        first,
        elections: elections
            .into_iter()
            .map(|e| election_award(state, e, published))
            .collect(),
        submissions: submissions(state, scope, id, year),
    })
}

fn election_award(
    state: &DomainState,
    e: &Election,
    published: &[PublishedResult],
) -> ElectionAwardDto {
    let tie = e
        .rounds
        .iter()
        .filter_map(|r| votes::outcome(e, r))
        .any(|o| o.tie.is_some_and(|t| t.decided.is_none()));
    let status = if e.rounds.iter().any(|r| r.awaits_count()) {
        "in_progress"
    } else if tie {
        "tie"
    } else if e.second_round_seats().is_ok() {
        "second_round"
    } else {
        "decided"
    };
    ElectionAwardDto {
        id: e.id.to_string(),
        title: e.title.to_string(),
        award: award_code(e.award).to_owned(),
        status: status.to_owned(),
        elected: proposed(state, e, published),
    }
}

/// The units every counted round of `e` elected, in order ([`votes::elected`]), each with its
/// approvals in that round and its published rank and total.
fn proposed(state: &DomainState, e: &Election, published: &[PublishedResult]) -> Vec<ProposedDto> {
    e.rounds
        .iter()
        .filter_map(|r| votes::outcome(e, r))
        .flat_map(|o| {
            let approvals = |u: &UnitId| {
                o.candidates
                    .iter()
                    .find(|c| &c.unit == u)
                    .map_or(0, |c| c.approvals)
            };
            o.elected
                .iter()
                .map(|u| {
                    let result = published.iter().find(|r| &r.unit == u);
                    ProposedDto {
                        unit: unit_ref(state, u),
                        approvals: approvals(u),
                        members: o.members,
                        rank: result.and_then(|r| r.rank),
                        total: result.and_then(|r| r.final_total).map(|p| p.0.to_string()),
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The award's name in the commands and the API.
pub fn award_code(a: AwardKind) -> &'static str {
    crate::ui::votes::manage::AWARDS
        .iter()
        .find(|(_, k)| *k == a)
        .map_or("", |(code, _)| code)
}

/// The award submissions of the cluster's year that `scope` reads ([`Scope::reads_issued`]).
fn submissions(
    state: &DomainState,
    scope: &Scope,
    cluster: &ClusterId,
    year: i32,
) -> Vec<SubmissionDto> {
    state
        .documents
        .iter()
        .filter(|d| &d.cluster == cluster && d.year == year)
        .filter(|d| d.kind == DocumentKind::AwardSubmission && scope.reads_issued(state, d))
        .map(|d| SubmissionDto {
            sha256: d.sha256.clone(),
            number: d.number_and_symbol(),
            date: d.date.to_string(),
            title: d.title.to_string(),
        })
        .collect()
}

/// The awards of a year across the clusters the viewer may see: results published and who
/// ranked first, each award vote and whom it elected, the submissions issued.
#[utoipa::path(get, path = "/api/v1/awards", tag = "votes", params(AwardsQuery), responses((status = 200, body = AwardsDto), (status = 400, body = crate::error::ErrorBody)))]
pub async fn awards(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AwardsQuery>,
) -> Json<AwardsDto> {
    Json(awards_dto(&app.service.read(), &viewer.scope, q.year))
}

/// The awards of a year as workbook rows (Vietnamese labels): one per proposed unit, or one
/// per vote that proposed nobody (yet).
fn workbook_rows(d: &AwardsDto) -> Vec<thidua_import::awards::Row> {
    let (a, s) = (&crate::i18n::awards::VI, crate::i18n::votes::strings("vi"));
    let award = |code: &str| {
        crate::ui::votes::manage::AWARDS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, k)| crate::ui::votes::award(s, *k))
    };
    let mut rows = Vec::new();
    for c in &d.clusters {
        for e in &c.elections {
            let status = a
                .status_words(&e.status, e.elected.is_empty())
                .unwrap_or(a.decided);
            let row = thidua_import::awards::Row {
                cluster: c.name.clone(),
                election: e.title.clone(),
                award: award(&e.award).to_owned(),
                status: status.to_owned(),
                ..Default::default()
            };
            rows.extend(e.elected.iter().map(|p| thidua_import::awards::Row {
                unit: Some(p.unit.name.clone()),
                rank: p.rank,
                total: p.total.clone(),
                approvals: Some(p.approvals),
                members: Some(p.members),
                ..row.clone()
            }));
            if e.elected.is_empty() {
                rows.push(row);
            }
        }
    }
    rows
}

/// The workbook of `year`'s awards across the clusters `scope` may see.
pub fn awards_xlsx(
    state: &DomainState,
    scope: &Scope,
    year: Option<i32>,
) -> Result<Vec<u8>, ApiError> {
    let d = awards_dto(state, scope, year);
    let Some(year) = d.year else {
        return Err(ApiError::not_found());
    };
    let rows = workbook_rows(&d);
    let submissions: Vec<String> = d
        .clusters
        .iter()
        .flat_map(|c| {
            c.submissions.iter().map(move |s| {
                let number = s.number.as_deref().unwrap_or(&s.title);
                format!(
                    "{}: {number} ({})",
                    c.name,
                    crate::format::iso_date(&s.date)
                )
            })
        })
        .collect();
    let book = thidua_import::awards::Awards {
        year,
        log_size: state.size,
        rows: &rows,
        submissions: &submissions,
    };
    thidua_import::awards::write(&book).map_err(ApiError::internal)
}

/// The awards of a year across the clusters the viewer may see, as a workbook (Vietnamese
/// headings): one row per proposed unit with its rank, total and approvals.
#[utoipa::path(get, path = "/api/v1/awards.xlsx", tag = "votes", params(AwardsQuery), responses((status = 200, description = "the workbook (XLSX)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody, description = "no cluster year to show")))]
pub async fn awards_workbook(
    State(app): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<AwardsQuery>,
) -> Result<axum::response::Response, ApiError> {
    let bytes = awards_xlsx(&app.service.read(), &viewer.scope, q.year)?;
    let name = match q.year {
        Some(y) => format!("tong-hop-khen-thuong-{y}.xlsx"),
        None => "tong-hop-khen-thuong.xlsx".to_owned(),
    };
    Ok(super::midyear::xlsx_download(&name, bytes))
}

pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/api/v1/awards", get(awards))
        .route("/api/v1/awards.xlsx", get(awards_workbook))
}
