//! The "Văn bản" section of the cluster and unit pages and its routes: the documents a cluster
//! issued (kind, number, date, subject, record number, PDF and DOCX), the covenants of the shown
//! year with their preview files and, for the secretariat, the button that issues a frozen
//! covenant; and the documents the year's log can give (`thidua_docs::templates::offers`: the
//! minutes of each inspection and vote count, the year-end report, the award submission), each
//! previewed or issued with a date the secretariat chooses (today by default). Files are built by `thidua_docs` on the blocking pool; an issued document is
//! rendered again from its stored content with its verification line. Reads are authorised by
//! the viewer's scope (the cluster), issuing by the domain.

use crate::ui::extract::{Path, Query};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use serde::Deserialize;
use thidua_docs::issue::{issue, issued_content, issued_file, IssueError};
use thidua_docs::templates::offers::{cluster_of, default_place, offers, request};
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::documents::{DocumentKind, IssuedDocument};
use thidua_domain::{Actor, ClusterId, CovenantId, State as DomainState, UnitId};

use super::viewer_error;
use crate::auth::{CsrfForm, Viewer};
use crate::error::ApiError;
use crate::i18n::Strings;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents/{sha256}/{format}", get(issued))
        .route("/covenants/{id}/document/{format}", get(covenant_file))
        .route("/covenants/{id}/document/issue", post(issue_covenant))
        .route(
            "/clusters/{id}/documents/file/{format}",
            get(offer_file).post(offer_preview),
        )
        .route("/clusters/{id}/documents/issue", post(issue_offer))
}

/// A kind of document in words.
pub fn kind_label(t: &Strings, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Covenant => t.docs_kind_covenant,
        DocumentKind::Results => t.docs_kind_results,
        DocumentKind::InspectionMinutes => t.docs_kind_inspection,
        DocumentKind::VoteMinutes => t.docs_kind_vote,
        DocumentKind::YearReport => t.docs_kind_year,
        DocumentKind::AwardSubmission => t.docs_kind_award,
    }
}

/// A document the year's log can give.
pub struct OfferRow {
    pub kind: &'static str,
    pub title: String,
    /// The key, for the query string (ids and ':' only: nothing to escape).
    pub key: String,
    pub issued: Option<u64>,
    /// The date in its field: today, or what was typed when issuing failed.
    pub date: String,
    /// The place in its field: the default, or what was typed when issuing failed.
    pub place: String,
    /// Why issuing this document failed, shown beside its date.
    pub error: Option<String>,
}

/// An attempt to issue an offered document that was refused: shown beside its form, with the
/// date as typed.
pub struct IssueFailure {
    pub key: String,
    pub date: String,
    pub place: String,
    pub message: String,
}

/// One issued document as the section lists it.
pub struct IssuedRow {
    pub kind: &'static str,
    pub number: String,
    pub date: String,
    pub title: String,
    pub cluster: String,
    pub index: u64,
    pub sha256: String,
}

/// A covenant of the shown year: its preview files and whether it may be issued.
pub struct CovenantRow {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub frozen: bool,
    pub issued: Option<u64>,
}

/// The section's content.
#[derive(Default)]
pub struct DocsSection {
    pub issued: Vec<IssuedRow>,
    pub covenants: Vec<CovenantRow>,
    pub offers: Vec<OfferRow>,
    pub cluster: String,
    pub can_issue: bool,
    /// Show the cluster of each document (the unit page lists several clusters).
    pub with_cluster: bool,
    /// The document just issued, confirmed at the top of the section.
    pub just_issued: Option<IssuedRow>,
}

fn row(t: &Strings, state: &DomainState, d: &IssuedDocument) -> IssuedRow {
    IssuedRow {
        kind: kind_label(t, d.kind),
        number: d.number_and_symbol().unwrap_or_else(|| "—".into()),
        date: crate::format::date(&d.date),
        title: d.title.to_string(),
        cluster: state
            .clusters
            .get(&d.cluster)
            .map(|c| c.cluster.name.to_string())
            .unwrap_or_default(),
        index: d.index,
        sha256: d.sha256.clone(),
    }
}

