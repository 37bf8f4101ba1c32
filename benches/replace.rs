//! `tm replace` and `tm edit` on a large memory, through the real `tm` binary (issue 17: "the house fixes
//! Hezbollah → Hizbullah across 40,000 units in one command").
//!
//! `cargo bench --bench replace` (1,000,000 units; `TM_BENCH_UNITS=N`, `TM_BENCH_RUNS`). The memory is
//! imported once from the TMX the store bench generates and copied for each run.

mod common;

use std::process::{Command, Stdio};

use common::{env_usize, generate_tmx, measure, median, repo_root, Corpus};

fn main() {
    let units = env_usize("TM_BENCH_UNITS", 1_000_000);
    let runs = env_usize("TM_BENCH_RUNS", 3);
    let tm = env!("CARGO_BIN_EXE_tm");
    let data = repo_root().join("target/bench-data");
    std::fs::create_dir_all(&data).unwrap();
    let corpus = Corpus::load();
    let tmx = data.join(format!("units-{units}.tmx"));
    generate_tmx(&tmx, units, &corpus).unwrap();
    let work = tempfile::tempdir_in(&data).unwrap();
    let base = work.path().join("base.db");
    let (s, _) = measure(
        Command::new(tm)
            .arg("--db")
            .arg(&base)
            .arg("import")
            .arg(&tmx)
            .stdout(Stdio::null()),
    );
    println!(
        "data: {units} units from {}, imported in {s:.1} s",
        corpus.source
    );
    // Words in about 5 % (English) and 4 % (Arabic) of the generated units: replaced as whole words,
    // some 40,000 to 50,000 units of a million change, as in the house spelling fix.
    let cases = [("target", "people", "persons"), ("source", "قال", "صرح")];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len() * 2];
    let mut counts = vec![String::new(); cases.len()];
    for run in 0..runs {
        for (k, (side, old, new)) in cases.iter().enumerate() {
            let db = work.path().join(format!("run{run}-{k}.db"));
            std::fs::copy(&base, &db).unwrap();
            let args = |dry: bool| {
                let mut a = vec![
                    "replace".to_string(),
                    old.to_string(),
                    new.to_string(),
                    format!("--{side}"),
                    "--word".into(),
                    "--json".into(),
                ];
                if dry {
                    a.push("--dry-run".into());
                }
                a
            };
            let (dry, _) = measure(
                Command::new(tm)
                    .arg("--db")
                    .arg(&db)
                    .args(args(true))
                    .stdout(Stdio::null()),
            );
            let out = Command::new(tm)
                .arg("--db")
                .arg(&db)
                .args(args(false))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            counts[k] = format!("{} units", report["units"]);
            // The real run, timed on a fresh copy (the first one above gave the count).
            std::fs::copy(&base, &db).unwrap();
            let (real, peak) = measure(
                Command::new(tm)
                    .arg("--db")
                    .arg(&db)
                    .args(args(false))
                    .stdout(Stdio::null()),
            );
            println!(
                "replace {side} {old} → {new} run {run}: dry run {dry:.2} s, replace {real:.2} s, peak {peak:.0} MiB ({})",
                counts[k]
            );
            times[2 * k].push(dry);
            times[2 * k + 1].push(real);
            let _ = std::fs::remove_file(&db);
        }
    }
    for (k, (side, old, new)) in cases.iter().enumerate() {
        println!(
            "| replace --{side} --word {old} → {new} | {units} | {} | dry run {:.2} s | replace {:.2} s |",
            counts[k],
            median(times[2 * k].clone()),
            median(times[2 * k + 1].clone())
        );
    }
}
