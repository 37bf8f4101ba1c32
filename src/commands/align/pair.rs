//! One document pair, from its two files to its output: read and cut into sentences, aligned with what
//! the memory and the names teach, counted, and written as TSV, TMX, evaluation beads or JSON (to a
//! temporary file renamed into place, through [`Output`]), or kept as units to import.
//!
//! [`align_pair`] is the whole of it and reads in that order; a single `tm align` calls it once, a batch
//! once a pair (from `batch.rs`, on several threads).

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::{file_name, read_text, AlignConfig, AlignFormat, DocumentPair, Help};
use crate::align::{self, Bead, REVIEW_BELOW};
use crate::commands::{count, Context};
use crate::formats::tmx::{Header, TmxWriter};
use crate::formats::tsv::escape_field;
use crate::output::Output;
use crate::store;
use crate::unit::{Annotation, Segment, Unit};

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

/// How many of the memory's pairs the aligner learns a document's words from: for each word of the
/// document the newest pairs that have it, up to this many. On the evaluation sets 10 taught as much as
/// every pair sharing a word (strict F1 0.984 / 0.947 / 0.991 against 0.985 / 0.945 / 0.991) in a
/// fifth of the time.
const MEMORY_EXAMPLES_PER_WORD: usize = 10;

/// And at most this many pairs in all.
const MEMORY_EXAMPLES: usize = 20_000;

/// Counts of what was aligned, for the summary on standard error.
#[derive(Default, Serialize)]
pub(super) struct Totals {
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
    pub(super) fn add(&mut self, other: &Totals) {
        self.arabic += other.arabic;
        self.english += other.english;
        self.pairs += other.pairs;
        self.unmatched += other.unmatched;
        self.review += other.review;
        self.dropped += other.dropped;
        self.scored = other.scored;
    }

    pub(super) fn describe(&self, cfg: &AlignConfig) -> String {
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
        let english = count(self.english as u64, "English sentence", "English sentences");
        format!(
            "{} Arabic and {english}: {}, {} unmatched{review}{dropped}",
            self.arabic,
            count(self.pairs as u64, "pair", "pairs"),
            self.unmatched
        )
    }
}

/// One document pair aligned and written: its counts, and its pairs as units when they are to be
/// imported.
pub(super) struct Aligned {
    pub(super) totals: Totals,
    pub(super) units: Vec<Unit>,
}

/// Aligns one document pair: opens its output (first: an output that may not be written fails before
/// the work), reads both documents, aligns them with the memory's pairs that share their words, and
/// writes the beads kept (at or above `--min-score`). With `--import` the pairs are also returned as
/// units, and without `-o` nothing is written.
pub(super) fn align_pair(
    ctx: &Context,
    cfg: &AlignConfig,
    help: &Help,
    pair: &DocumentPair,
) -> Result<Aligned> {
    let out = open_output(ctx, cfg, pair)?;
    let ar = Document::read(&pair.arabic, cfg.segmented)?;
    let en = Document::read(&pair.english, cfg.segmented)?;
    let ar_sentences: Vec<&String> = ar.sentences().collect();
    let en_sentences: Vec<&String> = en.sentences().collect();
    let examples = memory_examples(cfg, help, &ar_sentences)?;
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
    let kept = Kept {
        ar: ar_sentences,
        en: en_sentences,
        beads: beads
            .iter()
            .filter(|b| cfg.min_score.is_none_or(|min| b.score >= min))
            .collect(),
    };
    let totals = kept.totals(beads.len(), !without_scores);
    let units = if cfg.import {
        kept.units(cfg, pair)
    } else {
        Vec::new()
    };
    if let Some(mut out) = out {
        write(ctx, cfg, &kept, &mut out)?;
        out.finish()?;
    }
    Ok(Aligned { totals, units })
}

/// Where the pair's beads go: its `-o` file (never one of its documents), standard output without
/// one, or nowhere with `--import` and no `-o`.
fn open_output(ctx: &Context, cfg: &AlignConfig, pair: &DocumentPair) -> Result<Option<Output>> {
    Ok(match &pair.output {
        Some(path) => Some(Output::create(
            path,
            &mut ctx
                .guard()
                .input(&pair.arabic, "the Arabic document")
                .input(&pair.english, "the English document"),
        )?),
        None if cfg.import => None,
        None => Some(Output::stdout()),
    })
}

/// The memory's pairs that share words with the Arabic sentences, for the aligner to learn from (none
/// without a memory).
fn memory_examples(
    cfg: &AlignConfig,
    help: &Help,
    ar_sentences: &[&String],
) -> Result<Vec<(String, String)>> {
    let Some(store) = &help.store else {
        return Ok(Vec::new());
    };
    let text = ar_sentences
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // A pair that panicked holding the lock (see `align_caught` in batch.rs) left the store as it
    // was, and only reads it: the others go on reading.
    let store = store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Ok(store.pairs_sharing(
        &cfg.src,
        &cfg.tgt,
        &text,
        MEMORY_EXAMPLES_PER_WORD,
        MEMORY_EXAMPLES,
    )?)
}

