//! `thidua bench`: the Core figures measured on the real binary and the real database —
//! append throughput (one event per transaction, or batched) and replay rate at start-up.
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use thidua_domain::{Actor, Command, Event, Payload, Text, UserId};
use thidua_ledger::CompactRange;
use thidua_store::Append;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchKind,
}

#[derive(clap::Subcommand)]
pub enum BenchKind {
    /// Ghi sự kiện qua dịch vụ / append events through the service (validated, signed, durable).
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
    },
    /// Nhập số liệu một năm toàn quốc / import a national year of figures, then replay.
    Figures(crate::cmd::bench_figures::FiguresBench),
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        BenchKind::Append {
            store,
            count,
            batch,
            ack,
        } => append(&store, count, batch.max(1), ack),
        BenchKind::Replay { store, events } => replay(&store, events),
        BenchKind::Figures(args) => crate::cmd::bench_figures::run(args),
    }
}

fn register(i: u64, run: &str) -> Command {
    Command::RegisterUser {
        user: UserId::parse(&format!("bench-{run}-{i}")).expect("valid id"),
        display_name: Text::parse("name", &format!("Người dùng thử {i}"), 100).expect("valid"),
        demo: true,
    }
}

fn append(store: &StoreArgs, count: u64, batch: u64, ack: bool) -> anyhow::Result<ExitCode> {
    let service = store.open_service()?;
    let run = format!("{}-{}", std::process::id(), service.read().size);
    let started = Instant::now();
    let mut out = std::io::stdout().lock();
    let mut done = 0;
    while done < count {
        let n = batch.min(count - done);
        let commands = (done..done + n).map(|i| register(i, &run)).collect();
        let receipt = service.execute_all(&Actor::System, commands)?;
        done += n;
        if ack {
            writeln!(out, "ack {}", receipt.first_index + receipt.count - 1)?;
            out.flush()?;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "append {}: {count} events, {batch} per transaction, {secs:.2} s, {:.0} events/s",
        service.store().backend(),
        count as f64 / secs
    );
    Ok(ExitCode::SUCCESS)
}

fn replay(store: &StoreArgs, events: u64) -> anyhow::Result<ExitCode> {
    let backend = store.open_store()?;
    let have = backend.size()?;
    if have < events {
        eprintln!("generating {} synthetic events…", events - have);
        generate(store, &*backend, have, events)?;
    }
    drop(backend);
    let started = Instant::now();
    let service = store.open_service()?;
    let secs = started.elapsed().as_secs_f64();
    let size = service.read().size;
    eprintln!(
        "replay {}: {size} events in {secs:.2} s, {:.0} events/s, RSS {} MiB",
        service.store().backend(),
        size as f64 / secs,
        rss_kib() / 1024
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes synthetic, valid events straight to the store (bypassing per-command validation,
/// which the replay then performs) so that a million-event log can be made in minutes.
fn generate(
    store: &StoreArgs,
    backend: &dyn thidua_store::EventStore,
    from: u64,
    to: u64,
) -> anyhow::Result<()> {
    anyhow::ensure!(from == 0, "synthetic events go only into an empty log");
    // The key the service will use, so that its start-up checkpoint check passes.
    let key = thidua_service::LogKey::load_or_create(&store.key_path(), &store.origin)?;
    let mut frontier = CompactRange::new();
    let progress = crate::storage::Progress::new("tạo sự kiện / generating");
    let mut index = from;
    while index < to {
        let end = (index + 20_000).min(to);
        let events = (index..end)
            .map(|i| {
                Ok(Event {
                    index: i,
                    time_ms: 1_735_689_600_000 + i as i64,
                    actor: Actor::System,
                    salt: format!(
                        "{:032x}",
                        u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)
                    ),
                    payload: Payload::UserRegistered {
                        user: UserId::parse(&format!("synth-{i}"))?,
                        display_name: Text::parse("name", &format!("Cán bộ {i}"), 100)?,
                        demo: true,
                    },
                })
            })
            .collect::<anyhow::Result<Vec<Event>>>()?;
        let (entries, nodes) = thidua_service::seal(&mut frontier, &events);
        let note = key.sign_checkpoint(frontier.size(), frontier.root())?;
        backend.append(Append {
            expected_size: index,
            entries: &entries,
            nodes: &nodes,
            checkpoint: &note,
        })?;
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
