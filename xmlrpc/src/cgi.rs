//! Serving an [`Endpoint`] as a CGI script: the Rust form of Python's
//! `CGIXMLRPCRequestHandler` and `DocCGIXMLRPCRequestHandler`.
//!
//! The adapter only moves bytes: it builds an HTTP request from the CGI variables and
//! standard input, hands it to the endpoint, and writes the endpoint's response as CGI
//! output. Every rule (paths, methods, gzip, sizes, faults) is the endpoint's, so a CGI
//! script answers exactly as the same endpoint served by `xmlrpc-axum` does.

use std::io::{Read, Write};

use http::{HeaderName, HeaderValue, Method, header};

use crate::endpoint::{Endpoint, Rejection};
use crate::peer::Peer;

/// A CGI response: what a script writes to standard output.
#[derive(Debug)]
pub struct CgiResponse {
    response: http::Response<Vec<u8>>,
}

impl CgiResponse {
    /// The status code.
    pub fn status(&self) -> http::StatusCode {
        self.response.status()
    }

    /// The header fields.
    pub fn headers(&self) -> &http::HeaderMap {
        self.response.headers()
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        self.response.body()
    }

    /// The response as an HTTP response.
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        self.response
    }

    /// The response as CGI output: a `Status` line, the header fields, `Content-Length`
    /// (the body's, unless the response has its own, as a HEAD answer does), a blank line,
    /// the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let status = self.response.status();
        let mut out = format!(
            "Status: {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .into_bytes();
        for (name, value) in self.response.headers() {
            out.extend_from_slice(title_case(name.as_str()).as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        if !self.response.headers().contains_key(header::CONTENT_LENGTH) {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body().len()).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(self.response.body());
        out
    }
}

impl From<http::Response<Vec<u8>>> for CgiResponse {
    /// A response to write as CGI output, such as an SCGI server's answer.
    fn from(response: http::Response<Vec<u8>>) -> CgiResponse {
        CgiResponse { response }
    }
}

/// A header name as CGI scripts conventionally write it (`Content-Type`); the names are
/// case-insensitive, but some servers' parsers of script output are not.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

/// Answers XML-RPC calls from a CGI script.
///
/// The request is built from the CGI variables (RFC 3875): `REQUEST_METHOD` (POST when
/// unset, as Python's handler assumes), `PATH_INFO` as the path (`/` when empty, so the
/// script's own URL is the endpoint's `/`), `QUERY_STRING`, `CONTENT_TYPE`,
/// `CONTENT_LENGTH` and every `HTTP_*` variable as headers (`HTTP_ACCEPT_ENCODING` is
/// `Accept-Encoding`), and `REMOTE_ADDR` and `REMOTE_PORT` as a
/// [forwarded peer](Peer::Forwarded). The body is the `CONTENT_LENGTH` bytes of standard
/// input (none when it is unset).
///
/// A GET without a documentation page is answered 405 with `Allow: POST`, as under every
/// other adapter. Python's `CGIXMLRPCRequestHandler` answers 400 there; 405 is what HTTP
/// means for a method the resource does not support, and `Allow` tells the client what
/// it does.
///
/// A transport's read timeout cannot be enforced here: the web server in front owns the
/// connection and its timeouts.
///
/// # Examples
///
/// ```
/// use xmlrpc::{CgiHandler, Registry};
///
/// let cgi = CgiHandler::new(Registry::new().function("add", |a: i32, b: i32| a + b));
///
/// // What `handle_request(None)` does with the process's variables and standard input:
/// let call = xmlrpc::call_to_vec("add", &(2, 3))?;
/// let length = call.len().to_string();
/// let vars = [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", length.as_str())];
/// let response = cgi.respond(vars, &call[..]);
/// assert_eq!(response.status(), 200);
/// let sum: xmlrpc::MethodResponse<i32> = xmlrpc::response_from_slice(response.body())?;
/// assert_eq!(sum.into_result(), Ok(5));
///
/// let get = cgi.respond([("REQUEST_METHOD", "GET")], std::io::empty());
/// assert_eq!(get.status(), 405);
/// assert_eq!(get.headers()["allow"], "POST");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CgiHandler {
    endpoint: Endpoint,
}

impl CgiHandler {
    /// A handler for an endpoint, or for a registry with the endpoint's defaults.
    pub fn new(endpoint: impl Into<Endpoint>) -> Self {
        CgiHandler {
            endpoint: endpoint.into(),
        }
    }

