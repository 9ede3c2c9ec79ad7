//! SCGI: how nginx (`scgi_pass`), lighttpd and Apache's `mod_proxy_scgi` hand requests to a
//! long-running application, and how rTorrent serves XML-RPC. Served by
//! [`Server::serve_scgi`](crate::Server::serve_scgi).
//!
//! # The protocol
//!
//! A request is a netstring of CGI variables, `LENGTH:` then NUL-terminated names and values
//! then `,`, whose first variable is `CONTENT_LENGTH` and which holds `SCGI` = `1`; then
//! exactly `CONTENT_LENGTH` bytes of body. The answer is CGI output: a `Status:` line, the
//! header fields, a blank line, the body; then the connection closes. One request per
//! connection.
//!
//! # What the app sees
//!
//! The variables become an HTTP request as under CGI (see [`xmlrpc::cgi_request_head`]):
//! `REQUEST_METHOD`, the `HTTP_*` headers, `CONTENT_TYPE` and `CONTENT_LENGTH`, the client
//! from `REMOTE_ADDR` and `REMOTE_PORT` as an [`xmlrpc::Peer::Forwarded`] reported by the
//! front server's connection. The path is that of `REQUEST_URI` (what the client asked for,
//! as it sent it; nginx passes it), or else `PATH_INFO`, or `/`; the query is
//! `QUERY_STRING`. The body streams from the connection, never past `CONTENT_LENGTH`, so the
//! endpoint's wire limit and read timeout hold as over HTTP. The app is any router: the
//! endpoint, its health routes and its layers answer alike under SCGI and HTTP.
//!
//! # Errors
//!
//! A netstring above the header limit is answered `Status: 431`; a malformed one (a length
//! that is not digits, no `,` at its end, an odd number of strings, no `CONTENT_LENGTH`
//! first, no `SCGI` = `1`) `Status: 400` with the reason; both close the connection. One
//! whose netstring does not arrive within the header read timeout is closed.
//!
//! # Behind nginx
//!
//! ```text
//! location /RPC2 {
//!     include scgi_params;                 # REQUEST_METHOD, REQUEST_URI, REMOTE_ADDR, ...
//!     scgi_pass unix:/run/app/scgi.sock;   # or 127.0.0.1:4000
//! }
//! ```

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use http_body_util::BodyExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf, ReadHalf};
use xmlrpc::endpoint::Rejection;
use xmlrpc::{CgiResponse, Peer};

use crate::conn::Limits;
use crate::listener::{Remote, Stream};
use crate::shutdown::DrainWatch;

