//! Concordance: where a word or phrase occurs in the memory, in either language.
//!
//! An Arabic phrase is matched word by word on stems, so `المقاومة` also finds `والمقاومة` and
//! `للمقاومة`, and harakat or letter forms never get in the way. Its first word may also carry a
//! proclitic that the stemmer leaves on short words (لحزب الله, لحرس الثورة: و ف, then ب ك ل, لل for
//! ال), as the words of a phrase after the first cannot. Candidates come from the word index: the
//! postings of the phrase's rarest stem, or of the first word in all its proclitic forms, whichever is
//! fewer. A phrase in Latin script is matched on the English side, word by word and case-insensitively,
//! by a scan, each word also in its plain inflections (drone: drones; strike: strikes, striked; carry:
//! carries), and such a hit says so (`inflected`). Newest units come first.

use std::ops::Range;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::store::index::IndexReader;
use crate::store::{self, Store};
use crate::text::{stem_of, tokenize, without_proclitics};
use crate::unit::language_fit;

/// One unit where the phrase occurs.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub id: i64,
    pub source: String,
    pub target: String,
    pub origin: Option<String>,
    /// Which text the spans are in.
    pub side: Side,
    /// Character offsets of each occurrence.
    pub spans: Vec<Range<usize>>,
    /// An English word of the phrase was found only in an inflected form (drones for drone).
    pub inflected: bool,
}

/// The side of a unit a phrase was found in (`side` in `tm concordance --json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The source text (an Arabic phrase).
    Source,
    /// The target text (a phrase in Latin script).
    Target,
}

/// Whether text is (mostly) Arabic script: the side a phrase is looked for in.
pub fn is_arabic(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c))
}

