//! Operational metrics in the Prometheus text format (version 0.0.4) at `/metrics`: requests
//! by route and status with latency histograms, commands appended to the log and their
//! duration, the replay at start and the progress of the background audit of its snapshot, the
//! log's size, each witness's last cosignature age, sign-in failures. Not public by default:
//! the endpoint answers a bearer token ([`MetricsAccess::Token`], `THIDUA_METRICS_TOKEN`) or
//! everyone when configured so ([`MetricsAccess::Public`]), and 404 otherwise.
//!
//! Routes are labelled by their pattern (`/api/v1/clusters/{id}`), never by the raw path, so the
//! number of series stays bounded whatever clients ask for. Written by hand (a few counters and
//! histograms) rather than with a metrics library.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Who may read `/metrics`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Nobody: the endpoint answers 404 (the default).
    #[default]
    Off,
    /// Requests with `Authorization: Bearer <token>`.
    Token(String),
    /// Everyone (behind a network that only lets the monitoring system in).
    Public,
}

/// Upper bounds (seconds) of the latency histograms' buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A latency histogram: counts per bucket, the sum in microseconds, the count.
#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    sum_us: u64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, d: Duration) {
        let secs = d.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.buckets[i] += 1;
            }
        }
        self.sum_us += d.as_micros() as u64;
        self.count += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, n) in BUCKETS.iter().zip(self.buckets) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(
            out,
            "{name}_sum{braces} {}",
            self.sum_us as f64 / 1_000_000.0
        );
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// Everything counted since the server started.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    commands: Mutex<BTreeMap<&'static str, Histogram>>,
    appended_events: AtomicU64,
    sign_in_failures: AtomicU64,
    sign_in_refused: AtomicU64,
    replayed_events: AtomicU64,
    replay_ms: AtomicU64,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// One witness's newest cosignature, for [`Metrics::render`].
pub struct WitnessAge {
    pub unit: String,
    pub age_seconds: f64,
}

/// What the log looks like when metrics are read.
#[derive(Default)]
pub struct LogFigures {
    pub size: u64,
    pub signed: u64,
    /// The background audit of the start-up snapshot: (events replayed, events to replay).
    pub audit: (u64, u64),
    pub witnesses: Vec<WitnessAge>,
}

/// Escapes a label value (`\`, `"` and newlines).
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, method: &str, status: u16, took: Duration) {
        let mut requests = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        drop(requests);
        let mut latency = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        latency.entry(route.to_owned()).or_default().observe(took);
    }

    /// Counts one execution of commands (`ok`: appended; else the outcome's kind) and, when
    /// appended, how many events it added.
    pub fn command(&self, outcome: &'static str, events: u64, took: Duration) {
        let mut commands = self.commands.lock().unwrap_or_else(|p| p.into_inner());
        commands.entry(outcome).or_default().observe(took);
        self.appended_events.fetch_add(events, Ordering::Relaxed);
    }

    /// Counts a sign-in whose password was wrong (`refused`: turned away by the throttle).
    pub fn sign_in_failed(&self, refused: bool) {
        let counter = if refused {
            &self.sign_in_refused
        } else {
            &self.sign_in_failures
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Records the replay done at start: how many events, how long.
    pub fn replayed(&self, events: u64, took: Duration) {
        self.replayed_events.store(events, Ordering::Relaxed);
        self.replay_ms
            .store(took.as_millis() as u64, Ordering::Relaxed);
    }

    /// The Prometheus text exposition.
    pub fn render(&self, log: &LogFigures) -> String {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("# HELP thidua_http_requests_total HTTP requests answered, by route pattern, method and status.\n# TYPE thidua_http_requests_total counter\n");
        for ((route, method, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "thidua_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP thidua_http_request_duration_seconds Time to answer a request, by route pattern.\n# TYPE thidua_http_request_duration_seconds histogram\n");
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            h.render(
                &mut out,
                "thidua_http_request_duration_seconds",
                &format!("route=\"{}\"", label(route)),
            );
        }
        out.push_str("# HELP thidua_command_duration_seconds Executing commands (decide, sign, append), by outcome.\n# TYPE thidua_command_duration_seconds histogram\n");
        for (outcome, h) in self
            .commands
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            h.render(
                &mut out,
                "thidua_command_duration_seconds",
                &format!("outcome=\"{outcome}\""),
            );
        }
        let counters = [
            (
                "thidua_appended_events_total",
                "Events this server appended to the log.",
                &self.appended_events,
            ),
            (
                "thidua_sign_in_failures_total",
                "Sign-ins with a wrong user or password.",
                &self.sign_in_failures,
            ),
            (
                "thidua_sign_in_refused_total",
                "Sign-ins turned away by the throttle before any password check.",
                &self.sign_in_refused,
            ),
        ];
        for (name, help, value) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let gauges = [
            (
                "thidua_replay_events",
                "Events replayed when the server started.",
                self.replayed_events.load(Ordering::Relaxed) as f64,
            ),
            (
                "thidua_replay_seconds",
                "Time the replay at start took.",
                self.replay_ms.load(Ordering::Relaxed) as f64 / 1000.0,
            ),
            (
                "thidua_log_size",
                "Events in the log, as this server has replayed them.",
                log.size as f64,
            ),
            (
                "thidua_log_signed_size",
                "Size of the newest signed checkpoint.",
                log.signed as f64,
            ),
            (
                "thidua_snapshot_audit_events",
                "Events the background audit of the start-up snapshot has replayed from the first one.",
                log.audit.0 as f64,
            ),
            (
                "thidua_snapshot_audit_target_events",
                "Events that audit replays (the snapshot's size; 0 when start-up used no snapshot).",
                log.audit.1 as f64,
            ),
        ];
        for (name, help, value) in gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out.push_str("# HELP thidua_witness_last_cosignature_age_seconds Time since each witness's newest cosignature was received.\n# TYPE thidua_witness_last_cosignature_age_seconds gauge\n");
        for w in &log.witnesses {
            let _ = writeln!(
                out,
                "thidua_witness_last_cosignature_age_seconds{{unit=\"{}\"}} {}",
                label(&w.unit),
                w.age_seconds
            );
        }
        out
    }
}

