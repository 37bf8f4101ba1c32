//! A learned transliteration model: how Arabic letters are really spelled in English names.
//!
//! Arabic writes no short vowels, so rules give skeletons (حزب → Hzb); how names are actually spelled
//! has to be learned from examples. The model is a joint n-gram over *graphones*: pairs of one Arabic
//! letter and the (possibly empty, up to three letters) English it is written as.
//!
//! - Training aligns each example letter by letter with expectation-maximisation (which English
//!   substrings each Arabic letter tends to produce), takes each example's best alignment as a graphone
//!   sequence, and counts graphone n-grams up to 4-grams.
//! - Rendering searches, left to right with a beam, the graphone sequences whose Arabic side is the input
//!   and scores them with the interpolated (Witten-Bell) 4-gram model; the best one's English side is the
//!   answer. Loading compiles the counts into search tables: every history is a node, and each node has,
//!   per Arabic letter, one cache line of its options' counts and the nodes they lead to, so a search
//!   step makes no hash look-ups.
//!
//! The model is text (`tm/translit.model`): the counts, one n-gram per line. `tm names train` builds it
//! from public tables of names (see BENCHMARKS.md for its data and its accuracy).

use std::fmt::Write as _;

// Deterministic hashing: training sums floats in map order, so the same data must give the same model.
use rustc_hash::FxHashMap;

/// Longest English piece one Arabic letter may produce.
const MAX_PIECE: usize = 3;
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

