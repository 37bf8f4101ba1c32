//! The TMX reader on arbitrary bytes: never a panic, never unbounded memory; and every unit it accepts
//! is written back by the TMX writer and read again to the same segments (the round trip the README
//! promises), unless it holds characters XML 1.0 cannot carry (the writer drops those, by design).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tm::formats::tmx::{Header, TmxReader, TmxWriter};
use tm::formats::ReadOptions;
use tm::unit::Unit;

fn xml_safe(s: &str) -> bool {
    !s.chars().any(|c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
    })
}

/// The reader over the bytes in memory: the same decoding, parsing and errors as over a file.
fn read(data: &[u8]) -> Vec<Unit> {
    let opts = ReadOptions::new("ar", "en");
    let source = std::io::Cursor::new(data.to_vec());
    let Ok(reader) = TmxReader::new(source, std::path::Path::new("in.tmx"), &opts) else {
        return Vec::new();
    };
    // Errors are fine (and a bad unit does not stop the reader): only what it accepts must hold up.
    reader.take(10_000).filter_map(Result::ok).collect()
}

fuzz_target!(|data: &[u8]| {
    let units = read(data);
    let units: Vec<Unit> = units
        .into_iter()
        .filter(|u| {
            [&u.source, &u.target]
                .iter()
                .all(|s| xml_safe(&s.text) && s.markup.as_deref().is_none_or(xml_safe))
                && xml_safe(&u.src_lang)
                && xml_safe(&u.tgt_lang)
        })
        .collect();
    if units.is_empty() {
        return;
    }
    let header = Header {
        srclang: "ar".into(),
        creation_date: "20250101T000000Z".into(),
    };
    let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let written = w.finish().unwrap();
    let again = read(&written);
    let segments = |us: &[Unit]| -> Vec<_> {
        us.iter()
            .map(|u| (u.source.clone(), u.target.clone()))
            .collect()
    };
    assert_eq!(
        segments(&again),
        segments(&units),
        "written back:\n{}",
        String::from_utf8_lossy(&written)
    );
});
