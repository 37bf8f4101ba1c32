//! Words for matching: where they are in the original text, their matching form, their stem.
//!
//! Segmentation follows Unicode's word boundaries (UAX #29) on the original text, so every token keeps the
//! byte span a diff can point at; each word is then folded with [`crate::normalize::normalize`].
//! Punctuation is not a token. A number (`129`, `٢٤`, `3.5`, `1,000`, also `و3` with a glued conjunction)
//! is flagged, so that a number for a number costs less and can be substituted into a suggestion.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

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
    for (start, piece) in text.split_word_bound_indices() {
        if !piece.chars().any(char::is_alphanumeric) {
            continue;
        }
        let norm = normalize(piece);
        let span = start..start + piece.len();
        if !norm.contains(' ') {
            // A piece of tatweel or bidi marks alone folds to nothing.
            if !norm.is_empty() {
                out.push(Token { norm, span });
            }
            continue;
        }
        // NFKC can expand one character into words (ﷺ): each is a token over the same span.
        for part in norm.split(' ').filter(|p| !p.is_empty()) {
            out.push(Token {
                norm: part.to_string(),
                span: span.clone(),
            });
        }
    }
    out
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
        let tokens = tokenize("أطلقت ٢٤ طائرة و3.5 مليون 1,000 شاهد-129");
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
    fn stems_drop_proclitics_and_the_article() {
        let stems: Vec<String> = tokenize("والمقاومة بالمقاومة للمقاومة المقاومة")
            .iter()
            .map(|t| t.stem().to_string())
            .collect();
        assert_eq!(stems, ["مقاومه"; 4]);
    }
}
