//! SCGI, as rTorrent and every server behind nginx's `scgi_pass` speak it: one request per
//! connection, its head a netstring of NUL-separated CGI variables (`CONTENT_LENGTH` first,
//! then `SCGI` `1`), then the body; the answer CGI-style header lines (`Status: 200 OK`), a
//! blank line and the body, until the server closes the connection.
//!
//! The framing is written and read by plain functions ([`request_head`],
//! [`parse_response`]); the transport only moves their bytes.

use std::time::Duration;

use http::StatusCode;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::{Answer, Exchange};
use crate::caller::CallError;
use crate::client::body;
use crate::client::error::transport;
use crate::client::transport::error::TransportKind;
use crate::client::url::ScgiAddr;

/// The most bytes of header lines an answer may start with.
const HEAD_LIMIT: usize = 64 << 10;

/// Sends calls to one SCGI server.
#[derive(Debug)]
pub(in crate::client) struct ScgiTransport {
    addr: ScgiAddr,
    /// `REQUEST_URI` and `SCRIPT_NAME`.
    path: String,
    /// Sent as CGI variables: `CONTENT_TYPE`, and `HTTP_*` for the rest.
    headers: HeaderMap,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
}

impl ScgiTransport {
    pub(in crate::client) fn new(addr: ScgiAddr, path: String, headers: HeaderMap) -> Self {
        ScgiTransport {
            addr,
            path,
            headers,
            timeout: None,
            connect_timeout: None,
            read_timeout: None,
        }
    }

    /// The time limits: for the whole call, to connect, and between two reads.
    pub(in crate::client) fn timeouts(
        mut self,
        timeout: Option<Duration>,
        connect: Option<Duration>,
        read: Option<Duration>,
    ) -> Self {
        self.timeout = timeout;
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    pub(super) async fn exchange(&self, exchange: Exchange) -> Result<Answer, CallError> {
        match exchange.timeout.or(self.timeout) {
            Some(limit) => tokio::time::timeout(limit, self.run(exchange))
                .await
                .unwrap_or(Err(CallError::Timeout)),
            None => self.run(exchange).await,
        }
    }

    async fn run(&self, exchange: Exchange) -> Result<Answer, CallError> {
        let mut head = request_head(
            exchange.body.len(),
            &self.path,
            self.headers.iter().chain(exchange.headers.iter()),
        );
        if exchange.gzipped {
            push_var(&mut head, b"HTTP_CONTENT_ENCODING", b"gzip");
        }
        let head = finish_head(head);
        let cap = exchange.cap.saturating_add(HEAD_LIMIT);
        let raw = match &self.addr {
            ScgiAddr::Tcp(addr) => {
                let connect = tokio::net::TcpStream::connect(addr.as_str());
                let stream = self.connect(connect, addr).await?;
                let _ = stream.set_nodelay(true);
                self.talk(stream, &head, &exchange.body, cap).await?
            }
            #[cfg(unix)]
            ScgiAddr::Unix(path) => {
                let connect = tokio::net::UnixStream::connect(path);
                let stream = self.connect(connect, &path.display().to_string()).await?;
                self.talk(stream, &head, &exchange.body, cap).await?
            }
            #[cfg(not(unix))]
            ScgiAddr::Unix(path) => {
                return Err(transport(
                    TransportKind::Connect,
                    format!(
                        "cannot connect to {}: Unix sockets are not available on this system",
                        path.display()
                    ),
                    None,
                ));
            }
        };
        let parsed = parse_response(&raw).map_err(|message| {
            transport(
                TransportKind::Other,
                format!("malformed SCGI answer: {message}"),
                None,
            )
        })?;
        let mut body = raw;
        body.drain(..parsed.body_start);
        if let Some(announced) = parsed
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            if body.len() < announced {
                return Err(transport(
                    TransportKind::Other,
                    format!(
                        "the SCGI server closed the connection after {} of the {announced} bytes it announced",
                        body.len()
                    ),
                    None,
                ));
            }
            body.truncate(announced);
        }
        if parsed.status.is_success() && body.len() > exchange.cap {
            return Err(body::too_large(exchange.cap));
        }
        if !parsed.status.is_success() {
            body.truncate(body::ERROR_BODY_READ);
        }
        Ok(Answer {
            status: parsed.status,
            headers: parsed.headers,
            body,
        })
    }