    /// Handles one request from the process's CGI variables and standard input (or
    /// `request_text`, when given, as the body), and writes the response to standard output
    /// (Python's `handle_request(request_text=None)`).
    ///
    /// # Errors
    ///
    /// Only writing to standard output can fail; every problem with the request is answered.
    pub fn handle_request(&self, request_text: Option<&[u8]>) -> std::io::Result<()> {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)));
        let response = match request_text {
            Some(body) => {
                let length = body.len().to_string();
                let vars = vars
                    .filter(|(k, _)| k != "CONTENT_LENGTH")
                    .chain(std::iter::once(("CONTENT_LENGTH".to_owned(), length)));
                self.respond(vars, body)
            }
            None => self.respond(vars, std::io::stdin().lock()),
        };
        let mut out = std::io::stdout().lock();
        out.write_all(&response.to_bytes())?;
        out.flush()
    }

    /// The response to the request that the CGI variables `vars` and the body on `stdin`
    /// make, without touching the process's environment or output.
    pub fn respond<I, K, V>(&self, vars: I, stdin: impl Read) -> CgiResponse
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (parts, peer) = match cgi_request_head(vars, Peer::Local) {
            Ok(head) => head,
            Err(rejection) => return self.answer(self.endpoint.reject(rejection)),
        };
        let limits = match self.endpoint.admit(&parts) {
            Ok(limits) => limits,
            Err(rejection) => return self.answer(self.endpoint.reject(rejection)),
        };
        let body = match read_body(&parts, stdin, limits.max_bytes) {
            Ok(body) => body,
            Err(rejection) => return self.answer(self.endpoint.reject(rejection)),
        };
        let request = http::Request::from_parts(parts, body);
        self.answer(self.endpoint.handle_blocking(request, peer))
    }

    fn answer(&self, exchange: crate::endpoint::Exchange) -> CgiResponse {
        CgiResponse {
            response: exchange.response,
        }
    }
}

/// The head of the request that CGI variables describe, and the client that sent it: the
/// mapping of RFC 3875 that the CGI handler and the SCGI server of `xmlrpc-axum` share.
///
/// - `REQUEST_METHOD` is the method (POST when unset, as Python's CGI handler assumes);
/// - `PATH_INFO` is the path (`/` when unset or empty), `QUERY_STRING` the query;
/// - `CONTENT_LENGTH` and `CONTENT_TYPE` are those headers, and every other `HTTP_*`
///   variable is a header (`HTTP_ACCEPT_ENCODING` is `Accept-Encoding`); `HTTP_CONTENT_LENGTH`
///   and `HTTP_CONTENT_TYPE`, which some servers pass besides, are left out, as RFC 3875
///   asks; a value that HTTP cannot carry is left out;
/// - `REMOTE_ADDR` and `REMOTE_PORT` are the client, a [forwarded peer](Peer::Forwarded)
///   reported by `via` (the front server's connection, or [`Peer::Local`] under CGI);
///   without `REMOTE_ADDR`, the client is `via` itself.
///
/// # Examples
///
/// ```
/// use xmlrpc::{Peer, cgi_request_head};
///
/// let vars = [
///     ("REQUEST_METHOD", "POST"),
///     ("PATH_INFO", "/RPC2"),
///     ("CONTENT_LENGTH", "187"),
///     ("HTTP_ACCEPT_ENCODING", "gzip"),
///     ("REMOTE_ADDR", "203.0.113.9"),
///     ("REMOTE_PORT", "41000"),
/// ];
/// let (head, peer) = cgi_request_head(vars, Peer::Local)?;
/// assert_eq!(head.uri, "/RPC2");
/// assert_eq!(head.headers["accept-encoding"], "gzip");
/// assert_eq!(head.headers["content-length"], "187");
/// assert_eq!(peer.to_string(), "203.0.113.9:41000 (forwarded)");
/// # Ok::<(), xmlrpc::endpoint::Rejection>(())
/// ```
///
/// # Errors
///
/// [`Rejection::MalformedRequest`] when `REQUEST_METHOD` is not an HTTP method, or
/// `PATH_INFO` and `QUERY_STRING` make no URI.
pub fn cgi_request_head<I, K, V>(
    vars: I,
    via: Peer,
) -> Result<(http::request::Parts, Peer), Rejection>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut request = CgiVars::read(vars)?;
    let peer = match request.remote_addr.take() {
        Some(addr) => Peer::forwarded(addr, request.remote_port, via),
        None => via,
    };
    Ok((request.head()?, peer))
}

