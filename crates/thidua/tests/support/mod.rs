//! What the binary's end-to-end tests share: the `thidua` command with a clean environment, a
//! logged run, the demonstration loaded into a data directory, a server running on port 0 and
//! an API token written straight into the accounts store.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The built binary, with no database, data directory, log key or server from the caller's
/// environment.
pub fn thidua() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_thidua"));
    cmd.env("THIDUA_LOG", "warn")
        .env_remove("THIDUA_DATABASE_URL")
        .env_remove("THIDUA_DATA")
        .env_remove("THIDUA_LOG_KEY")
        .env_remove("THIDUA_SERVER");
    cmd
}

/// Runs `cmd`, printing its arguments and output (shown when a test fails).
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    eprintln!(
        "$ {:?}\n{}{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs `thidua serve --demo` on port 0 with the store options `store` until it serves.
pub fn serve_demo_once(store: &[OsString]) {
    let mut child = thidua()
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .args(store)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let serving = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .any(|l| l.unwrap().contains("http://"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving, "the demonstration server did not start");
}

/// `thidua serve` on the data directory `data`, port 0; killed when dropped.
pub struct Running {
    child: std::process::Child,
    pub url: String,
}

impl Running {
    pub fn start(data: &Path) -> Self {
        let mut child = thidua()
            .args(["serve", "--bind", "127.0.0.1:0", "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = BufReader::new(child.stdout.take().unwrap())
            .lines()
            .map(|l| l.unwrap())
            .find_map(|l| {
                let start = l.find("http://")?;
                let rest = &l[start..];
                Some(rest[..rest.find("/ ").unwrap_or(rest.len())].to_owned())
            })
            .expect("the server prints its address");
        Self { child, url }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The verifier key of the log in `data` (`thidua log key --data`).
pub fn log_key(data: &Path) -> String {
    let out = run(thidua().args(["log", "key", "--data"]).arg(data));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// An API token for `user` labelled `label`, written straight into the accounts store of `data`.
pub fn api_token(data: &Path, user: &str, label: &str) -> String {
    use thidua_store::accounts::{AccountStore, ApiTokenRecord};
    let secret = format!("thd_{}", thidua_web::accounts::random_token(32));
    let store = thidua_store_sqlite::SqliteStore::open(&data.join("thidua.db")).unwrap();
    store
        .create_api_token(&ApiTokenRecord {
            id: thidua_web::accounts::random_token(6),
            token_hash: thidua_web::accounts::secret_hash(&secret),
            user: user.to_owned(),
            label: label.into(),
            created_ms: thidua_web::accounts::now_ms(),
            revoked_ms: None,
        })
        .unwrap();
    secret
}
