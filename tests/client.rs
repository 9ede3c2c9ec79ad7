//! The HTTP client (`xmlrpc::client`) end to end over loopback:
//!
//! - against CPython's own `xmlrpc.server`, running every call of the examples in Python's
//!   documentation and the `python -m xmlrpc.server` demo, plus nil, date-times, binary,
//!   Unicode, 64-bit integers, faults and multicall;
//! - against a bare HTTP server written here, which misbehaves on purpose: gzip both ways,
//!   basic authentication, slow methods, HTML error pages, dropped connections, connection
//!   counting, cookies, a proxy, redirects;
//! - against the toolkit's own axum server, with the typed clients `#[xmlrpc_service]`
//!   generates.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use xmlrpc::client::{Client, blocking};
use xmlrpc::{Base64, CallError, CallReader, Context, DateTime, Fault, Registry, Value};

/// One result of a multicall.
type Answer<T> = Result<T, Fault>;

/// Longer than any loopback exchange takes, even unoptimized on a busy machine: reaching it
/// means something hangs, and the test fails instead of blocking.
const HANG_GUARD: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// CPython's server as the peer.
// ---------------------------------------------------------------------------------------

/// The methods of the examples in Python's `xmlrpc.client` and `xmlrpc.server` docs, on one
/// `MultiPathXMLRPCServer`: `/` and `/RPC2` serve them all, `/fault` serves the docs' Fault
/// example (an `add` that returns a complex number, which cannot be marshalled).
const PY_SERVER: &str = r#"
import datetime, socket, ssl, sys
import xmlrpc.client as xc
from xmlrpc.server import (MultiPathXMLRPCServer, SimpleXMLRPCDispatcher,
                           SimpleXMLRPCRequestHandler)

socket.setdefaulttimeout(60)

class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ('/', '/RPC2', '/fault')

server = MultiPathXMLRPCServer(('127.0.0.1', 0), requestHandler=Handler, allow_none=True,
                               logRequests=False)
main = SimpleXMLRPCDispatcher(allow_none=True, encoding=None)
main.register_introspection_functions()
main.register_multicall_functions()

# python -m xmlrpc.server, and "SimpleXMLRPCServer Example"
main.register_function(pow)
main.register_function(lambda x, y: x + y, 'add')

class ExampleService:
    def getData(self):
        return '42'

    def mul(self, x, y):
        return x * y

    class currentTime:
        @staticmethod
        def getCurrentTime():
            return datetime.datetime(2024, 5, 6, 7, 8, 9)

main.register_instance(ExampleService(), allow_dotted_names=True)

# "ServerProxy Objects"
def is_even(n):
    return n % 2 == 0
main.register_function(is_even, "is_even")

# "DateTime Objects"
def today():
    return xc.DateTime(datetime.datetime(2024, 5, 6, 7, 8, 9))
main.register_function(today, "today")

# "Binary Objects"
def python_logo():
    return xc.Binary(bytes(range(256)) * 4)
main.register_function(python_logo, 'python_logo')

