//! Text as users bring it: UTF-8 (with or without BOM) is read; anything else is refused with an
//! explanation instead of being stored garbled. Raw bytes that are not UTF-8 are named as
//! TCVN3 (ABC), VNI or Windows-1258 where the bytes say so; UTF-8 text that is really TCVN3 or
//! VNI shown through a Western font ("C«ng an tØnh", "Coâng an tænh") is recognised by the
//! characters that never occur inside a Vietnamese word, and so is UTF-8 read as Windows-1252
//! ("Sá»‘ liá»‡u" for "Số liệu"). Every accepted text is NFC.

use unicode_normalization::UnicodeNormalization;

use crate::error::ImportError;

/// A legacy encoding recognised in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    Tcvn3,
    Vni,
    /// Windows-1258 or another single-byte code page.
    CodePage,
    Utf16,
    /// UTF-8 bytes read as Windows-1252 and saved again ("Sá»‘ liá»‡u").
    MisreadUtf8,
}

impl Legacy {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Legacy::Tcvn3 => (
                "bảng mã TCVN3 (ABC, phông .Vn…)",
                "the TCVN3 (ABC, .Vn… fonts) encoding",
            ),
            Legacy::Vni => (
                "bảng mã VNI (phông VNI-…)",
                "the VNI encoding (VNI-… fonts)",
            ),
            Legacy::CodePage => (
                "bảng mã Windows-1258 hoặc một bảng mã cũ khác",
                "Windows-1258 or another legacy code page",
            ),
            Legacy::Utf16 => (
                "UTF-16 («Unicode Text» của Excel)",
                "UTF-16 (Excel's «Unicode Text»)",
            ),
            Legacy::MisreadUtf8 => (
                "chữ UTF-8 đã bị đọc nhầm thành Windows-1252 rồi lưu lại (dạng «Sá»‘ liá»‡u»)",
                "UTF-8 text that was read as Windows-1252 and saved again (like «Sá»‘ liá»‡u»)",
            ),
        }
    }

    /// What to do about it, in Vietnamese and English: a legacy code page's text is converted
    /// to Unicode (Unikey's converter); UTF-16 is Unicode already and only needs saving as UTF-8;
    /// UTF-8 misread as Windows-1252 is not repaired by converting it again, only by going back
    /// to the file as it was before.
    fn remedy(self) -> (&'static str, &'static str) {
        match self {
            Legacy::Tcvn3 | Legacy::Vni | Legacy::CodePage => (
                "Hãy chuyển sang Unicode (ví dụ công cụ chuyển mã của Unikey) rồi lưu lại dạng \
                 «CSV UTF-8» hoặc .xlsx.",
                "Convert it to Unicode (e.g. with Unikey's converter) and save it again as \
                 «CSV UTF-8» or .xlsx.",
            ),
            Legacy::Utf16 => (
                "Chữ trong tệp đã là Unicode, không cần chuyển mã: hãy mở tệp bằng Excel hoặc \
                 LibreOffice rồi lưu lại dạng «CSV UTF-8» hoặc .xlsx.",
                "Its text is Unicode already and needs no conversion: open it in Excel or \
                 LibreOffice and save it again as «CSV UTF-8» or .xlsx.",
            ),
            Legacy::MisreadUtf8 => (
                "Chuyển mã lần nữa không sửa được: hãy lấy lại tệp trước khi nó bị mở nhầm \
                 (hoặc mở tệp gốc với bảng mã UTF-8) rồi lưu lại dạng «CSV UTF-8» hoặc .xlsx.",
                "Converting it again does not repair it: take the file as it was before it was \
                 misread (or open the original as UTF-8) and save it as «CSV UTF-8» or .xlsx.",
            ),
        }
    }

    /// The refusal, with what to do.
    pub fn error(self) -> ImportError {
        let (vi, en) = self.names();
        let (do_vi, do_en) = self.remedy();
        ImportError::file(
            "legacy_encoding",
            format!(
                "Tệp dùng {vi}, không phải Unicode UTF-8; hệ thống không lưu chữ bị lỗi phông. \
                 {do_vi}"
            ),
            format!("The file uses {en}, not Unicode UTF-8; garbled text is never stored. {do_en}"),
        )
    }
}

/// Characters that TCVN3 text shows in a Western font and that never occur in Vietnamese.
const TCVN3_SIGNS: &str = "¡¢£¤¥¦§¨©ª«¬\u{AD}®µ¶·¸¹»¼½¾";
/// Letters that VNI (and TCVN3) text shows and that Vietnamese never uses.
const FOREIGN_LETTERS: &str = "ÆËÎÏÐÑÖ×ØÞßäåæçëîïñöøûüþ÷";