/// The record of the document issued for covenant `c`'s version in force, if one was: found
/// by its recorded subject; only a cluster with a covenant document recorded before subjects
/// were (matched by its subject line, as `issued_about` does) has the document prepared.
fn covenant_issued(state: &DomainState, c: &thidua_domain::state::Covenant) -> Option<u64> {
    use thidua_domain::documents::{issued_by, Subject};
    let subject = Subject::Covenant {
        covenant: c.id.clone(),
        version: c.in_force()?.version,
    }
    .key();
    let mut legacy = false;
    for d in issued_by(state, &c.cluster).filter(|d| d.kind == DocumentKind::Covenant) {
        match &d.subject {
            Some(s) if s.as_str() == subject => return Some(d.index),
            None => legacy |= d.year == c.year,
            Some(_) => {}
        }
    }
    if !legacy {
        return None;
    }
    let request = Request::Covenant {
        covenant: c.id.clone(),
        version: None,
    };
    prepare(state, &request)
        .ok()
        .and_then(|p| p.issued.map(|d| d.index))
}

/// How many documents of `cluster`'s `year` the secretariat can issue and has not: its frozen
/// covenants' and the log's offers (`offers`), as the year's "Văn bản" section lists them.
pub(crate) fn waiting(
    state: &DomainState,
    cluster: &ClusterId,
    year: i32,
    today: NaiveDate,
) -> usize {
    let covenants = state
        .covenants
        .values()
        .filter(|c| &c.cluster == cluster && c.year == year)
        .filter(|c| c.in_force().is_some())
        .filter(|c| covenant_issued(state, c).is_none())
        .count();
    let offered = offers(state, cluster, year, today)
        .iter()
        .filter(|o| o.issued.is_none())
        .count();
    covenants + offered
}

/// The section of a cluster's page for `year`.
pub fn cluster_section(
    state: &DomainState,
    viewer: &Viewer,
    cluster: &ClusterId,
    year: Option<i32>,
    just_issued: Option<u64>,
    failure: Option<&IssueFailure>,
) -> DocsSection {
    let t = viewer.lang.strings();
    let readable: Vec<&IssuedDocument> = thidua_domain::documents::issued_by(state, cluster)
        .filter(|d| viewer.scope.reads_issued(state, d))
        .collect();
    let just_issued = readable
        .iter()
        .find(|d| Some(d.index) == just_issued)
        .map(|d| row(t, state, d));
    let issued = readable
        .into_iter()
        .filter(|d| year.is_none_or(|y| d.year == y))
        .map(|d| row(t, state, d))
        .collect();
    let covenants = state
        .covenants
        .values()
        .filter(|c| &c.cluster == cluster && year.is_none_or(|y| c.year == y))
        // A withdrawn draft, with no version in force, is no paper to prepare.
        .filter(|c| c.in_force().is_some() || c.latest().withdrawn.is_none())
        .map(|c| {
            let v = c.in_force().unwrap_or_else(|| c.latest());
            CovenantRow {
                id: c.id.to_string(),
                title: v.content.title.to_string(),
                version: v.version,
                frozen: v.frozen_at.is_some(),
                issued: covenant_issued(state, c),
            }
        })
        .collect();
    let today = viewer.today();
    let offers = year
        .map(|y| offers(state, cluster, y, today))
        .unwrap_or_default()
        .into_iter()
        .filter(|o| viewer.scope.reads_offer(state, &o.key))
        .map(|o| {
            let failed = failure.filter(|f| f.key == o.key);
            OfferRow {
                kind: kind_label(t, o.kind),
                title: o.title,
                issued: o.issued.map(|d| d.index),
                date: failed.map_or_else(|| crate::format::date(&today), |f| f.date.clone()),
                place: failed.map_or_else(
                    || offer_place(state, cluster, &o.key, today),
                    |f| f.place.clone(),
                ),
                error: failed.map(|f| f.message.clone()),
                key: o.key,
            }
        })
        .collect();
    DocsSection {
        issued,
        covenants,
        offers,
        cluster: cluster.to_string(),
        can_issue: viewer.scope.manages(cluster),
        with_cluster: false,
        just_issued,
    }
}

