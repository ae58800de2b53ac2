//! The witness a member unit runs (`thidua witness`): it fetches the newest checkpoint, checks
//! the log's signature, checks that it extends the last checkpoint this witness cosigned (kept
//! in a state file), and only then cosigns it (C2SP tlog-cosignature, Ed25519) and posts the
//! cosignature. If the log shows a history that does not extend what it saw, it refuses and
//! saves both checkpoints (and the proof) as evidence. It never trusts the server's word.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thidua_ledger::{open_checkpoint, verify_consistency, Checkpoint, CosignerKey, Verifier};

use crate::client::{ClientError, LogClient};

/// What the witness remembers between runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessState {
    /// The log's origin line.
    pub origin: String,
    /// The size of the last checkpoint cosigned.
    pub size: u64,
    /// That checkpoint, as the log signed it.
    pub checkpoint: String,
}

impl WitnessState {
    /// Reads the state file; `None` if it does not exist yet.
    pub fn load(path: &Path) -> Result<Option<Self>, WitnessError> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| WitnessError::State(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(WitnessError::State(format!("{}: {e}", path.display()))),
        }
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), WitnessError> {
        let io = |e: std::io::Error| WitnessError::State(format!("{}: {e}", path.display()));
        let tmp = path.with_extension("tmp");
        let json = serde_json::to_vec_pretty(self).expect("the state serialises");
        std::fs::write(&tmp, json).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// Why the witness did not cosign.
#[derive(Debug, thiserror::Error)]
pub enum WitnessError {
    #[error("cannot reach the log: {0}")]
    Client(#[from] ClientError),
    #[error("the checkpoint is not validly signed by the trusted log key: {0}")]
    BadSignature(String),
    #[error("REFUSED — the log does not extend the history this witness cosigned: {reason}. Evidence saved: {}", .evidence.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    Fork {
        reason: String,
        evidence: Vec<PathBuf>,
    },
    #[error("witness state: {0}")]
    State(String),
    /// The witness's own key file: missing, unreadable, readable by others, not a key, or (for
    /// `keygen`) already there.
    #[error("khoá nhân chứng / witness key: {0}")]
    Key(String),
    #[error("cosigning: {0}")]
    Cosign(String),
}

/// What one run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cosigned {
    pub size: u64,
    /// The size this witness had cosigned before (0 on the first run).
    pub previous: u64,
    /// The cosignature line posted.
    pub line: String,
}

/// A witness: its key, the unit it speaks for and the log key it trusts.
pub struct Witness<'a> {
    pub unit: &'a str,
    pub key: &'a CosignerKey,
    pub log_key: &'a Verifier,
    pub state_path: &'a Path,
    /// Where evidence files go (created if needed).
    pub evidence_dir: &'a Path,
}

