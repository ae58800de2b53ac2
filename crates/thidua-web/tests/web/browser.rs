//! Browser tests in real headless Chromium (Debian `chromium` + `chromium-driver`), driven over
//! the W3C WebDriver protocol by a tiny client below. With `CI=true` a missing Chromium fails;
//! elsewhere the tests skip with a visible message. Screenshots go to
//! `target/artifacts/screenshots/`.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use super::support::{spawn, Backend, TestApp, PASSWORD};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process and one browser session.
struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("artifacts/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or `None` (skip) outside CI.
    fn start() -> Option<Browser> {
        let installed = [CHROMEDRIVER, CHROMIUM]
            .iter()
            .all(|p| std::path::Path::new(p).exists())
            .then_some(())
            .ok_or_else(|| {
                format!("no {CHROMIUM} / {CHROMEDRIVER}: apt-get install chromium chromium-driver")
            });
        thidua_store::testing::required("Chromium", installed)?;
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-quic", "--no-first-run",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                         format!("--user-data-dir={}", profile.path().display())]
            }
        }}});
        let res: Value = ureq::post(&format!("{base}/session"))
            .send_json(caps)
            .expect("a WebDriver session")
            .into_json()
            .unwrap();
        let session = res["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_owned();
        Some(Browser {
            driver,
            base,
            session,
            _profile: profile,
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let req = ureq::request(method, &url);
        let res = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let res = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("WebDriver {path}: {e}"),
        };
        let v: Value = res.into_json().unwrap();
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({"url": url})));
    }

    fn find(&self, css: &str) -> Option<String> {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        let found = v.get("element-6066-11e4-a52e-4f735466cecf");
        if found.is_none() && std::env::var_os("THIDUA_DEBUG_WEBDRIVER").is_some() {
            eprintln!("find {css}: {v}");
        }
        found?.as_str().map(str::to_owned)
    }

    fn must(&self, css: &str) -> String {
        self.find(css)
            .unwrap_or_else(|| panic!("no element {css} on {}", self.url()))
    }

    /// Waits (up to 10 s) for an element: a click that submits a form returns before the next
    /// page has loaded.
    fn wait_for(&self, css: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.find(css).is_some() {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (up to 10 s) for the page to contain `needle`.
    fn wait_text(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.source().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn type_into(&self, css: &str, text: &str) {
        let el = self.must(css);
        self.cmd("POST", &format!("/element/{el}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{el}/value"),
            Some(json!({"text": text})),
        );
    }

    fn click(&self, css: &str) {
        let el = self.must(css);
        self.cmd("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let el = self.must(css);
        self.cmd("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    fn source(&self) -> String {
        self.cmd("GET", "/source", None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    fn clear_cookies(&self) {
        self.cmd("DELETE", "/cookie", None);
    }

    fn screenshot(&self, name: &str) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or(""))
            .unwrap();
        std::fs::write(screenshots_dir().join(format!("{name}.png")), bytes).unwrap();
    }

    fn sign_in(&self, app: &TestApp, user: &str) {
        self.clear_cookies();
        self.goto(&format!("{}/login", app.base));
        self.type_into("#user", user);
        self.type_into("#password", PASSWORD);
        self.click("#sign-in");
        assert!(self.wait_for("#who"), "{user} signed in: {}", self.url());
    }
}

/// (1) A unit leader signs in, signs the covenant, and the cluster secretariat sees it.
fn leader_signs_and_secretariat_sees(b: &Browser, app: &TestApp) {
    b.goto(&format!("{}/login", app.base));
    b.screenshot("01-sign-in");
    b.sign_in(app, "lanhdao-kg");
    b.screenshot("02-home-leader");
    b.click("#actions a.button");
    assert!(b.wait_for("#confirm-sign"));
    assert!(
        b.url().contains("/covenants/gu-12-2024/sign?unit=ca-kg"),
        "{}",
        b.url()
    );
    let hash = app
        .service
        .read()
        .covenants
        .values()
        .next()
        .unwrap()
        .latest()
        .hash
        .clone();
    assert!(
        b.source().contains(&hash),
        "the confirmation shows the covenant hash"
    );
    b.screenshot("03-sign-confirmation");
    b.click("#confirm-sign");
    assert!(b.wait_for("#signed-notice"), "signed: {}", b.url());
    assert!(b.text("#sig-ca-kg").contains("Đã ký"));
    b.screenshot("04-covenant-signed");

    b.sign_in(app, "thuky12");
    b.goto(&format!("{}/covenants/gu-12-2024", app.base));
    let row = b.text("#sig-ca-kg");
    assert!(
        row.contains("Đã ký") && row.contains("user:lanhdao-kg"),
        "{row}"
    );
    b.screenshot("05-covenant-secretariat");
    b.goto(&format!("{}/clusters/cum-12", app.base));
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 1280, "height": 2300})),
    );
    b.screenshot("06-cluster-full");
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 1280, "height": 900})),
    );
    b.goto(&format!("{}/units/ca-ag", app.base));
    b.screenshot("07-unit-lineage");
    b.goto(&format!("{}/history", app.base));
    b.screenshot("08-history");
}

