//! What the aligner sees of a sentence: its length and a bag of weighted "concepts" that a sentence and
//! its translation share.
//!
//! A concept is something both languages write alike or that we can map across: a number (Arabic-Indic
//! digits are folded), a Latin-script token inside Arabic text (COVID-19, WHO), a consonant skeleton
//! (ترامب and Trump both give `trmb`, فيروس and virus both `frs`), a punctuation mark that survives
//! translation (? quotes parentheses), and in the second pass an English word that the learned lexicon
//! gives for an Arabic word. Each sentence becomes a sorted sparse vector; two sentences match by the
//! weight their vectors share, each concept weighted by its rarity (IDF) in the documents.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap;

use crate::names::spot::Spotter;
use crate::names::Authority;
use crate::text::skeleton::{arabic_skeleton_into, skeleton_into};
use crate::text::{self, fold_english, normalize, strip_clitics};

/// What a concept (or a cached token) is, mixed into its fingerprint so that equal texts of different
/// kinds stay apart. The values are the one-letter tags the fingerprints have always been made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    /// A number, in its normalized form.
    Number = b'#',
    /// A token in Latin script (COVID-19, Reuters), written alike on both sides.
    Latin = b'L',
    /// A consonant skeleton that an Arabic word and an English word share.
    Skeleton = b'S',
    /// An Arabic word's stem, for the learned lexicon.
    ArabicWord = b'A',
    /// An English word, for the learned lexicon.
    EnglishWord = b'E',
    /// A name of the authority, spotted on both sides.
    Name = b'N',
    /// A punctuation mark both sides carry (? ! : quotes, brackets).
    Punctuation = b'P',
    /// Not a concept: the reader's cache key of an Arabic token.
    ArabicToken = b'a',
    /// Not a concept: the reader's cache key of an English token.
    EnglishToken = b'e',
}

/// Interned concept ids: one table for both languages, so a shared id is a shared concept. A concept's
/// key is its [`Kind`] and its text, kept as their 64-bit xxh3 fingerprint: reading a document looks
/// up a few keys for each of its words, and most of a short document's words are new. (Two keys of a
/// document share a fingerprint with odds of about 1 in 10^10; they would then count as one concept.)
#[derive(Default)]
pub(crate) struct Concepts {
    ids: FxHashMap<u64, u32>,
}

/// The fingerprint of a concept key or a token. The kind is mixed in after hashing: as xxh3's seed it
/// is added before the final mixing, and for inputs of three bytes or fewer two kinds then collide
/// (`S`+`thk` with `E`+`the`).
fn fingerprint(kind: Kind, text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) ^ (kind as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Concepts {
    pub(crate) fn id(&mut self, kind: Kind, text: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(fingerprint(kind, text)).or_insert(next)
    }

    pub(crate) fn get(&self, kind: Kind, text: &str) -> Option<u32> {
        self.ids.get(&fingerprint(kind, text)).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }
}

/// A sparse vector of concept weights, sorted by concept id.
pub(crate) type Vector = Vec<(u32, f32)>;

/// One sentence as the aligner sees it.
#[derive(Clone)]
pub(crate) struct Sentence {
    /// Length in characters, spaces excluded (Gale & Church's unit).
    pub(crate) len: f64,
    /// Concepts of the first pass: numbers, Latin tokens, skeletons, punctuation.
    pub(crate) vector: Vector,
    /// Word keys for learning the lexicon: Arabic stems or English words.
    pub(crate) words: Vec<u32>,
}

/// Arabic words too common to be names or cognates (their skeletons collide with English words).
fn is_arabic_function(word: &str) -> bool {
    matches!(
        word,
        "من" | "في"
            | "علي"
            | "الي"
            | "عن"
            | "مع"
            | "ان"
            | "او"
            | "ثم"
            | "التي"
            | "الذي"
            | "الذين"
            | "هذا"
            | "هذه"
            | "ذلك"
            | "تلك"
            | "كان"
            | "كانت"
            | "قد"
            | "لقد"
            | "لم"
            | "لن"
            | "ما"
            | "لا"
            | "هو"
            | "هي"
            | "هم"
            | "بين"
            | "بعد"
            | "قبل"
            | "حتي"
            | "عند"
            | "كل"
            | "منذ"
            | "خلال"
            | "ضد"
            | "حول"
            | "لدي"
            | "غير"
            | "ايضا"
            | "اذا"
            | "كما"
            | "وقد"
            | "بان"
            | "لان"
            | "انه"
            | "انها"
            | "قال"
            | "قالت"
            | "يكون"
            | "تكون"
            | "عام"
            | "اكثر"
    )
}

/// English words too common to carry a skeleton (the, said, with...).
fn is_english_function(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "and"
            | "that"
            | "this"
            | "with"
            | "from"
            | "have"
            | "has"
            | "had"
            | "was"
            | "were"
            | "which"
            | "their"
            | "they"
            | "there"
            | "these"
            | "those"
            | "said"
            | "would"
            | "could"
            | "should"
            | "been"
            | "being"
            | "other"
            | "after"
            | "before"
            | "more"
            | "most"
            | "than"
            | "then"
            | "them"
            | "when"
            | "where"
            | "while"
            | "will"
            | "what"
            | "also"
            | "about"
            | "into"
            | "over"
            | "under"
            | "such"
            | "some"
            | "many"
            | "much"
            | "very"
            | "just"
            | "only"
    )
}

