//! The CGI example program (`examples/cgi.rs`), run as a web server runs a CGI script: CGI
//! variables in the environment, the request body on standard input, the response on
//! standard output. The adapter's rules row by row are in `endpoint_cases.rs`.

use std::io::Write;
use std::process::{Command, Stdio};

use xmlrpc::{CgiHandler, DocPage, Endpoint, Fault, MethodResponse, Registry, Value};
use xmlrpc_tests::examples;

/// A CGI response as the script wrote it.
#[derive(Debug)]
struct Output {
    status: String,
    content_type: String,
    content_length: Option<usize>,
    /// Every header field but `Status`, as written.
    fields: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Output {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The XML-RPC answer of a `200 OK` `text/xml` response.
    fn answer(&self) -> Result<Value, Fault> {
        assert_eq!(self.status, "200 OK", "{}", self.text());
        assert_eq!(self.content_type, "text/xml");
        let parsed: MethodResponse<Value> = xmlrpc::response_from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not a methodResponse ({e}): {}", self.text()));
        parsed.into_result()
    }
}

/// Splits CGI output into its header fields and body, checking that `Content-Length` (when
/// present) is the body's length.
fn parse(raw: &[u8]) -> Output {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no blank line in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII CGI headers");
    let body = raw[split + 4..].to_vec();
    let mut status = None;
    let mut content_type = None;
    let mut content_length = None;
    let mut fields = Vec::new();
    for line in head.split("\r\n") {
        let (name, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a header line: {line:?}"));
        match name {
            "Status" => status = Some(value.to_owned()),
            "Content-Type" => content_type = Some(value.to_owned()),
            "Content-Length" => content_length = Some(value.parse().expect("a number")),
            _ => {}
        }
        if name != "Status" {
            fields.push((name.to_owned(), value.to_owned()));
        }
    }
    if let Some(n) = content_length {
        assert_eq!(n, body.len(), "Content-Length is the body's length");
    }
    Output {
        status: status.expect("a Status header"),
        content_type: content_type.expect("a Content-Type header"),
        content_length,
        fields,
        body,
    }
}

/// Runs the CGI program with only the CGI variables `env`, `args` and `stdin`.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    let program = examples::binary("cgi");
    let mut child = Command::new(&program)
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", program.display()));
    let mut input = child.stdin.take().expect("piped stdin");
    // The script may stop reading early (at CONTENT_LENGTH, or not at all): a broken pipe
    // is not an error here.
    let _ = input.write_all(stdin);
    drop(input);
    let out = child
        .wait_with_output()
        .expect("waiting for the CGI program");
    assert!(
        out.status.success(),
        "the CGI program failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    parse(&out.stdout)
}

fn post(body: &[u8]) -> Output {
    let length = body.len().to_string();
    run(
        &[],
        &[
            ("REQUEST_METHOD", "POST"),
            ("CONTENT_LENGTH", &length),
            ("CONTENT_TYPE", "text/xml"),
        ],
        body,
    )
}

fn call(method: &str, params: &(i64, i64)) -> Vec<u8> {
    xmlrpc::call_to_vec(method, params).expect("encoding a call")
}

#[test]
fn post_answers_the_call() {
    let out = post(&call("add", &(2, 3)));
    assert_eq!(out.status, "200 OK");
    assert_eq!(out.content_type, "text/xml");
    assert_eq!(out.content_length, Some(out.body.len()));
    assert!(out.text().contains("<methodResponse>"), "{}", out.text());
    assert_eq!(out.answer(), Ok(Value::from(5)));
    assert_eq!(post(&call("mul", &(5, 2))).answer(), Ok(Value::from(10)));
}

#[test]
fn post_reads_exactly_content_length_bytes() {
    let body = call("add", &(40, 2));
    let length = body.len().to_string();
    let mut stdin = body.clone();
    stdin.extend_from_slice(b"<trailing garbage the script must not read>");
    let out = run(
        &[],
        &[("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", &length)],
        &stdin,
    );
    assert_eq!(out.answer(), Ok(Value::from(42)));
}

#[test]
fn faults_are_answered_with_200() {
    let out = post(b"<methodCall><methodName>add</methodName>");
    assert_eq!(out.answer().map_err(|f| f.code()), Err(Fault::PARSE_ERROR));
    let out = post(&call("nosuch", &(1, 2)));
    assert_eq!(
        out.answer(),
        Err(Fault::new_unchecked(
            Fault::METHOD_NOT_FOUND,
            "method `nosuch` is not supported"
        ))
    );
}

#[test]
fn get_without_documentation_is_405_with_allow() {
    for method in ["GET", "PUT"] {
        let out = run(&[], &[("REQUEST_METHOD", method)], b"");
        assert_eq!(out.status, "405 Method Not Allowed", "{}", out.text());
        assert_eq!(out.content_type, "text/plain; charset=utf-8");
        assert_eq!(out.field("Allow"), Some("POST"));
    }
    let out = run(&["--doc"], &[("REQUEST_METHOD", "PUT")], b"");
    assert_eq!(out.field("Allow"), Some("GET, HEAD, POST"));
}

#[test]
fn get_with_doc_flag_is_the_documentation_page() {
    let out = run(
        &["--doc"],
        &[("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/cgi-bin/calc")],
        b"",
    );
    assert_eq!(out.status, "200 OK", "{}", out.text());
    assert_eq!(out.content_type, "text/html; charset=utf-8");
    let html = out.text();
    assert!(html.contains("<title>CGI calculator</title>"), "{html}");
    assert!(html.contains("<h1>CGI calculator</h1>"), "{html}");
    for name in [
        "add",
        "mul",
        "system.getCapabilities",
        "system.listMethods",
        "system.methodExist",
        "system.methodHelp",
        "system.methodSignature",
        "system.multicall",
    ] {
        assert!(
            html.contains(&format!("<li><a href=\"#{name}\">{name}</a></li>")),
            "the page does not list {name}:\n{html}"
        );
    }
    assert!(html.contains("Multiplies two numbers."), "{html}");
    // Plain forms without `action`: they post back to the page's own address.
    assert!(
        html.contains("<form class=\"try\" method=\"post\" accept-charset=\"utf-8\">"),
        "calls go back to the page's own address: {html}"
    );
    // The page is for GET; POST still answers calls.
    let length = call("add", &(1, 1)).len().to_string();
    let out = run(
        &["--doc"],
        &[("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", &length)],
        &call("add", &(1, 1)),
    );
    assert_eq!(out.answer(), Ok(Value::from(2)));
}

#[test]
fn content_length_over_the_limit_is_413() {
    let limit = Registry::new().get_limits().input_limit();
    let over = (limit as u64 + 1).to_string();
    let out = run(
        &[],
        &[("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", &over)],
        &call("add", &(2, 3)),
    );
    assert_eq!(out.status, "413 Payload Too Large", "{}", out.text());
    let out = run(
        &[],
        &[
            ("REQUEST_METHOD", "POST"),
            ("CONTENT_LENGTH", "99999999999999"),
        ],
        b"",
    );
    assert_eq!(out.status, "413 Payload Too Large", "{}", out.text());
}

#[test]
fn without_content_length_there_is_no_body() {
    // RFC 3875: no CONTENT_LENGTH, no body; whatever is on standard input is not read, and
    // the empty call is a parse fault, as an empty POST is over HTTP.
    let body = call("add", &(2, 3));
    let out = run(&[], &[("REQUEST_METHOD", "POST")], &body);
    assert_eq!(out.answer().map_err(|f| f.code()), Err(Fault::PARSE_ERROR));
    let out = run(
        &[],
        &[("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "twelve")],
        &body,
    );
    assert_eq!(out.status, "400 Bad Request", "{}", out.text());
    assert!(
        out.text().contains("Content-Length is not a number"),
        "{}",
        out.text()
    );
}

#[test]
fn a_short_body_is_400() {
    let body = call("add", &(2, 3));
    let length = (body.len() + 10).to_string();
    let out = run(
        &[],
        &[("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", &length)],
        &body,
    );
    assert_eq!(out.status, "400 Bad Request", "{}", out.text());
    assert!(
        out.text().contains("standard input ended"),
        "{}",
        out.text()
    );
}

#[test]
fn respond_answers_from_given_variables_and_input() {
    // The adapter without the process's environment and standard input.
    let handler =
        CgiHandler::new(Registry::new().function("mul", |x: i64, y: i64| x.wrapping_mul(y)));
    let body = call("mul", &(6, 7));
    let length = body.len().to_string();
    let vars = [
        ("REQUEST_METHOD", "POST"),
        ("CONTENT_LENGTH", length.as_str()),
    ];
    let response = handler.respond(vars, &body[..]);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/xml");
    let answer: MethodResponse<i64> =
        xmlrpc::response_from_slice(response.body()).expect("a methodResponse");
    assert_eq!(answer.into_result(), Ok(42));

    let bytes = response.to_bytes();
    let out = parse(&bytes);
    assert_eq!(out.status, "200 OK");
    assert_eq!(out.content_length, Some(response.body().len()));
    assert_eq!(out.body, response.body());

    let broken = b"<?xml version=\"1.0\"?><methodCall>";
    let length = broken.len().to_string();
    let vars = [
        ("REQUEST_METHOD", "POST"),
        ("CONTENT_LENGTH", length.as_str()),
    ];
    let fault = handler.respond(vars, &broken[..]);
    let answer: MethodResponse<Value> =
        xmlrpc::response_from_slice(fault.body()).expect("a methodResponse");
    assert_eq!(
        answer.into_result().map_err(|f| f.code()),
        Err(Fault::PARSE_ERROR)
    );

    let get = handler.respond([("REQUEST_METHOD", "GET")], std::io::empty());
    assert_eq!(get.status(), 405);
    let documented = CgiHandler::new(
        Endpoint::new(Registry::new().function("getData", || "42")).documentation(DocPage::new()),
    );
    let page = documented.respond([("REQUEST_METHOD", "GET")], std::io::empty());
    assert_eq!(page.status(), 200);
    let html = String::from_utf8(page.body().to_vec()).expect("UTF-8 HTML");
    assert!(html.contains("<a href=\"#getData\">"), "{html}");
}
