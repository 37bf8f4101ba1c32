//! The commands of the name authority: check, and names list/add/remove/import/export.

use crate::names::Origin;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Serialize;

use super::Context;
use crate::formats::{open_units, Format, ReadOptions};
use crate::names::check::{Checker, Finding};
use crate::names::style::Style;
use crate::names::translit::{MemorySpellings, Scheme, Transliteration, Transliterator};
use crate::names::{parse_tsv, to_tsv, Authority, Kind, Name};
use crate::output::Output;
use crate::store::{OpenMode, Store, UnitFilter};

/// The authority: shipped names, with the user's from the memory when there is one.
fn authority(ctx: &Context) -> Result<Authority> {
    let db = ctx.db_path()?;
    if !db.exists() {
        return Ok(Authority::shipped());
    }
    let store = Store::open_with(&db, OpenMode::ReadOnly, &ctx.open_options)?;
    Ok(Authority::with_user(store.names()?))
}

/// The house style: the shipped one, or the user's file.
pub(crate) fn load_style(path: Option<&Path>) -> Result<Style> {
    match path {
        None => Ok(Style::shipped()),
        Some(p) => {
            let text = crate::formats::decode::read_document(p)?;
            Ok(Style::parse(&text, &p.display().to_string())?)
        }
    }
}

/// Units for the miner, handed over in batches (one hand-over a unit cost more than the mining).
const MINING_BATCH: usize = 512;

/// Reads units on this thread, checks them against the authority on a second and mines them for names
/// spelled two ways on a third, in batches that go round the three and come back to be filled again
/// (each thread frees only what it allocated). Reading, checking and mining cost about a fifth, two
/// fifths and two fifths, so the system keeps two cores busy; the miner is one, so it learns each Arabic
/// word's transliteration once. `feed` calls its argument with each unit's record number, source and
/// target.
fn check_and_mine(
    authority: &Authority,
    checker: &Checker,
    feed: impl FnOnce(&mut dyn FnMut(u64, &str, &str)) -> Result<()>,
) -> Result<(Vec<Finding>, Vec<crate::names::mine::Inconsistency>, u64)> {
    use crate::names::mine::Batch;
    use std::sync::mpsc::{channel, sync_channel};
    let (to_check, checking) = sync_channel::<Batch>(4);
    let (to_mine, mining) = sync_channel::<Batch>(4);
    let (back, returned) = channel::<Batch>();
    std::thread::scope(|scope| {
        let checker_thread = scope.spawn(move || {
            let mut findings = Vec::new();
            for mut batch in checking {
                batch.find_known(|record, source, target| {
                    let spots = checker.spot(source);
                    findings.extend(checker.check_spotted(record, source, target, &spots));
                    spots.into_iter().map(|s| s.span)
                });
                // The miner only stops early by panicking, which join reports below.
                let _ = to_mine.send(batch);
            }
            findings
        });
        let miner_thread = scope.spawn(move || {
            let mut miner = crate::names::mine::Miner::new(authority);
            for mut batch in mining {
                miner.add_batch(&batch);
                batch.clear();
                let _ = back.send(batch);
            }
            miner.inconsistencies()
        });
        let mut records = 0u64;
        let mut batch = Batch::default();
        let fed = feed(&mut |record, source, target| {
            records += 1;
            batch.push(record, source, target);
            if batch.len() == MINING_BATCH {
                let full = std::mem::replace(&mut batch, returned.try_recv().unwrap_or_default());
                let _ = to_check.send(full);
            }
        });
        let _ = to_check.send(batch);
        drop(to_check);
        let failed = || anyhow::anyhow!("the name check failed (a bug in tm)");
        let findings = checker_thread.join().map_err(|_| failed())?;
        let inconsistencies = miner_thread.join().map_err(|_| failed())?;
        fed?;
        Ok((findings, inconsistencies, records))
    })
}

/// What `check --json` prints, and what the server answers.
#[derive(Serialize)]
pub(crate) struct CheckJson<'a> {
    pub findings: &'a [Finding],
    pub inconsistencies: &'a [crate::names::mine::Inconsistency],
}

