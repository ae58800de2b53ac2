//! The log's signing key: an Ed25519 signed-note key kept in its own file (mode 0600), outside
//! the database, created on first start. The private half never leaves this module's `Signer`.

use std::io::Write;
use std::path::Path;

use thidua_ledger::{generate_key, sign_checkpoint, Checkpoint, NoteSigner, Signer};

use crate::ServiceError;

/// The log's key pair, loaded from its file.
pub struct LogKey {
    signer: Signer,
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
        Ok(Self { signer, verifier })
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
        let signer: &dyn NoteSigner = &self.signer;
        Ok(thidua_ledger::sign_note(text, &[signer])?)
    }

    /// Opens a note signed by [`sign_note`](Self::sign_note) and returns its text.
    pub fn open_note(&self, note: &str) -> Result<String, ServiceError> {
        let verifier = thidua_ledger::Verifier::from_key_string(&self.verifier)?;
        Ok(thidua_ledger::open_note(note.as_bytes(), &[&verifier])?.text)
    }

    /// Signs the checkpoint (C2SP tlog-checkpoint note) of a tree of `size` leaves with `root`.
    pub fn sign_checkpoint(&self, size: u64, root: [u8; 32]) -> Result<String, ServiceError> {
        let checkpoint = Checkpoint::new(self.origin(), size, root);
        let signer: &dyn NoteSigner = &self.signer;
        Ok(sign_checkpoint(&checkpoint, &[signer])?)
    }
}