/// Serves one SCGI connection: one request, one answer.
pub(crate) async fn serve(
    stream: Stream,
    remote: Remote,
    router: Router,
    limits: Limits,
    drain: DrainWatch,
) {
    let via = match remote {
        Remote::Tcp(addr) => Peer::Tcp(addr),
        Remote::Unix(peer) => Peer::Unix(peer),
    };
    let (mut reader, mut writer) = tokio::io::split(stream);
    let read = tokio::time::timeout(
        limits.header_read_timeout,
        read_netstring(&mut reader, limits.max_header_size),
    );
    let head = tokio::select! {
        biased;
        () = drain.started() => return,
        head = read => match head {
            Ok(head) => head,
            Err(_) => {
                tracing::debug!(target: "xmlrpc_axum", "SCGI request not in within the header read timeout: closing");
                return;
            }
        },
    };
    let (vars, rest) = match head {
        Ok(head) => head,
        Err(Framing::Closed) => return,
        Err(Framing::TooLarge) => {
            let text = format!(
                "the SCGI header netstring is larger than the limit of {} bytes\n",
                limits.max_header_size
            );
            let mut response = http::Response::new(text.into_bytes());
            *response.status_mut() = http::StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            refuse(reader, writer, response, &limits).await;
            return;
        }
        Err(Framing::Malformed(reason)) => {
            tracing::debug!(target: "xmlrpc_axum", "malformed SCGI request: {reason}");
            let rejection = Rejection::MalformedRequest {
                reason: format!("SCGI: {reason}"),
            };
            refuse(reader, writer, rejection.to_response(), &limits).await;
            return;
        }
    };
    let content_length = match content_length(&vars) {
        Ok(length) => length,
        Err(reason) => {
            let rejection = Rejection::MalformedRequest {
                reason: format!("SCGI: {reason}"),
            };
            refuse(reader, writer, rejection.to_response(), &limits).await;
            return;
        }
    };
    let (mut parts, peer) = match xmlrpc::cgi_request_head(scgi_vars(vars), via) {
        Ok(head) => head,
        Err(rejection) => {
            refuse(reader, writer, rejection.to_response(), &limits).await;
            return;
        }
    };
    parts.extensions.insert(peer);
    let (back, returned) = std::sync::mpsc::channel();
    let body = ScgiBody {
        prefix: truncated(rest, content_length),
        reader: Some(reader),
        remaining: content_length,
        back: Some(back),
    };
    let request = http::Request::from_parts(parts, Body::new(body));
    let response = match tower::ServiceExt::oneshot(router, request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (head, body) = response.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) => {
            tracing::debug!(target: "xmlrpc_axum", "SCGI response body failed: {e}");
            return;
        }
    };
    let output = CgiResponse::from(http::Response::from_parts(head, body)).to_bytes();
    let written = async {
        writer.write_all(&output).await?;
        writer.flush().await?;
        writer.shutdown().await
    };
    if let Err(e) = tokio::time::timeout(limits.idle_timeout, written)
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
    {
        tracing::debug!(target: "xmlrpc_axum", "writing the SCGI response failed: {e}");
        return;
    }
    // A body the app did not read is read and dropped (a little of it), so that the front
    // server sees the answer rather than a reset.
    if let Ok((reader, remaining)) = returned.try_recv() {
        if remaining > 0 {
            let _ =
                tokio::time::timeout(limits.header_read_timeout, discard(reader, remaining)).await;
        }
    }
}

/// Why a request's netstring was not read.
#[derive(Debug)]
enum Framing {
    /// The connection closed or broke first.
    Closed,
    /// The netstring announces more than the limit.
    TooLarge,
    /// Not SCGI.
    Malformed(String),
}

/// Reads the netstring of variables, and the bytes read past it (the body's start).
async fn read_netstring<R: AsyncRead + Unpin>(
    reader: &mut R,
    max: usize,
) -> Result<(Vec<(String, String)>, Vec<u8>), Framing> {
    let mut buf = Vec::with_capacity(2048);
    // The length: decimal digits, then `:`.
    let (digits, len) = loop {
        if let Some(colon) = memchr::memchr(b':', &buf) {
            let text = &buf[..colon];
            if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
                return Err(Framing::Malformed(
                    "the request does not start with a netstring length".to_owned(),
                ));
            }
            let len = std::str::from_utf8(text)
                .ok()
                .and_then(|t| t.parse::<usize>().ok())
                .ok_or(Framing::TooLarge)?;
            break (colon + 1, len);
        }
        if buf.len() > 20 || !buf.iter().all(u8::is_ascii_digit) {
            return Err(Framing::Malformed(
                "the request does not start with a netstring length".to_owned(),
            ));
        }
        fill(reader, &mut buf).await?;
    };
    if len > max {
        return Err(Framing::TooLarge);
    }
    let end = digits + len;
    while buf.len() <= end {
        fill(reader, &mut buf).await?;
    }
    if buf[end] != b',' {
        return Err(Framing::Malformed(
            "the header netstring does not end with `,`".to_owned(),
        ));
    }
    let vars = parse_vars(&buf[digits..end])?;
    let rest = buf.split_off(end + 1);
    Ok((vars, rest))
}

async fn fill<R: AsyncRead + Unpin>(reader: &mut R, buf: &mut Vec<u8>) -> Result<(), Framing> {
    if buf.capacity() - buf.len() < 1024 {
        buf.reserve(4096);
    }
    match reader.read_buf(buf).await {
        Ok(0) | Err(_) => Err(Framing::Closed),
        Ok(_) => Ok(()),
    }
}

