//! Turning a file's bytes into UTF-8, whatever encoding it came in.
//!
//! Readers in this crate parse UTF-8 only. This module decides a file's encoding (the user's choice, then a
//! byte-order mark, then the XML declaration, then the UTF-16 byte pattern XML's Appendix F describes, else
//! UTF-8) and, when it is not UTF-8, transcodes it on the fly. Malformed input is refused, never replaced
//! with U+FFFD: a legacy Arabic file read as the wrong encoding would otherwise be stored as mojibake.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::position::{self, Position};
use super::FormatError;

/// How many bytes are looked at to decide the encoding.
const SNIFF_LEN: usize = 1024;

/// An open file or stream, decoded to UTF-8, with a shared count of the raw bytes read so far.
pub struct DecodedFile {
    /// The text as UTF-8, whatever the file's encoding was.
    pub reader: Box<dyn BufRead + Send>,
    /// The encoding the file was read in (found, or given by the user).
    pub encoding: &'static Encoding,
    /// Raw bytes of the file or stream consumed so far; shared so a progress bar can watch it.
    pub bytes_read: Arc<AtomicU64>,
}

/// The largest document read whole (`tm align`, `pretranslate`, `analyze`, `names import`, a style
/// file): 64 MiB, six times a 50,000-sentence document. Beyond it the file is refused instead of
/// filling the memory (`/dev/zero` never ends).
pub const MAX_DOCUMENT: u64 = 64 << 20;

/// Reads a whole text document: a BOM or UTF-16 with a BOM understood, at most [`MAX_DOCUMENT`] bytes;
/// a NUL, bytes that are not UTF-8 (in the encoding found), or a larger file is an error naming the
/// file and the line.
pub fn read_document(path: &Path) -> Result<String, FormatError> {
    read_document_from(super::open_file(path)?, path, None)
}

