//! Reads a CSV or XLSX file row by row, without holding the whole table: each row is handed to
//! a callback as cells. Limits bound what a file may cost: its size, its rows, and for XLSX
//! the ZIP's entries, their declared sizes and ratio, and the bytes they really inflate to
//! (counted by inflating into nothing before the reader sees them, so a decompression bomb is
//! refused after at most [`Limits::max_unzipped`] bytes, in bounded memory).

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, Xlsx};

use crate::encoding::{self, Legacy};
use crate::error::ImportError;
use thidua_scoring::input::number_format_directive;

/// What a file may cost.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The file's size in bytes.
    pub max_bytes: usize,
    /// Rows in all sheets.
    pub max_rows: usize,
    /// XLSX: entries in the ZIP.
    pub max_entries: usize,
    /// XLSX: bytes all entries inflate to.
    pub max_unzipped: u64,
    /// XLSX: the largest declared inflate ratio of one entry.
    pub max_ratio: u64,
    /// Columns of a row (a cell's column decides how many cells its row holds, so a tiny
    /// XLSX naming column 4 billion must be refused before anything is sized by it).
    pub max_columns: usize,
    /// XLSX: bytes the shared strings inflate to, and how many strings they may declare. A
    /// reader loads every shared string before the first row, each costing more than its XML,
    /// so this part is bounded far below the whole file's limit.
    pub max_shared_strings_bytes: u64,
    pub max_shared_strings: u64,
}

/// The columns of an Excel sheet (A to XFD).
pub const EXCEL_COLUMNS: usize = 16_384;

impl Default for Limits {
    /// Enough for a national year of figures in one file (1.6 million values).
    fn default() -> Self {
        Self {
            max_bytes: 128 << 20,
            max_rows: 2_000_000,
            max_entries: 1_000,
            max_unzipped: 512 << 20,
            max_ratio: 1_000,
            max_columns: EXCEL_COLUMNS,
            max_shared_strings_bytes: 16 << 20,
            max_shared_strings: 500_000,
        }
    }
}

/// One cell as read: text (NFC), a number from a spreadsheet's numeric cell (as the shortest
/// decimal that gives back the stored double), or a spreadsheet's date or time cell (as the
/// date it shows, dd/mm/yyyy): a spreadsheet turns "1/5" or "5-1" typed into a figure's cell
/// into a date, whose stored number (a day count, 45.662 for 05/01/2025) is no figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawCell {
    Empty,
    Text(String),
    Number(String),
    Date(String),
}

impl RawCell {
    /// The cell as text (a number's decimal form, a date as dd/mm/yyyy).
    pub fn text(&self) -> &str {
        match self {
            RawCell::Empty => "",
            RawCell::Text(t) | RawCell::Number(t) | RawCell::Date(t) => t,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }
}

/// The kind of file, from its first bytes.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// A cell beyond the last column the limits allow.
fn too_many_columns(limits: &Limits, sheet: &str, row: usize, column: usize) -> ImportError {
    too_large(
        &format!(
            "ô ở cột thứ {} trong khi tối đa {} cột",
            column + 1,
            limits.max_columns
        ),
        &format!(
            "a cell in column {} while at most {} columns are read",
            column + 1,
            limits.max_columns
        ),
    )
    .at(sheet, row, None)
}

fn too_large(what_vi: &str, what_en: &str) -> ImportError {
    ImportError::file(
        "too_large",
        format!("Tệp vượt giới hạn: {what_vi}."),
        format!("The file is over the limit: {what_en}."),
    )
}

/// Reads every row of every sheet, calling `row(sheet, row_number, cells)` (1-based rows).
/// The callback returns `false` to stop early (too many errors).
pub fn read(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
    row: &mut dyn FnMut(&str, usize, &[RawCell]) -> bool,
) -> Result<(), ImportError> {
    if bytes.len() > limits.max_bytes {
        return Err(too_large(
            &format!("{} byte, tối đa {}", bytes.len(), limits.max_bytes),
            &format!("{} bytes, at most {}", bytes.len(), limits.max_bytes),
        ));
    }
    if is_xlsx(bytes) {
        read_xlsx(bytes, limits, row)
    } else {
        read_csv(bytes, file_name, limits, row)
    }
}

/// The delimiter of a CSV file: `,`, or `;` (Excel where "," is the decimal mark), or a tab,
/// whichever the first line holds most of.
fn delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .filter(|d| first.as_bytes().contains(d))
        .unwrap_or(b',')
}

