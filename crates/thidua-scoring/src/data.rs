//! Reported figures for scoring: reading CSV and JSON data files (all or nothing: a bad row is
//! an error naming the row and the reason), unit names, manual scores, and lineage
//! (`predecessors`: a merged unit's figures for a year are the sum of its predecessors').
//!
//! CSV: header `unit,element,period,value` (`,` or `;` as Vietnamese Excel writes it), one row
//! per figure, RFC 4180 quoting (quoted fields may span lines); `#` starts a comment line, and
//! `# number_format: vi` (or `en`) before the header declares how numbers are written
//! ([`crate::input`]). Reserved elements: `@name` (value = the unit's name; period empty),
//! `@manual:CRITERION` (value = the manual score for that period), `@predecessors` (period = a
//! year such as `2025`, value = the predecessor unit ids separated by spaces or `+`),
//! `@kept:BAND` (period empty, value = the log index of the cluster head's recorded decision
//! keeping the unit in band `BAND` when it is tied exactly at that band's quota cut-off; see
//! [`crate::rank`]).
use crate::ast::valid_id;
use crate::compile::{CompiledRegulation, NodeKind};
use crate::exact::Exact;
use crate::input::{decode_utf8, parse_number, NumberFormat};
use crate::period::{PeriodKey, Window};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataError {
    /// CSV: 1-based line; JSON: 1-based position in its list (or the line of a syntax error).
    pub row: usize,
    /// JSON syntax errors: 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// `figures`, `units`, `manual`, `predecessors`, `kept`, `json` (JSON) or `csv`.
    pub section: &'static str,
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (place, place_en) = match (self.section, self.column) {
            ("csv", _) | (_, Some(_)) => ("dòng".to_string(), "line".to_string()),
            (s, None) => (format!("{s} mục"), format!("{s} item")),
        };
        let (col, col_en) = match self.column {
            Some(c) => (format!(", cột {c}"), format!(", column {c}")),
            None => (String::new(), String::new()),
        };
        write!(
            f,
            "{place} {}{col} [{}]: {} / {place_en} {}{col_en}: {}",
            self.row, self.code, self.message_vi, self.row, self.message_en
        )
    }
}

/// One stored figure.
#[derive(Debug, Clone)]
pub(crate) struct Fig {
    pub window: Window,
    /// The figure; `None` when the unit reported it as not applicable (`na`).
    pub value: Option<Exact>,
    pub row: u32,
}

/// Manual scores of one criterion: (unit, period) → (score, row).
pub(crate) type ManualScores = HashMap<(u32, PeriodKey), (Exact, u32)>;

/// How to read a data file.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// The number format declared outside the file (a command-line flag). A file may declare
    /// its own; both must agree.
    pub number_format: Option<NumberFormat>,
}

/// Figures, names, manual scores and lineage of the units of one data file.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub(crate) units: Vec<String>,
    pub(crate) names: Vec<Option<String>>,
    pub(crate) unit_index: HashMap<String, u32>,
    pub(crate) elements: Vec<String>,
    pub(crate) elem_index: HashMap<String, u32>,
    /// All figures in one block, sorted by (unit, element, window); see [`Dataset::series`].
    pub(crate) figs: Vec<Fig>,
    /// `figs[offsets[k]..offsets[k + 1]]` is series `k = unit * elements.len() + element`.
    pub(crate) offsets: Vec<u32>,
    pub(crate) years: HashSet<(u32, i32)>,
    /// criterion → (unit, period) → (score, row).
    pub(crate) manual: HashMap<String, ManualScores>,
    pub(crate) predecessors: HashMap<(u32, i32), Vec<u32>>,
    /// band → unit → the log index of the decision keeping the unit in that band at a tie on
    /// its quota cut-off (`@kept:BAND`).
    pub(crate) kept: crate::rank::Kept,
    /// Whether the data came from CSV (rows are lines) or JSON (rows are list positions).
    pub source_kind: &'static str,
}

/// A builder that collects rows, then freezes into a [`Dataset`].
#[derive(Default)]
pub struct DatasetBuilder {
    ds: Dataset,
    raw: Vec<(u32, u32, Fig)>,
    preds: Vec<(u32, i32, Vec<String>, u32)>,
    errors: Vec<DataError>,
    section: &'static str,
    format: Option<NumberFormat>,
    /// The last unit and element looked up (rows usually come grouped).
    last_unit: Option<u32>,
    last_elem: Option<u32>,
}

impl DatasetBuilder {
    pub fn new(source_kind: &'static str) -> Self {
        DatasetBuilder {
            ds: Dataset {
                source_kind,
                ..Default::default()
            },
            section: "csv",
            ..Default::default()
        }
    }

    /// Declares how the numbers of the following rows are written.
    pub fn number_format(&mut self, f: NumberFormat) {
        self.format = Some(f);
    }

    fn err(&mut self, row: usize, code: &'static str, vi: String, en: String) {
        if self.errors.len() < 100 {
            self.errors.push(DataError {
                row,
                column: None,
                section: self.section,
                code,
                message_vi: vi,
                message_en: en,
            });
        }
    }

    fn unit(&mut self, row: usize, id: &str) -> Option<u32> {
        if let Some(i) = self.last_unit {
            if self.ds.units[i as usize] == id {
                return Some(i);
            }
        }
        let i = match self.ds.unit_index.get(id) {
            Some(i) => *i,
            None => {
                if !valid_id(id) {
                    self.err(
                        row,
                        "invalid_unit",
                        format!("mã đơn vị `{id}` không hợp lệ"),
                        format!("invalid unit id `{id}`"),
                    );
                    return None;
                }
                let i = self.ds.units.len() as u32;
                self.ds.units.push(id.to_string());
                self.ds.names.push(None);
                self.ds.unit_index.insert(id.to_string(), i);
                i
            }
        };
        self.last_unit = Some(i);
        Some(i)
    }

    fn element(&mut self, row: usize, id: &str) -> Option<u32> {
        // Rows usually repeat the last element or go on to the next one.
        if let Some(e) = self.last_elem {
            for guess in [e, e + 1] {
                if self
                    .ds
                    .elements
                    .get(guess as usize)
                    .is_some_and(|x| x == id)
                {
                    self.last_elem = Some(guess);
                    return Some(guess);
                }
            }
        }
        let e = match self.ds.elem_index.get(id) {
            Some(e) => *e,
            None => {
                if !valid_id(id) {
                    self.err(
                        row,
                        "invalid_element",
                        format!("mã số liệu `{id}` không hợp lệ"),
                        format!("invalid element id `{id}`"),
                    );
                    return None;
                }
                let e = self.ds.elements.len() as u32;
                self.ds.elements.push(id.to_string());
                self.ds.elem_index.insert(id.to_string(), e);
                e
            }
        };
        self.last_elem = Some(e);
        Some(e)
    }