/// The beads of a pair that are kept (at or above `--min-score`, in order) and the sentences they
/// number.
struct Kept<'a> {
    ar: Vec<&'a String>,
    en: Vec<&'a String>,
    beads: Vec<&'a Bead>,
}

impl Kept<'_> {
    /// A bead's Arabic side as one text.
    fn arabic(&self, b: &Bead) -> String {
        joined(&self.ar, &b.ar)
    }

    /// A bead's English side as one text.
    fn english(&self, b: &Bead) -> String {
        joined(&self.en, &b.en)
    }

    /// The kept beads with both sides.
    fn pairs(&self) -> impl Iterator<Item = &Bead> + '_ {
        self.beads.iter().copied().filter(|b| is_pair(b))
    }

    /// The counts of the pair: `aligned` beads in all before `--min-score`, `scored` unless the
    /// aligner was told no score was needed.
    fn totals(&self, aligned: usize, scored: bool) -> Totals {
        let pairs = self.pairs().count();
        Totals {
            arabic: self.ar.len(),
            english: self.en.len(),
            pairs,
            unmatched: self.beads.len() - pairs,
            review: self.beads.iter().filter(|b| b.score < REVIEW_BELOW).count(),
            dropped: aligned - self.beads.len(),
            scored,
        }
    }

    /// The kept pairs as units to import, each with the two files as origin.
    fn units(&self, cfg: &AlignConfig, pair: &DocumentPair) -> Vec<Unit> {
        let origin = format!("{} + {}", file_name(&pair.arabic), file_name(&pair.english));
        self.pairs()
            .map(|b| {
                let mut unit = bead_unit(cfg, b, &self.arabic(b), &self.english(b));
                unit.origin = Some(origin.clone());
                unit
            })
            .collect()
    }
}

/// Whether a bead has both sides (not an unmatched sentence).
fn is_pair(b: &Bead) -> bool {
    !b.ar.is_empty() && !b.en.is_empty()
}

/// The non-empty sentences of `range`, joined by spaces.
fn joined(sentences: &[&String], range: &Range<usize>) -> String {
    sentences[range.clone()]
        .iter()
        .map(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the kept beads to `out` as `--json` or the `--format` asks; write errors name the output.
fn write(ctx: &Context, cfg: &AlignConfig, kept: &Kept, out: &mut Output) -> Result<()> {
    let name = out.name();
    let write_err = |e: io::Error| anyhow::Error::new(e).context(format!("writing {name}"));
    if ctx.json {
        return write_json(kept, out, write_err);
    }
    match cfg.format {
        AlignFormat::Beads => write_line_numbers(kept, out).map_err(write_err),
        AlignFormat::Tsv => write_tsv(kept, out).map_err(write_err),
        AlignFormat::Tmx => write_tmx(cfg, kept, out).map_err(write_err),
    }
}

/// `--json`: one [`JsonBead`] a line, the score to three decimals.
fn write_json(
    kept: &Kept,
    out: &mut Output,
    write_err: impl Fn(io::Error) -> anyhow::Error,
) -> Result<()> {
    for b in &kept.beads {
        let item = JsonBead {
            arabic_lines: b.ar.clone().collect(),
            english_lines: b.en.clone().collect(),
            arabic: kept.arabic(b),
            english: kept.english(b),
            score: (b.score * 1000.0).round() / 1000.0,
            review: b.score < REVIEW_BELOW,
        };
        serde_json::to_writer(&mut *out, &item)?;
        writeln!(out).map_err(&write_err)?;
    }
    Ok(())
}

/// `--format beads`: the evaluation format, each side's line numbers (`0,1:0`, `5:`, `:7`).
fn write_line_numbers(kept: &Kept, out: &mut Output) -> io::Result<()> {
    let side = |r: &Range<usize>| {
        r.clone()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    for b in &kept.beads {
        writeln!(out, "{}:{}", side(&b.ar), side(&b.en))?;
    }
    Ok(())
}

/// `--format tsv`: `arabic<TAB>english<TAB>score<TAB>review`, one bead a line.
fn write_tsv(kept: &Kept, out: &mut Output) -> io::Result<()> {
    for b in &kept.beads {
        writeln!(
            out,
            "{}\t{}\t{:.3}\t{}",
            escape_field(&kept.arabic(b)),
            escape_field(&kept.english(b)),
            b.score,
            if b.score < REVIEW_BELOW { "review" } else { "" }
        )?;
    }
    Ok(())
}

/// `--format tmx`: the pairs (not the unmatched sentences) as TMX units, score and review mark as props.
fn write_tmx(cfg: &AlignConfig, kept: &Kept, out: &mut Output) -> io::Result<()> {
    let header = Header {
        srclang: cfg.src.clone(),
        creation_date: store::now(),
    };
    let mut w = TmxWriter::new(out, &header)?;
    for b in kept.pairs() {
        let unit = bead_unit(cfg, b, &kept.arabic(b), &kept.english(b));
        w.write_unit(&unit)?;
    }
    w.finish()?;
    Ok(())
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
