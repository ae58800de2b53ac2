//! The transparency demonstration end to end with the real `thidua` binary: the Cluster 12
//! demonstration is loaded, the leaders of ca-ct and ca-ag register witness keys through the
//! log, both witnesses cosign the demonstration's checkpoint served by the public log router
//! (in-process, on port 0), `thidua verify` reproduces the demonstration's state from the log
//! (over HTTP and from the database), and a forged history — the same demonstration re-signed
//! with the real log key, then grown; and one signed with another key — is refused by both.
//! The votes' command line too: `thidua vote` against an honest and a dishonest server, and a
//! whole vote run by the leaders with `thidua trustee step|decrypt` and `thidua vote`.

mod support;

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use support::{api_token, run, serve_demo_once, thidua, Running};

use thidua_domain::{Actor, Text, UserId};
use thidua_service::{LogKey, Service};
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;
use thidua_store_postgres::{test_database_url, PostgresStore, TestSchema};
use thidua_store_sqlite::SqliteStore;
use thidua_transparency::api::spawn_server;
use thidua_transparency::{router, LogApiConfig, ReadAll};

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(out.status.success(), "exit {:?}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

/// Loads the demonstration into `data` by starting `thidua serve --demo` on port 0 and stopping
/// it once it serves (`key` lets a forger reuse the real log key).
fn load_demo(data: &Path, key: Option<&Path>) {
    let mut store: Vec<OsString> = vec!["--data".into(), data.into()];
    if let Some(k) = key {
        store.extend(["--key".into(), k.into()]);
    }
    serve_demo_once(&store);
}

/// A log and its public router on 127.0.0.1:0.
struct Served {
    service: Arc<Service>,
    url: String,
    _runtime: tokio::runtime::Runtime,
}

fn serve(db: &Path, key: &Path) -> Served {
    let sqlite = Arc::new(SqliteStore::open(db).unwrap());
    let store: Arc<dyn EventStore> = sqlite.clone();
    let witnesses: Arc<dyn WitnessStore> = sqlite;
    let service = Arc::new(Service::open(store, LogKey::load(key).unwrap(), &|_, _| {}).unwrap());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let config = LogApiConfig {
        access: Arc::new(ReadAll),
    };
    let addr = spawn_server(
        &runtime,
        "127.0.0.1:0".parse().unwrap(),
        router(service.clone(), witnesses, config),
    )
    .unwrap();
    Served {
        service,
        url: format!("http://{addr}"),
        _runtime: runtime,
    }
}

fn state_hash(service: &Service) -> String {
    thidua_transparency::verify::state_fingerprint(&service.read())
}

#[test]
fn two_member_witnesses_cosign_the_demonstration_and_refuse_a_forgery() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("demo");
    load_demo(&data, None);

    // The leaders of ca-ct and ca-ag create their witness keys and register them in the log.
    let mut witnesses = Vec::new();
    for (unit, leader) in [("ca-ct", "lanhdao.ct"), ("ca-ag", "lanhdao.ag")] {
        let key_file = dir.join(format!("{unit}.witness.key"));
        let public = ok(thidua()
            .args([
                "witness",
                "keygen",
                "--name",
                &format!("{unit}.witness"),
                "--out",
            ])
            .arg(&key_file));
        let public = public.trim().to_owned();
        ok(thidua()
            .args([
                "witness",
                "register",
                "--unit",
                unit,
                "--verifier-key",
                &public,
            ])
            .args(["--as", leader, "--data"])
            .arg(&data));
        witnesses.push((unit, key_file, public));
    }
    // Another unit's leader may not register a key for ca-ct.
    let out = run(thidua()
        .args([
            "witness",
            "register",
            "--unit",
            "ca-ct",
            "--verifier-key",
            &witnesses[0].2,
        ])
        .args(["--as", "lanhdao.ag", "--data"])
        .arg(&data));
    assert!(!out.status.success());
    // The refusal reads in Vietnamese first, as the web says it, then in English.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("lỗi: ") && said.contains("\nerror: "),
        "{said}"
    );
    // Nor does the console register one in nobody's name.
    let out = run(thidua()
        .args([
            "witness",
            "register",
            "--unit",
            "ca-ct",
            "--verifier-key",
            &witnesses[0].2,
            "--data",
        ])
        .arg(&data));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as"));

    let key = data.join("log-signing.key");
    let served = serve(&data.join("thidua.db"), &key);
    let log_key = served.service.key().verifier_key().to_owned();
    let size = served.service.read().size;
    let trust = dir.join("trust.txt");
    std::fs::write(
        &trust,
        format!(
            "# Cụm 12\nlog {log_key}\nwitness ca-ct {}\nwitness ca-ag {}\nquorum 2\n",
            witnesses[0].2, witnesses[1].2
        ),
    )
    .unwrap();

    // Both witnesses cosign; the checkpoint becomes witnessed (quorum 2).
    let witness = |unit: &str, key_file: &Path, url: &str| {
        run(thidua()
            .args(["witness", "--server", url, "--trust"])
            .arg(&trust)
            .arg("--key")
            .arg(key_file)
            .arg("--state")
            .arg(dir.join(format!("{unit}.state"))))
    };
    for (unit, key_file, _) in &witnesses {
        let out = witness(unit, key_file, &served.url);
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("size {size}")));
    }
    let resp = ureq::get(&format!("{}/api/v1/log/witnessed", served.url))
        .call()
        .unwrap();
    assert_eq!(resp.header("x-witness-units"), Some("ca-ag,ca-ct"));

    // thidua verify reproduces the demonstration's state, over HTTP and from the database.
    let expected = state_hash(&served.service);
    let over_http = ok(thidua()
        .args(["verify", "--json", "--server", &served.url, "--trust"])
        .arg(&trust)
        .arg("--state")
        .arg(dir.join("verify.state")));
    let v: serde_json::Value = serde_json::from_str(&over_http).unwrap();
    assert_eq!(v["state_sha256"], expected.as_str());
    assert_eq!(v["size"], size);
    assert_eq!(v["cosigned_by"], serde_json::json!(["ca-ct", "ca-ag"]));
    // The demonstration registers ca-ag's and ca-cm's demonstration witnesses; ca-ag's key is
    // replaced above and ca-ct's added: three keys in the log.
    assert_eq!(v["witness_keys"], 3);
    let local = ok(thidua()
        .args([
            "verify",
            "--json",
            "--no-state",
            "--log-key",
            &log_key,
            "--data",
        ])
        .arg(&data));
    let v: serde_json::Value = serde_json::from_str(&local).unwrap();
    assert_eq!(v["state_sha256"], expected.as_str());

    // A forged history: the demonstration loaded again and signed with the real log key by a
    // dishonest operator. Both witnesses refuse loudly with evidence.
    let forged_dir = dir.join("forged");
    load_demo(&forged_dir, Some(&key));
    let forged = serve(&forged_dir.join("thidua.db"), &key);
    // First the same size as the genuine checkpoint (another root), then one entry more (not
    // an extension of it).
    for (target, reason) in [(size, "two different roots"), (size + 1, "not consistent")] {
        while forged.service.read().size < target {
            let n = forged.service.read().size;
            forged
                .service
                .execute(
                    &Actor::System,
                    thidua_domain::Command::RegisterUser {
                        user: UserId::parse(&format!("gia.mao{n}")).unwrap(),
                        display_name: Text::parse("name", "Giả mạo", 100).unwrap(),
                        demo: true,
                    },
                )
                .unwrap();
        }
        for (unit, key_file, _) in &witnesses {
            let before = std::fs::read(dir.join(format!("{unit}.state"))).unwrap();
            let out = witness(unit, key_file, &forged.url);
            assert_eq!(out.status.code(), Some(3), "{unit} must refuse the forgery");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("REFUSED"), "{stderr}");
            assert!(stderr.contains(reason), "{stderr}");
            let evidence = dir.join(format!("{unit}.state.evidence"));
            assert!(std::fs::read_dir(&evidence).unwrap().count() >= 3);
            assert_eq!(
                std::fs::read(dir.join(format!("{unit}.state"))).unwrap(),
                before
            );
        }
    }
    // The verifier refuses it too (its state file remembers the genuine checkpoint).
    let out = run(thidua()
        .args(["verify", "--server", &forged.url, "--trust"])
        .arg(&trust)
        .args(["--min-cosignatures", "0", "--state"])
        .arg(dir.join("verify.state")));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("history rewritten: the first"));

    // A history signed with another key is refused as unsigned.
    let stranger_dir = dir.join("stranger");
    load_demo(&stranger_dir, None);
    let stranger = serve(
        &stranger_dir.join("thidua.db"),
        &stranger_dir.join("log-signing.key"),
    );
    for (unit, key_file, _) in &witnesses {
        let out = witness(unit, key_file, &stranger.url);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("not validly signed"));
    }
    // Verified with its own key, that other deployment (the same default origin) is another
    // log: what the state file remembers of the genuine one raises no false alarm.
    let stranger_key = stranger.service.key().verifier_key().to_owned();
    ok(thidua()
        .args([
            "verify",
            "--server",
            &stranger.url,
            "--log-key",
            &stranger_key,
        ])
        .args(["--min-cosignatures", "0", "--state"])
        .arg(dir.join("verify.state")));
    // Nor does it replace what the file remembers of the genuine log: one state per log key,
    // and the forgery signed with the genuine key is still refused.
    let out = run(thidua()
        .args(["verify", "--server", &forged.url, "--trust"])
        .arg(&trust)
        .args(["--min-cosignatures", "0", "--state"])
        .arg(dir.join("verify.state")));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("history rewritten: the first"));

    // The genuine log, grown, is still cosigned.
    served
        .service
        .execute(
            &Actor::System,
            thidua_domain::Command::RegisterUser {
                user: UserId::parse("moi.den").unwrap(),
                display_name: Text::parse("name", "Mới đến", 100).unwrap(),
                demo: true,
            },
        )
        .unwrap();
    for (unit, key_file, _) in &witnesses {
        assert!(witness(unit, key_file, &served.url).status.success());
    }

    // Without --witness, on a fresh machine: the log registers three witness keys (ca-ag's
    // replaced, ca-cm's, ca-ct's) and, with no policy, needs all of them but one; the genuine
    // checkpoint carries ca-ct's and ca-ag's cosignatures with the keys the log registers, and
    // the output says where those keys came from.
    let fresh = |url: &str, extra: &[&str]| {
        run(thidua()
            .args([
                "verify",
                "--no-state",
                "--log-key",
                &log_key,
                "--server",
                url,
            ])
            .args(extra))
    };
    let out = fresh(&served.url, &[]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("the log's witnesses  2 / 2 cần / required (ca-ag, ca-ct)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("checked with the witness keys the log itself registers"),
        "{stderr}"
    );
    // A reader's THIDUA_WITNESS_QUORUM no longer changes the log's quorum (three would fail
    // this checkpoint): the same judgement as every reader's, and a warning that it is unread.
    let out = run(thidua().env("THIDUA_WITNESS_QUORUM", "3").args([
        "verify",
        "--no-state",
        "--log-key",
        &log_key,
        "--server",
        &served.url,
    ]));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("the log's witnesses  2 / 2 cần / required"),
        "{stdout}"
    );
    assert!(
        stderr.contains("THIDUA_WITNESS_QUORUM không còn được đọc"),
        "{stderr}"
    );
    // The log grows again and the witnesses have not cosigned yet (they cosign on their own
    // schedule): the history they cosigned is proven, and the log verified extends it, so
    // `verify` succeeds and says which newest entries are not cosigned yet.
    let cosigned_size = served.service.read().size;
    served
        .service
        .execute(
            &Actor::System,
            thidua_domain::Command::RegisterUser {
                user: UserId::parse("moi.den.nua").unwrap(),
                display_name: Text::parse("name", "Mới đến nữa", 100).unwrap(),
                demo: true,
            },
        )
        .unwrap();
    let out = fresh(&served.url, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!(
            "witnessed up to  {cosigned_size} mục / entries (ca-ag, ca-ct)"
        )),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        stderr.contains(&format!(
            "the newest entries (from {cosigned_size} on) are not cosigned yet"
        )) && stderr.contains("cosigned by ca-ag, ca-ct and the log verified extends them"),
        "{stderr}"
    );
    // So with the witnesses' keys got through a second channel: the trusted witnesses
    // cosigned the history up to the size they last saw, and the log extends it.
    let trusted = [
        "--witness".to_owned(),
        format!("ca-ct={}", witnesses[0].2),
        "--witness".to_owned(),
        format!("ca-ag={}", witnesses[1].2),
        "--min-cosignatures".to_owned(),
        "2".to_owned(),
    ];
    let trusted: Vec<&str> = trusted.iter().map(String::as_str).collect();
    let out = fresh(&served.url, &trusted);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "cosigned by   - (đến mục {cosigned_size} / up to {cosigned_size} entries: ca-ct, ca-ag)"
        )),
        "{stdout}"
    );
    for (unit, key_file, _) in &witnesses {
        assert!(witness(unit, key_file, &served.url).status.success());
    }
    // The key holder rewrites the history (the last event's time moved by a millisecond) and
    // signs it with the real key: no witness cosigns it, and `verify` without --witness fails,
    // naming the witness keys to get through a second channel, unless --allow-unwitnessed.
    let rewritten_dir = dir.join("rewritten");
    std::fs::create_dir(&rewritten_dir).unwrap();
    {
        let honest = served.service.store();
        let size = honest.size().unwrap();
        let mut events: Vec<thidua_domain::Event> = honest
            .entries(0, size)
            .unwrap()
            .iter()
            .map(|e| thidua_domain::Event::decode(e.index, &e.bytes).unwrap())
            .collect();
        events.last_mut().unwrap().time_ms += 1;
        let store = SqliteStore::open(&rewritten_dir.join("thidua.db")).unwrap();
        let mut frontier = thidua_ledger::CompactRange::new();
        thidua_service::append_sealed(&store, &LogKey::load(&key).unwrap(), &mut frontier, &events)
            .unwrap();
    }
    let rewritten = serve(&rewritten_dir.join("thidua.db"), &key);
    let out = fresh(&rewritten.url, &[]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("VERIFICATION FAILED")
            && stderr.contains("chưa đủ nhân chứng")
            && stderr.contains("not witnessed: the log registers 3 witness(es) (ca-ag, ca-cm, ca-ct) and records a quorum of 2")
            && stderr.contains("this checkpoint carries 0 from them")
            && stderr.contains(&format!("--witness ca-ct={}", witnesses[0].2))
            && stderr.contains(&format!("--witness ca-ag={}", witnesses[1].2))
            && stderr.contains("--allow-unwitnessed"),
        "{stderr}"
    );
    let out = fresh(&rewritten.url, &["--allow-unwitnessed"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("CHÚ Ý / WARNING (--allow-unwitnessed): chưa đủ nhân chứng"),
        "{stderr}"
    );
    assert!(
        stdout.contains("the log's witnesses  0 / 2 cần / required (-)"),
        "{stdout}"
    );
    drop(rewritten);

    // A backup verifies offline; a copy with one byte of one event changed (triggers dropped,
    // as an attacker with the file would) does not, and the message names the entry.
    let backup = dir.join("backup.db");
    ok(thidua().arg("backup").arg(&backup).arg("--data").arg(&data));
    let out = ok(thidua()
        .args(["verify", "--no-state", "--trust"])
        .arg(&trust)
        .arg("--backup")
        .arg(&backup));
    assert!(
        out.contains("nhân chứng / cosigned by   ca-ct, ca-ag"),
        "{out}"
    );
    {
        let conn = rusqlite::Connection::open(&backup).unwrap();
        conn.execute_batch("DROP TRIGGER entries_no_update")
            .unwrap();
        conn.execute(
            "UPDATE entries SET bytes = CAST(replace(bytes, CAST('Cụm' AS BLOB), CAST('Cum' AS BLOB)) AS BLOB) WHERE idx = (SELECT MIN(idx) FROM entries WHERE instr(bytes, CAST('Cụm' AS BLOB)) > 0)",
            [],
        )
        .unwrap();
    }
    let out = run(thidua()
        .args(["verify", "--no-state", "--trust"])
        .arg(&trust)
        .arg("--backup")
        .arg(&backup));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("VERIFICATION FAILED") && stderr.contains("entry "),
        "{stderr}"
    );

    // The static tiles export of the genuine log.
    let tiles = dir.join("tiles");
    let out = ok(thidua()
        .arg("export-tiles")
        .arg(&tiles)
        .arg("--data")
        .arg(&data));
    // The demonstration and the two people registered above.
    assert!(out.contains(&format!("size {}", size + 2)), "{out}");
    assert!(tiles.join("checkpoint").exists());
    assert!(
        !tiles.join("tile/entries").exists(),
        "by default only what the public may see"
    );
    let out = ok(thidua()
        .arg("export-tiles")
        .arg(&tiles)
        .arg("--with-entries")
        .arg("--data")
        .arg(&data));
    // Entries are bundled 256 to a tile.
    let bundles = (size + 2).div_ceil(256);
    assert!(out.contains(&format!("{bundles} entry bundles")), "{out}");
    assert!(tiles.join("tile/entries").is_dir());
}

