//! TBX (TermBase eXchange, ISO 30042) for the name authority, as Trados MultiTerm and memoQ exchange it.
//!
//! One `termEntry` per name: the Arabic forms in an `ar` language set, the English in an `en` one with the
//! house spelling marked `preferredTerm-admn-sts`, each accepted alternative `admittedTerm-admn-sts` and
//! each variant `deprecatedTerm-admn-sts`, the kind as the subject field and the note as a `note`. Reading
//! takes the same shape back: in the `en` set, the term marked preferred (else the first) is the English,
//! the deprecated ones are variants, the others (admitted, or without a status) accepted alternatives.

use super::Origin;
use quick_xml::events::Event;
use quick_xml::Reader;

use super::{Kind, Name, NamesError};
use crate::formats::is_xml_char;

/// The names as a TBX document (UTF-8 XML), in the shape the module describes; [`read`] takes it back.
pub fn write(names: &[Name]) -> String {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<martif type=\"TBX\" xml:lang=\"en\">\n  <martifHeader><fileDesc><sourceDesc><p>tm name authority</p></sourceDesc></fileDesc></martifHeader>\n  <text>\n    <body>\n",
    );
    for (i, n) in names.iter().enumerate() {
        out.push_str(&format!(
            "      <termEntry id=\"name-{}\">\n        <descrip type=\"subjectField\">{}</descrip>\n",
            i + 1,
            n.kind
        ));
        if !n.note.is_empty() {
            out.push_str(&format!("        <note>{}</note>\n", esc(&n.note)));
        }
        out.push_str("        <langSet xml:lang=\"ar\">\n");
        for a in &n.arabic {
            out.push_str(&format!("          <tig><term>{}</term></tig>\n", esc(a)));
        }
        out.push_str("        </langSet>\n        <langSet xml:lang=\"en\">\n");
        out.push_str(&format!(
            "          <tig><term>{}</term><termNote type=\"normativeAuthorization\">preferredTerm-admn-sts</termNote></tig>\n",
            esc(&n.english)
        ));
        for v in &n.accepted {
            out.push_str(&format!(
                "          <tig><term>{}</term><termNote type=\"normativeAuthorization\">admittedTerm-admn-sts</termNote></tig>\n",
                esc(v)
            ));
        }
        for v in &n.variants {
            out.push_str(&format!(
                "          <tig><term>{}</term><termNote type=\"normativeAuthorization\">deprecatedTerm-admn-sts</termNote></tig>\n",
                esc(v)
            ));
        }
        out.push_str("        </langSet>\n      </termEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</martif>\n");
    out
}

/// Counts lines forward through a text, for positions that only grow.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: usize,
    /// Bytes looked at so far (the tests check that it stays linear).
    scanned: usize,
}

impl LineCounter {
    /// The 1-based line of byte `pos` of `text`. Each call counts only the bytes between the previous
    /// position and this one, so a pass through the file counts each byte about once.
    fn line_at(&mut self, text: &str, pos: usize) -> usize {
        let pos = pos.min(text.len());
        let bytes = text.as_bytes();
        if pos >= self.pos {
            self.line += memchr::memchr_iter(b'\n', &bytes[self.pos..pos]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &bytes[pos..self.pos]).count();
        }
        self.scanned += pos.abs_diff(self.pos);
        self.pos = pos;
        self.line + 1
    }
}

