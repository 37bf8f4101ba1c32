//! The model's file format: the n-gram counts as text, as shipped in `tm/translit.model`.
//!
//! One `count<TAB>graphone graphone ...` per line, sorted, after a few `#` lines that say where the
//! counts come from; then the words the tables spell with confidence, one `=<TAB>graphone graphone ...`
//! each (the word is the graphones' letters; `=fa` for a spelling in Persian script). The search
//! tables are not stored: loading compiles them from the counts (`search.rs`), so the file stays
//! independent of how the search lays its tables out.

use std::fmt::Write as _;

use super::{key, Model, NONE, ORDER, PERSIAN};

/// The first field of a line that gives a word's spelling instead of a count, and of one that gives
/// its spelling in Persian script.
const SPELLED: &str = "=";
const SPELLED_PERSIAN: &str = "=fa";

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
        let mut words: Vec<String> = self
            .spellings
            .iter()
            .map(|(word, ids)| {
                let gram: Vec<&str> = ids
                    .iter()
                    .map(|&x| self.graphones[x as usize].as_str())
                    .collect();
                let kind = if word.starts_with(PERSIAN) {
                    SPELLED_PERSIAN
                } else {
                    SPELLED
                };
                format!("{kind}\t{}", gram.join(" "))
            })
            .collect();
        words.sort();
        for l in words {
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
            if c == SPELLED || c == SPELLED_PERSIAN {
                let ids: Vec<u32> = gram.split(' ').map(|g| model.id(g)).collect();
                let mut word = String::new();
                if c == SPELLED_PERSIAN {
                    word.push(PERSIAN);
                }
                word.extend(gram.split(' ').filter_map(|g| g.chars().next()));
                model.spellings.insert(word.into(), ids.into());
                continue;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts that spell حمال "hamal" letter by letter, with or without the word's own spelling.
    fn model(spelled: bool) -> Model {
        let mut text = String::from(
            "# a test model\n\
             5.0\tحha\n5.0\tمm\n5.0\tمmm\n5.0\tاa\n5.0\tلl\n5.0\t^\n\
             5.0\tحha مm\n5.0\tمm اa\n5.0\tاa لl\n5.0\tلl ^\n",
        );
        if spelled {
            text.push_str("=\tحha مmm اa لl\n");
        }
        Model::from_text(&text)
    }

    #[test]
    fn a_word_with_its_own_spelling_is_not_searched() {
        assert_eq!(model(false).render("حمال").as_deref(), Some("hamal"));
        let spelled = model(true);
        assert_eq!(spelled.render("حمال").as_deref(), Some("hammal"));
        assert_eq!(
            spelled.render("حَمَّال").as_deref(),
            Some("hammal"),
            "harakat are not part of the word"
        );
        assert_eq!(
            spelled.render_pieces("حمال").unwrap(),
            vec![('ح', "ha"), ('م', "mm"), ('ا', "a"), ('ل', "l")]
        );
        // Other words are still searched, and the spelling survives a round trip through the text.
        assert_eq!(spelled.render("حمل").as_deref(), Some("haml"));
        let again = Model::from_text(&spelled.to_text(0.0));
        assert_eq!(again.render("حمال").as_deref(), Some("hammal"));
        assert!(again.to_text(0.0).ends_with("=\tحha مmm اa لl\n"));
    }

    #[test]
    fn a_word_in_persian_script_takes_its_persian_spelling() {
        let model = Model::from_text(
            "5.0\tكk\n5.0\tمm\n5.0\tاa\n5.0\tلl\n5.0\tدd\n\
             =\tكka مm اa لl\n=fa\tكke مm اa لl\n=\tجja مm اa لl\n",
        );
        assert_eq!(model.render("كمال").as_deref(), Some("kamal"), "Arabic kaf");
        assert_eq!(model.render("کمال").as_deref(), Some("kemal"), "keheh");
        // No Persian spelling: the Arabic one.
        assert_eq!(model.render("جمال").as_deref(), Some("jamal"));
        assert_eq!(model.render("چمال").as_deref(), Some("jamal"));
        let text = model.to_text(0.0);
        assert!(text.contains("=fa\tكke مm اa لl\n"), "{text}");
        assert_eq!(
            Model::from_text(&text).render("کمال").as_deref(),
            Some("kemal")
        );
    }
}
