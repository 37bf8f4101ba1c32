//! `tm align`: an Arabic document and its English translation into segment pairs, written as TSV, TMX
//! or evaluation beads, or imported into the memory.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::align::{self, Bead, REVIEW_BELOW};
use crate::formats::tmx::{Header, TmxWriter};
use crate::formats::tsv::escape_field;
use crate::formats::ReadOptions;
use crate::names::{Authority, Spotter};
use crate::output::{memory_files, FileId, FileIds, Output};
use crate::store::{self, ImportOptions, OpenMode, Provenance};
use crate::unit::{Annotation, Segment, Unit};

/// How the beads are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlignFormat {
    /// `arabic<TAB>english<TAB>score<TAB>review`, one bead a line.
    Tsv,
    /// TMX 1.4b, the score and the review mark as props.
    Tmx,
    /// Line-number beads in the evaluation format (`0,1:0`, `5:`, `:7`).
    Beads,
}

/// `tm align`, mapped from its flags.
pub struct AlignConfig {
    pub documents: Documents,
    pub format: AlignFormat,
    pub import: bool,
    /// The files hold one segment per line already.
    pub segmented: bool,
    /// Beads below this confidence are left out.
    pub min_score: Option<f64>,
    /// How many pairs of a `--batch` are aligned at a time; `None`: one a processor core, up to 8.
    pub jobs: Option<usize>,
    /// A `--batch` list may name files outside its folder (absolute paths, `..`).
    pub allow_outside: bool,
    /// A `--batch` list's OUT files may already exist (they are replaced).
    pub force: bool,
    pub src: String,
    pub tgt: String,
}

/// Which documents to align.
pub enum Documents {
    /// `AR_FILE EN_FILE [-o OUT]`: without OUT, standard output.
    Pair(DocumentPair),
    /// `--batch LIST`: a text file of pairs, one a line, `AR_FILE<TAB>EN_FILE<TAB>OUT` (OUT may be left
    /// out with `--import`), paths relative to the list's folder. One process for a whole archive: the
    /// memory is opened and the names read once.
    Batch(PathBuf),
}

/// An Arabic document, its English translation, and where their beads go.
#[derive(Clone, Debug)]
pub struct DocumentPair {
    pub arabic: PathBuf,
    pub english: PathBuf,
    pub output: Option<PathBuf>,
}

/// A document read for alignment: its sentences, by paragraph.
struct Document {
    paragraphs: Vec<Vec<String>>,
}

impl Document {
    fn read(path: &Path, segmented: bool) -> Result<Document> {
        let text = read_text(path)?;
        let paragraphs = if segmented {
            // One segment a line, kept as is (blank lines too, so line numbers stay the file's).
            vec![text.lines().map(|l| l.trim().to_string()).collect()]
        } else {
            let text = if is_html(path, &text) {
                crate::formats::html::html_text(&text).map_err(|e| {
                    anyhow::anyhow!("{}: cannot read it as HTML: {e}", path.display())
                })?
            } else {
                text
            };
            crate::segment::paragraphs(&text)
        };
        Ok(Document { paragraphs })
    }

    fn sentences(&self) -> impl Iterator<Item = &String> {
        self.paragraphs.iter().flatten()
    }
}

/// Reads a text file as UTF-8 (a BOM, UTF-16 with BOM are understood); names the line of bad bytes.
fn read_text(path: &Path) -> Result<String> {
    crate::formats::decode::read_document(path).map_err(|e| match e.position {
        // Not UTF-8: the usual cause and fix, in the words align has always used.
        Some(at) if e.message().starts_with("not valid UTF-8") => anyhow::anyhow!(
            "{}:{}: not UTF-8 text (convert it, e.g. iconv -f windows-1256 -t utf-8)",
            path.display(),
            at.line
        ),
        _ => e.into(),
    })
}