/// The occurrences of `phrase` in `store`, newest first, at most `limit`.
pub fn concordance(
    store: &Store,
    phrase: &str,
    src: &str,
    tgt: &str,
    limit: usize,
) -> store::Result<Vec<Hit>> {
    let err = |e| store::sqlite_error(store.path(), e);
    let arabic = is_arabic(phrase);
    let key = |norm: &str| -> String {
        if arabic {
            stem_of(norm).to_string()
        } else {
            norm.to_string()
        }
    };
    let words = tokenize(phrase);
    let wanted: Vec<String> = words.iter().map(|t| key(&t.norm)).collect();
    if wanted.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let first_norm = words[0].norm.clone();
    let conn = store.conn();
    let mut hits = Vec::new();
    let mut consider = |id: i64, source: String, target: String, origin: Option<String>| {
        let text = if arabic { &source } else { &target };
        let (spans, inflected) = find(text, &wanted, &first_norm, arabic);
        if !spans.is_empty() {
            hits.push(Hit {
                id,
                source,
                target,
                origin,
                side: if arabic { Side::Source } else { Side::Target },
                spans,
                inflected,
            });
        }
        hits.len() >= limit
    };
    let mut row = conn
        .prepare("SELECT source, target, origin, src_lang, tgt_lang FROM units WHERE id = ?1")
        .map_err(err)?;
    if arabic {
        // Every hit contains every stem of the phrase after the first, and the first in one of its
        // proclitic forms: read the postings of whichever is fewest.
        let reader = IndexReader::new(conn);
        let mut choices: Vec<(u64, Vec<u32>)> = Vec::new();
        let mut first: (u64, Vec<u32>) = (0, Vec::new());
        let mut forms = proclitic_forms(&first_norm);
        forms.extend(proclitic_forms(&wanted[0]));
        for form in forms {
            if let Some(k) = reader.word(&form).map_err(err)? {
                if !first.1.contains(&k.stem) {
                    first.0 += reader.postings_size(k.stem).map_err(err)?;
                    first.1.push(k.stem);
                }
            }
        }
        // The stem's own postings, as the stemmer files it (stem_of is not idempotent: الوساطه is
        // filed under وساطه, whose own stem would be another).
        if let Some(k) = reader.word(&wanted[0]).map_err(err)? {
            if !first.1.contains(&k.word) {
                first.0 += reader.postings_size(k.word).map_err(err)?;
                first.1.push(k.word);
            }
        }
        if first.1.is_empty() {
            return Ok(Vec::new());
        }
        choices.push(first);
        for stem in &wanted[1..] {
            let Some(k) = reader.word(stem).map_err(err)? else {
                return Ok(Vec::new());
            };
            choices.push((reader.postings_size(k.word).map_err(err)?, vec![k.word]));
        }
        choices.sort_by_key(|c| c.0);
        let mut ids: Vec<i64> = Vec::new();
        for stem in &choices[0].1 {
            ids.extend(
                reader
                    .postings(*stem)
                    .map_err(err)?
                    .into_iter()
                    .map(|p| p.0),
            );
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        for id in ids {
            let found = row
                .query_row(params![id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })
                .optional()
                .map_err(err)?;
            // A unit deleted since the index was read is passed over; a row that cannot be read is
            // an error (a damaged memory), never a hit silently left out.
            let Some((source, target, origin, s, t)) = found else {
                continue;
            };
            if language_fit(src, &s).is_some()
                && language_fit(tgt, &t).is_some()
                && consider(id, source, target, origin)
            {
                break;
            }
        }
    } else {
        let mut scan = conn
            .prepare(
                "SELECT id, source, target, origin, src_lang, tgt_lang FROM units ORDER BY id DESC",
            )
            .map_err(err)?;
        let mut rows = scan.query([]).map_err(err)?;
        while let Some(r) = rows.next().map_err(err)? {
            let (s, t): (String, String) = (r.get(4).map_err(err)?, r.get(5).map_err(err)?);
            if language_fit(src, &s).is_none() || language_fit(tgt, &t).is_none() {
                continue;
            }
            let done = consider(
                r.get(0).map_err(err)?,
                r.get(1).map_err(err)?,
                r.get(2).map_err(err)?,
                r.get(3).map_err(err)?,
            );
            if done {
                break;
            }
        }
    }
    Ok(hits)
}

/// Character ranges of the runs of words in `text` that are the phrase `wanted` (its keys: stems for
/// Arabic, lower-case words for English; `first` is its first word in matching form), in order, and
/// whether an English word was found inflected.
fn find(text: &str, wanted: &[String], first: &str, arabic: bool) -> (Vec<Range<usize>>, bool) {
    let tokens = tokenize(text);
    let chars = |byte: usize| text[..byte].chars().count();
    let mut out = Vec::new();
    let mut inflected = false;
    if tokens.len() < wanted.len() {
        return (out, inflected);
    }
    // How a word of the text matches a word of the phrase: Some(false) as it is, Some(true) through an
    // English inflection.
    let matches = |k: usize, token: &str| -> Option<bool> {
        if arabic {
            let stem = stem_of(token);
            // Only the proclitics a word can take, once each (كولكورونا is not ك + و + ل + كورونا).
            let first_with_clitic =
                k == 0 && without_proclitics(token).any(|f| f == wanted[0] || f == first);
            (stem == wanted[k] || first_with_clitic).then_some(false)
        } else if token == wanted[k] {
            Some(false)
        } else {
            is_inflection(token, &wanted[k]).then_some(true)
        }
    };
    for start in 0..=tokens.len() - wanted.len() {
        let mut any_inflected = false;
        let all = (0..wanted.len()).all(|k| match matches(k, &tokens[start + k].norm) {
            Some(i) => {
                any_inflected |= i;
                true
            }
            None => false,
        });
        if all {
            inflected |= any_inflected;
            let (a, b) = (
                tokens[start].span.start,
                tokens[start + wanted.len() - 1].span.end,
            );
            out.push(chars(a)..chars(b));
        }
    }
    (out, inflected)
}

/// A word (in matching form) and its forms with a leading conjunction (و ف) and preposition (ب ك ل): the
/// forms a phrase's first word may take in a text. ل before the article is written لل.
fn proclitic_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for conj in ["", "و", "ف"] {
        for prep in ["", "ب", "ك", "ل"] {
            if conj.is_empty() && prep.is_empty() {
                continue;
            }
            out.push(format!("{conj}{prep}{word}"));
            if prep == "ل" {
                if let Some(rest) = word.strip_prefix("ال") {
                    out.push(format!("{conj}لل{rest}"));
                }
            }
        }
    }
    out
}

