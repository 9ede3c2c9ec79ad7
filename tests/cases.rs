//! The endpoint's behaviour as one table of cases: paths, methods, content codings, sizes,
//! bad bodies, the documentation page and the request context. `tests/endpoint_cases.rs`
//! runs every row against the endpoint directly, over HTTP through `xmlrpc-axum`, and
//! through the CGI adapter (the `cgi-cases` program of this package); each row expects the
//! same answer from every transport that can express it.

use std::io::Write;
use std::time::Duration;

use flate2::Compression;
use flate2::write::GzEncoder;
use xmlrpc::{Context, DocPage, Endpoint, Fault, MethodResponse, Registry, Value, xmlrpc_service};

/// The wire limit of the endpoint under test.
pub const WIRE_LIMIT: usize = 64 << 10;
/// The decoded limit of the endpoint under test.
pub const DECODED_LIMIT: usize = 256 << 10;
/// The read timeout of the endpoint under test.
pub const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// The methods the cases call.
#[derive(Debug)]
pub struct Probe;

#[xmlrpc_service]
impl Probe {
    /// Adds two numbers.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a.wrapping_add(b)
    }

    /// `text`, `times` times over (at most a megabyte).
    pub fn repeat(&self, text: String, times: u32) -> Result<String, Fault> {
        let times = usize::try_from(times).unwrap_or(usize::MAX);
        if text.len().saturating_mul(times) > 1 << 20 {
            return Err(Fault::new(1, "too long"));
        }
        Ok(text.repeat(times))
    }

    /// `value`, as it came.
    pub fn echo(&self, value: Value) -> Value {
        value
    }

    /// The length of `text` in bytes.
    pub fn length(&self, text: String) -> u32 {
        u32::try_from(text.len()).unwrap_or(u32::MAX)
    }

    /// The value of request header `name`, or nil.
    pub fn header(&self, ctx: &Context, name: String) -> Option<String> {
        ctx.header(&name).map(str::to_owned)
    }

    /// The client's IP address as the endpoint was told it.
    pub fn peer_ip(&self, ctx: &Context) -> String {
        ctx.peer()
            .ip()
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }

    /// The path the call was sent to.
    pub fn path(&self, ctx: &Context) -> String {
        ctx.path().to_owned()
    }
}

/// The endpoint every transport serves: the probe's methods, small limits, a short read
/// timeout, and a documentation page when `documented`.
pub fn endpoint(documented: bool) -> Endpoint {
    let endpoint = Endpoint::new(Registry::new().service(Probe))
        .wire_limit(WIRE_LIMIT)
        .decoded_limit(DECODED_LIMIT)
        .read_timeout(READ_TIMEOUT)
        .log_requests(false);
    if documented {
        endpoint.documentation(DocPage::new().name("Probe"))
    } else {
        endpoint
    }
}

/// The transports a case runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// [`Endpoint::handle`] called directly.
    Endpoint,
    /// HTTP/1.1 over loopback to an `xmlrpc-axum` router.
    Axum,
    /// The CGI adapter, run as a program with CGI variables and standard input.
    Cgi,
}

/// How the body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// All of it, with a `Content-Length` (unless the case sets its own).
    Whole,
    /// HTTP chunked transfer coding, without `Content-Length`.
    Chunked,
    /// The `Content-Length` of the whole body, then only its first half, then nothing.
    Stalled,
}

/// What a response header must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Exactly this value.
    Is(&'static str),
    /// Present, with any value.
    Present,
    /// Absent.
    Absent,
}

/// What the body must be.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyIs {
    /// An XML-RPC answer with this value (gzip decoded first when the response says gzip).
    Answer(Value),
    /// An XML-RPC fault with this code.
    Fault(i32),
    /// Text containing this.
    Contains(&'static str),
    /// Nothing.
    Empty,
    /// Anything: the status says it all.
    Any,
}

