//! Fixtures: a real log built through `Service` with a mix of commands, witness keys registered
//! by unit leaders, and an in-process HTTP server running the public log router.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thidua_domain::model::{Role, UnitKind};
use thidua_domain::{Actor, ClusterId, Command, Text, UnitId, UserId};
use thidua_ledger::{CosignerKey, Verifier};
use thidua_service::{LogKey, Service};
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;
use thidua_store_postgres::{PostgresStore, TestSchema};
use thidua_store_sqlite::SqliteStore;
use thidua_transparency::api::spawn_server;
use thidua_transparency::{router, LogApiConfig};

pub const ORIGIN: &str = "test.thidua/log";
pub const UNITS: [&str; 3] = ["ca-kg", "ca-ag", "ca-hg"];

pub fn t(s: &str) -> Text {
    Text::parse("t", s, 500).unwrap()
}
pub fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}
pub fn user(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub fn register(name: &str) -> Command {
    Command::RegisterUser {
        user: user(name),
        display_name: t(name),
        demo: true,
    }
}

/// A log, its key and the witness keys of two units.
pub struct Log {
    pub dir: tempfile::TempDir,
    pub service: Arc<Service>,
    pub witnesses: Arc<dyn WitnessStore>,
    pub witness_keys: Vec<(String, CosignerKey)>,
    /// The PostgreSQL schema of the log, dropped after everything above.
    pub _schema: Option<TestSchema>,
}

impl Log {
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("thidua.db")
    }
    pub fn key_path(&self) -> PathBuf {
        self.dir.path().join("log.key")
    }
    pub fn log_verifier(&self) -> Verifier {
        Verifier::from_key_string(self.service.key().verifier_key()).unwrap()
    }
}

/// Units, a cluster, leaders, witness keys for ca-kg and ca-ag, and `extra` more users.
pub fn populate(service: &Service, extra: usize) -> Vec<(String, CosignerKey)> {
    let sys = Actor::System;
    for id in UNITS {
        service
            .execute(
                &sys,
                Command::CreateUnit {
                    unit: unit(id),
                    name: t(&format!("Công an {id}")),
                    short_code: t(&id[3..].to_uppercase()),
                    kind: UnitKind::ProvincialPolice,
                    parent: None,
                    established: chrono::NaiveDate::from_ymd_opt(2004, 1, 1).unwrap(),
                },
            )
            .unwrap();
    }
    service
        .execute(
            &sys,
            Command::CreateCluster {
                cluster: ClusterId::parse("cum-12").unwrap(),
                name: t("Cụm thi đua số 12"),
            },
        )
        .unwrap();
    service
        .execute(
            &sys,
            Command::SetClusterYear {
                cluster: ClusterId::parse("cum-12").unwrap(),
                year: 2024,
                members: UNITS.iter().map(|u| unit(u)).collect(),
            },
        )
        .unwrap();
    for id in UNITS {
        let leader = format!("lanhdao.{}", &id[3..]);
        service
            .execute_all(
                &sys,
                vec![
                    register(&leader),
                    Command::GrantRole {
                        user: user(&leader),
                        role: Role::Leader { unit: unit(id) },
                    },
                ],
            )
            .unwrap();
    }
    let mut keys = Vec::new();
    for id in ["ca-kg", "ca-ag"] {
        let key = CosignerKey::generate(&format!("{id}.witness.test")).unwrap();
        let leader = Actor::User(user(&format!("lanhdao.{}", &id[3..])));
        service
            .execute(
                &leader,
                Command::RegisterWitnessKey {
                    unit: unit(id),
                    key: key.verifier().to_key_string(),
                },
            )
            .unwrap();
        keys.push((id.to_owned(), key));
    }
    // A mix of single appends and batches.
    let mut i = 0;
    while i < extra {
        let batch = (i % 4) + 1;
        let cmds: Vec<Command> = (i..(i + batch).min(extra))
            .map(|j| register(&format!("canbo{j}")))
            .collect();
        i += cmds.len();
        service.execute_all(&sys, cmds).unwrap();
    }
    keys
}

/// A populated log in a fresh SQLite file.
pub fn sqlite_log(extra: usize) -> Log {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(SqliteStore::open(&dir.path().join("thidua.db")).unwrap());
    let key = LogKey::load_or_create(&dir.path().join("log.key"), ORIGIN).unwrap();
    let store: Arc<dyn EventStore> = sqlite.clone();
    let service = Arc::new(Service::open(store, key, &|_, _| {}).unwrap());
    let witness_keys = populate(&service, extra);
    Log {
        dir,
        service,
        witnesses: sqlite,
        witness_keys,
        _schema: None,
    }
}

/// A populated log in a fresh PostgreSQL schema, or `None` when no server is reachable outside
/// CI (the shared probe, `thidua_store_postgres::test_database_url`).
pub fn postgres_log(extra: usize) -> Option<Log> {
    let url = thidua_store_postgres::test_database_url()?;
    let schema = TestSchema::new(&url, "transp");
    let pg = Arc::new(PostgresStore::open_in_schema(&url, Some(&schema.name)).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let key = LogKey::load_or_create(&dir.path().join("log.key"), ORIGIN).unwrap();
    let store: Arc<dyn EventStore> = pg.clone();
    let service = Arc::new(Service::open(store, key, &|_, _| {}).unwrap());
    let witness_keys = populate(&service, extra);
    Some(Log {
        dir,
        service,
        witnesses: pg,
        witness_keys,
        _schema: Some(schema),
    })
}

/// The public log router served on 127.0.0.1:0 by a background runtime.
pub struct Server {
    pub url: String,
    _runtime: tokio::runtime::Runtime,
}

pub fn serve(
    service: Arc<Service>,
    witnesses: Arc<dyn WitnessStore>,
    config: LogApiConfig,
) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let addr: SocketAddr = spawn_server(
        &runtime,
        "127.0.0.1:0".parse().unwrap(),
        router(service, witnesses, config),
    )
    .unwrap();
    Server {
        url: format!("http://{addr}"),
        _runtime: runtime,
    }
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Copies a SQLite database (with its WAL checkpointed) to `dest`.
pub fn copy_db(src: &Path, dest: &Path) {
    let conn = rusqlite::Connection::open(src).unwrap();
    conn.execute("VACUUM INTO ?1", [dest.to_str().unwrap()])
        .unwrap();
}

/// Appends `events` (numbered from the log's size) past the service, as an attacker holding the
/// signing key and the database would: sealed into the stored tree and signed with the real key.
/// Returns the stored entries' lengths.
pub fn append_signed_past_service(log: &Log, events: &[thidua_domain::Event]) -> Vec<usize> {
    let store = log.service.store();
    let mut frontier = thidua_service::stored_frontier(&**store, log.service.read().size).unwrap();
    let key = LogKey::load(&log.key_path()).unwrap();
    thidua_service::append_sealed(&**store, &key, &mut frontier, events)
        .unwrap()
        .iter()
        .map(|e| e.bytes.len())
        .collect()
}
