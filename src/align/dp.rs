//! The dynamic programme: the cheapest monotone path of beads through the two sentence lists, inside a
//! band around a first guess so that long documents take linear time and memory.

use super::features::{sum_into, Sentence, Vector};

/// Arabic sentences, English sentences, prior cost.
type Shape = (usize, usize, f64);

/// Bead shapes (Arabic sentences, English sentences) and their prior costs, −ln P(shape). 1-1 is the
/// rule; merges are common in news translation; deletions and 2-2 are rare.
pub(crate) const SHAPES: [Shape; 8] = [
    (1, 1, 0.15),
    (2, 1, 2.6),
    (1, 2, 2.6),
    (1, 0, 3.5),
    (0, 1, 3.5),
    (3, 1, 4.6),
    (1, 3, 4.6),
    (2, 2, 1000.0),
];

/// Everything the cost of a bead depends on.
pub(crate) struct Model<'a> {
    pub(crate) ar: &'a [Sentence],
    pub(crate) en: &'a [Sentence],
    /// Runs of 1, 2 and 3 sentences starting at each index.
    ar_runs: [Runs; 3],
    en_runs: [Runs; 3],
    /// How many concept ids there are: the length of a vector scattered by id.
    concepts: usize,
    /// English characters per Arabic character.
    pub(crate) ratio: f64,
    /// Variance of the English length per unit of length (Gale & Church's s²).
    pub(crate) variance: f64,
    /// How much one unit of shared concept weight is worth against the length and shape costs.
    pub(crate) lexical_weight: f64,
}

/// Consecutive sentences of one side taken together: what a bead's cost needs of them, computed once.
struct Run {
    /// Where the run's concepts are in [`Runs::concepts`]: each weight already multiplied by the
    /// concept's IDF (which is never negative, so the smaller of two weighted weights is the weighted
    /// smaller one).
    start: u32,
    end: u32,
    /// The sum of the weighted vector: an upper bound of what it can share.
    mass: f32,
    len: f64,
}

/// The runs of one length starting at each sentence of one side, their vectors in one buffer.
struct Runs {
    runs: Vec<Run>,
    concepts: Vec<(u32, f32)>,
}

impl Runs {
    fn vector(&self, i: usize) -> &[(u32, f32)] {
        let run = &self.runs[i];
        &self.concepts[run.start as usize..run.end as usize]
    }
}

/// Runs of 1, 2 and 3 sentences; a run of k is the run of k − 1 from the same sentence merged with
/// one more sentence, each sentence's weights multiplied by the IDF as it is merged. (Summing first and
/// multiplying after, as before, can differ in the last bit of a weight; the beads of the evaluation sets
/// were the same, and keeping the sums apart cost 3% of a short document.)
fn runs(sentences: &[Sentence], idf: &[f32]) -> [Runs; 3] {
    let n = sentences.len();
    let mut out: [Runs; 3] = std::array::from_fn(|_| Runs {
        runs: Vec::with_capacity(n),
        concepts: Vec::new(),
    });
    let mut merged: Vector = Vec::new();
    for k in 0..3 {
        for i in 0..n {
            merged.clear();
            if k == 0 {
                let weighted = sentences[i].vector.iter();
                merged.extend(weighted.map(|&(id, w)| (id, w * idf[id as usize])));
            } else if i + k < n {
                // The next sentence's weighted vector is its run of 1.
                sum_into(out[k - 1].vector(i), out[0].vector(i + k), &mut merged);
            } else {
                merged.extend_from_slice(out[k - 1].vector(i));
            }
            let runs = &mut out[k];
            let start = runs.concepts.len() as u32;
            runs.concepts.extend_from_slice(&merged);
            let end = (i + k + 1).min(n);
            runs.runs.push(Run {
                start,
                end: runs.concepts.len() as u32,
                mass: merged.iter().map(|(_, w)| w).sum(),
                len: sentences[i..end].iter().map(|s| s.len).sum(),
            });
        }
    }
    out
}

