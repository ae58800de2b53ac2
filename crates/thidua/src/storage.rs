//! Where the log lives: the options shared by every command that opens the database, and the
//! code that opens the right backend and replays the log into a [`Service`]. This is the one
//! place that opens a database ([`Stores`]); the library crates take the store traits.

use crate::output::errln;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use thidua_service::{LogKey, OpenOptions, OpenReport, Service, SystemEnvironment};
use thidua_store::accounts::AccountStore;
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;
use thidua_store_postgres::PostgresStore;
use thidua_store_sqlite::SqliteStore;

/// What a refusal of the PostgreSQL driver is prefixed with.
const OPENING_POSTGRES: &str = "không mở được PostgreSQL / opening PostgreSQL";

/// The default name of the log (the checkpoint origin line and the key's name).
pub const DEFAULT_ORIGIN: &str = "thidua.local/log";

/// Options that say which database and which signing key to use.
#[derive(clap::Args, Clone, Debug)]
pub struct StoreArgs {
    /// Thư mục dữ liệu (SQLite, khoá ký) / data directory (SQLite database, signing key).
    #[arg(long, env = "THIDUA_DATA", default_value = "./data")]
    pub data: PathBuf,
    /// PostgreSQL thay cho SQLite / use PostgreSQL instead of SQLite: postgres://user:pass@host/db
    #[arg(long, env = "THIDUA_DATABASE_URL", hide_env_values = true)]
    pub database: Option<String>,
    /// Tệp chứa URL PostgreSQL / read the postgres:// URL (with its password) from this file,
    /// so that it appears on no command line; e.g. /etc/thidua/database-url, mode 0600.
    #[arg(long, env = "THIDUA_DATABASE_URL_FILE", conflicts_with = "database")]
    pub database_file: Option<PathBuf>,
    /// Tệp khoá ký nhật ký / the log's signing key file (default: DATA/log-signing.key).
    #[arg(long, env = "THIDUA_KEY")]
    pub key: Option<PathBuf>,
    /// Tên nhật ký / the log's origin, used when the key is created.
    #[arg(long, env = "THIDUA_ORIGIN", default_value = DEFAULT_ORIGIN)]
    pub origin: String,
}

impl StoreArgs {
    pub fn sqlite_path(&self) -> PathBuf {
        self.data.join("thidua.db")
    }

    pub fn key_path(&self) -> PathBuf {
        self.key
            .clone()
            .unwrap_or_else(|| self.data.join("log-signing.key"))
    }

    /// Opens the configured backend (running migrations).
    pub fn open_store(&self) -> anyhow::Result<Arc<dyn EventStore>> {
        Ok(self.open_stores()?.events)
    }

