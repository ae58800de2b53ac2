//! The template a unit fills for one window: its covenant, unit and window in a heading block,
//! the number form it uses, then one row per data element of the regulation with its name,
//! unit of measure, last year's approved figure ("cùng kỳ", for reference: a merged unit's own
//! plus its predecessors', as its scores read it), the figure and a comment. Written as XLSX or
//! CSV (UTF-8 with BOM); [`Reader`] finds the same block and rows again, wherever a spreadsheet
//! program moved them.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use thidua_domain::figures::{Cell, Form};
use thidua_domain::text::Text;
use thidua_domain::{CovenantId, DomainError, State, UnitId};

use crate::error::{column_letter, ImportError, ImportErrors};
use crate::number::{element_figure, format_named, NumberFormat};
use crate::table::RawCell;
use thidua_domain::figures::FigureMap;

/// The sheet name of the template.
pub const SHEET: &str = "Số liệu";
/// Labels of the heading block (column A).
pub const LABEL_COVENANT: &str = "Giao ước";
pub const LABEL_UNIT: &str = "Đơn vị";
pub const LABEL_PERIOD: &str = "Kỳ báo cáo";
pub const LABEL_FORM: &str = "Định dạng số";
/// Column headings of the element rows.
/// Column B names the data element ("Nội dung"; a target of the covenant is a "chỉ tiêu", a
/// data element is not). The reader finds its columns by the headings of A, E and F only, so a
/// template of an earlier release, whose column B said "Chỉ tiêu", still imports.
pub const HEADINGS: [&str; 6] = [
    "Mã",
    "Nội dung",
    "Đơn vị tính",
    "Cùng kỳ",
    "Số liệu",
    "Ghi chú",
];

/// One element row of a template.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    /// Last year's approved figure for the same window, as the unit's scores and the figures
    /// page read it: its own plus its predecessors' ([`State::earlier_value`]).
    pub same_period: Option<Cell>,
    /// The unit's current figure for the window (draft or approved), if any.
    pub current: Option<Cell>,
    pub comment: Option<String>,
}

/// Everything a template shows.
#[derive(Clone, Debug)]
pub struct Template {
    pub covenant: CovenantId,
    pub covenant_title: String,
    pub unit: UnitId,
    pub unit_name: String,
    pub year: i32,
    pub window: String,
    /// The window's last day: the workbook's creation date, so that the same template is the
    /// same bytes on every download (as the other workbooks are dated by their data).
    pub dated: chrono::NaiveDate,
    /// "Tháng 1: 15/12/2023 – 14/01/2024; hạn nộp 16/01/2024".
    pub window_text: String,
    pub form: NumberFormat,
    pub rows: Vec<Row>,
    /// The names of the predecessors whose figures last year's column adds to the unit's own
    /// ([`State::earlier_sources`]); empty for a unit that absorbed none.
    pub same_period_from: Vec<String>,
    /// The names of the units of that lineage with no approved figures for last year's
    /// window ([`State::earlier_missing`]): column D is then blank, never a partial sum.
    pub same_period_missing: Vec<String>,
}

/// A unit's name, else its id.
fn name_of(state: &State, unit: &UnitId) -> String {
    state
        .units
        .get(unit)
        .map_or_else(|| unit.to_string(), |u| u.name.to_string())
}

/// Why a template is not given: the domain's refusal (an unknown covenant, unit or window), or
/// a unit that is not a member of the covenant (`not_member`, in both languages).
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{}", .0)]
    NotMember(ImportError),
}

/// The words for a unit that is not a member of the covenant (of its cluster in its year),
/// Vietnamese and English: one sentence for the template and the import of a template.
pub fn not_member_words(state: &State, covenant: &CovenantId, unit: &str) -> (String, String) {
    match state.covenant(covenant) {
        Ok(c) => (
            format!(
                "đơn vị «{unit}» không phải thành viên của giao ước «{covenant}» (cụm «{}» năm {})",
                c.cluster, c.year
            ),
            format!(
                "unit «{unit}» is not a member of covenant «{covenant}» (cluster «{}» in {})",
                c.cluster, c.year
            ),
        ),
        Err(_) => (
            format!("đơn vị «{unit}» không phải thành viên của giao ước «{covenant}»"),
            format!("unit «{unit}» is not a member of covenant «{covenant}»"),
        ),
    }
}