/// Checks pairs given as text (Arabic, English), as `tm check` checks a file's units: a finding's
/// record is the pair's place in the list, from 1.
pub(crate) fn check_pairs(
    authority: &Authority,
    style: &Style,
    pairs: &[(String, String)],
) -> Result<(Vec<Finding>, Vec<crate::names::mine::Inconsistency>)> {
    let checker = Checker::new(authority, style);
    let (findings, inconsistencies, _) = check_and_mine(authority, &checker, |each| {
        for (i, (arabic, english)) in pairs.iter().enumerate() {
            each(i as u64 + 1, arabic, english);
        }
        Ok(())
    })?;
    Ok((findings, inconsistencies))
}

/// `tm check`: returns whether there were findings (the exit status is 1 then).
pub fn check(
    ctx: &Context,
    file: Option<&Path>,
    src: &str,
    tgt: &str,
    style: Option<&Path>,
) -> Result<bool> {
    let style = load_style(style)?;
    let mut authority = authority(ctx)?;
    authority.prefer(style.forms);
    let checker = Checker::new(&authority, &style);
    let (findings, inconsistencies, records) = match file {
        Some(path) => {
            let Some(format) = Format::from_path(path) else {
                bail!(
                    "{}: cannot tell the format from the extension (.tmx, .tsv, .csv)",
                    path.display()
                );
            };
            let units = open_units(path, format, &ReadOptions::new(src, tgt))?;
            check_and_mine(&authority, &checker, |each| {
                for (i, unit) in units.enumerate() {
                    let unit = unit?;
                    each(i as u64 + 1, &unit.source.text, &unit.target.text);
                }
                Ok(())
            })?
        }
        None => {
            let store = ctx.open(OpenMode::ReadOnly)?;
            let filter = UnitFilter {
                src_lang: Some(src.to_string()),
                tgt_lang: Some(tgt.to_string()),
                ..UnitFilter::default()
            };
            check_and_mine(&authority, &checker, |each| {
                store.for_each_text(&filter, |id, source, target| {
                    each(id as u64, source, target);
                    Ok::<(), anyhow::Error>(())
                })?;
                Ok(())
            })?
        }
    };
    let any = !findings.is_empty() || !inconsistencies.is_empty();
    if ctx.json {
        ctx.print_json(&CheckJson {
            findings: &findings,
            inconsistencies: &inconsistencies,
        })?;
        return Ok(any);
    }
    let display = ctx.display();
    let mut out = io::stdout().lock();
    for f in &findings {
        match &f.found {
            Some(found) => writeln!(
                out,
                "{}: {}: \"{}\" should be \"{}\"",
                f.record,
                display.line(&f.arabic),
                display.line(found),
                display.line(&f.expected)
            )?,
            None => writeln!(
                out,
                "{}: {}: \"{}\" is missing from the translation",
                f.record,
                display.line(&f.arabic),
                display.line(&f.expected)
            )?,
        }
    }
    for inc in &inconsistencies {
        let spellings: Vec<String> = inc
            .renderings
            .iter()
            .map(|r| {
                let units = super::count(r.units, "unit", "units");
                format!("{} ({units})", display.line(&r.english))
            })
            .collect();
        writeln!(
            out,
            "{}: rendered {} ways: {}",
            display.line(&inc.arabic),
            inc.renderings.len(),
            spellings.join(", ")
        )?;
    }
    writeln!(
        out,
        "{} and {} in {}",
        super::count(findings.len() as u64, "finding", "findings"),
        super::count(
            inconsistencies.len() as u64,
            "inconsistency",
            "inconsistencies"
        ),
        super::count(records, "unit", "units")
    )?;
    Ok(any)
}

/// The user's entries only, or the whole authority.
fn selected_names(ctx: &Context, user_only: bool) -> Result<Vec<Name>> {
    Ok(if user_only {
        ctx.open(OpenMode::ReadOnly)?.names()?
    } else {
        authority(ctx)?.names
    })
}

