//! `thidua bench progress`: a covenant's progress — every member's provisional score year to
//! date by the engine, its targets, cùng kỳ and projection — on a national-scale cluster
//! (default 3,400 units, 40 elements, last year's twelve months imported historically, this
//! year's first months approved; `thidua_domain::progress::synth`), built in memory through the
//! domain's own commands. Reports:
//! - the full computation after one approval (every member);
//! - the same approval kept up to date by `progress::Incremental` (only the approving unit is
//!   recomputed): total and per recomputed unit;
//! - with `--http`: the same log written to the store given (an empty `--data` directory or
//!   database), a server started on it, and the cluster progress page fetched by
//!   `--connections` clients at once (each its own keep-alive connection) while a writer
//!   approves one more report every `--approve-every-ms` through the service: p50, p99, max;
//!   `--page flags` measures the cluster's integrity-flags page the same way.
use crate::output::{errln, outln};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use thidua_domain::model::Role;
use thidua_domain::progress::{self, synth, Ask, Incremental};
use thidua_domain::{Payload, State, Text, UserId};

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct ProgressBench {
    /// Số đơn vị / units of the synthetic covenant (3,400: the national scale).
    #[arg(long, default_value_t = 3400)]
    pub units: u32,
    /// Số chỉ số báo cáo / data elements each unit reports.
    #[arg(long, default_value_t = 40)]
    pub elements: u32,
    /// Tháng đã phê duyệt của năm nay / months of this year approved before the measured one.
    #[arg(long, default_value_t = 5)]
    pub months: u32,
    /// Số lần đo / measured recomputations.
    #[arg(long, default_value_t = 5)]
    pub repeat: u32,
    /// Đo trang tiến độ của cụm qua HTTP / also measure the cluster progress page over HTTP
    /// on a server started on `--data` (written first when empty).
    #[arg(long)]
    pub http: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Trang đo / the cluster page measured over HTTP.
    #[arg(long, default_value = "progress", value_parser = ["progress", "flags"])]
    pub page: String,
    /// Số kết nối đồng thời / concurrent connections.
    #[arg(long, default_value_t = 64)]
    pub connections: u32,
    /// Số lần tải trang mỗi kết nối / pages fetched per connection.
    #[arg(long, default_value_t = 10)]
    pub pages: u32,
    /// Phê duyệt thêm một báo cáo mỗi … ms trong khi đo / approve one more report every … ms
    /// while the pages are measured (0: none).
    #[arg(long, default_value_t = 500)]
    pub approve_every_ms: u64,
}

const ADMIN: &str = "bench-progress-admin";

