//! Reading TMX: a streaming parser of `<tu>` elements into units, every problem located.

use std::collections::BTreeSet;
use std::io::{self, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::ORIGIN_PROP;
use crate::formats::position::Position;
use crate::formats::xml::{escape_text_into, escaped, is_blank, write_tag, XmlEvents};
use crate::formats::{open_file, FormatError, LeftOut, ReadOptions, UnitReader};
use crate::unit::{language_matches, Annotation, AnnotationKind, Meta, Segment, Unit, VariantMeta};

/// TMX 1.4's inline elements. Those before `hi` hold native code (formatting, placeholders), not
/// translatable text; `hi` holds text; `sub` is a sub-flow (a footnote, an alt text) inside a code, so
/// its text is not part of the segment's own text either.
pub(super) const INLINE_ELEMENTS: [&str; 7] = ["bpt", "ept", "ph", "it", "ut", "sub", "hi"];

/// How an open inline element treats the text inside it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inline {
    /// Native code or a sub-flow: kept in the markup, not in the text.
    Code,
    /// `hi`: text, marked up.
    Text,
    /// Not TMX markup: the unit is refused; its text is read on to find the unit's end.
    Foreign,
}

/// Streams the units of a TMX file, one `<tu>` at a time.
pub struct TmxReader {
    xml: XmlEvents,
    opts: ReadOptions,
    /// Where the reader is: before the root, inside `<body>`, or finished.
    state: State,
    /// Units of other language pairs passed over (a multilingual memory holds several pairs).
    left_out: LeftOut,
    /// Units handed out so far.
    units: u64,
    /// The languages of the units passed over, for the error when none has the requested pair.
    other_pairs: BTreeSet<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Prolog,
    Body,
    Done,
}

impl TmxReader {
    /// Opens a TMX file: [`TmxReader::new`] over it, named by its path.
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<TmxReader, FormatError> {
        TmxReader::new(open_file(path)?, path, opts)
    }

    /// Reads TMX from any byte stream (a pipe, bytes in memory); `name` stands for the file in
    /// errors (`<stdin>`).
    pub fn new(
        reader: impl Read + Send + 'static,
        name: &Path,
        opts: &ReadOptions,
    ) -> Result<TmxReader, FormatError> {
        Ok(TmxReader {
            xml: XmlEvents::new(reader, name, opts)?,
            opts: opts.clone(),
            state: State::Prolog,
            left_out: LeftOut::default(),
            units: 0,
            other_pairs: BTreeSet::new(),
        })
    }

    /// Advances through the prolog, `<tmx>` and `<header>` to the first thing inside `<body>`.
    fn enter_body(&mut self) -> Result<(), FormatError> {
        let mut seen_root = false;
        loop {
            let at = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) if !seen_root => {
                    if e.local_name().as_ref() != b"tmx" {
                        return Err(FormatError::malformed(
                            self.xml.name(),
                            Some(at),
                            format!(
                                "not a TMX file: the root element is <{}>, not <tmx>",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ));
                    }
                    seen_root = true;
                }
                Event::Start(e) if e.local_name().as_ref() == b"body" => return Ok(()),
                Event::Start(e) => self.xml.skip_element(&e)?,
                Event::Empty(e) if !seen_root => {
                    return Err(FormatError::malformed(
                        self.xml.name(),
                        Some(at),
                        format!(
                            "not a TMX file: the root element is <{}/>",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ))
                }
                Event::Empty(e) if e.local_name().as_ref() == b"body" => {
                    self.state = State::Done;
                    return Ok(());
                }
                Event::Text(t) if !seen_root && !is_blank(&t) => {
                    return Err(FormatError::malformed(
                        self.xml.name(),
                        Some(at),
                        "not a TMX file: text before the root element (is this XML?)".into(),
                    ))
                }
                Event::End(_) => {
                    return Err(FormatError::malformed(
                        self.xml.name(),
                        Some(at),
                        "the file has no <body> element".into(),
                    ))
                }
                Event::Eof => {
                    let msg = if seen_root {
                        "the file ends before <body> (truncated?)"
                    } else {
                        "the file is empty or has no XML element"
                    };
                    return Err(FormatError::malformed(
                        self.xml.name(),
                        Some(at),
                        msg.into(),
                    ));
                }
                _ => {}
            }
        }
    }

