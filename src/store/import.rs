//! Bringing files into the memory: one transaction, two threads.
//!
//! One thread reads and parses the files and prepares each unit (matching form, pair hash); the calling
//! thread writes batches into SQLite. All files of one call go in one transaction, so a failure anywhere
//! (a malformed file, a full disk) leaves the memory exactly as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::index::{encode_words, SegmentBuilder, Vocab, SEGMENT_UNITS};
use super::upkeep::{highest_deleted, note_new_unit};
use super::WordKey;
use super::{now, sqlite_error, stable_hash, tokens_hash, Added, Error, Provenance, Result, Store};
use crate::formats::{open_units, Format, FormatError, LeftOut, Position, ReadOptions, UnitReader};
use crate::text::tokenize;
use crate::unit::{primary_language, Unit};

/// A rough size of one unit in an interchange file, to estimate how many units an import brings.
const BYTES_PER_UNIT: u64 = 400;

/// Units per message between the reader and the writer thread.
const BATCH: usize = 512;

/// How an import treats bad units and where units come from.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Who imports and under which origin (else each unit's own, else the file's name).
    pub provenance: Provenance,
    /// Import the good units and report the bad ones, instead of failing on the first.
    pub skip_invalid: bool,
}

/// A unit passed over by `--skip-invalid`.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    /// The file (or stream name) the unit was in.
    pub file: PathBuf,
    /// Where the unit was, when the reader knows (from 1).
    pub line: Option<u64>,
    /// The column of that place, in characters (from 1).
    pub col: Option<u64>,
    /// What was wrong with it.
    pub error: String,
}

/// What happened to one file.
#[derive(Clone, Debug, Serialize, Default)]
pub struct FileReport {
    /// The file, or the stream's name.
    pub file: PathBuf,
    /// The format it was read in (`tmx`, `tsv`, `csv`).
    pub format: String,
    /// Units read from the file (added + merged).
    pub units: u64,
    /// Stored as new units.
    pub added: u64,
    /// Identical to a unit already stored (dates, origin and use count updated).
    pub merged: u64,
    /// Passed over as invalid (with `--skip-invalid`).
    pub skipped: u64,
    /// Passed over on purpose, and why: units of other language pairs, XLIFF segments not confirmed
    /// or not translated.
    pub left_out: LeftOut,
}

/// What an import did.
#[derive(Clone, Debug, Serialize, Default)]
pub struct ImportReport {
    /// Each file or stream, in the order given.
    pub files: Vec<FileReport>,
    /// Units read from all of them (added + merged).
    pub units: u64,
    /// Stored as new units.
    pub added: u64,
    /// Identical to a unit already stored, which was updated instead.
    pub merged: u64,
    /// Passed over as invalid (with `--skip-invalid`).
    pub skipped: u64,
    /// Where the skipped units were and why (with `--skip-invalid`).
    pub skipped_units: Vec<Skipped>,
    /// Units and segments of all files passed over on purpose, and why.
    pub left_out: LeftOut,
}

/// A unit ready to be written: its columns computed off the writer thread.
pub(super) struct Prepared {
    unit: Unit,
    norm_hash: i64,
    pair_hash: i64,
    /// The source's words as vocabulary ids, and their encoding for `units.words`.
    words: Vec<WordKey>,
    words_blob: Vec<u8>,
    /// Matching-form hashes of the segments before and after this one in its file.
    prev_hash: Option<i64>,
    next_hash: Option<i64>,
    meta: Option<String>,
    created: String,
    changed: String,
    created_by: Option<String>,
    changed_by: Option<String>,
}

