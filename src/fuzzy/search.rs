//! Finding the closest stored segments: candidates from the word index, then exact scores.
//!
//! A stored segment of `m` words can score at least `min` against a query of `n` words only if they share
//! at least `⌈min/100 · max(n, m)⌉` words by stem (every other word costs at least 1, see
//! `score`), and only if `m` lies within `[min/100 · n, 100/min · n]`. So a candidate must contain
//! at least one of the query's rarest stems, enough of them to cover `n − t + 1` query words
//! (prefix filtering). Only those stems' postings are read; the more common stems' postings are read too
//! when they are small, to tighten each candidate's bound. Candidates are then scored exactly, best bound
//! first, until no remaining candidate can beat the results already found.
//!
//! The search is exact with respect to the score: every unit that scores at least `min` is a candidate,
//! whatever its words (`exhaustive` in the tests and benchmarks checks this).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::FxHashMap;

use super::score::{self, distance, max_distance};
use super::LookupOptions;
use crate::store::index::{decode_words, IndexReader};
use crate::store::WordKey;
use crate::text::{stem_of, tokenize, Token};
use crate::unit::language_fit;

/// Postings larger than this (bytes) are not read just to tighten bounds.
const TIGHTEN_LIMIT: u64 = 256 * 1024;

/// The largest word-by-word comparison (query words × stored words) scored exactly. Sentences are far
/// below it (2,000 words against 2,000); a pair of whole documents pasted as segments is above, and is
/// found only when identical word for word, which costs a linear comparison. Without the cap, a 10 MB
/// query against a 10 MB segment was a dynamic programme of 10¹² cells.
pub(crate) const MAX_CELLS: usize = 4_000_000;

/// A query, resolved against the index once.
pub struct Query {
    /// The query as given.
    pub(crate) text: String,
    /// Its words.
    pub(crate) tokens: Vec<Token>,
    /// Each word's key in the memory's vocabulary (unseen words get keys of their own).
    pub(crate) keys: Vec<WordKey>,
}

impl Query {
    /// Tokenizes `text` and looks its words up. Words the memory has never seen get ids of their own,
    /// which match nothing; their stems may still be known (an unseen `وللمقاومة` has the stem `مقاومه`).
    pub fn new(conn: &Connection, text: &str) -> rusqlite::Result<Query> {
        let reader = IndexReader::new(conn);
        let tokens = tokenize(text);
        let mut keys = Vec::with_capacity(tokens.len());
        let mut unknown: HashMap<&str, u32> = HashMap::new();
        for t in &tokens {
            let key = match reader.word(&t.norm)? {
                Some(k) => k,
                None => {
                    let next = u32::MAX - unknown.len() as u32;
                    let word = *unknown.entry(t.norm.as_str()).or_insert(next);
                    let stem = match reader.word(stem_of(&t.norm))? {
                        Some(k) => k.word,
                        None => {
                            let next = u32::MAX - unknown.len() as u32;
                            *unknown.entry(stem_of(&t.norm)).or_insert(next)
                        }
                    };
                    WordKey { word, stem }
                }
            };
            keys.push(key);
        }
        Ok(Query {
            text: text.to_string(),
            tokens,
            keys,
        })
    }
}

/// A unit that scored at least the threshold.
#[derive(Clone, Debug)]
pub struct Scored {
    /// The unit's id in the memory.
    pub id: i64,
    /// Its score against the query, 0 to 100, after its origin's penalty.
    pub score: u8,
    /// The points its origin's penalty took off.
    pub(crate) penalty: u8,
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) origin: Option<String>,
    pub(crate) changed: String,
    pub(crate) use_count: i64,
    /// The matching-form hashes of the unit's neighbours in its document, for context matches.
    pub(crate) prev_hash: Option<i64>,
    pub(crate) next_hash: Option<i64>,
    /// How far its languages are from the query's ([`language_fit`], both sides added): at equal
    /// scores, the same region first.
    pub(crate) language_fit: u8,
}

/// A small cache of decoded postings, so a batch of lookups reads each common list once.
///
/// Kept across commits by [`PostingsCache::advance`] (`tm serve` keeps one per read connection): the
/// index only grows by new segments, so a list read up to one segment is brought up to date by
/// reading the stem's postings in later segments. A unit may then come twice in a list (a merge
/// rewrites small segments into a new one), which only loosens the bound on its score; a deleted unit
/// stays until its segment is merged, as it does on disk, and lookups skip it.
#[derive(Default)]
pub(crate) struct PostingsCache {
    lists: FxHashMap<u32, Cached>,
    entries: usize,
    /// Units whose postings may be out of date (edited in place): read once per batch.
    stale: Option<rustc_hash::FxHashSet<i64>>,
    /// The newest segment when the memory was last seen to change; lists are complete up to it.
    upto: i64,
    /// Bumped at each [`PostingsCache::advance`]: a list of an older generation is brought up to date.
    generation: u64,
}

