//! `tm serve` under load, on loopback: lookups per second, latency (p50, p99), errors and the server's
//! peak memory with 16 and 64 clients looking up while one client adds units, beside the throughput of
//! the command line's batch lookup (`tm lookup -`) on the same memory and queries.
//!
//! `cargo bench --bench serve` (1,000,000 units, 60 s a run; `TM_BENCH_UNITS=N`, `TM_BENCH_SECONDS=S`,
//! `TM_BENCH_CLIENTS=16,64`; the writer adds units back to back, or one every `TM_BENCH_WRITE_EVERY_MS`
//! milliseconds, or none with `TM_BENCH_WRITER=0`). `TM_BENCH_SERVERS=/path/to/tm,self` serves with
//! each of those binaries in turn (`self` is this build's) at each client count, so that a change and
//! what came before it are measured in one run, on the same machine load; each server run then starts
//! from a copy of the freshly imported memory, not from what the previous run's writer added. The memory is the TMX of `benches/store.rs` (same generator and seed),
//! imported fresh with the real binary; the queries are those of `benches/lookup.rs`'s kind: stored
//! segments with 1–5 word edits and unrelated sentences from the same word statistics.
//!
//! The clients run on the same machine as the server, so on two cores they take CPU from it: the
//! figures are what the server does with what the clients leave it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{edit, env_usize, imported_memory, percent_encode, repo_root, Corpus, Rng};

