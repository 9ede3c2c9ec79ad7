//! Functions as users write them, served over loopback HTTP: documented functions, the
//! request context and shared state for functions and closures, and the documentation
//! page's plain forms with the endpoint's rules around them (origin checks, the
//! `Content-Security-Policy`, try-it switched off).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};
use xmlrpc::{Context, DocPage, Endpoint, Fault, MethodResponse, Registry, State, xmlrpc_function};
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::python;
use xmlrpc_tests::server::{RawResponse, TestServer, exchange, post, request};

/// A book, as a struct parameter and result.
#[derive(Debug, Serialize, Deserialize)]
pub struct Book {
    pub title: String,
    pub pages: u32,
    pub published: Option<xmlrpc::DateTime>,
}

/// Says who is asking, from the `X-User` header.
#[xmlrpc_function]
fn whoami(ctx: &Context) -> String {
    ctx.header("x-user").unwrap_or("nobody").to_owned()
}

/// The counter's state.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicI64>);

/// Adds `by` to the shared counter and returns the new value.
#[xmlrpc_function]
async fn bump(State(counter): State<Counter>, by: i64) -> i64 {
    counter.0.fetch_add(by, Ordering::SeqCst) + by
}

/// Shelves a **book** and returns it with its page count doubled.
///
/// Markup such as <script>alert("doc")</script> is shown, never run.
#[xmlrpc_function(name = "library.shelve")]
fn shelve(book: Book, copies: Option<u8>) -> Result<Book, Fault> {
    if book.title.is_empty() {
        return Err(Fault::new(400, "a book needs a title"));
    }
    Ok(Book {
        pages: book.pages * 2 * u32::from(copies.unwrap_or(1)),
        ..book
    })
}

fn registry() -> Registry {
    Registry::new()
        .register(whoami)
        .register(bump)
        .register(shelve)
        .function("greet", |ctx: &Context, greeting: String| {
            format!("{greeting}, {}", ctx.header("x-user").unwrap_or("nobody"))
        })
        .function("count", |State(counter): State<Counter>| {
            counter.0.load(Ordering::SeqCst)
        })
        .with_state(Counter::default())
}

fn serve(endpoint: Endpoint) -> TestServer {
    TestServer::start(XmlRpc::new(endpoint).into_router())
}

fn call<T: serde::de::DeserializeOwned>(
    server: &TestServer,
    headers: &str,
    method: &str,
    params: &[xmlrpc::Value],
) -> Result<T, Fault> {
    let body = xmlrpc::call_to_vec(method, &params).expect("a call");
    let raw = server.block_on(exchange(server.addr(), &post("/RPC2", headers, &body)));
    assert_eq!(raw.status, 200, "{}", raw.text());
    let response: MethodResponse<T> = xmlrpc::response_from_slice(&raw.body).expect("a response");
    response.into_result()
}

#[test]
fn functions_and_closures_read_a_request_header_from_the_context() {
    let server = serve(Endpoint::new(registry()));
    let who: Result<String, _> = call(&server, "X-User: ada\r\n", "whoami", &[]);
    assert_eq!(who, Ok("ada".to_owned()));
    let anonymous: Result<String, _> = call(&server, "", "whoami", &[]);
    assert_eq!(anonymous, Ok("nobody".to_owned()));
    let greeting: Result<String, _> =
        call(&server, "X-User: grace\r\n", "greet", &["Hello".into()]);
    assert_eq!(greeting, Ok("Hello, grace".to_owned()));
}

#[test]
fn functions_and_closures_read_and_change_state() {
    let server = serve(Endpoint::new(registry()));
    let count = |server: &TestServer| call::<i64>(server, "", "count", &[]);
    assert_eq!(count(&server), Ok(0));
    assert_eq!(call::<i64>(&server, "", "bump", &[5.into()]), Ok(5));
    assert_eq!(call::<i64>(&server, "", "bump", &[(-2).into()]), Ok(3));
    assert_eq!(count(&server), Ok(3));
    // State is not an XML-RPC parameter.
    let info = server.block_on(async { Ok::<_, ()>(registry().method_info("bump")) });
    let info = info.ok().flatten().expect("bump is registered");
    assert_eq!(info.signatures, [vec!["i8", "i8"]]);
    assert_eq!(info.params, ["by"]);
}

fn page_endpoint() -> Endpoint {
    Endpoint::new(registry())
        .documentation(DocPage::new().name("Methods").description("Try *these*."))
}

