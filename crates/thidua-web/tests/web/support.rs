//! Test support: a real server on port 0 over a fresh SQLite file or a fresh PostgreSQL schema,
//! loaded with Cluster No. 12 by executing domain commands as the System actor, and a small
//! HTTP client with a cookie jar.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use thidua_domain::calendar::default_calendar;
use thidua_domain::model::{
    Comparison, CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, LineageKind,
    Role, Target, TargetKind, UnitKind,
};
use thidua_domain::{
    Actor, ClusterId, Command, CovenantId, MovementId, TargetId, Text, UnitId, UserId,
};
use thidua_service::{LogKey, Service};
use thidua_store::accounts::AccountStore;
use thidua_store::witness::WitnessStore;
use thidua_store::EventStore;
use thidua_web::WebConfig;

/// The password of every fixture account.
pub const PASSWORD: &str = "mật-khẩu-thử-nghiệm";

/// Fixture users: (id, display name, roles).
pub const USERS: &[(&str, &str, &[&str])] = &[
    ("quantri", "Quản Trị Viên", &["admin"]),
    ("thuky12", "Thư Ký Cụm 12", &["secretariat:cum-12"]),
    ("canbo-kg", "Cán Bộ Kiên Giang", &["officer:ca-kg"]),
    ("lanhdao-kg", "Lãnh Đạo Kiên Giang", &["leader:ca-kg"]),
    ("lanhdao-ag", "Lãnh Đạo An Giang", &["leader:ca-ag"]),
    ("giamsat12", "Giám Sát Cụm 12", &["supervisor:cum-12"]),
    ("canbo-dt", "Cán Bộ Đồng Tháp", &["officer:ca-dt"]),
    ("giamsat-bo", "Giám Sát Toàn Bộ", &["ministry_supervisor"]),
];

pub enum Backend {
    Sqlite,
    Postgres,
}

/// The service's clock, set by a test: the time its events carry and its decisions (and the
/// pages' dry runs) are judged at, so that a test can stand on a window's last day or a week
/// after a tie. Salts stay random.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    /// Noon in Vietnam (05:00 UTC) on `day`, milliseconds since the epoch.
    pub fn noon(day: NaiveDate) -> i64 {
        day.and_hms_opt(5, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
    }

    /// Moves the clock to noon in Vietnam on `day`.
    pub fn set(&self, day: NaiveDate) {
        self.0.store(Self::noon(day), Ordering::SeqCst);
    }
}

impl thidua_service::Environment for TestClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    fn salt(&self) -> [u8; 16] {
        thidua_service::SystemEnvironment.salt()
    }
}

/// A running server and what it runs on.
pub struct TestApp {
    /// Declared first: dropped (stopped and joined) before the stores, so that the server's
    /// runtime never drops the last handle of a PostgreSQL client.
    _server: Server,
    pub base: String,
    pub service: Arc<Service>,
    pub accounts: Arc<dyn AccountStore>,
    /// The service's clock when the test set one ([`spawn_at`]); the real time otherwise.
    pub clock: Option<TestClock>,
    _dir: tempfile::TempDir,
    /// Last: the PostgreSQL schema is dropped after the stores that use it.
    _schema: Option<thidua_store_postgres::TestSchema>,
}

fn text(s: &str) -> Text {
    Text::parse("text", s, 500).unwrap()
}

fn unit(s: &str) -> UnitId {
    UnitId::parse(s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// Whether log lines are kept (the load figures turn it off so that memory is the server's).
pub static KEEP_LOGS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if KEEP_LOGS.load(std::sync::atomic::Ordering::Relaxed) {
            LOGS.lock().unwrap().extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line of the test binary (JSON, as in production) for inspection.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_env_filter(tracing_subscriber::EnvFilter::new(format!(
                "debug,{}",
                thidua_web::REQUIRED_LOG_DIRECTIVES
            )))
            .with_writer(|| LogWriter)
            .try_init();
    });
}

/// Everything logged so far.
pub fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

/// Starts a server on a fresh database, or `None` (with a visible message) when PostgreSQL is
/// unreachable outside CI.
pub fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, true)
}

/// Like [`spawn`]; without the fixture when `fixture` is false (an empty log).
pub fn spawn_with(backend: Backend, fixture: bool) -> Option<TestApp> {
    spawn_full(backend, fixture, None)
}

