//! The transliteration model on the google-ar2en eval split: top-1 accuracy (case-insensitive),
//! character error rate, and names per second.
//!
//! `cargo bench --bench translit`. Trains on the train split and the Wikidata name tokens in
//! `../shared/data/translit/` (never on eval), writes the model to `target/bench-data/translit.model`,
//! then renders every eval name, [`PASSES`] times: names/s is the median pass (the first pass, caches
//! cold, is reported too), and every pass must give the same outputs. Says so and stops when
//! `../shared/data` is missing. With
//! `TM_PEERS_PYTHON` (a Python with arabic-name-romanizer, see benches/peers/README.md) the peer is run on
//! the same split in the same run.

mod common;

use std::time::Instant;

use tm::names::model::{training_examples, Model};

/// Passes over the eval split: one pass is 1,431 names, a few milliseconds, so a single pass on a busy
/// machine says little.
const PASSES: usize = 15;

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn main() {
    let dir = common::repo_root().join("../shared/data/translit");
    let Ok(examples) = training_examples(&dir) else {
        println!("translit: {} is missing; nothing measured", dir.display());
        return;
    };
    let started = Instant::now();
    let model = Model::train(&examples);
    println!(
        "trained on {} examples in {:.1} s",
        examples.len(),
        started.elapsed().as_secs_f64()
    );
    let out = common::repo_root().join("target/bench-data");
    std::fs::create_dir_all(&out).unwrap();
    let text = model.to_text(2.0);
    std::fs::write(out.join("translit.model"), &text).unwrap();
    println!(
        "model: {} KB (n-grams seen at least twice)",
        text.len() / 1024
    );
    let model = Model::from_text(&text);

    let eval = std::fs::read_to_string(dir.join("google-ar2en/ar2en-eval.txt")).unwrap();
    let pairs: Vec<(&str, &str)> = eval.lines().filter_map(|l| l.split_once('\t')).collect();
    let mut rates = Vec::with_capacity(PASSES);
    let mut outputs: Vec<Option<String>> = Vec::new();
    for pass in 0..PASSES {
        let started = Instant::now();
        let out: Vec<Option<String>> = pairs.iter().map(|(ar, _)| model.render(ar)).collect();
        rates.push(pairs.len() as f64 / started.elapsed().as_secs_f64());
        if pass == 0 {
            outputs = out;
        } else {
            assert!(out == outputs, "pass {pass} spelled differently");
        }
    }
    let first = rates[0];
    rates.sort_by(f64::total_cmp);
    let (mut right, mut errors, mut chars) = (0usize, 0usize, 0usize);
    for ((_, gold), out) in pairs.iter().zip(&outputs) {
        let gold: Vec<char> = gold.to_lowercase().chars().collect();
        let out: Vec<char> = out
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .chars()
            .collect();
        right += usize::from(gold == out);
        errors += edit_distance(&out, &gold);
        chars += gold.len();
    }
    println!(
        "google-ar2en eval: {} names, top-1 {:.3}, CER {:.3}, {:.0} names/s (median of {PASSES} passes; \
         first pass {:.0}, slowest {:.0}, fastest {:.0})",
        pairs.len(),
        right as f64 / pairs.len() as f64,
        errors as f64 / chars as f64,
        rates[PASSES / 2],
        first,
        rates[0],
        rates[PASSES - 1]
    );
    match std::env::var_os("TM_PEERS_PYTHON") {
        Some(python) => {
            let status = std::process::Command::new(python)
                .arg(common::repo_root().join("benches/peers/translit_peer.py"))
                .arg(dir.join("google-ar2en/ar2en-eval.txt"))
                .status();
            if !status.is_ok_and(|s| s.success()) {
                println!("peer: the arabic-name-romanizer run failed");
            }
        }
        None => println!("peer: skipped (set TM_PEERS_PYTHON; see benches/peers/README.md)"),
    }
}
