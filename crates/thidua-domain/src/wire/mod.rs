//! The log's byte format (see `docs/event-encoding.md`). Each event kind has numbered formats;
//! the structures of a format ([`v1`], [`v2`], [`documents`], [`midyear`], …) are frozen once events were written with them,
//! and every format ever written keeps decoding to the in-memory model ([`crate::event`]) for
//! ever. New events are written in the newest format of their kind. A change of meaning gets a
//! new kind or a new format; the model may change freely as long as old formats still map to it.
//!
//! Decoding checks canonical form at the level of the format's own structure: the stored bytes
//! must be exactly what that format's encoder writes for the decoded value.

pub mod accounts;
pub mod documents;
pub mod explanations;
pub mod holidays;
pub mod lineage;
pub mod midyear;
pub mod v1;
pub mod v2;
pub mod v3;
pub mod votes;
pub mod yearend;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::event::{Actor, Event, Payload};
use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::CovenantContent;

/// The newest format of each event kind: what new events are written with.
pub const LATEST_FORMATS: &[(&str, u32)] = &[
    ("user_registered", 1),
    ("role_granted", 1),
    ("role_revoked", 1),
    ("unit_created", 1),
    ("unit_renamed", 1),
    ("lineage_recorded", 1),
    ("cluster_created", 1),
    ("cluster_year_set", 1),
    ("cluster_leadership_set", 1),
    ("movement_created", 1),
    ("covenant_drafted", 2),
    ("covenant_draft_amended", 2),
    ("covenant_draft_withdrawn", 1),
    ("covenant_signed", 1),
    ("covenant_frozen", 1),
    ("witness_key_registered", 1),
    ("witness_policy_set", 1),
    ("figures_saved", 1),
    ("figures_submitted", 1),
    ("figures_approved", 1),
    ("figures_reopened", 1),
    ("figures_deadline_set", 1),
    ("figures_rules_set", 1),
    ("historical_import_recorded", 1),
    ("historical_figures_recorded", 1),
    ("document_issued", 2),
    ("standing_recorded", 1),
    ("election_opened", 1),
    ("ceremony_posted", 1),
    ("voter_key_registered", 1),
    ("ballot_cast", 1),
    ("round_closed", 1),
    ("decryption_posted", 1),
    ("round_counted", 1),
    ("second_round_opened", 1),
    ("tie_decided", 2),
    ("paper_count_recorded", 1),
    ("paper_count_confirmed", 1),
    ("paper_count_withdrawn", 1),
    ("electronic_count_abandoned", 1),
    ("election_cancelled", 1),
    ("election_concluded", 1),
    // The year-end kinds (`crate::yearend::KINDS`), all in format 1 ([`yearend`]).
    ("year_end_opened", 2),
    ("dossier_saved", 1),
    ("dossier_submitted", 1),
    ("conflict_declared", 1),
    ("seed_committed", 1),
    ("seed_revealed", 1),
    ("assignment_drawn", 1),
    ("assignment_decided", 2),
    ("records_declared", 1),
    ("finding_submitted", 1),
    ("response_submitted", 1),
    ("dispute_resolved", 1),
    ("eligibility_recorded", 1),
    ("year_end_locked", 1),
    ("results_published", 1),
    ("cutoff_tie_decided", 1),
    ("midyear_review_frozen", 1),
    ("beacon_pinned", 1),
    ("beacon_recorded", 1),
    ("year_end_deadline_moved", 1),
    ("flag_explained", 1),
    ("holidays_declared", 2),
    ("lineage_withdrawn", 1),
    ("password_reset", 1),
];

/// Errors decoding stored bytes into an event.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("entry {index}: not a valid event: {reason}")]
    Json { index: u64, reason: String },
    #[error("entry {index}: unknown event kind {kind:?} or format {v}")]
    Format { index: u64, kind: String, v: u32 },
    #[error("entry {index}: bytes are not in canonical form")]
    NotCanonical { index: u64 },
    #[error("entry {expected}: stored event says index {found}")]
    IndexMismatch { expected: u64, found: u64 },
}