/// The section of a unit's page: the documents of the clusters it was a member of in the
/// documents' years, that the viewer may see.
pub fn unit_section(state: &DomainState, viewer: &Viewer, unit: &UnitId) -> DocsSection {
    let t = viewer.lang.strings();
    let issued = state
        .documents
        .iter()
        .filter(|d| {
            state
                .members(&d.cluster, d.year)
                .is_ok_and(|m| m.contains(unit))
                && viewer.scope.reads_issued(state, d)
        })
        .map(|d| row(t, state, d))
        .collect();
    DocsSection {
        issued,
        with_cluster: true,
        ..DocsSection::default()
    }
}

fn format(raw: &str) -> Result<Format, ApiError> {
    Format::parse(raw).ok_or_else(ApiError::not_found)
}

/// A file answer: its media type and an ASCII file name.
pub fn file_response(bytes: Vec<u8>, format: Format, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.media_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                // A PDF opens in the browser's viewer; a DOCX is saved for Word.
                format!(
                    "{}; filename=\"{name}.{}\"",
                    match format {
                        Format::Pdf => "inline",
                        Format::Docx => "attachment",
                    },
                    format.extension()
                ),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The file name (without extension) of a requested document: its kind and what tells it
/// apart from the other documents of that kind — the covenant and version, the cluster and
/// year, the pair of units an inspection's minutes cover, the election and round. Ids are the
/// names' ASCII form, safe in a header.
pub fn file_stem(request: &Request, cluster: &str, year: i32) -> String {
    let kind = request.kind().key();
    match request {
        Request::Covenant { covenant, version } => match version {
            Some(v) => format!("{kind}-{covenant}-v{v}"),
            None => format!("{kind}-{covenant}"),
        },
        Request::Results { cluster, year, .. } => format!("{kind}-{cluster}-{year}"),
        Request::PublishedResults { .. } => format!("{kind}-{cluster}-{year}"),
        Request::Inspection {
            inspector,
            inspected,
            ..
        } => format!("{kind}-{cluster}-{year}-{inspector}-{inspected}"),
        Request::VoteCount {
            election, round, ..
        } => match round {
            Some(r) => format!("{kind}-{election}-round-{r}"),
            None => format!("{kind}-{election}"),
        },
        Request::YearReport { .. } => format!("{kind}-{cluster}-{year}"),
        Request::AwardSubmission { election, .. } => format!("{kind}-{election}"),
    }
}

fn issue_error(e: IssueError) -> ApiError {
    match e {
        IssueError::Service(s) => s.into(),
        // An integrity failure of the server's store, named so that a member who reads it
        // knows it is not a failure of its own request (and logged in full as any 5xx).
        e @ (IssueError::Altered(_) | IssueError::Content(_)) => {
            tracing::error!(error = %e, "an issued document's stored content");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string())
        }
        other => ApiError::internal(other),
    }
}

/// The issued document of `sha256`, if the viewer may read it (else "not found").
fn readable_issued(
    app: &AppState,
    viewer: &Viewer,
    sha256: &str,
) -> Result<thidua_domain::documents::IssuedDocument, ApiError> {
    let state = app.service.read();
    state
        .documents
        .iter()
        .find(|d| d.sha256 == sha256)
        .filter(|d| viewer.scope.reads_issued(&state, d))
        .cloned()
        .ok_or_else(ApiError::not_found)
}

/// An issued document's file, if the viewer may see its cluster.
pub async fn issued_file_for(
    app: &AppState,
    viewer: &Viewer,
    sha256: String,
    format: Format,
) -> Result<Response, ApiError> {
    let doc = readable_issued(app, viewer, &sha256)?;
    let name = format!("{}-{}-{}", doc.kind.key(), doc.year, doc.index);
    let bytes = app
        .blocking(move |app| issued_file(&app.service, &doc, format).map_err(issue_error))
        .await?;
    Ok(file_response(bytes, format, &name))
}