    /// The PostgreSQL URL, from `--database` (or `THIDUA_DATABASE_URL`) or the file
    /// `--database-file` names (its first line): the one place every command reads the
    /// database option. A value that is not a `postgres://` (or `postgresql://`) URL is refused
    /// here, before any driver sees it, and the refusal never repeats it (it may hold a
    /// password: `postgress://user:PASSWORD@host/db`).
    pub fn database_url(&self) -> anyhow::Result<Option<DatabaseUrl>> {
        if let Some(path) = &self.database_file {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!(
                    "không đọc được địa chỉ cơ sở dữ liệu / cannot read the database URL from {}",
                    path.display()
                )
            })?;
            let url = text.lines().next().unwrap_or("").trim().to_owned();
            anyhow::ensure!(
                !url.is_empty(),
                "tệp không có địa chỉ cơ sở dữ liệu / {} holds no database URL",
                path.display()
            );
            return DatabaseUrl::parse(url, &format!("--database-file {}", path.display()))
                .map(Some);
        }
        match &self.database {
            Some(url) => DatabaseUrl::parse(url.clone(), "--database").map(Some),
            None => Ok(None),
        }
    }

    /// Opens the configured backend once, with all its faces.
    pub fn open_stores(&self) -> anyhow::Result<Stores> {
        match &self.database_url()? {
            Some(url) => Stores::postgres(url),
            None => Stores::sqlite(&self.sqlite_path()),
        }
    }

    /// Opens an existing database for a command that only reads: it never creates a data
    /// directory, a database or a signing key, and refuses a missing one with a clear error.
    /// `elsewhere` ends that error with the command's other form, if it has one (e.g. "; use
    /// --server URL --token TOKEN --log-key KEY to read a server's log"). Opening still brings
    /// an existing database's schema up to date, as every command does.
    pub fn open_existing_stores(&self, elsewhere: &str) -> anyhow::Result<Stores> {
        match &self.database_url()? {
            Some(url) => {
                anyhow::ensure!(
                    PostgresStore::holds_log(url.secret())
                        .map_err(|e| url.redacted_error(e, OPENING_POSTGRES))?,
                    "cơ sở dữ liệu PostgreSQL chưa có nhật ký / the PostgreSQL database holds no log{elsewhere}"
                );
                let stores = self.open_stores()?;
                anyhow::ensure!(
                    stores.events.size()? > 0,
                    "cơ sở dữ liệu PostgreSQL chưa có nhật ký / the PostgreSQL database holds no log{elsewhere}"
                );
                Ok(stores)
            }
            None => {
                let path = self.sqlite_path();
                anyhow::ensure!(
                    path.is_file(),
                    "không có cơ sở dữ liệu tại / no database at {} (give --data DIR of an \
                     existing one, or --database URL){elsewhere}",
                    path.display()
                );
                self.open_stores()
            }
        }
    }

    /// Opens an existing database and replays the log, for a command that only reads
    /// ([`open_existing_stores`](Self::open_existing_stores)): nothing is created, and no
    /// snapshot is written. With `log_key` (the log's public verifier key) the signing key is
    /// never read, so a reader needs no secret; without it, the signing key file.
    pub fn open_read_only(
        &self,
        elsewhere: &str,
        log_key: Option<&str>,
    ) -> anyhow::Result<Arc<Service>> {
        Ok(self.open_read_only_stores(elsewhere, log_key)?.0)
    }

    /// [`open_read_only`](Self::open_read_only), with the store's other faces.
    pub fn open_read_only_stores(
        &self,
        elsewhere: &str,
        log_key: Option<&str>,
    ) -> anyhow::Result<(Arc<Service>, Stores)> {
        let options = OpenOptions {
            snapshots: thidua_service::SnapshotPolicy { every: 0 },
            ..OpenOptions::default()
        };
        self.open_existing_with(elsewhere, options, KeyUse::Read(log_key))
    }

    /// Opens an existing database and its existing signing key to change it (a command that
    /// acts on what is there, such as resetting a password): nothing is created, a mistyped
    /// `--data` is refused ([`open_existing_stores`](Self::open_existing_stores)).
    pub fn open_existing_running(&self) -> anyhow::Result<(Arc<Service>, Stores)> {
        self.open_existing_with("", OpenOptions::default(), KeyUse::Sign)
    }

    /// An existing database and the key `key` asks for, the log replayed with `options`.
    fn open_existing_with(
        &self,
        elsewhere: &str,
        options: OpenOptions,
        key: KeyUse,
    ) -> anyhow::Result<(Arc<Service>, Stores)> {
        let stores = self.open_existing_stores(elsewhere)?;
        let key = match key {
            KeyUse::Read(Some(verifier)) => self.public_key(&stores, verifier)?,
            KeyUse::Read(None) | KeyUse::Sign => {
                let key_path = self.key_path();
                let read = match key {
                    KeyUse::Read(_) => " or --log-key KEY (the log's public key) to only read",
                    KeyUse::Sign => "",
                };
                anyhow::ensure!(
                    key_path.is_file(),
                    "không có khoá ký tại / no signing key at {} (give --key FILE{read}; a \
                     command on an existing log never creates one){elsewhere}",
                    key_path.display()
                );
                self.signing_key(&stores, false)?
            }
        };
        let (service, _) = replay(&stores, key, options)?;
        Ok((Arc::new(service), stores))
    }

    /// Whether opening would create a new SQLite database (no file at `--data` yet): a command
    /// that may start a deployment (`migrate`, `user add`) says so with [`Self::say_created`],
    /// so that a mistyped `--data` does not pass unnoticed.
    pub fn would_create(&self) -> anyhow::Result<bool> {
        Ok(self.database_url()?.is_none() && !self.sqlite_path().exists())
    }

    /// Tells the operator (on standard error) that a new, empty deployment was created.
    pub fn say_created(&self) {
        errln!(
            "Đã tạo cơ sở dữ liệu mới tại / created a new database at {} (if you meant an \
             existing deployment, check --data)",
            self.sqlite_path().display()
        );
    }

    /// Opens the store and replays the log, with a progress bar on a terminal.
    pub fn open_service(&self) -> anyhow::Result<Arc<Service>> {
        Ok(self.open_running()?.0)
    }

    /// Opens the store, replays the log, and returns the service with the store's other faces.
    pub fn open_running(&self) -> anyhow::Result<(Arc<Service>, Stores)> {
        let (service, stores, _) = self.open_with(OpenOptions::default())?;
        Ok((service, stores))
    }

    /// Opens the store and rebuilds the state with `options`; reports how it was rebuilt.
    pub fn open_with(
        &self,
        options: OpenOptions,
    ) -> anyhow::Result<(Arc<Service>, Stores, OpenReport)> {
        let stores = self.open_stores()?;
        let key = self.signing_key(&stores, true)?;
        let (service, report) = replay(&stores, key, options)?;
        Ok((Arc::new(service), stores, report))
    }
}

