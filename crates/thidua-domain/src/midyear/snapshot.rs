//! The snapshot of a covenant's progress at month 6 and its canonical hash. One function for
//! the command, the audit and the tests, so what is frozen is what anyone recomputes.

use sha2::{Digest, Sha256};

use super::{cutoff, MidyearReviewFrozen, TargetSnapshot, UnitSnapshot, MONTH};
use crate::error::DomainError;
use crate::ids::CovenantId;
use crate::progress::{self, Ask, TargetProgress, UnitProgress};
use crate::state::State;

/// The rules a snapshot was computed with, named by the `format` member added to it before
/// hashing: a review frozen by an earlier release is recomputed with the rules it was frozen
/// with, which its hash tells, so that a release that reads progress better never makes an
/// honest log fail verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotFormat {
    /// `thidua-midyear/v1` (releases before December 2026): a change target against a
    /// baseline of zero is undecided whatever its threshold.
    V1,
    /// `thidua-midyear/v2`: a "không tăng" target against a baseline of zero is judged on the
    /// counts (`progress::status::change_reading`).
    V2,
}

impl SnapshotFormat {
    /// What a review frozen now is computed with.
    pub const CURRENT: SnapshotFormat = SnapshotFormat::V2;
    /// Every format ever written, oldest first.
    pub const ALL: [SnapshotFormat; 2] = [SnapshotFormat::V1, SnapshotFormat::V2];

    /// The `format` member hashed with the snapshot.
    pub fn name(self) -> &'static str {
        match self {
            SnapshotFormat::V1 => "thidua-midyear/v1",
            SnapshotFormat::V2 => "thidua-midyear/v2",
        }
    }

    /// The format whose hash `e` carries, if any.
    pub fn of(e: &MidyearReviewFrozen) -> Option<SnapshotFormat> {
        Self::ALL
            .into_iter()
            .find(|f| e.sha256 == snapshot_hash(e, *f))
    }
}

/// The mid-year review of `covenant` computed from `state` (the log's first `state.size`
/// events): every member's progress through month 6 at most, with today's rules.
pub fn snapshot(state: &State, covenant: &CovenantId) -> Result<MidyearReviewFrozen, DomainError> {
    snapshot_in(state, covenant, SnapshotFormat::CURRENT)
}

/// [`snapshot`] with the rules of `format` (the audit recomputes an older review so).
pub fn snapshot_in(
    state: &State,
    covenant: &CovenantId,
    format: SnapshotFormat,
) -> Result<MidyearReviewFrozen, DomainError> {
    let year = state.covenant(covenant)?.year;
    let (doc, version) = state.regulation_in_force(covenant)?;
    let regulation = doc.sha256.clone();
    let ask = Ask {
        through_at_most: Some(MONTH),
        legacy_zero_baseline: format == SnapshotFormat::V1,
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
    e.sha256 = snapshot_hash(&e, format);
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
        same_period: exact(&t.recorded.same_period),
        to_date: exact(&t.to_date),
        projected: exact(&t.projected),
        status: t.recorded.status.code().to_owned(),
    }
}

/// SHA-256 (hex) of the snapshot's canonical serialisation: the event's `data` without
/// `sha256`, with `"format"` naming the rules it was computed with (`thidua-midyear/v2`, or
/// `v1` for a review an earlier release froze), as canonical JSON (compact, keys sorted by
/// their UTF-8 bytes; see `docs/event-encoding.md`).
pub fn snapshot_hash(e: &MidyearReviewFrozen, format: SnapshotFormat) -> String {
    let mut value = serde_json::to_value(e).expect("wire values always serialise");
    let object = value.as_object_mut().expect("a snapshot is an object");
    object.remove("sha256");
    object.insert("format".into(), format.name().into());
    hex::encode(Sha256::digest(crate::wire::canonical_json(&value)))
}
