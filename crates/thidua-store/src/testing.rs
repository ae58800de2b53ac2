//! For tests that need something outside the process (a PostgreSQL server, Chromium,
//! LibreOffice): one rule, written once — with `CI=true` a missing service fails the test;
//! elsewhere the test says it skipped, visibly, and returns.

/// `found`, or `None` after saying the test skipped; panics in CI (`CI=true`).
pub fn required<T>(what: &str, found: Result<T, String>) -> Option<T> {
    match found {
        Ok(t) => Some(t),
        Err(why) if in_ci() => panic!("CI needs {what}: {why}"),
        Err(why) => {
            eprintln!("SKIPPED: tests needing {what} ({why})");
            None
        }
    }
}

/// Whether the tests run in CI (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}