/// One row: a request, and the answer every transport that can express it must give.
#[derive(Debug, Clone)]
pub struct Case {
    /// What the row checks, as an identifier.
    pub name: &'static str,
    /// Whether the endpoint has a documentation page.
    pub documented: bool,
    /// The HTTP method.
    pub method: &'static str,
    /// The request path.
    pub path: &'static str,
    /// Header fields sent, besides `Host` and the body's length.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// How the body is sent.
    pub delivery: Delivery,
    /// The status expected.
    pub status: u16,
    /// Header fields expected.
    pub fields: Vec<(&'static str, Field)>,
    /// The body expected.
    pub expect: BodyIs,
    /// The transports that cannot express the row, and why.
    pub not_under: Vec<(Transport, &'static str)>,
}

impl Case {
    fn new(name: &'static str, method: &'static str, path: &'static str) -> Case {
        Case {
            name,
            documented: false,
            method,
            path,
            headers: Vec::new(),
            body: Vec::new(),
            delivery: Delivery::Whole,
            status: 200,
            fields: Vec::new(),
            expect: BodyIs::Any,
            not_under: Vec::new(),
        }
    }

    fn post(name: &'static str, body: Vec<u8>) -> Case {
        let mut case = Case::new(name, "POST", "/RPC2");
        case.body = body;
        case.headers.push(("content-type", "text/xml".to_owned()));
        case
    }

    fn documented(mut self) -> Case {
        self.documented = true;
        self
    }

    fn path(mut self, path: &'static str) -> Case {
        self.path = path;
        self
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Case {
        self.headers.push((name, value.into()));
        self
    }

    fn delivery(mut self, delivery: Delivery) -> Case {
        self.delivery = delivery;
        self
    }

    fn status(mut self, status: u16) -> Case {
        self.status = status;
        self
    }

    fn field(mut self, name: &'static str, field: Field) -> Case {
        self.fields.push((name, field));
        self
    }

    fn expect(mut self, expect: BodyIs) -> Case {
        self.expect = expect;
        self
    }

    /// An answer: 200, `text/xml`, this value.
    fn answer(self, value: impl Into<Value>) -> Case {
        self.status(200)
            .field("content-type", Field::Is("text/xml"))
            .expect(BodyIs::Answer(value.into()))
    }

    /// A fault in a 200 answer.
    fn fault(self, code: i32) -> Case {
        self.status(200)
            .field("content-type", Field::Is("text/xml"))
            .expect(BodyIs::Fault(code))
    }

    /// An HTTP error with a plain-text reason.
    fn refused(self, status: u16, reason: &'static str) -> Case {
        self.status(status)
            .field("content-type", Field::Is("text/plain; charset=utf-8"))
            .expect(BodyIs::Contains(reason))
    }

    fn not_under(mut self, transport: Transport, why: &'static str) -> Case {
        self.not_under.push((transport, why));
        self
    }

    /// Why the row cannot run under `transport`, if it cannot.
    pub fn inexpressible(&self, transport: Transport) -> Option<&'static str> {
        self.not_under
            .iter()
            .find(|(t, _)| *t == transport)
            .map(|(_, why)| *why)
    }
}

/// A call document.
pub fn call(method: &str, params: &impl serde::Serialize) -> Vec<u8> {
    xmlrpc::call_to_vec(method, params).expect("encoding a call")
}

/// `data` gzip-compressed.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("compressing into memory");
    encoder.finish().expect("compressing into memory")
}

/// A `length` call exactly `size` bytes long.
fn length_call_of_size(size: usize) -> Vec<u8> {
    let empty = call("length", &("",)).len();
    let text = "a".repeat(size - empty);
    let body = call("length", &(text,));
    assert_eq!(body.len(), size);
    body
}

/// Every row.
pub fn cases() -> Vec<Case> {
    use Field::{Absent, Is, Present};
    use Transport::{Axum, Cgi, Endpoint};
    let add = call("add", &(2, 3));
    let large = call("repeat", &("x", 5000));
    let large_answer = Value::from("x".repeat(5000));
    let at_wire_limit = length_call_of_size(WIRE_LIMIT);
    let at_decoded_limit = length_call_of_size(DECODED_LIMIT);
    let over_decoded_limit = length_call_of_size(DECODED_LIMIT + 1);
    let deep = format!(
        "<methodCall><methodName>echo</methodName><params><param><value>{}{}</value></param></params></methodCall>",
        "<array><data><value>".repeat(100),
        "</value></data></array>".repeat(100)
    );
    let doc_page = "<h1>Probe</h1>";
    vec![
        // Paths.
        Case::post("call_at_root", add.clone()).path("/").answer(5),
        Case::post("call_at_rpc2", add.clone()).answer(5),
        Case::post("unknown_path_is_404", add.clone())
            .path("/nope")
            .status(404),
        Case::post("paths_match_exactly", add.clone())
            .path("/RPC2/x")
            .status(404),
        // Methods.
        Case::new("get_without_docs_is_405", "GET", "/")
            .refused(405, "XML-RPC calls are POSTed")
            .field("allow", Is("POST")),
        Case::new("put_is_405", "PUT", "/RPC2")
            .refused(405, "PUT is not allowed")
            .field("allow", Is("POST")),
        Case::new("options_is_405", "OPTIONS", "/RPC2")
            .refused(405, "OPTIONS is not allowed")
            .field("allow", Is("POST")),
        Case::new("delete_with_docs_is_405", "DELETE", "/")
            .documented()
            .refused(405, "DELETE is not allowed")
            .field("allow", Is("GET, HEAD, POST")),
        // The documentation page.
        Case::new("get_with_docs_is_the_page", "GET", "/")
            .documented()
            .field("content-type", Is("text/html; charset=utf-8"))
            .expect(BodyIs::Contains(doc_page)),
        Case::new("head_with_docs_has_no_body", "HEAD", "/RPC2")
            .documented()
            .field("content-type", Is("text/html; charset=utf-8"))
            .field("content-length", Present)
            .expect(BodyIs::Empty),
        Case::new("docs_only_at_the_paths", "GET", "/nope")
            .documented()
            .status(404),
        Case::post("post_with_docs_calls", add.clone())
            .documented()
            .answer(5),
        // Content codings of requests.
        Case::post("gzip_request", gzip(&add))
            .header("content-encoding", "gzip")
            .answer(5),
        Case::post("x_gzip_request", gzip(&add))
            .header("content-encoding", "x-gzip")
            .answer(5),
        Case::post("identity_request", add.clone())
            .header("content-encoding", "identity")
            .answer(5),
        Case::post("unknown_coding_is_415", add.clone())
            .header("content-encoding", "br")
            .refused(415, "\"br\" is not supported"),
        Case::post("broken_gzip_is_400", add.clone())
            .header("content-encoding", "gzip")
            .refused(400, "not valid gzip"),
        // Sizes.
        Case::post("body_at_the_wire_limit", at_wire_limit).answer(
            i32::try_from(WIRE_LIMIT - call("length", &("",)).len()).expect("small"),
        ),
        Case::post("body_over_the_wire_limit_is_413", vec![b' '; WIRE_LIMIT + 1])
            .refused(413, "exceeds the limit of 65536 bytes"),
        Case::post("announced_length_over_the_limit_is_413", add.clone())
            .header("content-length", (10u64 << 20).to_string())
            .refused(413, "exceeds the limit of 65536 bytes"),
        Case::post("gzip_at_the_decoded_limit", gzip(&at_decoded_limit))
            .header("content-encoding", "gzip")
            .answer(
                i32::try_from(DECODED_LIMIT - call("length", &("",)).len()).expect("small"),
            ),
        Case::post("gzip_over_the_decoded_limit_is_413", gzip(&over_decoded_limit))
            .header("content-encoding", "gzip")
            .refused(413, "decoded request body exceeds the limit of 262144 bytes"),
        Case::post("invalid_content_length_is_400", add.clone())
            .header("content-length", "twelve")
            .status(400),
        Case::post("chunked_body", add.clone())
            .delivery(Delivery::Chunked)
            .answer(5)
            .not_under(Cgi, "CGI bodies come with CONTENT_LENGTH; the web server de-chunks"),
        Case::post("slow_body_is_408", add.clone())
            .delivery(Delivery::Stalled)
            .refused(408, "did not arrive within 2 s")
            .not_under(Endpoint, "the endpoint is handed whole bodies; adapters time reads")
            .not_under(Cgi, "the web server in front owns the connection and its timeouts"),
        Case::post("short_body_is_400", add.clone())
            .delivery(Delivery::Stalled)
            .refused(400, "standard input ended after")
            .not_under(Endpoint, "the endpoint is handed whole bodies")
            .not_under(Axum, "over HTTP a short body is a slow one: slow_body_is_408"),
        // Content coding of responses.
        Case::post("large_answer_is_gzipped", large.clone())
            .header("accept-encoding", "gzip")
            .answer(large_answer.clone())
            .field("content-encoding", Is("gzip"))
            .field("vary", Is("accept-encoding")),
        Case::post("small_answer_is_not_gzipped", add.clone())
            .header("accept-encoding", "gzip")
            .answer(5)
            .field("content-encoding", Absent)
            .field("vary", Is("accept-encoding")),
        Case::post("gzip_refused_by_quality", large.clone())
            .header("accept-encoding", "gzip;q=0, identity")
            .answer(large_answer.clone())
            .field("content-encoding", Absent),
        Case::post("gzip_not_asked_for", large)
            .answer(large_answer)
            .field("content-encoding", Absent),
        // Bad bodies: faults in 200 answers.
        Case::post("malformed_xml_is_a_parse_fault", b"<methodCall><methodName>add".to_vec())
            .fault(Fault::PARSE_ERROR),
        Case::post("empty_body_is_a_parse_fault", Vec::new()).fault(Fault::PARSE_ERROR),
        Case::post(
            "doctype_is_refused",
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><methodCall><methodName>add</methodName></methodCall>".to_vec(),
        )
        .fault(Fault::PARSE_ERROR),
        Case::post("too_deep_is_a_limit_fault", deep.into_bytes()).fault(Fault::LIMIT_EXCEEDED),
        Case::post("unknown_method_fault", call("nosuch", &(1,))).fault(Fault::METHOD_NOT_FOUND),
        Case::post("wrong_parameter_type_fault", call("add", &("two", 3)))
            .fault(Fault::INVALID_PARAMS),
        // The request's context.
        Case::post("context_has_headers", call("header", &("x-user",)))
            .header("x-user", "ada")
            .answer("ada"),
        Case::post("context_has_the_peer", call("peer_ip", &())).answer("127.0.0.1"),
        Case::post("context_has_the_path", call("path", &())).answer("/RPC2"),
    ]
}

/// A response as a transport delivered it.
#[derive(Debug, Clone)]
pub struct Got {
    /// The status code.
    pub status: u16,
    /// The header fields, names lowercased.
    pub fields: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Got {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Checks `got` against the row's expectations: `Err` with every mismatch.
///
/// # Errors
///
/// What differs.
pub fn check(case: &Case, got: &Got) -> Result<(), String> {
    let mut wrong = Vec::new();
    let text = String::from_utf8_lossy(&got.body).into_owned();
    if got.status != case.status {
        wrong.push(format!("status {} instead of {}", got.status, case.status));
    }
    for (name, field) in &case.fields {
        let value = got.field(name);
        let fine = match field {
            Field::Is(v) => value == Some(*v),
            Field::Present => value.is_some(),
            Field::Absent => value.is_none(),
        };
        if !fine {
            wrong.push(format!("header {name} is {value:?}, expected {field:?}"));
        }
    }
    let body = if got.field("content-encoding") == Some("gzip") {
        let mut out = Vec::new();
        match std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&got.body[..]), &mut out)
        {
            Ok(_) => out,
            Err(e) => {
                wrong.push(format!("the body says gzip and is not: {e}"));
                Vec::new()
            }
        }
    } else {
        got.body.clone()
    };
    match &case.expect {
        BodyIs::Answer(value) => match xmlrpc::response_from_slice::<Value>(&body) {
            Ok(MethodResponse::Value(v)) if v == *value => {}
            other => wrong.push(format!("answer {other:?}, expected {value:?}")),
        },
        BodyIs::Fault(code) => match xmlrpc::response_from_slice::<Value>(&body) {
            Ok(MethodResponse::Fault(f)) if f.code() == *code => {}
            other => wrong.push(format!("answer {other:?}, expected fault {code}")),
        },
        BodyIs::Contains(needle) => {
            if !text.contains(needle) {
                wrong.push(format!("body {text:?} lacks {needle:?}"));
            }
        }
        BodyIs::Empty => {
            if !got.body.is_empty() {
                wrong.push(format!("body of {} bytes, expected none", got.body.len()));
            }
        }
        BodyIs::Any => {}
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
