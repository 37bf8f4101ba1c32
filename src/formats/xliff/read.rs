//! Reading XLIFF into units: one unit a segment, inline codes as TMX markup, confirmed segments only
//! unless asked otherwise.
//!
//! A segment is a `<trans-unit>` in XLIFF 1.2, or each `<mrk mtype="seg">` of its `<seg-source>` when it
//! has one (Trados segments so), and each `<segment>` in XLIFF 2. A unit is read whole (they are small)
//! and the file streams past them. Whether a segment is confirmed comes from the dialect that marks it:
//! Trados's `sdl:seg conf`, memoQ's `mq:status`, else XLIFF's own `state` and `approved`.
//!
//! Inline codes become TMX 1.4 inline elements, in the way TMX's own inline codes are kept: as markup
//! beside the text, with no text of their own. XLIFF 1.2 `g`/2 `pc` (a pair around text) become `bpt`/`ept`
//! with a fresh `i`; `x` and 2's `ph` a `ph`; `bx`/`ex` an `it`; 1.2's `bpt`, `ept`, `it`, `ph` and `sub`
//! keep their name and native code; 2's `sc`/`ec` a `bpt`/`ept` when both ends are in the segment, else an
//! `it`. Each code's XLIFF `id` is kept as `x`. Annotations (`mrk`, `sm`/`em`) leave their text.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{self, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use crate::formats::position::Position;
use crate::formats::xml::{escape_text_into, is_blank, is_xml_char, write_tag, XmlEvents};
use crate::formats::{open_file, FormatError, LeftOut, ReadOptions, StateFilter, UnitReader};
use crate::unit::{language_matches, Annotation, AnnotationKind, Segment, Unit};

/// XLIFF 1.x (1.0–1.2 and the dialects built on 1.2) or 2.x: they name their elements differently.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Version {
    One,
    Two,
}

/// One piece of segment content as the file has it, before it becomes text and TMX markup.
#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Start(String, Vec<(String, String)>),
    End,
    Empty(String, Vec<(String, String)>),
}

/// The `<file>` being read: its languages and the document it stands for.
#[derive(Clone, Debug, Default)]
struct FileContext {
    src: Option<String>,
    tgt: Option<String>,
    original: Option<String>,
}

/// A segment decided about: a unit, or left out for a reason (with its state, if the state filter left it
/// out). What is left out is counted when the reader reaches it, so that the count tells where the
/// gaps in the document are.
enum Taken {
    Unit(Box<Unit>),
    LeftOut(&'static str),
    OtherState(Option<String>),
}

/// One segment as read, before the language pair and the state filter decide about it.
struct RawSegment {
    source: Segment,
    target: Option<Segment>,
    /// The state the file gives it, in the dialect's own words.
    state: Option<String>,
    confirmed: bool,
    translatable: bool,
    notes: Vec<String>,
}

/// Streams the segments of an XLIFF file as units.
pub struct XliffReader {
    xml: XmlEvents,
    opts: ReadOptions,
    version: Version,
    /// The root is closed, or the file was found broken: nothing more to read.
    done: bool,
    /// Local names of the elements open around the reader (the root, `file`, `body`, `group`), and
    /// whether each says `translate="no"` (which its units inherit).
    open: Vec<(Vec<u8>, bool)>,
    /// XLIFF 2's languages, given once on the root.
    root_langs: (Option<String>, Option<String>),
    file: FileContext,
    /// Segments of the last `<trans-unit>` or `<unit>` read, not yet handed out or counted.
    pending: VecDeque<Taken>,
    left_out: LeftOut,
    /// Units handed out so far.
    units: u64,
    /// The language pairs of the segments left out as another pair (for the error when no segment has
    /// the requested one).
    other_pairs: BTreeSet<String>,
    /// Whether any segment had the requested pair (whatever then became of it).
    pair_seen: bool,
    /// `<file>`s begun so far (each a document of its own).
    files: u64,
}

impl XliffReader {
    /// Opens an XLIFF file: [`XliffReader::new`] over it, named by its path.
    pub fn open(path: &Path, opts: &ReadOptions) -> Result<XliffReader, FormatError> {
        XliffReader::new(open_file(path)?, path, opts)
    }

    /// Reads XLIFF from any byte stream; `name` stands for the file in errors (`<stdin>`).
    pub fn new(
        reader: impl Read + Send + 'static,
        name: &Path,
        opts: &ReadOptions,
    ) -> Result<XliffReader, FormatError> {
        Ok(XliffReader {
            xml: XmlEvents::new(reader, name, opts)?,
            opts: opts.clone(),
            version: Version::One,
            done: false,
            open: Vec::new(),
            root_langs: (None, None),
            file: FileContext::default(),
            pending: VecDeque::new(),
            left_out: LeftOut::default(),
            units: 0,
            other_pairs: BTreeSet::new(),
            pair_seen: false,
            files: 0,
        })
    }

