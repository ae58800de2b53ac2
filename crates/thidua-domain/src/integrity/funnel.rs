//! Funnel drops. For each step `from → to` of a declared funnel, each unit and window, the
//! ratio `r = to / from` (6 places, half-even; only when `from > 0`). A window is flagged when
//! both hold:
//!
//! - own: `r` lies more than `T` robust scales below the median of the unit's own ratios in the
//!   windows of the previous reporting year (at least `min_reference` of them);
//! - peers: the unit's relative ratio `q = r / own median` lies more than `T` robust scales below
//!   the median of the same window's relative ratios of every unit that has one (at least
//!   `min_peers` units) — a drop the whole cluster shares (a new law, a season) is no flag.
//!
//! Each spread has two floors: `ratio_floor` times the median (a flat history does not make
//! every small move a drop) and the ratio's sampling noise — a share `r` of `n` reports varies
//! by `√(r(1 − r)/n)` (for `q`, divided by the own median) — so two serious cases instead of
//! three in a small unit are no drop. Decided on squares (`Spread::below_sq`), exactly. `T` is the funnel's own `threshold`, else `Settings::funnel_z`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::robust::{ratio, share_variance, Spread};
use super::{Detail, Flag, FlagKind, FunnelSpec, Panel, Settings};

/// Ratios of one step: `[unit][period]`.
fn ratios(panel: &Panel, from: usize, to: usize) -> Vec<Vec<Option<Decimal>>> {
    panel
        .units
        .iter()
        .map(|u| {
            (0..panel.periods.len())
                .map(|p| ratio(u.value(p, to)?, u.value(p, from)?))
                .collect()
        })
        .collect()
}

/// Each unit's spread over the previous year's windows, per reporting year.
fn own_spreads(
    panel: &Panel,
    r: &[Vec<Option<Decimal>>],
    s: &Settings,
) -> Vec<BTreeMap<i32, Spread>> {
    r.iter()
        .map(|series| {
            let mut by_year: BTreeMap<i32, Vec<Decimal>> = BTreeMap::new();
            for (p, v) in series.iter().enumerate() {
                if let Some(v) = v {
                    by_year
                        .entry(panel.periods[p].year + 1)
                        .or_default()
                        .push(*v);
                }
            }
            by_year
                .into_iter()
                .filter(|(_, v)| v.len() >= s.min_reference)
                .filter_map(|(y, v)| {
                    let m = super::robust::median(&v)?;
                    Some((y, Spread::of(&v, m * s.ratio_floor)?))
                })
                .collect()
        })
        .collect()
}

/// The flags of one funnel step.
fn step_flags(panel: &Panel, f: &FunnelSpec, from: usize, to: usize, s: &Settings) -> Vec<Flag> {
    let t = f.threshold.unwrap_or(s.funnel_z);
    let r = ratios(panel, from, to);
    let own = own_spreads(panel, &r, s);
    let mut out = Vec::new();
    for (p, period) in panel.periods.iter().enumerate() {
        // (unit, ratio, own spread, relative ratio, sampling variance of the ratio)
        let rel: Vec<(usize, Decimal, Spread, Decimal, Decimal)> = (0..panel.units.len())
            .filter_map(|u| {
                let x = r[u][p]?;
                let sp = *own[u].get(&period.year)?;
                let n = panel.units[u].value(p, from)?;
                Some((u, x, sp, ratio(x, sp.median)?, share_variance(sp.median, n)))
            })
            .collect();
        if rel.len() < s.min_peers {
            continue;
        }
        let qs: Vec<Decimal> = rel.iter().map(|x| x.3).collect();
        let Some(peers) =
            super::robust::median(&qs).and_then(|m| Spread::of(&qs, m * s.ratio_floor))
        else {
            continue;
        };
        for (u, x, sp, q, var) in rel {
            let var_q = var / (sp.median * sp.median);
            if sp.below_sq(x, t, var) && peers.below_sq(q, t, var_q) {
                out.push(Flag {
                    unit: panel.units[u].unit.clone(),
                    period: period.clone(),
                    kind: FlagKind::FunnelDrop,
                    detail: Detail::Funnel {
                        funnel: f.name.clone(),
                        from: panel.elements[from].0.clone(),
                        to: panel.elements[to].0.clone(),
                        ratio: x,
                        own: sp.median,
                        own_z: sp.z_floor(x, var),
                        peer_z: peers.z_floor(q, var_q),
                    },
                });
            }
        }
    }
    out
}

/// Funnel-drop flags of every declared funnel step.
pub fn flags(panel: &Panel, s: &Settings) -> Vec<Flag> {
    panel
        .funnels
        .iter()
        .flat_map(|f| {
            f.steps
                .windows(2)
                .flat_map(|w| step_flags(panel, f, w[0], w[1], s))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Six units, two years of six windows; `to / from` is 0.5 everywhere (from = 100) except
    /// small honest wiggles, and unit 0 falls to 0.4 in the second year's fourth window.
    fn panel(drop_all: bool) -> Panel {
        let periods: Vec<Period> = [2023, 2024]
            .iter()
            .flat_map(|y| {
                (1..=6).map(move |m| Period {
                    year: *y,
                    window: format!("M{m:02}"),
                })
            })
            .collect();
        let units = (0..6)
            .map(|u| {
                let values = (0..12)
                    .map(|p| {
                        let wiggle = Decimal::from((p + u) % 3); // 0, 1, 2
                        let mut to = d("50") + wiggle;
                        if p == 9 && (u == 0 || drop_all) {
                            to = d("40");
                        }
                        vec![Some(d("100")), Some(to)]
                    })
                    .collect();
                UnitSeries {
                    unit: format!("u{u}"),
                    values,
                    ..Default::default()
                }
            })
            .collect();
        Panel {
            elements: vec![
                ("received".into(), "Tin".into()),
                ("cases".into(), "Vụ".into()),
            ],
            periods,
            units,
            funnels: vec![FunnelSpec {
                id: "f".into(),
                name: "Tin → vụ".into(),
                steps: vec![0, 1],
                threshold: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_drop_against_own_year_and_peers_is_flagged_by_hand() {
        let f = flags(&panel(false), &Settings::default());
        assert_eq!(f.len(), 1, "{f:?}");
        // Unit 0, 2023 ratios 0.50 0.51 0.52 0.50 0.51 0.52: median 0.51, MAD 0.01,
        // scale max(0.014826, 0.51·0.02 = 0.0102) = 0.014826; sampling variance of a share 0.51
        // of 100: 0.51·0.49/100 = 0.002499 (> 0.014826² = 0.00021981); 0.40 − 0.51 = −0.11,
        // 0.0121 > 2² · 0.002499 = 0.009996: a drop; z = −0.11 / √0.002499 (0.04999) = −2.2.
        let Detail::Funnel {
            ratio, own, own_z, ..
        } = &f[0].detail
        else {
            panic!()
        };
        assert_eq!(
            (f[0].unit.as_str(), f[0].period.label()),
            ("u0", "2024-M04".to_string())
        );
        assert_eq!((*ratio, *own, *own_z), (d("0.4"), d("0.51"), d("-2.2")));
        assert!(f[0]
            .reason_vi()
            .contains("0,4 so với trung vị năm trước của đơn vị 0,51 (z = -2,2)"));
    }

    #[test]
    fn a_drop_every_peer_shares_is_no_flag() {
        assert!(flags(&panel(true), &Settings::default()).is_empty());
    }
}
