//! Learning names from the memory: Arabic spans and the capitalised English spans they are rendered as.
//!
//! In each unit, every run of one to three Arabic words is transliterated with the learned model, and its
//! romanization skeleton (see [`skeleton`]) is compared with those of the runs of capitalised English
//! words of the translation. A pair that agrees is evidence that the translator wrote that Arabic name that
//! way; pairs are counted across the memory and ranked by evidence. Names the authority already knows are
//! left out: the point is to propose new ones.

use std::collections::HashMap;

use serde::Serialize;

use super::skeleton::skeleton;
use super::translit::{Scheme, Transliterator};
use super::{style::Style, Authority, Spotter};

/// An empty authority, for transliterating by the learned model alone.
static NO_NAMES: Authority = Authority { names: Vec::new() };

/// A proposed name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub arabic: String,
    pub english: String,
    /// Units in which the pair was found.
    pub units: u64,
}

/// Capitalised words that start sentences and titles rather than names.
const STOPWORDS: [&str; 24] = [
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "According",
    "He",
    "She",
    "It",
    "They",
    "This",
    "That",
    "These",
    "Those",
    "Also",
    "Moreover",
    "However",
    "Meanwhile",
    "His",
    "Her",
    "Its",
    "Their",
    "And",
];

/// Jaro-Winkler similarity above which two renderings are taken for spellings of one name.
const SAME_NAME: f64 = 0.85;

/// Arabic function words that never start or end a name.
const ARABIC_STOPWORDS: [&str; 22] = [
    "في", "من", "على", "إلى", "الى", "عن", "أن", "ان", "إن", "أو", "و", "ثم", "مع", "هذا", "هذه",
    "التي", "الذي", "قد", "لا", "ما", "كان", "بين",
];

/// Collects proposals from units, one call per unit, and ranks them.
pub struct Miner<'a> {
    authority: &'a Authority,
    spotter: Spotter,
    /// Learned spellings only: the authority's names are left out of mining anyway.
    transliterator: Transliterator<'static>,
    /// Transliteration skeletons of Arabic words seen so far.
    cache: HashMap<String, String>,
    counts: HashMap<(String, String), u64>,
}

impl<'a> Miner<'a> {
    pub fn new(authority: &'a Authority) -> Miner<'a> {
        Miner {
            authority,
            spotter: Spotter::new(authority),
            transliterator: Transliterator::new(&NO_NAMES, Style::shipped()),
            cache: HashMap::new(),
            counts: HashMap::new(),
        }
    }

    fn word_skeleton(&mut self, word: &str) -> String {
        if let Some(s) = self.cache.get(word) {
            return s.clone();
        }
        let latin = self.transliterator.render(word, Scheme::News).text;
        let s = skeleton(&latin);
        self.cache.insert(word.to_string(), s.clone());
        s
    }

    /// Looks at one unit.
    pub fn add(&mut self, source: &str, target: &str) {
        let english = capitalised_runs(target);
        if english.is_empty() {
            return;
        }
        let english: Vec<(String, String)> =
            english.into_iter().map(|e| (skeleton(&e), e)).collect();
        // Arabic words outside the names the authority already knows.
        let known: Vec<std::ops::Range<usize>> = self
            .spotter
            .spot(source)
            .into_iter()
            .map(|s| s.span)
            .collect();
        let words: Vec<(usize, &str)> = source
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - source.as_ptr() as usize, w))
            .filter(|(at, _)| !known.iter().any(|r| r.contains(at)))
            .map(|(at, w)| (at, w.trim_matches(|c: char| !c.is_alphabetic())))
            .filter(|(_, w)| w.chars().count() >= 2)
            .collect();
        let stop = |w: &str| ARABIC_STOPWORDS.contains(&w);
        let mut found: Vec<(String, String)> = Vec::new();
        for start in 0..words.len() {
            let mut key = String::new();
            for len in 1..=3.min(words.len() - start) {
                key.push_str(&self.word_skeleton(words[start + len - 1].1));
                if key.len() < 3 {
                    continue;
                }
                let (first, last) = (words[start].1, words[start + len - 1].1);
                if stop(first) || stop(last) {
                    continue;
                }
                if let Some((_, e)) = english.iter().find(|(k, _)| *k == key) {
                    let mut arabic: Vec<&str> =
                        words[start..start + len].iter().map(|w| w.1).collect();
                    // A conjunction glued on (وميرس) is not part of the name.
                    if let Some(bare) = arabic[0]
                        .strip_prefix('و')
                        .filter(|r| r.chars().count() >= 3)
                    {
                        arabic[0] = bare;
                    }
                    found.push((arabic.join(" "), e.clone()));
                }
            }
        }
        found.sort();
        found.dedup();
        for pair in found {
            *self.counts.entry(pair).or_insert(0) += 1;
        }
    }

    /// The proposals seen in at least `min` units, best evidence first.
    pub fn proposals(&self, min: u64) -> Vec<Proposal> {
        let _ = self.authority;
        let mut out: Vec<Proposal> = self
            .counts
            .iter()
            .filter(|(_, &n)| n >= min)
            .map(|((arabic, english), &units)| Proposal {
                arabic: arabic.clone(),
                english: english.clone(),
                units,
            })
            .collect();
        out.sort_by(|a, b| b.units.cmp(&a.units).then(a.arabic.cmp(&b.arabic)));
        out
    }
}