fn is_html(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("html" | "htm" | "xhtml")) {
        return true;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// One bead as `--json` prints it.
#[derive(Serialize)]
struct JsonBead {
    arabic_lines: Vec<usize>,
    english_lines: Vec<usize>,
    arabic: String,
    english: String,
    score: f64,
    review: bool,
}

pub fn align(ctx: &Context, cfg: AlignConfig) -> Result<()> {
    let (pairs, list) = match &cfg.documents {
        Documents::Pair(pair) => (vec![(0, pair.clone())], None),
        Documents::Batch(list) => (read_list(ctx, list, &cfg)?, Some(list.as_path())),
    };
    let help = Help::open(ctx, &cfg, list.is_some())?;
    let units = match list {
        None => {
            let aligned = align_pair(ctx, &cfg, &help, &pairs[0].1)?;
            if !ctx.json {
                eprintln!("aligned {}", aligned.totals.describe(&cfg));
            }
            aligned.units
        }
        Some(list) => align_batch(ctx, &cfg, &help, list, &pairs)?,
    };
    if cfg.import {
        drop(help); // the read-only handle on the memory, before writing to it
        import(ctx, &cfg, &units, &pairs)?;
    }
    Ok(())
}

/// Aligns the pairs of a `--batch` list: a pair that fails is reported with its line and the others go
/// on; the units to import (in the list's order) only if every pair aligned.
fn align_batch(
    ctx: &Context,
    cfg: &AlignConfig,
    help: &Help,
    list: &Path,
    pairs: &[(usize, DocumentPair)],
) -> Result<Vec<Unit>> {
    // Each pair's units, kept in the list's order whatever order the pairs finish in.
    let mut units: Vec<Vec<Unit>> = pairs.iter().map(|_| Vec::new()).collect();
    let mut failed = Vec::new();
    let mut total = Totals::default();
    // An archive takes a while: a bar on a terminal.
    let bar = super::progress_bar(pairs.len() as u64, "aligning");
    align_all(ctx, cfg, help, pairs, |k, result| {
        match result {
            Ok(aligned) => {
                total.add(&aligned.totals);
                units[k] = aligned.units;
            }
            Err(e) => {
                let (line, at) = (pairs[k].0, list.display());
                bar.suspend(|| eprintln!("{at}:{line}: {}", super::describe(&e)));
                failed.push(line);
            }
        }
        bar.inc(1);
    });
    bar.finish_and_clear();
    failed.sort_unstable();
    if !ctx.json {
        eprintln!(
            "aligned {} of {}: {}",
            pairs.len() - failed.len(),
            super::count(pairs.len() as u64, "document pair", "document pairs"),
            total.describe(cfg)
        );
    } else if !cfg.import {
        // With --import, the import's summary says it all.
        #[derive(Serialize)]
        struct BatchJson<'a> {
            document_pairs: usize,
            aligned: usize,
            failed_lines: &'a [usize],
            #[serde(flatten)]
            totals: &'a Totals,
        }
        ctx.print_json(&BatchJson {
            document_pairs: pairs.len(),
            aligned: pairs.len() - failed.len(),
            failed_lines: &failed,
            totals: &total,
        })?;
    }
    if !failed.is_empty() {
        let lines: Vec<String> = failed.iter().map(|l| l.to_string()).collect();
        bail!(
            "{}: the {} {} failed{}",
            list.display(),
            if failed.len() == 1 {
                "pair on line"
            } else {
                "pairs on lines"
            },
            lines.join(", "),
            if cfg.import {
                "; nothing was imported"
            } else {
                ""
            }
        );
    }
    Ok(units.into_iter().flatten().collect())
}

/// Aligns every pair of a batch, `cfg.jobs` at a time (by default one a processor core, up to 8), and calls
/// `done` on this thread with each pair's index and result as it finishes. The pairs are independent:
/// each gets the same beads however many are aligned at a time.
fn align_all(
    ctx: &Context,
    cfg: &AlignConfig,
    help: &Help,
    pairs: &[(usize, DocumentPair)],
    mut done: impl FnMut(usize, Result<Aligned>),
) {
    // By default one job a core, up to 8: each holds its document's tables (some 280 MiB for 50,000
    // sentences), and a batch should not take a big machine's memory unasked.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = cfg
        .jobs
        .unwrap_or(cores.min(8))
        .clamp(1, pairs.len().max(1));
    // The next pair no thread has taken yet, with its index.
    let next = AtomicUsize::new(0);
    let take = || {
        let k = next.fetch_add(1, Ordering::Relaxed);
        pairs.get(k).map(|(_, pair)| (k, pair))
    };
    // One job is this thread's alone; more are threads of their own, and this one collects.
    let threads = if jobs > 1 { jobs } else { 0 };
    std::thread::scope(|scope| {
        let (sender, finished) = mpsc::channel();
        for _ in 0..threads {
            let sender = sender.clone();
            let work = move || {
                while let Some((k, pair)) = take() {
                    if sender
                        .send((k, align_caught(ctx, cfg, help, pair)))
                        .is_err()
                    {
                        break;
                    }
                }
            };
            // The main thread's stack size: a deeply nested HTML page is parsed recursively.
            let spawned = std::thread::Builder::new()
                .stack_size(8 << 20)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                break;
            }
        }
        drop(sender);
        for (k, result) in finished {
            done(k, result);
        }
    });
    // What no thread took is aligned here: every pair with one job, the rest if no thread could start.
    while let Some((k, pair)) = take() {
        done(k, align_caught(ctx, cfg, help, pair));
    }
}