fn legacy_in_cell(sheet: &str, row: usize, col: usize, legacy: Legacy) -> ImportError {
    legacy
        .error()
        .at(sheet, row, Some(crate::error::column_letter(col)))
}

fn read_csv(
    bytes: &[u8],
    file_name: &str,
    limits: &Limits,
    row: &mut dyn FnMut(&str, usize, &[RawCell]) -> bool,
) -> Result<(), ImportError> {
    let text = encoding::decode(bytes)?;
    // Comment lines are skipped, except a `# number_format:` declaration before the heading,
    // handed on as a row of one cell (as a workbook would hold it).
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if !line.is_empty() && !line.starts_with('#') {
            break;
        }
        if number_format_directive(line).is_some()
            && !row(file_name, i + 1, &[RawCell::Text(line.to_owned())])
        {
            return Ok(());
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut cells = Vec::new();
    let mut count = 0;
    let mut lines = Lines::new(text);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| {
                    lines.record_start(usize::try_from(p.byte()).unwrap_or(usize::MAX))
                });
                return Err(ImportError::file(
                    "csv_syntax",
                    // The reader's own words are English: the Vietnamese message says where.
                    format!(
                        "CSV sai cú pháp ở dòng {line} (số cột hoặc dấu ngoặc kép không đúng)."
                    ),
                    format!("CSV syntax error: {e}"),
                )
                .at(file_name, line, None));
            }
        }
        count += 1;
        if count > limits.max_rows {
            return Err(too_large(
                &format!("hơn {} dòng", limits.max_rows),
                &format!("more than {} rows", limits.max_rows),
            ));
        }
        let line = record.position().map_or(count, |p| {
            lines.record_start(usize::try_from(p.byte()).unwrap_or(usize::MAX))
        });
        if record.len() > limits.max_columns {
            return Err(too_many_columns(limits, file_name, line, record.len() - 1));
        }
        cells.clear();
        for (col, field) in record.iter().enumerate() {
            let text =
                encoding::cell_text(field).map_err(|l| legacy_in_cell(file_name, line, col, l))?;
            cells.push(if text.is_empty() {
                RawCell::Empty
            } else {
                RawCell::Text(text)
            });
        }
        if !row(file_name, line, &cells) {
            return Ok(());
        }
    }
}

/// The line a CSV record starts on, as an editor numbers the file's lines (each `\n` ends one,
/// so `\r\n` counts once).
///
/// The CSV reader's own line number is not that: it is taken where the reader stood before the
/// record, which is before what it skips — blank lines, comment lines, and with CRLF endings
/// the `\n` after the `\r` that ended the previous record — so a CRLF file's rows came out one
/// line too low. The record's start is found from the reader's byte position instead, by
/// skipping what the reader skips before a record: line ends (`\r`, `\n`) and `#` comment
/// lines. Positions only move forward, so the whole file is counted once.
struct Lines<'a> {
    text: &'a [u8],
    /// Where the count has reached, and the line that byte is on.
    byte: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.text.len());
        if to > self.byte {
            self.line += self.text[self.byte..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.byte = to;
        }
    }

    /// The line of the record the reader read from byte `from` on.
    fn record_start(&mut self, from: usize) -> usize {
        self.advance_to(from);
        loop {
            match self.text.get(self.byte) {
                Some(b'\r' | b'\n') => self.advance_to(self.byte + 1),
                Some(b'#') => {
                    let end = self.text[self.byte..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(self.text.len(), |at| self.byte + at + 1);
                    self.advance_to(end);
                }
                _ => return self.line,
            }
        }
    }
}

