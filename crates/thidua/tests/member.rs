//! What a member of the cluster checks from its own computer, with its own API token and
//! nothing from the server's database: `thidua verify --server` recomputes the mid-year review,
//! the draw and the published year-end results from the events the member may read (some are
//! hidden from it), `thidua assign --verify --server` prints the assignment the operator's
//! database gives, `thidua figures export --server` writes the file the server serves, and a
//! published result the server's operator forged (and signed with the real key) is found. The
//! commands that only read never create a database or a key where there is none.

mod support;

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use support::{api_token, run, serve_demo_once, thidua, Running};
use thidua_domain::yearend::YearEndEvent;
use thidua_domain::{Event, Payload};
use thidua_store::EventStore;

const COVENANT: &str = "giao-uoc-cum-12-2024";

/// Loads the demonstration into `data` (`thidua serve --demo` on port 0, stopped once serving).
fn load_demo(data: &Path) {
    serve_demo_once(&["--data".into(), data.into()]);
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files under `dir`, recursively (none must appear in a member's empty directory).
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.push(format!("{}/", entry.path().display()));
            out.extend(files(&entry.path()));
        } else {
            out.push(entry.path().display().to_string());
        }
    }
    out
}

/// A copy of the log of `data` rewritten by its operator, who holds the signing key: every
/// event the same except the first published year-end result, whose final total gains ten
/// points; re-sealed and signed into a new database in `forged` (with the key file). Nothing
/// in its tree or signatures tells it from an honest log: only recomputing does. Returns the
/// index of the forged event.
/// Every event of the log in `store`, decoded.
fn every_event(store: &thidua_store_sqlite::SqliteStore) -> Vec<Event> {
    let size = store.size().unwrap();
    store
        .entries(0, size)
        .unwrap()
        .iter()
        .map(|e| Event::decode(e.index, &e.bytes).unwrap())
        .collect()
}

fn forge_published_result(data: &Path, forged: &Path) -> u64 {
    std::fs::create_dir_all(forged).unwrap();
    let honest = thidua_store_sqlite::SqliteStore::open(&data.join("thidua.db")).unwrap();
    let mut events = every_event(&honest);
    let size = honest.size().unwrap();
    assert_eq!(events.len() as u64, size);
    let event = events
        .iter_mut()
        .find(|e| {
            matches!(
                e.payload,
                Payload::YearEnd(YearEndEvent::ResultsPublished(_))
            )
        })
        .expect("the demonstration publishes its year-end");
    let index = event.index;
    let Payload::YearEnd(YearEndEvent::ResultsPublished(p)) = &mut event.payload else {
        unreachable!()
    };
    let first = &mut p.results[0];
    first.final_total = first
        .final_total
        .map(|t| thidua_domain::yearend::Points(t.0 + rust_decimal::Decimal::TEN));
    let key_file = forged.join("log-signing.key");
    std::fs::copy(data.join("log-signing.key"), &key_file).unwrap();
    let key = thidua_service::LogKey::load(&key_file).unwrap();
    let store: Arc<dyn EventStore> =
        Arc::new(thidua_store_sqlite::SqliteStore::open(&forged.join("thidua.db")).unwrap());
    let mut frontier = thidua_ledger::CompactRange::new();
    thidua_service::append_sealed(&*store, &key, &mut frontier, &events).unwrap();
    assert_eq!(frontier.size(), size);
    index
}

/// `thidua ARGS` run in the member's own directory against the server at `url`, with the
/// member's API token and the log's key.
fn as_member_of(member: &Path, (url, token, key): (&str, &str, &str), args: &[&str]) -> Output {
    run(thidua().current_dir(member).args(args).args([
        "--server",
        url,
        "--token",
        token,
        "--log-key",
        key,
    ]))
}

