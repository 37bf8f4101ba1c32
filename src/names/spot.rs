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
    first_word, joined_first_word, tokenize, tokenize_into, without_proclitics, Token,
};

/// [`tokenize_into`]'s buffers: the matching forms, each word's span and form, working space.
type WordBuffers = (String, Vec<(Range<usize>, Range<usize>)>, String);

thread_local! {
    /// The words of the text [`Spotter::spot`] reads, kept from one text to the next: a word's
    /// matching form then costs no allocation.
    static WORDS: std::cell::RefCell<WordBuffers> =
        const { std::cell::RefCell::new((String::new(), Vec::new(), String::new())) };
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
    /// First word → (all words of the form, name index), longest forms first.
    by_first: FxHashMap<String, Vec<(Vec<String>, usize)>>,
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
        Spotter { by_first, taa }
    }

    /// The names in `text`, in order, not overlapping. A one-word name written with a final ة is not
    /// taken where the text has ه and no article: that is a pronoun suffix (عنه, "about him"), not the
    /// name (عنة, Anah).
    pub(crate) fn spot(&self, text: &str) -> Vec<Spot> {
        WORDS.with_borrow_mut(|(norms, tokens, scratch)| {
            tokenize_into(text, norms, tokens, scratch);
            let mut spots: Vec<Spot> = self
                .spot_by(tokens, |(_, norm)| &norms[norm.clone()])
                .into_iter()
                .map(|(words, name)| Spot {
                    name,
                    span: tokens[words.start].0.start..tokens[words.end - 1].0.end,
                })
                .collect();
            spots
                .retain(|s| !(self.taa.contains(&s.name) && pronoun_suffix(&text[s.span.clone()])));
            spots
        })
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
            let found = without_proclitics(norm(&words[i])).find_map(|first| {
                self.by_first.get(first.as_ref())?.iter().find(|(form, _)| {
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

    proptest::proptest! {
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
