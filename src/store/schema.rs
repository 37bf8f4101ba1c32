//! The memory's SQLite schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version: the number of migrations applied. A memory made by a
//! newer `tm` is refused rather than misread; an older one is brought up to date, in one transaction, the
//! first time a writing command opens it. Migrations are only ever appended to.

use rusqlite::{Connection, Transaction};

/// Each entry moves the schema up one version. Never edit a released entry; add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: units. Text is kept exactly as given. `norm_hash` is the hash of the source's words in their
    // matching form (text::normalize, punctuation aside): equal hashes find the same segment without storing a second
    // copy of every Arabic segment (a text column cost a third of the file and of import time; the fuzzy
    // index of the matching work keeps its own compact word ids). `pair_hash` finds an identical
    // source+target pair without indexing the text itself.
    "CREATE TABLE units (
        id            INTEGER PRIMARY KEY,
        src_lang      TEXT NOT NULL,
        tgt_lang      TEXT NOT NULL,
        source        TEXT NOT NULL,
        target        TEXT NOT NULL,
        source_markup TEXT,
        target_markup TEXT,
        norm_hash     INTEGER NOT NULL,
        pair_hash     INTEGER NOT NULL,
        tuid          TEXT,
        origin        TEXT,
        created       TEXT NOT NULL,
        created_by    TEXT,
        changed       TEXT NOT NULL,
        changed_by    TEXT,
        use_count     INTEGER NOT NULL DEFAULT 1,
        meta          TEXT
    ) STRICT;
    CREATE INDEX units_by_pair ON units(pair_hash);",
    // 2: the word index of fuzzy lookup (index.rs), and each unit's neighbours in its document for
    // context matches. Units of version 1 get their words on first opening for writing.
    "ALTER TABLE units ADD COLUMN words BLOB;
    ALTER TABLE units ADD COLUMN prev_hash INTEGER;
    ALTER TABLE units ADD COLUMN next_hash INTEGER;
    CREATE TABLE words (
        id    INTEGER PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        stem  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE segments (
        id    INTEGER PRIMARY KEY,
        units INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE postings (
        stem    INTEGER NOT NULL,
        segment INTEGER NOT NULL,
        units   BLOB NOT NULL,
        PRIMARY KEY (stem, segment)
    ) STRICT, WITHOUT ROWID;",
    // 3: the user's own name authority entries (names/), which override the shipped list.
    "CREATE TABLE names (
        id       INTEGER PRIMARY KEY,
        arabic   TEXT NOT NULL,
        english  TEXT NOT NULL,
        kind     TEXT NOT NULL,
        variants TEXT NOT NULL DEFAULT '',
        note     TEXT NOT NULL DEFAULT ''
    ) STRICT;",
    // 4: accepted alternatives of a name (United States beside U.S.), never findings.
    "ALTER TABLE names ADD COLUMN accepted TEXT NOT NULL DEFAULT '';",
    // 5: the word index rebuilt (no table changes): the one word rule of text::words keeps what
    // folding removes inside a word, and the particle أن/إن takes proclitics (بأن, لأنه), so words
    // and stems of older memories are filed under other keys. Every unit gets its words again on the
    // first opening for writing, as units of version 1 did.
    "DELETE FROM postings; DELETE FROM segments; DELETE FROM words; UPDATE units SET words = NULL;",
    // 6: units whose postings may be out of date: edited in place (`tm edit`, `tm replace`), or new
    // under an id that a deleted unit had (SQLite gives the highest ids again once they are deleted).
    // The index is append-only, so old postings stay until `tm reindex`; lookups compute these units'
    // scores instead of bounding them by their postings. `deleted` keeps the highest id ever deleted:
    // a new unit at or below it may be such a unit.
    "CREATE TABLE stale (id INTEGER PRIMARY KEY) STRICT;
     CREATE TABLE deleted (id INTEGER NOT NULL) STRICT;
     INSERT INTO deleted (id) VALUES (0);",
    // 7: postings by segment. Merging small segments (every few `add`s) reads and deletes postings
    // by segment, which without this scanned the whole postings table each time: `tm add` and the
    // server's writes took tens of milliseconds on a 1M-unit memory (BENCHMARKS.md, issue 18).
    "CREATE INDEX IF NOT EXISTS postings_by_segment ON postings(segment);",
];

/// The schema version this build of `tm` writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads the schema version of an open database.
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// `PRAGMA application_id` of a tm memory ("tm01"), so that `tm` never mistakes another program's
/// SQLite file for a memory, nor changes it.
pub const APPLICATION_ID: i32 = 0x746d_3031;

/// Reads the application id of an open database.
pub fn application_id(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA application_id", [], |r| r.get(0))
}

/// Whether the database has any table (a new memory has none before its first migration).
pub fn has_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) > 0 FROM sqlite_master", [], |r| r.get(0))
}

/// Applies the migrations a database lacks, all in one transaction.
///
/// `from` is the version seen before the transaction; it is read again inside it, so that two processes
/// opening a new (or old) memory at once migrate it once: the second waits for the first's write lock,
/// then finds nothing to do. (It used to fail with "table units already exists".)
pub fn migrate(conn: &mut Connection, from: u32) -> rusqlite::Result<()> {
    let tx: Transaction =
        conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let from = from.max(version(&tx)?);
    if from >= VERSION {
        return Ok(());
    }
    if from == 0 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    for sql in &MIGRATIONS[from as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()
}
