//! Reporting periods (Decree 09/2019 art. 12 cut-off on the 14th): period keys such as
//! `2024-M03`, `2024-Q1`, `2024-H1`, `2024-9M`, `2024-Y`, the month windows they cover and their
//! exact dates. Reporting month N runs from the 15th of month N−1 to the 14th of month N; the
//! reporting year Y runs from 15/12/(Y−1) to 14/12/Y.
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The shape of a period key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    /// Reporting month 1..=12.
    Month(u8),
    /// Quarter 1..=4.
    Quarter(u8),
    /// Half 1..=2 (H1 = "6 tháng": 15/12 – 14/6).
    Half(u8),
    /// "9 tháng": 15/12 – 14/9.
    NineMonths,
    /// The reporting year 15/12 – 14/12.
    Year,
    /// The year to date through reporting month 1..=12 (15/12 – 14/m), for progress during the
    /// year; only where no other kind names the window (see [`PeriodKey::year_to_date`]).
    /// Written and parsed `2024-M01..M05`, the form the progress pages print, so that
    /// `thidua score --period` recomputes a provisional score of any month; parsing
    /// `2024-M01..M03` gives the usual key (`2024-Q1`), as [`PeriodKey::year_to_date`] does.
    ToDate(u8),
}

/// A named reporting window, e.g. `2024-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeriodKey {
    pub year: i32,
    pub kind: PeriodKind,
}

/// A run of reporting months within one reporting year (`first..=last`, 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    pub year: i32,
    pub first: u8,
    pub last: u8,
}

/// The reporting years this crate accepts (keeps date arithmetic total).
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 9999;

impl PeriodKey {
    pub fn new(year: i32, kind: PeriodKind) -> Option<Self> {
        let ok = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && match kind {
                PeriodKind::Month(m) => (1..=12).contains(&m),
                PeriodKind::Quarter(q) => (1..=4).contains(&q),
                PeriodKind::Half(h) => (1..=2).contains(&h),
                PeriodKind::ToDate(m) => (1..=12).contains(&m),
                PeriodKind::NineMonths | PeriodKind::Year => true,
            };
        ok.then_some(PeriodKey { year, kind })
    }

    /// The months this period covers.
    pub fn window(&self) -> Window {
        let (first, last) = match self.kind {
            PeriodKind::Month(m) => (m, m),
            PeriodKind::Quarter(q) => (q * 3 - 2, q * 3),
            PeriodKind::Half(h) => (h * 6 - 5, h * 6),
            PeriodKind::NineMonths => (1, 9),
            PeriodKind::Year => (1, 12),
            PeriodKind::ToDate(m) => (1, m),
        };
        Window {
            year: self.year,
            first,
            last,
        }
    }

    /// Exact first and last day (inclusive).
    pub fn dates(&self) -> (NaiveDate, NaiveDate) {
        self.window().dates()
    }

    /// The window from the start of `year` through reporting month `last` (1..=12), named by
    /// its usual key where there is one (`M01`, `Q1`, `H1`, `9M`, `Y`).
    pub fn year_to_date(year: i32, last: u8) -> Option<PeriodKey> {
        let w = Window::new(year, 1, last)?;
        w.key()
            .or_else(|| PeriodKey::new(year, PeriodKind::ToDate(last)))
    }

    /// The same window one year earlier ("cùng kỳ").
    pub fn same_period_last_year(&self) -> Option<PeriodKey> {
        PeriodKey::new(self.year - 1, self.kind)
    }
}

impl Window {
    /// The whole reporting year `year` (months 1 to 12), whatever the year: its
    /// [`dates`](Self::dates) are the bounds every stage reads a reporting year by.
    pub fn whole_year(year: i32) -> Self {
        Window {
            year,
            first: 1,
            last: 12,
        }
    }

    /// Checked constructor.
    pub fn new(year: i32, first: u8, last: u8) -> Option<Self> {
        ((MIN_YEAR..=MAX_YEAR).contains(&year) && 1 <= first && first <= last && last <= 12)
            .then_some(Window { year, first, last })
    }

