//! The case table of `cases.rs`, run against the endpoint directly, over HTTP through
//! `xmlrpc-axum`, and through the CGI adapter: one behaviour under every transport.
//!
//! Each test runs every row its transport can express and reports every row that fails.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use xmlrpc::Peer;
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::cases::{self, Case, Delivery, Got, Transport};
use xmlrpc_tests::server::{TestServer, read_response};

/// The CGI program serving the table's endpoint.
const CGI: &str = env!("CARGO_BIN_EXE_cgi-cases");

/// How many rows the table has.
const ROWS: usize = 39;

/// Runs every row `transport` can express through `run`, and fails with every mismatch.
fn run_table(transport: Transport, mut run: impl FnMut(&Case) -> Got) {
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut skipped = Vec::new();
    for case in cases::cases() {
        if let Some(why) = case.inexpressible(transport) {
            println!("{:<45} not under {transport:?}: {why}", case.name);
            skipped.push(case.name);
            continue;
        }
        ran += 1;
        let got = run(&case);
        match cases::check(&case, &got) {
            Ok(()) => println!("{:<45} ok", case.name),
            Err(e) => failures.push(format!("{}: {e}", case.name)),
        }
    }
    // The rows a transport cannot express, written out: any other row runs everywhere.
    let inexpressible: &[&str] = match transport {
        Transport::Endpoint => &["slow_body_is_408", "short_body_is_400"],
        Transport::Axum => &["short_body_is_400"],
        Transport::Cgi => &["chunked_body", "slow_body_is_408"],
    };
    assert_eq!(skipped, inexpressible, "rows skipped under {transport:?}");
    assert_eq!(
        ran,
        ROWS - inexpressible.len(),
        "rows run under {transport:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {ran} rows failed under {transport:?}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_table_has_a_row_per_behaviour() {
    let cases = cases::cases();
    assert_eq!(cases.len(), ROWS);
    let mut names: Vec<_> = cases.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "row names are unique");
}

#[test]
fn every_row_against_the_endpoint() {
    let plain = cases::endpoint(false);
    let documented = cases::endpoint(true);
    run_table(Transport::Endpoint, |case| {
        let endpoint = if case.documented { &documented } else { &plain };
        let mut request = http::Request::builder().method(case.method).uri(case.path);
        for (name, value) in &case.headers {
            request = request.header(*name, value);
        }
        let request = request.body(case.body.clone()).expect("a valid request");
        let peer = Peer::Tcp("127.0.0.1:40000".parse().expect("an address"));
        let exchange = endpoint.handle_blocking(request, peer);
        assert_eq!(exchange.outcome.status, exchange.response.status());
        let (parts, body) = exchange.response.into_parts();
        Got {
            status: parts.status.as_u16(),
            fields: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        }
    });
}

#[test]
fn every_row_over_http_through_axum() {
    let plain = TestServer::start(XmlRpc::new(cases::endpoint(false)).into_router());
    let documented = TestServer::start(XmlRpc::new(cases::endpoint(true)).into_router());
    run_table(Transport::Axum, |case| {
        let server = if case.documented { &documented } else { &plain };
        server.block_on(over_http(server.addr(), case))
    });
}

/// Sends the row's request as raw HTTP/1.1 bytes and reads the answer.
async fn over_http(addr: SocketAddr, case: &Case) -> Got {
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
        case.method, case.path
    );
    for (name, value) in &case.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_length = case.headers.iter().any(|(n, _)| *n == "content-length");
    let mut raw = Vec::new();
    match case.delivery {
        Delivery::Whole => {
            if !has_length {
                head.push_str(&format!("Content-Length: {}\r\n", case.body.len()));
            }
            raw.extend_from_slice(head.as_bytes());
            raw.extend_from_slice(b"\r\n");
            raw.extend_from_slice(&case.body);
        }
        Delivery::Chunked => {
            head.push_str("Transfer-Encoding: chunked\r\n\r\n");
            raw.extend_from_slice(head.as_bytes());
            for chunk in case.body.chunks(50) {
                raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                raw.extend_from_slice(chunk);
                raw.extend_from_slice(b"\r\n");
            }
            raw.extend_from_slice(b"0\r\n\r\n");
        }
        Delivery::Stalled => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", case.body.len()));
            raw.extend_from_slice(head.as_bytes());
            raw.extend_from_slice(&case.body[..case.body.len() / 2]);
        }
    }
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    // A server that refuses a body may answer and close before reading all of it.
    let _ = stream.write_all(&raw).await;
    let response = if case.method == "HEAD" {
        xmlrpc_tests::server::read_head(&mut stream).await
    } else {
        read_response(&mut stream).await
    };
    Got {
        status: response.status,
        fields: response.headers,
        body: response.body,
    }
}

#[test]
fn every_row_through_the_cgi_adapter() {
    run_table(Transport::Cgi, |case| {
        let mut command = Command::new(CGI);
        if case.documented {
            command.arg("--documented");
        }
        command
            .env_clear()
            .env("GATEWAY_INTERFACE", "CGI/1.1")
            .env("REQUEST_METHOD", case.method)
            .env("SCRIPT_NAME", "/cgi-bin/probe")
            .env("PATH_INFO", case.path)
            .env("REMOTE_ADDR", "127.0.0.1")
            .env("REMOTE_PORT", "40000");
        let mut stdin = case.body.clone();
        let mut has_length = false;
        for (name, value) in &case.headers {
            match *name {
                "content-length" => {
                    has_length = true;
                    command.env("CONTENT_LENGTH", value);
                }
                "content-type" => {
                    command.env("CONTENT_TYPE", value);
                }
                other => {
                    command.env(
                        format!("HTTP_{}", other.to_ascii_uppercase().replace('-', "_")),
                        value,
                    );
                }
            }
        }
        if !has_length {
            command.env("CONTENT_LENGTH", case.body.len().to_string());
        }
        if case.delivery == Delivery::Stalled {
            stdin.truncate(case.body.len() / 2);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {CGI}: {e}"));
        let mut input = child.stdin.take().expect("piped stdin");
        // The script stops reading at CONTENT_LENGTH, or does not read at all.
        let _ = input.write_all(&stdin);
        drop(input);
        let out = child
            .wait_with_output()
            .expect("waiting for the CGI program");
        assert!(
            out.status.success(),
            "the CGI program failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        cgi_output(&out.stdout)
    });
}

/// CGI output as a response: the `Status` line's code, the other header fields, the body.
fn cgi_output(raw: &[u8]) -> Got {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no blank line in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..split]).expect("ASCII CGI headers");
    let mut status = None;
    let mut fields = Vec::new();
    for line in head.split("\r\n") {
        let (name, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("not a header line: {line:?}"));
        if name == "Status" {
            status = value.get(..3).and_then(|code| code.parse().ok());
        } else {
            fields.push((name.to_ascii_lowercase(), value.to_owned()));
        }
    }
    let body = raw[split + 4..].to_vec();
    if let Some((_, length)) = fields.iter().find(|(n, _)| n == "content-length") {
        let length: usize = length.parse().expect("a Content-Length number");
        // A HEAD answer announces the page it leaves out.
        assert!(
            length == body.len() || body.is_empty(),
            "Content-Length {length} for {} bytes",
            body.len()
        );
    }
    Got {
        status: status.expect("a Status header"),
        fields,
        body,
    }
}
