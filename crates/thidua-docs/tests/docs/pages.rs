//! Page breaks keep what belongs together, in our PDFs and in LibreOffice's rendering of our
//! DOCX: a heading is never the last line of its page (it keeps with the start of its part),
//! the signature blocks are never alone on a page (they keep with the last paragraph of the
//! body), and the verification line is never alone on a page (it keeps with the last block).

use thidua_docs::model::{Block, Document, Signatures, Span};
use thidua_docs::prepare;

use super::render::{file, libreoffice_pdfs, requests};
use super::tools::{have, POPPLER, SOFFICE};
use super::words::{occurrences, words, Word};

/// The first words of a text (at most `n`), as `find` takes them.
fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

fn last_words(text: &str, n: usize) -> String {
    let all: Vec<&str> = text.split_whitespace().collect();
    all[all.len().saturating_sub(n)..].join(" ")
}

fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// The first line of the first signature block (its authority, else its title).
fn first_signature_line(doc: &Document) -> String {
    let block = match &doc.signatures {
        Signatures::Single(b) | Signatures::Pair(b, _) => b,
        Signatures::Grid(blocks) => &blocks[0],
    };
    let line = block.authority.as_deref().unwrap_or(&block.title);
    first_words(line, 2)
}

fn check(name: &str, w: &[Word], doc: &Document, what: &str) {
    for block in &doc.body {
        let Block::Heading(heading) = block else {
            continue;
        };
        let h = occurrences(w, heading)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{what}: {heading:?} not found"));
        assert!(
            w.iter()
                .any(|x| x.page == h.page && x.y_min > h.y_max + 1.0),
            "{what}: the heading {heading:?} ends page {}",
            h.page
        );
    }
    let last = doc
        .body
        .iter()
        .rev()
        .find_map(|b| match b {
            Block::Paragraph(spans) => Some(spans_text(spans)),
            _ => None,
        })
        .expect("a body paragraph");
    let end = occurrences(w, &last_words(&last, 2));
    let end = end
        .last()
        .unwrap_or_else(|| panic!("{what}: {last:?} not found"));
    let signature = first_signature_line(doc);
    let sign = occurrences(w, &signature);
    let sign = sign
        .iter()
        .find(|s| (s.page, s.y_min) > (end.page, end.y_max))
        .unwrap_or_else(|| panic!("{what}: {signature:?} not found after the body"));
    assert_eq!(
        sign.page, end.page,
        "{name} ({what}): the signature blocks are on page {} without the body's last paragraph (page {})",
        sign.page, end.page
    );
    let last = last_signature_line(doc);
    let last = occurrences(w, &last).pop().expect("the last block");
    let verification = occurrences(w, "Bản xem trước,")
        .pop()
        .expect("the verification");
    assert_eq!(
        verification.page, last.page,
        "{name} ({what}): the verification line is alone on page {}",
        verification.page
    );
}

/// The last line of the last signature block (its name, else its title's first words).
fn last_signature_line(doc: &Document) -> String {
    let block = match &doc.signatures {
        Signatures::Single(b) | Signatures::Pair(_, b) => b,
        Signatures::Grid(blocks) => blocks.last().unwrap(),
    };
    match block.name.is_empty() {
        true => first_words(&block.title, 2),
        false => block.name.clone(),
    }
}

#[test]
fn headings_and_signatures_keep_with_their_text() {
    if !have(&[POPPLER, SOFFICE]) {
        return;
    }
    for (name, request, state) in requests() {
        let doc = prepare(state, &request).unwrap().document;
        check(name, &words(&file(name).pdf), &doc, "PDF");
        let (_, lo) = libreoffice_pdfs().iter().find(|(n, _)| *n == name).unwrap();
        check(name, &words(lo), &doc, "DOCX in LibreOffice");
    }
}
