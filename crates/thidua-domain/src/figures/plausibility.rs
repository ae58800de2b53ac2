//! Whether a figure lies far from the same window of last year ("cùng kỳ"): ten times it or
//! more, a tenth of it or less, or zero where last year had ten or more — most often a slipped
//! digit, a thousands separator read as a decimal one, or a cell left at zero. A hint beside the
//! figure for whoever enters, approves or inspects it; never a refusal, a warning that needs a
//! comment (those are the regulation's rules) or a flag.

use rust_decimal::Decimal;

/// How many times last year's figure a figure must be (or its inverse) to be far from it.
pub const FAR_FACTOR: Decimal = Decimal::from_parts(10, 0, 0, false, 0);
/// The larger of the two figures must reach this for the change to count: 1 case against 9,
/// or none against 9, is not a slip.
pub const FAR_FLOOR: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// The figures far from last year's `same` (the module's rule, stated once): from `above` up,
/// and, when last year reached the floor, from `below` down (zero included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FarBounds {
    /// `max(FAR_FACTOR × same, FAR_FLOOR)`: the larger figure must reach the floor.
    pub above: Decimal,
    /// `same / FAR_FACTOR`, when `same` reaches the floor.
    pub below: Option<Decimal>,
}

impl FarBounds {
    /// Whether a figure (not negative) lies far from last year's.
    pub fn holds(&self, value: Decimal) -> bool {
        value >= self.above || self.below.is_some_and(|b| value <= b)
    }
}

/// The bounds of [`FarBounds`] around last year's `same`; `None` when there is nothing to
/// compare with (zero, a negative figure, which a report cannot hold, or one too large to
/// multiply). The figures grid shows the hint from them as the figure is typed.
pub fn far_bounds(same: Decimal) -> Option<FarBounds> {
    if same <= Decimal::ZERO {
        return None;
    }
    let above = same.checked_mul(FAR_FACTOR)?.max(FAR_FLOOR);
    let below = (same >= FAR_FLOOR).then(|| same / FAR_FACTOR);
    Some(FarBounds { above, below })
}

/// `value` against last year's `same`: `Some(value / same)`, rounded half up to 3 places from
/// the exact quotient, when it lies far from it ([`far_bounds`]); `None` otherwise or when last
/// year had nothing to compare with.
pub fn far_from_same_period(value: Decimal, same: Decimal) -> Option<Decimal> {
    if value.is_sign_negative() {
        return None;
    }
    let far = far_bounds(same)?.holds(value);
    far.then(|| ratio(value, same)).flatten()
}

/// `value / same` rounded half up to 3 places from the exact quotient.
fn ratio(value: Decimal, same: Decimal) -> Option<Decimal> {
    use thidua_scoring::exact::{Exact, Rounding};
    Exact::from_decimal(value)
        .div(&Exact::from_decimal(same))
        .ok()?
        .round(3, Rounding::HalfUp)
        .to_decimal()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn far(value: &str, same: &str) -> Option<String> {
        far_from_same_period(d(value), d(same)).map(|r| r.normalize().to_string())
    }

    #[test]
    fn tenfold_either_way_is_far() {
        assert_eq!(far("1230", "123"), Some("10".into()));
        assert_eq!(far("12.3", "123"), Some("0.1".into()));
        assert_eq!(far("1229", "123"), None);
        assert_eq!(far("12.4", "123"), None);
        assert_eq!(far("0", "45"), Some("0".into()));
        // Rounded from the exact quotient: 1000/7 = 142.857142…, 11/112 = 0.098214…
        assert_eq!(far("1000", "7"), Some("142.857".into()));
        assert_eq!(far("11", "112"), Some("0.098".into()));
    }

    #[test]
    fn small_counts_and_no_baseline_are_not_far() {
        // Nine cases against one, a zero against nine: ordinary for rare crimes.
        assert_eq!(far("9", "1"), None);
        assert_eq!(far("0", "9"), None);
        assert_eq!(far("10", "1"), Some("10".into()));
        // Nothing last year: nothing to compare with.
        assert_eq!(far("500", "0"), None);
        assert_eq!(far("0", "0"), None);
    }

    #[test]
    fn the_bounds_are_the_rule() {
        let b = far_bounds(d("123")).unwrap();
        assert_eq!((b.above, b.below), (d("1230"), Some(d("12.3"))));
        let small = far_bounds(d("1")).unwrap();
        assert_eq!((small.above, small.below), (d("10"), None));
        assert_eq!(far_bounds(d("0")), None);
        // Every figure around a few baselines: far exactly when the bounds say so.
        for same in ["0.5", "1", "7", "9.99", "10", "12.3", "112", "4500"] {
            let bounds = far_bounds(d(same)).unwrap();
            for tenths in 0..60_000u32 {
                let value = Decimal::new(tenths.into(), 1);
                let by_rule = far_from_same_period(value, d(same)).is_some();
                assert_eq!(bounds.holds(value), by_rule, "{value} against {same}");
                let (low, high) = if value < d(same) {
                    (value, d(same))
                } else {
                    (d(same), value)
                };
                let by_definition = high >= FAR_FLOOR && high >= low * FAR_FACTOR;
                assert_eq!(by_rule, by_definition, "{value} against {same}");
            }
        }
    }
}
