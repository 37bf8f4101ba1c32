//! The commands that use the memory while translating: lookup, concordance, pretranslate, analyze.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Serialize;

use super::Context;
use crate::display::Display;
use crate::formats::xliff::{Target, XliffVersion, XliffWriter};
use crate::formats::{Format, ReadOptions};
use crate::fuzzy::concordance::Side;
use crate::fuzzy::concordance::{concordance as find_phrase, Hit};
use crate::fuzzy::{self, DiffOp, DiffSpan, LookupOptions, Match, MatchKind, Matcher};
use crate::output::{Guard, Output};
use crate::store::{ImportFile, OpenMode, Store};
use crate::text::normalize;

/// `tm lookup`, mapped from its flags.
pub struct LookupConfig {
    /// One query, or `-` for one query per line of standard input.
    pub text: String,
    /// Score, count and languages.
    pub opts: LookupOptions,
    /// Look up in this TMX/TSV/CSV file instead of the memory, without importing it.
    pub memory: Option<PathBuf>,
}

/// The memory to look things up in: the database, or a file loaded into a temporary one.
fn open_for_lookup(ctx: &Context, memory: Option<&Path>, src: &str, tgt: &str) -> Result<Store> {
    let Some(path) = memory else {
        return ctx.open(OpenMode::ReadOnly);
    };
    let Some(format) = Format::from_path(path) else {
        bail!(
            "{}: --memory takes a .tmx, .tsv or .csv file",
            path.display()
        );
    };
    let mut store = Store::in_memory()?;
    store.import(
        &[ImportFile {
            path: path.to_path_buf(),
            format,
        }],
        &ReadOptions::new(src, tgt),
        &Default::default(),
        &|_| {},
    )?;
    Ok(store)
}

/// What `lookup --json` prints for one query, and what the server answers: the same shape for both.
#[derive(Serialize)]
pub(crate) struct LookupJson<'a> {
    pub query: &'a str,
    pub matches: &'a [Match],
}

pub fn lookup(ctx: &Context, cfg: LookupConfig) -> Result<()> {
    let store = open_for_lookup(ctx, cfg.memory.as_deref(), &cfg.opts.src, &cfg.opts.tgt)?;
    let mut matcher = Matcher::new(&store, cfg.opts.clone());
    let display = ctx.display();
    let mut out = io::stdout().lock();
    let mut answer = |query: &str, out: &mut io::StdoutLock| -> Result<()> {
        let matches = if query.is_empty() {
            Vec::new()
        } else {
            matcher.lookup(query, None)?
        };
        if ctx.json {
            serde_json::to_writer(
                &mut *out,
                &LookupJson {
                    query,
                    matches: &matches,
                },
            )?;
            writeln!(out)?;
        } else {
            print_matches(out, query, &matches, cfg.opts.min, &display)?;
        }
        Ok(())
    };
    if cfg.text == "-" {
        let stdin = io::stdin();
        for (i, line) in stdin.lock().lines().enumerate() {
            let line = line.with_context(|| format!("reading standard input, line {}", i + 1))?;
            // Every line is answered, a blank one with no matches: the answers stay in step with
            // the input's lines.
            answer(line.trim(), &mut out)?;
            // Each answer is seen as soon as it is ready, even through a pipe.
            out.flush()?;
        }
        return Ok(());
    }
    answer(&cfg.text, &mut out)
}

/// Whether a match is the translation itself (exact or in context, from an origin without a penalty):
/// what pretranslation approves.
fn is_the_translation(m: &Match) -> bool {
    matches!(m.kind, MatchKind::Context | MatchKind::Exact) && m.penalty.is_none()
}

/// Marks the differing words of `source`: colour on a terminal, `[[...]]` elsewhere. A variant (same
/// stem, another clitic or number) is marked more softly than another word.
fn mark_diff(source: &str, diff: &[DiffSpan], display: &Display) -> String {
    let spans = diff
        .iter()
        .map(|d| (d.start..d.end, d.op == DiffOp::Variant));
    mark_spans(source, spans, display)
}

