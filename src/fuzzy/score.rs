//! The score translators know: word-level edit distance, made aware of Arabic clitics.
//!
//! Both segments are sequences of words (see [`crate::text::words()`]). The distance is Levenshtein's over
//! words with these costs:
//!
//! | edit | cost |
//! |---|---|
//! | same word (after normalization) | 0 |
//! | a word for one with the same stem: only a proclitic or the article differs (المقاومة / والمقاومة) | 0.5 |
//! | a number for another number (23 / 24): the suggestion substitutes it | 0.5 |
//! | any other substitution, an insertion, a deletion | 1 |
//!
//! and the score is `100 × (1 − distance / max(n, m))` rounded down, for a query of `n` words and a stored
//! segment of `m` words (the convention of OmegaT and Trados). Worked examples:
//!
//! - `أعلنت كتائب حزب الله` vs `أعلنت كتائب حزب الله`: distance 0 → 100.
//! - `وأعلنت كتائب حزب الله` vs `أعلنت كتائب حزب الله` (a conjunction glued on): 0.5 over 4 words → 87.
//! - `أطلقت 24 طائرة مسيرة` vs `أطلقت 23 طائرة مسيرة`: 0.5 over 4 → 87, with the number substituted.
//! - `اجتمع قادة الفصائل في بغداد` vs `اجتمع قادة الفصائل في دمشق`: 1 over 5 → 80.
//! - `اجتمع قادة الفصائل في بغداد أمس` vs `اجتمع قادة الفصائل في بغداد`: 1 over 6 → 83.
//!
//! Distances are computed in half points so that all arithmetic is on integers.

use crate::store::WordKey;

/// The cost of putting `b` where `a` was, in half points.
#[inline]
fn cost(a: WordKey, b: WordKey) -> u32 {
    if a.word == b.word {
        0
    } else if a.stem == b.stem {
        1
    } else {
        2
    }
}

/// The score for a distance in half points between segments of `n` and `m` words.
pub fn score(half_points: u32, n: usize, m: usize) -> u8 {
    let longer = n.max(m);
    if longer == 0 {
        return 0;
    }
    let lost = (50 * half_points as usize).div_ceil(longer);
    100usize.saturating_sub(lost) as u8
}

/// The largest distance (half points) that still scores at least `min` between `n` and `m` words.
pub fn max_distance(min: u8, n: usize, m: usize) -> u32 {
    let longer = n.max(m) as u32;
    // score ≥ min  ⇔  100 − ⌈50·d/L⌉ ≥ min  ⇔  50·d ≤ (100 − min)·L
    (100 - u32::from(min.min(100))) * longer / 50
}

