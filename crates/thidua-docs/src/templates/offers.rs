//! The documents a cluster's year can give from what the log holds, for the "Văn bản" section
//! and the API: the minutes of each inspection whose finding was submitted, the minutes of each
//! counted vote round, the year-end report once the results are published, and the submission
//! of each election for an award that decided. Each is named by a short key
//! (`inspection:<covenant>:<inspector>:<inspected>`, `vote:<election>:<round>`,
//! `year:<covenant>`, `award:<election>`) that [`request`] turns back into a [`Request`] with a
//! place and a date. Whether one was issued is read from the log by its kind and subject
//! ([`Subject`]).

use chrono::NaiveDate;
use thidua_domain::documents::{issued_about, DocumentKind, IssuedDocument, Subject};
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use thidua_domain::{DomainError, State};

use super::award::award_name;
use super::common::{inspection_place, not_ready, unit_name};
use super::Request;

/// A document that can be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub kind: DocumentKind,
    /// What [`request`] reads.
    pub key: String,
    /// The subject the document will carry.
    pub title: String,
    /// The record of a document of this kind and subject issued already, if any.
    pub issued: Option<IssuedDocument>,
}

/// The documents `cluster`'s `year` can give, in the order of the year.
pub fn offers(state: &State, cluster: &ClusterId, year: i32, date: NaiveDate) -> Vec<Offer> {
    let mut out = Vec::new();
    let reviews = state
        .yearend
        .reviews
        .iter()
        .filter(|(_, r)| &r.cluster == cluster && r.year == year);
    for (covenant, review) in reviews {
        for (f, _) in &review.findings {
            let title = super::inspection::subject_of(
                year,
                &unit_name(state, &f.inspector, date),
                &unit_name(state, &f.inspected, date),
            );
            let key = format!("inspection:{covenant}:{}:{}", f.inspector, f.inspected);
            let about = Subject::Inspection {
                covenant: covenant.clone(),
                inspector: f.inspector.clone(),
                inspected: f.inspected.clone(),
            };
            out.push((key, title, about));
        }
        if review.published.is_some() {
            let title = super::results::subject(year);
            let about = Subject::Results {
                covenant: covenant.clone(),
            };
            out.push((format!("results:{covenant}"), title, about));
            let title = super::year::subject(year);
            let about = Subject::YearReport {
                cluster: cluster.clone(),
                year,
            };
            out.push((format!("year:{covenant}"), title, about));
        }
    }
    let mut elections: Vec<_> = state
        .elections
        .values()
        .filter(|e| &e.cluster == cluster && e.year == year)
        .collect();
    elections.sort_by_key(|e| e.opened_at);
    for e in elections {
        for r in e.rounds.iter().filter(|r| r.count.is_some()) {
            let title = format!("Kiểm phiếu vòng {}: {}", r.number, e.title);
            let about = Subject::VoteCount {
                election: e.id.clone(),
                round: r.number,
            };
            out.push((format!("vote:{}:{}", e.id, r.number), title, about));
        }
        let decided = super::award::decided_rounds(e).is_ok();
        if let (Some(award), true) = (award_name(e.award), decided) {
            let title = format!("Đề nghị tặng {award} năm {year}");
            let about = Subject::Award {
                election: e.id.clone(),
            };
            out.push((format!("award:{}", e.id), title, about));
        }
    }
    out.into_iter()
        .map(|(key, title, about)| Offer {
            issued: issued_about(state, cluster, about.kind(), year, &about.key(), &title).cloned(),
            kind: about.kind(),
            key,
            title,
        })
        .collect()
}

/// The request a key names, dated `date` at `place`.
pub fn request(key: &str, place: &str, date: NaiveDate) -> Result<Request, DomainError> {
    let bad = || not_ready("doc", format!("`{key}` names no document"));
    let parts: Vec<&str> = key.split(':').collect();
    let (place, covenant) = (place.to_owned(), |s: &str| {
        CovenantId::parse(s).map_err(|_| bad())
    });
    let election = |s: &str| ElectionId::parse(s).map_err(|_| bad());
    let unit = |s: &str| UnitId::parse(s).map_err(|_| bad());
    Ok(match parts.as_slice() {
        ["inspection", c, a, b] => Request::Inspection {
            covenant: covenant(c)?,
            inspector: unit(a)?,
            inspected: unit(b)?,
            place,
            date,
        },
        ["vote", e, r] => Request::VoteCount {
            election: election(e)?,
            round: Some(r.parse().map_err(|_| bad())?),
            place,
            date,
        },
        ["results", c] => Request::PublishedResults {
            covenant: covenant(c)?,
            place,
            date,
        },
        ["year", c] => Request::YearReport {
            covenant: covenant(c)?,
            place,
            date,
        },
        ["award", e] => Request::AwardSubmission {
            election: election(e)?,
            place,
            date,
        },
        _ => return Err(bad()),
    })
}

/// The place the document a key names is dated at unless another is typed: the inspected
/// unit's province for an inspection's minutes ([`inspection_place`]), else the place of the
/// cluster's covenant of the year — for a count's minutes, as named the day of the count.
pub fn default_place(state: &State, key: &str, date: NaiveDate) -> Option<String> {
    let parts: Vec<&str> = key.split(':').collect();
    if let ["inspection", c, _, b] = parts.as_slice() {
        let covenant = CovenantId::parse(c).ok()?;
        return inspection_place(state, &covenant, &UnitId::parse(b).ok()?, date);
    }
    let (cluster, year) = cluster_of(state, key)?;
    let day = match parts.as_slice() {
        ["vote", e, r] => count_day_of(state, e, r),
        _ => None,
    };
    super::common::default_place(state, &cluster, year, day.unwrap_or(date))
}

/// The day round `round` of election `election` was counted, if it was.
fn count_day_of(state: &State, election: &str, round: &str) -> Option<NaiveDate> {
    let e = state.election(&ElectionId::parse(election).ok()?).ok()?;
    let r = e
        .rounds
        .iter()
        .find(|r| Some(r.number) == round.parse().ok())?;
    super::vote::count_day(r)
}

/// The cluster and year of the document a key names, to authorise a request before building.
pub fn cluster_of(state: &State, key: &str) -> Option<(ClusterId, i32)> {
    let parts: Vec<&str> = key.split(':').collect();
    match parts.as_slice() {
        ["inspection", c, ..] | ["year", c] | ["results", c] => {
            let c = state.covenant(&CovenantId::parse(c).ok()?).ok()?;
            Some((c.cluster.clone(), c.year))
        }
        ["vote", e, ..] | ["award", e] => {
            let e = state.election(&ElectionId::parse(e).ok()?).ok()?;
            Some((e.cluster.clone(), e.year))
        }
        _ => None,
    }
}
