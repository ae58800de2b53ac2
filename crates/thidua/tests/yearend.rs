//! The demonstration's year-end from the command line: `thidua assign --verify` recomputes the
//! draw from the log alone, `thidua verify` recomputes the draw and the published results, and
//! a final score tampered with in a copy of the database is detected.

mod support;

use std::path::Path;
use support::{api_token, run, serve_demo_once, thidua, Running};

use thidua_domain::yearend::YearEndEvent;
use thidua_domain::{Event, Payload};

/// Loads the demonstration into `data` (`thidua serve --demo` on port 0, stopped once serving).
fn load_demo(data: &Path) {
    serve_demo_once(&["--data".into(), data.into()]);
}

/// `thidua verify` of the database in `data` against the log key `key` (no state file).
fn verify_database(data: &Path, key: &str) -> std::process::Output {
    run(thidua()
        .arg("verify")
        .arg("--data")
        .arg(data)
        .args(["--log-key", key, "--no-state"]))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn the_year_end_recomputes_from_the_log_and_a_tampered_score_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    load_demo(&data);
    let key = support::log_key(&data);

    let assign = run(thidua()
        .args([
            "assign",
            "--covenant",
            "giao-uoc-cum-12-2024",
            "--verify",
            "--data",
        ])
        .arg(&data));
    assert!(assign.status.success());
    let text = String::from_utf8_lossy(&assign.stdout);
    assert!(
        text.contains("identical") && text.contains("seed"),
        "{text}"
    );
    // The demonstration's 2024 review has no 2023 review before it: nothing to avoid, said so.
    assert!(
        text.contains("last year's pairs avoided: không có / none"),
        "{text}"
    );
    let json = run(thidua()
        .args([
            "assign",
            "--covenant",
            "giao-uoc-cum-12-2024",
            "--json",
            "--data",
        ])
        .arg(&data));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["last_year"], serde_json::json!([]));
    assert_eq!(json["pairs"].as_array().unwrap().len(), 5, "{json}");

    let verify = |data: &Path| verify_database(data, &key);
    let ok = verify(&data);
    assert!(ok.status.success());
    let err = String::from_utf8_lossy(&ok.stderr);
    assert!(
        err.contains("1 draw(s) and 1 publication(s) recomputed from the log, identical"),
        "{err}"
    );

    // A copy of the database where one final score was changed (the event re-encoded
    // canonically, its leaf hash recomputed).
    let copy = dir.path().join("tampered");
    copy_dir(&data, &copy);
    let db = rusqlite::Connection::open(copy.join("thidua.db")).unwrap();
    let rows: Vec<(i64, Vec<u8>)> = db
        .prepare("SELECT idx, bytes FROM entries ORDER BY idx")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let (idx, mut event) = rows
        .iter()
        .map(|(i, b)| (*i, Event::decode(*i as u64, b).unwrap()))
        .find(|(_, e)| {
            matches!(
                e.payload,
                Payload::YearEnd(YearEndEvent::ResultsPublished(_))
            )
        })
        .unwrap();
    let Payload::YearEnd(YearEndEvent::ResultsPublished(p)) = &mut event.payload else {
        unreachable!()
    };
    let first = &mut p.results[0];
    first.final_total = first
        .final_total
        .map(|t| thidua_domain::yearend::Points(t.0 + rust_decimal::Decimal::TEN));
    let bytes = event.canonical_bytes();
    let leaf = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update([0u8]);
        h.update(&bytes);
        h.finalize().to_vec()
    };
    // A tamperer with the file drops the append-only guard first.
    db.execute_batch("DROP TRIGGER entries_no_update").unwrap();
    db.execute(
        "UPDATE entries SET bytes = ?1, leaf_hash = ?2 WHERE idx = ?3",
        rusqlite::params![bytes, leaf, idx],
    )
    .unwrap();
    drop(db);
    let bad = verify(&copy);
    assert!(!bad.status.success(), "the tampered copy must not verify");
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("VERIFICATION FAILED"), "{err}");
    assert!(
        err.contains(&format!("entry {idx}: stored leaf hash vs the tree's leaf")),
        "names the changed entry: {err}"
    );
    // The draw recomputed from that copy checks the log first, as `thidua verify` does: it
    // said "identical" on an altered log.
    let assign = thidua()
        .args([
            "assign",
            "--covenant",
            "giao-uoc-cum-12-2024",
            "--verify",
            "--data",
        ])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!assign.status.success());
    let err = String::from_utf8_lossy(&assign.stderr);
    assert!(
        err.contains("VERIFICATION FAILED") && err.contains(&format!("entry {idx}")),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&assign.stdout).contains("identical"));
}

