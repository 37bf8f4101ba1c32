//! Suggestions: the stored English with the query's numbers and months put in.
//!
//! When a query differs from a stored segment only in a number (`٢٤` for `23`) or a month (`تشرين الأول`
//! for `أيلول`), the stored translation is right but for that detail. `suggest` substitutes it into the
//! English: a number that occurs in the target as a whole number exactly once is replaced by the query's; a
//! month named in the target in English is replaced by the query month's English name. Anything it cannot
//! place unambiguously is left alone, and the caller is told.

use super::score::Edit;
use crate::text::words::ENGLISH_MONTHS;
use crate::text::Token;

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
pub(crate) fn months(tokens: &[Token]) -> Vec<u8> {
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

/// What became of the numbers and months in which a query and a stored segment differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Numbers {
    /// They pair one to one and each was put into the English.
    Substituted,
    /// They could not be paired with certainty (counts differ, or a stored one is not in the English
    /// exactly once): the stored English is kept as it is.
    Unresolved,
}

/// The result of putting the query's numbers and months into a stored translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suggestion {
    /// The target with substitutions, if anything was substituted.
    pub text: Option<String>,
    /// Every difference between query and source was a number or a month, and each was substituted.
    pub only_numbers: bool,
    /// `None` when the query and the stored segment have the same numbers and months.
    pub numbers: Option<Numbers>,
}

/// Substitutes the query's numbers and months into `target`, following the alignment `edits` of the
/// query's `q` tokens against the stored source's `s` tokens.
///
/// A suggestion never holds a number the query does not have and the stored English did not have: the
/// query's numbers pair with the stored ones only when both have the same count, in order, and each
/// stored number that changes is in the English exactly once as a whole number; months likewise by
/// name. Otherwise nothing is substituted (all or nothing: a half-changed date is worse than none), and
/// the suggestion says the numbers are unresolved.
pub(crate) fn suggest(q: &[Token], s: &[Token], edits: &[Edit], target: &str) -> Suggestion {
    let (qn, sn): (Vec<&str>, Vec<&str>) = (
        q.iter().filter_map(Token::number).collect(),
        s.iter().filter_map(Token::number).collect(),
    );
    let (qm, sm) = (months(q), months(s));
    let other_differences = edits.iter().any(|e| match *e {
        Edit::Same { .. } => false,
        Edit::Variant { q: qi, s: si } | Edit::Replace { q: qi, s: si } => {
            !(detail(&q[qi]) && detail(&s[si]))
        }
        Edit::SourceOnly { s: si } => !detail(&s[si]),
        Edit::QueryOnly { q: qi } => !detail(&q[qi]),
    });
    if qn == sn && qm == sm {
        return Suggestion {
            text: None,
            only_numbers: false,
            numbers: None,
        };
    }
    let unresolved = Suggestion {
        text: None,
        only_numbers: false,
        numbers: Some(Numbers::Unresolved),
    };
    if qn.len() != sn.len() || qm.len() != sm.len() {
        return unresolved;
    }
    // Every replacement found in the original English first, then made at once: 23 → 24 and 24 → 25
    // must not turn the first into 25.
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (&new, &old) in qn.iter().zip(&sn) {
        if new == old {
            continue;
        }
        match the_one(&number_positions(target, old)) {
            Some(at) => replacements.push((at, old.len(), new.to_string())),
            None => return unresolved,
        }
    }
    for (&new, &old) in qm.iter().zip(&sm) {
        if new == old {
            continue;
        }
        let old_name = ENGLISH_MONTHS[old as usize - 1];
        match the_one(&word_positions(target, old_name)) {
            Some(at) => replacements.push((
                at,
                old_name.len(),
                ENGLISH_MONTHS[new as usize - 1].to_string(),
            )),
            None => return unresolved,
        }
    }
    replacements.sort_unstable_by_key(|r| r.0);
    if replacements.windows(2).any(|w| w[0].0 + w[0].1 > w[1].0) {
        return unresolved;
    }
    let mut text = String::with_capacity(target.len() + 8);
    let mut from = 0;
    for (at, len, new) in &replacements {
        text.push_str(&target[from..*at]);
        text.push_str(new);
        from = at + len;
    }
    text.push_str(&target[from..]);
    let changed = !replacements.is_empty();
    Suggestion {
        only_numbers: changed && !other_differences,
        text: changed.then_some(text),
        numbers: Some(Numbers::Substituted),
    }
}

/// A number, or a word of a month's name (تشرين, الأول): the details a suggestion may change.
fn detail(t: &Token) -> bool {
    t.number().is_some()
        || !months(std::slice::from_ref(t)).is_empty()
        || matches!(t.norm.as_str(), "تشرين" | "كانون" | "الاول" | "الثاني")
}

fn the_one(positions: &[usize]) -> Option<usize> {
    match positions {
        [one] => Some(*one),
        _ => None,
    }
}

/// Where `number` stands in `text` as a whole number (not inside 1,234 or 3.5).
fn number_positions(text: &str, number: &str) -> Vec<usize> {
    let is_num = |c: char| c.is_ascii_digit();
    text.match_indices(number)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + number.len()..].chars().next();
            !before.is_some_and(|c| {
                is_num(c)
                    || ((c == '.' || c == ',')
                        && text[..i].len() > 1
                        && text[..i - 1].ends_with(is_num))
            }) && !after.is_some_and(|c| {
                is_num(c)
                    || ((c == '.' || c == ',') && text[i + number.len() + 1..].starts_with(is_num))
            })
        })
        .collect()
}

/// Where `word` stands in `text` as a whole word.
fn word_positions(text: &str, word: &str) -> Vec<usize> {
    text.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[i + word.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzzy::score::edits;
    use crate::store::WordKey;
    use crate::text::tokenize;
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
        let (_, edits) = edits(&qk, &sk);
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
        assert_eq!(number_positions("129 and 1,129 and 3.129", "129"), [0]);
        assert_eq!(number_positions("23 of 23", "23"), [0, 6], "ambiguous");
        let s = run("أطلق 136 صاروخا", "أطلق 129 صاروخا", "129 of 1,129 rockets");
        assert_eq!(s.text.as_deref(), Some("136 of 1,129 rockets"));
    }

    /// Issue 16's case: the stored segment has three numbers, the query two. Nothing is put in, and the
    /// match says so.
    #[test]
    fn numbers_that_do_not_pair_one_to_one_are_left_alone_and_marked() {
        let s = run(
            "في 30 أكتوبر 2025، نشر مصدران إعلاميان عربيان تقارير عن الهجوم.",
            "في 23 و24 سبتمبر 2024، نشر مصدران إعلاميان عربيان تقارير عن الهجوم.",
            "On September 23 and 24, 2024, two Arab media sources published reports on the attack.",
        );
        assert_eq!(s.text, None);
        assert!(!s.only_numbers);
        assert_eq!(s.numbers, Some(Numbers::Unresolved));
        // A stored number twice in the English cannot be told apart.
        let s = run(
            "قتل 24 وأصيب 5",
            "قتل 23 وأصيب 5",
            "23 killed, 5 wounded; 23 of them",
        );
        assert_eq!((s.text, s.numbers), (None, Some(Numbers::Unresolved)));
        // Swapped values are put in at once, not one after the other.
        let s = run("بين 24 و25", "بين 23 و24", "between 23 and 24");
        assert_eq!(s.text.as_deref(), Some("between 24 and 25"));
        assert_eq!(s.numbers, Some(Numbers::Substituted));
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
                only_numbers: false,
                numbers: None,
            }
        );
    }
}
