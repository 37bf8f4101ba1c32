//! The training examples, read from the public name tables laid out as `../shared/data/translit/`.
//!
//! This is where the model's data layout and its weighting live: which files are read, which rows are
//! used, how much a spelling counts by its country ([`country_weight`]) and its vowels, and how a table's
//! Arabic keys and English spellings are cut to one word without the article. Only training
//! (`examples/train_translit.rs`) reads these tables: rendering needs nothing but the model file.

use rustc_hash::FxHashMap;

use super::{ascii_letters, fold};

/// How much a spelling used in one country counts in training (ISO 3166 codes, as `units.tsv` has them).
///
/// The house writes Mashriq news English: spellings from Iraq, Syria, Lebanon, Jordan and Palestine count
/// in full, the Gulf's and Egypt's a little less (Egypt writes ج as G, which the house does not), and the
/// French spellings of the Maghreb (Kacem, Zied, Oulid) not at all. Iranian, Afghan, Pakistani and
/// Turkish-influenced spellings (Ghasem, Javad, Zeynep) count for little: enough for names only they
/// have, not enough to outvote an Arab country's spelling of an Arab name.
pub fn country_weight(country: &str) -> f64 {
    match country {
        "IQ" | "SY" | "LB" | "JO" | "PS" => 1.0,
        "SA" | "KW" | "QA" | "BH" | "AE" | "OM" | "YE" => 0.8,
        "EG" => 0.5,
        "SD" => 0.3,
        "DZ" | "MA" | "TN" | "LY" | "MR" => 0.0,
        "IR" | "AF" | "PK" => 0.03,
        _ => 0.1,
    }
}

/// How much more an example of the units counts than one of the other tables: they are the Arab names
/// with their countries, the house's own kind of name, where the other tables are mostly foreign names in
/// Arabic script (which write no vowels between consonants: Krki for كركي).
const UNITS: f64 = 4.0;

/// The weight of an Arab name's spelling by its vowels: Mashriq news English writes the classical vowels a,
/// i, u and the diphthongs ay, aw (Haydar, Zaynab, Husayn, Nuri, Al-Juburi); the e and o of Egyptian,
/// Levantine, French and Turkish spellings (Haider, Zeynep, Nouri) and a final y (Al-Jubury) count a
/// tenth.
fn house_vowels(latin: &str) -> f64 {
    if latin.contains(['e', 'o']) || latin.ends_with('y') {
        0.1
    } else {
        1.0
    }
}

/// An Arabic key as the tables are compared: alif forms as bare alif, ta marbuta as ha, alif maqsura and
/// the Persian yeh as ya, keheh as kaf, no harakat or tatweel (the `units.tsv` keys are written so).
fn table_key(arabic: &str) -> String {
    arabic
        .chars()
        .filter_map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ة' => Some('ه'),
            'ى' | 'ی' => Some('ي'),
            'ک' => Some('ك'),
            c if fold(c).is_some() => Some(c),
            _ => None,
        })
        .collect()
}

/// A unit's key with the final letter its spelling shows: the keys write ة as ه and ى as ي, so a key
/// ending in ه or ي spelled with a final a (Fatima, Mustafa) had ta marbuta or alif maqsura.
fn final_vowel_letter(mut arabic: String, latin: &str) -> String {
    let ends_a = latin.ends_with('a') || latin.ends_with("ah") || latin.ends_with("eh");
    if ends_a && arabic.ends_with('ه') && !latin.ends_with("ha") {
        arabic.pop();
        arabic.push('ة');
    } else if latin.ends_with('a') && arabic.ends_with('ي') && !latin.ends_with("ya") {
        arabic.pop();
        arabic.push('ى');
    }
    arabic
}

/// A unit without its article, as the renderer reads it (the renderer writes `Al-` itself): the Arabic
/// without ال and the English without al-, el-, Al or an assimilated article (ash-, an-). `None` when the
/// English is not one word once the article is gone.
fn without_article(arabic: &str, latin: &str) -> Option<(String, String)> {
    let lower = latin.to_lowercase();
    let (arabic, rest) = match arabic.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => {
            let mut english = lower.as_str();
            for article in ["al-", "el-", "al ", "el ", "al'", "el'", "ul-", "al", "el"] {
                if let Some(r) = english.strip_prefix(article) {
                    english = r;
                    break;
                }
            }
            // Assimilated: as-sadr, ash-shami, an-nasr.
            if english.len() == lower.len() {
                if let Some((head, tail)) = lower.split_once(['-', ' ']) {
                    if (head.starts_with('a') || head.starts_with('e'))
                        && head.len() <= 3
                        && tail.starts_with(&head[1..])
                    {
                        english = tail;
                    }
                }
            }
            (rest.to_string(), english.to_string())
        }
        _ => (arabic.to_string(), lower),
    };
    let one_word = !rest.is_empty() && !rest.contains([' ', '-']) && !arabic.contains(' ');
    one_word.then_some((arabic, rest))
}

