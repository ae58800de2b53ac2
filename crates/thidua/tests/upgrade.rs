//! The upgrade story of `docs/event-encoding.md`, end to end: a log written by the format-1
//! code (`tests/data/log-format1.jsonl`, bytes as they were stored) is put in a fresh SQLite
//! database under a new key; today's binary opens it, `thidua verify` verifies it, the state
//! replays to the hashes its leaders signed, and new events — in the newest format of their
//! kind, and of a kind that did not exist then — are appended after it and verify too.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use thidua_domain::{Actor, CovenantId, Text};
use thidua_ledger::CompactRange;
use thidua_service::{LogKey, Service};
use thidua_store::{Append, Entry, EventStore, Node};
use thidua_store_sqlite::SqliteStore;

const FIXTURE: &str = include_str!("data/log-format1.jsonl");
/// RFC 6962 root of the 60 fixture entries, computed independently (Python's hashlib).
const FIXTURE_ROOT: &str = "677338b2464cab7807baa8ef33646655d88da9041afd930ec86f518d7a033c77";

fn thidua() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.env("THIDUA_LOG", "warn")
        .env_remove("THIDUA_DATABASE_URL")
        .env_remove("THIDUA_DATA");
    cmd
}

/// A data directory whose database holds exactly the fixture's bytes, signed by a new key.
fn import_fixture(dir: &Path) {
    let key =
        LogKey::load_or_create(&dir.join("log-signing.key"), "upgrade.thidua.test/log").unwrap();
    let store = SqliteStore::open(&dir.join("thidua.db")).unwrap();
    let mut frontier = CompactRange::new();
    let mut entries = Vec::new();
    let mut nodes = Vec::new();
    for (index, line) in FIXTURE.lines().enumerate() {
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
    assert_eq!(hex::encode(frontier.root()), FIXTURE_ROOT);
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

fn open(dir: &Path) -> Service {
    let store: Arc<dyn EventStore> = Arc::new(SqliteStore::open(&dir.join("thidua.db")).unwrap());
    let key = LogKey::load(&dir.join("log-signing.key")).unwrap();
    Service::open(store, key, &|_, _| {}).unwrap()
}

/// `thidua verify` on the fixture's database. The fixture registers ca-ag's witness, which
/// never saw this copy sealed under a new key: its checkpoints are unwitnessed, accepted so.
fn verify(dir: &Path) -> String {
    let out = thidua()
        .args(["verify", "--no-state", "--allow-unwitnessed", "--data"])
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn a_format_1_log_opens_verifies_and_grows_with_newer_formats() {
    let dir = tempfile::tempdir().unwrap();
    import_fixture(dir.path());
    let report = verify(dir.path());
    assert!(report.contains("kích thước / size          60"), "{report}");
    assert!(report.contains(FIXTURE_ROOT), "{report}");

    let service = open(dir.path());
    let view = service.read();
    let c2024 = &view.covenants[&CovenantId::parse("giao-uoc-cum-12-2024").unwrap()];
    assert_eq!(
        c2024.latest().hash,
        "f789113fb6f4e79742f56ea39c71b6649ffe2445563b47a1509a2465a4c3e32c"
    );
    assert!(c2024.latest().frozen_at.is_some());

    // A kind that did not exist in format 1: the secretariat withdraws the unsigned 2025 draft.
    let secretariat = Actor::User(thidua_domain::UserId::parse("thuky.cum12").unwrap());
    let covenant = CovenantId::parse("giao-uoc-cum-12-2025").unwrap();
    service
        .execute(
            &secretariat,
            thidua_domain::Command::WithdrawCovenantDraft {
                covenant: covenant.clone(),
                reason: Text::parse("reason", "Soạn lại theo đơn vị sau sáp nhập", 500).unwrap(),
            },
        )
        .unwrap();
    // A kind written in its newer format: version 2 of that covenant, a target measured.
    let mut content = service.read().covenants[&covenant].latest().content.clone();
    content.targets[0].indicator = Some("crime_change".into());
    // Format 1's draft carried the 2024 regulation; a version is now refused unless its
    // regulation is written for the covenant's year.
    let mut regulation = thidua_scoring::syntax::parse::parse(&content.regulation.text).unwrap();
    regulation.move_years(1);
    let text = thidua_scoring::syntax::print::print(&regulation);
    content.regulation = thidua_domain::covenant::regulation_doc(&text).unwrap();
    service
        .execute(
            &secretariat,
            thidua_domain::Command::ProposeCovenantVersion {
                covenant: covenant.clone(),
                content,
            },
        )
        .unwrap();
    drop(service);

    let entries = SqliteStore::open(&dir.path().join("thidua.db"))
        .unwrap()
        .entries(60, 62)
        .unwrap();
    let new_draft = String::from_utf8(entries[1].bytes.clone()).unwrap();
    assert!(new_draft.contains(r#""kind":"covenant_drafted""#) && new_draft.contains(r#""v":2"#));
    assert!(new_draft.contains(r#""indicator":"crime_change""#));
    let report = verify(dir.path());
    assert!(report.contains("kích thước / size          62"), "{report}");
    let reopened = open(dir.path());
    let versions = &reopened.read().covenants[&covenant].versions;
    assert!(versions[0].withdrawn.is_some());
    assert_eq!(
        versions[1].content.targets[0].indicator.as_deref(),
        Some("crime_change")
    );
}

/// `thidua doc` on the format-1 log: the covenant issued by the operator, listed, written again
/// from the log (the results report from files is a preview, refused for issuing); the log with
/// `document_issued` still verifies.
#[test]
fn official_documents_are_issued_listed_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    import_fixture(dir.path());
    let run = |args: &[&str]| {
        let out = thidua()
            .args(args)
            .arg("--data")
            .arg(dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    };
    let pdf = dir.path().join("giao-uoc.pdf");
    let issued = run(&[
        "doc",
        "covenant",
        "--covenant",
        "giao-uoc-cum-12-2024",
        "--issue",
        "--as",
        "thuky.cum12",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert!(
        issued.contains("đã phát hành / issued  covenant  -  số thứ tự trong sổ / record 60"),
        "{issued}"
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // A results report from a regulation and figures is a preview: issuing it is refused,
    // naming the form built from the log's published results.
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/cum12-2024");
    let docx = dir.path().join("ket-qua.docx");
    let from_files = |issue: &[&str]| {
        let regulation = format!("{examples}/regulation.toml");
        let figures = format!("{examples}/data.csv");
        let mut args = vec![
            "doc",
            "results",
            "--cluster",
            "cum-12",
            "--year",
            "2024",
            "--regulation",
            &regulation,
            "--figures",
            &figures,
            "--date",
            "20/12/2024",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ];
        args.extend(issue);
        thidua()
            .args(&args)
            .arg("--data")
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let refused = from_files(&["--issue", "--as", "thuky.cum12"]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("thidua doc results --covenant ID") && err.contains("preview only"),
        "{err}"
    );
    assert!(!docx.exists(), "nothing written");
    let preview = from_files(&[]);
    assert!(preview.status.success());
    assert!(String::from_utf8_lossy(&preview.stdout).contains("xem trước / preview"));
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    let list = run(&["doc", "list", "--cluster", "cum-12"]);
    assert_eq!(list.lines().count(), 1, "{list}");
    let sha = list
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(4)
        .unwrap()
        .to_owned();
    let again = dir.path().join("again.pdf");
    run(&[
        "doc",
        "issued",
        "--sha256",
        &sha,
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&again).unwrap().starts_with(b"%PDF-"));
    let report = verify(dir.path());
    assert!(report.contains("kích thước / size          61"), "{report}");
}