/// The byte Windows-1252 writes for `c`, if it has one (Latin-1 and its 0x80–0x9F additions).
fn windows_1252_byte(c: char) -> Option<u8> {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8D}Ž\u{8F}\u{90}‘’“”•–—˜™š›œ\u{9D}žŸ";
    match u32::from(c) {
        0..=0x7F | 0xA0..=0xFF => u8::try_from(u32::from(c)).ok(),
        _ => HIGH
            .chars()
            .position(|h| h == c)
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// Whether `text` is UTF-8 that was read as Windows-1252: written back as those bytes, it is
/// valid UTF-8 holding letters beyond ASCII. Real Vietnamese never is: its letters with two
/// marks ("ố", "ệ") have no Windows-1252 byte, and a lone "á" before a consonant is no UTF-8.
fn misread_utf8(text: &str) -> bool {
    let bytes: Option<Vec<u8>> = text.chars().map(windows_1252_byte).collect();
    bytes.is_some_and(|b| !b.is_ascii() && std::str::from_utf8(&b).is_ok())
}

/// The legacy encoding a text looks like, if a sign appears inside a word.
pub fn mojibake(text: &str) -> Option<Legacy> {
    if text.is_ascii() {
        return None;
    }
    if misread_utf8(text) {
        return Some(Legacy::MisreadUtf8);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut foreign = false;
    for (i, c) in chars.iter().enumerate() {
        let before = i > 0 && chars[i - 1].is_alphabetic();
        let after = chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if TCVN3_SIGNS.contains(*c) && before && (after || *c == '\u{AD}') {
            return Some(Legacy::Tcvn3);
        }
        if FOREIGN_LETTERS.contains(*c) && (before || after) {
            foreign = true;
        }
    }
    foreign.then_some(Legacy::Vni)
}

/// Reads bytes as UTF-8 text (a BOM is dropped) or refuses them, naming the encoding found.
pub fn decode(bytes: &[u8]) -> Result<&str, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Legacy::Utf16.error());
    }
    if let Some(e) = not_text(bytes) {
        return Err(e);
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => {
            if text.contains('\u{FFFD}') {
                return Err(ImportError::file(
                    "garbled_text",
                    "Tệp chứa ký tự thay thế «\u{FFFD}»: nó đã bị chuyển mã sai trước đó; hãy lấy lại tệp gốc.",
                    "The file contains the replacement character «\u{FFFD}»: it was converted wrongly before; use the original file.",
                ));
            }
            Ok(text)
        }
        Err(_) => Err(raw_legacy(body).error()),
    }
}

