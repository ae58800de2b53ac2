//! The independent verifier (`thidua verify`): trusts nothing the log says. It checks the
//! checkpoint's log signature and witness cosignatures against keys it was given, downloads
//! every leaf hash and every entry it may read, recomputes each leaf hash and the root, checks
//! that the tree still contains the last checkpoint it verified (a local state file), and
//! replays the events it may read through [`State::apply_readable`] to rebuild the state (every
//! event for an administrator or a local copy; a member's readable part otherwise, each at its
//! own index). The first difference stops
//! it with a [`VerifyError`] naming the entry, the unit, what was expected and what was found.
//!
//! Recomputing published results is [`Verification::after_replay`]'s business: it receives the
//! rebuilt state and the replayed events — every event, or a member's readable part with the
//! hidden ones left out — and returns a precise mismatch, or says what it could not recompute.
//! It runs whatever the caller may read (hidden entries do not skip it): what the caller cannot
//! check must be said, never passed over silently.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thidua_domain::{Event, State};
use thidua_ledger::{
    leaf_hash, open_checkpoint, open_note, verify_consistency, Checkpoint, CompactRange,
    CosignatureVerifier, Hash, Note, NoteVerifier, SignedCheckpoint, StoredNode, Verifier,
};

use crate::client::{ClientError, LogClient, RemoteEntry};

/// A fingerprint of a state: SHA-256 (hex) of its JSON serialisation, streamed (no copy of the
/// state is built). Two runs of the same software on the same log give the same fingerprint.
pub fn state_fingerprint(state: &State) -> String {
    struct Hasher(sha2::Sha256);
    impl std::io::Write for Hasher {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            sha2::Digest::update(&mut self.0, buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hasher(<sha2::Sha256 as sha2::Digest>::new());
    serde_json::to_writer(&mut h, state).expect("a state always serialises");
    hex::encode(sha2::Digest::finalize(h.0))
}

/// Leaves and entries fetched per round.
const CHUNK: u64 = 1_000;

/// The verifier's memory: the last checkpoint it verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifierState {
    pub origin: String,
    pub size: u64,
    /// Root (hex) of that checkpoint.
    pub root: String,
    pub checkpoint: String,
    /// The log's verifier key (C2SP form) it was verified with: a state remembered for another
    /// key is another log's, even under the same origin (every deployment's default is
    /// `thidua.local/log`). Absent in state files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_key: Option<String>,
}

/// The verifier's state file: the last checkpoint verified of each log, one entry per log key,
/// so that verifying another log with the same file (every deployment's default origin is the
/// same) keeps what was remembered of the first. A file written before it held several logs
/// is one [`VerifierState`], read as a list of one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifierStates {
    pub logs: Vec<VerifierState>,
}

impl VerifierStates {
    /// What is remembered of the log with verifier key `key`: its own entry, else an entry
    /// written before keys were recorded (which was of whatever log was verified then).
    pub fn of(&self, key: &str) -> Option<&VerifierState> {
        self.logs
            .iter()
            .find(|s| s.log_key.as_deref() == Some(key))
            .or_else(|| self.logs.iter().find(|s| s.log_key.is_none()))
    }

    /// Remembers `state` for its log key, in place of what was remembered of that log (and of
    /// a keyless entry, which was read as this log's).
    pub fn remember(&mut self, state: VerifierState) {
        self.logs
            .retain(|s| s.log_key.is_some() && s.log_key != state.log_key);
        self.logs.push(state);
    }
}

/// A difference or failure; `Display` is the precise message printed to the operator.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot read the log: {0}")]
    Client(#[from] ClientError),
    /// The stored log disagrees with its newest signed checkpoint (a database or backup read
    /// directly): the sentence with which a server refuses to start on it.
    #[error("{0}")]
    Stored(String),
    #[error("chữ ký của bản chốt sổ không kiểm chứng được / checkpoint signature: {0}")]
    Signature(String),
    #[error("witnesses: {found} trusted cosignature(s) ({units}), {required} required")]
    Quorum {
        found: u32,
        required: u32,
        units: String,
    },
    #[error("entry {index}{}: {what}: expected {expected}, found {found}", unit.as_ref().map(|u| format!(" (unit {u})")).unwrap_or_default())]
    Entry {
        index: u64,
        unit: Option<String>,
        what: String,
        expected: String,
        found: String,
    },
    #[error("the checkpoint commits to {expected} entries; the log served {found}")]
    Size { expected: u64, found: u64 },
    #[error("root of the {size} entries: the signed checkpoint says {expected}, the entries give {found}")]
    Root {
        size: u64,
        expected: String,
        found: String,
    },
    #[error("history rewritten: {0}")]
    Inconsistent(String),
    #[error("after replay: {0}")]
    AfterReplay(String),
    #[error("the snapshot of the state at {size} does not match the state replayed from the log ({found}); a server that starts from it finds this in the background, replaces it with the replayed state and halts its writes")]
    Snapshot { size: u64, found: String },
    #[error("verifier state {path}: {message}")]
    State { path: String, message: String },
    /// The checkpoint carries fewer cosignatures by the witnesses the log registers than the
    /// quorum the log records: what a history rewritten by the log key's holder looks like.
    #[error("{0}")]
    Unwitnessed(Witnessing),
}

