//! Issuing a document on a running log, the one way the API, the pages and the command line do
//! it: build it ([`crate::prepare`]), keep its canonical content as a blob under its SHA-256,
//! record `document_issued` as the actor (the domain authorises it and checks the number), and
//! render an issued document again from its blob with the verification line that names its
//! record. It is recorded only while the log is as it was built from (`Service::execute_at`),
//! so that its record is rebuilt exactly from the state just before it; when anything was
//! appended meanwhile (another document taking the number included), it is built again.

use chrono::NaiveDate;
use thidua_domain::documents::{
    check_not_issued, check_order, DateFloor, DocumentKind, IssuedDocument,
};
use thidua_domain::{Actor, DomainError};
use thidua_service::{Service, ServiceError};

use crate::templates::{prepare, Request};
use crate::{canonical_bytes, from_canonical, render, Format, RenderError, Verification};

/// Errors issuing or reading an issued document.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(
        "nội dung lưu của văn bản {0} không có trên máy chủ, hãy báo người vận hành cụm / the \
         stored content of document {0} is missing from the server; tell the cluster's operator"
    )]
    Content(String),
    /// The stored content does not match its record: its bytes do not hash to the record's
    /// SHA-256, or they are not a document's canonical content.
    #[error(
        "nội dung lưu của văn bản {0} đã bị sửa hoặc không phải nội dung của một văn bản: máy \
         chủ không đưa ra được bản đúng, hãy báo người vận hành cụm / the stored content of \
         document {0} is altered or is not a document's content: the server cannot give the \
         content its record names; tell the cluster's operator"
    )]
    Altered(String),
    #[error("record {0} of the log, which the document recites, cannot be read")]
    Record(u64),
}

impl From<DomainError> for IssueError {
    fn from(e: DomainError) -> Self {
        IssueError::Service(ServiceError::Domain(e))
    }
}

impl IssueError {
    /// A stable code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            IssueError::Service(e) => e.code(),
            IssueError::Content(_) => "document_content_missing",
            IssueError::Altered(_) => "document_content_altered",
            IssueError::Render(_) | IssueError::Record(_) => "internal",
        }
    }
}

/// How many times a document is built again because the log moved while it was built (a busy
/// log gains entries every few milliseconds at a deadline; building one takes about as long).
const ATTEMPTS: u32 = 12;