/// An issued document's canonical content (compact JSON, keys sorted: what its SHA-256
/// covers), for whoever may read the document: a member hashes it against the log's record
/// and renders the same files from it (`thidua doc check`).
pub async fn issued_content_for(
    app: &AppState,
    viewer: &Viewer,
    sha256: String,
) -> Result<Response, ApiError> {
    let doc = readable_issued(app, viewer, &sha256)?;
    let bytes = app
        .blocking(move |app| issued_content(&app.service, &doc).map_err(issue_error))
        .await?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response())
}

/// A covenant's file: the issued one if this version was issued, else a preview.
pub async fn covenant_file_for(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    version: Option<u32>,
    format: Format,
) -> Result<Response, ApiError> {
    let covenant = CovenantId::parse(id).map_err(|_| ApiError::not_found())?;
    let state = app.service.read();
    let Some(c) = state
        .covenants
        .get(&covenant)
        .filter(|c| viewer.scope.can_view_covenant(&state, c))
    else {
        return Err(ApiError::not_found());
    };
    // The file is named by the version it holds (the one in force, else the latest, when
    // none is asked), as `thidua-docs` chooses it.
    let shown = version.unwrap_or_else(|| c.in_force().unwrap_or_else(|| c.latest()).version);
    let name = file_stem(
        &Request::Covenant {
            covenant: covenant.clone(),
            version: Some(shown),
        },
        "",
        0,
    );
    let request = Request::Covenant { covenant, version };
    let bytes = app
        .blocking(move |app| requested_file(&app.service, &request, format))
        .await?;
    Ok(file_response(bytes, format, &name))
}

async fn issued(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((sha256, f)): Path<(String, String)>,
) -> Response {
    let result = match format(&f) {
        Ok(f) => issued_file_for(&app, &viewer, sha256, f).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| viewer_error(&viewer, e))
}

#[derive(Deserialize)]
pub struct VersionParam {
    version: Option<u32>,
}

async fn covenant_file(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, f)): Path<(String, String)>,
    Query(q): Query<VersionParam>,
) -> Response {
    let result = match format(&f) {
        Ok(f) => covenant_file_for(&app, &viewer, &id, q.version, f).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|e| viewer_error(&viewer, e))
}

/// Issues the covenant's version in force as the viewer; returns its record.
pub async fn issue_covenant_as(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
) -> Result<IssuedDocument, ApiError> {
    let covenant = CovenantId::parse(id).map_err(|_| ApiError::not_found())?;
    {
        let state = app.service.read();
        let visible = state
            .covenants
            .get(&covenant)
            .is_some_and(|c| viewer.scope.can_view_covenant(&state, c));
        if !visible {
            return Err(ApiError::not_found());
        }
    }
    let actor = Actor::User(viewer.user.clone());
    let request = Request::Covenant {
        covenant,
        version: None,
    };
    app.blocking(move |app| issue(&app.service, &actor, &request).map_err(issue_error))
        .await
}

/// The covenant's issuing form: the box confirming that the preview was read.
#[derive(Deserialize)]
pub struct IssueForm {
    confirm: Option<String>,
}

/// Issuing takes a number for good: a secretariat's form without its box ticked (the browser
/// requires it; a hand-made request may not) issues nothing and says so (422). Anyone else
/// meets the refusal issuing gives them.
fn confirmed(
    viewer: &Viewer,
    cluster: Option<&ClusterId>,
    confirm: Option<&str>,
) -> Result<(), ApiError> {
    let manages = cluster.is_some_and(|c| viewer.scope.manages(c));
    match confirm {
        Some("1") => Ok(()),
        _ if !manages => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "confirm_required",
            "confirm: tick the box confirming the preview was read",
        )),
    }
}

async fn issue_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<IssueForm>,
) -> Response {
    let cluster = CovenantId::parse(&id)
        .ok()
        .and_then(|c| Some(app.service.read().covenants.get(&c)?.cluster.clone()));
    let issued = match confirmed(&viewer, cluster.as_ref(), form.confirm.as_deref()) {
        Ok(()) => issue_covenant_as(&app, &viewer, &id).await,
        Err(e) => Err(e),
    };
    match issued {
        Ok(d) => Redirect::to(&format!(
            "/clusters/{}?year={}&issued={}#documents",
            d.cluster, d.year, d.index
        ))
        .into_response(),
        Err(e) => viewer_error(&viewer, e),
    }
}

