//! The header and the page are where Decree 30/2020 puts them, read back from the PDF's text
//! positions (`pdftotext -bbox`) of the documents as issued, not only by eye: the issuing body
//! centred in the left column, the national title and motto in the right one, "Số" on the same
//! line as the place and date, which is centred under the motto; the margins; page numbers from
//! page 2, centred in the top margin.

use thidua_docs::model::{Block, Document, Header, SignatureBlock, Signatures, Span, Verification};
use thidua_docs::pdf::layout::{layout, Item, HEADER_LEFT, LEFT, MM, PAGE_W, RIGHT, TOP, WIDTH};

use super::render::issued_pdf;
use super::tools::{have, POPPLER};
use super::words::{find, words};

fn near(a: f32, b: f32, tolerance: f32, what: &str) {
    assert!(
        (a - b).abs() <= tolerance,
        "{what}: {a} is not within {tolerance} of {b}"
    );
}

#[test]
fn the_header_is_laid_out_as_the_decree_says() {
    if !have(&[POPPLER]) {
        return;
    }
    let w = words(issued_pdf("results"));
    let left_centre = LEFT + WIDTH * HEADER_LEFT / 2.0;
    let right_centre = LEFT + WIDTH * HEADER_LEFT + WIDTH * (1.0 - HEADER_LEFT) / 2.0;
    let parent = find(&w, 1, "BỘ CÔNG AN");
    let issuing = find(&w, 1, "CỤM THI ĐUA SỐ 12");
    let title = find(&w, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    let motto = find(&w, 1, "Độc lập - Tự do - Hạnh phúc");
    let number = find(&w, 1, "Số: 01/BC-CTĐ12");
    let date = find(&w, 1, "Kiên Giang, ngày 20 tháng 12 năm 2024");
    near(
        parent.centre(),
        left_centre,
        1.5,
        "parent body centred in the left column",
    );
    near(
        issuing.centre(),
        left_centre,
        1.5,
        "issuing body centred in the left column",
    );
    near(
        number.centre(),
        left_centre,
        1.5,
        "number centred under the issuing body",
    );
    near(
        title.centre(),
        right_centre,
        1.5,
        "national title centred in the right column",
    );
    near(
        motto.centre(),
        right_centre,
        1.5,
        "motto centred under the national title",
    );
    near(
        date.centre(),
        motto.centre(),
        1.5,
        "place and date centred under the motto",
    );
    near(
        parent.y_min,
        title.y_min,
        1.5,
        "the two columns start on one line",
    );
    assert!(
        issuing.y_min > parent.y_min,
        "the issuing body under the parent body"
    );
    assert!(
        motto.y_min > title.y_min,
        "the motto under the national title"
    );
    near(
        number.y_max,
        date.y_max,
        1.5,
        "Số on the line of the place and date",
    );
    assert!(number.y_min > issuing.y_max && date.y_min > motto.y_max);
    assert!(
        issuing.x_max < LEFT + WIDTH * HEADER_LEFT,
        "the left column holds the issuing body"
    );
    assert!(
        title.x_min > LEFT + WIDTH * HEADER_LEFT,
        "the right column holds the national title"
    );
    let kind = find(&w, 1, "BÁO CÁO");
    near(kind.centre(), LEFT + WIDTH / 2.0, 1.5, "the type centred");
    assert!(kind.y_min > date.y_max, "the type under the header");
}

#[test]
fn margins_and_page_numbers() {
    if !have(&[POPPLER]) {
        return;
    }
    let w = words(issued_pdf("covenant"));
    let pages = w.iter().map(|x| x.page).max().unwrap();
    assert!(pages >= 2, "the covenant takes more than one page");
    let min_x = w.iter().map(|x| x.x_min).fold(f32::MAX, f32::min);
    let max_x = w.iter().map(|x| x.x_max).fold(f32::MIN, f32::max);
    near(min_x, LEFT, 0.5, "left margin 30 mm");
    assert!(
        max_x <= PAGE_W - RIGHT + 0.5,
        "right margin at least 15 mm: {max_x}"
    );
    near(
        max_x,
        PAGE_W - RIGHT,
        1.0,
        "justified lines reach the right margin",
    );
    // Page 1 has no number; page 2 has "2", centred in the top margin.
    let top = |p: usize| {
        w.iter()
            .filter(|x| x.page == p)
            .min_by(|a, b| a.y_min.total_cmp(&b.y_min))
            .unwrap()
            .clone()
    };
    assert_ne!(top(1).text, "1");
    let number = top(2);
    assert_eq!(number.text, "2");
    assert!(number.y_max < TOP, "the page number sits in the top margin");
    near(
        number.centre(),
        LEFT + WIDTH / 2.0,
        1.0,
        "the page number centred",
    );
    let body_top = w
        .iter()
        .filter(|x| x.page == 2 && x.text != "2")
        .map(|x| x.y_min)
        .fold(f32::MAX, f32::min);
    assert!(
        (TOP - 1.0..TOP + 10.0 * MM).contains(&body_top),
        "page 2 starts at the top margin"
    );
}

/// The header of the other kinds: minutes carry their number under the issuing body and no
/// place-and-date line; a submission has both on one line, its type centred, "Kính gửi" under
/// the subject.
#[test]
fn minutes_and_submission_headers() {
    if !have(&[POPPLER]) {
        return;
    }
    let left_centre = LEFT + WIDTH * HEADER_LEFT / 2.0;
    for (name, number) in [
        ("inspection", "Số: 01/BB-CTĐ12"),
        ("vote", "Số: 01/BB-CTĐ12"),
    ] {
        let w = words(issued_pdf(name));
        let issuing = find(&w, 1, "CỤM THI ĐUA SỐ 12");
        let number = find(&w, 1, number);
        let kind = find(&w, 1, "BIÊN BẢN");
        near(number.centre(), left_centre, 1.5, "number under the body");
        assert!(number.y_min > issuing.y_max);
        near(kind.centre(), LEFT + WIDTH / 2.0, 1.5, "the type centred");
        assert!(
            !w.iter()
                .any(|x| x.page == 1 && x.y_max < kind.y_min && x.text == "tháng"),
            "{name}: minutes carry no place-and-date line"
        );
    }
    let w = words(issued_pdf("award"));
    let number = find(&w, 1, "Số: 01/TTr-CTĐ12");
    let date = find(&w, 1, "Kiên Giang, ngày 30 tháng 12 năm 2024");
    near(number.y_max, date.y_max, 1.5, "Số on the line of the date");
    let kind = find(&w, 1, "TỜ TRÌNH");
    near(kind.centre(), LEFT + WIDTH / 2.0, 1.5, "the type centred");
    let to = find(&w, 1, "Kính gửi: Bộ Công an");
    assert!(to.y_min > kind.y_max, "Kính gửi under the type and subject");
}

/// A place-and-date line or a number line too long for its column wraps onto as many lines as
/// it needs, each centred in the column, and the header grows to hold them: nothing is cut
/// ("Thành phố Hồ Chí Minh" kept its date without "năm 2024").
#[test]
fn long_header_lines_wrap_in_their_columns() {
    if !have(&[POPPLER]) {
        return;
    }
    let (_, request, state) = super::render::requests()
        .into_iter()
        .find(|(n, _, _)| *n == "results")
        .unwrap();
    let mut doc = thidua_docs::prepare(state, &request).unwrap().document;
    doc.header.place_date = Some(thidua_docs::decree::place_date(
        "Thành phố Hồ Chí Minh",
        chrono::NaiveDate::from_ymd_opt(2024, 12, 20).unwrap(),
    ));
    doc.header.number = Some("Số: 01/BC-CTĐKTXHCAHCM12".to_owned());
    let pdf = super::render::dir().join("long-header.pdf");
    let issued = thidua_docs::Verification::Issued {
        sha256: thidua_docs::content_hash(&doc),
        index: 1,
    };
    let bytes = thidua_docs::render(&doc, &issued, thidua_docs::Format::Pdf).unwrap();
    std::fs::write(&pdf, bytes).unwrap();
    let w = words(&pdf);
    let kind = find(&w, 1, "BÁO CÁO");
    let motto = find(&w, 1, "Độc lập - Tự do - Hạnh phúc");
    let split = LEFT + WIDTH * HEADER_LEFT;
    let right = header_lines(&w, |x| x.x_min > split, motto.y_max, kind.y_min);
    let left = header_lines(&w, |x| x.x_max < split, motto.y_max, kind.y_min);
    for (lines, text, centre) in [
        (
            &right,
            "Thành phố Hồ Chí Minh, ngày 20 tháng 12 năm 2024",
            split + WIDTH * (1.0 - HEADER_LEFT) / 2.0,
        ),
        (
            &left,
            "Số: 01/BC-CTĐKTXHCAHCM12",
            LEFT + WIDTH * HEADER_LEFT / 2.0,
        ),
    ] {
        assert!(lines.len() >= 2, "{text}: wrapped, not cut: {lines:?}");
        let joined: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(joined.join(" ").replace("- ", "-"), text);
        for (c, t) in lines {
            near(*c, centre, 1.5, &format!("{t:?} centred in its column"));
        }
    }
    assert_eq!(
        left[0].1.split(' ').next(),
        Some("Số:"),
        "Số on the first line"
    );
}

/// The lines of the header's row 2 in one column, top to bottom: (centre, text).
fn header_lines(
    w: &[super::words::Word],
    column: impl Fn(&super::words::Word) -> bool,
    below: f32,
    above: f32,
) -> Vec<(f32, String)> {
    let mut rows: Vec<(f32, Vec<&super::words::Word>)> = Vec::new();
    for x in w
        .iter()
        .filter(|x| x.page == 1 && x.y_min > below && x.y_max < above && column(x))
    {
        match rows.iter_mut().find(|(y, _)| (y - x.y_min).abs() < 2.0) {
            Some((_, row)) => row.push(x),
            None => rows.push((x.y_min, vec![x])),
        }
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter()
        .map(|(_, row)| {
            let min = row.iter().map(|x| x.x_min).fold(f32::MAX, f32::min);
            let max = row.iter().map(|x| x.x_max).fold(f32::MIN, f32::max);
            let text: Vec<&str> = row.iter().map(|x| x.text.as_str()).collect();
            ((min + max) / 2.0, text.join(" "))
        })
        .collect()
}

/// A body of paragraphs of 1 to 7 lines, each written with its own word (`aN`), after an
/// opening paragraph of `opening` words that moves where the page breaks fall.
fn paragraphs_document(opening: usize) -> Document {
    let words = |word: &str, n: usize| vec![word; n].join(" ");
    let mut body = vec![Block::Paragraph(vec![Span::plain(words("mở", opening))])];
    for i in 0..24 {
        let marker = format!("a{i}");
        body.push(Block::Paragraph(vec![Span::plain(words(
            &marker,
            15 + 24 * (i % 6),
        ))]));
    }
    Document {
        edition: thidua_docs::model::EDITION,
        kind: "results".into(),
        header: Header {
            parent_body: Some("BỘ CÔNG AN".into()),
            issuing_body: "CỤM THI ĐUA SỐ 12".into(),
            number: Some("Số: 01/BC-CTĐ12".into()),
            place_date: Some("Kiên Giang, ngày 20 tháng 12 năm 2024".into()),
        },
        type_line: "BÁO CÁO".into(),
        subject: vec!["Thử ngắt trang".into()],
        addressee: None,
        body,
        signatures: Signatures::Single(SignatureBlock {
            authority: None,
            title: "CỤM TRƯỞNG".into(),
            name: "Nguyễn Văn A".into(),
        }),
        recipients: vec!["- Lưu: VT.".into()],
    }
}

/// The lines (distinct baselines) a page holds of the paragraph written with `marker`.
fn lines_of(page: &[Item], marker: &str) -> usize {
    let mut baselines: Vec<i64> = page
        .iter()
        .filter_map(|item| match item {
            Item::Text { y, text, .. } if text.split(' ').any(|w| w == marker) => {
                Some((*y * 10.0) as i64)
            }
            _ => None,
        })
        .collect();
    baselines.sort();
    baselines.dedup();
    baselines.len()
}

#[test]
fn no_paragraph_leaves_one_line_alone_on_a_page() {
    let mut split = 0;
    for opening in (0..160).step_by(7) {
        let doc = paragraphs_document(opening);
        let pages = layout(&doc, &Verification::Preview).unwrap();
        for i in 0..24 {
            let marker = format!("a{i}");
            let spread: Vec<usize> = pages
                .iter()
                .map(|p| lines_of(p, &marker))
                .filter(|&n| n > 0)
                .collect();
            if spread.len() > 1 {
                split += 1;
                assert!(
                    spread.iter().all(|&n| n >= 2),
                    "opening of {opening} words: paragraph {marker} is set {spread:?} across pages"
                );
            }
        }
    }
    assert!(split > 10, "only {split} paragraphs broke across pages");
}
