//! Official documents of Thi Đua in the Decree 30/2020/NĐ-CP layout, from the log's data: a
//! document model ([`model`]) filled by one template per kind of document ([`templates`]) and
//! written as an editable DOCX ([`docx`]) and as a PDF with embedded fonts ([`pdf`]), with no
//! office suite at run time. Pure and deterministic: the same document gives the same bytes,
//! and its content has one SHA-256 ([`content_hash`]) that the log records when it is issued.
//! See README.md for how a new document is added.
#![forbid(unsafe_code)]

pub mod decree;
pub mod docx;
pub mod fonts;
pub mod issue;
pub mod model;
pub mod pdf;
pub mod rebuild;
pub mod templates;

use sha2::{Digest, Sha256};

pub use model::{Document, Verification};
pub use templates::{prepare, DocError, Prepared, Request};

/// The two files a document is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// Errors writing a file.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
    #[error(transparent)]
    Docx(#[from] docx::DocxError),
}

/// The canonical bytes of a document's content: compact JSON, keys sorted. What the server
/// stores to render an issued document again, and what [`content_hash`] covers.
pub fn canonical_bytes(doc: &Document) -> Vec<u8> {
    thidua_domain::canonical_json(doc)
}

/// SHA-256 (hex) of the document's content ([`canonical_bytes`]): the same for its DOCX and its
/// PDF, and independent of the verification line printed on them.
pub fn content_hash(doc: &Document) -> String {
    hex::encode(Sha256::digest(canonical_bytes(doc)))
}

/// Reads stored canonical bytes back, refusing bytes that are not canonical.
pub fn from_canonical(bytes: &[u8]) -> Option<Document> {
    let doc: Document = serde_json::from_slice(bytes).ok()?;
    (canonical_bytes(&doc) == bytes).then_some(doc)
}

/// Writes `doc` as `format`, with the verification line at its end. A preview shows its number
/// blank ("Số:      /BC-CTĐ12": the number is given when it is issued) and is marked as a
/// preview at the top of every page.
pub fn render(
    doc: &Document,
    verification: &Verification,
    format: Format,
) -> Result<Vec<u8>, RenderError> {
    let preview;
    let doc = match verification {
        Verification::Preview => {
            let mut d = doc.clone();
            d.header.number = d.header.number.as_deref().map(decree::blank_number);
            preview = d;
            &preview
        }
        Verification::Issued { .. } => doc,
    };
    Ok(match format {
        Format::Pdf => pdf::write(doc, verification)?,
        Format::Docx => docx::write(doc, verification)?,
    })
}