/// Like [`spawn_with`], with extra routes merged into the server (`serve_with`).
pub fn spawn_full(
    backend: Backend,
    fixture: bool,
    extra: Option<axum::Router<thidua_web::AppState>>,
) -> Option<TestApp> {
    spawn_inner(
        backend,
        fixture,
        extra,
        false,
        WebConfig::new(localhost()),
        None,
    )
}

/// Like [`spawn`], with the service's clock at noon in Vietnam on `day` (the fixture's events
/// carry it too); the test moves it with `app.clock`.
pub fn spawn_at(backend: Backend, day: NaiveDate) -> Option<TestApp> {
    let clock = TestClock(Arc::new(AtomicI64::new(TestClock::noon(day))));
    let config = WebConfig::new(localhost());
    spawn_inner(backend, true, None, false, config, Some(clock))
}

/// Like [`spawn`], with the server's configuration changed by `configure`.
pub fn spawn_configured(
    backend: Backend,
    configure: impl FnOnce(&mut WebConfig),
) -> Option<TestApp> {
    let mut config = WebConfig::new(localhost());
    configure(&mut config);
    spawn_inner(backend, true, None, false, config, None)
}

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// The fixture served as `thidua serve` does: the transparency crate's public log router
/// merged in (entries readable by all), and the pages told about witness cosignatures
/// (`serve_witnessed`), judged by the log's own quorum.
pub fn spawn_witnessed(backend: Backend) -> Option<TestApp> {
    spawn_inner(backend, true, None, true, WebConfig::new(localhost()), None)
}

type Stores = (
    Arc<dyn EventStore>,
    Arc<dyn AccountStore>,
    Arc<dyn WitnessStore>,
);

fn spawn_inner(
    backend: Backend,
    fixture: bool,
    extra: Option<axum::Router<thidua_web::AppState>>,
    witnessed: bool,
    config: WebConfig,
    clock: Option<TestClock>,
) -> Option<TestApp> {
    capture_logs();
    let dir = tempfile::tempdir().unwrap();
    let mut test_schema = None;
    let (events, accounts, witnesses): Stores = match backend {
        Backend::Sqlite => {
            let s = Arc::new(
                thidua_store_sqlite::SqliteStore::open(&dir.path().join("thidua.db")).unwrap(),
            );
            (s.clone(), s.clone(), s)
        }
        Backend::Postgres => {
            // The one PostgreSQL probe: skips outside CI, fails in CI.
            let url = thidua_store_postgres::test_database_url()?;
            let schema = thidua_store_postgres::TestSchema::new(&url, "web");
            let s = Arc::new(
                thidua_store_postgres::PostgresStore::open_in_schema(&url, Some(&schema.name))
                    .unwrap(),
            );
            test_schema = Some(schema);
            (s.clone(), s.clone(), s)
        }
    };
    let key = LogKey::load_or_create(&dir.path().join("log.key"), "test.thidua/log").unwrap();
    let env: Box<dyn thidua_service::Environment> = match &clock {
        Some(clock) => Box::new(clock.clone()),
        None => Box::new(thidua_service::SystemEnvironment),
    };
    let service = Arc::new(Service::open_with(events, key, env, &|_, _| {}).unwrap());
    if fixture {
        load_fixture(&service, &*accounts);
    }
    let (extra, witnessing) = match witnessed {
        true => (
            Some(thidua_transparency::router(
                service.clone(),
                witnesses.clone(),
                thidua_transparency::LogApiConfig {
                    access: Arc::new(thidua_transparency::ReadAll),
                },
            )),
            Some(thidua_web::Witnessing::new(witnesses)),
        ),
        false => (extra, None),
    };
    let server = Server::start(service.clone(), accounts.clone(), config, extra, witnessing);
    Some(TestApp {
        base: server.base.clone(),
        service,
        accounts,
        clock,
        _server: server,
        _dir: dir,
        _schema: test_schema,
    })
}

