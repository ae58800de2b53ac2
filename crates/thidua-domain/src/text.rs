//! Text at the boundary: every user-supplied string becomes NFC, trimmed, and is measured in
//! graphemes. Also owns Vietnamese collation (sorting names the way a Vietnamese reader expects).

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::error::DomainError;

/// A non-empty, trimmed, NFC-normalised string. Every text a command carries is checked by
/// [`Text::parse`] (in the UI) or [`Text::check`] (in `decide`, for every entry point): length in
/// graphemes, no control characters, no invisible or direction-changing characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct Text(String);

impl<'de> Deserialize<'de> for Text {
    /// Normalises to NFC and trims (text arriving from API clients may be decomposed). Every
    /// other rule (not empty, length, characters) is checked by the stage's `decide` with the
    /// field's limit, so the API answers exactly what the UI answers. Stored events are checked
    /// for canonical form by the wire decoder, which encodes them again.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        // Most text arrives canonical already (every stored event, every snapshot): keep it.
        let canonical = raw.trim().len() == raw.len()
            && !raw.contains('\r')
            && unicode_normalization::is_nfc_quick(raw.chars())
                == unicode_normalization::IsNormalized::Yes;
        Ok(Self(if canonical { raw } else { nfc(&raw) }))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

/// Characters that Vietnamese text never needs and that can hide or reorder what a reader sees:
/// zero-width characters, bidirectional embeddings, overrides and isolates, the byte-order mark,
/// the soft hyphen, blank fillers (Hangul, Braille), variation selectors, tag characters, the
/// line and paragraph separators and other invisible format characters.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// The most code points one grapheme may hold: a Vietnamese letter has at most three (a base
/// letter and two marks, decomposed); more is a pile of marks that only inflates the text.
const MAX_CHARS_PER_GRAPHEME: usize = 4;

/// The rules every text obeys, whatever its field: at most `max` graphemes, no control character
/// other than a line break, no invisible or bidirectional control character, no grapheme of more
/// than [`MAX_CHARS_PER_GRAPHEME`] code points, no mark without a letter to carry it.
fn validate(field: &'static str, text: &str, max: usize) -> Result<(), DomainError> {
    let graphemes = text.graphemes(true).count();
    if graphemes == 0 {
        return Err(DomainError::EmptyText { field });
    }
    if graphemes > max {
        return Err(DomainError::TextTooLong { field, max });
    }
    let invisible = text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_invisible_or_bidi(c));
    let piled = text
        .graphemes(true)
        .any(|g| g.chars().count() > MAX_CHARS_PER_GRAPHEME);
    let bare_mark = text.lines().any(|line| {
        line.chars()
            .next()
            .is_some_and(unicode_normalization::char::is_combining_mark)
    });
    if invisible || piled || bare_mark {
        return Err(DomainError::InvalidText { field });
    }
    Ok(())
}

impl Text {
    /// Normalises and validates `raw`; `field` names the input in the error.
    pub fn parse(field: &'static str, raw: &str, max: usize) -> Result<Self, DomainError> {
        let normalised = nfc(raw);
        validate(field, &normalised, max)?;
        Ok(Self(normalised))
    }

    /// [`Text::parse`] for a field of one line ([`Text::check_line`]): a place, a title typed
    /// at the console or in a form.
    pub fn parse_line(field: &'static str, raw: &str, max: usize) -> Result<Self, DomainError> {
        let text = Self::parse(field, raw, max)?;
        text.check_line(field, max)?;
        Ok(text)
    }

    /// Checks an already-built text against a field's rules (the same as [`Text::parse`]).
    pub fn check(&self, field: &'static str, max: usize) -> Result<(), DomainError> {
        validate(field, &self.0, max)
    }

