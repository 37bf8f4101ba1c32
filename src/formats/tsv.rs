//! Tab-separated and comma-separated bilingual files.
//!
//! The first column is the source, the second the target. An optional header row names the columns; a
//! named further column becomes a property of each unit (`origin` sets the unit's origin, `note` or
//! `comment` a note), an unnamed one a property `columnN`, so nothing a file holds is dropped.
//!
//! TSV has no quoting. So that segments containing tabs or line breaks survive a round trip, `tm` writes
//! them as `\t`, `\n`, `\r` and a backslash as `\\` (PostgreSQL's text-format convention), and reads
//! those four sequences back; any other backslash is taken literally. CSV follows RFC 4180 quoting.
//!
//! ```
//! assert_eq!(tm::formats::tsv::escape_field("a\tb\\c"), "a\\tb\\\\c");
//! assert_eq!(tm::formats::tsv::unescape_field("a\\tb\\\\c\\d"), "a\tb\\c\\d");
//! ```

use std::collections::VecDeque;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::decode;
use super::{FormatError, Position, ReadOptions, UnitReader};
use crate::unit::{language_matches, Annotation, AnnotationKind, Segment, Unit};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    Tab,
    Comma,
}

/// One row as read: its cells and the line it starts on.
struct Row {
    cells: Vec<String>,
    line: u64,
}

enum Rows {
    Tsv {
        reader: Box<dyn BufRead + Send>,
        line: u64,
        buf: Vec<u8>,
    },
    Csv(csv::Reader<Box<dyn BufRead + Send>>),
}

/// Streams units from a TSV or CSV file.
pub struct DelimitedReader {
    path: PathBuf,
    rows: Rows,
    pending: VecDeque<Row>,
    /// Names of the columns after the first two, from the header row.
    extra_names: Vec<Option<String>>,
    src_lang: String,
    tgt_lang: String,
    bytes_read: Arc<AtomicU64>,
    /// An error met while looking ahead for the header, returned when the stream reaches it.
    deferred: Option<FormatError>,
    done: bool,
}

impl DelimitedReader {
    pub fn open(
        path: &Path,
        delimiter: Delimiter,
        opts: &ReadOptions,
    ) -> Result<DelimitedReader, FormatError> {
        let decoded = decode::open(path, opts.encoding, false)?;
        let rows = match delimiter {
            Delimiter::Tab => Rows::Tsv {
                reader: decoded.reader,
                line: 0,
                buf: Vec::with_capacity(1024),
            },
            Delimiter::Comma => Rows::Csv(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(decoded.reader),
            ),
        };
        let mut reader = DelimitedReader {
            path: path.to_path_buf(),
            rows,
            pending: VecDeque::new(),
            extra_names: Vec::new(),
            src_lang: opts.src.clone(),
            tgt_lang: opts.tgt.clone(),
            bytes_read: decoded.bytes_read,
            deferred: None,
            done: false,
        };
        reader.read_header(opts)?;
        Ok(reader)
    }

    /// Looks at the first two rows to decide whether the first is a header, and takes its names.
    fn read_header(&mut self, opts: &ReadOptions) -> Result<(), FormatError> {
        let Some(first) = self.next_row()? else {
            return Ok(());
        };
        let second = match opts.header {
            Some(_) => None,
            None => self.next_row().unwrap_or_else(|e| {
                self.deferred = Some(e);
                None
            }),
        };
        let is_header = opts
            .header
            .unwrap_or_else(|| looks_like_header(&first.cells, second.as_ref(), opts));
        if is_header {
            for (i, name) in first.cells.iter().enumerate() {
                let name = name.trim();
                match i {
                    0 if language_matches(&opts.src, name) => self.src_lang = name.to_string(),
                    1 if language_matches(&opts.tgt, name) => self.tgt_lang = name.to_string(),
                    0 | 1 => {}
                    _ => self
                        .extra_names
                        .push((!name.is_empty()).then(|| name.to_string())),
                }
            }
        } else {
            self.pending.push_back(first);
        }
        self.pending.extend(second);
        Ok(())
    }

    fn next_row(&mut self) -> Result<Option<Row>, FormatError> {
        match &mut self.rows {
            Rows::Tsv { reader, line, buf } => loop {
                buf.clear();
                let n = reader
                    .read_until(b'\n', buf)
                    .map_err(|e| read_error(&self.path, Some(*line + 1), e))?;
                if n == 0 {
                    return Ok(None);
                }
                *line += 1;
                if buf.ends_with(b"\n") {
                    buf.pop();
                }
                if buf.ends_with(b"\r") {
                    buf.pop();
                }
                let text = std::str::from_utf8(buf).map_err(|e| {
                    FormatError::malformed(
                        &self.path,
                        Some(Position {
                            line: *line,
                            col: String::from_utf8_lossy(&buf[..e.valid_up_to()])
                                .chars()
                                .count() as u64
                                + 1,
                        }),
                        NOT_UTF8.into(),
                    )
                })?;
                if text.trim().is_empty() {
                    continue;
                }
                let cells = text.split('\t').map(unescape_field).collect();
                return Ok(Some(Row { cells, line: *line }));
            },
            Rows::Csv(reader) => {
                let mut record = csv::StringRecord::new();
                loop {
                    match reader.read_record(&mut record) {
                        Ok(false) => return Ok(None),
                        Ok(true) => {
                            let line = record.position().map_or(0, |p| p.line());
                            if record.iter().all(|c| c.trim().is_empty()) {
                                continue;
                            }
                            let cells = record.iter().map(str::to_string).collect();
                            return Ok(Some(Row { cells, line }));
                        }
                        Err(e) => {
                            let line = e.position().map(|p| p.line());
                            let at = line.map(|line| Position { line, col: 1 });
                            let msg = e.to_string();
                            return Err(match e.into_kind() {
                                csv::ErrorKind::Utf8 { .. } => {
                                    FormatError::malformed(&self.path, at, NOT_UTF8.into())
                                }
                                csv::ErrorKind::Io(io) => read_error(&self.path, line, io),
                                _ => FormatError::malformed(
                                    &self.path,
                                    at,
                                    format!("not valid CSV: {msg}"),
                                ),
                            });
                        }
                    }
                }
            }
        }
    }