/// A number token in one canonical form: digits with thousands separators dropped.
fn number_key(token: &str) -> Option<String> {
    if !token.chars().next()?.is_ascii_digit() {
        return None;
    }
    let digits: String = token
        .chars()
        .filter(|c| *c != ',')
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let digits = digits.trim_end_matches('.');
    (!digits.is_empty()).then(|| digits.to_string())
}

/// Punctuation that a translation nearly always keeps, folded across scripts: the keys, and which key a
/// character has.
const PUNCTUATION: [&str; 5] = ["?", "!", "()", "\"", ":"];

fn punctuation_key(c: char) -> Option<usize> {
    match c {
        '?' | '؟' => Some(0),
        '!' => Some(1),
        '(' | ')' => Some(2),
        '"' | '«' | '»' | '“' | '”' => Some(3),
        ':' => Some(4),
        _ => None,
    }
}

/// A sentence's length in characters, whitespace excluded (Gale & Church's unit), calling `mark` with
/// the key of each punctuation mark on the way: one pass for both, and the Arabic block known to hold no
/// whitespace without a table look-up.
fn length_and_punctuation(text: &str, mut mark: impl FnMut(usize)) -> f64 {
    let mut length = 0usize;
    for c in text.chars() {
        if ('\u{0600}'..='\u{06FF}').contains(&c) || !c.is_whitespace() {
            length += 1;
        }
        if let Some(key) = punctuation_key(c) {
            mark(key);
        }
    }
    length as f64
}

/// A crude English stem for the lexicon: lower case, possessive and plural `s` dropped.
pub(crate) fn english_stem(word: &str) -> &str {
    let word = word.strip_suffix("'s").unwrap_or(word);
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        &word[..word.len() - 1]
    } else {
        word
    }
}

/// The stem an Arabic token is learned under, unless it is a number or a Latin-script token (those are
/// concepts, written alike on both sides).
fn arabic_stem(token: &str) -> Option<&str> {
    let other = number_key(token).is_some() || token.chars().any(|ch| ch.is_ascii_alphabetic());
    (!other).then(|| strip_clitics(token).1)
}

/// The stem an English token is learned under, unless it holds a digit (a number, COVID-19).
fn english_word(token: &str) -> Option<&str> {
    (!token.chars().any(|ch| ch.is_ascii_digit())).then(|| english_stem(token))
}

/// What one token contributes, worked out once per distinct token of a document.
#[derive(Clone, Copy)]
struct TokenIds {
    /// A concept the token carries (number, Latin token, skeleton).
    concept: Option<u32>,
    /// Another: an English token both names a Latin token of the Arabic side and has a skeleton.
    also: Option<u32>,
    /// The word key for the lexicon.
    word: Option<u32>,
}

impl TokenIds {
    fn concept(id: u32) -> TokenIds {
        TokenIds {
            concept: Some(id),
            also: None,
            word: None,
        }
    }
}

