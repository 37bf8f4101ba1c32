//! The word index that fuzzy lookup stands on, kept in the memory file beside the units.
//!
//! - `words`: every normalized word seen in a source segment, with an id, and the id of its stem (the word
//!   without proclitics and article; all numbers share the stem `#`).
//! - `units.words`: each unit's source as word ids (and stem ids where they differ), for scoring.
//! - `postings`: for each stem, the units that contain it with their length in words. Postings are written
//!   in *segments*, one per import (a few per `add`), so an import appends instead of rewriting lists;
//!   small segments are merged when there are more than [`MAX_SEGMENTS`]. A deleted unit stays in the
//!   postings until its segment is merged: lookups skip ids that no longer exist.
//!
//! Lookup reads only the postings of the rarest words of a query (see `fuzzy::search`), so its cost grows
//! with how rare the query's words are, not with the size of the memory.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::text::{stem_of, tokenize};

/// What matching needs of a word: its id in the memory's vocabulary, and the id of its stem (numbers
/// share one stem). The index files units under these; fuzzy scoring compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordKey {
    /// The word's id.
    pub word: u32,
    /// Its stem's id.
    pub stem: u32,
}

/// An import writes its postings as a segment after this many units (bounds its memory).
pub const SEGMENT_UNITS: u64 = 250_000;

/// More segments than this and the smallest are merged.
pub const MAX_SEGMENTS: usize = 8;

/// Words longer than this in a segment are stored as 255 in postings (only the length filter uses it).
const MAX_LEN: usize = 255;

/// The word ↔ id table, held in memory while an import assigns ids.
pub struct Vocab {
    ids: FxHashMap<String, WordKey>,
    next: u32,
    /// Words added since loading, to be written at the end of the import.
    new_words: Vec<(u32, String, u32)>,
}

impl Vocab {
    /// Loads the whole table (an import touches most of it anyway).
    pub fn load(conn: &Connection) -> rusqlite::Result<Vocab> {
        let mut ids = FxHashMap::default();
        let mut next = 1;
        let mut stmt = conn.prepare("SELECT id, token, stem FROM words")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let word: u32 = r.get(0)?;
            let stem: u32 = r.get(2)?;
            ids.insert(r.get::<_, String>(1)?, WordKey { word, stem });
            next = next.max(word + 1);
        }
        Ok(Vocab {
            ids,
            next,
            new_words: Vec::new(),
        })
    }

    /// Only the words (and stems) of one text, for adding a single unit without loading the whole table.
    pub fn for_text(conn: &Connection, text: &str) -> rusqlite::Result<Vocab> {
        let next: u32 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM words", [], |r| {
            r.get(0)
        })?;
        let mut ids = FxHashMap::default();
        let reader = IndexReader::new(conn);
        for token in tokenize(text) {
            for form in [token.norm.as_str(), stem_of(&token.norm)] {
                if let Some(key) = reader.word(form)? {
                    ids.insert(form.to_string(), key);
                }
            }
        }
        Ok(Vocab {
            ids,
            next,
            new_words: Vec::new(),
        })
    }

    /// The id and stem id of a normalized word, adding both to the vocabulary when new.
    pub fn key(&mut self, norm: &str) -> WordKey {
        if let Some(&k) = self.ids.get(norm) {
            return k;
        }
        let stem = stem_of(norm);
        let stem_id = if stem == norm {
            None
        } else {
            Some(self.key(stem).word)
        };
        let word = self.next;
        self.next += 1;
        let key = WordKey {
            word,
            stem: stem_id.unwrap_or(word),
        };
        self.ids.insert(norm.to_string(), key);
        self.new_words.push((word, norm.to_string(), key.stem));
        key
    }

    /// Writes the words added since loading.
    pub fn save(&mut self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut stmt = tx.prepare("INSERT INTO words (id, token, stem) VALUES (?1, ?2, ?3)")?;
        for (id, token, stem) in self.new_words.drain(..) {
            stmt.execute(params![id, token, stem])?;
        }
        Ok(())
    }
}

