//! Runs the synthetic national workload once and prints timings (for `/usr/bin/time -v`, which
//! gives the peak memory): `cargo run --release -p thidua-scoring --example synth_run`.
use std::time::Instant;
use thidua_scoring::{compile, synth, EvalOptions};

fn main() {
    let shape = synth::Shape::national();
    let t0 = Instant::now();
    let text = synth::regulation(shape);
    let data = synth::dataset(shape);
    let t1 = Instant::now();
    let reg = compile(&text).expect("valid");
    let t2 = Instant::now();
    let repeat: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut board = reg
        .evaluate_all(&data, "2024-Y".parse().unwrap(), EvalOptions::default())
        .unwrap();
    for _ in 1..repeat {
        board = reg
            .evaluate_all(&data, "2024-Y".parse().unwrap(), EvalOptions::default())
            .unwrap();
    }
    let t3 = Instant::now();
    let scored = board.units.iter().filter(|u| u.total.is_some()).count();
    println!(
        "units {} (scored {scored}), figures {}, criteria {}: generate {:?}, compile {:?}, evaluate all ×{repeat} {:?}",
        board.units.len(),
        data.figure_count(),
        reg.criteria_count(),
        t1 - t0,
        t2 - t1,
        t3 - t2
    );
    println!(
        "top: {} {:?} {:?}",
        board.units[0].unit,
        board.units[0].total,
        board.units[0].band.as_ref().map(|b| &b.id)
    );
}
