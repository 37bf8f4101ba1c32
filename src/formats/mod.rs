//! Interchange formats: TMX 1.4b, tab-separated and comma-separated files, and XLIFF (1.2 with the Trados
//! and memoQ dialects, 2.0 and 2.1) in; TMX, TSV, CSV and XLIFF 1.2 out.
//!
//! Each format has a streaming reader that yields [`Unit`]s one at a time (memory stays flat however large
//! the file) and a writer. Readers never panic on what a file contains: every problem becomes a
//! [`FormatError`] naming the file, the line and column, and what is wrong.
//!
//! A reader reads any byte stream ([`read_units`], `TmxReader::new`, `DelimitedReader::new`), with a
//! name that stands for the file in its errors (`<stdin>`); opening a file ([`open_units`],
//! `TmxReader::open`, `DelimitedReader::open`) is that over the file, named by its path.
//!
//! ```no_run
//! use tm::formats::{open_units, Format, ReadOptions};
//! let opts = ReadOptions::new("ar", "en");
//! for unit in open_units("memory.tmx".as_ref(), Format::Tmx, &opts).unwrap() {
//!     let unit = unit.unwrap();
//!     println!("{} → {}", unit.source.text, unit.target.text);
//! }
//! ```

pub mod decode;
pub mod html;
mod position;
pub mod tmx;
pub mod tsv;
pub mod xliff;
mod xml;

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::unit::Unit;

pub use position::Position;
pub(crate) use xml::is_xml_char;

/// What every reader says of bytes that are not UTF-8: the usual cause, and the fix.
pub(crate) const NOT_UTF8: &str =
    "not valid UTF-8 (if this is a legacy Arabic file, pass --encoding \
     windows-1256 or convert it with iconv)";

/// What every reader says of a NUL character: text files never hold one, so the file is binary or in an
/// encoding read wrongly. (Stored, it would be dropped from TMX exports and cut C strings short.)
pub(crate) const NUL_CHAR: &str =
    "a NUL character (U+0000): this is not a text file, or it is UTF-16 without a byte-order \
     mark (pass --encoding utf-16le or utf-16be)";

/// The interchange formats `tm` reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TMX 1.4b (reads 1.1 to 1.4b).
    Tmx,
    /// Tab-separated: source, target, then optional named columns.
    Tsv,
    /// Comma-separated with RFC 4180 quoting, as spreadsheets write it.
    Csv,
    /// A bilingual XLIFF file from a CAT tool (1.2, SDLXLIFF, MQXLIFF, 2.0, 2.1); read only.
    Xliff,
}

impl Format {
    /// The format a file name implies (`.tmx`, `.tsv`/`.tab`/`.txt`, `.csv`), if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "tmx" => Some(Format::Tmx),
            "tsv" | "tab" | "txt" | "utf8" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            "xlf" | "xliff" | "sdlxliff" | "mqxliff" => Some(Format::Xliff),
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Tmx => "tmx",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
            Format::Xliff => "xliff",
        })
    }
}

/// What a reader needs to know besides the file.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Requested source language (`ar`; a bare tag takes any region).
    pub src: String,
    /// Requested target language (`en`).
    pub tgt: String,
    /// Text encoding forced by the user (`windows-1256`); otherwise BOM, XML declaration, then UTF-8.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// TSV/CSV: `Some(true)` the first row is a header, `Some(false)` it is data, `None` guess.
    pub header: Option<bool>,
    /// The longest line (TSV/CSV), or run of text or tag (TMX), read before the file is refused: a
    /// reader never holds more than about this much of a file (`/dev/zero` would otherwise fill the
    /// memory). [`MAX_SEGMENT`] unless the user raises it.
    pub max_segment: usize,
    /// XLIFF: which segments are read (by default those the translator confirmed).
    pub state: StateFilter,
}

