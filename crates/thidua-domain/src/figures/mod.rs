//! Figures: what each member unit reports for each window of its movement's calendar, on the
//! form its covenant's signed regulation declares (the regulation's data elements). A report
//! moves draft → submitted (an officer) → approved (the unit's leader; published to the
//! cluster) → reopened (the leader, with a reason) → submitted → approved again; every approval
//! is kept, so a correction shows the old and the new values. The secretariat may move a
//! window's deadline (default: two working days after the cut-off), declare validation rules
//! ([`rules`]) and import the approved figures of earlier years (a historical import, with the
//! file's SHA-256). One event per saved report, not per figure.
//!
//! Field rules (values not negative, comments within limits, completeness and validation rules
//! at submission) are checked by [`decide`]; the report's state machine, the covenant, the
//! calendar and the form are checked when events are applied (`State::apply_figures`).
//!
//! The state is compact: units and windows are interned, a report's values are one byte string
//! ([`values`]), reports sit behind `Arc`s in persistent maps, so a clone of the state is O(1).

pub mod rules;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};
use imbl::{OrdMap, Vector};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::authz::{authorise, Permission};
use crate::calendar::Calendar;
use crate::command::Command;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::{CovenantId, UnitId};
use crate::model::ReportingWindow;
use crate::state::{Covenant, State};
use crate::text::{limits, Text};
pub use rules::{Severity, ValidationRule};
pub use values::{canonical_decimal, Cell, Values};

/// A value as commands and events carry it: an exact decimal or "not applicable" (`na`).
/// A figure that is not given is simply absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureValue {
    Number(Decimal),
    NotApplicable,
}

impl FigureValue {
    /// Reads `na` or a plain decimal (`12`, `-3.5`; no exponent, no thousands separators).
    pub fn parse(raw: &str) -> Option<FigureValue> {
        if raw == "na" {
            return Some(FigureValue::NotApplicable);
        }
        let ok = !raw.is_empty()
            && raw
                .strip_prefix('-')
                .unwrap_or(raw)
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.')
            && !raw.starts_with('.')
            && !raw.ends_with('.');
        if !ok {
            return None;
        }
        Decimal::from_str_exact(raw).ok().map(FigureValue::Number)
    }

    pub fn cell(&self) -> Cell {
        match self {
            FigureValue::Number(d) => Cell::Number(*d),
            FigureValue::NotApplicable => Cell::NotApplicable,
        }
    }
}

impl std::fmt::Display for FigureValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FigureValue::Number(d) => f.write_str(&canonical_decimal(d)),
            FigureValue::NotApplicable => f.write_str("na"),
        }
    }
}

impl Serialize for FigureValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FigureValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        FigureValue::parse(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!("{raw:?} is neither a decimal nor \"na\""))
        })
    }
}

/// The figures of one report: value and optional comment per element id.
pub type FigureMap = BTreeMap<String, FigureValue>;

/// A report of an earlier year in a historical import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoricalReport {
    pub unit: UnitId,
    pub year: i32,
    pub window: String,
    pub values: FigureMap,
}

/// One data element of a reporting form (from the regulation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormElement {
    pub id: String,
    pub name: String,
    /// Unit of measure ("vụ", "người").
    pub unit: Option<String>,
    /// How months make a longer window: `sum`, `last`, `mean`, `max`.
    pub aggregate: String,
    /// The value the regulation uses when the figure is not given (it may then stay blank).
    pub missing: Option<Decimal>,
    /// The smallest and largest figure the regulation allows (`min`, `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// A count: only whole numbers (`integer = true`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
}

/// Why a reported figure is refused: what the regulation declares of its element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FigureProblem {
    Negative,
    /// The element counts things (`integer = true`).
    NotWhole,
    BelowMin(Decimal),
    AboveMax(Decimal),
}

impl std::fmt::Display for FigureProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Negative => f.write_str("negative"),
            Self::NotWhole => f.write_str("not a whole number"),
            Self::BelowMin(m) => write!(f, "below the minimum {m}"),
            Self::AboveMax(m) => write!(f, "above the maximum {m}"),
        }
    }
}

impl FormElement {
    /// Checks a reported number against what the regulation declares of the element: never
    /// negative, a whole number for a count, within `min` and `max`. The one rule for every
    /// path a figure comes in by (the form, an import, the API).
    pub fn check(&self, value: &Decimal) -> Result<(), FigureProblem> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(FigureProblem::Negative);
        }
        if self.integer && !value.fract().is_zero() {
            return Err(FigureProblem::NotWhole);
        }
        if let Some(min) = self.min.filter(|m| value < m) {
            return Err(FigureProblem::BelowMin(min));
        }
        if let Some(max) = self.max.filter(|m| value > m) {
            return Err(FigureProblem::AboveMax(max));
        }
        Ok(())
    }

    /// The value the scoring engine reads for this element from an approved report's `cell`:
    /// the figure, or the regulation's declared value for a figure left blank (so a month left
    /// blank counts as that value, and a yearly sum adds the months that were given); none for
    /// "not applicable" or a blank without a declared value. The server's dataset and the
    /// exported data file both read approved cells through this one rule.
    pub fn scored(&self, cell: &Cell) -> Option<Decimal> {
        match cell {
            Cell::Number(d) => Some(*d),
            Cell::Missing => self.missing,
            Cell::NotApplicable => None,
        }
    }
}

/// The reporting form of a covenant version: the data elements of its signed regulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    pub covenant: CovenantId,
    pub version: u32,
    pub elements: Vec<FormElement>,
    /// The validation rules the regulation declares (`[[rule]]`), signed with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ValidationRule>,
}

