//! The verifier on a healthy log: locally and over HTTP (with and without read access), with
//! cosignature requirements, the state file across growth, and the after-replay hook.

use std::sync::Arc;

use thidua_domain::Actor;
use thidua_ledger::CosignatureVerifier;
use thidua_transparency::client::{HttpLog, LocalLog, LogClient};
use thidua_transparency::verify::{Verification, VerifyError};
use thidua_transparency::witness::Witness;
use thidua_transparency::{LogApiConfig, ReadAll, ReadNothing};

use crate::common::*;

pub fn local(path: &std::path::Path) -> LocalLog {
    let store = Arc::new(thidua_store_sqlite::SqliteStore::open(path).unwrap());
    LocalLog::new(store.clone(), Some(store), path.display().to_string())
}

/// Verifies the log's database with its key alone (no witnesses), as `thidua verify --data`.
fn verify_database(log: &Log) -> Result<thidua_transparency::verify::Summary, VerifyError> {
    Verification::key_only(&log.log_verifier()).run(&local(&log.db_path()))
}

fn trusted(log: &Log) -> Vec<(String, CosignatureVerifier)> {
    log.witness_keys
        .iter()
        .map(|(u, k)| (u.clone(), k.verifier()))
        .collect()
}

#[test]
fn verify_rebuilds_the_state_locally_and_over_http() {
    let log = sqlite_log(25);
    let verifier = log.log_verifier();
    let witnesses = trusted(&log);
    let dir = tempfile::tempdir().unwrap();
    let state_path = dir.path().join("verify.state");
    let server = serve(
        log.service.clone(),
        log.witnesses.clone(),
        LogApiConfig {
            access: Arc::new(ReadAll),
        },
    );
    let http = HttpLog::new(&server.url, None);
    for (unit, key) in &log.witness_keys {
        Witness {
            unit,
            key,
            log_key: &verifier,
            state_path: &dir.path().join(format!("{unit}.w")),
            evidence_dir: dir.path(),
        }
        .run(&http, now_secs())
        .unwrap();
    }
    let seen = std::sync::Mutex::new(0u64);
    let hook = |state: &thidua_domain::State, events: &[thidua_domain::Event]| {
        *seen.lock().unwrap() = events.len() as u64;
        (state.witness_keys.len() == 2)
            .then_some(())
            .ok_or_else(|| "two witness keys expected".to_owned())
    };
    let run = |client: &dyn LogClient, min: u32, state: Option<&std::path::Path>| {
        Verification {
            witnesses: &witnesses,
            min_cosignatures: min,
            state_path: state,
            after_replay: Some(&hook),
            keep_events: true,
            ..Verification::key_only(&verifier)
        }
        .run(client)
    };
    let expected = log.service.read().state.clone();
    for client in [&local(&log.db_path()) as &dyn LogClient, &http] {
        let summary = run(client, 2, Some(&state_path)).unwrap();
        assert_eq!(summary.state, expected);
        assert_eq!(summary.size, expected.size);
        assert_eq!(summary.hidden, 0);
        assert_eq!(
            summary.cosigned_by,
            vec!["ca-kg".to_owned(), "ca-ag".to_owned()]
        );
        assert_eq!(*seen.lock().unwrap(), expected.size);
    }
    // Three cosignatures cannot be had from two witnesses.
    let err = run(&http, 3, None).unwrap_err();
    assert!(matches!(err, VerifyError::Quorum { found: 2, .. }), "{err}");

    // The log grows (no cosignature yet on the new checkpoint): consistent with the state file.
    log.service
        .execute(&Actor::System, register("sau.cung"))
        .unwrap();
    let summary = run(&http, 0, Some(&state_path)).unwrap();
    assert_eq!(summary.previous, Some(expected.size));
    assert_eq!(summary.size, expected.size + 1);
    assert!(summary.cosigned_by.is_empty());

    // A failing after-replay check fails the verification.
    let failing = |_: &thidua_domain::State, _: &[thidua_domain::Event]| {
        Err("score of ca-kg: expected 95.50, found 95.25".to_owned())
    };
    let err = Verification {
        witnesses: &witnesses,
        after_replay: Some(&failing),
        ..Verification::key_only(&verifier)
    }
    .run(&http)
    .unwrap_err();
    assert!(
        err.to_string().contains("expected 95.50, found 95.25"),
        "{err}"
    );
}

