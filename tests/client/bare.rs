//! Against a bare HTTP/1.1 server that does what each test tells it.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use xmlrpc::client::Client;
use xmlrpc::{CallError, CallReader, Context, DateTime, Fault, Registry, Value};

use super::*;

// ---------------------------------------------------------------------------------------
// A bare HTTP/1.1 server that does what each test tells it.
// ---------------------------------------------------------------------------------------

/// A request as the bare server read it.
#[derive(Debug, Clone)]
struct Request {
    target: String,
    headers: Vec<(String, String)>,
    /// As sent (still compressed when it was).
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body, inflated when it came gzip-compressed.
    fn xml(&self) -> Vec<u8> {
        if self.header("content-encoding") == Some("gzip") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(self.body.as_slice())
                .read_to_end(&mut out)
                .expect("a valid gzip request");
            out
        } else {
            self.body.clone()
        }
    }

    fn method(&self) -> String {
        let xml = self.xml();
        CallReader::from_slice(&xml)
            .map(|call| call.method().to_owned())
            .unwrap_or_default()
    }
}

/// What the bare server does with a request.
enum Reply {
    Send {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
    },
    /// Waits, then replies.
    Delay(Duration, Box<Reply>),
    /// Announces `length` bytes of body, sends `start`, then waits for the client to go.
    Announce { length: usize, start: Vec<u8> },
    /// The body in chunks of 64 KiB, with no Content-Length.
    Chunked(Vec<u8>),
    /// Closes the connection without a word.
    Hangup,
}

impl Reply {
    fn xml(body: Vec<u8>) -> Reply {
        Reply::Send {
            status: 200,
            headers: vec![("Content-Type", "text/xml".to_owned())],
            body,
        }
    }

    fn with_header(mut self, name: &'static str, value: &str) -> Reply {
        if let Reply::Send { headers, .. } = &mut self {
            headers.push((name, value.to_owned()));
        }
        self
    }
}