/// [`align_pair`] for a batch, where a panic (a bug, in tm or in the HTML parser) fails that pair
/// alone: it is reported with its line like any other failure, and nothing is imported.
fn align_caught(
    ctx: &Context,
    cfg: &AlignConfig,
    help: &Help,
    pair: &DocumentPair,
) -> Result<Aligned> {
    let aligning = std::panic::AssertUnwindSafe(|| align_pair(ctx, cfg, help, pair));
    std::panic::catch_unwind(aligning).unwrap_or_else(|panic| {
        let what = (panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        bail!("tm failed on this pair (a bug, please report it): {what}")
    })
}

/// Reads a `--batch` list: `AR_FILE<TAB>EN_FILE<TAB>OUT` a line (blank lines and `#` comments
/// skipped), paths relative to the list's folder. The form of every line is checked before anything is
/// aligned, and so is that no output would overwrite another pair's output, an input or the list.
fn read_list(ctx: &Context, list: &Path, cfg: &AlignConfig) -> Result<Vec<(usize, DocumentPair)>> {
    let import = cfg.import;
    let text = read_text(list)?;
    let base = list.parent().unwrap_or(Path::new(""));
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        let bad = |what: &str| anyhow::anyhow!("{}:{line_no}: {what}", list.display());
        let (ar, en, out) = match cells.as_slice() {
            [ar, en] => (*ar, *en, ""),
            [ar, en, out] => (*ar, *en, *out),
            _ => ("", "", ""),
        };
        if ar.is_empty() || en.is_empty() || (out.is_empty() && !import) {
            return Err(bad(&format!(
                "expected AR_FILE<TAB>EN_FILE<TAB>OUT{}",
                if import {
                    " (OUT may be left out with --import)"
                } else {
                    ""
                }
            )));
        }
        if out == "-" {
            return Err(bad(
                "OUT is -: a batch writes each pair to its own file (standard output would run them together)",
            ));
        }
        if !cfg.allow_outside {
            for (path, what) in [(ar, "AR_FILE"), (en, "EN_FILE"), (out, "OUT")] {
                if leaves_folder(Path::new(path)) {
                    return Err(bad(&format!(
                        "{what} {path} is outside the list's folder: a list names files beside it \
                         or below it (--allow-outside lets it reach elsewhere)"
                    )));
                }
            }
        }
        pairs.push((
            line_no,
            DocumentPair {
                arabic: base.join(ar),
                english: base.join(en),
                output: (!out.is_empty()).then(|| base.join(out)),
            },
        ));
    }
    if pairs.is_empty() {
        bail!("{}: no document pairs in the list", list.display());
    }
    check_outputs(ctx, list, &pairs, cfg.force)?;
    Ok(pairs)
}