impl Prepared {
    pub(super) fn new(
        mut unit: Unit,
        provenance: &Provenance,
        now: &str,
        vocab: &mut Vocab,
    ) -> Prepared {
        if provenance.origin.is_some() {
            unit.origin.clone_from(&provenance.origin);
        }
        let created = unit.created.take().unwrap_or_else(|| now.to_string());
        let changed = unit.changed.take().unwrap_or_else(|| created.clone());
        let created_by = unit.created_by.take().or_else(|| provenance.user.clone());
        let changed_by = unit.changed_by.take().or_else(|| created_by.clone());
        let tokens = tokenize(&unit.source.text);
        let words: Vec<WordKey> = tokens.iter().map(|t| vocab.key(&t.norm)).collect();
        Prepared {
            norm_hash: tokens_hash(tokens.iter().map(|t| t.norm.as_str())),
            pair_hash: pair_hash(&unit),
            words_blob: encode_words(&words),
            words,
            prev_hash: None,
            next_hash: None,
            meta: (!unit.meta.is_empty())
                .then(|| serde_json::to_string(&unit.meta).unwrap_or_default()),
            unit,
            created,
            changed,
            created_by,
            changed_by,
        }
    }
}

impl Prepared {
    pub(super) fn words(&self) -> &[WordKey] {
        &self.words
    }
}

/// The hash of the languages (primary subtags) and the exact texts of a pair.
///
/// Inline markup is part of a segment's identity: two units with the same words but other tags are two
/// translations a CAT tool must be able to get back.
pub(super) fn pair_hash(unit: &Unit) -> i64 {
    stable_hash(&[
        &primary_language(&unit.src_lang),
        &primary_language(&unit.tgt_lang),
        &unit.source.text,
        &unit.target.text,
        unit.source.markup.as_deref().unwrap_or(""),
        unit.target.markup.as_deref().unwrap_or(""),
    ])
}

/// Writes one unit inside a transaction: a new row, or an update of the identical pair.
///
/// `known`, when given, holds the pair hash of every stored unit: a unit whose hash is not in it is
/// certainly new, and the look-up of its pair is skipped (the look-up is most of an import's cost).
pub(super) fn write_unit(
    tx: &Transaction,
    p: &Prepared,
    known: Option<&mut HashSet<i64>>,
) -> rusqlite::Result<Added> {
    let maybe_stored = match known {
        Some(known) => !known.insert(p.pair_hash),
        None => true,
    };
    let existing: Option<i64> = if !maybe_stored {
        None
    } else {
        tx.prepare_cached(
            "SELECT id FROM units WHERE pair_hash = ?1 AND source = ?2 AND target = ?3
                 AND source_markup IS ?4 AND target_markup IS ?5 LIMIT 1",
        )?
        .query_row(
            params![
                p.pair_hash,
                p.unit.source.text,
                p.unit.target.text,
                p.unit.source.markup,
                p.unit.target.markup
            ],
            |r| r.get(0),
        )
        .optional()?
    };
    if let Some(id) = existing {
        tx.prepare_cached(
            "UPDATE units SET
                changed = max(changed, ?2),
                changed_by = coalesce(?3, changed_by),
                origin = coalesce(?4, origin),
                use_count = min(use_count + 1, 4294967295)
             WHERE id = ?1",
        )?
        .execute(params![id, p.changed, p.changed_by, p.unit.origin])?;
        return Ok(Added::Merged(id));
    }
    tx.prepare_cached(
        "INSERT INTO units (src_lang, tgt_lang, source, target, source_markup, target_markup,
             norm_hash, pair_hash, tuid, origin, created, created_by, changed, changed_by,
             use_count, meta, words, prev_hash, next_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19)",
    )?
    .execute(params![
        p.unit.src_lang,
        p.unit.tgt_lang,
        p.unit.source.text,
        p.unit.target.text,
        p.unit.source.markup,
        p.unit.target.markup,
        p.norm_hash,
        p.pair_hash,
        p.unit.tuid,
        p.unit.origin,
        p.created,
        p.created_by,
        p.changed,
        p.changed_by,
        p.unit.usage_count.unwrap_or(1).max(1),
        p.meta,
        p.words_blob,
        p.prev_hash,
        p.next_hash,
    ])?;
    Ok(Added::New(tx.last_insert_rowid()))
}

/// One input file and how to read it.
#[derive(Clone, Debug)]
pub struct ImportFile {
    /// The file.
    pub path: PathBuf,
    /// Its format (from the flag, else its extension).
    pub format: Format,
}

/// Where an import's units come from: a file to read, or units from elsewhere (`tm align --import`,
/// a pipe), which go through the same single transaction without a detour through a temporary file.
enum Source<'a> {
    File(ImportFile),
    Units {
        label: PathBuf,
        units: Box<dyn UnitReader + 'a>,
    },
}

