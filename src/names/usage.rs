//! How the user's memory spells a name word: the newsroom's own usage, between the authority and the
//! public-data model.
//!
//! A memory shows how its translators write names. For one Arabic word, the units whose Arabic has it
//! (found through the memory's word index, so the cost follows how often the word occurs, not the size
//! of the memory) are read: in each, the capitalised English word whose consonant skeleton agrees with
//! the Arabic word's is its rendering there. A spelling is used when at least [`MIN_UNITS`] units give it
//! and at least two thirds of the units that render the word at all agree; anything less is not a
//! house spelling, and the model decides.

use rustc_hash::FxHashMap;

use super::lexicon::Skeletons;
use crate::text::{skeleton, tokenize, without_proclitics};

/// Units that must spell a word one way before that is the memory's spelling.
pub const MIN_UNITS: u64 = 2;

/// A word's spelling in the memory and how many units give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Usage {
    /// The English word as the memory writes it, its article in the house's form (`article`).
    pub english: String,
    pub units: u64,
}

/// The memory's spelling of `word` (one Arabic word in matching form, without clitics) in `pairs`
/// (Arabic, English units that may have it), with `article` written where the memory writes one.
pub fn spelling(word: &str, pairs: &[(String, String)], article: &str) -> Option<Usage> {
    let skeletons = Skeletons::of(&[word.to_string()]);
    let bare = word.strip_prefix("ال").unwrap_or(word);
    // (has the article, the word without it) → units
    let mut tally: FxHashMap<(bool, String), u64> = FxHashMap::default();
    let mut rendered = 0u64;
    for (arabic, english) in pairs {
        let has = tokenize(arabic).iter().any(|t| {
            without_proclitics(&t.norm)
                .any(|f| f == word || f.strip_prefix("ال").unwrap_or(&f) == bare)
        });
        if !has {
            continue;
        }
        let best = english_words(english)
            .filter_map(|(with_article, core)| {
                let agreement = skeletons.agreement(&skeleton(core))?;
                Some((agreement, with_article, core))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, with_article, core)) = best {
            rendered += 1;
            *tally.entry((with_article, core.to_string())).or_default() += 1;
        }
    }
    let ((with_article, core), units) = tally
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))?;
    (units >= MIN_UNITS && units * 3 >= rendered * 2).then(|| Usage {
        english: if with_article {
            format!("{article}{core}")
        } else {
            core
        },
        units,
    })
}

/// The capitalised words of an English text that may be names, each as (written with an article, the
/// word without it and without a possessive): `al-Khazali's` is (true, Khazali).
fn english_words(text: &str) -> impl Iterator<Item = (bool, &str)> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .filter_map(|w| {
            let w = w.trim_matches(|c| c == '-' || c == '\'' || c == '’');
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            let (with_article, core) = match w.split_once('-') {
                Some(("al" | "Al" | "el" | "El" | "AL", rest)) => (true, rest),
                _ => (false, w),
            };
            core.chars()
                .next()
                .is_some_and(char::is_uppercase)
                .then_some((with_article, core))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, e)| (a.to_string(), e.to_string()))
            .collect()
    }

    #[test]
    fn a_spelling_the_memory_gives_consistently_is_its_own() {
        let p = pairs(&[
            (
                "التقى جاسم الموسوي بالوفد",
                "Jasim al-Musawi met the delegation",
            ),
            ("قال جاسم إن", "Jasim said that"),
            ("وأضاف جاسم", "Jasim added"),
            ("قال الموسوي", "Al-Musawi's office said"),
        ]);
        let jasim = spelling("جاسم", &p, "Al-").unwrap();
        assert_eq!((jasim.english.as_str(), jasim.units), ("Jasim", 3));
        // The memory writes an article: the house's form of it; a possessive is not part of a name.
        let musawi = spelling("الموسوي", &p, "Al-").unwrap();
        assert_eq!((musawi.english.as_str(), musawi.units), ("Al-Musawi", 2));
    }

    #[test]
    fn one_unit_or_a_split_memory_is_no_house_spelling() {
        let once = pairs(&[("قال جاسم", "Jasim said")]);
        assert_eq!(spelling("جاسم", &once, "Al-"), None);
        let split = pairs(&[
            ("قال جاسم", "Jasim said"),
            ("قال جاسم", "Jassem said"),
            ("قال جاسم", "Jasim said"),
            ("قال جاسم", "Jassem said"),
        ]);
        assert_eq!(spelling("جاسم", &split, "Al-"), None);
        // Units without the word, or without a capitalised word that agrees, say nothing.
        let other = pairs(&[("قال خالد", "Khalid said"), ("قال جاسم", "he said")]);
        assert_eq!(spelling("جاسم", &other, "Al-"), None);
    }
}
