//! Rendering: the search tables compiled from the counts, and the beam search over them.
//!
//! [`Model::finish`] turns the n-gram counts (trained or loaded) into tables the search reads without
//! hashing: each Arabic letter's [`OPTIONS`] most frequent graphones, and for every history of one to
//! three graphones a [`Node`] with its Witten-Bell statistics and, per letter, one [`Entry`] (half a cache
//! line) with its options' counts and the longer histories they lead to. [`Model::render`] then searches
//! left to right with a beam of [`BEAM`] hypotheses, scoring each step with the interpolated 4-gram
//! probabilities; the first letter of a word is weighted by how Arabic words start ([`start_factor`]).
//!
//! The tests check the tables against the search as first written, straight from the counts.

use rustc_hash::FxHashMap;

use super::{fold, key, persian_script, History, Model, EDGE, NONE, ORDER, PERSIAN};

/// Hypotheses kept at each letter.
const BEAM: usize = 8;
/// Graphones tried per letter.
pub(super) const OPTIONS: usize = 12;
/// The best candidates of a step that are ranked; the beam is filled from them (some are duplicates).
const WINDOW: usize = 3 * BEAM;

/// The Arabic letters the model reads (U+0621..=U+064A), numbered from 0: bits of a `u64`.
const FIRST_LETTER: u32 = 0x0621;
const LETTER_COUNT: usize = 0x064A - 0x0621 + 1;

/// The number of an Arabic letter the model reads ([`letters`](super::letters)), or `None`.
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
pub(super) struct Node {
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
pub(super) struct Entry {
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
pub(super) struct LetterOptions {
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
    /// Derives the unigram probabilities, the per-letter options (each letter's [`OPTIONS`] most frequent
    /// graphones: the rest almost never win and cost time at every step of the search) and the search
    /// tables from the counts.
    pub(super) fn finish(&mut self) {
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
        if !self.spellings.is_empty() {
            let mut key = String::with_capacity(word.len() + 2);
            key.push(PERSIAN);
            key.extend(word.chars().filter_map(fold));
            let arabic = &key[PERSIAN.len_utf8()..];
            let found = (persian_script(word))
                .then(|| self.spellings.get(key.as_str()))
                .flatten()
                .or_else(|| self.spellings.get(arabic));
            if let Some(ids) = found {
                path.clear();
                path.extend_from_slice(ids);
                return true;
            }
        }
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
}