# "MultiCall Objects"
main.register_function(lambda x, y: x - y, 'subtract')
main.register_function(lambda x, y: x * y, 'multiply')
main.register_function(lambda x, y: x // y, 'divide')

# nil, Unicode, integers beyond 32 bits, any value back
main.register_function(lambda: None, 'nothing')
main.register_function(lambda x: x, 'echo')
main.register_function(lambda: 'Grüße, 世界 🦀', 'unicode')
main.register_function(lambda: 2 ** 40, 'big')
main.register_function(lambda x: x.bit_length(), 'bits')

# "Fault Objects": a marshalling error, because the result is a complex number
fault = SimpleXMLRPCDispatcher(allow_none=True, encoding=None)
fault.register_function(lambda x, y: x + y + 0j, 'add')

server.add_dispatcher('/', main)
server.add_dispatcher('/RPC2', main)
server.add_dispatcher('/fault', fault)

# With a certificate and key as arguments: HTTPS.
if len(sys.argv) > 2:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// CPython's server on a free loopback port, killed when dropped.
struct PythonServer {
    child: Child,
    port: u16,
}

impl PythonServer {
    fn start() -> PythonServer {
        Self::start_with(&[])
    }

    /// Starts the server with `args` after the script: a certificate and its key for HTTPS.
    fn start_with(args: &[&std::path::Path]) -> PythonServer {
        let child = Command::new("python3")
            .arg("-I")
            .arg("-c")
            .arg(PY_SERVER)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("python3 is required by the client tests and could not be started: {e}")
            });
        // The guard exists before anything can fail, so that the process is always killed.
        let mut server = PythonServer { child, port: 0 };
        let stdout = server.child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(HANG_GUARD)
            .expect("python3 printed its port in time");
        server.port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("python3 printed {line:?} instead of a port"));
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn blocking_client(url: &str) -> blocking::Client {
    blocking::Client::builder(url)
        .timeout(HANG_GUARD)
        .build_blocking()
        .expect("a valid client")
}

fn fault_of(err: CallError) -> Fault {
    match err {
        CallError::Fault(f) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[test]
fn python_docs_server_proxy_and_server_examples() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/"));

    // "ServerProxy Objects"
    assert!(!proxy.call::<bool>("is_even", &(3,)).expect("is_even(3)"));
    assert!(
        proxy
            .call::<bool>("is_even", &(100,))
            .expect("is_even(100)")
    );

    // "SimpleXMLRPCServer Example", client side
    assert_eq!(proxy.call::<i32>("pow", &(2, 3)).expect("pow"), 8);
    assert_eq!(proxy.call::<i32>("add", &(2, 3)).expect("add"), 5);
    assert_eq!(proxy.call::<i32>("mul", &(5, 2)).expect("mul"), 10);
    let methods: Vec<String> = proxy.call("system.listMethods", &()).expect("listMethods");
    for name in [
        "add",
        "pow",
        "mul",
        "getData",
        "is_even",
        "system.listMethods",
        "system.multicall",
    ] {
        assert!(methods.iter().any(|m| m == name), "{name} in {methods:?}");
    }
    let help: String = proxy.call("system.methodHelp", &("pow",)).expect("help");
    assert!(help.contains("base"), "pow's docstring: {help:?}");
    let signature = proxy
        .call_value("system.methodSignature", &[Value::from("pow")])
        .expect("signature");
    assert_eq!(signature.as_str(), Some("signatures not supported"));
}

#[test]
fn python_docs_datetime_and_binary_examples() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/RPC2"));

    // "DateTime Objects"
    let today: DateTime = proxy.call("today", &()).expect("today");
    let expected = DateTime::from_ymd_hms(2024, 5, 6, 7, 8, 9).expect("a valid date");
    assert_eq!(today, expected);
    assert_eq!(today.to_string(), "20240506T07:08:09");
    let back: DateTime = proxy.call("echo", &(expected,)).expect("echo a date");
    assert_eq!(back, expected);

    // "Binary Objects"
    let logo: Base64 = proxy.call("python_logo", &()).expect("python_logo");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    assert_eq!(logo.as_ref(), bytes.as_slice());
    let back: serde_bytes::ByteBuf = proxy
        .call("echo", &(serde_bytes::Bytes::new(&bytes),))
        .expect("echo bytes");
    assert_eq!(back.as_slice(), bytes.as_slice());
}

