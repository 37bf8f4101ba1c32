//! Arabic proclitics: the conjunctions و ف, the prepositions ب ك ل and the article ال glued to a word.
//!
//! Two questions, two functions. [`strip_clitics`] finds the one stem the index files a word under
//! (والمقاومة and المقاومة meet on مقاومه); [`without_proclitics`] gives every reading of a word with its
//! leading clitics off, for the places that look a word up in a list of known words (the name spotter,
//! concordance's first word).
//!
//! ```
//! use tm::text::{normalize, strip_clitics};
//!
//! assert_eq!(strip_clitics(&normalize("بالمقاومة")), ("بال", "مقاومه"));
//! ```

use std::borrow::Cow;

/// A word (in matching form) and the forms it has without a leading conjunction (و ف) and preposition
/// (ب ك ل), the word itself first; ل before the article is written لل, so للX is also read as ال + X.
/// Unlike [`strip_clitics`], which finds the one stem the index files a word under, these are every
/// reading: what a name's first word (the spotter) or a phrase's first word (concordance) may be.
pub fn without_proclitics(word: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let long_enough = |s: &str| s.chars().nth(1).is_some();
    // Spotting looks at every word of a text: the forms stay on the stack, but for the rare لل.
    let mut forms: [Option<&str>; 3] = [Some(word), None, None];
    let mut article = None;
    let mut rest = word;
    if let Some(r) = rest.strip_prefix(['و', 'ف']).filter(|r| long_enough(r)) {
        forms[1] = Some(r);
        rest = r;
    }
    if let Some(r) = rest
        .strip_prefix(['ب', 'ك', 'ل'])
        .filter(|r| long_enough(r))
    {
        forms[2] = Some(r);
        if rest.starts_with('ل') && r.starts_with('ل') {
            article = Some(format!("ا{r}"));
        }
    }
    (forms.into_iter().flatten().map(Cow::Borrowed)).chain(article.map(Cow::Owned))
}

const WAW: char = 'و';
const FEH: char = 'ف';
const BEH: char = 'ب';
const KAF: char = 'ك';
const LAM: char = 'ل';
const ARTICLE: &str = "ال";

/// Stems that are never cut further, and that win over any other split:
/// frequent news words whose first letters look like proclitics. Entries
/// are prefixes in [`normalize`](super::normalize)d form (a test checks that), so "لبنان"
/// also covers لبناني, لبنانيه. A split whose stem starts with one of them
/// is taken even where the bare-proclitic rules would not allow it, so
/// بلبنان → ب + لبنان, للبنان → ل + لبنان, والله → و + الله.
const PROTECTED: &[&str] = &[
    // The name of God: never ال + له (الله, اللهم).
    "الله",
    // ل…
    "لبنان",
    "ليبي",
    "لندن",
    "لاجي",
    "لقاء",
    "لكن",
    "لدينا",
    // ب…
    "بيروت",
    "بغداد",
    // و…
    "وزير",
    "وزار",
    "وزرا",
    "وكال",
    "ولاي",
    "واشنطن",
    "وطن",
    "وفق",
    "واقع",
    "وجود",
    "وسط",
    "وسايل",
    "وثيق",
    "وحده",
    "وحدات",
    "وليد",
];

/// The particle أن/إن and its forms with a pronoun, in matching form: short words that take proclitics
/// (rule 7 of [`strip_clitics`]).
const PARTICLES: &[&str] = &[
    "ان",
    "انه",
    "انها",
    "انهم",
    "انهما",
    "انهن",
    "اننا",
    "انني",
    "اني",
    "انك",
    "انكم",
];

fn is_protected(stem: &str) -> bool {
    PROTECTED.iter().any(|p| stem.starts_with(p))
}

