//! Where in a file a reader is: lines and columns counted as the bytes go past, so that every error
//! names its place without a second pass over the file (a stream read from a pipe has none).
//!
//! The TSV and CSV readers count lines themselves (a line is their unit); the XML parser reads in
//! chunks that do not end at lines, so the TMX reader counts through a [`LineTracker`] between the
//! decoder and the parser.

use std::io::{self, BufRead};

use super::NUL_CHAR;

/// Where in a file something went wrong. Lines and columns count from 1; columns count characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Position {
    /// The line, from 1.
    pub line: u64,
    /// The column in characters, from 1.
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
    /// Where the parser's current event began, and the bytes consumed since: the parser reports an
    /// error as an offset into the event it was reading, and these locate it.
    mark_offset: u64,
    mark_position: Position,
    since_mark: Vec<u8>,
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
            mark_offset: 0,
            mark_position: Position { line: 1, col: 1 },
            since_mark: Vec::new(),
        }
    }

    /// Called before the parser reads an event: what it consumes from here on is kept until the
    /// next mark, so that an error inside the event can be located.
    pub(crate) fn mark(&mut self) {
        self.mark_offset = self.consumed;
        self.mark_position = self.position();
        self.since_mark.clear();
    }

    /// The position of byte `offset` of the stream, which lies in the event begun at the last mark,
    /// or just before it: the parser may have consumed the `<` that starts the event while reading
    /// the text before it, and that byte is never a newline. An offset past what was consumed is
    /// placed just after the last character.
    pub(crate) fn locate(&self, offset: u64) -> Position {
        if offset < self.mark_offset {
            let mut p = self.mark_position;
            p.col = p.col.saturating_sub(self.mark_offset - offset).max(1);
            return p;
        }
        let i = usize::try_from(offset - self.mark_offset).map_or(usize::MAX, |i| i);
        position_at(
            &self.since_mark,
            i.min(self.since_mark.len()),
            self.mark_position,
        )
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
            self.since_mark.extend_from_slice(used);
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn locate_counts_lines_and_characters_from_the_mark() {
        let text = "ab<c>\nxy\nحزب x\n";
        let mut t = LineTracker::new(text.as_bytes(), 1 << 20);
        // The parser has read "ab" and, looking ahead, the `<` of the next event.
        t.read_exact(&mut [0u8; 3]).unwrap();
        t.mark();
        t.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!(t.locate(2), Position { line: 1, col: 3 }, "the look-ahead");
        assert_eq!(t.locate(6), Position { line: 2, col: 1 });
        // "حزب " is 7 bytes from byte 9, so byte 16 is 'x' at column 5.
        assert_eq!(t.locate(16), Position { line: 3, col: 5 });
        assert_eq!(t.locate(99), Position { line: 4, col: 1 }, "past the end");
    }
}
