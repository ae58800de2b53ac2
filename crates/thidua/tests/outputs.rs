//! What the commands write, when writing fails: every output file (`thidua backup`, `figures
//! export`, `figures template`, `score --xlsx`, `doc … --out`) is made beside its target and
//! renamed onto it when complete, so a failure (a full disk, a read-only directory, a target
//! that is a directory) leaves nothing at the target and a previous file unchanged; a closed
//! standard output (`… | head`) ends a command quietly; and a server that cannot be reached,
//! or that refuses, is not said to have failed verification.

#[allow(dead_code)] // the running server and API tokens are for other tests
mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::{run, serve_demo_once, thidua};

const COVENANT: &str = "giao-uoc-cum-12-2024";

/// The demonstration loaded into a data directory of its own (`db` in a temporary directory).
struct Demo(tempfile::TempDir);

impl Demo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        serve_demo_once(&["--data".into(), dir.path().join("db").into()]);
        Self(dir)
    }

    fn data(&self) -> PathBuf {
        self.0.path().join("db")
    }

    /// The log's verifier key (`thidua log key`).
    fn log_key(&self) -> String {
        support::log_key(&self.data())
    }

    /// `thidua figures export` of the demonstration's approved figures.
    fn export(&self, out: Option<&Path>) -> Command {
        let mut cmd = thidua();
        cmd.args([
            "figures",
            "export",
            "--covenant",
            COVENANT,
            "--window",
            "M12",
        ])
        .arg("--data")
        .arg(self.data());
        if let Some(out) = out {
            cmd.arg("--out").arg(out);
        }
        cmd
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The names in `dir`, sorted (a temporary file left behind would show here).
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs `cmd` through `bash` with a file size limit of `kib` KiB (writes beyond it fail with
/// EFBIG, SIGXFSZ ignored): a disk that fills up while the output is written.
fn with_full_disk(cmd: &Command, kib: u32) -> Output {
    let mut line = format!("ulimit -f {kib}; trap '' XFSZ; exec \"$0\"");
    for (i, _) in cmd.get_args().enumerate() {
        line.push_str(&format!(" \"${}\"", i + 1));
    }
    let mut bash = Command::new("bash");
    bash.arg("-c")
        .arg(line)
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => bash.env(k, v),
            None => bash.env_remove(k),
        };
    }
    run(&mut bash)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_failed_export_leaves_nothing_and_keeps_the_previous_file() {
    let demo = Demo::new();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("so-lieu.csv");

    // The disk fills up during a first export: no file at all (not a truncated one).
    let out = with_full_disk(&demo.export(Some(&target)), 50);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot write"),
        "{}",
        text(&out.stderr)
    );
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));

    // A good export: complete, mode 0600 (a unit's data).
    let out = run(&mut demo.export(Some(&target)));
    assert!(out.status.success());
    let good = std::fs::read(&target).unwrap();
    assert!(text(&good).contains(COVENANT) && good.len() > 50 * 1024);
    #[cfg(unix)]
    assert_eq!(mode(&target), 0o600);

    // A re-export that fails halfway keeps the previous good copy, byte for byte.
    let out = with_full_disk(&demo.export(Some(&target)), 50);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&target).unwrap(), good);
    assert_eq!(names(dir.path()), ["so-lieu.csv"]);

    // A re-export that succeeds replaces it.
    assert!(run(&mut demo.export(Some(&target))).status.success());
    assert_eq!(std::fs::read(&target).unwrap(), good);
    assert_eq!(names(dir.path()), ["so-lieu.csv"]);
}

#[test]
fn every_output_refuses_a_target_that_is_a_directory() {
    let demo = Demo::new();
    let dir = tempfile::tempdir().unwrap();
    let (csv, regulation) = (dir.path().join("a.csv"), dir.path().join("r.toml"));
    let out = run(demo.export(Some(&csv)).arg("--regulation").arg(&regulation));
    assert!(out.status.success());
    let target = dir.path().join("target");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("inside"), "kept").unwrap();
    let commands: Vec<Command> = vec![
        demo.export(Some(&target)),
        {
            let mut c = thidua();
            c.args(["figures", "template", "--covenant", COVENANT])
                .args(["--unit", "ca-hg", "--window", "M12", "--data"])
                .arg(demo.data())
                .arg("--out")
                .arg(&target);
            c
        },
        {
            let mut c = thidua();
            c.args(["score", "--period", "2024-Y", "--regulation"])
                .arg(&regulation)
                .arg("--data")
                .arg(&csv)
                .arg("--xlsx")
                .arg(&target);
            c
        },
        {
            let mut c = thidua();
            c.args(["doc", "covenant", "--covenant", COVENANT, "--data"])
                .arg(demo.data())
                .arg("--out")
                .arg(&target);
            c
        },
        {
            let mut c = thidua();
            c.args(["backup", "--data"]).arg(demo.data()).arg(&target);
            c
        },
    ];
    for mut cmd in commands {
        let out = run(&mut cmd);
        assert!(!out.status.success(), "{:?}", cmd.get_args());
        let err = text(&out.stderr);
        assert!(err.contains("is a directory"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(names(&target), ["inside"]);
        assert_eq!(names(dir.path()), ["a.csv", "r.toml", "target"]);
    }
}

#[test]
fn backup_is_complete_private_and_never_replaces_a_file() {
    let demo = Demo::new();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("sao-luu.db");
    let backup = || {
        let mut c = thidua();
        c.args(["backup", "--data"]).arg(demo.data()).arg(&target);
        c
    };
    // The disk fills up during the copy: no file, so a retry is not refused.
    let out = with_full_disk(&backup(), 200);
    assert!(!out.status.success());
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
    let out = run(&mut backup());
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("backed up"));
    let copy = std::fs::read(&target).unwrap();
    assert!(copy.starts_with(b"SQLite format 3\0"));
    #[cfg(unix)]
    assert_eq!(mode(&target), 0o600);
    // An existing backup is refused and left as it is.
    let out = run(&mut backup());
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&target).unwrap(), copy);
    assert_eq!(names(dir.path()), ["sao-luu.db"]);
    // The copy is a whole log: it verifies.
    let out = run(thidua()
        .args(["verify", "--no-state", "--backup"])
        .arg(&target)
        .arg("--log-key")
        .arg(demo.log_key()));
    assert!(out.status.success());
    // A file that is no database is said so, of the file named (not of a private copy).
    let not_a_db = dir.path().join("ghi-chu.txt");
    std::fs::write(&not_a_db, "không phải cơ sở dữ liệu\n".repeat(200)).unwrap();
    let out = run(thidua()
        .args(["verify", "--no-state", "--backup"])
        .arg(&not_a_db)
        .arg("--log-key")
        .arg(demo.log_key()));
    let said = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("ghi-chu.txt is not a readable SQLite backup")
            && said.contains("không phải bản sao lưu")
            && !said.contains("backup.db"),
        "{said}"
    );
}

