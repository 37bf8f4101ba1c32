//! Sentence alignment: Arabic lines per second, peak memory on one long document, and strict F1 against
//! the gold beads of the document the benchmark makes.
//!
//! `cargo bench --bench align` (a 50,000-line document; `TM_BENCH_LINES=N` for another size,
//! `TM_BENCH_RUNS` for the number of timed runs). Then an archive of short documents (200 of 15
//! Arabic lines, the size of an NTREX-128 article): the library in process, `tm align --batch` on all
//! of them, and one `tm align` process per document, where start-up counts. The document is built from real pairs: NTREX-128
//! from `../shared/data/parallel/ntrex` and TICO-19 from `tests/fixtures/tico19` (CC0, in the
//! repository), repeated in order until long enough, with sentences merged (6% on each side, 1% three
//! at a time) and dropped (2% on each side) as make_eval.py does, so the right beads are known. Without
//! `../shared`, TICO-19 alone is used and the benchmark says so. The comparison with hunalign on the
//! evaluation sets is `benches/peers/align_peers.py`.

mod common;

use std::collections::HashSet;
use std::process::Command;
use std::time::Instant;

use common::{env_usize, measure, median, repo_root, Rng};
use tm::formats::{open_units, Format, ReadOptions};

/// Real Arabic–English sentence pairs, in document order.
fn pairs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let ntrex = repo_root().join("../shared/data/parallel/ntrex");
    match (
        std::fs::read_to_string(ntrex.join("newstest2019-ref.arb.txt")),
        std::fs::read_to_string(ntrex.join("newstest2019-src.eng.txt")),
    ) {
        (Ok(ar), Ok(en)) => out.extend(
            ar.lines()
                .zip(en.lines())
                .map(|(a, e)| (a.to_string(), e.to_string())),
        ),
        _ => eprintln!(
            "note: {} is missing; TICO-19 alone (figures not comparable with BENCHMARKS.md)",
            ntrex.display()
        ),
    }
    let tico = repo_root().join("tests/fixtures/tico19/all.en-ar.tmx");
    let units =
        open_units(&tico, Format::Tmx, &ReadOptions::new("ar", "en")).expect("TICO-19 fixture");
    out.extend(
        units
            .map(|u| u.expect("TICO-19 unit"))
            .map(|u| (u.source.text, u.target.text)),
    );
    out.retain(|(a, e)| !a.trim().is_empty() && !e.trim().is_empty());
    out
}

