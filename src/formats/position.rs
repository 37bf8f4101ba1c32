//! Where in a file a reader is: lines and columns, which every error names.
//!
//! The TSV and CSV readers count lines themselves (a line is their unit); the XML parser reads in
//! chunks that do not end at lines, so the TMX reader counts through a [`LineTracker`] between the
//! decoder and the parser.

use std::io::{self, BufRead};

use super::NUL_CHAR;

/// Where in a file something went wrong. Lines and columns count from 1; columns count characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u64,
    pub col: u64,
}

/// The position of the first NUL in `bytes`, which start at `at`: lines and characters counted on.
pub(crate) fn nul_position(bytes: &[u8], at: Position) -> Option<Position> {
    let i = bytes.iter().position(|&b| b == 0)?;
    Some(position_at(bytes, i, at))
}

/// The position of byte `i` of `bytes`, which start at `at`: lines and characters counted on.
pub(crate) fn position_at(bytes: &[u8], i: usize, at: Position) -> Position {
    let before = &bytes[..i];
    let chars = |b: &[u8]| b.iter().filter(|&&c| (c & 0xC0) != 0x80).count() as u64;
    match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => Position {
            line: at.line + before.iter().filter(|&&b| b == b'\n').count() as u64,
            col: chars(&before[nl + 1..]) + 1,
        },
        None => Position {
            line: at.line,
            col: at.col + chars(before),
        },
    }
}

/// The I/O error that stops the parser on a [`LineTracker`] fault.
const FAULT: &str = "the file cannot be read on (see the position)";

/// A `BufRead` that counts lines and columns of what the parser has consumed, so that every error
/// names a line and column without a second pass over the file.
pub(crate) struct LineTracker<R> {
    inner: R,
    line: u64,
    /// Characters since the last newline.
    col: u64,
    /// Bytes consumed in all.
    consumed: u64,
    /// Bytes since the last `<` or `>`: the parser holds a whole text or tag in memory, so an endless
    /// one is stopped here, as the bytes stream past.
    run: usize,
    max_run: usize,
    /// What was found in the bytes consumed (a NUL, an endless run), reported by the next read.
    fault: Option<(Position, String)>,
}

impl<R: BufRead> LineTracker<R> {
    pub(crate) fn new(inner: R, max_run: usize) -> LineTracker<R> {
        LineTracker {
            inner,
            line: 1,
            col: 0,
            consumed: 0,
            run: 0,
            max_run,
            fault: None,
        }
    }

    /// The position of the next byte to be consumed.
    pub(crate) fn position(&self) -> Position {
        Position {
            line: self.line,
            col: self.col + 1,
        }
    }

    /// Bytes consumed in all.
    pub(crate) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// What stopped the parser, if the tracker did: where, and why.
    pub(crate) fn fault(&self) -> Option<&(Position, String)> {
        self.fault.as_ref()
    }
}

impl<R: BufRead> io::Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineTracker<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.fault.is_some() {
            // The parser stops on this; the reader takes the fault's own position and words.
            return Err(io::Error::new(io::ErrorKind::InvalidData, FAULT));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let used = &buf[..amt.min(buf.len())];
            if self.fault.is_none() {
                let here = Position {
                    line: self.line,
                    col: self.col + 1,
                };
                if let Some(at) = nul_position(used, here) {
                    self.fault = Some((at, NUL_CHAR.to_string()));
                }
                self.run = match memchr::memrchr2(b'<', b'>', used) {
                    Some(i) => used.len() - i - 1,
                    None => self.run + used.len(),
                };
                if self.run > self.max_run {
                    self.fault = Some((here, crate::formats::too_long(self.max_run)));
                }
            }
            self.consumed += used.len() as u64;
            // Both counts vectorise; this costs little next to parsing.
            let newlines = used.iter().filter(|&&b| b == b'\n').count() as u64;
            let tail = match used.iter().rposition(|&b| b == b'\n') {
                Some(i) => {
                    self.line += newlines;
                    self.col = 0;
                    &used[i + 1..]
                }
                None => used,
            };
            self.col += tail.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64;
        }
        self.inner.consume(amt);
    }
}
