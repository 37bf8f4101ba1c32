//! Tab-separated and comma-separated bilingual files.
//!
//! The first column is the source, the second the target. An optional header row names the columns: the
//! first two by their language tags (`ar`, `en-GB`) or words (`source`, `target`); a named further column
//! becomes a property of each unit (`origin` sets the unit's origin, `note` or `comment` a note), an
//! unnamed one a property `columnN`, so nothing a file holds is dropped. `tm` writes a header with the
//! language tags, so an export carries its languages and reads back whole.
//!
//! TSV has no quoting. So that segments containing tabs or line breaks survive a round trip, `tm` writes
//! them as `\t`, `\n`, `\r` and a backslash as `\\` (PostgreSQL's text-format convention), and reads
//! those four sequences back; any other backslash is taken literally.
//!
//! CSV follows RFC 4180 strictly: a field is either bare (no `"` in it) or wholly quoted with `""` for a
//! quote; a quote that is never closed, or text after a closing quote, is an error naming its line and
//! column. (The `csv` crate accepts such input silently and swallows the rows that follow, which is why
//! this reader is our own.)
//!
//! ```
//! assert_eq!(tm::formats::tsv::escape_field("a\tb\\c"), "a\\tb\\\\c");
//! assert_eq!(tm::formats::tsv::unescape_field("a\\tb\\\\c\\d"), "a\tb\\c\\d");
//! ```

use std::collections::VecDeque;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::decode;
use super::position::{nul_position, Position};
use super::{open_file, FormatError, ReadOptions, UnitReader, NOT_UTF8, NUL_CHAR};
use crate::unit::{language_matches, Annotation, AnnotationKind, Segment, Unit};

/// What separates the columns of a delimited file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// TSV: no quoting; a tab, line break or backslash inside a segment is written `\t`, `\n`, `\\`.
    Tab,
    /// CSV: RFC 4180 quoting.
    Comma,
}

/// One row as read: its cells and the line it starts on.
struct Row {
    cells: Vec<String>,
    line: u64,
}

/// Streams units from a TSV or CSV file.
pub struct DelimitedReader {
    /// The file's path, or the name that stands for it in errors.
    name: PathBuf,
    reader: Box<dyn BufRead + Send>,
    delimiter: Delimiter,
    /// Lines read so far.
    line: u64,
    buf: Vec<u8>,
    /// The line break that ended the current line (`"\r\n"`, `"\n"`, `"\r"`, or none at the end of the file):
    /// inside a quoted CSV field it is part of the text.
    line_break: &'static str,
    pending: VecDeque<Result<Row, FormatError>>,
    /// Names of the columns after the first two, from the header row.
    extra_names: Vec<Option<String>>,
    src_lang: String,
    tgt_lang: String,
    bytes_read: Arc<AtomicU64>,
    done: bool,
    /// The longest line read before the file is refused.
    max_line: usize,
    /// Whether a lone CR ends a line: decided on the first buffer read (CR and no LF in it).
    cr_only: Option<bool>,
}

impl DelimitedReader {
    /// Opens a TSV or CSV file: [`DelimitedReader::new`] over it, named by its path.
    pub fn open(
        path: &Path,
        delimiter: Delimiter,
        opts: &ReadOptions,
    ) -> Result<DelimitedReader, FormatError> {
        DelimitedReader::new(open_file(path)?, path, delimiter, opts)
    }

    /// Reads TSV or CSV from any byte stream (a pipe, bytes in memory); `name` stands for the file in
    /// errors (`<stdin>`). The header row, if any, is read here.
    pub fn new(
        reader: impl Read + Send + 'static,
        name: &Path,
        delimiter: Delimiter,
        opts: &ReadOptions,
    ) -> Result<DelimitedReader, FormatError> {
        let decoded = decode::from_reader(reader, name, opts.encoding, false)?;
        let mut reader = DelimitedReader {
            name: name.to_path_buf(),
            reader: decoded.reader,
            delimiter,
            line: 0,
            buf: Vec::with_capacity(1024),
            line_break: "",
            pending: VecDeque::new(),
            extra_names: Vec::new(),
            src_lang: opts.src.clone(),
            tgt_lang: opts.tgt.clone(),
            bytes_read: decoded.bytes_read,
            done: false,
            max_line: opts.max_segment,
            cr_only: None,
        };
        reader.read_header(opts)?;
        Ok(reader)
    }

