//! The HTTP client reaches `https://` logs: a local HTTPS server with a certificate from a CA
//! made here is trusted once that CA is given (`--ca-file`), refused otherwise, and refused for
//! a name the certificate does not carry.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use thidua_transparency::client::{HttpLog, LogClient};

/// A CA made here, and a server certificate for `127.0.0.1` and `localhost` signed by it, and
/// one for another name.
struct Pki {
    ca_pem: String,
    cert: rustls::pki_types::CertificateDer<'static>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
    other_name: (
        rustls::pki_types::CertificateDer<'static>,
        rustls::pki_types::PrivateKeyDer<'static>,
    ),
}

fn pki() -> Pki {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Thi Đua test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf = |names: &[&str]| {
        let key = rcgen::KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let cert = rcgen::CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &issuer)
            .unwrap();
        (
            cert.der().clone(),
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
    };
    let (cert, key) = leaf(&["127.0.0.1", "localhost"]);
    Pki {
        ca_pem: ca_cert.pem(),
        cert,
        key,
        other_name: leaf(&["thidua.invalid"]),
    }
}

/// Serves every request on 127.0.0.1 over TLS with `body` until the process ends.
fn https_server(
    cert: &rustls::pki_types::CertificateDer<'static>,
    key: &rustls::pki_types::PrivateKeyDer<'static>,
    body: &'static str,
) -> u16 {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert.clone()], key.clone_key())
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, stream);
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            // Read the request head; a refused handshake ends here.
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let _ = write!(
                tls,
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tls.flush();
        }
    });
    port
}

#[test]
fn the_client_reaches_an_https_log_signed_by_a_given_ca() {
    let pki = pki();
    let port = https_server(&pki.cert, &pki.key, "thidua.test/log\n42\nroot\n");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_pem).unwrap();

    let url = format!("https://127.0.0.1:{port}");
    let trusted = HttpLog::with_ca(&url, None, Some(&ca_file)).unwrap();
    assert_eq!(trusted.checkpoint().unwrap(), "thidua.test/log\n42\nroot\n");
    let localhost = HttpLog::with_ca(&format!("https://localhost:{port}"), None, Some(&ca_file));
    assert!(localhost.unwrap().checkpoint().is_ok());

    // Without the CA: refused (an unknown issuer), nothing read.
    let err = HttpLog::new(&url, None)
        .checkpoint()
        .unwrap_err()
        .to_string();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
    // A name the certificate does not carry: refused even with the CA.
    let other_port = https_server(&pki.other_name.0, &pki.other_name.1, "x");
    let other = HttpLog::with_ca(
        &format!("https://127.0.0.1:{other_port}"),
        None,
        Some(&ca_file),
    );
    let err = other.unwrap().checkpoint().unwrap_err().to_string();
    assert!(err.to_lowercase().contains("certificate"), "{err}");
}