/// Encodes a unit's words for `units.words`.
pub fn encode_words(keys: &[WordKey]) -> Vec<u8> {
    let mut out = Vec::with_capacity(keys.len() * 3);
    for k in keys {
        let differs = k.stem != k.word;
        put_varint(&mut out, (u64::from(k.word) << 1) | u64::from(differs));
        if differs {
            put_varint(&mut out, u64::from(k.stem));
        }
    }
    out
}

/// Decodes `units.words`; `None` if the blob is damaged.
pub fn decode_words(mut blob: &[u8]) -> Option<Vec<WordKey>> {
    let mut out = Vec::with_capacity(blob.len() / 2);
    while !blob.is_empty() {
        let v = get_varint(&mut blob)?;
        let word = u32::try_from(v >> 1).ok()?;
        let stem = if v & 1 == 1 {
            u32::try_from(get_varint(&mut blob)?).ok()?
        } else {
            word
        };
        out.push(WordKey { word, stem });
    }
    Some(out)
}

/// Postings of one import, built in memory and written as one segment.
#[derive(Default)]
pub struct SegmentBuilder {
    lists: FxHashMap<u32, (i64, Vec<u8>)>,
    units: u64,
}

impl SegmentBuilder {
    /// Adds a unit (ids must arrive in increasing order) under each distinct stem of its words.
    pub fn add(&mut self, unit: i64, keys: &[WordKey]) {
        self.units += 1;
        let len = keys.len().min(MAX_LEN) as u8;
        // Each stem once. Sentences are short and a scan of the words before is cheapest; a segment of
        // a whole document (a 10 MB segment has a million words) needs a set, or this is quadratic.
        let mut seen = rustc_hash::FxHashSet::default();
        for (i, k) in keys.iter().enumerate() {
            let repeated = if keys.len() <= 64 {
                keys[..i].iter().any(|p| p.stem == k.stem)
            } else {
                !seen.insert(k.stem)
            };
            if repeated {
                continue;
            }
            let (last, bytes) = self.lists.entry(k.stem).or_insert((0, Vec::new()));
            put_varint(bytes, (unit - *last) as u64);
            bytes.push(len);
            *last = unit;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.units == 0
    }

    /// Units added so far: a large import writes a segment every [`SEGMENT_UNITS`] units, so that the
    /// postings held in memory stay bounded.
    pub fn units(&self) -> u64 {
        self.units
    }

    /// Writes the segment and merges segments if there are now too many.
    pub fn write(self, tx: &Transaction) -> rusqlite::Result<()> {
        self.write_segment(tx)?;
        merge_small_segments(tx)
    }

    /// Writes the segment only (an import merges once, at its end).
    pub fn write_segment(self, tx: &Transaction) -> rusqlite::Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        tx.execute("INSERT INTO segments (units) VALUES (?1)", [self.units])?;
        let segment = tx.last_insert_rowid();
        {
            let mut stmt =
                tx.prepare("INSERT INTO postings (segment, stem, units) VALUES (?1, ?2, ?3)")?;
            for (stem, (_, bytes)) in self.lists {
                stmt.execute(params![segment, stem, bytes])?;
            }
        }
        Ok(())
    }
}

