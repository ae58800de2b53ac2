//! Reporting calendars: the named windows of state statistical reporting (Decree 09/2019, art.
//! 12). The rule that gives a window its dates (month N runs from the 15th of month N−1 to the
//! 14th of month N) lives in one place, the scoring crate's [`period`] module; this module
//! builds a movement's calendar from it, checks one, and reads one ([`Calendar`]): the windows
//! units report figures for (one per reporting month) and the windows that are sums of them
//! (quarters, 6 months, the year). A window is known by its dates, never by the shape of its
//! key, so a calendar that names its windows otherwise is scored the same way as the default
//! one.

use chrono::NaiveDate;
use thidua_scoring::period::{self, PeriodKey, PeriodKind};

use crate::error::DomainError;
use crate::model::ReportingWindow;
use crate::text::Text;

/// The windows of the default calendar, in order, with their Vietnamese names.
fn default_windows() -> Vec<(PeriodKind, String)> {
    let months = (1..=12).map(|m| (PeriodKind::Month(m), format!("Tháng {m}")));
    let quarters = (1..=4).map(|q| {
        let roman = ["I", "II", "III", "IV"][usize::from(q) - 1];
        (PeriodKind::Quarter(q), format!("Quý {roman}"))
    });
    let rest = [
        (PeriodKind::Half(1), "6 tháng".to_owned()),
        (PeriodKind::NineMonths, "9 tháng".to_owned()),
        (PeriodKind::Year, "Năm".to_owned()),
    ];
    months.chain(quarters).chain(rest).collect()
}

/// The default calendar of a reporting year: 12 months (reported), 4 quarters, 6 months,
/// 9 months and the year (their sums), keyed as the period keys without the year (`M01`,
/// `Q1`, `H1`, `9M`, `Y`).
pub fn default_calendar(year: i32) -> Vec<ReportingWindow> {
    default_windows()
        .into_iter()
        .filter_map(|(kind, name)| {
            let key = PeriodKey::new(year, kind)?;
            let (start, end) = key.dates();
            Some(ReportingWindow {
                key: key.to_string()[5..].to_owned(),
                name: Text::parse("window", &name, 100).expect("built-in names are valid"),
                start,
                end,
            })
        })
        .collect()
}

/// The most reporting windows a movement has (the default calendar has 19).
pub const MAX_WINDOWS: usize = 60;

/// The run of reporting months (first and last, 1–12) a window's dates cover, with the
/// reporting year they fall in; `None` for dates that are not the 15th opening a month and
/// the 14th closing one.
pub fn months_of(window: &ReportingWindow) -> Option<period::Window> {
    period::Window::of_dates(window.start, window.end)
}

/// A window's name in English, from its dates (its run of reporting months: "Month 3",
/// "Quarter II", "First half", "Nine months", "Year", "Months 2–5"); the calendar's recorded
/// name (Vietnamese data) for dates that are not a run of reporting months. The pages'
/// English and the imports' English messages name windows by it.
pub fn name_en(window: &ReportingWindow) -> String {
    let Some(run) = months_of(window) else {
        return window.name.to_string();
    };
    match (run.first, run.last) {
        (m, n) if m == n => format!("Month {m}"),
        (1, 3) => "Quarter I".into(),
        (4, 6) => "Quarter II".into(),
        (7, 9) => "Quarter III".into(),
        (10, 12) => "Quarter IV".into(),
        (1, 6) => "First half".into(),
        (7, 12) => "Second half".into(),
        (1, 9) => "Nine months".into(),
        (1, 12) => "Year".into(),
        (m, n) => format!("Months {m}–{n}"),
    }
}

/// A window of a calendar that units report figures for: one reporting month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reported<'a> {
    pub window: &'a ReportingWindow,
    /// The reporting month (1–12).
    pub month: u8,
}

impl Reported<'_> {
    /// The same month in reporting year `year` (a calendar's keys name the same months every
    /// year: "cùng kỳ" is the same key one year earlier).
    pub fn in_year(&self, year: i32) -> Option<PeriodKey> {
        PeriodKey::new(year, PeriodKind::Month(self.month))
    }

    /// The window's key (`M01`…).
    pub fn key(&self) -> &str {
        &self.window.key
    }
}