/// One running HTTP server (stopped when dropped).
pub struct Server {
    pub base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Server {
    /// Serves `service` and `accounts` on a background runtime; returns once the port is bound.
    pub fn start(
        service: Arc<Service>,
        accounts: Arc<dyn AccountStore>,
        config: WebConfig,
        extra: Option<axum::Router<thidua_web::AppState>>,
        witnessing: Option<thidua_web::Witnessing>,
    ) -> Server {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                thidua_web::serve_witnessed(
                    service,
                    accounts,
                    config,
                    extra,
                    witnessing,
                    move |a| addr_tx.send(a).unwrap(),
                    async {
                        let _ = stop_rx.await;
                    },
                )
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        Server {
            base: format!("http://{addr}"),
            shutdown: Some(stop_tx),
            thread: Some(thread),
        }
    }
}

impl TestApp {
    /// Another server over the same database, as after a restart or on a second machine: it
    /// shares nothing with the first but the stores.
    pub fn another_server(&self) -> Server {
        Server::start(
            self.service.clone(),
            self.accounts.clone(),
            WebConfig::new(localhost()),
            None,
            None,
        )
    }

    /// A second server with a service of its own on the same stores and no follower thread:
    /// another machine of a deployment on one database, which sees what the others appended
    /// only when it reads the log.
    pub fn second_machine(&self) -> Server {
        let key = LogKey::load(&self._dir.path().join("log.key")).unwrap();
        let env: Box<dyn thidua_service::Environment> = match &self.clock {
            Some(clock) => Box::new(clock.clone()),
            None => Box::new(thidua_service::SystemEnvironment),
        };
        let service = Service::open_with(self.service.store().clone(), key, env, &|_, _| {});
        Server::start(
            Arc::new(service.unwrap()),
            self.accounts.clone(),
            WebConfig::new(localhost()),
            None,
            None,
        )
    }
}

fn target(
    id: &str,
    area: &str,
    kind: TargetKind,
    subject: &str,
    cmp: Comparison,
    threshold: Option<&str>,
    uom: Option<&str>,
) -> Target {
    Target {
        id: TargetId::parse(id).unwrap(),
        area: text(area),
        kind,
        subject: text(subject),
        comparison: cmp,
        threshold: threshold.map(|t| Decimal::from_str(t).unwrap()),
        range: None,
        baseline_year: (kind == TargetKind::Change).then_some(2023),
        unit_of_measure: uom.map(text),
        indicator: None,
    }
}

/// The example scoring regulation of Cluster No. 12 (as a secretariat would paste it).
pub const REGULATION: &str = include_str!("../../../../examples/cum12-2024/regulation.toml");

/// The year-end of `covenant` as the secretariat opens it on `today`: a week for the dossiers
/// and the seeds, three for the answers (the reveal deadline the default), one inspector per
/// unit, `record_sample` case files re-checked.
pub fn year_end_opening(
    covenant: &CovenantId,
    today: NaiveDate,
    record_sample: u32,
) -> thidua_domain::yearend::YearEndCommand {
    thidua_domain::yearend::YearEndCommand::Open {
        covenant: covenant.clone(),
        dossier_deadline: today + chrono::Duration::days(7),
        commit_deadline: today + chrono::Duration::days(7),
        reveal_deadline: None,
        response_deadline: today + chrono::Duration::days(21),
        inspectors: 1,
        record_sample,
        acknowledge_missing_figures: false,
    }
}

/// Cluster 12's covenant of 2025 (`gu-12-2025`, under a 2025 movement), signed by its three
/// members after the mergers (An Giang, Cà Mau, Cần Thơ) and so frozen.
pub fn signed_2025_covenant(service: &Service) -> CovenantId {
    signed_2025_covenant_with(service, |_| {})
}

/// [`signed_2025_covenant`] with its content changed by `change` before it is drafted (other
/// targets).
pub fn signed_2025_covenant_with(
    service: &Service,
    change: impl FnOnce(&mut CovenantContent),
) -> CovenantId {
    let covenant = CovenantId::parse("gu-12-2025").unwrap();
    let movement = MovementId::parse("vi-an-ninh-2025").unwrap();
    let mut content = content_of_year(2025, "Giao ước thi đua năm 2025 — Cụm thi đua số 12");
    change(&mut content);
    service
        .execute_all(
            &Actor::System,
            vec![
                Command::CreateMovement {
                    movement: movement.clone(),
                    name: text("Vì an ninh Tổ quốc"),
                    year: 2025,
                    plan_ref: text("12/KH-BCA"),
                    slogan: None,
                    calendar: default_calendar(2025),
                },
                Command::DraftCovenant {
                    covenant: covenant.clone(),
                    movement,
                    cluster: ClusterId::parse("cum-12").unwrap(),
                    content,
                },
            ],
        )
        .unwrap();
    let hash = service.read().covenants[&covenant].latest().hash.clone();
    for m in ["ca-ag", "ca-cm", "ca-ct"] {
        let sign = Command::SignCovenant {
            covenant: covenant.clone(),
            version: 1,
            unit: unit(m),
            hash: hash.clone(),
        };
        service.execute(&Actor::System, sign).unwrap();
    }
    covenant
}

/// The fixture's covenant content for another `year`: signed on 26 March of it, its baselines
/// and its regulation's year, period and baseline moved with it.
pub fn content_of_year(year: i32, title: &str) -> CovenantContent {
    let mut c = content(title);
    c.signing_date = date(year, 3, 26);
    for t in &mut c.targets {
        if t.baseline_year.is_some() {
            t.baseline_year = Some(year - 1);
        }
    }
    let text = REGULATION
        .replace("\nyear = 2024", &format!("\nyear = {year}"))
        .replace("\"2024-Y\"", &format!("\"{year}-Y\""))
        .replace(
            "baseline_year = 2023",
            &format!("baseline_year = {}", year - 1),
        );
    c.regulation = thidua_domain::covenant::regulation_doc(&text).unwrap();
    c
}

fn content(title: &str) -> CovenantContent {
    use Comparison::*;
    use TargetKind::*;
    let mut suspended = target(
        "t2",
        "Phòng, chống tội phạm",
        Change,
        "Giảm án, việc tạm đình chỉ",
        Between,
        None,
        Some("%"),
    );
    suspended.range = Some((Decimal::from(5), Decimal::from(10)));
    CovenantContent {
        title: text(title),
        place: text("Kiên Giang"),
        signing_date: date(2024, 3, 26),
        targets: vec![
            Target {
                indicator: Some("crimes".into()),
                ..target(
                    "t1",
                    "Phòng, chống tội phạm",
                    Change,
                    "Giảm tội phạm về trật tự xã hội",
                    AtLeast,
                    Some("5"),
                    Some("%"),
                )
            },
            suspended,
            Target {
                indicator: Some("resolved_rate".into()),
                ..target(
                    "t3",
                    "Phòng, chống tội phạm",
                    Rate,
                    "Tỷ lệ giải quyết tố giác, tin báo",
                    Above,
                    Some("90"),
                    Some("%"),
                )
            },
            target(
                "t4",
                "Phòng, chống tội phạm",
                Rate,
                "Tỷ lệ điều tra, khám phá án",
                Above,
                Some("75"),
                Some("%"),
            ),
            target(
                "t5",
                "Xây dựng lực lượng",
                Rate,
                "Cán bộ bị kỷ luật trên tổng quân số",
                Below,
                Some("0.5"),
                Some("%"),
            ),
            target(
                "t6",
                "Bảo đảm an ninh",
                YesNo,
                "Không để hình thành băng nhóm tội phạm nguy hiểm",
                Holds,
                None,
                None,
            ),
            target(
                "t7",
                "Xây dựng Đảng",
                Qualitative,
                "Ba khâu đột phá",
                Judged,
                None,
                None,
            ),
        ],
        regulation: thidua_domain::covenant::regulation_doc(REGULATION).unwrap(),
    }
}

/// The commands creating each provincial police `(id, name, short code)`, established on
/// 01/01/2004 under no parent.
pub fn provincial_police(units: &[(&str, &str, &str)]) -> Vec<Command> {
    let units = units.iter().map(|(id, name, code)| Command::CreateUnit {
        unit: unit(id),
        name: text(name),
        short_code: text(code),
        kind: UnitKind::ProvincialPolice,
        parent: None,
        established: date(2004, 1, 1),
    });
    units.collect()
}

/// Cluster No. 12 (five provinces, 2024, head and deputy, a covenant to sign), the 2025
/// mergers, and Cluster No. 13 (two other provinces) as the foreign scope; one user per role.
pub fn load_fixture(service: &Service, accounts: &dyn AccountStore) {
    let mut cmds = Vec::new();
    let units = [
        ("ca-kg", "Công an tỉnh Kiên Giang", "CAKG"),
        ("ca-ag", "Công an tỉnh An Giang", "CAAG"),
        ("ca-hg", "Công an tỉnh Hậu Giang", "CAHG"),
        ("ca-cm", "Công an tỉnh Cà Mau", "CACM"),
        ("ca-bl", "Công an tỉnh Bạc Liêu", "CABL"),
        ("ca-st", "Công an tỉnh Sóc Trăng", "CAST"),
        ("ca-ct", "Công an thành phố Cần Thơ", "CACT"),
        ("ca-dt", "Công an tỉnh Đồng Tháp", "CADT"),
        ("ca-vl", "Công an tỉnh Vĩnh Long", "CAVL"),
    ];
    cmds.extend(provincial_police(&units));
    let c12 = ClusterId::parse("cum-12").unwrap();
    let c13 = ClusterId::parse("cum-13").unwrap();
    cmds.push(Command::CreateCluster {
        cluster: c12.clone(),
        name: text("Cụm thi đua số 12"),
    });
    cmds.push(Command::CreateCluster {
        cluster: c13.clone(),
        name: text("Cụm thi đua số 13"),
    });
    cmds.push(Command::SetClusterYear {
        cluster: c12.clone(),
        year: 2024,
        members: ["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"]
            .map(unit)
            .to_vec(),
    });
    cmds.push(Command::SetClusterYear {
        cluster: c13.clone(),
        year: 2024,
        members: ["ca-dt", "ca-vl"].map(unit).to_vec(),
    });
    for (pos, u) in [
        (LeadershipPosition::Head, "ca-kg"),
        (LeadershipPosition::Deputy, "ca-ag"),
    ] {
        cmds.push(Command::SetClusterLeadership {
            cluster: c12.clone(),
            year: 2024,
            position: pos,
            unit: unit(u),
            method: LeadershipMethod::Elected,
            decision: text("01/BB-CTĐ12"),
        });
    }
    let movement = MovementId::parse("vi-an-ninh-2024").unwrap();
    cmds.push(Command::CreateMovement {
        movement: movement.clone(),
        name: text("Vì an ninh Tổ quốc"),
        year: 2024,
        plan_ref: text("84/KH-BCA"),
        slogan: None,
        calendar: default_calendar(2024),
    });
    // A thematic movement of the same year, under which the tests draft a cluster's second
    // covenant (a cluster has one covenant per movement).
    cmds.push(Command::CreateMovement {
        movement: MovementId::parse("chuyen-de-2024").unwrap(),
        name: text("Thi đua chuyên đề bảo đảm trật tự, an toàn giao thông"),
        year: 2024,
        plan_ref: text("15/KH-BCA"),
        slogan: None,
        calendar: default_calendar(2024),
    });
    cmds.push(Command::DraftCovenant {
        covenant: CovenantId::parse("gu-12-2024").unwrap(),
        movement: movement.clone(),
        cluster: c12.clone(),
        content: content("Giao ước thi đua năm 2024 — Cụm thi đua số 12"),
    });
    cmds.push(Command::DraftCovenant {
        covenant: CovenantId::parse("gu-13-2024").unwrap(),
        movement,
        cluster: c13,
        content: content("Giao ước thi đua năm 2024 — Cụm thi đua số 13"),
    });
    for (preds, succ) in [
        (vec!["ca-ag", "ca-kg"], "ca-ag"),
        (vec!["ca-cm", "ca-bl"], "ca-cm"),
        (vec!["ca-ct", "ca-hg", "ca-st"], "ca-ct"),
    ] {
        cmds.push(Command::RecordLineage {
            change: LineageChange {
                kind: LineageKind::Merge,
                predecessors: preds.into_iter().map(unit).collect(),
                successors: vec![unit(succ)],
                effective: date(2025, 7, 1),
                decision: text("Nghị quyết 202/2025/QH15"),
            },
        });
    }
    cmds.push(Command::SetClusterYear {
        cluster: c12,
        year: 2025,
        members: ["ca-ag", "ca-cm", "ca-ct"].map(unit).to_vec(),
    });
    for (id, name, roles) in USERS {
        let user = UserId::parse(id).unwrap();
        cmds.push(Command::RegisterUser {
            user: user.clone(),
            display_name: text(name),
            demo: true,
        });
        for r in *roles {
            cmds.push(Command::GrantRole {
                user: user.clone(),
                role: Role::from_str(r).unwrap(),
            });
        }
    }
    service.execute_all(&Actor::System, cmds).unwrap();
    for (id, _, _) in USERS {
        thidua_web::accounts::set_password(
            accounts,
            service,
            &UserId::parse(id).unwrap(),
            PASSWORD,
        )
        .unwrap();
    }
}

/// An HTTP answer.
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `Set-Cookie` value starting a session (empty if none).
    pub fn session_cookie(&self) -> String {
        self.headers
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("thidua_session="))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a CSRF token") + marker.len();
        let end = self.body[start..].find('"').unwrap();
        self.body[start..start + end].to_owned()
    }
}

