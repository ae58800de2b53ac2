//! Reading a figure from a cell, by the one number rule of every import
//! ([`thidua_scoring::input::parse_number`]). A file declares how its numbers are written:
//! `plain` ("1234.5", the default, where a separator such as "1.000" is refused rather than
//! guessed), `vi` ("1.234,5") or `en` ("1,234.5"). A template says so on its «Cách viết số»
//! line; a data file as `thidua score --data` reads it, by a `# number_format: vi` line before
//! its heading. Numeric spreadsheet cells carry no such ambiguity. "Not applicable" is written
//! `na`, `không áp dụng` or `KAD`; an empty cell is "not given".

use rust_decimal::Decimal;
use thidua_domain::figures::{FigureProblem, FigureValue, FormElement};
pub use thidua_scoring::input::NumberFormat;
use thidua_scoring::input::{number_format_directive, parse_number};

use crate::table::RawCell;

/// The spaces a spreadsheet may put between groups of three digits: a space, a no-break space
/// and a narrow no-break space (how Excel shows "1 650" in some locales).
pub const GROUP_SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// A number written with spaces between groups of three digits ("1 650", "12 345 678,5") as
/// the grid writes it ("1.650", "12.345.678,5"); `None` for anything else. The grid reads
/// numbers the Vietnamese way (its help says so), where "1.650" is one thousand six hundred
/// and fifty: a space between such groups says the same, and the paste box, one figure per
/// line, reads it so. In a grid cell a space is not read (a column pasted into one cell
/// arrives as figures separated by spaces: `pasted_into_one_cell`).
pub fn space_grouped(text: &str) -> Option<String> {
    let text = text.trim();
    let groups: Vec<&str> = text.split(GROUP_SPACES).collect();
    let (first, rest) = groups.split_first()?;
    let (last, middle) = rest.split_last()?;
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let (last_int, fraction) = match last.split_once(',') {
        Some((int, frac)) => (int, Some(frac)),
        None => (*last, None),
    };
    let grouped = (1..=3).contains(&first.len())
        && digits(first)
        && middle.iter().all(|g| g.len() == 3 && digits(g))
        && last_int.len() == 3
        && digits(last_int)
        && fraction.is_none_or(digits);
    grouped.then(|| groups.join("."))
}

/// A declared number format by its code (`plain`, `vi`, `en`) or its Vietnamese name
/// (`thường`, `việt nam`), as a template's form line may write it.
pub fn format_named(raw: &str) -> Option<NumberFormat> {
    match raw.trim().to_lowercase().as_str() {
        "thường" => Some(NumberFormat::Plain),
        "việt nam" => Some(NumberFormat::Vi),
        other => NumberFormat::from_name(other),
    }
}

/// The format a row declares, if the row is a `# number_format: …` line: `Some(Ok(format))`,
/// or `Some(Err(name))` for a name that is no format.
pub fn directive(cells: &[RawCell]) -> Option<Result<NumberFormat, String>> {
    let name = number_format_directive(cells.first()?.text())?;
    Some(NumberFormat::from_name(name).ok_or_else(|| name.to_owned()))
}

