//! The library without the command line, in the order a translator meets it: an article and its
//! translation are aligned into pairs, the pairs go into a memory, and a new sentence is looked up.
//!
//! ```sh
//! cargo run --example align_and_lookup
//! ```

use tm::align::{align_paragraphs, Options};
use tm::fuzzy::{LookupOptions, Matcher};
use tm::names::Authority;
use tm::segment::paragraphs;
use tm::store::{Provenance, Store};
use tm::unit::{Segment, Unit};

const ARABIC: &str = "دخلت قافلة من 17 شاحنة محملة بالأسلحة إلى مدينة البوكمال. \
وقال مصدر محلي إن القافلة تابعة لكتائب حزب الله.\n\n\
وأضاف المصدر أن الشاحنات توجهت لاحقا إلى دير الزور.";

const ENGLISH: &str = "A convoy of 17 trucks loaded with weapons entered the city of Al-Bukamal. \
A local source said the convoy belongs to the Hizbullah Brigades.\n\n\
The source added that the trucks later headed to Deir Al-Zour.";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Sentences by paragraph; a paragraph break is a hard boundary when both sides have the same number.
    let (ar, en) = (paragraphs(ARABIC), paragraphs(ENGLISH));
    let authority = Authority::shipped();
    let options = Options {
        authority: Some(&authority),
        ..Options::default()
    };
    let flat = |p: &[Vec<String>]| p.concat();
    let (ar_sentences, en_sentences) = (flat(&ar), flat(&en));

    let mut store = Store::in_memory()?;
    for bead in align_paragraphs(&ar, &en, options) {
        let arabic = ar_sentences[bead.ar.clone()].join(" ");
        let english = en_sentences[bead.en.clone()].join(" ");
        println!("{:.2}  {arabic}\n      {english}", bead.score);
        if !arabic.is_empty() && !english.is_empty() {
            let unit = Unit::new(
                "ar",
                "en",
                Segment::plain(&arabic),
                Segment::plain(&english),
            );
            store.add(unit, &Provenance::default())?;
        }
    }

    // Another number and another town: the stored pair comes back with what differs shown, and its
    // English with the number substituted.
    let query = "دخلت قافلة من 25 شاحنة محملة بالأسلحة إلى مدينة القائم.";
    let mut matcher = Matcher::new(&store, LookupOptions::default());
    for m in matcher.lookup(query, None)? {
        println!("\n{}% {}\n    {}", m.score, m.source, m.target);
        if let Some(suggestion) = &m.suggestion {
            println!("    suggestion: {suggestion}");
        }
        for d in &m.diff {
            println!("    {} {:?}", d.op, d.text);
        }
    }
    Ok(())
}
