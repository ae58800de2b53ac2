//! Proof generation from a 1,000,000-leaf `MemoryTree`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use thidua_ledger::{consistency_proof, inclusion_proof, root_at, CompactRange, MemoryTree};

const N: u64 = 1_000_000;

fn tree() -> MemoryTree {
    MemoryTree::from_entries((0..N).map(|i| i.to_be_bytes()))
}

fn bench(c: &mut Criterion) {
    let t = tree();
    // Simple LCG so the indices are spread out but reproducible.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 11
    };

    c.bench_function("inclusion_proof/1M", |b| {
        b.iter(|| {
            let i = next() % (N - 1);
            black_box(inclusion_proof(i, N - 1, &t).unwrap())
        })
    });
    c.bench_function("consistency_proof/1M", |b| {
        b.iter(|| {
            let m = 1 + next() % (N - 1);
            black_box(consistency_proof(m, N, &t).unwrap())
        })
    });
    c.bench_function("root_at/1M", |b| {
        b.iter(|| black_box(root_at(N - 1 - next() % 1000, &t).unwrap()))
    });
    c.bench_function("compact_range_from_source/1M", |b| {
        b.iter(|| black_box(CompactRange::from_source(N - 1, &t).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
