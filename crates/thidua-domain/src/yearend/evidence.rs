//! Evidence files of a dossier: their type is read from their content (never from the name or
//! what the browser claims), their size is bounded, their name is cleaned for display only
//! (files are stored by their SHA-256; a name is never a path).

use unicode_normalization::UnicodeNormalization;

use super::decide::EVIDENCE_MAX_BYTES;
use super::error::refuse;
use super::{Evidence, YearEndCommand};
use crate::error::DomainError;
use crate::{Actor, Command, State};

/// The media type of an accepted evidence file, from its first bytes (and, for the Office
/// formats, the part names of the ZIP package): PDF, JPEG, PNG, DOCX, XLSX.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"PK\x03\x04") {
        office_package(&zip_entry_names(bytes)?)
    } else {
        None
    }
}

/// The Office type of a ZIP package from the names its central directory lists (never from
/// bytes found anywhere in the file, a comment included): a DOCX or XLSX has its content-types
/// part and its main part, and only the parts an Office document holds — XML, relationships,
/// pictures, fonts, printer settings. Macros (`vbaProject.bin`), programs and anything else
/// make it no evidence file, as does a part name that a naive unzip would write outside its
/// folder ([`inside_package`]).
fn office_package(names: &[&[u8]]) -> Option<&'static str> {
    let has = |part: &[u8]| names.contains(&part);
    let ordinary = |name: &&[u8]| {
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
        if !inside_package(&name) {
            return false;
        }
        name.ends_with('/')
            || matches!(
                extension,
                "xml"
                    | "rels"
                    | "png"
                    | "jpeg"
                    | "jpg"
                    | "gif"
                    | "emf"
                    | "wmf"
                    | "bmp"
                    | "tif"
                    | "tiff"
                    | "svg"
                    | "odttf"
                    | "ttf"
                    | "fntdata"
                    | "vml"
            )
            || (extension == "bin" && name.contains("printersettings"))
    };
    if !has(b"[Content_Types].xml") || !names.iter().all(ordinary) {
        return None;
    }
    if has(b"word/document.xml") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if has(b"xl/workbook.xml") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    }
}

/// A part name that stays inside the folder it is unpacked into: relative, with `/` for
/// separator, no `..` step, no drive (an Office part name is always so; one that is not, such
/// as `../../x.xml`, is how a file escapes the folder of whoever unzips it later).
fn inside_package(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains(['\\', ':', '\0'])
        && name.split('/').all(|step| step != "..")
}

/// The entry names a ZIP archive's central directory lists, read without decompressing
/// anything; `None` when there is no readable directory (a truncated or forged file).
fn zip_entry_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let le16 = |b: &[u8], i: usize| usize::from(u16::from_le_bytes([b[i], b[i + 1]]));
    let le32 = |b: &[u8], i: usize| {
        usize::try_from(u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])).ok()
    };
    // The end record is within the last 22 + 65,535 bytes (its comment is at most 65,535).
    let from = bytes.len().saturating_sub(22 + 65_535);
    let at = from + bytes[from..].windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let end = bytes.get(at..at + 22)?;
    let count = le16(end, 10);
    let mut pos = le32(end, 16)?;
    let mut names = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        let header = bytes.get(pos..pos.checked_add(46)?)?;
        if !header.starts_with(b"PK\x01\x02") {
            return None;
        }
        let (name, extra, comment) = (le16(header, 28), le16(header, 30), le16(header, 32));
        names.push(bytes.get(pos + 46..pos + 46 + name)?);
        pos = pos.checked_add(46 + name + extra + comment)?;
    }
    Some(names)
}

/// The most characters of a cleaned file name.
pub const NAME_MAX_CHARS: usize = 120;

/// The longest extension kept whole when a long name is shortened (".xlsx" and the like; a
/// "extension" longer than this is part of the name).
const EXTENSION_MAX_CHARS: usize = 10;

/// A file name fit for display: the last path component, NFC, without control characters or
/// characters that mean something to a shell or a file system, at most [`NAME_MAX_CHARS`]
/// characters: a longer name loses the end of its stem, never its extension.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .nfc()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let cleaned = shorten(cleaned.trim().trim_start_matches('.').trim());
    if cleaned.is_empty() {
        "tep-dinh-kem".to_owned()
    } else {
        cleaned
    }
}