/// The names of a TBX document, as the user's own ([`Origin::User`]); entries without both Arabic and
/// English terms are skipped.
///
/// `file` names the document in errors. XML that is not well-formed, and entities other than XML's
/// five (a DOCTYPE's are never expanded), are a [`NamesError`] with the line.
pub fn read(xml: &str, file: &str) -> Result<Vec<Name>, NamesError> {
    let mut reader = Reader::from_str(xml);
    let mut names = Vec::new();
    // State of the entry being read.
    let (mut lang, mut kind, mut note) = (String::new(), Kind::Other, String::new());
    let (mut arabic, mut english) = (Vec::new(), Vec::<(String, bool, bool)>::new());
    let (mut term, mut status, mut field) = (String::new(), String::new(), String::new());
    let mut in_text: Option<&'static str> = None;
    // The line of the reader's position, counted forward from the last event's (counting from the start
    // at every event made a file of 80,000 lines take minutes).
    let mut lines = LineCounter::default();
    loop {
        let line = lines.line_at(xml, reader.buffer_position() as usize);
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                return Err(NamesError {
                    file: file.to_string(),
                    line: lines.line_at(xml, reader.error_position() as usize),
                    message: format!("not well-formed TBX: {e}"),
                })
            }
        };
        let refused = |message: String| NamesError {
            file: file.to_string(),
            line,
            message,
        };
        match event {
            Event::Start(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"termEntry" => {
                        (kind, note) = (Kind::Other, String::new());
                        arabic.clear();
                        english.clear();
                    }
                    b"langSet" => {
                        lang = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == b"lang")
                            .and_then(|a| a.unescape_value().ok())
                            .map(|v| v.to_lowercase())
                            .unwrap_or_default();
                    }
                    b"tig" | b"ntig" => {
                        term.clear();
                        status.clear();
                    }
                    b"term" => in_text = Some("term"),
                    b"termNote" => in_text = Some("status"),
                    b"descrip" => in_text = Some("field"),
                    b"note" => in_text = Some("note"),
                    _ => {}
                }
                field.clear();
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|_| NamesError {
                    file: file.to_string(),
                    line,
                    message: "not valid UTF-8".into(),
                })?;
                match in_text {
                    Some("term") => term.push_str(&s),
                    Some("status") => status.push_str(&s),
                    Some("field") => field.push_str(&s),
                    Some("note") => note.push_str(&s),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                // As in TMX: a character reference must name a character XML allows, and the only
                // entities are XML's five (one a DOCTYPE declares is never expanded).
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) if is_xml_char(c) => c.to_string(),
                    Ok(Some(c)) => {
                        return Err(refused(format!(
                            "&{name}; is U+{:04X}, a character XML does not allow",
                            c as u32
                        )))
                    }
                    Err(e) => return Err(refused(format!("bad character reference &{name};: {e}"))),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(refused(format!(
                                "entity &{name}; is not one of XML's five; tm never expands \
                                 entities a DOCTYPE declares (they can be used to exhaust memory or \
                                 read other files)"
                            )))
                        }
                    },
                };
                match in_text {
                    Some("term") => term.push_str(&c),
                    Some("note") => note.push_str(&c),
                    _ => {}
                }
            }
            Event::End(e) => {
                match e.local_name().as_ref() {
                    b"descrip" => {
                        if let Ok(k) = field.parse() {
                            kind = k;
                        }
                    }
                    b"tig" | b"ntig" => {
                        let t = term.trim().to_string();
                        if !t.is_empty() {
                            if lang.starts_with("ar") {
                                arabic.push(t);
                            } else if lang.starts_with("en") {
                                english.push((
                                    t,
                                    status.contains("preferred"),
                                    status.contains("deprecated"),
                                ));
                            }
                        }
                    }
                    b"termEntry" => {
                        let preferred = english.iter().position(|e| e.1).unwrap_or(0);
                        if !arabic.is_empty() && !english.is_empty() {
                            names.push(Name {
                                arabic: arabic.clone(),
                                english: english[preferred].0.clone(),
                                kind,
                                variants: english
                                    .iter()
                                    .enumerate()
                                    .filter(|(i, e)| *i != preferred && e.2)
                                    .map(|(_, e)| e.0.clone())
                                    .collect(),
                                // Admitted, or with no status: an alternative, not an error.
                                accepted: english
                                    .iter()
                                    .enumerate()
                                    .filter(|(i, e)| *i != preferred && !e.2)
                                    .map(|(_, e)| e.0.clone())
                                    .collect(),
                                note: note.trim().to_string(),
                                source: Origin::User,
                            });
                        }
                    }
                    _ => {}
                }
                in_text = None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_tsv;

    #[test]
    fn tbx_round_trips_the_authority() {
        let names = parse_tsv(
            "كتائب حزب الله | كتائب حزب الله العراقية\tHizbullah Brigades\torganisation\tKataib Hezbollah | Kata'ib Hizbullah\tIraqi militia & PMF\n\
             دير الزور\tDeir Al-Zour\tplace\t\t\n",
            "test",
            crate::names::Origin::User,
        )
        .unwrap();
        let xml = write(&names);
        assert!(xml.contains("deprecatedTerm-admn-sts"));
        assert_eq!(read(&xml, "t.tbx").unwrap(), names);
    }

    #[test]
    fn entities_and_bad_characters_are_refused_not_dropped() {
        for (term, says) in [
            ("اسم &xxe;", "entity &xxe; is not one of XML's five"),
            ("اسم &#0;", "&#0;"),
            ("اسم &#x1B;", "a character XML does not allow"),
        ] {
            let xml = format!(
                "<martif><text><body><termEntry>\n<langSet xml:lang=\"ar\"><tig><term>{term}</term></tig></langSet>\
                 <langSet xml:lang=\"en\"><tig><term>Name</term></tig></langSet></termEntry></body></text></martif>"
            );
            let err = read(&xml, "t.tbx").unwrap_err().to_string();
            assert!(
                err.starts_with("t.tbx:2:") && err.contains(says),
                "{term}: {err}"
            );
        }
        let xml = "<martif><text><body><termEntry><langSet xml:lang=\"ar\"><tig><term>حزب &amp; الله</term></tig></langSet>\
                   <langSet xml:lang=\"en\"><tig><term>A &#x26; B</term></tig></langSet></termEntry></body></text></martif>";
        let names = read(xml, "t.tbx").unwrap();
        assert_eq!(names[0].arabic, ["حزب & الله"]);
        assert_eq!(names[0].english, "A & B");
    }

    /// Lines are counted forward: reading a file looks at each byte about once, however many events it
    /// has (counting from the start at every event was quadratic: 80,000 lines took minutes).
    #[test]
    fn line_counting_is_linear() {
        let entry = "<termEntry>\n<langSet xml:lang=\"ar\"><tig><term>قيس</term></tig></langSet>\n<langSet xml:lang=\"en\"><tig><term>Qais</term></tig></langSet>\n</termEntry>\n";
        let xml = format!(
            "<martif><text><body>\n{}</body></text></martif>",
            entry.repeat(2000)
        );
        let mut counter = LineCounter::default();
        let mut reader = Reader::from_str(&xml);
        let last = loop {
            let line = counter.line_at(&xml, reader.buffer_position() as usize);
            if matches!(reader.read_event().unwrap(), Event::Eof) {
                break line;
            }
        };
        assert_eq!(last, xml.matches('\n').count() + 1);
        assert!(
            counter.scanned <= xml.len(),
            "{} of {}",
            counter.scanned,
            xml.len()
        );
        assert_eq!(read(&xml, "t.tbx").unwrap().len(), 2000);
    }

    #[test]
    fn broken_tbx_names_its_line() {
        let err = read("<martif>\n<text>\n<body></text>", "bad.tbx").unwrap_err();
        assert!(err.to_string().starts_with("bad.tbx:3:"), "{err}");
    }
}
