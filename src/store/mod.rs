//! The memory: Arabic source segments with their English translations in one SQLite file.
//!
//! A [`Store`] is opened read-only (lookups, export, stats: a missing file is an error, never created) or
//! read-write (import, add, delete). The database runs in WAL mode with a busy timeout, so readers go on
//! while one writer imports. Every import runs in one transaction: a file that fails leaves the memory
//! exactly as it was.
//!
//! An identical source+target pair (same languages, same text to the byte) is stored once: a second
//! arrival updates its change date, user and origin and raises its use count.
//!
//! ```
//! use tm::store::Store;
//! use tm::unit::{Segment, Unit};
//! let mut store = Store::in_memory().unwrap();
//! let unit = Unit::new("ar", "en", Segment::plain("دير الزور"), Segment::plain("Deir Al-Zour"));
//! store.add(unit.clone(), &Default::default()).unwrap();
//! store.add(unit, &Default::default()).unwrap();
//! assert_eq!(store.stats().unwrap().segments, 1);
//! ```

mod edit;
mod import;
pub(crate) mod index;
mod names;
mod schema;
mod upkeep;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use crate::formats::FormatError;
use crate::unit::{primary_language, Meta, Segment, Unit};

pub use edit::{Change, EditRequest, Replace, ReplaceReport, Side};
pub use import::{FileReport, ImportFile, ImportOptions, ImportReport, Skipped};
pub(crate) use index::WordKey;
pub(crate) use upkeep::Health;
pub use upkeep::UnitFilter;

/// Page size of new memories.
const PAGE_SIZE: u32 = 8192;

/// How long a command waits for another process's write to finish before saying the memory is busy,
/// unless [`OpenOptions::busy_timeout`] says otherwise.
pub(crate) const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest busy timeout SQLite can be given (its milliseconds are an `i32`): about 24.8 days.
pub(crate) const MAX_BUSY_TIMEOUT: Duration = Duration::from_millis(i32::MAX as u64);

/// Errors at the store boundary. Each names the memory file and what to do.
///
/// Every variant's `path` is the memory's file as the caller named it (`:memory:` for
/// [`Store::in_memory`]); the messages are written for the person running `tm` and name its options.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Opened read-only, and there is no file at `path`: a read never creates a memory.
    #[error("no memory at {path}: import or add something first (tm import FILE), or give --db")]
    NotFound {
        /// The file that was not there.
        path: PathBuf,
    },
    /// Opened for writing in a folder that does not exist: the folder is not made, so that a mistyped
    /// path does not put the memory out of sight.
    #[error("the folder {folder} does not exist: create it first, or give --db a path in a folder that does")]
    NoFolder {
        /// The missing folder.
        folder: PathBuf,
    },
    /// The file is not an SQLite database, or is another program's: it is left untouched.
    #[error("{path} is not a tm memory (not an SQLite database, or another program's)")]
    NotAMemory {
        /// The file that was refused.
        path: PathBuf,
    },
    /// The memory's schema is newer than this build knows: it is refused rather than misread.
    #[error(
        "{path} was written by a newer tm (schema version {found}; this tm knows up to {known}): \
         upgrade tm"
    )]
    NewerSchema {
        /// The memory.
        path: PathBuf,
        /// The memory's schema version.
        found: u32,
        /// The newest schema version this build reads and writes.
        known: u32,
    },
    /// The memory's schema is older than this build's and must be upgraded, which a read-only open by a
    /// user who may not write the file cannot do. (One who may write it gets the upgrade instead.)
    #[error(
        "{path} has schema version {found} and needs upgrading to {known}, which takes write \
         access: run any command on it (tm stats) as a user who may write it"
    )]
    OlderSchema {
        /// The memory.
        path: PathBuf,
        /// The memory's schema version.
        found: u32,
        /// The schema version it would be upgraded to.
        known: u32,
    },
    /// Another process kept the memory locked (a write under way) for longer than the busy timeout:
    /// trying again later may succeed.
    #[error("the memory {path} is busy: another tm process is writing to it; try again")]
    Busy {
        /// The memory.
        path: PathBuf,
    },
    /// A writer was killed mid-transaction and left a journal that only a connection allowed to write
    /// may roll back: until then the memory cannot be read consistently.
    #[error(
        "the memory {path} was left mid-write by a process that stopped, and cannot be restored \
         without write access: run a writing command on it (tm dedupe --dry-run) as a user who may \
         write it"
    )]
    HotJournal {
        /// The memory.
        path: PathBuf,
    },
    /// A write was refused: the file, or the folder SQLite must create its `-wal` and `-shm` files in,
    /// is read-only for this user.
    #[error("the memory {path} cannot be written: {reason}")]
    ReadOnly {
        /// The memory.
        path: PathBuf,
        /// Which of the two, with SQLite's own words.
        reason: String,
    },
    /// SQLite found the file damaged, or a stored value cannot be read as the schema says. Nothing
    /// was changed; an export still saves what can be read.
    #[error(
        "the memory {path} is damaged ({detail}): nothing was changed. `tm --db {path} export \
         rescue.tmx` saves what can still be read, or restore a copy; `tm --db {path} doctor` \
         checks the whole file"
    )]
    Damaged {
        /// The memory.
        path: PathBuf,
        /// What was found, in SQLite's words.
        detail: String,
    },
    /// The operating system failed a read or write of the memory or of the files beside it (a `-wal`
    /// or `-shm` file removed while in use, a disk unplugged). Nothing was changed.
    #[error(
        "the memory {path} could not be read or written (disk I/O error {code}): was a file beside \
         it (-wal, -shm) removed while tm ran, or the disk unplugged? Nothing was changed"
    )]
    DiskIo {
        /// The memory.
        path: PathBuf,
        /// SQLite's extended result code, which says which operation failed.
        code: i32,
    },
    /// The path names a folder, not a file.
    #[error("{path} is a folder, not a memory file: give the file's path with --db")]
    IsFolder {
        /// The folder.
        path: PathBuf,
    },
    /// The disk filled up during a write; the transaction was rolled back.
    #[error("{path}: the disk is full; the memory was left as it was")]
    DiskFull {
        /// The memory.
        path: PathBuf,
    },
    /// A file being imported could not be read; the import's transaction was rolled back.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// Any other SQLite error.
    #[error("{path}: {source}")]
    Sqlite {
        /// The memory.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A file operation around the memory failed (the scratch file of a first import, an import's
    /// reading thread).
    #[error("{path}: {source}")]
    Io {
        /// The file the operation was on.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}

/// The result of the store's operations.
pub type Result<T> = std::result::Result<T, Error>;

/// Whether a command may change the memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    /// Never creates or changes the file.
    ReadOnly,
    /// Creates the file (and its folder) if needed, and brings the schema up to date.
    ReadWrite,
}

/// How a memory is opened, besides whether it may be written: `Store::open_with(path, mode, &options)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OpenOptions {
    busy_timeout: Duration,
}

