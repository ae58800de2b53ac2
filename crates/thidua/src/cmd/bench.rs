//! `thidua bench`: the Core figures measured on the real binary and the real database —
//! append throughput (one event per transaction, or batched) and replay rate at start-up.
use crate::output::{errln, quiet_on_closed_pipe, sayln};
use std::process::ExitCode;
use std::time::Instant;

use thidua_domain::{Actor, Command, Event, Payload, Text, UserId};
use thidua_ledger::CompactRange;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchKind,
}

#[derive(clap::Subcommand)]
pub enum BenchKind {
    /// Ghi sự kiện qua dịch vụ / append events through the service (validated, signed, durable).
    /// Only into an empty log or one a bench made (its first event registers a bench's
    /// synthetic user, `bench-…` or `synth-…`): never into a deployment's log.
    Append {
        #[command(flatten)]
        store: StoreArgs,
        /// Số sự kiện / number of events.
        #[arg(long, default_value_t = 2000)]
        count: u64,
        /// Số sự kiện mỗi giao dịch / events per transaction.
        #[arg(long, default_value_t = 1)]
        batch: u64,
        /// In chỉ số đã ghi sau mỗi giao dịch / print each acknowledged index (crash tests).
        #[arg(long)]
        ack: bool,
    },
    /// Đo tốc độ đọc lại khi khởi động / measure start-up replay, generating synthetic events first.
    Replay {
        #[command(flatten)]
        store: StoreArgs,
        /// Số sự kiện cần có trong nhật ký / events the log must hold.
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// Khởi động từ bản chụp / start from the newest snapshot (written by an earlier run)
        /// instead of replaying everything; run it as its own process to read its RSS.
        #[arg(long)]
        from_snapshot: bool,
    },
    /// Trang lịch sử / history pages on a log of many units' events: p50 and p99 per viewer.
    History(crate::cmd::bench_history::HistoryBench),
    /// Sao lưu khi đang đọc ghi / an online backup while readers and a writer keep working:
    /// the backup's time and the longest wait any read or append saw meanwhile. It appends
    /// synthetic events: only into an empty log or one a bench made (as `append`).
    Backup {
        #[command(flatten)]
        store: StoreArgs,
        /// Tệp sao lưu / where to write the copy (must not exist).
        #[arg(long)]
        dest: std::path::PathBuf,
    },
    /// Chấm điểm bộ số liệu tổng hợp toàn quốc, so với LibreOffice / score the national synthetic set, side by side with LibreOffice.
    Score(super::bench_score::ScoreBenchArgs),
    /// Nhập số liệu một năm toàn quốc / import a national year of figures, then replay.
    Figures(crate::cmd::bench_figures::FiguresBench),
    /// Dấu hiệu bất thường trên cụm tổng hợp có gian lận cài sẵn / integrity flags on the
    /// synthetic cluster with planted gaming: planted and honest unit-windows flagged.
    Flags(crate::cmd::bench_flags::FlagsBench),
    /// Tính lại tiến độ và điểm tạm tính sau một lần phê duyệt / recompute progress and
    /// provisional scores after one approval (national scale, in memory).
    Progress(crate::cmd::bench_progress::ProgressBench),
}

/// Runs the bench asked for. Its figures go to standard output: a reader that went away
/// (`thidua bench … | head -1`) ends it quietly, as every command that prints.
pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    quiet_on_closed_pipe(measure(args))
}

/// Dispatches to the bench asked for.
fn measure(args: BenchArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        BenchKind::Append {
            store,
            count,
            batch,
            ack,
        } => append(&store, count, batch.max(1), ack),
        BenchKind::Replay {
            store,
            events,
            from_snapshot,
        } => replay(&store, events, from_snapshot),
        BenchKind::Backup { store, dest } => backup(&store, &dest),
        BenchKind::Score(args) => super::bench_score::run(args),
        BenchKind::Figures(args) => crate::cmd::bench_figures::run(args),
        BenchKind::Progress(args) => crate::cmd::bench_progress::run(args),
        BenchKind::History(args) => crate::cmd::bench_history::run(args),
        BenchKind::Flags(args) => crate::cmd::bench_flags::run(args),
    }
}

/// A valid command for synthetic appends: registers the user `bench-{run}-{i}`.
pub(crate) fn register(i: u64, run: &str) -> Command {
    Command::RegisterUser {
        user: UserId::parse(&format!("bench-{run}-{i}")).expect("valid id"),
        display_name: Text::parse("name", &format!("Người dùng thử {i}"), 100).expect("valid"),
        demo: true,
    }
}