/// A template's file format: XLSX or CSV, and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

impl FileFormat {
    /// `xlsx` or `csv` (any case); anything else is refused, in both languages.
    pub fn parse(name: &str) -> Result<FileFormat, ImportError> {
        if name.eq_ignore_ascii_case("xlsx") {
            Ok(FileFormat::Xlsx)
        } else if name.eq_ignore_ascii_case("csv") {
            Ok(FileFormat::Csv)
        } else {
            Err(ImportError::file(
                "unknown_format",
                format!("định dạng «{name}» không có: dùng xlsx hoặc csv"),
                format!("unknown format «{name}»: use xlsx or csv"),
            ))
        }
    }

    /// The file extension.
    pub fn ext(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Csv => "csv",
        }
    }

    /// The media type of a download.
    pub fn mime(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Csv => "text/csv; charset=utf-8",
        }
    }
}

impl Template {
    /// The template of `unit` for `window` of the covenant's year, with its current figures
    /// and last year's approved ones; refused for a unit that is not a member of the covenant
    /// (of its cluster in its year). The caller has checked that the viewer may see them.
    pub fn build(
        state: &State,
        covenant: &CovenantId,
        unit: &UnitId,
        window: &str,
    ) -> Result<Template, TemplateError> {
        let c = state.covenant(covenant)?;
        let form = state.reporting_form(covenant)?;
        let u = state.unit(unit)?;
        if !state
            .members(&c.cluster, c.year)
            .is_ok_and(|m| m.contains(unit))
        {
            let (vi, en) = not_member_words(state, covenant, unit.as_str());
            return Err(TemplateError::NotMember(ImportError::file(
                "not_member",
                vi,
                en,
            )));
        }
        let w = state.reported_window(covenant, window)?;
        let deadline = state.figures_deadline(covenant, window)?;
        let report = state.figures.report(unit, c.year, window);
        let current = report.map(|r| r.current());
        let row = |e: &thidua_domain::figures::FormElement| {
            let current_form = current.map(|v| state.figures.form(v.form));
            let pos = current_form.and_then(|f| f.position(&e.id));
            Row {
                id: e.id.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                same_period: Some(state.earlier_value(unit, covenant, c.year - 1, window, &e.id))
                    .filter(|c| *c != Cell::Missing),
                current: current
                    .zip(pos)
                    .map(|(v, p)| v.get(p))
                    .filter(|c| *c != Cell::Missing),
                comment: current
                    .zip(pos)
                    .and_then(|(v, p)| v.comment(p))
                    .map(|t| t.to_string()),
            }
        };
        Ok(Template {
            covenant: covenant.clone(),
            covenant_title: c.latest().content.title.to_string(),
            unit: unit.clone(),
            unit_name: u.name.to_string(),
            year: c.year,
            window: window.to_owned(),
            dated: w.end,
            window_text: format!(
                "{}: {} – {}; hạn nộp / due {}",
                w.name,
                w.start.format("%d/%m/%Y"),
                w.end.format("%d/%m/%Y"),
                deadline.format("%d/%m/%Y")
            ),
            form: NumberFormat::Vi,
            rows: form.elements.iter().map(row).collect(),
            same_period_from: state
                .earlier_sources(unit, c.year)
                .iter()
                .map(|p| name_of(state, p))
                .collect(),
            same_period_missing: state
                .earlier_missing(unit, covenant, c.year - 1, window)
                .iter()
                .map(|p| name_of(state, p))
                .collect(),
        })
    }

    fn period(&self) -> String {
        format!("{}-{}", self.year, self.window)
    }

    /// A suggested file name: `so-lieu_<unit>_<year>-<window>.xlsx`.
    pub fn file_name(&self, ext: &str) -> String {
        format!("so-lieu_{}_{}.{ext}", self.unit, self.period())
    }

