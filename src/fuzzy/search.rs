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
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// (unit, length in words) pairs, as the index files them under a stem.
type Run = Arc<Vec<(i64, u8)>>;

/// One stem's postings as read from the index: runs in the order they were read, each complete for
/// the segments it was read for (see [`PostingsCache`]).
#[derive(Default)]
pub(crate) struct Postings {
    /// Each run with the newest segment it was read up to; a run covers the segments after the one
    /// before it.
    runs: Vec<(i64, Run)>,
}

impl Postings {
    fn entries(&self) -> usize {
        self.runs.iter().map(|r| r.1.len()).sum()
    }

    /// The (unit, length) pairs, run by run.
    fn runs(&self) -> impl Iterator<Item = &[(i64, u8)]> {
        self.runs.iter().map(|r| r.1.as_slice())
    }
}

/// The decoded postings that lookups read, kept for the next lookups: a batch on the command line
/// reads each common list once, and `tm serve` keeps one cache for all its read connections.
///
/// Kept across commits by [`PostingsCache::advance`]. The index only changes by new segments (an
/// import, an add, an edit), by merges of small segments, and by a rebuild. New segments are read
/// into a list when it is next used (a list knows up to which segment it is complete). A merge
/// deletes the smallest segments and writes one in their place, under the lowest id free above the
/// segments it kept (SQLite's rowids), so ids come back: `advance` compares the segments (id and
/// units) with those it saw last and keeps of each list only what was read of the segments below the
/// first difference, which no merge in between can have touched (see `first_change`); the rest is
/// read again. A rebuilt index has none of the old segments, and other stem ids: every list goes.
///
/// A list read at the same time as a commit may hold postings of segments newer than it claims; a
/// unit may then come twice in a list, which only loosens the bound on its score. A deleted unit
/// stays until its segment is merged, as it does on disk, and lookups skip it. A list read while
/// `advance` changed what is kept is not kept (the `epoch` moved): it may be of segments since
/// rewritten.
pub(crate) struct PostingsCache {
    state: Mutex<CacheState>,
    /// Entries kept (16 bytes each) before the lists are dropped and read again.
    capacity: usize,
    /// One `advance` at a time, each reading the memory after the one before it: what they leave
    /// only moves forward.
    advancing: Mutex<()>,
}

struct CacheState {
    lists: FxHashMap<u32, Cached>,
    entries: usize,
    /// The segments (id, units) when the memory was last looked at; `None` until [`PostingsCache::advance`]
    /// first runs (a batch lookup never calls it, and reads each list whole).
    segments: Option<Vec<(i64, i64)>>,
    /// The newest segment then: a list complete up to it is current (`i64::MAX` until `advance`).
    upto: i64,
    /// Moves when `advance` drops what lists hold: a list read before is then not kept.
    epoch: u64,
    /// Units whose postings may be out of date (edited in place), read with the segments.
    stale: Option<Arc<FxHashSet<i64>>>,
    /// Moves at each `advance`: a stale set read before it is not kept.
    generation: u64,
}

struct Cached {
    list: Arc<Postings>,
    /// The segment up to which `list` is complete.
    upto: i64,
}

impl Default for PostingsCache {
    fn default() -> Self {
        PostingsCache::with_capacity(CACHE_ENTRIES)
    }
}

impl PostingsCache {
    /// A cache that keeps up to `entries` postings (16 bytes each) before it drops its lists.
    pub(crate) fn with_capacity(entries: usize) -> PostingsCache {
        PostingsCache {
            capacity: entries,
            state: Mutex::new(CacheState {
                lists: FxHashMap::default(),
                entries: 0,
                segments: None,
                upto: i64::MAX,
                epoch: 0,
                stale: None,
                generation: 0,
            }),
            advancing: Mutex::new(()),
        }
    }
}

/// Cap on cached postings entries (16 bytes each) of a batch lookup.
const CACHE_ENTRIES: usize = 4_000_000;

