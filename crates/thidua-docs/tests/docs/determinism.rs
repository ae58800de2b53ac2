//! The same document gives the same bytes: built twice, on another thread (the DOCX writer
//! keeps counters per thread), and issued on a log stored in SQLite and in PostgreSQL, whose
//! issued files hash the same. Issuing records `document_issued` with the content's SHA-256,
//! and the issued file names that record.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use thidua_docs::issue::{issue, issued_file};
use thidua_docs::{content_hash, prepare, render, Format, Verification};
use thidua_domain::documents::DocumentKind;
use thidua_domain::Actor;
use thidua_ledger::CompactRange;
use thidua_service::{LogKey, Service};
use thidua_store::{Append, Entry, EventStore, Node};

use super::fixture::{self, LOG};
use super::render::{covenant_request, file, results_request};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let state = fixture::state();
    for name in ["covenant", "results"] {
        let req = if name == "covenant" {
            covenant_request()
        } else {
            results_request()
        };
        let doc = prepare(&state, &req).unwrap().document;
        let again = std::thread::spawn(move || {
            let d = render(&doc, &Verification::Preview, Format::Docx).unwrap();
            let p = render(&doc, &Verification::Preview, Format::Pdf).unwrap();
            (p, d)
        })
        .join()
        .unwrap();
        assert_eq!(sha(&again.0), sha(&file(name).pdf_bytes), "{name}.pdf");
        assert_eq!(sha(&again.1), sha(&file(name).docx_bytes), "{name}.docx");
    }
}

/// Puts the fixture's bytes in `store` as its log, signed by a new key.
fn import(store: &dyn EventStore, key: &LogKey) {
    let mut frontier = CompactRange::new();
    let (mut entries, mut nodes) = (Vec::new(), Vec::new());
    for (index, line) in LOG.lines().enumerate() {
        let leaf = thidua_ledger::leaf_hash(line.as_bytes());
        nodes.extend(frontier.append(leaf).into_iter().map(|n| Node {
            level: n.level,
            index: n.index,
            hash: n.hash,
        }));
        entries.push(Entry {
            index: index as u64,
            bytes: line.as_bytes().to_vec(),
            leaf_hash: leaf,
        });
    }
    let checkpoint = key
        .sign_checkpoint(frontier.size(), frontier.root())
        .unwrap();
    store
        .append(Append {
            expected_size: 0,
            entries: &entries,
            nodes: &nodes,
            checkpoint: &checkpoint,
        })
        .unwrap();
}

/// Issues the covenant and the results on a log in `store`; returns the hashes of the issued
/// files, the records' numbers and indices.
fn issue_on(store: Arc<dyn EventStore>, dir: &Path) -> Vec<String> {
    let key = LogKey::load_or_create(&dir.join("key"), "docs.thidua.test/log").unwrap();
    import(store.as_ref(), &key);
    let service = Service::open(store, key, &|_, _| {}).unwrap();
    let mut out = Vec::new();
    for req in [covenant_request(), results_request()] {
        let record = issue(&service, &Actor::System, &req).unwrap();
        let prepared = prepare(&service.read().state, &req).unwrap();
        assert_eq!(
            prepared.issued.as_ref(),
            Some(&record),
            "issuing again finds the record"
        );
        assert_eq!(record.sha256, content_hash(&prepared.document));
        // Issuing the same content again records nothing new.
        let size = service.read().state.size;
        assert_eq!(issue(&service, &Actor::System, &req).unwrap(), record);
        assert_eq!(service.read().state.size, size);
        for f in [Format::Pdf, Format::Docx] {
            out.push(sha(&issued_file(&service, &record, f).unwrap()));
        }
        out.push(format!(
            "{:?} {:?} {}",
            record.kind,
            record.number_and_symbol(),
            record.index
        ));
    }
    out
}

#[test]
fn issued_files_hash_the_same_on_sqlite_and_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = thidua_store_sqlite::SqliteStore::open(&dir.path().join("thidua.db")).unwrap();
    let on_sqlite = issue_on(Arc::new(sqlite), dir.path());
    assert_eq!(on_sqlite[2], "Covenant None 60");
    assert_eq!(on_sqlite[5], "Results Some(\"01/BC-CTĐ12\") 61");
    let Some(url) = thidua_store_postgres::test_database_url() else {
        return;
    };
    let schema = thidua_store_postgres::random_schema("docs");
    let pg = thidua_store_postgres::PostgresStore::open_in_schema(&url, Some(&schema)).unwrap();
    let pg_dir = tempfile::tempdir().unwrap();
    let on_postgres = issue_on(Arc::new(pg), pg_dir.path());
    assert_eq!(on_sqlite, on_postgres, "the same files on both backends");
}

#[test]
fn the_issued_file_names_its_record() {
    let state = fixture::state();
    let doc = prepare(&state, &results_request()).unwrap().document;
    let hash = content_hash(&doc);
    let v = Verification::Issued {
        sha256: hash.clone(),
        index: 61,
    };
    assert!(v.line().contains(&hash) && v.line().contains("61"));
    // The verification line is outside what the hash covers.
    assert_eq!(content_hash(&doc), hash);
    assert_ne!(
        render(&doc, &v, Format::Pdf).unwrap(),
        render(&doc, &Verification::Preview, Format::Pdf).unwrap()
    );
    let _ = DocumentKind::Results;
}
