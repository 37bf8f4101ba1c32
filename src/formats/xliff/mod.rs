//! XLIFF: bilingual files from CAT tools in, `tm pretranslate`'s documents out.
//!
//! The reader (`read`) takes what translators bring back from Trados, memoQ, OmegaT, Phrase or MateCat:
//! XLIFF 1.2 (with Trados's SDLXLIFF and memoQ's MQXLIFF dialects) and XLIFF 2.0/2.1. Each segment
//! becomes a unit, with its inline codes turned into TMX inline markup so that export gives them back,
//! and only the segments the translator confirmed go in unless asked otherwise
//! ([`StateFilter`](crate::formats::StateFilter)). It streams, and makes the same promises as the TMX
//! reader: every error located, entities never expanded, nothing fetched.
//!
//! The writer (`write`) is XLIFF 1.2 (or 2.1), one `<trans-unit>` a segment and a `<group>` a paragraph,
//! as `tm pretranslate` hands a document to a CAT tool.
//!
//! ```
//! use tm::formats::xliff::read_str;
//! let xlf = r#"<xliff version="1.2"><file source-language="ar" target-language="en" original="news.txt">
//!   <body><trans-unit id="1" approved="yes"><source>حزب الله</source><target>Hizbullah</target></trans-unit>
//!   <trans-unit id="2"><source>البوكمال</source><target state="needs-translation"/></trans-unit></body>
//! </file></xliff>"#;
//! let units = read_str(xlf, "ar", "en").unwrap();
//! assert_eq!(units.len(), 1);
//! assert_eq!(units[0].target.text, "Hizbullah");
//! assert_eq!(units[0].origin.as_deref(), Some("news.txt"));
//! ```

mod read;
mod write;

pub use read::{read_str, XliffReader};
pub use write::{Target, XliffVersion, XliffWriter};