/// A document of about `lines` Arabic lines with its gold beads.
fn document(
    pairs: &[(String, String)],
    lines: usize,
    rng: &mut Rng,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut ar, mut en, mut gold) = (Vec::new(), Vec::new(), Vec::new());
    let mut k = 0;
    let pair = |k: usize| &pairs[k % pairs.len()];
    let side = |r: std::ops::Range<usize>| r.map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    while ar.len() < lines {
        let (ia, ie) = (ar.len(), en.len());
        let roll = rng.below(1000);
        let take = match roll {
            0..=59 => 2,   // Arabic merged: 1-2
            60..=119 => 2, // English merged: 2-1
            120..=129 => 3,
            _ => 1,
        };
        let group: Vec<&(String, String)> = (k..k + take).map(pair).collect();
        k += take;
        match roll {
            0..=59 | 120..=124 => {
                ar.push(
                    group
                        .iter()
                        .map(|p| p.0.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
                en.extend(group.iter().map(|p| p.1.clone()));
            }
            60..=119 | 125..=129 => {
                ar.extend(group.iter().map(|p| p.0.clone()));
                en.push(
                    group
                        .iter()
                        .map(|p| p.1.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
            130..=149 => ar.push(group[0].0.clone()),
            150..=169 => en.push(group[0].1.clone()),
            _ => {
                ar.push(group[0].0.clone());
                en.push(group[0].1.clone());
            }
        }
        gold.push(format!("{}:{}", side(ia..ar.len()), side(ie..en.len())));
    }
    (ar, en, gold)
}

fn strict_f1(gold: &[String], predicted: &[String]) -> (f64, f64, f64) {
    let gold_set: HashSet<&String> = gold.iter().collect();
    let hits = predicted.iter().filter(|b| gold_set.contains(b)).count() as f64;
    let (p, r) = (hits / predicted.len() as f64, hits / gold.len() as f64);
    (p, r, 2.0 * p * r / (p + r))
}

fn main() {
    let lines = env_usize("TM_BENCH_LINES", 50_000);
    let runs = env_usize("TM_BENCH_RUNS", 5);
    let pairs = pairs();
    let mut rng = Rng::new(13);
    let (ar, en, gold) = document(&pairs, lines, &mut rng);
    println!(
        "data: one document of {} Arabic and {} English lines from {} real pairs",
        ar.len(),
        en.len(),
        pairs.len()
    );

    // The library, in process: the hot path without process start or file reading.
    let tenth = ar.len().min(10_000);
    let (sub_ar, sub_en, sub_gold) = document(&pairs, tenth, &mut Rng::new(13));
    let mut times = Vec::new();
    for run in 0..runs {
        let started = Instant::now();
        let beads = tm::align::align(&sub_ar, &sub_en);
        let s = started.elapsed().as_secs_f64();
        times.push(s);
        if run == 0 {
            let side =
                |r: std::ops::Range<usize>| r.map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let predicted: Vec<String> = beads
                .iter()
                .map(|b| format!("{}:{}", side(b.ar.clone()), side(b.en.clone())))
                .collect();
            let (p, r, f) = strict_f1(&sub_gold, &predicted);
            println!(
                "library, {} lines: strict P {p:.4} R {r:.4} F1 {f:.4}",
                sub_ar.len()
            );
        }
        println!(
            "library run {run}: {s:.3} s, {:.0} Arabic lines/s",
            sub_ar.len() as f64 / s
        );
    }
    let m = median(times);
    println!(
        "library median: {m:.3} s, {:.0} Arabic lines/s ({} lines)",
        sub_ar.len() as f64 / m,
        sub_ar.len()
    );

    short_documents(&pairs, runs);

    // The binary on the whole document, as a user runs it: time, peak memory, F1.
    let dir = tempfile::tempdir().unwrap();
    let (ar_path, en_path, out) = (
        dir.path().join("ar.txt"),
        dir.path().join("en.txt"),
        dir.path().join("beads.txt"),
    );
    std::fs::write(&ar_path, ar.join("\n") + "\n").unwrap();
    std::fs::write(&en_path, en.join("\n") + "\n").unwrap();
    let tm = env!("CARGO_BIN_EXE_tm");
    let (s, mb) = measure(
        Command::new(tm)
            .env("TM_DB", dir.path().join("no-memory.db"))
            .args(["align", "--segmented", "--format", "beads", "-o"])
            .arg(&out)
            .arg(&ar_path)
            .arg(&en_path)
            .stderr(std::process::Stdio::null()),
    );
    let predicted: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let (p, r, f) = strict_f1(&gold, &predicted);
    println!(
        "binary, one document of {} lines: {s:.2} s, {:.0} Arabic lines/s, peak {mb:.0} MiB, strict P {p:.4} R {r:.4} F1 {f:.4}",
        ar.len(),
        ar.len() as f64 / s
    );
}

/// An archive of short documents: what a translator's folder of articles looks like.
fn short_documents(pairs: &[(String, String)], runs: usize) {
    const DOCUMENTS: usize = 200;
    const LINES: usize = 15;
    let mut rng = Rng::new(7);
    let docs: Vec<(Vec<String>, Vec<String>)> = (0..DOCUMENTS)
        .map(|k| {
            let (ar, en, _) = document(&pairs[(k * 37) % pairs.len()..], LINES, &mut rng);
            (ar, en)
        })
        .collect();
    let lines: usize = docs.iter().map(|d| d.0.len()).sum();
    let authority = tm::names::Authority::shipped();
    let spotter = tm::names::Spotter::new(&authority);
    let options = tm::align::Options {
        authority: Some(&authority),
        spotter: Some(&spotter),
        without_scores: true,
        ..Default::default()
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        for (ar, en) in &docs {
            let (ar, en) = (std::slice::from_ref(ar), std::slice::from_ref(en));
            std::hint::black_box(tm::align::align_paragraphs(ar, en, options));
        }
        times.push(started.elapsed().as_secs_f64());
    }
    let report = |what: &str, s: f64| {
        println!(
            "{what}: {:.1} ms, {:.0} µs a document, {:.0} Arabic lines/s",
            s * 1e3,
            s * 1e6 / DOCUMENTS as f64,
            lines as f64 / s
        )
    };
    report(
        &format!("library, {DOCUMENTS} documents of {LINES} lines, median"),
        median(times),
    );

    let dir = tempfile::tempdir().unwrap();
    let mut list = String::new();
    for (k, (ar, en)) in docs.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{k}.ar")), ar.join("\n") + "\n").unwrap();
        std::fs::write(dir.path().join(format!("{k}.en")), en.join("\n") + "\n").unwrap();
        list.push_str(&format!("{k}.ar\t{k}.en\t{k}.beads\n"));
    }
    let list_path = dir.path().join("list.tsv");
    std::fs::write(&list_path, list).unwrap();
    let tm = env!("CARGO_BIN_EXE_tm");
    // A user's own memory would teach the aligner and change the figures.
    let no_memory = dir.path().join("no-memory.db");
    let times: Vec<f64> = (0..runs)
        .map(|_| {
            let mut cmd = Command::new(tm);
            cmd.env("TM_DB", &no_memory);
            // One job: the figure stays comparable with earlier runs and with the in-process line.
            cmd.args([
                "align",
                "--segmented",
                "--format",
                "beads",
                "--jobs",
                "1",
                "--batch",
            ])
            .arg(&list_path)
            .stderr(std::process::Stdio::null());
            measure(&mut cmd).0
        })
        .collect();
    report(
        &format!("binary, --batch of the {DOCUMENTS} documents, median"),
        median(times),
    );
    let started = Instant::now();
    for k in 0..DOCUMENTS {
        let mut cmd = Command::new(tm);
        cmd.env("TM_DB", &no_memory);
        cmd.args(["align", "--segmented", "--format", "beads", "-o"])
            .arg(dir.path().join(format!("{k}.beads")))
            .arg(dir.path().join(format!("{k}.ar")))
            .arg(dir.path().join(format!("{k}.en")))
            .stderr(std::process::Stdio::null());
        measure(&mut cmd);
    }
    report(
        "binary, one process a document",
        started.elapsed().as_secs_f64(),
    );
}