/// A movement's calendar as the year reads it. Units report figures for the windows of one
/// reporting month; every other window is a sum of them (quarters, 6 months, year in the
/// default calendar). Windows whose dates are not reporting months (only in logs written
/// before calendars were checked for it) are neither.
#[derive(Clone, Debug)]
pub struct Calendar<'a> {
    windows: &'a [ReportingWindow],
    /// The reported windows in the order of their months.
    reported: Vec<Reported<'a>>,
}

impl<'a> Calendar<'a> {
    /// Reads a calendar.
    pub fn new(windows: &'a [ReportingWindow]) -> Calendar<'a> {
        let mut reported: Vec<Reported> = windows
            .iter()
            .filter_map(|w| {
                let run = months_of(w)?;
                (run.len() == 1).then_some(Reported {
                    window: w,
                    month: run.first,
                })
            })
            .collect();
        reported.sort_by_key(|r| r.month);
        Calendar { windows, reported }
    }

    /// The windows units report figures for, in the order of their months.
    pub fn reported(&self) -> &[Reported<'a>] {
        &self.reported
    }

    /// The reported window with this key; `None` for a sum or a key the calendar lacks.
    pub fn reported_window(&self, key: &str) -> Option<&Reported<'a>> {
        self.reported.iter().find(|r| r.window.key == key)
    }

    /// Whether units report figures for the window with this key.
    pub fn is_reported(&self, key: &str) -> bool {
        self.reported_window(key).is_some()
    }

    /// The reported window of reporting month `month`.
    pub fn month(&self, month: u8) -> Option<&Reported<'a>> {
        self.reported.iter().find(|r| r.month == month)
    }

    /// The cut-off day of reporting month `month`.
    pub fn cutoff(&self, month: u8) -> Option<NaiveDate> {
        self.month(month).map(|r| r.window.end)
    }

    /// The last reporting month `m` ≤ `cap` such that months 1..=m are all `approved`.
    pub fn through(&self, cap: u8, approved: impl Fn(&str) -> bool) -> Option<u8> {
        (1..=cap)
            .take_while(|m| self.month(*m).is_some_and(|r| approved(r.key())))
            .last()
    }

    /// Every window of the calendar, as declared.
    pub fn windows(&self) -> &'a [ReportingWindow] {
        self.windows
    }
}

fn invalid(reason: String) -> DomainError {
    DomainError::InvalidCalendar(reason)
}