fn get_page(server: &TestServer) -> RawResponse {
    server.block_on(exchange(server.addr(), &request("GET /RPC2 HTTP/1.1", b"")))
}

/// A form POST to `/RPC2` with extra header lines.
fn form(server: &TestServer, headers: &str, body: &str) -> RawResponse {
    let head = format!(
        "POST /RPC2 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n{headers}"
    );
    server.block_on(exchange(
        server.addr(),
        &request(head.trim_end(), body.as_bytes()),
    ))
}

/// Whether `html` has an attribute whose name starts with `on`, as inline event handlers do.
fn has_event_handler(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.match_indices(" on").any(|(i, _)| {
        let rest = &lower[i + 3..];
        let name_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('=')
    })
}

const CSP: &str = "default-src 'none'; style-src 'sha256-";

#[test]
fn the_page_has_no_script_renders_markdown_and_shows_struct_members() {
    let server = serve(page_endpoint());
    let page = get_page(&server);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").expect("a policy");
    assert!(csp.starts_with(CSP), "{csp}");
    assert!(
        csp.contains("form-action 'self'; frame-ancestors 'none'"),
        "{csp}"
    );
    let html = page.text();
    assert!(!html.contains("<script"), "{html}");
    assert!(!has_event_handler(&html), "{html}");
    assert!(
        has_event_handler("<b onclick=\"x()\">"),
        "the check finds handlers"
    );
    // Markdown, with the doc comment's markup shown as text.
    assert!(html.contains("<p>Try <em>these</em>.</p>"), "{html}");
    assert!(html.contains("Shelves a <strong>book</strong>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(\"doc\")&lt;/script&gt; is shown, never run."),
        "{html}"
    );
    // Parameter names, and the struct's members from its Deserialize.
    assert!(
        html.contains("<code>library.shelve(struct book) &#8594; struct</code>"),
        "{html}"
    );
    assert!(
        html.contains("<code>library.shelve(struct book, int copies) &#8594; struct</code>"),
        "{html}"
    );
    assert!(
        html.contains("<li>parameter <code>book</code>: struct<ul class=\"members\"><li><code>title</code> string</li>\
             <li><code>pages</code> i8</li><li><code>published</code> dateTime.iso8601 (optional)</li></ul></li>"),
        "{html}"
    );
    assert!(
        html.contains("<li>result: struct<ul class=\"members\">"),
        "{html}"
    );
    assert!(
        html.contains("<form class=\"try\" method=\"post\""),
        "{html}"
    );
}

#[test]
fn the_style_is_the_one_the_policy_allows() {
    let server = serve(page_endpoint());
    let page = get_page(&server);
    let html = page.text();
    let style = html
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style)
        .expect("a style element");
    let digest = python::run(
        "import sys, hashlib, base64\nprint(base64.b64encode(hashlib.sha256(sys.stdin.buffer.read()).digest()).decode())",
        style.as_bytes(),
    );
    let csp = page.header("content-security-policy").expect("a policy");
    assert!(
        csp.contains(&format!("style-src 'sha256-{}'", digest.trim())),
        "the policy {csp:?} does not allow the page's style (sha256-{})",
        digest.trim()
    );
}