    fn number(&mut self, row: usize, v: &str) -> Option<Exact> {
        // Plain integers are the common case.
        if !v.is_empty() && v.len() < 18 && v.bytes().all(|b| b.is_ascii_digit()) {
            return v.parse::<i64>().ok().map(Exact::int);
        }
        match parse_number(v, self.format.unwrap_or(NumberFormat::Plain)) {
            Ok(d) => Some(Exact::from(d)),
            Err(e) => {
                self.err(row, e.code, e.vi, e.en);
                None
            }
        }
    }

    fn period(&mut self, row: usize, p: &str) -> Option<PeriodKey> {
        // The common `2024-M03` without the general parser.
        if let [y0, y1, y2, y3, b'-', b'M', m0, m1] = *p.as_bytes() {
            let d = |c: u8| c.wrapping_sub(b'0') as i32;
            if [y0, y1, y2, y3, m0, m1].iter().all(u8::is_ascii_digit) {
                let year = d(y0) * 1000 + d(y1) * 100 + d(y2) * 10 + d(y3);
                let month = (d(m0) * 10 + d(m1)) as u8;
                if let Some(k) = PeriodKey::new(year, crate::period::PeriodKind::Month(month)) {
                    return Some(k);
                }
            }
        }
        match p.parse::<PeriodKey>() {
            Ok(k) => Some(k),
            Err(_) => {
                self.err(
                    row,
                    "invalid_period",
                    format!(
                        "kỳ `{p}` không hợp lệ (ví dụ 2024-M03, 2024-Q1, 2024-H1, 2024-9M, 2024-Y)"
                    ),
                    format!(
                        "invalid period `{p}` (e.g. 2024-M03, 2024-Q1, 2024-H1, 2024-9M, 2024-Y)"
                    ),
                );
                None
            }
        }
    }

    /// Adds a figure.
    pub fn figure(&mut self, row: usize, unit: &str, element: &str, period: &str, value: &str) {
        let u = self.unit(row, unit);
        let Some(e) = self.element(row, element) else {
            return;
        };
        let p = self.period(row, period);
        let v = match is_not_applicable(value) {
            true => Some(None),
            false => self.number(row, value).map(Some),
        };
        let (Some(u), Some(p), Some(v)) = (u, p, v) else {
            return;
        };
        self.push(u, e, p, v, row);
    }

    /// Adds a figure the unit reported as not applicable (`na` in a data file): the engine
    /// says so rather than "missing", and uses the element's declared `missing` value if any.
    pub fn figure_not_applicable(
        &mut self,
        row: usize,
        unit: &str,
        element: &str,
        period: PeriodKey,
    ) {
        let u = self.unit(row, unit);
        let Some(e) = self.element(row, element) else {
            return;
        };
        let Some(u) = u else {
            return;
        };
        self.push(u, e, period, None, row);
    }

    /// Adds a figure already read: the same as [`DatasetBuilder::figure`] with the period and
    /// the value as they would be parsed, for callers that hold exact values (the log's
    /// approved figures) rather than text.
    pub fn figure_value(
        &mut self,
        row: usize,
        unit: &str,
        element: &str,
        period: PeriodKey,
        value: Exact,
    ) {
        let u = self.unit(row, unit);
        let Some(e) = self.element(row, element) else {
            return;
        };
        let Some(u) = u else {
            return;
        };
        self.push(u, e, period, Some(value), row);
    }

    fn push(&mut self, u: u32, e: u32, p: PeriodKey, v: Option<Exact>, row: usize) {
        self.raw.push((
            u,
            e,
            Fig {
                window: p.window(),
                value: v,
                row: row as u32,
            },
        ));
    }

    /// Sets a unit's display name.
    pub fn name(&mut self, row: usize, unit: &str, name: &str) {
        if let Some(u) = self.unit(row, unit) {
            let n: String = name.trim().nfc().collect();
            if n.is_empty() {
                self.err(
                    row,
                    "empty_name",
                    "tên đơn vị trống".into(),
                    "empty unit name".into(),
                );
            }
            self.ds.names[u as usize] = Some(n);
        }
    }

    /// Adds the cluster head's decision (recorded at log index `decision`) keeping `unit` in
    /// `band` when it is tied exactly at that band's quota cut-off.
    pub fn kept(&mut self, row: usize, unit: &str, band: &str, period: &str, decision: &str) {
        if !valid_id(unit) || !valid_id(band) {
            let what = if valid_id(unit) { band } else { unit };
            self.err(
                row,
                "invalid_id",
                format!("mã `{what}` không hợp lệ"),
                format!("invalid id `{what}`"),
            );
            return;
        }
        if !period.is_empty() {
            self.err(
                row,
                "invalid_period",
                "quyết định giữ xếp loại không ghi kỳ: để trống cột kỳ".into(),
                "a decision keeping a band has no period: leave the period empty".into(),
            );
            return;
        }
        let Ok(index) = decision.trim().parse::<u64>() else {
            self.err(
                row,
                "invalid_decision",
                format!("`{decision}` không phải số thứ tự trong sổ ghi của quyết định"),
                format!("`{decision}` is not the log index of the decision"),
            );
            return;
        };
        let before = self
            .ds
            .kept
            .entry(band.to_string())
            .or_default()
            .insert(unit.to_string(), index);
        if before.is_some() {
            self.err(
                row,
                "duplicate",
                format!("quyết định giữ `{unit}` ở xếp loại `{band}` bị lặp"),
                format!("the decision keeping `{unit}` in band `{band}` is given twice"),
            );
        }
    }

    /// Adds a manual score.
    pub fn manual(&mut self, row: usize, unit: &str, criterion: &str, period: &str, value: &str) {
        let u = self.unit(row, unit);
        if !valid_id(criterion) {
            self.err(
                row,
                "invalid_criterion",
                format!("mã tiêu chí `{criterion}` không hợp lệ"),
                format!("invalid criterion id `{criterion}`"),
            );
            return;
        }
        let p = self.period(row, period);
        let v = self.number(row, value);
        let (Some(u), Some(p), Some(v)) = (u, p, v) else {
            return;
        };
        let before = self
            .ds
            .manual
            .entry(criterion.to_string())
            .or_default()
            .insert((u, p), (v, row as u32));
        if let Some((_, first)) = before {
            self.err(
                row,
                "duplicate",
                format!("điểm chấm thủ công `{criterion}` của `{unit}` kỳ {p} bị lặp (đã có ở dòng {first})"),
                format!("manual score `{criterion}` of `{unit}` for {p} is given twice (first at line {first})"),
            );
        }
    }