/// The actor as written in the envelope: `{"type":"system"}` or `{"type":"user","id":"…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    content = "id",
    rename_all = "snake_case",
    deny_unknown_fields
)]
enum WireActor {
    System,
    User(UserId),
}

/// The envelope common to every kind and format.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    /// The format of this kind's `data`.
    v: u32,
    index: u64,
    time_ms: i64,
    actor: WireActor,
    salt: String,
    kind: String,
    data: Value,
}

/// Serialises any value as canonical JSON: compact, object keys sorted by their UTF-8 bytes.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    // serde_json's `Value` keeps objects in a BTreeMap (the `preserve_order` feature is off in
    // this workspace), so going through it sorts keys bytewise.
    let value = serde_json::to_value(value).expect("wire values always serialise");
    serde_json::to_vec(&value).expect("a JSON value always serialises")
}

/// The canonical bytes of `event` in the newest format of its kind.
pub fn encode(event: &Event) -> Vec<u8> {
    let (v, data) = encode_payload(&event.payload);
    let envelope = Envelope {
        v,
        index: event.index,
        time_ms: event.time_ms,
        actor: match &event.actor {
            Actor::System => WireActor::System,
            Actor::User(u) => WireActor::User(u.clone()),
        },
        salt: event.salt.clone(),
        kind: event.payload.kind().to_owned(),
        data,
    };
    canonical_json(&envelope)
}

/// The `data` object of a payload in the newest format of its kind (what the API shows).
pub fn payload_data(payload: &Payload) -> Value {
    encode_payload(payload).1
}

/// Decodes the stored bytes of entry `expected_index`, in whatever format they were written.
pub fn decode(expected_index: u64, bytes: &[u8]) -> Result<Event, DecodeError> {
    let json = |e: serde_json::Error| DecodeError::Json {
        index: expected_index,
        reason: e.to_string(),
    };
    let envelope: Envelope = serde_json::from_slice(bytes).map_err(json)?;
    if envelope.index != expected_index {
        return Err(DecodeError::IndexMismatch {
            expected: expected_index,
            found: envelope.index,
        });
    }
    let Envelope {
        v,
        index,
        time_ms,
        actor,
        salt,
        kind,
        data,
    } = envelope;
    let (payload, data) = match decode_payload(&kind, v, data) {
        Some(decoded) => decoded.map_err(json)?,
        None => {
            return Err(DecodeError::Format {
                index: expected_index,
                kind,
                v,
            })
        }
    };
    let reencoded = Envelope {
        v,
        index,
        time_ms,
        actor: actor.clone(),
        salt,
        kind,
        data,
    };
    if canonical_json(&reencoded) != bytes {
        return Err(DecodeError::NotCanonical {
            index: expected_index,
        });
    }
    Ok(Event {
        index,
        time_ms,
        actor: match actor {
            WireActor::System => Actor::System,
            WireActor::User(u) => Actor::User(u),
        },
        salt: reencoded.salt,
        payload,
    })
}

pub(crate) type Decoded = Result<(Payload, Value), serde_json::Error>;

/// Reads `data` as the format structure `W`, returning the payload and `W` encoded again (for
/// the canonical check).
fn typed<W: DeserializeOwned + Serialize>(data: Value, into: impl FnOnce(W) -> Payload) -> Decoded {
    let wire: W = serde_json::from_value(data)?;
    let again = serde_json::to_value(&wire)?;
    Ok((into(wire), again))
}