    async fn connect<S>(
        &self,
        connect: impl Future<Output = std::io::Result<S>>,
        name: &str,
    ) -> Result<S, CallError> {
        let result = match self.connect_timeout {
            Some(limit) => match tokio::time::timeout(limit, connect).await {
                Ok(result) => result,
                Err(_) => return Err(CallError::Timeout),
            },
            None => connect.await,
        };
        result.map_err(|e| {
            transport(
                TransportKind::Connect,
                format!("cannot connect to the SCGI server at {name}"),
                Some(Box::new(e)),
            )
        })
    }

    /// Writes the request and reads the whole answer, up to `cap` bytes.
    async fn talk<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        mut stream: S,
        head: &[u8],
        body: &[u8],
        cap: usize,
    ) -> Result<Vec<u8>, CallError> {
        let io_error = |what: &str, e: std::io::Error| {
            transport(
                TransportKind::Other,
                format!("{what} the SCGI server"),
                Some(Box::new(e)),
            )
        };
        stream
            .write_all(head)
            .await
            .map_err(|e| io_error("cannot send the call to", e))?;
        stream
            .write_all(body)
            .await
            .map_err(|e| io_error("cannot send the call to", e))?;
        stream
            .flush()
            .await
            .map_err(|e| io_error("cannot send the call to", e))?;
        let mut out = Vec::with_capacity(8 << 10);
        let mut chunk = vec![0u8; 16 << 10];
        loop {
            let read = stream.read(&mut chunk);
            let n = match self.read_timeout {
                Some(limit) => tokio::time::timeout(limit, read)
                    .await
                    .map_err(|_| CallError::Timeout)?,
                None => read.await,
            }
            .map_err(|e| io_error("lost the connection to", e))?;
            if n == 0 {
                return Ok(out);
            }
            if out.len() + n > cap {
                return Err(body::too_large(cap.saturating_sub(HEAD_LIMIT)));
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }
}

/// The start of a request's netstring: `CONTENT_LENGTH`, `SCGI`, the request variables, and
/// each header as a CGI variable. [`finish_head`] frames it.
pub(super) fn request_head<'h>(
    content_length: usize,
    path: &str,
    headers: impl Iterator<Item = (&'h HeaderName, &'h HeaderValue)>,
) -> Vec<u8> {
    let mut vars = Vec::with_capacity(256);
    push_var(
        &mut vars,
        b"CONTENT_LENGTH",
        itoa::Buffer::new().format(content_length).as_bytes(),
    );
    push_var(&mut vars, b"SCGI", b"1");
    push_var(&mut vars, b"REQUEST_METHOD", b"POST");
    push_var(&mut vars, b"REQUEST_URI", path.as_bytes());
    push_var(&mut vars, b"SCRIPT_NAME", path.as_bytes());
    push_var(&mut vars, b"SERVER_PROTOCOL", b"HTTP/1.1");
    let mut content_type = false;
    for (name, value) in headers {
        if name == CONTENT_LENGTH {
            continue;
        }
        if name == CONTENT_TYPE {
            // Once: the client's own is first, a call's header could only repeat it.
            if !content_type {
                push_var(&mut vars, b"CONTENT_TYPE", value.as_bytes());
                content_type = true;
            }
            continue;
        }
        let mut var = Vec::with_capacity(5 + name.as_str().len());
        var.extend_from_slice(b"HTTP_");
        var.extend(name.as_str().bytes().map(|b| match b {
            b'-' => b'_',
            b => b.to_ascii_uppercase(),
        }));
        push_var(&mut vars, &var, value.as_bytes());
    }
    if !content_type {
        push_var(&mut vars, b"CONTENT_TYPE", b"text/xml");
    }
    vars
}

/// One `NAME\0value\0` pair. Neither can hold NUL: names are written here, and header
/// values refuse control characters.
fn push_var(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.push(0);
    out.extend_from_slice(value);
    out.push(0);
}

/// The netstring around the variables: `LEN:` + variables + `,`.
pub(super) fn finish_head(vars: Vec<u8>) -> Vec<u8> {
    let len = itoa::Buffer::new().format(vars.len()).to_owned();
    let mut head = Vec::with_capacity(len.len() + vars.len() + 2);
    head.extend_from_slice(len.as_bytes());
    head.push(b':');
    head.extend_from_slice(&vars);
    head.push(b',');
    head
}

/// An answer's head, read.
#[derive(Debug)]
pub(super) struct Parsed {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    /// Where the body starts.
    pub(super) body_start: usize,
}