    fn heading_block(&self) -> Vec<[String; 3]> {
        let form_text = match self.form {
            NumberFormat::Vi => "1.234,5 — dấu chấm phân cách hàng nghìn, dấu phẩy thập phân / a dot between thousands, a comma before decimals",
            NumberFormat::En => "1,234.5 — dấu phẩy phân cách hàng nghìn, dấu chấm thập phân / a comma between thousands, a dot before decimals",
            NumberFormat::Plain => "1234.5 — dấu chấm thập phân / a dot before decimals",
        };
        vec![
            [
                "BIỂU MẪU SỐ LIỆU THI ĐUA / FIGURES TEMPLATE".into(),
                String::new(),
                String::new(),
            ],
            [LABEL_COVENANT.into(), self.covenant.to_string(), self.covenant_title.clone()],
            [LABEL_UNIT.into(), self.unit.to_string(), self.unit_name.clone()],
            [LABEL_PERIOD.into(), self.period(), self.window_text.clone()],
            [LABEL_FORM.into(), self.form.name().into(), form_text.into()],
            [
                "Hướng dẫn".into(),
                format!(
                    "Ghi số liệu ở cột E; «không áp dụng» nếu số liệu không áp dụng; để trống nếu chưa có. Cột D chỉ để tham khảo.{}",
                    self.same_period_note(
                        " Cột D gồm số liệu của đơn vị và của đơn vị tiền thân đã hợp nhất vào đơn vị:",
                        " Cột D để trống (không cộng thiếu): chưa có số liệu đã duyệt của"
                    )
                ),
                format!(
                    "{}{}",
                    self.instructions_en(),
                    self.same_period_note(
                        " Column D adds the figures of the predecessors merged into the unit to its own:",
                        " Column D is blank (never a partial sum): no approved figures of"
                    )
                ),
            ],
        ]
    }

    /// What last year's column adds to the unit's own figures: `lead` and the predecessors'
    /// names, or nothing for a unit that absorbed none; and, after `lacking`, the units of
    /// that lineage with no approved figures for the window (the column is then blank).
    fn same_period_note(&self, lead: &str, lacking: &str) -> String {
        let mut out = String::new();
        if !self.same_period_from.is_empty() {
            out = format!("{lead} {}.", self.same_period_from.join(", "));
        }
        if !self.same_period_missing.is_empty() {
            out.push_str(&format!(
                "{lacking} {}.",
                self.same_period_missing.join(", ")
            ));
        }
        out
    }