/// Which segments of a bilingual file go in, by the state a CAT tool gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StateFilter {
    /// Every segment with a translation, whatever its state.
    All,
    /// Segments the translator confirmed: XLIFF 1.2 `translated`, `signed-off`, `final` or
    /// `approved="yes"`; Trados `Translated`, `ApprovedTranslation`, `ApprovedSignOff`; memoQ's confirmed
    /// and proofread states; XLIFF 2 `translated`, `reviewed`, `final`.
    #[default]
    Confirmed,
    /// Segments in this state only, as the file names it (compared without regard to case).
    Named(String),
}

impl std::str::FromStr for StateFilter {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<StateFilter, Self::Err> {
        Ok(match s {
            "all" => StateFilter::All,
            "confirmed" => StateFilter::Confirmed,
            other => StateFilter::Named(other.to_string()),
        })
    }
}

/// Segments a reader passed over on purpose, which are not errors: other language pairs in a
/// multilingual file, segments not confirmed, segments without a translation. Counted so that an import
/// can say what it left out and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// How many in all.
    pub total: u64,
    /// How many for each reason: `other_pair` (a unit of other languages), `state` (left out by the
    /// state filter), `untranslated`, `not_translatable`, `empty_source`.
    pub reasons: BTreeMap<String, u64>,
    /// The states of the segments the state filter left out, with their counts (`none`: no state).
    pub states: BTreeMap<String, u64>,
}

/// What a reader that never leaves anything out reports.
static NOTHING_LEFT_OUT: LeftOut = LeftOut {
    total: 0,
    reasons: BTreeMap::new(),
    states: BTreeMap::new(),
};

impl LeftOut {
    pub(crate) fn add(&mut self, reason: &str) {
        self.total += 1;
        *self.reasons.entry(reason.to_string()).or_default() += 1;
    }

    pub(crate) fn add_state(&mut self, state: Option<&str>) {
        self.add("state");
        let state = state.unwrap_or("none").to_string();
        *self.states.entry(state).or_default() += 1;
    }

    /// Adds another file's counts to these.
    pub fn merge(&mut self, other: &LeftOut) {
        self.total += other.total;
        for (k, v) in &other.reasons {
            *self.reasons.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.states {
            *self.states.entry(k.clone()).or_default() += v;
        }
    }
}

/// The default of [`ReadOptions::max_segment`]: 32 MiB, three times the longest segment the tests
/// import (10 MB of Arabic).
pub const MAX_SEGMENT: usize = 32 << 20;

impl ReadOptions {
    /// Options for reading the `src`→`tgt` pair, everything else at its default: the encoding found
    /// in the file, the header guessed, [`MAX_SEGMENT`].
    pub fn new(src: &str, tgt: &str) -> ReadOptions {
        ReadOptions {
            src: src.to_string(),
            tgt: tgt.to_string(),
            encoding: None,
            header: None,
            max_segment: MAX_SEGMENT,
            state: StateFilter::Confirmed,
        }
    }
}

/// What a reader says of a line, text or tag longer than `max` bytes.
pub(crate) fn too_long(max: usize) -> String {
    format!(
        "more than {} MiB without a line break or tag: this is not a translation file, or a segment \
         is larger than tm reads (--max-segment MIB raises the limit)",
        max >> 20
    )
}

/// A problem with a file being read or written.
#[derive(Debug)]
pub struct FormatError {
    /// The file, or the name a stream was read under (`<stdin>`).
    pub file: PathBuf,
    /// `None` when the problem concerns the whole file (cannot be opened, wrong encoding).
    pub position: Option<Position>,
    /// What went wrong, and whether reading can go on past it.
    pub kind: ErrorKind,
}

/// The kinds of [`FormatError`]: an I/O failure, a file that cannot be read at all, or one unit that
/// is wrong in a file that is otherwise fine (which `--skip-invalid` skips).
#[derive(Debug)]
pub enum ErrorKind {
    /// The file could not be opened, read or written.
    Io(std::io::Error),
    /// The file as a whole is not usable (not XML, wrong encoding); reading stops.
    Malformed(String),
    /// One unit is unusable (missing language, empty segment); `--skip-invalid` may pass over it.
    BadUnit(String),
}

impl FormatError {
    pub(crate) fn io(file: &Path, err: std::io::Error) -> FormatError {
        FormatError {
            file: file.to_path_buf(),
            position: None,
            kind: ErrorKind::Io(err),
        }
    }

