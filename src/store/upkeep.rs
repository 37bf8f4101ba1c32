//! Keeping a memory clean: choosing units, deleting them, merging near-identical duplicates, and
//! checking a file that may be damaged.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde::Serialize;

use super::{check_pragma, sqlite_error, Error, Result, Store};
use crate::text::normalize;
use crate::unit::{language_matches, Unit};

/// Which units a command acts on. Empty criteria select every unit; given criteria must all hold.
#[derive(Clone, Debug, Default)]
pub struct UnitFilter {
    /// Unit ids (as [`Store::for_each_unit`] gives them); empty for any id.
    pub ids: Vec<i64>,
    /// Exact origin.
    pub origin: Option<String>,
    /// Exact source text.
    pub source: Option<String>,
    /// Source language: a bare tag takes any region or script (`ar` takes `ar-IQ`), a tag with subtags
    /// only itself (`en-GB`); case does not matter.
    pub src_lang: Option<String>,
    /// Target language, matched as `src_lang` is.
    pub tgt_lang: Option<String>,
    /// Units changed at or after this TMX date (`20240925T000000Z`).
    pub since: Option<String>,
    /// Units created or last changed by this user.
    pub user: Option<String>,
    /// Text either side contains, compared in matching form (harakat, tatweel, letter forms and case
    /// folded: `حزب الله` finds `حزبُ اللّه`, `hizbullah` finds `Hizbullah`).
    pub search: Option<String>,
}

impl UnitFilter {
    /// Whether the filter selects every unit.
    pub(crate) fn is_everything(&self) -> bool {
        self.ids.is_empty()
            && self.origin.is_none()
            && self.source.is_none()
            && self.src_lang.is_none()
            && self.tgt_lang.is_none()
            && self.since.is_none()
            && self.user.is_none()
            && self.search.is_none()
    }

    /// The SQL condition for the criteria SQLite can check, with its values.
    pub(super) fn sql(&self) -> (String, Vec<Value>) {
        let mut clauses = vec!["1".to_string()];
        let mut values = Vec::new();
        if !self.ids.is_empty() {
            let marks = vec!["?"; self.ids.len()].join(",");
            clauses.push(format!("id IN ({marks})"));
            values.extend(self.ids.iter().map(|&i| Value::Integer(i)));
        }
        if let Some(origin) = &self.origin {
            clauses.push("origin = ?".into());
            values.push(Value::Text(origin.clone()));
        }
        if let Some(source) = &self.source {
            clauses.push("source = ?".into());
            values.push(Value::Text(source.clone()));
        }
        if let Some(since) = &self.since {
            clauses.push("changed >= ?".into());
            values.push(Value::Text(since.clone()));
        }
        if let Some(user) = &self.user {
            clauses.push("(created_by = ? OR changed_by = ?)".into());
            values.push(Value::Text(user.clone()));
            values.push(Value::Text(user.clone()));
        }
        (clauses.join(" AND "), values)
    }

    /// The criteria checked in Rust: languages (tags match by primary subtag) and `search` (in
    /// matching form).
    pub(super) fn matches(&self, unit: &Unit) -> bool {
        self.matches_languages(unit)
            && self.search.as_deref().is_none_or(|q| {
                let q = normalize(q);
                [&unit.source.text, &unit.target.text]
                    .iter()
                    .any(|t| normalize(t).contains(q.as_str()))
            })
    }

    /// The language criteria, checked in Rust because tags match by primary subtag.
    pub(super) fn matches_languages(&self, unit: &Unit) -> bool {
        self.matches_language_tags(&unit.src_lang, &unit.tgt_lang)
    }

    /// [`UnitFilter::matches_languages`] for a unit's two tags.
    pub(super) fn matches_language_tags(&self, src_lang: &str, tgt_lang: &str) -> bool {
        self.src_lang
            .as_deref()
            .is_none_or(|l| language_matches(l, src_lang))
            && self
                .tgt_lang
                .as_deref()
                .is_none_or(|l| language_matches(l, tgt_lang))
    }
}

