//! Robust statistics in exact decimals: median, median absolute deviation (MAD) and the robust
//! z-score `z = (x − median) / (1.4826 · MAD)`. No square root is taken: a test `z < −T` is
//! decided as `x − median < −T · scale`, where every quantity is an exact decimal, so the
//! decision is the same on every machine. Where a floor on the spread is a square root (a count's
//! Poisson spread √m), both sides are squared instead ([`beyond_sq`]). The z shown to people is
//! the exact quotient rounded half-even to one decimal place.

use rust_decimal::{Decimal, RoundingStrategy};

/// 1.4826: the MAD of a normal distribution times this is its standard deviation.
pub const MAD_TO_SD: Decimal = Decimal::from_parts(14826, 0, 0, false, 4);

/// Places kept when a ratio is formed (half-even): exact inputs, a fixed-precision ratio.
pub const RATIO_PLACES: u32 = 6;

/// `num / den` rounded half-even to [`RATIO_PLACES`]; `None` when `den` is not positive.
pub fn ratio(num: Decimal, den: Decimal) -> Option<Decimal> {
    if den <= Decimal::ZERO {
        return None;
    }
    let q = num.checked_div(den)?;
    Some(q.round_dp_with_strategy(RATIO_PLACES, RoundingStrategy::MidpointNearestEven))
}

/// The median (the mean of the two middle values for an even count); `None` when empty.
pub fn median(values: &[Decimal]) -> Option<Decimal> {
    let mut v = values.to_vec();
    v.sort();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / Decimal::TWO),
    }
}

/// Centre and spread of a reference set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spread {
    pub median: Decimal,
    /// `1.4826 · MAD`, at least the floor it was computed with.
    pub scale: Decimal,
}

impl Spread {
    /// Median and `max(1.4826 · MAD, floor)` of `values`; `None` when empty.
    pub fn of(values: &[Decimal], floor: Decimal) -> Option<Spread> {
        let m = median(values)?;
        let dev: Vec<Decimal> = values.iter().map(|v| (*v - m).abs()).collect();
        let mad = median(&dev)?;
        Some(Spread {
            median: m,
            scale: (mad * MAD_TO_SD).max(floor),
        })
    }

    /// Whether `x` lies more than `t` scales below the median (`z < −t`), decided exactly.
    pub fn below(&self, x: Decimal, t: Decimal) -> bool {
        self.scale > Decimal::ZERO && x - self.median < -(t * self.scale)
    }

    /// Whether `x` lies more than `t` spreads below the median when the spread is at least
    /// `√var_floor` (a count's sampling variance): `d < 0` and `d² > t² · max(scale², var_floor)`
    /// with `d = x − median` — decided on squares, exactly.
    pub fn below_sq(&self, x: Decimal, t: Decimal, var_floor: Decimal) -> bool {
        let d = x - self.median;
        let floor = (self.scale * self.scale).max(var_floor);
        let (Some(lhs), Some(rhs)) = (d.checked_mul(d), (t * t).checked_mul(floor)) else {
            return false;
        };
        d < Decimal::ZERO && floor > Decimal::ZERO && lhs > rhs
    }

    /// The z of `x` against `max(scale, √var_floor)`, for reasons shown to people (the root is
    /// [`sqrt`]'s; the decision never uses it).
    pub fn z_floor(&self, x: Decimal, var_floor: Decimal) -> Decimal {
        Spread {
            scale: self.scale.max(sqrt(var_floor)),
            ..*self
        }
        .z(x)
    }

    /// The robust z-score of `x`, rounded half-even to one place (for reasons shown to people).
    pub fn z(&self, x: Decimal) -> Decimal {
        if self.scale.is_zero() {
            return Decimal::ZERO;
        }
        ((x - self.median) / self.scale)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
    }
}

/// The square root of `x ≥ 0` to [`RATIO_PLACES`] places: 40 Newton steps in exact decimals
/// from `max(x, 1)` (converged far before), then rounded half-even — the same digits on every
/// machine. Used only to show a z; decisions compare squares.
pub fn sqrt(x: Decimal) -> Decimal {
    if x <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let mut r = x.max(Decimal::ONE);
    for _ in 0..40 {
        let Some(q) = x.checked_div(r) else { break };
        r = (r + q) / Decimal::TWO;
    }
    r.round_dp_with_strategy(RATIO_PLACES, RoundingStrategy::MidpointNearestEven)
}