/// A client with a cookie jar and an optional bearer token.
pub struct Client {
    pub base: String,
    agent: ureq::Agent,
    cookies: Mutex<BTreeMap<String, String>>,
    pub bearer: Option<String>,
    /// The session's CSRF token, for cookie-authenticated API writes.
    pub csrf: Mutex<Option<String>>,
    /// Headers sent with every request (e.g. `X-Forwarded-For`).
    extra_headers: Mutex<Vec<(String, String)>>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            cookies: Mutex::new(BTreeMap::new()),
            bearer: None,
            csrf: Mutex::new(None),
            extra_headers: Mutex::new(Vec::new()),
        }
    }

    /// Sends `name: value` with every further request.
    pub fn set_header(&self, name: &str, value: &str) {
        self.extra_headers
            .lock()
            .unwrap()
            .push((name.to_owned(), value.to_owned()));
    }

    pub fn with_bearer(base: &str, token: &str) -> Self {
        let mut c = Self::new(base);
        c.bearer = Some(token.to_owned());
        c
    }

    /// The same session (cookies, token, CSRF token) speaking to the server at `base`.
    pub fn at(&self, base: &str) -> Client {
        let c = Client::new(base);
        *c.cookies.lock().unwrap() = self.cookies.lock().unwrap().clone();
        *c.csrf.lock().unwrap() = self.csrf.lock().unwrap().clone();
        Client {
            bearer: self.bearer.clone(),
            ..c
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        let mut req = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        let jar = self.cookies.lock().unwrap();
        if !jar.is_empty() {
            let c: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.set("Cookie", &c.join("; "));
        }
        if let Some(b) = &self.bearer {
            req = req.set("Authorization", &format!("Bearer {b}"));
        }
        for (name, value) in self.extra_headers.lock().unwrap().iter() {
            req = req.set(name, value);
        }
        if method != "GET" {
            if let Some(t) = self.csrf.lock().unwrap().as_ref() {
                req = req.set("x-csrf-token", t);
            }
        }
        req
    }

    fn finish(&self, result: Result<ureq::Response, ureq::Error>) -> Resp {
        let res = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("request failed: {e}"),
        };
        let mut headers = Vec::new();
        for name in res.headers_names() {
            for v in res.all(&name) {
                headers.push((name.clone(), v.to_owned()));
            }
        }
        {
            let mut jar = self.cookies.lock().unwrap();
            for (k, v) in &headers {
                if k.eq_ignore_ascii_case("set-cookie") {
                    let first = v.split(';').next().unwrap_or("");
                    if let Some((name, value)) = first.split_once('=') {
                        if v.contains("Max-Age=0") || value.is_empty() {
                            jar.remove(name);
                        } else {
                            jar.insert(name.to_owned(), value.to_owned());
                        }
                    }
                }
            }
        }
        let status = res.status();
        let body = res.into_string().unwrap_or_default();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str) -> Resp {
        self.finish(self.request("GET", path).call())
    }

    pub fn delete(&self, path: &str) -> Resp {
        self.finish(self.request("DELETE", path).call())
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        self.finish(self.request("POST", path).send_form(fields))
    }

    /// Posts raw bytes (a body no browser would send, e.g. not UTF-8).
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Resp {
        self.finish(
            self.request("POST", path)
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    /// A GET whose body is bytes (a downloaded file).
    pub fn get_bytes(&self, path: &str) -> Vec<u8> {
        let res = self.request("GET", path).call().expect("a download");
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut res.into_reader(), &mut out).unwrap();
        out
    }

    /// Puts a JSON body written by hand (one `serde_json` cannot write: a key given twice).
    pub fn put_raw_json(&self, path: &str, body: &str) -> Resp {
        self.finish(
            self.request("PUT", path)
                .set("Content-Type", "application/json")
                .send_string(body),
        )
    }

    pub fn put_json(&self, path: &str, body: serde_json::Value) -> Resp {
        self.finish(
            self.request("PUT", path)
                .set("Content-Type", "application/json")
                .send_string(&body.to_string()),
        )
    }

    /// [`Self::post_bytes`], or `None` when the connection ended before an answer could be
    /// read (a server refusing a body may close while the client is still sending it).
    pub fn try_post_bytes(&self, path: &str, body: &[u8]) -> Option<Resp> {
        let result = self
            .request("POST", path)
            .set("Content-Type", "application/octet-stream")
            .send_bytes(body);
        match result {
            Err(ureq::Error::Transport(_)) => None,
            other => Some(self.finish(other)),
        }
    }

    pub fn post_bytes(&self, path: &str, body: &[u8]) -> Resp {
        self.finish(
            self.request("POST", path)
                .set("Content-Type", "application/octet-stream")
                .send_bytes(body),
        )
    }

    pub fn post_json(&self, path: &str, body: serde_json::Value) -> Resp {
        self.finish(
            self.request("POST", path)
                .set("Content-Type", "application/json")
                .send_string(&body.to_string()),
        )
    }

    /// Signs in through the form; remembers the session's CSRF token for API writes.
    pub fn login(&self, user: &str, password: &str) -> Resp {
        let page = self.get("/login");
        assert_eq!(page.status, 200, "{}", page.body);
        let res = self.post_form(
            "/login",
            &[
                ("csrf", &page.csrf()),
                ("user", user),
                ("password", password),
            ],
        );
        if res.status == 303 {
            let home = self.get("/");
            *self.csrf.lock().unwrap() = Some(home.csrf());
        }
        res
    }
}