    /// Reads a `<tu>` whose start tag was just read; the reader ends after `</tu>`.
    fn read_tu(&mut self, start: &BytesStart, at: Position) -> Result<RawTu, FormatError> {
        let mut tu = RawTu {
            attrs: self.xml.attrs(start, at)?,
            ..RawTu::default()
        };
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"tuv" => {
                        let tuv = self.read_tuv(&e, here)?;
                        tu.tuvs.push(tuv);
                    }
                    b"prop" | b"note" => {
                        let ann = self.read_annotation(&e, here)?;
                        tu.annotations.push(ann);
                    }
                    _ => self.xml.skip_element(&e)?,
                },
                Event::Empty(e) => {
                    if let Some(ann) = self.empty_annotation(&e, here)? {
                        tu.annotations.push(ann);
                    }
                }
                Event::End(_) => return Ok(tu),
                Event::Eof => return Err(self.xml.truncated(b"tu")),
                Event::GeneralRef(r) => return Err(self.xml.undefined_entity(&r, here)),
                _ => {}
            }
        }
    }

    fn read_tuv(&mut self, start: &BytesStart, at: Position) -> Result<RawTuv, FormatError> {
        let mut attrs = self.xml.attrs(start, at)?;
        let lang_at = attrs
            .iter()
            .position(|(k, _)| k == "xml:lang")
            .or_else(|| attrs.iter().position(|(k, _)| k == "lang"));
        let lang = lang_at.map(|i| attrs.remove(i).1).unwrap_or_default();
        let mut tuv = RawTuv {
            lang,
            meta: VariantMeta {
                attrs,
                annotations: Vec::new(),
            },
            seg: None,
            problem: None,
            at,
        };
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"seg" => {
                        let (seg, problem) = self.read_seg()?;
                        if tuv.seg.is_some() {
                            tuv.problem.get_or_insert_with(|| TWO_SEGS.to_string());
                        } else {
                            tuv.problem = problem;
                        }
                        tuv.seg = Some(seg);
                    }
                    b"prop" | b"note" => {
                        let ann = self.read_annotation(&e, here)?;
                        tuv.meta.annotations.push(ann);
                    }
                    _ => self.xml.skip_element(&e)?,
                },
                Event::Empty(e) => {
                    if e.local_name().as_ref() == b"seg" {
                        if tuv.seg.is_some() {
                            tuv.problem.get_or_insert_with(|| TWO_SEGS.to_string());
                        }
                        tuv.seg = Some(Segment::default());
                    } else if let Some(ann) = self.empty_annotation(&e, here)? {
                        tuv.meta.annotations.push(ann);
                    }
                }
                Event::End(_) => return Ok(tuv),
                Event::Eof => return Err(self.xml.truncated(b"tuv")),
                Event::GeneralRef(r) => return Err(self.xml.undefined_entity(&r, here)),
                _ => {}
            }
        }
    }

    fn read_annotation(
        &mut self,
        start: &BytesStart,
        at: Position,
    ) -> Result<Annotation, FormatError> {
        let kind = if start.local_name().as_ref() == b"prop" {
            AnnotationKind::Prop
        } else {
            AnnotationKind::Note
        };
        let attrs = self.xml.attrs(start, at)?;
        let mut text = String::new();
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Text(t) => {
                    text.push_str(&t.xml10_content().map_err(|_| self.xml.not_utf8(here))?)
                }
                Event::CData(c) => {
                    text.push_str(std::str::from_utf8(&c).map_err(|_| self.xml.not_utf8(here))?)
                }
                Event::GeneralRef(r) => text.push(self.xml.resolve_ref(&r, here)?),
                Event::End(_) => break,
                Event::Start(e) => self.xml.skip_element(&e)?,
                Event::Eof => return Err(self.xml.truncated(start.name().as_ref())),
                _ => {}
            }
        }
        Ok(Annotation { kind, attrs, text })
    }

    fn empty_annotation(
        &mut self,
        e: &BytesStart,
        at: Position,
    ) -> Result<Option<Annotation>, FormatError> {
        let kind = match e.local_name().as_ref() {
            b"prop" => AnnotationKind::Prop,
            b"note" => AnnotationKind::Note,
            _ => return Ok(None),
        };
        Ok(Some(Annotation {
            kind,
            attrs: self.xml.attrs(e, at)?,
            text: String::new(),
        }))
    }

    /// Reads `<seg>` content (the start tag was just read) into plain text and, when it has inline
    /// elements, canonical markup. An element that is not TMX markup is named in the second value: the
    /// unit is refused, but only once the reader has reached its end.
    fn read_seg(&mut self) -> Result<(Segment, Option<String>), FormatError> {
        let mut text = String::new();
        // Built only once the segment turns out to have inline elements: most segments have none.
        let mut markup: Option<String> = None;
        let mut foreign: Option<String> = None;
        let mut stack: Vec<Inline> = Vec::new();
        // How many of `stack` are native code (a count: searching the stack at every event was
        // quadratic in the nesting, 200,000 nested <hi> took half a minute).
        let mut codes = 0usize;
        loop {
            let here = self.xml.here();
            let in_code = codes > 0;
            match self.xml.next()? {
                Event::Text(t) => {
                    let s = t.xml10_content().map_err(|_| self.xml.not_utf8(here))?;
                    push_text(&s, in_code, &mut text, &mut markup);
                }
                Event::CData(c) => {
                    let s = std::str::from_utf8(&c).map_err(|_| self.xml.not_utf8(here))?;
                    push_text(s, in_code, &mut text, &mut markup);
                }
                Event::GeneralRef(r) => {
                    let c = self.xml.resolve_ref(&r, here)?;
                    push_text(c.encode_utf8(&mut [0; 4]), in_code, &mut text, &mut markup);
                }
                Event::Start(e) if inline_name(&e).is_none() => {
                    foreign.get_or_insert_with(|| foreign_element(&e));
                    stack.push(Inline::Foreign);
                }
                Event::Empty(e) if inline_name(&e).is_none() => {
                    foreign.get_or_insert_with(|| foreign_element(&e));
                }
                Event::Start(e) => {
                    let name = inline_name(&e).unwrap_or("ph");
                    let attrs = self.xml.attrs(&e, here)?;
                    let m = markup.get_or_insert_with(|| escaped(&text));
                    write_tag(m, name, &attrs, false);
                    let kind = if name == "hi" {
                        Inline::Text
                    } else {
                        Inline::Code
                    };
                    codes += usize::from(kind == Inline::Code);
                    stack.push(kind);
                }
                Event::Empty(e) => {
                    let name = inline_name(&e).unwrap_or("ph");
                    let attrs = self.xml.attrs(&e, here)?;
                    let m = markup.get_or_insert_with(|| escaped(&text));
                    write_tag(m, name, &attrs, true);
                }
                Event::End(e) => {
                    // The end of <seg> itself: the parser has checked that names match.
                    let Some(open) = stack.pop() else { break };
                    codes -= usize::from(open == Inline::Code);
                    if let (Some(m), false) = (&mut markup, open == Inline::Foreign) {
                        m.push_str("</");
                        m.push_str(std::str::from_utf8(e.local_name().as_ref()).unwrap_or("ph"));
                        m.push('>');
                    }
                }
                Event::Eof => return Err(self.xml.truncated(b"seg")),
                _ => {}
            }
        }
        Ok((Segment { text, markup }, foreign))
    }

    /// Picks the requested language pair out of a parsed `<tu>`: `None` when the unit holds another
    /// pair (it is counted as left out).
    fn pick_pair(&mut self, tu: RawTu, at: Position) -> Result<Option<Unit>, FormatError> {
        // The more specific request picks first (`--src en --tgt en-GB`), then the other takes a
        // different variant.
        let pick = |lang: &str, not: Option<usize>| {
            tu.tuvs
                .iter()
                .enumerate()
                .position(|(i, t)| Some(i) != not && language_matches(lang, &t.lang))
        };
        let (src_req, tgt_req) = (&self.opts.src, &self.opts.tgt);
        let (si, ti) = if tgt_req.contains(['-', '_']) && !src_req.contains(['-', '_']) {
            let ti = pick(tgt_req, None);
            (pick(src_req, ti), ti)
        } else {
            let si = pick(src_req, None);
            (si, pick(tgt_req, si))
        };
        let (Some(si), Some(ti)) = (si, ti) else {
            let have: Vec<&str> = tu.tuvs.iter().map(|t| t.lang.as_str()).collect();
            if !have.is_empty() {
                self.left_out.add("other_pair");
                self.other_pairs.insert(have.join("+"));
                return Ok(None);
            }
            let missing = if si.is_none() { src_req } else { tgt_req };
            return Err(FormatError::bad_unit(
                self.xml.name(),
                Some(at),
                format!(
                    "unit{} has no {missing} segment (it has {}); --src and --tgt pick the pair",
                    tuid_note(&tu.attrs),
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.join(", ")
                    }
                ),
            ));
        };
        // Another variant of the very language taken (two `ar`): which one is meant cannot be told.
        // (Variants of other regions, en-US beside en-GB for `en`, are a choice: the first is taken.)
        for (req, chosen) in [(src_req, si), (tgt_req, ti)] {
            let lang = &tu.tuvs[chosen].lang;
            let others: Vec<&RawTuv> = (tu.tuvs.iter().enumerate())
                .filter(|&(i, t)| i != si && i != ti && t.lang.eq_ignore_ascii_case(lang))
                .map(|(_, t)| t)
                .collect();
            if let Some(other) = others.first() {
                return Err(FormatError::bad_unit(
                    self.xml.name(),
                    Some(other.at),
                    format!(
                        "unit{} has two {req} segments ({} and {}): tm cannot tell which one is \
                         meant",
                        tuid_note(&tu.attrs),
                        tu.tuvs[chosen].lang,
                        other.lang
                    ),
                ));
            }
        }
        let mut tuvs: Vec<Option<RawTuv>> = tu.tuvs.into_iter().map(Some).collect();
        let (Some(src), Some(tgt)) = (tuvs[si].take(), tuvs[ti].take()) else {
            return Err(FormatError::bad_unit(
                self.xml.name(),
                Some(at),
                "source and target languages are the same variant".into(),
            ));
        };
        for tuv in [&src, &tgt] {
            if let Some(problem) = &tuv.problem {
                return Err(FormatError::bad_unit(
                    self.xml.name(),
                    Some(tuv.at),
                    format!("unit{}: {problem}", tuid_note(&tu.attrs)),
                ));
            }
        }
        for (tuv, lang) in [(&src, &self.opts.src), (&tgt, &self.opts.tgt)] {
            if tuv.seg.as_ref().is_none_or(|s| s.text.trim().is_empty()) {
                return Err(FormatError::bad_unit(
                    self.xml.name(),
                    Some(tuv.at),
                    format!("unit{} has an empty {lang} segment", tuid_note(&tu.attrs)),
                ));
            }
        }

        let mut unit = Unit::new(
            &src.lang,
            &tgt.lang,
            src.seg.unwrap_or_default(),
            tgt.seg.unwrap_or_default(),
        );
        let mut meta = Meta::default();
        for (k, v) in tu.attrs {
            match k.as_str() {
                "tuid" => unit.tuid = Some(v),
                "creationdate" => unit.created = Some(v),
                "creationid" => unit.created_by = Some(v),
                "changedate" => unit.changed = Some(v),
                "changeid" => unit.changed_by = Some(v),
                "usagecount" => unit.usage_count = v.trim().parse().ok(),
                _ => meta.attrs.push((k, v)),
            }
        }
        for ann in tu.annotations {
            if ann.kind == AnnotationKind::Prop
                && ann.attr("type") == Some(ORIGIN_PROP)
                && unit.origin.is_none()
            {
                unit.origin = Some(ann.text);
            } else {
                meta.annotations.push(ann);
            }
        }
        meta.source = src.meta;
        meta.target = tgt.meta;
        unit.meta = meta;
        self.units += 1;
        Ok(Some(unit))
    }
}