/// The decoder of each (kind, format) ever written; `None` for an unknown pair.
fn decode_payload(kind: &str, v: u32, data: Value) -> Option<Decoded> {
    use Payload as P;
    if crate::yearend::KINDS.contains(&kind) {
        return yearend::decode(kind, v, data);
    }
    Some(match (kind, v) {
        ("user_registered", 1) => typed(data, |w: v1::UserRegistered| P::UserRegistered {
            user: w.user,
            display_name: w.display_name,
            demo: w.demo,
        }),
        ("role_granted", 1) => typed(data, |w: v1::RoleChange| P::RoleGranted {
            user: w.user,
            role: w.role.into(),
        }),
        ("role_revoked", 1) => typed(data, |w: v1::RoleChange| P::RoleRevoked {
            user: w.user,
            role: w.role.into(),
        }),
        ("unit_created", 1) => typed(data, |w: v1::UnitCreated| P::UnitCreated {
            unit: w.unit,
            name: w.name,
            short_code: w.short_code,
            kind: w.kind.into(),
            parent: w.parent,
            established: w.established,
        }),
        ("unit_renamed", 1) => typed(data, |w: v1::UnitRenamed| P::UnitRenamed {
            unit: w.unit,
            name: w.name,
            short_code: w.short_code,
            effective: w.effective,
            decision: w.decision,
        }),
        ("lineage_recorded", 1) => typed(data, |w: v1::LineageChange| P::LineageRecorded(w.into())),
        ("cluster_created", 1) => typed(data, |w: v1::ClusterCreated| P::ClusterCreated {
            cluster: w.cluster,
            name: w.name,
        }),
        ("cluster_year_set", 1) => typed(data, |w: v1::ClusterYearSet| P::ClusterYearSet {
            cluster: w.cluster,
            year: w.year,
            members: w.members,
        }),
        ("cluster_leadership_set", 1) => typed(data, |w: v1::ClusterLeadershipSet| {
            P::ClusterLeadershipSet {
                cluster: w.cluster,
                year: w.year,
                position: w.position.into(),
                unit: w.unit,
                method: w.method.into(),
                decision: w.decision,
            }
        }),
        ("movement_created", 1) => typed(data, |w: v1::MovementCreated| P::MovementCreated {
            movement: w.movement,
            name: w.name,
            year: w.year,
            plan_ref: w.plan_ref,
            slogan: w.slogan,
            calendar: w.calendar.into_iter().map(Into::into).collect(),
        }),
        ("covenant_drafted", 1) => typed(data, |w: v1::CovenantDrafted| P::CovenantDrafted {
            covenant: w.covenant,
            movement: w.movement,
            cluster: w.cluster,
            version: w.version,
            content: w.content.into(),
        }),
        ("covenant_drafted", 2) => typed(data, |w: v2::CovenantDrafted| P::CovenantDrafted {
            covenant: w.covenant,
            movement: w.movement,
            cluster: w.cluster,
            version: w.version,
            content: w.content.into(),
        }),
        ("covenant_draft_amended", 1) => typed(data, |w: v1::CovenantDraftAmended| {
            P::CovenantDraftAmended {
                covenant: w.covenant,
                version: w.version,
                content: w.content.into(),
            }
        }),
        ("covenant_draft_amended", 2) => typed(data, |w: v2::CovenantDraftAmended| {
            P::CovenantDraftAmended {
                covenant: w.covenant,
                version: w.version,
                content: w.content.into(),
            }
        }),
        ("covenant_draft_withdrawn", 1) => typed(data, |w: v2::CovenantDraftWithdrawn| {
            P::CovenantDraftWithdrawn {
                covenant: w.covenant,
                version: w.version,
                reason: w.reason,
            }
        }),
        ("covenant_signed", 1) => typed(data, |w: v1::CovenantSigned| P::CovenantSigned {
            covenant: w.covenant,
            version: w.version,
            unit: w.unit,
            hash: w.hash,
        }),
        ("covenant_frozen", 1) => typed(data, |w: v1::CovenantFrozen| P::CovenantFrozen {
            covenant: w.covenant,
            version: w.version,
            hash: w.hash,
        }),
        ("witness_key_registered", 1) => typed(data, |w: v1::WitnessKeyRegistered| {
            P::WitnessKeyRegistered {
                unit: w.unit,
                key: w.key,
            }
        }),
        ("witness_policy_set", 1) => typed(data, |w: v2::WitnessPolicySet| P::WitnessPolicySet {
            witnesses: w.witnesses,
            quorum: w.quorum,
        }),
        ("figures_saved", 1) => typed(data, |w: v3::FiguresSaved| P::FiguresSaved {
            covenant: w.covenant,
            unit: w.unit,
            window: w.window,
            revision: w.revision,
            values: v3::from_wire(w.values),
            comments: w.comments,
        }),
        ("figures_submitted", 1) => typed(data, |w: v3::FiguresRevision| P::FiguresSubmitted {
            covenant: w.covenant,
            unit: w.unit,
            window: w.window,
            revision: w.revision,
        }),
        ("figures_approved", 1) => typed(data, |w: v3::FiguresRevision| P::FiguresApproved {
            covenant: w.covenant,
            unit: w.unit,
            window: w.window,
            revision: w.revision,
        }),
        ("figures_reopened", 1) => typed(data, |w: v3::FiguresReopened| P::FiguresReopened {
            covenant: w.covenant,
            unit: w.unit,
            window: w.window,
            reason: w.reason,
        }),
        ("figures_deadline_set", 1) => {
            typed(data, |w: v3::FiguresDeadlineSet| P::FiguresDeadlineSet {
                covenant: w.covenant,
                window: w.window,
                deadline: w.deadline,
            })
        }
        ("figures_rules_set", 1) => typed(data, |w: v3::FiguresRulesSet| P::FiguresRulesSet {
            covenant: w.covenant,
            rules: w.rules.into_iter().map(Into::into).collect(),
        }),
        ("historical_import_recorded", 1) => typed(data, |w: v3::HistoricalImportRecorded| {
            P::HistoricalImportRecorded {
                covenant: w.covenant,
                file_name: w.file_name,
                sha256: w.sha256,
                reports: w.reports,
            }
        }),
        ("historical_figures_recorded", 1) => typed(data, |w: v3::HistoricalFiguresRecorded| {
            P::HistoricalFiguresRecorded {
                covenant: w.covenant,
                import: w.import,
                unit: w.unit,
                year: w.year,
                window: w.window,
                values: v3::from_wire(w.values),
            }
        }),
        ("document_issued", v @ (1 | 2)) => {
            typed(data, |w: documents::DocumentIssued| P::DocumentIssued {
                cluster: w.cluster,
                year: w.year,
                kind: w.kind.into(),
                date: w.date,
                number: w.number,
                symbol: w.symbol,
                title: w.title,
                sha256: w.sha256,
                subject: w.subject,
            })
            .and_then(|(payload, again)| {
                // The subject is format 2's, and format 2 always has it.
                if again.get("subject").is_some() == (v == 2) {
                    Ok((payload, again))
                } else {
                    Err(serde::de::Error::custom(
                        "subject is written in format 2 of document_issued, and only there",
                    ))
                }
            })
        }
        ("midyear_review_frozen", v) => return midyear::decode(v, data),
        ("flag_explained", v) => return explanations::decode(v, data),
        ("holidays_declared", v) => return holidays::decode(v, data),
        ("lineage_withdrawn", v) => return lineage::decode(v, data),
        ("password_reset", v) => return accounts::decode(v, data),
        ("tie_decided", 2) => votes::decode_tie_decided_2(data),
        (kind, 1) => return votes::decode(kind, data),
        _ => return None,
    })
}

