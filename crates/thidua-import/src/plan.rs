//! From a file to domain commands: [`plan_reports`] (a unit's figures, from its template or
//! from rows `unit,element,period,value`) and [`plan_historical`] (earlier years' approved
//! figures of a cluster, in the data format of `thidua score --data`). A plan lists what would
//! change (the dry run); its commands are executed in one append, so an import is all or
//! nothing. Reading errors name sheet, row, column and reason; the domain then checks the
//! commands as it checks any other (roles, report states, validation rules).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use thidua_domain::figures::{
    Cell, FigureMap, FigureValue, Form, FormElement, HistoricalReport, Values,
};
use thidua_domain::{Actor, Command, CovenantId, DomainError, State, Text, UnitId};

use crate::error::{column_letter, ImportError, ImportErrors};
use crate::export::data_id;
use crate::number::{self, element_figure, NumberFormat};
use crate::table::{self, Limits, RawCell};
use crate::template;

/// A file as uploaded.
#[derive(Clone, Copy, Debug)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

impl Upload<'_> {
    /// SHA-256 (hex) of the bytes.
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(self.bytes))
    }
}

/// A figure, or its comment, that would change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub element: String,
    pub name: String,
    pub before: Cell,
    pub after: Cell,
    /// The comment before and after, when the save changes it (a dry run showed only figures,
    /// and an import that changed a comment alone said it changed nothing).
    pub comment: Option<(Option<String>, Option<String>)>,
}

/// One report a file would save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedReport {
    pub unit: UnitId,
    pub year: i32,
    pub window: String,
    pub values: FigureMap,
    pub comments: BTreeMap<String, Text>,
    /// The figures that differ from the report's current ones.
    pub changes: Vec<Change>,
    /// The revision the save will create (the saved one when it is `unchanged`).
    pub revision: u32,
    /// Saved exactly so already (`State::figures_save_unchanged`): the import saves nothing for
    /// it, and a submission submits the saved revision.
    pub unchanged: bool,
}

/// What a unit's import would do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub covenant: CovenantId,
    pub reports: Vec<PlannedReport>,
}

impl Plan {
    /// The commands: save each report, and submit it when asked.
    pub fn commands(&self, submit: bool) -> Vec<Command> {
        let mut out = Vec::new();
        for r in &self.reports {
            if !r.unchanged {
                out.push(Command::SaveFigures {
                    covenant: self.covenant.clone(),
                    unit: r.unit.clone(),
                    window: r.window.clone(),
                    values: r.values.clone(),
                    comments: r.comments.clone(),
                });
            }
            if submit {
                out.push(Command::SubmitFigures {
                    covenant: self.covenant.clone(),
                    unit: r.unit.clone(),
                    window: r.window.clone(),
                    revision: r.revision,
                });
            }
        }
        out
    }

    pub fn value_count(&self) -> usize {
        self.reports.iter().map(|r| r.values.len()).sum()
    }
}

/// What a historical import would record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoricalPlan {
    pub command: Command,
    pub reports: usize,
    pub values: usize,
    pub years: BTreeSet<i32>,
    pub units: BTreeSet<UnitId>,
    pub sha256: String,
}

/// What a historical import records for one unit and year: its windows (by key) and how many
/// figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoricalYear {
    pub unit: UnitId,
    pub year: i32,
    pub windows: Vec<String>,
    pub values: usize,
}

impl HistoricalPlan {
    /// What the import records, by unit and year.
    pub fn by_unit_year(&self) -> Vec<HistoricalYear> {
        let Command::ImportHistoricalFigures { reports, .. } = &self.command else {
            return Vec::new();
        };
        let mut out: BTreeMap<(UnitId, i32), HistoricalYear> = BTreeMap::new();
        for r in reports {
            let entry = out
                .entry((r.unit.clone(), r.year))
                .or_insert_with(|| HistoricalYear {
                    unit: r.unit.clone(),
                    year: r.year,
                    windows: Vec::new(),
                    values: 0,
                });
            entry.windows.push(r.window.clone());
            entry.values += r.values.len();
        }
        out.into_values().collect()
    }
}

/// A report's figures and comments as read, and whether they are merged over the current ones.
type ReportFigures = (FigureMap, BTreeMap<String, Text>, bool);

/// The long data format's heading.
const LONG_HEADING: [&str; 4] = ["unit", "element", "period", "value"];

fn is_long_heading(cells: &[RawCell]) -> bool {
    cells.len() >= 4
        && cells
            .iter()
            .take(4)
            .zip(LONG_HEADING)
            .all(|(c, h)| c.text().eq_ignore_ascii_case(h))
}

