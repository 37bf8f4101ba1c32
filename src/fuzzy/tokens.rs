//! Words for matching: where they are in the original text, their matching form, their stem.
//!
//! A word is a run of letters and digits in the original text (harakat, tatweel, zero-width joiners and
//! bidi marks inside it belong to it), so every token keeps the byte span a diff can point at; each word is
//! then folded with [`crate::normalize::normalize`]. A `.` or `,` between digits and an apostrophe between
//! letters stay inside the word (`3.5`, `1,000`, `Qa'im`); any other punctuation, a hyphen or a space ends
//! it, and is not a token. (Unicode's word boundaries, UAX #29, give nearly the same words but cost a third
//! of an import's parsing time; this runs on every unit imported and every query.) A number (`129`, `٢٤`, `3.5`, `1,000`, also `و3` with a glued conjunction)
//! is flagged, so that a number for a number costs less and can be substituted into a suggestion.

use std::ops::Range;

use crate::normalize::{normalize, strip_clitics};

/// The stem every number shares in the index: a changed number still finds its segment.
pub const NUMBER_STEM: &str = "#";

/// One word of a segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The matching form (harakat, tatweel, letter forms folded; digits ASCII; Latin lower-cased).
    pub norm: String,
    /// Byte range of the word in the original text.
    pub span: Range<usize>,
}

impl Token {
    /// The number this token holds (`3.5` from `و3.5`), if it is one.
    pub fn number(&self) -> Option<&str> {
        number_of(&self.norm)
    }

    /// What the index files this word under: its stem with proclitics and article removed, or
    /// [`NUMBER_STEM`] for a number.
    pub fn stem(&self) -> &str {
        stem_of(&self.norm)
    }
}

/// The words of `text`, in order.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut start: Option<usize> = None;
    let mut end = 0;
    // The last letter or digit of the current word, for the joiner rules.
    let mut last: char = ' ';
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match class(c) {
            Class::Word => {
                start.get_or_insert(i);
                end = i + c.len_utf8();
                last = c;
                continue;
            }
            Class::Extend if start.is_some() => {
                end = i + c.len_utf8();
                continue;
            }
            Class::Extend => continue,
            Class::Other => {
                let next = chars.peek().map_or(' ', |p| p.1);
                let joins = start.is_some()
                    && match c {
                        '.' | ',' | '\u{066B}' | '\u{066C}' => is_digit(last) && is_digit(next),
                        '\'' | '\u{2019}' => last.is_alphabetic() && next.is_alphabetic(),
                        _ => false,
                    };
                if joins {
                    continue;
                }
            }
        }
        if let Some(s) = start.take() {
            push_word(&mut out, text, s..end);
        }
    }
    if let Some(s) = start {
        push_word(&mut out, text, s..end);
    }
    out
}

enum Class {
    /// A letter or digit.
    Word,
    /// Belongs to the word it is in: harakat and Quranic marks, zero-width (non-)joiners, bidi marks.
    Extend,
    Other,
}

#[inline]
fn class(c: char) -> Class {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Word,
        '\0'..='\u{7F}' => Class::Other,
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0610}'..='\u{061A}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Class::Extend,
        // Arabic letters (tatweel included) and digits: the common case, without the table look-up.
        '\u{0621}'..='\u{064A}' | '\u{0660}'..='\u{0669}' | '\u{0671}'..='\u{06D3}' => Class::Word,
        c if c.is_alphanumeric() => Class::Word,
        c if is_mark(c) => Class::Extend,
        _ => Class::Other,
    }
}

/// Combining marks outside the Arabic block (rare): a general-category test without a Unicode table
/// crate, for the blocks that hold them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{08D3}'..='\u{08FF}')
}

/// An ASCII, Arabic-Indic or Eastern Arabic-Indic digit.
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

fn push_word(out: &mut Vec<Token>, text: &str, span: std::ops::Range<usize>) {
    let norm = normalize(&text[span.clone()]);
    if !norm.contains(' ') {
        // A run of marks alone folds to nothing.
        if !norm.is_empty() {
            out.push(Token { norm, span });
        }
        return;
    }
    // NFKC can expand one character into words (ﷺ): each is a token over the same span.
    for part in norm.split(' ').filter(|p| !p.is_empty()) {
        out.push(Token {
            norm: part.to_string(),
            span: span.clone(),
        });
    }
}

/// The number held by a normalized token, allowing one glued proclitic (و ف ب ل ك) before it.
pub fn number_of(norm: &str) -> Option<&str> {
    let digits = match norm.chars().next() {
        Some('و' | 'ف' | 'ب' | 'ل' | 'ك') => &norm[2..],
        _ => norm,
    };
    let mut chars = digits.chars();
    let first_is_digit = chars.next().is_some_and(|c| c.is_ascii_digit());
    (first_is_digit
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ','))
    .then_some(digits)
}

/// The index key of a normalized token: see [`Token::stem`].
pub fn stem_of(norm: &str) -> &str {
    if number_of(norm).is_some() {
        NUMBER_STEM
    } else {
        strip_clitics(norm).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_are_folded_and_punctuation_dropped() {
        assert_eq!(
            norms("حـــزبُ الله، و«المقاومة» (قال)؟"),
            ["حزب", "الله", "و", "المقاومه", "قال"]
        );
        assert_eq!(norms("ﺣﺰﺏ ﷲ"), ["حزب", "الله"]);
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "أعلنت «كتائب حزب الله»";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[0].span.clone()], "أعلنت");
        assert_eq!(&text[tokens[1].span.clone()], "كتائب");
        assert_eq!(tokens[1].norm, "كتايب");
    }

    #[test]
    fn numbers_in_any_digits_and_with_a_glued_conjunction() {
        let tokens = tokenize("أطلقت ٢٤ طائرة و3.5 مليون 1,000 شاهد-129.");
        let numbers: Vec<Option<&str>> = tokens.iter().map(Token::number).collect();
        assert_eq!(
            numbers,
            [
                None,
                Some("24"),
                None,
                Some("3.5"),
                None,
                Some("1,000"),
                None,
                Some("129")
            ]
        );
        assert_eq!(tokens[1].stem(), NUMBER_STEM);
    }

    #[test]
    fn apostrophes_join_letters_and_separators_split() {
        assert_eq!(
            norms("Al-Qa'im, Asa’ib (U.S.)"),
            ["al", "qa'im", "asa'ib", "u", "s"]
        );
        assert_eq!(norms("٣٫٥ ١٬٠٠٠ 1,000. ,5"), ["3.5", "1,000", "1,000", "5"]);
        assert_eq!(norms("مُحَمَّدٌ\u{200F}، ‌"), ["محمد"]);
    }

    #[test]
    fn stems_drop_proclitics_and_the_article() {
        let stems: Vec<String> = tokenize("والمقاومة بالمقاومة للمقاومة المقاومة")
            .iter()
            .map(|t| t.stem().to_string())
            .collect();
        assert_eq!(stems, ["مقاومه"; 4]);
    }
}
