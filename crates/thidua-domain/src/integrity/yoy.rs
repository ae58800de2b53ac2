//! Changes against the same window a year before ("cùng kỳ"): a window whose count (an element
//! summed over windows and declared `integer`: `Panel::counts`) fell below
//! `1/F` of the same window last year, or rose above `F` times it, where `F` is
//! `Settings::yoy_factor` (2 by default: below half, above double). Only where last year's
//! figure exists (a merged unit's is its own plus its predecessors', as the series reads it —
//! [`super::collect::series`] — and as progress computes cùng kỳ; never a partial sum), and only
//! when the larger of the two figures is at least `Settings::yoy_min` (20 by default), so that
//! a small count (3 against 8) raises no noise.
//!
//! Why beside [`super::breaks`]: a break is judged against the unit's own previous twelve
//! windows, whose spread can be wide enough that even 0 is inside it (a median of 173 with a
//! spread of 38,5 gives a threshold of 5 · 38,5 = 192,5 > 173). A cut of the same size in
//! every window of a year (under-recording from an import on) is then never a break, but it is
//! a change against the same window last year. Decided exactly: `x · F < last` or
//! `x > last · F`.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Detail, Flag, FlagKind, Panel, Settings, UnitSeries};

/// Year-over-year flags of one unit's counts ([`Panel::counts`]).
pub fn unit_flags(panel: &Panel, u: &UnitSeries, s: &Settings) -> Vec<Flag> {
    let last_of: Vec<Option<usize>> = panel
        .periods
        .iter()
        .map(|p| {
            panel
                .periods
                .iter()
                .position(|q| q.year == p.year - 1 && q.window == p.window)
        })
        .collect();
    let mut out = Vec::new();
    for &e in &panel.counts {
        for (p, q) in last_of.iter().enumerate() {
            let (Some(x), Some(last)) = (u.value(p, e), q.and_then(|q| u.value(q, e))) else {
                continue;
            };
            if beyond(x, last, s) {
                out.push(Flag {
                    unit: u.unit.clone(),
                    period: panel.periods[p].clone(),
                    kind: FlagKind::YearChange,
                    detail: Detail::YearChange {
                        element: panel.elements[e].1.clone(),
                        element_id: panel.elements[e].0.clone(),
                        value: x,
                        last,
                        factor: s.yoy_factor,
                    },
                });
            }
        }
    }
    out
}

/// Whether `x` is below `1/F` of `last` or above `F` times it, the larger of the two being at
/// least the minimum size.
pub fn beyond(x: Decimal, last: Decimal, s: &Settings) -> bool {
    if x.max(last) < s.yoy_min {
        return false;
    }
    let times = |a: Decimal| a.checked_mul(s.yoy_factor);
    let fell = times(x).is_some_and(|xf| xf < last);
    let rose = times(last).is_some_and(|lf| x > lf);
    fell || rose
}

/// The change in per cent against last year's figure, to one decimal (half-even); `None` when
/// last year's is zero.
pub fn change_pct(value: Decimal, last: Decimal) -> Option<Decimal> {
    let q = ((value - last) * Decimal::ONE_HUNDRED).checked_div(last)?;
    Some(q.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven))
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::{beyond, change_pct};

    /// The audit's case: 2024 at 121–203 crimes a month, 2025 cut by 76% in every window. The
    /// series' spread is so wide that no break is found (median 173, spread 1,4826 · 28,5: a
    /// threshold of 5 · 42,25 above the median, so even 0 would pass); the same window last year flags each.
    #[test]
    fn a_cut_in_every_window_is_no_break_but_a_change_against_last_year() {
        let before = [121, 125, 130, 140, 150, 173, 173, 190, 195, 200, 203, 203];
        let after = [29, 36, 42, 43, 49, 46];
        let values: Vec<Vec<Option<Decimal>>> = before
            .iter()
            .chain(after.iter())
            .map(|v| vec![Some(Decimal::from(*v))])
            .collect();
        let periods: Vec<Period> = (0..values.len())
            .map(|i| Period {
                year: 2024 + (i / 12) as i32,
                window: format!("M{:02}", i % 12 + 1),
            })
            .collect();
        let panel = Panel {
            elements: vec![("crimes".into(), "Số vụ phạm tội".into())],
            periods,
            units: vec![UnitSeries {
                unit: "ca-ag".into(),
                values,
                ..Default::default()
            }],
            series: vec![0],
            counts: vec![0],
            flagged_from: Some(2025),
            ..Default::default()
        };
        let f = flags(&panel, &Settings::default());
        assert!(f.iter().all(|f| f.kind == FlagKind::YearChange), "{f:?}");
        let labels: Vec<String> = f.iter().map(|f| f.period.label()).collect();
        assert_eq!(
            labels,
            ["2025-M01", "2025-M02", "2025-M03", "2025-M04", "2025-M05", "2025-M06"]
        );
        assert_eq!(
            f[0].reason_vi(),
            "Số vụ phạm tội: 29 so với 121 cùng kỳ năm trước (giảm 76%), dưới 1/2 cùng kỳ — \
             thay đổi lớn như vậy so với cùng kỳ cần được xem lại"
        );
    }

    #[test]
    fn small_counts_and_ordinary_changes_raise_nothing() {
        let s = Settings::default();
        let d = Decimal::from;
        assert!(!beyond(d(3), d(8), &s), "small counts");
        assert!(!beyond(d(19), d(0), &s), "below the minimum size");
        assert!(beyond(d(20), d(0), &s), "a rise from nothing");
        assert!(!beyond(d(60), d(100), &s) && !beyond(d(50), d(100), &s));
        assert!(beyond(d(49), d(100), &s) && beyond(d(201), d(100), &s));
        assert!(!beyond(d(200), d(100), &s));
        assert_eq!(change_pct(d(29), d(121)), Some(Decimal::new(-760, 1)));
        assert_eq!(change_pct(d(5), d(0)), None);
    }
}
