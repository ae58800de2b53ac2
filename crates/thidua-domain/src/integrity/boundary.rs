//! Figures that land just past a target's boundary again and again. For a target on an
//! element's change against the same window a year before (`crimes` at most −5%: "giảm ít nhất
//! 5%"), the change `c = (x / x_last_year − 1) · 100` (2 places, half-even) lands just past
//! when it is on the right side of the boundary by less than `near_margin_pct` points
//! (`bound − margin < c ≤ bound` for "at most"; `bound ≤ c < bound + margin` for "at least").
//! From the `near_repeats`-th such window of a reporting year on, each one is flagged: once is
//! luck, again and again is a pattern worth a look.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Better, Boundary, Detail, Flag, FlagKind, Panel, Settings, UnitSeries};

/// The change in percent against last year's same window, if both exist and last year's > 0.
fn change_pct(panel: &Panel, unit: &UnitSeries, p: usize, e: usize) -> Option<Decimal> {
    let here = &panel.periods[p];
    let before = panel
        .periods
        .iter()
        .position(|q| q.year == here.year - 1 && q.window == here.window)?;
    let (x, y) = (unit.value(p, e)?, unit.value(before, e)?);
    let r = super::robust::ratio(x, y)?;
    Some(
        ((r - Decimal::ONE) * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven),
    )
}

fn just_past(b: &Boundary, c: Decimal, margin: Decimal) -> bool {
    match b.better {
        Better::Lower => b.bound_pct - margin < c && c <= b.bound_pct,
        Better::Higher => b.bound_pct <= c && c < b.bound_pct + margin,
    }
}

/// Near-target flags of one unit, boundary by boundary.
pub fn unit_flags(panel: &Panel, u: &UnitSeries, s: &Settings) -> Vec<Flag> {
    let mut out = Vec::new();
    for b in &panel.boundaries {
        let mut count: BTreeMap<i32, usize> = BTreeMap::new();
        for (p, period) in panel.periods.iter().enumerate() {
            let Some(c) = change_pct(panel, u, p, b.element) else {
                continue;
            };
            if !just_past(b, c, s.near_margin_pct) {
                continue;
            }
            let n = count.entry(period.year).or_default();
            *n += 1;
            if *n >= s.near_repeats {
                out.push(Flag {
                    unit: u.unit.clone(),
                    period: period.clone(),
                    kind: FlagKind::NearTarget,
                    detail: Detail::Near {
                        element: panel.elements[b.element].1.clone(),
                        element_id: panel.elements[b.element].0.clone(),
                        change_pct: c,
                        bound_pct: b.bound_pct,
                        count: *n,
                    },
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn again_and_again_just_past_the_boundary_by_hand() {
        // Last year 100 each month; this year 95, 94.5, 90, 95.5, 95: changes −5, −5.5, −10,
        // −4.5, −5. Boundary at most −5, margin 1: just past are −5, −5.5 and −5 (the third:
        // window M05); −10 is well past, −4.5 misses.
        let this = ["95", "94.5", "90", "95.5", "95"];
        let mut values: Vec<Vec<Option<Decimal>>> = vec![vec![Some(Decimal::ONE_HUNDRED)]; 5];
        values.extend(this.iter().map(|v| vec![Some(v.parse().unwrap())]));
        let periods = [2023, 2024]
            .iter()
            .flat_map(|y| {
                (1..=5).map(move |m| Period {
                    year: *y,
                    window: format!("M{m:02}"),
                })
            })
            .collect();
        let panel = Panel {
            elements: vec![("crimes".into(), "Tội phạm".into())],
            periods,
            units: vec![UnitSeries {
                unit: "u".into(),
                values,
                ..Default::default()
            }],
            boundaries: vec![Boundary {
                element: 0,
                better: Better::Lower,
                bound_pct: "-5".parse().unwrap(),
            }],
            ..Default::default()
        };
        let f = flags(&panel, &Settings::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].period.label(), "2024-M05");
        assert_eq!(
            f[0].reason_vi(),
            "Tội phạm: thay đổi -5% so với cùng kỳ, sát ngưỡng chỉ tiêu -5% (lần thứ 3 trong năm)"
        );
    }
}