/// Checks the ZIP under an XLSX before any reader inflates it: entry count, declared sizes
/// and ratios, then the real inflated size of every entry, counted into a fixed buffer.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ImportError> {
    let not_xlsx = |e: &dyn std::fmt::Display| {
        ImportError::file(
            "invalid_xlsx",
            // The ZIP reader's words are English: kept for the English message only.
            "Tệp không phải .xlsx hợp lệ (không mở được như một bảng tính Excel).".to_owned(),
            format!("Not a valid .xlsx file: {e}"),
        )
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if zip.len() > limits.max_entries {
        return Err(too_large(
            &format!("{} mục trong tệp nén", zip.len()),
            &format!("{} entries in the archive", zip.len()),
        ));
    }
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| not_xlsx(&e))?;
        declared = declared.saturating_add(entry.size());
        if entry.size()
            > entry
                .compressed_size()
                .max(1)
                .saturating_mul(limits.max_ratio)
        {
            return Err(bomb());
        }
        if entry.name().is_ok_and(|n| is_shared_strings(&n))
            && entry.size() > limits.max_shared_strings_bytes
        {
            return Err(too_many_strings(limits));
        }
    }
    if declared > limits.max_unzipped {
        return Err(bomb());
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| not_xlsx(&e))?;
        let shared = entry.name().is_ok_and(|n| is_shared_strings(&n));
        let (mut part, mut head) = (0u64, Vec::new());
        loop {
            let n = entry.read(&mut buf).map_err(|e| not_xlsx(&e))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            part += n as u64;
            if total > limits.max_unzipped {
                return Err(bomb());
            }
            if shared {
                if part > limits.max_shared_strings_bytes {
                    return Err(too_many_strings(limits));
                }
                if head.len() < 4096 {
                    head.extend_from_slice(&buf[..n.min(4096 - head.len())]);
                }
            }
        }
        if shared && declared_strings(&head) > limits.max_shared_strings {
            return Err(too_many_strings(limits));
        }
    }
    Ok(())
}

fn is_shared_strings(name: &str) -> bool {
    name.eq_ignore_ascii_case("xl/sharedStrings.xml")
}

/// The number of distinct strings the shared strings' root element declares (`uniqueCount`):
/// a reader reserves that many before reading one, so a huge one is refused here. Not `count`,
/// the number of cells that refer to them, which nothing reserves and which a large honest
/// workbook exceeds (a national year: 4.9 M references to 3,456 strings). A value that is not
/// a number counts as huge.
fn declared_strings(head: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(head);
    let Some(root) = text.find("<sst").map(|at| &text[at..]) else {
        return 0;
    };
    let root = &root[..root.find('>').unwrap_or(root.len())];
    let attr = "uniqueCount=";
    let Some(at) = root.find(&format!(" {attr}")) else {
        return 0;
    };
    let value = root[at + attr.len() + 1..].trim_start_matches(['"', '\'']);
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<u64>().unwrap_or(u64::MAX)
}

fn too_many_strings(limits: &Limits) -> ImportError {
    too_large(
        &format!(
            "phần chuỗi dùng chung của bảng tính vượt {} MB hoặc {} chuỗi",
            limits.max_shared_strings_bytes >> 20,
            limits.max_shared_strings
        ),
        &format!(
            "the workbook's shared strings exceed {} MB or {} strings",
            limits.max_shared_strings_bytes >> 20,
            limits.max_shared_strings
        ),
    )
}

fn bomb() -> ImportError {
    ImportError::file(
        "zip_bomb",
        "Tệp .xlsx giải nén ra quá lớn so với kích thước của nó (có thể là «bom nén»); không đọc.",
        "The .xlsx file inflates far beyond its size (a possible decompression bomb); not read.",
    )
}

/// A numeric cell's value as the shortest decimal that gives back the stored double, refused
/// when it has more than 15 significant digits (a computed binary fraction, not a typed value).
fn float_text(f: f64) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let s = format!("{f}");
    let digits = s
        .trim_start_matches('-')
        .replace('.', "")
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len();
    (digits <= 15).then_some(s)
}

/// A date cell as the date a spreadsheet shows (dd/mm/yyyy, in the workbook's 1900 or 1904
/// date system), or its stored number when it is no day of the calendar (a time alone, a
/// duration).
fn date_text(d: &calamine::ExcelDateTime) -> String {
    if d.is_datetime() && d.as_f64() >= 1.0 {
        let (year, month, day, ..) = d.to_ymd_hms_milli();
        format!("{day:02}/{month:02}/{year}")
    } else {
        format!("{}", d.as_f64())
    }
}

