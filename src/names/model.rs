//! A learned transliteration model: how Arabic letters are really spelled in English names.
//!
//! Arabic writes no short vowels, so rules give skeletons (حزب → Hzb); how names are actually spelled
//! has to be learned from examples. The model is a joint n-gram over *graphones*: pairs of one Arabic
//! letter and the (possibly empty, up to three letters) English it is written as.
//!
//! - Training aligns each example letter by letter with expectation-maximisation (which English
//!   substrings each Arabic letter tends to produce), takes each example's best alignment as a graphone
//!   sequence, and counts graphone trigrams, bigrams and unigrams.
//! - Rendering searches, left to right with a beam, the graphone sequences whose Arabic side is the input
//!   and scores them with the interpolated trigram model; the best one's English side is the answer.
//!
//! The model is text (`tm/translit.model`): the counts, one n-gram per line. `tm names train` builds it
//! from public tables of names (see BENCHMARKS.md for its data and its accuracy).

use std::collections::HashMap;
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
/// Padding in n-gram keys shorter than [`ORDER`].
const NONE: u32 = u32::MAX;

type Key = [u32; ORDER];

/// What follows one history: total count, and (graphone, count) sorted by graphone.
#[derive(Default)]
struct Followers {
    total: f64,
    next: Vec<(u32, f64)>,
}

impl Followers {
    /// Witten-Bell: mixes this history's counts with the lower-order probability `lower`.
    fn mix(&self, g: u32, lower: f64) -> f64 {
        let c = self
            .next
            .binary_search_by_key(&g, |x| x.0)
            .map_or(0.0, |i| self.next[i].1);
        let types = self.next.len() as f64;
        (c + types * lower) / (self.total + types)
    }
}

/// A search hypothesis: score, the last ORDER-1 graphones, its graphone, its parent's index.
type Hypothesis = (f64, [u32; ORDER - 1], u32, usize);

/// A trained model: graphone n-gram counts and, per Arabic letter, the graphones it may be written as.
#[derive(Default)]
pub struct Model {
    /// Graphones by id (`letter` + English piece; id 0 is the word edge).
    graphones: Vec<String>,
    ids: HashMap<String, u32>,
    /// Counts of n-grams of every order 1..=ORDER, keys padded with NONE at the front.
    counts: rustc_hash::FxHashMap<Key, f64>,
    /// For each history (n-gram without its last graphone): the total count after it, and the graphones
    /// seen after it with their counts, sorted by id. Rendering looks a history up once and then scans
    /// this short list for each candidate, instead of hashing every n-gram.
    history: rustc_hash::FxHashMap<Key, Followers>,
    /// The histories of one graphone, by its id: the look-up every candidate makes, kept out of the map.
    history1: Vec<Option<Followers>>,
    total: f64,
    /// Unigram probability of each graphone (add-0.1 smoothed), by id: the innermost term of every
    /// probability, so kept out of the hash map.
    unigram: Vec<f64>,
    /// Arabic letter → ids of the graphones seen for it.
    options: rustc_hash::FxHashMap<char, Vec<u32>>,
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
        let mut m = Model::default();
        m.id(EDGE);
        m
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

    /// Derives the history statistics and per-letter options from the counts.
    fn finish(&mut self) {
        self.history.clear();
        self.options.clear();
        self.total = 0.0;
        for (k, c) in &self.counts {
            let len = k.iter().filter(|&&x| x != NONE).count();
            if len == 1 {
                self.total += c;
                let g = &self.graphones[k[ORDER - 1] as usize];
                if let Some(a) = g.chars().next().filter(|_| g != EDGE) {
                    self.options.entry(a).or_default().push(k[ORDER - 1]);
                }
                let _ = c;
            } else {
                let mut h = [NONE; ORDER];
                h[1..].copy_from_slice(&k[..ORDER - 1]);
                let e = self.history.entry(h).or_default();
                e.total += c;
                e.next.push((k[ORDER - 1], *c));
            }
        }
        for f in self.history.values_mut() {
            f.next.sort_unstable_by_key(|x| x.0);
        }
        self.history1 = (0..self.graphones.len()).map(|_| None).collect();
        let singles: Vec<Key> = self
            .history
            .keys()
            .filter(|k| k.iter().filter(|&&x| x != NONE).count() == 1)
            .copied()
            .collect();
        for k in singles {
            if let Some(f) = self.history.remove(&k) {
                self.history1[k[ORDER - 1] as usize] = Some(f);
            }
        }
        let n = self.graphones.len() as f64;
        self.unigram = (0..self.graphones.len() as u32)
            .map(|g| {
                (self.counts.get(&key(&[g])).copied().unwrap_or(0.0) + 0.1) / (self.total + 0.1 * n)
            })
            .collect();
        self.prune_options();
    }

