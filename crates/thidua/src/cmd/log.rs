//! `thidua log`: lists the events of the log, as text or JSON lines; `thidua log key` prints the
//! log's public verifier key.
use std::io::Write;
use std::process::ExitCode;

use thidua_domain::Event;
use thidua_ledger::leaf_hash;

use crate::output::errln;
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
        return crate::output::quiet_on_closed_pipe(print_key(store));
    }
    crate::output::quiet_on_closed_pipe(list(args))
}

/// Prints the verifier key of the log at --data/--database, once its signing key is checked
/// to have signed that log.
fn print_key(store: &StoreArgs) -> anyhow::Result<ExitCode> {
    let key = store.existing_key()?;
    crate::output::outln!("{}", key.verifier_key())?;
    Ok(ExitCode::SUCCESS)
}

fn list(args: LogArgs) -> anyhow::Result<ExitCode> {
    let store = args.store.open_existing_stores("")?.events;
    // Indices past the log's end ask for nothing (the store takes indices as signed integers).
    let size = store.size()?;
    let end = args
        .limit
        .map_or(u64::MAX, |n| args.from.saturating_add(n))
        .min(size);
    let mut out = std::io::stdout().lock();
    let mut altered = Vec::new();
    let mut next = args.from;
    while next < end {
        let batch = store.entries(next, end.min(next.saturating_add(1000)))?;
        let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
            break;
        };
        // Each shown entry's leaf hash is recomputed from its bytes and compared with the one
        // stored beside them and the tree's leaf: an event changed in the database is marked
        // (refused with --json), never shown as the log's.
        let tree = store.nodes(0, first.index, last.index.saturating_add(1))?;
        for entry in &batch {
            let leaf = leaf_hash(&entry.bytes);
            let in_tree = tree.get((entry.index - first.index) as usize);
            let problem = altered_entry(entry, in_tree);
            let intact = problem.is_none();
            if let Some(why) = problem {
                altered.push(why);
            }
            if args.json {
                anyhow::ensure!(
                    intact,
                    "KHÔNG KHỚP / ALTERED: {}; not shown",
                    altered.last().map(String::as_str).unwrap_or_default()
                );
                out.write_all(&entry.bytes)?;
                writeln!(out)?;
                continue;
            }
            let mark = match intact {
                true => String::new(),
                false => format!(
                    "  !! KHÔNG KHỚP / ALTERED: {}",
                    altered.last().map(String::as_str).unwrap_or_default()
                ),
            };
            match Event::decode(entry.index, &entry.bytes) {
                Ok(event) => {
                    let time = thidua_domain::figures::local_datetime(event.time_ms)
                        .format("%d/%m/%Y %H:%M:%S")
                        .to_string();
                    let unit = event
                        .payload
                        .unit()
                        .map(|u| u.to_string())
                        .unwrap_or_else(|| "-".into());
                    writeln!(
                        out,
                        "{:>8}  {time}  {:<24} {:<18} {:<20} {}{mark}",
                        event.index,
                        event.payload.kind(),
                        unit,
                        event.actor.to_string(),
                        hex::encode(&leaf[..8])
                    )?;
                }
                Err(_) if !intact => writeln!(
                    out,
                    "{:>8}  {:<19}  {:<24} {:<18} {:<20} {}{mark}",
                    entry.index,
                    "?",
                    "(không đọc được / unreadable)",
                    "-",
                    "-",
                    hex::encode(&leaf[..8])
                )?,
                Err(e) => return Err(e.into()),
            }
        }
        if last.index == u64::MAX {
            break;
        }
        next = last.index + 1;
    }
    drop(out);
    if let Some(first) = altered.first() {
        let n = altered.len();
        errln!(
            "KHÔNG KHỚP / ALTERED: {n} sự kiện đánh dấu !! / {n} entr{} marked !!; sự kiện \
             đầu tiên / the first: {}. Chạy / run `thidua verify` trên nhật ký này / on this log",
            if n == 1 { "y" } else { "ies" },
            first
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// What is wrong with a stored entry, in words — as `thidua verify` says it
/// (`thidua_transparency::verify::check_stored_entry`): the leaf hash stored beside it is not
/// the tree's leaf, or its bytes do not hash to that leaf; `None` when intact.
fn altered_entry(entry: &thidua_store::Entry, tree_leaf: Option<&[u8; 32]>) -> Option<String> {
    let index = entry.index;
    let why = match tree_leaf {
        None => format!(
            "entry {index}: the tree has no leaf at {index} (stored leaf hash {})",
            hex::encode(entry.leaf_hash)
        ),
        Some(tree_leaf) => thidua_transparency::verify::check_stored_entry(
            index,
            tree_leaf,
            &entry.leaf_hash,
            &entry.bytes,
        )
        .err()?
        .to_string(),
    };
    Some(format!(
        "sự kiện {index} bị sửa ngoài dịch vụ / entry {index} was changed outside the service: \
         {why}"
    ))
}
