//! Importing bilingual XLIFF against importing the same units as TMX, through the real `tm` binary:
//! seconds and peak memory, side by side in one run (issue 17 asks for XLIFF at least as fast, and peak
//! memory within 20 % of the TMX import).
//!
//! `cargo bench --bench xliff` (1,000,000 units; `TM_BENCH_UNITS=N` for another size, `TM_BENCH_RUNS`
//! for another number of runs). Both files are generated on first use under `target/bench-data/`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{env_usize, generate_tmx, generate_xliff, measure, median, repo_root, Corpus};

fn main() {
    let units = env_usize("TM_BENCH_UNITS", 1_000_000);
    let runs = env_usize("TM_BENCH_RUNS", 3);
    let tm = env!("CARGO_BIN_EXE_tm");
    let data = repo_root().join("target/bench-data");
    std::fs::create_dir_all(&data).unwrap();
    let corpus = Corpus::load();
    let tmx = data.join(format!("units-{units}.tmx"));
    let xliff = data.join(format!("units-{units}.xlf"));
    generate_tmx(&tmx, units, &corpus).unwrap();
    generate_xliff(&xliff, units, &corpus).unwrap();
    let mb = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1e6;
    println!(
        "data: {units} units from {}: TMX {:.0} MB, XLIFF {:.0} MB",
        corpus.source,
        mb(&tmx),
        mb(&xliff)
    );
    let work = tempfile::tempdir_in(&data).unwrap();
    let mut times = [vec![], vec![]];
    let mut peaks = [vec![], vec![]];
    for run in 0..runs {
        // Alternating, so that a busy moment of the machine falls on both.
        for (k, (name, file)) in [("tmx", &tmx), ("xliff", &xliff)].into_iter().enumerate() {
            let db = work.path().join(format!("{name}-{run}.db"));
            let (s, peak) = measure(
                Command::new(tm)
                    .arg("--db")
                    .arg(&db)
                    .arg("import")
                    .arg(file)
                    .stdout(std::process::Stdio::null()),
            );
            println!(
                "import {name} run {run}: {s:.2} s, {:.0} units/s, peak {peak:.0} MiB",
                units as f64 / s
            );
            times[k].push(s);
            peaks[k].push(peak);
            let _ = std::fs::remove_file(&db);
        }
    }
    let peak = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    let (t, x) = (median(times[0].clone()), median(times[1].clone()));
    println!(
        "| import TMX | {units} | {t:.2} s | {:.0} MiB |",
        peak(&peaks[0])
    );
    println!(
        "| import XLIFF 1.2 | {units} | {x:.2} s | {:.0} MiB |",
        peak(&peaks[1])
    );
    println!(
        "| XLIFF / TMX | | {:.2}× | {:.2}× |",
        x / t,
        peak(&peaks[1]) / peak(&peaks[0])
    );
}
