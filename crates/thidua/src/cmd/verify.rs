//! `thidua verify`: the independent verifier. It reads a log from a server (`--server`, with an
//! API token for entries the caller may read), a database (`--data`/`--database`) or a SQLite
//! backup (`--backup`), and checks everything against keys from flags or a trust file; see
//! `thidua_transparency::verify`. It then recomputes every mid-year review, year-end draw and
//! publication it may read, a member's readable part of the log as well as a whole one, and
//! builds again every issued document whose content it reads (`thidua_docs::rebuild`) and checks
//! every evidence file of the dossiers it reads against what is stored for it
//! ([`super::evidence`]). A difference, or a result that cannot be recomputed from what the
//! caller reads, exits non-zero with a precise message; so does a checkpoint without the quorum
//! of the witnesses the log itself registers, unless `--allow-unwitnessed`.
//!
//! [`check`] is the one way the command line fetches, verifies and replays a log: `thidua
//! assign --verify --server` and `thidua figures export --server` go through it too
//! ([`ServerLogArgs`]).
//!
//! A log that could not be read (the server cannot be reached, answers with an HTTP error or
//! with something unreadable; a database that cannot be read) is not a log that does not
//! verify: the messages say which ([`unreadable`]), and `thidua verify` exits with
//! [`EXIT_UNREADABLE`] (2) for the first and [`EXIT_FAILED`] (1) for the second.
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use thidua_domain::documents::IssuedDocument;
use thidua_domain::votes::receipt::Found;
use thidua_domain::CovenantId;
use thidua_ledger::{CosignatureVerifier, NoteVerifier, Verifier};
use thidua_transparency::client::{ClientError, Failure, HttpLog, LocalLog, LogClient};
use thidua_transparency::trust::{parse_log_key, parse_witness_key, Trust};
use thidua_transparency::verify::{
    AfterReplay, LogWitnesses, Recomputed, Summary, Verification, VerifyError,
};

use crate::output::{self, errln, outln};
use crate::storage::{Progress, StoreArgs, Stores};

/// Exit status of `thidua verify` when the log does not verify (or a result differs).
pub const EXIT_FAILED: u8 = 1;
/// Exit status of `thidua verify` when the log cannot be read: the server cannot be reached,
/// answers with an HTTP error or with something unreadable (nothing was verified).
pub const EXIT_UNREADABLE: u8 = 2;

#[derive(clap::Args)]
#[command(
    after_help = "Mã thoát / exit status: 0 nhật ký hợp lệ / the log verified; \
    1 KHÔNG KHỚP / VERIFICATION FAILED: the log does not verify or a recomputed result differs \
    (also every other error: wrong options — a witness given twice included —, a trust or \
    state file that cannot be read); \
    2 không kết nối được máy chủ / cannot reach the server, or it refused (HTTP error) or \
    answered something unreadable, or the database or backup cannot be read: nothing was \
    verified."
)]
pub struct VerifyArgs {
    /// Máy chủ / verify a running server, e.g. http://thidua.cum12.example
    #[arg(long, conflicts_with = "backup")]
    pub server: Option<String>,
    /// Mã API / API token (Bearer) for reading entries on the server (a member's, made on the
    /// server's /account page); without it every entry is hidden and no result is recomputed.
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
    /// Chấp nhận bản chốt sổ chưa đủ nhân chứng / accept a checkpoint that carries fewer
    /// cosignatures than the quorum the log records from the witnesses it registers (without
    /// it such a checkpoint fails: a history rewritten by the log key's holder looks so).
    #[arg(long)]
    pub allow_unwitnessed: bool,
    /// Tệp trạng thái / the last checkpoint verified (read, then updated on success).
    #[arg(long, default_value = "thidua-verify.state")]
    pub state: PathBuf,
    /// Không dùng tệp trạng thái / do not read or write a state file.
    #[arg(long)]
    pub no_state: bool,
    /// Tóm tắt dạng JSON trên đầu ra chuẩn / a JSON summary on standard output.
    #[arg(long)]
    pub json: bool,
    /// Biên nhận phiếu bầu / a ballot's receipt to find in the verified log, as `thidua vote`
    /// printed it: RECORD:HASH (repeatable); one not found, or no longer counted, is said, and
    /// one not found fails the command.
    #[arg(long = "receipt", value_name = "RECORD:HASH")]
    pub receipts: Vec<String>,
    /// Không tính lại tổng kết năm và sơ kết 6 tháng / skip recomputing year-end draws and
    /// results and mid-year reviews (they need every event in memory).
    #[arg(long)]
    pub skip_yearend: bool,
}

/// A server's log read as a member reads it and checked as `thidua verify` checks it: the
/// options of the commands that recompute from a server's log instead of a database.
#[derive(clap::Args, Clone, Debug)]
pub struct ServerLogArgs {
    /// Máy chủ / read the log of this server (checked as `thidua verify` checks it) instead of
    /// a database, e.g. https://thidua.cum12.example
    #[arg(long)]
    pub server: Option<String>,
    /// Mã API / a member's API token (made on the server's /account page) to read the entries
    /// the member may read.
    #[arg(long, env = "THIDUA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Khoá công khai của nhật ký / the log's verifier key (GET /api/v1/log/key, or the
    /// server's /transparency page; better from a second source).
    #[arg(long, env = "THIDUA_LOG_KEY")]
    pub log_key: Option<String>,
    /// Tệp CA (PEM) / also trust the CAs in this PEM file for an https:// server.
    #[arg(long, env = "THIDUA_CA_FILE")]
    pub ca_file: Option<PathBuf>,
}

/// The end of the "no database" error of a command that also reads a server's log.
pub const USE_SERVER: &str =
    "; or read a server's log: THIDUA_TOKEN=… (a member's token) --server URL --log-key KEY";