/// Whether a path written in a list reaches outside the list's folder: an absolute path, or one whose
/// `..` climb above it (`out/../out/0.tsv` stays inside). Read as written, not through links: a link
/// inside the folder is the user's own doing.
fn leaves_folder(path: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0i64;
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => return true,
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// Refuses a list where an output is the memory, another pair's output, an input of any pair, or the
/// list itself, or (without `force`) a file that exists, before any pair is aligned.
fn check_outputs(
    ctx: &Context,
    list: &Path,
    pairs: &[(usize, DocumentPair)],
    force: bool,
) -> Result<()> {
    // The same file however it is written (./a, a, dir/../a, through a link, a hard link too).
    let mut ids = FileIds::default();
    let mut inputs: HashMap<FileId, String> = HashMap::new();
    if let Ok(db) = ctx.db_path() {
        for path in memory_files(&db) {
            inputs.insert(ids.of(&path), "the memory".to_string());
        }
    }
    inputs.insert(ids.of(list), "the list itself".to_string());
    for (line, pair) in pairs {
        for input in [&pair.arabic, &pair.english] {
            inputs
                .entry(ids.of(input))
                .or_insert_with(|| format!("an input on line {line}"));
        }
    }
    let mut outputs: HashMap<FileId, usize> = HashMap::new();
    for (line, pair) in pairs {
        let Some(out) = &pair.output else { continue };
        let k = ids.of(out);
        if let Some(what) = inputs.get(&k) {
            bail!(
                "{}:{line}: OUT {} is {what}: it would be overwritten",
                list.display(),
                out.display()
            );
        }
        if let Some(first) = outputs.insert(k, *line) {
            bail!(
                "{}:{line}: OUT {} is also the output of line {first}",
                list.display(),
                out.display()
            );
        }
        // A regular file only: a device or a FIFO is written in place, and nothing in it is lost.
        if !force && std::fs::metadata(out).is_ok_and(|m| m.is_file()) {
            bail!(
                "{}:{line}: OUT {} already exists: nothing was aligned (--force replaces it)",
                list.display(),
                out.display()
            );
        }
    }
    Ok(())
}

/// What the aligner may use besides the documents.
struct Help {
    /// The memory, when there is one: its pairs teach the aligner words. (Behind a lock: the pairs of
    /// a batch are aligned on several threads, and an SQLite connection serves one at a time.)
    store: Option<Mutex<store::Store>>,
    /// Its names (the user's own on top of the shipped list); without a memory the shipped list, read
    /// once for a batch. `None`: read the shipped names each document may hold, as one pair needs.
    authority: Option<Authority>,
    /// The authority's spotter, for a batch.
    spotter: Option<Spotter>,
}

impl Help {
    /// Opens the memory if there is one; reading never creates one. A memory that cannot be read only
    /// warns, unless the pairs are to go into it.
    fn open(ctx: &Context, cfg: &AlignConfig, batch: bool) -> Result<Help> {
        let shipped = || {
            let authority = batch.then(Authority::shipped);
            Help {
                spotter: authority.as_ref().map(Spotter::new),
                store: None,
                authority,
            }
        };
        let db = match ctx.db_path() {
            Ok(db) if db.exists() => db,
            _ => return Ok(shipped()),
        };
        let opened = ctx.open(OpenMode::ReadOnly).and_then(|store| {
            let authority = Authority::with_user(store.names()?);
            Ok((store, authority))
        });
        match opened {
            Ok((store, authority)) => Ok(Help {
                store: Some(Mutex::new(store)),
                spotter: batch.then(|| Spotter::new(&authority)),
                authority: Some(authority),
            }),
            Err(e) if !cfg.import => {
                eprintln!(
                    "warning: aligning without the memory {}: {e:#}",
                    db.display()
                );
                Ok(shipped())
            }
            Err(e) => Err(e),
        }
    }
}

/// How many of the memory's pairs the aligner learns a document's words from: for each word of the
/// document the newest pairs that have it, up to this many. On the evaluation sets 10 taught as much as
/// every pair sharing a word (strict F1 0.984 / 0.947 / 0.991 against 0.985 / 0.945 / 0.991) in a
/// fifth of the time.
const MEMORY_EXAMPLES_PER_WORD: usize = 10;

/// And at most this many pairs in all.
const MEMORY_EXAMPLES: usize = 20_000;

/// Counts of what was aligned, for the summary on standard error.
#[derive(Default, Serialize)]
struct Totals {
    /// Arabic and English sentences read.
    arabic: usize,
    english: usize,
    /// Beads with both sides, and beads with one side only.
    pairs: usize,
    unmatched: usize,
    /// Beads scored below the review line.
    review: usize,
    /// Beads below `--min-score`, left out.
    dropped: usize,
    #[serde(skip)]
    scored: bool,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.arabic += other.arabic;
        self.english += other.english;
        self.pairs += other.pairs;
        self.unmatched += other.unmatched;
        self.review += other.review;
        self.dropped += other.dropped;
        self.scored = other.scored;
    }

    fn describe(&self, cfg: &AlignConfig) -> String {
        let review = if self.scored {
            format!(
                ", {} marked for review (score below {REVIEW_BELOW})",
                self.review
            )
        } else {
            String::new()
        };
        let dropped = match cfg.min_score {
            Some(min) => format!(", {} below --min-score {min} left out", self.dropped),
            None => String::new(),
        };
        let english = super::count(self.english as u64, "English sentence", "English sentences");
        format!(
            "{} Arabic and {english}: {}, {} unmatched{review}{dropped}",
            self.arabic,
            super::count(self.pairs as u64, "pair", "pairs"),
            self.unmatched
        )
    }
}