impl Source<'_> {
    fn label(&self) -> (&Path, String) {
        match self {
            Source::File(f) => (&f.path, f.format.to_string()),
            Source::Units { label, .. } => (label, "units".to_string()),
        }
    }
}

/// Units from an iterator, as a reader: it has no bytes to count.
struct InHand<I>(I);

impl<I: Iterator<Item = std::result::Result<Unit, FormatError>>> Iterator for InHand<I> {
    type Item = std::result::Result<Unit, FormatError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<I: Iterator<Item = std::result::Result<Unit, FormatError>> + Send> UnitReader for InHand<I> {
    fn bytes_read(&self) -> u64 {
        0
    }
}

/// What travels from the reader thread to the writer.
enum Message {
    StartFile(usize),
    Units(Vec<Prepared>),
    Skipped(FormatError),
    LeftOut(LeftOut),
    Failed(FormatError),
}

impl Store {
    /// Imports files in one transaction. `progress` is called with the total bytes read so far.
    ///
    /// Without `skip_invalid`, the first bad unit fails the whole import and nothing is stored. A file that
    /// is not readable at all (not XML, wrong encoding, truncated) always fails it.
    pub fn import(
        &mut self,
        files: &[ImportFile],
        read: &ReadOptions,
        opts: &ImportOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ImportReport> {
        let sources = files.iter().cloned().map(Source::File).collect();
        self.import_sources(sources, read, opts, progress)
    }

    /// Imports units from anywhere (aligned pairs, a reader over a pipe) in one transaction, as
    /// [`Store::import`] does a file: `label` names them in the report and is their origin when they
    /// have none. Their order is kept, so neighbouring units are each other's context; an error is
    /// treated as a file's would be (skipped with `skip_invalid` if it concerns one unit).
    pub fn import_units<I>(
        &mut self,
        label: &Path,
        units: I,
        read: &ReadOptions,
        opts: &ImportOptions,
    ) -> Result<ImportReport>
    where
        I: Iterator<Item = std::result::Result<Unit, FormatError>> + Send,
    {
        let sources = vec![Source::Units {
            label: label.to_path_buf(),
            units: Box::new(InHand(units)),
        }];
        self.import_sources(sources, read, opts, &|_| {})
    }

    fn import_sources(
        &mut self,
        sources: Vec<Source>,
        read: &ReadOptions,
        opts: &ImportOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<ImportReport> {
        let now = now();
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        // Into a new memory, write pages once: a rollback journal records only pages that existed
        // before, so appending costs no journal at all, while WAL writes every page twice (to the log,
        // then to the file). Still one atomic transaction; the switch back to WAL follows the commit.
        // Only in a memory that no other process can see yet (Store::create_new): a process killed
        // mid-import leaves a rollback journal that read-only commands cannot roll back, and under a
        // rollback journal lookups would wait for the whole import.
        let empty: bool = self
            .conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM units)", [], |r| r.get(0))
            .map_err(err)?;
        let direct = empty
            && self.scratch
            && self
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                    r.get::<_, String>(0)
                })
                .is_ok_and(|mode| mode.eq_ignore_ascii_case("delete"));
        let result = self.import_in_transaction(sources, read, opts, progress, &now);
        if direct {
            self.conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .map_err(err)?;
        }
        result
    }

