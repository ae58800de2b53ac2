//! Load figures (not a timed test; ignored by default): requests per second and latency
//! percentiles for the cluster page and `/api/v1/clusters/{id}` at 64 connections with `wrk`
//! (Debian package `wrk`) against loopback, 10 s each, and the process's memory. Run with
//! `cargo test --release -p thidua-web --test web -- --ignored --nocapture load_figures`.

use std::process::Command;

use serde_json::json;

use super::support::{signed_in, spawn, Backend, Client};

fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn wrk(url: &str, header: &str) -> String {
    let out = Command::new("wrk")
        .args(["-t2", "-c64", "-d10s", "--latency", "-H", header, url])
        .output()
        .expect("wrk (apt-get install wrk)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn summary(report: &str) -> String {
    report
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("50%")
                || t.starts_with("99%")
                || t.starts_with("Requests/sec")
                || t.contains("requests in")
                || t.starts_with("Non-2xx")
        })
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
#[ignore]
fn load_figures() {
    let app = spawn(Backend::Sqlite).unwrap();
    let c = signed_in(&app, "thuky12");
    let session = c.cookie("thidua_session").unwrap();
    let token = c
        .post_json("/api/v1/me/tokens", json!({"label": "bench"}))
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        Client::with_bearer(&app.base, &token)
            .get("/api/v1/clusters/cum-12")
            .status,
        200
    );
    super::support::KEEP_LOGS.store(false, std::sync::atomic::Ordering::Relaxed);
    let before = rss_kib("VmRSS:");
    let page = wrk(
        &format!("{}/clusters/cum-12", app.base),
        &format!("Cookie: thidua_session={session}"),
    );
    let api = wrk(
        &format!("{}/api/v1/clusters/cum-12", app.base),
        &format!("Authorization: Bearer {token}"),
    );
    eprintln!("cluster page (cookie session): {}", summary(&page));
    eprintln!("GET /api/v1/clusters/cum-12 (bearer): {}", summary(&api));
    eprintln!(
        "memory of the test process (server + fixture + client; logs formatted, not kept): RSS before {} MiB, peak (VmHWM) {} MiB, after {} MiB",
        before / 1024,
        rss_kib("VmHWM:") / 1024,
        rss_kib("VmRSS:") / 1024
    );
}
