//! The commands that fill, empty and inspect the memory: import, export, add, stats, list, delete,
//! dedupe, reindex, doctor.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Serialize;

use super::{progress_bar, Context};
use crate::display;
use crate::formats::tmx::{Header, TmxWriter};
use crate::formats::tsv::{DelimitedWriter, Delimiter};
use crate::formats::{read_units, Format, LeftOut, ReadOptions, StateFilter};
use crate::output::{Guard, Output};
use crate::store::{self, ImportFile, ImportOptions, OpenMode, Provenance, Store, UnitFilter};
use crate::unit::{Segment, Unit};

/// What stands for standard input in errors and is the origin of its units that name none.
const STDIN: &str = "<stdin>";

/// `tm import`, mapped from its flags.
pub struct ImportConfig {
    pub files: Vec<PathBuf>,
    pub format: Option<Format>,
    pub src: String,
    pub tgt: String,
    pub origin: Option<String>,
    pub skip_invalid: bool,
    pub encoding: Option<String>,
    pub header: Option<bool>,
    pub user: Option<String>,
    /// Bytes of one line or text run before a file is refused ([`crate::formats::MAX_SEGMENT`]).
    pub max_segment: usize,
    /// XLIFF: which segments go in, by their state.
    pub state: StateFilter,
}