impl StoreArgs {
    /// The signing key of the log these options name, for `thidua log key`: when a log is
    /// there (`--data` holds a database, or `--database` one with a log), the key must have
    /// signed its newest checkpoint ([`Self::signing_key`], as every command that opens the
    /// log checks it); without a log, the key file alone (a key made before the first start).
    /// Nothing is created, and nothing is replayed.
    pub fn existing_key(&self) -> anyhow::Result<LogKey> {
        let path = self.key_path();
        anyhow::ensure!(
            path.is_file(),
            "không có khoá ký tại / no signing key at {} (give --data DIR of the log, or --key \
             FILE)",
            path.display()
        );
        let has_log = match &self.database_url()? {
            Some(url) => PostgresStore::holds_log(url.secret())
                .map_err(|e| url.redacted_error(e, OPENING_POSTGRES))?,
            None => self.sqlite_path().is_file(),
        };
        if !has_log {
            return Ok(LogKey::load(&path)?);
        }
        self.signing_key(&self.open_stores()?, false)
    }

    /// The log's public key `verifier` alone, for reading the log in `stores`: refused unless it
    /// signed the log's newest checkpoint, naming the key that did.
    fn public_key(&self, stores: &Stores, verifier: &str) -> anyhow::Result<LogKey> {
        let key = LogKey::verifier_only(verifier).context(
            "--log-key: không phải khoá công khai của nhật ký / not a log verifier key \
             (name+hash+base64)",
        )?;
        let newest = match stores.events.size()? {
            0 => None,
            _ => stores.events.latest_checkpoint()?,
        };
        if let Some(checkpoint) = &newest {
            let signers = note_signers(&checkpoint.note).join(", ");
            anyhow::ensure!(
                key.open_note(&checkpoint.note).is_ok(),
                "khoá công khai --log-key không ký nhật ký này / the log key {} did not sign \
                 this log (its checkpoints are signed by {signers})",
                key_id(key.verifier_key()),
            );
        }
        Ok(key)
    }

