//! The DOCX of a document, written with docx-rs from the same model as the PDF: real
//! paragraphs, tables for the header, the body's tables and the signature blocks, a page-number
//! field in the header from page 2 (a different first page), so a secretary can still correct a
//! comma in Word or LibreOffice before printing. Paragraph identifiers are numbered here and the
//! package carries no clock, so the same document gives the same bytes.
//!
//! Every paragraph has a named paragraph style ([`style`]: ASCII ids `ThiDua…`, Vietnamese
//! display names), one for each part Decree 30 names — the parent and issuing bodies, the
//! national title, the motto, the number, the place and date, the type, the subject, "Kính
//! gửi", the body, its headings and tables, the signer's authority and title, the signer's
//! name, "Nơi nhận" and its list, the verification line, the page number, a preview's marking,
//! the short rules and the blank lines. The style carries the size, the weight and slant, the
//! alignment and the spacing; a paragraph adds only what is its own (a bold word in a line, a
//! table column's alignment, a rule's length, keeping with what follows), and no paragraph sets
//! a type size: restyling a part in Word restyles it everywhere.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Header as DocxHeader, InstrPAGE, InstrText, LineSpacing,
    PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run,
    RunFonts, SpecialIndentType, Style, StyleType, Table as DocxTable, TableCell, TableCellMargins,
    TableRow, WidthType,
};

use crate::decree::{MOTTO, NATIONAL_TITLE, RECIPIENTS};
use crate::fonts::{face, Face, DOCX_FAMILY};
use crate::model::{
    Align, Block, Document, Header, SignatureBlock, Signatures, Span, Table, Verification,
};
use crate::pdf::layout::{
    column_widths, size, subject_rule, BOTTOM, HEADER_LEFT, LEFT, MM, PAD_X, PAD_Y, RIGHT,
    SIGNATURE_GAP, SINGLE_BLOCK, TOP, WIDTH,
};

/// Points to twentieths of a point (DOCX lengths), and to half points (DOCX type sizes).
fn tw(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}
fn hp(pt: f32) -> usize {
    (pt * 2.0).round() as usize
}

/// Errors writing a DOCX.
#[derive(Debug, thiserror::Error)]
#[error("the DOCX writer failed: {0}")]
pub struct DocxError(String);

/// Numbers the paragraphs (`w14:paraId`) in order, so ids never depend on what the thread did
/// before.
struct Ids(u32);

impl Ids {
    fn p(&mut self) -> Paragraph {
        self.0 += 1;
        Paragraph::new().id(format!("{:08X}", self.0))
    }
}

/// The ids of the paragraph styles, one for each part of the document (ASCII; the names
/// shown in Word and LibreOffice are Vietnamese).
pub mod style {
    /// The parent body, and the base of the header's other parts (centred, 12 pt).
    pub const HEADER: &str = "ThiDuaHeader";
    pub const ISSUING_BODY: &str = "ThiDuaIssuingBody";
    pub const NATIONAL_TITLE: &str = "ThiDuaNationalTitle";
    pub const MOTTO: &str = "ThiDuaMotto";
    pub const NUMBER: &str = "ThiDuaNumber";
    pub const PLACE_DATE: &str = "ThiDuaPlaceDate";
    /// The type line ("BÁO CÁO"), and the base of the subject's lines.
    pub const TYPE: &str = "ThiDuaType";
    pub const SUBJECT: &str = "ThiDuaSubject";
    pub const ADDRESSEE: &str = "ThiDuaAddressee";
    pub const BODY: &str = "ThiDuaBody";
    pub const HEADING: &str = "ThiDuaHeading";
    pub const TABLE: &str = "ThiDuaTable";
    pub const TABLE_HEAD: &str = "ThiDuaTableHead";
    /// The signer's authority and title ("TM. …", "CỤM TRƯỞNG").
    pub const SIGNATURE: &str = "ThiDuaSignature";
    pub const SIGNATURE_NAME: &str = "ThiDuaSignatureName";
    pub const RECIPIENTS_HEAD: &str = "ThiDuaRecipientsHead";
    pub const RECIPIENTS: &str = "ThiDuaRecipients";
    pub const VERIFICATION: &str = "ThiDuaVerification";
    pub const PAGE_NUMBER: &str = "ThiDuaPageNumber";
    pub const MARKING: &str = "ThiDuaMarking";
    /// The short rules under the issuing body, the motto and the subject.
    pub const RULE: &str = "ThiDuaRule";
    /// The blank lines (before the type, in the signing space, after a table).
    pub const BLANK: &str = "ThiDuaBlank";
}

