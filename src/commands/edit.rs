//! The commands that change stored units: `tm edit` (one unit) and `tm replace` (find and replace across
//! the memory, with a preview).

use std::io::{self, Write};

use anyhow::{bail, Result};
use regex::RegexBuilder;
use serde::Serialize;

use super::matching::mark_spans;
use super::Context;
use crate::store::{EditRequest, OpenMode, Replace, Side, Store, UnitFilter};

/// What `edit --json` prints, and what the server answers.
#[derive(Serialize)]
pub(crate) struct EditedJson {
    id: i64,
    merged_into: Option<i64>,
    source: String,
    target: String,
    changed: Option<String>,
    changed_by: Option<String>,
    /// The sides whose inline codes went with their old text.
    dropped_codes: Vec<&'static str>,
}

/// Checks an edit and makes it: `tm edit` and the server's `PATCH /api/v1/units/{id}`. `Ok(None)`:
/// there is no unit `id`.
pub(crate) fn edit_unit(
    store: &mut Store,
    id: i64,
    request: &EditRequest,
    user: Option<&str>,
) -> Result<Option<EditedJson>> {
    if request.source.is_none() && request.target.is_none() && request.note.is_none() {
        bail!("say what to change: the source, the target or the note");
    }
    for (side, text) in [("source", &request.source), ("target", &request.target)] {
        if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            bail!("the new {side} is empty: a unit needs both texts (delete the unit instead)");
        }
    }
    let Some(before) = store.get(id)? else {
        return Ok(None);
    };
    let Some((stored_as, after)) = store.edit(id, request, user)? else {
        return Ok(None);
    };
    let dropped_codes = [
        ("source", &before.source, &request.source),
        ("target", &before.target, &request.target),
    ]
    .into_iter()
    .filter(|(_, seg, new)| new.is_some() && seg.markup.is_some())
    .map(|(side, _, _)| side)
    .collect();
    Ok(Some(EditedJson {
        id,
        merged_into: (stored_as != id).then_some(stored_as),
        source: after.source.text,
        target: after.target.text,
        changed: after.changed,
        changed_by: after.changed_by,
        dropped_codes,
    }))
}

/// `tm edit --id N [--source TEXT] [--target TEXT] [--note TEXT]`.
pub fn edit(ctx: &Context, id: i64, request: EditRequest, user: Option<String>) -> Result<()> {
    if request.source.is_none() && request.target.is_none() && request.note.is_none() {
        bail!("say what to change: --source, --target or --note");
    }
    for (flag, text) in [("--source", &request.source), ("--target", &request.target)] {
        if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            bail!("{flag} is empty: a unit needs both texts (tm delete --id {id} removes it)");
        }
    }
    let mut store = ctx.open(OpenMode::ReadWrite)?;
    let Some(edited) = edit_unit(&mut store, id, &request, user.as_deref())? else {
        bail!("no unit has id {id} (tm list shows ids)");
    };
    if ctx.json {
        return ctx.print_json(&edited);
    }
    let disp = ctx.display();
    let mut out = io::stdout().lock();
    if let Some(stored_as) = edited.merged_into {
        writeln!(
            out,
            "unit {id} is now identical to unit {stored_as} and was merged into it"
        )?;
    } else {
        writeln!(out, "edited unit {id}")?;
    }
    writeln!(out, "  {}", disp.line(&edited.source))?;
    writeln!(out, "  {}", disp.line(&edited.target))?;
    for side in &edited.dropped_codes {
        writeln!(
            out,
            "note: the {side}'s inline codes (tags from a CAT tool) were dropped with its old text"
        )?;
    }
    Ok(())
}

/// `tm replace`, mapped from its flags.
pub struct ReplaceConfig {
    pub old: String,
    pub new: String,
    /// Only in sources (`--source`), only in targets (`--target`); both when neither is given.
    pub source: bool,
    pub target: bool,
    pub word: bool,
    pub regex: bool,
    pub ignore_case: bool,
    pub origin: Option<String>,
    pub dry_run: bool,
    pub user: Option<String>,
}

/// How many changes the text output previews before it only counts.
const PREVIEW: usize = 200;

pub fn replace(ctx: &Context, cfg: ReplaceConfig) -> Result<()> {
    if cfg.old.is_empty() {
        bail!("nothing to find: OLD is empty");
    }
    let pattern = if cfg.regex {
        cfg.old.clone()
    } else {
        regex::escape(&cfg.old)
    };
    // \b knows Arabic letters (Unicode word characters), so --word works on both sides.
    let pattern = if cfg.word {
        format!(r"\b(?:{pattern})\b")
    } else {
        pattern
    };
    let pattern = match RegexBuilder::new(&pattern)
        .case_insensitive(cfg.ignore_case)
        .build()
    {
        Ok(p) => p,
        Err(e) => bail!("--regex {:?} is not a valid pattern: {e}", cfg.old),
    };
    let both = !cfg.source && !cfg.target;
    let rule = Replace {
        pattern,
        replacement: cfg.new.clone(),
        expand: cfg.regex,
        source: cfg.source || both,
        target: cfg.target || both,
    };
    let filter = UnitFilter {
        origin: cfg.origin.clone(),
        ..UnitFilter::default()
    };
    let mut store = ctx.open(if cfg.dry_run {
        OpenMode::ReadOnly
    } else {
        OpenMode::ReadWrite
    })?;
    let report = store.replace(&rule, &filter, cfg.dry_run, cfg.user.as_deref())?;
    if ctx.json {
        return ctx.print_json(&report);
    }
    let disp = ctx.display();
    let mut out = io::stdout().lock();
    for c in report.changes.iter().take(PREVIEW) {
        let side = match c.side {
            Side::Source => "source",
            Side::Target => "target",
        };
        let merged = c
            .merged_into
            .map(|o| format!(" (now identical to {o}: merged into it)"))
            .unwrap_or_default();
        writeln!(out, "#{} {side}{merged}", c.id)?;
        let spans = |text: &str| {
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
            rule.pattern
                .find_iter(text)
                .map(|m| (char_at(m.start())..char_at(m.end()), false))
                .collect::<Vec<_>>()
        };
        writeln!(
            out,
            "  - {}",
            mark_spans(&c.before, spans(&c.before), &disp)
        )?;
        writeln!(out, "  + {}", disp.line(&c.after))?;
    }
    if report.changes.len() > PREVIEW {
        writeln!(
            out,
            "... and {} more changes (--json lists them all)",
            report.changes.len() - PREVIEW
        )?;
    }
    let verb = if cfg.dry_run {
        "would replace"
    } else {
        "replaced"
    };
    writeln!(
        out,
        "{verb} {} in {}{}",
        super::count(report.occurrences, "occurrence", "occurrences"),
        super::count(report.units, "unit", "units"),
        if cfg.dry_run {
            " (dry run: nothing changed)"
        } else {
            ""
        }
    )?;
    if !report.would_be_empty.is_empty() {
        writeln!(
            out,
            "left alone: {} whose text would be empty (ids {:?}); tm delete removes a unit",
            super::count(report.would_be_empty.len() as u64, "unit", "units"),
            report.would_be_empty
        )?;
    }
    if !report.crossing_codes.is_empty() {
        writeln!(
            out,
            "left alone: {} where a match crosses an inline code (ids {:?}); tm edit changes them",
            super::count(report.crossing_codes.len() as u64, "unit", "units"),
            report.crossing_codes
        )?;
    }
    Ok(())
}