/// Expectation-maximisation of P(English piece | Arabic letter) over the examples.
fn train_alignment(
    pairs: &[(Vec<char>, Vec<char>, f64)],
    iterations: usize,
) -> FxHashMap<(char, String), f64> {
    let mut p: FxHashMap<(char, String), f64> = FxHashMap::default();
    let prob = |p: &FxHashMap<(char, String), f64>, a: char, e: &str| -> f64 {
        *p.get(&(a, e.to_string())).unwrap_or(&1e-4)
    };
    for _ in 0..iterations {
        let mut counts: FxHashMap<(char, String), f64> = FxHashMap::default();
        for (ar, en, weight) in pairs {
            let (n, m) = (ar.len(), en.len());
            // emit[i][j][k]: the piece en[j..j+k] for letter i, and its current probability; computed
            // once and shared by the forward, backward and counting passes.
            let emit: Vec<Vec<Vec<(String, f64)>>> = (0..n)
                .map(|i| {
                    (0..=m)
                        .map(|j| {
                            (0..=MAX_PIECE.min(m - j))
                                .map(|k| {
                                    let piece: String = en[j..j + k].iter().collect();
                                    let pr = prob(&p, ar[i], &piece);
                                    (piece, pr)
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            // alpha[i][j]: probability of producing en[..j] from ar[..i].
            let mut alpha = vec![vec![0.0f64; m + 1]; n + 1];
            alpha[0][0] = 1.0;
            for i in 0..n {
                for j in 0..=m {
                    if alpha[i][j] == 0.0 {
                        continue;
                    }
                    for (k, (_, pr)) in emit[i][j].iter().enumerate() {
                        alpha[i + 1][j + k] += alpha[i][j] * pr;
                    }
                }
            }
            let total = alpha[n][m];
            if total <= 0.0 || !total.is_finite() {
                continue;
            }
            let mut beta = vec![vec![0.0f64; m + 1]; n + 1];
            beta[n][m] = 1.0;
            for i in (0..n).rev() {
                for j in (0..=m).rev() {
                    beta[i][j] = emit[i][j]
                        .iter()
                        .enumerate()
                        .map(|(k, (_, pr))| pr * beta[i + 1][j + k])
                        .sum();
                }
            }
            for i in 0..n {
                for j in 0..=m {
                    if alpha[i][j] == 0.0 {
                        continue;
                    }
                    for (k, (piece, pr)) in emit[i][j].iter().enumerate() {
                        let posterior = alpha[i][j] * pr * beta[i + 1][j + k] / total;
                        if posterior > 1e-9 {
                            *counts.entry((ar[i], piece.clone())).or_insert(0.0) +=
                                posterior * weight;
                        }
                    }
                }
            }
        }
        // Normalise per Arabic letter.
        let mut totals: FxHashMap<char, f64> = FxHashMap::default();
        for ((a, _), c) in &counts {
            *totals.entry(*a).or_insert(0.0) += c;
        }
        p = counts
            .into_iter()
            .map(|((a, e), c)| {
                let t = totals[&a];
                ((a, e), c / t)
            })
            .collect();
    }
    p
}

/// The most probable graphone sequence of one example.
fn viterbi(ar: &[char], en: &[char], p: &FxHashMap<(char, String), f64>) -> Option<Vec<String>> {
    let (n, m) = (ar.len(), en.len());
    let mut best = vec![vec![f64::NEG_INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![0usize; m + 1]; n + 1];
    best[0][0] = 0.0;
    for i in 0..n {
        for j in 0..=m {
            if best[i][j] == f64::NEG_INFINITY {
                continue;
            }
            for k in 0..=MAX_PIECE.min(m - j) {
                let piece: String = en[j..j + k].iter().collect();
                let Some(&pr) = p.get(&(ar[i], piece)) else {
                    continue;
                };
                let s = best[i][j] + pr.ln();
                if s > best[i + 1][j + k] {
                    best[i + 1][j + k] = s;
                    back[i + 1][j + k] = k;
                }
            }
        }
    }
    if best[n][m] == f64::NEG_INFINITY {
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let (mut i, mut j) = (n, m);
    while i > 0 {
        let k = back[i][j];
        let piece: String = en[j - k..j].iter().collect();
        out.push(format!("{}{}", ar[i - 1], piece));
        i -= 1;
        j -= k;
    }
    out.reverse();
    Some(out)
}

/// Order of the n-gram model (graphones of context + 1).
const ORDER: usize = 4;
/// Padding in n-gram keys shorter than [`ORDER`], and "no such history" in the search tables.
const NONE: u32 = u32::MAX;

type Key = [u32; ORDER];
/// A history: the last ORDER - 1 graphones, oldest first, padded with [`NONE`] at the front.
type History = [u32; ORDER - 1];

/// Hypotheses kept at each letter.
const BEAM: usize = 8;
/// Graphones tried per letter.
const OPTIONS: usize = 12;
/// The best candidates of a step that are ranked; the beam is filled from them (some are duplicates).
const WINDOW: usize = 3 * BEAM;

/// The Arabic letters the model reads (U+0621..=U+064A), numbered from 0: bits of a `u64`.
const FIRST_LETTER: u32 = 0x0621;
const LETTER_COUNT: usize = 0x064A - 0x0621 + 1;

/// The number of an Arabic letter the model reads ([`letters`]), or `None`.
fn letter_index(c: char) -> Option<usize> {
    let i = (c as u32).wrapping_sub(FIRST_LETTER) as usize;
    (i < LETTER_COUNT && c != '\u{0640}').then_some(i)
}

/// The number of the letter the model reads for `c` (folded, [`fold`]), or `None`.
#[inline]
fn read_index(c: char) -> Option<usize> {
    fold(c).and_then(letter_index)
}

/// How much more a word starting with a consonant cluster counts than one starting with the consonant
/// and a vowel (see [`start_factor`]).
const START_CLUSTER: f64 = 0.05;

/// Whether the letter numbered `li` is a consonant that carries no vowel of its own in spelling (not an
/// alif, waw, ya, ta marbuta, hamza or ayn).
fn is_consonant(li: usize) -> bool {
    let c = char::from_u32(FIRST_LETTER + li as u32).unwrap_or(' ');
    !matches!(
        c,
        'ا' | 'أ' | 'إ' | 'آ' | 'و' | 'ي' | 'ى' | 'ة' | 'ء' | 'ئ' | 'ؤ' | 'ع'
    )
}

/// The factor on the probability of `letter` written `piece` at the start of a word: Arabic spelling
/// gives every first consonant a sound (no empty piece), a first waw is the consonant w (or Persian v: not
/// the French Ou of Oualid, nor dropped), a first ya is y; and no Arabic word starts with two consonants,
/// so a first consonant written without a vowel before another consonant counts [`START_CLUSTER`]
/// (Zubaydi rather than Zbidi; foreign names in Arabic script, Trump or Christopher, keep their clusters
/// where the tables show them).
fn start_factor(letter: char, piece: &str, consonant_next: bool) -> f64 {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    // Alif, hamza and ayn may start a word silently before the alif that writes their vowel (Adil).
    let may_be_silent = matches!(letter, 'ا' | 'أ' | 'إ' | 'آ' | 'ء' | 'ع' | 'ى' | 'ة');
    if (piece.is_empty() && !may_be_silent)
        || (letter == 'و' && !piece.starts_with(['w', 'v']))
        || (letter == 'ي' && !piece.starts_with(['y', 'j']))
    {
        return 0.0;
    }
    if consonant_next && !may_be_silent && !piece.contains(vowel) {
        START_CLUSTER
    } else {
        1.0
    }
}

/// What follows one history, as counted: total, distinct graphones, word edges.
#[derive(Clone, Copy, Default)]
struct Stats {
    total: f64,
    types: f64,
    edge: f64,
}

/// One history in the search tables: its Witten-Bell statistics and where its entries are (half a
/// cache line).
#[derive(Clone, Copy, Default)]
#[repr(align(32))]
struct Node {
    /// How many distinct graphones were seen after it; 0 for a history never seen itself (kept only
    /// to lead to its longer ones), which the probabilities skip.
    types: f64,
    /// Total count of the graphones seen after it, plus `types`.
    d: f64,
    /// The letters it has an entry for (bit = letter number); the k-th of them is entry `base + k`.
    mask: u64,
    base: u32,
}

/// One letter's options after one history: their counts (0 when never seen) and the node of the
/// history extended by each ([`NONE`] if the model has none), side by side so that the step that
/// reads the counts finds the next nodes in cache.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Entry {
    counts: [f64; OPTIONS],
    next: [u32; OPTIONS],
}

const EMPTY: Entry = Entry {
    counts: [0.0; OPTIONS],
    next: [NONE; OPTIONS],
};

/// One part of an entry while the tables are built: (node, letter), option, and the option's count (`Ok`)
/// or the node it leads to (`Err`).
type EntryItem = ((u32, u8), u8, Result<f64, u32>);

/// The graphones one Arabic letter may be written as (the [`OPTIONS`] most frequent), most frequent first.
#[derive(Clone, Copy, Default)]
struct LetterOptions {
    ids: [u32; OPTIONS],
    len: usize,
    /// Their unigram probabilities (1 past `len`).
    unigram: [f64; OPTIONS],
}

/// One history of a hypothesis, as the next step reads it.
#[derive(Clone, Copy, Default)]
struct Level {
    /// The node's `types` (0: no such history, skipped) and `total + types`.
    types: f64,
    d: f64,
    /// The node's entry for the next letter (0 when it has none).
    entry: u32,
}

/// A search hypothesis.
#[derive(Clone, Copy)]
struct Hypothesis {
    /// Probability of the path, rescaled at each step.
    score: f64,
    /// The last ORDER-1 graphones, oldest first; the last is this hypothesis's own graphone.
    h: History,
    /// Nodes of the histories of the last two and three graphones ([`NONE`] when the model has no such
    /// history); the node of the last graphone alone is its id.
    n2: u32,
    n3: u32,
    /// Index of the parent hypothesis.
    parent: u32,
    /// The histories of the last one, two and three graphones for the next letter, looked up when the
    /// hypothesis is made (the look-ups of a step's hypotheses then overlap).
    levels: [Level; ORDER - 1],
}

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
    /// Per (history, letter) entries, in node order then letter order; entry 0 is [`EMPTY`]. A search
    /// step reads one entry per history instead of searching follower lists or hashing n-grams.
    entries: Vec<Entry>,
    /// Options by letter number.
    letter_options: Vec<LetterOptions>,
    /// By letter number: factors on its options' probabilities at the start of a word, when the next
    /// letter is a consonant ([0]) or not ([1]) ([`start_factor`]).
    start_factors: Vec<[[f64; OPTIONS]; 2]>,
    /// Nodes of the word-start histories `^ ^` and `^ ^ ^` (normally [`NONE`]).
    start: [u32; 2],
}

/// The key of the n-gram `items` (at most ORDER long).
fn key(items: &[u32]) -> Key {
    let mut k = [NONE; ORDER];
    k[ORDER - items.len()..].copy_from_slice(items);
    k
}

/// The node of history `h`: a graphone's own id for one graphone, a new node the first time otherwise.
fn node_id(ids: &mut FxHashMap<History, u32>, nodes: &mut Vec<Stats>, h: History) -> u32 {
    if h[..ORDER - 2].iter().all(|&x| x == NONE) {
        return h[ORDER - 2];
    }
    *ids.entry(h).or_insert_with(|| {
        nodes.push(Stats::default());
        (nodes.len() - 1) as u32
    })
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

    /// Trains on (Arabic, English, weight) examples.
    pub fn train(examples: &[(String, String, f64)]) -> Model {
        let pairs: Vec<(Vec<char>, Vec<char>, f64)> = examples
            .iter()
            .map(|(a, e, w)| {
                let en: Vec<char> = ascii_letters(e).chars().collect();
                (letters(a), en, *w)
            })
            .filter(|(a, e, _)| !a.is_empty() && !e.is_empty() && e.len() <= a.len() * MAX_PIECE)
            .collect();
        let p = train_alignment(&pairs, 6);
        let mut model = Model::empty();
        let mut counts: Vec<(Vec<u32>, f64)> = Vec::new();
        for (ar, en, w) in &pairs {
            let Some(seq) = viterbi(ar, en, &p) else {
                continue;
            };
            let ids: Vec<u32> = seq.iter().map(|g| model.id(g)).collect();
            counts.push((ids, *w));
        }
        for (ids, w) in counts {
            model.add_sequence(&ids, w);
        }
        model.finish();
        model
    }

    fn add_sequence(&mut self, ids: &[u32], w: f64) {
        let mut seq = vec![0u32; ORDER - 1];
        seq.extend_from_slice(ids);
        seq.push(0);
        for i in ORDER - 1..seq.len() {
            for order in 1..=ORDER {
                let gram = &seq[i + 1 - order..=i];
                // Edge padding beyond the word start is one edge, not several.
                if order > 1 && gram[0] == 0 && gram.len() > 1 && gram[1] == 0 {
                    continue;
                }
                *self.counts.entry(key(gram)).or_insert(0.0) += w;
            }
        }
    }

    /// Derives the unigram probabilities, the per-letter options (each letter's [`OPTIONS`] most frequent
    /// graphones: the rest almost never win and cost time at every step of the search) and the search
    /// tables from the counts.
    fn finish(&mut self) {
        let n = self.graphones.len();
        let mut total = 0.0;
        let mut options: FxHashMap<char, Vec<u32>> = FxHashMap::default();
        let mut ids: FxHashMap<History, u32> = FxHashMap::default();
        let mut stats = vec![Stats::default(); n];
        // (history node, graphone, count) of every n-gram longer than one.
        let mut followers: Vec<(u32, u32, f64)> = Vec::new();
        // Sums in the map's order (deterministic), as the probabilities have always been computed.
        for (k, &c) in &self.counts {
            let g = k[ORDER - 1];
            if k[ORDER - 2] == NONE {
                total += c;
                let s = &self.graphones[g as usize];
                if let Some(a) = s.chars().next().filter(|_| s != EDGE) {
                    options.entry(a).or_default().push(g);
                }
            } else {
                let mut h = [NONE; ORDER - 1];
                h.copy_from_slice(&k[..ORDER - 1]);
                let id = node_id(&mut ids, &mut stats, h);
                let node = &mut stats[id as usize];
                node.total += c;
                node.types += 1.0;
                if g == 0 {
                    node.edge = c;
                }
                followers.push((id, g, c));
            }
        }
        self.unigram = (0..n as u32)
            .map(|g| {
                (self.counts.get(&key(&[g])).copied().unwrap_or(0.0) + 0.1)
                    / (total + 0.1 * n as f64)
            })
            .collect();
        let count = |g: u32| self.counts.get(&key(&[g])).copied().unwrap_or(0.0);
        self.letter_options = vec![LetterOptions::default(); LETTER_COUNT];
        // Each graphone's (letter number, option number), when it is an option.
        let mut option_of: Vec<Option<(u8, u8)>> = vec![None; n];
        for (a, mut opts) in options {
            opts.sort_by(|x, y| count(*y).total_cmp(&count(*x)));
            opts.truncate(OPTIONS);
            let Some(li) = letter_index(a) else { continue };
            let lo = &mut self.letter_options[li];
            lo.len = opts.len();
            lo.unigram = [1.0; OPTIONS];
            for (j, &g) in opts.iter().enumerate() {
                lo.ids[j] = g;
                lo.unigram[j] = self.unigram[g as usize];
                option_of[g as usize] = Some((li as u8, j as u8));
            }
        }
        self.start_factors = (0..LETTER_COUNT)
            .map(|li| {
                let lo = &self.letter_options[li];
                let letter = char::from_u32(FIRST_LETTER + li as u32).unwrap_or(' ');
                let mut f = [[1.0; OPTIONS]; 2];
                for (next, row) in f.iter_mut().enumerate() {
                    for (f, &g) in row.iter_mut().zip(&lo.ids[..lo.len]) {
                        let s = &self.graphones[g as usize];
                        *f = start_factor(letter, &s[letter.len_utf8()..], next == 0);
                    }
                    // A letter none of whose options may start a word keeps them all.
                    if row[..lo.len].iter().all(|&x| x == 0.0) {
                        *row = [1.0; OPTIONS];
                    }
                }
                f
            })
            .collect();
        // A longer history leads from its prefix: every prefix needs a node, even one never seen as a
        // history itself (then `types` stays 0).
        let longer: Vec<History> = ids.keys().copied().collect();
        for h in longer {
            let mut prefix = [NONE; ORDER - 1];
            prefix[1..].copy_from_slice(&h[..ORDER - 2]);
            if prefix[ORDER - 3] != NONE {
                node_id(&mut ids, &mut stats, prefix);
            }
        }
        // Entries: ((node, letter), option, count or longer node).
        let mut items: Vec<EntryItem> = Vec::new();
        for (id, g, c) in followers {
            if let Some((li, j)) = option_of[g as usize] {
                items.push(((id, li), j, Ok(c)));
            }
        }
        for (h, &id) in &ids {
            let mut prefix = [NONE; ORDER - 1];
            prefix[1..].copy_from_slice(&h[..ORDER - 2]);
            let from = if prefix[ORDER - 3] == NONE {
                prefix[ORDER - 2]
            } else {
                ids[&prefix]
            };
            if let Some((li, j)) = option_of[h[ORDER - 2] as usize] {
                items.push(((from, li), j, Err(id)));
            }
        }
        items.sort_unstable_by_key(|x| x.0);
        let mut nodes: Vec<Node> = stats
            .iter()
            .map(|x| Node {
                types: x.types,
                d: x.total + x.types,
                ..Node::default()
            })
            .collect();
        self.edges = stats.iter().map(|x| x.edge).collect();
        self.entries = vec![EMPTY];
        for group in items.chunk_by(|x, y| x.0 == y.0) {
            let (id, li) = group[0].0;
            let mut counts = [0.0; OPTIONS];
            let mut next = [NONE; OPTIONS];
            for &(_, j, v) in group {
                match v {
                    Ok(c) => counts[j as usize] = c,
                    Err(longer) => next[j as usize] = longer,
                }
            }
            let node = &mut nodes[id as usize];
            if node.mask == 0 {
                node.base = self.entries.len() as u32;
            }
            node.mask |= 1 << li;
            self.entries.push(Entry { counts, next });
        }
        self.start = [
            ids.get(&[NONE, 0, 0]).copied().unwrap_or(NONE),
            ids.get(&[0, 0, 0]).copied().unwrap_or(NONE),
        ];
        self.nodes = nodes;
    }

    /// The entry of `node` for letter `li` (the empty entry 0 when it has none).
    #[inline]
    fn entry(node: &Node, li: usize) -> usize {
        let bit = 1u64 << li;
        if node.mask & bit == 0 {
            0
        } else {
            node.base as usize + (node.mask & (bit - 1)).count_ones() as usize
        }
    }

    /// Interpolated (Witten-Bell) probabilities of the next letter's options after `hyp`'s history,
    /// starting from their unigram probabilities `p`: each history, shortest first, mixes its counts
    /// with the lower-order probability.
    #[inline]
    fn option_probs(&self, hyp: &Hypothesis, mut p: [f64; OPTIONS]) -> [f64; OPTIONS] {
        for lv in &hyp.levels {
            if lv.types == 0.0 {
                continue;
            }
            let c = &self.entries[lv.entry as usize].counts;
            for j in 0..OPTIONS {
                p[j] = (c[j] + lv.types * p[j]) / lv.d;
            }
        }
        p
    }

    /// The histories of nodes `n` (one, two and three graphones) for letter `li` (none: the edge).
    #[inline]
    fn levels(&self, n: [u32; ORDER - 1], li: Option<usize>) -> [Level; ORDER - 1] {
        n.map(|n| match self.nodes.get(n as usize) {
            Some(node) => Level {
                types: node.types,
                d: node.d,
                entry: li.map_or(0, |li| Self::entry(node, li) as u32),
            },
            None => Level::default(),
        })
    }

    /// The same for the word edge.
    fn edge_prob(&self, hyp: &Hypothesis) -> f64 {
        [hyp.h[ORDER - 2], hyp.n2, hyp.n3]
            .iter()
            .filter(|&&n| self.nodes.get(n as usize).is_some_and(|x| x.types > 0.0))
            .fold(self.unigram[0], |p, &n| {
                let node = &self.nodes[n as usize];
                (self.edges[n as usize] + node.types * p) / node.d
            })
    }

    /// The best English spelling of an Arabic word (lower case), or `None` for a letter never seen.
    pub fn render(&self, word: &str) -> Option<String> {
        let mut path = Vec::new();
        if !self.search(word, &mut path) {
            return None;
        }
        let mut out = String::with_capacity(2 * path.len());
        for &g in &path {
            out.push_str(self.piece(g).1);
        }
        Some(out)
    }

    /// Like [`Model::render`], letter by letter: each Arabic letter with the English it became (so that a
    /// house style can mark ayn and hamza).
    pub fn render_pieces(&self, word: &str) -> Option<Vec<(char, &str)>> {
        let mut path = Vec::new();
        if !self.search(word, &mut path) {
            return None;
        }
        Some(path.iter().map(|&g| self.piece(g)).collect())
    }

    /// A graphone's Arabic letter and English piece.
    fn piece(&self, g: u32) -> (char, &str) {
        let s = &self.graphones[g as usize];
        let letter = s.chars().next().unwrap_or(' ');
        (letter, &s[letter.len_utf8()..])
    }

    /// Searches the best graphone sequence for `word` into `path`; false when the word has no letter or a
    /// letter never seen.
    fn search(&self, word: &str, path: &mut Vec<u32>) -> bool {
        let mut letters = word.chars().filter_map(read_index).peekable();
        let Some(&first) = letters.peek() else {
            return false;
        };
        // All hypotheses kept, step after step; step i's beam is `all[start..]` up to the next start;
        // the path is read back through the parents at the end. Scores are probabilities multiplied (no
        // logarithms on the hot path), rescaled at each step.
        let mut all: Vec<Hypothesis> = Vec::with_capacity(BEAM * (word.len() / 2 + 1) + 1);
        all.push(Hypothesis {
            score: 1.0,
            h: [0; ORDER - 1],
            n2: self.start[0],
            n3: self.start[1],
            parent: 0,
            levels: self.levels([0, self.start[0], self.start[1]], Some(first)),
        });
        let mut start = 0;
        let mut scores = [0.0f64; BEAM * OPTIONS + OPTIONS];
        while let Some(li) = letters.next() {
            let Some(opts) = self.letter_options.get(li).filter(|o| o.len > 0) else {
                return false;
            };
            let next = letters.peek().copied();
            let k = opts.len;
            let parents = start;
            let beam = &all[start..];
            let mut m = 0;
            for hyp in beam {
                let p = self.option_probs(hyp, opts.unigram);
                // All OPTIONS lanes are written (the array has room), the first k count.
                let out: &mut [f64; OPTIONS] = (&mut scores[m..m + OPTIONS]).try_into().unwrap();
                for (o, pj) in out.iter_mut().zip(p) {
                    *o = hyp.score * pj;
                }
                m += k;
            }
            if parents == 0 {
                let f = &self.start_factors[li][usize::from(!next.is_some_and(is_consonant))];
                for (o, fj) in scores[..k].iter_mut().zip(f) {
                    *o *= fj;
                }
            }
            // Candidates rank best first, ties in the order they were made (hypothesis, then option).
            // Paths that end in the same history score the same from here on: the beam keeps the first
            // of each among the first WINDOW candidates, up to BEAM of them. Two candidates share a
            // history when their hypotheses share their last two graphones and they add the same one:
            // only the first of such a group is a representative.
            let mut live = u128::MAX >> (128 - m);
            for q in 1..beam.len() {
                let Some(p) = (0..q).find(|&p| beam[p].h[1..] == beam[q].h[1..]) else {
                    continue;
                };
                for j in 0..k {
                    // The representative of (p's group, j) so far is the live one among p's
                    // group's earlier candidates for j.
                    let r = (p..q)
                        .map(|x| x * k + j)
                        .find(|&x| live >> x & 1 == 1 && beam[x / k].h[1..] == beam[q].h[1..])
                        .unwrap_or(p * k + j);
                    let c = q * k + j;
                    if scores[c] > scores[r] {
                        live &= !(1u128 << r);
                    } else {
                        live &= !(1u128 << c);
                    }
                }
            }
            // The BEAM best representatives, in order (taken in the order they were made, so that a tie
            // stays behind).
            let mut top = [0u8; BEAM];
            let mut top_s = [0.0f64; BEAM];
            let mut kept = 0;
            let mut rest = live;
            let mut floor = f64::NEG_INFINITY;
            while rest != 0 {
                let c = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let s = scores[c];
                if s <= floor {
                    continue;
                }
                let mut i = kept.min(BEAM - 1);
                kept = (kept + 1).min(BEAM);
                while i > 0 && top_s[i - 1] < s {
                    top[i] = top[i - 1];
                    top_s[i] = top_s[i - 1];
                    i -= 1;
                }
                top[i] = c as u8;
                top_s[i] = s;
                if kept == BEAM {
                    floor = top_s[BEAM - 1];
                }
            }
            // They are the beam when the last of them is among the first WINDOW candidates: the others
            // ahead of it are duplicates.
            let last = top[kept - 1] as usize;
            let mut ahead = kept - 1;
            let mut dead = !live & (u128::MAX >> (128 - m));
            while dead != 0 {
                let c = dead.trailing_zeros() as usize;
                dead &= dead - 1;
                let (s, t) = (scores[c], scores[last]);
                ahead += usize::from(s > t || (s == t && c < last));
            }
            // Rescaled so that the best is 1 (a very long word never underflows to zero).
            let best = scores[top[0] as usize].max(f64::MIN_POSITIVE);
            start = all.len();
            if ahead < WINDOW {
                self.fill(
                    &mut all,
                    &top[..kept],
                    &scores,
                    parents,
                    next,
                    opts,
                    best,
                    false,
                );
            } else {
                // Many duplicates ahead: rank all the candidates. The key is the score's bits (scores
                // are never negative) above the candidate's number, reversed.
                let key = |c: usize| (u128::from(scores[c].to_bits()) << 8) | (255 - c) as u128;
                let mut ranked = [0u128; BEAM * OPTIONS];
                let cands = &mut ranked[..m];
                for (c, x) in cands.iter_mut().enumerate() {
                    *x = key(c);
                }
                let window = WINDOW.min(m);
                if window < m {
                    cands.select_nth_unstable_by(window, |a, b| b.cmp(a));
                }
                cands[..window].sort_unstable_by(|a, b| b.cmp(a));
                let mut order = [0u8; WINDOW];
                for (o, x) in order.iter_mut().zip(&cands[..window]) {
                    *o = 255 - (x & 255) as u8;
                }
                let order = &order[..window];
                self.fill(&mut all, order, &scores, parents, next, opts, best, true);
            }
        }
        // The best path with the word edge after it (the last of equals).
        let mut at = start;
        let mut top = all[start].score * self.edge_prob(&all[start]);
        for (i, hyp) in all.iter().enumerate().skip(start + 1) {
            let s = hyp.score * self.edge_prob(hyp);
            if s.total_cmp(&top).is_ge() {
                (at, top) = (i, s);
            }
        }
        path.clear();
        while at != 0 {
            path.push(all[at].h[ORDER - 2]);
            at = all[at].parent as usize;
        }
        path.reverse();
        true
    }

    /// Fills the beam of a step (the hypotheses after `parents`' step, from `all.len()` on) from the
    /// candidates `ranked` (numbers into `scores`), up to [`BEAM`], skipping histories already in it
    /// when `duplicates` may be among them.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &self,
        all: &mut Vec<Hypothesis>,
        ranked: &[u8],
        scores: &[f64],
        parents: usize,
        next: Option<usize>,
        opts: &LetterOptions,
        best: f64,
        duplicates: bool,
    ) {
        let start = all.len();
        for &c in ranked {
            if all.len() - start == BEAM {
                break;
            }
            let (slot, j) = (c as usize / opts.len, c as usize % opts.len);
            let parent = all[parents + slot];
            let h = [parent.h[1], parent.h[2], opts.ids[j]];
            if duplicates && all[start..].iter().any(|x| x.h == h) {
                continue;
            }
            let n2 = self.entries[parent.levels[0].entry as usize].next[j];
            let n3 = self.entries[parent.levels[1].entry as usize].next[j];
            all.push(Hypothesis {
                score: scores[c as usize] / best,
                h,
                n2,
                n3,
                parent: (parents + slot) as u32,
                levels: self.levels([h[ORDER - 2], n2, n3], next),
            });
        }
    }

    /// The model as text: one `count<TAB>graphone graphone ...` per line, n-grams of weight below `min`
    /// left out (unigrams are always kept) so that the shipped file stays small.
    pub fn to_text(&self, min: f64) -> String {
        let mut lines: Vec<String> = self
            .counts
            .iter()
            .filter(|(k, c)| **c >= min || k.iter().filter(|&&x| x != NONE).count() == 1)
            .map(|(k, c)| {
                let gram: Vec<&str> = k
                    .iter()
                    .filter(|&&x| x != NONE)
                    .map(|&x| self.graphones[x as usize].as_str())
                    .collect();
                format!("{c:.1}\t{}", gram.join(" "))
            })
            .collect();
        lines.sort();
        let mut out = String::from(
            "# tm transliteration model: graphone n-gram counts (count<TAB>graphones), built by `tm names train`.\n\
             # Trained on google/transliteration ar2en-train.txt (Apache License 2.0, Copyright Google LLC),\n\
             # on steveash/NETransliteration-COLING2018 Wikidata name tokens (CC0 1.0) and on Wikidata name\n\
             # units with their countries (wikidata-names/units.tsv, Wikidata rows only: CC0 1.0).\n",
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        out
    }

    /// Reads [`Model::to_text`]'s format; lines that do not parse are skipped.
    pub fn from_text(text: &str) -> Model {
        let mut model = Model::empty();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((c, gram)) = line.split_once('\t') else {
                continue;
            };
            let Ok(c) = c.parse::<f64>() else { continue };
            let ids: Vec<u32> = gram.split(' ').map(|g| model.id(g)).collect();
            if (1..=ORDER).contains(&ids.len()) {
                *model.counts.entry(key(&ids)).or_insert(0.0) += c;
            }
        }
        model.finish();
        model
    }
}

/// How much a spelling used in one country counts in training (ISO 3166 codes, as `units.tsv` has them).
///
/// The house writes Mashriq news English: spellings from Iraq, Syria, Lebanon, Jordan and Palestine count
/// in full, the Gulf's and Egypt's a little less (Egypt writes ج as G, which the house does not), and the
/// French spellings of the Maghreb (Kacem, Zied, Oulid) not at all. Iranian, Afghan, Pakistani and
/// Turkish-influenced spellings (Ghasem, Javad, Zeynep) count for little: enough for names only they
/// have, not enough to outvote an Arab country's spelling of an Arab name.
pub fn country_weight(country: &str) -> f64 {
    match country {
        "IQ" | "SY" | "LB" | "JO" | "PS" => 1.0,
        "SA" | "KW" | "QA" | "BH" | "AE" | "OM" | "YE" => 0.8,
        "EG" => 0.5,
        "SD" => 0.3,
        "DZ" | "MA" | "TN" | "LY" | "MR" => 0.0,
        "IR" | "AF" | "PK" => 0.03,
        _ => 0.1,
    }
}

/// How much more an example of the units counts than one of the other tables: they are the Arab names
/// with their countries, the house's own kind of name, where the other tables are mostly foreign names in
/// Arabic script (which write no vowels between consonants: Krki for كركي).
const UNITS: f64 = 4.0;

/// The weight of an Arab name's spelling by its vowels: Mashriq news English writes the classical vowels a,
/// i, u and the diphthongs ay, aw (Haydar, Zaynab, Husayn, Nuri, Al-Juburi); the e and o of Egyptian,
/// Levantine, French and Turkish spellings (Haider, Zeynep, Nouri) and a final y (Al-Jubury) count a
/// tenth.
fn house_vowels(latin: &str) -> f64 {
    if latin.contains(['e', 'o']) || latin.ends_with('y') {
        0.1
    } else {
        1.0
    }
}

/// An Arabic key as the tables are compared: alif forms as bare alif, ta marbuta as ha, alif maqsura and
/// the Persian yeh as ya, keheh as kaf, no harakat or tatweel (the `units.tsv` keys are written so).
fn table_key(arabic: &str) -> String {
    arabic
        .chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' | 'ی' => Some('ي'),
            'ک' => Some('ك'),
            c if fold(c).is_some() => Some(c),
            _ => None,
        })
        .collect()
}

/// A unit's key with the final letter its spelling shows: the keys write ة as ه and ى as ي, so a key
/// ending in ه or ي spelled with a final a (Fatima, Mustafa) had ta marbuta or alif maqsura.
fn final_vowel_letter(mut arabic: String, latin: &str) -> String {
    let ends_a = latin.ends_with('a') || latin.ends_with("ah") || latin.ends_with("eh");
    if ends_a && arabic.ends_with('ه') && !latin.ends_with("ha") {
        arabic.pop();
        arabic.push('ة');
    } else if latin.ends_with('a') && arabic.ends_with('ي') && !latin.ends_with("ya") {
        arabic.pop();
        arabic.push('ى');
    }
    arabic
}

/// A unit without its article, as the renderer reads it (the renderer writes `Al-` itself): the Arabic
/// without ال and the English without al-, el-, Al or an assimilated article (ash-, an-). `None` when the
/// English is not one word once the article is gone.
fn without_article(arabic: &str, latin: &str) -> Option<(String, String)> {
    let lower = latin.to_lowercase();
    let (arabic, rest) = match arabic.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => {
            let mut english = lower.as_str();
            for article in ["al-", "el-", "al ", "el ", "al'", "el'", "ul-", "al", "el"] {
                if let Some(r) = english.strip_prefix(article) {
                    english = r;
                    break;
                }
            }
            // Assimilated: as-sadr, ash-shami, an-nasr.
            if english.len() == lower.len() {
                if let Some((head, tail)) = lower.split_once(['-', ' ']) {
                    if (head.starts_with('a') || head.starts_with('e'))
                        && head.len() <= 3
                        && tail.starts_with(&head[1..])
                    {
                        english = tail;
                    }
                }
            }
            (rest.to_string(), english.to_string())
        }
        _ => (arabic.to_string(), lower),
    };
    let one_word = !rest.is_empty() && !rest.contains([' ', '-']) && !arabic.contains(' ');
    one_word.then_some((arabic, rest))
}

/// Reads the training tables under `dir` (the layout of `../shared/data/translit/`):
///
/// - the Wikidata name units (`wikidata-names/units.tsv`: `arabic_key, latin, latin_lang, country, role,
///   count, source`): each one-word spelling weighted by its uses in each country ([`country_weight`]),
///   1 + ln(weighted uses), or the weighted uses themselves below one, times [`UNITS`], times
///   [`house_vowels`]; the article taken off both sides; units of the DziriNames benchmark (source
///   `dzirinames`, Algerian) are not used;
/// - Google's Arabic→English train split (`google-ar2en/ar2en-train.txt`, `arabic<TAB>english`), mostly
///   foreign names in Arabic script: weight 1, but not an Arabic word the units spell in an Arab country
///   (the table's spellings of Arab names are largely Maghrebi and French);
/// - the Wikidata name tokens (`wikidata-names/wd_arabic.normalized.aligned.tokens`,
///   `english<TAB>spaced letters<TAB>count`), weighted by 1 + ln count, only for words the units lack
///   (the units are the same Wikidata names with their countries).
///
/// English is folded to ASCII letters ([`ascii_letters`]). The eval split is never read here.
pub fn training_examples(dir: &std::path::Path) -> std::io::Result<Vec<(String, String, f64)>> {
    let mut out = Vec::new();
    // Weighted uses per (Arabic, English) and per Arabic word in Arab countries, in file order.
    let units = std::fs::read_to_string(dir.join("wikidata-names/units.tsv"))?;
    let mut order: Vec<(String, String)> = Vec::new();
    let mut uses: FxHashMap<(String, String), f64> = FxHashMap::default();
    let mut known: FxHashMap<String, f64> = FxHashMap::default();
    for line in units.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [arabic, latin, _, country, _, count, source] = cells[..] else {
            continue;
        };
        if source == "dzirinames" {
            continue;
        }
        let count: f64 = count.trim().parse().unwrap_or(1.0);
        let weight = country_weight(country);
        *known.entry(table_key(arabic)).or_insert(0.0) += if weight >= 0.3 { count } else { 0.0 };
        let Some((arabic, latin)) = without_article(arabic, latin) else {
            continue;
        };
        let latin = ascii_letters(&latin);
        let arabic = final_vowel_letter(arabic, &latin);
        if weight == 0.0 || latin.is_empty() {
            continue;
        }
        let k = (arabic, latin);
        match uses.get_mut(&k) {
            Some(u) => *u += weight * count,
            None => {
                uses.insert(k.clone(), weight * count);
                order.push(k);
            }
        }
    }
    for k in order {
        // As the tokens are weighted (1 + ln uses), below one use in proportion.
        let m = uses[&k];
        let w = if m >= 1.0 { 1.0 + m.ln() } else { m };
        let w = UNITS * w * house_vowels(&k.1);
        out.push((k.0, k.1, w));
    }
    let arab = |key: &str| known.get(key).is_some_and(|&n| n > 0.0);
    let google = std::fs::read_to_string(dir.join("google-ar2en/ar2en-train.txt"))?;
    for line in google.lines() {
        if let Some((ar, en)) = line.split_once('\t') {
            if !arab(&table_key(ar)) {
                out.push((ar.to_string(), en.to_string(), 1.0));
            }
        }
    }
    let wikidata =
        std::fs::read_to_string(dir.join("wikidata-names/wd_arabic.normalized.aligned.tokens"))?;
    for line in wikidata.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        if let [en, ar, count] = cells[..] {
            let ar = ar.replace(' ', "");
            if known.contains_key(&table_key(&ar)) {
                continue;
            }
            let count: f64 = count.trim().parse().unwrap_or(1.0);
            out.push((ar, en.to_string(), 1.0 + count.max(1.0).ln()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search as first written, straight from the n-gram counts: every probability recomputed by
    /// scanning the counts, all candidates sorted (stable: ties in the order they were made), the first
    /// WINDOW scanned for BEAM distinct histories. The search tables must give exactly its answers.
    fn reference(model: &Model, word: &str) -> Option<String> {
        let prob = |h: &History, g: u32| -> f64 {
            let mut p = model.unigram[g as usize];
            for len in 1..ORDER {
                let hist = &h[ORDER - 1 - len..];
                let (mut total, mut types, mut c) = (0.0, 0.0, 0.0);
                for (k, &n) in &model.counts {
                    let pad = ORDER - 1 - len;
                    if k[..pad].iter().all(|&x| x == NONE) && k[pad..ORDER - 1] == *hist {
                        total += n;
                        types += 1.0;
                        if k[ORDER - 1] == g {
                            c = n;
                        }
                    }
                }
                if types > 0.0 {
                    p = (c + types * p) / (total + types);
                }
            }
            p
        };
        // (score, history, parent)
        let mut all: Vec<(f64, History, usize)> = vec![(1.0, [0; ORDER - 1], 0)];
        let mut start = 0;
        let read: Vec<usize> = word.chars().filter_map(read_index).collect();
        for (i, &li) in read.iter().enumerate() {
            let opts = model.letter_options.get(li).filter(|o| o.len > 0)?;
            let mut next = Vec::new();
            let consonant_next = read.get(i + 1).is_some_and(|&n| is_consonant(n));
            let factors = &model.start_factors[li][usize::from(!consonant_next)];
            for (parent, (score, h, _)) in all.iter().enumerate().skip(start) {
                for (j, &g) in opts.ids[..opts.len].iter().enumerate() {
                    let f = if i == 0 { factors[j] } else { 1.0 };
                    next.push((score * prob(h, g) * f, [h[1], h[2], g], parent));
                }
            }
            next.sort_by(|x, y| y.0.total_cmp(&x.0));
            let best = next[0].0.max(f64::MIN_POSITIVE);
            start = all.len();
            for x in next.iter().take(WINDOW) {
                if all.len() - start == BEAM {
                    break;
                }
                if !all[start..].iter().any(|k| k.1 == x.1) {
                    all.push((x.0 / best, x.1, x.2));
                }
            }
        }
        if all.len() == 1 {
            return None;
        }
        let (mut at, _) = all
            .iter()
            .enumerate()
            .skip(start)
            .map(|(i, (s, h, _))| (i, s * prob(h, 0)))
            .max_by(|x, y| x.1.total_cmp(&y.1))?;
        let mut out = Vec::new();
        while at != 0 {
            out.push(model.piece(all[at].1[ORDER - 2]).1);
            at = all[at].2;
        }
        out.reverse();
        Some(out.concat())
    }

    #[test]
    fn the_search_tables_give_the_reference_answers() {
        let examples: Vec<(String, String, f64)> = [
            ("كمال", "kamal"),
            ("كمال", "kemal"),
            ("جمال", "jamal"),
            ("جمال", "gamal"),
            ("كريم", "karim"),
            ("كريم", "kareem"),
            ("سمير", "samir"),
            ("منير", "munir"),
            ("جميل", "jamil"),
            ("سليم", "salim"),
            ("سليم", "selim"),
            ("كامل", "kamil"),
            ("عمر", "omar"),
            ("عمر", "umar"),
            ("علي", "ali"),
            ("محمد", "muhammad"),
            ("محمد", "mohamed"),
            ("احمد", "ahmad"),
            ("حمدي", "hamdi"),
        ]
        .iter()
        .map(|(a, e)| (a.to_string(), e.to_string(), 1.0))
        .collect();
        let trained = Model::train(&examples);
        // Loaded from text too, with and without the rare n-grams (histories whose prefix is gone).
        for model in [
            trained,
            Model::from_text(&Model::train(&examples).to_text(0.0)),
            Model::from_text(&Model::train(&examples).to_text(1.5)),
        ] {
            let letters: Vec<char> = "كمالجريسنعحدوه".chars().collect();
            let (mut words, mut spelled) = (0, 0);
            // Every word of 1 to 4 of these letters (a letter never seen gives None in both).
            for n in 1..=4u32 {
                for code in 0..letters.len().pow(n) {
                    let mut rest = code;
                    let word: String = (0..n)
                        .map(|_| {
                            let c = letters[rest % letters.len()];
                            rest /= letters.len();
                            c
                        })
                        .collect();
                    let out = model.render(&word);
                    assert_eq!(out, reference(&model, &word), "{word}");
                    spelled += usize::from(out.is_some());
                    words += 1;
                    if words > 3000 {
                        break;
                    }
                }
            }
            assert!(spelled > 1000, "{spelled} words spelled");
        }
    }

    #[test]
    fn a_very_long_word_is_still_spelled() {
        let examples = vec![("كمال".to_string(), "kamal".to_string(), 1.0)];
        let model = Model::train(&examples);
        let long: String = "كمال".repeat(500);
        assert_eq!(model.render(&long).map(|s| s.len()), Some(2500));
    }

    #[test]
    fn learns_to_spell_from_examples() {
        let examples: Vec<(String, String, f64)> = [
            ("كمال", "kamal"),
            ("جمال", "jamal"),
            ("كريم", "karim"),
            ("سمير", "samir"),
            ("منير", "munir"),
            ("جميل", "jamil"),
            ("سليم", "salim"),
            ("كامل", "kamil"),
        ]
        .iter()
        .map(|(a, e)| (a.to_string(), e.to_string(), 1.0))
        .collect();
        let model = Model::train(&examples);
        assert_eq!(model.render("كمال").as_deref(), Some("kamal"));
        // A word it never saw, from letters it did.
        assert_eq!(model.render("سمال").as_deref(), Some("samal"));
        let again = Model::from_text(&model.to_text(0.0));
        assert_eq!(again.render("جميل").as_deref(), Some("jamil"));
        assert_eq!(model.render("ظظ"), None, "letters never seen");
    }

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

    #[test]
    fn mashriq_spellings_outweigh_maghrebi_and_persian_ones() {
        assert!(country_weight("IQ") > country_weight("EG"));
        assert!(country_weight("EG") > country_weight("IR"));
        assert_eq!(country_weight("TN"), 0.0);
        assert_eq!(
            without_article("الصباح", "Al-Sabah"),
            Some(("صباح".into(), "sabah".into()))
        );
        assert_eq!(
            without_article("الشامي", "ash-Shami"),
            Some(("شامي".into(), "shami".into()))
        );
        assert_eq!(without_article("ابن اس", "Ibn-e-Aas"), None);
        assert_eq!(table_key("أحمد"), "احمد");
    }
}