/// Splits the proclitics off a [`normalize`](super::normalize)d Arabic token and returns
/// `(proclitics, stem)`, with `proclitics + stem == token`.
///
/// Proclitics are, in this order: the conjunction و or ف, one preposition
/// ب, ك or ل, and the article ال (after ل the article's alef is not
/// written: للمقاومة = ل + ال + مقاومة, returned as "لل").
///
/// The rules, after Larkey et al.'s light10 stemmer (which strips و if at
/// least 3 letters remain, and ال وال بال كال فال لل if at least 2 remain)
/// and tightened for news vocabulary:
///
/// 1. **Article.** Any chain ending in the article (ال وال فال بال كال لل
///    ولل فلل وبال …) is stripped if the stem keeps at least 2 letters.
/// 2. **Bare و** (no article) is stripped if at least 3 letters remain:
///    وحزب → و + حزب, but ولد stays.
/// 3. **Bare ل** is stripped if at least 4 letters remain: لكتايب →
///    ل + كتايب, but لجنه (committee) and لحزب stay.
/// 4. **Bare ف, ب, ك** are never stripped on their own (only before the
///    article), as in light10: too many news words start with them
///    (فلسطين, فرنسا, بيروت, بريطانيا, كتايب, كانت).
/// 5. Without the article, a stem may not start with ال: والد (father) is
///    not و + الد. With rules 1–3 this means that a word of 3 letters or
///    fewer is never cut (ولد, بال, الم stay whole).
/// 6. **Protected stems** (see `PROTECTED`: الله, لبنان, وزير, …) are never
///    cut and win over the rules above: الله → ("", "الله"),
///    بالله → ("ب", "الله"), بلبنان → ("ب", "لبنان").
///
/// 7. **Particles.** The particle أن/إن and its forms with a pronoun (أنه,
///    إنها, أنهم …: `PARTICLES`) take one proclitic و ف ب ل, or و with ب or
///    ل, however short they are: بأن, لأن, فإن, وإن, لأنه, ولأن all have the
///    stem ان or انه. Not after ك, because كأن folds onto كان ("was"), which
///    must stay a word of its own, and not after فل (فلان, "so-and-so").
///
/// Of the splits that qualify the longest is taken.
///
/// Known failures (avoiding them needs a dictionary):
/// * a word that really starts with و + 3 letters loses the و unless it is
///   protected: وصول (arrival) → و + صول, وليمه → و + ليمه;
/// * a word that really starts with وال/ال loses it: والده (his father) →
///   وال + ده, and after alef folding آلاف → الاف → ال + اف;
/// * ل + a name starting with ل is read as ل + ال unless the name is
///   protected: للبنان → ل + لبنان (protected), but للاهاي → لل + اهاي;
/// * bare ب, ك, ف are never split and bare ل only before 4 or more
///   letters, so بحزب and لحزب do not share a stem with حزب (وحزب does);
/// * a protected prefix can block a real split: وسطح (and a roof),
///   اللهب (the flame).
///
/// Callers that can afford it should index both the whole token and the
/// stem.
///
/// ```
/// use tm::text::{normalize, strip_clitics};
/// assert_eq!(strip_clitics(&normalize("والمقاومة")), ("وال", "مقاومه"));
/// assert_eq!(strip_clitics(&normalize("للمقاومة")), ("لل", "مقاومه"));
/// assert_eq!(strip_clitics("الله"), ("", "الله"));
/// assert_eq!(strip_clitics("والد"), ("", "والد"));
/// ```
pub fn strip_clitics(token: &str) -> (&str, &str) {
    let whole = ("", token);
    match token.chars().next() {
        Some(WAW | FEH | BEH | KAF | LAM | 'ا') => {}
        _ => return whole,
    }

    // Longest qualifying split, and longest split onto a protected stem.
    let mut best = 0usize;
    let mut best_protected: Option<usize> = if is_protected(token) { Some(0) } else { None };

    let conj = match token.chars().next() {
        Some(c @ (WAW | FEH)) => Some(c),
        _ => None,
    };
    for conj in absent_or(conj) {
        let after_conj = conj.map_or(0, char::len_utf8);
        let prep = match token[after_conj..].chars().next() {
            Some(c @ (BEH | KAF | LAM)) => Some(c),
            _ => None,
        };
        for prep in absent_or(prep) {
            let after_prep = after_conj + prep.map_or(0, char::len_utf8);
            let rest = &token[after_prep..];
            // The article: ال, or after ل just the second ل of لل.
            let article = if rest.starts_with(ARTICLE) {
                Some(ARTICLE.len())
            } else if prep == Some(LAM) && rest.starts_with(LAM) {
                Some(LAM.len_utf8())
            } else {
                None
            };
            for article in absent_or(article) {
                let cut = after_prep + article.unwrap_or(0);
                let stem = &token[cut..];
                if cut == 0 || stem.is_empty() {
                    continue;
                }
                if is_protected(stem) {
                    if best_protected.is_none_or(|b| cut > b) {
                        best_protected = Some(cut);
                    }
                } else if cut > best && qualifies(conj, prep, article.is_some(), stem) {
                    best = cut;
                }
            }
        }
    }
    let cut = best_protected.unwrap_or(best);
    (&token[..cut], &token[cut..])
}

