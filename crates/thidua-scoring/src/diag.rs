//! Diagnostics: every problem found in a regulation, with line, column, a stable code and a
//! message in Vietnamese and in English. This module owns the codes' spelling.
use serde::Serialize;
use std::fmt;

/// One problem in a regulation text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// Stable machine code, e.g. `unknown_name`.
    pub code: &'static str,
    pub message_vi: String,
    pub message_en: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "dòng {}, cột {} [{}]: {} / line {}, column {}: {}",
            self.line,
            self.column,
            self.code,
            self.message_vi,
            self.line,
            self.column,
            self.message_en
        )
    }
}

/// A non-empty list of diagnostics, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The codes, in order (handy in tests).
    pub fn codes(&self) -> Vec<&'static str> {
        self.0.iter().map(|d| d.code).collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Every stable diagnostic code with its meaning (English). Documented in the README.
pub const CODES: &[(&str, &str)] = &[
    ("toml_syntax", "the text is not valid TOML"),
    ("format", "missing or unsupported `format`"),
    ("missing_key", "a required key is absent"),
    ("unknown_key", "a key the language does not define"),
    ("wrong_type", "a value of the wrong TOML type"),
    (
        "invalid_id",
        "an id that is not ASCII letters, digits and `_` starting with a letter",
    ),
    ("duplicate_id", "two declarations with the same id"),
    (
        "invalid_number",
        "a number that cannot be read exactly as a decimal",
    ),
    (
        "invalid_period",
        "a period key that is not like 2024-M03, 2024-Q1, 2024-H1, 2024-9M, 2024-Y",
    ),
    ("invalid_value", "a value outside the allowed set or range"),
    ("expr_syntax", "an expression that cannot be parsed"),
    (
        "expr_limit",
        "an expression too long or nested too deeply, indicators depending on each other through too many levels, or criteria nested too deeply",
    ),
    (
        "unknown_function",
        "an unknown function or a wrong number of arguments",
    ),
    (
        "unknown_name",
        "a reference to an undeclared element, indicator, area or criterion",
    ),
    ("cycle", "indicators or criteria that depend on themselves"),
    (
        "type_error",
        "a yes/no value where a number is needed or the reverse",
    ),
    (
        "criterion_shape",
        "a criterion that is not exactly one of: parent, manual, met, scaled",
    ),
    (
        "invalid_scale",
        "scale parameters that are missing or inconsistent",
    ),
    (
        "points_sum",
        "standard points that do not add up to the parent's or the declared total",
    ),
    ("band_overlap", "classification bands that overlap"),
    ("band_gap", "classification bands that leave a gap"),
    ("empty", "a regulation without areas, criteria or bands"),
];

/// Maps byte offsets to 1-based line and column.
pub(crate) struct LineIndex<'a> {
    src: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let mut starts = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex { src, starts }
    }

    pub(crate) fn pos(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.src.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while end > start && !self.src.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.src[start..end].chars().count() + 1;
        (line as u32 + 1, col as u32)
    }
}

/// Collects diagnostics while reading one text.
pub(crate) struct Sink<'a> {
    pub(crate) index: LineIndex<'a>,
    pub(crate) diags: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Sink {
            index: LineIndex::new(src),
            diags: Vec::new(),
        }
    }

    pub(crate) fn err(
        &mut self,
        offset: usize,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) {
        let (line, column) = self.index.pos(offset);
        self.diags.push(Diagnostic {
            line,
            column,
            code,
            message_vi: vi.into(),
            message_en: en.into(),
        });
    }

    pub(crate) fn finish(mut self) -> Result<(), Diagnostics> {
        if self.diags.is_empty() {
            Ok(())
        } else {
            self.diags.sort_by_key(|d| (d.line, d.column));
            Err(Diagnostics(self.diags))
        }
    }
}
