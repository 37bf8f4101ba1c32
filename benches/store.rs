//! Import and export of a large TMX through the real `tm` binary: units per second and peak memory.
//!
//! `cargo bench --bench store` (1,000,000 units; `TM_BENCH_UNITS=N` for another size, `TM_BENCH_RUNS`
//! for another number of runs). The TMX is generated on first use under `target/bench-data/`.
//!
//! `TM_BENCH_DB=memory.db` times only the export and the name check of that existing memory, one after
//! the other in each run (issue 14: the check no slower than the export), and imports nothing.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::{env_usize, generate_tmx, measure, measure_exiting, median, repo_root, Corpus};

fn main() {
    let units = env_usize("TM_BENCH_UNITS", 1_000_000);
    let runs = env_usize("TM_BENCH_RUNS", 3);
    let tm = env!("CARGO_BIN_EXE_tm");
    if let Ok(db) = std::env::var("TM_BENCH_DB") {
        check_and_export(tm, Path::new(&db), runs);
        return;
    }
    let data = repo_root().join("target/bench-data");
    std::fs::create_dir_all(&data).unwrap();
    let corpus = Corpus::load();
    let tmx = data.join(format!("units-{units}.tmx"));
    let started = Instant::now();
    generate_tmx(&tmx, units, &corpus).unwrap();
    let size = std::fs::metadata(&tmx).unwrap().len() as f64 / 1e6;
    println!(
        "data: {units} units, {size:.0} MB TMX from {} (generated or reused in {:.1} s)",
        corpus.source,
        started.elapsed().as_secs_f64()
    );

    let work = tempfile::tempdir_in(&data).unwrap();
    let (mut import_s, mut import_mb, mut export_s, mut export_mb) =
        (vec![], vec![], vec![], vec![]);
    let (mut add_s, mut quick_s, mut doctor_s) = (vec![], vec![], vec![]);
    let (mut check_s, mut check_mb) = (vec![], vec![]);
    let (mut translit_s, mut bare_s) = (vec![], vec![]);
    let names = data.join("names.txt");
    let name_count = write_names(&names);
    for run in 0..runs {
        let db = work.path().join(format!("run{run}.db"));
        let (s, mb) = measure(
            Command::new(tm)
                .arg("--db")
                .arg(&db)
                .arg("import")
                .arg(&tmx)
                .arg("--json")
                .stdout(std::process::Stdio::null()),
        );
        println!(
            "import run {run}: {s:.2} s, {:.0} units/s, peak {mb:.0} MiB",
            units as f64 / s
        );
        import_s.push(s);
        import_mb.push(mb);
        let out = work.path().join(format!("run{run}.tmx"));
        let (s, mb) = measure(
            Command::new(tm)
                .arg("--db")
                .arg(&db)
                .arg("export")
                .arg(&out)
                .stdout(std::process::Stdio::null()),
        );
        println!(
            "export run {run}: {s:.2} s, {:.0} units/s, peak {mb:.0} MiB",
            units as f64 / s
        );
        export_s.push(s);
        export_mb.push(mb);
        // One unit added: what every write pays to open the memory, its quick check included.
        let (s, _) = measure(
            Command::new(tm)
                .arg("--db")
                .arg(&db)
                .args([
                    "add",
                    "--source",
                    "وصل الوفد إلى بغداد",
                    "--target",
                    "The delegation reached Baghdad",
                ])
                .stdout(std::process::Stdio::null()),
        );
        println!("add one unit run {run}: {s:.3} s");
        add_s.push(s);
        // The quick check alone, in this process: what `add` would cost without it is the difference.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let started = Instant::now();
        let said: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .unwrap();
        let s = started.elapsed().as_secs_f64();
        assert_eq!(said, "ok");
        drop(conn);
        println!("quick check alone run {run}: {s:.3} s");
        quick_s.push(s);
        let (s, _) = measure(
            Command::new(tm)
                .arg("--db")
                .arg(&db)
                .arg("doctor")
                .stdout(std::process::Stdio::null()),
        );
        println!("doctor run {run}: {s:.2} s");
        doctor_s.push(s);
        // The name check over the whole memory (issue 14: no slower than an export).
        let (s, mb) = measure_exiting(
            Command::new(tm)
                .arg("--db")
                .arg(&db)
                .args(["check", "--json"])
                .stdout(std::process::Stdio::null()),
            &[0, 1],
        );
        println!("check run {run}: {s:.2} s, peak {mb:.0} MiB");
        check_s.push(s);
        check_mb.push(mb);
        // Names spelled with the memory's own spellings (issue 13), and with no memory: every name of
        // the evaluation fixtures, one process.
        for (with, db) in [(true, db.clone()), (false, work.path().join("none.db"))] {
            let (s, mb) = measure(
                Command::new(tm)
                    .arg("--db")
                    .arg(&db)
                    .args(["translit", "-"])
                    .stdin(std::fs::File::open(&names).unwrap())
                    .stdout(std::process::Stdio::null()),
            );
            let what = if with {
                "with this memory"
            } else {
                "no memory"
            };
            println!(
                "translit of {name_count} names, {what}, run {run}: {s:.3} s, {:.0} names/s, peak {mb:.0} MiB",
                name_count as f64 / s
            );
            if with {
                translit_s.push(s)
            } else {
                bare_s.push(s)
            }
        }
        let db_mb = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        if run == 0 {
            println!("memory file: {db_mb:.0} MB");
        }
        let _ = std::fs::remove_file(&db);
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_file(Path::new(&format!("{}-wal", db.display())));
    }
    let (mi, me) = (median(import_s), median(export_s));
    let peak = |v: Vec<f64>| v.into_iter().fold(0.0, f64::max);
    println!(
        "| import | {units} | {mi:.2} s | {:.0} units/s | {:.0} MiB |",
        units as f64 / mi,
        peak(import_mb)
    );
    println!(
        "| export | {units} | {me:.2} s | {:.0} units/s | {:.0} MiB |",
        units as f64 / me,
        peak(export_mb)
    );
    println!(
        "| add one unit (quick check on open) | {units} | {:.3} s |",
        median(add_s)
    );
    println!(
        "| of which the quick check | {units} | {:.3} s |",
        median(quick_s)
    );
    println!(
        "| doctor (integrity check) | {units} | {:.2} s |",
        median(doctor_s)
    );
    println!(
        "| check (names) | {units} | {:.2} s | {:.0} MiB |",
        median(check_s),
        check_mb.into_iter().fold(0.0, f64::max)
    );
    let (t, b) = (median(translit_s), median(bare_s));
    println!(
        "| translit of {name_count} names, with this memory / none | {units} | {t:.3} s ({:.0} names/s) | {b:.3} s ({:.0} names/s) |",
        name_count as f64 / t,
        name_count as f64 / b
    );
}