    /// First day (15th of the month before `first`) and last day (14th of `last`).
    pub fn dates(&self) -> (NaiveDate, NaiveDate) {
        let (sy, sm) = if self.first == 1 {
            (self.year - 1, 12)
        } else {
            (self.year, self.first as u32 - 1)
        };
        let start = NaiveDate::from_ymd_opt(sy, sm, 15).unwrap_or(NaiveDate::MIN);
        let end =
            NaiveDate::from_ymd_opt(self.year, self.last as u32, 14).unwrap_or(NaiveDate::MAX);
        (start, end)
    }

    /// The run of reporting months whose first and last days are `start` and `end` (the 15th
    /// opening a month and the 14th closing one, within one reporting year); `None` for other
    /// dates. The inverse of [`Window::dates`].
    pub fn of_dates(start: NaiveDate, end: NaiveDate) -> Option<Window> {
        use chrono::Datelike;
        if start.day() != 15 || end.day() != 14 {
            return None;
        }
        let year = end.year();
        let first = if (start.year(), start.month()) == (year - 1, 12) {
            1
        } else if start.year() == year && start.month() < 12 {
            start.month() as u8 + 1
        } else {
            return None;
        };
        Window::new(year, first, end.month() as u8)
    }

    /// The same window `years` years later (negative: earlier).
    pub fn shift_years(&self, years: i32) -> Option<Window> {
        Window::new(self.year.checked_add(years)?, self.first, self.last)
    }

    /// The period key naming exactly this window, if there is one.
    pub fn key(&self) -> Option<PeriodKey> {
        let kind = match (self.first, self.last) {
            (a, b) if a == b => PeriodKind::Month(a),
            (1, 12) => PeriodKind::Year,
            (1, 9) => PeriodKind::NineMonths,
            (1, 6) => PeriodKind::Half(1),
            (7, 12) => PeriodKind::Half(2),
            (a, b) if b == a + 2 && a % 3 == 1 => PeriodKind::Quarter(a.div_ceil(3)),
            _ => return None,
        };
        PeriodKey::new(self.year, kind)
    }

    /// Number of months.
    pub fn len(&self) -> u8 {
        self.last - self.first + 1
    }

    /// Never empty; present for clippy's sake.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `15/12/2023 – 14/12/2024`.
    pub fn date_range_vi(&self) -> String {
        let (a, b) = self.dates();
        format!("{} – {}", a.format("%d/%m/%Y"), b.format("%d/%m/%Y"))
    }
}

impl fmt::Display for Window {
    /// The period key if one names the window, otherwise `2024-M01..M05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key() {
            Some(k) => write!(f, "{k}"),
            None => write!(f, "{}-M{:02}..M{:02}", self.year, self.first, self.last),
        }
    }
}

impl Serialize for Window {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl PeriodKey {
    /// The period as a Vietnamese document names it: `tháng 3 năm 2024`, `quý I năm 2024`,
    /// `6 tháng đầu năm 2024`, `9 tháng năm 2024`, `năm 2024`, `từ tháng 1 đến tháng 5 năm 2024`.
    pub fn name_vi(&self) -> String {
        let y = self.year;
        match self.kind {
            PeriodKind::Month(m) => format!("tháng {m} năm {y}"),
            PeriodKind::Quarter(q) => {
                let roman = ["I", "II", "III", "IV"][usize::from(q.clamp(1, 4)) - 1];
                format!("quý {roman} năm {y}")
            }
            PeriodKind::Half(1) => format!("6 tháng đầu năm {y}"),
            PeriodKind::Half(_) => format!("6 tháng cuối năm {y}"),
            PeriodKind::NineMonths => format!("9 tháng năm {y}"),
            PeriodKind::Year => format!("năm {y}"),
            PeriodKind::ToDate(m) => format!("từ tháng 1 đến tháng {m} năm {y}"),
        }
    }
}

impl fmt::Display for PeriodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month(m) => write!(f, "{}-M{:02}", self.year, m),
            PeriodKind::Quarter(q) => write!(f, "{}-Q{}", self.year, q),
            PeriodKind::Half(h) => write!(f, "{}-H{}", self.year, h),
            PeriodKind::NineMonths => write!(f, "{}-9M", self.year),
            PeriodKind::Year => write!(f, "{}-Y", self.year),
            PeriodKind::ToDate(m) => write!(f, "{}-M01..M{:02}", self.year, m),
        }
    }
}