#[test]
fn a_form_post_is_answered_with_a_page() {
    let server = serve(page_endpoint());
    let own = format!(
        "Host: {}\r\nOrigin: http://{}\r\nX-User: ada\r\n",
        server.addr(),
        server.addr()
    );
    let answered = form(&server, &own, "method=bump&p1=7");
    assert_eq!(answered.status, 200, "{}", answered.text());
    assert!(
        answered
            .header("content-security-policy")
            .is_some_and(|c| c.starts_with(CSP))
    );
    assert_eq!(
        answered.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = answered.text();
    assert!(
        html.contains("<div class=\"result\"><code>7</code> <span class=\"hint\">int</span></div>"),
        "{html}"
    );
    assert!(
        html.contains("&lt;int&gt;7&lt;/int&gt;"),
        "the response XML is shown: {html}"
    );
    assert!(
        !html.contains("<script") && !has_event_handler(&html),
        "{html}"
    );

    // The context has the browser's headers.
    let who = form(&server, &own, "method=whoami").text();
    assert!(who.contains("<code>&quot;ada&quot;</code>"), "{who}");

    // A struct as JSON, typed by the parameter's shape; the optional parameter left out.
    let book = "method=library.shelve&p1=%7B%22title%22%3A%22Dune%22%2C%22pages%22%3A2%2C%22published%22%3A%2219650801T00%3A00%3A00%22%7D&p2=";
    let shelved = form(&server, &own, book).text();
    assert!(
        shelved.contains("<dt><code>title</code></dt><dd><code>&quot;Dune&quot;</code>"),
        "{shelved}"
    );
    assert!(
        shelved.contains("<dt><code>pages</code></dt><dd><code>4</code>"),
        "{shelved}"
    );
    assert!(shelved.contains("19650801T00:00:00"), "{shelved}");

    // A fault is shown as one.
    let fault = form(
        &server,
        &own,
        "method=library.shelve&p1=%7B%22title%22%3A%22%22%2C%22pages%22%3A1%7D",
    );
    assert_eq!(fault.status, 200);
    assert!(
        fault
            .text()
            .contains("<p class=\"fault\">fault <code>400</code>: a book needs a title</p>"),
        "{}",
        fault.text()
    );

    // Bad fields are a page saying so, with the form filled as sent.
    for (body, message) in [
        (
            "method=bump&p1=seven",
            "parameter `by` (i8): &quot;seven&quot; is not an i8",
        ),
        ("method=bump", "parameter `by` (i8): a value is required"),
        (
            "method=library.shelve&p1=%7Bnope",
            "parameter `book` (struct): not valid JSON: ",
        ),
        (
            "method=nosuch",
            "no method &quot;nosuch&quot; is documented here",
        ),
        ("p1=1", "the form names no method"),
        ("method=bump&p1=%FF", "the form&#39;s text is not UTF-8"),
    ] {
        let refused = form(&server, &own, body);
        assert_eq!(refused.status, 400, "{body}: {}", refused.text());
        assert!(
            refused.text().contains(message),
            "{body}: {}",
            refused.text()
        );
    }
    let refill = form(&server, &own, "method=bump&p1=seven").text();
    assert!(refill.contains("value=\"seven\""), "{refill}");
    assert_eq!(
        call::<i64>(&server, "", "count", &[]),
        Ok(7),
        "only the good form ran"
    );
}

#[test]
fn cross_site_form_posts_are_refused() {
    let server = serve(page_endpoint());
    let evil = form(
        &server,
        &format!("Host: {}\r\nOrigin: http://evil.example\r\n", server.addr()),
        "method=bump&p1=1",
    );
    assert_eq!(evil.status, 403);
    assert!(
        evil.text().contains("http://evil.example"),
        "{}",
        evil.text()
    );
    let cross = form(
        &server,
        "Sec-Fetch-Site: cross-site\r\n",
        "method=bump&p1=1",
    );
    assert_eq!(cross.status, 403);
    assert!(
        cross.text().contains("Sec-Fetch-Site: cross-site"),
        "{}",
        cross.text()
    );
    let same = form(
        &server,
        "Sec-Fetch-Site: same-origin\r\nOrigin: http://public.example\r\n",
        "method=bump&p1=1",
    );
    assert_eq!(same.status, 200, "{}", same.text());
    assert_eq!(
        call::<i64>(&server, "", "count", &[]),
        Ok(1),
        "only the same-origin form ran"
    );
}

#[test]
fn forms_without_try_it_are_refused_and_calls_are_unaffected() {
    for endpoint in [
        Endpoint::new(registry()).documentation(DocPage::new().try_it(false)),
        Endpoint::new(registry()),
    ] {
        let server = serve(endpoint);
        let refused = form(&server, "", "method=bump&p1=1");
        assert_eq!(refused.status, 415, "{}", refused.text());
        assert!(
            refused.text().contains("forms are answered only where"),
            "{}",
            refused.text()
        );
        // A call labelled as a form (as `curl -d` sends it) is still a call.
        let body = xmlrpc::call_to_vec("bump", &(2,)).expect("a call");
        let head = "POST /RPC2 HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";
        let raw = server.block_on(exchange(server.addr(), &request(head, &body)));
        assert_eq!(raw.status, 200);
        assert_eq!(raw.header("content-type"), Some("text/xml"));
        let sum: MethodResponse<i64> = xmlrpc::response_from_slice(&raw.body).expect("a response");
        assert_eq!(sum.into_result(), Ok(2));
    }
    let page = serve(Endpoint::new(registry()).documentation(DocPage::new().try_it(false)));
    let html = get_page(&page).text();
    assert!(!html.contains("<form"), "{html}");
}
