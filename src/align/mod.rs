//! Sentence alignment of an Arabic text with its English translation.
//!
//! Two passes of the same dynamic programme over bead shapes 1-1, 2-1, 1-2, 1-0, 0-1, 3-1, 1-3 and 2-2
//! (see `dp`). A bead's cost adds the shape's prior, Gale & Church's length cost (with the
//! English/Arabic length ratio and its variance measured on the documents themselves) and minus the
//! weight of what the two sides share (`features`): numbers, Latin-script tokens, consonant skeletons
//! of names and loanwords, names of the authority in any known spelling, punctuation. The first pass's beads teach a word-translation table
//! (`lexicon`), and the second pass adds its words to what the sides share: Moore's two-pass idea,
//! with no dictionary from outside.
//!
//! Each bead's confidence is its margin over the best path without it, counted with the second pass's
//! word table less what the bead's own first-pass bead taught it: a bead must not vouch for itself.
//!
//! Long documents run in a band around a first guess (a chain of local anchors), moved and widened while the best path runs along its edge, so time and memory grow with the length of the
//! document, not its square.
//!
//! ```
//! use tm::align::align;
//! let ar = ["قال ترامب إن 17 شاحنة دخلت.", "ثم عادت.", "وصلت قافلة إلى البوكمال في 2019."];
//! let en = ["Trump said 17 trucks entered, then returned.", "A convoy reached Al-Bukamal in 2019."];
//! let beads = align(&ar, &en);
//! assert_eq!(beads.len(), 2);
//! assert_eq!((beads[0].ar.clone(), beads[0].en.clone()), (0..2, 0..1));
//! assert_eq!((beads[1].ar.clone(), beads[1].en.clone()), (2..3, 1..2));
//! ```

use std::ops::Range;

mod dp;
mod features;
mod lexicon;

use dp::{best_path, Band, Model, Step};
use features::{Reader, Sentence, Vector};
use rustc_hash::FxHashMap;

use crate::names::{Authority, Spotter};
use crate::text::{self, normalize};

/// One aligned group: Arabic sentences `ar` with English sentences `en` (either may be empty: a
/// sentence with no translation) and a confidence in 0..=1 (see [`REVIEW_BELOW`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Bead {
    /// Indices of the Arabic sentences in the group, counted from 0 across the whole document.
    pub ar: Range<usize>,
    /// Indices of the English sentences, likewise.
    pub en: Range<usize>,
    /// Confidence that the group is right, 0 to 1; 0 for every bead when [`Options::without_scores`]
    /// is set.
    pub score: f64,
}

/// Below this confidence a bead is marked for review. A bead's score is tanh(margin/2), the margin being
/// how much dearer (in nats) the best alignment is that does not take the bead, as a model counts it in
/// which the words a bead taught the word table count only in part (see `SELF_SHARE`); 0.9 is a margin
/// of about 3. How many beads on either side of it are wrong, per evaluation set: BENCHMARKS.md.
pub const REVIEW_BELOW: f64 = 0.9;

/// Half-width of the first pass's band, in sentences: wide enough that the path seldom runs along its
/// edge (each time it does, the pass is run again around the path). Short documents searched the whole
/// matrix, and long ones a half-width of 16, until 8 for every document gave the same strict F1 on the
/// three evaluation sets, per document and whole, and on the 10,000 and 50,000-line documents of
/// `cargo bench --bench align` (6 too, per document).
const BAND_WIDTH: usize = 8;
/// Half-width of the second pass's band, around the first pass's path, for documents of any length: that
/// path is nearly right, and what the lexicon moves, it moves by a sentence or two. On the evaluation
/// sets a half-width of 2 already gave the same beads as the whole matrix for short documents (and the
/// same scores, on the documents compared) and as a half-width of 8 for whole sets; 4 leaves room.
const BAND_WIDTH_2: usize = 4;
/// How much of the word evidence a first-pass bead taught itself counts when its sentences' beads are
/// scored (the path itself counts all of it). In a short document most word links are seen in two beads,
/// one of them the bead being judged: a wrong first-pass bead, say an Arabic sentence whose English was
/// dropped paired with the next one, teaches the table its own word pairs and comes back from the second
/// pass sharing them, sure of itself. Counting none of it flagged too many right beads as well (the
/// measurements are in BENCHMARKS.md).
const SELF_SHARE: f32 = 0.5;
/// How far from where the lengths put a sentence its anchors are looked for, and how far a concept must
/// be from its next occurrence to serve as one.
const ANCHOR_WINDOW: usize = 60;
/// How far (in sentences) an anchor may sit from the line through its neighbours.
const KINK: f64 = 8.0;

