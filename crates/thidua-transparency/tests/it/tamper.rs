//! Tamper tests on copies of a real SQLite database built through `Service`: an attacker with
//! file access drops the append-only triggers and changes one byte of an event (with or without
//! fixing the stored leaf hash), deletes one, reorders two, inserts one, truncates the tail,
//! edits a checkpoint, or rewrites the history and re-signs it (with a new key, or with the
//! real one), deletes the newer checkpoints or all of them, or appends an entry past the newest
//! checkpoint. `Verification` (what `thidua verify` runs) must detect every case; a server must
//! refuse to start on every case it can tell, both replaying every event and starting from the
//! snapshot the log keeps four events before its end, and so must a verifier that remembers
//! nothing (`--no-state`): what the stored log alone shows needs no memory; the witness must
//! detect every case that changes the history it cosigned. Counts are printed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use rusqlite::{params, Connection};
use thidua_ledger::{leaf_hash, CosignerKey};
use thidua_service::{LogKey, Service};
use thidua_store::EventStore;
use thidua_store_sqlite::SqliteStore;
use thidua_transparency::verify::{Verification, VerifyError};
use thidua_transparency::witness::Witness;

use crate::common::*;
use crate::verify::local;

/// The pristine log, verified once and cosigned once (state files kept).
struct Base {
    _log: Log,
    dir: tempfile::TempDir,
    size: u64,
    verifier_key: String,
    witness_key: CosignerKey,
}

impl Base {
    fn db(&self) -> PathBuf {
        self.dir.path().join("base.db")
    }
    fn verify_state(&self) -> PathBuf {
        self.dir.path().join("verify.state")
    }
    fn witness_state(&self) -> PathBuf {
        self.dir.path().join("witness.state")
    }
    fn key_path(&self) -> PathBuf {
        self._log.key_path()
    }
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let log = sqlite_log(60);
        // A snapshot a few events before the end, so that a server may start from it: what it
        // skips must be checked before anything is served, as a full replay checks it.
        log.service.write_snapshot().unwrap();
        for i in 0..4 {
            log.service
                .execute(&thidua_domain::Actor::System, register(&format!("sau{i}")))
                .unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        copy_db(&log.db_path(), &dir.path().join("base.db"));
        let verifier_key = log.service.key().verifier_key().to_owned();
        let witness_key = log.witness_keys[0].1.clone();
        let size = log.service.read().size;
        let base = Base {
            size,
            _log: log,
            dir,
            verifier_key,
            witness_key,
        };
        verify(&base.db(), &base, Some(&base.verify_state())).expect("the pristine copy verifies");
        let (_, report) = open_server(&base.db(), &base, false).expect("the pristine copy opens");
        assert_eq!(
            report.from_snapshot,
            size - 4,
            "a server starts from the snapshot"
        );
        witness(&base.db(), &base, &base.witness_state()).expect("the witness cosigns it");
        base
    })
}

/// Verifies the database `db` as `thidua verify --data` does, with the state file `state`
/// (`None`: `--no-state`).
fn verify(db: &Path, base: &Base, state: Option<&Path>) -> Result<u64, VerifyError> {
    let log_key = thidua_ledger::Verifier::from_key_string(&base.verifier_key).unwrap();
    Verification {
        state_path: state,
        ..Verification::key_only(&log_key)
    }
    .run(&local(db))
    .map(|s| s.size)
}

/// Starts a server on `db`: from its snapshot if it has one, or by replaying every event.
fn open_server(
    db: &Path,
    base: &Base,
    ignore_snapshots: bool,
) -> Result<(Service, thidua_service::OpenReport), thidua_service::ServiceError> {
    let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(db).unwrap());
    let key = LogKey::load(&base.key_path()).unwrap();
    let options = thidua_service::OpenOptions {
        snapshots: thidua_service::SnapshotPolicy { every: 0 },
        ignore_snapshots,
    };
    Service::open_full(
        store,
        key,
        Box::new(thidua_service::SystemEnvironment),
        options,
        &|_, _| {},
    )
}

/// Runs the witness's check (no posting: the log is a local file).
fn witness(db: &Path, base: &Base, state: &Path) -> Result<(), String> {
    let log_key = thidua_ledger::Verifier::from_key_string(&base.verifier_key).unwrap();
    let w = Witness {
        unit: "ca-kg",
        key: &base.witness_key,
        log_key: &log_key,
        state_path: state,
        evidence_dir: &state.with_extension("evidence"),
    };
    let (checkpoint, note) = w.check(&local(db)).map_err(|e| e.to_string())?;
    thidua_transparency::witness::WitnessState {
        origin: checkpoint.origin,
        size: checkpoint.size,
        checkpoint: note,
    }
    .save(state)
    .map_err(|e| e.to_string())
}