    fn import_in_transaction(
        &mut self,
        sources: Vec<Source>,
        read: &ReadOptions,
        opts: &ImportOptions,
        progress: &(dyn Fn(u64) + Sync),
        now: &str,
    ) -> Result<ImportReport> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        // A page cache that holds the pair-hash index of a million units, so inserts into it do not
        // spill pages to the WAL over and over.
        tx.pragma_update(None, "cache_size", -65536).map_err(err)?;
        // For an import that is large next to the memory, load every stored pair hash once, so that new
        // units skip the look-up of their pair; for a small one, the look-ups are cheaper than the load.
        let stored: u64 = tx
            .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
            .map_err(err)?;
        let incoming_bytes: u64 = sources
            .iter()
            .map(|s| match s {
                Source::File(f) => std::fs::metadata(&f.path).map_or(0, |m| m.len()),
                Source::Units { units, .. } => units.size_hint().0 as u64 * BYTES_PER_UNIT,
            })
            .sum();
        let mut known: Option<HashSet<i64>> = None;
        if incoming_bytes / BYTES_PER_UNIT * 4 >= stored {
            let mut set = HashSet::with_capacity(stored as usize);
            let mut stmt = tx.prepare("SELECT pair_hash FROM units").map_err(err)?;
            let hashes = stmt.query_map([], |r| r.get(0)).map_err(err)?;
            for h in hashes {
                set.insert(h.map_err(err)?);
            }
            known = Some(set);
        }
        let mut report = ImportReport {
            files: sources
                .iter()
                .map(|s| {
                    let (file, format) = s.label();
                    FileReport {
                        file: file.to_path_buf(),
                        format,
                        ..FileReport::default()
                    }
                })
                .collect(),
            ..ImportReport::default()
        };
        let vocab = Vocab::load(&tx).map_err(err)?;
        let reused_below = highest_deleted(&tx).map_err(err)?;
        let mut segment = SegmentBuilder::default();
        let outcome: Result<Vocab> = std::thread::scope(|scope| {
            let (send, receive) = mpsc::sync_channel::<Message>(8);
            let reader =
                scope.spawn(move || read_files(sources, read, opts, now, vocab, send, progress));
            let mut current = 0usize;
            for message in receive {
                match message {
                    Message::StartFile(i) => current = i,
                    Message::Units(batch) => {
                        let file = &mut report.files[current];
                        for p in &batch {
                            match write_unit(&tx, p, known.as_mut()).map_err(err)? {
                                Added::New(id) => {
                                    note_new_unit(&tx, id, reused_below).map_err(err)?;
                                    segment.add(id, &p.words);
                                    file.added += 1;
                                    if segment.units() >= SEGMENT_UNITS {
                                        std::mem::take(&mut segment)
                                            .write_segment(&tx)
                                            .map_err(err)?;
                                    }
                                }
                                Added::Merged(_) => file.merged += 1,
                            }
                            file.units += 1;
                        }
                    }
                    Message::Skipped(e) => {
                        report.files[current].skipped += 1;
                        report.skipped_units.push(Skipped {
                            file: e.file.clone(),
                            line: e.position.map(|p| p.line),
                            col: e.position.map(|p| p.col),
                            error: e.message(),
                        });
                    }
                    Message::LeftOut(left_out) => {
                        report.left_out.merge(&left_out);
                        report.files[current].left_out = left_out;
                    }
                    // Returning drops the receiver, which stops the reader thread.
                    Message::Failed(e) => return Err(Error::Format(e)),
                }
            }
            // The channel closed: the reader has finished and hands back the vocabulary it grew.
            reader.join().map_err(|_| Error::Io {
                path: path.clone(),
                source: std::io::Error::other("the reading thread failed"),
            })
        });
        // On error the transaction is dropped here, which rolls it back.
        let mut vocab = outcome?;
        vocab.save(&tx).map_err(err)?;
        segment.write(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        for f in &report.files {
            report.units += f.units;
            report.added += f.added;
            report.merged += f.merged;
            report.skipped += f.skipped;
        }
        Ok(report)
    }
}