/// A refusal of the domain met while planning (the covenant unknown or not signed, its
/// cluster's year): said in Vietnamese, then in the domain's English. Callers that can say
/// every refusal in the reader's language ask the domain first (the web's visible covenant,
/// `thidua figures import`'s reporting form), so this is rarely what a reader sees.
fn domain(e: DomainError) -> ImportErrors {
    let vi = match &e {
        DomainError::UnknownCovenant(id) => format!("không có giao ước «{id}»"),
        DomainError::CovenantNotSigned(id) => {
            format!("giao ước «{id}» chưa được ký: chưa có biểu mẫu báo cáo")
        }
        DomainError::UnknownCluster(id) => format!("không có cụm «{id}»"),
        DomainError::NoClusterYear { cluster, year } => {
            format!("cụm «{cluster}» chưa có thành viên năm {year}")
        }
        _ => format!("hệ thống từ chối [{}]", e.code()),
    };
    ImportErrors::one(ImportError::file(e.code(), vi, e.to_string()))
}

/// The unit a file names: its id, its short code or its data-file id ([`data_id`]).
pub fn resolve_unit(state: &State, among: &BTreeSet<UnitId>, raw: &str) -> Option<UnitId> {
    among
        .iter()
        .find(|u| {
            u.as_str() == raw
                || state.units.get(*u).is_some_and(|unit| {
                    unit.short_code.as_str().eq_ignore_ascii_case(raw) || data_id(unit) == raw
                })
        })
        .cloned()
}

/// A movement's calendar as a data file names its windows: by the months a period key covers
/// (`2024-M03`, `2024-Q1`: what `thidua score --data` reads), else by a window key of the
/// calendar (`2024-T3`).
#[derive(Default)]
struct Windows {
    /// Every key, and whether units report that window (or it is a sum of reported ones).
    by_key: BTreeMap<String, bool>,
    /// The key of the window covering exactly these months (first, last).
    by_months: BTreeMap<(u8, u8), String>,
}

impl Windows {
    fn of(state: &State, covenant: &CovenantId) -> Windows {
        let Ok(calendar) = state.calendar(covenant) else {
            return Windows::default();
        };
        let mut out = Windows::default();
        for w in calendar.windows() {
            out.by_key
                .insert(w.key.clone(), calendar.is_reported(&w.key));
            if let Some(run) = thidua_domain::calendar::months_of(w) {
                out.by_months.insert((run.first, run.last), w.key.clone());
            }
        }
        out
    }

    /// The window key `period` names (`key` is its part after the year), with whether units
    /// report that window; `None` when the calendar has no such window.
    fn find(&self, period: &str, key: &str) -> Option<(String, bool)> {
        let by_months = period
            .parse::<thidua_scoring::PeriodKey>()
            .ok()
            .and_then(|k| self.by_months.get(&(k.window().first, k.window().last)));
        let key = by_months.map_or(key, String::as_str);
        let reported = *self.by_key.get(key)?;
        Some((key.to_owned(), reported))
    }
}

/// A period `2024-M01` split into year and window key.
fn split_period(raw: &str) -> Option<(i32, String)> {
    let (y, w) = raw.split_once('-')?;
    let year = y.parse::<i32>().ok().filter(|_| y.len() == 4)?;
    (!w.is_empty()).then(|| (year, w.to_owned()))
}

/// Reads rows `unit,element,period,value` (numbers as declared, plain by default; `na`);
/// `@name` rows are skipped, other reserved rows refused. `units` are those the file may name; `years` checks the year.
struct LongReader<'a> {
    form: &'a Form,
    /// Every name a unit may go by in the file (id, short code, data-file id).
    names: std::collections::HashMap<String, UnitId>,
    windows: Windows,
    years: &'a dyn Fn(i32) -> bool,
    years_vi: String,
    years_en: String,
    /// The figures read so far, by report.
    grouped: BTreeMap<(UnitId, i32, String), FigureMap>,
    /// Where each figure read so far was (sheet, row), by report and element: a figure given
    /// twice is refused naming both rows.
    rows: BTreeMap<(UnitId, i32, String, String), (String, usize)>,
    values: usize,
    errors: ImportErrors,
    /// How the file writes numbers: plain unless a `# number_format:` line declares otherwise.
    number: NumberFormat,
    /// A historical import: the state and covenant whose units' recorded figures a row may not
    /// add to ([`State::has_figures`], the rule the domain applies the import by).
    recorded: Option<(&'a State, &'a CovenantId)>,
}

