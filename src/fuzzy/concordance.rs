//! Concordance: where a word or phrase occurs in the memory, in either language.
//!
//! An Arabic phrase is matched word by word on stems, so `المقاومة` also finds `والمقاومة` and
//! `للمقاومة`, and harakat or letter forms never get in the way; candidates come from the word index (the
//! postings of the phrase's rarest stem). A phrase in Latin script is matched on the English side, word by
//! word and case-insensitively, by a scan. Newest units come first.

use std::ops::Range;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::tokens::{stem_of, tokenize};
use crate::store::index::IndexReader;
use crate::store::{self, Store};
use crate::unit::language_fit;

/// One unit where the phrase occurs.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub id: i64,
    pub source: String,
    pub target: String,
    pub origin: Option<String>,
    /// Which text the spans are in: `source` or `target`.
    pub side: &'static str,
    /// Character offsets of each occurrence.
    pub spans: Vec<Range<usize>>,
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
    let wanted: Vec<String> = tokenize(phrase).iter().map(|t| key(&t.norm)).collect();
    if wanted.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let conn = store.conn();
    let mut hits = Vec::new();
    let mut consider = |id: i64, source: String, target: String, origin: Option<String>| {
        let text = if arabic { &source } else { &target };
        let spans = find(text, &wanted, &key);
        if !spans.is_empty() {
            hits.push(Hit {
                id,
                source,
                target,
                origin,
                side: if arabic { "source" } else { "target" },
                spans,
            });
        }
        hits.len() >= limit
    };
    let mut row = conn
        .prepare("SELECT source, target, origin, src_lang, tgt_lang FROM units WHERE id = ?1")
        .map_err(err)?;
    if arabic {
        // Every hit contains every stem of the phrase: read the postings of the rarest.
        let reader = IndexReader::new(conn);
        let mut rarest: Option<(u64, u32)> = None;
        for stem in &wanted {
            let Some(k) = reader.word(stem).map_err(err)? else {
                return Ok(Vec::new());
            };
            let size = reader.postings_size(k.word).map_err(err)?;
            if rarest.is_none_or(|(s, _)| size < s) {
                rarest = Some((size, k.word));
            }
        }
        let Some((_, stem)) = rarest else {
            return Ok(Vec::new());
        };
        let mut ids: Vec<i64> = reader
            .postings(stem)
            .map_err(err)?
            .into_iter()
            .map(|p| p.0)
            .collect();
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

/// Character ranges of the runs of words in `text` whose keys are `wanted`, in order.
fn find(text: &str, wanted: &[String], key: &dyn Fn(&str) -> String) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    let keys: Vec<String> = tokens.iter().map(|t| key(&t.norm)).collect();
    let chars = |byte: usize| text[..byte].chars().count();
    let mut out = Vec::new();
    if keys.len() < wanted.len() {
        return out;
    }
    for start in 0..=keys.len() - wanted.len() {
        if keys[start..start + wanted.len()] == *wanted {
            let (a, b) = (
                tokens[start].span.start,
                tokens[start + wanted.len() - 1].span.end,
            );
            out.push(chars(a)..chars(b));
        }
    }
    out
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
        assert_eq!(hits[0].side, "target");
        assert!(concordance(&store, "كلمة غائبة", "ar", "en", 10)
            .unwrap()
            .is_empty());
    }
}
