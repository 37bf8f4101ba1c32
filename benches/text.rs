//! The text layer on real news (issue 19): folding, and the one word rule through both of its entry
//! points. Every unit imported and every query goes through [`tokenize`]; the aligner and the name
//! spotter read whole documents through [`normalize`] and [`words`].
//!
//! `cargo bench --bench text`. The text is 10,000 sentence pairs generated from the NTREX-128 word
//! statistics (`benches/common`; the words of `tm/sample.tmx` without `../shared`, and it says so).
//! Each step runs [`PASSES`] times over all of it; the figure is the median pass, in MB of input per
//! second, and every pass must give the same count of words.

mod common;

use std::hint::black_box;
use std::time::Instant;

use tm::text::{fold_english, normalize, tokenize, words};

const PASSES: usize = 15;
const PAIRS: usize = 10_000;

fn main() {
    let corpus = common::Corpus::load();
    let mut rng = common::Rng::new(19);
    let (arabic, english): (Vec<String>, Vec<String>) =
        (0..PAIRS).map(|_| corpus.pair(&mut rng)).unzip();
    let ar_bytes: usize = arabic.iter().map(String::len).sum();
    let en_bytes: usize = english.iter().map(String::len).sum();
    let ar_folded: Vec<String> = arabic.iter().map(|s| normalize(s)).collect();
    let en_folded: Vec<String> = english.iter().map(|s| fold_english(s)).collect();
    println!(
        "text layer: {PAIRS} pairs from {}; Arabic {:.1} MB, English {:.1} MB; median of {PASSES} passes",
        corpus.source,
        ar_bytes as f64 / 1e6,
        en_bytes as f64 / 1e6
    );
    step("normalize (Arabic)", ar_bytes, || {
        arabic.iter().map(|s| normalize(s).len()).sum()
    });
    step("fold_english (English)", en_bytes, || {
        english.iter().map(|s| fold_english(s).len()).sum()
    });
    step("words (folded Arabic)", ar_bytes, || {
        ar_folded.iter().map(|s| words(s).count()).sum()
    });
    step("words (folded English)", en_bytes, || {
        en_folded.iter().map(|s| words(s).count()).sum()
    });
    step("tokenize (Arabic)", ar_bytes, || {
        arabic.iter().map(|s| tokenize(s).len()).sum()
    });
}

/// Runs `pass` [`PASSES`] times and prints the median speed over `bytes` of input.
fn step(name: &str, bytes: usize, mut pass: impl FnMut() -> usize) {
    let expected = black_box(pass());
    let mut seconds = Vec::with_capacity(PASSES);
    for _ in 0..PASSES {
        let start = Instant::now();
        let got = black_box(pass());
        seconds.push(start.elapsed().as_secs_f64());
        assert_eq!(got, expected, "{name}: passes disagree");
    }
    let median = common::median(seconds);
    println!(
        "{name:>24}: {:7.1} MB/s  ({:.1} ms a pass)",
        bytes as f64 / 1e6 / median,
        median * 1e3
    );
}
