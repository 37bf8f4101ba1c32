//! Finding authority names in Arabic text.
//!
//! Names are compared word by word in matching form (harakat, tatweel, letter forms folded). The first word
//! of a name may carry a conjunction and a preposition (وحزب الله, لكتائب حزب الله, للمقاومة = ل + المقاومة);
//! the others must match as they are. At each position the longest name wins, so كتائب حزب الله is the
//! Hizbullah Brigades and not Hizbullah.

use std::borrow::Cow;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Authority;
use crate::text::{
    first_word, fold_word_into, joined_first_word, plain_fold, tokenize, without_proclitics,
    word_spans, Token,
};

/// One word of the text [`Spotter::spot`] reads.
struct Word {
    /// Its byte range in the text.
    span: Range<usize>,
    /// The range of its matching form in the words' buffer, or [`UNFOLDED`] while it is not needed.
    norm: Range<usize>,
    /// Whether it may be some form's first word, to be looked up.
    look_up: bool,
}

/// [`Word::norm`] of a word whose matching form is not written yet (a [`plain_fold`] word).
const UNFOLDED: Range<usize> = usize::MAX..usize::MAX;

/// [`Spotter::spot`]'s buffers: the matching forms written, the words, working space.
type WordBuffers = (String, Vec<Word>, String);

thread_local! {
    /// The words of the text [`Spotter::spot`] reads, kept from one text to the next: a word's
    /// matching form then costs no allocation.
    static WORDS: std::cell::RefCell<WordBuffers> =
        const { std::cell::RefCell::new((String::new(), Vec::new(), String::new())) };
}

/// Bits of [`FirstHash`] that index [`Spotter::firsts`].
const FIRSTS_BITS: u32 = 17;

/// A hash of a word's matching form built a character at a time (as [`plain_fold`] gives them), so
/// that a word is tested against the spotter's keys before it is written out and looked up.
#[derive(Default)]
struct FirstHash(u64);

impl FirstHash {
    #[inline]
    fn add(&mut self, c: char) {
        self.0 =
            (self.0.rotate_left(5) ^ u64::from(u32::from(c))).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    /// The bit of [`Spotter::firsts`] this hash falls on.
    #[inline]
    fn bit(&self) -> usize {
        (self.0 >> (64 - FIRSTS_BITS)) as usize
    }

    fn of(word: &str) -> FirstHash {
        let mut hash = FirstHash::default();
        word.chars().for_each(|c| hash.add(c));
        hash
    }
}

/// A name found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Spot {
    /// Index into the authority's names.
    pub name: usize,
    /// Byte range in the text, from the first word's start (clitics included) to the last word's end.
    pub span: Range<usize>,
}

/// An index of an authority's Arabic forms by their first word, for finding its names in Arabic text.
///
/// Building one indexes every form of every name; [`crate::align::Options::spotter`] takes one built
/// ahead, so that aligning many documents with one authority indexes it once.
pub struct Spotter {
    /// For each first word: (all words of the form, name index), longest forms first.
    forms: Vec<Vec<(Vec<String>, usize)>>,
    /// A text's word → the first words it may be read as ([`without_proclitics`]'s readings that are
    /// some form's first word), as indices into `forms`, in the order of those readings. One look-up a
    /// word of text, where looking up each reading took three (this runs on every word of a memory).
    by_word: FxHashMap<Box<str>, Vec<u32>>,
    /// A bit for each [`FirstHash`] of a `by_word` key: a word of text whose hash falls on a clear bit
    /// is no key, and is neither written out nor looked up. Most words of a text begin no name, and
    /// folding, writing and looking up every word was most of the cost of spotting.
    firsts: Box<[u64]>,
    /// Names whose every Arabic form ends in ta marbuta (عنة): matching form folds ة into ه, so that
    /// عنه ("about him") would read as the town. In a text such a name must end in ة too.
    taa: FxHashSet<usize>,
}

impl Spotter {
    /// Indexes all of `authority`'s Arabic forms.
    pub fn new(authority: &Authority) -> Spotter {
        Spotter::indexing(authority, |_| true)
    }