struct Cached {
    list: std::sync::Arc<Vec<(i64, u8)>>,
    /// The segment up to which `list` is complete.
    upto: i64,
    generation: u64,
}

/// Cap on cached postings entries (16 bytes each).
const CACHE_ENTRIES: usize = 4_000_000;

impl PostingsCache {
    /// Something was committed to the memory since the lists were read: new segments are read into
    /// each list when it is next used, and the edited units again. When no segment the lists were
    /// read from is left (a rebuilt index: its segments all come after the old ones, see
    /// `store::index::clear`), the lists are dropped: kept, they would only add wrong candidates,
    /// which scoring turns away, at a cost.
    pub(crate) fn advance(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let (newest, kept) = IndexReader::new(conn).segments_since(self.upto)?;
        if kept == 0 || newest < self.upto {
            self.lists.clear();
            self.entries = 0;
        }
        self.upto = newest;
        self.generation += 1;
        self.stale = None;
        Ok(())
    }

    fn get(
        &mut self,
        reader: &IndexReader,
        stem: u32,
    ) -> rusqlite::Result<std::sync::Arc<Vec<(i64, u8)>>> {
        if let Some(cached) = self.lists.get_mut(&stem) {
            if cached.generation != self.generation {
                let newer = reader.postings_after(stem, cached.upto)?;
                if !newer.is_empty() {
                    let mut list = Vec::with_capacity(cached.list.len() + newer.len());
                    list.extend_from_slice(&cached.list);
                    list.extend(newer.iter().copied());
                    self.entries += newer.len();
                    cached.list = std::sync::Arc::new(list);
                }
                cached.upto = self.upto;
                cached.generation = self.generation;
            }
            return Ok(cached.list.clone());
        }
        let list = std::sync::Arc::new(reader.postings(stem)?);
        if self.entries + list.len() > CACHE_ENTRIES {
            self.lists.clear();
            self.entries = 0;
        }
        self.entries += list.len();
        self.lists.insert(
            stem,
            Cached {
                list: list.clone(),
                upto: self.upto,
                generation: self.generation,
            },
        );
        Ok(list)
    }
}

