//! The administration's public holidays section (`/admin/holidays`): the years declared, and the
//! form that declares a year's days off and weekend days worked in exchange
//! ([`thidua_domain::holidays`]), a day or a range per line, every line it cannot read and every
//! day it cannot take named at once.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thidua_domain::text::{limits, Text};
use thidua_domain::Command;

use super::{again, form_year, submit, unless_admin, FieldErrors};
use crate::auth::{CsrfForm, Viewer};
use crate::i18n::Lang;
use crate::AppState;

/// One year's declared public holidays, as the administration lists them.
pub struct HolidayRow {
    pub year: i32,
    /// The days as runs, dd/mm/yyyy, separated by "; ".
    pub days: String,
    pub count: usize,
    /// The weekend days worked in exchange, as runs; empty when none.
    pub working_days: String,
    pub reference: String,
    pub by: crate::ui::names::Named,
    pub time: String,
}

/// Every declared year's holidays, the newest year first.
pub(super) fn holiday_rows(
    t: &crate::i18n::Strings,
    scope: &crate::authz::Scope,
    state: &thidua_domain::State,
) -> Vec<HolidayRow> {
    state
        .holidays
        .iter()
        .rev()
        .map(|(year, d)| HolidayRow {
            year: *year,
            days: crate::format::day_ranges(&d.days, "; "),
            count: d.days.len(),
            working_days: crate::format::day_ranges(&d.working_days, "; "),
            reference: d.reference.to_string(),
            by: crate::ui::names::actor(t, scope, state, &d.by),
            time: crate::format::time_ms(d.time_ms),
        })
        .collect()
}