/// Why a `<tuv>` with two `<seg>` is refused.
const TWO_SEGS: &str = "a <tuv> holds two <seg> (TMX allows one): tm cannot tell which is the text";

fn tuid_note(attrs: &[(String, String)]) -> String {
    attrs
        .iter()
        .find(|(k, _)| k == "tuid")
        .map(|(_, v)| format!(" {v:?}"))
        .unwrap_or_default()
}

/// The TMX name of an inline element, if it is one.
fn inline_name(e: &BytesStart) -> Option<&'static str> {
    let local = e.local_name();
    INLINE_ELEMENTS
        .into_iter()
        .find(|name| name.as_bytes() == local.as_ref())
}

fn foreign_element(e: &BytesStart) -> String {
    format!(
        "<{}> in a segment is not TMX inline markup (bpt, ept, ph, it, ut, hi, sub)",
        String::from_utf8_lossy(e.name().as_ref())
    )
}

/// Adds segment content to the plain text (unless it is native code) and to the markup, if any.
fn push_text(s: &str, in_code: bool, text: &mut String, markup: &mut Option<String>) {
    if !in_code {
        text.push_str(s);
    }
    if let Some(m) = markup {
        escape_text_into(s, m);
    }
}

impl Iterator for TmxReader {
    type Item = Result<Unit, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.state == State::Prolog {
            self.state = State::Body;
            if let Err(e) = self.enter_body() {
                self.state = State::Done;
                return Some(Err(e));
            }
        }
        while self.state == State::Body {
            let at = self.xml.here();
            let event = match self.xml.next() {
                Ok(ev) => ev,
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(e));
                }
            };
            let result: Result<Option<Unit>, FormatError> = match event {
                Event::Start(e) if e.local_name().as_ref() == b"tu" => {
                    self.read_tu(&e, at).and_then(|tu| self.pick_pair(tu, at))
                }
                Event::Start(e) => self.xml.skip_element(&e).map(|()| None),
                Event::End(_) => {
                    self.state = State::Done;
                    return self
                        .expect_end()
                        .and_then(|()| self.check_pair_found())
                        .err()
                        .map(Err);
                }
                Event::Eof => {
                    self.state = State::Done;
                    return Some(Err(self.xml.truncated(b"body")));
                }
                Event::GeneralRef(r) => Err(self.xml.undefined_entity(&r, at)),
                _ => Ok(None),
            };
            match result {
                Ok(Some(unit)) => return Some(Ok(unit)),
                Ok(None) => {}
                Err(e) => {
                    if !e.is_recoverable() {
                        self.state = State::Done;
                    }
                    return Some(Err(e));
                }
            }
        }
        None
    }
}

