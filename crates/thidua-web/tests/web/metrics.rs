//! `/metrics` over HTTP: closed by default, open to its token (or to all when configured),
//! requests counted by route pattern (never the raw path), commands and sign-in failures.

use thidua_web::metrics::MetricsAccess;

use super::support::{signed_in, spawn, spawn_configured, Backend, Client, PASSWORD};

fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {series} in:\n{text}"))
}

#[test]
fn metrics_are_closed_by_default() {
    let app = spawn(Backend::Sqlite).unwrap();
    assert_eq!(Client::new(&app.base).get("/metrics").status, 404);
    let admin = signed_in(&app, "quantri");
    assert_eq!(
        admin.get("/metrics").status,
        404,
        "not even to a signed-in user"
    );
}

#[test]
fn metrics_count_requests_commands_and_sign_in_failures() {
    let app = spawn_configured(Backend::Sqlite, |c| {
        c.metrics_access = MetricsAccess::Token("metrics-secret-token-42".into());
    })
    .unwrap();
    let anonymous = Client::new(&app.base);
    assert_eq!(anonymous.get("/metrics").status, 404);
    assert_eq!(
        Client::with_bearer(&app.base, "sai").get("/metrics").status,
        404
    );
    assert_eq!(anonymous.login("canbo-kg", "sai mật khẩu").status, 401);
    let leader = signed_in(&app, "lanhdao-ag");
    for _ in 0..3 {
        assert_eq!(leader.get("/api/v1/clusters/cum-12").status, 200);
    }
    assert_eq!(leader.get("/api/v1/clusters/khong-co").status, 404);
    assert_eq!(anonymous.get("/khong-co-trang-nay-1234").status, 404);
    let r = leader.post_json(
        "/api/v1/commands",
        serde_json::json!({"command": "register_witness_key", "unit": "ca-ag", "key": "ca-ag.witness+00000000+AQ=="}),
    );
    assert!(r.status == 200 || r.status == 422, "{}", r.body);

    let scraper = Client::with_bearer(&app.base, "metrics-secret-token-42");
    let m = scraper.get("/metrics");
    assert_eq!(m.status, 200);
    assert!(m
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = m.body;
    let route = "route=\"/api/v1/clusters/{id}\"";
    assert_eq!(
        value(
            &text,
            &format!("thidua_http_requests_total{{{route},method=\"GET\",status=\"200\"}}")
        ),
        3.0
    );
    assert_eq!(
        value(
            &text,
            &format!("thidua_http_requests_total{{{route},method=\"GET\",status=\"404\"}}")
        ),
        1.0
    );
    assert_eq!(
        value(
            &text,
            &format!("thidua_http_request_duration_seconds_count{{{route}}}")
        ),
        4.0
    );
    assert!(!text.contains("khong-co"), "raw paths never become labels");
    assert!(text.contains("route=\"unmatched\""));
    assert_eq!(value(&text, "thidua_sign_in_failures_total"), 1.0);
    let commands: f64 = ["appended", "refused"]
        .iter()
        .filter_map(|o| {
            text.lines().find_map(|l| {
                l.strip_prefix(&format!(
                    "thidua_command_duration_seconds_count{{outcome=\"{o}\"}} "
                ))?
                .parse::<f64>()
                .ok()
            })
        })
        .sum();
    assert_eq!(commands, 1.0, "{text}");
    assert_eq!(
        value(&text, "thidua_log_size"),
        app.service.read().size as f64
    );
    assert_eq!(anonymous.login("canbo-kg", PASSWORD).status, 303);
}

#[test]
fn metrics_can_be_public() {
    let app = spawn_configured(Backend::Sqlite, |c| {
        c.metrics_access = MetricsAccess::Public
    })
    .unwrap();
    let text = Client::new(&app.base).get("/metrics").body;
    assert!(text.contains("# TYPE thidua_log_size gauge"), "{text}");
}