/// The sampling variance of a share `r` of `n` (binomial: `r(1 − r) / n`); zero when `n ≤ 0`.
pub fn share_variance(r: Decimal, n: Decimal) -> Decimal {
    if n <= Decimal::ZERO || r <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    // A ratio above 1 (solved cases of earlier windows) is not a share: no binomial floor.
    let rest = (Decimal::ONE - r).max(Decimal::ZERO);
    (r * rest).checked_div(n).unwrap_or_default()
}

/// Whether `|x − centre| > t · s` where `s = max(spread, √poisson)`, decided on squares:
/// `(x − centre)² > t² · max(spread², poisson)` — exact, no root taken.
pub fn beyond_sq(
    x: Decimal,
    centre: Decimal,
    spread: Decimal,
    poisson: Decimal,
    t: Decimal,
) -> bool {
    let d = x - centre;
    let floor = (spread * spread).max(poisson);
    match (
        d.checked_mul(d),
        t.checked_mul(t).and_then(|t2| t2.checked_mul(floor)),
    ) {
        (Some(lhs), Some(rhs)) => floor > Decimal::ZERO && lhs > rhs,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn median_mad_and_z_by_hand() {
        // 1 2 3 4 100: median 3; deviations 2 1 0 1 97 → MAD 1; scale 1.4826.
        let v: Vec<Decimal> = [1, 2, 3, 4, 100].map(Decimal::from).to_vec();
        let s = Spread::of(&v, Decimal::ZERO).unwrap();
        assert_eq!(s.median, d("3"));
        assert_eq!(s.scale, d("1.4826"));
        // z(−2) = −5 / 1.4826 = −3.372...
        assert_eq!(s.z(d("-2")), d("-3.4"));
        assert!(s.below(d("-2"), d("3")));
        assert!(!s.below(d("-2"), d("3.5")));
        assert_eq!(median(&[d("1"), d("2")]), Some(d("1.5")));
        assert_eq!(median(&[]), None);
        // a flat reference set uses the floor
        let flat = Spread::of(&[d("0.5"); 6], d("0.01")).unwrap();
        assert_eq!(flat.scale, d("0.01"));
        assert!(flat.below(d("0.469"), d("3")) && !flat.below(d("0.471"), d("3")));
    }

    #[test]
    fn ratios_have_fixed_precision_and_squares_decide_breaks() {
        assert_eq!(ratio(d("2"), d("3")), Some(d("0.666667")));
        assert_eq!(ratio(d("1"), d("0")), None);
        // |130 − 100| = 30 > 5 · max(4, √100 = 10) = 50? no.  |160 − 100| = 60 > 50: yes.
        assert!(!beyond_sq(d("130"), d("100"), d("4"), d("100"), d("5")));
        assert!(beyond_sq(d("160"), d("100"), d("4"), d("100"), d("5")));
        assert!(beyond_sq(d("40"), d("100"), d("4"), d("100"), d("5")));
        assert_eq!(sqrt(d("2")), d("1.414214"));
        assert_eq!(sqrt(d("0.0025")), d("0.05"));
        // median 0.07, scale 0.01, a share of 44: variance 0.07·0.93/44 = 0.00147954…;
        // 0.045 − 0.07 = −0.025, squared 0.000625 < 4 · 0.00147954: no drop. 0: 0.0049 is
        // below 4 · 0.00147954 = 0.0059 (no drop at t = 2) but above 2.25 · … = 0.0033 (t = 1.5).
        let s = Spread {
            median: d("0.07"),
            scale: d("0.01"),
        };
        let v = share_variance(d("0.07"), d("44"));
        assert!(!s.below_sq(d("0.045"), d("2"), v) && s.below(d("0.045"), d("2")));
        assert!(!s.below_sq(d("0"), d("2"), v) && s.below_sq(d("0"), d("1.5"), v));
    }
}
