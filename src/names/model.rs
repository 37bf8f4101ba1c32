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

/// The Arabic letters of a word as the model sees them: harakat, tatweel and anything not Arabic dropped.
pub fn letters(word: &str) -> Vec<char> {
    word.chars()
        .filter(|c| ('\u{0621}'..='\u{064A}').contains(c) && *c != '\u{0640}')
        .collect()
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
const OPTIONS: usize = 8;
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
                let en: Vec<char> = e
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphabetic() || *c == '\'')
                    .collect();
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
        let mut letters = word.chars().filter_map(letter_index).peekable();
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
            // Candidates rank best first, ties in the order they were made (hypothesis, then option).
            // Paths that end in the same history score the same from here on: the beam keeps the first
            // of each among the first WINDOW candidates, up to BEAM of them. Two candidates share a
            // history when their hypotheses share their last two graphones and they add the same one:
            // only the first of such a group is a representative.
            let mut live = u64::MAX >> (64 - m);
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
                        live &= !(1 << r);
                    } else {
                        live &= !(1 << c);
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
            let mut dead = !live & (u64::MAX >> (64 - m));
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
             # Trained on google/transliteration ar2en-train.txt (Apache License 2.0, Copyright Google LLC)\n\
             # and on steveash/NETransliteration-COLING2018 Wikidata name tokens (CC0 1.0).\n",
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

/// Reads the training tables under `dir` (the layout of `../shared/data/translit/`): Google's
/// Arabic→English train split (`google-ar2en/ar2en-train.txt`, `arabic<TAB>english`) and the Wikidata
/// name tokens (`wikidata-names/wd_arabic.normalized.aligned.tokens`, `english<TAB>spaced letters<TAB>count`,
/// weighted by 1 + ln count). The eval split is never read here.
pub fn training_examples(dir: &std::path::Path) -> std::io::Result<Vec<(String, String, f64)>> {
    let mut out = Vec::new();
    let google = std::fs::read_to_string(dir.join("google-ar2en/ar2en-train.txt"))?;
    for line in google.lines() {
        if let Some((ar, en)) = line.split_once('\t') {
            out.push((ar.to_string(), en.to_string(), 1.0));
        }
    }
    let wikidata =
        std::fs::read_to_string(dir.join("wikidata-names/wd_arabic.normalized.aligned.tokens"))?;
    for line in wikidata.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        if let [en, ar, count] = cells[..] {
            let count: f64 = count.trim().parse().unwrap_or(1.0);
            out.push((
                ar.replace(' ', ""),
                en.to_string(),
                1.0 + count.max(1.0).ln(),
            ));
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
        for li in word.chars().filter_map(letter_index) {
            let opts = model.letter_options.get(li).filter(|o| o.len > 0)?;
            let mut next = Vec::new();
            for (parent, (score, h, _)) in all.iter().enumerate().skip(start) {
                for &g in &opts.ids[..opts.len] {
                    next.push((score * prob(h, g), [h[1], h[2], g], parent));
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
}
