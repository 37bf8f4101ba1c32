//! The XLIFF reader (1.x with its Trados and memoQ dialects, and 2.x) on arbitrary bytes: never a panic,
//! never unbounded memory; and the TMX markup it makes of every accepted segment's inline codes is TMX
//! that the TMX writer and reader carry back to the same segments (what export and re-import rely on).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tm::formats::tmx::{Header, TmxReader, TmxWriter};
use tm::formats::xliff::XliffReader;
use tm::formats::{ReadOptions, StateFilter};
use tm::unit::Unit;

/// The language pairs of the seed files: a file whose pair is not asked for yields nothing.
const PAIRS: [(&str, &str); 7] = [
    ("ar", "en"),
    ("en", "fr"),
    ("en", "it"),
    ("en", "zh"),
    ("en", "es"),
    ("en", "pl"),
    ("it", "en"),
];

fn xml_safe(s: &str) -> bool {
    !s.chars().any(|c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
    })
}

fn read_xliff(data: &[u8], (src, tgt): (&str, &str)) -> Vec<Unit> {
    let mut opts = ReadOptions::new(src, tgt);
    opts.state = StateFilter::All;
    let source = std::io::Cursor::new(data.to_vec());
    let Ok(reader) = XliffReader::new(source, std::path::Path::new("in.xlf"), &opts) else {
        return Vec::new();
    };
    reader.take(10_000).filter_map(Result::ok).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((pair, units)) = PAIRS
        .iter()
        .map(|&pair| (pair, read_xliff(data, pair)))
        .find(|(_, units)| !units.is_empty())
    else {
        return;
    };
    let units: Vec<Unit> = units
        .into_iter()
        .filter(|u| {
            [&u.source, &u.target]
                .iter()
                .all(|s| xml_safe(&s.text) && s.markup.as_deref().is_none_or(xml_safe))
                && xml_safe(&u.src_lang)
                && xml_safe(&u.tgt_lang)
                && xml_safe(u.origin.as_deref().unwrap_or_default())
        })
        .collect();
    if units.is_empty() {
        return;
    }
    let header = Header {
        srclang: pair.0.into(),
        creation_date: "20250101T000000Z".into(),
    };
    let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let written = w.finish().unwrap();
    let opts = ReadOptions::new(pair.0, pair.1);
    let again: Vec<Unit> =
        TmxReader::new(std::io::Cursor::new(written.clone()), "out.tmx".as_ref(), &opts)
            .unwrap()
            .map(|u| u.unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&written))))
            .collect();
    let segments = |us: &[Unit]| -> Vec<_> {
        us.iter()
            .map(|u| (u.source.clone(), u.target.clone()))
            .collect()
    };
    assert_eq!(segments(&again), segments(&units));
});
