//! The TSV and CSV readers on arbitrary bytes (the first byte picks the format and the header option):
//! never a panic; every unit accepted is written back and read again to the same two texts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tm::formats::tsv::{DelimitedReader, DelimitedWriter, Delimiter};
use tm::formats::ReadOptions;
use tm::unit::Unit;

/// The reader over the bytes in memory: the same decoding, parsing and errors as over a file.
fn read(data: &[u8], delimiter: Delimiter, header: Option<bool>) -> Vec<Unit> {
    let mut opts = ReadOptions::new("ar", "en");
    opts.header = header;
    let source = std::io::Cursor::new(data.to_vec());
    let name = std::path::Path::new("in.txt");
    let Ok(reader) = DelimitedReader::new(source, name, delimiter, &opts) else {
        return Vec::new();
    };
    reader.take(10_000).filter_map(Result::ok).collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, body)) = data.split_first() else {
        return;
    };
    let delimiter = if options & 1 == 0 {
        Delimiter::Tab
    } else {
        Delimiter::Comma
    };
    let header = match (options >> 1) % 3 {
        0 => None,
        1 => Some(true),
        _ => Some(false),
    };
    let units = read(body, delimiter, header);
    if units.is_empty() {
        return;
    }
    let mut w = DelimitedWriter::new(Vec::new(), delimiter, Some(("ar", "en"))).unwrap();
    for u in &units {
        w.write_unit(u).unwrap();
    }
    let written = w.finish().unwrap();
    let again = read(&written, delimiter, None);
    let texts = |us: &[Unit]| -> Vec<(String, String)> {
        us.iter()
            .map(|u| (u.source.text.clone(), u.target.text.clone()))
            .collect()
    };
    assert_eq!(
        texts(&again),
        texts(&units),
        "written back:\n{}",
        String::from_utf8_lossy(&written)
    );
});