/// The restore drill: an online `thidua backup` of a data directory, restored into an empty
/// directory with the key file, is a whole log that `thidua verify` accepts (leaves, tree,
/// signatures and the replayed state) and that the server opens again.
#[test]
fn a_backup_restores_into_an_empty_directory_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    load_demo(&data, None);
    let backup = dir.path().join("thidua-backup.db");
    ok(thidua().arg("backup").arg(&backup).arg("--data").arg(&data));
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::copy(&backup, restored.join("thidua.db")).unwrap();
    std::fs::copy(
        data.join("log-signing.key"),
        restored.join("log-signing.key"),
    )
    .unwrap();
    let key = support::log_key(&data);
    let out = ok(thidua()
        .arg("verify")
        .arg("--data")
        .arg(&restored)
        .arg("--log-key")
        .arg(&key)
        .arg("--no-state"));
    let events = ok(thidua().args(["log", "--json", "--data"]).arg(&restored));
    let original = ok(thidua().args(["log", "--json", "--data"]).arg(&data));
    assert_eq!(events, original, "every event, byte for byte");
    let size = events.lines().count();
    assert!(
        out.contains("log verified") && out.contains(&format!("size          {size}\n")),
        "{out}"
    );
}

/// `url` with `param` added to its query.
fn with_param(url: &str, param: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{param}")
}

