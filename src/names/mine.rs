//! Learning names from the memory: Arabic spans and the capitalised English spans they are rendered as.
//!
//! In each unit, every run of one to three Arabic words is transliterated with the learned model, and its
//! romanization skeleton (see [`skeleton`](crate::text::skeleton())) is compared with those of the runs of capitalised English
//! words of the translation. A pair that agrees is evidence that the translator wrote that Arabic name that
//! way; pairs are counted across the memory and ranked by evidence. Names the authority already knows are
//! left out: the point is to propose new ones.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::text::skeleton::skeleton_into;
use crate::text::words::{is_digit, ENGLISH_MONTHS};
use crate::text::{normalize, skeleton};

use serde::Serialize;

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
    /// The other renderings of the same Arabic form, most used first.
    pub competitors: Vec<Rendering>,
}

/// Capitalised words that start sentences and titles rather than names (a `match`: it is asked of the
/// first word of every capitalised run of a memory).
fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "In"
            | "On"
            | "At"
            | "According"
            | "He"
            | "She"
            | "It"
            | "They"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "Also"
            | "Moreover"
            | "However"
            | "Meanwhile"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "And"
    )
}

/// Months (Gregorian as written in Egypt and the Gulf, Syriac as in the Levant and Iraq) and days, in
/// matching form: dates, not names.
const CALENDAR_AR: [&str; 34] = [
    "يناير",
    "فبراير",
    "مارس",
    "ابريل",
    "مايو",
    "يونيو",
    "يونيه",
    "يوليو",
    "يوليه",
    "اغسطس",
    "سبتمبر",
    "اكتوبر",
    "نوفمبر",
    "ديسمبر",
    "كانون",
    "شباط",
    "اذار",
    "نيسان",
    "ايار",
    "حزيران",
    "تموز",
    "اب",
    "ايلول",
    "تشرين",
    "السبت",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "سبت",
    "احد",
    "جمعه",
];

/// English days (months are [`ENGLISH_MONTHS`]).
const ENGLISH_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether an Arabic form is a month or a day, or starts with one (كانون الثاني).
fn is_calendar_word(arabic: &str) -> bool {
    let first = normalize(arabic.split_whitespace().next().unwrap_or(""));
    let bare = first
        .strip_prefix('و')
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(&first);
    CALENDAR_AR.contains(&first.as_str()) || CALENDAR_AR.contains(&bare)
}

/// The Arabic words of a text that may be part of a name, in order, as byte ranges of `source`, into
/// `out` (cleared first); `None` where a word may not (inside a name the authority knows, a word cut by
/// a hyphen or glued to digits or Latin letters, a word of fewer than two letters), so that no span runs
/// across it.
///
/// A word is a run of characters between whitespace, without what it starts and ends with that is
/// neither an Arabic letter, nor a digit, nor an ASCII letter: the whole word, hyphens and digits inside
/// it kept (كوفيد-19, سارس-كوف-2), so that a name is never cut out of the middle of one. Most words are
/// Arabic letters alone, read by their bytes; the others a character at a time: this reads every
/// source of a memory.
fn arabic_words(
    source: &str,
    known: &[std::ops::Range<usize>],
    out: &mut Vec<Option<std::ops::Range<usize>>>,
) {
    out.clear();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = space_at(source, i);
        if space {
            i += len;
            continue;
        }
        // A word: up to the next space, read once, noting whether it is Arabic letters alone.
        let at = i;
        let mut letters_only = true;
        while i < bytes.len() {
            let b = bytes[i];
            if (0xD8..=0xDB).contains(&b) && i + 1 < bytes.len() {
                letters_only &= is_arabic_letter_bytes(b, bytes[i + 1]);
                i += 2;
                continue;
            }
            let (space, len) = space_at(source, i);
            if space {
                break;
            }
            letters_only = false;
            i += len;
        }
        let word = &source[at..i];
        let (kept, usable) = if letters_only {
            (at..i, word.len() >= 4)
        } else {
            word_parts(word, at)
        };
        let usable = usable && !known.iter().any(|r| r.contains(&at));
        out.push(usable.then_some(kept));
    }
}

/// Whether a two-byte UTF-8 sequence whose first byte is 0xD8 to 0xDB (the Arabic block) is an
/// [`is_arabic_letter`]: a bit a character, in one word for each first byte.
#[inline]
fn is_arabic_letter_bytes(lead: u8, next: u8) -> bool {
    // U+0620–063F; U+0641–065F and U+0670–067F; U+0680–06BF; U+06C0–06D3 and U+06FA–06FC.
    const LETTERS: [u64; 4] = [
        0xFFFF_FFFF_0000_0000,
        0xFFFF_0000_FFFF_FFFE,
        u64::MAX,
        0x1C00_0000_000F_FFFF,
    ];
    next & 0xC0 == 0x80 && LETTERS[usize::from(lead & 3)] >> (next & 0x3F) & 1 == 1
}