impl PostingsCache {
    fn state(&self) -> MutexGuard<'_, CacheState> {
        // Nothing is left half done under the lock (inserts and removals of whole lists).
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Something may have been committed to the memory since the lists were read (`tm serve` calls
    /// this when a connection's `data_version` moves): new segments are read into each list when it
    /// is next used, what a merge or a rebuild rewrote is dropped, and the edited units are read
    /// again.
    pub(crate) fn advance(&self, conn: &Connection) -> rusqlite::Result<()> {
        let _one = self.advancing.lock().unwrap_or_else(|p| p.into_inner());
        let segments = IndexReader::new(conn).segments()?;
        // After the segments: a unit edited since is then in the set even if its segment is not.
        let stale = Arc::new(IndexReader::new(conn).stale()?);
        // None of the segments seen last is left: the index was rebuilt, with other stem ids.
        // (Only `advance` changes `segments`, and it runs one at a time.)
        let last_seen = self
            .state()
            .segments
            .as_ref()
            .map(|s| s.last().map(|s| s.0));
        let rebuilt = match last_seen {
            Some(Some(newest)) => IndexReader::new(conn).segments_since(newest)?.1 == 0,
            _ => false,
        };
        let mut st = self.state();
        let keep_below = match &st.segments {
            None => Some(i64::MIN),
            Some(_) if rebuilt => Some(i64::MIN),
            Some(old) => first_change(old, &segments),
        };
        if let Some(below) = keep_below {
            st.epoch += 1;
            let st = &mut *st;
            let mut dropped = 0;
            st.lists.retain(|_, cached| {
                if cached.upto < below {
                    return true;
                }
                dropped += cached.list.entries();
                let runs: Vec<_> = cached
                    .list
                    .runs
                    .iter()
                    .take_while(|r| r.0 < below)
                    .cloned()
                    .collect();
                if runs.is_empty() {
                    return false;
                }
                let list = Postings { runs };
                dropped -= list.entries();
                *cached = Cached {
                    list: Arc::new(list),
                    upto: below - 1,
                };
                true
            });
            st.entries -= dropped;
        }
        st.upto = segments.last().map_or(0, |s| s.0);
        st.segments = Some(segments);
        st.stale = Some(stale);
        st.generation += 1;
        Ok(())
    }

    /// The units whose postings may be out of date.
    fn stale(&self, reader: &IndexReader) -> rusqlite::Result<Arc<FxHashSet<i64>>> {
        let generation = {
            let st = self.state();
            if let Some(stale) = &st.stale {
                return Ok(stale.clone());
            }
            st.generation
        };
        let stale = Arc::new(reader.stale()?);
        let mut st = self.state();
        if st.generation == generation && st.stale.is_none() {
            st.stale = Some(stale.clone());
        }
        Ok(stale)
    }

    /// A stem's postings, complete up to the newest segment `advance` saw.
    fn get(&self, conn: &Connection, stem: u32) -> rusqlite::Result<Arc<Postings>> {
        let (had, upto, epoch) = {
            let st = self.state();
            match st.lists.get(&stem) {
                Some(cached) if cached.upto >= st.upto => return Ok(cached.list.clone()),
                Some(cached) => (Some((cached.list.clone(), cached.upto)), st.upto, st.epoch),
                None => (None, st.upto, st.epoch),
            }
        };
        // The lock is not held while SQLite reads: other lookups go on with their lists.
        let list = match had {
            Some((list, from)) => {
                let mut runs = list.runs.clone();
                let newer = IndexReader::new(conn).postings_after(stem, from)?;
                if !newer.is_empty() {
                    runs.push((upto, Arc::new(newer)));
                }
                Postings { runs }
            }
            None => whole_list(conn, stem, upto)?,
        };
        let list = Arc::new(list);
        let mut st = self.state();
        if st.epoch == epoch {
            let old = match st.lists.get(&stem) {
                Some(cached) if cached.upto >= upto => return Ok(list),
                Some(cached) => cached.list.entries(),
                None => 0,
            };
            let new = list.entries();
            if st.entries - old + new > self.capacity {
                st.lists.clear();
                st.entries = 0;
            } else {
                st.entries -= old;
            }
            st.entries += new;
            st.lists.insert(
                stem,
                Cached {
                    list: list.clone(),
                    upto,
                },
            );
        }
        Ok(list)
    }
}

/// Every (unit, length) filed under a stem in segments up to `upto`, a run per segment, so that a
/// merge of the small segments leaves the runs of the large ones in the cache. A segment committed
/// after `advance` looked is left for when the list is brought up to date.
fn whole_list(conn: &Connection, stem: u32, upto: i64) -> rusqlite::Result<Postings> {
    let runs = IndexReader::new(conn).postings_by_segment(stem, upto)?;
    Ok(Postings {
        runs: runs
            .into_iter()
            .map(|(s, run)| (s, Arc::new(run)))
            .collect(),
    })
}

/// The lowest segment id at which `new` differs from `old` (a segment gone or with another number
/// of units, or a new one below the newest of `old`), or `None` when `new` only adds segments after
/// `old`'s newest.
///
/// A segment below it is the same segment in both: a merge writes its segment under the lowest id
/// free above the ones it kept, deleting every segment above them, and that segment holds the units
/// of at least five segments, among them the one `old` had under its id (or `old` had no segment
/// there), so the first id a merge reused differs in units (or is new) in `new`.
fn first_change(old: &[(i64, i64)], new: &[(i64, i64)]) -> Option<i64> {
    let newest = old.last().map_or(i64::MIN, |s| s.0);
    let gone = old
        .iter()
        .filter(|s| new.binary_search(s).is_err())
        .map(|s| s.0);
    let reused = new
        .iter()
        .filter(|s| s.0 <= newest && old.binary_search(s).is_err())
        .map(|s| s.0);
    gone.chain(reused).min()
}

/// Every unit scoring at least `opts.min`, best first, cut to `opts.top` distinct sources.
pub(crate) fn search(
    conn: &Connection,
    query: &Query,
    opts: &LookupOptions,
    cache: &PostingsCache,
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
    let stale = cache.stale(&reader)?;
    for &(stem, count, _) in &per_stem[..split] {
        for run in cache.get(conn, stem)?.runs() {
            for &(unit, len) in run {
                // An edited unit's old postings give its old length: not a reason to pass it over.
                let len_ok = (min_len..=max_len).contains(&usize::from(len))
                    || len == 255
                    || stale.contains(&unit);
                if len_ok {
                    candidates.entry(unit).or_insert((0, len)).0 += count;
                }
            }
        }
    }
    let mut unread = 0;
    for &(stem, count, size) in &per_stem[split..] {
        if size > TIGHTEN_LIMIT {
            unread += count;
            continue;
        }
        for run in cache.get(conn, stem)?.runs() {
            for &(unit, _) in run {
                if let Some(c) = candidates.get_mut(&unit) {
                    c.0 += count;
                }
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
    use crate::store::{Added, ImportFile, Store};

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
        let cache = PostingsCache::default();
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
                let fast: Vec<(i64, u8)> = search(conn, &query, &opts, &cache)
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
        let found = search(conn, &query, &opts, &PostingsCache::default()).unwrap();
        assert_eq!(found[0].source, "حزب الله");
        assert_eq!(found[0].score, 75, "0.5 over 2 words");
    }

    #[test]
    fn first_change_finds_the_first_segment_a_merge_rewrote() {
        let big = [(1, 250_000), (2, 250_000), (3, 250_000), (4, 250_000)];
        let with = |more: &[(i64, i64)]| [&big[..], more].concat();
        // Adds only.
        assert_eq!(
            first_change(&with(&[(5, 1)]), &with(&[(5, 1), (6, 1)])),
            None
        );
        assert_eq!(first_change(&[], &with(&[])), None);
        // 5..9 merged into a new 5, then three adds: the same ids, and 6, 7, 8 are other segments.
        let before = with(&[(5, 1), (6, 1), (7, 1), (8, 1)]);
        let after = with(&[(5, 5), (6, 1), (7, 1), (8, 1)]);
        assert_eq!(first_change(&before, &after), Some(5));
        // A segment gone, and one new under an id below the newest seen (a gap filled).
        assert_eq!(first_change(&with(&[(6, 3)]), &with(&[])), Some(6));
        assert_eq!(
            first_change(&with(&[(6, 3)]), &with(&[(5, 9), (6, 3)])),
            Some(5)
        );
    }

    /// `tm serve`'s read connections share one cache, each advancing it when it sees a commit: after
    /// adds (the index merges its small segments, reusing their ids), an edit, a delete and a rebuilt
    /// index, both connections find exactly what a scan of the whole memory finds, whichever of them
    /// advanced the cache, and whichever read each list.
    #[test]
    fn connections_sharing_a_cache_find_what_a_scan_finds_after_every_change() {
        use crate::store::{OpenMode, Provenance};
        use crate::unit::{Segment, Unit};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("memory.db");
        let mut writer = Store::open(&path, OpenMode::ReadWrite).unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        writer
            .import(
                &[ImportFile {
                    path: root.join("tm/sample.tmx"),
                    format: Format::Tmx,
                }],
                &ReadOptions::new("ar", "en"),
                &Default::default(),
                &|_| {},
            )
            .unwrap();
        // Three more imports: four segments larger than an add's, which merges leave alone while
        // they rewrite the adds' segments under ids that come back (as on a large memory).
        for batch in 0..3 {
            let units = (0..5).map(|k| {
                Ok(Unit::new(
                    "ar",
                    "en",
                    Segment::plain(format!("نشرة الطقس رقم {k} في مدينة البوكمال {batch}")),
                    Segment::plain(format!("Weather bulletin {k} in Al-Bukamal {batch}")),
                ))
            });
            writer
                .import_units(
                    std::path::Path::new("batch"),
                    units,
                    &ReadOptions::new("ar", "en"),
                    &Default::default(),
                )
                .unwrap();
        }
        let readers = [
            Store::open(&path, OpenMode::ReadOnly).unwrap(),
            Store::open(&path, OpenMode::ReadOnly).unwrap(),
        ];
        let cache = PostingsCache::default();
        let opts = LookupOptions {
            min: 50,
            top: 50,
            ..Default::default()
        };
        let queries = [
            "دخلت قافلة من 40 شاحنة محملة بالوقود إلى مدينة البوكمال",
            "وصل وفد من حركة النجباء إلى مدينة البوكمال",
            "قافلة شاحنة البوكمال",
        ];
        let check = |reader: &Store, what: &str| {
            let conn = reader.conn();
            for q in queries {
                let query = Query::new(conn, q).unwrap();
                let ids = |found: Vec<Scored>| -> Vec<(i64, u8)> {
                    found.iter().map(|s| (s.id, s.score)).collect()
                };
                assert_eq!(
                    ids(search(conn, &query, &opts, &cache).unwrap()),
                    ids(exhaustive(conn, &query, &opts).unwrap()),
                    "after {what}: {q}"
                );
            }
        };
        cache.advance(readers[0].conn()).unwrap();
        check(&readers[0], "the import");
        check(&readers[1], "the import");
        let newest = |writer: &Store| -> i64 {
            let sql = "SELECT max(id) FROM segments";
            writer.conn().query_row(sql, [], |r| r.get(0)).unwrap()
        };
        let mut reused = false;
        let mut ids = Vec::new();
        for i in 0..14 {
            let before = newest(&writer);
            let unit = Unit::new(
                "ar",
                "en",
                Segment::plain(format!(
                    "دخلت قافلة من {} شاحنة محملة بالوقود إلى مدينة البوكمال",
                    50 + i
                )),
                Segment::plain(format!("A convoy of {} fuel trucks", 50 + i)),
            );
            if let Added::New(id) = writer.add(unit, &Provenance::default()).unwrap() {
                ids.push(id);
            }
            reused |= newest(&writer) <= before;
            // One connection advances the cache, the other reads lists into it; every third add
            // neither advances until the next one (two commits in one step).
            if i % 3 == 2 {
                continue;
            }
            let (first, second) = (&readers[i % 2], &readers[(i + 1) % 2]);
            cache.advance(first.conn()).unwrap();
            check(second, &format!("add {i}"));
            check(first, &format!("add {i}"));
            // The other connection sees the same commit later: advancing again changes nothing.
            cache.advance(second.conn()).unwrap();
            check(second, &format!("add {i}, advanced twice"));
        }
        assert!(reused, "a merge gave a segment an id seen before");
        writer
            .edit(
                ids[0],
                &crate::store::EditRequest {
                    source: Some("وصل وفد من حركة النجباء إلى مدينة البوكمال".into()),
                    ..Default::default()
                },
                None,
            )
            .unwrap();
        cache.advance(readers[1].conn()).unwrap();
        check(&readers[0], "an edit");
        let filter = crate::store::UnitFilter {
            ids: vec![ids[1]],
            ..Default::default()
        };
        assert_eq!(writer.delete(&filter).unwrap(), 1);
        cache.advance(readers[0].conn()).unwrap();
        check(&readers[1], "a delete");
        writer.reindex().unwrap();
        cache.advance(readers[1].conn()).unwrap();
        check(&readers[0], "a reindex");
        check(&readers[1], "a reindex");
    }
}
