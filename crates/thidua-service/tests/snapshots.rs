//! Snapshots are caches: start-up from one gives the same state as a full replay; a snapshot
//! that does not match (its body, its signature) is discarded and the log replayed; the part of
//! the log a snapshot let start-up skip is audited in the background; and a log read back that
//! cannot be applied halts writes instead of serving a state that disagrees with the store.

use std::sync::Arc;

use thidua_domain::{Actor, Command, Event, Payload, Text, UserId};
use thidua_service::{
    LogKey, OpenOptions, Service, ServiceError, SnapshotPolicy, SystemEnvironment,
};
use thidua_store::EventStore;
use thidua_store_postgres::{test_database_url, PostgresStore, TestSchema};
use thidua_store_sqlite::SqliteStore;

fn register(name: &str) -> Command {
    Command::RegisterUser {
        user: UserId::parse(name).unwrap(),
        display_name: Text::parse("name", &format!("Cán bộ {name}"), 100).unwrap(),
        demo: true,
    }
}

fn key(dir: &std::path::Path) -> LogKey {
    LogKey::load_or_create(&dir.join("log.key"), "test.thidua/log").unwrap()
}

fn open_with(
    store: Arc<dyn EventStore>,
    dir: &std::path::Path,
    ignore_snapshots: bool,
) -> (Service, thidua_service::OpenReport) {
    let options = OpenOptions {
        snapshots: SnapshotPolicy { every: 0 },
        ignore_snapshots,
    };
    Service::open_full(
        store,
        key(dir),
        Box::new(SystemEnvironment),
        options,
        &|_, _| {},
    )
    .unwrap()
}

/// A log of 250 events with a snapshot at 200.
fn log_with_snapshot(store: Arc<dyn EventStore>, dir: &std::path::Path) {
    let (service, _) = open_with(store, dir, false);
    for batch in 0..25 {
        let commands = (0..8).map(|i| register(&format!("u{batch}-{i}"))).collect();
        service.execute_all(&Actor::System, commands).unwrap();
        if batch == 24 {
            break;
        }
        service
            .execute(&Actor::System, register(&format!("x{batch}")))
            .unwrap();
        service
            .execute(&Actor::System, register(&format!("y{batch}")))
            .unwrap();
        if service.read().size == 200 {
            assert_eq!(service.write_snapshot().unwrap(), 200);
        }
    }
    assert_eq!(service.read().size, 248);
}

fn snapshot_start_is_a_full_replay(store: Arc<dyn EventStore>, dir: &std::path::Path) {
    log_with_snapshot(store.clone(), dir);
    let (from_snapshot, report) = open_with(store.clone(), dir, false);
    assert_eq!(report.from_snapshot, 200);
    assert_eq!(report.replayed, 48);
    assert_eq!(report.discarded_snapshot, None);
    let (full, report) = open_with(store, dir, true);
    assert_eq!(report.from_snapshot, 0);
    assert_eq!(from_snapshot.read().state, full.read().state);
    assert_eq!(from_snapshot.read().root(), full.read().root());
    // Writing goes on from the snapshot's state.
    from_snapshot
        .execute(&Actor::System, register("after"))
        .unwrap();
    let err = from_snapshot
        .execute(&Actor::System, register("u3-3"))
        .unwrap_err();
    assert_eq!(err.code(), "user_exists", "the snapshot's users are known");
}

#[test]
fn a_start_from_a_snapshot_equals_a_full_replay_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.db")).unwrap());
    snapshot_start_is_a_full_replay(store, dir.path());
}

#[test]
fn a_start_from_a_snapshot_equals_a_full_replay_on_postgres() {
    let Some(url) = test_database_url() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let schema = TestSchema::new(&url, "snap");
    let store = Arc::new(PostgresStore::open_in_schema(&url, Some(&schema.name)).unwrap());
    snapshot_start_is_a_full_replay(store, dir.path());
}