#[derive(Clone, Debug)]
enum Tamper {
    /// Flip one bit of one stored event; the stored leaf hash is left alone.
    FlipBit {
        entry: u64,
        byte: usize,
        bit: u8,
    },
    /// Flip one bit and recompute that entry's leaf hash in both tables.
    FlipBitFixLeaf {
        entry: u64,
        byte: usize,
        bit: u8,
    },
    Delete {
        entry: u64,
    },
    Reorder {
        a: u64,
        b: u64,
    },
    /// Insert a copy of another event at `at`, shifting the rest.
    Insert {
        at: u64,
        from: u64,
    },
    /// Drop the last `n` entries with their nodes and checkpoints (a smaller, validly signed log).
    Truncate {
        n: u64,
    },
    /// Change the root in the newest checkpoint's note.
    EditCheckpoint {
        byte: usize,
    },
    /// Overwrite one stored tree node (level 0 is a leaf) with other bytes.
    EditNode {
        level: u8,
        index: u64,
    },
    /// Delete the entries from `keep` on, leaving their tree nodes and checkpoints behind.
    DropTail {
        keep: u64,
    },
    /// Delete the checkpoints (and their cosignatures) larger than `keep`, leaving the entries:
    /// the newest signed checkpoint then covers fewer entries than the log holds.
    DropCheckpoints {
        keep: u64,
    },
    /// Delete every checkpoint and cosignature of the log, leaving its entries.
    DropAllCheckpoints,
    /// Append a copy of the event `from` past the newest checkpoint (with its leaf hash and
    /// level-0 node), as a writer going around the service would.
    AppendPastCheckpoint {
        from: u64,
    },
    /// Replace the log by another history signed with a new key.
    RewriteNewKey {
        extra: usize,
    },
    /// Replace the log by another history signed with the real key (a dishonest operator).
    RewriteSameKey {
        extra: usize,
    },
}

impl Tamper {
    fn kind(&self) -> &'static str {
        match self {
            Tamper::FlipBit { .. } => "change one byte",
            Tamper::FlipBitFixLeaf { .. } => "change one byte + fix its leaf hash",
            Tamper::Delete { .. } => "delete one",
            Tamper::Reorder { .. } => "reorder two",
            Tamper::Insert { .. } => "insert one",
            Tamper::Truncate { .. } => "truncate the tail",
            Tamper::EditCheckpoint { .. } => "edit the checkpoint",
            Tamper::EditNode { .. } => "overwrite a stored tree node",
            Tamper::DropTail { .. } => "delete entries, keep their checkpoints",
            Tamper::DropCheckpoints { .. } => "delete the newer checkpoints",
            Tamper::DropAllCheckpoints => "delete every checkpoint",
            Tamper::AppendPastCheckpoint { .. } => "append past the newest checkpoint",
            Tamper::RewriteNewKey { .. } => "rewrite + re-sign with a new key",
            Tamper::RewriteSameKey { .. } => "rewrite + re-sign with the real key",
        }
    }

    /// Whether a server starting on the changed database must refuse it. A shorter log that is
    /// validly signed, or a history the real key re-signed, is a consistent log to the server
    /// alone: only a verifier or witness that remembers what it saw can tell.
    fn server_detects(&self) -> bool {
        !matches!(
            self,
            Tamper::Truncate { .. } | Tamper::RewriteSameKey { .. }
        )
    }

    /// Whether the change alters what a witness sees (checkpoints and tree).
    fn is_fork(&self) -> bool {
        matches!(
            self,
            Tamper::Truncate { .. }
                | Tamper::EditCheckpoint { .. }
                | Tamper::DropCheckpoints { .. }
                | Tamper::DropAllCheckpoints
                | Tamper::RewriteNewKey { .. }
                | Tamper::RewriteSameKey { .. }
        )
    }
}

