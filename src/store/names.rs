//! The user's name authority entries, kept in the memory so that they travel with it.

use rusqlite::params;

use super::{sqlite_error, Result, Store};
use crate::names::Name;

impl Store {
    /// The user's entries, in the order they were added.
    pub fn names(&self) -> Result<Vec<Name>> {
        let err = |e| sqlite_error(&self.path, e);
        let mut stmt = self
            .conn
            .prepare("SELECT arabic, english, kind, variants, note FROM names ORDER BY id")
            .map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(err)?;
        let mut out = Vec::new();
        for row in rows {
            let (arabic, english, kind, variants, note) = row.map_err(err)?;
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
                source: "user",
            });
        }
        Ok(out)
    }

    /// Adds entries in one transaction; an entry replaces the user's entry that shares an Arabic form.
    pub fn add_names(&mut self, names: &[Name]) -> Result<()> {
        let path = self.path.clone();
        let err = |e| sqlite_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        for n in names {
            for form in &n.arabic {
                remove_form(&tx, form).map_err(err)?;
            }
            tx.execute(
                "INSERT INTO names (arabic, english, kind, variants, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    n.arabic.join(" | "),
                    n.english,
                    n.kind.to_string(),
                    n.variants.join(" | "),
                    n.note
                ],
            )
            .map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Removes the user's entry with this Arabic form; returns whether there was one.
    pub fn remove_name(&mut self, arabic: &str) -> Result<bool> {
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
