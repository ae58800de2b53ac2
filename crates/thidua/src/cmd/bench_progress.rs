//! `thidua bench progress`: the cost of recomputing a covenant's progress — every member's
//! provisional score year to date by the engine, its targets, cùng kỳ and projection — after
//! one approval, on a national-scale cluster (default 3,400 units, 40 elements, last year's
//! twelve months imported historically, this year's first months approved;
//! `thidua_domain::progress::synth`). The state is built in memory through the domain's own
//! commands; no database is involved, as none is read by the computation.
use std::process::ExitCode;
use std::time::Instant;

use thidua_domain::progress::{self, synth};

#[derive(clap::Args)]
pub struct ProgressBench {
    #[arg(long, default_value_t = 3400)]
    pub units: u32,
    #[arg(long, default_value_t = 40)]
    pub elements: u32,
    /// Tháng đã phê duyệt của năm nay / months of this year approved before the measured one.
    #[arg(long, default_value_t = 5)]
    pub months: u32,
    /// Số lần đo / measured recomputations.
    #[arg(long, default_value_t = 5)]
    pub repeat: u32,
}

pub fn run(args: ProgressBench) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let s = synth::Synth {
        units: args.units,
        elements: args.elements,
        months: args.months,
    };
    let mut state = synth::setup(&s)?;
    synth::load(&mut state, &s)?;
    eprintln!(
        "set up {} units × {} elements, 12 months of {} imported, {} months of {} approved, in {:.1} s",
        args.units,
        args.elements,
        synth::YEAR - 1,
        args.months,
        synth::YEAR,
        started.elapsed().as_secs_f64()
    );
    // The measured approval: the next month of the first unit.
    synth::approve(&mut state, &s, 0, args.months + 1)?;
    let covenant = synth::covenant();
    let mut times = Vec::new();
    let mut scored = 0;
    for _ in 0..args.repeat.max(1) {
        let t0 = Instant::now();
        let p = progress::compute(&state, &covenant)?;
        times.push(t0.elapsed().as_secs_f64());
        scored = p.units.iter().filter(|u| u.score.is_some()).count();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    eprintln!(
        "progress after one approval: {scored} provisional scores, targets, cùng kỳ and projections recomputed; median {median:.2} s, best {:.2} s of {} runs; {:.0} µs per unit",
        times[0],
        times.len(),
        median * 1e6 / f64::from(args.units.max(1))
    );
    Ok(ExitCode::SUCCESS)
}
