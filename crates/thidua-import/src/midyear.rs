//! The mid-year review (sơ kết 6 tháng) as an XLSX workbook: a heading block (covenant, cluster,
//! "Số liệu tính đến ngày", the log index and the review's SHA-256), each unit's provisional
//! score, and each unit's targets to date against cùng kỳ. Values are the review's exact values
//! rounded once by the engine's rule (two decimals, half up) and written as numbers, each pair
//! of value columns headed by its own unit column (a count of cases beside a reduction in per
//! cent); a value the page says in words (a yes/no target's "Đạt") is written as those words,
//! never as the number behind them. The same
//! review always gives the same bytes: the document is dated by the month-6 cut-off, not the
//! clock.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};
use thidua_domain::midyear::{MidyearReviewFrozen, TargetSnapshot};
use thidua_scoring::exact::Rounding;
use thidua_scoring::Exact;

/// The sheets' names.
pub const SCORES_SHEET: &str = "Điểm tạm tính";
pub const TARGETS_SHEET: &str = "Chỉ tiêu";

/// A target of the covenant as the workbook names it.
#[derive(Clone, Debug)]
pub struct TargetHead {
    pub id: String,
    pub subject: String,
    /// The level the covenant sets, as its sentence ("Giảm ít nhất 5% so với năm 2023").
    pub level: String,
    /// The unit of the values in the target's terms ("Đạt đến nay", "Dự báo cả năm"): the
    /// covenant's ("% giảm").
    pub unit_of_measure: Option<String>,
    /// The unit of the measured values ("Chỉ số đo đến nay", "… cùng kỳ năm trước"): the
    /// regulation's element or indicator's ("vụ" for a count of accidents), the covenant's for
    /// a change indicator, written as its reduction.
    pub measured_unit: Option<String>,
    /// Measured by a change indicator (`pct_change`, a decrease negative): its value to date is
    /// written as the reduction it is, the same number and sign as "Đạt đến nay", and its
    /// same-period value, the indicator's own change a year earlier, is left empty (it compares
    /// with nothing), as on the review's page.
    pub change_indicator: bool,
}

/// Everything the workbook shows besides the review itself.
pub struct Review<'a> {
    pub frozen: &'a MidyearReviewFrozen,
    pub covenant_title: &'a str,
    pub cluster_name: &'a str,
    /// The day the review was frozen (the event's local date).
    pub frozen_on: NaiveDate,
    /// Each unit's name, aligned with `frozen.units`.
    pub unit_names: Vec<String>,
    pub targets: Vec<TargetHead>,
    /// The Vietnamese label of a target's status as the pages show it (its `status` code,
    /// `on_track`, …, read with its range and values).
    pub status: &'a dyn Fn(&TargetSnapshot) -> &'static str,
    /// A value in the target's terms (exact text) as the page words it, where the page says it
    /// in words rather than as a number ("Đạt", "Không đạt: 2 băng nhóm" for a yes/no target):
    /// written as text. `None`: written as a number.
    pub words: &'a dyn Fn(&TargetHead, &str) -> Option<String>,
}

/// Column headings of the scores sheet.
pub const SCORE_HEADINGS: [&str; 4] = ["STT", "Đơn vị", "Đến hết tháng", "Điểm tạm tính"];
/// Column headings of the targets sheet: each unit column heads the two value columns after it.
pub const TARGET_HEADINGS: [&str; 11] = [
    "STT",
    "Đơn vị",
    "Chỉ tiêu",
    "Mức giao ước",
    "Đơn vị tính của chỉ số đo",
    "Chỉ số đo đến nay",
    "Chỉ số đo cùng kỳ năm trước",
    "Đơn vị tính của mức đạt",
    "Đạt đến nay",
    "Dự báo cả năm",
    "Đánh giá",
];

/// The cell formats of the workbooks this crate writes (also [`crate::awards`]).
pub(crate) struct Formats {
    pub(crate) bold: Format,
    pub(crate) head: Format,
    whole: Format,
    decimal: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            head: Format::new()
                .set_bold()
                .set_background_color("#E8EEF7")
                .set_border(FormatBorder::Thin),
            whole: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.00"),
        }
    }
}