/// Marks character ranges of `source`, each strongly or (`soft`) softly.
pub(super) fn mark_spans(
    source: &str,
    spans: impl IntoIterator<Item = (std::ops::Range<usize>, bool)>,
    display: &Display,
) -> String {
    let (open_red, open_yellow, close) = if display.color() && !display.reorders() {
        ("\x1b[31;1m", "\x1b[33m", "\x1b[0m")
    } else {
        ("[[", "[[", "]]")
    };
    // Cleaned char for char, so the spans' positions still hold.
    let chars: Vec<char> = crate::display::clean(source).chars().collect();
    let mut out = String::with_capacity(source.len() + 16);
    let mut at = 0;
    for (span, soft) in spans.into_iter().filter(|(s, _)| s.start < s.end) {
        out.extend(&chars[at..span.start]);
        out.push_str(if soft { open_yellow } else { open_red });
        out.extend(&chars[span.clone()]);
        out.push_str(close);
        at = span.end;
    }
    out.extend(&chars[at..]);
    display.reordered(&out).into_owned()
}

fn print_matches(
    out: &mut impl Write,
    query: &str,
    matches: &[Match],
    min: u8,
    display: &Display,
) -> io::Result<()> {
    writeln!(out, "{}", display.line(query))?;
    if matches.is_empty() {
        writeln!(out, "  no match at or above {min}")?;
    }
    for m in matches {
        let kind = serde_json::to_value(m.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:>3}  {kind:<10} #{}{}",
            m.score,
            m.id,
            m.origin
                .as_deref()
                .map(|o| format!("  {}", display.line(o)))
                .unwrap_or_default()
                + &m.penalty
                    .map(|p| format!(" (−{p} for its origin)"))
                    .unwrap_or_default()
        )?;
        writeln!(out, "       {}", mark_diff(&m.source, &m.diff, display))?;
        writeln!(out, "       {}", display.line(&m.target))?;
        if let Some(s) = &m.suggestion {
            writeln!(out, "     → {}", display.line(s))?;
        }
        if m.numbers == Some(fuzzy::suggest::Numbers::Unresolved) {
            writeln!(
                out,
                "       (its numbers differ from the query's and could not be put in: check them)"
            )?;
        }
        let missing: Vec<&str> = m
            .diff
            .iter()
            .filter(|d| d.op == DiffOp::Missing)
            .map(|d| d.text.as_str())
            .collect();
        if !missing.is_empty() {
            writeln!(
                out,
                "       (query words not in it: {})",
                display.line(&missing.join(" "))
            )?;
        }
    }
    Ok(())
}

/// What `concordance --json` prints, and what the server answers.
#[derive(Serialize)]
pub(crate) struct ConcordanceJson<'a> {
    pub phrase: &'a str,
    pub hits: &'a [Hit],
}

/// `tm concordance`.
pub fn concordance(ctx: &Context, phrase: &str, limit: usize, src: &str, tgt: &str) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let hits = find_phrase(&store, phrase, src, tgt, limit)?;
    if ctx.json {
        return ctx.print_json(&ConcordanceJson {
            phrase,
            hits: &hits,
        });
    }
    let display = ctx.display();
    let mut out = io::stdout().lock();
    if hits.is_empty() {
        writeln!(out, "no unit contains {}", display.line(phrase))?;
    }
    for h in &hits {
        let spans = h.spans.iter().map(|r| (r.clone(), false));
        let (source, target) = if h.side == Side::Source {
            (
                mark_spans(&h.source, spans, &display),
                display.line(&h.target).into_owned(),
            )
        } else {
            (
                display.line(&h.source).into_owned(),
                mark_spans(&h.target, spans, &display),
            )
        };
        writeln!(
            out,
            "#{}{}{}",
            h.id,
            h.origin
                .as_deref()
                .map(|o| format!("  {}", display.line(o)))
                .unwrap_or_default(),
            if h.inflected {
                "  (inflected form)"
            } else {
                ""
            }
        )?;
        writeln!(out, "  {source}")?;
        writeln!(out, "  {target}")?;
    }
    Ok(())
}

/// The segments of a document: its sentences, or with `lines` its non-empty lines as they are.
/// A document to pretranslate or analyze: a file, or standard input for `-`, in the encoding
/// `--encoding` names (else its BOM says, else UTF-8).
pub struct Document {
    pub path: PathBuf,
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

impl Document {
    /// The documents of `paths` read in `encoding` (a label such as `windows-1256`).
    pub fn all(paths: Vec<PathBuf>, encoding: Option<&str>) -> Result<Vec<Document>> {
        let encoding = super::encoding_flag(encoding)?;
        if paths.len() > 1 && paths.iter().any(|p| p.as_os_str() == "-") {
            bail!("-: standard input is read on its own, not with other files");
        }
        Ok(paths
            .into_iter()
            .map(|path| Document { path, encoding })
            .collect())
    }

    fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    /// The name errors and reports give it.
    fn name(&self) -> PathBuf {
        match self.is_stdin() {
            true => PathBuf::from("<stdin>"),
            false => self.path.clone(),
        }
    }

    fn text(&self) -> Result<String> {
        use crate::formats::decode::read_document_from;
        let name = self.name();
        Ok(match self.is_stdin() {
            true => read_document_from(io::stdin(), &name, self.encoding)?,
            false => {
                let file = crate::formats::open_file(&self.path)?;
                read_document_from(file, &name, self.encoding)?
            }
        })
    }
}

fn read_segments(doc: &Document, lines: bool) -> Result<Vec<String>> {
    Ok(read_paragraphs(doc, lines)?.into_iter().flatten().collect())
}

/// The document's segments, paragraph by paragraph (with `lines`, a line is a paragraph of one).
fn read_paragraphs(doc: &Document, lines: bool) -> Result<Vec<Vec<String>>> {
    let text = doc.text()?;
    let text = text.as_str();
    if !lines {
        return Ok(crate::segment::paragraphs(text));
    }
    Ok(text
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .map(|l| vec![l])
        .collect())
}

/// `tm pretranslate`, mapped from its flags.
pub struct PretranslateConfig {
    /// The documents; with several, `out` is a folder.
    pub files: Vec<Document>,
    /// The lowest score and the languages (`top` is always 1: a segment's best match).
    pub opts: LookupOptions,
    pub out: Option<PathBuf>,
    pub format: PretranslateFormat,
    /// Each line is one segment, as it is (else the text is split into sentences).
    pub lines: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PretranslateFormat {
    Tsv,
    Tmx,
    /// XLIFF 1.2.
    Xliff,
    /// XLIFF 2.1.
    Xliff2,
}

/// Each segment of a document with its best match (context considered).
fn best_matches(
    store: &Store,
    segments: &[String],
    opts: &LookupOptions,
) -> Result<Vec<Option<Match>>> {
    let opts = LookupOptions {
        top: 1,
        ..opts.clone()
    };
    let mut matcher = Matcher::new(store, opts);
    let mut out = Vec::with_capacity(segments.len());
    for (i, seg) in segments.iter().enumerate() {
        let context = fuzzy::Neighbours {
            prev: i.checked_sub(1).map(|j| segments[j].as_str()),
            next: segments.get(i + 1).map(String::as_str),
        };
        out.push(matcher.lookup(seg, Some(context))?.into_iter().next());
    }
    Ok(out)
}

fn kind_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Context => "context",
        MatchKind::Exact => "exact",
        MatchKind::Normalized => "normalized",
        MatchKind::Numbers => "numbers",
        MatchKind::Fuzzy => "fuzzy",
    }
}

pub fn pretranslate(ctx: &Context, cfg: PretranslateConfig) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let [one] = cfg.files.as_slice() else {
        // Several documents: a file each in the folder -o names, or JSON lines that say whose.
        let outputs: Vec<Option<PathBuf>> = match &cfg.out {
            Some(dir) if dir.is_dir() => {
                let ext = match cfg.format {
                    PretranslateFormat::Tsv => "tsv",
                    PretranslateFormat::Tmx => "tmx",
                    PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => "xlf",
                };
                let mut seen = std::collections::HashSet::new();
                let mut outputs = Vec::with_capacity(cfg.files.len());
                for doc in &cfg.files {
                    // report.v2.txt → report.v2.xlf: the extension is added to the stem, not put
                    // in place of its last dot.
                    let mut name = doc
                        .path
                        .file_stem()
                        .unwrap_or(doc.path.as_os_str())
                        .to_owned();
                    name.push(format!(".{ext}"));
                    let out = dir.join(name);
                    if !seen.insert(out.clone()) {
                        bail!(
                            "{}: two documents would both be written to {}; rename one",
                            doc.path.display(),
                            out.display()
                        );
                    }
                    outputs.push(Some(out));
                }
                outputs
            }
            Some(dir) => bail!(
                "{}: several documents are written a file each into a folder, and this is not one",
                dir.display()
            ),
            None if ctx.json => vec![None; cfg.files.len()],
            None => bail!(
                "several documents need -o FOLDER (a file each, named after the document) or --json"
            ),
        };
        for (doc, out) in cfg.files.iter().zip(outputs) {
            pretranslate_one(ctx, &store, &cfg, doc, out.as_deref(), true)?;
        }
        return Ok(());
    };
    pretranslate_one(ctx, &store, &cfg, one, cfg.out.as_deref(), false)
}