/// Units that `dedupe` found to be one, and the one kept.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct DedupeGroup {
    pub kept: i64,
    pub removed: Vec<i64>,
    pub source: String,
    pub target: String,
}

#[derive(Clone, Debug, Serialize, Default)]
pub(crate) struct DedupeReport {
    pub groups: Vec<DedupeGroup>,
    pub removed: u64,
    pub dry_run: bool,
}

impl Store {
    /// The ids of the units the filter selects (reading only ids and languages).
    fn select_ids(&self, filter: &UnitFilter) -> Result<Vec<i64>> {
        if filter.search.is_some() {
            // The text is needed: read the units whole.
            let mut ids = Vec::new();
            self.for_each_unit(filter, |id, _| {
                ids.push(id);
                Ok::<(), Error>(())
            })?;
            return Ok(ids);
        }
        let err = |e| sqlite_error(&self.path, e);
        let (clause, values) = filter.sql();
        let sql = format!("SELECT id, src_lang, tgt_lang FROM units WHERE {clause}");
        let mut stmt = self.conn.prepare(&sql).map_err(err)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values.iter()))
            .map_err(err)?;
        let mut ids = Vec::new();
        while let Some(r) = rows.next().map_err(err)? {
            let (src, tgt): (String, String) = (r.get(1).map_err(err)?, r.get(2).map_err(err)?);
            let langs_ok = filter
                .src_lang
                .as_deref()
                .is_none_or(|l| language_matches(l, &src))
                && filter
                    .tgt_lang
                    .as_deref()
                    .is_none_or(|l| language_matches(l, &tgt));
            if langs_ok {
                ids.push(r.get(0).map_err(err)?);
            }
        }
        Ok(ids)
    }

    /// `tm doctor`: SQLite's full `integrity_check` (up to 100 problems), then every unit's text read as
    /// the commands read it, so that a value SQLite keeps intact but that is not UTF-8 is found too.
    pub(crate) fn doctor(&self) -> Result<Health> {
        let mut problems = match check_pragma(&self.conn, &self.path, "integrity_check", 100) {
            Err(Error::Damaged { detail, .. }) => vec![detail],
            result => result?,
        };
        let (mut units, mut unreadable) = (0u64, Vec::new());
        match self.read_every_value(&mut units, &mut unreadable) {
            Err(Error::Damaged { detail, .. }) => problems.push(detail),
            result => result?,
        }
        Ok(Health {
            problems,
            units,
            unreadable,
        })
    }

    fn read_every_value(
        &self,
        units: &mut u64,
        unreadable: &mut Vec<UnreadableUnit>,
    ) -> Result<()> {
        let err = |e| sqlite_error(&self.path, e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, src_lang, tgt_lang, source, target, source_markup, target_markup, tuid,
                        origin, created, created_by, changed, changed_by, meta FROM units",
            )
            .map_err(err)?;
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let mut rows = stmt.query([]).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            *units += 1;
            let id: i64 = row.get(0).map_err(err)?;
            for (i, column) in columns.iter().enumerate().skip(1) {
                let fine = match row.get_ref(i).map_err(err)? {
                    rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).is_ok(),
                    rusqlite::types::ValueRef::Null => true,
                    _ => false,
                };
                if !fine {
                    unreadable.push(UnreadableUnit {
                        id,
                        column: column.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// How many units the filter selects.
    pub(crate) fn count(&self, filter: &UnitFilter) -> Result<u64> {
        Ok(self.select_ids(filter)?.len() as u64)
    }

    /// Deletes the units the filter selects, in one transaction. Returns how many.
    ///
    /// Their postings stay in the word index until its segment is merged; lookups skip them.
    pub(crate) fn delete(&mut self, filter: &UnitFilter) -> Result<u64> {
        let ids = self.select_ids(filter)?;
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut stmt = tx.prepare("DELETE FROM units WHERE id = ?1").map_err(err)?;
            for id in &ids {
                stmt.execute([id]).map_err(err)?;
            }
        }
        mark_reusable_ids(&tx, &ids).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(ids.len() as u64)
    }

    /// Merges units that are the same translation written slightly differently.
    ///
    /// Identical pairs are never stored twice, but the same sentence may arrive with and without harakat,
    /// with a tatweel, another alef form, other punctuation or spacing, and the same English with
    /// different spacing. Such units share the source's words in matching form (see `normalize`) and the
    /// target with whitespace folded. Of each group the most recently changed unit is kept (the highest id among
    /// equals), its use count raised by the others'; the others are deleted. `dry_run` reports only.
    pub(crate) fn dedupe(&mut self, dry_run: bool) -> Result<DedupeReport> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        // (source language, target language, hash of the source's matching form, folded target) → its
        // units as (id, changed date, use count).
        type Key = (String, String, i64, String);
        let mut groups: HashMap<Key, Vec<(i64, String, u64)>> = HashMap::new();
        let mut texts: HashMap<i64, (String, String)> = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT id, src_lang, tgt_lang, norm_hash, target, changed, use_count, source
                     FROM units",
                )
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                let id: i64 = r.get(0).map_err(err)?;
                let src: String = r.get(1).map_err(err)?;
                let tgt: String = r.get(2).map_err(err)?;
                let norm: i64 = r.get(3).map_err(err)?;
                let target: String = r.get(4).map_err(err)?;
                let changed: String = r.get(5).map_err(err)?;
                let uses: u64 = r.get(6).map_err(err)?;
                let key = (
                    crate::unit::primary_language(&src),
                    crate::unit::primary_language(&tgt),
                    norm,
                    fold_whitespace(&target),
                );
                let members = groups.entry(key).or_default();
                members.push((id, changed, uses));
                if members.len() == 2 {
                    let source: String = r.get(7).map_err(err)?;
                    texts.insert(members[0].0, (source, target));
                }
            }
        }
        let mut report = DedupeReport {
            dry_run,
            ..DedupeReport::default()
        };
        for members in groups.into_values().filter(|m| m.len() > 1) {
            let keep = members
                .iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
                .map(|m| m.0)
                .unwrap_or(members[0].0);
            let (source, target) = texts.remove(&members[0].0).unwrap_or_default();
            report.groups.push(DedupeGroup {
                kept: keep,
                removed: members
                    .iter()
                    .map(|m| m.0)
                    .filter(|&id| id != keep)
                    .collect(),
                source,
                target,
            });
        }
        report.groups.sort_by_key(|g| g.kept);
        report.removed = report.groups.iter().map(|g| g.removed.len() as u64).sum();
        if dry_run || report.groups.is_empty() {
            return Ok(report);
        }
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut uses = tx
                .prepare("SELECT use_count FROM units WHERE id = ?1")
                .map_err(err)?;
            let mut delete = tx.prepare("DELETE FROM units WHERE id = ?1").map_err(err)?;
            let mut add = tx
                .prepare("UPDATE units SET use_count = use_count + ?2 WHERE id = ?1")
                .map_err(err)?;
            for g in &report.groups {
                let mut extra = 0u64;
                for id in &g.removed {
                    extra += uses.query_row([id], |r| r.get::<_, u64>(0)).map_err(err)?;
                    delete.execute([id]).map_err(err)?;
                }
                add.execute(rusqlite::params![g.kept, extra]).map_err(err)?;
            }
        }
        let removed: Vec<i64> = report
            .groups
            .iter()
            .flat_map(|g| g.removed.clone())
            .collect();
        mark_reusable_ids(&tx, &removed).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(report)
    }
}