    /// Looks at the first two rows to decide whether the first is a header, and takes its names.
    fn read_header(&mut self, opts: &ReadOptions) -> Result<(), FormatError> {
        let first = match self.next_row() {
            Ok(Some(row)) => row,
            // Nothing at all: an empty download or the wrong file, not a table without rows (an export
            // of an empty memory still has its header).
            Ok(None) => {
                return Err(FormatError::malformed(
                    &self.name,
                    Some(Position { line: 1, col: 1 }),
                    if self.line == 0 {
                        "the file is empty".into()
                    } else {
                        "the file has only blank lines".into()
                    },
                ))
            }
            Err(e) if e.is_recoverable() => {
                self.pending.push_back(Err(e));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let second = match opts.header {
            Some(_) => None,
            None => match self.next_row() {
                Ok(row) => row.map(Ok),
                Err(e) if e.is_recoverable() => Some(Err(e)),
                Err(e) => return Err(e),
            },
        };
        let second_row = second.as_ref().and_then(|r| r.as_ref().ok());
        let is_header = opts
            .header
            .unwrap_or_else(|| looks_like_header(&first.cells, second_row, opts));
        if is_header {
            self.take_header(&first, opts)?;
        } else {
            self.pending.push_back(Ok(first));
        }
        self.pending.extend(second);
        Ok(())
    }

    fn take_header(&mut self, header: &Row, opts: &ReadOptions) -> Result<(), FormatError> {
        for (i, name) in header.cells.iter().enumerate() {
            let name = name.trim();
            let requested = match i {
                0 => &opts.src,
                1 => &opts.tgt,
                _ => {
                    self.extra_names
                        .push((!name.is_empty()).then(|| name.to_string()));
                    continue;
                }
            };
            if !is_language_tag(name) {
                continue;
            }
            if !language_matches(requested, name) {
                return Err(FormatError::malformed(
                    &self.name,
                    Some(Position {
                        line: header.line,
                        col: 1,
                    }),
                    format!(
                        "the header says column {} is {name:?}, but {} was asked for: pass --{} {name}",
                        i + 1,
                        requested,
                        if i == 0 { "src" } else { "tgt" }
                    ),
                ));
            }
            if i == 0 {
                self.src_lang = name.to_string();
            } else {
                self.tgt_lang = name.to_string();
            }
        }
        Ok(())
    }

    /// Reads one line (without its line break) into `self.buf`; false at the end of the file. A line
    /// ends at LF or CR LF, or in a file without any LF at a lone CR (old Mac files).
    fn read_line(&mut self) -> Result<bool, FormatError> {
        self.buf.clear();
        self.line_break = "";
        let mut any = false;
        loop {
            let chunk = self
                .reader
                .fill_buf()
                .map_err(|e| read_error(&self.name, Some(self.line + 1), e))?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            // Lines end at LF (a CR before it goes with it); at a lone CR only in a file that has no
            // LF at all (an old Mac file). A CR inside a line of an LF file stays text: pasting a CR LF
            // file beside an LF one puts a CR before every tab.
            let cr_only = *self.cr_only.get_or_insert_with(|| {
                memchr::memchr(b'\r', chunk).is_some() && memchr::memchr(b'\n', chunk).is_none()
            });
            let end = if cr_only {
                memchr::memchr2(b'\n', b'\r', chunk)
            } else {
                memchr::memchr(b'\n', chunk)
            };
            let part = &chunk[..end.unwrap_or(chunk.len())];
            // Checked as it streams: a NUL or an endless line is refused before it fills the memory.
            if memchr::memchr(0, part).is_some() {
                let start = Position {
                    line: self.line + 1,
                    col: 1,
                };
                let mut seen = std::mem::take(&mut self.buf);
                seen.extend_from_slice(part);
                let at = nul_position(&seen, start).unwrap_or(start);
                return Err(FormatError::malformed(
                    &self.name,
                    Some(at),
                    NUL_CHAR.into(),
                ));
            }
            if self.buf.len() + part.len() > self.max_line {
                return Err(FormatError::malformed(
                    &self.name,
                    Some(Position {
                        line: self.line + 1,
                        col: 1,
                    }),
                    super::too_long(self.max_line),
                ));
            }
            match end {
                None => {
                    self.buf.extend_from_slice(chunk);
                    let n = chunk.len();
                    self.reader.consume(n);
                }
                Some(i) => {
                    self.buf.extend_from_slice(&chunk[..i]);
                    let cr = chunk[i] == b'\r';
                    self.reader.consume(i + 1);
                    self.line_break = if cr { "\r" } else { "\n" };
                    if !cr && self.buf.ends_with(b"\r") {
                        self.buf.pop();
                        self.line_break = "\r\n";
                    }
                    if cr {
                        let next = self
                            .reader
                            .fill_buf()
                            .map_err(|e| read_error(&self.name, Some(self.line + 1), e))?;
                        if next.first() == Some(&b'\n') {
                            self.reader.consume(1);
                            self.line_break = "\r\n";
                        }
                    }
                    break;
                }
            }
        }
        if !any {
            return Ok(false);
        }
        if self.line_break.is_empty() && self.buf.ends_with(b"\r") {
            self.buf.pop();
        }
        self.line += 1;
        Ok(true)
    }

    /// The current line as text; a line that is not UTF-8 is a bad row (the rows around it are fine).
    fn line_text(&self) -> Result<&str, FormatError> {
        let start = Position {
            line: self.line,
            col: 1,
        };
        if let Some(at) = nul_position(&self.buf, start) {
            return Err(FormatError::malformed(
                &self.name,
                Some(at),
                NUL_CHAR.into(),
            ));
        }
        std::str::from_utf8(&self.buf).map_err(|e| {
            let col = String::from_utf8_lossy(&self.buf[..e.valid_up_to()])
                .chars()
                .count() as u64;
            FormatError::bad_unit(
                &self.name,
                Some(Position {
                    line: self.line,
                    col: col + 1,
                }),
                NOT_UTF8.into(),
            )
        })
    }

    /// The next non-blank row.
    fn next_row(&mut self) -> Result<Option<Row>, FormatError> {
        loop {
            if !self.read_line()? {
                return Ok(None);
            }
            let line = self.line;
            let text = self.line_text()?;
            if text.trim().is_empty() {
                continue;
            }
            let cells = match self.delimiter {
                Delimiter::Tab => text.split('\t').map(unescape_field).collect(),
                Delimiter::Comma => self.csv_record()?,
            };
            return Ok(Some(Row { cells, line }));
        }
    }

    /// Parses the CSV record that starts on the current line, reading more lines while a quoted field
    /// spans them.
    fn csv_record(&mut self) -> Result<Vec<String>, FormatError> {
        let start = self.line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        // Where the open quote is, while inside one.
        let mut open_quote: Option<Position> = None;
        let mut text = self.line_text()?.to_string();
        loop {
            let mut chars = text.chars().enumerate().peekable();
            let mut at_field_start = open_quote.is_none();
            while let Some((col, c)) = chars.next() {
                let here = Position {
                    line: self.line,
                    col: col as u64 + 1,
                };
                match (open_quote.is_some(), c) {
                    (true, '"') if chars.peek().map(|p| p.1) == Some('"') => {
                        chars.next();
                        cell.push('"');
                    }
                    (true, '"') => {
                        open_quote = None;
                        match chars.peek().map(|p| p.1) {
                            None | Some(',') => {}
                            Some(_) => {
                                return Err(self.skip_record_error(
                                    here,
                                    "text after a closing quote; a quoted field ends at the quote",
                                ))
                            }
                        }
                    }
                    (true, c) => cell.push(c),
                    (false, '"') if at_field_start => open_quote = Some(here),
                    (false, '"') => {
                        return Err(self.skip_record_error(
                            here,
                            "a quote inside an unquoted field; quote the whole field and double \
                             the quote (\"\")",
                        ))
                    }
                    (false, ',') => {
                        cells.push(std::mem::take(&mut cell));
                        at_field_start = true;
                        continue;
                    }
                    (false, c) => cell.push(c),
                }
                at_field_start = false;
            }
            let Some(opened) = open_quote else {
                cells.push(cell);
                return Ok(cells);
            };
            // A line break inside quotes belongs to the field, as written (CR LF or LF).
            let line_break = self.line_break;
            if !self.read_line()? {
                return Err(FormatError::malformed(
                    &self.name,
                    Some(opened),
                    format!(
                        "the quote opened here (record of line {start}) is never closed: the file \
                         ends inside it"
                    ),
                ));
            }
            cell.push_str(line_break);
            text = self.line_text()?.to_string();
        }
    }

    /// A bad CSV record: the error, with the rest of its line passed over.
    fn skip_record_error(&self, at: Position, msg: &str) -> FormatError {
        FormatError::bad_unit(&self.name, Some(at), msg.to_string())
    }

    fn to_unit(&self, row: Row) -> Result<Unit, FormatError> {
        let at = Some(Position {
            line: row.line,
            col: 1,
        });
        // Spreadsheets save TSV with CSV's quotes: a field with a tab or a line break in it comes out as
        // "a<TAB>b" or "a<LF>b", which TSV (no quoting) splits. Such a row is refused, not imported
        // with its text cut up and shifted into the wrong columns.
        let opens_quote = |c: &str| c.starts_with('"') && !(c.len() > 1 && c.ends_with('"'));
        let closes_quote = |c: &str| c.ends_with('"') && !c.starts_with('"');
        let quoted_hint = self.delimiter == Delimiter::Tab
            && row.cells.iter().any(|c| opens_quote(c) || closes_quote(c));
        const QUOTES: &str = "TSV has no quoting, so a quoted field with a tab or a line break in it \
                              (as spreadsheets write them) splits the row: save the file as CSV, or \
                              write the tab and line break as \\t and \\n";
        if quoted_hint
            && row.cells.len() > 2
            && row.cells.iter().position(|c| opens_quote(c))
                < row.cells.iter().rposition(|c| closes_quote(c))
        {
            return Err(FormatError::bad_unit(
                &self.name,
                at,
                format!("the row looks like a quoted field with a tab in it; {QUOTES}"),
            ));
        }
        let mut cells = row.cells.into_iter();
        let source = cells.next().unwrap_or_default();
        let Some(target) = cells.next() else {
            let sep = match self.delimiter {
                Delimiter::Tab => "a tab",
                Delimiter::Comma => "a comma",
            };
            let hint = if quoted_hint {
                format!(" ({QUOTES})")
            } else {
                String::new()
            };
            return Err(FormatError::bad_unit(
                &self.name,
                at,
                format!(
                    "the row has one column; a source and a target separated by {sep} are \
                     needed{hint}"
                ),
            ));
        };
        for (text, lang) in [(&source, &self.src_lang), (&target, &self.tgt_lang)] {
            if text.trim().is_empty() {
                return Err(FormatError::bad_unit(
                    &self.name,
                    at,
                    format!("the {lang} column is empty"),
                ));
            }
        }
        let mut unit = Unit::new(
            &self.src_lang,
            &self.tgt_lang,
            Segment::plain(source),
            Segment::plain(target),
        );
        for (i, value) in cells.enumerate() {
            if value.is_empty() {
                continue;
            }
            let name = self
                .extra_names
                .get(i)
                .cloned()
                .flatten()
                .unwrap_or_else(|| format!("column{}", i + 3));
            match name.to_ascii_lowercase().as_str() {
                "origin" => unit.origin = Some(value),
                "note" | "notes" | "comment" | "comments" => {
                    unit.meta.annotations.push(Annotation {
                        kind: AnnotationKind::Note,
                        attrs: Vec::new(),
                        text: value,
                    })
                }
                _ => unit.meta.annotations.push(Annotation::prop(&name, value)),
            }
        }
        Ok(unit)
    }
}

fn read_error(name: &Path, line: Option<u64>, e: io::Error) -> FormatError {
    if e.kind() == io::ErrorKind::InvalidData {
        FormatError::malformed(
            name,
            line.map(|line| Position { line, col: 1 }),
            e.to_string(),
        )
    } else {
        FormatError::io(name, e)
    }
}

/// Whether a header cell is a language tag (`ar`, `en-GB`, `fa-IR`), as opposed to a column name.
fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && !matches!(s.to_ascii_lowercase().as_str(), "src" | "tgt")
}

/// Whether the first row names columns rather than holding a unit.
///
/// A header is recognised by its words (`source`, `target`), by two language tags, or, for an Arabic
/// source, by having no Arabic in its first cell while the next row does.
fn looks_like_header(first: &[String], second: Option<&Row>, opts: &ReadOptions) -> bool {
    const WORDS: [&str; 12] = [
        "source",
        "src",
        "source text",
        "segment",
        "term",
        "original",
        "arabic",
        "target",
        "tgt",
        "target text",
        "translation",
        "english",
    ];
    let cell = |i: usize| {
        first
            .get(i)
            .map(|c| c.trim().to_lowercase())
            .unwrap_or_default()
    };
    let (a, b) = (cell(0), cell(1));
    let named = |c: &str, lang: &str| WORDS.contains(&c) || language_matches(lang, c);
    if (named(&a, &opts.src) && named(&b, &opts.tgt))
        || (is_language_tag(&a) && is_language_tag(&b))
    {
        return true;
    }
    let has_arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    crate::unit::primary_language(&opts.src) == "ar"
        && !first.first().is_some_and(|c| has_arabic(c))
        && second.is_some_and(|r| r.cells.first().is_some_and(|c| has_arabic(c)))
}

impl Iterator for DelimitedReader {
    type Item = Result<Unit, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(row) = self.pending.pop_front() {
            return Some(row.and_then(|r| self.to_unit(r)));
        }
        if self.done {
            return None;
        }
        match self.next_row() {
            Ok(Some(row)) => Some(self.to_unit(row)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = !e.is_recoverable();
                Some(Err(e))
            }
        }
    }
}