/// One document pair aligned and written: its counts, and its pairs as units when they are to be
/// imported.
struct Aligned {
    totals: Totals,
    units: Vec<Unit>,
}

fn align_pair(
    ctx: &Context,
    cfg: &AlignConfig,
    help: &Help,
    pair: &DocumentPair,
) -> Result<Aligned> {
    // Opened first: an output that may not be written fails before the work. With --import and no -o,
    // nothing is written.
    let out = match &pair.output {
        Some(path) => Some(Output::create(
            path,
            &mut ctx
                .guard()
                .input(&pair.arabic, "the Arabic document")
                .input(&pair.english, "the English document"),
        )?),
        None if cfg.import => None,
        None => Some(Output::stdout()),
    };
    let ar = Document::read(&pair.arabic, cfg.segmented)?;
    let en = Document::read(&pair.english, cfg.segmented)?;
    let ar_sentences: Vec<&String> = ar.sentences().collect();
    let en_sentences: Vec<&String> = en.sentences().collect();
    let examples = match &help.store {
        Some(store) => {
            let text = ar_sentences
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            // A pair that panicked holding the lock (see `align_caught`) left the store as it was, and
            // only reads it: the others go on reading.
            let store = store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            store.pairs_sharing(
                &cfg.src,
                &cfg.tgt,
                &text,
                MEMORY_EXAMPLES_PER_WORD,
                MEMORY_EXAMPLES,
            )?
        }
        None => Vec::new(),
    };
    // Beads without --json print no score; without --min-score or --import none is needed.
    let without_scores =
        cfg.format == AlignFormat::Beads && !ctx.json && cfg.min_score.is_none() && !cfg.import;
    // Without a memory (and outside a batch), the aligner reads just the shipped names the Arabic may
    // hold.
    let options = align::Options {
        authority: help.authority.as_ref(),
        spotter: help.spotter.as_ref(),
        examples: &examples,
        without_scores,
        shipped_names: true,
    };
    let beads = align::align_paragraphs(&ar.paragraphs, &en.paragraphs, options);
    let text = |sentences: &[&String], range: &std::ops::Range<usize>| -> String {
        sentences[range.clone()]
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let kept: Vec<&Bead> = beads
        .iter()
        .filter(|b| cfg.min_score.is_none_or(|min| b.score >= min))
        .collect();
    let is_pair = |b: &&&Bead| !b.ar.is_empty() && !b.en.is_empty();
    let pairs = kept.iter().filter(is_pair).count();
    let totals = Totals {
        arabic: ar_sentences.len(),
        english: en_sentences.len(),
        pairs,
        unmatched: kept.len() - pairs,
        review: kept.iter().filter(|b| b.score < REVIEW_BELOW).count(),
        dropped: beads.len() - kept.len(),
        scored: !without_scores,
    };
    let units = if cfg.import {
        let origin = format!("{} + {}", file_name(&pair.arabic), file_name(&pair.english));
        kept.iter()
            .filter(is_pair)
            .map(|b| {
                let mut unit = bead_unit(
                    cfg,
                    b,
                    &text(&ar_sentences, &b.ar),
                    &text(&en_sentences, &b.en),
                );
                unit.origin = Some(origin.clone());
                unit
            })
            .collect()
    } else {
        Vec::new()
    };
    let Some(mut out) = out else {
        return Ok(Aligned { totals, units });
    };

    let name = out.name();
    let write_err = |e: io::Error| anyhow::Error::new(e).context(format!("writing {name}"));
    if ctx.json {
        for b in &kept {
            let item = JsonBead {
                arabic_lines: b.ar.clone().collect(),
                english_lines: b.en.clone().collect(),
                arabic: text(&ar_sentences, &b.ar),
                english: text(&en_sentences, &b.en),
                score: (b.score * 1000.0).round() / 1000.0,
                review: b.score < REVIEW_BELOW,
            };
            serde_json::to_writer(&mut out, &item)?;
            writeln!(out).map_err(write_err)?;
        }
    } else {
        match cfg.format {
            AlignFormat::Beads => {
                for b in &kept {
                    let side = |r: &std::ops::Range<usize>| {
                        r.clone()
                            .map(|i| i.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    writeln!(out, "{}:{}", side(&b.ar), side(&b.en)).map_err(write_err)?;
                }
            }
            AlignFormat::Tsv => {
                for b in &kept {
                    writeln!(
                        out,
                        "{}\t{}\t{:.3}\t{}",
                        escape_field(&text(&ar_sentences, &b.ar)),
                        escape_field(&text(&en_sentences, &b.en)),
                        b.score,
                        if b.score < REVIEW_BELOW { "review" } else { "" }
                    )
                    .map_err(write_err)?;
                }
            }
            AlignFormat::Tmx => {
                let header = Header {
                    srclang: cfg.src.clone(),
                    creation_date: store::now(),
                };
                let mut w = TmxWriter::new(&mut out, &header).map_err(write_err)?;
                for b in kept.iter().filter(is_pair) {
                    let unit = bead_unit(
                        cfg,
                        b,
                        &text(&ar_sentences, &b.ar),
                        &text(&en_sentences, &b.en),
                    );
                    w.write_unit(&unit).map_err(write_err)?;
                }
                w.finish().map_err(write_err)?;
            }
        }
    }
    out.finish()?;
    Ok(Aligned { totals, units })
}

fn bead_unit(cfg: &AlignConfig, b: &Bead, ar: &str, en: &str) -> Unit {
    let mut unit = Unit::new(&cfg.src, &cfg.tgt, Segment::plain(ar), Segment::plain(en));
    unit.meta
        .annotations
        .push(Annotation::prop("x-align-score", format!("{:.3}", b.score)));
    if b.score < REVIEW_BELOW {
        unit.meta
            .annotations
            .push(Annotation::prop("x-review", "yes"));
    }
    unit
}

/// Puts the pairs of every document into the memory in one transaction, each with its two files as
/// origin.
fn import(
    ctx: &Context,
    cfg: &AlignConfig,
    units: &[Unit],
    pairs: &[(usize, DocumentPair)],
) -> Result<()> {
    let mut store = ctx.open(OpenMode::ReadWrite)?;
    // Each unit carries its own origin.
    let opts = ImportOptions {
        provenance: Provenance::default(),
        skip_invalid: false,
    };
    let report = store.import_units(
        Path::new("aligned pairs"),
        units.iter().cloned().map(Ok),
        &ReadOptions::new(&cfg.src, &cfg.tgt),
        &opts,
    )?;
    if ctx.json {
        #[derive(Serialize)]
        struct ImportJson<'a> {
            memory: &'a str,
            document_pairs: usize,
            imported: u64,
            new: u64,
            identical: u64,
        }
        ctx.print_json(&ImportJson {
            memory: &store.path().display().to_string(),
            document_pairs: pairs.len(),
            imported: report.units,
            new: report.added,
            identical: report.merged,
        })?;
    } else {
        let from = match pairs {
            [(_, pair)] => format!(
                "origin \"{} + {}\"",
                file_name(&pair.arabic),
                file_name(&pair.english)
            ),
            _ => format!("{} document pairs, each its own origin", pairs.len()),
        };
        eprintln!(
            "imported {} into {} ({from}): {} new, {} identical to stored units",
            super::count(report.units, "pair", "pairs"),
            store.path().display(),
            report.added,
            report.merged
        );
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The range `--min-score` accepts.
pub fn check_min_score(v: f64) -> Result<f64> {
    if !(0.0..=1.0).contains(&v) {
        bail!("--min-score {v}: give a score between 0 and 1");
    }
    Ok(v)
}