/// The demonstration's year gives its documents from the command line: the minutes of an
/// inspection and of the vote count, the year-end report, the award submission and the results
/// report of the published results as PDF and DOCX (the place defaults to the covenant's),
/// issued in turn with their numbers; a pair that is not an inspection is refused.
#[test]
fn the_demonstration_year_gives_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    load_demo(&data);
    let doc = |args: &[&str], out: &str| {
        let mut cmd = thidua();
        cmd.arg("doc").args(args).arg("--data").arg(&data);
        cmd.arg("--out").arg(dir.path().join(out));
        run(&mut cmd)
    };
    let cov = ["--covenant", "giao-uoc-cum-12-2024"];
    let flag = ["--election", "co-thi-dua-chinh-phu-2024"];
    // The demonstration's events were entered today: its documents are dated today.
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis())
        .format("%d/%m/%Y")
        .to_string();
    let date = ["--date", today.as_str()];
    // Dated before the count they recite, the minutes are refused with the earliest date.
    let early = doc(
        &[
            &["vote-count"][..],
            &flag,
            &["--date", "30/12/2024", "--issue", "--as", "thuky.cum12"],
        ]
        .concat(),
        "early.pdf",
    );
    assert!(!early.status.success());
    let err = String::from_utf8_lossy(&early.stderr);
    assert!(err.contains(&format!("before {today}")), "{err}");
    // An empty place (a blank --place) is refused, never issued: the document's place line
    // read ", ngày …" and was recorded for good.
    for blank in ["", "   "] {
        let no_place = doc(
            &[
                &["year-report"][..],
                &cov,
                &date,
                &["--place", blank, "--issue", "--as", "thuky.cum12"],
            ]
            .concat(),
            "no-place.pdf",
        );
        assert_eq!(no_place.status.code(), Some(1));
        let err = String::from_utf8_lossy(&no_place.stderr);
        assert!(
            err.contains("Không được để trống.") && err.contains("place: must not be empty"),
            "{err}"
        );
        assert!(!dir.path().join("no-place.pdf").exists());
    }
    // A day that does not exist is said so, in both languages.
    let no_day = doc(
        &[&["year-report"][..], &cov, &["--date", "31/02/2024"]].concat(),
        "no-day.pdf",
    );
    assert_eq!(no_day.status.code(), Some(1));
    let err = String::from_utf8_lossy(&no_day.stderr);
    assert!(
        err.contains("không phải một ngày có thật dạng dd/mm/yyyy")
            && err.contains("not a real day written dd/mm/yyyy"),
        "{err}"
    );
    let cases: [(Vec<&str>, &str, &str); 5] = [
        (
            [
                &["inspection"][..],
                &cov,
                &["--inspector", "ca-hg", "--inspected", "ca-kg"],
                &date,
            ]
            .concat(),
            "bb.pdf",
            "01/BB-CTĐ12",
        ),
        (
            [&["vote-count"][..], &flag, &date].concat(),
            "kp.docx",
            "02/BB-CTĐ12",
        ),
        (
            [&["year-report"][..], &cov, &date].concat(),
            "bc.pdf",
            "03/BC-CTĐ12",
        ),
        (
            [&["award-submission"][..], &flag, &date].concat(),
            "ttr.pdf",
            "04/TTr-CTĐ12",
        ),
        // The results report of the covenant's published results, from the log.
        (
            [&["results"][..], &cov, &date].concat(),
            "kq.docx",
            "05/BC-CTĐ12",
        ),
    ];
    // Issuing names the person whose act it is: without --as, nothing is issued.
    let unnamed = doc(&[&cases[0].0[..], &["--issue"]].concat(), "x.pdf");
    assert!(!unnamed.status.success());
    assert!(String::from_utf8_lossy(&unnamed.stderr).contains("--as"));
    // The format follows the file's name unless --format says it; a name that contradicts
    // it, or says neither, is refused rather than a PDF written under a Word name.
    let contradicted = doc(&[&cases[0].0[..], &["--format", "pdf"]].concat(), "x.docx");
    assert!(!contradicted.status.success());
    let err = String::from_utf8_lossy(&contradicted.stderr);
    assert!(err.contains("is not a pdf file"), "{err}");
    let unnamed_format = doc(&cases[0].0, "x.txt");
    assert!(!unnamed_format.status.success());
    let err = String::from_utf8_lossy(&unnamed_format.stderr);
    assert!(err.contains("ends in .pdf or .docx"), "{err}");
    // Nothing issued yet: the list says so (on standard error: its output stays one line per
    // document).
    let empty = run(thidua()
        .args(["doc", "list", "--cluster", "cum-12", "--data"])
        .arg(&data));
    assert!(empty.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&empty.stderr).contains("chưa phát hành văn bản nào"),
        "{}",
        String::from_utf8_lossy(&empty.stderr)
    );
    for (args, out, number) in cases {
        let format = if out.ends_with("docx") { "docx" } else { "pdf" };
        let magic: &[u8] = if format == "pdf" {
            b"%PDF-"
        } else {
            b"PK\x03\x04"
        };
        // The preview takes its format from the file's name.
        let preview = doc(&args, out);
        assert!(preview.status.success());
        assert!(String::from_utf8_lossy(&preview.stdout).contains("xem trước"));
        assert!(std::fs::read(dir.path().join(out))
            .unwrap()
            .starts_with(magic));
        let issue = ["--format", format, "--issue", "--as", "thuky.cum12"];
        if number.starts_with("01/") {
            // Issued, then the file cannot be written: the error says how to write it again
            // (and issuing again below gives the same record, not a second number).
            let unwritable = doc(&[&args[..], &issue].concat(), "no-such-dir/bb.pdf");
            assert!(!unwritable.status.success());
            let err = String::from_utf8_lossy(&unwritable.stderr);
            assert!(err.contains("thidua doc issued --sha256"), "{err}");
        }
        let issued = doc(&[&args[..], &issue].concat(), out);
        assert!(issued.status.success());
        let text = String::from_utf8_lossy(&issued.stdout);
        assert!(text.contains(number), "{text}");
        let bytes = std::fs::read(dir.path().join(out)).unwrap();
        assert!(bytes.starts_with(magic));
    }
    // The same report scored from files that match the published results is still a preview:
    // only the log's published results give the issued, numbered copy.
    let (figures, regulation) = (dir.path().join("final.csv"), dir.path().join("qd.toml"));
    let exported = run(thidua()
        .args(["figures", "export", "--covenant", "giao-uoc-cum-12-2024"])
        .args(["--scores", "final", "--out"])
        .arg(&figures)
        .arg("--regulation")
        .arg(&regulation)
        .arg("--data")
        .arg(&data));
    let said = String::from_utf8_lossy(&exported.stderr);
    for written in [&figures, &regulation] {
        let line = format!("đã ghi / wrote {}", written.display());
        assert!(said.contains(&line), "{said}");
    }
    let from_files = doc(
        &[
            "results",
            "--cluster",
            "cum-12",
            "--year",
            "2024",
            "--regulation",
            regulation.to_str().unwrap(),
            "--figures",
            figures.to_str().unwrap(),
            "--date",
            today.as_str(),
            "--format",
            "docx",
        ],
        "kq-files.docx",
    );
    let said = String::from_utf8_lossy(&from_files.stdout);
    assert!(
        said.contains("xem trước / preview") && !said.contains("đã phát hành"),
        "{said}"
    );
    let list = run(thidua()
        .args(["doc", "list", "--cluster", "cum-12", "--data"])
        .arg(&data));
    let text = String::from_utf8_lossy(&list.stdout);
    for kind in [
        "inspection_minutes",
        "vote_minutes",
        "year_report",
        "award_submission",
        "results",
    ] {
        assert!(text.contains(kind), "{text}");
    }
    // A mistyped cluster or covenant is named as unknown, not answered with nothing.
    let unknown = thidua()
        .args(["doc", "list", "--cluster", "cum-21", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no cluster cum-21 in the log"));
    let unknown = thidua()
        .args(["assign", "--covenant", "khong-co", "--verify", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        said.contains("lỗi: Không có giao ước này.")
            && said.contains("covenant khong-co does not exist"),
        "{said}"
    );
    let refused = doc(
        &[
            &["inspection"][..],
            &cov,
            &["--inspector", "ca-kg", "--inspected", "ca-hg"],
            &date,
        ]
        .concat(),
        "no.pdf",
    );
    assert!(!refused.status.success());
    // In both languages, the Vietnamese as specific as the English (it said "Giá trị không hợp
    // lệ." for both refusals, and "round None").
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("lỗi: Đơn vị không được phân công chấm đơn vị này.")
            && said.contains("ca-kg does not inspect ca-hg"),
        "{said}"
    );
    let refused = doc(
        &[
            &["vote-count", "--election", "co-thi-dua-bo-cong-an-2024"][..],
            &date,
        ]
        .concat(),
        "no.pdf",
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("lỗi: Vòng này chưa được kiểm phiếu.") && !said.contains("None"),
        "{said}"
    );
}

/// The value line of a secret file.
fn value_in(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("value: "))
        .expect("a value line")
        .to_owned()
}

