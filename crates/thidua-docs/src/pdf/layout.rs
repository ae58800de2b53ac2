//! Lays a [`Document`] out on A4 pages as Decree 30/2020 asks: the header table, the type and
//! subject, the justified body and its tables, the signature blocks with "Nơi nhận", page
//! numbers from page 2 centred in the top margin. The result is a display list (text runs at
//! their baselines, rules), so the PDF writer only draws and tests can read positions.

use crate::decree::{MOTTO, NATIONAL_TITLE, RECIPIENTS};
use crate::fonts::{face, Face, MissingGlyph};
use crate::model::{
    Align, Block, Document, Header, SignatureBlock, Signatures, Span, Table, Verification,
};

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;
/// A4 portrait.
pub const PAGE_W: f32 = 210.0 * MM;
pub const PAGE_H: f32 = 297.0 * MM;
/// Margins within the decree's ranges: top and bottom 20 mm, left 30 mm, right 15 mm.
pub const TOP: f32 = 20.0 * MM;
pub const BOTTOM: f32 = 20.0 * MM;
pub const LEFT: f32 = 30.0 * MM;
pub const RIGHT: f32 = 15.0 * MM;
/// The width of the text.
pub const WIDTH: f32 = PAGE_W - LEFT - RIGHT;

/// Type sizes, in points (Decree 30/2020, appendix I).
pub mod size {
    pub const BODY: f32 = 14.0;
    pub const PARENT_BODY: f32 = 12.0;
    pub const ISSUING_BODY: f32 = 12.0;
    pub const NATIONAL_TITLE: f32 = 12.0;
    pub const MOTTO: f32 = 13.0;
    pub const NUMBER: f32 = 13.0;
    pub const PLACE_DATE: f32 = 14.0;
    pub const TYPE: f32 = 14.0;
    pub const TABLE: f32 = 13.0;
    pub const SIGNATURE: f32 = 14.0;
    pub const RECIPIENTS_LABEL: f32 = 12.0;
    pub const RECIPIENTS: f32 = 11.0;
    pub const PAGE_NUMBER: f32 = 13.0;
    pub const VERIFICATION: f32 = 9.0;
    pub const MARKING: f32 = 10.0;
}

/// The share of the text width taken by the header's left column (issuing body, number).
pub const HEADER_LEFT: f32 = 0.37;
/// The first-line indent of body paragraphs (1 cm) and the space after them.
const INDENT: f32 = 10.0 * MM;
const PARA_AFTER: f32 = 6.0;
/// Space left for signature and seal between the title and the name.
const SIGN_SPACE: f32 = 24.0 * MM;
/// Beside "Nơi nhận", a single signature block takes this share of the text width (its title,
/// "GIÁM ĐỐC CÔNG AN TỈNH KIÊN GIANG", on one line), the recipients the rest.
pub const SINGLE_BLOCK: f32 = 0.59;
/// Space above the verification line.
const VERIFICATION_BEFORE: f32 = 12.0;
/// Space under a row of signature blocks (before the next row or "Nơi nhận").
pub const SIGNATURE_GAP: f32 = 14.0;
/// Rules are half a point wide.
pub const RULE: f32 = 0.5;
/// Horizontal and vertical padding inside table cells (the DOCX's cell margins too).
pub const PAD_X: f32 = 5.4;
pub const PAD_Y: f32 = 2.0;

/// Something drawn on a page. Coordinates are points from the page's top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A run of text in one face, its left end at `x` on the baseline `y`; `extra` widens each
    /// space (justification).
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
        extra: f32,
    },
    /// A straight rule.
    Rule { x1: f32, y1: f32, x2: f32, y2: f32 },
}

/// The pages of a laid-out document.
pub type Pages = Vec<Vec<Item>>;

/// A piece of text in one face; `space_before` marks a break opportunity.
#[derive(Clone, Debug)]
struct Piece {
    face: Face,
    text: String,
    width: f32,
    space_before: bool,
}