#[test]
fn python_docs_fault_and_protocol_error_examples() {
    let python = PythonServer::start();

    // "Fault Objects": the server cannot marshal a complex number.
    let proxy = blocking_client(&python.url("/fault"));
    let fault = fault_of(proxy.call::<Value>("add", &(2, 5)).unwrap_err());
    assert_eq!(fault.code(), 1);
    assert!(fault.string().contains("cannot marshal"), "{fault}");

    // "ProtocolError Objects": a URL that does not answer XML-RPC.
    let proxy = blocking_client(&python.url("/no/such/page"));
    let err = proxy.call::<Value>("some_method", &()).unwrap_err();
    let CallError::Http {
        status,
        content_type,
        snippet,
        ..
    } = &err
    else {
        panic!("expected an HTTP error, got {err:?}")
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(content_type.as_deref(), Some("text/plain"));
    assert_eq!(snippet, "No such page");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[test]
fn python_docs_multicall_example_with_a_faulting_call() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/"));

    // "MultiCall Objects"
    let mut multicall = proxy.multicall();
    multicall
        .call("add", &(7, 3))
        .call("subtract", &(7, 3))
        .call("multiply", &(7, 3))
        .call("divide", &(7, 3));
    let (sum, difference, product, quotient): (Answer<i32>, Answer<i32>, Answer<i32>, Answer<i32>) =
        multicall.send().expect("a multicall");
    assert_eq!(
        (sum, difference, product, quotient),
        (Ok(10), Ok(4), Ok(21), Ok(2))
    );

    let mut multicall = proxy.multicall();
    multicall
        .call("add", &(7, 3))
        .call("divide", &(7, 0))
        .call("no.such.method", &())
        .call("multiply", &(7, 3));
    let results = multicall.send_values().expect("a multicall");
    assert_eq!(results.len(), 4);
    assert_eq!(results[0], Ok(Value::Int(10)));
    let division = results[1].as_ref().unwrap_err();
    assert!(
        division.string().contains("ZeroDivisionError"),
        "{division}"
    );
    let missing = results[2].as_ref().unwrap_err();
    assert!(missing.string().contains("is not supported"), "{missing}");
    assert_eq!(results[3], Ok(Value::Int(21)));
}

#[tokio::test]
async fn python_demo_calls_from_the_async_client() {
    let python = PythonServer::start();
    // No path: `/RPC2`, as Python's ServerProxy.
    let server = Client::builder(&python.url(""))
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    assert!(server.url().ends_with("/RPC2"));

    let now: DateTime = server
        .call("currentTime.getCurrentTime", &())
        .await
        .expect("the time");
    assert_eq!(now.to_string(), "20240506T07:08:09");

    let mut multi = server.multicall();
    multi
        .call("getData", &())
        .call("pow", &(2, 9))
        .call("add", &(1, 2));
    let (data, pow, add): (Result<String, _>, Result<i64, _>, Result<i32, _>) =
        multi.send().await.expect("a multicall");
    assert_eq!((data, pow, add), (Ok("42".to_owned()), Ok(512), Ok(3)));
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Book {
    title: String,
    tags: Vec<String>,
    rating: f64,
    isbn: Option<String>,
    published: DateTime,
}

#[test]
fn python_nil_unicode_structs_and_wide_integers() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/"));

    // nil, both ways
    let nothing: Option<i32> = proxy.call("nothing", &()).expect("nothing");
    assert_eq!(nothing, None);
    proxy.call::<()>("nothing", &()).expect("nil as unit");
    let back: Option<String> = proxy.call("echo", &(None::<String>,)).expect("echo nil");
    assert_eq!(back, None);

    // Unicode, both ways, with the characters XML escapes
    assert_eq!(
        proxy.call::<String>("unicode", &()).expect("unicode"),
        "Grüße, 世界 🦀"
    );
    let text = "a < b && c > d; \"quoted\" 'single' — ünïcödé 日本語 🦀\ttab";
    assert_eq!(proxy.call::<String>("echo", &(text,)).expect("echo"), text);

    // A struct with nested values, a nil member and a date
    let book = Book {
        title: "Fish & Chips".into(),
        tags: vec!["food".into(), "<uk>".into()],
        rating: 4.5,
        isbn: None,
        published: DateTime::from_ymd_hms(1998, 7, 17, 14, 8, 55).expect("a valid date"),
    };
    assert_eq!(proxy.call::<Book>("echo", &(&book,)).expect("echo"), book);

    // Python reads `<i8>` but cannot write integers beyond 32 bits: it answers with a fault.
    assert_eq!(proxy.call::<u32>("bits", &(1i64 << 40,)).expect("bits"), 41);
    assert_eq!(
        proxy.call::<i32>("echo", &(i32::MIN,)).expect("echo"),
        i32::MIN
    );
    let fault = fault_of(proxy.call::<i64>("big", &()).unwrap_err());
    assert!(
        fault.string().contains("int exceeds XML-RPC limits"),
        "{fault}"
    );
}

/// A directory of its own under the system's temporary directory, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!("xmlrpc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl` with `args` in `dir`.
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("openssl is required by the HTTPS test: {e}"));
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A certificate authority and a certificate for `127.0.0.1` that it signed, made with the
/// `openssl` command: returns the authority's PEM, the certificate's path and its key's.
fn make_certificates(dir: &std::path::Path) -> (Vec<u8>, std::path::PathBuf, std::path::PathBuf) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=xmlrpc test CA",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .expect("writing the extensions");
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
        ],
    );
    let ca_pem = std::fs::read(dir.join("ca.pem")).expect("the CA certificate");
    (ca_pem, dir.join("leaf.pem"), dir.join("leaf.key"))
}

