//! `/api/v1` for official documents: the documents a cluster issued, an issued document's file
//! (rendered again from its stored content, with its verification line), a covenant's file (the
//! issued one, else a preview) and issuing a frozen covenant; the documents a cluster's year can
//! give from the log (inspection and vote-count minutes, year-end report, award submission),
//! their files and issuing them. The same functions serve the
//! pages ([`crate::ui::documents`]).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use thidua_docs::Format;
use thidua_domain::documents::IssuedDocument;
use thidua_domain::ClusterId;
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiQuery};
use crate::auth::Viewer;
use crate::error::{ApiError, ErrorBody};
use crate::ui::documents::{
    covenant_file_for, issue_covenant_as, issue_offer_as, issued_content_for, issued_file_for,
    offer_file_for, Dated,
};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clusters/{id}/documents", get(list_documents))
        .route("/api/v1/documents/{sha256}", get(get_document))
        .route("/api/v1/documents/{sha256}/content", get(get_content))
        .route("/api/v1/covenants/{id}/document", get(covenant_document))
        .route(
            "/api/v1/covenants/{id}/document/issue",
            post(issue_covenant),
        )
        .route("/api/v1/clusters/{id}/documents/offers", get(list_offers))
        .route("/api/v1/clusters/{id}/documents/file", get(offer_document))
        .route("/api/v1/clusters/{id}/documents/issue", post(issue_offer))
}

/// A document the year's log can give.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferDto {
    /// `inspection_minutes`, `vote_minutes`, `year_report`, `award_submission`.
    pub kind: String,
    /// The key that names it in `file` and `issue`.
    pub key: String,
    /// The subject it carries.
    pub title: String,
    /// The record of the same kind and subject issued already, if any.
    pub issued: Option<IssuedDocumentDto>,
}

/// The year of the offers.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
}

/// Which offered document, dated when.
#[derive(Debug, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OfferQuery {
    /// The offer's key.
    pub doc: String,
    /// The document's date, dd/mm/yyyy or yyyy-mm-dd (default: today in Vietnam).
    pub date: Option<String>,
    /// The place in the date line, at most 100 characters (default: the place of the
    /// cluster's covenant of the year).
    pub place: Option<String>,
    /// `pdf` (default) or `docx` (any other is refused, 400 `invalid_query`); ignored when
    /// issuing.
    #[param(pattern = "^(pdf|docx)$")]
    pub format: Option<String>,
}

/// An issued document as the log records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedDocumentDto {
    /// `covenant`, `results`.
    pub kind: String,
    pub cluster: String,
    pub year: i32,
    /// The document's date (ISO).
    pub date: String,
    /// "01/BC-CTĐ12"; absent for a covenant.
    pub number: Option<String>,
    pub title: String,
    /// SHA-256 (hex) of the document's content.
    pub sha256: String,
    /// Record number of the issuing event in the log.
    pub index: u64,
    /// When the log recorded it (milliseconds since the epoch, UTC).
    pub recorded_at_ms: i64,
}

impl From<&IssuedDocument> for IssuedDocumentDto {
    fn from(d: &IssuedDocument) -> Self {
        Self {
            kind: d.kind.key().to_owned(),
            cluster: d.cluster.to_string(),
            year: d.year,
            date: d.date.to_string(),
            number: d.number_and_symbol(),
            title: d.title.to_string(),
            sha256: d.sha256.clone(),
            index: d.index,
            recorded_at_ms: d.time_ms,
        }
    }
}

/// Which file of a covenant.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// `pdf` (default) or `docx`; any other is refused (400 `invalid_query`).
    #[param(pattern = "^(pdf|docx)$")]
    pub format: Option<String>,
    /// A covenant's version (default: the one in force, else the latest).
    pub version: Option<u32>,
}

/// Which file of an issued document: its format only (any other parameter is refused).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IssuedQuery {
    /// `pdf` (default) or `docx`; any other is refused (400 `invalid_query`).
    #[param(pattern = "^(pdf|docx)$")]
    pub format: Option<String>,
}

fn format(q: &FileQuery) -> Result<Format, ApiError> {
    parse_format(q.format.as_deref())
}

