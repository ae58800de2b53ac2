//! Official documents issued by a cluster's secretariat (the covenant as a paper, the results
//! report, the minutes of each cross-inspection and of each vote count, the year-end report and
//! the submission proposing awards).
//! The documents themselves are written elsewhere (`thidua-docs`); the log records that one was
//! issued: its kind, its number and symbol in the Decree 30/2020 form ("Số: 01/BC-CTĐ12"; a
//! covenant has none), its date and the SHA-256 of its content, so that a printed copy can be
//! checked against the log. Commands are decided by [`decide`]; events are folded by
//! `State::apply_documents`. Numbers run from 01 each calendar year, per cluster, in the order
//! the log records them; decide and replay compute the next one the same way. A document is
//! about a [`Subject`] (an election, a covenant's results, an inspected pair, a cluster's year…):
//! a second document of the same kind about the same subject is refused when decided, naming the
//! one issued (a rule added after format 1, so it is decide's only and old logs replay); nor
//! may a numbered document be dated before the previous one of its year ([`check_order`]).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use crate::state::State;
use crate::text::{limits, Text};

/// The kinds of document the system issues. A new kind adds a variant here (its key and the
/// decree's type symbol) and a template in `thidua-docs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// "Bản giao ước thi đua": not among the decree's types, so without number and symbol.
    Covenant,
    /// The results of the year's scoring, a report (BC).
    Results,
    /// The minutes of one cross-inspection of the year-end review (BB).
    InspectionMinutes,
    /// The minutes of the count of one vote round (BB).
    VoteMinutes,
    /// The cluster's year-end report: results, inspections, votes (BC).
    YearReport,
    /// The submission proposing the awards a vote decided (TTr).
    AwardSubmission,
}

impl DocumentKind {
    /// Every kind, in the order they were introduced.
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::Covenant,
        DocumentKind::Results,
        DocumentKind::InspectionMinutes,
        DocumentKind::VoteMinutes,
        DocumentKind::YearReport,
        DocumentKind::AwardSubmission,
    ];

    /// The stable key, as the log, the API and the command line write it.
    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Covenant => "covenant",
            DocumentKind::Results => "results",
            DocumentKind::InspectionMinutes => "inspection_minutes",
            DocumentKind::VoteMinutes => "vote_minutes",
            DocumentKind::YearReport => "year_report",
            DocumentKind::AwardSubmission => "award_submission",
        }
    }

    /// The kind named by `key`.
    pub fn parse(key: &str) -> Option<DocumentKind> {
        Self::ALL.iter().copied().find(|k| k.key() == key)
    }

    /// The type's symbol in Decree 30/2020, appendix III (BB minutes, BC report, TTr
    /// submission…); `None` for a document outside the decree's types, which has no number.
    pub fn type_code(self) -> Option<&'static str> {
        match self {
            DocumentKind::Covenant => None,
            DocumentKind::Results | DocumentKind::YearReport => Some("BC"),
            DocumentKind::InspectionMinutes | DocumentKind::VoteMinutes => Some("BB"),
            DocumentKind::AwardSubmission => Some("TTr"),
        }
    }
}

/// What a document is about: a second document of the same kind about the same subject is
/// refused. Written in the log as its [`Subject::key`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A covenant's version, as a paper.
    Covenant { covenant: CovenantId, version: u32 },
    /// The published results of a covenant's year-end review.
    Results { covenant: CovenantId },
    /// One cross-inspection of a covenant's year-end review.
    Inspection {
        covenant: CovenantId,
        inspector: UnitId,
        inspected: UnitId,
    },
    /// The count of one round of an election.
    VoteCount { election: ElectionId, round: u32 },
    /// A cluster's year.
    YearReport { cluster: ClusterId, year: i32 },
    /// The awards an election decided.
    Award { election: ElectionId },
}

impl Subject {
    /// The kind of document about such a subject.
    pub fn kind(&self) -> DocumentKind {
        match self {
            Subject::Covenant { .. } => DocumentKind::Covenant,
            Subject::Results { .. } => DocumentKind::Results,
            Subject::Inspection { .. } => DocumentKind::InspectionMinutes,
            Subject::VoteCount { .. } => DocumentKind::VoteMinutes,
            Subject::YearReport { .. } => DocumentKind::YearReport,
            Subject::Award { .. } => DocumentKind::AwardSubmission,
        }
    }