/// An Arabic name outside the authority rendered in more than one spelling across the units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inconsistency {
    pub arabic: String,
    /// Each spelling with the number of units that use it, most used first.
    pub renderings: Vec<Rendering>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rendering {
    pub english: String,
    pub units: u64,
}

impl Miner<'_> {
    /// Arabic names rendered two or more ways. Renderings count as one name spelled differently when
    /// they have as many words and the same digits (SARS-CoV and SARS-CoV-2 are two names).
    pub fn inconsistencies(&self) -> Vec<Inconsistency> {
        let mut by_arabic: HashMap<&str, Vec<Rendering>> = HashMap::new();
        for ((arabic, english), &units) in &self.counts {
            by_arabic.entry(arabic).or_default().push(Rendering {
                english: english.clone(),
                units,
            });
        }
        let shape = |e: &str| {
            let digits: String = e.chars().filter(char::is_ascii_digit).collect();
            (e.split_whitespace().count(), digits)
        };
        let mut out: Vec<Inconsistency> = by_arabic
            .into_iter()
            .filter_map(|(arabic, mut renderings)| {
                renderings.sort_by(|a, b| b.units.cmp(&a.units).then(a.english.cmp(&b.english)));
                let first = renderings.first()?.english.clone();
                // Spellings of one name look alike (Colombia, Columbia); a homograph read two ways does not
                // (مارس: March, MERS).
                renderings.retain(|r| {
                    shape(&r.english) == shape(&first)
                        && strsim::jaro_winkler(&r.english.to_lowercase(), &first.to_lowercase())
                            >= SAME_NAME
                });
                (renderings.len() > 1).then(|| Inconsistency {
                    arabic: arabic.to_string(),
                    renderings,
                })
            })
            .collect();
        out.sort_by(|a, b| a.arabic.cmp(&b.arabic));
        out
    }
}