/// Interns tokens into concept and word ids, caching per distinct token (a document repeats its
/// words; the skeletons and keys are the dear part of reading it).
#[derive(Default)]
pub(crate) struct Reader {
    pub(crate) concepts: Concepts,
    /// By the token's fingerprint.
    arabic: FxHashMap<u64, TokenIds>,
    english: FxHashMap<u64, TokenIds>,
    /// The concept ids of the punctuation keys, once seen.
    punctuation: [Option<u32>; PUNCTUATION.len()],
    /// Buffers for a token's skeleton, reused: most tokens of a document are read once.
    skeleton: String,
    scratch: Vec<u8>,
}

impl Reader {
    /// A reader for texts of about `bytes` bytes in all: its tables are made large enough at once
    /// (growing them was a twentieth of reading a short document).
    pub(crate) fn for_bytes(bytes: usize) -> Reader {
        // About one distinct token in 12 bytes of either language, and two concepts a token; a long
        // document repeats its words, and its tables grow from there.
        let tokens = (bytes / 12).min(1 << 16);
        Reader {
            concepts: Concepts {
                ids: FxHashMap::with_capacity_and_hasher(2 * tokens, Default::default()),
            },
            arabic: FxHashMap::with_capacity_and_hasher(tokens / 2, Default::default()),
            english: FxHashMap::with_capacity_and_hasher(tokens / 2, Default::default()),
            ..Reader::default()
        }
    }

    fn arabic_token(&mut self, token: &str) -> TokenIds {
        let key = fingerprint(Kind::ArabicToken, token);
        if let Some(ids) = self.arabic.get(&key) {
            return *ids;
        }
        let c = &mut self.concepts;
        let ids = if let Some(stem) = arabic_stem(token) {
            let skeleton = &mut self.skeleton;
            skeleton.clear();
            if !is_arabic_function(token) {
                arabic_skeleton_into(stem, skeleton);
            }
            TokenIds {
                concept: (skeleton.len() >= 3).then(|| c.id(Kind::Skeleton, skeleton)),
                also: None,
                word: Some(c.id(Kind::ArabicWord, stem)),
            }
        } else if let Some(key) = number_key(token) {
            TokenIds::concept(c.id(Kind::Number, &key))
        } else {
            TokenIds::concept(c.id(Kind::Latin, token))
        };
        self.arabic.insert(key, ids);
        ids
    }

    fn english_token(&mut self, token: &str) -> TokenIds {
        let key = fingerprint(Kind::EnglishToken, token);
        if let Some(ids) = self.english.get(&key) {
            return *ids;
        }
        let c = &mut self.concepts;
        let ids = if let Some(stem) = english_word(token) {
            // A Latin token the Arabic side carries as is (WHO, Twitter) is known by now: the Arabic
            // side is read first.
            let latin = c.get(Kind::Latin, token);
            let skeleton = &mut self.skeleton;
            skeleton.clear();
            if !is_english_function(token) {
                skeleton_into(token, skeleton, &mut self.scratch);
            }
            TokenIds {
                concept: latin,
                also: (skeleton.len() >= 3).then(|| c.id(Kind::Skeleton, skeleton)),
                word: Some(c.id(Kind::EnglishWord, stem)),
            }
        } else if let Some(key) = number_key(token) {
            TokenIds::concept(c.id(Kind::Number, &key))
        } else {
            // COVID-19 style tokens are written alike in Arabic text.
            TokenIds::concept(c.id(Kind::Latin, token))
        };
        self.english.insert(key, ids);
        ids
    }

    /// Reads an Arabic sentence. Read every Arabic sentence before the English ones.
    #[cfg(test)]
    pub(crate) fn arabic(&mut self, text: &str) -> Sentence {
        let folded = normalize(text);
        let words: Vec<&str> = text::words(&folded).collect();
        self.arabic_words(text, &words)
    }

    /// Reads an Arabic sentence, given with the [`words`](text::words()) of its [`normalize`]d form.
    pub(crate) fn arabic_words(&mut self, text: &str, words: &[&str]) -> Sentence {
        self.read(text, words.iter().copied(), Reader::arabic_token)
    }

    /// Reads an English sentence.
    pub(crate) fn english(&mut self, text: &str) -> Sentence {
        self.read(
            text,
            text::words(&fold_english(text)),
            Reader::english_token,
        )
    }