impl UnitReader for DelimitedReader {
    fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }
}

/// Escapes a TSV field so that it stays one field on one line.
pub fn escape_field(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Reverses [`escape_field`]; a backslash before any other character is kept as it is.
pub fn unescape_field(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let replacement = match chars.peek() {
            Some('\\') => '\\',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            _ => {
                out.push('\\');
                continue;
            }
        };
        chars.next();
        out.push(replacement);
    }
    out
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// Writes units as TSV or CSV (source, target), after a header row naming the two languages.
pub struct DelimitedWriter<W: Write> {
    out: W,
    delimiter: Delimiter,
}

impl<W: Write> DelimitedWriter<W> {
    /// Starts the file with a header row: the two language tags, or `source`/`target` when a memory
    /// holds several pairs.
    pub fn new(
        mut out: W,
        delimiter: Delimiter,
        languages: Option<(&str, &str)>,
    ) -> io::Result<DelimitedWriter<W>> {
        let (a, b) = languages.unwrap_or(("source", "target"));
        let sep = match delimiter {
            Delimiter::Tab => '\t',
            Delimiter::Comma => ',',
        };
        writeln!(out, "{a}{sep}{b}")?;
        Ok(DelimitedWriter { out, delimiter })
    }

    /// Writes one unit as a row: its source and target text (markup and metadata stay in TMX).
    pub fn write_unit(&mut self, unit: &Unit) -> io::Result<()> {
        let (s, t) = (&unit.source.text, &unit.target.text);
        match self.delimiter {
            Delimiter::Tab => writeln!(self.out, "{}\t{}", escape_field(s), escape_field(t)),
            Delimiter::Comma => {
                write!(self.out, "{},{}\r\n", csv_field(s), csv_field(t))
            }
        }
    }

    /// Flushes the rows and hands the output back.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str, delimiter: Delimiter) -> Vec<Result<Unit, FormatError>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        std::fs::write(&path, content).unwrap();
        DelimitedReader::open(&path, delimiter, &ReadOptions::new("ar", "en"))
            .unwrap()
            .collect()
    }

    #[test]
    fn header_names_languages_and_extra_columns() {
        let units: Vec<Unit> = read(
            "ar-IQ\ten-GB\torigin\tdomain\nحزب الله\tHizbullah\tmemri\tnames\n",
            Delimiter::Tab,
        )
        .into_iter()
        .map(Result::unwrap)
        .collect();
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!(
            (u.src_lang.as_str(), u.tgt_lang.as_str()),
            ("ar-IQ", "en-GB")
        );
        assert_eq!(u.origin.as_deref(), Some("memri"));
        assert_eq!(
            u.meta.annotations,
            vec![Annotation::prop("domain", "names")]
        );
    }

    #[test]
    fn a_header_of_other_languages_is_refused_not_imported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fa.tsv");
        std::fs::write(&path, "fa\ten\nحزب‌الله\tHizbullah\n").unwrap();
        let err = DelimitedReader::open(&path, Delimiter::Tab, &ReadOptions::new("ar", "en"))
            .err()
            .unwrap();
        assert!(err.to_string().contains("pass --src fa"), "{err}");
    }

    #[test]
    fn a_header_is_guessed_from_missing_arabic() {
        let units = read(
            "Arabic text\tEnglish text\nالبوكمال\tAl-Bukamal\n",
            Delimiter::Tab,
        );
        assert_eq!(units.len(), 1);
        let units = read("البوكمال\tAl-Bukamal\nالقائم\tAl-Qa'im\n", Delimiter::Tab);
        assert_eq!(units.len(), 2);
    }

    #[test]
    fn escapes_round_trip_and_crlf_is_accepted() {
        let units = read("ar\ten\nسطر\\nثان\tline\\ttwo\r\n", Delimiter::Tab);
        let u = units[0].as_ref().unwrap();
        assert_eq!(u.source.text, "سطر\nثان");
        assert_eq!(u.target.text, "line\ttwo");
        let mut w = DelimitedWriter::new(Vec::new(), Delimiter::Tab, Some(("ar", "en"))).unwrap();
        w.write_unit(u).unwrap();
        assert_eq!(
            String::from_utf8(w.finish().unwrap()).unwrap(),
            "ar\ten\nسطر\\nثان\tline\\ttwo\n"
        );
    }

    /// The source and target of every unit read from `content`, which must all be good.
    fn texts(content: &str, delimiter: Delimiter) -> Vec<(String, String)> {
        read(content, delimiter)
            .into_iter()
            .map(|u| u.unwrap())
            .map(|u| (u.source.text, u.target.text))
            .collect()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, e)| (a.to_string(), e.to_string()))
            .collect()
    }

    #[test]
    fn a_cr_inside_a_line_of_an_lf_file_stays_in_its_cell() {
        // A CR LF Arabic file pasted beside an LF English one: CR before every tab.
        assert_eq!(
            texts("مرحبا\r\thello\r\nسلام\r\tpeace\n", Delimiter::Tab),
            owned(&[("مرحبا\r", "hello"), ("سلام\r", "peace")])
        );
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        assert_eq!(
            texts("مرحبا\thello\rسلام\tpeace\rكتاب\tbook\r", Delimiter::Tab),
            owned(&[("مرحبا", "hello"), ("سلام", "peace"), ("كتاب", "book")])
        );
        assert_eq!(
            texts("مرحبا,hello\r\"سلام\r\",peace\rكتاب,book", Delimiter::Comma),
            owned(&[("مرحبا", "hello"), ("سلام\r", "peace"), ("كتاب", "book")])
        );
    }

    #[test]
    fn a_row_without_target_names_its_line() {
        let results = read("حزب الله\tHizbullah\n\nدير الزور\n", Delimiter::Tab);
        let err = results[1].as_ref().unwrap_err();
        assert!(err.is_recoverable());
        assert_eq!(err.position.map(|p| p.line), Some(3));
    }

    #[test]
    fn csv_quotes_span_lines_and_round_trip() {
        let text = "source,target\n\"عصائب أهل الحق، \"\"الميليشيا\"\"\",\"Asa'ib Ahl Al-Haq,\nthe militia\"\nالقائم,Al-Qa'im\n";
        let units: Vec<Unit> = read(text, Delimiter::Comma)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].source.text, "عصائب أهل الحق، \"الميليشيا\"");
        assert_eq!(units[0].target.text, "Asa'ib Ahl Al-Haq,\nthe militia");
        let mut w = DelimitedWriter::new(Vec::new(), Delimiter::Comma, Some(("ar", "en"))).unwrap();
        for u in &units {
            w.write_unit(u).unwrap();
        }
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let again: Vec<Unit> = read(&out, Delimiter::Comma)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(again, units);
    }

    /// Found by the export→import property test: a CR LF inside a quoted field came back as LF.
    #[test]
    fn a_line_break_inside_quotes_is_kept_as_written() {
        let units: Vec<Unit> = read("ar,en\r\n\"حزب\r\nالله\",\"a\nb\r\"\r\n", Delimiter::Comma)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(units[0].source.text, "حزب\r\nالله");
        assert_eq!(units[0].target.text, "a\nb\r");
    }

    #[test]
    fn bad_csv_quoting_is_an_error_with_its_position() {
        let results = read("ar,en\n\"حزب\" x,Hiz\nالقائم,Al-Qa'im\n", Delimiter::Comma);
        let err = results[0].as_ref().unwrap_err();
        assert_eq!(err.position, Some(Position { line: 2, col: 5 }));
        assert!(err.to_string().contains("text after a closing quote"));
        assert!(results[1].is_ok(), "the next row is read on its own");

        let results = read(
            "ar,en\nالقائم,Al-Qa'im\nحزب,\"unterminated\nc,d\n",
            Delimiter::Comma,
        );
        assert_eq!(results.len(), 2);
        let err = results[1].as_ref().unwrap_err();
        assert!(!err.is_recoverable());
        assert_eq!(err.position, Some(Position { line: 3, col: 5 }));
        assert!(err.to_string().contains("never closed"), "{err}");

        let results = read("ar,en\nحزب,Hi\"z\n", Delimiter::Comma);
        assert!(results[0]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("a quote inside an unquoted field"));
    }

    #[test]
    fn a_line_that_is_not_utf8_is_one_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tsv");
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("حزب");
        let mut bytes = "القائم\tAl-Qa'im\nab".as_bytes().to_vec();
        bytes.extend_from_slice(&cp1256);
        bytes.extend_from_slice("\tHizb\nدير الزور\tDeir Al-Zour\n".as_bytes());
        std::fs::write(&path, bytes).unwrap();
        let results: Vec<_> =
            DelimitedReader::open(&path, Delimiter::Tab, &ReadOptions::new("ar", "en"))
                .unwrap()
                .collect();
        assert_eq!(results.len(), 3);
        let err = results[1].as_ref().unwrap_err();
        assert!(err.is_recoverable());
        assert_eq!(err.position, Some(Position { line: 2, col: 3 }));
        assert!(err.to_string().contains("windows-1256"), "{err}");
        assert!(results[2].is_ok());
    }

    #[test]
    fn reads_from_memory_and_names_the_given_name_in_errors() {
        let opts = ReadOptions::new("ar", "en");
        let tsv = "ar\ten\nحزب الله\tHizbullah\nدير الزور\n";
        let results: Vec<_> =
            DelimitedReader::new(tsv.as_bytes(), Path::new("<stdin>"), Delimiter::Tab, &opts)
                .unwrap()
                .collect();
        assert_eq!(results[0].as_ref().unwrap().target.text, "Hizbullah");
        assert_eq!(
            results[1].as_ref().unwrap_err().to_string(),
            "<stdin>:3:1: the row has one column; a source and a target separated by a tab are \
             needed"
        );

        let mut utf16 = vec![0xFE, 0xFF];
        utf16.extend(
            "البوكمال,Al-Bukamal\n"
                .encode_utf16()
                .flat_map(|u| u.to_be_bytes()),
        );
        let len = utf16.len() as u64;
        let mut reader = DelimitedReader::new(
            io::Cursor::new(utf16),
            Path::new("<stdin>"),
            Delimiter::Comma,
            &opts,
        )
        .unwrap();
        assert_eq!(reader.next().unwrap().unwrap().target.text, "Al-Bukamal");
        assert!(reader.next().is_none());
        assert_eq!(reader.bytes_read(), len);
    }
}