/// The holidays' form for `year`: filled with its declaration to declare it again, or, when it
/// has none, with the year and the days the law fixes in the solar calendar (the rest is
/// announced each year and added by hand, as the field's help says).
pub(super) fn holidays_form(app: &AppState, year: Option<i32>) -> HashMap<String, String> {
    let state = app.service.read();
    let Some(year) = year else {
        return HashMap::new();
    };
    let declared = state.holidays.get(&year);
    let working_days = declared
        .map(|d| crate::format::day_ranges(&d.working_days, "\n"))
        .unwrap_or_default();
    let days = match declared {
        Some(d) => crate::format::day_ranges(&d.days, "\n"),
        None => {
            let fixed = thidua_domain::holidays::statutory_solar_days(year);
            crate::format::day_ranges(&fixed, "\n")
        }
    };
    [
        ("holidays_year", year.to_string()),
        ("holidays_days", days),
        ("holidays_working_days", working_days),
        (
            "holidays_reference",
            declared
                .map(|d| d.reference.to_string())
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[derive(Deserialize)]
pub struct HolidaysForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    reference: String,
}

/// Declares a year's public holidays from the form: every line's error at once, beside the
/// days; the domain's refusal (nothing changed, too many days) beside its field.
pub async fn declare_holidays(
    State(app): State<AppState>,
    viewer: Viewer,
    CsrfForm(f): CsrfForm<HolidaysForm>,
) -> Response {
    if let Some(r) = unless_admin(&viewer) {
        return r;
    }
    let lang = viewer.lang;
    let mut errors = FieldErrors::default();
    let year = form_year(&f.year, lang, &mut errors, "holidays");
    let read = |field: &'static str, text: &str, errors: &mut FieldErrors| {
        let y = year?;
        thidua_domain::holidays::parse_days(text, y)
            .map_err(|lines| errors.push("holidays", field, day_errors(lang, y, &lines)))
            .ok()
    };
    let days = read("days", &f.days, &mut errors);
    let working_days = read("working_days", &f.working_days, &mut errors);
    let reference = Text::parse("reference", &f.reference, limits::DECISION)
        .map_err(|e| errors.push("holidays", "reference", lang.refusal(&e)))
        .ok();
    let hs = lang.holidays();
    too_many(&mut errors, "days", hs.too_many, days.as_deref(), MAX_DAYS);
    let worked = working_days.as_deref();
    too_many(
        &mut errors,
        "working_days",
        hs.too_many_worked,
        worked,
        MAX_WORKING_DAYS,
    );
    if let (Some(days), Some(worked)) = (&days, worked) {
        let problems = thidua_domain::holidays::worked_day_problems(days, worked);
        if !problems.is_empty() {
            errors.push(
                "holidays",
                "working_days",
                worked_day_errors(lang, &problems),
            );
        }
    }
    let typed = [
        ("holidays_year", f.year.as_str()),
        ("holidays_days", f.days.as_str()),
        ("holidays_working_days", f.working_days.as_str()),
        ("holidays_reference", f.reference.as_str()),
    ];
    match (year, days, working_days, reference) {
        (Some(year), Some(days), Some(working_days), Some(reference)) if errors.is_empty() => {
            let declared = thidua_domain::holidays::HolidaysDeclared {
                year,
                days,
                working_days,
                reference,
            };
            let command = Command::DeclareHolidays(declared);
            submit(
                &app, &viewer, command, "holidays", "holidays", "days", &typed,
            )
            .await
        }
        _ => again(&app, &viewer, "holidays", errors, &typed).await,
    }
}

use thidua_domain::holidays::{WorkedDayProblem, MAX_DAYS, MAX_WORKING_DAYS};

/// "{count} days declared; at most {max}" beside `field` when `days` holds more than `max`.
fn too_many(
    errors: &mut FieldErrors,
    field: &'static str,
    template: &str,
    days: Option<&[chrono::NaiveDate]>,
    max: usize,
) {
    if let Some(n) = days.map(<[_]>::len).filter(|n| *n > max) {
        let message = template
            .replace("{count}", &n.to_string())
            .replace("{max}", &max.to_string());
        errors.push("holidays", field, message);
    }
}

/// Every day declared worked that cannot be, in one message.
fn worked_day_errors(lang: Lang, problems: &[WorkedDayProblem]) -> String {
    let hs = lang.holidays();
    problems
        .iter()
        .map(|p| match p {
            WorkedDayProblem::Weekday(day) => {
                hs.not_weekend.replace("{date}", &crate::format::date(day))
            }
            WorkedDayProblem::DayOff(day) => {
                hs.worked_off.replace("{date}", &crate::format::date(day))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the lunar calendar puts the first day of Tết and the Hùng Kings' day in the `year` a
/// form holds ([`thidua_domain::holidays::lunar`]); nothing for a year that is not one.
pub(super) fn lunar_hint(hs: &crate::i18n::holidays::HolidayStrings, year: &str) -> Option<String> {
    use thidua_domain::holidays::lunar;
    let year: i32 = year.trim().parse().ok()?;
    thidua_domain::org::validate_year(year).ok()?;
    let (tet, hung_kings) = (lunar::tet(year)?, lunar::hung_kings(year)?);
    Some(
        hs.lunar_hint
            .replace("{year}", &year.to_string())
            .replace("{tet}", &crate::format::date(&tet))
            .replace("{hung_kings}", &crate::format::date(&hung_kings)),
    )
}

/// Every line of days the form could not read, in one message.
fn day_errors(
    lang: Lang,
    year: i32,
    lines: &[(usize, thidua_domain::holidays::LineError)],
) -> String {
    use thidua_domain::holidays::LineError;
    let hs = lang.holidays();
    lines
        .iter()
        .map(|(line, e)| {
            let sentence = match e {
                LineError::NotADay(text) => hs.bad_line.replace("{text}", text),
                LineError::WrongYear(day) => hs
                    .wrong_year
                    .replace("{date}", &crate::format::date(day))
                    .replace("{year}", &year.to_string()),
                LineError::Reversed => hs.reversed.to_owned(),
            };
            sentence.replace("{line}", &line.to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}
