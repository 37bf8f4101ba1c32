//! A learned transliteration model: how Arabic letters are really spelled in English names.
//!
//! Arabic writes no short vowels, so rules give skeletons (حزب → Hzb); how names are actually spelled
//! has to be learned from examples. The model is a joint n-gram over *graphones*: pairs of one Arabic
//! letter and the (possibly empty, up to three letters) English it is written as.
//!
//! - Training ([`train`](Model::train), in `train.rs`) aligns each example letter by letter with
//!   expectation-maximisation (which English substrings each Arabic letter tends to produce), takes each
//!   example's best alignment as a graphone sequence, and counts graphone n-grams up to 4-grams.
//! - Rendering ([`render`](Model::render), in `search.rs`) searches, left to right with a beam, the
//!   graphone sequences whose Arabic side is the input and scores them with the interpolated
//!   (Witten-Bell) 4-gram model; the best one's English side is the answer. Loading compiles the counts
//!   into search tables: every history is a node, and each node has, per Arabic letter, one cache line
//!   of its options' counts and the nodes they lead to, so a search step makes no hash look-ups.
//! - The model is text (`tm/translit.model`, `text.rs`): the counts, one n-gram per line.
//! - The examples it is trained on come from public tables of names laid out as
//!   `../shared/data/translit/` ([`training_examples`], in `tables.rs`, with how much each spelling
//!   counts); `examples/train_translit.rs` builds the shipped model from them (see BENCHMARKS.md for its
//!   data and its accuracy).
//!
//! This file holds what they share: the letters the model reads ([`letters`], [`fold`]), the English it
//! writes ([`ascii_letters`]), the n-gram keys and the [`Model`] itself.

mod search;
mod tables;
mod text;
mod train;

// Deterministic hashing: training sums floats in map order, so the same data must give the same model.
use rustc_hash::FxHashMap;

use search::{Entry, LetterOptions, Node, OPTIONS};

pub use tables::{country_weight, persian_spellings, training_examples};

/// Sentence boundary graphone.
const EDGE: &str = "^";

/// The Arabic letters of a word as the model sees them: harakat, tatweel and anything not Arabic dropped,
/// Persian and Urdu letters folded to their Arabic counterparts ([`fold`]).
pub fn letters(word: &str) -> Vec<char> {
    word.chars().filter_map(fold).collect()
}

/// The letter the model reads for `c`: an Arabic letter (U+0621..=U+064A, not tatweel) as it is, but
/// alif with hamza or madda as bare alif; a
/// Persian or Urdu letter as its Arabic counterpart, the one with the same shape: ی ے ۓ → ي, ک ڪ → ك,
/// ە ھ ۀ ۃ → ه or ة, and the letters Arabic lacks as the nearest letter of the same shape (پ → ب,
/// چ → ج, ژ → ز, گ → ك, ڤ → ف, ٹ → ت, ڈ → د, ڑ → ر, ں → ن), whose sound the renderer then writes (p,
/// ch, zh, g, v). Anything else (harakat, Latin, digits) is `None`: never read, never a letter lost.
#[inline]
pub fn fold(c: char) -> Option<char> {
    Some(match c {
        // Alif with hamza or madda is alif: the name tables write them so (احمد for أحمد), and the
        // renderer reads the hamza from the word itself.
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        '\u{0621}'..='\u{063F}' | '\u{0641}'..='\u{064A}' => c,
        'ی' | 'ې' | 'ۍ' | 'ے' | 'ۓ' | 'ێ' => 'ي',
        'ک' | 'ڪ' | 'ګ' | 'گ' | 'ڭ' | 'ڳ' => 'ك',
        'ە' | 'ھ' | 'ہ' | 'ۀ' => 'ه',
        'ۃ' => 'ة',
        'پ' => 'ب',
        'چ' | 'ڃ' | 'ځ' | 'څ' => 'ج',
        'ژ' | 'ږ' | 'ڙ' => 'ز',
        'ڤ' | 'ڥ' => 'ف',
        'ٹ' | 'ټ' => 'ت',
        'ڈ' | 'ډ' => 'د',
        'ڑ' | 'ړ' => 'ر',
        'ں' | 'ڼ' => 'ن',
        'ڨ' => 'ق',
        'ښ' => 'ش',
        _ => return None,
    })
}

/// The characters of `word` the model reads, as written (before [`fold`]): one per piece of
/// [`Model::render_pieces`].
pub fn read_letters(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().filter(|&c| fold(c).is_some())
}

/// English as the model learns and writes it: ASCII letters in lower case. Accents are folded (Saïd →
/// said, Erdoğan → erdogan, Škr → skr), a few letters spelled out (ß → ss, æ → ae); apostrophes and
/// everything else dropped: the renderer places the ayn and hamza marks itself.
pub fn ascii_letters(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'a'..='z' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ı' => out.push('i'),
            'đ' | 'Đ' => out.push('d'),
            'ł' | 'Ł' => out.push('l'),
            'þ' => out.push_str("th"),
            _ => {}
        }
    }
    out
}

/// Order of the n-gram model (graphones of context + 1).
const ORDER: usize = 4;
/// Padding in n-gram keys shorter than [`ORDER`], and "no such history" in the search tables.
const NONE: u32 = u32::MAX;

