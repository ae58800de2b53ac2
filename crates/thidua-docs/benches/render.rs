//! Time to generate each document from the fixture's state: building the model (data function
//! and template) and writing the PDF and the DOCX. `cargo bench -p thidua-docs`.

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use thidua_docs::{prepare, render, Format, Request, Verification};
use thidua_domain::ids::{ClusterId, CovenantId};
use thidua_domain::{Event, State};

const LOG: &str = include_str!("../../thidua/tests/data/log-format1.jsonl");

fn state() -> State {
    let mut state = State::default();
    for (i, line) in LOG.lines().enumerate() {
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
    let state = state();
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
    ];
    let mut group = c.benchmark_group("documents");
    group.measurement_time(Duration::from_secs(4));
    for (name, req) in &requests {
        group.bench_function(format!("{name}/model"), |b| {
            b.iter(|| prepare(&state, req).unwrap())
        });
        let doc = prepare(&state, req).unwrap().document;
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
