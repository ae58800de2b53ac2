//! Reported figures for scoring: parsing CSV and JSON data files (all or nothing: a bad row is
//! an error naming the row and the reason), unit names, manual scores, and lineage
//! (`predecessors`: a merged unit's figures for a year are the sum of its predecessors').
//!
//! CSV: header `unit,element,period,value`, one row per figure; `#` starts a comment line.
//! Reserved elements: `@name` (value = the unit's name; period empty), `@manual:CRITERION`
//! (value = the manual score for that period), `@predecessors` (period = a year such as `2025`,
//! value = the predecessor unit ids separated by spaces or `+`).
use crate::compile::{CompiledRegulation, NodeKind};
use crate::exact::Exact;
use crate::num::parse_decimal;
use crate::period::{PeriodKey, Window};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// A problem in a data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataError {
    /// CSV: 1-based line; JSON: 1-based position in its list.
    pub row: usize,
    /// `figures`, `units`, `manual`, `predecessors` (JSON) or `csv`.
    pub section: &'static str,
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.section == "csv" {
            "dòng".to_string()
        } else {
            format!("{} mục", self.section)
        };
        let place_en = if self.section == "csv" {
            "line".to_string()
        } else {
            format!("{} item", self.section)
        };
        write!(
            f,
            "{place} {} [{}]: {} / {place_en} {}: {}",
            self.row, self.code, self.message_vi, self.row, self.message_en
        )
    }
}

/// One stored figure.
#[derive(Debug, Clone)]
pub(crate) struct Fig {
    pub window: Window,
    pub value: Exact,
    pub row: u32,
}

/// Manual scores of one criterion: (unit, period) → (score, row).
pub(crate) type ManualScores = HashMap<(u32, PeriodKey), (Exact, u32)>;

/// Figures, names, manual scores and lineage of the units of one data file.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub(crate) units: Vec<String>,
    pub(crate) names: Vec<Option<String>>,
    pub(crate) unit_index: HashMap<String, u32>,
    pub(crate) elements: Vec<String>,
    pub(crate) elem_index: HashMap<String, u32>,
    /// Indexed by `unit * elements.len() + element`; sorted by window.
    /// All figures in one block, sorted by (unit, element, window); see [`Dataset::series`].
    pub(crate) figs: Vec<Fig>,
    /// `figs[offsets[k]..offsets[k + 1]]` is series `k = unit * elements.len() + element`.
    pub(crate) offsets: Vec<u32>,
    pub(crate) years: HashSet<(u32, i32)>,
    /// criterion → (unit, period) → (score, row).
    pub(crate) manual: HashMap<String, ManualScores>,
    pub(crate) predecessors: HashMap<(u32, i32), Vec<u32>>,
    /// Whether the data came from CSV (rows are lines) or JSON (rows are list positions).
    pub source_kind: &'static str,
}

/// A builder that collects rows, then freezes into a [`Dataset`].
#[derive(Default)]
pub struct DatasetBuilder {
    ds: Dataset,
    raw: Vec<(u32, u32, Fig)>,
    seen: HashSet<(u32, u32, Window)>,
    preds: Vec<(u32, i32, Vec<String>, u32)>,
    errors: Vec<DataError>,
    section: &'static str,
}

