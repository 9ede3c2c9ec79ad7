//! Against CPython's `xmlrpc.server`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use xmlrpc::client::{Client, blocking};
use xmlrpc::{Base64, CallError, DateTime, Value};

use super::*;

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

#[test]
fn python_docs_server_proxy_and_server_examples() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/"));

    // "ServerProxy Objects"
    assert!(!proxy.call::<bool>("is_even", (3,)).expect("is_even(3)"));
    assert!(proxy.call::<bool>("is_even", (100,)).expect("is_even(100)"));

    // "SimpleXMLRPCServer Example", client side
    assert_eq!(proxy.call::<i32>("pow", (2, 3)).expect("pow"), 8);
    assert_eq!(proxy.call::<i32>("add", (2, 3)).expect("add"), 5);
    assert_eq!(proxy.call::<i32>("mul", (5, 2)).expect("mul"), 10);
    let methods: Vec<String> = proxy.call("system.listMethods", ()).expect("listMethods");
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
    let help: String = proxy.call("system.methodHelp", ("pow",)).expect("help");
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
    let today: DateTime = proxy.call("today", ()).expect("today");
    let expected = DateTime::from_ymd_hms(2024, 5, 6, 7, 8, 9).expect("a valid date");
    assert_eq!(today, expected);
    assert_eq!(today.to_string(), "20240506T07:08:09");
    let back: DateTime = proxy.call("echo", (expected,)).expect("echo a date");
    assert_eq!(back, expected);

    // "Binary Objects"
    let logo: Base64 = proxy.call("python_logo", ()).expect("python_logo");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
    assert_eq!(logo.as_ref(), bytes.as_slice());
    let back: serde_bytes::ByteBuf = proxy
        .call("echo", (serde_bytes::Bytes::new(&bytes),))
        .expect("echo bytes");
    assert_eq!(back.as_slice(), bytes.as_slice());
}

#[test]
fn python_docs_fault_and_protocol_error_examples() {
    let python = PythonServer::start();

    // "Fault Objects": the server cannot marshal a complex number.
    let proxy = blocking_client(&python.url("/fault"));
    let fault = fault_of(proxy.call::<Value>("add", (2, 5)).unwrap_err());
    assert_eq!(fault.code(), 1);
    assert!(fault.string().contains("cannot marshal"), "{fault}");

    // "ProtocolError Objects": a URL that does not answer XML-RPC.
    let proxy = blocking_client(&python.url("/no/such/page"));
    let err = proxy.call::<Value>("some_method", ()).unwrap_err();
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
        .call("add", (7, 3))
        .call("subtract", (7, 3))
        .call("multiply", (7, 3))
        .call("divide", (7, 3));
    let (sum, difference, product, quotient): (Answer<i32>, Answer<i32>, Answer<i32>, Answer<i32>) =
        multicall.send().expect("a multicall");
    assert_eq!(
        (sum, difference, product, quotient),
        (Ok(10), Ok(4), Ok(21), Ok(2))
    );

    let mut multicall = proxy.multicall();
    multicall
        .call("add", (7, 3))
        .call("divide", (7, 0))
        .call("no.such.method", ())
        .call("multiply", (7, 3));
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
        .call("currentTime.getCurrentTime", ())
        .await
        .expect("the time");
    assert_eq!(now.to_string(), "20240506T07:08:09");

    let mut multi = server.multicall();
    multi
        .call("getData", ())
        .call("pow", (2, 9))
        .call("add", (1, 2));
    let (data, pow, add): (Result<String, _>, Result<i64, _>, Result<i32, _>) =
        multi.send().await.expect("a multicall");
    assert_eq!((data, pow, add), (Ok("42".to_owned()), Ok(512), Ok(3)));
}

#[test]
fn python_nil_unicode_structs_and_wide_integers() {
    let python = PythonServer::start();
    let proxy = blocking_client(&python.url("/"));

    // nil, both ways
    let nothing: Option<i32> = proxy.call("nothing", ()).expect("nothing");
    assert_eq!(nothing, None);
    proxy.call::<()>("nothing", ()).expect("nil as unit");
    let back: Option<String> = proxy.call("echo", (None::<String>,)).expect("echo nil");
    assert_eq!(back, None);

    // Unicode, both ways, with the characters XML escapes
    assert_eq!(
        proxy.call::<String>("unicode", ()).expect("unicode"),
        "Grüße, 世界 🦀"
    );
    let text = "a < b && c > d; \"quoted\" 'single' — ünïcödé 日本語 🦀\ttab";
    assert_eq!(proxy.call::<String>("echo", (text,)).expect("echo"), text);

    // A struct with nested values, a nil member and a date
    let book = Book {
        title: "Fish & Chips".into(),
        tags: vec!["food".into(), "<uk>".into()],
        rating: 4.5,
        isbn: None,
        published: DateTime::from_ymd_hms(1998, 7, 17, 14, 8, 55).expect("a valid date"),
    };
    assert_eq!(proxy.call::<Book>("echo", (&book,)).expect("echo"), book);

    // Python reads `<i8>` but cannot write integers beyond 32 bits: it answers with a fault.
    assert_eq!(proxy.call::<u32>("bits", (1i64 << 40,)).expect("bits"), 41);
    assert_eq!(
        proxy.call::<i32>("echo", (i32::MIN,)).expect("echo"),
        i32::MIN
    );
    let fault = fault_of(proxy.call::<i64>("big", ()).unwrap_err());
    assert!(
        fault.string().contains("int exceeds XML-RPC limits"),
        "{fault}"
    );
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
        trusting.call::<i32>("add", (2, 3)).expect("add over TLS"),
        5
    );

    // Without the authority, the server is not trusted.
    let err = blocking_client(&url)
        .call::<i32>("add", (2, 3))
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
        reckless.call::<i32>("add", (2, 3)).expect("add over TLS"),
        5
    );
}
