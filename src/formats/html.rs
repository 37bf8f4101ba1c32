//! HTML articles reduced to their text for `tm align`: paragraphs (p, div, li, headings, br) separated
//! by blank lines, with no markup, image text, scripts or styles left, entities decoded. Malformed HTML
//! is read the way browsers read it (html5ever, through html2text).
//!
//! Before the parser sees a page, one linear pass takes out what is never article text but would be
//! glued into its first sentence (`<noscript>`, `<textarea>`, a `<title>` in the body, `<template>`),
//! along with scripts and styles, and leaves out the tags of elements nested more than
//! [`MAX_NESTING`] deep: the HTML parser looks through every open element at each new one, so a page of
//! 200,000 nested `<div>` took minutes. Their text stays.

/// How deep elements may nest before their tags are left out. Real pages stay far below it.
pub const MAX_NESTING: usize = 512;

/// The text of an HTML page, paragraphs (p, div, li, headings, br) separated by blank lines, scripts,
/// styles, images and markup gone, entities decoded. Malformed HTML is read the way browsers read it;
/// the error is html2text's, for a page it cannot lay out at all.
pub fn html_text(html: &str) -> Result<String, String> {
    let html = prepare(html);
    // A wide page: lines are only broken where the document breaks them.
    html2text::config::with_decorator(TextOnly)
        .raw_mode(true)
        // Struck-out text as it is, not with U+0336 after every character.
        .unicode_strikeout(false)
        .string_from_read(html.as_bytes(), 1 << 20)
        .map_err(|e| e.to_string())
}

/// Renders no markup at all. html2text's plain renderer marks headings `#`, list items `*` and `1.`,
/// quotes `>`, links and images `[...]`: none of that is the article's text, and in a memory it would
/// be a segment `# Convoy enters Al-Bukamal` for the translator to clean up. Images are dropped: their
/// alt text is not a sentence of the article.
struct TextOnly;

impl html2text::render::TextDecorator for TextOnly {
    type Annotation = ();

    fn decorate_link_start(&mut self, _url: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, ()) {
        (String::new(), ())
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) {}
    fn decorate_preformat_cont(&self) {}
    fn decorate_image(&mut self, _src: &str, _title: &str) -> (String, ()) {
        (String::new(), ())
    }
    fn header_prefix(&self, _level: usize) -> String {
        String::new()
    }
    fn quote_prefix(&self) -> String {
        String::new()
    }
    fn unordered_item_prefix(&self) -> String {
        String::new()
    }
    fn ordered_item_prefix(&self, _i: i64) -> String {
        String::new()
    }
    fn make_subblock_decorator(&self) -> TextOnly {
        TextOnly
    }
}

/// Elements whose content is never article text, taken out whole (start tag to end tag).
const LEFT_OUT: &[&[u8]] = &[
    b"script",
    b"style",
    b"noscript",
    b"textarea",
    b"title",
    b"template",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// Elements that never hold others (void), or whose end tag is usually implied by the next one: they
/// do not count towards the nesting.
const NOT_NESTING: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"rt",
    b"rp",
    b"optgroup",
    b"option",
    b"tr",
    b"td",
    b"th",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
];

