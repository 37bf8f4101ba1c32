//! Fuzzy matching that understands Arabic: paste an Arabic segment, get the closest stored segments with
//! their English, scored the way translators expect, with what differs marked.
//!
//! A [`Matcher`] looks segments up in a [`Store`] and returns [`Match`]es: the score, the [`MatchKind`],
//! the spans of the stored source that differ ([`DiffSpan`]) and a suggestion with the query's numbers
//! and months put into the stored English ([`suggest::Numbers`] says whether that worked).
//!
//! Inside: `score` (the clitic-aware word-level edit distance and the score formula), `search`
//! (candidates from the word index, exact scoring, the exhaustive reference), `suggest` (the
//! substitution) and `concordance` (where a word or phrase occurs).
//!
//! ```
//! use tm::fuzzy::{Matcher, MatchKind};
//! use tm::store::{Provenance, Store};
//! use tm::unit::{Segment, Unit};
//! let mut store = Store::in_memory().unwrap();
//! let unit = Unit::new("ar", "en", Segment::plain("أطلقت المقاومة 23 طائرة مسيرة"),
//!                      Segment::plain("The resistance launched 23 drones"));
//! store.add(unit, &Provenance::default()).unwrap();
//! let mut matcher = Matcher::new(&store, Default::default());
//! let found = matcher.lookup("أطلقت المقاومة ٢٤ طائرة مسيرة", None).unwrap();
//! assert_eq!(found[0].kind, MatchKind::Numbers);
//! assert_eq!(found[0].suggestion.as_deref(), Some("The resistance launched 24 drones"));
//! ```

pub(crate) mod concordance;
pub(crate) mod score;
// Reached from outside only through `tm::internals` (benches/lookup.rs measures recall against
// `exhaustive`).
pub(crate) mod search;
pub mod suggest;

use serde::Serialize;

use crate::store::WordKey;
use crate::store::{self, Store};
use crate::text::{normalize, tokenize, Token};
use score::{edits, Edit};
pub(crate) use search::PostingsCache;
use search::{Query, Scored};

/// How a match relates to the query, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// Identical, and the neighbouring segments match too (the "101%" of commercial tools).
    Context,
    /// Identical text.
    Exact,
    /// Identical after normalization (harakat, tatweel, letter forms, digits): score 100.
    Normalized,
    /// Only numbers or months differ, and the suggestion has the query's.
    Numbers,
    /// Any other difference: the score says how close (at most 99).
    Fuzzy,
}

/// A part of the stored source that differs from the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffSpan {
    /// Where the part starts in [`Match::source`], in characters (Unicode scalar values, not bytes).
    pub start: usize,
    /// Where it ends (exclusive), likewise; equal to `start` for [`DiffOp::Missing`].
    pub end: usize,
    /// The stored source's text in the span; for [`DiffOp::Missing`], the query's word as the query
    /// has it.
    pub text: String,
    /// How this part differs.
    pub op: DiffOp,
}

/// How a part of the stored source differs from the query (`op` in `tm lookup --json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    /// Another word.
    Replace,
    /// The same stem with another proclitic or article, or another number.
    Variant,
    /// A word the query lacks.
    Extra,
    /// A query word the source lacks: an empty span where it would go, `text` is the query's word.
    Missing,
}

impl std::fmt::Display for DiffOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DiffOp::Replace => "replace",
            DiffOp::Variant => "variant",
            DiffOp::Extra => "extra",
            DiffOp::Missing => "missing",
        })
    }
}

/// One match, as `tm lookup --json` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Match {
    /// How close the stored source is to the query, 0 to 100: `100 × (1 − distance / max(n, m))` rounded
    /// down, for `n` query words and `m` stored words. The distance is over words: another word, an
    /// insertion or a deletion costs 1; the same stem with another proclitic or article (المقاومة,
    /// والمقاومة), or another number, costs 0.5. Only context, exact and normalized matches score 100;
    /// the others at most 99.
    pub score: u8,
    /// How the match relates to the query.
    pub kind: MatchKind,
    /// The stored source segment, as stored.
    pub source: String,
    /// Its stored translation, as stored.
    pub target: String,
    /// The target with the query's numbers and months substituted, when they differ and could be
    /// substituted; `None` otherwise (see `numbers`).
    pub suggestion: Option<String>,
    /// When the numbers or months differ: `substituted` into the suggestion, or `unresolved` (they do
    /// not pair one to one, and the stored English is left as it is: check its numbers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<suggest::Numbers>,
    /// Where the unit came from (a file, a document, a project), if recorded.
    pub origin: Option<String>,
    /// The parts of `source` that differ from the query, in order; empty for an identical source.
    pub diff: Vec<DiffSpan>,
    /// The unit's id in the memory.
    pub id: i64,
    /// When the unit last changed, in TMX's date format (`20240925T101500Z`).
    pub changed: String,
    /// The unit's use count: what its file said (TMX `usagecount`) or 1, plus one for each later arrival
    /// of the same pair.
    pub use_count: i64,
    /// Points taken off `score` for the unit's origin (`--penalty`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty: Option<u8>,
}