    /// The subject as recorded: `results:giao-uoc-cum-12-2024`,
    /// `inspection:<covenant>:<inspector>:<inspected>`, `vote:<election>:<round>`,
    /// `year:<cluster>:<year>`, `award:<election>`, `covenant:<covenant>:<version>`.
    pub fn key(&self) -> String {
        match self {
            Subject::Covenant { covenant, version } => format!("covenant:{covenant}:{version}"),
            Subject::Results { covenant } => format!("results:{covenant}"),
            Subject::Inspection {
                covenant,
                inspector,
                inspected,
            } => format!("inspection:{covenant}:{inspector}:{inspected}"),
            Subject::VoteCount { election, round } => format!("vote:{election}:{round}"),
            Subject::YearReport { cluster, year } => format!("year:{cluster}:{year}"),
            Subject::Award { election } => format!("award:{election}"),
        }
    }

    /// The subject a key names.
    pub fn parse(key: &str) -> Option<Subject> {
        let parts: Vec<&str> = key.split(':').collect();
        let covenant = |s: &str| CovenantId::parse(s).ok();
        let election = |s: &str| ElectionId::parse(s).ok();
        let subject = match parts.as_slice() {
            ["covenant", c, v] => Subject::Covenant {
                covenant: covenant(c)?,
                version: v.parse().ok()?,
            },
            ["results", c] => Subject::Results {
                covenant: covenant(c)?,
            },
            ["inspection", c, a, b] => Subject::Inspection {
                covenant: covenant(c)?,
                inspector: UnitId::parse(a).ok()?,
                inspected: UnitId::parse(b).ok()?,
            },
            ["vote", e, r] => Subject::VoteCount {
                election: election(e)?,
                round: r.parse().ok()?,
            },
            ["year", c, y] => Subject::YearReport {
                cluster: ClusterId::parse(c).ok()?,
                year: y.parse().ok()?,
            },
            ["award", e] => Subject::Award {
                election: election(e)?,
            },
            _ => return None,
        };
        (subject.key() == key).then_some(subject)
    }
}

/// What a document's date may not precede: the latest event it records (a record of the log),
/// or the previous document of its numbering sequence (its number), numbers following the
/// order of the dates within the year (Decree 30/2020).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateFloor {
    /// The record (log index) of the latest event the document records.
    Record(u64),
    /// The number and symbol of the cluster's previous document of the year.
    Document(String),
}

impl DateFloor {
    /// The refusal's stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DateFloor::Record(_) => "document_date_before_record",
            DateFloor::Document(_) => "document_date_before_previous",
        }
    }

    /// Why, in English, for logs and the API.
    pub fn describe(&self, earliest: &str) -> String {
        match self {
            DateFloor::Record(i) => {
                format!("it records the event at record {i} of the log, entered on {earliest}")
            }
            DateFloor::Document(n) => format!(
                "document {n}, dated {earliest}, was issued before it in the cluster's numbering \
                 of the year, and numbers follow the order of the dates"
            ),
        }
    }

    /// The refusal of a document dated `date` before `earliest`.
    pub fn refuse(self, date: NaiveDate, earliest: NaiveDate) -> DomainError {
        DomainError::DocumentDateTooEarly {
            date: date.format("%d/%m/%Y").to_string(),
            earliest: earliest.format("%d/%m/%Y").to_string(),
            after: self,
        }
    }
}

/// A numbered document of `kind` dated `date` comes after the cluster's documents already
/// numbered in that calendar year, in date as in number: refused, with the previous one's
/// number and date, when dated before it. A document without number is not in the sequence.
pub fn check_order(
    state: &State,
    cluster: &ClusterId,
    kind: DocumentKind,
    date: NaiveDate,
) -> Result<(), DomainError> {
    if kind.type_code().is_none() {
        return Ok(());
    }
    let previous = issued_by(state, cluster)
        .filter(|d| d.number.is_some() && d.date.year() == date.year())
        .max_by_key(|d| (d.date, d.index));
    match previous {
        Some(p) if date < p.date => {
            let number = p.number_and_symbol().unwrap_or_default();
            Err(DateFloor::Document(number).refuse(date, p.date))
        }
        _ => Ok(()),
    }
}

/// An issued document as the state keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDocument {
    pub kind: DocumentKind,
    pub cluster: ClusterId,
    /// The cluster year the document concerns.
    pub year: i32,
    /// The document's date (the business date printed on it).
    pub date: NaiveDate,
    pub number: Option<u32>,
    /// "BC-CTĐ12".
    pub symbol: Option<Text>,
    /// The document's subject ("Kết quả chấm điểm thi đua năm 2024").
    pub title: Text,
    /// SHA-256 (hex) of the document's content.
    pub sha256: String,
    /// What it is about ([`Subject::key`]); `None` when issued before subjects were recorded.
    #[serde(default)]
    pub subject: Option<Text>,
    /// Log index of the issuing event.
    pub index: u64,
    pub time_ms: i64,
}

