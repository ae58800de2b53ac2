//! Public holidays (ngày nghỉ lễ, Tết): the days off the Government announces for a year — New
//! Year, the Tết break, the Hùng Kings' day, 30/4 and 1/5, National Day, and the days moved
//! around them. A deadline counted in working days ([`working_days_after`]: the figures' default
//! deadline, two working days after a window's cut-off) skips Saturdays, Sundays and the
//! declared days, and counts the Saturdays and Sundays declared as worked in exchange for a day
//! off (ngày làm bù: when the Government joins a holiday to a weekend, the civil service works
//! a Saturday for the bridging weekday). The lunar dates and the moved days change every year, so
//! they are declared, not computed: the administrator records a year's days off and worked
//! weekend days (`holidays_declared`) with the announcement they follow; a later declaration of
//! the same year replaces the earlier one, and both stay in the log.
//!
//! A declaration acts from its place in the log: a deadline read afterwards skips its days,
//! while a report already submitted keeps the lateness it was dated with ([`crate::figures`]
//! dates a first submission when it is applied).
//!
//! Rules: the administrator only; the year within [`crate::org::validate_year`]; every day in
//! the declared year, ascending, each once (the command's days are sorted and deduplicated
//! first); at most [`MAX_DAYS`] days off and [`MAX_WORKING_DAYS`] worked weekend days, each of
//! those a Saturday or a Sunday and not also a day off; the reference within
//! [`limits::DECISION`]; not the year's current declaration again.

pub mod lunar;

use chrono::{Datelike, NaiveDate, Weekday};
use imbl::OrdMap;
use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::state::State;
use crate::text::{limits, Text};

/// The most days a year may declare: the statutory eleven and the days moved around them fit
/// many times over, a mistaken range (a whole month) does not.
pub const MAX_DAYS: usize = 31;

/// The most weekend days a year may declare worked: a year has had none to three.
pub const MAX_WORKING_DAYS: usize = 10;

/// `holidays_declared`: the administrator declared the days off of a calendar `year` as the
/// Government announced them (`days`; Saturdays and Sundays may be among them), the Saturdays
/// and Sundays worked in exchange (`working_days`, ngày làm bù) and the announcement they
/// follow (`reference`). A later declaration of the same year replaces the earlier one; both
/// stay in the log. Its bytes are `wire::holidays`' formats (format 1: no worked days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaysDeclared {
    pub year: i32,
    pub days: Vec<NaiveDate>,
    /// Omitted by a command that declares none.
    #[serde(default)]
    pub working_days: Vec<NaiveDate>,
    pub reference: Text,
}

/// A year's declared days off and worked weekend days, as the state keeps them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub days: Vec<NaiveDate>,
    pub working_days: Vec<NaiveDate>,
    pub reference: Text,
    /// Log index, time and author of the event.
    pub index: u64,
    pub time_ms: i64,
    pub by: Actor,
}

/// Every year's current declaration.
pub type Holidays = OrdMap<i32, Declaration>;

/// The days off the Labour Code (2019, art. 112) fixes in the solar calendar: New Year's Day,
/// 30/4, 1/5 and 2/9. The Tết break, the Hùng Kings' day (10/3 of the lunar calendar), the day
/// beside 2/9 and the days moved around them are announced each year and added by hand.
pub fn statutory_solar_days(year: i32) -> Vec<NaiveDate> {
    [(1, 1), (4, 30), (5, 1), (9, 2)]
        .into_iter()
        .filter_map(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .collect()
}

/// Whether `day` is a declared day off.
pub fn is_holiday(holidays: &Holidays, day: NaiveDate) -> bool {
    holidays
        .get(&day.year())
        .is_some_and(|d| d.days.binary_search(&day).is_ok())
}

/// Whether `day` is a Saturday or a Sunday declared worked in exchange for a day off.
pub fn is_worked_weekend(holidays: &Holidays, day: NaiveDate) -> bool {
    holidays
        .get(&day.year())
        .is_some_and(|d| d.working_days.binary_search(&day).is_ok())
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Whether `day` is a working day: Monday to Friday except the declared days off, and the
/// weekend days declared worked.
pub fn is_working_day(holidays: &Holidays, day: NaiveDate) -> bool {
    if is_weekend(day) {
        is_worked_weekend(holidays, day)
    } else {
        !is_holiday(holidays, day)
    }
}

/// The day `n` working days after `day` ([`is_working_day`]).
pub fn working_days_after(holidays: &Holidays, day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().expect("dates stay in range");
        if is_working_day(holidays, d) {
            left -= 1;
        }
    }
    d
}

/// The days after `after`, up to `until` included.
fn days_after(after: NaiveDate, until: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    after.iter_days().skip(1).take_while(move |d| *d <= until)
}

/// The weekend days declared worked after `after`, up to `until` included (what a deadline
/// counted, to say so).
pub fn worked_weekends(holidays: &Holidays, after: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    days_after(after, until)
        .filter(|d| is_worked_weekend(holidays, *d))
        .collect()
}

/// The declared days off between two days, both excluded (what a deadline skipped, to say so).
pub fn between(holidays: &Holidays, after: NaiveDate, before: NaiveDate) -> Vec<NaiveDate> {
    let Some(until) = before.pred_opt() else {
        return Vec::new();
    };
    days_after(after, until)
        .filter(|d| is_holiday(holidays, *d))
        .collect()
}

/// Why a line of days typed in a form is not understood ([`parse_days`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineError {
    /// Neither a date (`dd/mm/yyyy`, `yyyy-mm-dd`) nor a range of two (`a - b`, `a – b`).
    NotADay(String),
    /// A day of another year than the declared one.
    WrongYear(NaiveDate),
    /// A range that starts after it ends.
    Reversed,
}