/// A paragraph style `id` shown as `name`, based on `base` if any.
fn paragraph_style(id: &str, name: &str, base: Option<&str>) -> Style {
    let s = Style::new(id, StyleType::Paragraph).name(name);
    match base {
        Some(b) => s.based_on(b),
        None => s,
    }
}

/// A centred paragraph style of `pt` points.
fn centred_style(id: &str, name: &str, pt: f32) -> Style {
    paragraph_style(id, name, None)
        .size(hp(pt))
        .align(AlignmentType::Center)
}

/// `s` with widow and orphan control: no line of its paragraphs alone at the foot or the head
/// of a page, as the PDF sets them.
fn widow_control(mut s: Style) -> Style {
    s.paragraph_property = s.paragraph_property.widow_control(true);
    s
}

/// The paragraph styles, with the sizes, weights, alignments and spacing the PDF uses.
fn styles(docx: Docx) -> Docx {
    use style::*;
    let header = Some(HEADER);
    let mut rule = paragraph_style(RULE, "Đường kẻ ngắn", None)
        .size(2)
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line(20)
                .line_rule(docx_rs::LineSpacingType::Exact),
        );
    rule.paragraph_property = rule.paragraph_property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .size(4)
                .space(1),
        ),
    );
    [
        centred_style(HEADER, "Cơ quan chủ quản", size::PARENT_BODY),
        paragraph_style(ISSUING_BODY, "Tên cơ quan ban hành", header)
            .size(hp(size::ISSUING_BODY))
            .bold(),
        paragraph_style(NATIONAL_TITLE, "Quốc hiệu", header)
            .size(hp(size::NATIONAL_TITLE))
            .bold(),
        paragraph_style(MOTTO, "Tiêu ngữ", header)
            .size(hp(size::MOTTO))
            .bold(),
        paragraph_style(NUMBER, "Số, ký hiệu", header).size(hp(size::NUMBER)),
        paragraph_style(PLACE_DATE, "Địa danh, ngày tháng", header)
            .size(hp(size::PLACE_DATE))
            .italic(),
        centred_style(TYPE, "Tên loại văn bản", size::TYPE).bold(),
        paragraph_style(SUBJECT, "Trích yếu", Some(TYPE)),
        centred_style(ADDRESSEE, "Kính gửi", size::BODY),
        widow_control(
            paragraph_style(BODY, "Thân văn bản", None)
                .size(hp(size::BODY))
                .align(AlignmentType::Both)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(tw(10.0 * MM))),
                    None,
                    None,
                )
                .line_spacing(LineSpacing::new().after(120)),
        ),
        paragraph_style(HEADING, "Đề mục", Some(BODY)).bold(),
        paragraph_style(TABLE, "Chữ trong bảng", None).size(hp(size::TABLE)),
        paragraph_style(TABLE_HEAD, "Đầu cột bảng", Some(TABLE))
            .bold()
            .align(AlignmentType::Center),
        centred_style(SIGNATURE, "Chức vụ người ký", size::SIGNATURE).bold(),
        // Space after the name, as the PDF leaves between rows of blocks: a name never runs
        // into the next row's unit.
        paragraph_style(SIGNATURE_NAME, "Họ tên người ký", Some(SIGNATURE))
            .line_spacing(LineSpacing::new().after(tw(SIGNATURE_GAP) as u32)),
        paragraph_style(RECIPIENTS_HEAD, "Nơi nhận", None)
            .size(hp(size::RECIPIENTS_LABEL))
            .bold()
            .italic(),
        paragraph_style(RECIPIENTS, "Danh sách nơi nhận", None).size(hp(size::RECIPIENTS)),
        paragraph_style(VERIFICATION, "Dòng kiểm chứng", None).size(hp(size::VERIFICATION)),
        centred_style(PAGE_NUMBER, "Số trang", size::PAGE_NUMBER),
        paragraph_style(MARKING, "Dấu bản xem trước", None)
            .size(hp(size::MARKING))
            .bold()
            .italic()
            .align(AlignmentType::Right),
        rule,
        paragraph_style(BLANK, "Dòng trống", None).size(hp(size::BODY)),
    ]
    .into_iter()
    .fold(docx, Docx::add_style)
}