/// The NUL-terminated names and values.
fn parse_vars(content: &[u8]) -> Result<Vec<(String, String)>, Framing> {
    let malformed = |reason: &str| Framing::Malformed(reason.to_owned());
    let Some(strings) = content.strip_suffix(&[0]) else {
        return Err(malformed("the header netstring does not end with a NUL"));
    };
    let mut items = strings.split(|&b| b == 0);
    let mut vars = Vec::new();
    while let Some(name) = items.next() {
        let Some(value) = items.next() else {
            return Err(malformed("a header name has no value"));
        };
        if name.is_empty() {
            return Err(malformed("a header name is empty"));
        }
        let name = std::str::from_utf8(name)
            .map_err(|_| malformed("a header name is not text"))?
            .to_owned();
        vars.push((name, String::from_utf8_lossy(value).into_owned()));
    }
    match vars.first() {
        Some((name, _)) if name == "CONTENT_LENGTH" => {}
        _ => return Err(malformed("the first header is not CONTENT_LENGTH")),
    }
    if !vars
        .iter()
        .any(|(name, value)| name == "SCGI" && value == "1")
    {
        return Err(malformed("no SCGI header with value 1"));
    }
    Ok(vars)
}

fn content_length(vars: &[(String, String)]) -> Result<u64, &'static str> {
    let value = vars.first().map(|(_, v)| v.as_str()).unwrap_or_default();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("CONTENT_LENGTH is not a number");
    }
    value.parse().map_err(|_| "CONTENT_LENGTH is not a number")
}

/// The variables as the CGI mapping takes them, the path from `REQUEST_URI` when given.
fn scgi_vars(mut vars: Vec<(String, String)>) -> Vec<(String, String)> {
    let uri_path = vars
        .iter()
        .find(|(name, _)| name == "REQUEST_URI")
        .map(|(_, uri)| uri.split(['?', '#']).next().unwrap_or_default().to_owned())
        .filter(|path| path.starts_with('/'));
    if let Some(path) = uri_path {
        vars.retain(|(name, _)| name != "PATH_INFO");
        vars.push(("PATH_INFO".to_owned(), path));
    }
    vars
}

fn truncated(mut rest: Vec<u8>, content_length: u64) -> Bytes {
    if rest.len() as u64 > content_length {
        rest.truncate(usize::try_from(content_length).unwrap_or(usize::MAX));
    }
    Bytes::from(rest)
}

/// Answers a request that could not be read, then closes politely.
async fn refuse(
    reader: ReadHalf<Stream>,
    mut writer: tokio::io::WriteHalf<Stream>,
    response: http::Response<Vec<u8>>,
    limits: &Limits,
) {
    let output = CgiResponse::from(response).to_bytes();
    let answer = async {
        writer.write_all(&output).await?;
        writer.flush().await?;
        writer.shutdown().await?;
        discard(reader, 1 << 20).await;
        Ok::<(), io::Error>(())
    };
    let _ = tokio::time::timeout(limits.header_read_timeout, answer).await;
}

/// Reads and drops up to `most` bytes (at most 1 MiB), until the other side closes.
async fn discard<R: AsyncRead + Unpin>(mut reader: R, most: u64) {
    let mut sink = vec![0u8; 16 * 1024];
    let mut left = most.min(1 << 20);
    while left > 0 {
        match reader.read(&mut sink).await {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n as u64),
        }
    }
}

/// The request body: the bytes read with the netstring, then the connection, up to
/// `CONTENT_LENGTH`. When dropped, it hands the connection back, with what is left unread.
struct ScgiBody {
    prefix: Bytes,
    reader: Option<ReadHalf<Stream>>,
    remaining: u64,
    back: Option<std::sync::mpsc::Sender<(ReadHalf<Stream>, u64)>>,
}

impl Drop for ScgiBody {
    fn drop(&mut self) {
        if let (Some(reader), Some(back)) = (self.reader.take(), self.back.take()) {
            let _ = back.send((reader, self.remaining));
        }
    }
}

