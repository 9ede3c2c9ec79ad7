//! Hostile input over HTTP: the served endpoint answers every malformed, oversized, slow or
//! crashing request with an HTTP error or a fault, and keeps serving everyone else.
//!
//! Requests are written byte for byte on raw loopback sockets, so that the tests can send
//! what no well-behaved client would.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use xmlrpc::{Context, Endpoint, Fault, MethodResponse, Registry, Value, xmlrpc_service};
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::server::{
    RawResponse, TestServer, exchange, exchange_head, post, read_response, request,
};

/// A struct parameter whose other members are skipped.
#[derive(Debug, Deserialize)]
pub struct Point {
    /// The one member read.
    pub x: i32,
}

/// `add`, `getData`, one method that panics on non-negative numbers, one that echoes any
/// value and one that reads a member of a struct.
fn registry() -> Registry {
    Registry::new()
        .function("add", |x: i64, y: i64| x.wrapping_add(y))
        .function("getData", || "42")
        .function("boom", |n: i32| -> i32 {
            assert!(n < 0, "boom with {n}");
            n
        })
        .function("echo", |v: Value| v)
        .function("x_of", |p: Point| p.x)
}

fn endpoint() -> Endpoint {
    Endpoint::new(registry()).log_requests(false)
}

fn router(endpoint: Endpoint) -> axum::Router {
    XmlRpc::new(endpoint).into_router()
}

fn add_call(a: i64, b: i64) -> Vec<u8> {
    xmlrpc::call_to_vec("add", &(a, b)).expect("encoding a call")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).expect("writing into a Vec");
    encoder.finish().expect("finishing into a Vec")
}

/// The XML-RPC answer in a 200 `text/xml` response.
fn answer(response: &RawResponse) -> Result<Value, Fault> {
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.header("content-type"), Some("text/xml"));
    let parsed: MethodResponse<Value> = xmlrpc::response_from_slice(&response.body)
        .unwrap_or_else(|e| panic!("not a methodResponse ({e}): {}", response.text()));
    parsed.into_result()
}

/// The fault code of a 200 fault response.
fn fault_code(response: &RawResponse) -> i32 {
    match answer(response) {
        Ok(value) => panic!("expected a fault, got {value:?}"),
        Err(fault) => fault.code(),
    }
}

/// Calls `add(a, b)` over a fresh connection and checks the sum.
async fn check_add(addr: SocketAddr, a: i64, b: i64) {
    let response = exchange(addr, &post("/RPC2", "", &add_call(a, b))).await;
    assert_eq!(answer(&response), Ok(Value::from(a + b)), "add({a}, {b})");
}

#[test]
fn malformed_bodies_are_parse_error_faults() {
    let server = TestServer::start(router(endpoint()));
    let bodies: [&[u8]; 6] = [
        b"",
        b"this is not XML",
        b"<methodCall>",
        b"<methodCall><methodName>add</methodName><params></methodCall>",
        b"<methodCall><methodName>getData</methodName></methodCall><methodCall>",
        b"<?xml version=\"1.0\"?><methodCall><methodName>a&b</methodName></methodCall>",
    ];
    server.block_on(async {
        for body in bodies {
            let response = exchange(server.addr(), &post("/", "", body)).await;
            assert_eq!(
                fault_code(&response),
                Fault::PARSE_ERROR,
                "body {:?}: {}",
                String::from_utf8_lossy(body),
                response.text()
            );
        }
        // Bytes that are not UTF-8 (nor declared otherwise) are the invalid-character fault.
        let response = exchange(server.addr(), &post("/", "", b"\x00\xff\xfe garbage \x80")).await;
        assert_eq!(
            fault_code(&response),
            Fault::INVALID_CHARACTER,
            "{}",
            response.text()
        );
        check_add(server.addr(), 2, 3).await;
    });
}

#[test]
fn oversized_bodies_get_413() {
    let server = TestServer::start(router(endpoint().wire_limit(1024)));
    let addr = server.addr();
    server.block_on(async {
        // Announced too large.
        let mut big = add_call(2, 3);
        big.extend(std::iter::repeat_n(b' ', 2000));
        let response = exchange(addr, &post("/", "", &big)).await;
        assert_eq!(response.status, 413, "{}", response.text());

        // Chunked, so only counting reveals it.
        let mut chunked = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n\
            Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
        for _ in 0..4 {
            chunked.extend_from_slice(b"200\r\n");
            chunked.extend(std::iter::repeat_n(b' ', 0x200));
            chunked.extend_from_slice(b"\r\n");
        }
        chunked.extend_from_slice(b"0\r\n\r\n");
        let response = exchange(addr, &chunked).await;
        assert_eq!(response.status, 413, "{}", response.text());

        // A lying Content-Length: the answer comes without the body ever being sent.
        let lying = b"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n\
            Content-Length: 99999999999\r\n\r\n<methodCall>";
        let response = exchange(addr, lying).await;
        assert_eq!(response.status, 413, "{}", response.text());

        // Just under the limit is fine.
        let mut fits = add_call(2, 3);
        fits.extend(std::iter::repeat_n(b' ', 1024 - fits.len()));
        let response = exchange(addr, &post("/", "", &fits)).await;
        assert_eq!(answer(&response), Ok(Value::from(5)));
    });
}

