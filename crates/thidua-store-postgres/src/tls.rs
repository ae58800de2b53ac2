//! TLS for PostgreSQL connections, with libpq's meaning of `sslmode` in the URL:
//! `disable` (plain), `prefer` (the default: TLS when the server offers it), `require`
//! (TLS, certificate not checked), `verify-ca` (the chain up to a trusted root) and
//! `verify-full` (the chain and the host name). Trusted roots: Mozilla's and the platform's,
//! and the PEM file `sslrootcert=` names. The driver itself knows only the first three
//! modes, so the URL it gets says `require` for the verifying ones, without `sslrootcert`.

use postgres::{Client, NoTls};
use thidua_store::{Result, StoreError};
use thidua_tls::Verify;

/// The connection a URL asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The URL as the driver understands it.
    pub url: String,
    /// `None`: no TLS at all (`sslmode=disable`).
    pub verify: Option<Verify>,
    pub root_cert: Option<String>,
}

fn bad(message: String) -> StoreError {
    StoreError::Backend(message)
}

/// Decodes the `%XX` escapes of a URL's part (invalid UTF-8 replaced, never refused: only
/// for reading options and finding the passwords to hide).
fn percent_decode(raw: &str) -> String {
    percent_encoding::percent_decode_str(raw)
        .decode_utf8_lossy()
        .into_owned()
}

/// Reads `sslmode` and `sslrootcert` from a `postgres://` URL.
pub(crate) fn plan(url: &str) -> Result<Plan> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut kept = Vec::new();
    let mut mode = "prefer".to_owned();
    let mut root_cert = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => mode = percent_decode(value),
            "sslrootcert" => root_cert = Some(percent_decode(value)),
            _ => kept.push(pair.to_owned()),
        }
    }
    let (driver_mode, verify) = match mode.as_str() {
        "disable" => ("disable", None),
        "prefer" | "allow" => ("prefer", Some(Verify::Nothing)),
        "require" => ("require", Some(Verify::Nothing)),
        "verify-ca" => ("require", Some(Verify::ChainOnly)),
        "verify-full" => ("require", Some(Verify::Full)),
        other => {
            return Err(bad(format!(
                "sslmode={other:?}: use disable, prefer, require, verify-ca or verify-full"
            )))
        }
    };
    kept.push(format!("sslmode={driver_mode}"));
    Ok(Plan {
        url: format!("{base}?{}", kept.join("&")),
        verify,
        root_cert,
    })
}

/// Connects as `url` says (see the module).
pub(crate) fn connect(url: &str) -> std::result::Result<Client, StoreError> {
    let plan = plan(url)?;
    let connected = match plan.verify {
        None => Client::connect(&plan.url, NoTls),
        Some(verify) => {
            let root = plan.root_cert.as_deref().map(std::path::Path::new);
            let config = thidua_tls::client_config(verify, root)
                .map_err(|e| bad(format!("PostgreSQL TLS: {e}")))?;
            Client::connect(
                &plan.url,
                tokio_postgres_rustls::MakeRustlsConnect::new(config),
            )
        }
    };
    connected.map_err(|e| {
        // The causes (a refused certificate…) follow; none of them holds the password.
        let mut causes = String::new();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            causes.push_str(&format!(": {c}"));
            cause = c.source();
        }
        bad(format!(
            "cannot connect to PostgreSQL: {}{causes}",
            crate::db_err(e)
        ))
    })
}

/// For tests (the `testing` feature): what the connection really negotiated.
#[cfg(feature = "testing")]
impl crate::PostgresStore {
    /// Whether this store's connection to the server is encrypted (from `pg_stat_ssl`).
    pub fn tls_in_use(&self) -> Result<bool> {
        self.with_client(|c| {
            let row = c.query_one(
                "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
                &[],
            )?;
            Ok(row.get(0))
        })
    }

    /// A setting of the server (`SHOW name`).
    pub fn server_setting(&self, name: &str) -> Result<String> {
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(bad(format!("invalid setting name {name:?}")));
        }
        self.with_client(|c| Ok(c.query_one(&format!("SHOW {name}"), &[])?.get(0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_modes_become_what_the_driver_knows() {
        let p = plan("postgres://u:p@db/thidua").unwrap();
        assert_eq!(p.url, "postgres://u:p@db/thidua?sslmode=prefer");
        assert_eq!(p.verify, Some(Verify::Nothing));
        let p = plan(
            "postgres://u@db/t?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(
            p.url,
            "postgres://u@db/t?application_name=x&sslmode=require"
        );
        assert_eq!(p.verify, Some(Verify::Full));
        assert_eq!(p.root_cert.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(
            plan("postgres://db/t?sslmode=verify-ca").unwrap().verify,
            Some(Verify::ChainOnly)
        );
        assert_eq!(
            plan("postgres://db/t?sslmode=disable").unwrap().verify,
            None
        );
        assert!(plan("postgres://db/t?sslmode=sometimes").is_err());
    }
}
