//! Names: one Arabic name, one English spelling, every time.
//!
//! - [`Authority`]: the names the house knows: the list shipped in `tm/names.tsv` (compiled into the
//!   binary), overridden by the user's own entries kept in the memory.
//! - [`Spotter`]: finds authority names in Arabic text, longest first, through attached conjunctions and
//!   prepositions (لكتائب حزب الله, وحزب الله) and whatever harakat or letter forms the text has.
//! - [`translit`]: Arabic names in Latin script, in four schemes; [`style`] is the house style it and
//!   the check follow; [`model`] is the learned spelling model behind the news scheme.
//! - [`check`]: the consistency check of translations against the authority, which recognises
//!   spellings nobody listed by their romanization skeleton.
//! - [`tbx`]: the authority as TBX, for exchange with CAT tools.
//!
//! Inside: `mine` (names learned from the memory), `lexicon` and `usage` (how the entries and the
//! memory spell single words).

pub mod check;
pub(crate) mod lexicon;
pub(crate) mod mine;
pub mod model;
pub(crate) mod spot;
pub mod style;
pub mod tbx;
pub mod translit;
pub(crate) mod usage;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub(crate) use spot::Spot;
pub use spot::Spotter;

/// The shipped authority, compiled in so that the tool needs nothing at run time.
const SHIPPED: &str = include_str!("../../tm/names.tsv");

/// For each line of [`SHIPPED`], its byte range and the first word of each of its Arabic forms in
/// matching form (`None`: a form with no word), worked out by build.rs.
static SHIPPED_LINES: &[(usize, usize, &[Option<&str>])] =
    include!(concat!(env!("OUT_DIR"), "/shipped_first_words.rs"));

/// What a name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person (Qais Al-Khazali).
    Person,
    /// A party, movement, armed group or institution (Hizbullah Brigades).
    Organisation,
    /// A town, region or country (Al-Bukamal).
    Place,
    /// A newspaper, channel, agency or website.
    Media,
    /// Anything else, and an entry that gives no kind.
    Other,
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        let s = s.trim();
        let is = |word: &str| s.eq_ignore_ascii_case(word);
        Ok(if is("person") {
            Kind::Person
        } else if is("organisation") || is("organization") {
            Kind::Organisation
        } else if is("place") {
            Kind::Place
        } else if is("media") {
            Kind::Media
        } else if is("other") || s.is_empty() {
            Kind::Other
        } else {
            return Err(format!(
                "unknown kind {:?}: person, organisation, place, media or other",
                s.to_ascii_lowercase()
            ));
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Media => "media",
            Kind::Other => "other",
        })
    }
}

/// One name: its Arabic forms, the house's English, and the spellings to correct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The Arabic forms the name is written in (at least one), as the entry gives them: the spotter
    /// matches them in any harakat or letter forms, with clitics on the first word.
    pub arabic: Vec<String>,
    /// The house's English spelling: what a translation must write.
    pub english: String,
    /// What the name names.
    pub kind: Kind,
    /// Deprecated spellings: findings, with the house form as the fix (Hezbollah for Hizbullah).
    pub variants: Vec<String>,
    /// Free text for the translator. Two words in it matter to the check, which then does not report
    /// the name missing from a translation (its spellings are still checked): `ambiguous`, an Arabic form
    /// that is also a common word (صور: Tyre, or pictures), and `paraphrased`, a name translators
    /// often put otherwise (Washington for the US government).
    pub note: String,
    /// Accepted alternatives, never findings (United States beside U.S., EU beside European Union).
    pub accepted: Vec<String>,
    /// Where the entry comes from.
    pub source: Origin,
}

/// Where a name entry comes from: the list `tm` ships, or the user's own names in the memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// `tm/names.tsv`, built into the binary.
    Shipped,
    /// Added by the user (`tm names add`, `tm names import`), kept in the memory.
    User,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Origin::Shipped => "shipped",
            Origin::User => "user",
        })
    }
}

/// A problem in a names file.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct NamesError {
    /// The file as the caller named it.
    pub file: String,
    /// The line the problem is on, from 1.
    pub line: usize,
    /// What is wrong, for a person to read.
    pub message: String,
}