/// Exports an existing memory and checks it, in turn, `runs` times: the medians, the peaks, the ratio.
fn check_and_export(tm: &str, db: &Path, runs: usize) {
    // Written beside the memory, as the full benchmark writes its export beside its memory.
    let dir = tempfile::tempdir_in(db.parent().unwrap_or(Path::new("."))).unwrap();
    let out = dir.path().join("export.tmx");
    let (mut export_s, mut export_mb, mut check_s, mut check_mb) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let (s, mb) = measure(
            Command::new(tm)
                .arg("--db")
                .arg(db)
                .arg("export")
                .arg(&out)
                .stdout(std::process::Stdio::null()),
        );
        let _ = std::fs::remove_file(&out);
        println!("export run {run}: {s:.2} s, peak {mb:.0} MiB");
        export_s.push(s);
        export_mb.push(mb);
        let (s, mb) = measure_exiting(
            Command::new(tm)
                .arg("--db")
                .arg(db)
                .args(["check", "--json"])
                .stdout(std::process::Stdio::null()),
            &[0, 1],
        );
        println!("check run {run}: {s:.2} s, peak {mb:.0} MiB");
        check_s.push(s);
        check_mb.push(mb);
    }
    let peak = |v: Vec<f64>| v.into_iter().fold(0.0, f64::max);
    let (e, c) = (median(export_s), median(check_s));
    println!(
        "| {} | export {e:.2} s, peak {:.0} MiB | check {c:.2} s, peak {:.0} MiB | check / export {:.2} |",
        db.display(),
        peak(export_mb),
        peak(check_mb),
        c / e
    );
}

/// Writes the Arabic of the names evaluation fixtures, one a line; returns how many.
fn write_names(path: &Path) -> usize {
    let mut lines = Vec::new();
    for fixture in ["translit_unknown.tsv", "translit_pieces.tsv"] {
        let text = std::fs::read_to_string(repo_root().join("tests/fixtures/names").join(fixture))
            .expect("names fixture");
        lines.extend(
            text.lines()
                .skip(1)
                .filter_map(|l| l.split('\t').next())
                .map(String::from),
        );
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    lines.len()
}