    /// Reads one event at the level of the file's structure and acts on it.
    fn step(&mut self) -> Result<(), FormatError> {
        let at = self.xml.here();
        match self.xml.next()? {
            Event::Start(e) if self.open.is_empty() => {
                self.root(&e, at)?;
                self.open.push((e.local_name().as_ref().to_vec(), false));
            }
            Event::Start(e) => match (self.version, e.local_name().as_ref()) {
                (_, b"file") => {
                    self.files += 1;
                    let no = self.enter_file(&e, at)?;
                    self.open.push((b"file".to_vec(), no));
                }
                (_, name @ (b"body" | b"group")) => {
                    let no = attr(&self.xml.attrs(&e, at)?, "translate") == Some("no");
                    self.open.push((name.to_vec(), no));
                }
                (Version::One, b"trans-unit") => self.read_trans_unit(&e, at)?,
                (Version::Two, b"unit") => self.read_unit(&e, at)?,
                _ => self.xml.skip_element(&e)?,
            },
            Event::Empty(e) if self.open.is_empty() => {
                return Err(self.xml.malformed(
                    at,
                    format!(
                        "not an XLIFF file: the root element is <{}/>",
                        String::from_utf8_lossy(e.name().as_ref())
                    ),
                ))
            }
            Event::End(_) => {
                if self.open.pop().is_some_and(|(name, _)| name == b"file") {
                    self.file = FileContext::default();
                }
                if self.open.is_empty() {
                    self.done = true;
                    self.expect_end()?;
                    self.check_pair_found()?;
                }
            }
            Event::Text(t) if self.open.is_empty() && !is_blank(&t) => {
                return Err(self.xml.malformed(
                    at,
                    "not an XLIFF file: text before the root element (is this XML?)",
                ))
            }
            Event::GeneralRef(r) => {
                self.xml.resolve_ref(&r, at)?;
            }
            Event::Eof => {
                return Err(match self.open.last() {
                    Some((inside, _)) => self.xml.truncated(inside),
                    None => self
                        .xml
                        .malformed(at, "the file is empty or has no XML element"),
                })
            }
            _ => {}
        }
        Ok(())
    }

    fn root(&mut self, e: &BytesStart, at: Position) -> Result<(), FormatError> {
        if e.local_name().as_ref() != b"xliff" {
            return Err(self.xml.malformed(
                at,
                format!(
                    "not an XLIFF file: the root element is <{}>, not <xliff>",
                    String::from_utf8_lossy(e.name().as_ref())
                ),
            ));
        }
        let attrs = self.xml.attrs(e, at)?;
        let version = attr(&attrs, "version").unwrap_or_default();
        self.version = if version.starts_with('2') || attr(&attrs, "srcLang").is_some() {
            Version::Two
        } else {
            Version::One
        };
        self.root_langs = (
            attr(&attrs, "srcLang").map(str::to_string),
            attr(&attrs, "trgLang").map(str::to_string),
        );
        Ok(())
    }

    /// Reads a `<file>`'s languages and name; returns whether it says `translate="no"`.
    fn enter_file(&mut self, e: &BytesStart, at: Position) -> Result<bool, FormatError> {
        let attrs = self.xml.attrs(e, at)?;
        let (src, tgt) = match self.version {
            Version::One => (
                attr(&attrs, "source-language").map(str::to_string),
                attr(&attrs, "target-language").map(str::to_string),
            ),
            Version::Two => self.root_langs.clone(),
        };
        // The document's name, without the folders of the machine it was made on.
        let original = attr(&attrs, "original")
            .map(|o| o.rsplit(['/', '\\']).next().unwrap_or(o).to_string())
            .filter(|o| !o.trim().is_empty());
        self.file = FileContext { src, tgt, original };
        Ok(attr(&attrs, "translate") == Some("no"))
    }

    /// Whether a `<file>` or `<group>` around the reader says `translate="no"`.
    fn untranslatable(&self) -> bool {
        self.open.iter().any(|(_, no)| *no)
    }

