//! What each `tm` command does, given plain configuration (no clap here): open the memory, call the
//! library, print text or JSON.
//!
//! Errors go up as `anyhow` with context; [`exit_code`] prints them as `error: ...` and maps them to exit
//! codes: 0 success, 2 failure. A closed pipe (`tm export - | head`) is a success.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context as _, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::display::{BidiMode, ColorMode, Display};
use crate::output::Guard;
use crate::store::{OpenMode, OpenOptions, Store};

mod align;
mod edit;
mod matching;
mod memory;
mod names;

pub use align::{align, check_min_score, AlignConfig, AlignFormat, DocumentPair, Documents};
pub use edit::{edit, replace, ReplaceConfig};
pub use matching::{
    analyze, concordance, lookup, pretranslate, Document, LookupConfig, PretranslateConfig,
    PretranslateFormat,
};
pub use memory::{
    add, dedupe, delete, doctor, export, import, list, origins, reindex, stats, AddConfig,
    ExportConfig, ImportConfig,
};
// What the server shares with the commands: the same work, the same JSON.
pub(crate) use edit::edit_unit;
pub(crate) use matching::{ConcordanceJson, LookupJson};
pub(crate) use memory::{add_unit, DeletedJson};
pub(crate) use names::{
    added_json, check_pairs, load_style, transliterate_each, user_name, CheckJson, TranslitJson,
};
pub use names::{
    check, names_add, names_export, names_import, names_list, names_mine, names_remove, translit,
    MineConfig, NamesFormat,
};

/// What every command needs: where the memory is, how to open it and how to print.
pub struct Context {
    pub(crate) db: Option<PathBuf>,
    pub(crate) json: bool,
    pub(crate) bidi: BidiMode,
    pub(crate) color: ColorMode,
    /// How every command opens the memory (the busy timeout).
    pub(crate) open_options: OpenOptions,
}

impl Context {
    pub fn new(db: Option<PathBuf>, json: bool, bidi: BidiMode, color: ColorMode) -> Context {
        Context {
            db,
            json,
            bidi,
            color,
            open_options: OpenOptions::new(),
        }
    }

    /// Opens the memory with `options` instead of the defaults.
    pub fn with_open_options(self, options: OpenOptions) -> Context {
        Context {
            open_options: options,
            ..self
        }
    }

    /// The memory file: `--db`/`$TM_DB`, else `memory.db` in the platform's data folder.
    pub fn db_path(&self) -> Result<PathBuf> {
        if let Some(db) = &self.db {
            return Ok(db.clone());
        }
        match dirs::data_dir() {
            Some(dir) => Ok(dir.join("tm").join("memory.db")),
            None => {
                bail!("this platform has no data folder: give the memory with --db PATH or TM_DB")
            }
        }
    }

    /// A guard for an output file that protects the memory (when there is a path for it).
    pub(crate) fn guard(&self) -> Guard {
        match self.db_path() {
            Ok(db) => Guard::new().memory(&db),
            Err(_) => Guard::new(),
        }
    }

    pub(crate) fn open(&self, mode: OpenMode) -> Result<Store> {
        if mode == OpenMode::ReadWrite {
            self.make_default_folder()?;
        }
        let db = self.db_path()?;
        Ok(Store::open_with(&db, mode, &self.open_options)?)
    }

    /// Makes the platform's data folder for the default memory, before a command writes it. A folder
    /// in `--db`/`TM_DB` is the user's to make: a mistyped one is an error, not a new folder.
    pub(crate) fn make_default_folder(&self) -> Result<()> {
        if self.db.is_none() {
            if let Some(dir) = self.db_path()?.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("making the data folder {}", dir.display()))?;
            }
        }
        Ok(())
    }

    /// How Arabic is printed for human-readable output on stdout.
    pub(crate) fn display(&self) -> Display {
        let width = terminal_size::terminal_size_of(io::stdout()).map(|(w, _)| usize::from(w.0));
        Display::new(self.bidi, io::stdout().is_terminal(), self.json)
            .with_color(self.color)
            .with_width(width)
    }

    /// Prints one JSON object per line (JSON Lines), for lists other tools read as a stream.
    pub(crate) fn print_json_lines<T: Serialize>(&self, items: &[T]) -> Result<()> {
        let mut out = io::stdout().lock();
        for item in items {
            serde_json::to_writer(&mut out, item)?;
            writeln!(out)?;
        }
        Ok(())
    }

    pub(crate) fn print_json<T: Serialize>(&self, value: &T) -> Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, value)?;
        writeln!(out)?;
        Ok(())
    }
}

/// `n` and the noun for it, singular for one: "1 pair", "3 pairs".
/// The encoding `--encoding LABEL` names (`windows-1256`, `cp1256`, `utf-16le`...), if one was given.
pub(crate) fn encoding_flag(label: Option<&str>) -> Result<Option<&'static encoding_rs::Encoding>> {
    label
        .map(|label| {
            encoding_rs::Encoding::for_label(label.as_bytes())
                .with_context(|| format!("--encoding {label}: not an encoding tm knows"))
        })
        .transpose()
}

/// `tm config`: the settings in effect, each with where it came from.
pub fn settings(
    ctx: &Context,
    file: Option<&std::path::Path>,
    rows: &[(String, String, String)],
) -> Result<()> {
    if ctx.json {
        #[derive(Serialize)]
        struct Setting<'a> {
            key: &'a str,
            value: &'a str,
            from: &'a str,
        }
        #[derive(Serialize)]
        struct Settings<'a> {
            file: Option<&'a std::path::Path>,
            settings: Vec<Setting<'a>>,
        }
        return ctx.print_json(&Settings {
            file,
            settings: rows
                .iter()
                .map(|(key, value, from)| Setting { key, value, from })
                .collect(),
        });
    }
    let mut out = io::stdout().lock();
    match file {
        Some(f) => writeln!(out, "config file: {}", f.display())?,
        None => writeln!(
            out,
            "config file: none (--config FILE, $TM_CONFIG, or {})",
            crate::config::location(None)
                .map(|(p, _)| p.display().to_string())
                .unwrap_or_else(|| "no config folder on this system".into())
        )?,
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, v, f)| vec![k.clone(), v.clone(), f.clone()])
        .collect();
    let text = crate::display::table(&["setting", "value", "from"], &table, &ctx.display());
    writeln!(out, "{}", text.trim_end())?;
    Ok(())
}

pub(crate) fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A progress bar on stderr when it is a terminal and the job is large enough to watch; else hidden.
pub(crate) fn progress_bar(total: u64, what: &str) -> ProgressBar {
    if total == 0 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{what} {{bar:40}} {{percent:>3}}% {{elapsed_precise}} (eta {{eta}})"
    )) {
        bar.set_style(style);
    }
    bar
}

/// Prints an error the way every `tm` command does and returns the exit code.
pub fn exit_code(result: Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return 0;
            }
            // Errors quote data (a unit's id, a name): no escape sequence reaches the terminal.
            eprintln!("error: {}", crate::display::clean(&describe(&e)));
            2
        }
    }
}

/// An error and its causes on one line, each cause once (an I/O error often repeats in its context).
pub(crate) fn describe(e: &anyhow::Error) -> String {
    let mut msg = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !msg.contains(&cause) {
            msg.push_str(": ");
            msg.push_str(&cause);
        }
    }
    msg
}