impl Witness<'_> {
    /// Checks the newest checkpoint against what this witness saw before, without cosigning.
    /// Returns the checkpoint (and its note as the log signed it) if it extends the history.
    pub fn check(&self, client: &dyn LogClient) -> Result<(Checkpoint, String), WitnessError> {
        let served = client.checkpoint()?;
        let opened = crate::trust::open_log_checkpoint(&served, self.log_key)
            .map_err(WitnessError::BadSignature)?;
        // Keep only the log's own signature in the state and in evidence.
        let log_signed = log_signed_note(&opened.note);
        let checkpoint = opened.checkpoint;
        let Some(previous) = WitnessState::load(self.state_path)? else {
            return Ok((checkpoint, log_signed));
        };
        let seen = open_checkpoint(previous.checkpoint.as_bytes(), &[self.log_key])
            .map_err(|e| WitnessError::State(format!("the saved checkpoint: {e}")))?
            .checkpoint;
        let fork = |reason: String, proof: Option<&[[u8; 32]]>| {
            let evidence = self.save_evidence(&previous.checkpoint, &log_signed, &reason, proof);
            match evidence {
                Ok(evidence) => WitnessError::Fork { reason, evidence },
                Err(e) => WitnessError::Fork {
                    reason: format!("{reason} (and the evidence could not be saved: {e})"),
                    evidence: Vec::new(),
                },
            }
        };
        if checkpoint.origin != seen.origin {
            return Err(fork(
                format!(
                    "origin changed from {:?} to {:?}",
                    seen.origin, checkpoint.origin
                ),
                None,
            ));
        }
        if checkpoint.size < seen.size {
            return Err(fork(
                format!(
                    "the log shrank from {} to {} entries",
                    seen.size, checkpoint.size
                ),
                None,
            ));
        }
        if checkpoint.size == seen.size {
            if checkpoint.root != seen.root {
                return Err(fork(
                    format!("two different roots for size {}", seen.size),
                    None,
                ));
            }
            return Ok((checkpoint, log_signed));
        }
        if seen.size > 0 {
            let proof = client.consistency(seen.size, checkpoint.size)?;
            if let Err(e) = verify_consistency(
                seen.size,
                checkpoint.size,
                &seen.root,
                &checkpoint.root,
                &proof,
            ) {
                return Err(fork(
                    format!(
                        "the tree of {} entries is not consistent with the one of {} it cosigned: {e}",
                        checkpoint.size, seen.size
                    ),
                    Some(&proof),
                ));
            }
        }
        Ok((checkpoint, log_signed))
    }

    /// Checks, remembers and cosigns the newest checkpoint, and posts the cosignature.
    pub fn run(&self, client: &dyn LogClient, now_secs: u64) -> Result<Cosigned, WitnessError> {
        let previous = WitnessState::load(self.state_path)?.map_or(0, |s| s.size);
        let (checkpoint, note) = self.check(client)?;
        WitnessState {
            origin: checkpoint.origin.clone(),
            size: checkpoint.size,
            checkpoint: note,
        }
        .save(self.state_path)?;
        let cosig = self
            .key
            .cosign(&checkpoint, now_secs)
            .map_err(|e| WitnessError::Cosign(e.to_string()))?;
        let line = cosig.to_line().trim_end().to_owned();
        client.post_cosignature(self.unit, checkpoint.size, &line)?;
        Ok(Cosigned {
            size: checkpoint.size,
            previous,
            line,
        })
    }

    fn save_evidence(
        &self,
        seen: &str,
        served: &str,
        reason: &str,
        proof: Option<&[[u8; 32]]>,
    ) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(self.evidence_dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let base = self.evidence_dir.join(format!("fork-{stamp}"));
        let paths = [
            base.with_extension("seen.checkpoint"),
            base.with_extension("served.checkpoint"),
            base.with_extension("txt"),
        ];
        std::fs::write(&paths[0], seen)?;
        std::fs::write(&paths[1], served)?;
        let mut report = format!("{reason}\n");
        if let Some(proof) = proof {
            report.push_str("consistency proof served:\n");
            for h in proof {
                report.push_str(&hex::encode(h));
                report.push('\n');
            }
        }
        std::fs::write(&paths[2], report)?;
        Ok(paths.to_vec())
    }
}

/// The note text with only the signatures that verified (the log's).
fn log_signed_note(note: &thidua_ledger::Note) -> String {
    let mut out = format!("{}\n", note.text);
    for sig in &note.verified {
        out.push_str(&sig.to_line());
    }
    out
}

/// How a demonstration names its witness keys (`ca-ag.nhan-chung-minh-hoa`): keys the
/// demonstration server holds and cosigns with itself, which the pages say prove nothing.
pub const DEMO_KEY_SUFFIX: &str = ".nhan-chung-minh-hoa";

/// Whether a witness verifier key (`name+hash+base64`) is a demonstration's.
pub fn is_demo_key(key: &str) -> bool {
    key.split('+')
        .next()
        .is_some_and(|name| name.ends_with(DEMO_KEY_SUFFIX))
}

/// Creates a witness key file (mode 0600, refusing to overwrite) and returns the key.
pub fn create_key_file(path: &Path, name: &str) -> Result<CosignerKey, WitnessError> {
    let err = |e: String| WitnessError::Key(format!("{}: {e}", path.display()));
    let key = CosignerKey::generate(name).map_err(|e| match e {
        thidua_ledger::LedgerError::InvalidKeyName(_) => err(format!(
            "tên khoá «{name}» không hợp lệ: không để trống, không có dấu cách hay dấu + (ví dụ \
             ca-kg.witness) / invalid key name {name:?}: not empty, no space or + (e.g. \
             ca-kg.witness)"
        )),
        other => err(other.to_string()),
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => err(
            "tệp đã có, không ghi đè / already exists, never overwritten (a key in use stays \
             the unit's; give another --out)"
                .into(),
        ),
        _ => err(e.to_string()),
    })?;
    std::io::Write::write_all(&mut file, format!("{}\n", key.to_key_string()).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| err(e.to_string()))?;
    Ok(key)
}

/// Loads a witness key file, refusing one that others can read.
pub fn load_key_file(path: &Path) -> Result<CosignerKey, WitnessError> {
    let err = |e: String| WitnessError::Key(format!("{}: {e}", path.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| err(e.to_string()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(err(format!(
                "readable by others (mode {:o}); run chmod 600 on it",
                mode & 0o777
            )));
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    CosignerKey::from_key_string(text.trim()).map_err(|e| err(e.to_string()))
}