/// `url` naming the database `name` instead of its own (query kept).
fn other_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let (server, _) = base.rsplit_once('/').expect("a database in the URL");
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// A database created for one test and dropped after it (`--maintenance-db` takes the URL).
struct TempDatabase {
    admin_url: String,
    name: String,
}

impl TempDatabase {
    fn create(admin_url: &str, name: &str) -> Self {
        ok(Command::new("createdb")
            .arg(format!("--maintenance-db={admin_url}"))
            .arg(name));
        TempDatabase {
            admin_url: admin_url.to_owned(),
            name: name.to_owned(),
        }
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let _ = Command::new("dropdb")
            .arg(format!("--maintenance-db={}", self.admin_url))
            .arg("--if-exists")
            .arg(&self.name)
            .output();
    }
}

/// The restore drill on PostgreSQL, as the README's "Backup and restore" tells it: `pg_dump` of
/// a deployment (one schema here, so that tests stay apart), `pg_restore` into a new empty
/// database, the key file copied, and `thidua verify` accepts the restored log, which holds
/// every event byte for byte.
#[test]
fn a_pg_dump_restores_into_an_empty_database_and_verifies() {
    let Some(url) = test_database_url() else {
        return;
    };
    let made = TestSchema::new(&url, "drill");
    let schema = made.name.clone();
    PostgresStore::open_in_schema(&url, Some(&schema)).unwrap();
    let scoped = with_param(&url, &format!("options=-csearch_path%3D{schema}"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    serve_demo_once(&[
        "--data".into(),
        data.clone().into(),
        "--database".into(),
        scoped.clone().into(),
    ]);

    let dump = dir.path().join("thidua.dump");
    ok(Command::new("pg_dump")
        .args(["--format=custom", "--schema", &schema, "--file"])
        .arg(&dump)
        .arg(&url));
    let restored_db = TempDatabase::create(&url, &schema.replace("drill", "restored"));
    let restored_url = other_database(&url, &restored_db.name);
    ok(Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error"])
        .arg(format!("--dbname={restored_url}"))
        .arg(&dump));
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::copy(
        data.join("log-signing.key"),
        restored.join("log-signing.key"),
    )
    .unwrap();
    let restored_scoped = with_param(&restored_url, &format!("options=-csearch_path%3D{schema}"));

    let key = support::log_key(&data);
    let out = ok(thidua()
        .args(["verify", "--database", &restored_scoped, "--data"])
        .arg(&restored)
        .args(["--log-key", &key, "--no-state"]));
    let events = ok(thidua()
        .args(["log", "--json", "--database", &restored_scoped, "--data"])
        .arg(&restored));
    let original = ok(thidua()
        .args(["log", "--json", "--database", &scoped, "--data"])
        .arg(&data));
    assert_eq!(events, original, "every event, byte for byte");
    let size = events.lines().count();
    assert!(
        out.contains("log verified") && out.contains(&format!("size          {size}\n")),
        "{out}"
    );
}

/// A dishonest server in front of `upstream`: it passes every GET on, the body of each answer
/// rewritten by `rewrite(path, body)`.
fn dishonest_front(
    runtime: &tokio::runtime::Runtime,
    upstream: &str,
    rewrite: impl Fn(&str, String) -> String + Clone + Send + Sync + 'static,
) -> String {
    use axum::http::{header, HeaderMap, StatusCode, Uri};
    let upstream = upstream.to_owned();
    let handler = move |uri: Uri, headers: HeaderMap| {
        let (upstream, rewrite) = (upstream.clone(), rewrite.clone());
        async move {
            tokio::task::spawn_blocking(move || {
                let mut req = ureq::get(&format!("{upstream}{uri}"));
                if let Some(a) = headers.get("authorization") {
                    req = req.set("authorization", a.to_str().unwrap());
                }
                let resp = match req.call() {
                    Ok(r) | Err(ureq::Error::Status(_, r)) => r,
                    Err(e) => panic!("{e}"),
                };
                let status = StatusCode::from_u16(resp.status()).unwrap();
                let content_type = resp.content_type().to_owned();
                let body = rewrite(uri.path(), resp.into_string().unwrap());
                (status, [(header::CONTENT_TYPE, content_type)], body)
            })
            .await
            .unwrap()
        }
    };
    let addr = spawn_server(
        runtime,
        "127.0.0.1:0".parse().unwrap(),
        axum::Router::new().fallback(handler),
    )
    .unwrap();
    format!("http://{addr}")
}

/// A dishonest server that reports `key` as the key of `election`.
fn front_reporting_key(
    runtime: &tokio::runtime::Runtime,
    upstream: &str,
    election: &str,
    key: serde_json::Value,
) -> String {
    let path = format!("/api/v1/elections/{election}");
    dishonest_front(runtime, upstream, move |p, body| {
        if p != path {
            return body;
        }
        let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["election"]["ceremony"]["keys"] = key.clone();
        v.to_string()
    })
}

/// A dishonest server that alters the first readable entry of every entries answer (one hex
/// digit of its salt) and serves the leaf hash of the altered bytes, so that the entry checks
/// against itself.
fn front_altering_entries(runtime: &tokio::runtime::Runtime, upstream: &str) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    dishonest_front(runtime, upstream, move |p, body| {
        if p != "/api/v1/log/entries" {
            return body;
        }
        let mut v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let Some(entry) = v["entries"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e["bytes"].is_string())
        else {
            return body;
        };
        let mut bytes = b64.decode(entry["bytes"].as_str().unwrap()).unwrap();
        let at = find(&bytes, b"\"salt\":\"").unwrap() + 8;
        bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
        entry["bytes"] = b64.encode(&bytes).into();
        entry["leaf_hash"] = hex::encode(thidua_ledger::leaf_hash(&bytes)).into();
        v.to_string()
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The demonstration served, with Kiên Giang's leader's API token, for `thidua vote` in the
/// government-flag election (and a runtime for dishonest fronts). Fields drop in order: the
/// server stops before its directory goes.
struct VotingDemo {
    server: Running,
    runtime: tokio::runtime::Runtime,
    token: String,
    tmp: tempfile::TempDir,
}

impl VotingDemo {
    fn start() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("demo");
        load_demo(&data, None);
        let token = api_token(&data, "lanhdao.kg", "thidua vote");
        let server = Running::start(&data);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        VotingDemo {
            server,
            runtime,
            token,
            tmp,
        }
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The known-logs file of this test's leader (never the home folder's).
    fn known_logs(&self) -> std::path::PathBuf {
        self.dir().join("known-logs")
    }

    /// `thidua vote` approving Kiên Giang through `url`, with `extra` arguments.
    fn vote(&self, url: &str, extra: &[&str]) -> std::process::Output {
        run(thidua()
            .env("THIDUA_KNOWN_LOGS", self.known_logs())
            .args(["vote", "--server", url, "--token", &self.token])
            .args(extra)
            .args([
                "--election",
                "co-thi-dua-bo-cong-an-2024",
                "--unit",
                "ca-kg",
            ])
            .args(["--approve", "ca-cm", "--key"])
            .arg(self.dir().join("ca-kg.vote.key")))
    }
}

/// `thidua vote` recomputes the election key from the trustees' ceremony messages in the log:
/// against the honest server it votes; against a server reporting another key (one it could
/// hold: here the other election's) it refuses before encrypting or sending anything.
#[test]
fn thidua_vote_uses_the_key_the_log_holds_and_refuses_another() {
    let demo = VotingDemo::start();
    let (dir, token, server, runtime) = (demo.dir(), &demo.token, &demo.server, &demo.runtime);
    let election = |id: &str| -> serde_json::Value {
        ureq::get(&format!("{}/api/v1/elections/{id}", server.url))
            .set("authorization", &format!("Bearer {token}"))
            .call()
            .unwrap()
            .into_json()
            .unwrap()
    };
    let vote = |url: &str| demo.vote(url, &[]);
    let other_key = election("co-thi-dua-chinh-phu-2024")["election"]["ceremony"]["keys"].clone();
    let front = front_reporting_key(
        runtime,
        &server.url,
        "co-thi-dua-bo-cong-an-2024",
        other_key,
    );
    let out = vote(&front);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("KEY MISMATCH"), "{stderr}");
    assert!(
        !dir.join("ca-kg.vote.key").exists(),
        "nothing was even prepared"
    );
    let e = election("co-thi-dua-bo-cong-an-2024");
    assert!(
        e["election"]["voter_keys"]["ca-kg"].is_null(),
        "nothing was sent"
    );

    let out = vote(&server.url);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ballot hash"));
    let e = election("co-thi-dua-bo-cong-an-2024");
    assert!(
        e["election"]["rounds"][0]["ballots"]["ca-kg"].is_object(),
        "{e}"
    );
}

/// With `--log-key`, `thidua vote` checks the log's entries it reads against the checkpoint the
/// log signed: a server serving one entry altered, with the leaf hash of the altered bytes (so
/// that the entry checks against itself), is refused before anything is prepared or sent; the
/// honest server's entries pass and the vote is cast.
#[test]
fn thidua_vote_with_the_log_key_refuses_entries_the_log_did_not_sign() {
    let demo = VotingDemo::start();
    let log_key = ureq::get(&format!("{}/api/v1/log/key", demo.server.url))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let (dir, server) = (demo.dir(), &demo.server);
    let vote = |url: &str| demo.vote(url, &["--log-key", log_key.trim()]);
    let front = front_altering_entries(&demo.runtime, &server.url);
    let out = vote(&front);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not those of the log it signed"),
        "{stderr}"
    );
    assert!(
        !dir.join("ca-kg.vote.key").exists(),
        "nothing was even prepared"
    );

    let out = vote(&server.url);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("ballot hash"));
}

