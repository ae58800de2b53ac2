//! The typeface of the documents: Liberation Serif 2 (SIL Open Font License 1.1, `fonts/`), metric
//! compatible with Times New Roman, which Decree 30/2020 names; it covers Vietnamese with
//! precomposed letters, so NFC text needs no shaping. This module owns the four faces' bytes,
//! their advances (read with skrifa) and the krilla fonts the PDF embeds (subset).

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};

/// The face of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    BoldItalic,
}

impl Face {
    pub fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (false, false) => Face::Regular,
            (true, false) => Face::Bold,
            (false, true) => Face::Italic,
            (true, true) => Face::BoldItalic,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The family name the DOCX asks for (Word has it; LibreOffice substitutes Liberation Serif,
/// metric compatible, so both lay the text out alike).
pub const DOCX_FAMILY: &str = "Times New Roman";

const BYTES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// One face: its krilla font, its character map and advances, its vertical metrics.
pub struct FaceData {
    pub font: krilla::text::Font,
    font_ref: FontRef<'static>,
    advances: GlyphMetrics<'static>,
    units_per_em: f32,
    /// Ascent and descent (positive, below the baseline) and line gap, in ems.
    pub ascent: f32,
    pub descent: f32,
    pub line_gap: f32,
}

/// A character the typeface cannot print.
#[derive(Debug, thiserror::Error)]
#[error("the typeface has no glyph for {0:?} (U+{1:04X})")]
pub struct MissingGlyph(pub char, pub u32);

impl FaceData {
    fn load(bytes: &'static [u8]) -> FaceData {
        let font_ref = FontRef::new(bytes).expect("the shipped font parses");
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let upem = f32::from(metrics.units_per_em);
        FaceData {
            font: krilla::text::Font::new(bytes.into(), 0).expect("the shipped font loads"),
            advances: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            font_ref,
            units_per_em: upem,
            ascent: metrics.ascent / upem,
            descent: -metrics.descent / upem,
            line_gap: metrics.leading / upem,
        }
    }

    /// The glyph of `c` and its advance in ems. A line break (the one control character user
    /// text may hold) is drawn as a space.
    pub fn glyph(&self, c: char) -> Result<(u32, f32), MissingGlyph> {
        let c = if c == '\n' { ' ' } else { c };
        let gid = self
            .font_ref
            .charmap()
            .map(c)
            .filter(|g| g.to_u32() != 0)
            .ok_or(MissingGlyph(c, c as u32))?;
        let advance = self.advances.advance_width(gid).unwrap_or(0.0) / self.units_per_em;
        Ok((gid.to_u32(), advance))
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> Result<f32, MissingGlyph> {
        let mut em = 0.0;
        for c in text.chars() {
            em += self.glyph(c)?.1;
        }
        Ok(em * size)
    }

    /// The height of one line at `size` points (single spacing, as the font defines it).
    pub fn line_height(&self, size: f32) -> f32 {
        (self.ascent + self.descent + self.line_gap) * size
    }
}

/// The four faces, loaded once.
pub fn faces() -> &'static [FaceData; 4] {
    static FACES: OnceLock<[FaceData; 4]> = OnceLock::new();
    FACES.get_or_init(|| BYTES.map(FaceData::load))
}

/// One face.
pub fn face(f: Face) -> &'static FaceData {
    &faces()[f.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vietnamese_letter_has_a_glyph_in_every_face() {
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        let upper: String = letters.chars().flat_map(char::to_uppercase).collect();
        for f in [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic] {
            for c in letters
                .chars()
                .chain(upper.chars())
                .chain("“”–-;:,.%/()0123456789 ".chars())
            {
                face(f).glyph(c).unwrap_or_else(|e| panic!("{f:?}: {e}"));
            }
        }
        let glyph = |c| face(Face::Regular).glyph(c).unwrap();
        assert_eq!(glyph('\n'), glyph(' '), "a line break is drawn as a space");
        // Times New Roman's metrics: "a" is 0.444 em wide.
        assert!((face(Face::Regular).width("a", 1.0).unwrap() - 0.4438).abs() < 0.001);
    }
}
