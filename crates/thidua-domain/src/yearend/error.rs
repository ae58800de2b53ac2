//! Why a year-end step is refused: a stable code (translated by the UI, see the web's i18n),
//! an English detail for logs and the API, and the specifics a translation needs (which step is
//! not open and why, a date, a count), so that a page says the domain's reason in its own
//! language rather than the code's general sentence.

use crate::error::DomainError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct YearEndError {
    /// Stable snake_case code, e.g. `yearend_deadline_passed`.
    pub code: &'static str,
    pub detail: String,
    /// The refusal's specifics by name, for its translation: `why`, a stable key saying which
    /// step is not open and why (for `yearend_phase`; see [`phase`]); `date` (ISO 8601), `round`,
    /// `count` and the like, filled into the translated sentence.
    pub args: Vec<(&'static str, String)>,
}

impl YearEndError {
    /// The refusal is about where the review stands (a step not open yet or any more, done
    /// already, not the unit's), not about what the command carried: nothing in a form would
    /// correct it.
    pub fn about_state(&self) -> bool {
        STATE_CODES.contains(&self.code)
    }

    /// The value of the specific `name`, if the refusal carries it.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A refusal as a domain error.
pub fn refuse(code: &'static str, detail: impl Into<String>) -> DomainError {
    refuse_with(code, detail, Vec::new())
}

/// A refusal with the specifics its translation fills in.
pub fn refuse_with(
    code: &'static str,
    detail: impl Into<String>,
    args: Vec<(&'static str, String)>,
) -> DomainError {
    DomainError::YearEnd(YearEndError {
        code,
        detail: detail.into(),
        args,
    })
}

/// A step that is not open (yet or any more): `yearend_phase`, with `why`, the stable key of
/// the reason (the UI translates it, with the `date` or `round` given), and the English detail.
pub fn phase(
    why: &'static str,
    detail: impl Into<String>,
    mut args: Vec<(&'static str, String)>,
) -> DomainError {
    args.insert(0, ("why", why.to_owned()));
    refuse_with("yearend_phase", detail, args)
}

/// Every `why` of a `yearend_phase` refusal (the UI has a sentence for each).
pub const PHASE_REASONS: &[&str] = &[
    "beacon_already_pinned",
    "beacon_after_commitments",
    "beacon_not_pinned",
    "beacon_already_recorded",
    "beacon_other_round",
    "reveals_closed_by_beacon",
    "already_drawn",
    "commitments_closed",
    "already_committed",
    "reveals_not_open",
    "no_commitment",
    "already_revealed",
    "draw_waits_beacon",
    "draw_waits_reveals",
    "draw_waits_commitments",
    "decide_before_draw",
    "draw_found_assignment",
    "dossier_not_frozen",
    "already_answered",
    "response_waits_findings",
    "resolve_before_response",
    "no_assignment",
    "tie_outside_lock",
    "tie_already_decided",
    "deadline_step_past",
    "deadline_step_done",
    "no_reveal_deadline",
    "conflicts_closed",
    "records_closed",
];

/// Every code a year-end refusal may carry (the UI has a text for each).
pub const CODES: &[&str] = &[
    "yearend_not_open",
    "yearend_already_open",
    "yearend_deadline_passed",
    "yearend_unknown_criterion",
    "yearend_not_manual",
    "yearend_score_out_of_range",
    "yearend_score_places",
    "yearend_evidence_before_score",
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
    "yearend_dispute_resolved",
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
    "yearend_beacon_network",
    "yearend_beacon_too_early",
    "yearend_beacon_invalid",
    "yearend_too_few_members",
    "yearend_member_ceased",
    "yearend_deadlines_order",
    "yearend_deadline_in_past",
    "yearend_deadline_unchanged",
    "yearend_deadline_after_beacon",
    "yearend_records_empty",
    "yearend_recheck_no_records",
    "yearend_recheck_over_sample",
    "yearend_recheck_invalid",
    "yearend_response_empty",
    "yearend_answer_empty",
    "yearend_answer_too_long",
    "yearend_resolution_score_missing",
    "yearend_evidence_duplicate",
    "yearend_evidence_too_large",
    "yearend_scores_uncomputable",
    "yearend_figures_missing",
    "yearend_criteria_uncomputable",
    "yearend_criteria_uncomputable_earlier",
    "yearend_evidence_no_file",
    "yearend_agree_uncomputed",
    "yearend_confirm_required",
    "yearend_assignment_breaches",
    "yearend_dossier_submitted",
];

/// The codes of [`CODES`] that refuse for the state of the review ([`YearEndError::about_state`]).
pub const STATE_CODES: &[&str] = &[
    "yearend_not_open",
    "yearend_already_open",
    "yearend_deadline_passed",
    "yearend_dossier_frozen",
    "yearend_not_member",
    "yearend_phase",
    "yearend_not_assigned",
    "yearend_finding_exists",
    "yearend_dispute_resolved",
    "yearend_locked",
    "yearend_not_settled",
    "yearend_findings_missing",
    "yearend_not_locked",
    "yearend_published",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_code_is_a_code_and_a_phase_refusal_is_about_state() {
        for code in STATE_CODES {
            assert!(CODES.contains(code), "{code}");
        }
        let DomainError::YearEnd(e) = phase("already_drawn", "drawn", Vec::new()) else {
            unreachable!()
        };
        assert!(e.about_state());
        let DomainError::YearEnd(e) = refuse("yearend_score_out_of_range", "over") else {
            unreachable!()
        };
        assert!(!e.about_state(), "a score the form can correct");
    }
}
