//! Reporting calendars: the named windows of state statistical reporting (Decree 09/2019, art.
//! 12), where month N runs from the 15th of month N−1 to the 14th of month N and the year from
//! 15/12 of the previous year to 14/12. Movements carry their own calendar; this module builds
//! the default one and checks a calendar for consistency.

use chrono::NaiveDate;

use crate::error::DomainError;
use crate::model::ReportingWindow;
use crate::text::Text;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("calendar dates are valid")
}

/// The start of reporting month `m` (1–12) of `year`: the 15th of the previous month.
fn month_start(year: i32, m: u32) -> NaiveDate {
    if m == 1 {
        date(year - 1, 12, 15)
    } else {
        date(year, m - 1, 15)
    }
}

fn window(key: &str, name: &str, start: NaiveDate, end: NaiveDate) -> ReportingWindow {
    ReportingWindow {
        key: key.to_owned(),
        name: Text::parse("window", name, 100).expect("built-in names are valid"),
        start,
        end,
    }
}

/// The default calendar of a reporting year: 12 months, 4 quarters, 6 months, 9 months, year.
pub fn default_calendar(year: i32) -> Vec<ReportingWindow> {
    let mut windows = Vec::with_capacity(19);
    for m in 1..=12 {
        windows.push(window(
            &format!("M{m:02}"),
            &format!("Tháng {m}"),
            month_start(year, m),
            date(year, m, 14),
        ));
    }
    for q in 1..=4u32 {
        let first = 3 * q - 2;
        windows.push(window(
            &format!("Q{q}"),
            &format!("Quý {}", ["I", "II", "III", "IV"][q as usize - 1]),
            month_start(year, first),
            date(year, first + 2, 14),
        ));
    }
    windows.push(window(
        "H1",
        "6 tháng",
        month_start(year, 1),
        date(year, 6, 14),
    ));
    windows.push(window(
        "9M",
        "9 tháng",
        month_start(year, 1),
        date(year, 9, 14),
    ));
    windows.push(window("Y", "Năm", month_start(year, 1), date(year, 12, 14)));
    windows
}

/// The most reporting windows a movement has (the default calendar has 19).
pub const MAX_WINDOWS: usize = 60;

/// Checks a calendar: at most [`MAX_WINDOWS`] windows, unique keys, start ≤ end, every window inside the reporting year.
pub fn validate_calendar(year: i32, windows: &[ReportingWindow]) -> Result<(), DomainError> {
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(DomainError::InvalidCalendar(format!(
            "between 1 and {MAX_WINDOWS} windows, not {}",
            windows.len()
        )));
    }
    let (first, last) = (month_start(year, 1), date(year, 12, 14));
    let mut keys = std::collections::BTreeSet::new();
    for w in windows {
        if w.key.is_empty() || w.key.len() > 16 || !w.key.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(DomainError::InvalidCalendar(format!("bad key {:?}", w.key)));
        }
        if !keys.insert(w.key.as_str()) {
            return Err(DomainError::InvalidCalendar(format!("key {} twice", w.key)));
        }
        if w.start > w.end {
            return Err(DomainError::InvalidCalendar(format!(
                "{} ends before it starts",
                w.key
            )));
        }
        if w.start < first || w.end > last {
            return Err(DomainError::InvalidCalendar(format!(
                "{} lies outside the reporting year {year}",
                w.key
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cut_off_on_the_14th() {
        let cal = default_calendar(2024);
        let get = |k: &str| cal.iter().find(|w| w.key == k).unwrap();
        assert_eq!(get("M01").start, date(2023, 12, 15));
        assert_eq!(get("M01").end, date(2024, 1, 14));
        assert_eq!(get("M12").start, date(2024, 11, 15));
        assert_eq!(get("Q2").start, date(2024, 3, 15));
        assert_eq!(get("Q2").end, date(2024, 6, 14));
        assert_eq!(get("H1").end, date(2024, 6, 14));
        assert_eq!(get("9M").end, date(2024, 9, 14));
        assert_eq!(get("Y").start, date(2023, 12, 15));
        assert_eq!(get("Y").end, date(2024, 12, 14));
        assert!(validate_calendar(2024, &cal).is_ok());
        assert!(validate_calendar(2025, &cal).is_err());
    }
}
