//! Against the toolkit's own axum server.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use xmlrpc::client::Client;
use xmlrpc::{CallError, Fault, Value};
use xmlrpc_tests::capture::{Capture, Captured};

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

/// The time zone the demo program runs in for the time test: five and a half hours east
/// of UTC all year, so a server that ignored its zone (or answered in UTC) is off by 5:30.
const SERVER_ZONE: &str = "Asia/Kolkata";

#[tokio::test]
async fn the_current_time_is_local_to_the_server() {
    let server = tokio::task::spawn_blocking(|| {
        xmlrpc_tests::examples::ExampleServer::start_with_env(
            "demo_server",
            &[],
            &[("TZ", SERVER_ZONE)],
        )
    })
    .await
    .expect("the demo server starts");
    let now = demo::CurrentTimeClient::new(client(&server.url("/RPC2")))
        .get_current_time()
        .await
        .expect("the time");
    // XML-RPC's dateTime carries no offset: the wall-clock time in the server's zone.
    assert_eq!(now.offset(), None, "{now}");
    let there = chrono::Utc::now().naive_utc() + chrono::Duration::minutes(5 * 60 + 30);
    let skew = (now.naive_local() - there).num_seconds().abs();
    assert!(
        skew < 120,
        "{now} is not the time in {SERVER_ZONE} ({there}): {skew} s apart"
    );
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
    // The server's zone is this process's here, so the zone itself is checked against the
    // demo program run in a zone of its own (`the_current_time_is_local_to_the_server`).
    let now = CurrentTimeClient::new(client.clone())
        .get_current_time()
        .await
        .expect("the time");
    assert_eq!(now.offset(), None, "{now}");

    let methods: Vec<String> = client
        .call("system.listMethods", ())
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
        .call("getData", ())
        .call("pow", (2, 9))
        .call("add", (1, 2));
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
    assert_eq!(client.call::<i64>("pow", (2, 9)).await.expect("pow"), 512);
    assert_eq!(client.call::<i64>("add", (2, 3)).await.expect("add"), 5);
    assert_eq!(
        client.call::<String>("getData", ()).await.expect("getData"),
        "42"
    );
    // A large answer: the server compresses it (over its 1400-byte threshold) because the
    // client accepts gzip, and the client inflates it.
    let items: Vec<String> = (0..2000).map(|i| format!("item {i} <&>")).collect();
    let back: Vec<String> = client.call("echo", (&items,)).await.expect("echo");
    assert_eq!(back, items);
    let results = client
        .multicall()
        .call("getData", ())
        .call("pow", (2, 100))
        .call("add", (1, 2))
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

/// Methods that report what the request carried, and a slow one.
struct Probe;

#[xmlrpc::xmlrpc_service]
impl Probe {
    /// The request's header `name`, or `""`.
    pub fn header(&self, ctx: &xmlrpc::Context, name: String) -> String {
        ctx.header(&name).unwrap_or_default().to_owned()
    }

    /// How many parameters came, and the type of the first.
    pub fn count(&self, first: Value, rest: Option<Value>) -> (i32, String) {
        (
            if rest.is_some() { 2 } else { 1 },
            first.type_name().to_owned(),
        )
    }

    /// Answers after `millis` milliseconds.
    pub async fn slow(&self, millis: u64) -> bool {
        tokio::time::sleep(Duration::from_millis(millis)).await;
        true
    }

    /// A large answer.
    pub fn large(&self) -> Vec<String> {
        (0..2000).map(|i| format!("item {i}")).collect()
    }
}

/// The probe served by the toolkit's axum server, every answer carrying `X-Server: probe`
/// and counted when gzip-compressed.
async fn probe_server(gzipped: Arc<AtomicUsize>) -> xmlrpc_tests::server::TestServer {
    let router = xmlrpc_axum::XmlRpc::new(xmlrpc::Registry::new().service(Probe))
        .into_router()
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let gzipped = Arc::clone(&gzipped);
                async move {
                    let mut response = next.run(request).await;
                    if response
                        .headers()
                        .get("content-encoding")
                        .is_some_and(|v| v == "gzip")
                    {
                        gzipped.fetch_add(1, Ordering::SeqCst);
                    }
                    response
                        .headers_mut()
                        .insert("x-server", http::HeaderValue::from_static("probe"));
                    response
                }
            },
        ));
    tokio::task::spawn_blocking(move || xmlrpc_tests::server::TestServer::start(router))
        .await
        .expect("the server starts")
}

