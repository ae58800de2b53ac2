//! The year-end commands: field rules (text limits, hex values, evidence), then the events.
//! Whether an event fits the review is checked when it is applied ([`super::state`]).

use super::error::refuse;
use super::*;
use crate::authz::authorise;
use crate::event::{Actor, Payload};
use crate::text::limits;

/// Longest answer to one disputed criterion.
pub const ANSWER_LIMIT: usize = 2000;
/// Largest evidence file accepted (bytes).
pub const EVIDENCE_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Evidence file types, by media type (the content is checked where the file is stored).
pub const EVIDENCE_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
];

fn hex32(field: &'static str, raw: &str) -> Result<(), DomainError> {
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

fn check_entry(id: &str, e: &DossierEntry) -> Result<(), DomainError> {
    e.justification.check("justification", limits::REASON * 4)?;
    for f in &e.evidence {
        hex32("sha256", &f.sha256)?;
        f.name.check("file_name", limits::NAME)?;
        if !EVIDENCE_TYPES.contains(&f.media_type.as_str()) {
            return Err(refuse(
                "yearend_evidence_invalid",
                format!(
                    "{id}: {} is not an accepted file type (PDF, JPEG, PNG, DOCX, XLSX)",
                    f.media_type
                ),
            ));
        }
        if f.size == 0 || f.size > EVIDENCE_MAX_BYTES {
            return Err(refuse(
                "yearend_evidence_invalid",
                format!("{id}: a file is 1 byte to {EVIDENCE_MAX_BYTES} bytes"),
            ));
        }
    }
    Ok(())
}

/// Checks a year-end command and turns it into its events.
pub fn decide(
    state: &State,
    actor: &Actor,
    command: YearEndCommand,
) -> Result<Vec<Payload>, DomainError> {
    use YearEndCommand as C;
    use YearEndEvent as E;
    // Who may give the command first: what follows reads the review (revisions, ties, scores).
    authorise(state, actor, &command.permission(state)?)?;
    let event = match command {
        C::Open {
            covenant,
            dossier_deadline,
            commit_deadline,
            response_deadline,
            inspectors,
            record_sample,
        } => E::YearEndOpened(YearEndOpened {
            covenant,
            dossier_deadline,
            commit_deadline,
            response_deadline,
            inspectors,
            record_sample,
        }),
        C::SaveDossier {
            covenant,
            unit,
            entries,
        } => {
            for (id, e) in &entries {
                check_entry(id, e)?;
            }
            let revision = state
                .review(&covenant)?
                .dossiers
                .get(&unit)
                .map_or(1, |d| d.revision + 1);
            E::DossierSaved(DossierSaved {
                covenant,
                unit,
                revision,
                entries,
            })
        }
        C::SubmitDossier {
            covenant,
            unit,
            revision,
        } => {
            let dossier = state
                .review(&covenant)?
                .dossiers
                .get(&unit)
                .cloned()
                .unwrap_or_default();
            if dossier.revision != revision {
                return Err(refuse(
                    "yearend_stale_revision",
                    format!("the current revision is {}", dossier.revision),
                ));
            }
            E::DossierSubmitted(DossierSubmitted {
                covenant,
                unit,
                revision,
                entries: dossier.entries,
            })
        }
        C::DeclareConflict {
            covenant,
            unit,
            other,
            reason,
        } => {
            reason.check("reason", limits::REASON)?;
            E::ConflictDeclared(ConflictDeclared {
                covenant,
                unit,
                other,
                reason,
            })
        }
        C::CommitSeed {
            covenant,
            unit,
            commitment,
        } => {
            hex32("commitment", &commitment)?;
            E::SeedCommitted(SeedCommitted {
                covenant,
                unit,
                commitment,
            })
        }
        C::RevealSeed {
            covenant,
            unit,
            value,
        } => {
            hex32("value", &value)?;
            E::SeedRevealed(SeedRevealed {
                covenant,
                unit,
                value,
            })
        }
        C::PinBeacon { covenant, round } => E::BeaconPinned(BeaconPinned {
            covenant,
            chain: beacon::QUICKNET.chain.into(),
            round,
        }),
        C::RecordBeacon {
            covenant,
            signature,
        } => {
            let review = state.review(&covenant)?;
            let Some(pinned) = &review.beacon else {
                return Err(refuse("yearend_phase", "no beacon round is pinned"));
            };
            E::BeaconRecorded(BeaconRecorded {
                covenant,
                round: pinned.round,
                signature: signature.trim().to_ascii_lowercase(),
            })
        }
        C::DrawAssignment { covenant } => {
            let review = state.review(&covenant)?;
            E::AssignmentDrawn(state::compute_draw(state, review))
        }
        C::DecideAssignment {
            covenant,
            pairs,
            reason,
        } => {
            reason.check("reason", limits::REASON)?;
            E::AssignmentDecided(AssignmentDecided {
                covenant,
                pairs,
                reason,
            })
        }
        C::DeclareRecords {
            covenant,
            unit,
            population,
            description,
        } => {
            description.check("description", limits::REASON)?;
            if population == 0 {
                return Err(DomainError::InvalidValue {
                    field: "population",
                    reason: "at least one record".into(),
                });
            }
            E::RecordsDeclared(RecordsDeclared {
                covenant,
                unit,
                population,
                description,
            })
        }
        C::SubmitFinding {
            covenant,
            inspector,
            inspected,
            items,
            recheck,
        } => {
            for item in items.values() {
                if let Some(r) = &item.reason {
                    r.check("reason", limits::REASON)?;
                }
            }
            E::FindingSubmitted(FindingSubmitted {
                covenant,
                inspector,
                inspected,
                items,
                recheck,
            })
        }
        C::SubmitResponse {
            covenant,
            unit,
            answers,
        } => {
            for a in answers.values() {
                a.text.check("answer", ANSWER_LIMIT)?;
            }
            E::ResponseSubmitted(ResponseSubmitted {
                covenant,
                unit,
                answers,
            })
        }
        C::ResolveDispute {
            covenant,
            unit,
            criterion,
            score,
            reason,
        } => {
            reason.check("reason", limits::REASON)?;
            E::DisputeResolved(DisputeResolved {
                covenant,
                unit,
                criterion,
                score,
                reason,
            })
        }
        C::RecordEligibility {
            covenant,
            unit,
            discipline_pending,
            note,
        } => {
            note.check("note", limits::REASON)?;
            E::EligibilityRecorded(EligibilityRecorded {
                covenant,
                unit,
                discipline_pending,
                note,
            })
        }
        C::Lock { covenant } => E::YearEndLocked(YearEndLocked { covenant }),
        C::DecideCutoffTie {
            covenant,
            band,
            units,
            reason,
        } => {
            reason.check("reason", limits::REASON)?;
            let review = state.review(&covenant)?;
            let board = score::scoreboard(state, review, score::Scores::FinalUndecided, false)?;
            let ties = score::cutoff_ties(review, &board);
            let tie = ties.iter().find(|t| t.band == band).ok_or_else(|| {
                refuse(
                    "yearend_tie_invalid",
                    format!("no tie at the cut-off of band {band}"),
                )
            })?;
            let mut chosen = units.clone();
            chosen.sort();
            chosen.dedup();
            if chosen.len() != units.len()
                || units.len() != tie.seats.min(tie.units.len())
                || units.iter().any(|u| !tie.units.contains(u))
            {
                return Err(refuse(
                    "yearend_tie_invalid",
                    format!(
                        "choose {} of the tied units",
                        tie.seats.min(tie.units.len())
                    ),
                ));
            }
            E::CutoffTieDecided(CutoffTieDecided {
                covenant,
                band,
                units,
                reason,
            })
        }
        C::PublishResults { covenant } => {
            let review = state.review(&covenant)?;
            if review.locked_at.is_some() {
                let board = score::scoreboard(state, review, score::Scores::FinalUndecided, false)?;
                let open: Vec<String> = score::cutoff_ties(review, &board)
                    .into_iter()
                    .filter(|t| !review.cutoff_ties.contains_key(&t.band))
                    .map(|t| t.band)
                    .collect();
                if !open.is_empty() {
                    return Err(refuse(
                        "yearend_tie_undecided",
                        format!(
                            "the cluster head decides the tie at the cut-off of {}",
                            open.join(", ")
                        ),
                    ));
                }
            }
            let regulation = state.regulation_in_force(&covenant)?.0.sha256.clone();
            E::ResultsPublished(ResultsPublished {
                covenant: covenant.clone(),
                regulation,
                results: score::results(state, review)?,
            })
        }
    };
    // The event's permission, which replay checks, is the command's: checked again here so
    // that a difference between the two can never let an event through.
    authorise(state, actor, &permission(state, &event)?)?;
    Ok(vec![Payload::YearEnd(event)])
}