    /// The word keys of an Arabic text that are known already (the document's, read first), without
    /// interning the others: an example pair from the memory teaches only the document's words, and
    /// the aligner reads thousands of them.
    pub(crate) fn known_arabic_words(&self, text: &str) -> Vec<u32> {
        let folded = normalize(text);
        text::words(&folded)
            .filter_map(
                |token| match self.arabic.get(&fingerprint(Kind::ArabicToken, token)) {
                    Some(ids) => ids.word,
                    None => self.concepts.get(Kind::ArabicWord, arabic_stem(token)?),
                },
            )
            .collect()
    }

    /// [`Reader::known_arabic_words`] for English.
    pub(crate) fn known_english_words(&self, text: &str) -> Vec<u32> {
        let folded = fold_english(text);
        text::words(&folded)
            .filter_map(
                |token| match self.english.get(&fingerprint(Kind::EnglishToken, token)) {
                    Some(ids) => ids.word,
                    None => self.concepts.get(Kind::EnglishWord, english_word(token)?),
                },
            )
            .collect()
    }

    fn read<'t>(
        &mut self,
        text: &str,
        tokens: impl Iterator<Item = &'t str>,
        ids_of: fn(&mut Reader, &str) -> TokenIds,
    ) -> Sentence {
        // About a word in 8 bytes of Arabic or 6 of English; a concept or two a word.
        let mut concepts = Vec::with_capacity(text.len() / 3);
        let mut words = Vec::with_capacity(text.len() / 5);
        let marks = &mut self.punctuation;
        let len = length_and_punctuation(text, |key| {
            let id = marks[key]
                .get_or_insert_with(|| self.concepts.id(Kind::Punctuation, PUNCTUATION[key]));
            concepts.push(*id);
        });
        for token in tokens {
            let ids = ids_of(self, token);
            words.extend(ids.word);
            concepts.extend(ids.concept.into_iter().chain(ids.also));
        }
        Sentence {
            len,
            vector: counted(concepts),
            words,
        }
    }
}

/// Counts repeated ids: a sorted vector with one weight per occurrence.
pub(crate) fn counted(mut ids: Vec<u32>) -> Vector {
    ids.sort_unstable();
    let mut out: Vector = Vec::with_capacity(ids.len());
    for id in ids {
        match out.last_mut() {
            Some(last) if last.0 == id => last.1 += 1.0,
            _ => out.push((id, 1.0)),
        }
    }
    out
}

