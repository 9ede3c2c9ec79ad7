//! Serving a [`Registry`] as a CGI script: the Rust form of Python's
//! `CGIXMLRPCRequestHandler` and `DocCGIXMLRPCRequestHandler`.

use std::io::{Read, Write};

use crate::doc::DocPage;
use crate::registry::Registry;
use crate::service::Context;

/// A CGI response: what a script writes to standard output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgiResponse {
    /// The status code and reason, as in `200 OK`.
    pub status: &'static str,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl CgiResponse {
    /// The response as CGI output: `Status`, `Content-Type` and `Content-Length` headers, a
    /// blank line, the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "Status: {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len()
        )
        .into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

/// Answers XML-RPC calls from a CGI script.
///
/// A POST is a call: its body is read from standard input (at most `CONTENT_LENGTH` bytes
/// and never more than the registry's input limit), handled, and the response written to
/// standard output. A GET is answered with 400, as Python's handler does, or with the HTML
/// documentation page when one was set with [`CgiHandler::documentation`].
///
/// # Examples
///
/// ```
/// use xmlrpc::{CgiHandler, Registry};
///
/// let mut registry = Registry::new();
/// registry.function("add", |a: i32, b: i32| a + b)?;
/// let cgi = CgiHandler::new(registry);
///
/// // What `handle_request(Some(..))` writes, for a call given as text:
/// let response = cgi.respond("POST", &xmlrpc::call_to_vec("add", &(2, 3))?);
/// assert_eq!(response.status, "200 OK");
/// let sum: xmlrpc::MethodResponse<i32> = xmlrpc::response_from_slice(&response.body)?;
/// assert_eq!(sum.into_result(), Ok(5));
/// assert_eq!(cgi.respond("GET", b"").status, "400 Bad Request");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CgiHandler {
    registry: Registry,
    documentation: Option<DocPage>,
}

impl CgiHandler {
    /// A handler for `registry`.
    pub fn new(registry: Registry) -> Self {
        CgiHandler {
            registry,
            documentation: None,
        }
    }

    /// Answers GET with this documentation page (Python's `DocCGIXMLRPCRequestHandler`).
    pub fn documentation(mut self, page: DocPage) -> Self {
        self.documentation = Some(page);
        self
    }

    /// Handles one request from the CGI environment: `REQUEST_METHOD`, `CONTENT_LENGTH`,
    /// the body from standard input unless `request_text` is given, and writes the response
    /// to standard output (Python's `handle_request(request_text=None)`).
    ///
    /// # Errors
    ///
    /// Only writing to standard output can fail; every problem with the request is answered.
    pub fn handle_request(&self, request_text: Option<&[u8]>) -> std::io::Result<()> {
        let method = std::env::var("REQUEST_METHOD").unwrap_or_else(|_| "POST".to_owned());
        let response = match request_text {
            Some(body) => self.respond(&method, body),
            None if method.eq_ignore_ascii_case("POST") => match self.read_stdin() {
                Ok(body) => self.respond(&method, &body),
                Err(response) => response,
            },
            None => self.respond(&method, b""),
        };
        let mut out = std::io::stdout().lock();
        out.write_all(&response.to_bytes())?;
        out.flush()
    }

    /// Reads the body that `CONTENT_LENGTH` announces, refusing more than the registry's
    /// input limit.
    fn read_stdin(&self) -> Result<Vec<u8>, CgiResponse> {
        let limit = self.registry.request_limits().input_limit();
        let declared = std::env::var("CONTENT_LENGTH")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok());
        let to_read = match declared {
            Some(n) if n > limit as u64 => {
                return Err(plain(
                    "413 Content Too Large",
                    "the request body exceeds the size limit",
                ));
            }
            Some(n) => n,
            None => {
                return Err(plain(
                    "411 Length Required",
                    "CONTENT_LENGTH is missing or invalid",
                ));
            }
        };
        let mut body = Vec::new();
        match std::io::stdin().lock().take(to_read).read_to_end(&mut body) {
            Ok(_) => Ok(body),
            Err(e) => Err(plain(
                "400 Bad Request",
                &format!("cannot read the request body: {e}"),
            )),
        }
    }

    /// The response to a request with HTTP method `method` and body `body`, without
    /// touching the process's input and output.
    pub fn respond(&self, method: &str, body: &[u8]) -> CgiResponse {
        if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD") {
            return match &self.documentation {
                Some(page) => {
                    let endpoint = std::env::var("SCRIPT_NAME").unwrap_or_default();
                    CgiResponse {
                        status: "200 OK",
                        content_type: "text/html; charset=utf-8",
                        body: page.render(&self.registry, &endpoint).into_bytes(),
                    }
                }
                None => plain(
                    "400 Bad Request",
                    "XML-RPC calls are POSTed; GET is not supported",
                ),
            };
        }
        if !method.eq_ignore_ascii_case("POST") {
            return plain("405 Method Not Allowed", "XML-RPC calls are POSTed");
        }
        let handled = self.registry.handle_blocking(body, &Context::new());
        CgiResponse {
            status: "200 OK",
            content_type: "text/xml",
            body: handled.body,
        }
    }
}

fn plain(status: &'static str, message: &str) -> CgiResponse {
    CgiResponse {
        status,
        content_type: "text/plain; charset=utf-8",
        body: format!("{message}\n").into_bytes(),
    }
}
