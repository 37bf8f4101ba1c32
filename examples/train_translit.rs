//! Trains the transliteration model `tm` ships (`tm/translit.model`) from public tables of names.
//!
//! ```sh
//! cargo run --release --example train_translit -- --data ../shared/data/translit --out tm/translit.model
//! ```
//!
//! `--data` is a folder laid out as `../shared/data/translit/`: `google-ar2en/ar2en-train.txt` and
//! `wikidata-names/` (`units.tsv`, `wd_arabic.normalized.aligned.tokens`); the eval split is never read.
//! The tables are not part of this repository: tm/NOTICE.md says where they come from and under which
//! licences, BENCHMARKS.md how well the model they give spells names. `--min N` (default 2) leaves out
//! the n-grams seen fewer than N times, which keeps the shipped file small; `--json` prints the summary
//! as JSON.
//!
//! Training is deterministic: the same tables give the same file byte for byte, so a retrained model
//! that differs from the shipped one means the tables or the training changed. It takes a few tens of
//! seconds in release mode.
//!
//! This is a developer's tool, not a `tm` command: translators never train the model, `tm` only loads
//! the file compiled into it. It uses nothing of `tm` but the model (`tm::names::model`). The file is
//! written as `tm` writes its outputs: to a temporary file beside it, renamed into place, so that a
//! failed run leaves the old model whole; errors are reported as `tm` reports them (`error: ...`, exit
//! status 2).

use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::Parser;

use tm::names::model::{persian_spellings, training_examples, Model};

/// Train the transliteration model from name tables (the layout of ../shared/data/translit).
#[derive(Parser)]
struct Args {
    /// The folder with google-ar2en/ and wikidata-names/.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "tm/translit.model", value_name = "FILE")]
    out: PathBuf,
    /// Leave out n-grams seen fewer times than this (keeps the shipped file small).
    #[arg(long, default_value_t = 2.0)]
    min: f64,
    /// Print the result as JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match train(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Reads the tables under `args.data`, trains, writes the model to `args.out` and says what it did.
fn train(args: &Args) -> Result<()> {
    let data: &Path = &args.data;
    if !data.is_dir() {
        bail!(
            "{}: no such folder; --data is the folder of the name tables, laid out as \
             ../shared/data/translit (google-ar2en/ and wikidata-names/)",
            data.display()
        );
    }
    let examples = training_examples(data).with_context(|| {
        format!(
            "{}: the google-ar2en and wikidata-names tables are needed",
            data.display()
        )
    })?;
    let persian = persian_spellings(data)
        .with_context(|| format!("{}: wikidata-names/units.tsv is needed", data.display()))?;
    let model = Model::train_with(&examples, &persian);
    let text = model.to_text(args.min);
    let out: &Path = &args.out;
    write_whole(out, text.as_bytes()).with_context(|| format!("writing {}", out.display()))?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let summary = serde_json::json!({
            "examples": examples.len(),
            "file": out.display().to_string(),
            "bytes": text.len(),
        });
        serde_json::to_writer(&mut stdout, &summary)?;
        writeln!(stdout)?;
        return Ok(());
    }
    writeln!(
        stdout,
        "trained on {} examples; wrote {} ({} KB)",
        examples.len(),
        out.display(),
        text.len() / 1024
    )?;
    Ok(())
}

/// Writes `bytes` to a temporary file in `path`'s folder (`.NAME.tmp-PID`), flushes it to disk and
/// renames it over `path`: the old file stays whole until the new one is complete. A file replaced
/// keeps its permissions; a new one gets those the umask gives. A folder that does not exist is an
/// error.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if path.is_dir() {
        bail!("it is a folder");
    }
    if !folder.is_dir() {
        bail!("{}: no such folder", folder.display());
    }
    let tmp = folder.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| -> Result<()> {
        let mut file =
            File::create_new(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}