/// What the log says of its own witnesses and what the verified checkpoint carries of them:
/// the units whose witness keys it registers and counts (`witness_policy_set`, else every
/// registered one), the quorum it records (else the log's default, all of them but one),
/// and the units among them whose registered key cosigned the checkpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Witnessing {
    /// Each counted unit and the witness key the log registers for it.
    pub registered: Vec<(String, String)>,
    pub quorum: u32,
    /// The counted units whose registered key cosigned the checkpoint.
    pub cosigned: Vec<String>,
    /// When the checkpoint lacks the quorum: the newest earlier checkpoint that carries it
    /// and that the verified log extends (its size, and the units that cosigned it), since
    /// witnesses cosign on their own schedule and the newest entries may not be cosigned yet.
    pub earlier: Option<(u64, Vec<String>)>,
    /// Entries hidden from the caller (the registrations it reads may be fewer).
    pub hidden: u64,
    /// Units whose witness key no longer counts because the log recorded their end, with the
    /// day they ceased.
    pub ceased: Vec<(String, chrono::NaiveDate)>,
    /// Whether the quorum is a witness policy recorded in the log (else the log's default).
    pub recorded: bool,
}

impl Witnessing {
    /// The quorum is more than the witnesses that count: no checkpoint can carry it until a new
    /// policy (or a successor unit's key) is recorded ([`crate::cosign::InForce::unmeetable`]).
    pub fn unmeetable(&self) -> bool {
        self.quorum as usize > self.registered.len()
    }