impl http_body::Body for ScgiBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, io::Error>>> {
        let this = &mut *self;
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        if !this.prefix.is_empty() {
            let chunk = std::mem::take(&mut this.prefix);
            this.remaining -= chunk.len() as u64;
            return Poll::Ready(Some(Ok(http_body::Frame::data(chunk))));
        }
        let Some(reader) = this.reader.as_mut() else {
            return Poll::Ready(None);
        };
        let want = usize::try_from(this.remaining.min(64 * 1024)).unwrap_or(64 * 1024);
        let mut chunk = vec![0u8; want];
        let mut buf = ReadBuf::new(&mut chunk);
        match Pin::new(reader).poll_read(cx, &mut buf) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let n = buf.filled().len();
                if n == 0 {
                    return Poll::Ready(Some(Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!(
                            "the front server closed the connection {} bytes short of CONTENT_LENGTH",
                            this.remaining
                        ),
                    ))));
                }
                chunk.truncate(n);
                this.remaining -= n as u64;
                Poll::Ready(Some(Ok(http_body::Frame::data(Bytes::from(chunk)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nginx_style_netstrings() {
        let vars = parse_vars(b"CONTENT_LENGTH\x0027\x00SCGI\x001\x00REQUEST_METHOD\x00POST\x00")
            .expect("valid");
        assert_eq!(vars[0], ("CONTENT_LENGTH".to_owned(), "27".to_owned()));
        assert_eq!(vars.len(), 3);
        assert_eq!(content_length(&vars), Ok(27));
    }

    #[test]
    fn refuses_malformed_variables() {
        for (bad, why) in [
            (
                &b"CONTENT_LENGTH\x000\x00SCGI\x001"[..],
                "does not end with a NUL",
            ),
            (b"CONTENT_LENGTH\x000\x00SCGI\x00", "has no value"),
            (b"SCGI\x001\x00CONTENT_LENGTH\x000\x00", "first header"),
            (b"CONTENT_LENGTH\x000\x00", "no SCGI header"),
            (b"CONTENT_LENGTH\x000\x00\x00x\x00SCGI\x001\x00", "empty"),
        ] {
            match parse_vars(bad) {
                Err(Framing::Malformed(reason)) => assert!(reason.contains(why), "{reason}"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn takes_the_path_from_request_uri() {
        let vars = scgi_vars(vec![
            ("PATH_INFO".to_owned(), "/ignored".to_owned()),
            ("REQUEST_URI".to_owned(), "/RPC2?x=1".to_owned()),
        ]);
        assert!(vars.contains(&("PATH_INFO".to_owned(), "/RPC2".to_owned())));
        assert!(!vars.contains(&("PATH_INFO".to_owned(), "/ignored".to_owned())));
    }

    #[tokio::test]
    async fn netstring_limit_and_framing() {
        let mut ok: &[u8] = b"24:CONTENT_LENGTH\x002\x00SCGI\x001\x00,hi";
        let (vars, rest) = read_netstring(&mut ok, 1024).await.expect("valid");
        assert_eq!(vars.len(), 2);
        assert_eq!(rest, b"hi");
        let mut long: &[u8] = b"99999:CONTENT_LENGTH";
        assert!(matches!(
            read_netstring(&mut long, 1024).await,
            Err(Framing::TooLarge)
        ));
        let mut no_comma: &[u8] = b"24:CONTENT_LENGTH\x002\x00SCGI\x001\x00;hi";
        assert!(matches!(
            read_netstring(&mut no_comma, 1024).await,
            Err(Framing::Malformed(_))
        ));
        let mut not_digits: &[u8] = b"GET / HTTP/1.1\r\n";
        assert!(matches!(
            read_netstring(&mut not_digits, 1024).await,
            Err(Framing::Malformed(_))
        ));
        let mut cut: &[u8] = b"24:CONTENT";
        assert!(matches!(
            read_netstring(&mut cut, 1024).await,
            Err(Framing::Closed)
        ));
    }
}