impl OpenOptions {
    /// The defaults: a [`DEFAULT_BUSY_TIMEOUT`] busy timeout.
    pub(crate) const fn new() -> OpenOptions {
        OpenOptions {
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }

    /// How long to wait for another process's write to finish before failing with [`Error::Busy`].
    /// Zero (or less than a millisecond) does not wait; more than [`MAX_BUSY_TIMEOUT`] waits that long.
    pub(crate) fn busy_timeout(mut self, timeout: Duration) -> OpenOptions {
        self.busy_timeout = timeout.min(MAX_BUSY_TIMEOUT);
        self
    }
}

impl Default for OpenOptions {
    fn default() -> OpenOptions {
        OpenOptions::new()
    }
}

/// An open memory: one SQLite file (or an in-memory database), with its units, word index and the user's
/// names.
///
/// Not `Sync`: one thread uses a `Store`; other threads and processes open the file themselves.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// A memory being built by [`Store::create_new`], which no other process can see yet.
    scratch: bool,
}

/// Who and where from, for units that arrive without saying (given to [`Store::add`] and, through
/// [`ImportOptions`], to imports).
#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Recorded as `created_by`/`changed_by` when a unit does not name its own user.
    pub user: Option<String>,
    /// Overrides every unit's origin.
    pub origin: Option<String>,
}

/// What [`Store::add`] did with a unit. Serialized as `{"new": id}` or `{"merged": id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Added {
    /// Stored as a new unit with this id.
    New(i64),
    /// The same pair was already there (this id): its dates, origin and use count were updated.
    Merged(i64),
}

/// A summary of the memory, as `tm stats` prints it (and `--json` serializes it).
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Units stored (an identical pair counts once, however often it arrived).
    pub segments: u64,
    /// Units per language pair, by primary language (`ar-IQ` counts as `ar`), most units first.
    pub pairs: Vec<PairCount>,
    /// Distinct origins (files, documents, projects).
    pub origins: u64,
    /// The earliest creation date of any unit, in TMX's format (`20240925T101500Z`); `None` when the
    /// memory is empty.
    pub oldest: Option<String>,
    /// The latest change date of any unit, in the same format; `None` when the memory is empty.
    pub newest: Option<String>,
    /// The memory's schema version.
    pub schema_version: u32,
    /// The memory's file.
    pub path: PathBuf,
    /// The file's size on disk with its write-ahead log (`-wal`), in bytes; 0 for an in-memory store.
    pub size_bytes: u64,
}