    /// "ca-kg (ngừng tồn tại ngày 01/07/2025 / ceased on 01/07/2025), …", or "-".
    pub fn ceased_list(&self) -> String {
        if self.ceased.is_empty() {
            return "-".to_owned();
        }
        self.ceased
            .iter()
            .map(|(unit, date)| {
                let d = date.format("%d/%m/%Y");
                format!("{unit} (ngừng tồn tại ngày {d} / ceased on {d})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What the operator must do when the quorum can no longer be met, `None` otherwise.
    pub fn unmeetable_note(&self) -> Option<String> {
        if !self.unmeetable() {
            return None;
        }
        let remedy = if self.recorded {
            "hãy ghi một chính sách nhân chứng mới (trang /admin/log, mục \"Chính sách nhân \
             chứng\", hoặc thidua witness policy) / a new witness policy must be recorded \
             (/admin/log, \"Chính sách nhân chứng\", or thidua witness policy)"
        } else {
            "đơn vị kế thừa cần đăng ký khoá nhân chứng của mình / the successor units must \
             register their own witness keys"
        };
        Some(format!(
            "KHÔNG THỂ ĐỦ NHÂN CHỨNG: nhật ký cần {q} chữ ký đồng ký nhưng chỉ còn {n} nhân chứng \
             được tính; khoá không còn được tính: {ceased}; {remedy} / THE QUORUM CAN NO LONGER \
             BE MET: the log requires {q} cosignature(s) but only {n} witness(es) count; keys \
             no longer counting: {ceased}",
            q = self.quorum,
            n = self.registered.len(),
            ceased = self.ceased_list(),
        ))
    }

    /// Whether the checkpoint carries the quorum the log records (a log without witnesses
    /// has none to carry).
    pub fn met(&self) -> bool {
        self.cosigned.len() as u32 >= self.quorum
    }

    /// Whether the log's history is witnessed: the checkpoint carries the quorum, or an
    /// earlier checkpoint the log extends does (the entries after it not cosigned yet).
    pub fn covered(&self) -> bool {
        self.met() || self.earlier.is_some()
    }

    /// The `--witness UNIT=KEY` options for the units the log registers, with the keys the
    /// log gives, to be compared with each unit's own copy.
    pub fn options(&self) -> String {
        self.registered
            .iter()
            .map(|(unit, key)| format!("--witness {unit}={key}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::fmt::Display for Witnessing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(note) = self.unmeetable_note() {
            // Retrying or fetching the keys elsewhere would not help: say only what would.
            write!(
                f,
                "{note}. Chấp nhận bản chốt sổ chưa có nhân chứng bằng --allow-unwitnessed / \
                 accept an unwitnessed checkpoint knowingly with --allow-unwitnessed"
            )?;
            return self.hidden_note(f);
        }
        let units: Vec<&str> = self.registered.iter().map(|(u, _)| u.as_str()).collect();
        let cosigned = match self.cosigned.is_empty() {
            true => "-".to_owned(),
            false => self.cosigned.join(", "),
        };
        write!(
            f,
            "chưa đủ nhân chứng: nhật ký đăng ký {n} nhân chứng ({units}) và cần {q} chữ ký đồng \
             ký, bản chốt sổ này chỉ có {c} ({cosigned}); một lịch sử bị người giữ khoá ký viết \
             lại trông như thế này. Hãy lấy khoá nhân chứng từ chính các đơn vị qua một kênh \
             khác (không phải máy chủ này) và đưa vào bằng --witness ĐƠN_VỊ=KHOÁ, hoặc chấp nhận \
             bản chốt sổ chưa có nhân chứng bằng --allow-unwitnessed / not witnessed: the log \
             registers {n} witness(es) ({units}) and records a quorum of {q} cosignature(s); \
             this checkpoint carries {c} from them ({cosigned}). A history rewritten by whoever \
             holds the log's signing key looks like this. Get each witness's key from the unit \
             itself through a second channel (not this server) and give it: {options} — the \
             keys shown are what the log says, to compare with the units' own copies; or accept \
             an unwitnessed checkpoint knowingly with --allow-unwitnessed. Nhân chứng đồng ký \
             theo lịch riêng: nếu nhật ký vừa thêm mục, hãy thử lại sau ít phút / witnesses \
             cosign on their own schedule: if the log has just grown, retry in a few minutes",
            n = units.len(),
            units = units.join(", "),
            q = self.quorum,
            c = self.cosigned.len(),
            options = self.options(),
        )?;
        self.hidden_note(f)
    }
}

impl Witnessing {
    /// " (N entries are hidden from this token …)" when some were.
    fn hidden_note(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.hidden > 0 {
            write!(
                f,
                " ({} entries are hidden from this token: the witnesses counted are the ones \
                 it reads)",
                self.hidden
            )?;
        }
        Ok(())
    }
}

/// What `verify` does with the witnesses the log itself registers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogWitnesses {
    /// Not asked (a command that reads the log for something else).
    #[default]
    Ignore,
    /// A checkpoint without the quorum the log records fails ([`VerifyError::Unwitnessed`]).
    Require,
    /// Such a checkpoint is accepted (`--allow-unwitnessed`); the summary says so.
    Allow,
}

/// What a successful verification established.
#[derive(Clone, Debug)]
pub struct Summary {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Units whose trusted witness key cosigned the checkpoint.
    pub cosigned_by: Vec<String>,
    /// When the checkpoint lacks the trusted witnesses' quorum: the newest earlier checkpoint
    /// that carries it and that the verified log extends (its size, the units that cosigned).
    pub trusted_earlier: Option<(u64, Vec<String>)>,
    /// Entries whose contents the caller could not read (only their hashes were checked).
    pub hidden: u64,
    /// Events replayed into the state: every entry the caller could read.
    pub replayed: u64,
    /// The size of the checkpoint verified before, if any.
    pub previous: Option<u64>,
    /// The log's own witnesses and their cosignatures on the checkpoint (`None` unless asked).
    pub witnessing: Option<Witnessing>,
    /// Stored snapshots of the state not compared with the replay, and why: another release's
    /// format, or a damaged body (caches no server starts from).
    pub ignored_snapshots: Vec<(u64, String)>,
    pub state: State,
    pub elapsed: Duration,
}

/// A check run on the rebuilt state and the replayed events (hook for recomputing published
/// results), whether or not some entries were hidden from the caller: with hidden entries the
/// events are the readable ones, folded with [`State::apply_readable`] into the state given.
pub type AfterReplay<'a> = &'a dyn Fn(&State, &[Event]) -> Result<(), String>;

/// What to verify against.
pub struct Verification<'a> {
    pub log_key: &'a Verifier,
    /// Trusted witness keys, by unit.
    pub witnesses: &'a [(String, CosignatureVerifier)],
    /// Cosignatures by trusted witnesses the checkpoint must carry.
    pub min_cosignatures: u32,
    /// Where the last verified checkpoint is kept (read, then updated on success).
    pub state_path: Option<&'a Path>,
    pub progress: &'a dyn Fn(u64, u64),
    pub after_replay: Option<AfterReplay<'a>>,
    /// Keep every replayed event in memory for `after_replay` (costs memory on big logs).
    pub keep_events: bool,
    /// Whether the checkpoint must carry the quorum of the witnesses the log registers.
    pub log_witnesses: LogWitnesses,
}

fn hexs(h: &Hash) -> String {
    hex::encode(h)
}

impl<'a> Verification<'a> {
    /// A verification with the log's key alone: no trusted witness, no quorum of the log's own
    /// witnesses, no state file, no progress, nothing run after the replay (`thidua verify
    /// --allow-unwitnessed` without `--state`); the fields to change are set over it.
    pub fn key_only(log_key: &'a Verifier) -> Self {
        Verification {
            log_key,
            witnesses: &[],
            min_cosignatures: 0,
            state_path: None,
            progress: &|_, _| {},
            after_replay: None,
            keep_events: false,
            log_witnesses: LogWitnesses::Ignore,
        }
    }
}

impl Verification<'_> {
    /// The state file's logs (none without a state file or before the first verification).
    fn load_states(&self) -> Result<VerifierStates, VerifyError> {
        let Some(path) = self.state_path else {
            return Ok(VerifierStates::default());
        };
        let err = |message: String| VerifyError::State {
            path: path.display().to_string(),
            message,
        };
        match std::fs::read(path) {
            Ok(b) => serde_json::from_slice::<VerifierStates>(&b)
                .or_else(|e| {
                    serde_json::from_slice::<VerifierState>(&b)
                        .map(|one| VerifierStates { logs: vec![one] })
                        .map_err(|_| e)
                })
                .map_err(|e| err(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(VerifierStates::default()),
            Err(e) => Err(err(e.to_string())),
        }
    }

    fn save_states(&self, states: &VerifierStates) -> Result<(), VerifyError> {
        let Some(path) = self.state_path else {
            return Ok(());
        };
        let err = |e: std::io::Error| VerifyError::State {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(states).expect("serialises"))
            .map_err(err)?;
        std::fs::rename(&tmp, path).map_err(err)
    }

    /// Runs the whole verification against `client`.
    pub fn run(&self, client: &dyn LogClient) -> Result<Summary, VerifyError> {
        let started = Instant::now();
        // A database read directly holds what no checkpoint covers, or lacks what one signed:
        // refused as a server refuses to start on it, before its newest checkpoint is trusted.
        if let Some(problem) = client.stored_log_problem()? {
            return Err(VerifyError::Stored(problem));
        }
        let note = client.checkpoint()?;
        let (cp, cosigned_by) = self.open_signed(&note)?;
        // The trusted witnesses' quorum on the newest checkpoint, else on an earlier one the
        // log extends (its newest entries not cosigned yet).
        let trusted_earlier = match self.check_quorum(&cosigned_by) {
            Ok(()) => None,
            Err(short) => Some(self.earlier_trusted(client, &cp)?.ok_or(short)?),
        };
        let key = self.log_key.to_key_string();
        // What is remembered of another log (another key) says nothing of this one, and is
        // kept as it is.
        let mut states = self.load_states()?;
        let previous = states.of(&key).cloned();
        check_extends(previous.as_ref(), &cp)?;
        let replay = self.replay(client, previous.as_ref(), &cp)?;
        let witnessing = match self.log_witnesses {
            LogWitnesses::Ignore => None,
            rule => {
                let mut w = self.witnessing(&note, &replay.state, replay.hidden)?;
                if !w.met() {
                    w.earlier = self.earlier_witnessed(client, &cp, &replay)?;
                }
                if rule == LogWitnesses::Require && !w.covered() {
                    return Err(VerifyError::Unwitnessed(w));
                }
                Some(w)
            }
        };
        if let Some(hook) = self.after_replay {
            hook(&replay.state, &replay.events).map_err(VerifyError::AfterReplay)?;
        }
        states.remember(VerifierState {
            origin: cp.origin.clone(),
            size: cp.size,
            root: hexs(&cp.root),
            checkpoint: note,
            log_key: Some(key),
        });
        self.save_states(&states)?;
        let Replay {
            state,
            hidden,
            ignored_snapshots,
            ..
        } = replay;
        Ok(Summary {
            origin: cp.origin,
            size: cp.size,
            root: cp.root,
            cosigned_by,
            trusted_earlier,
            hidden,
            replayed: cp.size - hidden,
            previous: previous.map(|p| p.size),
            witnessing,
            ignored_snapshots,
            state,
            elapsed: started.elapsed(),
        })
    }

    /// Opens the checkpoint `note`, signed by the trusted log key for its origin; returns it
    /// with the units whose trusted witnesses cosigned it (their quorum is checked by `run`).
    fn open_signed(&self, note: &str) -> Result<(Checkpoint, Vec<String>), VerifyError> {
        let mut known: Vec<&dyn NoteVerifier> = vec![self.log_key];
        known.extend(self.witnesses.iter().map(|(_, v)| v as &dyn NoteVerifier));
        let opened = open_checkpoint(note.as_bytes(), &known)
            .map_err(|e| self.signature_error(note, &known, e))?;
        self.check_log_signature(&opened)?;
        let cosigned_by = self.cosigners(&opened.note);
        Ok((opened.checkpoint, cosigned_by))
    }

    /// The witnesses the replayed log registers and counts for `note`'s size (what was in force
    /// before it: a later registration or policy never judges an earlier checkpoint), its
    /// quorum, and which of them cosigned `note` with the key the log then registered for them.
    fn witnessing(
        &self,
        note: &str,
        state: &State,
        hidden: u64,
    ) -> Result<Witnessing, VerifyError> {
        let signature = |e: thidua_ledger::LedgerError| VerifyError::Signature(e.to_string());
        let size = open_checkpoint(note.as_bytes(), &[self.log_key as &dyn NoteVerifier])
            .map_err(signature)?
            .checkpoint
            .size;
        let in_force = crate::cosign::witness_set_at(state, size);
        let (set, quorum) = (&in_force.keys, in_force.required);
        let mut known: Vec<&dyn NoteVerifier> = vec![self.log_key];
        known.extend(set.iter().map(|(_, v)| v as &dyn NoteVerifier));
        let opened = open_checkpoint(note.as_bytes(), &known).map_err(signature)?;
        let keys_at = state.witnesses_at(size);
        let keys = |unit: &thidua_domain::UnitId| {
            keys_at
                .keys
                .get(unit)
                .map(|k| k.key.clone())
                .unwrap_or_default()
        };
        Ok(Witnessing {
            registered: set
                .iter()
                .map(|(unit, _)| (unit.to_string(), keys(unit)))
                .collect(),
            quorum,
            cosigned: set
                .iter()
                .filter(|(_, v)| signed_by(&opened.note, v.name(), v.key_hash()))
                .map(|(unit, _)| unit.to_string())
                .collect(),
            earlier: None,
            hidden,
            ceased: in_force
                .ceased
                .iter()
                .map(|(unit, date)| (unit.to_string(), *date))
                .collect(),
            recorded: in_force.recorded,
        })
    }

    /// The newest checkpoint the log offers as witnessed ([`LogClient::witnessed_notes`])
    /// that carries the quorum of the log's own witnesses, signed by the log key, and of which
    /// the verified checkpoint `cp` is an extension: see [`Verification::earlier_cosigned`].
    fn earlier_witnessed(
        &self,
        client: &dyn LogClient,
        cp: &Checkpoint,
        replay: &Replay<'_>,
    ) -> Result<Option<(u64, Vec<String>)>, VerifyError> {
        self.earlier_cosigned(client, cp, &|note| {
            let w = self.witnessing(note, &replay.state, replay.hidden).ok()?;
            w.met().then_some(w.cosigned)
        })
    }

    /// The same with the trusted witnesses (`--witness`, a trust file): an earlier checkpoint
    /// that carries `min_cosignatures` of their cosignatures.
    fn earlier_trusted(
        &self,
        client: &dyn LogClient,
        cp: &Checkpoint,
    ) -> Result<Option<(u64, Vec<String>)>, VerifyError> {
        let mut known: Vec<&dyn NoteVerifier> = vec![self.log_key];
        known.extend(self.witnesses.iter().map(|(_, v)| v as &dyn NoteVerifier));
        self.earlier_cosigned(client, cp, &|note| {
            let opened = open_checkpoint(note.as_bytes(), &known).ok()?;
            let units = self.cosigners(&opened.note);
            (units.len() as u32 >= self.min_cosignatures).then_some(units)
        })
    }

    /// The newest checkpoint among those the log offers as witnessed
    /// ([`LogClient::witnessed_notes`]) that `quorum` accepts (the units that cosigned it),
    /// signed by the log key, and of which the verified checkpoint `cp` is an extension (a
    /// consistency proof between their roots): its size and those units. Witnesses cosign on
    /// their own schedule, so the newest entries may not be cosigned yet while the history
    /// before them is. One that the verified log does not extend is a fork: the witnesses
    /// cosigned another history.
    fn earlier_cosigned(
        &self,
        client: &dyn LogClient,
        cp: &Checkpoint,
        quorum: &dyn Fn(&str) -> Option<Vec<String>>,
    ) -> Result<Option<(u64, Vec<String>)>, VerifyError> {
        for note in client.witnessed_notes()? {
            let Some(units) = quorum(&note) else {
                continue;
            };
            let log_only: [&dyn NoteVerifier; 1] = [self.log_key];
            let Ok(opened) = open_checkpoint(note.as_bytes(), &log_only) else {
                continue;
            };
            if self.check_log_signature(&opened).is_err() {
                continue;
            }
            let earlier = opened.checkpoint;
            if earlier.size == 0 || earlier.size > cp.size {
                continue;
            }
            let consistent = if earlier.size == cp.size {
                (earlier.root == cp.root)
                    .then_some(())
                    .ok_or_else(|| "two roots for the same size".to_owned())
            } else {
                let proof = client.consistency(earlier.size, cp.size)?;
                verify_consistency(earlier.size, cp.size, &earlier.root, &cp.root, &proof)
                    .map_err(|e| e.to_string())
            };
            consistent.map_err(|e| {
                VerifyError::Inconsistent(format!(
                    "the checkpoint of {} entries that the witnesses ({}) cosigned is not a \
                     prefix of the verified log of {}: {e}",
                    earlier.size,
                    units.join(", "),
                    cp.size
                ))
            })?;
            return Ok(Some((earlier.size, units)));
        }
        Ok(None)
    }

    /// Why `note` could not be opened, naming a witness cosignature the log stored with its
    /// checkpoint (a row of its cosignature table, appended to the note it serves) when that
    /// line alone is what fails, rather than saying that the checkpoint's signature does.
    fn signature_error(
        &self,
        note: &str,
        known: &[&dyn NoteVerifier],
        e: thidua_ledger::LedgerError,
    ) -> VerifyError {
        let Some((text, signatures)) = note.rsplit_once("\n\n") else {
            return VerifyError::Signature(e.to_string());
        };
        let log_line = format!("\u{2014} {} ", self.log_key.name());
        for line in signatures.lines() {
            if line.starts_with(&log_line) {
                continue;
            }
            let alone = format!("{text}\n\n{line}\n");
            match open_note(alone.as_bytes(), known) {
                Ok(_) | Err(thidua_ledger::LedgerError::NoVerifiableSignature(_)) => {}
                Err(why) => {
                    return VerifyError::Signature(format!(
                        "a witness cosignature stored with the checkpoint is corrupt ({why}): \
                         {line:?}"
                    ))
                }
            }
        }
        VerifyError::Signature(e.to_string())
    }

    /// The checkpoint carries the trusted log key's signature, and its origin is that key's name.
    fn check_log_signature(&self, opened: &SignedCheckpoint) -> Result<(), VerifyError> {
        if !signed_by(&opened.note, self.log_key.name(), self.log_key.key_hash()) {
            return Err(VerifyError::Signature(format!(
                "not signed by the trusted log key {}",
                self.log_key.name()
            )));
        }
        let cp = &opened.checkpoint;
        if cp.origin != self.log_key.name() {
            return Err(VerifyError::Signature(format!(
                "the checkpoint's origin {:?} is not the log key's name {:?}",
                cp.origin,
                self.log_key.name()
            )));
        }
        Ok(())
    }

    /// The units whose trusted witness key cosigned the note, in the order of `witnesses`.
    fn cosigners(&self, note: &Note) -> Vec<String> {
        self.witnesses
            .iter()
            .filter(|(_, v)| signed_by(note, v.name(), v.key_hash()))
            .map(|(unit, _)| unit.clone())
            .collect()
    }

    /// At least `min_cosignatures` trusted witnesses cosigned.
    fn check_quorum(&self, cosigned_by: &[String]) -> Result<(), VerifyError> {
        if (cosigned_by.len() as u32) < self.min_cosignatures {
            return Err(VerifyError::Quorum {
                found: cosigned_by.len() as u32,
                required: self.min_cosignatures,
                units: cosigned_by.join(", "),
            });
        }
        Ok(())
    }

    /// Fetches and checks every leaf and entry of `cp`, chunk by chunk, replaying the readable
    /// events, and checks the rebuilt tree's root against the checkpoint's.
    fn replay<'a>(
        &self,
        client: &'a dyn LogClient,
        previous: Option<&'a VerifierState>,
        cp: &Checkpoint,
    ) -> Result<Replay<'a>, VerifyError> {
        let mut replay = Replay {
            client,
            snapshots: client.snapshot_sizes()?,
            previous,
            keep_events: self.keep_events,
            frontier: CompactRange::new(),
            state: State::default(),
            events: Vec::new(),
            hidden: 0,
            ignored_snapshots: Vec::new(),
        };
        let mut next = 0u64;
        while next < cp.size {
            let end = (next + CHUNK).min(cp.size);
            replay.chunk(next, end, cp.size)?;
            next = end;
            (self.progress)(next, cp.size);
        }
        replay.check_root(cp)?;
        Ok(replay)
    }
}

/// Whether `note` carries a verified signature by the key named `name` with `key_hash`.
fn signed_by(note: &Note, name: &str, key_hash: u32) -> bool {
    note.verified
        .iter()
        .any(|s| s.name == name && s.key_hash == key_hash)
}

/// The log still extends the checkpoint verified before, if any: same origin, no fewer
/// entries (its root is checked when the replay reaches its size).
fn check_extends(previous: Option<&VerifierState>, cp: &Checkpoint) -> Result<(), VerifyError> {
    let Some(p) = previous else {
        return Ok(());
    };
    if p.origin != cp.origin {
        return Err(VerifyError::Inconsistent(format!(
            "origin was {:?}, is now {:?}",
            p.origin, cp.origin
        )));
    }
    if p.size > cp.size {
        return Err(VerifyError::Inconsistent(format!(
            "the log had {} entries when last verified; its newest checkpoint now has {} (a \
             history cut short, or an older copy of the log, such as a backup: verify an older \
             copy with --no-state or another --state file)",
            p.size, cp.size
        )));
    }
    Ok(())
}

/// A difference at entry `index`.
fn mismatch(
    index: u64,
    unit: Option<String>,
    what: &str,
    expected: String,
    found: String,
) -> VerifyError {
    VerifyError::Entry {
        index,
        unit,
        what: what.to_owned(),
        expected,
        found,
    }
}

/// A replay in progress: the tree rebuilt from the leaves so far, and the state rebuilt from
/// the events the caller may read.
struct Replay<'a> {
    client: &'a dyn LogClient,
    /// The sizes at which the log keeps a snapshot of the state.
    snapshots: Vec<u64>,
    previous: Option<&'a VerifierState>,
    keep_events: bool,
    frontier: CompactRange,
    state: State,
    /// The replayed events, when `keep_events`.
    events: Vec<Event>,
    /// Entries whose contents the caller could not read.
    hidden: u64,
    /// Snapshots not compared, and why ([`compare_snapshot`]).
    ignored_snapshots: Vec<(u64, String)>,
}

impl Replay<'_> {
    /// Fetches the leaves and entries `[next, end)` of a log of `size`, checks and replays each,
    /// then checks the tree nodes they complete against the ones the log serves.
    fn chunk(&mut self, next: u64, end: u64, size: u64) -> Result<(), VerifyError> {
        let client = self.client;
        let leaves = fetch_all(next, end, |a, b| client.leaves(a, b))?;
        let entries = fetch_all(next, end, |a, b| client.entries(a, b))?;
        for served in [leaves.len(), entries.len()] {
            if served as u64 != end - next {
                return Err(VerifyError::Size {
                    expected: size,
                    found: next + served as u64,
                });
            }
        }
        let mut completed = Vec::new();
        for (offset, (tree_leaf, entry)) in leaves.iter().zip(&entries).enumerate() {
            completed.extend(self.entry(next + offset as u64, tree_leaf, entry)?);
        }
        check_served_nodes(client, &completed)
    }

