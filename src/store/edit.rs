//! Changing stored units in place: `tm edit` (one unit) and `tm replace` (find and replace across the
//! memory), each in one transaction.
//!
//! A unit keeps its id. The word index is append-only (postings are written once, never rewritten), so a
//! unit whose source changes gets postings for its new words and is listed in the `stale` table: lookups
//! do not trust the lengths its older postings give (`fuzzy::search`), and so find what a `tm reindex`
//! would let them find. A unit that becomes identical to another is merged into it, as an import merges
//! an identical pair.

use regex::Regex;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

use super::import::pair_hash;
use super::index::{encode_words, SegmentBuilder, Vocab};
use super::upkeep::mark_reusable_ids;
use super::{now, sqlite_error, tokens_hash, Result, Store, UnitFilter};
use crate::formats::tmx::map_markup_text;
use crate::text::tokenize;
use crate::unit::{Annotation, AnnotationKind, Meta, Segment, Unit};

/// What `tm edit` changes; `None` leaves that part as it is.
#[derive(Clone, Debug, Default)]
pub struct EditRequest {
    /// The new source text (its inline codes, if it had any, are dropped: the text is the user's).
    pub source: Option<String>,
    /// The new target text (as the source).
    pub target: Option<String>,
    /// The unit's note, replacing the notes it had; empty removes them.
    pub note: Option<String>,
}

/// One side of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The source segment (Arabic).
    Source,
    /// The target segment (English).
    Target,
}

/// A change made (or, in a dry run, to be made) to one side of one unit.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The unit.
    pub id: i64,
    /// The side changed.
    pub side: Side,
    /// Its text before.
    pub before: String,
    /// Its text after.
    pub after: String,
    /// How many matches were replaced in it.
    pub occurrences: u64,
    /// The unit it became identical to and was merged into, if any.
    pub merged_into: Option<i64>,
}

/// What `tm replace` looks for and puts instead.
#[derive(Clone, Debug)]
pub struct Replace {
    /// What to find (a literal becomes an escaped pattern; `--word` wraps it in word boundaries).
    pub pattern: Regex,
    /// What to put instead; `$1`, `${name}` refer to groups when `expand` is set, else it is literal.
    pub replacement: String,
    /// Whether `replacement` refers to the pattern's groups (`--regex`).
    pub expand: bool,
    /// Look in the sources.
    pub source: bool,
    /// Look in the targets.
    pub target: bool,
}

/// What `tm replace` did or would do.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReplaceReport {
    /// Every side changed, in id order.
    pub changes: Vec<Change>,
    /// Units changed.
    pub units: u64,
    /// Matches replaced.
    pub occurrences: u64,
    /// Units left as they were because a match crosses an inline code (a tag in the middle of the
    /// words): changing the text there would lose the code or misplace it.
    pub crossing_codes: Vec<i64>,
    /// Units left as they were because a side would have no text left (a unit needs both).
    pub would_be_empty: Vec<i64>,
    /// Nothing was written.
    pub dry_run: bool,
}

impl Replace {
    fn apply(&self, text: &str) -> (String, u64) {
        let occurrences = self.pattern.find_iter(text).count() as u64;
        if occurrences == 0 {
            return (text.to_string(), 0);
        }
        let out = if self.expand {
            self.pattern.replace_all(text, self.replacement.as_str())
        } else {
            self.pattern
                .replace_all(text, regex::NoExpand(&self.replacement))
        };
        (out.into_owned(), occurrences)
    }

    /// The segment with the replacement made, keeping its inline codes; `None` when a match crosses a
    /// code (the markup's text nodes, each replaced alone, would not give the replaced text).
    fn apply_segment(&self, seg: &Segment) -> Option<(Segment, u64)> {
        let (text, n) = self.apply(&seg.text);
        if n == 0 {
            return Some((seg.clone(), 0));
        }
        let markup = match &seg.markup {
            None => None,
            Some(m) => {
                let (markup, text_of_markup) = map_markup_text(m, |t| self.apply(t).0)?;
                if text_of_markup != text {
                    return None;
                }
                Some(markup)
            }
        };
        Some((Segment { text, markup }, n))
    }
}

