//! The public log endpoints over HTTP, on SQLite and PostgreSQL: checkpoint with cosignatures,
//! proofs checked against signed roots, leaves, filtered entries, cosignature posting and the
//! witnessed checkpoint.

use std::sync::Arc;

use axum::http::HeaderMap;
use thidua_ledger::{open_checkpoint, verify_consistency, verify_inclusion, CosignerKey};
use thidua_transparency::api::EntryReader;
use thidua_transparency::api::{ConsistencyProof, InclusionProof};
use thidua_transparency::client::{HttpLog, LogClient};
use thidua_transparency::witness::Witness;
use thidua_transparency::{latest_witnessed_checkpoint, EntryAccess, LogApiConfig};

use crate::common::*;

/// Lets callers read even log indices only.
struct EvenOnly;

impl EntryAccess for EvenOnly {
    fn reader(&self, _: &HeaderMap) -> EntryReader {
        Box::new(|_, e| e.index % 2 == 0)
    }
}

fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn post(url: &str, body: serde_json::Value) -> (u16, String) {
    match ureq::post(url).send_json(body) {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap()),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn hash(s: &str) -> [u8; 32] {
    hex::decode(s).unwrap().try_into().unwrap()
}

fn check_endpoints(log: Log) {
    let service = log.service.clone();
    let store = service.store().clone();
    let server = serve(
        service.clone(),
        log.witnesses.clone(),
        LogApiConfig {
            access: Arc::new(EvenOnly),
        },
    );
    let base = format!("{}/api/v1/log", server.url);
    let http = HttpLog::new(&server.url, None);
    let verifier = log.log_verifier();

    // The checkpoint is the newest signed one and matches the service's tree.
    let note = http.checkpoint().unwrap();
    let cp = open_checkpoint(note.as_bytes(), &[&verifier])
        .unwrap()
        .checkpoint;
    let size = service.read().size;
    assert_eq!(cp.size, size);
    assert_eq!(cp.root, service.read().root());
    let entries = store.entries(0, size).unwrap();

    // Inclusion proofs verify against the signed root, for every entry.
    for index in 0..size {
        let (status, body) = get(&format!("{base}/proof/inclusion?index={index}&size={size}"));
        assert_eq!(status, 200, "{body}");
        let p: InclusionProof = serde_json::from_str(&body).unwrap();
        let proof: Vec<_> = p.proof.iter().map(|h| hash(h)).collect();
        verify_inclusion(
            index,
            size,
            &entries[index as usize].leaf_hash,
            &proof,
            &cp.root,
        )
        .unwrap();
    }
    // Consistency proofs between every earlier signed checkpoint and the newest.
    let mut checked = 0;
    for m in 1..size {
        let Some(old) = store.checkpoint_at(m).unwrap() else {
            continue;
        };
        let old = open_checkpoint(old.note.as_bytes(), &[&verifier])
            .unwrap()
            .checkpoint;
        let (status, body) = get(&format!("{base}/proof/consistency?from={m}&to={size}"));
        assert_eq!(status, 200, "{body}");
        let p: ConsistencyProof = serde_json::from_str(&body).unwrap();
        let proof: Vec<_> = p.proof.iter().map(|h| hash(h)).collect();
        verify_consistency(m, size, &old.root, &cp.root, &proof).unwrap();
        assert_eq!(http.consistency(m, size).unwrap(), proof);
        checked += 1;
    }
    assert!(checked > 5, "only {checked} earlier checkpoints");

    // Requests the log cannot answer are refused with stable codes.
    for (path, code) in [
        (
            format!("proof/inclusion?index=0&size={}", size + 1),
            "size_not_published",
        ),
        (
            format!("proof/inclusion?index={size}&size={size}"),
            "index_out_of_range",
        ),
        (
            format!("proof/consistency?from=0&to={size}"),
            "sizes_out_of_order",
        ),
        (
            format!("proof/consistency?from={size}&to=2"),
            "sizes_out_of_order",
        ),
        ("leaves?start=5&end=2".to_owned(), "bad_range"),
    ] {
        let (status, body) = get(&format!("{base}/{path}"));
        assert_eq!(status, 400, "{path}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"], code, "{path}");
    }
    assert_eq!(get(&format!("{base}/checkpoint?size=999999")).0, 404);

    // Leaf hashes come from the tree and match the entries; contents follow the filter.
    let leaves = http.leaves(0, size).unwrap();
    assert_eq!(leaves.len() as u64, size);
    let served = http.entries(0, size).unwrap();
    assert_eq!(served.len() as u64, size);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(leaves[i], e.leaf_hash);
        assert_eq!(served[i].leaf_hash, e.leaf_hash);
        if i % 2 == 0 {
            assert_eq!(served[i].bytes.as_deref(), Some(e.bytes.as_slice()));
        } else {
            assert_eq!(served[i].bytes, None, "entry {i} must be withheld");
        }
    }
    assert!(http.leaves(size, size + 10).unwrap().is_empty());

    // Witnesses cosign; the checkpoint is served with their cosignatures.
    assert_eq!(get(&format!("{base}/witnessed")).0, 404);
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (i, (unit, key)) in log.witness_keys.iter().enumerate() {
        let witness = Witness {
            unit,
            key,
            log_key: &verifier,
            state_path: &dir.path().join(format!("{unit}.state")),
            evidence_dir: dir.path(),
        };
        let done = witness.run(&http, now_secs()).unwrap();
        assert_eq!((done.size, done.previous), (size, 0));
        lines.push(done.line);
        // The log's default quorum, all but one of two keys, is one cosignature.
        let witnessed = latest_witnessed_checkpoint(&service, &*log.witnesses)
            .unwrap()
            .unwrap();
        assert_eq!((witnessed.required, witnessed.units.len()), (1, i + 1));
    }
    let note = http.checkpoint().unwrap();
    for line in &lines {
        assert!(note.contains(line.as_str()), "{note}");
    }
    let (status, body) = get(&format!("{base}/witnessed"));
    assert_eq!(status, 200);
    assert_eq!(body, note);
    let w = latest_witnessed_checkpoint(&service, &*log.witnesses)
        .unwrap()
        .unwrap();
    assert_eq!(w.size, size);
    assert_eq!(w.units, vec!["ca-ag".to_owned(), "ca-kg".to_owned()]);
    assert_eq!(w.required, 1);

    // Cosignatures by a key not registered for the unit, for a unit without a key, for a
    // checkpoint that does not exist, or malformed: refused, nothing stored.
    let stranger = CosignerKey::generate("ca-kg.witness.test").unwrap();
    let forged = stranger.cosign(&cp, now_secs()).unwrap().to_line();
    let cases = [
        ("ca-kg", size, forged.clone(), 403, "invalid_signature"),
        ("ca-hg", size, forged.clone(), 400, "unknown_witness"),
        ("ca-zz", size, forged.clone(), 400, "unknown_witness"),
        ("ca-kg", size + 7, lines[0].clone(), 404, "not_found"),
        (
            "ca-kg",
            size,
            "— nonsense".to_owned(),
            400,
            "bad_cosignature",
        ),
    ];
    for (unit, at, line, status, code) in cases {
        let (got, body) = post(
            &format!("{base}/cosignature"),
            serde_json::json!({"unit": unit, "size": at, "cosignature": line}),
        );
        assert_eq!(got, status, "{unit} {at}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"], code);
    }
    assert_eq!(log.witnesses.cosignatures_at(size).unwrap().len(), 2);
}

#[test]
fn public_endpoints_on_sqlite() {
    check_endpoints(sqlite_log(40));
}

#[test]
fn public_endpoints_on_postgres() {
    if let Some(log) = postgres_log(40) {
        check_endpoints(log);
    }
}
