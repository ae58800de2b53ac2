//! The service against real databases: replay, verification at start-up, two writers on one
//! database, and following another server's appends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use thidua_domain::{Actor, Command, Text, UserId};
use thidua_service::{LogKey, Service, ServiceError};
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

fn open(store: Arc<dyn EventStore>, dir: &std::path::Path) -> Service {
    Service::open(store, key(dir), &|_, _| {}).unwrap()
}

#[test]
fn replay_rebuilds_state_and_root() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let (state, root) = {
        let service = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
        for i in 0..20 {
            service
                .execute(&Actor::System, register(&format!("u{i}")))
                .unwrap();
        }
        service
            .execute_all(
                &Actor::System,
                (20..30).map(|i| register(&format!("u{i}"))).collect(),
            )
            .unwrap();
        let err = service.execute(&Actor::System, register("u3")).unwrap_err();
        assert_eq!(err.code(), "user_exists");
        let guard = service.read();
        (guard.state.clone(), guard.root())
    };
    let again = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    assert_eq!(again.read().state, state);
    assert_eq!(again.read().root(), root);
    assert_eq!(again.read().size, 30);
}

#[test]
fn a_failing_batch_appends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let service = open(
        Arc::new(SqliteStore::open(&dir.path().join("t.db")).unwrap()),
        dir.path(),
    );
    let err = service
        .execute_all(
            &Actor::System,
            vec![register("a"), register("b"), register("a")],
        )
        .unwrap_err();
    assert_eq!(err.code(), "user_exists");
    assert_eq!(service.read().size, 0);
    assert_eq!(service.store().size().unwrap(), 0);
}

#[test]
fn start_up_refuses_a_tampered_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let service = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
        for i in 0..5 {
            service
                .execute(&Actor::System, register(&format!("u{i}")))
                .unwrap();
        }
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER entries_no_update")
        .unwrap();
    conn.execute("UPDATE entries SET bytes = CAST(replace(CAST(bytes AS TEXT), 'u2', 'u9') AS BLOB) WHERE idx = 2", []).unwrap();
    drop(conn);
    let err = Service::open(
        Arc::new(SqliteStore::open(&db).unwrap()),
        key(dir.path()),
        &|_, _| {},
    )
    .err()
    .unwrap();
    assert!(
        matches!(err, ServiceError::Corrupt { index: 2, .. }),
        "{err}"
    );
}

#[test]
fn start_up_refuses_a_log_signed_by_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    {
        let service = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
        service.execute(&Actor::System, register("u0")).unwrap();
    }
    let other = tempfile::tempdir().unwrap();
    let err = Service::open(
        Arc::new(SqliteStore::open(&db).unwrap()),
        key(other.path()),
        &|_, _| {},
    )
    .err()
    .unwrap();
    assert!(matches!(err, ServiceError::Ledger(_)), "{err}");
}

#[test]
fn the_key_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k");
    let key = LogKey::load_or_create(&path, "test.thidua/log").unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(
        !format!("{key:?}").contains("PRIVATE"),
        "Debug never shows the private key"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(LogKey::load(&path).is_err());
}

/// Two services on one database: writes interleave without forking and each sees the other's.
fn two_writers(a: Arc<dyn EventStore>, b: Arc<dyn EventStore>, dir: &std::path::Path) {
    let a = Arc::new(open(a, dir));
    let b = Arc::new(open(b, dir));
    let handles: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .enumerate()
        .map(|(n, s)| {
            std::thread::spawn(move || {
                for i in 0..30 {
                    s.execute(&Actor::System, register(&format!("w{n}-{i}")))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    a.refresh().unwrap();
    b.refresh().unwrap();
    assert_eq!(a.read().size, 60);
    assert_eq!(a.read().state, b.read().state);
    assert_eq!(a.read().root(), b.read().root());
    // A third opening verifies the whole log and its latest checkpoint.
    let c = open(a.store().clone(), dir);
    assert_eq!(c.read().root(), a.read().root());

    // Following: b picks up a's append within a second, without being asked.
    let _follower = b.spawn_follower(Duration::from_millis(100));
    a.execute(&Actor::System, register("late")).unwrap();
    let started = Instant::now();
    while b.read().size < 61 {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "b did not see a's event within a second"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn two_writers_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    two_writers(
        Arc::new(SqliteStore::open(&db).unwrap()),
        Arc::new(SqliteStore::open(&db).unwrap()),
        dir.path(),
    );
}

#[test]
fn two_writers_on_postgres() {
    let Some(url) = test_database_url() else {
        return;
    };
    let schema = TestSchema::new(&url, "svc");
    let dir = tempfile::tempdir().unwrap();
    two_writers(
        Arc::new(PostgresStore::open_in_schema(&url, Some(&schema.name)).unwrap()),
        Arc::new(PostgresStore::open_in_schema(&url, Some(&schema.name)).unwrap()),
        dir.path(),
    );
}

/// A command made from the state at one size is appended only while the log still has that
/// size: after another process appended (here a second service on the same database), it is
/// refused without appending anything, and made again it goes through.
#[test]
fn a_command_made_at_one_size_is_refused_once_the_log_moved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let service = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    service.execute(&Actor::System, register("a")).unwrap();
    let made_at = service.read().size;
    let elsewhere = open(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
    elsewhere.execute(&Actor::System, register("b")).unwrap();
    let refused = service
        .execute_at(&Actor::System, register("c"), made_at)
        .unwrap_err();
    assert!(
        matches!(refused, ServiceError::Moved { expected, size } if expected == made_at && size == made_at + 1),
        "{refused}"
    );
    assert_eq!(refused.code(), "busy");
    assert_eq!(service.read().size, made_at + 1, "nothing appended");
    let receipt = service
        .execute_at(&Actor::System, register("c"), made_at + 1)
        .unwrap();
    assert_eq!(receipt.first_index, made_at + 1);
}