/// After units are deleted: SQLite gives the highest ids again to the next new units, while the word
/// index still holds the deleted units' postings (it is append-only). The highest id ever deleted is
/// kept, and [`note_new_unit`] marks a new unit at or below it stale, so that lookups do not trust
/// those postings (see `fuzzy::search`).
pub(super) fn mark_reusable_ids(
    tx: &rusqlite::Transaction,
    deleted: &[i64],
) -> rusqlite::Result<()> {
    if let Some(&highest) = deleted.iter().max() {
        tx.prepare_cached("UPDATE deleted SET id = max(id, ?1)")?
            .execute([highest])?;
    }
    Ok(())
}

/// The highest id ever deleted (0 in a memory older than the record, opened read-only).
pub(super) fn highest_deleted(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    match conn.query_row("SELECT coalesce(max(id), 0) FROM deleted", [], |r| r.get(0)) {
        Err(e) if e.to_string().contains("no such table") => Ok(0),
        other => other,
    }
}

/// A unit stored under `id`: stale when a deleted unit may have had that id (see
/// [`mark_reusable_ids`]).
pub(super) fn note_new_unit(
    tx: &rusqlite::Transaction,
    id: i64,
    highest_deleted: i64,
) -> rusqlite::Result<()> {
    if id <= highest_deleted {
        tx.prepare_cached("INSERT OR IGNORE INTO stale (id) VALUES (?1)")?
            .execute([id])?;
    }
    Ok(())
}

