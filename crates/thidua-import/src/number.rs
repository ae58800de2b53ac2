//! Reading a figure from a cell. A template declares its number form: `plain` ("1234.5", as the
//! data files of `thidua score` are written) or `vi` ("1.234,5": "." groups thousands, ","
//! marks decimals). "1.234" means 1234 only where the template says `vi`; an ambiguous form is
//! refused rather than guessed. Numeric spreadsheet cells carry no such ambiguity. "Not
//! applicable" is written `na`, `không áp dụng` or `KAD`; an empty cell is "not given".

use rust_decimal::Decimal;
use thidua_domain::figures::FigureValue;

use crate::table::RawCell;

/// How numbers are written in text cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberForm {
    /// `1234.5`
    Plain,
    /// `1.234,5`
    Vietnamese,
}

impl NumberForm {
    pub fn code(self) -> &'static str {
        match self {
            NumberForm::Plain => "plain",
            NumberForm::Vietnamese => "vi",
        }
    }

    pub fn parse(raw: &str) -> Option<NumberForm> {
        match raw.trim().to_lowercase().as_str() {
            "plain" | "thường" => Some(NumberForm::Plain),
            "vi" | "việt nam" => Some(NumberForm::Vietnamese),
            _ => None,
        }
    }
}

/// Why a cell is not a figure, in Vietnamese and English.
pub type Refusal = (String, String);

fn is_na(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "na" | "n/a" | "không áp dụng" | "kad"
    )
}

/// `1.234,5` → `1234.5`; `None` when the grouping is not exactly by threes.
fn vietnamese(text: &str) -> Option<String> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (int, frac) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let groups: Vec<&str> = int.split('.').collect();
    let grouped_ok = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1 || groups[0].len() <= 3)
        && groups[1..].iter().all(|g| g.len() == 3);
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    (grouped_ok && frac_ok).then(|| {
        let mut s = format!("{neg}{}", groups.concat());
        if let Some(f) = frac {
            s.push('.');
            s.push_str(f);
        }
        s
    })
}

/// Reads a figure from a cell; `Ok(None)` for an empty cell.
pub fn figure(cell: &RawCell, form: NumberForm) -> Result<Option<FigureValue>, Refusal> {
    let text = match cell {
        RawCell::Empty => return Ok(None),
        RawCell::Number(n) => {
            return Decimal::from_str_exact(n)
                .map(|d| Some(FigureValue::Number(d)))
                .map_err(|_| {
                    (
                        format!("«{n}» không phải số"),
                        format!("«{n}» is not a number"),
                    )
                })
        }
        RawCell::Text(t) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if is_na(text) {
        return Ok(Some(FigureValue::NotApplicable));
    }
    let plain = match form {
        NumberForm::Plain => {
            if text.contains(',') {
                return Err((
                    format!("«{text}»: tệp khai báo số dạng thường, dùng dấu chấm thập phân (ví dụ 12.5)"),
                    format!("«{text}»: the file declares plain numbers, with a decimal point (e.g. 12.5)"),
                ));
            }
            Some(text.to_owned())
        }
        NumberForm::Vietnamese => vietnamese(text),
    };
    plain
        .as_deref()
        .and_then(FigureValue::parse)
        .map(Some)
        .ok_or_else(|| {
            (
                format!("«{text}» không phải số (ghi số, hoặc «không áp dụng»)"),
                format!("«{text}» is not a number (write a number, or «không áp dụng» for not applicable)"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vi(s: &str) -> Result<Option<FigureValue>, Refusal> {
        figure(&RawCell::Text(s.into()), NumberForm::Vietnamese)
    }
    fn plain(s: &str) -> Result<Option<FigureValue>, Refusal> {
        figure(&RawCell::Text(s.into()), NumberForm::Plain)
    }
    fn n(s: &str) -> Option<FigureValue> {
        Some(FigureValue::Number(s.parse().unwrap()))
    }

    #[test]
    fn vietnamese_forms_only_where_declared() {
        assert_eq!(vi("1.234").unwrap(), n("1234"));
        assert_eq!(vi("12,5").unwrap(), n("12.5"));
        assert_eq!(vi("1.234.567,25").unwrap(), n("1234567.25"));
        assert_eq!(vi("1234").unwrap(), n("1234"));
        assert_eq!(vi("-3,5").unwrap(), n("-3.5"));
        for bad in [
            "1.23", "12.5", "1,234.5", "1.2345", ",5", "1.", "abc", "1 234",
        ] {
            assert!(vi(bad).is_err(), "{bad}");
        }
        assert_eq!(plain("1234.5").unwrap(), n("1234.5"));
        assert!(plain("12,5").unwrap_err().1.contains("plain numbers"));
        assert_eq!(
            plain("Không áp dụng").unwrap(),
            Some(FigureValue::NotApplicable)
        );
        assert_eq!(plain("").unwrap(), None);
        assert_eq!(
            figure(&RawCell::Number("12.5".into()), NumberForm::Vietnamese).unwrap(),
            n("12.5")
        );
    }
}