impl TmxReader {
    /// A file in which no unit has the requested pair is an error: the user asked for the wrong pair.
    fn check_pair_found(&self) -> Result<(), FormatError> {
        if self.units > 0 || self.other_pairs.is_empty() {
            return Ok(());
        }
        Err(FormatError::malformed(
            self.xml.name(),
            None,
            format!(
                "no unit has both {} and {} (units have {}); --src and --tgt pick the pair",
                self.opts.src,
                self.opts.tgt,
                self.other_pairs
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }

    /// After `</body>`: the rest of the file must close `<tmx>` and hold nothing else.
    fn expect_end(&mut self) -> Result<(), FormatError> {
        loop {
            let at = self.xml.here();
            match self.xml.next()? {
                Event::End(_) => {}
                Event::Eof => return Ok(()),
                Event::Start(e) | Event::Empty(e) => {
                    return Err(FormatError::malformed(
                        self.xml.name(),
                        Some(at),
                        format!(
                            "<{}> after </body>: a TMX file has one body, and units after it would \
                             be lost",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ))
                }
                _ => {}
            }
        }
    }
}

impl UnitReader for TmxReader {
    fn bytes_read(&self) -> u64 {
        self.xml.bytes_read()
    }

    fn left_out(&self) -> &LeftOut {
        &self.left_out
    }
}

#[derive(Default)]
struct RawTu {
    attrs: Vec<(String, String)>,
    annotations: Vec<Annotation>,
    tuvs: Vec<RawTuv>,
}

struct RawTuv {
    lang: String,
    meta: VariantMeta,
    seg: Option<Segment>,
    /// Why the segment cannot be stored, found while reading it.
    problem: Option<String>,
    at: Position,
}

/// Reads a whole TMX document held in a string (for tests and examples); `<string>` stands for the
/// file in errors.
pub fn read_str(xml: &str, src: &str, tgt: &str) -> Result<Vec<Unit>, FormatError> {
    let bytes = io::Cursor::new(xml.as_bytes().to_vec());
    TmxReader::new(bytes, Path::new("<string>"), &ReadOptions::new(src, tgt))?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmx(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n<header srclang=\"ar\"/>\n<body>\n{body}\n</body>\n</tmx>\n"
        )
    }

    const UNIT: &str = r#"<tu tuid="7" creationdate="20240925T101500Z"><prop type="x-origin">memri</prop><tuv xml:lang="ar-IQ"><seg>قيس الخزعلي</seg></tuv><tuv xml:lang="en-US"><seg>Qais Al-Khazali</seg></tuv></tu>"#;

    #[test]
    fn reads_a_unit_with_its_metadata() {
        let units = read_str(&tmx(UNIT), "ar", "en").unwrap();
        assert_eq!(units.len(), 1);
        let u = &units[0];
        assert_eq!(u.source.text, "قيس الخزعلي");
        assert_eq!(u.target.text, "Qais Al-Khazali");
        assert_eq!(
            (u.src_lang.as_str(), u.tgt_lang.as_str()),
            ("ar-IQ", "en-US")
        );
        assert_eq!(u.tuid.as_deref(), Some("7"));
        assert_eq!(u.created.as_deref(), Some("20240925T101500Z"));
        assert_eq!(u.origin.as_deref(), Some("memri"));
        assert!(u.meta.is_empty());
    }

    #[test]
    fn inline_markup_is_kept_and_text_excludes_native_code() {
        let body = r#"<tu><tuv xml:lang="ar"><seg><bpt i="1" x="1">&lt;b&gt;</bpt>عاجل<ept i="1">&lt;/b&gt;</ept>: <ph x="2">{1}</ph> <hi type="x">البوكمال</hi></seg></tuv><tuv lang="en"><seg>Breaking</seg></tuv></tu>"#;
        let u = &read_str(&tmx(body), "ar", "en").unwrap()[0];
        assert_eq!(u.source.text, "عاجل:  البوكمال");
        assert_eq!(
            u.source.markup.as_deref(),
            Some(
                r#"<bpt i="1" x="1">&lt;b&gt;</bpt>عاجل<ept i="1">&lt;/b&gt;</ept>: <ph x="2">{1}</ph> <hi type="x">البوكمال</hi>"#
            )
        );
        assert_eq!(u.target.markup, None, "TMX 1.1 lang attribute accepted");
    }

    #[test]
    fn units_of_other_pairs_are_left_out_and_counted() {
        let body = "<tu tuid=\"x1\">\n <tuv xml:lang=\"fr\"><seg>Bonjour</seg></tuv>\n <tuv xml:lang=\"en\"><seg>Hello</seg></tuv></tu>\n".to_string() + UNIT;
        let opts = ReadOptions::new("ar", "en");
        let mut reader =
            TmxReader::new(io::Cursor::new(tmx(&body)), Path::new("t"), &opts).unwrap();
        let units: Vec<Unit> = reader.by_ref().map(Result::unwrap).collect();
        assert_eq!(units.len(), 1);
        assert_eq!(reader.left_out().reasons["other_pair"], 1);
        // A file in which no unit has the pair asked for is an error: the pair is wrong.
        let err = read_str(&tmx(&body), "ar", "de").unwrap_err();
        assert_eq!(
            err.to_string(),
            "<string>: no unit has both ar and de (units have ar-IQ+en-US, fr+en); --src and --tgt pick the pair"
        );
        // A unit without any variant is malformed, not another pair.
        let err = read_all(&tmx("<tu tuid=\"e\"></tu>"))
            .remove(0)
            .unwrap_err();
        assert!(err.is_recoverable());
        assert!(
            err.to_string()
                .contains("unit \"e\" has no ar segment (it has none)"),
            "{err}"
        );
    }

    fn read_all(xml: &str) -> Vec<Result<Unit, FormatError>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tmx");
        std::fs::write(&path, xml).unwrap();
        TmxReader::open(&path, &ReadOptions::new("ar", "en"))
            .unwrap()
            .collect()
    }

    #[test]
    fn declared_entities_are_never_expanded() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="ar"><seg>&lol2;</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>
</body></tmx>"#;
        let results = read_all(xml);
        let err = results.into_iter().find_map(Result::err).unwrap();
        assert!(!err.is_recoverable());
        assert!(
            err.to_string()
                .contains("entity &lol2; is not one of XML's five"),
            "{err}"
        );
        assert_eq!(err.position.map(|p| p.line), Some(4));
    }

    #[test]
    fn ambiguous_units_are_errors_not_silent_drops() {
        let two_segs = r#"<tu tuid="a"><tuv xml:lang="ar"><seg>أول</seg><seg>ثان</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu>"#;
        let err = read_all(&tmx(two_segs)).remove(0).unwrap_err().to_string();
        assert!(err.contains("holds two <seg>"), "{err}");
        let two_ar = r#"<tu tuid="b"><tuv xml:lang="ar"><seg>أول</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv><tuv xml:lang="ar"><seg>ثان</seg></tuv></tu>"#;
        let err = read_all(&tmx(two_ar)).remove(0).unwrap_err().to_string();
        assert!(err.contains("has two ar segments (ar and ar)"), "{err}");
        let bad_name = r#"<tu><1tuv xml:lang="ar"><seg>x</seg></1tuv></tu>"#;
        let err = read_all(&tmx(bad_name)).remove(0).unwrap_err().to_string();
        assert!(
            err.contains("not well-formed XML: <1tuv> is not an element name"),
            "{err}"
        );
    }

    #[test]
    fn truncated_file_is_an_error_with_a_position() {
        let xml = tmx(UNIT);
        let cut = &xml[..xml.find("Qais").unwrap()];
        let err = read_all(cut).into_iter().find_map(Result::err).unwrap();
        assert!(
            err.to_string().contains("truncated") || err.to_string().contains("XML"),
            "{err}"
        );
        assert!(err.position.is_some());
    }

    #[test]
    fn not_xml_is_refused() {
        let err = read_all("حزب الله\tHizbullah\n").remove(0).unwrap_err();
        assert!(err.to_string().contains("not a TMX file"), "{err}");
    }

    #[test]
    fn reads_utf16_with_a_bom_from_memory() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(tmx(UNIT).encode_utf16().flat_map(|u| u.to_le_bytes()));
        let len = bytes.len() as u64;
        let opts = ReadOptions::new("ar", "en");
        let mut reader =
            TmxReader::new(io::Cursor::new(bytes), Path::new("<stdin>"), &opts).unwrap();
        let units: Vec<Unit> = reader.by_ref().map(Result::unwrap).collect();
        assert_eq!(units.len(), 1);
        assert_eq!(units[0].source.text, "قيس الخزعلي");
        assert_eq!(units[0].origin.as_deref(), Some("memri"));
        assert_eq!(reader.bytes_read(), len, "progress counts the raw bytes");
    }