impl<'a> Model<'a> {
    pub(crate) fn new(
        ar: &'a [Sentence],
        en: &'a [Sentence],
        idf: &'a [f32],
        ratio: f64,
        variance: f64,
        lexical_weight: f64,
    ) -> Model<'a> {
        Model {
            ar,
            en,
            ar_runs: runs(ar, idf),
            en_runs: runs(en, idf),
            concepts: idf.len(),
            ratio,
            variance,
            lexical_weight,
        }
    }

    /// Gale & Church's length cost, −ln P(|δ| this large), of `la` Arabic and `le` English characters,
    /// or infinity when it is sure to reach `budget`.
    fn length_cost(&self, la: f64, le: f64, budget: f64) -> f64 {
        // x² for x = |δ|/√2. Since erfc(x) ≤ exp(−x²)/(x√π), −ln erfc(x) ≥ x² wherever x√π ≥ 1: a bound
        // without the square root, logarithm and polynomial, which settles most far-fetched beads.
        let gap = le - self.ratio * la;
        let x2 = gap * gap / (self.variance * (self.ratio * la + le).max(1.0));
        // The slack covers the fit's error (its erfc is within 1.2e-7, relatively, of the true one).
        if x2 >= 1.0 / std::f64::consts::PI && x2 - 1e-6 >= budget {
            return f64::INFINITY;
        }
        let delta = gap / (self.variance * (self.ratio * la + le).max(1.0) / 2.0).sqrt();
        neg_ln_erfc(delta.abs() / std::f64::consts::SQRT_2)
    }

    /// The cost of one bead of a path, worked out in full (no budget, no scattered vector).
    fn bead_cost(&self, s: &Step) -> f64 {
        let prior = SHAPES
            .iter()
            .find(|x| x.0 == s.a && x.1 == s.b)
            .map_or(f64::INFINITY, |x| x.2);
        if s.a == 0 || s.b == 0 {
            return prior;
        }
        let (ra, re) = (
            &self.ar_runs[s.a - 1].runs[s.i],
            &self.en_runs[s.b - 1].runs[s.j],
        );
        let va = self.ar_runs[s.a - 1].vector(s.i);
        let mut common = 0f32;
        for &(id, w) in self.en_runs[s.b - 1].vector(s.j) {
            if let Ok(k) = va.binary_search_by_key(&id, |p| p.0) {
                common += va[k].1.min(w);
            }
        }
        prior + self.length_cost(ra.len, re.len, f64::INFINITY)
            - self.lexical_weight * common as f64
    }

    /// The cost of the bead of shape `(a, b, prior)` with Arabic sentences from `i` and English from
    /// `j`, or infinity as soon as it is sure to exceed `budget` (the matching, the dear part, is then
    /// skipped). `dense` holds the Arabic run's vector scattered by concept id.
    fn cost(&self, i: usize, j: usize, shape: Shape, budget: f64, dense: &[f32]) -> f64 {
        let (a, b, prior) = shape;
        if a == 0 || b == 0 {
            return prior;
        }
        let (ra, re) = (&self.ar_runs[a - 1].runs[i], &self.en_runs[b - 1].runs[j]);
        let most_shared = self.lexical_weight * ra.mass.min(re.mass) as f64;
        // The length cost is never negative: a dear shape is dropped before it is worked out.
        if prior - most_shared >= budget {
            return f64::INFINITY;
        }
        let fixed = prior + self.length_cost(ra.len, re.len, budget - prior + most_shared);
        if fixed - most_shared >= budget {
            return f64::INFINITY;
        }
        let common: f32 = self.en_runs[b - 1]
            .vector(j)
            .iter()
            .map(|&(id, w)| dense[id as usize].min(w))
            .sum();
        fixed - self.lexical_weight * common as f64
    }
}

/// −ln erfc(x) for x ≥ 0, from Numerical Recipes' `erfcc` (relative error of erfc below 1.2e-7), in
/// log space so that a huge length mismatch gives a large finite cost instead of ln 0.
fn neg_ln_erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    // The fit is 3e-8 below zero at 0, where −ln erfc is exactly 0; the cost bound needs it never negative.
    (-(t.ln() + poly)).max(0.0)
}

/// For each Arabic prefix length `i` (0..=n), the English prefix lengths `lo..=hi` the path may use.
#[derive(Clone, Debug)]
pub(crate) struct Band {
    pub(crate) rows: Vec<(usize, usize)>,
}

