//! Core figures: append throughput (one event per transaction and batched) on SQLite and
//! PostgreSQL, and the replay rate at start-up. Run: `cargo bench -p thidua-service`.
//! PostgreSQL is measured when `THIDUA_TEST_DATABASE_URL` (or the default test server) answers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use thidua_domain::{Actor, Command, Text, UserId};
use thidua_service::{LogKey, Service};
use thidua_store::EventStore;
use thidua_store_postgres::{random_schema, PostgresStore};
use thidua_store_sqlite::SqliteStore;

static NEXT: AtomicU64 = AtomicU64::new(0);

fn register() -> Command {
    let i = NEXT.fetch_add(1, Ordering::Relaxed);
    Command::RegisterUser {
        user: UserId::parse(&format!("bench-{i}")).unwrap(),
        display_name: Text::parse("name", &format!("Cán bộ {i}"), 100).unwrap(),
        demo: true,
    }
}

fn service(store: Arc<dyn EventStore>, dir: &std::path::Path) -> Service {
    let key = LogKey::load_or_create(&dir.join("k"), "bench.thidua/log").unwrap();
    Service::open(store, key, &|_, _| {}).unwrap()
}

fn backends(dir: &std::path::Path) -> Vec<(&'static str, Arc<dyn EventStore>)> {
    let mut out: Vec<(&'static str, Arc<dyn EventStore>)> = vec![(
        "sqlite",
        Arc::new(SqliteStore::open(&dir.join("b.db")).unwrap()),
    )];
    let url = std::env::var("THIDUA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://thidua:thidua-test@127.0.0.1:5432/thidua_test".into());
    match PostgresStore::open_in_schema(&url, Some(&random_schema("bench"))) {
        Ok(pg) => out.push(("postgres", Arc::new(pg))),
        Err(e) => eprintln!("PostgreSQL not measured: {e}"),
    }
    out
}

fn append(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    for (name, store) in backends(dir.path()) {
        let service = service(store, dir.path());
        let mut group = c.benchmark_group(format!("append/{name}"));
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(5));
        group.throughput(Throughput::Elements(1));
        group.bench_function("1 event per transaction", |b| {
            b.iter(|| service.execute(&Actor::System, register()).unwrap())
        });
        group.throughput(Throughput::Elements(100));
        group.bench_function("100 events per transaction", |b| {
            b.iter_batched(
                || (0..100).map(|_| register()).collect::<Vec<_>>(),
                |batch| service.execute_all(&Actor::System, batch).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

fn replay(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    {
        let s = service(Arc::new(SqliteStore::open(&db).unwrap()), dir.path());
        for _ in 0..200 {
            s.execute_all(&Actor::System, (0..500).map(|_| register()).collect())
                .unwrap();
        }
    }
    let mut group = c.benchmark_group("replay/sqlite");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("100000 events", |b| {
        b.iter(|| {
            service(Arc::new(SqliteStore::open(&db).unwrap()), dir.path())
                .read()
                .size
        })
    });
    group.finish();
}

criterion_group!(benches, append, replay);
criterion_main!(benches);