/// The distance in half points, or `None` as soon as it must exceed `limit`.
pub fn distance(query: &[WordKey], source: &[WordKey], limit: u32) -> Option<u32> {
    let m = source.len();
    let mut prev: Vec<u32> = (0..=m as u32).map(|j| 2 * j).collect();
    let mut cur = vec![0u32; m + 1];
    for (i, &q) in query.iter().enumerate() {
        cur[0] = 2 * (i as u32 + 1);
        let mut row_min = cur[0];
        for (j, &s) in source.iter().enumerate() {
            let v = (prev[j] + cost(q, s)).min(prev[j + 1] + 2).min(cur[j] + 2);
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[m];
    (d <= limit).then_some(d)
}

/// One step of the cheapest way from the stored segment to the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The same word at query position `q` and source position `s`.
    Same { q: usize, s: usize },
    /// Same stem, another proclitic or article (or another number).
    Variant { q: usize, s: usize },
    /// A different word.
    Replace { q: usize, s: usize },
    /// A word of the stored segment that the query lacks.
    SourceOnly { s: usize },
    /// A word of the query that the stored segment lacks.
    QueryOnly { q: usize },
}

/// The cheapest alignment of two segments and its distance in half points.
pub fn edits(query: &[WordKey], source: &[WordKey]) -> (u32, Vec<Edit>) {
    let (n, m) = (query.len(), source.len());
    let w = m + 1;
    let mut d = vec![0u32; (n + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = 2 * j as u32;
    }
    for i in 1..=n {
        d[i * w] = 2 * i as u32;
        for j in 1..=m {
            d[i * w + j] = (d[(i - 1) * w + j - 1] + cost(query[i - 1], source[j - 1]))
                .min(d[(i - 1) * w + j] + 2)
                .min(d[i * w + j - 1] + 2);
        }
    }
    let mut edits = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = d[i * w + j];
        if i > 0 && j > 0 {
            let c = cost(query[i - 1], source[j - 1]);
            if here == d[(i - 1) * w + j - 1] + c {
                let (q, s) = (i - 1, j - 1);
                edits.push(match c {
                    0 => Edit::Same { q, s },
                    1 => Edit::Variant { q, s },
                    _ => Edit::Replace { q, s },
                });
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if j > 0 && here == d[i * w + j - 1] + 2 {
            edits.push(Edit::SourceOnly { s: j - 1 });
            j -= 1;
        } else {
            edits.push(Edit::QueryOnly { q: i - 1 });
            i -= 1;
        }
    }
    edits.reverse();
    (d[n * w + m], edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(words: &[(u32, u32)]) -> Vec<WordKey> {
        words
            .iter()
            .map(|&(word, stem)| WordKey { word, stem })
            .collect()
    }

    #[test]
    fn the_worked_examples_of_the_module_doc() {
        assert_eq!(score(0, 4, 4), 100);
        assert_eq!(score(1, 4, 4), 87);
        assert_eq!(score(2, 5, 5), 80);
        assert_eq!(score(2, 6, 5), 83);
        assert_eq!(score(1, 20, 20), 97);
    }

    #[test]
    fn a_distance_that_is_not_zero_never_scores_100() {
        for n in 1..300 {
            assert!(score(1, n, n) < 100, "{n}");
        }
    }

    #[test]
    fn max_distance_is_the_exact_threshold() {
        for min in [50u8, 70, 75, 85, 95, 100] {
            for n in 1..40 {
                for m in 1..40 {
                    let limit = max_distance(min, n, m);
                    assert!(score(limit, n, m) >= min, "{min} {n} {m}");
                    assert!(score(limit + 1, n, m) < min || limit + 1 > 2 * n.max(m) as u32);
                }
            }
        }
    }

    #[test]
    fn costs_and_alignment() {
        // q: و+أعلنت(1→stem 2) كتائب(3) حزب(4) الله(5); s: أعلنت(2) كتائب(3) حزب(4) الله(5) أمس(6)
        let q = keys(&[(1, 2), (3, 3), (4, 4), (5, 5)]);
        let s = keys(&[(2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]);
        let (d, edits) = edits(&q, &s);
        assert_eq!(d, 3);
        assert_eq!(edits[0], Edit::Variant { q: 0, s: 0 });
        assert_eq!(edits[4], Edit::SourceOnly { s: 4 });
        assert_eq!(distance(&q, &s, 10), Some(3));
        assert_eq!(distance(&q, &s, 2), None);
    }

    #[test]
    fn distance_agrees_with_align_and_is_symmetric() {
        let a = keys(&[(1, 1), (2, 9), (3, 3), (4, 4), (7, 7)]);
        let b = keys(&[(8, 9), (3, 3), (1, 1), (4, 4)]);
        let d = edits(&a, &b).0;
        assert_eq!(distance(&a, &b, u32::MAX), Some(d));
        assert_eq!(distance(&b, &a, u32::MAX), Some(d));
    }

    use proptest::prelude::*;

    /// Words from a small vocabulary so that segments share words and stems; a word's stem is a function
    /// of the word, as in the index (word 7 and word 8 share stem 2: a clitic variant).
    fn segment() -> impl Strategy<Value = Vec<WordKey>> {
        prop::collection::vec(0u32..12, 0..14).prop_map(|words| {
            words
                .into_iter()
                .map(|word| WordKey {
                    word,
                    stem: word / 3,
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The costs are symmetric, so the distance is: a query scores against a stored segment what
        /// that segment would score against the query.
        #[test]
        fn prop_distance_is_symmetric_and_align_agrees(a in segment(), b in segment()) {
            let d = distance(&a, &b, u32::MAX).expect("no limit");
            prop_assert_eq!(distance(&b, &a, u32::MAX), Some(d));
            prop_assert_eq!(edits(&a, &b).0, d);
            prop_assert_eq!(edits(&b, &a).0, d);
            prop_assert!(d <= 2 * a.len().max(b.len()) as u32);
            prop_assert_eq!(d == 0, a == b);
        }

        /// With a limit, the distance is given exactly when it is within it.
        #[test]
        fn prop_limit_cuts_exactly(a in segment(), b in segment(), limit in 0u32..30) {
            let d = distance(&a, &b, u32::MAX).expect("no limit");
            prop_assert_eq!(distance(&a, &b, limit), (d <= limit).then_some(d));
        }

        /// The score is in 0..=100, symmetric in the two lengths, 100 only for distance 0, and never
        /// rises with the distance.
        #[test]
        fn prop_score_in_range_and_symmetric(d in 0u32..2000, n in 0usize..500, m in 0usize..500) {
            let s = score(d, n, m);
            prop_assert!(s <= 100);
            prop_assert_eq!(s, score(d, m, n));
            if n.max(m) > 0 && 2 * n.max(m) as u32 >= d {
                prop_assert_eq!(s == 100, d == 0);
            }
            prop_assert!(score(d + 1, n, m) <= s);
        }

        /// The score of two real segments, through the distance, stays in range and is symmetric.
        #[test]
        fn prop_segment_scores_are_symmetric(a in segment(), b in segment()) {
            let ab = score(distance(&a, &b, u32::MAX).unwrap(), a.len(), b.len());
            let ba = score(distance(&b, &a, u32::MAX).unwrap(), b.len(), a.len());
            prop_assert_eq!(ab, ba);
            prop_assert!(ab <= 100);
        }
    }
}