/// Adds the authority's names as concepts: each name spotted in an Arabic sentence (in any of its
/// Arabic forms, with clitics), and found in an English sentence in its house spelling or a known
/// variant (Hizbullah, Hezbollah). Multi-word names (Deir Al-Zour, Asa'ib Ahl Al-Haq) are what
/// skeletons of single words miss.
pub(crate) fn add_names<'t, W: AsRef<[&'t str]>, E: AsRef<str>>(
    (authority, spotter): (&Authority, Option<&Spotter>),
    (words, ar): (&[W], &mut [Sentence]),
    (en_text, en): (&[E], &mut [Sentence]),
    concepts: &mut Concepts,
) {
    let for_texts;
    let spotter = match spotter {
        Some(spotter) => spotter,
        None => {
            let all = words.iter().flat_map(|w| w.as_ref().iter().copied());
            for_texts = Spotter::for_texts(authority, all);
            &for_texts
        }
    };
    let mut found: FxHashMap<usize, u32> = FxHashMap::default();
    for (words, sentence) in words.iter().zip(ar.iter_mut()) {
        let ids: Vec<u32> = spotter
            .spot_words(words.as_ref())
            .into_iter()
            .filter(|&(_, name)| name < authority.names.len())
            .map(|(_, name)| {
                *found
                    .entry(name)
                    .or_insert_with(|| concepts.id(Kind::Name, &name.to_string()))
            })
            .collect();
        if !ids.is_empty() {
            sentence.vector = sum(&sentence.vector, &counted(ids));
        }
    }
    if found.is_empty() {
        return;
    }
    let mut patterns = Vec::new();
    let mut owners = Vec::new();
    for (&name, &id) in &found {
        let name = &authority.names[name];
        for form in std::iter::once(&name.english)
            .chain(&name.accepted)
            .chain(&name.variants)
        {
            patterns.push(form.as_str());
            owners.push(id);
        }
    }
    // A few patterns over a few sentences: the NFA alone, as building a DFA cost more than the search.
    let Ok(matcher) = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::NoncontiguousNFA))
        .build(&patterns)
    else {
        return;
    };
    for (text, sentence) in en_text.iter().zip(en.iter_mut()) {
        let text = text.as_ref();
        let starts_word = |at: usize| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let ends_word = |at: usize| {
            text[at..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let ids: Vec<u32> = matcher
            .find_iter(text)
            .filter(|m| starts_word(m.start()) && ends_word(m.end()))
            .map(|m| owners[m.pattern().as_usize()])
            .collect();
        if !ids.is_empty() {
            sentence.vector = sum(&sentence.vector, &counted(ids));
        }
    }
}

/// The weight two vectors share: for each common concept the smaller weight times its IDF. (The
/// aligner computes it against a scattered vector; this is the definition, for tests.)
#[cfg(test)]
pub(crate) fn shared(a: &[(u32, f32)], b: &[(u32, f32)], idf: &[f32]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1.min(b[j].1) * idf[a[i].0 as usize];
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Drops from every vector the concepts that only one side has: they never add to what a bead shares,
/// and the aligner would walk past them in each of the millions of beads it weighs (in the second pass
/// most English words are such, having no Arabic word the lexicon links to them).
pub(crate) fn drop_one_sided(ar: &mut [Sentence], en: &mut [Sentence], concepts: usize) {
    let mut sides = vec![0u8; concepts];
    for (side, bit) in [(&*ar, 1u8), (&*en, 2u8)] {
        for s in side {
            for (id, _) in &s.vector {
                sides[*id as usize] |= bit;
            }
        }
    }
    for s in ar.iter_mut().chain(en.iter_mut()) {
        s.vector.retain(|(id, _)| sides[*id as usize] == 3);
    }
}

/// The sum of two vectors (`a`'s weight first where both have a concept), both sorted by id.
pub(crate) fn sum(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vector {
    let mut out = Vec::with_capacity(a.len() + b.len());
    sum_into(a, b, &mut out);
    out
}

/// [`sum`] appended to `out`.
pub(crate) fn sum_into(a: &[(u32, f32)], b: &[(u32, f32)], out: &mut Vector) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
}

/// IDF of every concept over all sentences of both sides: rare concepts are strong evidence.
pub(crate) fn idf(sentences: &[&[Sentence]], concepts: usize) -> Vec<f32> {
    let mut df = vec![0u32; concepts];
    let mut n = 0u32;
    for side in sentences {
        for s in side.iter() {
            n += 1;
            for (id, _) in &s.vector {
                df[*id as usize] += 1;
            }
        }
    }
    df.iter()
        .map(|&d| {
            if d == 0 {
                0.0
            } else {
                ((n as f32 + 1.0) / d as f32).ln().max(0.1)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definitions the one-pass scan replaced.
    fn length_and_marks(text: &str) -> (f64, Vec<usize>) {
        let mut marks = Vec::new();
        let length = length_and_punctuation(text, |key| marks.push(key));
        (length, marks)
    }

    fn by_chars(text: &str) -> (f64, Vec<usize>) {
        let length = text.chars().filter(|c| !c.is_whitespace()).count() as f64;
        (length, text.chars().filter_map(punctuation_key).collect())
    }

    #[test]
    fn length_and_punctuation_in_one_pass() {
        let text = "قال «ترامب»: هل دخلت ١٧ شاحنة؟\u{00A0}(نعم)\t“yes”!\u{2009}\u{000B}";
        assert_eq!(length_and_marks(text), by_chars(text));
        assert_eq!(length_and_marks(text).1, [3, 3, 4, 0, 2, 2, 3, 3, 1]);
        assert_eq!(length_and_marks(" \u{3000}").0, 0.0);
    }

    proptest! {
        #[test]
        fn prop_length_and_punctuation_as_by_chars(text in any::<String>()) {
            prop_assert_eq!(length_and_marks(&text), by_chars(&text));
        }
    }

    #[test]
    fn concepts_of_different_kinds_stay_apart() {
        // xxh3 with the kind as seed gave these two one fingerprint.
        let mut concepts = Concepts::default();
        assert_ne!(
            concepts.id(Kind::Skeleton, "thk"),
            concepts.id(Kind::EnglishWord, "the")
        );
        assert_ne!(
            concepts.id(Kind::Skeleton, "srg"),
            concepts.id(Kind::EnglishWord, "sri")
        );
        // And short keys of every kind, pairwise.
        let texts = [
            "", "a", "b", "ab", "ba", "the", "thk", "1", "10", "01", "trmb",
        ];
        let mut seen = std::collections::HashSet::new();
        for kind in [
            Kind::Number,
            Kind::Latin,
            Kind::Skeleton,
            Kind::ArabicWord,
            Kind::EnglishWord,
            Kind::Name,
            Kind::Punctuation,
        ] {
            for t in texts {
                assert!(seen.insert(fingerprint(kind, t)), "{kind:?}{t}");
            }
        }
        assert_eq!(concepts.get(Kind::Skeleton, "thk"), Some(0));
    }

    #[test]
    fn examples_yield_only_the_documents_words() {
        let mut reader = Reader::default();
        let doc_ar = reader.arabic("وصلت القافلة إلى البوكمال");
        let doc_en = reader.english("The convoy reached Al-Bukamal");
        let known = reader.concepts.len();
        let ar = reader.known_arabic_words("وللقافلة طريق آخر إلى الحدود في 2019");
        let en = reader.known_english_words("The convoys took another road in 2019");
        assert_eq!(reader.concepts.len(), known, "nothing new is interned");
        // قافلة (through و + ل + ال) and إلى; the, convoy (plural s off).
        assert_eq!(ar, [doc_ar.words[1], doc_ar.words[2]]);
        assert_eq!(en, [doc_en.words[0], doc_en.words[1]]);
    }

    #[test]
    fn numbers_meet_across_digit_systems_and_separators() {
        let mut reader = Reader::default();
        let ar = reader.arabic("قتل ١٬٠٠٠ شخص في عام ٢٠١٩؟");
        let en = reader.english("Were 1,000 people killed in 2019?");
        let idf = vec![1.0; reader.concepts.len()];
        // 1000, 2019 and the question mark.
        assert_eq!(shared(&ar.vector, &en.vector, &idf), 3.0);
    }

    #[test]
    fn latin_tokens_in_arabic_text_match() {
        let mut reader = Reader::default();
        let ar = reader.arabic("أعلنت منظمة WHO عن تفشي COVID-19");
        let en = reader.english("The WHO declared the COVID-19 outbreak");
        let idf = vec![1.0; reader.concepts.len()];
        assert!(shared(&ar.vector, &en.vector, &idf) >= 2.0);
    }

    #[test]
    fn authority_names_meet_in_any_spelling() {
        let authority = Authority::shipped();
        let mut reader = Reader::default();
        let ar_text = ["قصفت طائرات مواقع لكتائب حزب الله قرب دير الزور"];
        let en_text = ["Aircraft struck Kataib Hezbollah positions near Deir ez-Zor"];
        let mut ar: Vec<Sentence> = ar_text.iter().map(|t| reader.arabic(t)).collect();
        let mut en: Vec<Sentence> = en_text.iter().map(|t| reader.english(t)).collect();
        let before = shared(
            &ar[0].vector,
            &en[0].vector,
            &vec![1.0; reader.concepts.len()],
        );
        let ar_folded: Vec<String> = ar_text.iter().map(|t| normalize(t)).collect();
        let ar_words: Vec<Vec<&str>> = ar_folded.iter().map(|t| text::words(t).collect()).collect();
        add_names(
            (&authority, None),
            (&ar_words, &mut ar),
            (&en_text, &mut en),
            &mut reader.concepts,
        );
        let idf = vec![1.0; reader.concepts.len()];
        // Hizbullah Brigades (a variant spelling) and Deir Al-Zour (a variant too) now meet.
        let after = shared(&ar[0].vector, &en[0].vector, &idf);
        assert!(after >= before + 2.0, "{before} -> {after}");
    }

    #[test]
    fn sums_add_weights_of_common_concepts() {
        let a = vec![(1, 1.0), (3, 2.0)];
        let b = vec![(2, 1.0), (3, 1.0)];
        assert_eq!(sum(&a, &b), vec![(1, 1.0), (2, 1.0), (3, 3.0)]);
    }
}
