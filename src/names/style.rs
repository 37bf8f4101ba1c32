//! A newsroom's house style for names, as data: `tm/style.txt` ships the seed article's; another newsroom
//! brings its own file (`--style FILE`), read by transliteration and the check alike.
//!
//! The file is `key = value` lines; `#` starts a comment. Keys: `article` (`Al-`, `al-`, `el-`, `Al `),
//! `capitals` (`true`/`false`), `ayn` and `hamza` (the mark written inside a word; empty for none), `forms`,
//! `letter ج = j` (the consonant written for an Arabic letter in names the model spells; one line each),
//! `diphthongs` (`ay`: Haydar, Al-Jawf; `learned`: as the model spells them), `vowels` (`aiu`: Samih,
//! Nur; `learned`: Sameh, Nour), `nisba` (a final ية: `iyah`, or `learned`), and `title` lines
//! (`title = الشيخ: Sheikh`): how the house writes the titles that stand before names, matched as
//! written. A file with no `title` line keeps the shipped titles.

use super::NamesError;

/// The shipped house style.
const SHIPPED: &str = include_str!("../../tm/style.txt");

/// A house style for names, read from a style file ([`Style::parse`]) or the shipped one
/// ([`Style::shipped`]): the article, capitals, the marks for ayn and hamza, short or long forms,
/// titles, letters, diphthongs, vowels and the nisba ending, as the module describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    pub(crate) article: String,
    pub(crate) capitals: bool,
    pub(crate) ayn: String,
    pub(crate) hamza: String,
    /// Which of a name's short and long forms the house writes (U.S. or United States).
    pub(crate) forms: Forms,
    /// Titles before names: Arabic (as written in the file) and the house's English (Sheikh, Sayyid).
    pub(crate) titles: Vec<(String, String)>,
    /// The consonant the house writes for these Arabic letters in names the model spells (ج J, not
    /// Egypt's G; ف F, not Persian and Turkish V; ق Q, not K or Gh), whatever spelling the model learned.
    pub(crate) letters: Vec<(char, String)>,
    /// Diphthongs written ay and aw (Haydar, Qusay, Al-Jawf), not as the model learned them (Haidar,
    /// Qusai, Al-Jauf).
    pub(crate) ay: bool,
    /// Vowels written a, i and u only (Samih, Tariq, Nur, Al-Rifa'i), not the e and o the model learned
    /// from Egyptian, Levantine, French and foreign spellings (Sameh, Tareq, Nour); Persian-script names
    /// keep them (Mohsen, Pejman).
    pub(crate) aiu: bool,
    /// How a final ية after a consonant is written (Al-Mahmudiyah, Al-Attiyah), or `None`: as the model
    /// learned it (-ia, -iyya, -ieh).
    pub(crate) nisba: Option<String>,
}

/// The letters' consonants when a style file names none: the shipped style's `letter` lines.
fn default_letters() -> Vec<(char, String)> {
    SHIPPED
        .lines()
        .filter_map(|l| {
            let (key, value) = l.strip_prefix("letter ")?.split_once('=')?;
            let mut chars = key.trim().chars();
            let letter = chars.next().filter(|_| chars.next().is_none())?;
            Some((letter, value.trim().to_string()))
        })
        .collect()
}

/// Which of a name's short and long forms is the house form; the other stays an accepted alternative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Forms {
    /// As the authority lists them (the seed article's: U.S., European Union).
    Listed,
    /// The abbreviation where the authority accepts one (EU, UN).
    Short,
    /// The spelled-out form where the authority accepts one (United States, United Arab Emirates).
    Long,
}

impl Style {
    /// The shipped house style, `tm/style.txt` (compiled in): the seed article's.
    pub fn shipped() -> Style {
        // The shipped file is tested to parse (tests below).
        Style::parse(SHIPPED, "tm/style.txt").unwrap_or(Style {
            article: "Al-".into(),
            capitals: true,
            ayn: "'".into(),
            hamza: "'".into(),
            forms: Forms::Listed,
            titles: Vec::new(),
            letters: default_letters(),
            ay: true,
            aiu: true,
            nisba: Some("iyah".into()),
        })
    }