impl ServerLogArgs {
    /// Fetches, verifies and replays the server's log (no witnesses required, no state file),
    /// recomputing the published results when `recompute`. A verification failure is an
    /// error naming the server; so is a log of which the token reads nothing.
    pub fn check(
        &self,
        recompute: bool,
        documents: Option<&DocumentSource>,
    ) -> anyhow::Result<Checked> {
        let url = self.server.as_deref().context("--server")?;
        let key = self.log_key.as_deref().with_context(|| {
            let page = format!("{}/transparency", url.trim_end_matches('/'));
            format!(
                "hãy cho khoá công khai của nhật ký bằng --log-key (có trên {page}; nên đối \
                 chiếu qua một kênh khác) / give the log's verifier key with --log-key (shown on \
                 {page}; better checked with a second source)"
            )
        })?;
        let log_key = parse_log_key(key).map_err(anyhow::Error::msg)?;
        let client = HttpLog::with_ca(url, self.token.clone(), self.ca_file.as_deref())?;
        let checked = check(
            &client,
            &log_key,
            &Witnesses::default(),
            None,
            recompute,
            documents,
            &[],
        );
        let checked = checked.map_err(|e| match e {
            VerifyError::Client(c) => anyhow::anyhow!("{}", unreadable(&c, true)),
            e => anyhow::anyhow!("KHÔNG KHỚP / VERIFICATION FAILED ({url}): {e}"),
        })?;
        if checked.summary.replayed == 0 && checked.summary.size > 0 {
            anyhow::bail!(
                "đã kiểm {size} mục nhưng không đọc được nội dung mục nào: cần mã API của một \
                 thành viên trong THIDUA_TOKEN / {size} entries verified, but none of their \
                 contents could be read: {NEED_TOKEN}",
                size = checked.summary.size,
            );
        }
        Ok(checked)
    }
}

/// A database's log checked as `thidua verify` checks it before anything is read from it: the
/// entries' hashes, the tree and the signed checkpoint, with `log_key` when given, else the
/// database's own key; then replayed, and the published results recomputed when `recompute`.
/// A log that does not verify is an error saying where (an altered entry is never replayed
/// as if it held).
pub fn check_local(
    store: &StoreArgs,
    log_key: Option<&str>,
    recompute: bool,
) -> anyhow::Result<Checked> {
    let stores = store.open_existing_stores(USE_SERVER)?;
    let key = match log_key {
        Some(k) => parse_log_key(k).map_err(anyhow::Error::msg)?,
        None => {
            let key = thidua_service::LogKey::load(&store.key_path())?;
            parse_log_key(key.verifier_key()).map_err(anyhow::Error::msg)?
        }
    };
    let client = LocalLog::new(stores.events.clone(), None, "the local database");
    check(
        &client,
        &key,
        &Witnesses::default(),
        None,
        recompute,
        None,
        &[],
    )
    .map_err(|e| match e {
        VerifyError::Client(c) => anyhow::anyhow!("{}", unreadable(&c, false)),
        e => anyhow::anyhow!("KHÔNG KHỚP / VERIFICATION FAILED: {e}"),
    })
}

/// The canonical content `log`'s server serves for the issued document `sha256`: `Ok(None)`
/// when the token may not read it (not found), `Err` with the server's own code and message
/// when it refuses otherwise (an altered content is `document_content_altered`) or cannot be
/// reached.
pub fn served_content(log: &ServerLogArgs, sha256: &str) -> Result<Option<Vec<u8>>, String> {
    served_file(log, &format!("/api/v1/documents/{sha256}/content"))
}

/// The file `log`'s server serves at `path` (at most 32 MiB, an evidence file's limit):
/// `Ok(None)` when the token may not read it (not found), `Err` when it refuses otherwise or
/// cannot be reached.
fn served_file(log: &ServerLogArgs, path: &str) -> Result<Option<Vec<u8>>, String> {
    let server = log.server.as_deref().ok_or("--server")?;
    let url = format!("{}{path}", server.trim_end_matches('/'));
    let agent = thidua_transparency::client::http_agent(log.ca_file.as_deref())
        .map_err(|e| e.to_string())?;
    let mut request = agent.get(&url);
    if let Some(token) = &log.token {
        let bearer = thidua_transparency::client::bearer(token).map_err(|e| e.to_string())?;
        request = request.set("authorization", &bearer);
    }
    let reader = match request.call() {
        Ok(response) => response.into_reader(),
        Err(ureq::Error::Status(404, _)) => return Ok(None),
        // A page's refusal (an evidence file's route answers HTML): its status, not the page.
        Err(ureq::Error::Status(code, r)) if !r.content_type().contains("json") => {
            return Err(format!(
                "{url}: máy chủ từ chối / the server refused: HTTP {code}"
            ))
        }
        Err(e) => return Err(format!("{url}: {:#}", super::vote::describe(e))),
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(reader, 32 << 20), &mut bytes)
        .map_err(|e| format!("{url}: {e}"))?;
    Ok(Some(bytes))
}

const NEED_TOKEN: &str = "a member's API token (in THIDUA_TOKEN, made on the server's /account \
                          page) is needed to replay the events and recompute results";

/// A log verified and replayed, and what recomputing its published results found.
pub struct Checked {
    pub summary: Summary,
    /// `None` when recomputing was not asked for.
    pub recomputed: Option<Recomputed>,
    /// What rebuilding the issued documents found; `None` when not asked for.
    pub documents: Option<thidua_docs::rebuild::Audit>,
    /// What checking the dossiers' evidence files found; `None` when not asked for.
    pub evidence: Option<super::evidence::Audit>,
    /// Each receipt asked for and the ballot it names in the verified log, if any.
    pub receipts: Vec<(Receipt, Result<Found, Missing>)>,
}

/// A ballot's receipt as `thidua vote` prints it: the record's log index and the ballot's
/// SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub index: u64,
    pub hash: String,
}

impl Receipt {
    /// `RECORD:HASH` (the hash in hexadecimal, either case).
    pub fn parse(text: &str) -> anyhow::Result<Receipt> {
        let (index, hash) = text.trim().split_once(':').unwrap_or(("", ""));
        let hash = hash.trim().to_ascii_lowercase();
        match index.trim().parse() {
            Ok(index) if thidua_domain::ids::is_sha256_hex(&hash) => Ok(Receipt { index, hash }),
            _ => anyhow::bail!(
                "biên nhận phải có dạng SỐ_THỨ_TỰ:MÃ_BĂM (64 chữ số hex) / a receipt is \
                 RECORD:HASH (the ballot hash in 64 hexadecimal digits): {text:?}"
            ),
        }
    }