pub fn import(ctx: &Context, cfg: ImportConfig) -> Result<()> {
    let from_stdin = cfg.files.iter().any(|p| p.as_os_str() == "-");
    if from_stdin && cfg.files.len() > 1 {
        bail!("-: standard input is imported on its own, not beside files");
    }
    let mut files = Vec::new();
    let mut total_bytes = 0;
    for path in &cfg.files {
        let format = match cfg.format.or_else(|| Format::from_path(path)) {
            Some(f) => f,
            None => bail!(
                "{}: cannot tell the format from the extension; give --format tmx|tsv|csv|xliff",
                path.display()
            ),
        };
        if from_stdin {
            files.push(ImportFile {
                path: path.clone(),
                format,
            });
            continue;
        }
        let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
        total_bytes += meta.len();
        files.push(ImportFile {
            path: path.clone(),
            format,
        });
    }
    let mut read = ReadOptions::new(&cfg.src, &cfg.tgt);
    read.header = cfg.header;
    read.max_segment = cfg.max_segment;
    read.encoding = super::encoding_flag(cfg.encoding.as_deref())?;
    read.state = cfg.state;
    let opts = ImportOptions {
        provenance: Provenance {
            user: cfg.user,
            origin: cfg.origin,
        },
        skip_invalid: cfg.skip_invalid,
    };
    ctx.make_default_folder()?;
    let db = ctx.db_path()?;
    let bar = progress_bar(total_bytes, "importing");
    // Standard input streams into the memory as a file does, under a name for its errors and origin.
    let import = |store: &mut Store| match (from_stdin, files.first()) {
        (true, Some(file)) => {
            let name = Path::new(STDIN);
            let units = read_units(io::stdin(), name, file.format, &read)?;
            let mut report = store.import_units(name, units, &read, &opts)?;
            for f in &mut report.files {
                f.format = file.format.to_string();
            }
            Ok(report)
        }
        _ => store.import(&files, &read, &opts, &|bytes| bar.set_position(bytes)),
    };
    // A first import builds the memory beside its place and moves it in when it has succeeded, so a
    // failed or killed one leaves no memory behind (see Store::create_new).
    let existed = db.exists();
    let created = if existed {
        None
    } else {
        Store::create_new(&db, import)?
    };
    let report = match created {
        Some(report) => report,
        // Another process created the memory while standard input went into a new one, which was
        // left unused: what was read cannot be read again.
        None if from_stdin && !existed => bail!(
            "{}: another tm created this memory while standard input was being read into a new \
             one; nothing was stored: import again",
            db.display()
        ),
        // The memory existed, or another process created it meanwhile.
        None => import(&mut ctx.open(OpenMode::ReadWrite)?)?,
    };
    bar.finish_and_clear();

    for s in report
        .skipped_units
        .iter()
        .take(if ctx.json { 0 } else { 20 })
    {
        let at = s
            .position()
            .map(|p| format!(":{}:{}", p.line, p.col))
            .unwrap_or_default();
        eprintln!(
            "skipped: {}{at}: {}",
            s.file.display(),
            crate::display::clean(&s.error)
        );
    }
    if !ctx.json && report.skipped_units.len() > 20 {
        eprintln!("skipped: ... and {} more", report.skipped_units.len() - 20);
    }
    if ctx.json {
        return ctx.print_json(&report);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "imported {} units from {} file{} into {}: {} new, {} identical to stored units{}",
        report.units,
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        db.display(),
        report.added,
        report.merged,
        if report.skipped > 0 {
            format!(", {} skipped", report.skipped)
        } else {
            String::new()
        }
    )?;
    if let Some(line) = left_out_line(&report.left_out, &read.state) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The import summary's account of what was passed over on purpose, and why.
fn left_out_line(left_out: &LeftOut, filter: &StateFilter) -> Option<String> {
    if left_out.total == 0 {
        return None;
    }
    let mut parts = Vec::new();
    for (reason, &n) in &left_out.reasons {
        parts.push(match reason.as_str() {
            "state" => {
                let states: Vec<String> = (left_out.states.iter())
                    .map(|(state, n)| format!("{state} {n}"))
                    .collect();
                let what = match filter {
                    StateFilter::Confirmed => "not confirmed",
                    _ => "in another state",
                };
                format!(
                    "{n} {what} ({}; --state all takes every translated segment)",
                    states.join(", ")
                )
            }
            "other_pair" => format!("{n} of other languages"),
            "untranslated" => format!("{n} without a translation"),
            "not_translatable" => format!("{n} marked not to be translated"),
            "empty_source" => format!("{n} with no source text"),
            other => format!("{n} {other}"),
        });
    }
    Some(format!("left out {}: {}", left_out.total, parts.join(", ")))
}

/// `tm export`, mapped from its flags.
pub struct ExportConfig {
    pub file: PathBuf,
    pub format: Format,
    pub filter: UnitFilter,
}

pub fn export(ctx: &Context, cfg: ExportConfig) -> Result<()> {
    if cfg.format == Format::Xliff {
        bail!(
            "{}: export writes TMX, TSV or CSV; XLIFF for a CAT tool comes from `tm pretranslate \
             DOC -o FILE.xlf`",
            cfg.file.display()
        );
    }
    let store = ctx.open(OpenMode::ReadOnly)?;
    let stats = store.stats()?;
    let mut out = Output::create(&cfg.file, &mut Guard::new().memory(store.path()))?;
    let to_stdout = out.is_stdout();
    let bar = progress_bar(if to_stdout { 0 } else { stats.segments }, "exporting");
    let write_err =
        |e: io::Error| anyhow::Error::new(e).context(format!("writing {}", cfg.file.display()));
    // The language pair of the export, when it has one.
    let pair = match (
        &cfg.filter.src_lang,
        &cfg.filter.tgt_lang,
        stats.pairs.as_slice(),
    ) {
        (Some(src), Some(tgt), _) => Some((src.clone(), tgt.clone())),
        (_, _, [one]) => Some((one.src.clone(), one.tgt.clone())),
        _ => None,
    };
    let (count, dropped) = match cfg.format {
        Format::Tmx => {
            let srclang = cfg
                .filter
                .src_lang
                .clone()
                .or_else(|| pair.as_ref().map(|p| p.0.clone()))
                .unwrap_or_else(|| "*all*".to_string());
            let header = Header {
                srclang,
                creation_date: store::now(),
            };
            let mut w = TmxWriter::new(&mut out, &header).map_err(write_err)?;
            let n = store.for_each_unit(&cfg.filter, |_, unit| {
                bar.inc(1);
                w.write_unit(&unit).map_err(write_err)
            })?;
            let dropped = w.dropped_chars;
            w.finish().map_err(write_err)?;
            (n, dropped)
        }
        Format::Xliff => bail!("XLIFF is read, not exported"),
        Format::Tsv | Format::Csv => {
            let delimiter = if cfg.format == Format::Tsv {
                Delimiter::Tab
            } else {
                Delimiter::Comma
            };
            let languages = pair.as_ref().map(|(s, t)| (s.as_str(), t.as_str()));
            let mut w = DelimitedWriter::new(&mut out, delimiter, languages).map_err(write_err)?;
            let n = store.for_each_unit(&cfg.filter, |_, unit| {
                bar.inc(1);
                w.write_unit(&unit).map_err(write_err)
            })?;
            w.finish().map_err(write_err)?;
            (n, 0)
        }
    };
    bar.finish_and_clear();
    out.finish()?;
    if dropped > 0 {
        eprintln!(
            "warning: {dropped} control character(s) that XML 1.0 cannot represent were left out"
        );
    }
    #[derive(Serialize)]
    struct Exported<'a> {
        file: &'a Path,
        format: String,
        units: u64,
    }
    let summary = Exported {
        file: &cfg.file,
        format: cfg.format.to_string(),
        units: count,
    };
    if to_stdout {
        return Ok(());
    }
    if ctx.json {
        return ctx.print_json(&summary);
    }
    writeln!(
        io::stdout().lock(),
        "exported {count} units to {} ({})",
        cfg.file.display(),
        cfg.format
    )?;
    Ok(())
}

