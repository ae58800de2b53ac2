//! Log hygiene: text that a client chose (a user name typed at sign-in, a label) goes into log
//! fields through [`untrusted`], which escapes control characters, so that a newline cannot
//! start a forged log line and an escape sequence cannot repaint a terminal; bidirectional and
//! zero-width characters are escaped too, so that what an operator reads is what was sent.

use std::fmt;

/// A log field value that escapes everything but printable characters.
pub struct Untrusted<'a>(&'a str);

/// Wraps client-chosen text for a log field: `tracing::info!(user = %untrusted(&name))`.
pub fn untrusted(text: &str) -> Untrusted<'_> {
    Untrusted(text)
}

/// Characters that reorder or hide text: bidirectional controls and zero-width characters.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

impl fmt::Display for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_CHARS: usize = 200;
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_CHARS {
                return f.write_str("…");
            }
            if c.is_control() || invisible(c) || c == '\\' {
                write!(f, "{}", c.escape_default())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Untrusted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        let s = untrusted("an\nINFO forged\r\u{1b}[31m\u{202E}x\u{200B}\\").to_string();
        assert_eq!(s, "an\\nINFO forged\\r\\u{1b}[31m\\u{202e}x\\u{200b}\\\\");
        assert_eq!(untrusted("Nguyễn Văn Ân").to_string(), "Nguyễn Văn Ân");
        assert_eq!(untrusted(&"a".repeat(300)).to_string().chars().count(), 201);
    }
}
