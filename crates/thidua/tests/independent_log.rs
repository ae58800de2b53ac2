//! The independent checker of the log, `crates/thidua-domain/tests/vectors/check_log.py`: an
//! outside reviewer wrote it from the documentation alone (`docs/event-encoding.md`, the OpenAPI
//! document, the C2SP and RFC 6962/9162 specifications), in Python's standard library with the
//! `openssl` command for Ed25519. It shares no code with this implementation, so these tests hold
//! the documentation and the server to each other:
//!
//! * offline, on the pinned events (`crates/thidua-domain/tests/golden/events.txt`: every kind
//!   canonical, of the fields and JSON types the documentation's table gives it, with its pinned
//!   leaf hash) and on the format-1 fixture (`crates/thidua/tests/data/log-format1.jsonl`: its
//!   bytes and its covenant hashes recomputed as the documentation describes them);
//! * online, against the demonstration served by `thidua serve` on port 0: anonymously, with the
//!   witness keys from the public `GET /api/v1/log/witnesses`, and with a member's API token,
//!   with the keys read from the log and compared with that list.
//!
//! Without `python3` or an `openssl` that verifies Ed25519 with `pkeyutl -rawin`, each test says
//! it skipped; with `CI=true` it fails instead (`thidua_test_support::required`).

#[allow(dead_code)] // the log key read from the data directory is for other tests
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{api_token, run, serve_demo_once, Running};

/// A path in the repository, from this crate's directory.
fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// `openssl` signs and verifies Ed25519 over raw input (`pkeyutl -rawin`, OpenSSL 3), as the
/// checker does; `Some(())`, or `None` after skipping (fails in CI).
fn openssl() -> Option<()> {
    let probe = || -> Result<(), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let key = dir.path().join("k.pem");
        let msg = dir.path().join("m");
        let sig = dir.path().join("s");
        std::fs::write(&msg, b"probe").map_err(|e| e.to_string())?;
        let steps: [Vec<&std::ffi::OsStr>; 2] = [
            vec![
                "genpkey".as_ref(),
                "-algorithm".as_ref(),
                "ed25519".as_ref(),
                "-out".as_ref(),
                key.as_os_str(),
            ],
            vec![
                "pkeyutl".as_ref(),
                "-sign".as_ref(),
                "-inkey".as_ref(),
                key.as_os_str(),
                "-rawin".as_ref(),
                "-in".as_ref(),
                msg.as_os_str(),
                "-out".as_ref(),
                sig.as_os_str(),
            ],
        ];
        for args in steps {
            let out = Command::new("openssl")
                .args(&args)
                .output()
                .map_err(|e| format!("`openssl` not found ({e}): apt-get install openssl"))?;
            if !out.status.success() {
                return Err(format!(
                    "`openssl {}` failed (OpenSSL 3 is needed): {}",
                    args[0].to_string_lossy(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        Ok(())
    };
    thidua_test_support::required("openssl pkeyutl -rawin (Ed25519)", probe())
}

/// Runs the checker with `args`; its report is printed (shown when a test fails) and returned.
/// Fails the test unless every check passed.
fn check_log(args: &[&str]) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(repo("crates/thidua-domain/tests/vectors/check_log.py"))
        .args(args)
        .env_remove("THIDUA_PASSWORD");
    let out = run(&mut cmd);
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the independent checker failed:\n{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains("FAIL"), "{printed}");
    printed
}

/// The pinned events and the format-1 fixture are what the documentation says, byte for byte:
/// canonical, of the documented kinds, formats, fields and JSON types, with their pinned leaf
/// hashes (non-canonical variants refused), and the fixture's covenant hashes recomputed.
#[test]
fn the_golden_events_and_the_format_1_fixture_pass_the_independent_checker() {
    if thidua_test_support::program("python3", "--version", "python3").is_none() {
        return;
    }
    let golden = repo("crates/thidua-domain/tests/golden/events.txt");
    let fixture = repo("crates/thidua/tests/data/log-format1.jsonl");
    let printed = check_log(&[
        "--golden",
        golden.to_str().unwrap(),
        "--log-file",
        fixture.to_str().unwrap(),
    ]);
    assert!(printed.contains("data fields of "), "{printed}");
    assert!(printed.contains(" golden events"), "{printed}");
    assert!(printed.contains("60 events; "), "{printed}");
    assert!(
        printed.contains("6 covenant signature/freeze hash(es)"),
        "{printed}"
    );
    assert_eq!(
        printed.matches(" checks passed, 0 failed").count(),
        2,
        "{printed}"
    );
}

/// A running demonstration passes the checker anonymously — the tree, every signed checkpoint
/// (listed by `/api/v1/log/checkpoints`), proofs inside and outside batches, and the witnesses'
/// cosignatures checked with the keys of `/api/v1/log/witnesses` — and with a member's token,
/// which also reads the events it may (their bytes, fields, covenant hashes and history) and
/// compares the public witness list with the registrations in the log.
#[test]
fn a_running_demonstration_passes_the_independent_checker() {
    if thidua_test_support::program("python3", "--version", "python3").is_none()
        || openssl().is_none()
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("demo");
    serve_demo_once(&["--data".into(), data.clone().into()]);
    let token = api_token(&data, "lanhdao.ag", "independent checker");
    let server = Running::start(&data);
    let quick = ["--proof-sample", "40", "--probe-limit", "40"];

    let mut args = vec!["--server", server.url.as_str()];
    args.extend(quick);
    let anonymous = check_log(&args);
    assert!(anonymous.contains("as anonymous"), "{anonymous}");
    assert!(
        anonymous.contains("0 readable by this caller"),
        "{anonymous}"
    );
    assert!(anonymous.contains("from /witnesses"), "{anonymous}");
    assert!(!anonymous.contains("from log"), "{anonymous}");
    assert!(
        anonymous.contains("witnessed size") && anonymous.contains("2 of witnesses that count"),
        "both demonstration witnesses' cosignatures verify with the public keys: {anonymous}"
    );

    args.extend(["--token", token.as_str()]);
    let member = check_log(&args);
    assert!(member.contains("as member"), "{member}");
    assert!(member.contains("from log"), "{member}");
    assert!(member.contains("2 of witnesses that count"), "{member}");
    assert!(
        member.contains("covenant signature/freeze hash(es)"),
        "{member}"
    );
    assert!(
        member.contains("7. /api/v1/events shows the entries this member reads"),
        "{member}"
    );
}
