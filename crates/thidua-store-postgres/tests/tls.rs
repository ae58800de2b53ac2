//! TLS to a real PostgreSQL server, with libpq's `sslmode` meanings. Debian's server (what
//! `.ci/postgres-up` starts) offers TLS with a self-signed certificate for `localhost`; with
//! that certificate as the trusted root (`sslrootcert`), `verify-full` accepts the server as
//! `localhost` and refuses it as `127.0.0.1` (a name it does not carry), `verify-ca` accepts
//! either, `require` encrypts without checking, `disable` stays plain.

use thidua_store_postgres::{test_database_url, PostgresStore, TestSchema};

fn with(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

fn open(schema: &TestSchema, url: &str) -> Result<PostgresStore, String> {
    PostgresStore::open_in_schema(url, Some(&schema.name)).map_err(|e| e.to_string())
}

#[test]
fn sslmode_is_honoured() {
    let Some(url) = test_database_url() else {
        return;
    };
    let schema = TestSchema::new(&url, "tls");
    let found = open(&schema, &with(&url, "sslmode=require"))
        .map_err(|e| format!("the server offers no TLS (Debian's default does): {e}"));
    let Some(required) = thidua_store::testing::required("PostgreSQL with TLS", found) else {
        return;
    };
    assert!(required.tls_in_use().unwrap(), "sslmode=require encrypts");
    assert!(!open(&schema, &with(&url, "sslmode=disable"))
        .unwrap()
        .tls_in_use()
        .unwrap());
    assert!(
        url.contains("@127.0.0.1:"),
        "the test server is reached by address: {url}"
    );
    let root = required.server_setting("ssl_cert_file").unwrap();
    let by_name = url.replace("@127.0.0.1:", "@localhost:");

    let full = format!("sslmode=verify-full&sslrootcert={root}");
    let store = open(&schema, &with(&by_name, &full)).expect("verify-full as localhost");
    assert!(store.tls_in_use().unwrap());
    let err = open(&schema, &with(&url, &full)).map(|_| ()).unwrap_err();
    assert!(
        err.contains("certificate") || err.contains("Certificate"),
        "{err}"
    );
    assert!(!err.contains("thidua-test"), "no password in errors: {err}");
    let chain = format!("sslmode=verify-ca&sslrootcert={root}");
    assert!(open(&schema, &with(&url, &chain))
        .unwrap()
        .tls_in_use()
        .unwrap());

    let missing = with(&url, "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem");
    assert!(open(&schema, &missing)
        .map(|_| ())
        .unwrap_err()
        .contains("/nonexistent/ca.pem"));
}