impl<'a> LongReader<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        state: &State,
        form: &'a Form,
        covenant: &CovenantId,
        units: &BTreeSet<UnitId>,
        years: &'a dyn Fn(i32) -> bool,
        years_vi: String,
        years_en: String,
    ) -> Self {
        let mut names = std::collections::HashMap::new();
        for u in units {
            if let Some(unit) = state.units.get(u) {
                names.insert(data_id(unit), u.clone());
                names.insert(unit.short_code.as_str().to_uppercase(), u.clone());
            }
            names.insert(u.as_str().to_owned(), u.clone());
        }
        let windows = Windows::of(state, covenant);
        Self {
            form,
            names,
            windows,
            years,
            years_vi,
            years_en,
            grouped: BTreeMap::new(),
            rows: BTreeMap::new(),
            values: 0,
            errors: ImportErrors::default(),
            number: NumberFormat::Plain,
            recorded: None,
        }
    }

    /// Refuses, row by row, the figures of a unit's window that already has figures (a
    /// historical import records only windows without any).
    fn refusing_recorded(mut self, state: &'a State, covenant: &'a CovenantId) -> Self {
        self.recorded = Some((state, covenant));
        self
    }

    /// The refusal of a row whose unit already has figures for the window of `year`: the
    /// unit by name, the period as users name it ("Tháng 5/2023", "Month 5/2023").
    fn already_recorded(&self, unit: &UnitId, year: i32, window: &str) -> Option<Problem> {
        let (state, covenant) = self.recorded?;
        if !state.has_figures(unit, year, window) {
            return None;
        }
        let name = state
            .units
            .get(unit)
            .map_or_else(|| unit.to_string(), |u| u.name.to_string());
        let (vi, en) = match state.reporting_window(covenant, window) {
            Ok(w) => (
                format!("{}/{year}", w.name),
                format!("{}/{year}", thidua_domain::calendar::name_en(&w)),
            ),
            Err(_) => (format!("{year}-{window}"), format!("{year}-{window}")),
        };
        Some(Problem::new(
            "figures_exist",
            2,
            format!("số liệu của {name} kỳ {vi} đã có (đã báo cáo hoặc đã nhập trước đây): nhập lịch sử chỉ ghi các kỳ chưa có số liệu, hãy bỏ dòng này khỏi tệp"),
            format!("the figures of {name} for {en} already exist (reported or imported before): a historical import records only windows without figures; remove this row from the file"),
        ))
    }

    /// A `# number_format: …` row before the heading.
    fn declare(&mut self, sheet: &str, row: usize, declared: Result<NumberFormat, String>) {
        match declared {
            Ok(f) => self.number = f,
            Err(name) => self.errors.push(
                ImportError::file(
                    "number_format",
                    format!("cách viết số «{name}» không có; dùng vi (1.234,5), en (1,234.5) hoặc plain (1234.5)"),
                    format!("unknown number format «{name}»; use vi (1.234,5), en (1,234.5) or plain (1234.5)"),
                )
                .at(sheet, row, Some("A".into())),
            ),
        }
    }

    fn unit(&self, raw: &str) -> Option<UnitId> {
        self.names
            .get(raw)
            .or_else(|| self.names.get(&raw.to_uppercase()))
            .cloned()
    }
}

/// What is wrong with a row `unit,element,period,value`, and in which of its columns (0–3).
struct Problem {
    code: &'static str,
    column: usize,
    vi: String,
    en: String,
}

impl Problem {
    fn new(code: &'static str, column: usize, vi: String, en: String) -> Self {
        Self {
            code,
            column,
            vi,
            en,
        }
    }

    /// The import error naming sheet, row and column (its letter and heading).
    fn at(self, sheet: &str, row: usize) -> ImportError {
        ImportError::file(self.code, self.vi, self.en).at(
            sheet,
            row,
            Some(format!(
                "{} ({})",
                column_letter(self.column),
                LONG_HEADING[self.column]
            )),
        )
    }
}

/// Refuses the reserved rows other than `@name` (manual scores, predecessors): not figures.
fn not_reserved(element: &str) -> Result<(), Problem> {
    if element.starts_with('@') {
        return Err(Problem::new(
            "not_figures",
            1,
            format!("«{element}» không phải số liệu (điểm chấm tay, tiền thân): bỏ các dòng này khỏi tệp"),
            format!("«{element}» rows are not figures (manual scores, predecessors): remove them from the file"),
        ));
    }
    Ok(())
}

impl<'a> LongReader<'a> {
    /// Reads one row: an empty or `@name` row is skipped; else its figure is added to its
    /// report, or the first problem found (columns checked in the order of [`Self::figure`])
    /// becomes an error naming sheet, row and column.
    fn row(&mut self, sheet: &str, row: usize, cells: &[RawCell]) {
        let get = |i: usize| cells.get(i).map(|c| c.text()).unwrap_or("");
        if cells.iter().all(RawCell::is_empty) {
            return;
        }
        let (unit, element, period) = (get(0), get(1), get(2));
        if element == "@name" {
            return;
        }
        if let Err(problem) = self.figure((sheet, row), unit, element, period, cells.get(3)) {
            self.errors.push(problem.at(sheet, row));
        }
    }

