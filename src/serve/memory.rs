//! The memory as the server holds it: read connections shared by the requests, one writer thread, and
//! a watch on the file for whatever changed it (this server or a `tm` command beside it).
//!
//! SQLite in WAL mode lets readers and one writer work at once, and a reader sees every commit made
//! before its read begins, whichever process made it: a `tm import` while the server runs is in the
//! next lookup's answer. Writes go through one thread that owns the only writing connection, so they
//! never wait on each other's locks inside the server, and they leave in the order they came.

use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::{oneshot, Semaphore};

use super::http::ApiError;
use crate::fuzzy::{LookupOptions, Matcher, PostingsCache};
use crate::store::{OpenMode, OpenOptions, Store};

/// A job for the writer thread: it gets the writing connection and sends its own answer back.
type WriteJob = Box<dyn FnOnce(&mut Store) + Send>;

pub(super) struct Memory {
    path: PathBuf,
    options: OpenOptions,
    /// Read connections not in use; a request takes one and gives it back.
    idle: Mutex<Vec<Reader>>,
    /// Reads at once, one per core: lookups are CPU work, so more only adds waiting inside the
    /// machine instead of in the queue (two per core gave a higher p99 under load, BENCHMARKS.md).
    reads: Semaphore,
    /// To the writer thread; `None` when the server was started `--read-only`.
    writer: Mutex<Option<mpsc::Sender<WriteJob>>>,
    writer_thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// A connection that only asks SQLite whether the file changed (`PRAGMA data_version` moves when
    /// any other connection, in any process, commits), and how many changes it has seen.
    watch: Mutex<Watch>,
    /// Unique to this run of the server: versions (ETags) of one run never match another's.
    run: u64,
    /// What lookups have read of the word index, for all read connections: each list is read once,
    /// not once per connection.
    postings: Arc<PostingsCache>,
}

struct Watch {
    conn: Connection,
    data_version: i64,
    changes: u64,
}

