//! A translation unit: one source segment with its translation, and what a CAT tool keeps beside them.
//!
//! This is the shape every format reads into and writes from, and what the store keeps. Segment text is
//! kept exactly as the file gave it (whitespace included); inline TMX markup, when a segment has any, is
//! kept beside the plain text so that it can be written back unchanged.
//!
//! ```
//! use tm::unit::{Segment, Unit};
//! let unit = Unit::new("ar", "en", Segment::plain("حزب الله"), Segment::plain("Hizbullah"));
//! assert_eq!(unit.source.text, "حزب الله");
//! assert!(unit.meta.is_empty());
//! ```

use serde::{Deserialize, Serialize};

/// One side of a unit.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Segment {
    /// The text a translator reads: inline codes left out, whitespace exactly as given.
    pub text: String,
    /// The TMX `<seg>` content as XML when it carried inline elements (`bpt`, `ept`, `ph`, `it`, `hi`,
    /// `ut`, `sub`), so that export writes it back identically; `None` for plain text.
    pub markup: Option<String>,
}

impl Segment {
    /// A segment without inline markup.
    pub fn plain(text: impl Into<String>) -> Segment {
        Segment {
            text: text.into(),
            markup: None,
        }
    }
}

/// A translation unit: source and target with their languages, provenance and metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Language tag of the source as written (`ar`, `ar-IQ`, `AR`); compared by primary subtag.
    pub src_lang: String,
    /// Language tag of the target as written (`en`, `en-US`).
    pub tgt_lang: String,
    /// The source segment, in `src_lang`.
    pub source: Segment,
    /// Its translation, in `tgt_lang`.
    pub target: Segment,
    /// TMX `tuid`, when the file gave one.
    pub tuid: Option<String>,
    /// Where the unit came from: a file, document or project name.
    pub origin: Option<String>,
    /// When the unit was created, as a TMX date (`YYYYMMDDThhmmssZ`, UTC); `None`: the store records the
    /// time it arrives.
    pub created: Option<String>,
    /// Who created it (TMX `creationid`); `None`: the store records the user its
    /// [`Provenance`](crate::store::Provenance) names, if any.
    pub created_by: Option<String>,
    /// When it last changed, as `created`; `None`: the store takes its creation date.
    pub changed: Option<String>,
    /// Who last changed it (TMX `changeid`); `None`: the store takes its creator.
    pub changed_by: Option<String>,
    /// TMX `usagecount`, when given.
    pub usage_count: Option<u32>,
    /// Everything else a file said about the unit (props, notes, other attributes), kept for export.
    pub meta: Meta,
}

impl Unit {
    /// A unit with only its two segments and languages.
    pub fn new(src_lang: &str, tgt_lang: &str, source: Segment, target: Segment) -> Unit {
        Unit {
            src_lang: src_lang.to_string(),
            tgt_lang: tgt_lang.to_string(),
            source,
            target,
            tuid: None,
            origin: None,
            created: None,
            created_by: None,
            changed: None,
            changed_by: None,
            usage_count: None,
            meta: Meta::default(),
        }
    }
}

/// A TMX `<prop>` or `<note>`, or a named extra column of a TSV/CSV file (kept as a prop).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// A prop or a note.
    pub kind: AnnotationKind,
    /// Attributes as written (`type`, `xml:lang`, `o-encoding`), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// The content as text (a prop's value, a note's words).
    pub text: String,
}

impl Annotation {
    /// A `<prop type="...">` with the given value.
    pub fn prop(kind: &str, value: impl Into<String>) -> Annotation {
        Annotation {
            kind: AnnotationKind::Prop,
            attrs: vec![("type".to_string(), kind.to_string())],
            text: value.into(),
        }
    }

    /// The value of an attribute, if present.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether an [`Annotation`] is a TMX `<prop>` or a `<note>`: written back as the element it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    /// A `<prop>`: a typed value (its type in the `type` attribute); a TSV/CSV column other than a
    /// note becomes one, typed with the column's name.
    Prop,
    /// A `<note>`: free text; a TSV/CSV `note` or `comment` column becomes one.
    Note,
}

/// Metadata of one `<tuv>`: attributes other than its language, and its props and notes.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VariantMeta {
    /// `<tuv>` attributes other than `xml:lang`, as name and value, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// The `<tuv>`'s props and notes, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