/// Runs `cmd` with its standard output a pipe closed before it writes anything.
fn into_closed_pipe(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    eprintln!("{:?}: {}", cmd.get_args(), text(&out.stderr));
    out
}

#[test]
fn a_closed_pipe_ends_the_commands_quietly() {
    let demo = Demo::new();
    let out = into_closed_pipe(&mut demo.export(None));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
    assert!(
        !text(&out.stderr).contains("error"),
        "{}",
        text(&out.stderr)
    );

    let out = into_closed_pipe(
        thidua()
            .args(["verify", "--no-state", "--data"])
            .arg(demo.data())
            .arg("--log-key")
            .arg(demo.log_key()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn verify_says_when_the_server_cannot_be_reached() {
    let demo = Demo::new();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = run(thidua()
        .args(["verify", "--no-state", "--server"])
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("--log-key")
        .arg(demo.log_key()));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot reach the server") && err.contains("không kết nối được máy chủ"),
        "{err}"
    );
    assert!(!err.contains("VERIFICATION FAILED"), "{err}");
    let address = format!("http://127.0.0.1:{port}/");
    assert_eq!(
        err.matches(&address).count(),
        1,
        "the address said once: {err}"
    );
    let help = run(thidua().args(["verify", "--help"]));
    assert!(text(&help.stdout).contains("2 không kết nối được máy chủ / cannot reach"));
}

/// A server that answers every request with HTTP 403 and a reason.
fn refusing_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                request.push(byte[0]);
            }
            let body = "unit ca-hg has no witness key registered";
            let _ = write!(
                stream,
                "HTTP/1.1 403 Forbidden\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_server_that_refuses_is_said_to_refuse() {
    let demo = Demo::new();
    let url = refusing_server();
    let out = run(thidua()
        .args(["verify", "--no-state", "--server", &url])
        .arg("--log-key")
        .arg(demo.log_key()));
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the server refused") && err.contains("HTTP 403"),
        "{err}"
    );
    assert!(!err.contains("VERIFICATION FAILED"), "{err}");

    // The witness: the server was reached, and refused.
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ca-hg.witness.key");
    let out = run(thidua()
        .args(["witness", "keygen", "--name", "ca-hg.witness", "--out"])
        .arg(&key));
    assert!(out.status.success());
    let out = run(thidua()
        .args(["witness", "--server", &url, "--key"])
        .arg(&key)
        .arg("--state")
        .arg(dir.path().join("state"))
        .arg("--log-key")
        .arg(demo.log_key()));
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("the server refused") && err.contains("no witness key registered"),
        "{err}"
    );
    assert!(!err.contains("cannot reach"), "{err}");
}

/// A database or backup that cannot be read is not a log that failed verification: exit 2,
/// as the help says — a file that is not a database, a data directory whose database is not
/// one, a PostgreSQL server that refuses the connection. A wrong option stays exit 1.
#[test]
fn verify_exits_2_when_the_database_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("not-a-database.db");
    std::fs::write(&garbage, vec![b'x'; 4096]).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("thidua.db"), vec![b'x'; 4096]).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = format!("postgres://thidua:pw@127.0.0.1:{port}/thidua?sslmode=disable");
    let runs: [Vec<std::ffi::OsString>; 4] = [
        vec!["--backup".into(), garbage.into()],
        vec!["--backup".into(), dir.path().into()],
        vec!["--data".into(), data.into()],
        vec!["--database".into(), refused.into()],
    ];
    for args in runs {
        let out = run(thidua()
            .args([
                "verify",
                "--no-state",
                "--log-key",
                "thidua.local/log+00000000+AA",
            ])
            .args(&args));
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot read the log"), "{args:?}: {err}");
        assert!(!err.contains("VERIFICATION FAILED"), "{err}");
    }
    let out = run(thidua().args(["verify", "--no-state", "--database", "mysql://u:p@h/db"]));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}

/// A bench whose reader is gone (`thidua bench flags | head -1`: its standard output a closed
/// pipe) ends quietly, with success: it panicked ("failed printing to stdout", exit 101) on its
/// first line.
#[test]
fn a_closed_pipe_ends_a_bench_quietly() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = thidua()
        .args(["bench", "flags", "--seeds", "1", "--thresholds", "2"])
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
