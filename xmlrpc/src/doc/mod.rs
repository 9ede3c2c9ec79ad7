//! HTML documentation pages for a [`Registry`]: the Rust form of Python's
//! `DocXMLRPCServer`, with parameter names and types, struct members, help rendered from
//! Markdown, and a plain HTML form to try each method.
//!
//! The page has no script at all: each try-it form is an ordinary
//! `application/x-www-form-urlencoded` form whose POST the [`Endpoint`](crate::Endpoint)
//! answers with a rendered page (see the endpoint's rules), so it works with JavaScript off
//! and in text browsers, and under the strict `Content-Security-Policy` it is sent with.

pub(crate) mod form;
mod markdown;

use std::fmt::Write;

use crate::registry::Registry;
use crate::service::MethodInfo;
use crate::signature::shape::Shape;

/// The title, name and description of a documentation page (Python's `set_server_title`,
/// `set_server_name` and `set_server_documentation`).
///
/// Help texts and the description are Markdown; raw HTML inside them is shown as text.
///
/// # Examples
///
/// ```
/// use xmlrpc::{DocPage, MethodDoc, Registry};
///
/// let registry = Registry::new().function_with(
///     "add",
///     MethodDoc::new().help("Adds `a` and `b`.").params(["a", "b"]),
///     |a: i32, b: i32| a + b,
/// );
/// let page = DocPage::new()
///     .title("Calculator")
///     .name("The calculator & friends")
///     .description("Adds *numbers*.");
/// let html = page.render(&registry, "");
/// assert!(html.contains("<h1>The calculator &amp; friends</h1>"));
/// assert!(html.contains("<p>Adds <em>numbers</em>.</p>"));
/// assert!(html.contains("add(int a, int b) &#8594; int"));
/// assert!(html.contains("<p>Adds <code>a</code> and <code>b</code>.</p>"));
/// assert!(html.contains("<form class=\"try\" method=\"post\""));
/// assert!(!html.contains("<script"));
/// ```
#[derive(Debug, Clone)]
pub struct DocPage {
    title: String,
    name: String,
    description: String,
    pub(crate) try_it: bool,
}

