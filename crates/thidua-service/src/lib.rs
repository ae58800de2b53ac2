//! The running log. [`Service`] owns the in-memory [`State`] and Merkle frontier, replays the
//! store into them at start-up (checking every leaf hash and the signed root), executes
//! commands as atomic appends (events + tree nodes + a freshly signed checkpoint in one
//! transaction), retries when another server appended first, and follows other writers.
//!
//! It never mutates state except by applying events that the store has committed.
#![forbid(unsafe_code)]

mod key;

use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Duration;

use thidua_domain::{decide, Actor, Command, DomainError, Event, Payload, State, EVENT_FORMAT};
use thidua_ledger::{leaf_hash, CompactRange, LedgerError};
use thidua_store::{Append, Entry, EventStore, Node, StoreError};

pub use key::LogKey;

/// How many times an append is retried when another writer keeps winning the race.
const MAX_ATTEMPTS: usize = 32;
/// Entries read per query during replay.
const REPLAY_CHUNK: u64 = 10_000;

/// Everything that can go wrong in the service.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("ledger: {0}")]
    Ledger(#[from] LedgerError),
    #[error("the log is corrupt at entry {index}: {reason}")]
    Corrupt { index: u64, reason: String },
    #[error("the log signing key: {0}")]
    Key(String),
    #[error("gave up after {0} attempts: other writers kept appending first")]
    Contention(usize),
}

impl ServiceError {
    /// A stable code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Domain(e) => e.code(),
            ServiceError::Contention(_) => "busy",
            _ => "internal",
        }
    }
}

/// A progress callback: `(done, total)`.
pub type Progress<'a> = &'a dyn Fn(u64, u64);

/// What an append produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Log indices of the new events.
    pub first_index: u64,
    pub count: u64,
    /// The signed checkpoint covering them.
    pub checkpoint: String,
}

struct Inner {
    state: State,
    frontier: CompactRange,
}

/// The source of time and randomness, replaceable in tests.
pub trait Environment: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// 16 random bytes for an event's salt.
    fn salt(&self) -> [u8; 16];
}

/// The real clock and the operating system's random generator.
pub struct SystemEnvironment;

impl Environment for SystemEnvironment {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    fn salt(&self) -> [u8; 16] {
        let mut salt = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut salt);
        salt
    }
}

/// The log service shared by every request handler.
pub struct Service {
    store: Arc<dyn EventStore>,
    key: LogKey,
    env: Box<dyn Environment>,
    inner: RwLock<Inner>,
    /// Serialises this process's appends (other processes are serialised by the store).
    writer: Mutex<()>,
}