/// Signs `user` in (with the fixture password) and returns the client.
pub fn signed_in(app: &TestApp, user: &str) -> Client {
    let c = Client::new(&app.base);
    let res = c.login(user, PASSWORD);
    assert_eq!(res.status, 303, "sign-in of {user}: {}", res.body);
    c
}

/// Every element of a covenant's reporting form with a plausible figure (`n` for most).
pub fn full_figures(
    service: &Service,
    covenant: &str,
    n: i64,
) -> thidua_domain::figures::FigureMap {
    let form = service
        .read()
        .reporting_form(&CovenantId::parse(covenant).unwrap())
        .unwrap();
    form.elements
        .iter()
        .filter(|e| e.missing.is_none())
        .map(|e| {
            let v = match e.id.as_str() {
                "personnel" => 4000,
                "reports_due" | "reports_received" | "reports_resolved" => 10 * n,
                _ => n,
            };
            (
                e.id.clone(),
                thidua_domain::figures::FigureValue::Number(v.into()),
            )
        })
        .collect()
}

/// A year of figures for `units` of `covenant` (2024): 2023 imported historically
/// ([`full_figures`] at 8 plus the unit's position), and every month of 2024 saved, submitted
/// and approved with `values(position, unit, month)`.
pub fn approved_year(
    service: &Service,
    covenant: &str,
    units: &[&str],
    values: impl Fn(usize, &str, u32) -> thidua_domain::figures::FigureMap,
) {
    approved_year_after(service, covenant, units, |i| 8 + i as i64, values)
}

