//! The sentence aligner on arbitrary text: the input splits at U+0001 into an Arabic and an English side,
//! one sentence a line. Never a panic; the beads cover every sentence of each side exactly once, in order;
//! every confidence is in 0..=1.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (ar, en) = text.split_once('\u{1}').unwrap_or((text, ""));
    let ar: Vec<&str> = ar.lines().collect();
    let en: Vec<&str> = en.lines().collect();
    let beads = tm::align::align(&ar, &en);
    let (mut next_ar, mut next_en) = (0, 0);
    for b in &beads {
        assert_eq!(b.ar.start, next_ar, "{beads:?}");
        assert_eq!(b.en.start, next_en, "{beads:?}");
        assert!(!(b.ar.is_empty() && b.en.is_empty()), "{beads:?}");
        assert!((0.0..=1.0).contains(&b.score), "{beads:?}");
        next_ar = b.ar.end;
        next_en = b.en.end;
    }
    assert_eq!((next_ar, next_en), (ar.len(), en.len()), "{beads:?}");
});
