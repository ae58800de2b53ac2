//! The Vietnamese of our PDFs extracts intact: pdftotext finds the header, the targets, the
//! signers and the tables of every kind of document, every string in NFC with its diacritics; and LibreOffice opens every
//! DOCX and converts it to PDF, in which the same strings are found, under the same title and in
//! Vietnamese.

use unicode_normalization::is_nfc;

use super::render::{file, libreoffice_pdfs};
use super::tools::{have, pdf_text, pdf_title, POPPLER, SOFFICE};

const COVENANT: &[&str] = &[
    "BỘ CÔNG AN",
    "CỤM THI ĐUA SỐ 12",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Kiên Giang, ngày 26 tháng 3 năm 2024",
    "BẢN GIAO ƯỚC THI ĐUA",
    "I. PHÒNG, CHỐNG TỘI PHẠM",
    "so với năm 2023: giảm ít nhất 5%.",
    "tỷ lệ dưới 0,5%.",
    "CÔNG AN TỈNH KIÊN GIANG",
    "Nguyễn Văn Kiên (minh hoạ)",
    "Nơi nhận:",
    "Bản xem trước, chưa phát hành",
];

const RESULTS: &[&str] = &[
    "Số: /BC-CTĐ12",
    "Kiên Giang, ngày 20 tháng 12 năm 2024",
    "BÁO CÁO",
    "Kết quả chấm điểm thi đua năm 2024",
    "Kính gửi: Bộ Công an",
    "Công an tỉnh An Giang",
    "107,73",
    "Xuất sắc",
    "Ghi chú về thứ hạng và xếp loại:",
    "chỉ dành cho tối đa 20% số đơn vị được xếp hạng: 20% của 5 đơn vị = 1 đơn vị (làm tròn xuống)",
    "TM. CỤM THI ĐUA SỐ 12",
    "CỤM TRƯỞNG",
    "GIÁM ĐỐC CÔNG AN TỈNH KIÊN GIANG",
    "Nguyễn Văn Kiên (minh hoạ)",
    "- Lưu: VT, CTĐ12.",
];

const INSPECTION: &[&str] = &[
    "Số: /BB-CTĐ12",
    "BIÊN BẢN",
    "Kiểm tra chéo kết quả thi đua năm 2024 của Công an tỉnh Kiên Giang do Công an tỉnh Hậu Giang thực hiện",
    "Hôm nay, ngày 18/12/2024, tại Kiên Giang",
    "sổ thi đua, số thứ tự 386",
    "Đề nghị 6,5 điểm",
    "7,5",
    "Kiểm tra lại 20 hồ sơ gốc được bốc thăm trong 480 hồ sơ",
    "Hội đồng cụm quyết định 7 điểm.",
    "ĐƠN VỊ ĐƯỢC KIỂM TRA",
    "ĐƠN VỊ KIỂM TRA",
    "CÔNG AN TỈNH HẬU GIANG",
    "Võ Thị Hậu (minh hoạ)",
];

const VOTE: &[&str] = &[
    "Số: /BB-CTĐ12",
    "BIÊN BẢN",
    "Kiểm phiếu vòng 1: Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024",
    "Vào ngày 18/12/2024, tại Kiên Giang",
    "kết quả kiểm phiếu ghi trong sổ thi đua ở số thứ tự 88",
    "tổng mã hoá của các phiếu có mã SHA-256",
    "số phiếu thu về: 5; số phiếu hợp lệ: 5; số phiếu không hợp lệ: 0",
    "Công an tỉnh Kiên Giang",
    "Các đơn vị được chọn: Công an tỉnh Kiên Giang; Công an tỉnh An Giang.",
    "Đơn vị thành viên không là ứng viên: Công an tỉnh Bạc Liêu (đang xem xét kỷ luật",
    "THƯ KÝ",
    "CHỦ TỌA",
];

const YEAR: &[&str] = &[
    "Số: /BC-CTĐ12",
    "Kiên Giang, ngày 30 tháng 12 năm 2024",
    "BÁO CÁO",
    "Tổng kết phong trào thi đua năm 2024",
    "Kính gửi: Bộ Công an",
    "97,36",
    "96,86",
    "Xuất sắc",
    "Hoàn thành",
    "Ghi chú về thứ hạng và xếp loại:",
    "Không đủ điều kiện đề nghị khen thưởng: Công an tỉnh Bạc Liêu (đang xem xét kỷ luật: Một cán bộ đang bị xem xét kỷ luật (giả định, minh hoạ)).",
    "đã giải quyết 1",
    "Đề nghị tặng Cờ thi đua của Chính phủ năm 2024 (minh hoạ): Chưa kiểm phiếu.",
    "TM. CỤM THI ĐUA SỐ 12",
    "GIÁM ĐỐC CÔNG AN TỈNH KIÊN GIANG",
];

const AWARD: &[&str] = &[
    "Số: /TTr-CTĐ12",
    "Kiên Giang, ngày 30 tháng 12 năm 2024",
    "TỜ TRÌNH",
    "Đề nghị tặng Cờ thi đua của Bộ Công an năm 2024",
    "Kính gửi: Bộ Công an",
    "cho 02 đơn vị sau:",
    "5/5",
    "4/5",
    "Kính trình Bộ Công an xem xét, quyết định./.",
    "- Như trên;",
];

/// Every document and the strings its text must hold.
const ALL: &[(&str, &[&str])] = &[
    ("covenant", COVENANT),
    ("results", RESULTS),
    ("inspection", INSPECTION),
    ("vote", VOTE),
    ("year", YEAR),
    ("award", AWARD),
];

fn check(text: &str, wanted: &[&str], what: &str) {
    assert!(is_nfc(text), "{what}: the extracted text is not NFC");
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        squeezed.contains("BẢN XEM TRƯỚC - CHƯA PHÁT HÀNH"),
        "{what}: a preview says so"
    );
    for w in wanted {
        assert!(squeezed.contains(w), "{what}: {w:?} not found in:\n{text}");
    }
}

#[test]
fn pdftotext_reads_our_vietnamese_intact() {
    if !have(&[POPPLER]) {
        return;
    }
    for (name, wanted) in ALL {
        check(&pdf_text(&file(name).pdf), wanted, &format!("{name}.pdf"));
    }
}

#[test]
fn libreoffice_opens_every_docx_and_converts_it() {
    if !have(&[SOFFICE, POPPLER]) {
        return;
    }
    for (name, wanted) in ALL {
        let (_, pdf) = libreoffice_pdfs()
            .iter()
            .find(|(n, _)| n == name)
            .expect("every document is converted");
        check(
            &pdf_text(pdf),
            wanted,
            &format!("{name}.docx via LibreOffice"),
        );
        // The DOCX says its title and that its text is Vietnamese, and LibreOffice reads both:
        // the title is ours (the subject), the PDF's language vi-VN (Word proofs it as such).
        let title = pdf_title(pdf);
        assert!(!title.is_empty(), "{name}.docx has no title");
        assert_eq!(title, pdf_title(&file(name).pdf), "{name}.docx title");
        let bytes = std::fs::read(pdf).unwrap();
        assert!(
            bytes.windows(12).any(|w| w == b"/Lang(vi-VN)"),
            "{name}.docx: LibreOffice does not read its text as Vietnamese"
        );
    }
}
