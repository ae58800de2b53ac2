//! Events: the only way the state changes. An [`Event`] is an envelope (format version, log
//! index, time, actor, unit concerned, salt) around a [`Payload`]; its canonical bytes are what
//! the ledger hashes and what the store keeps. See `docs/event-encoding.md`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{ClusterId, CovenantId, MovementId, UnitId, UserId};
use crate::model::{
    CovenantContent, LeadershipMethod, LeadershipPosition, LineageChange, ReportingWindow, Role,
    UnitKind,
};
use crate::text::Text;

/// The version of the envelope and payload encoding. Readers accept every version they know;
/// a change of meaning gets a new version, old events are never rewritten.
pub const EVENT_FORMAT: u32 = 1;

/// Who caused an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// The operator at the command line (`thidua` subcommands, the demonstration loader).
    System,
    User(UserId),
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::System => f.write_str("system"),
            Actor::User(u) => write!(f, "user:{u}"),
        }
    }
}

/// What happened. Serialised with `kind` as the tag and the fields under `data`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Payload {
    UserRegistered {
        user: UserId,
        display_name: Text,
        demo: bool,
    },
    RoleGranted {
        user: UserId,
        role: Role,
    },
    RoleRevoked {
        user: UserId,
        role: Role,
    },
    UnitCreated {
        unit: UnitId,
        name: Text,
        short_code: Text,
        kind: UnitKind,
        parent: Option<UnitId>,
        established: NaiveDate,
    },
    UnitRenamed {
        unit: UnitId,
        name: Text,
        short_code: Text,
        effective: NaiveDate,
        decision: Text,
    },
    LineageRecorded(LineageChange),
    ClusterCreated {
        cluster: ClusterId,
        name: Text,
    },
    ClusterYearSet {
        cluster: ClusterId,
        year: i32,
        members: Vec<UnitId>,
    },
    ClusterLeadershipSet {
        cluster: ClusterId,
        year: i32,
        position: LeadershipPosition,
        unit: UnitId,
        method: LeadershipMethod,
        decision: Text,
    },
    MovementCreated {
        movement: MovementId,
        name: Text,
        year: i32,
        plan_ref: Text,
        slogan: Option<Text>,
        calendar: Vec<ReportingWindow>,
    },
    CovenantDrafted {
        covenant: CovenantId,
        movement: MovementId,
        cluster: ClusterId,
        version: u32,
        content: CovenantContent,
    },
    CovenantDraftAmended {
        covenant: CovenantId,
        version: u32,
        content: CovenantContent,
    },
    CovenantSigned {
        covenant: CovenantId,
        version: u32,
        unit: UnitId,
        /// The covenant version's hash (hex) that the leader confirmed.
        hash: String,
    },
    CovenantFrozen {
        covenant: CovenantId,
        version: u32,
        hash: String,
    },
    /// A unit's witness key (C2SP tlog-cosignature verifier key), replacing any earlier one.
    WitnessKeyRegistered {
        unit: UnitId,
        key: String,
    },
}

impl Payload {
    /// The stable kind name (the serde tag).
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::UserRegistered { .. } => "user_registered",
            Payload::RoleGranted { .. } => "role_granted",
            Payload::RoleRevoked { .. } => "role_revoked",
            Payload::UnitCreated { .. } => "unit_created",
            Payload::UnitRenamed { .. } => "unit_renamed",
            Payload::LineageRecorded(_) => "lineage_recorded",
            Payload::ClusterCreated { .. } => "cluster_created",
            Payload::ClusterYearSet { .. } => "cluster_year_set",
            Payload::ClusterLeadershipSet { .. } => "cluster_leadership_set",
            Payload::MovementCreated { .. } => "movement_created",
            Payload::CovenantDrafted { .. } => "covenant_drafted",
            Payload::CovenantDraftAmended { .. } => "covenant_draft_amended",
            Payload::CovenantSigned { .. } => "covenant_signed",
            Payload::CovenantFrozen { .. } => "covenant_frozen",
            Payload::WitnessKeyRegistered { .. } => "witness_key_registered",
        }
    }

    /// The unit an event concerns, used to scope who may read it before publication.
    pub fn unit(&self) -> Option<&UnitId> {
        match self {
            Payload::UnitCreated { unit, .. }
            | Payload::UnitRenamed { unit, .. }
            | Payload::ClusterLeadershipSet { unit, .. }
            | Payload::CovenantSigned { unit, .. }
            | Payload::WitnessKeyRegistered { unit, .. } => Some(unit),
            Payload::RoleGranted { role, .. } | Payload::RoleRevoked { role, .. } => match role {
                Role::Officer { unit } | Role::Leader { unit } => Some(unit),
                _ => None,
            },
            Payload::LineageRecorded(change) => change.successors.first(),
            _ => None,
        }
    }
}