impl IssuedDocument {
    /// "01/BC-CTĐ12" (numbers below 10 take a leading 0), or `None` without a number.
    pub fn number_and_symbol(&self) -> Option<String> {
        number_and_symbol(self.number, self.symbol.as_ref().map(Text::as_str))
    }
}

/// "01/BC-CTĐ12" from a number and a symbol.
pub fn number_and_symbol(number: Option<u32>, symbol: Option<&str>) -> Option<String> {
    match (number, symbol) {
        (Some(n), Some(s)) => Some(format!("{n:02}/{s}")),
        _ => None,
    }
}

/// The abbreviation of a cluster's name in a symbol: the initials of its words in capitals and
/// its numbers whole, the word "số" left out ("Cụm thi đua số 12" → "CTĐ12").
pub fn body_abbreviation(name: &str) -> String {
    let mut out = String::new();
    for word in name.split_whitespace() {
        if word.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(word);
        } else if !word.eq_ignore_ascii_case("số") && word != "Số" {
            if let Some(first) = word.chars().find(|c| c.is_alphanumeric()) {
                out.extend(first.to_uppercase());
            }
        }
    }
    out
}

/// The symbol a cluster gives a document of `kind` ("BC-CTĐ12"), `None` for a kind without one.
pub fn symbol(kind: DocumentKind, cluster_name: &str) -> Option<String> {
    kind.type_code()
        .map(|code| format!("{code}-{}", body_abbreviation(cluster_name)))
}

/// The number the next document of `kind` issued by `cluster` on `date` takes (`None` for a
/// kind without number): one more than the numbered documents of the cluster in that
/// calendar year.
pub fn next_number(
    state: &State,
    cluster: &ClusterId,
    kind: DocumentKind,
    date: NaiveDate,
) -> Option<u32> {
    kind.type_code()?;
    let issued = state
        .documents
        .iter()
        .filter(|d| &d.cluster == cluster && d.number.is_some() && d.date.year() == date.year())
        .count();
    Some(issued as u32 + 1)
}

/// The document of `kind` issued by `cluster` about `subject`, if any. A record written before
/// subjects were recorded is matched by its year and subject line (`title`), as it was found
/// before.
pub fn issued_about<'a>(
    state: &'a State,
    cluster: &'a ClusterId,
    kind: DocumentKind,
    year: i32,
    subject: &str,
    title: &str,
) -> Option<&'a IssuedDocument> {
    issued_by(state, cluster).find(|d| {
        d.kind == kind
            && match &d.subject {
                Some(s) => s.as_str() == subject,
                None => d.year == year && d.title.as_str() == title,
            }
    })
}

/// The documents a cluster issued, oldest first.
pub fn issued_by<'a>(
    state: &'a State,
    cluster: &'a ClusterId,
) -> impl Iterator<Item = &'a IssuedDocument> + 'a {
    state
        .documents
        .iter()
        .filter(move |d| &d.cluster == cluster)
}

/// Who may issue the documents of `cluster`, or be answered the record of one issued already:
/// its secretariat.
pub fn authorise_issue(
    state: &State,
    actor: &Actor,
    cluster: &ClusterId,
) -> Result<(), DomainError> {
    authorise(state, actor, &Permission::ManageCluster(cluster.clone()))
}

pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    let Command::IssueDocument {
        cluster,
        year,
        kind,
        date,
        number,
        title,
        sha256,
        subject,
    } = command
    else {
        unreachable!("not a document command: {command:?}")
    };
    authorise_issue(state, actor, &cluster)?;
    title.check_line("title", limits::TITLE)?;
    crate::org::validate_date("date", date)?;
    check_sha256(&sha256)?;
    check_subject(state, &cluster, kind, year, &subject, &title)?;
    check_order(state, &cluster, kind, date)?;
    let name = state.cluster(&cluster)?.cluster.name.clone();
    let symbol = symbol(kind, name.as_str())
        .map(|s| Text::parse("symbol", &s, limits::PLAN_REF))
        .transpose()?;
    Ok(vec![Payload::DocumentIssued {
        cluster,
        year,
        kind,
        date,
        number,
        symbol,
        title,
        sha256,
        subject: Some(subject),
    }])
}