#[test]
fn a_snapshot_that_does_not_match_is_discarded_and_the_log_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    log_with_snapshot(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A forged state: one more user, in a body whose hash no longer matches the signed note.
    let body: Vec<u8> = conn
        .query_row(
            "SELECT bytes FROM snapshot_chunks WHERE size = 200 AND seq = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let forged = String::from_utf8(body).unwrap().replacen("u0-0", "u0-9", 1);
    conn.execute(
        "UPDATE snapshot_chunks SET bytes = ?1 WHERE size = 200 AND seq = 0",
        [forged.as_bytes()],
    )
    .unwrap();
    let (service, report) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
    assert_eq!(report.from_snapshot, 0);
    let reason = report.discarded_snapshot.expect("discarded");
    assert!(reason.contains("snapshot 200"), "{reason}");
    assert_eq!(service.read().size, 248);
    assert!(service
        .read()
        .users
        .contains_key(&UserId::parse("u0-0").unwrap()));

    // A snapshot signed by another key is not trusted either.
    let other = tempfile::tempdir().unwrap();
    let (theirs, _) = open_with(
        Arc::new(SqliteStore::open(&other.path().join("o.db")).unwrap()),
        other.path(),
        false,
    );
    for i in 0..200 {
        theirs
            .execute(&Actor::System, register(&format!("o{i}")))
            .unwrap();
    }
    theirs.write_snapshot().unwrap();
    let note: String = rusqlite::Connection::open(other.path().join("o.db"))
        .unwrap()
        .query_row("SELECT note FROM snapshots WHERE size = 200", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("UPDATE snapshots SET note = ?1 WHERE size = 200", [note])
        .unwrap();
    let (_, report) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
    assert!(report.discarded_snapshot.unwrap().contains("signature"));
}

/// A snapshot an earlier release wrote (another format on its note's first line, correctly
/// signed) is discarded with that reason, and the log replayed: a state shape it cannot hold
/// is never compared with the replayed one.
#[test]
fn a_snapshot_of_an_earlier_format_is_discarded_and_the_log_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    log_with_snapshot(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let note: String = conn
        .query_row("SELECT note FROM snapshots WHERE size = 200", [], |r| {
            r.get(0)
        })
        .unwrap();
    let key = key(dir.path());
    let text = key.open_note(&note).unwrap();
    let (_, rest) = text.split_once('\n').unwrap();
    let older = key
        .sign_note(&format!("thidua-snapshot/2\n{rest}"))
        .unwrap();
    conn.execute("UPDATE snapshots SET note = ?1 WHERE size = 200", [older])
        .unwrap();
    let (service, report) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
    assert_eq!(report.from_snapshot, 0);
    let reason = report.discarded_snapshot.expect("discarded");
    assert!(reason.contains("format thidua-snapshot/2"), "{reason}");
    assert_eq!(service.read().size, 248);
    assert!(
        service.halted().is_none(),
        "nothing halts: the log was replayed"
    );
}

#[test]
fn the_log_before_a_snapshot_is_checked_before_anything_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    log_with_snapshot(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    {
        let (service, report) =
            open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
        assert_eq!(report.from_snapshot, 200);
        let service = Arc::new(service);
        assert_eq!(
            service.audit_progress().1,
            200,
            "the snapshot's events to audit"
        );
        service
            .spawn_audit()
            .expect("started from a snapshot")
            .join()
            .unwrap();
        assert_eq!(service.halted(), None, "a clean log passes the audit");
        assert_eq!(service.audit_progress(), (200, 200), "for /metrics");
    }
    // Below the snapshot, what proofs, leaves, entries and tiles are served from is checked
    // at start-up, before serving: an interior node, a leaf node, or an entry's bytes with its
    // leaf hash fixed.
    let tampered = [
        "UPDATE tree_nodes SET hash = randomblob(32) WHERE level = 2 AND idx = 5",
        "UPDATE tree_nodes SET hash = randomblob(32) WHERE level = 0 AND idx = 17",
        "UPDATE entries SET bytes = CAST(bytes || x'20' AS BLOB) WHERE idx = 34",
        "UPDATE entries SET leaf_hash = randomblob(32) WHERE idx = 34",
    ];
    for (n, change) in tampered.iter().enumerate() {
        let copy = dir.path().join(format!("copy-{n}.db"));
        std::fs::copy(&db, &copy).unwrap();
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute_batch("DROP TRIGGER nodes_no_update; DROP TRIGGER entries_no_update;")
            .unwrap();
        assert_eq!(conn.execute(change, []).unwrap(), 1, "{change}");
        drop(conn);
        let opened = Service::open_full(
            Arc::new(SqliteStore::open(&copy).unwrap()),
            key(dir.path()),
            Box::new(SystemEnvironment),
            OpenOptions {
                snapshots: SnapshotPolicy { every: 0 },
                ignore_snapshots: false,
            },
            &|_, _| {},
        );
        match opened {
            Err(ServiceError::Corrupt { index, reason }) => {
                assert!(
                    index < 200,
                    "{change}: found below the snapshot ({index}: {reason})"
                )
            }
            Err(e) => panic!("{change}: {e}"),
            Ok((_, report)) => panic!("{change}: the server started ({report:?})"),
        }
    }
}

#[test]
fn a_signed_snapshot_that_does_not_match_the_log_is_found_replaced_and_halts_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    log_with_snapshot(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    let (full, _) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), true);
    let truth = full.read().state.clone();
    drop(full);
    thidua_test_support::forge_snapshot(&db, &key(dir.path()), 200, &|body| {
        body.replacen("Cán bộ u0-1", "Cán bộ giả mạo", 1)
    });

    // Its signature holds, so start-up uses it; the background audit replays and compares.
    let (service, report) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
    assert_eq!(report.from_snapshot, 200);
    assert_ne!(service.read().state, truth);
    let service = Arc::new(service);
    service.spawn_audit().unwrap().join().unwrap();
    let reason = service.halted().expect("a wrong snapshot halts writes");
    assert!(
        reason.contains("snapshot at 200") && reason.contains("users"),
        "{reason}"
    );
    assert_eq!(
        service.read().state,
        truth,
        "the served state is rebuilt from the log"
    );
    assert!(matches!(
        service.execute(&Actor::System, register("after")),
        Err(ServiceError::Halted(_))
    ));
    drop(service);

    // It is never trusted again: the stored snapshot now holds the replayed state.
    let (again, report) = open_with(Arc::new(SqliteStore::open(&db).unwrap()), dir.path(), false);
    assert_eq!(report.from_snapshot, 200);
    assert_eq!(again.read().state, truth);
    let again = Arc::new(again);
    again.spawn_audit().unwrap().join().unwrap();
    assert_eq!(again.halted(), None);
}