impl Store {
    /// Changes one unit's source, target or note (`tm edit`); the change date is now and the user the
    /// one given. Returns the unit as stored afterwards and the id it is stored under (another one when
    /// it became identical to a stored unit and was merged into it; its notes go with it), or `None`
    /// when there is no unit `id`.
    pub fn edit(
        &mut self,
        id: i64,
        request: &EditRequest,
        user: Option<&str>,
    ) -> Result<Option<(i64, Unit)>> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        // The write lock from the first read: no other writer changes the unit in between.
        let tx =
            Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(err)?;
        let Some(mut unit) = self.get(id)? else {
            return Ok(None);
        };
        if let Some(source) = &request.source {
            unit.source = Segment::plain(source.clone());
        }
        if let Some(target) = &request.target {
            unit.target = Segment::plain(target.clone());
        }
        if let Some(note) = &request.note {
            let notes = &mut unit.meta.annotations;
            notes.retain(|a| a.kind != AnnotationKind::Note);
            if !note.trim().is_empty() {
                notes.push(Annotation {
                    kind: AnnotationKind::Note,
                    attrs: Vec::new(),
                    text: note.clone(),
                });
            }
        }
        let mut rewriter = Rewriter::new(&tx, user).map_err(err)?;
        rewriter.update(id, &unit).map_err(err)?;
        let stored_as = rewriter.merge_if_identical(id, &unit).map_err(err)?;
        rewriter.finish().map_err(err)?;
        tx.commit().map_err(err)?;
        let unit = self.get(stored_as)?.unwrap_or(unit);
        Ok(Some((stored_as, unit)))
    }

    /// Finds and replaces across the units `filter` selects (`tm replace`), in one transaction; with
    /// `dry_run`, only says what would change.
    ///
    /// Every changed unit is written first, then those that became identical to another are merged:
    /// merging as it went would compare a unit with others not yet changed. A side that would be left
    /// without text is not changed (the unit is listed in `would_be_empty`).
    pub fn replace(
        &mut self,
        rule: &Replace,
        filter: &UnitFilter,
        dry_run: bool,
        user: Option<&str>,
    ) -> Result<ReplaceReport> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let mut report = ReplaceReport {
            dry_run,
            ..ReplaceReport::default()
        };
        // The write lock from the first read: what is written is what was read.
        let tx = match dry_run {
            true => None,
            false => Some(
                Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
                    .map_err(err)?,
            ),
        };
        // Every unit selected, read once; only those with a match are kept.
        let mut touched: Vec<(i64, Unit, Vec<Change>)> = Vec::new();
        self.for_each_unit(filter, |id, unit| {
            let mut changes = Vec::new();
            let mut changed = unit.clone();
            for (side, wanted) in [(Side::Source, rule.source), (Side::Target, rule.target)] {
                if !wanted {
                    continue;
                }
                let seg = match side {
                    Side::Source => &unit.source,
                    Side::Target => &unit.target,
                };
                match rule.apply_segment(seg) {
                    Some((_, 0)) => {}
                    Some((new, _)) if new.text.trim().is_empty() => {
                        report.would_be_empty.push(id);
                        return Ok::<(), super::Error>(());
                    }
                    Some((new, occurrences)) => {
                        changes.push(Change {
                            id,
                            side,
                            before: seg.text.clone(),
                            after: new.text.clone(),
                            occurrences,
                            merged_into: None,
                        });
                        match side {
                            Side::Source => changed.source = new,
                            Side::Target => changed.target = new,
                        }
                    }
                    None => {
                        report.crossing_codes.push(id);
                        return Ok(());
                    }
                }
            }
            if !changes.is_empty() {
                touched.push((id, changed, changes));
            }
            Ok(())
        })?;
        if let Some(tx) = tx {
            let mut rewriter = Rewriter::new(&tx, user).map_err(err)?;
            for (id, unit, _) in &touched {
                rewriter.update(*id, unit).map_err(err)?;
            }
            for (id, unit, changes) in &mut touched {
                let stored_as = rewriter.merge_if_identical(*id, unit).map_err(err)?;
                if stored_as != *id {
                    for c in changes.iter_mut() {
                        c.merged_into = Some(stored_as);
                    }
                }
            }
            rewriter.finish().map_err(err)?;
            tx.commit().map_err(err)?;
        }
        for (_, _, changes) in touched {
            report.units += 1;
            report.occurrences += changes.iter().map(|c| c.occurrences).sum::<u64>();
            report.changes.extend(changes);
        }
        Ok(report)
    }
}

/// Writes changed units inside one transaction, gathering the index's new postings.
struct Rewriter<'t, 'c> {
    tx: &'t Transaction<'c>,
    vocab: Vocab,
    segment: SegmentBuilder,
    now: String,
    user: Option<String>,
    deleted: Vec<i64>,
}