impl Form {
    /// Builds the form of a covenant version from its regulation.
    pub fn of(covenant: &Covenant, version: u32) -> Result<Form, DomainError> {
        let v = covenant
            .version(version)
            .ok_or_else(|| DomainError::UnknownVersion {
                covenant: covenant.id.to_string(),
                version,
            })?;
        let compiled = thidua_scoring::compile(&v.content.regulation.text)
            .map_err(|d| DomainError::InvalidRegulation(d.to_string()))?;
        let elements = compiled
            .ast()
            .elements
            .iter()
            .map(|e| FormElement {
                id: e.id.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                aggregate: e.aggregate.name().to_owned(),
                missing: e.missing,
                min: e.min,
                max: e.max,
                integer: e.integer,
            })
            .collect();
        Ok(Form {
            covenant: covenant.id.clone(),
            version,
            elements,
            rules: regulation_rules(compiled.ast())?,
        })
    }

    pub fn position(&self, element: &str) -> Option<usize> {
        self.elements.iter().position(|e| e.id == element)
    }

    pub fn ids(&self) -> Vec<String> {
        self.elements.iter().map(|e| e.id.clone()).collect()
    }
}

/// The validation rules a regulation declares (`[[rule]]`), as the domain checks them.
pub fn regulation_rules(
    ast: &thidua_scoring::ast::Regulation,
) -> Result<Vec<ValidationRule>, DomainError> {
    ast.rules
        .iter()
        .map(|r| {
            Ok(ValidationRule {
                id: r.id.clone(),
                name: Text::parse("rule", &r.name, limits::SUBJECT)?,
                check: r.check.clone(),
                severity: match r.severity {
                    thidua_scoring::ast::RuleSeverity::Error => rules::Severity::Error,
                    thidua_scoring::ast::RuleSeverity::Warning => rules::Severity::Warning,
                },
            })
        })
        .collect()
}

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Saved by the unit, visible to the unit only.
    Draft,
    /// Submitted by an officer, awaiting the leader.
    Submitted,
    /// Approved by the leader: published to the cluster.
    Approved,
    /// Reopened by the leader (with a reason) for a correction; the last approval stays
    /// published until the next one.
    Reopened,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Approved => "approved",
            ReportStatus::Reopened => "reopened",
        }
    }
}

/// One approval of a report: the values the leader approved (or a historical import recorded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub revision: u32,
    /// Log index and time of the approving (or historical) event.
    pub index: u64,
    pub time_ms: i64,
    pub values: Arc<Values>,
    /// The log index of the historical import that recorded these figures, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import: Option<u64>,
}

/// The first submission of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub index: u64,
    pub time_ms: i64,
    /// Submitted after the window's deadline.
    pub late: bool,
}

/// A unit's report for one window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub status: ReportStatus,
    /// Number of saves so far; a submission or approval names the revision it concerns.
    pub revision: u32,
    /// Values saved since the last approval (`None`: the last approval's values).
    pub working: Option<Arc<Values>>,
    /// Every approval, oldest first; the last one is published.
    pub approvals: Vec<Approval>,
    pub first_submission: Option<Submission>,
    /// Log indices of the reopening events (their reasons are in the log).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reopenings: Vec<u64>,
}

impl Report {
    /// The values the unit sees: the working copy, else the last approval's.
    pub fn current(&self) -> &Arc<Values> {
        match &self.working {
            Some(v) => v,
            None => {
                &self
                    .approvals
                    .last()
                    .expect("a report without a working copy has an approval")
                    .values
            }
        }
    }

    /// The published (last approved) values, if any.
    pub fn published(&self) -> Option<&Approval> {
        self.approvals.last()
    }

    /// Approvals after the first: corrections of published figures.
    pub fn corrections(&self) -> usize {
        self.approvals.len().saturating_sub(1)
    }
}

/// A recorded historical import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoricalImport {
    pub index: u64,
    pub time_ms: i64,
    pub actor: Actor,
    pub covenant: CovenantId,
    pub file_name: Text,
    pub sha256: String,
    /// Reports the import declared, and how many followed.
    pub reports: u32,
    pub recorded: u32,
}

/// A report's key: interned unit, reporting year, interned window key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReportKey {
    pub unit: u32,
    pub year: i32,
    pub window: u16,
}

/// Everything the log says about figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "repr::FiguresRepr", into = "repr::FiguresRepr")]
pub struct Figures {
    /// Reporting forms, interned by (covenant, version).
    pub forms: Vector<Arc<Form>>,
    form_index: OrdMap<(CovenantId, u32), u32>,
    units: Vector<UnitId>,
    unit_index: OrdMap<UnitId, u32>,
    windows: Vector<String>,
    window_index: OrdMap<String, u16>,
    pub reports: OrdMap<ReportKey, Arc<Report>>,
    /// Deadlines the secretariat set: (covenant, window) → last day.
    pub deadlines: OrdMap<(CovenantId, String), NaiveDate>,
    /// Validation rules per covenant.
    pub rules: OrdMap<CovenantId, Arc<Vec<ValidationRule>>>,
    pub imports: Vector<HistoricalImport>,
}

mod repr {
    use super::*;

    /// The serialised form: the interned tables as lists, maps as lists of pairs (JSON object
    /// keys must be strings); the lookup indices are rebuilt on reading.
    #[derive(Serialize, Deserialize)]
    pub struct FiguresRepr {
        forms: Vec<Arc<Form>>,
        units: Vec<UnitId>,
        windows: Vec<String>,
        reports: Vec<((u32, i32, u16), Arc<Report>)>,
        deadlines: Vec<((CovenantId, String), NaiveDate)>,
        rules: Vec<(CovenantId, Arc<Vec<ValidationRule>>)>,
        imports: Vec<HistoricalImport>,
    }

