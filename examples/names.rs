//! Names without the command line: the house spelling of the names in a line of Arabic news, where
//! each spelling came from, and a check that finds where a translation strays from it.
//!
//! ```sh
//! cargo run --example names
//! ```

use tm::names::check::Checker;
use tm::names::style::Style;
use tm::names::translit::{Scheme, Transliterator};
use tm::names::Authority;

fn main() {
    let authority = Authority::shipped();
    let style = Style::shipped();

    // The authority's names in any form: with a title, inside a longer name the authority lacks but
    // whose words it knows, behind a clitic, in construct, typed joined.
    let transliterator = Transliterator::new(&authority, style.clone());
    for name in [
        "الشيخ قيس هادي الخزعلي",
        "والنجباء",
        "مدينة البوكمال",
        "حزبالله",
        "عبد الله",
    ] {
        let rendered = transliterator.render(name, Scheme::News);
        println!("{name}  →  {}", rendered.text);
        for piece in &rendered.pieces {
            println!(
                "    {:<16} {:<18} {}",
                piece.arabic,
                piece.english,
                piece.source.as_str()
            );
        }
    }

    // A translation that writes two names another way: each is found, with the house form as the fix.
    let source = "أعلنت كتائب حزب الله أن قافلة وصلت إلى دير الزور";
    let target = "Kataib Hezbollah announced that a convoy reached Deir ez-Zor";
    let checker = Checker::new(&authority, &style);
    println!("\n{target}");
    for finding in checker.check(1, source, target) {
        println!(
            "  {}: found {:?}, the house writes {}",
            finding.arabic,
            finding.found.as_deref().unwrap_or("nothing"),
            finding.expected
        );
    }
}
