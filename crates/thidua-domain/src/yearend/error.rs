//! Why a year-end step is refused: a stable code (translated by the UI, see the web's i18n)
//! and an English detail for logs and the API.

use crate::error::DomainError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct YearEndError {
    /// Stable snake_case code, e.g. `yearend_deadline_passed`.
    pub code: &'static str,
    pub detail: String,
}

/// A refusal as a domain error.
pub fn refuse(code: &'static str, detail: impl Into<String>) -> DomainError {
    DomainError::YearEnd(YearEndError {
        code,
        detail: detail.into(),
    })
}

/// Every code a year-end refusal may carry (the UI has a text for each).
pub const CODES: &[&str] = &[
    "yearend_not_open",
    "yearend_already_open",
    "yearend_deadline_passed",
    "yearend_unknown_criterion",
    "yearend_not_manual",
    "yearend_score_out_of_range",
    "yearend_justification_missing",
    "yearend_dossier_incomplete",
    "yearend_stale_revision",
    "yearend_dossier_frozen",
    "yearend_not_member",
    "yearend_phase",
    "yearend_commitment_mismatch",
    "yearend_bad_hex",
    "yearend_draw_mismatch",
    "yearend_not_assigned",
    "yearend_finding_exists",
    "yearend_finding_invalid",
    "yearend_not_disputed",
    "yearend_locked",
    "yearend_not_settled",
    "yearend_findings_missing",
    "yearend_not_locked",
    "yearend_published",
    "yearend_evidence_invalid",
    "yearend_assignment_invalid",
    "yearend_no_head",
    "yearend_tie_undecided",
    "yearend_tie_invalid",
];

/// A field of 64 lowercase hexadecimal digits (a SHA-256 value, a commitment, a seed).
pub(crate) fn hex32(field: &'static str, raw: &str) -> Result<(), DomainError> {
    let ok = raw.len() == 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(refuse(
            "yearend_bad_hex",
            format!("{field}: 64 lowercase hexadecimal digits"),
        ))
    }
}
