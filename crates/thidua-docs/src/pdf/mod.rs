//! The PDF of a document, written inside the binary with krilla from the same model as the
//! DOCX: the four faces of Liberation Serif embedded as subsets with their Unicode maps, so the
//! text is selectable and extracts as the NFC Vietnamese it was written in. No clock and no
//! random identifier: the same document gives the same bytes.

pub mod layout;

use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document as Pdf, SerializeSettings};

use crate::fonts::{face, MissingGlyph};
use crate::model::{Document, Verification};
use layout::{Item, PAGE_H, PAGE_W, RULE};

/// Errors writing a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Glyph(#[from] MissingGlyph),
    #[error("the PDF writer failed: {0}")]
    Writer(String),
}

/// The PDF of `doc` with `verification` printed at its end (and a preview's marking on every
/// page).
pub fn write(doc: &Document, verification: &Verification) -> Result<Vec<u8>, PdfError> {
    let pages = layout::layout(doc, verification)?;
    let mut pdf = Pdf::new_with(SerializeSettings::default());
    pdf.set_metadata(
        Metadata::new()
            .title(doc.subject.join(" "))
            .language("vi".to_owned())
            .creator("Thi Đua".to_owned()),
    );
    for items in &pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        for item in items {
            draw(&mut surface, item)?;
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Writer(format!("{e:?}")))
}

fn draw(surface: &mut Surface<'_>, item: &Item) -> Result<(), MissingGlyph> {
    match item {
        Item::Text {
            x,
            y,
            face: f,
            size,
            text,
            extra,
        } => {
            let data = face(*f);
            let mut glyphs = Vec::with_capacity(text.len());
            for (start, c) in text.char_indices() {
                let (gid, advance) = data.glyph(c)?;
                let widen = if c == ' ' { extra / size } else { 0.0 };
                glyphs.push(KrillaGlyph::new(
                    GlyphId::new(gid),
                    advance + widen,
                    0.0,
                    0.0,
                    0.0,
                    start..start + c.len_utf8(),
                    None,
                ));
            }
            surface.set_stroke(None);
            surface.set_fill(Some(Default::default()));
            surface.draw_glyphs(
                Point::from_xy(*x, *y),
                &glyphs,
                data.font.clone(),
                text,
                *size,
                false,
            );
        }
        Item::Rule { x1, y1, x2, y2 } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    width: RULE,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
    Ok(())
}
