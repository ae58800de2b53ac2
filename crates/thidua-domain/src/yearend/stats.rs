//! Figures for the council, shown as flags with their meaning — never automatic penalties —
//! and the record re-check's estimate. Exact: rationals and decimals only.

use rust_decimal::Decimal;

use super::state::Review;
use super::{PublishedResult, Verdict};
use crate::ids::UnitId;
use crate::state::State;

/// The Wilson score interval at 95% (z = 1.96) for `correct` successes out of `checked`
/// trials: (low, estimate, high) as decimals rounded half-up to 4 places. The square root is
/// taken on integers (scaled by 10^24), so the result is the same on every machine.
pub fn wilson95(correct: u32, checked: u32) -> Option<(Decimal, Decimal, Decimal)> {
    if checked == 0 || correct > checked {
        return None;
    }
    // With z² = 38416/10000: bounds = (2x + z² ∓ z·√(z² + 4x(n−x)/n)) / (2(n + z²)).
    // Everything below is scaled by S = 10^12 (values) or S² (under the root).
    const S: u128 = 1_000_000_000_000;
    let (x, n) = (u128::from(correct), u128::from(checked));
    let z2 = 38_416 * S / 10_000; // z² · S
    let under = 38_416 * S * S / 10_000 + 4 * x * (n - x) * S * S / n; // (…)·S²
    let root = isqrt(under); // √(…)·S
    let z_root = 196 * root / 100; // z·√(…)·S
    let num_mid = 2 * x * S + z2;
    let den = 2 * (n * S + z2); // 2(n + z²)·S
    let round_div = |num: u128| {
        // num / den to 4 places, half up.
        let q = num * 100_000 / den;
        Decimal::from_i128_with_scale(((q + 5) / 10) as i128, 4)
    };
    let low = round_div(num_mid.saturating_sub(z_root));
    let high = round_div(num_mid + z_root);
    let estimate = Decimal::from_i128_with_scale(((x * 100_000 / n + 5) / 10) as i128, 4);
    Some((low, estimate.normalize(), high))
}

/// The integer square root (floor) by Newton's method.
fn isqrt(v: u128) -> u128 {
    if v < 2 {
        return v;
    }
    let mut x = 1u128 << (v.ilog2() / 2 + 1);
    loop {
        let y = (x + v / x) / 2;
        if y >= x {
            return x;
        }
        x = y;
    }
}

/// A self-score this far above the final score is flagged.
pub const SELF_EXCESS_FLAG: Decimal = Decimal::from_parts(5, 0, 0, false, 0);
/// An inspector whose implied scores deviate from the final ones by this much on average.
pub const LENIENCY_FLAG: Decimal = Decimal::from_parts(1, 0, 0, false, 0);

/// Figures for the council; each `flag` says whether it crosses its threshold.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Council {
    /// Per unit: self-assessed total minus final total.
    pub self_minus_final: Vec<(UnitId, Decimal, bool)>,
    /// Per inspector: mean of (implied score − final score) over the manual criteria it
    /// judged (positive: lenient), and how many.
    pub leniency: Vec<(UnitId, Decimal, usize, bool)>,
    /// Per unit with two inspectors: manual criteria on which they implied the same score, of
    /// how many they could judge (those with a self-score or a proposal: a unit that submitted
    /// no dossier gives them nothing to agree on, and is left out).
    pub agreement: Vec<(UnitId, usize, usize, bool)>,
    /// Pairs that inspected each other, in two years at least, each time agreeing with every
    /// self-score it judged, with those years ("year after year": one year is not a pattern); a
    /// unit merged into a member counts as that member in the years before.
    pub mutual_high: Vec<(UnitId, UnitId, Vec<i32>)>,
}

/// The score an inspector implies for a manual criterion: its proposal, else the self-score.
fn implied(review: &Review, inspector: &UnitId, unit: &UnitId, criterion: &str) -> Option<Decimal> {
    let finding = review.finding(inspector, unit)?;
    match finding.items.get(criterion) {
        Some(item) if item.verdict == Verdict::Propose => item.score.map(|p| p.0),
        _ => review.self_scores(unit).get(criterion).copied(),
    }
}

/// Whether `inspector` agreed with every self-score of `unit` in `review` (a unit without
/// self-scores, which submitted no dossier, gave nothing to agree with).
fn agreed_all(review: &Review, inspector: &UnitId, unit: &UnitId) -> bool {
    !review.self_scores(unit).is_empty()
        && review
            .finding(inspector, unit)
            .is_some_and(|f| f.items.values().all(|i| i.verdict == Verdict::Agree))
}

/// `sum / n` rounded half away from zero to 2 places from the exact quotient (a division by 3
/// or 7 never lands on a midpoint by truncation).
fn mean_half_up(sum: Decimal, n: usize) -> Decimal {
    use thidua_scoring::exact::{Exact, Rounding};
    Exact::from_decimal(sum)
        .div(&Exact::from_decimal(Decimal::from(n)))
        .ok()
        .and_then(|q| q.round(2, Rounding::HalfUp).to_decimal())
        .unwrap_or_default()
}

