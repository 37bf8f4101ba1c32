//! The consistency check: every authority name in an Arabic segment must appear in its English in the
//! house's spelling.
//!
//! For each name spotted in a source segment, the target is searched for, in order: the canonical English
//! (exactly, capitals included: the house writes Al-Bukamal, not al-Bukamal); a listed variant (Hezbollah
//! for Hizbullah), reported with the canonical form as the fix; the canonical form with other capitals;
//! an unlisted spelling whose romanization skeleton equals the canonical's and whose Jaro-Winkler
//! similarity is high (Hizballah, Kata'ib Hizbollah), reported likewise; and when none is there, the name
//! is reported missing (`found: null`) unless its note marks it ambiguous (an Arabic form that is also a
//! common word, like صور: Tyre, or pictures) or paraphrased (a name translators often put otherwise).

use std::ops::Range;

use serde::Serialize;

use super::style::Style;
use super::{Authority, Kind, Spot, Spotter};
use crate::text::skeleton;

/// Jaro-Winkler similarity (lower-cased) above which a same-skeleton spelling is taken for the name.
const SIMILARITY: f64 = 0.8;

/// One problem found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The `record` given to [`Checker::check`] (`tm` gives the 1-based row or unit number in a file,
    /// or the unit's id in the memory).
    pub record: u64,
    /// The Arabic name as it stands in the source.
    pub arabic: String,
    /// The house's English.
    pub expected: String,
    /// What the translation has instead; `None` when the name is missing from it.
    pub found: Option<String>,
}

