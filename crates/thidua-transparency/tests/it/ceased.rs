//! Witnesses of units that ceased to exist: once the log records the merger of Công an tỉnh
//! Kiên Giang into Công an tỉnh An Giang (effective 01/07/2025), Kiên Giang's witness key no
//! longer counts for any checkpoint that includes that record — on the server's endpoints and
//! in `thidua verify`, from the database and over HTTP alike — while the checkpoints before it
//! keep being judged by the set then in force. A recorded quorum the remaining witnesses cannot
//! give is said, never lowered.

use std::sync::Arc;

use chrono::NaiveDate;
use thidua_domain::model::{LineageChange, LineageKind};
use thidua_domain::{Actor, Command};
use thidua_ledger::CosignerKey;
use thidua_store::witness::StoredCosignature;
use thidua_transparency::api::WitnessList;
use thidua_transparency::client::{HttpLog, LogClient};
use thidua_transparency::cosign::{accept_cosignature, witness_set_at};
use thidua_transparency::verify::{LogWitnesses, Verification, VerifyError, Witnessing};
use thidua_transparency::{latest_witnessed_checkpoint, LogApiConfig, ReadAll};

use crate::common::*;
use crate::verify::local;

fn merged_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()
}

/// Records Kiên Giang's merger into An Giang (Nghị quyết 202/2025/QH15); returns its index.
fn merge_kien_giang(log: &Log) -> u64 {
    let change = LineageChange {
        kind: LineageKind::Merge,
        predecessors: vec![unit("ca-kg"), unit("ca-ag")],
        successors: vec![unit("ca-ag")],
        effective: merged_on(),
        decision: t("Nghị quyết 202/2025/QH15"),
    };
    log.service
        .execute(&Actor::System, Command::RecordLineage { change })
        .unwrap();
    log.service.read().size - 1
}

/// `unit`'s cosignature line on the stored checkpoint of the log's newest size.
fn cosignature(log: &Log, key: &CosignerKey) -> (u64, String) {
    let stored = log.service.store().latest_checkpoint().unwrap().unwrap();
    let cp = thidua_transparency::trust::open_log_checkpoint(&stored.note, &log.log_verifier())
        .unwrap()
        .checkpoint;
    let line = key.cosign(&cp, now_secs()).unwrap().to_line();
    (stored.size, line.trim_end().to_owned())
}

/// Posts `unit`'s cosignature of the newest checkpoint as its witness does.
fn cosign(log: &Log, index: usize) -> Result<u64, thidua_transparency::TransparencyError> {
    let (unit, key) = &log.witness_keys[index];
    let (size, line) = cosignature(log, key);
    accept_cosignature(&log.service, &*log.witnesses, unit, size, &line, 0).map(|_| size)
}

/// Stores Kiên Giang's cosignature of the newest checkpoint without the server's checks, as a
/// server of an earlier release would have accepted it.
fn store_kien_giang_cosignature(log: &Log) -> u64 {
    let (unit, key) = &log.witness_keys[0];
    assert_eq!(unit, "ca-kg");
    let (size, line) = cosignature(log, key);
    log.witnesses
        .put_cosignature(&StoredCosignature {
            size,
            unit: unit.clone(),
            line,
            received_ms: 0,
        })
        .unwrap();
    size
}

/// What `thidua verify` concludes of the log's own witnesses, requiring their quorum.
fn log_witnesses(client: &dyn LogClient, log: &Log) -> Result<Witnessing, VerifyError> {
    let verifier = log.log_verifier();
    let summary = Verification {
        log_witnesses: LogWitnesses::Require,
        ..Verification::key_only(&verifier)
    }
    .run(client)?;
    Ok(summary.witnessing.unwrap())
}