    /// [`Text::check`] for a field of one line — the name of a person, a unit, a cluster or a
    /// movement, a short code, a plan reference: a line break is refused too, since such a name
    /// is printed inside a line (a document's heading, a list, a file name) and must not make
    /// a line of its own there.
    pub fn check_line(&self, field: &'static str, max: usize) -> Result<(), DomainError> {
        validate(field, &self.0, max)?;
        match self.0.contains('\n') {
            true => Err(DomainError::InvalidText { field }),
            false => Ok(()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The empty text, for a field a command may leave unsaid where its wire structure
    /// requires a text (a year-end answer that accepts the proposed score without words). It
    /// never passes [`Text::check`]: a stage allows it only where it says so.
    pub fn empty() -> Self {
        Self(String::new())
    }

    /// True when the stored value is in canonical form: NFC, trimmed, not empty.
    pub fn is_canonical(&self) -> bool {
        unicode_normalization::is_nfc(&self.0) && self.0.trim() == self.0 && !self.0.is_empty()
    }
}

/// The longest text each kind of field accepts, in graphemes: one table for the UI, the API,
/// the CLI and `decide`.
pub mod limits {
    /// A person's display name.
    pub const DISPLAY_NAME: usize = 200;
    /// A unit's or cluster's name.
    pub const NAME: usize = 200;
    /// A unit's short code ("CA-KG").
    pub const SHORT_CODE: usize = 20;
    /// A decision's number, symbol and title.
    pub const DECISION: usize = 200;
    /// A movement's plan reference ("84/KH-BCA").
    pub const PLAN_REF: usize = 50;
    /// A slogan.
    pub const SLOGAN: usize = 300;
    /// A covenant's title.
    pub const TITLE: usize = 300;
    /// A place name.
    pub const PLACE: usize = 100;
    /// A content area of targets.
    pub const AREA: usize = 200;
    /// A target's subject.
    pub const SUBJECT: usize = 500;
    /// A unit of measure ("%", "vụ").
    pub const UNIT_OF_MEASURE: usize = 20;
    /// A reporting window's name.
    pub const WINDOW_NAME: usize = 100;
    /// A reason given for an action (withdrawal, correction, reopening).
    pub const REASON: usize = 1000;
    /// An API token's label.
    pub const LABEL: usize = 100;
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Normalises free text that may be empty (notes, references): line breaks as `\n` (a browser
/// sends a textarea's as `\r\n`), NFC and trimmed.
pub fn nfc(raw: &str) -> String {
    let text = if raw.contains('\r') {
        std::borrow::Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    text.trim().nfc().collect()
}

/// Vietnamese alphabet order of base letters: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
/// u ư v x y (f, j, w, z placed where Latin puts them).
const ALPHABET: &[char] = &[
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// Tone marks in the conventional order: none, huyền, sắc, hỏi, ngã, nặng.
const TONES: &[char] = &['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

/// A sort key implementing Vietnamese collation: letters first (with ă, â, đ, ê, ô, ơ, ư as
/// letters of their own), then tones as a secondary level, then case as a tertiary level.
pub fn collation_key(s: &str) -> Vec<u32> {
    let mut primary = Vec::new();
    let mut secondary = Vec::new();
    let mut tertiary = Vec::new();
    let decomposed: Vec<char> = s.nfd().collect();
    let mut i = 0;
    while i < decomposed.len() {
        let c = decomposed[i];
        let lower = c.to_lowercase().next().unwrap_or(c);
        let upper = c != lower;
        let mut base = lower;
        let mut tone = 0u32;
        let mut j = i + 1;
        // Fold the marks that make a letter of its own (breve, circumflex, horn) into the base.
        while j < decomposed.len() {
            let m = decomposed[j];
            let combined = match (base, m) {
                ('a', '\u{306}') => Some('ă'),
                ('a', '\u{302}') => Some('â'),
                ('e', '\u{302}') => Some('ê'),
                ('o', '\u{302}') => Some('ô'),
                ('o', '\u{31b}') => Some('ơ'),
                ('u', '\u{31b}') => Some('ư'),
                _ => None,
            };
            if let Some(b) = combined {
                base = b;
            } else if let Some(t) = TONES.iter().position(|&t| t == m) {
                tone = t as u32 + 1;
            } else if unicode_normalization::char::is_combining_mark(m) {
                // other marks: ignore at primary level
            } else {
                break;
            }
            j += 1;
        }
        let weight = match ALPHABET.iter().position(|&a| a == base) {
            Some(p) => 0x1000 + p as u32,
            None if base.is_ascii_digit() => 0x0100 + base as u32,
            None if base.is_whitespace() => 0x0001,
            None => 0x2000 + base as u32,
        };
        primary.push(weight);
        secondary.push(tone);
        tertiary.push(u32::from(upper));
        i = j;
    }
    let mut key = primary;
    key.push(0);
    key.extend(secondary);
    key.push(0);
    key.extend(tertiary);
    key
}

/// A name as people tell names apart: lower case, every run of white space one space ("Công an
/// tỉnh  An Giang" is "công an tỉnh an giang"). NFC texts only (as stored), so "ỉ" is one char.
fn name_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut space = false;
    s.chars().flat_map(char::to_lowercase).filter_map(move |c| {
        let white = c.is_whitespace();
        let keep = !(white && space);
        space = white;
        keep.then_some(if white { ' ' } else { c })
    })
}

/// Whether two names are the same for people reading them: letter case and repeated spaces
/// aside ([`name_chars`]); no allocation, so checking a name against a nation's units is cheap.
pub fn same_name(a: &str, b: &str) -> bool {
    name_chars(a).eq(name_chars(b))
}

/// Compares two strings in Vietnamese collation order.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    collation_key(a)
        .cmp(&collation_key(b))
        .then_with(|| a.cmp(b))
}

/// Sorts `items` by the names `name` gives, in the order of [`collate`], computing each name's
/// collation key once (a sort by `collate` computes two keys per comparison: thousands of
/// units make that tens of thousands).
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| {
        let n = name(item);
        (collation_key(n), n.to_owned())
    });
}

/// The words of a police unit's name before the place it serves, longest first.
const UNIT_NAME_LEADS: [&str; 9] = [
    "Công an thành phố ",
    "Công an thị xã ",
    "Công an đặc khu ",
    "Công an phường ",
    "Công an huyện ",
    "Công an tỉnh ",
    "Công an quận ",
    "Công an xã ",
    "Công an ",
];

/// The place a unit's name serves: "Cần Thơ" of "Công an thành phố Cần Thơ"; the whole name
/// when it does not lead with the words of [`UNIT_NAME_LEADS`].
pub fn place_of(name: &str) -> &str {
    UNIT_NAME_LEADS
        .iter()
        .find_map(|lead| name.strip_prefix(lead))
        .unwrap_or(name)
}

/// Sorts units by the place their names serve, in Vietnamese collation (An Giang, Bạc Liêu,
/// Cà Mau, Cần Thơ, …, as lists of provinces are read), then by the whole name: sorted by the
/// whole name, "Công an thành phố Cần Thơ" came before every "Công an tỉnh …".
pub fn sort_units_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| {
        let n = name(item);
        (collation_key(place_of(n)), collation_key(n), n.to_owned())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_sorted_by_the_place_they_serve() {
        let mut units = [
            "Công an tỉnh Kiên Giang",
            "Công an thành phố Cần Thơ",
            "Công an tỉnh An Giang",
            "Công an tỉnh Cà Mau",
            "Công an tỉnh Đồng Tháp",
            "Cục Cảnh sát hình sự",
            "Công an phường Bình Thủy",
        ];
        sort_units_by_name(&mut units, |u| u);
        assert_eq!(
            units,
            [
                "Công an tỉnh An Giang",
                "Công an phường Bình Thủy",
                "Công an tỉnh Cà Mau",
                "Công an thành phố Cần Thơ",
                "Cục Cảnh sát hình sự",
                "Công an tỉnh Đồng Tháp",
                "Công an tỉnh Kiên Giang",
            ]
        );
    }

    #[test]
    fn nfc_at_the_boundary() {
        let decomposed = "Ca\u{300} Mau";
        let t = Text::parse("name", decomposed, 50).unwrap();
        assert_eq!(t.as_str(), "Cà Mau");
        assert!(t.is_canonical());
    }

    #[test]
    fn invisible_and_direction_characters_are_refused() {
        for raw in [
            "An\u{200B}Giang",
            "An Giang\u{202E}",
            "\u{FEFF}An",
            "a\u{2066}b",
        ] {
            assert_eq!(
                Text::parse("name", raw, 50),
                Err(DomainError::InvalidText { field: "name" }),
                "{raw:?}"
            );
        }
        assert!(Text::parse("name", "Dòng 1\nDòng 2", 50).is_ok());
        assert!(Text::parse("name", "a\tb", 50).is_err());
        // Blank or invisible characters that would show an empty text, or hide a difference.
        for c in [
            '\u{00AD}',
            '\u{034F}',
            '\u{17B4}',
            '\u{180B}',
            '\u{2028}',
            '\u{2029}',
            '\u{2800}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{FFA0}',
            '\u{E0041}',
        ] {
            assert!(Text::parse("name", &c.to_string(), 50).is_err(), "{c:?}");
            let raw = format!("An{c}Giang");
            assert_eq!(
                Text::parse("name", &raw, 50),
                Err(DomainError::InvalidText { field: "name" }),
                "{raw:?}"
            );
        }
        // A mark with no letter, and a pile of marks on one letter.
        assert!(Text::parse("name", "\u{301}", 50).is_err());
        assert!(Text::parse("name", "Dòng 1\n\u{301}x", 50).is_err());
        let piled = format!("a{}", "\u{301}".repeat(5));
        assert!(Text::parse("name", &piled, 50).is_err());
        // Decomposed Vietnamese (a letter and two marks) is fine, and becomes NFC.
        let decomposed = "Vie\u{302}\u{323}t";
        assert_eq!(
            Text::parse("name", decomposed, 50).unwrap().as_str(),
            "Việt"
        );
    }

    #[test]
    fn a_browsers_line_breaks_become_one_kind() {
        let t = Text::parse("reason", "Dòng 1\r\nDòng 2\rDòng 3", 50).unwrap();
        assert_eq!(t.as_str(), "Dòng 1\nDòng 2\nDòng 3");
        let read: Text = serde_json::from_str("\"a\\r\\nb\"").unwrap();
        assert_eq!(read.as_str(), "a\nb");
    }

    #[test]
    fn a_one_line_field_refuses_a_line_break_that_free_text_keeps() {
        let two = Text::parse("reason", "Công an tỉnh\r\nĐÃ DUYỆT", 50).unwrap();
        assert!(two.check("reason", 50).is_ok());
        assert!(matches!(
            two.check_line("name", 50),
            Err(DomainError::InvalidText { field: "name" })
        ));
        let one = Text::parse("name", "Công an tỉnh Kiên Giang", 50).unwrap();
        assert!(one.check_line("name", 50).is_ok());
        assert!(Text::parse_line("place", "Rạch Giá\nKiên Giang", 50).is_err());
        assert_eq!(
            Text::parse_line("place", " Rạch Giá ", 50)
                .unwrap()
                .as_str(),
            "Rạch Giá"
        );
        assert!(matches!(
            one.check_line("name", 5),
            Err(DomainError::TextTooLong { .. })
        ));
    }

    #[test]
    fn deserialising_normalises_and_check_applies_the_same_rules() {
        let t: Text = serde_json::from_str("\"  Ca\\u0300 Mau \"").unwrap();
        assert_eq!(t.as_str(), "Cà Mau");
        let blank: Text = serde_json::from_str("\"   \"").unwrap();
        assert_eq!(
            blank.check("name", 5),
            Err(DomainError::EmptyText { field: "name" })
        );
        let long: Text = serde_json::from_str("\"abcdef\"").unwrap();
        assert_eq!(
            long.check("name", 5),
            Err(DomainError::TextTooLong {
                field: "name",
                max: 5
            })
        );
        let hidden: Text = serde_json::from_str("\"a\\u200bb\"").unwrap();
        assert_eq!(
            hidden.check("name", 5),
            Err(DomainError::InvalidText { field: "name" })
        );
    }

    #[test]
    fn length_in_graphemes() {
        assert!(Text::parse("name", "Đồng", 4).is_ok());
        assert!(Text::parse("name", "Đồng", 3).is_err());
        assert!(Text::parse("name", "   ", 3).is_err());
    }

    #[test]
    fn sorting_by_name_is_the_collation_order_with_each_key_computed_once() {
        let names = [
            "Kiên Giang",
            "kiên giang",
            "Đồng Tháp",
            "Dong Thap",
            "Cà Mau",
            "Ca Mau",
            "Cá Mau",
            "Bạc Liêu",
            "An Giang",
            "An Giang",
            "Hậu Giang",
            "Dak Lak",
            "Ðak Lak",
            "",
        ];
        let mut by_collate = names.to_vec();
        by_collate.sort_by(|a, b| collate(a, b));
        let mut by_name = names.to_vec();
        sort_by_name(&mut by_name, |n| n);
        assert_eq!(by_name, by_collate);
    }

    #[test]
    fn vietnamese_order() {
        let mut names = vec![
            "Kiên Giang",
            "Đồng Tháp",
            "Cà Mau",
            "Bạc Liêu",
            "An Giang",
            "Hậu Giang",
            "Dak Lak",
        ];
        names.sort_by(|a, b| collate(a, b));
        assert_eq!(
            names,
            vec![
                "An Giang",
                "Bạc Liêu",
                "Cà Mau",
                "Dak Lak",
                "Đồng Tháp",
                "Hậu Giang",
                "Kiên Giang"
            ]
        );
        assert_eq!(collate("ă", "â"), std::cmp::Ordering::Less);
        assert_eq!(collate("a", "á"), std::cmp::Ordering::Less);
        assert_eq!(collate("u", "ư"), std::cmp::Ordering::Less);
        assert_eq!(collate("ư", "v"), std::cmp::Ordering::Less);
    }
}