/// `tm add`, mapped from its flags.
pub struct AddConfig {
    pub source: String,
    pub target: String,
    pub src: String,
    pub tgt: String,
    pub origin: Option<String>,
    pub user: Option<String>,
}

/// What `add --json` prints, and what the server answers.
#[derive(Serialize)]
pub(crate) struct AddedJson {
    id: i64,
    /// `false`: the same pair was stored already, and that unit is the answer.
    new: bool,
}

/// Stores one unit: `tm add` and the server's `POST /api/v1/units`.
pub(crate) fn add_unit(store: &mut Store, unit: Unit, user: Option<String>) -> Result<AddedJson> {
    let added = store.add(unit, &Provenance { user, origin: None })?;
    Ok(match added {
        store::Added::New(id) => AddedJson { id, new: true },
        store::Added::Merged(id) => AddedJson { id, new: false },
    })
}

pub fn add(ctx: &Context, cfg: AddConfig) -> Result<()> {
    if cfg.source.trim().is_empty() || cfg.target.trim().is_empty() {
        bail!("--source and --target must both have text");
    }
    let mut unit = Unit::new(
        &cfg.src,
        &cfg.tgt,
        Segment::plain(cfg.source),
        Segment::plain(cfg.target),
    );
    unit.origin = cfg.origin;
    let mut store = ctx.open(OpenMode::ReadWrite)?;
    let added = add_unit(&mut store, unit, cfg.user)?;
    if ctx.json {
        return ctx.print_json(&added);
    }
    let AddedJson { id, new } = added;
    let what = if new {
        "added as unit"
    } else {
        "already stored as unit"
    };
    writeln!(io::stdout().lock(), "{what} {id}")?;
    Ok(())
}

pub fn stats(ctx: &Context) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let stats = store.stats()?;
    if ctx.json {
        return ctx.print_json(&stats);
    }
    let mut out = io::stdout().lock();
    writeln!(out, "memory    {}", stats.path.display())?;
    writeln!(out, "segments  {}", stats.segments)?;
    for p in &stats.pairs {
        writeln!(out, "  {} → {}  {}", p.src, p.tgt, p.segments)?;
    }
    writeln!(out, "origins   {}", stats.origins)?;
    if let (Some(old), Some(new)) = (&stats.oldest, &stats.newest) {
        writeln!(out, "dates     {old} … {new}")?;
    }
    writeln!(
        out,
        "size      {:.1} MiB (schema version {})",
        stats.size_bytes as f64 / (1024.0 * 1024.0),
        stats.schema_version
    )?;
    Ok(())
}

