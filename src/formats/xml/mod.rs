//! What the XML formats (TMX, XLIFF) share: reading located events (`events`); writing escaped text and
//! attributes so that every segment comes back byte for byte, leaving out the characters XML 1.0 cannot
//! carry at all.

mod events;

pub(crate) use events::{escaped, is_blank, write_tag, XmlEvents};

use std::borrow::Cow;

/// The characters XML 1.0 allows in a document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML 1.0 cannot carry even as references (most C0 controls: a Word line
/// break U+000B, ESC...), and how many were left out, for the writer's warning.
pub(crate) fn drop_invalid_xml_chars(s: &str) -> (Cow<'_, str>, u64) {
    if s.chars().all(is_xml_char) {
        return (Cow::Borrowed(s), 0);
    }
    let dropped = s.chars().filter(|&c| !is_xml_char(c)).count() as u64;
    (
        Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect()),
        dropped,
    )
}

pub(crate) fn push_attr(s: &mut String, key: &str, value: &str) {
    s.push(' ');
    s.push_str(key);
    s.push_str("=\"");
    for c in value.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            // Attribute-value normalisation would turn these into spaces; references keep them.
            '\t' => s.push_str("&#x9;"),
            '\n' => s.push_str("&#xA;"),
            '\r' => s.push_str("&#xD;"),
            c => s.push(c),
        }
    }
    s.push('"');
}

/// Escapes text content. A carriage return is written as a reference because XML parsers turn a literal
/// CR LF into LF, and segment text must come back byte for byte.
pub(crate) fn escape_text_into(text: &str, s: &mut String) {
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '\r' => s.push_str("&#xD;"),
            c => s.push(c),
        }
    }
}
