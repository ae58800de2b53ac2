//! Runs the synthetic national workload once in process and prints the time of each phase
//! (`/usr/bin/time -v` gives the peak memory):
//! `cargo run --release -p thidua-scoring --example synth_run`.
use std::time::Instant;
use thidua_scoring::{compile, synth, Dataset, EvalOptions};

fn main() {
    let shape = synth::Shape::national();
    let t0 = Instant::now();
    let text = synth::regulation(shape);
    let csv = synth::csv(shape);
    let t1 = Instant::now();
    let data = Dataset::from_bytes(csv.as_bytes(), false, Default::default()).expect("valid data");
    let t2 = Instant::now();
    let reg = compile(&text).expect("valid regulation");
    data.check(&reg).expect("data fit the regulation");
    let t3 = Instant::now();
    let repeat: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let mut board = reg
        .evaluate_all(&data, reg.ast().period, EvalOptions::default())
        .expect("scored");
    for _ in 1..repeat {
        board = reg
            .evaluate_all(&data, reg.ast().period, EvalOptions::default())
            .expect("scored");
    }
    let t4 = Instant::now();
    if std::env::args().any(|a| a == "xlsx") {
        let t = Instant::now();
        let opts = thidua_scoring::workbook::Options {
            cached: true,
            low_memory: !std::env::args().any(|a| a == "in-memory"),
            layout: false,
        };
        let (bytes, _) =
            thidua_scoring::workbook::write_with(&reg, &data, &board, opts).expect("workbook");
        println!(
            "workbook: {:.1} MiB in {:?}",
            bytes.len() as f64 / 1048576.0,
            t.elapsed()
        );
    }
    let scored = board.units.iter().filter(|u| u.total.is_some()).count();
    println!(
        "units {} (scored {scored}), figures {}, criteria {}: generate {:?}, read CSV {:?}, compile + check {:?}, evaluate ×{repeat} {:?}",
        board.units.len(),
        data.figure_count(),
        reg.criteria_count(),
        t1 - t0,
        t2 - t1,
        t3 - t2,
        t4 - t3
    );
}
