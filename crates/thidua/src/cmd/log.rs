//! `thidua log`: lists the events of the log, as text or JSON lines; `thidua log key` prints the
//! log's public verifier key.
use std::io::Write;
use std::process::ExitCode;

use thidua_domain::Event;

use crate::storage::StoreArgs;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LogArgs {
    #[command(subcommand)]
    pub command: Option<LogCommand>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Từ chỉ số / first log index to show.
    #[arg(long, default_value_t = 0)]
    pub from: u64,
    /// Số sự kiện tối đa / at most this many events.
    #[arg(long)]
    pub limit: Option<u64>,
    /// JSON, một sự kiện mỗi dòng / one JSON object per line (the canonical event bytes).
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand)]
pub enum LogCommand {
    /// Khoá công khai của nhật ký / print the log's public verifier key (C2SP note verifier
    /// key), for `thidua witness --log-key` and `thidua verify --log-key`.
    Key {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub fn run(args: LogArgs) -> anyhow::Result<ExitCode> {
    if let Some(LogCommand::Key { store }) = &args.command {
        let key = thidua_service::LogKey::load(&store.key_path())?;
        println!("{}", key.verifier_key());
        return Ok(ExitCode::SUCCESS);
    }
    crate::output::quiet_on_closed_pipe(list(args))
}

fn list(args: LogArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_existing_stores("")?.events;
    let end = args.limit.map_or(u64::MAX, |n| args.from.saturating_add(n));
    let mut out = std::io::stdout().lock();
    let mut next = args.from;
    while next < end {
        let batch = store.entries(next, end.min(next + 1000))?;
        if batch.is_empty() {
            break;
        }
        for entry in &batch {
            if args.json {
                out.write_all(&entry.bytes)?;
                writeln!(out)?;
            } else {
                let event = Event::decode(entry.index, &entry.bytes)?;
                let time = chrono::DateTime::from_timestamp_millis(event.time_ms)
                    .map(|t| t.format("%d/%m/%Y %H:%M:%S").to_string())
                    .unwrap_or_default();
                let unit = event
                    .payload
                    .unit()
                    .map(|u| u.to_string())
                    .unwrap_or_else(|| "-".into());
                writeln!(
                    out,
                    "{:>8}  {time}  {:<24} {:<18} {:<20} {}",
                    event.index,
                    event.payload.kind(),
                    unit,
                    event.actor.to_string(),
                    hex::encode(&entry.leaf_hash[..8])
                )?;
            }
        }
        next = batch.last().map_or(end, |e| e.index + 1);
    }
    Ok(ExitCode::SUCCESS)
}
