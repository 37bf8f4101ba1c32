//! The user's name authority entries, kept in the memory so that they travel with it.

use crate::names::Origin;
use std::collections::HashMap;

use rusqlite::params;

use super::{sqlite_error, Result, Store};
use crate::names::Name;

impl Store {
    /// The user's entries, in the order they were added.
    pub(crate) fn names(&self) -> Result<Vec<Name>> {
        let err = |e| sqlite_error(&self.path, e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT arabic, english, kind, variants, note, accepted FROM names ORDER BY id",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(err)?;
        let mut out = Vec::new();
        for row in rows {
            let (arabic, english, kind, variants, note, accepted) = row.map_err(err)?;
            out.push(Name {
                arabic: arabic.split(" | ").map(str::to_string).collect(),
                english,
                kind: kind.parse().unwrap_or(crate::names::Kind::Other),
                variants: variants
                    .split(" | ")
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
                note,
                accepted: accepted
                    .split(" | ")
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect(),
                source: Origin::User,
            });
        }
        Ok(out)
    }

    /// Adds entries in one transaction; an entry replaces the user's entry that shares an Arabic form.
    pub(crate) fn add_names(&mut self, names: &[Name]) -> Result<()> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        // Which entries hold each Arabic form, read once (a scan of the table for every form made an
        // import of 100,000 names take minutes); kept up to date as entries come and go.
        let mut holders: HashMap<String, Vec<i64>> = HashMap::new();
        {
            let mut stmt = tx.prepare("SELECT id, arabic FROM names").map_err(err)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .map_err(err)?;
            for row in rows {
                let (id, arabic) = row.map_err(err)?;
                for form in arabic.split(" | ") {
                    holders.entry(form.to_string()).or_default().push(id);
                }
            }
        }
        let mut forms_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (form, ids) in &holders {
            for id in ids {
                forms_of.entry(*id).or_default().push(form.clone());
            }
        }
        let mut delete = tx.prepare("DELETE FROM names WHERE id = ?1").map_err(err)?;
        let mut insert = tx
            .prepare(
                "INSERT INTO names (arabic, english, kind, variants, note, accepted)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(err)?;
        for n in names {
            for form in &n.arabic {
                for id in holders.remove(form).unwrap_or_default() {
                    delete.execute([id]).map_err(err)?;
                    // The removed entry's other forms no longer point at it.
                    for other in forms_of.remove(&id).unwrap_or_default() {
                        if let Some(ids) = holders.get_mut(&other) {
                            ids.retain(|&i| i != id);
                        }
                    }
                }
            }
            insert
                .execute(params![
                    n.arabic.join(" | "),
                    n.english,
                    n.kind.to_string(),
                    n.variants.join(" | "),
                    n.note,
                    n.accepted.join(" | ")
                ])
                .map_err(err)?;
            let id = tx.last_insert_rowid();
            for form in &n.arabic {
                holders.entry(form.clone()).or_default().push(id);
            }
            forms_of.insert(id, n.arabic.clone());
        }
        drop((delete, insert));
        tx.commit().map_err(err)
    }

    /// Removes the user's entry with this Arabic form; returns whether there was one.
    pub(crate) fn remove_name(&mut self, arabic: &str) -> Result<bool> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let removed = remove_form(&tx, arabic).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(removed)
    }
}

/// Deletes the entries that list `form` among their Arabic forms.
fn remove_form(tx: &rusqlite::Transaction, form: &str) -> rusqlite::Result<bool> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id, arabic FROM names")?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .filter(|r| {
            r.as_ref()
                .map_or(true, |(_, arabic)| arabic.split(" | ").any(|a| a == form))
        })
        .map(|r| r.map(|(id, _)| id))
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        tx.execute("DELETE FROM names WHERE id = ?1", [id])?;
    }
    Ok(!ids.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::Kind;

    fn name(arabic: &[&str], english: &str) -> Name {
        Name {
            arabic: arabic.iter().map(|a| a.to_string()).collect(),
            english: english.to_string(),
            kind: Kind::Person,
            variants: Vec::new(),
            note: String::new(),
            accepted: Vec::new(),
            source: Origin::User,
        }
    }

    #[test]
    fn an_entry_replaces_those_that_share_a_form_in_the_memory_and_in_the_batch() {
        let mut store = Store::in_memory().unwrap();
        store
            .add_names(&[
                name(&["قيس الخزعلي", "الخزعلي"], "Qais Al-Khazali"),
                name(&["حيدر"], "Haidar"),
            ])
            .unwrap();
        store
            .add_names(&[
                // Shares a form with the first stored entry: it goes, both its forms with it.
                name(&["الخزعلي"], "Al-Khazali"),
                name(&["حيدر"], "Hayder"),
                // Later in the same batch, replaces the entry just added.
                name(&["حيدر", "حيدر العبادي"], "Haydar"),
            ])
            .unwrap();
        let names: Vec<(Vec<String>, String)> = store
            .names()
            .unwrap()
            .into_iter()
            .map(|n| (n.arabic, n.english))
            .collect();
        assert_eq!(
            names,
            [
                (vec!["الخزعلي".to_string()], "Al-Khazali".to_string()),
                (
                    vec!["حيدر".to_string(), "حيدر العبادي".to_string()],
                    "Haydar".to_string()
                ),
            ]
        );
        // Many names in one go: each form looked up in a map, not by a scan per name.
        let many: Vec<Name> = (0..20_000)
            .map(|i| name(&[&format!("اسم{i}")], &format!("Name {i}")))
            .collect();
        store.add_names(&many).unwrap();
        assert_eq!(store.names().unwrap().len(), 20_002);
    }
}
