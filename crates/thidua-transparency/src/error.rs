//! [`TransparencyError`]: what can go wrong serving or checking the log, with a stable code for
//! API responses. Full causes go to logs; responses carry the code and a short message.

use thidua_ledger::LedgerError;
use thidua_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum TransparencyError {
    /// The request is malformed or asks for something the log cannot have.
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// Nothing there (no checkpoint yet, no such size).
    #[error("{0}")]
    NotFound(String),
    /// A cosignature or signature did not verify.
    #[error("{0}")]
    Unauthorised(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("ledger: {0}")]
    Ledger(#[from] LedgerError),
}

impl TransparencyError {
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        TransparencyError::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// The stable snake_case code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            TransparencyError::BadRequest { code, .. } => code,
            TransparencyError::NotFound(_) => "not_found",
            TransparencyError::Unauthorised(_) => "invalid_signature",
            TransparencyError::Store(_) | TransparencyError::Ledger(_) => "internal",
        }
    }
}