/// The DOCX of `doc` with `verification` at its end (and a preview's marking at the top of
/// every page).
pub fn write(doc: &Document, verification: &Verification) -> Result<Vec<u8>, DocxError> {
    let marking = verification.marking();
    let verification = &verification.line();
    let mut ids = Ids(0);
    let fonts = RunFonts::new()
        .ascii(DOCX_FAMILY)
        .hi_ansi(DOCX_FAMILY)
        .cs(DOCX_FAMILY)
        .east_asia(DOCX_FAMILY);
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(tw(TOP))
                .bottom(tw(BOTTOM))
                .left(tw(LEFT))
                .right(tw(RIGHT))
                .header(tw(8.0 * MM))
                .footer(tw(8.0 * MM)),
        )
        .default_fonts(fonts)
        .default_size(hp(size::BODY));
    docx = styles(docx)
        .first_header(first_page_header(&mut ids, marking))
        .header(page_number_header(&mut ids, marking))
        .title_pg();
    docx = docx.add_table(header_table(&mut ids, &doc.header));
    for p in title(&mut ids, doc) {
        docx = docx.add_paragraph(p);
    }
    for (i, block) in doc.body.iter().enumerate() {
        // A heading keeps with what follows it, the last paragraph with the signature blocks.
        let last = i + 1 == doc.body.len();
        docx = match block {
            Block::Heading(text) => docx.add_paragraph(
                ids.p()
                    .style(style::HEADING)
                    .keep_next(true)
                    .keep_lines(true)
                    .add_run(Run::new().add_text(text)),
            ),
            Block::Paragraph(spans) => docx.add_paragraph(runs(
                ids.p().style(style::BODY).keep_next(last).keep_lines(last),
                spans,
            )),
            Block::Table(t) => docx
                .add_table(body_table(&mut ids, t))
                .add_paragraph(blank(&mut ids)),
        };
    }
    docx = docx.add_table(signature_table(&mut ids, doc, verification));
    let mut xml = docx.build();
    xml.styles = in_vietnamese(&xml.styles)?;
    xml.doc_props.core = core_properties(&doc.subject.join(" "));
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| DocxError(e.to_string()))?;
    Ok(out.into_inner())
}

/// What docx-rs 0.4 cannot say and Word needs: the text is Vietnamese (`w:lang` in the
/// default run properties, so spelling, hyphenation and the proofing language are right and
/// Word does not mark every word as an English mistake). Added to the styles the crate wrote;
/// a crate whose styles no longer have the expected default is an error, never a silent skip.
fn in_vietnamese(styles: &[u8]) -> Result<Vec<u8>, DocxError> {
    const DEFAULT_RUN_END: &str = "</w:rPr></w:rPrDefault>";
    const LANGUAGE: &str = r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA" />"#;
    let text = std::str::from_utf8(styles).map_err(|e| DocxError(e.to_string()))?;
    let at = text
        .find(DEFAULT_RUN_END)
        .ok_or_else(|| DocxError("the styles have no default run properties".into()))?;
    Ok([&text[..at], LANGUAGE, &text[at..]].concat().into_bytes())
}

/// The package's core properties (docx-rs 0.4 writes "unknown" as the author and cannot set a
/// title or a language): the title is the document's subject, the language Vietnamese, the
/// author the system, and no creation time, so the same document keeps the same bytes.
fn core_properties(title: &str) -> Vec<u8> {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
            r#"xmlns:dc="http://purl.org/dc/elements/1.1/">"#,
            "<dc:title>{}</dc:title><dc:language>vi-VN</dc:language>",
            "<dc:creator>Thi Đua</dc:creator></cp:coreProperties>"
        ),
        thidua_scoring::render::esc(title)
    )
    .into_bytes()
}

/// The header of page 1: empty, or a preview's marking (at the right of the top margin).
fn first_page_header(ids: &mut Ids, marking: Option<&str>) -> DocxHeader {
    DocxHeader::new().add_paragraph(match marking {
        Some(m) => line(ids, style::MARKING, m),
        None => blank(ids),
    })
}

/// The header of pages 2 and after: a preview's marking, then the page number, centred.
fn page_number_header(ids: &mut Ids, marking: Option<&str>) -> DocxHeader {
    let mut header = DocxHeader::new();
    if let Some(m) = marking {
        header = header.add_paragraph(line(ids, style::MARKING, m));
    }
    let run = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("2")
        .add_field_char(FieldCharType::End, false);
    header.add_paragraph(ids.p().style(style::PAGE_NUMBER).add_run(run))
}