impl Band {
    /// Cells within `width` of a monotone centre line through `points` (which start at (0,0) and end at
    /// (n,m)), interpolated linearly between points.
    pub(crate) fn around(points: &[(usize, usize)], n: usize, m: usize, width: usize) -> Band {
        let mut rows = Vec::with_capacity(n + 1);
        let mut k = 0;
        for i in 0..=n {
            while k + 1 < points.len() - 1 && points[k + 1].0 <= i {
                k += 1;
            }
            let (i0, j0) = points[k];
            let (i1, j1) = points[(k + 1).min(points.len() - 1)];
            let centre = if i1 > i0 {
                j0 as f64 + (j1 as f64 - j0 as f64) * (i - i0) as f64 / (i1 - i0) as f64
            } else {
                j1 as f64
            };
            let centre = centre.round() as usize;
            rows.push((centre.saturating_sub(width), (centre + width).min(m)));
        }
        let mut band = Band { rows };
        band.connect(m);
        band
    }

    /// Makes every cell reachable from the start: the low edge never moves back, and each row starts
    /// where the row before reaches (a deletion bead, 1-0, steps straight down), so the first cell of a
    /// row is reachable and the rest by 0-1 beads. A high edge may move back: cells beyond the next
    /// row's reach are dead ends the best path never takes.
    fn connect(&mut self, m: usize) {
        let rows = &mut self.rows;
        let n = rows.len() - 1;
        rows[0].0 = 0;
        rows[n].1 = m;
        for i in 1..=n {
            rows[i].0 = rows[i].0.max(rows[i - 1].0).min(rows[i - 1].1);
            rows[i].1 = rows[i].1.max(rows[i].0);
        }
    }

    /// The rows where a path cell lies on an edge the band could have been wider at, and on which side
    /// (true: the high side).
    fn touches(&self, path: &[Step], m: usize) -> Vec<(usize, bool)> {
        path.iter()
            .filter_map(|s| {
                let (lo, hi) = self.rows[s.i];
                if lo > 0 && s.j <= lo + 1 {
                    Some((s.i, false))
                } else if hi < m && s.j + 1 >= hi {
                    Some((s.i, true))
                } else {
                    None
                }
            })
            .collect()
    }

    /// Widens the band by `extra` on the touched side, over `reach` rows either side of each touch.
    fn widen_near(&mut self, touches: &[(usize, bool)], extra: usize, reach: usize, m: usize) {
        let n = self.rows.len() - 1;
        for &(i, high) in touches {
            for row in &mut self.rows[i.saturating_sub(reach)..=(i + reach).min(n)] {
                if high {
                    row.1 = (row.1 + extra).min(m);
                } else {
                    row.0 = row.0.saturating_sub(extra);
                }
            }
        }
        self.connect(m);
    }

    fn is_full(&self, m: usize) -> bool {
        self.rows.iter().all(|&(lo, hi)| lo == 0 && hi == m)
    }

    pub(crate) fn cells(&self) -> usize {
        self.rows.iter().map(|(lo, hi)| hi - lo + 1).sum()
    }
}

/// One bead of the best path: Arabic sentences `i..i+a`, English `j..j+b`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Step {
    pub(crate) i: usize,
    pub(crate) a: usize,
    pub(crate) j: usize,
    pub(crate) b: usize,
    pub(crate) score: f64,
}

/// The cheapest path inside `band`. While the path runs along an edge of the band (the guess was off
/// there), the band is moved to follow the path, and widened if moving it twice did not help. With a
/// `confidence` model (the same sentences, its vectors possibly different), each bead is scored by how
/// much dearer, under that model, the best path is that does not take it.
pub(crate) fn best_path(model: &Model, mut band: Band, confidence: Option<&Model>) -> Vec<Step> {
    let (n, m) = (model.ar.len(), model.en.len());
    let width = band.rows.iter().map(|(lo, hi)| hi - lo).max().unwrap_or(0) / 2;
    let mut extra = width.max(8);
    loop {
        let steps = solve(model, &band, confidence);
        let touches = band.touches(&steps, m);
        if touches.is_empty() || band.is_full(m) {
            return steps;
        }
        // Follow the path, and open the band further where it was held back, more each time.
        let mut points = vec![(0, 0)];
        points.extend(steps.iter().map(|s| (s.i + s.a, s.j + s.b)));
        band = Band::around(&points, n, m, width);
        band.widen_near(&touches, extra, 4 * extra, m);
        extra *= 2;
    }
}

