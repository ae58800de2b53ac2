//! A target read in its own terms and judged: a rate or a count is the measured value itself; a
//! change is the reduction in per cent against the baseline's same windows (computed here when
//! the target is measured by a data element; an indicator is read as a signed change in per
//! cent, `pct_change`'s convention, a decrease negative); a yes/no target holds while its
//! measure is zero. Judged targets are not followed during the year.
//!
//! The status is decided here, once ([`judge`]): the covenant's API, the progress pages, the
//! supervisors' table and the mid-year review all say what it decides. A range target missed
//! only beyond its far end is [`Status::BeyondRange`] ([`beside_range`]), not behind schedule.

use rust_decimal::Decimal;
use serde::Serialize;
use thidua_scoring::Exact;

use crate::model::{Comparison, Target, TargetKind};

/// Where a target stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Met to date and at the projected year end.
    OnTrack,
    /// Met to date or at the projected year end, not both.
    AtRisk,
    /// Met neither to date nor at the projected year end.
    OffTrack,
    /// A range target ("giảm từ 5% đến 10%") missed to date or at the projected year end, every
    /// reading that misses the range lying beyond its far end (a 13,04% reduction against
    /// 5–10%): not behind schedule, past the range ([`beside_range`]).
    BeyondRange,
    /// Not enough approved figures, or a target judged by people.
    Unknown,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::BeyondRange => "beyond_range",
            Status::Unknown => "unknown",
        }
    }

    /// Every status, in the order the pages count them.
    pub const ALL: [Status; 5] = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::BeyondRange,
        Status::Unknown,
    ];

    /// The status named by its [`Status::code`] (as a frozen mid-year review records it).
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The reduction in per cent from `base` to `now`: `(base − now) ÷ base × 100`.
pub fn reduction(now: &Exact, base: &Exact) -> Option<Exact> {
    base.sub(now)
        .ok()?
        .div(base)
        .ok()?
        .mul(&Exact::int(100))
        .ok()
}

/// A change target measured by a data element, read against its baseline: the reduction in
/// per cent, and whether it meets the target. Against a baseline of zero there is no
/// percentage, but the counts still compare: a target whose threshold is 0 ("không tăng", a
/// reduction ≥ 0) asks only whether the count rose, as the regulation's own "không tăng"
/// criterion does (`x <= x@cung_ky`), so 0 against 0 is no change (0, met by "≥ 0") and any
/// count against 0 an increase (not met). A target that needs a rate ("giảm ít nhất 5%") stays
/// undecided against 0, as `pct_change` refuses to divide by zero, and says so
/// ([`Reading::zero_baseline`]).
pub fn change_reading(target: &Target, now: &Exact, base: &Exact) -> Reading {
    if !base.is_zero() {
        let value = reduction(now, base);
        let met = value.as_ref().and_then(|v| meets(target, v));
        return Reading {
            value,
            met,
            zero_baseline: false,
        };
    }
    let counts_only = target.range.is_none()
        && target.threshold.is_some_and(|t| t.is_zero())
        && matches!(
            target.comparison,
            Comparison::AtLeast
                | Comparison::Above
                | Comparison::AtMost
                | Comparison::Below
                | Comparison::Equal
        );
    if !counts_only {
        return Reading {
            value: None,
            met: None,
            zero_baseline: true,
        };
    }
    if now.is_zero() {
        let value = Exact::int(0);
        let met = meets(target, &value);
        return Reading {
            value: Some(value),
            met,
            zero_baseline: false,
        };
    }
    // Risen from zero: a reduction below any number, so "≤ 0" and "< 0" hold and the others
    // do not; no percentage to show.
    let met = matches!(target.comparison, Comparison::AtMost | Comparison::Below);
    Reading {
        value: None,
        met: Some(met),
        zero_baseline: true,
    }
}

/// A target read over a period: its value in the target's terms, where one exists, and whether
/// it meets the target, where that is decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub value: Option<Exact>,
    pub met: Option<bool>,
    /// A change against a baseline of zero, which has no percentage: undecided for a target
    /// that needs a rate, decided by the counts for a "không tăng" target that rose.
    pub zero_baseline: bool,
}

impl Reading {
    /// A value read as it stands (a count, a rate, a change indicator's reduction).
    pub fn of(target: &Target, value: Exact) -> Reading {
        Reading {
            met: meets(target, &value),
            value: Some(value),
            zero_baseline: false,
        }
    }
}

/// Whether `value` (in the target's terms) meets the target; `None` for judged targets.
pub fn meets(target: &Target, value: &Exact) -> Option<bool> {
    let t = |d: Option<Decimal>| d.map(Exact::from);
    Some(match target.comparison {
        Comparison::AtLeast => *value >= t(target.threshold)?,
        Comparison::Above => *value > t(target.threshold)?,
        Comparison::AtMost => *value <= t(target.threshold)?,
        Comparison::Below => *value < t(target.threshold)?,
        Comparison::Equal => *value == t(target.threshold)?,
        Comparison::Between => {
            let (lo, hi) = target.range?;
            Exact::from(lo) <= *value && *value <= Exact::from(hi)
        }
        Comparison::Holds => value.is_zero(),
        Comparison::Judged => return None,
    })
}

/// The status from the target read to date and at the projected year end: met or not met
/// ([`judge_met`]), a range target missed only beyond its far end told apart
/// ([`beside_range`]). What every page and the API show.
pub fn judge(target: &Target, to_date: Option<&Reading>, projected: Option<&Reading>) -> Status {
    let values = [to_date, projected].map(|r| r.and_then(|r| r.value.as_ref()));
    beside_range(judge_met(target, to_date, projected), target, values)
}

/// The status from whether the target is met to date and at the projected year end alone
/// (never [`Status::BeyondRange`]): what a mid-year review records, its snapshot's format
/// being older than that status ([`crate::midyear::shown_status`] reads it back).
pub fn judge_met(
    target: &Target,
    to_date: Option<&Reading>,
    projected: Option<&Reading>,
) -> Status {
    if target.kind == TargetKind::Qualitative {
        return Status::Unknown;
    }
    let now = to_date.and_then(|r| r.met);
    let end = projected.and_then(|r| r.met);
    match (now, end) {
        (Some(true), Some(true)) => Status::OnTrack,
        (Some(false), Some(false)) => Status::OffTrack,
        (Some(_), Some(_)) => Status::AtRisk,
        _ => Status::Unknown,
    }
}

/// A status judged from met or not met, for a range target whose values (to date and
/// projected, in the target's terms) miss the range: [`Status::BeyondRange`] when it is behind
/// or at risk and every value that misses the range lies beyond its far end (a 13,04%
/// reduction against 5–10%), since that is not behind schedule; `status` otherwise.
pub fn beside_range(status: Status, target: &Target, values: [Option<&Exact>; 2]) -> Status {
    if !matches!(status, Status::OffTrack | Status::AtRisk) {
        return status;
    }
    let Some((lo, hi)) = target.range else {
        return status;
    };
    let (lo, hi) = (Exact::from(lo), Exact::from(hi));
    let missed: Vec<&Exact> = values
        .into_iter()
        .flatten()
        .filter(|x| **x < lo || **x > hi)
        .collect();
    if !missed.is_empty() && missed.iter().all(|x| **x > hi) {
        Status::BeyondRange
    } else {
        status
    }
}
