//! `thidua serve` and `thidua demo`: open (or create) the log and serve HTTP until Ctrl-C or
//! SIGTERM.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use thidua_store::accounts::AccountStore;

use crate::output::{errln, sayln};
use crate::server_lock::{DirLock, LOCK_FILE};
use crate::storage::StoreArgs;
use crate::{demo, demo_witness};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Địa chỉ lắng nghe / address to listen on.
    #[arg(long, env = "THIDUA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Cookie chỉ qua HTTPS / mark session cookies Secure (when served over HTTPS).
    #[arg(long, env = "THIDUA_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Proxy ngược được tin (X-Forwarded-For) / reverse proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed (comma-separated addresses); from others they are ignored.
    #[arg(long, env = "THIDUA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Số kết nối tối đa / connections served at once (more wait to be accepted), at most 128
    /// from one address (a trusted proxy excepted).
    #[arg(long, env = "THIDUA_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Mã đọc /metrics / the bearer token that may read /metrics (Prometheus text format).
    #[arg(long, env = "THIDUA_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// /metrics công khai / let anyone read /metrics (only behind a network that lets the
    /// monitoring system alone reach it).
    #[arg(long, env = "THIDUA_METRICS_PUBLIC")]
    pub metrics_public: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Nạp dữ liệu minh hoạ nếu nhật ký trống / load the demonstration into an empty log.
    #[arg(long)]
    pub demo: bool,
}

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Địa chỉ lắng nghe / address to listen on.
    #[arg(long, env = "THIDUA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Thư mục dữ liệu minh hoạ / the demonstration's data directory.
    #[arg(long, default_value = "./data-demo")]
    pub data: PathBuf,
    /// Xoá và tạo lại / delete the directory first and load the demonstration afresh.
    #[arg(long)]
    pub reset: bool,
}

/// The file that marks a directory the demonstration made, the only kind `demo --reset` empties.
const DEMO_MARKER: &str = ".thidua-demo";

/// The entries of `dir` if it may hold the demonstration: missing (none), empty, or made by
/// the demonstration (its marker file). Anything else — a real deployment's data, a home
/// directory — is refused, `doing` saying what was refused. The servers' lock file is not one
/// of them: it holds nothing, and a server that failed to start leaves it.
fn demo_dir_entries(dir: &std::path::Path, doing: &str) -> anyhow::Result<Vec<std::fs::DirEntry>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    anyhow::ensure!(
        dir.is_dir(),
        "{} không phải thư mục / is not a directory",
        dir.display()
    );
    let entries = std::fs::read_dir(dir)?
        .filter(|e| e.as_ref().map_or(true, |e| e.file_name() != LOCK_FILE))
        .collect::<Result<Vec<_>, _>>()?;
    anyhow::ensure!(
        entries.is_empty() || dir.join(DEMO_MARKER).is_file(),
        "{doing} {}: it is not a directory `thidua demo` made (no {DEMO_MARKER} file in it) — \
         give --data an empty directory or a demonstration's own",
        dir.display()
    );
    Ok(entries)
}

/// Empties a demonstration's data directory for `demo --reset`: a directory that is empty or
/// that the demonstration made (its marker file). Anything else — a real deployment's data, a
/// home directory — is refused and left as it is, as is a directory a running server uses
/// (its lock, [`DirLock::resetting`]). Returns the lock, still held alone.
fn reset_demo_dir(dir: &std::path::Path) -> anyhow::Result<DirLock> {
    const REFUSE_RESET: &str = "không xoá / refusing to reset";
    // Refused before the lock file is made in a directory that is not the demonstration's.
    demo_dir_entries(dir, REFUSE_RESET)?;
    let lock = DirLock::resetting(dir)?;
    let mut entries = demo_dir_entries(dir, REFUSE_RESET)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(lock)
}

/// `thidua demo`: the server with the demonstration's options, after emptying its directory
/// with `--reset`.
pub fn run_demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let mut lock = None;
    if args.reset {
        // The address is tried before anything is emptied: a second `demo --reset` on the
        // port of a running demonstration must not delete that demonstration's data (nor, by
        // the directory's lock, on another port).
        let listener = bind(args.bind)?;
        lock = Some(reset_demo_dir(&args.data)?);
        drop(listener);
    }
    let args = ServeArgs {
        bind: args.bind,
        secure_cookies: false,
        trusted_proxies: Vec::new(),
        max_connections: 1024,
        metrics_token: None,
        metrics_public: false,
        store: StoreArgs {
            data: args.data,
            database: None,
            database_file: None,
            key: None,
            origin: crate::storage::DEFAULT_ORIGIN.into(),
        },
        demo: true,
    };
    serve(args, lock)
}

