//! Every setting of the endpoint and the registry does what it says, seen from outside: over
//! HTTP where a transport is involved, through the endpoint or the registry otherwise.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower::ServiceExt;
use xmlrpc::endpoint::Endpoint;
use xmlrpc::{
    Context, Describe, Dialect, Fault, Limits, MethodResponse, Peer, Registry, Value,
    xmlrpc_service,
};
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::server::{TestServer, exchange, post};

fn registry() -> Registry {
    Registry::new()
        .function("add", |a: i32, b: i32| a + b)
        .function("big", || 5_000_000_000i64)
        .function("echo", |v: Value| v)
}

/// An answer from the endpoint, called directly, with `Accept-Encoding: gzip`.
fn answer_with_gzip_accepted(endpoint: &Endpoint) -> http::Response<Vec<u8>> {
    let request = http::Request::post("/RPC2")
        .header("accept-encoding", "gzip")
        .body(xmlrpc::call_to_vec("add", &(2, 3)).expect("a call"))
        .expect("a request");
    endpoint.handle_blocking(request, Peer::Local).response
}

#[test]
fn a_lower_gzip_threshold_compresses_small_answers() {
    let response = answer_with_gzip_accepted(&Endpoint::new(registry()).gzip_threshold(Some(10)));
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.headers()["vary"], "accept-encoding");
    let mut xml = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&response.body()[..]),
        &mut xml,
    )
    .expect("gzip");
    let sum: MethodResponse<i32> = xmlrpc::response_from_slice(&xml).expect("an answer");
    assert_eq!(sum.into_result(), Ok(5));
}

#[test]
fn no_gzip_threshold_never_compresses_and_sends_no_vary() {
    let endpoint = Endpoint::new(registry()).gzip_threshold(None);
    let big = http::Request::post("/RPC2")
        .header("accept-encoding", "gzip")
        .body(xmlrpc::call_to_vec("echo", &("x".repeat(100_000),)).expect("a call"))
        .expect("a request");
    let response = endpoint.handle_blocking(big, Peer::Local).response;
    assert_eq!(response.headers().get("content-encoding"), None);
    assert_eq!(response.headers().get("vary"), None);
    assert!(response.body().len() > 100_000);
}

#[tokio::test]
async fn the_router_as_a_tower_service() {
    let service = XmlRpc::new(registry()).into_service();
    let request = http::Request::post("/RPC2")
        .body(axum::body::Body::from(
            xmlrpc::call_to_vec("add", &(40, 2)).expect("a call"),
        ))
        .expect("a request");
    let response = service.oneshot(request).await.expect("infallible");
    assert_eq!(response.status(), 200);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("the body");
    let sum: MethodResponse<i32> = xmlrpc::response_from_slice(&body).expect("an answer");
    assert_eq!(sum.into_result(), Ok(42));
}

#[test]
fn endpoints_share_one_registry() {
    let shared = Arc::new(registry());
    let app = XmlRpc::new(Endpoint::shared(Arc::clone(&shared)).paths(["/a"]))
        .into_router()
        .merge(XmlRpc::new(Endpoint::from(Arc::clone(&shared)).paths(["/b"])).into_router());
    assert_eq!(Arc::strong_count(&shared), 3);
    let server = TestServer::start(app);
    for path in ["/a", "/b"] {
        let response = server.block_on(exchange(
            server.addr(),
            &post(
                path,
                "",
                &xmlrpc::call_to_vec("add", &(1, 2)).expect("a call"),
            ),
        ));
        assert_eq!(response.status, 200, "{path}");
        let sum: MethodResponse<i32> = xmlrpc::response_from_slice(&response.body).expect("xml");
        assert_eq!(sum.into_result(), Ok(3), "{path}");
    }
}

#[test]
fn the_registrys_limits_and_dialect_hold_over_http() {
    let registry = registry()
        .limits(Limits::default().max_depth(2))
        .dialect(Dialect::apache());
    let server = TestServer::start(XmlRpc::new(registry).into_router());
    let call = |body: Vec<u8>| {
        let response = server.block_on(exchange(server.addr(), &post("/RPC2", "", &body)));
        assert_eq!(response.status, 200);
        response.text()
    };
    // Arrays nested three deep: past the depth limit of 2.
    let deep = Value::Array(vec![Value::Array(vec![Value::Array(vec![Value::Array(
        vec![],
    )])])]);
    let answer = call(xmlrpc::call_to_vec("echo", &(deep,)).expect("a call"));
    let fault: MethodResponse<Value> = xmlrpc::response_from_str(&answer).expect("xml");
    assert_eq!(
        fault.into_result().map_err(|f| f.code()),
        Err(Fault::LIMIT_EXCEEDED),
        "{answer}"
    );
    // A 64-bit answer in Apache's spelling.
    let answer = call(xmlrpc::call_to_vec("big", &()).expect("a call"));
    assert!(
        answer.contains("<ex:i8>5000000000</ex:i8>"),
        "the apache dialect writes ex:i8: {answer}"
    );
}

/// Degrees, sent as a double whatever its serde form says.
#[derive(Debug, Serialize, Deserialize)]
pub struct Celsius(f64);

impl Describe for Celsius {
    fn xmlrpc_type() -> &'static str {
        "double"
    }
}

/// A reading.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reading {
    /// Where.
    pub place: String,
    /// How warm.
    pub degrees: f64,
}

/// A thermometer.
pub struct Thermometer;

#[xmlrpc_service(namespace = "thermo")]
impl Thermometer {
    /// Warms a temperature up by one degree.
    pub fn warmer(&self, t: Celsius) -> Celsius {
        Celsius(t.0 + 1.0)
    }

    /// Records a reading; says who asked.
    pub fn record(&self, ctx: &Context, reading: Reading, note: Option<String>) -> String {
        let _ = (reading, note);
        ctx.header("user-agent").unwrap_or("someone").to_owned()
    }
}

#[test]
fn method_info_and_methods_describe_user_types() {
    let registry = Registry::new()
        .service(Thermometer)
        .function("add", |a: i32, b: i32| a + b);
    let warmer = registry.method_info("thermo.warmer").expect("registered");
    assert_eq!(warmer.name, "thermo.warmer");
    assert_eq!(warmer.signatures, [vec!["double", "double"]]);
    assert_eq!(warmer.help, "Warms a temperature up by one degree.");
    assert_eq!(warmer.params, ["t"]);
    let record = registry.method_info("thermo.record").expect("registered");
    assert_eq!(
        record.signatures,
        [vec!["string", "struct"], vec!["string", "struct", "string"]]
    );
    assert_eq!(record.params, ["reading", "note"]);
    assert_eq!(registry.method_info("nosuch"), None);
    let names: Vec<String> = registry
        .methods()
        .into_iter()
        .map(|m| m.name.into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "add",
            "system.getCapabilities",
            "system.listMethods",
            "system.methodExist",
            "system.methodHelp",
            "system.methodSignature",
            "system.multicall",
            "thermo.record",
            "thermo.warmer"
        ]
    );
    assert_eq!(xmlrpc::type_of::<Reading>(), "struct");
    assert_eq!(xmlrpc::type_of::<Celsius>(), "double");
    assert_eq!(<Celsius as Describe>::xmlrpc_type(), "double");
}