    /// A spotter for these texts only (given as their [`words`](crate::text::words())): it indexes just the forms
    /// whose first word the texts have (with or without clitics). The aligner builds one for a
    /// document when it has no spotter: indexing all the authority's forms cost more than aligning a
    /// short document.
    pub(crate) fn for_texts<'t>(
        authority: &Authority,
        words: impl IntoIterator<Item = &'t str>,
    ) -> Spotter {
        let words = FirstWords::of(words);
        Spotter::indexing(authority, |first| words.has(first))
    }

    /// Indexes the forms whose first word (in matching form) `wanted` accepts.
    fn indexing(authority: &Authority, wanted: impl Fn(&str) -> bool) -> Spotter {
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, usize)>> = FxHashMap::default();
        let mut taa = FxHashSet::default();
        for (i, name) in authority.names.iter().enumerate() {
            if name.arabic.iter().all(|f| last_letter(f) == Some('ة')) {
                taa.insert(i);
            }
            for form in &name.arabic {
                if !may_start(form, &wanted) {
                    continue;
                }
                let words: Vec<String> = tokenize(form).into_iter().map(|t| t.norm).collect();
                for words in joined(words) {
                    if let Some(first) = words.first() {
                        by_first.entry(first.clone()).or_default().push((words, i));
                    }
                }
            }
        }
        for forms in by_first.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.0.len()));
        }
        let mut index: FxHashMap<String, u32> = FxHashMap::default();
        let mut forms = Vec::with_capacity(by_first.len());
        for (first, group) in by_first {
            index.insert(first, forms.len() as u32);
            forms.push(group);
        }
        let mut by_word: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for first in index.keys() {
            for word in clitic_spellings(first) {
                if by_word.contains_key(word.as_str()) {
                    continue;
                }
                let readings: Vec<u32> = without_proclitics(&word)
                    .filter_map(|r| index.get(r.as_ref()).copied())
                    .collect();
                if !readings.is_empty() {
                    by_word.insert(word.into_boxed_str(), readings);
                }
            }
        }
        let mut firsts = vec![0u64; 1 << (FIRSTS_BITS - 6)].into_boxed_slice();
        for word in by_word.keys() {
            let bit = FirstHash::of(word).bit();
            firsts[bit / 64] |= 1 << (bit % 64);
        }
        Spotter {
            forms,
            by_word,
            firsts,
            taa,
        }
    }

    /// The names in `text`, in order, not overlapping. A one-word name written with a final ة is not
    /// taken where the text has ه and no article: that is a pronoun suffix (عنه, "about him"), not the
    /// name (عنة, Anah).
    pub(crate) fn spot(&self, text: &str) -> Vec<Spot> {
        WORDS.with_borrow_mut(|(norms, words, scratch)| {
            norms.clear();
            words.clear();
            for span in word_spans(text) {
                let word = &text[span.clone()];
                let mut hash = FirstHash::default();
                let mut letters = 0;
                if plain_fold(word, |c| {
                    hash.add(c);
                    letters += 1;
                }) && letters > 0
                {
                    let bit = hash.bit();
                    let look_up = self.firsts[bit / 64] >> (bit % 64) & 1 == 1;
                    let norm = if look_up {
                        fold_plain(word, norms)
                    } else {
                        UNFOLDED
                    };
                    words.push(Word {
                        span,
                        norm,
                        look_up,
                    });
                } else {
                    fold_word_into(word, norms, scratch, |norm| {
                        words.push(Word {
                            span: span.clone(),
                            norm,
                            look_up: true,
                        })
                    });
                }
            }
            let mut spots = self.spot_words_of(text, norms, words);
            spots
                .retain(|s| !(self.taa.contains(&s.name) && pronoun_suffix(&text[s.span.clone()])));
            spots
        })
    }

    /// [`Spotter::spot_by`] over [`Spotter::spot`]'s words, writing out the matching form of a word
    /// not looked up only when a form's later words are compared with it.
    fn spot_words_of(&self, text: &str, norms: &mut String, words: &mut [Word]) -> Vec<Spot> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if !words[i].look_up {
                i += 1;
                continue;
            }
            let readings = self
                .by_word
                .get(&norms[words[i].norm.clone()])
                .map_or(&[][..], Vec::as_slice);
            if readings.is_empty() {
                i += 1;
                continue;
            }
            // Forms are sorted longest first: the first of each group says how far they reach.
            let reach = readings
                .iter()
                .map(|&g| self.forms[g as usize].first().map_or(0, |f| f.0.len()))
                .max()
                .unwrap_or(0);
            for word in words.iter_mut().take(i + reach).skip(i + 1) {
                if word.norm == UNFOLDED {
                    word.norm = fold_plain(&text[word.span.clone()], norms);
                }
            }
            let words: &[Word] = words;
            let norm = |w: &Word| &norms[w.norm.clone()];
            let found = readings.iter().find_map(|&first| {
                self.forms[first as usize].iter().find(|(form, _)| {
                    form.len() <= words.len() - i
                        && form[1..]
                            .iter()
                            .zip(&words[i + 1..])
                            .all(|(f, w)| f == norm(w))
                })
            });
            match found {
                Some((form, name)) => {
                    out.push(Spot {
                        name: *name,
                        span: words[i].span.start..words[i + form.len() - 1].span.end,
                    });
                    i += form.len();
                }
                None => i += 1,
            }
        }
        out
    }

    /// [`Spotter::spot`] with the text's words already made by [`tokenize`].
    pub(crate) fn spot_in(&self, text: &str, tokens: &[Token]) -> Vec<Spot> {
        let mut spots = self.spot_tokens(tokens);
        spots.retain(|s| !(self.taa.contains(&s.name) && pronoun_suffix(&text[s.span.clone()])));
        spots
    }

    /// The names in a text already split into [`tokenize`]'s words.
    pub(crate) fn spot_tokens(&self, tokens: &[Token]) -> Vec<Spot> {
        self.spot_by(tokens, |t| &t.norm)
            .into_iter()
            .map(|(words, name)| Spot {
                name,
                span: tokens[words.start].span.start..tokens[words.end - 1].span.end,
            })
            .collect()
    }

    /// The names in a text's words in matching form ([`crate::text::words()`] of the normalized text, as the
    /// aligner has them): each as the range of words it covers and its index.
    pub(crate) fn spot_words(&self, words: &[&str]) -> Vec<(Range<usize>, usize)> {
        self.spot_by(words, |w| w)
    }

    fn spot_by<'w, T>(
        &self,
        words: &'w [T],
        norm: impl Fn(&'w T) -> &'w str,
    ) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let readings = self
                .by_word
                .get(norm(&words[i]))
                .map_or(&[][..], Vec::as_slice);
            let found = readings.iter().find_map(|&first| {
                self.forms[first as usize].iter().find(|(form, _)| {
                    form.len() <= words.len() - i
                        && form[1..]
                            .iter()
                            .zip(&words[i + 1..])
                            .all(|(f, w)| f == norm(w))
                })
            });
            match found {
                Some((form, name)) => {
                    out.push((i..i + form.len(), *name));
                    i += form.len();
                }
                None => i += 1,
            }
        }
        out
    }
}

