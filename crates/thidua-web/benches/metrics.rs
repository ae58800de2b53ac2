//! The cost of metrics: recording one request (paid by every request) and rendering `/metrics`
//! with a realistic number of series (paid by each scrape).
//!
//! `cargo bench -p thidua-web --bench metrics`

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use thidua_web::metrics::{LogFigures, Metrics, WitnessAge};

/// The web server's route patterns (about 60), each seen with a few statuses.
fn loaded() -> Metrics {
    let m = Metrics::default();
    for i in 0..60 {
        let route = format!("/api/v1/route{i}/{{id}}");
        for (status, n) in [(200, 50), (404, 5), (403, 2)] {
            for k in 0..n {
                m.request(&route, "GET", status, Duration::from_micros(200 * k + 50));
            }
        }
    }
    for outcome in ["appended", "refused", "failed"] {
        m.command(outcome, 1, Duration::from_millis(4));
    }
    m
}

fn figures() -> LogFigures {
    LogFigures {
        size: 1_000_000,
        signed: 1_000_000,
        audit: (1_000_000, 1_000_000),
        witnesses: (0..6)
            .map(|i| WitnessAge {
                unit: format!("ca-{i}"),
                age_seconds: 30.0,
            })
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let m = loaded();
    let f = figures();
    println!("exposition: {} bytes", m.render(&f).len());
    c.bench_function("metrics/record one request", |b| {
        b.iter(|| {
            m.request(
                "/api/v1/clusters/{id}",
                "GET",
                200,
                Duration::from_micros(700),
            )
        })
    });
    c.bench_function("metrics/render 60 routes x 3 statuses", |b| {
        b.iter(|| m.render(&f))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
