//! `thidua bench flags`: the integrity flags measured on the synthetic cluster
//! (`thidua_domain::integrity::synth`: 12 units, 24 months, planted under-recording and
//! reclassification): the share of planted unit-windows flagged and of honest unit-windows
//! flagged, on the repository's fixed seed and summed over `--seeds` seeds, for each funnel
//! threshold of `--thresholds`. Deterministic: the same command prints the same numbers.
//! With `--units N`, it also times what the flags page computes for a covenant of N members
//! (`thidua_domain::progress::synth`'s cluster: 40 elements, last year and this year's first
//! months approved): the panel read from the log's state, then the flags; and the flags kept up
//! to date unit by unit after one more approval, as the server keeps them.
use std::process::ExitCode;
use std::time::Instant;

use crate::output::outln;

use rust_decimal::Decimal;
use thidua_domain::integrity::synth::{measure, measure_seeds, Measurement, SEED};
use thidua_domain::integrity::Settings;

#[derive(clap::Args)]
pub struct FlagsBench {
    /// Số hạt giống / seeds 0..N summed for the wider view.
    #[arg(long, default_value_t = 100)]
    pub seeds: u64,
    /// Ngưỡng z của phễu / funnel thresholds to measure (robust z).
    #[arg(long, value_delimiter = ',', default_value = "1.5,2,2.5,3,3.5")]
    pub thresholds: Vec<Decimal>,
    /// Số đơn vị để đo thời gian tính / members of a synthetic covenant to time the page's
    /// computation on (0: skip).
    #[arg(long, default_value_t = 0)]
    pub units: u32,
}

fn pct(n: usize, d: usize) -> String {
    let tenths = (n * 1000 + d / 2) / d.max(1);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn line(label: &str, m: &Measurement) -> String {
    format!(
        "{label}: planted flagged {}/{} = {}, honest flagged {}/{} = {}",
        m.planted_flagged,
        m.planted,
        pct(m.planted_flagged, m.planted),
        m.honest_flagged,
        m.honest,
        pct(m.honest_flagged, m.honest)
    )
}

pub fn run(args: FlagsBench) -> anyhow::Result<ExitCode> {
    let default = Settings::default().funnel_z;
    for t in &args.thresholds {
        let settings = Settings {
            funnel_z: *t,
            ..Settings::default()
        };
        let mark = if *t == default { " (default)" } else { "" };
        outln!("funnel z {t}{mark}")?;
        outln!(
            "  {}",
            line(&format!("seed {SEED}"), &measure(SEED, &settings))
        )?;
        outln!(
            "  {}",
            line(
                &format!("seeds 0..{}", args.seeds),
                &measure_seeds(args.seeds, &settings)
            )
        )?;
    }
    if args.units > 0 {
        time_page(args.units)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Times the flags page's computation on a synthetic covenant of `units` members: from
/// nothing (the panel read from the log's state, then the flags), and kept up to date by
/// `integrity::incremental::Incremental` after one more approval (checked identical to the
/// full computation).
fn time_page(units: u32) -> anyhow::Result<()> {
    use thidua_domain::integrity::{self, collect, incremental::Incremental};
    use thidua_domain::progress::synth;
    let s = synth::Synth {
        units,
        elements: 40,
        months: 6,
    };
    let mut before = synth::setup(&s)?;
    synth::load(&mut before, &s)?;
    let covenant = synth::covenant();
    let settings = Settings::default();
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let t0 = Instant::now();
        let panel = collect::panel(&before, &covenant)?;
        let t1 = Instant::now();
        count = integrity::flags(&panel, &settings).len();
        times.push((t1 - t0, t1.elapsed()));
    }
    times.sort();
    let (read, flag) = times[times.len() / 2];
    outln!(
        "{units} units × 40 elements, 18 months approved: from nothing, panel {:.0} ms, flags {:.0} ms ({count} flags), median of 5",
        read.as_secs_f64() * 1e3,
        flag.as_secs_f64() * 1e3
    )?;
    let mut after = before.clone();
    synth::approve(&mut after, &s, 0, s.months + 1)?;
    let mut inc = Incremental::default();
    inc.compute(&before, &covenant, &settings)?;
    let mut times = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        inc.compute(&after, &covenant, &settings)?;
        times.push(t0.elapsed());
        anyhow::ensure!(inc.recomputed() == 1, "one unit recomputed");
        inc.compute(&before, &covenant, &settings)?;
    }
    let kept = inc.compute(&after, &covenant, &settings)?;
    let full = integrity::flags(&collect::panel(&after, &covenant)?, &settings);
    anyhow::ensure!(
        kept.flags == full,
        "the incremental flags differ from the full computation"
    );
    times.sort();
    outln!(
        "kept up to date after one approval: 1 of {units} units recomputed, the peer comparison redone; median {:.1} ms, best {:.1} ms of 20 (identical to the full computation)",
        times[10].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    )?;
    Ok(())
}