/// `thidua serve`.
pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    serve(args, None)
}

/// The directory lock a server holds while it serves ([`DirLock::serving`]): `reset`'s, once
/// it emptied the directory, or one of its own. None for a server that keeps nothing in its
/// data directory (PostgreSQL, and the key elsewhere).
fn serving_lock(store: &StoreArgs, reset: Option<DirLock>) -> anyhow::Result<Option<DirLock>> {
    match reset {
        Some(lock) => lock.into_serving(&store.data).map(Some),
        None if store.database_url()?.is_none() || store.key.is_none() => {
            DirLock::serving(&store.data).map(Some)
        }
        None => Ok(None),
    }
}

/// Serves the log (loading the demonstration first into an empty one with `--demo`), holding
/// the data directory's lock from before the store is opened to the end.
fn serve(args: ServeArgs, reset: Option<DirLock>) -> anyhow::Result<ExitCode> {
    // The address is tried first: a port already in use is said before a database, a signing
    // key or the demonstration is created for a server that cannot start.
    drop(bind(args.bind)?);
    // The demonstration runs only where it is alone: a deployment's log would be served with
    // demonstration accounts and a password that do not exist in it.
    const REFUSE_DEMO: &str = "không chạy minh hoạ / refusing to run the demonstration in";
    if args.demo {
        demo_dir_entries(&args.store.data, REFUSE_DEMO)?;
    }
    let _lock = serving_lock(&args.store, reset)?;
    let replay_started = std::time::Instant::now();
    let (service, stores) = args.store.open_running()?;
    let replay_took = replay_started.elapsed();
    if args.demo {
        let marker = args.store.data.join(DEMO_MARKER);
        if service.read().size == 0 {
            // Marked first: a load that fails half-way is still the demonstration's, which
            // `demo --reset` may empty.
            std::fs::write(
                &marker,
                "thidua demo: dữ liệu minh hoạ / demonstration data (`thidua demo --reset` may empty this directory)\n",
            )?;
            demo::load(&service, &*stores.accounts)?.write(&args.store.data)?;
            demo_witness::register(&service, &args.store.data)?;
            sayln!("Đã nạp dữ liệu minh hoạ Cụm thi đua số 12 / loaded the Cluster No. 12 demonstration")?;
        }
        // A log the demonstration did not load (another database given with --database).
        anyhow::ensure!(
            marker.is_file(),
            "{REFUSE_DEMO} {}: the log holds {} events the demonstration did not write",
            args.store.data.display(),
            service.read().size
        );
        print_demo_accounts(&args.store.data)?;
        // The demonstration's two witnesses cosign as real ones would (marked as such).
        if let Some(w) = demo_witness::DemoWitnesses::open(
            service.clone(),
            stores.witnesses.clone(),
            &args.store.data,
        )? {
            w.cosign_newest()?;
            w.spawn(Duration::from_secs(2));
        }
    }
    sayln!(
        "Khoá công khai của nhật ký / log verifier key: {}",
        service.key().verifier_key()
    )?;
    if let Some(warning) = thidua_transparency::cosign::retired_quorum_warning() {
        errln!("{warning}");
    }
    service.spawn_follower(Duration::from_millis(250));
    // A start from a snapshot skipped the older entries: check them while serving.
    service.spawn_audit();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let config = thidua_web::WebConfig {
        secure_cookies: args.secure_cookies,
        trusted_proxies: args.trusted_proxies.clone(),
        limits: thidua_web::server::Limits {
            max_connections: args.max_connections,
            ..Default::default()
        },
        metrics_access: match (&args.metrics_token, args.metrics_public) {
            (_, true) => thidua_web::metrics::MetricsAccess::Public,
            (Some(token), false) => thidua_web::metrics::MetricsAccess::Token(token.clone()),
            (None, false) => thidua_web::metrics::MetricsAccess::Off,
        },
        ..thidua_web::WebConfig::new(args.bind)
    };
    config.metrics.replayed(service.read().size, replay_took);
    // The public log endpoints (checkpoint with cosignatures, proofs, leaves, entries filtered
    // by the caller's rights, witnesses' cosignatures).
    let log_api = thidua_transparency::router(
        service.clone(),
        stores.witnesses.clone(),
        thidua_transparency::LogApiConfig {
            access: Arc::new(ReadAsTheCaller(stores.accounts.clone())),
        },
    );
    let size = service.read().size;
    runtime.block_on(async {
        // The signals are caught from here on, before the address is announced: a stop asked
        // as soon as the server says it serves is a graceful one too.
        let stop = crate::terminal::stop_requested()?;
        // Either signal stops it gracefully, with status 0.
        let stop = async {
            stop.await;
        };
        thidua_web::serve_witnessed(
            service,
            stores.accounts,
            config,
            Some(log_api),
            Some(thidua_web::Witnessing::new(stores.witnesses)),
            // A standard output nobody reads any more (`thidua serve | head -3`) loses the
            // line; the server goes on serving.
            move |addr| {
                let _ = sayln!("Thi Đua: http://{addr}/ ({size} sự kiện / events)");
            },
            stop,
        )
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A listener on `address`, or the error saying the address cannot be listened on.
fn bind(address: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    anyhow::Context::with_context(std::net::TcpListener::bind(address), || {
        format!("không nghe được trên / cannot listen on {address} (--bind)")
    })
}

/// Entries of the log are readable by a caller exactly as the history page shows them.
struct ReadAsTheCaller(Arc<dyn AccountStore>);

impl thidua_transparency::EntryAccess for ReadAsTheCaller {
    fn reader(&self, headers: &axum::http::HeaderMap) -> thidua_transparency::api::EntryReader {
        thidua_web::event_reader(&*self.0, headers)
    }
}

/// The demonstration's accounts, password and pages, on standard output (a closed one loses
/// them: the server goes on).
fn print_demo_accounts(data: &std::path::Path) -> std::io::Result<()> {
    sayln!("Tài khoản minh hoạ (người và tài khoản đều là giả định) / demonstration accounts (invented):")?;
    for account in demo::accounts() {
        sayln!(
            "  {:<14} {:<28} {}",
            account.user,
            account.role.to_string(),
            account.name
        )?;
    }
    sayln!("  Mật khẩu / password: {}", demo::DEMO_PASSWORD)?;
    sayln!(
        "Tổng kết năm 2024 / the 2024 year-end: /covenants/{c}/yearend, kết quả / results: /covenants/{c}/results",
        c = demo::COVENANT
    )?;
    sayln!(
        "Tiến độ và điểm tạm tính / progress and provisional scores: /covenants/{c}/progress; các cụm / every cluster (giám sát / supervisors): /progress",
        c = demo::COVENANT
    )?;
    sayln!(
        "Bỏ phiếu đang mở / open vote: /elections/{v}; sau khi đóng vòng, đơn vị giữ khoá giải mã \
         bằng / once the round is closed, trustees decrypt with: THIDUA_TOKEN=… thidua trustee \
         decrypt --server URL --election {v} --unit ca-kg --state {} (mã API trong biến môi \
         trường, không trên dòng lệnh / the API token in the environment, never on the command \
         line)",
        data.join(crate::demo_vote::TRUSTEES_DIR)
            .join("ca-kg.json")
            .display(),
        v = crate::demo_vote::OPEN_VOTE
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `demo --reset` empties only a directory the demonstration made (or an empty one); a
    /// directory holding anything else is refused and left exactly as it was.
    #[test]
    fn reset_empties_only_a_demonstration_directory() {
        let real = tempfile::tempdir().unwrap();
        std::fs::write(real.path().join("thidua.db"), b"a real log").unwrap();
        std::fs::write(real.path().join("log-signing.key"), b"a real key").unwrap();
        let refused = reset_demo_dir(real.path()).unwrap_err().to_string();
        assert!(refused.contains(DEMO_MARKER), "{refused}");
        assert_eq!(
            std::fs::read(real.path().join("thidua.db")).unwrap(),
            b"a real log"
        );
        assert!(real.path().join("log-signing.key").is_file());

        let demo = tempfile::tempdir().unwrap();
        std::fs::write(demo.path().join(DEMO_MARKER), b"demo").unwrap();
        std::fs::write(demo.path().join("thidua.db"), b"demo log").unwrap();
        std::fs::create_dir(demo.path().join("witnesses")).unwrap();
        std::fs::write(demo.path().join("witnesses/ca-kg.key"), b"k").unwrap();
        drop(reset_demo_dir(demo.path()).unwrap());
        assert!(demo.path().is_dir(), "the directory itself stays");
        assert!(demo_dir_entries(demo.path(), "").unwrap().is_empty());
        assert!(
            !real.path().join(LOCK_FILE).exists(),
            "nothing made in a refused one"
        );

        let empty = tempfile::tempdir().unwrap();
        drop(reset_demo_dir(empty.path()).unwrap());
        drop(reset_demo_dir(&empty.path().join("missing")).unwrap());
    }
}
