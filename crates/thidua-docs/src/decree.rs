//! The fixed words and forms of Decree 30/2020/NĐ-CP (appendix I): the national title and
//! motto, the place-and-date line, the number line.

use chrono::{Datelike, NaiveDate};

/// The national title, in capitals, bold.
pub const NATIONAL_TITLE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// The motto, bold, hyphens with spaces.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// The label of the recipients block.
pub const RECIPIENTS: &str = "Nơi nhận:";

/// "Kiên Giang, ngày 26 tháng 3 năm 2024": days below 10 and months 1 and 2 take a leading 0.
pub fn place_date(place: &str, date: NaiveDate) -> String {
    let month = if date.month() <= 2 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    format!(
        "{place}, ngày {:02} tháng {month} năm {}",
        date.day(),
        date.year()
    )
}

/// "Số: 01/BC-CTĐ12".
pub fn number_line(number_and_symbol: &str) -> String {
    format!("Số: {number_and_symbol}")
}

/// The number line of a document not issued yet: the number left blank, the symbol kept
/// ("Số:      /BC-CTĐ12"; no-break spaces, so the blank is kept as typed). A line of another
/// form is returned as it is.
pub fn blank_number(line: &str) -> String {
    match line
        .strip_prefix("Số: ")
        .and_then(|rest| rest.split_once('/'))
    {
        Some((_, symbol)) => format!("Số: {}/{symbol}", "\u{a0}".repeat(6)),
        None => line.to_owned(),
    }
}

/// Capitals the Vietnamese way (every letter with its marks; "đ" → "Đ").
pub fn upper(s: &str) -> String {
    s.chars().flat_map(char::to_uppercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_leading_zeros_where_the_decree_says() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            place_date("Kiên Giang", d(2024, 3, 26)),
            "Kiên Giang, ngày 26 tháng 3 năm 2024"
        );
        assert_eq!(
            place_date("Cà Mau", d(2025, 2, 5)),
            "Cà Mau, ngày 05 tháng 02 năm 2025"
        );
        assert_eq!(
            place_date("An Giang", d(2024, 12, 9)),
            "An Giang, ngày 09 tháng 12 năm 2024"
        );
        assert_eq!(upper("Cụm thi đua số 12"), "CỤM THI ĐUA SỐ 12");
        assert_eq!(
            blank_number(&number_line("01/BC-CTĐ12")),
            "Số: \u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/BC-CTĐ12"
        );
    }
}