/// What the CGI variables of a request say, read in one pass (see [`cgi_request_head`]).
struct CgiVars {
    method: Method,
    path: String,
    query: String,
    headers: http::HeaderMap,
    remote_addr: Option<String>,
    remote_port: Option<u16>,
}

impl CgiVars {
    /// Reads the variables: the method, path and query, the header fields, and the client.
    fn read<I, K, V>(vars: I) -> Result<CgiVars, Rejection>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut read = CgiVars {
            method: Method::POST,
            path: String::from("/"),
            query: String::new(),
            headers: http::HeaderMap::new(),
            remote_addr: None,
            remote_port: None,
        };
        for (name, value) in vars {
            let (name, value) = (name.as_ref(), value.as_ref());
            match name {
                "REQUEST_METHOD" => {
                    read.method = Method::from_bytes(value.trim().as_bytes()).map_err(|_| {
                        Rejection::MalformedRequest {
                            reason: "REQUEST_METHOD is not an HTTP method".to_owned(),
                        }
                    })?;
                }
                "PATH_INFO" if !value.is_empty() => read.path = value.to_owned(),
                "QUERY_STRING" => read.query = value.to_owned(),
                "REMOTE_ADDR" if !value.is_empty() => read.remote_addr = Some(value.to_owned()),
                "REMOTE_PORT" => read.remote_port = value.trim().parse::<u16>().ok(),
                "CONTENT_LENGTH" if !value.trim().is_empty() => {
                    insert(&mut read.headers, header::CONTENT_LENGTH, value);
                }
                "CONTENT_TYPE" if !value.is_empty() => {
                    insert(&mut read.headers, header::CONTENT_TYPE, value);
                }
                "HTTP_CONTENT_LENGTH" | "HTTP_CONTENT_TYPE" => {}
                _ => {
                    if let Some(field) = name.strip_prefix("HTTP_") {
                        let field = field.replace('_', "-").to_ascii_lowercase();
                        if let Ok(field) = HeaderName::from_bytes(field.as_bytes()) {
                            insert(&mut read.headers, field, value);
                        }
                    }
                }
            }
        }
        Ok(read)
    }

    /// The request head: the method, the URI that `PATH_INFO` and `QUERY_STRING` make, and
    /// the header fields.
    fn head(self) -> Result<http::request::Parts, Rejection> {
        let CgiVars {
            method,
            path,
            query,
            headers,
            ..
        } = self;
        let uri = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        let mut request = http::Request::new(());
        *request.method_mut() = method;
        *request.uri_mut() = uri.parse().map_err(|_| Rejection::MalformedRequest {
            reason: format!(
                "PATH_INFO and QUERY_STRING make no URI: {:?}",
                crate::excerpt::truncate(&uri, 100)
            ),
        })?;
        *request.headers_mut() = headers;
        Ok(request.into_parts().0)
    }
}

/// Adds a header field whose value the web server gave; one that HTTP cannot carry is left
/// out, as it could not have come over HTTP.
fn insert(headers: &mut http::HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.append(name, value);
    }
}

/// The body: the `CONTENT_LENGTH` bytes of standard input (RFC 3875: none when unset),
/// never more than `max_bytes`.
fn read_body(
    head: &http::request::Parts,
    stdin: impl Read,
    max_bytes: usize,
) -> Result<Vec<u8>, Rejection> {
    // The endpoint checked that the length is a number within the wire limit.
    let announced = head
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let wanted = announced.min(max_bytes as u64);
    let mut body = Vec::with_capacity(usize::try_from(wanted).unwrap_or(0).min(1 << 20));
    stdin
        .take(wanted)
        .read_to_end(&mut body)
        .map_err(|e| Rejection::BodyUnreadable {
            reason: e.to_string(),
        })?;
    if (body.len() as u64) < announced {
        return Err(Rejection::BodyUnreadable {
            reason: format!(
                "standard input ended after {} of the {announced} bytes of CONTENT_LENGTH",
                body.len()
            ),
        });
    }
    Ok(body)
}