/// Pretranslates one document into `out` (standard output if `None`); `several` adds the document's
/// name to each JSON line.
fn pretranslate_one(
    ctx: &Context,
    store: &Store,
    cfg: &PretranslateConfig,
    doc: &Document,
    out_path: Option<&Path>,
    several: bool,
) -> Result<()> {
    let paragraphs = read_paragraphs(doc, cfg.lines)?;
    // Where each paragraph ends (the index of its last segment), for the XLIFF's groups.
    let paragraph_ends: std::collections::HashSet<usize> = paragraphs
        .iter()
        .scan(0, |at, p| {
            *at += p.len();
            Some(*at - 1)
        })
        .collect();
    let segments: Vec<String> = paragraphs.into_iter().flatten().collect();
    // Opened first: an output that may not be written fails before the work.
    let mut guard = Guard::new().memory(store.path());
    for other in cfg.files.iter().filter(|d| !d.is_stdin()) {
        guard = guard.input(&other.path, "a document");
    }
    let mut out = match out_path {
        Some(path) => Output::create(path, &mut guard)?,
        None => Output::stdout(),
    };
    let matches = best_matches(store, &segments, &cfg.opts)?;
    if ctx.json && out_path.is_none() {
        // One object a segment, its best match as `lookup --json` gives matches (null for none).
        #[derive(Serialize)]
        struct SegmentJson<'a> {
            /// The document, when there are several.
            #[serde(skip_serializing_if = "Option::is_none")]
            file: Option<PathBuf>,
            segment: &'a str,
            #[serde(rename = "match")]
            best: Option<&'a Match>,
        }
        let items: Vec<SegmentJson> = segments
            .iter()
            .zip(&matches)
            .map(|(segment, best)| SegmentJson {
                file: several.then(|| doc.name()),
                segment,
                best: best.as_ref(),
            })
            .collect();
        return ctx.print_json_lines(&items);
    }
    let name = out.name();
    let write_err = |e: io::Error| anyhow::Error::new(e).context(format!("writing {name}"));
    let mut dropped = 0;
    let mut left_out = 0;
    match cfg.format {
        PretranslateFormat::Tsv => {
            writeln!(out, "{}\t{}\tscore\tkind", cfg.opts.src, cfg.opts.tgt).map_err(write_err)?;
            for (seg, m) in segments.iter().zip(&matches) {
                let (target, score, kind) = match m {
                    Some(m) => (
                        m.suggestion.as_deref().unwrap_or(&m.target),
                        m.score.to_string(),
                        kind_name(m.kind),
                    ),
                    None => ("", String::new(), "new"),
                };
                writeln!(
                    out,
                    "{}\t{}\t{score}\t{kind}",
                    crate::formats::tsv::escape_field(seg),
                    crate::formats::tsv::escape_field(target)
                )
                .map_err(write_err)?;
            }
        }
        PretranslateFormat::Tmx => {
            let header = crate::formats::tmx::Header {
                srclang: cfg.opts.src.clone(),
                creation_date: crate::store::now(),
            };
            let mut w =
                crate::formats::tmx::TmxWriter::new(&mut out, &header).map_err(write_err)?;
            for (seg, m) in segments.iter().zip(&matches) {
                // The new Arabic with English that translates it for certain: a fuzzy match's English
                // is another segment's, which a CAT tool reading this memory would take as this one's;
                // a penalized origin's is not trusted to be.
                let Some(m) = m
                    .as_ref()
                    .filter(|m| m.kind != MatchKind::Fuzzy && m.penalty.is_none())
                else {
                    left_out += usize::from(m.is_some());
                    continue;
                };
                let mut unit = crate::unit::Unit::new(
                    &cfg.opts.src,
                    &cfg.opts.tgt,
                    crate::unit::Segment::plain(seg.as_str()),
                    crate::unit::Segment::plain(
                        m.suggestion.clone().unwrap_or_else(|| m.target.clone()),
                    ),
                );
                unit.origin = m.origin.clone();
                unit.meta.annotations.push(crate::unit::Annotation::prop(
                    "x-match-score",
                    m.score.to_string(),
                ));
                unit.meta.annotations.push(crate::unit::Annotation::prop(
                    "x-match-kind",
                    kind_name(m.kind),
                ));
                w.write_unit(&unit).map_err(write_err)?;
            }
            dropped = w.dropped_chars;
            w.finish().map_err(write_err)?;
        }
        PretranslateFormat::Xliff | PretranslateFormat::Xliff2 => {
            let original = doc.name().display().to_string();
            let version = if cfg.format == PretranslateFormat::Xliff2 {
                XliffVersion::V21
            } else {
                XliffVersion::V12
            };
            let mut w = XliffWriter::with_version(
                &mut out,
                version,
                &original,
                &cfg.opts.src,
                &cfg.opts.tgt,
            )
            .map_err(write_err)?;
            for (i, (seg, m)) in segments.iter().zip(&matches).enumerate() {
                let note = m.as_ref().map(|m| {
                    let unresolved = m.numbers == Some(fuzzy::suggest::Numbers::Unresolved);
                    let numbers = if unresolved {
                        ", numbers unresolved"
                    } else {
                        ""
                    };
                    let penalty = m
                        .penalty
                        .map(|p| format!(", {p} points off for its origin"))
                        .unwrap_or_default();
                    format!("{} {}{numbers}{penalty}", m.score, kind_name(m.kind))
                });
                let target = m.as_ref().zip(note.as_deref()).map(|(m, note)| {
                    // A penalized origin's match is never taken as the translation.
                    let certain = is_the_translation(m);
                    let (state, qualifier) = match m.kind {
                        MatchKind::Context | MatchKind::Exact if certain => {
                            ("translated", "exact-match")
                        }
                        MatchKind::Context | MatchKind::Exact => {
                            ("needs-review-translation", "exact-match")
                        }
                        MatchKind::Normalized | MatchKind::Numbers => {
                            ("needs-review-translation", "leveraged-tm")
                        }
                        MatchKind::Fuzzy => ("needs-review-translation", "fuzzy-match"),
                    };
                    Target {
                        text: m.suggestion.as_deref().unwrap_or(&m.target),
                        state,
                        qualifier,
                        note,
                        approved: certain,
                    }
                });
                w.write_segment(seg, target.as_ref()).map_err(write_err)?;
                if paragraph_ends.contains(&i) {
                    w.end_paragraph().map_err(write_err)?;
                }
            }
            dropped = w.dropped_chars;
            w.finish().map_err(write_err)?;
        }
    }
    out.finish()?;
    if dropped > 0 {
        eprintln!(
            "warning: {dropped} control character(s) that XML 1.0 cannot represent were left out"
        );
    }
    if ctx.json {
        #[derive(Serialize)]
        struct WrittenJson {
            output: String,
            segments: usize,
            matched: usize,
            left_out: usize,
        }
        return ctx.print_json(&WrittenJson {
            output: out_path
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            segments: segments.len(),
            matched: matches.iter().filter(|m| m.is_some()).count(),
            left_out,
        });
    }
    if out_path.is_some() || !io::stdout().is_terminal() {
        let found = matches.iter().filter(|m| m.is_some()).count();
        let whose = match several {
            true => format!("{}: ", doc.name().display()),
            false => String::new(),
        };
        eprintln!(
            "{whose}{} of {} segments have a match at or above {}",
            found,
            segments.len(),
            cfg.opts.min
        );
        if left_out > 0 {
            eprintln!(
                "{left_out} match(es) left out of the TMX: fuzzy ones (their English is another segment's) and penalized origins' (not trusted to be this one's)"
            );
        }
    }
    Ok(())
}