const SECOND: &str = "giao-uoc-cum-12-2024-lan-2";
const MEMBERS: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];

/// A second covenant of the demonstration's cluster and year, its year-end opened (in process,
/// before the server starts).
fn open_second_review(data: &Path) {
    use std::sync::Arc;
    use thidua_domain::yearend::YearEndCommand as Y;
    use thidua_domain::{Actor, Command as C, CovenantId};
    let store: Arc<dyn thidua_store::EventStore> =
        Arc::new(thidua_store_sqlite::SqliteStore::open(&data.join("thidua.db")).unwrap());
    let key = thidua_service::LogKey::load(&data.join("log-signing.key")).unwrap();
    let service = thidua_service::Service::open(store, key, &|_, _| {}).unwrap();
    let demo =
        service.read().covenants[&CovenantId::parse("giao-uoc-cum-12-2024").unwrap()].clone();
    let id = CovenantId::parse(SECOND).unwrap();
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis());
    // A cluster has one covenant per movement: the second is under a thematic movement.
    let movement = thidua_domain::MovementId::parse("chuyen-de-2024").unwrap();
    let calendar = service.read().movements[&demo.movement].calendar.clone();
    let text = |s: &str| thidua_domain::Text::parse("text", s, 200).unwrap();
    service
        .execute_all(
            &Actor::System,
            vec![
                C::CreateMovement {
                    movement: movement.clone(),
                    name: text("Thi đua chuyên đề (kiểm thử)"),
                    year: 2024,
                    plan_ref: text("15/KH-BCA"),
                    slogan: None,
                    calendar,
                },
                C::DraftCovenant {
                    covenant: id.clone(),
                    movement,
                    cluster: demo.cluster.clone(),
                    content: demo.latest().content.clone(),
                },
            ],
        )
        .unwrap();
    let version = service.read().covenants[&id].latest().clone();
    let mut steps: Vec<C> = version
        .members
        .iter()
        .map(|u| C::SignCovenant {
            covenant: id.clone(),
            version: 1,
            unit: u.clone(),
            hash: version.hash.clone(),
        })
        .collect();
    steps.push(C::YearEnd(Y::Open {
        covenant: id,
        dossier_deadline: today + chrono::Duration::days(7),
        commit_deadline: today + chrono::Duration::days(7),
        reveal_deadline: None,
        response_deadline: today + chrono::Duration::days(21),
        inspectors: 1,
        record_sample: 5,
        acknowledge_missing_figures: false,
    }));
    service.execute_all(&Actor::System, steps).unwrap();
}