/// How many units a language pair has, in [`Stats::pairs`].
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PairCount {
    /// Source language, primary subtag only (`ar`), lowercased.
    pub src: String,
    /// Target language, likewise.
    pub tgt: String,
    /// Units of this pair.
    pub segments: u64,
}

/// The units of one origin (a file, a document, a project), as `tm origins` lists them.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub(crate) struct OriginCount {
    /// The origin as recorded; `None` for units imported without one.
    pub origin: Option<String>,
    /// How many units have it.
    pub units: u64,
    /// The latest change to any of them (ISO 8601 basic, as TMX writes dates).
    pub changed: Option<String>,
}

impl Store {
    /// Opens the memory at `path`, waiting up to ten seconds for another process's write to finish.
    ///
    /// [`OpenMode::ReadOnly`] never creates or changes the file ([`Error::NotFound`] if there is none),
    /// except to bring an older memory's schema up to date or roll back what a killed writer left, when
    /// this user may write it. [`OpenMode::ReadWrite`] creates the file if needed (not its folder:
    /// [`Error::NoFolder`]), upgrades the schema, and refuses a damaged memory ([`Error::Damaged`])
    /// rather than write into it. Another program's SQLite file is refused either way
    /// ([`Error::NotAMemory`]).
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        Store::open_with(path, mode, &OpenOptions::new())
    }

    /// Opens the memory at `path` with `options`.
    pub(crate) fn open_with(path: &Path, mode: OpenMode, options: &OpenOptions) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::IsFolder {
                path: path.to_path_buf(),
            });
        }
        let exists = path.exists();
        if mode == OpenMode::ReadOnly && !exists {
            return Err(Error::NotFound {
                path: path.to_path_buf(),
            });
        }
        if mode == OpenMode::ReadWrite && !exists {
            // A folder the user named and mistyped is not made: the memory would land out of sight.
            // (The command layer makes the default data folder.)
            if let Some(dir) = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
            {
                return Err(Error::NoFolder {
                    folder: dir.to_path_buf(),
                });
            }
        }
        let flags = match mode {
            OpenMode::ReadOnly => OpenFlags::SQLITE_OPEN_READ_ONLY,
            OpenMode::ReadWrite => {
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
            }
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
        let busy = options.busy_timeout;
        match Store::setup(conn, path, mode, busy) {
            // A memory from an older tm: brought up to date by a writing open (the migrations only
            // add), then read. Where the user may not write it, the error says what to do.
            Err(Error::OlderSchema { .. }) if mode == OpenMode::ReadOnly && writable(path) => {
                drop(Store::open_with(path, OpenMode::ReadWrite, options)?);
                let conn =
                    Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
                Store::setup(conn, path, mode, busy)
            }
            Err(Error::HotJournal { .. }) if mode == OpenMode::ReadOnly => {
                Store::roll_back_hot_journal(path, busy).map_err(|e| match e {
                    Error::Busy { .. } => e,
                    _ => Error::HotJournal {
                        path: path.to_path_buf(),
                    },
                })?;
                let conn =
                    Connection::open_with_flags(path, flags).map_err(|e| sqlite_error(path, e))?;
                Store::setup(conn, path, mode, busy)
            }
            result => result,
        }
    }

    /// Rolls back what a writer killed mid-transaction left in a rollback journal, so that a read-only
    /// command can read the memory as it was before. SQLite does this on the first read of any
    /// connection that may write, and refuses a read-only one; this only restores the last committed
    /// state, it changes nothing that was committed.
    fn roll_back_hot_journal(path: &Path, busy_timeout: Duration) -> Result<()> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| sqlite_error(path, e))?;
        conn.busy_timeout(busy_timeout)
            .map_err(|e| sqlite_error(path, e))?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| sqlite_error(path, e))?;
        Ok(())
    }

    /// Creates the memory at `path` and fills it with `fill`, all or nothing.
    ///
    /// The memory is built in a scratch file beside `path` (`memory.db.importing-XXXXXX`) and moved into
    /// place, without replacing anything, only once `fill` has succeeded. So a first import that fails
    /// or is killed leaves no memory behind, and nothing is ever removed under the memory's name: the
    /// earlier way, removing the new file after a failure, could remove a memory that another process
    /// had created and was filling meanwhile. Returns `Ok(None)` when a memory appeared at `path` in the
    /// meantime; the caller then works on that one.
    pub(crate) fn create_new<T>(
        path: &Path,
        fill: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<Option<T>> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(Error::NoFolder {
                folder: dir.to_path_buf(),
            });
        }
        let name = path
            .file_name()
            .map_or("memory".into(), |n| n.to_string_lossy());
        let prefix = format!("{name}.importing-");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // The permissions SQLite gives a new database (less the umask), not a scratch file's 0600: a
        // memory in a shared folder stays readable by the team.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let scratch = builder.tempfile_in(dir).map_err(io(dir))?.into_temp_path();
        let filled = Store::open(&scratch, OpenMode::ReadWrite).and_then(|mut store| {
            // Messages name the memory, not the scratch file.
            store.path = path.to_path_buf();
            store.scratch = true;
            let value = fill(&mut store)?;
            // Fold the write-ahead log into the file: what moves into place must be the whole memory.
            store
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                })
                .map_err(store.err())?;
            store.conn.close().map_err(|(_, e)| sqlite_error(path, e))?;
            Ok(value)
        });
        let value = match filled {
            Ok(value) => value,
            Err(e) => {
                for suffix in ["-journal", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
                }
                return Err(e);
            }
        };
        match scratch.persist_noclobber(path) {
            Ok(()) => Ok(Some(value)),
            // Dropping the error's path removes the scratch file.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
            Err(e) => Err(io(path)(e.error)),
        }
    }

    /// An empty memory held in RAM, gone when the value is dropped: for tests, and for looking up in a file
    /// without importing it anywhere (`--memory`).
    pub fn in_memory() -> Result<Store> {
        let conn =
            Connection::open_in_memory().map_err(|e| sqlite_error(Path::new(":memory:"), e))?;
        Store::setup(
            conn,
            Path::new(":memory:"),
            OpenMode::ReadWrite,
            DEFAULT_BUSY_TIMEOUT,
        )
    }

    fn setup(
        mut conn: Connection,
        path: &Path,
        mode: OpenMode,
        busy_timeout: Duration,
    ) -> Result<Store> {
        let err = |e| sqlite_error(path, e);
        conn.busy_timeout(busy_timeout).map_err(err)?;
        // Writers take the write lock when their transaction begins. A deferred transaction reads first
        // and then asks for the lock, and SQLite cannot wait for it then (the reader's snapshot would be
        // stale): a second import failed at once with "busy" instead of waiting for the first.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        let found = schema::version(&conn).map_err(err)?;
        // Another program's database: never touch it (not even switch it to WAL).
        let ours = if found == 0 {
            !schema::has_tables(&conn).map_err(err)?
        } else {
            schema::application_id(&conn).map_err(err)? == schema::APPLICATION_ID
        };
        if !ours || (mode == OpenMode::ReadOnly && found == 0) {
            return Err(Error::NotAMemory {
                path: path.to_path_buf(),
            });
        }
        if found > schema::VERSION {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found,
                known: schema::VERSION,
            });
        }
        match mode {
            OpenMode::ReadWrite => {
                if found == 0 {
                    // A new memory: larger pages make bulk imports and scans cheaper (measured in
                    // BENCHMARKS.md). Only possible before the first table and before WAL.
                    conn.pragma_update(None, "page_size", PAGE_SIZE)
                        .map_err(err)?;
                }
                if found > 0 {
                    // Writing into a damaged file spreads the damage: refuse it while the user can
                    // still export what is readable. (Its cost on large memories is in BENCHMARKS.md.)
                    check_quick(&conn, path)?;
                }
                // WAL lets lookups run while an import writes; NORMAL sync is safe in WAL mode
                // (a power cut may lose the last commit, never corrupt the file).
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))
                    .map_err(err)?;
                conn.pragma_update(None, "synchronous", "NORMAL")
                    .map_err(err)?;
                if found < schema::VERSION {
                    schema::migrate(&mut conn, found).map_err(err)?;
                    if found > 0 {
                        // Units from before the word index get their words now.
                        let tx = conn.transaction().map_err(err)?;
                        index::index_missing(&tx).map_err(err)?;
                        tx.commit().map_err(err)?;
                    }
                }
            }
            OpenMode::ReadOnly if found < schema::VERSION => {
                return Err(Error::OlderSchema {
                    path: path.to_path_buf(),
                    found,
                    known: schema::VERSION,
                })
            }
            OpenMode::ReadOnly => {}
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            scratch: false,
        })
    }

    /// Rebuilds the word index from the stored text (after normalization rules change). Returns how
    /// many units were indexed.
    pub(crate) fn reindex(&mut self) -> Result<u64> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        index::clear(&tx).map_err(err)?;
        let n = index::index_missing(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(n)
    }

    /// The SQLite connection, for the lookup code that reads the index.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The file this memory lives in.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        |e| sqlite_error(&self.path, e)
    }

    /// Stores one unit, or merges it into the identical pair already stored (same primary languages, same
    /// source and target text and inline markup, to the byte): see [`Added`].
    ///
    /// One transaction; the unit's words go into the word index at once, so the next lookup finds it.
    /// Dates the unit lacks are now, and its user and origin come from `provenance` when it has none
    /// ([`Provenance::origin`] replaces the unit's own).
    pub fn add(&mut self, unit: Unit, provenance: &Provenance) -> Result<Added> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let mut vocab = index::Vocab::for_text(&tx, &unit.source.text).map_err(err)?;
        let prepared = import::Prepared::new(unit, provenance, &now(), &mut vocab);
        let added = import::write_unit(&tx, &prepared, None).map_err(err)?;
        if let Added::New(id) = added {
            upkeep::note_new_unit(&tx, id, upkeep::highest_deleted(&tx).map_err(err)?)
                .map_err(err)?;
            let mut segment = index::SegmentBuilder::default();
            segment.add(id, prepared.words());
            vocab.save(&tx).map_err(err)?;
            segment.write(&tx).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(added)
    }

    /// Every origin in the memory with its number of units, most units first (then by name): what
    /// `--origin` filters on in `list`, `export` and `delete`.
    pub(crate) fn origins(&self) -> Result<Vec<OriginCount>> {
        let err = self.err();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT origin, count(*), max(changed) FROM units GROUP BY origin \
                 ORDER BY count(*) DESC, origin",
            )
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OriginCount {
                    origin: r.get(0)?,
                    units: r.get(1)?,
                    changed: r.get(2)?,
                })
            })
            .map_err(&err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(&err)
    }

    /// Whether any unit's source language has this primary language (`ar` for `ar` and `ar-IQ`),
    /// stopping at the first: a question `tm serve` asks per request, where [`Store::stats`] would
    /// read every unit.
    pub(crate) fn has_source_language(&self, primary: &str) -> Result<bool> {
        let err = self.err();
        self.conn
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM units WHERE lower(src_lang) = lower(?1) \
                 OR src_lang LIKE ?1 || '-%')",
            )
            .and_then(|mut stmt| stmt.query_row([primary], |r| r.get(0)))
            .map_err(err)
    }

    /// Counts, dates and sizes of the whole memory (`tm stats`).
    pub fn stats(&self) -> Result<Stats> {
        let err = self.err();
        let (segments, origins, oldest, newest): (u64, u64, Option<String>, Option<String>) = self
            .conn
            .query_row(
                "SELECT count(*), count(DISTINCT origin), min(created), max(changed) FROM units",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(&err)?;
        let mut stmt = self
            .conn
            .prepare("SELECT src_lang, tgt_lang, count(*) FROM units GROUP BY src_lang, tgt_lang")
            .map_err(&err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u64>(2)?,
                ))
            })
            .map_err(&err)?;
        let mut pairs: Vec<PairCount> = Vec::new();
        for row in rows {
            let (src, tgt, n) = row.map_err(&err)?;
            let (src, tgt) = (primary_language(&src), primary_language(&tgt));
            match pairs.iter_mut().find(|p| p.src == src && p.tgt == tgt) {
                Some(p) => p.segments += n,
                None => pairs.push(PairCount {
                    src,
                    tgt,
                    segments: n,
                }),
            }
        }
        pairs.sort_by(|a, b| b.segments.cmp(&a.segments).then(a.src.cmp(&b.src)));
        let size_bytes = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(format!("{}-wal", self.path.display()))
                .map(|m| m.len())
                .unwrap_or(0);
        Ok(Stats {
            segments,
            pairs,
            origins,
            oldest,
            newest,
            schema_version: schema::version(&self.conn).map_err(&err)?,
            path: self.path.clone(),
            size_bytes,
        })
    }

    /// Calls `f` for every unit that passes `filter`, in the order they were stored.
    ///
    /// Streams from SQLite: memory stays flat however large the memory is. Returns how many units `f`
    /// was given; an error from `f` (a full disk while exporting) stops the walk.
    pub fn for_each_unit<E: From<Error>>(
        &self,
        filter: &UnitFilter,
        mut f: impl FnMut(i64, Unit) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        let err = self.err();
        let (clause, values) = filter.sql();
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE {clause} ORDER BY id");
        let mut stmt = self.conn.prepare(&sql).map_err(&err)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values.iter()))
            .map_err(&err)?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let (id, unit) = unit_from_row(row).map_err(&err)?;
            if filter.matches(&unit) {
                f(id, unit)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Calls `f` with the id, source and target text of every unit of a language pair (`filter`'s
    /// languages only: its other criteria must be unset), in the order they were stored, borrowed from
    /// the row. What [`Store::for_each_unit`] does for a reader of the texts alone: `tm check` reads
    /// every unit of a memory, and building each unit's metadata (a dozen strings and its JSON) cost
    /// as much as reading its texts.
    pub(crate) fn for_each_text<E: From<Error>>(
        &self,
        filter: &UnitFilter,
        mut f: impl FnMut(i64, &str, &str) -> std::result::Result<(), E>,
    ) -> std::result::Result<u64, E> {
        debug_assert!(
            filter.ids.is_empty()
                && filter.origin.is_none()
                && filter.source.is_none()
                && filter.since.is_none()
                && filter.user.is_none()
                && filter.search.is_none(),
            "for_each_text filters by language only"
        );
        let err = self.err();
        let mut stmt = self
            .conn
            .prepare("SELECT id, src_lang, tgt_lang, source, target FROM units ORDER BY id")
            .map_err(&err)?;
        let mut rows = stmt.query([]).map_err(&err)?;
        // The languages of the last row and whether they passed: a memory holds few pairs, mostly in runs.
        let mut last: Option<(String, String, bool)> = None;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(&err)? {
            let str_at = |i: usize| -> rusqlite::Result<&str> {
                let value = row.get_ref(i)?;
                let invalid = |e: rusqlite::types::FromSqlError| {
                    rusqlite::Error::FromSqlConversionFailure(
                        i,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                };
                match value {
                    // Validated as `as_str` would, a block of bytes at a time.
                    rusqlite::types::ValueRef::Text(bytes) => simdutf8::basic::from_utf8(bytes)
                        .or_else(|_| value.as_str())
                        .map_err(invalid),
                    _ => value.as_str().map_err(invalid),
                }
            };
            let (src_lang, tgt_lang) = (str_at(1).map_err(&err)?, str_at(2).map_err(&err)?);
            let wanted = match &last {
                Some((s, t, ok)) if s == src_lang && t == tgt_lang => *ok,
                _ => {
                    let ok = filter.matches_language_tags(src_lang, tgt_lang);
                    last = Some((src_lang.to_string(), tgt_lang.to_string(), ok));
                    ok
                }
            };
            if !wanted {
                continue;
            }
            let id: i64 = row.get(0).map_err(&err)?;
            f(id, str_at(3).map_err(&err)?, str_at(4).map_err(&err)?)?;
            n += 1;
        }
        Ok(n)
    }

    /// Pairs of a language pair whose source shares words with `text` (in the source language): for
    /// each word of `text`, the `per_word` newest units that have it (as a stem, clitics and article
    /// off; units of other language pairs among them are then left out), at most `limit` pairs in all,
    /// those sharing the most words first. What an aligner can learn the
    /// words of `text` from. Found through the word index, so the cost follows the text and how rare
    /// its words are, not the size of the memory; words filed under more than
    /// [`COMMON_WORD_POSTINGS`] bytes of postings (في, the) are too common to choose by.
    pub(crate) fn pairs_sharing(
        &self,
        src: &str,
        tgt: &str,
        text: &str,
        per_word: usize,
        limit: usize,
    ) -> Result<Vec<(String, String)>> {
        let err = self.err();
        // One read transaction: each statement alone would take and drop the file's shared lock.
        let _reading = self.conn.unchecked_transaction().map_err(&err)?;
        let reader = index::IndexReader::new(&self.conn);
        let mut stems = rustc_hash::FxHashSet::default();
        for token in crate::text::tokenize(text) {
            if token.number().is_none() {
                if let Some(key) = reader.word(&token.norm).map_err(&err)? {
                    stems.insert(key.stem);
                }
            }
        }
        let mut shared: rustc_hash::FxHashMap<i64, u32> = Default::default();
        for stem in stems {
            let size = reader.postings_size(stem).map_err(&err)?;
            if size == 0 || size > COMMON_WORD_POSTINGS {
                continue;
            }
            let mut units: Vec<i64> = reader
                .postings(stem)
                .map_err(&err)?
                .into_iter()
                .map(|(unit, _)| unit)
                .collect();
            units.sort_unstable_by(|a, b| b.cmp(a));
            units.dedup();
            for unit in units.into_iter().take(per_word) {
                *shared.entry(unit).or_insert(0) += 1;
            }
        }
        let mut ranked: Vec<(i64, u32)> = shared.into_iter().collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        let mut stmt = self
            .conn
            .prepare_cached("SELECT src_lang, tgt_lang, source, target FROM units WHERE id = ?1")
            .map_err(&err)?;
        let mut out = Vec::new();
        for (id, _) in ranked {
            if out.len() == limit {
                break;
            }
            // A deleted unit stays in the postings until its segment is merged.
            let row = stmt
                .query_row([id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                    ))
                })
                .optional()
                .map_err(&err)?;
            if let Some((s, t, source, target)) = row {
                if crate::unit::language_fit(src, &s).is_some()
                    && crate::unit::language_fit(tgt, &t).is_some()
                {
                    out.push((source, target));
                }
            }
        }
        Ok(out)
    }

    /// One unit by id (`None`: no unit has it).
    pub fn get(&self, id: i64) -> Result<Option<Unit>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = ?1");
        self.conn
            .query_row(&sql, rusqlite::params![id], |r| {
                unit_from_row(r).map(|(_, u)| u)
            })
            .optional()
            .map_err(self.err())
    }
}

