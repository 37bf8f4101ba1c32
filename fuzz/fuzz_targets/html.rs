//! HTML pages reduced to their text (`tm align` on .html): never a panic, whatever the markup.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    if let Ok(text) = tm::formats::html::html_text(html) {
        let _ = tm::segment::paragraphs(&text);
    }
});
