//! Words of a PDF with their boxes, from `pdftotext -bbox` (points, origin top-left).

use std::path::Path;
use std::process::Command;

#[derive(Clone, Debug)]
pub struct Word {
    pub page: usize,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    pub text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).expect("attribute") + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every word of every page, in reading order.
pub fn words(pdf: &Path) -> Vec<Word> {
    let out = super::tools::run(Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-"));
    let html = String::from_utf8(out).unwrap();
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text.strip_suffix("</word>").unwrap_or(text);
            words.push(Word {
                page,
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text: unescape(text),
            });
        }
    }
    words
}

/// The words of the first line (on `page`) that reads `phrase`, as one box.
pub fn find(words: &[Word], page: usize, phrase: &str) -> Word {
    let on_page: Vec<Word> = words.iter().filter(|w| w.page == page).cloned().collect();
    occurrences(&on_page, phrase)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{phrase:?} is not on page {page}"))
}

/// Every run of words, on any page, that reads `phrase` (one box each), in reading order.
pub fn occurrences(words: &[Word], phrase: &str) -> Vec<Word> {
    let wanted: Vec<&str> = phrase.split(' ').collect();
    let mut out = Vec::new();
    for i in 0..words.len() {
        let run = &words[i..(i + wanted.len()).min(words.len())];
        let same_page = run.iter().all(|w| w.page == words[i].page);
        if same_page
            && run.len() == wanted.len()
            && run.iter().zip(&wanted).all(|(w, t)| w.text == *t)
        {
            out.push(Word {
                page: words[i].page,
                x_min: run.iter().map(|w| w.x_min).fold(f32::MAX, f32::min),
                y_min: run.iter().map(|w| w.y_min).fold(f32::MAX, f32::min),
                x_max: run.iter().map(|w| w.x_max).fold(f32::MIN, f32::max),
                y_max: run.iter().map(|w| w.y_max).fold(f32::MIN, f32::max),
                text: phrase.to_owned(),
            });
        }
    }
    out
}

impl Word {
    pub fn centre(&self) -> f32 {
        (self.x_min + self.x_max) / 2.0
    }
}
