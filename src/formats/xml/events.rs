//! Reading XML as a stream of located events: what the TMX and XLIFF readers share.
//!
//! Both readers see the same parser (quick-xml over the decoded bytes, with a tracker that knows lines
//! and columns), the same checks the parser leaves out (NUL, element names, duplicate attributes), the
//! same refusal of entities a DOCTYPE declares, and the same error messages.

use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::Reader;

use super::{escape_text_into, push_attr};
use crate::formats::decode;
use crate::formats::position::{nul_position, LineTracker, Position};
use crate::formats::{FormatError, ReadOptions, NOT_UTF8, NUL_CHAR};

/// A located stream of XML events over any byte source.
pub(crate) struct XmlEvents {
    /// The file's path, or the name that stands for it in errors.
    name: PathBuf,
    xml: Reader<LineTracker<Box<dyn BufRead + Send>>>,
    bytes_read: Arc<AtomicU64>,
    buf: Vec<u8>,
}

impl XmlEvents {
    /// Decodes `reader` (BOM, XML declaration, `opts.encoding`) and parses it as XML.
    pub(crate) fn new(
        reader: impl Read + Send + 'static,
        name: &Path,
        opts: &ReadOptions,
    ) -> Result<XmlEvents, FormatError> {
        let decoded = decode::from_reader(reader, name, opts.encoding, true)?;
        let mut xml = Reader::from_reader(LineTracker::new(decoded.reader, opts.max_segment));
        let config = xml.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(XmlEvents {
            name: name.to_path_buf(),
            xml,
            bytes_read: decoded.bytes_read,
            buf: Vec::with_capacity(4096),
        })
    }

    /// The file's path, or the name that stands for it.
    pub(crate) fn name(&self) -> &Path {
        &self.name
    }

    /// Bytes of the source consumed so far (before decoding), for progress bars.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// The position of the next event's first character.
    ///
    /// The parser may have consumed one byte more than it has used (the `<` that ended a text), so the
    /// tracker's column is pulled back by the difference, which is never a newline.
    pub(crate) fn here(&self) -> Position {
        let tracker = self.xml.get_ref();
        let ahead = tracker
            .consumed()
            .saturating_sub(self.xml.buffer_position());
        let mut p = tracker.position();
        p.col = p.col.saturating_sub(ahead).max(1);
        p
    }

    /// A problem with the file as a whole, at `at`: reading stops.
    pub(crate) fn malformed(&self, at: Position, msg: impl Into<String>) -> FormatError {
        FormatError::malformed(&self.name, Some(at), msg.into())
    }

    /// A problem with one unit, at `at`: `--skip-invalid` may pass over it.
    pub(crate) fn bad_unit(&self, at: Position, msg: impl Into<String>) -> FormatError {
        FormatError::bad_unit(&self.name, Some(at), msg.into())
    }

    fn xml_error(&self, err: quick_xml::Error) -> FormatError {
        if let Some((at, msg)) = self.xml.get_ref().fault() {
            return self.malformed(*at, msg.clone());
        }
        let msg = match &err {
            // The decoder stopped at the bad bytes, after handing over all text before them: the
            // parser has consumed up to exactly there.
            quick_xml::Error::Io(e) if e.kind() == io::ErrorKind::InvalidData => {
                return self.malformed(self.xml.get_ref().position(), e.to_string());
            }
            quick_xml::Error::Encoding(_) => NOT_UTF8.to_string(),
            quick_xml::Error::Syntax(e) => format!("not well-formed XML: {e}"),
            quick_xml::Error::IllFormed(e) => format!("not well-formed XML: {e}"),
            other => format!("not well-formed XML: {other}"),
        };
        let at = self.xml.get_ref().locate(self.xml.error_position());
        self.malformed(at, msg)
    }