    pub(crate) fn malformed(file: &Path, position: Option<Position>, msg: String) -> FormatError {
        FormatError {
            file: file.to_path_buf(),
            position,
            kind: ErrorKind::Malformed(msg),
        }
    }

    pub(crate) fn bad_unit(file: &Path, position: Option<Position>, msg: String) -> FormatError {
        FormatError {
            file: file.to_path_buf(),
            position,
            kind: ErrorKind::BadUnit(msg),
        }
    }

    /// Whether reading can go on after this error (only a bad unit; never a broken file).
    pub fn is_recoverable(&self) -> bool {
        matches!(self.kind, ErrorKind::BadUnit(_))
    }

    /// What is wrong, without the file and position.
    pub fn message(&self) -> String {
        match &self.kind {
            ErrorKind::Io(e) => e.to_string(),
            ErrorKind::Malformed(m) | ErrorKind::BadUnit(m) => m.clone(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.col)?;
        }
        write!(f, ": {}", self.message())
    }
}

impl std::error::Error for FormatError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// A stream of units from one file, with how far through the file it has read (for progress bars).
pub trait UnitReader: Iterator<Item = Result<Unit, FormatError>> + Send {
    /// Bytes of the file consumed so far.
    fn bytes_read(&self) -> u64;

    /// What the reader has passed over on purpose so far (see [`LeftOut`]).
    fn left_out(&self) -> &LeftOut {
        &NOTHING_LEFT_OUT
    }

    /// How many times so far the stream has moved on to another document (an XLIFF file holds one a
    /// `<file>`): the units either side of such a break are not each other's context.
    fn document_breaks(&self) -> u64 {
        0
    }
}

/// Opens a file in the given format and returns its units as a stream.
pub fn open_units(
    path: &Path,
    format: Format,
    opts: &ReadOptions,
) -> Result<Box<dyn UnitReader>, FormatError> {
    read_units(open_file(path)?, path, format, opts)
}

/// Reads units in the given format from any byte stream; `name` stands for the file in errors
/// (`<stdin>`), which are word for word what the same bytes in a file named so would give.
pub fn read_units(
    reader: impl Read + Send + 'static,
    name: &Path,
    format: Format,
    opts: &ReadOptions,
) -> Result<Box<dyn UnitReader>, FormatError> {
    Ok(match format {
        Format::Tmx => Box::new(tmx::TmxReader::new(reader, name, opts)?),
        Format::Tsv => Box::new(tsv::DelimitedReader::new(
            reader,
            name,
            tsv::Delimiter::Tab,
            opts,
        )?),
        Format::Csv => Box::new(tsv::DelimitedReader::new(
            reader,
            name,
            tsv::Delimiter::Comma,
            opts,
        )?),
        Format::Xliff => Box::new(xliff::XliffReader::new(reader, name, opts)?),
    })
}

/// Opens a file to read, with the error every reader gives when it cannot.
pub(crate) fn open_file(path: &Path) -> Result<File, FormatError> {
    File::open(path).map_err(|e| FormatError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_units_reads_any_source_under_its_name() {
        let opts = ReadOptions::new("ar", "en");
        let csv = "ar,en\nالقائم,Al-Qa'im\n";
        let units: Vec<Unit> = read_units(csv.as_bytes(), Path::new("pasted"), Format::Csv, &opts)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(units[0].source.text, "القائم");
        let err = read_units(&b""[..], Path::new("<stdin>"), Format::Tsv, &opts)
            .err()
            .unwrap();
        assert_eq!(err.to_string(), "<stdin>:1:1: the file is empty");
        let err = read_units(&b"<tmx"[..], Path::new("<stdin>"), Format::Tmx, &opts)
            .unwrap()
            .next()
            .unwrap()
            .unwrap_err();
        assert!(err.to_string().starts_with("<stdin>:1:1: "), "{err}");
    }
}