#[test]
fn a_member_recomputes_the_year_from_the_log_it_reads_and_finds_a_forged_result() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    load_demo(&data);
    let key = support::log_key(&data);
    // Kiên Giang's leader: a member of the cluster, not an administrator.
    let token = api_token(&data, "lanhdao.kg", "member check");
    let secretariat = api_token(&data, "thuky.cum12", "issue");
    let officer = api_token(&data, "canbo.kg", "not a voter");
    // The member's own directory: nothing of the server's in it.
    let member = dir.path().join("member");
    std::fs::create_dir(&member).unwrap();
    let server = Running::start(&data);
    let as_member = |args: &[&str]| as_member_of(&member, (&server.url, &token, &key), args);

    // thidua verify as the member: some entries are hidden from it, and the mid-year review,
    // the draw and the publication are recomputed all the same.
    let out = as_member(&["verify", "--no-state"]);
    assert!(out.status.success());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        !stdout.contains(" sự kiện / events (0 ẩn"),
        "a member's view: {stdout}"
    );
    // The votes: every ballot checked, each count with its record and the SHA-256 of the
    // encrypted totals the vote-count minutes print.
    assert!(
        stdout.contains("phiếu / ballots (chữ ký và chứng minh / signature and proofs)")
            && stdout.contains("; tổng mã hoá / encrypted totals SHA-256 "),
        "{stdout}"
    );
    assert!(
        stderr
            .contains("sơ kết 6 tháng: 1 kỳ sơ kết tính lại từ sổ, khớp / mid-year: 1 review(s) recomputed from the log, identical"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "tổng kết năm: 1 lần bốc thăm và 1 lần công bố tính lại từ sổ, khớp / year-end: 1 draw(s) and 1 publication(s) recomputed from the log, identical"
        ),
        "{stderr}"
    );
    // A token read from a file saved with CRLF line ends works (the whitespace around it is
    // not the token's); one with a character no token has is refused in both languages
    // without being printed.
    let verify_with = |t: Option<&str>| {
        let mut cmd = thidua();
        cmd.current_dir(&member).args([
            "verify",
            "--no-state",
            "--server",
            &server.url,
            "--log-key",
            &key,
        ]);
        match t {
            Some(t) => cmd.env("THIDUA_TOKEN", t),
            None => cmd.env_remove("THIDUA_TOKEN"),
        };
        run(&mut cmd)
    };
    assert!(verify_with(Some(&format!("{token}\r\n"))).status.success());
    let broken = format!("{token} x\r");
    let out = verify_with(Some(&broken));
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ký tự ngoài ASCII (mã không được in ra; hãy sao chép lại")
            && stderr.contains("the API token is malformed: it holds a space"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&token) && !text(&out.stdout).contains(&token),
        "{stderr}"
    );
    let out = verify_with(Some(" "));
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("mã API trống") && stderr.contains("the API token is empty"),
        "an empty token is called empty, not malformed: {stderr}"
    );
    let out = as_member(&["verify", "--no-state", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["hidden"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["midyear"]["identical"], true, "{v}");
    assert_eq!(v["midyear"]["reviews"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["yearend"]["identical"], true, "{v}");
    assert_eq!(v["yearend"]["draws"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["yearend"]["publications"][0]["covenant"], COVENANT, "{v}");
    let rounds = v["votes"]["rounds"].as_array().unwrap();
    assert!(
        rounds.iter().any(|r| r["outcome"]["elected"]
            .as_array()
            .is_some_and(|e| !e.is_empty())),
        "{v}"
    );

    // Without a token: the tree and signatures are verified (exit 0), and the output says
    // plainly that nothing was replayed or recomputed.
    let out = verify_with(None);
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("no event contents were replayed"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("/account"));
    assert!(!text(&out.stderr).contains("recomputed from the log, identical"));

    // thidua assign --verify as the member prints the assignment the operator's database gives.
    let out = as_member(&["assign", "--covenant", COVENANT, "--verify"]);
    assert!(out.status.success());
    let by_member = text(&out.stdout);
    assert!(
        by_member.contains("recomputed from the log: identical") && by_member.contains("seed"),
        "{by_member}"
    );
    let out = run(thidua()
        .args(["assign", "--covenant", COVENANT, "--verify", "--data"])
        .arg(&data));
    assert!(out.status.success());
    assert_eq!(by_member, text(&out.stdout));

    // thidua figures export as the member: the file the server serves, and the signed
    // regulation the log carries.
    let out = as_member(&[
        "figures",
        "export",
        "--covenant",
        COVENANT,
        "--window",
        "M12",
        "--out",
        "so-lieu.csv",
        "--regulation",
        "quy-dinh.toml",
    ]);
    assert!(out.status.success());
    let served_export = |query: &str| {
        ureq::get(&format!(
            "{}/api/v1/covenants/{COVENANT}/figures/export?{query}",
            server.url
        ))
        .set("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .into_string()
        .unwrap()
    };
    let served = served_export("window=M12");
    assert_eq!(
        std::fs::read_to_string(member.join("so-lieu.csv")).unwrap(),
        served
    );
    let regulation = std::fs::read(member.join("quy-dinh.toml")).unwrap();
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&regulation));
    assert!(served.contains(&format!("regulation sha256 {sha256}")));
    // With the year-end's final scores of the manual criteria: the server's file, and
    // `thidua score` on it gives the published totals (Kiên Giang's 96,86).
    let out = as_member(&[
        "figures",
        "export",
        "--covenant",
        COVENANT,
        "--scores",
        "final",
        "--out",
        "diem-chinh-thuc.csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let served_final = served_export("scores=final");
    let exported_final = member.join("diem-chinh-thuc.csv");
    assert_eq!(
        std::fs::read_to_string(&exported_final).unwrap(),
        served_final
    );
    let scored = run(thidua()
        .args(["score", "--regulation"])
        .arg(member.join("quy-dinh.toml"))
        .arg("--data")
        .arg(&exported_final));
    assert!(scored.status.success(), "{}", text(&scored.stderr));
    assert!(
        text(&scored.stdout).contains("96,86"),
        "{}",
        text(&scored.stdout)
    );
    std::fs::remove_file(&exported_final).unwrap();
    let mut made = files(&member);
    made.sort();
    assert_eq!(
        made,
        [
            member.join("quy-dinh.toml").display().to_string(),
            member.join("so-lieu.csv").display().to_string()
        ],
        "the member's directory holds only what it asked for"
    );

    // The secretariat issues the covenant as a paper; the member checks a downloaded copy
    // against the log: the record, the served content's hash, the file byte for byte.
    let issued: serde_json::Value = ureq::post(&format!(
        "{}/api/v1/covenants/{COVENANT}/document/issue",
        server.url
    ))
    .set("authorization", &format!("Bearer {secretariat}"))
    .call()
    .unwrap()
    .into_json()
    .unwrap();
    let sha = issued["sha256"].as_str().unwrap().to_owned();
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(
        &mut ureq::get(&format!("{}/api/v1/documents/{sha}", server.url))
            .set("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .into_reader(),
        &mut pdf,
    )
    .unwrap();
    std::fs::write(member.join("giao-uoc.pdf"), &pdf).unwrap();
    let out = as_member(&["doc", "check", "--sha256", &sha, "--file", "giao-uoc.pdf"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("content matches the record")
            && text(&out.stdout).contains("the copy is identical"),
        "{}",
        text(&out.stdout)
    );
    let mut altered = pdf.clone();
    let last = altered.len() - 10;
    altered[last] ^= 1;
    std::fs::write(member.join("giao-uoc-sua.pdf"), &altered).unwrap();
    let out = as_member(&[
        "doc",
        "check",
        "--sha256",
        &sha,
        "--file",
        "giao-uoc-sua.pdf",
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("KHÔNG KHỚP / MISMATCH: giao-uoc-sua.pdf không phải bản PDF")
            && text(&out.stderr).contains("is not the PDF or DOCX"),
        "{}",
        text(&out.stderr)
    );
    let out = as_member(&["doc", "check", "--sha256", &"0".repeat(64)]);
    assert!(!out.status.success());

    // An officer is not the unit's voter: refused before any key file is made (the token's
    // roles are asked first), so nothing is written.
    let vote = [
        "vote",
        "--election",
        "co-thi-dua-bo-cong-an-2024",
        "--unit",
        "ca-kg",
        "--approve",
        "ca-kg",
        "--key",
        "vote-kg.key",
    ];
    let out = as_member_of(&member, (&server.url, &officer, &key), &vote);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("who is not the leader of ca-kg")
            && !text(&out.stderr).contains("created the voting key"),
        "refused before a key was made: {}",
        text(&out.stderr)
    );
    assert!(
        !member.join("vote-kg.key").exists(),
        "{}",
        text(&out.stderr)
    );
    drop(server);

    // The operator rewrites the log with one published final total changed and signs it with
    // the real key: no witness the log registers cosigns it, and even accepted unwitnessed
    // the member's recomputation finds it, naming the event and the unit.
    let forged = dir.path().join("forged");
    let index = forge_published_result(&data, &forged);
    let token = api_token(&forged, "lanhdao.kg", "member check");
    let server = Running::start(&forged);
    let verify_forged = |extra: &[&str]| {
        let args = [&["verify", "--no-state"][..], extra].concat();
        as_member_of(&member, (&server.url, &token, &key), &args)
    };
    let out = verify_forged(&[]);
    assert!(!out.status.success(), "a forged result must not verify");
    assert!(
        text(&out.stderr).contains("not witnessed: the log registers 2 witness(es)"),
        "{}",
        text(&out.stderr)
    );
    let out = verify_forged(&["--allow-unwitnessed"]);
    assert!(!out.status.success(), "a forged result must not verify");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("VERIFICATION FAILED"), "{stderr}");
    assert!(
        stderr.contains("year-end recomputation differs from the log")
            && stderr.contains(&format!("event {index}: unit ")),
        "names the forged publication: {stderr}"
    );
}

/// `doc list`, `doc issued`, `figures export`, `assign --verify` and `verify` in a member's
/// empty directory: a clear refusal, and no database, key or directory created.
#[test]
fn read_only_commands_refuse_a_missing_database_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], bool); 6] = [
        (&["doc", "list", "--cluster", "cum-12"], false),
        (
            &[
                "doc",
                "issued",
                "--sha256",
                &"0".repeat(64),
                "--out",
                "x.pdf",
            ],
            false,
        ),
        (
            &[
                "doc",
                "covenant",
                "--covenant",
                COVENANT,
                "--out",
                "giao-uoc.pdf",
            ],
            false,
        ),
        (
            &[
                "figures",
                "export",
                "--covenant",
                COVENANT,
                "--window",
                "M12",
            ],
            true,
        ),
        (&["assign", "--covenant", COVENANT, "--verify"], true),
        (
            &[
                "verify",
                "--no-state",
                "--log-key",
                "thidua.local/log+d1fe992a+AchyqvP6WyVBEDgnBKQOH5xkOQdfgP2Dej5SZBpv/Ebo",
            ],
            true,
        ),
    ];
    for (args, server_form) in cases {
        let out = run(thidua().current_dir(dir.path()).args(args));
        assert!(!out.status.success(), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("no database at ./data/thidua.db"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.contains("--server URL"), server_form, "{stderr}");
        assert_eq!(files(dir.path()), Vec::<String>::new(), "{args:?}");
    }
}

/// A copy of the log of `data` in which the operator, holding the signing key, replaced the
/// issued document `sha256` by a content of its own: the genuine document with `change` made
/// to it, stored as a blob and named by the record instead (its SHA-256 only: the record's
/// kind, subject, date and number are the genuine ones), re-sealed and signed into a new
/// database in `forged` with the key file. Every other document's content is copied. The
/// forged content hashes to its record: only building the document again from the log tells
/// it. Returns the forged content's SHA-256.
fn forge_document(
    data: &Path,
    forged: &Path,
    sha256: &str,
    change: impl FnOnce(&mut thidua_docs::Document),
) -> String {
    std::fs::create_dir_all(forged).unwrap();
    let honest = thidua_store_sqlite::SqliteStore::open(&data.join("thidua.db")).unwrap();
    let mut events = every_event(&honest);
    let store = thidua_store_sqlite::SqliteStore::open(&forged.join("thidua.db")).unwrap();
    let blob = |sha: &str| {
        let hash: [u8; 32] = hex::decode(sha).unwrap().try_into().unwrap();
        honest.get_blob(&hash).unwrap().unwrap()
    };
    let mut document = thidua_docs::from_canonical(&blob(sha256)).unwrap();
    change(&mut document);
    let bytes = thidua_docs::canonical_bytes(&document);
    let forged_sha = thidua_docs::content_hash(&document);
    assert_ne!(forged_sha, sha256, "the change changes the content");
    store.put_blob(&bytes).unwrap();
    for event in &mut events {
        if let Payload::DocumentIssued { sha256: sha, .. } = &mut event.payload {
            match sha == sha256 {
                true => *sha = forged_sha.clone(),
                false => {
                    store.put_blob(&blob(sha)).unwrap();
                }
            }
        }
    }
    let key_file = forged.join("log-signing.key");
    std::fs::copy(data.join("log-signing.key"), &key_file).unwrap();
    let key = thidua_service::LogKey::load(&key_file).unwrap();
    let store: Arc<dyn EventStore> = Arc::new(store);
    let mut frontier = thidua_ledger::CompactRange::new();
    thidua_service::append_sealed(&*store, &key, &mut frontier, &events).unwrap();
    forged_sha
}

/// The SHA-256 an issue by the command line printed (`đã phát hành / issued … sha256 H`).
fn issued_sha(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr) + &text(&out.stdout);
    said.split("sha256 ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{said}"))
        .to_owned()
}