/// Checks translations against an authority: built once (it indexes the authority's names and the
/// skeletons of their spellings), then used for every unit.
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
    /// A checker of `authority`'s names; `style` says whether capitals are part of a spelling.
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

    /// The findings of one unit: each authority name of the Arabic `source` that the English `target`
    /// does not write in the house's form, at most once per name, in the order the names occur.
    /// `record` is copied into the findings, to say which unit they are about.
    pub fn check(&self, record: u64, source: &str, target: &str) -> Vec<Finding> {
        self.check_spotted(record, source, target, &self.spot(source))
    }

    /// The authority's names in a source text, as [`Checker::check_spotted`] takes them (a caller that
    /// also mines the text spots it once).
    pub(crate) fn spot(&self, source: &str) -> Vec<Spot> {
        self.spotter.spot(source)
    }

    /// The findings of one unit (`record` numbers it in the findings), its source's names already
    /// spotted by [`Checker::spot`].
    pub(crate) fn check_spotted(
        &self,
        record: u64,
        source: &str,
        target: &str,
        spots: &[Spot],
    ) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        // Found once a unit, and only when a name is not in its house form.
        let mut titles: Option<Vec<Range<usize>>> = None;
        for spot in spots {
            let name = &self.authority.names[spot.name];
            if names_an_outlet(&source[..spot.span.start]) {
                continue;
            }
            if out.iter().any(|f| f.expected == name.english) {
                continue;
            }
            let house_or_accepted = || std::iter::once(&name.english).chain(&name.accepted);
            let any_case = |e: &String| contains_phrase(target, e, false, &[]);
            if house_or_accepted().any(|e| contains_phrase(target, e, true, &[]).is_some())
                // A place's people and adjective (Iraqi); any name but a person's may be derived so,
                // a mined name's kind being unknown (Bangladeshi).
                || (name.kind != Kind::Person
                    && contains_derived(target, &name.english, &name.variants))
                || (!self.capitals && house_or_accepted().any(|e| any_case(e).is_some()))
                // A headline capitalises words the house writes in lower case, never the reverse:
                // "Qais al-Khazali Threatens U.S. Forces" still lowers the house's Al-.
                || (title_case(target)
                    && house_or_accepted()
                        .any(|e| any_case(e).is_some_and(|found| capitalised(&found, e))))
            {
                continue;
            }
            // A title quoted or set in italics keeps its own spelling (*Hezbollah: A Short History*).
            let titles: &[Range<usize>] = titles.get_or_insert_with(|| title_spans(target));
            let spelled = |skip: &[Range<usize>]| {
                name.variants
                    .iter()
                    .find_map(|v| contains_phrase(target, v, false, skip))
                    .or_else(|| contains_phrase(target, &name.english, false, skip))
                    .or_else(|| self.similar(target, spot.name, skip))
            };
            let found = spelled(titles);
            // Named in a title only: present, in the title's own spelling.
            if found.is_none() && !titles.is_empty() && spelled(&[]).is_some() {
                continue;
            }
            if found.is_none() && !reported_missing(&name.note) {
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
    fn similar(&self, target: &str, name: usize, titles: &[Range<usize>]) -> Option<String> {
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
                let end = last_start + last.len();
                let candidate = &target[start..end];
                if candidate == canonical || titles.iter().any(|t| t.start <= start && end <= t.end)
                {
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
fn contains_derived(text: &str, place: &str, variants: &[String]) -> bool {
    text.match_indices(place).any(|(i, _)| {
        let rest = &text[i + place.len()..];
        let tail_len = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(rest.len(), |(k, _)| k);
        let word = &text[i..i + place.len() + tail_len];
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            && DERIVED_ENDINGS.contains(&&rest[..tail_len])
            && !variants.iter().any(|v| v == word)
    })
}

/// The words that make the name after them an outlet's own name (قناة الفرات, Al-Furat TV; صحيفة
/// الرياض, Al-Riyadh newspaper): not the river or the city, and not to be spelled as them.
const OUTLETS: [&str; 9] = [
    "قناة",
    "شبكة",
    "صحيفة",
    "جريدة",
    "وكالة",
    "إذاعة",
    "اذاعة",
    "مجلة",
    "تلفزيون",
];

/// Whether the text before a name ends with an outlet's head word (with a clitic: لقناة, وصحيفة).
fn names_an_outlet(before: &str) -> bool {
    let Some(word) = before.split_whitespace().next_back() else {
        return false;
    };
    let word = word.trim_matches(|c: char| !c.is_alphabetic());
    OUTLETS.iter().any(|head| {
        word == *head
            || word.strip_suffix(head).is_some_and(|clitics| {
                !clitics.is_empty()
                    && clitics.chars().all(|c| "وفبلك".contains(c))
                    && clitics.chars().count() <= 2
            })
    })
}

/// Whether a name absent from the translation is a finding. Not for a name whose note says it is
/// "ambiguous" (its Arabic is also a common word: صور, Tyre or pictures) or "paraphrased" (a state, a
/// body of states, a capital: translators name them otherwise, Stateside, Brussels, Washington for the
/// government, and on real translations such findings were almost all false). Their spellings are still
/// checked.
fn reported_missing(note: &str) -> bool {
    let note = note.to_lowercase();
    !note.contains("ambiguous") && !note.contains("paraphrased")
}

/// The endings that make a place's adjective or people (Iraqi, Syrian, Iranian, Yemenis): the only
/// letters a place's name may be followed by and still count as the name. Any other letters make
/// another word (Basrah is a listed variant of Basra, not a derivation of it).
const DERIVED_ENDINGS: &[&str] = &[
    "i", "is", "n", "ns", "an", "ans", "ian", "ians", "ite", "ites",
];

/// Whether `found` is `house` with some of its lower-case letters capitalised, as a title-case
/// headline writes it (Bin for bin), and with no capital of the house's lowered (al- for Al-).
fn capitalised(found: &str, house: &str) -> bool {
    found.chars().count() == house.chars().count()
        && found
            .chars()
            .zip(house.chars())
            .all(|(f, h)| f == h || (h.is_lowercase() && h.to_uppercase().eq(std::iter::once(f))))
}

/// The byte ranges of titles in an English text: a quotation in title case (“Hizballah International
/// Financing Prevention Act”), or text between `*` or `_` (italics in plain text). A quotation of
/// running words is not a title: a translator renders quoted speech in the house style too.
fn title_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    for (open, close) in [('“', '”'), ('«', '»'), ('"', '"'), ('*', '*'), ('_', '_')] {
        let mut from = 0;
        while let Some(start) = text[from..].find(open).map(|k| from + k + open.len_utf8()) {
            let Some(end) = text[start..].find(close).map(|k| start + k) else {
                break;
            };
            let inner = &text[start..end];
            if matches!(open, '*' | '_') || mostly_capitalised(inner, 1) {
                spans.push(start..end);
            }
            from = end + close.len_utf8();
        }
    }
    spans
}

/// Whether a segment is a headline in title case, where capitals say nothing about a name's spelling.
fn title_case(text: &str) -> bool {
    mostly_capitalised(text, 3)
}

/// Whether at least `min` words of more than three characters are in `text`, four in five of them
/// starting with a capital (small words such as "of" and "the" aside).
fn mostly_capitalised(text: &str, min: usize) -> bool {
    let long: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().count() > 3)
        .collect();
    long.len() >= min.max(1)
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
fn contains_phrase(
    text: &str,
    phrase: &str,
    exact_case: bool,
    skip: &[Range<usize>],
) -> Option<String> {
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
        let skipped = same_len && skip.iter().any(|s| s.start <= i && end <= s.end);
        if boundary(&hay[..i], true) && boundary(&hay[end..], false) && !skipped {
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
                 صور\tTyre\tplace\t\tambiguous: also 'pictures'\n\
                 الولايات المتحدة\tU.S.\tplace\tUnited Staets\tparaphrased (a state)\tUnited States | USA\n\
                 البصرة\tBasra\tplace\tBasrah\t\n\
                 العراق\tIraq\tplace\t\t\n\
                 قيس الخزعلي\tQais Al-Khazali\tperson\tQais al-Khazali\t\n",
                "test",
                crate::names::Origin::User,
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
    fn accepted_alternatives_are_never_findings() {
        for english in [
            "U.S. forces left",
            "United States forces left",
            "Team USA left",
        ] {
            assert!(
                found("غادرت قوات الولايات المتحدة", english).is_empty(),
                "{english}"
            );
        }
    }

    #[test]
    fn a_derived_word_takes_a_closed_list_of_endings_and_is_never_a_variant() {
        assert!(found("قال عراقيون في البصرة", "Iraqis in Basra said").is_empty());
        assert!(found("في العراق", "the Iraqi side").is_empty());
        assert_eq!(
            found("وصلوا إلى البصرة", "They reached Basrah"),
            [("Basra".to_string(), Some("Basrah".to_string()))]
        );
    }

    #[test]
    fn a_headline_may_capitalise_but_not_lower_the_house_form() {
        assert!(found(
            "قيس الخزعلي يهدد القوات الأمريكية",
            "Qais Al-Khazali Threatens American Forces Again"
        )
        .is_empty());
        assert_eq!(
            found(
                "قيس الخزعلي يهدد القوات الأمريكية",
                "Qais al-Khazali Threatens American Forces Again"
            ),
            [(
                "Qais Al-Khazali".to_string(),
                Some("Qais al-Khazali".to_string())
            )]
        );
    }

    #[test]
    fn a_title_keeps_its_own_spelling_but_quoted_speech_does_not() {
        assert!(found(
            "صدر كتاب عن حزب الله",
            "He wrote *Hezbollah: A Short History* last year"
        )
        .is_empty());
        assert!(found(
            "قانون منع التمويل الدولي لحزب الله",
            "the “Hizballah International Financing Prevention Act” passed"
        )
        .is_empty());
        assert_eq!(
            found(
                "قال إن حزب الله سيرد",
                "\"Hezbollah will respond,\" he said"
            ),
            [("Hizbullah".to_string(), Some("Hezbollah".to_string()))]
        );
    }

    #[test]
    fn a_paraphrased_state_is_not_missing_but_is_still_spelled_right() {
        assert!(found("في جنوب غرب الولايات المتحدة", "across the Desert Southwest").is_empty());
        assert_eq!(
            found("غادرت قوات الولايات المتحدة", "United Staets forces left"),
            [("U.S.".to_string(), Some("United Staets".to_string()))]
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