/// `pdf` (the default) or `docx`; any other format is a query that does not parse.
fn parse_format(f: Option<&str>) -> Result<Format, ApiError> {
    match f {
        None => Ok(Format::Pdf),
        Some(f) => Format::parse(f)
            .ok_or_else(|| ApiError::bad_request("invalid_query", "format: pdf or docx")),
    }
}

/// The documents a cluster issued, oldest first.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/documents", tag = "documents",
    params(("id" = String, Path, description = "cluster id")),
    responses((status = 200, description = "the documents issued, in the order of the log", body = [IssuedDocumentDto]), (status = 404, body = ErrorBody)))]
pub async fn list_documents(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Vec<IssuedDocumentDto>>, ApiError> {
    let cluster = ClusterId::parse(&id).map_err(|_| ApiError::not_found())?;
    let state = app.service.read();
    if !viewer.scope.can_view_cluster(&state, &cluster) {
        return Err(ApiError::not_found());
    }
    Ok(Json(
        thidua_domain::documents::issued_by(&state, &cluster)
            .filter(|d| viewer.scope.reads_issued(&state, d))
            .map(Into::into)
            .collect(),
    ))
}

/// An issued document's file (PDF or DOCX), with the line that ties it to its record.
#[utoipa::path(get, path = "/api/v1/documents/{sha256}", tag = "documents",
    params(("sha256" = String, Path, description = "the document's SHA-256"), IssuedQuery),
    responses((status = 200, description = "the file (DOCX with `format=docx`)", content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
              (status = 400, description = "a query that does not parse: an unknown parameter, or a `format` other than `pdf` or `docx` (`invalid_query`)", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 500, description = "the server's stored content of the document is altered or not a document's (`document_content_altered`) or missing (`document_content_missing`)", body = ErrorBody)))]
pub async fn get_document(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(sha256): Path<String>,
    ApiQuery(q): ApiQuery<IssuedQuery>,
) -> Result<Response, ApiError> {
    let f = parse_format(q.format.as_deref())?;
    issued_file_for(&app, &viewer, sha256, f).await
}

/// An issued document's canonical content (compact JSON, keys sorted), whose SHA-256 is the one
/// its record in the log carries: what a member checks a copy against (`thidua doc check`).
#[utoipa::path(get, path = "/api/v1/documents/{sha256}/content", tag = "documents",
    params(("sha256" = String, Path, description = "the document's SHA-256")),
    responses((status = 200, description = "the canonical content", content_type = "application/json"),
              (status = 404, body = ErrorBody),
              (status = 500, description = "the server's stored content of the document is altered or not a document's (`document_content_altered`) or missing (`document_content_missing`)", body = ErrorBody)))]
pub async fn get_content(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(sha256): Path<String>,
) -> Result<Response, ApiError> {
    issued_content_for(&app, &viewer, sha256).await
}

/// A covenant's file: the issued one when that version was issued, else a preview.
#[utoipa::path(get, path = "/api/v1/covenants/{id}/document", tag = "documents",
    params(("id" = String, Path, description = "covenant id"), FileQuery),
    responses((status = 200, description = "the file (DOCX with `format=docx`)", content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
              (status = 400, description = "a query that does not parse (`invalid_query`)", body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn covenant_document(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FileQuery>,
) -> Result<Response, ApiError> {
    let f = format(&q)?;
    covenant_file_for(&app, &viewer, &id, q.version, f).await
}

/// Issues the covenant's version in force (the secretariat): records its SHA-256 in the log.
/// Issuing the same content again answers the existing record.
#[utoipa::path(post, path = "/api/v1/covenants/{id}/document/issue", tag = "documents",
    params(("id" = String, Path, description = "covenant id")),
    responses((status = 201, description = "issued (or issued before with the same content): its record in the log", body = IssuedDocumentDto),
              (status = 403, description = "not the cluster's secretariat (`forbidden`)", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "a document about this subject was already issued with another content: its record is named (`document_already_issued`)", body = ErrorBody)))]
pub async fn issue_covenant(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<IssuedDocumentDto>), ApiError> {
    let d = issue_covenant_as(&app, &viewer, &id).await?;
    Ok((StatusCode::CREATED, Json((&d).into())))
}

/// The documents the cluster's year can give from the log, and whether each was issued.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/documents/offers", tag = "documents",
    params(("id" = String, Path, description = "cluster id"), YearQuery),
    responses((status = 200, description = "each document the year can give, and its record when issued", body = [OfferDto]), (status = 404, body = ErrorBody)))]
