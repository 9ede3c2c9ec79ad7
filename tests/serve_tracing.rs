//! The endpoint's span per call and its outcome hook, whichever transport carries the call:
//! a method's own events carry `rpc.method`, the request line's level is the user's, and a
//! metrics hook sees every call's method and fault code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use xmlrpc::Peer;
use xmlrpc_axum::{Server, XmlRpc};
use xmlrpc_tests::capture::{Capture, Captured};
use xmlrpc_tests::server;
use xmlrpc_tests::serving::{self, answer, call};

fn subscriber(out: &Captured, filter: &str) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(out.clone())
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .finish()
}

#[test]
fn a_methods_events_carry_the_calls_span() {
    let out = Captured::default();
    let endpoint = serving::endpoint().log_requests(true);
    Capture::with(subscriber(&out, "info"), || {
        let request = http::Request::post("/RPC2")
            .body(call("hello", &()))
            .expect("a request");
        let exchange = endpoint.handle_blocking(request, Peer::Local);
        assert_eq!(
            answer::<String>(exchange.response.body()),
            Ok("hello".to_owned())
        );
    });
    let text = out.text();
    let inside = text
        .lines()
        .find(|line| line.contains("hello from inside the method"))
        .unwrap_or_else(|| panic!("no event from the method:\n{text}"));
    assert!(inside.contains("xmlrpc.call{"), "{inside}");
    assert!(inside.contains("rpc.system=\"xmlrpc\""), "{inside}");
    assert!(inside.contains("rpc.method=\"hello\""), "{inside}");
    let line = text
        .lines()
        .find(|line| line.contains("xmlrpc request") && line.contains("method=\"hello\""))
        .unwrap_or_else(|| panic!("no request line:\n{text}"));
    assert!(line.contains("status=200"), "{line}");
}

#[test]
fn the_request_lines_level_is_the_users() {
    for (level, shown) in [(tracing::Level::INFO, true), (tracing::Level::DEBUG, false)] {
        let out = Captured::default();
        let endpoint = serving::endpoint()
            .log_requests(true)
            .request_log_level(level);
        Capture::with(subscriber(&out, "info"), || {
            let request = http::Request::post("/")
                .body(call("add", &(1, 2)))
                .expect("a request");
            let exchange = endpoint.handle_blocking(request, Peer::Local);
            assert_eq!(exchange.outcome.status, 200);
        });
        assert_eq!(
            out.text().contains("xmlrpc request"),
            shown,
            "{level}: {}",
            out.text()
        );
    }
    // Off is off, at any level.
    let out = Captured::default();
    Capture::with(subscriber(&out, "trace"), || {
        let request = http::Request::post("/")
            .body(call("add", &(1, 2)))
            .expect("a request");
        serving::endpoint().handle_blocking(request, Peer::Local);
    });
    assert!(!out.text().contains("xmlrpc request"), "{}", out.text());
}

/// Calls by method and fault code.
type Counts = HashMap<(String, Option<i32>), u32>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_hook_counts_calls_by_method_over_http() {
    let counts: Arc<Mutex<Counts>> = Arc::default();
    let seen = Arc::clone(&counts);
    let endpoint = serving::endpoint().on_outcome(move |outcome| {
        let method = outcome.method.clone().unwrap_or_else(|| "-".to_owned());
        *seen
            .lock()
            .expect("the counts")
            .entry((method, outcome.fault_code))
            .or_default() += 1;
    });
    let running = serving::spawn_http(
        Server::new(),
        serving::loopback().await,
        XmlRpc::new(endpoint),
    );
    let addr = running.tcp();
    for body in [
        call("add", &(1, 2)),
        call("add", &(3, 4)),
        call("nosuch", &()),
    ] {
        let response = server::exchange(addr, &server::post("/RPC2", "", &body)).await;
        assert_eq!(response.status, 200);
    }
    // Refused by the endpoint before the body is read: seen too.
    let too_large = server::exchange(
        addr,
        b"POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(too_large.status, 413);
    running.stop().await;
    let counts = counts.lock().expect("the counts");
    assert_eq!(counts.get(&("add".to_owned(), None)), Some(&2));
    assert_eq!(counts.get(&("nosuch".to_owned(), Some(-32601))), Some(&1));
    assert_eq!(counts.get(&("-".to_owned(), None)), Some(&1), "{counts:?}");
}
