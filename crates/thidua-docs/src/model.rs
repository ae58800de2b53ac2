//! The document model: what an official document says and how its parts are arranged, with no
//! knowledge of DOCX or PDF. Both writers read the same model, so the two files say the same
//! thing. The model is serialisable: its canonical JSON is what a document's SHA-256 covers
//! ([`crate::content_hash`]), and what the server keeps to render an issued document again.

use serde::{Deserialize, Serialize};

/// The edition of this release's templates: raised whenever a template's wording or
/// arrangement changes, so that a document another release issued is told apart — its content
/// still checked against its record, but not rebuilt by templates that would word it otherwise
/// ([`crate::rebuild`]). Edition 2 dates minutes by the day of what they record; edition 3
/// sets each column of scores at the decimals of its most precise value ("94,50"); edition 4
/// gives each member a vote-count minutes leave out of the candidates its own reason
/// (`thidua_domain::votes::not_candidates`: proposed by another award vote, not ranked…).
pub const EDITION: u32 = 4;

/// One official document, laid out as Decree 30/2020 (appendix I) asks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The edition of the templates that wrote it ([`EDITION`]): 1, and not written, for the
    /// documents issued before editions were numbered (their canonical bytes stay as they were).
    #[serde(default = "first_edition", skip_serializing_if = "is_first_edition")]
    pub edition: u32,
    /// The document's kind (`covenant`, `results`…), as the log names it.
    pub kind: String,
    pub header: Header,
    /// The type in capitals ("BÁO CÁO", "GIAO ƯỚC THI ĐUA").
    pub type_line: String,
    /// The subject under the type, one or more centred lines.
    pub subject: Vec<String>,
    /// "Kính gửi: …" for a submission or a report to a higher body.
    pub addressee: Option<String>,
    pub body: Vec<Block>,
    pub signatures: Signatures,
    /// "Nơi nhận:" entries ("- Như trên;" … "- Lưu: VT, …"); empty: no recipients block.
    pub recipients: Vec<String>,
}

/// The header table: issuing body on the left, national title and motto on the right.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The body above the issuing one ("BỘ CÔNG AN"), in capitals.
    pub parent_body: Option<String>,
    /// The issuing body ("CỤM THI ĐUA SỐ 12"), in capitals.
    pub issuing_body: String,
    /// "Số: 01/BC-CTĐ12"; `None` for a document without number (a covenant).
    pub number: Option<String>,
    /// "Kiên Giang, ngày 26 tháng 3 năm 2024"; `None` for minutes, which carry no date line.
    pub place_date: Option<String>,
}

/// A block of the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "block", content = "content", rename_all = "snake_case")]
pub enum Block {
    /// A heading of a part ("I. PHÒNG, CHỐNG TỘI PHẠM"), bold, flush left.
    Heading(String),
    /// A justified paragraph with a first-line indent.
    Paragraph(Vec<Span>),
    /// A table with a header row.
    Table(Table),
}

/// A run of text with its emphasis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }

    pub fn bold(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A column: its title, its share of the text width (in percent) and its alignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub title: String,
    pub width_pct: u16,
    pub align: Align,
}

impl Column {
    pub fn new(title: &str, width_pct: u16, align: Align) -> Self {
        Self {
            title: title.into(),
            width_pct,
            align,
        }
    }
}

/// A table: columns whose widths add up to 100, rows of plain text cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first column ("STT") numbers the rows 1, 2, …, one row per item, the other
    /// cells given by `cells`.
    pub fn numbered<T>(
        columns: Vec<Column>,
        items: &[T],
        cells: impl Fn(&T) -> Vec<String>,
    ) -> Self {
        let rows = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut row = vec![(i + 1).to_string()];
                row.extend(cells(item));
                row
            })
            .collect();
        Self { columns, rows }
    }
}

/// One signature block: the authority line (TM., KT., …, or the unit signing for itself), the
/// signer's title in capitals, the space for signature and seal, the name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureBlock {
    pub authority: Option<String>,
    /// One or more lines ("CỤM TRƯỞNG\nGIÁM ĐỐC CÔNG AN TỈNH …"), separated by `\n`.
    pub title: String,
    /// Empty when the name is to be written by hand.
    pub name: String,
}

/// How the signature blocks are arranged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "layout", content = "blocks", rename_all = "snake_case")]
pub enum Signatures {
    /// One block on the right, level with "Nơi nhận" on the left (reports, submissions).
    Single(SignatureBlock),
    /// Two blocks side by side: left then right (minutes: THƯ KÝ left, CHỦ TỌA right).
    Pair(SignatureBlock, SignatureBlock),
    /// Blocks two to a row, in order (a covenant: one per member unit, head first).
    Grid(Vec<SignatureBlock>),
}

/// What is printed at the foot of the last page to tie the paper to the log: not part of the
/// content the hash covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// A draft or preview: nothing was issued.
    Preview,
    /// Issued: the content's SHA-256 and the record number of the issuing event.
    Issued { sha256: String, index: u64 },
}

impl Verification {
    /// What is printed at the top of every page of a document that was not issued: it has no
    /// number yet and no force.
    pub fn marking(&self) -> Option<&'static str> {
        match self {
            Verification::Preview => Some("BẢN XEM TRƯỚC - CHƯA PHÁT HÀNH"),
            Verification::Issued { .. } => None,
        }
    }

    /// The line printed on the document.
    pub fn line(&self) -> String {
        match self {
            Verification::Preview => "Bản xem trước, chưa phát hành: chưa ghi vào sổ.".to_owned(),
            Verification::Issued { sha256, index } => format!(
                "Kiểm chứng: văn bản ghi vào sổ thi đua, số thứ tự {index}; mã nội dung \
                 SHA-256 {sha256} (không phải mã của tệp này; kiểm bằng lệnh thidua doc check)"
            ),
        }
    }
}

fn first_edition() -> u32 {
    1
}

fn is_first_edition(edition: &u32) -> bool {
    *edition == 1
}

#[cfg(test)]
mod tests {
    use super::Verification;

    /// An issued document's line says its SHA-256 is its content's (which a downloaded PDF or
    /// DOCX does not hash to) and how to check a copy.
    #[test]
    fn the_issued_line_names_the_content_hash_and_the_check() {
        let line = Verification::Issued {
            sha256: "ab".repeat(32),
            index: 426,
        }
        .line();
        assert!(line.contains("số thứ tự 426"), "{line}");
        assert!(
            line.contains(&format!("mã nội dung SHA-256 {}", "ab".repeat(32))),
            "{line}"
        );
        assert!(line.contains("thidua doc check"), "{line}");
    }
}