fn valid_id(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic())
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        && s.len() <= 64
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

    fn err(&mut self, row: usize, code: &'static str, vi: String, en: String) {
        if self.errors.len() < 100 {
            self.errors.push(DataError {
                row,
                section: self.section,
                code,
                message_vi: vi,
                message_en: en,
            });
        }
    }

    fn unit(&mut self, row: usize, id: &str) -> Option<u32> {
        if !valid_id(id) {
            self.err(
                row,
                "invalid_unit",
                format!("mã đơn vị `{id}` không hợp lệ"),
                format!("invalid unit id `{id}`"),
            );
            return None;
        }
        if let Some(i) = self.ds.unit_index.get(id) {
            return Some(*i);
        }
        let i = self.ds.units.len() as u32;
        self.ds.units.push(id.to_string());
        self.ds.names.push(None);
        self.ds.unit_index.insert(id.to_string(), i);
        Some(i)
    }

    fn number(&mut self, row: usize, v: &str) -> Option<Decimal> {
        let r = parse_decimal(v);
        if r.is_none() {
            self.err(
                row,
                "invalid_number",
                format!("giá trị `{v}` không phải số thập phân"),
                format!("value `{v}` is not a decimal number"),
            );
        }
        r
    }

    fn period(&mut self, row: usize, p: &str) -> Option<PeriodKey> {
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
        if !valid_id(element) {
            self.err(
                row,
                "invalid_element",
                format!("mã số liệu `{element}` không hợp lệ"),
                format!("invalid element id `{element}`"),
            );
            return;
        }
        let p = self.period(row, period);
        let v = self.number(row, value);
        let (Some(u), Some(p), Some(v)) = (u, p, v) else {
            return;
        };
        let e = match self.ds.elem_index.get(element) {
            Some(e) => *e,
            None => {
                let e = self.ds.elements.len() as u32;
                self.ds.elements.push(element.to_string());
                self.ds.elem_index.insert(element.to_string(), e);
                e
            }
        };
        let w = p.window();
        if !self.seen.insert((u, e, w)) {
            self.err(
                row,
                "duplicate",
                format!("số liệu `{element}` của `{unit}` kỳ {p} bị lặp"),
                format!("figure `{element}` of `{unit}` for {p} is given twice"),
            );
            return;
        }
        self.raw.push((
            u,
            e,
            Fig {
                window: w,
                value: Exact::from(v),
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
        if self
            .ds
            .manual
            .entry(criterion.to_string())
            .or_default()
            .insert((u, p), (Exact::from(v), row as u32))
            .is_some()
        {
            self.err(
                row,
                "duplicate",
                format!("điểm chấm thủ công `{criterion}` của `{unit}` kỳ {p} bị lặp"),
                format!("manual score `{criterion}` of `{unit}` for {p} is given twice"),
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
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let ne = self.ds.elements.len();
        let mut raw = std::mem::take(&mut self.raw);
        raw.sort_by_key(|(u, e, f)| (*u, *e, f.window));
        let nseries = self.ds.units.len() * ne;
        let mut offsets = Vec::with_capacity(nseries + 1);
        let mut figs = Vec::with_capacity(raw.len());
        let mut k = 0usize;
        offsets.push(0u32);
        for (u, e, f) in raw {
            self.ds.years.insert((u, f.window.year));
            let key = u as usize * ne + e as usize;
            while k < key {
                offsets.push(figs.len() as u32);
                k += 1;
            }
            figs.push(f);
        }
        while offsets.len() < nseries + 1 {
            offsets.push(figs.len() as u32);
        }
        self.ds.figs = figs;
        self.ds.offsets = offsets;
        for m in self.ds.manual.values() {
            for (u, p) in m.keys() {
                self.ds.years.insert((*u, p.year));
            }
        }
        Ok(self.ds)
    }
}

/// Splits one CSV line (RFC 4180 quoting, no embedded newlines).
fn split_csv(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.is_empty() && !was_quoted {
            quoted = true;
            was_quoted = true;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
            was_quoted = false;
        } else if was_quoted {
            return Err("ký tự sau dấu nháy đóng / text after a closing quote");
        } else {
            cur.push(c);
        }
    }
    if quoted {
        return Err("thiếu dấu nháy đóng / missing closing quote");
    }
    out.push(cur);
    Ok(out)
}

impl Dataset {
    /// Parses a CSV data file.
    pub fn from_csv(text: &str) -> Result<Dataset, Vec<DataError>> {
        let mut b = DatasetBuilder::new("csv");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            let row = i + 1;
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols = match split_csv(line) {
                Ok(c) => c,
                Err(m) => {
                    b.err(
                        row,
                        "csv_syntax",
                        m.split(" / ").next().unwrap_or(m).to_string(),
                        m.split(" / ").nth(1).unwrap_or(m).to_string(),
                    );
                    continue;
                }
            };
            let cols: Vec<&str> = cols.iter().map(|c| c.trim()).collect();
            if !header_seen {
                header_seen = true;
                if cols != ["unit", "element", "period", "value"] {
                    b.err(
                        row,
                        "csv_header",
                        "dòng tiêu đề phải là `unit,element,period,value`".into(),
                        "the header must be `unit,element,period,value`".into(),
                    );
                    break;
                }
                continue;
            }
            if cols.len() != 4 {
                b.err(
                    row,
                    "csv_columns",
                    format!("cần 4 cột, có {}", cols.len()),
                    format!("expected 4 columns, found {}", cols.len()),
                );
                continue;
            }
            let (unit, element, period, value) = (cols[0], cols[1], cols[2], cols[3]);
            if element == "@name" {
                b.name(row, unit, value);
            } else if let Some(c) = element.strip_prefix("@manual:") {
                b.manual(row, unit, c, period, value);
            } else if element == "@predecessors" {
                let from: Vec<String> = value
                    .split([' ', '+'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                b.predecessors(row, unit, period, &from);
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
        if !header_seen {
            b.err(
                1,
                "csv_header",
                "tệp trống, thiếu dòng tiêu đề".into(),
                "empty file, no header".into(),
            );
        }
        b.finish()
    }

    /// Parses a JSON data file:
    /// `{"units":[{"id","name"}], "figures":[{"unit","element","period","value"}],
    ///   "manual":[{"unit","criterion","period","score"}], "predecessors":[{"unit","year","from":[..]}]}`.
    /// Numbers: strings (`"95.5"`) or JSON integers; JSON fractions are refused (they would pass
    /// through binary floats).
    pub fn from_json(text: &str) -> Result<Dataset, Vec<DataError>> {
        let mut b = DatasetBuilder::new("json");
        let root: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                b.section = "json";
                b.err(
                    e.line(),
                    "json_syntax",
                    format!("JSON không hợp lệ: {e}"),
                    format!("invalid JSON: {e}"),
                );
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
        for k in obj.keys() {
            if !["note", "units", "figures", "manual", "predecessors"].contains(&k.as_str()) {
                b.section = "json";
                b.err(
                    1,
                    "json_shape",
                    format!("khóa `{k}` không có"),
                    format!("unknown key `{k}`"),
                );
            }
        }
        fn text_of(v: Option<&serde_json::Value>) -> Result<String, ()> {
            match v {
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
                _ => Err(()),
            }
        }
        let sections: [(&'static str, &[&str]); 4] = [
            ("units", &["id", "name"]),
            ("figures", &["unit", "element", "period", "value"]),
            ("manual", &["unit", "criterion", "period", "score"]),
            ("predecessors", &["unit", "year", "from"]),
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
                        format!("khóa `{k}` không có"),
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

    /// Checks the data against a regulation: unknown elements, manual scores for criteria that
    /// are not manual or above their maximum.
    pub fn check(&self, reg: &CompiledRegulation) -> Result<(), Vec<DataError>> {
        let section = if self.source_kind == "csv" {
            "csv"
        } else {
            "figures"
        };
        let mut errs = Vec::new();
        let known: HashSet<&str> = reg.ast.elements.iter().map(|e| e.id.as_str()).collect();
        for (e, id) in self.elements.iter().enumerate() {
            if !known.contains(id.as_str()) {
                let row = (0..self.units.len())
                    .filter_map(|u| {
                        self.series(u as u32, e as u32)
                            .first()
                            .map(|f| f.row as usize)
                    })
                    .min()
                    .unwrap_or(0);
                errs.push(DataError {
                    row,
                    section,
                    code: "unknown_element",
                    message_vi: format!("số liệu `{id}` không có trong quy định"),
                    message_en: format!("element `{id}` is not in the regulation"),
                });
            }
        }
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
                        errs.push(DataError {
                            row: *row as usize,
                            section,
                            code: "manual_out_of_range",
                            message_vi: format!(
                                "điểm `{crit}` = {} ngoài khoảng 0..{}",
                                crate::render::vi_num(v),
                                crate::num::vi(n.points)
                            ),
                            message_en: format!(
                                "score for `{crit}` = {v} is outside 0..{}",
                                n.points
                            ),
                        });
                    }
                }
                _ => errs.push(DataError {
                    row: *row as usize,
                    section,
                    code: "not_manual",
                    message_vi: format!("`{crit}` không phải tiêu chí chấm thủ công của quy định"),
                    message_en: format!("`{crit}` is not a manual criterion of the regulation"),
                }),
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_errors() {
        assert_eq!(
            split_csv("a,\"b,c\",\"d\"\"e\"").unwrap(),
            vec!["a", "b,c", "d\"e"]
        );
        let e = Dataset::from_csv(
            "unit,element,period,value\nKG,crimes,2024-M01,12\nKG,crimes,2024-M13,1\n",
        )
        .unwrap_err();
        assert_eq!(e[0].row, 3);
        assert_eq!(e[0].code, "invalid_period");
        let e =
            Dataset::from_csv("unit,element,period,value\nKG,crimes,2024-M01,1.2.3\n").unwrap_err();
        assert_eq!(e[0].code, "invalid_number");
        let e = Dataset::from_json(
            r#"{"figures":[{"unit":"KG","element":"x","period":"2024-Y","value":1.5}]}"#,
        )
        .unwrap_err();
        assert_eq!(e[0].code, "json_shape");
    }
}