#[test]
fn https_with_a_private_certificate_authority() {
    let dir = TempDir::new("client-tls");
    let (ca, cert, key) = make_certificates(&dir.0);
    let python = PythonServer::start_with(&[&cert, &key]);
    let url = format!("https://127.0.0.1:{}/RPC2", python.port);

    let trusting = blocking::Client::builder(&url)
        .add_root_certificate(&ca)
        .timeout(HANG_GUARD)
        .build_blocking()
        .expect("a valid client");
    assert_eq!(
        trusting.call::<i32>("add", &(2, 3)).expect("add over TLS"),
        5
    );

    // Without the authority, the server is not trusted.
    let err = blocking_client(&url)
        .call::<i32>("add", &(2, 3))
        .unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("certificate"), "{err}");

    // Unless verification is turned off.
    let reckless = blocking::Client::builder(&url)
        .danger_accept_invalid_certs(true)
        .timeout(HANG_GUARD)
        .build_blocking()
        .expect("a valid client");
    assert_eq!(
        reckless.call::<i32>("add", &(2, 3)).expect("add over TLS"),
        5
    );
}

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
        let Reply::Send {
            status,
            headers,
            body,
        } = reply
        else {
            return;
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

fn client(url: &str) -> Client {
    Client::builder(url)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client")
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
    multi.call("maybe", &(None::<i32>,));
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

    let fault = fault_of(client.call::<i32>("div", &(1, 0)).await.unwrap_err());
    assert_eq!((fault.code(), fault.string()), (1, "division by zero"));

    #[derive(Debug, Deserialize)]
    #[allow(dead_code, reason = "read to check the error, never looked at")]
    struct WrongBook {
        title: String,
        tags: Vec<i32>,
    }
    let err = client.call::<WrongBook>("book", &()).await.unwrap_err();
    let CallError::Decode(e) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(e.path(), "tags[0]");
    assert!(
        err.to_string().contains("expected int, found string"),
        "{err}"
    );

    let err = client.call::<i32>("no.such", &()).await.unwrap_err();
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
        client
            .call::<String>("echo", &(&long,))
            .await
            .expect("echo"),
        long
    );
    assert_eq!(
        client
            .call::<String>("echo", &("short",))
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
    let err = small.call::<String>("anything", &()).await.unwrap_err();
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
    let text: String = large.call("anything", &()).await.expect("within the cap");
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
    assert_eq!(from_url.call::<i32>("add", &(1, 2)).await.expect("add"), 3);

    let from_setter = Client::builder(&server.url("/RPC2"))
        .basic_auth("user", Some("pa ss"))
        .build()
        .expect("a valid client");
    assert_eq!(
        from_setter.call::<i32>("add", &(1, 2)).await.expect("add"),
        3
    );

    for url in [
        server.url("/RPC2"),
        format!("http://user:wrong@127.0.0.1:{port}/RPC2"),
    ] {
        let err = client(&url).call::<i32>("add", &(1, 2)).await.unwrap_err();
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
            Reply::Delay(Duration::from_secs(20), Box::new(reply))
        } else {
            reply
        }
    });
    let client = Client::builder(&server.url("/RPC2"))
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a valid client");

    let started = Instant::now();
    let err = client.call::<String>("echo", &("slow",)).await.unwrap_err();
    let waited = started.elapsed();
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, CallError::Timeout));
    assert_eq!(err.to_string(), "the call timed out");
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    assert!(waited < Duration::from_secs(10), "{waited:?}");

    // The client goes on working.
    assert_eq!(client.call::<i32>("add", &(1, 2)).await.expect("add"), 3);
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
        .call::<i32>("add", &(1, 2))
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
        .call::<i32>("add", &(1, 2))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{err:?}");
    assert!(err.to_string().contains("Please log in"), "{err}");
    let err = client(&server.url("/text"))
        .call::<i32>("add", &(1, 2))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CallError::Http { snippet, .. } if snippet == "OK"),
        "{err:?}"
    );

    // XML that is not a response is a decode error, with a position.
    let err = client(&server.url("/RPC2"))
        .call::<i32>("add", &(1, 2))
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
        .call::<i32>("add", &(1, 2))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert!(err.to_string().starts_with("transport error: "), "{err}");
    assert!(server.connections() >= 1);

    // Nobody listening at all.
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        probe.local_addr().expect("its address").port()
    };
    let err = client(&format!("http://127.0.0.1:{port}/RPC2"))
        .call::<i32>("add", &(1, 2))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport(_)), "{err:?}");
    assert!(err.to_string().contains("onnect"), "{err}");
}