/// The days a form's text names, for `year`: one day or one range of days per line (also
/// separated by `;`), blank lines ignored; sorted, each once. Every line's error, numbered
/// from 1, or the days.
pub fn parse_days(text: &str, year: i32) -> Result<Vec<NaiveDate>, Vec<(usize, LineError)>> {
    let mut days = Vec::new();
    let mut errors = Vec::new();
    let items = text
        .lines()
        .enumerate()
        .flat_map(|(i, line)| line.split(';').map(move |item| (i + 1, item.trim())));
    for (line, item) in items.filter(|(_, item)| !item.is_empty()) {
        match parse_item(item, year) {
            Ok(range) => days.extend(range),
            Err(e) => errors.push((line, e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// One day or one range of days of `year`.
fn parse_item(item: &str, year: i32) -> Result<Vec<NaiveDate>, LineError> {
    let date = |raw: &str| {
        crate::event::parse_date(raw).ok_or_else(|| LineError::NotADay(item.to_owned()))
    };
    let (first, last) = match crate::event::parse_date(item) {
        Some(day) => (day, day),
        None => {
            let (a, b) = [" - ", "–", "-"]
                .iter()
                .find_map(|sep| item.split_once(sep))
                .ok_or_else(|| LineError::NotADay(item.to_owned()))?;
            (date(a)?, date(b)?)
        }
    };
    if let Some(other) = [first, last].into_iter().find(|d| d.year() != year) {
        return Err(LineError::WrongYear(other));
    }
    if first > last {
        return Err(LineError::Reversed);
    }
    Ok(first.iter_days().take_while(|d| *d <= last).collect())
}

/// Runs of consecutive days, as first and last day (how a declaration is shown and typed).
pub fn ranges(days: &[NaiveDate]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &day in days {
        match runs.last_mut() {
            Some((_, last)) if last.succ_opt() == Some(day) => *last = day,
            _ => runs.push((day, day)),
        }
    }
    runs
}

/// `DeclareHolidays`: the administrator, then the days put in order and deduplicated, then
/// nothing new refused; the rest is checked when the event is applied, as at replay.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    mut e: HolidaysDeclared,
) -> Result<Vec<Payload>, DomainError> {
    authorise(state, actor, &Permission::Administer)?;
    for days in [&mut e.days, &mut e.working_days] {
        days.sort_unstable();
        days.dedup();
    }
    let current = state.holidays.get(&e.year);
    let unchanged = match current {
        Some(c) => {
            c.days == e.days && c.working_days == e.working_days && c.reference == e.reference
        }
        None => e.days.is_empty() && e.working_days.is_empty(),
    };
    if unchanged {
        return Err(DomainError::HolidaysUnchanged(e.year));
    }
    Ok(vec![Payload::HolidaysDeclared(e)])
}

fn invalid(field: &'static str, reason: String) -> DomainError {
    DomainError::InvalidValue { field, reason }
}

/// The fields of a declaration, as [`State::apply_holidays`] and the forms check them.
pub fn check(e: &HolidaysDeclared) -> Result<(), DomainError> {
    crate::org::validate_year(e.year)?;
    e.reference.check_line("reference", limits::DECISION)?;
    check_days("days", &e.days, e.year, MAX_DAYS)?;
    check_days("working_days", &e.working_days, e.year, MAX_WORKING_DAYS)?;
    match worked_day_problems(&e.days, &e.working_days).first() {
        Some(WorkedDayProblem::Weekday(day)) => Err(invalid(
            "working_days",
            format!("{day} is a weekday, a working day already"),
        )),
        Some(WorkedDayProblem::DayOff(day)) => Err(invalid(
            "working_days",
            format!("{day} is also declared a day off"),
        )),
        None => Ok(()),
    }
}

/// Why a day declared worked cannot be ([`worked_day_problems`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkedDayProblem {
    /// Monday to Friday: a working day already.
    Weekday(NaiveDate),
    /// Also among the days off.
    DayOff(NaiveDate),
}

/// Every day of `working_days` that is not a Saturday or a Sunday outside `days`, in order.
pub fn worked_day_problems(
    days: &[NaiveDate],
    working_days: &[NaiveDate],
) -> Vec<WorkedDayProblem> {
    working_days
        .iter()
        .filter_map(|&day| {
            if !is_weekend(day) {
                Some(WorkedDayProblem::Weekday(day))
            } else if days.contains(&day) {
                Some(WorkedDayProblem::DayOff(day))
            } else {
                None
            }
        })
        .collect()
}

/// Days of `year`, ascending, each once, at most `max`.
fn check_days(
    field: &'static str,
    days: &[NaiveDate],
    year: i32,
    max: usize,
) -> Result<(), DomainError> {
    if let Some(day) = days.iter().find(|d| d.year() != year) {
        return Err(invalid(field, format!("{day} is not in {year}")));
    }
    if let Some(w) = days.windows(2).find(|w| w[0] >= w[1]) {
        return Err(invalid(
            field,
            format!("{} comes again or out of order after {}", w[1], w[0]),
        ));
    }
    if days.len() > max {
        return Err(invalid(
            field,
            format!("{} days declared, at most {max}", days.len()),
        ));
    }
    Ok(())
}

impl State {
    /// Folds `holidays_declared`: the year's declaration replaces the earlier one.
    pub(crate) fn apply_holidays(
        &mut self,
        event: &Event,
        e: &HolidaysDeclared,
    ) -> Result<(), DomainError> {
        check(e)?;
        let declaration = Declaration {
            days: e.days.clone(),
            working_days: e.working_days.clone(),
            reference: e.reference.clone(),
            index: event.index,
            time_ms: event.time_ms,
            by: event.actor.clone(),
        };
        self.holidays.insert(e.year, declaration);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn declared(days: &[NaiveDate]) -> Holidays {
        let mut h = Holidays::new();
        h.insert(
            days[0].year(),
            Declaration {
                days: days.to_vec(),
                working_days: Vec::new(),
                reference: Text::parse("reference", "Thông báo", 50).unwrap(),
                index: 0,
                time_ms: 0,
                by: Actor::System,
            },
        );
        h
    }

    #[test]
    fn deadlines_skip_weekends_and_declared_days() {
        let none = Holidays::new();
        // 14/01/2024 is a Sunday: Monday 15 and Tuesday 16 are the two working days.
        assert_eq!(working_days_after(&none, d(2024, 1, 14), 2), d(2024, 1, 16));
        // 14/06/2024 is a Friday: the weekend is skipped, Monday 17 and Tuesday 18.
        assert_eq!(working_days_after(&none, d(2024, 6, 14), 2), d(2024, 6, 18));
        // 14/03/2024 is a Thursday: Friday 15, then Monday 18.
        assert_eq!(working_days_after(&none, d(2024, 3, 14), 2), d(2024, 3, 18));
        // Tết 2026 runs from Saturday 14/02 to Sunday 22/02: without it the deadline of the
        // February window falls on Tuesday 17, in the middle of the break; with it, Tuesday 24.
        assert_eq!(working_days_after(&none, d(2026, 2, 14), 2), d(2026, 2, 17));
        let tet: Vec<NaiveDate> = d(2026, 2, 14).iter_days().take(9).collect();
        let holidays = declared(&tet);
        assert_eq!(
            working_days_after(&holidays, d(2026, 2, 14), 2),
            d(2026, 2, 24)
        );
        assert_eq!(
            between(&holidays, d(2026, 2, 14), d(2026, 2, 24)),
            tet[1..].to_vec()
        );
        // A day of another year is not a day off of this one.
        assert!(!is_holiday(&holidays, d(2027, 2, 16)));
    }

    /// A Friday off bridging to the weekend, worked back on the Saturday before (made up).
    #[test]
    fn a_weekend_day_worked_in_exchange_counts_as_a_working_day() {
        let mut holidays = declared(&[d(2026, 4, 30), d(2026, 5, 1)]);
        // Thursday 30/04 and Friday 01/05 off: from Tuesday 28/04, the two working days are
        // Wednesday 29/04 and Monday 04/05.
        assert_eq!(
            working_days_after(&holidays, d(2026, 4, 28), 2),
            d(2026, 5, 4)
        );
        // Saturday 02/05 worked in exchange: it counts.
        let year = holidays.get_mut(&2026).unwrap();
        year.working_days = vec![d(2026, 5, 2)];
        assert!(is_working_day(&holidays, d(2026, 5, 2)));
        assert!(!is_working_day(&holidays, d(2026, 5, 3)));
        assert_eq!(
            working_days_after(&holidays, d(2026, 4, 28), 2),
            d(2026, 5, 2)
        );
        assert_eq!(
            worked_weekends(&holidays, d(2026, 4, 28), d(2026, 5, 2)),
            [d(2026, 5, 2)]
        );
        assert!(worked_weekends(&holidays, d(2026, 4, 28), d(2026, 5, 1)).is_empty());
    }

    #[test]
    fn days_are_typed_one_day_or_range_per_line_and_every_bad_line_is_named() {
        let text =
            "01/01/2026\n\n14/02/2026 - 22/02/2026; 30/04/2026–01/05/2026\n2026-09-02\n01/01/2026";
        let days = parse_days(text, 2026).unwrap();
        assert_eq!(days.len(), 1 + 9 + 2 + 1, "sorted, each once");
        assert_eq!(
            ranges(&days),
            [
                (d(2026, 1, 1), d(2026, 1, 1)),
                (d(2026, 2, 14), d(2026, 2, 22)),
                (d(2026, 4, 30), d(2026, 5, 1)),
                (d(2026, 9, 2), d(2026, 9, 2)),
            ]
        );
        let errors = parse_days(
            "31/02/2026\n01/01/2025\n22/02/2026 - 14/02/2026\n02/09/2026",
            2026,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                (1, LineError::NotADay("31/02/2026".into())),
                (2, LineError::WrongYear(d(2025, 1, 1))),
                (3, LineError::Reversed),
            ]
        );
        assert_eq!(parse_days("  \n", 2026), Ok(Vec::new()));
    }

    #[test]
    fn a_declaration_keeps_its_days_in_its_year_in_order_once() {
        let e = |days: Vec<NaiveDate>| HolidaysDeclared {
            year: 2026,
            days,
            working_days: Vec::new(),
            reference: Text::parse("reference", "Thông báo", 50).unwrap(),
        };
        assert!(check(&e(vec![d(2026, 1, 1), d(2026, 4, 30)])).is_ok());
        let field = |r: Result<(), DomainError>| match r {
            Err(DomainError::InvalidValue { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(check(&e(vec![d(2025, 12, 31)]))), "days");
        assert_eq!(
            field(check(&e(vec![d(2026, 5, 1), d(2026, 4, 30)]))),
            "days"
        );
        assert_eq!(field(check(&e(vec![d(2026, 5, 1), d(2026, 5, 1)]))), "days");
        let month: Vec<NaiveDate> = d(2026, 1, 1).iter_days().take(MAX_DAYS + 1).collect();
        assert_eq!(field(check(&e(month))), "days");
        // Worked days are Saturdays or Sundays of the year, none of them a day off.
        let worked = |days: Vec<NaiveDate>, working_days| HolidaysDeclared {
            working_days,
            ..e(days)
        };
        assert!(check(&worked(vec![d(2026, 5, 1)], vec![d(2026, 4, 25)])).is_ok());
        for bad in [
            worked(vec![], vec![d(2026, 4, 27)]),
            worked(vec![d(2026, 4, 25)], vec![d(2026, 4, 25)]),
            worked(vec![], vec![d(2025, 4, 26)]),
            worked(vec![], vec![d(2026, 4, 26), d(2026, 4, 25)]),
        ] {
            assert_eq!(field(check(&bad)), "working_days", "{bad:?}");
        }
        let far = HolidaysDeclared {
            year: 1999,
            ..e(Vec::new())
        };
        assert_eq!(check(&far).unwrap_err().code(), "year_out_of_range");
    }
}