/// `depth` arrays, one inside the other.
fn nested(depth: usize) -> String {
    format!(
        "{}{}",
        "<value><array><data>".repeat(depth),
        "</data></array></value>".repeat(depth)
    )
}

/// A call of `method` with the one parameter `value` (XML text).
fn call_with(method: &str, value: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><methodCall><methodName>{method}</methodName><params><param>\
         {value}</param></params></methodCall>"
    )
    .into_bytes()
}

#[test]
fn too_deep_nesting_is_a_limit_fault() {
    let server = TestServer::start(router(endpoint()));
    let addr = server.addr();
    server.block_on(async {
        for depth in [100, 10_000, 200_000] {
            // Read into a `Value`, and skipped as an unknown member of a struct.
            let deep = nested(depth);
            let member = format!(
                "<value><struct><member><name>junk</name>{deep}</member>\
                 <member><name>x</name><value><int>1</int></value></member></struct></value>"
            );
            for (method, value) in [("echo", &deep), ("x_of", &member)] {
                let response = exchange(addr, &post("/", "", &call_with(method, value))).await;
                assert_eq!(
                    fault_code(&response),
                    Fault::LIMIT_EXCEEDED,
                    "{method} at depth {depth}: {}",
                    response.text()
                );
            }
        }
        // Within the limit, both are answered.
        let response = exchange(addr, &post("/", "", &call_with("echo", &nested(20)))).await;
        let mut value = answer(&response).expect("echo answers");
        for _ in 0..19 {
            value = match value {
                Value::Array(mut items) if items.len() == 1 => items.remove(0),
                other => panic!("not a one-element array: {other:?}"),
            };
        }
        assert_eq!(value, Value::Array(vec![]));
        let member = format!(
            "<value><struct><member><name>junk</name>{}</member>\
             <member><name>x</name><value><int>7</int></value></member></struct></value>",
            nested(20)
        );
        let response = exchange(addr, &post("/", "", &call_with("x_of", &member))).await;
        assert_eq!(answer(&response), Ok(Value::from(7)));
        check_add(addr, 2, 3).await;
    });
}

#[test]
fn doctype_and_entity_bombs_are_parse_errors() {
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let prev = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        let refs = format!("&{prev};").repeat(10);
        laughs.push_str(&format!("<!ENTITY lol{level} \"{refs}\">\n"));
    }
    laughs.push_str(
        "]>\n<methodCall><methodName>getData</methodName><params><param><value>&lol9;\
         </value></param></params></methodCall>",
    );
    let external = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\
        <methodCall><methodName>getData</methodName><params><param><value>&x;</value></param>\
        </params></methodCall>";
    let plain_doctype = "<?xml version=\"1.0\"?><!DOCTYPE methodCall>\
        <methodCall><methodName>getData</methodName></methodCall>";
    let undefined_entity = "<methodCall><methodName>getData</methodName><params><param>\
        <value>&lol9;</value></param></params></methodCall>";
    let server = TestServer::start(router(endpoint()));
    server.block_on(async {
        for body in [&laughs[..], external, plain_doctype, undefined_entity] {
            let response = exchange(server.addr(), &post("/", "", body.as_bytes())).await;
            assert_eq!(
                fault_code(&response),
                Fault::PARSE_ERROR,
                "{body}: {}",
                response.text()
            );
            assert!(
                !response.text().contains("lollol") && !response.text().contains("root:"),
                "{}",
                response.text()
            );
        }
        check_add(server.addr(), 2, 3).await;
    });
}