pub(crate) fn vi_date(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The workbook's bytes.
pub fn write(r: &Review) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let c = r.frozen.cutoff;
    let day = ExcelDateTime::from_ymd(c.year() as u16, c.month() as u8, c.day() as u8)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&day));
    let f = Formats::new();
    let scores = book.add_worksheet();
    scores.set_name(SCORES_SHEET)?;
    let top = heading(scores, r, &f)?;
    score_rows(scores, r, &f, top)?;
    let targets = book.add_worksheet();
    targets.set_name(TARGETS_SHEET)?;
    target_rows(targets, r, &f)?;
    book.save_to_buffer()
}

/// The heading block; returns the row of the table's headings.
fn heading(sheet: &mut Worksheet, r: &Review, f: &Formats) -> Result<u32, XlsxError> {
    let e = r.frozen;
    let lines = [
        ("Sơ kết 6 tháng", r.covenant_title.to_owned()),
        ("Cụm thi đua", r.cluster_name.to_owned()),
        ("Năm", e.year.to_string()),
        (
            "Số liệu tính đến ngày",
            vi_date(&e.as_of.unwrap_or(e.cutoff)),
        ),
        ("Hết tháng 6 (ngày chốt kỳ)", vi_date(&e.cutoff)),
        ("Ngày chốt sơ kết", vi_date(&r.frozen_on)),
        ("Vị trí trong sổ nhật ký", e.at.to_string()),
        ("SHA-256", e.sha256.clone()),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        sheet.write_string_with_format(i as u32, 0, *label, &f.bold)?;
        sheet.write_string(i as u32, 1, value)?;
    }
    Ok(lines.len() as u32 + 1)
}

fn score_rows(sheet: &mut Worksheet, r: &Review, f: &Formats, top: u32) -> Result<(), XlsxError> {
    for (c, h) in SCORE_HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, *h, &f.head)?;
    }
    for (i, (u, name)) in r.frozen.units.iter().zip(&r.unit_names).enumerate() {
        let row = top + 1 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, name)?;
        if let Some(m) = u.through {
            sheet.write_number(row, 2, f64::from(m))?;
        }
        number(sheet, row, 3, u.total.as_deref(), f)?;
    }
    for (c, width) in [30.0, 60.0, 14.0, 16.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    Ok(())
}

