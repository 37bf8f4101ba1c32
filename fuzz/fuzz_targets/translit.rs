//! Transliteration on arbitrary text, in every scheme, with the shipped authority and style (first byte
//! even) or with a style file parsed from the input (first byte odd: `--style FILE` is user input).
//! Never a panic; Buckwalter is reversible on Arabic letters and harakat.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tm::names::style::Style;
use tm::names::translit::{from_buckwalter, to_buckwalter, Scheme, Transliterator};
use tm::names::Authority;

static AUTHORITY: OnceLock<Authority> = OnceLock::new();
static SHIPPED: OnceLock<Transliterator<'static>> = OnceLock::new();

const SCHEMES: [Scheme; 4] = [Scheme::News, Scheme::AlaLc, Scheme::Din, Scheme::Buckwalter];

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let authority = AUTHORITY.get_or_init(Authority::shipped);
    let shipped = SHIPPED.get_or_init(|| Transliterator::new(authority, Style::shipped()));
    let mut own = None;
    let (t, name) = if options & 1 == 1 {
        // A style file, U+0001, then the name.
        let (style_text, name) = text.split_once('\u{1}').unwrap_or((text, "محمد"));
        match Style::parse(style_text, "style.txt") {
            Ok(style) => (&*own.insert(Transliterator::new(authority, style)), name),
            Err(_) => return,
        }
    } else {
        (shipped, text)
    };
    for scheme in SCHEMES {
        let _ = t.render(name, scheme);
    }
    let arabic: String = name
        .chars()
        .filter(|c| ('\u{0621}'..='\u{0652}').contains(c) || *c == '\u{0670}')
        .collect();
    assert_eq!(from_buckwalter(&to_buckwalter(&arabic)), arabic);
});