/// `tm names list`.
pub fn names_list(ctx: &Context, user_only: bool) -> Result<()> {
    let names = selected_names(ctx, user_only)?;
    if ctx.json {
        return ctx.print_json_lines(&names);
    }
    let rows: Vec<Vec<String>> = names
        .iter()
        .map(|n| {
            vec![
                n.arabic.join(" | "),
                n.english.clone(),
                n.kind.to_string(),
                n.accepted.join(" | "),
                n.variants.join(" | "),
                n.source.to_string(),
            ]
        })
        .collect();
    let table = crate::display::table(
        &["arabic", "english", "kind", "accepted", "variants", "from"],
        &rows,
        &ctx.display(),
    );
    writeln!(io::stdout().lock(), "{}", table.trim_end())?;
    Ok(())
}

/// A user's name from what `tm names add` and the server's `POST /api/v1/names` are given: Arabic forms
/// separated by `|`.
pub(crate) fn user_name(
    arabic: &str,
    english: &str,
    kind: &str,
    variants: &[String],
    accepted: &[String],
    note: &str,
) -> Result<Name> {
    let kind: Kind = kind.parse().map_err(anyhow::Error::msg)?;
    if arabic.trim().is_empty() || english.trim().is_empty() {
        bail!("the Arabic and the English must both have text");
    }
    Ok(Name {
        arabic: arabic
            .split('|')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        english: english.trim().to_string(),
        kind,
        variants: variants.to_vec(),
        note: note.to_string(),
        accepted: accepted.to_vec(),
        source: Origin::User,
    })
}

/// What `names add --json` prints, and what the server answers.
pub(crate) fn added_json(name: &Name) -> serde_json::Value {
    serde_json::json!({
        "added": {"arabic": name.arabic, "english": name.english, "kind": name.kind.to_string()}
    })
}

/// `tm names add`.
pub fn names_add(
    ctx: &Context,
    arabic: &str,
    english: &str,
    kind: &str,
    variants: &[String],
    accepted: &[String],
    note: &str,
) -> Result<()> {
    if arabic.trim().is_empty() || english.trim().is_empty() {
        bail!("--arabic and --english must both have text");
    }
    let name = user_name(arabic, english, kind, variants, accepted, note)?;
    ctx.open(OpenMode::ReadWrite)?
        .add_names(std::slice::from_ref(&name))?;
    if ctx.json {
        return ctx.print_json(&added_json(&name));
    }
    writeln!(
        io::stdout().lock(),
        "added {}",
        ctx.display().line(english.trim())
    )?;
    Ok(())
}

/// `tm names remove`.
pub fn names_remove(ctx: &Context, arabic: &str) -> Result<()> {
    if !ctx.open(OpenMode::ReadWrite)?.remove_name(arabic)? {
        bail!(
            "no name of yours has the Arabic form {arabic:?} (`tm names list --user` shows them)"
        );
    }
    if ctx.json {
        return ctx.print_json(&serde_json::json!({ "removed": arabic }));
    }
    writeln!(
        io::stdout().lock(),
        "removed {}",
        ctx.display().line(arabic)
    )?;
    Ok(())
}

/// Formats of name lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamesFormat {
    /// Tab-separated columns arabic, english, kind, variants, note, after a header.
    Tsv,
    /// OmegaT's glossary: tab-separated source, target, comment, no header.
    Omegat,
    /// TBX (TermBase eXchange), as Trados and memoQ read it.
    Tbx,
}

impl NamesFormat {
    pub fn from_path(path: &Path) -> NamesFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("tbx") => NamesFormat::Tbx,
            Some("utf8") | Some("txt") => NamesFormat::Omegat,
            _ => NamesFormat::Tsv,
        }
    }
}