fn target_rows(sheet: &mut Worksheet, r: &Review, f: &Formats) -> Result<(), XlsxError> {
    for (c, h) in TARGET_HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &f.head)?;
    }
    let mut row = 0u32;
    for (u, name) in r.frozen.units.iter().zip(&r.unit_names) {
        for t in &u.targets {
            row += 1;
            let head = r.targets.iter().find(|h| h.id == t.target);
            sheet.write_number(row, 0, f64::from(row))?;
            sheet.write_string(row, 1, name)?;
            sheet.write_string(row, 2, head.map_or(t.target.as_str(), |h| &h.subject))?;
            if let Some(h) = head {
                sheet.write_string(row, 3, &h.level)?;
            }
            if let Some(m) = head.and_then(|h| h.measured_unit.as_deref()) {
                sheet.write_string(row, 4, m)?;
            }
            if head.is_some_and(|h| h.change_indicator) {
                let reduction = t
                    .measured
                    .as_deref()
                    .and_then(|s| s.parse::<Exact>().ok())
                    .map(|x| x.neg().to_string());
                number(sheet, row, 5, reduction.as_deref(), f)?;
            } else {
                number(sheet, row, 5, t.measured.as_deref(), f)?;
                number(sheet, row, 6, t.same_period.as_deref(), f)?;
            }
            // The values in the target's terms: as the page words them, else numbers in the
            // covenant's unit.
            let worded = |raw: Option<&str>| head.zip(raw).and_then(|(h, v)| (r.words)(h, v));
            let (now, end) = (worded(t.to_date.as_deref()), worded(t.projected.as_deref()));
            if now.is_none() && end.is_none() {
                if let Some(m) = head.and_then(|h| h.unit_of_measure.as_deref()) {
                    sheet.write_string(row, 7, m)?;
                }
            }
            for (col, words, raw) in [(8, now, &t.to_date), (9, end, &t.projected)] {
                match words {
                    Some(w) => {
                        sheet.write_string(row, col, &w)?;
                    }
                    None => number(sheet, row, col, raw.as_deref(), f)?,
                }
            }
            sheet.write_string(row, 10, (r.status)(t))?;
        }
    }
    for (c, width) in [
        6.0, 40.0, 50.0, 36.0, 14.0, 16.0, 18.0, 14.0, 14.0, 16.0, 18.0,
    ]
    .into_iter()
    .enumerate()
    {
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// An exact value rounded once (two decimals, half up) and written as a number: a whole
/// number without decimals, anything else with two. Nothing is written for an absent value.
pub(crate) fn number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    raw: Option<&str>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Some(x) = raw.and_then(|s| s.parse::<Exact>().ok()) else {
        return Ok(());
    };
    let rounded = x.round(2, Rounding::HalfUp);
    let Some(d) = rounded.to_decimal() else {
        return Ok(());
    };
    let value: f64 = d.to_string().parse().unwrap_or_default();
    let format = if d.fract().is_zero() {
        &f.whole
    } else {
        &f.decimal
    };
    sheet.write_number_with_format(row, col, value, format)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use thidua_domain::midyear::{TargetSnapshot, UnitSnapshot};
    use thidua_domain::{CovenantId, UnitId};

    fn review() -> MidyearReviewFrozen {
        let target = |to_date: &str| TargetSnapshot {
            target: "t1".into(),
            measured: Some("60".into()),
            same_period: Some("70".into()),
            to_date: Some(to_date.into()),
            projected: None,
            status: "on_track".into(),
        };
        let unit = |id: &str, through, total: Option<&str>| UnitSnapshot {
            unit: UnitId::parse(id).unwrap(),
            through,
            total: total.map(str::to_owned),
            score_status: None,
            method: "none".into(),
            targets: vec![target("100/7")],
        };
        MidyearReviewFrozen {
            covenant: CovenantId::parse("gu-2024").unwrap(),
            version: 1,
            regulation: "e".repeat(64),
            year: 2024,
            month: 6,
            at: 42,
            cutoff: NaiveDate::from_ymd_opt(2024, 6, 14).unwrap(),
            as_of: NaiveDate::from_ymd_opt(2024, 6, 14),
            units: vec![
                unit("ca-ag", Some(6), Some("2741/30")),
                unit("ca-hg", None, None),
            ],
            sha256: "a".repeat(64),
        }
    }

    fn book(e: &MidyearReviewFrozen) -> Vec<u8> {
        let head = TargetHead {
            id: "t1".into(),
            subject: "Giảm tội phạm".into(),
            level: "Giảm ít nhất 5% so với năm 2023".into(),
            unit_of_measure: Some("%".into()),
            measured_unit: Some("vụ".into()),
            change_indicator: false,
        };
        book_with(e, vec![head])
    }

    fn book_with(e: &MidyearReviewFrozen, targets: Vec<TargetHead>) -> Vec<u8> {
        write(&Review {
            frozen: e,
            covenant_title: "Giao ước thi đua năm 2024",
            cluster_name: "Cụm thi đua số 12",
            frozen_on: NaiveDate::from_ymd_opt(2024, 7, 20).unwrap(),
            unit_names: vec![
                "Công an tỉnh An Giang".into(),
                "Công an tỉnh Hậu Giang".into(),
            ],
            targets,
            status: &|_| "Đúng tiến độ",
            words: &|h, v| (h.id == "yes-no").then(|| format!("words {v}")),
        })
        .unwrap()
    }

    fn rows(bytes: &[u8]) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        crate::table::read(bytes, "x.xlsx", &Default::default(), &mut |s, _, cells| {
            out.push((
                s.to_owned(),
                cells.iter().map(|c| c.text().to_owned()).collect(),
            ));
            true
        })
        .unwrap();
        out
    }

    #[test]
    fn the_review_is_written_rounded_once_and_always_the_same_bytes() {
        let e = review();
        let bytes = book(&e);
        assert_eq!(bytes, book(&e), "deterministic");
        let rows = rows(&bytes);
        let row = |sheet: &str, first: &str| {
            rows.iter()
                .find(|(s, r)| s == sheet && r.first().is_some_and(|c| c == first))
                .map(|(_, r)| r.clone())
                .unwrap_or_else(|| panic!("{sheet} {first}: {rows:?}"))
        };
        assert_eq!(row(SCORES_SHEET, "SHA-256")[1], "a".repeat(64));
        assert_eq!(row(SCORES_SHEET, "Vị trí trong sổ nhật ký")[1], "42");
        assert_eq!(row(SCORES_SHEET, "Số liệu tính đến ngày")[1], "14/06/2024");
        assert_eq!(row(SCORES_SHEET, "STT"), SCORE_HEADINGS.map(String::from));
        // 2741/30 = 91.3666…: rounded once to 91.37; a unit with nothing approved stays empty.
        assert_eq!(
            row(SCORES_SHEET, "1")[1..4],
            ["Công an tỉnh An Giang", "6", "91.37"]
        );
        let hg = row(SCORES_SHEET, "2");
        assert!(
            hg.len() < 3 || hg[2..].iter().all(String::is_empty),
            "{hg:?}"
        );
        // 100/7 = 14.2857…% to date: 14.29.
        let t = row(TARGETS_SHEET, "1");
        assert_eq!(
            t[2..11],
            [
                "Giảm tội phạm",
                "Giảm ít nhất 5% so với năm 2023",
                "vụ",
                "60",
                "70",
                "%",
                "14.29",
                "",
                "Đúng tiến độ"
            ]
        );
    }

    /// A target measured by `pct_change` (a decrease negative) is written as the reduction
    /// "Đạt đến nay" shows, the same number and sign, with no same-period figure: the
    /// indicator's own change a year earlier compares with nothing (it once showed −15.7 beside
    /// 15.7 and a 0 for last year).
    #[test]
    fn a_change_indicator_is_written_as_its_reduction_without_a_same_period() {
        let mut e = review();
        for u in &mut e.units {
            u.targets[0].measured = Some("-15.7".into());
            u.targets[0].same_period = Some("0".into());
            u.targets[0].to_date = Some("15.7".into());
        }
        let head = TargetHead {
            id: "t1".into(),
            subject: "Kéo giảm tội phạm".into(),
            level: "Giảm ít nhất 5% so với năm 2023".into(),
            unit_of_measure: Some("% giảm".into()),
            measured_unit: Some("% giảm".into()),
            change_indicator: true,
        };
        let t = first_target_row(&book_with(&e, vec![head]));
        assert_eq!(t[4..9], ["% giảm", "15.7", "", "% giảm", "15.7"], "{t:?}");
    }

    /// A yes/no target's values to date and projected are the page's words (a text cell), not
    /// the number 0 behind "Đạt"; no unit heads words. A count measured in cases ("vụ") beside
    /// its reduction in per cent has each under its own unit.
    #[test]
    fn worded_values_are_text_and_each_value_has_its_own_unit() {
        let mut e = review();
        for u in &mut e.units {
            u.targets[0].target = "yes-no".into();
            u.targets[0].measured = Some("0".into());
            u.targets[0].to_date = Some("0".into());
            u.targets[0].projected = Some("0".into());
        }
        let head = TargetHead {
            id: "yes-no".into(),
            subject: "Không để hình thành băng nhóm".into(),
            level: "Không để xảy ra".into(),
            unit_of_measure: None,
            measured_unit: Some("băng nhóm".into()),
            change_indicator: false,
        };
        let t = first_target_row(&book_with(&e, vec![head]));
        assert_eq!(
            t[4..11],
            [
                "băng nhóm",
                "0",
                "70",
                "",
                "words 0",
                "words 0",
                "Đúng tiến độ"
            ],
            "{t:?}"
        );
    }

    /// The first target's row of the workbook's targets sheet.
    fn first_target_row(book: &[u8]) -> Vec<String> {
        rows(book)
            .into_iter()
            .find(|(s, r)| s == TARGETS_SHEET && r.first().is_some_and(|c| c == "1"))
            .map(|(_, r)| r)
            .unwrap()
    }
}