    /// The English line of the instructions: how the declared form writes numbers, and the
    /// words for "not applicable" the reader accepts (`n/a`, `na`, `không áp dụng`, `KAD`).
    fn instructions_en(&self) -> &'static str {
        match self.form {
            NumberFormat::Vi => "Enter figures in column E, written the Vietnamese way: 1.234 is one thousand two hundred and thirty-four, 12,5 is twelve and a half (a spreadsheet set to English reads 1.234 as a decimal: type 1234 there). Write “n/a” (or “không áp dụng”) when the element does not apply; leave the cell blank when the figure is not known. Column D is for reference only.",
            NumberFormat::En => "Enter figures in column E, written the English way: 1,234 is one thousand two hundred and thirty-four, 12.5 is twelve and a half. Write “n/a” (or “không áp dụng”) when the element does not apply; leave the cell blank when the figure is not known. Column D is for reference only.",
            NumberFormat::Plain => "Enter figures in column E without a thousands separator and with a dot before decimals: 1234, 12.5. Write “n/a” (or “không áp dụng”) when the element does not apply; leave the cell blank when the figure is not known. Column D is for reference only.",
        }
    }

    fn cell_text(&self, cell: Option<Cell>) -> String {
        match cell {
            None | Some(Cell::Missing) => String::new(),
            Some(Cell::NotApplicable) => "không áp dụng".into(),
            Some(Cell::Number(d)) => match self.form {
                NumberFormat::Vi => vi_number(&d),
                NumberFormat::En | NumberFormat::Plain => {
                    thidua_domain::figures::canonical_decimal(&d)
                }
            },
        }
    }

    fn heading_row(&self) -> Vec<String> {
        let mut h: Vec<String> = HEADINGS.iter().map(|s| (*s).to_owned()).collect();
        h[3] = format!("Cùng kỳ {}", self.year - 1);
        h
    }

    fn element_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| {
                vec![
                    r.id.clone(),
                    r.name.clone(),
                    r.unit.clone().unwrap_or_default(),
                    self.cell_text(r.same_period),
                    self.cell_text(r.current),
                    r.comment.clone().unwrap_or_default(),
                ]
            })
            .collect()
    }

    /// The template as an XLSX workbook.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let d = self.dated;
        let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&day));
        let sheet = book.add_worksheet();
        sheet.set_name(SHEET)?;
        let bold = Format::new().set_bold();
        let head = Format::new()
            .set_bold()
            .set_background_color("#E8EEF7")
            .set_border(rust_xlsxwriter::FormatBorder::Thin);
        let input = Format::new()
            .set_background_color("#FFF9DB")
            .set_border(rust_xlsxwriter::FormatBorder::Thin);
        for (r, cells) in self.heading_block().iter().enumerate() {
            for (c, text) in cells.iter().enumerate() {
                if c == 0 {
                    sheet.write_string_with_format(r as u32, 0, text, &bold)?;
                } else {
                    sheet.write_string(r as u32, c as u16, text)?;
                }
            }
        }
        let top = self.heading_block().len() as u32 + 1;
        for (c, h) in self.heading_row().iter().enumerate() {
            sheet.write_string_with_format(top, c as u16, h, &head)?;
        }
        for (i, row) in self.element_rows().iter().enumerate() {
            let r = top + 1 + i as u32;
            for (c, text) in row.iter().enumerate() {
                let base = if c == 4 || c == 5 {
                    input.clone()
                } else {
                    Format::new()
                };
                let cell = match c {
                    3 => self.rows[i].same_period,
                    4 => self.rows[i].current,
                    _ => None,
                };
                match cell.and_then(|c| xlsx_number(&c)) {
                    Some((n, code)) => sheet.write_number_with_format(
                        r,
                        c as u16,
                        n,
                        &base.set_num_format(code),
                    )?,
                    None => sheet.write_string_with_format(r, c as u16, text, &base)?,
                };
            }
        }
        for (c, width) in [18.0, 60.0, 12.0, 14.0, 14.0, 40.0].into_iter().enumerate() {
            sheet.set_column_width(c as u16, width)?;
        }
        sheet.set_freeze_panes(top + 1, 0)?;
        book.save_to_buffer()
    }

    /// The template in `format`.
    pub fn to_bytes(&self, format: FileFormat) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        match format {
            FileFormat::Xlsx => self.to_xlsx(),
            FileFormat::Csv => Ok(self.to_csv()),
        }
    }

    /// The template as CSV (UTF-8 with BOM, so that spreadsheet programs read it as UTF-8).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = vec![0xEF, 0xBB, 0xBF];
        {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(&mut out);
            let write = |w: &mut csv::Writer<&mut Vec<u8>>, row: &[String]| {
                let row = row
                    .iter()
                    .map(|c| thidua_scoring::input::defused(c).into_owned());
                w.write_record(row).expect("writing to memory");
            };
            for row in self.heading_block() {
                write(&mut w, &row);
            }
            write(&mut w, &[String::new()]);
            write(&mut w, &self.heading_row());
            for row in self.element_rows() {
                write(&mut w, &row);
            }
            w.flush().expect("writing to memory");
        }
        out
    }
}

/// A figure as a workbook number and its Vietnamese number format (`[$-42A]` — Vietnamese —
/// with a thousands separator and the figure's decimals: 2847 shows "2.847" where the
/// spreadsheet follows the format's language or a Vietnamese system), so that a spreadsheet
/// adds and compares it; `None` for "not applicable" or a decimal a binary number would not
/// hold exactly (written as text, "1.234,5", as the CSV template writes it).
fn xlsx_number(cell: &Cell) -> Option<(f64, String)> {
    let Cell::Number(d) = cell else {
        return None;
    };
    let text = thidua_domain::figures::canonical_decimal(d);
    let n: f64 = text.parse().ok()?;
    if n.to_string() != text {
        return None;
    }
    let places = text.split_once('.').map_or(0, |(_, f)| f.len());
    let code = match places {
        0 => "[$-42A]#,##0".to_owned(),
        p => format!("[$-42A]#,##0.{}", "0".repeat(p)),
    };
    Some((n, code))
}