/// A word of [`arabic_words`] read a character at a time (it starts at byte `at` of the source): the
/// byte range of its kept part (empty if none), and whether it may be part of a name, known names
/// aside.
fn word_parts(word: &str, at: usize) -> (std::ops::Range<usize>, bool) {
    // Where its kept part starts and ends, its letters, digits and characters up to the last kept
    // one, and what lies after that one.
    let mut kept: Option<(usize, usize)> = None;
    let (mut letters, mut digits, mut chars) = (0usize, 0usize, 0usize);
    let (mut other, mut pending_chars, mut pending_other) = (false, 0usize, false);
    for (i, c) in word.char_indices() {
        let i = at + i;
        let letter = is_arabic_letter(c);
        let digit = !letter && is_digit(c);
        if letter || digit || c.is_ascii_alphanumeric() {
            let end = i + c.len_utf8();
            match &mut kept {
                Some((_, e)) => {
                    *e = end;
                    // What lay between two kept characters is inside the word.
                    chars += pending_chars;
                    other |= pending_other;
                }
                None => kept = Some((i, end)),
            }
            pending_chars = 0;
            pending_other = false;
            chars += 1;
            if letter {
                letters += 1;
            } else if digit {
                digits += 1;
            } else {
                // A Latin letter: not an Arabic name's word.
                other = true;
            }
        } else if kept.is_some() {
            pending_chars += 1;
            // Another script, or a symbol; a hyphen, tatweel or punctuation may be inside a name.
            pending_other |= !(c == '-'
                || c == '\u{640}'
                || c.is_ascii_punctuation()
                || is_arabic_punctuation(c));
        }
    }
    let usable = !other && (letters >= 2 || (letters == 0 && digits > 0 && digits == chars));
    (kept.map_or(0..0, |(s, e)| s..e), usable)
}

/// Whether `s` begins with `prefix`, compared in place: the prefixes are a few bytes of a skeleton, and
/// this runs for every Arabic word of a memory.
#[inline]
fn begins_with(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s.iter().zip(prefix).all(|(a, b)| a == b)
}

/// The words of `text` between whitespace ([`is_space`]), none empty: `str::split` with a predicate,
/// reading ASCII by the byte (this runs over every translation of a memory).
fn space_separated(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while at < bytes.len() {
            let (space, len) = space_at(text, at);
            if space {
                if let Some(s) = start {
                    let word = &text[s..at];
                    at += len;
                    return Some(word);
                }
            } else if start.is_none() {
                start = Some(at);
            }
            at += len;
        }
        start.map(|s| &text[s..])
    })
}

/// Whether the character at byte `i` of `text` (a character boundary) is whitespace ([`is_space`]),
/// and its length in bytes, read from its first byte: only the first bytes that begin a space outside
/// ASCII (U+0085, U+00A0, U+1680, U+2000–205F, U+3000) are decoded.
#[inline(always)]
fn space_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    match b {
        0..=0x7F => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
        0xC2 | 0xE1 | 0xE2 | 0xE3 => {
            let c = text[i..].chars().next().unwrap_or(' ');
            (is_space(c), c.len_utf8())
        }
        0xC0..=0xDF => (false, 2),
        0xE0..=0xEF => (false, 3),
        _ => (false, 4),
    }
}

/// Whitespace as `char::is_whitespace` has it, without its table look-up for the Arabic block.
fn is_space(c: char) -> bool {
    match c {
        ' ' | '\t'..='\r' => true,
        '\0'..='\u{7F}' | '\u{600}'..='\u{6FF}' => false,
        _ => c.is_whitespace(),
    }
}

/// Arabic letters (Persian and Urdu ones too) and harakat, by range: `char::is_alphabetic` searches a
/// table for every character outside ASCII, and this runs on every word of a memory.
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{620}'..='\u{63F}' | '\u{641}'..='\u{65F}' | '\u{670}'..='\u{6D3}' | '\u{6FA}'..='\u{6FC}')
}

fn is_arabic_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{60C}' | '\u{61B}' | '\u{61F}' | '\u{66A}'..='\u{66D}' | '\u{6D4}'
    )
}

/// The digits of some words, Arabic-Indic ones folded to ASCII as matching folds them: SARS-CoV-2 is
/// سارس-كوف-2, not سارس-كوف.
fn digits<'w>(words: impl Iterator<Item = &'w str>) -> String {
    let mut out = String::new();
    for word in words {
        out.extend(normalize(word).chars().filter(char::is_ascii_digit));
    }
    out
}

/// Jaro-Winkler similarity above which two renderings are taken for spellings of one name.
const SAME_NAME: f64 = 0.85;