    /// A row's figure (the row `at`), added to its report: a row that is not reserved, of a
    /// unit the file may name, an element of the regulation, a period of a reported window, a
    /// value, given once.
    fn figure(
        &mut self,
        at: (&str, usize),
        unit: &str,
        element: &str,
        period: &str,
        cell: Option<&RawCell>,
    ) -> Result<(), Problem> {
        not_reserved(element)?;
        let unit_id = self.named_unit(unit)?;
        let el = self.element(element)?;
        let (year, window) = self.reported_window(period)?;
        let value = self.value(el, cell)?;
        if let Some(problem) = self.already_recorded(&unit_id, year, &window) {
            return Err(problem);
        }
        self.add(at, (unit_id, year, window), unit, element, period, value)
    }

    /// The unit a row names, among those the file may name.
    fn named_unit(&self, unit: &str) -> Result<UnitId, Problem> {
        self.unit(unit).ok_or_else(|| {
            Problem::new(
                "unknown_unit",
                0,
                format!("đơn vị «{unit}» không thuộc cụm của giao ước này"),
                format!("unit «{unit}» is not in this covenant's cluster"),
            )
        })
    }

    /// The regulation's data element a row names.
    fn element(&self, element: &str) -> Result<&'a FormElement, Problem> {
        let form: &'a Form = self.form;
        form.elements
            .iter()
            .find(|e| e.id == element)
            .ok_or_else(|| {
                Problem::new(
                    "unknown_element",
                    1,
                    format!("quy định chấm điểm không có số liệu mã «{element}»"),
                    format!("the regulation has no data element «{element}»"),
                )
            })
    }

    /// The year and window key a row's period names: a valid period, of a year the import
    /// takes, naming a window of the calendar that units report (not a sum of such windows).
    fn reported_window(&self, period: &str) -> Result<(i32, String), Problem> {
        let Some((year, window)) = split_period(period) else {
            return Err(Problem::new(
                "invalid_period",
                2,
                format!("kỳ «{period}» không hợp lệ (ví dụ 2024-M03)"),
                format!("invalid period «{period}» (e.g. 2024-M03)"),
            ));
        };
        if !(self.years)(year) {
            return Err(Problem::new(
                "invalid_period",
                2,
                format!("kỳ «{period}»: {}", self.years_vi),
                format!("period «{period}»: {}", self.years_en),
            ));
        }
        match self.windows.find(period, &window) {
            None => Err(Problem::new(
                "unknown_window",
                2,
                format!("lịch báo cáo của phong trào không có kỳ «{window}»"),
                format!("the movement's calendar has no window «{window}»"),
            )),
            Some((key, false)) => Err(Problem::new(
                "summary_window",
                2,
                format!("kỳ «{key}» là tổng của các kỳ báo cáo khác: nhập số liệu theo từng kỳ báo cáo (ví dụ từng tháng)"),
                format!("«{key}» is the sum of other reporting windows: import the figures of each reported window (each month, say)"),
            )),
            Some((key, true)) => Ok((year, key)),
        }
    }

    /// A row's value cell as the element's figure, numbers as the file writes them; an empty
    /// cell is refused.
    fn value(&self, el: &FormElement, cell: Option<&RawCell>) -> Result<FigureValue, Problem> {
        match element_figure(cell.unwrap_or(&RawCell::Empty), self.number, el) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(Problem::new(
                "invalid_number",
                3,
                format!("{}: thiếu giá trị", el.name),
                format!("{}: the value is missing", el.name),
            )),
            Err((code, vi, en)) => Err(Problem::new(code, 3, vi, en)),
        }
    }

    /// Adds a figure (read at the row `at`) to its report (unit, year, window) and counts it;
    /// a figure the file gives twice is refused naming the row that gave it first (the first
    /// value is kept, and nothing is imported).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        at: (&str, usize),
        report: (UnitId, i32, String),
        unit: &str,
        element: &str,
        period: &str,
        value: FigureValue,
    ) -> Result<(), Problem> {
        let key = (
            report.0.clone(),
            report.1,
            report.2.clone(),
            element.to_owned(),
        );
        if let Some((sheet, row)) = self.rows.get(&key) {
            let (first_vi, first_en) = match sheet.as_str() == at.0 {
                true => (format!("dòng {row}"), format!("row {row}")),
                false => (
                    format!("dòng {row} của trang «{sheet}»"),
                    format!("row {row} of sheet «{sheet}»"),
                ),
            };
            return Err(Problem::new(
                "duplicate",
                1,
                format!("«{unit}, {element}, {period}» ghi hai lần (đã có ở {first_vi})"),
                format!("«{unit}, {element}, {period}» appears twice (first at {first_en})"),
            ));
        }
        self.rows.insert(key, (at.0.to_owned(), at.1));
        self.grouped
            .entry(report)
            .or_default()
            .insert(element.to_owned(), value);
        self.values += 1;
        Ok(())
    }
}

