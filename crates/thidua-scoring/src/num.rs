//! Exact decimal numbers: reading them from text (never through binary floats) and writing them
//! the Vietnamese way ("1.234,5").
use rust_decimal::Decimal;
use std::str::FromStr;

/// Reads a decimal from text such as `95.5`, `-5`, `1_000`, `1e3`. No binary floats involved.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    if t.is_empty() || t.starts_with('+') && t.len() == 1 {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(&t);
    let ok = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+'));
    if !ok {
        return None;
    }
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str_exact(t).ok()
    }
}

/// Canonical ASCII form: no trailing zeros, no exponent (`95.5`, `-5`, `0`).
pub fn canonical(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// Vietnamese form: thousands with ".", decimals with "," (`1.234,5`, `−5,26` uses "-").
pub fn vi(d: Decimal) -> String {
    vi_text(&canonical(d))
}

/// Vietnamese form of a canonical ASCII decimal text (`-1234.5` → `-1.234,5`).
pub fn vi_text(s: &str) -> String {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        let left = digits.len() - i;
        if i > 0 && left.is_multiple_of(3) {
            out.push('.');
        }
        out.push(*c);
    }
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// The decimals of the most precise of a column's values (0 for none): what [`vi_padded`]
/// sets every value of the column at, so that "94,5" stands as "94,50" beside "96,86".
pub fn column_places<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> u32 {
    values
        .into_iter()
        .map(|d| d.normalize().scale())
        .max()
        .unwrap_or(0)
}

/// Vietnamese form of `d` with at least `places` decimals, zeros added ("94,50" at two
/// places); never rounded, so a value with more decimals keeps them.
pub fn vi_padded(d: Decimal, places: u32) -> String {
    let mut n = d.normalize();
    if n.scale() < places {
        n.rescale(places);
    }
    vi_text(&n.to_string())
}

/// Vietnamese form rounded for display to `dp` places (half away from zero), trailing zeros cut.
pub fn vi_dp(d: Decimal, dp: u32) -> String {
    vi(d.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
}

/// Convenience for tests and generators.
pub fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_is_set_at_its_most_precise_decimals() {
        let column = [dec("94.5"), dec("96.86"), dec("100"), dec("0")];
        let places = column_places(&column);
        assert_eq!(places, 2);
        let shown: Vec<String> = column.iter().map(|d| vi_padded(*d, places)).collect();
        assert_eq!(shown, ["94,50", "96,86", "100,00", "0,00"]);
        assert_eq!(vi_padded(dec("1234.125"), 2), "1.234,125");
        assert_eq!(vi_padded(dec("-5.2"), 2), "-5,20");
        assert_eq!(column_places(&[]), 0);
    }

    #[test]
    fn reads_and_writes() {
        assert_eq!(parse_decimal("95.50"), Some(dec("95.5")));
        assert_eq!(parse_decimal("1_000"), Some(dec("1000")));
        assert_eq!(parse_decimal("1e3"), Some(dec("1000")));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("inf"), None);
        assert_eq!(vi(dec("1234567.5")), "1.234.567,5");
        assert_eq!(vi(dec("95.50")), "95,5");
        assert_eq!(vi(dec("-5.26")), "-5,26");
        assert_eq!(vi(dec("0.000")), "0");
        assert_eq!(canonical(dec("10.00")), "10");
    }
}
