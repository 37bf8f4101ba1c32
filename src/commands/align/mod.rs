//! `tm align`: an Arabic document and its English translation into segment pairs, written as TSV, TMX
//! or evaluation beads, or imported into the memory.
//!
//! - This file: the command's configuration, its entry point [`align`], what every pair may use (the
//!   memory and the names, opened once a run) and the import of all the pairs at the end.
//! - `pair.rs`: one document pair, read, aligned, counted and written.
//! - `batch.rs`: `--batch`, a list of pairs, checked first, aligned `--jobs` at a time.

mod batch;
mod pair;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Result};
use serde::Serialize;

use super::Context;
use crate::formats::ReadOptions;
use crate::names::{Authority, Spotter};
use crate::store::{self, ImportOptions, OpenMode, Provenance};
use crate::unit::Unit;

use batch::{align_batch, read_list};
use pair::align_pair;

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

/// `tm align`: one document pair or a `--batch` list aligned and written, then with `--import` every
/// pair put into the memory in one transaction.
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