/// Arabic function words that never start or end a name.
fn is_arabic_stopword(word: &str) -> bool {
    matches!(
        word,
        "في" | "من"
            | "على"
            | "إلى"
            | "الى"
            | "عن"
            | "أن"
            | "ان"
            | "إن"
            | "أو"
            | "و"
            | "ثم"
            | "مع"
            | "هذا"
            | "هذه"
            | "التي"
            | "الذي"
            | "قد"
            | "لا"
            | "ما"
            | "كان"
            | "بين"
    )
}

/// Units for a miner on another thread: their texts in one buffer, the known names' ranges in another.
/// A batch is filled on one thread, mined on the other and handed back to be filled again, so that no
/// thread frees what the other allocated (with the system allocator, a free across threads takes the
/// other thread's arena lock: in perf, half the time of `tm check` went to that contention).
#[derive(Default)]
pub struct Batch {
    text: String,
    /// Where each unit's source and target end in `text`, and its known ranges in `known`.
    units: Vec<(usize, usize, usize)>,
    /// Each unit's record number (the caller's: a row, a unit id).
    records: Vec<u64>,
    /// Byte ranges of the names the authority knows, relative to their unit's source.
    known: Vec<std::ops::Range<usize>>,
}

impl Batch {
    /// Appends a unit (`record` numbers it); [`Batch::find_known`] finds its known names.
    pub fn push(&mut self, record: u64, source: &str, target: &str) {
        self.text.push_str(source);
        let source_end = self.text.len();
        self.text.push_str(target);
        self.units
            .push((source_end, self.text.len(), self.known.len()));
        self.records.push(record);
    }

    /// Sets the known names of every unit to what `find` gives for its record, source and target.
    pub fn find_known<I>(&mut self, mut find: impl FnMut(u64, &str, &str) -> I)
    where
        I: IntoIterator<Item = std::ops::Range<usize>>,
    {
        self.known.clear();
        let mut from = 0;
        for (unit, &record) in self.units.iter_mut().zip(&self.records) {
            let (source_end, target_end, _) = *unit;
            let source = &self.text[from..source_end];
            let target = &self.text[source_end..target_end];
            self.known.extend(find(record, source, target));
            unit.2 = self.known.len();
            from = target_end;
        }
    }

    /// The number of units in the batch.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Empties the batch, keeping its buffers.
    pub fn clear(&mut self) {
        self.text.clear();
        self.units.clear();
        self.records.clear();
        self.known.clear();
    }
}

/// Collects proposals from units, one call per unit, and ranks them.
pub struct Miner<'a> {
    authority: &'a Authority,
    spotter: Spotter,
    /// Learned spellings only: the authority's names are left out of mining anyway.
    transliterator: Transliterator<'static>,
    /// Transliteration skeletons of Arabic words seen so far.
    cache: FxHashMap<String, u32>,
    skeletons: Vec<String>,
    counts: FxHashMap<(String, String), u64>,
    /// Units each Arabic word occurs in.
    /// English words written in lower case inside a sentence, with how often (mining only).
    lower_english: HashMap<String, u64>,
    /// Buffers of [`Miner::add_known`], kept from one unit to the next.
    scratch: Scratch,
}

/// What [`Miner::add_known`] works in: a unit's Arabic words, their skeletons' numbers, and the English
/// runs a span may still match.
#[derive(Default)]
struct Scratch {
    runs: Runs,
    words: Vec<Option<std::ops::Range<usize>>>,
    ids: Vec<Option<u32>>,
    candidates: Vec<usize>,
}