/// What to look for: the one set of lookup options, from the command line down to the search.
#[derive(Clone, Debug)]
pub struct LookupOptions {
    /// The lowest score a match may have, 0 to 100 (a unit scoring 0 is never a match).
    pub min: u8,
    /// How many distinct source segments to return (all translations of each are kept).
    pub top: usize,
    /// The source language; a bare tag takes any region (`ar` reads `ar-IQ`).
    pub src: String,
    /// The target language, read as `src` is.
    pub tgt: String,
    /// Points taken off the matches of an origin (aligned or machine-translated material), as OmegaT's
    /// `penalty-NN` folders and Trados's penalties do; a penalized match is never above `100 − N`.
    pub penalties: Vec<Penalty>,
}

/// Points off every match whose unit came from `origin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Penalty {
    /// The origin, exactly as stored (`tm origins` lists them).
    pub origin: String,
    /// Points off, 1 to 100.
    pub points: u8,
}

impl std::str::FromStr for Penalty {
    type Err = String;

    /// `ORIGIN=N`, as `--penalty` and the config file give it.
    fn from_str(s: &str) -> Result<Penalty, String> {
        let bad = || format!("{s:?}: a penalty is ORIGIN=N, N from 1 to 100 (aligned=10)");
        let (origin, points) = s.rsplit_once('=').ok_or_else(bad)?;
        let points: u8 = points.trim().parse().map_err(|_| bad())?;
        let origin = origin.trim();
        if origin.is_empty() || !(1..=100).contains(&points) {
            return Err(bad());
        }
        Ok(Penalty {
            origin: origin.to_string(),
            points,
        })
    }
}

impl LookupOptions {
    /// The points off a unit of this origin.
    pub(crate) fn penalty_for(&self, origin: Option<&str>) -> u8 {
        let Some(origin) = origin else { return 0 };
        self.penalties
            .iter()
            .filter(|p| p.origin == origin)
            .map(|p| p.points)
            .max()
            .unwrap_or(0)
    }
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            min: 70,
            top: 5,
            src: "ar".into(),
            tgt: "en".into(),
            penalties: Vec::new(),
        }
    }
}

/// The neighbours of a query segment in its document, for context matches: a stored unit whose own
/// neighbours had the same words (in matching form) is a [`MatchKind::Context`] match.
#[derive(Clone, Copy, Debug)]
pub struct Neighbours<'a> {
    /// The segment before the query; `None` at the start of the document.
    pub prev: Option<&'a str>,
    /// The segment after the query; `None` at its end.
    pub next: Option<&'a str>,
}

/// Looks segments up in one memory; keeps a postings cache across lookups of a batch.
pub struct Matcher<'s> {
    store: &'s Store,
    opts: LookupOptions,
    cache: std::sync::Arc<PostingsCache>,
}

impl<'s> Matcher<'s> {
    /// A matcher over `store` that looks up with `opts` (scores, how many, which languages).
    pub fn new(store: &'s Store, opts: LookupOptions) -> Matcher<'s> {
        Matcher {
            store,
            opts,
            cache: Default::default(),
        }
    }

    /// A matcher that shares what other matchers read of the index (`tm serve` keeps one cache for
    /// all its read connections). The cache must be of the same memory, and told of every commit
    /// since it was last used ([`PostingsCache::advance`]): the index grows with every import.
    pub(crate) fn with_cache(
        store: &'s Store,
        opts: LookupOptions,
        cache: std::sync::Arc<PostingsCache>,
    ) -> Matcher<'s> {
        Matcher { store, opts, cache }
    }

    /// The matches of one segment, best first: by score, then kind, then the query's own language
    /// region, then the newest and most used.
    ///
    /// Every stored unit of the requested languages scoring at least [`LookupOptions::min`] is found
    /// (the word index narrows the candidates without losing any), cut to [`LookupOptions::top`]
    /// distinct sources with all their translations. `context` gives the query's neighbours for
    /// context matches. A query with no words (punctuation only) matches nothing.
    pub fn lookup(&mut self, text: &str, context: Option<Neighbours>) -> store::Result<Vec<Match>> {
        let conn = self.store.conn();
        let err = |e| store::sqlite_error(self.store.path(), e);
        let query = Query::new(conn, text).map_err(err)?;
        let scored = search::search(conn, &query, &self.opts, &self.cache).map_err(err)?;
        let query_norm = normalize(text);
        // The neighbours' identities, as units store theirs (computed once, not per match).
        let neighbours =
            context.map(|c| (c.prev.map(store::norm_hash), c.next.map(store::norm_hash)));
        let mut matches = Vec::with_capacity(scored.len());
        for s in scored {
            let fit = s.language_fit;
            let m = self
                .explain(&query, &query_norm, s, neighbours)
                .map_err(err)?;
            matches.push((m, fit));
        }
        // At equal scores and kinds, the query's own region before another (ar-IQ before ar).
        matches.sort_by(|(a, a_fit), (b, b_fit)| {
            b.score
                .cmp(&a.score)
                .then(a.kind.cmp(&b.kind))
                .then(a_fit.cmp(b_fit))
                .then(b.changed.cmp(&a.changed))
                .then(b.use_count.cmp(&a.use_count))
                .then(b.id.cmp(&a.id))
        });
        Ok(matches.into_iter().map(|(m, _)| m).collect())
    }

