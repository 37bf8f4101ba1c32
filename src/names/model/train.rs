//! Training: a model from (Arabic, English, weight) examples.
//!
//! Each example is aligned letter by letter: expectation-maximisation learns how likely each Arabic
//! letter is to be written as each English piece of up to [`MAX_PIECE`] letters, the most probable
//! alignment of the example (Viterbi) is its graphone sequence, and the sequences' n-grams are counted,
//! weighted by the example's weight. What the counts become for the search is `search.rs`'s business.
//!
//! Training runs off line, to build `tm/translit.model`; rendering only loads the result.

// Deterministic hashing: training sums floats in map order, so the same data must give the same model.
use rustc_hash::FxHashMap;

use super::{ascii_letters, key, letters, Model, ORDER};

/// Longest English piece one Arabic letter may produce.
const MAX_PIECE: usize = 3;

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

/// Per word (its key in [`Model::spellings`]), each spelling's graphones and summed weight, words and
/// spellings in first-seen order (so that the same tables give the same model).
#[derive(Default)]
struct Spellings {
    seen: FxHashMap<String, Vec<(Vec<u32>, f64)>>,
    order: Vec<String>,
}

impl Spellings {
    fn add(&mut self, word: String, ids: &[u32], w: f64) {
        let order = &mut self.order;
        let seen = self.seen.entry(word).or_insert_with_key(|k| {
            order.push(k.clone());
            Vec::new()
        });
        match seen.iter_mut().find(|(s, _)| s == ids) {
            Some((_, total)) => *total += w,
            None => seen.push((ids.to_vec(), w)),
        }
    }

    /// Gives `model` the words whose spelling the tables agree on ([`confident_spelling`]).
    fn keep_confident(self, model: &mut Model) {
        for word in self.order {
            if let Some(ids) = confident_spelling(&self.seen[&word]) {
                model.spellings.insert(word.into(), ids.into());
            }
        }
    }
}

/// How much weight a word's best spelling needs to be kept as the word's spelling: the weight of one use in
/// an Arab country in the house's vowels (`tables.rs`), or of several elsewhere.
const CONFIDENT: f64 = 2.0;

/// A word's spelling when the tables agree on it: the best-weighted one, if it has at least [`CONFIDENT`]
/// and more than half of all the word's weight (a word spelled many ways with none ahead is left to the
/// model, which weighs its letters' spellings in every word).
fn confident_spelling(seen: &[(Vec<u32>, f64)]) -> Option<&[u32]> {
    let total: f64 = seen.iter().map(|(_, w)| w).sum();
    // The first of equals wins: the tables' order decides, as it does for the counts.
    let (ids, best) = seen
        .iter()
        .fold(None::<&(Vec<u32>, f64)>, |best, s| match best {
            Some(b) if b.1 >= s.1 => Some(b),
            _ => Some(s),
        })?;
    (*best >= CONFIDENT && *best * 2.0 > total).then_some(ids.as_slice())
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

impl Model {
    /// Trains on (Arabic, English, weight) examples.
    pub fn train(examples: &[(String, String, f64)]) -> Model {
        Model::train_with(examples, &[])
    }

    /// Trains on (Arabic, English, weight) examples, and keeps the confident spellings of `persian`
    /// (the same shape, [`persian_spellings`](super::persian_spellings)) for words written in Persian
    /// script; those are not examples of the model.
    pub fn train_with(
        examples: &[(String, String, f64)],
        persian: &[(String, String, f64)],
    ) -> Model {
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
        let mut words = Spellings::default();
        for (ar, en, w) in &pairs {
            let Some(seq) = viterbi(ar, en, &p) else {
                continue;
            };
            let ids: Vec<u32> = seq.iter().map(|g| model.id(g)).collect();
            words.add(ar.iter().collect(), &ids, *w);
            counts.push((ids, *w));
        }
        for (ids, w) in counts {
            model.add_sequence(&ids, w);
        }
        words.keep_confident(&mut model);
        // The Persian spellings, aligned as the examples are.
        let mut words = Spellings::default();
        for (a, e, w) in persian {
            let (ar, en) = (letters(a), ascii_letters(e).chars().collect::<Vec<char>>());
            if ar.is_empty() || en.is_empty() || en.len() > ar.len() * MAX_PIECE {
                continue;
            }
            let Some(seq) = viterbi(&ar, &en, &p) else {
                continue;
            };
            let ids: Vec<u32> = seq.iter().map(|g| model.id(g)).collect();
            let mut word = String::from(super::PERSIAN);
            word.extend(ar.iter());
            words.add(word, &ids, *w);
        }
        words.keep_confident(&mut model);
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_word_the_tables_agree_on_keeps_their_spelling() {
        // حمال is spelled one way by the tables; سمر two ways with neither ahead: the model decides.
        let mut examples: Vec<(String, String, f64)> =
            [("حمد", "hamad"), ("كمال", "kamal"), ("جمال", "jamal")]
                .iter()
                .map(|(a, e)| (a.to_string(), e.to_string(), 50.0))
                .collect();
        examples.push(("حمال".into(), "hammal".into(), 2.0));
        examples.push(("سمر".into(), "samar".into(), 2.0));
        examples.push(("سمر".into(), "sumur".into(), 2.0));
        let model = Model::train(&examples);
        let spelled = |w: &str| -> Option<String> {
            let ids = model.spellings.get(w)?;
            Some(
                ids.iter()
                    .map(|&g| &model.graphones[g as usize][2..])
                    .collect(),
            )
        };
        assert_eq!(spelled("حمال").as_deref(), Some("hammal"));
        assert_eq!(spelled("كمال").as_deref(), Some("kamal"));
        assert_eq!(spelled("سمر"), None, "no spelling ahead");
    }

    #[test]
    fn a_spelling_needs_weight_and_a_majority() {
        let seq = |n: u32| vec![n];
        assert_eq!(confident_spelling(&[(seq(1), 2.0)]), Some(&[1][..]));
        assert_eq!(confident_spelling(&[(seq(1), 1.5)]), None, "too little");
        assert_eq!(confident_spelling(&[(seq(1), 3.0), (seq(2), 3.0)]), None);
        assert_eq!(
            confident_spelling(&[(seq(1), 3.0), (seq(2), 1.0), (seq(3), 1.0)]),
            Some(&[1][..])
        );
    }
}
