//! [`LogClient`]: what the witness and the verifier need from a log, whether it is reached over
//! HTTP or HTTPS ([`HttpLog`], blocking `ureq` with rustls, see `thidua-tls`) or read from a
//! database or backup the caller opened ([`LocalLog`], over the store traits).
//! Clients return what the log *claims*; checking it is the caller's job.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use thidua_ledger::Hash;
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;

use crate::api::{CosignatureRequest, Entries, Leaves};
use crate::log;

/// A failure to talk to the log (not a verification failure): what kind, and what happened.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ClientError {
    pub kind: Failure,
    pub message: String,
    /// The server's own error code (`{"error": code}`) when it refused with one, e.g.
    /// `witness_ceased`: what a client acts on, never the wording.
    pub code: Option<String>,
}

/// Why a log could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: the connection, the name, TLS, a proxy, or reading the answer failed.
    Unreachable,
    /// The server answered with an HTTP error status.
    Refused(u16),
    /// An answer that cannot be read (bad JSON, a hash that is not one, a store's error).
    Unreadable,
}

impl ClientError {
    /// An answer (or a store's content) that cannot be read.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            kind: Failure::Unreadable,
            message: message.into(),
            code: None,
        }
    }

    fn unreachable(message: String) -> Self {
        Self {
            kind: Failure::Unreachable,
            message,
            code: None,
        }
    }
}

type Result<T> = std::result::Result<T, ClientError>;

/// One entry as a log serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteEntry {
    pub index: u64,
    /// The leaf hash the log claims for the entry.
    pub leaf_hash: Hash,
    /// The canonical bytes, if the caller may read them.
    pub bytes: Option<Vec<u8>>,
}

/// A log's complete tree nodes as its server serves them, for
/// [`thidua_ledger::root_with_leaves`] (which never reads a node over the leaves it checks).
pub struct ServedNodes<'a>(pub &'a dyn LogClient);

impl thidua_ledger::NodeSource for ServedNodes<'_> {
    fn node(&self, level: u8, index: u64) -> std::result::Result<Hash, thidua_ledger::LedgerError> {
        let served = self
            .0
            .nodes(level, index, index + 1)
            .map_err(thidua_ledger::LedgerError::storage)?;
        served
            .first()
            .copied()
            .ok_or(thidua_ledger::LedgerError::NodeNotFound { level, index })
    }
}

/// Read (and cosign) access to a log.
pub trait LogClient {
    /// Where the log is, for messages.
    fn describe(&self) -> String;
    /// The newest checkpoint note with the cosignatures the log holds.
    fn checkpoint(&self) -> Result<String>;
    /// Consistency proof between sizes `from` and `to` (`1 ≤ from ≤ to`).
    fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>>;
    /// Leaf hashes from `start`, at most up to `end` (may return fewer).
    fn leaves(&self, start: u64, end: u64) -> Result<Vec<Hash>>;
    /// Stored tree nodes of `level` (≥ 1) from `start`, at most up to `end` (may return fewer).
    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>>;
    /// Entries from `start`, at most up to `end` (may return fewer).
    fn entries(&self, start: u64, end: u64) -> Result<Vec<RemoteEntry>>;
    /// Checkpoint notes carrying witness cosignatures, newest first: the server's newest
    /// witnessed checkpoint over HTTP (`/api/v1/log/witnessed`), the most recently cosigned
    /// sizes of a database. The verifier judges them; none by default.
    fn witnessed_notes(&self) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
    /// The sizes of the state snapshots the log's database keeps; none over HTTP.
    fn snapshot_sizes(&self) -> Result<Vec<u64>> {
        Ok(Vec::new())
    }
    /// The body of the snapshot at `size` (the state as JSON), read as it is consumed.
    fn snapshot_body(&self, _size: u64) -> Result<Option<Box<dyn std::io::Read + '_>>> {
        Ok(None)
    }
    /// The signed note describing the snapshot at `size` (its format, origin, size, root and
    /// the body's SHA-256), if stored.
    fn snapshot_note(&self, _size: u64) -> Result<Option<String>> {
        Ok(None)
    }
    /// Posts a witness cosignature line for the checkpoint of `size`.
    fn post_cosignature(&self, unit: &str, size: u64, line: &str) -> Result<()>;
    /// For a log read from its own database: what start-up's check of the stored entries
    /// against the newest signed checkpoint finds ([`thidua_service::check_not_truncated`]:
    /// entries past it, fewer entries than it signed, entries and no checkpoint), as the
    /// sentence a server refusing to start says; `None` when they agree. Always `None` over
    /// HTTP, where only what the checkpoint signs is served.
    fn stored_log_problem(&self) -> Result<Option<String>> {
        Ok(None)
    }
}