/// The page with [`LEFT_OUT`] elements removed and tags nested deeper than [`MAX_NESTING`] left out;
/// everything else byte for byte. One pass, each byte looked at a bounded number of times.
fn prepare(html: &str) -> String {
    let bytes = html.as_bytes();
    let lower = html.to_ascii_lowercase().into_bytes();
    let mut out = String::with_capacity(html.len());
    // The open nesting elements: their names, and whether their tags were kept.
    let mut open: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut copied = 0; // bytes[..copied] are dealt with
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + lt;
        i = at + 1;
        if lower[at..].starts_with(b"<!--") {
            // A comment: nothing in it is a tag.
            i = memchr::memmem::find(&lower[at + 4..], b"-->")
                .map_or(bytes.len(), |e| at + 4 + e + 3);
            continue;
        }
        let closing = bytes.get(at + 1) == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = lower[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !lower[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &lower[name_start..name_start + name_len];
        let end = tag_end(bytes, name_start + name_len);
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        if !closing && LEFT_OUT.contains(&name) {
            // Up to and including its end tag (or the end of the page).
            let mut close = Vec::with_capacity(name.len() + 2);
            close.extend_from_slice(b"</");
            close.extend_from_slice(name);
            let resume = memchr::memmem::find(&lower[end..], &close)
                .map_or(bytes.len(), |e| tag_end(bytes, end + e + close.len()));
            out.push_str(&html[copied..at]);
            copied = resume;
            i = resume;
            continue;
        }
        i = end;
        if NOT_NESTING.contains(&name) || self_closing {
            continue;
        }
        let keep = if closing {
            match open.last() {
                Some((top, kept)) if top.as_slice() == name => {
                    let kept = *kept;
                    open.pop();
                    kept
                }
                // Mismatched: left for the parser to sort out, as browsers do.
                _ => true,
            }
        } else {
            let kept = open.len() < MAX_NESTING;
            open.push((name.to_vec(), kept));
            kept
        };
        if !keep {
            out.push_str(&html[copied..at]);
            copied = end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The index just after the `>` that ends the tag whose name ends at `from` (quoted attribute values
/// may hold `>`); the end of the page if it never ends.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return from + k + 1,
            (None, _) => {}
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::paragraphs;

    #[test]
    fn html_keeps_the_text_and_none_of_the_markup() {
        let page = "<html><head><title>ignored</title></head><body>\
            <h1>دخول قافلة إلى البوكمال</h1>\
            <p>دخلت <b>17 شاحنة</b> إلى <a href=\"https://example.org\">مدينة <s>الميادين</s> البوكمال</a>.</p>\
            <blockquote>قال مصدر محلي إن القافلة تابعة لحزب الله.</blockquote>\
            <ul><li>دير الزور</li><li>الميادين</li></ul><ol><li>أولا.</li><li>ثانيا.</li></ol>\
            <img src=\"a.jpg\" alt=\"صورة القافلة\"></body></html>";
        let text = html_text(page).unwrap();
        let sentences: Vec<String> = paragraphs(&text).into_iter().flatten().collect();
        assert_eq!(
            sentences,
            [
                "دخول قافلة إلى البوكمال",
                "دخلت 17 شاحنة إلى مدينة الميادين البوكمال.",
                "قال مصدر محلي إن القافلة تابعة لحزب الله.",
                "دير الزور",
                "الميادين",
                "أولا.",
                "ثانيا."
            ]
        );
    }

    #[test]
    fn text_that_is_not_the_articles_is_left_out() {
        let page = "<html><body><noscript>فعّل جافاسكربت</noscript><title>عنوان الصفحة</title>\
            <p>دخلت القافلة <!-- <div> --> إلى البوكمال.</p><textarea name=c>اكتب تعليقك</textarea>\
            <script>if (a < b) { document.write('<div>'); }</script><p title=\"a > b\">وقال المصدر.</p></body></html>";
        let text = html_text(page).unwrap();
        let sentences: Vec<String> = paragraphs(&text).concat();
        assert_eq!(sentences, ["دخلت القافلة إلى البوكمال.", "وقال المصدر."]);
    }

    #[test]
    fn deep_nesting_keeps_its_text_and_stays_linear() {
        let n = 50_000;
        let page = format!(
            "<html><body>{}<p>مرحبا بكم في البوكمال.</p>{}<p>نهاية.</p></body></html>",
            "<div><span>".repeat(n),
            "</span></div>".repeat(n)
        );
        let prepared = prepare(&page);
        // Only the outermost MAX_NESTING elements keep their tags.
        assert_eq!(
            prepared.matches("<div>").count() + prepared.matches("<span>").count(),
            MAX_NESTING
        );
        assert_eq!(
            prepared.matches("</div>").count() + prepared.matches("</span>").count(),
            MAX_NESTING
        );
        let text = html_text(&page).unwrap();
        assert_eq!(
            paragraphs(&text).concat(),
            ["مرحبا بكم في البوكمال.", "نهاية."]
        );
    }

    #[test]
    fn ordinary_pages_pass_unchanged() {
        let page = "<html><head><meta charset=utf-8></head><body><div class=\"a\"><p>أولى<br>ثانية<li>بند</div></body></html>";
        assert_eq!(prepare(page), page);
    }
}