fn arbitrary_tamper(size: u64) -> impl Strategy<Value = Tamper> {
    let entry = 0..size;
    prop_oneof![
        (entry.clone(), any::<usize>(), 0u8..8).prop_map(|(entry, byte, bit)| Tamper::FlipBit {
            entry,
            byte,
            bit
        }),
        (entry.clone(), any::<usize>(), 0u8..8)
            .prop_map(|(entry, byte, bit)| Tamper::FlipBitFixLeaf { entry, byte, bit }),
        entry.clone().prop_map(|entry| Tamper::Delete { entry }),
        (entry.clone(), entry.clone())
            .prop_filter("two different entries", |(a, b)| a != b)
            .prop_map(|(a, b)| Tamper::Reorder { a, b }),
        (entry.clone(), entry).prop_map(|(at, from)| Tamper::Insert { at, from }),
        (1..size).prop_map(|n| Tamper::Truncate { n }),
        any::<usize>().prop_map(|byte| Tamper::EditCheckpoint { byte }),
        (0u8..6, any::<u64>()).prop_map(|(level, index)| Tamper::EditNode { level, index }),
        (1..size).prop_map(|keep| Tamper::DropTail { keep }),
        (1..size).prop_map(|keep| Tamper::DropCheckpoints { keep }),
        Just(Tamper::DropAllCheckpoints),
        (0..size).prop_map(|from| Tamper::AppendPastCheckpoint { from }),
        (0usize..80).prop_map(|extra| Tamper::RewriteNewKey { extra }),
        (0usize..80).prop_map(|extra| Tamper::RewriteSameKey { extra }),
    ]
}

fn attacker(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;
         DROP TRIGGER nodes_no_update; DROP TRIGGER nodes_no_delete;
         DROP TRIGGER checkpoints_no_update; DROP TRIGGER checkpoints_no_delete;",
    )
    .unwrap();
    conn
}

