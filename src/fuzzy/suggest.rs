//! Suggestions: the stored English with the query's numbers and months put in.
//!
//! When a query differs from a stored segment only in a number (`٢٤` for `23`) or a month (`تشرين الأول`
//! for `أيلول`), the stored translation is right but for that detail. [`suggest`] substitutes it into the
//! English: a number that occurs in the target as a whole number exactly once is replaced by the query's; a
//! month named in the target in English is replaced by the query month's English name. Anything it cannot
//! place unambiguously is left alone, and the caller is told.

use super::score::Edit;
use super::tokens::Token;

/// English month names, January first.
pub(crate) const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Arabic month names in their matching form (alef and ta marbuta folded), with their number: the names
/// used in Egypt and the Gulf and the Levantine names used in Iraq, Syria and Lebanon (two-word Levantine
/// names are in [`two_word_month`]).
const ARABIC_MONTHS: [(&str, u8); 22] = [
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("ابريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونيه", 6),
    ("يوليو", 7),
    ("يوليه", 7),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
    ("شباط", 2),
    ("اذار", 3),
    ("نيسان", 4),
    ("ايار", 5),
    ("حزيران", 6),
    ("تموز", 7),
    ("اب", 8),
    ("ايلول", 9),
];

/// Two-word Levantine months: تشرين الأول/الثاني, كانون الأول/الثاني.
fn two_word_month(first: &str, second: &str) -> Option<u8> {
    let second = second.strip_prefix('و').unwrap_or(second);
    match (first, second) {
        ("تشرين", "الاول") => Some(10),
        ("تشرين", "الثاني") => Some(11),
        ("كانون", "الاول") => Some(12),
        ("كانون", "الثاني") => Some(1),
        _ => None,
    }
}

/// The months a segment names, in order.
pub fn months(tokens: &[Token]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let word = tokens[i].norm.as_str();
        if let Some(m) = tokens
            .get(i + 1)
            .and_then(|t| two_word_month(word, &t.norm))
        {
            out.push(m);
            i += 2;
            continue;
        }
        // A glued preposition or conjunction: في أيلول, وأيلول, بأيلول.
        let bare = ["و", "ب", "ف", "ل"]
            .iter()
            .find_map(|p| word.strip_prefix(p).filter(|rest| rest.chars().count() > 2))
            .into_iter()
            .chain([word]);
        for w in bare {
            if let Some(&(_, m)) = ARABIC_MONTHS.iter().find(|(name, _)| *name == w) {
                out.push(m);
                break;
            }
        }
        i += 1;
    }
    out
}

/// The result of putting the query's numbers and months into a stored translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The target with substitutions, if anything was substituted.
    pub text: Option<String>,
    /// Every difference between query and source was a number or a month, and each was substituted.
    pub only_numbers: bool,
}

/// Substitutes the query's numbers and months into `target`, following the alignment `edits` of the
/// query's `q` tokens against the stored source's `s` tokens.
pub fn suggest(q: &[Token], s: &[Token], edits: &[Edit], target: &str) -> Suggestion {
    let mut text = target.to_string();
    let mut changed = false;
    let mut other_differences = false;
    for e in edits {
        match *e {
            Edit::Same { .. } => {}
            Edit::Variant { q: qi, s: si } | Edit::Replace { q: qi, s: si } => {
                match (q[qi].number(), s[si].number()) {
                    (Some(new), Some(old)) if new != old => match replace_number(&text, old, new) {
                        Some(t) => {
                            text = t;
                            changed = true;
                        }
                        None => other_differences = true,
                    },
                    (Some(_), Some(_)) => {}
                    _ => other_differences = true,
                }
            }
            Edit::SourceOnly { .. } | Edit::QueryOnly { .. } => other_differences = true,
        }
    }
    // Months are matched by name, not through the alignment: a two-word month against a one-word month
    // does not align word for word.
    let (qm, sm) = (months(q), months(s));
    let mut months_substituted = true;
    if qm.len() == sm.len() && qm != sm {
        for (&new, &old) in qm.iter().zip(&sm) {
            if new == old {
                continue;
            }
            let (old_name, new_name) = (
                ENGLISH_MONTHS[old as usize - 1],
                ENGLISH_MONTHS[new as usize - 1],
            );
            match replace_word(&text, old_name, new_name) {
                Some(t) => {
                    text = t;
                    changed = true;
                }
                None => months_substituted = false,
            }
        }
        // The month words themselves were counted as other differences above; with the month
        // substituted, they are not, if nothing else differs.
        if months_substituted {
            other_differences = month_edits_only(q, s, edits, other_differences);
        }
    }
    Suggestion {
        only_numbers: changed && !other_differences && months_substituted,
        text: changed.then_some(text),
    }
}