pub fn run(args: ProgressBench) -> anyhow::Result<ExitCode> {
    if args.http {
        super::bench::ensure_bench_log(&*args.store.open_store()?)?;
    }
    let started = Instant::now();
    let s = synth::Synth {
        units: args.units,
        elements: args.elements,
        months: args.months,
    };
    let mut log = synth::Log {
        payloads: args.http.then(Vec::new),
        ..synth::Log::default()
    };
    if args.http {
        // The served log's first event marks it as a bench's (see `ensure_bench_log`).
        log.run(super::bench::marker())?;
    }
    synth::setup_log(&mut log, &s)?;
    synth::load_log(&mut log, &s)?;
    errln!(
        "set up {} units × {} elements, 12 months of {} imported, {} months of {} approved, in {:.1} s",
        args.units,
        args.elements,
        synth::YEAR - 1,
        args.months,
        synth::YEAR,
        started.elapsed().as_secs_f64()
    );
    let before = log.state.clone();
    // The measured approval: the next month of the first unit.
    let mut after = before.clone();
    synth::approve(&mut after, &s, 0, args.months + 1)?;
    full(&after, args.repeat, args.units)?;
    incremental(&before, &after, args.repeat, args.units)?;
    if let Some(payloads) = log.payloads.take() {
        http(&args, &s, payloads)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Median and best of `times` (seconds).
fn median_best(times: &mut [f64]) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn full(after: &State, repeat: u32, units: u32) -> anyhow::Result<()> {
    let covenant = synth::covenant();
    let mut times = Vec::new();
    let mut scored = 0;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let p = progress::compute(after, &covenant)?;
        times.push(t0.elapsed().as_secs_f64());
        scored = p.units.iter().filter(|u| u.score.is_some()).count();
    }
    let (median, best) = median_best(&mut times);
    outln!(
        "full computation after one approval: {scored} provisional scores, targets, cùng kỳ and projections; median {median:.3} s, best {best:.3} s of {} runs; {:.0} µs per unit",
        times.len(),
        median * 1e6 / f64::from(units.max(1))
    )?;
    Ok(())
}

/// Each timed step goes from the state before the approval to the state after it; the untimed
/// step back makes the next one an approval again.
fn incremental(before: &State, after: &State, repeat: u32, units: u32) -> anyhow::Result<()> {
    let covenant = synth::covenant();
    let mut inc = Incremental::default();
    inc.compute(before, &covenant, Ask::default())?;
    let mut times = Vec::new();
    let mut recomputed = 0;
    for _ in 0..repeat.max(1) * 20 {
        let t0 = Instant::now();
        let p = inc.compute(after, &covenant, Ask::default())?;
        times.push(t0.elapsed().as_secs_f64());
        recomputed = inc.recomputed();
        drop(p);
        inc.compute(before, &covenant, Ask::default())?;
    }
    let same = serde_json::to_string(&*inc.compute(after, &covenant, Ask::default())?)?
        == serde_json::to_string(&progress::compute(after, &covenant)?)?;
    anyhow::ensure!(
        same,
        "the incremental result differs from the full computation"
    );
    let (median, best) = median_best(&mut times);
    outln!(
        "incremental after one approval: {recomputed} of {units} units recomputed, every unit's key checked, the others reused (identical to the full computation); median {:.2} ms, best {:.2} ms of {} runs",
        median * 1e3,
        best * 1e3,
        times.len(),
    )?;
    Ok(())
}

/// The log's events written to the store (when empty), a server on it, the page measured.
fn http(args: &ProgressBench, s: &synth::Synth, payloads: Vec<Payload>) -> anyhow::Result<()> {
    let backend = args.store.open_store()?;
    if backend.size()? == 0 {
        let mut all = payloads;
        all.push(Payload::UserRegistered {
            user: UserId::parse(ADMIN)?,
            display_name: Text::parse("name", "Quản trị đo tải (giả định)", 100)?,
            demo: true,
        });
        all.push(Payload::RoleGranted {
            user: UserId::parse(ADMIN)?,
            role: Role::Admin,
        });
        // Every event after the year's windows (2026-01-01), as the synthetic log's commands.
        super::bench::generate_from(
            &args.store,
            &*backend,
            all.len() as u64,
            1_767_225_600_000,
            |i| Ok(all[i as usize].clone()),
        )?;
    }
    drop(backend);
    let started = Instant::now();
    let (service, stores) = args.store.open_running()?;
    errln!(
        "{} events, state rebuilt in {:.1} s",
        service.read().size,
        started.elapsed().as_secs_f64()
    );
    let token = thidua_web::accounts::random_token(32);
    stores
        .accounts
        .create_api_token(&thidua_store::accounts::ApiTokenRecord {
            id: thidua_web::accounts::random_token(8),
            token_hash: thidua_web::accounts::secret_hash(&token),
            user: ADMIN.into(),
            label: "bench progress".into(),
            created_ms: thidua_web::accounts::now_ms(),
            revoked_ms: None,
        })?;
    let config = thidua_web::WebConfig::new(([127, 0, 0, 1], 0).into());
    let app = thidua_web::AppState::new(service, stores.accounts, config);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(("127.0.0.1", 0)))?;
    let url = format!(
        "http://{}/covenants/{}/{}",
        listener.local_addr()?,
        synth::covenant(),
        args.page
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = runtime.spawn(thidua_web::server::run(
        listener,
        thidua_web::router(app.clone()),
        thidua_web::server::Limits::default(),
        // Every measuring client is local: no per-address share.
        vec![std::net::Ipv4Addr::LOCALHOST.into()],
        async {
            let _ = stopped.await;
        },
    ));
    let measured = pages(args, s, &app, &url, &token);
    let _ = stop.send(());
    runtime.block_on(server)??;
    measured
}

/// One page: its time in ms and its size.
fn fetch(agent: &ureq::Agent, url: &str, token: &str) -> anyhow::Result<(f64, usize)> {
    let t0 = Instant::now();
    let body = agent
        .get(url)
        .set(
            "Authorization",
            &thidua_transparency::client::bearer(token)?,
        )
        .call()?
        .into_string()?;
    Ok((t0.elapsed().as_secs_f64() * 1e3, body.len()))
}

/// `--connections` clients fetching the page `--pages` times each while the writer approves.
fn pages(
    args: &ProgressBench,
    s: &synth::Synth,
    app: &thidua_web::AppState,
    url: &str,
    token: &str,
) -> anyhow::Result<()> {
    let agent = ureq::AgentBuilder::new().build();
    let (first, bytes) = fetch(&agent, url, token)?;
    let (again, _) = fetch(&agent, url, token)?;
    outln!(
        "cluster {} page ({} KiB): first {first:.0} ms (the full computation), again {again:.0} ms",
        args.page,
        bytes / 1024
    )?;
    let writing = AtomicBool::new(args.approve_every_ms > 0);
    let approvals = AtomicU64::new(0);
    let (times, secs) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| approve_meanwhile(args, s, app, &writing, &approvals));
        let t0 = Instant::now();
        let clients: Vec<_> = (0..args.connections.max(1))
            .map(|_| {
                scope.spawn(|| {
                    let agent = ureq::AgentBuilder::new().build();
                    (0..args.pages.max(1))
                        .map(|_| fetch(&agent, url, token).map(|(ms, _)| ms))
                        .collect::<anyhow::Result<Vec<f64>>>()
                })
            })
            .collect();
        let mut times = Vec::new();
        for c in clients {
            match c.join() {
                Ok(Ok(t)) => times.extend(t),
                Ok(Err(e)) => return Err(e),
                Err(_) => anyhow::bail!("a client panicked"),
            }
        }
        let secs = t0.elapsed().as_secs_f64();
        writing.store(false, Ordering::Relaxed);
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer panicked"))??;
        Ok((times, secs))
    })?;
    let mut times = times;
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    outln!(
        "cluster {} page, {} connections × {} pages in {secs:.1} s ({:.0} pages/s) while {} reports were approved: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        args.page,
        args.connections,
        args.pages,
        times.len() as f64 / secs,
        approvals.load(Ordering::Relaxed),
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    )?;
    Ok(())
}

/// Approves the next month of one unit after another through the service (validated, signed,
/// durable) every `--approve-every-ms` until `writing` turns false.
fn approve_meanwhile(
    args: &ProgressBench,
    s: &synth::Synth,
    app: &thidua_web::AppState,
    writing: &AtomicBool,
    approvals: &AtomicU64,
) -> anyhow::Result<()> {
    let month = args.months + 1;
    let mut unit = 0;
    while writing.load(Ordering::Relaxed) && unit < args.units {
        let done = app
            .service
            .read()
            .figures
            .report(
                &thidua_domain::synth::unit_id(unit),
                synth::YEAR,
                &format!("M{month:02}"),
            )
            .is_some();
        if !done {
            for c in synth::approval(s, unit, month) {
                app.service.execute(&thidua_domain::Actor::System, c)?;
            }
            approvals.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(args.approve_every_ms));
        }
        unit += 1;
    }
    Ok(())
}