/// The first event of a log that a bench generates with other events than [`register`]'s
/// (`bench history`, `bench progress --http`, `bench figures`): it marks the log as a bench's
/// for [`ensure_bench_log`].
pub(crate) fn marker() -> Command {
    register(0, "log")
}

/// [`marker`] as the event a generator writes.
pub(crate) fn marker_payload() -> Payload {
    match marker() {
        Command::RegisterUser {
            user,
            display_name,
            demo,
        } => Payload::UserRegistered {
            user,
            display_name,
            demo,
        },
        _ => unreachable!("the marker registers a user"),
    }
}

/// Refuses a log a bench did not make: synthetic events go only into an empty log or one whose
/// first event registers a bench's synthetic user (`bench-…` as [`register`] and [`marker`]
/// write, `synth-…` as `bench replay` writes), so that a bench pointed at a deployment
/// (`--data` defaults to ./data, as `serve`'s does) writes nothing into its log.
pub(crate) fn ensure_bench_log(store: &dyn thidua_store::EventStore) -> anyhow::Result<()> {
    if store.size()? == 0 {
        return Ok(());
    }
    let first = store.entries(0, 1)?;
    let made_by_bench = first.first().is_some_and(|entry| {
        matches!(
            Event::decode(0, &entry.bytes).map(|e| (e.actor, e.payload)),
            Ok((Actor::System, Payload::UserRegistered { user, demo: true, .. }))
                if user.as_str().starts_with("bench-") || user.as_str().starts_with("synth-")
        )
    });
    anyhow::ensure!(
        made_by_bench,
        "không ghi sự kiện thử vào nhật ký này / refusing to write synthetic events into this log: \
         it holds {} entries and a bench did not make it — benches write only into an empty \
         log or one a bench made (give --data an empty directory)",
        store.size()?
    );
    Ok(())
}

