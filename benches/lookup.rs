//! Fuzzy lookup in a large memory: latency, recall against an exhaustive scan, index build and size, and
//! the same queries through the peers (rapidfuzz, translate-toolkit) when their Python is available.
//!
//! `cargo bench --bench lookup` (1,000,000 units; `TM_BENCH_UNITS=N` for another size). The memory is the
//! TMX of `benches/store.rs` (same generator and seed), imported with the real `tm` binary, which builds the
//! word index as part of the import. Queries: 200 stored segments with 1–5 word edits (a word replaced,
//! dropped, inserted, or a conjunction glued on) and 50 unrelated sentences from the same word statistics.
//! Peers run when `TM_PEERS_PYTHON` names a Python with rapidfuzz and translate-toolkit installed (see
//! `benches/peers/README.md`); on the full memory they run `TM_PEER_QUERIES` queries (default 20), since
//! they scan every unit.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{edit, env_usize, imported_memory, median, repo_root, Corpus, Rng};
use tm::fuzzy::{LookupOptions, Matcher};
use tm::internals::{exhaustive, Query};
use tm::store::{OpenMode, Store};

fn percentile(mut xs: Vec<f64>, p: f64) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let i = ((xs.len() as f64 - 1.0) * p).round() as usize;
    xs[i]
}

fn main() {
    let units = env_usize("TM_BENCH_UNITS", 1_000_000);
    let tm = env!("CARGO_BIN_EXE_tm");
    let data = repo_root().join("target/bench-data");
    let corpus = Corpus::load();

    // Build: import with the index, timed as a whole.
    let (db, build) = imported_memory(tm, "lookup", units, &corpus);

    let store = Store::open(&db, OpenMode::ReadOnly).unwrap();
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let q = |sql: &str| -> f64 { conn.query_row(sql, [], |r| r.get::<_, f64>(0)).unwrap() };
    let text_bytes = q("SELECT total(length(CAST(source AS BLOB))) FROM units");
    let index_bytes = q("SELECT total(length(units)) FROM postings")
        + q("SELECT total(length(words)) FROM units")
        + q("SELECT total(length(CAST(token AS BLOB)) + 8) FROM words");
    let file_mb = std::fs::metadata(&db).unwrap().len() as f64 / 1e6;
    println!(
        "memory: {units} units from {}; import with index {build:.1} s; index {:.0} MB for {:.0} MB of Arabic text ({:.2}×); file {file_mb:.0} MB",
        corpus.source,
        index_bytes / 1e6,
        text_bytes / 1e6,
        index_bytes / text_bytes
    );

    // Queries.
    let mut rng = Rng::new(7);
    let mut queries: Vec<(String, Option<i64>)> = Vec::new();
    let mut by_id = conn
        .prepare("SELECT source FROM units WHERE id = ?1")
        .unwrap();
    while queries.len() < 200 {
        let id = 1 + rng.below(units) as i64;
        let source: String = by_id.query_row([id], |r| r.get(0)).unwrap();
        let edits = 1 + rng.below(5);
        queries.push((edit(&source, edits, &corpus, &mut rng), Some(id)));
    }
    for _ in 0..50 {
        let (ar, _) = corpus.pair(&mut rng);
        queries.push((ar, None));
    }

    // Ours: the whole lookup (index, scores, kinds, diffs, suggestions), in one process as a batch runs.
    let mut matcher = Matcher::new(&store, LookupOptions::default());
    let mut times = Vec::new();
    let mut results: Vec<Vec<i64>> = Vec::new();
    let mut found_original = 0;
    for (text, original) in &queries {
        let t = Instant::now();
        let found = matcher.lookup(text, None).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        if original.is_some_and(|id| found.iter().any(|m| m.id == id)) {
            found_original += 1;
        }
        results.push(found.iter().map(|m| m.id).collect());
    }
    println!(
        "tm lookup (top 5, min 70), {} queries: median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; edited queries whose original is in the top 5: {found_original}/200",
        queries.len(),
        median(times.clone()),
        percentile(times.clone(), 0.95),
        percentile(times.clone(), 0.99),
        percentile(times.clone(), 1.0),
    );
    let ours_median = median(times);

    // Recall against the exhaustive scan, on a sample of queries (each scan reads the whole memory).
    let opts = LookupOptions {
        min: 70,
        top: 5,
        src: "ar".into(),
        tgt: "en".into(),
        penalties: Vec::new(),
    };
    let sample = env_usize("TM_RECALL_QUERIES", 40).min(queries.len());
    let (mut want, mut got) = (0usize, 0usize);
    let scan_started = Instant::now();
    for (i, (text, _)) in queries
        .iter()
        .enumerate()
        .step_by(queries.len() / sample.max(1))
        .take(sample)
    {
        let query = Query::new(&conn, text).unwrap();
        let truth = exhaustive(&conn, &query, &opts).unwrap();
        want += truth.len();
        got += truth.iter().filter(|t| results[i].contains(&t.id)).count();
    }
    let scan_ms = scan_started.elapsed().as_secs_f64() * 1e3 / sample as f64;
    println!(
        "recall against an exhaustive scan ({sample} queries, {want} true top-5 matches ≥ 70): {:.4}; the scan takes {scan_ms:.0} ms a query",
        if want == 0 { 1.0 } else { got as f64 / want as f64 }
    );

    run_peers(&data, &conn, &queries, units, ours_median);
}

