//! An issued document checked against the log that records it: documents are deterministic
//! from the log, so the record's kind, subject, date and number, with the place printed on the
//! content (the one free line of a document), and the state just before the record give the
//! document again; its SHA-256 must be the record's. A content that hashes to its record but
//! is not what the log gives (a score changed, a number that is not the record's) is a
//! difference, said with what differs. `thidua doc check` and `thidua verify` share it.
//!
//! The state is the log's as it was just before the record (a document recites the papers
//! issued before it, so the final state is not enough): [`audit`] folds the verified events
//! with [`State::apply_readable`], as the verifier does, and rebuilds each issued document
//! whose content it is given on the way.

use chrono::NaiveDate;
use thidua_domain::documents::{IssuedDocument, Subject};
use thidua_domain::{Event, Payload, State};

use crate::decree::place_date;
use crate::model::{Block, Document};
use crate::templates::common::{default_place, dmy, inspection_place, OPENING_ON, OPENING_TODAY};
use crate::templates::Request;
use crate::{content_hash, from_canonical};

/// What rebuilding the issued documents found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Documents rebuilt identical to their record: (log index, SHA-256).
    pub identical: Vec<(u64, String)>,
    /// Every difference, in log order, as a sentence naming the record and what differs.
    pub differences: Vec<String>,
    /// Documents whose content was given but which the log cannot rebuild, with why.
    pub not_recomputed: Vec<String>,
    /// Documents whose content was not available to the caller (log index, SHA-256).
    pub unread: Vec<(u64, String)>,
    /// Documents another release wrote with another edition of the templates (log index,
    /// SHA-256, edition): their content hashes to their record, but this release's templates
    /// would word them otherwise, so only a release of that edition rebuilds them
    /// ([`crate::model::EDITION`]).
    pub other_edition: Vec<(u64, String, u32)>,
}

impl Audit {
    /// Every difference and every document not rebuilt, as sentences.
    pub fn problems(&self) -> Vec<String> {
        let mut out = self.differences.clone();
        out.extend(self.not_recomputed.iter().cloned());
        out
    }
}

/// Where the stored content of an issued document is read from: its canonical bytes,
/// `Ok(None)` when the caller may not read it, `Err` (why) when they could not be had.
pub type Content<'a> = &'a dyn Fn(&IssuedDocument) -> Result<Option<Vec<u8>>, String>;

/// Replays `events` (a whole log or a member's readable part, in order) and rebuilds each
/// issued document among them for which `content` gives the stored canonical bytes (`Ok(None)`:
/// not available to the caller, listed as unread; `Err`: they could not be had, listed as not
/// recomputed with why); `only` limits it to the document with that SHA-256 (the replay stops
/// after it). An event that cannot be applied stops the audit.
pub fn audit(events: &[Event], only: Option<&str>, content: Content) -> Result<Audit, String> {
    let mut state = State::default();
    let mut out = Audit::default();
    // Nothing after the last record of an issued document is needed.
    let end = events
        .iter()
        .rposition(|e| matches!(e.payload, Payload::DocumentIssued { .. }))
        .map_or(0, |i| i + 1);
    for event in &events[..end] {
        let before = matches!(event.payload, Payload::DocumentIssued { .. }).then(|| {
            let mut before = state.clone();
            // The state steps over hidden events as `apply_readable` does.
            if before.size < event.index {
                before.partial = true;
                before.size = event.index;
            }
            before
        });
        state
            .apply_readable(event)
            .map_err(|e| format!("event {}: {e}", event.index))?;
        let Some(before) = before else { continue };
        let Some(record) = state.documents.last().filter(|d| d.index == event.index) else {
            continue;
        };
        if only.is_some_and(|sha| sha != record.sha256) {
            continue;
        }
        match content(record) {
            Err(why) => out.not_recomputed.push(format!(
                "document {} (record {}) NOT recomputed: its content could not be read: {why}",
                record.sha256, record.index
            )),
            Ok(None) => out.unread.push((record.index, record.sha256.clone())),
            Ok(Some(bytes)) => match check(&before, record, &bytes) {
                Ok(()) => out.identical.push((record.index, record.sha256.clone())),
                Err(Problem::Differs(why)) => out.differences.push(why),
                Err(Problem::NotRebuilt(why)) => out.not_recomputed.push(why),
                Err(Problem::OtherEdition(edition)) => {
                    out.other_edition
                        .push((record.index, record.sha256.clone(), edition))
                }
            },
        }
        if only.is_some() {
            break;
        }
    }
    Ok(out)
}

/// Why a document is not identical to its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The content is not what the log gives for the record (a sentence saying what differs).
    Differs(String),
    /// The log cannot rebuild it (a sentence saying why).
    NotRebuilt(String),
    /// Its content hashes to its record but was written with another edition of the templates
    /// (this one): only a release of that edition rebuilds it.
    OtherEdition(u32),
}

