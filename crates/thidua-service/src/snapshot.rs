//! Snapshots of the state: a cache that lets start-up replay only the events after the newest
//! one. A snapshot is stored as a note signed with the log's key (format, origin, size, the
//! tree root at that size, the body's SHA-256) and a body (the state as JSON), written and read
//! in chunks, so that writing one never holds the body beside the served state. It is trusted
//! only if the signature, the body's hash, the signed checkpoint of the same size and the
//! stored tree's root all agree; anything else discards it, loudly, and the log is replayed
//! from the start. Start-up still hashes the entries and tree nodes below it before serving
//! (`replay::check_prefix`), and the background audit (`audit.rs`) replays them and compares the
//! state: a signed snapshot that does not match is replaced and halts writes. `thidua verify`
//! always replays from the start and compares.

use std::io::Read as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use base64::Engine as _;
use thidua_domain::State;
use thidua_ledger::{open_checkpoint, Verifier};
use thidua_store::{EventStore, SnapshotMeta, SnapshotReader, SnapshotWriter};

use crate::{LogKey, Service, ServiceError, View};

/// The first line of a snapshot's note. Raised whenever the state's serialised shape changes
/// (a field added to `State` included), so that a snapshot an earlier release wrote is
/// discarded at start-up, said why, and never compared with a state it cannot hold (format 3:
/// the key ceremonies' used values, `State::ceremony_values`; format 4: the reporting form's
/// `min`, `max` and `integer`; format 5: a paper count's `ballots` are the ballots returned,
/// the quorum's measure, no longer the valid ones, and who recorded and confirmed a paper
/// count and decided a tie; format 6: a tie decision's position and whether its year had a
/// deputy; format 7: the declared public holidays, and who cast each counted ballot and whose
/// ballot another person's replaced; format 8: the weekend days worked in exchange of a year's
/// declared holidays, the time of a round's count and whether a tie decision stood for the
/// deputy's silence; format 9: a report's first submission keeps the deadline in force when
/// it was made, `figures::Submission::deadline`; format 10: a report's latest submission and
/// the submission each approval approved, `figures::Report::submitted`,
/// `figures::Approval::submission`; format 11: when each inspection finding was entered,
/// `yearend::Review::finding_times`; format 12: every change of the witness set by log index,
/// `State::witness_changes`; format 13: an election's cancellation,
/// `votes::Election::cancelled`; format 14: the ends of witnesses' units among the witness
/// changes, `WitnessChange::Ceased`; format 15: the content a draft's latest amendment
/// replaced, `state::CovenantVersion::amended`; format 16: an election's conclusion
/// without a further round, `votes::Election::concluded`).
pub const FORMAT: &str = "thidua-snapshot/17";

/// When the service writes snapshots by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotPolicy {
    /// After this many events since the last snapshot (0: never).
    pub every: u64,
}

impl Default for SnapshotPolicy {
    fn default() -> Self {
        Self { every: 100_000 }
    }
}

/// Why a snapshot could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot {size}: {reason}")]
    Invalid { size: u64, reason: String },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// The service's bookkeeping of snapshots.
pub(crate) struct Snapshots {
    policy: SnapshotPolicy,
    /// The size of the snapshot start-up used (0: none).
    started_from: u64,
    /// The size of the last snapshot written or loaded.
    last: AtomicU64,
    writing: Arc<AtomicBool>,
}

impl Snapshots {
    pub(crate) fn new(policy: SnapshotPolicy, started_from: u64) -> Self {
        Self {
            policy,
            started_from,
            last: AtomicU64::new(started_from),
            writing: Arc::new(AtomicBool::new(false)),
        }
    }

    pub(crate) fn started_from(&self) -> u64 {
        self.started_from
    }

