//! Transparency figures on a large real SQLite log (not a timed test; prints figures):
//! inclusion and consistency proof generation from the stored nodes, full verification rate
//! (what `thidua verify --data` does: every leaf, the root, the signature, the replay) and the
//! size on disk per event.
//!
//! `THIDUA_BENCH_DATA=DIR cargo bench -p thidua-transparency --bench log1m`, where DIR was made
//! by `thidua bench replay --data DIR --events 1000000` (a 1,000,000-event log). Without it, a
//! 20,000-event log is generated in a temporary directory.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use thidua_domain::{Actor, Command, Text, UserId};
use thidua_ledger::{verify_consistency, verify_inclusion, Verifier};
use thidua_service::{LogKey, Service};
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;
use thidua_store_sqlite::SqliteStore;
use thidua_transparency::api::spawn_server;
use thidua_transparency::client::{HttpLog, LocalLog};
use thidua_transparency::log::{consistency, inclusion};
use thidua_transparency::verify::Verification;

/// A small pseudo-random sequence (no dependency, reproducible).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) % n
    }
}

fn small_log(dir: &std::path::Path) {
    let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&dir.join("thidua.db")).unwrap());
    let key = LogKey::load_or_create(&dir.join("log-signing.key"), "bench.thidua/log").unwrap();
    let service = Service::open(store, key, &|_, _| {}).unwrap();
    for chunk in 0..20 {
        let cmds = (0..1000)
            .map(|i| Command::RegisterUser {
                user: UserId::parse(&format!("u{chunk}-{i}")).unwrap(),
                display_name: Text::parse("n", "Người dùng", 100).unwrap(),
                demo: true,
            })
            .collect();
        service.execute_all(&Actor::System, cmds).unwrap();
    }
}

/// `GET /api/v1/log/checkpoints?from=F&limit=1000` reads the signed sizes of a range: one range
/// query, against the 1,000 point lookups it took before.
fn checkpoint_listing(store: &dyn EventStore, size: u64, rng: &mut Lcg) {
    let starts: Vec<u64> = (0..200)
        .map(|_| 1 + rng.below(size.saturating_sub(1000).max(1)))
        .collect();
    let started = Instant::now();
    let listed: usize = starts
        .iter()
        .map(|&f| {
            thidua_transparency::log::checkpoint_sizes(store, f, 1000)
                .unwrap()
                .1
                .len()
        })
        .sum();
    let range = started.elapsed() / starts.len() as u32;
    let started = Instant::now();
    let looked_up: usize = starts
        .iter()
        .map(|&f| {
            (f..f + 1000)
                .filter(|s| store.checkpoint_at(*s).unwrap().is_some())
                .count()
        })
        .sum();
    let points = started.elapsed() / starts.len() as u32;
    assert_eq!(listed, looked_up);
    println!(
        "checkpoint listing (1,000 sizes): {range:?} with one range query, {points:?} with point \
         lookups (mean of {})",
        starts.len()
    );
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var_os("THIDUA_BENCH_DATA") {
        Some(d) => PathBuf::from(d),
        None => {
            small_log(tmp.path());
            tmp.path().to_owned()
        }
    };
    let db = dir.join("thidua.db");
    let sqlite = Arc::new(SqliteStore::open(&db).unwrap());
    let (events, witnesses): (Arc<dyn EventStore>, Arc<dyn WitnessStore>) =
        (sqlite.clone(), sqlite);
    let store = &*events;
    let key = LogKey::load(&dir.join("log-signing.key")).unwrap();
    let log_key = Verifier::from_key_string(key.verifier_key()).unwrap();
    let latest = store.latest_checkpoint().unwrap().expect("a checkpoint");
    let size = latest.size;
    let root = thidua_ledger::open_checkpoint(latest.note.as_bytes(), &[&log_key])
        .unwrap()
        .checkpoint
        .root;
    println!("log: {} ({size} events)", db.display());

    let mut rng = Lcg(42);
    let n = 2000;
    let indices: Vec<u64> = (0..n).map(|_| rng.below(size)).collect();
    let started = Instant::now();
    let proofs: Vec<_> = indices
        .iter()
        .map(|&i| inclusion(store, i, size).unwrap())
        .collect();
    let per = started.elapsed() / n as u32;
    for (&i, proof) in indices.iter().zip(&proofs).take(100) {
        let leaf = store.entries(i, i + 1).unwrap()[0].leaf_hash;
        verify_inclusion(i, size, &leaf, proof, &root).unwrap();
    }
    println!("inclusion proof (index random, size {size}): {per:?} each (mean of {n})");

    // Consistency proofs from random earlier signed sizes to the newest (each checked against
    // both signed roots).
    let signed: Vec<u64> = store.checkpoint_sizes(1, size).unwrap();
    assert!(!signed.is_empty(), "no earlier checkpoint");
    checkpoint_listing(store, size, &mut rng);
    let sizes: Vec<(u64, String)> = (0..200)
        .map(|_| {
            let m = signed[rng.below(signed.len() as u64) as usize];
            (m, store.checkpoint_at(m).unwrap().unwrap().note)
        })
        .collect();
    let started = Instant::now();
    let proofs: Vec<_> = sizes
        .iter()
        .map(|(m, _)| consistency(store, *m, size).unwrap())
        .collect();
    let per = started.elapsed() / sizes.len() as u32;
    for ((m, note), proof) in sizes.iter().zip(&proofs) {
        let old = thidua_ledger::open_checkpoint(note.as_bytes(), &[&log_key])
            .unwrap()
            .checkpoint;
        verify_consistency(*m, size, &old.root, &root, proof).unwrap();
    }
    println!(
        "consistency proof (random m → {size}): {per:?} each (mean of {})",
        sizes.len()
    );

    // The full verification, as `thidua verify --data` runs it.
    let client = LocalLog::new(events.clone(), Some(witnesses.clone()), "bench");
    let started = Instant::now();
    let summary = Verification::key_only(&log_key).run(&client).unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "full verification: {} events in {secs:.1} s = {:.0} events/s (replayed {})",
        summary.size,
        summary.size as f64 / secs,
        summary.replayed
    );

    // The same over HTTP (the public router in-process, everything readable), if asked.
    if std::env::var_os("THIDUA_BENCH_HTTP").is_some() {
        let service = Arc::new(Service::open(events.clone(), key, &|_, _| {}).unwrap());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let config = thidua_transparency::LogApiConfig {
            access: Arc::new(thidua_transparency::ReadAll),
        };
        let app = thidua_transparency::router(service, witnesses.clone(), config);
        let addr = spawn_server(&runtime, "127.0.0.1:0".parse().unwrap(), app).unwrap();
        let http = HttpLog::new(&format!("http://{addr}"), None);
        let started = Instant::now();
        let summary = Verification::key_only(&log_key).run(&http).unwrap();
        let secs = started.elapsed().as_secs_f64();
        println!(
            "full verification over HTTP: {} events in {secs:.1} s = {:.0} events/s",
            summary.size,
            summary.size as f64 / secs
        );
    }

    let mut disk = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("thidua.db") {
            disk += entry.metadata().unwrap().len();
        }
    }
    let events_bytes: u64 = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row("SELECT SUM(length(bytes)) FROM entries", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as u64
    };
    println!(
        "on disk: {disk} bytes = {} bytes/event (canonical event bytes alone: {} bytes/event)",
        disk / size,
        events_bytes / size
    );
}