    /// Declares that `unit`'s figures for reporting year `year` are the sum of `from`'s.
    pub fn predecessors(&mut self, row: usize, unit: &str, year: &str, from: &[String]) {
        let u = self.unit(row, unit);
        let y = match year.parse::<i32>() {
            Ok(y) if (1900..=9999).contains(&y) && year.len() == 4 => Some(y),
            _ => {
                self.err(
                    row,
                    "invalid_period",
                    format!("năm `{year}` không hợp lệ"),
                    format!("invalid year `{year}`"),
                );
                None
            }
        };
        if from.is_empty() {
            self.err(
                row,
                "invalid_lineage",
                "danh sách đơn vị tiền thân trống".into(),
                "empty predecessor list".into(),
            );
        }
        for f in from {
            if !valid_id(f) {
                self.err(
                    row,
                    "invalid_unit",
                    format!("mã đơn vị `{f}` không hợp lệ"),
                    format!("invalid unit id `{f}`"),
                );
            }
        }
        if let (Some(u), Some(y)) = (u, y) {
            if self.preds.iter().any(|p| p.0 == u && p.1 == y) {
                self.err(
                    row,
                    "duplicate",
                    format!("tiền thân của `{unit}` năm {y} khai báo hai lần"),
                    format!("predecessors of `{unit}` for {y} given twice"),
                );
            }
            self.preds.push((u, y, from.to_vec(), row as u32));
        }
    }

    /// Takes in the rows another builder read from a later piece of the same file: units and
    /// elements are matched by id, a later name wins, a manual score or a lineage given in
    /// both is a duplicate, as if the rows had been read one after the other.
    fn absorb(&mut self, mut o: DatasetBuilder) {
        self.last_unit = None;
        self.last_elem = None;
        if self.ds.units.is_empty() && self.raw.is_empty() && self.ds.manual.is_empty() {
            // The first piece: take it whole.
            o.errors.splice(0..0, std::mem::take(&mut self.errors));
            o.format = self.format;
            o.section = self.section;
            *self = o;
            return;
        }
        let units: Vec<u32> =
            o.ds.units
                .iter()
                .map(|id| match self.ds.unit_index.get(id) {
                    Some(i) => *i,
                    None => {
                        let i = self.ds.units.len() as u32;
                        self.ds.units.push(id.clone());
                        self.ds.names.push(None);
                        self.ds.unit_index.insert(id.clone(), i);
                        i
                    }
                })
                .collect();
        for (i, n) in o.ds.names.iter_mut().enumerate() {
            if let Some(n) = n.take() {
                self.ds.names[units[i] as usize] = Some(n);
            }
        }
        let elems: Vec<u32> =
            o.ds.elements
                .iter()
                .map(|id| match self.ds.elem_index.get(id) {
                    Some(e) => *e,
                    None => {
                        let e = self.ds.elements.len() as u32;
                        self.ds.elements.push(id.clone());
                        self.ds.elem_index.insert(id.clone(), e);
                        e
                    }
                })
                .collect();
        self.raw.reserve(o.raw.len());
        self.raw.extend(
            o.raw
                .into_iter()
                .map(|(u, e, f)| (units[u as usize], elems[e as usize], f)),
        );
        for (crit, scores) in o.ds.manual {
            for ((u, p), (v, row)) in scores {
                let unit = self.ds.units[units[u as usize] as usize].clone();
                let before = self
                    .ds
                    .manual
                    .entry(crit.clone())
                    .or_default()
                    .insert((units[u as usize], p), (v, row));
                if let Some((_, first)) = before {
                    self.err(
                        row as usize,
                        "duplicate",
                        format!("điểm chấm thủ công `{crit}` của `{unit}` kỳ {p} bị lặp (đã có ở dòng {first})"),
                        format!("manual score `{crit}` of `{unit}` for {p} is given twice (first at line {first})"),
                    );
                }
            }
        }
        for (u, y, from, row) in o.preds {
            let u = units[u as usize];
            if self.preds.iter().any(|p| p.0 == u && p.1 == y) {
                let unit = self.ds.units[u as usize].clone();
                self.err(
                    row as usize,
                    "duplicate",
                    format!("tiền thân của `{unit}` năm {y} khai báo hai lần"),
                    format!("predecessors of `{unit}` for {y} given twice"),
                );
            }
            self.preds.push((u, y, from, row));
        }
        for e in o.errors {
            if self.errors.len() < 100 {
                self.errors.push(e);
            }
        }
    }

    /// One walk over the sorted rows: the series offsets (see [`Dataset::offsets`]), each
    /// unit's years, and the rows of one unit and element whose windows overlap (the same
    /// window twice, or a window given both as a whole and month by month: which one would
    /// count?), reported as errors.
    fn index(&mut self) -> Vec<u32> {
        let ne = self.ds.elements.len();
        let nseries = self.ds.units.len() * ne;
        let mut offsets = Vec::with_capacity(nseries + 1);
        offsets.push(0u32);
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.raw.len() {
            let (u, e) = (self.raw[i].0, self.raw[i].1);
            offsets.resize(u as usize * ne + e as usize + 1, i as u32);
            let mut j = i;
            // Within the series (sorted by window): the widest window seen so far in the year.
            let mut open: Option<&Fig> = None;
            while j < self.raw.len() && self.raw[j].0 == u && self.raw[j].1 == e {
                let f = &self.raw[j].2;
                let prev = (j > i).then(|| &self.raw[j - 1].2);
                if prev.is_none_or(|p| p.window.year != f.window.year) {
                    self.ds.years.insert((u, f.window.year));
                }
                if let Some(p) = prev.filter(|p| p.window == f.window) {
                    // The same window again: a duplicate of the row just before.
                    found.push((u, e, p.clone(), f.clone()));
                } else if let Some(o) = open.filter(|o| o.window.year == f.window.year) {
                    if f.window.first <= o.window.last {
                        found.push((u, e, o.clone(), f.clone()));
                    }
                    if f.window.last > o.window.last {
                        open = Some(f);
                    }
                } else {
                    open = Some(f);
                }
                j += 1;
            }
            i = j;
        }
        offsets.resize(nseries + 1, self.raw.len() as u32);
        for (u, e, a, b) in found {
            let unit = self.ds.units[u as usize].clone();
            let el = self.ds.elements[e as usize].clone();
            let (first, second) = if a.row < b.row { (a, b) } else { (b, a) };
            if first.window == second.window {
                self.err(
                    second.row as usize,
                    "duplicate",
                    format!(
                        "số liệu `{el}` của `{unit}` kỳ {} bị lặp (đã có ở dòng {})",
                        second.window, first.row
                    ),
                    format!(
                        "figure `{el}` of `{unit}` for {} is given twice (first at line {})",
                        second.window, first.row
                    ),
                );
            } else {
                self.err(
                    second.row as usize,
                    "conflicting_rows",
                    format!(
                        "số liệu `{el}` của `{unit}`: dòng {} (kỳ {}) và dòng {} (kỳ {}) cùng báo cáo một khoảng thời gian; chỉ giữ một cách báo cáo (cả kỳ hoặc từng tháng)",
                        first.row, first.window, second.row, second.window
                    ),
                    format!(
                        "figure `{el}` of `{unit}`: line {} ({}) and line {} ({}) report the same time; keep one (the whole window or its months)",
                        first.row, first.window, second.row, second.window
                    ),
                );
            }
        }
        offsets
    }

