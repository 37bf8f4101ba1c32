//! The consistency check: every authority name in an Arabic segment must appear in its English in the
//! house's spelling.
//!
//! For each name spotted in a source segment, the target is searched for, in order: the canonical English
//! (exactly, capitals included: the house writes Al-Bukamal, not al-Bukamal); a listed variant (Hezbollah
//! for Hizbullah), reported with the canonical form as the fix; the canonical form with other capitals;
//! an unlisted spelling whose romanization skeleton equals the canonical's and whose Jaro-Winkler
//! similarity is high (Hizballah, Kata'ib Hizbollah), reported likewise; and when none is there, the name
//! is reported missing (`found: null`) unless its note marks it ambiguous (an Arabic form that is also a
//! common word, like صور: Tyre, or pictures).

use serde::Serialize;

use super::skeleton::skeleton;
use super::style::Style;
use super::{Authority, Kind, Spotter};

/// Jaro-Winkler similarity (lower-cased) above which a same-skeleton spelling is taken for the name.
const SIMILARITY: f64 = 0.8;

/// One problem found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The record: 1-based row or unit number in a file, the unit id in the memory.
    pub record: u64,
    /// The Arabic name as it stands in the source.
    pub arabic: String,
    /// The house's English.
    pub expected: String,
    /// What the translation has instead; `None` when the name is missing from it.
    pub found: Option<String>,
}

/// Checks translations against an authority.
pub struct Checker<'a> {
    authority: &'a Authority,
    /// The house style makes capitals part of a name's spelling (else `al-Bukamal` is fine).
    capitals: bool,
    spotter: Spotter,
    /// For each name, the skeletons of its English and of its listed variants, with the spelling each
    /// came from: an unlisted spelling may be close to a variant (Kata'ib Hizballah to Kataib Hezbollah)
    /// rather than to the house's translation (Hizbullah Brigades).
    skeletons: Vec<Vec<(String, String)>>,
}

impl<'a> Checker<'a> {
    pub fn new(authority: &'a Authority, style: &Style) -> Checker<'a> {
        Checker {
            authority,
            capitals: style.capitals,
            spotter: Spotter::new(authority),
            skeletons: authority
                .names
                .iter()
                .map(|n| {
                    std::iter::once(&n.english)
                        .chain(&n.variants)
                        .map(|s| (skeleton(s), s.clone()))
                        .filter(|(k, _)| k.len() >= 2)
                        .collect()
                })
                .collect(),
        }
    }

    /// The findings of one unit.
    pub fn check(&self, record: u64, source: &str, target: &str) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        for spot in self.spotter.spot(source) {
            let name = &self.authority.names[spot.name];
            if out.iter().any(|f| f.expected == name.english) {
                continue;
            }
            if contains_phrase(target, &name.english, true).is_some()
                || (name.kind == Kind::Place && contains_derived(target, &name.english))
                || ((title_case(target) || !self.capitals)
                    && contains_phrase(target, &name.english, false).is_some())
            {
                continue;
            }
            let found = name
                .variants
                .iter()
                .find_map(|v| contains_phrase(target, v, false))
                .or_else(|| contains_phrase(target, &name.english, false))
                .or_else(|| self.similar(target, spot.name));
            if found.is_none() && name.note.to_lowercase().contains("ambiguous") {
                continue;
            }
            out.push(Finding {
                record,
                arabic: source[spot.span.clone()].to_string(),
                expected: name.english.clone(),
                found,
            });
        }
        out
    }