    /// Keeps, for each letter, its [`OPTIONS`] most frequent graphones: the rest almost never win and cost
    /// time at every step of the search.
    fn prune_options(&mut self) {
        for opts in self.options.values_mut() {
            opts.sort_by(|a, b| {
                let ca = self.counts.get(&key(&[*a])).copied().unwrap_or(0.0);
                let cb = self.counts.get(&key(&[*b])).copied().unwrap_or(0.0);
                cb.total_cmp(&ca)
            });
            opts.truncate(OPTIONS);
        }
    }

    /// Interpolated (Witten-Bell) probability of graphone `g` after the history `h` (oldest first,
    /// ORDER - 1 long).
    fn prob(&self, h: &[u32; ORDER - 1], g: u32) -> f64 {
        self.prob_with(&self.weights(h), g)
    }

    /// The best English spelling of an Arabic word (lower case), or `None` for a letter never seen.
    pub fn render(&self, word: &str) -> Option<String> {
        Some(
            self.render_pieces(word)?
                .into_iter()
                .map(|(_, piece)| piece)
                .collect(),
        )
    }

    /// Like [`Model::render`], letter by letter: each Arabic letter with the English it became (so that a
    /// house style can mark ayn and hamza).
    pub fn render_pieces(&self, word: &str) -> Option<Vec<(char, &str)>> {
        let ar = letters(word);
        if ar.is_empty() {
            return None;
        }
        // All hypotheses kept, step after step: (score, last ORDER-1 graphones, graphone, index of the
        // parent in `all`). Step i's beam is `all[starts[i]..]` up to the next start; paths are read back
        // through the parents at the end. Scores are probabilities multiplied (no logarithms on the hot
        // path), rescaled at each step.
        let mut all: Vec<Hypothesis> = Vec::with_capacity((ar.len() + 1) * BEAM);
        all.push((1.0, [0u32; ORDER - 1], 0u32, 0usize));
        let mut start = 0;
        let mut next: Vec<Hypothesis> = Vec::with_capacity(BEAM * OPTIONS);
        for a in &ar {
            let opts = self.options.get(a)?;
            next.clear();
            for (parent, (score, h, _, _)) in all.iter().enumerate().skip(start) {
                let weights = self.weights(h);
                for &g in opts {
                    let s = score * self.prob_with(&weights, g);
                    let mut h2 = [0; ORDER - 1];
                    h2[..ORDER - 2].copy_from_slice(&h[1..]);
                    h2[ORDER - 2] = g;
                    next.push((s, h2, g, parent));
                }
            }
            // Only the best few need ordering: the beam keeps BEAM of them, some dropped as duplicates.
            let window = (3 * BEAM).min(next.len());
            if window < next.len() {
                next.select_nth_unstable_by(window, |x, y| y.0.total_cmp(&x.0));
                next.truncate(window);
            }
            next.sort_unstable_by(|x, y| y.0.total_cmp(&x.0));
            // Paths that end in the same context score the same from here on: keep the best of each,
            // rescaled so that the best is 1 (a very long word never underflows to zero).
            start = all.len();
            let best = next.first().map_or(1.0, |x| x.0).max(f64::MIN_POSITIVE);
            for x in &next {
                if all.len() - start == BEAM {
                    break;
                }
                if !all[start..].iter().any(|k| k.1 == x.1) {
                    all.push((x.0 / best, x.1, x.2, x.3));
                }
            }
        }
        let (mut at, _) = all
            .iter()
            .enumerate()
            .skip(start)
            .map(|(i, (s, h, _, _))| (i, s * self.prob(h, 0)))
            .max_by(|x, y| x.1.total_cmp(&y.1))?;
        let mut path = Vec::with_capacity(ar.len());
        while at != 0 {
            let (_, _, g, parent) = all[at];
            path.push(g);
            at = parent;
        }
        path.reverse();
        Some(
            path.iter()
                .map(|&g| {
                    let s = &self.graphones[g as usize];
                    let letter = s.chars().next().unwrap_or(' ');
                    (letter, &s[letter.len_utf8()..])
                })
                .collect(),
        )
    }

    /// The followers of each suffix of a history, shortest first.
    fn weights(&self, h: &[u32; ORDER - 1]) -> [Option<&Followers>; ORDER - 1] {
        let mut w = [None; ORDER - 1];
        w[0] = self
            .history1
            .get(h[ORDER - 2] as usize)
            .and_then(Option::as_ref);
        for (i, start) in (0..ORDER - 2).rev().enumerate() {
            w[i + 1] = self.history.get(&key(&h[start..]));
        }
        w
    }

    /// [`Model::prob`] with the history's followers looked up once.
    fn prob_with(&self, w: &[Option<&Followers>; ORDER - 1], g: u32) -> f64 {
        w.iter()
            .flatten()
            .fold(self.unigram[g as usize], |p, f| f.mix(g, p))
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

/// Hypotheses kept at each letter.
const BEAM: usize = 8;
/// Graphones tried per letter.
const OPTIONS: usize = 8;

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
