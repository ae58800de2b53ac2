//! Trust files: what a verifier or witness believes about a log, in plain text, one item a line
//! (`#` starts a comment):
//!
//! ```text
//! log <note verifier key>                 # the log's checkpoint key
//! witness <unit> <cosignature verifier key>
//! quorum <n>                              # cosignatures the verifier requires
//! ```

use std::path::Path;

use thidua_ledger::{
    open_checkpoint, CosignatureVerifier, NoteVerifier, SignedCheckpoint, Verifier,
};

/// What a trust file (and command-line flags) say.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    pub log: Option<Verifier>,
    pub witnesses: Vec<(String, CosignatureVerifier)>,
    pub quorum: Option<u32>,
}

impl Trust {
    /// Parses trust-file text; errors name the line.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut trust = Trust::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |what: String| format!("line {}: {what}", n + 1);
            let words: Vec<&str> = line.split_whitespace().collect();
            match words[..] {
                ["log", key] => trust.log = Some(parse_log_key(key).map_err(bad)?),
                ["witness", unit, key] => trust
                    .witnesses
                    .push((unit.to_owned(), parse_witness_key(key).map_err(bad)?)),
                ["quorum", n] => {
                    trust.quorum = Some(
                        n.parse()
                            .map_err(|_| bad(format!("quorum {n:?} is not a number")))?,
                    )
                }
                _ => return Err(bad(format!("cannot understand {line:?}"))),
            }
        }
        Ok(trust)
    }

    /// Reads and parses a trust file.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// Parses a log (note) verifier key.
pub fn parse_log_key(key: &str) -> Result<Verifier, String> {
    Verifier::from_key_string(key.trim()).map_err(|e| {
        format!(
            "khoá nhật ký không đúng dạng (chép lại từ trang Minh bạch hoặc `thidua log key`) / \
             bad log key (copy it again from the Transparency page or `thidua log key`): {e}"
        )
    })
}

/// A checkpoint note opened with `log_key`: its signature checked and its origin the key's name
/// (the witness's and the voter's first check of what a log serves).
pub fn open_log_checkpoint(note: &str, log_key: &Verifier) -> Result<SignedCheckpoint, String> {
    let opened = open_checkpoint(note.as_bytes(), &[log_key]).map_err(|e| e.to_string())?;
    if opened.checkpoint.origin != log_key.name() {
        return Err(format!(
            "the checkpoint's origin {:?} is not the log key's name {:?}",
            opened.checkpoint.origin,
            log_key.name()
        ));
    }
    Ok(opened)
}

/// Parses a witness (cosignature) verifier key.
pub fn parse_witness_key(key: &str) -> Result<CosignatureVerifier, String> {
    CosignatureVerifier::from_key_string(key.trim())
        .map_err(|e| format!("khoá nhân chứng không hợp lệ / bad witness key: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_ledger::{generate_key, CosignerKey};

    #[test]
    fn a_trust_file_names_the_log_the_witnesses_and_the_quorum() {
        let (_, log) = generate_key("thidua.local/log").unwrap();
        let w = CosignerKey::generate("ca-kg.witness").unwrap().verifier();
        let text = format!("# Cụm 12\nlog {log}\n\nwitness ca-kg {w}  # Kiên Giang\nquorum 1\n");
        let t = Trust::parse(&text).unwrap();
        assert_eq!(t.log.unwrap().to_key_string(), log);
        assert_eq!(t.witnesses, vec![("ca-kg".to_owned(), w.clone())]);
        assert_eq!(t.quorum, Some(1));
        for (bad, line) in [
            (format!("log {log}\nwitness ca-kg {log}\n"), "line 2"),
            ("log nonsense\n".to_owned(), "line 1"),
            (format!("log {log}\nquorum two\n"), "line 2"),
            (format!("\nwitness {w}\n"), "line 2"),
        ] {
            let err = Trust::parse(&bad).unwrap_err();
            assert!(err.starts_with(line), "{bad:?}: {err}");
        }
    }
}