    /// A run of capitalised words in `target` that spells the name differently.
    fn similar(&self, target: &str, name: usize) -> Option<String> {
        let canonical = &self.authority.names[name].english;
        let keys = &self.skeletons[name];
        if keys.is_empty() {
            return None;
        }
        let words: Vec<(usize, &str)> = word_spans(target);
        let n = keys
            .iter()
            .map(|(_, s)| s.split_whitespace().count())
            .max()
            .unwrap_or(1);
        let mut best: Option<(f64, String)> = None;
        for len in n.saturating_sub(1).max(1)..=n + 1 {
            for w in words.windows(len) {
                let (start, first) = w[0];
                if !first.starts_with(|c: char| c.is_uppercase()) {
                    continue;
                }
                let (last_start, last) = w[len - 1];
                let candidate = &target[start..last_start + last.len()];
                if candidate == canonical {
                    continue;
                }
                let key = skeleton(candidate);
                let Some((_, reference)) = keys.iter().find(|(k, _)| *k == key) else {
                    continue;
                };
                let sim =
                    strsim::jaro_winkler(&candidate.to_lowercase(), &reference.to_lowercase());
                if sim >= SIMILARITY && best.as_ref().is_none_or(|b| sim > b.0) {
                    best = Some((sim, candidate.to_string()));
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// Whether the text has a word that starts with a place name: Iranian, Iraqi, Syrian, Iran-backed.
fn contains_derived(text: &str, place: &str) -> bool {
    text.match_indices(place).any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && text[i + place.len()..].starts_with(|c: char| c.is_alphabetic())
    })
}

/// Whether a segment is a headline in title case, where capitals say nothing about a name's spelling.
fn title_case(text: &str) -> bool {
    let long: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().count() > 3)
        .collect();
    long.len() >= 3
        && long
            .iter()
            .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
            .count()
            * 5
            >= long.len() * 4
}

/// Words of a text with their byte offsets (letters, digits, apostrophes and hyphens inside words).
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric() || matches!(c, '\'' | '’' | '-');
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, text[s..i].trim_end_matches(['-', '\'', '’'])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text[s..].trim_end_matches(['-', '\'', '’'])));
    }
    out
}

/// Where `phrase` occurs in `text` as whole words (exactly, or ignoring case); returns it as written.
fn contains_phrase(text: &str, phrase: &str, exact_case: bool) -> Option<String> {
    let (hay, needle) = if exact_case {
        (text.to_string(), phrase.to_string())
    } else {
        (text.to_lowercase(), phrase.to_lowercase())
    };
    // Lower-casing can change byte lengths; only the ASCII-safe case maps back to the original text.
    let same_len = hay.len() == text.len();
    let boundary = |s: &str, at_start: bool| {
        let c = if at_start {
            s.chars().next_back()
        } else {
            s.chars().next()
        };
        !c.is_some_and(|c| c.is_alphanumeric())
    };
    for (i, _) in hay.match_indices(&needle) {
        let end = i + needle.len();
        if boundary(&hay[..i], true) && boundary(&hay[end..], false) {
            return Some(if same_len {
                text[i..end].to_string()
            } else {
                phrase.to_string()
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::parse_tsv;

    fn authority() -> Authority {
        Authority {
            names: parse_tsv(
                "حزب الله\tHizbullah\torganisation\tHezbollah | Hizbollah\t\n\
                 كتائب حزب الله\tHizbullah Brigades\torganisation\tKataib Hezbollah\t\n\
                 البوكمال\tAl-Bukamal\tplace\tAbu Kamal\t\n\
                 صور\tTyre\tplace\t\tambiguous: also 'pictures'\n",
                "test",
                "user",
            )
            .unwrap(),
        }
    }

    fn found(source: &str, target: &str) -> Vec<(String, Option<String>)> {
        let a = authority();
        Checker::new(&a, &Style::shipped())
            .check(1, source, target)
            .into_iter()
            .map(|f| (f.expected, f.found))
            .collect()
    }

    #[test]
    fn canonical_spellings_pass() {
        assert!(found(
            "وصل وفد حزب الله إلى البوكمال",
            "A Hizbullah delegation reached Al-Bukamal"
        )
        .is_empty());
    }

    #[test]
    fn listed_variants_and_capitals_are_reported_with_the_fix() {
        assert_eq!(
            found(
                "وصل وفد حزب الله إلى البوكمال",
                "A Hezbollah delegation reached al-Bukamal"
            ),
            [
                ("Hizbullah".to_string(), Some("Hezbollah".to_string())),
                ("Al-Bukamal".to_string(), Some("al-Bukamal".to_string()))
            ]
        );
    }

    #[test]
    fn unlisted_spellings_are_caught_by_their_skeleton() {
        assert_eq!(
            found("بيان كتائب حزب الله", "A statement by Kata'ib Hizballah"),
            [(
                "Hizbullah Brigades".to_string(),
                Some("Kata'ib Hizballah".to_string())
            )]
        );
        assert_eq!(
            found("وصل إلى البوكمال", "He reached Al-Boukamal"),
            [("Al-Bukamal".to_string(), Some("Al-Boukamal".to_string()))]
        );
    }

    #[test]
    fn missing_names_are_reported_unless_ambiguous() {
        assert_eq!(
            found("قال حزب الله", "The party said"),
            [("Hizbullah".to_string(), None)]
        );
        assert!(found("نشر صور الدمار", "He posted pictures of the destruction").is_empty());
    }
}
