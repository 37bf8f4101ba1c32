//! Writing TMX 1.4b: units out one at a time, valid against the DTD, so that what `tm` exports any other
//! tool imports.

use std::io::{self, Write};

use super::ORIGIN_PROP;
use crate::formats::xml::{drop_invalid_xml_chars, escape_text_into, push_attr};
use crate::unit::{Annotation, AnnotationKind, Unit};

/// `<tu>` attributes with a column of their own; the rest go to [`Meta::attrs`].
const TU_COLUMNS: [&str; 6] = [
    "tuid",
    "creationdate",
    "creationid",
    "changedate",
    "changeid",
    "usagecount",
];

/// Attributes the TMX 1.4b DTD allows on `<tuv>` (besides `xml:lang`); `<tu>` allows these and
/// [`TU_ONLY_ATTRS`]. Others a file carried are kept in the memory but not exported: the export must
/// validate.
const TUV_ATTRS: [&str; 11] = [
    "o-encoding",
    "datatype",
    "usagecount",
    "lastusagedate",
    "creationtool",
    "creationtoolversion",
    "creationdate",
    "creationid",
    "changedate",
    "o-tmf",
    "changeid",
];
const TU_ONLY_ATTRS: [&str; 3] = ["tuid", "segtype", "srclang"];

/// What the `<header>` of an exported file says.
#[derive(Clone, Debug)]
pub struct Header {
    /// `srclang`: the source language of every unit, or `*all*` when they differ.
    pub srclang: String,
    /// `creationdate` in TMX form.
    pub creation_date: String,
}

/// Writes units as TMX 1.4b, one at a time, valid against the TMX 1.4b DTD.
pub struct TmxWriter<W: Write> {
    out: W,
    /// Characters XML 1.0 cannot carry (C0 controls other than tab, newline, CR) dropped so far.
    pub dropped_chars: u64,
    scratch: String,
}

impl<W: Write> TmxWriter<W> {
    /// Starts a TMX 1.4b document on `out` (the XML declaration, the DOCTYPE and the header).
    pub fn new(mut out: W, header: &Header) -> io::Result<TmxWriter<W>> {
        let mut h = String::new();
        h.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        h.push_str("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n");
        let attrs = [
            ("creationtool", "tm"),
            ("creationtoolversion", env!("CARGO_PKG_VERSION")),
            ("segtype", "sentence"),
            ("o-tmf", "tm"),
            ("adminlang", "en"),
            ("srclang", header.srclang.as_str()),
            ("datatype", "plaintext"),
            ("creationdate", header.creation_date.as_str()),
        ];
        h.push_str("  <header");
        for (k, v) in attrs {
            push_attr(&mut h, k, v);
        }
        h.push_str("/>\n  <body>\n");
        out.write_all(h.as_bytes())?;
        Ok(TmxWriter {
            out,
            dropped_chars: 0,
            scratch: String::with_capacity(1024),
        })
    }

    /// Writes one unit as a `<tu>`: the attributes the DTD allows, its props and notes, both variants
    /// with their inline markup.
    pub fn write_unit(&mut self, unit: &Unit) -> io::Result<()> {
        let s = &mut self.scratch;
        s.clear();
        s.push_str("    <tu");
        let columns = [
            ("tuid", unit.tuid.as_deref()),
            ("creationdate", unit.created.as_deref()),
            ("creationid", unit.created_by.as_deref()),
            ("changedate", unit.changed.as_deref()),
            ("changeid", unit.changed_by.as_deref()),
        ];
        for (k, v) in columns {
            if let Some(v) = v {
                push_attr(s, k, v);
            }
        }
        if let Some(n) = unit.usage_count {
            push_attr(s, "usagecount", &n.to_string());
        }
        for (k, v) in &unit.meta.attrs {
            let declared = TUV_ATTRS.contains(&k.as_str()) || TU_ONLY_ATTRS.contains(&k.as_str());
            if declared && !TU_COLUMNS.contains(&k.as_str()) {
                push_attr(s, k, v);
            }
        }
        s.push_str(">\n");
        if let Some(origin) = &unit.origin {
            push_annotation(s, &Annotation::prop(ORIGIN_PROP, origin.as_str()), "      ");
        }
        for ann in &unit.meta.annotations {
            push_annotation(s, ann, "      ");
        }
        for (lang, seg, meta) in [
            (&unit.src_lang, &unit.source, &unit.meta.source),
            (&unit.tgt_lang, &unit.target, &unit.meta.target),
        ] {
            s.push_str("      <tuv");
            push_attr(s, "xml:lang", lang);
            for (k, v) in &meta.attrs {
                if TUV_ATTRS.contains(&k.as_str()) {
                    push_attr(s, k, v);
                }
            }
            s.push('>');
            if !meta.annotations.is_empty() {
                s.push('\n');
                for ann in &meta.annotations {
                    push_annotation(s, ann, "        ");
                }
                s.push_str("        ");
            }
            s.push_str("<seg>");
            match &seg.markup {
                Some(markup) => s.push_str(markup),
                None => escape_text_into(&seg.text, s),
            }
            s.push_str("</seg></tuv>\n");
        }
        s.push_str("    </tu>\n");
        let (clean, dropped) = drop_invalid_xml_chars(s);
        self.dropped_chars += dropped;
        self.out.write_all(clean.as_bytes())
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"  </body>\n</tmx>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn push_annotation(s: &mut String, ann: &Annotation, indent: &str) {
    let (name, allowed): (&str, &[&str]) = match ann.kind {
        AnnotationKind::Prop => ("prop", &["type", "xml:lang", "o-encoding"]),
        AnnotationKind::Note => ("note", &["xml:lang", "o-encoding"]),
    };
    s.push_str(indent);
    s.push('<');
    s.push_str(name);
    // The DTD requires a prop's type.
    if ann.kind == AnnotationKind::Prop && ann.attr("type").is_none() {
        push_attr(s, "type", "x-untyped");
    }
    for (k, v) in &ann.attrs {
        if allowed.contains(&k.as_str()) {
            push_attr(s, k, v);
        }
    }
    s.push('>');
    escape_text_into(&ann.text, s);
    s.push_str("</");
    s.push_str(name);
    s.push_str(">\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::Segment;

    #[test]
    fn writer_drops_characters_xml_cannot_carry() {
        let mut u = Unit::new("ar", "en", Segment::plain("a\u{1}b"), Segment::plain("ok"));
        u.origin = Some("o".into());
        let header = Header {
            srclang: "ar".into(),
            creation_date: "20241001T000000Z".into(),
        };
        let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
        w.write_unit(&u).unwrap();
        assert_eq!(w.dropped_chars, 1);
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(out.contains("<seg>ab</seg>"));
    }
}