/// Documents are deterministic from the log: `doc check` and `verify` build each issued
/// document again from the log's state just before its record. The genuine results report and
/// vote-count minutes pass as a member checks them; a results report the operator replaced
/// (one unit's score raised, the number printed on it not the record's) and recorded under
/// the real key, whose content hashes to its record, is refused by both, naming what differs.
#[test]
fn a_member_rebuilds_issued_documents_from_the_log_and_refuses_a_forged_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    load_demo(&data);
    let key = support::log_key(&data);
    let today = thidua_domain::figures::local_date(chrono::Utc::now().timestamp_millis())
        .format("%d/%m/%Y")
        .to_string();
    let issue = |args: &[&str]| {
        issued_sha(&run(thidua()
            .current_dir(dir.path())
            .args(["doc"])
            .args(args)
            .args(["--date", &today, "--issue", "--as", "thuky.cum12", "--data"])
            .arg(&data)))
    };
    let results = issue(&["results", "--covenant", COVENANT, "--out", "kq.pdf"]);
    // Minutes name their place in their opening sentence only (a place with a comma in it).
    let minutes = issue(&[
        "inspection",
        "--covenant",
        COVENANT,
        "--inspector",
        "ca-kg",
        "--inspected",
        "ca-cm",
        "--place",
        "Rạch Giá, Kiên Giang",
        "--out",
        "bb.pdf",
    ]);
    // The year-end report recites the papers issued before it.
    let report = issue(&["year-report", "--covenant", COVENANT, "--out", "bc.pdf"]);
    let member = dir.path().join("member");
    std::fs::create_dir(&member).unwrap();
    let as_member = |server: &Running, token: &str, args: &[&str]| {
        as_member_of(&member, (&server.url, token, &key), args)
    };

    // The genuine log: both documents are what the log gives, as the member reads it.
    let token = api_token(&data, "lanhdao.kg", "member check");
    let server = Running::start(&data);
    for sha in [&results, &minutes, &report] {
        let out = as_member(&server, &token, &["doc", "check", "--sha256", sha]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(
            text(&out.stdout).contains("is the document the log gives for it"),
            "{}",
            text(&out.stdout)
        );
    }
    // No witness runs here to cosign the checkpoints of the issues: accepted unwitnessed.
    let out = as_member(
        &server,
        &token,
        &["verify", "--no-state", "--allow-unwitnessed"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("documents: 3 issued document(s) rebuilt from the log, identical"),
        "{}",
        text(&out.stderr)
    );
    let out = run(thidua()
        .args(["verify", "--no-state", "--allow-unwitnessed", "--data"])
        .arg(&data));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr)
            .contains("documents: 3 issued document(s) rebuilt from the log, identical"),
        "{}",
        text(&out.stderr)
    );
    drop(server);

    // The operator's results report: Kiên Giang's 96,86 made 99,86, and another number
    // printed on it; recorded under the real key with the genuine kind, subject and number.
    let forged = dir.path().join("forged");
    let forged_sha = forge_document(&data, &forged, &results, |d| {
        let mut changed = false;
        for block in &mut d.body {
            if let thidua_docs::model::Block::Table(t) = block {
                for cell in t.rows.iter_mut().flatten() {
                    if cell == "96,86" {
                        *cell = "99,86".into();
                        changed = true;
                    }
                }
            }
        }
        assert!(changed, "the report gives Kiên Giang's 96,86: {d:?}");
        d.header.number = Some("Số: 07/BC-CTĐ12".into());
    });
    let token = api_token(&forged, "lanhdao.kg", "member check");
    let server = Running::start(&forged);
    let out = as_member(&server, &token, &["doc", "check", "--sha256", &forged_sha]);
    assert!(!out.status.success(), "a forged document must not check");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("KHÔNG KHỚP / MISMATCH")
            && stderr.contains("the content is not what the log gives for this record")
            && stderr.contains("96,86")
            && stderr.contains("99,86")
            && stderr.contains("07/BC-CTĐ12"),
        "names what differs: {stderr}"
    );
    // The genuine papers of the same forged log still check.
    for sha in [&minutes, &report] {
        let out = as_member(&server, &token, &["doc", "check", "--sha256", sha]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    for out in [
        as_member(
            &server,
            &token,
            &["verify", "--no-state", "--allow-unwitnessed"],
        ),
        run(thidua()
            .args(["verify", "--no-state", "--allow-unwitnessed", "--data"])
            .arg(&forged)),
    ] {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("VERIFICATION FAILED")
                && stderr.contains(&format!("MISMATCH: document {forged_sha}"))
                && stderr.contains("99,86"),
            "{stderr}"
        );
    }

    // A stored content altered in the database (the minutes' bytes changed): the server
    // answers a named integrity error in both languages, not a bare "internal", and `doc
    // check` prints it.
    {
        let conn = rusqlite::Connection::open(forged.join("thidua.db")).unwrap();
        let hash = hex::decode(&minutes).unwrap();
        let changed = conn
            .execute(
                "UPDATE blobs SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Kiên Giang', 'Kiên Giong') AS BLOB) WHERE sha256 = ?1",
                [hash.as_slice()],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    let answer = ureq::get(&format!(
        "{}/api/v1/documents/{minutes}/content",
        server.url
    ))
    .set("authorization", &format!("Bearer {token}"))
    .call();
    let Err(ureq::Error::Status(500, response)) = answer else {
        panic!("{answer:?}");
    };
    let body: serde_json::Value = response.into_json().unwrap();
    assert_eq!(body["error"], "document_content_altered", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("đã bị sửa") && message.contains("is altered"),
        "{message}"
    );
    let out = as_member(&server, &token, &["doc", "check", "--sha256", &minutes]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("HTTP 500 (document_content_altered)") && stderr.contains(message),
        "{stderr}"
    );
}