    /// The log's signing key (`--key`, default DATA/log-signing.key) for the log in `stores`.
    /// A key is created (when `create`) only for an empty log: a log that holds entries was
    /// signed by a key that exists somewhere, and a new one could never sign its next
    /// checkpoint. A key that did not sign the log's newest checkpoint is refused, naming the
    /// key that did.
    fn signing_key(&self, stores: &Stores, create: bool) -> anyhow::Result<LogKey> {
        let path = self.key_path();
        let size = stores.events.size()?;
        let newest = match size {
            0 => None,
            _ => stores.events.latest_checkpoint()?,
        };
        let signed_by = || {
            newest
                .as_ref()
                .map(|c| note_signers(&c.note).join(", "))
                .filter(|s| !s.is_empty())
                .map_or(String::new(), |s| {
                    format!(" (its checkpoints are signed by {s})")
                })
        };
        if !path.exists() {
            anyhow::ensure!(
                size == 0,
                "không có khoá ký tại / no signing key at {}, and the log already holds {size} \
                 entries{}: a key is created only for an empty log — give --key the key file \
                 that signed this log",
                path.display(),
                signed_by()
            );
            anyhow::ensure!(
                create,
                "không có khoá ký tại / no signing key at {} (give --key FILE)",
                path.display()
            );
            return Ok(LogKey::load_or_create(&path, &self.origin)?);
        }
        let key = LogKey::load(&path)?;
        if let Some(checkpoint) = &newest {
            anyhow::ensure!(
                key.open_note(&checkpoint.note).is_ok(),
                "khoá ký {} không ký nhật ký này / the key {} ({}) did not sign this log{} — give \
                 --key the key file that did",
                path.display(),
                path.display(),
                key_id(key.verifier_key()),
                signed_by()
            );
        }
        Ok(key)
    }
}

/// Which key a command opens an existing log with.
#[derive(Clone, Copy)]
enum KeyUse<'a> {
    /// The signing key: the command appends.
    Sign,
    /// The command only reads: the public key given (`--log-key`), else the signing key file.
    Read(Option<&'a str>),
}

/// [`StoreArgs`] of a command that only reads the log: the log's public key (`--log-key`)
/// stands in for its signing key, which only a server (or a command that appends) needs, so
/// that exporting or printing from a database never asks for the secret.
#[derive(clap::Args, Clone, Debug)]
pub struct ReadStoreArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Khoá công khai của nhật ký / the log's public verifier key (`thidua log key`, GET
    /// /api/v1/log/key): read the database with it, without the signing key file.
    #[arg(long, env = "THIDUA_LOG_KEY")]
    pub log_key: Option<String>,
}

impl ReadStoreArgs {
    /// [`StoreArgs::open_read_only`] with `--log-key`.
    pub fn open_read_only(&self, elsewhere: &str) -> anyhow::Result<Arc<Service>> {
        self.store
            .open_read_only(elsewhere, self.log_key.as_deref())
    }

    /// [`StoreArgs::open_read_only_stores`] with `--log-key`.
    pub fn open_read_only_stores(&self, elsewhere: &str) -> anyhow::Result<(Arc<Service>, Stores)> {
        self.store
            .open_read_only_stores(elsewhere, self.log_key.as_deref())
    }
}

/// A verifier key's name and hash (`name+hash`), without the public key itself.
fn key_id(verifier_key: &str) -> String {
    verifier_key
        .splitn(3, '+')
        .take(2)
        .collect::<Vec<_>>()
        .join("+")
}

/// The `name+hash` of each signature of a signed note (its lines `— name base64(hash‖sig)`
/// after the blank line), as a verifier key starts.
fn note_signers(note: &str) -> Vec<String> {
    let Some((_, signatures)) = note.split_once("\n\n") else {
        return Vec::new();
    };
    signatures
        .lines()
        .filter_map(|line| {
            let (name, sig) = line.strip_prefix("\u{2014} ")?.rsplit_once(' ')?;
            let hash = base64_prefix(sig.get(..8)?)?;
            Some(format!("{name}+{}", hex::encode(&hash[..4])))
        })
        .collect()
}