async fn stop(server: xmlrpc_tests::server::TestServer) {
    tokio::task::spawn_blocking(move || drop(server))
        .await
        .expect("the server stops");
}

#[tokio::test]
async fn a_supplied_reqwest_client_is_the_one_that_sends() {
    let server = probe_server(Arc::default()).await;
    let mut defaults = xmlrpc::client::reqwest::header::HeaderMap::new();
    defaults.insert("x-tenant", http::HeaderValue::from_static("acme"));
    let http = xmlrpc::client::reqwest::Client::builder()
        .default_headers(defaults)
        .user_agent("their-app/3.1")
        .build()
        .expect("a reqwest client");
    let client = Client::builder(&server.url("/RPC2"))
        .http_client(http)
        .header("X-Ours", "too")
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let probe = ProbeClient::new(client.clone());
    // Its default header and its User-Agent, beside the settings made here.
    assert_eq!(
        probe.header("x-tenant".into()).await.expect("header"),
        "acme"
    );
    assert_eq!(
        probe.header("user-agent".into()).await.expect("header"),
        "their-app/3.1"
    );
    assert_eq!(probe.header("x-ours".into()).await.expect("header"), "too");
    assert_eq!(
        probe.header("content-type".into()).await.expect("header"),
        "text/xml"
    );
    // The same through the shorthand.
    let http = xmlrpc::client::reqwest::Client::builder()
        .user_agent("shorthand/1")
        .build()
        .expect("a reqwest client");
    let short = Client::from_reqwest(http, &server.url("/RPC2")).expect("a valid client");
    assert_eq!(
        ProbeClient::new(short)
            .header("user-agent".into())
            .await
            .expect("header"),
        "shorthand/1"
    );
    stop(server).await;
}

#[tokio::test]
async fn per_call_headers_timeouts_and_the_answers_headers() {
    let server = probe_server(Arc::default()).await;
    let client = Client::builder(&server.url("/RPC2"))
        .header("X-Everywhere", "1")
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");

    let answer = client
        .request("header")
        .arg("x-session")
        .header("X-Session", "s-77")
        .send_response::<String>()
        .await
        .expect("an answer");
    assert_eq!(answer.value(), "s-77");
    assert_eq!(answer.status(), http::StatusCode::OK);
    assert_eq!(
        answer.headers().get("x-server").map(|v| v.as_bytes()),
        Some(&b"probe"[..])
    );
    // The per-call header is for that call only; the client's stays.
    let later: String = client
        .request("header")
        .arg("x-session")
        .send()
        .await
        .expect("a call");
    assert_eq!(later, "");
    let everywhere: String = client
        .request("header")
        .arg("x-everywhere")
        .send()
        .await
        .expect("a call");
    assert_eq!(everywhere, "1");

    // A timeout for one call, shorter than the client's.
    let err = client
        .request("slow")
        .arg(&(HANG_GUARD.as_millis() as u64 * 2))
        .timeout(Duration::from_millis(300))
        .send::<bool>()
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Timeout), "{err:?}");
    // And one longer than the method takes.
    assert!(
        client
            .request("slow")
            .arg(&10u64)
            .timeout(HANG_GUARD)
            .send::<bool>()
            .await
            .expect("in time")
    );
    stop(server).await;
}