/// The cheapest way from the start to each band cell, and the shape of its last bead.
fn forward(
    model: &Model,
    band: &Band,
    offsets: &[usize],
    shapes: &[Shape; 8],
) -> (Vec<f64>, Vec<u8>) {
    let cells = band.cells();
    let mut cost = vec![f64::INFINITY; cells];
    let mut back = vec![u8::MAX; cells];
    let index = |i: usize, j: usize| -> Option<usize> {
        let (lo, hi) = band.rows[i];
        (lo..=hi).contains(&j).then(|| offsets[i] + j - lo)
    };
    cost[0] = 0.0;
    // The Arabic runs ending at row i, scattered by concept id: a bead's shared weight is then one look-up
    // per English concept instead of a merge of two lists.
    let mut dense = [(); 3].map(|_| vec![0f32; model.concepts]);
    for (i, &(lo, hi)) in band.rows.iter().enumerate() {
        for a in 1..=3.min(i) {
            for &(id, w) in model.ar_runs[a - 1].vector(i - a) {
                dense[a - 1][id as usize] = w;
            }
        }
        for j in lo..=hi {
            if i == 0 && j == 0 {
                continue;
            }
            let here = offsets[i] + j - lo;
            let mut best = f64::INFINITY;
            let mut best_shape = u8::MAX;
            for (k, &(a, b, prior)) in shapes.iter().enumerate() {
                if a > i || b > j {
                    continue;
                }
                let Some(from) = index(i - a, j - b) else {
                    continue;
                };
                let start = cost[from];
                if !start.is_finite() {
                    continue;
                }
                let scattered = &dense[a.max(1) - 1];
                let shape = (a, b, prior);
                let total = start + model.cost(i - a, j - b, shape, best - start, scattered);
                if total < best {
                    best = total;
                    best_shape = k as u8;
                }
            }
            cost[here] = best;
            back[here] = best_shape;
        }
        for a in 1..=3.min(i) {
            for &(id, _) in model.ar_runs[a - 1].vector(i - a) {
                dense[a - 1][id as usize] = 0.0;
            }
        }
    }
    (cost, back)
}

fn solve(model: &Model, band: &Band, confidence: Option<&Model>) -> Vec<Step> {
    let n = model.ar.len();
    let offsets: Vec<usize> = band
        .rows
        .iter()
        .scan(0, |acc, (lo, hi)| {
            let start = *acc;
            *acc += hi - lo + 1;
            Some(start)
        })
        .collect();
    let index = |i: usize, j: usize| -> Option<usize> {
        let (lo, hi) = band.rows[i];
        (lo..=hi).contains(&j).then(|| offsets[i] + j - lo)
    };
    let (_, back) = forward(model, band, &offsets, &SHAPES);
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, model.en.len());
    while i > 0 || j > 0 {
        let at = index(i, j).expect("the band is connected, so every cell of it is reached");
        let (a, b, _) = SHAPES[back[at] as usize];
        steps.push(Step {
            i: i - a,
            a,
            j: j - b,
            b,
            score: 0.0,
        });
        i -= a;
        j -= b;
    }
    steps.reverse();
    if let Some(judge) = confidence {
        // The path was chosen by `model`; how sure each bead is, `judge` says (see `best_path`).
        let model = judge;
        let (cost, _) = forward(model, band, &offsets, &SHAPES);
        let to_end = backward(model, band, &offsets, &SHAPES);
        let mut through: Vec<f64> = cost.iter().zip(&to_end).map(|(f, b)| f + b).collect();
        // Cells of the best path are not rivals of its beads: each bead's start, and the end.
        let corners = steps.iter().map(|s| (s.i, s.j));
        for (i, j) in corners.chain([(n, model.en.len())]) {
            if let Some(at) = index(i, j) {
                through[at] = f64::INFINITY;
            }
        }
        let margins = Margins::new(band, &offsets, &through, model.en.len());
        // The path's own cost as the judge counts it; a rival cheaper than that leaves a margin of 0.
        let best: f64 = steps.iter().map(|s| model.bead_cost(s)).sum();
        for s in &mut steps {
            let margin = margins.of_bead(s, best);
            // tanh(margin/2) = 2·σ(margin) − 1: how much likelier this bead is than the best path that
            // avoids it, on 0..1, when costs are −ln probabilities.
            s.score = (margin / 2.0).tanh();
        }
    }
    steps
}

