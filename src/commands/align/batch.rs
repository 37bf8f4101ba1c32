//! `tm align --batch LIST`: every document pair of a list in one run.
//!
//! The list is read and checked whole before anything is aligned (every line's form, files that stay in
//! the list's folder, outputs that overwrite nothing they should not); then the pairs are aligned
//! `--jobs` at a time, each by `pair.rs` as a single `tm align` would. A pair that fails, or panics, is
//! reported with its line and the others go on; with `--import`, nothing is imported unless every pair
//! aligned.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use anyhow::{bail, Result};
use serde::Serialize;

use super::pair::{align_pair, Aligned, Totals};
use super::{read_text, AlignConfig, DocumentPair, Help};
use crate::commands::{count, describe, progress_bar, Context};
use crate::output::{memory_files, FileId, FileIds};
use crate::unit::Unit;

/// Aligns the pairs of a `--batch` list: a pair that fails is reported with its line and the others go
/// on; the units to import (in the list's order) only if every pair aligned.
pub(super) fn align_batch(
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
    let bar = progress_bar(pairs.len() as u64, "aligning");
    align_all(ctx, cfg, help, pairs, |k, result| {
        match result {
            Ok(aligned) => {
                total.add(&aligned.totals);
                units[k] = aligned.units;
            }
            Err(e) => {
                let (line, at) = (pairs[k].0, list.display());
                bar.suspend(|| eprintln!("{at}:{line}: {}", describe(&e)));
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
            count(pairs.len() as u64, "document pair", "document pairs"),
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
pub(super) fn read_list(
    ctx: &Context,
    list: &Path,
    cfg: &AlignConfig,
) -> Result<Vec<(usize, DocumentPair)>> {
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