/// Postings larger than this (about 20,000 units) belong to words too common to pick examples by.
pub(crate) const COMMON_WORD_POSTINGS: u64 = 64 * 1024;

/// Columns read back into a [`Unit`], in the order [`unit_from_row`] expects.
const UNIT_COLUMNS: &str = "id, src_lang, tgt_lang, source, target, source_markup, target_markup, \
     tuid, origin, created, created_by, changed, changed_by, use_count, meta";

fn unit_from_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, Unit)> {
    let meta: Option<String> = r.get(14)?;
    let meta: Meta = match meta {
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(14, rusqlite::types::Type::Text, Box::new(e))
        })?,
        None => Meta::default(),
    };
    Ok((
        r.get(0)?,
        Unit {
            src_lang: r.get(1)?,
            tgt_lang: r.get(2)?,
            source: Segment {
                text: r.get(3)?,
                markup: r.get(5)?,
            },
            target: Segment {
                text: r.get(4)?,
                markup: r.get(6)?,
            },
            tuid: r.get(7)?,
            origin: r.get(8)?,
            created: r.get(9)?,
            created_by: r.get(10)?,
            changed: r.get(11)?,
            changed_by: r.get(12)?,
            usage_count: Some(u32::try_from(r.get::<_, i64>(13)?.max(0)).unwrap_or(u32::MAX)),
            meta,
        },
    ))
}

