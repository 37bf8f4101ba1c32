//! A newsroom's house style for names, as data: `tm/style.txt` ships the seed article's; another newsroom
//! brings its own file (`--style FILE`), read by transliteration and the check alike.
//!
//! The file is `key = value` lines; `#` starts a comment. Keys: `article` (`Al-`, `al-`, `el-`, `Al `),
//! `capitals` (`true`/`false`), `ayn` and `hamza` (the mark written inside a word; empty for none).

use super::NamesError;

/// The shipped house style.
const SHIPPED: &str = include_str!("../../tm/style.txt");

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pub article: String,
    pub capitals: bool,
    pub ayn: String,
    pub hamza: String,
}

impl Style {
    /// The seed article's style.
    pub fn shipped() -> Style {
        // The shipped file is tested to parse (tests below).
        Style::parse(SHIPPED, "tm/style.txt").unwrap_or(Style {
            article: "Al-".into(),
            capitals: true,
            ayn: "'".into(),
            hamza: "'".into(),
        })
    }

    /// Reads a style file; keys it does not set keep the shipped values.
    pub fn parse(text: &str, file: &str) -> Result<Style, NamesError> {
        let mut style = Style {
            article: "Al-".into(),
            capitals: true,
            ayn: "'".into(),
            hamza: "'".into(),
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches(['\r', '\n']);
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let err = |message: String| NamesError {
                file: file.to_string(),
                line: i + 1,
                message,
            };
            let Some((key, value)) = line.split_once('=') else {
                return Err(err("expected `key = value`".into()));
            };
            // A value keeps a trailing space ("Al "), but not the one after `=`.
            let value = value.strip_prefix(' ').unwrap_or(value);
            match key.trim() {
                "article" => style.article = value.to_string(),
                "capitals" => {
                    style.capitals = match value.trim() {
                        "true" | "yes" => true,
                        "false" | "no" => false,
                        other => {
                            return Err(err(format!("capitals is true or false, not {other:?}")))
                        }
                    }
                }
                "ayn" => style.ayn = value.trim().to_string(),
                "hamza" => style.hamza = value.trim().to_string(),
                other => {
                    return Err(err(format!(
                        "unknown key {other:?} (article, capitals, ayn, hamza)"
                    )))
                }
            }
        }
        Ok(style)
    }

    /// Applies the capitals rule to a word.
    pub fn word(&self, word: &str) -> String {
        if !self.capitals {
            return word.to_string();
        }
        let mut chars = word.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_style_is_the_seeds() {
        assert_eq!(
            Style::parse(SHIPPED, "tm/style.txt").unwrap(),
            Style {
                article: "Al-".into(),
                capitals: true,
                ayn: "'".into(),
                hamza: "'".into()
            }
        );
    }

    #[test]
    fn another_newsroom_and_bad_lines() {
        let s = Style::parse("article = el-\ncapitals = false\nayn = ʿ\n", "eg.txt").unwrap();
        assert_eq!(
            (
                s.article.as_str(),
                s.capitals,
                s.ayn.as_str(),
                s.hamza.as_str()
            ),
            ("el-", false, "ʿ", "'")
        );
        assert_eq!(Style::parse("article = Al \n", "x").unwrap().article, "Al ");
        let err = Style::parse("# ok\ncolour = red\n", "bad.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "bad.txt:2: unknown key \"colour\" (article, capitals, ayn, hamza)"
        );
    }
}