/// Issues the requested document as `actor`; returns its record (the existing one when the
/// same content was issued before).
pub fn issue(
    service: &Service,
    actor: &Actor,
    request: &Request,
) -> Result<IssuedDocument, IssueError> {
    let mut attempt = 0;
    loop {
        let view = service.read();
        let prepared = prepare(&view.state, request)?;
        // Only who may issue is answered the record of a document issued already.
        thidua_domain::documents::authorise_issue(&view.state, actor, &prepared.cluster)
            .map_err(ServiceError::from)?;
        if let Some(done) = prepared.issued {
            return Ok(done);
        }
        // A document issued already about the subject is told first: no date mends that.
        if let Some(subject) = &prepared.subject {
            let (cluster, kind) = (&prepared.cluster, prepared.kind);
            let key = subject.key();
            check_not_issued(
                &view.state,
                cluster,
                kind,
                prepared.year,
                &key,
                &prepared.title,
            )?;
        }
        let today = thidua_domain::figures::local_date(service.now_ms());
        check_date(service, &prepared, today)?;
        let command = prepared.issue_command()?;
        service
            .store()
            .put_blob(&canonical_bytes(&prepared.document))
            .map_err(ServiceError::from)?;
        // Recorded only on the state it was built from: a record the log rebuilds exactly.
        match service.execute_at(actor, command, view.state.size) {
            Ok(receipt) => {
                return service
                    .read()
                    .state
                    .documents
                    .iter()
                    .find(|d| d.index == receipt.first_index)
                    .cloned()
                    .ok_or_else(|| IssueError::Content(prepared.sha256.clone()))
            }
            Err(
                ServiceError::Domain(DomainError::InvalidValue {
                    field: "number", ..
                })
                | ServiceError::Moved { .. },
            ) if attempt < ATTEMPTS => {
                attempt += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// A document is dated within the life of what it records: not after the day it is issued
/// (Vietnam time; a paper cannot be signed in the future), not before the year it concerns
/// began, not before the day the latest event it recites was entered in the log (Vietnam
/// time, as `local_date` reads an event's time), and not before the previous document of the
/// cluster's numbering of that year (`documents::check_order`). A covenant carries its own
/// signing date, checked when it was drafted. The refusals give the earliest date allowed.
pub fn check_date(
    service: &Service,
    prepared: &crate::templates::Prepared,
    today: NaiveDate,
) -> Result<(), IssueError> {
    if prepared.kind == DocumentKind::Covenant {
        return Ok(());
    }
    let first = NaiveDate::from_ymd_opt(prepared.year, 1, 1).unwrap_or(NaiveDate::MIN);
    if prepared.date < first || prepared.date > today {
        return Err(DomainError::DocumentDateOutOfRange {
            date: prepared.date.format("%d/%m/%Y").to_string(),
            year: prepared.year,
            today: today.format("%d/%m/%Y").to_string(),
        }
        .into());
    }
    if let Some((entered, index)) = latest_record(service, &prepared.records)? {
        if prepared.date < entered {
            return Err(DateFloor::Record(index)
                .refuse(prepared.date, entered)
                .into());
        }
    }
    let state = &service.read().state;
    Ok(check_order(
        state,
        &prepared.cluster,
        prepared.kind,
        prepared.date,
    )?)
}

/// The day (Vietnam time) the latest of `records` was entered in the log, and its record.
fn latest_record(
    service: &Service,
    records: &[u64],
) -> Result<Option<(NaiveDate, u64)>, IssueError> {
    let mut latest = None;
    for &index in records {
        let entry = service
            .store()
            .entries(index, index + 1)
            .map_err(ServiceError::from)?
            .pop()
            .ok_or(IssueError::Record(index))?;
        let event = thidua_domain::Event::decode(index, &entry.bytes)
            .map_err(|_| IssueError::Record(index))?;
        let day = thidua_domain::figures::local_date(event.time_ms);
        if latest.is_none_or(|latest| (day, index) > latest) {
            latest = Some((day, index));
        }
    }
    Ok(latest)
}

/// The stored canonical content of an issued document (what its SHA-256 covers).
pub fn issued_content(service: &Service, document: &IssuedDocument) -> Result<Vec<u8>, IssueError> {
    Ok(stored_document(service, document)?.0)
}

/// An issued document's stored bytes and the document they hold. Only a document's canonical
/// content counts ([`from_canonical`]): the store also holds evidence files, which an issued
/// record must never lead to. Bytes that do not hash to the record's SHA-256 (the store finds
/// them corrupt) or are not a document's content are [`IssueError::Altered`].
fn stored_document(
    service: &Service,
    document: &IssuedDocument,
) -> Result<(Vec<u8>, crate::Document), IssueError> {
    let missing = || IssueError::Content(document.sha256.clone());
    let hash: [u8; 32] = hex::decode(&document.sha256)
        .ok()
        .and_then(|h| h.try_into().ok())
        .ok_or_else(missing)?;
    let altered = || IssueError::Altered(document.sha256.clone());
    let bytes = match service.store().get_blob(&hash) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(missing()),
        Err(thidua_store::StoreError::Corrupt(_)) => return Err(altered()),
        Err(e) => return Err(ServiceError::from(e).into()),
    };
    let doc = from_canonical(&bytes)
        .filter(|d| crate::content_hash(d) == document.sha256)
        .ok_or_else(altered)?;
    Ok((bytes, doc))
}

/// The file of an issued document, rendered again from its stored content with the line that
/// ties it to its record.
pub fn issued_file(
    service: &Service,
    document: &IssuedDocument,
    format: Format,
) -> Result<Vec<u8>, IssueError> {
    let (_, doc) = stored_document(service, document)?;
    Ok(render(&doc, &issued_line(document), format)?)
}

/// The verification line an issued document carries: its content's SHA-256 and its record.
pub fn issued_line(document: &IssuedDocument) -> Verification {
    Verification::Issued {
        sha256: document.sha256.clone(),
        index: document.index,
    }
}