/// A stable 64-bit hash of text (xxh3, specified, unlike std's hasher: these values are persisted).
pub(crate) fn stable_hash(parts: &[&str]) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    h.digest() as i64
}

/// The hash of a source segment's words in their matching form (punctuation aside), stored beside it:
/// the identity of a segment for context matches and `dedupe`.
pub fn norm_hash(text: &str) -> i64 {
    let tokens = crate::text::tokenize(text);
    tokens_hash(tokens.iter().map(|t| t.norm.as_str()))
}

/// [`norm_hash`] from words already split and folded (an import has them anyway).
pub(crate) fn tokens_hash<'a>(words: impl Iterator<Item = &'a str>) -> i64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for w in words {
        h.update(w.as_bytes());
        h.update(&[0]);
    }
    h.digest() as i64
}

/// The current time in TMX's date format (`20240925T101500Z`).
pub(crate) fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Maps SQLite's errors to the ones a user can act on.
pub(crate) fn sqlite_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        match f.code {
            ErrorCode::NotADatabase => return Error::NotAMemory { path },
            ErrorCode::ReadOnly if f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK => {
                return Error::HotJournal { path }
            }
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => return Error::Busy { path },
            ErrorCode::DiskFull => return Error::DiskFull { path },
            ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
                return Error::ReadOnly {
                    reason: read_only_reason(&path, msg.as_deref().unwrap_or(&f.to_string())),
                    path,
                }
            }
            ErrorCode::DatabaseCorrupt => {
                return Error::Damaged {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                }
            }
            ErrorCode::SystemIoFailure => {
                return Error::DiskIo {
                    path,
                    code: f.extended_code,
                }
            }
            _ => {}
        }
    }
    match &e {
        // A stored value that is not what the schema says (text that is not UTF-8, a number where text
        // belongs): the file was damaged or written by another program.
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::Utf8Error(..) => Error::Damaged {
            path,
            detail: format!("a stored value cannot be read: {e}"),
        },
        _ => Error::Sqlite { path, source: e },
    }
}

