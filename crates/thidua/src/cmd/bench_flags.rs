//! `thidua bench flags`: the integrity flags measured on the synthetic cluster
//! (`thidua_domain::integrity::synth`: 12 units, 24 months, planted under-recording and
//! reclassification): the share of planted unit-windows flagged and of honest unit-windows
//! flagged, on the repository's fixed seed and summed over `--seeds` seeds, for each funnel
//! threshold of `--thresholds`. Deterministic: the same command prints the same numbers.
use std::process::ExitCode;

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
        println!("funnel z {t}{mark}");
        println!(
            "  {}",
            line(&format!("seed {SEED}"), &measure(SEED, &settings))
        );
        println!(
            "  {}",
            line(
                &format!("seeds 0..{}", args.seeds),
                &measure_seeds(args.seeds, &settings)
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