/// The leverage bands of an analysis, in report order.
const BANDS: [&str; 8] = [
    "context",
    "repetition",
    "100",
    "95-99",
    "85-94",
    "75-84",
    "50-74",
    "new",
];

#[derive(Serialize, Default, Clone)]
struct Band {
    band: &'static str,
    segments: u64,
    words: u64,
}

#[derive(Serialize)]
struct Analysis {
    /// The document; `null` for the total of several.
    file: Option<PathBuf>,
    /// How many documents the total covers (only in a total).
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<usize>,
    segments: u64,
    words: u64,
    bands: Vec<Band>,
}

impl Analysis {
    fn new(file: Option<PathBuf>) -> Analysis {
        Analysis {
            file,
            files: None,
            segments: 0,
            words: 0,
            bands: BANDS
                .iter()
                .map(|&band| Band {
                    band,
                    ..Band::default()
                })
                .collect(),
        }
    }

    fn add(&mut self, band: &'static str, segments: u64, words: u64) {
        if let Some(b) = self.bands.iter_mut().find(|b| b.band == band) {
            b.segments += segments;
            b.words += words;
            self.segments += segments;
            self.words += words;
        }
    }
}

/// `tm analyze`: segments and words per band, as translators quote them.
///
/// A segment that repeats an earlier one (after normalization), in the same document or an earlier
/// one of the same run, is a repetition, whatever the memory holds; the others go to the band of their
/// best match (threshold 50). Several documents get a report each and a total, as a batch is quoted.
pub fn analyze(ctx: &Context, docs: &[Document], lines: bool, src: &str, tgt: &str) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let opts = LookupOptions {
        min: 50,
        top: 1,
        src: src.to_string(),
        tgt: tgt.to_string(),
        ..LookupOptions::default()
    };
    let mut seen = std::collections::HashSet::new();
    let mut total = Analysis::new(None);
    total.files = Some(docs.len());
    let mut reports = Vec::with_capacity(docs.len());
    for doc in docs {
        let segments = read_segments(doc, lines)?;
        let matches = best_matches(&store, &segments, &opts)?;
        let mut analysis = Analysis::new(Some(doc.name()));
        for (seg, m) in segments.iter().zip(&matches) {
            let words = crate::text::tokenize(seg).len() as u64;
            let band = if !seen.insert(normalize(seg)) {
                "repetition"
            } else {
                match m {
                    Some(m) if m.kind == MatchKind::Context => "context",
                    Some(m) if m.score == 100 => "100",
                    Some(m) if m.score >= 95 => "95-99",
                    Some(m) if m.score >= 85 => "85-94",
                    Some(m) if m.score >= 75 => "75-84",
                    Some(_) => "50-74",
                    None => "new",
                }
            };
            analysis.add(band, 1, words);
            total.add(band, 1, words);
        }
        reports.push(analysis);
    }
    if docs.len() > 1 {
        reports.push(total);
    }
    if ctx.json {
        // One document: its object, as before; several: an object a line, the total last.
        return match reports.as_slice() {
            [one] => ctx.print_json(one),
            all => ctx.print_json_lines(all),
        };
    }
    let mut out = io::stdout().lock();
    let display = ctx.display();
    for (i, analysis) in reports.iter().enumerate() {
        if reports.len() > 1 {
            let title = match &analysis.file {
                Some(file) => display.line(&file.display().to_string()).into_owned(),
                None => format!("all {} documents", docs.len()),
            };
            writeln!(out, "{}{title}", if i > 0 { "\n" } else { "" })?;
        }
        writeln!(out, "{}", band_table(analysis, &display).trim_end())?;
    }
    Ok(())
}

/// The text report of one analysis: a row a band and the total.
fn band_table(analysis: &Analysis, display: &Display) -> String {
    let pct = |n: u64, total: u64| {
        if total == 0 {
            0.0
        } else {
            100.0 * n as f64 / total as f64
        }
    };
    let rows: Vec<Vec<String>> = analysis
        .bands
        .iter()
        .map(|b| {
            vec![
                b.band.to_string(),
                b.segments.to_string(),
                b.words.to_string(),
                format!("{:.1}%", pct(b.words, analysis.words)),
            ]
        })
        .chain([vec![
            "total".to_string(),
            analysis.segments.to_string(),
            analysis.words.to_string(),
            "100.0%".to_string(),
        ]])
        .collect();
    crate::display::table(&["band", "segments", "words", "words %"], &rows, display)
}
