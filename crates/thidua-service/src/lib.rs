//! The running log. [`Service`] owns the current [`View`] (the folded state and the Merkle
//! frontier), rebuilds it at start-up from the newest valid snapshot and the events after it
//! (checking every leaf hash, every stored tree node and the signed checkpoints), executes
//! commands as atomic appends (events + tree nodes + a freshly signed checkpoint in one
//! transaction), retries when another server appended first, and follows other writers.
//!
//! Readers take the current view (an `Arc`, never waiting on a writer); a writer decides against
//! the view it read, appends, and only then publishes the new view. The state never changes
//! except by events the store has committed; if the log read back cannot be applied, the service
//! halts its writes and says why.
#![forbid(unsafe_code)]

mod audit;
mod key;
mod replay;
mod snapshot;

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use thidua_domain::{decide_and_apply, Actor, Command, DomainError, Event, Payload, State};
use thidua_ledger::{leaf_hash, CompactRange, Hash, LedgerError};
use thidua_store::{Append, Entry, EventStore, Node, StoreError};

pub use key::LogKey;
pub use replay::check_not_truncated;
pub use snapshot::{SnapshotError, SnapshotPolicy, FORMAT as SNAPSHOT_FORMAT};

/// How many times an append is retried when another writer keeps winning the race.
const MAX_ATTEMPTS: usize = 32;

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
    #[error("the service has stopped accepting writes: {0}")]
    Halted(String),
    /// A command made from the state at `expected` entries found the log at `size`: nothing
    /// was appended ([`Service::execute_at`]).
    #[error("the log grew from {expected} to {size} entries since the command was made from it")]
    Moved { expected: u64, size: u64 },
}

impl ServiceError {
    /// A stable code for API responses.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Domain(e) => e.code(),
            ServiceError::Contention(_) | ServiceError::Moved { .. } => "busy",
            ServiceError::Halted(_) => "halted",
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

/// The log as applied up to some size: the folded state and the Merkle frontier. Immutable
/// once published; readers hold it as long as they need without blocking anyone.
#[derive(Clone, Debug, Default)]
pub struct View {
    pub state: State,
    frontier: CompactRange,
}

impl std::ops::Deref for View {
    type Target = State;
    fn deref(&self) -> &State {
        &self.state
    }
}

impl View {
    /// The Merkle root of the applied log.
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }
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

/// How the service opens the log.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// When to write snapshots (the default: every 100,000 events, in the background).
    pub snapshots: SnapshotPolicy,
    /// Replay from the first event even if a snapshot exists (the verifier's way).
    pub ignore_snapshots: bool,
}

/// The log service shared by every request handler.
pub struct Service {
    store: Arc<dyn EventStore>,
    key: Arc<LogKey>,
    env: Box<dyn Environment>,
    view: RwLock<Arc<View>>,
    /// Serialises this process's appends (other processes are serialised by the store).
    writer: Mutex<()>,
    /// Why writes stopped, once the log read back could not be applied.
    halted: RwLock<Option<String>>,
    snapshots: snapshot::Snapshots,
    /// Events the background audit of the start-up snapshot has replayed so far.
    audited: std::sync::atomic::AtomicU64,
}

/// How the service came to its state at start-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenReport {
    /// The snapshot size the replay started from (0: the first event).
    pub from_snapshot: u64,
    /// Events replayed after it.
    pub replayed: u64,
    /// Why a stored snapshot was not used, if one was discarded.
    pub discarded_snapshot: Option<String>,
    /// The time spent checking the entries and tree nodes below the snapshot before serving
    /// (zero without a snapshot: the replay checks them).
    pub prefix_check: Duration,
}