/// `tm names import`.
pub fn names_import(ctx: &Context, file: &Path, format: Option<NamesFormat>) -> Result<()> {
    let format = format.unwrap_or_else(|| NamesFormat::from_path(file));
    let text = crate::formats::decode::read_document(file)?;
    let label = file.display().to_string();
    let names = match format {
        NamesFormat::Tsv => parse_tsv(&text, &label, Origin::User)?,
        NamesFormat::Omegat => {
            // source, target, comment; the comment as tm writes it: "kind; also: A, B; not: C, D".
            let as_tsv: String = text
                .lines()
                .map(|l| {
                    let cells: Vec<&str> = l.split('\t').collect();
                    let (mut kind, mut also, mut not, mut note) = ("other", "", "", Vec::new());
                    for part in cells.get(2).unwrap_or(&"").split("; ") {
                        if let Some(list) = part.strip_prefix("also: ") {
                            also = list;
                        } else if let Some(list) = part.strip_prefix("not: ") {
                            not = list;
                        } else if part.parse::<Kind>().is_ok() && note.is_empty() {
                            kind = part;
                        } else if !part.is_empty() {
                            note.push(part);
                        }
                    }
                    let bars = |list: &str| list.split(", ").collect::<Vec<_>>().join(" | ");
                    format!(
                        "{}\t{}\t{kind}\t{}\t{}\t{}\n",
                        cells[0],
                        cells.get(1).unwrap_or(&""),
                        bars(not),
                        note.join("; "),
                        bars(also)
                    )
                })
                .collect();
            parse_tsv(&as_tsv, &label, Origin::User)?
        }
        NamesFormat::Tbx => crate::names::tbx::read(&text, &label)?,
    };
    ctx.open(OpenMode::ReadWrite)?.add_names(&names)?;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({
            "imported": names.len(),
            "file": file.display().to_string(),
        }));
    }
    writeln!(
        io::stdout().lock(),
        "imported {} names from {}",
        names.len(),
        file.display()
    )?;
    Ok(())
}

/// `tm names export`: the whole authority (shipped and user), or only the user's entries.
pub fn names_export(
    ctx: &Context,
    file: &Path,
    format: Option<NamesFormat>,
    user_only: bool,
) -> Result<()> {
    let names = selected_names(ctx, user_only)?;
    let text = match format.unwrap_or_else(|| NamesFormat::from_path(file)) {
        NamesFormat::Tsv => to_tsv(&names),
        NamesFormat::Omegat => names
            .iter()
            .flat_map(|n| {
                n.arabic.iter().map(move |a| {
                    let mut comment = n.kind.to_string();
                    if !n.accepted.is_empty() {
                        comment.push_str(&format!("; also: {}", n.accepted.join(", ")));
                    }
                    if !n.variants.is_empty() {
                        comment.push_str(&format!("; not: {}", n.variants.join(", ")));
                    }
                    format!("{a}\t{}\t{comment}\n", n.english)
                })
            })
            .collect(),
        NamesFormat::Tbx => crate::names::tbx::write(&names),
    };
    let mut out = Output::create(file, &mut ctx.guard())?;
    out.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", out.name()))?;
    let to_stdout = out.is_stdout();
    out.finish()?;
    if ctx.json && !to_stdout {
        return ctx.print_json(&serde_json::json!({
            "exported": names.len(),
            "file": file.display().to_string(),
        }));
    }
    if !to_stdout {
        writeln!(
            io::stdout().lock(),
            "exported {} names to {}",
            names.len(),
            file.display()
        )?;
    }
    Ok(())
}

/// One piece of a transliteration in `translit --json` and the server's answer.
#[derive(Serialize)]
pub(crate) struct PieceJson<'a> {
    arabic: &'a str,
    english: &'a str,
    source: &'static str,
    /// For the memory's spellings: the units that give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<u64>,
}

/// What `translit --json` prints for one input, and what the server answers.
#[derive(Serialize)]
pub(crate) struct TranslitJson<'a> {
    input: &'a str,
    output: &'a str,
    scheme: String,
    /// `authority` when the whole input is one name of the authority's or the user's, else `rules`
    /// (as before pieces were given: scripts branch on it); each piece says where its own spelling
    /// came from.
    source: &'static str,
    pieces: Vec<PieceJson<'a>>,
}

