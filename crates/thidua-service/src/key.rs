//! The log's signing key: an Ed25519 signed-note key kept in its own file (mode 0600), outside
//! the database, created on first start. The private half never leaves this module's `Signer`.
//! A command that only reads a log opens it with the public half alone
//! ([`LogKey::verifier_only`]): it checks what was signed and can sign nothing.

use std::io::Write;
use std::path::Path;

use thidua_ledger::{generate_key, sign_checkpoint, Checkpoint, NoteSigner, Signer};

use crate::ServiceError;

/// The log's key pair, loaded from its file; or its public half alone, for reading.
pub struct LogKey {
    /// `None` when opened from the verifier key only: every signing is then refused.
    signer: Option<Signer>,
    verifier: String,
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKey")
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

impl LogKey {
    /// Loads the key at `path`, or creates one named `origin` there (mode 0600) if none exists.
    pub fn load_or_create(path: &Path, origin: &str) -> Result<Self, ServiceError> {
        if !path.exists() {
            let (signer, _) = generate_key(origin)?;
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ServiceError::Key(format!("{}: {e}", dir.display())))?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(path)
                .map_err(|e| ServiceError::Key(format!("{}: {e}", path.display())))?;
            file.write_all(format!("{signer}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| ServiceError::Key(format!("{}: {e}", path.display())))?;
            tracing::info!(path = %path.display(), "created the log signing key");
        }
        Self::load(path)
    }

    /// Loads an existing key file, refusing one that others can read.
    pub fn load(path: &Path) -> Result<Self, ServiceError> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map_err(|e| ServiceError::Key(format!("{}: {e}", path.display())))?
                .permissions()
                .mode();
            if mode & 0o077 != 0 {
                return Err(ServiceError::Key(format!(
                    "{} is readable by others (mode {:o}); run chmod 600 on it",
                    path.display(),
                    mode & 0o777
                )));
            }
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServiceError::Key(format!("{}: {e}", path.display())))?;
        let signer = Signer::from_key_string(text.trim())?;
        let verifier = signer.verifier().to_key_string();
        Ok(Self {
            signer: Some(signer),
            verifier,
        })
    }

    /// The log's public verifier key alone (`<name>+<hash>+<key>`, as [`verifier_key`]
    /// gives it), for a command that only reads the log: signatures are checked with it, and
    /// signing anything (a checkpoint, a snapshot) is refused.
    ///
    /// [`verifier_key`]: Self::verifier_key
    pub fn verifier_only(verifier_key: &str) -> Result<Self, ServiceError> {
        let verifier = thidua_ledger::Verifier::from_key_string(verifier_key.trim())?;
        Ok(Self {
            signer: None,
            verifier: verifier.to_key_string(),
        })
    }

    fn signer(&self) -> Result<&dyn NoteSigner, ServiceError> {
        match &self.signer {
            Some(signer) => Ok(signer),
            None => Err(ServiceError::Key(format!(
                "only the public key {} is held: this log was opened to be read, and signs nothing",
                self.verifier
            ))),
        }
    }

    /// The key's name, which is the log's origin line.
    pub fn origin(&self) -> &str {
        self.verifier.split('+').next().unwrap_or_default()
    }

    /// The public verifier key, `<name>+<hash>+<key>`, to give to verifiers and witnesses.
    pub fn verifier_key(&self) -> &str {
        &self.verifier
    }

    /// Signs any note text (ending in a newline) with the log's key: the log vouches for it.
    pub fn sign_note(&self, text: &str) -> Result<String, ServiceError> {
        Ok(thidua_ledger::sign_note(text, &[self.signer()?])?)
    }

    /// Opens a note signed by [`sign_note`](Self::sign_note) and returns its text.
    pub fn open_note(&self, note: &str) -> Result<String, ServiceError> {
        let verifier = thidua_ledger::Verifier::from_key_string(&self.verifier)?;
        Ok(thidua_ledger::open_note(note.as_bytes(), &[&verifier])?.text)
    }

    /// Signs the checkpoint (C2SP tlog-checkpoint note) of a tree of `size` leaves with `root`.
    pub fn sign_checkpoint(&self, size: u64, root: [u8; 32]) -> Result<String, ServiceError> {
        let checkpoint = Checkpoint::new(self.origin(), size, root);
        Ok(sign_checkpoint(&checkpoint, &[self.signer()?])?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public half alone checks what the key signed and signs nothing.
    #[test]
    fn the_verifier_key_alone_opens_signed_notes_and_signs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let key = LogKey::load_or_create(&dir.path().join("k"), "thidua.test/log").unwrap();
        let note = key.sign_checkpoint(3, [7; 32]).unwrap();
        let public = LogKey::verifier_only(key.verifier_key()).unwrap();
        assert_eq!(public.verifier_key(), key.verifier_key());
        assert_eq!(public.origin(), "thidua.test/log");
        assert!(public.open_note(&note).is_ok());
        let refused = public.sign_checkpoint(4, [7; 32]).unwrap_err();
        assert!(refused.to_string().contains("signs nothing"), "{refused}");
        assert!(public.sign_note("x\n").is_err());
        assert!(LogKey::verifier_only("not a key").is_err());
    }
}
