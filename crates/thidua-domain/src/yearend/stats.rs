//! Figures for the council, shown as flags with their meaning — never automatic penalties —
//! and the record re-check's estimate. Exact: rationals and decimals only.

use rust_decimal::Decimal;

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
    fn isqrt_is_the_floor() {
        for v in [0u128, 1, 2, 3, 4, 15, 16, 17, 10u128.pow(30) + 7] {
            let r = isqrt(v);
            assert!(r * r <= v && (r + 1) * (r + 1) > v, "{v}");
        }
    }
}