    /// Reads a style file; keys it does not set keep the shipped values. `file` names the file in
    /// errors: an unknown key or a bad value is a [`NamesError`] with its line.
    pub fn parse(text: &str, file: &str) -> Result<Style, NamesError> {
        let mut style = Style {
            article: "Al-".into(),
            capitals: true,
            ayn: "'".into(),
            hamza: "'".into(),
            forms: Forms::Listed,
            titles: Vec::new(),
            letters: default_letters(),
            ay: true,
            aiu: true,
            nisba: Some("iyah".into()),
        };
        let mut titles_set = false;
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
                "forms" => {
                    style.forms = match value.trim() {
                        "listed" => Forms::Listed,
                        "short" => Forms::Short,
                        "long" => Forms::Long,
                        other => {
                            return Err(err(format!(
                                "forms is listed, short or long, not {other:?}"
                            )))
                        }
                    }
                }
                "title" => {
                    let Some((arabic, english)) = value.split_once(':') else {
                        return Err(err(format!(
                            "a title is `title = ARABIC: ENGLISH`, not {value:?}"
                        )));
                    };
                    let (arabic, english) = (arabic.trim(), english.trim());
                    if arabic.is_empty() || english.is_empty() {
                        return Err(err(format!(
                            "a title needs its Arabic and its English: {value:?}"
                        )));
                    }
                    titles_set = true;
                    style.titles.push((arabic.to_string(), english.to_string()));
                }
                "diphthongs" => {
                    style.ay = match value.trim() {
                        "ay" => true,
                        "ai" | "learned" => false,
                        other => {
                            return Err(err(format!("diphthongs is ay or learned, not {other:?}")))
                        }
                    }
                }
                "vowels" => {
                    style.aiu = match value.trim() {
                        "aiu" | "a i u" => true,
                        "learned" => false,
                        other => return Err(err(format!("vowels is aiu or learned, not {other:?}"))),
                    }
                }
                "nisba" => {
                    let v = value.trim().to_ascii_lowercase();
                    style.nisba = match v.as_str() {
                        "learned" => None,
                        v if !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase()) => {
                            Some(v.to_string())
                        }
                        _ => return Err(err(format!("nisba is learned or letters, not {value:?}"))),
                    }
                }
                key if key.starts_with("letter ") => {
                    let mut arabic = key["letter ".len()..].trim().chars();
                    let (Some(letter), None) = (arabic.next(), arabic.next()) else {
                        return Err(err(format!("{key:?}: one Arabic letter after `letter`")));
                    };
                    let consonant = value.trim().to_ascii_lowercase();
                    if consonant.is_empty() || !consonant.chars().all(|c| c.is_ascii_alphabetic()) {
                        return Err(err(format!(
                            "letter {letter} is written with ASCII letters, not {value:?}"
                        )));
                    }
                    style.letters.retain(|(l, _)| *l != letter);
                    style.letters.push((letter, consonant));
                }
                other => {
                    return Err(err(format!(
                        "unknown key {other:?} (article, capitals, ayn, hamza, forms, letter, diphthongs, vowels, nisba, title)"
                    )))
                }
            }
        }
        if !titles_set && text != SHIPPED {
            style.titles = Style::shipped().titles;
        }
        Ok(style)
    }

    /// The consonant the house writes for `letter` in names the model spells, if the style names one.
    pub(crate) fn letter(&self, letter: char) -> Option<&str> {
        self.letters
            .iter()
            .find(|(l, _)| *l == letter)
            .map(|(_, c)| c.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::{parse_tsv, Authority};

    #[test]
    fn the_shipped_style_is_the_seeds() {
        assert_eq!(
            Style::parse(SHIPPED, "tm/style.txt").unwrap(),
            Style {
                article: "Al-".into(),
                capitals: true,
                ayn: "'".into(),
                hamza: "'".into(),
                forms: Forms::Listed,
                titles: Style::shipped().titles,
                letters: default_letters(),
                ay: true,
                aiu: true,
                nisba: Some("iyah".into()),
            }
        );
        let titles = Style::shipped().titles;
        assert!(
            titles.contains(&("الشيخ".into(), "Sheikh".into())),
            "{titles:?}"
        );
    }

    #[test]
    fn titles_are_the_files_or_the_shipped_ones() {
        let own = Style::parse("title = الشيخ: Shaykh\n", "mine.txt").unwrap();
        assert_eq!(own.titles, [("الشيخ".to_string(), "Shaykh".to_string())]);
        let none = Style::parse("article = al-\n", "mine.txt").unwrap();
        assert_eq!(none.titles, Style::shipped().titles);
        let err = Style::parse("title = الشيخ Sheikh\n", "bad.txt").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("bad.txt:1: a title is `title = ARABIC: ENGLISH`"),
            "{err}"
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
            "bad.txt:2: unknown key \"colour\" (article, capitals, ayn, hamza, forms, letter, diphthongs, vowels, nisba, title)"
        );
    }

    fn authority() -> Authority {
        Authority {
            names: parse_tsv(
                "الولايات المتحدة\tU.S.\tplace\t\t\tUnited States | USA\n\
                 الاتحاد الأوروبي\tEuropean Union\torganisation\t\t\tEU | Brexit\n\
                 حزب الله\tHizbullah\torganisation\tHezbollah\t\n",
                "test",
                crate::names::Origin::User,
            )
            .unwrap(),
        }
    }

    fn house(forms: &str) -> Vec<(String, Vec<String>)> {
        let style = Style::parse(&format!("forms = {forms}\n"), "style.txt").unwrap();
        let mut a = authority();
        a.prefer(style.forms);
        a.names
            .into_iter()
            .map(|n| (n.english, n.accepted))
            .collect()
    }

    #[test]
    fn the_style_picks_the_short_or_the_long_form() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            house("long"),
            [
                ("United States".to_string(), s(&["U.S.", "USA"])),
                ("European Union".to_string(), s(&["EU", "Brexit"])),
                ("Hizbullah".to_string(), s(&[])),
            ]
        );
        assert_eq!(
            house("short"),
            [
                ("U.S.".to_string(), s(&["United States", "USA"])),
                ("EU".to_string(), s(&["European Union", "Brexit"])),
                ("Hizbullah".to_string(), s(&[])),
            ]
        );
        assert_eq!(house("listed"), house("listed"));
        assert!(Style::parse("forms = longest\n", "s.txt")
            .unwrap_err()
            .to_string()
            .contains("forms is listed, short or long"));
    }
}