/// Reads the training tables under `dir` (the layout of `../shared/data/translit/`):
///
/// - the Wikidata name units (`wikidata-names/units.tsv`: `arabic_key, latin, latin_lang, country, role,
///   count, source`): each one-word spelling weighted by its uses in each country ([`country_weight`]),
///   1 + ln(weighted uses), or the weighted uses themselves below one, times `UNITS`, times
///   `house_vowels`; the article taken off both sides; units of the DziriNames benchmark (source
///   `dzirinames`, Algerian) are not used;
/// - Google's Arabic→English train split (`google-ar2en/ar2en-train.txt`, `arabic<TAB>english`), mostly
///   foreign names in Arabic script: weight 1, but not an Arabic word the units spell in an Arab country
///   (the table's spellings of Arab names are largely Maghrebi and French);
/// - the Wikidata name tokens (`wikidata-names/wd_arabic.normalized.aligned.tokens`,
///   `english<TAB>spaced letters<TAB>count`), weighted by 1 + ln count, only for words the units lack
///   (the units are the same Wikidata names with their countries).
///
/// English is folded to ASCII letters ([`ascii_letters`]). The eval split is never read here.
pub fn training_examples(dir: &std::path::Path) -> std::io::Result<Vec<(String, String, f64)>> {
    let mut out = Vec::new();
    // Weighted uses per (Arabic, English) and per Arabic word in Arab countries, in file order.
    let units = std::fs::read_to_string(dir.join("wikidata-names/units.tsv"))?;
    let mut order: Vec<(String, String)> = Vec::new();
    let mut uses: FxHashMap<(String, String), f64> = FxHashMap::default();
    let mut known: FxHashMap<String, f64> = FxHashMap::default();
    for line in units.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [arabic, latin, _, country, _, count, source] = cells[..] else {
            continue;
        };
        if source == "dzirinames" {
            continue;
        }
        let count: f64 = count.trim().parse().unwrap_or(1.0);
        let weight = country_weight(country);
        *known.entry(table_key(arabic)).or_insert(0.0) += if weight >= 0.3 { count } else { 0.0 };
        let Some((arabic, latin)) = without_article(arabic, latin) else {
            continue;
        };
        let latin = ascii_letters(&latin);
        let arabic = final_vowel_letter(arabic, &latin);
        if weight == 0.0 || latin.is_empty() {
            continue;
        }
        let k = (arabic, latin);
        match uses.get_mut(&k) {
            Some(u) => *u += weight * count,
            None => {
                uses.insert(k.clone(), weight * count);
                order.push(k);
            }
        }
    }
    for k in order {
        // As the tokens are weighted (1 + ln uses), below one use in proportion.
        let m = uses[&k];
        let w = if m >= 1.0 { 1.0 + m.ln() } else { m };
        let w = UNITS * w * house_vowels(&k.1);
        out.push((k.0, k.1, w));
    }
    let arab = |key: &str| known.get(key).is_some_and(|&n| n > 0.0);
    let google = std::fs::read_to_string(dir.join("google-ar2en/ar2en-train.txt"))?;
    for line in google.lines() {
        if let Some((ar, en)) = line.split_once('\t') {
            if !arab(&table_key(ar)) {
                out.push((ar.to_string(), en.to_string(), 1.0));
            }
        }
    }
    let wikidata =
        std::fs::read_to_string(dir.join("wikidata-names/wd_arabic.normalized.aligned.tokens"))?;
    for line in wikidata.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        if let [en, ar, count] = cells[..] {
            let ar = ar.replace(' ', "");
            if known.contains_key(&table_key(&ar)) {
                continue;
            }
            let count: f64 = count.trim().parse().unwrap_or(1.0);
            out.push((ar, en.to_string(), 1.0 + count.max(1.0).ln()));
        }
    }
    Ok(out)
}

/// The Persian spellings of the Wikidata name units (Iran's and Afghanistan's, weighted as
/// [`training_examples`] weighs the units), for words written in Persian script: Mohsen, Esmail and
/// Rezaei there, where an Arab's name in Arabic script is Muhsin, Isma'il and Rida'i. They are not
/// examples of the model (whose n-grams stay the Mashriq's), only of the words' own spellings
/// ([`Model::train_with`](super::Model::train_with)).
pub fn persian_spellings(dir: &std::path::Path) -> std::io::Result<Vec<(String, String, f64)>> {
    let units = std::fs::read_to_string(dir.join("wikidata-names/units.tsv"))?;
    let mut order: Vec<(String, String)> = Vec::new();
    let mut uses: FxHashMap<(String, String), f64> = FxHashMap::default();
    for line in units.lines().skip(1) {
        let cells: Vec<&str> = line.split('\t').collect();
        let [arabic, latin, _, country, _, count, source] = cells[..] else {
            continue;
        };
        if source == "dzirinames" || !matches!(country, "IR" | "AF") {
            continue;
        }
        let Some((arabic, latin)) = without_article(arabic, latin) else {
            continue;
        };
        let latin = ascii_letters(&latin);
        if latin.is_empty() {
            continue;
        }
        let count: f64 = count.trim().parse().unwrap_or(1.0);
        let k = (final_vowel_letter(arabic, &latin), latin);
        match uses.get_mut(&k) {
            Some(u) => *u += count,
            None => {
                uses.insert(k.clone(), count);
                order.push(k);
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|k| {
            let m = uses[&k];
            let w = if m >= 1.0 { 1.0 + m.ln() } else { m };
            (k.0, k.1, UNITS * w)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mashriq_spellings_outweigh_maghrebi_and_persian_ones() {
        assert!(country_weight("IQ") > country_weight("EG"));
        assert!(country_weight("EG") > country_weight("IR"));
        assert_eq!(country_weight("TN"), 0.0);
        assert_eq!(
            without_article("الصباح", "Al-Sabah"),
            Some(("صباح".into(), "sabah".into()))
        );
        assert_eq!(
            without_article("الشامي", "ash-Shami"),
            Some(("شامي".into(), "shami".into()))
        );
        assert_eq!(without_article("ابن اس", "Ibn-e-Aas"), None);
        assert_eq!(table_key("أحمد"), "احمد");
    }
}