fn entry(conn: &Connection, idx: u64) -> (Vec<u8>, Vec<u8>) {
    conn.query_row(
        "SELECT bytes, leaf_hash FROM entries WHERE idx = ?1",
        [idx as i64],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

fn set_entry(conn: &Connection, idx: u64, bytes: &[u8], leaf: &[u8]) {
    conn.execute(
        "UPDATE entries SET bytes = ?2, leaf_hash = ?3 WHERE idx = ?1",
        params![idx as i64, bytes, leaf],
    )
    .unwrap();
}

/// A whole new log in `db`, signed with `key`, with a different history.
fn rewrite(db: &Path, key: LogKey, extra: usize) {
    std::fs::remove_file(db).unwrap();
    let sqlite = Arc::new(SqliteStore::open(db).unwrap());
    let store: Arc<dyn EventStore> = sqlite;
    let service = Service::open(store, key, &|_, _| {}).unwrap();
    populate(&service, extra);
}

fn apply(t: &Tamper, db: &Path, base: &Base, scratch: &Path) {
    let size = base.size;
    match *t {
        Tamper::FlipBit {
            entry: e,
            byte,
            bit,
        }
        | Tamper::FlipBitFixLeaf {
            entry: e,
            byte,
            bit,
        } => {
            let conn = attacker(db);
            let (mut bytes, leaf) = entry(&conn, e);
            let at = byte % bytes.len();
            bytes[at] ^= 1 << bit;
            if matches!(t, Tamper::FlipBit { .. }) {
                set_entry(&conn, e, &bytes, &leaf);
            } else {
                let fixed = leaf_hash(&bytes);
                set_entry(&conn, e, &bytes, &fixed);
                conn.execute(
                    "UPDATE tree_nodes SET hash = ?2 WHERE level = 0 AND idx = ?1",
                    params![e as i64, fixed.as_slice()],
                )
                .unwrap();
            }
        }
        Tamper::Delete { entry: e } => {
            attacker(db)
                .execute("DELETE FROM entries WHERE idx = ?1", [e as i64])
                .unwrap();
        }
        Tamper::Reorder { a, b } => {
            let conn = attacker(db);
            let (ea, eb) = (entry(&conn, a), entry(&conn, b));
            set_entry(&conn, a, &eb.0, &eb.1);
            set_entry(&conn, b, &ea.0, &ea.1);
        }
        Tamper::Insert { at, from } => {
            let conn = attacker(db);
            let (bytes, leaf) = entry(&conn, from);
            conn.execute_batch(&format!(
                "UPDATE entries SET idx = idx + 1000000 WHERE idx >= {at};
                 UPDATE entries SET idx = idx - 1000000 + 1 WHERE idx >= 1000000;"
            ))
            .unwrap();
            conn.execute(
                "INSERT INTO entries (idx, bytes, leaf_hash) VALUES (?1, ?2, ?3)",
                params![at as i64, bytes, leaf],
            )
            .unwrap();
        }
        Tamper::Truncate { n } => {
            let keep = size - n;
            let conn = attacker(db);
            conn.execute("DELETE FROM entries WHERE idx >= ?1", [keep as i64])
                .unwrap();
            conn.execute(
                "DELETE FROM tree_nodes WHERE ((idx + 1) << level) > ?1",
                [keep as i64],
            )
            .unwrap();
            conn.execute("DELETE FROM checkpoints WHERE size > ?1", [keep as i64])
                .unwrap();
            conn.execute(
                "DELETE FROM witness_cosignatures WHERE size > ?1",
                [keep as i64],
            )
            .unwrap();
            // A tail cut down to a size without its own checkpoint is cut to the last signed one.
            let last: i64 = conn
                .query_row("SELECT COALESCE(MAX(size), 0) FROM checkpoints", [], |r| {
                    r.get(0)
                })
                .unwrap();
            conn.execute("DELETE FROM entries WHERE idx >= ?1", [last])
                .unwrap();
            conn.execute(
                "DELETE FROM tree_nodes WHERE ((idx + 1) << level) > ?1",
                [last],
            )
            .unwrap();
        }
        Tamper::EditCheckpoint { byte } => {
            let conn = attacker(db);
            let note: String = conn
                .query_row(
                    "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            // Change one character of the root line (third line) to another base64 character.
            let lines: Vec<&str> = note.split('\n').collect();
            let mut root: Vec<u8> = lines[2].bytes().collect();
            let at = byte % 42;
            root[at] = if root[at] == b'A' { b'B' } else { b'A' };
            let mut edited = lines.clone();
            let root = String::from_utf8(root).unwrap();
            edited[2] = &root;
            conn.execute(
                "UPDATE checkpoints SET note = ?1 WHERE size = ?2",
                params![edited.join("\n"), size as i64],
            )
            .unwrap();
        }
        Tamper::EditNode { level, index } => {
            let conn = attacker(db);
            let changed = conn
                .execute(
                    "UPDATE tree_nodes SET hash = randomblob(32) WHERE level = ?1 AND idx = ?2",
                    params![level, index as i64],
                )
                .unwrap();
            assert_eq!(changed, 1, "node ({level}, {index}) exists");
        }
        Tamper::DropTail { keep } => {
            attacker(db)
                .execute("DELETE FROM entries WHERE idx >= ?1", [keep as i64])
                .unwrap();
        }
        Tamper::DropCheckpoints { keep } => {
            let conn = attacker(db);
            conn.execute("DELETE FROM checkpoints WHERE size > ?1", [keep as i64])
                .unwrap();
            conn.execute(
                "DELETE FROM witness_cosignatures WHERE size > ?1",
                [keep as i64],
            )
            .unwrap();
        }
        Tamper::DropAllCheckpoints => {
            attacker(db)
                .execute_batch("DELETE FROM checkpoints; DELETE FROM witness_cosignatures;")
                .unwrap();
        }
        Tamper::AppendPastCheckpoint { from } => {
            let conn = attacker(db);
            let (bytes, leaf) = entry(&conn, from);
            conn.execute(
                "INSERT INTO entries (idx, bytes, leaf_hash) VALUES (?1, ?2, ?3)",
                params![size as i64, bytes, leaf],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO tree_nodes (level, idx, hash) VALUES (0, ?1, ?2)",
                params![size as i64, leaf],
            )
            .unwrap();
        }
        Tamper::RewriteNewKey { extra } => {
            let key = LogKey::load_or_create(&scratch.join("attacker.key"), ORIGIN).unwrap();
            rewrite(db, key, extra);
        }
        Tamper::RewriteSameKey { extra } => {
            let key = LogKey::load(&base.key_path()).unwrap();
            rewrite(db, key, extra);
            // Same length as what was verified, or more: the forgery must still differ.
        }
    }
}

struct Counts {
    tried: AtomicU64,
    detected: AtomicU64,
    witness_tried: AtomicU64,
    witness_detected: AtomicU64,
}

static COUNTS: Counts = Counts {
    tried: AtomicU64::new(0),
    detected: AtomicU64::new(0),
    witness_tried: AtomicU64::new(0),
    witness_detected: AtomicU64::new(0),
};

/// Applies one tamper to a fresh copy and checks the verifier (and witness) refuse it.
/// Returns the verifier's message.
fn check(t: &Tamper) -> String {
    let base = base();
    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("copy.db");
    copy_db(&base.db(), &db);
    apply(t, &db, base, scratch.path());
    let vstate = scratch.path().join("verify.state");
    std::fs::copy(base.verify_state(), &vstate).unwrap();
    COUNTS.tried.fetch_add(1, Ordering::Relaxed);
    let result = verify(&db, base, Some(&vstate));
    let message = match result {
        Ok(size) => panic!("{t:?} ({}) went undetected (size {size})", t.kind()),
        Err(e) => {
            COUNTS.detected.fetch_add(1, Ordering::Relaxed);
            e.to_string()
        }
    };
    if t.server_detects() {
        // What a server refuses from the stored log alone, a verifier refuses without
        // remembering anything (`thidua verify --no-state`), and says as a failed verification.
        match verify(&db, base, None) {
            Ok(size) => panic!(
                "{t:?} ({}) went undetected without a state file (size {size})",
                t.kind()
            ),
            Err(VerifyError::Client(e)) => panic!(
                "{t:?} ({}): said as an unreadable log, not a failed verification: {e}",
                t.kind()
            ),
            Err(_) => {}
        }
        // Replaying every event, and from the snapshot (which the changed log keeps when the
        // change leaves it and its checkpoint in place).
        for ignore_snapshots in [true, false] {
            if let Ok((service, report)) = open_server(&db, base, ignore_snapshots) {
                panic!(
                    "{t:?} ({}): the server started on it (size {}, from {})",
                    t.kind(),
                    service.read().size,
                    report.from_snapshot
                );
            }
        }
    }
    // The verifier's state is only updated by a successful run.
    assert_eq!(
        std::fs::read(&vstate).unwrap(),
        std::fs::read(base.verify_state()).unwrap()
    );
    if t.is_fork() {
        let wstate = scratch.path().join("witness.state");
        std::fs::copy(base.witness_state(), &wstate).unwrap();
        COUNTS.witness_tried.fetch_add(1, Ordering::Relaxed);
        match witness(&db, base, &wstate) {
            Ok(()) => panic!("{t:?} ({}) went unnoticed by the witness", t.kind()),
            Err(_) => COUNTS.witness_detected.fetch_add(1, Ordering::Relaxed),
        };
    }
    message
}

/// The pristine log's size.
fn size() -> u64 {
    base().size
}

/// One `#[test]` per kind of tampering, so that a failure names it; all share the pristine log
/// that [`base`] builds once. Each prints the verifier's message, so that a reader sees what the
/// operator would (`--nocapture`).
macro_rules! every_kind_of_tampering_is_detected {
    ($($name:ident: $tamper:expr;)*) => {
        mod every_kind_of_tampering_is_detected {
            use super::*;
            $(#[test]
            fn $name() {
                let t = $tamper;
                let message = check(&t);
                eprintln!("{:<40} → {message}", t.kind());
            })*
        }
    };
}

every_kind_of_tampering_is_detected! {
    a_changed_byte: Tamper::FlipBit { entry: 7, byte: 40, bit: 1 };
    a_changed_byte_with_its_leaf_hash_fixed: Tamper::FlipBitFixLeaf { entry: 7, byte: 40, bit: 1 };
    a_deleted_entry: Tamper::Delete { entry: 9 };
    two_entries_reordered: Tamper::Reorder { a: 3, b: 11 };
    an_inserted_copy: Tamper::Insert { at: 5, from: 20 };
    a_truncated_tail: Tamper::Truncate { n: 1 };
    an_edited_checkpoint: Tamper::EditCheckpoint { byte: 0 };
    a_history_rewritten_with_a_new_key: Tamper::RewriteNewKey { extra: 60 };
    a_history_rewritten_with_the_real_key: Tamper::RewriteSameKey { extra: 60 };
    a_longer_history_rewritten_with_the_real_key: Tamper::RewriteSameKey { extra: 80 };
    the_last_entry_deleted: Tamper::Delete { entry: size() - 1 };
    an_overwritten_inner_node: Tamper::EditNode { level: 1, index: 3 };
    an_overwritten_leaf_node: Tamper::EditNode { level: 0, index: 17 };
    an_overwritten_high_node: Tamper::EditNode { level: 5, index: 0 };
    the_last_entry_dropped_with_its_checkpoint_kept: Tamper::DropTail { keep: size() - 1 };
    the_tail_dropped_with_its_checkpoints_kept: Tamper::DropTail { keep: 48 };
    the_newer_checkpoints_deleted: Tamper::DropCheckpoints { keep: 48 };
    every_checkpoint_deleted: Tamper::DropAllCheckpoints;
    an_entry_appended_past_the_newest_checkpoint: Tamper::AppendPastCheckpoint { from: 20 };
}

/// Keeps generated indices inside the pristine log.
fn clamp(t: Tamper, size: u64) -> Tamper {
    let c = |i: u64| i % size;
    match t {
        Tamper::FlipBit { entry, byte, bit } => Tamper::FlipBit {
            entry: c(entry),
            byte,
            bit,
        },
        Tamper::FlipBitFixLeaf { entry, byte, bit } => Tamper::FlipBitFixLeaf {
            entry: c(entry),
            byte,
            bit,
        },
        Tamper::Delete { entry } => Tamper::Delete { entry: c(entry) },
        Tamper::Reorder { a, b } if c(a) != c(b) => Tamper::Reorder { a: c(a), b: c(b) },
        Tamper::Reorder { a, .. } => Tamper::Reorder {
            a: c(a),
            b: c(a + 1),
        },
        Tamper::Insert { at, from } => Tamper::Insert {
            at: c(at),
            from: c(from),
        },
        Tamper::Truncate { n } => Tamper::Truncate {
            n: 1 + n % (size - 1),
        },
        Tamper::EditNode { level, index } => Tamper::EditNode {
            level,
            index: index % (size >> level),
        },
        Tamper::DropTail { keep } => Tamper::DropTail {
            keep: 1 + keep % (size - 1),
        },
        Tamper::DropCheckpoints { keep } => Tamper::DropCheckpoints {
            keep: 1 + keep % (size - 1),
        },
        Tamper::AppendPastCheckpoint { from } => Tamper::AppendPastCheckpoint { from: c(from) },
        other => other,
    }
}

/// 200 random tamperings (property test); prints the counts (run with `--nocapture`).
#[test]
fn random_tampering_is_always_detected() {
    let before = COUNTS.tried.load(Ordering::Relaxed);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let size = base().size;
    let per_kind = std::cell::RefCell::new(std::collections::BTreeMap::<&str, (u64, u64)>::new());
    runner
        .run(&arbitrary_tamper(size), |t| {
            let t = clamp(t, size);
            let fork = t.is_fork();
            check(&t);
            let mut per_kind = per_kind.borrow_mut();
            let e = per_kind.entry(t.kind()).or_default();
            e.0 += 1;
            e.1 += u64::from(fork);
            Ok(())
        })
        .unwrap();
    let tried = COUNTS.tried.load(Ordering::Relaxed) - before;
    assert!(tried >= 200, "{tried}");
    eprintln!("tamper cases by kind (tried, of which witness-checked):");
    for (kind, (n, w)) in per_kind.borrow().iter() {
        eprintln!("  {kind:<40} {n:>4} {w:>4}");
    }
    eprintln!(
        "TAMPER COUNTS (all tests so far): verifier {}/{} detected; witness {}/{} detected",
        COUNTS.detected.load(Ordering::Relaxed),
        COUNTS.tried.load(Ordering::Relaxed),
        COUNTS.witness_detected.load(Ordering::Relaxed),
        COUNTS.witness_tried.load(Ordering::Relaxed),
    );
}

/// An event correctly hashed, in the tree, and signed with the real key, whose actor lacked the
/// role for it: the verifier refuses it, naming the entry, the event and the missing role, and
/// a server refuses to start on it.
#[test]
fn an_event_whose_actor_lacked_the_role_is_refused_by_verify_and_at_start_up() {
    let log = sqlite_log(3);
    let size = log.service.read().size;
    // The leader of ca-kg grants himself the administrator role, appended past the service.
    let forged = thidua_domain::Event {
        index: size,
        time_ms: 1_733_000_000_000,
        actor: thidua_domain::Actor::User(thidua_domain::UserId::parse("lanhdao.kg").unwrap()),
        salt: "ab".repeat(16),
        payload: thidua_domain::Payload::RoleGranted {
            user: thidua_domain::UserId::parse("lanhdao.kg").unwrap(),
            role: thidua_domain::model::Role::Admin,
        },
    };
    append_signed_past_service(&log, &[forged]);
    let verifier = log.log_verifier();
    let err = Verification::key_only(&verifier)
        .run(&local(&log.db_path()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("entry {size}"))
            && err.contains("role_granted")
            && err.contains("user:lanhdao.kg")
            && err.contains("needs the role admin"),
        "{err}"
    );
    let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&log.db_path()).unwrap());
    let err = Service::open(store, LogKey::load(&log.key_path()).unwrap(), &|_, _| {})
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("role_granted") && err.contains("admin"),
        "{err}"
    );
}
