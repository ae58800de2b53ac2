//! The crate's one error type. Each variant has a stable code for the layers above.

/// Why a ballot, a ceremony message or a decryption share was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("the ballot's signature does not verify under the voter's key")]
    BadSignature,
    #[error("{what}: the zero-knowledge proof does not verify")]
    BadProof { what: String },
    #[error("trustee {trustee}: {reason}")]
    Trustee { trustee: u32, reason: String },
    #[error("decryption share of trustee {trustee}, total {total}: the proof does not verify")]
    BadShare { trustee: u32, total: u32 },
    #[error("{0}")]
    Tally(String),
}

impl BallotError {
    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            BallotError::Invalid { .. } => "ballot_invalid",
            BallotError::BadSignature => "ballot_bad_signature",
            BallotError::BadProof { .. } => "ballot_bad_proof",
            BallotError::Trustee { .. } => "ceremony_refused",
            BallotError::BadShare { .. } => "decryption_share_bad_proof",
            BallotError::Tally(_) => "tally_refused",
        }
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        BallotError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
