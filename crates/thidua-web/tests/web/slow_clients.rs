//! Slow clients (slowloris) against a real server: a connection that never finishes its headers
//! or its body is closed after the timeout, and connections past the limit wait for a free one.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use thidua_web::server::Limits;

use super::support::{spawn_configured, Backend, TestApp};

fn with_limits(limits: Limits) -> TestApp {
    spawn_configured(Backend::Sqlite, |c| c.limits = limits).unwrap()
}

fn connect(app: &TestApp) -> TcpStream {
    let stream = TcpStream::connect(app.base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

/// Everything the server sends until it closes the connection; panics if it keeps it open
/// past the read timeout.
fn read_until_closed(mut stream: TcpStream) -> String {
    let mut out = Vec::new();
    match stream.read_to_end(&mut out) {
        Ok(_) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
            String::from_utf8_lossy(&out).into_owned()
        }
        Err(e) => panic!("the server kept the connection open: {e}"),
    }
}

const SHORT: Limits = Limits {
    max_connections: 64,
    per_address: 64,
    header_timeout: Duration::from_secs(1),
    body_timeout: Duration::from_secs(1),
};

#[test]
fn partial_headers_are_cut_off() {
    let app = with_limits(SHORT);
    let mut stream = connect(&app);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    let answer = read_until_closed(stream);
    assert!(!answer.contains("200 OK"), "{answer}");
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let app = with_limits(SHORT);
    let mut stream = connect(&app);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(stream);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn a_trickling_body_is_cut_off() {
    let app = with_limits(SHORT);
    let mut stream = connect(&app);
    stream
        .write_all(
            b"POST /api/v1/bootstrap HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"token\":",
        )
        .unwrap();
    let answer = read_until_closed(stream);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body_timeout"), "{answer}");
}

#[test]
fn connections_past_the_limit_wait_for_a_free_one() {
    let app = with_limits(Limits {
        max_connections: 2,
        per_address: 64,
        header_timeout: Duration::from_secs(30),
        body_timeout: Duration::from_secs(30),
    });
    let holders: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = connect(&app);
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    let mut waiting = connect(&app);
    waiting
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    waiting
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 64];
    let early = waiting.read(&mut buf);
    assert!(early.is_err(), "served past the limit: {early:?}");
    drop(holders);
    waiting
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let answer = read_until_closed(waiting);
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "served once a slot is free: {answer}"
    );
}

/// One address holding its share of connections (here 2 of 64) gets its next one closed, so it
/// cannot keep every slot; the others are served as before.
#[test]
fn one_address_holds_at_most_its_share_of_connections() {
    let app = with_limits(Limits {
        max_connections: 64,
        per_address: 2,
        header_timeout: Duration::from_secs(30),
        body_timeout: Duration::from_secs(30),
    });
    let holders: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut s = connect(&app);
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut third = connect(&app);
    let _ = third.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let answer = read_until_closed(third);
    assert!(answer.is_empty(), "closed unanswered: {answer}");
    drop(holders);
    std::thread::sleep(Duration::from_millis(200));
    let mut again = connect(&app);
    again
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(again);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