/// "1.234,5".
pub fn vi_number(d: &rust_decimal::Decimal) -> String {
    let s = thidua_domain::figures::canonical_decimal(d);
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{neg}{grouped}")
    } else {
        format!("{neg}{grouped},{frac}")
    }
}

/// A filled template as read back: whose figures, for which window, and the figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub covenant: String,
    pub unit: String,
    /// `2024-M01`.
    pub period: String,
    pub values: FigureMap,
    pub comments: std::collections::BTreeMap<String, Text>,
}

/// A comment cell as stored, or why not, naming the element it is about. The `'` that
/// [`thidua_scoring::input::defused`] puts before a formula-like comment is not part of it.
fn comment_text(raw: &str, element: &str) -> Result<Text, (String, String)> {
    let raw = thidua_scoring::input::undefused(raw);
    Text::parse("comment", raw, thidua_domain::text::limits::REASON).map_err(|e| {
        let (vi, en) = match &e {
            DomainError::TextTooLong { max, .. } => (
                format!("dài quá {max} ký tự"),
                format!("longer than {max} characters"),
            ),
            DomainError::InvalidText { .. } => (
                "có ký tự điều khiển".to_owned(),
                "it contains control characters".to_owned(),
            ),
            _ => ("không đọc được".to_owned(), "it cannot be read".to_owned()),
        };
        (
            format!("ghi chú của «{element}» không hợp lệ: {vi}"),
            format!("the comment on «{element}» is invalid: {en}"),
        )
    })
}

/// Reads rows (as [`crate::table::read`] gives them) as a filled template of `form`; every
/// error names its sheet, row and column.
pub struct Reader<'a> {
    form: &'a Form,
    number: Option<NumberFormat>,
    meta: std::collections::BTreeMap<&'static str, String>,
    /// The row of each line of the heading block, for errors about its value.
    meta_rows: std::collections::BTreeMap<&'static str, usize>,
    /// Columns of the element rows, once the heading row was seen: (id, value, comment).
    columns: Option<(usize, usize, usize)>,
    headings: Vec<String>,
    pub filled: Filled,
    /// The row of each element read so far: an element given twice is refused naming both.
    seen: std::collections::BTreeMap<String, usize>,
    pub errors: ImportErrors,
    /// The row of the heading, for errors about missing heading cells.
    pub found_heading: bool,
}

fn label(cell: Option<&RawCell>) -> String {
    cell.map(|c| c.text().to_lowercase()).unwrap_or_default()
}

impl<'a> Reader<'a> {
    pub fn new(form: &'a Form) -> Self {
        Self {
            form,
            number: None,
            meta: Default::default(),
            meta_rows: Default::default(),
            columns: None,
            headings: Vec::new(),
            filled: Filled {
                covenant: String::new(),
                unit: String::new(),
                period: String::new(),
                values: FigureMap::new(),
                comments: Default::default(),
            },
            seen: Default::default(),
            errors: ImportErrors::default(),
            found_heading: false,
        }
    }

    /// The row of the heading block's line `key` (`covenant`, `unit`, `period`, `form`), once
    /// read.
    pub fn heading_row(&self, key: &str) -> Option<usize> {
        self.meta_rows.get(key).copied()
    }

    fn column_name(&self, c: usize) -> String {
        match self.headings.get(c).filter(|h| !h.is_empty()) {
            Some(h) => format!("{} ({h})", column_letter(c)),
            None => column_letter(c),
        }
    }