#[test]
fn content_codings_are_checked() {
    let server = TestServer::start(router(
        endpoint().wire_limit(64 << 10).decoded_limit(64 << 10),
    ));
    let addr = server.addr();
    server.block_on(async {
        let call = add_call(20, 22);
        for coding in ["br", "deflate", "compress", "gzip, br"] {
            let head = format!("Content-Encoding: {coding}\r\n");
            let response = exchange(addr, &post("/", &head, &call)).await;
            assert_eq!(response.status, 415, "{coding}: {}", response.text());
        }

        let gz = "Content-Encoding: gzip\r\n";
        let response = exchange(addr, &post("/", gz, &gzip(&call))).await;
        assert_eq!(answer(&response), Ok(Value::from(42)));
        let response = exchange(addr, &post("/", "Content-Encoding: identity\r\n", &call)).await;
        assert_eq!(answer(&response), Ok(Value::from(42)));

        // Broken gzip: not gzip at all, and a gzip stream cut short.
        let response = exchange(addr, &post("/", gz, &call)).await;
        assert_eq!(response.status, 400, "{}", response.text());
        let packed = gzip(&call);
        let cut = &packed[..packed.len() / 2];
        let response = exchange(addr, &post("/", gz, cut)).await;
        assert_eq!(response.status, 400, "{}", response.text());

        // A gzip bomb: 16 MiB of blanks in a few KiB, far over the 64 KiB decoded limit.
        let mut bomb_text = add_call(1, 1);
        bomb_text.extend(std::iter::repeat_n(b' ', 16 << 20));
        let bomb = gzip(&bomb_text);
        assert!(bomb.len() < 64 << 10, "the bomb fits the body limit");
        let response = exchange(addr, &post("/", gz, &bomb)).await;
        assert_eq!(response.status, 413, "{}", response.text());

        check_add(addr, 2, 3).await;
    });
}

#[test]
fn a_slow_upload_times_out_without_stalling_others() {
    let server = TestServer::start(router(endpoint().read_timeout(Duration::from_secs(2))));
    let addr = server.addr();
    server.block_on(async {
        let call = add_call(2, 3);
        let stream = TcpStream::connect(addr).await.expect("connecting");
        let (mut read_half, mut write_half) = stream.into_split();
        let head = format!(
            "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n\
             Content-Length: {}\r\n\r\n",
            call.len()
        );
        write_half
            .write_all(head.as_bytes())
            .await
            .expect("writing the head");
        write_half
            .write_all(&call[..1])
            .await
            .expect("writing the first byte");
        // One byte a second; the body would take over a minute to arrive. Bounded by the
        // body's length, and it stops once the server hangs up.
        let trickle = tokio::spawn(async move {
            for byte in &call[1..] {
                tokio::time::sleep(Duration::from_secs(1)).await;
                if write_half
                    .write_all(std::slice::from_ref(byte))
                    .await
                    .is_err()
                {
                    break;
                }
            }
            write_half
        });

        // Others are served during the slow upload.
        for i in 0..3 {
            check_add(addr, i, 100).await;
        }

        let response = read_half_response(&mut read_half).await;
        assert_eq!(response.status, 408, "{}", response.text());
        trickle.abort();

        // And right after it.
        check_add(addr, 40, 2).await;
    });
}

/// Reads a response from the read half of a split stream.
async fn read_half_response(read_half: &mut tokio::net::tcp::OwnedReadHalf) -> RawResponse {
    use tokio::io::AsyncReadExt;
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match read_half.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
        }
    }
    parse_raw(&raw)
}

/// Parses a complete response read until the peer closed.
fn parse_raw(raw: &[u8]) -> RawResponse {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.strip_prefix("HTTP/1.1 "))
        .and_then(|l| l.get(..3))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    RawResponse {
        status,
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn two_hundred_concurrent_connections_all_get_their_answers() {
    let server = TestServer::start(router(endpoint()));
    let addr = server.addr();
    server.block_on(async {
        let barrier = Arc::new(tokio::sync::Barrier::new(200));
        let mut tasks = Vec::new();
        for i in 0..200i64 {
            let barrier = Arc::clone(&barrier);
            tasks.push(tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.expect("connecting");
                // Every connection is open before any call is sent.
                barrier.wait().await;
                let call = add_call(i, i * 1000);
                stream
                    .write_all(&post("/RPC2", "", &call))
                    .await
                    .expect("writing the call");
                let response = read_response(&mut stream).await;
                (i, answer(&response))
            }));
        }
        for task in tasks {
            let (i, result) = task.await.expect("a client task");
            assert_eq!(result, Ok(Value::from(i + i * 1000)), "connection {i}");
        }
        check_add(addr, 2, 3).await;
    });
}

