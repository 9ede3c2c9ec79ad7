//! The caps on gzip-decoded bodies, measured: a bomb that inflates to 1 GiB is refused by
//! the server's endpoint and by the client while the heap stays under the cap plus a small
//! margin, counted by a global allocator.
//!
//! Each case runs alone in a child process of this test binary, so that no other test
//! allocates while the heap is measured.

use std::io::{Read, Write};
use std::net::TcpListener;

use flate2::Compression;
use flate2::write::GzEncoder;
use xmlrpc::endpoint::{Endpoint, Rejection};
use xmlrpc::{Peer, Registry};

#[global_allocator]
static ALLOC: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

/// How much a case may allocate beyond its cap: buffers, the request, the runtime.
const MARGIN: usize = 2 << 20;

/// The decoded size a bomb claims: 1 GiB.
const BOMB: usize = 1 << 30;

/// A gzip body that inflates to [`BOMB`] zero bytes: one member of 1 MiB of zeros, repeated,
/// since consecutive gzip members decode as one body. About a megabyte on the wire.
fn bomb() -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(&vec![0u8; 1 << 20])
        .expect("compressing into memory");
    let member = encoder.finish().expect("compressing into memory");
    member.repeat(BOMB >> 20)
}

/// Runs test `name` alone in a child process, unless this is that child.
fn in_child(name: &str) -> bool {
    const CHILD: &str = "XMLRPC_GZIP_CAPS_CHILD";
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let status = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .status()
        .expect("running the test in a child process");
    assert!(status.success(), "{name} failed in its child process");
    false
}

/// The peak heap while `run` runs, above what was allocated before it.
fn peak_during<T>(run: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOC.allocated();
    assert!(
        ALLOC.max_allocated() <= before + MARGIN,
        "the child allocated much before the measure"
    );
    let out = run();
    (out, ALLOC.max_allocated().saturating_sub(before))
}

#[test]
fn the_endpoint_refuses_a_gzip_bomb_within_its_decoded_limit() {
    if !in_child("the_endpoint_refuses_a_gzip_bomb_within_its_decoded_limit") {
        return;
    }
    const LIMIT: usize = 8 << 20;
    let body = bomb();
    let endpoint = Endpoint::new(Registry::new().function("ping", || "pong"))
        .wire_limit(4 << 20)
        .decoded_limit(LIMIT)
        .log_requests(false);
    let request = http::Request::post("/RPC2")
        .header("content-encoding", "gzip")
        .body(&body[..])
        .expect("a request");
    let (exchange, peak) = peak_during(|| endpoint.handle_blocking(request, Peer::Local));
    println!(
        "endpoint: {} bytes of gzip claiming {BOMB} decoded: peak {peak} bytes for a limit of {LIMIT}",
        body.len()
    );
    assert_eq!(
        exchange.outcome.rejection,
        Some(Rejection::DecodedTooLarge { limit: LIMIT })
    );
    assert_eq!(exchange.response.status(), 413);
    assert!(
        peak <= LIMIT + MARGIN,
        "decoding the bomb peaked at {peak} bytes, over the limit {LIMIT} plus {MARGIN}"
    );
}

#[test]
fn the_client_refuses_a_gzip_bomb_within_its_response_limit() {
    if !in_child("the_client_refuses_a_gzip_bomb_within_its_response_limit") {
        return;
    }
    const LIMIT: usize = 8 << 20;
    let body = bomb();
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    // A hostile server: whatever the client asks, it answers with the bomb.
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    let client = xmlrpc::client::blocking::Client::builder(&format!("http://{addr}/RPC2"))
        .limits(xmlrpc::Limits::default().max_input(LIMIT))
        .build_blocking()
        .expect("a client");
    let (result, peak) = peak_during(|| client.call::<String>("ping", &()));
    println!("client: answer claiming {BOMB} decoded: peak {peak} bytes for a limit of {LIMIT}");
    let err = result.expect_err("the bomb is refused");
    println!("client: {err}");
    assert!(
        matches!(&err, xmlrpc::CallError::Decode(e) if e.to_string().contains("response size exceeds the limit")),
        "{err:?}"
    );
    // The wire body (about a megabyte) is read whole before it is inflated.
    assert!(
        peak <= LIMIT + MARGIN,
        "decoding the bomb peaked at {peak} bytes, over the limit {LIMIT} plus {MARGIN}"
    );
    server.join().expect("the server thread");
}
