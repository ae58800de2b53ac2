//! Figures: what each member unit reports for each window of its movement's calendar, on the
//! form its covenant's signed regulation declares (the regulation's data elements). A report
//! moves draft → submitted (an officer) → approved (the unit's leader; published to the
//! cluster) → reopened (the leader, with a reason) → submitted → approved again; every approval
//! is kept, so a correction shows the old and the new values. The secretariat may move a
//! window's deadline (default: two working days after the cut-off), declare validation rules
//! ([`rules`]) and import the approved figures of earlier years (a historical import, with the
//! file's SHA-256). One event per saved report, not per figure.
//!
//! Field rules (each value within its element's domain: minimum, maximum, whole number;
//! comments within limits; completeness and validation rules at submission) are checked by
//! [`decide`](decide()); the report's state machine, the covenant, the calendar and the form
//! are checked when events are applied (`State::apply_figures`).
//!
//! The state is compact: units and windows are interned, a report's values are one byte string
//! ([`values`]), reports sit behind `Arc`s in persistent maps, so a clone of the state is O(1).
//!
//! Module map: this file (the nouns, the interned state and the queries), `decide` (field
//! checks and the events of each command), `apply` (the state machine and the folding of each
//! event), [`rules`] (validation rules), [`values`] (a report's values as bytes).

mod apply;
mod decide;
pub mod plausibility;
pub mod rules;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use imbl::{OrdMap, Vector};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::DomainError;
use crate::event::{Actor, Event, Payload};
use crate::ids::{CovenantId, UnitId};
use crate::model::ReportingWindow;
use crate::state::{Covenant, State};
use crate::text::{limits, Text};
pub(crate) use decide::decide;
pub use decide::{reports_any, MAX_RULES};
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

    /// What the scoring engine reads for this element from an approved report's `cell`: the
    /// figure; for a figure left blank the regulation's declared value (so a month left blank
    /// counts as that value, and a yearly sum adds the months that were given), else nothing;
    /// "not applicable" as such — never a zero, never "missing": the engine says "không áp
    /// dụng", applies the element's declared `missing` value if any, and skips the month in a
    /// sum. The server's dataset and the exported data file (`na`) both read approved cells
    /// through this one rule.
    pub fn scored(&self, cell: &Cell) -> Scored {
        match cell {
            Cell::Number(d) => Scored::Value(*d),
            Cell::Missing => self.missing.map_or(Scored::Absent, Scored::Value),
            Cell::NotApplicable => Scored::NotApplicable,
        }
    }
}

/// An approved cell as the scoring engine reads it ([`FormElement::scored`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scored {
    Value(Decimal),
    /// Reported as not applicable: `na` in a data file.
    NotApplicable,
    /// Not given, and the regulation declares no value for it: no row at all.
    Absent,
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
    ast.rules.iter().map(validation_rule).collect()
}

/// A `[[rule]]` table as the domain checks it: in a regulation, or in the text of rules a
/// secretariat adds to a covenant (`SetFiguresRules`).
pub fn validation_rule(r: &thidua_scoring::ast::Rule) -> Result<ValidationRule, DomainError> {
    Ok(ValidationRule {
        id: r.id.clone(),
        name: Text::parse("rule", &r.name, limits::SUBJECT)?,
        check: r.check.clone(),
        severity: match r.severity {
            thidua_scoring::ast::RuleSeverity::Error => rules::Severity::Error,
            thidua_scoring::ast::RuleSeverity::Warning => rules::Severity::Warning,
        },
    })
}

/// A rule as a `[[rule]]` table reads it (for printing it as one).
pub fn rule_table(r: &ValidationRule) -> thidua_scoring::ast::Rule {
    thidua_scoring::ast::Rule {
        id: r.id.clone(),
        pos: 0,
        name: r.name.to_string(),
        check: r.check.clone(),
        check_pos: 0,
        severity: match r.severity {
            rules::Severity::Error => thidua_scoring::ast::RuleSeverity::Error,
            rules::Severity::Warning => thidua_scoring::ast::RuleSeverity::Warning,
        },
    }
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
    /// The log index of the submission approved (who entered the revision is its actor);
    /// none for a historical import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission: Option<u64>,
}