/// The reader thread: parses each file in turn, prepares each unit (words, hashes, neighbours) and sends
/// batches to the writer. Returns the vocabulary, grown by the new words it met.
fn read_files(
    sources: Vec<Source>,
    read: &ReadOptions,
    opts: &ImportOptions,
    now: &str,
    mut vocab: Vocab,
    send: mpsc::SyncSender<Message>,
    progress: &(dyn Fn(u64) + Sync),
) -> Vocab {
    let mut done_bytes = 0u64;
    for (i, source) in sources.into_iter().enumerate() {
        if send.send(Message::StartFile(i)).is_err() {
            return vocab;
        }
        let file_name = origin_name(source.label().0);
        let opened = match source {
            Source::File(file) => open_units(&file.path, file.format, read),
            Source::Units { units, .. } => Ok(units),
        };
        let mut reader = match opened {
            Ok(r) => r,
            Err(e) => {
                let _ = send.send(Message::Failed(e));
                return vocab;
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        // The previous unit waits until the next one tells it its `next_hash`.
        let mut held: Option<Prepared> = None;
        let mut last_bytes = 0;
        let mut left_out = 0;
        while let Some(item) = reader.next() {
            // Segments the reader passed over (not confirmed, another pair) are a gap in the document,
            // as a skipped unit is, and another document begins anew: the units around them are not
            // neighbours.
            let now_left_out = reader.left_out().total + reader.document_breaks();
            if now_left_out != left_out {
                left_out = now_left_out;
                batch.extend(held.take());
            }
            match item {
                Ok(mut unit) => {
                    if unit.origin.is_none() {
                        unit.origin = Some(file_name.clone());
                    }
                    let mut p = Prepared::new(unit, &opts.provenance, now, &mut vocab);
                    if let Some(mut prev) = held.take() {
                        prev.next_hash = Some(p.norm_hash);
                        p.prev_hash = Some(prev.norm_hash);
                        batch.push(prev);
                    }
                    held = Some(p);
                }
                Err(e) if e.is_recoverable() && opts.skip_invalid => {
                    // A gap in the document: the units around it are not neighbours.
                    batch.extend(held.take());
                    if send.send(Message::Skipped(e)).is_err() {
                        return vocab;
                    }
                }
                Err(e) => {
                    let _ = send.send(Message::Failed(e));
                    return vocab;
                }
            }
            if batch.len() >= BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if send.send(Message::Units(full)).is_err() {
                    return vocab;
                }
            }
            let bytes = reader.bytes_read();
            if bytes != last_bytes {
                progress(done_bytes + bytes);
                last_bytes = bytes;
            }
        }
        done_bytes += reader.bytes_read();
        batch.extend(held.take());
        if !batch.is_empty() && send.send(Message::Units(batch)).is_err() {
            return vocab;
        }
        let left_out = reader.left_out();
        if left_out.total > 0 && send.send(Message::LeftOut(left_out.clone())).is_err() {
            return vocab;
        }
    }
    vocab
}

/// The origin recorded for units from a file that names none: its file name.
fn origin_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Skipped {
    /// Where the skipped unit was, for messages.
    pub fn position(&self) -> Option<Position> {
        Some(Position {
            line: self.line?,
            col: self.col.unwrap_or(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::read_units;
    use crate::store::UnitFilter;

    /// Units from a stream go in as a file's would: in order, under the stream's name as origin, a
    /// bad one failing the whole import, or skipped and reported with `skip_invalid`.
    #[test]
    fn units_from_a_stream_go_in_as_a_files_would() {
        let tsv = "ar\ten\nحزب الله\tHizbullah\nدير الزور\nالبوكمال\tAl-Bukamal\n";
        let read = ReadOptions::new("ar", "en");
        let name = Path::new("<stdin>");
        let units = || read_units(tsv.as_bytes(), name, Format::Tsv, &read).unwrap();
        let mut store = Store::in_memory().unwrap();

        let plain = ImportOptions::default();
        let err = store
            .import_units(name, units(), &read, &plain)
            .unwrap_err();
        let err = err.to_string();
        assert!(
            err.starts_with("<stdin>:3:1: the row has one column"),
            "{err}"
        );
        assert_eq!(store.stats().unwrap().segments, 0, "all or nothing");

        let skip = ImportOptions {
            skip_invalid: true,
            ..ImportOptions::default()
        };
        let report = store.import_units(name, units(), &read, &skip).unwrap();
        assert_eq!((report.added, report.skipped), (2, 1));
        assert_eq!(report.skipped_units[0].line, Some(3));
        let mut stored = Vec::new();
        let all = UnitFilter::default();
        let each = store.for_each_unit(&all, |_, u| {
            stored.push((u.target.text, u.origin));
            Ok::<(), Error>(())
        });
        each.unwrap();
        let origin = Some("<stdin>".to_string());
        assert_eq!(
            stored,
            [
                ("Hizbullah".to_string(), origin.clone()),
                ("Al-Bukamal".to_string(), origin)
            ]
        );
    }
}