/// A paragraph of style `style` with one run of `text`, formatted by its style alone.
fn line(ids: &mut Ids, style: &str, text: &str) -> Paragraph {
    ids.p().style(style).add_run(Run::new().add_text(text))
}

/// A blank line.
fn blank(ids: &mut Ids) -> Paragraph {
    ids.p().style(style::BLANK)
}

/// A short centred rule (the style's bottom border on an empty paragraph), indented to
/// `length` within a column of `column` points.
fn rule(ids: &mut Ids, column: f32, length: f32) -> Paragraph {
    let side = tw(((column - length) / 2.0).max(0.0));
    ids.p()
        .style(style::RULE)
        .indent(Some(side), None, Some(side), None)
}

/// The width of the widest line of `text` as the PDF sets it (for the rules' lengths).
fn text_width(text: &str, f: Face, pt: f32) -> f32 {
    face(f).width(text, pt).unwrap_or(0.0)
}

fn cell(width_pt: f32) -> TableCell {
    TableCell::new().width(tw(width_pt) as usize, WidthType::Dxa)
}

/// The header table: issuing body left, national title and motto right; number and date below.
fn header_table(ids: &mut Ids, h: &Header) -> DocxTable {
    let lw = WIDTH * HEADER_LEFT;
    let rw = WIDTH - lw;
    let mut left = cell(lw);
    if let Some(parent) = &h.parent_body {
        left = left.add_paragraph(line(ids, style::HEADER, parent));
    }
    let name_w = text_width(&h.issuing_body, Face::Bold, size::ISSUING_BODY).min(lw);
    left = left
        .add_paragraph(line(ids, style::ISSUING_BODY, &h.issuing_body))
        .add_paragraph(rule(ids, lw, name_w * 0.4));
    let motto_w = text_width(MOTTO, Face::Bold, size::MOTTO);
    let right = cell(rw)
        .add_paragraph(line(ids, style::NATIONAL_TITLE, NATIONAL_TITLE))
        .add_paragraph(line(ids, style::MOTTO, MOTTO))
        .add_paragraph(rule(ids, rw, motto_w));
    let number = match &h.number {
        Some(n) => line(ids, style::NUMBER, n),
        None => blank(ids),
    };
    let date = match &h.place_date {
        Some(d) => line(ids, style::PLACE_DATE, d),
        None => blank(ids),
    };
    DocxTable::without_borders(vec![
        TableRow::new(vec![left, right]),
        TableRow::new(vec![
            cell(lw).add_paragraph(number),
            cell(rw).add_paragraph(date),
        ]),
    ])
    .set_grid(vec![tw(lw) as usize, tw(rw) as usize])
    .width(tw(WIDTH) as usize, WidthType::Dxa)
}

/// The type, the subject with its rule, and "Kính gửi".
fn title(ids: &mut Ids, doc: &Document) -> Vec<Paragraph> {
    let mut out = vec![blank(ids), line(ids, style::TYPE, &doc.type_line)];
    for l in &doc.subject {
        out.push(line(ids, style::SUBJECT, l));
    }
    if let Some(length) = subject_rule(&doc.subject).ok().flatten() {
        out.push(rule(ids, WIDTH, length));
    }
    out.push(blank(ids));
    if let Some(to) = &doc.addressee {
        out.push(line(ids, style::ADDRESSEE, to));
    }
    out
}

/// Runs of spans in a paragraph.
fn runs(mut p: Paragraph, spans: &[Span]) -> Paragraph {
    for s in spans {
        let mut run = Run::new().add_text(&s.text);
        if s.bold {
            run = run.bold();
        }
        if s.italic {
            run = run.italic();
        }
        p = p.add_run(run);
    }
    p
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// A body table with borders: a bold centred header row, then the rows.
fn body_table(ids: &mut Ids, t: &Table) -> DocxTable {
    let widths = column_widths(t);
    let head = t
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| {
            cell(*w).add_paragraph(
                // The header row keeps with the first row (never alone at a page's foot).
                line(ids, style::TABLE_HEAD, &c.title).keep_next(true),
            )
        })
        .collect();
    let mut rows = vec![TableRow::new(head).cant_split()];
    for row in &t.rows {
        let cells = row
            .iter()
            .zip(t.columns.iter().zip(&widths))
            .map(|(text, (c, w))| {
                // The column's alignment is the paragraph's own (the style sets it left).
                let p = line(ids, style::TABLE, text);
                cell(*w).add_paragraph(match c.align {
                    Align::Left => p,
                    a => p.align(alignment(a)),
                })
            })
            .collect();
        rows.push(TableRow::new(cells).cant_split());
    }
    let (x, y) = (tw(PAD_X) as usize, tw(PAD_Y) as usize);
    DocxTable::new(rows)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(tw(WIDTH) as usize, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(y, x, y, x))
}