impl Memory {
    /// Opens the memory at `path` for reading, and for writing unless `read_only`.
    pub(super) fn open(
        path: &Path,
        options: OpenOptions,
        read_only: bool,
    ) -> anyhow::Result<Memory> {
        // Opening once here reports a missing or foreign file before the server listens.
        let first = Store::open_with(path, OpenMode::ReadOnly, &options)?;
        let (writer, writer_thread) = if read_only {
            (None, None)
        } else {
            let mut store = Store::open_with(path, OpenMode::ReadWrite, &options)?;
            let (send, jobs) = mpsc::channel::<WriteJob>();
            let thread = std::thread::Builder::new()
                .name("tm-serve-writer".into())
                .spawn(move || {
                    for job in jobs {
                        job(&mut store);
                    }
                })?;
            (Some(send), Some(thread))
        };
        let conn = Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let data_version = data_version(&conn)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        // As much as the four caches of one per connection could hold before (256 MB), in one.
        let postings = Arc::new(PostingsCache::with_capacity(16_000_000));
        Ok(Memory {
            path: path.to_path_buf(),
            options,
            idle: Mutex::new(vec![Reader::new(first, postings.clone())?]),
            reads: Semaphore::new(cores),
            writer: Mutex::new(writer),
            writer_thread: Mutex::new(writer_thread),
            watch: Mutex::new(Watch {
                conn,
                data_version,
                changes: 0,
            }),
            run,
            postings,
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn is_read_only(&self) -> bool {
        lock(&self.writer).is_none()
    }

    /// Runs `f` with a read connection on a thread that may block, at most a few at once.
    pub(super) async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Reader) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self
            .reads
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("the server is stopping"))?;
        let memory = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut reader = memory.take_reader()?;
            let answer = f(&mut reader);
            lock(&memory.idle).push(reader);
            answer
        })
        .await
        .map_err(|_| ApiError::internal("a read failed (a bug in tm)"))?
    }

    /// Runs `f` with a read connection on a thread that may block, and returns at once: for a long
    /// answer written as it is read (an export). It does not count against the reads at once; the
    /// caller bounds it.
    pub(super) fn spawn_read<F>(self: &Arc<Self>, f: F)
    where
        F: FnOnce(Result<&Store, ApiError>) + Send + 'static,
    {
        let memory = self.clone();
        tokio::task::spawn_blocking(move || match memory.take_reader() {
            Ok(reader) => {
                f(Ok(&reader.store));
                lock(&memory.idle).push(reader);
            }
            Err(e) => f(Err(e)),
        });
    }

    fn take_reader(&self) -> Result<Reader, ApiError> {
        if let Some(reader) = lock(&self.idle).pop() {
            return Ok(reader);
        }
        let store = Store::open_with(&self.path, OpenMode::ReadOnly, &self.options)?;
        Ok(Reader::new(store, self.postings.clone())?)
    }

    /// Runs `f` on the writer thread, after the writes that came before it.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        let job: WriteJob = Box::new(move |store| {
            let _ = answer.send(f(store));
        });
        match &*lock(&self.writer) {
            None => return Err(ApiError::read_only()),
            Some(writer) => writer
                .send(job)
                .map_err(|_| ApiError::unavailable("the server is stopping"))?,
        }
        answered
            .await
            .map_err(|_| ApiError::internal("a write failed (a bug in tm)"))?
    }

    /// The memory's version: the same string as long as nothing has been committed to the file since
    /// the last call that returned it. It stands for the content, without reading any of it.
    pub(super) fn version(&self) -> Result<String, ApiError> {
        let mut watch = lock(&self.watch);
        let now = data_version(&watch.conn).map_err(|e| ApiError::from(anyhow::Error::from(e)))?;
        if now != watch.data_version {
            watch.data_version = now;
            watch.changes += 1;
        }
        Ok(format!("{:x}-{}", self.run, watch.changes))
    }

    /// Lets the writer finish what it was given and waits for it: nothing accepted is lost.
    pub(super) fn close(&self) {
        lock(&self.writer).take();
        if let Some(thread) = lock(&self.writer_thread).take() {
            let _ = thread.join();
        }
    }
}

/// A read connection, with the postings cache that all of them share: a batch lookup on the command
/// line keeps the postings it read for the next query, and so does the server, for the next request,
/// brought up to date when anything is committed to the memory.
pub(super) struct Reader {
    pub store: Store,
    postings: Arc<PostingsCache>,
    /// The connection's `PRAGMA data_version` when it last made sure `postings` was current.
    seen: i64,
}

impl Reader {
    fn new(store: Store, postings: Arc<PostingsCache>) -> anyhow::Result<Reader> {
        // Pages read through a mapping of the file, not copied into each connection's page cache.
        store.conn().pragma_update(None, "mmap_size", 1i64 << 30)?;
        // The version first: a commit after it moves it again, and the next request advances.
        let seen = data_version(store.conn())?;
        postings.advance(store.conn())?;
        Ok(Reader {
            store,
            postings,
            seen,
        })
    }

    /// A matcher that goes on with the postings earlier requests read, on any connection, brought up
    /// to date first when this connection sees that anything was committed since it last looked (an
    /// import adds segments; an add merges small ones; an edit marks units stale; a reindex empties
    /// the cache).
    pub(super) fn matcher(&mut self, opts: LookupOptions) -> Result<Matcher<'_>, ApiError> {
        let now =
            data_version(self.store.conn()).map_err(|e| ApiError::from(anyhow::Error::from(e)))?;
        if now != self.seen {
            self.postings
                .advance(self.store.conn())
                .map_err(|e| ApiError::from(anyhow::Error::from(e)))?;
            self.seen = now;
        }
        Ok(Matcher::with_cache(
            &self.store,
            opts,
            self.postings.clone(),
        ))
    }
}

fn data_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}

/// Locks a mutex; a thread that panicked while holding it left nothing half done that matters here
/// (a list of idle connections, a sender), so the lock is taken anyway.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