/// Splits a `a | b | c` cell.
fn list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses the names TSV format (tab-separated arabic, english, kind, variants, note, accepted; header
/// first; the last columns may be left out).
/// It allocates only what a [`Name`] keeps: every `tm` command that checks or spots names parses the
/// shipped list first.
pub(crate) fn parse_tsv(text: &str, file: &str, source: Origin) -> Result<Vec<Name>, NamesError> {
    parse_lines(text.lines().enumerate(), file, source)
}

/// [`parse_tsv`] of some lines of a file, each with its index (from 0, as `str::lines` counts).
fn parse_lines<'t>(
    lines: impl Iterator<Item = (usize, &'t str)>,
    file: &str,
    source: Origin,
) -> Result<Vec<Name>, NamesError> {
    let mut names = Vec::new();
    for (i, line) in lines {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || (i == 0 && line.starts_with("arabic\t")) {
            continue;
        }
        let err = |message: String| NamesError {
            file: file.to_string(),
            line: i + 1,
            message,
        };
        let mut cells = line.split('\t');
        let (arabic, Some(english)) = (cells.next().unwrap_or(""), cells.next()) else {
            return Err(err(
                "a name needs at least the Arabic and the English, separated by a tab".into(),
            ));
        };
        let (arabic, english) = (list(arabic), english.trim());
        if arabic.is_empty() || english.is_empty() {
            return Err(err("empty Arabic or English".into()));
        }
        let kind = cells.next().unwrap_or("").parse().map_err(err)?;
        names.push(Name {
            arabic,
            english: english.to_string(),
            kind,
            variants: cells.next().map(list).unwrap_or_default(),
            note: cells.next().unwrap_or("").trim().to_string(),
            accepted: cells.next().map(list).unwrap_or_default(),
            source,
        });
    }
    Ok(names)
}

/// Writes names in the TSV format [`parse_tsv`] reads.
pub(crate) fn to_tsv(names: &[Name]) -> String {
    let mut out = String::from("arabic\tenglish\tkind\tvariants\tnote\taccepted\n");
    for n in names {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            n.arabic.join(" | "),
            n.english,
            n.kind,
            n.variants.join(" | "),
            n.note,
            n.accepted.join(" | ")
        ));
    }
    out
}

/// The names a check or a spotter uses: the user's entries first, then the shipped ones they do not
/// override (an entry overrides another that shares an Arabic form).
#[derive(Clone, Debug, Default)]
pub struct Authority {
    /// The entries, in that order: the user's, then the shipped ones.
    pub names: Vec<Name>,
}

impl Authority {
    /// Makes each name's house form the short or the long one its accepted alternatives offer, as the
    /// style says: the first accepted alternative shorter (or longer) than the listed form takes its
    /// place, and the listed form becomes accepted (U.S. and United States, European Union and EU).
    pub(crate) fn prefer(&mut self, forms: style::Forms) {
        let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
        for name in &mut self.names {
            let n = letters(&name.english);
            let pick = name.accepted.iter().position(|a| match forms {
                style::Forms::Listed => false,
                style::Forms::Short => letters(a) < n,
                style::Forms::Long => letters(a) > n,
            });
            if let Some(i) = pick {
                std::mem::swap(&mut name.english, &mut name.accepted[i]);
            }
        }
    }

    /// The list that ships with `tm` (`tm/names.tsv`, compiled in), without the user's entries.
    pub fn shipped() -> Authority {
        Authority {
            // The shipped file is tested to parse (tests below); an error here would be a build defect.
            names: parse_tsv(SHIPPED, "tm/names.tsv", Origin::Shipped).unwrap_or_default(),
        }
    }

    /// [`Authority::shipped_for_words`] of whole Arabic texts.
    #[cfg(test)]
    pub(crate) fn shipped_for<S: AsRef<str>>(texts: &[S]) -> Authority {
        let folded: Vec<String> = texts
            .iter()
            .map(|t| crate::text::normalize(t.as_ref()))
            .collect();
        Authority::shipped_for_words(folded.iter().flat_map(|t| crate::text::words(t)))
    }

