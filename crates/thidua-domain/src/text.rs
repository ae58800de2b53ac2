//! Text at the boundary: every user-supplied string becomes NFC, trimmed, and is measured in
//! graphemes. Also owns Vietnamese collation (sorting names the way a Vietnamese reader expects).

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::error::DomainError;

/// A non-empty, trimmed, NFC-normalised string of at most `max` graphemes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl TryFrom<String> for Text {
    type Error = DomainError;

    /// Accepts only text already in canonical form (as stored events carry it).
    fn try_from(raw: String) -> Result<Self, DomainError> {
        let text = Self(raw);
        if text.is_canonical() {
            Ok(text)
        } else {
            Err(DomainError::InvalidText { field: "text" })
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.0
    }
}

impl Text {
    /// Normalises and validates `raw`; `field` names the input in the error.
    pub fn parse(field: &'static str, raw: &str, max: usize) -> Result<Self, DomainError> {
        let normalised: String = raw.trim().nfc().collect();
        let graphemes = normalised.graphemes(true).count();
        if graphemes == 0 {
            return Err(DomainError::EmptyText { field });
        }
        if graphemes > max {
            return Err(DomainError::TextTooLong { field, max });
        }
        if normalised.chars().any(|c| c.is_control() && c != '\n') {
            return Err(DomainError::InvalidText { field });
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the stored value is already in canonical form (used when replaying events).
    pub fn is_canonical(&self) -> bool {
        unicode_normalization::is_nfc(&self.0) && self.0.trim() == self.0 && !self.0.is_empty()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Normalises free text that may be empty (notes, references): NFC and trimmed.
pub fn nfc(raw: &str) -> String {
    raw.trim().nfc().collect()
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

/// Compares two strings in Vietnamese collation order.
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    collation_key(a)
        .cmp(&collation_key(b))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_at_the_boundary() {
        let decomposed = "Ca\u{300} Mau";
        let t = Text::parse("name", decomposed, 50).unwrap();
        assert_eq!(t.as_str(), "Cà Mau");
        assert!(t.is_canonical());
    }

    #[test]
    fn length_in_graphemes() {
        assert!(Text::parse("name", "Đồng", 4).is_ok());
        assert!(Text::parse("name", "Đồng", 3).is_err());
        assert!(Text::parse("name", "   ", 3).is_err());
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