    /// Reads an XLIFF 1.x `<trans-unit>` (its start tag just read) into its segments.
    fn read_trans_unit(&mut self, start: &BytesStart, at: Position) -> Result<(), FormatError> {
        let attrs = self.xml.attrs(start, at)?;
        let translatable = attr(&attrs, "translate") != Some("no") && !self.untranslatable();
        let approved = attr(&attrs, "approved") == Some("yes");
        // memoQ's status (memoQ binds the prefix `mq`; other tools' `…:status` mean other things).
        let memoq = attr(&attrs, "mq:status").map(String::from);
        let (mut source, mut seg_source, mut target) = (None, None, None);
        let mut target_state = None;
        let mut notes = Vec::new();
        // Trados's `<sdl:seg id conf>`, by segment id; a segment without `conf` is not translated.
        let mut trados: HashMap<String, Option<String>> = HashMap::new();
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"source" => source = Some(self.content(&e)?),
                    b"seg-source" => seg_source = Some(self.content(&e)?),
                    b"target" => {
                        target_state = attr(&self.xml.attrs(&e, here)?, "state").map(String::from);
                        target = Some(self.content(&e)?);
                    }
                    b"note" => notes.push(self.plain_text(&e)?),
                    b"seg-defs" => self.read_seg_defs(&mut trados)?,
                    _ => self.xml.skip_element(&e)?,
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    b"source" => source = Some(Vec::new()),
                    b"target" => {
                        target_state = attr(&self.xml.attrs(&e, here)?, "state").map(String::from);
                        target = Some(Vec::new());
                    }
                    _ => {}
                },
                Event::End(_) => break,
                Event::Eof => return Err(self.xml.truncated(b"trans-unit")),
                Event::GeneralRef(r) => {
                    self.xml.resolve_ref(&r, here)?;
                }
                _ => {}
            }
        }
        let Some(source) = source else {
            return Err(self.xml.bad_unit(
                at,
                format!(
                    "trans-unit{} has no <source>",
                    attr(&attrs, "id")
                        .map(|id| format!(" {id:?}"))
                        .unwrap_or_default()
                ),
            ));
        };
        let state_of = |mid: Option<&str>| -> (Option<String>, bool) {
            if let Some(conf) = mid.and_then(|m| trados.get(m)) {
                let confirmed = matches!(
                    conf.as_deref(),
                    Some("Translated" | "ApprovedTranslation" | "ApprovedSignOff")
                );
                return (conf.clone(), confirmed);
            }
            if let Some(status) = &memoq {
                let confirmed = matches!(
                    status.as_str(),
                    "ManuallyConfirmed"
                        | "Confirmed"
                        | "Proofread"
                        | "Reviewer1Confirmed"
                        | "Reviewer2Confirmed"
                );
                return (Some(status.clone()), confirmed);
            }
            let confirmed = approved
                || matches!(
                    target_state.as_deref(),
                    Some("translated" | "signed-off" | "final")
                );
            (target_state.clone(), confirmed)
        };
        let marked = seg_source.as_deref().map(seg_marks).unwrap_or_default();
        let mut segments = Vec::new();
        if marked.is_empty() {
            let (state, confirmed) = state_of(None);
            segments.push(RawSegment {
                source: render(&source, Version::One),
                target: target.as_deref().map(|t| render(t, Version::One)),
                state,
                confirmed,
                translatable,
                notes,
            });
        } else {
            let mut target_marks: HashMap<String, Segment> = target
                .as_deref()
                .map(seg_marks)
                .unwrap_or_default()
                .into_iter()
                .collect();
            // A target the tool did not segment belongs to the source's one segment, if it has one.
            if target_marks.is_empty() && marked.len() == 1 {
                if let Some(t) = target.as_deref() {
                    target_marks.insert(marked[0].0.clone(), render(t, Version::One));
                }
            }
            for (mid, source) in marked {
                let (state, confirmed) = state_of(Some(&mid));
                segments.push(RawSegment {
                    target: target_marks.get(&mid).cloned(),
                    source,
                    state,
                    confirmed,
                    translatable,
                    notes: notes.clone(),
                });
            }
        }
        for segment in segments {
            self.take(segment);
        }
        Ok(())
    }

    /// Reads Trados's `<sdl:seg-defs>`: each segment's confirmation level.
    fn read_seg_defs(
        &mut self,
        trados: &mut HashMap<String, Option<String>>,
    ) -> Result<(), FormatError> {
        fn record(trados: &mut HashMap<String, Option<String>>, attrs: &[(String, String)]) {
            if let Some(id) = attr(attrs, "id") {
                trados.insert(id.to_string(), attr(attrs, "conf").map(String::from));
            }
        }
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) if e.local_name().as_ref() == b"seg" => {
                    let attrs = self.xml.attrs(&e, here)?;
                    record(trados, &attrs);
                    self.xml.skip_element(&e)?;
                }
                Event::Empty(e) if e.local_name().as_ref() == b"seg" => {
                    record(trados, &self.xml.attrs(&e, here)?);
                }
                Event::Start(e) => self.xml.skip_element(&e)?,
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.xml.truncated(b"seg-defs")),
                _ => {}
            }
        }
    }

    /// Reads an XLIFF 2 `<unit>` (its start tag just read) into its segments.
    fn read_unit(&mut self, start: &BytesStart, at: Position) -> Result<(), FormatError> {
        let attrs = self.xml.attrs(start, at)?;
        let translatable = attr(&attrs, "translate") != Some("no") && !self.untranslatable();
        let mut notes = Vec::new();
        let mut segments = Vec::new();
        let mut problem: Option<Position> = None;
        loop {
            let here = self.xml.here();
            match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"segment" => {
                        let state = attr(&self.xml.attrs(&e, here)?, "state")
                            .unwrap_or("initial")
                            .to_string();
                        let (source, target) = self.read_segment()?;
                        let Some(source) = source else {
                            // Refused once the reader is past the unit, so that it stays in step.
                            problem.get_or_insert(here);
                            continue;
                        };
                        segments.push(RawSegment {
                            source: render(&source, Version::Two),
                            target: target.as_deref().map(|t| render(t, Version::Two)),
                            confirmed: matches!(
                                state.as_str(),
                                "translated" | "reviewed" | "final"
                            ),
                            state: Some(state),
                            translatable,
                            notes: Vec::new(),
                        });
                    }
                    b"notes" => self.read_notes(&mut notes)?,
                    _ => self.xml.skip_element(&e)?,
                },
                Event::End(_) => break,
                Event::Eof => return Err(self.xml.truncated(b"unit")),
                Event::GeneralRef(r) => {
                    self.xml.resolve_ref(&r, here)?;
                }
                _ => {}
            }
        }
        if let Some(at) = problem {
            return Err(self.xml.bad_unit(at, "a <segment> has no <source>"));
        }
        for mut segment in segments {
            segment.notes.clone_from(&notes);
            self.take(segment);
        }
        Ok(())
    }

    /// An XLIFF 2 `<segment>`'s source and target.
    fn read_segment(&mut self) -> Result<Pair, FormatError> {
        let (mut source, mut target) = (None, None);
        loop {
            match self.xml.next()? {
                Event::Start(e) => match e.local_name().as_ref() {
                    b"source" => source = Some(self.content(&e)?),
                    b"target" => target = Some(self.content(&e)?),
                    _ => self.xml.skip_element(&e)?,
                },
                Event::Empty(e) => match e.local_name().as_ref() {
                    b"source" => source = Some(Vec::new()),
                    b"target" => target = Some(Vec::new()),
                    _ => {}
                },
                Event::End(_) => return Ok((source, target)),
                Event::Eof => return Err(self.xml.truncated(b"segment")),
                _ => {}
            }
        }
    }

    fn read_notes(&mut self, notes: &mut Vec<String>) -> Result<(), FormatError> {
        loop {
            match self.xml.next()? {
                Event::Start(e) if e.local_name().as_ref() == b"note" => {
                    notes.push(self.plain_text(&e)?)
                }
                Event::Start(e) => self.xml.skip_element(&e)?,
                Event::End(_) => return Ok(()),
                Event::Eof => return Err(self.xml.truncated(b"notes")),
                _ => {}
            }
        }
    }

    /// The content of an element whose start tag was just read, as pieces.
    fn content(&mut self, start: &BytesStart) -> Result<Vec<Piece>, FormatError> {
        let mut pieces = Vec::new();
        let mut depth = 0usize;
        loop {
            let here = self.xml.here();
            let event = self.xml.next()?;
            if let Some(text) = self.xml.text_of(&event, here) {
                let text = text?;
                match pieces.last_mut() {
                    Some(Piece::Text(t)) => t.push_str(&text),
                    _ => pieces.push(Piece::Text(text)),
                }
                continue;
            }
            match event {
                Event::Start(e) => {
                    depth += 1;
                    let attrs = self.xml.attrs(&e, here)?;
                    pieces.push(Piece::Start(local_name(&e), attrs));
                }
                Event::Empty(e) => {
                    let attrs = self.xml.attrs(&e, here)?;
                    pieces.push(Piece::Empty(local_name(&e), attrs));
                }
                Event::End(_) if depth == 0 => return Ok(pieces),
                Event::End(_) => {
                    depth -= 1;
                    pieces.push(Piece::End);
                }
                Event::Eof => return Err(self.xml.truncated(start.name().as_ref())),
                _ => {}
            }
        }
    }

    /// The text inside an element (a note), its markup left out.
    fn plain_text(&mut self, start: &BytesStart) -> Result<String, FormatError> {
        let pieces = self.content(start)?;
        Ok(pieces
            .into_iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t),
                _ => None,
            })
            .collect())
    }

    /// Decides about one segment: a unit of the requested pair, or left out and counted.
    fn take(&mut self, segment: RawSegment) {
        let file_src = self
            .file
            .src
            .clone()
            .unwrap_or_else(|| self.opts.src.clone());
        let file_tgt = self
            .file
            .tgt
            .clone()
            .unwrap_or_else(|| self.opts.tgt.clone());
        let (src, tgt) = (&self.opts.src, &self.opts.tgt);
        let reversed = if language_matches(src, &file_src) && language_matches(tgt, &file_tgt) {
            false
        } else if language_matches(src, &file_tgt) && language_matches(tgt, &file_src) {
            true
        } else {
            self.other_pairs.insert(format!("{file_src}→{file_tgt}"));
            return self.pending.push_back(Taken::LeftOut("other_pair"));
        };
        self.pair_seen = true;
        if !segment.translatable {
            return self.pending.push_back(Taken::LeftOut("not_translatable"));
        }
        let Some(target) = segment.target.filter(|t| !t.text.trim().is_empty()) else {
            return self.pending.push_back(Taken::LeftOut("untranslated"));
        };
        if segment.source.text.trim().is_empty() {
            return self.pending.push_back(Taken::LeftOut("empty_source"));
        }
        let wanted = match &self.opts.state {
            StateFilter::All => true,
            StateFilter::Confirmed => segment.confirmed,
            StateFilter::Named(name) => segment
                .state
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(name)),
        };
        if !wanted {
            return self.pending.push_back(Taken::OtherState(segment.state));
        }
        let (mut source, mut target) = (segment.source, target);
        let (mut src_lang, mut tgt_lang) = (file_src, file_tgt);
        if reversed {
            std::mem::swap(&mut source, &mut target);
            std::mem::swap(&mut src_lang, &mut tgt_lang);
        }
        let mut unit = Unit::new(&src_lang, &tgt_lang, source, target);
        unit.origin.clone_from(&self.file.original);
        unit.meta.annotations = (segment.notes.into_iter())
            .filter(|n| !n.trim().is_empty())
            .map(|text| Annotation {
                kind: AnnotationKind::Note,
                attrs: Vec::new(),
                text,
            })
            .collect();
        self.pending.push_back(Taken::Unit(Box::new(unit)));
    }

    /// After the root closes: nothing else but comments and whitespace.
    fn expect_end(&mut self) -> Result<(), FormatError> {
        loop {
            let at = self.xml.here();
            match self.xml.next()? {
                Event::Eof => return Ok(()),
                Event::Start(e) | Event::Empty(e) => {
                    return Err(self.xml.malformed(
                        at,
                        format!(
                            "<{}> after </xliff>: an XML file has one root element",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ))
                }
                _ => {}
            }
        }
    }

    /// A file in which no segment has the requested pair is an error: the user asked for the wrong pair.
    fn check_pair_found(&self) -> Result<(), FormatError> {
        if self.pair_seen || self.other_pairs.is_empty() {
            return Ok(());
        }
        Err(FormatError::malformed(
            self.xml.name(),
            None,
            format!(
                "no segment is {}→{}: the file is {} (--src and --tgt pick the pair)",
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
}

/// A segment's source and target pieces, as read.
type Pair = (Option<Vec<Piece>>, Option<Vec<Piece>>);

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn local_name(e: &BytesStart) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The segments marked `<mrk mtype="seg" mid="…">` in a `<seg-source>` or `<target>`, each rendered on
/// its own; what lies between them (spaces, codes around sentences) belongs to no segment.
fn seg_marks(pieces: &[Piece]) -> Vec<(String, Segment)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if let Piece::Start(name, attrs) = &pieces[i] {
            if name == "mrk" && attr(attrs, "mtype") == Some("seg") {
                let end = closing(pieces, i);
                let mid = attr(attrs, "mid").unwrap_or_default().to_string();
                out.push((mid, render(&pieces[i + 1..end], Version::One)));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The index of the `End` that closes the `Start` at `open` (or the end of the pieces).
fn closing(pieces: &[Piece], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, p) in pieces.iter().enumerate().skip(open) {
        match p {
            Piece::Start(..) => depth += 1,
            Piece::End => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    pieces.len()
}

/// What closing an element writes, and whether its text is native code rather than segment text.
struct Frame {
    close: Option<String>,
    code: bool,
}

/// What an XLIFF inline element becomes in TMX.
enum Code {
    /// A pair around text (1.2 `g`, 2 `pc`): `bpt` and `ept` with no native code.
    Pair(Vec<(String, String)>),
    /// A TMX element (`ph`, `bpt`, `ept`, `it`, `sub`) whose content, if any, is native code.
    Element(&'static str, Vec<(String, String)>),
    /// A character XML cannot hold as text (2 `cp`), or nothing when it cannot hold it at all.
    Char(Option<char>),
    /// An annotation or an element tm does not know: its text is the segment's, its tags go.
    Transparent,
}

/// Turns segment content into plain text and, when it has inline codes, TMX 1.4 inline markup.
fn render(pieces: &[Piece], version: Version) -> Segment {
    // Most segments are text alone: no markup to build.
    match pieces {
        [] => return Segment::default(),
        [Piece::Text(t)] => return Segment::plain(t.clone()),
        _ => {}
    }
    let mut r = Render::new(pieces, version);
    let mut stack: Vec<Frame> = Vec::new();
    // How many of `stack` hold native code.
    let mut codes = 0usize;
    for p in pieces {
        let (name, attrs, empty) = match p {
            Piece::Text(s) => {
                if codes == 0 {
                    r.text.push_str(s);
                }
                escape_text_into(s, &mut r.markup);
                continue;
            }
            Piece::End => {
                if let Some(frame) = stack.pop() {
                    codes -= usize::from(frame.code);
                    if let Some(close) = frame.close {
                        r.markup.push_str(&close);
                    }
                }
                continue;
            }
            Piece::Start(name, attrs) => (name, attrs, false),
            Piece::Empty(name, attrs) => (name, attrs, true),
        };
        let frame = match r.code(name, attrs) {
            Code::Pair(bpt) => {
                r.has_codes = true;
                write_tag(&mut r.markup, "bpt", &bpt, true);
                let ept = format!("<ept i=\"{}\"/>", bpt[0].1);
                if empty {
                    r.markup.push_str(&ept);
                }
                Frame {
                    close: Some(ept),
                    code: false,
                }
            }
            Code::Element(tmx, tmx_attrs) => {
                r.has_codes = true;
                write_tag(&mut r.markup, tmx, &tmx_attrs, empty);
                Frame {
                    close: Some(format!("</{tmx}>")),
                    code: true,
                }
            }
            Code::Char(c) => {
                if let Some(c) = c {
                    if codes == 0 {
                        r.text.push(c);
                    }
                    escape_text_into(c.encode_utf8(&mut [0; 4]), &mut r.markup);
                }
                Frame {
                    close: None,
                    code: false,
                }
            }
            Code::Transparent => Frame {
                close: None,
                code: false,
            },
        };
        if !empty {
            codes += usize::from(frame.code);
            stack.push(frame);
        }
    }
    Segment {
        text: r.text,
        markup: r.has_codes.then_some(r.markup),
    }
}

/// The state of one segment's rendering: its text, its markup, and the numbers its pairs got.
struct Render {
    version: Version,
    text: String,
    markup: String,
    has_codes: bool,
    /// Keys of the paired codes (1.2 `bpt`/`ept`, 2 `sc`/`ec`) whose two ends are both in the segment:
    /// those become `bpt`/`ept`, the others an isolated `it`.
    paired: Vec<String>,
    /// The `i` each pair got, by key.
    numbers: HashMap<String, usize>,
    last_i: usize,
}

impl Render {
    fn new(pieces: &[Piece], version: Version) -> Render {
        let (mut begins, mut ends) = (Vec::new(), Vec::new());
        for p in pieces {
            if let Piece::Start(name, attrs) | Piece::Empty(name, attrs) = p {
                match (version, name.as_str()) {
                    (Version::One, "bpt") => begins.extend(pair_key(attrs)),
                    (Version::One, "ept") => ends.extend(pair_key(attrs)),
                    (Version::Two, "sc") if attr(attrs, "isolated") != Some("yes") => {
                        begins.extend(attr(attrs, "id").map(String::from))
                    }
                    (Version::Two, "ec") => ends.extend(attr(attrs, "startRef").map(String::from)),
                    _ => {}
                }
            }
        }
        begins.retain(|b| ends.contains(b));
        Render {
            version,
            text: String::new(),
            markup: String::new(),
            has_codes: false,
            paired: begins,
            numbers: HashMap::new(),
            last_i: 0,
        }
    }

    /// A fresh `i` for a pair, or the one its other end got.
    fn number(&mut self, key: Option<&str>) -> String {
        if let Some(&i) = key.and_then(|k| self.numbers.get(k)) {
            return i.to_string();
        }
        self.last_i += 1;
        if let Some(k) = key {
            self.numbers.insert(k.to_string(), self.last_i);
        }
        self.last_i.to_string()
    }

    /// What the XLIFF element `name` becomes in TMX.
    fn code(&mut self, name: &str, attrs: &[(String, String)]) -> Code {
        // TMX's `x` is a number; an XLIFF id that is not one is left out rather than mistaken.
        let id =
            attr(attrs, "id").filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
        let ctype = attr(attrs, "ctype").or_else(|| attr(attrs, "type"));
        let one = self.version == Version::One;
        let paired_key =
            |key: Option<String>, paired: &[String]| key.filter(|k| paired.contains(k));
        match (self.version, name) {
            (Version::One, "g") | (Version::Two, "pc") => {
                let i = self.number(None);
                Code::Pair(attrs_of(&[("i", Some(&i)), ("x", id), ("type", ctype)]))
            }
            (Version::One, "x" | "ph") | (Version::Two, "ph") => {
                Code::Element("ph", attrs_of(&[("x", id), ("type", ctype)]))
            }
            (Version::One, "bx") => Code::Element(
                "it",
                attrs_of(&[("pos", Some("begin")), ("x", id), ("type", ctype)]),
            ),
            (Version::One, "ex") => {
                Code::Element("it", attrs_of(&[("pos", Some("end")), ("x", id)]))
            }
            (_, "bpt" | "sc") if one == (name == "bpt") => {
                let key = if one {
                    pair_key(attrs)
                } else {
                    attr(attrs, "id").map(String::from)
                };
                match paired_key(key, &self.paired) {
                    Some(k) => {
                        let i = self.number(Some(&k));
                        Code::Element(
                            "bpt",
                            attrs_of(&[("i", Some(&i)), ("x", id), ("type", ctype)]),
                        )
                    }
                    None => Code::Element(
                        "it",
                        attrs_of(&[("pos", Some("begin")), ("x", id), ("type", ctype)]),
                    ),
                }
            }
            (_, "ept" | "ec") if one == (name == "ept") => {
                let start = attr(attrs, "startRef");
                let key = if one {
                    pair_key(attrs)
                } else {
                    start.map(String::from)
                };
                match paired_key(key, &self.paired) {
                    Some(k) => {
                        Code::Element("ept", attrs_of(&[("i", Some(&self.number(Some(&k))))]))
                    }
                    None => Code::Element(
                        "it",
                        attrs_of(&[
                            ("pos", Some("end")),
                            (
                                "x",
                                id.or(start.filter(|v| v.bytes().all(|b| b.is_ascii_digit()))),
                            ),
                        ]),
                    ),
                }
            }
            (Version::One, "it") => {
                let pos = if attr(attrs, "pos") == Some("close") {
                    "end"
                } else {
                    "begin"
                };
                Code::Element(
                    "it",
                    attrs_of(&[("pos", Some(pos)), ("x", id), ("type", ctype)]),
                )
            }
            (Version::One, "sub") => Code::Element("sub", Vec::new()),
            (Version::Two, "cp") => Code::Char(
                attr(attrs, "hex")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .and_then(char::from_u32)
                    .filter(|&c| is_xml_char(c)),
            ),
            _ => Code::Transparent,
        }
    }
}

/// TMX attributes from those of `pairs` that have a value.
fn attrs_of(pairs: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v.to_string())))
        .collect()
}

/// What pairs an XLIFF 1.2 `bpt` with its `ept`: `rid` when given, else `id`.
fn pair_key(attrs: &[(String, String)]) -> Option<String> {
    attr(attrs, "rid")
        .or_else(|| attr(attrs, "id"))
        .map(String::from)
}

impl Iterator for XliffReader {
    type Item = Result<Unit, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.pending.pop_front() {
                Some(Taken::Unit(unit)) => {
                    self.units += 1;
                    return Some(Ok(*unit));
                }
                Some(Taken::LeftOut(reason)) => {
                    self.left_out.add(reason);
                    continue;
                }
                Some(Taken::OtherState(state)) => {
                    self.left_out.add_state(state.as_deref());
                    continue;
                }
                None => {}
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.step() {
                if !e.is_recoverable() {
                    self.done = true;
                }
                return Some(Err(e));
            }
        }
    }
}

impl UnitReader for XliffReader {
    fn bytes_read(&self) -> u64 {
        self.xml.bytes_read()
    }

    fn left_out(&self) -> &LeftOut {
        &self.left_out
    }

    fn document_breaks(&self) -> u64 {
        self.files.saturating_sub(1)
    }
}

/// Reads a whole XLIFF document held in a string (for tests and examples); `<string>` stands for the
/// file in errors.
pub fn read_str(xml: &str, src: &str, tgt: &str) -> Result<Vec<Unit>, FormatError> {
    let bytes = io::Cursor::new(xml.as_bytes().to_vec());
    XliffReader::new(bytes, Path::new("<string>"), &ReadOptions::new(src, tgt))?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v12(units: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">\n<file source-language=\"ar\" target-language=\"en\" original=\"C:\\Users\\desk\\news.docx\" datatype=\"plaintext\"><body>\n{units}\n</body></file></xliff>\n"
        )
    }

    fn read_with(xml: &str, state: StateFilter) -> (Vec<Unit>, LeftOut) {
        let mut opts = ReadOptions::new("ar", "en");
        opts.state = state;
        let mut reader =
            XliffReader::new(io::Cursor::new(xml.to_string()), Path::new("t.xlf"), &opts).unwrap();
        let units = reader.by_ref().map(Result::unwrap).collect();
        (units, reader.left_out().clone())
    }

    #[test]
    fn xliff_12_codes_become_tmx_markup_and_leave_the_text() {
        let xml = v12(
            r#"<trans-unit id="1" approved="yes"><source><g id="1" ctype="bold">عاجل</g>: <x id="2"/>البوكمال<bx id="3"/> <ph id="4">&lt;br/&gt;</ph><bpt id="5">&lt;i&gt;</bpt>دير<ept id="5">&lt;/i&gt;</ept> <mrk mtype="term">الزور</mrk><ex id="6"/></source>
<target state="translated"><g id="1" ctype="bold">Breaking</g>: Al-Bukamal</target></trans-unit>"#,
        );
        let (units, _) = read_with(&xml, StateFilter::Confirmed);
        let u = &units[0];
        assert_eq!(u.source.text, "عاجل: البوكمال دير الزور");
        assert_eq!(
            u.source.markup.as_deref(),
            Some(concat!(
                r#"<bpt i="1" x="1" type="bold"/>عاجل<ept i="1"/>: <ph x="2"/>البوكمال"#,
                r#"<it pos="begin" x="3"/> <ph x="4">&lt;br/&gt;</ph><bpt i="2" x="5">&lt;i&gt;</bpt>"#,
                r#"دير<ept i="2">&lt;/i&gt;</ept> الزور<it pos="end" x="6"/>"#
            ))
        );
        assert_eq!(u.target.text, "Breaking: Al-Bukamal");
        assert_eq!(u.origin.as_deref(), Some("news.docx"), "folders left out");
        // The markup reads back as TMX, the same text and markup.
        let tmx = format!(
            "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"ar\"><seg>{}</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu></body></tmx>",
            u.source.markup.as_deref().unwrap()
        );
        let back = crate::formats::tmx::read_str(&tmx, "ar", "en").unwrap();
        assert_eq!(back[0].source, u.source);
    }

    #[test]
    fn confirmed_segments_only_unless_asked_and_the_rest_counted() {
        let xml = v12(
            r#"<trans-unit id="1"><source>حزب الله</source><target state="final">Hizbullah</target></trans-unit>
<trans-unit id="2"><source>النجباء</source><target state="needs-review-translation">Al-Nujaba</target></trans-unit>
<trans-unit id="3"><source>القائم</source><target>Al-Qa'im</target></trans-unit>
<trans-unit id="4"><source>البوكمال</source><target state="new"/></trans-unit>
<trans-unit id="5" translate="no"><source>MEMRI</source><target>MEMRI</target></trans-unit>
<trans-unit id="6" approved="yes"><source>دير الزور</source><target>Deir Al-Zour</target></trans-unit>"#,
        );
        let (units, left) = read_with(&xml, StateFilter::Confirmed);
        let texts: Vec<&str> = units.iter().map(|u| u.target.text.as_str()).collect();
        assert_eq!(texts, ["Hizbullah", "Deir Al-Zour"]);
        assert_eq!(left.total, 4);
        assert_eq!(left.reasons["state"], 2);
        assert_eq!(left.reasons["untranslated"], 1);
        assert_eq!(left.reasons["not_translatable"], 1);
        assert_eq!(left.states["needs-review-translation"], 1);
        assert_eq!(left.states["none"], 1);
        let (units, _) = read_with(&xml, StateFilter::All);
        assert_eq!(units.len(), 4);
        let (units, _) = read_with(&xml, "Needs-Review-Translation".parse().unwrap());
        assert_eq!(units[0].target.text, "Al-Nujaba");
    }

    #[test]
    fn trados_segments_and_their_confirmation_levels() {
        let xml = r#"<xliff version="1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0"><file original="a.docx" source-language="ar-IQ" target-language="en-US"><body>
<trans-unit id="u1"><source>جملة. أخرى.</source>
<seg-source><g id="7"><mrk mtype="seg" mid="1">قال الخزعلي.</mrk> <mrk mtype="seg" mid="2">وصل <x id="8"/>إلى البوكمال.</mrk></g> <mrk mtype="seg" mid="3">انتهى.</mrk></seg-source>
<target><g id="7"><mrk mtype="seg" mid="1">Al-Khazali said.</mrk> <mrk mtype="seg" mid="2">He reached <x id="8"/>Al-Bukamal.</mrk></g> <mrk mtype="seg" mid="3">End.</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff"><sdl:value key="x">y</sdl:value></sdl:seg><sdl:seg id="2" conf="Translated"/><sdl:seg id="3" conf="Draft"/></sdl:seg-defs>
</trans-unit></body></file></xliff>"#;
        let (units, left) = read_with(xml, StateFilter::Confirmed);
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].source.text, "قال الخزعلي.");
        assert_eq!(
            units[0].source.markup, None,
            "the g around the sentence is not in it"
        );
        assert_eq!(units[1].target.text, "He reached Al-Bukamal.");
        assert_eq!(
            units[1].target.markup.as_deref(),
            Some(r#"He reached <ph x="8"/>Al-Bukamal."#)
        );
        assert_eq!(
            (units[1].src_lang.as_str(), units[1].tgt_lang.as_str()),
            ("ar-IQ", "en-US")
        );
        assert_eq!(left.states["Draft"], 1);
    }

    #[test]
    fn memoq_status_decides_for_its_units() {
        let xml = r#"<xliff version="1.2" xmlns:mq="MQXliff"><file source-language="ar" target-language="en"><body>
<trans-unit id="1" mq:status="ManuallyConfirmed"><source>أ</source><target>A</target></trans-unit>
<trans-unit id="2" mq:status="PartiallyEdited"><source>ب</source><target state="translated">B</target></trans-unit>
</body></file></xliff>"#;
        let (units, left) = read_with(xml, StateFilter::Confirmed);
        assert_eq!(units.len(), 1);
        assert_eq!(left.states["PartiallyEdited"], 1);
    }

    #[test]
    fn xliff_2_segments_codes_and_states() {
        let xml = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ar">
<file id="f1" original="memri/report.html"><unit id="u1"><notes><note>house style</note></notes>
<segment id="s1" state="final"><source><pc id="1">Hizbullah</pc> <sc id="2"/>Brigades<ec startRef="2"/> <ph id="3"/> <cp hex="0009"/></source>
<target><pc id="1">حزب الله</pc> <sc id="2"/>كتائب<ec startRef="2"/> <ph id="3"/> <cp hex="0009"/></target></segment>
<ignorable><source> </source></ignorable>
<segment id="s2" state="translated"><source><sc id="4"/>Al-Bukamal</source><target><sc id="4"/>البوكمال</target></segment>
<segment id="s3"><source>Deir Al-Zour</source><target>دير الزور</target></segment>
</unit></file></xliff>"#;
        let (units, left) = read_with(xml, StateFilter::Confirmed);
        assert_eq!(units.len(), 2);
        let u = &units[0];
        assert_eq!(
            (u.src_lang.as_str(), u.tgt_lang.as_str()),
            ("ar", "en"),
            "the pair is turned round"
        );
        assert_eq!(u.source.text, "حزب الله كتائب  \t");
        assert_eq!(
            u.target.markup.as_deref(),
            Some(
                r#"<bpt i="1" x="1"/>Hizbullah<ept i="1"/> <bpt i="2" x="2"/>Brigades<ept i="2"/> <ph x="3"/> 	"#
            )
        );
        assert_eq!(u.meta.annotations[0].text, "house style");
        assert_eq!(u.origin.as_deref(), Some("report.html"));
        assert_eq!(
            units[1].source.markup.as_deref(),
            Some(r#"<it pos="begin" x="4"/>البوكمال"#),
            "a code whose end is in another segment is isolated"
        );
        assert_eq!(left.states["initial"], 1);
    }

    /// Found in review: a bad segment threw the reader out of step with the file's structure.
    #[test]
    fn a_bad_segment_is_refused_and_the_reader_stays_in_step() {
        let xml = r#"<xliff version="2.0" srcLang="en" trgLang="ar"><file id="f1" original="doc1.txt">
<unit id="u0"><segment state="final"><source>Hizbullah</source><target>حزب الله</target></segment></unit>
<unit id="u1"><segment state="final"><target>ناقص</target></segment><segment state="final"><source>x</source><target>س</target></segment></unit>
<unit id="u2"><segment state="final"><source>Brigades</source><target>كتائب</target></segment></unit>
</file><file id="f2" original="doc2.txt"><group id="g" translate="no"><unit id="u3"><segment state="final"><source>MEMRI</source><target>ممري</target></segment></unit></group>
<unit id="u4"><segment state="final"><source>Qais</source><target>قيس</target></segment></unit></file></xliff>"#;
        let opts = ReadOptions::new("ar", "en");
        let mut reader =
            XliffReader::new(io::Cursor::new(xml.to_string()), Path::new("t.xlf"), &opts).unwrap();
        let results: Vec<_> = reader.by_ref().collect();
        let err = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        assert_eq!(err.to_string(), "t.xlf:3:15: a <segment> has no <source>");
        let units: Vec<&Unit> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        let pairs: Vec<(&str, &str, Option<&str>)> = units
            .iter()
            .map(|u| {
                (
                    u.source.text.as_str(),
                    u.target.text.as_str(),
                    u.origin.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            pairs,
            [
                ("حزب الله", "Hizbullah", Some("doc1.txt")),
                ("كتائب", "Brigades", Some("doc1.txt")),
                ("قيس", "Qais", Some("doc2.txt")),
            ],
            "turned round, with their documents; the group's translate=\"no\" is inherited"
        );
        assert_eq!(reader.left_out().reasons["not_translatable"], 1);
    }

    #[test]
    fn a_target_not_segmented_belongs_to_the_one_segment() {
        let xml = v12(
            r#"<trans-unit id="1" approved="yes"><source>حزب الله</source><seg-source><mrk mtype="seg" mid="1">حزب الله</mrk></seg-source><target>Hizbullah</target></trans-unit>"#,
        );
        let (units, _) = read_with(&xml, StateFilter::Confirmed);
        assert_eq!(units[0].target.text, "Hizbullah");
    }

    #[test]
    fn nothing_confirmed_is_not_the_wrong_pair() {
        let xml = v12(r#"<trans-unit id="1"><source>حزب الله</source><target>Hizbullah</target></trans-unit>"#)
            .replace("</file>", "</file><file source-language=\"fr\" target-language=\"en\"><body><trans-unit id=\"2\" approved=\"yes\"><source>le</source><target>the</target></trans-unit></body></file>");
        let (units, left) = read_with(&xml, StateFilter::Confirmed);
        assert!(units.is_empty());
        assert_eq!((left.reasons["state"], left.reasons["other_pair"]), (1, 1));
    }

    #[test]
    fn xliff_2_1_reads_as_2_0() {
        let xml = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="ar-IQ" trgLang="en">
<file id="f"><group id="g"><unit id="u"><segment state="reviewed"><source>قيس الخزعلي</source><target>Qais Al-Khazali</target></segment></unit></group></file></xliff>"#;
        let units = read_str(xml, "ar", "en").unwrap();
        assert_eq!(units[0].target.text, "Qais Al-Khazali");
        assert_eq!(units[0].src_lang, "ar-IQ");
    }

    #[test]
    fn another_pair_is_an_error_naming_the_file_pair() {
        let xml = v12(
            r#"<trans-unit id="1"><source>x</source><target state="final">y</target></trans-unit>"#,
        )
        .replace("\"ar\"", "\"fr\"");
        let err = read_str(&xml, "ar", "en").unwrap_err();
        assert_eq!(
            err.to_string(),
            "<string>: no segment is ar→en: the file is fr→en (--src and --tgt pick the pair)"
        );
    }

    #[test]
    fn broken_and_hostile_files_are_located_errors() {
        let cases = [
            (
                v12(r#"<trans-unit id="1"><source>&lol;</source></trans-unit>"#),
                "t.xlf:4:28: entity &lol; is not one of XML's five",
            ),
            (
                v12(r#"<trans-unit id="1"><source>حزب</target></trans-unit>"#),
                "t.xlf:4:31: not well-formed XML: expected `</source>`, but `</target>` was found",
            ),
            (
                v12(r#"<trans-unit id="7"><target>x</target></trans-unit>"#),
                "t.xlf:4:1: trans-unit \"7\" has no <source>",
            ),
            (
                "<tmx version=\"1.4\"/>".to_string(),
                "t.xlf:1:1: not an XLIFF file: the root element is <tmx/>",
            ),
            (
                {
                    let full = v12(r#"<trans-unit id="1"><source>x</source></trans-unit>"#);
                    full[..full.find("x</source>").unwrap() + 1].to_string()
                },
                "t.xlf:4:29: the file ends inside <source> (truncated?)",
            ),
        ];
        for (xml, message) in cases {
            let opts = ReadOptions::new("ar", "en");
            let err = XliffReader::new(io::Cursor::new(xml), Path::new("t.xlf"), &opts)
                .unwrap()
                .find_map(Result::err)
                .unwrap();
            assert!(
                err.to_string().starts_with(message),
                "{err}\n  not {message}"
            );
        }
    }
}