#[test]
fn a_merged_units_witness_key_stops_counting_from_the_record_of_its_end() {
    let log = sqlite_log(3);
    // Both witnesses cosign before the merger: the checkpoint is witnessed (1 of 2 needed).
    let before = cosign(&log, 0).unwrap();
    cosign(&log, 1).unwrap();
    let end = merge_kien_giang(&log);
    assert_eq!(
        end, before,
        "the merger is the entry after the cosigned checkpoint"
    );
    let after = end + 1;

    // One rule: the checkpoint before the record keeps its set, the one after does not count
    // Kiên Giang's key, and says why.
    let state = log.service.read();
    let then = witness_set_at(&state, before);
    assert_eq!((then.keys.len(), then.required), (2, 1));
    assert!(then.ceased.is_empty());
    let now = witness_set_at(&state, after);
    let units: Vec<String> = now.keys.iter().map(|(u, _)| u.to_string()).collect();
    assert_eq!(units, ["ca-ag"]);
    assert_eq!(now.ceased, [(unit("ca-kg"), merged_on())]);
    assert_eq!(now.required, 1);
    assert!(!now.unmeetable());
    drop(state);

    // Kiên Giang's witness is told, not stored in vain.
    let refused = cosign(&log, 0).unwrap_err();
    assert_eq!(refused.code(), "witness_ceased");
    assert!(refused.to_string().contains("01/07/2025"), "{refused}");

    // A cosignature an earlier release accepted does not witness the newer checkpoint; the
    // earlier one stays witnessed.
    assert_eq!(store_kien_giang_cosignature(&log), after);
    let witnessed = latest_witnessed_checkpoint(&log.service, &*log.witnesses)
        .unwrap()
        .unwrap();
    assert_eq!(witnessed.size, before);
    assert_eq!(witnessed.units, ["ca-ag", "ca-kg"]);

    // The public list says the key no longer counts, and since when.
    let server = serve(
        log.service.clone(),
        log.witnesses.clone(),
        LogApiConfig {
            access: Arc::new(ReadAll),
        },
    );
    let body = ureq::get(&format!("{}/api/v1/log/witnesses", server.url))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let list: WitnessList = serde_json::from_str(&body).unwrap();
    let kg = list.witnesses.iter().find(|w| w.unit == "ca-kg").unwrap();
    assert!(!kg.counts);
    assert_eq!(kg.ceased.as_deref(), Some("2025-07-01"));
    assert_eq!((list.quorum, list.unmeetable), (1, false));

    // Over HTTP, as `thidua witness` posts it: the refusal carries its code, on which the
    // witness stops (exit 4) instead of retrying as after a server's error.
    let (kg_unit, kg_key) = &log.witness_keys[0];
    let (size, line) = cosignature(&log, kg_key);
    let refused = HttpLog::new(&server.url, None)
        .post_cosignature(kg_unit, size, &line)
        .unwrap_err();
    assert_eq!(refused.code.as_deref(), Some("witness_ceased"), "{refused}");
    assert!(refused.to_string().contains("01/07/2025"), "{refused}");

    // `thidua verify`, from the database and over HTTP: Kiên Giang's cosignature does not
    // count on the newest checkpoint; the history up to the earlier one is witnessed.
    for client in [
        Box::new(local(&log.db_path())) as Box<dyn LogClient>,
        Box::new(HttpLog::new(&server.url, None)),
    ] {
        let w = log_witnesses(&*client, &log).unwrap();
        assert_eq!(w.cosigned, Vec::<String>::new(), "{}", client.describe());
        assert_eq!(w.ceased, [("ca-kg".to_owned(), merged_on())]);
        assert!(!w.met() && !w.unmeetable());
        assert_eq!(w.earlier.as_ref().map(|(size, _)| *size), Some(before));
    }
    // An Giang's cosignature witnesses the newest checkpoint.
    assert_eq!(cosign(&log, 1).unwrap(), after);
    let w = log_witnesses(&local(&log.db_path()), &log).unwrap();
    assert_eq!(
        (w.cosigned.as_slice(), w.met()),
        (["ca-ag".to_owned()].as_slice(), true)
    );
}

/// A policy of two designated witnesses, two needed: once Kiên Giang ceased, An Giang alone
/// cannot give the recorded quorum. It is not lowered: `/api/v1/log/witnesses` and `thidua
/// verify` say it can no longer be met and that a new policy must be recorded; a new policy
/// cannot designate the unit that ceased, and one without it makes the log witnessable again.
#[test]
fn a_recorded_quorum_the_remaining_witnesses_cannot_give_is_said_not_lowered() {
    let log = sqlite_log(2);
    let policy = |units: &[&str], quorum| Command::SetWitnessPolicy {
        witnesses: units.iter().map(|u| unit(u)).collect(),
        quorum,
    };
    log.service
        .execute(&Actor::System, policy(&["ca-ag", "ca-kg"], 2))
        .unwrap();
    merge_kien_giang(&log);
    cosign(&log, 1).unwrap();
    let server = serve(
        log.service.clone(),
        log.witnesses.clone(),
        LogApiConfig {
            access: Arc::new(ReadAll),
        },
    );
    let list: WitnessList = serde_json::from_str(
        &ureq::get(&format!("{}/api/v1/log/witnesses", server.url))
            .call()
            .unwrap()
            .into_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!((list.quorum, list.unmeetable), (2, true));

    for client in [
        Box::new(local(&log.db_path())) as Box<dyn LogClient>,
        Box::new(HttpLog::new(&server.url, None)),
    ] {
        let err = log_witnesses(&*client, &log).unwrap_err();
        let VerifyError::Unwitnessed(w) = &err else {
            panic!("expected unwitnessed, got {err}");
        };
        assert!(w.unmeetable() && w.recorded);
        let said = err.to_string();
        for words in [
            "THE QUORUM CAN NO LONGER BE MET",
            "ca-kg (ngừng tồn tại ngày 01/07/2025 / ceased on 01/07/2025)",
            "a new witness policy must be recorded",
        ] {
            assert!(said.contains(words), "{words}: {said}");
        }
    }

    let refused = log
        .service
        .execute(&Actor::System, policy(&["ca-ag", "ca-kg"], 1))
        .unwrap_err();
    assert!(refused.to_string().contains("ca-kg"), "{refused}");
    log.service
        .execute(&Actor::System, policy(&["ca-ag"], 1))
        .unwrap();
    cosign(&log, 1).unwrap();
    let w = log_witnesses(&local(&log.db_path()), &log).unwrap();
    assert!(w.met() && !w.unmeetable());
}