    /// Checks the entry at `index` against the tree's leaf, replays it if readable and appends
    /// the leaf to the tree; returns the inner tree nodes the leaf completes.
    fn entry(
        &mut self,
        index: u64,
        tree_leaf: &Hash,
        entry: &RemoteEntry,
    ) -> Result<Vec<StoredNode>, VerifyError> {
        check_entry_position_and_leaf(index, tree_leaf, entry)?;
        match &entry.bytes {
            Some(bytes) => self.replay_event(index, tree_leaf, bytes)?,
            None => self.hidden += 1,
        }
        let completed = self
            .frontier
            .append(*tree_leaf)
            .into_iter()
            .filter(|n| n.level > 0)
            .collect();
        self.check_previous_root()?;
        Ok(completed)
    }

    /// Checks that the event `bytes` hash to the tree's leaf, decodes and applies the event,
    /// keeps it if asked, and compares any snapshot at the new size while nothing is hidden.
    fn replay_event(
        &mut self,
        index: u64,
        tree_leaf: &Hash,
        bytes: &[u8],
    ) -> Result<(), VerifyError> {
        check_event_hash(index, tree_leaf, bytes)?;
        let event = Event::decode(index, bytes).map_err(|e| {
            mismatch(
                index,
                None,
                "event",
                "a canonical event".into(),
                e.to_string(),
            )
        })?;
        let unit = event.payload.unit().map(|u| u.to_string());
        // A member's copy skips what it may not read: the readable events
        // fold at their own indices (`State::apply_readable`).
        self.state.apply_readable(&event).map_err(|e| {
            mismatch(
                index,
                unit,
                "replay",
                format!("a valid {} event", event.payload.kind()),
                e.to_string(),
            )
        })?;
        if self.keep_events {
            self.events.push(event);
        }
        if self.hidden == 0 {
            if let Some(why) = compare_snapshot(self.client, &self.snapshots, &self.state)? {
                self.ignored_snapshots.push((self.state.size, why));
            }
        }
        Ok(())
    }

