//! The runner's limits on what clients control: the header section's size (431 with the
//! reason), the header read timeout (a trickle is cut), the idle timeout, the connection
//! limit (the backlog waits), and the concurrency limit (503 with `Retry-After`, never a
//! queue without end). While a limit hits one client, the others are served.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use xmlrpc_axum::{Server, XmlRpc};
use xmlrpc_tests::server::{self, HANG_GUARD};
use xmlrpc_tests::serving::{self, answer, call};

fn app() -> XmlRpc {
    XmlRpc::new(serving::endpoint())
}

/// A normal call on its own connection, which must succeed.
async fn add_works(addr: std::net::SocketAddr) {
    let response = server::exchange(addr, &server::post("/RPC2", "", &call("add", &(2, 3)))).await;
    assert_eq!(response.status, 200);
    assert_eq!(answer::<i32>(&response.body), Ok(5));
}

fn keep_alive_post(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A request whose header section holds a 100 KB line.
fn huge_head() -> Vec<u8> {
    let body = call("add", &(2, 3));
    let mut out = format!(
        "POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: {}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        "a".repeat(100_000),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    out
}

/// Writes `raw` (ignoring a server that stops reading) and reads the response.
async fn send_and_read(stream: &mut TcpStream, raw: &[u8]) -> server::RawResponse {
    let (mut read, mut write) = stream.split();
    let writing = async {
        let _ = write.write_all(raw).await;
    };
    let (_, response) = tokio::join!(writing, serving::read_response(&mut read, Vec::new()));
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_100_kb_header_line_gets_431_with_the_reason() {
    let running = serving::spawn_http(Server::new(), serving::loopback().await, app());
    let addr = running.tcp();

    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    let response = send_and_read(&mut stream, &huge_head()).await;
    assert_eq!(response.status, 431);
    assert!(
        response
            .text()
            .contains("header section is larger than the limit of 16384 bytes"),
        "{}",
        response.text()
    );
    add_works(addr).await;

    // The same limit on a later request of a keep-alive connection.
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    stream
        .write_all(&keep_alive_post(&call("add", &(1, 1))))
        .await
        .expect("writing");
    let first = server::read_response(&mut stream).await;
    assert_eq!(answer::<i32>(&first.body), Ok(2));
    let second = send_and_read(&mut stream, &huge_head()).await;
    assert_eq!(second.status, 431);
    add_works(addr).await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_within_the_limit_is_served() {
    let running = serving::spawn_http(Server::new(), serving::loopback().await, app());
    let addr = running.tcp();
    let extra = format!("X-Fine: {}\r\n", "b".repeat(12_000));
    let response =
        server::exchange(addr, &server::post("/RPC2", &extra, &call("add", &(2, 3)))).await;
    assert_eq!(response.status, 200);
    running.stop().await;
}

/// Sends `prefix`, then a header line one byte every 200 ms, until the server closes the
/// connection; returns how many bytes of the trickle went out.
async fn trickle(mut stream: TcpStream, prefix: &[u8]) -> usize {
    stream.write_all(prefix).await.expect("writing");
    stream.write_all(b"X-Trickle: ").await.expect("writing");
    let (mut read, mut write) = stream.into_split();
    let closed = tokio::spawn(async move {
        let mut sink = [0u8; 1024];
        loop {
            match read.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    });
    let mut sent = 0;
    // At most 150 bytes (30 s): far beyond the 1 s timeout under test.
    while sent < 150 && !closed.is_finished() {
        if write.write_all(b"a").await.is_err() {
            break;
        }
        sent += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(closed.is_finished(), "the trickle was not cut");
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_trickle_is_cut_at_the_header_read_timeout() {
    let server = Server::new().header_read_timeout(Duration::from_secs(1));
    let running = serving::spawn_http(server, serving::loopback().await, app());
    let addr = running.tcp();

    let first = tokio::spawn(trickle(
        TcpStream::connect(addr).await.expect("connecting"),
        b"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    ));
    // Others are served meanwhile.
    add_works(addr).await;
    first.await.expect("the trickle");

    // On a keep-alive connection, the second request's head is timed too.
    let mut stream = TcpStream::connect(addr).await.expect("connecting");
    stream
        .write_all(&keep_alive_post(&call("add", &(1, 1))))
        .await
        .expect("writing");
    let answered = server::read_response(&mut stream).await;
    assert_eq!(answer::<i32>(&answered.body), Ok(2));
    trickle(stream, b"POST /RPC2 HTTP/1.1\r\n").await;
    add_works(addr).await;
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_sends_nothing_is_closed() {
    let server = Server::new().header_read_timeout(Duration::from_secs(1));
    let running = serving::spawn_http(server, serving::loopback().await, app());
    let mut silent = TcpStream::connect(running.tcp()).await.expect("connecting");
    let mut rest = Vec::new();
    tokio::time::timeout(HANG_GUARD, silent.read_to_end(&mut rest))
        .await
        .expect("the server closes a silent connection")
        .ok();
    assert!(rest.is_empty());
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_at_the_idle_timeout() {
    let server = Server::new()
        .idle_timeout(Duration::from_secs(1))
        .header_read_timeout(Duration::from_secs(30));
    let running = serving::spawn_http(server, serving::loopback().await, app());
    let mut stream = TcpStream::connect(running.tcp()).await.expect("connecting");
    stream
        .write_all(&keep_alive_post(&call("add", &(2, 2))))
        .await
        .expect("writing");
    let answered = server::read_response(&mut stream).await;
    assert_eq!(answer::<i32>(&answered.body), Ok(4));
    let mut rest = Vec::new();
    tokio::time::timeout(HANG_GUARD, stream.read_to_end(&mut rest))
        .await
        .expect("the server closes the idle connection")
        .ok();
    assert!(rest.is_empty());
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_max_connections_a_new_connection_waits_for_a_free_one() {
    let server = Server::new().max_connections(1);
    let running = serving::spawn_http(server, serving::loopback().await, app());
    let addr = running.tcp();

    let mut first = TcpStream::connect(addr).await.expect("connecting");
    first
        .write_all(&keep_alive_post(&call("add", &(1, 2))))
        .await
        .expect("writing");
    assert_eq!(
        answer::<i32>(&server::read_response(&mut first).await.body),
        Ok(3)
    );

    // The kernel takes the second connection into the backlog; the server does not accept
    // it while the first is open.
    let mut second = TcpStream::connect(addr).await.expect("connecting");
    second
        .write_all(&server::post("/RPC2", "", &call("add", &(3, 4))))
        .await
        .expect("writing");
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(300), second.read(&mut byte)).await;
    assert!(
        early.is_err(),
        "the second connection was served beside the first"
    );

    drop(first);
    let response =
        tokio::time::timeout(HANG_GUARD, serving::read_response(&mut second, Vec::new()))
            .await
            .expect("served once the first connection closed");
    assert_eq!(answer::<i32>(&response.body), Ok(7));
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_connections_against_a_limit_of_eight_get_answers_or_503s() {
    let server = Server::new()
        .max_concurrent_requests(8)
        .queue_timeout(Duration::from_millis(100));
    let running = serving::spawn_http(server, serving::loopback().await, app());
    let addr = running.tcp();
    let body = call("sleep", &(300,));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let raw = server::post("/RPC2", "", &body);
        clients.spawn(async move {
            tokio::time::timeout(HANG_GUARD, server::exchange(addr, &raw))
                .await
                .expect("every client gets an answer within its bound")
        });
    }
    let (mut answered, mut busy) = (0, 0);
    while let Some(response) = clients.join_next().await {
        let response = response.expect("the client task");
        match response.status {
            200 => {
                assert_eq!(answer::<u32>(&response.body), Ok(300));
                answered += 1;
            }
            503 => {
                assert_eq!(response.header("retry-after"), Some("1"));
                assert!(
                    response.text().contains("the server is busy"),
                    "{}",
                    response.text()
                );
                busy += 1;
            }
            other => panic!("status {other}: {}", response.text()),
        }
    }
    assert_eq!(answered + busy, 200);
    assert!(answered >= 8, "only {answered} answers");
    assert!(busy >= 1, "no 503: the limit did not refuse");
    // The limit let go of every place: a call goes through at once again.
    add_works(addr).await;
    running.stop().await;
}