/// `tm origins`: each origin with its units and latest change, as `--origin` names them.
pub fn origins(ctx: &Context) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let origins = store.origins()?;
    if ctx.json {
        // One object a line, as `list --json` gives units.
        return ctx.print_json_lines(&origins);
    }
    let disp = ctx.display();
    let rows: Vec<Vec<String>> = (origins.iter())
        .map(|o| {
            vec![
                o.origin.clone().unwrap_or_else(|| "(none)".into()),
                o.units.to_string(),
                o.changed.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let text = display::table(&["origin", "units", "changed"], &rows, &disp);
    writeln!(io::stdout().lock(), "{}", text.trim_end())?;
    Ok(())
}

pub fn list(ctx: &Context, filter: UnitFilter, limit: usize) -> Result<()> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    // Keep the newest `limit` units without holding the whole memory.
    let mut rows: std::collections::VecDeque<(i64, Unit)> = Default::default();
    store.for_each_unit(&filter, |id, unit| {
        if limit == 0 {
            return Ok(());
        }
        if rows.len() == limit {
            rows.pop_front();
        }
        rows.push_back((id, unit));
        Ok::<(), anyhow::Error>(())
    })?;
    if ctx.json {
        #[derive(Serialize)]
        struct Row<'a> {
            id: i64,
            source: &'a str,
            target: &'a str,
            origin: Option<&'a str>,
            changed: Option<&'a str>,
        }
        let mut out = io::stdout().lock();
        for (id, u) in &rows {
            let row = Row {
                id: *id,
                source: &u.source.text,
                target: &u.target.text,
                origin: u.origin.as_deref(),
                changed: u.changed.as_deref(),
            };
            serde_json::to_writer(&mut out, &row)?;
            writeln!(out)?;
        }
        return Ok(());
    }
    let disp = ctx.display();
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(id, u)| {
            vec![
                id.to_string(),
                u.source.text.clone(),
                u.target.text.clone(),
                u.origin.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let text = display::table(&["id", "source", "target", "origin"], &table_rows, &disp);
    writeln!(io::stdout().lock(), "{}", text.trim_end())?;
    Ok(())
}

/// What `delete --json` prints, and what the server answers.
#[derive(Serialize)]
pub(crate) struct DeletedJson {
    pub deleted: u64,
    pub dry_run: bool,
}

pub fn delete(ctx: &Context, filter: UnitFilter, all: bool, dry_run: bool) -> Result<()> {
    if filter.is_everything() && !all {
        bail!("say which units to delete: --id, --origin or --source (or --all for everything)");
    }
    let (count, verb) = if dry_run {
        (
            ctx.open(OpenMode::ReadOnly)?.count(&filter)?,
            "would delete",
        )
    } else {
        (ctx.open(OpenMode::ReadWrite)?.delete(&filter)?, "deleted")
    };
    if ctx.json {
        return ctx.print_json(&DeletedJson {
            deleted: count,
            dry_run,
        });
    }
    writeln!(io::stdout().lock(), "{verb} {count} units")?;
    Ok(())
}

pub fn dedupe(ctx: &Context, dry_run: bool) -> Result<()> {
    let mut store = ctx.open(if dry_run {
        OpenMode::ReadOnly
    } else {
        OpenMode::ReadWrite
    })?;
    let report = store.dedupe(dry_run)?;
    if ctx.json {
        return ctx.print_json(&report);
    }
    let disp = ctx.display();
    let mut out = io::stdout().lock();
    for g in report.groups.iter().take(20) {
        writeln!(
            out,
            "keep {} ({}  →  {}), {} {:?}",
            g.kept,
            disp.line(&g.source),
            disp.line(&g.target),
            if dry_run { "would remove" } else { "removed" },
            g.removed
        )?;
    }
    if report.groups.len() > 20 {
        writeln!(out, "... and {} more groups", report.groups.len() - 20)?;
    }
    writeln!(
        out,
        "{} {} duplicate units in {} groups",
        if dry_run { "would remove" } else { "removed" },
        report.removed,
        report.groups.len()
    )?;
    Ok(())
}

/// `tm reindex`: rebuilds the word index from the stored text.
/// `tm doctor`: the whole file checked; true when it is damaged (exit status 1).
pub fn doctor(ctx: &Context) -> Result<bool> {
    let store = ctx.open(OpenMode::ReadOnly)?;
    let health = store.doctor()?;
    let path = store.path().display().to_string();
    if ctx.json {
        #[derive(Serialize)]
        struct Doctor<'a> {
            file: &'a str,
            whole: bool,
            #[serde(flatten)]
            health: &'a store::Health,
        }
        ctx.print_json(&Doctor {
            file: &path,
            whole: health.is_whole(),
            health: &health,
        })?;
    } else if health.is_whole() {
        writeln!(
            io::stdout().lock(),
            "{path}: the memory is whole ({} units checked)",
            health.units
        )?;
    } else {
        let mut out = io::stdout().lock();
        writeln!(out, "{path}: the memory is damaged")?;
        for problem in &health.problems {
            writeln!(out, "  SQLite: {problem}")?;
        }
        for u in &health.unreadable {
            writeln!(
                out,
                "  unit {}: its {} is not text (not UTF-8); `tm delete --id {}` removes it",
                u.id, u.column, u.id
            )?;
        }
        writeln!(
            out,
            "What to do: `tm --db {path} export rescue.tmx` saves what can still be read; import it \
             into a new memory (`tm --db new.db import rescue.tmx`), or restore a copy of the file."
        )?;
    }
    Ok(!health.is_whole())
}

pub fn reindex(ctx: &Context) -> Result<()> {
    let mut store = ctx.open(OpenMode::ReadWrite)?;
    let n = store.reindex()?;
    if ctx.json {
        #[derive(Serialize)]
        struct Reindexed {
            units: u64,
        }
        return ctx.print_json(&Reindexed { units: n });
    }
    writeln!(io::stdout().lock(), "indexed {n} units")?;
    Ok(())
}