#[test]
fn a_panicking_method_is_an_internal_error_fault() {
    let server = TestServer::start(router(endpoint()));
    let addr = server.addr();
    server.block_on(async {
        for _ in 0..3 {
            let call = xmlrpc::call_to_vec("boom", &(7,)).expect("encoding");
            let response = exchange(addr, &post("/", "", &call)).await;
            assert_eq!(
                fault_code(&response),
                Fault::INTERNAL_ERROR,
                "{}",
                response.text()
            );
            check_add(addr, 2, 3).await;
        }
        let call = xmlrpc::call_to_vec("boom", &(-7,)).expect("encoding");
        let response = exchange(addr, &post("/", "", &call)).await;
        assert_eq!(answer(&response), Ok(Value::from(-7)));

        // Inside a multicall, the panic is that call's fault; the others are answered.
        let calls = vec![
            Value::from(xmlrpc::Struct::from_iter([
                ("methodName".to_owned(), Value::from("boom")),
                ("params".to_owned(), Value::Array(vec![Value::from(1)])),
            ])),
            Value::from(xmlrpc::Struct::from_iter([
                ("methodName".to_owned(), Value::from("getData")),
                ("params".to_owned(), Value::Array(vec![])),
            ])),
        ];
        let call = xmlrpc::call_to_vec("system.multicall", &(calls,)).expect("encoding");
        let response = exchange(addr, &post("/", "", &call)).await;
        let results = answer(&response).expect("multicall answers");
        let results = match results {
            Value::Array(items) => items,
            other => panic!("not an array: {other:?}"),
        };
        assert_eq!(results.len(), 2);
        assert_eq!(results[0]["faultCode"], Value::from(Fault::INTERNAL_ERROR));
        assert_eq!(results[1], Value::Array(vec![Value::from("42")]));
    });
}

#[test]
fn other_http_methods_and_paths_are_refused() {
    let server = TestServer::start(router(endpoint()));
    let addr = server.addr();
    server.block_on(async {
        for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"] {
            let raw = request(&format!("{method} /RPC2 HTTP/1.1"), b"");
            let response = if method == "HEAD" {
                exchange_head(addr, &raw).await
            } else {
                exchange(addr, &raw).await
            };
            assert_eq!(response.status, 405, "{method}");
            assert_eq!(response.header("allow"), Some("POST"), "{method}");
        }
        for path in ["/RPC3", "/rpc2", "/RPC2/x", "/index.html"] {
            let response = exchange(addr, &post(path, "", &add_call(1, 2))).await;
            assert_eq!(response.status, 404, "{path}");
        }
    });
}

/// What a method saw of its request.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Seen {
    user: Option<String>,
    agent: Option<String>,
    request_id: Option<i64>,
    peer: Option<String>,
    path: String,
}

/// Attached to requests by middleware.
#[derive(Debug, Clone, Copy)]
pub struct RequestId(pub i64);

pub struct Introspective;

#[xmlrpc_service]
impl Introspective {
    /// Reports what the context carries.
    pub fn seen(&self, ctx: &Context) -> Seen {
        Seen {
            user: ctx.header("x-user").map(str::to_owned),
            agent: ctx.header("user-agent").map(str::to_owned),
            request_id: ctx.extensions().get::<RequestId>().map(|r| r.0),
            peer: ctx.peer_addr().map(|a| a.to_string()),
            path: ctx.path().to_owned(),
        }
    }
}

#[test]
fn methods_see_headers_extensions_and_the_peer() {
    let registry = Registry::new().service(Introspective);
    let router = XmlRpc::new(Endpoint::new(registry).log_requests(false))
        .into_router()
        .layer(axum::middleware::from_fn(
            |mut request: Request, next: Next| async move {
                request.extensions_mut().insert(RequestId(4242));
                next.run(request).await
            },
        ));
    let server = TestServer::start(router);
    let addr = server.addr();
    server.block_on(async {
        let call = xmlrpc::call_to_vec("seen", &()).expect("encoding");
        let mut stream = TcpStream::connect(addr).await.expect("connecting");
        let local = stream.local_addr().expect("the client's address");
        let raw = post(
            "/RPC2",
            "X-User: ada\r\nUser-Agent: hostile-tests/1\r\n",
            &call,
        );
        stream.write_all(&raw).await.expect("writing");
        let response = read_response(&mut stream).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let seen: MethodResponse<Seen> =
            xmlrpc::response_from_slice(&response.body).expect("a methodResponse");
        let seen = seen.into_result().expect("seen answers");
        assert_eq!(
            seen,
            Seen {
                user: Some("ada".to_owned()),
                agent: Some("hostile-tests/1".to_owned()),
                request_id: Some(4242),
                peer: Some(local.to_string()),
                path: "/RPC2".to_owned(),
            }
        );
    });
}