/// Writes a [`plain_fold`] word's matching form at the end of `norms`, and gives its range there.
fn fold_plain(word: &str, norms: &mut String) -> Range<usize> {
    let at = norms.len();
    plain_fold(word, |c| norms.push(c));
    at..norms.len()
}

/// Every word of text that may have `first` among its [`without_proclitics`] readings: `first` with a
/// conjunction (و ف), a preposition (ب ك ل) or both before it, and for a first word with the article
/// (ال), the same before لـ in its place (للمقاومة). Some are not read that way (a reading must keep
/// two letters); [`Spotter::indexing`] keeps those that are.
fn clitic_spellings(first: &str) -> Vec<String> {
    let mut stems = vec![first.to_string()];
    stems.extend(['ب', 'ك', 'ل'].map(|p| format!("{p}{first}")));
    if let Some(rest) = first.strip_prefix('ا').filter(|r| r.starts_with('ل')) {
        stems.push(format!("ل{rest}"));
    }
    let mut out = stems.clone();
    for stem in &stems {
        out.extend(['و', 'ف'].map(|c| format!("{c}{stem}")));
    }
    out
}

/// A form's words, and the same with each word that begins with the article joined to the word before
/// it, as Arabic is often typed (حزبالله, ديرالزور, نصرالله, عبدالعزيز): every such join, and all of
/// them at once.
fn joined(words: Vec<String>) -> Vec<Vec<String>> {
    let joins: Vec<usize> = (1..words.len())
        .filter(|&k| words[k].starts_with("ال"))
        .collect();
    let join = |at: &[usize]| {
        let mut out: Vec<String> = Vec::with_capacity(words.len());
        for (k, w) in words.iter().enumerate() {
            match out.last_mut() {
                Some(last) if at.contains(&k) => last.push_str(w),
                _ => out.push(w.clone()),
            }
        }
        out
    };
    let mut forms: Vec<Vec<String>> = joins.iter().map(|&k| join(&[k])).collect();
    if joins.len() > 1 {
        forms.push(join(&joins));
    }
    forms.insert(0, words);
    forms
}

