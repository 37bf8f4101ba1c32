//! A damaged memory is never used as if whole: writes refuse it and leave it as it was, reads that meet
//! damage fail instead of skipping rows, and `tm doctor` says what is wrong and what to do.

use predicates::str::contains;

use crate::support::{fixture_str, Sandbox};

/// A sandbox with the sample memory, its WAL folded into the file so that the file is the whole memory.
fn with_sample() -> Sandbox {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    s
}

/// What SQLite's quick check says of the file (opened without tm).
fn quick_check(db: &std::path::Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
        .unwrap_or_else(|e| e.to_string())
}

/// Random bytes written over the file past its header (seeded: every run damages the same way).
fn damage(db: &std::path::Path, seed: u64) {
    let mut bytes = std::fs::read(db).unwrap();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..8 {
        let at = 100 + (next() as usize) % (bytes.len() - 200);
        for b in &mut bytes[at..at + 64] {
            *b = next() as u8;
        }
    }
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_damaged_memory_is_not_written_and_doctor_says_so() {
    let mut damaged_seeds = 0;
    for seed in 1..=16 {
        let s = with_sample();
        damage(&s.db(), seed);
        if quick_check(&s.db()) == "ok" {
            // The bytes fell where SQLite keeps nothing that matters to it.
            continue;
        }
        damaged_seeds += 1;
        let before = std::fs::read(s.db()).unwrap();
        for args in [
            vec!["import", &fixture_str("tm/sample.tmx")],
            vec!["add", "--source", "القائم", "--target", "Al-Qa'im"],
            vec!["delete", "--all"],
            vec!["reindex"],
            vec!["dedupe"],
        ] {
            let out = s.tm(&args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "seed {seed} {args:?}: {err}");
            assert!(
                err.contains("is damaged") || err.contains("is not a tm memory"),
                "seed {seed} {args:?}: {err}"
            );
            assert_eq!(
                std::fs::read(s.db()).unwrap(),
                before,
                "seed {seed} {args:?}"
            );
        }
        let out = s.tm(&["doctor"]).output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(1) && said.contains("the memory is damaged")
                || out.status.code() == Some(2) && said.contains("is not a tm memory"),
            "seed {seed}: {said}"
        );
    }
    eprintln!("{damaged_seeds} of 16 seeds damaged the file");
    assert!(
        damaged_seeds >= 8,
        "only {damaged_seeds} seeds damaged the file"
    );
}

#[test]
fn doctor_says_a_whole_memory_is_whole() {
    let s = with_sample();
    s.run(&["doctor"])
        .stdout_has("the memory is whole (133 units checked)")
        .ok();
    let json = s.json(&["--json", "doctor"]);
    assert_eq!(json["whole"], true);
    assert_eq!(json["units"], 133);
}

/// A unit whose origin is not UTF-8 (written by another program): concordance fails and names the
/// damage instead of showing 8 hits of 9, and doctor names the unit.
#[test]
fn a_value_that_is_not_text_is_an_error_not_a_missing_hit() {
    let s = with_sample();
    let conn = rusqlite::Connection::open(s.db()).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM units WHERE source LIKE '%حزب الله%' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE units SET origin = CAST(X'66FF6F' AS TEXT) WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(conn);
    // Every hit read, so the damaged one among them (the phrase has more than the default 20).
    s.fails_with(
        &["concordance", "--limit", "1000", "حزب الله"],
        "is damaged",
    );
    s.run(&["doctor"])
        .stdout_has(format!("unit {id}: its origin is not text"))
        .exits(1);
}

#[test]
fn a_folder_given_as_the_memory_is_named_as_a_folder() {
    let s = Sandbox::new();
    let folder = s.path("dir.db");
    std::fs::create_dir(&folder).unwrap();
    assert_cmd::Command::cargo_bin("tm")
        .unwrap()
        .env_remove("TM_DB")
        .args(["--db", folder.to_str().unwrap(), "stats"])
        .assert()
        .code(2)
        .stderr(contains("is a folder, not a memory file"));
}