/// The council's figures for a review whose totals are `results` (see `score::results`).
pub fn council(state: &State, review: &Review, results: &[PublishedResult]) -> Council {
    let mut out = Council::default();
    for r in results {
        if let (Some(s), Some(f)) = (r.self_total, r.final_total) {
            let d = s.0 - f.0;
            out.self_minus_final
                .push((r.unit.clone(), d, d >= SELF_EXCESS_FLAG));
        }
    }
    let manual: Vec<&str> = review
        .criteria
        .iter()
        .filter(|c| c.manual)
        .map(|c| c.id.as_str())
        .collect();
    let pairs = review.pairs();
    for inspector in &review.members {
        let mut sum = Decimal::ZERO;
        let mut n = 0usize;
        for p in pairs.iter().filter(|p| &p.inspector == inspector) {
            let finals = review.final_scores(&p.inspected);
            for c in &manual {
                if let (Some(i), Some(f)) =
                    (implied(review, inspector, &p.inspected, c), finals.get(*c))
                {
                    sum += i - f;
                    n += 1;
                }
            }
        }
        if n > 0 {
            let mean = mean_half_up(sum, n);
            out.leniency
                .push((inspector.clone(), mean, n, mean.abs() >= LENIENCY_FLAG));
        }
    }
    for unit in &review.members {
        let inspectors = review.inspectors_of(unit);
        if inspectors.len() == 2 {
            let implied_by = |c: &&str| {
                let [a, b] = [&inspectors[0], &inspectors[1]];
                (implied(review, a, unit, c), implied(review, b, unit, c))
            };
            let judged: Vec<_> = manual
                .iter()
                .map(implied_by)
                .filter(|(a, b)| a.is_some() || b.is_some())
                .collect();
            if judged.is_empty() {
                continue;
            }
            let same = judged.iter().filter(|(a, b)| a == b).count();
            out.agreement
                .push((unit.clone(), same, judged.len(), same * 2 < judged.len()));
        }
    }
    let history: Vec<&Review> = state
        .yearend
        .reviews
        .values()
        .map(|r| r.as_ref())
        .filter(|r| r.cluster == review.cluster && r.year <= review.year)
        .collect();
    // A merged unit's past years count as the member it merged into.
    let lineages = super::state::member_lineages(state, review);
    for (i, (a, a_lineage)) in lineages.iter().enumerate() {
        for (b, b_lineage) in &lineages[i + 1..] {
            let years = |xs: &[UnitId], ys: &[UnitId]| -> Vec<i32> {
                history
                    .iter()
                    .filter(|r| {
                        xs.iter()
                            .any(|x| ys.iter().any(|y| x != y && agreed_all(r, x, y)))
                    })
                    .map(|r| r.year)
                    .collect()
            };
            let (ab, ba) = (years(a_lineage, b_lineage), years(b_lineage, a_lineage));
            if !ab.is_empty() && !ba.is_empty() {
                let mut all: Vec<i32> = ab.into_iter().chain(ba).collect();
                all.sort_unstable();
                all.dedup();
                if all.len() >= 2 {
                    out.mutual_high.push(((*a).clone(), (*b).clone(), all));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn wilson_interval_matches_the_textbook_values() {
        // 81 of 100: Wilson 95% ≈ [0.7222, 0.8749] (computed by hand from the formula).
        let (lo, p, hi) = wilson95(81, 100).unwrap();
        assert_eq!((lo, p, hi), (d("0.7222"), d("0.81"), d("0.8749")));
        // All correct: the upper bound is 1, the lower below it.
        let (lo, _, hi) = wilson95(20, 20).unwrap();
        assert_eq!(hi, d("1.0000"));
        assert_eq!(lo, d("0.8389"));
        let (lo, _, _) = wilson95(0, 10).unwrap();
        assert_eq!(lo, d("0.0000"));
        assert_eq!(wilson95(3, 2), None);
    }

    #[test]
    fn a_mean_is_rounded_half_up_from_its_exact_value() {
        assert_eq!(mean_half_up(d("0.01"), 8), d("0.00"));
        assert_eq!(mean_half_up(d("0.02"), 8), d("0.00"), "0.0025 → 0.00");
        assert_eq!(
            mean_half_up(d("0.05"), 2),
            d("0.03"),
            "0.025 → 0.03, not 0.02"
        );
        assert_eq!(mean_half_up(d("-0.05"), 2), d("-0.03"));
        assert_eq!(mean_half_up(d("2"), 3), d("0.67"));
    }

    #[test]
    fn isqrt_is_the_floor() {
        for v in [0u128, 1, 2, 3, 4, 15, 16, 17, 10u128.pow(30) + 7] {
            let r = isqrt(v);
            assert!(r * r <= v && (r + 1) * (r + 1) > v, "{v}");
        }
    }
}
