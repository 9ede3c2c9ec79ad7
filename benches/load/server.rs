//! The Rust servers of the load benchmark, and its request bodies.
//!
//! ```text
//! load_server ours PORT      # our #[xmlrpc_service] on xmlrpc-axum, request log off
//! load_server dxr PORT       # dxr_server 0.9 (axum) with the same two methods
//! load_server bare PORT      # axum handler: reads the body, returns a constant response
//! load_server payloads DIR   # writes DIR/add.xml and DIR/echo.xml
//! ```
//!
//! Every server listens on 127.0.0.1 only, answers POST at `/` with `add(i32, i32) -> i32`
//! and `echo(array of structs) -> the same array`, and runs until it is killed. The tokio
//! runtime sizes itself from the CPU affinity, so under `taskset -c 0` each one has a single
//! worker thread. run.sh drives them; see BENCHMARKS.md for the results.

use std::net::SocketAddr;
use std::path::Path;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dxr::{TryFromParams, TryFromValue, TryToValue};
use dxr_server::{HandlerFn, HandlerResult, RouteBuilder};
use serde::{Deserialize, Serialize};
use xmlrpc::xmlrpc_service;

/// The payload generator of the codec benchmark: byte for byte what CPython's
/// `xmlrpc.client.dumps` writes. (It is written for the workspace's older MSRV, hence the
/// `is_multiple_of` allowance under this package's 1.88.)
#[allow(dead_code, clippy::manual_is_multiple_of)]
#[path = "../../xmlrpc/benches/support/payload.rs"]
mod payload;

/// A struct of the codec benchmark's data set, with our date-time type.
#[derive(Debug, Serialize, Deserialize)]
struct Item {
    id: i32,
    name: String,
    score: f64,
    tags: Vec<String>,
    when: xmlrpc::DateTime,
}

/// Our service: the two methods of the benchmark (public methods are the exported ones).
struct Bench;

#[xmlrpc_service]
impl Bench {
    /// Adds two integers.
    pub fn add(&self, a: i32, b: i32) -> i32 {
        a.wrapping_add(b)
    }

    /// Returns its argument.
    pub fn echo(&self, items: Vec<Item>) -> Vec<Item> {
        items
    }
}

/// The same struct for dxr, through its derive macros.
#[derive(Debug, TryFromValue, TryToValue)]
struct DxrItem {
    id: i32,
    name: String,
    score: f64,
    tags: Vec<String>,
    when: dxr::DateTime,
}

fn dxr_add(params: &[dxr::Value], _headers: axum::http::HeaderMap) -> HandlerResult {
    let (a, b) = <(i32, i32)>::try_from_params(params)?;
    Ok(a.wrapping_add(b).try_to_value()?)
}

fn dxr_echo(params: &[dxr::Value], _headers: axum::http::HeaderMap) -> HandlerResult {
    let [items] = params else {
        return Err(dxr::Fault::new(400, "echo takes one argument".to_owned()));
    };
    let items = Vec::<DxrItem>::try_from_value(items)?;
    Ok(items.try_to_value()?)
}

/// Python's layout of the `add(2, 3)` response, 5 in an `<int>`.
const ADD_RESPONSE: &str = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>5</int></value>\n</param>\n</params>\n</methodResponse>\n";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, arg) = match args.as_slice() {
        [mode, arg] => (mode.as_str(), arg.as_str()),
        _ => usage(),
    };
    if mode == "payloads" {
        write_payloads(Path::new(arg));
        return;
    }
    let port: u16 = arg.parse().unwrap_or_else(|_| usage());
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let served = match mode {
        "ours" => serve_ours(addr).await,
        "dxr" => serve_dxr(addr).await,
        "bare" => serve_bare(addr).await,
        _ => usage(),
    };
    if let Err(e) = served {
        eprintln!("load_server {mode}: {e}");
        std::process::exit(1);
    }
}

fn usage() -> ! {
    eprintln!("usage: load_server (ours|dxr|bare) PORT | load_server payloads DIR");
    std::process::exit(2)
}

async fn serve_ours(addr: SocketAddr) -> std::io::Result<()> {
    let registry = xmlrpc::Registry::new().service(Bench);
    let endpoint = xmlrpc::Endpoint::new(registry).log_requests(false);
    xmlrpc_axum::serve_endpoint(addr, endpoint).await
}

async fn serve_dxr(addr: SocketAddr) -> std::io::Result<()> {
    let route = RouteBuilder::new()
        .add_method("add", Box::new(dxr_add as HandlerFn))
        .add_method("echo", Box::new(dxr_echo as HandlerFn))
        .build();
    dxr_server::Server::from_route(route)
        .serve(addr)
        .await
        .map_err(std::io::Error::other)
}

/// The ceiling of the HTTP stack: axum and hyper, the body read whole as every XML-RPC
/// server must, and a constant response (the `add` one for a small body, the echo of the
/// 1000 structs for a large one) with no XML work at all.
async fn serve_bare(addr: SocketAddr) -> std::io::Result<()> {
    let large = Bytes::from(payload::medium_response());
    let router = axum::Router::new().route(
        "/",
        axum::routing::post(move |body: Bytes| {
            let large = large.clone();
            async move {
                let body = if body.len() < 1024 {
                    Bytes::from_static(ADD_RESPONSE.as_bytes())
                } else {
                    large
                };
                let mut response: Response = body.into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
                response
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router).await
}

/// The two request bodies, checked against the sizes CPython produces.
fn write_payloads(dir: &Path) {
    payload::assert_reference_sizes();
    std::fs::create_dir_all(dir).expect("create the payload directory");
    for (name, body) in [
        ("add.xml", payload::add_call()),
        ("echo.xml", payload::echo_call()),
    ] {
        std::fs::write(dir.join(name), body).expect("write a payload");
    }
}