/// What the aligner may use besides the two texts.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// The name authority: its names, in any spelling, anchor the sentences they occur in.
    pub authority: Option<&'a Authority>,
    /// A spotter built from `authority` (with [`Spotter::new`]) once for many documents; without it
    /// each document builds one for the names it may hold. (A spotter of another authority finds names
    /// this one does not have: those are ignored.)
    pub spotter: Option<&'a Spotter>,
    /// Pairs already known to be translations (Arabic, English), e.g. from the memory: the word table
    /// learns from them as well as from the first pass, which helps most on short documents.
    pub examples: &'a [(String, String)],
    /// Skip the confidence of each bead (a backward pass over the band, a third of the work); every
    /// score is then 0. For callers that only want the beads.
    pub without_scores: bool,
    /// Without an `authority`, use the names `tm` ships, reading just those the Arabic may hold (a form
    /// whose first word it has): for one short document, parsing and indexing all of them would cost
    /// more than aligning it.
    pub shipped_names: bool,
}

/// Aligns two lists of sentences as one document, with nothing but the texts ([`Options::default`]):
/// the beads cover every sentence of both sides, in order.
pub fn align<A: AsRef<str>, E: AsRef<str>>(ar: &[A], en: &[E]) -> Vec<Bead> {
    align_blocks(ar, en, &[(0..ar.len(), 0..en.len())], Options::default())
}

/// Aligns paragraphs: when both sides have the same number of paragraphs, each paragraph is aligned
/// with its counterpart (a paragraph break is a hard boundary); otherwise the sentences are aligned as
/// one flow. The lexicon is learned over the whole document either way. Sentence numbers in the beads
/// count across paragraphs.
pub fn align_paragraphs(ar: &[Vec<String>], en: &[Vec<String>], options: Options) -> Vec<Bead> {
    let flat_ar: Vec<&str> = ar.iter().flatten().map(String::as_str).collect();
    let flat_en: Vec<&str> = en.iter().flatten().map(String::as_str).collect();
    if ar.len() != en.len() || ar.len() < 2 {
        let whole = [(0..flat_ar.len(), 0..flat_en.len())];
        return align_blocks(&flat_ar, &flat_en, &whole, options);
    }
    let mut blocks = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (pa, pe) in ar.iter().zip(en) {
        blocks.push((i..i + pa.len(), j..j + pe.len()));
        i += pa.len();
        j += pe.len();
    }
    align_blocks(&flat_ar, &flat_en, &blocks, options)
}