    /// The ballot the receipt names among `events` (the replayed ones, in log order), or why
    /// none: its record is hidden from the caller (an entry of the log not among the events it
    /// reads), or holds no ballot with that hash.
    fn find(
        &self,
        state: &thidua_domain::State,
        events: &[thidua_domain::Event],
    ) -> Result<Found, Missing> {
        // Not among the events read: hidden, unless `report` finds nothing was hidden there.
        let Ok(at) = events.binary_search_by_key(&self.index, |e| e.index) else {
            return Err(Missing::Hidden);
        };
        thidua_domain::votes::receipt::check(state, &events[at], &self.hash, None)
            .ok_or(Missing::NoBallot)
    }
}

/// Why a receipt names no ballot in the verified log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    /// Its record is an entry the caller's token does not read.
    Hidden,
    /// Its record holds no ballot with that hash (or the log has no such record).
    NoBallot,
}

/// The witnesses a verification counts: the trusted keys given (`--witness`, a trust file)
/// and how many of them must cosign, and what is done with the witnesses the log registers.
#[derive(Default)]
pub struct Witnesses<'a> {
    pub trusted: &'a [(String, CosignatureVerifier)],
    pub min_cosignatures: u32,
    pub log: LogWitnesses,
}

/// Where the stored content of issued documents is read from, to rebuild each from the log
/// (`thidua_docs::rebuild`): `content` gives a document's canonical bytes, `Ok(None)` when the
/// caller may not read it, `Err` when it could not be had; `only` limits the check to one
/// document (`thidua doc check`). `evidence`, when given, gives the stored evidence files of
/// the dossiers, each checked against what its dossier names ([`super::evidence`]).
pub struct DocumentSource<'a> {
    pub only: Option<&'a str>,
    pub content: thidua_docs::rebuild::Content<'a>,
    pub evidence: Option<super::evidence::Content<'a>>,
}

/// Verifies the log `client` serves against `log_key` (and the witnesses' quorum), replays
/// every event the caller may read and, when `recompute`, recomputes every mid-year review,
/// year-end draw and publication among them (whether or not some entries are hidden); with
/// `documents`, rebuilds every issued document whose content it reads from the state just
/// before its record. A difference, or a result the readable events cannot recompute, fails
/// the verification.
pub fn check(
    client: &dyn LogClient,
    log_key: &Verifier,
    witnesses: &Witnesses,
    state_path: Option<&Path>,
    recompute: bool,
    documents: Option<&DocumentSource>,
    receipts: &[Receipt],
) -> Result<Checked, VerifyError> {
    let recomputed = RefCell::new(None);
    let rebuilt = RefCell::new(None);
    let files = RefCell::new(None);
    let found = RefCell::new(Vec::new());
    let hook = |state: &thidua_domain::State, events: &[thidua_domain::Event]| {
        *found.borrow_mut() = receipts
            .iter()
            .map(|r| (r.clone(), r.find(state, events)))
            .collect();
        let mut problems = Vec::new();
        if recompute {
            let r = Recomputed::of(state, events)?;
            problems.extend(r.problems());
            *recomputed.borrow_mut() = Some(r);
        }
        // A log with no issued document (that the caller reads) has none to rebuild.
        if let Some(source) = documents.filter(|_| !state.documents.is_empty()) {
            let audit = thidua_docs::rebuild::audit(events, source.only, source.content)?;
            problems.extend(
                audit
                    .problems()
                    .into_iter()
                    .map(|p| format!("KHÔNG KHỚP / MISMATCH: {p}")),
            );
            *rebuilt.borrow_mut() = Some(audit);
        }
        if let Some(content) = documents.and_then(|d| d.evidence) {
            let audit = super::evidence::audit(events, content);
            problems.extend(
                audit
                    .problems
                    .iter()
                    .map(|p| format!("KHÔNG KHỚP / MISMATCH: {p}")),
            );
            *files.borrow_mut() = Some(audit);
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(problems.join("; ")),
        }
    };
    let progress = Progress::new("Kiểm tra nhật ký / verifying the log");
    let after = recompute || documents.is_some() || !receipts.is_empty();
    let verification = Verification {
        log_key,
        witnesses: witnesses.trusted,
        min_cosignatures: witnesses.min_cosignatures,
        log_witnesses: witnesses.log,
        state_path,
        progress: &|done, total| progress.set(done, total),
        after_replay: after.then_some(&hook as AfterReplay),
        keep_events: after,
    };
    let result = verification.run(client);
    progress.finish();
    Ok(Checked {
        summary: result?,
        recomputed: recomputed.into_inner(),
        documents: rebuilt.into_inner(),
        evidence: files.into_inner(),
        receipts: found.into_inner(),
    })
}

/// What a failure to read a log was, said so that it does not read as tampering: the server
/// answered with an HTTP error ("refused"), could not be reached, or answered something that
/// cannot be read ([`Failure`], as the transparency client types it); for a database
/// (`!server`), it could not be read.
pub(crate) fn unreadable(e: &ClientError, server: bool) -> String {
    match (server, e.kind) {
        (false, _) => format!("không đọc được nhật ký / cannot read the log: {e}"),
        (true, Failure::Refused(_)) => format!("máy chủ từ chối / the server refused: {e}"),
        (true, Failure::Unreachable) => {
            format!("không kết nối được máy chủ / cannot reach the server: {e}")
        }
        (true, Failure::Unreadable) => {
            format!("không đọc được câu trả lời của máy chủ / cannot read the server's answer: {e}")
        }
    }
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    // Everything printed comes after the verification: a reader that went away ends it quietly.
    output::quiet_on_closed_pipe(verify(args))
}

