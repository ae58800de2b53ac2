//! For tests only (a dev-dependency): the probes of the programs that tests need from outside
//! the process, written once. Each goes through [`required`]: with `CI=true` a missing program
//! fails the test; elsewhere the test says it skipped, naming the Debian package, and returns.
//! PostgreSQL's probe is `thidua_store_postgres::test_database_url` (its `testing` feature),
//! under the same rule.

use std::path::Path;
use std::process::Command;

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
