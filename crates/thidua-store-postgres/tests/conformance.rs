//! Runs the store's conformance suites against a real PostgreSQL server, one `#[test]` per
//! scenario (`conformance::…`, `accounts::…`), one schema per store. The server comes from
//! `THIDUA_TEST_DATABASE_URL` (default: the role `.ci/postgres-up` makes). With `CI=true` an
//! unreachable server fails the test; elsewhere the test says it skipped.
use std::sync::{Arc, Mutex};

use thidua_store::accounts::AccountStore;
use thidua_store::conformance::Factory;
use thidua_store::EventStore;
use thidua_store_postgres::{test_database_url, PostgresStore, TestSchema};

fn url() -> String {
    test_database_url().expect("checked by reachable()")
}

/// Connects, or decides (CI or not) whether the absence of PostgreSQL is a failure.
fn reachable() -> bool {
    test_database_url().is_some()
}

/// The schemas made for the suite's stores, dropped with it.
struct Schemas {
    made: Mutex<Vec<(usize, TestSchema)>>,
}

impl Factory for Schemas {
    fn fresh(&self) -> Arc<dyn EventStore> {
        let schema = TestSchema::new(&url(), "conf");
        let store: Arc<dyn EventStore> =
            Arc::new(PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap());
        self.made
            .lock()
            .unwrap()
            .push((Arc::as_ptr(&store) as *const () as usize, schema));
        store
    }

    fn reopen(&self, store: &Arc<dyn EventStore>) -> Arc<dyn EventStore> {
        let key = Arc::as_ptr(store) as *const () as usize;
        let made = self.made.lock().unwrap();
        let schema = &made
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .expect("a store made here")
            .1
            .name;
        Arc::new(PostgresStore::open_in_schema(&url(), Some(schema)).unwrap())
    }

    fn execute_sql(&self, store: &Arc<dyn EventStore>, sql: &str) -> Result<u64, String> {
        let key = Arc::as_ptr(store) as *const () as usize;
        let made = self.made.lock().unwrap();
        let (_, schema) = made
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .expect("a store made here");
        schema.execute(sql)
    }
}

/// Hands an event store scenario a factory of stores in fresh schemas (skips without a server).
fn with_schemas(scenario: fn(&dyn Factory)) {
    if !reachable() {
        return;
    }
    scenario(&Schemas {
        made: Mutex::new(Vec::new()),
    });
}

mod conformance {
    thidua_store::event_store_conformance!(super::with_schemas);
}

/// Hands an account store scenario a store in a fresh schema (skips without a server).
fn with_fresh_store(scenario: fn(&dyn AccountStore)) {
    if !reachable() {
        return;
    }
    let schema = TestSchema::new(&url(), "acct");
    let store = PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap();
    scenario(&store);
}

mod accounts {
    thidua_store::account_store_conformance!(super::with_fresh_store);
}

#[test]
fn witness_store_conformance() {
    if !reachable() {
        return;
    }
    let schema = TestSchema::new(&url(), "wit");
    let store = PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap();
    thidua_store::witness::conformance(&store);
}

/// The log's tables refuse TRUNCATE too (which fires no row trigger), and keep their rows.
#[test]
fn the_log_cannot_be_truncated() {
    if !reachable() {
        return;
    }
    let factory = Schemas {
        made: Mutex::new(Vec::new()),
    };
    let store = factory.fresh();
    let entry = thidua_store::Entry {
        index: 0,
        leaf_hash: [7; 32],
        bytes: b"{}".to_vec(),
    };
    let node = thidua_store::Node {
        level: 0,
        index: 0,
        hash: entry.leaf_hash,
    };
    store
        .append(thidua_store::Append {
            expected_size: 0,
            entries: &[entry],
            nodes: &[node],
            checkpoint: "test\n1\n",
        })
        .unwrap();
    for table in ["entries", "tree_nodes", "checkpoints"] {
        let result = factory.execute_sql(&store, &format!("TRUNCATE {table}"));
        assert!(
            result.as_ref().is_err_and(|e| e.contains("append-only")),
            "TRUNCATE {table}: {result:?}"
        );
    }
    let store = factory.reopen(&store);
    assert_eq!(store.size().unwrap(), 1);
    assert!(store.checkpoint_at(1).unwrap().is_some());
}

#[test]
fn debug_output_hides_the_connection_string() {
    if !reachable() {
        return;
    }
    let schema = TestSchema::new(&url(), "dbg");
    let store = PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap();
    let shown = format!("{store:?}");
    assert!(!shown.contains("thidua-test"), "{shown}");
}

#[test]
fn writers_take_turns_across_connections() {
    use std::sync::atomic::{AtomicBool, Ordering};
    if !reachable() {
        return;
    }
    let (schema, elsewhere) = (
        TestSchema::new(&url(), "turn"),
        TestSchema::new(&url(), "turn"),
    );
    let a = PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap();
    let b = Arc::new(PostgresStore::open_in_schema(&url(), Some(&schema.name)).unwrap());
    let released = Arc::new(AtomicBool::new(false));
    let turn = a.writer_turn().unwrap();
    let waiter = {
        let (b, released) = (b.clone(), released.clone());
        std::thread::spawn(move || {
            let _turn = b.writer_turn().unwrap();
            released.load(Ordering::SeqCst)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    released.store(true, Ordering::SeqCst);
    drop(turn);
    assert!(
        waiter.join().unwrap(),
        "the second writer got its turn only after the first gave it back"
    );
    // A store in another schema is not held up by this one's turn.
    let other = PostgresStore::open_in_schema(&url(), Some(&elsewhere.name)).unwrap();
    let _held = a.writer_turn().unwrap();
    drop(other.writer_turn().unwrap());
}