/// (2) A unit officer cannot open another unit's administration page.
fn officer_cannot_open_another_units_admin(b: &Browser, app: &TestApp) {
    b.sign_in(app, "canbo-kg");
    b.goto(&format!("{}/units/ca-kg/admin", app.base));
    assert!(
        b.find("#unit-users").is_some(),
        "own unit's administration opens"
    );
    b.screenshot("09-unit-admin-own");
    b.goto(&format!("{}/units/ca-ag/admin", app.base));
    assert!(
        b.find("#unit-users").is_none(),
        "another unit's administration stays closed"
    );
    assert!(b.find("#error-message").is_some());
    assert!(
        !b.source().contains("Lãnh Đạo An Giang"),
        "no user of the other unit leaks"
    );
    b.screenshot("10-unit-admin-foreign-denied");
}

/// (3) The English switch works and is remembered.
fn english_switch(b: &Browser, app: &TestApp) {
    b.sign_in(app, "quantri");
    assert!(b.source().contains("Việc cần làm"));
    b.click("#lang-switch");
    assert!(
        b.wait_text("What needs my action"),
        "English after the switch"
    );
    assert!(b.text("#lang-switch").contains("Tiếng Việt"));
    b.screenshot("11-home-english");
    b.goto(&format!("{}/admin", app.base));
    assert!(b.source().contains("Administration"));
    b.screenshot("12-admin-english");
    b.sign_in(app, "quantri");
    assert!(
        b.wait_text("What needs my action"),
        "remembered for the user"
    );
    b.click("#lang-switch");
    assert!(b.wait_text("Việc cần làm"));
    b.goto(&format!("{}/admin", app.base));
    b.screenshot("13-admin");
    lineage_forms(b, app);
}

/// The administrator's lineage forms, reached from the unit page; a refused date is shown
/// next to the field.
fn lineage_forms(b: &Browser, app: &TestApp) {
    b.goto(&format!("{}/units/ca-dt", app.base));
    b.click("#lineage-link");
    assert!(b.wait_for("#ln-date"), "the lineage form");
    b.screenshot("16-lineage-form");
    b.goto(&format!("{}/units/ca-dt", app.base));
    b.click("#rename-link");
    assert!(b.wait_for("#rn-date"), "the renaming form");
    b.type_into("#rn-date", "01/01/2000");
    b.type_into("#rn-decision", "15/QĐ-BCA");
    b.click("#rename button[type=submit]");
    assert!(b.wait_for("#rn-date-error"), "the refusal next to the date");
    assert!(b
        .text("#rn-date-error")
        .contains("Ngày hiệu lực trước ngày thành lập đơn vị"));
    b.screenshot("17-rename-refused");
}

/// The covenant and cluster pages on a phone-sized window.
fn phone_layout(b: &Browser, app: &TestApp) {
    b.sign_in(app, "lanhdao-ag");
    assert!(
        b.find("#demo-notice").is_some(),
        "demonstration people are marked"
    );
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 390, "height": 844})),
    );
    b.goto(&format!("{}/covenants/gu-12-2024", app.base));
    b.screenshot("14-covenant-phone");
    b.goto(&format!("{}/", app.base));
    b.screenshot("15-home-phone");
    b.cmd(
        "POST",
        "/window/rect",
        Some(json!({"width": 1280, "height": 900})),
    );
}

/// One `#[test]` per scenario, each with its own browser and server, so that a failure names
/// its scenario.
macro_rules! browser_scenarios {
    ($($name:ident),* $(,)?) => {
        mod scenarios {
            $(#[test]
            fn $name() {
                let Some(b) = super::Browser::start() else {
                    return;
                };
                let app = super::spawn(super::Backend::Sqlite).unwrap();
                super::$name(&b, &app);
            })*
        }
    };
}

browser_scenarios!(
    leader_signs_and_secretariat_sees,
    officer_cannot_open_another_units_admin,
    english_switch,
    phone_layout,
);