    impl From<Figures> for FiguresRepr {
        fn from(f: Figures) -> Self {
            Self {
                forms: f.forms.iter().cloned().collect(),
                units: f.units.iter().cloned().collect(),
                windows: f.windows.iter().cloned().collect(),
                reports: f
                    .reports
                    .iter()
                    .map(|(k, r)| ((k.unit, k.year, k.window), Arc::clone(r)))
                    .collect(),
                deadlines: f.deadlines.into_iter().collect(),
                rules: f.rules.into_iter().collect(),
                imports: f.imports.into_iter().collect(),
            }
        }
    }

    impl From<FiguresRepr> for Figures {
        fn from(r: FiguresRepr) -> Self {
            Figures {
                form_index: r
                    .forms
                    .iter()
                    .enumerate()
                    .map(|(i, f)| ((f.covenant.clone(), f.version), i as u32))
                    .collect(),
                unit_index: r
                    .units
                    .iter()
                    .enumerate()
                    .map(|(i, u)| (u.clone(), i as u32))
                    .collect(),
                window_index: r
                    .windows
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (w.clone(), i as u16))
                    .collect(),
                forms: r.forms.into_iter().collect(),
                units: r.units.into_iter().collect(),
                windows: r.windows.into_iter().collect(),
                reports: r
                    .reports
                    .into_iter()
                    .map(|((unit, year, window), rep)| (ReportKey { unit, year, window }, rep))
                    .collect(),
                deadlines: r.deadlines.into_iter().collect(),
                rules: r.rules.into_iter().collect(),
                imports: r.imports.into_iter().collect(),
            }
        }
    }
}

impl Figures {
    /// The key of a report, if the unit and window were ever reported.
    pub fn key(&self, unit: &UnitId, year: i32, window: &str) -> Option<ReportKey> {
        Some(ReportKey {
            unit: *self.unit_index.get(unit)?,
            year,
            window: *self.window_index.get(window)?,
        })
    }

    /// A unit's report for a window of a year.
    pub fn report(&self, unit: &UnitId, year: i32, window: &str) -> Option<&Arc<Report>> {
        self.reports.get(&self.key(unit, year, window)?)
    }

    pub fn unit_of(&self, key: &ReportKey) -> &UnitId {
        &self.units[key.unit as usize]
    }

    pub fn window_of(&self, key: &ReportKey) -> &str {
        &self.windows[usize::from(key.window)]
    }

    pub fn form(&self, index: u32) -> &Arc<Form> {
        &self.forms[index as usize]
    }

    /// The interned form of a covenant version, if any report used it.
    pub fn form_index(&self, covenant: &CovenantId, version: u32) -> Option<u32> {
        self.form_index.get(&(covenant.clone(), version)).copied()
    }

    fn intern_unit(&mut self, unit: &UnitId) -> u32 {
        if let Some(i) = self.unit_index.get(unit) {
            return *i;
        }
        let i = self.units.len() as u32;
        self.units.push_back(unit.clone());
        self.unit_index.insert(unit.clone(), i);
        i
    }

    fn intern_window(&mut self, window: &str) -> u16 {
        if let Some(i) = self.window_index.get(window) {
            return *i;
        }
        let i = self.windows.len() as u16;
        self.windows.push_back(window.to_owned());
        self.window_index.insert(window.to_owned(), i);
        i
    }

    fn push_form(&mut self, form: Form) -> u32 {
        let i = self.forms.len() as u32;
        self.form_index
            .insert((form.covenant.clone(), form.version), i);
        self.forms.push_back(Arc::new(form));
        i
    }

    /// Every report of `unit` for `year`, with its window key.
    pub fn reports_of_unit(&self, unit: &UnitId, year: i32) -> Vec<(&str, &Arc<Report>)> {
        let Some(u) = self.unit_index.get(unit) else {
            return Vec::new();
        };
        let from = ReportKey {
            unit: *u,
            year,
            window: 0,
        };
        let to = ReportKey {
            unit: *u,
            year,
            window: u16::MAX,
        };
        self.reports
            .range(from..=to)
            .map(|(k, r)| (self.window_of(k), r))
            .collect()
    }

    /// A unit's published (approved) figures for a window, element by element of `form` (the
    /// covenant's form now; an element the report's own form lacks is left out): the element's
    /// id and its cell. `None` when nothing is published.
    pub fn published_cells<'a>(
        &'a self,
        form: &'a Form,
        unit: &UnitId,
        year: i32,
        window: &str,
    ) -> Option<impl Iterator<Item = (&'a str, Cell)> + 'a> {
        let approval = self.report(unit, year, window)?.published()?;
        let used = self.form(approval.values.form);
        Some(form.elements.iter().filter_map(move |e| {
            let p = used.position(&e.id)?;
            Some((e.id.as_str(), approval.values.get(p)))
        }))
    }

    /// The log index of every published approval of a unit's reports in `years` (any window),
    /// in key order: what changes exactly when the unit's approved figures of those years do
    /// (a new approval or correction is a new index; nothing else changes a published report).
    pub fn published_indices(
        &self,
        unit: &UnitId,
        years: std::ops::RangeInclusive<i32>,
    ) -> Vec<(ReportKey, u64)> {
        let Some(u) = self.unit_index.get(unit).copied() else {
            return Vec::new();
        };
        let from = ReportKey {
            unit: u,
            year: *years.start(),
            window: 0,
        };
        let to = ReportKey {
            unit: u,
            year: *years.end(),
            window: u16::MAX,
        };
        self.reports
            .range(from..=to)
            .filter_map(|(k, r)| Some((*k, r.published()?.index)))
            .collect()
    }

    /// A unit's published approvals of one year, by window key: one range read of the reports
    /// instead of a lookup per window.
    pub fn published_year(&self, unit: &UnitId, year: i32) -> Vec<(&str, &Approval)> {
        let Some(u) = self.unit_index.get(unit).copied() else {
            return Vec::new();
        };
        let at = |window| ReportKey {
            unit: u,
            year,
            window,
        };
        self.reports
            .range(at(0)..=at(u16::MAX))
            .filter_map(|(k, r)| Some((self.window_of(k), r.published()?)))
            .collect()
    }

    /// The published value of `element` for a unit's window, with the form it was read with.
    pub fn published_value(
        &self,
        unit: &UnitId,
        year: i32,
        window: &str,
        element: &str,
    ) -> Option<Cell> {
        let approval = self.report(unit, year, window)?.published()?;
        let form = self.form(approval.values.form);
        Some(approval.values.get(form.position(element)?))
    }
}

