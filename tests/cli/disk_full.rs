//! A full disk: a tmpfs of about a megabyte, mounted in a private mount namespace (`unshare`, as root or
//! through a user namespace), so that nothing outside the test sees it. Skipped, saying so, where neither
//! works.
//!
//! What must hold: a clear error naming the file, exit 2, the memory exactly as before, no half files.

use std::path::Path;
use std::process::Command;

use crate::support::{fixture_str, units_of, Sandbox};

/// Runs `script` with `sh` in a new mount namespace with a tmpfs of `size` at `$MNT`. `None` when this
/// machine does not allow it.
fn in_small_tmpfs(dir: &Path, size: &str, script: &str) -> Option<std::process::Output> {
    let mnt = dir.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let as_root = unsafe { libc::geteuid() } == 0;
    let full = format!("mount -t tmpfs -o size={size} tmpfs \"$MNT\" || exit 99\n{script}");
    let mut cmd = Command::new("unshare");
    if !as_root {
        cmd.arg("--map-root-user");
    }
    let out = cmd
        .args(["--mount", "sh", "-c", &full])
        .env("MNT", &mnt)
        .env("OUT", dir)
        .env("TM", env!("CARGO_BIN_EXE_tm"))
        .env_remove("TM_DB")
        .output()
        .ok()?;
    if out.status.code() == Some(99) || (!out.status.success() && out.stdout.is_empty()) {
        eprintln!(
            "skipped: cannot mount a small tmpfs here: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    Some(out)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

#[test]
fn a_full_disk_is_reported_and_the_memory_is_left_as_it_was() {
    let s = Sandbox::new();
    s.ok(&["import", &fixture_str("tm/sample.tmx")]);
    let before = s.units();
    // 40,000 units: a few megabytes in the memory, far more than the tmpfs holds.
    let big = s.path("big.tsv");
    let mut text = String::from("ar\ten\n");
    for i in 0..40_000 {
        text.push_str(&format!(
            "أعلنت كتائب حزب الله استهداف الموقع رقم {i} قرب البوكمال\tHizbullah Brigades targeted position {i}\n"
        ));
    }
    std::fs::write(&big, text).unwrap();
    std::fs::create_dir(s.path("copy")).unwrap();
    let script = format!(
        r#"
cp "{db}" "$MNT/memory.db"
"$TM" --db "$MNT/memory.db" import "{big}" >"$OUT/import.out" 2>"$OUT/import.err"; echo $? >"$OUT/import.rc"
"$TM" --db "$MNT/memory.db" stats --json >"$OUT/stats.out" 2>&1; echo $? >"$OUT/stats.rc"
cp "$MNT"/memory.db* "$OUT/copy/"
"$TM" --db "$MNT/new.db" import "{big}" >/dev/null 2>"$OUT/new.err"; echo $? >"$OUT/new.rc"
ls -A "$MNT" >"$OUT/after-new.ls"
dd if=/dev/zero of="$MNT/filler" bs=4k 2>/dev/null
"$TM" --db "$MNT/memory.db" export "$MNT/out.tmx" 2>"$OUT/export.err"; echo $? >"$OUT/export.rc"
"$TM" --db "$MNT/memory.db" add --source القائم --target "Al-Qa'im" 2>"$OUT/add.err"; echo $? >"$OUT/add.rc"
ls -A "$MNT" >"$OUT/after-export.ls"
"#,
        db = s.db().display(),
        big = big.display()
    );
    let Some(out) = in_small_tmpfs(s.dir.path(), "1200k", &script) else {
        return;
    };
    let dir = s.dir.path();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The import: a clear error, and the memory as it was (read in place, then copied out and checked).
    assert_eq!(read(dir, "import.rc").trim(), "2");
    assert!(
        read(dir, "import.err")
            .contains("memory.db: the disk is full; the memory was left as it was"),
        "{}",
        read(dir, "import.err")
    );
    assert_eq!(read(dir, "stats.rc").trim(), "0");
    assert!(read(dir, "stats.out").contains("\"segments\":133"));
    let copy = s.path("copy/memory.db");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    assert_eq!(units_of(&copy), before);

    // A first import: the same error, and no memory nor scratch file left behind.
    assert_eq!(read(dir, "new.rc").trim(), "2");
    assert!(read(dir, "new.err").contains("new.db: the disk is full"));
    assert!(
        !read(dir, "after-new.ls").contains("new.db"),
        "{}",
        read(dir, "after-new.ls")
    );

    // On a disk already full: export says so and leaves no half file; add says so too.
    assert_eq!(read(dir, "export.rc").trim(), "2");
    assert!(
        read(dir, "export.err").contains("out.tmx: No space left on device"),
        "{}",
        read(dir, "export.err")
    );
    assert_eq!(read(dir, "add.rc").trim(), "2");
    assert!(read(dir, "add.err").contains("the disk is full"));
    let left = read(dir, "after-export.ls");
    assert!(
        left.lines()
            .all(|f| ["filler", "memory.db", "memory.db-shm", "memory.db-wal"].contains(&f)),
        "{left}"
    );
}