    fn to_unit(&self, row: Row) -> Result<Unit, FormatError> {
        let at = Some(Position {
            line: row.line,
            col: 1,
        });
        let mut cells = row.cells.into_iter();
        let source = cells.next().unwrap_or_default();
        let Some(target) = cells.next() else {
            return Err(FormatError::bad_unit(
                &self.path,
                at,
                "the row has one column; a source and a target separated by a tab are needed"
                    .into(),
            ));
        };
        for (text, lang) in [(&source, &self.src_lang), (&target, &self.tgt_lang)] {
            if text.trim().is_empty() {
                return Err(FormatError::bad_unit(
                    &self.path,
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

const NOT_UTF8: &str = "not valid UTF-8 (if this is a legacy Arabic file, pass --encoding \
                        windows-1256 or convert it with iconv)";

fn read_error(path: &Path, line: Option<u64>, e: io::Error) -> FormatError {
    if e.kind() == io::ErrorKind::InvalidData {
        FormatError::malformed(
            path,
            line.map(|line| Position { line, col: 1 }),
            e.to_string(),
        )
    } else {
        FormatError::io(path, e)
    }
}

/// Whether the first row names columns rather than holding a unit.
///
/// A header is recognised by its words (`source`, `target`, the language tags) or, for an Arabic
/// source, by having no Arabic in its first cell while the next row does.
fn looks_like_header(first: &[String], second: Option<&Row>, opts: &ReadOptions) -> bool {
    const WORDS: [&str; 14] = [
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
        "ar",
        "en",
    ];
    let cell = |i: usize| first.get(i).map(|c| c.trim().to_lowercase());
    let named = |c: Option<String>, lang: &str| {
        c.is_some_and(|c| WORDS.contains(&c.as_str()) || language_matches(lang, &c))
    };
    if named(cell(0), &opts.src) && named(cell(1), &opts.tgt) {
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
        if self.done {
            return None;
        }
        let row = match self.pending.pop_front() {
            Some(row) => row,
            None if self.deferred.is_some() => {
                self.done = true;
                return self.deferred.take().map(Err);
            }
            None => match self.next_row() {
                Ok(Some(row)) => row,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            },
        };
        Some(self.to_unit(row))
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

/// Writes units as TSV (source, target) or CSV.
pub struct DelimitedWriter<W: Write> {
    inner: WriterKind<W>,
}

enum WriterKind<W: Write> {
    Tsv(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> DelimitedWriter<W> {
    pub fn new(out: W, delimiter: Delimiter) -> DelimitedWriter<W> {
        let inner = match delimiter {
            Delimiter::Tab => WriterKind::Tsv(out),
            Delimiter::Comma => WriterKind::Csv(Box::new(csv::Writer::from_writer(out))),
        };
        DelimitedWriter { inner }
    }

    pub fn write_unit(&mut self, unit: &Unit) -> io::Result<()> {
        match &mut self.inner {
            WriterKind::Tsv(w) => writeln!(
                w,
                "{}\t{}",
                escape_field(&unit.source.text),
                escape_field(&unit.target.text)
            ),
            WriterKind::Csv(w) => w
                .write_record([&unit.source.text, &unit.target.text])
                .map_err(io::Error::other),
        }
    }

    pub fn finish(self) -> io::Result<W> {
        match self.inner {
            WriterKind::Tsv(mut w) => {
                w.flush()?;
                Ok(w)
            }
            WriterKind::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
        }
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
        let units = read("سطر\\nثان\tline\\ttwo\r\n", Delimiter::Tab);
        let u = units[0].as_ref().unwrap();
        assert_eq!(u.source.text, "سطر\nثان");
        assert_eq!(u.target.text, "line\ttwo");
        let mut w = DelimitedWriter::new(Vec::new(), Delimiter::Tab);
        w.write_unit(u).unwrap();
        assert_eq!(
            String::from_utf8(w.finish().unwrap()).unwrap(),
            "سطر\\nثان\tline\\ttwo\n"
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
    fn csv_quotes_and_positions() {
        let units = read(
            "source,target\n\"عصائب أهل الحق، الميليشيا\",\"Asa'ib Ahl Al-Haq, the militia\"\n",
            Delimiter::Comma,
        );
        assert_eq!(units.len(), 1);
        assert_eq!(
            units[0].as_ref().unwrap().target.text,
            "Asa'ib Ahl Al-Haq, the militia"
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tsv");
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode("حزب");
        let mut bytes = "القائم\tAl-Qa'im\nab".as_bytes().to_vec();
        bytes.extend_from_slice(&cp1256);
        bytes.extend_from_slice(b"\tHizb\n");
        std::fs::write(&path, bytes).unwrap();
        let err = DelimitedReader::open(&path, Delimiter::Tab, &ReadOptions::new("ar", "en"))
            .unwrap()
            .find_map(Result::err)
            .unwrap();
        assert!(!err.is_recoverable());
        assert_eq!(err.position, Some(Position { line: 2, col: 3 }));
        assert!(err.to_string().contains("windows-1256"), "{err}");
    }
}