/// The first submission of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub index: u64,
    pub time_ms: i64,
    /// Submitted after the window's deadline in force then (`deadline`).
    pub late: bool,
    /// The window's deadline in force when the report was submitted, which `late` was
    /// judged against: a deadline the secretariat moves later changes neither, and the pages
    /// say which deadline a late report missed.
    pub deadline: NaiveDate,
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
    /// The log index of the latest submission, which the next approval approves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted: Option<u64>,
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

    /// Whether the reopening at log index `index` reopened an approved report: the first
    /// reopening after an approval. Only such a reopening (and its reason) is published to the
    /// cluster; one that sent a submission back before it was approved stays the unit's own
    /// ([`State::figures_published`]).
    pub fn reopens_approved(&self, index: u64) -> bool {
        self.approvals
            .iter()
            .any(|a| a.index < index && !self.reopenings.iter().any(|&i| a.index < i && i < index))
    }

    /// The reopening of the approved report after approval `after` (a log index), if it was
    /// reopened since: the correction's reason is that reopening's.
    pub fn reopening_after(&self, after: u64) -> Option<u64> {
        self.reopenings.iter().copied().find(|&i| i > after)
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

    /// The published value of `element` for a unit's window as the scores read it: a figure
    /// left blank is the regulation's declared `missing` value where it declares one
    /// ([`FormElement::scored`]); `None` when nothing is published or the report's form lacks
    /// the element.
    pub fn published_scored(
        &self,
        unit: &UnitId,
        year: i32,
        window: &str,
        element: &str,
    ) -> Option<Cell> {
        let approval = self.report(unit, year, window)?.published()?;
        let form = self.form(approval.values.form);
        let p = form.position(element)?;
        Some(match approval.values.get(p) {
            Cell::Missing => form.elements[p].missing.map_or(Cell::Missing, Cell::Number),
            cell => cell,
        })
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

/// The calendar date in Vietnam (UTC+7) of a log time.
pub fn local_date(time_ms: i64) -> NaiveDate {
    local_datetime(time_ms).date()
}

/// The time in Vietnam (UTC+7) of a log time: every page, document and command shows a log
/// time so, as the users read their clocks.
pub fn local_datetime(time_ms: i64) -> chrono::NaiveDateTime {
    chrono::DateTime::from_timestamp_millis(time_ms + 7 * 3_600_000)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

/// When a calendar day in Vietnam (UTC+7) begins, in UTC.
pub fn local_midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(7)
}

/// Whether a report of `window` may be submitted at `time_ms`: on or after the window's cut-off
/// (its last day) in Vietnam's time, when its figures are all in.
pub fn submittable(window: &ReportingWindow, time_ms: i64) -> bool {
    local_date(time_ms) >= window.end
}

/// Whether `deadline`, a last day in Vietnam, has passed at `time_ms`: the next day has begun
/// there. The one reading of every deadline (a report's, a year-end step's).
pub fn deadline_passed(deadline: NaiveDate, time_ms: i64) -> bool {
    local_date(time_ms) > deadline
}

/// A window's deadline and how it was reached ([`State::figures_deadline_detail`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    /// Set by the secretariat (else the default: two working days after the cut-off).
    pub set: bool,
    /// The declared days off the default skipped.
    pub skipped: Vec<NaiveDate>,
    /// The Saturdays and Sundays declared worked in exchange that the default counted.
    pub worked: Vec<NaiveDate>,
}

/// Working days between a window's cut-off and its default deadline.
pub const DEFAULT_DEADLINE_WORKING_DAYS: u32 = 2;

/// A window's default deadline: [`DEFAULT_DEADLINE_WORKING_DAYS`] working days after its
/// cut-off ([`crate::holidays::working_days_after`]).
fn default_deadline(holidays: &crate::holidays::Holidays, cut_off: NaiveDate) -> NaiveDate {
    crate::holidays::working_days_after(holidays, cut_off, DEFAULT_DEADLINE_WORKING_DAYS)
}

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

    /// Whether saving `values` and `comments` as the report of `unit` for `window` would change
    /// nothing: its saved working copy (a draft, or a reopened report's correction) holds
    /// exactly them. Such a save is refused (`figures_unchanged`), and a save-and-submit only
    /// submits: the log records no save that saves nothing.
    pub fn figures_save_unchanged(
        &self,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
        values: &FigureMap,
        comments: &BTreeMap<String, Text>,
    ) -> bool {
        let (Ok(c), Ok(form)) = (self.covenant(covenant), self.reporting_form(covenant)) else {
            return false;
        };
        let Some(r) = self.figures.report(unit, c.year, window) else {
            return false;
        };
        let Some(working) = r
            .working
            .as_ref()
            .filter(|_| matches!(r.status, ReportStatus::Draft | ReportStatus::Reopened))
        else {
            return false;
        };
        let (Ok(cells), Ok(mut notes)) = (
            cells_for(&form, values),
            apply::comment_cells(&form, comments),
        ) else {
            return false;
        };
        notes.sort_by_key(|(i, _)| *i);
        working.cells() == cells && *working.comments == *notes
    }

    /// The reporting form of a covenant (its version in force).
    pub fn reporting_form(&self, covenant: &CovenantId) -> Result<Arc<Form>, DomainError> {
        let (c, version) = self.signed_covenant(covenant)?;
        match self.figures.form_index(covenant, version) {
            Some(i) => Ok(Arc::clone(self.figures.form(i))),
            None => Form::of(c, version).map(Arc::new),
        }
    }

    /// The units whose earlier figures a member's scores add to its own: its direct
    /// predecessors as of the end of `as_of` (the covenant's year), itself excepted (a unit
    /// merged into itself keeps its own figures), as in [`crate::engine_data`].
    pub fn earlier_sources(&self, unit: &UnitId, as_of: i32) -> Vec<UnitId> {
        let end = NaiveDate::from_ymd_opt(as_of, 12, 31).expect("a valid year");
        let mut out = self.predecessors(unit, end);
        out.retain(|p| p != unit);
        out
    }

    /// The units whose approved figures make a member's figures of an earlier `year`, as its
    /// scores read them: the member itself and its [`earlier_sources`](Self::earlier_sources)
    /// (given), each if it existed during that reporting year (15/12 of the year before to
    /// 14/12) or reported in it. A unit created by the merger has no year of its own before it.
    pub fn earlier_parts(&self, unit: &UnitId, sources: &[UnitId], year: i32) -> Vec<UnitId> {
        let (start, end) = crate::org::year_bounds(year);
        std::iter::once(unit)
            .chain(sources)
            .filter(|u| {
                self.units
                    .get(*u)
                    .is_some_and(|x| x.established <= end && x.dissolved.is_none_or(|d| d > start))
                    || !self.figures.published_year(u, year).is_empty()
            })
            .cloned()
            .collect()
    }

    /// Whether `unit` reports for `covenant`'s window `window`: it is in being on the window's
    /// first day (a unit merged or split away mid-year reports for the windows before that day
    /// only). The rule a saved report is held to, and what overdue lists count.
    pub fn in_being_for(&self, covenant: &CovenantId, unit: &UnitId, window: &str) -> bool {
        self.reporting_window(covenant, window)
            .is_ok_and(|w| self.units.get(unit).is_some_and(|u| u.active_on(w.start)))
    }

    /// The last day of reported window `key` of `covenant`'s calendar in reporting `year`.
    pub fn window_end(&self, covenant: &CovenantId, year: i32, key: &str) -> Option<NaiveDate> {
        let calendar = self.calendar(covenant).ok()?;
        let month = calendar.reported_window(key)?.in_year(year)?;
        Some(month.dates().1)
    }

    /// Whether a merged member's predecessor `part` adds nothing to window `key` (last day
    /// `end`) of `year`: it reported nothing for it and had ceased to exist by its last day
    /// (merged away: its area reported through its successor from then on). It counts as 0
    /// there, in the grid, in progress and in the engine's data alike
    /// ([`crate::engine_data`]), never as a missing figure.
    pub fn ceased_by(&self, part: &UnitId, year: i32, key: &str, end: NaiveDate) -> bool {
        self.units
            .get(part)
            .is_some_and(|u| u.dissolved.is_some_and(|d| d <= end))
            && self
                .figures
                .report(part, year, key)
                .and_then(|r| r.published())
                .is_none()
    }

    /// A member's approved figure of `element` for a window of an earlier `year` as its
    /// scores read it (the "cùng kỳ" beside this year's figure of `covenant`): its own plus
    /// those of its [`earlier_sources`](Self::earlier_sources). Numbers add up; "not
    /// applicable" is kept only when no one gave a number; a predecessor that had
    /// [`ceased_by`](Self::ceased_by) the window adds 0. For a merged member the sum is
    /// complete or missing: when one of its [`earlier_parts`](Self::earlier_parts) has no
    /// approved figure for the window, there is no value (never a partial sum presented as the
    /// whole; [`earlier_missing`](Self::earlier_missing) names who lacks it).
    pub fn earlier_value(
        &self,
        unit: &UnitId,
        covenant: &CovenantId,
        year: i32,
        window: &str,
        element: &str,
    ) -> Cell {
        let Ok(c) = self.covenant(covenant) else {
            return Cell::Missing;
        };
        let sources = self.earlier_sources(unit, c.year);
        let end = self.window_end(covenant, year, window);
        self.earlier_value_with(unit, &sources, year, (window, end), element)
    }

    /// [`earlier_value`](Self::earlier_value) with the unit's sources and the window's last
    /// day already known (the many cells of one unit's series).
    pub fn earlier_value_with(
        &self,
        unit: &UnitId,
        sources: &[UnitId],
        year: i32,
        (window, end): (&str, Option<NaiveDate>),
        element: &str,
    ) -> Cell {
        if sources.is_empty() {
            return self
                .figures
                .published_value(unit, year, window, element)
                .unwrap_or(Cell::Missing);
        }
        let mut sum: Option<Decimal> = None;
        let mut not_applicable = false;
        for part in self.earlier_parts(unit, sources, year) {
            let ceased =
                part != *unit && end.is_some_and(|e| self.ceased_by(&part, year, window, e));
            // A figure left blank counts as the regulation's declared value, as in the scores.
            let cell = match self.figures.published_scored(&part, year, window, element) {
                Some(cell) => cell,
                None if ceased => Cell::Number(Decimal::ZERO),
                None => return Cell::Missing,
            };
            match cell {
                Cell::Number(d) => match sum.unwrap_or_default().checked_add(d) {
                    Some(total) => sum = Some(total),
                    None => return Cell::Missing,
                },
                Cell::NotApplicable => not_applicable = true,
                Cell::Missing => return Cell::Missing,
            }
        }
        match (sum, not_applicable) {
            (Some(d), _) => Cell::Number(d),
            (None, true) => Cell::NotApplicable,
            (None, false) => Cell::Missing,
        }
    }

    /// Which of a merged member's [`earlier_parts`](Self::earlier_parts) have no approved
    /// report for a window of an earlier `year`: why its "cùng kỳ" there is missing. Empty for
    /// a member that absorbed none (its own figure is simply there or not).
    pub fn earlier_missing(
        &self,
        unit: &UnitId,
        covenant: &CovenantId,
        year: i32,
        window: &str,
    ) -> Vec<UnitId> {
        let Ok(c) = self.covenant(covenant) else {
            return Vec::new();
        };
        let sources = self.earlier_sources(unit, c.year);
        if sources.is_empty() {
            return Vec::new();
        }
        let end = self.window_end(covenant, year, window);
        self.earlier_parts(unit, &sources, year)
            .into_iter()
            .filter(|p| {
                let ceased = p != unit && end.is_some_and(|e| self.ceased_by(p, year, window, e));
                !ceased
                    && self
                        .figures
                        .report(p, year, window)
                        .and_then(|r| r.published())
                        .is_none()
            })
            .collect()
    }

    /// [`earlier_missing`](Self::earlier_missing) over every reported window of months 1 to
    /// `through` of `year` (each unit once, in lineage order): why a value to date that reads
    /// that year (cùng kỳ, a baseline, a score) is missing for a merged member.
    pub fn earlier_missing_through(
        &self,
        unit: &UnitId,
        covenant: &CovenantId,
        year: i32,
        through: u8,
    ) -> Vec<UnitId> {
        let Ok(c) = self.covenant(covenant) else {
            return Vec::new();
        };
        if self.earlier_sources(unit, c.year).is_empty() {
            return Vec::new();
        }
        let Ok(calendar) = self.calendar(covenant) else {
            return Vec::new();
        };
        let mut out: Vec<UnitId> = Vec::new();
        for r in calendar.reported().iter().filter(|r| r.month <= through) {
            for u in self.earlier_missing(unit, covenant, year, &r.window.key) {
                if !out.contains(&u) {
                    out.push(u);
                }
            }
        }
        out
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

    /// Whether `unit` has figures for `window` of `year` (a report, whatever its status): a
    /// historical import records only windows without any, checked when it is applied and
    /// told, row by row, by the import's plan.
    pub fn has_figures(&self, unit: &UnitId, year: i32, window: &str) -> bool {
        self.figures.report(unit, year, window).is_some()
    }

    /// The last day to submit a window's figures: the secretariat's date, else two working
    /// days after the cut-off (skipping the declared public holidays, [`crate::holidays`]).
    pub fn figures_deadline(
        &self,
        covenant: &CovenantId,
        window: &str,
    ) -> Result<NaiveDate, DomainError> {
        let cut_off = self.reporting_window(covenant, window)?.end;
        Ok(self
            .secretariats_deadline(covenant, window)
            .unwrap_or_else(|| default_deadline(&self.holidays, cut_off)))
    }

    fn secretariats_deadline(&self, covenant: &CovenantId, window: &str) -> Option<NaiveDate> {
        let key = (covenant.clone(), window.to_owned());
        self.figures.deadlines.get(&key).copied()
    }

    /// A window's deadline as [`State::figures_deadline`] gives it, and how it was reached: set
    /// by the secretariat, or the default with the declared days it skipped and counted.
    pub fn figures_deadline_detail(
        &self,
        covenant: &CovenantId,
        window: &str,
    ) -> Result<Deadline, DomainError> {
        let cut_off = self.reporting_window(covenant, window)?.end;
        if let Some(date) = self.secretariats_deadline(covenant, window) {
            return Ok(Deadline {
                date,
                set: true,
                skipped: Vec::new(),
                worked: Vec::new(),
            });
        }
        let h = &self.holidays;
        let date = default_deadline(h, cut_off);
        Ok(Deadline {
            date,
            set: false,
            skipped: crate::holidays::between(h, cut_off, date),
            worked: crate::holidays::worked_weekends(h, cut_off, date),
        })
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

impl RuleOutcome {
    /// Whether it stops a submission: a failed error rule, or a failed warning that no
    /// comment on its figures explains.
    pub fn blocks(&self) -> bool {
        self.rule.severity == Severity::Error || !self.explained
    }
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
            _ => r.reopens_approved(event.index),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_times_are_dated_in_vietnam() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 23:30 UTC on 15/01 is already 16/01 in Vietnam.
        let t = chrono::NaiveDate::from_ymd_opt(2024, 1, 15)
            .unwrap()
            .and_hms_opt(23, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        assert_eq!(local_date(t), d(2024, 1, 16));
        assert_eq!(
            local_datetime(t).format("%d/%m/%Y %H:%M").to_string(),
            "16/01/2024 06:30"
        );
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
