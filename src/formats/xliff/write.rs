//! Writing XLIFF 1.2 (the default) or 2.1: a document's segments with the memory's suggestions, as
//! `tm pretranslate` hands them to a CAT tool.
//!
//! One `<trans-unit>` a segment, in document order, a `<group>` a paragraph (2.1: a `<unit>` a paragraph,
//! a `<segment>` a sentence; the segment's `state` is `translated` or `initial`, the note is the unit's). A segment with a match gets a `<target>` whose
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
    /// The target is the translation (an exact or context match): the unit is `approved="yes"` (1.2)
    /// and the segment `translated` (2.1), which CAT tools and translate-toolkit count as translated
    /// rather than fuzzy. A 2.1 segment whose target is only a suggestion is `initial`.
    pub approved: bool,
}

/// Which XLIFF a [`XliffWriter`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XliffVersion {
    /// XLIFF 1.2: a `<trans-unit>` a segment, a `<group>` a paragraph; what every CAT tool reads.
    V12,
    /// XLIFF 2.1: a `<unit>` a paragraph, a `<segment>` a sentence with `<ignorable>` space between.
    V21,
}

/// Writes XLIFF, one segment at a time, paragraph by paragraph, so that a CAT tool can give the
/// document back whole.
pub struct XliffWriter<W: Write> {
    out: W,
    version: XliffVersion,
    next_id: u64,
    /// The paragraph being written (its number), if one is open.
    paragraph: Option<u64>,
    paragraphs: u64,
    /// XLIFF 2.1: the open unit's segments and notes, written when it closes (notes come first).
    unit_body: String,
    unit_notes: String,
    /// Characters left out because XML 1.0 cannot carry them.
    pub dropped_chars: u64,
    scratch: String,
}

impl<W: Write> XliffWriter<W> {
    /// Starts an XLIFF 1.2 document: `original` names the source file, `src`/`tgt` are its languages.
    pub fn new(out: W, original: &str, src: &str, tgt: &str) -> io::Result<XliffWriter<W>> {
        XliffWriter::with_version(out, XliffVersion::V12, original, src, tgt)
    }

    /// Starts a document in the given version.
    pub fn with_version(
        mut out: W,
        version: XliffVersion,
        original: &str,
        src: &str,
        tgt: &str,
    ) -> io::Result<XliffWriter<W>> {
        let mut dropped = 0;
        let mut attr = |head: &mut String, key: &str, value: &str| {
            let (value, n) = drop_invalid_xml_chars(value);
            dropped += n;
            push_attr(head, key, &value);
        };
        let mut head = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        match version {
            XliffVersion::V12 => {
                head.push_str(
                    "<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n  <file",
                );
                attr(&mut head, "original", original);
                attr(&mut head, "source-language", src);
                attr(&mut head, "target-language", tgt);
                attr(&mut head, "datatype", "plaintext");
                head.push_str(">\n    <body>\n");
            }
            XliffVersion::V21 => {
                head.push_str(
                    "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.1\"",
                );
                attr(&mut head, "srcLang", src);
                attr(&mut head, "trgLang", tgt);
                head.push_str(">\n  <file id=\"f1\"");
                attr(&mut head, "original", original);
                head.push_str(">\n");
            }
        }
        out.write_all(head.as_bytes())?;
        Ok(XliffWriter {
            out,
            version,
            next_id: 1,
            paragraph: None,
            paragraphs: 0,
            unit_body: String::new(),
            unit_notes: String::new(),
            dropped_chars: dropped,
            scratch: String::new(),
        })
    }

    /// Ends the paragraph being written; the next segment starts another.
    pub fn end_paragraph(&mut self) -> io::Result<()> {
        let Some(p) = self.paragraph.take() else {
            return Ok(());
        };
        let s = &mut self.scratch;
        s.clear();
        match self.version {
            XliffVersion::V12 => s.push_str("      </group>\n"),
            XliffVersion::V21 => {
                s.push_str("    <unit");
                push_attr(s, "id", &format!("p{p}"));
                s.push_str(">\n");
                if !self.unit_notes.is_empty() {
                    s.push_str("      <notes>\n");
                    s.push_str(&self.unit_notes);
                    s.push_str("      </notes>\n");
                }
                s.push_str(&self.unit_body);
                s.push_str("    </unit>\n");
                self.unit_body.clear();
                self.unit_notes.clear();
            }
        }
        self.out.write_all(s.as_bytes())
    }

    /// Writes one segment of the current paragraph, with its target when it has one.
    pub fn write_segment(&mut self, source: &str, target: Option<&Target>) -> io::Result<()> {
        let id = self.next_id;
        self.next_id += 1;
        let first_in_paragraph = self.paragraph.is_none();
        if first_in_paragraph {
            self.paragraphs += 1;
            self.paragraph = Some(self.paragraphs);
            if self.version == XliffVersion::V12 {
                let mut open = String::from("      <group");
                push_attr(&mut open, "id", &format!("p{}", self.paragraphs));
                open.push_str(">\n");
                self.out.write_all(open.as_bytes())?;
            }
        }
        let (source, n) = drop_invalid_xml_chars(source);
        self.dropped_chars += n;
        let target_text = target.map(|t| {
            let (text, n) = drop_invalid_xml_chars(t.text);
            self.dropped_chars += n;
            text
        });
        let s = &mut self.scratch;
        s.clear();
        match self.version {
            XliffVersion::V12 => {
                s.push_str("        <trans-unit");
                push_attr(s, "id", &id.to_string());
                if target.is_some_and(|t| t.approved) {
                    push_attr(s, "approved", "yes");
                }
                s.push_str(">\n          <source>");
                escape_text_into(&source, s);
                s.push_str("</source>\n");
                if let (Some(t), Some(text)) = (target, &target_text) {
                    s.push_str("          <target");
                    push_attr(s, "state", t.state);
                    push_attr(s, "state-qualifier", t.qualifier);
                    s.push('>');
                    escape_text_into(text, s);
                    s.push_str("</target>\n          <note from=\"tm\">");
                    escape_text_into(t.note, s);
                    s.push_str("</note>\n");
                }
                s.push_str("        </trans-unit>\n");
                self.out.write_all(s.as_bytes())
            }
            XliffVersion::V21 => {
                if !first_in_paragraph {
                    // The space between two sentences, so that the paragraph can be rebuilt.
                    self.unit_body
                        .push_str("      <ignorable><source> </source></ignorable>\n");
                }
                let body = &mut self.unit_body;
                body.push_str("      <segment");
                push_attr(body, "id", &format!("s{id}"));
                let state = match target {
                    Some(t) if t.approved => "translated",
                    _ => "initial",
                };
                push_attr(body, "state", state);
                body.push_str(">\n        <source>");
                escape_text_into(&source, body);
                body.push_str("</source>\n");
                if let (Some(t), Some(text)) = (target, &target_text) {
                    body.push_str("        <target>");
                    escape_text_into(text, body);
                    body.push_str("</target>\n");
                    let notes = &mut self.unit_notes;
                    notes.push_str("        <note category=\"tm\" appliesTo=\"target\">");
                    escape_text_into(&format!("s{id}: {}", t.note), notes);
                    notes.push_str("</note>\n");
                }
                body.push_str("      </segment>\n");
                Ok(())
            }
        }
    }

    /// Closes the document and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        self.end_paragraph()?;
        let tail: &[u8] = match self.version {
            XliffVersion::V12 => b"    </body>\n  </file>\n</xliff>\n",
            XliffVersion::V21 => b"  </file>\n</xliff>\n",
        };
        self.out.write_all(tail)?;
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
