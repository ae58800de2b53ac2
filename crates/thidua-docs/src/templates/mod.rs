//! One template per kind of document. Each kind has a *data function* that reads what the
//! document needs from the state (or, for the results, from a scoreboard) and a *template* that
//! turns those data into the [`Document`] model. [`prepare`] is the one entry point the API, the
//! pages and the command line share: it builds the document, its number (the next one the log
//! will give, [`thidua_domain::documents::next_number`]) and its content hash, and says whether
//! it may be issued.

pub mod award;
pub mod common;
pub mod covenant;
pub mod inspection;
pub mod offers;
pub mod results;
pub mod vote;
pub mod year;

use chrono::NaiveDate;
use thidua_domain::documents::{DocumentKind, IssuedDocument, Subject};
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use thidua_domain::text::limits;
use thidua_domain::{Command, DomainError, State, Text};
use thidua_scoring::Scoreboard;

use crate::model::Document;

/// Errors are the domain's (unknown covenant, a covenant not yet frozen…), with its codes.
pub type DocError = DomainError;

/// What document to build.
#[derive(Clone, Debug)]
pub enum Request {
    /// The covenant as a paper: a version (default: the one in force, else the latest).
    Covenant {
        covenant: CovenantId,
        version: Option<u32>,
    },
    /// The results report of a cluster's year from a scoreboard computed outside the log: a
    /// preview only (an issued report is a [`Request::PublishedResults`]).
    Results {
        cluster: ClusterId,
        year: i32,
        board: Box<Scoreboard>,
        place: String,
        date: NaiveDate,
    },
    /// The results report of a covenant's year from its published year-end review (the final
    /// scores the log holds), as the pages and the API offer it.
    PublishedResults {
        covenant: CovenantId,
        place: String,
        date: NaiveDate,
    },
    /// The minutes of the inspection of `inspected` by `inspector` in the year-end review of
    /// `covenant`.
    Inspection {
        covenant: CovenantId,
        inspector: UnitId,
        inspected: UnitId,
        place: String,
        date: NaiveDate,
    },
    /// The minutes of the count of a vote round (default: the last counted one).
    VoteCount {
        election: ElectionId,
        round: Option<u32>,
        place: String,
        date: NaiveDate,
    },
    /// The cluster's year-end report for the year of `covenant`: results, inspections, votes.
    YearReport {
        covenant: CovenantId,
        place: String,
        date: NaiveDate,
    },
    /// The submission proposing the awards an election decided.
    AwardSubmission {
        election: ElectionId,
        place: String,
        date: NaiveDate,
    },
}

impl Request {
    /// The kind of document requested.
    pub fn kind(&self) -> DocumentKind {
        match self {
            Request::Covenant { .. } => DocumentKind::Covenant,
            Request::Results { .. } | Request::PublishedResults { .. } => DocumentKind::Results,
            Request::Inspection { .. } => DocumentKind::InspectionMinutes,
            Request::VoteCount { .. } => DocumentKind::VoteMinutes,
            Request::YearReport { .. } => DocumentKind::YearReport,
            Request::AwardSubmission { .. } => DocumentKind::AwardSubmission,
        }
    }
}

/// A built document and what issuing it records.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub document: Document,
    pub kind: DocumentKind,
    pub cluster: ClusterId,
    pub year: i32,
    pub date: NaiveDate,
    pub number: Option<u32>,
    /// The subject line, as the log lists it.
    pub title: String,
    /// What the document is about (one document of a kind per subject); `None` for a document
    /// that may not be issued.
    pub subject: Option<Subject>,
    /// The log records of the events it recites: its date may not precede the day the latest
    /// of them was entered (`crate::issue::check_date`).
    pub records: Vec<u64>,
    /// [`crate::content_hash`] of the document.
    pub sha256: String,
    /// Why it may not be issued yet (a covenant not frozen), if so.
    pub not_issuable: Option<DomainError>,
    /// The record of the same content, if it was issued already.
    pub issued: Option<IssuedDocument>,
}

impl Prepared {
    /// The command that records the issue (the caller executes it as its actor; the domain
    /// authorises it and checks the number).
    pub fn issue_command(&self) -> Result<Command, DomainError> {
        if let Some(e) = &self.not_issuable {
            return Err(e.clone());
        }
        let subject = self
            .subject
            .as_ref()
            .ok_or_else(|| DomainError::InvalidValue {
                field: "subject",
                reason: "the document names no subject".into(),
            })?;
        Ok(Command::IssueDocument {
            cluster: self.cluster.clone(),
            year: self.year,
            kind: self.kind,
            date: self.date,
            number: self.number,
            title: Text::parse("title", &self.title, limits::TITLE)?,
            sha256: self.sha256.clone(),
            subject: Text::parse("subject", &subject.key(), limits::TITLE)?,
        })
    }
}

/// Builds the requested document against `state`. A numbered document issued before carries
/// its own number: the numbers of the cluster's issued documents of the same kind are tried
/// first, then the next number.
pub fn prepare(state: &State, request: &Request) -> Result<Prepared, DomainError> {
    if let Request::Covenant { covenant, version } = request {
        return Ok(finish(state, covenant::prepare(state, covenant, *version)?));
    }
    let first = build(state, request, None)?;
    let numbers: Vec<u32> = thidua_domain::documents::issued_by(state, &first.cluster)
        .filter(|d| d.kind == first.kind && d.year == first.year)
        .filter_map(|d| d.number)
        .collect();
    for n in numbers {
        let p = finish(state, build(state, request, Some(n))?);
        if p.issued.is_some() {
            return Ok(p);
        }
    }
    let next = thidua_domain::documents::next_number(state, &first.cluster, first.kind, first.date);
    Ok(finish(state, build(state, request, next)?))
}

/// The document `request` asks for, numbered `number` (as its record says), with its content
/// hash: what the log gives for an issued record, from the state just before it
/// ([`crate::rebuild`]).
pub(crate) fn rebuild(
    state: &State,
    request: &Request,
    number: Option<u32>,
) -> Result<Prepared, DomainError> {
    let mut p = build(state, request, number)?;
    p.sha256 = crate::content_hash(&p.document);
    Ok(p)
}

/// The numbered document `request` asks for, numbered `number`.
fn build(state: &State, request: &Request, number: Option<u32>) -> Result<Prepared, DomainError> {
    match request {
        Request::Covenant { covenant, version } => covenant::prepare(state, covenant, *version),
        Request::Results {
            cluster,
            year,
            board,
            place,
            date,
        } => results::prepare(state, cluster, *year, board, place, *date, number),
        Request::PublishedResults {
            covenant,
            place,
            date,
        } => results::prepare_published(state, covenant, place, *date, number),
        Request::Inspection {
            covenant,
            inspector,
            inspected,
            place,
            date,
        } => inspection::prepare(state, covenant, inspector, inspected, place, *date, number),
        Request::VoteCount {
            election,
            round,
            place,
            date,
        } => vote::prepare(state, election, *round, place, *date, number),
        Request::YearReport {
            covenant,
            place,
            date,
        } => year::prepare(state, covenant, place, *date, number),
        Request::AwardSubmission {
            election,
            place,
            date,
        } => award::prepare(state, election, place, *date, number),
    }
}

/// Sets the content hash and the record of the same content, if issued.
fn finish(state: &State, mut prepared: Prepared) -> Prepared {
    prepared.sha256 = crate::content_hash(&prepared.document);
    prepared.issued = thidua_domain::documents::issued_by(state, &prepared.cluster)
        .find(|d| d.sha256 == prepared.sha256)
        .cloned();
    prepared
}