impl<'a> Miner<'a> {
    pub fn new(authority: &'a Authority) -> Miner<'a> {
        Miner {
            authority,
            spotter: Spotter::new(authority),
            transliterator: Transliterator::new(&NO_NAMES, Style::shipped()),
            cache: FxHashMap::default(),
            skeletons: Vec::new(),
            counts: FxHashMap::default(),
            lower_english: HashMap::new(),
            scratch: Scratch::default(),
        }
    }

    /// The number of a word's transliteration skeleton in `skeletons`.
    fn word_skeleton(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.cache.get(word) {
            return id;
        }
        let latin = self.transliterator.render(word, Scheme::News).text;
        let id = self.skeletons.len() as u32;
        self.skeletons.push(skeleton(&latin));
        self.cache.insert(word.to_string(), id);
        id
    }

    /// Looks at every unit of a batch, as [`Miner::add_known`] would one by one.
    pub fn add_batch(&mut self, batch: &Batch) {
        let mut from = 0;
        let mut known_from = 0;
        for &(source_end, target_end, known_end) in &batch.units {
            let source = &batch.text[from..source_end];
            let target = &batch.text[source_end..target_end];
            self.add_known(source, target, &batch.known[known_from..known_end]);
            from = target_end;
            known_from = known_end;
        }
    }

    /// Looks at one unit.
    pub fn add(&mut self, source: &str, target: &str) {
        let known: Vec<std::ops::Range<usize>> = self
            .spotter
            .spot(source)
            .into_iter()
            .map(|s| s.span)
            .collect();
        self.add_known(source, target, &known);
    }

    /// [`Miner::add`] with the byte ranges of the names the authority knows in `source` already found.
    pub fn add_known(&mut self, source: &str, target: &str, known: &[std::ops::Range<usize>]) {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.runs.read(target);
        if scratch.runs.len() == 0 {
            self.scratch = scratch;
            return;
        }
        let runs = &scratch.runs;
        arabic_words(source, known, &mut scratch.words);
        let word = |i: usize| scratch.words[i].clone().map(|r| &source[r]);
        // Each word's skeleton looked up once (a word ends up to three spans).
        scratch.ids.clear();
        for w in &scratch.words {
            let id = w.clone().map(|r| self.word_skeleton(&source[r]));
            scratch.ids.push(id);
        }
        let count = scratch.words.len();
        let stop = is_arabic_stopword;
        let mut found: Vec<(String, String)> = Vec::new();
        // The first bytes of the English skeletons: a span whose skeleton starts with another matches
        // none of them, whatever follows.
        let mut firsts = [false; 256];
        for e in 0..runs.len() {
            if let Some(&b) = runs.skeleton(e).as_bytes().first() {
                firsts[usize::from(b)] = true;
            }
        }
        for start in 0..count {
            let first_byte = scratch.ids[start]
                .and_then(|id| self.skeletons[id as usize].as_bytes().first().copied());
            if first_byte.is_some_and(|b| !firsts[usize::from(b)]) {
                continue;
            }
            // The English runs whose skeleton begins with the span's so far, in order, and how many
            // bytes of it the span has matched: a span whose skeleton begins none of them, and any
            // longer span from the same word, matches nothing (most spans).
            scratch.candidates.clear();
            scratch.candidates.extend(0..runs.len());
            let mut matched_len = 0;
            for len in 1..=3.min(count - start) {
                // Spans run over neighbouring Arabic words only: a known name, a number, a Latin word or
                // a word cut by a hyphen stands between names, never inside one.
                let (Some(_), Some(id)) = (word(start + len - 1), scratch.ids[start + len - 1])
                else {
                    break;
                };
                let part = self.skeletons[id as usize].as_bytes();
                scratch
                    .candidates
                    .retain(|&e| begins_with(&runs.skeleton(e).as_bytes()[matched_len..], part));
                matched_len += part.len();
                if scratch.candidates.is_empty() {
                    break;
                }
                if matched_len < 3 {
                    continue;
                }
                let (Some(first), Some(last)) = (word(start), word(start + len - 1)) else {
                    break;
                };
                if stop(first) || stop(last) || first.chars().all(is_digit) {
                    continue;
                }
                let span = || (start..start + len).filter_map(word);
                // Digits are compared only for a skeleton that matches (most spans match nothing).
                let mut numbers: Option<String> = None;
                let matched = scratch
                    .candidates
                    .iter()
                    .map(|&e| (runs.skeleton(e), runs.run(e)))
                    .find(|(k, e)| {
                        k.len() == matched_len && {
                            let ours = numbers.get_or_insert_with(|| digits(span()));
                            digits(std::iter::once(*e)) == *ours
                        }
                    });
                if let Some((_, e)) = matched {
                    let mut arabic: Vec<&str> = span().collect();
                    // A conjunction glued on (وميرس) is not part of the name, unless the English
                    // spells that و (ويكيبيديا, Wikipedia).
                    if let Some(bare) = arabic[0]
                        .strip_prefix('و')
                        .filter(|r| r.chars().count() >= 3 && !e.starts_with(['W', 'w']))
                    {
                        arabic[0] = bare;
                    }
                    found.push((arabic.join(" "), e.to_string()));
                }
            }
        }
        self.scratch = scratch;
        // For one English rendering, the shortest Arabic span that spells it: a longer one only adds a
        // neighbouring word (أندرويد وآي for Android).
        found.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then(a.0.len().cmp(&b.0.len()))
                .then(a.0.cmp(&b.0))
        });
        found.dedup_by(|later, first| {
            later.1 == first.1 && (later.0 == first.0 || later.0.contains(first.0.as_str()))
        });
        for pair in found {
            *self.counts.entry(pair).or_insert(0) += 1;
        }
    }

    /// For mining: counts the English words a translation writes in lower case inside a sentence, the
    /// evidence that a capitalised word elsewhere only starts a sentence (remdesivir).
    pub fn add_case_evidence(&mut self, target: &str) {
        for sentence in target.split(['.', '!', '?', ':', ';']) {
            for w in sentence.split_whitespace().skip(1) {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.starts_with(|c: char| c.is_lowercase()) {
                    match self.lower_english.get_mut(w) {
                        Some(n) => *n += 1,
                        None => {
                            self.lower_english.insert(w.to_string(), 1);
                        }
                    }
                }
            }
        }
    }

    /// The proposals seen in at least `min` units, best evidence first: one per Arabic form, with the
    /// other renderings of that form as its competitors. Left out: months and days, and an English word
    /// that running text writes in lower case (remdesivir). [`Miner::candidates`] adds a second look.
    pub fn proposals(&self, min: u64) -> Vec<Proposal> {
        let _ = self.authority;
        let mut by_form: HashMap<&str, Vec<Rendering>> = HashMap::new();
        for ((arabic, english), &units) in &self.counts {
            by_form.entry(arabic).or_default().push(Rendering {
                english: english.clone(),
                units,
            });
        }
        let mut out: Vec<Proposal> = by_form
            .into_iter()
            .filter_map(|(arabic, mut renderings)| {
                renderings.sort_by(|a, b| b.units.cmp(&a.units).then(a.english.cmp(&b.english)));
                let best = renderings.remove(0);
                let calendar = |e: &str| ENGLISH_MONTHS.contains(&e) || ENGLISH_DAYS.contains(&e);
                if best.units < min
                    || is_calendar_word(arabic)
                    || calendar(&best.english)
                    || self.is_lower_case_word(&best.english, best.units)
                {
                    return None;
                }
                Some(Proposal {
                    arabic: arabic.to_string(),
                    english: best.english,
                    units: best.units,
                    competitors: renderings,
                })
            })
            .collect();
        out.sort_by(|a, b| b.units.cmp(&a.units).then(a.arabic.cmp(&b.arabic)));
        out
    }

    /// The proposals, to be confirmed by a second pass over the same units ([`Confirmation`]).
    pub fn candidates(&self, min: u64) -> Confirmation {
        Confirmation::new(self.proposals(min))
    }

    /// An English word written in lower case inside sentences at least half as often as the pair was
    /// found: a common noun that starts a sentence now and then, not a name.
    fn is_lower_case_word(&self, english: &str, pair_units: u64) -> bool {
        !english.contains(' ')
            && self
                .lower_english
                .get(&english.to_lowercase())
                .is_some_and(|&n| n * 2 >= pair_units)
    }
}

