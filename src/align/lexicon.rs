//! A word-translation table learned from aligned text (Moore's two-pass idea): the first pass aligns on
//! length and anchors, and the words that keep turning up together in its beads are taken as
//! translations for the second pass. It also learns from the memory, whose units are already aligned.
//!
//! The association is the Dice coefficient over beads, kept only for pairs seen together at least twice;
//! for each Arabic word the few best English words are kept. Dice is symmetric and needs no iterations,
//! and on a few thousand beads it finds the pairs an aligner needs (numbers and names are anchors
//! already; this adds the content words).

use rustc_hash::FxHashMap;

/// Every word pair seen together at least `min_count` times, with its counts, so that the table can be
/// worked out again without one aligned pair: a first-pass bead must not vouch for itself in the second
/// pass (see [`Candidates::leaving_out`]).
pub(crate) struct Candidates {
    /// Arabic word id → (English word id, aligned pairs holding both).
    together: FxHashMap<u32, Vec<(u32, u32)>>,
    /// Aligned pairs each word is in.
    single: Vec<u32>,
    min_count: u32,
    min_dice: f32,
    keep: usize,
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

    /// Adds one aligned pair; each word counts once per pair. Returns the pair's number, for
    /// [`Candidates::leaving_out`].
    pub(crate) fn add(&mut self, mut ar: Vec<u32>, mut en: Vec<u32>) -> usize {
        ar.sort_unstable();
        ar.dedup();
        en.sort_unstable();
        en.dedup();
        for &w in ar.iter().chain(&en) {
            self.single[w as usize] += 1;
        }
        self.aligned.push((ar, en));
        self.aligned.len() - 1
    }

    /// The words of aligned pair `k` (sorted, once each).
    pub(crate) fn pair(&self, k: usize) -> (&[u32], &[u32]) {
        let (ar, en) = &self.aligned[k];
        (ar, en)
    }

    /// The word pairs seen together at least `min_count` times, with their counts; the table is then
    /// those with Dice ≥ `min_dice`, at most `keep` per Arabic word.
    pub(crate) fn candidates(&self, min_count: u32, min_dice: f32, keep: usize) -> Candidates {
        let often = |w: &u32| self.single[*w as usize] >= min_count;
        // The aligned pairs each Arabic word seen often enough is in: (word, pair) sorted by word.
        let mut pairs_of: Vec<(u32, u32)> = Vec::new();
        for (k, (ar, _)) in self.aligned.iter().enumerate() {
            pairs_of.extend(ar.iter().filter(|w| often(w)).map(|&a| (a, k as u32)));
        }
        pairs_of.sort_unstable();
        let mut together_of: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
        // How often each English word came with the Arabic word at hand, and which did.
        let mut together = vec![0u32; self.single.len()];
        let mut seen: Vec<u32> = Vec::new();
        let mut list: Vec<(u32, u32)> = Vec::new();
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
                if count >= min_count {
                    list.push((e, count));
                }
            }
            if !list.is_empty() {
                list.sort_unstable();
                together_of.insert(a, list.clone());
            }
        }
        Candidates {
            together: together_of,
            single: self.single.clone(),
            min_count,
            min_dice,
            keep,
        }
    }
}

impl Candidates {
    /// The translations of Arabic word `a`, best first, into `out`: as the whole table has them, or,
    /// with `without` (an aligned pair's words), as if that pair had not been counted. A sentence's
    /// first-pass bead, right or wrong, put its own word pairs into the counts: in a short document
    /// those are most of the evidence a link has, so a wrong bead would come back from the second
    /// pass sharing words it taught itself, looking sure of itself.
    pub(crate) fn leaving_out(
        &self,
        a: u32,
        without: Option<(&[u32], &[u32])>,
        out: &mut Vec<(u32, f32)>,
    ) {
        out.clear();
        let Some(list) = self.together.get(&a) else {
            return;
        };
        let a_out = without.is_some_and(|(ar, _)| ar.binary_search(&a).is_ok());
        let single_a = self.single[a as usize] - a_out as u32;
        for &(e, count) in list {
            let e_out = without.is_some_and(|(_, en)| en.binary_search(&e).is_ok());
            let count = count - (a_out && e_out) as u32;
            if count < self.min_count {
                continue;
            }
            let single_e = self.single[e as usize] - e_out as u32;
            let dice = 2.0 * count as f32 / (single_a + single_e) as f32;
            if dice >= self.min_dice {
                out.push((e, dice));
            }
        }
        out.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        out.truncate(self.keep);
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
        let table = counts.candidates(2, 0.3, 3);
        let mut list = Vec::new();
        table.leaving_out(1, None, &mut list);
        assert_eq!(list, vec![(10, 1.0)]);
        table.leaving_out(2, None, &mut list);
        assert!(list.is_empty());
    }

    #[test]
    fn a_pair_does_not_vouch_for_itself() {
        let mut counts = Counts::new(13);
        // Arabic 1 with English 10 twice: linked, but leaving out either pair leaves one sighting.
        let first = counts.add(vec![1, 2], vec![10]);
        counts.add(vec![1], vec![10, 11]);
        let table = counts.candidates(2, 0.3, 3);
        let mut list = Vec::new();
        table.leaving_out(1, None, &mut list);
        assert_eq!(list, vec![(10, 1.0)]);
        table.leaving_out(1, Some(counts.pair(first)), &mut list);
        assert!(list.is_empty());
    }
}
