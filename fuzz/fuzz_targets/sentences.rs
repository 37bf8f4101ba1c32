//! Sentence splitting on arbitrary text: never a panic, and no non-space character lost or reordered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let out = tm::segment::sentences(text);
    let non_space = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(non_space(&out.concat()), non_space(text));
    for s in &out {
        assert!(!s.is_empty() && s.trim() == s);
    }
});