/// The day `n` working days (Monday to Friday) after `day`. Public holidays are not known to
/// the system: the secretariat moves a deadline that falls on one.
pub fn working_days_after(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().expect("dates stay in range");
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// The calendar date in Vietnam (UTC+7) of a log time.
pub fn local_date(time_ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(time_ms + 7 * 3_600_000)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// When a calendar day in Vietnam (UTC+7) begins, in UTC.
pub fn local_midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(7)
}

/// Working days between a window's cut-off and its default deadline.
pub const DEFAULT_DEADLINE_WORKING_DAYS: u32 = 2;

impl State {
    /// The covenant version in force (frozen) and its covenant; figures need one.
    pub fn signed_covenant(&self, covenant: &CovenantId) -> Result<(&Covenant, u32), DomainError> {
        let c = self.covenant(covenant)?;
        let v = c
            .in_force()
            .ok_or_else(|| DomainError::CovenantNotSigned(covenant.to_string()))?;
        Ok((c, v.version))
    }

    /// The scoring regulation of a covenant's version in force (its text and SHA-256), and the
    /// version.
    pub fn regulation_in_force(
        &self,
        covenant: &CovenantId,
    ) -> Result<(&crate::model::RegulationDoc, u32), DomainError> {
        let (c, version) = self.signed_covenant(covenant)?;
        let content = &c
            .version(version)
            .expect("the version in force exists")
            .content;
        Ok((&content.regulation, version))
    }

    /// The reporting form of a covenant (its version in force).
    pub fn reporting_form(&self, covenant: &CovenantId) -> Result<Arc<Form>, DomainError> {
        let (c, version) = self.signed_covenant(covenant)?;
        match self.figures.form_index(covenant, version) {
            Some(i) => Ok(Arc::clone(self.figures.form(i))),
            None => Form::of(c, version).map(Arc::new),
        }
    }

    /// A window of the covenant's movement calendar.
    pub fn reporting_window(
        &self,
        covenant: &CovenantId,
        window: &str,
    ) -> Result<ReportingWindow, DomainError> {
        let c = self.covenant(covenant)?;
        self.movement(&c.movement)?
            .calendar
            .iter()
            .find(|w| w.key == window)
            .cloned()
            .ok_or_else(|| DomainError::UnknownWindow(window.to_owned()))
    }

    /// The covenant's movement calendar, read for reporting (see [`Calendar`]).
    pub fn calendar(&self, covenant: &CovenantId) -> Result<Calendar<'_>, DomainError> {
        let c = self.covenant(covenant)?;
        Ok(Calendar::new(&self.movement(&c.movement)?.calendar))
    }

    /// A window units report figures for: refuses a key the calendar lacks and a window that
    /// is a sum of reported ones (a quarter, the year in the default calendar).
    pub fn reported_window(
        &self,
        covenant: &CovenantId,
        window: &str,
    ) -> Result<ReportingWindow, DomainError> {
        let w = self.reporting_window(covenant, window)?;
        if !self.calendar(covenant)?.is_reported(window) {
            return Err(DomainError::SummaryWindow(window.to_owned()));
        }
        Ok(w)
    }

    /// The last day to submit a window's figures: the secretariat's date, else two working
    /// days after the cut-off.
    pub fn figures_deadline(
        &self,
        covenant: &CovenantId,
        window: &str,
    ) -> Result<NaiveDate, DomainError> {
        let w = self.reporting_window(covenant, window)?;
        Ok(self
            .figures
            .deadlines
            .get(&(covenant.clone(), window.to_owned()))
            .copied()
            .unwrap_or_else(|| working_days_after(w.end, DEFAULT_DEADLINE_WORKING_DAYS)))
    }

    /// The validation rules of a covenant, compiled against its form.
    pub fn figures_rules(
        &self,
        covenant: &CovenantId,
        form: &Form,
    ) -> Result<Vec<rules::CompiledRule>, DomainError> {
        let ids = form.ids();
        let declared = self.figures.rules.get(covenant);
        form.rules
            .iter()
            .chain(declared.iter().flat_map(|list| list.iter()))
            .map(|r| rules::compile(r, &ids))
            .collect()
    }
}

/// The outcome of the validation rules on one report's values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOutcome {
    pub rule: ValidationRule,
    /// Element positions the rule names.
    pub elements: Vec<usize>,
    /// A comment on one of them explains a failed warning.
    pub explained: bool,
}

/// The rules that fail on `values` (those that do not apply are skipped).
pub fn failed_rules(
    rules: &[rules::CompiledRule],
    values: &[Cell],
    comments: &BTreeSet<usize>,
) -> Vec<RuleOutcome> {
    rules
        .iter()
        .filter(|r| r.holds(&|i| values.get(i).and_then(Cell::number)) == Some(false))
        .map(|r| RuleOutcome {
            rule: r.rule.clone(),
            elements: r.elements.iter().copied().collect(),
            explained: r.elements.iter().any(|i| comments.contains(i)),
        })
        .collect()
}