/// Every unit scoring at least `opts.min`, best first, cut to `opts.top` distinct sources.
pub(crate) fn search(
    conn: &Connection,
    query: &Query,
    opts: &LookupOptions,
    cache: &mut PostingsCache,
) -> rusqlite::Result<Vec<Scored>> {
    let n = query.keys.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let reader = IndexReader::new(conn);
    let min = opts.min.max(1);
    // Query words per stem, and each known stem's rarity.
    let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
    let mut per_stem: Vec<(u32, usize, u64)> = Vec::new();
    for k in &query.keys {
        let count = counts.entry(k.stem).or_insert(0);
        if *count == 0 {
            per_stem.push((k.stem, 0, 0));
        }
        *count += 1;
    }
    for s in per_stem.iter_mut() {
        s.1 = counts[&s.0];
    }
    for s in per_stem.iter_mut() {
        s.2 = reader.postings_size(s.0)?;
    }
    per_stem.retain(|s| s.2 > 0);
    per_stem.sort_by_key(|s| s.2);
    let known: usize = per_stem.iter().map(|s| s.1).sum();
    // Overlap needed when the stored segment is no longer than the query.
    let needed = (usize::from(min) * n).div_ceil(100);
    if known < needed {
        return Ok(Vec::new());
    }
    let (min_len, max_len) = (needed, (100 * n) / usize::from(min));

    // Prefix: the rarest stems covering known − needed + 1 query words.
    let mut covered = 0;
    let split = per_stem
        .iter()
        .position(|s| {
            covered += s.1;
            covered > known - needed
        })
        .map_or(per_stem.len(), |i| i + 1);
    let mut candidates: FxHashMap<i64, (usize, u8)> = FxHashMap::default();
    if cache.stale.is_none() {
        cache.stale = Some(reader.stale()?);
    }
    let stale = cache.stale.take().unwrap_or_default();
    for &(stem, count, _) in &per_stem[..split] {
        for &(unit, len) in cache.get(&reader, stem)?.iter() {
            // An edited unit's old postings give its old length: not a reason to pass it over.
            let len_ok = (min_len..=max_len).contains(&usize::from(len))
                || len == 255
                || stale.contains(&unit);
            if len_ok {
                candidates.entry(unit).or_insert((0, len)).0 += count;
            }
        }
    }
    let mut unread = 0;
    for &(stem, count, size) in &per_stem[split..] {
        if size > TIGHTEN_LIMIT {
            unread += count;
            continue;
        }
        for &(unit, _) in cache.get(&reader, stem)?.iter() {
            if let Some(c) = candidates.get_mut(&unit) {
                c.0 += count;
            }
        }
    }

    // Upper bound on each candidate's score from its shared words.
    let mut ranked: Vec<(u8, i64, u8)> = candidates
        .into_iter()
        .filter_map(|(unit, (shared, len))| {
            // An edited unit's postings may be of its old text: no bound, its score is computed.
            if stale.contains(&unit) {
                return Some((100, unit, len));
            }
            // A length of 255 means "255 words or more": the bound takes the length that favours the
            // candidate most. (Taken as 255, a segment of more than ~365 words could never match, not
            // even itself.)
            let m = match usize::from(len) {
                255 => n.max(255),
                m => m,
            };
            let longer = n.max(m);
            let shared = (shared + unread).min(n.min(m));
            let best = score::score(2 * (longer - shared) as u32, n, m);
            (best >= min).then_some((best, unit, len))
        })
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    cache.stale = Some(stale);

    let mut stmt = conn.prepare_cached(
        "SELECT source, target, src_lang, tgt_lang, words, origin, changed, use_count, prev_hash,
                next_hash
         FROM units WHERE id = ?1",
    )?;
    let mut found: Vec<Scored> = Vec::new();
    for (bound, unit, _) in ranked {
        if found.len() >= opts.top {
            // Scores of the `top`-th distinct source; nothing below it can enter.
            let floor = kth_distinct_score(&found, opts.top);
            if bound < floor {
                break;
            }
        }
        let row = stmt
            .query_row(params![unit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<Vec<u8>>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                ))
            })
            .optional()?;
        // Deleted since it was indexed.
        let Some((source, target, src, tgt, words, origin, changed, use_count, prev, next)) = row
        else {
            continue;
        };
        let (Some(src_fit), Some(tgt_fit)) =
            (language_fit(&opts.src, &src), language_fit(&opts.tgt, &tgt))
        else {
            continue;
        };
        let Some(keys) = words.as_deref().and_then(decode_words) else {
            continue;
        };
        let d = if keys == query.keys {
            0
        } else if n.saturating_mul(keys.len()) > MAX_CELLS {
            continue;
        } else {
            let limit = max_distance(min, n, keys.len());
            let Some(d) = distance(&query.keys, &keys, limit) else {
                continue;
            };
            d
        };
        // A penalized origin's match ranks, and is cut, by its score after the penalty; the bound
        // above is of the score before it, so it still bounds.
        let penalty = opts.penalty_for(origin.as_deref());
        let score = score::score(d, n, keys.len()).saturating_sub(penalty);
        if score < min {
            continue;
        }
        found.push(Scored {
            id: unit,
            score,
            penalty,
            source,
            target,
            origin,
            changed,
            use_count,
            prev_hash: prev,
            next_hash: next,
            language_fit: src_fit + tgt_fit,
        });
        found.sort_by(best_first);
    }
    Ok(cut_to_top(found, opts.top))
}

/// Higher scores first; at equal scores the languages closer to the query's, then the newer unit.
fn best_first(a: &Scored, b: &Scored) -> std::cmp::Ordering {
    b.score
        .cmp(&a.score)
        .then(a.language_fit.cmp(&b.language_fit))
        .then(b.id.cmp(&a.id))
}

/// The score of the `k`-th distinct source among `found` (sorted best first), or 0.
fn kth_distinct_score(found: &[Scored], k: usize) -> u8 {
    let mut sources: Vec<&str> = Vec::new();
    for s in found {
        if !sources.contains(&s.source.as_str()) {
            sources.push(&s.source);
            if sources.len() == k {
                return s.score;
            }
        }
    }
    0
}

/// Keeps the best `top` distinct sources and every unit (translation) of each.
fn cut_to_top(found: Vec<Scored>, top: usize) -> Vec<Scored> {
    let mut sources: Vec<String> = Vec::new();
    for s in &found {
        if !sources.contains(&s.source) {
            if sources.len() == top {
                break;
            }
            sources.push(s.source.clone());
        }
    }
    found
        .into_iter()
        .filter(|s| sources.contains(&s.source))
        .collect()
}