/// The extensions a file of an accepted `media_type` may carry; the first is given to a name
/// that carries none of them.
fn extensions(media_type: &str) -> &'static [&'static str] {
    match media_type {
        "application/pdf" => &["pdf"],
        "image/jpeg" => &["jpg", "jpeg"],
        "image/png" => &["png"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => &["docx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => &["xlsx"],
        _ => &[],
    }
}

/// A file's display and download name ([`clean_name`]) whose extension says what its content
/// was read to be: a name that does not end in one of the type's extensions (a PDF named
/// "bao-cao.exe" or "trang.html", a picture named "anh") gets the type's own appended, so a
/// downloaded file opens as what was checked, never as what its name claimed.
pub fn file_name(raw: &str, media_type: &str) -> String {
    let cleaned = clean_name(raw);
    let lower = cleaned.to_lowercase();
    match extensions(media_type) {
        [] => cleaned,
        all if all.iter().any(|e| lower.ends_with(&format!(".{e}"))) => cleaned,
        [first, ..] => shorten(&format!("{cleaned}.{first}")),
    }
}

/// `name` in at most [`NAME_MAX_CHARS`] characters, its extension kept.
fn shorten(name: &str) -> String {
    if name.chars().count() <= NAME_MAX_CHARS {
        return name.to_owned();
    }
    let (stem, extension) = match name.rfind('.') {
        Some(i) if i > 0 && name[i..].chars().count() <= EXTENSION_MAX_CHARS => name.split_at(i),
        _ => (name, ""),
    };
    let keep = NAME_MAX_CHARS - extension.chars().count();
    let stem: String = stem.chars().take(keep).collect();
    format!("{}{extension}", stem.trim_end())
}

/// Checks an uploaded file: not empty, within the size limit, of an accepted type by content.
/// Returns its media type.
pub fn check(bytes: &[u8]) -> Result<&'static str, DomainError> {
    if bytes.len() as u64 > EVIDENCE_MAX_BYTES {
        return Err(too_large());
    }
    if bytes.is_empty() {
        return Err(refuse(
            "yearend_evidence_invalid",
            format!("a file is 1 byte to {EVIDENCE_MAX_BYTES} bytes"),
        ));
    }
    sniff(bytes).ok_or_else(|| {
        refuse(
            "yearend_evidence_invalid",
            "not a PDF, JPEG, PNG, DOCX or XLSX file (read from its content)",
        )
    })
}

/// The refusal of a file over [`EVIDENCE_MAX_BYTES`] (also the web's, for an upload too large
/// to be read whole).
pub fn too_large() -> DomainError {
    refuse(
        "yearend_evidence_too_large",
        format!("an evidence file is at most {EVIDENCE_MAX_BYTES} bytes"),
    )
}

/// The evidence files a dossier save attaches that the unit's dossier does not hold yet (in its
/// working or its submitted revision). A file is attached by uploading its bytes, which names it
/// by their SHA-256; a save that only names a new SHA-256 is refused where commands arrive
/// without files (the JSON API), since naming a hash proves nothing about holding the file
/// (another unit's evidence, an issued document's content) and the dossier would then serve it.
/// Nothing is said of a save `actor` may not make (which `decide` refuses), so that the answer
/// never tells what another unit's dossier holds.
pub fn new_files<'a>(state: &State, actor: &Actor, command: &'a Command) -> Vec<&'a Evidence> {
    let Command::YearEnd(
        save @ YearEndCommand::SaveDossier {
            covenant,
            unit,
            entries,
        },
    ) = command
    else {
        return Vec::new();
    };
    let allowed = save
        .permission(state)
        .and_then(|p| crate::authz::authorise(state, actor, &p));
    if allowed.is_err() {
        return Vec::new();
    }
    let dossier = state
        .yearend
        .reviews
        .get(covenant)
        .and_then(|r| r.dossiers.get(unit));
    let held = |sha: &str| {
        dossier.is_some_and(|d| {
            let submitted = d
                .submitted
                .iter()
                .flat_map(|(_, entries, _)| entries.values());
            d.entries
                .values()
                .chain(submitted)
                .any(|e| e.evidence.iter().any(|f| f.sha256 == sha))
        })
    };
    entries
        .values()
        .flat_map(|e| &e.evidence)
        .filter(|f| !held(&f.sha256))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A real ZIP archive holding empty `parts`, with `comment`.
    fn package(parts: &[&str], comment: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for part in parts {
            zip.start_file(*part, options).unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        zip.set_comment(comment).unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    fn xlsx() -> Vec<u8> {
        package(&["[Content_Types].xml", "xl/workbook.xml"], "")
    }

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        let docx = package(
            &["[Content_Types].xml", "_rels/.rels", "word/document.xml"],
            "",
        );
        assert!(sniff(&docx).unwrap().contains("wordprocessingml"));
        assert!(sniff(&xlsx()).unwrap().contains("spreadsheetml"));
        assert_eq!(sniff(b"PK\x03\x04 a plain zip"), None);
        // The part names are the directory's, never words found in the file: a program with
        // the names written in the archive's comment is no DOCX (it was accepted and served
        // as "hoso.docx"), nor is a document carrying a program or macros.
        let disguised = package(&["payload.exe"], "[Content_Types].xml word/document.xml");
        assert_eq!(sniff(&disguised), None);
        for extra in ["payload.exe", "word/vbaProject.bin", "word/script.js"] {
            let with = package(&["[Content_Types].xml", "word/document.xml", extra], "");
            assert_eq!(sniff(&with), None, "{extra}");
        }
        let printer = package(
            &[
                "[Content_Types].xml",
                "xl/workbook.xml",
                "xl/printerSettings/printerSettings1.bin",
            ],
            "",
        );
        assert!(sniff(&printer).is_some());
        // Part names that would unpack outside their folder (zip-slip) make no evidence file.
        for escaping in [
            "../../evil.xml",
            "/etc/evil.xml",
            "word\\..\\x.xml",
            "c:/x.xml",
        ] {
            let with = package(&["[Content_Types].xml", "word/document.xml", escaping], "");
            assert_eq!(sniff(&with), None, "{escaping}");
        }
        assert_eq!(sniff(b"MZ\x90\x00 an executable named report.pdf"), None);
        assert_eq!(check(b"").unwrap_err().code(), "yearend_evidence_invalid");
    }

    #[test]
    fn names_are_cleaned_and_never_paths() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\Báo cáo.pdf"), "Báo cáo.pdf");
        assert_eq!(clean_name(".hidden"), "hidden");
        assert_eq!(clean_name("a<b>:c|d?.pdf\u{0007}"), "abcd.pdf");
        assert_eq!(clean_name("///"), "tep-dinh-kem");
        // NFC: a decomposed "ế" is composed.
        assert_eq!(clean_name("Ke\u{0302}\u{0301}"), "Kế");
    }

    /// A long name keeps its extension: the end of its stem goes (it lost ".pdf" at 120
    /// characters).
    #[test]
    fn a_long_name_is_shortened_in_its_stem() {
        let stem = "Báo cáo tổng kết công tác phòng chống tội phạm ".repeat(4);
        let name = clean_name(&format!("{stem}.pdf"));
        // At most the limit (a space left at the cut is trimmed).
        assert!((NAME_MAX_CHARS - 1..=NAME_MAX_CHARS).contains(&name.chars().count()));
        assert!(name.ends_with(".pdf"), "{name}");
        assert!(name.starts_with("Báo cáo tổng kết"), "{name}");
        let name = clean_name(&format!("{stem}.xlsx"));
        assert!(name.ends_with(".xlsx") && name.chars().count() <= NAME_MAX_CHARS);
        // No extension, or a "extension" that is really the name: cut at the limit.
        assert_eq!(clean_name(&"a".repeat(200)).chars().count(), NAME_MAX_CHARS);
        let dotted = format!("x.{}", "y".repeat(200));
        assert_eq!(clean_name(&dotted).chars().count(), NAME_MAX_CHARS);
        assert_eq!(clean_name("ngắn.docx"), "ngắn.docx");
    }

    /// The extension follows the content: a name claiming another type keeps its words and
    /// gains the right extension; one that already says it (in any case) is kept.
    #[test]
    fn a_names_extension_says_what_the_content_is() {
        let pdf = "application/pdf";
        assert_eq!(file_name("bao-cao.exe", pdf), "bao-cao.exe.pdf");
        assert_eq!(file_name("trang.html", pdf), "trang.html.pdf");
        assert_eq!(file_name("Báo cáo 12.2024", pdf), "Báo cáo 12.2024.pdf");
        assert_eq!(file_name("Báo cáo.PDF", pdf), "Báo cáo.PDF");
        assert_eq!(file_name("anh.jpeg", "image/jpeg"), "anh.jpeg");
        assert_eq!(file_name("anh.png", "image/jpeg"), "anh.png.jpg");
        assert_eq!(file_name("///", "image/png"), "tep-dinh-kem.png");
        let xlsx = sniff(&xlsx()).unwrap();
        assert_eq!(file_name("so-lieu.docx", xlsx), "so-lieu.docx.xlsx");
        let long = file_name(&"a".repeat(200), pdf);
        assert!(long.ends_with(".pdf") && long.chars().count() == NAME_MAX_CHARS);
    }

    #[test]
    fn a_file_over_the_limit_is_too_large() {
        let big = vec![b'%'; EVIDENCE_MAX_BYTES as usize + 1];
        assert_eq!(
            check(&big).unwrap_err().code(),
            "yearend_evidence_too_large"
        );
    }
}