/// The date (ISO) and place a document is asked with; either may be left to its default.
#[derive(Clone, Copy, Default)]
pub struct Dated<'a> {
    pub date: Option<&'a str>,
    pub place: Option<&'a str>,
}

/// The request an offer's key names, if the viewer may see its cluster: dated `date` (ISO;
/// default today) at `place` (default: the place of the cluster's covenant of the year).
fn offer_request(
    state: &DomainState,
    viewer: &Viewer,
    cluster: &str,
    key: &str,
    Dated { date, place }: Dated<'_>,
) -> Result<Request, ApiError> {
    let (owner, _) = cluster_of(state, key).ok_or_else(ApiError::not_found)?;
    if owner.as_str() != cluster || !viewer.scope.reads_offer(state, key) {
        return Err(ApiError::not_found());
    }
    let date = match date.filter(|d| !d.is_empty()) {
        None => viewer.today(),
        Some(d) => thidua_domain::event::parse_date(d).ok_or_else(|| {
            ApiError::bad_request("invalid_date", "date: dd/mm/yyyy or yyyy-mm-dd")
        })?,
    };
    let place = match place.filter(|p| !p.trim().is_empty()) {
        Some(typed) => {
            thidua_domain::Text::parse_line("place", typed, thidua_domain::text::limits::PLACE)?
                .to_string()
        }
        None => offer_place(state, &owner, key, date),
    };
    request(key, &place, date).map_err(ApiError::from)
}

/// The place an offered document is dated at unless another is typed (`offers::default_place`:
/// the inspected unit's province for an inspection's minutes, else the place of the cluster's
/// covenant of the year), else the cluster's name.
fn offer_place(state: &DomainState, cluster: &ClusterId, key: &str, date: NaiveDate) -> String {
    default_place(state, key, date).unwrap_or_else(|| {
        state
            .clusters
            .get(cluster)
            .map(|c| c.cluster.name.to_string())
            .unwrap_or_default()
    })
}

/// The file of a requested document: the issued one if the same content was issued, else a
/// preview, dated as issuing would accept it or not made.
fn requested_file(
    service: &thidua_service::Service,
    request: &Request,
    format: Format,
) -> Result<Vec<u8>, ApiError> {
    let prepared = prepare(&service.read().state, request).map_err(ApiError::from)?;
    match &prepared.issued {
        Some(d) => issued_file(service, d, format).map_err(issue_error),
        None => {
            thidua_docs::issue::check_date(
                service,
                &prepared,
                thidua_domain::figures::local_date(service.now_ms()),
            )
            .map_err(issue_error)?;
            render(&prepared.document, &Verification::Preview, format).map_err(ApiError::internal)
        }
    }
}

/// An offered document's file: the issued one if the same content was issued, else a preview.
pub async fn offer_file_for(
    app: &AppState,
    viewer: &Viewer,
    cluster: &str,
    key: &str,
    dated: Dated<'_>,
    format: Format,
) -> Result<Response, ApiError> {
    let (request, year) = {
        let state = app.service.read();
        let year = cluster_of(&state, key).map_or(0, |(_, y)| y);
        (offer_request(&state, viewer, cluster, key, dated)?, year)
    };
    let name = file_stem(&request, cluster, year);
    let bytes = app
        .blocking(move |app| requested_file(&app.service, &request, format))
        .await?;
    Ok(file_response(bytes, format, &name))
}

/// Issues an offered document as the viewer (the domain authorises it); returns its record.
pub async fn issue_offer_as(
    app: &AppState,
    viewer: &Viewer,
    cluster: &str,
    key: &str,
    dated: Dated<'_>,
) -> Result<IssuedDocument, ApiError> {
    let request = offer_request(&app.service.read(), viewer, cluster, key, dated)?;
    let actor = Actor::User(viewer.user.clone());
    app.blocking(move |app| issue(&app.service, &actor, &request).map_err(issue_error))
        .await
}

