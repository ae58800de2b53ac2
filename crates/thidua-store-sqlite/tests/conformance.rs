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

    fn execute_sql(&self, store: &Arc<dyn EventStore>, sql: &str) -> Result<u64, String> {
        let key = Arc::as_ptr(store) as *const () as usize;
        let path = {
            let paths = self.paths.lock().unwrap();
            paths
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .expect("a store made here")
                .1
                .clone()
        };
        rusqlite::Connection::open(path)
            .and_then(|c| c.execute(sql, []))
            .map(|n| n as u64)
            .map_err(|e| e.to_string())
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
    let other = dir.path().join("other.txt");
    std::fs::write(&other, "giữ nguyên").unwrap();
    assert!(store.backup(&other).is_err());
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "giữ nguyên",
        "a refused backup leaves an existing file as it was"
    );
    let restored = SqliteStore::open(&copy).unwrap();
    assert_eq!(restored.entries(0, 10).unwrap(), vec![entry]);
    // The database and its backups hold password and token hashes: owner only.
    #[cfg(unix)]
    for file in [dir.path().join("a.db"), copy] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}