/// Aligns each block (a pair of sentence ranges) on its own, sharing what is learned.
fn align_blocks<A: AsRef<str>, E: AsRef<str>>(
    ar_text: &[A],
    en_text: &[E],
    blocks: &[(Range<usize>, Range<usize>)],
    options: Options,
) -> Vec<Bead> {
    let bytes = ar_text.iter().map(|s| s.as_ref().len()).sum::<usize>()
        + en_text.iter().map(|s| s.as_ref().len()).sum::<usize>();
    let mut reader = Reader::for_bytes(bytes);
    // Arabic first: English tokens look up the Latin tokens the Arabic side carries.
    let ar_folded: Vec<String> = ar_text.iter().map(|s| normalize(s.as_ref())).collect();
    let ar_words: Vec<Vec<&str>> = (ar_folded.iter())
        .map(|s| {
            let mut words = Vec::with_capacity(s.len() / 8);
            words.extend(text::words(s));
            words
        })
        .collect();
    let mut ar: Vec<Sentence> = (ar_text.iter().zip(&ar_words))
        .map(|(s, words)| reader.arabic_words(s.as_ref(), words))
        .collect();
    let mut en: Vec<Sentence> = en_text.iter().map(|s| reader.english(s.as_ref())).collect();
    if options.authority.is_some() || options.shipped_names {
        let (shipped, own_spotter);
        let names = match options.authority {
            Some(authority) => (authority, options.spotter),
            None => {
                let all = ar_words.iter().flat_map(|w| w.iter().copied());
                shipped = Authority::shipped_for_words(all);
                // Few enough to index them all.
                own_spotter = Spotter::new(&shipped);
                (&shipped, Some(&own_spotter))
            }
        };
        let concepts = &mut reader.concepts;
        features::add_names(names, (&ar_words, &mut ar), (en_text, &mut en), concepts);
    }

    // Pass 1: length and anchors.
    features::drop_one_sided(&mut ar, &mut en, reader.concepts.len());
    let idf = features::idf(&[&ar, &en], reader.concepts.len());
    let (ratio, variance) = (length_ratio(&ar, &en), 6.8);
    let first: Vec<Vec<Step>> = blocks
        .iter()
        .map(|(ra, re)| {
            let model = Model::new(&ar[ra.clone()], &en[re.clone()], &idf, ratio, variance, 1.0);
            best_path(&model, band(&model), None)
        })
        .collect();

    // What pass 1 teaches: the length ratio and its spread on its 1-1 beads, and a lexicon.
    // Words seen once cannot be linked (a link needs two sightings), and the commonest words (the, في)
    // link to everything and weigh nothing: counting pairs is the dear part of learning, so skip both.
    let mut frequency = vec![0u32; reader.concepts.len()];
    for s in ar.iter().chain(&en) {
        for w in &s.words {
            frequency[*w as usize] += 1;
        }
    }
    let common = (ar.len().max(en.len()) as u32 / 10).max(20);
    let useful = |w: &u32| (2..=common).contains(&frequency[*w as usize]);
    let mut counts = lexicon::Counts::new(reader.concepts.len());
    // Known pairs teach the words the document has, even those it has once.
    let in_document = |w: &u32| (1..=common).contains(&frequency[*w as usize]);
    for (a, e) in options.examples {
        let mut words_ar = reader.known_arabic_words(a);
        words_ar.retain(in_document);
        if words_ar.is_empty() {
            continue;
        }
        let mut words_en = reader.known_english_words(e);
        words_en.retain(in_document);
        if !words_ar.is_empty() && !words_en.is_empty() {
            counts.add(words_ar, words_en);
        }
    }
    let mut one_to_one = Vec::new();
    // The first-pass bead (its number in `counts`) each Arabic sentence is in.
    let mut taught_by: Vec<Option<usize>> = vec![None; ar.len()];
    for ((ra, re), steps) in blocks.iter().zip(&first) {
        for s in steps.iter().filter(|s| s.a > 0 && s.b > 0) {
            let (i, j) = (ra.start + s.i, re.start + s.j);
            let words_ar: Vec<u32> = ar[i..i + s.a]
                .iter()
                .flat_map(|x| x.words.iter().copied())
                .filter(useful)
                .collect();
            let words_en: Vec<u32> = en[j..j + s.b]
                .iter()
                .flat_map(|x| x.words.iter().copied())
                .filter(useful)
                .collect();
            let k = counts.add(words_ar, words_en);
            taught_by[i..i + s.a].fill(Some(k));
            if s.a == 1 && s.b == 1 {
                one_to_one.push((ar[i].len, en[j].len));
            }
        }
    }
    let (ratio, variance) = length_model(&one_to_one).unwrap_or((ratio, variance));
    let lexicon = counts.candidates(2, 0.3, 3);
    let mut extra: Vector = Vec::new();
    let mut list = Vec::new();
    // The sentences as the beads' scores see them (see `SELF_SHARE`), when scores are wanted.
    let scoring = !options.without_scores;
    let mut judge_ar: Vec<Sentence> = if scoring { ar.clone() } else { Vec::new() };
    let mut own: Vector = Vec::new();
    for (i, s) in ar.iter_mut().enumerate() {
        extra.clear();
        own.clear();
        for w in &s.words {
            lexicon.leaving_out(*w, None, &mut list);
            extra.extend(list.iter().copied());
        }
        if extra.is_empty() {
            continue;
        }
        extra.sort_unstable_by_key(|p| p.0);
        merge_max(&mut extra);
        s.vector = features::sum(&s.vector, &extra);
        if !scoring {
            continue;
        }
        let without = taught_by[i].map(|k| counts.pair(k));
        for w in &s.words {
            lexicon.leaving_out(*w, without, &mut list);
            own.extend(list.iter().copied());
        }
        own.sort_unstable_by_key(|p| p.0);
        merge_max(&mut own);
        // The judge's weight: the table without the sentence's own bead, and that bead's share of it.
        let mut mixed: Vector = extra.iter().map(|&(id, w)| (id, w * SELF_SHARE)).collect();
        for &(id, w) in &own {
            if let Ok(k) = mixed.binary_search_by_key(&id, |p| p.0) {
                mixed[k].1 += w * (1.0 - SELF_SHARE);
            } else {
                mixed.push((id, w * (1.0 - SELF_SHARE)));
                mixed.sort_unstable_by_key(|p| p.0);
            }
        }
        judge_ar[i].vector = features::sum(&judge_ar[i].vector, &mixed);
    }
    for s in &mut en {
        let words = features::counted(s.words.clone());
        s.vector = features::sum(&s.vector, &words);
    }

    // Pass 2: everything, in a band around pass 1's path.
    let mut en_judge = if scoring { en.clone() } else { Vec::new() };
    features::drop_one_sided(&mut ar, &mut en, reader.concepts.len());
    if scoring {
        features::drop_one_sided(&mut judge_ar, &mut en_judge, reader.concepts.len());
    }
    let idf = features::idf(&[&ar, &en], reader.concepts.len());
    let mut beads = Vec::new();
    for ((ra, re), previous) in blocks.iter().zip(&first) {
        let model = Model::new(&ar[ra.clone()], &en[re.clone()], &idf, ratio, variance, 1.0);
        let mut points = vec![(0, 0)];
        points.extend(previous.iter().map(|s| (s.i + s.a, s.j + s.b)));
        let band = Band::around(&points, ra.len(), re.len(), BAND_WIDTH_2);
        let judge = scoring.then(|| {
            let (ar, en) = (&judge_ar[ra.clone()], &en_judge[re.clone()]);
            Model::new(ar, en, &idf, ratio, variance, 1.0)
        });
        for s in best_path(&model, band, judge.as_ref()) {
            beads.push(Bead {
                ar: ra.start + s.i..ra.start + s.i + s.a,
                en: re.start + s.j..re.start + s.j + s.b,
                score: s.score,
            });
        }
    }
    beads
}

