//! Text from data made safe to print on a terminal.
//!
//! A memory holds whatever a TMX from a stranger put in it, and a terminal obeys what it is sent: an
//! `ESC ] 52` sequence writes the clipboard, `ESC [ 2J` clears the screen, an OSC 8 sequence makes a
//! link, U+202E turns the rest of the line around. Every text that comes from data and is printed for a
//! person goes through [`clean`]; JSON, TSV, TMX and files keep the exact text.
//!
//! Each unsafe character becomes one space, so character positions (the spans of a diff) still hold.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal from data: C0 and C1 controls (ESC among them) and DEL; the
/// bidi embeddings, overrides and isolates, which would reorder the tool's own text around them; and
/// the line and paragraph separators. The bidi marks (LRM, RLM, ALM) stay: they only nudge.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

/// `s` with every unsafe character replaced by a space; borrowed when there is none.
pub fn clean(s: &str) -> Cow<'_, str> {
    replace_where(s, is_unsafe)
}

/// [`clean`] for a whole text laid out in lines and columns (a TSV or XML file shown on a terminal):
/// line breaks and tabs stay.
pub fn clean_keeping_lines(s: &str) -> Cow<'_, str> {
    replace_where(s, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

fn replace_where(s: &str, unsafe_here: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_here) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if unsafe_here(c) { ' ' } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_overrides_become_spaces() {
        let hostile =
            "حزب الله\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}[2J\u{9b}31m\u{202e}Hizbullah\u{2066}\r\n";
        let cleaned = clean(hostile);
        assert!(!cleaned.chars().any(is_unsafe), "{cleaned:?}");
        assert_eq!(cleaned.chars().count(), hostile.chars().count());
        assert!(cleaned.starts_with("حزب الله ]52;c;aGVsbG8= "));
    }

    #[test]
    fn ordinary_text_is_borrowed_and_marks_stay() {
        let text = "\u{200f}دير الزور\u{200e} Deir Al-Zour — Asa'ib Ahl Al-Haq";
        assert!(matches!(clean(text), Cow::Borrowed(_)));
    }
}
