//! The logs' keys a leader's machine has met (trust on first use), for `thidua vote` and
//! `thidua trustee` run without `--log-key`: the first time a server is used, the key it
//! publishes (`/api/v1/log/key`) is written to the known-logs file beside its address and
//! printed to be compared with the key the cluster published on paper or in its documents;
//! from then on what that server serves is checked against checkpoints signed by that key, so
//! a server that later shows another history, or signs with another key, is refused. The file
//! is `--known-logs` (`THIDUA_KNOWN_LOGS`), else `$XDG_CONFIG_HOME/thidua/known-logs`, else
//! `~/.config/thidua/known-logs`: one `server key` line per server.

use crate::output::errln;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// The known-logs file of this machine's user, if a home can be found (`--known-logs`, or
/// `THIDUA_KNOWN_LOGS` through it, is read by the command line and comes first).
pub fn default_path() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("thidua").join("known-logs"))
}

/// A server address as the file keys it (no trailing slash).
fn server_key(server: &str) -> &str {
    server.trim_end_matches('/')
}

/// The key pinned for `server` in `path`, if any.
pub fn pinned(path: &Path, server: &str) -> anyhow::Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "không đọc được tệp khoá nhật ký đã gặp / cannot read the known-logs file {}",
                    path.display()
                )
            })
        }
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((s, key)) = line.split_once(' ') else {
            bail!(
                "{} dòng {line_no}: cần «máy-chủ khoá» (sửa hoặc xoá dòng này) / line {line_no}: \
                 expected `server key` (fix or remove the line)",
                path.display(),
                line_no = n + 1
            );
        };
        if s == server_key(server) {
            return Ok(Some(key.trim().to_owned()));
        }
    }
    Ok(None)
}

/// Pins `key` for `server` in `path` (appended; the file and its folder made if missing).
pub fn pin(path: &Path, server: &str, key: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được / cannot create {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("không mở được / cannot open {}", path.display()))?;
    writeln!(file, "{} {}", server_key(server), key.trim())
        .with_context(|| format!("không ghi được / cannot write {}", path.display()))
}

/// The key to check `server`'s log against: the one pinned for it, or, on first use, the one
/// it publishes (`fetch`), pinned now and announced on standard error.
pub fn key_for(
    path: &Path,
    server: &str,
    fetch: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<String> {
    if let Some(key) = pinned(path, server)? {
        return Ok(key);
    }
    let key = fetch()?.trim().to_owned();
    pin(path, server, &key)?;
    errln!(
        "Lần đầu dùng máy chủ này: đã ghi nhớ khoá của nhật ký / first use of this server: its \
         log key is now pinned in {}:\n  {key}\nSo sánh với khoá cụm đã công bố (văn bản, trang \
         minh bạch) / compare it with the key your cluster published.",
        path.display()
    );
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_pinned_on_first_use_and_read_back_per_server() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("known-logs");
        assert_eq!(pinned(&path, "https://a.example").unwrap(), None);
        let first = key_for(&path, "https://a.example/", || Ok("a+1+KEY\n".into())).unwrap();
        assert_eq!(first, "a+1+KEY");
        // Pinned: the server is not asked again.
        let again = key_for(&path, "https://a.example", || bail!("not asked")).unwrap();
        assert_eq!(again, "a+1+KEY");
        key_for(&path, "https://b.example", || Ok("b+2+KEY".into())).unwrap();
        assert_eq!(
            pinned(&path, "https://b.example").unwrap().as_deref(),
            Some("b+2+KEY")
        );
        // A line that is not `server key` is named, in both languages.
        std::fs::write(&path, "# ghi chú\ngarbage\n").unwrap();
        let said = format!("{:#}", pinned(&path, "https://a.example").unwrap_err());
        assert!(
            said.contains("dòng 2: cần «máy-chủ khoá»") && said.contains("line 2: expected"),
            "{said}"
        );
    }
}