#[tokio::test]
async fn calls_reuse_one_connection() {
    let server = rpc_server();
    let client = client(&server.url("/RPC2"));
    for i in 0..10 {
        assert_eq!(
            client.call::<i32>("add", &(i, 1)).await.expect("add"),
            i + 1
        );
    }
    assert_eq!(client.multicall().call("add", &(1, 1)).len(), 1);
    assert_eq!(server.connections(), 1);
    assert_eq!(server.requests().len(), 10);

    // Clones share the pool.
    let clone = client.clone();
    assert_eq!(clone.call::<i32>("add", &(1, 1)).await.expect("add"), 2);
    assert_eq!(server.connections(), 1);

    // Without keep-alive, one connection per call.
    let server = rpc_server();
    let client = Client::builder(&server.url("/RPC2"))
        .keep_alive(false)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    for i in 0..5 {
        assert_eq!(
            client.call::<i32>("add", &(i, 1)).await.expect("add"),
            i + 1
        );
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
        client.call::<String>("whoami", &()).await.expect("whoami"),
        ""
    );
    assert!(client.call::<bool>("login", &()).await.expect("login"));
    for _ in 0..2 {
        assert_eq!(
            client.call::<String>("whoami", &()).await.expect("whoami"),
            "session=s3cr3t"
        );
    }

    let forgetful = Client::builder(&server.url("/RPC2"))
        .cookies(false)
        .build()
        .expect("a valid client");
    assert!(forgetful.call::<bool>("login", &()).await.expect("login"));
    assert_eq!(
        forgetful
            .call::<String>("whoami", &())
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
    client.call::<i32>("add", &(1, 2)).await.expect("add");
    let default = self::client(&server.url("/RPC2"));
    default.call::<i32>("add", &(1, 2)).await.expect("add");

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
    assert_eq!(client.call::<i32>("add", &(2, 2)).await.expect("add"), 4);
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
        .call::<i32>("add", &(1, 2))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(308), "{err:?}");
    assert!(err.to_string().contains("with an empty body"), "{err}");

    let following = Client::builder(&server.url("/moved"))
        .follow_redirects(3)
        .build()
        .expect("a valid client");
    assert_eq!(following.call::<i32>("add", &(1, 2)).await.expect("add"), 3);

    let following = Client::builder(&server.url("/found"))
        .follow_redirects(3)
        .build()
        .expect("a valid client");
    let err = following.call::<i32>("add", &(1, 2)).await.unwrap_err();
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
        .call::<Option<i32>>("maybe", &(None::<i32>,))
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Encode(_)), "{err:?}");
    assert_eq!(server.connections(), 0);
    assert_eq!(
        strict
            .call::<Option<i32>>("maybe", &(Some(4),))
            .await
            .expect("maybe"),
        Some(4)
    );

    let lenient = client(&server.url("/RPC2"));
    assert_eq!(
        lenient
            .call::<Option<i32>>("maybe", &(None::<i32>,))
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
        .call("add", &(1, 2))
        .call("div", &(1, 0))
        .call("echo", &("three",))
        .call("Calculator.nothing", &());
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
    multi.call("a", &()).call("b", &()).call("c", &());
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
    multi.call("a", &());
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
    assert_eq!(client.call::<i32>("add", &(20, 22)).expect("add"), 42);
    assert_eq!(
        client
            .call_value("echo", &[Value::from("hi")])
            .expect("echo"),
        Value::from("hi")
    );
    let mut multi = client.multicall();
    multi.call("add", &(1, 1)).call("div", &(1, 0));
    let (two, fault): (Result<i32, Fault>, Result<i32, Fault>) = multi.send().expect("multicall");
    assert_eq!(two, Ok(2));
    assert_eq!(fault.unwrap_err().code(), 1);
    for i in 0..20 {
        assert_eq!(client.call::<i32>("add", &(i, 1)).expect("add"), i + 1);
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
    assert_eq!(clone.call::<i32>("add", &(1, 1)).expect("add"), 2);
}

// ---------------------------------------------------------------------------------------
// The toolkit's own server.
// ---------------------------------------------------------------------------------------

/// The demo server's services (`examples/demo_server.rs`), so that their typed clients can be
/// tried here.
mod demo {
    use xmlrpc::{DateTime, Fault, Registry, xmlrpc_service};

    /// Python's `ExampleService`.
    pub struct ExampleService;

    #[xmlrpc_service]
    impl ExampleService {
        /// Returns the string `'42'`.
        #[xmlrpc(name = "getData")]
        pub fn get_data(&self) -> &'static str {
            "42"
        }
    }

    /// Python's `ExampleService.currentTime`.
    pub struct CurrentTime;

    #[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase")]
    impl CurrentTime {
        /// Returns the server's local date and time.
        pub fn get_current_time(&self) -> DateTime {
            DateTime::now()
        }
    }

    /// The demo's registry.
    pub fn registry() -> Registry {
        Registry::new()
            .function("pow", |x: i64, y: u32| {
                x.checked_pow(y).ok_or_else(|| Fault::new(1, "too large"))
            })
            .function("add", |x: i64, y: i64| x.wrapping_add(y))
            .service(ExampleService)
            .service(CurrentTime)
    }
}

