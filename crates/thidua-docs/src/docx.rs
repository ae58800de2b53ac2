//! The DOCX of a document, written with docx-rs from the same model as the PDF: real
//! paragraphs with named styles, tables for the header, the body's tables and the signature
//! blocks, a page-number field in the header from page 2 (a different first page), so a
//! secretary can still correct a comma in Word or LibreOffice before printing. Paragraph
//! identifiers are numbered here and the package carries no clock, so the same document gives
//! the same bytes.

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

/// The styles the body uses, by name, so edits in Word keep the look.
const BODY_STYLE: &str = "ThiDuaBody";
const HEADING_STYLE: &str = "ThiDuaHeading";
const TABLE_STYLE: &str = "ThiDuaTable";

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
        .default_size(hp(size::BODY))
        .add_style(
            Style::new(BODY_STYLE, StyleType::Paragraph)
                .name("Thân văn bản")
                .align(AlignmentType::Both)
                .indent(
                    Some(0),
                    Some(SpecialIndentType::FirstLine(tw(10.0 * MM))),
                    None,
                    None,
                )
                .line_spacing(LineSpacing::new().after(120)),
        )
        .add_style(
            Style::new(HEADING_STYLE, StyleType::Paragraph)
                .name("Đề mục")
                .based_on(BODY_STYLE)
                .bold(),
        )
        .add_style(
            Style::new(TABLE_STYLE, StyleType::Paragraph)
                .name("Chữ trong bảng")
                .size(hp(size::TABLE)),
        )
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
                    .style(HEADING_STYLE)
                    .keep_next(true)
                    .keep_lines(true)
                    .add_run(Run::new().add_text(text).bold()),
            ),
            Block::Paragraph(spans) => docx.add_paragraph(runs(
                ids.p().style(BODY_STYLE).keep_next(last).keep_lines(last),
                spans,
            )),
            Block::Table(t) => docx
                .add_table(body_table(&mut ids, t))
                .add_paragraph(ids.p()),
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

/// A preview's marking, at the right of the top margin.
fn marking_paragraph(ids: &mut Ids, marking: &str) -> Paragraph {
    let run = Run::new()
        .add_text(marking)
        .bold()
        .italic()
        .size(hp(size::MARKING));
    ids.p().align(AlignmentType::Right).add_run(run)
}

/// The header of page 1: empty, or a preview's marking.
fn first_page_header(ids: &mut Ids, marking: Option<&str>) -> DocxHeader {
    DocxHeader::new().add_paragraph(match marking {
        Some(m) => marking_paragraph(ids, m),
        None => ids.p(),
    })
}

/// The header of pages 2 and after: a preview's marking, then the page number, centred.
fn page_number_header(ids: &mut Ids, marking: Option<&str>) -> DocxHeader {
    let mut header = DocxHeader::new();
    if let Some(m) = marking {
        header = header.add_paragraph(marking_paragraph(ids, m));
    }
    let run = Run::new()
        .size(hp(size::PAGE_NUMBER))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("2")
        .add_field_char(FieldCharType::End, false);
    header.add_paragraph(ids.p().align(AlignmentType::Center).add_run(run))
}

/// A centred paragraph of one run.
fn centred(ids: &mut Ids, text: &str, pt: f32, bold: bool, italic: bool) -> Paragraph {
    let mut run = Run::new().add_text(text).size(hp(pt));
    if bold {
        run = run.bold();
    }
    if italic {
        run = run.italic();
    }
    ids.p().align(AlignmentType::Center).add_run(run)
}

/// A short centred rule: an empty paragraph with a bottom border, indented to `length` within
/// a column of `column` points.
fn rule(ids: &mut Ids, column: f32, length: f32) -> Paragraph {
    let side = tw(((column - length) / 2.0).max(0.0));
    let mut p = ids
        .p()
        .align(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .line(20)
                .line_rule(docx_rs::LineSpacingType::Exact),
        )
        .add_run(Run::new().size(2));
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .size(4)
                .space(1),
        ),
    );
    p
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
        left = left.add_paragraph(centred(ids, parent, size::PARENT_BODY, false, false));
    }
    let name_w = text_width(&h.issuing_body, Face::Bold, size::ISSUING_BODY).min(lw);
    left = left
        .add_paragraph(centred(
            ids,
            &h.issuing_body,
            size::ISSUING_BODY,
            true,
            false,
        ))
        .add_paragraph(rule(ids, lw, name_w * 0.4));
    let motto_w = text_width(MOTTO, Face::Bold, size::MOTTO);
    let right = cell(rw)
        .add_paragraph(centred(
            ids,
            NATIONAL_TITLE,
            size::NATIONAL_TITLE,
            true,
            false,
        ))
        .add_paragraph(centred(ids, MOTTO, size::MOTTO, true, false))
        .add_paragraph(rule(ids, rw, motto_w));
    let number = match &h.number {
        Some(n) => centred(ids, n, size::NUMBER, false, false),
        None => ids.p(),
    };
    let date = match &h.place_date {
        Some(d) => centred(ids, d, size::PLACE_DATE, false, true),
        None => ids.p(),
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
    let mut out = vec![
        ids.p(),
        centred(ids, &doc.type_line, size::TYPE, true, false),
    ];
    for line in &doc.subject {
        out.push(centred(ids, line, size::TYPE, true, false));
    }
    if let Some(length) = subject_rule(&doc.subject).ok().flatten() {
        out.push(rule(ids, WIDTH, length));
    }
    out.push(ids.p());
    if let Some(to) = &doc.addressee {
        out.push(centred(ids, to, size::BODY, false, false));
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
                ids.p()
                    .style(TABLE_STYLE)
                    .align(AlignmentType::Center)
                    .keep_next(true)
                    .add_run(Run::new().add_text(&c.title).bold()),
            )
        })
        .collect();
    let mut rows = vec![TableRow::new(head).cant_split()];
    for row in &t.rows {
        let cells = row
            .iter()
            .zip(t.columns.iter().zip(&widths))
            .map(|(text, (c, w))| {
                cell(*w).add_paragraph(
                    ids.p()
                        .style(TABLE_STYLE)
                        .align(alignment(c.align))
                        .add_run(Run::new().add_text(text)),
                )
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

/// One signature block's paragraphs, centred.
fn block(ids: &mut Ids, b: &SignatureBlock) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(a) = &b.authority {
        out.push(centred(ids, a, size::SIGNATURE, true, false));
    }
    for line in b.title.split('\n') {
        out.push(centred(ids, line, size::SIGNATURE, true, false));
    }
    for _ in 0..4 {
        out.push(ids.p());
    }
    // Space after the name, as the PDF leaves between rows of blocks: a name never runs into
    // the next row's unit.
    let name = centred(ids, &b.name, size::SIGNATURE, true, false)
        .line_spacing(LineSpacing::new().after(tw(SIGNATURE_GAP) as u32));
    out.push(name);
    out
}

/// "Nơi nhận:" and its list.
fn recipients(ids: &mut Ids, list: &[String]) -> Vec<Paragraph> {
    let mut out = vec![ids.p().add_run(
        Run::new()
            .add_text(RECIPIENTS)
            .bold()
            .italic()
            .size(hp(size::RECIPIENTS_LABEL)),
    )];
    for r in list {
        out.push(
            ids.p()
                .add_run(Run::new().add_text(r).size(hp(size::RECIPIENTS))),
        );
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
        rows.push(row(vec![under, cell(half).add_paragraph(ids.p())]));
    }
    let line = Run::new()
        .add_text(verification)
        .size(hp(size::VERIFICATION));
    let tail = vec![ids.p(), ids.p().add_run(line)];
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