/// Runs of capitalised words (with `Al-`, `bin`, `ibn` inside them), sentence-initial stopwords dropped;
/// a possessive (`Indonesia's`, `Giants'`) and a closing quote (`Scotland'`) are not part of the name. A
/// headline in capitals has none: its capitals say nothing of how a name is spelled.
fn capitalised_runs(text: &str) -> Vec<String> {
    let letters = text.chars().filter(|c| c.is_alphabetic());
    let (upper, all) = letters.fold((0, 0), |(u, a), c| {
        (u + usize::from(c.is_uppercase()), a + 1)
    });
    if all >= 12 && upper * 10 >= all * 6 {
        return Vec::new();
    }
    let mut runs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |current: &mut Vec<&str>, runs: &mut Vec<String>| {
        while current.first().is_some_and(|w| STOPWORDS.contains(w)) {
            current.remove(0);
        }
        // Two or more words in capitals are a shouted headline, not a spelling (acronyms are one word).
        let shouted =
            current.len() >= 2 && current.iter().all(|w| w.chars().all(|c| !c.is_lowercase()));
        if !current.is_empty() && !shouted {
            runs.push(current.join(" "));
        }
        current.clear();
    };
    for raw in text.split_whitespace() {
        let word = bare_word(raw);
        let capital = word.starts_with(|c: char| c.is_uppercase());
        let connector = matches!(word, "bin" | "ibn" | "al" | "bint");
        if capital || (connector && !current.is_empty()) {
            current.push(word);
        } else {
            flush(&mut current, &mut runs);
        }
        // A comma or full stop ends a name.
        if raw.ends_with([',', '.', ';', ':', ')', '"']) {
            flush(&mut current, &mut runs);
        }
    }
    flush(&mut current, &mut runs);
    runs
}

/// A word of running English as a name is written: surrounding punctuation, a possessive `'s` and a
/// quote mark closing after a consonant taken off. An apostrophe after a vowel stays: it is an ayn
/// (Mazari', Shafi').
fn bare_word(raw: &str) -> &str {
    let apostrophe = |c: char| c == '\'' || c == '’';
    let mut word = raw;
    loop {
        let before = word;
        word = word.trim_matches(|c: char| !c.is_alphanumeric() && !apostrophe(c) && c != '-');
        for possessive in ["'s", "’s"] {
            if let Some(w) = word.strip_suffix(possessive) {
                word = w;
            }
        }
        word = word.trim_start_matches(apostrophe);
        if let Some(w) = word.strip_suffix(apostrophe) {
            if !w
                .chars()
                .next_back()
                .is_some_and(|c| "aeiouAEIOU".contains(c))
            {
                word = w;
            }
        }
        if word == before {
            return word;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possessives_quotes_and_shouting_are_not_renderings() {
        assert_eq!(
            capitalised_runs("Indonesia's capital and the Giants' coach met in 'Scotland', said Mazari' Al-Mayadin's mayor."),
            ["Indonesia", "Giants", "Scotland", "Mazari' Al-Mayadin"]
        );
        assert_eq!(
            capitalised_runs(
                "They would never forgive 'Ireland,' he told the NIGEL FARAGE rally of UNESCO"
            ),
            ["Ireland", "UNESCO"]
        );
        assert!(capitalised_runs("NIGEL FARAGE TELLS THE CROWD TO FIGHT ON").is_empty());
    }

    #[test]
    fn capitalised_runs_are_names_not_sentence_starts() {
        assert_eq!(
            capitalised_runs("The delegation met Hajj Kamil in Deir Al-Zour, then left."),
            ["Hajj Kamil", "Deir Al-Zour"]
        );
    }

    #[test]
    fn one_arabic_name_spelled_two_ways_is_an_inconsistency() {
        let authority = Authority::default();
        let mut miner = Miner::new(&authority);
        miner.add("وصل كمال", "Kamal arrived");
        miner.add("غادر كمال", "Kemal left");
        miner.add("غادر كمال", "Kamal left");
        let found = miner.inconsistencies();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].renderings[0],
            Rendering {
                english: "Kamal".into(),
                units: 2
            }
        );
        assert_eq!(
            found[0].renderings[1],
            Rendering {
                english: "Kemal".into(),
                units: 1
            }
        );
    }

    #[test]
    fn pairs_seen_in_several_units_are_proposed() {
        let authority = Authority::default();
        let mut miner = Miner::new(&authority);
        for _ in 0..2 {
            miner.add(
                "التقى الوفد كمال في المدينة",
                "The delegation met Kamal in the city",
            );
        }
        miner.add("غادر كمال", "Kamal left");
        let p = miner.proposals(2);
        assert_eq!(
            p[0],
            Proposal {
                arabic: "كمال".into(),
                english: "Kamal".into(),
                units: 3
            }
        );
    }
}
