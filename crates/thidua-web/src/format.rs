//! Vietnamese presentation of numbers and dates: "95,5" with "." for thousands ("1.234"),
//! dates as dd/mm/yyyy, times as dd/mm/yyyy HH:MM (UTC+7, the time of Vietnam); and how a
//! number typed in a form field is read back ([`typed_decimal`]) and shown to be typed again
//! ([`decimal_to_type`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A decimal the Vietnamese way: "95,5", "1.234", "-0,25".
pub fn decimal(d: &Decimal) -> String {
    let s = d.normalize().to_string();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// A size limit as a refusal says it: in MiB (or KiB) when it is a whole number of them, with
/// its bytes, Vietnamese "32 MiB (33.554.432 byte)", English "32 MiB (33554432 bytes)".
pub fn byte_limit(bytes: usize, lang: crate::i18n::Lang) -> String {
    let unit = [(1024 * 1024, "MiB"), (1024, "KiB")]
        .into_iter()
        .find(|(size, _)| bytes >= *size && bytes.is_multiple_of(*size));
    let count = |n: usize| match lang {
        crate::i18n::Lang::Vi => decimal(&Decimal::from(n)),
        crate::i18n::Lang::En => n.to_string(),
    };
    let in_bytes = byte_count(bytes as u64, lang);
    match unit {
        Some((size, name)) => format!("{} {name} ({in_bytes})", count(bytes / size)),
        None => in_bytes,
    }
}

/// A file's size as a list of files says it, in the units of [`byte_limit`]: bytes under
/// 1 KiB, else KiB or MiB with one decimal below 10 and none above, Vietnamese "55 KiB",
/// "1,5 MiB", "512 byte", English "55 KiB", "1.5 MiB", "512 bytes".
pub fn byte_size(bytes: u64, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    let Some((size, name)) = [(1024 * 1024, "MiB"), (1024, "KiB")]
        .into_iter()
        .find(|(size, _)| bytes >= *size)
    else {
        return byte_count(bytes, lang);
    };
    let value = Decimal::from(bytes) / Decimal::from(size);
    let places = if value < Decimal::TEN { 1 } else { 0 };
    let shown = value
        .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    match lang {
        Lang::Vi => format!("{} {name}", decimal(&shown)),
        Lang::En => format!("{shown} {name}"),
    }
}

/// A number of bytes in full: Vietnamese "56.458 byte", English "56458 bytes".
pub fn byte_count(bytes: u64, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::Vi => format!("{} byte", decimal(&Decimal::from(bytes))),
        crate::i18n::Lang::En => format!("{bytes} bytes"),
    }
}

/// A decimal as a form field shows it to be typed again: the decimal comma, no thousands
/// separators ("2000", "95,5"), so that [`typed_decimal`] reads it back unchanged.
pub fn decimal_to_type(d: &Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// Why a typed number was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Not a number at all.
    Invalid,
    /// A form a reader may take for thousands ("20.000", "1.234,5": twenty thousand to a
    /// Vietnamese reader, twenty to an English one): refused, never guessed.
    Ambiguous,
}

/// A number as typed in a form field, read by the figures' one number rule
/// ([`thidua_scoring::input::parse_number`]): plain ("7.5", "8") or with a decimal comma
/// ("7,5", as the figures grid reads it); a form that may hold thousands separators is refused.
pub fn typed_decimal(raw: &str) -> Result<Decimal, Unreadable> {
    use thidua_scoring::input::{parse_number, NumberFormat};
    let raw = raw.trim();
    match parse_number(raw, NumberFormat::Plain) {
        Ok(d) => Ok(d),
        // A comma and no point: the decimal comma, as the figures grid reads it.
        Err(e) if e.code == "number_format" && !raw.contains('.') => {
            parse_number(raw, NumberFormat::Vi).map_err(|_| Unreadable::Invalid)
        }
        Err(e) if e.code == "number_format" => Err(Unreadable::Ambiguous),
        Err(_) => Err(Unreadable::Invalid),
    }
}