impl<'a> TranslitJson<'a> {
    pub(crate) fn new(input: &'a str, t: &'a Transliteration, scheme: Scheme) -> TranslitJson<'a> {
        TranslitJson {
            input,
            output: &t.text,
            scheme: scheme.to_string(),
            source: if t.from_authority {
                "authority"
            } else {
                "rules"
            },
            pieces: (t.pieces.iter())
                .map(|p| PieceJson {
                    arabic: &p.arabic,
                    english: &p.english,
                    source: p.source.as_str(),
                    units: p.units,
                })
                .collect(),
        }
    }
}

/// How many of the newest units that have a word `translit` reads to learn the memory's spelling of it.
const MEMORY_UNITS: usize = 200;

/// `tm translit`: one rendering per input line, in order.
pub fn translit(ctx: &Context, text: &str, scheme: &str, style: Option<&Path>) -> Result<()> {
    use std::io::BufRead;
    let scheme: Scheme = scheme.parse().map_err(anyhow::Error::msg)?;
    let style = load_style(style)?;
    let db = ctx.db_path()?;
    let store = db
        .exists()
        .then(|| Store::open_with(&db, OpenMode::ReadOnly, &ctx.open_options))
        .transpose()?;
    let display = ctx.display();
    let mut out = io::stdout().lock();
    let inputs: Box<dyn Iterator<Item = Result<String>>> = if text == "-" {
        Box::new(io::stdin().lock().lines().enumerate().map(|(i, line)| {
            line.map(|l| l.trim().to_string())
                .with_context(|| format!("reading standard input, line {}", i + 1))
        }))
    } else {
        Box::new(std::iter::once(Ok(text.to_string())))
    };
    transliterate_each(store.as_ref(), style, scheme, inputs, |input, t| {
        if ctx.json {
            serde_json::to_writer(&mut out, &TranslitJson::new(input, t, scheme))?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", display.line(&t.text))?;
        }
        Ok(())
    })
}

/// Renders each input in the house style, with the memory's names and spellings when there is a
/// memory, and hands each rendering to `each` as it is made: `tm translit` and the server's translit.
pub(crate) fn transliterate_each(
    store: Option<&Store>,
    style: Style,
    scheme: Scheme,
    inputs: impl Iterator<Item = Result<String>>,
    mut each: impl FnMut(&str, &Transliteration) -> Result<()>,
) -> Result<()> {
    let mut authority = match store {
        Some(store) => Authority::with_user(store.names()?),
        None => Authority::shipped(),
    };
    authority.prefer(style.forms);
    // The first error reading the memory: the answer it spoiled is not given.
    let failed: std::cell::RefCell<Option<crate::store::Error>> = Default::default();
    let transliterator = Transliterator::new(&authority, style);
    // The memory's own spellings: the units that have a word, through the word index.
    let memory = store.map(|store| {
        let failed = &failed;
        MemorySpellings::new(Box::new(move |word: &str| {
            store
                .pairs_sharing("ar", "en", word, MEMORY_UNITS, MEMORY_UNITS)
                .unwrap_or_else(|e| {
                    failed.borrow_mut().get_or_insert(e);
                    Vec::new()
                })
        }))
    });
    for input in inputs {
        let input = input?;
        let t = transliterator.render_with(&input, scheme, memory.as_ref());
        if let Some(e) = failed.borrow_mut().take() {
            return Err(e.into());
        }
        each(&input, &t)?;
    }
    Ok(())
}

/// `tm names mine`: proposes name pairs found in the memory; `accept` adds them to the user's names.
/// `tm names mine`, mapped from its flags.
pub struct MineConfig {
    pub min: u64,
    pub limit: usize,
    /// `all`, or the numbers of the proposals to add (`3,5,8`).
    pub accept: Option<String>,
    pub replace: bool,
    pub output: Option<PathBuf>,
}