/// Which reader a file needs, decided by its first non-empty row.
enum Kind<'a> {
    Unknown,
    Long(LongReader<'a>),
    Template(template::Reader<'a>),
}

fn read_file<'a>(
    upload: Upload<'_>,
    limits: &Limits,
    long: LongReader<'a>,
    form: &'a Form,
    allow_template: bool,
) -> Result<Kind<'a>, ImportErrors> {
    let mut kind = Kind::Unknown;
    let mut long = Some(long);
    table::read(
        upload.bytes,
        upload.file_name,
        limits,
        &mut |sheet, row, cells| {
            if matches!(kind, Kind::Unknown) {
                if cells.iter().all(RawCell::is_empty) {
                    return true;
                }
                if let Some(declared) = number::directive(cells) {
                    if let Some(l) = long.as_mut() {
                        l.declare(sheet, row, declared);
                    }
                    return true;
                }
                if is_long_heading(cells) {
                    kind = Kind::Long(long.take().expect("once"));
                    return true;
                }
                kind = Kind::Template(template::Reader::new(form));
            }
            match &mut kind {
                // Each sheet of a workbook may repeat the heading.
                Kind::Long(_) if is_long_heading(cells) => true,
                Kind::Long(r) => {
                    r.row(sheet, row, cells);
                    !r.errors.is_full()
                }
                Kind::Template(r) => r.row(sheet, row, cells),
                Kind::Unknown => true,
            }
        },
    )
    .map_err(ImportErrors::one)?;
    match &kind {
        Kind::Unknown => return Err(unknown_layout(allow_template)),
        Kind::Template(r) if !allow_template || !r.found_heading => {
            return Err(unknown_layout(allow_template))
        }
        _ => {}
    }
    Ok(kind)
}

/// The error for a file whose layout is not recognised, saying what the import reads (with
/// `allow_template`, the template or the long format; else the long format only).
fn unknown_layout(allow_template: bool) -> ImportErrors {
    ImportErrors::one(ImportError::file(
        "unknown_layout",
        if allow_template {
            "Không nhận ra tệp: dùng biểu mẫu tải từ hệ thống, hoặc các cột unit,element,period,value."
        } else {
            "Không nhận ra tệp: nhập lịch sử dùng các cột unit,element,period,value (như tệp số liệu của «thidua score»)."
        },
        if allow_template {
            "Layout not recognised: use the template downloaded from the system, or the columns unit,element,period,value."
        } else {
            "Layout not recognised: a historical import uses the columns unit,element,period,value (as the data files of «thidua score»)."
        },
    ))
}

/// Why a plan was refused: the file's errors, the domain's refusal of the actor (who may not
/// import these figures) before anything of the units' current figures was read, or a file
/// sent for one report that holds other reports' figures.
#[derive(Debug)]
pub enum PlanError {
    File(ImportErrors),
    Refused(DomainError),
    /// The file was sent for one report (a unit's page for a window) and holds another unit's
    /// figures, or none of that window's: the reports it holds, by unit and window key.
    /// Nothing of the units' current figures was read.
    OtherReport(Vec<(UnitId, String)>),
}

impl From<ImportErrors> for PlanError {
    fn from(e: ImportErrors) -> Self {
        PlanError::File(e)
    }
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::File(e) => e.fmt(f),
            PlanError::Refused(e) => e.fmt(f),
            PlanError::OtherReport(held) => {
                let held: Vec<String> = held.iter().map(|(u, w)| format!("{u} {w}")).collect();
                write!(
                    f,
                    "the file holds the figures of {}, not those of the report it was sent for",
                    held.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for PlanError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PlanError::File(e) => Some(e),
            PlanError::Refused(e) => Some(e),
            PlanError::OtherReport(_) => None,
        }
    }
}

/// A unit's figures from a file, planned for `actor`: the file is read, then the domain
/// decides each report's save as the file gives it (the actor's permission for that unit
/// first: its officers), and only then are the units' current figures read to merge and to
/// list the changes. The web pages, the API and `thidua figures import` plan through here,
/// so nobody sees a unit's figures (its drafts) through an import they may not make.
pub fn plan_reports_as(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
) -> Result<Plan, PlanError> {
    plan_reports_for(state, actor, covenant, upload, limits, None)
}