/// Keeps the number of segments at most [`MAX_SEGMENTS`] by merging the smallest ones.
///
/// Size-tiered: only the smallest segments are rewritten, so frequent `add`s merge tiny segments cheaply
/// and a large import is rewritten only when other segments have grown as large.
fn merge_small_segments(tx: &Transaction) -> rusqlite::Result<()> {
    let mut segments: Vec<(i64, u64)> = tx
        .prepare("SELECT id, units FROM segments ORDER BY units, id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if segments.len() <= MAX_SEGMENTS {
        return Ok(());
    }
    segments.truncate(segments.len() - MAX_SEGMENTS / 2);
    let ids: Vec<i64> = segments.iter().map(|s| s.0).collect();
    let total: u64 = segments.iter().map(|s| s.1).sum();
    // stem → postings decoded from every merged segment
    let mut merged: HashMap<u32, Vec<(i64, u8)>> = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT stem, units FROM postings WHERE segment = ?1")?;
        for id in &ids {
            let mut rows = stmt.query([id])?;
            while let Some(r) = rows.next()? {
                let stem: u32 = r.get(0)?;
                let blob: Vec<u8> = r.get(1)?;
                merged
                    .entry(stem)
                    .or_default()
                    .extend(decode_postings(&blob));
            }
        }
    }
    for id in &ids {
        tx.execute("DELETE FROM postings WHERE segment = ?1", [id])?;
        tx.execute("DELETE FROM segments WHERE id = ?1", [id])?;
    }
    tx.execute("INSERT INTO segments (units) VALUES (?1)", [total])?;
    let segment = tx.last_insert_rowid();
    let mut stmt = tx.prepare("INSERT INTO postings (segment, stem, units) VALUES (?1, ?2, ?3)")?;
    for (stem, mut list) in merged {
        list.sort_unstable();
        list.dedup_by_key(|p| p.0);
        let mut bytes = Vec::with_capacity(list.len() * 3);
        let mut last = 0;
        for (unit, len) in list {
            put_varint(&mut bytes, (unit - last) as u64);
            bytes.push(len);
            last = unit;
        }
        stmt.execute(params![segment, stem, bytes])?;
    }
    Ok(())
}

/// Indexes every unit that has no words yet (units of a version-1 memory, or all after [`clear`]).
///
/// Returns how many units were indexed.
pub fn index_missing(tx: &Transaction) -> rusqlite::Result<u64> {
    let mut vocab = Vocab::load(tx)?;
    let mut segment = SegmentBuilder::default();
    let mut count = 0;
    {
        let mut select =
            tx.prepare("SELECT id, source FROM units WHERE words IS NULL ORDER BY id")?;
        let mut update = tx.prepare("UPDATE units SET words = ?2 WHERE id = ?1")?;
        let mut rows = select.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let source: String = r.get(1)?;
            let keys: Vec<WordKey> = tokenize(&source)
                .iter()
                .map(|t| vocab.key(&t.norm))
                .collect();
            update.execute(params![id, encode_words(&keys)])?;
            segment.add(id, &keys);
            count += 1;
        }
    }
    vocab.save(tx)?;
    segment.write(tx)?;
    Ok(count)
}

/// Drops the whole index, so that [`index_missing`] rebuilds it (after a change to normalization).
///
/// Segment ids never go back: the rebuilt index's segments come after every old one (an empty
/// segment holds the place). A reader that keeps postings it read up to some segment (`tm serve`'s
/// connections) then knows the index was rebuilt, and its stem ids with it, when no segment it read
/// is left.
pub fn clear(tx: &Transaction) -> rusqlite::Result<()> {
    let last: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM segments", [], |r| {
        r.get(0)
    })?;
    tx.execute_batch(
        "DELETE FROM postings; DELETE FROM segments; DELETE FROM words; DELETE FROM stale; UPDATE deleted SET id = 0;
         UPDATE units SET words = NULL;",
    )?;
    tx.execute(
        "INSERT INTO segments (id, units) VALUES (?1, 0)",
        [last + 1],
    )?;
    Ok(())
}

/// One segment's id and the (unit, length in words) pairs it files under a stem.
pub type SegmentPostings = (i64, Vec<(i64, u8)>);

/// Decodes one postings blob into (unit id, length in words); stops at a damaged tail.
pub fn decode_postings(mut blob: &[u8]) -> Vec<(i64, u8)> {
    let mut out = Vec::with_capacity(blob.len() / 2);
    let mut unit = 0i64;
    while let Some(delta) = get_varint(&mut blob) {
        let Some((&len, rest)) = blob.split_first() else {
            break;
        };
        blob = rest;
        unit += delta as i64;
        out.push((unit, len));
    }
    out
}

/// Read access to the index for lookups.
pub struct IndexReader<'c> {
    conn: &'c Connection,
}

