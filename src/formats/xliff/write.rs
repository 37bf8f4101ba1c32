//! Writing XLIFF 1.2: a document's segments with the memory's suggestions, as `tm pretranslate` hands them
//! to a CAT tool.
//!
//! One `<trans-unit>` a segment, in document order. A segment with a match gets a `<target>` whose
//! `state` says how far to trust it (`translated` for exact and context matches, whose unit is also
//! `approved="yes"`, else `needs-review-translation`), a `state-qualifier` (`exact-match`, `leveraged-tm`,
//! `fuzzy-match`), and a note with the score and the kind of match. Characters XML 1.0 cannot carry (a
//! Word line break U+000B, ESC) are left out and counted, as the TMX writer does: the file stays
//! well-formed.

use std::io::{self, Write};

use crate::formats::xml::{drop_invalid_xml_chars, escape_text_into, push_attr};

/// What a segment's target says about itself.
pub struct Target<'a> {
    /// The suggested translation (with the query's numbers substituted).
    pub text: &'a str,
    /// XLIFF 1.2 `state`.
    pub state: &'a str,
    /// XLIFF 1.2 `state-qualifier`.
    pub qualifier: &'a str,
    /// A note from `tm` ("87 fuzzy").
    pub note: &'a str,
    /// The target is the translation (an exact or context match): the unit is `approved="yes"`, which
    /// CAT tools and translate-toolkit count as translated rather than fuzzy.
    pub approved: bool,
}

/// Writes XLIFF 1.2, one segment at a time.
pub struct XliffWriter<W: Write> {
    out: W,
    next_id: u64,
    /// Characters left out because XML 1.0 cannot carry them.
    pub dropped_chars: u64,
    scratch: String,
}

impl<W: Write> XliffWriter<W> {
    /// Starts the document: `original` names the source file, `src`/`tgt` are its languages.
    pub fn new(mut out: W, original: &str, src: &str, tgt: &str) -> io::Result<XliffWriter<W>> {
        let mut head = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file",
        );
        let mut dropped = 0;
        for (key, value) in [
            ("original", original),
            ("source-language", src),
            ("target-language", tgt),
            ("datatype", "plaintext"),
        ] {
            let (value, n) = drop_invalid_xml_chars(value);
            dropped += n;
            push_attr(&mut head, key, &value);
        }
        head.push_str(">\n    <body>\n");
        out.write_all(head.as_bytes())?;
        Ok(XliffWriter {
            out,
            next_id: 1,
            dropped_chars: dropped,
            scratch: String::new(),
        })
    }

    /// Writes one segment, with its target when it has one.
    pub fn write_segment(&mut self, source: &str, target: Option<&Target>) -> io::Result<()> {
        let s = &mut self.scratch;
        s.clear();
        s.push_str("      <trans-unit");
        push_attr(s, "id", &self.next_id.to_string());
        if target.is_some_and(|t| t.approved) {
            push_attr(s, "approved", "yes");
        }
        self.next_id += 1;
        s.push_str(">\n        <source>");
        let (text, n) = drop_invalid_xml_chars(source);
        self.dropped_chars += n;
        escape_text_into(&text, s);
        s.push_str("</source>\n");
        if let Some(t) = target {
            s.push_str("        <target");
            push_attr(s, "state", t.state);
            push_attr(s, "state-qualifier", t.qualifier);
            s.push('>');
            let (text, n) = drop_invalid_xml_chars(t.text);
            self.dropped_chars += n;
            escape_text_into(&text, s);
            s.push_str("</target>\n        <note from=\"tm\">");
            escape_text_into(t.note, s);
            s.push_str("</note>\n");
        }
        s.push_str("      </trans-unit>\n");
        self.out.write_all(s.as_bytes())
    }

    /// Closes the document and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"    </body>\n  </file>\n</xliff>\n")?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_file_and_text_comes_back() {
        let mut w = XliffWriter::new(Vec::new(), "doc\u{1}.txt", "ar", "en").unwrap();
        w.write_segment(
            "سطر\u{b}آخر & <وسم>\r",
            Some(&Target {
                text: "A line\u{b}break \u{1b}[2J & <tag>",
                state: "translated",
                qualifier: "exact-match",
                note: "100 exact",
                approved: true,
            }),
        )
        .unwrap();
        w.write_segment("بلا ترجمة", None).unwrap();
        let dropped = w.dropped_chars;
        let xml = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(dropped, 4);
        assert!(!xml.chars().any(|c| !crate::formats::xml::is_xml_char(c)));
        // Read back: the text is what was given, less the dropped characters.
        let mut opts = crate::formats::ReadOptions::new("ar", "en");
        opts.state = crate::formats::StateFilter::All;
        let mut reader =
            super::super::XliffReader::new(std::io::Cursor::new(xml), "t".as_ref(), &opts).unwrap();
        let units: Vec<_> = reader.by_ref().map(Result::unwrap).collect();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].source.text, "سطرآخر & <وسم>\r");
        assert_eq!(units[0].target.text, "A linebreak [2J & <tag>");
        assert_eq!(
            crate::formats::UnitReader::left_out(&reader).reasons["untranslated"],
            1,
            "the segment without a match"
        );
    }
}
