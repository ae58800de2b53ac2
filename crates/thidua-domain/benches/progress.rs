//! A covenant's progress after one approval (every member's provisional score, its targets,
//! cùng kỳ and projection), on the synthetic cluster of `progress::synth`: 340 units here (a
//! tenth of a national cluster; `thidua bench progress` runs the full 3,400): computed from
//! scratch, and kept up to date by `progress::Incremental` (only the approving unit recomputed).
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use thidua_domain::progress::{self, synth, Ask, Incremental};

fn recompute(c: &mut Criterion) {
    let s = synth::Synth {
        units: 340,
        elements: 40,
        months: 5,
    };
    let mut before = synth::setup(&s).unwrap();
    synth::load(&mut before, &s).unwrap();
    let mut after = before.clone();
    synth::approve(&mut after, &s, 0, s.months + 1).unwrap();
    let covenant = synth::covenant();
    let mut g = c.benchmark_group("progress");
    g.sample_size(10);
    g.bench_function("recompute_340_units_after_one_approval", |b| {
        b.iter(|| progress::compute(&after, &covenant).unwrap())
    });
    // Each timed step goes from the state before the approval to the state after it; the
    // untimed step back makes the next one an approval again.
    let mut inc = Incremental::default();
    inc.compute(&before, &covenant, Ask::default()).unwrap();
    g.bench_function("incremental_340_units_after_one_approval", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t0 = Instant::now();
                inc.compute(&after, &covenant, Ask::default()).unwrap();
                total += t0.elapsed();
                assert_eq!(inc.recomputed(), 1);
                inc.compute(&before, &covenant, Ask::default()).unwrap();
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, recompute);
criterion_main!(benches);
