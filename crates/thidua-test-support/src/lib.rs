//! For tests only (a dev-dependency): the probes of the programs that tests need from outside
//! the process, written once. Each goes through [`required`]: with `CI=true` a missing program
//! fails the test; elsewhere the test says it skipped, naming the Debian package, and returns.
//! PostgreSQL's probe is `thidua_store_postgres::test_database_url` (its `testing` feature),
//! under the same rule. [`forge_snapshot`] plays a dishonest operator against a SQLite store.
//! [`source`] reads the project's own sources for tests that check every route or code.

use std::path::Path;
use std::process::Command;

pub mod source;

pub use thidua_store::testing::{in_ci, required};

/// Headless Chromium as Debian installs it (package `chromium`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Its WebDriver (package `chromium-driver`).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether `cmd arg` runs and succeeds.
fn answers(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `Some(())` when `cmd version_arg` succeeds; otherwise skips (fails in CI) naming `package`.
pub fn program(cmd: &str, version_arg: &str, package: &str) -> Option<()> {
    let found = answers(cmd, version_arg)
        .then_some(())
        .ok_or_else(|| format!("`{cmd}` not found: apt-get install {package}"));
    required(cmd, found)
}

/// LibreOffice's command (`soffice`, or `libreoffice` where only that is on the path), or
/// `None` after skipping (fails in CI).
pub fn libreoffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| answers(c, "--version"))
        .ok_or_else(|| {
            "no soffice: apt-get install libreoffice-calc-nogui libreoffice-writer-nogui".to_owned()
        });
    required("LibreOffice", found)
}

/// `Some(())` when Chromium and chromedriver are installed, or `None` after skipping (fails in
/// CI).
pub fn chromium() -> Option<()> {
    let found = [CHROMEDRIVER, CHROMIUM]
        .iter()
        .all(|p| Path::new(p).exists())
        .then_some(())
        .ok_or_else(|| {
            format!("no {CHROMIUM} / {CHROMEDRIVER}: apt-get install chromium chromium-driver")
        });
    required("Chromium", found)
}

/// Forges the snapshot of `size` in the SQLite store at `db` (one chunk): `edit` applied to its
/// body and its note re-signed with the log's real `key`, as a dishonest operator (or a bug
/// that wrote a wrong state) would; the signature holds, the state does not match the log.
pub fn forge_snapshot(
    db: &Path,
    key: &thidua_service::LogKey,
    size: u64,
    edit: &dyn Fn(&str) -> String,
) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let (note, body): (String, Vec<u8>) = conn
        .query_row(
            "SELECT note, c.bytes FROM snapshots JOIN snapshot_chunks c USING (size) \
             WHERE size = ?1 AND chunks = 1",
            [size as i64],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let body = String::from_utf8(body).unwrap();
    let forged = edit(&body);
    assert_ne!(forged, body, "the edit changes the body");
    let text = key.open_note(&note).unwrap();
    let old_hash = hex::encode(thidua_store::sha256(body.as_bytes()));
    let new_hash = hex::encode(thidua_store::sha256(forged.as_bytes()));
    assert!(text.contains(&old_hash));
    let note = key.sign_note(&text.replace(&old_hash, &new_hash)).unwrap();
    conn.execute(
        "UPDATE snapshots SET note = ?1, bytes = ?2 WHERE size = ?3",
        rusqlite::params![note, forged.len(), size as i64],
    )
    .unwrap();
    conn.execute(
        "UPDATE snapshot_chunks SET bytes = ?1 WHERE size = ?2",
        rusqlite::params![forged.as_bytes(), size as i64],
    )
    .unwrap();
}