    /// Takes one row; returns `false` once there are too many errors to go on.
    pub fn row(&mut self, sheet: &str, row: usize, cells: &[RawCell]) -> bool {
        let first = label(cells.first());
        let Some((id_col, value_col, comment_col)) = self.columns else {
            for (key, lab) in [
                ("covenant", LABEL_COVENANT),
                ("unit", LABEL_UNIT),
                ("period", LABEL_PERIOD),
                ("form", LABEL_FORM),
            ] {
                if first == lab.to_lowercase() {
                    self.meta_rows.insert(key, row);
                    self.meta.insert(
                        key,
                        cells
                            .get(1)
                            .map(|c| c.text().to_owned())
                            .unwrap_or_default(),
                    );
                }
            }
            if first == HEADINGS[0].to_lowercase() {
                self.headings = cells.iter().map(|c| c.text().to_owned()).collect();
                let find = |name: &str, default: usize| {
                    self.headings
                        .iter()
                        .position(|h| h.to_lowercase().starts_with(&name.to_lowercase()))
                        .unwrap_or(default)
                };
                self.columns = Some((0, find(HEADINGS[4], 4), find(HEADINGS[5], 5)));
                self.found_heading = true;
                self.start(sheet, row);
            }
            return !self.errors.is_full();
        };
        let id = cells.get(id_col).map(|c| c.text()).unwrap_or("");
        if id.is_empty() {
            return true;
        }
        let err = |code, vi: String, en: String, col: usize, me: &Self| {
            ImportError::file(code, vi, en).at(sheet, row, Some(me.column_name(col)))
        };
        let Some(element) = self.form.elements.iter().find(|e| e.id == id) else {
            let e = err(
                "unknown_element",
                format!("quy định chấm điểm không có số liệu mã «{id}»"),
                format!("the regulation has no data element «{id}»"),
                id_col,
                self,
            );
            self.errors.push(e);
            return !self.errors.is_full();
        };
        if let Some(first) = self.seen.insert(id.to_owned(), row) {
            self.seen.insert(id.to_owned(), first);
            let e = err(
                "duplicate",
                format!("số liệu «{id}» ghi hai lần (đã có ở dòng {first})"),
                format!("element «{id}» appears twice (first at row {first})"),
                id_col,
                self,
            );
            self.errors.push(e);
        }
        let number = self.number.unwrap_or(NumberFormat::Plain);
        let value = cells.get(value_col).unwrap_or(&RawCell::Empty);
        match element_figure(value, number, element) {
            Ok(Some(v)) => {
                self.filled.values.insert(id.to_owned(), v);
            }
            Ok(None) => {}
            Err((code, vi, en)) => {
                let e = err(code, vi, en, value_col, self);
                self.errors.push(e);
            }
        }
        if let Some(c) = cells.get(comment_col).filter(|c| !c.is_empty()) {
            match comment_text(c.text(), &element.name) {
                Ok(t) => {
                    self.filled.comments.insert(id.to_owned(), t);
                }
                Err((vi, en)) => {
                    let e = err("invalid_comment", vi, en, comment_col, self);
                    self.errors.push(e);
                }
            }
        }
        !self.errors.is_full()
    }

    /// At the heading row: the heading block must have named the covenant, unit, window and
    /// number form.
    fn start(&mut self, sheet: &str, row: usize) {
        for (key, lab) in [
            ("covenant", LABEL_COVENANT),
            ("unit", LABEL_UNIT),
            ("period", LABEL_PERIOD),
        ] {
            match self.meta.get(key) {
                Some(v) if !v.is_empty() => {}
                _ => self.errors.push(
                    ImportError::file(
                        "template_heading",
                        format!("thiếu dòng «{lab}» phía trên dòng tiêu đề"),
                        format!("the «{lab}» line above the heading row is missing"),
                    )
                    .at(sheet, row, Some("A".into())),
                ),
            }
        }
        self.number = match self.meta.get("form") {
            None => Some(NumberFormat::Plain),
            Some(f) => {
                match format_named(f) {
                    Some(n) => Some(n),
                    None => {
                        self.errors.push(
                        ImportError::file(
                            "template_heading",
                            format!("«{LABEL_FORM}» phải là «vi», «en» hoặc «plain», không phải «{f}»"),
                            format!("«{LABEL_FORM}» must be «vi», «en» or «plain», not «{f}»"),
                        )
                        .at(sheet, row, Some("B".into())),
                    );
                        Some(NumberFormat::Plain)
                    }
                }
            }
        };
        self.filled.covenant = self.meta.get("covenant").cloned().unwrap_or_default();
        self.filled.unit = self.meta.get("unit").cloned().unwrap_or_default();
        self.filled.period = self.meta.get("period").cloned().unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_are_written_with_dots_and_a_comma() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(vi_number(&d("1234567.5")), "1.234.567,5");
        assert_eq!(vi_number(&d("95.50")), "95,5");
        assert_eq!(vi_number(&d("-1234")), "-1.234");
        assert_eq!(vi_number(&d("0")), "0");
    }
}