impl<'c> IndexReader<'c> {
    pub fn new(conn: &'c Connection) -> IndexReader<'c> {
        IndexReader { conn }
    }

    /// The units whose postings may be out of date (see the `stale` table): their lengths there are
    /// not to be trusted. Empty in a memory older than the table (opened read-only, not upgraded).
    pub fn stale(&self) -> rusqlite::Result<rustc_hash::FxHashSet<i64>> {
        let mut stmt = match self.conn.prepare_cached("SELECT id FROM stale") {
            Ok(stmt) => stmt,
            Err(e) if e.to_string().contains("no such table") => return Ok(Default::default()),
            Err(e) => return Err(e),
        };
        let ids = stmt.query_map([], |r| r.get(0))?;
        ids.collect()
    }

    /// The id and stem id of a normalized word, if the memory has seen it.
    pub fn word(&self, norm: &str) -> rusqlite::Result<Option<WordKey>> {
        self.conn
            .prepare_cached("SELECT id, stem FROM words WHERE token = ?1")?
            .query_row([norm], |r| {
                Ok(WordKey {
                    word: r.get(0)?,
                    stem: r.get(1)?,
                })
            })
            .optional()
    }

    /// How many bytes of postings a stem has: its rarity, without reading the lists.
    pub fn postings_size(&self, stem: u32) -> rusqlite::Result<u64> {
        self.conn
            .prepare_cached("SELECT coalesce(sum(length(units)), 0) FROM postings WHERE stem = ?1")?
            .query_row([stem], |r| r.get(0))
    }

    /// The newest segment's id (0 for none), and how many segments are at or below `upto`.
    pub fn segments_since(&self, upto: i64) -> rusqlite::Result<(i64, u64)> {
        self.conn
            .prepare_cached(
                "SELECT coalesce(max(id), 0), (SELECT count(*) FROM segments WHERE id <= ?1) FROM segments",
            )?
            .query_row([upto], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// The (unit, length) pairs filed under a stem in segments after `after`.
    pub fn postings_after(&self, stem: u32, after: i64) -> rusqlite::Result<Vec<(i64, u8)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT units FROM postings WHERE stem = ?1 AND segment > ?2")?;
        let mut rows = stmt.query(params![stem, after])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.extend(decode_postings(r.get_ref(0)?.as_blob()?));
        }
        Ok(out)
    }

    /// The index's segments, (id, units), by id.
    pub fn segments(&self) -> rusqlite::Result<Vec<(i64, i64)>> {
        self.conn
            .prepare_cached("SELECT id, units FROM segments ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// The (unit, length) pairs filed under a stem, one list per segment up to `upto`, by segment.
    pub fn postings_by_segment(
        &self,
        stem: u32,
        upto: i64,
    ) -> rusqlite::Result<Vec<SegmentPostings>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT segment, units FROM postings WHERE stem = ?1 AND segment <= ?2 ORDER BY segment",
        )?;
        let mut rows = stmt.query(params![stem, upto])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.get(0)?, decode_postings(r.get_ref(1)?.as_blob()?)));
        }
        Ok(out)
    }

    /// Every (unit, length) filed under a stem, across segments.
    pub fn postings(&self, stem: u32) -> rusqlite::Result<Vec<(i64, u8)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT units FROM postings WHERE stem = ?1")?;
        let mut rows = stmt.query([stem])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let blob = r.get_ref(0)?.as_blob()?;
            out.extend(decode_postings(blob));
        }
        Ok(out)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(blob: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = blob.split_first()?;
        *blob = rest;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_blob_round_trips() {
        let keys = vec![
            WordKey { word: 1, stem: 1 },
            WordKey { word: 300, stem: 7 },
            WordKey {
                word: 70000,
                stem: 70000,
            },
        ];
        assert_eq!(decode_words(&encode_words(&keys)), Some(keys));
        assert_eq!(decode_words(&[0x80]), None, "a damaged blob is refused");
    }

    #[test]
    fn postings_keep_each_unit_once_per_stem() {
        let mut b = SegmentBuilder::default();
        let k = |word, stem| WordKey { word, stem };
        b.add(3, &[k(1, 1), k(2, 1), k(5, 5)]);
        b.add(900, &[k(5, 5)]);
        let (_, bytes) = &b.lists[&5];
        assert_eq!(decode_postings(bytes), [(3, 3), (900, 1)]);
        assert_eq!(decode_postings(&b.lists[&1].1), [(3, 3)]);
    }
}