/// The second look at the units for [`Miner::candidates`]: in how many units each proposed Arabic form
/// occurs at all, and in how many of those the translation has the proposed English. A name is rendered
/// by its spelling most of the time; a common word is not (المدينة, "the city", was found beside Medina
/// in 2 units of the many that have it). A proposal is kept when its English is there in at least half
/// the units that have its Arabic.
pub struct Confirmation {
    proposals: Vec<Proposal>,
    finder: Option<aho_corasick::AhoCorasick>,
    with_arabic: Vec<u64>,
    with_both: Vec<u64>,
}

impl Confirmation {
    fn new(proposals: Vec<Proposal>) -> Confirmation {
        let finder = aho_corasick::AhoCorasick::new(proposals.iter().map(|p| &p.arabic)).ok();
        let n = proposals.len();
        Confirmation {
            proposals,
            finder,
            with_arabic: vec![0; n],
            with_both: vec![0; n],
        }
    }

    /// Looks at one unit again.
    pub fn add(&mut self, source: &str, target: &str) {
        let Some(finder) = &self.finder else { return };
        let mut hits: Vec<usize> = finder
            .find_overlapping_iter(source)
            .filter(|m| whole_word(source, m.start(), m.end()))
            .map(|m| m.pattern().as_usize())
            .collect();
        hits.sort_unstable();
        hits.dedup();
        for i in hits {
            self.with_arabic[i] += 1;
            if target.contains(&self.proposals[i].english) {
                self.with_both[i] += 1;
            }
        }
    }

    /// The proposals that passed, best evidence first.
    pub fn proposals(self) -> Vec<Proposal> {
        self.proposals
            .into_iter()
            .zip(self.with_arabic.into_iter().zip(self.with_both))
            .filter(|(_, (arabic, both))| both * 2 >= *arabic)
            .map(|(p, _)| p)
            .collect()
    }
}

