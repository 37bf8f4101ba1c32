//! A word-translation table learned from aligned text (Moore's two-pass idea): the first pass aligns on
//! length and anchors, and the words that keep turning up together in its beads are taken as
//! translations for the second pass. It also learns from the memory, whose units are already aligned.
//!
//! The association is the Dice coefficient over beads, kept only for pairs seen together at least twice;
//! for each Arabic word the few best English words are kept. Dice is symmetric and needs no iterations,
//! and on a few thousand beads it finds the pairs an aligner needs (numbers and names are anchors
//! already; this adds the content words).

use rustc_hash::FxHashMap;

/// Arabic word id → English word ids with their association, best first.
#[derive(Default)]
pub(crate) struct Lexicon {
    pub(crate) translations: FxHashMap<u32, Vec<(u32, f32)>>,
}

/// Counts of words and word pairs over aligned (Arabic words, English words) pairs.
pub(crate) struct Counts {
    /// Pairs each word is in, by word id (ids are dense: the document's concept ids).
    single: Vec<u32>,
    /// The aligned pairs, each side's words sorted and once each. Word pairs are counted at the end,
    /// only for words in at least two aligned pairs: most words are in one, and a pair of words seen
    /// together once is never kept.
    aligned: Vec<(Vec<u32>, Vec<u32>)>,
}

impl Counts {
    /// Counts for word ids below `ids`.
    pub(crate) fn new(ids: usize) -> Counts {
        Counts {
            single: vec![0; ids],
            aligned: Vec::new(),
        }
    }

    /// Adds one aligned pair; each word counts once per pair.
    pub(crate) fn add(&mut self, mut ar: Vec<u32>, mut en: Vec<u32>) {
        ar.sort_unstable();
        ar.dedup();
        en.sort_unstable();
        en.dedup();
        for &w in ar.iter().chain(&en) {
            self.single[w as usize] += 1;
        }
        self.aligned.push((ar, en));
    }

    /// The table: pairs seen together at least `min_count` times with Dice ≥ `min_dice`, at most `keep`
    /// English words per Arabic word.
    pub(crate) fn lexicon(&self, min_count: u32, min_dice: f32, keep: usize) -> Lexicon {
        let often = |w: &u32| self.single[*w as usize] >= min_count;
        // The aligned pairs each Arabic word seen often enough is in: (word, pair) sorted by word.
        let mut pairs_of: Vec<(u32, u32)> = Vec::new();
        for (k, (ar, _)) in self.aligned.iter().enumerate() {
            pairs_of.extend(ar.iter().filter(|w| often(w)).map(|&a| (a, k as u32)));
        }
        pairs_of.sort_unstable();
        let mut translations: FxHashMap<u32, Vec<(u32, f32)>> = FxHashMap::default();
        // How often each English word came with the Arabic word at hand, and which did.
        let mut together = vec![0u32; self.single.len()];
        let mut seen: Vec<u32> = Vec::new();
        let mut list: Vec<(u32, f32)> = Vec::new();
        for run in pairs_of.chunk_by(|x, y| x.0 == y.0) {
            let a = run[0].0;
            for &(_, k) in run {
                for e in self.aligned[k as usize].1.iter().filter(|w| often(w)) {
                    if together[*e as usize] == 0 {
                        seen.push(*e);
                    }
                    together[*e as usize] += 1;
                }
            }
            list.clear();
            for e in seen.drain(..) {
                let count = std::mem::take(&mut together[e as usize]);
                if count < min_count {
                    continue;
                }
                let dice =
                    2.0 * count as f32 / (self.single[a as usize] + self.single[e as usize]) as f32;
                if dice >= min_dice {
                    list.push((e, dice));
                }
            }
            if !list.is_empty() {
                list.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                list.truncate(keep);
                translations.insert(a, list.clone());
            }
        }
        Lexicon { translations }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_travel_together_are_linked() {
        let mut counts = Counts::new(13);
        // Arabic 1 always comes with English 10; 2 and 3 with 11 and 12 once each.
        counts.add(vec![1, 2], vec![10, 11]);
        counts.add(vec![1, 3], vec![10, 12]);
        counts.add(vec![1], vec![10]);
        let lexicon = counts.lexicon(2, 0.3, 3);
        assert_eq!(lexicon.translations[&1], vec![(10, 1.0)]);
        assert!(!lexicon.translations.contains_key(&2));
    }
}