/// Why a cell is not a figure: the stable code, then Vietnamese and English.
pub type Refusal = (&'static str, String, String);

fn is_na(text: &str) -> bool {
    matches!(
        text.to_lowercase().as_str(),
        "na" | "n/a" | "không áp dụng" | "kad"
    )
}

/// The refusal of a date cell where a figure belongs: a spreadsheet turned what was typed
/// ("1/5", "5-1") into a date, whose day count is no figure.
fn date_cell(date: &str) -> Refusal {
    (
        "date_cell",
        format!(
            "ô là ngày tháng ({date}), không phải số: bảng tính đã tự đổi số liệu gõ vào thành \
             ngày; định dạng ô là Số (Number) hoặc Văn bản (Text) rồi nhập lại số liệu"
        ),
        format!(
            "the cell is a date ({date}), not a number: the spreadsheet turned what was typed \
             into a date; format the cell as Number or Text and type the figure again"
        ),
    )
}

/// Reads a figure from a cell; `Ok(None)` for an empty cell.
pub fn figure(cell: &RawCell, format: NumberFormat) -> Result<Option<FigureValue>, Refusal> {
    let text = match cell {
        RawCell::Empty => return Ok(None),
        RawCell::Number(n) => {
            return Decimal::from_str_exact(n)
                .map(|d| Some(FigureValue::Number(d)))
                .map_err(|_| {
                    (
                        "invalid_number",
                        format!("«{n}» không phải số"),
                        format!("«{n}» is not a number"),
                    )
                })
        }
        RawCell::Date(d) => return Err(date_cell(d)),
        RawCell::Text(t) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    if is_na(text) {
        return Ok(Some(FigureValue::NotApplicable));
    }
    parse_number(text, format)
        .map(|d| Some(FigureValue::Number(d)))
        .map_err(|e| (e.code, e.vi, e.en))
}

/// Reads one element's figure for a report: as [`figure`], then checked against what the
/// regulation declares of the element ([`FormElement::check`]); every refusal names the element.
pub fn element_figure(
    cell: &RawCell,
    format: NumberFormat,
    element: &FormElement,
) -> Result<Option<FigureValue>, Refusal> {
    let name = &element.name;
    match figure(cell, format) {
        Ok(Some(FigureValue::Number(d))) => match element.check(&d) {
            Ok(()) => Ok(Some(FigureValue::Number(d))),
            Err(problem) => {
                let (mut vi, mut en) = problem_words(&problem, format);
                if let Some((dots, plain)) = comma_grouped(cell, format, &problem) {
                    vi.push_str(&format!(
                        "; dấu phẩy là dấu thập phân: nếu là hàng nghìn, viết {dots} hoặc {plain}"
                    ));
                    en.push_str(&format!(
                        "; the comma is the decimal mark here: for thousands write {dots} or {plain}"
                    ));
                }
                Err((
                    "invalid_figure",
                    format!("{name}: {vi}"),
                    format!("{name}: {en}"),
                ))
            }
        },
        Ok(v) => Ok(v),
        Err((code, vi, en)) => Err((code, format!("{name}: {vi}"), format!("{name}: {en}"))),
    }
}

/// A whole number typed with commas between groups of three digits ("1,200"), refused as a
/// fraction where the comma is the decimal mark: how to write it (`1.200`, `1200`).
fn comma_grouped(
    cell: &RawCell,
    format: NumberFormat,
    problem: &FigureProblem,
) -> Option<(String, String)> {
    let RawCell::Text(text) = cell else {
        return None;
    };
    let text = text.trim();
    let mut groups = text.split(',');
    let head = groups.next()?;
    let grouped = (1..=3).contains(&head.len())
        && head.bytes().all(|b| b.is_ascii_digit())
        && text.contains(',')
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    (grouped && format == NumberFormat::Vi && *problem == FigureProblem::NotWhole)
        .then(|| (text.replace(',', "."), text.replace(',', "")))
}

/// Why a figure is refused, in Vietnamese and English (a bound in `format`): the words of the
/// imports and of the web's refusals alike.
pub fn problem_words(problem: &FigureProblem, format: NumberFormat) -> (String, String) {
    match problem {
        FigureProblem::Negative => (
            "số liệu không được âm".into(),
            "a figure cannot be negative".into(),
        ),
        FigureProblem::NotWhole => (
            "số liệu đếm số lượng: phải là số nguyên".into(),
            "the figure counts things: a whole number".into(),
        ),
        FigureProblem::BelowMin(m) => (
            format!("nhỏ hơn mức tối thiểu {}", format_bound(m, format)),
            format!("below the minimum {}", format_bound(m, format)),
        ),
        FigureProblem::AboveMax(m) => (
            format!("lớn hơn mức tối đa {}", format_bound(m, format)),
            format!("above the maximum {}", format_bound(m, format)),
        ),
    }
}

fn format_bound(d: &Decimal, format: NumberFormat) -> String {
    let plain = d.normalize().to_string();
    match format {
        NumberFormat::Vi => plain.replace('.', ","),
        NumberFormat::Plain | NumberFormat::En => plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "1,200" where the comma is the decimal mark is 1,2, not a whole number: the refusal
    /// says how to write twelve hundred.
    #[test]
    fn a_comma_grouped_count_is_told_how_to_write_thousands() {
        let form = thidua_domain::figures::FormElement {
            id: "personnel".into(),
            name: "Quân số".into(),
            unit: None,
            aggregate: "last".into(),
            missing: None,
            min: None,
            max: None,
            integer: true,
        };
        let refused =
            element_figure(&RawCell::Text("1,200".into()), NumberFormat::Vi, &form).unwrap_err();
        assert!(refused.1.ends_with("viết 1.200 hoặc 1200"), "{}", refused.1);
        assert!(refused.2.ends_with("write 1.200 or 1200"), "{}", refused.2);
        let plain =
            element_figure(&RawCell::Text("1,5".into()), NumberFormat::Vi, &form).unwrap_err();
        assert!(!plain.2.contains("thousands"), "{}", plain.2);
    }

    fn vi(s: &str) -> Result<Option<FigureValue>, Refusal> {
        figure(&RawCell::Text(s.into()), NumberFormat::Vi)
    }
    fn plain(s: &str) -> Result<Option<FigureValue>, Refusal> {
        figure(&RawCell::Text(s.into()), NumberFormat::Plain)
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
        assert_eq!(plain("12,5").unwrap_err().0, "number_format");
        assert_eq!(
            plain("Không áp dụng").unwrap(),
            Some(FigureValue::NotApplicable)
        );
        assert_eq!(plain("").unwrap(), None);
        assert_eq!(
            figure(&RawCell::Number("12.5".into()), NumberFormat::Vi).unwrap(),
            n("12.5")
        );
    }

    #[test]
    fn a_plain_file_never_reads_vietnamese_thousands_as_decimals() {
        for s in ["1.000", "1.234.567", "12.500"] {
            let (code, vi, en) = plain(s).unwrap_err();
            assert_eq!(code, "number_format", "{s}");
            assert!(vi.contains("number_format: vi"), "{vi}");
            assert!(en.contains("Vietnamese notation"), "{en}");
        }
        assert_eq!(plain("0.500").unwrap(), n("0.5"));
        assert_eq!(plain("1e30").unwrap_err().0, "number_too_large");
        let en = |s: &str| figure(&RawCell::Text(s.into()), NumberFormat::En);
        assert_eq!(en("1,234.5").unwrap(), n("1234.5"));
    }

    #[test]
    fn a_directive_row_declares_the_format() {
        let row = |s: &str| vec![RawCell::Text(s.into())];
        assert_eq!(
            directive(&row("# number_format: vi")),
            Some(Ok(NumberFormat::Vi))
        );
        assert_eq!(
            directive(&row("#number_format=en")),
            Some(Ok(NumberFormat::En))
        );
        assert_eq!(
            directive(&row("# number_format: fr")),
            Some(Err("fr".into()))
        );
        assert_eq!(directive(&row("# a comment")), None);
        assert_eq!(directive(&row("unit")), None);
    }

    #[test]
    fn an_element_figure_is_never_negative_and_its_errors_name_the_element() {
        let element = FormElement {
            id: "crimes".into(),
            name: "Số vụ".into(),
            unit: Some("vụ".into()),
            aggregate: "sum".into(),
            missing: None,
            min: None,
            max: Some("1000".parse().unwrap()),
            integer: true,
        };
        let read = |s: &str| element_figure(&RawCell::Text(s.into()), NumberFormat::Vi, &element);
        assert_eq!(read("-0").unwrap(), n("0"));
        let (code, vi, en) = read("-3").unwrap_err();
        assert_eq!(code, "invalid_figure");
        assert!(
            vi.starts_with("Số vụ: ") && en.contains("negative"),
            "{vi} {en}"
        );
        assert!(read("abc").unwrap_err().1.starts_with("Số vụ: "));
        // A count is a whole number; a figure stays within the declared bounds.
        assert_eq!(read("12").unwrap(), n("12"));
        let (_, vi, en) = read("12,5").unwrap_err();
        assert!(
            vi.contains("số nguyên") && en.contains("whole number"),
            "{vi}"
        );
        let (_, vi, _) = read("1.001").unwrap_err();
        assert_eq!(vi, "Số vụ: lớn hơn mức tối đa 1000");
    }
}