/// [`plan_reports_as`] for a file sent from one report's page (`page`: its unit and window
/// key): who may not report that unit's figures is refused first, before the file is read
/// (another unit's officer, its leader); then a file that holds another unit's figures, or
/// none of that window's, is refused as [`PlanError::OtherReport`] once it is read, before
/// the domain is asked about its reports — it tells the sender what their own file holds, and
/// nothing of the state.
///
/// Who reports for none of the members is refused before the file is read, the same whatever
/// it holds; a unit's leader (who approves and does not enter figures) is refused for the
/// reports the file holds — `figures_by_officers` naming its unit, or forbidden for a unit
/// they do not lead — rather than for the first unit they lead.
pub fn plan_reports_for(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
    page: Option<(&UnitId, &str)>,
) -> Result<Plan, PlanError> {
    let c = state.covenant(covenant).map_err(PlanError::Refused)?;
    let members = state
        .members(&c.cluster, c.year)
        .map_err(PlanError::Refused)?;
    if let Some((unit, _)) = page {
        // Who may not report the page's unit is refused as such, before the file is read:
        // never told what their file holds instead.
        thidua_domain::figures::reports_any(state, actor, std::slice::from_ref(unit))
            .map_err(PlanError::Refused)?;
    }
    let allowed = thidua_domain::figures::reports_any(state, actor, members);
    if let Err(e) = &allowed {
        if !matches!(e, DomainError::FiguresByOfficers { .. }) {
            return Err(PlanError::Refused(e.clone()));
        }
    }
    let (form, year, reports) = match (read_reports(state, covenant, upload, limits), allowed) {
        (Ok(read), _) => read,
        (Err(e), Ok(())) => return Err(PlanError::File(e)),
        // A leader's file that cannot be read: refused as the leader, not for the file.
        (Err(_), Err(refused)) => return Err(PlanError::Refused(refused)),
    };
    if let Some((unit, window)) = page {
        let other_unit = reports.keys().any(|(u, _)| u != unit);
        let this_window = reports.keys().any(|(_, w)| w == window);
        if other_unit || !this_window {
            return Err(PlanError::OtherReport(reports.into_keys().collect()));
        }
    }
    for ((unit, window), (values, comments, _)) in &reports {
        let save = Command::SaveFigures {
            covenant: covenant.clone(),
            unit: unit.clone(),
            window: window.clone(),
            values: values.clone(),
            comments: comments.clone(),
        };
        thidua_domain::decide(state, actor, save).map_err(PlanError::Refused)?;
    }
    Ok(plan_read(state, covenant, &form, year, reports))
}

/// A unit's figures from a file: its template for one window, or rows
/// `unit,element,period,value` of the covenant's year (merged over the current figures).
/// Planned as the operator, who may see every unit's figures (the demonstration, benches and
/// tests); whoever acts for a person plans with [`plan_reports_as`].
pub fn plan_reports(
    state: &State,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
) -> Result<Plan, ImportErrors> {
    let (form, year, reports) = read_reports(state, covenant, upload, limits)?;
    Ok(plan_read(state, covenant, &form, year, reports))
}

/// The reports a file holds, as read (nothing of the current figures yet).
type ReadReports = (
    std::sync::Arc<Form>,
    i32,
    BTreeMap<(UnitId, String), ReportFigures>,
);

/// Reads a unit's file: the covenant's form and year, and the reports the file holds.
fn read_reports(
    state: &State,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
) -> Result<ReadReports, ImportErrors> {
    let form = state.reporting_form(covenant).map_err(domain)?;
    let c = state.covenant(covenant).map_err(domain)?;
    let year = c.year;
    let members: BTreeSet<UnitId> = state
        .members(&c.cluster, year)
        .map_err(domain)?
        .iter()
        .cloned()
        .collect();
    let same_year = move |y: i32| y == year;
    let long = LongReader::new(
        state,
        &form,
        covenant,
        &members,
        &same_year,
        format!("chỉ nhận kỳ của năm {year}"),
        format!("only periods of {year}"),
    );
    let mut reports: BTreeMap<(UnitId, String), ReportFigures> = BTreeMap::new();
    match read_file(upload, limits, long, &form, true)? {
        Kind::Long(r) => {
            r.errors.into_result()?;
            for ((unit, _, window), values) in r.grouped {
                reports.insert((unit, window), (values, BTreeMap::new(), true));
            }
        }
        Kind::Template(r) => {
            let (report, figures) = template_report(state, covenant, &members, year, upload, r)?;
            reports.insert(report, figures);
        }
        Kind::Unknown => unreachable!("refused by read_file"),
    }
    Ok((form, year, reports))
}