    /// When the tree reaches the size of the checkpoint verified before, its root is that
    /// checkpoint's.
    fn check_previous_root(&self) -> Result<(), VerifyError> {
        if let Some(p) = self.previous {
            if self.frontier.size() == p.size && hexs(&self.frontier.root()) != p.root {
                return Err(VerifyError::Inconsistent(format!(
                    "the first {} entries now have root {}, but the checkpoint verified before had {}",
                    p.size,
                    hexs(&self.frontier.root()),
                    p.root
                )));
            }
        }
        Ok(())
    }

    /// The root of the whole rebuilt tree is the signed checkpoint's.
    fn check_root(&self, cp: &Checkpoint) -> Result<(), VerifyError> {
        if self.frontier.root() != cp.root {
            return Err(VerifyError::Root {
                size: cp.size,
                expected: hexs(&cp.root),
                found: hexs(&self.frontier.root()),
            });
        }
        Ok(())
    }
}

/// The entry served at `index` says it is at `index` and claims the tree's leaf hash.
fn check_entry_position_and_leaf(
    index: u64,
    tree_leaf: &Hash,
    entry: &RemoteEntry,
) -> Result<(), VerifyError> {
    if entry.index != index {
        return Err(mismatch(
            index,
            None,
            "position",
            index.to_string(),
            entry.index.to_string(),
        ));
    }
    if entry.leaf_hash != *tree_leaf {
        return Err(mismatch(
            index,
            None,
            "stored leaf hash vs the tree's leaf",
            hexs(tree_leaf),
            hexs(&entry.leaf_hash),
        ));
    }
    Ok(())
}

