//! A covenant's progress recomputed after one approval (every member's provisional score, its
//! targets, cùng kỳ and projection), on the synthetic cluster of `progress::synth`: 340 units
//! here (a tenth of a national cluster; `thidua bench progress` runs the full 3,400).
use criterion::{criterion_group, criterion_main, Criterion};
use thidua_domain::progress::{self, synth};

fn recompute(c: &mut Criterion) {
    let s = synth::Synth {
        units: 340,
        elements: 40,
        months: 5,
    };
    let mut state = synth::setup(&s).unwrap();
    synth::load(&mut state, &s).unwrap();
    synth::approve(&mut state, &s, 0, s.months + 1).unwrap();
    let covenant = synth::covenant();
    let mut g = c.benchmark_group("progress");
    g.sample_size(10);
    g.bench_function("recompute_340_units_after_one_approval", |b| {
        b.iter(|| progress::compute(&state, &covenant).unwrap())
    });
    g.finish();
}

criterion_group!(benches, recompute);
criterion_main!(benches);
