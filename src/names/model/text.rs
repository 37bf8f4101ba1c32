//! The model's file format: the n-gram counts as text, as shipped in `tm/translit.model`.
//!
//! One `count<TAB>graphone graphone ...` per line, sorted, after a few `#` lines that say where the
//! counts come from. Only the counts are stored: loading compiles the search tables from them
//! (`search.rs`), so the file stays independent of how the search lays its tables out.

use std::fmt::Write as _;

use super::{key, Model, NONE, ORDER};

impl Model {
    /// The model as text: one `count<TAB>graphone graphone ...` per line, n-grams of weight below `min`
    /// left out (unigrams are always kept) so that the shipped file stays small.
    pub fn to_text(&self, min: f64) -> String {
        let mut lines: Vec<String> = self
            .counts
            .iter()
            .filter(|(k, c)| **c >= min || k.iter().filter(|&&x| x != NONE).count() == 1)
            .map(|(k, c)| {
                let gram: Vec<&str> = k
                    .iter()
                    .filter(|&&x| x != NONE)
                    .map(|&x| self.graphones[x as usize].as_str())
                    .collect();
                format!("{c:.1}\t{}", gram.join(" "))
            })
            .collect();
        lines.sort();
        let mut out = String::from(
            "# tm transliteration model: graphone n-gram counts (count<TAB>graphones), built by `tm names train`.\n\
             # Trained on google/transliteration ar2en-train.txt (Apache License 2.0, Copyright Google LLC),\n\
             # on steveash/NETransliteration-COLING2018 Wikidata name tokens (CC0 1.0) and on Wikidata name\n\
             # units with their countries (wikidata-names/units.tsv, Wikidata rows only: CC0 1.0).\n",
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        out
    }

    /// Reads [`Model::to_text`]'s format; lines that do not parse are skipped.
    pub fn from_text(text: &str) -> Model {
        let mut model = Model::empty();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((c, gram)) = line.split_once('\t') else {
                continue;
            };
            let Ok(c) = c.parse::<f64>() else { continue };
            let ids: Vec<u32> = gram.split(' ').map(|g| model.id(g)).collect();
            if (1..=ORDER).contains(&ids.len()) {
                *model.counts.entry(key(&ids)).or_insert(0.0) += c;
            }
        }
        model.finish();
        model
    }
}