/// [`read_document`] of any byte stream, `name` standing for the file in errors (`<stdin>`), in the
/// `forced` encoding if one is given (else the BOM, else UTF-8).
pub fn read_document_from(
    reader: impl Read + Send + 'static,
    name: &Path,
    forced: Option<&'static Encoding>,
) -> Result<String, FormatError> {
    let path = name;
    let decoded = from_reader(reader, name, forced, false)?;
    let mut bytes = Vec::new();
    decoded
        .reader
        .take(MAX_DOCUMENT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FormatError::io(path, e))?;
    if bytes.len() as u64 > MAX_DOCUMENT {
        return Err(FormatError::malformed(
            path,
            None,
            format!(
                "larger than {} MiB: tm reads documents of ordinary size whole (split it)",
                MAX_DOCUMENT >> 20
            ),
        ));
    }
    let start = Position { line: 1, col: 1 };
    if let Some(at) = position::nul_position(&bytes, start) {
        return Err(FormatError::malformed(
            path,
            Some(at),
            super::NUL_CHAR.into(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = position::position_at(e.as_bytes(), e.utf8_error().valid_up_to(), start);
        FormatError::malformed(path, Some(at), super::NOT_UTF8.into())
    })
}

/// Opens `path` and returns a UTF-8 byte stream of its text, as [`from_reader`] does any stream.
pub fn open(
    path: &Path,
    forced: Option<&'static Encoding>,
    xml: bool,
) -> Result<DecodedFile, FormatError> {
    from_reader(super::open_file(path)?, path, forced, xml)
}

/// Returns a UTF-8 byte stream of the text `reader` holds; `name` stands for the file in errors
/// (`<stdin>`).
///
/// `xml` enables the XML-declaration and `<?xml` UTF-16 sniffing; every file gets the BOM and the UTF-16
/// byte-pattern check.
pub fn from_reader(
    reader: impl Read + Send + 'static,
    name: &Path,
    forced: Option<&'static Encoding>,
    xml: bool,
) -> Result<DecodedFile, FormatError> {
    let bytes_read = Arc::new(AtomicU64::new(0));
    let mut raw = Counting {
        inner: reader,
        count: Arc::clone(&bytes_read),
    };
    let mut head = Vec::with_capacity(SNIFF_LEN);
    (&mut raw)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| FormatError::io(name, e))?;

    // A byte-order mark wins over a forced encoding: it is never there by accident, while one
    // `--encoding` is given for a whole batch of files, some of them saved as UTF-16 by Notepad.
    let (encoding, bom_len) = match forced {
        Some(enc) => Encoding::for_bom(&head).unwrap_or((enc, 0)),
        None => sniff(name, &head, xml)?,
    };
    let head = head[bom_len..].to_vec();
    let stream = io::Cursor::new(head).chain(raw);
    let reader: Box<dyn BufRead + Send> = if encoding == UTF_8 {
        Box::new(BufReader::with_capacity(1 << 16, stream))
    } else {
        Box::new(BufReader::with_capacity(
            1 << 16,
            Transcoder::new(stream, encoding, bom_len as u64),
        ))
    };
    Ok(DecodedFile {
        reader,
        encoding,
        bytes_read,
    })
}

/// Works out the encoding from the first bytes. Returns it with the length of its byte-order mark.
fn sniff(name: &Path, head: &[u8], xml: bool) -> Result<(&'static Encoding, usize), FormatError> {
    if let Some((enc, len)) = Encoding::for_bom(head) {
        return Ok((enc, len));
    }
    // UTF-16 without a BOM: XML 1.0 Appendix F, or NUL bytes in alternate positions of a text file.
    if head.starts_with(&[b'<', 0, b'?', 0]) {
        return Ok((UTF_16LE, 0));
    }
    if head.starts_with(&[0, b'<', 0, b'?']) {
        return Ok((UTF_16BE, 0));
    }
    if let Some(enc) = utf16_by_pattern(head) {
        return Ok((enc, 0));
    }
    if xml {
        if let Some(label) = declared_encoding(head) {
            return match Encoding::for_label(label.as_bytes()) {
                // A declaration of UTF-16 in a file that reached here has no BOM and is ASCII-shaped:
                // the declaration is wrong, and the bytes are what they look like.
                Some(enc) if enc == UTF_16LE || enc == UTF_16BE => Ok((UTF_8, 0)),
                Some(enc) => Ok((enc, 0)),
                None => Err(FormatError::malformed(
                    name,
                    Some(Position { line: 1, col: 1 }),
                    format!(
                        "the XML declaration names an encoding tm does not know: {label:?} \
                         (convert the file to UTF-8, or pass --encoding)"
                    ),
                )),
            };
        }
    }
    Ok((UTF_8, 0))
}

/// UTF-16 without a byte-order mark, recognised by its high bytes: in text of one script they take one
/// or two values below 0x20 (0x00 for Latin, 0x06 for Arabic), which UTF-8 and legacy text never have in
/// every other byte. Tabs and line breaks, which are such bytes in ordinary text, do not count.
///
/// XML files too: a UTF-16 TMX file without BOM or declaration was read as UTF-8 and refused as "not a
/// TMX file: the root element is < t m x >".
fn utf16_by_pattern(head: &[u8]) -> Option<&'static Encoding> {
    if head.len() < 4 {
        return None;
    }
    let control = |b: &&u8| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r');
    let even = head.iter().step_by(2).filter(control).count();
    let odd = head.iter().skip(1).step_by(2).filter(control).count();
    let half = head.len() / 2;
    if odd * 2 > half && even * 8 < half {
        Some(UTF_16LE)
    } else if even * 2 > half && odd * 8 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The `encoding="..."` of an XML declaration at the start of `head`, if there is one.
fn declared_encoding(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let decl = text.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

/// Counts raw bytes as they are read, for progress reporting.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Transcodes a byte stream to UTF-8, refusing malformed input instead of replacing it.
///
/// `encoding_rs_io` exists for this but substitutes U+FFFD for malformed bytes; a translation memory must
/// not store damaged text silently, so this reader fails with the offset of the first bad byte.
struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    consumed: u64,
    eof: bool,
    /// The decoder has been told the input ended; encoding_rs forbids calling it again.
    finished: bool,
    /// Malformed input met after some good text, reported on the next read.
    failed: Option<io::Error>,
    /// Bytes of the file before the stream (a byte-order mark), for error offsets.
    base: u64,
}

impl<R: Read> Transcoder<R> {
    fn new(inner: R, encoding: &'static Encoding, base: u64) -> Transcoder<R> {
        Transcoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; 1 << 15],
            input_start: 0,
            input_end: 0,
            output: vec![0; 3 * (1 << 15) + 16],
            output_start: 0,
            output_end: 0,
            consumed: 0,
            eof: false,
            finished: false,
            failed: None,
            base,
        }
    }

    /// Decodes more input into the (empty) output buffer. Returns false at the end of the stream.
    fn fill(&mut self) -> io::Result<bool> {
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        loop {
            if self.finished {
                return Ok(false);
            }
            if self.input_start == self.input_end && !self.eof {
                self.input_start = 0;
                self.input_end = self.inner.read(&mut self.input)?;
                self.eof = self.input_end == 0;
            }
            let src = &self.input[self.input_start..self.input_end];
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.output, self.eof);
            self.input_start += read;
            self.consumed += read as u64;
            self.output_start = 0;
            self.output_end = written;
            match result {
                DecoderResult::Malformed(bad, _) => {
                    let offset = self.base + self.consumed - u64::from(bad);
                    let err = io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "malformed {} at byte {offset} of the file",
                            self.decoder.encoding().name()
                        ),
                    );
                    // Hand out the good text before the bad bytes first, so that whoever reads
                    // this stream knows how far it got (and can name the line).
                    if written > 0 {
                        self.failed = Some(err);
                        return Ok(true);
                    }
                    return Err(err);
                }
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
            }
            if written > 0 {
                return Ok(true);
            }
            if self.finished {
                return Ok(false);
            }
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output_end && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.output_end - self.output_start);
        buf[..n].copy_from_slice(&self.output[self.output_start..self.output_start + n]);
        self.output_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn decode_bytes(bytes: &[u8], xml: bool) -> (String, &'static Encoding) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        let mut d = open(f.path(), None, xml).unwrap();
        let mut s = String::new();
        d.reader.read_to_string(&mut s).unwrap();
        (s, d.encoding)
    }

    #[test]
    fn utf16_with_bom_both_byte_orders() {
        let text = "<?xml version=\"1.0\"?><seg>حزب الله</seg>";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_bytes(&le, true), (text.to_string(), UTF_16LE));
        assert_eq!(decode_bytes(&be, true), (text.to_string(), UTF_16BE));
    }

    #[test]
    fn utf16_without_bom_is_recognised_from_the_xml_declaration() {
        let text = "<?xml version=\"1.0\"?><seg>دير الزور</seg>";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_bytes(&le, true), (text.to_string(), UTF_16LE));
    }

    #[test]
    fn windows_1256_is_decoded_when_declared() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("البوكمال");
        let mut file = b"<?xml version='1.0' encoding='windows-1256'?><seg>".to_vec();
        file.extend_from_slice(&bytes);
        file.extend_from_slice(b"</seg>");
        let (s, enc) = decode_bytes(&file, true);
        assert_eq!(enc, encoding_rs::WINDOWS_1256);
        assert!(s.contains("البوكمال"), "{s}");
    }

    #[test]
    fn utf8_bom_is_stripped() {
        let (s, enc) = decode_bytes("\u{feff}حزب\tHizbullah\n".as_bytes(), false);
        assert_eq!((s.as_str(), enc), ("حزب\tHizbullah\n", UTF_8));
    }

    #[test]
    fn utf16_text_without_bom_is_recognised_from_nul_bytes() {
        let text = "حزب الله\tHizbullah\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_bytes(&le, false), (text.to_string(), UTF_16LE));
    }

    /// Arabic alone has no NUL bytes in UTF-16 (its high byte is 0x06), and XML without BOM or
    /// declaration used to be read as UTF-8.
    #[test]
    fn utf16_without_bom_is_recognised_in_arabic_text_and_in_xml() {
        let cases = [
            ("حزب الله\tالمقاومة الإسلامية\nكتائب\tالبوكمال\n", false),
            (
                "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"ar\"><seg>حزب</seg>",
                true,
            ),
        ];
        for (text, xml) in cases {
            let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
            assert_eq!(decode_bytes(&le, xml), (text.to_string(), UTF_16LE));
            assert_eq!(decode_bytes(&be, xml), (text.to_string(), UTF_16BE));
            // And UTF-8 stays UTF-8.
            assert_eq!(decode_bytes(text.as_bytes(), xml).1, UTF_8);
        }
    }

    #[test]
    fn reading_past_the_end_keeps_returning_nothing() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&encoding_rs::WINDOWS_1256.encode("القائم\n").0)
            .unwrap();
        let mut d = open(f.path(), encoding_rs::Encoding::for_label(b"cp1256"), false).unwrap();
        let mut s = String::new();
        d.reader.read_to_string(&mut s).unwrap();
        assert_eq!(s, "القائم\n");
        assert_eq!(d.reader.read(&mut [0; 8]).unwrap(), 0);
        assert_eq!(d.reader.read(&mut [0; 8]).unwrap(), 0);
    }

    #[test]
    fn malformed_utf16_is_refused_not_replaced() {
        // An unpaired high surrogate.
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&bytes).unwrap();
        let mut d = open(f.path(), None, false).unwrap();
        let mut s = String::new();
        let err = d.reader.read_to_string(&mut s).unwrap_err();
        assert!(err.to_string().contains("malformed UTF-16LE"), "{err}");
    }

    #[test]
    fn unknown_declared_encoding_is_an_error() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"<?xml version='1.0' encoding='x-klingon'?><a/>")
            .unwrap();
        let err = open(f.path(), None, true).err().unwrap();
        assert!(err.to_string().contains("x-klingon"), "{err}");
    }
}