#[test]
fn a_log_read_back_that_cannot_be_applied_halts_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&db).unwrap());
    let (service, _) = open_with(store.clone(), dir.path(), false);
    service
        .execute(&Actor::System, register("lanhdao"))
        .unwrap();
    // "Another server" appends a well-formed, correctly signed event whose actor lacks the role.
    let forged = Event {
        index: 1,
        time_ms: 1,
        actor: Actor::User(UserId::parse("lanhdao").unwrap()),
        salt: "00".repeat(16),
        payload: Payload::RoleGranted {
            user: UserId::parse("lanhdao").unwrap(),
            role: thidua_domain::model::Role::Admin,
        },
    };
    let mut frontier = thidua_service::stored_frontier(&*store, 1).unwrap();
    thidua_service::append_sealed(&*store, &key(dir.path()), &mut frontier, &[forged]).unwrap();
    let err = service.refresh().unwrap_err();
    assert!(err.to_string().contains("role_granted"), "{err}");
    assert!(service.halted().is_some());
    assert_eq!(
        service.read().size,
        1,
        "the state did not take the forged event"
    );
    assert!(matches!(
        service.execute(&Actor::System, register("next")),
        Err(ServiceError::Halted(_))
    ));
    // And a fresh start names the event and the missing role.
    let err = Service::open(store, key(dir.path()), &|_, _| {})
        .err()
        .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("entry 1")
            && message.contains("user:lanhdao")
            && message.contains("admin"),
        "{message}"
    );
}