/// Without `--log-key`, `thidua vote` pins the key a server publishes the first time it is
/// used (trust on first use, announced) and checks against it from then on: the dishonest front
/// met for the first time is still caught by the key it relays; a server whose checkpoints are
/// not signed by the pinned key is refused, saying how to accept a key the cluster announced.
#[test]
fn thidua_vote_pins_the_log_key_on_first_use() {
    let demo = VotingDemo::start();
    let server = &demo.server;
    let log_key = ureq::get(&format!("{}/api/v1/log/key", server.url))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let out = demo.vote(&server.url, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("first use of this server"), "{stderr}");
    let pinned = std::fs::read_to_string(demo.known_logs()).unwrap();
    assert_eq!(pinned, format!("{} {}\n", server.url, log_key.trim()));

    let front = front_altering_entries(&demo.runtime, &server.url);
    let out = demo.vote(&front, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("not those of the log it signed"),
        "{stderr}"
    );

    // Another key pinned for the honest server: its checkpoints do not verify under it.
    let other =
        thidua_service::LogKey::load_or_create(&demo.dir().join("other.key"), "khac/log").unwrap();
    std::fs::write(
        demo.known_logs(),
        format!("{} {}\n", server.url, other.verifier_key()),
    )
    .unwrap();
    let out = demo.vote(&server.url, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("pass it with --log-key"), "{stderr}");
}