/// An entry read from a store, checked as the verifier checks a served one: the leaf hash
/// stored beside it is the tree's leaf, then its bytes hash to that leaf. The one wording of
/// an altered entry (`thidua log` marks one so).
pub fn check_stored_entry(
    index: u64,
    tree_leaf: &Hash,
    stored_leaf: &Hash,
    bytes: &[u8],
) -> Result<(), VerifyError> {
    if stored_leaf != tree_leaf {
        return Err(mismatch(
            index,
            claimed_unit(index, bytes),
            "stored leaf hash vs the tree's leaf",
            hexs(tree_leaf),
            hexs(stored_leaf),
        ));
    }
    check_event_hash(index, tree_leaf, bytes)
}

/// Best effort: the unit an altered event's bytes claim to concern, when they still decode.
fn claimed_unit(index: u64, bytes: &[u8]) -> Option<String> {
    Event::decode(index, bytes)
        .ok()
        .and_then(|e| e.payload.unit().map(|u| u.to_string()))
}

/// The event bytes at `index` hash to the tree's leaf; if not, the error names the unit the
/// altered event claims to concern, when it decodes.
fn check_event_hash(index: u64, tree_leaf: &Hash, bytes: &[u8]) -> Result<(), VerifyError> {
    let computed = leaf_hash(bytes);
    if computed != *tree_leaf {
        return Err(mismatch(
            index,
            claimed_unit(index, bytes),
            "leaf hash of the event bytes",
            hexs(tree_leaf),
            hexs(&computed),
        ));
    }
    Ok(())
}

