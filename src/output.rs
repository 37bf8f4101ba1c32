//! Where a command's output goes. Every command that writes a file (export, names export, pretranslate,
//! align and its batch outputs) opens it here, so that one set of rules protects the user's files:
//!
//! - `-` is standard output.
//! - A path that is the memory (or its `-wal`, `-shm`, `-journal`) or an input of the same command is
//!   refused, however it is written (`./m.db`, a link, a hard link): writing it would destroy what is
//!   being read.
//! - A character or block device, a FIFO or a socket is written in place: replacing it with a regular
//!   file would break whatever reads it (`/dev/null`, a pipe another program waits on).
//! - A symbolic link is followed, and its target is written by these same rules; the link stays.
//! - A regular file is written to a temporary file in the same folder (`.NAME.tm-XXXXXX`), flushed to
//!   disk and renamed over the path at [`Output::finish`]: a failed or interrupted command leaves the old
//!   file whole. A new file gets the permissions the umask gives; a replaced one keeps its own. A file
//!   that is read-only or owned by another user is not replaced.
//! - The temporary files of a process are removed on SIGINT, SIGTERM and SIGHUP before it dies of the
//!   signal, and by `Drop` on every error path.
//! - A folder that does not exist is an error: `tm` creates no folder the user named.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Stdout, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::display::clean::clean_keeping_lines;

/// Why an output cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path must not be written: the message says why and what to do.
    #[error("{}: {why}", path.display())]
    Refused { path: PathBuf, why: String },
    #[error("{}: {what}: {source}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        source: io::Error,
    },
}

fn io_error<'a>(path: &'a Path, what: &'static str) -> impl FnOnce(io::Error) -> Error + 'a {
    move |source| Error::Io {
        path: path.to_path_buf(),
        what,
        source,
    }
}

/// The files an output must never be: the memory and the command's inputs.
#[derive(Default)]
pub struct Guard {
    protected: Vec<(FileId, String)>,
    ids: FileIds,
}

impl Guard {
    pub fn new() -> Guard {
        Guard::default()
    }

    /// Protects the memory at `db` and the files SQLite keeps beside it.
    pub fn memory(mut self, db: &Path) -> Guard {
        let what = format!("the memory {}", db.display());
        for path in memory_files(db) {
            let id = self.ids.of(&path);
            self.protected.push((id, what.clone()));
        }
        self
    }

    /// Protects an input file; `what` names it in the message ("the Arabic document").
    pub fn input(mut self, path: &Path, what: &str) -> Guard {
        let id = self.ids.of(path);
        self.protected
            .push((id, format!("{what} {}", path.display())));
        self
    }

    /// Refuses `path` when it is one of the protected files.
    pub fn check(&mut self, path: &Path) -> Result<(), Error> {
        let id = self.ids.of(path);
        match self.protected.iter().find(|(p, _)| *p == id) {
            Some((_, what)) => Err(Error::Refused {
                path: path.to_path_buf(),
                why: format!("this is {what}: writing the output there would destroy it"),
            }),
            None => Ok(()),
        }
    }
}

/// The memory's file and those SQLite keeps beside it.
pub(crate) fn memory_files(db: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    ["", "-wal", "-shm", "-journal"].into_iter().map(|suffix| {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        PathBuf::from(path)
    })
}

/// Which file a path names: an existing file's device and inode (so `./a`, `dir/../a`, a link and a
/// hard link are one file), else its folder's real path joined with its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum FileId {
    Existing((u64, u64)),
    New(PathBuf),
}

/// Works out [`FileId`]s, looking each folder up once (a batch list names thousands of files in a few
/// folders; canonicalizing every path walked each one link by link).
#[derive(Default)]
pub(crate) struct FileIds {
    folders: HashMap<PathBuf, Option<PathBuf>>,
}

impl FileIds {
    pub(crate) fn of(&mut self, path: &Path) -> FileId {
        if let Ok(meta) = fs::metadata(path) {
            if let Some(id) = device_and_inode(&meta) {
                return FileId::Existing(id);
            }
            if let Ok(real) = fs::canonicalize(path) {
                return FileId::New(real);
            }
        }
        let folder = parent(path).to_path_buf();
        let real = self
            .folders
            .entry(folder)
            .or_insert_with_key(|folder| fs::canonicalize(folder).ok());
        match (real, path.file_name()) {
            (Some(real), Some(name)) => FileId::New(real.join(name)),
            _ => FileId::New(path.to_path_buf()),
        }
    }
}