/// The trustees' command line end to end (issue 15): on the demonstration's data, served by
/// `thidua serve`, the secretariat opens a new vote through the API; the five member leaders
/// run the key ceremony with `thidua trustee step` (each with its own state file and API token,
/// one step each per pass: commit, reveal, deal, confirm); four leaders — the quorum, two thirds
/// of five — vote with `thidua vote`; the secretariat closes the round through the API; three
/// trustees — the threshold, one of them a member that did not vote — post their decryption
/// shares with `thidua trustee decrypt`, and the round is counted with the approvals the ballots
/// carried. `thidua verify` then replays the whole log, every ballot and share checked again.
#[test]
fn trustees_run_the_key_ceremony_and_decrypt_the_count_with_the_command_line() {
    use thidua_domain::votes::{AwardKind, Fraction, VoteCommand};
    use thidua_domain::{ClusterId, Command as DomainCommand, ElectionId};
    const ELECTION: &str = "bang-khen-2024-cli";
    const MEMBERS: [&str; 5] = ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"];
    let started = std::time::Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let (dir, data) = (tmp.path(), tmp.path().join("demo"));
    load_demo(&data, None);
    let secretariat = api_token(&data, "thuky.cum12", "the secretariat's script");
    let tokens: Vec<String> = MEMBERS
        .iter()
        .map(|u| api_token(&data, &format!("lanhdao.{}", &u[3..]), "thidua trustee"))
        .collect();
    let server = Running::start(&data);
    let url = server.url.clone();
    let election = || -> serde_json::Value {
        let body: serde_json::Value = ureq::get(&format!("{url}/api/v1/elections/{ELECTION}"))
            .set("authorization", &format!("Bearer {secretariat}"))
            .call()
            .unwrap()
            .into_json()
            .unwrap();
        body["election"].clone()
    };
    let command = |command: VoteCommand| {
        let response = ureq::post(&format!("{url}/api/v1/commands"))
            .set("authorization", &format!("Bearer {secretariat}"))
            .send_json(serde_json::to_value(DomainCommand::Vote(command)).unwrap());
        match response {
            Ok(r) => r.into_json::<serde_json::Value>().unwrap(),
            Err(ureq::Error::Status(status, r)) => {
                panic!("refused ({status}): {}", r.into_string().unwrap())
            }
            Err(e) => panic!("{e}"),
        }
    };
    // The demonstration's Ministry flag vote may still elect An Giang, Cà Mau and Hậu Giang: the
    // secretariat cancels it (opened to show a vote in progress), or no other award vote of
    // the year opens beside it (one achievement, one award).
    command(VoteCommand::CancelElection {
        election: ElectionId::parse("co-thi-dua-bo-cong-an-2024").unwrap(),
        reason: Text::parse("reason", "Bỏ phiếu bằng khen trước (kiểm thử)", 1000).unwrap(),
    });
    // The secretariat opens a certificate vote among the year's published nominees: one seat,
    // 80% of the membership to pass, a quorum of two thirds, trustees 3 of 5.
    command(VoteCommand::OpenElection {
        election: ElectionId::parse(ELECTION).unwrap(),
        cluster: ClusterId::parse("cum-12").unwrap(),
        year: 2024,
        award: AwardKind::Certificate,
        title: Text::parse("title", "Đề nghị tặng Bằng khen năm 2024 (kiểm thử)", 1000).unwrap(),
        seats: 1,
        approval: Fraction { num: 4, den: 5 },
        quorum: Fraction { num: 2, den: 3 },
        trustee_threshold: 3,
    });
    let e = election();
    assert_eq!(e["members"], serde_json::json!(MEMBERS), "{e}");
    let candidates: Vec<String> =
        serde_json::from_value(e["rounds"][0]["candidates"].clone()).unwrap();
    assert_eq!(
        candidates,
        ["ca-ag", "ca-cm", "ca-hg"],
        "the published nominees in rank order (ca-bl is not eligible; ca-kg is proposed for \
         the Government's flag already: one achievement, one award)"
    );

    // Every leader checks what it reads against the log's signed checkpoint (THIDUA_LOG_KEY).
    let log_key = ureq::get(&format!("{url}/api/v1/log/key"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    let leader = |sub: &[&str], i: usize| {
        let mut cmd = thidua();
        cmd.args(sub)
            .env("THIDUA_LOG_KEY", log_key.trim())
            .args([
                "--server",
                &url,
                "--election",
                ELECTION,
                "--unit",
                MEMBERS[i],
            ])
            .env("THIDUA_TOKEN", &tokens[i]);
        cmd
    };
    // A leader's `thidua vote` in the cancelled vote is refused, in both languages, before
    // anything is made.
    let gov_key = dir.join("gov.vote.key");
    let out = run(thidua()
        .env("THIDUA_LOG_KEY", log_key.trim())
        .env("THIDUA_TOKEN", &tokens[0])
        .args([
            "vote",
            "--server",
            &url,
            "--election",
            "co-thi-dua-bo-cong-an-2024",
        ])
        .args(["--unit", "ca-kg", "--approve", "ca-cm", "--key"])
        .arg(&gov_key));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("đã bị Văn phòng cụm huỷ")
            && err.contains("was cancelled by the cluster's secretariat"),
        "{err}"
    );
    assert!(!gov_key.exists(), "no voting key was written");
    let state = |i: usize| dir.join(format!("{}.trustee.json", MEMBERS[i]));
    let step = |i: usize| ok(leader(&["trustee", "step"], i).arg("--state").arg(state(i)));
    // Another unit's leader (ca-kg's token for ca-ag) is refused before a secret state file
    // is written on its machine.
    let stray = dir.join("stray.trustee.json");
    let out = run(leader(&["trustee", "step"], 1)
        .env("THIDUA_TOKEN", &tokens[0])
        .arg("--state")
        .arg(&stray));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("who is not the leader of ca-ag"), "{err}");
    assert!(!stray.exists(), "no state file was written");
    for (pass, posted) in ["commit", "reveal", "deal", "confirm"].iter().enumerate() {
        for i in 0..MEMBERS.len() {
            let out = step(i);
            assert!(
                out.contains(&format!("posted: {posted} at record")),
                "{out}"
            );
            if i == 0 {
                // The others have not posted this step yet: the first trustee waits.
                let out = step(0);
                assert!(
                    pass == 3 || out.contains("waiting: 1/5"),
                    "pass {pass}: {out}"
                );
            }
        }
    }
    let e = election();
    assert!(e["ceremony"]["completed_at"].is_u64(), "{e}");
    assert!(step(4).contains("the ceremony is complete"));
    // A first step once the ceremony is complete makes no new state file (it could only be
    // refused).
    let out = run(leader(&["trustee", "step"], 4).arg("--state").arg(&stray));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the key ceremony of bang-khen-2024-cli is complete"),
        "{err}"
    );
    assert!(!stray.exists(), "no state file was written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(state(0)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the trustee's secrets are its own");
    }

    // A choice the ballot cannot carry (two approvals for one seat) is refused before the
    // voting key is written or registered.
    let key = |i: usize| dir.join(format!("{}.vote.key", MEMBERS[i]));
    let out = run(leader(&["vote"], 0)
        .args(["--approve", "ca-cm,ca-hg", "--key"])
        .arg(key(0)));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("at most 1"),
        "{out:?}"
    );
    assert!(!key(0).exists(), "no voting key was written");
    assert!(
        election()["voter_keys"]["ca-kg"].is_null(),
        "nothing was sent"
    );
    // A candidate named twice is named; another unit's token is refused; neither writes a key.
    let out = run(leader(&["vote"], 0)
        .args(["--approve", "ca-cm,ca-cm", "--key"])
        .arg(key(0)));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ca-cm is approved twice"), "{err}");
    assert!(!key(0).exists(), "no voting key was written");
    let out = run(leader(&["vote"], 1)
        .env("THIDUA_TOKEN", &tokens[0])
        .args(["--approve", "ca-cm", "--key"])
        .arg(key(1)));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("who is not the leader of ca-ag"), "{err}");
    assert!(!key(1).exists(), "no voting key was written");

    // Four of five vote (the quorum); ca-bl does not.
    let choices: [&[&str]; 4] = [&["ca-cm"], &["ca-cm"], &["ca-cm"], &["ca-cm"]];
    for (i, approve) in choices.iter().enumerate() {
        let out = ok(leader(&["vote"], i)
            .args(["--approve", &approve.join(",")])
            .arg("--key")
            .arg(key(i)));
        assert!(out.contains("ballot hash"), "{out}");
    }
    command(VoteCommand::CloseRound {
        election: ElectionId::parse(ELECTION).unwrap(),
        round: 1,
    });
    let e = election();
    assert!(e["rounds"][0]["totals"].is_object(), "{e}");
    assert!(e["rounds"][0]["count"].is_null(), "not decrypted yet");

    // Three trustees decrypt (ca-bl did not vote, and holds a share all the same).
    for (n, i) in [1, 2, 4].into_iter().enumerate() {
        let out = ok(leader(&["trustee", "decrypt"], i)
            .arg("--state")
            .arg(state(i)));
        assert!(out.contains("posted the decryption shares"), "{out}");
        let count = &election()["rounds"][0]["count"];
        assert_eq!(
            count.is_null(),
            n < 2,
            "counted at the third share: {count}"
        );
    }
    let count = election()["rounds"][0]["count"].clone();
    assert_eq!(count["approvals"], serde_json::json!([0, 4, 0]), "{count}");
    assert_eq!(count["abstentions"], 0, "{count}");
    assert_eq!(count["ballots"], 4, "{count}");
    assert_eq!(count["paper"], false, "{count}");
    drop(server);

    // `thidua serve` ran no witness: the vote's checkpoints are not cosigned, accepted so.
    let out = ok(thidua()
        .args(["verify", "--allow-unwitnessed"])
        .arg("--data")
        .arg(&data)
        .arg("--state")
        .arg(dir.join("verify.state")));
    assert!(out.contains("log verified"), "{out}");
    assert!(
        out.contains(&format!(
            "{ELECTION} vòng / round 1: 4 / 5 phiếu / ballots, cần / needed 4; ca-ag 0, ca-cm 4, ca-hg 0; chọn / chosen: ca-cm"
        )),
        "{out}"
    );
    eprintln!("the trustees' run took {:?}", started.elapsed());
}