/// One signature block's paragraphs: authority and title, the signing space, the name.
fn block(ids: &mut Ids, b: &SignatureBlock) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(a) = &b.authority {
        out.push(line(ids, style::SIGNATURE, a));
    }
    for l in b.title.split('\n') {
        out.push(line(ids, style::SIGNATURE, l));
    }
    for _ in 0..4 {
        out.push(blank(ids));
    }
    out.push(line(ids, style::SIGNATURE_NAME, &b.name));
    out
}

/// "Nơi nhận:" and its list.
fn recipients(ids: &mut Ids, list: &[String]) -> Vec<Paragraph> {
    let mut out = vec![line(ids, style::RECIPIENTS_HEAD, RECIPIENTS)];
    for r in list {
        out.push(line(ids, style::RECIPIENTS, r));
    }
    out
}

/// The paragraphs kept with what follows them: the end of a document (the last row of
/// signature blocks, "Nơi nhận" and the verification line) stays on one page.
fn kept(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    paragraphs.into_iter().map(|p| p.keep_next(true)).collect()
}

fn with(mut c: TableCell, paragraphs: Vec<Paragraph>) -> TableCell {
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// A row of a borderless table that is never split across pages.
fn row(cells: Vec<TableCell>) -> TableRow {
    TableRow::new(cells).cant_split()
}

/// The end of the document as a borderless two-column table: the signature blocks ("Nơi nhận"
/// on the left of a single block, under the others), then the verification line across both
/// columns. Being rows of one table, the last rows keep together in Word and LibreOffice alike.
fn signature_table(ids: &mut Ids, doc: &Document, verification: &str) -> DocxTable {
    let half = WIDTH / 2.0;
    let list = &doc.recipients;
    let mut widths = [half, half];
    let mut rows = match &doc.signatures {
        Signatures::Single(b) => {
            widths = [WIDTH * (1.0 - SINGLE_BLOCK), WIDTH * SINGLE_BLOCK];
            vec![row(vec![
                with(cell(widths[0]), kept(recipients(ids, list))),
                with(cell(widths[1]), kept(block(ids, b))),
            ])]
        }
        Signatures::Pair(l, r) => vec![row(vec![
            with(cell(half), kept(block(ids, l))),
            with(cell(half), kept(block(ids, r))),
        ])],
        Signatures::Grid(blocks) => {
            let last = blocks.len().div_ceil(2);
            let mut set = |i: usize, b| match i + 1 == last {
                true => kept(block(ids, b)),
                false => block(ids, b),
            };
            let mut rows = Vec::new();
            for (i, pair) in blocks.chunks(2).enumerate() {
                rows.push(row(match pair {
                    [only] => vec![with(cell(WIDTH), set(i, only)).grid_span(2)],
                    _ => pair.iter().map(|b| with(cell(half), set(i, b))).collect(),
                }));
            }
            rows
        }
    };
    if !matches!(doc.signatures, Signatures::Single(_)) && !list.is_empty() {
        let under = with(cell(half), kept(recipients(ids, list)));
        rows.push(row(vec![under, cell(half).add_paragraph(blank(ids))]));
    }
    let tail = vec![blank(ids), line(ids, style::VERIFICATION, verification)];
    rows.push(row(vec![with(cell(WIDTH), tail).grid_span(2)]));
    borderless(rows, &widths)
}

/// A borderless table of the text's width with columns of `widths` points, its cells without
/// side margins (the PDF sets the blocks in the full columns).
fn borderless(rows: Vec<TableRow>, widths: &[f32]) -> DocxTable {
    DocxTable::without_borders(rows)
        .set_grid(widths.iter().map(|w| tw(*w) as usize).collect())
        .width(tw(WIDTH) as usize, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
}
