//! Data quality, a per-unit figure of each reporting year: windows approved, first submitted
//! late, corrected after approval (a correction is the system working as meant, but a unit that
//! corrects often is worth a look). A unit with any late or corrected window has one flag for
//! the year (period `YYYY-Y`) stating the counts.

use serde::Serialize;

use std::collections::BTreeSet;

use super::{Detail, Flag, FlagKind, Panel, Period, UnitSeries};

/// A unit's data-quality figure over the panel's windows of one reporting year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quality {
    pub unit: String,
    pub year: i32,
    /// Windows with approved figures.
    pub reported: usize,
    pub late: usize,
    /// Windows corrected after approval (at least once).
    pub corrected: usize,
}

/// One flag per unit and year with a late or corrected window (period `YYYY-Y`).
pub fn flags(panel: &Panel) -> Vec<Flag> {
    panel
        .units
        .iter()
        .flat_map(|u| flags_of(&unit_figures(panel, u)))
        .collect()
}

/// One unit's figure of every reporting year of the panel, in year order.
pub fn unit_figures(panel: &Panel, u: &UnitSeries) -> Vec<Quality> {
    let years: BTreeSet<i32> = panel.periods.iter().map(|p| p.year).collect();
    years
        .into_iter()
        .map(|year| unit_figure(panel, u, year))
        .collect()
}

/// The flags of a unit's `figures`: one per year with a late or corrected window.
pub fn flags_of(figures: &[Quality]) -> Vec<Flag> {
    figures
        .iter()
        .filter(|q| q.late + q.corrected > 0)
        .map(|q| Flag {
            unit: q.unit.clone(),
            period: Period {
                year: q.year,
                window: "Y".into(),
            },
            kind: FlagKind::DataQuality,
            detail: Detail::Quality {
                reported: q.reported,
                late: q.late,
                corrected: q.corrected,
            },
        })
        .collect()
}

/// Each unit's figure for `year`.
pub fn figures(panel: &Panel, year: i32) -> Vec<Quality> {
    panel
        .units
        .iter()
        .map(|u| unit_figure(panel, u, year))
        .collect()
}

/// One unit's figure for `year`.
pub fn unit_figure(panel: &Panel, u: &UnitSeries, year: i32) -> Quality {
    let ps: Vec<usize> = (0..panel.periods.len())
        .filter(|p| panel.periods[*p].year == year)
        .collect();
    let reported = ps
        .iter()
        .filter(|p| {
            u.values
                .get(**p)
                .is_some_and(|v| v.iter().any(Option::is_some))
        })
        .count();
    Quality {
        unit: u.unit.clone(),
        year,
        reported,
        late: ps.iter().filter(|p| u.late.get(**p) == Some(&true)).count(),
        corrected: ps
            .iter()
            .filter(|p| u.corrections.get(**p).is_some_and(|c| *c > 0))
            .count(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use rust_decimal::Decimal;

    #[test]
    fn late_and_corrected_windows_by_hand() {
        let panel = Panel {
            elements: vec![("x".into(), "X".into())],
            periods: (1..=3)
                .map(|m| Period {
                    year: 2024,
                    window: format!("M{m:02}"),
                })
                .collect(),
            units: vec![UnitSeries {
                unit: "u".into(),
                values: vec![vec![Some(Decimal::ONE)]; 3],
                late: vec![true, false, true],
                corrections: vec![0, 2, 1],
            }],
            ..Default::default()
        };
        let f = quality::flags(&panel);
        let reasons: Vec<(String, String)> = f
            .iter()
            .map(|f| (f.period.label(), f.reason_vi()))
            .collect();
        assert_eq!(
            reasons,
            [(
                "2024-Y".to_string(),
                "Trong năm 2024: 2/3 kỳ nộp muộn, 2/3 kỳ sửa sau phê duyệt".to_string()
            )]
        );
        assert_eq!(
            quality::figures(&panel, 2024),
            vec![quality::Quality {
                unit: "u".into(),
                year: 2024,
                reported: 3,
                late: 2,
                corrected: 2
            }]
        );
    }
}