/// The leaders' side of the seed from the command line: `thidua assign commit` makes the secret
/// here, writes it to a file of its own (mode 0600, never overwritten) and prints its
/// commitment (`draw::commitment`); submitted through the API with a token, the server records
/// that commitment and nothing of the secret; `thidua assign reveal` submits the saved secret,
/// the secretariat draws and `thidua assign --verify` recomputes the draw from these reveals.
#[test]
fn leaders_commit_and_reveal_from_the_command_line() {
    use thidua_domain::yearend::draw::commitment;
    use thidua_domain::UnitId;
    let tmp = tempfile::tempdir().unwrap();
    let (dir, data) = (tmp.path(), tmp.path().join("demo"));
    load_demo(&data);
    open_second_review(&data);
    let tokens: Vec<String> = MEMBERS
        .iter()
        .map(|u| api_token(&data, &format!("lanhdao.{}", &u[3..]), "thidua assign"))
        .collect();
    let secretariat = api_token(&data, "thuky.cum12", "thidua assign");

    // Offline: the file and the commitment; a second run refuses to overwrite the file.
    let file = |u: &str| dir.join(format!("{u}.seed.txt"));
    let out = run(thidua()
        .args(["assign", "commit", "--covenant", SECOND, "--unit", "ca-kg"])
        .arg("--secret-file")
        .arg(file("ca-kg")));
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let value = value_in(&file("ca-kg"));
    assert_eq!(value.len(), 64);
    assert_eq!(
        printed,
        commitment(SECOND, &UnitId::parse("ca-kg").unwrap(), &value)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file("ca-kg"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read(file("ca-kg")).unwrap();
    let again = run(thidua()
        .args(["assign", "commit", "--covenant", SECOND, "--unit", "ca-kg"])
        .arg("--secret-file")
        .arg(file("ca-kg")));
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("not overwritten"));
    assert_eq!(std::fs::read(file("ca-kg")).unwrap(), before);

    let server = Running::start(&data);
    let review = |url: &str, token: &str| -> serde_json::Value {
        ureq::get(&format!("{url}/api/v1/covenants/{SECOND}/yearend"))
            .set("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    };
    for (u, token) in MEMBERS.iter().zip(&tokens) {
        let mut cmd = thidua();
        cmd.args(["assign", "commit", "--covenant", SECOND, "--unit", u])
            .arg("--secret-file")
            .arg(file(u))
            .args(["--server", &server.url, "--token", token]);
        if *u == "ca-kg" {
            // Made offline above: its commitment is submitted from the existing file.
            cmd.arg("--existing");
        }
        let out = run(&mut cmd);
        assert!(out.status.success());
        let printed = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert_eq!(
            printed,
            commitment(SECOND, &UnitId::parse(u).unwrap(), &value_in(&file(u)))
        );
    }
    let r = review(&server.url, &tokens[0]);
    for m in r["members"].as_array().unwrap() {
        assert_eq!(m["committed"], true, "{m}");
        assert_eq!(m["revealed"], false, "{m}");
    }
    // The log holds the commitments and none of the secrets.
    drop(server);
    let out = run(thidua().args(["log", "--json", "--data"]).arg(&data));
    assert!(out.status.success());
    let log = String::from_utf8(out.stdout).unwrap();
    for u in MEMBERS {
        let value = value_in(&file(u));
        let unit = UnitId::parse(u).unwrap();
        assert!(log.contains(&commitment(SECOND, &unit, &value)));
        assert!(!log.contains(&value), "{u}'s secret reached the server");
    }
    let server = Running::start(&data);
    for (u, token) in MEMBERS.iter().zip(&tokens) {
        let out = run(thidua()
            .args(["assign", "reveal", "--secret-file"])
            .arg(file(u))
            .args(["--server", &server.url, "--token", token]));
        assert!(out.status.success());
    }
    let r = review(&server.url, &tokens[0]);
    for m in r["members"].as_array().unwrap() {
        assert_eq!(m["revealed"], true, "{m}");
    }
    ureq::post(&format!("{}/api/v1/covenants/{SECOND}/yearend", server.url))
        .set("authorization", &format!("Bearer {secretariat}"))
        .send_json(serde_json::json!({"action": "draw_assignment", "covenant": SECOND}))
        .unwrap();
    drop(server);
    let out = run(thidua()
        .args([
            "assign",
            "--covenant",
            SECOND,
            "--verify",
            "--json",
            "--data",
        ])
        .arg(&data));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verified"], true, "{v}");
}

/// A submission that cannot be made — `--server` without a token, or `reveal` without
/// `--server` — is refused in both languages before anything is made: `assign commit` leaves
/// no secret file behind (it did, and a second run then refused to overwrite it), and nothing
/// is sent (the server named here does not exist).
#[test]
fn a_submission_without_its_server_or_token_is_refused_before_a_secret_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("ca-kg.seed.txt");
    let commit = |extra: &[&str]| {
        run(thidua()
            .env_remove("THIDUA_TOKEN")
            .args(["assign", "commit", "--covenant", SECOND, "--unit", "ca-kg"])
            .arg("--secret-file")
            .arg(&secret)
            .args(extra))
    };
    let out = commit(&["--server", "http://127.0.0.1:1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cần mã API trong THIDUA_TOKEN để gửi") && err.contains("is needed to submit"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no commitment printed");
    assert!(!secret.exists(), "no secret file left behind");
    // Offline, the secret is made; its reveal without a server is refused as plainly.
    assert!(commit(&[]).status.success());
    let out = run(thidua()
        .env_remove("THIDUA_TOKEN")
        .args(["assign", "reveal", "--secret-file"])
        .arg(&secret));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cần --server để gửi / --server is needed to submit"),
        "{err}"
    );
    // A file that is no secret file is said so, in both languages, before anything is sent.
    let other = dir.path().join("ghi-chu.txt");
    std::fs::write(&other, "tag: ghi chú\n").unwrap();
    let out = run(thidua()
        .env("THIDUA_TOKEN", "thd_0123456789")
        .args([
            "assign",
            "reveal",
            "--server",
            "http://127.0.0.1:1",
            "--secret-file",
        ])
        .arg(&other));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("không phải tệp bí mật thidua-commit/v1")
            && err.contains("not a thidua-commit/v1 secret file"),
        "{err}"
    );
    assert!(!err.contains("cannot reach"), "{err}");
}

/// `thidua assign beacon` checks a drand round's signature on the leader's or secretariat's
/// machine before anything is sent: drand's JSON for round 1000 (as drand serves it) gives the
/// round's randomness; the same JSON named as another round, or an altered signature, is
/// refused with the reason.
#[test]
fn thidua_assign_beacon_checks_the_round_against_drands_public_key() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("1000.json");
    std::fs::write(
        &json,
        r#"{"round":1000,"signature":"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"}"#,
    )
    .unwrap();
    let beacon = |round: &str, extra: &[&str]| {
        let mut cmd = thidua();
        cmd.args(["assign", "beacon", "--covenant", SECOND, "--round", round]);
        cmd.args(extra);
        cmd.output().unwrap()
    };
    let path = json.to_str().unwrap();
    let ok = beacon("1000", &["--drand-json", path]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let value = String::from_utf8(ok.stdout).unwrap();
    use sha2::Digest;
    let sig = hex::decode("b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39").unwrap();
    assert_eq!(value.trim(), hex::encode(sha2::Sha256::digest(sig)));
    let other = beacon("1001", &["--drand-json", path]);
    assert!(!other.status.success());
    let said = String::from_utf8_lossy(&other.stderr);
    assert!(
        said.contains("không phải vòng 1001") && said.contains("not of round 1001"),
        "{said}"
    );
    let altered = beacon(
        "1000",
        &["--signature", "a44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"],
    );
    assert!(!altered.status.success());
    assert!(
        String::from_utf8_lossy(&altered.stderr).contains("chữ ký không đúng: vòng 1000")
            && String::from_utf8_lossy(&altered.stderr).contains("round 1000 of drand quicknet"),
        "{}",
        String::from_utf8_lossy(&altered.stderr)
    );
}

/// The published vectors of the draw (`crates/thidua-domain/tests/vectors/assignment.json`,
/// the beacon's among them) pass the independent checker written in Python beside them
/// (standard library only): seed, keystream, shuffle and assignment recomputed without this
/// code.
#[test]
fn the_assignment_vectors_pass_the_independent_python_checker() {
    if thidua_test_support::program("python3", "--version", "python3").is_none() {
        return;
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../thidua-domain/tests/vectors/check_assignment.py"
    );
    let out = std::process::Command::new("python3")
        .arg(script)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("ok three units and a public beacon (drand quicknet round 1000)"));
    assert!(printed.contains("ok Cluster 12, thirteen units, one reveal missing"));
}

/// Once the demonstration's results are published its flags take no more explanations: Bạc
/// Liêu's leader is refused with the reason (the explanation it gave before publication stays,
/// shown beside its flag), and the flags page offers no form.
#[test]
fn a_published_year_takes_no_more_explanations_of_its_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    load_demo(&data);
    let token = api_token(&data, "lanhdao.bl", "test");
    let server = Running::start(&data);
    let get = |path: &str| {
        ureq::get(&format!("{}{path}", server.url))
            .set("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .into_json::<serde_json::Value>()
            .unwrap()
    };
    let flags = get("/api/v1/covenants/giao-uoc-cum-12-2024/flags?unit=ca-bl");
    let flags = flags["flags"].as_array().unwrap();
    let explained: Vec<&serde_json::Value> = flags
        .iter()
        .filter(|f| !f["explanation"].is_null())
        .collect();
    assert_eq!(
        explained.len(),
        1,
        "the demonstration's explanation: {flags:?}"
    );
    let open = flags
        .iter()
        .find(|f| f["explanation"].is_null())
        .expect("an unexplained flag");
    let r = ureq::post(&format!("{}/api/v1/commands", server.url))
        .set("authorization", &format!("Bearer {token}"))
        .send_json(serde_json::json!({"command": "explain_flag",
            "covenant": "giao-uoc-cum-12-2024", "unit": "ca-bl", "period": open["period"],
            "kind": open["kind"], "subject": open["subject"], "text": "Quá muộn"}));
    let err = match r {
        Err(ureq::Error::Status(status, res)) => (status, res.into_string().unwrap()),
        other => panic!("accepted after publication: {other:?}"),
    };
    assert_eq!(err.0, 409, "{}", err.1);
    assert!(err.1.contains("yearend_published"), "{}", err.1);
}

/// `thidua verify` checks the dossiers' evidence files against what the database stores: the
/// demonstration's file is said checked; the same file altered in a copy of the database (its
/// hashes and signatures untouched, as the server would then refuse to give it), or lost, fails
/// the verification and names the file.
#[test]
fn an_altered_or_lost_evidence_file_fails_the_verification() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    load_demo(&data);
    let key = support::log_key(&data);
    let verify = |data: &Path| verify_database(data, &key);
    let ok = verify(&data);
    assert!(ok.status.success());
    let err = String::from_utf8_lossy(&ok.stderr);
    assert!(
        err.contains("evidence files: 1 stored as their dossiers name them"),
        "{err}"
    );

    let altered = dir.path().join("altered");
    copy_dir(&data, &altered);
    let db = rusqlite::Connection::open(altered.join("thidua.db")).unwrap();
    let (sha, mut bytes): (Vec<u8>, Vec<u8>) = db
        .query_row("SELECT sha256, bytes FROM blobs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    db.execute(
        "UPDATE blobs SET bytes = ?1 WHERE sha256 = ?2",
        rusqlite::params![bytes, sha],
    )
    .unwrap();
    drop(db);
    let bad = verify(&altered);
    assert!(
        !bad.status.success(),
        "an altered evidence file must not verify"
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    let sha = hex::encode(&sha);
    assert!(
        err.contains("VERIFICATION FAILED")
            && err.contains("evidence file")
            && err.contains(&sha)
            && err.contains("does not match its hash"),
        "{err}"
    );

    let lost = dir.path().join("lost");
    copy_dir(&data, &lost);
    let db = rusqlite::Connection::open(lost.join("thidua.db")).unwrap();
    db.execute("DELETE FROM blobs", []).unwrap();
    drop(db);
    let bad = verify(&lost);
    assert!(
        !bad.status.success(),
        "a lost evidence file must not verify"
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains(&sha) && err.contains("the database holds no content for it"),
        "{err}"
    );

    // Over HTTP the same: the server of the intact copy serves the file to the verifier, and
    // the server of a copy that lost it says so (an error, not "not found", which would read
    // as a file hidden from the token).
    let over_http = |data: &Path| {
        let token = api_token(data, "quantri", "verify");
        let server = Running::start(data);
        run(thidua()
            .args([
                "verify",
                "--server",
                &server.url,
                "--log-key",
                &key,
                "--no-state",
            ])
            .env("THIDUA_TOKEN", token))
    };
    let ok = over_http(&data);
    assert!(ok.status.success());
    let err = String::from_utf8_lossy(&ok.stderr);
    assert!(
        err.contains("evidence files: 1 stored as their dossiers name them"),
        "{err}"
    );
    let bad = over_http(&lost);
    assert!(
        !bad.status.success(),
        "a server that lost the file must not verify"
    );
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("VERIFICATION FAILED") && err.contains(&sha) && err.contains("500"),
        "{err}"
    );
}
