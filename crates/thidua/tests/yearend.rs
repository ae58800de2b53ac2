//! The demonstration's year-end from the command line: `thidua assign --verify` recomputes the
//! draw from the log alone, `thidua verify` recomputes the draw and the published results, and
//! a final score tampered with in a copy of the database is detected.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use thidua_domain::yearend::YearEndEvent;
use thidua_domain::{Event, Payload};

fn thidua() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.env("THIDUA_LOG", "warn")
        .env_remove("THIDUA_DATABASE_URL")
        .env_remove("THIDUA_DATA")
        .env_remove("THIDUA_LOG_KEY")
        .env_remove("THIDUA_SERVER");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    eprintln!(
        "$ {:?}\n{}{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Loads the demonstration into `data` (`thidua serve --demo` on port 0, stopped once serving).
fn load_demo(data: &Path) {
    let mut child = thidua()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let serving = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .any(|l| l.unwrap().contains("http://"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving, "the demonstration server did not start");
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
    let key_out = run(thidua().args(["log", "key", "--data"]).arg(&data));
    let key = String::from_utf8(key_out.stdout).unwrap().trim().to_owned();

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

    let verify = |data: &Path| {
        run(thidua()
            .arg("verify")
            .arg("--data")
            .arg(data)
            .args(["--log-key", &key, "--no-state"]))
    };
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
}

/// The demonstration's year gives its documents from the command line: the minutes of an
/// inspection and of the vote count, the year-end report and the award submission as PDF and
/// DOCX (the place defaults to the covenant's), issued in turn with their numbers; a pair that
/// is not an inspection is refused.
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
    let flag = ["--election", "co-thi-dua-bo-cong-an-2024"];
    let date = ["--date", "30/12/2024"];
    let cases: [(Vec<&str>, &str, &str); 4] = [
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
    ];
    for (args, out, number) in cases {
        let format = if out.ends_with("docx") { "docx" } else { "pdf" };
        let preview = doc(&[&args[..], &["--format", format]].concat(), out);
        assert!(preview.status.success());
        assert!(String::from_utf8_lossy(&preview.stdout).contains("xem trước"));
        let issued = doc(&[&args[..], &["--format", format, "--issue"]].concat(), out);
        assert!(issued.status.success());
        let text = String::from_utf8_lossy(&issued.stdout);
        assert!(text.contains(number), "{text}");
        let bytes = std::fs::read(dir.path().join(out)).unwrap();
        assert!(bytes.starts_with(if format == "pdf" {
            b"%PDF-"
        } else {
            b"PK\x03\x04"
        }));
    }
    let list = run(thidua()
        .args(["doc", "list", "--cluster", "cum-12", "--data"])
        .arg(&data));
    let text = String::from_utf8_lossy(&list.stdout);
    for kind in [
        "inspection_minutes",
        "vote_minutes",
        "year_report",
        "award_submission",
    ] {
        assert!(text.contains(kind), "{text}");
    }
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
}