impl VariantMeta {
    /// Whether there is nothing to write back.
    pub(crate) fn is_empty(&self) -> bool {
        self.attrs.is_empty() && self.annotations.is_empty()
    }
}

/// Unit metadata that has no column of its own. Stored as JSON, written back on TMX export.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Meta {
    /// `<tu>` attributes other than those with a column (tuid, dates, users, usagecount).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attrs: Vec<(String, String)>,
    /// `<tu>`-level props and notes, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// The source `<tuv>`'s own metadata.
    #[serde(default, skip_serializing_if = "VariantMeta::is_empty")]
    pub source: VariantMeta,
    /// The target `<tuv>`'s own metadata.
    #[serde(default, skip_serializing_if = "VariantMeta::is_empty")]
    pub target: VariantMeta,
}

impl Meta {
    /// Whether the file said nothing beyond the unit's columns (the store then keeps no JSON).
    pub fn is_empty(&self) -> bool {
        self.attrs.is_empty()
            && self.annotations.is_empty()
            && self.source.is_empty()
            && self.target.is_empty()
    }
}

/// The primary subtag of a language tag, lower-cased: `ar-IQ` → `ar`, `EN_us` → `en`.
///
/// Languages are matched by primary subtag so that a memory of `ar-IQ` and `ar-SA` units answers an `ar`
/// query, as translators expect.
pub(crate) fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .trim()
        .to_ascii_lowercase()
}

/// Whether a language tag from a file answers a requested one.
///
/// A bare request (`ar`) takes any region or script (`ar-IQ`); a request with subtags (`en-GB`) takes only
/// that tag, case-insensitively.
pub(crate) fn language_matches(requested: &str, tag: &str) -> bool {
    let requested = requested.trim();
    let tag = tag.trim();
    if requested.contains(['-', '_']) {
        requested
            .replace('_', "-")
            .eq_ignore_ascii_case(&tag.replace('_', "-"))
    } else {
        primary_language(tag) == requested.to_ascii_lowercase()
    }
}

/// How closely a stored unit's language tag answers a lookup's: `Some(0)` for the same tag, `Some(1)` for
/// the same language with another region or none (a memory of `ar`/`en` answers `ar-IQ`/`en-US`, and the
/// reverse), `None` for another language. Lookups take both and rank the same tag first; readers of files
/// keep the stricter [`language_matches`].
pub(crate) fn language_fit(requested: &str, tag: &str) -> Option<u8> {
    let canonical = |t: &str| t.trim().replace('_', "-").to_ascii_lowercase();
    if canonical(requested) == canonical(tag) {
        Some(0)
    } else if primary_language(requested) == primary_language(tag) {
        Some(1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_takes_the_language_in_any_region_the_same_tag_first() {
        assert_eq!(language_fit("ar-IQ", "ar-iq"), Some(0));
        assert_eq!(language_fit("ar-IQ", "ar"), Some(1));
        assert_eq!(language_fit("ar", "ar-SA"), Some(1));
        assert_eq!(language_fit("en_US", "en-US"), Some(0));
        assert_eq!(language_fit("en-US", "fr-US"), None);
        assert_eq!(language_fit("ar", "arz"), None);
    }

    #[test]
    fn primary_subtags_match_case_insensitively() {
        assert!(language_matches("ar", "ar-IQ"));
        assert!(language_matches("ar", "AR"));
        assert!(language_matches("AR", "ar-sa"));
        assert!(language_matches("en", "en-US"));
        assert!(!language_matches("en", "fr-CA"));
        assert!(!language_matches("ar", "arz"));
    }

    #[test]
    fn regional_requests_take_only_that_region() {
        assert!(language_matches("en-GB", "EN-gb"));
        assert!(!language_matches("en-GB", "en-US"));
        assert!(language_matches("en_US", "en-us"));
    }

    #[test]
    fn meta_round_trips_through_json() {
        let mut meta = Meta::default();
        meta.annotations.push(Annotation::prop("x-origin", "memri"));
        meta.source.attrs.push(("creationid".into(), "ys".into()));
        let json = serde_json::to_string(&meta).unwrap();
        assert_eq!(serde_json::from_str::<Meta>(&json).unwrap(), meta);
        assert_eq!(serde_json::to_string(&Meta::default()).unwrap(), "{}");
    }
}
