//! The background audit after a start from a snapshot. Start-up has already checked the bytes
//! and tree nodes below the snapshot (`replay::check_prefix`), so nothing served from them is
//! unchecked; what it trusted is the snapshot's *state*, signed with the log key. Here the
//! events below the snapshot are decoded and applied from the first one, under the domain's
//! rules, and the result compared with the snapshot's state. A snapshot that does not match is
//! never trusted again: a loud error line, the stored snapshot replaced by the replayed state,
//! the served view rebuilt from the replay (and the events after it), and writes halted, since
//! commands were decided on a state the log does not give.

use std::sync::Arc;

use crate::replay::{corrupt, replay_prefix};
use crate::{Service, ServiceError};

pub(crate) fn spawn(service: Arc<Service>, upto: u64) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("thidua-audit".into())
        .spawn(move || match audit(&service, upto) {
            Ok(true) => tracing::info!(
                upto,
                "audit of the snapshot: the log replayed from the first event gives its state"
            ),
            Ok(false) => {}
            Err(e) => service.halt(&e),
        })
        .expect("spawn the audit thread")
}

/// Replays the first `upto` events and compares the state with the snapshot start-up used;
/// `false` when it did not match (and was dealt with).
fn audit(service: &Service, upto: u64) -> Result<bool, ServiceError> {
    let store = &**service.store();
    let replayed = replay_prefix(store, upto, &|done| {
        service
            .audited
            .store(done, std::sync::atomic::Ordering::Relaxed)
    })?;
    let snapshot = crate::snapshot::open(store, service.key(), upto)
        .map_err(|e| corrupt(upto, e.to_string()))?;
    if replayed.root() != snapshot.root() {
        return Err(corrupt(
            upto,
            "the entries before the snapshot do not give its root",
        ));
    }
    if replayed.state == snapshot.state {
        return Ok(true);
    }
    let error = corrupt(
        upto,
        format!(
            "the snapshot at {upto} is signed with the log key but does not match the log \
             replayed from the first event ({} differ): it is discarded and replaced by the \
             replayed state",
            differing_parts(&snapshot.state, &replayed.state)
        ),
    );
    tracing::error!(
        error = %error,
        "A SNAPSHOT DID NOT MATCH THE LOG: the state served since start-up came from it; \
         writes are halted until an operator has looked (restart to resume)"
    );
    if let Err(e) = crate::snapshot::write(store, service.key(), &replayed) {
        tracing::error!(error = %e, "could not replace the snapshot that did not match");
    }
    service.halt(&error);
    service.rebase(replayed);
    Ok(false)
}

/// The top-level parts of the state that differ, named for the log line.
fn differing_parts(a: &thidua_domain::State, b: &thidua_domain::State) -> String {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return "the states".into();
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let differ: Vec<&str> = keys
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(String::as_str)
        .collect();
    if differ.is_empty() {
        "the states".into()
    } else {
        differ.join(", ")
    }
}