/// Checks the stored content `bytes` of the issued document `record` against the document the
/// log gives for it from `before`, the state just before the record.
pub fn check(before: &State, record: &IssuedDocument, bytes: &[u8]) -> Result<(), Problem> {
    let head = format!(
        "document {} (record {}, {} {})",
        record.sha256,
        record.index,
        record.kind.key(),
        record.number_and_symbol().unwrap_or_else(|| "-".into())
    );
    let served = from_canonical(bytes)
        .filter(|d| content_hash(d) == record.sha256)
        .ok_or_else(|| {
            Problem::Differs(format!(
                "{head}: the content served for it does not hash to the recorded SHA-256"
            ))
        })?;
    if served.edition != crate::model::EDITION {
        return Err(Problem::OtherEdition(served.edition));
    }
    let Some(subject) = record
        .subject
        .as_ref()
        .and_then(|s| Subject::parse(s.as_str()))
    else {
        return Err(Problem::NotRebuilt(format!(
            "{head} NOT recomputed: its record names no subject it can be rebuilt from"
        )));
    };
    if subject.kind() != record.kind {
        return Err(Problem::Differs(format!(
            "{head}: its record is a {} about `{}`, a subject of a {}",
            record.kind.key(),
            subject.key(),
            subject.kind().key()
        )));
    }
    let mut first: Option<Document> = None;
    let mut why_not = None;
    for request in requests(before, &subject, record.date, &served) {
        match crate::templates::rebuild(before, &request, record.number) {
            Ok(p) => {
                let same_record = p.kind == record.kind
                    && p.cluster == record.cluster
                    && p.year == record.year
                    && p.title == record.title.as_str();
                if p.sha256 == record.sha256 && same_record {
                    return Ok(());
                }
                if p.sha256 == record.sha256 {
                    return Err(Problem::Differs(format!(
                        "{head}: the log gives this content for a {} of {} {} titled `{}`, but \
                         the record says a {} of {} {} titled `{}`",
                        p.kind.key(),
                        p.cluster,
                        p.year,
                        p.title,
                        record.kind.key(),
                        record.cluster,
                        record.year,
                        record.title
                    )));
                }
                first.get_or_insert(p.document);
            }
            Err(e) => {
                why_not.get_or_insert(e);
            }
        }
    }
    match (first, why_not) {
        (Some(log), _) => Err(Problem::Differs(format!(
            "{head}: the content is not what the log gives for this record (its state before \
             record {}); {}",
            record.index,
            differences(&log, &served).join("; ")
        ))),
        (None, Some(e)) => Err(Problem::Differs(format!(
            "{head}: the log gives no such document before record {}: {e}",
            record.index
        ))),
        (None, None) => Err(Problem::NotRebuilt(format!(
            "{head} NOT recomputed: no request for `{}` could be formed",
            subject.key()
        ))),
    }
}

/// The requests that may have built a document about `subject` dated `date`: each place the
/// served content can be read as naming (the place is free text), and for a year-end report
/// each covenant of the cluster's year.
fn requests(state: &State, subject: &Subject, date: NaiveDate, served: &Document) -> Vec<Request> {
    if let Subject::Covenant { covenant, version } = subject {
        return vec![Request::Covenant {
            covenant: covenant.clone(),
            version: Some(*version),
        }];
    }
    let mut places = places(served, date);
    let fallback = match subject {
        Subject::Inspection {
            covenant,
            inspected,
            ..
        } => inspection_place(state, covenant, inspected, date),
        Subject::Results { covenant } => state
            .covenants
            .get(covenant)
            .and_then(|c| default_place(state, &c.cluster, c.year, date)),
        Subject::VoteCount { election, round } => crate::templates::offers::default_place(
            state,
            &format!("vote:{election}:{round}"),
            date,
        ),
        Subject::Award { election } => state
            .elections
            .get(election)
            .and_then(|e| default_place(state, &e.cluster, e.year, date)),
        Subject::YearReport { cluster, year } => default_place(state, cluster, *year, date),
        Subject::Covenant { .. } => None,
    };
    places.extend(fallback);
    let mut out = Vec::new();
    for place in places {
        match subject {
            Subject::Covenant { .. } => {}
            Subject::Results { covenant } => out.push(Request::PublishedResults {
                covenant: covenant.clone(),
                place,
                date,
            }),
            Subject::Inspection {
                covenant,
                inspector,
                inspected,
            } => out.push(Request::Inspection {
                covenant: covenant.clone(),
                inspector: inspector.clone(),
                inspected: inspected.clone(),
                place,
                date,
            }),
            Subject::VoteCount { election, round } => out.push(Request::VoteCount {
                election: election.clone(),
                round: Some(*round),
                place,
                date,
            }),
            Subject::YearReport { cluster, year } => out.extend(
                state
                    .covenants
                    .values()
                    .filter(|c| &c.cluster == cluster && c.year == *year)
                    .map(|c| Request::YearReport {
                        covenant: c.id.clone(),
                        place: place.clone(),
                        date,
                    }),
            ),
            Subject::Award { election } => out.push(Request::AwardSubmission {
                election: election.clone(),
                place,
                date,
            }),
        }
    }
    out
}

