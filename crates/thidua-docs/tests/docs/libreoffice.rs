//! Our DOCX in LibreOffice looks like our PDF where the audit found them apart: the covenant's
//! rows of signature blocks have space between them (a name never runs into the next unit's
//! name), a table's "STT" is one word (never broken "ST/T"), and the rule under the subject is
//! as short as the PDF's.

use std::path::Path;
use std::process::Command;

use super::golden::pgm;
use super::render::{file, libreoffice_pdfs};
use super::tools::{have, run, PDFTOPPM, POPPLER, SOFFICE};
use super::words::{occurrences, words, Word};

fn lo(name: &str) -> &'static Path {
    &libreoffice_pdfs()
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap()
        .1
}

/// The gap between each signer's name and the next row's first block, in points.
fn row_gaps(w: &[Word]) -> Vec<f32> {
    let names = ["Nguyễn Văn Kiên", "Huỳnh Bạc Lâm"];
    let next = ["CÔNG AN TỈNH BẠC LIÊU", "CÔNG AN TỈNH HẬU GIANG"];
    names
        .iter()
        .zip(next)
        .map(|(name, unit)| {
            let name = occurrences(w, name).pop().expect("the signer's name");
            let unit = occurrences(w, unit).pop().expect("the next unit");
            unit.y_min - name.y_max
        })
        .collect()
}

#[test]
fn covenant_signature_rows_are_spaced_as_in_the_pdf() {
    if !have(&[SOFFICE, POPPLER]) {
        return;
    }
    let ours = row_gaps(&words(&file("covenant").pdf));
    let theirs = row_gaps(&words(lo("covenant")));
    for (o, t) in ours.iter().zip(&theirs) {
        assert!(*o > 8.0, "our PDF spaces its rows: {ours:?}");
        assert!(
            *t > 0.6 * o,
            "LibreOffice's rows of signature blocks touch: gaps {theirs:?}, ours {ours:?}"
        );
    }
}

#[test]
fn stt_is_one_word_in_every_table() {
    if !have(&[SOFFICE, POPPLER]) {
        return;
    }
    for (name, pdf) in libreoffice_pdfs() {
        let w = words(pdf);
        let broken = occurrences(&w, "ST").len();
        assert_eq!(broken, 0, "{name}: \"STT\" broken in LibreOffice");
    }
    let tables = occurrences(&words(lo("year")), "STT").len();
    assert_eq!(tables, 2, "the year report's two tables");
}

/// The length, in points, of the longest dark horizontal run on page 1 between `top` and
/// `bottom` (points from the top of the page).
fn rule_length(pdf: &Path, top: f32, bottom: f32) -> f32 {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    run(Command::new("pdftoppm")
        .args(["-gray", "-r", "144", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix));
    let page = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .unwrap();
    let (w, _, data) = pgm(&page);
    let scale = 2.0; // 144 dpi: two pixels a point
    let mut longest = 0;
    for y in (top * scale) as usize..(bottom * scale) as usize {
        let row = &data[y * w as usize..(y + 1) * w as usize];
        let mut run = 0;
        for &p in row {
            run = if p < 128 { run + 1 } else { 0 };
            longest = longest.max(run);
        }
    }
    longest as f32 / scale
}

/// The rule between the subject's last line and what follows it, in a PDF.
fn subject_rule(pdf: &Path, last_subject_words: &str, next: &str) -> f32 {
    let w = words(pdf);
    let above = occurrences(&w, last_subject_words).remove(0);
    let below = occurrences(&w, next).remove(0);
    rule_length(pdf, above.y_max + 0.5, below.y_min - 0.5)
}

#[test]
fn the_rule_under_the_subject_is_short_as_in_the_pdf() {
    if !have(&[SOFFICE, POPPLER, PDFTOPPM]) {
        return;
    }
    for (name, last, next) in [
        ("covenant", "2024", "Căn cứ"),
        ("vote", "hoạ)", "Vào ngày"),
        ("year", "năm 2024", "Kính gửi:"),
    ] {
        let ours = subject_rule(&file(name).pdf, last, next);
        let theirs = subject_rule(lo(name), last, next);
        assert!(ours > 60.0, "{name}: our rule {ours}");
        assert!(
            (theirs - ours).abs() < 0.1 * ours,
            "{name}: LibreOffice's rule under the subject is {theirs} pt, ours {ours} pt"
        );
    }
}