    #[test]
    fn an_error_in_a_stream_names_the_given_name_and_line() {
        let xml = "<tmx version=\"1.4\"><header/><body>\n<tu>\n<tuv xml:lang=\"ar\"><seg>حزب</tuv>";
        let opts = ReadOptions::new("ar", "en");
        let err = TmxReader::new(xml.as_bytes(), Path::new("<stdin>"), &opts)
            .unwrap()
            .find_map(Result::err)
            .unwrap();
        assert_eq!(
            err.to_string(),
            "<stdin>:3:28: not well-formed XML: expected `</seg>`, but `</tuv>` was found"
        );
    }

    /// What a stream is told is word for word what a file with the same bytes is told, its name
    /// standing where the path stood: a unit error, parser errors (located from the bytes the
    /// tracker kept), a NUL, a truncated file, bytes that are not UTF-16.
    #[test]
    fn a_stream_gets_the_errors_a_file_gets() {
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(tmx(UNIT).encode_utf16().flat_map(|u| u.to_le_bytes()));
        utf16.extend([0x00, 0xD8, b'a', 0]);
        let cases: Vec<Vec<u8>> = vec![
            tmx("<tu>\n <tuv xml:lang=\"ar\"><seg> </seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>").into_bytes(),
            tmx("<tu><tuv xml:lang=\"ar\">\n<seg>x</tuv></tu>").into_bytes(),
            tmx("<tu>\n  <!-- never closed").into_bytes(),
            tmx("<tu><tuv xml:lang=\"ar\"><seg>a\0b</seg></tuv></tu>").into_bytes(),
            tmx(UNIT).as_bytes()[..150].to_vec(),
            utf16,
        ];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tmx");
        let opts = ReadOptions::new("ar", "en");
        let messages = |units: Vec<Result<Unit, FormatError>>| -> Vec<String> {
            units
                .into_iter()
                .map(|u| u.err().map(|e| e.to_string()).unwrap_or_default())
                .collect()
        };
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            let from_file = messages(TmxReader::open(&path, &opts).unwrap().collect());
            let from_stream = TmxReader::new(io::Cursor::new(bytes), &path, &opts).unwrap();
            assert!(from_file.iter().any(|m| !m.is_empty()), "{from_file:?}");
            assert_eq!(messages(from_stream.collect()), from_file);
        }
    }
}