fn to_value<W: Serialize>(v: u32, wire: W) -> (u32, Value) {
    (
        v,
        serde_json::to_value(wire).expect("wire values always serialise"),
    )
}

/// The newest format of a payload: its number and its `data` object.
fn encode_payload(payload: &Payload) -> (u32, Value) {
    use Payload as P;
    match payload.clone() {
        P::UserRegistered {
            user,
            display_name,
            demo,
        } => to_value(
            1,
            v1::UserRegistered {
                user,
                display_name,
                demo,
            },
        ),
        P::RoleGranted { user, role } | P::RoleRevoked { user, role } => to_value(
            1,
            v1::RoleChange {
                user,
                role: (&role).into(),
            },
        ),
        P::UnitCreated {
            unit,
            name,
            short_code,
            kind,
            parent,
            established,
        } => to_value(
            1,
            v1::UnitCreated {
                unit,
                name,
                short_code,
                kind: kind.into(),
                parent,
                established,
            },
        ),
        P::UnitRenamed {
            unit,
            name,
            short_code,
            effective,
            decision,
        } => to_value(
            1,
            v1::UnitRenamed {
                unit,
                name,
                short_code,
                effective,
                decision,
            },
        ),
        P::LineageRecorded(change) => to_value(1, v1::LineageChange::from(&change)),
        P::ClusterCreated { cluster, name } => to_value(1, v1::ClusterCreated { cluster, name }),
        P::ClusterYearSet {
            cluster,
            year,
            members,
        } => to_value(
            1,
            v1::ClusterYearSet {
                cluster,
                year,
                members,
            },
        ),
        P::ClusterLeadershipSet {
            cluster,
            year,
            position,
            unit,
            method,
            decision,
        } => to_value(
            1,
            v1::ClusterLeadershipSet {
                cluster,
                year,
                position: position.into(),
                unit,
                method: method.into(),
                decision,
            },
        ),
        P::MovementCreated {
            movement,
            name,
            year,
            plan_ref,
            slogan,
            calendar,
        } => to_value(
            1,
            v1::MovementCreated {
                movement,
                name,
                year,
                plan_ref,
                slogan,
                calendar: calendar.iter().map(Into::into).collect(),
            },
        ),
        P::CovenantDrafted {
            covenant,
            movement,
            cluster,
            version,
            content,
        } => to_value(
            2,
            v2::CovenantDrafted {
                covenant,
                movement,
                cluster,
                version,
                content: (&content).into(),
            },
        ),
        P::CovenantDraftAmended {
            covenant,
            version,
            content,
        } => to_value(
            2,
            v2::CovenantDraftAmended {
                covenant,
                version,
                content: (&content).into(),
            },
        ),
        P::CovenantDraftWithdrawn {
            covenant,
            version,
            reason,
        } => to_value(
            1,
            v2::CovenantDraftWithdrawn {
                covenant,
                version,
                reason,
            },
        ),
        P::CovenantSigned {
            covenant,
            version,
            unit,
            hash,
        } => to_value(
            1,
            v1::CovenantSigned {
                covenant,
                version,
                unit,
                hash,
            },
        ),
        P::CovenantFrozen {
            covenant,
            version,
            hash,
        } => to_value(
            1,
            v1::CovenantFrozen {
                covenant,
                version,
                hash,
            },
        ),
        P::WitnessKeyRegistered { unit, key } => {
            to_value(1, v1::WitnessKeyRegistered { unit, key })
        }
        P::WitnessPolicySet { witnesses, quorum } => {
            to_value(1, v2::WitnessPolicySet { witnesses, quorum })
        }
        P::FiguresSaved {
            covenant,
            unit,
            window,
            revision,
            values,
            comments,
        } => to_value(
            1,
            v3::FiguresSaved {
                covenant,
                unit,
                window,
                revision,
                values: v3::to_wire(&values),
                comments,
            },
        ),
        P::FiguresSubmitted {
            covenant,
            unit,
            window,
            revision,
        }
        | P::FiguresApproved {
            covenant,
            unit,
            window,
            revision,
        } => to_value(
            1,
            v3::FiguresRevision {
                covenant,
                unit,
                window,
                revision,
            },
        ),
        P::FiguresReopened {
            covenant,
            unit,
            window,
            reason,
        } => to_value(
            1,
            v3::FiguresReopened {
                covenant,
                unit,
                window,
                reason,
            },
        ),
        P::FiguresDeadlineSet {
            covenant,
            window,
            deadline,
        } => to_value(
            1,
            v3::FiguresDeadlineSet {
                covenant,
                window,
                deadline,
            },
        ),
        P::FiguresRulesSet { covenant, rules } => to_value(
            1,
            v3::FiguresRulesSet {
                covenant,
                rules: rules.iter().map(Into::into).collect(),
            },
        ),
        P::HistoricalImportRecorded {
            covenant,
            file_name,
            sha256,
            reports,
        } => to_value(
            1,
            v3::HistoricalImportRecorded {
                covenant,
                file_name,
                sha256,
                reports,
            },
        ),
        P::HistoricalFiguresRecorded {
            covenant,
            import,
            unit,
            year,
            window,
            values,
        } => to_value(
            1,
            v3::HistoricalFiguresRecorded {
                covenant,
                import,
                unit,
                year,
                window,
                values: v3::to_wire(&values),
            },
        ),
        P::DocumentIssued {
            cluster,
            year,
            kind,
            date,
            number,
            symbol,
            title,
            sha256,
            subject,
        } => to_value(
            if subject.is_some() { 2 } else { 1 },
            documents::DocumentIssued {
                cluster,
                year,
                kind: kind.into(),
                date,
                number,
                symbol,
                title,
                sha256,
                subject,
            },
        ),
        P::Vote(vote) => votes::encode(&vote),
        P::YearEnd(e) => yearend::encode(&e),
        P::MidyearReviewFrozen(e) => midyear::encode(&e),
        P::FlagExplained(e) => explanations::encode(&e),
        P::HolidaysDeclared(e) => holidays::encode(&e),
        P::LineageWithdrawn(e) => lineage::encode(&e),
        P::PasswordReset { user } => accounts::encode(user),
    }
}

