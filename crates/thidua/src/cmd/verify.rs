//! `thidua verify`: the independent verifier. It reads a log from a server (`--server`, with an
//! API token for entries the caller may read), a database (`--data`/`--database`) or a SQLite
//! backup (`--backup`), and checks everything against keys from flags or a trust file; see
//! `thidua_transparency::verify`. A difference exits non-zero with a precise message.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use thidua_ledger::CosignatureVerifier;
use thidua_transparency::client::{HttpLog, LocalLog, LogClient};
use thidua_transparency::trust::{parse_log_key, parse_witness_key, Trust};
use thidua_transparency::verify::{AfterReplay, Verification};

use crate::storage::{Progress, StoreArgs, Stores};

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Máy chủ / verify a running server, e.g. http://thidua.cum12.example
    #[arg(long, conflicts_with = "backup")]
    pub server: Option<String>,
    /// Mã API / API token (Bearer) for reading entries on the server.
    #[arg(long, env = "THIDUA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Tệp sao lưu SQLite / verify a SQLite backup file (opened from a private copy).
    #[arg(long)]
    pub backup: Option<PathBuf>,
    /// Without --server or --backup: the database to read (--data DIR or --database URL).
    #[command(flatten)]
    pub store: StoreArgs,
    /// Khoá công khai của nhật ký / the log's verifier key.
    #[arg(long, env = "THIDUA_LOG_KEY")]
    pub log_key: Option<String>,
    /// Tệp CA (PEM) / also trust the CAs in this PEM file for an https:// server (besides
    /// Mozilla's and the system's roots), e.g. an organisation's own CA.
    #[arg(long, env = "THIDUA_CA_FILE")]
    pub ca_file: Option<PathBuf>,
    /// Khoá nhân chứng tin cậy / a trusted witness: UNIT=VERIFIER_KEY (repeatable).
    #[arg(long = "witness")]
    pub witnesses: Vec<String>,
    /// Tệp tin cậy / trust file (`log`, `witness`, `quorum` lines).
    #[arg(long)]
    pub trust: Option<PathBuf>,
    /// Số chữ ký đồng ký tối thiểu / trusted cosignatures the checkpoint must carry.
    #[arg(long)]
    pub min_cosignatures: Option<u32>,
    /// Tệp trạng thái / the last checkpoint verified (read, then updated on success).
    #[arg(long, default_value = "thidua-verify.state")]
    pub state: PathBuf,
    /// Không dùng tệp trạng thái / do not read or write a state file.
    #[arg(long)]
    pub no_state: bool,
    /// JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Không tính lại tổng kết năm và sơ kết 6 tháng / skip recomputing year-end draws and
    /// results and mid-year reviews (they need every event in memory).
    #[arg(long)]
    pub skip_yearend: bool,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let trust = match &args.trust {
        Some(path) => Trust::load(path).map_err(anyhow::Error::msg)?,
        None => Trust::default(),
    };
    // A database or a backup is opened by the binary (`storage`) and outlives the client.
    let source = match (&args.server, &args.backup) {
        (Some(url), _) => Source::Server(url),
        (None, Some(file)) => Source::Local(
            Stores::backup(file).with_context(|| format!("{}", file.display()))?,
            file.display().to_string(),
        ),
        (None, None) => Source::Local(args.store.open_stores()?, "the local database".into()),
    };
    let client: Box<dyn LogClient> = match &source {
        Source::Server(url) => Box::new(HttpLog::with_ca(
            url,
            args.token.clone(),
            args.ca_file.as_deref(),
        )?),
        Source::Local(stores, name) => Box::new(LocalLog::new(
            stores.events.clone(),
            Some(stores.witnesses.clone()),
            name.clone(),
        )),
    };
    let log_key = match (&args.log_key, trust.log.clone()) {
        (Some(k), _) => parse_log_key(k).map_err(anyhow::Error::msg)?,
        (None, Some(k)) => k,
        (None, None) if args.server.is_none() && args.store.key_path().exists() => {
            let key = thidua_service::LogKey::load(&args.store.key_path())?;
            eprintln!(
                "chú ý / note: using the log key from {} — give --log-key or --trust for an independent check",
                args.store.key_path().display()
            );
            parse_log_key(key.verifier_key()).map_err(anyhow::Error::msg)?
        }
        (None, None) => anyhow::bail!("give the log's verifier key with --log-key or --trust"),
    };
    let mut witnesses: Vec<(String, CosignatureVerifier)> = trust.witnesses.clone();
    for w in &args.witnesses {
        let (unit, key) = w
            .split_once('=')
            .context("--witness takes UNIT=VERIFIER_KEY")?;
        witnesses.push((
            unit.to_owned(),
            parse_witness_key(key).map_err(anyhow::Error::msg)?,
        ));
    }
    let min_cosignatures = args.min_cosignatures.or(trust.quorum).unwrap_or(0);
    let progress = Progress::new("Kiểm tra nhật ký / verifying the log");
    let verification = Verification {
        log_key: &log_key,
        witnesses: &witnesses,
        min_cosignatures,
        state_path: (!args.no_state).then_some(args.state.as_path()),
        progress: &|done, total| progress.set(done, total),
        after_replay: (!args.skip_yearend).then_some(&yearend_hook as AfterReplay),
        keep_events: !args.skip_yearend,
    };
    let result = verification.run(&*client);
    progress.finish();
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "KHÔNG KHỚP / VERIFICATION FAILED ({}): {e}",
                client.describe()
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let state_hash = thidua_transparency::verify::state_fingerprint(&summary.state);
    let secs = summary.elapsed.as_secs_f64().max(1e-9);
    let rate = (summary.size as f64 / secs) as u64;
    if args.json {
        let v = serde_json::json!({
            "ok": true,
            "origin": summary.origin,
            "size": summary.size,
            "root": hex::encode(summary.root),
            "cosigned_by": summary.cosigned_by,
            "hidden": summary.hidden,
            "replayed": summary.replayed,
            "previous": summary.previous,
            "state_sha256": state_hash,
            "units": summary.state.units.len(),
            "clusters": summary.state.clusters.len(),
            "covenants": summary.state.covenants.len(),
            "users": summary.state.users.len(),
            "witness_keys": summary.state.witness_keys.len(),
            "events_per_second": rate,
        });
        println!("{v}");
    } else {
        println!("Nhật ký hợp lệ / log verified: {}", client.describe());
        println!("  origin        {}", summary.origin);
        println!("  size          {}", summary.size);
        println!("  root          {}", hex::encode(summary.root));
        println!(
            "  cosigned by   {}",
            if summary.cosigned_by.is_empty() {
                "-".to_owned()
            } else {
                summary.cosigned_by.join(", ")
            }
        );
        match summary.previous {
            Some(p) => println!("  consistent with the checkpoint of size {p} verified before"),
            None => println!("  first verification (no earlier checkpoint)"),
        }
        println!(
            "  replayed      {} events ({} hidden: hashes checked only)",
            summary.replayed, summary.hidden
        );
        println!(
            "  state         {} units, {} clusters, {} covenants, {} users, {} witness keys",
            summary.state.units.len(),
            summary.state.clusters.len(),
            summary.state.covenants.len(),
            summary.state.users.len(),
            summary.state.witness_keys.len()
        );
        println!("{}", crate::cmd::vote::verified_votes(&summary.state));
        println!("  state sha256  {state_hash}");
        println!("  rate          {rate} events/s");
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the log is read from.
enum Source<'a> {
    /// A running server's URL.
    Server(&'a str),
    /// A database or backup, and its name for messages.
    Local(Stores, String),
}

/// Recomputes every year-end draw and publication from the replayed events; any difference
/// fails the verification with the differences listed.
fn yearend_hook(
    state: &thidua_domain::State,
    events: &[thidua_domain::Event],
) -> Result<(), String> {
    midyear_check(state, events)?;
    if state.yearend.reviews.is_empty() {
        return Ok(());
    }
    let audit = thidua_domain::yearend::audit::audit(events)?;
    if !audit.differences.is_empty() {
        return Err(format!(
            "year-end recomputation differs from the log: {}",
            audit.differences.join("; ")
        ));
    }
    eprintln!(
        "tổng kết năm / year-end: {} draw(s) and {} publication(s) recomputed from the log, identical",
        audit.draws.len(),
        audit.publications.len()
    );
    Ok(())
}

/// Every mid-year review recomputed from the log prefix it names.
fn midyear_check(
    state: &thidua_domain::State,
    events: &[thidua_domain::Event],
) -> Result<(), String> {
    if state.midyear.is_empty() {
        return Ok(());
    }
    let audit = thidua_domain::midyear::audit::audit(events)?;
    if !audit.differences.is_empty() {
        return Err(format!(
            "mid-year recomputation differs from the log: {}",
            audit.differences.join("; ")
        ));
    }
    eprintln!(
        "sơ kết 6 tháng / mid-year: {} review(s) recomputed from the log, identical",
        audit.reviews.len()
    );
    Ok(())
}
