//! The evidence files a verification checks: every file the year-end dossiers among the events
//! read name (by SHA-256, size and type, in `dossier_saved` and `dossier_submitted`) must be
//! what the log's source stores for it — a database's blobs, or what a server serves at
//! `/covenants/{id}/yearend/evidence/{sha256}`. A log whose hashes and signatures hold but whose
//! evidence file was altered or lost in the database is one the server would refuse to give
//! that file from; `thidua verify` says so instead of "verified".

use std::collections::BTreeMap;

use thidua_domain::yearend::{evidence, DossierEntry, Evidence, YearEndEvent};
use thidua_domain::{CovenantId, Event, Payload, UnitId};

/// The stored bytes of the evidence file `sha256` of a dossier of `covenant`: `Ok(None)` when
/// the caller may not read it, `Err` (with why) when the source has no such content or cannot
/// give it.
pub type Content<'a> = &'a dyn Fn(&CovenantId, &str) -> Result<Option<Vec<u8>>, String>;

/// What checking the evidence files found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// Files whose stored content is what their dossier names (SHA-256).
    pub identical: Vec<String>,
    /// Files whose content the caller may not read (SHA-256).
    pub unread: Vec<String>,
    /// Every file missing or differing, as a sentence naming the file and its dossier.
    pub problems: Vec<String>,
}

/// A file as the first dossier event naming it gives it.
struct Named<'a> {
    covenant: &'a CovenantId,
    unit: &'a UnitId,
    index: u64,
    file: &'a Evidence,
}

/// Every distinct evidence file the dossier events among `events` name, by SHA-256, as the
/// first of them names it.
fn named(events: &[Event]) -> BTreeMap<&str, Named<'_>> {
    let mut files = BTreeMap::new();
    for event in events {
        let (covenant, unit, entries): (_, _, &BTreeMap<String, DossierEntry>) = match &event
            .payload
        {
            Payload::YearEnd(YearEndEvent::DossierSaved(d)) => (&d.covenant, &d.unit, &d.entries),
            Payload::YearEnd(YearEndEvent::DossierSubmitted(d)) => {
                (&d.covenant, &d.unit, &d.entries)
            }
            _ => continue,
        };
        for file in entries.values().flat_map(|e| &e.evidence) {
            files.entry(file.sha256.as_str()).or_insert(Named {
                covenant,
                unit,
                index: event.index,
                file,
            });
        }
    }
    files
}

/// What is wrong with `bytes` as the file `file` names, if anything.
fn difference(file: &Evidence, bytes: &[u8]) -> Option<String> {
    let sha256 = hex::encode(thidua_store::sha256(bytes));
    if sha256 != file.sha256 {
        return Some(format!(
            "nội dung lưu có SHA-256 / the stored content's SHA-256 is {sha256}"
        ));
    }
    if bytes.len() as u64 != file.size {
        return Some(format!(
            "{} byte, hồ sơ ghi {} / {} bytes where the dossier says {}",
            bytes.len(),
            file.size,
            bytes.len(),
            file.size
        ));
    }
    match evidence::sniff(bytes) {
        Some(t) if t == file.media_type => None,
        found => Some(format!(
            "không phải kiểu {m} / not of type {m} (found {})",
            found.unwrap_or("an unknown type"),
            m = file.media_type
        )),
    }
}

/// Checks every evidence file the dossier events among `events` name against what `content`
/// gives for it.
pub fn audit(events: &[Event], content: Content) -> Audit {
    let mut audit = Audit::default();
    for (sha256, n) in named(events) {
        let problem = match content(n.covenant, sha256) {
            Ok(None) => {
                audit.unread.push(sha256.to_owned());
                continue;
            }
            Ok(Some(bytes)) => difference(n.file, &bytes),
            Err(e) => Some(e),
        };
        match problem {
            None => audit.identical.push(sha256.to_owned()),
            Some(why) => audit.problems.push(format!(
                "tệp minh chứng / evidence file {:?} ({sha256}) của hồ sơ / of the dossier of {} \
                 (mục / entry {}): {why}",
                n.file.name.as_str(),
                n.unit,
                n.index
            )),
        }
    }
    audit
}

/// The line `thidua verify` says of the evidence files checked, if there were any.
pub fn line(a: &Audit) -> Option<String> {
    if a.identical.is_empty() && a.unread.is_empty() {
        return None;
    }
    let mut line = format!(
        "tệp minh chứng: {n} tệp khớp với hồ sơ / evidence files: {n} stored as their dossiers \
         name them",
        n = a.identical.len()
    );
    if !a.unread.is_empty() {
        line.push_str(&format!(
            " ({u} tệp mã này không được đọc / {u} this token may not read)",
            u = a.unread.len()
        ));
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf() -> Vec<u8> {
        b"%PDF-1.7\n%minh chung\n".to_vec()
    }

    fn file_of(bytes: &[u8]) -> Evidence {
        Evidence {
            sha256: hex::encode(thidua_store::sha256(bytes)),
            name: thidua_domain::Text::parse("name", "bao-cao.pdf", 300).unwrap(),
            media_type: "application/pdf".into(),
            size: bytes.len() as u64,
        }
    }

    #[test]
    fn a_file_is_what_its_dossier_names_or_the_difference_is_said() {
        let bytes = pdf();
        let file = file_of(&bytes);
        assert_eq!(difference(&file, &bytes), None);
        let mut altered = bytes.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(difference(&file, &altered).unwrap().contains("SHA-256"));
        let longer = Evidence {
            size: file.size + 1,
            ..file.clone()
        };
        assert!(difference(&longer, &bytes).unwrap().contains("bytes"));
        let png = Evidence {
            media_type: "image/png".into(),
            ..file
        };
        assert!(difference(&png, &bytes)
            .unwrap()
            .contains("not of type image/png"));
    }
}