fn parse_hash(s: &str) -> Result<Hash> {
    let bytes = hex::decode(s).map_err(|_| ClientError::new(format!("not a hex hash: {s:?}")))?;
    bytes
        .try_into()
        .map_err(|_| ClientError::new(format!("not a 32-byte hash: {s:?}")))
}

/// The `authorization` header of an API token: `Bearer` and the token without the whitespace
/// around it (a token file saved with CRLF line ends, read by `$(cat file)`). A token that is
/// still not one (a space, a control character, a letter outside ASCII inside it) is refused in
/// both languages without being shown: refusals are printed, and terminals and CI keep them.
/// Every command that sends a token builds its header here.
pub fn bearer(token: &str) -> Result<String> {
    let token = token.trim();
    if token.is_empty() {
        return Err(ClientError::new(
            "mã API trống: hãy đặt mã của tài khoản (tạo ở trang Tài khoản) vào THIDUA_TOKEN / \
             the API token is empty: put the account's token (made on the Account page) in \
             THIDUA_TOKEN",
        ));
    }
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ClientError::new(
            "mã API không hợp lệ: có khoảng trắng, ký tự điều khiển hoặc ký tự ngoài ASCII (mã \
             không được in ra; hãy sao chép lại từ trang Tài khoản) / the API token is malformed: \
             it holds a space, a control character or a non-ASCII character (not shown here; \
             copy it again from the Account page)",
        ));
    }
    Ok(format!("Bearer {token}"))
}

/// A server's refusal body as the API writes it (`{"error", "message"}`): " (code): message";
/// any other body as it is. Every client that reports a refusal says it so.
pub fn api_refusal(body: &str) -> String {
    let parsed = serde_json::from_str::<serde_json::Value>(body).ok();
    match parsed
        .as_ref()
        .and_then(|v| Some((v["error"].as_str()?, v["message"].as_str()?)))
    {
        Some((code, message)) => format!(" ({code}): {message}"),
        None if body.is_empty() => String::new(),
        None => format!(": {body}"),
    }
}

/// The error code of an API refusal's body (`{"error": code, …}`), if it has one.
fn api_code(body: &str) -> Option<String> {
    let parsed: serde_json::Value = serde_json::from_str(body).ok()?;
    parsed["error"].as_str().map(str::to_owned)
}

/// The HTTP client of every command that talks to a server (witness, verifier, voter,
/// trustee): HTTPS checked against Mozilla's and the platform's roots and the CAs of the PEM file
/// `ca_file` (`thidua_tls`), a 60-second timeout.
pub fn http_agent(ca_file: Option<&std::path::Path>) -> Result<ureq::Agent> {
    let tls = thidua_tls::client_config(thidua_tls::Verify::Full, ca_file)
        .map_err(|e| ClientError::new(e.to_string()))?;
    Ok(ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .tls_config(Arc::new(tls))
        .build())
}

/// A log served by `thidua serve` (the endpoints of [`crate::api`]).
pub struct HttpLog {
    base: String,
    /// The `authorization` header of the caller's token ([`bearer`]), if one was given.
    authorization: Option<String>,
    agent: ureq::Agent,
}

impl HttpLog {
    /// `base` is the server's URL (`https://host` or `http://host:port`); `token` an API bearer
    /// token. HTTPS servers are checked against Mozilla's and the platform's roots.
    pub fn new(base: &str, token: Option<String>) -> Self {
        // Without a CA file only a malformed token can fail: the roots are built in or skipped
        // if unreadable.
        Self::with_ca(base, token, None).expect("a valid token and the default TLS configuration")
    }

