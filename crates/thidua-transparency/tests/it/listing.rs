//! What a verifier lists before it checks, on SQLite and PostgreSQL: the sizes with a signed
//! checkpoint (`/api/v1/log/checkpoints`, paginated; proofs served for the sizes between them
//! too) and the witness keys with the quorum in force (`/api/v1/log/witnesses`, public), through
//! a unit's second key and a witness policy; and `/entries`, which takes no `level`.

use std::sync::Arc;

use thidua_domain::{Actor, Command};
use thidua_ledger::{verify_inclusion, CosignerKey};
use thidua_transparency::api::{CheckpointSizes, InclusionProof, WitnessList};
use thidua_transparency::{LogApiConfig, ReadAll};

use crate::common::*;

fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> T {
    let (status, body) = get(url);
    assert_eq!(status, 200, "{url}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn refused(url: &str, code: &str) {
    let (status, body) = get(url);
    assert_eq!(status, 400, "{url}: {body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"], code, "{url}");
}

fn check_listing(log: Log) {
    let service = log.service.clone();
    let store = service.store().clone();
    let config = LogApiConfig {
        access: Arc::new(ReadAll),
    };
    let server = serve(service.clone(), log.witnesses.clone(), config);
    let base = format!("{}/api/v1/log", server.url);
    let size = service.read().size;

    // Every size with a signed checkpoint, page after page, is what the store holds.
    let signed: Vec<u64> = (1..=size)
        .filter(|s| store.checkpoint_at(*s).unwrap().is_some())
        .collect();
    assert!(
        signed.len() > 5 && signed.len() < size as usize,
        "{signed:?}"
    );
    let mut listed = Vec::new();
    let mut from = 1;
    loop {
        let page: CheckpointSizes = get_json(&format!("{base}/checkpoints?from={from}&limit=7"));
        assert_eq!((page.from, page.limit, page.newest), (from, 7, size));
        assert!(page.sizes.iter().all(|s| (from..from + 7).contains(s)));
        listed.extend(page.sizes);
        match page.next {
            Some(next) => {
                assert_eq!(next, from + 7);
                from = next;
            }
            None => break,
        }
    }
    assert_eq!(listed, signed);
    let all: CheckpointSizes = get_json(&format!("{base}/checkpoints"));
    assert_eq!((all.from, all.limit), (1, 100));
    assert_eq!(
        all.sizes,
        signed
            .iter()
            .copied()
            .filter(|s| *s < 101)
            .collect::<Vec<_>>()
    );
    let past: CheckpointSizes = get_json(&format!("{base}/checkpoints?from={}", size + 1));
    assert!(past.sizes.is_empty() && past.next.is_none());
    let huge: CheckpointSizes =
        get_json(&format!("{base}/checkpoints?from={}&limit=1000", u64::MAX));
    assert!(huge.sizes.is_empty() && huge.next.is_none());
    for query in ["limit=1001", "limit=0", "from=0"] {
        refused(&format!("{base}/checkpoints?{query}"), "bad_range");
    }
    for query in ["limit=-1", "from=x", "size=3"] {
        refused(&format!("{base}/checkpoints?{query}"), "invalid_query");
    }

    // A size inside a batch has no checkpoint, but its proofs are served and verify against the
    // root of that tree.
    let inside = (2..size).find(|s| !signed.contains(s)).unwrap();
    assert_eq!(get(&format!("{base}/checkpoint?size={inside}")).0, 404);
    let p: InclusionProof = get_json(&format!(
        "{base}/proof/inclusion?index={}&size={inside}",
        inside - 1
    ));
    let proof: Vec<[u8; 32]> = p
        .proof
        .iter()
        .map(|h| hex::decode(h).unwrap().try_into().unwrap())
        .collect();
    let entries = store.entries(0, inside).unwrap();
    let root = thidua_ledger::MemoryTree::from_entries(entries.iter().map(|e| &e.bytes)).root();
    verify_inclusion(
        inside - 1,
        inside,
        &entries[inside as usize - 1].leaf_hash,
        &proof,
        &root,
    )
    .unwrap();
    assert_eq!(
        get(&format!("{base}/proof/consistency?from={inside}&to={size}")).0,
        200
    );

    // `/entries` takes `start` and `end` only; `level` belongs to `/leaves`.
    refused(
        &format!("{base}/entries?start=0&end=2&level=1"),
        "invalid_query",
    );
    assert_eq!(get(&format!("{base}/leaves?start=0&end=2&level=1")).0, 200);

    // The witness keys registered in the log, public, with the default quorum (all but one).
    let state = service.read();
    let list: WitnessList = get_json(&format!("{base}/witnesses"));
    assert_eq!(list.quorum, 1);
    assert_eq!(list.policy, None);
    let units: Vec<&str> = list.witnesses.iter().map(|w| w.unit.as_str()).collect();
    assert_eq!(units, ["ca-ag", "ca-kg"]);
    for w in &list.witnesses {
        let (_, key) = log.witness_keys.iter().find(|(u, _)| *u == w.unit).unwrap();
        assert_eq!(w.key, key.verifier().to_key_string());
        let registered = &state.witness_keys[&unit(&w.unit)];
        assert_eq!(w.registered_at, registered.registered_at);
        assert!(w.counts);
        // The form `thidua verify --witness UNIT=KEY` and trust files take.
        thidua_transparency::trust::parse_witness_key(&w.key).unwrap();
    }
    drop(state);

    // ca-kg's leader registers a second key: it replaces the first, which no longer counts.
    let (_, old) = log.witness_keys.iter().find(|(u, _)| u == "ca-kg").unwrap();
    let new = CosignerKey::generate("ca-kg.witness.test").unwrap();
    service
        .execute(
            &Actor::User(user("lanhdao.kg")),
            Command::RegisterWitnessKey {
                unit: unit("ca-kg"),
                key: new.verifier().to_key_string(),
            },
        )
        .unwrap();
    let list: WitnessList = get_json(&format!("{base}/witnesses"));
    let kg = list.witnesses.iter().find(|w| w.unit == "ca-kg").unwrap();
    assert_eq!(kg.key, new.verifier().to_key_string());
    assert_eq!(kg.registered_at, service.read().size - 1);
    assert_eq!(list.quorum, 1);
    let newest = service.read().size;
    let cp = thidua_transparency::trust::open_log_checkpoint(
        &store.latest_checkpoint().unwrap().unwrap().note,
        &log.log_verifier(),
    )
    .unwrap()
    .checkpoint;
    let stale = old.cosign(&cp, now_secs()).unwrap().to_line();
    let (status, body) = match ureq::post(&format!("{base}/cosignature"))
        .send_json(serde_json::json!({"unit": "ca-kg", "size": newest, "cosignature": stale}))
    {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    };
    assert_eq!(status, 403, "a replaced key no longer cosigns: {body}");

    // A witness policy: only the designated units count, with the policy's quorum.
    service
        .execute(
            &Actor::System,
            Command::SetWitnessPolicy {
                witnesses: vec![unit("ca-ag"), unit("ca-hg")],
                quorum: 1,
            },
        )
        .unwrap();
    let list: WitnessList = get_json(&format!("{base}/witnesses"));
    let policy = list.policy.clone().unwrap();
    assert_eq!(policy.witnesses, ["ca-ag", "ca-hg"]);
    assert_eq!((policy.quorum, policy.set_at), (1, service.read().size - 1));
    assert_eq!(list.quorum, 1);
    let counts: Vec<(&str, bool)> = list
        .witnesses
        .iter()
        .map(|w| (w.unit.as_str(), w.counts))
        .collect();
    assert_eq!(counts, [("ca-ag", true), ("ca-kg", false)]);
}

#[test]
fn checkpoints_and_witnesses_are_listed_on_sqlite() {
    check_listing(sqlite_log(40));
}

#[test]
fn checkpoints_and_witnesses_are_listed_on_postgres() {
    if let Some(log) = postgres_log(40) {
        check_listing(log);
    }
}