type Key = [u32; ORDER];
/// A history: the last ORDER - 1 graphones, oldest first, padded with [`NONE`] at the front.
type History = [u32; ORDER - 1];

/// A trained model: graphone n-gram counts and, per Arabic letter, the graphones it may be written as.
#[derive(Default)]
pub struct Model {
    /// Graphones by id (`letter` + English piece; id 0 is the word edge).
    graphones: Vec<String>,
    ids: FxHashMap<String, u32>,
    /// Counts of n-grams of every order 1..=ORDER, keys padded with NONE at the front.
    counts: rustc_hash::FxHashMap<Key, f64>,
    /// Unigram probability of each graphone (add-0.1 smoothed), by id.
    unigram: Vec<f64>,
    /// The search tables, derived from the counts. Every history of one to ORDER-1 graphones is a node:
    /// node `g` below `graphones.len()` is the history of graphone `g` alone, the longer ones follow.
    nodes: Vec<Node>,
    /// Count of the word edge after each node.
    edges: Vec<f64>,
    /// Per (history, letter) entries, in node order then letter order; entry 0 is `EMPTY` (`search.rs`).
    /// A search step reads one entry per history instead of searching follower lists or hashing n-grams.
    entries: Vec<Entry>,
    /// Options by letter number.
    letter_options: Vec<LetterOptions>,
    /// By letter number: factors on its options' probabilities at the start of a word, when the next
    /// letter is a consonant ([0]) or not ([1]) (`start_factor`, `search.rs`).
    start_factors: Vec<[[f64; OPTIONS]; 2]>,
    /// Nodes of the word-start histories `^ ^` and `^ ^ ^` (normally [`NONE`]).
    start: [u32; 2],
    /// Words the training tables spell with confidence, by their letters ([`letters`]), as the graphone
    /// sequence of their best-attested spelling: a rendering looks a word up here before it searches.
    /// The n-gram model generalises, so it cannot keep what no letter shows (the doubled n of
    /// Muhannad, the ss of Wissam); a name the tables know is spelled as they spell it.
    /// Persian spellings are keyed with [`PERSIAN`] before the letters: a word written in Persian
    /// script looks there first.
    spellings: FxHashMap<Box<str>, Box<[u32]>>,
}

/// The mark before a word's letters in [`Model::spellings`] for its spelling in Persian script (پ is
/// never one of the letters the model reads: it reads پ as ب).
const PERSIAN: char = 'پ';

/// Whether a word is written in Persian script: with a letter Arabic does not use (ی ک پ چ ژ گ).
pub(crate) fn persian_script(word: &str) -> bool {
    word.chars()
        .any(|c| matches!(c, 'ی' | 'ک' | 'پ' | 'چ' | 'ژ' | 'گ'))
}

/// The key of the n-gram `items` (at most ORDER long).
fn key(items: &[u32]) -> Key {
    let mut k = [NONE; ORDER];
    k[ORDER - items.len()..].copy_from_slice(items);
    k
}

impl Model {
    fn id(&mut self, g: &str) -> u32 {
        if let Some(&i) = self.ids.get(g) {
            return i;
        }
        let i = self.graphones.len() as u32;
        self.graphones.push(g.to_string());
        self.ids.insert(g.to_string(), i);
        i
    }

    fn empty() -> Model {
        let mut m = Model::empty_tables();
        m.id(EDGE);
        m
    }

    fn empty_tables() -> Model {
        Model {
            start: [NONE; 2],
            ..Model::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_letters_are_folded_not_dropped() {
        assert_eq!(letters("کاظم"), letters("كاظم"));
        assert_eq!(letters("عراقچی"), "عراقجي".chars().collect::<Vec<_>>());
        assert_eq!(letters("پژگڤ"), "بزكف".chars().collect::<Vec<_>>());
        assert_eq!(letters("هٔ ھ ە"), "ههه".chars().collect::<Vec<_>>());
        assert_eq!(letters("مُحَمَّد"), "محمد".chars().collect::<Vec<_>>());
        assert_eq!(read_letters("عراقچی").collect::<String>(), "عراقچی");
        // The model reads them as their Arabic counterparts.
        let examples = vec![("كاظم".to_string(), "kazim".to_string(), 1.0)];
        let model = Model::train(&examples);
        assert_eq!(model.render("کاظم").as_deref(), Some("kazim"));
    }

    #[test]
    fn the_model_learns_and_writes_ascii_only() {
        assert_eq!(ascii_letters("Erdoğan"), "erdogan");
        assert_eq!(ascii_letters("Saïd"), "said");
        assert_eq!(ascii_letters("Škr"), "skr");
        assert_eq!(ascii_letters("Al-N'aïmy"), "alnaimy");
        assert_eq!(ascii_letters("Weiß"), "weiss");
        let examples: Vec<(String, String, f64)> = [("سعيد", "Saïd"), ("شكري", "Şükri")]
            .iter()
            .map(|(a, e)| (a.to_string(), e.to_string(), 1.0))
            .collect();
        let model = Model::train(&examples);
        assert_eq!(model.render("سعيد").as_deref(), Some("said"));
        assert_eq!(model.render("شكري").as_deref(), Some("sukri"));
    }
}