/// The input of a covenant version's hash: everything a leader agrees to by signing.
#[derive(Serialize)]
struct CovenantHashInput<'a> {
    format: &'static str,
    covenant: &'a CovenantId,
    version: u32,
    movement: &'a MovementId,
    cluster: &'a ClusterId,
    year: i32,
    members: &'a [UnitId],
    content: v2::CovenantContent,
}

/// SHA-256 (hex) of [`covenant_hash_input`].
pub fn covenant_hash(
    covenant: &CovenantId,
    version: u32,
    movement: &MovementId,
    cluster: &ClusterId,
    year: i32,
    members: &[UnitId],
    content: &CovenantContent,
) -> String {
    let input = covenant_hash_input(covenant, version, movement, cluster, year, members, content);
    hex::encode(Sha256::digest(input))
}

/// The canonical JSON of a covenant version (`thidua-covenant/v1`), which leaders sign by its
/// hash. The content is encoded in its newest wire form, in which fields added after format 1
/// are omitted when absent: a version's hash never changes when the format grows.
pub fn covenant_hash_input(
    covenant: &CovenantId,
    version: u32,
    movement: &MovementId,
    cluster: &ClusterId,
    year: i32,
    members: &[UnitId],
    content: &CovenantContent,
) -> Vec<u8> {
    let input = CovenantHashInput {
        format: "thidua-covenant/v1",
        covenant,
        version,
        movement,
        cluster,
        year,
        members,
        content: content.into(),
    };
    canonical_json(&input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_newest_format_and_it_decodes() {
        for kind in crate::event::EVENT_KINDS {
            let v = LATEST_FORMATS
                .iter()
                .find(|(k, _)| k == kind)
                .map(|(_, v)| *v)
                .unwrap_or_else(|| panic!("{kind} has no format"));
            // An empty object is never valid data, but the pair must be known.
            assert!(
                decode_payload(kind, v, Value::Null).is_some(),
                "{kind} v{v}"
            );
        }
        assert_eq!(LATEST_FORMATS.len(), crate::event::EVENT_KINDS.len());
    }
}
