//! Against the toolkit's own axum server.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use xmlrpc::client::Client;
use xmlrpc::{Fault, Value};

use super::*;

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