#[tokio::test]
async fn each_way_of_writing_parameters_says_how_many_there_are() {
    #[derive(serde::Serialize)]
    struct Book {
        title: &'static str,
        pages: u32,
    }
    let server = probe_server(Arc::default()).await;
    let client = client(&server.url("/RPC2"));
    let book = Book {
        title: "Dune",
        pages: 412,
    };
    // A struct in a tuple: one parameter, a struct.
    let one: (i32, String) = client.call("count", (&book,)).await.expect("count");
    assert_eq!(one, (1, "struct".to_owned()));
    // Its fields as the parameters: two, a string first.
    let spread: (i32, String) = client
        .call("count", xmlrpc::Spread(&book))
        .await
        .expect("count");
    assert_eq!(spread, (2, "string".to_owned()));
    // A Vec in a tuple: one parameter, an array.
    let list: (i32, String) = client.call("count", (vec![1, 2],)).await.expect("count");
    assert_eq!(list, (1, "array".to_owned()));
    // The call builder: each arg one parameter.
    let built: (i32, String) = client
        .request("count")
        .arg(&book)
        .arg(&[1, 2])
        .send()
        .await
        .expect("count");
    assert_eq!(built, (2, "struct".to_owned()));
    stop(server).await;
}

#[tokio::test]
async fn gzip_is_asked_for_only_when_accepted() {
    let gzipped = Arc::new(AtomicUsize::new(0));
    let server = probe_server(gzipped.clone()).await;
    let accepting = client(&server.url("/RPC2"));
    let items: Vec<String> = accepting.call("large", ()).await.expect("large");
    assert_eq!(items.len(), 2000);
    assert_eq!(
        gzipped.load(Ordering::SeqCst),
        1,
        "compressed when accepted"
    );
    let refusing = Client::builder(&server.url("/RPC2"))
        .accept_gzip(false)
        .timeout(HANG_GUARD)
        .build()
        .expect("a valid client");
    let probe = ProbeClient::new(refusing.clone());
    assert_eq!(
        probe
            .header("accept-encoding".into())
            .await
            .expect("header"),
        ""
    );
    let items: Vec<String> = refusing.call("large", ()).await.expect("large");
    assert_eq!(items.len(), 2000);
    assert_eq!(
        gzipped.load(Ordering::SeqCst),
        1,
        "not compressed when refused"
    );
    stop(server).await;
}

#[tokio::test]
async fn each_call_has_a_span_with_the_method_the_server_and_the_fault() {
    let server = probe_server(Arc::default()).await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let capture = Capture::install(subscriber);

    let client = client(&server.url("/RPC2"));
    let url = client.url().to_owned();
    client
        .call::<String>("header", ("x",))
        .await
        .expect("header");
    let err = client.call::<i32>("no.such", ()).await.unwrap_err();
    assert_eq!(err.fault().map(Fault::code), Some(Fault::METHOD_NOT_FOUND));
    // Through `Caller`, as the typed clients send.
    let err = ProbeClient::new(client.clone())
        .count(Value::Nil, None)
        .await;
    assert!(err.is_ok(), "{err:?}");

    let text = captured.text();
    let spans: Vec<&str> = text.lines().filter(|l| l.contains("xmlrpc.call")).collect();
    assert_eq!(spans.len(), 3, "{text}");
    assert!(
        spans[0].contains(&format!(
            "rpc.system=\"xmlrpc\" rpc.method=\"header\" server.address={url}"
        )),
        "{text}"
    );
    assert!(!spans[0].contains("fault_code"), "{text}");
    assert!(
        spans[1].contains("rpc.method=\"no.such\"")
            && spans[1].contains(&format!(
                "rpc.xmlrpc.fault_code={}",
                Fault::METHOD_NOT_FOUND
            )),
        "{text}"
    );
    assert!(spans[2].contains("rpc.method=\"count\""), "{text}");
    drop(capture);
    stop(server).await;
}