/// Aligns figures given by element id with a form; unknown ids are an error naming them.
pub fn cells_for(form: &Form, values: &FigureMap) -> Result<Vec<Cell>, DomainError> {
    let mut cells = vec![Cell::Missing; form.elements.len()];
    for (id, v) in values {
        let i = form
            .position(id)
            .ok_or_else(|| DomainError::UnknownElement(id.clone()))?;
        cells[i] = v.cell();
    }
    Ok(cells)
}

fn comment_cells(
    form: &Form,
    comments: &BTreeMap<String, Text>,
) -> Result<Vec<(u16, Text)>, DomainError> {
    comments
        .iter()
        .map(|(id, t)| {
            form.position(id)
                .map(|i| (i as u16, t.clone()))
                .ok_or_else(|| DomainError::UnknownElement(id.clone()))
        })
        .collect()
}

/// The field rules of figures: no negative value (named by the element), comments within
/// their limit.
fn check_values(
    form: &Form,
    values: &FigureMap,
    comments: &BTreeMap<String, Text>,
) -> Result<(), DomainError> {
    for (id, v) in values {
        let i = form
            .position(id)
            .ok_or_else(|| DomainError::UnknownElement(id.clone()))?;
        if let FigureValue::Number(d) = v {
            form.elements[i]
                .check(d)
                .map_err(|reason| DomainError::InvalidFigure {
                    element: form.elements[i].name.clone(),
                    reason,
                })?;
        }
    }
    for (id, c) in comments {
        c.check("comment", limits::REASON)?;
        form.position(id)
            .ok_or_else(|| DomainError::UnknownElement(id.clone()))?;
    }
    Ok(())
}

/// Completeness and validation rules, checked before a submission.
fn check_submission(
    state: &State,
    covenant: &CovenantId,
    report: &Report,
) -> Result<(), DomainError> {
    let values = report.current();
    let form = state.figures.form(values.form);
    let cells = values.cells();
    let missing: Vec<String> = form
        .elements
        .iter()
        .zip(&cells)
        .filter(|(e, c)| **c == Cell::Missing && e.missing.is_none())
        .map(|(e, _)| e.name.clone())
        .collect();
    if !missing.is_empty() {
        return Err(DomainError::ReportIncomplete(missing.join("; ")));
    }
    let commented: BTreeSet<usize> = values
        .comments
        .iter()
        .map(|(i, _)| usize::from(*i))
        .collect();
    for failed in failed_rules(&state.figures_rules(covenant, form)?, &cells, &commented) {
        match failed.rule.severity {
            Severity::Error => {
                return Err(DomainError::RuleViolated {
                    rule: failed.rule.name.to_string(),
                })
            }
            Severity::Warning if !failed.explained => {
                return Err(DomainError::WarningNeedsComment {
                    rule: failed.rule.name.to_string(),
                })
            }
            Severity::Warning => {}
        }
    }
    Ok(())
}

/// Checks the fields of a figures command and turns it into its events.
pub(crate) fn decide(
    state: &State,
    actor: &Actor,
    command: Command,
) -> Result<Vec<Payload>, DomainError> {
    use Command as C;
    let cluster_of = |c: &CovenantId| state.covenant(c).map(|c| c.cluster.clone());
    Ok(match command {
        C::SaveFigures {
            covenant,
            unit,
            window,
            values,
            comments,
        } => {
            authorise(state, actor, &Permission::ReportFigures(unit.clone()))?;
            state.reported_window(&covenant, &window)?;
            let form = state.reporting_form(&covenant)?;
            check_values(&form, &values, &comments)?;
            let year = state.covenant(&covenant)?.year;
            let revision = state
                .figures
                .report(&unit, year, &window)
                .map_or(1, |r| r.revision + 1);
            vec![Payload::FiguresSaved {
                covenant,
                unit,
                window,
                revision,
                values,
                comments,
            }]
        }
        C::SubmitFigures {
            covenant,
            unit,
            window,
            revision,
        } => {
            authorise(state, actor, &Permission::ReportFigures(unit.clone()))?;
            let year = state.covenant(&covenant)?.year;
            if let Some(r) = state.figures.report(&unit, year, &window) {
                if r.revision == revision
                    && matches!(r.status, ReportStatus::Draft | ReportStatus::Reopened)
                {
                    check_submission(state, &covenant, r)?;
                }
            }
            vec![Payload::FiguresSubmitted {
                covenant,
                unit,
                window,
                revision,
            }]
        }
        C::ApproveFigures {
            covenant,
            unit,
            window,
            revision,
        } => {
            authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
            vec![Payload::FiguresApproved {
                covenant,
                unit,
                window,
                revision,
            }]
        }
        C::ReopenFigures {
            covenant,
            unit,
            window,
            reason,
        } => {
            authorise(state, actor, &Permission::LeadUnit(unit.clone()))?;
            reason.check("reason", limits::REASON)?;
            vec![Payload::FiguresReopened {
                covenant,
                unit,
                window,
                reason,
            }]
        }
        C::SetFiguresDeadline {
            covenant,
            window,
            deadline,
        } => {
            authorise(
                state,
                actor,
                &Permission::ManageCluster(cluster_of(&covenant)?),
            )?;
            state.reported_window(&covenant, &window)?;
            vec![Payload::FiguresDeadlineSet {
                covenant,
                window,
                deadline,
            }]
        }
        C::SetFiguresRules { covenant, rules } => {
            authorise(
                state,
                actor,
                &Permission::ManageCluster(cluster_of(&covenant)?),
            )?;
            let form = state.reporting_form(&covenant)?;
            validate_rules(&form, &rules)?;
            vec![Payload::FiguresRulesSet { covenant, rules }]
        }
        C::ImportHistoricalFigures {
            covenant,
            file_name,
            sha256,
            reports,
        } => {
            authorise(
                state,
                actor,
                &Permission::ManageCluster(cluster_of(&covenant)?),
            )?;
            historical(state, covenant, file_name, sha256, reports)?
        }
        other => unreachable!("not a figures command: {other:?}"),
    })
}

