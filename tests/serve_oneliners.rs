//! The one-line ways to serve, run end to end on loopback: `serve_router` with the XML-RPC
//! router nested in an app (a method sees its caller's address; the nested documentation
//! page and its plain form work at the nested path), `serve_endpoint` and `serve`.
//!
//! Each runs until the test's runtime ends, as it would until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use xmlrpc::{DocPage, Endpoint, Registry};
use xmlrpc_axum::XmlRpc;
use xmlrpc_tests::server::{self, HANG_GUARD, RawResponse};
use xmlrpc_tests::serving::{self, Probe, answer, call};

/// A free loopback address, for the one-liners that bind an address themselves.
fn free_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], server::free_port()))
}

/// Waits until `addr` accepts connections, within the hang guard.
async fn wait_for(addr: SocketAddr) {
    let deadline = tokio::time::Instant::now() + HANG_GUARD;
    while TcpStream::connect(addr).await.is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "nothing listens on {addr}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sends `raw` on a new connection and reads the answer, with the connection's own address.
async fn exchange_from(addr: SocketAddr, raw: &[u8]) -> (SocketAddr, RawResponse) {
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    let local = stream.local_addr().expect("the client's address");
    stream.write_all(raw).await.expect("writing the request");
    (local, server::read_response(&mut stream).await)
}

#[tokio::test]
async fn serve_router_serves_a_nested_router_with_peers_and_its_page() {
    let rpc = XmlRpc::new(
        Endpoint::new(Registry::new().service(Probe))
            .paths(["/"])
            .documentation(DocPage::new().title("Probe")),
    )
    .into_router();
    let app = axum::Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest("/RPC2", rpc);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    tokio::spawn(xmlrpc_axum::serve_router(listener, app));

    // The method reads the address of the connection that called it.
    let (client, got) = exchange_from(addr, &server::post("/RPC2", "", &call("peer", &()))).await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(answer::<String>(&got.body), Ok(client.to_string()));

    // The app's own route beside it.
    let (_, health) = exchange_from(addr, &server::request("GET /health HTTP/1.1", b"")).await;
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));

    // The page at the nested path; its forms post back to the page's own address.
    let (_, page) = exchange_from(addr, &server::request("GET /RPC2 HTTP/1.1", b"")).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<title>Probe</title>"), "{html}");
    assert!(
        html.contains("<form class=\"try\" method=\"post\" accept-charset=\"utf-8\"><input type=\"hidden\" name=\"method\" value=\"add\">"),
        "{html}"
    );

    // The form as a browser posts it there, from the page's own origin.
    let body = "method=add&p1=2&p2=3";
    let form = format!(
        "POST /RPC2 HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (_, answered) = exchange_from(addr, form.as_bytes()).await;
    assert_eq!(answered.status, 200, "{}", answered.text());
    let html = answered.text();
    assert!(
        html.contains("<div class=\"result\"><code>5</code> <span class=\"hint\">int</span></div>"),
        "{html}"
    );
}

#[tokio::test]
async fn serve_endpoint_and_serve_answer_on_the_address_they_are_given() {
    let endpoint_addr = free_addr();
    tokio::spawn(xmlrpc_axum::serve_endpoint(
        endpoint_addr,
        serving::endpoint().paths(["/RPC2"]),
    ));
    let registry_addr = free_addr();
    tokio::spawn(xmlrpc_axum::serve(
        registry_addr,
        Registry::new().service(Probe),
    ));

    for (addr, path) in [
        (endpoint_addr, "/RPC2"),
        (registry_addr, "/RPC2"),
        (registry_addr, "/"),
    ] {
        wait_for(addr).await;
        let (client, got) = exchange_from(addr, &server::post(path, "", &call("peer", &()))).await;
        assert_eq!(got.status, 200, "{addr}: {}", got.text());
        assert_eq!(
            answer::<String>(&got.body),
            Ok(client.to_string()),
            "{addr}"
        );
        let (_, sum) = exchange_from(addr, &server::post(path, "", &call("add", &(2, 3)))).await;
        assert_eq!(answer::<i32>(&sum.body), Ok(5), "{addr}");
    }
    // `serve_endpoint` serves only the paths it is given.
    let (_, elsewhere) = exchange_from(
        endpoint_addr,
        &server::post("/other", "", &call("add", &(2, 3))),
    )
    .await;
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.text());
}