/// The flow: pages so far and the top of the next line on the current page.
struct Flow {
    pages: Pages,
    y: f32,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn push(&mut self, item: Item) {
        self.pages.last_mut().expect("a page").push(item);
    }

    /// Starts a new page when `height` does not fit on this one.
    fn ensure(&mut self, height: f32) -> Result<(), MissingGlyph> {
        if self.y + height > PAGE_H - BOTTOM && self.y > TOP {
            self.new_page()?;
        }
        Ok(())
    }

    /// A new page, numbered in its top margin (pages are numbered from 2).
    fn new_page(&mut self) -> Result<(), MissingGlyph> {
        self.pages.push(Vec::new());
        self.y = TOP;
        let n = self.pages.len().to_string();
        let f = face(Face::Regular);
        let w = f.width(&n, size::PAGE_NUMBER)?;
        self.push(Item::Text {
            x: LEFT + (WIDTH - w) / 2.0,
            y: TOP / 2.0 + f.ascent * size::PAGE_NUMBER / 2.0,
            face: Face::Regular,
            size: size::PAGE_NUMBER,
            text: n,
            extra: 0.0,
        });
        Ok(())
    }
}

/// Lays the document out, followed by the verification line; a preview's marking at the top
/// of every page.
pub fn layout(doc: &Document, verification: &Verification) -> Result<Pages, MissingGlyph> {
    let mut pages = lay_out(doc, &verification.line())?;
    if let Some(marking) = verification.marking() {
        mark(&mut pages, marking)?;
    }
    Ok(pages)
}

/// `marking` at the right of the top margin of every page, above the page number's line.
fn mark(pages: &mut Pages, marking: &str) -> Result<(), MissingGlyph> {
    let f = face(Face::BoldItalic);
    let w = f.width(marking, size::MARKING)?;
    for page in pages {
        page.push(Item::Text {
            x: PAGE_W - RIGHT - w,
            y: TOP / 3.0,
            face: Face::BoldItalic,
            size: size::MARKING,
            text: marking.to_owned(),
            extra: 0.0,
        });
    }
    Ok(())
}

fn lay_out(doc: &Document, verification: &str) -> Result<Pages, MissingGlyph> {
    let mut flow = Flow::new();
    header(&mut flow, &doc.header)?;
    title(&mut flow, doc)?;
    let verification = lines(&[Span::plain(verification)], size::VERIFICATION, WIDTH)?;
    let trailing = VERIFICATION_BEFORE
        + verification.len() as f32 * face(Face::Regular).line_height(size::VERIFICATION);
    let signatures_lead = PARA_AFTER + signatures_lead(&doc.signatures, &doc.recipients, trailing)?;
    for (i, block) in doc.body.iter().enumerate() {
        // A heading keeps with the start of what follows it; the last block with the
        // signature blocks.
        let keep = match (block, doc.body.get(i + 1)) {
            (Block::Heading(_), Some(next)) => lead_height(next)?,
            (_, None) => signatures_lead,
            _ => 0.0,
        };
        match block {
            Block::Heading(text) => {
                let spans = [Span::bold(text.clone())];
                paragraph(&mut flow, &spans, Keep::all(keep))?;
            }
            Block::Paragraph(spans) => paragraph(&mut flow, spans, Keep::tail(keep))?,
            Block::Table(t) => table(&mut flow, t, keep)?,
        }
    }
    flow.y += PARA_AFTER;
    signatures(&mut flow, &doc.signatures, &doc.recipients, trailing)?;
    flow.y += VERIFICATION_BEFORE;
    flow.ensure(trailing - VERIFICATION_BEFORE)?;
    for line in &verification {
        line_at(
            &mut flow,
            line,
            size::VERIFICATION,
            LEFT,
            WIDTH,
            Align::Left,
            false,
        );
    }
    Ok(flow.pages)
}