    /// The shipped names that may occur in Arabic texts given as their words in matching form
    /// ([`words`](crate::text::words()) of the [`normalize`](crate::text::normalize)d text, as the
    /// aligner has them): those with a form whose first word the texts have (with or without
    /// clitics). Aligning a short document needs a handful of the list, and parsing all of it cost a
    /// quarter of a millisecond, as much as the alignment.
    pub(crate) fn shipped_for_words<'t>(words: impl IntoIterator<Item = &'t str>) -> Authority {
        let words = spot::FirstWords::of(words);
        let lines = (SHIPPED_LINES.iter().enumerate())
            .filter(|(_, (_, _, firsts))| firsts.iter().any(|w| w.is_none_or(|w| words.has(w))))
            .map(|(i, &(start, end, _))| (i, &SHIPPED[start..end]));
        Authority {
            names: parse_lines(lines, "tm/names.tsv", Origin::Shipped).unwrap_or_default(),
        }
    }

    /// The shipped list with the user's entries on top.
    pub(crate) fn with_user(user: Vec<Name>) -> Authority {
        let shipped = Authority::shipped().names;
        let overridden = |n: &Name| {
            user.iter()
                .any(|u| u.arabic.iter().any(|a| n.arabic.contains(a)))
        };
        let mut names = user.clone();
        names.extend(shipped.into_iter().filter(|n| !overridden(n)));
        Authority { names }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{normalize, words};

    #[test]
    fn the_shipped_authority_parses_and_covers_the_seed() {
        let a = parse_tsv(SHIPPED, "tm/names.tsv", Origin::Shipped).expect("tm/names.tsv parses");
        assert!(a.len() >= 150, "{} names", a.len());
        let english: Vec<&str> = a.iter().map(|n| n.english.as_str()).collect();
        for name in [
            "Hizbullah",
            "Hizbullah Brigades",
            "Al-Nujaba Movement",
            "Asa'ib Ahl Al-Haq",
            "Qais Al-Khazali",
            "Al-Bukamal",
            "Al-Qa'im",
            "Deir Al-Zour",
            "Mazari' Al-Mayadin",
            "Abu Haydar Al-Khafaji",
        ] {
            assert!(english.contains(&name), "{name} missing");
        }
        for n in &a {
            assert!(
                !n.variants.contains(&n.english),
                "{} lists itself as a variant",
                n.english
            );
        }
    }

    #[test]
    fn the_names_a_text_may_hold_are_all_it_holds() {
        let text =
            "وقالت كتائب حزب الله إن قافلة وصلت إلى البوكمال قرب دير الزور، ولحركة النجباء رأي.";
        let few = Authority::shipped_for(&[text]);
        let all = Authority::shipped();
        // Those whose first word the text has (كتائب, حزب, دير ...): a small share of the list.
        assert!(
            few.names.len() * 20 < all.names.len(),
            "{} of {} names",
            few.names.len(),
            all.names.len()
        );
        let spotted = |a: &Authority| -> Vec<String> {
            Spotter::new(a)
                .spot(text)
                .iter()
                .map(|s| a.names[s.name].english.clone())
                .collect()
        };
        assert_eq!(spotted(&few), spotted(&all));
        assert_eq!(
            spotted(&few),
            [
                "Hizbullah Brigades",
                "Al-Bukamal",
                "Deir Al-Zour",
                "Al-Nujaba Movement"
            ]
        );
        assert!(Authority::shipped_for(&["لا أسماء هنا"]).names.is_empty());
    }

    #[test]
    fn the_shipped_lines_table_is_the_names_files() {
        // build.rs wrote it; worked out again here at run time, with the same rule as the spotter.
        let lines: Vec<&str> = SHIPPED.lines().collect();
        assert_eq!(SHIPPED_LINES.len(), lines.len());
        for (line, &(start, end, table)) in lines.iter().zip(SHIPPED_LINES) {
            assert_eq!(&SHIPPED[start..end], *line);
            let arabic = line.split('\t').next().unwrap();
            let firsts: Vec<Option<String>> = arabic
                .split('|')
                .flat_map(|form| {
                    let joined = crate::text::joined_first_word(form).map(Some);
                    std::iter::once(crate::text::first_word(form)).chain(joined)
                })
                .collect();
            let table: Vec<Option<String>> = table.iter().map(|w| w.map(str::to_string)).collect();
            assert_eq!(table, firsts, "{line}");
        }
        let hizbullah = lines
            .iter()
            .position(|l| l.starts_with("حزب الله\t"))
            .unwrap();
        assert_eq!(
            SHIPPED_LINES[hizbullah].2[..2],
            [Some("حزب"), Some("حزبالله")]
        );
    }

    #[test]
    fn a_document_that_joins_a_names_words_still_gets_that_name() {
        // What the aligner does for a short document: the shipped names its words may start, then a
        // spotter for its words only.
        let text = "أعلن حزبالله أمس عن عملية في ديرالزور";
        let authority = Authority::shipped_for(&[text]);
        let folded = normalize(text);
        let spotter = Spotter::for_texts(&authority, words(&folded));
        let found: Vec<&str> = spotter
            .spot(text)
            .iter()
            .map(|s| authority.names[s.name].english.as_str())
            .collect();
        assert_eq!(found, ["Hizbullah", "Deir Al-Zour"]);
    }

    #[test]
    fn user_entries_override_shipped_ones_sharing_an_arabic_form() {
        let user = parse_tsv(
            "حزب الله\tHezbollah\torganisation\t\t",
            "user",
            Origin::User,
        )
        .unwrap();
        let a = Authority::with_user(user);
        let hits: Vec<&Name> = a
            .names
            .iter()
            .filter(|n| n.arabic.iter().any(|f| f == "حزب الله"))
            .collect();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].english, "Hezbollah");
    }

    #[test]
    fn a_bad_line_names_its_file_and_line() {
        let err = parse_tsv("arabic\tenglish\nحزب الله\n", "mine.tsv", Origin::User).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.tsv:2: a name needs at least the Arabic and the English, separated by a tab"
        );
        let err = parse_tsv("حزب الله\tHizbullah\tparty\n", "mine.tsv", Origin::User).unwrap_err();
        assert!(err.to_string().contains("unknown kind \"party\""));
    }
}