    /// Freezes; fails with every error found (nothing is imported).
    pub fn finish(mut self) -> Result<Dataset, Vec<DataError>> {
        let preds = std::mem::take(&mut self.preds);
        for (u, y, from, row) in preds {
            let mut ids = Vec::new();
            for f in &from {
                if let Some(i) = self.unit(row as usize, f) {
                    ids.push(i);
                }
            }
            self.ds.predecessors.insert((u, y), ids);
        }
        sort_rows(&mut self.raw);
        let offsets = self.index();
        self.errors.sort_by_key(|e| e.row);
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let raw = std::mem::take(&mut self.raw);
        self.ds.offsets = offsets;
        // The rows' own allocation is reused for the figures (no second copy of the file).
        self.ds.figs = raw.into_iter().map(|(_, _, f)| f).collect();
        for m in self.ds.manual.values() {
            for (u, p) in m.keys() {
                self.ds.years.insert((*u, p.year));
            }
        }
        Ok(self.ds)
    }
}

/// Orders rows by unit, element, window and line. Files usually come grouped by unit and
/// element: each group is sorted on its own (a handful of rows), and the whole only when the
/// groups themselves are out of order.
fn sort_rows(raw: &mut [(u32, u32, Fig)]) {
    let key = |r: &(u32, u32, Fig)| (r.0, r.1, r.2.window, r.2.row);
    let mut grouped = true;
    let mut start = 0;
    while start < raw.len() {
        let (u, e) = (raw[start].0, raw[start].1);
        let mut end = start + 1;
        while end < raw.len() && raw[end].0 == u && raw[end].1 == e {
            end += 1;
        }
        raw[start..end].sort_unstable_by_key(key);
        if end < raw.len() && (raw[end].0, raw[end].1) <= (u, e) {
            grouped = false;
            break;
        }
        start = end;
    }
    if !grouped {
        raw.sort_unstable_by_key(key);
    }
}

/// The declared format: the file's and the caller's must agree.
fn declared(
    b: &mut DatasetBuilder,
    row: usize,
    file: Option<&str>,
    outside: Option<NumberFormat>,
) -> Option<NumberFormat> {
    let in_file = match file {
        None => None,
        Some(name) => match NumberFormat::from_name(name) {
            Some(f) => Some(f),
            None => {
                b.err(
                    row,
                    "number_format",
                    format!("cách viết số `{name}` không có; dùng `vi` (1.234,5), `en` (1,234.5) hoặc `plain` (1234.5)"),
                    format!("unknown number format `{name}`; use `vi` (1.234,5), `en` (1,234.5) or `plain` (1234.5)"),
                );
                None
            }
        },
    };
    match (in_file, outside) {
        (Some(a), Some(b2)) if a != b2 => {
            b.err(
                row,
                "number_format",
                format!(
                    "tệp khai báo cách viết số `{}` nhưng tham số yêu cầu `{}`",
                    a.name(),
                    b2.name()
                ),
                format!(
                    "the file declares number format `{}` but `{}` was asked for",
                    a.name(),
                    b2.name()
                ),
            );
            None
        }
        (a, b2) => a.or(b2),
    }
}

/// An element's domain with its bounds as exact values, for checking many figures.
struct Domain<'r> {
    el: &'r crate::ast::Element,
    min: Option<Exact>,
    max: Option<Exact>,
}

impl<'r> Domain<'r> {
    fn of(el: &'r crate::ast::Element) -> Self {
        Domain {
            el,
            min: el.min.map(Exact::from),
            max: el.max.map(Exact::from),
        }
    }
    /// No bound at all: every figure is inside.
    fn open(&self) -> bool {
        self.min.is_none() && self.max.is_none() && !self.el.integer
    }
    /// Whether a figure is outside (the message is made by `outside_domain`).
    fn outside(&self, v: &Exact) -> bool {
        self.min.as_ref().is_some_and(|m| v < m)
            || self.max.as_ref().is_some_and(|m| v > m)
            || (self.el.integer && !v.is_integer())
    }
}

impl Dataset {
    /// Reads a data file's bytes: UTF-8 (legacy Vietnamese encodings are recognised and
    /// refused with advice), CSV or JSON by `json`.
    pub fn from_bytes(
        bytes: &[u8],
        json: bool,
        opts: ReadOptions,
    ) -> Result<Dataset, Vec<DataError>> {
        let text = decode_utf8(bytes).map_err(|e| {
            vec![DataError {
                row: e.line,
                column: None,
                section: if json { "json" } else { "csv" },
                code: "encoding",
                message_vi: e.message_vi(),
                message_en: e.message_en(),
            }]
        })?;
        if json {
            Dataset::from_json_with(text, opts)
        } else {
            Dataset::from_csv_with(text, opts)
        }
    }

    /// Parses a CSV data file (numbers plain unless the file declares a format).
    pub fn from_csv(text: &str) -> Result<Dataset, Vec<DataError>> {
        Dataset::from_csv_with(text, ReadOptions::default())
    }

