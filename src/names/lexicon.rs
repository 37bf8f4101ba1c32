//! The words of the names a user already has, with the English each one is written as.
//!
//! The authority spells whole names: قيس الخزعلي is Qais Al-Khazali. A news text also names people the
//! authority lacks whose names share its words (قيس هادي الخزعلي), and refers to entries by a piece
//! (النجباء for حركة النجباء, "the Nujaba"). The house's spelling of those words is already written in
//! the entries; this module reads it out: each entry's Arabic words are aligned, in order, with its
//! English words by their consonant skeletons ([`arabic_skeleton_into`] against
//! [`skeleton`](crate::text::skeleton())), so that
//! قيس ↔ Qais and الخزعلي ↔ Al-Khazali, while translated words (حركة ↔ Movement) match nothing and are
//! left out. Two Arabic words may make one English word (نصر الله ↔ Nasrallah).
//!
//! Where the entries spell a word two ways, the user's own entries win, then the spelling more entries
//! use, then the first entry's. A word with the article gives its form without it (الخزعلي → Khazali),
//! and the reverse, since names take and drop the article.

use super::Origin;
use rustc_hash::FxHashMap;

use super::Authority;
use crate::text::skeleton::{arabic_skeleton_into, skeleton};
use crate::text::tokenize;

/// One Arabic word (or two joined, `نصر الله`) in matching form, and how the names spell it.
#[derive(Default)]
pub struct Lexicon {
    /// Each word's spellings, best first.
    words: FxHashMap<String, Vec<Spelling>>,
}

/// A word's spelling and what supports it.
#[derive(Clone, Debug)]
struct Spelling {
    english: String,
    /// From one of the user's own entries.
    user: bool,
    /// Entries that spell it so (the article's counterpart forms count half).
    votes: f32,
    /// Whether any entry has the word itself (rather than its form with or without the article).
    direct: bool,
    /// The entries (indexes into the authority) that spell it so.
    entries: Vec<u32>,
}

/// What the lexicon knows of a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Known<'a> {
    pub english: &'a str,
    /// One of the user's own names gave it (else the shipped authority).
    pub user: bool,
    /// An entry has the word as it is, not only with or without the article (امام from الإمام is
    /// also "in front of": such a form is a name's word only beside other names).
    pub direct: bool,
}

impl Lexicon {
    /// The words of every Arabic form of every name, aligned with the name's English.
    pub fn of(authority: &Authority) -> Lexicon {
        let mut words: FxHashMap<String, Vec<Spelling>> = FxHashMap::default();
        let mut add = |key: String, english: &str, entry: u32, user: bool, direct: bool| {
            let options = words.entry(key).or_default();
            let votes = if direct { 1.0 } else { 0.5 };
            match options.iter_mut().find(|s| s.english == english) {
                Some(s) => {
                    s.user |= user;
                    s.direct |= direct;
                    if !s.entries.contains(&entry) {
                        s.votes += votes;
                        s.entries.push(entry);
                    }
                }
                None => options.push(Spelling {
                    english: english.to_string(),
                    user,
                    votes,
                    direct,
                    entries: vec![entry],
                }),
            }
        };
        for (entry, name) in authority.names.iter().enumerate() {
            let user = name.source == Origin::User;
            let english: Vec<&str> = name.english.split_whitespace().collect();
            for form in &name.arabic {
                let arabic: Vec<String> = tokenize(form).into_iter().map(|t| t.norm).collect();
                for (words, english) in align(&arabic, &english) {
                    let key = words.join(" ");
                    // The form with or without the article: الخزعلي → Khazali, خزعلي → Khazali.
                    let other = match (key.strip_prefix("ال"), english.strip_prefix("Al-")) {
                        (Some(bare), Some(en)) if !bare.contains(' ') => {
                            Some((bare.to_string(), en.to_string()))
                        }
                        (None, None) if !key.contains(' ') => {
                            Some((format!("ال{key}"), format!("Al-{english}")))
                        }
                        _ => None,
                    };
                    add(key, english, entry as u32, user, true);
                    if let Some((key, english)) = other {
                        add(key, &english, entry as u32, user, false);
                    }
                }
            }
        }
        for options in words.values_mut() {
            // Stable: equal options keep the order of the entries that gave them.
            options.sort_by(|a, b| {
                (b.user, b.direct)
                    .cmp(&(a.user, a.direct))
                    .then(b.votes.total_cmp(&a.votes))
            });
        }
        Lexicon { words }
    }