/// [`approved_year`] with 2023 imported at [`full_figures`] of `history(position)`.
pub fn approved_year_after(
    service: &Service,
    covenant: &str,
    units: &[&str],
    history: impl Fn(usize) -> i64,
    values: impl Fn(usize, &str, u32) -> thidua_domain::figures::FigureMap,
) {
    let id = CovenantId::parse(covenant).unwrap();
    let unit = |u: &str| UnitId::parse(u).unwrap();
    let reports = units
        .iter()
        .enumerate()
        .flat_map(|(i, u)| (1..=12).map(move |m| (i, u, m)))
        .map(|(i, u, m)| thidua_domain::figures::HistoricalReport {
            unit: unit(u),
            year: 2023,
            window: format!("M{m:02}"),
            values: full_figures(service, covenant, history(i)),
        })
        .collect();
    let mut cmds = vec![Command::ImportHistoricalFigures {
        covenant: id.clone(),
        file_name: Text::parse("t", "2023.csv", 100).unwrap(),
        sha256: "ab".repeat(32),
        reports,
    }];
    for (i, u) in units.iter().enumerate() {
        cmds.extend(monthly_reports(covenant, u, 1..=12, true, |m| {
            values(i, u, m)
        }));
    }
    service.execute_all(&Actor::System, cmds).unwrap();
}