/// Compares the tree nodes recomputed from the leaves with the ones the log serves (proofs and
/// tiles are made of them): one range per level.
fn check_served_nodes(client: &dyn LogClient, computed: &[StoredNode]) -> Result<(), VerifyError> {
    let mut by_level: std::collections::BTreeMap<u8, Vec<&StoredNode>> = Default::default();
    for node in computed {
        by_level.entry(node.level).or_default().push(node);
    }
    for (level, nodes) in by_level {
        let first = nodes[0].index;
        let last = nodes[nodes.len() - 1].index;
        let served = fetch_all(first, last + 1, |a, b| client.nodes(level, a, b))?;
        for node in nodes {
            let found = served.get((node.index - first) as usize);
            if found != Some(&node.hash) {
                return Err(VerifyError::Entry {
                    index: node.index << level,
                    unit: None,
                    what: format!("stored tree node at level {level}, index {}", node.index),
                    expected: hexs(&node.hash),
                    found: found.map(hexs).unwrap_or_else(|| "nothing".into()),
                });
            }
        }
    }
    Ok(())
}

/// A snapshot the database keeps for the replayed size must hold exactly the replayed state
/// (the server trusts a snapshot only as a cache; here it is checked against the log). A
/// snapshot no server would start from is not compared but said (`Ok(Some(why))`): one written
/// in another release's format (servers replay instead), or one whose body does not hash to
/// what its signed note says (damaged: a server discards it at start-up). Only an intact
/// snapshot of this format holding another state fails.
fn compare_snapshot(
    client: &dyn LogClient,
    snapshots: &[u64],
    state: &State,
) -> Result<Option<String>, VerifyError> {
    let size = state.size;
    if !snapshots.contains(&size) {
        return Ok(None);
    }
    let Some(note) = client.snapshot_note(size)? else {
        return Ok(None);
    };
    let format = note.lines().next().unwrap_or_default();
    if format != thidua_service::SNAPSHOT_FORMAT {
        return Ok(Some(format!(
            "written in format {format:?} by another release (this one reads {}): servers \
             replay the log instead of starting from it",
            thidua_service::SNAPSHOT_FORMAT
        )));
    }
    let claimed = note.lines().nth(4).and_then(|l| hex::decode(l).ok());
    let Some(body) = client.snapshot_body(size)? else {
        return Ok(None);
    };
    // One pass: the body is hashed as it is parsed, and what the parse left is read too.
    let mut body =
        std::io::BufReader::new(HashingReader(body, <sha2::Sha256 as sha2::Digest>::new()));
    let differs = |found: String| VerifyError::Snapshot { size, found };
    // Streamed: slower than parsing a buffer, but the replayed state is already in memory.
    let parsed: Result<State, _> = serde_json::from_reader(&mut body);
    std::io::copy(&mut body, &mut std::io::sink())
        .map_err(|e| differs(format!("unreadable: {e}")))?;
    let hash = sha2::Digest::finalize(body.into_inner().1);
    if claimed.as_deref() != Some(hash.as_slice()) {
        return Ok(Some(
            "damaged: its body does not match its signed description (a server discards it at \
             start-up and replays the log; a newer snapshot replaces it)"
                .into(),
        ));
    }
    let stored = parsed.map_err(|e| differs(format!("unreadable: {e}")))?;
    if &stored != state {
        return Err(differs(format!(
            "state sha256 {} instead of {}",
            state_fingerprint(&stored),
            state_fingerprint(state)
        )));
    }
    Ok(None)
}