impl<'t, 'c> Rewriter<'t, 'c> {
    fn new(tx: &'t Transaction<'c>, user: Option<&str>) -> rusqlite::Result<Rewriter<'t, 'c>> {
        Ok(Rewriter {
            tx,
            vocab: Vocab::load(tx)?,
            segment: SegmentBuilder::default(),
            now: now(),
            user: user.map(str::to_string),
            deleted: Vec::new(),
        })
    }

    /// Stores `unit` as the new content of unit `id` (which may make it identical to another: see
    /// [`Rewriter::merge_if_identical`]).
    fn update(&mut self, id: i64, unit: &Unit) -> rusqlite::Result<()> {
        let pair = pair_hash(unit);
        let old_source: String = self
            .tx
            .prepare_cached("SELECT source FROM units WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let meta =
            (!unit.meta.is_empty()).then(|| serde_json::to_string(&unit.meta).unwrap_or_default());
        if old_source == unit.source.text {
            self.tx
                .prepare_cached(
                    "UPDATE units SET target = ?2, source_markup = ?3, target_markup = ?4,
                         pair_hash = ?5, meta = ?6, changed = ?7, changed_by = coalesce(?8, changed_by)
                     WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    unit.target.text,
                    unit.source.markup,
                    unit.target.markup,
                    pair,
                    meta,
                    self.now,
                    self.user
                ])?;
            return Ok(());
        }
        let tokens = tokenize(&unit.source.text);
        let keys: Vec<_> = tokens.iter().map(|t| self.vocab.key(&t.norm)).collect();
        self.tx
            .prepare_cached(
                "UPDATE units SET source = ?2, target = ?3, source_markup = ?4, target_markup = ?5,
                     norm_hash = ?6, pair_hash = ?7, words = ?8, meta = ?9, changed = ?10,
                     changed_by = coalesce(?11, changed_by)
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                unit.source.text,
                unit.target.text,
                unit.source.markup,
                unit.target.markup,
                tokens_hash(tokens.iter().map(|t| t.norm.as_str())),
                pair,
                encode_words(&keys),
                meta,
                self.now,
                self.user
            ])?;
        self.segment.add(id, &keys);
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO stale (id) VALUES (?1)")?
            .execute([id])?;
        Ok(())
    }

    /// Merges unit `id` (stored as `unit`) into another unit with the identical pair, as an import
    /// merges a pair it meets again: the other's use count grows by this one's, its change date and
    /// user are this change's, and this one's notes are added to its own. Returns the id the pair is
    /// stored under (`id` itself when there is no other, or it was already merged away).
    fn merge_if_identical(&mut self, id: i64, unit: &Unit) -> rusqlite::Result<i64> {
        let exists: bool = self
            .tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM units WHERE id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        if !exists {
            return Ok(id);
        }
        let identical: Option<(i64, Option<String>)> = self
            .tx
            .prepare_cached(
                "SELECT id, meta FROM units WHERE pair_hash = ?1 AND source = ?2 AND target = ?3
                     AND source_markup IS ?4 AND target_markup IS ?5 AND id != ?6 LIMIT 1",
            )?
            .query_row(
                params![
                    pair_hash(unit),
                    unit.source.text,
                    unit.target.text,
                    unit.source.markup,
                    unit.target.markup,
                    id
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((other, other_meta)) = identical else {
            return Ok(id);
        };
        let mut meta: Meta = other_meta
            .as_deref()
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default();
        for note in unit
            .meta
            .annotations
            .iter()
            .filter(|a| a.kind == AnnotationKind::Note)
        {
            if !meta.annotations.contains(note) {
                meta.annotations.push(note.clone());
            }
        }
        let meta = (!meta.is_empty()).then(|| serde_json::to_string(&meta).unwrap_or_default());
        self.tx
            .prepare_cached(
                "UPDATE units SET
                    use_count = min(use_count + (SELECT use_count FROM units WHERE id = ?2),
                                    4294967295),
                    changed = max(changed, ?3),
                    changed_by = coalesce(?4, changed_by),
                    meta = ?5
                 WHERE id = ?1",
            )?
            .execute(params![other, id, self.now, self.user, meta])?;
        self.tx
            .prepare_cached("DELETE FROM units WHERE id = ?1")?
            .execute([id])?;
        self.deleted.push(id);
        Ok(other)
    }

    /// Saves the new words and postings.
    fn finish(mut self) -> rusqlite::Result<()> {
        self.vocab.save(self.tx)?;
        self.segment.write(self.tx)?;
        mark_reusable_ids(self.tx, &self.deleted)
    }
}