/// A date as dd/mm/yyyy.
pub fn date(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Days as their runs of consecutive days, dd/mm/yyyy, one per line when `sep` is a newline:
/// "01/01/2026; 14/02/2026 - 22/02/2026" (how a declaration of holidays is shown and typed).
pub fn day_ranges(days: &[NaiveDate], sep: &str) -> String {
    thidua_domain::holidays::ranges(days)
        .iter()
        .map(|(first, last)| {
            if first == last {
                date(first)
            } else {
                format!("{} - {}", date(first), date(last))
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// An ISO date string (yyyy-mm-dd, as the API carries it) as dd/mm/yyyy; other text unchanged.
pub fn iso_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| date(&d))
        .unwrap_or_else(|_| iso.to_owned())
}

/// A decimal string ("95.5", as the API carries it) the Vietnamese way; other text unchanged.
pub fn decimal_str(raw: &str) -> String {
    raw.parse::<Decimal>()
        .map(|d| decimal(&d))
        .unwrap_or_else(|_| raw.to_owned())
}

/// A measured value ("-25.7993", as the API carries it) as the pages show it: the Vietnamese
/// way with at most two decimals, «≈» when rounded, and its unit of measure ("≈ -25,8%" for a
/// rate, "84 vụ"); text that is no number (✓, ✗) unchanged.
pub fn measured(raw: &str, measure: Option<&str>) -> String {
    let Ok(d) = raw.parse::<Decimal>() else {
        return raw.to_owned();
    };
    let shown = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let approx = if shown == d { "" } else { "≈ " };
    with_measure(format!("{approx}{}", decimal(&shown)), measure)
}

/// A number written with its unit of measure: "12,5%", "84 vụ", the number alone without one.
pub fn with_measure(number: String, measure: Option<&str>) -> String {
    match measure {
        Some("%") => format!("{number}%"),
        Some(m) if !m.is_empty() => format!("{number} {m}"),
        _ => number,
    }
}

/// A log time (milliseconds since the epoch) as dd/mm/yyyy HH:MM in Vietnam's time (UTC+7).
pub fn time_ms(ms: i64) -> String {
    thidua_domain::figures::local_datetime(ms)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_limit_is_said_with_its_bytes() {
        use crate::i18n::Lang;
        assert_eq!(byte_limit(1024 * 1024, Lang::Vi), "1 MiB (1.048.576 byte)");
        assert_eq!(byte_limit(1024 * 1024, Lang::En), "1 MiB (1048576 bytes)");
        assert_eq!(
            byte_limit(32 * 1024 * 1024, Lang::Vi),
            "32 MiB (33.554.432 byte)"
        );
        assert_eq!(byte_limit(1536, Lang::Vi), "1.536 byte");
        assert_eq!(byte_limit(2048, Lang::En), "2 KiB (2048 bytes)");
        assert_eq!(byte_limit(1000, Lang::Vi), "1.000 byte");
    }

    /// A measured value keeps two decimals at most, says when it is rounded, and names its
    /// unit (it read "-25,7993" with no % on a rate).
    #[test]
    fn a_measured_value_is_shown_with_its_unit() {
        assert_eq!(measured("-25.7993", Some("%")), "≈ -25,8%");
        assert_eq!(measured("-12.5", Some("%")), "-12,5%");
        assert_eq!(measured("1234", Some("vụ")), "1.234 vụ");
        assert_eq!(measured("0.125", None), "≈ 0,13");
        assert_eq!(measured("✓", None), "✓");
    }

    /// A file's size is said in KiB or MiB like the limits (it read "56458 B").
    #[test]
    fn a_file_size_is_said_in_the_limits_units() {
        use crate::i18n::Lang;
        assert_eq!(byte_size(56_458, Lang::Vi), "55 KiB");
        assert_eq!(byte_size(56_458, Lang::En), "55 KiB");
        assert_eq!(byte_size(1_572_864, Lang::Vi), "1,5 MiB");
        assert_eq!(byte_size(1_572_864, Lang::En), "1.5 MiB");
        assert_eq!(byte_size(20 * 1024 * 1024, Lang::Vi), "20 MiB");
        assert_eq!(byte_size(512, Lang::Vi), "512 byte");
        assert_eq!(byte_size(512, Lang::En), "512 bytes");
        assert_eq!(byte_count(56_458, Lang::Vi), "56.458 byte");
    }

    #[test]
    fn vietnamese_numbers_and_dates() {
        assert_eq!(decimal(&Decimal::from_str("95.5").unwrap()), "95,5");
        assert_eq!(decimal(&Decimal::from_str("1234").unwrap()), "1.234");
        assert_eq!(
            decimal(&Decimal::from_str("1234567.50").unwrap()),
            "1.234.567,5"
        );
        assert_eq!(decimal(&Decimal::from_str("-0.25").unwrap()), "-0,25");
        assert_eq!(decimal(&Decimal::from_str("100").unwrap()), "100");
        assert_eq!(
            date(&NaiveDate::from_ymd_opt(2024, 3, 26).unwrap()),
            "26/03/2024"
        );
        assert_eq!(time_ms(0), "01/01/1970 07:00");
    }

    #[test]
    fn typed_numbers_are_read_back_as_shown_and_never_guessed() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        for (typed, read) in [
            ("2000", "2000"),
            ("95,5", "95.5"),
            ("95.5", "95.5"),
            ("0.5", "0.5"),
        ] {
            assert_eq!(typed_decimal(typed), Ok(d(read)), "{typed}");
        }
        for ambiguous in ["2.000", "1.234,5", "1.000.000"] {
            assert_eq!(
                typed_decimal(ambiguous),
                Err(Unreadable::Ambiguous),
                "{ambiguous}"
            );
        }
        assert_eq!(typed_decimal("abc"), Err(Unreadable::Invalid));
        for shown in ["2000", "1234567.5", "0.25", "-3"] {
            let typed = decimal_to_type(&d(shown));
            assert!(!typed.contains('.'), "{typed}");
            assert_eq!(typed_decimal(&typed), Ok(d(shown)), "{typed}");
        }
    }
}