/// Collapses repeated ids of a sorted vector to their largest weight (an English word two Arabic words
/// both translate to counts once).
fn merge_max(v: &mut Vector) {
    v.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 = kept.1.max(next.1);
        }
        same
    });
}

/// English characters per Arabic character over the whole text.
fn length_ratio(ar: &[Sentence], en: &[Sentence]) -> f64 {
    let la: f64 = ar.iter().map(|s| s.len).sum();
    let le: f64 = en.iter().map(|s| s.len).sum();
    if la > 0.0 && le > 0.0 {
        le / la
    } else {
        1.0
    }
}

/// Ratio and variance measured on 1-1 beads (Gale & Church's c and s²), when there are enough.
fn length_model(pairs: &[(f64, f64)]) -> Option<(f64, f64)> {
    if pairs.len() < 10 {
        return None;
    }
    let la: f64 = pairs.iter().map(|p| p.0).sum();
    let le: f64 = pairs.iter().map(|p| p.1).sum();
    let ratio = le / la;
    let variance = pairs
        .iter()
        .map(|&(a, e)| (e - ratio * a).powi(2) / ((ratio * a + e) / 2.0).max(1.0))
        .sum::<f64>()
        / pairs.len() as f64;
    Some((ratio, variance.clamp(2.0, 40.0)))
}