pub fn names_mine(ctx: &Context, cfg: MineConfig) -> Result<()> {
    use crate::names::mine::Miner;
    let store = ctx.open(OpenMode::ReadOnly)?;
    let authority = Authority::with_user(store.names()?);
    let mut miner = Miner::new(&authority);
    let filter = UnitFilter {
        src_lang: Some("ar".into()),
        tgt_lang: Some("en".into()),
        ..UnitFilter::default()
    };
    store.for_each_unit(&filter, |_, unit| {
        miner.add(&unit.source.text, &unit.target.text);
        miner.add_case_evidence(&unit.target.text);
        Ok::<(), anyhow::Error>(())
    })?;
    // A second pass: is each proposal's English there wherever its Arabic is?
    let mut confirmation = miner.candidates(cfg.min);
    store.for_each_unit(&filter, |_, unit| {
        confirmation.add(&unit.source.text, &unit.target.text);
        Ok::<(), anyhow::Error>(())
    })?;
    let mut proposals = confirmation.proposals();
    proposals.truncate(cfg.limit);
    drop(store);
    let as_name = |p: &crate::names::mine::Proposal| Name {
        arabic: vec![p.arabic.clone()],
        english: p.english.clone(),
        kind: Kind::Other,
        variants: Vec::new(),
        // Mined from how the memory spells a name, not from whether every translation names it.
        note: format!(
            "mined from the memory ({} units); paraphrased: only its spelling is checked",
            p.units
        ),
        accepted: Vec::new(),
        source: Origin::User,
    };
    if let Some(path) = &cfg.output {
        let text = to_tsv(&proposals.iter().map(as_name).collect::<Vec<_>>());
        let mut out = Output::create(path, &mut ctx.guard())?;
        out.write_all(text.as_bytes())
            .with_context(|| format!("writing {}", out.name()))?;
        out.finish()?;
    }
    let mut added = Vec::new();
    if let Some(which) = &cfg.accept {
        let chosen: Vec<usize> = if which == "all" {
            (1..=proposals.len()).collect()
        } else {
            which
                .split(',')
                .map(|n| {
                    n.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&k| (1..=proposals.len()).contains(&k))
                        .with_context(|| {
                            format!(
                                "--accept {which}: {n:?} is not the number of a proposal (1 to {})",
                                proposals.len()
                            )
                        })
                })
                .collect::<Result<_>>()?
        };
        let mut skipped = Vec::new();
        for k in chosen {
            let p = &proposals[k - 1];
            // An Arabic form already spelled otherwise keeps its spelling unless the user says.
            let spelled = authority
                .names
                .iter()
                .find(|n| n.arabic.iter().any(|a| a == &p.arabic) && n.english != p.english);
            match spelled {
                Some(n) if !(cfg.replace && n.source == Origin::User) => {
                    skipped.push(format!("{} (already {})", p.arabic, n.english))
                }
                _ => added.push(as_name(p)),
            }
        }
        if !added.is_empty() {
            ctx.open(OpenMode::ReadWrite)?.add_names(&added)?;
        }
        if !skipped.is_empty() && !ctx.json {
            eprintln!(
                "left as they are (--replace changes your own): {}",
                crate::display::clean(&skipped.join(", "))
            );
        }
    }
    if ctx.json {
        return ctx.print_json_lines(&proposals);
    }
    let display = ctx.display();
    let mut out = io::stdout().lock();
    for (k, p) in proposals.iter().enumerate() {
        let competitors: Vec<String> = p
            .competitors
            .iter()
            .map(|c| format!("{} {}", display.line(&c.english), c.units))
            .collect();
        writeln!(
            out,
            "{:>3}. {:>5}  {}  →  {}{}",
            k + 1,
            p.units,
            display.line(&p.arabic),
            display.line(&p.english),
            if competitors.is_empty() {
                String::new()
            } else {
                format!("  (also: {})", competitors.join(", "))
            }
        )?;
    }
    writeln!(
        out,
        "{}{}",
        super::count(proposals.len() as u64, "proposal", "proposals"),
        if cfg.accept.is_some() {
            format!(", {} added to your names", added.len())
        } else {
            " (--accept adds them all to your names, --accept 3,5,8 those numbered; -o FILE \
             writes them to review and import)"
                .to_string()
        }
    )?;
    Ok(())
}