fn append(store: &StoreArgs, count: u64, batch: u64, ack: bool) -> anyhow::Result<ExitCode> {
    ensure_bench_log(&*store.open_store()?)?;
    let service = store.open_service()?;
    let run = format!("{}-{}", std::process::id(), service.read().size);
    let started = Instant::now();
    let mut done = 0;
    while done < count {
        let n = batch.min(count - done);
        let commands = (done..done + n).map(|i| register(i, &run)).collect();
        let receipt = service.execute_all(&Actor::System, commands)?;
        done += n;
        if ack {
            // Flushed with its line (standard output is line-buffered): the crash tests read
            // it before they kill the process.
            sayln!("ack {}", receipt.first_index + receipt.count - 1)?;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    errln!(
        "append {}: {count} events, {batch} per transaction, {secs:.2} s, {:.0} events/s",
        service.store().backend(),
        count as f64 / secs
    );
    Ok(ExitCode::SUCCESS)
}

/// Start-up time and memory: a full replay (and then a snapshot written for the next run), or a
/// start from the newest snapshot.
fn replay(store: &StoreArgs, events: u64, from_snapshot: bool) -> anyhow::Result<ExitCode> {
    let backend = store.open_store()?;
    let have = backend.size()?;
    if have < events {
        errln!("generating {} synthetic events…", events - have);
        generate(store, &*backend, events)?;
    }
    drop(backend);
    let options = thidua_service::OpenOptions {
        snapshots: thidua_service::SnapshotPolicy { every: 0 },
        ignore_snapshots: !from_snapshot,
    };
    let started = Instant::now();
    let (service, _, report) = store.open_with(options)?;
    let secs = started.elapsed().as_secs_f64();
    let size = service.read().size;
    errln!(
        "start-up {} from {}: {size} events ({} replayed) in {secs:.2} s, RSS {} MiB",
        service.store().backend(),
        if report.from_snapshot > 0 {
            format!("the snapshot at {}", report.from_snapshot)
        } else {
            "the first event".into()
        },
        report.replayed,
        rss_kib() / 1024
    );
    if report.from_snapshot > 0 {
        errln!(
            "of which {:.2} s checking the {} entries and their tree nodes below the snapshot (before serving)",
            report.prefix_check.as_secs_f64(),
            report.from_snapshot
        );
    }
    if let Some(reason) = report.discarded_snapshot {
        errln!("snapshot discarded: {reason}");
    }
    if !from_snapshot && !service.store().snapshot_sizes()?.contains(&size) {
        let started = Instant::now();
        service.write_snapshot()?;
        let body = service.store().snapshot_meta(size)?.map_or(0, |s| s.bytes);
        errln!(
            "snapshot written at {size}: {:.2} s, {} MiB",
            started.elapsed().as_secs_f64(),
            body / (1024 * 1024)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `thidua backup`'s copy while two readers read random entries and a writer appends,
/// recording the longest time any of them waited.
fn backup(store: &StoreArgs, dest: &std::path::Path) -> anyhow::Result<ExitCode> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    ensure_bench_log(&*store.open_store()?)?;
    let service = store.open_service()?;
    let size = service.read().size.max(1);
    let done = AtomicBool::new(false);
    let longest_read_us = AtomicU64::new(0);
    let longest_append_us = AtomicU64::new(0);
    let reads = AtomicU64::new(0);
    let appends = AtomicU64::new(0);
    let run = format!("{}-{size}", std::process::id());
    let (copy_secs, result) = std::thread::scope(|scope| {
        for seed in 1..=2u64 {
            let (service, done, longest, reads) = (&service, &done, &longest_read_us, &reads);
            scope.spawn(move || {
                let mut x = seed;
                while !done.load(Ordering::Relaxed) {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let at = (x >> 11) % size;
                    let started = Instant::now();
                    let _ = service.store().entries(at, at + 1);
                    longest.fetch_max(started.elapsed().as_micros() as u64, Ordering::Relaxed);
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        let (service, done, longest, appends, run) =
            (&service, &done, &longest_append_us, &appends, &run);
        scope.spawn(move || {
            let mut i = 0;
            while !done.load(Ordering::Relaxed) {
                let started = Instant::now();
                if service.execute(&Actor::System, register(i, run)).is_ok() {
                    appends.fetch_add(1, Ordering::Relaxed);
                }
                longest.fetch_max(started.elapsed().as_micros() as u64, Ordering::Relaxed);
                i += 1;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        });
        std::thread::sleep(std::time::Duration::from_secs(1));
        let started = Instant::now();
        let result = service.store().backup(dest);
        let secs = started.elapsed().as_secs_f64();
        std::thread::sleep(std::time::Duration::from_millis(500));
        done.store(true, Ordering::Relaxed);
        (secs, result)
    });
    result?;
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    errln!(
        "backup {}: {} MiB in {copy_secs:.2} s; meanwhile {} reads (longest {:.1} ms) and {} appends (longest {:.1} ms)",
        service.store().backend(),
        bytes / (1024 * 1024),
        reads.load(Ordering::Relaxed),
        longest_read_us.load(Ordering::Relaxed) as f64 / 1000.0,
        appends.load(Ordering::Relaxed),
        longest_append_us.load(Ordering::Relaxed) as f64 / 1000.0,
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes synthetic, valid events straight to the store (bypassing per-command validation,
/// which the replay then performs) so that a million-event log can be made in minutes.
fn generate(
    store: &StoreArgs,
    backend: &dyn thidua_store::EventStore,
    to: u64,
) -> anyhow::Result<()> {
    generate_with(store, backend, to, |i| {
        Ok(Payload::UserRegistered {
            user: UserId::parse(&format!("synth-{i}"))?,
            display_name: Text::parse("name", &format!("Cán bộ {i}"), 100)?,
            demo: true,
        })
    })
}

/// Appends the events `payload(i)` for i in `0..to` (by the operator) straight to an empty
/// store, sealed and signed with the key the service will use, 20,000 per transaction.
pub fn generate_with(
    store: &StoreArgs,
    backend: &dyn thidua_store::EventStore,
    to: u64,
    payload: impl Fn(u64) -> anyhow::Result<Payload>,
) -> anyhow::Result<()> {
    generate_from(store, backend, to, 1_735_689_600_000, payload)
}

/// [`generate_with`] with event `i` at `first_ms + i` (for events whose rules depend on when
/// they happen, e.g. reports submitted after their window).
pub fn generate_from(
    store: &StoreArgs,
    backend: &dyn thidua_store::EventStore,
    to: u64,
    first_ms: i64,
    payload: impl Fn(u64) -> anyhow::Result<Payload>,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        backend.size()? == 0,
        "synthetic events go only into an empty log"
    );
    // The key the service will use, so that its start-up checkpoint check passes.
    let key = thidua_service::LogKey::load_or_create(&store.key_path(), &store.origin)?;
    let mut frontier = CompactRange::new();
    let progress = crate::storage::Progress::new("tạo sự kiện / generating");
    let mut index = 0;
    while index < to {
        let end = (index + 20_000).min(to);
        let events = (index..end)
            .map(|i| {
                Ok(Event {
                    index: i,
                    time_ms: first_ms + i as i64,
                    actor: Actor::System,
                    salt: format!(
                        "{:032x}",
                        u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
                    ),
                    payload: payload(i)?,
                })
            })
            .collect::<anyhow::Result<Vec<Event>>>()?;
        thidua_service::append_sealed(backend, &key, &mut frontier, &events)?;
        index = end;
        progress.set(index, to);
    }
    progress.finish();
    Ok(())
}

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