/// A file's device and inode; none where the file system gives no inode (some FUSE and network mounts
/// give 0), whose paths are then compared.
#[cfg(unix)]
fn device_and_inode(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    (meta.ino() != 0).then(|| (meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn device_and_inode(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The folder a path is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// An output being written. Nothing reaches a regular file's path until [`Output::finish`]; dropping an
/// unfinished output removes its temporary file.
pub struct Output {
    path: PathBuf,
    sink: Sink,
}

enum Sink {
    Stdout(BufWriter<Stdout>),
    Terminal(TerminalWriter<BufWriter<Stdout>>),
    InPlace(BufWriter<File>),
    Replace {
        file: BufWriter<File>,
        tmp: Temporary,
        /// Where the rename goes: the path, or the real file behind a link.
        target: PathBuf,
    },
}

impl Output {
    /// Opens `path` for writing by the rules of this module; `guard` holds the files it must not be.
    pub fn create(path: &Path, guard: &mut Guard) -> Result<Output, Error> {
        if path.as_os_str() == "-" {
            return Ok(Output::stdout());
        }
        guard.check(path)?;
        let sink = match fs::symlink_metadata(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => replace(path, path, None)?,
            Err(e) => return Err(io_error(path, "cannot look at it")(e)),
            Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(path) {
                // Follow the link and write its target by the same rules; the link stays as it is.
                Ok(real) => match fs::metadata(&real) {
                    Ok(meta) => existing(path, &real, &meta)?,
                    Err(e) => return Err(io_error(path, "cannot look at it")(e)),
                },
                // A link to nothing yet: create its target through it.
                Err(_) => in_place(path, true)?,
            },
            Ok(meta) => existing(path, path, &meta)?,
        };
        Ok(Output {
            path: path.to_path_buf(),
            sink,
        })
    }

    /// Standard output, buffered. On a terminal, text from data is cleaned of escape sequences and bidi
    /// overrides as it passes (see [`crate::display::clean`]); lines and tabs stay. Piped or redirected,
    /// it is the exact text.
    pub fn stdout() -> Output {
        let stdout = BufWriter::new(io::stdout());
        let sink = if io::stdout().is_terminal() {
            Sink::Terminal(TerminalWriter::new(stdout))
        } else {
            Sink::Stdout(stdout)
        };
        Output {
            path: PathBuf::from("-"),
            sink,
        }
    }

    pub fn is_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout(_) | Sink::Terminal(_))
    }

    /// A name for messages: the path, or "standard output".
    pub fn name(&self) -> String {
        if self.is_stdout() {
            "standard output".to_string()
        } else {
            self.path.display().to_string()
        }
    }

    /// Flushes everything and, for a regular file, moves it into place.
    pub fn finish(self) -> Result<(), Error> {
        let path = self.path;
        match self.sink {
            Sink::Stdout(mut out) => out.flush().map_err(io_error(&path, "writing")),
            Sink::Terminal(mut out) => out.flush().map_err(io_error(&path, "writing")),
            Sink::InPlace(mut out) => out.flush().map_err(io_error(&path, "writing")),
            Sink::Replace { file, tmp, target } => {
                let file = file
                    .into_inner()
                    .map_err(|e| io_error(&path, "writing")(e.into_error()))?;
                // On disk before the rename: after a crash the path holds the old file or the new one.
                file.sync_all().map_err(io_error(&path, "writing"))?;
                drop(file);
                tmp.persist(&target)
                    .map_err(io_error(&path, "cannot move the finished file into place"))
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write(buf),
            Sink::Terminal(out) => out.write(buf),
            Sink::InPlace(out) => out.write(buf),
            Sink::Replace { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::Terminal(out) => out.write_all(buf),
            Sink::InPlace(out) => out.write_all(buf),
            Sink::Replace { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(out) => out.flush(),
            Sink::Terminal(out) => out.flush(),
            Sink::InPlace(out) => out.flush(),
            Sink::Replace { file, .. } => file.flush(),
        }
    }
}

/// Cleans text on its way to a terminal. Writes may cut a character in two: its first bytes wait for
/// the rest.
struct TerminalWriter<W: Write> {
    out: W,
    pending: Vec<u8>,
}

impl<W: Write> TerminalWriter<W> {
    fn new(out: W) -> TerminalWriter<W> {
        TerminalWriter {
            out,
            pending: Vec::new(),
        }
    }

    fn write_clean(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(clean_keeping_lines(text).as_bytes())
    }
}

impl<W: Write> Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.write_clean(text)?;
                    rest = &[];
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    // Checked by from_utf8 just above.
                    self.write_clean(std::str::from_utf8(valid).unwrap_or_default())?;
                    match e.error_len() {
                        // A character cut by the end of this write: kept for the next.
                        None => {
                            self.pending.extend_from_slice(after);
                            rest = &[];
                        }
                        Some(n) => {
                            self.out.write_all("\u{FFFD}".as_bytes())?;
                            rest = &after[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.out.write_all("\u{FFFD}".as_bytes())?;
            self.pending.clear();
        }
        self.out.flush()
    }
}

/// The sink for an existing node at `real` (`path` as the user wrote it, for messages).
fn existing(path: &Path, real: &Path, meta: &fs::Metadata) -> Result<Sink, Error> {
    let refuse = |why: String| Error::Refused {
        path: path.to_path_buf(),
        why,
    };
    if meta.is_dir() {
        return Err(refuse("this is a folder: give a file name".to_string()));
    }
    if !meta.is_file() {
        // A device, a FIFO or a socket.
        return in_place(path, false);
    }
    if meta.permissions().readonly() {
        return Err(refuse(
            "the file is read-only, so it is not replaced: make it writable or choose another name"
                .to_string(),
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(refuse(format!(
                "the file belongs to another user (uid {}), so it is not replaced: choose another name",
                meta.uid()
            )));
        }
    }
    replace(path, real, Some(meta.permissions()))
}

/// Writes the node at `path` in place (a device, a FIFO, or a new file behind a dangling link).
fn in_place(path: &Path, create: bool) -> Result<Sink, Error> {
    let file = fs::OpenOptions::new()
        .write(true)
        .create(create)
        .truncate(create)
        .open(path)
        .map_err(io_error(path, "cannot write"))?;
    Ok(Sink::InPlace(BufWriter::with_capacity(1 << 16, file)))
}

/// A temporary file beside `target`, to be renamed over it; with the permissions of the file it replaces,
/// or for a new file those the umask gives.
fn replace(path: &Path, target: &Path, keep: Option<fs::Permissions>) -> Result<Sink, Error> {
    let dir = parent(target);
    if !dir.is_dir() {
        return Err(Error::Refused {
            path: path.to_path_buf(),
            why: format!("the folder {} does not exist", dir.display()),
        });
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.tm-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode a new file gets from open(2): 0666 less the umask.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let (file, tmp) = Temporary::create(&builder, dir)
        .map_err(io_error(path, "cannot create a file in its folder"))?;
    if let Some(perms) = keep {
        fs::set_permissions(tmp.path(), perms).map_err(io_error(path, "cannot set permissions"))?;
    }
    Ok(Sink::Replace {
        file: BufWriter::with_capacity(1 << 16, file),
        tmp,
        target: target.to_path_buf(),
    })
}

/// A temporary file known to the signal handler, removed on drop unless persisted.
struct Temporary {
    path: Option<tempfile::TempPath>,
}

/// The temporary files of this process, for the signal handler.
fn registry() -> &'static Mutex<Vec<PathBuf>> {
    static REGISTRY: OnceLock<Mutex<Vec<PathBuf>>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        watch_signals();
        Mutex::new(Vec::new())
    })
}

impl Temporary {
    fn create(builder: &tempfile::Builder, dir: &Path) -> io::Result<(File, Temporary)> {
        // Registered under the lock it is created under: a signal in between cannot miss it.
        let mut live = registry().lock().unwrap_or_else(|e| e.into_inner());
        let (file, path) = builder.tempfile_in(dir)?.into_parts();
        live.push(path.to_path_buf());
        Ok((file, Temporary { path: Some(path) }))
    }

    fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    fn persist(mut self, target: &Path) -> io::Result<()> {
        let Some(path) = self.path.take() else {
            return Ok(());
        };
        let mut live = registry().lock().unwrap_or_else(|e| e.into_inner());
        live.retain(|p| p != &*path);
        match path.persist(target) {
            Ok(()) => Ok(()),
            Err(e) => Err(e.error), // e.path is dropped here, which removes the file
        }
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let mut live = registry().lock().unwrap_or_else(|e| e.into_inner());
            live.retain(|p| p != &*path);
            drop(path); // removes the file
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: removes the live temporary files, then dies of the signal as the
/// default handler would (the exit status still says which signal).
#[cfg(unix)]
fn watch_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("tm-signals".to_string())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Waits for a rename under way, so that a finished file is not lost either.
                let live = registry().lock().unwrap_or_else(|e| e.into_inner());
                for path in live.iter() {
                    let _ = fs::remove_file(path);
                }
                drop(live);
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
}

#[cfg(not(unix))]
fn watch_signals() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, guard: &mut Guard, text: &str) -> Result<(), Error> {
        let mut out = Output::create(path, guard)?;
        out.write_all(text.as_bytes()).unwrap();
        out.finish()
    }

    /// The names in a folder, to see that no temporary file is left.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.tmx");
        let mut out = Output::create(&path, &mut Guard::new()).unwrap();
        out.write_all(b"<tmx/>").unwrap();
        out.flush().unwrap();
        assert!(!path.exists());
        out.finish().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "<tmx/>");
        assert_eq!(names(dir.path()), ["out.tmx"]);
    }

    #[test]
    fn an_unfinished_output_leaves_the_old_file_and_no_litter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.tsv");
        fs::write(&path, "old").unwrap();
        let mut out = Output::create(&path, &mut Guard::new()).unwrap();
        out.write_all(b"new, but the command failed").unwrap();
        drop(out);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["out.tsv"]);
    }

    #[test]
    fn the_memory_and_inputs_are_refused_however_they_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.db");
        let input = dir.path().join("doc.txt");
        fs::write(&db, "memory").unwrap();
        fs::write(&input, "input").unwrap();
        let mut guard = Guard::new().memory(&db).input(&input, "the document");
        let sub = dir.path().join("sub");
        fs::create_dir(&sub).unwrap();
        for path in [
            db.clone(),
            sub.join("../m.db"),
            dir.path().join("m.db-wal"),
            dir.path().join("m.db-shm"),
            input.clone(),
        ] {
            let err = write(&path, &mut guard, "x").unwrap_err().to_string();
            assert!(
                err.contains("writing the output there would destroy it"),
                "{err}"
            );
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            let hard = dir.path().join("hard");
            fs::hard_link(&input, &hard).unwrap();
            for path in [link, hard] {
                assert!(matches!(
                    write(&path, &mut guard, "x"),
                    Err(Error::Refused { .. })
                ));
            }
        }
        assert_eq!(fs::read_to_string(&db).unwrap(), "memory");
        assert_eq!(fs::read_to_string(&input).unwrap(), "input");
        assert!(!dir.path().join("m.db-wal").exists());
    }

    #[test]
    fn a_missing_folder_is_an_error_and_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/out.tmx");
        let err = write(&path, &mut Guard::new(), "x")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("no/such does not exist"), "{err}");
        assert!(!dir.path().join("no").exists());
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(dir.path(), &mut Guard::new(), "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("this is a folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn modes_follow_the_umask_for_new_files_and_are_kept_for_old_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // What the umask gives a file made the ordinary way, whatever this process's umask is.
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let new = dir.path().join("new.tmx");
        write(&new, &mut Guard::new(), "x").unwrap();
        assert_eq!(mode(&new), mode(&probe));
        let old = dir.path().join("old.tmx");
        fs::write(&old, "old").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o664)).unwrap();
        write(&old, &mut Guard::new(), "new").unwrap();
        assert_eq!(mode(&old), 0o664);
        assert_eq!(fs::read_to_string(&old).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_not_replaced() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ro.tmx");
        fs::write(&path, "keep").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        let err = write(&path, &mut Guard::new(), "x")
            .unwrap_err()
            .to_string();
        assert!(err.contains("read-only"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "keep");
        assert_eq!(names(dir.path()), ["ro.tmx"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_its_target_gets_the_text() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.tsv");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.tsv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write(&link, &mut Guard::new(), "new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        // A link to a file not yet there creates it.
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("later.tsv"), &dangling).unwrap();
        write(&dangling, &mut Guard::new(), "later").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("later.tsv")).unwrap(),
            "later"
        );
    }

    #[test]
    fn a_terminal_gets_no_escapes_even_from_a_character_cut_in_two() {
        let mut out = TerminalWriter::new(Vec::new());
        let text = "حزب\u{1b}]52;c;eA==\u{7}\tالله\u{202e}\n".as_bytes();
        // Every cut, so that characters are split across writes.
        for cut in 0..text.len() {
            out.out.clear();
            out.write_all(&text[..cut]).unwrap();
            out.write_all(&text[cut..]).unwrap();
            out.flush().unwrap();
            assert_eq!(
                String::from_utf8(out.out.clone()).unwrap(),
                "حزب ]52;c;eA== \tالله \n",
                "cut at {cut}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_in_place() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        write(null, &mut Guard::new(), "nothing").unwrap();
        use std::os::unix::fs::FileTypeExt;
        assert!(fs::metadata(null).unwrap().file_type().is_char_device());
    }
}
