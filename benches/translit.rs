//! The transliteration model on the google-ar2en eval split: top-1 accuracy (case-insensitive),
//! character error rate, and names per second; the same through the news scheme's house style.
//!
//! `cargo bench --bench translit`. Trains on the train split and the Wikidata name tokens in
//! `../shared/data/translit/` (never on eval), writes the model to `target/bench-data/translit.model`,
//! then renders every eval name, [`PASSES`] times: names/s is the median pass (the first pass, caches
//! cold, is reported too), and every pass must give the same outputs. Says so and stops when
//! `../shared/data` is missing. With
//! `TM_PEERS_PYTHON` (a Python with arabic-name-romanizer, see benches/peers/README.md) the peer is run on
//! the same split in the same run.
//!
//! Then the names the authority lacks: `tests/fixtures/names/translit_unknown.tsv` (or the file
//! `TM_UNKNOWN_SET` names; columns `arabic, house, accepted, category`, accepted spellings separated by
//! ` | `), if present: the share spelled in the house form or an accepted one (case-insensitive) and the
//! character error rate against the house form, for the model just trained (no authority) and for the
//! shipped tool (`tm/translit.model` with the shipped authority), both in the shipped house style, with
//! compounds of الله joined as the news scheme joins them. For the shipped tool it also gives the figures
//! on the rows the shipped authority does not spell whole, as one entry or one word of an entry (its
//! gazetteer covers most of the set's places): what the model does there, helped by the words of
//! names. The same for
//! `tests/fixtures/names/translit_places.tsv`, places that neither the authority nor its gazetteer
//! holds. `TM_SHOW_MISSES=1` lists the misses.

mod common;

use std::time::Instant;

use tm::internals::{allah_compounds, learned_text};
use tm::names::model::{persian_spellings, training_examples, Model};
use tm::names::style::Style;
use tm::names::translit::{Scheme, Transliterator};
use tm::names::Authority;

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
    let persian = persian_spellings(&dir).unwrap();
    let model = Model::train_with(&examples, &persian);
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
    // The same split through the news scheme (the house style on the model's spelling: a i u, ay, J F Q
    // ...), letters only: what the house style costs on a table of mostly foreign names.
    let style = Style::shipped();
    let (mut right, mut errors, mut chars) = (0usize, 0usize, 0usize);
    for (ar, gold) in &pairs {
        let letters = |s: &str| -> Vec<char> {
            s.chars()
                .filter(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let gold = letters(gold);
        let out = letters(&learned_text(&model, ar, &style));
        right += usize::from(gold == out);
        errors += edit_distance(&out, &gold);
        chars += gold.len();
    }
    println!(
        "google-ar2en eval in the news scheme (house style, letters compared): top-1 {:.3}, CER {:.3}",
        right as f64 / pairs.len() as f64,
        errors as f64 / chars as f64
    );
    unknown_names(&model);
    places(&model);
    // Another model file on the same set (`TM_COMPARE_MODEL=tm/translit.model`: the shipped one).
    if let Some(other) = std::env::var_os("TM_COMPARE_MODEL") {
        let text = std::fs::read_to_string(&other).unwrap();
        println!("compared model: {}", std::path::Path::new(&other).display());
        unknown_names(&Model::from_text(&text));
    }
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

/// The unknown-names set: house-or-accepted share and CER against the house form, for the model just
/// trained and for the shipped tool.
fn unknown_names(model: &Model) {
    let path = std::env::var_os("TM_UNKNOWN_SET").map_or_else(
        || common::repo_root().join("tests/fixtures/names/translit_unknown.tsv"),
        std::path::PathBuf::from,
    );
    name_set(model, &path);
}

/// The places no authority entry holds, as [`unknown_names`].
fn places(model: &Model) {
    name_set(
        model,
        &common::repo_root().join("tests/fixtures/names/translit_places.tsv"),
    );
}

/// One set of names (`arabic, house, accepted, category`), as [`unknown_names`] says.
fn name_set(model: &Model, path: &std::path::Path) {
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("unknown names: {} is missing; skipped", path.display());
        return;
    };
    // (arabic, house, accepted, category), the header skipped.
    let rows: Vec<(&str, &str, Vec<&str>, &str)> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let accepted = c
                .get(2)
                .map(|a| {
                    a.split(" | ")
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            Some((
                *c.first()?,
                *c.get(1)?,
                accepted,
                c.get(3).copied().unwrap_or(""),
            ))
        })
        .collect();
    let style = Style::shipped();
    let authority = Authority::shipped();
    let tool = Transliterator::new(&authority, style.clone());
    let show = std::env::var_os("TM_SHOW_MISSES").is_some();
    // Each render says whether the authority held the whole input as one name.
    type Render<'r> = Box<dyn Fn(&str) -> (String, bool) + 'r>;
    for (who, render) in [
        (
            "model just trained, no authority",
            Box::new(|ar: &str| (learned_text(model, ar, &style), false)) as Render,
        ),
        (
            "shipped tool (tm/translit.model, shipped authority)",
            Box::new(|ar: &str| {
                let words: Vec<&str> = ar.split_whitespace().collect();
                let joined = allah_compounds(&words).join(" ");
                let out = tool.render(&joined, Scheme::News);
                (out.text, out.from_authority)
            }),
        ),
    ] {
        // (right, char errors, chars, names) over all rows and over the rows the authority lacks.
        let (mut all, mut lacked) = ([0usize; 4], [0usize; 4]);
        let mut by_category: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for (ar, house, accepted, category) in &rows {
            let (out, held) = render(ar);
            let is = |x: &str| x.trim().eq_ignore_ascii_case(out.trim());
            let ok = is(house) || accepted.iter().any(|a| is(a));
            let entry = by_category.entry(category).or_default();
            entry.0 += usize::from(ok);
            entry.1 += 1;
            let o: Vec<char> = out.to_lowercase().chars().collect();
            let h: Vec<char> = house.to_lowercase().chars().collect();
            let counts = [usize::from(ok), edit_distance(&o, &h), h.len(), 1];
            for tally in std::iter::once(&mut all).chain((!held).then_some(&mut lacked)) {
                for (t, c) in tally.iter_mut().zip(counts) {
                    *t += c;
                }
            }
            if show && !ok {
                println!("  miss [{category}] {ar}: {out} (house {house})");
            }
        }
        let categories: Vec<String> = by_category
            .iter()
            .map(|(c, (g, n))| format!("{c} {g}/{n}"))
            .collect();
        let share = |t: [usize; 4]| {
            format!(
                "{} names, house or accepted {:.3}, CER {:.3}",
                t[3],
                t[0] as f64 / t[3].max(1) as f64,
                t[1] as f64 / t[2].max(1) as f64
            )
        };
        println!(
            "{}, {who}: {} ({}); the names the authority does not spell whole: {}",
            path.display(),
            share(all),
            categories.join(", "),
            share(lacked)
        );
    }
}
