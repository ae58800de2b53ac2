//! Time to generate each document from the fixtures' states (the format-1 log for the covenant
//! and the results; the demonstration's log for the minutes, the year-end report and the
//! submission): building the model (data function, template, number and hash) and writing the
//! PDF and the DOCX. `cargo bench -p thidua-docs`.

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::ids::{ClusterId, CovenantId, ElectionId, UnitId};
use thidua_domain::{Event, State};

const LOG: &str = include_str!("../../thidua/tests/data/log-format1.jsonl");
const DEMO_LOG: &str = include_str!("../tests/data/demo-2024.jsonl");

fn state(log: &str) -> State {
    let mut state = State::default();
    for (i, line) in log.lines().enumerate() {
        state
            .apply(&Event::decode(i as u64, line.as_bytes()).unwrap())
            .unwrap();
    }
    state
}

fn board() -> thidua_scoring::Scoreboard {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cum12-2024");
    let text = std::fs::read_to_string(format!("{dir}/regulation.toml")).unwrap();
    let reg = thidua_scoring::compile(&text).unwrap();
    let bytes = std::fs::read(format!("{dir}/data.csv")).unwrap();
    let data = thidua_scoring::Dataset::from_bytes(&bytes, false, Default::default()).unwrap();
    reg.evaluate_all(&data, reg.ast().period, Default::default())
        .unwrap()
}

fn documents(c: &mut Criterion) {
    let format1 = state(LOG);
    let demo = state(DEMO_LOG);
    let date = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
    let covenant = || CovenantId::parse("giao-uoc-cum-12-2024").unwrap();
    let election = || ElectionId::parse("co-thi-dua-bo-cong-an-2024").unwrap();
    let place = || "Kiên Giang".to_owned();
    let requests = [
        (
            "covenant",
            Request::Covenant {
                covenant: CovenantId::parse("giao-uoc-cum-12-2024").unwrap(),
                version: None,
            },
        ),
        (
            "results",
            Request::Results {
                cluster: ClusterId::parse("cum-12").unwrap(),
                year: 2024,
                board: Box::new(board()),
                place: "Kiên Giang".into(),
                date: NaiveDate::from_ymd_opt(2024, 12, 20).unwrap(),
            },
        ),
        (
            "inspection",
            Request::Inspection {
                covenant: covenant(),
                inspector: UnitId::parse("ca-hg").unwrap(),
                inspected: UnitId::parse("ca-kg").unwrap(),
                place: place(),
                date: date(12, 18),
            },
        ),
        (
            "vote",
            Request::VoteCount {
                election: election(),
                round: None,
                place: place(),
                date: date(12, 27),
            },
        ),
        (
            "year",
            Request::YearReport {
                covenant: covenant(),
                place: place(),
                date: date(12, 30),
            },
        ),
        (
            "award",
            Request::AwardSubmission {
                election: election(),
                place: place(),
                date: date(12, 30),
            },
        ),
    ];
    let mut group = c.benchmark_group("documents");
    group.measurement_time(Duration::from_secs(4));
    for (name, req) in &requests {
        let state = if matches!(*name, "covenant" | "results") {
            &format1
        } else {
            &demo
        };
        group.bench_function(format!("{name}/model"), |b| {
            b.iter(|| prepare(state, req).unwrap())
        });
        let doc = prepare(state, req).unwrap().document;
        for f in [Format::Pdf, Format::Docx] {
            group.bench_function(format!("{name}/{}", f.extension()), |b| {
                b.iter(|| render(&doc, &Verification::Preview, f).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, documents);
criterion_main!(benches);
