//! The Vietnamese of our PDFs extracts intact: pdftotext finds the header, the targets, the
//! signers and the table, every string in NFC with its diacritics; and LibreOffice opens every
//! DOCX and converts it to PDF, in which the same strings are found.

use unicode_normalization::is_nfc;

use super::render::{dir, file};
use super::tools::{have, pdf_text, soffice_to_pdf, POPPLER, SOFFICE};

const COVENANT: &[&str] = &[
    "BỘ CÔNG AN",
    "CỤM THI ĐUA SỐ 12",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Kiên Giang, ngày 26 tháng 3 năm 2024",
    "BẢN GIAO ƯỚC THI ĐUA",
    "I. PHÒNG, CHỐNG TỘI PHẠM",
    "giảm ít nhất 5% so với năm 2023.",
    "tỷ lệ dưới 0,5%.",
    "CÔNG AN TỈNH KIÊN GIANG",
    "Nguyễn Văn Kiên (minh hoạ)",
    "Nơi nhận:",
    "Bản xem trước, chưa phát hành",
];

const RESULTS: &[&str] = &[
    "Số: 01/BC-CTĐ12",
    "Kiên Giang, ngày 20 tháng 12 năm 2024",
    "BÁO CÁO",
    "Kết quả chấm điểm thi đua năm 2024",
    "Kính gửi: Bộ Công an",
    "Công an tỉnh An Giang",
    "107,73",
    "Xuất sắc",
    "TM. ĐƠN VỊ CỤM TRƯỞNG",
    "- Lưu: VT, CTĐ12.",
];

fn check(text: &str, wanted: &[&str], what: &str) {
    assert!(is_nfc(text), "{what}: the extracted text is not NFC");
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for w in wanted {
        assert!(squeezed.contains(w), "{what}: {w:?} not found in:\n{text}");
    }
}

#[test]
fn pdftotext_reads_our_vietnamese_intact() {
    if !have(&[POPPLER]) {
        return;
    }
    check(&pdf_text(&file("covenant").pdf), COVENANT, "covenant.pdf");
    check(&pdf_text(&file("results").pdf), RESULTS, "results.pdf");
}

#[test]
fn libreoffice_opens_every_docx_and_converts_it() {
    if !have(&[SOFFICE, POPPLER]) {
        return;
    }
    let (covenant, results) = (file("covenant"), file("results"));
    let pdfs = soffice_to_pdf(dir(), &[&covenant.docx, &results.docx]);
    check(
        &pdf_text(&pdfs[0]),
        COVENANT,
        "covenant.docx via LibreOffice",
    );
    check(&pdf_text(&pdfs[1]), RESULTS, "results.docx via LibreOffice");
}
