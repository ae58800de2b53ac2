//! `thidua bench history`: history pages (`/api/v1/events`, the `/history` page's query) on a
//! log of many units' events, through the web crate's own query, for an administrator (no
//! filter, a unit filter, a rare kind) and a member unit's leader, who may read about 1/200 of
//! the log. Reports p50 and p99 per viewer and how many entries each page read.
//!
//! The log (an empty `--data` directory first): `--units` provincial units in clusters of five
//! with a leader and an officer each, then officer grants and revocations round the units until
//! the log holds `--events` events.
use crate::output::{errln, outln};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use thidua_domain::model::{Role, UnitKind};
use thidua_domain::{ClusterId, Payload, Text, UnitId, UserId};
use thidua_web::api::EventQuery;
use thidua_web::authz::Scope;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct HistoryBench {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Số sự kiện / events the log must hold.
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Số đơn vị (cụm 5 đơn vị) / units, five to a cluster.
    #[arg(long, default_value_t = 1000)]
    pub units: u64,
    /// Số trang mỗi người xem / pages per viewer.
    #[arg(long, default_value_t = 200)]
    pub pages: u32,
    /// Một người ghi liên tục trong khi đo / a writer appends continuously (validated, signed,
    /// durable, one event per transaction) while the pages are measured.
    #[arg(long)]
    pub writer: bool,
}

