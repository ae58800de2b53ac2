//! TLS for Thi Đua's clients (the witness and verifier HTTP client, the PostgreSQL connection):
//! rustls with the `ring` provider, trusting Mozilla's roots (`webpki-roots`), the platform's
//! (`rustls-native-certs`: `/etc/ssl/certs` on Debian, where an organisation's CA is installed)
//! and, when given, the CAs of one PEM file (an internal CA of a police network).
//!
//! Also the certificate checks libpq's `sslmode` names: `verify-full` (chain and host name),
//! `verify-ca` (chain only) and, for `require`/`prefer`, none at all (encryption against a
//! passive listener only; libpq's meaning, for servers with self-signed certificates).
#![forbid(unsafe_code)]

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

/// What can go wrong setting TLS up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("không đọc được tệp chứng chỉ CA {path} / cannot read the CA file {path}: {reason}")]
    CaFile { path: String, reason: String },
    #[error("TLS configuration: {0}")]
    Config(String),
}

/// How much of the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify {
    /// The chain up to a trusted root and the host name (HTTPS; PostgreSQL `verify-full`).
    Full,
    /// The chain up to a trusted root, any host name (PostgreSQL `verify-ca`).
    ChainOnly,
    /// Nothing: encryption only (PostgreSQL `require` and `prefer`, as libpq does).
    Nothing,
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The trusted roots: Mozilla's, the platform's and those of `ca_file` (PEM), if given.
pub fn roots(ca_file: Option<&Path>) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // Unreadable platform certificates are skipped: the other roots still apply.
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        let ca_err = |reason: String| TlsError::CaFile {
            path: path.display().to_string(),
            reason,
        };
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| ca_err(e.to_string()))?
            .collect::<Result<_, _>>()
            .map_err(|e| ca_err(e.to_string()))?;
        if certs.is_empty() {
            return Err(ca_err(
                "tệp không có chứng chỉ PEM nào / no PEM certificate in the file".into(),
            ));
        }
        for cert in certs {
            roots.add(cert).map_err(|e| ca_err(e.to_string()))?;
        }
    }
    Ok(roots)
}

/// A client configuration checking servers as `verify` says, against [`roots`]`(ca_file)`.
pub fn client_config(verify: Verify, ca_file: Option<&Path>) -> Result<ClientConfig, TlsError> {
    let builder = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Config(e.to_string()))?;
    let config = match verify {
        Verify::Full => builder
            .with_root_certificates(roots(ca_file)?)
            .with_no_client_auth(),
        Verify::ChainOnly | Verify::Nothing => {
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots(ca_file)?), provider())
                    .build()
                    .map_err(|e| TlsError::Config(e.to_string()))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Lenient {
                    webpki,
                    check_chain: verify == Verify::ChainOnly,
                }))
                .with_no_client_auth()
        }
    };
    Ok(config)
}

/// `verify-ca` (the chain, not the name) and `require` (nothing) — handshake signatures are
/// still checked, so the session key is bound to the certificate that was presented.
#[derive(Debug)]
struct Lenient {
    webpki: Arc<WebPkiServerVerifier>,
    check_chain: bool,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if !self.check_chain {
            return Ok(ServerCertVerified::assertion());
        }
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_adds_its_certificates_and_junk_is_refused() {
        let ca = rcgen::generate_simple_self_signed(vec!["ca.thidua.test".into()]).unwrap();
        let dir = std::env::temp_dir().join(format!("thidua-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ca.pem");
        std::fs::write(&file, ca.cert.pem()).unwrap();
        let base = roots(None).unwrap().len();
        assert!(base > 100, "Mozilla's roots at least");
        assert_eq!(roots(Some(&file)).unwrap().len(), base + 1);
        std::fs::write(&file, "not a certificate").unwrap();
        assert!(matches!(roots(Some(&file)), Err(TlsError::CaFile { .. })));
        // Said in both languages, naming the file, as every operator message is.
        let said = roots(Some(&file)).unwrap_err().to_string();
        assert!(
            said.contains("không đọc được tệp chứng chỉ CA")
                && said.contains("no PEM certificate")
                && said.contains("ca.pem"),
            "{said}"
        );
        assert!(roots(Some(&dir.join("missing.pem"))).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
        for v in [Verify::Full, Verify::ChainOnly, Verify::Nothing] {
            client_config(v, None).unwrap();
        }
    }
}