/// The subject names a subject of the document's kind, and no document of that kind was issued
/// about it (the same content issued again is found by its hash before this is asked).
fn check_subject(
    state: &State,
    cluster: &ClusterId,
    kind: DocumentKind,
    year: i32,
    subject: &Text,
    title: &Text,
) -> Result<(), DomainError> {
    subject.check_line("subject", limits::TITLE)?;
    if Subject::parse(subject.as_str()).map(|s| s.kind()) != Some(kind) {
        return Err(DomainError::InvalidValue {
            field: "subject",
            reason: format!("`{subject}` names no subject of a {}", kind.key()),
        });
    }
    check_not_issued(state, cluster, kind, year, subject.as_str(), title.as_str())
}

/// No document of `kind` was issued by `cluster` about `subject` ([`issued_about`]); refused
/// with the number and date of the one that was.
pub fn check_not_issued(
    state: &State,
    cluster: &ClusterId,
    kind: DocumentKind,
    year: i32,
    subject: &str,
    title: &str,
) -> Result<(), DomainError> {
    match issued_about(state, cluster, kind, year, subject, title) {
        Some(d) => Err(DomainError::DocumentAlreadyIssued {
            kind: kind.key(),
            number: d.number_and_symbol(),
            date: d.date.format("%d/%m/%Y").to_string(),
            index: d.index,
        }),
        None => Ok(()),
    }
}

/// A SHA-256 in hex: 64 lowercase hex digits.
fn check_sha256(hash: &str) -> Result<(), DomainError> {
    let ok = hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(DomainError::InvalidValue {
            field: "sha256",
            reason: "a SHA-256 is 64 lowercase hex digits".into(),
        })
    }
}

impl State {
    /// Records an issued document: the cluster and its year exist, the number is the next one
    /// (or absent for a kind without number), the symbol is the kind's, and the same content
    /// was not issued by the cluster before.
    pub(crate) fn apply_documents(&mut self, event: &Event) -> Result<(), DomainError> {
        let Payload::DocumentIssued {
            cluster,
            year,
            kind,
            date,
            number,
            symbol,
            title,
            sha256,
            subject,
        } = &event.payload
        else {
            unreachable!("not a document event: {}", event.payload.kind())
        };
        self.members(cluster, *year)?;
        check_sha256(sha256)?;
        let expected = next_number(self, cluster, *kind, *date);
        if *number != expected {
            return Err(DomainError::InvalidValue {
                field: "number",
                reason: match expected {
                    Some(n) => format!("the next number is {n:02}; another document took this one"),
                    None => format!("a {} has no number", kind.key()),
                },
            });
        }
        let symbol_fits = match (kind.type_code(), symbol) {
            (Some(code), Some(s)) => s.as_str().starts_with(&format!("{code}-")),
            (None, None) => true,
            _ => false,
        };
        if !symbol_fits {
            return Err(DomainError::InvalidValue {
                field: "symbol",
                reason: format!("the symbol does not fit a {}", kind.key()),
            });
        }
        if issued_by(self, cluster).any(|d| &d.sha256 == sha256) {
            return Err(DomainError::InvalidValue {
                field: "sha256",
                reason: "this document was already issued".into(),
            });
        }
        self.documents.push_back(IssuedDocument {
            kind: *kind,
            cluster: cluster.clone(),
            year: *year,
            date: *date,
            number: *number,
            symbol: symbol.clone(),
            title: title.clone(),
            sha256: sha256.clone(),
            subject: subject.clone(),
            index: event.index,
            time_ms: event.time_ms,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_numbers() {
        assert_eq!(body_abbreviation("Cụm thi đua số 12"), "CTĐ12");
        assert_eq!(body_abbreviation("Khối thi đua các đơn vị"), "KTĐCĐV");
        assert_eq!(
            symbol(DocumentKind::Results, "Cụm thi đua số 12").as_deref(),
            Some("BC-CTĐ12")
        );
        assert_eq!(symbol(DocumentKind::Covenant, "Cụm thi đua số 12"), None);
        assert_eq!(
            symbol(DocumentKind::VoteMinutes, "Cụm thi đua số 12").as_deref(),
            Some("BB-CTĐ12")
        );
        assert_eq!(
            symbol(DocumentKind::AwardSubmission, "Cụm thi đua số 12").as_deref(),
            Some("TTr-CTĐ12")
        );
        assert_eq!(
            number_and_symbol(Some(1), Some("BC-CTĐ12")).as_deref(),
            Some("01/BC-CTĐ12")
        );
        assert_eq!(
            number_and_symbol(Some(123), Some("BB-CTĐ12")).as_deref(),
            Some("123/BB-CTĐ12")
        );
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.key()), Some(*k));
        }
    }
}
