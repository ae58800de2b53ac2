//! Breaks in a series: a window whose figure lies far outside the unit's own previous twelve
//! windows (one full seasonal cycle, so ordinary seasonal swings are inside the range). With
//! `m` the median and `s = 1.4826 · MAD` of those windows (at least `min_reference` of them),
//! the window breaks when `|x − m| > T · max(s, √max(m, 1))` — the count's Poisson spread is a
//! floor, so a small count's one-off is no break. Decided on squares, exactly
//! (`robust::beyond_sq`); `T` is `Settings::break_z`.

use rust_decimal::Decimal;

use super::robust::{beyond_sq, Spread};
use super::{Detail, Flag, FlagKind, Panel, Settings, UnitSeries};

/// Windows of history a break is judged against.
pub const HISTORY: usize = 12;

/// Break flags of one unit's watched elements.
pub fn unit_flags(panel: &Panel, u: &UnitSeries, s: &Settings) -> Vec<Flag> {
    let mut out = Vec::new();
    for &e in &panel.series {
        for p in 0..panel.periods.len() {
            let Some(x) = u.value(p, e) else { continue };
            let history: Vec<Decimal> = (p.saturating_sub(HISTORY)..p)
                .filter_map(|q| u.value(q, e))
                .collect();
            if history.len() < s.min_reference {
                continue;
            }
            let Some(sp) = Spread::of(&history, Decimal::ZERO) else {
                continue;
            };
            let poisson = sp.median.max(Decimal::ONE);
            if beyond_sq(x, sp.median, sp.scale, poisson, s.break_z) {
                out.push(Flag {
                    unit: u.unit.clone(),
                    period: panel.periods[p].clone(),
                    kind: FlagKind::SeriesBreak,
                    detail: Detail::Break {
                        element: panel.elements[e].1.clone(),
                        element_id: panel.elements[e].0.clone(),
                        value: x,
                        median: sp.median,
                        threshold: s.break_z,
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
    fn a_month_far_outside_its_range_breaks_by_hand() {
        // 100 102 98 101 99 100 | 60: median 100, MAD 1 → s = 1.4826, floor √100 = 10;
        // |60 − 100| = 40 < 5 · 10 = 50: no break. 40 → |−60| > 50: a break.
        let series = |last: i64| UnitSeries {
            unit: "u".into(),
            values: [100, 102, 98, 101, 99, 100, last]
                .iter()
                .map(|v| vec![Some(Decimal::from(*v))])
                .collect(),
            ..Default::default()
        };
        let panel = |last| Panel {
            elements: vec![("crimes".into(), "Tội phạm".into())],
            periods: (1..=7)
                .map(|m| Period {
                    year: 2024,
                    window: format!("M{m:02}"),
                })
                .collect(),
            units: vec![series(last)],
            series: vec![0],
            ..Default::default()
        };
        assert!(flags(&panel(60), &Settings::default()).is_empty());
        let f = flags(&panel(40), &Settings::default());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].period.label(), "2024-M07");
        assert!(f[0]
            .reason_vi()
            .starts_with("Tội phạm: 40 nằm xa ngoài khoảng 12 kỳ trước"));
    }
}
