//! The same document gives the same bytes: built twice, on another thread (the DOCX writer
//! keeps counters per thread), and issued on a log stored in SQLite and in PostgreSQL, whose
//! issued files hash the same — the covenant and the results on the format-1 log, the minutes,
//! the year-end report and the submission on the demonstration's. Issuing records `document_issued` with the content's SHA-256,
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

use super::fixture::{self, DEMO_LOG, LOG};
use super::render::{
    award_request, covenant_request, file, inspection_request, published_results_request, redated,
    requests, results_request, vote_request, year_request,
};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    for (name, req, state) in requests() {
        let doc = prepare(state, &req).unwrap().document;
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

/// Puts the bytes of `log` in `store` as its log, signed by a new key.
fn import(store: &dyn EventStore, key: &LogKey, log: &str) {
    let mut frontier = CompactRange::new();
    let (mut entries, mut nodes) = (Vec::new(), Vec::new());
    for (index, line) in log.lines().enumerate() {
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

/// Issues `requests` in turn on `log` imported in `store`; returns the hashes of the issued
/// files, the records' numbers and indices.
fn issue_on(
    store: Arc<dyn EventStore>,
    dir: &Path,
    log: &str,
    requests: Vec<thidua_docs::Request>,
) -> Vec<String> {
    let key = LogKey::load_or_create(&dir.join("key"), "docs.thidua.test/log").unwrap();
    import(store.as_ref(), &key, log);
    let service = Service::open(store, key, &|_, _| {}).unwrap();
    let mut out = Vec::new();
    for req in requests {
        let record = issue(&service, &Actor::System, &req).unwrap();
        let prepared = prepare(&service.read().state, &req).unwrap();
        assert_eq!(
            prepared.issued.as_ref(),
            Some(&record),
            "issuing again finds the record"
        );
        assert_eq!(record.sha256, content_hash(&prepared.document));
        // Issuing the same content again records nothing new; the same subject with another
        // content (another date) is refused, naming the document issued.
        let size = service.read().state.size;
        assert_eq!(issue(&service, &Actor::System, &req).unwrap(), record);
        if record.kind != DocumentKind::Covenant {
            let later = redated(&req, record.date.succ_opt().unwrap());
            let refused = issue(&service, &Actor::System, &later).unwrap_err();
            assert_eq!(refused.code(), "document_already_issued", "{refused}");
            let number = record.number_and_symbol().unwrap();
            assert!(refused.to_string().contains(&number), "{refused}");
        }
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

/// The format-1 log's documents (its results report from files is a preview only).
fn format1() -> (&'static str, Vec<thidua_docs::Request>) {
    (LOG, vec![covenant_request()])
}

/// The day the demonstration's log was written (its events' local date): its documents are
/// dated from it.
fn demo_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

/// The demonstration's documents: two minutes, the report, the submission, the results,
/// dated the day their events were entered.
fn demo() -> (&'static str, Vec<thidua_docs::Request>) {
    let requests = [
        inspection_request(),
        vote_request(),
        year_request(),
        award_request(),
        published_results_request(),
    ];
    (
        DEMO_LOG,
        requests.iter().map(|r| redated(r, demo_day())).collect(),
    )
}

/// A service on the demonstration's log imported into a new SQLite database (kept in the
/// returned directory while the service is used).
fn demo_service() -> (tempfile::TempDir, Service) {
    let dir = tempfile::tempdir().unwrap();
    let store = thidua_store_sqlite::SqliteStore::open(&dir.path().join("thidua.db")).unwrap();
    let key = LogKey::load_or_create(&dir.path().join("key"), "docs.thidua.test/log").unwrap();
    import(&store, &key, DEMO_LOG);
    let service = Service::open(Arc::new(store), key, &|_, _| {}).unwrap();
    (dir, service)
}

/// A document is not dated before what it records, nor before the previous one of its
/// numbering: the refusal names the earliest date (the day the latest event it recites was
/// entered, or the previous document's date), in the domain's error.
#[test]
fn a_document_is_not_dated_before_what_it_records_nor_before_its_predecessor() {
    let (_dir, service) = demo_service();
    let refused = |req: &thidua_docs::Request| match issue(&service, &Actor::System, req) {
        Err(thidua_docs::issue::IssueError::Service(thidua_service::ServiceError::Domain(e))) => e,
        other => panic!("not refused by the domain: {other:?}"),
    };
    // The vote was counted (record 88) on the day the log was written: its minutes dated the
    // day of the conference in 2024 would say it was counted before it was.
    let before = refused(&vote_request());
    assert_eq!(before.code(), "document_date_before_record", "{before}");
    assert!(before.to_string().contains("02/12/2026"), "{before}");
    assert!(before.to_string().contains("record 88"), "{before}");
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    issue(
        &service,
        &Actor::System,
        &redated(&inspection_request(), day(4)),
    )
    .unwrap();
    // 02 cannot be dated before 01.
    let earlier = refused(&redated(&vote_request(), day(3)));
    assert_eq!(earlier.code(), "document_date_before_previous", "{earlier}");
    assert!(
        earlier
            .to_string()
            .contains("01/BB-CTĐ12, dated 04/12/2026"),
        "{earlier}"
    );
    let record = issue(&service, &Actor::System, &redated(&vote_request(), day(4))).unwrap();
    assert_eq!(record.number_and_symbol().as_deref(), Some("02/BB-CTĐ12"));
}

/// Issues on SQLite, then on PostgreSQL when it is there, and compares.
fn on_both_backends(log: fn() -> (&'static str, Vec<thidua_docs::Request>)) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = thidua_store_sqlite::SqliteStore::open(&dir.path().join("thidua.db")).unwrap();
    let (bytes, requests) = log();
    let on_sqlite = issue_on(Arc::new(sqlite), dir.path(), bytes, requests);
    let Some(url) = thidua_store_postgres::test_database_url() else {
        return on_sqlite;
    };
    let schema = thidua_store_postgres::TestSchema::new(&url, "docs");
    let pg =
        thidua_store_postgres::PostgresStore::open_in_schema(&url, Some(&schema.name)).unwrap();
    let pg_dir = tempfile::tempdir().unwrap();
    let (bytes, requests) = log();
    let on_postgres = issue_on(Arc::new(pg), pg_dir.path(), bytes, requests);
    assert_eq!(on_sqlite, on_postgres, "the same files on both backends");
    on_sqlite
}

#[test]
fn issued_files_hash_the_same_on_sqlite_and_postgresql() {
    let out = on_both_backends(format1);
    assert_eq!(out[2], "Covenant None 60");
}

/// A results report computed from files (a regulation and figures) is a preview: issuing it is
/// refused, naming the form built from the log's published results.
#[test]
fn a_results_report_from_files_is_never_issued() {
    let state = fixture::state();
    let prepared = prepare(&state, &results_request()).unwrap();
    let refused = prepared.issue_command().unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("thidua doc results --covenant"),
        "{refused}"
    );
}

#[test]
fn minutes_report_and_submission_are_numbered_in_turn_on_both_backends() {
    let out = on_both_backends(demo);
    assert_eq!(out[2], "InspectionMinutes Some(\"01/BB-CTĐ12\") 399");
    assert_eq!(out[5], "VoteMinutes Some(\"02/BB-CTĐ12\") 400");
    assert_eq!(out[8], "YearReport Some(\"03/BC-CTĐ12\") 401");
    assert_eq!(out[11], "AwardSubmission Some(\"04/TTr-CTĐ12\") 402");
    assert_eq!(out[14], "Results Some(\"05/BC-CTĐ12\") 403");
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
}

/// Later papers name earlier ones by number and date once they are issued: the year-end
/// report its inspections' and counts' minutes, the submission the papers of its dossier.
#[test]
fn later_papers_name_the_issued_ones_by_number() {
    let (_dir, service) = demo_service();
    let text = |req: &thidua_docs::Request| {
        let doc = prepare(&service.read().state, &redated(req, demo_day()))
            .unwrap()
            .document;
        format!("{:?}", doc.body)
    };
    let dossier = || {
        let text = text(&award_request());
        let at = text.find("hồ sơ kèm theo gồm").unwrap();
        text[at..at + text[at..].find('.').unwrap()].to_owned()
    };
    assert_eq!(
        dossier(),
        "hồ sơ kèm theo gồm báo cáo tổng kết, biên bản kiểm phiếu và kết quả chấm điểm của cụm"
    );
    assert!(!text(&year_request()).contains("biên bản"));
    for req in [inspection_request(), vote_request()] {
        issue(&service, &Actor::System, &redated(&req, demo_day())).unwrap();
    }
    let year = text(&year_request());
    for said in [
        "đã giải quyết 1 (biên bản số 01/BB-CTĐ12 ngày 02/12/2026)",
        "biên bản kiểm phiếu số 02/BB-CTĐ12 ngày 02/12/2026).",
    ] {
        assert_eq!(year.matches(said).count(), 1, "{said}: {year}");
    }
    issue(
        &service,
        &Actor::System,
        &redated(&published_results_request(), demo_day()),
    )
    .unwrap();
    let year = text(&year_request());
    assert!(
        year.contains("(báo cáo kết quả chấm điểm số 03/BC-CTĐ12 ngày 02/12/2026), tính theo"),
        "{year}"
    );
    issue(
        &service,
        &Actor::System,
        &redated(&year_request(), demo_day()),
    )
    .unwrap();
    assert_eq!(
        dossier(),
        "hồ sơ kèm theo gồm: Báo cáo tổng kết số 04/BC-CTĐ12 ngày 02/12/2026; Biên bản kiểm phiếu số 02/BB-CTĐ12 ngày 02/12/2026; Báo cáo kết quả chấm điểm số 03/BC-CTĐ12 ngày 02/12/2026"
    );
}

/// Every event of the service's log, decoded.
fn logged_events(service: &thidua_service::Service) -> Vec<thidua_domain::Event> {
    let size = service.read().state.size;
    service
        .store()
        .entries(0, size)
        .unwrap()
        .iter()
        .map(|e| thidua_domain::Event::decode(e.index, &e.bytes).unwrap())
        .collect()
}

/// The stored content (canonical bytes) of an issued document.
fn stored_content(
    service: &thidua_service::Service,
    d: &thidua_domain::documents::IssuedDocument,
) -> Option<Vec<u8>> {
    let hash: [u8; 32] = hex::decode(&d.sha256).unwrap().try_into().unwrap();
    service.store().get_blob(&hash).unwrap()
}

/// Every kind of issued document is built again from the log as it was just before its record
/// (`thidua_docs::rebuild`, what `thidua doc check` and `thidua verify` do): the minutes, the
/// report, the submission and the results of the demonstration, each identical; a stored
/// content that hashes to its record but is not what the log gives (a score changed) is a
/// difference naming the row; a record whose content the caller does not read is listed.
#[test]
fn every_issued_document_is_built_again_from_the_log_before_its_record() {
    let (_dir, service) = demo_service();
    let (_, requests) = demo();
    for req in &requests {
        issue(&service, &Actor::System, req).unwrap();
    }
    let events = logged_events(&service);
    let blob = |d: &thidua_domain::documents::IssuedDocument| Ok(stored_content(&service, d));
    let audit = thidua_docs::rebuild::audit(&events, None, &blob).unwrap();
    assert_eq!(audit.problems(), Vec::<String>::new());
    assert_eq!(audit.identical.len(), requests.len(), "{audit:?}");

    // The results report with one score changed, recorded as it (its hash is the record's).
    let results = service.read().state.documents.last().cloned().unwrap();
    assert_eq!(results.kind, DocumentKind::Results);
    let mut forged = thidua_docs::from_canonical(&blob(&results).unwrap().unwrap()).unwrap();
    let cell = forged
        .body
        .iter_mut()
        .find_map(|b| match b {
            thidua_docs::model::Block::Table(t) => Some(&mut t.rows[0][2]),
            _ => None,
        })
        .unwrap();
    let genuine = cell.clone();
    *cell = "99,99".into();
    let mut record = results.clone();
    record.sha256 = content_hash(&forged);
    let before = {
        let mut state = thidua_domain::State::default();
        for e in &events[..results.index as usize] {
            state.apply(e).unwrap();
        }
        state
    };
    let problem =
        thidua_docs::rebuild::check(&before, &record, &thidua_docs::canonical_bytes(&forged))
            .unwrap_err();
    let thidua_docs::rebuild::Problem::Differs(why) = problem else {
        panic!("{problem:?}");
    };
    assert!(
        why.contains("the content is not what the log gives for this record")
            && why.contains(&genuine)
            && why.contains("99,99"),
        "{why}"
    );
    // Content the caller may not read is listed, not passed over.
    let audit = thidua_docs::rebuild::audit(&events, None, &|_| Ok(None)).unwrap();
    assert_eq!(audit.unread.len(), requests.len());
    assert!(audit.identical.is_empty());

    // A document an earlier release wrote, with edition 1 of the templates: its canonical bytes
    // carry no edition (they stay as that release wrote them) and it is told apart, not called
    // a difference.
    let mut earlier = thidua_docs::from_canonical(&blob(&results).unwrap().unwrap()).unwrap();
    earlier.edition = 1;
    let bytes = thidua_docs::canonical_bytes(&earlier);
    assert!(!String::from_utf8_lossy(&bytes).contains("\"edition\""));
    assert_eq!(thidua_docs::from_canonical(&bytes).as_ref(), Some(&earlier));
    let mut record = results.clone();
    record.sha256 = content_hash(&earlier);
    assert_eq!(
        thidua_docs::rebuild::check(&before, &record, &bytes),
        Err(thidua_docs::rebuild::Problem::OtherEdition(1))
    );
}

/// Minutes issued days after what they record state its day — the day the finding and the
/// count were entered (02/12/2026 in the log as written) — not their own date (05/12/2026),
/// and `thidua doc check` builds them again from the log: the place is read after that
/// opening.
#[test]
fn minutes_issued_later_state_the_day_of_what_they_record() {
    let (_dir, service) = demo_service();
    let later = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let mut openings = Vec::new();
    for req in [inspection_request(), vote_request()] {
        let record = issue(&service, &Actor::System, &redated(&req, later)).unwrap();
        let bytes = thidua_docs::issue::issued_content(&service, &record).unwrap();
        let doc = thidua_docs::from_canonical(&bytes).unwrap();
        let first = doc.body.iter().find_map(|b| match b {
            thidua_docs::model::Block::Paragraph(s) if s[0].text.contains(", tại ") => {
                Some(s[0].text.clone())
            }
            _ => None,
        });
        openings.push(first.unwrap());
    }
    assert!(
        openings[0].starts_with(
            "Vào ngày 02/12/2026, tại Kiên Giang, đoàn kiểm tra của Công an tỉnh Hậu Giang \
             tiến hành kiểm tra chéo"
        ),
        "{}",
        openings[0]
    );
    assert!(
        openings[1].starts_with("Vào ngày 02/12/2026, tại Kiên Giang, Cụm")
            && openings[1].contains("tiến hành kiểm phiếu vòng 1"),
        "{}",
        openings[1]
    );
    let events = logged_events(&service);
    let blob = |d: &thidua_domain::documents::IssuedDocument| Ok(stored_content(&service, d));
    let audit = thidua_docs::rebuild::audit(&events, None, &blob).unwrap();
    assert_eq!(audit.problems(), Vec::<String>::new());
    assert_eq!(audit.identical.len(), 2, "{audit:?}");
}