/// The header of an OLE2 compound file: Excel 97-2003's `.xls` (and old `.doc`).
const OLE2: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A file that is no text at all, told for what it is: an Excel 97-2003 workbook (saved as
/// `.xls`, the habit of many offices), or bytes with a NUL among the first 8 KiB, which no
/// text in any encoding but UTF-16 (refused before, by its byte-order mark) holds. Their bytes
/// would otherwise be named a legacy encoding, and Unikey's converter offered as the cure.
fn not_text(bytes: &[u8]) -> Option<ImportError> {
    if bytes.starts_with(&OLE2) {
        return Some(ImportError::file(
            "xls_workbook",
            "Tệp là bảng tính Excel 97-2003 (.xls); hệ thống đọc .xlsx và «CSV UTF-8»: hãy mở \
             tệp bằng Excel hoặc LibreOffice rồi «Lưu thành» .xlsx.",
            "The file is an Excel 97-2003 workbook (.xls); .xlsx and «CSV UTF-8» are read: open \
             it in Excel or LibreOffice and «Save as» .xlsx.",
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then(|| {
        ImportError::file(
            "not_a_table",
            "Tệp không phải bảng tính .xlsx hay tệp chữ CSV (có byte nhị phân): hãy xuất dữ liệu \
             từ Excel hoặc LibreOffice dạng .xlsx hoặc «CSV UTF-8».",
            "The file is neither an .xlsx workbook nor CSV text (it holds binary bytes): export \
             the data from Excel or LibreOffice as .xlsx or «CSV UTF-8».",
        )
    })
}

/// The encoding raw non-UTF-8 bytes look like, by the scoring engine's detector (the one home of
/// that judgement: each legacy table decodes a sample and the most plausible Vietnamese wins).
fn raw_legacy(body: &[u8]) -> Legacy {
    use thidua_scoring::input::{detect_legacy, LegacyEncoding};
    match detect_legacy(body) {
        Some(LegacyEncoding::Tcvn3) => Legacy::Tcvn3,
        Some(LegacyEncoding::Vni) => Legacy::Vni,
        Some(LegacyEncoding::Utf16) => Legacy::Utf16,
        Some(LegacyEncoding::Windows1258) | None => Legacy::CodePage,
    }
}

/// A text cell as stored: NFC, without surrounding spaces; refused if it is mojibake.
pub fn cell_text(raw: &str) -> Result<String, Legacy> {
    let raw = raw.trim();
    if raw.is_ascii() {
        // ASCII is already NFC and never mojibake.
        return Ok(raw.to_owned());
    }
    let text: String = raw.nfc().collect();
    match mojibake(&text) {
        Some(legacy) => Err(legacy),
        None => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Công an tỉnh Kiên Giang" in TCVN3 bytes.
    fn tcvn3_bytes() -> Vec<u8> {
        let mut b = b"C".to_vec();
        b.push(0xAB); // ô
        b.extend(b"ng an t");
        b.push(0xD8); // ỉ
        b.extend(b"nh Ki");
        b.push(0xAA); // ê
        b.extend(b"n Giang");
        b
    }

    #[test]
    fn utf8_is_read_with_or_without_bom_and_legacy_encodings_are_named() {
        assert_eq!(decode("Công an".as_bytes()).unwrap(), "Công an");
        assert_eq!(decode("\u{feff}Công an".as_bytes()).unwrap(), "Công an");
        let e = decode(&tcvn3_bytes()).unwrap_err();
        assert!(e.message_en.contains("TCVN3"), "{e}");
        let (w1258, _, _) = encoding_rs::WINDOWS_1258.encode("Công an tỉnh Kiên Giang");
        let e = decode(&w1258).unwrap_err();
        assert!(e.message_en.contains("Windows-1258"), "{e}");
        // "Đơn vị" in Windows-1258 shows "Ðõn" through Windows-1252, whose Ð is a VNI sign: the
        // bytes are judged by what they decode to, not by how a Western font shows them.
        let (header, _, _) = encoding_rs::WINDOWS_1258.encode("Đơn vị,Chỉ tiêu,Kỳ,Giá trị\nCông an tỉnh Kiên Giang,Số vụ phạm tội về trật tự xã hội,2024-01,12");
        let e = decode(&header).unwrap_err();
        assert!(e.message_en.contains("Windows-1258"), "{e}");
        // UTF-16 is Unicode already: saved as UTF-8, never "converted to Unicode" with Unikey.
        let e = decode(&[0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(e.message_en.contains("UTF-16"), "{e}");
        assert!(
            e.message_vi.contains("không cần chuyển mã") && !e.message_vi.contains("Unikey"),
            "{e}"
        );
        assert!(!e.message_en.contains("Unikey"), "{e}");
        // Nor is UTF-8 misread as Windows-1252, which converting again does not repair.
        let e = Legacy::MisreadUtf8.error();
        assert!(
            !e.message_vi.contains("Unikey") && e.message_vi.contains("không sửa được"),
            "{e}"
        );
        assert!(Legacy::Tcvn3.error().message_vi.contains("Unikey"));
        assert_eq!(
            decode("a\u{FFFD}b".as_bytes()).unwrap_err().code,
            "garbled_text"
        );
    }

    #[test]
    fn mojibake_inside_words_is_recognised_and_real_vietnamese_is_not() {
        assert_eq!(mojibake("C«ng an tØnh Kiªn Giang"), Some(Legacy::Tcvn3));
        assert_eq!(mojibake("Coâng an tænh Kieân Giang"), Some(Legacy::Vni));
        assert_eq!(mojibake("Ñoàng Thaùp"), Some(Legacy::Vni));
        for misread in ["Sá»‘ liá»‡u", "Tá»•ng", "CÃ´ng an tá»‰nh KiÃªn Giang"]
        {
            assert_eq!(mojibake(misread), Some(Legacy::MisreadUtf8), "{misread}");
        }
        for ok in [
            "Công an tỉnh Kiên Giang",
            "Đồng Tháp «Số liệu» 95,5 — ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ",
            "nhiệt độ 30 °C · 1/2",
            "Tháp",
            "Cà Mau",
            "café",
        ] {
            assert_eq!(mojibake(ok), None, "{ok}");
        }
        // Decomposed input becomes NFC.
        assert_eq!(cell_text(" Kie\u{0302}n ").unwrap(), "Kiên");
        assert!(cell_text("C«ng").is_err());
    }
}
