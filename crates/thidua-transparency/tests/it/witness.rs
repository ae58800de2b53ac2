//! The witness against a real server: it cosigns a growing log, and refuses — with evidence —
//! a log that shrank, a different root for the same size, a rewritten history signed with the
//! real key, and a history signed with another key.

use std::sync::Arc;

use thidua_domain::Actor;
use thidua_service::{LogKey, Service};
use thidua_store::EventStore;
use thidua_store_sqlite::SqliteStore;
use thidua_transparency::client::HttpLog;
use thidua_transparency::witness::{Witness, WitnessError, WitnessState};
use thidua_transparency::{LogApiConfig, ReadNothing};

use crate::common::*;

fn config() -> LogApiConfig {
    LogApiConfig {
        access: Arc::new(ReadNothing),
    }
}

/// A second log in its own database, signed with `key`, with a different history.
fn other_log(key: LogKey, extra: usize) -> (tempfile::TempDir, Arc<Service>, Arc<SqliteStore>) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Arc::new(SqliteStore::open(&dir.path().join("forged.db")).unwrap());
    let store: Arc<dyn EventStore> = sqlite.clone();
    let service = Arc::new(Service::open(store, key, &|_, _| {}).unwrap());
    populate(&service, extra);
    (dir, service, sqlite)
}

#[test]
fn witnesses_cosign_growth_and_refuse_forks_with_evidence() {
    let log = sqlite_log(12);
    let server = serve(log.service.clone(), log.witnesses.clone(), config());
    let http = HttpLog::new(&server.url, None);
    let verifier = log.log_verifier();
    let dir = tempfile::tempdir().unwrap();
    let (unit, key) = &log.witness_keys[0];
    let state_path = dir.path().join("kg.state");
    let evidence = dir.path().join("evidence");
    let witness = Witness {
        unit,
        key,
        log_key: &verifier,
        state_path: &state_path,
        evidence_dir: &evidence,
    };
    let first = witness.run(&http, now_secs()).unwrap();
    // The log grows: the witness checks the consistency proof and cosigns again.
    log.service
        .execute(&Actor::System, register("moi.them"))
        .unwrap();
    let second = witness.run(&http, now_secs()).unwrap();
    assert_eq!(second.previous, first.size);
    assert_eq!(second.size, first.size + 1);
    // Same size again: fine.
    witness.run(&http, now_secs()).unwrap();
    let seen = WitnessState::load(&state_path).unwrap().unwrap();
    assert_eq!(seen.size, second.size);

    // The operator rewrites history and re-signs it with the real log key: bigger, smaller and
    // same-size forgeries are all refused, each with evidence, and the state is unchanged.
    for extra in [40, 2, 0] {
        let key = LogKey::load(&log.key_path()).unwrap();
        let (_d, forged, store) = other_log(key, extra);
        let target = second.size;
        while extra == 0 && forged.read().size < target {
            forged
                .execute(
                    &Actor::System,
                    register(&format!("gia{}", forged.read().size)),
                )
                .unwrap();
        }
        let forged_server = serve(forged.clone(), store, config());
        let err = witness
            .run(&HttpLog::new(&forged_server.url, None), now_secs())
            .unwrap_err();
        let WitnessError::Fork { reason, evidence } = &err else {
            panic!("expected a fork, got {err}");
        };
        assert_eq!(evidence.len(), 3, "{reason}");
        for file in evidence {
            assert!(file.exists(), "{}", file.display());
        }
        let served = std::fs::read_to_string(&evidence[1]).unwrap();
        assert!(served.contains(&forged.read().size.to_string()));
        assert!(err.to_string().starts_with("REFUSED"), "{err}");
        assert_eq!(WitnessState::load(&state_path).unwrap().unwrap(), seen);
    }

    // A history signed with another key is refused before anything else.
    let stranger = LogKey::load_or_create(&dir.path().join("other.key"), ORIGIN).unwrap();
    let (_d, forged, store) = other_log(stranger, 30);
    let forged_server = serve(forged, store, config());
    let err = witness
        .run(&HttpLog::new(&forged_server.url, None), now_secs())
        .unwrap_err();
    assert!(matches!(err, WitnessError::BadSignature(_)), "{err}");
    assert_eq!(WitnessState::load(&state_path).unwrap().unwrap(), seen);

    // The genuine log is still accepted afterwards.
    witness.run(&http, now_secs()).unwrap();
}

/// The witness policy recorded in the log decides whose cosignatures count: with ca-kg the
/// only designated witness (1 of 1), ca-ag's cosignature is kept but does not witness anything,
/// and ca-kg's does (without the policy either one would: the log's default needs one of two).
#[test]
fn the_witness_policy_in_the_log_decides_whose_cosignatures_count() {
    let log = sqlite_log(4);
    log.service
        .execute(
            &Actor::System,
            thidua_domain::Command::SetWitnessPolicy {
                witnesses: vec![thidua_domain::UnitId::parse("ca-kg").unwrap()],
                quorum: 1,
            },
        )
        .unwrap();
    let server = serve(log.service.clone(), log.witnesses.clone(), config());
    let http = HttpLog::new(&server.url, None);
    let verifier = log.log_verifier();
    let dir = tempfile::tempdir().unwrap();
    let witnessed =
        || thidua_transparency::latest_witnessed_checkpoint(&log.service, &*log.witnesses).unwrap();
    let run = |index: usize| {
        let (unit, key) = &log.witness_keys[index];
        Witness {
            unit,
            key,
            log_key: &verifier,
            state_path: &dir.path().join(format!("{unit}.state")),
            evidence_dir: &dir.path().join("evidence"),
        }
        .run(&http, now_secs())
        .unwrap()
    };
    assert_eq!(log.witness_keys[1].0, "ca-ag");
    run(1);
    assert_eq!(witnessed(), None, "ca-ag is not a designated witness");
    let kg = run(0);
    let w = witnessed().expect("ca-kg's cosignature is the quorum");
    assert_eq!(
        (w.size, w.units.clone(), w.required),
        (kg.size, vec!["ca-kg".to_owned()], 1)
    );
}

/// A witness key registered a moment ago by another process on the same database (the command
/// line, another server) is found when the witness's first cosignature arrives, although the
/// serving process has not followed the log since.
#[test]
fn a_key_registered_elsewhere_is_found_at_the_first_cosignature() {
    let log = sqlite_log(2);
    let server = serve(log.service.clone(), log.witnesses.clone(), config());
    let elsewhere = Service::open(
        log.service.store().clone(),
        LogKey::load(&log.key_path()).unwrap(),
        &|_, _| {},
    )
    .unwrap();
    let key = thidua_ledger::CosignerKey::generate("ca-hg.witness.test").unwrap();
    elsewhere
        .execute(
            &Actor::User(user("lanhdao.hg")),
            thidua_domain::Command::RegisterWitnessKey {
                unit: unit("ca-hg"),
                key: key.verifier().to_key_string(),
            },
        )
        .unwrap();
    assert!(!log.service.read().witness_keys.contains_key(&unit("ca-hg")));
    let dir = tempfile::tempdir().unwrap();
    let witness = Witness {
        unit: "ca-hg",
        key: &key,
        log_key: &log.log_verifier(),
        state_path: &dir.path().join("ca-hg.state"),
        evidence_dir: dir.path(),
    };
    let done = witness
        .run(&HttpLog::new(&server.url, None), now_secs())
        .unwrap();
    assert_eq!(done.size, elsewhere.read().size);
}