/// At most this many rules per covenant.
const MAX_RULES: usize = 200;

fn validate_rules(form: &Form, list: &[ValidationRule]) -> Result<(), DomainError> {
    if list.len() > MAX_RULES {
        return Err(DomainError::InvalidValue {
            field: "rules",
            reason: format!("at most {MAX_RULES} rules"),
        });
    }
    let ids = form.ids();
    let mut seen: BTreeSet<&String> = form.rules.iter().map(|r| &r.id).collect();
    for r in list {
        r.name.check("name", limits::SUBJECT)?;
        rules::compile(r, &ids)?;
        if !seen.insert(&r.id) {
            return Err(DomainError::InvalidRule {
                rule: r.id.clone(),
                reason: "the id appears twice (or is a rule of the regulation)".into(),
            });
        }
    }
    Ok(())
}

/// The events of a historical import: its record, then one event per report.
fn historical(
    state: &State,
    covenant: CovenantId,
    file_name: Text,
    sha256: String,
    reports: Vec<HistoricalReport>,
) -> Result<Vec<Payload>, DomainError> {
    file_name.check("file_name", limits::TITLE)?;
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(DomainError::InvalidValue {
            field: "sha256",
            reason: "64 lowercase hex digits".into(),
        });
    }
    if reports.is_empty() {
        return Err(DomainError::InvalidValue {
            field: "reports",
            reason: "the import holds no figures".into(),
        });
    }
    let form = state.reporting_form(&covenant)?;
    let mut seen = BTreeSet::new();
    for r in &reports {
        state.reported_window(&covenant, &r.window)?;
        check_values(&form, &r.values, &BTreeMap::new())?;
        if !seen.insert((&r.unit, r.year, &r.window)) {
            return Err(DomainError::FiguresExist {
                unit: r.unit.to_string(),
                window: format!("{}-{}", r.year, r.window),
            });
        }
    }
    let import = state.size;
    let mut out = Vec::with_capacity(reports.len() + 1);
    out.push(Payload::HistoricalImportRecorded {
        covenant: covenant.clone(),
        file_name,
        sha256,
        reports: reports.len() as u32,
    });
    out.extend(
        reports
            .into_iter()
            .map(|r| Payload::HistoricalFiguresRecorded {
                covenant: covenant.clone(),
                import,
                unit: r.unit,
                year: r.year,
                window: r.window,
                values: r.values,
            }),
    );
    Ok(out)
}

fn report_state_error(
    unit: &UnitId,
    window: &str,
    status: Option<ReportStatus>,
    action: &str,
) -> DomainError {
    DomainError::ReportState {
        unit: unit.to_string(),
        window: window.to_owned(),
        status: status.map_or("none", ReportStatus::code).to_owned(),
        action: action.to_owned(),
    }
}

impl State {
    /// Whether the covenant's year-end review has locked the year's scores: from then on no
    /// report of its year is saved, submitted, approved or reopened, so the published results
    /// stay what the approved figures give.
    pub fn figures_locked(&self, covenant: &CovenantId) -> bool {
        self.yearend
            .reviews
            .get(covenant)
            .is_some_and(|r| r.locked_at.is_some())
    }

