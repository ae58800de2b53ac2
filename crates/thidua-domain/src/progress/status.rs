//! A target read in its own terms and judged: a rate or a count is the measured value itself; a
//! change is the reduction in per cent against the baseline's same windows (computed here when
//! the target is measured by a data element; an indicator is read as a signed change in per
//! cent, `pct_change`'s convention, a decrease negative); a yes/no target holds while its
//! measure is zero. Judged targets are not followed during the year.

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
    /// Not enough approved figures, or a target judged by people.
    Unknown,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Unknown => "unknown",
        }
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

/// The status from the target read to date and at the projected year end.
pub fn judge(target: &Target, to_date: Option<&Exact>, projected: Option<&Exact>) -> Status {
    if target.kind == TargetKind::Qualitative {
        return Status::Unknown;
    }
    let now = to_date.and_then(|v| meets(target, v));
    let end = projected.and_then(|v| meets(target, v));
    match (now, end) {
        (Some(true), Some(true)) => Status::OnTrack,
        (Some(false), Some(false)) => Status::OffTrack,
        (Some(_), Some(_)) => Status::AtRisk,
        _ => Status::Unknown,
    }
}