/// The commands that save and submit `unit`'s reports of `months` (2024) with `values(month)`,
/// and approve them when `approve`.
pub fn monthly_reports(
    covenant: &str,
    unit: &str,
    months: std::ops::RangeInclusive<u32>,
    approve: bool,
    values: impl Fn(u32) -> thidua_domain::figures::FigureMap,
) -> Vec<Command> {
    let (id, unit) = (CovenantId::parse(covenant).unwrap(), self::unit(unit));
    let mut cmds = Vec::new();
    for m in months {
        let window = format!("M{m:02}");
        cmds.push(Command::SaveFigures {
            covenant: id.clone(),
            unit: unit.clone(),
            window: window.clone(),
            values: values(m),
            comments: Default::default(),
        });
        cmds.push(Command::SubmitFigures {
            covenant: id.clone(),
            unit: unit.clone(),
            window: window.clone(),
            revision: 1,
        });
        if approve {
            cmds.push(Command::ApproveFigures {
                covenant: id.clone(),
                unit: unit.clone(),
                window,
                revision: 1,
            });
        }
    }
    cmds
}

/// The figures of the fixture: both covenants signed by their members; Kiên Giang's and An
/// Giang's January submitted (not approved), their February saved as drafts.
pub fn load_figures(service: &Service) {
    let mut cmds = Vec::new();
    for (covenant, units) in [
        (
            "gu-12-2024",
            &["ca-kg", "ca-ag", "ca-hg", "ca-cm", "ca-bl"][..],
        ),
        ("gu-13-2024", &["ca-dt", "ca-vl"][..]),
    ] {
        let id = CovenantId::parse(covenant).unwrap();
        let hash = service.read().covenants[&id].latest().hash.clone();
        for u in units {
            cmds.push(Command::SignCovenant {
                covenant: id.clone(),
                version: 1,
                unit: unit(u),
                hash: hash.clone(),
            });
        }
    }
    service.execute_all(&Actor::System, cmds).unwrap();
    let mut cmds = Vec::new();
    for (u, n) in [("ca-kg", 7), ("ca-ag", 9)] {
        for window in ["M01", "M02"] {
            cmds.push(Command::SaveFigures {
                covenant: CovenantId::parse("gu-12-2024").unwrap(),
                unit: unit(u),
                window: window.into(),
                values: full_figures(service, "gu-12-2024", n),
                comments: Default::default(),
            });
        }
        cmds.push(Command::SubmitFigures {
            covenant: CovenantId::parse("gu-12-2024").unwrap(),
            unit: unit(u),
            window: "M01".into(),
            revision: 1,
        });
    }
    service.execute_all(&Actor::System, cmds).unwrap();
}