type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// The bare server on a free loopback port, with its own runtime, until dropped. It counts
/// the connections it accepts and keeps every request.
struct BareServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Request>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl BareServer {
    fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> BareServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        // Bound here rather than with `block_on`, so that async tests can start it too.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the address");
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        {
            let connections = connections.clone();
            let requests = requests.clone();
            runtime.spawn(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                while let Ok((stream, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve_connection(stream, handler.clone(), requests.clone()));
                }
            });
        }
        BareServer {
            addr,
            connections,
            requests,
            runtime: Some(runtime),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

impl Drop for BareServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Serves requests on one connection until the peer closes it or a reply hangs up.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    handler: Handler,
    requests: Arc<Mutex<Vec<Request>>>,
) {
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut read = tokio::io::BufReader::new(read);
    while let Some(request) = read_request(&mut read).await {
        requests.lock().expect("not poisoned").push(request.clone());
        let mut reply = handler(&request);
        while let Reply::Delay(pause, next) = reply {
            tokio::time::sleep(pause).await;
            reply = *next;
        }
        let (status, headers, body) = match reply {
            Reply::Send {
                status,
                headers,
                body,
            } => (status, headers, body),
            Reply::Announce { length, start } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {length}\r\n\r\n"
                );
                let _ = write.write_all(head.as_bytes()).await;
                let _ = write.write_all(&start).await;
                // Until the client closes the connection (or the test ends).
                let mut sink = [0u8; 1024];
                while matches!(read.read(&mut sink).await, Ok(n) if n > 0) {}
                return;
            }
            Reply::Chunked(body) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n";
                if write.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                for chunk in body.chunks(64 << 10) {
                    let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                    framed.extend_from_slice(chunk);
                    framed.extend_from_slice(b"\r\n");
                    if write.write_all(&framed).await.is_err() {
                        return;
                    }
                }
                if write.write_all(b"0\r\n\r\n").await.is_err() {
                    return;
                }
                continue;
            }
            Reply::Delay(..) | Reply::Hangup => return,
        };
        let reason = axum::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Whatever");
        let mut head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        // One write: a second small one would wait for the client's delayed ACK.
        let mut message = head.into_bytes();
        message.extend_from_slice(&body);
        if write.write_all(&message).await.is_err() {
            return;
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` at the end of the stream.
async fn read_request<R: tokio::io::AsyncBufRead + Unpin>(read: &mut R) -> Option<Request> {
    let mut line = String::new();
    if read.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let target = line.split_whitespace().nth(1)?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        read.read_line(&mut line).await.ok()?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
        if headers.len() > 100 {
            return None;
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if length > 64 << 20 {
        return None;
    }
    let mut body = vec![0; length];
    read.read_exact(&mut body).await.ok()?;
    Some(Request {
        target,
        headers,
        body,
    })
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

/// The registry the bare server dispatches to.
fn registry() -> Arc<Registry> {
    let registry = Registry::new()
        .function("add", |a: i32, b: i32| a + b)
        .function("echo", |s: String| s)
        .function("maybe", |v: Option<i32>| v)
        .function("div", |a: i32, b: i32| {
            a.checked_div(b)
                .ok_or_else(|| Fault::new(1, "division by zero"))
        })
        .function("book", || Book {
            title: "Dune".into(),
            tags: vec!["sf".into()],
            rating: 5.0,
            isbn: None,
            published: DateTime::from_ymd_hms(1965, 8, 1, 0, 0, 0).expect("a valid date"),
        })
        .service(Calculator);
    Arc::new(registry)
}

/// Answers a request with the registry, compressing the answer when the client accepts
/// gzip.
fn dispatch(registry: &Registry, request: &Request) -> Reply {
    let answer = registry
        .handle_blocking(&request.xml(), &Context::new())
        .body;
    let accepts_gzip = request
        .header("accept-encoding")
        .is_some_and(|v| v.contains("gzip"));
    if accepts_gzip {
        Reply::xml(gzip(&answer)).with_header("Content-Encoding", "gzip")
    } else {
        Reply::xml(answer)
    }
}

fn rpc_server() -> BareServer {
    let registry = registry();
    BareServer::start(move |request| dispatch(&registry, request))
}

/// The calculator that typed clients call.
struct Calculator;

#[xmlrpc::xmlrpc_service]
impl Calculator {
    /// Adds.
    pub fn sum(&self, a: i64, b: i64) -> i64 {
        a + b
    }

    /// Halves an even number.
    pub fn half(&self, n: i32) -> Result<i32, Fault> {
        if n % 2 == 0 {
            Ok(n / 2)
        } else {
            Err(Fault::new(3, format!("{n} is odd")))
        }
    }
}

#[tokio::test]
async fn typed_service_clients_run_on_the_http_client() {
    let server = rpc_server();
    let calculator = CalculatorClient::new(client(&server.url("/RPC2")));
    assert_eq!(calculator.sum(2, 40).await.expect("sum"), 42);
    assert_eq!(calculator.half(8).await.expect("half"), 4);
    let fault = fault_of(calculator.half(7).await.unwrap_err());
    assert_eq!((fault.code(), fault.string()), (3, "7 is odd"));
}

#[tokio::test]
async fn typed_clients_write_in_the_dialect_of_the_http_client() {
    let server = rpc_server();
    let apache = Client::builder(&server.url("/RPC2"))
        .dialect(xmlrpc::Dialect::apache())
        .build()
        .expect("a valid client");
    let calculator = CalculatorClient::new(apache.clone());
    assert_eq!(
        calculator.sum(5_000_000_000, 1).await.expect("sum"),
        5_000_000_001
    );
    let mut multi = apache.multicall();
    multi.call("maybe", (None::<i32>,));
    let (nothing,): (Answer<Option<i32>>,) = multi.send().await.expect("a multicall");
    assert_eq!(nothing, Ok(None));

    let requests = server.requests();
    let typed = String::from_utf8(requests[0].xml()).expect("UTF-8");
    assert!(typed.contains("<ex:i8>5000000000</ex:i8>"), "{typed}");
    let multicall = String::from_utf8(requests[1].xml()).expect("UTF-8");
    assert!(multicall.contains("<ex:nil/>"), "{multicall}");
}

#[tokio::test]
async fn faults_and_decode_errors_are_told_apart() {
    let server = rpc_server();
    let client = client(&server.url("/RPC2"));

    let fault = fault_of(client.call::<i32>("div", (1, 0)).await.unwrap_err());
    assert_eq!((fault.code(), fault.string()), (1, "division by zero"));

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "read to check the error, never looked at")]
    struct WrongBook {
        title: String,
        tags: Vec<i32>,
    }
    let err = client.call::<WrongBook>("book", ()).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(e.path(), "tags[0]");
    assert!(
        err.to_string().contains("expected int, found string"),
        "{err}"
    );

    let err = client.call::<i32>("no.such", ()).await.unwrap_err();
    assert_eq!(fault_of(err).code(), Fault::METHOD_NOT_FOUND);

    // The dynamic form.
    let book = client.call_value("book", &[]).await.expect("a book");
    assert_eq!(book["title"], Value::from("Dune"));
}

#[tokio::test]
async fn gzip_both_ways_above_the_threshold() {
    let server = rpc_server();
    let client = Client::builder(&server.url("/RPC2"))
        .timeout(HANG_GUARD)
        .gzip_requests(Some(1000))
        .build()
        .expect("a valid client");

    let long = "compressible text, ".repeat(1000);
    assert_eq!(
        client.call::<String>("echo", (&long,)).await.expect("echo"),
        long
    );
    assert_eq!(
        client
            .call::<String>("echo", ("short",))
            .await
            .expect("echo"),
        "short"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("content-encoding"), Some("gzip"));
    assert!(
        requests[0].body.len() < long.len() / 10,
        "sent {} bytes",
        requests[0].body.len()
    );
    assert_eq!(requests[1].header("content-encoding"), None);
    for request in &requests {
        assert_eq!(request.header("accept-encoding"), Some("gzip"));
    }
}

#[tokio::test]
async fn a_gzip_answer_is_inflated_only_up_to_the_cap() {
    // 4 MiB of text that compresses to a few KiB.
    let answer = xmlrpc::response_to_vec(&"a".repeat(4 << 20)).expect("writable");
    let packed = gzip(&answer);
    assert!(packed.len() < 64 << 10);
    let server = BareServer::start(move |_| {
        Reply::xml(packed.clone()).with_header("Content-Encoding", "gzip")
    });

    let small = Client::builder(&server.url("/RPC2"))
        .timeout(HANG_GUARD)
        .max_response_size(1 << 20)
        .build()
        .expect("a valid client");
    let err = small.call::<String>("anything", ()).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        matches!(e.kind(), xmlrpc::ErrorKind::LimitExceeded { limit, .. } if *limit == 1 << 20),
        "{e}"
    );

    let large = Client::builder(&server.url("/RPC2"))
        .timeout(HANG_GUARD)
        .max_response_size(8 << 20)
        .build()
        .expect("a valid client");
    let text: String = large.call("anything", ()).await.expect("within the cap");
    assert_eq!(text.len(), 4 << 20);
}

#[tokio::test]
async fn basic_auth_from_the_url_or_a_setter() {
    let registry = registry();
    let server = BareServer::start(move |request| {
        // "user:pa ss"
        if request.header("authorization") == Some("Basic dXNlcjpwYSBzcw==") {
            dispatch(&registry, request)
        } else {
            Reply::Send {
                status: 401,
                headers: vec![
                    ("WWW-Authenticate", "Basic realm=\"rpc\"".to_owned()),
                    ("Content-Type", "text/html".to_owned()),
                ],
                body: b"<html><body><h1>401 Unauthorized</h1></body></html>".to_vec(),
            }
        }
    });
    let port = server.addr.port();

    let from_url = client(&format!("http://user:pa%20ss@127.0.0.1:{port}/RPC2"));
    assert_eq!(from_url.url(), format!("http://127.0.0.1:{port}/RPC2"));
    assert_eq!(from_url.call::<i32>("add", (1, 2)).await.expect("add"), 3);

    let from_setter = Client::builder(&server.url("/RPC2"))
        .basic_auth("user", Some("pa ss"))
        .build()
        .expect("a valid client");
    assert_eq!(
        from_setter.call::<i32>("add", (1, 2)).await.expect("add"),
        3
    );

    for url in [
        server.url("/RPC2"),
        format!("http://user:wrong@127.0.0.1:{port}/RPC2"),
    ] {
        let err = client(&url).call::<i32>("add", (1, 2)).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
        assert!(err.to_string().contains("401 Unauthorized"), "{err}");
    }
}

#[tokio::test]
async fn a_timeout_fires_against_a_slow_method() {
    let registry = registry();
    let server = BareServer::start(move |request| {
        let reply = dispatch(&registry, request);
        if request.method() == "echo" {
            // Longer than the test's own guard: only the client's timeout can end the call.
            Reply::Delay(HANG_GUARD * 2, Box::new(reply))
        } else {
            reply
        }
    });
    let client = Client::builder(&server.url("/RPC2"))
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a valid client");

    let err = client.call::<String>("echo", ("slow",)).await.unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(err.to_string(), "the call timed out");

    // The client goes on working.
    assert_eq!(client.call::<i32>("add", (1, 2)).await.expect("add"), 3);
}

#[tokio::test]
async fn a_read_timeout_fires_against_a_silent_server() {
    let registry = registry();
    let server = BareServer::start(move |request| {
        let reply = dispatch(&registry, request);
        if request.method() == "echo" {
            Reply::Delay(HANG_GUARD * 2, Box::new(reply))
        } else {
            reply
        }
    });
    // No timeout for the whole call: only the silence between reads is bounded.
    let client = Client::builder(&server.url("/RPC2"))
        .read_timeout(Duration::from_millis(300))
        .build()
        .expect("a valid client");
    let err = client.call::<String>("echo", ("slow",)).await.unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
    assert_eq!(client.call::<i32>("add", (1, 2)).await.expect("add"), 3);
}

#[tokio::test]
async fn a_connect_timeout_covers_a_handshake_that_never_ends() {
    // A server that accepts the TCP connection and never says a word of TLS: connecting
    // to it over https never completes.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    let held = std::thread::spawn(move || {
        let accepted = listener.accept().map(|(stream, _)| stream);
        // Kept open until the client gave up.
        std::thread::sleep(Duration::from_secs(2));
        drop(accepted);
    });
    let client = Client::builder(&format!("https://127.0.0.1:{port}/RPC2"))
        .connect_timeout(Duration::from_millis(300))
        .build()
        .expect("a valid client");
    let err = client.call::<i32>("add", (1, 2)).await.unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
    held.join().expect("the listener thread");
}

#[tokio::test]
async fn idle_connections_are_dropped_after_the_pool_idle_timeout() {
    let server = rpc_server();
    let client = Client::builder(&server.url("/RPC2"))
        .pool_idle_timeout(Some(Duration::from_millis(50)))
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert_eq!(client.call::<i32>("add", (1, 2)).await.expect("add"), 3);
    assert_eq!(client.call::<i32>("add", (1, 2)).await.expect("add"), 3);
    assert_eq!(server.connections(), 1, "back to back, one connection");
    // Idle for longer than the pool keeps a connection: the next call opens another.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(client.call::<i32>("add", (1, 2)).await.expect("add"), 3);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn an_announced_length_beyond_the_cap_fails_before_the_body_comes() {
    // Announces 1 GiB, sends a few bytes, then waits: only a check of the announced length
    // ends the call before the client's timeout.
    let server = BareServer::start(|_| Reply::Announce {
        length: 1 << 30,
        start: b"<?xml version=\"1.0\"?><methodResponse>".to_vec(),
    });
    let client = Client::builder(&server.url("/RPC2"))
        .max_response_size(1 << 20)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let err = client.call::<String>("anything", ()).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        matches!(e.kind(), xmlrpc::ErrorKind::LimitExceeded { limit, .. } if *limit == 1 << 20),
        "{e}"
    );
}

#[tokio::test]
async fn a_streamed_answer_beyond_the_cap_fails_while_it_is_read() {
    // No Content-Length: chunks, 2 MiB in all.
    let answer = xmlrpc::response_to_vec(&"a".repeat(2 << 20)).expect("writable");
    let server = BareServer::start(move |_| Reply::Chunked(answer.clone()));
    let small = Client::builder(&server.url("/RPC2"))
        .max_response_size(1 << 20)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let err = small.call::<String>("anything", ()).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        matches!(e.kind(), xmlrpc::ErrorKind::LimitExceeded { limit, .. } if *limit == 1 << 20),
        "{e}"
    );
    // Within a larger cap, the same answer is read.
    let large = Client::builder(&server.url("/RPC2"))
        .max_response_size(4 << 20)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let text: String = large.call("anything", ()).await.expect("within the cap");
    assert_eq!(text.len(), 2 << 20);
}

#[tokio::test]
async fn an_html_page_is_an_http_error_with_a_snippet() {
    let page = format!(
        "<!DOCTYPE html>\n<html>\n  <head><title>500 Internal Server Error</title></head>\n  \
         <body>{}</body>\n</html>\n",
        "<p>The server is on fire.</p>\n".repeat(100)
    );
    let server = BareServer::start(move |request| match request.target.as_str() {
        "/error" => Reply::Send {
            status: 500,
            headers: vec![("Content-Type", "text/html; charset=utf-8".to_owned())],
            body: page.clone().into_bytes(),
        },
        "/login" => Reply::Send {
            status: 200,
            headers: vec![("Content-Type", "text/html".to_owned())],
            body: b"<html><form>Please log in</form></html>".to_vec(),
        },
        "/text" => Reply::Send {
            status: 200,
            headers: vec![("Content-Type", "text/plain".to_owned())],
            body: b"OK".to_vec(),
        },
        _ => Reply::xml(b"<?xml version=\"1.0\"?><notAResponse/>".to_vec()),
    });

    let err = client(&server.url("/error"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    let CallError::Http {
        status,
        content_type,
        snippet,
        ..
    } = &err
    else {
        panic!("expected an HTTP error, got {err:?}")
    };
    assert_eq!(status.as_u16(), 500);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(
        snippet.starts_with(
            "<!DOCTYPE html> <html> <head><title>500 Internal Server Error</title></head>"
        ),
        "{snippet}"
    );
    assert!(snippet.chars().count() <= 203, "{}", snippet.len());
    assert!(snippet.ends_with("..."), "{snippet}");
    assert!(
        err.to_string().starts_with(
            "HTTP status 500 Internal Server Error (text/html; charset=utf-8): <!DOCTYPE"
        ),
        "{err}"
    );

    // A success status does not make a login page an answer.
    let err = client(&server.url("/login"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err:?}");
    assert!(err.to_string().contains("Please log in"), "{err}");
    let err = client(&server.url("/text"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CallError::Http { snippet, .. } if snippet == "OK"),
        "{err:?}"
    );

    // XML that is not a response is a decode error, with a position.
    let err = client(&server.url("/RPC2"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(e.position().is_some(), "{e}");
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let server = BareServer::start(|_| Reply::Hangup);
    let err = client(&server.url("/RPC2"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(!err.is_timeout());
    // It connected: the failure came after.
    assert!(!err.is_connect(), "{err}");
    assert!(err.to_string().starts_with("transport error: "), "{err}");
    assert_eq!(server.connections(), 1);

    // Nobody listening at all.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("its address").port()
    };
    let err = client(&format!("http://127.0.0.1:{port}/RPC2"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(err.is_connect(), "{err}");
}

#[tokio::test]
async fn calls_reuse_one_connection() {
    let server = rpc_server();
    let client = client(&server.url("/RPC2"));
    for i in 0..10 {
        assert_eq!(client.call::<i32>("add", (i, 1)).await.expect("add"), i + 1);
    }
    assert_eq!(client.multicall().call("add", (1, 1)).len(), 1);
    assert_eq!(server.connections(), 1);
    assert_eq!(server.requests().len(), 10);

    // Clones share the pool.
    let clone = client.clone();
    assert_eq!(clone.call::<i32>("add", (1, 1)).await.expect("add"), 2);
    assert_eq!(server.connections(), 1);

    // Without keep-alive, one connection per call.
    let server = rpc_server();
    let client = Client::builder(&server.url("/RPC2"))
        .keep_alive(false)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    for i in 0..5 {
        assert_eq!(client.call::<i32>("add", (i, 1)).await.expect("add"), i + 1);
    }
    assert_eq!(server.connections(), 5);
}

#[tokio::test]
async fn cookies_are_kept_across_calls() {
    let registry = registry();
    let server = BareServer::start(move |request| match request.method().as_str() {
        "login" => Reply::xml(xmlrpc::response_to_vec(&true).expect("writable"))
            .with_header("Set-Cookie", "session=s3cr3t; Path=/; HttpOnly"),
        "whoami" => Reply::xml(
            xmlrpc::response_to_vec(&request.header("cookie").unwrap_or("")).expect("writable"),
        ),
        _ => dispatch(&registry, request),
    });

    let client = client(&server.url("/RPC2"));
    assert_eq!(
        client.call::<String>("whoami", ()).await.expect("whoami"),
        ""
    );
    assert!(client.call::<bool>("login", ()).await.expect("login"));
    for _ in 0..2 {
        assert_eq!(
            client.call::<String>("whoami", ()).await.expect("whoami"),
            "session=s3cr3t"
        );
    }

    let forgetful = Client::builder(&server.url("/RPC2"))
        .cookies(false)
        .build()
        .expect("a valid client");
    assert!(forgetful.call::<bool>("login", ()).await.expect("login"));
    assert_eq!(
        forgetful
            .call::<String>("whoami", ())
            .await
            .expect("whoami"),
        ""
    );
}

#[tokio::test]
async fn headers_user_agent_and_content_type_are_sent() {
    let server = rpc_server();
    let client = Client::builder(&server.url("/RPC2"))
        .header("X-Api-Key", "k-123")
        .user_agent("tests/1.0")
        .build()
        .expect("a valid client");
    client.call::<i32>("add", (1, 2)).await.expect("add");
    let default = self::client(&server.url("/RPC2"));
    default.call::<i32>("add", (1, 2)).await.expect("add");

    let requests = server.requests();
    assert_eq!(requests[0].header("x-api-key"), Some("k-123"));
    assert_eq!(requests[0].header("user-agent"), Some("tests/1.0"));
    assert_eq!(requests[0].header("content-type"), Some("text/xml"));
    assert_eq!(requests[0].target, "/RPC2");
    assert!(
        requests[1]
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("xmlrpc-rust/")),
        "{:?}",
        requests[1].header("user-agent")
    );
}

#[tokio::test]
async fn calls_go_through_an_explicit_proxy() {
    // The bare server plays the proxy: it sees the absolute URL and answers itself.
    let proxy = rpc_server();
    let client = Client::builder("http://xmlrpc.invalid/RPC2")
        .proxy(&proxy.url(""))
        .env_proxies(false)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert_eq!(client.call::<i32>("add", (2, 2)).await.expect("add"), 4);
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].target, "http://xmlrpc.invalid/RPC2");
    assert_eq!(requests[0].header("host"), Some("xmlrpc.invalid"));
}

#[tokio::test]
async fn only_redirects_that_keep_the_body_are_followed_and_only_when_asked() {
    let registry = registry();
    let server = BareServer::start(move |request| match request.target.as_str() {
        "/moved" => Reply::Send {
            status: 308,
            headers: vec![("Location", "/RPC2".to_owned())],
            body: Vec::new(),
        },
        "/found" => Reply::Send {
            status: 302,
            headers: vec![("Location", "/RPC2".to_owned())],
            body: Vec::new(),
        },
        _ => dispatch(&registry, request),
    });

    let err = client(&server.url("/moved"))
        .call::<i32>("add", (1, 2))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(308), "{err:?}");
    assert!(err.to_string().contains("with an empty body"), "{err}");

    let following = Client::builder(&server.url("/moved"))
        .follow_redirects(3)
        .build()
        .expect("a valid client");
    assert_eq!(following.call::<i32>("add", (1, 2)).await.expect("add"), 3);

    let following = Client::builder(&server.url("/found"))
        .follow_redirects(3)
        .build()
        .expect("a valid client");
    let err = following.call::<i32>("add", (1, 2)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err:?}");
}

#[tokio::test]
async fn nil_is_refused_before_sending_without_allow_none() {
    let server = rpc_server();
    let strict = Client::builder(&server.url("/RPC2"))
        .allow_none(false)
        .build()
        .expect("a valid client");
    let err = strict
        .call::<Option<i32>>("maybe", (None::<i32>,))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    assert_eq!(server.connections(), 0);
    assert_eq!(
        strict
            .call::<Option<i32>>("maybe", (Some(4),))
            .await
            .expect("maybe"),
        Some(4)
    );

    let lenient = client(&server.url("/RPC2"));
    assert_eq!(
        lenient
            .call::<Option<i32>>("maybe", (None::<i32>,))
            .await
            .expect("maybe"),
        None
    );
}

#[tokio::test]
async fn multicall_over_http_in_order_with_faults() {
    let server = rpc_server();
    let client = client(&server.url("/RPC2"));
    let mut multi = client.multicall();
    multi
        .call("add", (1, 2))
        .call("div", (1, 0))
        .call("echo", ("three",))
        .call("Calculator.nothing", ());
    let (sum, quotient, echo, missing): (Answer<i32>, Answer<i32>, Answer<String>, Answer<Value>) =
        multi.send().await.expect("a multicall");
    assert_eq!(sum, Ok(3));
    assert_eq!(quotient, Err(Fault::new(1, "division by zero")));
    assert_eq!(echo.as_deref(), Ok("three"));
    assert_eq!(missing.unwrap_err().code(), Fault::METHOD_NOT_FOUND);
    // One request carried them all.
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].method(), "system.multicall");

    // Sent again, the same calls give the same results.
    let again = multi.send_values().await.expect("a multicall");
    assert_eq!(again[0], Ok(Value::Int(3)));
    assert_eq!(again.len(), 4);
}

#[tokio::test]
async fn a_multicall_answer_of_the_wrong_length_is_an_error() {
    // Two results, whatever was asked.
    let two = "<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>\
               <value><array><data><value><int>1</int></value></data></array></value>\
               <value><array><data><value><int>2</int></value></data></array></value>\
               </data></array></value></param></params></methodResponse>";
    let server = BareServer::start(move |_| Reply::xml(two.as_bytes().to_vec()));
    let client = client(&server.url("/RPC2"));

    let mut multi = client.multicall();
    multi.call("a", ()).call("b", ()).call("c", ());
    let err = multi
        .send::<(Result<i32, Fault>, Result<i32, Fault>, Result<i32, Fault>)>()
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Decode(_)), "{err:?}");
    assert!(
        err.to_string().contains("returned 2 results for 3 calls"),
        "{err}"
    );
    let err = multi.send_values().await.unwrap_err();
    assert!(
        err.to_string().contains("returned 2 results for 3 calls"),
        "{err}"
    );

    let mut multi = client.multicall();
    multi.call("a", ());
    let err = multi.send_values().await.unwrap_err();
    assert!(
        err.to_string().contains("returned 2 results for 1 calls"),
        "{err}"
    );
}

#[test]
fn the_blocking_client_calls_and_multicalls() {
    let server = rpc_server();
    let client = blocking_client(&server.url("/RPC2"));
    assert_eq!(client.call::<i32>("add", (20, 22)).expect("add"), 42);
    assert_eq!(
        client
            .call_value("echo", &[Value::from("hi")])
            .expect("echo"),
        Value::from("hi")
    );
    let mut multi = client.multicall();
    multi.call("add", (1, 1)).call("div", (1, 0));
    let (two, fault): (Result<i32, Fault>, Result<i32, Fault>) = multi.send().expect("multicall");
    assert_eq!(two, Ok(2));
    assert_eq!(fault.unwrap_err().code(), 1);
    for i in 0..20 {
        assert_eq!(client.call::<i32>("add", (i, 1)).expect("add"), i + 1);
    }
    assert_eq!(server.connections(), 1, "calls reuse one connection");

    // A typed client, through block_on. Its future runs on this thread, beside the
    // runtime's worker, so it may find the connection not yet back in the pool and open a
    // second one; either way it works.
    let calculator = CalculatorClient::new(client.as_async().clone());
    assert_eq!(client.block_on(calculator.sum(1, 2)).expect("sum"), 3);
    assert!(server.connections() <= 2);

    // A clone outlives the original, and dropping them does not block.
    let clone = client.clone();
    drop(client);
    assert_eq!(clone.call::<i32>("add", (1, 1)).expect("add"), 2);
}

#[test]
fn a_blocking_client_from_an_async_one_shares_its_settings_and_cookies() {
    let registry = registry();
    let server = BareServer::start(move |request| match request.method().as_str() {
        "login" => Reply::xml(xmlrpc::response_to_vec(&true).expect("writable"))
            .with_header("Set-Cookie", "session=abc; Path=/"),
        "whoami" => Reply::xml(
            xmlrpc::response_to_vec(&request.header("cookie").unwrap_or("")).expect("writable"),
        ),
        _ => dispatch(&registry, request),
    });
    let asynchronous = Client::builder(&server.url("/RPC2"))
        .header("X-Api-Key", "k-9")
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let blocking = blocking::Client::from_async(asynchronous.clone()).expect("a runtime");
    assert_eq!(blocking.url(), asynchronous.url());
    assert!(blocking.call::<bool>("login", ()).expect("login"));
    // The cookie is in the store that the async client shares: a call through it (run on
    // the blocking client's runtime) sends it back.
    let cookie = blocking
        .block_on(asynchronous.call::<String>("whoami", ()))
        .expect("whoami");
    assert_eq!(cookie, "session=abc");
    assert_eq!(blocking.call::<i32>("add", (2, 2)).expect("add"), 4);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-api-key") == Some("k-9"))
    );
    assert!(std::ptr::eq(blocking.as_async().url(), asynchronous.url()));
}