pub fn run(args: HistoryBench) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.units >= 5 && args.units.is_multiple_of(5),
        "--units: a multiple of 5"
    );
    let backend = args.store.open_store()?;
    if args.writer {
        super::bench::ensure_bench_log(&*backend)?;
    }
    if backend.size()? == 0 {
        let units = args.units;
        super::bench::generate_with(&args.store, &*backend, args.events, |i| match i {
            0 => Ok(super::bench::marker_payload()),
            i => synthetic(units, i - 1),
        })?;
    }
    drop(backend);
    let started = Instant::now();
    let (service, stores) = args.store.open_running()?;
    let size = service.read().size;
    errln!(
        "{size} events, state rebuilt in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let config = thidua_web::WebConfig::new(([127, 0, 0, 1], 0).into());
    let app = thidua_web::AppState::new(service, stores.accounts, config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let admin = Scope::new(UserId::parse("bench-admin")?, vec![Role::Admin]);
    let leader = Scope::new(
        UserId::parse("ld-0")?,
        vec![Role::Leader {
            unit: UnitId::parse("u-0")?,
        }],
    );
    let viewers = [
        ("administrator, every event", &admin, None, None),
        ("administrator, one unit", &admin, Some("u-7"), None),
        (
            "administrator, a rare kind",
            &admin,
            None,
            Some("cluster_year_set"),
        ),
        ("a unit's leader, its history", &leader, None, None),
    ];
    let writing = std::sync::atomic::AtomicBool::new(args.writer);
    let appended = std::thread::scope(|scope| {
        let writer = scope.spawn(|| keep_appending(&app, &writing));
        let measured = measure(&runtime, &app, &viewers, size, args.pages);
        writing.store(false, std::sync::atomic::Ordering::Relaxed);
        measured?;
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer panicked"))?
    })?;
    if args.writer {
        outln!("meanwhile the writer appended {appended} events")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A history viewer: a name, its scope, and the page's unit and kind filters.
type Viewer<'a> = (
    &'static str,
    &'a Scope,
    Option<&'static str>,
    Option<&'static str>,
);

/// Appends one event per transaction through the service until `writing` turns false; returns
/// how many were acknowledged.
fn keep_appending(
    app: &thidua_web::AppState,
    writing: &std::sync::atomic::AtomicBool,
) -> anyhow::Result<u64> {
    let run = format!("w{}", std::process::id());
    let mut appended = 0;
    while writing.load(std::sync::atomic::Ordering::Relaxed) {
        let command = super::bench::register(appended, &run);
        app.service
            .execute(&thidua_domain::Actor::System, command)?;
        appended += 1;
    }
    Ok(appended)
}

/// Times `pages` history pages per viewer and prints p50 and p99.
fn measure(
    runtime: &tokio::runtime::Runtime,
    app: &thidua_web::AppState,
    viewers: &[Viewer<'_>],
    size: u64,
    pages: u32,
) -> anyhow::Result<()> {
    outln!("viewer | p50 ms | p99 ms | events per page")?;
    for &(name, scope, unit, kind) in viewers {
        let mut times = Vec::new();
        let mut shown = 0;
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..pages {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let before = size / 2 + (seed >> 33) % (size / 2 + 1);
            let q = EventQuery {
                before: Some(before),
                unit: unit.map(str::to_owned),
                kind: kind.map(str::to_owned),
                limit: Some(50),
            };
            let t = Instant::now();
            let (events, _) = runtime
                .block_on(thidua_web::api::history_events(app, scope, q))
                .map_err(|e| anyhow::anyhow!("history page: {e:?}"))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            shown += events.len();
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        outln!(
            "{name} | {:.2} | {:.2} | {}",
            at(0.5),
            at(0.99),
            shown / pages as usize
        )?;
    }
    Ok(())
}

/// The synthetic log's event `i` (see the module's documentation).
fn synthetic(units: u64, i: u64) -> anyhow::Result<Payload> {
    let clusters = units / 5;
    let unit = |k: u64| UnitId::parse(&format!("u-{k}"));
    let text = |s: String| Text::parse("text", &s, 200);
    let setup = units + 2 * clusters + 3 * units;
    Ok(if i < units {
        Payload::UnitCreated {
            unit: unit(i)?,
            name: text(format!("Công an tỉnh số {i}"))?,
            short_code: text(format!("CA-{i}"))?,
            kind: UnitKind::ProvincialPolice,
            parent: None,
            established: NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date"),
        }
    } else if i < units + 2 * clusters {
        let c = (i - units) / 2;
        let cluster = ClusterId::parse(&format!("c-{c}"))?;
        if (i - units).is_multiple_of(2) {
            Payload::ClusterCreated {
                cluster,
                name: text(format!("Cụm thi đua số {c}"))?,
            }
        } else {
            Payload::ClusterYearSet {
                cluster,
                year: 2026,
                members: (5 * c..5 * c + 5).map(unit).collect::<Result<_, _>>()?,
            }
        }
    } else if i < setup {
        let k = (i - units - 2 * clusters) / 3;
        match (i - units - 2 * clusters) % 3 {
            0 => Payload::UserRegistered {
                user: UserId::parse(&format!("ld-{k}"))?,
                display_name: text(format!("Lãnh đạo {k}"))?,
                demo: true,
            },
            1 => Payload::RoleGranted {
                user: UserId::parse(&format!("ld-{k}"))?,
                role: Role::Leader { unit: unit(k)? },
            },
            _ => Payload::UserRegistered {
                user: UserId::parse(&format!("cb-{k}"))?,
                display_name: text(format!("Cán bộ {k}"))?,
                demo: true,
            },
        }
    } else {
        let j = i - setup;
        let (k, round) = (j % units, j / units);
        let user = UserId::parse(&format!("cb-{k}"))?;
        let role = Role::Officer { unit: unit(k)? };
        if round.is_multiple_of(2) {
            Payload::RoleGranted { user, role }
        } else {
            Payload::RoleRevoked { user, role }
        }
    })
}

#[cfg(test)]
mod tests {
    /// The synthetic log replays: every event is valid where it stands.
    #[test]
    fn the_synthetic_log_replays() {
        let mut state = thidua_domain::State::default();
        for i in 0..300 {
            let event = thidua_domain::Event {
                index: i,
                time_ms: 0,
                actor: thidua_domain::Actor::System,
                salt: String::new(),
                payload: super::synthetic(10, i).unwrap(),
            };
            state.apply(&event).unwrap_or_else(|e| panic!("{i}: {e}"));
        }
        let u3 = thidua_domain::UnitId::parse("u-3").unwrap();
        // Created, its cluster's year, its leader; then every tenth of the 256 grants and revocations.
        assert_eq!(state.history.by_unit[&u3].len(), 3 + 26);
    }
}