/// One entry of the log: an envelope around a payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The encoding version, [`EVENT_FORMAT`].
    pub v: u32,
    /// Position in the log, from 0.
    pub index: u64,
    /// Milliseconds since the Unix epoch (UTC), from the server's clock at append.
    pub time_ms: i64,
    pub actor: Actor,
    /// 16 random bytes (hex) so that a leaf hash reveals nothing about a low-entropy event.
    pub salt: String,
    #[serde(flatten)]
    pub payload: Payload,
}

/// Errors decoding stored bytes into an event.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("entry {index}: not a valid event: {source}")]
    Json {
        index: u64,
        source: serde_json::Error,
    },
    #[error("entry {index}: unsupported event format {v}")]
    Format { index: u64, v: u32 },
    #[error("entry {index}: bytes are not in canonical form")]
    NotCanonical { index: u64 },
    #[error("entry {expected}: stored event says index {found}")]
    IndexMismatch { expected: u64, found: u64 },
}

impl Event {
    /// The canonical bytes: compact JSON, object keys sorted by their UTF-8 bytes, strings in
    /// NFC, decimals as strings, no insignificant whitespace.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical_json(self)
    }

    /// Decodes stored bytes and checks they are canonical and at the expected index.
    pub fn decode(expected_index: u64, bytes: &[u8]) -> Result<Event, DecodeError> {
        let event: Event = serde_json::from_slice(bytes).map_err(|source| DecodeError::Json {
            index: expected_index,
            source,
        })?;
        if event.v != EVENT_FORMAT {
            return Err(DecodeError::Format {
                index: expected_index,
                v: event.v,
            });
        }
        if event.index != expected_index {
            return Err(DecodeError::IndexMismatch {
                expected: expected_index,
                found: event.index,
            });
        }
        if event.canonical_bytes() != bytes {
            return Err(DecodeError::NotCanonical {
                index: expected_index,
            });
        }
        Ok(event)
    }
}

/// Serialises any value as canonical JSON (see [`Event::canonical_bytes`]).
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    // serde_json's `Value` keeps objects in a BTreeMap (the `preserve_order` feature is off in
    // this workspace), so going through it sorts keys bytewise.
    let value = serde_json::to_value(value).expect("domain values always serialise");
    serde_json::to_vec(&value).expect("a JSON value always serialises")
}

/// Parses a date written `dd/mm/yyyy` (the Vietnamese form) or `yyyy-mm-dd`.
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Event {
        Event {
            v: EVENT_FORMAT,
            index: 7,
            time_ms: 1_711_420_000_000,
            actor: Actor::System,
            salt: "00112233445566778899aabbccddeeff".into(),
            payload: Payload::ClusterCreated {
                cluster: ClusterId::parse("cum-12").unwrap(),
                name: Text::parse("name", "Cụm thi đua số 12", 200).unwrap(),
            },
        }
    }

    #[test]
    fn canonical_bytes_are_stable() {
        let bytes = sample().canonical_bytes();
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            r#"{"actor":{"type":"system"},"data":{"cluster":"cum-12","name":"Cụm thi đua số 12"},"index":7,"kind":"cluster_created","salt":"00112233445566778899aabbccddeeff","time_ms":1711420000000,"v":1}"#
        );
        assert_eq!(Event::decode(7, &bytes).unwrap(), sample());
    }

    #[test]
    fn decode_rejects_non_canonical_and_misplaced() {
        let bytes = sample().canonical_bytes();
        assert!(matches!(
            Event::decode(8, &bytes),
            Err(DecodeError::IndexMismatch { .. })
        ));
        let mut spaced = String::from_utf8(bytes).unwrap();
        spaced = spaced.replacen(',', ", ", 1);
        assert!(matches!(
            Event::decode(7, spaced.as_bytes()),
            Err(DecodeError::NotCanonical { .. })
        ));
        let extra = r#"{"actor":{"type":"system"},"data":{"cluster":"cum-12","name":"x"},"evil":1,"index":7,"kind":"cluster_created","salt":"00","time_ms":1,"v":1}"#;
        assert!(Event::decode(7, extra.as_bytes()).is_err());
    }
}