/// The cost of the cheapest way from each band cell to the end: the backward half of the max-marginals.
fn backward(model: &Model, band: &Band, offsets: &[usize], shapes: &[Shape; 8]) -> Vec<f64> {
    let n = model.ar.len();
    let m = model.en.len();
    let index = |i: usize, j: usize| -> Option<usize> {
        let (lo, hi) = *band.rows.get(i)?;
        (lo..=hi).contains(&j).then(|| offsets[i] + j - lo)
    };
    let mut to_end = vec![f64::INFINITY; band.cells()];
    let last = index(n, m).expect("the band ends at the last cell");
    to_end[last] = 0.0;
    let mut dense = [(); 3].map(|_| vec![0f32; model.concepts]);
    for i in (0..=n).rev() {
        let (lo, hi) = band.rows[i];
        for a in 1..=3.min(n - i) {
            for &(id, w) in model.ar_runs[a - 1].vector(i) {
                dense[a - 1][id as usize] = w;
            }
        }
        for j in (lo..=hi).rev() {
            if i == n && j == m {
                continue;
            }
            let mut best = f64::INFINITY;
            for &(a, b, prior) in shapes {
                if i + a > n || j + b > m {
                    continue;
                }
                let Some(to) = index(i + a, j + b) else {
                    continue;
                };
                let rest = to_end[to];
                if !rest.is_finite() {
                    continue;
                }
                let scattered = &dense[a.max(1) - 1];
                let total = rest + model.cost(i, j, (a, b, prior), best - rest, scattered);
                best = best.min(total);
            }
            to_end[offsets[i] + j - lo] = best;
        }
        for a in 1..=3.min(n - i) {
            for &(id, _) in model.ar_runs[a - 1].vector(i) {
                dense[a - 1][id as usize] = 0.0;
            }
        }
    }
    to_end
}

/// For each row and each column of the band, the cheapest complete path through one of its cells that
/// are off the best path.
struct Margins {
    rows: Vec<f64>,
    cols: Vec<f64>,
}

impl Margins {
    fn new(band: &Band, offsets: &[usize], through: &[f64], m: usize) -> Margins {
        let mut rows = vec![f64::INFINITY; band.rows.len()];
        let mut cols = vec![f64::INFINITY; m + 1];
        for (i, &(lo, hi)) in band.rows.iter().enumerate() {
            for j in lo..=hi {
                let c = through[offsets[i] + j - lo];
                rows[i] = rows[i].min(c);
                cols[j] = cols[j].min(c);
            }
        }
        Margins { rows, cols }
    }

    /// How much dearer the best path is that does not take this bead: one that leaves either of its
    /// corners, or passes through a row or column the bead spans (a different split of its sentences).
    fn of_bead(&self, s: &Step, best: f64) -> f64 {
        let (i0, j0, i1, j1) = (s.i, s.j, s.i + s.a, s.j + s.b);
        let rows = self.rows[i0..=i1].iter();
        let rival = rows
            .chain(&self.cols[j0..=j1])
            .fold(f64::INFINITY, |a, &b| a.min(b));
        (rival - best).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neg_ln_erfc_matches_known_values() {
        assert!(neg_ln_erfc(0.0).abs() < 1e-7);
        assert!((neg_ln_erfc(1.0) + 0.157_299_207f64.ln()).abs() < 1e-6);
        // erfc(30) is about 2.6e-393, below f64: the cost stays finite and large.
        let far = neg_ln_erfc(30.0);
        assert!(far.is_finite() && far > 900.0);
    }

    #[test]
    fn band_widens_only_near_where_the_path_was_held_back() {
        let mut band = Band::around(&[(0, 0), (100, 100)], 100, 100, 5);
        band.widen_near(&[(50, true)], 20, 10, 100);
        assert_eq!(band.rows[50].1, 75);
        assert_eq!(band.rows[90].1, 95);
        assert_eq!(band.rows[50].0, 45);
    }

    #[test]
    fn band_is_connected_and_reaches_both_corners() {
        let band = Band::around(&[(0, 0), (50, 10), (100, 100)], 100, 100, 3);
        assert_eq!(band.rows[0].0, 0);
        assert_eq!(band.rows[100].1, 100);
        for w in band.rows.windows(2) {
            assert!(w[1].0 >= w[0].0 && w[1].0 <= w[0].1 && w[1].1 >= w[1].0);
        }
    }
}