    /// [`HttpLog::new`], also trusting the CAs of the PEM file `ca_file` (an organisation's own).
    pub fn with_ca(
        base: &str,
        token: Option<String>,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            authorization: token.as_deref().map(bearer).transpose()?,
            agent: http_agent(ca_file)?,
        })
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let req = self.agent.request(method, &format!("{}{path}", self.base));
        match &self.authorization {
            Some(header) => req.set("authorization", header),
            None => req,
        }
    }

    fn call(&self, req: ureq::Request, body: Option<serde_json::Value>) -> Result<ureq::Response> {
        let url = req.url().to_owned();
        let result = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        result.map_err(|e| match e {
            ureq::Error::Status(code, resp) => {
                let text = resp.into_string().unwrap_or_default();
                ClientError {
                    kind: Failure::Refused(code),
                    message: format!("{url}: HTTP {code}{}", api_refusal(text.trim())),
                    code: api_code(text.trim()),
                }
            }
            // The transport error's own text starts with the address again: said once here,
            // then what failed, its message and its cause (a certificate refused, say).
            ureq::Error::Transport(t) => {
                let mut said = format!("{url}: {}", t.kind());
                if let Some(m) = t.message() {
                    said += &format!(": {m}");
                }
                if let Some(cause) = std::error::Error::source(&t) {
                    said += &format!(": {cause}");
                }
                ClientError::unreachable(said)
            }
        })
    }

    fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let resp = self.call(self.request("GET", path), None)?;
        resp.into_json()
            .map_err(|e| ClientError::new(format!("{}{path}: bad JSON: {e}", self.base)))
    }
}

#[derive(serde::Deserialize)]
struct ProofJson {
    proof: Vec<String>,
}

impl LogClient for HttpLog {
    fn describe(&self) -> String {
        self.base.clone()
    }

    fn checkpoint(&self) -> Result<String> {
        let resp = self.call(self.request("GET", "/api/v1/log/checkpoint"), None)?;
        resp.into_string()
            .map_err(|e| ClientError::unreachable(format!("reading the checkpoint: {e}")))
    }

    fn witnessed_notes(&self) -> Result<Vec<String>> {
        match self.call(self.request("GET", "/api/v1/log/witnessed"), None) {
            Ok(resp) => Ok(vec![resp.into_string().map_err(|e| {
                ClientError::unreachable(format!("reading the witnessed checkpoint: {e}"))
            })?]),
            Err(e) if e.kind == Failure::Refused(404) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>> {
        let p: ProofJson = self.get_json(&format!(
            "/api/v1/log/proof/consistency?from={from}&to={to}"
        ))?;
        p.proof.iter().map(|h| parse_hash(h)).collect()
    }

    fn leaves(&self, start: u64, end: u64) -> Result<Vec<Hash>> {
        let l: Leaves = self.get_json(&format!("/api/v1/log/leaves?start={start}&end={end}"))?;
        if l.start != start {
            return Err(ClientError::new(format!(
                "asked for leaves from {start}, got them from {}",
                l.start
            )));
        }
        l.leaf_hashes.iter().map(|h| parse_hash(h)).collect()
    }

    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>> {
        let l: Leaves = self.get_json(&format!(
            "/api/v1/log/leaves?start={start}&end={end}&level={level}"
        ))?;
        if l.start != start {
            return Err(ClientError::new(format!(
                "asked for level-{level} nodes from {start}, got them from {}",
                l.start
            )));
        }
        l.leaf_hashes.iter().map(|h| parse_hash(h)).collect()
    }

    fn entries(&self, start: u64, end: u64) -> Result<Vec<RemoteEntry>> {
        let e: Entries = self.get_json(&format!("/api/v1/log/entries?start={start}&end={end}"))?;
        e.entries
            .into_iter()
            .map(|e| {
                Ok(RemoteEntry {
                    index: e.index,
                    leaf_hash: parse_hash(&e.leaf_hash)?,
                    bytes: e
                        .bytes
                        .map(|b| {
                            base64::engine::general_purpose::STANDARD
                                .decode(b)
                                .map_err(|_| {
                                    ClientError::new(format!("entry {}: bad base64", e.index))
                                })
                        })
                        .transpose()?,
                })
            })
            .collect()
    }

    fn post_cosignature(&self, unit: &str, size: u64, line: &str) -> Result<()> {
        let body = serde_json::to_value(CosignatureRequest {
            unit: unit.to_owned(),
            size,
            cosignature: line.trim_end().to_owned(),
        })
        .map_err(|e| ClientError::new(e.to_string()))?;
        self.call(self.request("POST", "/api/v1/log/cosignature"), Some(body))?;
        Ok(())
    }
}

/// A log read straight from a database (the operator's copy, or a backup): everything readable.
/// The caller opens the database (the binary's `storage`) and keeps it open while in use.
pub struct LocalLog {
    store: Arc<dyn EventStore>,
    witnesses: Option<Arc<dyn WitnessStore>>,
    name: String,
}

impl LocalLog {
    /// A log over an event store (and the witness store of the same database, if any).
    pub fn new(
        store: Arc<dyn EventStore>,
        witnesses: Option<Arc<dyn WitnessStore>>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            store,
            witnesses,
            name: name.into(),
        }
    }
}

/// How many of a database's most recently cosigned checkpoints a verifier is offered.
const WITNESSED_NOTES: u32 = 32;

fn store_err(e: impl std::fmt::Display) -> ClientError {
    ClientError::new(e.to_string())
}

impl LogClient for LocalLog {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn checkpoint(&self) -> Result<String> {
        let stored = self
            .store
            .latest_checkpoint()
            .map_err(store_err)?
            .ok_or_else(|| ClientError::new("the log has no checkpoint"))?;
        let lines = match &self.witnesses {
            Some(w) => w.cosignatures_at(stored.size).map_err(store_err)?,
            None => Vec::new(),
        };
        Ok(log::with_cosignatures(
            &stored.note,
            lines.iter().map(|c| c.line.as_str()),
        ))
    }

