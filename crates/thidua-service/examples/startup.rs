//! Start-up with and without a snapshot on a SQLite log of N synthetic events, and the time the
//! check of the entries and tree nodes below the snapshot takes before serving. Run:
//! `cargo run --release -p thidua-service --example startup -- 1000000 /path/to/dir`
//! (the directory keeps the database and key for later runs).

use std::sync::Arc;
use std::time::Instant;

use thidua_domain::{Actor, Event, Payload, Text, UserId};
use thidua_ledger::CompactRange;
use thidua_service::{LogKey, OpenOptions, Service, SnapshotPolicy, SystemEnvironment};
use thidua_store::EventStore;
use thidua_store_sqlite::SqliteStore;

fn main() {
    let mut args = std::env::args().skip(1);
    let events: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "startup-bench".into()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("startup.db");
    let key_path = dir.join("log.key");
    let origin = "bench.thidua/log";
    let store = SqliteStore::open(&db).unwrap();
    if store.size().unwrap() == 0 {
        let started = Instant::now();
        let key = LogKey::load_or_create(&key_path, origin).unwrap();
        let mut frontier = CompactRange::new();
        let mut index = 0;
        while index < events {
            let end = (index + 20_000).min(events);
            let batch: Vec<Event> = (index..end)
                .map(|i| Event {
                    index: i,
                    time_ms: 1_735_689_600_000 + i as i64,
                    actor: Actor::System,
                    salt: format!("{:032x}", u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
                    payload: Payload::UserRegistered {
                        user: UserId::parse(&format!("synth-{i}")).unwrap(),
                        display_name: Text::parse("name", &format!("Cán bộ {i}"), 100).unwrap(),
                        demo: true,
                    },
                })
                .collect();
            thidua_service::append_sealed(&store, &key, &mut frontier, &batch).unwrap();
            index = end;
        }
        eprintln!(
            "generated {events} events in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    drop(store);
    let open = |ignore_snapshots: bool| {
        let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&db).unwrap());
        let key = LogKey::load_or_create(&key_path, origin).unwrap();
        let started = Instant::now();
        let (service, report) = Service::open_full(
            store,
            key,
            Box::new(SystemEnvironment),
            OpenOptions {
                snapshots: SnapshotPolicy { every: 0 },
                ignore_snapshots,
            },
            &|_, _| {},
        )
        .unwrap();
        (service, report, started.elapsed().as_secs_f64())
    };
    let (service, report, secs) = open(true);
    let size = service.read().size;
    eprintln!("full replay: {size} events in {secs:.2} s ({report:?})");
    if !service.store().snapshot_sizes().unwrap().contains(&size) {
        service.write_snapshot().unwrap();
    }
    drop(service);
    let (service, report, secs) = open(false);
    eprintln!(
        "from the snapshot at {}: {secs:.2} s, of which {:.2} s checking the {} entries and their tree nodes below it",
        report.from_snapshot,
        report.prefix_check.as_secs_f64(),
        report.from_snapshot
    );
    let service = Arc::new(service);
    let started = Instant::now();
    if let Some(audit) = service.spawn_audit() {
        audit.join().unwrap();
    }
    eprintln!(
        "background audit (replay from the first event, state compared): {:.2} s, halted: {:?}",
        started.elapsed().as_secs_f64(),
        service.halted()
    );
}
