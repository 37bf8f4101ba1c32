//! Changing the text of a segment's inline markup without touching its codes (`tm replace` on a unit
//! that came from a CAT tool with tags).

use quick_xml::events::Event;
use quick_xml::Reader;

use super::read::INLINE_ELEMENTS;
use crate::formats::xml::escape_text_into;

/// The markup with `f` applied to each run of segment text (text outside native code: `bpt`, `ept`,
/// `ph`, `it`, `ut`, `sub`), codes kept byte for byte; and the segment's plain text afterwards. `None`
/// if the markup is not the well-formed XML the store keeps.
pub(crate) fn map_markup_text(
    markup: &str,
    mut f: impl FnMut(&str) -> String,
) -> Option<(String, String)> {
    let wrapped = format!("<seg>{markup}</seg>");
    let mut reader = Reader::from_str(&wrapped);
    reader.config_mut().trim_text(false);
    let (mut out, mut text, mut run) = (String::new(), String::new(), String::new());
    // How deep inside native code the reader is (text there is code, not words).
    let mut code_depth = 0usize;
    let mut depth = 0usize;
    let mut flush = |run: &mut String, out: &mut String, text: &mut String, code: bool| {
        if run.is_empty() {
            return;
        }
        let piece = if code { run.clone() } else { f(run) };
        if !code {
            text.push_str(&piece);
        }
        escape_text_into(&piece, out);
        run.clear();
    };
    let is_code =
        |name: &[u8]| INLINE_ELEMENTS.iter().any(|e| e.as_bytes() == name) && name != b"hi";
    loop {
        match reader.read_event().ok()? {
            Event::Text(t) => run.push_str(&t.xml10_content().ok()?),
            Event::CData(c) => run.push_str(std::str::from_utf8(&c).ok()?),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().ok()? {
                    Some(c) => c,
                    None => {
                        quick_xml::escape::resolve_predefined_entity(&String::from_utf8_lossy(&r))?
                            .chars()
                            .next()?
                    }
                };
                run.push(c);
            }
            Event::Start(e) => {
                flush(&mut run, &mut out, &mut text, code_depth > 0);
                depth += 1;
                if depth > 1 {
                    out.push('<');
                    out.push_str(std::str::from_utf8(&e).ok()?);
                    out.push('>');
                    code_depth += usize::from(code_depth > 0 || is_code(e.local_name().as_ref()));
                }
            }
            Event::Empty(e) => {
                flush(&mut run, &mut out, &mut text, code_depth > 0);
                out.push('<');
                out.push_str(std::str::from_utf8(&e).ok()?);
                out.push_str("/>");
            }
            Event::End(e) => {
                flush(&mut run, &mut out, &mut text, code_depth > 0);
                depth -= 1;
                if depth == 0 {
                    return Some((out, text));
                }
                code_depth = code_depth.saturating_sub(1);
                out.push_str("</");
                out.push_str(std::str::from_utf8(e.name().as_ref()).ok()?);
                out.push('>');
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_changes_and_codes_stay() {
        let markup = r#"<bpt i="1" x="1">&lt;b&gt;Hezbollah&lt;/b&gt;</bpt>Hezbollah<ept i="1"/> &amp; <hi type="x">Hezbollah</hi><ph x="2"/>"#;
        let (out, text) = map_markup_text(markup, |t| t.replace("Hezbollah", "Hizbullah")).unwrap();
        assert_eq!(
            out,
            r#"<bpt i="1" x="1">&lt;b&gt;Hezbollah&lt;/b&gt;</bpt>Hizbullah<ept i="1"/> &amp; <hi type="x">Hizbullah</hi><ph x="2"/>"#
        );
        assert_eq!(text, "Hizbullah & Hizbullah");
    }
}
