//! Sentence splitting for Arabic and English text.
//!
//! A sentence ends at `.`, `!`, `?`, `؟`, `…` or a line end, with any closing quotes and brackets that
//! follow it, when what comes next starts a new sentence (a space, then anything but a lower-case Latin
//! letter). It does not end at the dot of a number (`3.5`), of an English abbreviation (`Mr.`, `Gen.`,
//! `U.S.`, `Jan.`, `No.`), of a single initial (`J. Smith`), or of an Arabic abbreviation made of one
//! letter (`د. أحمد`, `م. سمير`), which Unicode's default sentence rules would split. A blank line is
//! always a boundary (paragraphs).
//!
//! ```
//! use tm::segment::sentences;
//! let text = "قال د. أحمد إن 3.5 مليون نزحوا. وأضاف: «الوضع صعب»! Gen. Smith left the U.S. Army.";
//! assert_eq!(
//!     sentences(text),
//!     ["قال د. أحمد إن 3.5 مليون نزحوا.", "وأضاف: «الوضع صعب»!", "Gen. Smith left the U.S. Army."]
//! );
//! ```

/// English abbreviations after which a dot does not end a sentence (compared case-insensitively).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "cpt", "sgt", "adm", "gov",
    "sen", "rep", "st", "mt", "no", "nos", "vol", "vs", "etc", "inc", "ltd", "co", "corp", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "u.n", "e.g", "i.e", "approx", "dept", "est", "fig", "jr", "sr",
];

/// Characters that end a sentence.
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔')
}

/// Closing quotes and brackets that stay with the sentence before them.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '}' | '›')
}

/// The sentences of each paragraph of `text` (paragraphs are separated by blank lines); paragraphs
/// without a sentence are dropped.
///
/// ```
/// use tm::segment::paragraphs;
/// let text = "الفقرة الأولى. جملة ثانية.\n\n  \n\nالفقرة الثانية.";
/// assert_eq!(paragraphs(text), [vec!["الفقرة الأولى.", "جملة ثانية."], vec!["الفقرة الثانية."]]);
/// ```
pub fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(sentences(&current));
                current.clear();
            }
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.is_empty() {
        out.push(sentences(&current));
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The sentences of `text`, trimmed, in order; empty ones are dropped.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n").flat_map(|p| p.split("\r\n\r\n")) {
        for line in paragraph.lines() {
            split_line(line, &mut out);
        }
    }
    out
}

fn split_line(line: &str, out: &mut Vec<String>) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if !is_terminal(c) {
            i += 1;
            continue;
        }
        // Take the whole run of terminals and closers: "?!", "...", ".»".
        let mut j = i + 1;
        while j < chars.len() && (is_terminal(chars[j].1) || is_closer(chars[j].1)) {
            j += 1;
        }
        let at_end = j == chars.len();
        let followed_by_space = !at_end && chars[j].1.is_whitespace();
        if (at_end || followed_by_space) && !(c == '.' && j == i + 1 && is_abbreviation(&chars, i))
        {
            let next_word = chars[j..].iter().map(|p| p.1).find(|c| !c.is_whitespace());
            if !next_word.is_some_and(|c| c.is_lowercase()) {
                let end = chars.get(j).map_or(line.len(), |p| p.0);
                push(out, &line[start..end]);
                start = end;
            }
        }
        i = j;
    }
    push(out, &line[start..]);
}

/// Whether the dot at `i` closes an abbreviation, an initial or a one-letter Arabic abbreviation.
fn is_abbreviation(chars: &[(usize, char)], i: usize) -> bool {
    let word: String = chars[..i]
        .iter()
        .rev()
        .map(|p| p.1)
        .take_while(|c| !c.is_whitespace() && !matches!(c, '(' | '«' | '"' | '“'))
        .collect::<Vec<char>>()
        .into_iter()
        .rev()
        .collect();
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 1 {
        // J. Smith; د. أحمد
        return true;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
        || (word.contains('.') && word.split('.').all(|p| p.chars().count() <= 1))
}

fn push(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_sentences_and_questions() {
        assert_eq!(
            sentences("اجتمع القادة في بغداد. هل قرروا القتال؟ نعم!"),
            ["اجتمع القادة في بغداد.", "هل قرروا القتال؟", "نعم!"]
        );
    }

    #[test]
    fn numbers_abbreviations_and_initials_do_not_split() {
        assert_eq!(
            sentences("وصل 1,000 مقاتل، أي 3.5% من القوة. قال م. سمير ذلك."),
            ["وصل 1,000 مقاتل، أي 3.5% من القوة.", "قال م. سمير ذلك."]
        );
        assert_eq!(
            sentences("Mr. Smith met Gen. Jones in the U.S. on Jan. 5. They agreed."),
            [
                "Mr. Smith met Gen. Jones in the U.S. on Jan. 5.",
                "They agreed."
            ]
        );
        assert_eq!(sentences("J. R. Smith spoke."), ["J. R. Smith spoke."]);
    }

    #[test]
    fn closing_quotes_stay_and_paragraphs_split() {
        assert_eq!(
            sentences("قال: «سنرد على العدوان.» وأضاف أن الرد قريب\n\nفقرة ثانية"),
            [
                "قال: «سنرد على العدوان.»",
                "وأضاف أن الرد قريب",
                "فقرة ثانية"
            ]
        );
    }

    #[test]
    fn a_lower_case_word_after_a_dot_continues_the_sentence() {
        assert_eq!(
            sentences("the approx. value and more"),
            ["the approx. value and more"]
        );
        assert_eq!(sentences("wait... and then"), ["wait... and then"]);
    }

    use proptest::prelude::*;

    fn non_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// Text made of what the splitter looks at: terminals, closers, abbreviations, initials, numbers,
    /// line breaks and blank lines, between Arabic and English words.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = vec![
            "قال", "د.", "م.", "أحمد", "3.5", "1,000", "Mr.", "U.S.", "Gen.", "J.", "smith",
            "Smith", ".", "!", "?", "؟", "…", "۔", "...", "?!", "»", "«", "\"", "”", "’", ")", "(",
            "]", " ", " ", "  ", "\t", "\n", "\r\n", "\n\n", "\r\n\r\n", "\u{2028}", "\u{00A0}",
            "\u{200F}", "\u{0651}", "👍🏽", "e.g.", "approx.", "ـ",
        ];
        prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Splitting only cuts at whitespace and trims it: every other character is kept, in order.
        #[test]
        fn prop_no_text_is_lost(text in tricky_text()) {
            let out = sentences(&text);
            prop_assert_eq!(non_space(&out.concat()), non_space(&text));
            for s in &out {
                prop_assert!(!s.is_empty() && s.trim() == s);
            }
        }

        #[test]
        fn prop_no_text_is_lost_from_any_string(text in any::<String>()) {
            prop_assert_eq!(non_space(&sentences(&text).concat()), non_space(&text));
        }
    }
}