    /// The spelling of one word, or of two words together (`"نصر الله"`), in matching form.
    pub fn get(&self, words: &str) -> Option<Known<'_>> {
        self.get_in(words, None)
    }

    /// [`Lexicon::get`], as the entry `entry` spells the word where it has it: the other words of a
    /// name decide between spellings (محمد is Muhammad in most names, Mohammad in Mohammad Bagheri's).
    pub fn get_in(&self, words: &str, entry: Option<u32>) -> Option<Known<'_>> {
        let options = self.words.get(words)?;
        let chosen = entry
            .and_then(|e| options.iter().find(|s| s.entries.contains(&e)))
            .or(options.first())?;
        Some(Known {
            english: &chosen.english,
            user: chosen.user,
            direct: chosen.direct,
        })
    }

    /// The entries that have this word (in any spelling).
    pub fn entries(&self, words: &str) -> impl Iterator<Item = u32> + '_ {
        (self.words.get(words).into_iter().flatten()).flat_map(|s| s.entries.iter().copied())
    }
}

/// The pieces of a name's Arabic words (in matching form) that spell one of its English words: an
/// order-keeping alignment that pairs one Arabic word, or two (نصر الله), with one English word when
/// their skeletons agree, and passes over words that agree with nothing.
fn align<'e>(arabic: &[String], english: &[&'e str]) -> Vec<(Vec<String>, &'e str)> {
    let (n, m) = (arabic.len(), english.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let eskel: Vec<String> = english.iter().map(|e| skeleton(e)).collect();
    let one: Vec<Skeletons> = (0..n).map(|i| Skeletons::of(&arabic[i..=i])).collect();
    let two: Vec<Skeletons> = (0..n.saturating_sub(1))
        .map(|i| Skeletons::of(&arabic[i..i + 2]))
        .collect();
    // best[i][j]: the most words aligned with arabic[i..] and english[j..] (pairs count 1, the
    // closeness of their skeletons breaks ties); the move taken.
    #[derive(Clone, Copy)]
    enum Move {
        SkipArabic,
        SkipEnglish,
        One,
        Two,
    }
    let mut best = vec![vec![(0.0f32, Move::SkipArabic); m + 1]; n + 1];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            if i == n && j == m {
                continue;
            }
            let mut cell = (f32::MIN, Move::SkipArabic);
            let mut consider = |score: f32, mv: Move| {
                if score > cell.0 {
                    cell = (score, mv);
                }
            };
            if i < n {
                consider(best[i + 1][j].0, Move::SkipArabic);
            }
            if j < m {
                consider(best[i][j + 1].0, Move::SkipEnglish);
            }
            if i < n && j < m {
                if let Some(s) = one[i].agreement(&eskel[j]) {
                    consider(best[i + 1][j + 1].0 + 1.0 + s / 10.0, Move::One);
                }
                if i + 1 < n {
                    if let Some(s) = two[i].agreement(&eskel[j]) {
                        consider(best[i + 2][j + 1].0 + 1.0 + s / 10.0, Move::Two);
                    }
                }
            }
            best[i][j] = cell;
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        match best[i][j].1 {
            Move::SkipArabic => i += 1,
            Move::SkipEnglish => j += 1,
            Move::One => {
                out.push((arabic[i..=i].to_vec(), english[j]));
                (i, j) = (i + 1, j + 1);
            }
            Move::Two => {
                out.push((arabic[i..i + 2].to_vec(), english[j]));
                (i, j) = (i + 2, j + 1);
            }
        }
    }
    out
}

/// The skeletons of Arabic words: read with a leading ال as the article, and where they have one, read
/// as letters of the name (ألينا is Alina, not Al- + ينا).
pub(crate) struct Skeletons(String, Option<String>);

impl Skeletons {
    /// The skeletons of these words written together.
    pub(crate) fn of(words: &[String]) -> Skeletons {
        let joined = words.concat();
        let mut with_article = String::new();
        arabic_skeleton_into(&joined, &mut with_article);
        let as_letters = joined.strip_prefix("ال").map(|rest| {
            let mut out = String::new();
            arabic_skeleton_into(&format!("ل{rest}"), &mut out);
            out
        });
        Skeletons(with_article, as_letters)
    }