#[derive(Deserialize)]
pub struct OfferParams {
    doc: String,
    date: Option<String>,
    place: Option<String>,
    /// The issuing form's confirmation box (unused by the previews).
    confirm: Option<String>,
}

async fn offer_file(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, f)): Path<(String, String)>,
    Query(q): Query<OfferParams>,
) -> Response {
    offer_answer(&app, &viewer, &id, &f, &q).await
}

/// The preview buttons of the secretariat's one form (date, preview, issue): the same file as
/// the GET, asked by POST because that form carries the CSRF token.
async fn offer_preview(
    State(app): State<AppState>,
    viewer: Viewer,
    Path((id, f)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<OfferParams>,
) -> Response {
    match offer_result(&app, &viewer, &id, &f, &form).await {
        Ok(file) => file,
        Err(e) => failed_on_page(&app, &viewer, &id, &form, e),
    }
}

/// A form's date, typed dd/mm/yyyy (or ISO), as the ISO date the API takes; text that is not
/// a date goes on unchanged, to be refused there.
fn form_date(raw: Option<&str>) -> Option<String> {
    raw.map(|d| match thidua_domain::event::parse_date(d) {
        Some(date) => date.to_string(),
        None => d.to_owned(),
    })
}

/// An offered document's file in the format the path names, or the error page.
async fn offer_answer(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    f: &str,
    q: &OfferParams,
) -> Response {
    offer_result(app, viewer, id, f, q)
        .await
        .unwrap_or_else(|e| viewer_error(viewer, e))
}

/// An offered document's file in the format the path names.
async fn offer_result(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    f: &str,
    q: &OfferParams,
) -> Result<Response, ApiError> {
    let format = format(f)?;
    let date = form_date(q.date.as_deref());
    let dated = Dated {
        date: date.as_deref(),
        place: q.place.as_deref(),
    };
    offer_file_for(app, viewer, id, &q.doc, dated, format).await
}

/// A refusal the secretariat can mend (a date out of range or unreadable, say) or must know of
/// (the document was issued already) is told beside the offer's form on the cluster page, in
/// words that name what to change (the earliest date allowed), its date as typed; anything
/// else is an error page.
fn failed_on_page(
    app: &AppState,
    viewer: &Viewer,
    id: &str,
    form: &OfferParams,
    e: ApiError,
) -> Response {
    let mendable = e.status == StatusCode::UNPROCESSABLE_ENTITY
        || e.status == StatusCode::BAD_REQUEST
        || e.code == "document_already_issued";
    if !mendable {
        return viewer_error(viewer, e);
    }
    let (year, message) = {
        let state = app.service.read();
        let year = cluster_of(&state, &form.doc).map(|(_, y)| y);
        (year, super::names::refusal(viewer.lang, &state, None, &e))
    };
    let failure = IssueFailure {
        key: form.doc.clone(),
        date: form.date.clone().unwrap_or_default(),
        place: form.place.clone().unwrap_or_default(),
        message,
    };
    let notices = super::pages::ClusterNotices {
        issue_failure: Some(failure),
        ..Default::default()
    };
    super::pages::cluster_page(app, viewer, id, year, Default::default(), notices)
}

async fn issue_offer(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<OfferParams>,
) -> Response {
    let date = form_date(form.date.as_deref());
    let dated = Dated {
        date: date.as_deref(),
        place: form.place.as_deref(),
    };
    let cluster = ClusterId::parse(&id).ok();
    let issued = match confirmed(&viewer, cluster.as_ref(), form.confirm.as_deref()) {
        Ok(()) => issue_offer_as(&app, &viewer, &id, &form.doc, dated).await,
        Err(e) => Err(e),
    };
    match issued {
        Ok(d) => Redirect::to(&format!(
            "/clusters/{}?year={}&issued={}#documents",
            d.cluster, d.year, d.index
        ))
        .into_response(),
        Err(e) => failed_on_page(&app, &viewer, &id, &form, e),
    }
}
