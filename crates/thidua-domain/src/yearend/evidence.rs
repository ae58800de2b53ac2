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
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"PK\x03\x04") && has(b"[Content_Types].xml") {
        if has(b"word/document.xml") {
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        } else if has(b"xl/workbook.xml") {
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        } else {
            None
        }
    } else {
        None
    }
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

    #[test]
    fn types_are_read_from_the_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert!(sniff(docx).unwrap().contains("wordprocessingml"));
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml";
        assert!(sniff(xlsx).unwrap().contains("spreadsheetml"));
        assert_eq!(sniff(b"PK\x03\x04 a plain zip"), None);
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
        let xlsx = sniff(b"PK\x03\x04[Content_Types].xml xl/workbook.xml").unwrap();
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
