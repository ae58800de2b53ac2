//! Data quality: each window whose first submission was late or whose approved figures were
//! corrected is flagged (a correction is the system working as meant, but a unit that corrects
//! often is worth a look), and per unit a figure: windows reported, late, corrected.

use serde::Serialize;

use super::{Detail, Flag, FlagKind, Panel};

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

/// One flag per late or corrected window.
pub fn flags(panel: &Panel) -> Vec<Flag> {
    let mut out = Vec::new();
    for u in &panel.units {
        for (p, period) in panel.periods.iter().enumerate() {
            let late = u.late.get(p).copied().unwrap_or(false);
            let corrections = u.corrections.get(p).copied().unwrap_or(0);
            if late || corrections > 0 {
                out.push(Flag {
                    unit: u.unit.clone(),
                    period: period.clone(),
                    kind: FlagKind::DataQuality,
                    detail: Detail::Quality { late, corrections },
                });
            }
        }
    }
    out
}

/// Each unit's figure for `year`.
pub fn figures(panel: &Panel, year: i32) -> Vec<Quality> {
    panel
        .units
        .iter()
        .map(|u| {
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
        })
        .collect()
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
        let reasons: Vec<String> = f.iter().map(Flag::reason_vi).collect();
        assert_eq!(
            reasons,
            [
                "Báo cáo nộp muộn",
                "Báo cáo sửa sau phê duyệt 2 lần",
                "Báo cáo nộp muộn, sửa sau phê duyệt 1 lần"
            ]
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