    /// How closely they agree with an English skeleton, if they do (the closer reading's).
    pub(crate) fn agreement(&self, english: &str) -> Option<f32> {
        let first = agreement(&self.0, english);
        let second = self.1.as_deref().and_then(|s| agreement(s, english));
        match (first, second) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// How closely an Arabic and an English skeleton agree (1 when equal), if they agree at all: short
/// skeletons must be equal, longer ones may differ in one letter in three (Nasrallah's final h, which
/// the Arabic drops as a ta marbuta would be).
fn agreement(arabic: &str, english: &str) -> Option<f32> {
    if arabic.is_empty() || english.is_empty() {
        return None;
    }
    let longer = arabic.len().max(english.len());
    let allowed = if longer <= 2 { 0 } else { longer / 3 };
    let distance = strsim::levenshtein(arabic, english);
    if distance <= allowed {
        return Some(1.0 - distance as f32 / longer as f32);
    }
    // Letters that regions say differently: ق as g in Persian and Gulf names (Baghaei, Gargash), ض and
    // ظ as z or dh (Razi, Al-Fayyadh), where the Arabic skeleton has k and d.
    let loose = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                'g' => 'k',
                'z' => 'd',
                c => c,
            })
            .collect()
    };
    let distance = strsim::levenshtein(&loose(arabic), &loose(english));
    (distance <= allowed).then(|| 0.9 - distance as f32 / longer as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_tsv;

    fn lexicon(tsv: &str) -> Lexicon {
        Lexicon::of(&Authority {
            names: parse_tsv(tsv, "test", Origin::Shipped).unwrap(),
        })
    }

    fn english<'a>(lexicon: &'a Lexicon, arabic: &str) -> Option<&'a str> {
        let key: Vec<String> = tokenize(arabic).into_iter().map(|t| t.norm).collect();
        lexicon.get(&key.join(" ")).map(|k| k.english)
    }

    #[test]
    fn name_words_take_the_entries_spelling_and_translated_words_none() {
        let l = lexicon(
            "قيس الخزعلي\tQais Al-Khazali\tperson\n\
             أبو مهدي المهندس\tAbu Mahdi Al-Muhandis\tperson\n\
             حركة النجباء\tAl-Nujaba Movement\torganisation\n\
             عصائب أهل الحق\tAsa'ib Ahl Al-Haq\torganisation\n\
             حسن نصر الله\tHassan Nasrallah\tperson\n",
        );
        for (ar, en) in [
            ("قيس", "Qais"),
            ("الخزعلي", "Al-Khazali"),
            ("خزعلي", "Khazali"),
            ("المهندس", "Al-Muhandis"),
            ("مهدي", "Mahdi"),
            ("النجباء", "Al-Nujaba"),
            ("عصائب", "Asa'ib"),
            ("العصائب", "Al-Asa'ib"),
            ("الحق", "Al-Haq"),
            ("حسن", "Hassan"),
            ("نصر الله", "Nasrallah"),
        ] {
            assert_eq!(english(&l, ar), Some(en), "{ar}");
        }
        assert_eq!(english(&l, "حركة"), None, "Movement is a translation");
    }

    #[test]
    fn the_users_spelling_then_the_most_entries_win() {
        let shipped = parse_tsv(
            "حيدر العبادي\tHaydar Al-Abadi\tperson\n\
             أبو حيدر الخفاجي\tAbu Haydar Al-Khafaji\tperson\n\
             حيدر الغراوي\tHaidar Al-Gharawi\tperson\n",
            "test",
            crate::names::Origin::Shipped,
        )
        .unwrap();
        let l = Lexicon::of(&Authority {
            names: shipped.clone(),
        });
        assert_eq!(
            english(&l, "حيدر"),
            Some("Haydar"),
            "two entries against one"
        );
        let mut names = parse_tsv("حيدر\tHaider\tperson\n", "user", Origin::User).unwrap();
        names.extend(shipped);
        let l = Lexicon::of(&Authority { names });
        assert_eq!(english(&l, "حيدر"), Some("Haider"), "the user's own entry");
    }
}
