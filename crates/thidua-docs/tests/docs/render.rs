//! Building and writing the documents of the fixture.

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

#[test]
fn writes_the_covenant_and_the_results() {
    let state = fixture::state();
    let out = std::env::var("THIDUA_DOCS_OUT").ok();
    for (name, req) in [
        ("covenant", covenant_request()),
        ("results", results_request()),
    ] {
        let p = prepare(&state, &req).unwrap();
        for f in [Format::Pdf, Format::Docx] {
            let bytes = render(&p.document, &Verification::Preview, f).unwrap();
            if let Some(dir) = &out {
                std::fs::write(format!("{dir}/{name}.{}", f.extension()), &bytes).unwrap();
            }
        }
    }
}
