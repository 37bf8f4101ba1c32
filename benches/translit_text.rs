//! `tm translit`'s news rendering as a user meets it (issue 13): the shipped authority, its word
//! lexicon, the titles and the model together, through [`Transliterator::render`].
//!
//! `cargo bench --bench translit_text`. Two inputs, built from the repository alone:
//! - single names: the Arabic of `tests/fixtures/names/translit_unknown.tsv` and `translit_pieces.tsv`
//!   (582 names, most of them outside the authority);
//! - text of up to six words with names inside: the same names, two or three at a time, joined with the
//!   words news puts around names (و, قال, في, مدينة…), cut to six words.
//!
//! Each is rendered [`PASSES`] times; names/s (inputs/s) is the median pass, and every pass must give
//! the same outputs. Issue 13's targets: at least 100,000 single names/s, 50,000 six-word inputs/s.

mod common;

use std::time::Instant;

use tm::names::style::Style;
use tm::names::translit::{Scheme, Transliterator};
use tm::names::Authority;

const PASSES: usize = 15;

fn names() -> Vec<String> {
    let mut out = Vec::new();
    for fixture in ["translit_unknown.tsv", "translit_pieces.tsv"] {
        let path = common::repo_root()
            .join("tests/fixtures/names")
            .join(fixture);
        let text = std::fs::read_to_string(&path).expect("names fixture");
        out.extend(
            (text.lines().skip(1))
                .filter_map(|l| l.split('\t').next())
                .map(String::from),
        );
    }
    out
}

/// The names two or three at a time with the words around them, at most six words each.
fn texts(names: &[String]) -> Vec<String> {
    const AROUND: [&str; 8] = ["و", "قال", "في", "مدينة", "التقى", "مع", "بيان", "عن"];
    let mut out = Vec::new();
    let mut k = 0;
    while k + 3 <= names.len() {
        let take = 2 + k % 2;
        let mut words: Vec<&str> = Vec::new();
        for (j, name) in names[k..k + take].iter().enumerate() {
            words.push(AROUND[(k + j) % AROUND.len()]);
            words.extend(name.split_whitespace());
        }
        words.truncate(6);
        out.push(words.join(" "));
        k += take;
    }
    out
}

fn time(t: &Transliterator, inputs: &[String]) -> (f64, f64) {
    let mut first: Option<Vec<String>> = None;
    let mut rates = Vec::new();
    let mut cold = 0.0;
    for pass in 0..PASSES {
        let started = Instant::now();
        let outputs: Vec<String> = inputs
            .iter()
            .map(|i| t.render(i, Scheme::News).text)
            .collect();
        let rate = inputs.len() as f64 / started.elapsed().as_secs_f64();
        if pass == 0 {
            cold = rate;
        }
        rates.push(rate);
        match &first {
            None => first = Some(outputs),
            Some(f) => assert_eq!(f, &outputs, "every pass spells the same"),
        }
    }
    (common::median(rates), cold)
}

fn main() {
    let authority = Authority::shipped();
    let started = Instant::now();
    let t = Transliterator::new(&authority, Style::shipped());
    println!(
        "transliterator for {} names built in {:.1} ms",
        authority.names.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let names = names();
    let texts = texts(&names);
    let (single, single_cold) = time(&t, &names);
    let (text, text_cold) = time(&t, &texts);
    println!(
        "single names: {} inputs, {single:.0} names/s (median of {PASSES} passes; first pass {single_cold:.0})",
        names.len()
    );
    println!(
        "up to six words with names: {} inputs, {text:.0} inputs/s (median of {PASSES} passes; first pass {text_cold:.0})",
        texts.len()
    );
    println!("| single names | {single:.0}/s | six-word inputs | {text:.0}/s |");
}
