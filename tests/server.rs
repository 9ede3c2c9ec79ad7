//! Serving routers in-process on a loopback port, and a bare HTTP/1.1 client to talk to
//! them byte by byte.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longer than any exchange with a loopback server needs, even unoptimized on a busy
/// machine; reaching it means something hangs, and the test fails instead of blocking.
pub const HANG_GUARD: Duration = Duration::from_secs(120);

/// A router served on `127.0.0.1:<free port>` by its own tokio runtime, with connection
/// info (so that methods see the peer's address), until dropped.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl TestServer {
    /// Starts serving `router`.
    ///
    /// # Panics
    ///
    /// When no runtime can be built or no loopback port bound.
    pub fn start(router: axum::Router) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("building a tokio runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("binding a loopback port");
        let addr = listener.local_addr().expect("the listener's address");
        runtime.spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, service).await {
                panic!("the test server stopped: {e}");
            }
        });
        TestServer {
            addr,
            runtime: Some(runtime),
        }
    }

    /// The address served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Runs `future` to completion on the server's runtime (the server goes on serving on
    /// the runtime's worker threads), failing after [`HANG_GUARD`].
    ///
    /// # Panics
    ///
    /// When `future` does not finish within [`HANG_GUARD`].
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let runtime = self.runtime.as_ref().expect("the runtime lives until drop");
        runtime
            .block_on(async { tokio::time::timeout(HANG_GUARD, future).await })
            .unwrap_or_else(|_| panic!("no answer within {HANG_GUARD:?}: the test hangs"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// An HTTP response as it came over the wire.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The header fields, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked when it was chunked.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A request with `Connection: close`: `head` is the request line and header lines
/// (without the blank line), `Content-Length` is added for `body`.
pub fn request(head: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{head}\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A POST of an XML-RPC call to `path` with extra header lines (each ending in `\r\n`).
pub fn post(path: &str, extra_headers: &str, body: &[u8]) -> Vec<u8> {
    let head = format!("POST {path} HTTP/1.1\r\nContent-Type: text/xml\r\n{extra_headers}");
    request(head.trim_end(), body)
}

/// Connects to `addr`, writes `raw` and reads the response until the server closes.
///
/// # Panics
///
/// When the connection fails or the response is not HTTP/1.1.
pub async fn exchange(addr: SocketAddr, raw: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    stream.write_all(raw).await.expect("writing the request");
    read_response(&mut stream).await
}

/// [`exchange`] for a HEAD request, whose response has a head only.
///
/// # Panics
///
/// As [`exchange`].
pub async fn exchange_head(addr: SocketAddr, raw: &[u8]) -> RawResponse {
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    stream.write_all(raw).await.expect("writing the request");
    read(&mut stream, true).await
}

/// Reads one response from `stream`: up to the end of the body its `Content-Length` or
/// chunking announces, or else until the server closes.
///
/// # Panics
///
/// When reading fails or the response is malformed.
pub async fn read_response(stream: &mut TcpStream) -> RawResponse {
    read(stream, false).await
}

/// Reads the head of one response from `stream`, as a HEAD request has no more.
///
/// # Panics
///
/// As [`read_response`].
pub async fn read_head(stream: &mut TcpStream) -> RawResponse {
    read(stream, true).await
}

async fn read(stream: &mut TcpStream, head_only: bool) -> RawResponse {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.expect("reading the response");
        assert!(
            n > 0,
            "the server closed the connection before a response head; got {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).expect("an ASCII response head");
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP/1.1 status line: {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut rest = buf[head_end + 4..].to_vec();
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let chunked = get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length = get("content-length").and_then(|v| v.parse::<usize>().ok());
    let body = if head_only {
        Vec::new()
    } else if chunked {
        loop {
            if let Some(body) = dechunk(&rest) {
                break body;
            }
            let n = read_more(stream, &mut rest).await;
            assert!(
                n > 0,
                "the server closed the connection inside a chunked body"
            );
        }
    } else if let Some(length) = length {
        while rest.len() < length {
            let n = read_more(stream, &mut rest).await;
            assert!(n > 0, "the server closed the connection inside the body");
        }
        rest.truncate(length);
        rest
    } else {
        while read_more(stream, &mut rest).await > 0 {}
        rest
    };
    RawResponse {
        status,
        headers,
        body,
    }
}

async fn read_more(stream: &mut TcpStream, into: &mut Vec<u8>) -> usize {
    let mut chunk = [0u8; 8192];
    match stream.read(&mut chunk).await {
        Ok(n) => {
            into.extend_from_slice(&chunk[..n]);
            n
        }
        // A server that refuses a body may reset the connection once it has answered.
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => 0,
        Err(e) => panic!("reading the response: {e}"),
    }
}

/// The body of a complete chunked encoding, or `None` when more bytes are needed.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).expect("a chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return find(data, b"\r\n").map(|_| body);
        }
        if data.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A free loopback port (bound, read and released: another process could take it in
/// between, which loopback tests accept).
///
/// # Panics
///
/// When no port can be bound.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding a loopback port")
        .port()
}
