//! Every paragraph of every DOCX has a named paragraph style of ours, and none sets a type size
//! of its own: sizes (`w:sz`) are in styles.xml only, and the header, type, subject, "Kính
//! gửi", signature blocks and "Nơi nhận" are in the styles named for them — so a secretary who
//! restyles a part in Word or LibreOffice restyles it everywhere.

use std::io::Read;

use super::render::{file, files};

/// The XML parts of a DOCX package: (name, text).
fn parts(docx: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        if name.ends_with(".xml") {
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            out.push((name, text));
        }
    }
    out
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts.iter().find(|(n, _)| n == name).unwrap().1
}

/// The paragraphs (`<w:p …>…</w:p>`, or an empty `<w:p …/>`) of an XML part.
fn paragraphs(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = xml[at..].find("<w:p") {
        let start = at + found;
        let after = xml[start + 4..].chars().next();
        at = start + 4;
        if !matches!(after, Some(' ' | '>' | '/')) {
            continue; // <w:pPr>, <w:pStyle>, <w:pgSz>…
        }
        let tag_end = start + xml[start..].find('>').unwrap() + 1;
        let end = match xml[..tag_end].ends_with("/>") {
            true => tag_end,
            false => tag_end + xml[tag_end..].find("</w:p>").unwrap() + "</w:p>".len(),
        };
        out.push(&xml[start..end]);
        at = end;
    }
    out
}

/// The value of the first `attribute="…"` after `element` in `xml`.
fn value<'a>(xml: &'a str, element: &str, attribute: &str) -> Option<&'a str> {
    let rest = &xml[xml.find(element)? + element.len()..];
    let rest = &rest[..rest.find('>')?];
    let rest = &rest[rest.find(&format!("{attribute}=\""))? + attribute.len() + 2..];
    Some(&rest[..rest.find('"')?])
}

/// A paragraph's style id.
fn style(p: &str) -> Option<&str> {
    value(p, "<w:pStyle ", "w:val")
}

/// A paragraph's text (its `w:t` runs, unescaped).
fn text(p: &str) -> String {
    let mut out = String::new();
    let mut rest = p;
    while let Some(at) = rest.find("<w:t") {
        rest = &rest[at + 4..];
        if !rest.starts_with([' ', '>']) {
            continue;
        }
        let open = rest.find('>').unwrap();
        if rest[..open].ends_with('/') {
            continue;
        }
        let close = rest.find("</w:t>").unwrap();
        out.push_str(&rest[open + 1..close]);
        rest = &rest[close..];
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[test]
fn every_paragraph_has_a_named_style_and_no_size_of_its_own() {
    for f in &files().1 {
        let name = f.name;
        let parts = parts(&f.docx_bytes);
        let styles = part(&parts, "word/styles.xml");
        assert!(
            styles.contains(r#"<w:lang w:val="vi-VN""#),
            "{name}.docx: the styles say the text is Vietnamese"
        );
        let mut checked = 0;
        for (part_name, xml) in &parts {
            if part_name == "word/styles.xml" {
                continue;
            }
            for tag in ["<w:sz ", "<w:sz>", "<w:sz/", "<w:szCs"] {
                assert!(
                    !xml.contains(tag),
                    "{name}.docx: {part_name} sets a size directly ({tag})"
                );
            }
            for p in paragraphs(xml) {
                checked += 1;
                let id = style(p).unwrap_or_else(|| {
                    panic!("{name}.docx: {part_name}: a paragraph without a style: {p}")
                });
                assert!(
                    id.starts_with("ThiDua"),
                    "{name}.docx: {part_name}: style {id} is not ours"
                );
                let defined = format!(r#"<w:style w:type="paragraph" w:styleId="{id}">"#);
                assert!(
                    styles.contains(&defined),
                    "{name}.docx: style {id} is not a paragraph style in styles.xml"
                );
                // Alignment is the style's, but for a table column's own.
                if p.contains("<w:jc ") {
                    assert_eq!(id, "ThiDuaTable", "{name}.docx: {part_name}: {p}");
                }
            }
        }
        assert!(checked > 30, "{name}.docx: only {checked} paragraphs found");
    }
}

/// The style of the paragraph of `name`'s DOCX whose text is `wanted` (spaces squeezed: a
/// preview leaves room for the number).
fn style_of(name: &str, wanted: &str) -> String {
    let parts = parts(&file(name).docx_bytes);
    let document = part(&parts, "word/document.xml");
    let p = paragraphs(document)
        .into_iter()
        .find(|p| text(p).split_whitespace().collect::<Vec<_>>().join(" ") == wanted)
        .unwrap_or_else(|| panic!("{name}.docx: no paragraph {wanted:?}"));
    style(p).unwrap_or_default().to_owned()
}

#[test]
fn each_part_of_the_decree_has_its_own_style() {
    for (name, wanted, id) in [
        ("covenant", "BỘ CÔNG AN", "ThiDuaHeader"),
        ("covenant", "CỤM THI ĐUA SỐ 12", "ThiDuaIssuingBody"),
        (
            "covenant",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "ThiDuaNationalTitle",
        ),
        ("covenant", "Độc lập - Tự do - Hạnh phúc", "ThiDuaMotto"),
        (
            "covenant",
            "Kiên Giang, ngày 26 tháng 3 năm 2024",
            "ThiDuaPlaceDate",
        ),
        ("covenant", "BẢN GIAO ƯỚC THI ĐUA", "ThiDuaType"),
        ("covenant", "I. PHÒNG, CHỐNG TỘI PHẠM", "ThiDuaHeading"),
        ("covenant", "CÔNG AN TỈNH KIÊN GIANG", "ThiDuaSignature"),
        (
            "covenant",
            "Nguyễn Văn Kiên (minh hoạ)",
            "ThiDuaSignatureName",
        ),
        ("covenant", "Nơi nhận:", "ThiDuaRecipientsHead"),
        ("results", "Số: /BC-CTĐ12", "ThiDuaNumber"),
        (
            "results",
            "Kết quả chấm điểm thi đua năm 2024",
            "ThiDuaSubject",
        ),
        ("results", "Kính gửi: Bộ Công an", "ThiDuaAddressee"),
        ("results", "CỤM TRƯỞNG", "ThiDuaSignature"),
        ("results", "- Lưu: VT, CTĐ12.", "ThiDuaRecipients"),
        ("year", "STT", "ThiDuaTableHead"),
        ("vote", "CHỦ TỌA", "ThiDuaSignature"),
    ] {
        assert_eq!(style_of(name, wanted), id, "{name}.docx: {wanted:?}");
    }
}

#[test]
fn body_paragraphs_keep_widows_and_orphans_off_a_page() {
    let parts = parts(&file("results").docx_bytes);
    let styles = part(&parts, "word/styles.xml");
    let body = styles
        .split("<w:style ")
        .find(|s| s.contains("w:styleId=\"ThiDuaBody\""))
        .expect("the body style");
    assert!(
        body.contains("<w:widowControl w:val=\"1\""),
        "the body style has no widow control: {body}"
    );
}
