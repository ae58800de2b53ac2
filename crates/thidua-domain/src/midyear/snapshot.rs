//! The snapshot of a covenant's progress at month 6 and its canonical hash. One function for
//! the command, the audit and the tests, so what is frozen is what anyone recomputes.

use sha2::{Digest, Sha256};

use super::{cutoff, MidyearReviewFrozen, TargetSnapshot, UnitSnapshot, MONTH};
use crate::error::DomainError;
use crate::ids::CovenantId;
use crate::progress::{self, Ask, TargetProgress, UnitProgress};
use crate::state::State;

/// The `format` member added to the snapshot before hashing.
pub const HASH_FORMAT: &str = "thidua-midyear/v1";

/// The mid-year review of `covenant` computed from `state` (the log's first `state.size`
/// events): every member's progress through month 6 at most.
pub fn snapshot(state: &State, covenant: &CovenantId) -> Result<MidyearReviewFrozen, DomainError> {
    let year = state.covenant(covenant)?.year;
    let (doc, version) = state.regulation_in_force(covenant)?;
    let regulation = doc.sha256.clone();
    let ask = Ask {
        through_at_most: Some(MONTH),
        ..Ask::default()
    };
    let p = progress::compute_with(state, covenant, ask)?;
    let mut e = MidyearReviewFrozen {
        covenant: covenant.clone(),
        version,
        regulation,
        year,
        month: MONTH,
        at: state.size,
        cutoff: cutoff(state, covenant)?,
        as_of: p.as_of,
        units: p.units.iter().map(unit).collect(),
        sha256: String::new(),
    };
    e.sha256 = snapshot_hash(&e);
    Ok(e)
}

fn exact(x: &Option<thidua_scoring::Exact>) -> Option<String> {
    x.as_ref().map(ToString::to_string)
}

/// A serde enum's snake_case name.
fn code<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn unit(u: &UnitProgress) -> UnitSnapshot {
    let score = u.score.as_ref();
    UnitSnapshot {
        unit: u.unit.clone(),
        through: u.through,
        total: score.and_then(|s| exact(&s.total.clone().or(s.provisional_total.clone()))),
        score_status: score.map(|s| code(&s.status)),
        method: code(&u.method),
        targets: u.targets.iter().map(target).collect(),
    }
}

fn target(t: &TargetProgress) -> TargetSnapshot {
    TargetSnapshot {
        target: t.target.clone(),
        measured: exact(&t.measured),
        same_period: exact(&t.same_period),
        to_date: exact(&t.to_date),
        projected: exact(&t.projected),
        status: t.status.code().to_owned(),
    }
}

/// SHA-256 (hex) of the snapshot's canonical serialisation: the event's `data` without
/// `sha256`, with `"format": "thidua-midyear/v1"`, as canonical JSON (compact, keys sorted by
/// their UTF-8 bytes; see `docs/event-encoding.md`).
pub fn snapshot_hash(e: &MidyearReviewFrozen) -> String {
    let mut value = serde_json::to_value(e).expect("wire values always serialise");
    let object = value.as_object_mut().expect("a snapshot is an object");
    object.remove("sha256");
    object.insert("format".into(), HASH_FORMAT.into());
    hex::encode(Sha256::digest(crate::wire::canonical_json(&value)))
}