/// Scores every unit of the memory: the reference that the index search must agree with (tests and
/// recall measurement). Slow by design.
pub fn exhaustive(
    conn: &Connection,
    query: &Query,
    opts: &LookupOptions,
) -> rusqlite::Result<Vec<Scored>> {
    let n = query.keys.len();
    let mut found = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, source, target, src_lang, tgt_lang, words, origin, changed, use_count FROM units",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (src, tgt): (String, String) = (r.get(3)?, r.get(4)?);
        let (Some(src_fit), Some(tgt_fit)) =
            (language_fit(&opts.src, &src), language_fit(&opts.tgt, &tgt))
        else {
            continue;
        };
        let words: Option<Vec<u8>> = r.get(5)?;
        let Some(keys) = words.as_deref().and_then(decode_words) else {
            continue;
        };
        let d = distance(&query.keys, &keys, u32::MAX).unwrap_or(u32::MAX);
        let origin: Option<String> = r.get(6)?;
        let penalty = opts.penalty_for(origin.as_deref());
        let score = score::score(d, n, keys.len()).saturating_sub(penalty);
        if score >= opts.min.max(1) {
            found.push(Scored {
                id: r.get(0)?,
                score,
                penalty,
                source: r.get(1)?,
                target: r.get(2)?,
                origin,
                changed: r.get(7)?,
                use_count: r.get(8)?,
                prev_hash: None,
                next_hash: None,
                language_fit: src_fit + tgt_fit,
            });
        }
    }
    found.sort_by(best_first);
    Ok(cut_to_top(found, opts.top))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Format, ReadOptions};
    use crate::store::{ImportFile, Store};

    fn memory() -> Store {
        let mut store = Store::in_memory().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = [
            ImportFile {
                path: root.join("tm/sample.tmx"),
                format: Format::Tmx,
            },
            ImportFile {
                path: root.join("tests/fixtures/tico19/all.en-ar.tmx"),
                format: Format::Tmx,
            },
        ];
        store
            .import(
                &files,
                &ReadOptions::new("ar", "en"),
                &Default::default(),
                &|_| {},
            )
            .unwrap();
        store
    }

    /// Edited copies of stored segments: a word dropped, a word replaced, a conjunction glued on.
    fn queries(store: &Store) -> Vec<String> {
        let mut sources = Vec::new();
        store
            .for_each_unit(&Default::default(), |id, u| {
                if id % 41 == 0 {
                    sources.push(u.source.text);
                }
                Ok::<(), crate::store::Error>(())
            })
            .unwrap();
        let mut out = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            let words: Vec<&str> = s.split_whitespace().collect();
            let k = i % words.len().max(1);
            let mut edited = words.clone();
            match i % 4 {
                0 if words.len() > 1 => {
                    edited.remove(k);
                }
                1 => edited[k] = "الميليشيات",
                2 => {
                    let glued = format!("و{}", words[k]);
                    out.push(
                        words
                            .iter()
                            .enumerate()
                            .map(|(j, w)| if j == k { glued.as_str() } else { w })
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    continue;
                }
                _ => edited.insert(k, "أمس"),
            }
            out.push(edited.join(" "));
        }
        out
    }

    #[test]
    fn index_search_finds_exactly_what_an_exhaustive_scan_finds() {
        let store = memory();
        let conn = store.conn();
        let qs = queries(&store);
        assert!(qs.len() > 60, "{}", qs.len());
        let mut cache = PostingsCache::default();
        let mut nonempty = 0;
        for min in [50u8, 70, 90] {
            let opts = LookupOptions {
                min,
                top: 5,
                src: "ar".into(),
                tgt: "en".into(),
                penalties: Vec::new(),
            };
            for q in &qs {
                let query = Query::new(conn, q).unwrap();
                let fast: Vec<(i64, u8)> = search(conn, &query, &opts, &mut cache)
                    .unwrap()
                    .iter()
                    .map(|s| (s.id, s.score))
                    .collect();
                let slow: Vec<(i64, u8)> = exhaustive(conn, &query, &opts)
                    .unwrap()
                    .iter()
                    .map(|s| (s.id, s.score))
                    .collect();
                assert_eq!(fast, slow, "min {min}, query {q}");
                nonempty += usize::from(!fast.is_empty());
            }
        }
        assert!(
            nonempty > qs.len() * 2,
            "most edited queries find their original"
        );
    }

    #[test]
    fn a_clitic_costs_half_a_word() {
        let store = memory();
        let conn = store.conn();
        let query = Query::new(conn, "وحزب الله").unwrap();
        let opts = LookupOptions {
            min: 50,
            top: 3,
            src: "ar".into(),
            tgt: "en".into(),
            penalties: Vec::new(),
        };
        let found = search(conn, &query, &opts, &mut PostingsCache::default()).unwrap();
        assert_eq!(found[0].source, "حزب الله");
        assert_eq!(found[0].score, 75, "0.5 over 2 words");
    }
}