/// Splits spans into pieces at spaces (a line break in user text is one), measuring each.
fn pieces(spans: &[Span], size: f32) -> Result<Vec<Piece>, MissingGlyph> {
    let mut out = Vec::new();
    let mut pending_space = false;
    for span in spans {
        let f = Face::of(span.bold, span.italic);
        for (i, word) in span.text.split([' ', '\n']).enumerate() {
            if i > 0 {
                pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            out.push(Piece {
                face: f,
                text: word.to_owned(),
                width: face(f).width(word, size)?,
                space_before: pending_space && !out.is_empty(),
            });
            pending_space = false;
        }
    }
    Ok(out)
}

/// Greedy line breaking of `spans` within `width` (the first line `first_indent` narrower).
fn lines_indented(
    spans: &[Span],
    size: f32,
    width: f32,
    first_indent: f32,
) -> Result<Vec<Vec<Piece>>, MissingGlyph> {
    let pieces = pieces(spans, size)?;
    let mut lines: Vec<Vec<Piece>> = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut used = 0.0;
    let mut i = 0;
    while i < pieces.len() {
        // A word is a piece and the pieces glued to it (no space between them).
        let mut j = i + 1;
        while j < pieces.len() && !pieces[j].space_before {
            j += 1;
        }
        let word_w: f32 = pieces[i..j].iter().map(|p| p.width).sum();
        let space = if current.is_empty() {
            0.0
        } else {
            space_width(pieces[i].face, size)?
        };
        let avail = width - if lines.is_empty() { first_indent } else { 0.0 };
        if !current.is_empty() && used + space + word_w > avail + 0.01 {
            lines.push(std::mem::take(&mut current));
            used = 0.0;
            continue;
        }
        used += space + word_w;
        current.extend(pieces[i..j].iter().cloned());
        i = j;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    Ok(lines)
}

fn lines(spans: &[Span], size: f32, width: f32) -> Result<Vec<Vec<Piece>>, MissingGlyph> {
    lines_indented(spans, size, width, 0.0)
}

fn space_width(f: Face, size: f32) -> Result<f32, MissingGlyph> {
    face(f).width(" ", size)
}

/// The natural width of a line and its number of spaces.
fn measure(line: &[Piece], size: f32) -> (f32, usize) {
    let mut w = 0.0;
    let mut spaces = 0;
    for (k, p) in line.iter().enumerate() {
        if k > 0 && p.space_before {
            w += space_width(p.face, size).unwrap_or(0.0);
            spaces += 1;
        }
        w += p.width;
    }
    (w, spaces)
}

/// Draws one line in the box `[x, x + width]` at the flow's current line, then moves down.
fn line_at(
    flow: &mut Flow,
    line: &[Piece],
    size: f32,
    x: f32,
    width: f32,
    align: Align,
    justify: bool,
) {
    let f = face(Face::Regular);
    let baseline = flow.y + (f.line_gap / 2.0 + f.ascent) * size;
    draw_line(flow, line, size, x, width, align, justify, baseline);
    flow.y += f.line_height(size);
}

/// Draws the runs of one line on `baseline`.
#[allow(clippy::too_many_arguments)]
fn draw_line(
    flow: &mut Flow,
    line: &[Piece],
    size: f32,
    x: f32,
    width: f32,
    align: Align,
    justify: bool,
    baseline: f32,
) {
    let (natural, spaces) = measure(line, size);
    // A line that would need spaces wider than three spaces (a long code after it) is left
    // ragged rather than torn apart.
    let max_extra = 2.0 * space_width(Face::Regular, size).unwrap_or(0.0);
    let extra = match justify && spaces > 0 {
        true => Some((width - natural) / spaces as f32)
            .filter(|e| *e <= max_extra)
            .unwrap_or(0.0)
            .max(0.0),
        false => 0.0,
    };
    let mut cx = match align {
        Align::Left => x,
        Align::Center => x + (width - natural) / 2.0,
        Align::Right => x + width - natural,
    };
    let mut k = 0;
    while k < line.len() {
        // One run: consecutive pieces of the same face, with the spaces between them.
        let run_face = line[k].face;
        let start = cx;
        let mut text = String::new();
        while k < line.len() && line[k].face == run_face {
            if k > 0 && line[k].space_before {
                text.push(' ');
                cx += space_width(run_face, size).unwrap_or(0.0) + extra;
            }
            text.push_str(&line[k].text);
            cx += line[k].width;
            k += 1;
        }
        flow.push(Item::Text {
            x: start,
            y: baseline,
            face: run_face,
            size,
            text,
            extra,
        });
    }
}

/// What a block keeps on its page: its last `lines` lines (all of a heading's, two of a
/// paragraph's) together with `after` points of what follows it.
#[derive(Clone, Copy)]
struct Keep {
    lines: usize,
    after: f32,
}

impl Keep {
    /// A heading: every line, with the start of the next block.
    fn all(after: f32) -> Keep {
        Keep {
            lines: usize::MAX,
            after,
        }
    }

    /// A body paragraph: its last two lines with `after` (nothing kept when `after` is 0).
    fn tail(after: f32) -> Keep {
        Keep {
            lines: if after > 0.0 { 2 } else { 0 },
            after,
        }
    }
}

/// The lines of a body paragraph (first line indented).
fn body_lines(spans: &[Span]) -> Result<Vec<Vec<Piece>>, MissingGlyph> {
    lines_indented(spans, size::BODY, WIDTH, INDENT)
}

/// A body paragraph: its lines within the text width, justified except the last; its last
/// lines move to the next page with what `keep` holds to them when they do not fit together.
/// Neither its first line nor its last stands alone on a page (orphans and widows): a
/// paragraph that would leave one line before what it keeps moves whole.
fn paragraph(flow: &mut Flow, spans: &[Span], keep: Keep) -> Result<(), MissingGlyph> {
    let lines = body_lines(spans)?;
    let n = lines.len();
    let lh = face(Face::Regular).line_height(size::BODY);
    let held = match keep.lines.min(n) {
        held if held > 0 && n - held == 1 => n,
        held => held,
    };
    for (i, line) in lines.iter().enumerate() {
        if held > 0 && i + held == n {
            flow.ensure(held as f32 * lh + PARA_AFTER + keep.after)?;
        } else if i == 0 && n >= 2 {
            // Two lines at the foot of a page, and three lines cannot part without one alone.
            let together = if n == 3 { 3.0 } else { 2.0 };
            flow.ensure(together * lh)?;
        } else if i + 2 == n && n >= 4 {
            flow.ensure(2.0 * lh)?;
        } else {
            flow.ensure(lh)?;
        }
        let (x, w) = if i == 0 {
            (LEFT + INDENT, WIDTH - INDENT)
        } else {
            (LEFT, WIDTH)
        };
        line_at(flow, line, size::BODY, x, w, Align::Left, i + 1 < n);
    }
    flow.y += PARA_AFTER;
    Ok(())
}

/// The height a block must have on the page a heading before it ends: two lines of a
/// paragraph, a heading's lines, a table's header row and first row.
fn lead_height(block: &Block) -> Result<f32, MissingGlyph> {
    let lh = face(Face::Regular).line_height(size::BODY);
    Ok(match block {
        Block::Heading(text) => body_lines(&[Span::bold(text.clone())])?.len() as f32 * lh,
        Block::Paragraph(spans) => body_lines(spans)?.len().min(2) as f32 * lh,
        Block::Table(t) => {
            let widths = column_widths(t);
            let mut h = row_height(&head_cells(t, &widths)?);
            if let Some(row) = t.rows.first() {
                h += row_height(&row_cells(row, &widths)?);
            }
            h
        }
    })
}

/// Centred lines of one face in the column `[x, x + width]` from the flow's line; returns the
/// widest line's width.
fn centred(
    flow: &mut Flow,
    text: &str,
    f: Face,
    size: f32,
    x: f32,
    width: f32,
) -> Result<f32, MissingGlyph> {
    let spans = [Span {
        text: text.to_owned(),
        bold: matches!(f, Face::Bold | Face::BoldItalic),
        italic: matches!(f, Face::Italic | Face::BoldItalic),
    }];
    let mut widest: f32 = 0.0;
    for line in lines(&spans, size, width)? {
        widest = widest.max(measure(&line, size).0);
        line_at(flow, &line, size, x, width, Align::Center, false);
    }
    Ok(widest)
}

/// How far a rule stands under the line it underlines: clear of the marks under Vietnamese
/// letters ("ạ", "ộ").
const RULE_BELOW: f32 = 3.5;

/// A centred rule of `length` under the current line.
fn rule_under(flow: &mut Flow, centre: f32, length: f32) {
    let y = flow.y + RULE_BELOW;
    flow.push(Item::Rule {
        x1: centre - length / 2.0,
        y1: y,
        x2: centre + length / 2.0,
        y2: y,
    });
}

/// The header table: issuing body left, national title and motto right, then the number and
/// the place and date on one line.
fn header(flow: &mut Flow, h: &Header) -> Result<(), MissingGlyph> {
    let lw = WIDTH * HEADER_LEFT;
    let rx = LEFT + lw;
    let rw = WIDTH - lw;
    let top = flow.y;
    if let Some(parent) = &h.parent_body {
        centred(flow, parent, Face::Regular, size::PARENT_BODY, LEFT, lw)?;
    }
    let name_w = centred(
        flow,
        &h.issuing_body,
        Face::Bold,
        size::ISSUING_BODY,
        LEFT,
        lw,
    )?;
    rule_under(flow, LEFT + lw / 2.0, name_w * 0.4);
    let left_bottom = flow.y;
    flow.y = top;
    centred(
        flow,
        NATIONAL_TITLE,
        Face::Bold,
        size::NATIONAL_TITLE,
        rx,
        rw,
    )?;
    let motto_w = centred(flow, MOTTO, Face::Bold, size::MOTTO, rx, rw)?;
    rule_under(flow, rx + rw / 2.0, motto_w);
    let row2 = left_bottom.max(flow.y) + 8.0;
    let f = face(Face::Regular);
    let size2 = size::NUMBER.max(size::PLACE_DATE);
    let baseline = row2 + (f.line_gap / 2.0 + f.ascent) * size2;
    let mut bottom = row2 + f.line_height(size2);
    if let Some(number) = &h.number {
        let number = Span::plain(number.clone());
        let column = (LEFT, lw);
        bottom = bottom.max(header_lines(flow, &number, size::NUMBER, column, baseline)?);
    }
    if let Some(place_date) = &h.place_date {
        let spans = Span {
            text: place_date.clone(),
            bold: false,
            italic: true,
        };
        let column = (rx, rw);
        bottom = bottom.max(header_lines(
            flow,
            &spans,
            size::PLACE_DATE,
            column,
            baseline,
        )?);
    }
    flow.y = bottom + 18.0;
    Ok(())
}

/// The number or the place and date in its header column `(x, width)`: as many centred lines
/// as the text needs, the first on `baseline` (shared by both columns); returns the bottom of
/// the last line.
fn header_lines(
    flow: &mut Flow,
    span: &Span,
    size: f32,
    (x, width): (f32, f32),
    baseline: f32,
) -> Result<f32, MissingGlyph> {
    let f = face(Face::Regular);
    let mut y = baseline;
    for (i, line) in lines(std::slice::from_ref(span), size, width)?
        .iter()
        .enumerate()
    {
        if i > 0 {
            y += f.line_height(size);
        }
        draw_line(flow, line, size, x, width, Align::Center, false, y);
    }
    Ok(y + (f.descent + f.line_gap / 2.0) * size)
}

/// The type in capitals and the subject, centred, with a short rule under the subject.
fn title(flow: &mut Flow, doc: &Document) -> Result<(), MissingGlyph> {
    centred(flow, &doc.type_line, Face::Bold, size::TYPE, LEFT, WIDTH)?;
    for line in &doc.subject {
        centred(flow, line, Face::Bold, size::TYPE, LEFT, WIDTH)?;
    }
    if let Some(length) = subject_rule(&doc.subject)? {
        rule_under(flow, LEFT + WIDTH / 2.0, length);
    }
    flow.y += 12.0;
    if let Some(to) = &doc.addressee {
        centred(flow, to, Face::Regular, size::BODY, LEFT, WIDTH)?;
        flow.y += 6.0;
    }
    Ok(())
}

/// The length of the short rule under the subject (none without a subject): two fifths of its
/// widest line as set, at least 30 mm, never longer than that line.
pub fn subject_rule(subject: &[String]) -> Result<Option<f32>, MissingGlyph> {
    let mut widest: f32 = 0.0;
    for line in subject {
        for set in lines(&[Span::bold(line.clone())], size::TYPE, WIDTH)? {
            widest = widest.max(measure(&set, size::TYPE).0);
        }
    }
    Ok((!subject.is_empty()).then(|| (widest * 0.4).max(30.0 * MM).min(widest)))
}

/// A cell's lines within its column.
fn cell_lines(text: &str, bold: bool, width: f32) -> Result<Vec<Vec<Piece>>, MissingGlyph> {
    let spans = [Span {
        text: text.to_owned(),
        bold,
        italic: false,
    }];
    lines(&spans, size::TABLE, width - 2.0 * PAD_X)
}

/// One row of a table at the flow's position, with its borders.
fn table_row(flow: &mut Flow, cells: &[Vec<Vec<Piece>>], widths: &[f32], aligns: &[Align]) {
    let lh = face(Face::Regular).line_height(size::TABLE);
    let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let height = n as f32 * lh + 2.0 * PAD_Y;
    let top = flow.y;
    let mut x = LEFT;
    for (k, lines) in cells.iter().enumerate() {
        flow.y = top + PAD_Y;
        for line in lines {
            line_at(
                flow,
                line,
                size::TABLE,
                x + PAD_X,
                widths[k] - 2.0 * PAD_X,
                aligns[k],
                false,
            );
        }
        x += widths[k];
    }
    let bottom = top + height;
    let right = LEFT + widths.iter().sum::<f32>();
    flow.push(Item::Rule {
        x1: LEFT,
        y1: top,
        x2: right,
        y2: top,
    });
    flow.push(Item::Rule {
        x1: LEFT,
        y1: bottom,
        x2: right,
        y2: bottom,
    });
    let mut x = LEFT;
    for w in std::iter::once(&0.0).chain(widths.iter()) {
        x += w;
        flow.push(Item::Rule {
            x1: x,
            y1: top,
            x2: x,
            y2: bottom,
        });
    }
    flow.y = bottom;
}

/// The widths of a table's columns, in points (the PDF's and the DOCX's): each its share of
/// the text width, but never narrower than the longest word of its title with the cell's
/// padding ("STT" is not broken into "ST" and "T"), the difference taken from the widest column.
pub fn column_widths(t: &Table) -> Vec<f32> {
    let mut widths: Vec<f32> = t
        .columns
        .iter()
        .map(|c| WIDTH * f32::from(c.width_pct) / 100.0)
        .collect();
    for (k, c) in t.columns.iter().enumerate() {
        let needed = c
            .title
            .split_whitespace()
            .map(|w| face(Face::Bold).width(w, size::TABLE).unwrap_or(0.0))
            .fold(0.0, f32::max)
            + 2.0 * PAD_X
            + 1.0;
        let missing = needed - widths[k];
        let widest = (0..widths.len())
            .filter(|&j| j != k)
            .max_by(|&a, &b| widths[a].total_cmp(&widths[b]));
        if let (true, Some(j)) = (missing > 0.0, widest) {
            widths[k] += missing;
            widths[j] -= missing;
        }
    }
    widths
}

type Cells = Vec<Vec<Vec<Piece>>>;

/// The header row's cells: the titles, bold.
fn head_cells(t: &Table, widths: &[f32]) -> Result<Cells, MissingGlyph> {
    t.columns
        .iter()
        .zip(widths)
        .map(|(c, w)| cell_lines(&c.title, true, *w))
        .collect()
}

/// A row's cells.
fn row_cells(row: &[String], widths: &[f32]) -> Result<Cells, MissingGlyph> {
    row.iter()
        .zip(widths)
        .map(|(text, w)| cell_lines(text, false, *w))
        .collect()
}

/// The height of a row: its tallest cell and the padding.
fn row_height(cells: &Cells) -> f32 {
    let lh = face(Face::Regular).line_height(size::TABLE);
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD_Y
}

/// A table: the header row (bold, centred, repeated on every page) and the rows; the last row
/// keeps `keep_after` points of what follows it on its page.
fn table(flow: &mut Flow, t: &Table, keep_after: f32) -> Result<(), MissingGlyph> {
    let widths = column_widths(t);
    let head = head_cells(t, &widths)?;
    let centre = vec![Align::Center; widths.len()];
    let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
    let lh = face(Face::Regular).line_height(size::TABLE);
    flow.ensure(row_height(&head) + lh * 2.0)?;
    table_row(flow, &head, &widths, &centre);
    for (i, row) in t.rows.iter().enumerate() {
        let cells = row_cells(row, &widths)?;
        let mut needed = row_height(&cells);
        if i + 1 == t.rows.len() && keep_after > 0.0 {
            needed += PARA_AFTER * 2.0 + keep_after;
        }
        if flow.y + needed > PAGE_H - BOTTOM {
            flow.new_page()?;
            table_row(flow, &head, &widths, &centre);
        }
        table_row(flow, &cells, &widths, &aligns);
    }
    flow.y += PARA_AFTER * 2.0;
    Ok(())
}

/// The height of one signature block set within `width`.
fn block_height(b: &SignatureBlock, width: f32) -> Result<f32, MissingGlyph> {
    let lh = face(Face::Regular).line_height(size::SIGNATURE);
    let mut n = 0;
    for line in b
        .authority
        .iter()
        .map(String::as_str)
        .chain(b.title.split('\n'))
    {
        n += lines(&[Span::bold(line)], size::SIGNATURE, width)?.len();
    }
    Ok(n as f32 * lh + SIGN_SPACE + lh)
}

/// One signature block in the column `[x, x + width]` from the flow's line; returns its bottom.
fn block(flow: &mut Flow, b: &SignatureBlock, x: f32, width: f32) -> Result<f32, MissingGlyph> {
    if let Some(a) = &b.authority {
        centred(flow, a, Face::Bold, size::SIGNATURE, x, width)?;
    }
    for line in b.title.split('\n') {
        centred(flow, line, Face::Bold, size::SIGNATURE, x, width)?;
    }
    flow.y += SIGN_SPACE;
    if !b.name.is_empty() {
        centred(flow, &b.name, Face::Bold, size::SIGNATURE, x, width)?;
    } else {
        flow.y += face(Face::Regular).line_height(size::SIGNATURE);
    }
    Ok(flow.y)
}

/// The height of a row of signature blocks set in halves.
fn row_of_blocks(blocks: &[SignatureBlock]) -> Result<f32, MissingGlyph> {
    let mut h: f32 = 0.0;
    for b in blocks {
        h = h.max(block_height(b, WIDTH / 2.0)?);
    }
    Ok(h)
}

/// What the last body block keeps on its page: a single block with "Nơi nhận" beside it, or
/// the two blocks of minutes with "Nơi nhận" under them, with the `trailing` verification
/// line; the first row of a covenant's grid.
fn signatures_lead(
    s: &Signatures,
    recipients: &[String],
    trailing: f32,
) -> Result<f32, MissingGlyph> {
    let under = match recipients.is_empty() {
        true => 0.0,
        false => SIGNATURE_GAP + recipients_height(recipients, WIDTH / 2.0)?,
    };
    Ok(match s {
        Signatures::Single(b) => {
            let rest = WIDTH * (1.0 - SINGLE_BLOCK);
            let beside = recipients_height(recipients, rest)?;
            block_height(b, WIDTH * SINGLE_BLOCK)?.max(beside) + trailing
        }
        Signatures::Pair(l, r) => row_of_blocks(&[l.clone(), r.clone()])? + under + trailing,
        Signatures::Grid(blocks) => row_of_blocks(&blocks[..blocks.len().min(2)])?,
    })
}

/// The signature blocks and "Nơi nhận" (beside a single block, under the others), kept with
/// the `trailing` verification line.
fn signatures(
    flow: &mut Flow,
    s: &Signatures,
    recipients: &[String],
    trailing: f32,
) -> Result<(), MissingGlyph> {
    let half = WIDTH / 2.0;
    match s {
        Signatures::Single(b) => {
            flow.ensure(signatures_lead(s, recipients, trailing)?)?;
            let (left, right) = (WIDTH * (1.0 - SINGLE_BLOCK), WIDTH * SINGLE_BLOCK);
            let top = flow.y;
            let bottom = block(flow, b, LEFT + left, right)?;
            flow.y = top;
            recipients_block(flow, recipients, left)?;
            flow.y = flow.y.max(bottom);
            return Ok(());
        }
        Signatures::Pair(l, r) => {
            flow.ensure(signatures_lead(s, recipients, trailing)?)?;
            let top = flow.y;
            let lb = block(flow, l, LEFT, half)?;
            flow.y = top;
            let rb = block(flow, r, LEFT + half, half)?;
            flow.y = lb.max(rb) + SIGNATURE_GAP;
        }
        Signatures::Grid(blocks) => {
            for pair in blocks.chunks(2) {
                flow.ensure(row_of_blocks(pair)?)?;
                let top = flow.y;
                let mut bottom = top;
                if let [only] = pair {
                    bottom = block(flow, only, LEFT + half / 2.0, half)?;
                } else {
                    for (k, b) in pair.iter().enumerate() {
                        flow.y = top;
                        bottom = bottom.max(block(flow, b, LEFT + half * k as f32, half)?);
                    }
                }
                flow.y = bottom + SIGNATURE_GAP;
            }
        }
    }
    if !recipients.is_empty() {
        flow.ensure(recipients_height(recipients, half)? + trailing)?;
        recipients_block(flow, recipients, half)?;
    }
    Ok(())
}

fn recipients_height(recipients: &[String], width: f32) -> Result<f32, MissingGlyph> {
    if recipients.is_empty() {
        return Ok(0.0);
    }
    let lh = face(Face::Regular).line_height(size::RECIPIENTS);
    let mut n = 0;
    for r in recipients {
        n += lines(&[Span::plain(r.clone())], size::RECIPIENTS, width)?.len();
    }
    Ok(face(Face::Regular).line_height(size::RECIPIENTS_LABEL) + n as f32 * lh)
}

/// "Nơi nhận:" (bold italic) and its list, flush left in the left half.
fn recipients_block(
    flow: &mut Flow,
    recipients: &[String],
    width: f32,
) -> Result<(), MissingGlyph> {
    if recipients.is_empty() {
        return Ok(());
    }
    let label = [Span {
        text: RECIPIENTS.to_owned(),
        bold: true,
        italic: true,
    }];
    for line in lines(&label, size::RECIPIENTS_LABEL, width)? {
        line_at(
            flow,
            &line,
            size::RECIPIENTS_LABEL,
            LEFT,
            width,
            Align::Left,
            false,
        );
    }
    for r in recipients {
        for line in lines(&[Span::plain(r.clone())], size::RECIPIENTS, width)? {
            line_at(
                flow,
                &line,
                size::RECIPIENTS,
                LEFT,
                width,
                Align::Left,
                false,
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line break typed in a text (an inspector's reason, say) separates words like a space.
    #[test]
    fn a_line_break_separates_words() {
        let words: Vec<String> = pieces(&[Span::plain("dòng một\ndòng hai")], 13.0)
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(words, ["dòng", "một", "dòng", "hai"]);
    }
}