fn xlsx_cell(value: &DataRef<'_>) -> Result<RawCell, (&'static str, &'static str)> {
    Ok(match value {
        DataRef::Empty => RawCell::Empty,
        DataRef::Int(i) => RawCell::Number(i.to_string()),
        DataRef::Float(f) => RawCell::Number(float_text(*f).ok_or((
            "số có quá nhiều chữ số (kết quả tính toán?); hãy nhập giá trị",
            "a number with too many digits (a computed result?); type the value",
        ))?),
        DataRef::String(s) => RawCell::Text(s.clone()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => RawCell::Date(s.clone()),
        DataRef::SharedString(s) => RawCell::Text((*s).to_owned()),
        DataRef::Bool(b) => RawCell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        DataRef::DateTime(d) => RawCell::Date(date_text(d)),
        DataRef::Error(_) => {
            return Err((
                "ô có lỗi công thức (#DIV/0!, #REF!…)",
                "the cell holds a formula error (#DIV/0!, #REF!…)",
            ))
        }
    })
}

fn read_xlsx(
    bytes: &[u8],
    limits: &Limits,
    row: &mut dyn FnMut(&str, usize, &[RawCell]) -> bool,
) -> Result<(), ImportError> {
    check_zip(bytes, limits)?;
    let invalid = |e: &dyn std::fmt::Display| {
        ImportError::file(
            "invalid_xlsx",
            "Không đọc được tệp .xlsx (tệp hỏng hoặc không phải bảng tính Excel).".to_owned(),
            format!("Cannot read the .xlsx file: {e}"),
        )
    };
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| invalid(&e))?;
    let mut count = 0usize;
    for sheet in book.sheet_names() {
        let mut cells_reader = book
            .worksheet_cells_reader(&sheet)
            .map_err(|e| invalid(&e))?;
        let mut current: Option<u32> = None;
        let mut cells: Vec<RawCell> = Vec::new();
        let mut flush =
            |r: u32, cells: &mut Vec<RawCell>, count: &mut usize| -> Result<bool, ImportError> {
                *count += 1;
                if *count > limits.max_rows {
                    return Err(too_large(
                        &format!("hơn {} dòng", limits.max_rows),
                        &format!("more than {} rows", limits.max_rows),
                    ));
                }
                let keep_going = row(&sheet, r as usize + 1, cells);
                cells.clear();
                Ok(keep_going)
            };
        while let Some(cell) = cells_reader.next_cell().map_err(|e| invalid(&e))? {
            let (r, c) = cell.get_position();
            if c as usize >= limits.max_columns {
                return Err(too_many_columns(limits, &sheet, r as usize + 1, c as usize));
            }
            if current.is_some_and(|cur| cur != r)
                && !flush(current.unwrap_or(0), &mut cells, &mut count)?
            {
                return Ok(());
            }
            current = Some(r);
            let raw = xlsx_cell(cell.get_value()).map_err(|(vi, en)| {
                ImportError::file("invalid_cell", vi, en).at(
                    &sheet,
                    r as usize + 1,
                    Some(crate::error::column_letter(c as usize)),
                )
            })?;
            let raw = match raw {
                RawCell::Text(t) => {
                    let t = encoding::cell_text(&t)
                        .map_err(|l| legacy_in_cell(&sheet, r as usize + 1, c as usize, l))?;
                    if t.is_empty() {
                        RawCell::Empty
                    } else {
                        RawCell::Text(t)
                    }
                }
                other => other,
            };
            let c = c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, RawCell::Empty);
            }
            cells[c] = raw;
        }
        if let Some(r) = current {
            if !flush(r, &mut cells, &mut count)? {
                return Ok(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> Result<Vec<(String, usize, Vec<RawCell>)>, ImportError> {
        let mut out = Vec::new();
        read(bytes, "t.csv", &Limits::default(), &mut |s, r, c| {
            out.push((s.to_owned(), r, c.to_vec()));
            true
        })?;
        Ok(out)
    }

    #[test]
    fn only_the_distinct_strings_count_against_the_limit() {
        let root = |attrs: &str| format!("<?xml version=\"1.0\"?><sst xmlns=\"x\" {attrs}><si>");
        let national = root("count=\"4896008\" uniqueCount=\"3456\"");
        assert_eq!(declared_strings(national.as_bytes()), 3456);
        let huge = root("count=\"1\" uniqueCount=\"18446744073709551615\"");
        assert_eq!(declared_strings(huge.as_bytes()), u64::MAX);
        assert_eq!(
            declared_strings(root("uniqueCount='x'").as_bytes()),
            u64::MAX
        );
        assert_eq!(declared_strings(root("count=\"9\"").as_bytes()), 0);
    }

    /// A spreadsheet's text cells are NFC too, and mojibake in one is refused with its sheet,
    /// row and column, as in a CSV file.
    #[test]
    fn xlsx_text_cells_are_nfc_and_mojibake_is_refused() {
        let workbook = |cell: &str| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_string(0, 0, "unit").unwrap();
            sheet.write_string(1, 1, cell).unwrap();
            book.save_to_buffer().unwrap()
        };
        let mut out = Vec::new();
        let bytes = workbook(" Kie\u{0302}n Giang ");
        read(&bytes, "t.xlsx", &Limits::default(), &mut |_, r, c| {
            out.push((r, c.to_vec()));
            true
        })
        .unwrap();
        assert_eq!(out[1].0, 2);
        assert_eq!(
            out[1].1[1],
            RawCell::Text("Kiên Giang".into()),
            "NFC, trimmed"
        );
        let bytes = workbook("C«ng an");
        let e = read(&bytes, "t.xlsx", &Limits::default(), &mut |_, _, _| true).unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("B")));
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_any_delimiter() {
        let r =
            rows("# chú thích\nunit,element\n\"KG\",\"Kie\u{0302}n, Giang\"\n".as_bytes()).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].1, 3, "line numbers count comment lines");
        assert_eq!(r[1].2[1], RawCell::Text("Kiên, Giang".into()), "NFC");
        let r = rows("a;b\n1,5;2\n".as_bytes()).unwrap();
        assert_eq!(r[1].2[0], RawCell::Text("1,5".into()));
        let e = rows("a,b\nC«ng,1\n".as_bytes()).unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("A")));
    }

    fn lines_of(text: &str) -> Vec<usize> {
        rows(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {text:?}"))
            .into_iter()
            .map(|r| r.1)
            .collect()
    }

    /// A row is numbered by the line it starts on, as an editor numbers the file's lines: the
    /// same with CRLF (Excel, Python) as with LF endings, a mix of both, blank and comment
    /// lines between rows, and a quoted cell holding a line break (its row keeps the line it
    /// starts on, the next row the line after the break).
    #[test]
    fn csv_rows_are_numbered_by_file_line_whatever_the_line_endings() {
        let lines = ["unit,value", "KG,1", "AG,2", "HG,3"];
        for end in ["\n", "\r\n"] {
            let text: String = lines.iter().map(|l| format!("{l}{end}")).collect();
            assert_eq!(lines_of(&text), [1, 2, 3, 4], "{text:?}");
            assert_eq!(lines_of(text.trim_end()), [1, 2, 3, 4], "no final line end");
            let text = format!("# number_format: vi{end}# note{end}{end}{text}");
            assert_eq!(lines_of(&text), [1, 4, 5, 6, 7], "{text:?}");
        }
        assert_eq!(
            lines_of("unit,value\r\nKG,1\nAG,2\r\n\r\n# note\nHG,3\r\nCM,4"),
            [1, 2, 3, 6, 7],
            "mixed endings, a blank and a comment line"
        );
        for end in ["\n", "\r\n"] {
            let text = format!(
                "unit,note{end}KG,\"Kiên{end}Giang\"{end}AG,x{end}HG,\"a{end}{end}b\",{end}CM,y"
            );
            assert_eq!(lines_of(&text), [1, 2, 4, 5, 8], "{text:?}");
        }
        // A refused cell is placed at its row's line by the same count.
        let text = "unit,value\r\nKG,1\r\nAG,C«ng\r\n";
        let e = rows(text.as_bytes()).unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("B")), "{e}");
    }

    #[test]
    fn numbers_from_spreadsheets_are_their_shortest_decimal() {
        assert_eq!(float_text(12.5).as_deref(), Some("12.5"));
        assert_eq!(float_text(0.1).as_deref(), Some("0.1"));
        assert_eq!(float_text(1234.0).as_deref(), Some("1234"));
        assert_eq!(float_text(0.1 + 0.2), None, "0.30000000000000004");
        assert_eq!(float_text(f64::NAN), None);
    }
}