pub async fn list_offers(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<OfferDto>>, ApiError> {
    let cluster = ClusterId::parse(&id).map_err(|_| ApiError::not_found())?;
    let state = app.service.read();
    if !viewer.scope.can_view_cluster(&state, &cluster) {
        return Err(ApiError::not_found());
    }
    let offers = thidua_docs::templates::offers::offers(&state, &cluster, q.year, viewer.today());
    Ok(Json(
        offers
            .into_iter()
            .filter(|o| viewer.scope.reads_offer(&state, &o.key))
            .map(|o| OfferDto {
                kind: o.kind.key().to_owned(),
                key: o.key,
                title: o.title,
                issued: o.issued.as_ref().map(Into::into),
            })
            .collect(),
    ))
}

/// An offered document's file: the issued one when the same content was issued, else a
/// preview.
#[utoipa::path(get, path = "/api/v1/clusters/{id}/documents/file", tag = "documents",
    params(("id" = String, Path, description = "cluster id"), OfferQuery),
    responses((status = 200, description = "the file (DOCX with `format=docx`)", content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
              (status = 400, description = "a query that does not parse, a `format` other than `pdf` or `docx` (`invalid_query`), or a `date` that is not a date, dd/mm/yyyy or yyyy-mm-dd (`invalid_date`)", body = ErrorBody),
              (status = 404, description = "no such cluster or offered document, or one the caller may not read (`not_found`)", body = ErrorBody),
              (status = 409, description = "a document about this subject was already issued with another content: its record is named (`document_already_issued`)", body = ErrorBody),
              (status = 422, description = "a `place` that is not one line of plain text of at most 100 characters, or a date the document cannot bear (`document_date_out_of_range`, or before what it records)", body = ErrorBody)))]
pub async fn offer_document(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<OfferQuery>,
) -> Result<Response, ApiError> {
    let f = parse_format(q.format.as_deref())?;
    let dated = Dated {
        date: q.date.as_deref(),
        place: q.place.as_deref(),
    };
    offer_file_for(&app, &viewer, &id, &q.doc, dated, f).await
}

/// Issues an offered document (the secretariat): records its SHA-256 in the log with the next
/// number. Issuing the same content again answers the existing record.
#[utoipa::path(post, path = "/api/v1/clusters/{id}/documents/issue", tag = "documents",
    params(("id" = String, Path, description = "cluster id")),
    request_body = OfferQuery,
    responses((status = 201, description = "issued with the next number (or issued before with the same content): its record in the log", body = IssuedDocumentDto),
              (status = 400, description = "a `date` that is not a date, dd/mm/yyyy or yyyy-mm-dd (`invalid_date`)", body = ErrorBody),
              (status = 403, description = "not the cluster's secretariat (`forbidden`)", body = ErrorBody),
              (status = 404, description = "no such cluster or offered document, or one the caller may not read (`not_found`)", body = ErrorBody),
              (status = 409, description = "a document about this subject was already issued with another content: its record is named (`document_already_issued`)", body = ErrorBody),
              (status = 422, description = "a `place` that is not one line of plain text of at most 100 characters, or a date issuing does not accept", body = ErrorBody)))]
pub async fn issue_offer(
    State(app): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    ApiJson(q): ApiJson<OfferQuery>,
) -> Result<(StatusCode, Json<IssuedDocumentDto>), ApiError> {
    let dated = Dated {
        date: q.date.as_deref(),
        place: q.place.as_deref(),
    };
    let d = issue_offer_as(&app, &viewer, &id, &q.doc, dated).await?;
    Ok((StatusCode::CREATED, Json((&d).into())))
}
