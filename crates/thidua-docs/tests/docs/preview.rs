//! A preview is not an issued document and must not look like one: its number is blank
//! ("Số:      /BC-CTĐ12": the log gives the number when it is issued) and every page is marked
//! as a preview at the top; the same document issued prints its number and no marking.

use thidua_docs::{prepare, Verification};

use super::render::{file, issued_pdf, requests};
use super::tools::{have, pdf_text, POPPLER};
use super::words::{occurrences, words};

const MARKING: &str = "BẢN XEM TRƯỚC - CHƯA PHÁT HÀNH";

fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_preview_has_no_number_and_is_marked_on_every_page() {
    if !have(&[POPPLER]) {
        return;
    }
    assert_eq!(Verification::Preview.marking(), Some(MARKING));
    for (name, request, state) in requests() {
        let doc = prepare(state, &request).unwrap().document;
        let preview = pdf_text(&file(name).pdf);
        let issued = pdf_text(issued_pdf(name));
        if let Some(number) = &doc.header.number {
            let (_, symbol) = number.split_once('/').unwrap();
            assert!(
                squeezed(&preview).contains(&format!("Số: /{symbol}")),
                "{name}: the preview's number is blank"
            );
            assert!(
                !preview.contains(number.as_str()),
                "{name}: the preview carries a number: {number}"
            );
            assert!(squeezed(&issued).contains(number.as_str()), "{name}");
        }
        let pages: Vec<&str> = preview
            .split('\x0c')
            .filter(|p| !p.trim().is_empty())
            .collect();
        for (i, page) in pages.iter().enumerate() {
            assert!(
                squeezed(page).contains(MARKING),
                "{name}: page {} of the preview is not marked",
                i + 1
            );
        }
        assert!(
            !squeezed(&issued).contains(MARKING),
            "{name}: issued, not a preview"
        );
        // In the top margin, at the right.
        let w = words(&file(name).pdf);
        for mark in occurrences(&w, MARKING) {
            let layout = thidua_docs::pdf::layout::TOP;
            assert!(
                mark.y_max < layout,
                "{name}: the marking sits in the top margin"
            );
            let right = thidua_docs::pdf::layout::PAGE_W - thidua_docs::pdf::layout::RIGHT;
            assert!(
                (mark.x_max - right).abs() < 1.0,
                "{name}: at the right margin"
            );
        }
    }
}
