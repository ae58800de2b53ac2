//! Import errors: where (sheet, row, column) and why, in Vietnamese and English, with a stable
//! code. An import with any error imports nothing; up to [`MAX_ERRORS`] are reported at once.

use serde::Serialize;

/// At most this many errors are collected before reading stops.
pub const MAX_ERRORS: usize = 50;

/// One problem in an imported file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportError {
    /// The sheet's name (XLSX) or the file's name (CSV); absent for the file as a whole.
    pub sheet: Option<Box<str>>,
    /// 1-based row (a CSV line), if the problem is in a row.
    pub row: Option<usize>,
    /// The column's letter and heading, e.g. `E (Số liệu)`.
    pub column: Option<Box<str>>,
    pub code: &'static str,
    pub message_vi: Box<str>,
    pub message_en: Box<str>,
}

impl ImportError {
    /// A problem with the file as a whole.
    pub fn file(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            sheet: None,
            row: None,
            column: None,
            code,
            message_vi: vi.into().into_boxed_str(),
            message_en: en.into().into_boxed_str(),
        }
    }

    pub fn at(mut self, sheet: &str, row: usize, column: Option<String>) -> Self {
        self.sheet = Some(sheet.into());
        self.row = Some(row);
        self.column = column.map(String::into_boxed_str);
        self
    }

    /// Where, in Vietnamese: "Trang «Số liệu», dòng 12, cột E (Số liệu)".
    pub fn place_vi(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.sheet {
            parts.push(format!("trang «{s}»"));
        }
        if let Some(r) = self.row {
            parts.push(format!("dòng {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("cột {c}"));
        }
        parts.join(", ")
    }

    /// Where, in English: "sheet «Số liệu», row 12, column E (Số liệu)".
    pub fn place_en(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.sheet {
            parts.push(format!("sheet «{s}»"));
        }
        if let Some(r) = self.row {
            parts.push(format!("row {r}"));
        }
        if let Some(c) = &self.column {
            parts.push(format!("column {c}"));
        }
        parts.join(", ")
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (pv, pe) = (self.place_vi(), self.place_en());
        let sep = |p: &str| {
            if p.is_empty() {
                String::new()
            } else {
                format!("{p}: ")
            }
        };
        write!(
            f,
            "{}{} / {}{} [{}]",
            sep(&pv),
            self.message_vi,
            sep(&pe),
            self.message_en,
            self.code
        )
    }
}

/// Every error found in a file (nothing was imported).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportErrors(pub Vec<ImportError>);

impl ImportErrors {
    pub fn one(e: ImportError) -> Self {
        Self(vec![e])
    }

    pub fn push(&mut self, e: ImportError) {
        if self.0.len() < MAX_ERRORS {
            self.0.push(e);
        }
    }

    pub fn is_full(&self) -> bool {
        self.0.len() >= MAX_ERRORS
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(self)` when any error was found.
    pub fn into_result(self) -> Result<(), ImportErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl From<ImportError> for ImportErrors {
    fn from(e: ImportError) -> Self {
        Self::one(e)
    }
}

impl std::fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// The spreadsheet letter of a 0-based column (`0` → `A`, `27` → `AB`).
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_like_a_spreadsheet() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(4), "E");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        let e = ImportError::file("invalid_number", "không phải số", "not a number").at(
            "Số liệu",
            12,
            Some("E (Số liệu)".into()),
        );
        assert_eq!(
            e.to_string(),
            "trang «Số liệu», dòng 12, cột E (Số liệu): không phải số / sheet «Số liệu», row 12, column E (Số liệu): not a number [invalid_number]"
        );
    }
}