/// The words of some texts, each also without its clitics: what a form's first word must be for the
/// form to occur in them.
pub(crate) struct FirstWords<'t>(FxHashSet<Cow<'t, str>>);

impl<'t> FirstWords<'t> {
    pub(crate) fn of(words: impl IntoIterator<Item = &'t str>) -> FirstWords<'t> {
        let mut set = FxHashSet::default();
        for word in words {
            set.extend(without_proclitics(word));
        }
        FirstWords(set)
    }

    pub(crate) fn has(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// Whether `form`'s [`first_word`] (or its [`joined_first_word`]) is one `wanted` accepts (read
/// alone, that is cheaper than reading the whole form, and most forms are not wanted). A form that
/// starts with no word is kept.
fn may_start(form: &str, wanted: impl Fn(&str) -> bool) -> bool {
    first_word(form).is_none_or(|w| wanted(&w))
        || joined_first_word(form).is_some_and(|w| wanted(&w))
}

/// Whether a name written with a final ة, found as `found`, may be a word with the pronoun suffix ه
/// instead (عنه, "about him", for عنة, Anah): one word ending in ه, without the article, which a
/// pronoun suffix never follows (السعوديه is Saudi Arabia typed with ه). A name of several words is
/// taken on the evidence of the others (وزاره الصحه).
fn pronoun_suffix(found: &str) -> bool {
    // Read without harakat and tatweel: وَالسعوديه has its article after the fatha.
    let letters: String = found
        .chars()
        .filter(|c| !matches!(c, '\u{640}' | '\u{64B}'..='\u{65F}' | '\u{670}'))
        .collect();
    last_letter(found) == Some('ه')
        && !found.contains(char::is_whitespace)
        && !without_proclitics(&letters).any(|f| f.starts_with("ال"))
}

/// The last letter of `s`, harakat and tatweel passed over.
fn last_letter(s: &str) -> Option<char> {
    s.chars()
        .rev()
        .find(|&c| c.is_alphabetic() && !matches!(c, '\u{640}' | '\u{64B}'..='\u{65F}' | '\u{670}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_tsv;
    use crate::text::words;

    fn authority() -> Authority {
        Authority {
            names: parse_tsv(
                "حزب الله\tHizbullah\torganisation\tHezbollah\t\n\
                 كتائب حزب الله\tHizbullah Brigades\torganisation\tKataib Hezbollah\t\n\
                 المقاومة الإسلامية في العراق\tIslamic Resistance in Iraq\torganisation\t\t\n\
                 دير الزور\tDeir Al-Zour\tplace\tDeir ez-Zor\t\n",
                "test",
                crate::names::Origin::User,
            )
            .unwrap(),
        }
    }

    fn english(text: &str) -> Vec<String> {
        let a = authority();
        Spotter::new(&a)
            .spot(text)
            .iter()
            .map(|s| a.names[s.name].english.clone())
            .collect()
    }

    #[test]
    fn a_pronoun_suffix_is_not_a_final_ta_marbuta() {
        let a = Authority {
            names: parse_tsv(
                "عنة\tAnah\tplace\t\t\nالله\tAllah\tother\t\t\n",
                "test",
                crate::names::Origin::User,
            )
            .unwrap(),
        };
        let spotter = Spotter::new(&a);
        let names = |text: &str| -> Vec<String> {
            spotter
                .spot(text)
                .iter()
                .map(|s| a.names[s.name].english.clone())
                .collect()
        };
        assert!(names("وقال إنه تحدث عنه أمس").is_empty());
        assert!(names("عنهُ").is_empty());
        assert_eq!(names("قصف في عنة وفي عنةٍ"), ["Anah", "Anah"]);
        // A name that ends in ه keeps it.
        assert_eq!(names("والله"), ["Allah"]);
    }

    #[test]
    fn longest_name_first_through_clitics() {
        assert_eq!(
            english("دعم لكتائب حزب الله وحزب الله"),
            ["Hizbullah Brigades", "Hizbullah"]
        );
        assert_eq!(
            english("بيان للمقاومة الإسلامية في العراق"),
            ["Islamic Resistance in Iraq"]
        );
        assert_eq!(english("وصلوا إلى دير الزّور أمس"), ["Deir Al-Zour"]);
        assert!(english("حزب جديد في لبنان").is_empty());
    }

    #[test]
    fn spans_cover_the_clitics() {
        let a = authority();
        let text = "دعم لكتائب حزب الله";
        let spot = &Spotter::new(&a).spot(text)[0];
        assert_eq!(&text[spot.span.clone()], "لكتائب حزب الله");
    }

    #[test]
    fn words_of_the_normalized_text_find_the_same_names() {
        let a = authority();
        let spotter = Spotter::new(&a);
        let text = "قصفت طائرات مواقع لكتائب حزب الله وحزبِ الله قرب دير الزّور";
        let folded = crate::text::normalize(text);
        let words: Vec<&str> = words(&folded).collect();
        let found = spotter.spot_words(&words);
        let names: Vec<usize> = found.iter().map(|(_, name)| *name).collect();
        let by_text: Vec<usize> = spotter.spot(text).iter().map(|s| s.name).collect();
        assert_eq!(names, by_text);
        assert_eq!(names.len(), 3);
        assert_eq!(words[found[0].0.clone()], ["لكتايب", "حزب", "الله"]);
        // A spotter for these words alone indexes what they need.
        let narrow = Spotter::for_texts(&a, words.iter().copied());
        assert_eq!(narrow.spot_words(&words), found);
    }

    /// The names `spot` finds in a text, and those `spot_words` finds in its matching words.
    fn both_ways(spotter: &Spotter, text: &str) -> (Vec<usize>, Vec<usize>) {
        let folded = crate::text::normalize(text);
        let words: Vec<&str> = words(&folded).collect();
        let by_words = spotter.spot_words(&words).iter().map(|s| s.1).collect();
        (
            spotter.spot(text).iter().map(|s| s.name).collect(),
            by_words,
        )
    }

    #[test]
    fn names_glued_to_punctuation_are_found_in_words() {
        let a = authority();
        let spotter = Spotter::new(&a);
        for text in [
            "قال حزب الله.وأضاف البيان",
            "وسم #حزب_الله انتشر",
            "أعلنت كتائب حزب الله:إن القافلة وصلت",
            "في دير الزور،حيث",
        ] {
            let (by_text, by_words) = both_ways(&spotter, text);
            assert_eq!(by_words, by_text, "{text}");
            assert!(!by_text.is_empty(), "{text}");
        }
    }

    /// [`Spotter::spot_words`] as it was first written, the reference its one look-up a word is held
    /// to: each of the word's [`without_proclitics`] readings looked up in turn.
    fn spot_by_readings(spotter: &Spotter, words: &[&str]) -> Vec<(Range<usize>, usize)> {
        let by_first: FxHashMap<&str, usize> = spotter
            .forms
            .iter()
            .enumerate()
            .map(|(g, forms)| (forms[0].0[0].as_str(), g))
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let found = without_proclitics(words[i]).find_map(|first| {
                spotter.forms[*by_first.get(first.as_ref())?]
                    .iter()
                    .find(|(form, _)| {
                        form.len() <= words.len() - i
                            && form[1..].iter().zip(&words[i + 1..]).all(|(f, w)| f == w)
                    })
            });
            match found {
                Some((form, name)) => {
                    out.push((i..i + form.len(), *name));
                    i += form.len();
                }
                None => i += 1,
            }
        }
        out
    }

    /// The shipped authority's first words (in matching form), for texts made of them.
    fn shipped_first_words() -> (Spotter, Vec<String>) {
        let spotter = Spotter::new(&Authority::shipped());
        let mut words: Vec<String> = spotter
            .forms
            .iter()
            .flat_map(|forms| forms.iter().flat_map(|(form, _)| form.iter().cloned()))
            .collect();
        words.sort();
        words.dedup();
        (spotter, words)
    }

    /// [`Spotter::spot`] as it was written before it tested words against [`Spotter::firsts`]: every
    /// word folded by [`crate::text::tokenize_into`] and looked up.
    fn spot_every_word(spotter: &Spotter, text: &str) -> Vec<Spot> {
        let (mut norms, mut tokens, mut scratch) = (String::new(), Vec::new(), String::new());
        crate::text::tokenize_into(text, &mut norms, &mut tokens, &mut scratch);
        let mut spots: Vec<Spot> = spotter
            .spot_by(&tokens, |(_, norm)| &norms[norm.clone()])
            .into_iter()
            .map(|(words, name)| Spot {
                name,
                span: tokens[words.start].0.start..tokens[words.end - 1].0.end,
            })
            .collect();
        spots.retain(|s| !(spotter.taa.contains(&s.name) && pronoun_suffix(&text[s.span.clone()])));
        spots
    }

    /// The shipped authority's forms as written (ة, ى, hamza seats and all), cut at whitespace, with
    /// words of news text around them.
    fn shipped_raw_words() -> (Spotter, Vec<String>) {
        let authority = Authority::shipped();
        let mut words: Vec<String> = authority
            .names
            .iter()
            .flat_map(|n| n.arabic.iter().flat_map(|f| f.split_whitespace()))
            .map(str::to_string)
            .collect();
        words.extend(
            [
                "قال",
                "في",
                "من",
                "إلى",
                "على",
                "عنه",
                "عنة",
                "الذي",
                "مستشفى",
                "مصطفى",
                "وزارة",
                "الصحة",
                "قالت",
                "أمس",
                "٢٠٢٤",
                "3.5",
                "١٬٠٠٠",
                "Hezbollah",
                "ISIS",
                "ﷲ",
                "ﻻ",
                "ﺣﺰﺏ",
                "گروه",
                "ٵ",
                "ا\u{654}",
            ]
            .map(str::to_string),
        );
        words.sort();
        words.dedup();
        (Spotter::new(&authority), words)
    }

    /// A word of [`shipped_raw_words`] as a text may write it: clitics before it, harakat, tatweel
    /// or invisible marks inside, ة and ه, ى and ي, hamza seats swapped.
    fn as_written(word: &str, clitic: usize, marks: &[(usize, usize)], swap: usize) -> String {
        let clitics = [
            "", "", "و", "ف", "ب", "ك", "ل", "وب", "فك", "ول", "لل", "وال", "ال",
        ];
        let mut chars: Vec<char> = format!("{}{word}", clitics[clitic % clitics.len()])
            .chars()
            .collect();
        let swaps = [
            ('ة', 'ه'),
            ('ه', 'ة'),
            ('ى', 'ي'),
            ('ي', 'ى'),
            ('ا', 'أ'),
            ('أ', 'ا'),
            ('إ', 'ا'),
            ('ا', 'آ'),
            ('ء', 'ئ'),
            ('ي', 'ی'),
        ];
        if let Some(&(from, to)) = swaps.get(swap) {
            if let Some(c) = chars.iter_mut().rev().find(|c| **c == from) {
                *c = to;
            }
        }
        let inside = [
            '\u{64E}', '\u{64F}', '\u{650}', '\u{651}', '\u{652}', '\u{64B}', '\u{640}', '\u{670}',
            '\u{200F}', '\u{654}', '\u{655}', '\u{653}', '\u{6D6}', '\u{610}', '\u{FE7C}',
            '\u{301}',
        ];
        for &(at, mark) in marks {
            let at = at % (chars.len() + 1);
            chars.insert(at, inside[mark % inside.len()]);
        }
        chars.into_iter().collect()
    }

    proptest::proptest! {
        #[test]
        fn prop_spot_finds_what_every_word_looked_up_finds(
            parts in proptest::collection::vec(
                (
                    0usize..100_000,
                    0usize..13,
                    proptest::collection::vec((0usize..16, 0usize..16), 0..3),
                    0usize..24,
                    0usize..12,
                ),
                0..14,
            ),
        ) {
            use std::sync::OnceLock;
            static SHIPPED: OnceLock<(Spotter, Vec<String>)> = OnceLock::new();
            let (spotter, words) = SHIPPED.get_or_init(shipped_raw_words);
            let gaps = [" ", " ", " ", " ", "، ", ".", ":", "-", "\n", " (", "\u{200F} ", "_"];
            let text: String = parts
                .iter()
                .map(|(w, clitic, marks, swap, gap)| {
                    let word = as_written(&words[w % words.len()], *clitic, marks, *swap);
                    format!("{word}{}", gaps[gap % gaps.len()])
                })
                .collect();
            proptest::prop_assert_eq!(spotter.spot(&text), spot_every_word(spotter, &text), "{}", text);
        }

        #[test]
        fn prop_spot_reads_any_text_as_every_word_looked_up(text in "\\PC{0,40}") {
            let a = authority();
            let spotter = Spotter::new(&a);
            proptest::prop_assert_eq!(spotter.spot(&text), spot_every_word(&spotter, &text));
        }
    }

    proptest::proptest! {
        #[test]
        fn prop_one_look_up_finds_what_each_reading_finds(
            picks in proptest::collection::vec((0usize..10_000, 0usize..12), 0..12),
        ) {
            use std::sync::OnceLock;
            static SHIPPED: OnceLock<(Spotter, Vec<String>)> = OnceLock::new();
            let (spotter, firsts) = SHIPPED.get_or_init(shipped_first_words);
            let clitics = ["", "و", "ف", "ب", "ك", "ل", "وب", "فك", "ول", "لل", "ولل", "ا"];
            let words: Vec<String> = picks
                .iter()
                .map(|&(w, c)| {
                    let word = &firsts[w % firsts.len()];
                    // لل in place of the article, as للمقاومة is written.
                    match (clitics[c], word.strip_prefix('ا')) {
                        ("لل", Some(rest)) if rest.starts_with('ل') => format!("ل{rest}"),
                        (clitic, _) => format!("{clitic}{word}"),
                    }
                })
                .collect();
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(spotter.spot_words(&words), spot_by_readings(spotter, &words));
        }

        #[test]
        fn prop_words_find_what_the_text_has(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "حزب", "الله", "لحزب", "وكتائب", "كتائب", "دير", "الزور", "المقاومة", "الإسلامية", "في",
                "العراق", "قال", "3", "5", ".", ":", "_", "،", ",", ";", "'", " ", " ", " ", "-", "#",
            ]),
            0..24,
        )) {
            let text: String = parts.concat();
            let (by_text, by_words) = both_ways(&Spotter::new(&authority()), &text);
            proptest::prop_assert_eq!(by_words, by_text, "{}", text);
        }
    }
}