/// Reads the trust and the keys, verifies the log and prints what it established; a log that
/// does not verify or cannot be read is said on stderr and exits non-zero.
fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    // The options first: a wrong one (a URL that is not postgres://, a witness given twice)
    // is an error like any other (exit 1), said before anything is read.
    let trust = load_trust(&args)?;
    if let Some(warning) = thidua_transparency::cosign::retired_quorum_warning() {
        errln!("{warning}");
    }
    if args.server.is_none() && args.backup.is_none() {
        args.store.database_url()?;
    }
    let witnesses = witnesses(&args, &trust)?;
    let receipts = args
        .receipts
        .iter()
        .map(|r| Receipt::parse(r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    // A database or a backup is opened by the binary (`storage`) and outlives the client; one
    // that cannot be opened or read (not a database, missing, a refused connection) is a log
    // that could not be read: nothing was verified (exit 2).
    let source = match Source::open(&args) {
        Ok(source) => source,
        Err(e) => {
            errln!("không đọc được nhật ký / cannot read the log: {e:#}");
            return Ok(ExitCode::from(EXIT_UNREADABLE));
        }
    };
    let client = source.client(&args)?;
    let log_key = log_key(&args, &trust)?;
    let min_cosignatures = args.min_cosignatures.or(trust.quorum).unwrap_or(0);
    // Every issued document whose content the caller reads is rebuilt from the log (with the
    // year-end, as it needs every event in memory).
    let content = |d: &IssuedDocument| source.document_content(&args, d);
    let evidence =
        |covenant: &CovenantId, sha256: &str| source.evidence_content(&args, covenant, sha256);
    let documents = DocumentSource {
        only: None,
        content: &content,
        evidence: Some(&evidence),
    };
    let witnesses = Witnesses {
        trusted: &witnesses,
        min_cosignatures,
        log: match args.allow_unwitnessed {
            true => LogWitnesses::Allow,
            false => LogWitnesses::Require,
        },
    };
    let result = check(
        &*client,
        &log_key,
        &witnesses,
        (!args.no_state).then_some(args.state.as_path()),
        !args.skip_yearend,
        (!args.skip_yearend).then_some(&documents),
        &receipts,
    );
    match result {
        Ok(checked) => report(&args, &*client, checked),
        Err(e) => Ok(failed(e, args.server.is_some(), &*client)),
    }
}

/// The trust file given with `--trust`, or none.
fn load_trust(args: &VerifyArgs) -> anyhow::Result<Trust> {
    Ok(match &args.trust {
        Some(path) => read_trust(path)?,
        None => Trust::default(),
    })
}

/// The trust file at `path` (`--trust`), or the refusal saying in both languages that this
/// file could not be read or understood, then why.
pub(crate) fn read_trust(path: &Path) -> anyhow::Result<Trust> {
    Trust::load(path).map_err(|e| {
        anyhow::anyhow!(
            "tệp tin cậy (--trust) không đọc được hoặc sai dạng / the trust file (--trust) cannot \
             be read or is malformed: {e}"
        )
    })
}

/// The log's verifier key: `--log-key`, else the trust file's, else (for a local database
/// only) the database's own key, with a note that the check is then not independent.
fn log_key(args: &VerifyArgs, trust: &Trust) -> anyhow::Result<Verifier> {
    Ok(match (&args.log_key, trust.log.clone()) {
        (Some(k), _) => parse_log_key(k).map_err(anyhow::Error::msg)?,
        (None, Some(k)) => k,
        (None, None) if args.server.is_none() && args.store.key_path().exists() => {
            let key = thidua_service::LogKey::load(&args.store.key_path())?;
            errln!(
                "chú ý / note: dùng khoá nhật ký trong {path} — cho --log-key hoặc --trust để kiểm \
                 độc lập / using the log key from {path} — give --log-key or --trust for an \
                 independent check",
                path = args.store.key_path().display()
            );
            parse_log_key(key.verifier_key()).map_err(anyhow::Error::msg)?
        }
        (None, None) => anyhow::bail!(
            "hãy cho khoá công khai của nhật ký bằng --log-key hoặc --trust / give the log's \
             verifier key with --log-key or --trust"
        ),
    })
}

/// The trusted witnesses: the trust file's, then each `--witness UNIT=VERIFIER_KEY`. A unit
/// given twice, or one key given for two units, is a wrong option (a cosignature would count
/// for whom?), refused here rather than found ambiguous in the checkpoint.
fn witnesses(
    args: &VerifyArgs,
    trust: &Trust,
) -> anyhow::Result<Vec<(String, CosignatureVerifier)>> {
    let mut witnesses: Vec<(String, CosignatureVerifier)> = trust.witnesses.clone();
    for w in &args.witnesses {
        let (unit, key) = w
            .split_once('=')
            .context("--witness nhận ĐƠN_VỊ=KHOÁ / --witness takes UNIT=VERIFIER_KEY")?;
        witnesses.push((
            unit.to_owned(),
            parse_witness_key(key).map_err(anyhow::Error::msg)?,
        ));
    }
    for (i, (unit, key)) in witnesses.iter().enumerate() {
        for (other, other_key) in &witnesses[..i] {
            anyhow::ensure!(
                other != unit,
                "nhân chứng {unit} được nêu hai lần / the witness of {unit} is given twice \
                 (--witness or the trust file): give each unit's key once"
            );
            anyhow::ensure!(
                (other_key.name(), other_key.key_hash()) != (key.name(), key.key_hash()),
                "một khoá cho hai đơn vị / one witness key ({}) is given for both {other} and \
                 {unit}: a cosignature counts for one unit",
                key.name()
            );
        }
    }
    Ok(witnesses)
}

/// Says on stderr why the log did not verify and returns the exit status: [`EXIT_UNREADABLE`]
/// when it could not be read (nothing was verified), [`EXIT_FAILED`] otherwise.
fn failed(e: VerifyError, server: bool, client: &dyn LogClient) -> ExitCode {
    match e {
        // Nothing was verified: not a verification failure.
        VerifyError::Client(e) => {
            errln!("{} ({})", unreadable(&e, server), client.describe());
            ExitCode::from(EXIT_UNREADABLE)
        }
        // The state file could not be read or written: an error of this machine's file, said
        // as such, never as the log failing its verification (exit 1, as every other error).
        e @ VerifyError::State { .. } => {
            errln!(
                "lỗi / error: không đọc hoặc ghi được tệp trạng thái (--state; --no-state để \
                 không dùng) / cannot read or write the state file (--state; --no-state to do \
                 without): {e}"
            );
            ExitCode::from(EXIT_FAILED)
        }
        e => {
            errln!(
                "KHÔNG KHỚP / VERIFICATION FAILED ({}): {e}",
                client.describe()
            );
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// Prints what a successful verification established: the notes on stderr, then the summary
/// on stdout (JSON with `--json`).
fn report(args: &VerifyArgs, client: &dyn LogClient, checked: Checked) -> anyhow::Result<ExitCode> {
    let Checked {
        summary,
        recomputed,
        documents,
        evidence,
        receipts,
    } = checked;
    // Nothing read: the tree and the signatures hold, but no event was replayed.
    let nothing_read = summary.replayed == 0 && summary.size > 0;
    // A receipt's record not among the events read was hidden only if the log has it and
    // some entries were hidden from the caller.
    let receipts: Vec<_> = receipts
        .into_iter()
        .map(|(r, found)| match found {
            Err(Missing::Hidden) if summary.hidden == 0 || r.index >= summary.size => {
                (r, Err(Missing::NoBallot))
            }
            other => (r, other),
        })
        .collect();
    print_notes(&summary, recomputed.as_ref(), nothing_read);
    if let Some(line) = documents.as_ref().and_then(documents_line) {
        errln!("{line}");
    }
    if let Some(line) = evidence.as_ref().and_then(super::evidence::line) {
        errln!("{line}");
    }
    if let Some(w) = &summary.witnessing {
        witnessing_note(w, !summary.cosigned_by.is_empty(), nothing_read);
    }
    let state_hash = thidua_transparency::verify::state_fingerprint(&summary.state);
    let secs = summary.elapsed.as_secs_f64().max(1e-9);
    let rate = (summary.size as f64 / secs) as u64;
    if args.json {
        let mut v = summary_json(
            &summary,
            recomputed.as_ref(),
            documents.as_ref(),
            nothing_read,
            &state_hash,
            rate,
        );
        v["receipts"] = receipts_json(&receipts);
        v["evidence"] = serde_json::json!(evidence.map(|e| serde_json::json!({
            "identical": e.identical,
            "unread": e.unread,
        })));
        outln!("{v}")?;
    } else {
        print_summary(client, &summary, nothing_read, &state_hash, rate)?;
        for (r, found) in &receipts {
            outln!("{}", receipt_line(r, found.as_ref()))?;
        }
    }
    // A receipt the verified log does not hold is a ballot the log does not have; one whose
    // record this token does not read was not checked.
    for (r, missing) in receipts
        .iter()
        .filter_map(|(r, f)| f.as_ref().err().map(|m| (r, *m)))
    {
        match missing {
            Missing::NoBallot => errln!(
                "KHÔNG KHỚP / VERIFICATION FAILED: nhật ký đã kiểm không có phiếu bầu của biên \
                 nhận {}:{} / the verified log holds no ballot with this receipt",
                r.index,
                r.hash
            ),
            Missing::Hidden => errln!(
                "CHƯA KIỂM / NOT CHECKED: mục {} không đọc được với mã này, hãy đặt mã của lãnh \
                 đạo đơn vị vào THIDUA_TOKEN / record {} is hidden from this token: put the unit \
                 leader's token in THIDUA_TOKEN",
                r.index,
                r.index
            ),
        }
    }
    if receipts.iter().any(|(_, f)| f.is_err()) {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// What the verified log says of a receipt: the ballot it names (its unit, round and
/// election) and whether it is counted, or that the log holds no such ballot.
fn receipt_line(r: &Receipt, found: Result<&Found, &Missing>) -> String {
    let head = format!("  biên nhận / receipt  {}:{}", r.index, &r.hash[..16]);
    match found {
        Err(Missing::NoBallot) => format!("{head}…  KHÔNG CÓ / NOT FOUND in the verified log"),
        Err(Missing::Hidden) => {
            format!("{head}…  không đọc được với mã này / hidden from this token")
        }
        Ok(f) => format!(
            "{head}…  phiếu của / the ballot of {} — {} vòng / round {}: {}",
            f.unit,
            f.election,
            f.round,
            if f.counted {
                "được tính / counted"
            } else {
                "không còn được tính, một phiếu sau đã thay / no longer counted: a later ballot \
                 replaced it"
            }
        ),
    }
}

/// The receipts in the `--json` summary.
fn receipts_json(receipts: &[(Receipt, Result<Found, Missing>)]) -> serde_json::Value {
    receipts
        .iter()
        .map(|(r, result)| {
            let found = result.as_ref().ok();
            serde_json::json!({
                "record": r.index,
                "hash": r.hash,
                "found": found.is_some(),
                "hidden": matches!(result, Err(Missing::Hidden)),
                "election": found.as_ref().map(|f| f.election.to_string()),
                "round": found.as_ref().map(|f| f.round),
                "unit": found.as_ref().map(|f| f.unit.to_string()),
                "counted": found.as_ref().map(|f| f.counted),
            })
        })
        .collect()
}

/// The notes on stderr: what was recomputed, and that nothing could be read if so.
fn print_notes(summary: &Summary, recomputed: Option<&Recomputed>, nothing_read: bool) {
    for (size, why) in &summary.ignored_snapshots {
        errln!(
            "chú ý / note: bản lưu trạng thái tại {size} mục là bộ đệm, không phải nhật ký, và \
             không được so với nhật ký / the snapshot of the state at {size} (a cache, not the \
             log) was not compared: {why}"
        );
    }
    let from = if summary.hidden > 0 {
        format!(
            " (đọc được {n} sự kiện với mã này / {n} events readable with this token)",
            n = summary.replayed
        )
    } else {
        String::new()
    };
    if let Some(r) = recomputed {
        for line in recomputed_lines(r, &from) {
            errln!("{line}");
        }
    }
    if nothing_read {
        errln!(
            "chú ý / note: không đọc được nội dung sự kiện nào: chỉ kiểm chữ ký và cây, không tính \
             lại kết quả nào / no event contents were replayed (every entry is hidden): the \
             signatures and the tree are verified, but no result was recomputed; {NEED_TOKEN}"
        );
    }
}

/// The `--json` summary.
fn summary_json(
    summary: &Summary,
    recomputed: Option<&Recomputed>,
    documents: Option<&thidua_docs::rebuild::Audit>,
    nothing_read: bool,
    state_hash: &str,
    rate: u64,
) -> serde_json::Value {
    serde_json::json!({
        "ok": true,
        "origin": summary.origin,
        "size": summary.size,
        "root": hex::encode(summary.root),
        "cosigned_by": summary.cosigned_by,
        "trusted_witnessed_size": summary.trusted_earlier.as_ref().map(|(size, _)| size),
        "hidden": summary.hidden,
        "replayed": summary.replayed,
        "contents_replayed": !nothing_read,
        "note": nothing_read.then_some(NEED_TOKEN),
        "previous": summary.previous,
        "state_sha256": state_hash,
        "units": summary.state.units.len(),
        "clusters": summary.state.clusters.len(),
        "covenants": summary.state.covenants.len(),
        "users": summary.state.users.len(),
        "witness_keys": summary.state.witness_keys.len(),
        "log_witnesses": summary.witnessing.as_ref().map(|w| serde_json::json!({
            "registered": w.registered.iter().map(|(u, _)| u).collect::<Vec<_>>(),
            "quorum": w.quorum,
            "cosigned": w.cosigned,
            "met": w.met(),
            "unmeetable": w.unmeetable(),
            "ceased": w.ceased.iter().map(|(unit, date)| serde_json::json!({
                "unit": unit,
                "date": date.to_string(),
            })).collect::<Vec<_>>(),
            "witnessed_size": w.earlier.as_ref().map(|(size, _)| size),
        })),
        "ignored_snapshots": summary.ignored_snapshots.iter().map(|(size, why)| serde_json::json!({
            "size": size,
            "why": why,
        })).collect::<Vec<_>>(),
        "midyear": recomputed.map(|r| midyear_json(&r.midyear)),
        "yearend": recomputed.map(|r| yearend_json(&r.yearend)),
        "documents": documents.map(|d| serde_json::json!({
            "identical": d.identical.iter().map(|(index, sha256)| serde_json::json!({
                "record": index,
                "sha256": sha256,
            })).collect::<Vec<_>>(),
            "unread": d.unread.iter().map(|(index, sha256)| serde_json::json!({
                "record": index,
                "sha256": sha256,
            })).collect::<Vec<_>>(),
            "other_edition": d.other_edition.iter().map(|(index, sha256, edition)| serde_json::json!({
                "record": index,
                "sha256": sha256,
                "edition": edition,
            })).collect::<Vec<_>>(),
        })),
        "votes": votes_json(&summary.state),
        "events_per_second": rate,
    })
}

/// The human-readable summary on stdout.
fn print_summary(
    client: &dyn LogClient,
    summary: &Summary,
    nothing_read: bool,
    state_hash: &str,
    rate: u64,
) -> std::io::Result<()> {
    outln!("Nhật ký hợp lệ / log verified: {}", client.describe())?;
    outln!("  tên nhật ký / origin       {}", summary.origin)?;
    outln!("  kích thước / size          {}", summary.size)?;
    outln!("  gốc cây / root             {}", hex::encode(summary.root))?;
    outln!("  nhân chứng / cosigned by   {}", trusted_line(summary))?;
    if let Some(w) = summary
        .witnessing
        .as_ref()
        .filter(|w| !w.registered.is_empty())
    {
        outln!(
            "  nhân chứng của nhật ký / the log's witnesses  {} / {} cần / required ({})",
            w.cosigned.len(),
            w.quorum,
            if w.cosigned.is_empty() {
                "-".to_owned()
            } else {
                w.cosigned.join(", ")
            }
        )?;
        if let Some((size, units)) = w.earlier.as_ref().filter(|_| !w.met()) {
            outln!(
                "  đã có nhân chứng đến / witnessed up to  {size} mục / entries ({})",
                units.join(", ")
            )?;
        }
    }
    if let Some(w) = summary.witnessing.as_ref().filter(|w| !w.ceased.is_empty()) {
        outln!(
            "  không còn được tính / no longer counting  {}",
            w.ceased_list()
        )?;
    }
    match summary.previous {
        Some(p) => outln!("  khớp với bản chốt sổ {p} mục đã kiểm trước / consistent with the checkpoint of size {p} verified before")?,
        None => outln!("  lần kiểm tra đầu (chưa có bản chốt sổ nào đã kiểm trước) / first verification (no earlier checkpoint)")?,
    }
    outln!(
        "  phát lại / replayed        {} sự kiện / events ({} ẩn, chỉ kiểm mã băm / hidden: hashes checked only)",
        summary.replayed,
        summary.hidden
    )?;
    if nothing_read {
        outln!("  nội dung / contents        không đọc được, không tính lại kết quả nào (cần mã của thành viên trong THIDUA_TOKEN) / none read: no result recomputed (put a member's token in THIDUA_TOKEN)")?;
    }
    outln!(
        "  trạng thái / state         {} đơn vị / units, {} cụm / clusters, {} giao ước / covenants, {} tài khoản / users, {} khoá nhân chứng / witness keys",
        summary.state.units.len(),
        summary.state.clusters.len(),
        summary.state.covenants.len(),
        summary.state.users.len(),
        summary.state.witness_keys.len()
    )?;
    outln!("{}", crate::cmd::vote::verified_votes(&summary.state))?;
    outln!("  SHA-256 trạng thái / state {state_hash}")?;
    outln!("  tốc độ / rate              {rate} sự kiện/giây / events/s")
}

/// Where the log is read from.
enum Source<'a> {
    /// A running server's URL.
    Server(&'a str),
    /// A database or backup, and its name for messages.
    Local(Stores, String),
}

impl<'a> Source<'a> {
    /// The server given with `--server`, else the backup given with `--backup`, else the
    /// database given with `--data`/`--database` (which must exist).
    fn open(args: &'a VerifyArgs) -> anyhow::Result<Self> {
        Ok(match (&args.server, &args.backup) {
            (Some(url), _) => Source::Server(url),
            (None, Some(file)) => Source::Local(
                Stores::backup(file).with_context(|| format!("{}", file.display()))?,
                file.display().to_string(),
            ),
            (None, None) => Source::Local(
                args.store
                    .open_existing_stores("; or verify a server: THIDUA_TOKEN=… --server URL")?,
                "cơ sở dữ liệu trên máy này / the local database".into(),
            ),
        })
    }

    /// The stored content of an issued document: served by the server to the caller's token
    /// (`Ok(None)` when it may not read it), or read from the database's blobs.
    fn document_content(
        &self,
        args: &VerifyArgs,
        d: &IssuedDocument,
    ) -> Result<Option<Vec<u8>>, String> {
        let path = format!("/api/v1/documents/{}/content", d.sha256);
        self.stored_file(args, &path, &d.sha256)
    }

    /// The stored evidence file `sha256` of a dossier of `covenant`, as
    /// [`document_content`](Self::document_content) gives a document's.
    fn evidence_content(
        &self,
        args: &VerifyArgs,
        covenant: &CovenantId,
        sha256: &str,
    ) -> Result<Option<Vec<u8>>, String> {
        let path = format!("/covenants/{covenant}/yearend/evidence/{sha256}");
        self.stored_file(args, &path, sha256)
    }

    /// The file stored under `sha256`: what the server serves at `path` to the caller's token,
    /// or the database's blob.
    fn stored_file(
        &self,
        args: &VerifyArgs,
        path: &str,
        sha256: &str,
    ) -> Result<Option<Vec<u8>>, String> {
        match self {
            Source::Server(url) => served_file(
                &ServerLogArgs {
                    server: Some(url.to_string()),
                    token: args.token.clone(),
                    log_key: None,
                    ca_file: args.ca_file.clone(),
                },
                path,
            ),
            Source::Local(stores, _) => stored_blob(stores, sha256),
        }
    }

    /// A client reading the log from this source (a server with the caller's token and CAs).
    fn client(&self, args: &VerifyArgs) -> anyhow::Result<Box<dyn LogClient>> {
        Ok(match self {
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
        })
    }
}

/// The content the database stores under `sha256` (checked against it by the store): an error
/// when it holds none or holds an altered one.
fn stored_blob(stores: &Stores, sha256: &str) -> Result<Option<Vec<u8>>, String> {
    let hash: [u8; 32] = hex::decode(sha256)
        .ok()
        .and_then(|h| h.try_into().ok())
        .ok_or("not a SHA-256")?;
    match stores.events.get_blob(&hash) {
        Ok(Some(bytes)) => Ok(Some(bytes)),
        Ok(None) => Err("the database holds no content for it".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The lines saying what was recomputed (all identical: differences fail before), `from`
/// naming the events read when some were hidden.
fn recomputed_lines(r: &Recomputed, from: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !r.midyear.reviews.is_empty() {
        out.push(format!(
            "sơ kết 6 tháng: {n} kỳ sơ kết tính lại từ sổ, khớp / mid-year: {n} review(s) \
             recomputed from the log, identical{from}",
            n = r.midyear.reviews.len()
        ));
    }
    if !r.yearend.draws.is_empty() || !r.yearend.publications.is_empty() {
        out.push(format!(
            "tổng kết năm: {d} lần bốc thăm và {p} lần công bố tính lại từ sổ, khớp / year-end: \
             {d} draw(s) and {p} publication(s) recomputed from the log, identical{from}",
            d = r.yearend.draws.len(),
            p = r.yearend.publications.len()
        ));
    }
    out
}

/// The trusted witnesses (`--witness`, a trust file) that cosigned the checkpoint, or how far
/// they cosigned the history the log extends, or that none was given.
fn trusted_line(summary: &Summary) -> String {
    match (&summary.trusted_earlier, summary.cosigned_by.is_empty()) {
        (Some((size, units)), _) => format!(
            "- (đến mục {size} / up to {size} entries: {})",
            units.join(", ")
        ),
        (None, false) => summary.cosigned_by.join(", "),
        (None, true) => "- (không cho --witness / no --witness given)".to_owned(),
    }
}

/// The note on the log's own witnesses: keys of ceased units and a quorum no longer possible,
/// none registered, a checkpoint accepted without their quorum (`--allow-unwitnessed`), or a
/// quorum counted with the keys the log itself gives when no trusted key cosigned.
fn witnessing_note(
    w: &thidua_transparency::verify::Witnessing,
    trusted_cosigned: bool,
    nothing_read: bool,
) {
    ceased_note(w);
    if w.unmeetable() {
        earlier_note(w);
    } else if w.registered.is_empty() && nothing_read {
        errln!(
            "chú ý / note: không đọc được nhân chứng nhật ký đăng ký khi không có mã của thành \
             viên: chỉ các khoá --witness đã cho được kiểm / the witnesses the log registers \
             cannot be read without a member's token (THIDUA_TOKEN): only the --witness keys given were \
             checked"
        );
    } else if w.registered.is_empty() {
        errln!(
            "chú ý / note: nhật ký không đăng ký nhân chứng nào: chỉ khoá ký của nhật ký bảo đảm \
             lịch sử của nó / the log registers no witnesses: only its own signing key vouches \
             for its history"
        );
    } else if w.earlier.is_some() && !w.met() {
        earlier_note(w);
    } else if !w.met() {
        errln!("CHÚ Ý / WARNING (--allow-unwitnessed): {w}");
    } else if !trusted_cosigned {
        errln!(
            "chú ý / note: chữ ký đồng ký được kiểm bằng khoá nhân chứng do chính nhật ký đăng ký; \
             để kiểm độc lập, lấy khoá từ các đơn vị qua kênh khác / the cosignatures ({}) were \
             checked with the witness keys the log itself registers; for an independent check \
             get them from the units through a second channel: {}",
            w.cosigned.join(", "),
            w.options()
        );
    }
}

/// The witness keys that no longer count because their unit ceased, and, loudly, a quorum that
/// can no longer be met (whether or not an earlier checkpoint carried the quorum then).
fn ceased_note(w: &thidua_transparency::verify::Witnessing) {
    if let Some(note) = w.unmeetable_note() {
        errln!("CHÚ Ý / WARNING: {note}");
    } else if !w.ceased.is_empty() {
        errln!(
            "chú ý / note: khoá nhân chứng không còn được tính vì đơn vị đã ngừng tồn tại / \
             witness keys no longer counting because their unit ceased: {}",
            w.ceased_list()
        );
    }
}

/// The note that the newest entries are not cosigned yet while an earlier checkpoint, which
/// the verified log extends, carries the quorum then in force.
fn earlier_note(w: &thidua_transparency::verify::Witnessing) {
    let Some((size, units)) = w.earlier.as_ref() else {
        return;
    };
    errln!(
        "chú ý / note: các mục mới nhất (từ mục {size}) chưa được nhân chứng đồng ký — nhân \
         chứng ký theo lịch riêng; lịch sử đến {size} mục đã được {units} xác nhận và nhật ký \
         nối tiếp đúng lịch sử đó / the newest entries (from {size} on) are not cosigned yet \
         — witnesses cosign on their own schedule; the first {size} entries were cosigned by \
         {units} and the log verified extends them",
        units = units.join(", ")
    );
}

/// The line saying which issued documents were rebuilt from the log (all identical:
/// differences fail before) and how many the caller could not read; `None` without documents.
fn documents_line(d: &thidua_docs::rebuild::Audit) -> Option<String> {
    if d.identical.is_empty() && d.unread.is_empty() && d.other_edition.is_empty() {
        return None;
    }
    let mut line = format!(
        "văn bản: {n} văn bản đã phát hành dựng lại từ sổ, khớp / documents: {n} issued \
         document(s) rebuilt from the log, identical",
        n = d.identical.len()
    );
    if !d.unread.is_empty() {
        line.push_str(&format!(
            " ({u} văn bản mã này không được đọc nội dung / {u} whose content this token may \
             not read)",
            u = d.unread.len()
        ));
    }
    if !d.other_edition.is_empty() {
        let editions: std::collections::BTreeSet<u32> =
            d.other_edition.iter().map(|(_, _, e)| *e).collect();
        let editions: Vec<String> = editions.iter().map(u32::to_string).collect();
        line.push_str(&format!(
            "; {o} văn bản do phiên bản khác phát hành (mẫu văn bản bản {e}, phiên bản này viết \
             bản {this}): nội dung khớp bản ghi, không dựng lại / {o} issued by another release \
             (templates edition {e}; this release writes {this}): content matches its record, \
             not rebuilt",
            o = d.other_edition.len(),
            e = editions.join(", "),
            this = thidua_docs::model::EDITION
        ));
    }
    Some(line)
}

fn midyear_json(a: &thidua_domain::midyear::audit::Audit) -> serde_json::Value {
    serde_json::json!({
        "identical": a.differences.is_empty() && a.not_recomputed.is_empty(),
        "reviews": a.reviews.iter().map(|(covenant, event, sha256)| serde_json::json!({
            "covenant": covenant,
            "event": event,
            "sha256": sha256,
        })).collect::<Vec<_>>(),
    })
}

fn yearend_json(a: &thidua_domain::yearend::audit::Audit) -> serde_json::Value {
    serde_json::json!({
        "identical": a.differences.is_empty() && a.not_recomputed.is_empty(),
        "draws": a.draws.iter().map(|(covenant, event, drawn)| serde_json::json!({
            "covenant": covenant,
            "event": event,
            "seed": drawn.seed,
            "order": drawn.order,
            "redraws": drawn.redraws,
        })).collect::<Vec<_>>(),
        "publications": a.publications.iter().map(|(covenant, event, units)| serde_json::json!({
            "covenant": covenant,
            "event": event,
            "units": units,
        })).collect::<Vec<_>>(),
    })
}

/// A round's electronic count set aside (the record, its time, the reason, the ballots left
/// uncounted and the shares posted), or `null`.
fn set_aside_json(r: &thidua_domain::votes::Round) -> serde_json::Value {
    match &r.set_aside {
        Some(a) => serde_json::json!({
            "record": a.index,
            "time_ms": a.time_ms,
            "reason": a.reason,
            "uncounted_ballots": r.ballots.len(),
            "decryption_shares": r.shares.len(),
        }),
        None => serde_json::Value::Null,
    }
}

/// The votes the replay checked (every ballot, ceremony message, share and count was checked
/// as its event was applied), each counted round's result, each round whose electronic
/// count was set aside, and each cancelled election (its ballots never counted).
fn votes_json(state: &thidua_domain::State) -> serde_json::Value {
    let live = || state.elections.values().filter(|e| !e.is_cancelled());
    let rounds = || live().flat_map(|e| &e.rounds);
    let counted: Vec<serde_json::Value> = state
        .elections
        .values()
        .flat_map(|e| e.rounds.iter().map(move |r| (e, r)))
        .filter_map(|(e, r)| {
            let o = thidua_domain::votes::outcome(e, r)?;
            Some(serde_json::json!({
                "election": e.id,
                "round": r.number,
                "paper": r.count.as_ref().is_some_and(|c| c.paper),
                "electronic_count_set_aside": set_aside_json(r),
                "outcome": o,
            }))
        })
        .collect();
    let awaiting: Vec<serde_json::Value> = live()
        .flat_map(|e| e.rounds.iter().map(move |r| (e, r)))
        .filter(|(_, r)| r.set_aside.is_some() && r.count.is_none())
        .map(|(e, r)| {
            serde_json::json!({
                "election": e.id,
                "round": r.number,
                "electronic_count_set_aside": set_aside_json(r),
            })
        })
        .collect();
    serde_json::json!({
        "elections": state.elections.len(),
        "counted_ballots": rounds().map(|r| r.ballots.len()).sum::<usize>(),
        "decryption_shares": rounds().map(|r| r.shares.len()).sum::<usize>(),
        "rounds": counted,
        "awaiting_paper_count": awaiting,
        "cancelled": cancelled_json(state),
    })
}

/// Each cancelled election: the record, its time, the reason and the ballots left uncounted.
fn cancelled_json(state: &thidua_domain::State) -> Vec<serde_json::Value> {
    state
        .elections
        .values()
        .filter_map(|e| {
            let c = e.cancelled.as_ref()?;
            Some(serde_json::json!({
                "election": e.id,
                "record": c.index,
                "time_ms": c.time_ms,
                "reason": c.reason,
                "uncounted_ballots": e.rounds.iter().map(|r| r.ballots.len()).sum::<usize>(),
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documents' line reads as one sentence: no run of spaces from the source's layout.
    #[test]
    fn the_documents_line_of_another_editions_documents_has_no_runs_of_spaces() {
        let audit = thidua_docs::rebuild::Audit {
            identical: vec![(3, "ab".into())],
            other_edition: vec![(5, "cd".into(), 1)],
            ..Default::default()
        };
        let line = documents_line(&audit).unwrap();
        assert!(
            line.contains("issued by another release (templates edition 1;"),
            "{line}"
        );
        assert!(!line.contains("  "), "{line:?}");
    }
}