/// Checks a calendar: at most [`MAX_WINDOWS`] windows with unique keys; every window a run
/// of reporting months of `year` (from a 15th to a 14th), no two with the same months, every
/// month of the year a window of its own (what units report).
pub fn validate_calendar(year: i32, windows: &[ReportingWindow]) -> Result<(), DomainError> {
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(invalid(format!(
            "between 1 and {MAX_WINDOWS} windows, not {}",
            windows.len()
        )));
    }
    let mut keys = std::collections::BTreeSet::new();
    let mut runs = std::collections::BTreeMap::new();
    for w in windows {
        if w.key.is_empty() || w.key.len() > 16 || !w.key.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(invalid(format!("bad key {:?}", w.key)));
        }
        if !keys.insert(w.key.as_str()) {
            return Err(invalid(format!("key {} twice", w.key)));
        }
        let run = months_of(w).filter(|r| r.year == year).ok_or_else(|| {
            invalid(format!(
                "{}: {} – {} is not a run of reporting months of {year} (from the 15th to the 14th)",
                w.key,
                w.start.format("%d/%m/%Y"),
                w.end.format("%d/%m/%Y")
            ))
        })?;
        if let Some(other) = runs.insert((run.first, run.last), &w.key) {
            return Err(invalid(format!(
                "{} and {} cover the same months",
                other, w.key
            )));
        }
    }
    match (1..=12).find(|m| !runs.contains_key(&(*m, *m))) {
        Some(m) => Err(invalid(format!(
            "no window for month {m} alone: units report month by month, longer windows are their sums"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn window(key: &str, start: NaiveDate, end: NaiveDate) -> ReportingWindow {
        ReportingWindow {
            key: key.to_owned(),
            name: Text::parse("window", key, 100).unwrap(),
            start,
            end,
        }
    }

    #[test]
    fn windows_cut_off_on_the_14th() {
        let cal = default_calendar(2024);
        let get = |k: &str| cal.iter().find(|w| w.key == k).unwrap();
        assert_eq!(cal.len(), 19);
        assert_eq!(get("M01").start, date(2023, 12, 15));
        assert_eq!(get("M01").end, date(2024, 1, 14));
        assert_eq!(get("M12").start, date(2024, 11, 15));
        assert_eq!(get("Q2").start, date(2024, 3, 15));
        assert_eq!(get("Q2").end, date(2024, 6, 14));
        assert_eq!(get("H1").end, date(2024, 6, 14));
        assert_eq!(get("9M").end, date(2024, 9, 14));
        assert_eq!(get("Y").start, date(2023, 12, 15));
        assert_eq!(get("Y").end, date(2024, 12, 14));
        assert_eq!(get("Q4").name.as_str(), "Quý IV");
        assert!(validate_calendar(2024, &cal).is_ok());
        assert!(validate_calendar(2025, &cal).is_err());
    }

    #[test]
    fn units_report_the_months_and_the_rest_are_sums() {
        let cal = default_calendar(2024);
        let c = Calendar::new(&cal);
        let keys: Vec<&str> = c.reported().iter().map(|r| r.key()).collect();
        assert_eq!(
            keys,
            (1..=12).map(|m| format!("M{m:02}")).collect::<Vec<_>>()
        );
        assert!(!c.is_reported("Q1") && !c.is_reported("Y"));
        assert_eq!(c.cutoff(6), Some(date(2024, 6, 14)));
        assert_eq!(c.through(12, |k| k < "M04"), Some(3));
        assert_eq!(c.through(2, |k| k < "M04"), Some(2));
        assert_eq!(c.through(12, |k| k != "M01"), None);
    }

    #[test]
    fn a_calendar_with_keys_of_its_own_is_read_by_its_dates() {
        let month = |k: String, n: u8| {
            let (a, b) = PeriodKey::new(2025, PeriodKind::Month(n)).unwrap().dates();
            window(&k, a, b)
        };
        let (a, b) = PeriodKey::new(2025, PeriodKind::Year).unwrap().dates();
        let mut cal = vec![window("CaNam", a, b)];
        cal.extend((1..=12).rev().map(|n| month(format!("T{n}"), n)));
        validate_calendar(2025, &cal).unwrap();
        let c = Calendar::new(&cal);
        assert_eq!(c.reported()[0].key(), "T1");
        assert_eq!(c.month(10).unwrap().key(), "T10");
        assert!(!c.is_reported("CaNam"));
        assert_eq!(c.through(12, |k| k != "T3"), Some(2));
        assert_eq!(
            c.month(2).unwrap().in_year(2024).unwrap().to_string(),
            "2024-M02"
        );
    }

    #[test]
    fn calendars_that_cannot_be_scored_are_refused() {
        let m = |k: &str, n: u8| {
            let (a, b) = PeriodKey::new(2024, PeriodKind::Month(n)).unwrap().dates();
            window(k, a, b)
        };
        let months: Vec<ReportingWindow> = (1..=12).map(|n| m(&format!("M{n:02}"), n)).collect();
        let refused = |cal: Vec<ReportingWindow>, why: &str| {
            let e = validate_calendar(2024, &cal).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
        };
        // Calendar months are not reporting months.
        let mut cal = months.clone();
        cal[0] = window("M01", date(2024, 1, 1), date(2024, 1, 31));
        refused(cal, "not a run of reporting months");
        // A month missing, a month twice under two keys.
        refused(months[1..].to_vec(), "no window for month 1 alone");
        refused([months.clone(), vec![m("T1", 1)]].concat(), "same months");
        // Quarters reported instead of months.
        let quarters: Vec<ReportingWindow> = (1..=4)
            .map(|q| {
                let (a, b) = PeriodKey::new(2024, PeriodKind::Quarter(q))
                    .unwrap()
                    .dates();
                window(&format!("Q{q}"), a, b)
            })
            .collect();
        refused(quarters, "units report month by month");
    }
}