/// The plan of the reports read: each merged over its current figures, with its changes.
fn plan_read(
    state: &State,
    covenant: &CovenantId,
    form: &Form,
    year: i32,
    reports: BTreeMap<(UnitId, String), ReportFigures>,
) -> Plan {
    let planned = reports
        .into_iter()
        .map(|((unit, window), (values, comments, merge))| {
            let mut p = planned(state, form, unit, year, window, values, comments, merge);
            p.unchanged =
                state.figures_save_unchanged(covenant, &p.unit, &p.window, &p.values, &p.comments);
            if p.unchanged {
                // Nothing saved: the saved revision is the one a submission names.
                p.revision -= 1;
            }
            p
        })
        .collect();
    Plan {
        covenant: covenant.clone(),
        reports: planned,
    }
}

/// The report a filled template holds, once its heading names this covenant, a member of its
/// cluster and a window of the covenant's year: refused with the template's own errors if
/// any, else with the first of these problems, named by its heading cell.
fn template_report(
    state: &State,
    covenant: &CovenantId,
    members: &BTreeSet<UnitId>,
    year: i32,
    upload: Upload<'_>,
    r: template::Reader<'_>,
) -> Result<((UnitId, String), ReportFigures), ImportErrors> {
    // Each heading line's problem is told at the row it was read on.
    let rows = ["covenant", "unit", "period"].map(|key| r.heading_row(key).unwrap_or(0));
    let mut errors = r.errors;
    let filled = r.filled;
    let sheet = if table::is_xlsx(upload.bytes) {
        template::SHEET
    } else {
        upload.file_name
    };
    let meta_err = |label: &str, vi: String, en: String| {
        let row = match label {
            template::LABEL_COVENANT => rows[0],
            template::LABEL_UNIT => rows[1],
            _ => rows[2],
        };
        ImportError::file("template_heading", vi, en).at(sheet, row, Some(format!("B ({label})")))
    };
    if errors.is_empty() && filled.covenant != covenant.as_str() {
        errors.push(meta_err(
            template::LABEL_COVENANT,
            format!(
                "biểu mẫu của giao ước «{}», không phải «{covenant}»",
                filled.covenant
            ),
            format!(
                "a template of covenant «{}», not «{covenant}»",
                filled.covenant
            ),
        ));
    }
    let unit = resolve_unit(state, members, &filled.unit);
    if errors.is_empty() && unit.is_none() {
        let (vi, en) = template::not_member_words(state, covenant, &filled.unit);
        errors.push(meta_err(template::LABEL_UNIT, vi, en));
    }
    let period = split_period(&filled.period)
        .filter(|(y, w)| *y == year && state.reporting_window(covenant, w).is_ok());
    if errors.is_empty() && period.is_none() {
        errors.push(meta_err(
            template::LABEL_PERIOD,
            format!("kỳ «{}» không thuộc lịch báo cáo năm {year}", filled.period),
            format!("period «{}» is not in the {year} calendar", filled.period),
        ));
    }
    errors.into_result()?;
    let (unit, (_, window)) = (unit.expect("checked"), period.expect("checked"));
    Ok(((unit, window), (filled.values, filled.comments, false)))
}

/// A report to save, merged over the current figures when the file gives only some, with
/// the figures that change.
#[allow(clippy::too_many_arguments)]
fn planned(
    state: &State,
    form: &Form,
    unit: UnitId,
    year: i32,
    window: String,
    mut values: FigureMap,
    mut comments: BTreeMap<String, Text>,
    merge: bool,
) -> PlannedReport {
    let report = state.figures.report(&unit, year, &window);
    let current = report.map(|r| r.current().as_ref());
    if merge {
        merge_current(state, form, current, &mut values, &mut comments);
    }
    let changes = changes(state, form, current, (&values, &comments));
    PlannedReport {
        revision: report.map_or(1, |r| r.revision + 1),
        unit,
        year,
        window,
        values,
        comments,
        changes,
        unchanged: false,
    }
}

/// A figure of the report's current values; `Missing` without a report or the element.
fn current_cell(state: &State, current: Option<&Values>, id: &str) -> Cell {
    current
        .and_then(|v| state.figures.form(v.form).position(id).map(|p| v.get(p)))
        .unwrap_or(Cell::Missing)
}

/// Adds to a file's figures and comments the report's current ones that the file leaves out.
fn merge_current(
    state: &State,
    form: &Form,
    current: Option<&Values>,
    values: &mut FigureMap,
    comments: &mut BTreeMap<String, Text>,
) {
    for e in &form.elements {
        if !values.contains_key(&e.id) {
            match current_cell(state, current, &e.id) {
                Cell::Number(d) => {
                    values.insert(e.id.clone(), FigureValue::Number(d));
                }
                Cell::NotApplicable => {
                    values.insert(e.id.clone(), FigureValue::NotApplicable);
                }
                Cell::Missing => {}
            }
        }
        if let Some(v) = current {
            let p = state.figures.form(v.form).position(&e.id);
            if let Some(c) = p.and_then(|p| v.comment(p)) {
                comments.entry(e.id.clone()).or_insert_with(|| c.clone());
            }
        }
    }
}