/// The first pass's search space: a band around a chain of anchors, concepts (a number, a name) found
/// once on each side within a window around where the lengths put a sentence. Lengths alone drift as
/// the length ratio changes from one part of a text to the next; anchors pin the band to the text, and
/// being unique only locally they are found in long documents that repeat their numbers and names.
fn band(model: &Model) -> Band {
    let (n, m) = (model.ar.len(), model.en.len());
    // Characters before each sentence, on each side (n + 1 and m + 1 entries).
    let starts = |side: &[Sentence]| -> Vec<f64> {
        std::iter::once(0.0)
            .chain(side.iter().scan(0.0, |acc, s| {
                *acc += s.len;
                Some(*acc)
            }))
            .collect()
    };
    let (starts_ar, starts_en) = (starts(model.ar), starts(model.en));
    // Where lengths put each Arabic sentence on the English side.
    let guess: Vec<usize> = starts_ar[..n]
        .iter()
        .map(|&c| starts_en.partition_point(|&e| e < c * model.ratio).min(m))
        .collect();
    // Occurrences of each concept, in sentence order.
    let mut on_ar: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, s) in model.ar.iter().enumerate() {
        for (id, _) in &s.vector {
            on_ar.entry(*id).or_default().push(i);
        }
    }
    let mut on_en: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (j, s) in model.en.iter().enumerate() {
        for (id, _) in &s.vector {
            if on_ar.contains_key(id) {
                on_en.entry(*id).or_default().push(j);
            }
        }
    }
    let window = ANCHOR_WINDOW;
    let mut anchors = Vec::new();
    for (id, ar) in &on_ar {
        let Some(en) = on_en.get(id) else { continue };
        for (k, &i) in ar.iter().enumerate() {
            let alone = (k == 0 || ar[k - 1] + window < i)
                && ar.get(k + 1).is_none_or(|&next| next > i + window);
            if !alone {
                continue;
            }
            let from = en.partition_point(|&j| j + window < guess[i]);
            let to = en.partition_point(|&j| j <= guess[i] + window);
            if to == from + 1 {
                anchors.push((i, en[from]));
            }
        }
    }
    // By Arabic sentence, and within one by English sentence descending, so that two anchors of one
    // Arabic sentence never chain.
    anchors.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    let mut chain = vec![(0, 0)];
    chain.extend(increasing_chain(&anchors));
    chain.push((n, m));
    // A wrong anchor can still be in order (a number repeated a few lines on): it shows as a kink, far
    // from the line between its neighbours. Drop those.
    let mut kept = vec![chain[0]];
    for k in 1..chain.len() - 1 {
        let ((i0, j0), (i, j), (i1, j1)) = (*kept.last().unwrap(), chain[k], chain[k + 1]);
        let expected =
            j0 as f64 + (j1 as f64 - j0 as f64) * (i - i0) as f64 / (i1 - i0).max(1) as f64;
        if (j as f64 - expected).abs() <= KINK {
            kept.push((i, j));
        }
    }
    kept.push((n, m));
    let chain = kept;
    // Between two anchors, follow the lengths (with that stretch's own ratio) rather than a straight
    // line: short dialogue lines and long paragraphs do not advance alike.
    let mut points = Vec::with_capacity(n + 1);
    for w in chain.windows(2) {
        let ((i0, j0), (i1, j1)) = (w[0], w[1]);
        let (ca, ce) = (starts_ar[i1] - starts_ar[i0], starts_en[j1] - starts_en[j0]);
        let ratio = if ca > 0.0 { ce / ca } else { 0.0 };
        for i in i0..i1 {
            let target = starts_en[j0] + (starts_ar[i] - starts_ar[i0]) * ratio;
            let j = starts_en[j0..=j1].partition_point(|&e| e < target) + j0;
            points.push((i, j.min(j1)));
        }
    }
    points.push((n, m));
    Band::around(&points, n, m, BAND_WIDTH)
}

/// The longest chain of anchors increasing on both sides (patience sorting, O(k log k)); `anchors` are
/// sorted by Arabic sentence, English sentence descending within one.
fn increasing_chain(anchors: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into anchors of the smallest tail per chain length
    let mut parent = vec![usize::MAX; anchors.len()];
    for (k, &(_, j)) in anchors.iter().enumerate() {
        let pos = tails.partition_point(|&t| anchors[t].1 < j);
        if pos > 0 {
            parent[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut chain = Vec::new();
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        chain.push(anchors[k]);
        k = parent[k];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_last_bead_is_as_sure_as_the_others() {
        // The end of the path was once counted as its own rival: every document's (and paragraph's)
        // last bead scored 0 and was marked for review.
        let ar = [
            "دخلت قافلة من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال.",
            "وقال مصدر محلي إن القافلة تابعة لكتائب حزب الله.",
            "وأضاف المصدر أن الشاحنات توجهت لاحقا إلى دير الزور.",
        ];
        let en = [
            "A convoy of 17 trucks loaded with weapons entered the city of Al-Bukamal.",
            "A local source said the convoy belongs to the Hizbullah Brigades.",
            "The source added that the trucks later headed to Deir Al-Zour.",
        ];
        let beads = align(&ar, &en);
        assert_eq!(beads.len(), 3);
        for b in &beads {
            assert!(b.score >= REVIEW_BELOW, "{b:?}");
        }
        let paragraphs = |side: &[&str]| {
            vec![
                side[..2].iter().map(|s| s.to_string()).collect(),
                vec![side[2].to_string()],
            ]
        };
        let beads = align_paragraphs(&paragraphs(&ar), &paragraphs(&en), Options::default());
        assert!(beads.iter().all(|b| b.score >= REVIEW_BELOW), "{beads:?}");
    }

    #[test]
    fn chain_keeps_the_longest_monotone_run() {
        let anchors = [(0, 0), (1, 5), (2, 1), (3, 3), (3, 2), (4, 3)];
        assert_eq!(
            increasing_chain(&anchors),
            vec![(0, 0), (2, 1), (3, 2), (4, 3)]
        );
        // Two anchors in one Arabic sentence never both enter the chain.
        assert_eq!(increasing_chain(&[(0, 2), (0, 1)]).len(), 1);
    }
}