    /// Parses a CSV data file.
    pub fn from_csv_with(text: &str, opts: ReadOptions) -> Result<Dataset, Vec<DataError>> {
        let mut b = DatasetBuilder::new("csv");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Comment lines before the header may declare the number format; the header tells the
        // separator.
        let mut file_format: Option<(usize, String)> = None;
        let mut header: Option<&str> = None;
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            if t.starts_with('#') {
                if let Some(f) = crate::input::number_format_directive(t) {
                    file_format = Some((i + 1, f.to_string()));
                }
                continue;
            }
            header = Some(t);
            break;
        }
        let Some(header) = header else {
            b.err(
                1,
                "csv_header",
                "tệp trống, thiếu dòng tiêu đề".into(),
                "empty file, no header".into(),
            );
            return Err(b.errors);
        };
        let row0 = file_format.as_ref().map(|x| x.0).unwrap_or(1);
        let fmt = declared(
            &mut b,
            row0,
            file_format.as_ref().map(|x| x.1.as_str()),
            opts.number_format,
        );
        if let Some(f) = fmt {
            b.number_format(f);
        }
        let delim = if header.contains(';') && !header.contains(',') {
            b';'
        } else {
            b','
        };
        // Large files are read in pieces on every core; pieces end at line breaks outside quotes.
        let pieces = if text.len() > PARALLEL_BYTES {
            std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
        } else {
            1
        };
        read_csv(b, text, delim, pieces)
    }

    /// Parses a JSON data file (numbers plain unless the file declares a format):
    /// `{"number_format": "vi", "units":[{"id","name"}], "figures":[{"unit","element","period","value"}],
    ///   "manual":[{"unit","criterion","period","score"}], "predecessors":[{"unit","year","from":[..]}],
    ///   "kept":[{"unit","band","decision"}]}`.
    /// Numbers: strings (`"95.5"`) or JSON integers; JSON fractions are refused (they would pass
    /// through binary floats).
    pub fn from_json(text: &str) -> Result<Dataset, Vec<DataError>> {
        Dataset::from_json_with(text, ReadOptions::default())
    }

    /// Parses a JSON data file.
    pub fn from_json_with(text: &str, opts: ReadOptions) -> Result<Dataset, Vec<DataError>> {
        let mut b = DatasetBuilder::new("json");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // What the JSON reader would take silently (a key given twice: the last wins) or name
        // wrongly (a number beyond any float: "syntax"), with its line and column.
        if let Some(e) = json_prescan(text) {
            b.errors.push(e);
            return Err(b.errors);
        }
        let root: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                b.section = "json";
                b.errors.push(DataError {
                    row: e.line(),
                    column: Some(e.column()),
                    section: "json",
                    code: "json_syntax",
                    message_vi: format!("JSON không hợp lệ: {}", json_reason_vi(&e)),
                    message_en: format!("invalid JSON: {e}"),
                });
                return Err(b.errors);
            }
        };
        let Some(obj) = root.as_object() else {
            b.section = "json";
            b.err(
                1,
                "json_shape",
                "gốc phải là một đối tượng".into(),
                "the root must be an object".into(),
            );
            return Err(b.errors);
        };
        b.section = "json";
        for k in obj.keys() {
            if ![
                "note",
                "number_format",
                "units",
                "figures",
                "manual",
                "predecessors",
                "kept",
            ]
            .contains(&k.as_str())
            {
                b.err(
                    1,
                    "json_shape",
                    format!("khoá `{k}` không có"),
                    format!("unknown key `{k}`"),
                );
            }
        }
        let file_format = obj.get("number_format").and_then(|v| v.as_str());
        if let Some(f) = declared(&mut b, 1, file_format, opts.number_format) {
            b.number_format(f);
        }
        json_sections(&mut b, obj);
        b.finish()
    }

    /// The figures of one unit and element, sorted by window.
    pub(crate) fn series(&self, unit: u32, elem: u32) -> &[Fig] {
        let k = unit as usize * self.elements.len() + elem as usize;
        match (self.offsets.get(k), self.offsets.get(k + 1)) {
            (Some(a), Some(b)) => self.figs.get(*a as usize..*b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Unit ids in order of first appearance.
    pub fn unit_ids(&self) -> &[String] {
        &self.units
    }

    /// The display name of a unit, if given.
    pub fn unit_name(&self, unit: &str) -> Option<&str> {
        self.unit_index
            .get(unit)
            .and_then(|u| self.names[*u as usize].as_deref())
    }

    /// Units that report (figures, manual scores or lineage) in reporting year `year`.
    pub fn units_in_year(&self, year: i32) -> Vec<&str> {
        (0..self.units.len() as u32)
            .filter(|u| {
                self.years.contains(&(*u, year)) || self.predecessors.contains_key(&(*u, year))
            })
            .map(|u| self.units[u as usize].as_str())
            .collect()
    }

    /// Number of figures stored.
    pub fn figure_count(&self) -> usize {
        self.figs.len()
    }

    /// Checks the data against a regulation: unknown elements, figures outside their element's
    /// domain (`min`, `max`, `integer`), manual scores for criteria that are not manual or out
    /// of range.
    pub fn check(&self, reg: &CompiledRegulation) -> Result<(), Vec<DataError>> {
        let section = if self.source_kind == "csv" {
            "csv"
        } else {
            "figures"
        };
        let mut errs = Vec::new();
        let known: HashMap<&str, usize> = reg
            .ast
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        // Per data element: its regulation element and domain bounds as exact values (made
        // once, not per figure); `None` for an element the regulation does not know.
        let doms: Vec<Option<Domain>> = self
            .elements
            .iter()
            .map(|id| {
                known
                    .get(id.as_str())
                    .map(|i| Domain::of(&reg.ast.elements[*i]))
            })
            .collect();
        // The first line of each unknown element.
        let mut unknown: Vec<Option<u32>> = vec![None; self.elements.len()];
        // One pass over the figures in storage order: series k is (unit k / n, element k % n).
        let ne = self.elements.len().max(1);
        for (k, w) in self.offsets.windows(2).enumerate() {
            let figs = self.figs.get(w[0] as usize..w[1] as usize).unwrap_or(&[]);
            match &doms[k % ne] {
                None => {
                    let first = figs.iter().map(|f| f.row).min();
                    let u = &mut unknown[k % ne];
                    *u = match (*u, first) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                Some(d) if d.open() => {}
                Some(d) => {
                    for (f, v) in figs.iter().filter_map(|f| Some((f, f.value.as_ref()?))) {
                        if !d.outside(v) {
                            continue;
                        }
                        if let Some((vi, en)) = crate::compile::outside_domain(d.el, v) {
                            errs.push(data_err(f.row as usize, section, "out_of_domain", vi, en));
                        }
                    }
                }
            }
        }
        for (e, id) in self.elements.iter().enumerate() {
            if doms[e].is_none() {
                errs.push(data_err(
                    unknown[e].unwrap_or(0) as usize,
                    section,
                    "unknown_element",
                    format!("số liệu `{id}` không có trong quy định"),
                    format!("element `{id}` is not in the regulation"),
                ));
            }
        }
        self.check_manual(reg, &mut errs);
        errs.sort_by_key(|e| e.row);
        errs.truncate(100);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    fn check_manual(&self, reg: &CompiledRegulation, errs: &mut Vec<DataError>) {
        let section = if self.source_kind == "csv" {
            "csv"
        } else {
            "manual"
        };
        let mut manual: Vec<(&String, &(Exact, u32))> = self
            .manual
            .iter()
            .flat_map(|(c, m)| m.values().map(move |x| (c, x)))
            .collect();
        manual.sort_by_key(|(_, (_, row))| *row);
        for (crit, (v, row)) in manual {
            match reg.nodes.iter().find(|n| n.id == *crit) {
                Some(n) if matches!(n.kind, NodeKind::Manual) => {
                    if v.is_negative() || *v > n.max {
                        errs.push(data_err(
                            *row as usize,
                            section,
                            "manual_out_of_range",
                            format!(
                                "điểm `{crit}` = {} ngoài khoảng 0..{}",
                                crate::render::vi_num(v),
                                crate::num::vi(n.points)
                            ),
                            format!("score for `{crit}` = {v} is outside 0..{}", n.points),
                        ));
                    }
                }
                _ => errs.push(data_err(
                    *row as usize,
                    section,
                    "not_manual",
                    format!("`{crit}` không phải tiêu chí chấm thủ công của quy định"),
                    format!("`{crit}` is not a manual criterion of the regulation"),
                )),
            }
        }
    }
}

fn data_err(
    row: usize,
    section: &'static str,
    code: &'static str,
    vi: String,
    en: String,
) -> DataError {
    DataError {
        row,
        column: None,
        section,
        code,
        message_vi: vi,
        message_en: en,
    }
}

/// Reads the CSV body in `pieces` (in parallel when more than one) and freezes.
fn read_csv(
    mut b: DatasetBuilder,
    text: &str,
    delim: u8,
    pieces: usize,
) -> Result<Dataset, Vec<DataError>> {
    let (open_quote, cuts) = scan_quotes(text, pieces);
    if let Some(line) = open_quote {
        b.err(
            line,
            "csv_syntax",
            "dấu nháy mở ở dòng này không được đóng".into(),
            "a quote opened on this line is never closed".into(),
        );
        return Err(b.errors);
    }
    let parts: Vec<(usize, &str)> = cuts
        .iter()
        .zip(cuts.iter().skip(1).map(|c| c.0).chain([text.len()]))
        .map(|(&(at, line), end)| (line, &text[at..end]))
        .collect();
    let format = b.format;
    let read = |(i, (line0, piece)): (usize, &(usize, &str))| {
        let mut p = DatasetBuilder::new("csv");
        p.format = format;
        read_csv_piece(&mut p, piece, *line0, i == 0, delim);
        p
    };
    let builders: Vec<DatasetBuilder> = if parts.len() == 1 {
        parts.iter().enumerate().map(read).collect()
    } else {
        std::thread::scope(|sc| {
            let hs: Vec<_> = parts
                .iter()
                .enumerate()
                .map(|x| sc.spawn(move || read(x)))
                .collect();
            hs.into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    for p in builders {
        b.absorb(p);
    }
    b.finish()
}

/// Files above this size are read on several cores.
const PARALLEL_BYTES: usize = 4 << 20;

/// One pass over the text: the line of a quote that is never closed (the reader would swallow
/// the rest of the file), and where to cut it into `pieces` (byte offset, first line number):
/// at line starts outside quotes, the first piece at 0.
fn scan_quotes(text: &str, pieces: usize) -> (Option<usize>, Vec<(usize, usize)>) {
    let b = text.as_bytes();
    if memchr::memchr(b'"', b).is_none() {
        // No quotes (the usual figures file): cut after any line break.
        let mut cuts = vec![(0, 1)];
        let (mut from, mut line) = (0, 1);
        for k in 1..pieces.max(1) {
            let target = b.len() * k / pieces;
            if target <= from {
                continue;
            }
            let Some(nl) = memchr::memchr(b'\n', &b[target..]) else {
                break;
            };
            let at = target + nl + 1;
            if at >= b.len() {
                break;
            }
            line += memchr::memchr_iter(b'\n', &b[from..at]).count();
            cuts.push((at, line));
            from = at;
        }
        return (None, cuts);
    }
    let mut cuts = vec![(0, 1)];
    let step = b.len() / pieces.max(1) + 1;
    let mut next_cut = step;
    let mut quoted_at = None;
    let mut line = 1;
    let mut line_start = true;
    let mut in_comment = false;
    for (i, &c) in b.iter().enumerate() {
        if line_start && quoted_at.is_none() {
            in_comment = c == b'#';
            if i >= next_cut && cuts.len() < pieces {
                cuts.push((i, line));
                next_cut = i + step;
            }
        }
        line_start = false;
        match c {
            b'\n' => {
                line += 1;
                line_start = true;
                in_comment = false;
            }
            b'"' if !in_comment => {
                quoted_at = match quoted_at {
                    None => Some(line),
                    Some(_) => None,
                };
            }
            _ => {}
        }
    }
    (quoted_at, cuts)
}

/// Reads one piece of a CSV file (the first holds the header); `line0` is the file's line
/// number of the piece's first line.
fn read_csv_piece(b: &mut DatasetBuilder, text: &str, line0: usize, header: bool, delim: u8) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(delim)
        .from_reader(text.as_bytes());
    // The text is UTF-8 already: a string record is checked field by field in place, with no
    // allocation per row.
    let mut srec = csv::StringRecord::new();
    b.raw.reserve(text.len() / 24);
    let mut header_seen = !header;
    loop {
        let line = rdr.position().line() as usize + line0 - 1;
        match rdr.read_record(&mut srec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let row = e.position().map_or(line, |p| p.line() as usize + line0 - 1);
                b.err(
                    row,
                    "csv_syntax",
                    format!("dòng CSV không đọc được: {e}"),
                    format!("unreadable CSV line: {e}"),
                );
                break;
            }
        }
        let row = srec
            .position()
            .map_or(line, |p| p.line() as usize + line0 - 1);
        let field = |i: usize| srec.get(i).unwrap_or("").trim_ascii();
        if srec.len() == 1 && field(0).is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            let head: Vec<&str> = (0..srec.len()).map(field).collect();
            if head != ["unit", "element", "period", "value"] {
                let sep = delim as char;
                b.err(
                    row,
                    "csv_header",
                    format!("dòng tiêu đề phải là `unit{sep}element{sep}period{sep}value`"),
                    format!("the header must be `unit{sep}element{sep}period{sep}value`"),
                );
                return;
            }
            continue;
        }
        if srec.len() != 4 {
            b.err(
                row,
                "csv_columns",
                format!("cần 4 cột, có {}", srec.len()),
                format!("expected 4 columns, found {}", srec.len()),
            );
            continue;
        }
        csv_row(b, row, field(0), field(1), field(2), field(3));
    }
}

/// Whether a data file's value says "not applicable": `na` or `n/a` (any case), as the
/// server's export writes a figure a unit reported as not applicable.
pub fn is_not_applicable(value: &str) -> bool {
    let v = value.trim();
    v.eq_ignore_ascii_case("na") || v.eq_ignore_ascii_case("n/a")
}

/// One CSV row: a figure or a reserved element.
fn csv_row(
    b: &mut DatasetBuilder,
    row: usize,
    unit: &str,
    element: &str,
    period: &str,
    value: &str,
) {
    if element == "@name" {
        b.name(row, unit, crate::input::undefused(value));
    } else if let Some(c) = element.strip_prefix("@manual:") {
        b.manual(row, unit, c, period, value);
    } else if element == "@predecessors" {
        let from: Vec<String> = value
            .split([' ', '+'])
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        b.predecessors(row, unit, period, &from);
    } else if let Some(band) = element.strip_prefix("@kept:") {
        b.kept(row, unit, band, period, value);
    } else if element.starts_with('@') {
        b.err(
            row,
            "invalid_element",
            format!("mục dành riêng `{element}` không có"),
            format!("unknown reserved element `{element}`"),
        );
    } else {
        b.figure(row, unit, element, period, value);
    }
}

/// serde_json's reason in Vietnamese for the common cases (the English message is serde's).
/// One pass over a JSON text for what serde_json's reader takes silently or names wrongly: a key
/// given twice in one object (the reader keeps the last, so a figure would change with no
/// word) and a number too large for a figure (the reader calls `1e400` a syntax error), each
/// as an error at its line and column (characters, 1-based). `None` when the text has neither,
/// or is not JSON at all (the reader then says where).
fn json_prescan(text: &str) -> Option<DataError> {
    let mut scan = JsonScan {
        text,
        at: 0,
        line: 1,
        column: 1,
    };
    match scan.value(0) {
        Err(Some(e)) => Some(e),
        _ => None,
    }
}

/// The position of [`json_prescan`] in its text.
struct JsonScan<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    column: usize,
}

/// `Err(None)`: not JSON (the reader says where); `Err(Some(e))`: what the scan is for.
type Scanned = Result<(), Option<DataError>>;

impl JsonScan<'_> {
    /// Deeper than this, the reader refuses the file itself.
    const MAX_DEPTH: usize = 128;

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        match b {
            b'\n' => {
                self.line += 1;
                self.column = 1;
            }
            // A character's first byte counts a column; its continuation bytes do not.
            b if b & 0xC0 != 0x80 => self.column += 1,
            _ => {}
        }
        Some(b)
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn error(
        &self,
        line: usize,
        column: usize,
        code: &'static str,
        vi: String,
        en: String,
    ) -> Scanned {
        Err(Some(DataError {
            row: line,
            column: Some(column),
            section: "json",
            code,
            message_vi: vi,
            message_en: en,
        }))
    }

    fn value(&mut self, depth: usize) -> Scanned {
        if depth > Self::MAX_DEPTH {
            return Err(None);
        }
        self.space();
        match self.peek().ok_or(None)? {
            b'{' => self.object(depth),
            b'[' => {
                self.bump();
                self.space();
                if self.peek() == Some(b']') {
                    self.bump();
                    return Ok(());
                }
                loop {
                    self.value(depth + 1)?;
                    self.space();
                    match self.bump() {
                        Some(b',') => {}
                        Some(b']') => return Ok(()),
                        _ => return Err(None),
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            b'-' | b'0'..=b'9' => self.number(),
            _ => {
                while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                    self.bump();
                }
                Ok(())
            }
        }
    }

    fn object(&mut self, depth: usize) -> Scanned {
        self.bump();
        let mut keys = std::collections::HashSet::new();
        self.space();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(());
        }
        loop {
            self.space();
            let (line, column) = (self.line, self.column);
            let key = self.string()?;
            if !keys.insert(key.clone()) {
                return self.error(
                    line,
                    column,
                    "json_duplicate_key",
                    format!("khoá `{key}` ghi hai lần trong cùng một đối tượng"),
                    format!("the key `{key}` is given twice in one object"),
                );
            }
            self.space();
            if self.bump() != Some(b':') {
                return Err(None);
            }
            self.value(depth + 1)?;
            self.space();
            match self.bump() {
                Some(b',') => {}
                Some(b'}') => return Ok(()),
                _ => return Err(None),
            }
        }
    }

    /// A string, decoded (a key written with escapes is the same key).
    fn string(&mut self) -> Result<String, Option<DataError>> {
        let start = self.at;
        if self.bump() != Some(b'"') {
            return Err(None);
        }
        loop {
            match self.bump().ok_or(None)? {
                b'\\' => {
                    self.bump().ok_or(None)?;
                }
                b'"' => break,
                _ => {}
            }
        }
        serde_json::from_str(&self.text[start..self.at]).map_err(|_| None)
    }

    fn number(&mut self) -> Scanned {
        let (start, line, column) = (self.at, self.line, self.column);
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.bump();
        }
        let literal = &self.text[start..self.at];
        match parse_number(literal, NumberFormat::Plain) {
            Err(e) if e.code == "number_too_large" => self.error(line, column, e.code, e.vi, e.en),
            _ => Ok(()),
        }
    }
}

fn json_reason_vi(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("dòng {}, cột {}", e.line(), e.column());
    match e.classify() {
        Category::Eof => format!("tệp kết thúc giữa chừng ({at})"),
        Category::Syntax => {
            format!("sai cú pháp tại {at} (thiếu hoặc thừa dấu phẩy, ngoặc, nháy?)")
        }
        Category::Data | Category::Io => format!("dữ liệu không hợp lệ tại {at}"),
    }
}

fn json_sections(b: &mut DatasetBuilder, obj: &serde_json::Map<String, serde_json::Value>) {
    fn text_of(v: Option<&serde_json::Value>) -> Result<String, ()> {
        match v {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
            _ => Err(()),
        }
    }
    let sections: [(&'static str, &[&str]); 5] = [
        ("units", &["id", "name"]),
        ("figures", &["unit", "element", "period", "value"]),
        ("manual", &["unit", "criterion", "period", "score"]),
        ("predecessors", &["unit", "year", "from"]),
        ("kept", &["unit", "band", "decision"]),
    ];
    for (sec, keys) in sections {
        b.section = sec;
        let Some(list) = obj.get(sec) else { continue };
        let Some(list) = list.as_array() else {
            b.err(
                0,
                "json_shape",
                format!("`{sec}` phải là một mảng"),
                format!("`{sec}` must be an array"),
            );
            continue;
        };
        for (i, item) in list.iter().enumerate() {
            let row = i + 1;
            let Some(o) = item.as_object() else {
                b.err(
                    row,
                    "json_shape",
                    "mục phải là một đối tượng".into(),
                    "the item must be an object".into(),
                );
                continue;
            };
            if let Some(k) = o.keys().find(|k| !keys.contains(&k.as_str())) {
                b.err(
                    row,
                    "json_shape",
                    format!("khoá `{k}` không có"),
                    format!("unknown key `{k}`"),
                );
                continue;
            }
            let mut vals = Vec::new();
            let mut bad = false;
            for k in keys.iter().filter(|k| **k != "from") {
                match text_of(o.get(*k)) {
                    Ok(s) => vals.push(s),
                    Err(()) => {
                        bad = true;
                        b.err(
                            row,
                            "json_shape",
                            format!("`{k}` thiếu hoặc không phải chuỗi/số nguyên (số thập phân viết trong dấu nháy, ví dụ \"95.5\")"),
                            format!("`{k}` missing or not a string/integer (write decimals as strings, e.g. \"95.5\")"),
                        );
                    }
                }
            }
            if bad {
                continue;
            }
            match sec {
                "units" => b.name(row, &vals[0], &vals[1]),
                "figures" => b.figure(row, &vals[0], &vals[1], &vals[2], &vals[3]),
                "manual" => b.manual(row, &vals[0], &vals[1], &vals[2], &vals[3]),
                "kept" => b.kept(row, &vals[0], &vals[1], "", &vals[2]),
                _ => {
                    let from: Option<Vec<String>> =
                        o.get("from").and_then(|f| f.as_array()).map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        });
                    match from {
                        Some(f) => b.predecessors(row, &vals[0], &vals[1], &f),
                        None => b.err(
                            row,
                            "json_shape",
                            "`from` phải là mảng mã đơn vị".into(),
                            "`from` must be an array of unit ids".into(),
                        ),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A number beyond any float is "too large", not a syntax error; a key given twice in one
    /// object is refused (the JSON reader keeps the last one silently); both at their line and
    /// column. Keys written with escapes are the same key; the same key in two objects is fine.
    #[test]
    fn json_numbers_too_large_and_keys_given_twice_are_named_where() {
        let err = |text: &str| {
            let e = Dataset::from_json(text).unwrap_err();
            (e[0].code, e[0].row, e[0].column)
        };
        let huge = "{\"figures\": [\n  {\"unit\": \"KG\", \"element\": \"crimes\", \"period\": \"2024-M01\", \"value\": 1e400}\n]}";
        assert_eq!(err(huge), ("number_too_large", 2, Some(70)));
        let e = Dataset::from_json(huge).unwrap_err();
        assert!(e[0].message_en.contains("too large"), "{}", e[0]);
        let twice = "{\"figures\": [\n  {\"unit\": \"KG\", \"element\": \"crimes\",\n   \"period\": \"2024-M01\", \"value\": \"12\", \"val\\u0075e\": \"13\"}\n]}";
        assert_eq!(err(twice), ("json_duplicate_key", 3, Some(41)));
        let root = "{\"units\": [], \"note\": \"á\", \"units\": []}";
        assert_eq!(err(root), ("json_duplicate_key", 1, Some(28)));
        // The same keys in different objects, and a plain syntax error, are the reader's.
        let fine = "{\"figures\": [{\"unit\": \"KG\", \"element\": \"e\", \"period\": \"2024-M01\", \"value\": 1}, {\"unit\": \"AG\", \"element\": \"e\", \"period\": \"2024-M01\", \"value\": 2}]}";
        assert!(Dataset::from_json(fine).is_ok());
        assert_eq!(err("{\"units\": [,]}").0, "json_syntax");
    }

    #[test]
    fn pieces_read_in_parallel_equal_one_piece() {
        let mut t = String::from("unit,element,period,value\n");
        for u in 0..3000 {
            // Quoted names with commas and line breaks, so some cuts fall near quotes.
            t.push_str(&format!("U{u},@name,,\"Đơn vị {u},\nxã {}\"\n", u % 7));
            for m in 1..=12 {
                t.push_str(&format!("U{u},e{},2024-M{m:02},{}\n", u % 5, u * m % 97));
            }
            if u % 11 == 0 {
                t.push_str(&format!("U{u},@manual:K1,2024-Y,{}.5\n", u % 3));
            }
        }
        t.push_str("U22,@manual:K1,2024-Y,1\nU5,e0,2024-M03,1\n");
        let one = read_csv(DatasetBuilder::new("csv"), &t, b',', 1).unwrap_err();
        let many = read_csv(DatasetBuilder::new("csv"), &t, b',', 5).unwrap_err();
        assert_eq!(one, many);
        assert_eq!(one.len(), 2, "{one:?}");
        let t = t.rsplit_once("U22,@manual").unwrap().0;
        let one = read_csv(DatasetBuilder::new("csv"), t, b',', 1).unwrap();
        let many = read_csv(DatasetBuilder::new("csv"), t, b',', 5).unwrap();
        assert_eq!(one.units, many.units);
        assert_eq!(one.names, many.names);
        assert_eq!(one.figs.len(), many.figs.len());
        for (a, b) in one.figs.iter().zip(&many.figs) {
            assert_eq!((a.window, &a.value, a.row), (b.window, &b.value, b.row));
        }
        assert_eq!(one.manual, many.manual);
        assert_eq!(one.unit_name("U2999"), Some("Đơn vị 2999,\nxã 3"));
    }

    #[test]
    fn csv_quotes_separators_and_errors() {
        let d = Dataset::from_csv(
            "unit,element,period,value\nKG,@name,,\"Công an tỉnh\nKiên Giang, \"\"KG\"\"\"\nKG,crimes,2024-M01,12\n",
        )
        .unwrap();
        assert_eq!(d.unit_name("KG"), Some("Công an tỉnh\nKiên Giang, \"KG\""));
        assert_eq!(d.figs[0].row, 4, "a quoted newline counts as a line");
        let d = Dataset::from_csv(
            "# number_format: vi\nunit;element;period;value\nKG;crimes;2024-Y;1.234,5\n",
        )
        .unwrap();
        assert_eq!(d.figs[0].value.as_ref().unwrap().to_string(), "1234.5");
        let e = Dataset::from_csv(
            "unit,element,period,value\nKG,crimes,2024-M01,12\nKG,crimes,2024-M13,1\n",
        )
        .unwrap_err();
        assert_eq!((e[0].row, e[0].code), (3, "invalid_period"));
        let e =
            Dataset::from_csv("unit,element,period,value\nKG,crimes,2024-M01,1.2.3\n").unwrap_err();
        assert_eq!(e[0].code, "number_format");
        let e = Dataset::from_json(
            r#"{"figures":[{"unit":"KG","element":"x","period":"2024-Y","value":1.5}]}"#,
        )
        .unwrap_err();
        assert_eq!(e[0].code, "json_shape");
    }
}
