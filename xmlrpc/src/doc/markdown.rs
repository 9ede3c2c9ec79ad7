//! Help texts and page descriptions from Markdown to HTML, with pulldown-cmark: raw HTML in
//! them is shown as text, never passed through; links and images keep only web and mail
//! addresses; headings move below the page's own.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// `text`, a Markdown document, as HTML safe to put inside a page.
pub(crate) fn to_html(text: &str) -> String {
    let mut dropping_link = false;
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(|event| match event {
            // Raw HTML becomes text, escaped when written.
            Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
            Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Heading { level, .. }) => Some(Event::Start(Tag::Heading {
                level: lower(level),
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            })),
            Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lower(level)))),
            // An image would be fetched (and the page's policy forbids it): a link to it.
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                },
            ) => {
                if safe_url(&dest_url) {
                    Some(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }))
                } else {
                    dropping_link = true;
                    None
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if std::mem::take(&mut dropping_link) {
                    None
                } else {
                    Some(Event::End(TagEnd::Link))
                }
            }
            other => Some(other),
        });
    let mut html = String::with_capacity(text.len() * 3 / 2 + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A heading two levels down: the page's title is `h1` and each method's name `h2`.
fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Whether a link target is relative, or a web or mail address (not `javascript:`,
/// `data:`, ...).
fn safe_url(url: &CowStr<'_>) -> bool {
    let scheme_end = url.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let html = to_html("Returns `x` to the *power* `y`.\n\n# Errors\n\n- one\n- two");
        assert!(
            html.contains("<p>Returns <code>x</code> to the <em>power</em> <code>y</code>.</p>"),
            "{html}"
        );
        assert!(html.contains("<h3>Errors</h3>"), "{html}");
        assert!(html.contains("<li>one</li>"), "{html}");
    }

    #[test]
    fn raw_html_is_text() {
        let html = to_html(
            "Hello <script>alert(1)</script> <b onclick=\"x()\">bold</b>\n\n<div>\n<script>alert(2)</script>\n</div>\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn keeps_only_web_links() {
        let html = to_html(
            "[site](https://example.org/a) [bad](javascript:alert(1)) [rel](#pow) ![img](data:image/png;base64,xx)",
        );
        assert!(
            html.contains("<a href=\"https://example.org/a\">site</a>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"#pow\">rel</a>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("bad") && html.contains("img"), "{html}");
    }
}