/// Whether `text[start..end]` is a whole word, or a word after a one-letter proclitic (وكندا).
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let after = text[end..].chars().next();
    if after.is_some_and(char::is_alphanumeric) {
        return false;
    }
    let mut before = text[..start].chars().rev();
    match before.next() {
        None => true,
        Some(c) if !c.is_alphabetic() => true,
        Some(c) if "وفبلك".contains(c) => !before.next().is_some_and(char::is_alphabetic),
        Some(_) => false,
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
#[cfg(test)]
fn capitalised_runs(text: &str) -> Vec<String> {
    let mut runs = Runs::default();
    runs.read(text);
    (0..runs.len()).map(|i| runs.run(i).to_string()).collect()
}

/// The capitalised runs of a translation ([`capitalised_runs`]) and their skeletons, in buffers kept
/// from one unit to the next (the miner reads every translation of a memory).
#[derive(Default)]
struct Runs {
    /// The runs, one after the other, and where each ends.
    text: String,
    ends: Vec<usize>,
    /// Their skeletons, likewise.
    skeletons: String,
    skeleton_ends: Vec<usize>,
    /// Working space: the words of the run being read, as byte ranges of the translation, and
    /// [`skeleton_into`]'s buffers.
    current: Vec<std::ops::Range<usize>>,
    skeleton: String,
    word: Vec<u8>,
}

impl Runs {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn run(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn skeleton(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.skeleton_ends[i - 1] };
        &self.skeletons[start..self.skeleton_ends[i]]
    }

    /// Reads a translation's runs (what was there before is cleared).
    fn read(&mut self, text: &str) {
        self.text.clear();
        self.ends.clear();
        self.current.clear();
        // ASCII letters by their bytes, counted in chunks small enough for a byte counter (which the
        // compiler vectorises): this runs over every translation of a memory.
        let (mut upper, mut all) = (0usize, 0usize);
        if text.is_ascii() {
            for chunk in text.as_bytes().chunks(255) {
                let (mut u, mut a) = (0u8, 0u8);
                for &b in chunk {
                    a += u8::from(b.is_ascii_alphabetic());
                    u += u8::from(b.is_ascii_uppercase());
                }
                all += usize::from(a);
                upper += usize::from(u);
            }
        } else {
            for c in text.chars() {
                if c.is_ascii() {
                    all += usize::from(c.is_ascii_alphabetic());
                    upper += usize::from(c.is_ascii_uppercase());
                } else if c.is_alphabetic() {
                    all += 1;
                    upper += usize::from(c.is_uppercase());
                }
            }
        }
        if all >= 12 && upper * 10 >= all * 6 {
            return;
        }
        let bytes = text.as_bytes();
        let mut at = 0;
        loop {
            // Between runs, a word without a capital (or a byte outside ASCII, which may be one) does
            // nothing: the reader jumps to the next word that has one.
            if self.current.is_empty() {
                let Some(next) = bytes[at..]
                    .iter()
                    .position(|&b| b.is_ascii_uppercase() || !b.is_ascii())
                else {
                    break;
                };
                // Back to the start of its word, over the ASCII bytes jumped.
                let mut start = at + next;
                while start > at && !matches!(bytes[start - 1], b' ' | b'\t'..=b'\r') {
                    start -= 1;
                }
                at = start;
            }
            let Some(raw) = space_separated(&text[at..]).next() else {
                break;
            };
            at = raw.as_ptr() as usize - text.as_ptr() as usize + raw.len();
            self.word(text, raw);
        }
        self.flush(text);
        self.skeletons.clear();
        self.skeleton_ends.clear();
        for i in 0..self.ends.len() {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            // skeleton_into lower-cases each word of an ASCII name as it reads it.
            skeleton_into(
                &self.text[start..self.ends[i]],
                &mut self.skeleton,
                &mut self.word,
            );
            self.skeletons.push_str(&self.skeleton);
            self.skeleton_ends.push(self.skeletons.len());
        }
    }

    /// Reads one word of a translation, `raw` as it stands between spaces: it begins, extends or ends
    /// the run being read.
    fn word(&mut self, text: &str, raw: &str) {
        // Most words are lower case: neither a name, nor an article or connector inside one.
        if raw.as_bytes()[0].is_ascii_lowercase()
            && !matches!(raw.as_bytes()[0], b'a' | b'e' | b'b' | b'i')
        {
            if !self.current.is_empty() {
                self.flush(text);
            }
            return;
        }
        let word = bare_word(raw);
        // al-Shemmari, el-Sisi: a lower-case article before a capital is part of the name.
        let after_article = [
            "al-", "el-", "ad-", "an-", "ar-", "as-", "ash-", "at-", "az-",
        ]
        .iter()
        .find_map(|a| word.strip_prefix(a));
        let capital = word.starts_with(|c: char| c.is_uppercase())
            || after_article.is_some_and(|rest| rest.starts_with(|c: char| c.is_uppercase()));
        let connector = matches!(word, "bin" | "ibn" | "al" | "bint");
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        if capital || (connector && !self.current.is_empty()) {
            self.current.push(at..at + word.len());
        } else {
            self.flush(text);
        }
        // A comma or full stop ends a name.
        if raw.ends_with([',', '.', ';', ':', ')', '"']) {
            self.flush(text);
        }
    }

    /// Ends the run being read: its leading stopwords dropped, kept unless it is shouted.
    fn flush(&mut self, text: &str) {
        let words = &self.current;
        let first = words
            .iter()
            .position(|w| !is_stopword(&text[w.clone()]))
            .unwrap_or(words.len());
        let words = &words[first..];
        // Two or more words in capitals are a shouted headline, not a spelling (acronyms are one word).
        let shouted = words.len() >= 2
            && words
                .iter()
                .all(|w| text[w.clone()].chars().all(|c| !c.is_lowercase()));
        if !words.is_empty() && !shouted {
            for (k, w) in words.iter().enumerate() {
                if k > 0 {
                    self.text.push(' ');
                }
                self.text.push_str(&text[w.clone()]);
            }
            self.ends.push(self.text.len());
        }
        self.current.clear();
    }
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

    /// [`arabic_words`] as it was first written, the reference its one pass is held to: the words of a
    /// text as byte ranges of `source`, into
    /// `out` (cleared first); `None` where a word may not (inside a name the authority knows, a word cut by
    /// a hyphen or glued to digits or Latin letters, a word of fewer than two letters), so that no span runs
    /// across it.
    fn arabic_words_by_split(
        source: &str,
        known: &[std::ops::Range<usize>],
        out: &mut Vec<Option<std::ops::Range<usize>>>,
    ) {
        out.clear();
        out.extend(source.split_whitespace().map(|raw| {
            let at = raw.as_ptr() as usize - source.as_ptr() as usize;
            // The whole word, hyphens and digits inside it kept (كوفيد-19, سارس-كوف-2): a name is never
            // cut out of the middle of one.
            let word = raw.trim_matches(|c: char| {
                !is_arabic_letter(c) && !c.is_ascii_alphanumeric() && !is_digit(c)
            });
            let (mut letters, mut digits, mut other) = (0, 0, false);
            for c in word.chars() {
                if is_arabic_letter(c) {
                    letters += 1;
                } else if is_digit(c) {
                    digits += 1;
                } else if !(c == '-'
                    || c == '\u{640}'
                    || c.is_ascii_punctuation()
                    || is_arabic_punctuation(c))
                {
                    // A Latin letter or another script: not an Arabic name's word.
                    other = true;
                }
            }
            let usable = !other
                && !known.iter().any(|r| r.contains(&at))
                && (letters >= 2 || (letters == 0 && digits > 0 && digits == word.chars().count()));
            let start = word.as_ptr() as usize - source.as_ptr() as usize;
            usable.then_some(start..start + word.len())
        }));
    }

    #[test]
    fn arabic_letters_by_their_bytes_are_arabic_letters() {
        for c in '\u{600}'..='\u{6FF}' {
            let mut utf8 = [0; 2];
            c.encode_utf8(&mut utf8);
            assert_eq!(
                is_arabic_letter_bytes(utf8[0], utf8[1]),
                is_arabic_letter(c),
                "{c:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn prop_space_separated_is_split(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "حزب", "Al-Zour", "a", "é", " ", "  ", "\u{a0}", "\t", "\n", "\r", "\u{b}", "\u{c}",
                "\u{85}", "\u{2003}", "\u{3000}", "\u{1c}", "\u{200b}", "\u{61c}", ",", "😀",
            ]),
            0..20,
        )) {
            let text: String = parts.concat();
            let ours: Vec<&str> = space_separated(&text).collect();
            let reference: Vec<&str> = text.split(is_space).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(ours, reference, "{:?}", text);
        }

        #[test]
        fn prop_arabic_words_in_one_pass(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "حزب", "الله", "كوفيد", "-", "19", "٣", "ـ", "،", ".", "'", "a", "Z", "é", "€", " ", " ",
                "\u{a0}", "\t", "\u{2003}", "\u{64e}", "سارس", "ك", "(", ")", "_", "\u{200f}", "پیش", "ۀ",
            ]),
            0..20,
        ), cut in 0usize..4) {
            let text: String = parts.concat();
            // Known names: some word starts.
            let known: Vec<std::ops::Range<usize>> = text
                .char_indices()
                .filter(|(_, c)| *c == 'ك')
                .take(cut)
                .map(|(i, _)| i..i + 4)
                .collect();
            let (mut ours, mut reference) = (Vec::new(), Vec::new());
            arabic_words(&text, &known, &mut ours);
            arabic_words_by_split(&text, &known, &mut reference);
            proptest::prop_assert_eq!(ours, reference, "{:?}", text);
        }
    }

    /// The runs of a translation and their skeletons as [`Runs::read`] first found them, reading every
    /// word: the reference its reader, which jumps the words between runs, is held to.
    fn runs_by_words(text: &str) -> Vec<(String, String)> {
        let mut runs = Runs::default();
        let (mut upper, mut all) = (0usize, 0usize);
        for c in text.chars() {
            all += usize::from(c.is_alphabetic());
            upper += usize::from(c.is_uppercase());
        }
        if !(all >= 12 && upper * 10 >= all * 6) {
            // Every word, none jumped: `Runs::word` is the rule for one word, unchanged.
            for raw in space_separated(text) {
                runs.word(text, raw);
            }
            runs.flush(text);
        }
        (0..runs.len())
            .map(|i| {
                let run = runs.run(i);
                let lower = if run.is_ascii() {
                    run.to_ascii_lowercase()
                } else {
                    run.to_string()
                };
                (run.to_string(), crate::text::skeleton(&lower))
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn prop_runs_read_as_word_by_word(parts in proptest::collection::vec((
            proptest::sample::select(vec![
                "The", "the", "A", "a", "In", "met", "Hajj", "Kamil", "Deir", "Al-Zour", "al-Shemmari",
                "el-Sisi", "ash-Sham", "al-", "al", "Al", "bin", "ibn", "bint", "Bin", "eBay", "iPhone",
                "NIGEL", "FARAGE", "TELLS", "UNESCO", "OK", "Indonesia's", "Giants'", "'Scotland'",
                "Mazari'", "Shafi’", "’s", "'s", "'", "’", "\"", "“", "”", "(", ")", ",", ".", ";", ":",
                "-", "19", "2020", "É", "é", "Éric", "Émile", "café", "حزب", "الله", "Σ", "ß", "İ",
                "\u{a0}", "\u{200b}", "\u{2014}", "\u{1c}",
            ]),
            proptest::sample::select(vec![
                "", " ", " ", " ", " ", ", ", ". ", "  ", "\u{a0}", "\t", "\n", "\r", "\u{b}",
                "\u{c}", "\u{85}", "\u{2003}", "\u{3000}",
            ]),
        ), 0..40), shout in 0usize..4) {
            // Shouted: all of it, or every other word (a headline before its story), or none.
            let text: String = parts
                .iter()
                .enumerate()
                .map(|(k, (w, s))| match shout {
                    1 => w.to_uppercase() + s,
                    2 if k % 2 == 0 => w.to_uppercase() + s,
                    _ => format!("{w}{s}"),
                })
                .collect();
            let mut runs = Runs::default();
            // Twice, the second time over buffers the first left.
            for _ in 0..2 {
                runs.read(&text);
                let ours: Vec<(String, String)> = (0..runs.len())
                    .map(|i| (runs.run(i).to_string(), runs.skeleton(i).to_string()))
                    .collect();
                proptest::prop_assert_eq!(ours, runs_by_words(&text), "{:?}", text);
            }
        }
    }

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
                units: 3,
                competitors: Vec::new(),
            }
        );
    }

    /// What mining on TICO-19 proposed wrongly before: months, Latin runs, Arabic cut inside a word
    /// (سارس-كوف out of سارس-كوف-2), a neighbouring word kept (أندرويد وآي), a common word (المدينة,
    /// the city, as Medina), a word running text writes in lower case; and a homograph shown once with
    /// its competitor.
    #[test]
    fn mining_proposes_names_only() {
        let authority = Authority::default();
        let mut miner = Miner::new(&authority);
        let units = [
            (
                "أعلنت وزارة الصحة في مارس عن حالات كوفيد-19",
                "In March the ministry announced COVID-19 cases",
            ),
            (
                "سجلت حالات كوفيد-19 في مارس",
                "COVID-19 cases were recorded in March",
            ),
            (
                "ينتمي سارس-كوف-2 إلى عائلة سارس-كوف",
                "SARS-CoV-2 belongs to the family of SARS-CoV",
            ),
            ("ينتشر سارس-كوف-2 بسرعة", "SARS-CoV-2 spreads fast"),
            ("تطبيق أندرويد وآي أو إس", "An Android and iOS app"),
            ("يعمل على أندرويد", "It runs on Android"),
            ("زار المدينة المنورة", "He visited Medina"),
            ("زار المدينة المنورة مرة أخرى", "He visited Medina again"),
            ("تقع المدينة على النهر", "The city lies on the river"),
            ("سكان المدينة غاضبون", "The city's people are angry"),
            ("في المدينة القديمة", "In the old city"),
            ("في المدينة الجديدة", "In the new city"),
            ("في المدينة الكبيرة", "In the big city"),
            ("ريمديسيفير دواء", "Remdesivir is a drug"),
            ("جربوا ريمديسيفير", "Remdesivir was tried"),
            ("أعطي المريض ريمديسيفير", "The patient was given remdesivir"),
            ("أعطي ريمديسيفير للمرضى", "Patients were given remdesivir"),
            ("درس Moderna اللقاح", "Moderna studied the vaccine"),
            ("درست Moderna اللقاح", "Moderna studied the vaccine again"),
        ];
        for (ar, en) in units {
            miner.add(ar, en);
            miner.add_case_evidence(en);
        }
        let mut confirmation = miner.candidates(2);
        for (ar, en) in units {
            confirmation.add(ar, en);
        }
        let pairs: Vec<(String, String)> = confirmation
            .proposals()
            .into_iter()
            .map(|p| (p.arabic, p.english))
            .collect();
        // Two units each: ties in Arabic order.
        assert_eq!(
            pairs,
            [
                ("أندرويد", "Android"),
                ("سارس-كوف-2", "SARS-CoV-2"),
                ("كوفيد-19", "COVID-19"),
            ]
            .map(|(a, e)| (a.to_string(), e.to_string()))
        );
    }
}