#[test]
fn without_read_access_only_hashes_and_the_root_are_checked() {
    let log = sqlite_log(5);
    let server = serve(
        log.service.clone(),
        log.witnesses.clone(),
        LogApiConfig {
            access: Arc::new(ReadNothing),
        },
    );
    let verifier = log.log_verifier();
    let summary = Verification::key_only(&verifier)
        .run(&HttpLog::new(&server.url, None))
        .unwrap();
    assert_eq!(summary.hidden, log.service.read().size);
    assert_eq!(summary.replayed, 0);
    assert_eq!(summary.root, log.service.read().root());
}

#[test]
fn verify_reads_a_postgres_log_directly() {
    let Some(log) = postgres_log(30) else {
        return;
    };
    let verifier = log.log_verifier();
    let client = LocalLog::new(
        log.service.store().clone(),
        Some(log.witnesses.clone()),
        "postgres",
    );
    let summary = Verification::key_only(&verifier).run(&client).unwrap();
    assert_eq!(summary.state, log.service.read().state);
    assert_eq!(summary.root, log.service.read().root());
}

/// A snapshot signed with the real log key whose state is not what the log gives (a dishonest
/// operator, or a bug that wrote a wrong state): the verifier replays from the first event and
/// reports the mismatch, naming the snapshot's size.
#[test]
fn verify_reports_a_signed_snapshot_that_does_not_match_the_log() {
    let log = sqlite_log(5);
    let size = log.service.write_snapshot().unwrap();
    let run = || verify_database(&log);
    run().expect("a snapshot that matches passes");

    let key = thidua_service::LogKey::load(&log.key_path()).unwrap();
    thidua_test_support::forge_snapshot(&log.db_path(), &key, size, &|body| {
        body.replacen("\"canbo1\"", "\"canbo1-gia\"", 1)
    });

    match run() {
        Err(e @ VerifyError::Snapshot { .. }) => {
            let message = e.to_string();
            assert!(
                message.contains(&format!("at {size}")) && message.contains("state sha256"),
                "{message}"
            );
        }
        other => panic!("the forged snapshot was not reported: {other:?}"),
    }
}

/// A snapshot whose body was damaged (a byte changed under its signed note) is a cache no
/// server starts from: the verifier says so and does not fail the log; nor does a snapshot
/// written in another release's format, which servers replay instead of trusting.
#[test]
fn a_damaged_or_older_snapshot_is_said_not_failed() {
    let log = sqlite_log(5);
    let size = log.service.write_snapshot().unwrap();
    let run = || verify_database(&log);
    assert!(run().unwrap().ignored_snapshots.is_empty());
    let conn = rusqlite::Connection::open(log.db_path()).unwrap();
    conn.execute(
        "UPDATE snapshot_chunks SET bytes = CAST(replace(CAST(bytes AS TEXT), 'canbo1', 'canbo9') AS BLOB) WHERE size = ?1",
        [size as i64],
    )
    .unwrap();
    let summary = run().expect("a damaged cache does not fail the log");
    assert_eq!(summary.ignored_snapshots.len(), 1);
    let (at, why) = &summary.ignored_snapshots[0];
    assert_eq!(*at, size);
    assert!(why.starts_with("damaged"), "{why}");
    let key = thidua_service::LogKey::load(&log.key_path()).unwrap();
    let note: String = conn
        .query_row(
            "SELECT note FROM snapshots WHERE size = ?1",
            [size as i64],
            |r| r.get(0),
        )
        .unwrap();
    let text = key.open_note(&note).unwrap();
    let older = text.replacen(thidua_service::SNAPSHOT_FORMAT, "thidua-snapshot/1", 1);
    conn.execute(
        "UPDATE snapshots SET note = ?1 WHERE size = ?2",
        rusqlite::params![key.sign_note(&older).unwrap(), size as i64],
    )
    .unwrap();
    let summary = run().expect("another release's snapshot does not fail the log");
    assert!(
        summary.ignored_snapshots[0]
            .1
            .contains("by another release"),
        "{:?}",
        summary.ignored_snapshots
    );
}