#[tokio::test]
async fn typed_clients_against_the_axum_demo_server() {
    use demo::{CurrentTimeClient, ExampleServiceClient};

    let server = {
        let router = xmlrpc_axum::XmlRpc::new(demo::registry()).into_router();
        // The shared helper runs its own runtime; it must start outside this one.
        tokio::task::spawn_blocking(move || xmlrpc_tests::server::TestServer::start(router))
            .await
            .expect("the server starts")
    };
    let client = client(&server.url(""));

    let data = ExampleServiceClient::new(client.clone())
        .get_data()
        .await
        .expect("getData");
    assert_eq!(data, "42");
    let now = CurrentTimeClient::new(client.clone())
        .get_current_time()
        .await
        .expect("the time");
    let age = chrono::Local::now().naive_local() - now.naive_local();
    assert!(age.num_seconds().abs() < 600, "{now}");

    let methods: Vec<String> = client
        .call("system.listMethods", &())
        .await
        .expect("listMethods");
    assert_eq!(
        methods,
        [
            "add",
            "currentTime.getCurrentTime",
            "getData",
            "pow",
            "system.getCapabilities",
            "system.listMethods",
            "system.methodExist",
            "system.methodHelp",
            "system.methodSignature",
            "system.multicall"
        ]
    );

    let mut multi = client.multicall();
    multi
        .call("getData", &())
        .call("pow", &(2, 9))
        .call("add", &(1, 2));
    let values: BTreeMap<usize, Value> = multi
        .send_values()
        .await
        .expect("a multicall")
        .into_iter()
        .map(|r| r.expect("no fault"))
        .enumerate()
        .collect();
    assert_eq!(values[&0], Value::from("42"));
    assert_eq!(values[&1].as_i64(), Some(512));
    assert_eq!(values[&2].as_i64(), Some(3));

    // The test server's runtime is dropped outside this one.
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .expect("the server stops");
}