impl Service {
    /// Opens the log: replays every stored event, verifying leaf hashes and the latest
    /// checkpoint. `progress(done, total)` is called as the replay advances.
    pub fn open(
        store: Arc<dyn EventStore>,
        key: LogKey,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Self, ServiceError> {
        Self::open_with(store, key, Box::new(SystemEnvironment), progress)
    }

    /// [`open`](Self::open) with an explicit environment.
    pub fn open_with(
        store: Arc<dyn EventStore>,
        key: LogKey,
        env: Box<dyn Environment>,
        progress: &dyn Fn(u64, u64),
    ) -> Result<Self, ServiceError> {
        let service = Self {
            store,
            key,
            env,
            inner: RwLock::new(Inner {
                state: State::default(),
                frontier: CompactRange::new(),
            }),
            writer: Mutex::new(()),
        };
        let total = service.store.size()?;
        {
            let mut inner = service.inner.write().unwrap_or_else(|p| p.into_inner());
            service.catch_up(&mut inner, Some((total, progress)))?;
        }
        service.check_latest_checkpoint()?;
        Ok(service)
    }

    /// Reads and applies every event after the ones already applied.
    fn catch_up(
        &self,
        inner: &mut Inner,
        progress: Option<(u64, Progress<'_>)>,
    ) -> Result<u64, ServiceError> {
        let mut applied = 0;
        loop {
            let from = inner.state.size;
            let entries = self.store.entries(from, from + REPLAY_CHUNK)?;
            if entries.is_empty() {
                return Ok(applied);
            }
            for entry in &entries {
                apply_entry(inner, entry)?;
                applied += 1;
            }
            if let Some((total, report)) = progress {
                report(inner.state.size, total.max(inner.state.size));
            }
        }
    }

    /// The checkpoint stored for the replayed size must be signed by this log's key and commit
    /// to the replayed tree. (Other servers may have appended since; their later checkpoints are
    /// checked when those events are applied by a later start.)
    fn check_latest_checkpoint(&self) -> Result<(), ServiceError> {
        let inner = self.inner.read().unwrap_or_else(|p| p.into_inner());
        let size = inner.frontier.size();
        if size == 0 {
            return Ok(());
        }
        let stored = self
            .store
            .checkpoint_at(size)?
            .ok_or_else(|| ServiceError::Corrupt {
                index: size,
                reason: "no signed checkpoint for the replayed log".into(),
            })?;
        let verifier = thidua_ledger::Verifier::from_key_string(self.key.verifier_key())?;
        let opened = thidua_ledger::open_checkpoint(stored.note.as_bytes(), &[&verifier])?;
        let cp = &opened.checkpoint;
        if cp.size != size || cp.root != inner.frontier.root() {
            return Err(ServiceError::Corrupt {
                index: size,
                reason: "the tree does not match the signed checkpoint".into(),
            });
        }
        Ok(())
    }

    /// Applies events appended by other servers since the last look; returns how many.
    pub fn refresh(&self) -> Result<u64, ServiceError> {
        if self.store.size()? == self.read().size {
            return Ok(0);
        }
        let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
        self.catch_up(&mut inner, None)
    }

    /// Read access to the current state.
    pub fn read(&self) -> StateGuard<'_> {
        StateGuard(self.inner.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The store behind the service.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// The log's public key and origin.
    pub fn key(&self) -> &LogKey {
        &self.key
    }

    /// Validates one command and appends its events.
    pub fn execute(&self, actor: &Actor, command: Command) -> Result<Receipt, ServiceError> {
        self.execute_all(actor, vec![command])
    }

    /// Validates several commands in order (each sees the effects of the ones before) and
    /// appends all their events in one transaction, or nothing.
    pub fn execute_all(
        &self,
        actor: &Actor,
        commands: Vec<Command>,
    ) -> Result<Receipt, ServiceError> {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        // Other servers on the same database wait for this turn to end.
        let _turn = self.store.writer_turn()?;
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                self.back_off(attempt);
            }
            let mut inner = self.inner.write().unwrap_or_else(|p| p.into_inner());
            self.catch_up(&mut inner, None)?;
            let payloads = decide_all(&inner.state, actor, commands.clone())?;
            let (events, entries, nodes, frontier) = self.prepare(&inner, actor, payloads);
            let checkpoint = self.sign(&frontier)?;
            let expected_size = inner.state.size;
            match self.store.append(Append {
                expected_size,
                entries: &entries,
                nodes: &nodes,
                checkpoint: &checkpoint,
            }) {
                Ok(()) => {
                    for event in &events {
                        inner
                            .state
                            .apply(event)
                            .map_err(|e| ServiceError::Corrupt {
                                index: event.index,
                                reason: e.to_string(),
                            })?;
                    }
                    inner.frontier = frontier;
                    return Ok(Receipt {
                        first_index: expected_size,
                        count: events.len() as u64,
                        checkpoint,
                    });
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ServiceError::Contention(MAX_ATTEMPTS))
    }

    /// Waits a random, growing while after losing a race to another writer, so that two busy
    /// servers take turns instead of colliding again at once.
    fn back_off(&self, attempt: usize) {
        let ceiling_us = 200u64 << attempt.min(6);
        let jitter = u64::from_le_bytes(self.env.salt()[..8].try_into().expect("8 bytes"));
        std::thread::sleep(Duration::from_micros(jitter % ceiling_us));
    }

    /// Wraps payloads into events and computes their entries, tree nodes and the new frontier.
    fn prepare(
        &self,
        inner: &Inner,
        actor: &Actor,
        payloads: Vec<Payload>,
    ) -> (Vec<Event>, Vec<Entry>, Vec<Node>, CompactRange) {
        let time_ms = self.env.now_ms();
        let events: Vec<Event> = payloads
            .into_iter()
            .enumerate()
            .map(|(offset, payload)| Event {
                v: EVENT_FORMAT,
                index: inner.state.size + offset as u64,
                time_ms,
                actor: actor.clone(),
                salt: hex::encode(self.env.salt()),
                payload,
            })
            .collect();
        let mut frontier = inner.frontier.clone();
        let (entries, nodes) = seal(&mut frontier, &events);
        (events, entries, nodes, frontier)
    }

    fn sign(&self, frontier: &CompactRange) -> Result<String, ServiceError> {
        self.key.sign_checkpoint(frontier.size(), frontier.root())
    }

    /// Starts a background thread that picks up other servers' appends every `interval`.
    /// It stops when the service is dropped.
    pub fn spawn_follower(self: &Arc<Self>, interval: Duration) -> std::thread::JoinHandle<()> {
        let weak = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("thidua-follower".into())
            .spawn(move || loop {
                std::thread::sleep(interval);
                let Some(service) = weak.upgrade() else {
                    return;
                };
                match service.refresh() {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(events = n, "picked up events from another writer"),
                    Err(e) => tracing::error!(error = %e, "cannot follow the log"),
                }
            })
            .expect("spawn the follower thread")
    }
}

/// Encodes events for the store: their canonical bytes and leaf hashes, and the tree nodes
/// they complete when appended to `frontier` (which advances).
pub fn seal(frontier: &mut CompactRange, events: &[Event]) -> (Vec<Entry>, Vec<Node>) {
    let mut entries = Vec::with_capacity(events.len());
    let mut nodes = Vec::with_capacity(events.len() * 2);
    for event in events {
        let bytes = event.canonical_bytes();
        let leaf = leaf_hash(&bytes);
        nodes.extend(frontier.append(leaf).into_iter().map(|n| Node {
            level: n.level,
            index: n.index,
            hash: n.hash,
        }));
        entries.push(Entry {
            index: event.index,
            bytes,
            leaf_hash: leaf,
        });
    }
    (entries, nodes)
}

/// Decides a batch of commands, each against the state left by the ones before.
fn decide_all(
    state: &State,
    actor: &Actor,
    commands: Vec<Command>,
) -> Result<Vec<Payload>, DomainError> {
    if commands.len() == 1 {
        let command = commands.into_iter().next().expect("one command");
        return decide(state, actor, command);
    }
    let mut scratch = state.clone();
    let mut all = Vec::new();
    for command in commands {
        let payloads = decide(&scratch, actor, command)?;
        for payload in &payloads {
            let event = Event {
                v: EVENT_FORMAT,
                index: scratch.size,
                time_ms: 0,
                actor: actor.clone(),
                salt: String::new(),
                payload: payload.clone(),
            };
            scratch.apply(&event)?;
        }
        all.extend(payloads);
    }
    Ok(all)
}

/// Checks one stored entry and folds it into the state and the frontier.
fn apply_entry(inner: &mut Inner, entry: &Entry) -> Result<(), ServiceError> {
    let corrupt = |reason: String| ServiceError::Corrupt {
        index: entry.index,
        reason,
    };
    if leaf_hash(&entry.bytes) != entry.leaf_hash {
        return Err(corrupt(
            "the stored leaf hash does not match the event bytes".into(),
        ));
    }
    let event =
        Event::decode(inner.state.size, &entry.bytes).map_err(|e| corrupt(e.to_string()))?;
    inner
        .state
        .apply(&event)
        .map_err(|e| corrupt(e.to_string()))?;
    inner.frontier.append(entry.leaf_hash);
    Ok(())
}

/// A read lock on the state.
pub struct StateGuard<'a>(RwLockReadGuard<'a, Inner>);

impl std::ops::Deref for StateGuard<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.0.state
    }
}

impl StateGuard<'_> {
    /// The Merkle root of the applied log.
    pub fn root(&self) -> [u8; 32] {
        self.0.frontier.root()
    }
}