fn percentile(xs: &mut [f64], p: f64) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[((xs.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let units = env_usize("TM_BENCH_UNITS", 1_000_000);
    let seconds = env_usize("TM_BENCH_SECONDS", 60) as u64;
    let clients: Vec<usize> = std::env::var("TM_BENCH_CLIENTS")
        .unwrap_or_else(|_| "16,64".into())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let tm = env!("CARGO_BIN_EXE_tm");
    let data = repo_root().join("target/bench-data");
    let corpus = Corpus::load();
    let (db, import_seconds) = imported_memory(tm, "serve", units, &corpus);
    println!(
        "memory: {units} units from {}, imported in {import_seconds:.0} s",
        corpus.source
    );

    // 2,000 queries, each different (so the command line's postings cache helps it no more than a real
    // batch of new segments): 1,600 edited stored segments, 400 unrelated.
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut rng = Rng::new(7);
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < 1600 {
        let id = 1 + rng.below(units) as i64;
        let source: String = conn
            .query_row("SELECT source FROM units WHERE id = ?1", [id], |r| r.get(0))
            .unwrap();
        let edits = 1 + rng.below(5);
        queries.push(edit(&source, edits, &corpus, &mut rng));
    }
    while queries.len() < 2000 {
        queries.push(corpus.pair(&mut rng).0);
    }
    drop(conn);

    // The command line's batch lookup: the queries through `tm lookup -`, in one process, then in one
    // process per core (each all of them).
    let input: String = queries.iter().fold(String::new(), |mut s, q| {
        s.push_str(q);
        s.push('\n');
        s
    });
    let cli = |processes: usize| -> f64 {
        let started = Instant::now();
        let children: Vec<_> = (0..processes)
            .map(|_| {
                let mut child = Command::new(tm)
                    .arg("--db")
                    .arg(&db)
                    .args(["lookup", "--json", "-"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .spawn()
                    .unwrap();
                let mut stdin = child.stdin.take().unwrap();
                let input = input.clone();
                let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
                (child, feeder)
            })
            .collect();
        for (mut child, feeder) in children {
            feeder.join().unwrap();
            assert!(child.wait().unwrap().success());
        }
        (processes * queries.len()) as f64 / started.elapsed().as_secs_f64()
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let cli_one = cli(1);
    let cli_all = cli(cores);
    println!(
        "tm lookup - (batch, {} lookups a process): {cli_one:.0} lookups/s in one process, {cli_all:.0} lookups/s in {cores} processes",
        queries.len()
    );

    // The server.
    let token = "bench-token-0123456789abcdef";
    let token_file = data.join("serve-token");
    std::fs::write(&token_file, token).unwrap();
    let servers: Vec<String> = std::env::var("TM_BENCH_SERVERS")
        .unwrap_or_else(|_| "self".into())
        .split(',')
        .map(|s| match s.trim() {
            "self" | "" => tm.to_string(),
            other => other.to_string(),
        })
        .collect();
    let runs: Vec<(usize, &str)> = clients
        .iter()
        .flat_map(|&n| servers.iter().map(move |s| (n, s.as_str())))
        .collect();
    let pristine = data.join(format!("serve-{units}.db.imported"));
    if runs.len() > 1 {
        std::fs::copy(&db, &pristine).unwrap();
    }
    for (run, &(n, server_bin)) in runs.iter().enumerate() {
        if run > 0 {
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            std::fs::copy(&pristine, &db).unwrap();
        }
        let mut server = Command::new(server_bin)
            .arg("--db")
            .arg(&db)
            .args(["serve", "--addr", "127.0.0.1:0", "--token-file"])
            .arg(&token_file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = server.stderr.take().unwrap();
        let (base_send, base) = std::sync::mpsc::channel();
        // Reads the start line, then drains the access log (so the pipe never fills).
        let log = std::thread::spawn(move || {
            use std::io::BufRead;
            let mut base_send = Some(base_send);
            for line in std::io::BufReader::new(stderr).lines() {
                let line = line.unwrap_or_default();
                if let Some(at) = line.find("http://") {
                    if let Some(send) = base_send.take() {
                        let url = line[at..].split('/').take(3).collect::<Vec<_>>().join("/");
                        send.send(url).unwrap();
                    }
                }
            }
        });
        let base: String = base.recv().expect("the server starts");
        let stop = Arc::new(AtomicBool::new(false));
        let run_started = Instant::now();
        let readers: Vec<_> = (0..n)
            .map(|c| {
                let base = base.clone();
                let queries = queries.clone();
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .build()
                        .into();
                    let mut times = Vec::new();
                    let mut errors = 0u64;
                    let mut i = c * 7;
                    while !stop.load(Ordering::Relaxed) {
                        let url = format!(
                            "{base}/api/v1/lookup?q={}",
                            percent_encode(&queries[i % queries.len()])
                        );
                        i += 1;
                        let t = Instant::now();
                        match agent.get(&url).call() {
                            Ok(mut r) if r.status() == 200 => {
                                let _ = r.body_mut().read_to_vec();
                                times.push(t.elapsed().as_secs_f64() * 1e3);
                            }
                            _ => errors += 1,
                        }
                    }
                    (times, errors)
                })
            })
            .collect();
        let writer = {
            let writes = std::env::var("TM_BENCH_WRITER").map_or(true, |v| v != "0");
            let base = base.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let (mut added, mut errors) = (0u64, 0u64);
                let pause = Duration::from_millis(env_usize("TM_BENCH_WRITE_EVERY_MS", 0) as u64);
                while writes && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(pause);
                    let unit = serde_json::json!({
                        "source": format!("وصلت الدفعة رقم {added} من المساعدات إلى مدينة دير الزور"),
                        "target": format!("Aid batch number {added} arrived in the city of Deir Al-Zour"),
                        "origin": "serve-bench",
                    });
                    match agent
                        .post(&format!("{base}/api/v1/units"))
                        .header("Authorization", &format!("Bearer {token}"))
                        .send_json(&unit)
                    {
                        Ok(r) if r.status() == 201 => added += 1,
                        _ => errors += 1,
                    }
                }
                (added, errors)
            })
        };
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Relaxed);
        let mut times = Vec::new();
        let mut errors = 0;
        for r in readers {
            let (t, e) = r.join().unwrap();
            times.extend(t);
            errors += e;
        }
        let (added, write_errors) = writer.join().unwrap();
        let elapsed = run_started.elapsed().as_secs_f64();
        let peak_mib = std::fs::read_to_string(format!("/proc/{}/status", server.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kib| kib / 1024.0);
        unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) };
        assert!(server.wait().unwrap().success());
        log.join().unwrap();
        let rate = times.len() as f64 / elapsed;
        let p50 = percentile(&mut times, 0.50);
        let p99 = percentile(&mut times, 0.99);
        println!(
            "tm serve ({server_bin}), {n} clients + 1 writer, {seconds} s: {rate:.0} lookups/s ({:.2}× one CLI process, {:.2}× {cores} processes), p50 {p50:.1} ms, p99 {p99:.1} ms, errors {errors}; {added} units added ({:.1}/s, {write_errors} errors); server peak memory {peak_mib:.0} MiB",
            rate / cli_one,
            rate / cli_all,
            added as f64 / elapsed
        );
    }
    let _ = std::fs::remove_file(&pristine);
}