    /// Turns a scored unit into a match: its kind, what differs, the suggestion.
    fn explain(
        &self,
        query: &Query,
        query_norm: &str,
        s: Scored,
        neighbours: Option<(Option<i64>, Option<i64>)>,
    ) -> rusqlite::Result<Match> {
        let source_tokens = tokenize(&s.source);
        let source_keys = keys_of(
            self.store.conn(),
            &source_tokens,
            &query.keys,
            &query.tokens,
        )?;
        // Identical word for word (the only way a very long pair gets here, see search::MAX_CELLS):
        // the alignment is the diagonal, without a table of n × m cells.
        let edits = if source_keys == query.keys {
            (0..source_keys.len())
                .map(|i| Edit::Same { q: i, s: i })
                .collect()
        } else {
            edits(&query.keys, &source_keys).1
        };
        let suggestion = suggest::suggest(&query.tokens, &source_tokens, &edits, &s.target);
        let mut score = s.score + s.penalty;
        let kind = if s.source == query.text {
            let in_context = neighbours.is_some_and(|n| n == (s.prev_hash, s.next_hash));
            if in_context {
                MatchKind::Context
            } else {
                MatchKind::Exact
            }
        } else if normalize(&s.source) == query_norm {
            score = 100;
            MatchKind::Normalized
        } else {
            // Same words, other punctuation or spacing: close, but not the same segment.
            score = score.min(99);
            if suggestion.only_numbers {
                MatchKind::Numbers
            } else {
                MatchKind::Fuzzy
            }
        };
        Ok(Match {
            score: score.saturating_sub(s.penalty),
            penalty: (s.penalty > 0).then_some(s.penalty),
            kind,
            diff: diff_spans(
                &s.source,
                &source_tokens,
                (&query.text, &query.tokens),
                &edits,
            ),
            suggestion: suggestion.text,
            numbers: suggestion.numbers,
            source: s.source,
            target: s.target,
            origin: s.origin,
            id: s.id,
            changed: s.changed,
            use_count: s.use_count,
        })
    }
}

/// Word keys of a stored segment's tokens, looked up in the index (words the query shares are taken from
/// the query, saving look-ups).
fn keys_of(
    conn: &rusqlite::Connection,
    tokens: &[Token],
    query_keys: &[WordKey],
    query_tokens: &[Token],
) -> rusqlite::Result<Vec<WordKey>> {
    let reader = store::index::IndexReader::new(conn);
    let shared: std::collections::HashMap<&str, WordKey> = query_tokens
        .iter()
        .zip(query_keys)
        .map(|(t, &k)| (t.norm.as_str(), k))
        .collect();
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if let Some(&key) = shared.get(t.norm.as_str()) {
            out.push(key);
            continue;
        }
        // Unknown to the index (only possible if the index is stale): a key of its own.
        let fallback = WordKey {
            word: u32::MAX / 2 - i as u32,
            stem: u32::MAX / 2 - i as u32,
        };
        out.push(reader.word(&t.norm)?.unwrap_or(fallback));
    }
    Ok(out)
}

/// The spans of the stored source that differ from the query.
fn diff_spans(
    source: &str,
    source_tokens: &[Token],
    (query, query_tokens): (&str, &[Token]),
    edits: &[Edit],
) -> Vec<DiffSpan> {
    let chars = |byte: usize| source[..byte].chars().count();
    let span = |s: usize, op: DiffOp| {
        let r = source_tokens[s].span.clone();
        DiffSpan {
            start: chars(r.start),
            end: chars(r.end),
            text: source[r].to_string(),
            op,
        }
    };
    let mut out = Vec::new();
    let mut last_end = 0;
    for e in edits {
        match *e {
            Edit::Same { s, .. } => last_end = source_tokens[s].span.end,
            Edit::Variant { s, .. } => {
                out.push(span(s, DiffOp::Variant));
                last_end = source_tokens[s].span.end;
            }
            Edit::Replace { s, .. } => {
                out.push(span(s, DiffOp::Replace));
                last_end = source_tokens[s].span.end;
            }
            Edit::SourceOnly { s } => {
                out.push(span(s, DiffOp::Extra));
                last_end = source_tokens[s].span.end;
            }
            Edit::QueryOnly { q } => {
                let at = chars(last_end);
                out.push(DiffSpan {
                    start: at,
                    end: at,
                    // As the translator wrote it (كبيرة with its harakat), not in matching form.
                    text: query
                        .get(query_tokens[q].span.clone())
                        .unwrap_or(&query_tokens[q].norm)
                        .to_string(),
                    op: DiffOp::Missing,
                });
            }
        }
    }
    out
}