/// The calls of the demo, gzip both ways and a multicall with a fault, against the toolkit's
/// axum server: the client and the server must agree on everything they negotiate.
#[tokio::test]
async fn the_client_against_the_axum_server_with_gzip_both_ways() {
    let counts = Arc::new(GzipSeen::default());
    let server = {
        let registry = demo::registry().function("echo", |items: Vec<String>| items);
        let seen = Arc::clone(&counts);
        let router =
            xmlrpc_axum::XmlRpc::new(registry)
                .into_router()
                .layer(axum::middleware::from_fn(
                    move |request: axum::extract::Request, next: axum::middleware::Next| {
                        let seen = Arc::clone(&seen);
                        async move {
                            let gzip =
                                |v: Option<&http::HeaderValue>| v.is_some_and(|v| v == "gzip");
                            if gzip(request.headers().get("content-encoding")) {
                                seen.requests.fetch_add(1, Ordering::SeqCst);
                            }
                            let response = next.run(request).await;
                            if gzip(response.headers().get("content-encoding")) {
                                seen.responses.fetch_add(1, Ordering::SeqCst);
                            }
                            response
                        }
                    },
                ));
        tokio::task::spawn_blocking(move || xmlrpc_tests::server::TestServer::start(router))
            .await
            .expect("the server starts")
    };
    let client = Client::builder(&server.url("/RPC2"))
        .gzip_requests(Some(0))
        .build()
        .expect("a client");
    assert_eq!(client.call::<i64>("pow", &(2, 9)).await.expect("pow"), 512);
    assert_eq!(client.call::<i64>("add", &(2, 3)).await.expect("add"), 5);
    assert_eq!(
        client
            .call::<String>("getData", &())
            .await
            .expect("getData"),
        "42"
    );
    // A large answer: the server compresses it (over its 1400-byte threshold) because the
    // client accepts gzip, and the client inflates it.
    let items: Vec<String> = (0..2000).map(|i| format!("item {i} <&>")).collect();
    let back: Vec<String> = client.call("echo", &(&items,)).await.expect("echo");
    assert_eq!(back, items);
    let results = client
        .multicall()
        .call("getData", &())
        .call("pow", &(2, 100))
        .call("add", &(1, 2))
        .send_values()
        .await
        .expect("a multicall");
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().ok(), Some(&Value::from("42")));
    assert_eq!(results[1].as_ref().err().map(Fault::code), Some(1));
    assert_eq!(results[2].as_ref().ok(), Some(&Value::Int(3)));
    // Every request went gzipped (a threshold of 0); only the echo's answer was large enough
    // for the server to compress it.
    assert_eq!(counts.requests.load(Ordering::SeqCst), 5);
    assert_eq!(counts.responses.load(Ordering::SeqCst), 1);
}

/// The gzip-coded requests and responses a server saw.
#[derive(Debug, Default)]
struct GzipSeen {
    requests: AtomicUsize,
    responses: AtomicUsize,
}