impl Default for DocPage {
    fn default() -> Self {
        DocPage {
            title: "XML-RPC Server Documentation".to_owned(),
            name: "XML-RPC Server Documentation".to_owned(),
            description: "This server exports the following methods through the XML-RPC protocol."
                .to_owned(),
            try_it: true,
        }
    }
}

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's one style sheet. The `Content-Security-Policy` allows exactly this text by
/// its hash ([`STYLE_HASH`]): change both together.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.15rem;margin:0}code,pre,input,textarea,select{font-family:ui-monospace,monospace;font-size:.9rem}\
section.method,section.tried{border-top:1px solid #ddd;padding:1rem 0}.sig{color:#555}.help{margin:.5rem 0}\
nav ul{columns:2;padding-left:1.2rem}form{background:#f6f6f6;padding:.6rem;border-radius:4px}\
label{display:block;margin:.3rem 0}label span.hint{color:#666}textarea{width:100%;min-height:3rem}\
ul.members{margin:.2rem 0}pre{background:#fff;border:1px solid #ddd;padding:.5rem;overflow:auto}\
.fault,.error{color:#a00}dl.value{margin:.2rem 0 .2rem 1rem}";

/// The SHA-256 of [`STYLE`], base64, as the policy names it.
const STYLE_HASH: &str = "sha256-3hHZlBcKqL11k5D6cH9sSkhJMoSYwtTq7wtwzFe13k0=";

/// The `Content-Security-Policy` the pages are sent with: nothing but the page's own style
/// sheet loads or runs, forms post only to the page's own origin, and no other site may
/// frame the page.
pub(crate) fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src '{STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

impl DocPage {
    /// A page with Python's default title, name and description.
    pub fn new() -> Self {
        DocPage::default()
    }

    /// The title of the HTML page (Python's `set_server_title`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The heading of the page (Python's `set_server_name`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The text under the heading, in Markdown (Python's `set_server_documentation`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Whether each method gets a form to try it from the browser (on by default). The
    /// forms are plain HTML, answered by the endpoint with a page showing the result; when
    /// off, the page has no forms and the endpoint refuses form posts with 415.
    pub fn try_it(mut self, on: bool) -> Self {
        self.try_it = on;
        self
    }

    /// The page for `registry`. Its forms are posted to `endpoint`, a URL; empty for the
    /// page's own address (what [`Endpoint`](crate::Endpoint) gives, so that the forms
    /// reach it whatever prefix a router nests it under).
    pub fn render(&self, registry: &Registry, endpoint: &str) -> String {
        let methods = registry.methods();
        let mut html = self.head(&self.title, 4096 + methods.len() * 1024);
        let _ = write!(
            html,
            "<h1>{}</h1>\n<div class=\"description\">{}</div>\n",
            esc(&self.name),
            markdown::to_html(&self.description)
        );
        html.push_str("<nav><h2>Methods</h2><ul>\n");
        for m in &methods {
            let _ = writeln!(html, "<li><a href=\"#{0}\">{0}</a></li>", esc(&m.name));
        }
        html.push_str("</ul></nav>\n");
        for m in &methods {
            self.method(&mut html, m, endpoint);
        }
        html.push_str("</body></html>\n");
        html
    }

    /// The document's head, and the opening of its body.
    fn head(&self, title: &str, capacity: usize) -> String {
        let mut html = String::with_capacity(capacity);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n",
            esc(title),
        );
        html
    }

    fn method(&self, html: &mut String, m: &MethodInfo, endpoint: &str) {
        let name = esc(&m.name);
        let _ = write!(
            html,
            "<section class=\"method\" id=\"{name}\"><h2><code>{name}</code></h2>"
        );
        signatures(html, m);
        if !m.help.is_empty() {
            let _ = write!(
                html,
                "<div class=\"help\">{}</div>",
                markdown::to_html(&m.help)
            );
        }
        details(html, m);
        if self.try_it {
            form::render_form(html, m, endpoint, &[]);
        }
        html.push_str("</section>\n");
    }
}

/// The name of parameter `i` (from 0).
pub(crate) fn param_name(m: &MethodInfo, i: usize) -> String {
    m.params
        .get(i)
        .map_or_else(|| format!("arg{}", i + 1), ToString::to_string)
}

/// One line per signature: `pow(i8 x, i8 y) → i8`.
fn signatures(html: &mut String, m: &MethodInfo) {
    let name = esc(&m.name);
    if m.signatures.is_empty() {
        let _ = write!(html, "<p class=\"sig\"><code>{name}(...)</code></p>");
    }
    for sig in &m.signatures {
        let (ret, params) = sig
            .split_first()
            .map_or(("", &[][..]), |(r, p)| (r.as_ref(), p));
        let args: Vec<String> = params
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} {}", esc(ty), esc(&param_name(m, i))))
            .collect();
        let _ = write!(
            html,
            "<p class=\"sig\"><code>{name}({}) &#8594; {}</code></p>",
            args.join(", "),
            esc(ret)
        );
    }
}

/// The members of struct parameters and results, and what arrays hold.
fn details(html: &mut String, m: &MethodInfo) {
    let mut rows = String::new();
    for (i, shape) in m.param_shapes.iter().enumerate() {
        if has_detail(shape) {
            let _ = write!(
                rows,
                "<li>parameter <code>{}</code>: {}</li>",
                esc(&param_name(m, i)),
                describe(shape, 0)
            );
        }
    }
    if let Some(shape) = m.result_shape.as_ref().filter(|s| has_detail(s)) {
        let _ = write!(rows, "<li>result: {}</li>", describe(shape, 0));
    }
    if !rows.is_empty() {
        let _ = write!(html, "<ul class=\"params\">{rows}</ul>");
    }
}

fn has_detail(shape: &Shape) -> bool {
    !shape.members.is_empty() || shape.item.as_deref().is_some_and(has_detail_or_type)
}

fn has_detail_or_type(shape: &Shape) -> bool {
    shape.ty != "any" || has_detail(shape)
}

/// A shape as HTML: `struct` with its members listed, `array of int`, ...
pub(crate) fn describe(shape: &Shape, depth: usize) -> String {
    let mut out = esc(&shape.ty);
    if let Some(item) = shape.item.as_deref().filter(|i| has_detail_or_type(i)) {
        let _ = write!(out, " of {}", describe(item, depth + 1));
    }
    if shape.optional {
        out.push_str(" (optional)");
    }
    if !shape.members.is_empty() && depth < 8 {
        out.push_str("<ul class=\"members\">");
        for member in &shape.members {
            let _ = write!(
                out,
                "<li><code>{}</code> {}</li>",
                esc(&member.name),
                describe(&member.shape, depth + 1)
            );
        }
        out.push_str("</ul>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_the_registry() {
        let registry = Registry::new().function("a<b>", |s: String| s);
        let html = DocPage::new()
            .name("<script>x</script>")
            .render(&registry, "/\"x");
        assert!(!html.contains("<script"));
        assert!(html.contains("&lt;script&gt;x"));
        assert!(html.contains("id=\"a&lt;b&gt;\""));
        assert!(html.contains("action=\"/&quot;x\""));
        let plain = DocPage::new().try_it(false).render(&registry, "/");
        assert!(!plain.contains("<form") && !plain.contains("<script"));
    }

    #[test]
    fn shows_struct_members() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Book {
            title: String,
            pages: u32,
            isbn: Option<String>,
        }
        let registry = Registry::new().function("add", |_books: Vec<Book>, _b: Book| 1);
        let html = DocPage::new().render(&registry, "");
        assert!(html.contains(
            "<li>parameter <code>arg2</code>: struct<ul class=\"members\"><li><code>title</code> string</li>\
             <li><code>pages</code> i8</li><li><code>isbn</code> string (optional)</li></ul></li>"
        ), "{html}");
        assert!(
            html.contains("<li>parameter <code>arg1</code>: array of struct<ul"),
            "{html}"
        );
    }

    #[test]
    fn no_script_and_no_event_handlers() {
        let registry = Registry::new()
            .function("a", |s: String, n: Option<bool>| format!("{s}{n:?}"))
            .function("b", |v: crate::value::Value| v);
        let html = DocPage::new().render(&registry, "");
        assert!(!html.contains("<script"), "{html}");
        let lower = html.to_ascii_lowercase();
        let handler = lower.match_indices(" on").any(|(i, _)| {
            lower[i + 3..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .count()
                > 0
                && lower[i + 3..]
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .starts_with('=')
        });
        assert!(!handler, "{html}");
    }
}
