//! Runs the store's conformance suites against SQLite files in a temporary directory, one
//! `#[test]` per scenario (`conformance::…`, `accounts::…`); and SQLite's own guarantees.
use std::sync::{Arc, Mutex};

use thidua_store::accounts::AccountStore;
use thidua_store::conformance::Factory;
use thidua_store::EventStore;
use thidua_store_sqlite::SqliteStore;

struct Files {
    dir: tempfile::TempDir,
    counter: Mutex<u32>,
    paths: Mutex<Vec<(usize, std::path::PathBuf)>>,
}

impl Factory for Files {
    fn fresh(&self) -> Arc<dyn EventStore> {
        let mut n = self.counter.lock().unwrap();
        *n += 1;
        let path = self.dir.path().join(format!("store-{n}.db"));
        let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&path).unwrap());
        self.paths
            .lock()
            .unwrap()
            .push((Arc::as_ptr(&store) as *const () as usize, path));
        store
    }

    fn reopen(&self, store: &Arc<dyn EventStore>) -> Arc<dyn EventStore> {
        let key = Arc::as_ptr(store) as *const () as usize;
        let paths = self.paths.lock().unwrap();
        let path = &paths
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .expect("a store made here")
            .1;
        Arc::new(SqliteStore::open(path).unwrap())
    }
}

/// Hands an event store scenario a factory of fresh database files.
fn with_files(scenario: fn(&dyn Factory)) {
    scenario(&Files {
        dir: tempfile::tempdir().unwrap(),
        counter: Mutex::new(0),
        paths: Mutex::new(Vec::new()),
    });
}

mod conformance {
    thidua_store::event_store_conformance!(super::with_files);
}

/// Hands an account store scenario a fresh database.
fn with_fresh_store(scenario: fn(&dyn AccountStore)) {
    let dir = tempfile::tempdir().unwrap();
    scenario(&SqliteStore::open(&dir.path().join("accounts.db")).unwrap());
}

mod accounts {
    thidua_store::account_store_conformance!(super::with_fresh_store);
}

#[test]
fn witness_store_conformance() {
    let dir = tempfile::tempdir().unwrap();
    thidua_store::witness::conformance(&SqliteStore::open(&dir.path().join("w.db")).unwrap());
}

#[test]
fn the_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let store = SqliteStore::open(&path).unwrap();
    let bytes = b"{}".to_vec();
    let entry = thidua_store::Entry {
        index: 0,
        leaf_hash: thidua_store::sha256(&bytes),
        bytes,
    };
    store
        .append(thidua_store::Append {
            expected_size: 0,
            entries: &[entry],
            nodes: &[],
            checkpoint: "c\n",
        })
        .unwrap();
    drop(store);
    let conn = rusqlite_conn(&path);
    assert!(conn
        .execute("UPDATE entries SET bytes = x'00'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM entries", []).is_err());
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn backup_is_a_consistent_copy() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let bytes = b"{\"a\":1}".to_vec();
    let entry = thidua_store::Entry {
        index: 0,
        leaf_hash: thidua_store::sha256(&bytes),
        bytes,
    };
    store
        .append(thidua_store::Append {
            expected_size: 0,
            entries: std::slice::from_ref(&entry),
            nodes: &[],
            checkpoint: "c\n",
        })
        .unwrap();
    let copy = dir.path().join("copy.db");
    store.backup(&copy).unwrap();
    assert!(store.backup(&copy).is_err(), "never overwrites");
    let restored = SqliteStore::open(&copy).unwrap();
    assert_eq!(restored.entries(0, 10).unwrap(), vec![entry]);
}
