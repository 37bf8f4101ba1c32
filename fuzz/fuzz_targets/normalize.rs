//! Normalization and tokenization on arbitrary text: never a panic; normalize is idempotent and its growth
//! bounded; words are non-empty and whitespace-free; a clitic split puts the word back together.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tm::text::{fold_english, normalize, strip_clitics, words};

fuzz_target!(|text: &str| {
    let once = normalize(text);
    assert_eq!(normalize(&once), once, "not idempotent on {text:?}");
    assert!(once.chars().count() <= 18 * text.chars().count().max(1));
    let _ = fold_english(text);
    for t in words(&once) {
        assert!(!t.is_empty() && !t.contains(char::is_whitespace));
        let (prefix, stem) = strip_clitics(t);
        assert_eq!(format!("{prefix}{stem}"), t);
    }
    for t in tm::text::tokenize(text) {
        assert!(text.get(t.span.clone()).is_some());
    }
    let _ = tm::store::norm_hash(text);
});