/// Decodes 8 characters of standard base64 (6 bytes): enough for a signature's key hash.
fn base64_prefix(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for &c in chunk {
            n = (n << 6) | value(c)?;
        }
        out.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    Some(out)
}

/// Rebuilds the state of `stores`' log signed with `key`, with a progress bar on a terminal.
fn replay(
    stores: &Stores,
    key: LogKey,
    options: OpenOptions,
) -> anyhow::Result<(Service, OpenReport)> {
    let progress = Progress::new("Đọc lại nhật ký / replaying the log");
    let opened = Service::open_full(
        stores.events.clone(),
        key,
        Box::new(SystemEnvironment),
        options,
        &|done, total| progress.set(done, total),
    )?;
    progress.finish();
    Ok(opened)
}

/// A PostgreSQL URL as the operator gave it, checked to be one (`postgres://` or
/// `postgresql://`). It holds a password: it is shown by no `Debug` or `Display`, and an error
/// that could repeat it goes through [`redacted_error`](Self::redacted_error).
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// `url` if it is a PostgreSQL URL; `option` names where it came from in the refusal, which
    /// never repeats the value.
    fn parse(url: String, option: &str) -> anyhow::Result<Self> {
        let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => Ok(Self(url)),
            _ => anyhow::bail!(
                "{option} phải là một URL postgres:// (SQLite dùng --data) / {option} must be a \
                 postgres:// or postgresql:// URL (SQLite uses --data); the value is not shown \
                 here, since it may hold a password"
            ),
        }
    }

    /// The URL itself, for the driver only.
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// The passwords in the URL: the user-info's (as written and percent-decoded) and a
    /// `password=` query parameter's.
    fn passwords(&self) -> Vec<String> {
        let rest = self.0.split_once("://").map_or("", |(_, r)| r);
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut found = Vec::new();
        if let Some((userinfo, _)) = before_query.rsplit_once('@') {
            if let Some((_, password)) = userinfo.split_once(':') {
                found.push(password.to_owned());
            }
        }
        for pair in query.split('&') {
            if let Some(("password", value)) = pair.split_once('=') {
                found.push(value.to_owned());
            }
        }
        let decoded: Vec<String> = found.iter().map(|p| percent_decode(p)).collect();
        found.extend(decoded);
        found.retain(|p| !p.is_empty());
        // Longest first, so that a password holding another is replaced whole.
        found.sort_by_key(|p| std::cmp::Reverse(p.len()));
        found
    }

    /// `message` with every password of the URL replaced by `***`.
    pub fn redact(&self, message: &str) -> String {
        self.passwords()
            .iter()
            .fold(message.to_owned(), |m, p| m.replace(p.as_str(), "***"))
    }

    /// A driver's error about this URL, with `context`, its password removed (a driver may
    /// quote the URL whole, e.g. in "invalid connection string").
    pub fn redacted_error(&self, err: impl std::fmt::Display, context: &str) -> anyhow::Error {
        anyhow::anyhow!("{}", self.redact(&format!("{context}: {err}")))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseUrl(***)")
    }
}