    /// Starts writing a snapshot of `view` in the background when the policy asks for one and
    /// none is being written.
    pub(crate) fn after_publish(&self, service: &Service, view: &Arc<View>) {
        let size = view.state.size;
        let due = self.policy.every > 0
            && size.saturating_sub(self.last.load(Ordering::Relaxed)) >= self.policy.every;
        if !due || self.writing.swap(true, Ordering::AcqRel) {
            return;
        }
        self.last.store(size, Ordering::Relaxed);
        let store = Arc::clone(&service.store);
        let key = Arc::clone(&service.key);
        let view = Arc::clone(view);
        let writing = Arc::clone(&self.writing);
        let spawned = std::thread::Builder::new()
            .name("thidua-snapshot".into())
            .spawn(move || {
                match write(&*store, &key, &view) {
                    Ok(()) => tracing::info!(size, "wrote a snapshot of the state"),
                    Err(e) => tracing::error!(size, error = %e, "could not write a snapshot"),
                }
                writing.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            self.writing.store(false, Ordering::Release);
        }
    }
}

/// The signed description of a snapshot whose body hashes to `sha256`.
fn note_text(key: &LogKey, size: u64, root: &[u8; 32], sha256: &[u8; 32]) -> String {
    format!(
        "{FORMAT}\n{}\n{size}\n{}\n{}\n",
        key.origin(),
        base64::engine::general_purpose::STANDARD.encode(root),
        hex::encode(sha256),
    )
}

/// Serialises `view`'s state into the store chunk by chunk, then signs and finishes it.
pub(crate) fn write(store: &dyn EventStore, key: &LogKey, view: &View) -> Result<(), ServiceError> {
    let size = view.state.size;
    if size == 0 {
        return Ok(());
    }
    let mut body = SnapshotWriter::new(store, size);
    serde_json::to_writer(&mut body, &view.state).map_err(|e| ServiceError::Corrupt {
        index: size,
        reason: format!("the state cannot be serialised: {e}"),
    })?;
    let written = body.finish()?;
    let note = key.sign_note(&note_text(key, size, &view.root(), &written.sha256))?;
    store.finish_snapshot(&SnapshotMeta {
        size,
        note,
        chunks: written.chunks,
        bytes: written.bytes,
    })?;
    Ok(())
}

/// The newest snapshot no larger than the log, checked; or an empty view and why the stored
/// snapshot was discarded.
pub(crate) fn load(store: &dyn EventStore, key: &LogKey, log_size: u64) -> (View, Option<String>) {
    let newest = match store.snapshot_sizes() {
        Ok(sizes) => sizes.into_iter().filter(|s| *s <= log_size).max(),
        Err(e) => return (View::default(), Some(format!("cannot list snapshots: {e}"))),
    };
    let Some(size) = newest else {
        return (View::default(), None);
    };
    match open(store, key, size) {
        Ok(view) => (view, None),
        Err(e) => (View::default(), Some(e.to_string())),
    }
}

/// Reads and checks the snapshot of `size`: its note, the stored tree and the signed checkpoint
/// first, then the body, parsed only if it hashes as the note says.
pub fn open(store: &dyn EventStore, key: &LogKey, size: u64) -> Result<View, SnapshotError> {
    let invalid = |reason: String| SnapshotError::Invalid { size, reason };
    let meta = store
        .snapshot_meta(size)
        .map_err(ServiceError::from)?
        .ok_or_else(|| invalid("not stored".into()))?;
    let text = key
        .open_note(&meta.note)
        .map_err(|e| invalid(format!("its signature does not verify: {e}")))?;
    let format = text.lines().next().unwrap_or_default();
    if format != FORMAT {
        return Err(invalid(format!(
            "it was written in format {format}, this release reads {FORMAT}: the log is replayed"
        )));
    }
    let frontier = crate::stored_frontier(store, size).map_err(|e| invalid(e.to_string()))?;
    let root = frontier.root();
    let claimed = claimed_sha256(&text).ok_or_else(|| invalid("its note is malformed".into()))?;
    if text != note_text(key, size, &root, &claimed) {
        return Err(invalid(
            "its signed description does not match the stored tree".into(),
        ));
    }
    check_checkpoint(store, key, size, &root).map_err(invalid)?;
    let bytes = read_body(store, meta, &claimed).map_err(invalid)?;
    let state: State = serde_json::from_slice(&bytes)
        .map_err(|e| invalid(format!("its body cannot be read: {e}")))?;
    drop(bytes);
    if state.size != size {
        return Err(invalid(format!("its state says size {}", state.size)));
    }
    Ok(View { state, frontier })
}

/// A snapshot's whole body, if it hashes to `claimed`. Read into one buffer: serde_json parses
/// a slice much faster than a reader (5 M events on 2 shared cores: start-up 17–22 s against
/// 26–29 s), and start-up time is what a snapshot is for; so loading one holds its bytes and
/// the state for a moment.
fn read_body(
    store: &dyn EventStore,
    meta: SnapshotMeta,
    claimed: &[u8; 32],
) -> Result<Vec<u8>, String> {
    let mut body = SnapshotReader::new(store, meta);
    let stated = usize::try_from(body.stated_bytes()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(stated.min(u32::MAX as usize));
    body.read_to_end(&mut bytes)
        .map_err(|e| format!("its body cannot be read: {e}"))?;
    if &body.finish().map_err(|e| e.to_string())? != claimed {
        return Err("its body does not match its signed description".into());
    }
    Ok(bytes)
}

/// The body's SHA-256 that a snapshot's note names (its fifth line).
fn claimed_sha256(text: &str) -> Option<[u8; 32]> {
    let line = text.lines().nth(4)?;
    hex::decode(line).ok()?.try_into().ok()
}

/// The signed checkpoint of `size` must commit to the stored tree's `root`.
fn check_checkpoint(
    store: &dyn EventStore,
    key: &LogKey,
    size: u64,
    root: &[u8; 32],
) -> Result<(), String> {
    let checkpoint = store
        .checkpoint_at(size)
        .map_err(|e| e.to_string())?
        .ok_or("no signed checkpoint of its size")?;
    let verifier = Verifier::from_key_string(key.verifier_key()).map_err(|e| e.to_string())?;
    let opened = open_checkpoint(checkpoint.note.as_bytes(), &[&verifier])
        .map_err(|e| format!("the checkpoint of its size: {e}"))?;
    if &opened.checkpoint.root != root {
        return Err("the stored tree does not match the signed checkpoint".into());
    }
    Ok(())
}