/// Whether differences other than month words remain.
fn month_edits_only(q: &[Token], s: &[Token], edits: &[Edit], had_other: bool) -> bool {
    if !had_other {
        return false;
    }
    let is_month_word = |t: &Token| {
        !months(std::slice::from_ref(t)).is_empty()
            || matches!(t.norm.as_str(), "تشرين" | "كانون" | "الاول" | "الثاني")
    };
    edits.iter().any(|e| match *e {
        Edit::Same { .. } => false,
        Edit::Variant { q: qi, s: si } | Edit::Replace { q: qi, s: si } => {
            let numbers = q[qi].number().is_some() && s[si].number().is_some();
            let months = is_month_word(&q[qi]) && is_month_word(&s[si]);
            !(numbers || months)
        }
        Edit::SourceOnly { s: si } => !is_month_word(&s[si]),
        Edit::QueryOnly { q: qi } => !is_month_word(&q[qi]),
    })
}

/// Replaces the one whole-number occurrence of `old` in `text` by `new`; `None` unless exactly one.
fn replace_number(text: &str, old: &str, new: &str) -> Option<String> {
    let is_num = |c: char| c.is_ascii_digit();
    let hits: Vec<usize> = text
        .match_indices(old)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + old.len()..].chars().next();
            // Not inside a longer number (1,234 or 3.5 count as one number).
            !before.is_some_and(|c| {
                is_num(c)
                    || ((c == '.' || c == ',')
                        && text[..i].len() > 1
                        && text[..i - 1].ends_with(is_num))
            }) && !after.is_some_and(|c| {
                is_num(c)
                    || ((c == '.' || c == ',') && text[i + old.len() + 1..].starts_with(is_num))
            })
        })
        .collect();
    match hits.as_slice() {
        [i] => Some(format!("{}{new}{}", &text[..*i], &text[i + old.len()..])),
        _ => None,
    }
}

/// Replaces the one whole-word occurrence of `old` by `new`; `None` unless exactly one.
fn replace_word(text: &str, old: &str, new: &str) -> Option<String> {
    let hits: Vec<usize> = text
        .match_indices(old)
        .map(|(i, _)| i)
        .filter(|&i| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[i + old.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
        .collect();
    match hits.as_slice() {
        [i] => Some(format!("{}{new}{}", &text[..*i], &text[i + old.len()..])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzy::score::{align, WordKey};
    use crate::fuzzy::tokens::tokenize;
    use std::collections::HashMap;

    /// Aligns two Arabic texts with word ids made up on the spot (stems as the tokenizer gives them).
    fn run(query: &str, source: &str, target: &str) -> Suggestion {
        let (q, s) = (tokenize(query), tokenize(source));
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut key = |t: &Token| {
            let n = ids.len() as u32;
            let word = *ids.entry(t.norm.clone()).or_insert(n);
            let n = ids.len() as u32;
            let stem = *ids.entry(t.stem().to_string()).or_insert(n);
            WordKey { word, stem }
        };
        let qk: Vec<WordKey> = q.iter().map(&mut key).collect();
        let sk: Vec<WordKey> = s.iter().map(&mut key).collect();
        let (_, edits) = align(&qk, &sk);
        suggest(&q, &s, &edits, target)
    }

    #[test]
    fn a_changed_number_is_put_into_the_english() {
        let s = run(
            "أطلقت المقاومة ٢٤ طائرة مسيرة",
            "أطلقت المقاومة 23 طائرة مسيرة",
            "The resistance launched 23 drones",
        );
        assert_eq!(s.text.as_deref(), Some("The resistance launched 24 drones"));
        assert!(s.only_numbers);
    }

    #[test]
    fn numbers_inside_longer_numbers_are_not_touched() {
        assert_eq!(
            replace_number("129 and 1,129 and 3.129", "129", "136").as_deref(),
            Some("136 and 1,129 and 3.129")
        );
        assert_eq!(replace_number("23 of 23", "23", "24"), None, "ambiguous");
    }

    #[test]
    fn a_changed_month_is_put_into_the_english() {
        let s = run(
            "عقد الاجتماع في 23 تشرين الأول",
            "عقد الاجتماع في 23 أيلول",
            "The meeting was held on September 23",
        );
        assert_eq!(
            s.text.as_deref(),
            Some("The meeting was held on October 23")
        );
        assert!(s.only_numbers, "{s:?}");
        let s = run("في 5 سبتمبر", "في 5 أكتوبر", "on October 5");
        assert_eq!(s.text.as_deref(), Some("on September 5"));
    }

    #[test]
    fn other_differences_are_reported() {
        let s = run(
            "أطلقت المقاومة 24 صاروخا",
            "أطلقت المقاومة 23 طائرة مسيرة",
            "The resistance launched 23 drones",
        );
        assert_eq!(s.text.as_deref(), Some("The resistance launched 24 drones"));
        assert!(!s.only_numbers);
        let s = run(
            "اجتمع القادة في بغداد",
            "اجتمع القادة في دمشق",
            "Leaders met in Damascus",
        );
        assert_eq!(
            s,
            Suggestion {
                text: None,
                only_numbers: false
            }
        );
    }
}