/// Decodes the `%XX` escapes of a URL's part (invalid UTF-8 replaced, never refused: only
/// for reading options and finding the passwords to hide).
fn percent_decode(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// One opened database seen through each of its traits: the event log, the accounts
/// (credentials and sessions, which are not events) and the witnesses' cosignatures.
pub struct Stores {
    pub events: Arc<dyn EventStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub witnesses: Arc<dyn WitnessStore>,
    /// A backup's temporary copy, kept while the stores are in use.
    _copy: Option<tempfile::TempDir>,
}

impl Stores {
    /// The SQLite database at `path` (created if missing; migrations run).
    pub fn sqlite(path: &Path) -> anyhow::Result<Self> {
        let store = Arc::new(SqliteStore::open(path).with_context(|| {
            format!(
                "không mở được cơ sở dữ liệu {0} / cannot open the database {0}",
                path.display()
            )
        })?);
        Ok(Self {
            events: store.clone(),
            accounts: store.clone(),
            witnesses: store,
            _copy: None,
        })
    }

    /// The PostgreSQL database at `url` (migrations run). The URL's password never reaches an
    /// error ([`DatabaseUrl::redacted_error`]).
    pub fn postgres(url: &DatabaseUrl) -> anyhow::Result<Self> {
        let store = Arc::new(
            PostgresStore::open(url.secret())
                .map_err(|e| url.redacted_error(e, OPENING_POSTGRES))?,
        );
        Ok(Self {
            events: store.clone(),
            accounts: store.clone(),
            witnesses: store,
            _copy: None,
        })
    }

    /// A SQLite backup file, opened from a private temporary copy so that reading it never
    /// changes it (opening runs migrations). The copy goes with the stores.
    pub fn backup(path: &Path) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir().context("making a temporary directory")?;
        let copy = dir.path().join("backup.db");
        std::fs::copy(path, &copy).with_context(|| {
            format!(
                "không đọc được bản sao lưu {0} / cannot read the backup {0}",
                path.display()
            )
        })?;
        // Said of the file the user named, never of the private copy.
        let mut stores = Self::sqlite(&copy).map_err(|e| {
            let why = e.root_cause();
            anyhow::anyhow!(
                "{0} không phải bản sao lưu cơ sở dữ liệu SQLite đọc được / {0} is not a \
                 readable SQLite backup: {why}",
                path.display()
            )
        })?;
        stores._copy = Some(dir);
        Ok(stores)
    }
}

/// A progress report: a bar on a terminal, a few plain lines otherwise.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    label: &'static str,
    last_line: std::sync::atomic::AtomicU64,
}

impl Progress {
    pub fn new(label: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({per_sec})")
                    .expect("valid template"),
            );
            bar.set_message(label);
            bar
        });
        Self {
            bar,
            label,
            last_line: 0.into(),
        }
    }

    pub fn set(&self, done: u64, total: u64) {
        match &self.bar {
            Some(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            None => {
                // Plain output: one line per tenth of the work.
                let step = (total / 10).max(1);
                let last = self.last_line.load(std::sync::atomic::Ordering::Relaxed);
                if done == total || done >= last + step {
                    self.last_line
                        .store(done, std::sync::atomic::Ordering::Relaxed);
                    errln!("{}: {done}/{total}", self.label);
                }
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A driver error that quotes the URL (as the driver's "invalid connection string" does)
    /// reaches the operator without the password, written plainly or percent-encoded, in the
    /// user-info or as a `password=` parameter; the URL itself is never shown by `Debug`.
    #[test]
    fn a_driver_error_quoting_the_url_loses_its_password() {
        let url = DatabaseUrl::parse(
            "postgres://thidua:Se%2Fcret@db.internal/thidua?password=Other&sslmode=require".into(),
            "--database",
        )
        .unwrap();
        let driver = format!(
            "invalid connection string: unknown option `{}`, password Se/cret",
            url.secret()
        );
        let shown = format!("{:#}", url.redacted_error(driver, OPENING_POSTGRES));
        assert!(
            shown.starts_with(&format!("{OPENING_POSTGRES}: invalid connection")),
            "{shown}"
        );
        for secret in ["Se%2Fcret", "Se/cret", "Other"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("thidua:***@db.internal"), "{shown}");
        assert!(!format!("{url:?}").contains("Se"));
        let refused = DatabaseUrl::parse("postgress://u:TypoPW@h/db".into(), "--database");
        let refused = format!("{:#}", refused.unwrap_err());
        assert!(!refused.contains("TypoPW"), "{refused}");
        assert!(DatabaseUrl::parse("postgresql://u@h/db".into(), "--database").is_ok());
    }
}