    fn witnessed_notes(&self) -> Result<Vec<String>> {
        let Some(w) = &self.witnesses else {
            return Ok(Vec::new());
        };
        let mut notes = Vec::new();
        for size in w.cosigned_sizes(1, WITNESSED_NOTES).map_err(store_err)? {
            let Some(stored) = self.store.checkpoint_at(size).map_err(store_err)? else {
                continue;
            };
            let lines = w.cosignatures_at(size).map_err(store_err)?;
            notes.push(log::with_cosignatures(
                &stored.note,
                lines.iter().map(|c| c.line.as_str()),
            ));
        }
        Ok(notes)
    }

    fn consistency(&self, from: u64, to: u64) -> Result<Vec<Hash>> {
        log::consistency(&*self.store, from, to).map_err(store_err)
    }

    fn leaves(&self, start: u64, end: u64) -> Result<Vec<Hash>> {
        log::leaf_hashes(&*self.store, start, end).map_err(store_err)
    }

    fn nodes(&self, level: u8, start: u64, end: u64) -> Result<Vec<Hash>> {
        log::node_hashes(&*self.store, level, start, end).map_err(store_err)
    }

    fn snapshot_sizes(&self) -> Result<Vec<u64>> {
        self.store.snapshot_sizes().map_err(store_err)
    }

    fn snapshot_note(&self, size: u64) -> Result<Option<String>> {
        let meta = self.store.snapshot_meta(size).map_err(store_err)?;
        Ok(meta.map(|m| m.note))
    }

    fn snapshot_body(&self, size: u64) -> Result<Option<Box<dyn std::io::Read + '_>>> {
        let Some(meta) = self.store.snapshot_meta(size).map_err(store_err)? else {
            return Ok(None);
        };
        Ok(Some(Box::new(thidua_store::SnapshotReader::new(
            &*self.store,
            meta,
        ))))
    }

    fn entries(&self, start: u64, end: u64) -> Result<Vec<RemoteEntry>> {
        Ok(log::entries(&*self.store, start, end)
            .map_err(store_err)?
            .into_iter()
            .map(|e| RemoteEntry {
                index: e.index,
                leaf_hash: e.leaf_hash,
                bytes: Some(e.bytes),
            })
            .collect())
    }

    fn post_cosignature(&self, _: &str, _: u64, _: &str) -> Result<()> {
        Err(ClientError::new(
            "a local database cannot take cosignatures; witness a running server",
        ))
    }

    fn stored_log_problem(&self) -> Result<Option<String>> {
        match thidua_service::check_not_truncated(&*self.store) {
            Ok(_) => Ok(None),
            Err(e @ thidua_service::ServiceError::Corrupt { .. }) => Ok(Some(e.to_string())),
            Err(e) => Err(store_err(e)),
        }
    }
}
