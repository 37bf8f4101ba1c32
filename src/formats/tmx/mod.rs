//! TMX 1.4b: a streaming reader and writer.
//!
//! The reader accepts what real files contain (the LISA compliance kit is the test suite): UTF-8 with or
//! without BOM, UTF-16 in both byte orders, legacy encodings named by the XML declaration, TMX 1.1's
//! `lang` beside `xml:lang`, mixed-case and regional language tags, units with more than two languages
//! and in any order, comments, header `ude`/`map`, and inline markup. It never expands entities a DOCTYPE
//! declares (no "billion laughs") and never fetches anything a file names.
//!
//! Inline markup is kept twice: as plain text for matching (text inside `bpt`, `ept`, `ph`, `it`, `ut`
//! and `sub` is native code, not words) and as the `<seg>` content re-serialised, so export writes it back
//! identically.
//!
//! ```
//! use tm::formats::tmx::read_str;
//! let tmx = r#"<tmx version="1.4"><header srclang="ar"/><body>
//!   <tu><tuv xml:lang="ar"><seg>حزب الله</seg></tuv><tuv xml:lang="en"><seg>Hizbullah</seg></tuv></tu>
//! </body></tmx>"#;
//! let units = read_str(tmx, "ar", "en").unwrap();
//! assert_eq!(units[0].target.text, "Hizbullah");
//! ```
//!
//! The reader is in `read`, the writer in `write`; what both must agree on is here.

mod inline;
mod read;
mod write;

pub(crate) use inline::map_markup_text;
pub use read::{read_str, TmxReader};
pub use write::{Header, TmxWriter};

/// The prop type under which `tm` writes a unit's origin, and reads it back.
pub const ORIGIN_PROP: &str = "x-origin";

#[cfg(test)]
mod tests {
    use super::*;

    fn tmx(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n<header srclang=\"ar\"/>\n<body>\n{body}\n</body>\n</tmx>\n"
        )
    }

    #[test]
    fn writer_output_reads_back_identically() {
        let body = r#"<tu tuid="a&amp;b" usagecount="3" lastusagedate="20240101T000000Z"><note>ملاحظة</note><tuv xml:lang="ar" creationid="u"><prop type="t">v</prop><seg>  مسافتان &#xD;
 و&lt;وسم&gt; <ph x="1">&lt;br/&gt;</ph></seg></tuv><tuv xml:lang="en"><seg>Hizbullah &amp; co</seg></tuv></tu>"#;
        let units = read_str(&tmx(body), "ar", "en").unwrap();
        let header = Header {
            srclang: "ar".into(),
            creation_date: "20241001T000000Z".into(),
        };
        let mut w = TmxWriter::new(Vec::new(), &header).unwrap();
        w.write_unit(&units[0]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let again = read_str(&out, "ar", "en").unwrap();
        assert_eq!(again, units);
        assert_eq!(units[0].source.text, "  مسافتان \r\n و<وسم> ");
        assert_eq!(units[0].usage_count, Some(3));
    }
}
