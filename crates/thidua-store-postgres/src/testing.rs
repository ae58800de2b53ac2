//! For tests only (the `testing` feature, enabled from dev-dependencies): the probe of the
//! PostgreSQL server tests run against, and a schema per test, dropped after it.

use crate::{tls, PostgresStore};

/// A random schema name for an isolated test database.
pub fn random_schema(prefix: &str) -> String {
    let mut bytes = [0u8; 6];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    format!("{prefix}_{}", hex::encode(bytes))
}

/// A schema made for one test, dropped with everything in it when the guard goes, so that test
/// runs do not pile schemas up in the test database. Hold it longer than the stores using it.
pub struct TestSchema {
    url: String,
    pub name: String,
}

impl TestSchema {
    /// A fresh random schema name (see [`random_schema`]) on the server at `url`.
    pub fn new(url: &str, prefix: &str) -> Self {
        Self {
            url: url.to_owned(),
            name: random_schema(prefix),
        }
    }
}

impl TestSchema {
    /// Runs one SQL statement in this schema on a connection of its own, past any store (what
    /// anyone with access to the database could do); the rows changed or the server's refusal.
    pub fn execute(&self, sql: &str) -> Result<u64, String> {
        let mut c = tls::connect(&self.url).map_err(|e| e.to_string())?;
        c.batch_execute(&format!("SET search_path TO {}", self.name))
            .map_err(|e| e.to_string())?;
        c.execute(sql, &[]).map_err(|e| {
            e.as_db_error()
                .map(|d| d.message().to_owned())
                .unwrap_or_else(|| e.to_string())
        })
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = tls::connect(&self.url) {
            // A connection still in a transaction must not hang the test: give up after 5 s.
            let _ = c.batch_execute(&format!(
                "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS {} CASCADE",
                self.name
            ));
        }
    }
}

/// The PostgreSQL server tests run against: `THIDUA_TEST_DATABASE_URL`, or the role and
/// database that `.ci/postgres-up` creates. Returns `None` (after saying so on stderr) when the
/// server cannot be reached — except with `CI=true`, where an unreachable server is a failure.
pub fn test_database_url() -> Option<String> {
    let url = std::env::var("THIDUA_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://thidua:thidua-test@127.0.0.1:5432/thidua_test".into());
    let schema = TestSchema::new(&url, "probe");
    let probe = PostgresStore::open_in_schema(&url, Some(&schema.name))
        .map(|_| url)
        .map_err(|e| format!("{e}; run .ci/postgres-up"));
    thidua_store::testing::required("PostgreSQL", probe)
}
