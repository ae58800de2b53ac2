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
use super::{Detail, Flag, FlagKind, FunnelSpec, Panel, Settings, UnitSeries};

/// One unit's standing in one window of one funnel step, as the peer comparison needs it: the
/// ratio `x`, the unit's own spread over the previous year, the relative ratio `q = x / own
/// median` and the ratio's sampling variance. Computed from the unit's own figures alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    ratio: Decimal,
    own: Spread,
    relative: Decimal,
    variance: Decimal,
}

/// A unit's standings: `[step][period]`, steps in the order of [`steps`].
pub type Standings = Vec<Vec<Option<Standing>>>;

/// Every declared funnel step as `(funnel, from, to)`, in declaration order.
pub fn steps(panel: &Panel) -> Vec<(&FunnelSpec, usize, usize)> {
    panel
        .funnels
        .iter()
        .flat_map(|f| f.steps.windows(2).map(move |w| (f, w[0], w[1])))
        .collect()
}

/// The unit's spread of `ratios` over the previous year's windows, per reporting year.
fn own_spreads(panel: &Panel, ratios: &[Option<Decimal>], s: &Settings) -> BTreeMap<i32, Spread> {
    let mut by_year: BTreeMap<i32, Vec<Decimal>> = BTreeMap::new();
    for (p, v) in ratios.iter().enumerate() {
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
}

/// The unit's standings in every step and window.
pub fn standings(panel: &Panel, u: &UnitSeries, s: &Settings) -> Standings {
    steps(panel)
        .into_iter()
        .map(|(_, from, to)| {
            let ratios: Vec<Option<Decimal>> = (0..panel.periods.len())
                .map(|p| ratio(u.value(p, to)?, u.value(p, from)?))
                .collect();
            let own = own_spreads(panel, &ratios, s);
            panel
                .periods
                .iter()
                .enumerate()
                .map(|(p, period)| {
                    let x = ratios[p]?;
                    let sp = *own.get(&period.year)?;
                    let n = u.value(p, from)?;
                    Some(Standing {
                        ratio: x,
                        own: sp,
                        relative: ratio(x, sp.median)?,
                        variance: share_variance(sp.median, n),
                    })
                })
                .collect()
        })
        .collect()
}

/// The flags of step `k` (`f`: `from → to`) from every unit's standings (`(unit, standings)`).
fn step_flags(
    panel: &Panel,
    k: usize,
    (f, from, to): (&FunnelSpec, usize, usize),
    units: &[(&str, &Standings)],
    s: &Settings,
) -> Vec<Flag> {
    let t = f.threshold.unwrap_or(s.funnel_z);
    let mut out = Vec::new();
    for (p, period) in panel.periods.iter().enumerate() {
        let here: Vec<(&str, Standing)> = units
            .iter()
            .filter_map(|(unit, st)| Some((*unit, st.get(k)?.get(p).copied().flatten()?)))
            .collect();
        if here.len() < s.min_peers {
            continue;
        }
        let qs: Vec<Decimal> = here.iter().map(|(_, x)| x.relative).collect();
        let Some(peers) =
            super::robust::median(&qs).and_then(|m| Spread::of(&qs, m * s.ratio_floor))
        else {
            continue;
        };
        for (unit, x) in here {
            let sp = x.own;
            let var_q = x.variance / (sp.median * sp.median);
            if sp.below_sq(x.ratio, t, x.variance) && peers.below_sq(x.relative, t, var_q) {
                out.push(Flag {
                    unit: unit.to_owned(),
                    period: period.clone(),
                    kind: FlagKind::FunnelDrop,
                    detail: Detail::Funnel {
                        funnel: f.name.clone(),
                        funnel_id: f.id.clone(),
                        from: panel.elements[from].0.clone(),
                        to: panel.elements[to].0.clone(),
                        from_name: panel.elements[from].1.clone(),
                        to_name: panel.elements[to].1.clone(),
                        ratio: x.ratio,
                        own: sp.median,
                        own_z: sp.z_floor(x.ratio, x.variance),
                        peer_z: peers.z_floor(x.relative, var_q),
                    },
                });
            }
        }
    }
    out
}

/// Funnel-drop flags of every declared funnel step from every unit's standings.
pub fn flags_of(panel: &Panel, units: &[(&str, &Standings)], s: &Settings) -> Vec<Flag> {
    steps(panel)
        .into_iter()
        .enumerate()
        .flat_map(|(k, step)| step_flags(panel, k, step, units, s))
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
        assert!(f[0].reason_vi().contains(
            "là 40%, thấp bất thường so với năm trước của chính đơn vị (trung vị 51%, z = -2,2)"
        ));
        assert!(
            f[0].reason_vi().contains("tỷ lệ Vụ/Tin là"),
            "the elements' names, not their ids: {}",
            f[0].reason_vi()
        );
    }

    #[test]
    fn a_drop_every_peer_shares_is_no_flag() {
        assert!(flags(&panel(true), &Settings::default()).is_empty());
    }
}