/// A reader that hashes what passes through it.
struct HashingReader<R>(R, sha2::Sha256);

impl<R: std::io::Read> std::io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        sha2::Digest::update(&mut self.1, &buf[..n]);
        Ok(n)
    }
}

/// Calls `fetch` until `[start, end)` is covered or the log returns nothing more.
fn fetch_all<T>(
    start: u64,
    end: u64,
    mut fetch: impl FnMut(u64, u64) -> Result<Vec<T>, ClientError>,
) -> Result<Vec<T>, ClientError> {
    let mut out = Vec::new();
    let mut at = start;
    while at < end {
        let got = fetch(at, end)?;
        if got.is_empty() {
            break;
        }
        let n = (got.len() as u64).min(end - at);
        out.extend(got.into_iter().take(n as usize));
        at += n;
    }
    Ok(out)
}

/// What recomputing the published results from the replayed events found: every mid-year
/// review, year-end draw and publication among them, each computed again from the state just
/// before it (`thidua_domain::midyear::audit`, `thidua_domain::yearend::audit`). The events
/// are the whole log or a member's readable part, folded alike (`State::apply_readable`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub midyear: thidua_domain::midyear::audit::Audit,
    pub yearend: thidua_domain::yearend::audit::Audit,
}

impl Recomputed {
    /// Recomputes what `events` publish; `state` is the state they were replayed into (a
    /// kind of result it holds none of is not replayed again). An event that cannot be
    /// applied is an error.
    pub fn of(state: &State, events: &[Event]) -> Result<Self, String> {
        let mut out = Self::default();
        if !state.midyear.is_empty() {
            out.midyear = thidua_domain::midyear::audit::audit(events)?;
        }
        if !state.yearend.reviews.is_empty() {
            out.yearend = thidua_domain::yearend::audit::audit(events)?;
        }
        Ok(out)
    }

    /// Every difference and every result not recomputed, as sentences; none when everything
    /// recomputed is identical to what the log publishes.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.midyear.differences.is_empty() {
            out.push(format!(
                "mid-year recomputation differs from the log: {}",
                self.midyear.differences.join("; ")
            ));
        }
        if !self.yearend.differences.is_empty() {
            out.push(format!(
                "year-end recomputation differs from the log: {}",
                self.yearend.differences.join("; ")
            ));
        }
        for why in &self.midyear.not_recomputed {
            out.push(format!("mid-year: {why}"));
        }
        for why in &self.yearend.not_recomputed {
            out.push(format!("year-end: {why}"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(size: u64, key: Option<&str>) -> VerifierState {
        VerifierState {
            origin: "thidua.local/log".into(),
            size,
            root: format!("{size:064x}"),
            checkpoint: String::new(),
            log_key: key.map(str::to_owned),
        }
    }

    /// One state per log key: remembering a second log keeps the first; a state file written
    /// before keys were recorded (one bare state) is read as that log's, and replaced by it.
    #[test]
    fn the_state_file_keeps_one_checkpoint_per_log_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verify.state");
        std::fs::write(&path, serde_json::to_vec(&state(5, None)).unwrap()).unwrap();
        let log_key =
            thidua_service::LogKey::load_or_create(&dir.path().join("k"), "thidua.local/log")
                .unwrap();
        let key = Verifier::from_key_string(log_key.verifier_key()).unwrap();
        let v = Verification {
            log_key: &key,
            witnesses: &[],
            min_cosignatures: 0,
            state_path: Some(&path),
            progress: &|_, _| {},
            after_replay: None,
            keep_events: false,
            log_witnesses: LogWitnesses::Ignore,
        };
        let mut states = v.load_states().unwrap();
        assert_eq!(states.of("any").map(|s| s.size), Some(5), "a keyless state");
        states.remember(state(7, Some("a")));
        states.remember(state(3, Some("b")));
        states.remember(state(9, Some("a")));
        v.save_states(&states).unwrap();
        let read = v.load_states().unwrap();
        assert_eq!(read.logs.len(), 2, "{read:?}");
        assert_eq!(read.of("a").map(|s| s.size), Some(9));
        assert_eq!(read.of("b").map(|s| s.size), Some(3));
        assert_eq!(read.of("c").map(|s| s.size), None, "no keyless state left");
    }
}
