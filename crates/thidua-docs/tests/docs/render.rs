//! The fixture's documents (the 2024 covenant, the results report; from the demonstration's
//! log, the minutes of an inspection and of a vote count, the year-end report and the
//! submission), built once and written to a directory the checks share.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use thidua_domain::State;

use super::fixture;

pub fn covenant_request() -> Request {
    Request::Covenant {
        covenant: CovenantId::parse("giao-uoc-cum-12-2024").unwrap(),
        version: None,
    }
}

pub fn results_request() -> Request {
    Request::Results {
        cluster: ClusterId::parse("cum-12").unwrap(),
        year: 2024,
        board: Box::new(fixture::scoreboard()),
        place: "Kiên Giang".into(),
        date: NaiveDate::from_ymd_opt(2024, 12, 20).unwrap(),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn demo_covenant() -> CovenantId {
    CovenantId::parse("giao-uoc-cum-12-2024").unwrap()
}

/// The minutes of Hậu Giang's inspection of Kiên Giang (a proposed score, disputed, resolved).
pub fn inspection_request() -> Request {
    Request::Inspection {
        covenant: demo_covenant(),
        inspector: UnitId::parse("ca-hg").unwrap(),
        inspected: UnitId::parse("ca-kg").unwrap(),
        place: "Kiên Giang".into(),
        date: date(2024, 12, 18),
    }
}

/// The minutes of the count of the Ministry's flag vote.
pub fn vote_request() -> Request {
    Request::VoteCount {
        election: ElectionId::parse("co-thi-dua-bo-cong-an-2024").unwrap(),
        round: None,
        place: "Kiên Giang".into(),
        date: date(2024, 12, 27),
    }
}

pub fn year_request() -> Request {
    Request::YearReport {
        covenant: demo_covenant(),
        place: "Kiên Giang".into(),
        date: date(2024, 12, 30),
    }
}

/// The results report of the demonstration's published year-end results (the form that is
/// issued).
pub fn published_results_request() -> Request {
    Request::PublishedResults {
        covenant: demo_covenant(),
        place: "Kiên Giang".into(),
        date: date(2024, 12, 30),
    }
}

pub fn award_request() -> Request {
    Request::AwardSubmission {
        election: ElectionId::parse("co-thi-dua-bo-cong-an-2024").unwrap(),
        place: "Kiên Giang".into(),
        date: date(2024, 12, 30),
    }
}

/// `request` dated `day` instead (a covenant keeps its own date).
pub fn redated(request: &Request, day: NaiveDate) -> Request {
    let mut r = request.clone();
    match &mut r {
        Request::Covenant { .. } => {}
        Request::Results { date, .. }
        | Request::PublishedResults { date, .. }
        | Request::Inspection { date, .. }
        | Request::VoteCount { date, .. }
        | Request::YearReport { date, .. }
        | Request::AwardSubmission { date, .. } => *date = day,
    }
    r
}

/// Every document the checks build: its name, its request and the state it is built from.
pub fn requests() -> Vec<(&'static str, Request, &'static State)> {
    static FORMAT1: OnceLock<State> = OnceLock::new();
    let format1 = FORMAT1.get_or_init(fixture::state);
    let demo = fixture::demo_state();
    vec![
        ("covenant", covenant_request(), format1),
        ("results", results_request(), format1),
        ("inspection", inspection_request(), demo),
        ("vote", vote_request(), demo),
        ("year", year_request(), demo),
        ("award", award_request(), demo),
    ]
}

/// A built document's files.
pub struct Files {
    pub name: &'static str,
    pub pdf: PathBuf,
    pub docx: PathBuf,
    pub pdf_bytes: Vec<u8>,
    pub docx_bytes: Vec<u8>,
}

/// The directory with `covenant.{pdf,docx}`, `results.{pdf,docx}` and the others (kept in
/// `THIDUA_DOCS_OUT` when set, to look at).
pub fn files() -> &'static (PathBuf, Vec<Files>) {
    static FILES: OnceLock<(PathBuf, Vec<Files>)> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = match std::env::var_os("THIDUA_DOCS_OUT") {
            Some(d) => PathBuf::from(d),
            None => tempfile::tempdir().unwrap().keep(),
        };
        std::fs::create_dir_all(&dir).unwrap();
        let files = requests()
            .into_iter()
            .map(|(name, req, state)| {
                let doc = prepare(state, &req).unwrap().document;
                let write = |f: Format| {
                    let bytes = render(&doc, &Verification::Preview, f).unwrap();
                    let path = dir.join(format!("{name}.{}", f.extension()));
                    std::fs::write(&path, &bytes).unwrap();
                    (path, bytes)
                };
                let (pdf, pdf_bytes) = write(Format::Pdf);
                let (docx, docx_bytes) = write(Format::Docx);
                Files {
                    name,
                    pdf,
                    docx,
                    pdf_bytes,
                    docx_bytes,
                }
            })
            .collect();
        (dir, files)
    })
}

pub fn file(name: &str) -> &'static Files {
    files().1.iter().find(|f| f.name == name).unwrap()
}

pub fn dir() -> &'static Path {
    &files().0
}

/// Every document's PDF as issued (its number printed, no preview marking; record 1), written
/// once: (name, PDF).
pub fn issued_pdfs() -> &'static [(&'static str, PathBuf)] {
    static PDFS: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    PDFS.get_or_init(|| {
        requests()
            .into_iter()
            .map(|(name, req, state)| {
                let p = prepare(state, &req).unwrap();
                let v = Verification::Issued {
                    sha256: p.sha256.clone(),
                    index: 1,
                };
                let path = dir().join(format!("{name}-issued.pdf"));
                std::fs::write(&path, render(&p.document, &v, Format::Pdf).unwrap()).unwrap();
                (name, path)
            })
            .collect()
    })
}

/// The issued PDF of `name` ([`issued_pdfs`]).
pub fn issued_pdf(name: &str) -> &'static Path {
    &issued_pdfs().iter().find(|(n, _)| *n == name).unwrap().1
}

/// Every document's DOCX converted to PDF by LibreOffice, once: (name, PDF), in the order of
/// [`requests`].
pub fn libreoffice_pdfs() -> &'static [(&'static str, PathBuf)] {
    static PDFS: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
    PDFS.get_or_init(|| {
        let docx: Vec<&Path> = files().1.iter().map(|f| f.docx.as_path()).collect();
        let pdfs = super::tools::soffice_to_pdf(dir(), &docx);
        files().1.iter().map(|f| f.name).zip(pdfs).collect()
    })
}
