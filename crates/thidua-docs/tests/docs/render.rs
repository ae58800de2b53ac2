//! The fixture's documents (the 2024 covenant, the results report), built once and written to a
//! directory the checks share.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::ids::{ClusterId, CovenantId};

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

/// A built document's files.
pub struct Files {
    pub name: &'static str,
    pub pdf: PathBuf,
    pub docx: PathBuf,
    pub pdf_bytes: Vec<u8>,
    pub docx_bytes: Vec<u8>,
}

/// The directory with `covenant.{pdf,docx}` and `results.{pdf,docx}` (kept in
/// `THIDUA_DOCS_OUT` when set, to look at).
pub fn files() -> &'static (PathBuf, Vec<Files>) {
    static FILES: OnceLock<(PathBuf, Vec<Files>)> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = match std::env::var_os("THIDUA_DOCS_OUT") {
            Some(d) => PathBuf::from(d),
            None => tempfile::tempdir().unwrap().keep(),
        };
        std::fs::create_dir_all(&dir).unwrap();
        let state = fixture::state();
        let files = [
            ("covenant", covenant_request()),
            ("results", results_request()),
        ]
        .into_iter()
        .map(|(name, req)| {
            let doc = prepare(&state, &req).unwrap().document;
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