/// Writes the memory and queries for the Python peers and runs them, if a Python is configured.
fn run_peers(
    data: &Path,
    conn: &rusqlite::Connection,
    queries: &[(String, Option<i64>)],
    units: usize,
    ours_ms: f64,
) {
    let Some(python) = std::env::var_os("TM_PEERS_PYTHON") else {
        println!("peers: skipped (set TM_PEERS_PYTHON to a Python with rapidfuzz and translate-toolkit; see benches/peers/README.md)");
        return;
    };
    let dir = data.join(format!("peers-{units}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mem = dir.join("memory.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&mem).unwrap());
    let mut stmt = conn
        .prepare("SELECT id, source, target FROM units ORDER BY id")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    while let Some(r) = rows.next().unwrap() {
        let (id, s, t): (i64, String, String) =
            (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap());
        writeln!(
            out,
            "{id}\t{}\t{}",
            s.replace(['\t', '\n'], " "),
            t.replace(['\t', '\n'], " ")
        )
        .unwrap();
    }
    drop(out);
    let qfile = dir.join("queries.txt");
    let expected = dir.join("expected.tsv");
    let mut qf = std::fs::File::create(&qfile).unwrap();
    let mut ef = std::fs::File::create(&expected).unwrap();
    for (i, (q, original)) in queries.iter().enumerate() {
        writeln!(qf, "{q}").unwrap();
        if let Some(id) = original {
            // The harness numbers queries from 1.
            writeln!(ef, "{}\t{id}", i + 1).unwrap();
        }
    }
    let peer_queries = env_usize("TM_PEER_QUERIES", 20).to_string();
    let results: PathBuf = dir.join("results.json");
    let status = Command::new(python)
        .arg(repo_root().join("benches/peers/fuzzy_peers.py"))
        .args([
            "--memory",
            mem.to_str().unwrap(),
            "--queries",
            qfile.to_str().unwrap(),
        ])
        .args([
            "--expected",
            expected.to_str().unwrap(),
            "--out",
            results.to_str().unwrap(),
        ])
        .args(["--peer", "all", "--limit-queries", &peer_queries, "--quiet"])
        .status();
    if !status.as_ref().is_ok_and(|s| s.success()) {
        println!("peers: the harness failed ({status:?})");
        return;
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&results).unwrap()).unwrap();
    for (name, r) in json.as_object().unwrap() {
        let m = r["median_ms"].as_f64().unwrap_or(f64::NAN);
        println!(
            "peer {name}: {} queries, median {m:.1} ms, p99 {:.1} ms; originals in top 5: {}; tm is {:.0}× faster",
            r["queries"],
            r["p99_ms"].as_f64().unwrap_or(f64::NAN),
            r["expected_top5"],
            m / ours_ms
        );
    }
}