/// Reads the CGI-style head of an SCGI answer: header lines (ended by CRLF or LF) up to a
/// blank line. The status is the `Status:` header's (200 when there is none, as CGI says);
/// a server that starts with an HTTP status line (`HTTP/1.1 200 OK`) is understood too.
pub(super) fn parse_response(raw: &[u8]) -> Result<Parsed, String> {
    if raw.is_empty() {
        return Err("the server closed the connection without answering".to_owned());
    }
    let mut status = StatusCode::OK;
    let mut headers = HeaderMap::new();
    let mut at = 0;
    let mut first = true;
    loop {
        let Some(end) = memchr::memchr(b'\n', &raw[at..]).map(|i| at + i) else {
            return Err("the header lines do not end".to_owned());
        };
        if end > HEAD_LIMIT {
            return Err(format!(
                "the header lines are longer than {HEAD_LIMIT} bytes"
            ));
        }
        let line = raw[at..end].strip_suffix(b"\r").unwrap_or(&raw[at..end]);
        at = end + 1;
        if line.is_empty() {
            break;
        }
        if first && line.starts_with(b"HTTP/") {
            first = false;
            status = status_from(line.splitn(2, |&b| b == b' ').nth(1).unwrap_or(b""))?;
            continue;
        }
        first = false;
        let colon = memchr::memchr(b':', line)
            .ok_or_else(|| format!("a header line without a colon: {}", show(line)))?;
        let name = HeaderName::from_bytes(line[..colon].trim_ascii())
            .map_err(|_| format!("an invalid header name: {}", show(&line[..colon])))?;
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii())
            .map_err(|_| format!("an invalid value for {name}"))?;
        if name.as_str() == "status" {
            status = status_from(value.as_bytes())?;
        } else {
            headers.append(name, value);
        }
    }
    Ok(Parsed {
        status,
        headers,
        body_start: at,
    })
}

/// `200 OK` (or just `200`) as a status.
fn status_from(text: &[u8]) -> Result<StatusCode, String> {
    let code = text.trim_ascii().get(..3).unwrap_or(b"");
    StatusCode::from_bytes(code).map_err(|_| format!("an invalid status: {}", show(text)))
}

/// The start of `bytes` as text, for a message.
fn show(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_head_starts_with_content_length_then_scgi() {
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("k"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        let head = finish_head(request_head(42, "/RPC2", headers.iter()));
        let text = String::from_utf8(head).expect("ASCII");
        let (len, rest) = text.split_once(':').expect("a netstring");
        let vars = rest.strip_suffix(',').expect("ends with a comma");
        assert_eq!(len.parse::<usize>().expect("a length"), vars.len());
        assert!(
            vars.starts_with("CONTENT_LENGTH\x0042\x00SCGI\x001\x00REQUEST_METHOD\x00POST\x00"),
            "{vars:?}"
        );
        assert!(vars.contains("\0HTTP_X_API_KEY\0k\0"), "{vars:?}");
        assert_eq!(
            vars.matches("CONTENT_TYPE\0text/xml\0").count(),
            1,
            "{vars:?}"
        );
        assert!(vars.contains("REQUEST_URI\0/RPC2\0"), "{vars:?}");
    }

    #[test]
    fn an_answer_with_a_status_header_and_crlf_lines() {
        let raw = b"Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4\r\n\r\nbody";
        let parsed = parse_response(raw).expect("valid");
        assert_eq!(parsed.status, StatusCode::OK);
        assert_eq!(
            parsed.headers.get(CONTENT_TYPE).map(|v| v.as_bytes()),
            Some(&b"text/xml"[..])
        );
        assert_eq!(&raw[parsed.body_start..], b"body");
        assert!(parsed.headers.get("status").is_none());
    }

    #[test]
    fn an_answer_with_lf_lines_an_error_status_or_an_http_status_line() {
        let parsed = parse_response(b"Status: 404 Not Found\nContent-Type: text/plain\n\nnope")
            .expect("valid");
        assert_eq!(parsed.status, StatusCode::NOT_FOUND);
        let parsed = parse_response(b"HTTP/1.1 503 Busy\r\n\r\n").expect("valid");
        assert_eq!(parsed.status, StatusCode::SERVICE_UNAVAILABLE);
        // No status: 200, as in CGI.
        let parsed = parse_response(b"Content-Type: text/xml\n\n<x/>").expect("valid");
        assert_eq!(parsed.status, StatusCode::OK);
    }

    #[test]
    fn malformed_answers_are_errors_not_panics() {
        for raw in [
            &b""[..],
            b"Status: 200 OK\r\nno end",
            b"garbage without colon\r\n\r\n",
            b"Status: abc\r\n\r\n",
            b"Bad Name: x\r\n\r\n",
            b"\xff\xfe: x\r\n\r\n",
        ] {
            assert!(parse_response(raw).is_err(), "{raw:?}");
        }
    }
}