/// The places the served content may name: before the date on its place-and-date line, or
/// after "tại" in the opening of minutes ("Hôm nay, ngày …, tại Kiên Giang, …" or, issued
/// after the day they record, "Vào ngày …, tại Kiên Giang, …": [`after_opening`]), where a
/// place holding a comma leaves several readings, each tried.
fn places(served: &Document, date: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(line) = &served.header.place_date {
        if let Some(place) = line.strip_suffix(&place_date("", date)) {
            out.push(place.to_owned());
        }
    }
    for block in &served.body {
        let Block::Paragraph(spans) = block else {
            continue;
        };
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        if let Some(rest) = after_opening(&text, date) {
            out.extend(rest.match_indices(", ").map(|(i, _)| rest[..i].to_owned()));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

/// What follows "tại " in the opening of minutes issued on `date`
/// (`templates::common::minutes_opening`): "Hôm nay, ngày {date}, tại …", or "Vào ngày
/// dd/mm/yyyy, tại …" with the day of what they record.
fn after_opening(text: &str, date: NaiveDate) -> Option<&str> {
    let today = format!("{OPENING_TODAY} {}, tại ", dmy(date));
    if let Some(rest) = text.strip_prefix(&today) {
        return Some(rest);
    }
    let (day, rest) = text
        .strip_prefix(OPENING_ON)?
        .strip_prefix(' ')?
        .split_once(", tại ")?;
    NaiveDate::parse_from_str(day, "%d/%m/%Y").ok()?;
    Some(rest)
}

/// What differs between the document the log gives and the one served, part by part (the
/// first few differences of the body, a table row by row).
pub fn differences(log: &Document, served: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "(none)".into());
    let mut field = |what: &str, a: String, b: String| {
        if a != b {
            out.push(format!(
                "{what}: the log gives {a:?}, the content says {b:?}"
            ));
        }
    };
    field("kind", log.kind.clone(), served.kind.clone());
    field(
        "number",
        opt(&log.header.number),
        opt(&served.header.number),
    );
    field(
        "place and date",
        opt(&log.header.place_date),
        opt(&served.header.place_date),
    );
    field(
        "issuing body",
        format!(
            "{} {}",
            opt(&log.header.parent_body),
            log.header.issuing_body
        ),
        format!(
            "{} {}",
            opt(&served.header.parent_body),
            served.header.issuing_body
        ),
    );
    field("type", log.type_line.clone(), served.type_line.clone());
    field("subject", log.subject.join(" "), served.subject.join(" "));
    field("addressee", opt(&log.addressee), opt(&served.addressee));
    let mut body = Vec::new();
    for (i, pair) in log.body.iter().zip(&served.body).enumerate() {
        match pair {
            (Block::Table(a), Block::Table(b)) if a != b => {
                for (r, (x, y)) in a.rows.iter().zip(&b.rows).enumerate() {
                    if x != y {
                        body.push(format!(
                            "body block {}, table row {}: the log gives \"{}\", the content says \"{}\"",
                            i + 1,
                            r + 1,
                            x.join(" | "),
                            y.join(" | ")
                        ));
                    }
                }
                if a.rows.len() != b.rows.len() || a.columns != b.columns {
                    body.push(format!(
                        "body block {}: a table of {} rows in the log, {} in the content",
                        i + 1,
                        a.rows.len(),
                        b.rows.len()
                    ));
                }
            }
            (a, b) if a != b => body.push(format!(
                "body block {}: the log gives {}, the content says {}",
                i + 1,
                block_text(a),
                block_text(b)
            )),
            _ => {}
        }
    }
    if log.body.len() != served.body.len() {
        body.push(format!(
            "the body has {} blocks in the log, {} in the content",
            log.body.len(),
            served.body.len()
        ));
    }
    let more = body.len().saturating_sub(5);
    out.extend(body.into_iter().take(5));
    if more > 0 {
        out.push(format!("and {more} more difference(s) in the body"));
    }
    if log.signatures != served.signatures {
        out.push("the signature blocks differ".into());
    }
    if log.recipients != served.recipients {
        out.push("the recipients differ".into());
    }
    if out.is_empty() {
        out.push("the content differs".into());
    }
    out
}

/// A block as one quoted line.
fn block_text(block: &Block) -> String {
    match block {
        Block::Heading(h) => format!("{h:?}"),
        Block::Paragraph(spans) => {
            format!(
                "{:?}",
                spans.iter().map(|s| s.text.as_str()).collect::<String>()
            )
        }
        Block::Table(t) => format!("a table of {} rows", t.rows.len()),
    }
}
