//! The mid-year review's kind, `midyear_review_frozen` (format 1). Frozen: these structures are
//! the bytes of the log. Exact values are written as the engine's exact text (a decimal, or
//! `p/q` when it has no finite decimal form), so nothing is rounded in the log.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{CovenantId, UnitId};

/// `midyear_review_frozen`: the secretariat froze the progress of a covenant at the cut-off of
/// month 6, computed from the log's first `at` events (the state just before this event).
/// Everything in it but `sha256` is the snapshot; `sha256` is the SHA-256 (hex) of its canonical
/// serialisation ([`crate::midyear::snapshot_hash`]), which anyone recomputes from the log prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MidyearReviewFrozen {
    pub covenant: CovenantId,
    /// The covenant's version in force, and the SHA-256 (hex) of its canonical regulation text.
    pub version: u32,
    pub regulation: String,
    pub year: i32,
    /// The last reporting month counted (6).
    pub month: u8,
    /// The log size the snapshot was computed at: this event's own index.
    pub at: u64,
    /// The cut-off of month 6 in the covenant's calendar.
    pub cutoff: NaiveDate,
    /// The cut-off of the latest month counted for any member ("Số liệu tính đến ngày").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    /// Every member unit, in sorted id order.
    pub units: Vec<UnitSnapshot>,
    pub sha256: String,
}

/// One member's progress at the review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSnapshot {
    pub unit: UnitId,
    /// The last month counted (approved with every month before it, at most 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<u8>,
    /// The provisional total year to date (what is scored so far; manual criteria not scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The engine's status of the whole (`not_scored` while manual criteria are not scored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_status: Option<String>,
    /// How the year end was projected: `seasonal`, `linear`, `mixed`, `none`.
    pub method: String,
    pub targets: Vec<TargetSnapshot>,
}

/// One target of one member at the review, in the target's terms (see
/// [`crate::progress::status`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSnapshot {
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<String>,
    /// The same windows last year (cùng kỳ).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_period: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<String>,
    /// `on_track`, `at_risk`, `off_track` or `unknown`.
    pub status: String,
}

/// The decoder of the mid-year kind; `None` for another format.
pub(super) fn decode(v: u32, data: serde_json::Value) -> Option<super::Decoded> {
    (v == 1).then(|| super::typed(data, crate::event::Payload::MidyearReviewFrozen))
}

/// The mid-year event in its newest format (1).
pub(super) fn encode(e: &MidyearReviewFrozen) -> (u32, serde_json::Value) {
    (
        1,
        serde_json::to_value(e).expect("wire values always serialise"),
    )
}
