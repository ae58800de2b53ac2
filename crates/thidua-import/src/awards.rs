//! The awards of a year across clusters (tổng hợp khen thưởng) as an XLSX workbook, for the
//! Ministry's emulation department: one row per unit a vote proposed (or per vote that
//! proposed nobody yet), with its rank, total and approvals, and the cluster's submissions.
//! Totals are written as numbers, rounded once (two decimals, half up) from the exact value.
//! The same awards give the same bytes: the workbook is dated 31/12 of the year and says the
//! log size it was read at.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::midyear::{number, Formats};

/// The sheet's name.
pub const SHEET: &str = "Khen thưởng";

/// Column headings.
pub const HEADINGS: [&str; 10] = [
    "STT",
    "Cụm thi đua",
    "Cuộc bỏ phiếu",
    "Hình thức",
    "Đơn vị được đề nghị",
    "Hạng",
    "Tổng điểm",
    "Phiếu đồng ý",
    "Số thành viên",
    "Tình trạng",
];

/// One row: a proposed unit, or a vote that proposed nobody (yet).
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub cluster: String,
    pub election: String,
    pub award: String,
    pub unit: Option<String>,
    pub rank: Option<u32>,
    /// The exact total as the API carries it (a decimal).
    pub total: Option<String>,
    pub approvals: Option<u32>,
    pub members: Option<u32>,
    pub status: String,
}

/// The workbook's content.
pub struct Awards<'a> {
    pub year: i32,
    /// The log's size when it was read.
    pub log_size: u64,
    pub rows: &'a [Row],
    /// Each cluster's submissions, as "cluster: 01/TTr-CTĐ12 (dd/mm/yyyy)" lines.
    pub submissions: &'a [String],
}

/// The workbook's bytes.
pub fn write(a: &Awards) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let day = ExcelDateTime::from_ymd(a.year.clamp(1900, 9999) as u16, 12, 31)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&day));
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    // What the sheet holds is what the log held at `log_size` (votes of the year may end in
    // the next): the year and that position, no calendar cut-off.
    let lines = [
        ("Tổng hợp khen thưởng các cụm năm", a.year.to_string()),
        (
            "Số liệu tính đến vị trí trong sổ nhật ký",
            a.log_size.to_string(),
        ),
    ];
    for (i, (label, value)) in lines.iter().enumerate() {
        sheet.write_string_with_format(i as u32, 0, *label, &f.bold)?;
        sheet.write_string(i as u32, 1, value)?;
    }
    let top = lines.len() as u32 + 1;
    for (c, h) in HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, *h, &f.head)?;
    }
    for (i, r) in a.rows.iter().enumerate() {
        let row = top + 1 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, &r.cluster)?;
        sheet.write_string(row, 2, &r.election)?;
        sheet.write_string(row, 3, &r.award)?;
        if let Some(u) = &r.unit {
            sheet.write_string(row, 4, u)?;
        }
        if let Some(rank) = r.rank {
            sheet.write_number(row, 5, f64::from(rank))?;
        }
        number(sheet, row, 6, r.total.as_deref(), &f)?;
        if let Some(n) = r.approvals {
            sheet.write_number(row, 7, f64::from(n))?;
        }
        if let Some(n) = r.members {
            sheet.write_number(row, 8, f64::from(n))?;
        }
        sheet.write_string(row, 9, &r.status)?;
    }
    let after = top + 2 + a.rows.len() as u32;
    if !a.submissions.is_empty() {
        sheet.write_string_with_format(after, 0, "Tờ trình đã ban hành", &f.bold)?;
        for (i, s) in a.submissions.iter().enumerate() {
            sheet.write_string(after + 1 + i as u32, 1, s)?;
        }
    }
    let widths = [6.0, 28.0, 48.0, 26.0, 36.0, 8.0, 12.0, 12.0, 12.0, 34.0];
    for (c, width) in widths.into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(top + 1, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn rows() -> Vec<Row> {
        vec![
            Row {
                cluster: "Cụm thi đua số 12".into(),
                election: "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024".into(),
                award: "Cờ thi đua của Bộ Công an".into(),
                unit: Some("Công an tỉnh Kiên Giang".into()),
                rank: Some(1),
                total: Some("96.865".into()),
                approvals: Some(5),
                members: Some(5),
                status: "Đã kiểm phiếu".into(),
            },
            Row {
                cluster: "Cụm thi đua số 12".into(),
                election: "Đề nghị tặng Cờ thi đua của Chính phủ năm 2024".into(),
                award: "Cờ thi đua của Chính phủ".into(),
                status: "Đang bỏ phiếu hoặc kiểm phiếu".into(),
                ..Row::default()
            },
        ]
    }

    #[test]
    fn the_awards_read_back_with_diacritics_and_totals_rounded_once() {
        let rows = rows();
        let submissions = vec!["Cụm thi đua số 12: 01/TTr-CTĐ12 (20/12/2024)".to_owned()];
        let a = Awards {
            year: 2024,
            log_size: 1234,
            rows: &rows,
            submissions: &submissions,
        };
        let bytes = write(&a).unwrap();
        assert_eq!(bytes, write(&a).unwrap(), "the same awards, the same bytes");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range(SHEET).unwrap();
        let cell = |r: u32, c: u32| sheet.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(
            [cell(1, 0), cell(1, 1)],
            [
                Data::String("Số liệu tính đến vị trí trong sổ nhật ký".into()),
                Data::String("1234".into())
            ],
            "the log's position, no calendar cut-off the votes may pass"
        );
        assert_eq!(cell(3, 1), Data::String("Cụm thi đua".into()));
        assert_eq!(cell(4, 4), Data::String("Công an tỉnh Kiên Giang".into()));
        assert_eq!(
            cell(4, 6),
            Data::Float(96.87),
            "half up from the exact 96.865"
        );
        assert_eq!(cell(4, 7), Data::Float(5.0));
        assert_eq!(cell(5, 4), Data::Empty, "a vote that proposed nobody yet");
        assert_eq!(
            cell(5, 9),
            Data::String("Đang bỏ phiếu hoặc kiểm phiếu".into())
        );
        assert_eq!(cell(7, 0), Data::String("Tờ trình đã ban hành".into()));
        assert_eq!(
            cell(8, 1),
            Data::String("Cụm thi đua số 12: 01/TTr-CTĐ12 (20/12/2024)".into())
        );
    }
}