/// `None`, then `x` if it is present: the options for one optional slot.
fn absent_or<T: Copy>(x: Option<T>) -> impl Iterator<Item = Option<T>> {
    std::iter::once(None).chain(x.map(Some))
}

/// Rules 1–5 of [`strip_clitics`] for one candidate split.
fn qualifies(conj: Option<char>, prep: Option<char>, article: bool, stem: &str) -> bool {
    let letters = stem.chars().count();
    if article {
        return letters >= 2;
    }
    if stem.starts_with(ARTICLE) {
        return false;
    }
    if PARTICLES.contains(&stem) {
        return matches!(
            (conj, prep),
            (Some(WAW | FEH), None) | (None | Some(WAW), Some(BEH | LAM))
        );
    }
    match (conj, prep) {
        (Some(WAW), None) => letters >= 3,
        (Some(WAW) | None, Some(LAM)) => letters >= 4,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fold::normalize;
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> String {
        normalize(s)
    }

    // --- strip_clitics -------------------------------------------------------

    fn sc(word: &str) -> (String, String) {
        let w = n(word);
        let (p, s) = strip_clitics(&w);
        (p.to_owned(), s.to_owned())
    }

    fn pair(p: &str, s: &str) -> (String, String) {
        (p.to_owned(), s.to_owned())
    }

    #[test]
    fn without_proclitics_gives_every_reading_the_word_first() {
        let readings: Vec<_> = without_proclitics("والنجبا").collect();
        assert_eq!(readings, ["والنجبا", "النجبا"]);
    }

    #[test]
    fn strip_clitics_examples() {
        assert_eq!(sc("والمقاومة"), pair("وال", "مقاومه"));
        assert_eq!(sc("بالمقاومة"), pair("بال", "مقاومه"));
        assert_eq!(sc("للمقاومة"), pair("لل", "مقاومه"));
        assert_eq!(sc("وللمقاومة"), pair("ولل", "مقاومه"));
        assert_eq!(sc("فالمقاومة"), pair("فال", "مقاومه"));
        assert_eq!(sc("كالمقاومة"), pair("كال", "مقاومه"));
        assert_eq!(sc("وبالمقاومة"), pair("وبال", "مقاومه"));
        assert_eq!(sc("المقاومة"), pair("ال", "مقاومه"));
        assert_eq!(sc("وحزب"), pair("و", "حزب"));
        assert_eq!(sc("لكتائب"), pair("ل", "كتايب"));
        assert_eq!(sc("ولكتائب"), pair("ول", "كتايب"));
        assert_eq!(sc("مقاومة"), pair("", "مقاومه"));
    }

    #[test]
    fn particles_take_proclitics_however_short() {
        for (word, prefix, stem) in [
            ("بأن", "ب", "ان"),
            ("لأن", "ل", "ان"),
            ("فإن", "ف", "ان"),
            ("وإن", "و", "ان"),
            ("لأنه", "ل", "انه"),
            ("بأنها", "ب", "انها"),
            ("ولأن", "ول", "ان"),
            ("وبأنهم", "وب", "انهم"),
            ("أن", "", "ان"),
        ] {
            assert_eq!(sc(word), pair(prefix, stem), "{word}");
        }
        // كأن is كان ("was") once folded, and فلان is "so-and-so": both stay whole.
        for word in ["كأن", "كان", "فلان", "كانه"] {
            assert_eq!(sc(word), pair("", &n(word)), "{word}");
        }
    }

    #[test]
    fn strip_clitics_edge_cases() {
        // Names and short words.
        assert_eq!(sc("الله"), pair("", "الله"));
        assert_eq!(sc("اللهم"), pair("", "اللهم"));
        assert_eq!(sc("والله"), pair("و", "الله"));
        assert_eq!(sc("بالله"), pair("ب", "الله"));
        assert_eq!(sc("لله"), pair("", "لله"));
        assert_eq!(sc("والد"), pair("", "والد"));
        assert_eq!(sc("ولد"), pair("", "ولد"));
        assert_eq!(sc("بال"), pair("", "بال"));
        assert_eq!(sc("الم"), pair("", "الم"));
        assert_eq!(sc("ال"), pair("", "ال"));
        assert_eq!(sc("و"), pair("", "و"));
        assert_eq!(sc(""), pair("", ""));
        // The article needs 2 letters left.
        assert_eq!(sc("الان"), pair("ال", "ان"));
        // Bare ف, ب, ك are not stripped; bare ل needs 4 letters left.
        assert_eq!(sc("فلسطين"), pair("", "فلسطين"));
        assert_eq!(sc("والفلسطينيين"), pair("وال", "فلسطينيين"));
        assert_eq!(sc("بيروت"), pair("", "بيروت"));
        assert_eq!(sc("بريطانيا"), pair("", "بريطانيا"));
        assert_eq!(sc("كتائب"), pair("", "كتايب"));
        assert_eq!(sc("كانت"), pair("", "كانت"));
        assert_eq!(sc("لجنة"), pair("", "لجنه"));
        assert_eq!(sc("لحزب"), pair("", "لحزب"));
        // Protected stems.
        assert_eq!(sc("لبنان"), pair("", "لبنان"));
        assert_eq!(sc("اللبناني"), pair("ال", "لبناني"));
        assert_eq!(sc("للبنان"), pair("ل", "لبنان"));
        assert_eq!(sc("بلبنان"), pair("ب", "لبنان"));
        assert_eq!(sc("ولبنان"), pair("و", "لبنان"));
        assert_eq!(sc("وزير"), pair("", "وزير"));
        assert_eq!(sc("الوزير"), pair("ال", "وزير"));
        assert_eq!(sc("ووزير"), pair("و", "وزير"));
        assert_eq!(sc("وكالة"), pair("", "وكاله"));
        assert_eq!(sc("ولكن"), pair("و", "لكن"));
        assert_eq!(sc("ببيروت"), pair("ب", "بيروت"));
        // Not Arabic: untouched.
        assert_eq!(sc("hamas"), pair("", "hamas"));
        assert_eq!(sc("2024"), pair("", "2024"));
    }

    #[test]
    fn strip_clitics_known_failures() {
        // Documented: a dictionary would be needed.
        assert_eq!(sc("والده"), pair("وال", "ده"));
        assert_eq!(sc("وصول"), pair("و", "صول"));
        assert_eq!(sc("آلاف"), pair("ال", "اف"));
        assert_eq!(sc("للاهاي"), pair("لل", "اهاي"));
        assert_eq!(sc("اللهب"), pair("", "اللهب"));
    }

    #[test]
    fn protected_entries_are_normalized() {
        for p in PROTECTED {
            assert_eq!(&n(p), p);
        }
    }

    proptest! {
        #[test]
        fn prop_a_split_gives_back_the_word(s in any::<String>()) {
            for t in super::super::words::words(&normalize(&s)) {
                let (p, stem) = strip_clitics(t);
                prop_assert_eq!(format!("{p}{stem}"), t);
                if !p.is_empty() {
                    prop_assert!(stem.chars().count() >= 2);
                }
            }
        }
    }
}
