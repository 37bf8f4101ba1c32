//! Several real `tm` processes on one memory, and imports killed with SIGKILL at random moments.
//!
//! What must hold: every process finishes correctly or fails saying the memory is busy; the memory passes
//! `PRAGMA integrity_check` afterwards; an import is all or nothing, killed or not.
//!
//! `TM_KILL_RUNS` sets how many imports the kill test kills (50 by default); `TM_KILL_SEED` replays a run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::support::{fixture_str, Sandbox};

/// `tm --db DB ARGS...` as a plain process (not assert_cmd: these run side by side and get killed).
fn tm(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tm"));
    cmd.env_remove("TM_DB")
        .env_remove("TM_BUSY_TIMEOUT")
        .env("TM_USER", "tester")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null());
    cmd
}

fn run(db: &Path, args: &[&str]) -> Output {
    tm(db, args).output().expect("run tm")
}

/// A TSV file of `n` units that exist nowhere else (their origin is the file's name).
fn units_file(dir: &Path, name: &str, n: usize) -> PathBuf {
    let path = dir.join(name);
    let mut text = String::from("ar\ten\n");
    for i in 0..n {
        text.push_str(&format!(
            "أعلنت كتائب حزب الله في {name} أنها استهدفت الموقع رقم {i} قرب البوكمال\t\
             Hizbullah Brigades said in {name} that they targeted position {i} near Al-Bukamal\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// `PRAGMA integrity_check` of the memory, and its units per origin.
fn check(db: &Path) -> (String, Vec<(String, u64)>) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open memory");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT coalesce(origin, ''), count(*) FROM units GROUP BY origin ORDER BY origin")
        .unwrap();
    let origins = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (integrity, origins)
}

fn count(origins: &[(String, u64)], origin: &str) -> u64 {
    origins.iter().find(|o| o.0 == origin).map_or(0, |o| o.1)
}

/// Units from anywhere but the generated files (the sample's units carry their own origins).
fn others(origins: &[(String, u64)]) -> u64 {
    origins
        .iter()
        .filter(|o| !o.0.ends_with(".tsv"))
        .map(|o| o.1)
        .sum()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Two imports and a stream of lookups on one memory, started together; once on a memory that exists,
/// once on one that the imports create.
#[test]
fn two_imports_and_lookups_at_once_all_finish_or_say_busy() {
    const N: usize = 4000;
    for existing in [true, false] {
        let s = Sandbox::new();
        let db = s.db();
        if existing {
            s.ok(&["import", &fixture_str("tm/sample.tmx")]);
        }
        let a = units_file(s.dir.path(), "a.tsv", N);
        let b = units_file(s.dir.path(), "b.tsv", N);
        let importing = AtomicBool::new(true);
        let (imports, lookups) = std::thread::scope(|scope| {
            let lookups = scope.spawn(|| {
                let mut outcomes = Vec::new();
                while importing.load(Ordering::Relaxed) || outcomes.len() < 3 {
                    let out = run(
                        &db,
                        &[
                            "lookup",
                            "--json",
                            "أعلنت كتائب حزب الله أنها استهدفت الموقع رقم 12",
                        ],
                    );
                    outcomes.push(out);
                }
                outcomes
            });
            let children: Vec<_> = [&a, &b]
                .iter()
                .map(|f| {
                    tm(&db, &["import", f.to_str().unwrap()])
                        .stdout(Stdio::piped())
                        .stderr(Stdio::piped())
                        .spawn()
                        .unwrap()
                })
                .collect();
            let imports: Vec<Output> = children
                .into_iter()
                .map(|c| c.wait_with_output().unwrap())
                .collect();
            importing.store(false, Ordering::Relaxed);
            (imports, lookups.join().unwrap())
        });
        let (integrity, origins) = check(&db);
        assert_eq!(integrity, "ok");
        for (out, name) in imports.iter().zip(["a.tsv", "b.tsv"]) {
            if out.status.success() {
                assert_eq!(count(&origins, name), N as u64, "{name}");
            } else {
                assert!(stderr(out).contains("is busy"), "{name}: {}", stderr(out));
                assert_eq!(count(&origins, name), 0, "{name}");
            }
        }
        assert_eq!(others(&origins), if existing { 133 } else { 0 });
        for out in &lookups {
            let err = stderr(out);
            let fine = out.status.success()
                && serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok();
            let busy = out.status.code() == Some(2) && err.contains("is busy");
            let not_yet = !existing && out.status.code() == Some(2) && err.contains("no memory at");
            assert!(fine || busy || not_yet, "lookup: {err}");
        }
        eprintln!(
            "existing memory {existing}: imports {:?}, {} lookups ({} answered)",
            imports.iter().map(|o| o.status.code()).collect::<Vec<_>>(),
            lookups.len(),
            lookups.iter().filter(|o| o.status.success()).count()
        );
    }
}

/// A small xorshift generator: the kill moments are random, and reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Where the killed import writes: a memory that does not exist yet (it is built in a scratch file and
/// moved into place), one that holds units (WAL), and one emptied by `delete --all` (a first import into
/// an empty memory runs under a rollback journal).
#[derive(Clone, Copy, Debug)]
enum Memory {
    New,
    Filled,
    Emptied,
}

#[test]
fn an_import_killed_at_any_moment_leaves_none_or_all_of_it() {
    const N: usize = 3000;
    let runs: usize = std::env::var("TM_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let seed: u64 = std::env::var("TM_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("kill test: {runs} runs, TM_KILL_SEED={seed}");
    let mut rng = Rng(seed);
    let s = Sandbox::new();
    let file = units_file(s.dir.path(), "killed.tsv", N);
    let file = file.to_str().unwrap();
    let sample = fixture_str("tm/sample.tmx");

    // How long an import takes here, to spread the kills over it (and a little after).
    let timing = s.path("timing.db");
    let started = Instant::now();
    assert!(run(&timing, &["import", file]).status.success());
    let span = started.elapsed().as_micros() as u64 * 5 / 4 + 1;

    let (mut none, mut all, mut scratch_left) = (0, 0, 0);
    for i in 0..runs {
        let memory = [Memory::New, Memory::Filled, Memory::Emptied][i % 3];
        let dir = s.path(&format!("run{i}"));
        std::fs::create_dir(&dir).unwrap();
        let db = dir.join("memory.db");
        match memory {
            Memory::New => {}
            Memory::Filled => assert!(run(&db, &["import", &sample]).status.success()),
            Memory::Emptied => {
                assert!(run(&db, &["import", &sample]).status.success());
                assert!(run(&db, &["delete", "--all"]).status.success());
            }
        }
        let delay = Duration::from_micros(rng.below(span));
        let mut child = tm(&db, &["import", file])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let context = format!("run {i} ({memory:?}, killed after {delay:?}, seed {seed})");
        if !db.exists() {
            assert!(
                matches!(memory, Memory::New),
                "{context}: the memory vanished"
            );
            none += 1;
        } else {
            // A read-only command first: it must cope with whatever the kill left (a hot journal, a
            // log to recover) before any writer has tidied up.
            let stats = run(&db, &["stats", "--json"]);
            assert!(stats.status.success(), "{context}: {}", stderr(&stats));
            let (integrity, origins) = check(&db);
            assert_eq!(integrity, "ok", "{context}");
            match count(&origins, "killed.tsv") {
                0 => none += 1,
                n if n == N as u64 => all += 1,
                n => panic!("{context}: {n} of {N} units were stored"),
            }
            let kept = if matches!(memory, Memory::Filled) {
                133
            } else {
                0
            };
            assert_eq!(others(&origins), kept, "{context}");
            // And the memory takes the import afterwards.
            let again = run(&db, &["import", file]);
            assert!(again.status.success(), "{context}: {}", stderr(&again));
        }
        scratch_left += std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".importing-")
            })
            .count();
    }
    eprintln!(
        "kill test: {runs} imports killed: {none} left nothing, {all} complete; {scratch_left} \
         scratch files of killed first imports left behind"
    );
}

/// A memory whose writer died mid-transaction under a rollback journal (as a memory copied from a crashed
/// machine may be): read-only commands roll the journal back and read the memory as it was, where they
/// failed with "attempt to write a readonly database". The crash image is made by copying the file and
/// its journal while a transaction has spilled pages into the file.
#[test]
fn a_memory_left_mid_write_under_a_rollback_journal_reads_as_before() {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
        .unwrap();
    conn.pragma_update(None, "cache_size", 2).unwrap();
    conn.execute_batch("BEGIN; DELETE FROM units; DELETE FROM postings;")
        .unwrap();
    conn.execute_batch(
        &"INSERT INTO words (token, stem) VALUES (hex(randomblob(200)), 0);".repeat(500),
    )
    .unwrap();
    let crashed = s.path("crashed");
    let journal = s.path("memory.db-journal");
    assert!(journal.exists(), "the transaction did not spill");
    let locked = s.path("locked");
    for dir in [&crashed, &locked] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::copy(s.db(), dir.join("memory.db")).unwrap();
        std::fs::copy(&journal, dir.join("memory.db-journal")).unwrap();
    }
    drop(conn);

    let db = crashed.join("memory.db");
    let stats = run(&db, &["stats", "--json"]);
    assert!(stats.status.success(), "{}", stderr(&stats));
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(json["segments"], 133);
    assert!(!crashed.join("memory.db-journal").exists());
    assert_eq!(check(&db).0, "ok");
    let found = run(&db, &["lookup", "--json", "حزب الله"]);
    assert!(found.status.success(), "{}", stderr(&found));

    // The same image in a folder the user may not write: the memory cannot be restored, and the message
    // says what to do.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let db = locked.join("memory.db");
        if let Some(user) = crate::support::Unprivileged::new(&s) {
            let mut cmd = user.tm(&db);
            crate::support::give_to_nobody(&[s.dir.path(), &locked, &db]);
            for (p, mode) in [(&db, 0o444), (&locked, 0o555)] {
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            let out = cmd.args(["stats"]).output().unwrap();
            assert_eq!(out.status.code(), Some(2));
            assert!(
                stderr(&out).contains("was left mid-write by a process that stopped"),
                "{}",
                stderr(&out)
            );
        }
    }
}