/// The entry of unit `id` in a JSON answer's `units` (progress, mid-year review).
pub fn unit_entry<'a>(p: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    p["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == id)
        .unwrap()
}

/// A `multipart/form-data` body of text `fields` and one file (field `file`): its content type
/// (with the boundary) and bytes, as a browser sends a form with a file.
pub fn multipart(
    fields: &[(&str, &str)],
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "thidua-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n")
            .bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `html` with its tags removed: the text a reader sees.
pub fn without_tags(html: &str) -> String {
    let mut text = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text
}

/// The words of the home page's to-do button that opens `href` (the first such to-do).
pub fn todo_button(home: &str, href: &str) -> String {
    let link = format!("<a class=\"button primary\" href=\"{href}\"");
    let at = home
        .find(&link)
        .unwrap_or_else(|| panic!("a to-do opening {href}: {home}"));
    let rest = &home[at..];
    let start = rest.find('>').map_or(0, |i| i + 1);
    let end = rest.find("</a>").unwrap_or(rest.len());
    without_tags(&rest[start..end]).trim().to_owned()
}

/// The text of the element whose opening tag carries `id` (up to its closing `tag`), tags
/// removed.
pub fn element_text(page: &str, id: &str, tag: &str) -> String {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id}: {page}"));
    let start = at + page[at..].find('>').map_or(0, |i| i + 1);
    let rest = &page[start..];
    let end = rest.find(&format!("</{tag}>")).unwrap_or(rest.len());
    without_tags(&rest[..end])
}