/// Runs of whitespace as one space, trimmed; the target-side identity for `dedupe`.
fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Provenance;
    use crate::unit::Segment;

    fn unit(ar: &str, en: &str) -> Unit {
        Unit::new("ar", "en", Segment::plain(ar), Segment::plain(en))
    }

    #[test]
    fn dedupe_merges_spellings_that_differ_only_in_harakat_and_spacing() {
        let mut store = Store::in_memory().unwrap();
        let p = Provenance::default();
        store.add(unit("حزبُ الله", "Hizbullah"), &p).unwrap();
        store.add(unit("حزب  الله", "Hizbullah "), &p).unwrap();
        store.add(unit("حزب الله", "Hezbollah"), &p).unwrap();
        let report = store.dedupe(true).unwrap();
        assert_eq!(report.removed, 1);
        assert_eq!(
            store.stats().unwrap().segments,
            3,
            "dry run changes nothing"
        );
        let report = store.dedupe(false).unwrap();
        assert_eq!(report.groups.len(), 1);
        assert_eq!(report.groups[0].kept, 2, "the newer of equals is kept");
        assert_eq!(store.stats().unwrap().segments, 2);
        assert_eq!(store.get(2).unwrap().unwrap().usage_count, Some(2));
    }

    #[test]
    fn delete_by_origin_and_language() {
        let mut store = Store::in_memory().unwrap();
        let mut a = unit("البوكمال", "Al-Bukamal");
        a.origin = Some("a.tmx".into());
        let mut b = unit("القائم", "Al-Qa'im");
        b.origin = Some("b.tmx".into());
        store.add(a, &Provenance::default()).unwrap();
        store.add(b, &Provenance::default()).unwrap();
        let filter = UnitFilter {
            origin: Some("a.tmx".into()),
            src_lang: Some("ar".into()),
            ..UnitFilter::default()
        };
        assert_eq!(store.delete(&filter).unwrap(), 1);
        assert_eq!(store.stats().unwrap().segments, 1);
        let none = UnitFilter {
            src_lang: Some("fa".into()),
            ..UnitFilter::default()
        };
        assert_eq!(store.delete(&none).unwrap(), 0);
    }
}

/// What `tm doctor` found: nothing in `problems` and `unreadable` means the memory is whole.
#[derive(Debug, Serialize)]
pub(crate) struct Health {
    /// What SQLite's integrity check reports, in its words.
    pub problems: Vec<String>,
    /// Units read.
    pub units: u64,
    /// Units with a value that is not text (not UTF-8, or a number or blob where text belongs).
    pub unreadable: Vec<UnreadableUnit>,
}

#[derive(Debug, Serialize)]
pub(crate) struct UnreadableUnit {
    pub id: i64,
    pub column: String,
}

impl Health {
    pub(crate) fn is_whole(&self) -> bool {
        self.problems.is_empty() && self.unreadable.is_empty()
    }
}