impl Service {
    /// Opens the log: loads the newest valid snapshot, replays the events after it, and checks
    /// leaf hashes, stored nodes and checkpoints. `progress(done, total)` follows the replay.
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
        Self::open_full(store, key, env, OpenOptions::default(), progress).map(|(s, _)| s)
    }

    /// Opens with every option, and reports how the state was rebuilt.
    pub fn open_full(
        store: Arc<dyn EventStore>,
        key: LogKey,
        env: Box<dyn Environment>,
        options: OpenOptions,
        progress: &dyn Fn(u64, u64),
    ) -> Result<(Self, OpenReport), ServiceError> {
        let total = replay::check_not_truncated(&*store)?;
        let (start, discarded) = if options.ignore_snapshots {
            (View::default(), None)
        } else {
            snapshot::load(&*store, &key, total)
        };
        if let Some(reason) = &discarded {
            tracing::error!(%reason, "a stored snapshot was discarded; replaying the whole log");
        }
        let from_snapshot = start.state.size;
        let check_started = std::time::Instant::now();
        if from_snapshot > 0 {
            // What the snapshot let start-up skip is still served (proofs, leaves, entries,
            // tiles): its bytes and tree nodes are checked before anything is served.
            let root = replay::check_prefix(&*store, from_snapshot)?;
            if root != start.root() {
                return Err(replay::corrupt(
                    from_snapshot,
                    "the entries before the snapshot do not give its signed root",
                ));
            }
        }
        let prefix_check = check_started.elapsed();
        let mut view = start;
        let replayed = replay::catch_up(&*store, &mut view, Some((total, progress)))?;
        replay::check_checkpoints(&*store, &key, &view)?;
        let service = Self {
            store,
            key: Arc::new(key),
            env,
            view: RwLock::new(Arc::new(view)),
            writer: Mutex::new(()),
            halted: RwLock::new(None),
            snapshots: snapshot::Snapshots::new(options.snapshots, from_snapshot),
            audited: std::sync::atomic::AtomicU64::new(0),
        };
        let report = OpenReport {
            from_snapshot,
            replayed,
            discarded_snapshot: discarded,
            prefix_check,
        };
        Ok((service, report))
    }

    /// Applies events appended by other servers since the last look; returns how many. A log
    /// that cannot be applied halts writes.
    pub fn refresh(&self) -> Result<u64, ServiceError> {
        if self.store.size()? == self.read().size {
            return Ok(0);
        }
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        self.catch_up()
    }

    /// Brings the published view up to the store (the caller holds the writer lock).
    fn catch_up(&self) -> Result<u64, ServiceError> {
        let mut view = View::clone(&self.read());
        match replay::catch_up(&*self.store, &mut view, None) {
            Ok(0) => Ok(0),
            Ok(n) => {
                self.publish(view);
                Ok(n)
            }
            Err(e) => {
                self.halt(&e);
                Err(e)
            }
        }
    }

    /// Replaces the served view by `base` (a view of a prefix of the log rebuilt from the first
    /// event) brought up to the store's end: what the background audit does when the snapshot
    /// start-up used does not match the log.
    fn rebase(&self, base: View) {
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let mut view = base;
        match replay::catch_up(&*self.store, &mut view, None) {
            Ok(_) => self.publish(view),
            Err(e) => self.halt(&e),
        }
    }

    /// Stops accepting writes, loudly.
    pub(crate) fn halt(&self, e: &ServiceError) {
        tracing::error!(error = %e, "the log read back does not match the service's state: writes are halted");
        let mut halted = self.halted.write().unwrap_or_else(|p| p.into_inner());
        halted.get_or_insert_with(|| e.to_string());
    }

    /// Why writes are halted, if they are.
    pub fn halted(&self) -> Option<String> {
        self.halted
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn publish(&self, view: View) {
        let view = Arc::new(view);
        *self.view.write().unwrap_or_else(|p| p.into_inner()) = Arc::clone(&view);
        self.snapshots.after_publish(self, &view);
    }

    /// The log's clock: the time (milliseconds since the Unix epoch) an event appended now would
    /// carry and be decided at. Dry runs read it so that they judge as the append would.
    pub fn now_ms(&self) -> i64 {
        self.env.now_ms()
    }

    /// The current view of the log: the state and its root. Never waits for a writer.
    pub fn read(&self) -> Arc<View> {
        Arc::clone(&self.view.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// [`Service::read`] after picking up what other processes (another server on the same
    /// database, a command-line write) committed: one query of the log's size, and a catch-up
    /// only when it grew. What a request reads that must see every write acknowledged before it
    /// began, so that a save on one server shows on the next page whichever server answers it.
    /// A store that cannot be read, or halted writes, leave the view as it is (logged).
    pub fn read_fresh(&self) -> Arc<View> {
        if self.halted().is_none() {
            if let Err(e) = self.refresh() {
                tracing::warn!(error = %e, "cannot pick up the log's newest entries; serving the last view");
            }
        }
        self.read()
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
    /// appends all their events in one transaction, or nothing. Readers are never blocked: the
    /// decision is made on the current view, and the new view is published after the append.
    pub fn execute_all(
        &self,
        actor: &Actor,
        commands: Vec<Command>,
    ) -> Result<Receipt, ServiceError> {
        self.execute_checked(actor, commands, None)
    }

    /// [`Service::execute`] only if the log is still `size` entries long when this writer's
    /// turn comes: for a command made from the state at that size (an issued document, whose
    /// content recites the log), so that what it was made from is exactly the state before
    /// its record. Otherwise nothing is appended ([`ServiceError::Moved`]) and the caller
    /// makes it again from the newer state.
    pub fn execute_at(
        &self,
        actor: &Actor,
        command: Command,
        size: u64,
    ) -> Result<Receipt, ServiceError> {
        self.execute_checked(actor, vec![command], Some(size))
    }

    /// [`Service::execute_all`], refused without appending when the log is no longer
    /// `made_at` entries long (if given).
    fn execute_checked(
        &self,
        actor: &Actor,
        commands: Vec<Command>,
        made_at: Option<u64>,
    ) -> Result<Receipt, ServiceError> {
        if let Some(reason) = self.halted() {
            return Err(ServiceError::Halted(reason));
        }
        let _writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        // Writes may have halted while this one waited for its turn (the audit halts before it
        // takes the writer lock to rebuild the view).
        if let Some(reason) = self.halted() {
            return Err(ServiceError::Halted(reason));
        }
        // Other servers on the same database wait for this turn to end.
        let _turn = self.store.writer_turn()?;
        for attempt in 0..MAX_ATTEMPTS {
            if attempt > 0 {
                self.back_off(attempt);
            }
            self.catch_up()?;
            let current = self.read();
            if let Some(expected) = made_at.filter(|m| *m != current.state.size) {
                return Err(ServiceError::Moved {
                    expected,
                    size: current.state.size,
                });
            }
            let time_ms = self.env.now_ms();
            let (payloads, after) = decide_all(&current.state, actor, time_ms, commands.clone())?;
            let (events, entries, nodes, frontier) =
                self.prepare(&current, actor, time_ms, payloads);
            let checkpoint = self.key.sign_checkpoint(frontier.size(), frontier.root())?;
            let expected_size = current.state.size;
            match self.store.append(Append {
                expected_size,
                entries: &entries,
                nodes: &nodes,
                checkpoint: &checkpoint,
            }) {
                Ok(()) => {
                    self.publish(View {
                        state: after,
                        frontier,
                    });
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
        current: &View,
        actor: &Actor,
        time_ms: i64,
        payloads: Vec<Payload>,
    ) -> (Vec<Event>, Vec<Entry>, Vec<Node>, CompactRange) {
        let events: Vec<Event> = payloads
            .into_iter()
            .enumerate()
            .map(|(offset, payload)| Event {
                index: current.state.size + offset as u64,
                time_ms,
                actor: actor.clone(),
                salt: hex::encode(self.env.salt()),
                payload,
            })
            .collect();
        let mut frontier = current.frontier.clone();
        let (entries, nodes) = seal(&mut frontier, &events);
        (events, entries, nodes, frontier)
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
                if service.halted().is_some() {
                    continue;
                }
                match service.refresh() {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(events = n, "picked up events from another writer"),
                    Err(e) => tracing::error!(error = %e, "cannot follow the log"),
                }
            })
            .expect("spawn the follower thread")
    }

    /// Checks, in the background, the state of the snapshot start-up used: the events below it
    /// are replayed from the first one and the state compared with the snapshot's (their bytes
    /// and tree nodes were checked before start-up finished). A snapshot that does not match is
    /// replaced by the replayed state, the served view rebuilt from the replay, and writes
    /// halted. Returns the thread, which ends when done.
    pub fn spawn_audit(self: &Arc<Self>) -> Option<std::thread::JoinHandle<()>> {
        let upto = self.snapshots.started_from();
        (upto > 0).then(|| audit::spawn(Arc::clone(self), upto))
    }

    /// How far the background audit of the start-up snapshot is: (events replayed, events to
    /// replay); (0, 0) when start-up used no snapshot.
    pub fn audit_progress(&self) -> (u64, u64) {
        let done = self.audited.load(std::sync::atomic::Ordering::Relaxed);
        (done, self.snapshots.started_from())
    }

    /// Writes a snapshot of the current view now (operators and tests; the service also writes
    /// them by itself according to its policy).
    pub fn write_snapshot(&self) -> Result<u64, ServiceError> {
        let view = self.read();
        snapshot::write(&*self.store, &self.key, &view)?;
        Ok(view.state.size)
    }
}

/// The frontier of the first `size` leaves, read from the stored peaks.
pub fn stored_frontier(store: &dyn EventStore, size: u64) -> Result<CompactRange, ServiceError> {
    let mut peaks = Vec::new();
    for (level, index) in thidua_ledger::tree::peak_ids(size) {
        let hash = store
            .node(level, index)?
            .ok_or_else(|| ServiceError::Corrupt {
                index: size,
                reason: format!("the tree node at level {level}, index {index} is missing"),
            })?;
        peaks.push(hash);
    }
    Ok(CompactRange::from_parts(size, peaks)?)
}

/// Appends events already built, numbered from `frontier`'s size, with the tree nodes they
/// complete and a checkpoint signed with `key`, without deciding them (`frontier` advances):
/// how bulk loaders (`thidua bench`, the start-up example) fill a store, and how tests write
/// what a holder of the key and the database could forge. The service's own writes decide
/// first ([`Service::execute_all`]). Returns the stored entries.
pub fn append_sealed(
    store: &dyn EventStore,
    key: &LogKey,
    frontier: &mut CompactRange,
    events: &[Event],
) -> Result<Vec<Entry>, ServiceError> {
    let expected_size = frontier.size();
    let (entries, nodes) = seal(frontier, events);
    let checkpoint = key.sign_checkpoint(frontier.size(), frontier.root())?;
    store.append(Append {
        expected_size,
        entries: &entries,
        nodes: &nodes,
        checkpoint: &checkpoint,
    })?;
    Ok(entries)
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

/// Decides a batch of commands, each against the state left by the ones before; returns the
/// events and the state after all of them.
fn decide_all(
    state: &State,
    actor: &Actor,
    time_ms: i64,
    commands: Vec<Command>,
) -> Result<(Vec<Payload>, State), DomainError> {
    let mut scratch = state.clone();
    let mut all = Vec::new();
    for command in commands {
        let (payloads, after) = decide_and_apply(&scratch, actor, time_ms, command)?;
        scratch = after;
        all.extend(payloads);
    }
    Ok((all, scratch))
}