impl Serialize for PeriodKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A text that is not a period key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("kỳ không hợp lệ `{0}` (ví dụ 2024-M03, 2024-Q1, 2024-H1, 2024-9M, 2024-Y, 2024-M01..M05) / invalid period `{0}`")]
pub struct BadPeriod(pub String);

impl FromStr for PeriodKey {
    type Err = BadPeriod;
    fn from_str(s: &str) -> Result<Self, BadPeriod> {
        let bad = || BadPeriod(s.to_string());
        let (y, rest) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let num = |t: &str, len: usize| -> Result<u8, BadPeriod> {
            if t.is_empty() || t.len() > len || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        if let Some(last) = rest.strip_prefix("M01..M") {
            // The year to date through a month, named by its usual key where there is one.
            if last.len() != 2 {
                return Err(bad());
            }
            return PeriodKey::year_to_date(year, num(last, 2)?).ok_or_else(bad);
        }
        let kind = if let Some(m) = rest.strip_prefix('M') {
            if m.len() != 2 {
                return Err(bad());
            }
            PeriodKind::Month(num(m, 2)?)
        } else if let Some(q) = rest.strip_prefix('Q') {
            PeriodKind::Quarter(num(q, 1)?)
        } else if let Some(h) = rest.strip_prefix('H') {
            PeriodKind::Half(num(h, 1)?)
        } else if rest == "9M" {
            PeriodKind::NineMonths
        } else if rest == "Y" {
            PeriodKind::Year
        } else {
            return Err(bad());
        };
        PeriodKey::new(year, kind).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn windows_follow_decree_09() {
        let p = |s: &str| s.parse::<PeriodKey>().unwrap().dates();
        assert_eq!(p("2024-M01"), (d(2023, 12, 15), d(2024, 1, 14)));
        assert_eq!(p("2024-M03"), (d(2024, 2, 15), d(2024, 3, 14)));
        assert_eq!(p("2024-M12"), (d(2024, 11, 15), d(2024, 12, 14)));
        assert_eq!(p("2024-Q1"), (d(2023, 12, 15), d(2024, 3, 14)));
        assert_eq!(p("2024-Q2"), (d(2024, 3, 15), d(2024, 6, 14)));
        assert_eq!(p("2024-Q4"), (d(2024, 9, 15), d(2024, 12, 14)));
        assert_eq!(p("2024-H1"), (d(2023, 12, 15), d(2024, 6, 14)));
        assert_eq!(p("2024-9M"), (d(2023, 12, 15), d(2024, 9, 14)));
        assert_eq!(p("2024-Y"), (d(2023, 12, 15), d(2024, 12, 14)));
    }

    #[test]
    fn periods_have_their_vietnamese_names() {
        let name = |s: &str| s.parse::<PeriodKey>().unwrap().name_vi();
        assert_eq!(name("2024-M03"), "tháng 3 năm 2024");
        assert_eq!(name("2024-Q1"), "quý I năm 2024");
        assert_eq!(name("2024-Q4"), "quý IV năm 2024");
        assert_eq!(name("2024-H1"), "6 tháng đầu năm 2024");
        assert_eq!(name("2024-H2"), "6 tháng cuối năm 2024");
        assert_eq!(name("2024-9M"), "9 tháng năm 2024");
        assert_eq!(name("2024-Y"), "năm 2024");
        let to_date = PeriodKey::year_to_date(2024, 5).unwrap();
        assert_eq!(to_date.name_vi(), "từ tháng 1 đến tháng 5 năm 2024");
    }

    #[test]
    fn dates_name_their_run_of_months_and_nothing_else() {
        for s in [
            "2024-M01", "2024-M07", "2024-M12", "2024-Q1", "2024-Q3", "2024-H2", "2024-Y",
        ] {
            let k: PeriodKey = s.parse().unwrap();
            let (a, b) = k.dates();
            assert_eq!(Window::of_dates(a, b), Some(k.window()), "{s}");
        }
        assert_eq!(
            Window::of_dates(d(2024, 2, 15), d(2024, 5, 14))
                .unwrap()
                .to_string(),
            "2024-M03..M05"
        );
        assert_eq!(
            Window::of_dates(d(2024, 12, 15), d(2025, 1, 14))
                .unwrap()
                .to_string(),
            "2025-M01"
        );
        for (a, b) in [
            (d(2024, 1, 1), d(2024, 1, 31)),
            (d(2024, 1, 15), d(2024, 1, 14)),
            (d(2022, 12, 15), d(2024, 1, 14)),
            (d(2024, 12, 15), d(2024, 12, 14)),
            (d(2024, 3, 15), d(2024, 3, 14)),
        ] {
            assert_eq!(Window::of_dates(a, b), None, "{a} {b}");
        }
    }

    #[test]
    fn year_to_date_uses_the_usual_key_where_there_is_one() {
        let ytd = |m| PeriodKey::year_to_date(2024, m).unwrap().to_string();
        assert_eq!(ytd(1), "2024-M01");
        assert_eq!(ytd(3), "2024-Q1");
        assert_eq!(ytd(5), "2024-M01..M05");
        assert_eq!(ytd(6), "2024-H1");
        assert_eq!(ytd(9), "2024-9M");
        assert_eq!(ytd(12), "2024-Y");
        let k = PeriodKey::year_to_date(2024, 5).unwrap();
        assert_eq!(k.dates(), (d(2023, 12, 15), d(2024, 5, 14)));
        assert_eq!(
            k.same_period_last_year().unwrap().to_string(),
            "2023-M01..M05"
        );
        assert!(PeriodKey::year_to_date(2024, 13).is_none());
    }

    /// The progress pages print the year to date as `2025-M01..M02`: `thidua score --period`
    /// takes it for every month (it was refused but for months 1, 3, 6, 9 and 12).
    #[test]
    fn the_year_to_date_of_every_month_parses_as_printed() {
        for m in 1..=12u8 {
            let k = PeriodKey::year_to_date(2025, m).unwrap();
            let printed = format!("2025-M01..M{m:02}");
            assert_eq!(printed.parse::<PeriodKey>(), Ok(k), "{printed}");
            assert_eq!(k.to_string().parse::<PeriodKey>(), Ok(k), "{k}");
            assert_eq!(k.window(), Window::new(2025, 1, m).unwrap());
        }
        assert_eq!(
            "2025-M01..M02".parse::<PeriodKey>().unwrap().to_string(),
            "2025-M01..M02"
        );
        assert_eq!(
            "2025-M01..M06".parse::<PeriodKey>().unwrap().to_string(),
            "2025-H1"
        );
        for s in [
            "2025-M01..M13",
            "2025-M01..M00",
            "2025-M01..M2",
            "2025-M02..M05",
            "2025-M01..",
            "2025-M01..M1x",
        ] {
            assert!(s.parse::<PeriodKey>().is_err(), "{s}");
        }
    }

    #[test]
    fn keys_round_trip_and_reject_junk() {
        for s in [
            "2024-M03", "2024-Q1", "2024-H1", "2024-H2", "2024-9M", "2024-Y",
        ] {
            let k: PeriodKey = s.parse().unwrap();
            assert_eq!(k.to_string(), s);
            assert_eq!(k.window().key(), Some(k));
        }
        for s in [
            "2024-M3", "2024-M13", "2024-Q5", "24-Y", "2024", "2024-X", "2024-H3", "",
        ] {
            assert!(s.parse::<PeriodKey>().is_err(), "{s}");
        }
    }
}
