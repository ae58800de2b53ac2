//! The code box: a text of TOML tables (a scoring regulation, a covenant's validation rules)
//! edited in a text area beside its line numbers, so that the line a diagnostic names is found
//! while editing. Without JavaScript the box is drawn as tall as its text and does not wrap
//! its lines, so it never scrolls apart from its numbers; `/static/code.js` keeps both right
//! while the text is typed.

/// The fewest rows a box shows.
pub const MIN_ROWS: usize = 16;

/// The rows of a box holding `text`: every line of it and three to spare.
pub fn rows(text: &str) -> usize {
    (text.split('\n').count() + 3).max(MIN_ROWS)
}

/// The numbers beside a box holding `text`, one per row.
pub fn gutter(text: &str) -> String {
    (1..=rows(text))
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_numbers_every_line_of_its_text_and_a_few_more() {
        assert_eq!(rows(""), MIN_ROWS);
        let text = "a\n".repeat(40);
        assert_eq!(rows(&text), 44);
        let numbers = gutter(&text);
        assert!(numbers.starts_with("1\n2\n") && numbers.ends_with("\n43\n44"));
    }
}
