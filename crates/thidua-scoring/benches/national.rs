//! Benchmarks on the synthetic national workload (3,400 units, 40 elements × 12 months, 150
//! criteria): reading the CSV data file, parse + validate, evaluation of all units, one unit's
//! re-evaluation.
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use thidua_scoring::{compile, synth, Dataset, EvalOptions, PeriodKey};

fn national(c: &mut Criterion) {
    let shape = synth::Shape::national();
    let text = synth::regulation(shape);
    let reg = compile(&text).expect("synthetic regulation is valid");
    assert_eq!(reg.criteria_count(), 150);
    let csv = synth::csv(shape);
    let data = Dataset::from_csv(&csv).expect("synthetic data is valid");
    let period: PeriodKey = "2024-Y".parse().unwrap();
    let mut g = c.benchmark_group("national");
    g.sample_size(10);
    g.bench_function("read_csv_1_632_000_figures", |b| {
        b.iter(|| Dataset::from_csv(black_box(&csv)).unwrap())
    });
    g.bench_function("parse_and_validate_150_criteria", |b| {
        b.iter(|| compile(black_box(&text)).unwrap())
    });
    g.bench_function("evaluate_all_3400_units", |b| {
        b.iter(|| {
            reg.evaluate_all(black_box(&data), period, EvalOptions::default())
                .unwrap()
        })
    });
    g.bench_function("evaluate_one_unit", |b| {
        b.iter(|| reg.evaluate_unit(black_box(&data), "U01234", period, EvalOptions::default()))
    });
    g.bench_function("evaluate_one_unit_with_trace", |b| {
        b.iter(|| {
            reg.evaluate_unit(
                black_box(&data),
                "U01234",
                period,
                EvalOptions::with_trace(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