/// `PRAGMA quick_check`: the structure of every page and index entry, without comparing index contents
/// with their tables (that is `integrity_check`, several times slower; `tm doctor` runs it).
fn check_quick(conn: &Connection, path: &Path) -> Result<()> {
    let problems = check_pragma(conn, path, "quick_check", 1)?;
    match problems.into_iter().next() {
        None => Ok(()),
        Some(detail) => Err(Error::Damaged {
            path: path.to_path_buf(),
            detail: format!("SQLite's check says: {detail}"),
        }),
    }
}

/// The problems a check pragma reports, at most `limit` (none: the file is whole).
fn check_pragma(conn: &Connection, path: &Path, pragma: &str, limit: u32) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA {pragma}({limit})"))
        .map_err(|e| sqlite_error(path, e))?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(|e| sqlite_error(path, e))?;
    let mut problems = Vec::new();
    for row in rows {
        let row = row.map_err(|e| sqlite_error(path, e))?;
        if row != "ok" {
            problems.push(row);
        }
    }
    Ok(problems)
}

/// Whether this process may write `path` (access(2): the user's own rights, not only the mode bits).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Why SQLite could not write: the file, or its folder (SQLite creates the -wal and -shm files beside
/// the memory, so a writable file in a read-only folder cannot be written either).
fn read_only_reason(path: &Path, sqlite: &str) -> String {
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if writable(path) && !writable(folder) {
        format!(
            "its folder {} is read-only, and SQLite must create files beside the memory ({sqlite})",
            folder.display()
        )
    } else {
        sqlite.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(store: &mut Store, (src, tgt): (&str, &str), ar: &str, en: &str) {
        let unit = Unit::new(src, tgt, Segment::plain(ar), Segment::plain(en));
        store.add(unit, &Provenance::default()).unwrap();
    }

    /// SQLite takes milliseconds in an `i32`: a longer timeout is capped, never a panic.
    #[test]
    fn any_busy_timeout_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memory.db");
        for timeout in [Duration::ZERO, Duration::from_micros(500), Duration::MAX] {
            let options = OpenOptions::new().busy_timeout(timeout);
            Store::open_with(&path, OpenMode::ReadWrite, &options).unwrap();
            Store::open_with(&path, OpenMode::ReadOnly, &options).unwrap();
        }
        assert_eq!(
            OpenOptions::new().busy_timeout(Duration::MAX),
            OpenOptions::new().busy_timeout(MAX_BUSY_TIMEOUT)
        );
        assert_eq!(OpenOptions::default(), OpenOptions::new());
        assert_eq!(OpenOptions::new().busy_timeout, DEFAULT_BUSY_TIMEOUT);
    }

    #[test]
    fn a_source_language_is_known_by_its_primary_subtag() {
        let mut store = Store::in_memory().unwrap();
        add(&mut store, ("ar-IQ", "en"), "مرحبا", "Hello");
        assert!(store.has_source_language("ar").unwrap());
        assert!(store.has_source_language("AR").unwrap());
        assert!(!store.has_source_language("en").unwrap());
        assert!(!store.has_source_language("a").unwrap());
    }

    #[test]
    fn pairs_sharing_a_texts_words_newest_first_capped_per_word() {
        let mut store = Store::in_memory().unwrap();
        let ar_en = ("ar", "en");
        add(
            &mut store,
            ar_en,
            "وصلت قافلة إلى البوكمال",
            "A convoy reached Al-Bukamal",
        );
        add(
            &mut store,
            ar_en,
            "قصف في البوكمال",
            "Shelling in Al-Bukamal",
        );
        add(
            &mut store,
            ar_en,
            "الحدود مع العراق",
            "The border with Iraq",
        );
        add(
            &mut store,
            ("ar-IQ", "en-GB"),
            "القافلة في البوكمال",
            "The convoy in Al-Bukamal",
        );
        add(
            &mut store,
            ("ar", "fr"),
            "قافلة إلى البوكمال",
            "Un convoi vers Al-Boukamal",
        );
        let text = "دخلت القافلة مدينة البوكمال";
        let english = |per_word, limit| -> Vec<String> {
            let pairs = store
                .pairs_sharing("ar", "en", text, per_word, limit)
                .unwrap();
            pairs.into_iter().map(|(_, en)| en).collect()
        };
        // Sharing two words (قافلة and البوكمال, the article and clitics off) before sharing one; the
        // French pair and the unit sharing nothing are left out; regional tags match a bare one.
        assert_eq!(
            english(10, 100),
            [
                "The convoy in Al-Bukamal",
                "A convoy reached Al-Bukamal",
                "Shelling in Al-Bukamal"
            ]
        );
        // The newest unit for each word is the French one (it has both words): it is dropped.
        assert!(english(1, 100).is_empty());
        assert_eq!(english(2, 100), ["The convoy in Al-Bukamal"]);
        assert_eq!(english(10, 2).len(), 2);
        assert!(store
            .pairs_sharing("ar", "en", "كلمات لم تخزن", 10, 100)
            .unwrap()
            .is_empty());
    }
}