    /// The covenant in force, the unit a member of its cluster that year, the window in the
    /// calendar, the year not locked: what every report event needs. Returns the form index (interned) and year.
    fn report_context(
        &mut self,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<(u32, i32), DomainError> {
        let (cluster, year, version) = {
            let (c, version) = self.signed_covenant(covenant)?;
            (c.cluster.clone(), c.year, version)
        };
        if self.figures_locked(covenant) {
            return Err(crate::yearend::error::refuse(
                "yearend_locked",
                "the year's scores are locked: its figures can no longer change",
            ));
        }
        if !self.members(&cluster, year)?.contains(unit) {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year,
            });
        }
        let start = self.reporting_window(covenant, window)?.start;
        // A unit merged or split away mid-year reports for the windows before that day only.
        if self.units.get(unit).is_some_and(|u| !u.active_on(start)) {
            return Err(self.inactive(unit, start));
        }
        Ok((self.intern_form(covenant, version)?, year))
    }

    /// The interned form of a covenant version (built from its regulation the first time).
    fn intern_form(&mut self, covenant: &CovenantId, version: u32) -> Result<u32, DomainError> {
        if let Some(i) = self.figures.form_index(covenant, version) {
            return Ok(i);
        }
        let form = Form::of(self.covenant(covenant)?, version)?;
        Ok(self.figures.push_form(form))
    }

    /// Whether `unit` is a member of the cluster in `year`, or a predecessor of one by `date`.
    fn member_or_predecessor(
        &self,
        cluster: &crate::ids::ClusterId,
        year: i32,
        unit: &UnitId,
        date: NaiveDate,
    ) -> Result<bool, DomainError> {
        let members = self.members(cluster, year)?;
        let mut seen = vec![unit.clone()];
        let mut i = 0;
        while i < seen.len() {
            if members.contains(&seen[i]) {
                return Ok(true);
            }
            for s in self.successors(&seen[i].clone(), date) {
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            i += 1;
        }
        Ok(false)
    }

    fn stored_report(&self, unit: &UnitId, year: i32, window: &str) -> Option<Report> {
        self.figures
            .report(unit, year, window)
            .map(|r| Report::clone(r))
    }

    fn put_report(&mut self, unit: &UnitId, year: i32, window: &str, report: Report) {
        let key = ReportKey {
            unit: self.figures.intern_unit(unit),
            year,
            window: self.figures.intern_window(window),
        };
        self.figures.reports.insert(key, Arc::new(report));
    }

    /// A report must belong to the covenant it is addressed through.
    fn check_same_covenant(
        &self,
        report: &Report,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<(), DomainError> {
        let form = self.figures.form(report.current().form);
        if &form.covenant != covenant {
            return Err(DomainError::FiguresExist {
                unit: unit.to_string(),
                window: window.to_owned(),
            });
        }
        Ok(())
    }

    /// Folds a figures event after checking that it fits.
    pub(crate) fn apply_figures(&mut self, event: &Event) -> Result<(), DomainError> {
        use Payload as P;
        match &event.payload {
            P::FiguresSaved {
                covenant,
                unit,
                window,
                revision,
                values,
                comments,
            } => {
                let (form_index, year) = self.report_context(covenant, unit, window)?;
                let existing = self.stored_report(unit, year, window);
                if let Some(r) = &existing {
                    self.check_same_covenant(r, covenant, unit, window)?;
                }
                let status = existing.as_ref().map(|r| r.status);
                if !matches!(
                    status,
                    None | Some(ReportStatus::Draft | ReportStatus::Reopened)
                ) {
                    return Err(report_state_error(unit, window, status, "save"));
                }
                let expected = existing.as_ref().map_or(1, |r| r.revision + 1);
                let skipped_drafts = self.partial && *revision > expected;
                if *revision != expected && !skipped_drafts {
                    return Err(DomainError::StaleRevision { expected });
                }
                let form = Arc::clone(self.figures.form(form_index));
                let cells = cells_for(&form, values)?;
                let values = Values::new(form_index, &cells, comment_cells(&form, comments)?);
                let mut report = existing.unwrap_or(Report {
                    status: ReportStatus::Draft,
                    revision: 0,
                    working: None,
                    approvals: Vec::new(),
                    first_submission: None,
                    reopenings: Vec::new(),
                });
                report.revision = *revision;
                report.working = Some(Arc::new(values));
                self.put_report(unit, year, window, report);
            }
            P::FiguresSubmitted {
                covenant,
                unit,
                window,
                revision,
            } => {
                let (_, year) = self.report_context(covenant, unit, window)?;
                let mut r = self.existing(covenant, unit, year, window, *revision, "submit")?;
                if !matches!(r.status, ReportStatus::Draft | ReportStatus::Reopened) {
                    return Err(report_state_error(unit, window, Some(r.status), "submit"));
                }
                if r.first_submission.is_none() {
                    let deadline = self.figures_deadline(covenant, window)?;
                    r.first_submission = Some(Submission {
                        index: event.index,
                        time_ms: event.time_ms,
                        late: local_date(event.time_ms) > deadline,
                    });
                }
                r.status = ReportStatus::Submitted;
                self.put_report(unit, year, window, r);
            }
            P::FiguresApproved {
                covenant,
                unit,
                window,
                revision,
            } => {
                let (_, year) = self.report_context(covenant, unit, window)?;
                let mut r = self.existing(covenant, unit, year, window, *revision, "approve")?;
                if r.status != ReportStatus::Submitted {
                    return Err(report_state_error(unit, window, Some(r.status), "approve"));
                }
                let values = Arc::clone(r.current());
                r.working = None;
                r.approvals.push(Approval {
                    revision: *revision,
                    index: event.index,
                    time_ms: event.time_ms,
                    values,
                    import: None,
                });
                r.status = ReportStatus::Approved;
                self.put_report(unit, year, window, r);
            }
            P::FiguresReopened {
                covenant,
                unit,
                window,
                ..
            } => {
                let (_, year) = self.report_context(covenant, unit, window)?;
                let current = self.stored_report(unit, year, window);
                let revision = current.as_ref().map_or(0, |r| r.revision);
                let mut r = self.existing(covenant, unit, year, window, revision, "reopen")?;
                if !matches!(r.status, ReportStatus::Submitted | ReportStatus::Approved) {
                    return Err(report_state_error(unit, window, Some(r.status), "reopen"));
                }
                r.status = ReportStatus::Reopened;
                r.reopenings.push(event.index);
                self.put_report(unit, year, window, r);
            }
            P::FiguresDeadlineSet {
                covenant,
                window,
                deadline,
            } => {
                let w = self.reporting_window(covenant, window)?;
                if *deadline < w.end {
                    return Err(DomainError::InvalidValue {
                        field: "deadline",
                        reason: format!("{deadline} is before the cut-off {}", w.end),
                    });
                }
                self.figures
                    .deadlines
                    .insert((covenant.clone(), window.clone()), *deadline);
            }
            P::FiguresRulesSet { covenant, rules } => {
                self.covenant(covenant)?;
                self.figures
                    .rules
                    .insert(covenant.clone(), Arc::new(rules.clone()));
            }
            P::HistoricalImportRecorded {
                covenant,
                file_name,
                sha256,
                reports,
            } => {
                self.signed_covenant(covenant)?;
                if let Some(open) = self.figures.imports.last() {
                    if open.recorded < open.reports {
                        return Err(DomainError::InvalidValue {
                            field: "import",
                            reason: format!("the import at {} is incomplete", open.index),
                        });
                    }
                }
                self.figures.imports.push_back(HistoricalImport {
                    index: event.index,
                    time_ms: event.time_ms,
                    actor: event.actor.clone(),
                    covenant: covenant.clone(),
                    file_name: file_name.clone(),
                    sha256: sha256.clone(),
                    reports: *reports,
                    recorded: 0,
                });
            }
            P::HistoricalFiguresRecorded {
                covenant,
                import,
                unit,
                year,
                window,
                values,
            } => self.apply_historical(event, covenant, *import, unit, *year, window, values)?,
            other => unreachable!("not a figures event: {}", other.kind()),
        }
        Ok(())
    }

    /// Whether a unit's figures event is part of what its leader published to the cluster: the
    /// revision that was approved (its save and the submission approved), and a reopening of an
    /// approved report. Drafts, and submissions sent back before approval, stay the unit's own.
    pub fn figures_published(&self, event: &Event) -> bool {
        use Payload as P;
        let (P::FiguresSaved {
            covenant,
            unit,
            window,
            ..
        }
        | P::FiguresSubmitted {
            covenant,
            unit,
            window,
            ..
        }
        | P::FiguresReopened {
            covenant,
            unit,
            window,
            ..
        }) = &event.payload
        else {
            return false;
        };
        let Some(year) = self.covenants.get(covenant).map(|c| c.year) else {
            return false;
        };
        let Some(r) = self.figures.report(unit, year, window) else {
            return false;
        };
        let reopened_between =
            |from: u64, to: u64| r.reopenings.iter().any(|&i| from < i && i < to);
        match &event.payload {
            P::FiguresSaved { revision, .. } => r.approvals.iter().any(|a| a.revision == *revision),
            P::FiguresSubmitted { revision, .. } => r.approvals.iter().any(|a| {
                a.revision == *revision
                    && a.index > event.index
                    && !reopened_between(event.index, a.index)
            }),
            _ => r
                .approvals
                .iter()
                .any(|a| a.index < event.index && !reopened_between(a.index, event.index)),
        }
    }

    /// The stored report at the expected revision, addressed through its covenant.
    fn existing(
        &self,
        covenant: &CovenantId,
        unit: &UnitId,
        year: i32,
        window: &str,
        revision: u32,
        action: &str,
    ) -> Result<Report, DomainError> {
        let r = self
            .stored_report(unit, year, window)
            .ok_or_else(|| report_state_error(unit, window, None, action))?;
        self.check_same_covenant(&r, covenant, unit, window)?;
        if r.revision != revision {
            return Err(DomainError::StaleRevision {
                expected: r.revision,
            });
        }
        Ok(r)
    }

    /// A report of an earlier year recorded by the open historical import: approved at once.
    #[allow(clippy::too_many_arguments)]
    fn apply_historical(
        &mut self,
        event: &Event,
        covenant: &CovenantId,
        import: u64,
        unit: &UnitId,
        year: i32,
        window: &str,
        values: &FigureMap,
    ) -> Result<(), DomainError> {
        let open = self
            .figures
            .imports
            .last()
            .filter(|i| i.index == import && &i.covenant == covenant && i.recorded < i.reports)
            .ok_or_else(|| DomainError::InvalidValue {
                field: "import",
                reason: format!("no open historical import at {import}"),
            })?;
        if open.actor != event.actor {
            return Err(DomainError::Forbidden);
        }
        let (cluster, covenant_year, version) = {
            let (c, version) = self.signed_covenant(covenant)?;
            (c.cluster.clone(), c.year, version)
        };
        if !(2000..covenant_year).contains(&year) {
            return Err(DomainError::InvalidValue {
                field: "year",
                reason: format!("a historical import holds years before {covenant_year}"),
            });
        }
        let (_, year_end) = crate::org::year_bounds(covenant_year);
        if !self.member_or_predecessor(&cluster, covenant_year, unit, year_end)? {
            return Err(DomainError::NotMember {
                cluster: cluster.to_string(),
                unit: unit.to_string(),
                year: covenant_year,
            });
        }
        self.reporting_window(covenant, window)?;
        if self.figures.report(unit, year, window).is_some() {
            return Err(DomainError::FiguresExist {
                unit: unit.to_string(),
                window: format!("{year}-{window}"),
            });
        }
        let form_index = self.intern_form(covenant, version)?;
        let form = Arc::clone(self.figures.form(form_index));
        let cells = cells_for(&form, values)?;
        let report = Report {
            status: ReportStatus::Approved,
            revision: 1,
            working: None,
            approvals: vec![Approval {
                revision: 1,
                index: event.index,
                time_ms: event.time_ms,
                values: Arc::new(Values::new(form_index, &cells, Vec::new())),
                import: Some(import),
            }],
            first_submission: None,
            reopenings: Vec::new(),
        };
        self.put_report(unit, year, window, report);
        if let Some(last) = self.figures.imports.back_mut() {
            last.recorded += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_skip_weekends() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 14/01/2024 is a Sunday: Monday 15 and Tuesday 16 are the two working days.
        assert_eq!(working_days_after(d(2024, 1, 14), 2), d(2024, 1, 16));
        // 14/06/2024 is a Friday: Monday 17 and Tuesday 18.
        assert_eq!(working_days_after(d(2024, 6, 14), 2), d(2024, 6, 18));
        // 14/03/2024 is a Thursday: Friday 15 and Monday 18.
        assert_eq!(working_days_after(d(2024, 3, 14), 2), d(2024, 3, 18));
        // 23:30 UTC on 15/01 is already 16/01 in Vietnam.
        let t = chrono::NaiveDate::from_ymd_opt(2024, 1, 15)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(local_date(t), d(2024, 1, 16));
    }

    #[test]
    fn figure_values_read_plain_decimals_and_na() {
        assert_eq!(
            FigureValue::parse("12.50"),
            Some(FigureValue::Number(Decimal::new(1250, 2)))
        );
        assert_eq!(FigureValue::parse("na"), Some(FigureValue::NotApplicable));
        for bad in ["", "1,5", "1e3", "+5", " 5", ".5", "5.", "abc", "1.234.5"] {
            assert_eq!(FigureValue::parse(bad), None, "{bad}");
        }
        assert_eq!(FigureValue::parse("12.50").unwrap().to_string(), "12.5");
    }
}