/// The figures and comments the save changes from the report's current ones, in the form's
/// order.
fn changes(
    state: &State,
    form: &Form,
    current: Option<&Values>,
    (values, comments): (&FigureMap, &BTreeMap<String, Text>),
) -> Vec<Change> {
    form.elements
        .iter()
        .filter_map(|e| {
            let after = values.get(&e.id).map_or(Cell::Missing, FigureValue::cell);
            let was = current_cell(state, current, &e.id);
            let said = current_comment(state, current, &e.id);
            let says = comments.get(&e.id).map(|t| t.to_string());
            let comment = (said != says).then_some((said, says));
            (after != was || comment.is_some()).then(|| Change {
                element: e.id.clone(),
                name: e.name.clone(),
                before: was,
                after,
                comment,
            })
        })
        .collect()
}

/// The comment on a figure of the report's current values, if any.
fn current_comment(state: &State, current: Option<&Values>, id: &str) -> Option<String> {
    let v = current?;
    let p = state.figures.form(v.form).position(id)?;
    v.comment(p).map(|t| t.to_string())
}

/// [`plan_historical`] for `actor`: refused, before the file is read, unless the actor may
/// act as the covenant's cluster's secretariat (the permission the domain checks when it
/// records the import).
pub fn plan_historical_as(
    state: &State,
    actor: &Actor,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
) -> Result<HistoricalPlan, PlanError> {
    let cluster = state
        .covenant(covenant)
        .map_err(PlanError::Refused)?
        .cluster
        .clone();
    let manage = thidua_domain::authz::Permission::ManageCluster(cluster);
    thidua_domain::authz::authorise(state, actor, &manage).map_err(PlanError::Refused)?;
    Ok(plan_historical(state, covenant, upload, limits)?)
}

/// Earlier years' approved figures of the covenant's cluster (its members and their
/// predecessors), from a file in the data format of `thidua score --data`.
pub fn plan_historical(
    state: &State,
    covenant: &CovenantId,
    upload: Upload<'_>,
    limits: &Limits,
) -> Result<HistoricalPlan, ImportErrors> {
    let form = state.reporting_form(covenant).map_err(domain)?;
    let c = state.covenant(covenant).map_err(domain)?;
    let year = c.year;
    let (_, year_end) = thidua_domain::command::year_bounds(year);
    let units: BTreeSet<UnitId> = state
        .members(&c.cluster, year)
        .map_err(domain)?
        .iter()
        .flat_map(|m| state.lineage_closure(m, year_end))
        .collect();
    let earlier = move |y: i32| (2000..year).contains(&y);
    let long = LongReader::new(
        state,
        &form,
        covenant,
        &units,
        &earlier,
        format!("nhập lịch sử chỉ nhận các năm trước {year}"),
        format!("a historical import holds only years before {year}"),
    )
    .refusing_recorded(state, covenant);
    let Kind::Long(r) = read_file(upload, limits, long, &form, false)? else {
        unreachable!("templates are refused for historical imports")
    };
    r.errors.into_result()?;
    let file_name = Text::parse(
        "file_name",
        upload.file_name,
        thidua_domain::text::limits::TITLE,
    )
    .map_err(domain)?;
    historical_plan(covenant, upload, file_name, r.values, r.grouped)
}

/// What a historical import of the figures read (`values` of them, by report) would record:
/// one command, refused when the file holds no figures.
fn historical_plan(
    covenant: &CovenantId,
    upload: Upload<'_>,
    file_name: Text,
    values: usize,
    grouped: BTreeMap<(UnitId, i32, String), FigureMap>,
) -> Result<HistoricalPlan, ImportErrors> {
    let years: BTreeSet<i32> = grouped.keys().map(|(_, y, _)| *y).collect();
    let units: BTreeSet<UnitId> = grouped.keys().map(|(u, _, _)| u.clone()).collect();
    if grouped.is_empty() {
        return Err(ImportErrors::one(ImportError::file(
            "empty_file",
            "Tệp không có số liệu nào.",
            "The file holds no figures.",
        )));
    }
    let reports: Vec<HistoricalReport> = grouped
        .into_iter()
        .map(|((unit, year, window), values)| HistoricalReport {
            unit,
            year,
            window,
            values,
        })
        .collect();
    let sha256 = upload.sha256();
    Ok(HistoricalPlan {
        reports: reports.len(),
        values,
        years,
        units,
        sha256: sha256.clone(),
        command: Command::ImportHistoricalFigures {
            covenant: covenant.clone(),
            file_name,
            sha256,
            reports,
        },
    })
}