/// Whether `word` is a plain English inflection of `base` (both lower case): -s, -es, -ies for -y, -ed,
/// -d after e, -ing (with a final e dropped), a doubled final consonant before -ed and -ing.
fn is_inflection(word: &str, base: &str) -> bool {
    if base.len() < 3 || !base.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let Some(ending) = word.strip_prefix(base).map(|e| e.to_string()).or_else(|| {
        // carry → carries, carried; strike → striking; plan → planned, planning
        let stem = base.strip_suffix('y').map(|s| format!("{s}i"));
        let dropped_e = base.strip_suffix('e');
        stem.and_then(|s| word.strip_prefix(&s).map(|e| format!("~{e}")))
            .or_else(|| {
                dropped_e
                    .and_then(|s| word.strip_prefix(s))
                    .filter(|e| *e == "ing")
                    .map(|e| e.to_string())
            })
    }) else {
        return false;
    };
    let last = base.as_bytes()[base.len() - 1];
    let doubled = |suffix: &str| {
        ending.len() == suffix.len() + 1
            && ending.as_bytes()[0] == last
            && ending.ends_with(suffix)
            && !b"aeiouwxy".contains(&last)
    };
    // -es only where English writes it: after s, x, z, ch, sh and o (plan: plans, not planes).
    let takes_es = ["s", "x", "z", "ch", "sh", "o"]
        .iter()
        .any(|e| base.ends_with(e));
    match ending.as_str() {
        "s" | "ed" | "ing" => true,
        "es" => takes_es,
        "d" => base.ends_with('e'),
        "~es" | "~ed" => true,
        _ => doubled("ed") || doubled("ing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Provenance;
    use crate::unit::{Segment, Unit};

    #[test]
    fn arabic_phrases_are_found_through_clitics_and_harakat() {
        let mut store = Store::in_memory().unwrap();
        for (ar, en) in [
            (
                "دعم المقاومة في لبنان",
                "support for the resistance in Lebanon",
            ),
            (
                "وأكد دعمه للمقاومةِ الإسلامية",
                "and affirmed his support for the Islamic resistance",
            ),
            ("اجتمع القادة في بغداد", "the leaders met in Baghdad"),
        ] {
            let unit = Unit::new("ar", "en", Segment::plain(ar), Segment::plain(en));
            store.add(unit, &Provenance::default()).unwrap();
        }
        let hits = concordance(&store, "المقاومة", "ar", "en", 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].id, 2, "newest first");
        let h = &hits[0];
        let marked: String = h
            .source
            .chars()
            .skip(h.spans[0].start)
            .take(h.spans[0].len())
            .collect();
        assert_eq!(marked, "للمقاومةِ");
        let hits = concordance(&store, "المقاومة الإسلامية", "ar", "en", 10).unwrap();
        assert_eq!(hits.len(), 1);

        let hits = concordance(&store, "Resistance", "ar", "en", 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].side, Side::Target);
        assert!(!hits[0].inflected);
        assert!(concordance(&store, "كلمة غائبة", "ar", "en", 10)
            .unwrap()
            .is_empty());
    }

    /// Issue 16, item 2: a proclitic on a phrase's first word (لحزب الله, لحرس الثورة), and English in
    /// its plain inflections, marked as such.
    #[test]
    fn a_phrases_first_word_takes_a_proclitic_and_english_its_inflections() {
        let mut store = Store::in_memory().unwrap();
        for (ar, en) in [
            ("أعلن حزب الله مسؤوليته", "Hizbullah claimed responsibility"),
            (
                "قدمت إيران دعما لحزب الله",
                "Iran gave support to Hizbullah",
            ),
            ("وحزب الله يرد", "And Hizbullah responds"),
            (
                "قصفت الطائرات مواقع لحرس الثورة",
                "Drones struck positions of the Guard",
            ),
            ("أطلقت طائرة مسيرة", "A drone was launched"),
            ("حزبية الله", "partisanship"),
        ] {
            let unit = Unit::new("ar", "en", Segment::plain(ar), Segment::plain(en));
            store.add(unit, &Provenance::default()).unwrap();
        }
        let ids = |phrase: &str| -> Vec<i64> {
            let mut ids: Vec<i64> = (concordance(&store, phrase, "ar", "en", 100).unwrap())
                .iter()
                .map(|h| h.id)
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(ids("حزب الله"), [1, 2, 3]);
        assert_eq!(ids("حرس الثورة"), [4]);
        let hits = concordance(&store, "drone", "ar", "en", 10).unwrap();
        let found: Vec<(i64, bool)> = hits.iter().map(|h| (h.id, h.inflected)).collect();
        assert_eq!(found, [(5, false), (4, true)]);
        for (word, base) in [
            ("drones", "drone"),
            ("strikes", "strike"),
            ("striking", "strike"),
            ("launched", "launch"),
            ("launches", "launch"),
            ("carries", "carry"),
            ("carried", "carry"),
            ("planned", "plan"),
            ("raided", "raid"),
        ] {
            assert!(is_inflection(word, base), "{word} / {base}");
        }
        for (word, base) in [
            ("ward", "war"),
            ("drones", "dr"),
            ("guardian", "guard"),
            ("planes", "plan"),
        ] {
            assert!(!is_inflection(word, base), "{word} / {base}");
        }
    }

    /// What the word index finds is exactly what reading every unit with the same rules finds, for
    /// phrases of one to three words from the sample memory and TICO-19, with a clitic put on the
    /// first word of some.
    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let mut store = Store::in_memory().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = ["tm/sample.tmx", "tests/fixtures/tico19/all.en-ar.tmx"].map(|f| {
            crate::store::ImportFile {
                path: root.join(f),
                format: crate::formats::Format::Tmx,
            }
        });
        store
            .import(
                &files,
                &crate::formats::ReadOptions::new("ar", "en"),
                &Default::default(),
                &|_| {},
            )
            .unwrap();
        let mut units: Vec<(i64, String, String)> = Vec::new();
        store
            .for_each_unit(&Default::default(), |id, u| {
                units.push((id, u.source.text, u.target.text));
                Ok::<(), crate::store::Error>(())
            })
            .unwrap();
        let mut phrases: Vec<String> = Vec::new();
        for (k, (_, source, target)) in units.iter().enumerate().step_by(97) {
            let words: Vec<&str> = source.split_whitespace().collect();
            let len = 1 + k % 3;
            if words.len() > len + 2 {
                let mut phrase = words[2..2 + len].join(" ");
                if k % 2 == 0 {
                    phrase.insert(0, 'ل');
                }
                phrases.push(phrase);
            }
            if let Some(w) = target.split_whitespace().nth(1) {
                phrases.push(w.to_string());
            }
        }
        assert!(phrases.len() > 60, "{}", phrases.len());
        for phrase in &phrases {
            let arabic = is_arabic(phrase);
            let words = tokenize(phrase);
            let wanted: Vec<String> = words
                .iter()
                .map(|t| {
                    if arabic {
                        stem_of(&t.norm).to_string()
                    } else {
                        t.norm.clone()
                    }
                })
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let first = &words[0].norm;
            let mut scanned: Vec<i64> = units
                .iter()
                .filter(|(_, s, t)| {
                    !find(if arabic { s } else { t }, &wanted, first, arabic)
                        .0
                        .is_empty()
                })
                .map(|u| u.0)
                .collect();
            scanned.sort_unstable_by(|a, b| b.cmp(a));
            let indexed: Vec<i64> = (concordance(&store, phrase, "ar", "en", usize::MAX).unwrap())
                .iter()
                .map(|h| h.id)
                .collect();
            assert_eq!(indexed, scanned, "{phrase}");
        }
    }
}