/// Times and counts every request, by route pattern.
pub async fn layer(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_owned();
    let method = req.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    app.config
        .metrics
        .request(&route, &method, res.status().as_u16(), started.elapsed());
    res
}

/// The newest cosignature of each witness, looked for among the last cosigned checkpoints.
fn witness_ages(app: &AppState, now_ms: i64) -> Vec<WitnessAge> {
    let Some(w) = &app.witnessing else {
        return Vec::new();
    };
    let mut newest: BTreeMap<String, i64> = BTreeMap::new();
    for size in w.witnesses.cosigned_sizes(1, 64).unwrap_or_default() {
        for c in w.witnesses.cosignatures_at(size).unwrap_or_default() {
            let t = newest.entry(c.unit).or_insert(c.received_ms);
            *t = (*t).max(c.received_ms);
        }
    }
    newest
        .into_iter()
        .map(|(unit, ms)| WitnessAge {
            unit,
            age_seconds: (now_ms - ms).max(0) as f64 / 1000.0,
        })
        .collect()
}

/// `GET /metrics`.
pub async fn endpoint(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = match &app.config.metrics_access {
        MetricsAccess::Off => false,
        MetricsAccess::Public => true,
        MetricsAccess::Token(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|sent| crate::accounts::secrets_equal(sent.trim(), token)),
    };
    if !allowed {
        return crate::error::ApiError::not_found().into_response();
    }
    let figures = app
        .blocking(|app| {
            let signed = app
                .service
                .store()
                .latest_checkpoint()?
                .map_or(0, |c| c.size);
            Ok(LogFigures {
                size: app.service.read().size,
                signed,
                audit: app.service.audit_progress(),
                witnesses: witness_ages(app, crate::accounts::now_ms()),
            })
        })
        .await;
    match figures {
        Ok(figures) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            app.config.metrics.render(&figures),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_text_format() {
        let m = Metrics::default();
        m.request(
            "/api/v1/clusters/{id}",
            "GET",
            200,
            Duration::from_millis(3),
        );
        m.request(
            "/api/v1/clusters/{id}",
            "GET",
            404,
            Duration::from_millis(40),
        );
        m.command("appended", 2, Duration::from_millis(12));
        m.sign_in_failed(false);
        m.replayed(1_000, Duration::from_millis(1_500));
        let text = m.render(&LogFigures {
            size: 7,
            signed: 7,
            audit: (3, 5),
            witnesses: vec![WitnessAge {
                unit: "ca-kg".into(),
                age_seconds: 12.5,
            }],
        });
        for line in [
            "thidua_http_requests_total{route=\"/api/v1/clusters/{id}\",method=\"GET\",status=\"404\"} 1",
            "thidua_http_request_duration_seconds_bucket{route=\"/api/v1/clusters/{id}\",le=\"0.005\"} 1",
            "thidua_http_request_duration_seconds_bucket{route=\"/api/v1/clusters/{id}\",le=\"+Inf\"} 2",
            "thidua_http_request_duration_seconds_count{route=\"/api/v1/clusters/{id}\"} 2",
            "thidua_command_duration_seconds_count{outcome=\"appended\"} 1",
            "thidua_appended_events_total 2",
            "thidua_sign_in_failures_total 1",
            "thidua_replay_events 1000",
            "thidua_replay_seconds 1.5",
            "thidua_log_size 7",
            "thidua_snapshot_audit_events 3",
            "thidua_snapshot_audit_target_events 5",
            "thidua_witness_last_cosignature_age_seconds{unit=\"ca-kg\"} 12.5",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line}:\n{text}");
        }
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