    /// Reads the next event, turning parser errors into located errors.
    pub(crate) fn next(&mut self) -> Result<Event<'static>, FormatError> {
        self.buf.clear();
        let at = self.here();
        self.xml.get_mut().mark();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(ev) => {
                let ev = ev.into_owned();
                // XML has no NUL, not even as a reference; quick-xml passes it through.
                if let Some(mut nul) = nul_position(&self.buf, at) {
                    // The buffer of a tag starts after its `<`.
                    if !matches!(ev, Event::Text(_)) && nul.line == at.line {
                        nul.col += 1;
                    }
                    return Err(self.malformed(nul, NUL_CHAR));
                }
                // quick-xml does not check names: `<1tuv>` is not well-formed XML.
                if let Event::Start(e) | Event::Empty(e) = &ev {
                    if !starts_like_a_name(e.name().as_ref()) {
                        return Err(self.malformed(
                            at,
                            format!(
                                "not well-formed XML: <{}> is not an element name",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ));
                    }
                }
                Ok(ev)
            }
            Err(e) => Err(self.xml_error(e)),
        }
    }

    /// Skips an element whose start tag was just read, checking it is well formed.
    pub(crate) fn skip_element(&mut self, start: &BytesStart) -> Result<(), FormatError> {
        let mut depth = 1usize;
        let name = start.name().as_ref().to_vec();
        loop {
            match self.next()? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.truncated(&name)),
                _ => {}
            }
        }
    }

    /// The file ended inside the element named `inside`.
    pub(crate) fn truncated(&self, inside: &[u8]) -> FormatError {
        self.malformed(
            self.here(),
            format!(
                "the file ends inside <{}> (truncated?)",
                String::from_utf8_lossy(inside)
            ),
        )
    }

    /// The attributes of a tag, unescaped, in order; a duplicate is an error.
    pub(crate) fn attrs(
        &self,
        e: &BytesStart,
        at: Position,
    ) -> Result<Vec<(String, String)>, FormatError> {
        let mut out = Vec::new();
        // Duplicates are checked here, with a set: quick-xml compares each key with every earlier one,
        // and a tag with a million attributes took minutes.
        let mut seen = rustc_hash::FxHashSet::default();
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.malformed(at, format!("bad attribute: {err}")))?;
            let key = std::str::from_utf8(attr.key.as_ref())
                .map_err(|_| self.not_utf8(at))?
                .to_string();
            if !seen.insert(key.clone()) {
                return Err(self.malformed(
                    at,
                    format!("not well-formed XML: the attribute {key} is given twice"),
                ));
            }
            let value = attr.unescape_value().map_err(|err| {
                self.malformed(at, format!("bad value of attribute {key}: {err}"))
            })?;
            out.push((key, value.into_owned()));
        }
        Ok(out)
    }

    /// Text content of an event (text, CDATA, a character or predefined entity reference), or `None`
    /// for any other event.
    pub(crate) fn text_of(&self, ev: &Event, at: Position) -> Option<Result<String, FormatError>> {
        Some(match ev {
            Event::Text(t) => t
                .xml10_content()
                .map(|s| s.into_owned())
                .map_err(|_| self.not_utf8(at)),
            Event::CData(c) => std::str::from_utf8(c)
                .map(str::to_string)
                .map_err(|_| self.not_utf8(at)),
            Event::GeneralRef(r) => self.resolve_ref(r, at).map(String::from),
            _ => return None,
        })
    }

    pub(crate) fn not_utf8(&self, at: Position) -> FormatError {
        self.malformed(at, NOT_UTF8)
    }

    /// The character a reference stands for: a character reference or one of XML's five entities.
    pub(crate) fn resolve_ref(&self, r: &BytesRef, at: Position) -> Result<char, FormatError> {
        match r.resolve_char_ref() {
            Ok(Some(c)) => return Ok(c),
            Ok(None) => {}
            Err(e) => return Err(self.malformed(at, format!("bad character reference: {e}"))),
        }
        let name = String::from_utf8_lossy(r);
        match quick_xml::escape::resolve_predefined_entity(&name) {
            Some(s) => Ok(s.chars().next().unwrap_or('\u{FFFD}')),
            None => Err(self.undefined_entity(r, at)),
        }
    }

    /// An entity that is not one of XML's five: never expanded.
    pub(crate) fn undefined_entity(&self, r: &BytesRef, at: Position) -> FormatError {
        self.malformed(
            at,
            format!(
                "entity &{}; is not one of XML's five; tm never expands entities a DOCTYPE \
                 declares (they can be used to exhaust memory or read other files)",
                String::from_utf8_lossy(r)
            ),
        )
    }
}

/// Whether a tag name starts as XML allows: not with a digit, `-` or `.`, and not empty.
fn starts_like_a_name(name: &[u8]) -> bool {
    name.first()
        .is_some_and(|b| !b.is_ascii_digit() && !matches!(b, b'-' | b'.'))
}

/// Whether a text event is only whitespace.
pub(crate) fn is_blank(t: &BytesText) -> bool {
    t.iter().all(|b| b.is_ascii_whitespace())
}

/// Writes a start tag (or an empty element) with its attributes, escaped.
pub(crate) fn write_tag(s: &mut String, name: &str, attrs: &[(String, String)], empty: bool) {
    s.push('<');
    s.push_str(name);
    for (k, v) in attrs {
        push_attr(s, k, v);
    }
    s.push_str(if empty { "/>" } else { ">" });
}

/// `text` escaped as XML content.
pub(crate) fn escaped(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 16);
    escape_text_into(text, &mut s);
    s
}
